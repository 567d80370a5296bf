"""The walker's state: where blocks go (Ctx), what inline elements ask for (InlineState), and a
paragraph being collected (Para: Segs, normalised as a browser collapses white space)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple

from docx.parts.story import StoryPart
from lxml import etree

if TYPE_CHECKING:
    from .html_walker import HtmlWalker

_WS = re.compile(r"[ \t\n\r\f]+")


class InlineState(NamedTuple):
    """What the inline elements around a piece of text ask for."""

    roles: tuple[str, ...] = ()  # character style roles: Strong, Emphasis, Code
    vert: str | None = None  # superscript / subscript
    link: tuple[str, str] | None = None  # ("rid", rId) or ("anchor", bookmark)

    def with_role(self, role: str) -> InlineState:
        return self if role in self.roles else self._replace(roles=(*self.roles, role))


PLAIN = InlineState()


class Seg(NamedTuple):
    """One piece of a paragraph before it becomes runs."""

    kind: str  # text | br | lit (text kept as is) | fnref | fnmark | drawing
    text: str = ""
    state: InlineState = PLAIN
    payload: object = None


@dataclass(frozen=True)
class Ctx:
    """Where blocks go and how text there is styled."""

    container: etree._Element  # w:body, w:tc or w:footnote
    part: StoryPart  # owner of hyperlink / image relationships
    width: int  # available width in twips
    p_style: str  # style of paragraphs (and anonymous text) here
    story: str = "body"  # body | footnote
    list_level: int = 0
    list_item: ListItem | None = None
    in_cover: bool = False
    look: str | None = None  # the theme class (`styles`) of the box around, for its headings
    in_card: bool = False  # directly in a card's cell: where `img.photo` is a portrait


def outside_list(ctx: Ctx) -> Ctx:
    """`ctx` without its list item (a heading or caption is never numbered as one); the
    same Ctx when it has none, as most have: dataclasses.replace is slow."""
    return ctx if ctx.list_item is None else replace(ctx, list_item=None)


class ListItem:
    """An <li>: its first paragraph is numbered, later ones continue at its indent."""

    def __init__(self, style: str, continue_style: str, num_id: int, ilvl: int):
        self.style = style
        self.continue_style = continue_style
        self.num_id = num_id
        self.ilvl = ilvl
        self.started = False


class Para:
    """A paragraph being collected; `finish()` turns it into a w:p in its container."""

    def __init__(self, walker: HtmlWalker, ctx: Ctx, style: str, num: tuple[int, int] | None = None):
        self.walker = walker
        self.ctx = ctx
        self.style = style
        self.num = num
        self.segs: list[Seg] = []

    def text(self, text: str | None, state: InlineState) -> None:
        if text:
            self.segs.append(Seg("text", text, state))

    def add(self, kind: str, *, text: str = "", payload: object = None, state: InlineState = PLAIN) -> None:
        self.segs.append(Seg(kind, text, state, payload))

    def finish(self, force: bool = False) -> etree._Element | None:
        return self.walker.emit(self, force)


def normalize(segs: list[Seg]) -> list[Seg]:
    """Collapse whitespace as HTML does, trim it at line starts and ends, merge like runs."""
    if len(segs) == 1 and segs[0].kind == "text":
        # A paragraph of one piece of text (three in four of a dossier's): collapsed, it has
        # at most one space at either end, which the loop below would trim.
        seg = segs[0]
        text = _WS.sub(" ", seg.text).strip(" ")
        return [Seg("text", text, seg.state, seg.payload)] if text else []
    out: list[Seg] = []
    space_before = True  # at the paragraph's start leading spaces go

    def rstrip() -> None:
        while out and out[-1].kind == "text":
            last = out[-1]
            text = last.text.rstrip(" ")
            if text:
                out[-1] = Seg(last.kind, text, last.state, last.payload)
                return
            out.pop()

    # New Segs are made with Seg(...), not _replace (a Python-level call of namedtuple's, a
    # few thousand a brief).
    for seg in segs:
        if seg.kind == "text":
            text = _WS.sub(" ", seg.text)
            if space_before and text.startswith(" "):
                text = text[1:]
            if not text:
                continue
            space_before = text.endswith(" ")
            last = out[-1] if out else None
            if last is not None and last.kind == "text" and last.state == seg.state:
                out[-1] = Seg("text", last.text + text, last.state, last.payload)
            else:
                out.append(Seg("text", text, seg.state, seg.payload))
        elif seg.kind == "br":
            rstrip()
            out.append(seg)
            space_before = True
        else:
            out.append(seg)
            space_before = seg.kind == "lit"
    rstrip()
    return out
