"""Warnings worth a look (advice.py), and key messages written as a localized list."""

from __future__ import annotations

from pathlib import Path

from briefgen.load import load_project
from briefgen.model import IMPLICIT_AUDIENCE
from briefgen.select import select_view

SETTINGS = """\
name: Advice
language: en
as_of: 2016-01-19
briefs:
  - id: brief
    template: policy-brief
    languages: [en, ru]
    cases: [emin-case]
{extra}
"""
CONTENT = """\
people:
  - id: emin
    name: {en: Emin Huseynov, ru: Эмин Гусейнов, az: Emin Hüseynov}
cases:
  - id: emin-case
    subjects: [emin]
    status: exiled
    summary: S
    timeline:
      - date: 2015-06-12
        type: exile
        text: Left the country.
      - date: 2016-03
        type: other
        text: Written after the brief.
recipients:
  - id: jane
    name: Jane
    tags: [mep]
  - id: john
    name: John
    tags: [mpe]
"""


def project(tmp_path: Path, extra: str = "", content: str = CONTENT) -> Path:
    (tmp_path / "content").mkdir(parents=True)
    (tmp_path / "briefgen.yaml").write_text(SETTINGS.format(extra=extra), encoding="utf-8")
    (tmp_path / "content" / "content.yaml").write_text(content, encoding="utf-8")
    return tmp_path


def warnings(root: Path) -> list[str]:
    result = load_project(root)
    assert result.model is not None, [str(d) for d in result.errors]
    return [str(d) for d in result.diagnostics if not d.is_error]


def test_timeline_entry_after_the_brief_date(tmp_path):
    found = [w for w in warnings(project(tmp_path)) if "timeline date" in w]
    assert found == [
        "content/content.yaml:13:9: warning: timeline date 2016-03 is after the date of brief 'brief' "
        "(2016-01-19), which shows this case (hint: check the date; if it is right, give the brief a later "
        "'date', or the project a later 'as_of')"
    ]


def test_recipient_tag_no_brief_selects_by(tmp_path):
    extra = "    recipients: {tags: [mep]}"
    found = [w for w in warnings(project(tmp_path, extra)) if "recipient tag" in w]
    assert len(found) == 1
    assert found[0].startswith("content/content.yaml:22:12: warning: recipient tag 'mpe' is used by no brief")
    assert "did you mean 'mep'?" in found[0]


def test_recipient_tags_are_not_checked_when_no_brief_selects_by_tag(tmp_path):
    assert not [w for w in warnings(project(tmp_path)) if "recipient tag" in w]


def test_content_in_a_language_no_brief_builds(tmp_path):
    found = [w for w in warnings(project(tmp_path)) if "no brief builds" in w]
    assert found == [
        "content/content.yaml:3:50: warning: a value is written in 'az' (the first here), but no brief "
        "builds 'az' (hint: add 'az' to a brief's languages to use them; other spellings of a name belong in "
        "also_known_as)"
    ]
    extra = "  - id: az-brief\n    template: policy-brief\n    languages: [az]\n    cases: [emin-case]"
    assert not [w for w in warnings(project(tmp_path / "az", extra)) if "no brief builds" in w]


def test_key_messages_as_a_localized_list(tmp_path):
    root = project(tmp_path)
    settings = root / "briefgen.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + "    key_messages:\n      en: [First., Second., Third.]\n      ru: [Первое., Второе.]\n",
        encoding="utf-8",
    )
    model = load_project(root).model
    assert model is not None
    (brief,) = model.project.briefs
    views = {lang: select_view(model, brief, IMPLICIT_AUDIENCE, lang) for lang in ("en", "ru")}
    assert views["en"][0].brief.key_messages == ["First.", "Second.", "Third."]
    assert views["ru"][0].brief.key_messages == ["Первое.", "Второе."]
    assert not [f for f in views["ru"][1].fallbacks if f.field.startswith("key_messages")]


def test_key_messages_in_a_missing_language_fall_back_and_say_so(tmp_path):
    root = project(tmp_path)
    settings = root / "briefgen.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "    key_messages:\n      en: [Only English.]\n",
        encoding="utf-8",
    )
    model = load_project(root).model
    (brief,) = model.project.briefs
    view, selector = select_view(model, brief, IMPLICIT_AUDIENCE, "ru")
    assert view.brief.key_messages == ["Only English."]
    assert [(f.field, f.used) for f in selector.fallbacks if f.field == "key_messages"] == [
        ("key_messages", "en")
    ]


