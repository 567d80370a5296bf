"""select: the View one output may see."""

from __future__ import annotations

import pytest
from conftest import PROJECTS

from briefgen.load import load_project
from briefgen.model import Audience, Brief
from briefgen.select import select_view


@pytest.fixture(scope="module")
def model():
    result = load_project(PROJECTS / "small")
    assert result.model is not None, [str(d) for d in result.diagnostics]
    return result.model


def brief(model, brief_id="small-brief"):
    return next(b for b in model.project.briefs if b.id == brief_id)


def view_for(model, clearance="public", language="en", brief_id="small-brief", **changes):
    audience = Audience(id="a", clearance=clearance, **changes)
    view, _ = select_view(model, brief(model, brief_id), audience, language)
    return view


def test_timeline_is_in_date_order_whatever_the_file_order(model):
    [case] = [c for c in view_for(model).cases if c.id == "aliyev-case"]
    assert [e.date for e in case.timeline] == ["2018-08-02", "2019-09-01"]


def test_days_in_detention_counted_to_the_brief_date(model):
    [case] = [c for c in view_for(model).cases if c.id == "aliyev-case"]
    # Arrested 2018-08-02, brief as of 2020-06-30.
    assert case.since == "2018-08-02"
    assert case.days_in_detention == 698


def test_recommendations_numbered_high_priority_first(model):
    view = view_for(model)
    assert [r.id for r in view.recommendations] == ["release-aliyev", "review-cases"]
    assert [r.number for r in view.recommendations] == [1, 2]


def test_addressees_of_the_audience_come_first(model):
    from briefgen.model import Organisation, Recommendation

    model = load_project(PROJECTS / "small").model
    model.items["organisations"]["other-body"] = Organisation(id="other-body", name="Other Body")
    model.items["recommendations"]["ask-other"] = Recommendation(
        id="ask-other", text="Ask the other body.", addressees=["other-body"], priority="low"
    )
    view = view_for(model, addressees=["other-body"])
    assert view.recommendation_groups[0].addressee.id == "other-body"
    assert view.recommendation_groups[0].for_audience
    assert view.recommendations[0].id == "ask-other" and view.recommendations[0].number == 1


def test_a_recipients_copy_marks_what_is_addressed_to_their_organisation(model):
    # An MEP's copy for "EU decision-makers" marked the recommendations to the Commission
    # "addressed to you" too: in a recipient's copy "you" is their organisation.
    from briefgen.model import Organisation, Recipient, Recommendation

    model = load_project(PROJECTS / "small").model
    model.items["organisations"]["other-body"] = Organisation(id="other-body", name="Other Body")
    model.items["recommendations"]["ask-other"] = Recommendation(
        id="ask-other", text="Ask the other body.", addressees=["other-body"], priority="low"
    )
    audience = Audience(id="a", clearance="public", addressees=["other-body", "test-parliament"])
    member = Recipient(id="m", name="M", organisation="test-parliament")
    elsewhere = Recipient(id="e", name="E", organisation="test-ngo")  # no recommendation is to it

    def marked(recipient):
        view, _ = select_view(model, brief(model), audience, "en", recipient)
        return [(g.addressee.id, g.for_audience) for g in view.recommendation_groups]

    assert marked(member) == [("test-parliament", True), ("other-body", False)]
    assert marked(elsewhere) == marked(None) == [("test-parliament", True), ("other-body", True)]
    # What the copy does not show decides nothing: with the only recommendation to the other
    # body confidential, its member's public copy marks by the audience, as any other.
    model.items["recommendations"]["ask-other"] = model.recommendations["ask-other"].model_copy(
        update={"sensitivity": "confidential"}
    )
    other_member = Recipient(id="o", name="O", organisation="other-body")
    assert marked(other_member) == marked(None) == [("test-parliament", True)]


