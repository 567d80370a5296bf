"""Page-break keeps in the DOCX follow the print CSS (headings `break-after: avoid`, callouts
`break-inside: avoid`, cards free to break), as Word and LibreOffice read them.

Both read keep-with-next on the first paragraph of a table row's first cell as "keep this row
with the next and never split it" (LibreOffice's Word-compatible "table row keep"). A card
written as one row starting with its heading therefore could never split, and every card that
did not fit the rest of a page moved whole to the next one, leaving gaps: the Russian event
summary came out at 12 LibreOffice pages against 8 in the PDF.
"""

from __future__ import annotations

import pytest
from lxml import etree
from test_docx_writer import NS, Docx, W, attr, build, page, text_of

CARD = (
    '<h1 id="cases">Cases</h1>'
    '<div class="card"><h2 id="c1">Anar Mammadli</h2>'
    '<p class="small">Chair, Election Monitoring Centre</p>'
    '<p class="status">Imprisoned</p><p>Summary one.</p><p>Summary two.</p></div>'
)
RECOMMENDATIONS = (
    '<div class="callout recommendations"><h1 id="r">Recommendations</h1>'
    '<h2 id="r1">To the Parliament</h2><ol><li>First.</li><li>Second.</li></ol>'
    '<h2 id="r2">To the Commission</h2><ol><li>Third.</li></ol></div>'
)
CALLOUT = '<div class="callout"><h2 id="k">Key messages</h2><ul><li>One.</li><li>Two.</li></ul></div>'
PHOTO_CARD = (
    '<div class="card"><img class="photo" src="photo.png" alt="Portrait">'
    '<h2 id="p">Emin Huseynov</h2><p class="status">In exile</p><p>Summary.</p></div>'
)


class Keeps:
    """w:keepNext of each paragraph style of a document, resolved through basedOn."""

    def __init__(self, docx: Docx):
        styles = docx.xml("word/styles.xml")
        self._styles = {s.get(f"{{{W}}}styleId"): s for s in styles.findall("w:style", NS)}
        self._cache: dict[str | None, bool] = {}

    def style(self, style_id: str | None) -> bool:
        if style_id not in self._cache:
            value, sid, seen = False, style_id, set()
            while sid and sid not in seen:
                seen.add(sid)
                style = self._styles.get(sid)
                if style is None:
                    break
                keep = style.find("w:pPr/w:keepNext", NS)
                if keep is not None:
                    value = (attr(keep, "w:val") or "true").lower() not in ("0", "false", "off")
                    break
                based = style.find("w:basedOn", NS)
                sid = None if based is None else attr(based, "w:val")
            self._cache[style_id] = value
        return self._cache[style_id]

    def paragraph(self, p: etree._Element) -> bool:
        direct = p.find("w:pPr/w:keepNext", NS)
        assert direct is None, f"direct keepNext on {text_of(p)!r}"
        style = p.find("w:pPr/w:pStyle", NS)
        return self.style(None if style is None else attr(style, "w:val"))


def first_paragraph(row: etree._Element) -> etree._Element | None:
    cell = row.find("w:tc", NS)
    first = next((c for c in cell if etree.QName(c).localname != "tcPr"), None)
    return first if first is not None and first.tag == f"{{{W}}}p" else None


def splittable_rows_starting_with_a_keep(docx: Docx) -> list[str]:
    """Rows that may split but begin with a keep-with-next paragraph (so never split)."""
    keeps = Keeps(docx)
    found = []
    for row in docx.xml("word/document.xml").iter(f"{{{W}}}tr"):
        if row.find("w:trPr/w:cantSplit", NS) is not None:
            continue
        first = first_paragraph(row)
        if first is not None and keeps.paragraph(first):
            found.append(text_of(first))
    return found


def boxes(docx: Docx, style_id: str) -> list[etree._Element]:
    body = docx.xml("word/document.xml")
    return [
        t for t in body.iter(f"{{{W}}}tbl") if attr(t.find("w:tblPr/w:tblStyle", NS), "w:val") == style_id
    ]


def margins(row: etree._Element) -> dict[str, str]:
    mar = row.find("w:tc/w:tcPr/w:tcMar", NS)
    return {} if mar is None else {etree.QName(m).localname: attr(m, "w:w") for m in mar}


def test_a_card_that_begins_with_its_heading_may_split_after_it(tmp_path):
    out, _ = build(tmp_path, page(CARD))
    (card,) = boxes(out, "CardBox")
    head, rest = card.findall("w:tr", NS)
    keeps = Keeps(out)
    assert [out.style_of(p) for p in head.iter(f"{{{W}}}p")] == ["Heading 2"]
    assert all(keeps.paragraph(p) for p in head.iter(f"{{{W}}}p"))  # kept with the next row
    assert head.find("w:trPr/w:cantSplit", NS) is not None
    assert rest.find("w:trPr/w:cantSplit", NS) is None
    assert [out.style_of(p) for p in rest.iter(f"{{{W}}}p")] == [
        "Small Text",
        "Status",
        "Body Text",
        "Body Text",
    ]
    assert not keeps.paragraph(first_paragraph(rest))
    assert margins(head) == {"bottom": "0"} and margins(rest) == {"top": "0"}
    assert splittable_rows_starting_with_a_keep(out) == []


