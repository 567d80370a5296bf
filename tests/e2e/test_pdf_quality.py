"""The PDF as a designer and an accessibility checker would read it back."""

from __future__ import annotations

import re
import shutil

import pikepdf
import pytest
from conftest import PROJECTS, build, pdf_pages_text, pdf_text, words

pytestmark = pytest.mark.slow

NAMES = ["Günel Məmmədova", "Rəşad Əliyev", "Тамара Ковальчук", "ნინო ბერიძე", "Ørjan Ødegård"]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("small")
    build(PROJECTS / "small", out, jobs=2, formats=["pdf"])
    return out


def pdf(out, brief):
    return out / brief / f"{brief}.public-readers.en.pdf"


@pytest.mark.parametrize("brief", ["small-brief", "small-event", "small-dossier"])
def test_cover_has_title_and_date_and_no_page_furniture(small, brief):
    pages = pdf_pages_text(pdf(small, brief))
    cover = pages[0]
    assert "30 June 2020" in cover
    assert "Page 1" not in cover
    assert "Test Rights Centre" in cover  # publisher


def test_running_header_and_page_x_of_y(small):
    pages = pdf_pages_text(pdf(small, "small-dossier"))
    total = len(pages)
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in text
        assert text.lstrip().startswith("Small brief") is False  # the dossier's own title
        assert "Test Rights Centre" in text.splitlines()[0] or "Test Rights" in text


def test_citation_footnote_on_the_same_page_as_its_reference(small):
    for _number, text in enumerate(pdf_pages_text(pdf(small, "small-brief"))):
        if "Introductory paragraph with a citation" in text:
            assert "A Test Report on Justice, Test Rights Centre, December 2019" in text
            assert "https://example.org/report, p. 12." in text
            assert "A markdown footnote with emphasis." in text
            break
    else:
        pytest.fail("reference not found")


def test_names_in_every_script_extract_as_the_same_unicode(small):
    text = pdf_text(pdf(small, "small-event")) + pdf_text(pdf(small, "small-dossier"))
    for name in NAMES:
        assert name in text


def test_fonts_embedded_and_subset(small):
    with pikepdf.open(pdf(small, "small-dossier")) as document:
        fonts = {}
        for page in document.pages:
            for _name, font in page.Resources.get("/Font", {}).items():
                fonts[str(font.BaseFont)] = font
        assert fonts
        for base, font in fonts.items():
            assert re.match(r"/[A-Z]{6}\+", base), base  # subset tag
            descriptor = (
                font.DescendantFonts[0].FontDescriptor if "/DescendantFonts" in font else font.FontDescriptor
            )
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), base
        assert any("Georgian" in b for b in fonts)  # the Georgian name found its glyphs


def test_tagged_with_language_title_and_metadata(small):
    with pikepdf.open(pdf(small, "small-brief")) as document:
        assert "/StructTreeRoot" in document.Root
        assert document.Root.MarkInfo.Marked
        assert str(document.Root.Lang) == "en"
        info = document.docinfo
        assert str(info.Title) == "Small brief: Names in many scripts"
        assert str(info.Author) == "Test Rights Centre"
        assert str(info.Subject) == "A fixture for end-to-end tests"
        assert "Rəşad Əliyev" in str(info.Keywords)
        assert "/Producer" not in info


def test_bookmarks_for_every_heading(small):
    with pikepdf.open(pdf(small, "small-brief")) as document, document.open_outline() as outline:
        titles = [item.title for item in outline.root]
    assert titles[0] == "Small brief: Names in many scripts"
    for section in ("Key messages", "Background", "Cases at a glance", "Recommendations", "Sources"):
        assert section in titles


def test_table_of_contents_page_numbers_are_right(tmp_path):
    project = tmp_path / "long"
    shutil.copytree(PROJECTS / "small", project)
    # Make the dossier long enough (over four pages) to get a contents page.
    items = project / "content" / "items.yaml"
    items.write_text(
        items.read_text(encoding="utf-8").replace(
            "    summary: ნინო ბერიძე cannot leave the country.",
            "    summary: |\n" + "\n\n".join(["      " + "ნინო ბერიძე cannot leave the country. " * 30] * 12),
        ),
        encoding="utf-8",
    )
    build(project, tmp_path / "out", formats=["pdf"], briefs=["small-dossier"])
    pages = pdf_pages_text(tmp_path / "out/small-dossier/small-dossier.public-readers.en.pdf")
    assert len(pages) > 4
    toc = pages[1]
    assert toc.startswith("Small") or "Contents" in toc
    entries = re.findall(r"^(.+?)\s*\.{3,}\s*(\d+)$", toc, re.M)
    assert len(entries) >= 2
    for title, page in entries:
        heading_page = pages[int(page) - 1]
        assert words(title) in words(heading_page), (title, page)


def test_a_theme_change_needs_no_template_change(tmp_path):
    project = tmp_path / "themed"
    shutil.copytree(PROJECTS / "small", project)
    settings = project / "briefgen.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("language: en", "language: en\ntheme: sober")
    )
    build(project, tmp_path / "out", formats=["pdf"], briefs=["small-brief"])
    with pikepdf.open(tmp_path / "out/small-brief/small-brief.public-readers.en.pdf") as document:
        fonts = {str(f.BaseFont) for p in document.pages for f in p.Resources.get("/Font", {}).values()}
    assert not any("Serif" in f for f in fonts)
    assert any("Noto-Sans" in f for f in fonts)


def test_archival_variant_on_request(tmp_path):
    build(PROJECTS / "small", tmp_path, formats=["pdf"], briefs=["small-brief"], pdf_variant="pdf/a-3b")
    with pikepdf.open(tmp_path / "small-brief/small-brief.public-readers.en.pdf") as document:
        xmp = document.Root.Metadata.read_bytes().decode()
        assert 'pdfaid:part="3"' in xmp or "<pdfaid:part>3</pdfaid:part>" in xmp
        assert "/OutputIntents" in document.Root
