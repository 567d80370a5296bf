"""The rendered document: what the render stage hands to every writer.

A RenderedDocument is one HTML string (the single source of every format), its parsed tree
(parsed.py: parsed once, read by the stages that need its structure) plus what a
writer needs to resolve it: the theme, the sandboxed resource reader, the build's fixed
timestamp and a sink for warnings. Writers turn it into a file; they never see the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .parsed import ParsedDocument
from .theme import Theme


class ResourceError(Exception):
    """A resource (image, stylesheet, font) may not or cannot be read."""


# Reads a resource named by a URL as it stands in the HTML (relative to the document's base),
# after checking it lies inside the allowed folders. Returns (bytes, mime type) or raises
# ResourceError with a message a user can act on.
ResourceReader = Callable[[str], tuple[bytes, str]]


@dataclass
class RenderedDocument:
    html: str
    theme: Theme
    read_resource: ResourceReader
    base_url: str
    template: str
    language: str
    # Timestamp written into file metadata: the brief's date, or SOURCE_DATE_EPOCH's.
    timestamp: datetime
    warnings: list[str] = field(default_factory=list)
    pdf_variant: str | None = None  # e.g. "pdf/a-3b"
    # The brief's pages in the PDF layout (without a recipient's letter), when the same build
    # laid it out: the DOCX shows it as the cached page count until Word updates its fields.
    page_count: int | None = None
    # The HTML as one file, resources inlined as data: URLs (writers/html_inline.py).
    self_contained: bool = False
    # The PDF's pages (a weasyprint.Document) when they were laid out before writing: the
    # contents decision counts them, and personalised copies reuse the body's.
    layout: object | None = None
    parsed_html: ParsedDocument | None = field(default=None, repr=False)

    @property
    def parsed(self) -> ParsedDocument:
        """The HTML parsed once (render hands over its own parse; see parsed.py)."""
        if self.parsed_html is None or self.parsed_html.html is not self.html:
            self.parsed_html = ParsedDocument(self.html)
        return self.parsed_html

    def warn(self, message: str) -> None:
        self.warnings.append(message)


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    format: str
    pages: int | None = None
    # Temporary folders published with the file, named after it (the HTML's resources).
    companions: tuple[Path, ...] = ()
    # A PDF's digest of each page, when serve asked for them (writers/pdf_pages.py).
    page_digests: tuple[str, ...] | None = None
