"""PDF strings: a written PDF's bytes -> every string object in it and the text of its
metadata, XML and embedded-file streams, read in one pass over the bytes (for check.py).

The confidentiality check reads back the file as written. Asking qpdf for each of a tagged
PDF's 26 000 objects (a 62-page dossier) and walking them from Python took 0.35 s; almost
all of them sit in one compressed object stream. This reader goes through the file once:
the objects at its top level are parsed (few: page contents, fonts, the object stream, the
cross-reference stream); each stream is skipped by its /Length, or decompressed once when
it can hold text (an object stream, XMP metadata, XML, an embedded file, the JPEG of an
image with its segments); the syntax inside an object stream is scanned for strings only
(literal and hexadecimal, decoded as qpdf decodes them: UTF-16 or UTF-8 with a byte order
mark, else PDFDocEncoding). It needs neither qpdf nor pikepdf, so a build whose PDFs it
reads never imports them. Content streams and font programs are not read: the page text
comes from PDFium, and glyphs are no one's words.

It reads everything qpdf's walk read, and more (objects no cross-reference points at, an
earlier revision's objects): tests/unit/test_pdfstrings.py compares the two on written
files. Anything it does not read exactly (encryption, a filter other than Flate on a stream
it must decode, an indirect /Length, malformed syntax) raises Unreadable, and the check
then reads the file through qpdf as before: never a string left out.
"""

from __future__ import annotations

import re
import zlib


class Unreadable(Exception):
    """The file uses something this reader does not read; read it with qpdf instead."""


def read(data: bytes) -> tuple[list[str], list[bytes]]:
    """(every string object and the text streams, decoded; the encoded images' file bytes,
    whose metadata the caller reads). Raises Unreadable."""
    if not data.startswith(b"%PDF-") or b"/Encrypt" in data:
        raise Unreadable("not a plain PDF")
    return _Reader(data).run()


# ---------------------------------------------------------------- top level

_WHITE = b"\x00\t\n\x0c\r "
_DELIMITERS = b"()<>[]{}/%"
_SKIP = re.compile(rb"(?:[\x00\t\n\x0c\r ]+|%[^\r\n]*)*")
_WORD = re.compile(rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]+")
_REFERENCE = re.compile(rb"[\x00\t\n\x0c\r ]+(\d+)[\x00\t\n\x0c\r ]+R(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])")
_STREAM_START = re.compile(rb"stream(?:\r\n|\n)")
_STREAM_END = re.compile(rb"[\x00\t\n\x0c\r ]*endstream")
_INTEGER = re.compile(rb"[+-]?\d+")


class _Name(str):
    """A PDF name, without its solidus."""


class _Keyword(str):
    """A bare word: obj, endobj, stream, R, true, null..."""


