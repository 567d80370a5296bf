"""The DOCX writer, checked from the XML it writes (real python-docx, real LibreOffice).

The fixture tests/fixtures/vocabulary-sample.html uses every element and class of
docs/html-vocabulary.md; most tests build it once and read the package parts.
"""

from __future__ import annotations

import io
import re
import subprocess
import time
import unicodedata
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from conftest import read_fixture
from lxml import etree

from briefgen.document import RenderedDocument, ResourceError
from briefgen.theme import BUILTIN_THEMES, load_theme
from briefgen.writers.docx import write

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAMPLE = FIXTURES / "vocabulary-sample.html"
TEMPLATE = "policy-brief.html.j2"
TIMESTAMP = datetime(2016, 1, 19, 9, 30, tzinfo=UTC)
NAMES = ["Günel Məmmədova", "Rəşad Əliyev", "Тамара Ковальчук", "ნინო ბერიძე", "Ørjan Ødegård"]
FOOTNOTE_1 = "Human Rights Council, Report of the Special Rapporteur, A/HRC/31/55, 2016."
FOOTNOTE_2 = "Ministry of Justice registry, accessed via the public portal."

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {
    "w": W,
    "r": R,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
EMU_PER_MM = 36000

# The named styles a paragraph may carry (compared case-insensitively: Word's built-ins
# are stored under its internal names, "heading 1", "footnote text", "toc 1" ...).
PARAGRAPH_STYLES = {
    # A recipient's letter (Word's own letter styles where it has them)
    "Letterhead Logo",
    "Letterhead",
    "Date",
    "Inside Address",
    "Salutation",
    "Letter Text",
    "Closing",
    "Signature",
    "Signature Role",
    "Title",
    "Subtitle",
    "Cover Text",
    "Cover Logo",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Heading 4",
    "Body Text",
    "Small Text",
    "Heading Note",  # Small Text right under a heading: kept with what follows
    "Status",
    "Marking",  # the protective marking: on the cover, and in headers and footers
    "Running Marking",
    "List Bullet",
    "List Bullet 2",
    "List Bullet 3",
    "List Number",
    "List Number 2",
    "List Number 3",
    "List Continue",
    "List Continue 2",
    "List Continue 3",
    "Quote",
    "Caption",
    "Figure",
    "Card Photo",
    "Footnote Text",
    "Field Label",
    "Field Value",
    "TOC Heading",
    "TOC 1",
    "TOC 2",
    "TOC 3",
    "Table Text",
    "Table Heading",
    "Spacer",
    "Header",
    "Footer",
}


# Word stores its built-in styles under internal lower-case names.
UI_NAMES = {
    "caption": "Caption",
    "header": "Header",
    "footer": "Footer",
    "footnote text": "Footnote Text",
    "footnote reference": "Footnote Reference",
    **{f"heading {n}": f"Heading {n}" for n in range(1, 10)},
    **{f"toc {n}": f"TOC {n}" for n in range(1, 10)},
}


def rendered(html: str, *, language: str = "en", theme=None, reader=read_fixture) -> RenderedDocument:
    return RenderedDocument(
        html=html,
        theme=theme or load_theme(BUILTIN_THEMES / "default"),
        read_resource=reader,
        base_url=FIXTURES.as_uri() + "/",
        template=TEMPLATE,
        language=language,
        timestamp=TIMESTAMP,
    )


def page(body: str, lang: str = "en") -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head><title>T</title></head><body>{body}</body></html>'


class Docx:
    """A written .docx opened as parts (parsed XML) and as a python-docx Document."""

    def __init__(self, path: Path):
        self.path = path
        self.data = path.read_bytes()
        self.zip = zipfile.ZipFile(io.BytesIO(self.data))
        self.names = self.zip.namelist()
        self.document = docx.Document(str(path))
        styles = self.xml("word/styles.xml")
        self.style_names = {
            s.get(f"{{{W}}}styleId"): s.find("w:name", NS).get(f"{{{W}}}val")
            for s in styles.findall("w:style", NS)
        }

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    def rels(self, name: str) -> list[etree._Element]:
        return self.xml(name).findall("rel:Relationship", NS)

    def story_parts(self) -> list[str]:
        return [
            n for n in self.names if re.fullmatch(r"word/(document|header\d+|footer\d+|footnotes)\.xml", n)
        ]

    def style_of(self, p: etree._Element) -> str | None:
        """The paragraph's style as Word shows it ("Heading 1", not the internal "heading 1")."""
        el = p.find("w:pPr/w:pStyle", NS)
        name = None if el is None else self.style_names.get(el.get(f"{{{W}}}val"))
        return UI_NAMES.get(name, name)

    def body_paragraphs(self, style: str) -> list[etree._Element]:
        body = self.xml("word/document.xml")
        return [p for p in body.iter(f"{{{W}}}p") if (self.style_of(p) or "").lower() == style.lower()]


def text_of(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(f"{{{W}}}t"))


def attr(el: etree._Element, name: str) -> str | None:
    prefix, local = name.split(":")
    return el.get(f"{{{NS[prefix]}}}{local}")


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Docx, RenderedDocument]:
    document = rendered(SAMPLE.read_text(encoding="utf-8"))
    target = tmp_path_factory.mktemp("docx") / "sample.docx"
    written = write(document, target)
    assert written.path == target and written.format == "docx" and written.pages is None
    return Docx(target), document


