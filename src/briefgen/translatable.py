"""Translatable texts: model + briefs + clearance -> every localized value the briefs show.

The select stage decides what an output shows, and it is where confidentiality is enforced;
this module asks it rather than walking the content itself. A `Collector` is a Selector that
notes each localized value it chooses (item, field, value), so a text above the clearance
never reaches a PO file for the same reason it never reaches a PDF.

Each noted value becomes a `Translatable`: a stable path (`cases/x/summary`,
`cases/x/timeline/2/text`, `briefs/y/key_messages/0`) that `translate import` and
`yamledit` resolve in the YAML files, the source text in the project language, the existing
translations, where it is written, and whether it is markdown. `markers` lists what a
translation must keep: citations, footnotes, placeholders and link targets.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .model import (  # the field helpers are the model's; translate.py imports them from here
    CITATION_RE,
    COLLECTIONS,
    SETTINGS_COLLECTIONS,
    Audience,
    Brief,
    Model,
    field_path,
    is_localized,
    is_markdown,
    sensitivity_rank,
    value_type,
)
from .plan import brief_audiences, brief_recipients
from .select import Selector


@dataclass(frozen=True)
class Translatable:
    """One localized value as written in the project."""

    collection: str
    item_id: str
    field: tuple[str | int, ...]  # e.g. ("timeline", 2, "text")
    value: Any  # the model's value: a text, or {language: text}
    markdown: bool
    # A localized list ({en: [...], fr: [...]}): `value` holds each language's entry at this
    # position, and a translation is the entry at the same position of that language's list.
    in_list: bool = False

    @property
    def context(self) -> str:
        """The stable path: the PO file's msgctxt."""
        return "/".join(str(p) for p in (self.collection, self.item_id, *self.field))

    @property
    def yaml_path(self) -> tuple[str | int, ...]:
        """Where the value is in its YAML file (see yamledit paths)."""
        return (self.collection, self.item_id, *self.field)

    def source(self, language: str) -> str | None:
        """The text in the project language (None if it has none)."""
        if isinstance(self.value, str):
            return self.value
        return self.value.get(language)

    def translation(self, language: str) -> str | None:
        if isinstance(self.value, str):
            return None
        for lang in (language, language.split("-")[0]):
            if lang in self.value:
                return self.value[lang]
        return None

    def where(self, model: Model, language: str) -> tuple[str, int]:
        """(file, line) of the source text, for `#:` references and messages."""
        if self.in_list:
            path = (*self.field[:-1], language, self.field[-1])
        else:
            path = self.field if isinstance(self.value, str) else (*self.field, language)
        if self.collection in SETTINGS_COLLECTIONS:
            loc = model.settings_locate(self.collection, self.item_id, *path)
        else:
            loc = model.locate(self.collection, self.item_id, *path)
        return loc.path, loc.line


