"""The one-pass PDF string reader (pdfstrings.py) behind the confidentiality check.

A canary in each place a PDF can carry a template's words (page text, document info, XMP
metadata, the outline, alt text, a link's target, an attachment and its name, a named
destination) is found by check_output, and all but the page text by pdfstrings itself,
without falling back to qpdf; on files briefgen writes it reads the same strings as qpdf's
walk; anything it cannot read exactly goes to qpdf, and the canary is still found.
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from conftest import virtual_document

from briefgen import pdfstrings
from briefgen.check import _pdf_strings, check_output, normalize
from briefgen.document import ResourceError
from briefgen.images import metadata_text
from briefgen.ledger import Ledger, Withheld
from briefgen.writers import pdf as pdf_writer

CANARIES = {
    "info": "Canary in the title Qarabag",
    "xmp": "Canary in the packet Lankaran",
    "outline": "Canary in the bookmark Sheki",
    "alt": "Canary in the alt text Zaqatala",
    "link": "https://example.org/canary-in-the-link-Quba",
    "attachment": "Canary inside the attached file Shamakhi",
    "attachment-name": "canary-attachment-name-Gabala.txt",
    "destination": "canary-destination-Lerik",
    "unicode": "Канарейка в подписи Şəki – ƏƎ",
    "nested": "Canary (with (nested) parentheses) Astara",
}
PAGE_CANARY = "Canary on the page Naxcivan"


def ledger_of(*values: str) -> Ledger:
    return Ledger([Withheld(f"cases.x.{i}", value) for i, value in enumerate(values)], [])


def hiding_places(path: Path, *, object_streams: bool, compress: bool = True) -> Path:
    """A PDF (made by qpdf, as no briefgen template may attach a file) with a canary in each place."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1))
    font.BaseFont = pikepdf.Name.Helvetica
    page = pdf.add_blank_page()
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(f"BT /F1 12 Tf 72 700 Td ({PAGE_CANARY}) Tj ET".encode())
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:description"] = CANARIES["xmp"]
    pdf.docinfo["/Title"] = CANARIES["info"]
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem(CANARIES["outline"], 0))
    figure = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Figure, Alt=CANARIES["alt"])
    )
    pdf.Root.StructTreeRoot = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array([figure]))
    )
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[72, 72, 144, 90],
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(CANARIES["link"])),
    )
    page.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))
    attached = pikepdf.AttachedFileSpec(
        pdf, CANARIES["attachment"].encode(), filename=CANARIES["attachment-name"]
    )
    pdf.attachments[CANARIES["attachment-name"]] = attached
    pdf.Root.Names.Dests = pikepdf.Dictionary(
        Names=pikepdf.Array(
            [pikepdf.String(CANARIES["destination"]), pikepdf.Array([page.obj, pikepdf.Name.Fit])]
        )
    )
    pdf.Root.Extra = pdf.make_indirect(
        pikepdf.Dictionary(
            Unicode=pikepdf.String(CANARIES["unicode"]),
            Nested=pikepdf.String(CANARIES["nested"]),
        )
    )
    mode = pikepdf.ObjectStreamMode.generate if object_streams else pikepdf.ObjectStreamMode.disable
    pdf.save(path, object_stream_mode=mode, compress_streams=compress, deterministic_id=True)
    return path


@pytest.mark.parametrize("object_streams", [True, False], ids=["object-streams", "plain-objects"])
def test_a_canary_in_each_place_is_found(tmp_path, object_streams):
    path = hiding_places(tmp_path / "places.pdf", object_streams=object_streams)
    if object_streams:
        assert b"/ObjStm" in path.read_bytes()
    texts, images = pdfstrings.read(path.read_bytes())  # no fallback: this reader read it
    haystack = normalize("\n".join(texts))
    for place, canary in CANARIES.items():
        assert normalize(canary) in haystack, place
        message = check_output(path, "pdf", ledger_of(canary))
        assert message and message.where == "cases.x.0", place
    assert normalize(PAGE_CANARY) not in haystack  # the page's text is PDFium's part
    assert check_output(path, "pdf", ledger_of(PAGE_CANARY))
    assert check_output(path, "pdf", ledger_of("Nothing of the kind was written")) is None
    assert images == []


