"""The DOCX follows the template as faithfully as the PDF (issues 26 and 27): the running
header's tab stop, the priority marker's character style, pictures outside the cover, card
portraits beside their heading, and the contents' page numbers from the PDF's layout.

Read back from the XML the real writer makes; the contents test lays the document out with
WeasyPrint and writes the PDF, as a build does.
"""

from __future__ import annotations

import re

import docx
import pdfplumber
from lxml import etree
from test_docx_writer import NS, Docx, W, attr, build, page, rendered, text_of

from briefgen.theme import BUILTIN_THEMES, load_theme
from briefgen.writers import pdf as pdf_writer
from briefgen.writers.docx import write

WP = NS["wp"]
EMU_PER_MM = 36000
EMU_PER_TWIP = 635
HEAD = (
    '<meta name="briefgen:running-title" content="Short">'
    '<meta name="briefgen:running-publisher" content="International Partnership for Human Rights">'
    '<meta name="briefgen:page-label" content="Page {page} of {pages}">'
)


def full_page(body: str, head: str = HEAD, style: str = "") -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>Title</title>{head}<style>{style}</style></head>'
        f"<body>{body}</body></html>"
    )


def text_width(out: Docx) -> int:
    section = out.document.sections[0]
    return round((section.page_width - section.left_margin - section.right_margin) / EMU_PER_TWIP)


def style_element(out: Docx, style_id: str) -> etree._Element:
    styles = out.xml("word/styles.xml")
    return next(s for s in styles.findall("w:style", NS) if attr(s, "w:styleId") == style_id)


def tab_stops(out: Docx, style_id: str) -> list[tuple[str, int]]:
    """A style's tab stops through basedOn (w:clear removes one)."""
    chain = []
    sid = style_id
    while sid:
        style = style_element(out, sid)
        chain.append(style)
        based = style.find("w:basedOn", NS)
        sid = None if based is None else attr(based, "w:val")
    stops: dict[int, str] = {}
    for style in reversed(chain):
        for tab in style.findall("w:pPr/w:tabs/w:tab", NS):
            if attr(tab, "w:val") == "clear":
                stops.pop(int(attr(tab, "w:pos")), None)
            else:
                stops[int(attr(tab, "w:pos"))] = attr(tab, "w:val")
    return sorted(((kind, pos) for pos, kind in stops.items()), key=lambda s: s[1])


def running_header(out: Docx) -> etree._Element:
    sect = out.xml("word/document.xml").find("w:body/w:sectPr", NS)
    (ref,) = [r for r in sect.findall("w:headerReference", NS) if attr(r, "w:type") == "default"]
    targets = {r.get("Id"): r.get("Target") for r in out.rels("word/_rels/document.xml.rels")}
    return out.xml("word/" + targets[attr(ref, "r:id")])


# --- the running header -------------------------------------------------------------------


def test_header_is_the_title_a_tab_and_the_publisher_at_the_right_margin(tmp_path):
    out, _ = build(tmp_path, full_page("<h1 id='a'>Text</h1><p>Body.</p>"))
    (p,) = running_header(out).findall("w:p", NS)
    title, publisher = p.findall("w:r", NS)
    assert text_of(title) == "Short"
    assert (
        publisher[0].tag == f"{{{W}}}tab"
        and text_of(publisher) == "International Partnership for Human Rights"
    )
    # One tab stop, right at the text width: no centre stop to catch the publisher mid-page
    # after a short title.
    assert p.find("w:pPr/w:tabs", NS) is None
    assert tab_stops(out, attr(p.find("w:pPr/w:pStyle", NS), "w:val")) == [("right", text_width(out))]


