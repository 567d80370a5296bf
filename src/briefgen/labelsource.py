"""Label sources: Python files and Jinja templates -> the messages marked in them (Babel).

What a label is (the gettext keywords, `Translators:` comments, the Jinja syntax settings)
and what a translation of one may contain (its `{placeholders}`), shared by `catalogs`
(which writes briefgen's own catalogs) and `labels` (which asks what a project's templates
print and checks a project's catalogs). Reads files; writes nothing.
"""

from __future__ import annotations

import string
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract as babel_extract
from jinja2 import TemplateSyntaxError
from jinja2.ext import babel_extract as jinja_extract

# pgettext and NP_ (a marker) carry a context: "female"/"male" for labels that agree with a
# person's gender (i18n.Localizer.gendered).
KEYWORDS = {
    "_": None,
    "N_": None,
    "Nn_": (1, 2),
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "NP_": ((1, "c"), 2),
}
COMMENT_TAGS = ("Translators:",)
# The same syntax settings as render.make_environment, and syntax errors are errors.
JINJA_OPTIONS = {
    "extensions": "jinja2.ext.i18n,jinja2.ext.do",
    "trim_blocks": "true",
    "lstrip_blocks": "true",
    "newstyle_gettext": "true",
    "silent": "false",
}


def project_template_sources(root: Path) -> list[tuple[Path, object, dict]]:
    """A project's templates, whose `_("...")` labels are labels like the built-in ones."""
    folder = root / "templates"
    if not folder.is_dir():
        return []
    return [(p, jinja_extract, JINJA_OPTIONS) for p in sorted(folder.rglob("*.j2"))]


def extract_into(
    catalog: Catalog, sources: list[tuple[Path, object, dict]], package_parent: Path, strict: bool
) -> Catalog:
    """Adds every label of `sources` to `catalog`, located relative to `package_parent`
    (a project's file: relative to its project). A template that does not parse raises
    when `strict`, else is skipped."""
    for path, method, options in sources:
        base = package_parent if path.is_relative_to(package_parent) else path.parents[1]
        location = path.relative_to(base).as_posix()
        with path.open("rb") as handle:
            try:
                found = list(
                    babel_extract(
                        method,  # type: ignore[arg-type]
                        handle,
                        keywords=KEYWORDS,
                        comment_tags=COMMENT_TAGS,
                        options=options,
                        strip_comment_tags=True,
                    )
                )
            except TemplateSyntaxError:
                if strict:
                    raise
                continue
            for lineno, message, comments, context in found:
                catalog.add(message, None, [(location, lineno)], auto_comments=comments, context=context)
    for message in catalog:
        if message.id:
            mark_brace_format(message)
    return catalog


def placeholders(text: str) -> set[str]:
    """The `{name}` fields of a str.format string (`{{` is a literal brace)."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def format_problems(message: Message) -> list[str]:
    """What is wrong with a translation's placeholders or characters, if anything.

    Translations are str.format strings; in templates they are also %-format strings and
    markup (Jinja's newstyle gettext), so a lone %, <, > or & would break the output.
    """
    ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    expected = set().union(*(placeholders(i) for i in ids))
    found = []
    for text in strings:
        if not text:
            continue  # untranslated: reported as such, not as a placeholder problem
        try:
            fields = placeholders(text)
        except ValueError as exc:
            found.append(f"malformed braces ({exc}) in {text!r}")
            continue
        if fields != expected:
            want = ", ".join(sorted(expected)) or "none"
            found.append(f"placeholders {{{', '.join(sorted(fields))}}} in {text!r}, expected {want}")
        if "%" in text.replace("%%", "") or any(ch in text for ch in "<>&"):
            found.append(f"%, <, > or & in {text!r}")
    return found


def mark_brace_format(message: Message) -> None:
    # Babel >= 2.15 sets this flag itself; set it here so older versions write the same file.
    ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
    try:
        braces = any(placeholders(i) for i in ids)
    except ValueError:
        braces = False
    if braces:
        message.flags.add("python-brace-format")
    else:
        message.flags.discard("python-brace-format")
