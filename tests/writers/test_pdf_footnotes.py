"""A footnote on the page of its call, where WeasyPrint 70 would move it to the next page to
keep a paragraph's orphans (writers/pdf_footnotes.py), laid out by WeasyPrint for real."""

from __future__ import annotations

import pytest

from briefgen.writers import pdf_footnotes

weasyprint = pytest.importorskip("weasyprint")
pytestmark = pytest.mark.slow  # up to a hundred small layouts to find the case

CSS = """
@page { size: 120mm 100mm; margin: 10mm; }
body { font: 10pt/14pt serif; }
p { margin: 0 0 4pt; orphans: 2; widows: 2; }
h2 { font-size: 12pt; margin: 0; break-after: avoid; }
.footnote { float: footnote; footnote-policy: line; font-size: 8pt; }
"""
LONG = "A paragraph long enough to run over several lines of the narrow test page, and then some more. " * 2


def document(spacer_pt: float) -> str:
    return (
        f"<html><head><style>{CSS}</style></head><body>"
        f'<p>The call.<span class="footnote">The note of the call, two lines long at this size '
        f"in the narrow footnote area of the page.</span></p>"
        f'<div style="height: {spacer_pt}pt"></div>'
        f'<div class="card"><h2>Heading</h2><p>{LONG}</p></div>'
        "</body></html>"
    )


def test_a_deferred_note_moves_the_block_at_the_foot_instead():
    # Find a layout in which WeasyPrint defers the note (the positive control), by moving the
    # card down a point at a time: then the repaired layout keeps the note on its call's page.
    for spacer in range(0, 200):
        plain = weasyprint.HTML(string=document(spacer)).render()
        if pdf_footnotes.deferred_pages(plain):
            break
    else:
        pytest.fail("no layout deferred the note: the test no longer reproduces WeasyPrint's case")
    html = weasyprint.HTML(string=document(spacer))
    repaired = pdf_footnotes.render_keeping_notes(html, html.render)
    assert pdf_footnotes.deferred_pages(repaired) == []
    first = repaired.pages[0]._page_box
    texts = [getattr(box, "text", "") for box in pdf_footnotes._descendants(first)]
    assert any("The note of the call" in t for t in texts)  # the note stayed on page 1
    assert not any("Heading" in t for t in texts)  # the card with its heading went to page 2
