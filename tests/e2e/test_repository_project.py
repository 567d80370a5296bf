"""End to end: the repository's own briefing project builds, and its outputs say what the content says."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, docx_text, pdf_text, words

from briefgen.i18n import Localizer
from briefgen.load import load_project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model():
    result = load_project(REPO)
    assert result.model is not None, [str(d) for d in result.diagnostics]
    return result.model


def en(value) -> str:
    return value if isinstance(value, str) else value["en"]


def outputs(manifest: dict, brief: str, fmt: str, language: str = "en") -> list[dict]:
    return [
        o
        for o in manifest["outputs"]
        if o["brief"] == brief and o["format"] == fmt and o["language"] == language
    ]


def test_manifest_lists_every_brief_audience_language_in_pdf_and_docx(repo_build, model):
    out, manifest = repo_build
    expected = set()
    from briefgen.plan import plan_jobs

    for job in plan_jobs(model):
        for fmt in ("pdf", "docx"):
            expected.add(job.relpath(fmt))
    listed = {o["path"] for o in manifest["outputs"]}
    assert listed == expected
    for entry in manifest["outputs"]:
        path = out / entry["path"]
        assert path.is_file()
        assert entry["bytes"] == path.stat().st_size
        assert len(entry["sha256"]) == 64
        if entry["format"] == "pdf":
            assert entry["pages"] >= 2


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_event_summary_says_what_the_event_was(repo_build, model, fmt):
    out, manifest = repo_build
    event = model.events["justice-behind-bars-2016"]
    [entry] = [
        o for o in outputs(manifest, "justice-behind-bars-event", fmt) if o["audience"] == "eu-policymakers"
    ]
    text = words(read(out / entry["path"], fmt))
    assert words(en(event.title)) in text
    assert words(Localizer("en").format_date(event.date)) in text
    moderator = model.people[event.moderator]
    assert words(en(moderator.name)) in text
    for speaker in event.speakers:
        person = model.people[speaker.person]
        assert words(en(person.name)) in text
        affiliation = person.affiliations[0]
        assert words(en(model.organisations[affiliation.organisation].name)) in text
    for case_id in event.cases:
        for subject in model.cases[case_id].subjects:
            assert words(en(model.people[subject].name)) in text
    for rec_id in event.recommendations:
        assert words(en(model.recommendations[rec_id].text)) in text
    for source_id in event.publications:
        assert words(en(model.sources[source_id].title)) in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_policy_brief_names_every_case_subject_and_recommendation(repo_build, model, fmt):
    out, manifest = repo_build
    entries = outputs(manifest, "justice-behind-bars-brief", fmt)
    assert entries
    for entry in entries:
        text = words(read(out / entry["path"], fmt))
        for case in model.cases.values():
            for subject in case.subjects:
                assert words(en(model.people[subject].name)) in text, entry["path"]
        for rec in model.recommendations.values():
            assert words(en(rec.text)) in text
        assert words(en(model.sources["iphr-justice-behind-bars-2015"].title)) in text


def test_russian_event_summary_is_in_russian(repo_build):
    out, manifest = repo_build
    [entry] = [
        o
        for o in outputs(manifest, "justice-behind-bars-event", "pdf", "ru")
        if o["audience"] == "eu-policymakers"
    ]
    text = pdf_text(out / entry["path"])
    assert "Правосудие за решёткой" in text
    assert "19 января 2016" in text
    assert "Страница" in text


def read(path: Path, fmt: str) -> str:
    return pdf_running_text(path) if fmt == "pdf" else docx_text(path)


MARGIN_PT = 22 * 72 / 25.4  # the default theme's margins hold the running header and footer
NOTE_SIZE = 8.2  # footnotes are 8 pt; body text is larger


def pdf_running_text(path: Path) -> str:
    """The body text of every page in reading order, then every footnote: a paragraph that
    runs over a page break reads on, not interrupted by the page's footnotes and footer."""
    import pdfplumber

    body, notes = [], []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            bottom = page.height - MARGIN_PT + 2
            inside = page.filter(
                lambda o: (
                    o.get("object_type") != "char" or (o["top"] >= MARGIN_PT - 2 and o["bottom"] <= bottom)  # noqa: B023 - used at once
                )
            )
            body.append(
                inside.filter(
                    lambda o: o.get("object_type") != "char" or o["size"] >= NOTE_SIZE
                ).extract_text()
                or ""
            )
            notes.append(
                inside.filter(
                    lambda o: o.get("object_type") != "char" or o["size"] < NOTE_SIZE
                ).extract_text()
                or ""
            )
    return "\n".join(body + notes)