def test_a_letter_placeholder_a_copy_would_print_as_nothing(tmp_path):
    # "as a Member of , ...": jane has no title and no organisation; john's organisation is
    # internal, so the public audience's copy would leave it out.
    settings = """\
audiences:
  - {id: public-readers, clearance: public}
  - {id: partners, clearance: internal}
"""
    extra = (
        "    audiences: [public-readers, partners]\n"
        "    recipients: all\n"
        "    letter:\n"
        "      body: We write to you as {recipient.title} of {recipient.organisation}.\n"
        "      signatories: [emin]\n"
    )
    content = CONTENT.replace("    name: John\n", "    name: John\n    title: MEP\n    organisation: board\n")
    content += "organisations:\n  - id: board\n    name: The Board\n    sensitivity: internal\n"
    root = project(tmp_path, extra + settings, content)
    found = [w for w in warnings(root) if "the letter of brief" in w]
    assert len(found) == 3, found
    assert any("{recipient.title}: the recipient has no title, so recipient 'jane'" in w for w in found)
    assert any(
        "{recipient.organisation}: the recipient has no organisation, so recipient 'jane'" in w for w in found
    )
    john = [w for w in found if "recipient 'john'" in w]
    assert (
        len(john) == 1
        and "organisation 'board' is internal, withheld from audience(s) public-readers" in john[0]
    )
    assert john[0].startswith("content/content.yaml:")
    # With every detail there and visible to every audience: nothing to say.
    visible = content.replace("    sensitivity: internal\n", "")
    visible = visible.replace("    name: Jane\n", "    name: Jane\n    title: MEP\n    organisation: board\n")
    assert not [w for w in warnings(project(tmp_path / "ok", extra + settings, visible)) if "the letter" in w]


def test_all_of_a_collection_the_project_lacks(tmp_path):
    # `cases: all` over a cases file emptied by mistake: the brief would build without them.
    settings = SETTINGS.replace("    cases: [emin-case]\n", "    cases: all\n    recommendations: all\n")
    content = "people:\n  - id: emin\n    name: Emin Huseynov\n"
    (tmp_path / "content").mkdir()
    (tmp_path / "briefgen.yaml").write_text(settings.format(extra=""), encoding="utf-8")
    (tmp_path / "content" / "content.yaml").write_text(content, encoding="utf-8")
    (tmp_path / "content" / "cases.yaml").write_text("", encoding="utf-8")
    found = [w for w in warnings(tmp_path) if "shows all the project's" in w]
    assert found == [
        "briefgen.yaml:8:5: warning: brief 'brief' shows all the project's cases ('cases: all'), but the "
        "project has none, so its outputs have no cases (hint: check that the content files holding them "
        "are not empty, or remove 'cases: all')",
        "briefgen.yaml:9:5: warning: brief 'brief' shows all the project's recommendations "
        "('recommendations: all'), but the project has none, so its outputs have no recommendations "
        "(hint: check that the content files holding them are not empty, or remove 'recommendations: all')",
    ]
    assert not [w for w in warnings(project(tmp_path / "other")) if "shows all the project's" in w]


def test_a_recipient_whose_language_the_brief_does_not_build(tmp_path):
    # Ivan reads Russian; the brief is built in English and French: his copy was English,
    # without a word.
    extra = "    recipients: all"
    john = "  - id: john\n    name: John\n"
    content = CONTENT.replace(john, john + "    language: de\n")
    found = [w for w in warnings(project(tmp_path, extra, content)) if "reads 'de'" in w]
    assert found == [
        "content/content.yaml:22:5: warning: recipient 'john' reads 'de', which brief 'brief' is not "
        "built in: their copy is in 'en' (hint: add 'de' to the brief's languages, or give the recipient "
        "a language it builds (en, ru))"
    ]


def test_a_regional_recipient_language_reads_the_briefs_language(tmp_path):
    # fr-BE reads a brief built in French: no warning, and the copy is French.
    from briefgen.plan import plan_jobs

    john = "  - id: john\n    name: John\n"
    content = CONTENT.replace(john, john + "    language: ru-UA\n")
    root = project(tmp_path, "    recipients: all", content)
    assert not [w for w in warnings(root) if "reads 'ru-UA'" in w]
    model = load_project(root).model
    assert {(j.recipient_id, j.language) for j in plan_jobs(model)} >= {("john", "ru")}
