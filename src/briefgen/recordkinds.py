"""Record kinds: a value a template received -> what docs/templates.md calls it, and its fields.

Templates receive Records (select.py): attribute bags with no type of their own that an
author could know. When a template asks for a field a value does not have, the error must
say "a case has no field 'titel'", with the fields a case has, never a Python class name.
A Record is recognised by the fields that only its kind has; the test
`tests/unit/test_recordkinds.py` walks the Views of the fixture projects, so a new kind of
Record that nothing here names fails there rather than in an author's error message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .select import Record


@dataclass(frozen=True)
class Kind:
    name: str  # as docs/templates.md says it: "case", "timeline entry"
    fields: frozenset[str]  # fields only this kind has together
    exact: bool = False  # the Record has these fields and no others


def _kind(name: str, *fields: str, exact: bool = False) -> Kind:
    return Kind(name, frozenset(fields), exact)


# Most specific first: the first kind whose fields a Record has names it.
KINDS = (
    _kind("case", "subjects", "timeline"),
    _kind("person", "withheld", "role_line"),
    _kind("organisation", "short_name", "website"),
    _kind("source", "authors", "accessed"),
    _kind("recommendation", "priority", "addressees"),
    _kind("recommendation group", "recommendations", "addressee"),
    _kind("event", "speakers", "organisers"),
    _kind("brief", "key_messages"),
    _kind("audience", "clearance"),
    _kind("recipient", "salutation", "organisation"),
    _kind("letter", "signatories"),
    _kind("figure", "unit", "data"),
    _kind("sentence", "years", "months", "court"),
    _kind("detention", "incommunicado"),
    _kind("proceeding", "body", "reference"),
    _kind("designation", "list", "by"),
    _kind("recognition", "by", "kind"),
    _kind("timeline entry", "date", "type", "text"),
    _kind("charge", "article"),
    _kind("violation", "right"),
    _kind("contact", "phone", "email"),
    _kind("speaker", "person", "points"),
    _kind("affiliation", "organisation", "role", exact=True),
    _kind("data point", "label", "value", exact=True),
    _kind("chart", "name", "title", "kind", exact=True),
    _kind("project", "name", "language", exact=True),
    _kind("note", "text", exact=True),
)


def record_fields(record: Record) -> list[str]:
    """The fields a template may read, in the order select.py gives them."""
    return [name for name in vars(record) if not name.startswith("_")]


def record_kind(record: Record) -> str | None:
    """ "case", "person" ... or None for a Record no kind describes."""
    fields = set(record_fields(record))
    for kind in KINDS:
        if fields == kind.fields if kind.exact else kind.fields <= fields:
            return kind.name
    return None


def describe(value: Any) -> str:
    """What a value is, as an author would say it: "a case", "a list", "a text", "nothing"."""
    if value is None:
        return "nothing (None)"
    if isinstance(value, Record):
        kind = record_kind(value)
        return f"{_article(kind)} {kind}" if kind else "a record"
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if callable(value):
        return "a function"
    return "a value"


def _article(noun: str) -> str:
    return "an" if noun[:1] in "aeiou" else "a"