def test_the_same_strings_as_qpdfs_walk(tmp_path):
    path = hiding_places(tmp_path / "places.pdf", object_streams=True)
    texts, _images = pdfstrings.read(path.read_bytes())
    assert set(texts) >= set(_pdf_strings(path))


def no_resources(url: str) -> tuple[bytes, str]:
    raise ResourceError(f"{url}: not available")


def test_the_same_strings_as_qpdfs_walk_in_a_written_brief(tmp_path):
    from photo_fixtures import MARKERS, camera_jpeg

    photo = camera_jpeg()
    html = (
        '<!DOCTYPE html><html lang="en"><head><title>Strings (and more)</title>'
        '<meta name="keywords" content="a \\ backslash, (parentheses)"></head><body>'
        '<h1 id="top" style="bookmark-label: \'Outline (label)\'">Cases</h1>'
        '<p><a href="https://example.org/a(b)c">link</a> <a href="#top">back</a></p>'
        '<img src="photo.jpg" alt="Alt text – Ünïcode ƏƎ">'
        "<table><tr><th>Name</th></tr><tr><td>Anar</td></tr></table></body></html>"
    )

    def read(url: str) -> tuple[bytes, str]:
        if url.endswith("photo.jpg"):
            return photo, "image/jpeg"
        raise ResourceError(url)

    document = virtual_document(html, read)
    path = pdf_writer.write(document, tmp_path / "brief.pdf").path
    texts, images = pdfstrings.read(path.read_bytes())
    ours = texts + [metadata_text(image) for image in images]
    theirs = _pdf_strings(path)
    assert set(ours) == set(theirs)
    assert any("Alt text – Ünïcode ƏƎ" in text for text in ours)
    assert any("https://example.org/a(b)c" in text for text in ours)
    assert len(images) == 1 and MARKERS["comment"] in metadata_text(images[0])


def test_what_it_cannot_read_goes_to_qpdf(tmp_path, monkeypatch):
    """An encrypted file, a text stream under a filter other than Flate, a truncated file:
    Unreadable, and the check reads them through qpdf, canaries and all."""
    encrypted = tmp_path / "encrypted.pdf"
    with pikepdf.open(hiding_places(tmp_path / "plain.pdf", object_streams=True)) as pdf:
        pdf.save(encrypted, encryption=pikepdf.Encryption(owner="owner", user="", R=4))
    # The XMP packet under ASCIIHexDecode, written into the bytes (qpdf would decode it on
    # saving); its cross-reference offsets are off by the difference, which qpdf repairs.
    plain = hiding_places(tmp_path / "uncompressed.pdf", object_streams=False, compress=False).read_bytes()
    head = re.search(rb"<< /Subtype /XML /Type /Metadata /Length (\d+) >>\nstream\n", plain)
    packet = plain[head.end() : head.end() + int(head[1])]
    hexed = packet.hex().encode() + b">"
    hex_metadata = tmp_path / "hex.pdf"
    hex_metadata.write_bytes(
        plain[: head.start()]
        + b"<< /Subtype /XML /Type /Metadata /Filter /ASCIIHexDecode /Length %d >>\nstream\n" % len(hexed)
        + hexed
        + plain[head.end() + len(packet) :]
    )
    data = hiding_places(tmp_path / "whole.pdf", object_streams=True).read_bytes()
    truncated = tmp_path / "truncated.pdf"
    at = data.index(b"stream", data.index(b"/ObjStm"))
    truncated.write_bytes(data[: at + 40])

    fallbacks = []
    original = _pdf_strings
    monkeypatch.setattr("briefgen.check._pdf_strings", lambda path: fallbacks.append(path) or original(path))
    for path, found in ((encrypted, CANARIES), (hex_metadata, {"xmp": CANARIES["xmp"]})):
        with pytest.raises(pdfstrings.Unreadable):
            pdfstrings.read(path.read_bytes())
        for place, canary in found.items():
            message = check_output(path, "pdf", ledger_of(canary))
            assert message and message.where == "cases.x.0", (path.name, place)
    with pytest.raises(pdfstrings.Unreadable):
        pdfstrings.read(truncated.read_bytes())
    assert set(fallbacks) == {encrypted, hex_metadata}


