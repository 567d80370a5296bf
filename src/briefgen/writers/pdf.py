"""PDF writer: a RenderedDocument -> a tagged, font-embedding PDF through WeasyPrint.

Resources come only through the document's sandboxed reader; any resource that cannot be
read stops the build (WeasyPrint would otherwise drop it with a log line). Metadata is what
the HTML head says and nothing else: no producer string, fixed dates, a content-derived
file identifier, so identical input gives identical bytes.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

from ..document import RenderedDocument, ResourceError, WrittenFile


def layout(document: RenderedDocument):
    """Lay the document out into pages (a weasyprint.Document), for counting or writing."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    fetcher = _fetcher_class()(document.read_resource)
    try:
        html = HTML(string=document.html, base_url=document.base_url, url_fetcher=fetcher)
        # Presentational hints make <ol start="3"> count from 3, as the DOCX does.
        rendered = html.render(font_config=_font_config(), pdf_tags=True, presentational_hints=True)
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        raise ResourceError(str(cause) if cause else str(exc)) from None
    _check_laid_out(rendered)
    return rendered


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


def write(document: RenderedDocument, target: Path) -> WrittenFile:
    # Pages laid out already (for the contents decision, or a copy's reused body) are written
    # as they are.
    rendered = document.layout if document.layout is not None else layout(document)
    variant = document.pdf_variant or "pdf/ua-1"
    stamp = document.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    rendered.metadata.created = stamp
    rendered.metadata.modified = stamp
    rendered.metadata.generator = None
    identifier = hashlib.sha256(document.html.encode("utf-8")).hexdigest()[:32].encode()
    rendered.write_pdf(
        target,
        pdf_variant=variant,
        pdf_tags=True,
        pdf_identifier=identifier,
        finisher=_strip_producer,
        uncompressed_pdf=False,
    )
    return WrittenFile(target, "pdf", pages=len(rendered.pages))


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
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


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
