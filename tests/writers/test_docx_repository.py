"""Every DOCX of the repository project, read back from its XML (issue 5's 'done when')."""

from __future__ import annotations

import re

import pdfplumber
import pytest
from conftest import words
from lxml import etree
from test_docx_writer import NS, PARAGRAPH_STYLES, Docx, W, attr, text_of

pytestmark = pytest.mark.slow

LANG_TAGS = {"en": "en-GB", "ru": "ru-RU", "fr": "fr-FR", "az": "az-Latn-AZ"}
# The protective marking of the internal "partners" audience (content format 1.2).
INTERNAL = {
    "en": "Internal: not for distribution",
    "ru": "Для служебного пользования: не распространять",
    "fr": "Interne\u00a0: ne pas diffuser",
}


@pytest.fixture(scope="module")
def documents(repo_build):
    out, manifest = repo_build
    pairs = []
    for entry in manifest["outputs"]:
        if entry["format"] == "docx":
            pdf = out / (entry["path"].removesuffix(".docx") + ".pdf")
            pairs.append((entry, Docx(out / entry["path"]), pdf))
    # en, ru and fr (Maria Muster's copies of the policy brief, the event summary and the dossier)
    assert len(pairs) == 14
    return pairs


def test_every_paragraph_has_a_named_style_and_no_direct_formatting(documents):
    allowed = {s.lower() for s in PARAGRAPH_STYLES}
    forbidden = {"rFonts", "sz", "szCs", "color", "b", "bCs", "i", "iCs", "u", "highlight", "shd", "caps"}
    for entry, docx, _pdf in documents:
        for part in docx.story_parts():
            root = docx.xml(part)
            for p in root.iter(f"{{{W}}}p"):
                if p.getparent().tag == f"{{{W}}}footnote" and p.getparent().get(f"{{{W}}}type"):
                    continue
                name = docx.style_of(p)
                assert name is not None and name.lower() in allowed, (entry["path"], part, name, text_of(p))
            for rpr in root.iter(f"{{{W}}}rPr"):
                if rpr.getparent().tag == f"{{{W}}}r":
                    children = {etree.QName(c).localname for c in rpr}
                    assert not children & forbidden, (entry["path"], part, children)


def test_cover_without_furniture_then_running_header_and_page_fields(documents):
    for entry, docx, pdf in documents:
        body = docx.xml("word/document.xml")
        sect = body.find("w:body/w:sectPr", NS)
        assert sect.find("w:titlePg", NS) is not None, entry["path"]
        targets = {r.get("Id"): r.get("Target") for r in docx.rels("word/_rels/document.xml.rels")}
        refs = {
            (etree.QName(r).localname, attr(r, "w:type")): attr(r, "r:id") for r in sect if attr(r, "r:id")
        }
        # The cover's footer is empty, or holds the protective marking alone (internal and
        # confidential audiences: tests/e2e/test_case_records.py).
        marking = INTERNAL[entry["language"]] if ".partners." in entry["path"] else ""
        first_footer = docx.xml("word/" + targets[refs[("footerReference", "first")]])
        assert text_of(first_footer) == marking
        header = docx.xml("word/" + targets[refs[("headerReference", "default")]])
        # As the PDF: the title at the left margin, the publisher at the right tab stop.
        paragraphs = header.findall("w:p", NS)
        if marking:
            assert docx.style_of(paragraphs[0]) == "Running Marking" and text_of(paragraphs[0]) == marking
            paragraphs = paragraphs[1:]
        (p,) = paragraphs
        title_run, publisher_run = p.findall("w:r", NS)
        assert text_of(title_run) == docx.document.core_properties.title, entry["path"]
        assert publisher_run.find("w:tab", NS) is not None, entry["path"]
        assert text_of(publisher_run) in ("IPHR", "International Partnership for Human Rights"), entry["path"]
        # The one tab stop of the Header style: right, at the text width (issue 26: a centre
        # stop caught the publisher mid-page after the dossier's short running title).
        section = docx.document.sections[-1]
        width = round((section.page_width - section.left_margin - section.right_margin) / 635)
        header_style = docx.xml("word/styles.xml").xpath("w:style[@w:styleId='Header']", namespaces=NS)[0]
        stops = [
            (attr(t, "w:val"), int(attr(t, "w:pos"))) for t in header_style.iterfind("w:pPr/w:tabs/w:tab", NS)
        ]
        assert stops == [("right", width)] and p.find("w:pPr/w:tabs", NS) is None, entry["path"]
        # A recipient's letter is a section of its own before the brief's (no header or
        # footer); the brief's section counts its own pages.
        letter = body.find("w:body/w:p/w:pPr/w:sectPr", NS) is not None
        with pdfplumber.open(pdf) as document:
            texts = [page.extract_text() or "" for page in document.pages]
        second = next(i for i, t in enumerate(texts) if re.search(r"(Page|Страница) 2 (of|из|sur)", t))
        top_line = texts[second].splitlines()[0]
        assert top_line.split() == text_of(p).replace(text_of(title_run), text_of(title_run) + " ").split()
        footer = docx.xml("word/" + targets[refs[("footerReference", "default")]])
        pages_field = "SECTIONPAGES" if letter else "NUMPAGES"
        assert [t.text.strip() for t in footer.iter(f"{{{W}}}instrText")] == ["PAGE", pages_field]
        assert letter == (second > 1), entry["path"]


