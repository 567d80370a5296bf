"""Wrapping: the rendered HTML -> the same HTML with tokens too long for a line marked.

A token of LONG_TOKEN characters or more without a space (a pasted hash, a long URL, a
3,000-character string) is no word a dictionary can hyphenate, and it does not fit a line
or a table cell. Left to `hyphens: auto`, WeasyPrint tries every hyphenation point of it,
one line layout each (a 3,000-character token took about a minute); `overflow-wrap:
anywhere` is as slow inside a table, whose width needs each cell's narrowest layout.

So each such token is wrapped in `<span class="long-token">` (the theme sets it with
`hyphens: manual`) with a `<wbr>` break opportunity every CHUNK characters: it breaks where
it must, stays inside the page and its table cell, and costs a few layouts per line. No
character is added: the text is the same in every format (the DOCX writer skips `<wbr>`;
Word breaks a word longer than its line by itself).

Most documents have no such token and are returned untouched.
"""

from __future__ import annotations

import re

LONG_TOKEN = 40  # longer than any dictionary word worth hyphenating
CHUNK = 12  # characters between break opportunities: about 2 cm, narrower than any column
# LONG_TOKEN characters without a space in the text between tags: a long attribute value
# (a link's address, an SVG path) is no candidate. '>' may stand in text, so it is allowed.
_CANDIDATE = re.compile(rf">[^<]*?[^\s<]{{{LONG_TOKEN}}}")
_TOKEN = re.compile(rf"\S{{{LONG_TOKEN},}}")
_SKIP = {"style", "script", "head", "title", "pre", "textarea"}
CLASS = "long-token"


def mark_long_tokens(html: str) -> str:
    """`html` with every text token of LONG_TOKEN or more characters in a long-token span."""
    if not _has_long_text(html):
        return html
    import lxml.html

    root = lxml.html.document_fromstring(html)
    body = root.find("body")
    if body is None:
        return html
    for element in list(body.iter()):
        if not isinstance(element.tag, str) or element.tag in _SKIP or _inside_skipped(element):
            continue
        if CLASS in (element.get("class") or "").split():
            continue
        if element.text and _TOKEN.search(element.text):
            pieces = _split(element.text)
            element.text = pieces[0]
            for index, span in enumerate(_spans(pieces[1:], element.makeelement)):
                element.insert(index, span)
        # Text after an element is its tail in lxml: split here, the spans placed after it.
        if element.tail and _TOKEN.search(element.tail) and element.getparent() is not None:
            if element.getparent().tag in _SKIP:
                continue
            pieces = _split(element.tail)
            element.tail = pieces[0]
            anchor = element
            for span in _spans(pieces[1:], element.makeelement):
                anchor.addnext(span)
                anchor = span
    html = lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    return html.replace("<wbr></wbr>", "<wbr>")  # libxml2 does not know <wbr> is void


def _has_long_text(html: str) -> bool:
    # Cheap test on the whole string first: a false candidate (in a comment, say) costs only
    # a parse; a document whose links all have long addresses no longer pays for one.
    start = html.find("<body")
    return bool(_CANDIDATE.search(html, max(start, 0)))


def _inside_skipped(element) -> bool:
    return any(parent.tag in _SKIP for parent in element.iterancestors())


def _split(text: str) -> list[str]:
    """ "a LONG b LONG2 c" -> ["a ", "LONG", " b ", "LONG2", " c"]: text, then (token, text)*."""
    pieces: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        pieces.append(text[last : match.start()])
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(text[last:])
    return pieces


def _spans(pairs: list[str], make) -> list:
    spans = []
    for token, after in zip(pairs[0::2], pairs[1::2], strict=True):
        span = make("span", {"class": CLASS})
        chunks = [token[i : i + CHUNK] for i in range(0, len(token), CHUNK)]
        span.text = chunks[0]
        for chunk in chunks[1:]:
            opportunity = make("wbr", {})
            opportunity.tail = chunk
            span.append(opportunity)
        span.tail = after
        spans.append(span)
    return spans
