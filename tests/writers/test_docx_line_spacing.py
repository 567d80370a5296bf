"""DOCX line spacing that holds in any font (writers/docx/line_spacing.py).

Word's "auto" spacing is a multiple of the font's own line height: computed from Noto's, it
overlapped the cover title's lines in another font and clipped the cover logo (0.73).
"""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import read_fixture
from lxml import etree

from briefgen.document import RenderedDocument
from briefgen.theme import BUILTIN_THEMES, load_theme
from briefgen.writers.docx import write

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def build(tmp_path: Path, body: str, theme=None) -> tuple[etree._Element, etree._Element]:
    html = f'<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>{body}</body></html>'
    document = RenderedDocument(
        html=html,
        theme=theme or load_theme(BUILTIN_THEMES / "default"),
        read_resource=read_fixture,
        base_url=FIXTURES.as_uri() + "/",
        template="policy-brief.html.j2",
        language="en",
        timestamp=datetime(2016, 1, 19, tzinfo=UTC),
    )
    path = write(document, tmp_path / "out.docx").path
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml")), etree.fromstring(z.read("word/styles.xml"))


def style(styles: etree._Element, style_id: str) -> etree._Element:
    (found,) = [s for s in styles.iter(w("style")) if s.get(w("styleId")) == style_id]
    return found


def spacing_of(element: etree._Element) -> tuple[int | None, str | None]:
    spacing = element.find(f"{w('pPr')}/{w('spacing')}")
    if spacing is None or spacing.get(w("line")) is None:
        return None, None
    return int(spacing.get(w("line"))), spacing.get(w("lineRule"))


@pytest.fixture(scope="module")
def styles(tmp_path_factory) -> etree._Element:
    return build(tmp_path_factory.mktemp("spacing"), "<p>x</p>")[1]


@pytest.mark.parametrize(
    ("style_id", "size_token", "css_line_height"),
    [
        ("Title", "title", 1.15),
        ("Subtitle", "subtitle", 1.3),
        ("Heading1", "h1", 1.2),
        ("Heading2", "h2", 1.2),
        ("Heading3", "h3", 1.2),
        ("Heading4", "h4", 1.2),
    ],
)
def test_headings_are_set_in_exact_points_as_the_pdf(styles, style_id, size_token, css_line_height):
    """The CSS line-height times the size, whatever font Word or LibreOffice ends up using."""
    size = load_theme(BUILTIN_THEMES / "default").sizes[size_token]
    assert spacing_of(style(styles, style_id)) == (round(size * css_line_height * 20), "exact")


@pytest.mark.parametrize("style_id", ["CoverLogo", "Figure", "CardPhoto"])
def test_picture_styles_are_single_spaced(styles, style_id):
    assert spacing_of(style(styles, style_id)) == (240, "auto")


def test_a_picture_in_a_tightly_spaced_paragraph_gets_single_spacing(tmp_path):
    """A theme whose leading is below the font's own line height (1.0 of the size is 0.73 of
    Noto's line) still shows a picture in a body paragraph whole."""
    folder = tmp_path / "tight"
    folder.mkdir()
    (folder / "theme.yaml").write_text("spacing:\n  line_height: 1.0\n", encoding="utf-8")
    body, styles = build(
        tmp_path, '<p>Before <img src="logo.png" alt="Logo"> after</p><p>No picture</p>', load_theme(folder)
    )
    body_text = spacing_of(style(styles, "BodyText"))
    assert body_text[1] == "auto" and body_text[0] < 240  # the style itself stays as the theme says
    with_picture, without = body.iter(w("p"))
    assert with_picture.find(f".//{w('drawing')}") is not None
    assert spacing_of(with_picture) == (240, "auto")
    assert spacing_of(without) == (None, None)
