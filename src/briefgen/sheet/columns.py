"""The column model: which field of a case, person or timeline entry each column holds, and
how a value written in YAML becomes a cell (export) and a cell a value to write (import).

Both directions use the same Column, so what the export writes, the import reads back as
the very same value: an unedited workbook changes nothing.

Headers: a field's name (`status`), a part of a nested field with a dot (`sentence.years`),
and a localized field's language in brackets (`summary[en]`). Lists are written one entry
per line inside the cell; lists of ids may also be separated by commas or semicolons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..model import (
    CASE_STATUSES,
    DATE_RE,
    GENDERS,
    LAWYER_ACCESS,
    PARTIAL_DATE_RE,
    RECOGNITION_KINDS,
    SENSITIVITY_LEVELS,
    TIMELINE_TYPES,
)
from ..slugs import slug_problem
from ..typed import did_you_mean

TRUE_WORDS = ("true", "yes", "on", "1")
FALSE_WORDS = ("false", "no", "off", "0")
_LIST_SPLIT = re.compile(r"[\n;,]+")


@dataclass(frozen=True)
class Column:
    """One column: `path` is the field inside the item (("sentence", "years")); `kind` says
    how its cells read and write; `language` is set for one language of a localized field."""

    name: str  # the header without the language: "summary", "sentence.years"
    path: tuple[str, ...]
    kind: str  # text markdown date partial_date int bool choice ref refs slugs texts id entry
    help: str
    language: str | None = None
    choices: tuple[str, ...] = ()
    ref: str | None = None  # the collection a ref/refs column names items of
    required: bool = False  # for a new item
    width: int = 16
    sensitivity_of: tuple[str, ...] | None = None  # the part whose `sensitivity` hides this value

    @property
    def header(self) -> str:
        return f"{self.name}[{self.language}]" if self.language else self.name

    @property
    def localized(self) -> bool:
        return self.language is not None

    @property
    def is_list(self) -> bool:
        return self.kind in ("refs", "slugs", "texts")

    # ------------------------------------------------------------ YAML -> cell

    def written(self, item: dict[str, Any], project_language: str) -> Any:
        """The value this column shows of an item as read from YAML (text, list or None)."""
        value: Any = item
        for part in self.path:
            value = value.get(part) if isinstance(value, dict) else None
        if self.language is None or value is None:
            return value
        if isinstance(value, str):  # a plain text is in the project language
            return value if self.language == project_language else None
        return value.get(self.language) if isinstance(value, dict) else None

    def canonical(self, written: Any) -> Any:
        """A written YAML value in the form a cell reads as (for comparing and exporting)."""
        if written is None or written == "" or written == []:
            return None
        if self.kind == "int":
            try:
                return int(written)
            except (TypeError, ValueError):
                return written
        if self.kind == "bool":
            word = str(written).lower()
            return True if word in TRUE_WORDS else False if word in FALSE_WORDS else written
        if self.is_list:
            return [str(v) for v in written] if isinstance(written, list) else [str(written)]
        if isinstance(written, str):
            return written.replace("\r\n", "\n")
        return written

    def cell(self, written: Any) -> Any:
        """The value to put in the cell: dates as real dates, lists one entry per line."""
        value = self.canonical(written)
        if value is None:
            return None
        if self.kind in ("date", "partial_date") and isinstance(value, str) and DATE_RE.match(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return value
        if self.is_list:
            return "\n".join(value)
        return value

    # ------------------------------------------------------------ cell -> value

    def read(self, value: Any, typed: bool) -> tuple[Any, str | None, str | None]:
        """(canonical value or None for an empty cell, problem, hint) of a cell's content.
        `typed`: the value comes from a workbook cell that has a type (number, date,
        TRUE/FALSE), not from CSV text."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None, None, None
        if self.kind == "int":
            return _read_int(value)
        if self.kind == "bool":
            return _read_bool(value)
        if self.kind in ("date", "partial_date"):
            return _read_date(value, partial=self.kind == "partial_date")
        if typed and not isinstance(value, str):
            return None, *_misread(value)
        text = str(value).replace("\r\n", "\n").replace("\r", "\n")
        if self.is_list:
            parts = text.split("\n") if self.kind == "texts" else _LIST_SPLIT.split(text)
            entries = [p.strip() for p in parts if p.strip()]
            if self.kind != "texts":
                for entry in entries:
                    problem = slug_problem(entry)
                    if problem:
                        return None, f"'{entry}' is not an id: {problem}", _LIST_HINT
            return entries, None, None
        text = text.strip()
        if self.kind in ("id", "ref"):
            problem = slug_problem(text)
            if problem:
                return None, f"'{text}' is not an id: {problem}", None
        if self.kind == "choice" and text not in self.choices:
            return None, f"unknown {self.name.rsplit('.', 1)[-1]} '{text}'", did_you_mean(text, self.choices)
        if self.kind in ("text", "choice", "id", "ref") and "\n" in text:
            return None, "this field is a single line of text, but the cell has line breaks", None
        return text, None, None

    def same(self, cell_value: Any, written: Any) -> bool:
        """Whether a cell's canonical value says the same as the written YAML value."""
        old = self.canonical(written)
        if isinstance(cell_value, str) and isinstance(old, str):
            return cell_value.strip() == old.strip()
        return cell_value == old

    def yaml_value(self, value: Any) -> Any:
        """A canonical cell value as data to write with yamledit: numbers, booleans and
        years typed, so that they are written plain (`years: 5`, not `years: "5"`)."""
        if self.kind == "partial_date" and isinstance(value, str) and value.isdigit():
            return int(value)
        return value