def test_a_reference_docx_header_style_gets_the_same_single_right_stop(tmp_path):
    theme_dir = tmp_path / "brand"
    theme_dir.mkdir()
    (theme_dir / "theme.yaml").write_text("name: brand\n", encoding="utf-8")
    docx.Document().save(theme_dir / "reference.docx")  # Header: centre 4680, right 9360 (Letter)
    out, _ = build(tmp_path, full_page("<p>Body.</p>"), theme=load_theme(theme_dir))
    (p,) = running_header(out).findall("w:p", NS)
    style_id = attr(p.find("w:pPr/w:pStyle", NS), "w:val")
    assert tab_stops(out, style_id) == [("center", 4680), ("right", 9360)]  # the designer's style
    stops = [(attr(t, "w:val"), int(attr(t, "w:pos"))) for t in p.findall("w:pPr/w:tabs/w:tab", NS)]
    assert stops == [("clear", 4680), ("clear", 9360), ("right", text_width(out))]


# --- character styles ---------------------------------------------------------------------


def test_the_priority_marker_has_a_character_style_in_the_accent_colour(tmp_path):
    theme = load_theme(BUILTIN_THEMES / "default")
    out, document = build(
        tmp_path,
        page(
            '<ol><li>Release them. <strong class="priority-high">(high priority)</strong></li>'
            '<li>Also <span class="priority-high">this <em>now</em></span>.</li></ol>'
        ),
    )
    assert document.warnings == []
    style = out.document.styles["High Priority"]
    assert style.type == docx.enum.style.WD_STYLE_TYPE.CHARACTER
    assert str(style.font.color.rgb) == theme.color("accent").upper() and style.font.bold
    runs = {text_of(r): r for r in out.xml("word/document.xml").iter(f"{{{W}}}r") if text_of(r)}
    marker = runs["(high priority)"]
    assert out.style_names[attr(marker.find("w:rPr/w:rStyle", NS), "w:val")] == "High Priority"
    assert [etree.QName(c).localname for c in marker.find("w:rPr", NS)] == ["rStyle"]  # no direct colour
    # Inside another role, a composite style that keeps the colour.
    composite = style_element(out, attr(runs["now"].find("w:rPr/w:rStyle", NS), "w:val"))
    assert attr(composite.find("w:rPr/w:color", NS), "w:val") == theme.color("accent")
    assert composite.find("w:rPr/w:i", NS) is not None


# --- pictures -----------------------------------------------------------------------------


def test_a_logo_outside_the_cover_is_a_figure_at_its_own_size(tmp_path):
    theme = load_theme(BUILTIN_THEMES / "default")
    out, _ = build(
        tmp_path,
        page(
            '<section class="cover"><img class="logo" src="logo.png" alt="cover logo"><h1>T</h1></section>'
            '<section><h1 id="s">Partners</h1><img class="logo" src="logo.png" alt="partner logo">'
            '<p>Text <img class="logo" src="logo.png" alt="inline logo"> in a line.</p></section>'
        ),
    )
    body = out.xml("word/document.xml")
    pictures = {
        i.find("wp:docPr", NS).get("descr"): i for i in body.iter(f"{{{WP}}}inline")
    }  # alt -> wp:inline

    def paragraph_style(inline):
        return out.style_of(next(a for a in inline.iterancestors(f"{{{W}}}p")))

    def width(inline):
        return int(inline.find("wp:extent", NS).get("cx"))

    assert paragraph_style(pictures["cover logo"]) == "Cover Logo"
    assert width(pictures["cover logo"]) == round(theme.logo_width_mm * EMU_PER_MM)
    assert paragraph_style(pictures["partner logo"]) == "Figure"
    assert paragraph_style(pictures["inline logo"]) == "Body Text"
    from PIL import Image

    with Image.open(fixture_path("logo.png")) as im:
        natural = im.width * 9525  # CSS px, as the PDF without `.cover img.logo`
    assert width(pictures["partner logo"]) == min(natural, text_width(out) * EMU_PER_TWIP)
    assert width(pictures["inline logo"]) == width(pictures["partner logo"])


def test_a_photo_outside_a_card_is_a_figure_at_its_own_size(tmp_path):
    out, _ = build(
        tmp_path, page('<section><h1 id="s">People</h1><img class="photo" src="photo.png" alt="p"></section>')
    )
    body = out.xml("word/document.xml")
    (inline,) = body.iter(f"{{{WP}}}inline")  # in line: only a card's portrait floats
    assert out.style_of(next(inline.iterancestors(f"{{{W}}}p"))) == "Figure"
    from PIL import Image

    with Image.open(fixture_path("photo.png")) as im:
        assert int(inline.find("wp:extent", NS).get("cx")) == min(
            im.width * 9525, text_width(out) * EMU_PER_TWIP
        )