def test_an_escaped_name_sends_the_file_to_qpdf(tmp_path):
    """/Obj#53tm is /ObjStm: a stream this reader would not recognise (and so not read) goes
    to qpdf instead, canaries and all."""
    data = hiding_places(tmp_path / "whole.pdf", object_streams=True).read_bytes()
    escaped = tmp_path / "escaped.pdf"
    escaped.write_bytes(data.replace(b"/Type /ObjStm", b"/Type /Obj#53tm"))
    with pytest.raises(pdfstrings.Unreadable):
        pdfstrings.read(escaped.read_bytes())
    for place, canary in CANARIES.items():
        message = check_output(escaped, "pdf", ledger_of(canary))
        assert message and message.where == "cases.x.0", place


@pytest.mark.parametrize(
    ("syntax", "text"),
    [
        (rb"(plain)", "plain"),
        (rb"(a \(paren\) and \\ backslash)", "a (paren) and \\ backslash"),
        (rb"(nested (balanced (deep)) ones)", "nested (balanced (deep)) ones"),
        (rb"(octal \101\102C \0501)", "octal ABC (1"),
        (b"(line \\\ncontinued)", "line continued"),
        (rb"(\n\t)", "\n\t"),
        (rb"<48 65 6c6C 6f>", "Hello"),
        (rb"<4865 7>", "Hep"),
        (rb"<FEFF041A0430>", "Ка"),
        (rb"<FFFE1A043004>", "Ка"),  # UTF-16LE after its byte order mark, as qpdf reads it
        (b"(\xef\xbb\xbfh\xc3\xa9)", "hé"),
        (b"(\x93ve)", "ﬁve"),  # PDFDocEncoding's fi ligature, as qpdf reads it
        (
            rb"(% not a comment < nor a hex > nor endobj stream)",
            "% not a comment < nor a hex > nor endobj stream",
        ),
    ],
)
def test_string_syntax_read_as_qpdf_reads_it(syntax, text):
    raws = pdfstrings.strings_in(b"<</K " + syntax + b" /N 1>>")
    assert [pdfstrings.decode_string(raw) for raw in raws] == [text]
    assert str(pikepdf.Object.parse(syntax)) == text  # and qpdf reads the same


def test_comments_and_dictionaries_hold_no_strings():
    syntax = b"<</A <</B 1>> /C [<</D (one)>>] >>\n% (not a string) <ABCD>\n<</E <0041>>>"
    assert [pdfstrings.decode_string(raw) for raw in pdfstrings.strings_in(syntax)] == ["one", "\x00A"]


@pytest.mark.parametrize("syntax", [b"(never closed", b"<</A (x (y) >>", b"<</A <414G>>>"])
def test_malformed_syntax_is_unreadable(syntax):
    with pytest.raises(pdfstrings.Unreadable):
        pdfstrings.strings_in(syntax)


def test_pdfdocencoding_as_pikepdfs_codec():
    import pikepdf.codec  # noqa: F401  (registers "pdfdoc")

    every_byte = bytes(range(256)).replace(b"\\", b"")
    assert pdfstrings.decode_string(every_byte) == every_byte.decode("pdfdoc", errors="replace")


def test_reading_a_written_pdf_back_does_not_import_qpdf(tmp_path):
    """pikepdf (qpdf) is imported only for a file the one-pass reader cannot read."""
    import subprocess
    import sys

    path = hiding_places(tmp_path / "places.pdf", object_streams=True)
    script = (
        "import sys\nfrom pathlib import Path\nfrom briefgen.check import pdf_text\n"
        "text = pdf_text(Path(sys.argv[1]))\n"
        "assert 'Lankaran' in text and 'Naxcivan' in text, text\n"
        "assert 'pikepdf' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True)