def test_recommendations_may_split_but_their_headings_stay_with_the_text(tmp_path):
    out, _ = build(tmp_path, page(RECOMMENDATIONS))
    (box,) = boxes(out, "CalloutBox")
    head, rest = box.findall("w:tr", NS)
    assert [out.style_of(p) for p in head.iter(f"{{{W}}}p")] == ["Heading 1", "Heading 2"]
    assert [out.style_of(p) for p in rest.iter(f"{{{W}}}p")][:2] == ["List Number", "List Number"]
    assert splittable_rows_starting_with_a_keep(out) == []


def test_a_callout_stays_together_as_in_the_pdf(tmp_path):
    out, _ = build(tmp_path, page(CALLOUT))
    (box,) = boxes(out, "CalloutBox")
    (row,) = box.findall("w:tr", NS)
    assert row.find("w:trPr/w:cantSplit", NS) is not None
    assert [out.style_of(p) for p in row.iter(f"{{{W}}}p")] == ["Heading 2", "List Bullet", "List Bullet"]


def test_a_card_with_a_photo_keeps_its_head_beside_the_photo_and_may_split_after_it(tmp_path):
    out, _ = build(tmp_path, page(PHOTO_CARD))
    (card,) = boxes(out, "CardBox")
    head, rest = card.findall("w:tr", NS)
    assert head.find("w:trPr/w:cantSplit", NS) is not None and rest.find("w:trPr/w:cantSplit", NS) is None
    assert [out.style_of(p) for p in head.iter(f"{{{W}}}p")] == ["Heading 2", "Status"]
    assert first_paragraph(head).find(".//wp:anchor", NS) is not None  # the portrait floats there
    assert splittable_rows_starting_with_a_keep(out) == []


def test_headings_still_keep_with_the_next_paragraph(tmp_path):
    out, _ = build(tmp_path, page(CARD + "<h2>Next</h2><p>Text.</p>"))
    keeps = Keeps(out)
    for name in ("Heading1", "Heading2", "Heading3", "Heading4"):
        assert keeps.style(name), name
    body = out.xml("word/document.xml")
    assert all(
        keeps.paragraph(p) for p in body.iter(f"{{{W}}}p") if (out.style_of(p) or "").startswith("Heading")
    )


# --- the repository's own project -----------------------------------------------------------


@pytest.mark.slow
def test_no_box_of_the_repository_project_is_made_unsplittable_by_a_keep(repo_build):
    out, manifest = repo_build
    for entry in manifest["outputs"]:
        if entry["format"] == "docx":
            docx = Docx(out / entry["path"])
            assert splittable_rows_starting_with_a_keep(docx) == [], entry["path"]


def test_lines_are_as_far_apart_as_in_the_pdf(tmp_path):
    # CSS line-height is a multiple of the font size; Word's "multiple" line spacing is a
    # multiple of the font's own line height (1.362 em for Noto), so the theme's 1.45 must be
    # written as 1.45 / 1.362 of it.
    from briefgen.theme import BUILTIN_THEMES, load_theme
    from briefgen.writers.docx.styles import natural_line_height

    theme = load_theme(BUILTIN_THEMES / "default")
    ratio = natural_line_height(theme)
    assert 1.3 < ratio < 1.4
    out, _ = build(tmp_path, page("<p>Text.</p>"))
    styles = out.xml("word/styles.xml")
    defaults = styles.find("w:docDefaults/w:pPrDefault/w:pPr/w:spacing", NS)
    assert defaults.get(f"{{{W}}}lineRule") == "auto"
    assert int(defaults.get(f"{{{W}}}line")) / 240 * ratio == pytest.approx(theme.line_height, abs=0.01)


def test_a_line_under_a_heading_stays_with_what_follows(tmp_path):
    # A speaker's heading and role were left at the foot of a page in the event summary: the
    # role (Small Text) did not keep with the next paragraph, so the chain broke there.
    speakers = (
        '<h1 id="s">What the speakers said</h1><h2 id="s1">Emin Huseynov</h2>'
        '<p class="small">Journalist, Institute for Reporters\u2019 Freedom and Safety</p><p>He spoke.</p>'
        '<p class="small">A small paragraph elsewhere.</p>'
    )
    out, _ = build(tmp_path, page(speakers))
    keeps = Keeps(out)
    paragraphs = list(out.xml("word/document.xml").iter(f"{{{W}}}p"))
    styled = [(out.style_of(p), keeps.paragraph(p)) for p in paragraphs if text_of(p).strip()]
    assert styled == [
        ("Heading 1", True),
        ("Heading 2", True),
        ("Heading Note", True),
        ("Body Text", False),
        ("Small Text", False),
    ]
