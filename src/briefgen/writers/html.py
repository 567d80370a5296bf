"""HTML writer: a RenderedDocument -> the final HTML file the PDF is made from.

The file is the exact HTML that WeasyPrint renders, so anyone can render it with WeasyPrint
directly and compare. Its resources are copied into a folder named after it (`NAME_files/`),
so the file is self-contained; the folder is published together with the file. Images are
the cleaned ones (images.clean_image, through the document's reader) under neutral names,
`images/HASH.EXT`, so a photo's file name (often a person's name) is not in the folder;
fonts and stylesheets keep their relative paths.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..document import RenderedDocument, WrittenFile
from ..publish import final_name
from ..resources import ASSETS_PREFIX, DEFAULT_THEME_PREFIX, THEME_PREFIX

RESOURCE_PREFIXES = (ASSETS_PREFIX, THEME_PREFIX, DEFAULT_THEME_PREFIX)


def write(document: RenderedDocument, target: Path) -> WrittenFile:
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
        destination.write_bytes(data)
    target.write_text(document.parsed.with_urls_moved(placed, folder_name), encoding="utf-8")
    return WrittenFile(target, "html", companions=(temp_folder,) if temp_folder.exists() else ())


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