def fixture_path(name: str):
    from test_docx_writer import FIXTURES

    return FIXTURES / name


CARD = (
    '<h1 id="cases">Cases</h1><div class="card">{photos}<h2 id="c1">Leyla and Arif Yunus</h2>'
    '<p class="small">Human rights defenders</p><p class="status">In exile</p>'
    "<p>Summary one.</p><p>Summary two.</p></div>"
)


def test_a_portrait_floats_beside_the_cards_heading(tmp_path):
    photos = (
        '<img class="photo" src="photo.png" alt="Leyla Yunus"><img class="photo" src="photo.png" alt="Arif">'
    )
    out, _ = build(tmp_path, page(CARD.format(photos=photos)))
    body = out.xml("word/document.xml")
    assert not list(body.iter(f"{{{WP}}}inline")) and not out.body_paragraphs("Card Photo")
    (card,) = body.iter(f"{{{W}}}tbl")
    head, rest = card.findall("w:tr", NS)
    # The head row (heading, roles, status) runs beside the portraits and cannot split;
    # the rest may.
    assert [out.style_of(p) for p in head.iter(f"{{{W}}}p")] == ["Heading 2", "Small Text", "Status"]
    assert head.find("w:trPr/w:cantSplit", NS) is not None
    assert [text_of(p) for p in rest.iter(f"{{{W}}}p")] == ["Summary one.", "Summary two."]
    heading = next(head.iter(f"{{{W}}}p"))
    anchors = list(heading.iter(f"{{{WP}}}anchor"))
    assert [a.find("wp:docPr", NS).get("descr") for a in anchors] == ["Leyla Yunus", "Arif"]
    inner = int(attr(head.find("w:tc/w:tcPr/w:tcW", NS), "w:w")) - 2 * int(
        attr(style_element(out, "CardBox").find("w:tblPr/w:tblCellMar/w:left", NS), "w:w")
    )
    offsets = []
    for anchor in anchors:
        assert anchor.get("layoutInCell") == "1" and anchor.get("behindDoc") == "0"
        assert anchor.find("wp:wrapSquare", NS) is not None
        assert anchor.find("wp:positionH", NS).get("relativeFrom") == "column"
        assert anchor.find("wp:positionV", NS).get("relativeFrom") == "paragraph"
        assert int(anchor.find("wp:extent", NS).get("cx")) == 28 * EMU_PER_MM  # as the print CSS
        assert int(anchor.get("distL")) == 4 * EMU_PER_MM and int(anchor.get("distB")) == 3 * EMU_PER_MM
        offsets.append(int(anchor.find("wp:positionH/wp:posOffset", NS).text))
    # Right-aligned in the card, side by side as floats to the right are.
    assert offsets == [
        inner * EMU_PER_TWIP - 28 * EMU_PER_MM,
        inner * EMU_PER_TWIP - (2 * 28 + 4) * EMU_PER_MM,
    ]
    # The heading keeps its exact line height: a floating picture is not set in its line.
    assert heading.find("w:pPr/w:spacing", NS) is None
    # python-docx reads the file back.
    assert out.document.tables[0].rows[0].cells[0].paragraphs[0].text == "Leyla and Arif Yunus"


def test_a_card_without_a_portrait_is_unchanged(tmp_path):
    out, _ = build(tmp_path, page(CARD.format(photos="")))
    body = out.xml("word/document.xml")
    assert not list(body.iter(f"{{{WP}}}anchor"))
    (card,) = body.iter(f"{{{W}}}tbl")
    head, _rest = card.findall("w:tr", NS)
    assert [out.style_of(p) for p in head.iter(f"{{{W}}}p")] == ["Heading 2"]


# --- the contents' page numbers -----------------------------------------------------------