class Collector(Selector):
    """A Selector that notes every localized value it picks for the output."""

    def __init__(self, *args: Any, noted: list[tuple[str, str, str, Any]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.noted = noted

    def text(
        self, value: Any, collection: str = "", item_id: str = "", field_name: str = "", chosen: bool = False
    ) -> str | None:
        if value is not None and collection and item_id and field_name:
            self.noted.append((collection, item_id, field_name, value))
        return super().text(value, collection, item_id, field_name, chosen)


def shown_texts(
    model: Model,
    brief: Brief,
    clearance: str | None = None,
    language: str | None = None,
) -> list[Translatable]:
    """Every localized value an output of `brief` shows: to an audience of `clearance`
    (None: each of the brief's own audiences), recipients' copies included."""
    language = language or model.project.language
    noted: list[tuple[str, str, str, Any]] = []
    if clearance is not None:
        audiences = [Audience(id="translation", clearance=clearance)]  # type: ignore[arg-type]
    else:
        audiences = brief_audiences(model, brief)
    recipients = brief_recipients(model, brief)
    for audience in audiences:
        rank = sensitivity_rank(audience.clearance)
        Collector(model, brief, audience, language, noted=noted).select()
        for recipient in recipients:
            # A recipient's own details are shown only in their copy; the export takes them
            # only where the recipient item itself is within the clearance.
            own: list[tuple[str, str, str, Any]] = []
            Collector(model, brief, audience, language, recipient, noted=own).select()
            allowed = sensitivity_rank(recipient.sensitivity) <= rank
            noted.extend(n for n in own if n[0] != "recipients" or allowed)
        if clearance is None:
            noted += _audience_texts(audience)
    if clearance is not None:  # the names and markings of the brief's audiences within it
        for audience in brief_audiences(model, brief):
            if sensitivity_rank(audience.clearance) <= sensitivity_rank(clearance):
                noted += _audience_texts(audience)
    found: dict[str, Translatable] = {}
    for collection, item_id, name, value in noted:
        path = field_path(name)
        annotation = value_type(collection, path)
        if annotation is None or not is_localized(annotation):
            continue  # not a field of the item as written (a computed text)
        if collection == "people" and path == ("pseudonym",):
            continue  # shown only for a withheld person, whose id the path would name
        lists = written_value(model, collection, item_id, path[:-1]) if isinstance(path[-1], int) else None
        if isinstance(lists, dict):  # a localized list: every entry of the project language's
            for text in list_entries(
                collection, item_id, path[:-1], lists, model.project.language, annotation
            ):
                found.setdefault(text.context, text)
            continue
        text = Translatable(collection, item_id, path, value, is_markdown(annotation))
        found.setdefault(text.context, text)
    return list(found.values())


def _audience_texts(audience: Audience) -> list[tuple[str, str, str, Any]]:
    """An audience's texts its outputs print: its name, and its protective marking (on the
    cover and every page), which `--strict` wants in every language as any other text."""
    return [
        ("audiences", audience.id, name, value)
        for name, value in (("name", audience.name), ("marking", audience.marking))
        if value is not None
    ]


def written_value(model: Model, collection: str, item_id: str, path: tuple[str | int, ...]) -> Any:
    """The model's value at `path` in an item (None if there is none)."""
    if collection in SETTINGS_COLLECTIONS:
        items = model.project.briefs if collection == "briefs" else model.project.audiences
        value: Any = next((i for i in items if i.id == item_id), None)
    else:
        value = model.get(collection, item_id) if collection in COLLECTIONS else None
    for part in path:
        if value is None:
            return None
        if isinstance(part, int):
            value = value[part] if isinstance(value, list | tuple) and 0 <= part < len(value) else None
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            value = getattr(value, part, None)
    return value


def list_entries(
    collection: str, item_id: str, path: tuple[str | int, ...], lists: dict, language: str, annotation: Any
) -> list[Translatable]:
    """The entries of a localized list ({en: [...], fr: [...]}), one per position of the
    project language's list, each with the other languages' entries at that position."""
    return [
        Translatable(
            collection,
            item_id,
            (*path, index),
            {lang: entries[index] for lang, entries in lists.items() if index < len(entries)},
            is_markdown(annotation),
            in_list=True,
        )
        for index in range(len(lists.get(language) or []))
    ]


# ---------------------------------------------------------------- what a translation keeps

_FOOTNOTE_RE = re.compile(r"\[\^([^\]\s]+)\]")
_PLACEHOLDER_RE = re.compile(r"\{[A-Za-z_][\w.]*\}")
_LINK_TARGET_RE = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
_AUTOLINK_RE = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_BARE_URL_RE = re.compile(r"(?<![(<])\bhttps?://[^\s)>\]]+")
_REFERENCE_DEF_RE = re.compile(r"^\s{0,3}\[[^\]^]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)

MARKER_KINDS = ("citation", "footnote", "placeholder", "link target")


def markers(text: str) -> dict[str, Counter[str]]:
    """What a translation must keep from its source, by kind: citations (`[@id, p. 3]`,
    compared by source and locator), footnote markers (`[^1]`), placeholders
    (`{recipient.name}`) and link targets (`](https://...)`, `<https://...>`, bare URLs)."""
    citations = Counter(
        f"[@{m.group(1)}" + (f", {' '.join(m.group(2).split())}" if m.group(2) else "") + "]"
        for m in CITATION_RE.finditer(text)
    )
    targets = Counter(m.group(1) for m in _LINK_TARGET_RE.finditer(text))
    targets.update(m.group(1) for m in _AUTOLINK_RE.finditer(text))
    targets.update(m.group(1) for m in _REFERENCE_DEF_RE.finditer(text))
    inline = {m.group(1) for m in _LINK_TARGET_RE.finditer(text)} | {
        m.group(1) for m in _AUTOLINK_RE.finditer(text)
    }
    targets.update(
        m.group(0).rstrip(".,;:!?") for m in _BARE_URL_RE.finditer(text) if m.group(0) not in inline
    )
    return {
        "citation": citations,
        "footnote": Counter(f"[^{m.group(1)}]" for m in _FOOTNOTE_RE.finditer(text)),
        "placeholder": Counter(_PLACEHOLDER_RE.findall(text)),
        "link target": targets,
    }


def marker_problems(source: str, translation: str) -> list[str]:
    """How `translation` differs from `source` in what it must keep (empty: it keeps all)."""
    wanted, got = markers(source), markers(translation)
    problems = []
    for kind in MARKER_KINDS:
        lost = wanted[kind] - got[kind]
        extra = got[kind] - wanted[kind]
        if lost and extra:
            problems.append(
                f"the {kind} {_list(lost)} was changed to {_list(extra)}"
                if sum(lost.values()) == 1 == sum(extra.values())
                else f"the {kind}s {_list(lost)} were changed to {_list(extra)}"
            )
        elif lost:
            problems.append(f"the translation lost the {kind} {_list(lost)}")
        elif extra:
            problems.append(f"the translation adds the {kind} {_list(extra)}, which the source text lacks")
    return problems


def _list(counter: Counter[str]) -> str:
    return ", ".join(sorted(counter.elements()))


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))
