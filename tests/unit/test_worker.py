"""worker: the contents decision and the cover split, with stand-ins for render and layout."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from briefgen.parsed import ParsedDocument
from briefgen.worker import TOC_MIN_PAGES, _lay_out_with_contents_decided

COVER = '<section class="cover"><h1>Title</h1><section class="inner">x</section></section>'
TOC = '<nav class="toc"><h1>Contents</h1><ul><li><a href="#a">A</a></li></ul></nav>'


@dataclass
class Doc:
    html: str


class Stand:
    """document_for and layout stand-ins that record what they were asked for."""

    def __init__(self, words: int, words_per_page: int = 300):
        self.words = words
        self.words_per_page = words_per_page
        self.rendered: list[bool] = []
        self.laid_out: list[Doc] = []

    def document_for(self, show_toc: bool) -> Doc:
        self.rendered.append(show_toc)
        body = " ".join(["word"] * self.words)
        return Doc(f"<html><body>{COVER}{TOC if show_toc else ''}<p>{body}</p></body></html>")

    def layout(self, document: Doc, at_least: int | None = None):
        self.laid_out.append(document)
        pages = 1 + -(-self.words // self.words_per_page)
        if at_least is not None and pages >= at_least:
            return None  # as writers/pdf.layout: known to run to that many pages

        class Laid:
            pass

        laid = Laid()
        laid.pages = [object()] * pages
        return laid


@pytest.mark.parametrize("needs_pdf", [True, False])
def test_a_long_document_is_rendered_once_with_contents(needs_pdf):
    stand = Stand(words=800 * (TOC_MIN_PAGES + 2))
    document, laid_out, toc = _lay_out_with_contents_decided(stand.document_for, stand.layout, needs_pdf)
    assert toc is True and '<nav class="toc">' in document.html
    assert stand.rendered == [True]
    assert (laid_out is not None) == needs_pdf and len(stand.laid_out) == int(needs_pdf)


@pytest.mark.parametrize("needs_pdf", [True, False])
def test_a_short_document_has_no_contents(needs_pdf):
    stand = Stand(words=50)
    document, laid_out, toc = _lay_out_with_contents_decided(stand.document_for, stand.layout, needs_pdf)
    assert toc is False and "toc" not in document.html
    assert (laid_out is not None) == needs_pdf and len(stand.laid_out) == int(needs_pdf)


def test_the_contents_do_not_count_towards_the_length():
    # At the densest setting (800 words a page) the text alone is one word short of the
    # threshold, and the two words of the contents would tip it over: the decision must be
    # left to a layout, which says four pages, so no contents.
    cover_words = 2
    stand = Stand(words=800 * (TOC_MIN_PAGES - 1) - 1 - cover_words, words_per_page=1100)
    document, _, toc = _lay_out_with_contents_decided(stand.document_for, stand.layout, True)
    assert toc is False and "toc" not in document.html
    assert [d.html for d in stand.laid_out] == [document.html]


@pytest.mark.parametrize("words_per_page, expected", [(200, True), (800, False)])
def test_in_between_the_layout_decides_and_every_format_agrees(words_per_page, expected):
    words = 800 * (TOC_MIN_PAGES - 2)
    decisions = []
    for needs_pdf in (True, False):
        stand = Stand(words=words, words_per_page=words_per_page)
        document, _, toc = _lay_out_with_contents_decided(stand.document_for, stand.layout, needs_pdf)
        decisions.append((toc, document.html))
    assert decisions[0] == decisions[1]
    assert decisions[0][0] is expected


def test_the_cover_is_found_whole_in_the_tree():
    document = ParsedDocument(f"<html><body>{COVER}<p>body</p> tail</body></html>")
    assert document.after_cover() == "<p>body</p> tail"
    only = ParsedDocument(document.cover_only())
    assert "inner" in only.html and "body</p>" not in only.html
    assert only.after_cover() == ""
    assert ParsedDocument("<p>no cover</p>").after_cover() is None


def test_copies_with_the_same_body_have_the_same_key():
    one = ParsedDocument(f"<html><body>{COVER.replace('Title', 'Dear A')}<p>body</p></body></html>")
    two = ParsedDocument(f"<html><body>{COVER.replace('Title', 'Dear B')}<p>body</p></body></html>")
    other = ParsedDocument(f"<html><body>{COVER}<p>other</p></body></html>")
    assert one.after_cover() == two.after_cover() != other.after_cover()