@pytest.fixture(scope="module")
def out(sample) -> Docx:
    return sample[0]


def build(tmp_path: Path, html: str, **kwargs) -> tuple[Docx, RenderedDocument]:
    document = rendered(html, **kwargs)
    target = tmp_path / "t.docx"
    write(document, target)
    return Docx(target), document


# --- styles -------------------------------------------------------------------------------


def test_fixture_is_inside_the_vocabulary(sample):
    assert sample[1].warnings == []


def test_every_paragraph_has_a_named_style(out):
    allowed = {s.lower() for s in PARAGRAPH_STYLES}
    seen = set()
    for part in out.story_parts():
        root = out.xml(part)
        for p in root.iter(f"{{{W}}}p"):
            note = p.getparent()
            if note.tag == f"{{{W}}}footnote" and note.get(f"{{{W}}}type"):
                continue  # separator / continuation separator
            name = out.style_of(p)
            assert name is not None, f"{part}: paragraph without style: {text_of(p)!r}"
            assert name.lower() in allowed, f"{part}: unexpected style {name!r}"
            seen.add(name.lower())
    expected = {
        "title",
        "subtitle",
        "cover text",
        "cover logo",
        "heading 1",
        "heading 2",
        "heading 3",
        "heading 4",
        "body text",
        "small text",
        "status",
        "list bullet",
        "list bullet 2",
        "list bullet 3",
        "list number",
        "list number 2",
        "list continue",
        "quote",
        "caption",
        "figure",
        "footnote text",
        "field label",
        "field value",
        "toc heading",
        "toc 1",
        "toc 2",
        "toc 3",
        "table text",
        "table heading",
        "header",
        "footer",
    }
    assert expected <= seen


