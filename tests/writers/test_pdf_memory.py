"""What keeps a long PDF's layout small (writers/pdf.py, worker.py): break opportunities as
characters, not elements, and the laid-out pages let go before the DOCX is written."""

from __future__ import annotations

import pypdfium2
from conftest import virtual_document

from briefgen.writers import pdf

ADDRESS = "https://<wbr>www.<wbr>example.<wbr>org/<wbr>reports/<wbr>2016/<wbr>azerbaijan-<wbr>justice"
TEXT = ADDRESS.replace("<wbr>", "")


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _narrow(html_body: str) -> str:
    return (
        '<html lang="en"><head><title>t</title><style>@page { size: 60mm 200mm; margin: 5mm }</style></head>'
        f"<body><p>See {html_body} for more.</p></body></html>"
    )


def test_a_break_opportunity_is_no_element_in_the_layout():
    """Each `<wbr>` is an element with a ::before box in WeasyPrint (its stylesheet gives it
    a zero-width space): thousands in a dossier cost ~160 MB. Written as the character, the
    layout has no wbr box at all."""
    laid_out = pdf.layout(virtual_document(_narrow(f'<span class="url">{ADDRESS}</span>')))
    tags = {getattr(box, "element_tag", None) for page in laid_out.pages for box in _boxes(page._page_box)}
    assert "wbr" not in tags and "wbr::before" not in tags


def test_the_address_still_breaks_between_its_parts(tmp_path):
    """The character is the same break opportunity: in a 50 mm column the address runs over
    several lines, each ending after one of its parts, and its text is whole."""
    document = virtual_document(_narrow(f'<span class="url">{ADDRESS}</span>'))
    target = tmp_path / "narrow.pdf"
    pdf.write(document, target)
    page = pypdfium2.PdfDocument(target)[0]
    # PDFium reads a hyphen ending a line as U+FFFE.
    text = page.get_textpage().get_text_range().replace("\ufffe", "-").replace("\u200b", "")
    lines = [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]
    assert len(lines) >= 3
    assert TEXT in "".join(lines).replace("See", "").replace("for more.", "")


def test_only_a_web_address_loses_its_wbr_elements():
    """Long tokens (wrapping.py) keep theirs: WeasyPrint lays out a long run of letters split
    by elements more evenly than one text with zero-width spaces in it."""
    url = f'<span class="url">{ADDRESS}</span>'
    token = '<span class="long-token">abcdefghijab<wbr>cdefghijabcd</span>'
    written = pdf.without_wbr_elements(f"<p>{url} {token}</p>")
    assert written == f"<p>{url.replace('<wbr>', chr(0x200B))} {token}</p>"
    assert pdf.without_wbr_elements("<p>no break</p>") == "<p>no break</p>"


def test_anchors_only_keeps_what_the_docx_contents_read():
    """After the PDF is written the worker keeps only each page's anchors (the DOCX contents'
    page numbers): the same numbers as from the whole layout, and no boxes."""
    from briefgen.writers.docx.contents import pdf_pages

    parts = "".join(f'<h2 id="part-{n}" style="break-before: page">Part {n}</h2><p>.</p>' for n in range(3))
    html = f'<html lang="en"><head><title>t</title></head><body>{parts}</body></html>'
    laid_out = pdf.layout(virtual_document(html))
    reduced = pdf.anchors_only(laid_out)
    assert pdf_pages(reduced) == pdf_pages(laid_out)
    assert pdf_pages(reduced)["part-2"] == 3
    assert not any(hasattr(page, "_page_box") for page in reduced.pages)


def test_a_web_address_in_right_to_left_text_reads_in_order(tmp_path):
    """As elements, each part of the address was a box of its own, and a right-to-left line
    put the boxes in reverse order ("2016/reports/org.example"); as one text it reads as
    written."""
    import pypdfium2

    from briefgen import bidi
    from briefgen.urls import mark_urls

    body = "<p>انظر التقرير في https://www.example.org/reports/2016/azerbaijan للمزيد.</p>"
    html = f'<html lang="ar" dir="rtl"><head><title>t</title></head><body>{body}</body></html>'
    document = virtual_document(bidi.isolate(mark_urls(html), "ar"))
    document.language = "ar"
    target = tmp_path / "rtl.pdf"
    pdf.write(document, target)
    text = pypdfium2.PdfDocument(target)[0].get_textpage().get_text_range()
    assert "https://www.example.org/reports/2016/azerbaijan" in text.replace("\u200b", "")
