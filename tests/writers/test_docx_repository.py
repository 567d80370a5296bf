"""Every DOCX of the repository project, read back from its XML (issue 5's 'done when')."""

from __future__ import annotations

import re

import pdfplumber
import pytest
from lxml import etree
from test_docx_writer import NS, PARAGRAPH_STYLES, Docx, W, attr, text_of

pytestmark = pytest.mark.slow

LANG_TAGS = {"en": "en-GB", "ru": "ru-RU", "fr": "fr-FR", "az": "az-Latn-AZ"}


@pytest.fixture(scope="module")
def documents(repo_build):
    out, manifest = repo_build
    pairs = []
    for entry in manifest["outputs"]:
        if entry["format"] == "docx":
            pdf = out / (entry["path"].removesuffix(".docx") + ".pdf")
            pairs.append((entry, Docx(out / entry["path"]), pdf))
    assert len(pairs) == 11  # en, ru and fr (Maria Muster's copies of the policy brief)
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
        first_footer = docx.xml("word/" + targets[refs[("footerReference", "first")]])
        assert text_of(first_footer) == ""
        header = docx.xml("word/" + targets[refs[("headerReference", "default")]])
        # As the PDF: the title at the left margin, the publisher at the right tab stop.
        (p,) = header.findall("w:p", NS)
        title_run, publisher_run = p.findall("w:r", NS)
        assert text_of(title_run) == docx.document.core_properties.title, entry["path"]
        assert publisher_run.find("w:tab", NS) is not None, entry["path"]
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


def test_contents_field_lists_the_pdfs_contents_entries(documents):
    for entry, docx, pdf in documents:
        with pdfplumber.open(pdf) as document:
            toc_page = next(
                (p.extract_text() for p in document.pages if re.search(r"\.{5,}", p.extract_text() or "")),
                None,
            )
        entries = [
            p
            for p in docx.xml("word/document.xml").iter(f"{{{W}}}p")
            if re.fullmatch(r"TOC \d", docx.style_of(p) or "")
        ]
        if toc_page is None:
            assert entries == [], entry["path"]
            continue
        pdf_titles = [
            re.sub(r"[\s.]*\d+$", "", line).strip()
            for line in toc_page.splitlines()
            if re.search(r"\.{5,}\s*\d+$", line)
        ]
        # Compared with white space normalised: French labels keep a no-break space before ':'
        # that the PDF's text extraction gives as a plain space.
        assert [" ".join(text_of(p).split()) for p in entries] == [" ".join(t.split()) for t in pdf_titles], (
            entry["path"]
        )
        instructions = "".join(t.text for t in docx.xml("word/document.xml").iter(f"{{{W}}}instrText"))
        assert "TOC" in instructions


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
            if "Table Heading" in styles:
                assert rows[0].find("w:trPr/w:tblHeader", NS) is not None, entry["path"]
                assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows), entry["path"]
        styles = docx.xml("word/styles.xml")
        langs = {e.get(f"{{{W}}}val") for e in styles.iter(f"{{{W}}}lang")}
        assert LANG_TAGS[entry["language"]] in langs, (entry["path"], langs)
