"""Message catalogs: the labels in briefgen's code and built-in templates -> locale/*.po.

    python -m briefgen.catalogs             # write locale/briefgen.pot, merge it into every .po
    python -m briefgen.catalogs --check     # exit 1 listing every message that needs a translator
    python -m briefgen.catalogs --init ka   # start the catalog of a new language

Labels are found by Babel: in Python files, calls to `_`, `N_`, `gettext` and
`ngettext` (also as methods, `localizer.gettext(...)`) with literal strings; in the
built-in templates, `_('...')`, `gettext('...')`, `ngettext(...)` and `{% trans %}`
blocks (Jinja's own extractor). The files written depend only on the labels and their
translations (fixed header values, no line numbers, messages sorted by msgid), so running
the update twice changes nothing. See docs/translations.md.
"""

from __future__ import annotations

import argparse
import copy
import io
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po as babel_read_po
from babel.messages.pofile import unescape, write_po
from jinja2.ext import babel_extract as jinja_extract

from .labels import BUILTIN_LOCALE_DIR as LOCALE_DIR
from .labels import DOMAIN, builtin_languages
from .labelsource import (
    JINJA_OPTIONS,
    extract_into,
    format_problems,
    mark_brace_format,
    project_template_sources,
)

PACKAGE_DIR = Path(__file__).parent
POT_PATH = LOCALE_DIR / f"{DOMAIN}.pot"
SOURCE_LANGUAGE = "en"  # msgids are English: en.po repeats them, so every language is checked alike

# Written as GNU gettext spells them; Babel's CLDR-derived defaults differ (fr has 3 forms there).
PLURAL_FORMS = {
    "en": (2, "(n != 1)"),
    "ru": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
    "fr": (2, "(n > 1)"),
    "az": (2, "(n != 1)"),
}

# Fixed header values: dates and tool versions in the files would change on every run.
_FIXED_DATE = datetime(2025, 1, 1, tzinfo=UTC)
_CATALOG_VERSION = "1"
_POT_COMMENT = (
    "# briefgen labels, from the code and the built-in templates.\n"
    "# Written by `python -m briefgen.catalogs`: do not edit.\n"
    "# See docs/translations.md."
)
_PO_COMMENT = (
    "# briefgen labels in {name}.\n"
    "# Drafted by briefgen's contributors. Anyone who writes {name} as a\n"
    "# native speaker or legal translator may correct a label: change its\n"
    "# msgstr and send the change (an organisation can also correct a label\n"
    "# for its own project only: `briefgen catalogs init`).\n"
    "# Translate the msgstr lines only; `python -m briefgen.catalogs`\n"
    "# keeps the msgids in step with the code. See docs/translations.md."
)
_GENERATED_BY = re.compile(r'^"Generated-By: [^"]*"\n', re.M)


def read_po(handle, **options) -> Catalog:
    """Babel's read_po, keeping each fuzzy message's previous msgid (`#|` lines).

    Babel's reader files `#| msgid "..."` under the translator comments, so writing the
    catalog back would turn them into `# | msgid` comments; here they go back into
    `previous_id`, where write_po puts them as `#|` again.
    """
    catalog = babel_read_po(handle, **options)
    for message in catalog:
        previous: dict[str, str] = {}
        kept = []
        key = None
        for comment in message.user_comments:
            match = _PREVIOUS.match(comment)
            if match is None:
                kept.append(comment)
                key = None
            elif match["key"]:
                key = match["key"]
                previous[key] = _unquote(match["text"])
            elif key is not None:
                previous[key] += _unquote(match["text"])
            else:
                kept.append(comment)
        if previous:
            message.user_comments = kept
            message.previous_id = [previous[k] for k in ("msgid", "msgid_plural") if k in previous]
    return catalog


_PREVIOUS = re.compile(r'^\|\s*(?:(?P<key>msgid(?:_plural)?)\s+)?(?P<text>".*")\s*$')


def _unquote(quoted: str) -> str:
    """The text of one PO string literal (`"..."`, with its escapes)."""
    return unescape(quoted)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> list[str]:
    """The shipped languages and every language with a catalog on disk."""
    on_disk = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return sorted(set(builtin_languages()) | on_disk)


def _sources() -> list[tuple[Path, object, dict]]:
    python = [p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts]
    templates = list((PACKAGE_DIR / "templates").rglob("*.j2"))
    templates += PACKAGE_DIR.glob("themes/*/templates/**/*.j2")
    found = [(p, "python", {}) for p in python] + [(p, jinja_extract, JINJA_OPTIONS) for p in templates]
    return sorted(found, key=lambda item: item[0].as_posix())


