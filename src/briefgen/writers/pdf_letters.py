"""Kept letters: a recipient's letter (its HTML and what it reads) -> its laid-out pages, again.

The PDF writer lays a letter out apart from the brief (pdf.split_letter). A build lays each
letter out once, so it keeps nothing. A long-lived process that builds the same output again
and again (serve's preview worker, after each save) turns keeping on: a letter whose inputs
did not change since its last layout gets the pages of that layout back, which saves one
WeasyPrint layout per save of content the letter does not show.

A layout is a function of the letter's HTML (which carries the theme's CSS inline), the
late font faces declared for its text, and the bytes of every resource WeasyPrint read
through the document's reader (fonts, images). All three are compared before pages are
reused: a resource is read again and must have the same digest, so a replaced image or
font lays the letter out afresh. What the layout said (font warnings) is said again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from .. import fonts
from ..document import RenderedDocument, ResourceError

KEPT_LETTERS = 8  # a preview shows one output at a time; a few recipients' letters suffice


@dataclass
class _Kept:
    late_faces: str
    resources: dict[str, str]  # URL -> sha256 of the bytes the layout read
    pages: list
    warnings: list[str]


_kept: dict[str, _Kept] | None = None  # None: not keeping (every ordinary build)


def keep_letters() -> None:
    """Keep letters' layouts in this process from now on (serve's preview worker)."""
    global _kept
    if _kept is None:
        _kept = {}


def letter_pages(letter: RenderedDocument, lay_out: Callable[[RenderedDocument], object]) -> list:
    """The pages of `letter` (the letter alone, as pdf.write makes it), laid out by `lay_out`
    or, when keeping and nothing it depends on changed, taken from its last layout."""
    if _kept is None:
        return list(lay_out(letter).pages)
    key = hashlib.sha256(f"{letter.base_url}\0{letter.language}\0{letter.html}".encode()).hexdigest()
    late_faces = fonts.late_font_faces_css(letter.theme, letter.language, letter.html)
    kept = _kept.get(key)
    if kept is not None and kept.late_faces == late_faces and _same_resources(letter, kept.resources):
        for message in kept.warnings:
            letter.warn(message)
        return list(kept.pages)
    read: dict[str, str] = {}
    source = letter.read_resource

    def recording(url: str) -> tuple[bytes, str]:
        data, mime = source(url)
        read[url] = hashlib.sha256(data).hexdigest()
        return data, mime

    recorded = RenderedDocument(**{**letter.__dict__, "read_resource": recording, "warnings": []})
    pages = list(lay_out(recorded).pages)
    for message in recorded.warnings:
        letter.warn(message)
    _kept.pop(key, None)
    _kept[key] = _Kept(late_faces, read, pages, list(recorded.warnings))
    while len(_kept) > KEPT_LETTERS:
        del _kept[next(iter(_kept))]  # the oldest
    return pages


def _same_resources(letter: RenderedDocument, resources: dict[str, str]) -> bool:
    for url, digest in resources.items():
        try:
            data, _mime = letter.read_resource(url)
        except ResourceError:
            return False
        if hashlib.sha256(data).hexdigest() != digest:
            return False
    return True
