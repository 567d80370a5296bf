"""PDF writer: a RenderedDocument -> a tagged, font-embedding PDF through WeasyPrint.

Resources come only through the document's sandboxed reader; any resource that cannot be
read stops the build (WeasyPrint would otherwise drop it with a log line). Metadata is what
the HTML head says and nothing else: no producer string, fixed dates, a content-derived
file identifier, so identical input gives identical bytes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
from contextlib import contextmanager
from functools import cache, partial
from pathlib import Path
from typing import NamedTuple

from .. import fonts
from ..document import RenderedDocument, ResourceError, WrittenFile
from ..outputwarnings import FOREIGN_FONT
from . import pdf_charts, pdf_footnotes, pdf_letters, pdf_pages, pdf_serialise, pdf_tagging
from .pdf_tags import scope_table_headers


def layout(document: RenderedDocument, at_least: int | None = None):
    """Lay the document out into pages (a weasyprint.Document), for counting or writing.

    With `at_least`: None as soon as the document is known to run to that many pages or
    more, without laying out the rest (see _enough_pages); the whole layout when it is shorter.
    """
    from weasyprint import CSS, HTML
    from weasyprint.urls import FatalURLFetchingError

    # Each chart's drawing as an image: WeasyPrint's parser and cascade skip its elements.
    text, read_resource = pdf_charts.lighten(document.html, document.read_resource)
    text = without_wbr_elements(text)
    fetcher = _fetcher_class()(read_resource)
    try:
        html = HTML(string=text, base_url=document.base_url, url_fetcher=fetcher)
        late_faces = fonts.late_font_faces_css(document.theme, document.language, document.html)
        stylesheets = None
        if late_faces:
            css = CSS(
                string=late_faces, base_url=document.base_url, url_fetcher=fetcher, font_config=_font_config()
            )
            stylesheets = [css]

        # Presentational hints make <ol start="3"> count from 3, as the DOCX does.
        def render():
            enough.cut = False
            return html.render(
                font_config=_font_config(), pdf_tags=True, presentational_hints=True, stylesheets=stylesheets
            )

        with _font_warnings(document), _enough_pages(at_least) as enough:
            # A footnote WeasyPrint moved past its call's page: the block at that page's
            # foot starts the next page instead, and the pages are laid out again.
            rendered = pdf_footnotes.render_keeping_notes(html, render)
            if enough.cut:
                # No change could keep the note that stopped the last layout: the note stays
                # where WeasyPrint put it, in the whole layout as it was before the cut.
                enough.may_cut = False
                rendered = render()
        if enough.reached:
            return None
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        raise ResourceError(str(cause) if cause else str(exc)) from None
    _check_laid_out(rendered)
    return rendered


class _EnoughPages(Exception):
    """Raised from inside WeasyPrint's layout once the pages asked for are made."""


class _PageLimit:
    def __init__(self, pages: int | None):
        self.pages = pages
        self.reached = False
        # The layout was stopped after a page whose note moved: its pages are the repair's
        # to read (pdf_footnotes.render_keeping_notes), never a document's.
        self.cut = False
        self.may_cut = True


_PAGE_LIMIT: _PageLimit | None = None  # the layout in progress in this thread's process


@contextmanager
def _enough_pages(pages: int | None):
    """Stop the layout made inside once it is sure to run to `pages` pages, and say so
    (`.reached` on what this yields). Sure means WeasyPrint's first pages are the pages it
    keeps and that the footnote repair after it (pdf_footnotes.py) cannot take a page away:
    - nothing in the flow prints a page number (target-counter(), counter(pages) in the
      text), and no page made asks to be made again (running elements): no second pass;
    - no note was moved off any page made, so no repair changes those pages;
    - one page more than asked is made: a repair further on (a block leaving one line on
      its page, `orphans: 1; widows: 1`) moves lines by one at a time, never a whole page.

    A layout in which a note did move is laid out again once the repair has made its change
    for the first page that moved one, and the repair reads no page past the one the moved
    notes went to: that layout is cut there (`.cut`), once every moved note has its place. A
    cut layout the repair can do nothing for is laid out again whole (writers/pdf.layout).
    """
    global _PAGE_LIMIT
    if pages is None or not _watch_pages():
        yield _PageLimit(None)
        return
    limit = _PageLimit(pages)
    _PAGE_LIMIT = limit
    try:
        yield limit
    except _EnoughPages:
        limit.reached = True
    finally:
        _PAGE_LIMIT = None


