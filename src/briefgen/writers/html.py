"""HTML writer: a RenderedDocument -> the final HTML file the PDF is made from.

The file is the exact HTML that WeasyPrint renders, so anyone can render it with WeasyPrint
directly and compare. Its resources (assets and theme fonts) are copied into a folder named
after it (`NAME_files/`), under the same relative paths, so the file is self-contained; the
folder is published together with the file.
"""

from __future__ import annotations

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
    urls = document.parsed.resource_urls(RESOURCE_PREFIXES)
    for url in urls:
        data, _mime = document.read_resource(url)
        destination = temp_folder / url
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
    target.write_text(document.parsed.with_urls_moved(urls, folder_name), encoding="utf-8")
    return WrittenFile(target, "html", companions=(temp_folder,) if temp_folder.exists() else ())


def resource_folder_name(html_name: str) -> str:
    """ "brief.audience.en.html" -> "brief.audience.en_files" (the name browsers use too)."""
    return html_name.removesuffix(".html") + "_files"