def test_styles_come_from_the_theme(out):
    theme = load_theme(BUILTIN_THEMES / "default")
    styles = out.document.styles
    h1 = styles["Heading 1"]
    assert h1.font.name == theme.heading_font
    assert h1.font.size.pt == theme.sizes["h1"]
    assert str(h1.font.color.rgb) == theme.color("brand")
    assert styles["Title"].font.size.pt == theme.sizes["title"]
    assert styles["Small Text"].font.size.pt == theme.sizes["small"]
    assert str(styles["Small Text"].font.color.rgb) == theme.color("muted")
    assert styles["footnote text"].font.size.pt == theme.sizes["footnote"]
    defaults = out.xml("word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert attr(defaults.find("w:rFonts", NS), "w:ascii") == theme.body_font
    assert attr(defaults.find("w:sz", NS), "w:val") == str(round(theme.sizes["body"] * 2))
    table = out.xml("word/styles.xml").find("w:style[@w:styleId='BriefgenTable']", NS)
    assert attr(table.find("w:tblPr/w:tblBorders/w:insideH", NS), "w:color") == theme.color("rule")
    callout = out.xml("word/styles.xml").find("w:style[@w:styleId='CalloutBox']", NS)
    assert attr(callout.find("w:tcPr/w:shd", NS), "w:fill") == theme.color("box")


def test_no_direct_run_formatting(out):
    forbidden = {"rFonts", "sz", "szCs", "color", "b", "bCs", "i", "iCs", "u", "highlight", "shd", "caps"}
    for part in out.story_parts():
        for rpr in out.xml(part).iter(f"{{{W}}}rPr"):
            if rpr.getparent().tag != f"{{{W}}}r":
                continue
            children = {etree.QName(c).localname for c in rpr}
            fonts = rpr.find(f"{{{W}}}rFonts")
            if fonts is not None:
                # Text in a script of the theme's chain repeats its script style's fonts (and
                # direction), which LibreOffice needs in table cells; nothing else is direct.
                style = rpr.find(f"{{{W}}}rStyle").get(f"{{{W}}}val")
                assert style.endswith("Text"), f"{part}: rFonts on a run in {style}"
                slots = {etree.QName(a).localname for a in fonts.attrib}
                assert slots <= {"ascii", "hAnsi", "eastAsia", "cs", "hint"}, f"{part}: {slots}"
                children -= {"rFonts", "rtl", "cs"}
            assert not children & forbidden, f"{part}: direct formatting {children & forbidden}"
            assert children <= {"rStyle", "vertAlign"}, f"{part}: {children}"


def test_inline_elements_use_character_styles(out):
    body = out.xml("word/document.xml")

    def run_style(text: str) -> str | None:
        for r in body.iter(f"{{{W}}}r"):
            if text_of(r) == text:
                el = r.find("w:rPr/w:rStyle", NS)
                return None if el is None else out.style_names[attr(el, "w:val")]
        raise AssertionError(f"no run {text!r}")

    assert run_style("criminal") == "Emphasis"
    assert run_style("administrative") == "Strong"
    assert run_style("80 people") == "Strong"
    assert run_style("NGO-2014/17") == "Code"
    assert run_style("independent monitors") == "Hyperlink"
    vert = {
        text_of(r): attr(r.find("w:rPr/w:vertAlign", NS), "w:val")
        for r in body.iter(f"{{{W}}}r")
        if r.find("w:rPr/w:vertAlign", NS) is not None
    }
    assert vert == {"2": "subscript", "rd": "superscript"}
    breaks = [br for br in body.iter(f"{{{W}}}br") if br.get(f"{{{W}}}type") is None]
    assert len(breaks) == 1


def test_nested_inline_roles_get_a_composite_style(tmp_path):
    out, _ = build(
        tmp_path, page("<p><strong>bold <em>both</em></strong> <a href='https://e.org'><em>x</em></a></p>")
    )
    body = out.xml("word/document.xml")
    styles = {
        text_of(r): out.style_names[attr(r.find("w:rPr/w:rStyle", NS), "w:val")]
        for r in body.iter(f"{{{W}}}r")
        if r.find("w:rPr/w:rStyle", NS) is not None
    }
    assert styles == {"bold ": "Strong", "both": "Strong Emphasis", "x": "Hyperlink Emphasis"}
    both = out.document.styles["Strong Emphasis"]
    assert both.font.bold and both.font.italic


def test_whitespace_collapses_like_html(tmp_path):
    out, _ = build(tmp_path, page("<p>\n  One   <em> two </em>\n three&nbsp; four <br> five  </p>"))
    (p,) = out.body_paragraphs("Body Text")
    assert text_of(p) == "One two three\u00a0 four" + "five"
    # As in a browser, the space inside </em> is kept there and the next one collapses into it.
    assert [text_of(r) for r in p.iter(f"{{{W}}}r")] == ["One ", "two ", "three\u00a0 four", "", "five"]


# --- language -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "word"),
    [("en", "en-GB"), ("ru", "ru-RU"), ("az", "az-Latn-AZ"), ("fr", "fr-FR"), ("pt-br", "pt-BR")],
)
def test_language_is_set_for_the_spell_checker(tmp_path, language, word):
    out, _ = build(tmp_path, page("<p>x</p>", language), language=language)
    lang = out.xml("word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert (attr(lang, "w:val"), attr(lang, "w:eastAsia"), attr(lang, "w:bidi")) == (word, word, word)
    assert attr(out.xml("word/settings.xml").find("w:themeFontLang", NS), "w:val") == word
    assert out.document.core_properties.language == language


# --- footnotes ------------------------------------------------------------------------------


def test_footnotes_are_real_word_footnotes(out):
    notes = out.xml("word/footnotes.xml")
    kinds = [(attr(n, "w:id"), attr(n, "w:type")) for n in notes.findall("w:footnote", NS)]
    assert kinds == [("-1", "separator"), ("0", "continuationSeparator"), ("1", None), ("2", None)]
    texts = [text_of(n).strip() for n in notes.findall("w:footnote", NS)[2:]]
    assert texts == [FOOTNOTE_1, FOOTNOTE_2]
    for note in notes.findall("w:footnote", NS)[2:]:
        (p,) = note.findall("w:p", NS)
        assert out.style_of(p) == "Footnote Text"
        first = p.find("w:r", NS)
        assert first.find("w:footnoteRef", NS) is not None
        assert (
            out.style_names[attr(first.find("w:rPr/w:rStyle", NS), "w:val")].lower() == "footnote reference"
        )
    body = out.xml("word/document.xml")
    refs = list(body.iter(f"{{{W}}}footnoteReference"))
    assert [attr(r, "w:id") for r in refs] == ["1", "2"]  # reading order
    for ref in refs:
        style = ref.getparent().find("w:rPr/w:rStyle", NS)
        assert out.style_names[attr(style, "w:val")].lower() == "footnote reference"
    rels = out.rels("word/_rels/document.xml.rels")
    assert [r.get("Target") for r in rels if r.get("Type").endswith("/footnotes")] == ["footnotes.xml"]
    types = out.xml("[Content_Types].xml")
    override = types.find("ct:Override[@PartName='/word/footnotes.xml']", NS)
    assert override.get("ContentType").endswith("wordprocessingml.footnotes+xml")
    settings = out.xml("word/settings.xml")
    assert [attr(f, "w:id") for f in settings.findall("w:footnotePr/w:footnote", NS)] == ["-1", "0"]


def test_a_link_inside_a_footnote_is_related_from_the_footnotes_part(out):
    notes = out.xml("word/footnotes.xml")
    (link,) = notes.iter(f"{{{W}}}hyperlink")
    rels = {r.get("Id"): r for r in out.rels("word/_rels/footnotes.xml.rels")}
    rel = rels[attr(link, "r:id")]
    assert rel.get("Target") == "https://www.example.org/registry"
    assert rel.get("TargetMode") == "External"


# --- links, bookmarks -----------------------------------------------------------------------


def test_external_and_internal_hyperlinks(out):
    body = out.xml("word/document.xml")
    rels = {r.get("Id"): r for r in out.rels("word/_rels/document.xml.rels")}
    external = [h for h in body.iter(f"{{{W}}}hyperlink") if attr(h, "r:id")]
    assert [text_of(h) for h in external] == ["independent monitors"]
    rel = rels[attr(external[0], "r:id")]
    assert rel.get("Target") == "https://www.example.org/reports/2015"
    assert rel.get("TargetMode") == "External"
    assert rel.get("Type").endswith("/hyperlink")
    internal = {
        text_of(h): attr(h, "w:anchor") for h in body.iter(f"{{{W}}}hyperlink") if attr(h, "w:anchor")
    }
    assert internal["individual cases"] == "cases"
    bookmarks = {attr(b, "w:name"): b for b in body.iter(f"{{{W}}}bookmarkStart")}
    assert set(internal.values()) <= set(bookmarks)
    heading = bookmarks["cases"].getparent()
    assert out.style_of(heading) == "Heading 1" and text_of(heading) == "Cases"
    ids = [attr(b, "w:id") for b in body.iter(f"{{{W}}}bookmarkStart")]
    assert sorted(ids) == sorted(attr(b, "w:id") for b in body.iter(f"{{{W}}}bookmarkEnd"))
    assert len(set(ids)) == len(ids)


def test_ids_become_valid_bookmark_names(out):
    names = [attr(b, "w:name") for b in out.xml("word/document.xml").iter(f"{{{W}}}bookmarkStart")]
    assert "key_messages" in names and "legal_framework" in names
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", n) for n in names)


# --- lists ----------------------------------------------------------------------------------


def num_pr(p: etree._Element) -> tuple[int, int]:
    el = p.find("w:pPr/w:numPr", NS)
    return int(attr(el.find("w:numId", NS), "w:val")), int(attr(el.find("w:ilvl", NS), "w:val"))


def test_each_ordered_list_restarts(out):
    numbered = out.body_paragraphs("List Number")
    by_text = {text_of(p): num_pr(p) for p in numbered}
    first = by_text["registration requirements were tightened;"]
    second_list = by_text["Call for the release of all political prisoners."]
    third_list = by_text["Raise individual cases at every Cooperation Council."]
    assert by_text["foreign grants now need government approval:"] == first
    assert len({first[0], second_list[0], third_list[0]}) == 3
    numbering = out.xml("word/numbering.xml")

    def start(num_id: int, ilvl: int) -> int:
        num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
        override = num.find(f"w:lvlOverride[@w:ilvl='{ilvl}']/w:startOverride", NS)
        return int(attr(override, "w:val"))

    assert start(*first) == 1
    assert start(*second_list) == 1
    assert start(*third_list) == 3  # <ol start="3">
    nested = num_pr(out.body_paragraphs("List Number 2")[0])
    assert nested[1] == 1 and nested[0] not in (first[0], second_list[0], third_list[0])
    assert start(*nested) == 1
    abstract = {
        attr(n, "w:numId"): attr(n.find("w:abstractNumId", NS), "w:val")
        for n in numbering.findall("w:num", NS)
    }
    assert abstract[str(first[0])] == abstract[str(third_list[0])]
    fmt = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract[str(first[0])]}']/w:lvl/w:numFmt", NS)
    assert attr(fmt, "w:val") == "decimal"


