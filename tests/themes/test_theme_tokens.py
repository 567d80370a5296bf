"""Theme tokens drive both formats: a layout token changed in theme.yaml changes the print
CSS and the Word styles alike, so the two cannot drift apart."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from briefgen.render import theme_css
from briefgen.theme import DEFAULT_THEME_DIR, load_theme
from briefgen.writers.docx.oxml import qn
from briefgen.writers.docx.styles import generated_styles, page_geometry, twips_mm, twips_pt


def make_theme(tmp_path: Path, tokens: str):
    folder = tmp_path / "templates" / "brand"
    folder.mkdir(parents=True)
    (folder / "theme.yaml").write_text(tokens, encoding="utf-8")
    return load_theme(folder)


def styles_by_id(theme) -> dict[str, etree._Element]:
    return {s.get(qn("w:styleId")): s for s in generated_styles(theme, page_geometry(theme))}


def test_layout_tokens_reach_the_css_and_the_word_styles(tmp_path):
    theme = make_theme(
        tmp_path,
        "headings:\n  h2: {before: 20, after: 7}\n"
        "boxes: {padding_top: 6, padding_side: 8}\n"
        "tables: {cell_padding_vertical: 5, cell_padding_side: 6}\n"
        "logo: {gap: 30}\n",
    )
    css = theme_css(theme)
    assert "h2 { font-size: 13.5pt; margin: 20pt 0 7pt;" in css
    assert "padding: 6mm 8mm 2mm;" in css  # callouts and cards
    assert "padding: 5pt 6pt;" in css  # table cells
    assert "margin-bottom: 30mm;" in css  # below the cover logo
    styles = styles_by_id(theme)
    spacing = styles["Heading2"].find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    assert (spacing.get(qn("w:before")), spacing.get(qn("w:after"))) == (str(twips_pt(20)), str(twips_pt(7)))
    box = styles["CalloutBox"].find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
    assert box.find(qn("w:top")).get(qn("w:w")) == str(twips_mm(6))
    assert box.find(qn("w:left")).get(qn("w:w")) == str(twips_mm(8))
    cells = styles["BriefgenTable"].find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
    assert cells.find(qn("w:top")).get(qn("w:w")) == str(twips_pt(5))
    assert cells.find(qn("w:left")).get(qn("w:w")) == str(twips_pt(6))


def test_the_default_theme_keeps_its_layout(tmp_path):
    css = theme_css(load_theme(DEFAULT_THEME_DIR))
    assert "h1.section { border-bottom: 1.2pt solid #1d4e89; padding-bottom: 2pt; margin-top: 18pt; }" in css
    assert "h2 { font-size: 13.5pt; margin: 14pt 0 6pt; font-weight: 700; }" in css
    assert "padding: 4mm 5mm 2mm;" in css and "padding: 3pt 4pt;" in css


def test_short_colours_are_full_colours_in_word(tmp_path):
    theme = make_theme(tmp_path, 'colors: {brand: "#0a5"}\n')
    assert theme.color("brand") == "00AA55"
    assert theme.colors["brand"] == "#0a5"  # as written, for the CSS


def test_tokens_a_theme_leaves_out_are_the_default_themes(tmp_path):
    theme = make_theme(tmp_path, "name: brand\nsizes: {body: 11}\n")
    default = load_theme(DEFAULT_THEME_DIR)
    assert theme.sizes["body"] == 11.0 and theme.sizes["h1"] == default.sizes["h1"]
    assert theme.headings == default.headings and theme.font_files == default.font_files


def test_header_and_footer_lines_hold_in_any_font_and_fit_above_the_body(tmp_path):
    """The marking and the running line (two lines) in exact points, and the header and
    footer distances leave room for both inside the margins, however tight: with an auto
    multiple below 1 LibreOffice set the lines over one another in other fonts."""
    default = load_theme(DEFAULT_THEME_DIR)
    tight = make_theme(tmp_path, "page:\n  margin_top: 12\n  margin_bottom: 14\n")
    for theme in (default, tight):
        geometry = page_geometry(theme)
        styles = styles_by_id(theme)
        spacing = styles["Header"].find(f"{qn('w:pPr')}/{qn('w:spacing')}")
        assert spacing.get(qn("w:lineRule")) == "exact"
        line = int(spacing.get(qn("w:line")))
        assert line >= twips_pt(theme.sizes["small"])
        assert styles["Footer"].find(f"{qn('w:pPr')}/{qn('w:spacing')}").get(qn("w:lineRule")) == "exact"
        assert geometry.header + 2 * line <= geometry.top
        assert geometry.footer + 2 * line <= geometry.bottom
