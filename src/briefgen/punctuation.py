"""Sentence ends: a citation's HTML -> the same HTML ending in exactly one full stop.

A footnote citing a source closes with a full stop. Its last part may end in one already: a
Russian date ("16 мая 2023 г."), a title ("... in Azerbaijan."), an abbreviation ("p. 12 ff.")
or an address. Another would print "г..". The stop is added only where the visible text (the
HTML without its tags) does not end in a full stop, an ellipsis, a question or an
exclamation mark already.
"""

from __future__ import annotations

import re

from markupsafe import Markup

_TAGS = re.compile(r"<[^>]*>")
# Closing quotes and brackets after a sentence's end still end it: "… (Brussels, 2016.)".
_ENDED = re.compile(r"[.!?…。]['\"’”»)\]]*\s*$")


def ends_sentence(html: str) -> bool:
    """Whether the visible text of `html` already ends with a sentence's closing mark."""
    text = _TAGS.sub("", str(html)).replace("&nbsp;", " ").rstrip()
    return bool(_ENDED.search(text))


def with_full_stop(html: str) -> Markup:
    """`html` (already escaped) with one full stop at its end."""
    html = Markup(html) if not isinstance(html, Markup) else html
    return html if ends_sentence(html) else html + Markup(".")


# One full stop (Armenian's, CJK's too), not the last of an ellipsis, before closing tags.
_FULL_STOP = re.compile(r"(?<![.])[.։。]((?:</[a-z]+>)*)\s*$")


def without_full_stop(html: str) -> Markup:
    """`html` (already escaped) without one closing full stop: a citation given within a
    sentence ("... (Source withheld)."), whose sentence has its own."""
    return Markup(_FULL_STOP.sub(r"\1", str(html)))