def extract(sources: list[tuple[Path, object, dict]] | None = None) -> Catalog:
    """Every label marked in the package's Python files and built-in templates (or in `sources`)."""
    catalog = Catalog(fuzzy=True)
    _set_headers(catalog, None)
    # A built-in template must always parse; a project template's syntax error is reported
    # by validate and build.
    strict = sources is None
    return extract_into(catalog, _sources() if sources is None else sources, PACKAGE_DIR.parent, strict)


def update(langs: Iterable[str] | None = None) -> list[Path]:
    """Writes the .pot and merges it into each language's .po; returns the files changed.

    Existing translations are kept. A new message gets an empty msgstr, or, when it is
    close to a message that went away, that message's translation marked fuzzy (with the
    old msgid as `#|`). Messages no longer in the code are dropped. en.po is the source
    language: its msgstrs are always its msgids.
    """
    template = extract()
    changed = []
    if _write(template, POT_PATH):
        changed.append(POT_PATH)
    for language in langs if langs is not None else languages():
        path = po_path(language)
        if path.is_file():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=language)
        else:
            catalog = new_catalog(language)
        # Babel's update takes an unchanged message from the template, which has no
        # previous msgid: a fuzzy entry from an earlier update would lose its `#|` line.
        earlier = {_key(m.id): m.previous_id for m in catalog if m.id and m.previous_id}
        # A deep copy: update() adopts the template's Message objects for new msgids.
        catalog.update(copy.deepcopy(template))
        catalog.obsolete.clear()
        _set_headers(catalog, language)
        for message in catalog:
            if not message.id:
                continue
            if not message.fuzzy:
                message.previous_id = []
            elif not message.previous_id:
                message.previous_id = earlier.get(_key(message.id), [])
            if language == SOURCE_LANGUAGE:
                message.string = message.id
                message.flags.discard("fuzzy")
                message.previous_id = []
            mark_brace_format(message)
        if _write(catalog, path):
            changed.append(path)
    return changed


def new_catalog(language: str) -> Catalog:
    """An empty catalog for a language, with its plural forms."""
    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        raise SystemExit(f"unknown language code {language!r} (use an ISO 639 code, e.g. 'ka')") from None
    catalog = Catalog(locale=locale, fuzzy=False)
    if language in PLURAL_FORMS:
        # Babel reads these from a .po's header; set here, they are written into it.
        catalog._num_plurals, catalog._plural_expr = PLURAL_FORMS[language]
    return catalog


_PROJECT_PO_COMMENT = (
    "# Labels of this briefing project in {name}.\n"
    "# They come before briefgen's built-in labels: correct a msgstr, or translate an empty one.\n"
    "# Written by `briefgen catalogs init {language}`; run it again after adding labels to templates."
)


def init_project_catalog(root: Path, language: str) -> tuple[Path, int, int]:
    """Write or extend PROJECT/locale/LANG.po with every label; returns (path, added, translated).

    New entries carry the built-in translation where there is one (to correct it), else an
    empty msgstr. Entries already in the file are kept as they are.
    """
    from .labels import builtin_catalog, project_catalog_path

    path = project_catalog_path(root, language)
    template = extract()
    project = project_template_sources(root)
    if project:
        for message in extract(project):
            if message.id and template.get(message.id, message.context) is None:
                template[message.id] = message
    if path.is_file():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language, abort_invalid=True)
    else:
        catalog = new_catalog(language)
    builtin = builtin_catalog(language) or builtin_catalog(language.split("-")[0])
    added = 0
    for message in template:
        if not message.id or catalog.get(message.id, message.context) is not None:
            continue
        known = builtin.get(message.id, message.context) if builtin is not None else None
        string = (
            known.string
            if known is not None and not known.fuzzy
            else ("" if isinstance(message.id, str) else ("",) * catalog.num_plurals)
        )
        catalog.add(message.id, string, auto_comments=message.auto_comments, context=message.context)
        added += 1
    _set_headers(catalog, language)
    name = catalog.locale.english_name if catalog.locale else language
    catalog.header_comment = _PROJECT_PO_COMMENT.format(name=name, language=language)
    catalog.last_translator = ""
    for message in catalog:
        if message.id:
            mark_brace_format(message)
    _write(catalog, path)
    translated = sum(1 for m in catalog if m.id and _translated(m, catalog.num_plurals))
    return path, added, translated