_LIST_HINT = "write one id per line, or separate them with commas"


def _misread(value: Any) -> tuple[str, str]:
    if isinstance(value, bool):
        what = f"the spreadsheet made this cell the truth value {str(value).upper()}"
    elif isinstance(value, datetime | date):
        what = f"the spreadsheet made this cell the date {value:%Y-%m-%d}"
    else:
        what = f"the spreadsheet made this cell the number {value}"
    return (
        f"{what}, but the field is text: what was typed may have been changed (leading zeros, "
        "decimals, dates)",
        "format the cell as Text and type the value again, or start it with an apostrophe (')",
    )


def _read_int(value: Any) -> tuple[Any, str | None, str | None]:
    if isinstance(value, bool):
        return None, f"{value} is not a whole number", None
    if isinstance(value, float) and value.is_integer():
        return int(value), None, None
    if isinstance(value, int):
        return value, None, None
    text = str(value).strip()
    if re.fullmatch(r"\d+", text):
        return int(text), None, None
    return None, f"'{text}' is not a whole number", "write digits only, e.g. 5"


def _read_bool(value: Any) -> tuple[Any, str | None, str | None]:
    if isinstance(value, bool):
        return value, None, None
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True, None, None
    if word in FALSE_WORDS:
        return False, None, None
    return None, f"'{value}' is not yes or no", "write TRUE or FALSE (or yes / no)"


def _read_date(value: Any, partial: bool) -> tuple[Any, str | None, str | None]:
    shape = "YYYY-MM-DD, YYYY-MM or YYYY" if partial else "YYYY-MM-DD"
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            return None, f"{value} has a time of day; this field is a date", f"write {shape}"
        return value.date().isoformat(), None, None
    if isinstance(value, date):
        return value.isoformat(), None, None
    if isinstance(value, bool):
        return None, f"{value} is not a date", f"write {shape}"
    if isinstance(value, int) and partial and 1000 <= value <= 9999:
        return str(value), None, None  # a year typed as a number
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d\d-\d\d[ T]00:00(:00)?", text):  # a date as LibreOffice writes it
        text = text[:10]
    pattern = PARTIAL_DATE_RE if partial else DATE_RE
    if not pattern.match(text):
        return None, f"'{text}' is not a date", f"write {shape}"
    parts = [int(p) for p in text.split("-")]
    year, month, day = [*parts, 1, 1][:3]
    try:
        date(year, month, day)
    except ValueError as exc:
        return None, f"{text} is not a real date ({exc})", "check the day and the month"
    return text, None, None


