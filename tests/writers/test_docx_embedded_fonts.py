"""The DOCX carries its fonts: read them back as Word and LibreOffice do.

The fonts are de-obfuscated here with the key as ECMA-376 (17.8.1) describes it, written
independently of briefgen's code: the GUID's hex digits as 16 bytes, in reverse order,
XORed over the first 32 bytes. Each must then be a valid TrueType font (glyf outlines),
call itself by the name fontTable.xml gives it, and hold every character of the document.
"""

from __future__ import annotations

import io
import posixpath
import re
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from conftest import read_fixture
from fontTools.ttLib import TTFont
from lxml import etree

from briefgen.document import RenderedDocument
from briefgen.fonts import chain
from briefgen.theme import BUILTIN_THEMES, ThemeError, load_theme
from briefgen.writers.docx import embedded_fonts
from briefgen.writers.docx import write as write_docx

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
OBFUSCATED = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
FACES = ("embedRegular", "embedBold", "embedItalic", "embedBoldItalic")
CJK = "中华人民共和国宪法第三十五条"
ARABIC = "حرية التعبير"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def write(tmp_path: Path, html: str, theme=None, name: str = "out.docx") -> Path:
    document = RenderedDocument(
        html=html,
        theme=theme or load_theme(BUILTIN_THEMES / "default"),
        read_resource=read_fixture,
        base_url=FIXTURES.as_uri() + "/",
        template="policy-brief.html.j2",
        language="en",
        timestamp=datetime(2016, 1, 19, tzinfo=UTC),
    )
    return write_docx(document, tmp_path / name).path


def key_bytes(font_key: str) -> bytes:
    """17.8.1: the GUID string's hex digit pairs, last pair first."""
    digits = font_key.strip("{}").replace("-", "")
    assert re.fullmatch(r"[0-9A-F]{32}", digits), font_key
    return bytes(int(digits[i : i + 2], 16) for i in range(30, -1, -2))


def deobfuscate(data: bytes, font_key: str) -> bytes:
    key = key_bytes(font_key)
    return bytes(data[i] ^ key[i % 16] for i in range(32)) + data[32:]


class Package:
    """The parts of a .docx and its embedded fonts, read with zipfile and lxml only."""

    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as z:
            self.parts = {name: z.read(name) for name in z.namelist()}

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.parts[name])

    def xml_parts(self) -> list[etree._Element]:
        return [self.xml(n) for n in self.parts if n.startswith("word/") and n.endswith(".xml")]

    def text(self) -> str:
        return "".join(t.text or "" for part in self.xml_parts() for t in part.iter(w("t")))

    def named_families(self) -> set[str]:
        return {
            rfonts.get(w(slot))
            for part in self.xml_parts()
            for rfonts in part.iter(w("rFonts"))
            for slot in SLOTS
            if rfonts.get(w(slot))
        }

    def content_type(self, name: str) -> str | None:
        types = self.xml("[Content_Types].xml")
        for override in types.iter(f"{{{CT}}}Override"):
            if override.get("PartName") == "/" + name:
                return override.get("ContentType")
        ext = name.rsplit(".", 1)[-1]
        for default in types.iter(f"{{{CT}}}Default"):
            if default.get("Extension") == ext:
                return default.get("ContentType")
        return None

    def fonts(self) -> dict[tuple[str, str], tuple[TTFont, etree._Element]]:
        """(family, face) -> the de-obfuscated font and its w:embed* element."""
        rels = {
            rel.get("Id"): rel
            for rel in self.xml("word/_rels/fontTable.xml.rels").iter(f"{{{PKG}}}Relationship")
        }
        found = {}
        for font in self.xml("word/fontTable.xml").iter(w("font")):
            for face in FACES:
                embed = font.find(w(face))
                if embed is None:
                    continue
                rel = rels[embed.get(f"{{{R}}}id")]
                assert rel.get("Type") == FONT_REL
                name = posixpath.normpath(posixpath.join("word", rel.get("Target")))
                assert self.content_type(name) == OBFUSCATED
                data = deobfuscate(self.parts[name], embed.get(w("fontKey")))
                found[font.get(w("name")), face] = (TTFont(io.BytesIO(data)), embed)
        return found


