"""The tagging step with page references looked up once (writers/pdf_tagging.py): the same
structure tree, byte for byte, as WeasyPrint's own add_tags on a document of several pages."""

from __future__ import annotations

import io

import pikepdf
import pydyf
import pytest
import weasyprint.pdf
from conftest import virtual_document

from briefgen.writers import pdf, pdf_tagging

PAGES = "".join(
    f'<h2 style="break-before: page">Case {n}</h2><p>Detained in 20{n:02}, '
    f'<a href="#case-{n}">see</a>.</p><table><tr><th>Name</th><th>Year</th></tr>'
    f"<tr><td>Person {n}</td><td>20{n:02}</td></tr></table>"
    for n in range(1, 6)
)
HTML = (
    '<!DOCTYPE html><html lang="en"><head><title>Tagged</title></head>'
    f'<body><h1 id="case-1">Cases</h1>{PAGES}</body></html>'
)


@pytest.fixture(scope="module")
def laid_out():
    document = virtual_document(HTML)
    return pdf.layout(document)


def tagged(laid_out) -> bytes:
    output = io.BytesIO()
    laid_out.write_pdf(output, pdf_variant="pdf/ua-1", pdf_tags=True, pdf_identifier=b"0" * 32)
    return output.getvalue()


def test_the_same_file_with_fewer_page_lists(laid_out, monkeypatch):
    assert pdf_tagging.install()
    wrapped = weasyprint.pdf.add_tags
    assert wrapped.__wrapped__ is not wrapped
    calls = []
    original_property = pydyf.PDF.page_references

    def counting(self):
        calls.append(1)
        return original_property.fget(self)

    monkeypatch.setattr(pydyf.PDF, "page_references", property(counting))
    ours = tagged(laid_out)
    ours_calls = len(calls)
    monkeypatch.setattr(weasyprint.pdf, "add_tags", wrapped.__wrapped__)
    calls.clear()
    theirs = tagged(laid_out)
    assert ours == theirs
    # WeasyPrint asks for every structure element; the wrapper once (the links' destinations
    # ask outside the tagging step, in both).
    assert len(calls) > ours_calls + 20
    with pikepdf.open(io.BytesIO(ours)) as written:
        assert len(written.pages) == 6
        root = written.Root.StructTreeRoot
        pages = {page.objgen for page in written.pages}
        seen = set()

        def walk(node, depth=0):
            if depth > 50 or not isinstance(node, pikepdf.Dictionary):
                return
            if "/Pg" in node:
                assert node.Pg.objgen in pages
                seen.add(node.Pg.objgen)
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid, depth + 1)

        walk(root)
        assert seen == pages  # every page's elements point at that page


def test_the_pdf_object_keeps_its_class(laid_out):
    """The page list is fixed only while the tree is built: afterwards the PDF is pydyf's
    again, its pages counted afresh."""
    pdf_tagging.install()
    seen = []

    def finisher(_document, pdf_objects):
        seen.append(type(pdf_objects))
        assert not hasattr(pdf_objects, "_page_references")

    laid_out.write_pdf(io.BytesIO(), pdf_variant="pdf/ua-1", pdf_tags=True, finisher=finisher)
    assert seen == [pydyf.PDF]
