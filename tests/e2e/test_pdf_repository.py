"""The repository project's PDFs, read back as a designer and an accessibility checker would."""

from __future__ import annotations

import re

import pikepdf
import pytest
from conftest import pdf_pages_text, words

from briefgen.i18n import Localizer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pdfs(repo_build):
    out, manifest = repo_build
    found = [(e, out / e["path"]) for e in manifest["outputs"] if e["format"] == "pdf"]
    assert {e["brief"] for e, _ in found} == {
        "justice-behind-bars-brief",
        "justice-behind-bars-event",
        "justice-behind-bars-dossier",
    }
    return found


def brief_start(pages: list[str]) -> int:
    """The index of the brief's cover: a recipient's letter comes before it, on pages of its
    own without page numbers, and the brief is numbered from its cover."""
    for index, text in enumerate(pages):
        if re.search(r"(Page|Страница) 2 (of|из|sur)", text):
            return index - 1
    return 0


def test_cover_then_running_header_and_page_x_of_y(pdfs):
    for entry, path in pdfs:
        pages = pdf_pages_text(path)
        letter, pages = pages[: brief_start(pages)], pages[brief_start(pages) :]
        assert all(not re.search(r"(Page|Страница) \d", text) for text in letter), entry["path"]
        with pikepdf.open(path) as document:
            title = str(document.docinfo.Title)
        assert words(title) in words(pages[0]), entry["path"]
        assert any(d in pages[0] for d in ("19 January 2016", "19 января 2016", "19 janvier 2016")), entry[
            "path"
        ]
        assert not re.search(r"(Page|Страница) \d", pages[0])
        for number, text in enumerate(pages[1:], start=2):
            label = "Страница" if entry["language"] == "ru" else "Page"
            assert re.search(rf"{label} {number} (of|из|sur) {len(pages)}", text), (entry["path"], number)
            assert text.lstrip().startswith(title[:30]), (entry["path"], number)


def test_contents_page_numbers_point_at_their_headings(pdfs):
    checked = 0
    for entry, path in pdfs:
        pages = pdf_pages_text(path)
        pages = pages[brief_start(pages) :]
        if len(pages) > 4:
            contents = pages[1]
            lines = re.findall(r"^(.+?)\s*\.{3,}\s*(\d+)$", contents, re.M)
            assert lines, entry["path"]
            for title, page in lines:
                assert words(title) in words(pages[int(page) - 1]), (entry["path"], title, page)
            checked += 1
    assert checked == len(pdfs)  # every output of this project runs over four pages


def test_bookmarks_tags_language_and_embedded_subset_fonts(pdfs):
    for entry, path in pdfs:
        with pikepdf.open(path) as document:
            assert "/StructTreeRoot" in document.Root and document.Root.MarkInfo.Marked
            assert str(document.Root.Lang) == entry["language"]
            assert str(document.docinfo.Author) in (
                "International Partnership for Human Rights",
                "Международное партнёрство за права человека",
            )
            with document.open_outline() as outline:
                assert len(list(outline.root)) >= 4, entry["path"]
            for page in document.pages:
                for font in page.Resources.get("/Font", {}).values():
                    assert re.match(r"/[A-Z]{6}\+", str(font.BaseFont)), (entry["path"], font.BaseFont)
                    descriptor = font.DescendantFonts[0].FontDescriptor
                    assert (
                        "/FontFile2" in descriptor or "/FontFile3" in descriptor or "/FontFile" in descriptor
                    )


def test_every_footnote_sits_on_the_page_of_its_call(pdfs):
    """A note's call and its text share a page: the note numbers at the foot of each page are
    exactly the calls made on it (counted per page, in order)."""
    for entry, path in pdfs:
        import pdfplumber

        start = brief_start(pdf_pages_text(path))
        with pdfplumber.open(path) as pdf:
            expected = 1
            for page in pdf.pages:
                if page.page_number == start + 1:
                    expected = 1  # the brief numbers its notes from 1, after a letter's own
                calls = [c for c in page.chars if c["size"] < 7 and c["text"].isdigit()]
                notes = re.findall(
                    r"^(\d+)\. ",
                    page.filter(
                        lambda o: o.get("object_type") != "char" or 7.5 <= o["size"] < 8.2
                    ).extract_text()
                    or "",
                    re.M,
                )
                call_numbers = "".join(c["text"] for c in calls)
                note_numbers = "".join(notes)
                assert call_numbers == note_numbers, (
                    entry["path"],
                    page.page_number,
                    call_numbers,
                    note_numbers,
                )
                for number in notes:
                    assert int(number) == expected
                    expected += 1


def test_no_tall_empty_shaded_or_bordered_box(pdfs):
    """No box drawn with a fill (a callout's shading, a card's rules) runs far below its
    text: what WeasyPrint draws when a page break inside a box stretches the box's first part
    to the page's foot (the footnote repair used to cause it, writers/pdf_footnotes.py)."""
    import pdfplumber

    checked = 0
    for entry, path in pdfs:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                tall = {
                    (round(r["x0"]), round(r["top"]), round(r["x1"]), round(r["bottom"]))
                    for r in page.rects
                    if r["fill"] and r["height"] > 0.2 * page.height and r["width"] > 0.5 * page.width
                }
                for x0, top, x1, bottom in tall:
                    inside = [
                        c["bottom"] for c in page.chars if x0 <= c["x0"] <= x1 and top <= c["top"] <= bottom
                    ]
                    empty = bottom - max(inside, default=top)
                    assert empty < 0.2 * page.height, (entry["path"], page.page_number, round(empty))
                    checked += 1
    assert checked  # the recommendations box and the cards are drawn as filled rectangles


SCREEN_LABELS = (
    "Link to this section",
    "Ссылка на этот раздел",
    "Lien vers cette section",
    "Data table",
    "Таблица данных",
    "Tableau des données",
)


def test_what_only_the_web_page_shows_stays_out_of_the_pdf(pdfs):
    """The PDF is made from the HTML that is the web page: the headings' links ('#'), the
    marking banner and the charts' data tables are hidden in print, so its text, bookmarks
    and markings are what print.css makes."""
    for entry, path in pdfs:
        pages = pdf_pages_text(path)
        text = "\n".join(pages)
        assert "#" not in text, entry["path"]
        assert [label for label in SCREEN_LABELS if label in text] == [], entry["path"]
        titles: list[str] = []
        with pikepdf.open(path) as document, document.open_outline() as outline:
            stack = list(outline.root)
            while stack:
                item = stack.pop()
                titles.append(str(item.title))
                stack.extend(item.children)
        assert titles and [t for t in titles if "#" in t or t.strip() != t] == [], entry["path"]
        # An internal output: its marking at the top and bottom of the cover and in the cover's
        # box, then once on every page; the banner adds none.
        # PDF text has plain spaces where French puts a no-break space before a colon.
        marking = Localizer(entry["language"]).gettext("Internal: not for distribution").replace("\xa0", " ")
        if entry["audience"] == "partners":
            assert marking in text, entry["path"]
            start = brief_start(pages)
            counts = [page.count(marking) for page in pages[start:]]
            assert counts == [3] + [1] * (len(counts) - 1), (entry["path"], counts)
        else:
            assert marking not in text, entry["path"]
