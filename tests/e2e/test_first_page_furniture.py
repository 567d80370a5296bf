"""Page 1's running header and footer follow the presence of a cover, in both formats
(issue 27): a cover page has neither, a document without a cover has both from page 1.

Built for real from the small fixture project, once as it is and once with an audience
override that leaves the cover out; the PDF read back with pdfplumber (the words in the top
and bottom margins), the DOCX from its section properties and header parts.
"""

from __future__ import annotations

import pdfplumber
import pytest
from conftest import build, copy_project
from lxml import etree

pytestmark = pytest.mark.slow

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R, "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
TITLE = "Small brief: Names in many scripts"  # its running title (no short_title)
PUBLISHER = "Test Rights Centre"
MARGIN_PT = 22 * 72 / 25.4  # the default theme's page margins


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """{"cover": (pdf, docx), "no cover": (pdf, docx)}."""
    made = {}
    for name in ("cover", "no cover"):
        root = tmp_path_factory.mktemp(name.replace(" ", "-"))
        project = copy_project("small", root)
        if name == "no cover":
            folder = project / "templates" / "public-readers"
            folder.mkdir(parents=True)
            (folder / "policy-brief.html.j2").write_text(
                '{% extends "builtin/policy-brief.html.j2" %}{% block cover %}{% endblock %}\n',
                encoding="utf-8",
            )
        manifest = build(project, root / "out", jobs=1, briefs=["small-brief"])
        paths = {e["format"]: root / "out" / e["path"] for e in manifest["outputs"]}
        made[name] = (paths["pdf"], paths["docx"])
    return made


def margins_text(pdf_path, number: int) -> tuple[str, str]:
    """The text in the top and bottom margins of PDF page `number` (from 1)."""
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[number - 1]
        top = page.within_bbox((0, 0, page.width, MARGIN_PT)).extract_text() or ""
        bottom = page.within_bbox((0, page.height - MARGIN_PT, page.width, page.height)).extract_text() or ""
        body = page.extract_text() or ""
    assert body.strip(), "an empty page"
    return " ".join(top.split()), " ".join(bottom.split())


def docx_furniture(docx_path) -> dict[tuple[str, str], str]:
    """(headerReference|footerReference, default|first) -> that part's text, and whether the
    section has a distinct first page."""
    import zipfile

    with zipfile.ZipFile(docx_path) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
        (sect,) = document.findall("w:body/w:sectPr", NS)
        found = {}
        for ref in sect:
            kind = etree.QName(ref).localname
            if kind in ("headerReference", "footerReference"):
                part = etree.fromstring(z.read("word/" + targets[ref.get(f"{{{R}}}id")]))
                text = "".join(t.text or "" for t in part.iter(f"{{{W}}}t"))
                found[(kind, ref.get(f"{{{W}}}type"))] = text
        found[("titlePg", "")] = str(sect.find("w:titlePg", NS) is not None)
    return found


def test_a_cover_page_has_no_running_header_or_footer_in_either_format(outputs):
    pdf, docx_path = outputs["cover"]
    top, bottom = margins_text(pdf, 1)
    assert top == "" and bottom == ""
    top, bottom = margins_text(pdf, 2)
    assert top == f"{TITLE} {PUBLISHER}" and bottom.startswith("Page 2 of")
    parts = docx_furniture(docx_path)
    assert parts[("titlePg", "")] == "True"
    assert parts[("headerReference", "first")] == parts[("footerReference", "first")] == ""
    assert parts[("headerReference", "default")] == TITLE + PUBLISHER  # the tab between them
    assert parts[("footerReference", "default")].startswith("Page")


def test_without_a_cover_page_1_has_them_in_both_formats(outputs):
    pdf, docx_path = outputs["no cover"]
    with pdfplumber.open(pdf) as read:
        assert TITLE not in (read.pages[0].extract_text() or "").split("\n", 1)[1:]  # no cover title
    top, bottom = margins_text(pdf, 1)
    assert top == f"{TITLE} {PUBLISHER}"
    assert bottom.startswith("Page 1 of")
    parts = docx_furniture(docx_path)
    assert parts[("titlePg", "")] == "False"
    assert ("headerReference", "first") not in parts and ("footerReference", "first") not in parts
    assert parts[("headerReference", "default")] == TITLE + PUBLISHER
    assert parts[("footerReference", "default")].startswith("Page 1 of")