# ---------------------------------------------------------------- the sheets


@dataclass(frozen=True)
class SheetModel:
    """One sheet: its name, the collection its rows are, and its columns (the localized
    ones once, with `language` None: `columns(languages)` makes one per language)."""

    name: str
    collection: str
    fields: tuple[Column, ...]
    help: str
    # A sheet of a list inside items (a case's timeline): the list's field, the column that
    # names the item it belongs to, and the sensitivity of an entry that names none.
    list_field: str | None = None
    parent_key: str | None = None
    default_sensitivity: str = "public"
    noun: str = "item"

    @property
    def key(self) -> str:
        """The column that names a row's item: its id, or for a list its item's id."""
        return self.parent_key or "id"

    def columns(self, languages: list[str]) -> list[Column]:
        out: list[Column] = []
        for column in self.fields:
            if column.kind in ("text", "markdown") and column.language == "*":
                out += [_with_language(column, lang) for lang in languages]
            else:
                out.append(column)
        return out


def _with_language(column: Column, language: str) -> Column:
    return Column(
        column.name,
        column.path,
        column.kind,
        column.help,
        language,
        column.choices,
        column.ref,
        column.required,
        column.width,
        column.sensitivity_of,
    )


def _localized(name: str, kind: str, help: str, required: bool = False, width: int = 30, **kw) -> Column:
    path = tuple(name.split("."))
    return Column(name, path, kind, help, "*", required=required, width=width, **kw)


def _col(name: str, kind: str, help: str, **kw) -> Column:
    return Column(name, tuple(name.split(".")), kind, help, **kw)


_DETENTION = ("detention",)
_SENSITIVITY_HELP = "who may see it: public, internal or confidential (empty: public)"

CASES = SheetModel(
    "Cases",
    "cases",
    (
        _col(
            "id", "id", "the case's id: lowercase letters, digits and hyphens, e.g. ali-aliyev-case", width=26
        ),
        _localized("title", "text", "the case's title (empty: the names of its subjects)"),
        _col(
            "subjects",
            "refs",
            "ids of the people persecuted (see People), one per line",
            ref="people",
            required=True,
            width=22,
        ),
        _col(
            "status", "choice", "the person's situation now", choices=CASE_STATUSES, required=True, width=14
        ),
        _col("status_date", "date", "when the status was last confirmed (a date)", width=12),
        _localized(
            "summary",
            "markdown",
            "what happened, in a few paragraphs (markdown: *emphasis*, [@source-id] citations)",
            required=True,
            width=60,
        ),
        _col("sentence.years", "int", "years of the sentence (a whole number)", width=8),
        _col("sentence.months", "int", "months of the sentence, beyond the years", width=8),
        _col("sentence.date", "date", "the day the sentence was handed down", width=12),
        _localized("sentence.court", "text", "the court that sentenced", width=24),
        _col("sentence.suspended", "bool", "TRUE if the sentence is suspended", width=8),
        _col("sentence.in_absentia", "bool", "TRUE if sentenced in absentia", width=8),
        _localized("sentence.regime", "text", 'e.g. "strict-regime penal colony"', width=20),
        _localized(
            "detention.place", "text", "where the person is held now", width=24, sensitivity_of=_DETENTION
        ),
        _localized("detention.regime", "text", 'e.g. "strict regime"', width=16, sensitivity_of=_DETENTION),
        _col("detention.since", "date", "held there since (a date)", width=12, sensitivity_of=_DETENTION),
        _col(
            "detention.incommunicado",
            "bool",
            "TRUE if held without contact with the outside",
            width=8,
            sensitivity_of=_DETENTION,
        ),
        _col(
            "detention.lawyer_access",
            "choice",
            "none, restricted or regular",
            choices=LAWYER_ACCESS,
            width=10,
            sensitivity_of=_DETENTION,
        ),
        _col(
            "detention.sensitivity",
            "choice",
            "who may see the detention details: " + _SENSITIVITY_HELP,
            choices=SENSITIVITY_LEVELS,
            width=12,
            sensitivity_of=_DETENTION,
        ),
        _col("expected_release", "date", "the expected release date", width=12),
        _col("sources", "refs", "ids of the sources for the case, one per line", ref="sources", width=26),
        _col("tags", "slugs", "free labels, one per line", width=14),
        _col("sensitivity", "choice", _SENSITIVITY_HELP, choices=SENSITIVITY_LEVELS, width=12),
    ),
    "One row per case.",
    noun="case",
)

