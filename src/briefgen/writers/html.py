"""HTML writer: a RenderedDocument -> the final HTML file the PDF is made from.

The file is the exact HTML that WeasyPrint renders, so anyone can render it with WeasyPrint
directly and compare. Its resources (assets and theme fonts) are copied beside it under the
same relative paths, so the file is self-contained.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..document import RenderedDocument, WrittenFile

_URLS = re.compile(r"""(?:src|href)="((?:assets|_theme|_default-theme)/[^"]+)"|url\("((?:assets|_theme|_default-theme)/[^"]+)"\)""")


def write(document: RenderedDocument, target: Path) -> WrittenFile:
    target.write_text(document.html, encoding="utf-8")
    folder = target.parent / (target.stem + "_files")
    for match in _URLS.finditer(document.html):
        url = match.group(1) or match.group(2)
        data, _mime = document.read_resource(url)
        destination = folder / url
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
    if folder.exists():
        # Point the file at its own resource folder.
        html = _URLS.sub(lambda m: m.group(0).replace(m.group(1) or m.group(2), f"{folder.name}/{m.group(1) or m.group(2)}"), document.html)
        target.write_text(html, encoding="utf-8")
    return WrittenFile(target, "html")
