"""fonts.py and bidi.py: the theme's script chain, coverage, CSS, DOCX slots, isolation."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen import bidi, fonts
from briefgen.document import ResourceError
from briefgen.render import theme_css
from briefgen.resources import ResourceSandbox
from briefgen.theme import BUILTIN_THEMES, load_theme
from briefgen.yamlsource import read_yaml

DEFAULT = load_theme(BUILTIN_THEMES / "default")
CHAIN = fonts.chain(DEFAULT)

# Real names in every script the default theme covers.
NAMES = {
    "azerbaijani": "İntiqam Əliyev",
    "turkish": "Canan Kaftancıoğlu",
    "vietnamese": "Phạm Đoan Trang",
    "russian": "Наталья Эстемирова",
    "greek": "Νίκος Παπαδόπουλος",
    "georgian": "მზია ამაღლობელი",
    "armenian": "Ռուբեն Վարդանյան",
    "persian": "نرگس محمدی",
    "arabic": "علاء عبد الفتاح",
    "uyghur": "ئىلھام توختى",
    "hebrew": "ירושלים",
    "devanagari": "तीस्ता सीतलवाड़",
    "chinese": "伊力哈木·土赫提",
    "traditional": "黎智英",
    "japanese": "東京 ひらがな カタカナ",
    "korean": "서울",
}


@pytest.mark.parametrize("script", sorted(NAMES))
def test_every_script_of_a_briefing_is_covered(script):
    assert list(CHAIN.uncovered(NAMES[script])) == []


def test_persian_and_uyghur_letters_are_in_the_arabic_fonts():
    letters = "پچژگکیۀ" + "ئۆۇۈېىھەڭ"
    arabic = next(s for s in CHAIN.scripts if s.key == "arabic")
    for font in arabic.fonts:
        ranges = fonts.cmap_ranges(font.path, font.face)
        assert all(fonts._in_ranges(ranges, ord(c)) for c in letters), font.family


@pytest.mark.parametrize("char", ["\U0001f600", "\ue000", "\U000f0001"])
def test_emoji_and_private_use_are_uncovered(char):
    assert list(CHAIN.uncovered(f"a {char} b")) == [(2, char)]


def test_invisible_characters_need_no_glyph():
    assert list(CHAIN.uncovered("a\u200e\u2067b\u2069\u00ad\u200d\ufe0f\n")) == []


def test_stacks_name_every_script_and_pick_the_cjk_region_by_language():
    body = CHAIN.families("body", "en")
    assert body[0] == "Noto Serif"
    for family in ("Noto Serif Georgian", "Noto Serif Armenian", "Noto Naskh Arabic", "Noto Serif Hebrew"):
        assert family in body
    assert body[-1] == "Noto Serif CJK SC"
    assert CHAIN.families("heading", "ja")[-1] == "Noto Sans CJK JP"
    assert CHAIN.families("body", "zh-Hant")[-1] == "Noto Serif CJK TC"
    assert CHAIN.families("body", "zh-TW")[-1] == "Noto Serif CJK TC"
    assert CHAIN.families("body", "ko")[-1] == "Noto Serif CJK KR"
    assert CHAIN.families("body", "zh")[-1] == "Noto Serif CJK SC"


def test_css_declares_each_script_font_with_its_unicode_range():
    css = theme_css(DEFAULT, "en")
    assert 'font-family: "Noto Naskh Arabic";' in css
    assert "unicode-range: U+600-6FF, U+750-77F" in css
    assert "unicode-range: U+590-5FF, U+FB1D-FB4F" in css
    assert '"Noto Serif", "Noto Serif Georgian"' in css
    # The CJK faces (16-25 MB each) are declared only for a document that has CJK text.
    assert "CJK" not in css.split("@page")[0]
    assert fonts.late_font_faces_css(DEFAULT, "en", "Tamara Qasımov") == ""
    late = fonts.late_font_faces_css(DEFAULT, "ja", "東京")
    assert late.count("@font-face") == 4
    assert (
        '"Noto Serif CJK JP"' in late and "_system-fonts/NotoSerifCJK-Regular.ttc/Noto-Serif-CJK-JP" in late
    )
    assert "SC" not in late


def test_a_region_face_is_cut_out_of_the_collection():
    import io

    from fontTools.ttLib import TTFont

    font = next(
        f for s in CHAIN.scripts for f in s.fonts if f.family == "Noto Sans CJK KR" and f.weight == 400
    )
    data = fonts.font_bytes(font)
    face = TTFont(io.BytesIO(data), lazy=True)
    assert face["name"].getDebugName(1) == "Noto Sans CJK KR"


def test_sandbox_serves_only_declared_system_faces(tmp_path):
    sandbox = ResourceSandbox(tmp_path, DEFAULT.folder)
    data, mime = sandbox.read("_system-fonts/NotoSansCJK-Regular.ttc/Noto-Sans-CJK-SC")
    assert mime == "font/otf" and data[:4] == b"OTTO"
    with pytest.raises(ResourceError, match="not a font the theme declares"):
        sandbox.read("_system-fonts/NotoSansCJK-Regular.ttc/Noto-Sans-Mono-CJK-SC")
    with pytest.raises(ResourceError):
        sandbox.read("_system-fonts/../../../etc/passwd")


def test_a_theme_cannot_name_a_file_outside_the_system_fonts(tmp_path):
    theme_dir = tmp_path / "templates" / "evil"
    theme_dir.mkdir(parents=True)
    (theme_dir / "theme.yaml").write_text(
        "scripts:\n  thai:\n    range: U+0E00-0E7F\n    body: X\n    heading: X\n"
        "    files:\n      - {family: X, system: /etc/passwd}\n",
        encoding="utf-8",
    )
    with pytest.raises(fonts.ThemeError, match="under /usr/share/fonts"):
        fonts.chain(load_theme(theme_dir))


def test_uncovered_character_is_reported_at_its_line_and_column():
    text = 'people:\n  - id: a\n    name: "Ali \\U0001F600"\n  - id: b\n    name: Zoë 😀 and \ue000\n'
    found = fonts.check_yaml_file(read_yaml("content/x.yaml", text.encode()), CHAIN)
    shown = [str(d) for d in found]
    assert shown[0].startswith(
        "content/x.yaml:3:11: '\U0001f600' (U+1F600) cannot be printed with the theme's fonts"
    )
    assert shown[1].startswith("content/x.yaml:5:15: '\U0001f600' (U+1F600) cannot be printed")
    assert "(hint: emoji" in shown[1]
    assert shown[2].startswith(
        "content/x.yaml:5:21: '\ufffd' (U+E000) cannot be printed with the theme's fonts"
    )
    assert "private-use" in shown[2]


def test_script_runs_keep_neutrals_with_the_main_fonts_at_a_change_of_script():
    runs = fonts.script_runs("the lawyer of \u2067محمد رضا\u2069\u200e, 42, (伊力哈木·土赫提)", CHAIN)
    assert [(t, s and s.key) for t, s in runs] == [
        ("the lawyer of \u2067", None),
        ("محمد رضا", "arabic"),
        ("\u2069\u200e, 42, (", None),
        ("伊力哈木·土赫提", "cjk"),
        (")", None),
    ]


def test_docx_slots_per_script():
    by_key = {s.key: s for s in CHAIN.scripts}
    family, rpr = fonts.docx_run_fonts(by_key["arabic"], "body", "en", CHAIN)
    assert family == "Noto Naskh Arabic" and rpr["rFonts"] == {"cs": "Noto Naskh Arabic", "hint": "cs"}
    assert rpr["rtl"] and rpr["cs"]
    family, rpr = fonts.docx_run_fonts(by_key["cjk"], "heading", "ja", CHAIN)
    assert rpr["rFonts"] == {"eastAsia": "Noto Sans CJK JP", "hint": "eastAsia"} and not rpr["rtl"]
    family, rpr = fonts.docx_run_fonts(by_key["georgian"], "body", "en", CHAIN)
    assert rpr["rFonts"] == {"ascii": "Noto Serif Georgian", "hAnsi": "Noto Serif Georgian"}


def test_bidi_isolates_rtl_runs_in_ltr_text_only_in_the_body():
    html = (
        "<html><head><title>محمد</title><style>p{}</style></head><body>"
        '<p>the lawyer of محمد رضا, 42, and «زن، زندگی، آزادی» — نرگس محمدی.</p><p dir="rtl">محمد x</p>'
        '<img alt="محمد"></body></html>'
    )
    out = bidi.isolate(html, "en")
    assert "<title>محمد</title>" in out and 'alt="محمد"' in out
    assert 'the lawyer of <bdi dir="rtl">محمد رضا</bdi>, 42, and ' in out
    assert '<bdi dir="rtl">«زن، زندگی، آزادی» — نرگس محمدی</bdi>.' in out
    assert '<p dir="rtl">محمد x</p>' in out
    assert (
        bidi.isolate("<p>مرحبا Ali Hasan, 12 مرحبا</p>", "fa")
        == '<p>مرحبا <bdi dir="ltr">Ali Hasan</bdi>, 12 مرحبا</p>'
    )
    assert bidi.isolate("<p>Tamara Qasımov</p>", "en") == "<p>Tamara Qasımov</p>"


def test_bidi_isolates_each_name_of_a_list_in_the_sentences_order():
    out = bidi.isolate("<p>in Evin (زندان اوین); علاء عبد الفتاح in Cairo, نرگس محمدی, and x</p>", "en")
    assert out == (
        '<p>in Evin (<bdi dir="rtl">زندان اوین</bdi>); <bdi dir="rtl">علاء عبد الفتاح</bdi> in Cairo, '
        '<bdi dir="rtl">نرگس محمدی</bdi>, and x</p>'
    )


def test_system_fonts_and_theme_files_exist():
    missing = fonts.missing_package_hint(DEFAULT)
    assert missing == [], missing
    for script in CHAIN.scripts:
        for font in script.fonts:
            assert Path(font.path).is_file()


def test_a_missing_font_package_is_named_in_the_hint(tmp_path):
    theme_dir = tmp_path / "templates" / "thai"
    theme_dir.mkdir(parents=True)
    (theme_dir / "theme.yaml").write_text(
        "scripts:\n  thai:\n    range: U+0E00-0E7F\n    body: Noto Serif Thai\n    heading: Noto Sans Thai\n"
        "    files:\n      - {family: Noto Serif Thai, system: /usr/share/fonts/none/NotoSerifThai.ttf, "
        "package: fonts-noto-extra}\n",
        encoding="utf-8",
    )
    chain = fonts.chain(load_theme(theme_dir))
    assert [s.key for s in chain.scripts][-1] == "thai"  # added after the default theme's
    found = fonts.check_yaml_file(read_yaml("content/x.yaml", "name: กรุงเทพ\n".encode()), chain)
    assert str(found[0]).startswith("content/x.yaml:1:7: 'ก' (U+0E01) cannot be printed")
    assert "Debian package fonts-noto-extra" in str(found[0])


def test_a_broken_scripts_entry_is_a_validate_error(tmp_path):
    from briefgen.load import load_project

    project = tmp_path / "p"
    (project / "templates" / "broken").mkdir(parents=True)
    (project / "templates" / "broken" / "theme.yaml").write_text(
        "scripts:\n  thai:\n    body: X\n    heading: X\n", encoding="utf-8"
    )
    (project / "briefgen.yaml").write_text("name: P\nlanguage: en\ntheme: broken\n", encoding="utf-8")
    result = load_project(project)
    messages = [str(d) for d in result.errors]
    # Typed with the theme's other tokens: at its place in theme.yaml, once.
    assert messages == [
        "templates/broken/theme.yaml:3:5: scripts.thai of theme.yaml is missing the required field "
        "'range' (hint: required: range, body, heading)"
    ], messages


def test_a_text_has_a_character_of_some_range_exactly_when_one_of_its_characters_is_in_one():
    # fonts._has_any matches a compiled character class; the plain definition is the check.
    import random

    def plainly(text, ranges):
        return any(a <= ord(c) <= b for c in text for a, b in ranges if ord(c) >= 0x80)

    rng = random.Random(7)
    for _ in range(2000):
        ranges, start = [], rng.randrange(0, 300)
        for _ in range(rng.randrange(0, 5)):
            low = start + rng.randrange(0, 5000)
            high = low + rng.randrange(0, 3000)
            ranges.append((low, high))
            start = high + 1
        count = rng.randrange(6)
        codes = [rng.choice([rng.randrange(0, 0x80), rng.randrange(0x80, 0x20000)]) for _ in range(count)]
        text = "".join(chr(c) for c in codes if not 0xD800 <= c <= 0xDFFF)
        assert fonts._has_any(text, tuple(ranges)) == plainly(text, ranges), (text, ranges)
    assert fonts._has_any("a" * 100_000 + "東", ((0x4E00, 0x9FFF),))
    assert not fonts._has_any("abc", ((0x00, 0x7F),))  # ASCII never calls for a script's face