@cache
def _watch_pages() -> bool:
    """Put a counter on WeasyPrint's page maker (once per process); False when this version
    of WeasyPrint has none where it is expected, and layouts then always run to the end."""
    import weasyprint.layout as weasyprint_layout

    make_all_pages = getattr(weasyprint_layout, "make_all_pages", None)
    if make_all_pages is None:
        return False

    def counted(context, root_box, html, pages):
        moved_notes = False
        for made, page in enumerate(make_all_pages(context, root_box, html, pages), 1):
            yield page
            notes_pending = bool(context.reported_footnotes)
            moved_notes = moved_notes or notes_pending
            limit = _PAGE_LIMIT
            if limit is None or limit.pages is None:
                continue
            if moved_notes and (notes_pending or not limit.may_cut):
                continue
            if not moved_notes and made <= limit.pages:
                continue
            states = [entry[-1] for entry in context.page_maker[:made]]
            again = any(state["content_changed"] or state["pages_wanted"] for state in states)
            if context.target_collector.counter_lookup_items or again:
                continue
            if moved_notes:
                if not _end_layout_after(context, made):
                    continue
                limit.cut = True
                return  # WeasyPrint makes a document of the pages made so far
            raise _EnoughPages()

    weasyprint_layout.make_all_pages = counted
    return True


def _end_layout_after(context, made: int) -> bool:
    """Leave WeasyPrint's page maker as its own make_all_pages leaves it after a last page:
    the state of the page after it is kept for the counters of those made, but not marked
    to be made (else layout_document would lay out again from there, as for a counter).
    False, changing nothing, when this version of WeasyPrint keeps its pages otherwise."""
    try:
        following = context.page_maker[made][-1]
        following["content_changed"]
        out_of_flow = context.broken_out_of_flow
    except (AttributeError, IndexError, KeyError, TypeError):
        return False
    context.page_maker = context.page_maker[: made + 1]
    following["content_changed"] = False
    out_of_flow.clear()
    return True


class _AnchoredPage(NamedTuple):
    anchors: dict


class AnchorsOnly(NamedTuple):
    """What the other writers read of a laid-out document once its PDF is written: each
    page's anchors (the DOCX contents' page numbers, docx/contents.py)."""

    pages: list[_AnchoredPage]


def anchors_only(laid_out) -> AnchorsOnly:
    """`laid_out` (a weasyprint.Document) reduced to its pages' anchors, so that its boxes can
    be let go before the DOCX is written rather than add to its memory."""
    return AnchorsOnly([_AnchoredPage(dict(page.anchors)) for page in laid_out.pages])


def without_wbr_elements(html: str) -> str:
    """`html` with each `<wbr>` in a web address (urls.py) written as the zero-width space
    WeasyPrint's own stylesheet makes of it (`wbr::before { content: "\\200B" }`): the same
    text in the PDF, but no element, style and pseudo-element box per break opportunity,
    whose computed styles cost ~26 KB each (a dossier's 4,500 cost ~160 MB of layout
    memory). A long token's `<wbr>` (wrapping.py) stays an element: WeasyPrint breaks a run
    of letters split by elements more evenly than one long text of them."""
    if "<wbr>" not in html:
        return html
    return _URL_SPAN.sub(lambda span: span.group(0).replace("<wbr>", "\u200b"), html)


_URL_SPAN = re.compile(r'<span class="url">[^<]*(?:<wbr>[^<]*)*</span>')


_NOTDEF = re.compile(r"\.notdef glyph rendered for Unicode string unsupported .* \(U\+([0-9A-F]+)\)")


