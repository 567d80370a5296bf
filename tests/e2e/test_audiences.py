"""Audiences x languages x recipients: the matrix, labels per language, personal details per copy."""

from __future__ import annotations

import shutil

import pytest
from conftest import PROJECTS, build, docx_text, pdf_pages_text, pdf_text, words

from briefgen.build import BuildOptions, build_project

pytestmark = pytest.mark.slow

RECIPIENT_LANGUAGE = {"anna-recipient": "en", "boris-adresatov": "ru", "claire-destinataire": "en"}
RECIPIENT_NAME = {
    "anna-recipient": "Anna Recipient",
    "boris-adresatov": "Борис Адресатов",
    "claire-destinataire": "Claire Destinataire",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("audiences")
    manifest = build(PROJECTS / "audiences", out, jobs=2)
    return out, manifest


def expected_paths() -> set[str]:
    paths = set()
    for audience in ("officials", "partners"):
        for recipient, language in RECIPIENT_LANGUAGE.items():
            for fmt in ("pdf", "docx"):
                paths.add(f"mailing/mailing.{audience}.{language}.{recipient}.{fmt}")
        for language in ("en", "ru"):
            for fmt in ("pdf", "docx"):
                paths.add(f"overview/overview.{audience}.{language}.{fmt}")
    return paths


def read(path, fmt):
    return pdf_text(path) if fmt == "pdf" else docx_text(path)


def test_builds_exactly_the_matrix(built):
    out, manifest = built
    assert {o["path"] for o in manifest["outputs"]} == expected_paths()
    for entry in manifest["outputs"]:
        assert (out / entry["path"]).is_file()
        if entry["recipient"]:
            assert entry["language"] == RECIPIENT_LANGUAGE[entry["recipient"]]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_labels_follow_the_output_language(built, fmt):
    out, _ = built
    english = read(out / f"overview/overview.officials.en.{fmt}", fmt)
    russian = read(out / f"overview/overview.officials.ru.{fmt}", fmt)
    assert "Recommendations" in english and "Рекомендации" not in english
    assert "Рекомендации" in russian and "Recommendations" not in russian
    assert "1 March 2021" in english
    assert "1 марта 2021" in russian
    # Content chosen per language too.
    assert "Слушания по делу" in russian
    mailing_ru = read(out / f"mailing/mailing.partners.ru.boris-adresatov.{fmt}", fmt)
    assert "5 лет 3 месяца" in mailing_ru
    mailing_en = read(out / f"mailing/mailing.partners.en.anna-recipient.{fmt}", fmt)
    assert "5 years 3 months" in mailing_en


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_each_recipient_appears_in_their_own_copy_only(built, fmt):
    out, manifest = built
    for entry in (e for e in manifest["outputs"] if e["format"] == fmt):
        text = words(read(out / entry["path"], fmt))
        for recipient, name in RECIPIENT_NAME.items():
            if recipient == entry["recipient"]:
                assert words(name) in text, entry["path"]
            else:
                assert words(name) not in text, (entry["path"], name)


def test_recipient_cover_is_personal_and_in_their_language(built):
    out, _ = built
    boris = pdf_text(out / "mailing/mailing.officials.ru.boris-adresatov.pdf")
    assert "Направляем вам нашу записку" in boris
    anna = pdf_text(out / "mailing/mailing.officials.en.anna-recipient.pdf")
    assert "Member of the Fixture Parliament" in anna
    # The brief has no letter: a salutation is shown only in a letter (content format 1.1).
    assert "Уважаемый Борис," not in boris
    assert "Dear Ms Recipient," not in anna


def test_addressees_of_the_audience_come_first_and_are_marked(built):
    out, _ = built
    officials = pdf_text(out / "mailing/mailing.officials.en.anna-recipient.pdf")
    partners = pdf_text(out / "mailing/mailing.partners.en.anna-recipient.pdf")
    # officials address the Council: its recommendation is first and marked as theirs.
    assert officials.index("Council of Fixtures") < officials.index(
        "Fixture Parliament", officials.index("Recommendations")
    )
    assert "addressed to you" in officials
    assert "addressed to you" not in partners
    # Numbering runs on across the addressee groups, in the PDF as in the DOCX.
    assert "1. Call for the release of Ayla Testova." in officials
    assert "2. Send observers to the trials." in officials
    import docx as python_docx
    from docx.oxml.ns import qn

    document = python_docx.Document(str(out / "mailing/mailing.officials.en.anna-recipient.docx"))
    starts = []
    for paragraph in document.element.body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        if text.startswith(("Call for the release", "Send observers")):
            num_id = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val"))
            starts.append(num_id)
    numbering = document.part.numbering_part.element
    overrides = [
        n.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}").get(qn("w:val"))
        for n in numbering.iterchildren(qn("w:num"))
        if n.get(qn("w:numId")) in starts
    ]
    assert sorted(overrides) == ["1", "2"]


