"""The fonts a finished DOCX names -> embedded, obfuscated TrueType subsets in word/fonts/.

A brief is edited and forwarded on machines that do not have the theme's fonts; without
them Word and LibreOffice substitute a font with other metrics and the layout moves. So the
DOCX carries the fonts it uses, as Word itself saves them with "Embed fonts in the file" and
"Embed only the characters used in the document" (ECMA-376 part 1, 17.8.1 and 17.8.3.3):

- every family that a run, a style or the document defaults name in any slot (w:ascii,
  w:hAnsi, w:eastAsia, w:cs), and the families of the font table (script fallbacks), is
  looked up among the theme's font files, then among the system's fonts (fontconfig);
- each of its regular, bold, italic and bold-italic faces is subset to the characters the
  document shows (its text and the capitals of it, which small-capital and all-capital
  styles show, list markers, and the digits that fields and footnote numbers print), with
  CFF outlines (CJK fonts) converted to TrueType ones, which Word requires;
- the subset is obfuscated with a font key (a GUID): the key's 16 bytes, in the reverse order
  of its string form, are XORed over the font's first 32 bytes;
- fontTable.xml names the family as the font itself does and points at the part with
  w:embedRegular / w:embedBold / w:embedItalic / w:embedBoldItalic and w:fontKey; settings.xml
  gets w:embedTrueTypeFonts and w:saveSubsetFonts (oxml.settings).

Faces whose OS/2 embedding permissions forbid it are left out. Keys are derived from the
subset's bytes, so identical documents still give identical files.
"""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from ...theme import Theme
from .oxml import font_table_element, qn

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
# The four faces a w:font can carry, in schema order, and the weight/italic each one is.
FACES = (("embedRegular", False, False), ("embedBold", True, False), ("embedItalic", False, True))
FACES += (("embedBoldItalic", True, True),)
# Characters a document shows without holding them as text: field results (PAGE, NUMPAGES,
# TOC page numbers), footnote numbers, TOC dot leaders and hyphens Word adds when it hyphenates.
FIELD_CHARACTERS = "0123456789 .-\u2011"
_RFONT_SLOTS = tuple(qn(f"w:{slot}") for slot in ("ascii", "hAnsi", "eastAsia", "cs"))
# OS/2 fsType: bit 1 restricted, bit 2 preview & print, bit 3 editable, 8 no subsetting, 9 bitmap only.
_FS_RESTRICTED, _FS_PREVIEW, _FS_NO_SUBSET, _FS_BITMAP_ONLY = 0x0002, 0x0004, 0x0100, 0x0200


@dataclass(frozen=True)
class FontSource:
    """One face of a family on disk (`index`: the face inside a .ttc collection)."""

    path: Path
    index: int = 0


@dataclass(frozen=True)
class EmbeddedFace:
    """One face as it goes into the package: the obfuscated bytes and their key."""

    family: str
    face: str
    key: str
    data: bytes
    subsetted: bool
    characters: str  # the characters of the text it holds


def named_families(parts: Iterable[etree._Element]) -> list[str]:
    """Every family a w:rFonts in these parts names, in any slot, in order of appearance."""
    families: dict[str, None] = {}
    for element in parts:
        for rfonts in element.iter(qn("w:rFonts")):
            for slot in _RFONT_SLOTS:
                family = rfonts.get(slot)
                if family:
                    families.setdefault(family)
    return list(families)


def named_outside_style(parts: Iterable[etree._Element], family: str, style_name: str) -> bool:
    """Whether a w:rFonts names `family` anywhere but in the style called `style_name`."""
    style_tag, name_tag, val = qn("w:style"), qn("w:name"), qn("w:val")
    for element in parts:
        for rfonts in element.iter(qn("w:rFonts")):
            if family not in (rfonts.get(slot) for slot in _RFONT_SLOTS):
                continue
            style = next(rfonts.iterancestors(style_tag), None)
            name = style.find(name_tag) if style is not None else None
            if name is None or (name.get(val) or "").lower() != style_name.lower():
                return True
    return False