def family_names(font: TTFont) -> set[str]:
    return {str(record) for record in font["name"].names if record.nameID in (1, 16)}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Package:
    """The vocabulary sample: Latin with Azerbaijani letters, Cyrillic, Georgian, pictures."""
    html = (FIXTURES / "vocabulary-sample.html").read_text(encoding="utf-8")
    return Package(write(tmp_path_factory.mktemp("fonts"), html))


def test_every_named_family_with_a_font_file_is_embedded(sample):
    fonts = sample.fonts()
    embedded = {family for family, _ in fonts}
    theme = load_theme(BUILTIN_THEMES / "default")
    assert {"Noto Serif", "Noto Sans"} <= sample.named_families()
    for family in sample.named_families():
        if any(f.family == family for f in theme.font_files):
            assert family in embedded
    # Every face the theme ships for its main families: Word shows bold and italic runs
    # with their own faces, not synthesised ones.
    assert {face for family, face in fonts if family == "Noto Serif"} == set(FACES)
    assert {face for family, face in fonts if family == "Noto Sans"} == set(FACES)
    # Georgian names are in the text; the theme's Georgian fallback travels with them.
    assert ("Noto Serif Georgian", "embedRegular") in fonts


def test_embedded_fonts_are_valid_truetype_subsets_named_as_the_table_says(sample):
    theme = load_theme(BUILTIN_THEMES / "default")
    for (family, face), (font, embed) in sample.fonts().items():
        assert font.sfntVersion == "\0\1\0\0", (family, face)
        assert "glyf" in font and "CFF " not in font
        assert family in family_names(font), (family, family_names(font))
        assert embed.get(w("subsetted")) == "1"
        # The theme's own files: its main fonts, or its script chain's (fonts.py).
        files = [*theme.font_files, *(f for script in chain(theme).scripts for f in script.fonts)]
        source = next(
            f.path
            for f in files
            if f.family == family
            and (f.weight >= 600) == ("Bold" in face)
            and ("Italic" in face) == (f.style == "italic")
        )
        assert font["maxp"].numGlyphs < TTFont(str(source), lazy=True)["maxp"].numGlyphs / 4
        # The source's date, not the build's: builds stay byte-identical.
        assert font["head"].modified == TTFont(str(source), lazy=True)["head"].modified
        assert font["OS/2"].fsType & 0x0002 == 0  # not restricted
        # Round trip through fontTools: every table compiles again.
        font.save(io.BytesIO())


def test_embedded_fonts_hold_every_character_of_the_document(sample):
    # And its capitals: Field Label (<dt>) is set in capitals (w:caps), as the PDF's CSS says.
    assert any(el.find(w("caps")) is not None for el in sample.xml("word/styles.xml").iter(w("rPr")))
    text = sample.text()
    text += text.upper()
    fonts = sample.fonts()
    held = set().union(*(set(map(chr, font.getBestCmap())) for font, _ in fonts.values()))
    missing = {c for c in text if not c.isspace()} - held
    assert not missing, sorted(missing)
    # And no face of a family the runs name lost a character its source font has: the
    # subset is of the whole text. (A fallback family holds only what those lack; the
    # monospace only what <code> shows, tested below.)
    theme = load_theme(BUILTIN_THEMES / "default")
    for (family, face), (font, _) in fonts.items():
        if face != "embedRegular" or family not in sample.named_families() or family == theme.mono_font:
            continue
        files = [*theme.font_files, *(f for script in chain(theme).scripts for f in script.fonts)]
        source = next(f.path for f in files if f.family == family and f.weight == 400)
        source_cmap = TTFont(str(source), lazy=True).getBestCmap()
        wanted = {c for c in text if ord(c) in source_cmap and not c.isspace()}
        assert wanted <= set(map(chr, font.getBestCmap())), (
            family,
            sorted(wanted - set(map(chr, font.getBestCmap()))),
        )
    for name in NAMES_IN_SAMPLE:
        assert name in text


NAMES_IN_SAMPLE = ["Günel Məmmədova", "Тамара Ковальчук", "ნინო ბერიძე"]


