"""Self-contained HTML: resources inlined as data: URLs, fonts subset, deterministic; and
the confidentiality check reads what a data: URL carries as text."""

from __future__ import annotations

import base64
import io
import re

from briefgen.check import html_text
from briefgen.theme import BUILTIN_THEMES
from briefgen.writers.html import _URLS
from briefgen.writers.html_inline import inline_resources

FONT = BUILTIN_THEMES / "default" / "fonts" / "NotoSerif-Regular.ttf"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
HTML = (
    '<html><head><style>@font-face { font-family: "Noto Serif"; src: url("_default-theme/fonts/'
    'NotoSerif-Regular.ttf"); }</style></head><body><img class="logo" src="assets/logo.png" alt="Logo">'
    "<p>Правосудие за решёткой, Rəşad</p></body></html>"
)


def reader(log: list[str]):
    def read(url: str) -> tuple[bytes, str]:
        log.append(url)
        if url.endswith(".ttf"):
            return FONT.read_bytes(), "font/ttf"
        return PNG, "image/png"

    return read


def test_resources_become_data_urls_and_the_font_is_subset():
    from fontTools.ttLib import TTFont

    read: list[str] = []
    html = inline_resources(HTML, _URLS, reader(read))
    assert read == ["_default-theme/fonts/NotoSerif-Regular.ttf", "assets/logo.png"]
    assert not re.search(r'(?:src|href)="(?!data:|#)|url\("(?!data:)', html)
    assert f'src="data:image/png;base64,{base64.b64encode(PNG).decode()}"' in html
    font_url = re.search(r'url\("data:(font/woff2?);base64,([^"]+)"\)', html)
    assert font_url
    data = base64.b64decode(font_url.group(2))
    assert len(data) < FONT.stat().st_size / 5
    font = TTFont(io.BytesIO(data))
    cmap = font.getBestCmap()
    assert all(ord(c) in cmap for c in "Правосудиеəş AZaz09")
    assert 0x0530 not in cmap and 0x1E00 not in cmap  # Armenian, Latin Extended Additional: unused


def test_the_same_document_gives_the_same_bytes():
    assert inline_resources(HTML, _URLS, reader([])) == inline_resources(HTML, _URLS, reader([]))


def test_the_check_reads_text_data_urls_and_skips_binary_ones():
    svg = base64.b64encode(b"<svg><text>Secret Witness Name</text></svg>").decode()
    font = base64.b64encode(b"NAME" * 50).decode()
    markup = (
        f'<img src="data:image/svg+xml;base64,{svg}" alt="chart">'
        '<img src="data:image/svg+xml,%3Csvg%3EOther%20Hidden%20Text%3C/svg%3E" alt="x">'
        f'<style>@font-face {{ src: url("data:font/woff2;base64,{font}"); }}'
        "</style><p>Visible</p>"
    )
    text = html_text(markup)
    assert "Secret Witness Name" in text and "Other Hidden Text" in text and "Visible" in text
    assert "TkFNRU5BTUVOQU1F" not in text  # base64 of a font is not text to match
