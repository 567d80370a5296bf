"""A valid project loads into a Model without a single diagnostic, and knows where things are."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from briefgen.diagnostics import Location
from briefgen.load import load_project
from briefgen.model import Case, Person

VALID = Path(__file__).parent / "corpus" / "valid"


def test_valid_project_has_no_diagnostics():
    result = load_project(VALID)
    assert result.diagnostics == []
    assert result.model is not None


def test_items_are_typed_and_in_file_order():
    model = load_project(VALID).model
    assert list(model.organisations) == ["iphr", "european-parliament", "osepi"]
    assert list(model.people) == ["emin-huseynov", "anna-speaker", "moderator-person"]
    person = model.people["emin-huseynov"]
    assert isinstance(person, Person)
    assert person.name == {"en": "Emin Huseynov", "az": "Emin Hüseynov", "ru": "Эмин Гусейнов"}
    case = model.cases["emin-huseynov-case"]
    assert isinstance(case, Case)
    assert case.status_date == date(2015, 6, 12)
    assert case.sentence.years == 7 and case.sentence.suspended is False
    assert [e.date for e in case.timeline] == ["2014-08", "2015"]
    assert case.notes[0].sensitivity == "internal"
    assert case.contacts[0].sensitivity == "confidential"
    assert model.recipients["jane-doe"].sensitivity == "internal"
    assert model.project.briefs[0].recipients.tags == ["mep"]
    assert model.project.briefs[2].recipients == "all"


def test_yaml_surprises_keep_the_text_written():
    case = load_project(VALID).model.cases["emin-huseynov-case"]
    assert case.charges[0].article == "192.2.2"
    assert case.charges[1].article == "1.10"  # not the float 1.1
    assert case.proceedings[0].reference == "012345"  # not the octal 5349
    assert case.contacts[0].name == "NO"  # not false
    assert case.contacts[0].role == "off"


def test_positions_of_items():
    model = load_project(VALID).model
    assert model.positions[("cases", "emin-huseynov-case")] == ("content/cases/emin.yaml", 3, 5)
    assert model.positions[("people", "anna-speaker")] == ("content/people.yaml", 13, 5)


def test_locate_gives_the_deepest_written_part():
    model = load_project(VALID).model
    assert model.locate("people", "emin-huseynov", "name", "ru") == Location("content/people.yaml", 3, 50)
    # no French bio: the bio field itself
    assert model.locate("people", "emin-huseynov", "bio", "fr") == Location("content/people.yaml", 7, 5)
    # no bio at all: the item
    assert model.locate("people", "anna-speaker", "bio", "en") == Location("content/people.yaml", 13, 5)
    assert model.locate("cases", "emin-huseynov-case", "timeline", 1, "text") == Location(
        "content/cases/emin.yaml", 24, 9
    )


def test_settings_locate_by_index_or_id():
    model = load_project(VALID).model
    assert model.settings_locate("briefs", "event-summary", "event") == Location("briefgen.yaml", 34, 5)
    assert model.settings_locate("briefs", 1, "event") == Location("briefgen.yaml", 34, 5)
    assert model.settings_locate("briefs", "policy", "title", "ru") == Location("briefgen.yaml", 20, 38)
    # partners has a name but no Russian one: the name field
    assert model.settings_locate("audiences", "partners", "name", "ru") == Location("briefgen.yaml", 15, 5)
    # nothing of the kind: where the settings start (after the comment)
    assert model.settings_locate("nothing-here") == Location("briefgen.yaml", 2, 1)


def test_load_accepts_a_string_path():
    assert load_project(str(VALID)).model is not None
