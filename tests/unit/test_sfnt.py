"""sfnt.py reads a font's tables as fontTools does, and leaves what is not a plain font file to it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from briefgen import sfnt
from briefgen.fonts import cmap_ranges
from briefgen.theme import DEFAULT_THEME_DIR

FONTS = sorted((DEFAULT_THEME_DIR / "fonts").glob("*.ttf"))
CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


@pytest.mark.parametrize("path", FONTS[:6], ids=lambda p: p.name)
def test_tables_are_the_bytes_fonttools_reads(path):
    font = TTFont(str(path), lazy=True)
    for tag in ("cmap", "OS/2", "head", "name"):
        assert sfnt.table(path, tag) == font.reader[tag]
    os2, head = sfnt.table(path, "OS/2"), sfnt.table(path, "head")
    assert sfnt.uint16(os2, 74) == font["OS/2"].usWinAscent
    assert sfnt.uint16(os2, 76) == font["OS/2"].usWinDescent
    assert sfnt.uint16(head, 18) == font["head"].unitsPerEm
    assert sfnt.table(path, "CFF ") == b""  # no such table
    assert sfnt.uint16(b"\x01", 0) is None


def test_what_is_not_a_plain_font_file_is_left_to_fonttools(tmp_path):
    text = tmp_path / "OFL.txt"
    text.write_text("SIL Open Font License")
    assert sfnt.table(text, "cmap") is None
    woff = tmp_path / "font.woff"
    font = TTFont(str(FONTS[0]))
    font.flavor = "woff"
    font.save(str(woff))
    assert sfnt.table(woff, "cmap") is None
    cut = tmp_path / "cut.ttf"
    cut.write_bytes(FONTS[0].read_bytes()[:20])
    assert sfnt.table(cut, "cmap") is None
    if CJK.is_file():  # a collection (fonts-noto-cjk)
        assert sfnt.table(CJK, "cmap") is None


def test_character_map_ranges_of_a_plain_file_and_of_a_collection_face():
    plain = cmap_ranges(FONTS[0], None)
    codes = set(TTFont(str(FONTS[0]), lazy=True).getBestCmap())
    assert all(any(a <= code <= b for a, b in plain) for code in codes)
    if CJK.is_file():  # a collection's face still goes through fontTools
        ranges = cmap_ranges(CJK, "Noto Sans CJK JP")
        assert any(a <= 0x4E00 <= b for a, b in ranges)
