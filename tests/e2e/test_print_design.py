"""Pages a designer would sign off (issue 26), read back from the PDFs of the repository
project and of the printdesign fixture: card heads never alone at a page's foot, web
addresses never hyphenated, one full stop after a citation, addressee headings with their
article, and a cover that names its readers as they are named to themselves."""

from __future__ import annotations

import re

import pdfplumber
import pytest
from conftest import PROJECTS, build, pdf_pages_text

pytestmark = pytest.mark.slow

MM = 72 / 25.4
BODY_BOTTOM = 297 * MM - 22 * MM  # the default theme's bottom margin holds the page number
NOTE_SIZE = 8.2  # footnotes are 8 pt; everything in the body is larger


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("printdesign")
    manifest = build(PROJECTS / "printdesign", out, jobs=2)
    return {(e["brief"], e["audience"], e["language"]): out / e["path"] for e in manifest["outputs"]}


@pytest.fixture(scope="module")
def all_pdfs(repo_build, fixture_build):
    out, manifest = repo_build
    repository = [out / e["path"] for e in manifest["outputs"] if e["format"] == "pdf"]
    return repository + list(fixture_build.values())


def body_lines(page) -> list[tuple[float, list[dict]]]:
    """The page's lines of body text (not the running header, page number or footnotes), top
    to bottom, each as its characters."""
    lines: dict[int, list[dict]] = {}
    for char in page.chars:
        if char["top"] > 22 * MM - 2 and char["bottom"] < BODY_BOTTOM + 2 and char["size"] >= NOTE_SIZE:
            lines.setdefault(round(char["top"]), []).append(char)
    return sorted((top, sorted(chars, key=lambda c: c["x0"])) for top, chars in lines.items())


def is_heading(chars: list[dict]) -> bool:
    first = chars[0]
    return "Sans" in first["fontname"] and "Bold" in first["fontname"] and first["size"] >= 13


def is_head_line(chars: list[dict]) -> bool:
    """A heading's line or a card's status line: bold, in the heading font."""
    first = chars[0]
    return "Sans" in first["fontname"] and "Bold" in first["fontname"]


def test_no_heading_or_card_head_is_left_at_the_foot_of_a_page(all_pdfs):
    """Every heading (a case card's with its status line) has body text after it on its page."""
    for path in all_pdfs:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages[1:]:  # the cover's title is alone by design
                lines = body_lines(page)
                for index, (_top, chars) in enumerate(lines):
                    if is_heading(chars):
                        after = [c for _t, c in lines[index + 1 :] if not is_head_line(c)]
                        heading = "".join(c["text"] for c in chars)
                        assert after, (path.name, page.page_number, heading)


def letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def link_groups(page) -> list[tuple[str, str]]:
    """(target, visible text) of each link on the page whose text is its address. A link
    that wraps has one annotation per line; WeasyPrint also writes one per inline box inside
    the link (the same rectangle again, or an empty one at a <wbr>), which are left out."""
    seen, boxes = set(), []
    for link in page.hyperlinks:
        box = (round(link["x0"], 1), round(link["top"], 1), round(link["x1"], 1), round(link["bottom"], 1))
        if box[2] - box[0] > 1 and (link["uri"], box) not in seen:
            seen.add((link["uri"], box))
            boxes.append((link["uri"], box))
    groups: list[tuple[str, str]] = []
    open_target, text = None, ""
    for target, (x0, top, x1, bottom) in boxes:  # in reading order, as WeasyPrint writes them
        inside = page.within_bbox((x0 - 0.5, top - 0.5, x1 + 0.5, bottom + 0.5)).chars
        piece = "".join(c["text"] for c in sorted(inside, key=lambda c: c["x0"]))
        text = text + piece if target == open_target else piece
        open_target = target
        if letters(text) == letters(target):
            groups.append((target, text))
            open_target, text = None, ""
    return groups


def test_no_web_address_is_broken_by_a_hyphen(all_pdfs, fixture_build):
    """Each link whose text is its address shows exactly its target, however it wraps; the
    addresses written in the text read whole once the line breaks are taken out."""
    checked = 0
    for path in all_pdfs:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                for target, text in link_groups(page):
                    assert text == target, (path.name, page.page_number, target, text)
                    checked += 1
    assert checked >= 20  # the fixture's sources and proceedings: the check ran
    for key in (("design-brief", "readers", "en"), ("design-brief", "readers", "ru")):
        text = "".join(pdf_pages_text(fixture_build[key])).replace("\n", "")
        assert "https://prisoners.example.org/en/lists/2023/political-prisoners-full-list.html" in text
        assert "www.monitor.example.org/reports" in text
        assert "ht\u2010tps" not in text and "ht-tps" not in text


def test_one_full_stop_after_a_citation(all_pdfs, fixture_build):
    for path in all_pdfs:
        for number, text in enumerate(pdf_pages_text(path), start=1):
            assert not re.search(r"(?<!\.)\.\.(?!\.)", text), (path.name, number)
    notes = "".join(pdf_pages_text(fixture_build[("design-brief", "readers", "ru")]))
    assert "16 мая 2023 г.\n" in notes or "16 мая 2023 г. " in notes  # the date ends the note
    # A title's own full stop is not followed by the comma of the parts after it.
    assert "Belarus: free them all, Example Monitoring Group" in notes.replace("\n", " ")


def test_addressee_headings_have_their_article_in_english(repo_build, fixture_build):
    out, manifest = repo_build
    english = [
        out / e["path"]
        for e in manifest["outputs"]
        if e["format"] == "pdf" and e["language"] == "en" and e["brief"] == "justice-behind-bars-brief"
    ]
    for path in english:
        text = " ".join(pdf_pages_text(path)).replace("\n", " ")
        assert "To the European Parliament" in text, path.name
        assert "To the European Commission" in text, path.name
        assert not re.search(r"To European", text), path.name
    text = " ".join(pdf_pages_text(fixture_build[("design-brief", "readers", "en")])).replace("\n", " ")
    assert "To the European External Action Service (addressed to you)" in text
    assert "To the European Parliament" in text
    assert "To Amnesty International" in text  # a name that takes no article, as written
    russian = " ".join(pdf_pages_text(fixture_build[("design-brief", "readers", "ru")]))
    assert "Адресат: Европейская служба внешних связей" in russian  # the name, not the English form
    assert "the European" not in russian


def test_the_cover_names_its_readers_not_the_internal_audience_and_fills_its_page(fixture_build):
    readers = pdf_pages_text(fixture_build[("design-brief", "readers", "en")])[0]
    assert "For: Members of the European Parliament" in readers
    assert "EU decision-makers (public)" not in readers
    insiders = pdf_pages_text(fixture_build[("design-brief", "insiders", "en")])[0]
    assert "For:" not in insiders and "Insiders (internal label)" not in insiders
    russian = pdf_pages_text(fixture_build[("design-brief", "readers", "ru")])[0]
    assert "Аудитория: Члены Европейского парламента" in russian
    with pdfplumber.open(fixture_build[("design-brief", "readers", "en")]) as pdf:
        cover = pdf.pages[0]
        title = [c for c in cover.chars if c["size"] >= 20]
        lowest = max(c["bottom"] for c in cover.chars if c["bottom"] < BODY_BOTTOM)
        # The title well down the page (not at the top of an otherwise empty page), the
        # date, readers and publisher at its foot.
        assert cover.height / 5 < min(c["top"] for c in title) < cover.height / 2
        assert lowest > cover.height * 0.8
