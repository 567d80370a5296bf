"""The contents decision's page estimate (worker._page_estimate): a long document's words
are counted only until they decide it, a short one's exactly."""

from __future__ import annotations

from briefgen.parsed import ParsedDocument
from briefgen.worker import TOC_MIN_PAGES, _page_estimate


def document(paragraphs: int, breaks: int = 0, words: int = 100) -> ParsedDocument:
    text = " ".join(["word"] * words)
    body = "".join(f"<p>{text}</p>" for _ in range(paragraphs))
    body += '<div class="page-break"></div>' * breaks
    nav = '<nav class="toc"><ol><li>Not counted at all</li></ol></nav>'
    return ParsedDocument(f"<html><body>{nav}<section>{body}</section></body></html>")


def test_the_counting_stops_once_enough_words_are_found():
    long = document(200)
    assert long.words_and_breaks() == (20_000, 0)
    words, _ = long.words_and_breaks(enough=250)
    assert 250 <= words < 350  # stopped at the paragraph that reached it


def test_a_long_documents_decision_is_the_same_and_a_short_ones_figures_exact():
    for paragraphs, breaks in ((200, 0), (41, 0), (39, 0), (30, 3), (5, 1), (0, 0)):
        doc = document(paragraphs, breaks)
        exact = _page_estimate(doc)
        quick = _page_estimate(doc, enough=TOC_MIN_PAGES)
        assert (quick[0] >= TOC_MIN_PAGES) == (exact[0] >= TOC_MIN_PAGES)
        if exact[0] < TOC_MIN_PAGES:
            assert quick == exact  # below the threshold nothing is left uncounted
        else:
            assert quick[0] <= exact[0] and quick[1] <= exact[1]
