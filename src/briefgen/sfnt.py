"""sfnt: a TrueType or OpenType font file -> the bytes of one of its tables.

Reading a font's character map or its vertical metrics needs one table of a file whose
table directory is a few hundred bytes at its start. fontTools (a 15 ms import, and more
to open a font) is kept for what needs it; this reads a plain .ttf/.otf's directory and
seeks to the table. Collections (.ttc) and WOFF files are not plain: None, and the caller
uses fontTools.
"""

from __future__ import annotations

import struct
from pathlib import Path

_PLAIN = (b"\x00\x01\x00\x00", b"OTTO", b"true")  # TrueType, CFF, Apple TrueType
_RECORD = struct.Struct(">4sLLL")  # tag, checksum, offset, length


def table(path: Path | str, tag: str) -> bytes | None:
    """The bytes of table `tag` ("cmap", "OS/2") of a plain font file, b"" when it has no
    such table, None when the file is not a plain sfnt (or is cut short)."""
    with open(path, "rb") as handle:
        header = handle.read(12)
        if len(header) < 12 or header[:4] not in _PLAIN:
            return None
        count = int.from_bytes(header[4:6], "big")
        directory = handle.read(count * _RECORD.size)
        if len(directory) < count * _RECORD.size:
            return None
        wanted = tag.encode("latin-1")
        for found, _checksum, offset, length in _RECORD.iter_unpack(directory):
            if found == wanted:
                handle.seek(offset)
                data = handle.read(length)
                return data if len(data) == length else None
    return b""


def uint16(data: bytes, offset: int) -> int | None:
    """The big-endian unsigned 16-bit number at `offset`, None past the end."""
    return int.from_bytes(data[offset : offset + 2], "big") if len(data) >= offset + 2 else None
