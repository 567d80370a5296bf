"""Check: a written file + its View -> None, or the confidentiality leak found in it.

Every text a file can carry is read back from the file itself, not from the HTML it was
made from: for a PDF the page text, document info, XMP, bookmarks, link targets, alt and
actual text, attachments (every string object in the file); for a DOCX every part (body,
headers, footers, footnotes, comments, relationships, properties), text and attribute
values. A value the select stage removed for this audience, and that the audience does not
see elsewhere, must not be found there.

Matching ignores case, white space, punctuation and hyphenation (letters and digits only),
so a value broken over lines or pages is still found. Values shorter than MIN_CHARS letters
and digits are too common to judge and are not checked; long values are checked in windows
of WINDOW_WORDS words, so a leaked sentence is found even when a page break splits it.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
import zipfile
from functools import lru_cache
from pathlib import Path

from .markdown import plain_text

MIN_CHARS = 4
WINDOW_WORDS = 6
_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return _NON_ALNUM.sub("", text)


def check_output(path: Path, fmt: str, view) -> str | None:
    """None when clean; else a message naming the content field that leaked."""
    if not view.removed:
        return None
    haystack = normalize(extract_text(path, fmt))
    visible = normalize(" ".join(plain_text(v) for v in view.visible))
    for where, value in view.removed:
        for needle in _needles(value):
            if needle in haystack and needle not in visible:
                return (
                    f"confidentiality check failed: {where} (removed for this audience) appears in "
                    f"the {fmt.upper()} output; it was not published. Check the templates for "
                    "values that bypass the selection."
                )
    return None


@lru_cache(maxsize=4096)
def _needles(value: str) -> tuple[str, ...]:
    words = plain_text(value).split() if "\n" in value or len(value) > 80 else value.split()
    whole = normalize(" ".join(words))
    if len(whole) < MIN_CHARS:
        return ()
    if len(words) <= WINDOW_WORDS:
        return (whole,)
    windows = {
        normalize(" ".join(words[i : i + WINDOW_WORDS])) for i in range(0, len(words) - WINDOW_WORDS + 1)
    }
    return tuple(w for w in windows if len(w) >= MIN_CHARS * 3)


def extract_text(path: Path, fmt: str) -> str:
    if fmt == "pdf":
        return pdf_text(path)
    if fmt == "docx":
        return docx_text(path)
    return path.read_text(encoding="utf-8", errors="replace")


def pdf_text(path: Path) -> str:
    """Page text plus every string object in the file (info, XMP, outlines, links, alt text)."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject, TextStringObject

    reader = PdfReader(str(path))
    chunks = [page.extract_text() or "" for page in reader.pages]
    seen: set[int] = set()
    stack = [reader.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, StreamObject):
            subtype = obj.get("/Subtype")
            if subtype in ("/XML",) or obj.get("/Type") in ("/Metadata", "/EmbeddedFile"):
                # An undecodable stream holds no text we could match.
                with contextlib.suppress(Exception):
                    chunks.append(obj.get_data().decode("utf-8", errors="replace"))
            stack.extend(v for k, v in obj.items() if k not in ("/Parent",))
        elif isinstance(obj, DictionaryObject):
            stack.extend(v for k, v in obj.items() if k not in ("/Parent", "/P", "/Pg"))
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, TextStringObject | str):
            chunks.append(str(obj))
    return "\n".join(chunks)


def docx_text(path: Path) -> str:
    """All text and attribute values of every XML part of a DOCX."""
    chunks = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.endswith(".xml") or name.endswith(".rels")):
                continue
            xml = archive.read(name).decode("utf-8", errors="replace")
            chunks.extend(re.findall(r'="([^"]*)"', xml))
            chunks.append(re.sub(r"<[^>]+>", "", xml))
    return "\n".join(chunks)
