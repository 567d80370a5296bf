"""Output warnings: what the writers said about one output -> diagnostics at the template line
that wrote it, and their record in the manifest, shown again while the output is up to date.

A writer sees HTML, not templates: the DOCX writer says `<blink class="x"> is outside the
HTML vocabulary`. The element was written by a template of the output's chain (its file, or
one it extends, includes or imports; lookup.py), so it is looked for there and the warning
placed at its line and column; so are a class the theme gives no look (classstyles.py) and a
link to an anchor the document lacks. A warning
whose element cannot be found (written by a variable, say) stays at the output's template
file.

An up-to-date output is not rendered again, so its warnings would vanish on the next build
although nothing was fixed. Each manifest entry keeps the warnings of its output
(`warnings`, path relative to the project as printed); a build that skips the output prints
them again, until a change to the template (or anything else the output is made from)
rebuilds it.
"""

from __future__ import annotations

import re
from functools import cached_property
from itertools import pairwise
from pathlib import Path

from .diagnostics import Diagnostic, Location, Severity, error, warning
from .lookup import TemplateChain, referenced_templates, shown_path, template_filename

VOCABULARY_HINT = "use the elements and classes of docs/html-vocabulary.md, which both formats know"
# A class the theme gives no look (classstyles.class_problems): "class 'ask' (<aside>) is ...".
_NO_LOOK = re.compile(r"^class '(?P<cls>[^']+)' \(<(?P<tag>[A-Za-z][\w-]*)>\)")
_NO_TARGET = re.compile(r"^link to '(?P<href>#[^']*)' has no target in the document")
# A warning about one element, `<tag class="...">` as the DOCX writer labels it: "... is
# outside the HTML vocabulary", "... is set in 2 columns in the PDF but in one in the DOCX".
# writers/pdf._foreign_fonts: what a machine without that font would print differently.
FOREIGN_FONT = ", a font outside the theme that this machine happens to have"
_ELEMENT = re.compile(r"^<(?P<tag>[A-Za-z][\w-]*)(?: class=\"(?P<classes>[^\"]*)\")?> ")


def template_files(chain: TemplateChain, template: str) -> list[Path]:
    """The files an output's template is made of: its own file first, then what it extends,
    includes or imports, depth first, each once."""
    files: list[Path] = []
    seen: set[str] = set()
    pending = [template_filename(template)]
    while pending:
        name = pending.pop(0)
        if name in seen:
            continue
        seen.add(name)
        path = chain.find(name)
        if path is None or path in files:
            continue
        files.append(path)
        source = path.read_text(encoding="utf-8", errors="replace")
        pending[:0] = [n for n in referenced_templates(source) if n]
    return files


def element_position(source: str, tag: str, classes: list[str]) -> tuple[int, int] | None:
    """(line, column) of the first `<tag ...>` in a template's text that has every class."""
    for found in re.finditer(rf"<{re.escape(tag)}(?=[\s/>])([^>]*)>", source, re.IGNORECASE):
        attributes = found.group(1)
        if classes:
            value = re.search(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""", attributes)
            if value is None or not set(classes) <= set((value.group(1) or value.group(2) or "").split()):
                continue
        return _line_column(source, found.start())
    return None


def link_position(source: str, href: str) -> tuple[int, int] | None:
    """(line, column) of the first `href="#x"` written in a template's text."""
    found = re.search(rf"""\bhref\s*=\s*(["']){re.escape(href)}\1""", source)
    return _line_column(source, found.start()) if found else None


def resource_position(source: str, url: str) -> tuple[int, int] | None:
    """(line, column) of the first `src="url"`, `href="url"` or `url(url)` in a template."""
    quoted = re.escape(url)
    found = re.search(rf"""\b(?:src|href)\s*=\s*(["']){quoted}\1|url\(\s*(["']?){quoted}\2\s*\)""", source)
    return _line_column(source, found.start()) if found else None


def leak_diagnostic(
    root: Path, theme, audience_id: str | None, template: str, output: str, leak
) -> Diagnostic:
    """The confidentiality check's error (check.Leak) for `output` of `template` as the
    audience's chain finds it: at the line that holds the value (WarningLocator.leak_error)."""
    chain = TemplateChain(root, theme.templates_dir, audience_id)
    return WarningLocator(root, theme.folder, chain, template).leak_error(
        output, leak, theme_stylesheets(theme)
    )


def theme_stylesheets(theme) -> list[Path]:
    """The stylesheets an output of `theme` is made with that its author wrote: the theme's
    own print.css.j2 and screen.css.j2 and its `css` files (the default theme's are
    briefgen's, and print no one's content)."""
    own = [theme.folder / name for name in ("print.css.j2", "screen.css.j2")]
    return [path for path in own if path.is_file()] + list(theme.css_files)


# A template comment: it renders nothing, so a withheld name in it is no one's leak.
_TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)


