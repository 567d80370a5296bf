"""A footnote on the page of its call, where WeasyPrint 70 would move it to the next page to
keep a paragraph's orphans (writers/pdf_footnotes.py), laid out by WeasyPrint for real."""

from __future__ import annotations

import layout_support
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


# A shaded box with a side rule, as the default theme's callouts (the recommendations box).
BOX_CSS = CSS + ".box { background: #dde; border-left: 3pt solid navy; padding: 2mm 3mm; }"
NOTE = "The note of the call, long enough to take three lines of the narrow footnote area at the page's foot."


def boxed(lines: int, spacer_pt: int, before: str) -> str:
    """Lines of text, then a shaded box whose last paragraph carries a footnote's call."""
    filler = "<br>".join(["A line of text before the box."] * lines)
    return (
        f"<html><head><style>{BOX_CSS}</style></head><body>"
        f'<p style="margin-bottom: {spacer_pt}pt">{filler}</p>'
        f'<div class="box"><h2>Box</h2>{before}'
        f'<p>The last paragraph.<span class="footnote">{NOTE}</span> {LONG}</p></div>'
        "<p>After the box.</p></body></html>"
    )


def deferring(before: str) -> str:
    """The first document, moving the box down a line and then two points at a time, in
    which WeasyPrint defers the note (the positive control)."""
    for lines in range(14):
        for spacer in range(0, 14, 2):
            source = boxed(lines, spacer, before)
            if pdf_footnotes.deferred_pages(weasyprint.HTML(string=source).render()):
                return source
    pytest.fail("no layout deferred the note: the test no longer reproduces WeasyPrint's case")


def page_texts(rendered) -> list[str]:
    return [
        " ".join(getattr(box, "text", "") or "" for box in pdf_footnotes._descendants(page._page_box))
        for page in rendered.pages
    ]


def test_a_long_shaded_box_keeps_a_line_at_the_foot_rather_than_an_empty_stretch():
    # The old repair gave the last paragraph a page break: WeasyPrint then stretched the
    # box's first part to the page's foot, a third of the page of empty shading.
    html = weasyprint.HTML(string=deferring(f"<p>{LONG}{LONG}</p>"))
    repaired = pdf_footnotes.render_keeping_notes(html, html.render)
    assert pdf_footnotes.deferred_pages(repaired) == []
    assert layout_support.empty_boxes(repaired) == []
    assert layout_support.blank_pages(repaired) == []
    first, second = page_texts(repaired)[:2]
    assert "The note of the call" in first and "The last paragraph." in first  # one line stays
    assert "The note of the call" not in second


def test_a_short_shaded_box_at_the_foot_moves_whole():
    html = weasyprint.HTML(string=deferring("<p>One short line.</p>"))
    plain = html.render()
    repaired = pdf_footnotes.render_keeping_notes(html, html.render)
    assert pdf_footnotes.deferred_pages(repaired) == []
    assert layout_support.empty_boxes(repaired) == []
    assert layout_support.blank_pages(repaired) == []  # the box was short: little is left blank
    assert "Box" in page_texts(plain)[0]  # it started on the first page ...
    first, second = page_texts(repaired)[:2]
    assert "Box" not in first and "The note of the call" not in first  # ... and now starts the next
    assert "Box" in second and "The note of the call" in second


def test_the_checker_sees_the_old_repairs_stretched_box():
    # The layout checks find what the old repair made: a page break before the last
    # paragraph of a box (the positive control of the two tests above).
    source = deferring(f"<p>{LONG}{LONG}</p>")
    broken = source.replace("<p>The last paragraph.", '<p style="break-before: page">The last paragraph.')
    found = layout_support.empty_boxes(weasyprint.HTML(string=broken).render())
    assert [(f.page, f.what) for f in found] == [(1, "div.box")]


def test_the_repair_is_deterministic():
    source = deferring(f"<p>{LONG}{LONG}</p>")
    first, second = (weasyprint.HTML(string=source) for _ in range(2))
    one = pdf_footnotes.render_keeping_notes(first, first.render).write_pdf()
    two = pdf_footnotes.render_keeping_notes(second, second.render).write_pdf()
    assert one == two