def document_characters(parts: Iterable[etree._Element]) -> str:
    """The characters the document shows: its text and its capitals, list markers and the
    digits of fields."""
    chars: set[str] = set(FIELD_CHARACTERS)
    t, lvl_text, val = qn("w:t"), qn("w:lvlText"), qn("w:val")
    for element in parts:
        for node in element.iter(t, lvl_text):
            if node.tag == t:
                chars.update(node.text or "")
            else:
                # "%1." shows the level's number and a full stop; the digits are already in.
                chars.update(re.sub(r"%\d", "", node.get(val) or ""))
    # Styles with w:caps or w:smallCaps (Field Label) show the capitals of what they hold.
    chars.update("".join(chars).upper())
    chars.discard("\n")
    return "".join(sorted(chars))


def embed(
    font_table_part: Part,
    families: Iterable[str],
    text: str,
    theme: Theme,
    named: Iterable[str] = (),
    only: Mapping[str, str] | None = None,
) -> list[str]:
    """Write fontTable.xml for `families` with the faces that hold any of `text` embedded.

    Families in `named` (those runs and styles name) are embedded when they hold any of the
    text; the others (the theme's fallbacks) only for characters the named ones lack, as
    they only ever show those. A family in `only` shows just the text given there (the
    monospace: what <code> holds), and is subset to that. Returns the families embedded. A
    family with no font file here (a system font this machine lacks, such as one a
    reference DOCX names) is only named.
    """
    only = only or {}
    families = list(dict.fromkeys(families))
    named = set(named)
    table = font_table_element(families)
    package = font_table_part.package
    chosen: dict[str, list[EmbeddedFace]] = {}
    covered: set[str] = set()
    for family in sorted(families, key=lambda f: f not in named):  # named families first
        shown = only.get(family, text)
        wanted = shown if family in named else "".join(c for c in shown if c not in covered)
        faces = [face for face in embedded_faces(family, wanted, theme) if face is not None]
        if faces:
            chosen[family] = faces
            if family not in only:  # it shows its own text alone, not the others'
                covered.update(faces[0].characters)
    number = 0
    for font in table.iterchildren(qn("w:font")):
        for face in chosen.get(font.get(qn("w:name")), ()):
            number += 1
            part = Part(PackURI(f"/word/fonts/font{number}.odttf"), OBFUSCATED_FONT, face.data, package)
            rid = font_table_part.relate_to(part, RT.FONT)
            rel = etree.SubElement(font, qn(f"w:{face.face}"))
            rel.set(qn("r:id"), rid)
            rel.set(qn("w:fontKey"), face.key)
            if face.subsetted:
                rel.set(qn("w:subsetted"), "1")
    font_table_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    return [family for family in families if family in chosen]


def embedded_faces(family: str, text: str, theme: Theme) -> list[EmbeddedFace | None]:
    """The faces of `family` to embed for `text`, in schema order (None: not available)."""
    sources = font_sources(family, theme)
    return [_embedded_face(family, face, sources.get(face), text) for face, _, _ in FACES]


@lru_cache(maxsize=32)
def _embedded_face(family: str, face: str, source: FontSource | None, text: str) -> EmbeddedFace | None:
    # Cached per worker: personalised copies of one brief share their characters.
    if source is None:
        return None
    built = truetype_subset(source, text, family)
    if built is None:
        return None
    data, subsetted, characters = built
    key = font_key(data, family, face)
    return EmbeddedFace(family, face, key, obfuscate(data, key), subsetted, characters)


def font_key(data: bytes, family: str, face: str) -> str:
    """A GUID in Word's string form, derived from the font (reproducible builds)."""
    digest = hashlib.sha256(b"\0".join((family.encode(), face.encode(), data))).digest()
    return "{" + str(uuid.UUID(bytes=digest[:16])).upper() + "}"