class _Ref:
    """An indirect reference (its value is never needed here)."""


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.strings: list[bytes] = []
        self.texts: list[str] = []
        self.images: list[bytes] = []

    def run(self) -> tuple[list[str], list[bytes]]:
        pos, previous = 0, None
        end = len(self.data)
        while True:
            pos = _SKIP.match(self.data, pos).end()
            if pos >= end:
                break
            value, pos = self.value(pos)
            if isinstance(value, _Keyword) and value == "stream":
                pos = self.stream(previous, pos)
                value = None
            previous = value
        return [decode_string(raw) for raw in self.strings] + self.texts, self.images

    def value(self, pos: int):
        data = self.data
        char = data[pos : pos + 1]
        if char == b"(":
            raw, pos = literal(data, pos)
            self.strings.append(raw)
            return raw, pos
        if data.startswith(b"<<", pos):
            return self.dictionary(pos + 2)
        if char == b"<":
            raw, pos = hexadecimal(data, pos)
            self.strings.append(raw)
            return raw, pos
        if char == b"[":
            items: list = []
            pos += 1
            while True:
                pos = _SKIP.match(data, pos).end()
                if data.startswith(b"]", pos):
                    return items, pos + 1
                if pos >= len(data):
                    raise Unreadable("unterminated array")
                item, pos = self.value(pos)
                items.append(item)
        if char == b"/":
            word = _WORD.match(data, pos + 1)
            stop = word.end() if word else pos + 1
            if b"#" in data[pos + 1 : stop]:
                # "/Obj#53tm" is /ObjStm: rather than decode names, let qpdf read such a file,
                # so that no stream goes unrecognised and unread.
                raise Unreadable(f"a name with a #-escape at {pos}")
            return _Name(data[pos + 1 : stop].decode("latin-1")), stop
        word = _WORD.match(data, pos)
        if word is None:
            raise Unreadable(f"unexpected {char!r} at {pos}")
        text = word.group()
        if _INTEGER.fullmatch(text):
            # "12 0 R" is one value: a reference.
            reference = _REFERENCE.match(data, word.end())
            if reference:
                return _Ref(), reference.end()
            return int(text), word.end()
        return _Keyword(text.decode("latin-1")), word.end()

    def dictionary(self, pos: int) -> tuple[dict, int]:
        data = self.data
        found: dict = {}
        while True:
            pos = _SKIP.match(data, pos).end()
            if data.startswith(b">>", pos):
                return found, pos + 2
            if pos >= len(data):
                raise Unreadable("unterminated dictionary")
            key, pos = self.value(pos)
            if not isinstance(key, _Name):
                raise Unreadable(f"a dictionary key that is not a name at {pos}")
            pos = _SKIP.match(data, pos).end()
            found[str(key)], pos = self.value(pos)

    def stream(self, head, pos: int) -> int:
        """Past a stream's data (its dictionary `head`), reading it when it can hold text."""
        # `stream` was read as a word; its end of line belongs to the keyword.
        start = _STREAM_START.match(self.data, pos - len(b"stream"))
        length = head.get("Length") if isinstance(head, dict) else None
        if start is None or not isinstance(length, int) or length < 0:
            raise Unreadable("a stream without a direct /Length")
        raw = self.data[start.end() : start.end() + length]
        after = _STREAM_END.match(self.data, start.end() + length)
        if len(raw) != length or after is None:
            raise Unreadable("a stream whose /Length does not end it")
        kind, subtype = head.get("Type"), head.get("Subtype")
        filters = _names(head.get("Filter"))
        if kind == "ObjStm":
            self.strings.extend(strings_in(_decoded(raw, filters, head)))
        elif kind in ("Metadata", "EmbeddedFile") or subtype == "XML":
            self.texts.append(_decoded(raw, filters, head).decode("utf-8", errors="replace"))
        elif subtype == "Image" and any(name in _ENCODED_IMAGES for name in filters):
            # The JPEG (or JPEG 2000) file itself, less any general filter on top of it.
            general = filters[: next(i for i, name in enumerate(filters) if name in _ENCODED_IMAGES)]
            self.images.append(_decoded(raw, general, head))
        return after.end()


_ENCODED_IMAGES = ("DCTDecode", "JPXDecode")


def _names(value) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, _Name) for item in items):
        raise Unreadable("a /Filter that is not a name")
    return [str(item) for item in items]


def _decoded(raw: bytes, filters: list[str], head: dict) -> bytes:
    if not filters:
        return raw
    if filters != ["FlateDecode"] or head.get("DecodeParms") is not None:
        raise Unreadable(f"filters {filters} on a stream that can hold text")
    try:
        return zlib.decompress(raw)
    except zlib.error as exc:
        raise Unreadable(f"a Flate stream that does not inflate: {exc}") from None


# ---------------------------------------------------------------- strings

# Inside an object stream only strings matter: a literal without nested parentheses (most),
# the start of one with them, a hexadecimal string (a "<" that does not open or sit in a
# dictionary's "<<"; unterminated, it is malformed), a comment (whose parentheses open nothing).
_STRING_OR_NOT = re.compile(rb"\([^()\\]*(?:\\.[^()\\]*)*\)|\(|(?<!<)<(?!<)(?:[^<>]*>)?|%[^\r\n]*", re.DOTALL)