def test_nested_lists_use_levels(out):
    bullets3 = out.body_paragraphs("List Bullet 3")
    assert [text_of(p) for p in bullets3] == ["within 30 days;", "with a copy of the budget."]
    assert {num_pr(p)[1] for p in bullets3} == {2}
    (cont,) = out.body_paragraphs("List Continue")
    assert text_of(cont) == "Fines now reach several years’ salary."
    assert cont.find("w:pPr/w:numPr", NS) is None
    numbering = out.xml("word/numbering.xml")
    bullet_num = num_pr(bullets3[0])[0]
    abstract_id = attr(numbering.find(f"w:num[@w:numId='{bullet_num}']/w:abstractNumId", NS), "w:val")
    levels = numbering.findall(f"w:abstractNum[@w:abstractNumId='{abstract_id}']/w:lvl", NS)
    assert attr(levels[0].find("w:numFmt", NS), "w:val") == "bullet"


# --- tables, boxes, pictures ----------------------------------------------------------------


def tables_with_style(out: Docx, style_id: str) -> list[etree._Element]:
    body = out.xml("word/document.xml")
    return [
        t for t in body.iter(f"{{{W}}}tbl") if attr(t.find("w:tblPr/w:tblStyle", NS), "w:val") == style_id
    ]


def test_table_repeats_its_header_and_never_splits_rows(out):
    (table,) = tables_with_style(out, "BriefgenTable")
    rows = table.findall("w:tr", NS)
    assert len(rows) == 41
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
    assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
    assert [out.style_of(p) for p in rows[0].iter(f"{{{W}}}p")] == ["Table Heading"] * 4
    assert {out.style_of(p) for r in rows[1:] for p in r.iter(f"{{{W}}}p")} == {"Table Text"}
    widths = [int(attr(g, "w:w")) for g in table.findall("w:tblGrid/w:gridCol", NS)]
    section = out.document.sections[0]
    text_width = round((section.page_width - section.left_margin - section.right_margin) / 635)
    assert sum(widths) == text_width == int(attr(table.find("w:tblPr/w:tblW", NS), "w:w"))
    assert [round(w / text_width * 100) for w in widths] == [10, 40, 30, 20]
    caption = table.getprevious()
    assert out.style_of(caption) == "Caption" and text_of(caption) == "Table 1. People detained, 2015"


