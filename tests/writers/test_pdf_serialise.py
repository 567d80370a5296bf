"""PDF serialisation in one pass (writers/pdf_serialise.py) against pydyf's own writer.

The same WeasyPrint document (tagged, with fonts, a link, an outline and metadata) is written
by pydyf and by pdf_serialise: at pydyf's compression level the bytes are equal; at ours the
file reads back (qpdf, PDFium) with the same objects, text and identifier scheme.
"""

from __future__ import annotations

import hashlib
import io
import re
import zlib

import pikepdf
import pydyf
import pypdfium2
import pytest
from conftest import virtual_document

from briefgen.writers import pdf, pdf_serialise

HTML = (
    '<!DOCTYPE html><html lang="en"><head><title>Serialised once</title>'
    '<meta name="author" content="Briefing team"></head><body>'
    "<h1>Cases</h1><p>Anar Mammadli was detained in 2013 "
    '(<a href="https://example.org/report">report</a>).</p>'
    "<h2>Sentences</h2><table><tr><th>Name</th><th>Years</th></tr>"
    "<tr><td>Emin Huseynov</td><td>3</td></tr></table>"
    '<p style="break-before: page">Ислам Гусейнов, second page.</p></body></html>'
)
IDENTIFIER = b"0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def laid_out():
    document = virtual_document(HTML)
    return pdf.layout(document)


def written(laid_out, writer) -> bytes:
    """The document's PDF, its pydyf.PDF written by `writer(pdf, output, version, id, compress)`."""

    def finisher(_document, pdf_objects):
        pdf_objects.write = lambda *args: writer(pdf_objects, *args)

    output = io.BytesIO()
    laid_out.write_pdf(
        output, pdf_variant="pdf/ua-1", pdf_tags=True, pdf_identifier=IDENTIFIER, finisher=finisher
    )
    return output.getvalue()


def test_at_pydyfs_level_the_bytes_are_pydyfs(laid_out):
    theirs = written(laid_out, pydyf.PDF.write)
    ours = written(laid_out, lambda *args: pdf_serialise.write(*args, level=9))
    assert ours == theirs
    assert b"/ObjStm" in ours and b"/ID [" in ours  # the path that serialises once was taken


def test_at_the_default_level_the_file_holds_the_same(laid_out, tmp_path):
    theirs, ours = tmp_path / "pydyf.pdf", tmp_path / "ours.pdf"
    theirs.write_bytes(written(laid_out, pydyf.PDF.write))
    ours.write_bytes(written(laid_out, pdf_serialise.write))
    assert ours.read_bytes() != theirs.read_bytes()  # compressed at another level
    with pikepdf.open(theirs) as a, pikepdf.open(ours) as b:
        assert len(a.objects) == len(b.objects)
        for x, y in zip(a.objects, b.objects, strict=True):
            if isinstance(x, pikepdf.Stream) and x.get("/Type") == "/XRef":
                continue  # the offsets of objects, which their sizes move
            if isinstance(x, pikepdf.Stream):
                assert x.read_bytes() == y.read_bytes()
            else:
                assert x.unparse(resolved=True) == y.unparse(resolved=True)
        # The identifier: ours as given, then the digest of every object's bytes as written.
        assert bytes(b.trailer.ID[0]) == IDENTIFIER
        assert bytes(a.trailer.ID[1]) != bytes(b.trailer.ID[1])
    for path in (theirs, ours):
        document = pypdfium2.PdfDocument(str(path))
        try:
            text = [page.get_textpage().get_text_range() for page in document]
        finally:
            document.close()
        assert "Anar Mammadli" in text[0] and "Ислам Гусейнов" in text[1]


def test_the_identifier_is_the_digest_of_the_bytes_written(laid_out):
    """/ID's second half is, as pydyf defines it, the MD5 of every object's bytes in number
    order (the object stream included): recomputed here from the file itself."""
    data = written(laid_out, pdf_serialise.write)
    objects: dict[int, bytes] = {}
    for header in re.finditer(rb"(?m)^(\d+) 0 obj\n", data):
        objects[int(header[1])] = data[header.end() : data.index(b"\nendobj", header.end())]
    (number, stream), *_ = ((n, o) for n, o in objects.items() if b"/Type /ObjStm" in o)
    first = int(re.search(rb"/First (\d+)", stream)[1])
    raw = stream[stream.index(b"\nstream\n") + 8 : stream.rindex(b"\nendstream")]
    content = zlib.decompress(raw)
    numbers = [int(n) for n in content[: first - 1].split()]
    offsets = [*numbers[1::2], len(content) - first + 1]
    for i, inner in enumerate(numbers[::2]):
        objects[inner] = content[first + offsets[i] : first + offsets[i + 1] - 1]
    xref = max(objects)  # the cross-reference stream, written after the digest
    digest = hashlib.md5(b"".join(objects[n] for n in sorted(objects) if n != xref)).hexdigest()
    assert number < xref and sorted(objects) == list(range(1, xref + 1))
    assert b"/ID [(" + IDENTIFIER + b") (" + digest.encode() + b")]" in objects[xref]
    assert written(laid_out, pdf_serialise.write) == data  # and it is deterministic


def test_other_cases_are_left_to_pydyf(laid_out):
    """An uncompressed PDF is written by pydyf itself, as before."""
    output = io.BytesIO()
    laid_out.write_pdf(output, pdf_variant="pdf/ua-1", pdf_tags=True, uncompressed_pdf=True)
    plain = output.getvalue()

    def finisher(_document, pdf_objects):
        pdf_objects.write = lambda *args: pdf_serialise.write(pdf_objects, *args)

    output = io.BytesIO()
    laid_out.write_pdf(
        output, pdf_variant="pdf/ua-1", pdf_tags=True, uncompressed_pdf=True, finisher=finisher
    )
    assert output.getvalue() == plain
    assert b"/ObjStm" not in plain


def test_the_pdf_writer_uses_it(laid_out, tmp_path, monkeypatch):
    calls = []
    original = pdf_serialise.write

    def spy(*args, **kwargs):
        calls.append(args[3])
        return original(*args, **kwargs)

    monkeypatch.setattr(pdf_serialise, "write", spy)
    document = virtual_document(HTML)
    target = pdf.write(document, tmp_path / "out.pdf").path
    assert len(calls) == 1 and calls[0]  # with the content-derived identifier
    with pikepdf.open(target) as written_pdf:
        assert bytes(written_pdf.trailer.ID[0]) == calls[0]
