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
- its boxes and annotations (pdf.js paints annotation appearances);
- every font of the document, by its whole file's bytes: text is shown by the font file's
  own glyph ids (WeasyPrint subsets with retained ids), so a page's text draws the same as
  long as the fonts are the same files, whatever the subset embedded holds.
"""

from __future__ import annotations

import hashlib
import re

import pydyf

_REFERENCE = re.compile(rb"^(\d+) (\d+) R$")
_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_RESOURCE_KINDS = ("XObject", "Pattern", "Shading", "ExtGState", "ColorSpace", "Properties")
# What an annotation does when clicked, and where it sits in the page tree and the structure
# tree: nothing of it is drawn, and following it would lead into other pages.
_NOT_DRAWN = frozenset({"Parent", "P", "Dest", "A", "StructParent", "StructParents"})
_FONT_DIGESTS: dict[tuple, bytes] = {}  # see _font_file_digest
_WANTED = False


def want_page_digests() -> None:
    """Make every PDF written in this process (and processes forked after) record its page
    digests: serve calls it; `briefgen build` has no use for them."""
    global _WANTED
    _WANTED = True


def wanted() -> bool:
    return _WANTED


def page_digests(document, pdf: pydyf.PDF) -> tuple[str, ...]:
    """One hex digest per page of `pdf`, in page order (see the module's docstring)."""
    walker = _Walker(pdf)
    fonts = _fonts_digest(document)
    digests = []
    for reference in pdf.page_references:
        page = walker.resolve(reference)
        digest = hashlib.blake2b(fonts, digest_size=16)
        for key in ("MediaBox", "CropBox", "TrimBox", "BleedBox", "Rotate", "UserUnit"):
            if key in page:
                digest.update(key.encode() + walker.value(page[key]))
        if "Annots" in page:
            digest.update(b"Annots" + walker.value(page["Annots"]))
        digest.update(walker.drawing(walker.resolve(page["Contents"]), walker.resolve(page["Resources"])))
        digests.append(digest.hexdigest())
    return tuple(digests)


def _fonts_digest(document) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for key in sorted(document.fonts, key=repr):
        font = document.fonts[key]
        digest.update(repr((key, font.hash, font.index, sorted(font.variations.items()))).encode())
        digest.update(_font_file_digest(font))
    return digest.digest()


def _font_file_digest(font) -> bytes:
    # By then `font.file_content` is the subset this PDF embeds, which gains glyphs as text is
    # added anywhere: the digest is of the whole font the subset came from, its face's blob.
    # A face's bytes never change while it lives, and a preview session draws the same few
    # faces hundreds of times (a CJK font is megabytes): each is hashed once. The key has the
    # description's hash and glyph count too, should a freed face's address be reused.
    from weasyprint.text.ffi import ffi, harfbuzz
    from weasyprint.text.fonts import get_hb_object_data

    key = (
        int(ffi.cast("uintptr_t", font.hb_face)),
        font.hash,
        harfbuzz.hb_face_get_glyph_count(font.hb_face),
    )
    if key not in _FONT_DIGESTS:
        _FONT_DIGESTS[key] = hashlib.blake2b(get_hb_object_data(font.hb_face), digest_size=16).digest()
    return _FONT_DIGESTS[key]


class _Walker:
    """Serialises objects for hashing, following references, each object once."""

    def __init__(self, pdf: pydyf.PDF):
        self.pdf = pdf
        self.seen: dict[int, bytes] = {}

    def resolve(self, value):
        if isinstance(value, bytes) and (match := _REFERENCE.match(value)):
            return self.pdf.objects[int(match.group(1))]
        return value

    def value(self, value) -> bytes:
        if isinstance(value, bytes) and (match := _REFERENCE.match(value)):
            number = int(match.group(1))
            if number not in self.seen:
                self.seen[number] = b"(cycle)"  # an object that reaches itself adds nothing more
                self.seen[number] = hashlib.blake2b(
                    self.value(self.pdf.objects[number]), digest_size=16
                ).digest()
            return b"<" + self.seen[number] + b">"
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
                    b"/" + str(key).encode() + b" " + self.value(item)
                    for key, item in value.items()
                    if key not in _NOT_DRAWN
                )
                + b">>"
            )
        if isinstance(value, (list, tuple)):
            return b"[" + b" ".join(self.value(item) for item in value) + b"]"
        return pydyf._to_bytes(value)

    def chunks(self, stream: pydyf.Stream) -> bytes:
        # The stream's bytes as its writer joins them (pdf_serialise.stream_data), kept as its
        # one chunk: the join, most of this module's cost, is then not done twice, and the
        # file's bytes are the same.
        data = b"\n".join(pydyf._to_bytes(chunk) for chunk in stream.stream)
        stream.stream = [data]
        return data

    def drawing(self, stream: pydyf.Stream, resources) -> bytes:
        """A content stream and the resources it names (fonts: see _fonts_digest)."""
        content = self.chunks(stream)
        parts = [content]
        names = set(_NAME.findall(content))
        for kind in _RESOURCE_KINDS:
            table = self.resolve(resources.get(kind)) if isinstance(resources, dict) else None
            if not isinstance(table, dict):
                continue
            for name, item in table.items():
                if str(name).encode() in names:
                    parts.append(kind.encode() + b"/" + str(name).encode() + self.value(item))
        return b"\n".join(parts)