PEOPLE = SheetModel(
    "People",
    "people",
    (
        _col("id", "id", "the person's id, e.g. ali-aliyev", width=20),
        _localized("name", "text", "the person's name", required=True, width=24),
        _localized(
            "pseudonym",
            "text",
            'shown instead of the name to readers not cleared for the person (empty: "Name withheld")',
            width=18,
        ),
        _col("born", "partial_date", "date or year of birth (YYYY-MM-DD, YYYY-MM or YYYY)", width=10),
        _col("gender", "choice", "female, male or other", choices=GENDERS, width=9),
        _localized("region", "text", "home region or city", width=16),
        _localized("occupation", "text", "e.g. freelance journalist", width=20),
        _col("also_known_as", "texts", "other spellings of the name, one per line", width=20),
        _localized("bio", "markdown", "a short biography (markdown)", width=50),
        _col("photo", "text", "photo file under assets/, e.g. photos/ali-aliyev.jpg", width=18),
        _localized("photo_alt", "text", "what the photo shows, for readers who cannot see it", width=20),
        _col("tags", "slugs", "free labels, one per line", width=14),
        _col("sensitivity", "choice", _SENSITIVITY_HELP, choices=SENSITIVITY_LEVELS, width=12),
    ),
    "One row per person.",
    noun="person",
)


def _entries(
    name: str,
    collection: str,
    field: str,
    noun: str,
    fields: tuple[Column, ...],
    help: str,
    sensitivity: str | None = "public",
) -> SheetModel:
    """A sheet of one list of entries inside cases (or people): one row per entry, named by
    its item's id and its number in the list."""
    parent = "case" if collection == "cases" else "person"
    key = (
        _col(parent, "ref", f"the id of the {parent} (see {'Cases' if parent == 'case' else 'People'})",
             ref=collection, required=True, width=24),
        _col("entry", "entry", f"the entry's number in its {parent}; leave empty for a new entry", width=7),
    )  # fmt: skip
    tail: tuple[Column, ...] = ()
    if sensitivity is not None:
        help_text = f"who may see it: public, internal or confidential (empty: {sensitivity})"
        tail = (_col("sensitivity", "choice", help_text, choices=SENSITIVITY_LEVELS, width=12),)
    return SheetModel(
        name, collection, key + fields + tail, help, field, parent, sensitivity or "public", noun
    )


TIMELINE = _entries(
    "Timeline",
    "cases",
    "timeline",
    "timeline entry",
    (
        _col("date", "partial_date", "when (YYYY-MM-DD, YYYY-MM or YYYY)", required=True, width=12),
        _col("type", "choice", "what happened", choices=TIMELINE_TYPES, required=True, width=16),
        _localized(
            "text", "markdown", "what happened, in a sentence or two (markdown)", required=True, width=50
        ),
        _col("source", "ref", "the id of the source for this entry", ref="sources", width=24),
    ),
    "One row per entry of a case's timeline.",
)

CHARGES = _entries(
    "Charges",
    "cases",
    "charges",
    "charge",
    (
        _localized("article", "text", "e.g. Criminal Code Art. 192", width=24),
        _localized(
            "description", "text", "what the charge says, e.g. Illegal entrepreneurship", required=True
        ),
    ),
    "One row per criminal charge of a case.",
    sensitivity=None,
)

