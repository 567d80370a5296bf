"""Decoding: text as an output file holds it -> the readings the confidentiality check matches.

Matching keeps letters and digits only (`normalize`), so anything that writes a value's
letters otherwise would hide it: a percent-encoded run in a link (`Colony%20No%205`), a
JavaScript escape or character reference left as written in a script or style, a `data:`
URL's payload, the text an embedded file or an image's metadata carries. Each is read here
as what it says, for check.py (the fast pass over a whole output) and strictreading.py (the
second look at an HTML output's markup) alike.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

from .images import metadata_text, sniff

_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return _NON_ALNUM.sub("", text)


# A run of URL characters (a link target, an image source), and an %XX escape in one. Runs
# are found first and then tested: one pattern for "a run holding an escape" is retried from
# every start of a long run without one (an inline SVG read as one run), in quadratic time.
_URL_RUN = re.compile(r"[^\s\"'<>]+")
_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


def percent_decoded(text: str) -> str:
    """The percent-encoded runs of `text` (`?q=Colony%20No%205`), decoded, one per line after
    a newline; empty when there are none. Matching keeps letters and digits only, so an
    encoded space or letter would otherwise join or hide the words of a value in a link.
    Decoded until nothing changes (at most three times): `%2520` is a space encoded twice."""
    if "%" not in text:
        return ""
    decoded: list[str] = []
    # Runs end at whitespace, so within a line: only the lines holding an escape are cut into
    # runs (an output's text is some 200,000 characters; its escapes, a few links).
    lines = _lines_matching(_PERCENT_ESCAPE, text)
    for run in (r for line in lines for r in _URL_RUN.findall(line) if _PERCENT_ESCAPE.search(r)):
        for _ in range(3):
            plain = unquote(run, errors="replace")
            if plain == run:
                break
            run = plain
        decoded.append(run)
    return "\n" + "\n".join(decoded) if decoded else ""


# What a <script> or <style> holds is read as written: a `tojson` value spells an apostrophe
# `\u0027` and an escaped one `&#39;`, whose letters and digits would otherwise stand inside
# the value's ("ou0027brien", "o39brien") and hide it.
_ESCAPE = re.compile(
    r"\\(?:u([0-9A-Fa-f]{4})|u\{([0-9A-Fa-f]{1,6})\}|x([0-9A-Fa-f]{2})|([nrtbfv\"'/\\]))"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
_SPACE_ESCAPES = set("nrtbfv")


def escapes_decoded(text: str) -> str:
    r"""The lines of `text` holding a JavaScript/JSON escape (`\u0027`, `\x27`, `\u{27}`)
    or an HTML character reference, decoded, after a newline; empty when there are none."""
    decoded: list[str] = []
    for line in _lines_matching(_ESCAPE, text):
        # Decoded until nothing changes (at most three times): `tojson` of escaped markup
        # writes `\u0026#39;`, an escape of a character reference.
        for _ in range(3):
            # A character beyond the BMP is a pair of \u escapes: joined into one.
            plain = _ESCAPE.sub(_unescaped, line).encode("utf-16", "surrogatepass")
            plain = plain.decode("utf-16", "replace")
            if plain == line:
                break
            line = plain
        if "<" in line:  # markup in a string (`\u003cem\u003e`): its text, tags aside
            line = html_text(line)
        decoded.append(" ".join(line.splitlines()))
    return "\n" + "\n".join(decoded) if decoded else ""


def _lines_matching(pattern: re.Pattern, text: str):
    """Each line of `text` that `pattern` matches in, once: one search over the whole text,
    which most outputs (nothing escaped) leave at that."""
    end = -1
    for match in pattern.finditer(text):
        if match.start() <= end:
            continue  # another match in the line already given
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end < 0 else end
        yield text[start:end]


def _unescaped(match: re.Match) -> str:
    if match[4] is not None:  # \n, \t ... separate words; \" \' \/ \\ are the character
        return " " if match[4] in _SPACE_ESCAPES else match[4]
    number = match[1] or match[2] or match[3]
    if number is None:
        return html.unescape(match[0])
    code = int(number, 16)
    return chr(code) if code <= 0x10FFFF else match[0]


def resource_bytes(item: Path) -> bytes:
    """A file's bytes, or only its first ones for a font that is not an image: binary_text
    says nothing of such a file past what `sniff` reads, and every HTML output's folder
    holds the theme's fonts (some 6 MB) that would otherwise be read back whole."""
    if item.name.lower().endswith(_FONT_SUFFIXES):
        with item.open("rb") as handle:
            head = handle.read(_SNIFFED)
            if sniff(head) is None:
                return head
            return head + handle.read()
    return item.read_bytes()


_SNIFFED = 4096  # images.sniff reads no further


_FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2", ".odttf", ".fntdata")


def binary_text(name: str, data: bytes) -> str:
    """The text a non-XML file can carry: an image's metadata, a font's nothing (glyph
    tables are no one's words), anything else decoded as text (an embedded file)."""
    if sniff(data) is not None:
        return metadata_text(data)
    if is_font(name):
        return ""
    return data.decode("utf-8", errors="replace")


def is_font(name: str) -> bool:
    return name.lower().endswith(_FONT_SUFFIXES)


