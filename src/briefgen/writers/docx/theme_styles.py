"""Theme `styles` -> named Word styles: each custom class's look (classstyles.ClassLook) as
the DOCX carries it, from the same values as the print CSS's `.NAME` rule.

For a class `ask`:
- paragraph style "Ask" (based on Body Text): the text colour, font, size, bold and italic,
  and the background as paragraph shading, so a paragraph in it has the box's colours even
  outside the box;
- table style "Ask Box" (when the class has a background or border): the one-cell table
  around the styled block, with its shading, its border on all four sides and the padding of
  the `boxes` tokens, as the PDF's box;
- paragraph styles "Ask Heading 1" .. "Ask Heading 4" (when the class sets a text colour):
  the headings inside, in that colour, as `.ask h2` in the print CSS.
styled_blocks.py puts them on the paragraphs and tables of the block.
"""

from __future__ import annotations

from lxml import etree

from ...classstyles import ClassLook
from ...theme import Theme
from .styles import _border, _borders, _fonts, _hp, _margins, _style, box_cell_margin, twips_mm


def class_styles(theme: Theme, taken: set[str]) -> list[etree._Element]:
    """The Word styles of the theme's custom classes; `taken` are the names (lower case) of
    the styles already defined, which a class's style must not replace."""
    out = []
    for look in theme.class_styles.values():
        if look.word_name.lower() in taken:
            continue  # e.g. a class `quote`: Word's Quote stays; the look goes on the box only
        out.append(paragraph_style(look))
        if look.boxed:
            out.append(box_style(theme, look))
        if look.color:
            out.extend(heading_styles(look))
    return out


def style_id(name: str) -> str:
    return "".join(ch for ch in name if ch.isalnum())


def _set(spec: dict) -> dict | None:
    """Only the properties the class sets (None when it sets none)."""
    return {k: v for k, v in spec.items() if v is not None} or None


def _rpr(look: ClassLook) -> dict | None:
    return _set(
        {
            "rFonts": _fonts(look.font) if look.font else None,
            "b": None if look.bold is None else {"val": 1 if look.bold else 0},
            "i": None if look.italic is None else {"val": 1 if look.italic else 0},
            "color": {"val": look.color} if look.color else None,
            "sz": _hp(look.size) if look.size else None,
            "szCs": _hp(look.size) if look.size else None,
        }
    )


def _shading(look: ClassLook) -> dict | None:
    return {"val": "clear", "color": "auto", "fill": look.background} if look.background else None


def paragraph_style(look: ClassLook) -> etree._Element:
    return _style(
        "paragraph",
        look.word_name,
        style_id(look.word_name),
        based="BodyText",
        next_=style_id(look.word_name),
        qformat=True,
        ppr=_set({"shd": _shading(look)}),
        rpr=_rpr(look),
    )


def box_style(theme: Theme, look: ClassLook) -> etree._Element:
    side = box_cell_margin(theme)
    top, bottom = twips_mm(theme.boxes.padding_top), twips_mm(theme.boxes.padding_bottom)
    # w:sz is in eighths of a point (2 to 96).
    line = _border(look.border, max(2, min(96, round(look.border_width * 8)))) if look.border else None
    sides = {"top": line, "left": line, "bottom": line, "right": line} if line else {}
    return _style(
        "table",
        look.box_name,
        style_id(look.box_name),
        based="TableNormal",
        tblpr=_set(
            {
                "tblBorders": _borders("w:tblBorders", **sides) if sides else None,
                "tblCellMar": _margins("w:tblCellMar", top, side, bottom, side),
            }
        ),
        tcpr=_set({"shd": _shading(look)}),
    )


def heading_styles(look: ClassLook) -> list[etree._Element]:
    return [
        _style(
            "paragraph",
            look.heading_name(level),
            style_id(look.heading_name(level)),
            based=f"Heading{level}",
            next_=style_id(look.word_name),
            rpr={"color": {"val": look.color}},
        )
        for level in range(1, 5)
    ]
