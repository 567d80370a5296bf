"""Column widths: the labels of a table column -> the share of the text block it needs.

A timeline's Type column holds short labels: "Arrest", "Detention extended", in French
"Interdiction de quitter le territoire". In a column narrower than its longest label the
label wraps ("Detention exten-ded" where hyphenation is on), and the wrapped lines of two
cells side by side interleave for anyone who reads the text out of the PDF. So the column
is made as wide as its longest label, measured in the theme's body font at the tables' size
(HarfBuzz advance widths), within bounds; the template writes the widths into its
<colgroup>, which WeasyPrint and the DOCX writer both read.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .theme import Theme
from .tokens import PAGE_SIZES

PT_PER_MM = 72 / 25.4
TABLE_SCALE = 0.92  # print.css: table { font-size: 0.92em }
GUESSED_ADVANCE = 0.6  # em, for a character the body font lacks (another script's font draws it)


def fitted_widths(
    labels: list[str], theme: Theme, fixed: float, least: float, most: float
) -> tuple[float, float, float]:
    """(fixed, label column, rest) in percent of the text block: the label column as wide as
    its longest label on one line, at least `least` and at most `most` percent."""
    needed = max((label_width_pt(label, theme) for label in labels), default=0.0)
    padding = 2 * float(theme.tokens.tables.cell_padding_side)
    share = 100 * (needed + padding) / text_block_pt(theme)
    # Rounded up to a half per cent: the label fits with what rounding takes away.
    label_column = min(max(least, -(-share * 2 // 1) / 2), most)
    return fixed, label_column, round(100 - fixed - label_column, 1)


def text_block_pt(theme: Theme) -> float:
    """The width between the page's side margins, in points."""
    words = str(theme.tokens.page.size).lower().split()
    width, height = PAGE_SIZES.get(words[0], PAGE_SIZES["a4"]) if words else PAGE_SIZES["a4"]
    if "landscape" in words:
        width = height
    page = theme.tokens.page
    return (width - float(page.margin_inner) - float(page.margin_outer)) * PT_PER_MM


def label_width_pt(text: str, theme: Theme) -> float:
    """The advance width of `text` in the theme's regular body font at the tables' size."""
    size = float(theme.sizes["body"]) * TABLE_SCALE
    path = _body_font_file(theme)
    font = _font(str(path)) if path is not None else None
    if font is None:
        return GUESSED_ADVANCE * len(text) * size
    units = font.face.upem
    em = sum(_advance(font, ch, GUESSED_ADVANCE * units) for ch in text) / units
    return em * size


def _body_font_file(theme: Theme) -> Path | None:
    for face in theme.font_files:
        if face.family == theme.body_font and face.weight == 400 and face.style == "normal":
            return face.path
    return None


@lru_cache(maxsize=8)
def _font(path: str):
    """The font at `path` (HarfBuzz, which reads only the glyphs asked for: fontTools read
    every glyph's name and advance first, a tenth of a second on Noto), or None when unreadable."""
    import uharfbuzz as hb

    try:
        face = hb.Face(hb.Blob.from_file_path(path))
    except Exception:  # not a font: the theme's check and WeasyPrint say so
        return None
    return hb.Font(face) if face.upem else None


@lru_cache(maxsize=4096)
def _advance(font, char: str, guessed: float) -> float:
    """The advance of `char` in font units (the font's own scale), or `guessed` when the
    font has no glyph for it."""
    glyph = font.get_nominal_glyph(ord(char))
    return guessed if glyph is None else font.get_glyph_h_advance(glyph)