def test_internal_note_only_for_the_internal_audience(built):
    out, _ = built
    assert "Internal note for partners only" in pdf_text(
        out / "mailing/mailing.partners.en.anna-recipient.pdf"
    )
    assert "Internal note for partners only" not in pdf_text(
        out / "mailing/mailing.officials.en.anna-recipient.pdf"
    )


def test_missing_content_translation_falls_back_and_is_reported(tmp_path):
    report = build_project(
        PROJECTS / "audiences", BuildOptions(out=tmp_path, jobs=2, briefs=["overview"], languages=["ru"])
    )
    messages = [str(d) for d in report.diagnostics if not d.is_error]
    fallback = [m for m in messages if "testova-case" in m and "summary" in m]
    assert fallback, messages
    assert fallback[0].startswith("content/content.yaml:")
    assert "'ru'" in fallback[0]
    text = pdf_text(tmp_path / "overview/overview.officials.ru.pdf")
    assert "Ayla Testova was jailed for her articles." in text


def test_audience_override_changes_only_that_audience(built, tmp_path):
    out, manifest = built
    plain = tmp_path / "audiences"
    shutil.copytree(PROJECTS / "audiences", plain)
    shutil.rmtree(plain / "templates" / "partners")
    plain_manifest = build(plain, tmp_path / "out", jobs=2)
    with_override = {e["path"]: e["sha256"] for e in manifest["outputs"]}
    without = {e["path"]: e["sha256"] for e in plain_manifest["outputs"]}
    assert with_override.keys() == without.keys()
    changed = {p for p in with_override if with_override[p] != without[p]}
    assert changed == {p for p in with_override if p.startswith("mailing/mailing.partners.")}
    assert "PARTNERS-ONLY-COVER-LINE" in pdf_text(out / "mailing/mailing.partners.en.anna-recipient.pdf")


def test_narrowed_build_builds_only_the_slice(tmp_path):
    manifest = build(
        PROJECTS / "audiences",
        tmp_path,
        jobs=1,
        briefs=["overview"],
        audiences=["partners"],
        languages=["ru"],
        formats=["pdf"],
    )
    assert [o["path"] for o in manifest["outputs"]] == ["overview/overview.partners.ru.pdf"]


def test_personalised_copies_share_the_laid_out_body(tmp_path):
    results = []
    build_project(
        PROJECTS / "audiences",
        BuildOptions(out=tmp_path, jobs=1, briefs=["mailing"], audiences=["officials"], formats=["pdf"]),
        progress=results.append,
    )
    by_recipient = {r.job.recipient_id: r for r in results}
    # Anna and Claire both get the English copy: the second lays out only its cover.
    assert [by_recipient[r].body_reused for r in ("anna-recipient", "claire-destinataire")] == [False, True]
    anna = pdf_pages_text(tmp_path / "mailing/mailing.officials.en.anna-recipient.pdf")
    claire = pdf_pages_text(tmp_path / "mailing/mailing.officials.en.claire-destinataire.pdf")
    assert anna[1:] == claire[1:]
    assert "Anna Recipient" in anna[0] and "Claire Destinataire" in claire[0]
    assert "Anna" not in "".join(claire)