CONTENTS = (
    '<section class="cover"><h1 id="title">A long brief</h1></section>'
    '<nav class="toc"><h1>Contents</h1><ul>'
    '<li><a href="#one">One</a><ul><li><a href="#one-a">One, first part</a></li></ul></li>'
    '<li><a href="#two">Two</a></li><li><a href="#three">Three</a></li></ul></nav>'
    '<main><h1 id="one">One</h1><p>Text.</p><h2 id="one-a">One, first part</h2><p>Text.</p>'
    '<div class="page-break"></div><h1 id="two">Two</h1>'
    + "<p>A paragraph long enough to fill some of the page, again and again.</p>" * 60
    + '<h1 id="three">Three</h1><p>End.</p></main>'
)
CONTENTS_CSS = "section.cover, nav.toc { break-after: page; } .page-break { break-before: page; }"


def contents_entries(out: Docx) -> list[tuple[str, str | None, str | None]]:
    """(entry text, PAGEREF bookmark, cached page) of each paragraph of the TOC field."""
    body = out.xml("word/document.xml")
    entries = []
    for p in body.iter(f"{{{W}}}p"):
        if not re.fullmatch(r"TOC \d", out.style_of(p) or ""):
            continue
        link = p.find("w:hyperlink", NS)
        runs = link.findall("w:r", NS)
        instr = "".join(t.text for t in link.iter(f"{{{W}}}instrText")).split()
        if not instr:
            entries.append((text_of(link), None, None))
            continue
        assert instr[0] == "PAGEREF" and instr[1] == attr(link, "w:anchor") and instr[2] == "\\h"
        tab = next(i for i, r in enumerate(runs) if r.find("w:tab", NS) is not None)
        label = "".join(text_of(r) for r in runs[:tab])
        separate = next(
            i
            for i, r in enumerate(runs)
            for f in r.findall("w:fldChar", NS)
            if attr(f, "w:fldCharType") == "separate"
        )
        cached = "".join(text_of(r) for r in runs[separate:])
        entries.append((label, instr[1], cached))
    return entries


def test_contents_entries_carry_the_pdfs_page_numbers(tmp_path):
    document = rendered(full_page(CONTENTS, style=CONTENTS_CSS))
    document.layout = pdf_writer.layout(document)  # as the worker does before writing
    pdf = pdf_writer.write(document, tmp_path / "t.pdf").path
    write(document, tmp_path / "t.docx")
    out = Docx(tmp_path / "t.docx")
    entries = contents_entries(out)
    assert [(label, mark) for label, mark, _ in entries] == [
        ("One", "one"),
        ("One, first part", "one_a"),
        ("Two", "two"),
        ("Three", "three"),
    ]
    with pdfplumber.open(pdf) as read:
        pages = [page.extract_text() or "" for page in read.pages]
    for label, _mark, cached in entries:
        # The page the PDF sets the heading on: the first line of that page's text there.
        on = [n for n, text in enumerate(pages, start=1) if label in text.splitlines()]
        assert on and cached == str(on[-1]), (label, cached, on)
    assert [cached for *_, cached in entries] == ["3", "3", "4", "6"]  # "Two" fills two pages
    # Word still refreshes them from its own layout: the field stays marked dirty.
    begin = next(out.xml("word/document.xml").iter(f"{{{W}}}fldChar"))
    assert attr(begin, "w:dirty") == "true"
    # Each number sits at the TOC style's right tab stop, with its dot leader.
    toc1 = style_element(out, "TOC1").find("w:pPr/w:tabs/w:tab", NS)
    assert (attr(toc1, "w:val"), int(attr(toc1, "w:pos")), attr(toc1, "w:leader")) == (
        "right",
        text_width(out),
        "dot",
    )


def test_without_the_pdfs_layout_the_entries_have_no_numbers(tmp_path):
    out, _ = build(tmp_path, full_page(CONTENTS, style=CONTENTS_CSS))  # a DOCX-only build
    assert contents_entries(out) == [
        ("One", None, None),
        ("One, first part", None, None),
        ("Two", None, None),
        ("Three", None, None),
    ]