def strings_in(syntax: bytes) -> list[bytes]:
    """The raw bytes of every string in a run of PDF object syntax (no streams in it)."""
    found: list[bytes] = []
    pos = 0
    while pos is not None:
        resume = None
        for match in _STRING_OR_NOT.finditer(syntax, pos):
            token = match.group()
            first = token[:1]
            if first == b"(":
                if len(token) == 1:  # nested parentheses: read by hand, then scan on from its end
                    raw, resume = literal(syntax, match.start())
                    found.append(raw)
                    break
                found.append(token[1:-1])
            elif first == b"<":
                if not token.endswith(b">"):
                    raise Unreadable(f"an unterminated hexadecimal string at {match.start()}")
                found.append(hexadecimal(syntax, match.start())[0])
        pos = resume
    return found


_PAREN_OR_ESCAPE = re.compile(rb"[()\\]")


def literal(data: bytes, pos: int) -> tuple[bytes, int]:
    """A literal string starting at data[pos] == "(": its raw bytes (escapes kept), and
    the position after it. Parentheses nest unless escaped."""
    depth = 0
    at = pos
    while True:
        match = _PAREN_OR_ESCAPE.search(data, at)
        if match is None:
            raise Unreadable(f"an unterminated string at {pos}")
        char = match.group()
        if char == b"\\":
            at = match.end() + 1
            continue
        depth += 1 if char == b"(" else -1
        at = match.end()
        if depth == 0:
            return data[pos + 1 : at - 1], at


_HEX = re.compile(rb"<([0-9A-Fa-f\x00\t\n\x0c\r ]*)>")


def hexadecimal(data: bytes, pos: int) -> tuple[bytes, int]:
    """A hexadecimal string starting at data[pos] == "<", as its escaped-literal bytes."""
    match = _HEX.match(data, pos)
    if match is None:
        raise Unreadable(f"a malformed hexadecimal string at {pos}")
    digits = bytes(c for c in match.group(1) if c not in _WHITE)
    if len(digits) % 2:
        digits += b"0"
    # Escaped as a literal's bytes, so that decode_string reads both kinds alike.
    return _escape(bytes.fromhex(digits.decode("ascii"))), match.end()


def _escape(raw: bytes) -> bytes:
    return raw.replace(b"\\", b"\\\\")


_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|(\r\n|\r|\n)|(.))", re.DOTALL)
_ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(match: re.Match) -> bytes:
    octal, _newline, char = match.groups()
    if octal is not None:
        return bytes([int(octal, 8) & 0xFF])
    if char is not None:
        return _ESCAPED.get(char, char)
    return b""  # a backslash before an end of line continues the string


def decode_string(raw: bytes) -> str:
    """A string's text as qpdf gives it: UTF-16 (either byte order) or UTF-8 after a byte
    order mark, else PDFDocEncoding."""
    if b"\\" in raw:
        raw = _ESCAPE.sub(_unescape, raw)
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", errors="replace")
    if raw.startswith(b"\xff\xfe"):
        return raw[2:].decode("utf-16-le", errors="replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    return raw.decode("latin-1").translate(_PDFDOC)


# PDFDocEncoding: Latin-1 but for these bytes (ISO 32000-1, annex D; undefined ones as U+FFFD,
# as pikepdf's "pdfdoc" codec reads them, which tests/unit/test_pdfstrings.py compares).
_PDFDOC = {
    byte: char
    for byte, char in zip(
        [*range(0x18, 0x20), 0x7F, *range(0x80, 0xA1), 0xAD],
        "\u02d8\u02c7\u02c6\u02d9\u02dd\u02db\u02da\u02dc\ufffd"
        "\u2022\u2020\u2021\u2026\u2014\u2013\u0192\u2044\u2039\u203a\u2212\u2030\u201e\u201c\u201d\u2018"
        "\u2019\u201a\u2122\ufb01\ufb02\u0141\u0152\u0160\u0178\u017d\u0131\u0142\u0153\u0161\u017e\ufffd"
        "\u20ac\ufffd",
        strict=True,
    )
}
