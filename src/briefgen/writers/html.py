"""HTML writer: a RenderedDocument -> the final HTML file the PDF is made from.

The file is the exact HTML that WeasyPrint renders, so anyone can render it with WeasyPrint
directly and compare. Its resources are copied into a folder named after it (`NAME_files/`),
so the file is self-contained; the folder is published together with the file. Images are
the cleaned ones (images.clean_image, through the document's reader) under neutral names,
`images/HASH.EXT`, so a photo's file name (often a person's name) is not in the folder;
fonts and stylesheets keep their relative paths.
With `self_contained` (a brief's `html: {self_contained: true}` or `build --self-contained`)
there is no folder: the resources are inlined as data: URLs, fonts subset (html_inline.py).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from ..document import RenderedDocument, WrittenFile
from ..publish import final_name
from ..resources import ASSETS_PREFIX, DEFAULT_THEME_PREFIX, THEME_PREFIX

RESOURCE_PREFIXES = (ASSETS_PREFIX, THEME_PREFIX, DEFAULT_THEME_PREFIX)
# The resource URLs inline_resources replaces (attributes and CSS url()), in the HTML text.
_URLS = re.compile(
    r"""(?:src|href)="((?:assets|_theme|_default-theme)/[^"]+)"|url\("((?:assets|_theme|_default-theme)/[^"]+)"\)"""
)


def write(document: RenderedDocument, target: Path) -> WrittenFile:
    if document.self_contained:
        from .html_inline import inline_resources

        target.write_text(inline_resources(document.html, _URLS, document.read_resource), encoding="utf-8")
        return WrittenFile(target, "html")
    # Each HTML file gets its own resource folder: outputs for different audiences must not
    # share one, or a public copy's folder would hold a confidential copy's photo.
    folder_name = resource_folder_name(final_name(target))
    temp_folder = target.with_name(target.name + "_files")
    placed: dict[str, str] = {}  # URL in the document -> path inside the folder
    for url in document.parsed.resource_urls(RESOURCE_PREFIXES):
        data, mime = document.read_resource(url)
        placed[url] = inside = neutral_name(data, mime) or url
        destination = temp_folder / inside
        destination.parent.mkdir(parents=True, exist_ok=True)
        place_file(destination, data)
    target.write_text(document.parsed.with_urls_moved(placed, folder_name), encoding="utf-8")
    return WrittenFile(target, "html", companions=(temp_folder,) if temp_folder.exists() else ())


# Files this process wrote into resource folders, by content: the next folder that needs the
# same bytes gets a hard link to one of them instead of another copy. Every HTML copy of a
# brief carries the theme's fonts (some 6 MB): 200 personalised copies were 1.2 GB written.
_WRITTEN: dict[bytes, Path] = {}
_DIGESTS: dict[int, tuple[bytes, bytes]] = {}  # id(data) -> (data, digest): data kept alive


def place_file(destination: Path, data: bytes) -> None:
    """Write `data` to `destination`, as a hard link to a file of the same bytes this process
    wrote before when it still exists (same size, on the same file system), else as a copy.

    A link shares nothing but those bytes: each output's folder still holds only what its own
    document references. A file is written whole again when the earlier one is gone
    (published under another name, or discarded) or a link cannot be made. Whatever was at
    `destination` is unlinked first, never written through: it may be a link to another
    output's file."""
    destination.unlink(missing_ok=True)
    digest = _digest(data)
    earlier = _WRITTEN.get(digest)
    if earlier is not None:
        try:
            if earlier.stat().st_size == len(data):
                os.link(earlier, destination)
                return
        except OSError:
            pass
    destination.write_bytes(data)
    _WRITTEN[digest] = destination


def forget_written() -> None:
    """Forget the files written so far (a long-lived process, between builds): no link to a
    file of an earlier build, and no resource bytes of an earlier build kept alive."""
    _WRITTEN.clear()
    _DIGESTS.clear()


def _digest(data: bytes) -> bytes:
    known = _DIGESTS.get(id(data))
    if known is not None and known[0] is data:
        return known[1]
    digest = hashlib.sha256(data).digest()
    if len(_DIGESTS) >= 64:  # a build reads each resource once (resources.py): a bound, not a policy
        _DIGESTS.clear()
    _DIGESTS[id(data)] = (data, digest)
    return digest


_IMAGE_SUFFIX = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/svg+xml": ".svg"}


def neutral_name(data: bytes, mime: str) -> str | None:
    """`images/HASH.EXT` for an image (named by its content), None for anything else."""
    if not mime.startswith("image/"):
        return None
    suffix = _IMAGE_SUFFIX.get(mime, "")
    return f"images/{hashlib.sha256(data).hexdigest()[:20]}{suffix}"


def resource_folder_name(html_name: str) -> str:
    """ "brief.audience.en.html" -> "brief.audience.en_files" (the name browsers use too)."""
    return html_name.removesuffix(".html") + "_files"