def text_position(source: str, needle: str) -> tuple[int, int] | None:
    """(line, column) where a template's text writes `needle` (letters and digits only, as
    the confidentiality check matches: check.normalize), read as written and percent- or
    escape-decoded; a needle broken over two lines is found on its first. Template comments
    (`{# ... #}`) are passed over, each character as a space, so places stay where they were."""
    source = _TEMPLATE_COMMENT.sub(lambda found: re.sub(r"[^\n]", " ", found.group()), source)
    lines = source.split("\n")
    for number, line in enumerate(lines, 1):
        column = _column_of(line, needle)
        if column is not None:
            return number, column
    for number, (line, after) in enumerate(pairwise(lines), 1):
        column = _column_of(f"{line} {after}", needle)
        if column is not None and column <= len(line):
            return number, column
    return None


def _column_of(line: str, needle: str) -> int | None:
    from .decoding import escapes_decoded, normalize, percent_decoded

    readings = [line, *percent_decoded(line).splitlines(), *escapes_decoded(line).splitlines()]
    if not any(needle in normalize(reading) for reading in readings if reading):
        return None
    # Where its first letter stands, each character normalized on its own; a reading that
    # changes across characters (a decoded escape, a combining accent) gives the line's start.
    letters: list[str] = []
    places: list[int] = []
    for place, character in enumerate(line):
        for letter in normalize(character):
            letters.append(letter)
            places.append(place)
    found = "".join(letters).find(needle)
    if found >= 0:
        return places[found] + 1
    for run in re.finditer(r"[^\s\"'<>]+", line):  # a link's percent-encoded run, as decoding.py cuts them
        if "%" in run.group() and needle in normalize(percent_decoded(run.group())):
            return run.start() + 1
    return len(line) - len(line.lstrip()) + 1


