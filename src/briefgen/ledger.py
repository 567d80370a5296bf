"""Ledger: what one output withholds and what it shows -> the confidentiality check's input.

The select stage writes into a Ledger while it builds a View: every text of a value above
the audience's clearance (`withhold`: a case, a timeline entry, a contact, another
recipient's name ...) with the content field it comes from, and every text the audience may
see (`show`). `check.check_output` then looks for the withheld texts in the written file;
a withheld text the audience also sees elsewhere is its own text, not a leak.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from pydantic import BaseModel

from .model import as_data

# Vocabulary codes and dates: the same words appear in every output's labels, so they tell
# nothing about the removed item and are not checked for leaks.
NOT_TEXT_FIELDS = {"sensitivity", "tags", "type", "status", "priority", "kind", "country", "language"}
# v1.2 vocabulary and times of day ("14:00" is in every programme)
NOT_TEXT_FIELDS |= {"gender", "lawyer_access", "as_", "as", "time", "end_time", "timezone"}
DATE_FIELDS = {"date", "end_date", "status_date", "accessed"}
DATE_FIELDS |= {"born", "since", "expected_release"}  # v1.2
# Ids of other items: each is judged on its own (a visible item's id may appear in anchors).
REFERENCE_FIELDS = {
    "subjects", "addressees", "organisers", "cases", "sources", "made_by", "organisation", "person",
    "source", "publisher", "moderator", "made_at", "publications", "recommendations", "event",
    "by",
}  # fmt: skip
NOT_CHECKED = NOT_TEXT_FIELDS | DATE_FIELDS | REFERENCE_FIELDS


class Withheld(NamedTuple):
    """One text the audience must not see, and the content field it comes from."""

    where: str  # e.g. "cases.c-1.notes[0].text"
    value: str


@dataclass
class Ledger:
    """The withheld and the shown texts of one output."""

    removed: list[Withheld] = field(default_factory=list)
    visible: list[str] = field(default_factory=list)

    def withhold(self, where: str, value: Any) -> None:
        """Every text inside a value (an item, a list, a string) the audience must not see."""
        self.removed.extend(texts_of(where, value))

    def withhold_all(self, withheld: Iterable[Withheld]) -> None:
        self.removed.extend(withheld)

    def show(self, text: str) -> None:
        self.visible.append(text)

    def show_all(self, texts: Iterable[str]) -> None:
        self.visible.extend(texts)


def texts_of(where: str, value: Any) -> list[Withheld]:
    """The texts of a value with the field path of each, less vocabulary, dates and ids."""
    found: list[Withheld] = []
    _collect(where, value, found)
    return found


def _collect(where: str, value: Any, found: list[Withheld]) -> None:
    if value is None or isinstance(value, bool | int | float | date):
        return
    if isinstance(value, str):
        if value.strip():
            found.append(Withheld(where, value))
    elif isinstance(value, dict):
        for key, sub in value.items():
            if key not in NOT_CHECKED:  # at every depth: a whole case's timeline types too
                _collect(f"{where}.{key}", sub, found)
    elif isinstance(value, list | tuple):
        for index, sub in enumerate(value):
            _collect(f"{where}[{index}]", sub, found)
    elif isinstance(value, BaseModel):
        _collect(where, as_data(value), found)
