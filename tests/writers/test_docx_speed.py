"""What the DOCX build does faster must still give the same answers (issue 21).

Each shortcut is checked against the slower way it replaced, on real documents: the package
zipped once equals python-docx's own zip re-zipped; the glyph check and the bidi fast path
decide as a character-by-character pass does.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from test_docx_writer import rendered

from briefgen import bidi
from briefgen.fonts import chain, check_rendered
from briefgen.theme import BUILTIN_THEMES, load_theme
from briefgen.writers.docx import build
from briefgen.writers.docx import package as docx_package

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAMPLE = FIXTURES / "vocabulary-sample.html"


def test_package_zipped_once_equals_python_docx_zip_rezipped():
    data = build(rendered(SAMPLE.read_text(encoding="utf-8")))
    package = docx.Document(io.BytesIO(data)).part.package
    through_python_docx = io.BytesIO()
    package.save(through_python_docx)
    expected = docx_package.reproducible_zip(through_python_docx.getvalue())
    assert docx_package.save(package) == expected
    # Every part python-docx writes is there (fonts, media, footnotes), and nothing else.
    with zipfile.ZipFile(io.BytesIO(data)) as written, zipfile.ZipFile(through_python_docx) as theirs:
        assert sorted(written.namelist()) == sorted(theirs.namelist())
        assert any(name.startswith("word/fonts/") for name in written.namelist())
        assert any(name.startswith("word/media/") for name in written.namelist())


def test_glyph_check_of_each_character_once_finds_what_every_character_finds():
    theme = load_theme(BUILTIN_THEMES / "default")
    # U+E000 (private use) and U+1F9FF (an emoji) are in no font of the default theme.
    html = "<p>Günel \ue000 Məmmədova \U0001f9ff, Тамара \ue000 ნინო</p>" * 50
    found = check_rendered(html, theme, FIXTURES, "policy-brief.html.j2")
    assert [d.message.split(" ")[0] for d in found] == [
        d.message.split(" ")[0] for d in _each_character(html, theme)
    ]
    assert len(found) == 2
    assert "U+E000" in found[0].message and "U+1F9FF" in found[1].message


def _each_character(html: str, theme):
    """check_rendered as it was: every character of the text, repeats included."""
    from briefgen.diagnostics import error
    from briefgen.fonts import _visible_text, uncovered_message

    chain_ = chain(theme)
    found = dict.fromkeys(char for _, char in chain_.uncovered(_visible_text(html)))
    return [error("templates/x", 0, 0, *uncovered_message(char, chain_)) for char in found]


def test_bidi_fast_path_leaves_left_to_right_text_alone_and_isolates_any_right_to_left_run():
    latin = "<p>Günel Məmmədova, Тамара Ковальчук, ნინო ბერიძე (2016) – “quoted”.</p>" * 200
    assert bidi.isolate(latin, "en") is latin
    # One Hebrew letter at the very end is enough to take the full path.
    mixed = latin + "<p>the lawyer of \u05d0, 42.</p>"
    isolated = bidi.isolate(mixed, "en")
    assert '<bdi dir="rtl">\u05d0</bdi>' in isolated
    assert isolated.startswith(latin)


def test_label_widths_from_harfbuzz_equal_fonttools_advance_widths():
    from fontTools.ttLib import TTFont

    from briefgen.columns import GUESSED_ADVANCE, TABLE_SCALE, _body_font_file, label_width_pt

    theme = load_theme(BUILTIN_THEMES / "default")
    with TTFont(str(_body_font_file(theme)), lazy=True) as font:
        metrics, cmap, units = font["hmtx"].metrics, font.getBestCmap(), font["head"].unitsPerEm
    size = float(theme.sizes["body"]) * TABLE_SCALE
    # Latin, Azerbaijani, Cyrillic, and a character the body font lacks (guessed).
    for label in ("Arrest", "Interdiction de quitter le territoire", "Həbs", "Задержание", "ნინო", ""):
        advances = [metrics[cmap[ord(c)]][0] if ord(c) in cmap else GUESSED_ADVANCE * units for c in label]
        assert label_width_pt(label, theme) == sum(advances) / units * size, label
    assert label_width_pt("Detention extended", theme) > label_width_pt("Arrest", theme) > 0


def test_harfbuzz_subset_is_embedded_as_is_when_it_needs_no_conversion():
    from fontTools.ttLib import TTFont

    from briefgen.writers.docx.embedded_fonts import (
        FontSource,
        _converted,
        _harfbuzz_subset,
        truetype_subset,
    )

    theme = load_theme(BUILTIN_THEMES / "default")
    text = "Günel Məmmədova, Тамара Ковальчук 0123456789 – “AZ”"
    for file in theme.font_files[:4]:
        source = FontSource(file.path)
        data, subsetted, held = truetype_subset(source, text, file.family)
        assert data == _harfbuzz_subset(source, text) and subsetted  # no second pass
        # What the fontTools pass says of the same subset: same characters, same font.
        converted, _, converted_held = _converted(source, data, file.family)
        assert held == converted_held
        assert "ə" in held and "Т" in held
        font = TTFont(io.BytesIO(data))
        assert "glyf" in font and file.family in {str(r) for r in font["name"].names if r.nameID == 1}
        assert sorted(font.getBestCmap()) == sorted(TTFont(io.BytesIO(converted)).getBestCmap())
    # A family the font does not call itself is renamed: that takes the fontTools pass.
    renamed, _, _ = truetype_subset(FontSource(theme.font_files[0].path), text, "Briefing Serif")
    names = {str(r) for r in TTFont(io.BytesIO(renamed))["name"].names if r.nameID == 1}
    assert names == {"Briefing Serif"}


def test_properties_are_written_in_schema_order_whatever_order_they_are_given_in():
    from lxml import etree

    from briefgen.writers.docx.oxml import RPR_ORDER, props, qn

    lang = etree.Element(qn("w:lang"))
    spec = {"lang": lang, "vertAlign": {"val": "superscript"}, "b": True, "i": False, "rStyle": {"val": "X"}}
    el = props("w:rPr", RPR_ORDER, spec)
    assert [etree.QName(child).localname for child in el] == ["rStyle", "b", "vertAlign", "lang"]
    assert el[0].get(qn("w:val")) == "X" and el[3] is lang
    assert props("w:rPr", RPR_ORDER, {"b": None, "i": False}) is None
    try:
        props("w:rPr", RPR_ORDER, {"jc": {"val": "left"}})
    except ValueError as exc:
        assert "cannot place ['jc']" in str(exc)
    else:
        raise AssertionError("an unknown property must be refused")


def test_word_count_leaves_out_the_contents_as_walking_ancestors_does():
    from briefgen.parsed import ParsedDocument, _classes, _inside

    html = SAMPLE.read_text(encoding="utf-8")
    toc = '<nav class="toc"><h2>Contents</h2><ol><li><a href="#a">One two three</a></li></ol></nav>'
    html = html.replace("<body>", "<body>" + toc, 1)
    parsed = ParsedDocument(html).with_contents()
    assert parsed.contents_nav() is not None
    body, nav = parsed.tree.find("body"), parsed.contents_nav()
    words = breaks = 0
    for element in body.iter():  # as words_and_breaks counted before
        inside = element is nav or _inside(element, nav)
        if not inside and isinstance(element.tag, str):
            words += len((element.text or "").split())
            breaks += "page-break" in _classes(element)
        if element is not body and (not inside or element is nav):
            words += len((element.tail or "").split())
    assert parsed.words_and_breaks() == (words, breaks)
    assert words > 100


def test_text_without_a_script_of_the_chain_is_one_run_as_the_chain_cuts_it():
    from briefgen.fonts import script_runs

    chain_ = chain(load_theme(BUILTIN_THEMES / "default"))
    for text in ("Günel Məmmədova (2016), “Тамара Ковальчук” – Ørjan Ødegård…", "Ĳ ǅ ȸ ʯ ˿ ͳ Ͽ Ӿ ԯ", "a"):
        assert not any(chain_.script_of(c) for c in text)
        assert script_runs(text, chain_) == [(text, None)]
    # Text in a script of the chain (Georgian here) is cut where the script changes.
    assert [script.key for _, script in script_runs("Nino “ნინო”", chain_) if script] == ["georgian"]
