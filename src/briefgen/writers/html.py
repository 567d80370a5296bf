"""HTML writer: a RenderedDocument -> the final HTML file the PDF is made from.

The file is the exact HTML that WeasyPrint renders, so anyone can render it with WeasyPrint
directly and compare. Its resources (assets and theme fonts) are copied beside it under the
same relative paths, so the file is self-contained.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..document import RenderedDocument, WrittenFile

_URLS = re.compile(
    r"""(?:src|href)="((?:assets|_theme|_default-theme)/[^"]+)"|url\("((?:assets|_theme|_default-theme)/[^"]+)"\)"""
)


RESOURCE_FOLDER = "_files"


def write(document: RenderedDocument, target: Path) -> WrittenFile:
    # One resource folder per output folder, shared by its HTML files: a resource path
    # names the same file for all of them (assets/x.png, _theme/fonts/...).
    folder = target.parent / RESOURCE_FOLDER
    for match in _URLS.finditer(document.html):
        url = match.group(1) or match.group(2)
        data, _mime = document.read_resource(url)
        destination = folder / url
        if not (destination.is_file() and destination.read_bytes() == data):
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(data)
    html = _URLS.sub(
        lambda m: m.group(0).replace(
            m.group(1) or m.group(2), f"{RESOURCE_FOLDER}/{m.group(1) or m.group(2)}"
        ),
        document.html,
    )
    target.write_text(html, encoding="utf-8")
    return WrittenFile(target, "html")