def _line_column(source: str, offset: int) -> tuple[int, int]:
    before = source[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


class WarningLocator:
    """Places the writers' warnings of one output's template (see the module docstring)."""

    def __init__(self, project_root: Path, theme_folder: Path, chain: TemplateChain, template: str):
        self.project_root = project_root
        self.theme_folder = theme_folder
        self.chain = chain
        self.template = template

    @cached_property
    def files(self) -> list[Path]:
        # Read only when a warning needs placing: most outputs have none.
        return template_files(self.chain, self.template)

    @cached_property
    def default_path(self) -> str:
        own = self.chain.find(template_filename(self.template))
        return self._shown(own) if own else "templates/" + template_filename(self.template)

    def _shown(self, path: Path) -> str:
        return shown_path(str(path), self.project_root, self.theme_folder)

    def diagnostic(self, message: str) -> Diagnostic:
        # The DOCX writer starts each warning with the template's name: the path says it now.
        message = message.removeprefix(template_filename(self.template) + ": ")
        element = _ELEMENT.match(message)
        anchor = _NO_TARGET.match(message)
        no_look = _NO_LOOK.match(message)
        if no_look is not None:  # its hint is in its words already
            tag, cls = no_look.group("tag"), no_look.group("cls")
            return warning(*self._find(lambda source: element_position(source, tag, [cls])), message)
        if element is not None:
            tag, classes = element.group("tag"), (element.group("classes") or "").split()
            found = self._find(lambda source: element_position(source, tag, classes))
            hint = VOCABULARY_HINT if " is outside the HTML vocabulary" in message else None
            return warning(*found, message, hint=hint)
        if anchor is not None:
            href = anchor.group("href")
            found = self._find(lambda source: link_position(source, href))
            return warning(*found, message, hint=f"give an element id={href[1:]!r}, or link elsewhere")
        # --strict makes it an error, as cli.md says of fonts outside the theme.
        return warning(self.default_path, 0, 0, message, strict=FOREIGN_FONT in message)

    def resource_error(self, label: str, message: str) -> Diagnostic:
        """A resource the output may not or cannot read ("assets/map.png: no such file"), at
        the template line that names it; a content image's error is the content check's."""
        url = message.split(": ", 1)[0]
        path, line, column = self._find(lambda source: resource_position(source, url))
        hint = None
        if message.endswith(": no such file"):
            hint = "put the file in the project's assets/ folder, or correct the name in the template"
        elif "only files under assets/" in message:
            hint = 'put the file in the project\'s assets/ folder and name it so: src="assets/NAME"'
        return error(path, line, column, f"{label}: {message}", hint)

    def leak_error(self, output: str, leak, stylesheets: list[Path] = ()) -> Diagnostic:
        """The confidentiality check's error (check.Leak) for `output`, at the line of the
        output's templates or `stylesheets` (theme_stylesheets) that writes the withheld
        value, when one does; else at the output, as nothing in the project's text says
        where it came from."""
        found = self._find(lambda source: text_position(source, leak.needle), list(stylesheets))
        if found[1] == 0:
            return error(
                output,
                0,
                0,
                str(leak),
                hint="no template of this output writes it as text: look for what prints it "
                "from elsewhere than the content the templates are given (a variable built from "
                "pieces, a filter, a file), and print the content instead, which each audience "
                "sees as far as its clearance allows",
            )
        return error(
            *found,
            f"{output}: {leak}",
            hint="this line holds the withheld value: a template that prints it itself bypasses "
            "the selection; take it out of the template, or "
            "print it from the content, which each audience sees as far as its clearance allows",
        )

    def _find(self, where, more: list[Path] | None = None) -> tuple[str, int, int]:
        """(path, line, column) in the first file of the chain where `where` finds it, else
        the output's template at line 0."""
        for path in [*self.files, *(more or [])]:
            try:
                source = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            found = where(source)
            if found is not None:
                return (self._shown(path), *found)
        return self.default_path, 0, 0


def as_record(diagnostic: Diagnostic, hidden: dict[str, str] | None = None) -> dict:
    """A warning as the manifest keeps it; each folder of `hidden` (a path of this machine,
    longest first) written as its stand-in."""

    def scrub(text: str) -> str:
        for path in sorted(hidden or {}, key=len, reverse=True):
            text = text.replace(path, (hidden or {})[path])
        return text

    record = {
        "path": scrub(diagnostic.location.path),
        "line": diagnostic.location.line,
        "column": diagnostic.location.column,
        "message": scrub(diagnostic.message),
    }
    if diagnostic.hint:
        record["hint"] = scrub(diagnostic.hint)
    if diagnostic.strict:
        record["strict"] = True
    return record


def from_record(record: object) -> Diagnostic | None:
    """A warning the manifest kept; None for an entry this version cannot read."""
    if not isinstance(record, dict):
        return None
    try:
        location = Location(str(record["path"]), int(record["line"]), int(record["column"]))
        return Diagnostic(
            location,
            str(record["message"]),
            Severity.WARNING,
            str(record["hint"]) if record.get("hint") else None,
            bool(record.get("strict", False)),
        )
    except (KeyError, TypeError, ValueError):
        return None


def recorded_warnings(entries: list[dict | None]) -> list[Diagnostic]:
    """The warnings the manifest kept for the outputs of a skipped job, each once."""
    found: dict[Diagnostic, None] = {}
    for entry in entries:
        for record in (entry or {}).get("warnings", []) or []:
            diagnostic = from_record(record)
            if diagnostic is not None:
                found[diagnostic] = None
    return list(found)


def recorded_fallbacks(entries: list[dict | None]) -> list[list[str]]:
    """The fallbacks (jobs.fallback_key) the outputs of a skipped job printed, as the manifest
    kept them: a malformed record is no fallback."""
    found: dict[tuple[str, ...], None] = {}
    for entry in entries:
        for key in (entry or {}).get("fallbacks", []) or []:
            if isinstance(key, list) and len(key) == 4 and all(isinstance(part, str) for part in key):
                found[tuple(key)] = None
    return [list(key) for key in found]
