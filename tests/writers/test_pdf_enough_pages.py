"""A layout that stops once it is known to run to N pages (writers/pdf.layout, at_least=N):
the contents decision (worker._lay_out_with_contents_decided) lays a document out without
contents only to learn whether it runs past four pages. Each answer is checked against the
whole layout, WeasyPrint's own, of the same document."""

from __future__ import annotations

import pytest
from conftest import virtual_document

from briefgen.writers import pdf

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


@pytest.mark.parametrize("paragraphs", [2, 8, 14, 15, 16, 17, 18, 30])
def test_the_answer_is_the_whole_layout_s(paragraphs):
    document = virtual_document(brief(paragraphs))
    pages = whole(document)
    counted = pdf.layout(document, at_least=5)
    if pages >= 5:
        assert counted is None, pages
    else:
        assert counted is not None and len(counted.pages) == pages


@pytest.mark.parametrize("paragraphs", [12, 15, 16, 17, 18, 19, 20, 24])
def test_the_answer_holds_with_footnotes(paragraphs):
    document = virtual_document(with_notes(paragraphs))
    pages = whole(document)
    counted = pdf.layout(document, at_least=5)
    assert (counted is None) == (pages >= 5), pages
    if counted is not None:
        assert len(counted.pages) == pages
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
    assert made.count == 5
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
