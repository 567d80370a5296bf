"""Required texts (a person's name, a case's summary, a recommendation's text ...) may not be
empty or blank, in any language written: an empty value prints as nothing, so it is reported
at its own line and column like a missing field."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.load import load_project


def project(tmp_path: Path, content: str, settings: str = "name: X\n") -> Path:
    (tmp_path / "content").mkdir(parents=True, exist_ok=True)
    (tmp_path / "briefgen.yaml").write_text(settings)
    (tmp_path / "content" / "c.yaml").write_text(content)
    return tmp_path


def errors(tmp_path: Path, content: str, settings: str = "name: X\n") -> list[tuple[int, int, str, str]]:
    result = load_project(project(tmp_path, content, settings))
    return [(d.location.line, d.location.column, d.message, d.hint or "") for d in result.errors]


CASE = "cases:\n  - id: c\n    subjects: [p]\n    status: exiled\n"
PERSON = "people:\n  - id: p\n    name: P\n"


@pytest.mark.parametrize(
    ("content", "line", "column", "gist"),
    [
        ('people:\n  - id: p2\n    name: ""\n', 3, 11, "the required field 'name' of person 'p2' is empty"),
        (PERSON + CASE + '    summary: ""\n', 8, 14, "the required field 'summary' of case 'c' is empty"),
        (PERSON + CASE + '    summary: "   "\n', 8, 14, "'summary' of case 'c' is empty"),
        (
            "organisations:\n  - {id: o, name: O}\nrecommendations:\n"
            '  - id: r\n    text: " "\n    addressees: [o]\n',
            5,
            11,
            "the required field 'text' of recommendation 'r' is empty",
        ),
        ('organisations:\n  - id: o\n    name: "\t "\n', 3, 11, "'name' of organisation 'o' is empty"),
        ('events:\n  - id: e\n    title: ""\n    date: 2016-01-19\n', 3, 12, "'title' of event 'e'"),
        ('sources:\n  - id: s\n    title: " "\n', 3, 12, "'title' of source 's' is empty"),
        ('recipients:\n  - id: r\n    name: ""\n', 3, 11, "'name' of recipient 'r' is empty"),
        (
            'figures:\n  - id: f\n    title: ""\n    kind: bar\n    data: [{label: A, value: 1}]\n',
            3,
            12,
            "'title'",
        ),
        (
            "figures:\n  - id: f\n    title: F\n    kind: bar\n    data: [{label: ' ', value: 1}]\n",
            5,
            20,
            "the required field 'label' of data[0] of figure 'f' is empty",
        ),
        (
            PERSON + CASE + "    summary: S\n    charges:\n      - description: ''\n",
            10,
            22,
            "the required field 'description' of charges[0] of case 'c' is empty",
        ),
        (
            PERSON + CASE + "    summary: S\n    timeline:\n      - {date: 2016, type: arrest, text: ''}\n",
            10,
            42,
            "the required field 'text' of timeline[0] of case 'c' is empty",
        ),
        (PERSON + CASE + "    summary: S\n    notes:\n      - text: ' '\n", 10, 15, "'text' of notes[0]"),
        (PERSON + CASE + "    summary: S\n    health:\n      - text: ''\n", 10, 15, "'text' of health[0]"),
        (
            PERSON + CASE + "    summary: S\n    contacts:\n      - name: ''\n",
            10,
            15,
            "'name' of contacts[0]",
        ),
        (
            PERSON + CASE + "    summary: S\n    designations:\n      - list: ''\n",
            10,
            15,
            "'list' of designations[0]",
        ),
    ],
)
def test_a_blank_required_text_is_an_error_at_its_place(tmp_path, content, line, column, gist):
    found = errors(tmp_path, content)
    assert [(f[0], f[1]) for f in found] == [(line, column)], found
    assert gist in found[0][2]
    assert "empty or blank value counts as missing" in found[0][3]


def test_a_blank_translation_of_a_required_text_is_an_error_at_that_translation(tmp_path):
    content = (
        'people:\n  - id: p3\n    name: {en: "", fr: "x"}\n'
        '  - id: p4\n    name:\n      en: P\n      fr: " "\n'
    )
    found = errors(tmp_path, content)
    assert [(f[0], f[1], f[2]) for f in found] == [
        (3, 16, "the required field 'name' of person 'p3' is empty in 'en'"),
        (7, 11, "the required field 'name' of person 'p4' is empty in 'fr'"),
    ]
    assert "write the en text, or remove the en entry" in found[0][3]


def test_blank_required_settings(tmp_path):
    settings = (
        'name: " "\nbriefs:\n  - id: b\n    template: ""\n    recipients: all\n'
        '    letter: {body: {en: " "}, signatories: [p]}\n'
    )
    found = errors(tmp_path, PERSON, settings)
    assert [(f[0], f[1], f[2]) for f in found] == [
        (1, 7, "the required field 'name' of briefgen.yaml is empty"),
        (4, 15, "the required field 'template' of brief 'b' is empty"),
        (6, 25, "the required field 'body' of letter of brief 'b' is empty in 'en'"),
    ]


def test_optional_texts_may_still_be_empty(tmp_path):
    """Only required fields changed: an empty optional text means what it meant before."""
    content = PERSON + '    bio: ""\n    region: " "\n' + CASE + '    summary: S\n    title: ""\n'
    assert errors(tmp_path, content) == []