@contextmanager
def _font_warnings(document: RenderedDocument):
    """WeasyPrint's own word on fonts, as a second line of defence behind fonts.py's check:
    an empty box (.notdef) drawn for a character stops the build; a face that could not be
    loaded is a warning. Other WeasyPrint messages are left to its logger."""
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    boxes = []
    for message in handler.messages:
        found = _NOTDEF.search(message)
        if found:
            boxes.append(chr(int(found.group(1), 16)))
        elif "Font-face" in message and "cannot be loaded" in message:
            document.warn(f"{message} (the theme's fonts)")
    if boxes:
        chars = ", ".join(fonts.describe(c) for c in dict.fromkeys(boxes))
        raise ResourceError(
            f"{chars} cannot be printed with the theme's fonts: the PDF would show an empty box "
            "(hint: add a font for its script under `scripts` in the theme, docs/themes.md)"
        )


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _foreign_fonts(document: RenderedDocument, rendered) -> None:
    """A warning for each font WeasyPrint took from the system rather than the theme: the
    characters it drew depend on the machine that built the file. Judged by face, not
    family: a bold italic the theme lacks is found on the machine under the theme's name."""
    chain = fonts.chain(document.theme)
    for font in rendered.fonts.values():
        if chain.declares_face(font.family, pdf_pages.face_table(font.hb_face, b"head")):
            continue
        drawn = "".join(sorted(set("".join(font.to_unicode.values()))))
        face = "" if font.family not in chain.declared_families() else f" ({_face_name(font)})"
        document.warn(
            f"{drawn!r} printed with {font.family!r}{face}{FOREIGN_FONT}; add a font for these "
            "characters under `scripts` in the theme, or that face to its `fonts.files` (docs/themes.md)"
        )


def _face_name(font) -> str:
    """ "bold italic", "regular": the face of a family the theme has but not in this style."""
    weight = {400: "regular", 700: "bold"}.get(font.weight, f"weight {font.weight}")
    style = {0: "", 1: " oblique", 2: " italic"}.get(font.style, "")
    return (weight + style) if weight != "regular" or not style else style.strip()


MAX_PAGE_SIDE = 14400 / 72 * 96  # PDF's limit, 200 inches, in CSS px


def _check_laid_out(rendered) -> None:
    """No attachments (they would carry files nobody reads in the brief) and pages no bigger
    than PDF allows (a viewer may try to rasterise a page of a million centimetres)."""
    if rendered.metadata.attachments or any(
        link[0] == "attachment" for page in rendered.pages for link in page.links
    ):
        raise ResourceError(
            'attachments (<link rel="attachment">, <a rel="attachment">) are not allowed: '
            "a brief carries only what it shows"
        )
    for number, page in enumerate(rendered.pages, start=1):
        if not (0 < page.width <= MAX_PAGE_SIDE and 0 < page.height <= MAX_PAGE_SIDE):
            raise ResourceError(
                f"page {number} is {page.width / 96 * 2.54:.6g} x {page.height / 96 * 2.54:.6g} cm, "
                "beyond PDF's limit of 508 cm (200 in) a side; check @page size in the stylesheet"
            )


_LETTER_START = re.compile(r'<section class="letter"[^>]*>')
_SECTION_TAG = re.compile(r"<(/?)section\b")


