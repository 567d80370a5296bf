"""The PDF writer's own check of fonts, behind fonts.py's: WeasyPrint's .notdef warnings
fail the output, and a font taken from the system rather than the theme is a warning.

These documents skip the build's check of the rendered text on purpose, as a template
that slipped past it would."""

from __future__ import annotations

from datetime import UTC, datetime

import pikepdf
import pytest

from briefgen.document import RenderedDocument, ResourceError
from briefgen.render import theme_css
from briefgen.resources import ResourceSandbox
from briefgen.theme import BUILTIN_THEMES, load_theme
from briefgen.writers import pdf

THEME = load_theme(BUILTIN_THEMES / "default")


def document(tmp_path, body: str, language: str = "en") -> RenderedDocument:
    sandbox = ResourceSandbox(tmp_path, THEME.folder)
    html = (
        f'<!DOCTYPE html><html lang="{language}"><head><style>{theme_css(THEME, language)}</style>'
        f"</head><body><p>{body}</p></body></html>"
    )
    return RenderedDocument(
        html=html,
        theme=THEME,
        read_resource=sandbox.read,
        base_url=sandbox.base_url,
        template="policy-brief.html.j2",
        language=language,
        timestamp=datetime(2024, 1, 1, tzinfo=UTC),
    )


def test_an_empty_box_fails_the_output(tmp_path):
    doc = document(tmp_path, "Leyla Yunus \U0010fffd")  # no font anywhere has it
    with pytest.raises(ResourceError, match=r"\(U\+10FFFD\) cannot be printed with the theme's fonts"):
        pdf.write(doc, tmp_path / "x.pdf")


def test_a_font_outside_the_theme_is_a_warning(tmp_path):
    doc = document(tmp_path, "Leyla Yunus กรุงเทพ")  # Thai: not in the default chain
    pdf.write(doc, tmp_path / "x.pdf")
    assert len(doc.warnings) == 1, doc.warnings
    assert "a font outside the theme" in doc.warnings[0] and "ก" in doc.warnings[0]


@pytest.mark.slow
def test_cjk_face_follows_the_documents_language(tmp_path):
    for language, face in (
        ("ja", "Noto-Serif-CJK-JP"),
        ("zh-Hant", "Noto-Serif-CJK-TC"),
        ("en", "Noto-Serif-CJK-SC"),
    ):
        doc = document(tmp_path, "東京 骨 直", language)
        target = tmp_path / f"{language}.pdf"
        pdf.write(doc, target)
        assert doc.warnings == []
        with pikepdf.open(target) as written:
            names = {str(f.BaseFont).split("+", 1)[1] for f in written.pages[0].Resources.Font.values()}
        assert face in names, names
        assert not any("CJK" in n and n != face for n in names), names


def test_bold_and_italic_code_and_a_bold_italic_heading_are_printed_with_the_themes_faces(tmp_path):
    # Each of these took the machine's own face of a family the theme declares (DejaVu Sans
    # Mono bold and oblique, Noto Sans bold italic) without a word, before the theme shipped
    # or declared them and the check compared faces rather than family names.
    doc = document(
        tmp_path,
        "<strong>Bold <code>bold code</code></strong> and <em>italic <code>italic code</code></em>"
        "</p><h2>Heading <em>(addressed to you)</em></h2><p>",
    )
    pdf.write(doc, tmp_path / "x.pdf")
    assert doc.warnings == []


def test_a_face_of_a_declared_family_the_theme_does_not_have_is_foreign():
    from briefgen import fonts

    chain = fonts.chain(THEME)
    bundled = (THEME.folder / "fonts" / "NotoSans-BoldItalic.ttf").read_bytes()
    assert chain.declares_face("Noto Sans", fonts.sfnt_table(bundled, b"head"))
    # The same family name on another file (a machine's other version or style): not the theme's.
    other = (THEME.folder / "fonts" / "NotoSerif-Regular.ttf").read_bytes()
    other_head = fonts.sfnt_table(other, b"head")
    assert chain.declares_face("Noto Serif", other_head)
    assert not chain.declares_face("Noto Sans", other_head[:8] + b"\0\0\0\0" + other_head[12:])
    assert not chain.declares_face("Comic Neue", fonts.sfnt_table(bundled, b"head"))