DATA_URL = re.compile(r"data:([\w.+-]+/[\w.+-]+)?((?:;[\w-]+=[\w.-]+)*)(;base64)?,([A-Za-z0-9+/=%._~-]*)")
TEXT_TYPES = re.compile(r"^(text/|image/svg\+xml$|application/(xml|xhtml\+xml|json)$)")


def data_urls_read(value: str) -> str:
    if "data:" not in value:
        return value

    def read(match: re.Match) -> str:
        mime, _params, is_base64, payload = match.groups()
        if not TEXT_TYPES.match(mime or "text/plain"):
            return " "
        if is_base64:
            import base64
            import binascii

            try:
                return " " + base64.b64decode(payload).decode("utf-8", errors="replace") + " "
            except (binascii.Error, ValueError):
                return " "
        return " " + unquote(payload) + " "

    return DATA_URL.sub(read, value)


def html_text(markup: str, memo: dict | None = None) -> str:
    """Text, attribute values, comments and declarations of an HTML file, entities decoded:
    tags and `&#39;` inside a value (`<em>`, a `<br>` after a hyphen) would otherwise hide it
    from the matching.

    A self-contained file carries its resources as data: URLs (in attributes and in the
    CSS): a text resource (SVG, XML, plain text) is read as its decoded text, a binary one
    (font, photo) as nothing, since base64 is letters and digits that match by chance.

    `memo`: a dict kept across files that end alike (the personalised copies of a brief,
    which differ on their cover): the end they share is read once (_read_with_known_end).
    The result is the same as without it."""
    if memo is not None:
        known = _read_with_known_end(markup, memo)
        memo["markup"] = markup
        if known is not None:
            return known
    reader = _HtmlReader()
    reader.feed(markup)
    reader.close()
    return reader.text()


class _HtmlReader:
    """What html_text reads from the events of Python's HTML parser."""

    def __init__(self) -> None:
        from html.parser import HTMLParser

        chunks: list[str] = []
        hidden: list[str] = []

        class Reader(HTMLParser):
            def handle_starttag(self, tag, attrs):
                chunks.extend(data_urls_read(value) for _name, value in attrs if value)

            def handle_data(self, data):
                chunks.append(data_urls_read(data))

            # What a reader does not see but the file carries to whoever opens its source: a
            # comment a template wrote, a declaration, a processing instruction, a CDATA
            # section. Read apart, after the text: in its place it would split a value the
            # text holds.
            def handle_comment(self, data):
                hidden.append(data_urls_read(data))

            def handle_decl(self, decl):
                hidden.append(decl)

            def handle_pi(self, data):
                hidden.append(data)

            def unknown_decl(self, data):
                hidden.append(data)

        self.chunks, self.hidden = chunks, hidden
        self.parser = Reader(convert_charrefs=True)
        self.feed, self.close = self.parser.feed, self.parser.close

    def text(self) -> str:
        return "".join(self.chunks) + "\n" + "\n".join(self.hidden)

    def at_rest(self) -> bool:
        """Whether the parser holds nothing and is in the state it starts in: what it is fed
        next is then read as if it began a file (its position aside)."""
        fresh = vars(_HtmlReader().parser)
        return {k: v for k, v in vars(self.parser).items() if k not in _BOOKKEEPING} == {
            k: v for k, v in fresh.items() if k not in _BOOKKEEPING
        }


# The parser's fields that only say where it is or what it last read (its line and column,
# for error messages; the last start tag, for get_starttag_text), never how it reads on.
_BOOKKEEPING = frozenset({"lineno", "offset", "lasttag", "_HTMLParser__starttag_text"})


_WORTH_SHARING = 4096  # characters of markup


def _read_with_known_end(markup: str, memo: dict) -> str | None:
    """html_text of `markup` from its own beginning and the memo's reading of the end it
    shares with the last file read; None when that cannot be shown to be the same.

    The file is cut before a `<` within the end it shares with the last one. The part before
    the cut is read by a new parser, which must then hold nothing and be in its starting
    state (_HtmlReader.at_rest: no half-read tag, comment or charref, not inside a script or
    a style). From such a state the parser reads the rest exactly as it reads a file that
    begins there: so the rest's events, read once for all the copies that end alike, follow
    the beginning's. Text runs up to a `<` are given whole either way, so no data: URL is
    cut in two."""
    last = memo.get("markup")
    if last is None:
        return None
    shared = common_suffix(markup, last, 0)
    cut = markup.find("<", len(markup) - shared)
    if cut <= 0 or len(markup) - cut < _WORTH_SHARING:
        return None  # little in common: reading it all is as quick
    end = markup[cut:]
    head = _HtmlReader()
    head.feed(markup[:cut])
    if not head.at_rest():
        return None
    if memo.get("end") != end:
        reader = _HtmlReader()
        reader.feed(end)
        reader.close()
        memo["end"], memo["end_read"] = end, (reader.chunks, reader.hidden)
    chunks, hidden = memo["end_read"]
    return "".join(head.chunks + chunks) + "\n" + "\n".join(head.hidden + hidden)


def common_prefix(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:  # slices compare in C: some 16 comparisons for a long brief
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def common_suffix(a: str, b: str, prefix: int) -> int:
    """The length of the common end of `a` and `b`, not reaching into `prefix` characters."""
    low, high = 0, min(len(a), len(b)) - prefix
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low