VIOLATIONS = _entries(
    "Violations",
    "cases",
    "violations",
    "violation",
    (
        _localized("right", "text", 'the right violated, e.g. "ECHR Art. 5"', width=18),
        _localized("text", "markdown", "how it was violated (markdown)", width=50),
    ),
    "One row per right violated in a case.",
    sensitivity=None,
)

PROCEEDINGS = _entries(
    "Proceedings",
    "cases",
    "proceedings",
    "proceeding",
    (
        _localized("body", "text", "the body, e.g. ECtHR, UN WGAD", width=14),
        _col("reference", "text", "its reference, e.g. application no. 12345/15", width=18),
        _col("date", "date", "a date (YYYY-MM-DD)", width=12),
        _localized("status", "text", "e.g. communicated, pending, decided", width=14),
        _localized("text", "markdown", "what it is about (markdown)", width=40),
        _col("url", "text", "a web address (http or https)", width=24),
    ),
    "One row per proceeding before a court or international body.",
    sensitivity=None,
)

DESIGNATIONS = _entries(
    "Designations",
    "cases",
    "designations",
    "designation",
    (
        _localized("list", "text", 'the list, e.g. "extremist formations"', required=True, width=24),
        _col("by", "ref", "the id of the organisation that keeps the list", ref="organisations", width=18),
        _col("date", "partial_date", "when (YYYY-MM-DD, YYYY-MM or YYYY)", width=12),
        _col("source", "ref", "the id of the source", ref="sources", width=20),
    ),
    "One row per list the authorities put the person on.",
    sensitivity=None,
)

RECOGNITIONS = _entries(
    "Recognitions",
    "cases",
    "recognitions",
    "recognition",
    (
        _col(
            "by",
            "ref",
            "the id of the organisation that recognised the person",
            ref="organisations",
            required=True,
            width=18,
        ),
        _col(
            "as",
            "choice",
            "political-prisoner (empty: the same), prisoner-of-conscience or other",
            choices=RECOGNITION_KINDS,
            width=20,
        ),
        _col("date", "partial_date", "when (YYYY-MM-DD, YYYY-MM or YYYY)", width=12),
        _col("source", "ref", "the id of the source", ref="sources", width=20),
    ),
    "One row per recognition, e.g. as a political prisoner by a monitoring group.",
    sensitivity=None,
)

AFFILIATIONS = _entries(
    "Affiliations",
    "people",
    "affiliations",
    "affiliation",
    (
        _col(
            "organisation",
            "ref",
            "the id of the organisation (may be empty when a role is given)",
            ref="organisations",
            width=20,
        ),
        _localized("role", "text", "the person's role, e.g. Director, freelance journalist", width=24),
    ),
    "One row per role of a person, current roles first.",
    sensitivity=None,
)

NOTES = _entries(
    "Notes",
    "cases",
    "notes",
    "note",
    (_localized("text", "markdown", "the note (markdown)", required=True, width=50),),
    "One row per note on a case (internal unless marked otherwise).",
    sensitivity="internal",
)

CONTACTS = _entries(
    "Contacts",
    "cases",
    "contacts",
    "contact",
    (
        _col("name", "text", "the contact's name", required=True, width=20),
        _col("role", "text", "e.g. Lawyer", width=14),
        _col("phone", "text", "a telephone number", width=16),
        _col("email", "text", "an email address", width=22),
    ),
    "One row per contact for a case (confidential unless marked otherwise).",
    sensitivity="confidential",
)

HEALTH = _entries(
    "Health",
    "cases",
    "health",
    "health note",
    (
        _localized(
            "text", "markdown", "what is known of the person's health (markdown)", required=True, width=50
        ),
    ),
    "One row per note on the person's health (confidential unless marked otherwise).",
    sensitivity="confidential",
)

SHEETS = (
    CASES, PEOPLE, TIMELINE, CHARGES, VIOLATIONS, PROCEEDINGS, DESIGNATIONS, RECOGNITIONS, AFFILIATIONS,
    NOTES, CONTACTS, HEALTH,
)  # fmt: skip
