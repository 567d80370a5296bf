"""Computed facts: a case's timeline and a person's birth date + the brief's date -> the facts
a reader is told (since when a status holds, days in detention, age).

Nothing here is written by an author: each fact is worked out as of one date (the brief's
date, else the project's `as_of`), so two outputs of the same brief agree, and a brief
dated in 2016 says what was true in 2016. select.py asks for them when it builds a case.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

DETAINED_STATUSES = {"detained", "imprisoned"}
# The timeline entries whose first date says since when a status holds.
SINCE_TYPES = {
    "detained": ("arrest", "detention"),
    "imprisoned": ("arrest", "detention"),
    "house-arrest": ("detention", "arrest"),
    "travel-ban": ("travel-ban",),
    "exiled": ("exile",),
}


def since(status: str, timeline: Iterable) -> str | None:
    """The first date (partial dates too) of a timeline entry that starts the current status.

    `timeline` holds entries with `.date` and `.type`, in date order."""
    entry = since_entry(status, timeline)
    return entry.date if entry is not None else None


def since_entry(status: str, timeline: Iterable):
    """The timeline entry `since` takes its date from (a chart cites its source), or None."""
    kinds = SINCE_TYPES.get(status, ())
    return next((entry for entry in timeline if entry.type in kinds), None)


def days_in_detention(status: str, since_date: str | None, as_of: date) -> int | None:
    """Days from the start of the deprivation of liberty to `as_of`, for people still held;
    None when the start is not known to the day or lies after `as_of`."""
    if since_date is None or status not in DETAINED_STATUSES or since_date.count("-") != 2:
        return None
    start = date.fromisoformat(since_date)
    return (as_of - start).days if start <= as_of else None


def age(born: str | None, as_of: date) -> int | None:
    """Age in whole years on `as_of`; None unless the birth date is known to the day (a
    birth year alone leaves the age a year uncertain, so the year is shown instead)."""
    if born is None or born.count("-") != 2:
        return None
    birth = date.fromisoformat(born)
    if birth > as_of:
        return None
    return as_of.year - birth.year - ((as_of.month, as_of.day) < (birth.month, birth.day))
