"""Strict reading: an HTML output (its markup and resource folder) -> whether a withheld value
the confidentiality check found in it stands in the output's text, or as whole words in its
markup.

The check (check.py) reads an HTML file as one run of letters and digits: text, attribute
values, the stylesheet, comments. That finds a value split by tags or entities, and it is
one fast pass; but it also finds a short value inside the words of the markup, which says
nothing about the content: "Vera" in a stylesheet comment's "ne*ver a*lone", "Mark" in the
class `marking-banner`, "Anne" in `banner`, "family" in `font-family`. A contact or a
relative with such a name made every HTML output of the audience fail, and `validate` with
them, while the PDF and DOCX (no markup) were published.

So a value the fast pass finds in an HTML output is looked for again here before it is
reported, and reported only when found:
- in the text (what a reader sees, joined across tags), and in attributes that hold text
  (alt, title, aria labels, a meta's content, link targets): anywhere, as the fast pass does;
- in everything else the file carries (class names, ids, other attributes, the stylesheet,
  scripts, comments, the resource folder's file names): as whole words only, a run of
  words that begins and ends where words do. Markup is not broken over lines or hyphenated,
  so a value a template wrote into it stands there whole ("case-vera-sviryd" holds "Vera
  Sviryd"); CSS property names are left out (no content is ever a property name).

Every reading the fast pass makes (percent-encoded and escaped runs, data: URLs, image
metadata) is made here too, so what this module dismisses is exactly what stood only inside
the words of markup.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from .decoding import (
    DATA_URL,
    TEXT_TYPES,
    binary_text,
    data_urls_read,
    escapes_decoded,
    normalize,
    percent_decoded,
    resource_bytes,
)
from .images import sniff

# Attributes whose value is text someone reads or follows: searched as text is.
TEXT_ATTRIBUTES = frozenset(
    {
        "alt", "title", "content", "value", "placeholder", "label", "summary", "abbr",
        "href", "src", "srcset", "poster", "cite", "action", "formaction", "data", "longdesc",
        "download", "xlink:href", "datetime", "aria-label", "aria-description", "aria-roledescription",
        "aria-valuetext", "aria-placeholder",
    }
)  # fmt: skip
_TEXT_FILES = (".svg", ".xml", ".html", ".xhtml", ".htm")
# A word: a run of letters, or of digits ("05T10" is two words, as "2021-03-05T10:00" shows
# a date followed by a time), read after NFKC as the needles are (a decomposed "José" is one
# word, not "Jose" and a loose accent).
_WORD = re.compile(r"[^\W\d_]+|\d+")
# A declaration's property name: after `{`, `;` or the start of a style attribute.
_PROPERTY = re.compile(r"(^|[{;])\s*-{0,2}[A-Za-z][\w-]*\s*:(?!:)")


class StrictReading:
    """What one HTML output says, kept apart by kind: text (matched anywhere) and markup
    (matched as whole words)."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.markup: list[tuple[str, frozenset[int]]] = []

    @classmethod
    def of_markup(cls, markup: str) -> StrictReading:
        reading = cls()
        reading.add_html(markup)
        return reading

    @classmethod
    def of_file(cls, path: Path) -> StrictReading:
        """An HTML output as written, with its resource folder (check.resource_folder_text)."""
        reading = cls.of_markup(path.read_text(encoding="utf-8", errors="replace"))
        for folder in (path.with_name(path.name + "_files"), path.with_name(path.stem + "_files")):
            if folder.is_dir():
                for item in sorted(folder.rglob("*")):
                    if item.is_file():
                        reading.add_file(item.relative_to(folder).as_posix(), item)
        return reading

    def holds(self, needle: str) -> bool:
        """Whether `needle` (check.normalize'd) is in a text, or whole words of markup."""
        if any(needle in normalize(text) for text in self.texts):
            return True
        return any(_whole_words_hold(words, bounds, needle) for words, bounds in self.markup)

    def add_text(self, text: str) -> None:
        decoded = (percent_decoded(text) + escapes_decoded(text)).splitlines()
        self.texts += [text, *(piece for piece in decoded if piece)]

    def add_markup(self, text: str, css: bool = False) -> None:
        readings = [text, *(percent_decoded(text) + escapes_decoded(text)).splitlines()]
        for reading in readings:
            reading = data_urls_read(reading)
            if css:
                reading = _PROPERTY.sub(r"\1 ", reading)
            self.markup.append(_words(reading))

    def add_html(self, markup: str) -> None:
        reader = _Reader(self)
        reader.feed(markup)
        reader.close()
        self.add_text(data_urls_read("".join(reader.text)))  # a data: URL in text, as check reads it

    def add_file(self, name: str, path: Path) -> None:
        self.add_markup(name)
        data = resource_bytes(path)
        if sniff(data) is None and name.lower().endswith(_TEXT_FILES):
            self.add_html(data.decode("utf-8", errors="replace"))
        elif sniff(data) is None and name.lower().endswith(".css"):
            self.add_markup(data.decode("utf-8", errors="replace"), css=True)
        else:
            self.add_text(binary_text(name, data))


class _Reader(HTMLParser):
    def __init__(self, reading: StrictReading) -> None:
        super().__init__(convert_charrefs=True)
        self.reading = reading
        self.text: list[str] = []
        self.raw: str | None = None  # inside <style> or <script>: its tag

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if not value:
                continue
            if name in TEXT_ATTRIBUTES:
                self._attribute_text(value)
            else:
                self.reading.add_markup(value, css=name == "style")
        if tag in ("style", "script"):
            self.raw = tag

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("style", "script"):
            self.raw = None

    def handle_endtag(self, tag):
        if tag == self.raw:
            self.raw = None

    def handle_data(self, data):
        if self.raw is None:
            self.text.append(data)
        else:
            self.reading.add_markup(data, css=self.raw == "style")

    def handle_comment(self, data):
        self.reading.add_markup(data)

    def handle_decl(self, decl):
        self.reading.add_markup(decl)

    def handle_pi(self, data):
        self.reading.add_markup(data)

    def unknown_decl(self, data):
        self.reading.add_markup(data)

    def _attribute_text(self, value: str) -> None:
        # A data: URL's SVG or HTML is markup itself, read as an embedded file is.
        for match in DATA_URL.finditer(value):
            mime = match[1] or "text/plain"
            decoded = data_urls_read(match[0]).strip()
            if TEXT_TYPES.match(mime) and "<" in decoded:
                self.reading.add_html(decoded)
            else:
                self.reading.add_text(decoded)
        self.reading.add_text(DATA_URL.sub(" ", value))


def _words(text: str) -> tuple[str, frozenset[int]]:
    """`text`'s words, normalized and joined, with the offsets where each begins and ends."""
    joined: list[str] = []
    bounds = {0}
    length = 0
    for word in _WORD.findall(unicodedata.normalize("NFKC", text).casefold()):
        word = normalize(word)
        if word:
            joined.append(word)
            length += len(word)
            bounds.add(length)
    return "".join(joined), frozenset(bounds)


def _whole_words_hold(words: str, bounds: frozenset[int], needle: str) -> bool:
    start = words.find(needle)
    while start >= 0:
        if start in bounds and start + len(needle) in bounds:
            return True
        start = words.find(needle, start + 1)
    return False
