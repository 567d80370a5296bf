"""Done-when of issue 3: ten different mistakes in five files, all ten reported at once,
each at the right file and line, and no model (so `briefgen validate` exits 1)."""

from __future__ import annotations

from pathlib import Path

from briefgen.load import load_project

PROJECT = Path(__file__).parent / "corpus" / "ten-mistakes"

TEN = [
    ("briefgen.yaml", 10, 15, "unknown template 'polcy-brief'"),
    ("briefgen.yaml", 11, 17, "unknown audience 'eu-policymaker'"),
    ("content/cases.yaml", 4, 13, "status: 'jailed' is not allowed"),
    ("content/cases.yaml", 7, 15, "timeline[0].date '2016-02-30': not a real date"),
    ("content/events.yaml", 5, 15, "end_date 2016-01-18 is before date 2016-01-19"),
    ("content/events.yaml", 8, 17, "unknown person 'anar-mamadli'"),
    ("content/people.yaml", 3, 5, "unknown field 'nmae' in person 'emin-huseynov'"),
    ("content/people.yaml", 7, 5, "person 'rasul-jafarov' has a photo but no photo_alt"),
    ("content/sources.yaml", 5, 10, "url 'iphronline.org/report': must be an http:// or https:// address"),
    (
        "content/sources.yaml",
        6,
        5,
        "duplicate source id 'iphr-report-2015': already used at content/sources.yaml:2:5",
    ),
]


def test_ten_mistakes_in_five_files_are_all_reported_in_place():
    result = load_project(PROJECT)
    assert result.model is None
    got = [(d.location.path, d.location.line, d.location.column) for d in result.errors]
    assert got == [t[:3] for t in TEN], "\n".join(map(str, result.errors))
    for diagnostic, (*_, gist) in zip(result.errors, TEN, strict=True):
        assert gist in diagnostic.message
    assert len({d.location.path for d in result.errors}) == 5


def test_every_line_is_path_line_column_message():
    for diagnostic in load_project(PROJECT).errors:
        path, line, column, message = str(diagnostic).split(":", 3)
        assert path and int(line) >= 1 and int(column) >= 1 and message.strip()
