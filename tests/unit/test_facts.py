"""facts and the case facts select.py gives templates (content format 1.2)."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import PROJECTS

from briefgen.facts import age, days_in_detention
from briefgen.load import load_project
from briefgen.model import Audience
from briefgen.select import select_view


@pytest.mark.parametrize(
    ("born", "as_of", "expected"),
    [
        ("1985-04-12", date(2022, 3, 15), 36),
        ("1985-04-12", date(2022, 4, 12), 37),  # the birthday itself
        ("1985-04-12", date(2022, 4, 11), 36),
        ("2000-02-29", date(2021, 2, 28), 20),
        ("1979", date(2022, 3, 15), None),  # a year alone: the year is shown, not an age
        ("1979-06", date(2022, 3, 15), None),
        ("2030-01-01", date(2022, 3, 15), None),
        (None, date(2022, 3, 15), None),
    ],
)
def test_age_on_the_brief_date(born, as_of, expected):
    assert age(born, as_of) == expected


def test_days_in_detention_only_for_people_still_held():
    assert days_in_detention("detained", "2021-01-10", date(2021, 1, 20)) == 10
    assert days_in_detention("released", "2021-01-10", date(2021, 1, 20)) is None
    assert days_in_detention("detained", "2021-01", date(2021, 1, 20)) is None


@pytest.fixture(scope="module")
def model():
    result = load_project(PROJECTS / "casefile")
    assert result.model is not None, [str(d) for d in result.diagnostics]
    return result.model


def cases(model, clearance):
    brief = next(b for b in model.project.briefs if b.id == "dossier")
    view, _ = select_view(model, brief, Audience(id="a", clearance=clearance), "ru")
    return {c.id: c for c in view.cases}, view


def test_person_facts_and_gender(model):
    found, _ = cases(model, "confidential")
    alena = found["alena-case"].subjects[0]
    assert (alena.born, alena.age, alena.gender) == ("1985-04-12", 36, "female")
    assert alena.region == "Гродненская область" and alena.occupation == "независимая журналистка"
    assert alena.also_known_as == ["Alena Kovalchuk", "Aliona Kavaltchouk"]
    # an affiliation with a role and no organisation
    assert alena.role_line == "независимая журналистка"
    assert found["alena-case"].gender == "female" and found["ihar-case"].gender == "male"


def test_a_withheld_persons_facts_are_not_given_and_their_spellings_are_removed(model):
    found, view = cases(model, "public")
    maksim = found["maksim-case"].subjects[0]
    assert maksim.withheld and maksim.name == "Блогер в эмиграции"
    assert (maksim.born, maksim.gender, maksim.region, maksim.also_known_as) == (None, None, None, [])
    assert found["maksim-case"].gender is None  # status words stay neutral
    removed = dict(view.removed)
    assert removed["people.maksim-fixture.also_known_as[0]"] == "Maxim Khiddenov"


def test_health_and_a_detention_above_the_clearance_are_removed(model):
    found, view = cases(model, "internal")
    assert found["alena-case"].health == []  # confidential by default
    assert found["ihar-case"].detention is not None  # internal
    found, view = cases(model, "public")
    assert found["ihar-case"].detention is None
    removed = {where for where, _ in view.removed}
    assert "cases.ihar-case.detention.place.ru" in removed
    assert "cases.alena-case.health[0].text.en" in removed
    assert found["alena-case"].detention.lawyer_access == "none"


def test_designations_and_recognitions(model):
    found, _ = cases(model, "public")
    [designation] = found["alena-case"].designations
    assert designation.list == "экстремистские формирования" and designation.by.id == "fixture-security"
    assert designation.source.id == "security-order-2021"
    [recognition] = found["ihar-case"].recognitions
    assert (recognition.by.id, recognition.kind, recognition.date) == (
        "fixture-conscience",
        "prisoner-of-conscience",
        "2021-10",
    )


def test_marking_of_each_clearance(model):
    brief = next(b for b in model.project.briefs if b.id == "dossier")
    for audience_id, language, marking in (
        ("public", "en", None),
        ("partners", "en", "Internal: not for distribution"),
        ("trusted", "ru", "Конфиденциально. Только для: Доверенные коллеги"),
        ("board", "en", "Internal: board members only"),
    ):
        view, _ = select_view(model, brief, model.audience(audience_id), language)
        assert view.audience.marking == marking