def test_callout_and_card_are_one_cell_tables(out):
    callouts = tables_with_style(out, "CalloutBox")
    cards = tables_with_style(out, "CardBox")
    assert len(callouts) == 2 and len(cards) == 1
    for box in callouts:
        assert len(box.findall("w:tr", NS)) == 1 and len(box.findall("w:tr/w:tc", NS)) == 1
    inside = [out.style_of(p) for p in callouts[0].iter(f"{{{W}}}p")]
    assert inside == ["Heading 2", "List Bullet", "List Bullet", "List Bullet 2", "List Bullet 2"]
    # A card's head (heading beside its portrait, status) is a row of its own, kept with the
    # rest (tests/writers/test_docx_fidelity.py); one column throughout.
    head, rest = cards[0].findall("w:tr", NS)
    assert len(cards[0].findall("w:tr/w:tc", NS)) == 2
    assert [out.style_of(p) for p in head.iter(f"{{{W}}}p")] == ["Heading 3", "Status"]
    card = [out.style_of(p) for p in rest.iter(f"{{{W}}}p")]
    assert card.count("Field Label") == 3 and card.count("Field Value") == 3


def test_images_are_inline_with_alt_text_and_sized(out):
    body = out.xml("word/document.xml")
    # In line, except a card's portrait, which floats beside the card's heading as in the PDF.
    inlines = list(body.iter(f"{{{NS['wp']}}}inline"))
    anchors = list(body.iter(f"{{{NS['wp']}}}anchor"))
    assert len(inlines) == 2 and len(anchors) == 1
    pictures = [*inlines, *anchors]
    alts = [i.find("wp:docPr", NS).get("descr") for i in pictures]
    assert alts == [
        "Caucasus Rights Watch logo",
        "Bar chart: registered NGOs per year, falling after 2014",
        "Portrait of Günel Məmmədova",
    ]
    widths = [int(i.find("wp:extent", NS).get("cx")) for i in pictures]
    theme = load_theme(BUILTIN_THEMES / "default")
    assert widths[0] == round(theme.logo_width_mm * EMU_PER_MM)
    assert widths[2] == 28 * EMU_PER_MM  # `.card img.photo { width: 28mm }`
    assert widths[1] == 480 * 9525  # 480 CSS px, narrower than the text
    assert len({i.find("wp:docPr", NS).get("id") for i in pictures}) == 3


def test_wide_images_are_capped_at_the_text_width(tmp_path):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4000, 1000), "white").save(buf, "PNG")
    out, _ = build(
        tmp_path,
        page('<figure><img src="wide.png" alt="wide"></figure>'),
        reader=lambda src: (buf.getvalue(), "image/png"),
    )
    (inline,) = out.xml("word/document.xml").iter(f"{{{NS['wp']}}}inline")
    section = out.document.sections[0]
    assert (
        int(inline.find("wp:extent", NS).get("cx"))
        == section.page_width - section.left_margin - section.right_margin
    )
    assert int(inline.find("wp:extent", NS).get("cy")) == int(inline.find("wp:extent", NS).get("cx")) // 4


