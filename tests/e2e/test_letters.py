"""Personalised copies that open with a letter (content format 1.1), read back from PDF and DOCX."""

from __future__ import annotations

import docx as python_docx
import pytest
from conftest import PROJECTS, build, docx_text, pdf_pages_text, words
from docx.oxml.ns import qn

pytestmark = pytest.mark.slow

COPIES = {
    "jana-member": {
        "language": "en",
        "name": "Jana Member",
        "salutation": "Dear Ms Member,",
        "title": "Member of the Fixture Parliament",
        "organisation": "Fixture Parliament",
        "body": "We write to you, Jana Member, as Member of the Fixture Parliament of the Fixture Parliament",
        "brief_title": "Free the fixture journalist",
        "closing": "Yours sincerely,",
        "date": "1 March 2021",
        "roles": ["Executive director, Fixture Rights Watch", "Advocacy officer, Fixture Rights Watch"],
        "signatories": ["Dana Director", "Oleg Officer"],
    },
    "pavel-deputatov": {
        "language": "ru",
        "name": "Павел Депутатов",
        "salutation": "Здравствуйте, Павел Депутатов!",  # no salutation of his own: the default
        "title": "Депутат Парламента фикстур",
        "organisation": "Парламент фикстур",
        "body": "Обращаемся к вам, Павел Депутатов (Депутат Парламента фикстур, Парламент фикстур)",
        "brief_title": "Свободу журналистке",
        "closing": "С уважением,",
        "date": "1 марта 2021\u202fг.",  # Babel: a narrow no-break space before "г."
        "roles": ["Исполнительный директор, Фикстурный правозащитный центр"],
        "signatories": ["Dana Director", "Олег Офицеров"],
    },
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("letters")
    return out, build(PROJECTS / "letters", out, jobs=2)


def letter_copy(out, recipient: str, fmt: str):
    language = COPIES[recipient]["language"]
    return out / "appeal" / f"appeal.officials.{language}.{recipient}.{fmt}"


@pytest.mark.parametrize("recipient", sorted(COPIES))
def test_the_pdf_opens_with_the_letter_then_the_brief(built, recipient):
    out, _ = built
    expected = COPIES[recipient]
    pages = pdf_pages_text(letter_copy(out, recipient, "pdf"))
    letter = words(pages[0])
    for key in ("salutation", "name", "title", "organisation", "body", "closing", "date"):
        assert words(expected[key]) in letter, (key, pages[0])
    for text in expected["signatories"] + expected["roles"]:
        assert words(text) in letter, text
    assert "{" not in pages[0]
    # The brief starts on the next page with its cover, and the letter's own page has no
    # running header or page number.
    assert words(expected["brief_title"]) in words(pages[1])
    assert "Page" not in pages[0] and "Стр" not in pages[0]


def test_the_brief_after_a_letter_counts_its_own_pages(built):
    out, _ = built
    pages = pdf_pages_text(letter_copy(out, "jana-member", "pdf"))
    brief_pages = len(pages) - 1
    assert f"Page 2 of {brief_pages}" in pages[2]
    assert "Page" not in pages[1]  # the cover carries no number


@pytest.mark.parametrize("recipient", sorted(COPIES))
def test_the_docx_letter_is_an_editable_word_section(built, recipient):
    out, _ = built
    expected = COPIES[recipient]
    path = letter_copy(out, recipient, "docx")
    document = python_docx.Document(str(path))
    body = document.element.body
    paragraphs = body.findall(qn("w:p"))
    breaks = [i for i, p in enumerate(paragraphs) if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None]
    assert len(breaks) == 1, "the letter ends with a section break"
    letter = paragraphs[: breaks[0] + 1]

    def text(p):
        return "".join(t.text or "" for t in p.iter(qn("w:t")))

    def style(p):
        found = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        return found.get(qn("w:val")) if found is not None else None

    styled = {style(p): text(p) for p in letter if text(p)}
    assert styled["Salutation"] == expected["salutation"]
    assert styled["Closing"] == expected["closing"]
    assert styled["Date"] == expected["date"]
    assert [text(p) for p in letter if style(p) == "Signature" and text(p)] == expected["signatories"]
    assert words(expected["body"]) in words(" ".join(text(p) for p in letter if style(p) == "LetterText"))
    assert [text(p) for p in letter if style(p) == "InsideAddress"] == [
        expected["name"],
        expected["title"],
        expected["organisation"],
    ]
    # The brief's section counts its pages and footnotes from 1 and shows the brief's own
    # page count; the letter's section has no header or footer.
    final = body.find(qn("w:sectPr"))
    assert final.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert final.find(f"{qn('w:footnotePr')}/{qn('w:numRestart')}").get(qn("w:val")) == "eachSect"
    letter_section = paragraphs[breaks[0]].find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
    assert letter_section.find(qn("w:headerReference")) is None
    assert letter_section.find(qn("w:footerReference")) is None
    footer = document.sections[-1].footer.part.element
    instructions = "".join(t.text or "" for t in footer.iter(qn("w:instrText")))
    assert "SECTIONPAGES" in instructions
    # The brief's cover, with its title, follows the letter.
    after = [(style(p), text(p)) for p in paragraphs[breaks[0] + 1 :] if text(p)]
    assert ("Title", expected["brief_title"]) in after[:2]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_each_copy_has_only_its_own_recipient(built, fmt):
    out, manifest = built
    names = {r: words(c["name"]) for r, c in COPIES.items()}
    for entry in (e for e in manifest["outputs"] if e["format"] == fmt):
        path = out / entry["path"]
        text = words(docx_text(path) if fmt == "docx" else "\n".join(pdf_pages_text(path)))
        for recipient, name in names.items():
            assert (name in text) == (recipient == entry["recipient"]), (entry["path"], recipient)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_without_a_letter_no_salutation_appears(built, fmt):
    out, manifest = built
    for entry in (e for e in manifest["outputs"] if e["format"] == fmt and e["brief"] == "plain"):
        path = out / entry["path"]
        text = docx_text(path) if fmt == "docx" else "\n".join(pdf_pages_text(path))
        assert "Dear" not in text and "Уважаем" not in text and "Здравствуйте" not in text, entry["path"]
        assert "Prepared for" in text


def test_copies_with_letters_still_share_the_laid_out_body(tmp_path):
    from briefgen.build import BuildOptions, build_project

    results = []
    build_project(
        PROJECTS / "letters",
        BuildOptions(out=tmp_path, jobs=1, briefs=["appeal"], languages=["en"], formats=["pdf"]),
        progress=results.append,
    )
    by_recipient = {r.job.recipient_id: r for r in results}
    # Ines and Jana get the English copy: the second lays out only its letter and cover.
    assert [by_recipient[r].body_reused for r in ("ines-member", "jana-member")] == [False, True]
    ines = pdf_pages_text(tmp_path / "appeal/appeal.officials.en.ines-member.pdf")
    jana = pdf_pages_text(tmp_path / "appeal/appeal.officials.en.jana-member.pdf")
    assert len(ines) == len(jana)
    assert ines[2:] == jana[2:]
    assert "Dear Ms Ines Member," in ines[0] and "Dear Ms Member," in jana[0]
    assert "Ines" not in "".join(jana)


def test_a_letter_for_an_internal_audience_carries_the_marking(tmp_path):
    import shutil

    from briefgen.build import BuildOptions, build_project

    project = tmp_path / "letters"
    shutil.copytree(PROJECTS / "letters", project)
    settings = project / "briefgen.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("clearance: public", "clearance: internal")
    )
    out = tmp_path / "out"
    build_project(
        project, BuildOptions(out=out, jobs=1, briefs=["appeal"], languages=["en"], formats=["docx"])
    )
    document = python_docx.Document(str(out / "appeal" / "appeal.officials.en.jana-member.docx"))
    body = document.element.body
    letter_section = next(
        p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        for p in body.findall(qn("w:p"))
        if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
    )
    refs = {
        ref.get(qn("w:type")): ref.get(qn("r:id")) for ref in letter_section.findall(qn("w:headerReference"))
    }
    header = document.part.related_parts[refs["default"]].element
    text = "".join(t.text or "" for t in header.iter(qn("w:t")))
    assert "Internal: not for distribution" in text
    # Only the marking: no running title or page number on the letter's pages.
    assert "Free the fixture journalist" not in text
    assert not list(header.iter(qn("w:instrText")))


