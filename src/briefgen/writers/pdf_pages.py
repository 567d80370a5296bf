"""Page digests: WeasyPrint's PDF objects, just before they are written -> one digest per page
that changes whenever what the page shows changes.

serve's print view draws a refreshed PDF page by page; a page whose digest equals that of a
page already on screen is copied rather than drawn again (serve/static/serve.js), so after a
save only the pages the change reached are drawn. The digest is therefore built to be
conservative: anything that could alter a page's pixels goes in, and a difference that does
not (an object renumbered, a link's destination) may only cost a redraw.

What goes in, for each page:
- its content stream, operator by operator (marked-content ids are per page, so unchanged
  pages keep them);
- every XObject, pattern, shading and graphics state the stream names, followed through
  their own streams and resources;
- every font the stream (or a form it draws) names, by its whole file: text is shown by the
  font file's own glyph ids (WeasyPrint subsets with retained ids), so a page's text draws
  the same as long as its fonts are the same files, whatever the embedded subset holds and
  whatever fonts other pages start using;
- its boxes and annotations (pdf.js paints annotation appearances).

Not in it: the fonts' ToUnicode maps, which WeasyPrint builds for the whole document (the
first text to use a glyph gives its meaning). They change what a copied page's text layer
would say on copy or search in rare cases, never its pixels.
"""

from __future__ import annotations

import hashlib
import logging
import re

import pydyf

_REFERENCE = re.compile(rb"^(\d+) (\d+) R$")
_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_RESOURCE_KINDS = ("XObject", "Pattern", "Shading", "ExtGState", "ColorSpace", "Properties")
# What an annotation does when clicked, and where it sits in the page tree and the structure
# tree: nothing of it is drawn, and following it would lead into other pages.
_NOT_DRAWN = frozenset({"Parent", "P", "Dest", "A", "StructParent", "StructParents"})
DIGEST_BYTES = 8  # 16 hex digits a page: a header of some 17 bytes per page (serve/app.py)
_FONT_DIGESTS: dict[tuple, bytes] = {}  # see _font_file_digest
_FONT_DIGESTS_KEPT = 256
_WANTED = False
_LOG = logging.getLogger(__name__)


def want_page_digests() -> None:
    """Make every PDF written in this process (and processes forked after) record its page
    digests: `briefgen serve` calls it as it starts; `build` has no use for them."""
    global _WANTED
    _WANTED = True


def wanted() -> bool:
    return _WANTED


def page_digests(document, pdf: pydyf.PDF) -> tuple[str, ...] | None:
    """One hex digest per page of `pdf`, in page order (see the module's docstring); None
    when the objects are not as this module knows them: the page then draws every page."""
    try:
        walker = _Walker(pdf, _font_digests(document))
        digests = []
        for reference in pdf.page_references:
            page = walker.resolve(reference)
            digest = hashlib.blake2b(digest_size=DIGEST_BYTES)
            for key in ("MediaBox", "CropBox", "TrimBox", "BleedBox", "Rotate", "UserUnit"):
                if key in page:
                    digest.update(key.encode() + walker.value(page[key]))
            if "Annots" in page:
                digest.update(b"Annots" + walker.value(page["Annots"], skip=_NOT_DRAWN))
            digest.update(walker.drawing(walker.resolve(page["Contents"]), walker.resolve(page["Resources"])))
            digests.append(digest.hexdigest())
        return tuple(digests)
    except Exception as exc:  # a WeasyPrint whose objects differ: no digests, not no PDF
        _LOG.debug("no page digests: %s: %s", type(exc).__name__, exc)
        return None