def problems() -> list[str]:
    """Everything that needs a translator's (or an update's) attention, one line each."""
    template = extract()
    out = []
    if not POT_PATH.is_file():
        out.append(f"{_rel(POT_PATH)}: missing")
    else:
        with POT_PATH.open("rb") as handle:
            pot = read_po(handle)
        wanted, have = _ids(template), _ids(pot)
        where = _rel(POT_PATH)
        out += [f"{where}: not extracted yet: {_show(i, c)}" for c, i in sorted(wanted - have, key=str)]
        out += [f"{where}: no longer in the code: {_show(i, c)}" for c, i in sorted(have - wanted, key=str)]
    for language in languages():
        path = po_path(language)
        if not path.is_file():
            out.append(f"{_rel(path)}: missing")
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        where = _rel(path)
        for message in template:
            if not message.id:
                continue
            found = catalog.get(message.id, message.context)
            if found is None or not _translated(found, catalog.num_plurals):
                out.append(f"{where}: untranslated: {_show(message.id, message.context)}")
            elif found.fuzzy:
                out.append(f"{where}: fuzzy: {_show(message.id, message.context)}")
            else:
                shown = _show(message.id, message.context)
                out += [f"{where}: {problem}: {shown}" for problem in format_problems(found)]
        wanted = _ids(template)
        for message in catalog:
            if message.id and (message.context, _key(message.id)) not in wanted:
                out.append(f"{where}: obsolete: {_show(message.id, message.context)}")
        out += [f"{where}: obsolete: {_show(m.id)}" for m in catalog.obsolete.values()]
    return out


def _translated(message: Message, num_plurals: int) -> bool:
    if isinstance(message.id, (list, tuple)):
        strings = message.string if isinstance(message.string, (list, tuple)) else ()
        return len(strings) == num_plurals and all(strings)
    return isinstance(message.string, str) and bool(message.string)


def _ids(catalog: Catalog) -> set:
    """(context, msgid) of every message: "Detained" and the female "Detained" are two."""
    return {(m.context, _key(m.id)) for m in catalog if m.id}


def _key(message_id: str | tuple) -> str | tuple:
    return tuple(message_id) if isinstance(message_id, (list, tuple)) else message_id


def _show(message_id: str | tuple, context: str | None = None) -> str:
    shown = '"' + (message_id[0] if isinstance(message_id, (list, tuple)) else message_id) + '"'
    return f"{shown} ({context})" if context else shown


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE_DIR.parent).as_posix()


def _set_headers(catalog: Catalog, language: str | None) -> None:
    catalog.project = DOMAIN
    catalog.version = _CATALOG_VERSION
    catalog.copyright_holder = ""
    catalog.msgid_bugs_address = ""
    catalog.creation_date = _FIXED_DATE
    catalog.revision_date = _FIXED_DATE
    catalog.last_translator = "briefgen contributors"
    if language is None:
        catalog.language_team = "none"
        catalog.header_comment = _POT_COMMENT
    else:
        name = catalog.locale.english_name if catalog.locale else language
        catalog.language_team = name
        catalog.header_comment = _PO_COMMENT.format(name=name)
        catalog.fuzzy = False


def _write(catalog: Catalog, path: Path) -> bool:
    """Writes a catalog if its text changed; True if it did."""
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=76,
        sort_output=True,
        sort_by_file=False,
        ignore_obsolete=True,
        include_previous=True,
        include_lineno=False,
    )
    text = _GENERATED_BY.sub("", buffer.getvalue().decode("utf-8"))
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return True


def _summary(found: list[str], language: str) -> str:
    count = sum(line.startswith(_rel(po_path(language)) + ":") for line in found)
    return f"{language}: " + (f"{count} to translate or review" if count else "complete")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m briefgen.catalogs", description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", action="store_true", help="exit 1 listing untranslated, fuzzy, obsolete")
    group.add_argument("--init", metavar="LANG", help="create the catalog of a new language, then update")
    args = parser.parse_args(argv)

    if args.check:
        found = problems()
        for line in found:
            print(line)
        if found:
            print(
                f"{len(found)} problem(s); run `python -m briefgen.catalogs`, then translate", file=sys.stderr
            )
            return 1
        print(f"catalogs complete: {len(_ids(extract()))} messages in {', '.join(languages())}")
        return 0

    if args.init:
        path = po_path(args.init)
        if path.is_file():
            parser.error(f"{_rel(path)} exists already")
        _write(new_catalog(args.init), path)
    changed = update()
    for path in changed:
        print(f"wrote {_rel(path)}")
    found = problems()
    print(f"{len(_ids(extract()))} messages; " + "; ".join(_summary(found, lang) for lang in languages()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