def _key_bytes(key: str) -> bytes:
    """The 16 key bytes: the GUID's hex digits as written, in reverse order (17.8.1)."""
    return bytes.fromhex(re.sub(r"[{}-]", "", key))[::-1]


def obfuscate(data: bytes, key: str) -> bytes:
    """XOR the font's first 32 bytes with the key (twice over); its own inverse."""
    key_bytes = _key_bytes(key)
    head = bytes(b ^ key_bytes[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


deobfuscate = obfuscate


# --- finding the fonts --------------------------------------------------------------------


def font_sources(family: str, theme: Theme) -> dict[str, FontSource]:
    """The faces of `family` found on disk: the theme's files first, then the system's."""
    found: dict[str, FontSource] = {}
    for file in theme.font_files:
        if file.family.lower() == family.lower():
            face = _face_name(file.weight >= 600, file.style in ("italic", "oblique"))
            found.setdefault(face, FontSource(file.path))
    if not found:
        # The script chain's own files (fonts.py), as the PDF uses them; collections (CJK)
        # are found through fontconfig below.
        from ...fonts import chain

        for script in chain(theme).scripts:
            for font in script.fonts:
                if font.family.lower() == family.lower() and font.face is None and font.path.is_file():
                    face = _face_name(font.weight >= 600, font.style in ("italic", "oblique"))
                    found.setdefault(face, FontSource(font.path))
    if not found:
        found = dict(_system_sources(family))
    return found


def _face_name(bold: bool, italic: bool) -> str:
    return next(name for name, b, i in FACES if b == bold and i == italic)


@cache
def _system_sources(family: str) -> tuple[tuple[str, FontSource], ...]:
    """Faces of `family` fontconfig knows (a script font the theme does not ship)."""
    pattern = ":family=" + re.sub(r"([\\:,=-])", r"\\\1", family)
    try:
        listed = subprocess.run(
            ["fc-list", "--format", "%{file}\t%{index}\t%{weight}\t%{slant}\n", pattern],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    best: dict[str, tuple[int, FontSource]] = {}
    for line in sorted(listed.splitlines()):
        fields = line.split("\t")
        if len(fields) != 4 or not fields[2].isdigit() or not fields[3].isdigit():
            continue
        file, index, weight, slant = fields[0], int(fields[1] or 0), int(fields[2]), int(fields[3])
        bold, italic = weight >= 150, slant > 0  # fontconfig: 80 regular, 200 bold; 100 italic
        distance = abs(weight - (200 if bold else 80))
        face = _face_name(bold, italic)
        if face not in best or distance < best[face][0]:
            best[face] = (distance, FontSource(Path(file), index))
    return tuple((face, source) for face, (_, source) in sorted(best.items()))


# --- subsetting ---------------------------------------------------------------------------


@lru_cache(maxsize=32)
def truetype_subset(source: FontSource, text: str, family: str) -> tuple[bytes, bool, str] | None:
    """The face subset to the characters of `text` it holds, with TrueType outlines, whether
    it was subset, and those characters. None when it holds none but spaces, digits and
    punctuation (every font does) or may not be embedded."""
    try:
        data = _harfbuzz_subset(source, text)
    except Exception:  # an unreadable file: WeasyPrint reports the theme's fonts for the PDF
        return None
    try:
        fs_type, held, outlines_cff, families = _subset_facts(data)
    except Exception:  # a binding without these readers (uharfbuzz before 0.4x): fontTools reads them
        return _converted(source, data, family)
    if fs_type & (_FS_RESTRICTED | _FS_PREVIEW | _FS_BITMAP_ONLY) or not any(c.isalpha() for c in held):
        return None
    if not fs_type & _FS_NO_SUBSET and not outlines_cff and family in families:
        # HarfBuzz's subset as it is: TrueType outlines, named as Word will look for it, and
        # its checksums set; reading it again with fontTools only to write it back unchanged
        # cost more than the subsetting (and fontTools' import) on a long brief.
        return data, True, held
    return _converted(source, data, family)


def _subset_facts(data: bytes) -> tuple[int, str, bool, set[str]]:
    """(OS/2 fsType, the characters it maps, whether its outlines are CFF, its family names
    (ids 1 and 16, every language)) of a font's bytes, read by HarfBuzz."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob(data))
    tags = set(face.table_tags)
    os2 = face.reference_table("OS/2").data if "OS/2" in tags else b""
    fs_type = int.from_bytes(os2[8:10], "big") if len(os2) >= 10 else 0
    held = "".join(sorted(map(chr, face.unicodes)))
    families = {
        name
        for entry in face.list_names()
        if int(entry.name_id) in (1, 16)
        for name in [face.get_name(entry.name_id, entry.language)]
        if name
    }
    return fs_type, held, bool(tags & {"CFF ", "CFF2"}), families


def _converted(source: FontSource, data: bytes, family: str) -> tuple[bytes, bool, str] | None:
    """The subset (or, when the font forbids subsetting, the whole face) through fontTools:
    CFF outlines converted to TrueType ones, the family renamed to `family`."""
    from fontTools.ttLib import TTFont

    try:
        # recalcTimestamp off: fontTools would stamp head.modified with the time of the build
        # (and fail on an empty SOURCE_DATE_EPOCH); the source font's date keeps builds identical.
        font = TTFont(io.BytesIO(data), recalcTimestamp=False)
        fs_type = font["OS/2"].fsType if "OS/2" in font else 0
        held = "".join(sorted(map(chr, font.getBestCmap() or {})))
        subsetted = not fs_type & _FS_NO_SUBSET
        if not subsetted:
            font = TTFont(str(source.path), fontNumber=source.index, recalcTimestamp=False)
    except Exception:  # an unreadable file: WeasyPrint reports the theme's fonts for the PDF
        return None
    if fs_type & (_FS_RESTRICTED | _FS_PREVIEW | _FS_BITMAP_ONLY) or not any(c.isalpha() for c in held):
        return None
    if "CFF " in font or "CFF2" in font:
        cff_to_truetype(font)
    _name_family(font, family)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), subsetted, held


def _harfbuzz_subset(source: FontSource, text: str) -> bytes:
    """HarfBuzz's subsetter: a hundred times faster than fontTools' on Noto, and a brief's
    DOCX embeds up to seven faces. Every layout feature is kept (shaping Arabic, Indic or
    CJK text needs more than the default ones), and the name table's first 26 ids (the
    family names Word and LibreOffice match, the copyright and the licence)."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(source.path)), source.index)
    request = hb.SubsetInput()
    request.unicode_set.update(ord(c) for c in text)
    request.layout_feature_tag_set.clear()
    request.layout_feature_tag_set.invert()
    request.name_id_set.update(range(26))
    request.flags = hb.SubsetFlags.NOTDEF_OUTLINE | hb.SubsetFlags.DESUBROUTINIZE
    subset = hb.subset(face, request)
    if subset is None:
        raise ValueError(f"HarfBuzz cannot subset {source.path}")
    return subset.blob.data


def _name_family(font, family: str) -> None:
    """Make the font call itself `family` (w:name must equal the font's family name)."""
    name = font["name"]
    families = {str(record) for record in name.names if record.nameID in (1, 16)}
    if family in families:
        return
    name.setName(family, 1, 3, 1, 0x409)
    name.setName(family, 1, 1, 0, 0)
    name.removeNames(nameID=16)


def cff_to_truetype(font, max_err: float = 1.0) -> None:
    """Replace CFF (cubic) outlines with glyf (quadratic) ones: Word embeds only TrueType.

    As fontTools' otf2ttf snippet: cu2qu converts each outline within `max_err` font units.
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[name] = pen.glyph()
    for tag in ("CFF ", "CFF2", "VORG"):
        if tag in font:
            del font[tag]
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxPoints",
        "maxContours",
        "maxCompositePoints",
        "maxCompositeContours",
        "maxComponentDepth",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    maxp.numGlyphs = len(order)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\0\1\0\0"