def test_confidential_items_are_removed_and_recorded(model):
    from briefgen.model import Note

    model = load_project(PROJECTS / "small").model
    case = model.cases["aliyev-case"]
    model.items["cases"]["aliyev-case"] = case.model_copy(
        update={"notes": [Note(text="Secret lawyer strategy", sensitivity="confidential")]}
    )
    public = view_for(model)
    [card] = [c for c in public.cases if c.id == "aliyev-case"]
    assert card.notes == []
    assert any("Secret lawyer strategy" in value for _, value in public.removed)
    confidential = view_for(model, clearance="confidential")
    [card] = [c for c in confidential.cases if c.id == "aliyev-case"]
    assert [n.text for n in card.notes] == ["Secret lawyer strategy"]


def test_people_above_clearance_appear_under_pseudonym(model):
    model = load_project(PROJECTS / "small").model
    person = model.people["rashad-aliyev"]
    model.items["people"]["rashad-aliyev"] = person.model_copy(
        update={"sensitivity": "confidential", "pseudonym": "Journalist A"}
    )
    [case] = [c for c in view_for(model).cases if c.id == "aliyev-case"]
    assert case.subjects[0].name == "Journalist A"
    assert case.subjects[0].withheld
    assert case.subjects[0].affiliations == []
    assert "Rəşad" not in case.title


def test_localized_values_fall_back_and_are_recorded(model):
    view = view_for(model, language="ru")
    assert view.brief.title == "Small brief: Names in many scripts"  # not localized: no fallback
    model = load_project(PROJECTS / "small").model
    src = model.sources["test-report"]
    model.items["sources"]["test-report"] = src.model_copy(
        update={"title": {"en": "English title", "fr": "Titre"}}
    )
    view = view_for(model, language="ru")
    assert view.sources[0].title == "English title"
    recorded = {(f.item_id, f.field, f.wanted, f.used) for f in view.fallbacks}
    assert ("test-report", "title", "ru", "en") in recorded
    # A plain text is the project language's: prose written once is a fallback in Russian,
    # a name or a title written once is the same in every language.
    assert ("aliyev-case", "summary", "ru", "en") in recorded
    assert ("small-brief", "intro", "ru", "en") in recorded
    assert not {r for r in recorded if r[1] in ("name", "title") and r[0] != "test-report"}
    assert not view_for(model, language="en").fallbacks


def test_cited_sources_are_listed(model):
    view = view_for(model)
    assert [s.id for s in view.sources] == ["test-report"]


def test_select_does_not_change_the_model(model):
    before = model.cases["aliyev-case"].model_dump()
    view_for(model, clearance="public")
    assert model.cases["aliyev-case"].model_dump() == before


def test_other_recipients_are_removed_from_each_copy(model):
    from briefgen.model import Recipient

    model = load_project(PROJECTS / "small").model
    for rid, name in (("r-one", "Recipient One"), ("r-two", "Recipient Two")):
        model.items["recipients"][rid] = Recipient(id=rid, name=name)
    audience = Audience(id="a")
    view, _ = select_view(model, brief(model), audience, "en", model.recipients["r-one"])
    assert view.recipient.name == "Recipient One"
    assert ("recipients.r-two.name", "Recipient Two") in view.removed
    assert all(value != "Recipient One" for _, value in view.removed)


def test_brief_without_event_or_cases_selects_nothing(model):
    empty = Brief(id="x", template="policy-brief")
    view, _ = select_view(model, empty, Audience(id="a"), "en")
    assert view.cases == [] and view.recommendations == [] and view.event is None


@pytest.mark.parametrize(("language", "shown"), [("en", "Name withheld"), ("fr", "Nom non divulgué")])
def test_a_withheld_subject_without_a_pseudonym_is_named_name_withheld(language, shown):
    # The case's heading and the cases table printed a blank: the name was None and only
    # the person macro knew the default.
    model = load_project(PROJECTS / "small").model
    person = model.people["rashad-aliyev"]
    model.items["people"]["rashad-aliyev"] = person.model_copy(update={"sensitivity": "confidential"})
    [case] = [c for c in view_for(model, language=language).cases if c.id == "aliyev-case"]
    assert [p.name for p in case.subjects] == [shown] and case.subjects[0].withheld
    assert case.title == shown
