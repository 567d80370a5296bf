"""What serve's preview worker keeps between saves, without WeasyPrint: the contents memory
(tocmemory.py) takes the exact decision whenever its guess is not safe, and a kept letter
(writers/pdf_letters.py) is laid out again as soon as its HTML or a byte it read changes."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from briefgen.document import RenderedDocument, ResourceError
from briefgen.theme import DEFAULT_THEME_DIR, load_theme
from briefgen.tocmemory import ContentsMemory
from briefgen.worker import TOC_MIN_PAGES, _lay_out_with_contents_decided
from briefgen.writers import pdf_letters

STEM = "brief.public.en"


class Pages:
    """A document and its layout: so many pages with contents, so many without."""

    def __init__(self, with_toc: int, plain: int, words: int = 1000):
        self.counts = {True: with_toc, False: plain}
        self.words = words  # 1000 words, no breaks: between 2 and 10 pages, a layout decides
        self.laid_out: list[bool] = []

    def document_for(self, show_toc: bool):
        words = self.words
        parsed = SimpleNamespace(words_and_breaks=lambda enough=None: (words, 0))
        return SimpleNamespace(toc=show_toc, parsed=parsed)

    def layout(self, document, at_least: int | None = None):
        self.laid_out.append(document.toc)
        pages = self.counts[document.toc]
        if at_least is not None and pages >= at_least:
            return None  # as writers/pdf.layout: known to run to that many pages
        return SimpleNamespace(pages=[object()] * pages)


def lay_out(memory: ContentsMemory, pages: Pages):
    document, laid_out, toc = memory.lay_out(
        STEM, pages.document_for, pages.layout, _lay_out_with_contents_decided
    )
    assert document.toc is toc
    return toc, len(laid_out.pages)


def test_first_build_decides_exactly_and_remembers():
    memory, pages = ContentsMemory(), Pages(with_toc=7, plain=6)
    assert lay_out(memory, pages) == (True, 7)
    assert pages.laid_out == [False, True]  # counted without contents, then laid out with them
    assert memory.decisions[STEM] == (True, 7) and STEM not in memory.unverified


def test_same_pages_as_last_time_is_one_layout_and_unverified():
    memory = ContentsMemory()
    memory.decisions[STEM] = (True, 7)
    pages = Pages(with_toc=7, plain=6)
    assert lay_out(memory, pages) == (True, 7)
    assert pages.laid_out == [True]
    assert STEM in memory.unverified


@pytest.mark.parametrize(
    ("with_toc", "plain", "expected"),
    [(8, 6, (True, 8)), (6, TOC_MIN_PAGES - 1, (False, TOC_MIN_PAGES - 1))],
)
def test_other_page_count_decides_exactly(with_toc, plain, expected):
    memory = ContentsMemory()
    memory.decisions[STEM] = (True, 7)
    pages = Pages(with_toc=with_toc, plain=plain)
    assert lay_out(memory, pages) == expected
    build = Pages(with_toc, plain)
    exact = _lay_out_with_contents_decided(build.document_for, build.layout, True)
    assert (exact[2], len(exact[1].pages)) == expected  # what a build decides
    assert pages.laid_out == [True, False]  # the layout with contents is kept, not made twice
    assert STEM not in memory.unverified


def test_no_contents_last_time_or_a_clear_estimate_is_never_a_guess():
    memory = ContentsMemory()
    memory.decisions[STEM] = (False, 4)
    pages = Pages(with_toc=6, plain=4)
    assert lay_out(memory, pages) == (False, 4)
    assert STEM not in memory.unverified
    memory.decisions[STEM] = (True, 30)
    long = Pages(with_toc=30, plain=29, words=800 * 30)  # surely over four pages: no count needed
    assert lay_out(memory, long) == (True, 30)
    assert long.laid_out == [True] and STEM not in memory.unverified


# ---------------------------------------------------------------- kept letters


def letter_document(html: str, files: dict[str, bytes], reads: list[str]) -> RenderedDocument:
    def read(url: str) -> tuple[bytes, str]:
        reads.append(url)
        if url not in files:
            raise ResourceError(f"{url}: not found")
        return files[url], "image/png"

    return RenderedDocument(
        html=html,
        theme=load_theme(DEFAULT_THEME_DIR),
        read_resource=read,
        base_url="file:///project/",
        template="policy-brief.html.j2",
        language="en",
        timestamp=datetime(2016, 1, 19, tzinfo=UTC),
    )


class FakeLayout:
    """Reads what the letter names, as WeasyPrint would through the fetcher, and warns once."""

    def __init__(self):
        self.calls = 0

    def __call__(self, document: RenderedDocument):
        self.calls += 1
        document.read_resource("file:///project/assets/signature.png")
        document.warn("a font warning")
        return SimpleNamespace(pages=[f"page of layout {self.calls}"])


def test_a_kept_letter_is_laid_out_again_only_when_something_changed(monkeypatch):
    monkeypatch.setattr(pdf_letters, "_kept", {})
    files = {"file:///project/assets/signature.png": b"first signature"}
    lay = FakeLayout()
    html = '<html><body><section class="letter">Dear reader</section></body></html>'

    def pages(text: str) -> tuple[list, list[str]]:
        document = letter_document(text, files, [])
        return pdf_letters.letter_pages(document, lay), document.warnings

    assert pages(html) == (["page of layout 1"], ["a font warning"])
    assert pages(html) == (["page of layout 1"], ["a font warning"])  # kept, and said again
    assert lay.calls == 1
    files["file:///project/assets/signature.png"] = b"another signature"  # same name, new bytes
    assert pages(html)[0] == ["page of layout 2"]
    assert pages(html.replace("Dear", "Hello"))[0] == ["page of layout 3"]
    assert pages(html)[0] == ["page of layout 2"]  # both kept
    del files["file:///project/assets/signature.png"]  # gone: laid out again, which fails
    with pytest.raises(ResourceError):
        pages(html)


def test_letters_are_not_kept_in_a_build(monkeypatch):
    monkeypatch.setattr(pdf_letters, "_kept", None)
    files = {"file:///project/assets/signature.png": b"x"}
    lay = FakeLayout()
    html = '<html><body><section class="letter">Dear reader</section></body></html>'
    for _ in range(2):
        pdf_letters.letter_pages(letter_document(html, files, []), lay)
    assert lay.calls == 2
