"""Line spacing that holds in any font: w:spacing for headings, and a guard for pictures.

Word's "auto" line spacing is a multiple of the font's own line height, so a multiple
computed from Noto's metrics (to match the PDF's CSS line-height) sets lines too close in
any other font: on a machine without Noto the cover title's lines overlapped. Two rules:

- headings (text only, short, set large) get exact points, the CSS line-height times the
  font size, which is what the PDF does whatever the font;
- a paragraph that holds a picture never has exact spacing or a multiple below 1: Word and
  LibreOffice clip an inline picture to such a line (the cover logo lost its top).
"""

from __future__ import annotations

from docx.oxml.ns import nsmap
from lxml import etree

from .oxml import PPR_ORDER, props, qn

SINGLE = 240  # w:line of single spacing, lineRule auto
# Inline pictures only: a floating one (a card's portrait) is not set in a line.
_DRAWING_PARAGRAPHS = etree.XPath(
    # From each picture up to its paragraphs: the paragraphs that hold one, in document
    # order, without testing every paragraph of the body for a picture inside.
    ".//w:drawing/wp:inline/ancestor::w:p",
    namespaces={"w": nsmap["w"], "wp": nsmap["wp"]},
)


def exact(size_pt: float, line_height: float) -> dict:
    """w:spacing attributes for lines `line_height` times `size_pt` apart, in any font."""
    return {"line": round(size_pt * line_height * 20), "lineRule": "exact"}


def single() -> dict:
    return {"line": SINGLE, "lineRule": "auto"}


def holds_a_picture(line: int | None, rule: str | None) -> bool:
    """Whether a picture fits this spacing: at least single, or at least so many points."""
    if line is None:
        return True
    if rule in (None, "auto"):
        return line >= SINGLE
    return rule == "atLeast"


def keep_pictures_whole(body: etree._Element, styles: etree._Element) -> None:
    """Give every paragraph holding a picture at least single spacing where its style or its
    own properties would set less (a theme with a tight line height, a picture in a heading)."""
    resolver = _Resolver(styles)
    for paragraph in _DRAWING_PARAGRAPHS(body):
        line, rule = resolver.line(paragraph)
        if holds_a_picture(line, rule):
            continue
        ppr = paragraph.find(qn("w:pPr"))
        if ppr is None:
            ppr = etree.Element(qn("w:pPr"))
            paragraph.insert(0, ppr)
        spacing = ppr.find(qn("w:spacing"))
        if spacing is None:
            spacing = props("w:pPr", PPR_ORDER, {"spacing": single()})[0]
            _insert_in_order(ppr, spacing)
        else:
            spacing.set(qn("w:line"), str(SINGLE))
            spacing.set(qn("w:lineRule"), "auto")


class _Resolver:
    """A paragraph's effective w:line and w:lineRule: its own, its style's (through
    w:basedOn), or the document defaults'."""

    def __init__(self, styles: etree._Element):
        self.by_id = {s.get(qn("w:styleId")): s for s in styles.iterchildren(qn("w:style"))}
        default = styles.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")
        self.default = _line(default) if default is not None else (None, None)
        self.default_style = next(
            (
                s
                for s in styles.iterchildren(qn("w:style"))
                if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true", "on")
            ),
            None,
        )

    def line(self, paragraph: etree._Element) -> tuple[int | None, str | None]:
        ppr = paragraph.find(qn("w:pPr"))
        own = _line(ppr) if ppr is not None else (None, None)
        if own[0] is not None:
            return own
        style_el = ppr.find(qn("w:pStyle")) if ppr is not None else None
        style = self.by_id.get(style_el.get(qn("w:val"))) if style_el is not None else self.default_style
        seen: set[int] = set()
        while style is not None and id(style) not in seen:
            seen.add(id(style))
            style_ppr = style.find(qn("w:pPr"))
            found = _line(style_ppr) if style_ppr is not None else (None, None)
            if found[0] is not None:
                return found
            based = style.find(qn("w:basedOn"))
            style = self.by_id.get(based.get(qn("w:val"))) if based is not None else None
        return self.default


def _line(ppr: etree._Element) -> tuple[int | None, str | None]:
    spacing = ppr.find(qn("w:spacing"))
    if spacing is None or spacing.get(qn("w:line")) is None:
        return None, None
    try:
        return int(spacing.get(qn("w:line"))), spacing.get(qn("w:lineRule"))
    except ValueError:
        return None, None


def _insert_in_order(ppr: etree._Element, child: etree._Element) -> None:
    rank = {qn(f"w:{name}"): i for i, name in enumerate(PPR_ORDER)}
    mine = rank[child.tag]
    for i, existing in enumerate(ppr):
        if rank.get(existing.tag, len(PPR_ORDER)) > mine:
            ppr.insert(i, child)
            return
    ppr.append(child)
