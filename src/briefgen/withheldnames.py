"""Withheld names: a valid Model -> warnings where a text an audience may see writes out the
name of a person or contact withheld from that audience.

The select stage removes a confidential witness from the public outputs and shows them under
their pseudonym; but when a public case summary says "donated to a fund run by Mikalai
Sviryd", the summary is public, so the name is printed, and the confidentiality check
cannot object: the audience "sees it elsewhere" (docs/security.md, Limits). It is the
costliest slip an officer can make, and only the content can show it. So every text is
read for the names (and `also_known_as` spellings) of people and case contacts more
sensitive than the text, where some audience of the project's briefs may see the text and
not the person. Names are matched as whole words, ignoring case and spacing; names shorter
than the confidentiality check's MIN_CHARS letters are too common to judge.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any, NamedTuple

import ahocorasick

from .check import MIN_CHARS
from .decoding import normalize
from .diagnostics import Diagnostic, warning
from .ledger import NOT_CHECKED
from .model import COLLECTIONS, LANG_RE, SENSITIVITY_LEVELS, Model, as_data, sensitivity_rank
from .validate import known_language

# Recipients' details appear only in their own copy (select.py), whatever the text says.
_NOT_READ = {"recipients"}
_BRIEF_TEXTS = ("title", "subtitle", "short_title", "key_messages", "intro", "letter")
_SPACE = re.compile(r"\s+")


class _Name(NamedTuple):
    spelling: str
    rank: int
    owner: str  # "people 'witness-m'" or "a contact of case 'x'"


def withheld_name_warnings(model: Model) -> list[Diagnostic]:
    clearances = _clearances(model)
    names = _withheld_names(model, clearances)
    if not names:
        return []
    automaton = ahocorasick.Automaton()
    for key, found in names.items():
        automaton.add_word(key, (key, found))
    automaton.make_automaton()
    found: list[Diagnostic] = []
    reported: set[tuple[Any, ...]] = set()
    for place, text, rank, audiences in _texts(model, clearances):
        if len(text) < MIN_CHARS:
            continue
        folded = _folded(text)
        for end, (key, candidates) in automaton.iter(folded):
            start = end - len(key) + 1
            if not _whole_words(folded, start, end + 1):
                continue
            for name in candidates:
                exposed = [c for c in audiences if rank <= c < name.rank]
                if not exposed or (place, name.owner) in reported:
                    continue
                reported.add((place, name.owner))
                found.append(_warning(model, place, name, exposed))
    return found


def _warning(model: Model, place: tuple[Any, ...], name: _Name, exposed: list[int]) -> Diagnostic:
    kind, collection, item_id, *path = place
    if kind == "settings":
        where = model.settings_locate(collection, item_id, *path)
        what = f"brief '{item_id}'"
    else:
        where = model.locate(collection, item_id, *path)
        what = f"{collection} '{item_id}'"
    field = _field_name(path)
    level = SENSITIVITY_LEVELS[name.rank]
    readers = " and ".join(SENSITIVITY_LEVELS[c] for c in sorted(set(exposed)))
    return warning(
        where.path,
        where.line,
        where.column,
        f"{what}: {field} writes out {name.spelling!r}, the name of {name.owner}, who is "
        f"{level}: {readers} audiences do not see the person, but read this text with the name in it",
        "leave the name out of this text (where a case lists the person, they appear under "
        f"their pseudonym), or give what holds the text (the item, its entry or note) the "
        f"sensitivity '{level}'",
        strict=True,
    )


def _field_name(path: list[Any]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif out and LANG_RE.match(part) and known_language(part):
            continue  # a language key of a localized value: the field is named without it
        else:
            out += f".{part}" if out else part
    return out or "a text"


def _clearances(model: Model) -> dict[str, list[int]]:
    """Each brief's audiences' clearances (ranks); a brief without audiences is public."""
    from .plan import brief_audiences

    return {
        brief.id: sorted({sensitivity_rank(a.clearance) for a in brief_audiences(model, brief)})
        for brief in model.project.briefs
    }


def _withheld_names(model: Model, clearances: dict[str, list[int]]) -> dict[str, list[_Name]]:
    """Every spelling withheld from some audience, folded, with who it names."""
    lowest = min((c for ranks in clearances.values() for c in ranks), default=0)
    spellings = list(_spellings(model))
    # A spelling that a less sensitive person or contact also bears is theirs to show.
    borne: dict[str, int] = {}
    for key, _text, rank, _owner in spellings:
        borne[key] = min(rank, borne.get(key, rank))
    names: dict[str, list[_Name]] = {}
    for key, text, rank, owner in spellings:
        if rank > lowest and rank <= borne[key] and len(normalize(text)) >= MIN_CHARS:
            names.setdefault(key, []).append(_Name(text.strip(), rank, owner))
    return names


def _spellings(model: Model) -> Iterator[tuple[str, str, int, str]]:
    """(folded, as written, rank, whose) of every spelling of a person's or contact's name."""
    named: list[tuple[Any, int, str]] = []
    for person_id, person in model.people.items():
        rank = sensitivity_rank(person.sensitivity)
        named += [(s, rank, f"people '{person_id}'") for s in [person.name, *(person.also_known_as or [])]]
    for case_id, case in model.cases.items():
        for contact in case.contacts:
            rank = max(sensitivity_rank(case.sensitivity), sensitivity_rank(contact.sensitivity))
            named.append((contact.name, rank, f"a contact of case '{case_id}'"))
    for spelling, rank, owner in named:
        for text in spelling.values() if isinstance(spelling, dict) else [spelling]:
            if isinstance(text, str):
                yield _folded(text), text, rank, owner


_Text = tuple[tuple[Any, ...], str, int, list[int]]


def _texts(model: Model, clearances: dict[str, list[int]]) -> Iterator[_Text]:
    """(place, plain text, the text's rank, the clearances that may read it) of every text."""
    every = sorted({c for ranks in clearances.values() for c in ranks})
    for collection in COLLECTIONS:
        if collection in _NOT_READ:
            continue
        for item_id, item in model.items[collection].items():
            data = as_data(item)
            rank = sensitivity_rank(data.get("sensitivity") or "public")
            for path, text, text_rank in _strings(data, (), rank):
                yield ("content", collection, item_id, *path), text, text_rank, every
    for brief in model.project.briefs:
        data = as_data(brief)
        for key in _BRIEF_TEXTS:
            if data.get(key) is not None:
                for path, text, _rank in _strings(data[key], (key,), 0):
                    yield ("settings", "briefs", brief.id, *path), text, 0, clearances[brief.id]


def _strings(value: Any, path: tuple[Any, ...], rank: int) -> Iterator[tuple[tuple[Any, ...], str, int]]:
    if isinstance(value, str):
        yield path, value, rank
    elif isinstance(value, dict):
        if isinstance(value.get("sensitivity"), str):
            rank = max(rank, sensitivity_rank(value["sensitivity"]))
        for key, child in value.items():
            if key not in NOT_CHECKED and key != "pseudonym":
                yield from _strings(child, (*path, key), rank)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _strings(child, (*path, index), rank)


def _folded(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def _whole_words(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a name of its own: not part of a longer word, or of a
    syllable whose vowel sign follows (Devanagari "राम" in "रामा"). A hyphen or an
    apostrophe ends a word: "Sviryd-led" and "Sviryd's" name him, and a warning too many
    costs less than a name missed."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (_in_word(before) or _in_word(after))


def _in_word(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char) in ("Mn", "Mc")