def test_images_word_cannot_show_become_png_or_their_alt_text(tmp_path):
    from PIL import Image

    webp = io.BytesIO()
    Image.new("RGB", (50, 20), "red").save(webp, "WEBP")
    files = {
        "a.webp": (webp.getvalue(), "image/webp"),
        "b.svg": (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', "image/svg+xml"),
    }
    html = page(
        '<figure><img src="a.webp" alt="raster"></figure><p>Logo: <img src="b.svg" alt="vector logo"></p>'
    )
    out, document = build(tmp_path, html, reader=files.__getitem__)
    (inline,) = out.xml("word/document.xml").iter(f"{{{NS['wp']}}}inline")
    assert inline.find("wp:docPr", NS).get("descr") == "raster"
    assert [n for n in out.names if n.startswith("word/media/")] == ["word/media/image1.png"]
    (p,) = out.body_paragraphs("Body Text")
    assert text_of(p) == "Logo: vector logo"
    (warning,) = document.warnings
    assert "b.svg" in warning and warning.startswith(TEMPLATE)


def test_row_and_column_spans(tmp_path):
    html = page(
        "<table><tr><th>A</th><th>B</th><th>C</th></tr>"
        "<tr><td rowspan='2'>r</td><td colspan='2'>c</td></tr><tr><td>x</td><td>y</td></tr></table>"
    )
    out, _ = build(tmp_path, html)
    (table,) = tables_with_style(out, "BriefgenTable")
    rows = table.findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None  # a first row of <th> is a header
    first, second = rows[1].findall("w:tc", NS)
    assert attr(first.find("w:tcPr/w:vMerge", NS), "w:val") == "restart"
    assert attr(second.find("w:tcPr/w:gridSpan", NS), "w:val") == "2"
    cont, x, y = rows[2].findall("w:tc", NS)
    assert (
        cont.find("w:tcPr/w:vMerge", NS) is not None
        and attr(cont.find("w:tcPr/w:vMerge", NS), "w:val") is None
    )
    assert (text_of(x), text_of(y)) == ("x", "y")


def test_odd_input_still_makes_a_valid_document(tmp_path):
    out, _ = build(tmp_path, "<html><body></body></html>")
    body = out.xml("word/document.xml").find("w:body", NS)
    assert [etree.QName(c).localname for c in body] == ["p", "sectPr"]
    out, _ = build(tmp_path, page("<p>a\x02b</p><div class='card'><table><tr><td>in</td></tr></table></div>"))
    assert "ab" in text_of(out.xml("word/document.xml"))
    (card,) = tables_with_style(out, "CardBox")
    assert etree.QName(card.find("w:tr/w:tc", NS)[-1]).localname == "p"  # a cell ends with a paragraph


def test_resource_errors_propagate(tmp_path):
    def refuse(src: str):
        raise ResourceError(f"{src}: outside the project's assets")

    with pytest.raises(ResourceError, match=r"secret\.png"):
        build(tmp_path, page('<figure><img src="../secret.png" alt="x"></figure>'), reader=refuse)


# --- cover, header/footer, contents, page breaks ---------------------------------------------


def test_cover_is_the_first_page_without_header_or_footer(out):
    body = out.xml("word/document.xml")
    sect = body.find("w:body/w:sectPr", NS)
    assert sect.find("w:titlePg", NS) is not None
    refs = {
        (etree.QName(r).localname, attr(r, "w:type")): attr(r, "r:id")
        for r in sect
        if etree.QName(r).localname in ("headerReference", "footerReference")
    }
    assert set(refs) == {
        ("headerReference", "default"),
        ("headerReference", "first"),
        ("footerReference", "default"),
        ("footerReference", "first"),
    }
    targets = {r.get("Id"): r.get("Target") for r in out.rels("word/_rels/document.xml.rels")}
    for kind in ("headerReference", "footerReference"):
        first = out.xml("word/" + targets[refs[(kind, "first")]])
        assert text_of(first) == "" and not list(first.iter(f"{{{W}}}fldChar"))
    header = out.xml("word/" + targets[refs[("headerReference", "default")]])
    (p,) = header.findall("w:p", NS)
    assert out.style_of(p) == "Header" and text_of(p) == "Closing the Space"
    assert out.document.styles["Header"].paragraph_format.alignment == 0  # left, as @top-left
    assert out.document.styles["Footer"].paragraph_format.alignment == 2  # right, as @bottom-right
    footer = out.xml("word/" + targets[refs[("footerReference", "default")]])
    (p,) = footer.findall("w:p", NS)
    assert out.style_of(p) == "Footer"
    instr = [t.text.strip() for t in p.iter(f"{{{W}}}instrText")]
    assert instr == ["PAGE", "NUMPAGES"]
    assert text_of(p) == "Page 1 of 1"  # cached results
    paragraphs = body.find("w:body", NS).findall("w:p", NS)
    assert [out.style_of(p) for p in paragraphs[:5]] == [
        "Cover Logo",
        "Title",
        "Subtitle",
        "Cover Text",
        "Cover Text",
    ]
    after_cover = paragraphs[5]
    assert out.style_of(after_cover) == "TOC Heading"
    assert after_cover.find("w:pPr/w:pageBreakBefore", NS) is not None


def test_page_setup_comes_from_the_theme(out):
    section = out.document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    for margin in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin):
        assert round(margin.mm) == 22