def test_contents_field_lists_the_pdfs_contents_entries_and_page_numbers(documents):
    """The contents field's cached entries are the PDF's, each ending with the PDF's page
    number (issue 26), and each number is the page of the PDF where that heading is."""
    checked = 0
    for entry, docx, pdf in documents:
        with pdfplumber.open(pdf) as document:
            pages = [p.extract_text() or "" for p in document.pages]
        toc_page = next((t for t in pages if re.search(r"\.{5,}", t)), None)
        entries = [
            p
            for p in docx.xml("word/document.xml").iter(f"{{{W}}}p")
            if re.fullmatch(r"TOC \d", docx.style_of(p) or "")
        ]
        if toc_page is None:
            assert entries == [], entry["path"]
            continue
        pdf_entries = [
            (" ".join(m.group(1).split()), m.group(2))
            for line in toc_page.splitlines()
            if (m := re.fullmatch(r"(.*?)[\s.]*\.{5,}\s*(\d+)", line))
        ]
        docx_entries = []
        for p in entries:
            runs = p.findall("w:hyperlink/w:r", NS)
            tab = next(i for i, r in enumerate(runs) if r.find("w:tab", NS) is not None)
            instr = "".join(t.text for t in p.iter(f"{{{W}}}instrText") if "PAGEREF" in t.text).split()
            assert instr == ["PAGEREF", attr(p.find("w:hyperlink", NS), "w:anchor"), "\\h"], entry["path"]
            label = " ".join("".join(text_of(r) for r in runs[:tab]).split())
            docx_entries.append((label, text_of(runs[-2])))  # the PAGEREF's cached result
        # White space normalised: French labels keep a no-break space before ':' that the
        # PDF's text extraction gives as a plain space.
        assert docx_entries == pdf_entries, entry["path"]
        # The page each heading is on, by its printed number: a recipient's letter comes
        # before page 1.
        numbered = {
            m.group(1): text
            for text in pages
            if (m := re.search(r"(?:Page|Страница) (\d+) (?:of|из|sur)", text))
        }
        for label, number in docx_entries:
            assert words(label) in words(numbered[number]), (entry["path"], label, number)
        instructions = "".join(t.text for t in docx.xml("word/document.xml").iter(f"{{{W}}}instrText"))
        assert "TOC" in instructions
        checked += 1
    assert checked >= 3  # the policy brief's copies and the dossier have contents


def test_footnotes_images_tables_and_language(documents):
    for entry, docx, _pdf in documents:
        footnotes = [
            f for f in docx.xml("word/footnotes.xml").iter(f"{{{W}}}footnote") if not f.get(f"{{{W}}}type")
        ]
        references = list(docx.xml("word/document.xml").iter(f"{{{W}}}footnoteReference"))
        assert len(footnotes) == len(references) >= 1, entry["path"]
        for picture in docx.xml("word/document.xml").iter(f"{{{NS['wp']}}}docPr"):
            assert picture.get("descr"), entry["path"]
        for table in docx.xml("word/document.xml").iter(f"{{{W}}}tbl"):
            rows = table.findall("w:tr", NS)
            styles = [docx.style_of(p) for p in rows[0].iter(f"{{{W}}}p")]
            # a row of column headings (not a facts table's row heading and its value)
            if styles and set(styles) == {"Table Heading"}:
                assert rows[0].find("w:trPr/w:tblHeader", NS) is not None, entry["path"]
                assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows), entry["path"]
        styles = docx.xml("word/styles.xml")
        langs = {e.get(f"{{{W}}}val") for e in styles.iter(f"{{{W}}}lang")}
        assert LANG_TAGS[entry["language"]] in langs, (entry["path"], langs)


def test_the_high_priority_marker_keeps_its_colour(documents):
    """'(high priority)' in a recommendation: the High Priority character style, in the
    theme's accent colour (the PDF's .priority-high), on the marker's run alone."""
    from briefgen.theme import BUILTIN_THEMES, load_theme

    accent = load_theme(BUILTIN_THEMES / "default").color("accent")
    markers = 0
    for entry, docx, _pdf in documents:
        styles = docx.xml("word/styles.xml")
        (style,) = styles.xpath("w:style[w:name/@w:val='High Priority']", namespaces=NS)
        assert attr(style.find("w:rPr/w:color", NS), "w:val") == accent, entry["path"]
        sid = attr(style, "w:styleId")
        for run in docx.xml("word/document.xml").iter(f"{{{W}}}r"):
            marked = run.find(f"w:rPr/w:rStyle[@w:val='{sid}']", NS) is not None
            text = text_of(run)
            assert marked == bool(
                re.fullmatch(r"\((high priority|priorité élevée|высокий приоритет)\)", text)
            ), (
                entry["path"],
                text,
            )
            markers += marked
    assert markers >= 4