def test_settings_ask_word_to_keep_the_fonts_right_after_zoom(sample):
    settings = [etree.QName(child).localname for child in sample.xml("word/settings.xml")]
    assert settings[:3] == ["zoom", "embedTrueTypeFonts", "saveSubsetFonts"]


def test_fonts_are_keyed_reproducibly(tmp_path):
    html = (FIXTURES / "vocabulary-sample.html").read_text(encoding="utf-8")
    first = write(tmp_path, html, name="a.docx").read_bytes()
    second = write(tmp_path, html, name="b.docx").read_bytes()
    assert first == second


def test_embedding_never_reads_the_clock(tmp_path, monkeypatch):
    """fontTools stamps a saved font with the time, or with SOURCE_DATE_EPOCH, which it
    cannot read when empty; the embedded fonts keep their own date either way."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    page = '<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><p>{}</p></body></html>'
    package = Package(write(tmp_path, page.format("Quokka zebra 4711, never written before")))
    source = TTFont(str(BUILTIN_THEMES / "default" / "fonts" / "NotoSerif-Regular.ttf"), lazy=True)
    font, _ = package.fonts()["Noto Serif", "embedRegular"]
    assert font["head"].modified == source["head"].modified


def test_a_font_is_named_as_the_theme_calls_it(tmp_path):
    """fontTable.xml's w:name is what the runs name, so the font must call itself that:
    a theme that declares Noto Serif's file as "Brand Serif" embeds a "Brand Serif"."""
    folder = tmp_path / "brand"
    (folder / "fonts").mkdir(parents=True)
    shutil.copy(BUILTIN_THEMES / "default" / "fonts" / "NotoSerif-Regular.ttf", folder / "fonts" / "b.ttf")
    (folder / "theme.yaml").write_text(
        "fonts:\n  body: Brand Serif\n  heading: Brand Serif\n  fallback: {body: [], heading: []}\n"
        "  files:\n    - {family: Brand Serif, weight: 400, style: normal, file: fonts/b.ttf}\n",
        encoding="utf-8",
    )
    page = '<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><p>Brand</p></body></html>'
    fonts = Package(write(tmp_path, page, theme=load_theme(folder))).fonts()
    assert list(fonts) == [("Brand Serif", "embedRegular")]
    font, _ = fonts["Brand Serif", "embedRegular"]
    assert family_names(font) == {"Brand Serif"}


def test_code_is_set_in_the_themes_monospace_embedded_for_what_code_shows(sample, tmp_path):
    """The Code style names the theme's `fonts.mono` (the PDF's `code` font), which travels
    with the DOCX subset to the code's characters; a DOCX without code carries none of it."""
    mono = load_theme(BUILTIN_THEMES / "default").mono_font
    assert mono == "DejaVu Sans Mono"
    code = next(
        s for s in sample.xml("word/styles.xml").iter(w("style")) if s.find(w("name")).get(w("val")) == "Code"
    )
    rfonts = code.find(f"{w('rPr')}/{w('rFonts')}")
    assert {slot: rfonts.get(w(slot)) for slot in ("ascii", "hAnsi", "cs")} == dict.fromkeys(
        ("ascii", "hAnsi", "cs"), mono
    )
    body = sample.xml("word/document.xml")
    runs = [r for r in body.iter(w("r")) if r.find(f".//{w('rStyle')}") is not None]
    code_runs = [r for r in runs if r.find(f".//{w('rStyle')}").get(w("val")) == code.get(w("styleId"))]
    assert "".join(t.text for r in code_runs for t in r.iter(w("t"))) == "NGO-2014/17"
    font, _ = sample.fonts()[mono, "embedRegular"]
    held = set(map(chr, font.getBestCmap()))
    assert set("NGO-2014/17") <= held
    assert not set("Emissionsryqxz") & held - set("NGO-2014/17"), "subset to the code's characters"
    page = '<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><p>No code</p></body></html>'
    plain = Package(write(tmp_path, page))
    assert mono not in {family for family, _ in plain.fonts()}
    assert mono not in {f.get(w("name")) for f in plain.xml("word/fontTable.xml")}


