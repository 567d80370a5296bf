"""Check: a written file + its output's Ledger -> None, or the confidentiality leak found in it
(a Leak: the withheld field and the letters that were found).

Every text a file can carry is read back from the file itself, not from the HTML it was
made from: for a PDF the page text, document info, XMP, bookmarks, link targets, alt and
actual text, attachments (every string object in the file); for a DOCX every part (body,
headers, footers, footnotes, comments, relationships, properties), text and attribute
values, and the parts of every package embedded in it (a chart's workbook). Images are read
too: the metadata of every image in a PDF, every DOCX media part and every file in an HTML
output's resource folder (images.metadata_text), and embedded files as text. A value the
select stage withheld from this audience (ledger.py), and that the audience does not see
elsewhere, must not be found there.

Matching ignores case, white space, punctuation and hyphenation (letters and digits only),
so a value broken over lines or pages is still found; percent-encoded runs (a link's query)
and lines holding JavaScript escapes or character references as written (a `tojson` value,
a `<style>`) are read decoded as well. All the values are looked for in one
pass over the text (found_needles, Aho-Corasick). Values shorter than MIN_CHARS letters
and digits are too common to judge and are not checked; long values are checked in windows
of WINDOW_WORDS words, so a leaked sentence is found even when a page break splits it.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from .decoding import (
    binary_text,
    common_prefix,
    common_suffix,
    escapes_decoded,
    html_text,
    is_font,
    normalize,
    percent_decoded,
    resource_bytes,
)
from .images import metadata_text
from .kept import Kept
from .ledger import Ledger
from .markdown import plain_text
from .strictreading import StrictReading

MIN_CHARS = 4
WINDOW_WORDS = 6


@dataclass(frozen=True)
class Leak:
    """A withheld value found in an output: `where` names its content field
    (`people.x.also_known_as[0]`), `needle` is what was found (letters and digits only,
    `normalize`), so a caller can look for what wrote it (outputwarnings.leak_error)."""

    where: str
    needle: str
    message: str

    def __str__(self) -> str:
        return self.message


class CheckedText:
    """The text of one checked output, kept so that the next output of the same kind (another
    recipient's copy of the brief) is searched only where its text differs from this one.

    Exact, whatever the two texts are. The new text is cut into runs, each equal to one
    stretch of this text, and the parts between (differing_parts). A needle found in the new
    text lies within one run, so in this text too, or overlaps a part between. So a needle
    that does not occur in this text needs searching only in those parts (each widened by the
    needle's length); one that does is searched for in the whole new text."""

    ANCHOR = 48  # characters: a stretch of this text looked for in the new one, to align them
    DEPTH = 6  # times the texts are split at such a stretch: up to 64 parts

    def __init__(self, haystack: str, searched: tuple[str, ...] = (), found: set[str] | None = None) -> None:
        """`searched` and `found`: needles already looked for in `haystack`, and those found."""
        self.haystack = haystack
        self._occurs: dict[str, bool] = {needle: needle in (found or ()) for needle in searched}

    def occurring(self, needles: tuple[str, ...]) -> set[str]:
        """Those of `needles` that occur in this text (each looked for once)."""
        unknown = tuple(needle for needle in needles if needle not in self._occurs)
        if unknown:
            found = found_needles(unknown, [self.haystack])
            self._occurs.update((needle, needle in found) for needle in unknown)
        return {needle for needle in needles if self._occurs[needle]}

    def differing_parts(self, haystack: str, longest: int) -> list[str]:
        """The parts of `haystack` a needle of at most `longest` characters that does not
        occur in this text must overlap to occur in `haystack`."""
        spans: list[tuple[int, int]] = []
        self._split(haystack, 0, len(haystack), 0, len(self.haystack), self.DEPTH, spans)
        widened: list[list[int]] = []
        for begin, end in spans:  # in order, left to right
            begin, end = max(0, begin - longest + 1), min(len(haystack), end + longest - 1)
            if widened and begin <= widened[-1][1]:
                widened[-1][1] = max(widened[-1][1], end)
            else:
                widened.append([begin, end])
        return [haystack[begin:end] for begin, end in widened]

    def _split(self, new: str, a: int, b: int, a0: int, b0: int, depth: int, spans: list) -> None:
        """Note the parts of new[a:b] not shown equal to text of self.haystack[a0:b0]. The
        run that begins at `a` is equal to text beginning at `a0`, the one that ends at `b`
        to text ending at `b0`: so runs of neighbouring calls join into one stretch of this
        text, and only the spans noted (even empty ones) separate runs."""
        old = self.haystack
        prefix = common_prefix(new[a:b], old[a0:b0])
        a, a0 = a + prefix, a0 + prefix
        suffix = common_suffix(new[a:b], old[a0:b0], 0)
        b, b0 = b - suffix, b0 - suffix
        middle0 = (a0 + b0 - self.ANCHOR) // 2
        if depth and b - a > 4 * self.ANCHOR and b0 - a0 > 4 * self.ANCHOR:
            anchor = old[middle0 : middle0 + self.ANCHOR]
            found = new.find(anchor, a, b)
            if found >= 0:
                self._split(new, a, found, a0, middle0, depth - 1, spans)
                self._split(new, found, b, middle0, b0, depth - 1, spans)
                return
        spans.append((a, b))


def found_needles(needles: tuple[str, ...], texts: list[str]) -> set[str]:
    """Those of `needles` that occur in any of `texts`, in one pass over each text.

    Aho-Corasick (pyahocorasick): an output withholds hundreds of values (a dossier for
    partners some 430 names, roles and contacts), and looking for each in turn read the
    whole text once per value; the automaton reads it once for all of them."""
    if not needles:
        return set()
    automaton = _automaton(needles)
    found: set[str] = set()
    for text in texts:
        found.update(needle for _end, needle in automaton.iter(text))
    return found


@lru_cache(maxsize=4)
def _automaton(needles: tuple[str, ...]) -> ahocorasick.Automaton:
    # Kept for the next output with the same needles (the formats of one output, the copies of
    # a brief without recipients' details); a few only: one holds some megabytes.
    automaton = ahocorasick.Automaton()
    for needle in needles:
        automaton.add_word(needle, needle)
    automaton.make_automaton()
    return automaton


def check_output(path: Path, fmt: str, ledger: Ledger, reference: dict | None = None) -> Leak | None:
    """None when clean; else the Leak, its message naming the content field that leaked.

    `reference`: a dict kept across outputs of one kind (one per format of a brief): the first
    output's text is kept in it (CheckedText), and each later one searched only where it
    differs. The result is the same as without it."""
    if not ledger.removed:
        return None
    text = extract_text(path, fmt, reference.setdefault("html", {}) if reference is not None else None)
    found = _leaked(text, ledger, reference, _strictly_in_file(path) if fmt == "html" else None)
    if found is None:
        return None
    where, needle = found
    return Leak(
        where,
        needle,
        f"confidentiality check failed: {where} (removed for this audience) appears in "
        f"the {fmt.upper()} output; it was not published",
    )


def check_rendered_html(markup: str, ledger: Ledger, reference: dict | None = None) -> Leak | None:
    """check_output for HTML a template rendered but nobody wrote (`validate`): None when
    clean, else the message naming the field. The written files of a build are still read
    back: a PDF or DOCX carries more than its HTML (metadata, bookmarks, chart parts)."""
    if not ledger.removed:
        return None
    text = html_text(markup, reference.setdefault("html", {}) if reference is not None else None)
    found = _leaked(text, ledger, reference, _strictly_in_markup(markup))
    if found is None:
        return None
    where, needle = found
    return Leak(
        where,
        needle,
        f"confidentiality check failed: {where} (removed for this audience) appears in the "
        "HTML the templates render for this output; a build would publish nothing for it",
    )


def _strictly_in_file(path: Path) -> Callable[[str], bool]:
    return _confirmed_by(lambda: StrictReading.of_file(path))


def _strictly_in_markup(markup: str) -> Callable[[str], bool]:
    return _confirmed_by(lambda: StrictReading.of_markup(markup))


def _confirmed_by(read: Callable[[], StrictReading]) -> Callable[[str], bool]:
    """A needle found in an HTML output -> whether it stands in its text or whole words of
    its markup (strictreading.py). The file is read so only when a needle is found."""
    reading: list[StrictReading] = []

    def confirm(needle: str) -> bool:
        if not reading:
            reading.append(read())
        return reading[0].holds(needle)

    return confirm


def _leaked(
    text: str, ledger: Ledger, reference: dict | None, confirm: Callable[[str], bool] | None = None
) -> tuple[str, str] | None:
    """(where, needle): the first removed value found in `text`, or None. `confirm`: for an
    HTML output, whether a found needle is more than letters inside the words of markup."""
    # The decoded readings are searched each on its own line: matching drops everything but
    # letters and digits, and the end of one must not run on into the next.
    decoded = (percent_decoded(text) + escapes_decoded(text)).splitlines()
    haystack = normalize(text) + "".join("\n" + normalize(piece) for piece in decoded if piece)
    # The same text is often withheld in many places (a committee every recipient sits on):
    # each needle is searched for once, and reported under the first place it comes from.
    needles: dict[str, str] = {}
    for where, value in ledger.removed:
        for needle in needles_of(value):
            needles.setdefault(needle, where)
    searched = tuple(needles)
    earlier: CheckedText | None = reference.get("text") if reference is not None else None
    if earlier is None:
        found = found_needles(searched, [haystack])
        if reference is not None:
            reference["text"] = CheckedText(haystack, searched, found)
    else:
        differing = earlier.differing_parts(haystack, max(map(len, needles), default=0))
        found = found_needles(searched, differing)
        found.update(n for n in earlier.occurring(searched) if n not in found and n in haystack)
    visible = _VisibleText(ledger.visible)  # the audience's own text, read as far as needed
    for needle, where in needles.items():
        if needle in found and needle not in visible and (confirm is None or confirm(needle)):
            return where, needle
    return None


class _VisibleText:
    """What the audience is shown: its visible values, each normalized on its own, built
    value by value only as far as a search needs. A needle counts as shown when one value
    holds it: the values are not joined, because their order is that of item ids, which
    says nothing about what stands next to what, and a short withheld name ("anna") could
    otherwise be found across the seam of two unrelated values ("...Azerbaijan" +
    "Nasimi..."). The values before the one that held a needle are kept for the next
    needle. Normalizing the ~3,000 values of a long dossier took longer than the search
    itself, and a needle is usually found well before the last value."""

    def __init__(self, values: list[str]) -> None:
        self._values = values
        self._parts: list[str] = []

    def __contains__(self, needle: str) -> bool:
        if any(needle in part for part in self._parts):
            return True
        while len(self._parts) < len(self._values):
            part = _visible_text(self._values[len(self._parts)])
            self._parts.append(part)
            if needle in part:
                return True
        return False


@lru_cache(maxsize=8192)
def _visible_text(value: str) -> str:
    # Each copy of a brief shows mostly the same values.
    return normalize(plain_text(value))


@lru_cache(maxsize=4096)
def needles_of(value: str) -> tuple[str, ...]:
    """What is searched for to find `value` in an output's text (see the module docstring):
    empty for a value too short to judge."""
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


def extract_text(path: Path, fmt: str, memo: dict | None = None) -> str:
    """`memo`: see html_text (kept across the HTML copies of one brief)."""
    if fmt == "pdf":
        return pdf_text(path)
    if fmt == "docx":
        return docx_text(path)
    markup = path.read_text(encoding="utf-8", errors="replace")
    return html_text(markup, memo) + "\n" + resource_folder_text(path)


def resource_folder_text(path: Path) -> str:
    """What an HTML output's resource folder says: image metadata, stylesheets, file names.

    The folder is `NAME.html_files` beside a temporary file, `NAME_files` once published."""
    chunks: list[str] = []
    for folder in (path.with_name(path.name + "_files"), path.with_name(path.stem + "_files")):
        if folder.is_dir():
            for item in sorted(folder.rglob("*")):
                if item.is_file():
                    chunks.append(item.relative_to(folder).as_posix())
                    chunks.append(binary_text(item.name, resource_bytes(item)))
    return "\n".join(chunks)


def pdf_text(path: Path) -> str:
    """Page text plus every string in the file: document info, XMP, outlines, link targets,
    named destinations, alt and actual text, attachments."""
    return "\n".join(_pdf_page_text(path) + _pdf_file_strings(path))


def _pdf_file_strings(path: Path) -> list[str]:
    """What _pdf_strings reads, read from the bytes in one pass (pdfstrings.py); through
    qpdf when that reader cannot read the file exactly."""
    from . import pdfstrings

    try:
        texts, images = pdfstrings.read(path.read_bytes())
    except (pdfstrings.Unreadable, RecursionError):  # RecursionError: absurdly nested arrays
        return _pdf_strings(path)
    return texts + [_image_metadata(image) for image in images]


def _pdf_strings(path: Path) -> list[str]:
    """Every string object of the PDF, the bytes of XML and embedded-file streams, and the
    metadata of images embedded as encoded files (JPEG keeps its segments in a PDF).

    Each indirect object is visited once (qpdf lists them all); direct objects inside it
    are walked. Content streams, fonts and decoded pixels hold no string a template chose,
    and the page text is read by PDFium.
    """
    import pikepdf

    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str | pikepdf.String):
            found.append(str(value))
        elif isinstance(value, pikepdf.Object) and value.is_indirect:
            return  # visited as an object of its own
        elif isinstance(value, pikepdf.Array):
            for item in value:
                walk(item)
        elif isinstance(value, pikepdf.Dictionary | pikepdf.Stream):
            for item in value.values():
                walk(item)

    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                if obj.get("/Type") in ("/Metadata", "/EmbeddedFile") or obj.get("/Subtype") == "/XML":
                    # An undecodable stream holds no text we could match.
                    with contextlib.suppress(pikepdf.PdfError):
                        found.append(obj.read_bytes().decode("utf-8", errors="replace"))
                elif obj.get("/Subtype") == "/Image" and _encoded_image(obj):
                    # A JPEG (or JPEG 2000) is embedded as the file itself, segments and all.
                    found.append(_image_metadata(_encoded_bytes(obj)))
                for item in obj.values():
                    walk(item)
            elif not isinstance(obj, pikepdf.Object):
                walk(obj)  # a number or null, or a str pikepdf made of a string object
            elif not _HAS_STRING.search(obj.unparse(resolved=True)):
                continue  # most objects of a tagged PDF (structure elements) hold no string
            elif isinstance(obj, pikepdf.Dictionary):
                for item in obj.values():
                    walk(item)
            elif isinstance(obj, pikepdf.Array):
                for item in obj:
                    walk(item)
            else:
                walk(obj)
        for item in pdf.trailer.values():
            walk(item)
    return found


def _encoded_bytes(stream) -> bytes:
    """The image file inside a stream: its raw bytes, less any general filter (Flate) on top."""
    import pikepdf

    try:
        return stream.read_bytes(decode_level=pikepdf.StreamDecodeLevel.generalized)
    except pikepdf.PdfError:  # only the image's own filter: the raw bytes are the file
        return stream.read_raw_bytes()


def _encoded_image(stream) -> bool:
    import pikepdf

    filters = stream.get("/Filter")
    names = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
    return any(str(name) in ("/DCTDecode", "/JPXDecode") for name in names)


# A string in PDF syntax is "(literal)" or "<hex>"; "<<" opens a dictionary. qpdf writes
# each object with its direct objects inline, so an object whose text has neither holds no
# string, and asking qpdf for that text is cheaper than visiting every value from Python.
_HAS_STRING = re.compile(rb"\(|(?<!<)<(?!<)")


def _pdf_page_text(path: Path) -> list[str]:
    # PDFium reads page text some twenty times faster than pypdf, which matters: every
    # page of every output is read back before it is published.
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def docx_text(path: Path) -> str:
    """All text and attribute values of every XML part of a DOCX; the metadata of every
    image in it (word/media), the text of any other part (an embedded file), and the parts
    of every package embedded in it (a chart's workbook is a zip within the zip)."""
    with zipfile.ZipFile(path) as archive:
        return "\n".join(_zip_texts(archive, depth=0))


MAX_EMBEDDED_DEPTH = 2
# A comment's or processing instruction's text; a CDATA section's; a tag (quotes balanced, so
# a ">" or an apostrophe in a value does not end it); an attribute's value in either quotes.
_XML_COMMENT_OR_PI = re.compile(r"<!--(.*?)-->|<\?(.*?)\?>", re.S)
_XML_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_XML_TAG = re.compile(r"""(<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>)""")
_XML_ATTRIBUTE = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')""")


def _xml_texts(xml: str) -> list[str]:
    """What an XML part says: every attribute value (read inside tags only: text such as
    `x = "a` is no attribute), its text with the markup removed (so a value split by tags
    reads as one), entities decoded; and apart, its comments and processing instructions."""
    hidden: list[str] = []

    def kept(match: re.Match) -> str:
        hidden.append("".join(match.groups("")))
        return ""

    xml = _XML_COMMENT_OR_PI.sub(kept, xml)
    if "<![CDATA[" in xml:  # text: in its place, escaped as text is, so no "<" in it is a tag
        xml = _XML_CDATA.sub(lambda match: html.escape(match.group(1), quote=False), xml)
    pieces = _XML_TAG.split(xml)  # text, tag, text, ... text
    values = "\n".join(a or b for a, b in _XML_ATTRIBUTE.findall(" ".join(pieces[1::2])))
    return [html.unescape(values), html.unescape("".join(pieces[0::2])), *hidden]


def _zip_texts(archive: zipfile.ZipFile, depth: int) -> list[str]:
    chunks: list[str] = []
    for name in archive.namelist():
        chunks.extend(_part_texts(name, archive.read(name), depth))
    return chunks


def _part_texts(name: str, data: bytes, depth: int) -> list[str]:
    """What one part of a package says (see docx_text), read once per content: the copies
    of a mailing share all their parts but the body (see _remembered)."""
    kind = "xml" if name.endswith((".xml", ".rels")) else "font" if is_font(name) else "file"
    texts = _remembered((kind, depth), data, lambda: _read_part(kind, name, data, depth))
    if kind == "xml":
        return texts
    return [name, *texts]  # the name itself is part of what the package says


def _image_metadata(data: bytes) -> str:
    """metadata_text, read once per image content (see _remembered)."""
    return _remembered(("image",), data, lambda: [metadata_text(data)])[0]


def _remembered(kind: tuple, data: bytes, read) -> list[str]:
    """`read()`, the texts of `data` read as `kind`, kept by the bytes' digest for the next
    output that holds the same bytes: the answer depends on nothing else, and the copies of
    a mailing repeat every part but the body (a chart's 2,000-pixel picture took 14 ms to
    read back, a copy)."""
    key = (*kind, hashlib.sha256(data).digest())
    texts = _KEPT.get(key)
    if texts is None:
        texts = read()
        _KEPT.put(key, texts)
    return texts


# Small answers only, and a bounded number of characters in all: a long body is read once
# anyway, and a worker's memory is for laying out.
_KEPT: Kept[list[str]] = Kept(2_000_000, size=lambda texts: sum(map(len, texts)), largest=2_000_000 // 32)


def _read_part(kind: str, name: str, data: bytes, depth: int) -> list[str]:
    if kind == "xml":
        return _xml_texts(data.decode("utf-8", errors="replace"))
    if depth < MAX_EMBEDDED_DEPTH and zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            return _zip_texts(inner, depth + 1)
    return [binary_text(name, data)]
