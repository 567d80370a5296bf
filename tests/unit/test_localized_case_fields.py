"""A charge's `article`, a sentence's `court` and a violation's `right` are localized texts.

Issue 19: the French dossier printed "Criminal Code Art. 192", "ECHR Art. 5" and "Baku Grave
Crimes Court" because these three fields were plain texts, which `translate export` never
offers. They now take a plain text (the project language's, so existing content stays valid)
or a mapping per language; the export offers them, the import writes them as mappings, a
build in French prints the French value after a colon spaced as French writes it, and a
confidential case's values in every language stay out of what a lower audience gets.

Fixture: tests/fixtures/projects/localized-fields (both ways of writing each field, and a
confidential case whose French values are canaries).
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest
from conftest import PROJECTS, build
from pydantic import ValidationError

from briefgen.load import load_project
from briefgen.model import Audience, Case, Charge, Sentence, Violation
from briefgen.pofile import read_po, write_po
from briefgen.select import select_view
from briefgen.translate import export_po, import_po, status

FIXTURE = PROJECTS / "localized-fields"
CANARIES = ("CANARY-ARTICLE-FR-5e1d", "CANARY-COURT-FR-a83c", "CANARY-RIGHT-FR-07b2")
FIELDS = (
    "cases/anar-case/charges/0/article",
    "cases/anar-case/charges/1/article",
    "cases/anar-case/sentence/court",
    "cases/anar-case/violations/0/right",
    "cases/anar-case/violations/1/right",
)


def model_of(root=FIXTURE):
    loaded = load_project(root)
    assert loaded.model is not None, [str(d) for d in loaded.errors]
    return loaded.model


@pytest.fixture()
def project(tmp_path):
    root = tmp_path / "localized-fields"
    shutil.copytree(FIXTURE, root)
    return root


# ---------------------------------------------------------------- the model


@pytest.mark.parametrize(
    "model,field,extra",
    [(Charge, "article", {"description": "x"}), (Sentence, "court", {}), (Violation, "right", {})],
)
def test_each_field_takes_a_text_or_a_mapping_per_language(model, field, extra):
    assert getattr(model.model_validate({field: "ECHR Art. 5", **extra}), field) == "ECHR Art. 5"
    mapping = {"en": "ECHR Art. 5", "fr": "CEDH, art. 5"}
    assert getattr(model.model_validate({field: mapping, **extra}), field) == mapping
    # still one line of text, in every language, and a real mapping of languages
    for wrong in ({"en": "Art. 5", "fr": "CEDH,\nart. 5"}, {"French": "CEDH, art. 5"}, {}, ["Art. 5"]):
        with pytest.raises(ValidationError):
            model.model_validate({field: wrong, **extra})


def test_the_fixture_loads_both_ways_of_writing():
    case: Case = model_of().cases["anar-case"]
    assert case.charges[0].article == "Criminal Code Art. 192"
    assert case.charges[1].article == {"en": "Criminal Code Art. 213", "fr": "Code pénal, art. 213"}
    assert case.sentence is not None
    assert case.sentence.court == {
        "en": "Baku Grave Crimes Court",
        "fr": "tribunal des crimes graves de Bakou",
    }
    assert case.violations[0].right == {"en": "ECHR Art. 5", "fr": "CEDH, art. 5"}


def test_the_schema_offers_the_mapping_to_editors():
    from briefgen.schema import content_schema

    defs = content_schema()["$defs"]
    for name, field in (("Charge", "article"), ("Sentence", "court"), ("Violation", "right")):
        prop = defs[name]["properties"][field]
        shapes = [s.get("type") for s in prop["anyOf"][0]["anyOf"]]
        assert "object" in shapes, (name, prop)


def test_a_mapping_with_a_line_break_is_reported_at_its_line(project):
    text = (project / "content/content.yaml").read_text(encoding="utf-8")
    text = text.replace("fr: Code pénal, art. 213", 'fr: "Code pénal,\\nart. 213"')
    (project / "content/content.yaml").write_text(text, encoding="utf-8")
    loaded = load_project(project)
    messages = [f"{d.location.path}:{d.location.line}: {d.message}" for d in loaded.errors]
    line = text.split("\n").index('          fr: "Code pénal,\\nart. 213"') + 1
    assert any(m.startswith(f"content/content.yaml:{line}: ") and "single line" in m for m in messages), (
        messages
    )


# ---------------------------------------------------------------- what an output shows


def test_a_french_view_takes_the_french_values():
    model = model_of()
    brief = model.project.briefs[0]
    view, _ = select_view(model, brief, Audience(id="public-readers"), "fr")
    (case,) = view.cases
    assert [c.article for c in case.charges] == ["Criminal Code Art. 192", "Code pénal, art. 213"]
    assert case.sentence.court == "tribunal des crimes graves de Bakou"
    assert [v.right for v in case.violations] == ["CEDH, art. 5", "ECHR Art. 11"]
    english, _ = select_view(model, brief, Audience(id="public-readers"), "en")
    assert english.cases[0].sentence.court == "Baku Grave Crimes Court"
    assert english.cases[0].charges[1].article == "Criminal Code Art. 213"


def test_a_french_value_missing_falls_back_with_a_warning(project):
    text = (project / "content/content.yaml").read_text(encoding="utf-8")
    (project / "content/content.yaml").write_text(
        text.replace("        fr: tribunal des crimes graves de Bakou\n", "        ru: Бакинский суд\n"),
        encoding="utf-8",
    )
    model = model_of(project)
    view, selector = select_view(model, model.project.briefs[0], Audience(id="public-readers"), "fr")
    assert "Baku Grave Crimes Court" in str(view.cases[0].sentence.court)
    assert ("cases", "anar-case", "sentence.court") in {
        (f.collection, f.item_id, f.field) for f in selector.fallbacks
    }


@pytest.mark.slow
def test_the_french_dossier_prints_the_french_values_after_a_french_colon(tmp_path):
    out = tmp_path / "out"
    manifest = build(FIXTURE, out, languages=["fr"])
    (entry,) = [e for e in manifest["outputs"] if e["audience"] == "public-readers"]
    html = (out / entry["path"]).read_text(encoding="utf-8")
    # the label ": " is "\u00a0: " in French (catalog), and the French values are printed
    assert "<strong>Code pénal, art. 213</strong>\u00a0: Évasion fiscale" in html
    assert "<strong>CEDH, art. 5</strong>\u00a0: Détention arbitraire." in html
    assert ", tribunal des crimes graves de Bakou." in html
    assert "Grave Crimes" not in html and "ECHR Art. 5" not in html
    # English keeps its own colon
    manifest = build(FIXTURE, tmp_path / "en", languages=["en"])
    (entry,) = [e for e in manifest["outputs"] if e["audience"] == "public-readers"]
    english = (tmp_path / "en" / entry["path"]).read_text(encoding="utf-8")
    assert "<strong>Criminal Code Art. 213</strong>: Tax evasion" in english
    assert "<strong>ECHR Art. 5</strong>: Arbitrary detention." in english


# ---------------------------------------------------------------- translate export / import


def test_export_offers_the_three_fields_with_the_field_and_the_case():
    data, _count = export_po(model_of(), "fr")
    messages = {m.msgctxt: m for m in read_po(data).messages}
    assert set(FIELDS) <= set(messages)
    article = messages["cases/anar-case/charges/0/article"]
    assert (article.msgid, article.msgstr) == ("Criminal Code Art. 192", "")
    comment = " ".join(article.auto_comments)  # wrapped at 76 columns in the file
    assert comment.startswith(
        "Case 'anar-case' (The case of Anar Mammadli): charges[0].article, one line of text"
    )
    lines = (FIXTURE / "content/content.yaml").read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, 1) if "- article: Criminal Code Art. 192" in text)
    assert article.references == [f"content/content.yaml:{line}"]
    assert messages["cases/anar-case/charges/1/article"].msgstr == "Code pénal, art. 213"
    court = messages["cases/anar-case/sentence/court"]
    assert (court.msgid, court.msgstr) == ("Baku Grave Crimes Court", "tribunal des crimes graves de Bakou")
    assert ": sentence.court, one line of text Shown in: dossier" in " ".join(court.auto_comments)
    assert messages["cases/anar-case/violations/1/right"].msgid == "ECHR Art. 11"


def test_import_writes_them_as_mappings_and_changes_nothing_else(project):
    before = (project / "content/content.yaml").read_text(encoding="utf-8")
    (row,) = status(model_of(project))
    untranslated = {path for _file, _line, path in row.fallbacks}
    assert {FIELDS[0], FIELDS[4]} <= untranslated and not set(FIELDS[1:4]) & untranslated
    data, _ = export_po(model_of(project), "fr")
    messages = read_po(data).messages
    french = {"Criminal Code Art. 192": "Code pénal, art. 192", "ECHR Art. 11": "CEDH, art. 11"}
    for message in messages:
        message.msgstr = french.get(message.msgid, message.msgstr)
    po = write_po(messages, "fr", "Localized fields fixture", datetime(2026, 1, 1, tzinfo=UTC))
    report = import_po(project, po, "fr.po")
    assert not report.errors, [str(d) for d in report.errors]
    assert report.applied == 2 and report.written == ["content/content.yaml"]
    after = (project / "content/content.yaml").read_text(encoding="utf-8")
    assert after == before.replace(
        "      - article: Criminal Code Art. 192   # a plain text: the project language's\n",
        "      - article:\n"
        "          en: Criminal Code Art. 192   # a plain text: the project language's\n"
        "          fr: Code pénal, art. 192\n",
    ).replace(
        "      - right: ECHR Art. 11\n",
        "      - right:\n          en: ECHR Art. 11\n          fr: CEDH, art. 11\n",
    )
    case = model_of(project).cases["anar-case"]
    assert case.charges[0].article == {"en": "Criminal Code Art. 192", "fr": "Code pénal, art. 192"}
    # importing again changes nothing, and status counts the fields as translated
    again = import_po(project, po, "fr.po")
    assert again.applied == 0 and again.written == []
    assert (project / "content/content.yaml").read_text(encoding="utf-8") == after
    (row,) = status(model_of(project))
    assert not set(FIELDS) & {path for _file, _line, path in row.fallbacks}, row.fallbacks


# ---------------------------------------------------------------- confidentiality


def test_a_confidential_cases_values_in_every_language_are_removed():
    """The three fields of a case above the audience's clearance are removed values in
    every language (the check scans outputs for them); a cleared audience sees them."""
    model = model_of()
    brief = model.project.briefs[0]
    public, _ = select_view(model, brief, Audience(id="public-readers"), "fr")
    removed = " ".join(value for _where, value in public.removed)
    visible = " ".join(public.visible)
    for canary in CANARIES:
        assert canary in removed and canary not in visible, canary
    assert "A court" in removed  # the English value of the same field too
    trusted, _ = select_view(model, brief, Audience(id="trusted", clearance="confidential"), "fr")
    hidden = next(c for c in trusted.cases if c.id == "hidden-case")
    assert (hidden.charges[0].article, hidden.sentence.court, hidden.violations[0].right) == CANARIES


def test_the_export_leaves_a_confidential_cases_values_out():
    public, _ = export_po(model_of(), "fr")
    assert not any(canary.encode() in public for canary in CANARIES)
    assert b"hidden-case" not in public
    # positive control: exported for a confidential translator, they are offered
    confidential, _ = export_po(model_of(), "fr", clearance="confidential")
    messages = {m.msgctxt: m for m in read_po(confidential).messages}
    assert messages["cases/hidden-case/charges/0/article"].msgstr == CANARIES[0]
    assert messages["cases/hidden-case/sentence/court"].msgstr == CANARIES[1]
    assert messages["cases/hidden-case/violations/0/right"].msgstr == CANARIES[2]


@pytest.mark.slow
def test_a_public_french_build_holds_no_canary(tmp_path):
    out = tmp_path / "out"
    manifest = build(FIXTURE, out, languages=["fr"])
    for entry in manifest["outputs"]:
        html = (out / entry["path"]).read_text(encoding="utf-8")
        for canary in CANARIES:
            assert (canary in html) == (entry["audience"] == "trusted"), (entry["path"], canary)


def test_a_proceedings_body_and_status_are_localized_too(tmp_path):
    # The French dossier printed "ECtHR: application lodged" (visual review of the example
    # project): like the three above, the two are a text or a mapping per language.
    from briefgen.model import Proceeding

    plain = Proceeding(body="ECtHR", status="communicated")
    localized = Proceeding(
        body={"en": "ECtHR", "fr": "CEDH"}, status={"en": "application lodged", "fr": "requête introduite"}
    )
    assert plain.body == "ECtHR" and localized.status["fr"] == "requête introduite"
    model = model_of()
    case = model.cases["anar-case"]
    model.items["cases"]["anar-case"] = case.model_copy(update={"proceedings": [localized]})
    brief = next(b for b in model.project.briefs if "fr" in (b.languages or []))
    audience = Audience(id="a", clearance="public")
    for language, body, said in (("fr", "CEDH", "requête introduite"), ("en", "ECtHR", "application lodged")):
        view, _ = select_view(model, brief, audience, language)
        [shown] = [c for c in view.cases if c.id == "anar-case"]
        assert (shown.proceedings[0].body, shown.proceedings[0].status) == (body, said)