def test_the_monospace_a_theme_class_is_set_in_is_embedded_for_the_whole_text(tmp_path):
    folder = tmp_path / "listing"
    folder.mkdir()
    (folder / "theme.yaml").write_text("styles:\n  listing: {font: DejaVu Sans Mono}\n", encoding="utf-8")
    page = (
        '<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>'
        '<p class="listing">Listing XYZ</p><p>With <code>QZ</code></p></body></html>'
    )
    fonts = Package(write(tmp_path, page, theme=load_theme(folder))).fonts()
    font, _ = fonts["DejaVu Sans Mono", "embedRegular"]
    assert set("ListingXYZWthQ") <= set(map(chr, font.getBestCmap()))


def test_a_theme_can_turn_embedding_off(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "theme.yaml").write_text("fonts:\n  embed: false\n", encoding="utf-8")
    theme = load_theme(folder)
    assert theme.embed_fonts is False
    html = (FIXTURES / "vocabulary-sample.html").read_text(encoding="utf-8")
    package = Package(write(tmp_path, html, theme=theme))
    assert not [n for n in package.parts if n.startswith("word/fonts/")]
    assert package.xml("word/fontTable.xml").find(f".//{w('embedRegular')}") is None
    settings = {etree.QName(child).localname for child in package.xml("word/settings.xml")}
    assert not settings & {"embedTrueTypeFonts", "saveSubsetFonts"}
    assert {f.get(w("name")) for f in package.xml("word/fontTable.xml")} >= {"Noto Serif", "Noto Sans"}


def test_the_embed_token_must_be_true_or_false(tmp_path):
    folder = tmp_path / "wrong"
    folder.mkdir()
    (folder / "theme.yaml").write_text("fonts:\n  embed: 'yes'\n", encoding="utf-8")
    with pytest.raises(ThemeError, match=r"theme\.yaml:2:10: fonts\.embed 'yes': must be true or false"):
        load_theme(folder)


def test_script_fonts_in_the_east_asian_and_complex_slots_are_embedded(tmp_path):
    """Runs name script fonts in w:eastAsia and w:cs (CJK, Arabic); those are embedded too,
    found among the system's fonts, CJK's CFF outlines converted to TrueType."""
    document = docx.Document()
    for text, slot, family in ((CJK, "eastAsia", "Noto Sans CJK SC"), (ARABIC, "cs", "Noto Naskh Arabic")):
        run = document.add_paragraph().add_run(text)
        rfonts = etree.SubElement(run._r.get_or_add_rPr(), w("rFonts"))
        rfonts.set(w(slot), family)
    parts = [document.element]
    named = embedded_fonts.named_families(parts)
    assert named == ["Noto Sans CJK SC", "Noto Naskh Arabic"]
    table = document.part.part_related_by(FONT_TABLE_REL)
    theme = load_theme(BUILTIN_THEMES / "default")
    text = embedded_fonts.document_characters(parts)
    embedded = embedded_fonts.embed(table, ["Noto Serif", *named], text, theme, named=named)
    assert embedded == ["Noto Sans CJK SC", "Noto Naskh Arabic"]  # no Latin text: no Noto Serif
    target = tmp_path / "scripts.docx"
    document.save(str(target))
    fonts = Package(target).fonts()
    cjk, _ = fonts["Noto Sans CJK SC", "embedRegular"]
    assert "glyf" in cjk and "CFF " not in cjk and cjk.sfntVersion == "\0\1\0\0"
    assert set(CJK) <= set(map(chr, cjk.getBestCmap()))
    arabic, _ = fonts["Noto Naskh Arabic", "embedRegular"]
    assert set(ARABIC.replace(" ", "")) <= set(map(chr, arabic.getBestCmap()))
    assert "GSUB" in arabic  # the joining forms Arabic needs
    assert "Noto Sans CJK SC" in family_names(cjk)


FONT_TABLE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"


def test_the_key_is_the_guid_reversed():
    data = bytes(range(64))
    key = "{00112233-4455-6677-8899-AABBCCDDEEFF}"
    hidden = embedded_fonts.obfuscate(data, key)
    assert hidden[:16] == bytes(
        a ^ b for a, b in zip(data[:16], bytes.fromhex("FFEEDDCCBBAA99887766554433221100"), strict=True)
    )
    assert hidden[32:] == data[32:]
    assert deobfuscate(hidden, key) == data