def test_page_break_div_breaks_before_the_next_paragraph(out):
    (cases,) = [p for p in out.body_paragraphs("Heading 1") if text_of(p) == "Cases"]
    assert cases.find("w:pPr/w:pageBreakBefore", NS) is not None


def test_table_of_contents_is_a_prefilled_field(out):
    body = out.xml("word/document.xml").find("w:body", NS)
    instr = [t.text for t in body.iter(f"{{{W}}}instrText") if "TOC" in t.text]
    assert [i.strip() for i in instr] == ['TOC \\o "1-3" \\h \\z \\u']
    begin = next(body.iter(f"{{{W}}}fldChar"))
    assert attr(begin, "w:fldCharType") == "begin" and attr(begin, "w:dirty") == "true"
    entries = []
    in_field = False
    for p in body.findall("w:p", NS):
        chars = [attr(f, "w:fldCharType") for f in p.iter(f"{{{W}}}fldChar")]
        if "begin" in chars:
            in_field = True
        if in_field:
            link = p.find("w:hyperlink", NS)
            entries.append((out.style_of(p), text_of(p), attr(link, "w:anchor")))
        if "end" in chars:
            break
    assert entries == [
        ("TOC 1", "Key messages", "key_messages"),
        ("TOC 1", "Background", "background"),
        ("TOC 2", "The legal framework", "legal_framework"),
        ("TOC 3", "The 2014 NGO law", "ngo_law"),
        ("TOC 1", "Cases", "cases"),
        ("TOC 1", "Recommendations", "recommendations"),
    ]
    (heading,) = out.body_paragraphs("TOC Heading")
    assert text_of(heading) == "Contents"
    after = next(p for p in body.findall("w:p", NS) if out.style_of(p) == "Small Text")
    assert after.find("w:pPr/w:pageBreakBefore", NS) is not None  # the contents have their own page
    update = out.xml("word/settings.xml").find("w:updateFields", NS)
    assert attr(update, "w:val") == "true"


# --- metadata, leftovers, reproducibility ---------------------------------------------------


def test_core_properties_are_exactly_the_head_meta(out):
    cp = out.document.core_properties
    assert cp.title == "Closing the Space: Civil Society in the South Caucasus"
    assert cp.subject == "Briefing on detained journalists and activists"
    assert cp.author == "Caucasus Rights Watch"
    assert cp.keywords == "civil society, detention, Azerbaijan, Georgia"
    assert cp.language == "en"
    expected = datetime(2016, 1, 19, 9, 30, tzinfo=UTC)
    assert cp.created == expected and cp.modified == expected
    assert (cp.last_modified_by, cp.comments, cp.category, cp.content_status, cp.identifier, cp.version) == (
        "",
    ) * 6
    assert cp.revision == 0 and cp.last_printed is None
    children = [etree.QName(c).localname for c in out.xml("docProps/core.xml")]
    assert children == ["title", "subject", "creator", "keywords", "language", "created", "modified"]


def test_no_template_leftovers(out):
    assert not [n for n in out.names if "thumbnail" in n or n.startswith("customXml")]
    assert "word/stylesWithEffects.xml" not in out.names and "word/webSettings.xml" not in out.names
    for name in out.names:
        if name.endswith((".xml", ".rels")):
            text = out.zip.read(name).decode("utf-8")
            assert "rsid" not in text, name
            assert "python-docx" not in text and "Macintosh" not in text and "Normal.dotm" not in text, name
    app = out.xml("docProps/app.xml")
    assert len(app) == 0
    package_rels = [r.get("Type") for r in out.rels("_rels/.rels")]
    assert not [t for t in package_rels if t.endswith("/thumbnail")]


def test_two_writes_are_byte_identical(tmp_path):
    html = SAMPLE.read_text(encoding="utf-8")
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    write(rendered(html), a)
    time.sleep(1.1)  # a different wall clock must not show
    write(rendered(html), b)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        infos = zf.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


# --- text and warnings ----------------------------------------------------------------------


def test_names_come_back_as_the_same_unicode(out):
    text = "\n".join(p.text for p in out.document.paragraphs)
    for table in out.document.tables:
        text += "\n" + "\n".join(cell.text for row in table.rows for cell in row.cells)
    for name in NAMES:
        assert name in text
        assert unicodedata.normalize("NFC", name) == name


