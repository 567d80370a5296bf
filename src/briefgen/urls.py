"""URL text: the rendered HTML -> the same HTML with every printed web address set as one.

A web address is no word: hyphenated like one ("ht-tps://example.org", "ex-ample.org") it
reads as a different address, and a reader who types it in does not get there. So every
address in the text (`http://`, `https://` or `www.`), a link's visible text as well as an
address written in a sentence, is put in `<span class="url">` (the theme sets it with
`hyphens: manual`) with a `<wbr>` break opportunity after each run of `/`, `.`, `?`, `&`,
`=` and `_` that is followed by more of the address: a long address breaks where a reader
expects it, between its parts. No character is added, so the text is the same in every
format (the DOCX writer skips `<wbr>`), and a link's target is never changed.

Runs on the HTML text, not a parsed tree: only text between tags is changed (attributes,
`<style>`, `<script>` and `<head>` are left alone), and a document without an address is
returned untouched.
"""

from __future__ import annotations

import re

CLASS = "url"
# An address as printed: a scheme or www., then anything up to white space or markup. The
# punctuation a sentence puts after an address (". , ; : ) ! ?") is not part of it.
# An escaped character (&#39;) ends it too; `&amp;` inside it is kept whole.
# The private-use marks of langmark.py (U+E000-E002) are not part of it either.
_URL = re.compile(r"(?:https?://|www\.)(?:(?!&#)[^\s<>\"'\ue000-\ue002])*[^\s<>\"'.,;:!?)\]&\ue000-\ue002]")
# Not after a hyphen: a line ending in one reads as a hyphenated word, the error avoided here.
_BREAK_AFTER = re.compile(r"([/.?=_]+|&amp;)(?=[^/.?=_&])")
_TAG = re.compile(r"(<[^>]*>)")
_SKIPPED = ("style", "script", "head", "title", "textarea", "pre")
_OPEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b")
# How a tag that changes the state begins (its name is one of these, in any case).
_STATEFUL = tuple(f"<{slash}{name}" for slash in ("", "/") for name in (*_SKIPPED, "span"))


def mark_urls(html: str) -> str:
    """`html` with each web address in its text in a url span with break opportunities."""
    if "http" not in html and "www." not in html:
        return html
    pieces = _TAG.split(html)
    skipping: list[str] = []
    inside_url = 0  # already marked (a second pass changes nothing)
    for index, piece in enumerate(pieces):
        if piece.startswith("<"):  # a tag, or text from a "<" no ">" closes: read as one
            # Only the tags of skipped elements and spans change what follows: the others are
            # passed over without a regex (a long dossier has some 7,000 tags).
            if not piece[:10].lower().startswith(_STATEFUL):
                continue
            tag = _OPEN.match(piece)
            if tag:
                closing, name = tag.group(1), tag.group(2).lower()
                if name in _SKIPPED and not piece.endswith("/>"):
                    if closing and name in skipping:
                        skipping.remove(name)
                    elif not closing:
                        skipping.append(name)
                if name == "span" and not closing and f'class="{CLASS}"' in piece:
                    inside_url += 1
                elif name == "span" and closing and inside_url:
                    inside_url -= 1
        elif not skipping and not inside_url and ("http" in piece or "www." in piece) and _URL.search(piece):
            pieces[index] = _URL.sub(_marked, piece)
    return "".join(pieces)


def _marked(match: re.Match) -> str:
    broken = _BREAK_AFTER.sub(r"\1<wbr>", match.group(0))
    return f'<span class="{CLASS}">{broken}</span>'
