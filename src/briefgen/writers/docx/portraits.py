"""A card's portraits -> pictures anchored beside its heading, as the PDF floats them.

The print CSS floats `.card img.photo` to the right (28 mm wide, 4 mm of air to its left,
3 mm below), so the heading, the roles and the status line run beside the portrait. In the
DOCX the walker first places each portrait as an inline picture in a `Card Photo` paragraph
of its own, above the heading; here those paragraphs become floating pictures (wp:anchor)
with square wrapping, anchored in the card's first text paragraph (its heading), at the
right of the card's cell (`layoutInCell`), side by side from the right for several people.
An inline picture above the heading both pushed the heading down and, in a row that a keep
could not split, was cut off at the top of a page; a floating one is not set in a line.
"""

from __future__ import annotations

from docx.oxml.ns import nsmap
from lxml import etree

from .oxml import EMU_PER_MM, qn

WP = nsmap["wp"]
GAP_MM = 4  # `margin: 0 0 3mm 4mm` in the print CSS: air left of and below a portrait
BELOW_MM = 3


def _wp(tag: str) -> str:
    return f"{{{WP}}}{tag}"


def float_portraits(tc: etree._Element, photo_style: str, width_twips: int, z_order) -> None:
    """Turn the `photo_style` paragraphs that open the cell `tc` into pictures anchored
    in the next paragraph, right-aligned in a text area `width_twips` wide. `z_order()` gives
    each anchor its own relativeHeight (drawing order)."""
    blocks = [child for child in tc if child.tag != qn("w:tcPr")]
    photos: list[etree._Element] = []
    for block in blocks:
        if block.tag == qn("w:p") and _style(block) == photo_style:
            photos.append(block)
        else:
            break
    if not photos or len(photos) == len(blocks) or blocks[len(photos)].tag != qn("w:p"):
        return
    anchor_in = blocks[len(photos)]
    inlines = [inline for p in photos for inline in p.iter(_wp("inline"))]
    ppr = anchor_in.find(qn("w:pPr"))
    at = 0 if ppr is None else list(anchor_in).index(ppr) + 1
    right = width_twips * 635  # EMU from the text area's left edge
    for inline in inlines:
        cx = int(inline.find(_wp("extent")).get("cx"))
        run = etree.Element(qn("w:r"))
        etree.SubElement(run, qn("w:drawing")).append(_anchor(inline, right - cx, next(z_order)))
        anchor_in.insert(at, run)
        at += 1
        right -= cx + GAP_MM * EMU_PER_MM
    # The paragraphs that held them go; a bookmark one carried moves with the picture.
    for p in photos:
        for mark in p.iterchildren(qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
            anchor_in.insert(at, mark)
            at += 1
        tc.remove(p)


def _anchor(inline: etree._Element, x_emu: int, z: int) -> etree._Element:
    """A wp:anchor with the inline picture's extent, description and graphic."""
    anchor = etree.Element(_wp("anchor"))
    for name, value in (
        ("distT", 0),
        ("distB", BELOW_MM * EMU_PER_MM),
        ("distL", GAP_MM * EMU_PER_MM),
        ("distR", 0),
        ("simplePos", 0),
        ("relativeHeight", z),
        ("behindDoc", 0),
        ("locked", 0),
        ("layoutInCell", 1),
        ("allowOverlap", 0),
    ):
        anchor.set(name, str(value))
    simple = etree.SubElement(anchor, _wp("simplePos"))
    simple.set("x", "0")
    simple.set("y", "0")
    horizontal = etree.SubElement(anchor, _wp("positionH"), relativeFrom="column")
    etree.SubElement(horizontal, _wp("posOffset")).text = str(max(0, x_emu))
    vertical = etree.SubElement(anchor, _wp("positionV"), relativeFrom="paragraph")
    etree.SubElement(vertical, _wp("posOffset")).text = "0"
    anchor.append(inline.find(_wp("extent")))
    effect = inline.find(_wp("effectExtent"))
    if effect is None:
        effect = etree.Element(_wp("effectExtent"), l="0", t="0", r="0", b="0")
    anchor.append(effect)
    etree.SubElement(anchor, _wp("wrapSquare"), wrapText="bothSides")
    for tag in ("docPr", "cNvGraphicFramePr"):
        child = inline.find(_wp(tag))
        if child is not None:
            anchor.append(child)
    anchor.append(inline.find(f"{{{nsmap['a']}}}graphic"))
    return anchor


def _style(p: etree._Element) -> str | None:
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return None if style is None else style.get(qn("w:val"))