def test_unknown_elements_warn_and_keep_their_text(tmp_path):
    html = page(
        "<p>Before <blink class='x'>ZEBRA</blink> after.</p><aside><p>Side note</p></aside>"
        "<p>Plain <abbr>ABBR</abbr></p><section class='cover'><p class='lead'>Lead</p></section>"
    )
    out, document = build(tmp_path, html)
    text = text_of(out.xml("word/document.xml"))
    for piece in ("Before ZEBRA after.", "Side note", "Plain ABBR", "Lead"):
        assert piece in text
    assert len(document.warnings) == 4
    for tag in ('<blink class="x">', "<aside>", "<abbr>"):
        (message,) = [w for w in document.warnings if tag in w]
        assert message.startswith(f"{TEMPLATE}: ")
        assert "outside the HTML vocabulary; its text was kept" in message
    # A paragraph's class outside the vocabulary is the class check's, as `validate` says it:
    # once, with how to give it a look (classstyles.class_problems).
    (message,) = [w for w in document.warnings if "'lead'" in w]
    assert "class 'lead' (<p>) is neither in the HTML vocabulary nor under the theme's styles" in message
    assert not any('<p class="lead">' in w for w in document.warnings)


def test_a_vocabulary_class_a_paragraph_cannot_have_is_still_said(tmp_path):
    out, document = build(tmp_path, page("<p class='cases-overview'>Boxed?</p>"))
    assert "Boxed?" in text_of(out.xml("word/document.xml"))
    assert any('<p class="cases-overview"> is outside the HTML vocabulary' in w for w in document.warnings)


def test_scripts_are_reported_and_left_out(tmp_path):
    out, document = build(tmp_path, page("<p>Text</p><script>alert('x')</script>"))
    assert "alert" not in text_of(out.xml("word/document.xml"))
    assert any("<script>" in w and "left out" in w for w in document.warnings)


def test_link_to_a_missing_anchor_warns(tmp_path):
    out, document = build(tmp_path, page('<p><a href="#nowhere">here</a></p>'))
    assert text_of(out.xml("word/document.xml")) == "here"
    assert any("#nowhere" in w for w in document.warnings)


def test_reference_docx_styles_are_used(tmp_path):
    theme_dir = tmp_path / "brand"
    theme_dir.mkdir()
    (theme_dir / "theme.yaml").write_text("name: brand\n", encoding="utf-8")
    reference = docx.Document()
    reference.styles["Heading 1"].font.name = "Georgia"
    reference.save(theme_dir / "reference.docx")
    out, _ = build(
        tmp_path,
        page("<h1 id='a'>Heading</h1><p>Body <em>em</em></p><ol><li>one</li></ol>"),
        theme=load_theme(theme_dir),
    )
    styles = out.document.styles
    assert styles["Heading 1"].font.name == "Georgia"  # the designer's, not the theme tokens'
    assert styles["Briefgen Table"] is not None and styles["Field Label"] is not None  # filled in
    (h,) = out.body_paragraphs("Heading 1")
    assert text_of(h) == "Heading"
    lang = out.xml("word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert attr(lang, "w:val") == "en-GB"
    ids = [s.get(f"{{{W}}}styleId") for s in out.xml("word/styles.xml").findall("w:style", NS)]
    assert len(ids) == len(set(ids))


def test_a_hundred_pages_build_in_seconds(tmp_path):
    sections = []
    for i in range(100):
        rows = "".join(f"<tr><td>{j}</td><td>Rəşad Əliyev</td><td>Status {j}</td></tr>" for j in range(8))
        sections.append(
            f"<section><h2 id='s{i}'>Section {i}</h2>"
            + "".join(
                f"<p>Paragraph {k} of section {i} with <em>emphasis</em>, <strong>strong</strong> text "
                f"and a note.<span class='footnote'>Source {i}.{k}.</span> " + "Filler words. " * 30 + "</p>"
                for k in range(4)
            )
            + "<ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul><ol><li>a</li><li>b</li></ol>"
            + "<table><thead><tr><th>No.</th><th>Name</th><th>Status</th></tr></thead>"
            + f"<tbody>{rows}</tbody></table>"
            + "</section>"
        )
    started = time.perf_counter()
    out, _ = build(tmp_path, page("".join(sections)))
    elapsed = time.perf_counter() - started
    assert len(out.body_paragraphs("Body Text")) == 400
    assert elapsed < 5, f"{elapsed:.1f}s"


# --- LibreOffice ----------------------------------------------------------------------------


@pytest.mark.slow
def test_libreoffice_opens_it_and_the_text_survives(sample, tmp_path):
    out, _ = sample
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out.path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / (out.path.stem + ".pdf")
    assert pdf.is_file()
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True
    ).stdout
    text = unicodedata.normalize("NFC", re.sub(r"\s+", " ", text.decode("utf-8")))
    for name in NAMES:
        assert name in text
    assert FOOTNOTE_1 in text
    assert FOOTNOTE_2 in text
    assert "Page 2 of" in text and "Closing the Space" in text