def _font_digests(document) -> dict[bytes, bytes]:
    """The PDF name of each font (WeasyPrint's `font.hash`) -> a digest of what it draws."""
    found: dict[bytes, list[bytes]] = {}
    for key in sorted(document.fonts, key=repr):
        font = document.fonts[key]
        described = repr((key, font.index, sorted(font.variations.items()))).encode()
        found.setdefault(font.hash.encode(), []).append(described + _font_file_digest(font))
    return {
        name: hashlib.blake2b(b"\0".join(parts), digest_size=16).digest() for name, parts in found.items()
    }


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _font_file_digest(font) -> bytes:
    # By then `font.file_content` is the subset this PDF embeds, which gains glyphs as text is
    # added anywhere: the digest is of the whole font the subset came from, its face's blob.
    # A face's bytes never change while it lives, and a preview session draws the same few
    # faces hundreds of times (a CJK font is megabytes): each is hashed once. The key has the
    # face's `head` table, whose checksum covers the whole file, should a freed face's
    # address be reused by another.
    from weasyprint.text.ffi import ffi, harfbuzz
    from weasyprint.text.fonts import get_hb_object_data

    face = font.hb_face
    head = face_table(face, b"head")
    key = (int(ffi.cast("uintptr_t", face)), head, harfbuzz.hb_face_get_glyph_count(face))
    if key not in _FONT_DIGESTS:
        if len(_FONT_DIGESTS) >= _FONT_DIGESTS_KEPT:
            _FONT_DIGESTS.clear()
        _FONT_DIGESTS[key] = _digest(get_hb_object_data(face))
    return _FONT_DIGESTS[key]


def face_table(face, tag: bytes) -> bytes:
    """One table of a HarfBuzz face, as the font file has it (b"" when it has none)."""
    from weasyprint.text.ffi import ffi, harfbuzz

    blob = harfbuzz.hb_face_reference_table(face, harfbuzz.hb_tag_from_string(tag, -1))
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        return bytes(ffi.buffer(data, length[0])) if length[0] else b""
    finally:
        harfbuzz.hb_blob_destroy(blob)


class _Walker:
    """Serialises objects for hashing, following references, each object once."""

    def __init__(self, pdf: pydyf.PDF, fonts: dict[bytes, bytes]):
        self.pdf = pdf
        self.fonts = fonts
        self.seen: dict[tuple[int, bool], bytes] = {}

    def resolve(self, value):
        if isinstance(value, bytes) and (match := _REFERENCE.match(value)):
            return self.pdf.objects[int(match.group(1))]
        return value

    def value(self, value, skip: frozenset = frozenset()) -> bytes:
        """`value`'s bytes for the digest; `skip`: keys of its dictionaries left out."""
        if isinstance(value, bytes) and (match := _REFERENCE.match(value)):
            number = int(match.group(1))
            seen = (number, bool(skip))
            if seen not in self.seen:
                self.seen[seen] = b"(cycle)"  # an object that reaches itself adds nothing more
                self.seen[seen] = hashlib.blake2b(
                    self.value(self.pdf.objects[number], skip), digest_size=16
                ).digest()
            return b"<" + self.seen[seen] + b">"
        if isinstance(value, pydyf.Stream):
            resources = value.extra.get("Resources")
            extra = {k: v for k, v in value.extra.items() if k != "Resources"}
            drawn = (
                self.drawing(value, self.resolve(resources)) if resources is not None else self.chunks(value)
            )
            return b"stream" + self.value(extra) + drawn
        if isinstance(value, dict):
            return (
                b"<<"
                + b"".join(
                    b"/" + str(key).encode() + b" " + self.value(item, skip)
                    for key, item in value.items()
                    if key not in skip
                )
                + b">>"
            )
        if isinstance(value, (list, tuple)):
            return b"[" + b" ".join(self.value(item, skip) for item in value) + b"]"
        return pydyf._to_bytes(value)

    def chunks(self, stream: pydyf.Stream) -> bytes:
        # The stream's bytes as its writer joins them (pdf_serialise.stream_data), kept as its
        # one chunk: the join, most of this module's cost, is then not done twice, and the
        # file's bytes are the same.
        data = b"\n".join(pydyf._to_bytes(chunk) for chunk in stream.stream)
        stream.stream = [data]
        return data

    def drawing(self, stream: pydyf.Stream, resources) -> bytes:
        """A content stream, the resources it names and the fonts (_font_digests)."""
        content = self.chunks(stream)
        parts = [content]
        names = set(_NAME.findall(content))
        parts += [b"Font/" + name + self.fonts[name] for name in sorted(names) if name in self.fonts]
        for kind in _RESOURCE_KINDS:
            table = self.resolve(resources.get(kind)) if isinstance(resources, dict) else None
            if not isinstance(table, dict):
                continue
            for name, item in table.items():
                if str(name).encode() in names:
                    parts.append(kind.encode() + b"/" + str(name).encode() + self.value(item))
        return b"\n".join(parts)
