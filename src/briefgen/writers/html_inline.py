"""Self-contained HTML: the document's resources (theme fonts, logo, photos) -> data: URLs.

For e-mail and archives a brief must be one file. Each resource is read through the same
sandboxed reader as the resource folder (so the same files, after the same image rules), and
written into the HTML as a base64 data: URL. Fonts are cut down to the characters the
document uses (fontTools' subsetter, WOFF2 when Brotli is there, else WOFF), which turns a
few megabytes of Noto into some hundred kilobytes. Nothing varies between runs: the font's
timestamp is kept, the compressors are deterministic, and the order of work is the
document's.
"""

from __future__ import annotations

import base64
import io
import string
from collections.abc import Callable
from functools import lru_cache

from ..check import html_text

FONT_TYPES = {"font/ttf", "font/otf", "font/woff", "font/woff2", "application/font-woff"}
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")
# Characters the browser may draw that are not in the document's text: list numbers and
# punctuation, the typographic quotes and dashes, hyphens it inserts when it hyphenates.
ALWAYS = set(string.printable) | set(
    "\u00a0\u2010\u2011\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u00ab\u00bb\u00b7\u2022\u2191"
)


CHUNK = 128  # code points: fonts keep whole runs of this size, see inline_resources


def inline_resources(html: str, pattern, read: Callable[[str], tuple[bytes, str]]) -> str:
    """`html` with every resource URL that `pattern` finds replaced by a data: URL."""
    # Fonts keep every character of each run of 128 code points the document touches (all of
    # Basic Latin, of Cyrillic, ...), not just the letters it uses: a recipient's copy whose
    # name has a letter more then needs no new subset, and subsetting is the slow part.
    chunks = frozenset(ord(c) // CHUNK for c in set(html_text(html)) | ALWAYS)
    cache: dict[str, str] = {}

    def data_url(url: str) -> str:
        if url not in cache:
            data, mime = read(url)
            if mime in FONT_TYPES or url.lower().endswith(FONT_SUFFIXES):
                data, mime = _subset_cached(data, chunks)
            cache[url] = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
        return cache[url]

    def replace(match) -> str:
        url = match.group(1) or match.group(2)
        return match.group(0).replace(url, data_url(url))

    return pattern.sub(replace, html)


@lru_cache(maxsize=64)
def _subset_cached(data: bytes, chunks: frozenset[int]) -> tuple[bytes, str]:
    characters = {chr(cp) for chunk in sorted(chunks) for cp in range(chunk * CHUNK, (chunk + 1) * CHUNK)}
    return subset_font(data, characters)


def subset_font(data: bytes, characters: set[str]) -> tuple[bytes, str]:
    """The font with only the glyphs for `characters` (and their ligatures and variants)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2" if _has_brotli() else "woff"
    options.layout_features = ["*"]  # kerning, ligatures, small caps: keep how text is set
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in characters if not 0xD800 <= ord(c) < 0xE000))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = options.flavor
    font.save(out)
    return out.getvalue(), f"font/{options.flavor}"


def _has_brotli() -> bool:
    try:
        import brotli  # noqa: F401
    except ImportError:
        return False
    return True
