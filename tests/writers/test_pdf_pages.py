"""Page digests (writers/pdf_pages.py): serve's print view copies a page whose digest it has
drawn already instead of drawing it again, so a digest must change whenever what its page
shows changes, and should stay when a change elsewhere leaves the page as it was. Each case
writes real PDFs through the PDF writer and compares their digests."""

from __future__ import annotations

import io

import pytest
from conftest import virtual_document

from briefgen.writers import pdf, pdf_pages

pytest.importorskip("weasyprint")
pytestmark = pytest.mark.slow  # a score of real layouts


@pytest.fixture(autouse=True)
def digests_wanted(monkeypatch):
    monkeypatch.setattr(pdf_pages, "_WANTED", True)


def brief(*sections: str, css: str = "") -> str:
    """The title's page, then one page per section."""
    body = "".join(
        f"<section style='break-before: page'><h2>Part {n}</h2>{s}</section>"
        for n, s in enumerate(sections, 1)
    )
    return (
        f"<html lang='en'><head><title>Brief</title><style>{css}</style></head>"
        f"<body><main><h1>A brief</h1>{body}</main></body></html>"
    )


SECTIONS = [f"<p>The text of part {n}, which stays as it is.</p>" for n in range(1, 5)]


def digests(tmp_path, html: str, read_resource=None, name: str = "brief.pdf") -> tuple[str, ...]:
    document = virtual_document(html) if read_resource is None else virtual_document(html, read_resource)
    written = pdf.write(document, tmp_path / name)
    assert written.page_digests is not None and len(written.page_digests) == written.pages
    return written.page_digests


def changed(before, after) -> list[int]:
    assert len(before) == len(after)
    return [number for number, (a, b) in enumerate(zip(before, after, strict=True), 1) if a != b]


def with_section(number: int, text: str) -> list[str]:
    return [text if n == number else s for n, s in enumerate(SECTIONS, 1)]


def test_the_same_document_gives_the_same_digests_one_per_page(tmp_path):
    first = digests(tmp_path, brief(*SECTIONS))
    assert len(first) == 5 and len(set(first)) == 5  # the title's page and four parts
    assert digests(tmp_path, brief(*SECTIONS), name="again.pdf") == first


def test_a_word_changed_on_one_page_changes_that_page_only(tmp_path):
    before = digests(tmp_path, brief(*SECTIONS))
    after = digests(
        tmp_path, brief(*with_section(3, "<p>The text of part 3, which was edited.</p>")), name="b.pdf"
    )
    assert changed(before, after) == [4]  # the title's page is page 1


def test_letters_new_to_the_font_subset_leave_other_pages_as_they_were(tmp_path):
    # The embedded font subset gains glyphs; the pages that do not use them draw the same.
    before = digests(tmp_path, brief(*SECTIONS))
    after = digests(tmp_path, brief(*with_section(2, "<p>Ĳssel Ŧwelve Ƿynn, QXZ 987 ß.</p>")), name="b.pdf")
    assert changed(before, after) == [3]


def test_a_font_new_to_the_document_changes_only_the_page_that_uses_it(tmp_path):
    # The first italic word brings a face the other pages do not name.
    before = digests(tmp_path, brief(*SECTIONS))
    after = digests(
        tmp_path,
        brief(*with_section(2, "<p>The text of part 2, <em>now</em> with emphasis.</p>")),
        name="b.pdf",
    )
    assert changed(before, after) == [3]


def test_a_colour_changes_the_page_it_is_on(tmp_path):
    before = digests(
        tmp_path, brief(*with_section(2, "<p class='x'>Coloured.</p>"), css=".x { color: #000 }")
    )
    after = digests(
        tmp_path,
        brief(*with_section(2, "<p class='x'>Coloured.</p>"), css=".x { color: #c00 }"),
        name="b.pdf",
    )
    assert changed(before, after) == [3]


def test_what_a_group_draws_is_part_of_its_page(tmp_path):
    # Translucent content is drawn in a form XObject the page stream only names: the same
    # name in both files, different drawings inside.
    def group(text: str) -> str:
        return f"<p style='opacity: 0.5'>{text}</p>"

    before = digests(tmp_path, brief(*with_section(2, group("Inside the group, first."))))
    after = digests(tmp_path, brief(*with_section(2, group("Inside the group, later."))), name="b.pdf")
    assert changed(before, after) == [3]


def _png(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return out.getvalue()


def test_an_image_with_other_pixels_changes_its_page(tmp_path):
    def reader_of(colour):
        return lambda url: (_png(colour), "image/png")

    html = brief(*with_section(2, "<p><img src='picture.png' alt='A square' width='40' height='30'></p>"))
    before = digests(tmp_path, html, reader_of((200, 0, 0)))
    same = digests(tmp_path, html, reader_of((200, 0, 0)), name="same.pdf")
    after = digests(tmp_path, html, reader_of((0, 0, 200)), name="b.pdf")
    assert same == before
    assert changed(before, after) == [3]


COUNTED = '@page { @bottom-right { content: "Page " counter(page) " of " counter(pages) } }'


def test_a_page_more_changes_every_page_that_prints_the_count(tmp_path):
    before = digests(tmp_path, brief(*SECTIONS, css=COUNTED))
    after = digests(tmp_path, brief(*SECTIONS, "<p>A fifth part.</p>", css=COUNTED), name="b.pdf")
    uncounted = digests(tmp_path, brief(*SECTIONS, "<p>A fifth part.</p>"), name="c.pdf")
    assert changed(digests(tmp_path, brief(*SECTIONS), name="d.pdf"), uncounted[: len(before)]) == []
    assert len(after) == len(before) + 1
    assert changed(before, after[: len(before)]) == list(range(1, len(before) + 1))


def test_the_pdf_is_the_same_with_or_without_digests(tmp_path, monkeypatch):
    # Every kind of stream whose chunks the digest joins: a page, a group, an image; and a
    # link's annotation, whose destination the digest leaves out.
    html = brief(
        *with_section(
            2,
            "<p style='opacity: 0.5'>Inside a group.</p>"
            "<p><img src='picture.png' alt='A square' width='40' height='30'> <a href='#part'>A link</a></p>"
            "<p id='part'>Linked to.</p>",
        )
    )
    read = lambda url: (_png((10, 120, 40)), "image/png")  # noqa: E731
    with_digests = pdf.write(virtual_document(html, read), tmp_path / "with.pdf")
    assert with_digests.page_digests is not None
    monkeypatch.setattr(pdf_pages, "_WANTED", False)
    written = pdf.write(virtual_document(html, read), tmp_path / "without.pdf")
    assert written.page_digests is None
    assert (tmp_path / "with.pdf").read_bytes() == (tmp_path / "without.pdf").read_bytes()
