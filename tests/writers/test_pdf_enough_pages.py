"""A layout that stops once it is known to run to N pages (writers/pdf.layout, at_least=N):
the contents decision (worker._lay_out_with_contents_decided) lays a document out without
contents only to learn whether it runs past four pages. Each answer is checked against the
whole layout, WeasyPrint's own, of the same document."""

from __future__ import annotations

import pytest
from conftest import virtual_document
from test_pdf_footnotes import CSS as SMALL_PAGE_CSS
from test_pdf_footnotes import LONG

from briefgen.writers import pdf, pdf_footnotes

weasyprint = pytest.importorskip("weasyprint")
pytestmark = pytest.mark.slow  # some thirty real layouts

PARAGRAPH = "<p>" + "A sentence of the brief that takes up some room on the page. " * 12 + "</p>"


def brief(paragraphs: int, extra_css: str = "", extra_body: str = "") -> str:
    return (
        f"<html lang='en'><head><title>Brief</title><style>{extra_css}</style></head><body>"
        f"<main><h1 id='top'>A brief</h1>{extra_body}{PARAGRAPH * paragraphs}</main></body></html>"
    )


def with_notes(paragraphs: int) -> str:
    """Paragraphs each with a footnote, as the briefs' citations are."""
    text = "A sentence of the brief that takes up some room on the page. " * 10
    note = '<span class="footnote">A source, long enough to take two lines of the notes area.</span>'
    body = "".join(f"<p>{text}{note}</p>" for _ in range(paragraphs))
    css = ".footnote { float: footnote; footnote-policy: line; } p { orphans: 2; widows: 2; }"
    return brief(0, css, body)


class PagesMade:
    """Counts the pages WeasyPrint makes, through its own page maker."""

    def __init__(self, monkeypatch):
        import weasyprint.layout.page as page

        self.count = 0
        original = page.remake_page

        def counted(*args, **kwargs):
            self.count += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(page, "remake_page", counted)


def whole(document) -> int:
    return len(pdf.layout(document).pages)


def assert_same_answer(document) -> int:
    """The stopped layout's answer against the whole one; the whole layout's page count."""
    pages = whole(document)
    counted = pdf.layout(document, at_least=5)
    if counted is None:
        assert pages >= 5, pages  # None only for a document that does run to 5 pages
    else:
        assert len(counted.pages) == pages  # else the whole layout
    return pages


@pytest.mark.parametrize("paragraphs", [2, 8, 14, 15, 16, 17, 18, 30])
def test_the_answer_is_the_whole_layout_s(paragraphs):
    pages = assert_same_answer(virtual_document(brief(paragraphs)))
    if paragraphs == 30:
        assert pages > 6 and pdf.layout(virtual_document(brief(30)), at_least=5) is None


@pytest.mark.parametrize("paragraphs", [12, 15, 16, 17, 18, 19, 20, 24, 30])
def test_the_answer_holds_with_footnotes(paragraphs):
    document = virtual_document(with_notes(paragraphs))
    assert_same_answer(document)
    notes = [
        area
        for page in pdf.layout(document).pages
        for area in page._page_box.children
        if type(area).__name__ == "FootnoteAreaBox"
    ]
    assert notes  # the notes are at the pages' feet, where they move blocks (pdf_footnotes.py)


def test_a_long_document_is_laid_out_only_as_far_as_the_answer(monkeypatch):
    document = virtual_document(brief(60))
    made = PagesMade(monkeypatch)
    assert pdf.layout(document, at_least=5) is None
    assert made.count == 6  # one page more than asked (see writers/pdf._enough_pages)
    made.count = 0
    assert len(pdf.layout(document).pages) > 15
    assert made.count > 15


def test_a_short_document_gets_its_whole_layout(monkeypatch):
    document = virtual_document(brief(2))
    counted = pdf.layout(document, at_least=5)
    assert counted is not None and len(counted.pages) == whole(document) < 5


def test_page_numbers_in_the_text_let_the_layout_run_to_the_end(monkeypatch):
    # Text that prints a page number may take another width once the number is known, so
    # the first pages made are not sure to stay: the layout is not stopped.
    reference = "<p><a class='ref' href='#top'>the start</a></p>"
    css = "a.ref::after { content: ' (page ' target-counter(attr(href), page) ')'; }"
    document = virtual_document(brief(30, css, reference))
    made = PagesMade(monkeypatch)
    counted = pdf.layout(document, at_least=5)
    assert counted is not None and len(counted.pages) >= 5
    assert made.count >= len(counted.pages)


def test_without_a_limit_nothing_changes():
    document = virtual_document(brief(14))
    first, second = pdf.layout(document), pdf.layout(document, at_least=None)
    assert len(first.pages) == len(second.pages)


# The footnote repair's small page, on which WeasyPrint moves a note off its call's page to
# keep a paragraph's orphans, followed here by many more pages.
def moving_a_note(spacer_pt: float) -> str:
    return brief(
        0,
        SMALL_PAGE_CSS,
        '<p>The call.<span class="footnote">The note of the call, two lines long at this size '
        "in the narrow footnote area of the page.</span></p>"
        f'<div style="height: {spacer_pt}pt"></div>'
        f'<div class="card"><h2>Heading</h2><p>{LONG}</p></div>' + f"<p>{LONG}</p>" * 30,
    )


def first_pass(document):
    """The layout before any footnote repair, as writers/pdf.layout makes it."""
    import unittest.mock

    with unittest.mock.patch.object(pdf_footnotes, "render_keeping_notes", lambda html, render: render()):
        return pdf.layout(document)


def a_moved_note_document():
    """A document whose note WeasyPrint moves off page 1 to 4 and that runs past 6 pages,
    whose repaired layout moves no note within its first 6 pages; and its first layout."""
    for spacer in range(0, 200):
        document = virtual_document(moving_a_note(spacer))
        first = first_pass(document)
        moved = pdf_footnotes.deferred_pages(first)
        if moved and moved[0] < 4 and len(first.pages) > 6:
            repaired = pdf.layout(document)
            if not [page for page in pdf_footnotes.deferred_pages(repaired) if page < 6]:
                return document, first, moved[0]
    pytest.fail("no layout moved the note: the test no longer reproduces WeasyPrint's case")


def test_a_note_moved_off_a_page_cuts_the_layout_where_the_note_went(monkeypatch):
    # The repair changes the pages from the one whose note moved on, and reads none past
    # the page the note went to: the first layout stops there, the one after the repair
    # once it is known to run to 5 pages.
    document, first, moved = a_moved_note_document()
    made = PagesMade(monkeypatch)
    counted = pdf.layout(document, at_least=5)
    assert counted is None
    assert made.count == (moved + 2) + 6 < len(first.pages) + 6
    assert whole(document) >= 5


def test_a_cut_layout_the_repair_cannot_help_is_laid_out_whole(monkeypatch):
    document, first, moved = a_moved_note_document()
    monkeypatch.setattr(pdf_footnotes, "repair_page", lambda html, rendered, index: False)
    made = PagesMade(monkeypatch)
    counted = pdf.layout(document, at_least=5)
    # The note stays moved, as WeasyPrint put it: the whole first layout, as without a limit.
    assert counted is not None and len(counted.pages) == len(first.pages)
    assert pdf_footnotes.deferred_pages(counted) == pdf_footnotes.deferred_pages(first)
    assert made.count == (moved + 2) + len(first.pages)