def split_letter(html: str) -> tuple[str | None, str]:
    """(the letter alone as a document, or None; the document without its letter).

    A recipient's letter is laid out on pages of its own, so the brief after it is laid out,
    numbered and shared between copies exactly as in a copy without a letter.
    """
    start = _LETTER_START.search(html)
    if start is None:
        return None, html
    depth = 0
    for tag in _SECTION_TAG.finditer(html, start.start()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = html.index(">", tag.end()) + 1
            body = html.find("<body", 0, start.start())
            head = html[: html.index(">", body) + 1] if body >= 0 else html[: start.start()]
            letter = head + html[start.start() : end] + "</body></html>"
            return letter, html[: start.start()] + html[end:]
    return None, html


def _with_html(document: RenderedDocument, html: str) -> RenderedDocument:
    """The document with another text: its pages and its parse belong to the old text."""
    return RenderedDocument(**{**document.__dict__, "html": html, "layout": None, "parsed_html": None})


def without_letter(document: RenderedDocument) -> RenderedDocument:
    """The document as the brief's own pages are laid out: without the recipient's letter."""
    letter, rest = split_letter(document.html)
    if letter is None:
        return document
    return _with_html(document, rest)


def write(document: RenderedDocument, target: Path) -> WrittenFile:
    # The brief's pages laid out already (for the contents decision, or a copy's reused body;
    # never with the letter) are written as they are; a recipient's letter is laid out apart
    # and its pages put before the brief's, so the brief is numbered as in a copy without one.
    letter, _rest = split_letter(document.html)
    rendered = document.layout if document.layout is not None else layout(without_letter(document))
    if letter is not None:
        letter_pages = pdf_letters.letter_pages(_with_html(document, letter), layout)
        rendered = rendered.copy([*letter_pages, *rendered.pages])
    variant = document.pdf_variant or "pdf/ua-1"
    stamp = document.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    rendered.metadata.created = stamp
    rendered.metadata.modified = stamp
    rendered.metadata.generator = None
    identifier = hashlib.sha256(document.html.encode("utf-8")).hexdigest()[:32].encode()
    pdf_tagging.install()  # the structure tree without a page list built per element
    digests: list[tuple[str, ...]] = []
    with _font_warnings(document):
        rendered.write_pdf(
            target,
            pdf_variant=variant,
            pdf_tags=True,
            pdf_identifier=identifier,
            finisher=partial(_finish, digests=digests if pdf_pages.wanted() else None),
            uncompressed_pdf=False,
        )
    _foreign_fonts(document, rendered)
    return WrittenFile(target, "pdf", pages=len(rendered.pages), page_digests=digests[0] if digests else None)


def _finish(document, pdf, digests: list | None = None) -> None:
    """Last changes to the PDF's objects before WeasyPrint writes them, and the writer
    that writes them: WeasyPrint calls `pdf.write` next, which would serialise every object
    twice for the file identifier (pdf_serialise.py). `digests`: a list to put the pages'
    digests in (pdf_pages.py), when serve wants them."""
    _strip_producer(document, pdf)
    scope_table_headers(document)
    if digests is not None:
        digests.append(pdf_pages.page_digests(document, pdf))
    pdf.write = partial(pdf_serialise.write, pdf)


def _strip_producer(document, pdf) -> None:
    # "WeasyPrint 70.0" says nothing the publisher chose; metadata is the brief's alone.
    # It is written twice: in the document info and as an attribute in the XMP packet.
    pdf.info.pop("Producer", None)
    pdf.info.pop("Creator", None)
    for obj in pdf.objects:
        extra = getattr(obj, "extra", None)
        if isinstance(extra, dict) and extra.get("Type") == "/Metadata":
            obj.stream = [_PRODUCER.sub(b"", _as_bytes(chunk)) for chunk in obj.stream]


_PRODUCER = re.compile(rb'\s[\w-]+:Producer="[^"]*"')


def _as_bytes(chunk) -> bytes:
    return chunk if isinstance(chunk, bytes) else str(chunk).encode("utf-8")


def warm_up() -> None:
    """Import WeasyPrint and read the system's fonts (see worker.warm_up)."""
    _font_config()
    _fetcher_class()


@cache
def _font_config():
    # One FontConfiguration per worker process: building it scans the system's fonts.
    from multiprocessing.util import Finalize

    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    # WeasyPrint writes each @font-face's file into a temporary folder it removes in
    # FontConfiguration.__del__, which never runs for this one (kept for the process's life):
    # every process that laid out a PDF left the theme's fonts in the temporary folder, 6 to
    # 250 MB each. Removed as the process exits, a worker (multiprocessing runs these before
    # os._exit) and the main process (atexit) alike.
    Finalize(None, _remove_font_folder, args=(config,), exitpriority=0)
    return config


# A process forked from one that laid out a PDF (a test run, a program that rendered before
# building, serve's preview worker) must make its own: WeasyPrint writes each @font-face's
# file into the configuration's folder, and processes sharing one wrote the same file while
# another had it mapped (a bus error), or skipped a face because its file was already there.
os.register_at_fork(after_in_child=_font_config.cache_clear)


def _remove_font_folder(config) -> None:
    folder = getattr(config, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        # Nothing left for __del__ to remove: run at interpreter exit, after the modules'
        # globals are gone, it failed with "'NoneType' object is not callable".
        config._folder = None


@cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SandboxFetcher(URLFetcher):
        """Reads only what the document's resource reader allows; failures are fatal."""

        def __init__(self, read_resource):
            super().__init__(fail_on_errors=True, allowed_protocols={"file", "http", "https"})
            self._read = read_resource

        def fetch(self, url, headers=None):
            data, mime = self._read(url)
            return URLFetcherResponse(url, body=data, headers={"Content-Type": mime})

    return SandboxFetcher