def test_no_template_leftovers_in_any_pdf(repo_build):
    """An empty optional field must leave nothing behind: no 'None', no raw markup."""
    out, manifest = repo_build
    for entry in (e for e in manifest["outputs"] if e["format"] == "pdf"):
        text = pdf_text(out / entry["path"])
        assert "None" not in text, entry["path"]
        assert "{{" not in text and "<span" not in text and "[@" not in text, entry["path"]


def test_french_policy_brief_is_in_french(repo_build):
    """The content was translated through `briefgen translate` (docs/translating-content.md)."""
    out, manifest = repo_build
    entries = outputs(manifest, "justice-behind-bars-brief", "pdf", "fr")
    assert {e["audience"] for e in entries} == {"eu-policymakers", "partners"}
    for entry in entries:
        text = words(pdf_text(out / entry["path"]))
        for french in (
            "La justice derrière les barreaux : la persécution de la société civile en Azerbaïdjan",
            "Affaires et recommandations tirées du rapport d’IPHR",
            "Exiger des autorités azerbaïdjanaises qu’elles mettent fin à la persécution",
            "Le système de justice pénale est détourné contre la société civile",
            "elle a été arrêtée en décembre 2014 et condamnée en septembre 2015",
            "Madame,",
            "Page 2 sur",
        ):
            assert words(french) in text, (entry["path"], french)
        assert words("Cases and recommendations from the IPHR report") not in text


def test_french_event_summary_and_dossier_are_in_french(repo_build):
    """Issue 19's last French outputs: the event summary (both audiences) and the dossier."""
    out, manifest = repo_build
    expected = {
        "justice-behind-bars-event": (
            {"eu-policymakers", "partners"},
            ["Compte rendu de la discussion d’experts du 19 janvier 2016", "Page 2 sur"],
            "Summary of the expert discussion",
        ),
        "justice-behind-bars-dossier": (
            {"partners"},
            [
                "La justice derrière les barreaux : dossier des affaires",
                "Interdiction de quitter le territoire",
            ],
            "The criminal cases against seven leading civil society figures",
        ),
    }
    for brief, (audiences, french, english) in expected.items():
        entries = outputs(manifest, brief, "pdf", "fr")
        assert {e["audience"] for e in entries} == audiences, brief
        for entry in entries:
            text = words(pdf_text(out / entry["path"]))
            for phrase in french:
                assert words(phrase) in text, (entry["path"], phrase)
            assert words(english) not in text, entry["path"]


def test_french_dossier_cites_articles_rights_and_the_court_in_french(repo_build):
    """A charge's article, a violated right and the sentencing court were printed in English
    in the French dossier until they became localized (translated through translate import);
    read back with poppler's pdftotext and from the DOCX."""
    import subprocess

    out, manifest = repo_build
    entries = outputs(manifest, "justice-behind-bars-dossier", "pdf", "fr")
    entries += outputs(manifest, "justice-behind-bars-dossier", "docx", "fr")
    assert {e["format"] for e in entries} == {"pdf", "docx"}
    for entry in entries:
        path = out / entry["path"]
        if entry["format"] == "pdf":
            text = subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
            ).stdout
        else:
            text = docx_text(path)
        text = " ".join(text.replace("\u00a0", " ").split())
        for french in (
            "Code pénal, art. 192 : Activité entrepreneuriale illégale",
            "Code pénal, art. 213 : Évasion fiscale",
            "CEDH, art. 5 : Recours abusif",
            "CEDH, art. 11 : Refus d’enregistrer des ONG",
            "tribunal des crimes graves de Bakou, 26 mai 2014.",
        ):
            assert french in text, (entry["path"], french)
        for english in ("Criminal Code", "ECHR Art.", "Grave Crimes"):
            assert english not in text, (entry["path"], english)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_quotes_and_apostrophes_are_typeset_as_the_language_sets_them(repo_build, fmt):
    # Authors type straight quotes: 'he has "recently" lodged', "Azerbaijan's decision".
    out, manifest = repo_build
    [entry] = outputs(manifest, "justice-behind-bars-dossier", fmt)
    path = out / entry["path"]
    text = " ".join((pdf_text(path) if fmt == "pdf" else docx_text(path)).split())
    assert "has \u201crecently\u201d lodged" in text
    assert "Azerbaijan\u2019s decision" in text
    assert '"recently"' not in text and "Azerbaijan's" not in text