def test_a_docx_only_copy_states_the_brief_page_count_libreoffice_shows(built, tmp_path):
    # LibreOffice prints SECTIONPAGES as the result the file holds: a DOCX built without its
    # PDF said "Page 4 of 1". The brief is laid out for the count, as the PDF build does.
    from briefgen.build import BuildOptions, build_project

    out, _ = built
    brief_pages = len(pdf_pages_text(letter_copy(out, "jana-member", "pdf"))) - 1
    assert brief_pages > 1
    build_project(
        PROJECTS / "letters",
        BuildOptions(out=tmp_path, jobs=1, briefs=["appeal"], languages=["en"], formats=["docx"]),
    )
    document = python_docx.Document(str(tmp_path / "appeal/appeal.officials.en.jana-member.docx"))
    footer = document.sections[-1].footer.part.element
    runs = [r for p in footer.iter(qn("w:p")) for r in p.iter(qn("w:r"))]
    # The result run of the SECTIONPAGES field: after its instruction and the separate mark.
    at = next(
        i for i, r in enumerate(runs) if "SECTIONPAGES" in "".join(t.text for t in r.iter(qn("w:instrText")))
    )
    result = next(
        "".join(t.text for t in r.iter(qn("w:t"))) for r in runs[at + 1 :] if r.find(qn("w:t")) is not None
    )
    assert result == str(brief_pages)
