"""The corpus of broken content: one small project per mistake, each error at its exact place.

Every project under corpus/ (except valid/) must give exactly the errors listed here: the
relative path, line, column and the gist of the message. Warnings are checked elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.load import load_project

CORPUS = Path(__file__).parent / "corpus"

# project -> [(path, line, column, gist of the message), ...]
EXPECTED: dict[str, list[tuple[str, int, int, str]]] = {
    "yaml-tab": [("content/people.yaml", 3, 1, "YAML syntax error: found a tab character")],
    "yaml-colon": [("content/sources.yaml", 3, 31, "YAML syntax error: mapping values are not allowed")],
    "yaml-anchors": [
        ("content/organisations.yaml", 3, 11, "YAML anchors ('&name') are not supported"),
        ("content/organisations.yaml", 5, 11, "YAML aliases ('*name') are not supported"),
        ("content/organisations.yaml", 6, 5, "YAML anchors ('&base') are not supported"),
        ("content/organisations.yaml", 9, 5, "YAML merge keys ('<<') are not supported"),
        ("content/organisations.yaml", 9, 9, "YAML aliases ('*base') are not supported"),
    ],
    "yaml-python-tag": [
        ("content/people.yaml", 3, 11, "tag '!!python/object/apply:os.system' is not allowed"),
        ("content/people.yaml", 5, 11, "YAML tags such as '!!str' are not allowed"),
    ],
    "yaml-duplicate-key": [("content/people.yaml", 5, 5, "duplicate key 'name' (first written at line 3)")],
    "yaml-two-documents": [("content/people.yaml", 4, 1, "a content file holds one YAML document")],
    "not-utf8": [("content/people.yaml", 3, 17, "not UTF-8 text (byte 0xFC")],
    "control-character": [("content/people.yaml", 3, 16, "control character U+0007")],
    "unknown-collection": [
        ("content/cases.yaml", 1, 1, "unknown collection 'case'"),
        ("content/cases.yaml", 3, 1, "unknown collection 'persons'"),
    ],
    "unknown-key": [
        ("content/people.yaml", 6, 9, "unknown field 'rol' in affiliations[0] of person 'emin'"),
        ("content/people.yaml", 7, 5, "unknown field 'biography' in person 'emin'"),
    ],
    "wrong-type": [
        ("content/cases.yaml", 3, 11, "name: expected text, or a mapping from language code to text"),
        ("content/cases.yaml", 6, 15, "subjects: expected a list, but found 'emin'"),
        ("content/cases.yaml", 10, 14, "sentence.years: expected a whole number, but found 'seven'"),
        ("content/cases.yaml", 11, 18, "sentence.suspended: expected true or false, but found 'maybe'"),
        ("content/cases.yaml", 14, 9, "charges[0].description: expected text"),
    ],
    "missing-required": [
        ("content/cases.yaml", 5, 5, "case 'emin-case' is missing the required field 'status'"),
        (
            "content/cases.yaml",
            9,
            9,
            "charges[0] of case 'emin-case' is missing the required field 'description'",
        ),
        ("content/cases.yaml", 10, 5, "this case is missing the required field 'id'"),
    ],
    "id-not-slug": [
        ("content/people.yaml", 2, 9, "id 'Emin_Huseynov': an id must be a lowercase slug"),
        ("content/people.yaml", 4, 9, "an id may have at most 64 characters, this one has 69"),
        ("content/people.yaml", 6, 12, "tags[0] 'Journalist': an id must be a lowercase slug"),
    ],
    "duplicate-id": [
        ("content/b.yaml", 4, 5, "duplicate person id 'emin': already used at content/a.yaml:2:5"),
    ],
    "unknown-reference": [
        (
            "content/content.yaml",
            9,
            31,
            "unknown person 'emin-husenov': there is no person with this id in people",
        ),
        ("content/content.yaml", 12, 15, "unknown source 'no-such-report'"),
        ("content/content.yaml", 16, 18, "unknown organisation 'european-parliment'"),
        (
            "content/content.yaml",
            17,
            14,
            "unknown event 'no-event': there is no event with this id in events",
        ),
    ],
    "impossible-date": [
        ("content/events.yaml", 4, 11, "date '2016-02-30': not a real date (day is out of range for month)"),
        ("content/events.yaml", 8, 11, "date '2015-13': not a real date"),
        ("content/events.yaml", 9, 15, "accessed '19.01.2016': must be a date written YYYY-MM-DD"),
    ],
    "end-date-before-date": [
        ("content/events.yaml", 5, 15, "end_date 2016-01-18 is before date 2016-01-19"),
    ],
    "unknown-vocabulary": [
        ("content/cases.yaml", 7, 13, "status: 'jailed' is not allowed; use one of: detained, imprisoned,"),
        ("content/cases.yaml", 11, 15, "timeline[0].type: 'arrested' is not allowed; use one of: arrest,"),
        (
            "content/cases.yaml",
            13,
            18,
            "sensitivity: 'secret' is not allowed; use one of: public, internal, confidential",
        ),
    ],
    "photo-without-alt": [("content/people.yaml", 4, 5, "person 'emin' has a photo but no photo_alt")],
    "asset-paths": [
        ("content/organisations.yaml", 4, 11, "'../briefgen.yaml' leads out of assets/"),
        ("content/organisations.yaml", 7, 11, "'/etc/passwd' is an absolute path"),
        (
            "content/organisations.yaml",
            10,
            11,
            "'logos/ipr.png' names a missing file: assets/logos/ipr.png does not exist",
        ),
        ("content/organisations.yaml", 13, 11, "'logos' is a folder, not a file"),
    ],
    "unknown-citation": [
        ("briefgen.yaml", 5, 21, "citation [@iphr-reprt] names no source"),
        ("briefgen.yaml", 8, 20, "citation [@no-such-source] names no source"),
        ("content/content.yaml", 10, 31, "citation [@missing-report] names no source"),
    ],
    "brief-references": [
        ("briefgen.yaml", 7, 12, "unknown event 'justice-behind-bar'"),
        ("briefgen.yaml", 8, 17, "unknown audience 'eu-policymaker'"),
        ("briefgen.yaml", 9, 13, "unknown case 'emin-cas': there is no case with this id in cases"),
        ("briefgen.yaml", 10, 23, "unknown recommendation 'free-them'"),
        ("briefgen.yaml", 11, 18, "unknown recipient 'jane-do'"),
        ("briefgen.yaml", 14, 30, "no recipient has the tag 'meps'"),
    ],
    "templates": [
        ("briefgen.yaml", 4, 15, "unknown template 'polcy-brief': it is not built in"),
        ("briefgen.yaml", 6, 15, "brief 'two' uses the template event-summary but names no event"),
        ("briefgen.yaml", 10, 15, "template '../../etc/passwd' is not a template name"),
    ],
    "settings": [
        ("briefgen.yaml", 2, 11, "unknown language 'xx'"),
        ("briefgen.yaml", 3, 12, "unknown organisation 'iphr'"),
        ("briefgen.yaml", 6, 16, "audiences[0].clearance: 'secret' is not allowed"),
        ("briefgen.yaml", 7, 5, "audience id 'eu' is used twice (first at line 5)"),
        ("briefgen.yaml", 12, 21, "unknown language 'qq'"),
        ("briefgen.yaml", 13, 20, "briefs[0].formats[1]: 'odt' is not allowed; use one of: pdf, docx, html"),
        ("briefgen.yaml", 14, 5, "brief id 'one' is used twice (first at line 10)"),
        ("briefgen.yaml", 16, 5, "unknown field 'titel' in brief 'one'"),
    ],
    "missing-settings": [("briefgen.yaml", 1, 1, "briefgen.yaml not found")],
    "structure": [
        ("content/people.yaml", 2, 3, "people must be a list of items, but this is a mapping"),
        ("content/people.yaml", 5, 5, "each entry of cases must be a mapping"),
    ],
    "yaml-missing-dash": [
        ("content/cases.yaml", 10, 9, "'date' starts a new entry here, but the line has no '- '")
    ],
    "yaml-over-indented": [
        ("content/cases.yaml", 9, 11, "'text:' is indented further than the line above it")
    ],
    "yaml-unclosed-quote": [
        ("content/people.yaml", 11, 11, 'the quote " opened here is not closed on this line')
    ],
    "yaml-invisible-space": [
        ("content/people.yaml", 5, 1, "a non-breaking space (U+00A0) in the indentation of this line")
    ],
    "id-foreign-letter": [
        ("content/people.yaml", 2, 25, "'ŭ' (U+016D LATIN SMALL LETTER U WITH BREVE) is not allowed"),
        ("content/people.yaml", 4, 22, "'і' (U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I) is not"),
        ("content/people.yaml", 6, 25, "'ў' (U+045E CYRILLIC SMALL LETTER SHORT U) is not allowed"),
        ("content/people.yaml", 10, 16, "unknown person 'ales-bialiacki'"),
    ],
    "all-outside-briefs": [("content/content.yaml", 8, 12, "cases: expected a list, but found 'all'")],
    "letter-mistakes": [
        ("briefgen.yaml", 9, 5, "brief 'no-recipients' has a letter but no recipients"),
        ("briefgen.yaml", 17, 27, "unknown person 'ghost'"),
        ("briefgen.yaml", 17, 34, "signatory 'secret-adviser' is confidential, but the audience 'officials'"),
        ("briefgen.yaml", 19, 26, "unknown placeholder {recipient.nmae} in the letter"),
        ("briefgen.yaml", 20, 27, "unknown placeholder {recipient} in the letter"),
    ],
    "case-records": [  # content format 1.2
        ("content/content.yaml", 7, 13, "gender: 'woman' is not allowed; use one of: female, male, other"),
        (
            "content/content.yaml",
            9,
            9,
            "affiliations[0]: an affiliation needs an organisation, a role or both",
        ),
        (
            "content/content.yaml",
            18,
            22,
            "detention.lawyer_access: 'sometimes' is not allowed; use one of: none, restricted, regular",
        ),
        ("content/content.yaml", 20, 13, "unknown organisation 'viasnaa': there is no organisation"),
        ("content/content.yaml", 23, 13, "recognitions[1].as: 'prisoner' is not allowed"),
        ("content/content.yaml", 31, 11, "time '25:00': not a real time of day"),
        ("content/content.yaml", 33, 15, "timezone 'Europe/Minks': must be an IANA time zone name"),
        ("content/content.yaml", 39, 15, "end_time 12:30 is before time 14:00 on the same day"),
    ],
    "yaml-surprises": [
        ("content/content.yaml", 14, 36, "sentence.months: expected a whole number, but found '0x1'"),
        ("content/content.yaml", 20, 9, "contacts[0].name: expected text, but found nothing"),
        ("content/content.yaml", 25, 15, "authors[0]: expected text, but found nothing"),
        ("content/content.yaml", 25, 21, "authors[1]: expected text, but found nothing"),
    ],
}

# Hints that make a message actionable, checked for some of the projects above.
HINTS = {
    ("yaml-tab", 3): "indent with spaces, never tabs",
    ("yaml-colon", 3): "a value that contains ': ' must be put in quotes",
    ("yaml-python-tag", 5): 'put it in quotes, e.g. reference: "012345"',
    ("unknown-collection", 1): "did you mean 'cases'?",
    ("unknown-key", 6): "did you mean 'role'?",
    ("wrong-type", 6): "write a list: [emin]",
    ("missing-required", 5): "required: id, subjects, status, summary",
    ("unknown-reference", 9): "did you mean 'emin-huseynov'?",
    ("unknown-reference", 16): "did you mean 'european-parliament'?",
    ("unknown-vocabulary", 11): "did you mean 'arrest'?",
    ("asset-paths", 10): "did you mean 'logos/iphr.png'?",
    ("brief-references", 7): "did you mean 'justice-behind-bars'?",
    ("brief-references", 14): "did you mean 'mep'?",
    ("templates", 4): "did you mean 'policy-brief'?",
    ("settings", 16): "did you mean 'title'?",
    ("photo-without-alt", 4): "add photo_alt",
    ("yaml-missing-dash", 10): "write '- date: ...' with the dash at column 7",
    ("yaml-over-indented", 9): "indent 'text:' by 8 spaces, lined up with 'type:'",
    ("yaml-unclosed-quote", 11): 'closing " on line 11: name: "Intigam Aliyev"',
    ("yaml-invisible-space", 5): "type ordinary spaces",
    ("id-foreign-letter", 2): "write 'maryja-kalesnikaua'",
    ("id-foreign-letter", 6): "write 'siarhiej-cichanouski'",
    (
        "id-foreign-letter",
        10,
    ): "content/people.yaml:4:9 has the id 'ales-bialiackі', which is not valid: correct it to",
    ("all-outside-briefs", 8): "list the ids one by one",
    ("letter-mistakes", 9): "add 'recipients: all'",
    ("letter-mistakes", 19): "did you mean 'recipient.name'?",
    ("case-records", 20): "did you mean 'viasna'?",
    ("case-records", 23): "did you mean 'political-prisoner'?",
}

# Hints that would do harm if followed: the fix they suggest loses content or fails again.
MISLEADING = {
    ("yaml-missing-dash", 10): "keep one of them",
    ("yaml-over-indented", 9): "quotes",
    ("all-outside-briefs", 8): "[all]",
}


def test_every_corpus_project_is_listed():
    projects = {p.name for p in CORPUS.iterdir() if p.is_dir()} - {"valid", "ten-mistakes"}
    assert projects == set(EXPECTED)


@pytest.mark.parametrize("project", sorted(EXPECTED))
def test_corpus_project_reports_each_error_at_its_place(project):
    result = load_project(CORPUS / project)
    assert result.model is None
    got = [(d.location.path, d.location.line, d.location.column, d.message) for d in result.errors]
    expected = EXPECTED[project]
    assert [g[:3] for g in got] == [e[:3] for e in expected], "\n".join(str(d) for d in result.errors)
    for (_, _, _, message), (_, _, _, gist) in zip(got, expected, strict=True):
        assert gist in message


@pytest.mark.parametrize(("project", "line"), sorted(HINTS))
def test_corpus_hints(project, line):
    result = load_project(CORPUS / project)
    hints = [d.hint or "" for d in result.errors if d.location.line == line]
    assert any(HINTS[(project, line)] in hint for hint in hints), hints


@pytest.mark.parametrize(("project", "line"), sorted(MISLEADING))
def test_corpus_hints_never_mislead(project, line):
    result = load_project(CORPUS / project)
    diagnostics = [d for d in result.errors if d.location.line == line]
    assert diagnostics
    for diagnostic in diagnostics:
        assert MISLEADING[(project, line)] not in (diagnostic.hint or ""), str(diagnostic)


def test_did_you_mean_never_suggests_an_invalid_id():
    result = load_project(CORPUS / "id-foreign-letter")
    hints = " ".join(d.hint or "" for d in result.errors)
    assert "did you mean 'ales-bialiackі'" not in hints


def test_diagnostic_line_format():
    result = load_project(CORPUS / "unknown-key")
    assert str(result.errors[0]) == (
        "content/people.yaml:6:9: unknown field 'rol' in affiliations[0] of person 'emin' "
        "(hint: did you mean 'role'?)"
    )


def test_a_syntax_error_hides_no_other_file_but_silences_unknown_references(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "briefgen.yaml").write_text("name: X\n")
    (tmp_path / "content" / "a.yaml").write_text("people:\n  - id: emin\n    name: [unclosed\n")
    (tmp_path / "content" / "b.yaml").write_text(
        "cases:\n  - id: c\n    subjects: [emin]\n    status: exiled\n    summary: S\n    sources: [s]\n"
        "sources:\n  - id: s\n    title: T\n    type: novel\n"
    )
    result = load_project(tmp_path)
    places = [(d.location.path, d.location.line) for d in result.errors]
    # the broken file is reported; the other file's own mistake too; no "unknown person
    # 'emin'", which may well be defined in the file that could not be read
    assert places == [("content/a.yaml", 3), ("content/b.yaml", 10)]
    assert "the [ opened here is never closed" in result.errors[0].message  # at the [, not the end


def test_an_invalid_audience_id_named_by_a_brief_says_how_to_correct_it(tmp_path):
    """briefgen.yaml's audience ids are a list, not the content's id -> entry map: the hint
    for a brief naming `partners` when the audience is written `partners;` was an internal
    error (found by test_load_property's textual mutations)."""
    (tmp_path / "content").mkdir()
    (tmp_path / "briefgen.yaml").write_text(
        "name: X\naudiences:\n  - id: partners;\n    clearance: internal\n"
        "briefs:\n  - id: b\n    template: policy-brief\n    audiences: [partners]\n"
    )
    result = load_project(tmp_path)
    messages = [str(d) for d in result.errors]
    assert not [m for m in messages if "internal error" in m], messages
    hinted = [m for m in messages if "unknown audience 'partners'" in m and "correct it to 'partners'" in m]
    assert hinted, messages
