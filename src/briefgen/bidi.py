"""Bidi: rendered HTML -> the same HTML with right-to-left runs isolated in <bdi> (and back).

A name written right to left inside a left-to-right sentence takes the digits and
punctuation around it into its own direction: "the lawyer of محمد رضا, 42," would print
as "the lawyer of 42 ,محمد رضا". Isolating the name (<bdi>, Unicode's FSI/PDI in effect)
keeps everything around it where the sentence put it. This stage wraps every run of the
other direction in the document's text (from its first to its last strong character, with
the spaces, digits and marks between) in `<bdi dir="rtl">` (or `dir="ltr"` in a
right-to-left document), so both writers get it: WeasyPrint honours <bdi>, the DOCX
writer turns it into isolates plus a direction mark (html_walker).

Only text between tags of the body is touched, never attributes, <style>, <script> or the
head; an element that already chose a direction (a `dir` attribute, <bdi>, <bdo>) is left
as it is.
"""

from __future__ import annotations

import re
import unicodedata

RTL_LANGUAGES = {"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"}
_PARTS = re.compile(r"(<[^>]*>)")
_OPEN = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>")
_SKIPPED = {"head", "style", "script", "bdi", "bdo", "title", "textarea"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def is_rtl_language(language: str | None) -> bool:
    return (language or "").lower().split("-")[0] in RTL_LANGUAGES


def strong_direction(char: str) -> str | None:
    """'rtl', 'ltr' or None (neutral or weak: spaces, digits, punctuation, marks)."""
    kind = unicodedata.bidirectional(char)
    if kind in ("R", "AL"):
        return "rtl"
    if kind == "L":
        return "ltr"
    return None


def isolate(html: str, language: str | None) -> str:
    """The HTML with each run of the direction opposite to the document's in <bdi>."""
    other = "ltr" if is_rtl_language(language) else "rtl"
    # Each distinct character once (a set is built at C speed; a document repeats a few
    # hundred characters hundreds of thousands of times).
    if other == "rtl" and not any(strong_direction(c) == "rtl" for c in set(html) if ord(c) >= 0x590):
        return html  # the common case, decided in one pass
    out: list[str] = []
    skipping: list[str] = []  # open elements whose text is left alone
    for part in _PARTS.split(html):
        if not part:
            continue
        if part.startswith("<"):
            out.append(part)
            _track(part, skipping)
            continue
        out.append(part if skipping else _wrap_runs(part, other))
    return "".join(out)


def _track(tag: str, skipping: list[str]) -> None:
    if tag.startswith("</"):
        name = tag[2:-1].strip().lower()
        if skipping and skipping[-1] == name:
            skipping.pop()
        return
    match = _OPEN.match(tag)
    if match is None or tag.endswith("/>"):
        return
    name = match.group(1).lower()
    if name in _VOID:
        return
    if skipping or name in _SKIPPED or re.search(r"\sdir\s*=", match.group(2)):
        skipping.append(name)


def _wrap_runs(text: str, other: str) -> str:
    """Wrap runs of `other` direction: first to last strong character of that direction,
    with no strong character of the document's direction in between."""
    out: list[str] = []
    start = last = None  # the run's first and last strong character of direction `other`
    done = 0
    for index, char in enumerate(text):
        direction = strong_direction(char)
        if direction == other:
            if start is None:
                start = index
            last = index
        elif direction is not None and start is not None:
            done = _close(text, out, done, start, last, other)
            start = last = None
        elif start is not None and (char == "&" or _ends_clause(text, index, start)):
            # An entity, or the sentence's own punctuation: "نرگس محمدی, علاء عبد الفتاح and"
            # is a list of two names, each isolated, in the sentence's order.
            done = _close(text, out, done, start, last, other)
            start = last = None
    if start is not None:
        done = _close(text, out, done, start, last, other)
    out.append(text[done:])
    return "".join(out)


def _ends_clause(text: str, index: int, start: int) -> bool:
    """Latin punctuation that ends a clause of the surrounding sentence: a comma, semicolon,
    colon, full stop, ! or ? before a space (Arabic script has its own: ، ؛ ؟), or a closing
    bracket whose opening one is before the run."""
    char = text[index]
    if char in ",;:.!?":
        return index + 1 == len(text) or text[index + 1].isspace()
    pairs = {")": "(", "]": "[", "}": "{"}
    if char in pairs:
        return text.count(pairs[char], start, index) <= text.count(char, start, index)
    return False


def _close(text: str, out: list[str], done: int, start: int, last: int, other: str) -> int:
    end = last + 1
    while end < len(text) and unicodedata.category(text[end]) in ("Mn", "Me"):
        end += 1  # marks after the last letter (vowel signs, harakat) belong to it
    # A quotation or bracket around the run belongs to it when the run holds its other half:
    # «زن، زندگی، آزادی» — نرگس محمدی keeps both guillemets with the Persian quote.
    inside = [unicodedata.category(c) for c in text[start:end]]
    if (
        start > done
        and unicodedata.category(text[start - 1]) in ("Ps", "Pi")
        and ("Pe" in inside or "Pf" in inside)
    ):
        start -= 1
    elif (
        end < len(text)
        and unicodedata.category(text[end]) in ("Pe", "Pf")
        and ("Ps" in inside or "Pi" in inside)
    ):
        end += 1
    out.append(text[done:start])
    out.append(f'<bdi dir="{other}">{text[start:end]}</bdi>')
    return end
