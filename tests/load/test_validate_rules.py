"""Cross-item rules: warnings, citations, templates, recipients, references in every field."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.load import load_project
from briefgen.model import CITATION_RE


def project(tmp_path: Path, content: str, settings: str = "name: X\n", files: dict | None = None) -> Path:
    (tmp_path / "content").mkdir(parents=True, exist_ok=True)
    (tmp_path / "briefgen.yaml").write_text(settings)
    (tmp_path / "content" / "c.yaml").write_text(content)
    for name, text in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            (tmp_path / name).write_bytes(text)
        else:
            (tmp_path / name).write_text(text)
    return tmp_path


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("[@iphr-2015]", [("iphr-2015", None)]),
        ("see [@iphr-2015, p. 12] and [@other]", [("iphr-2015", "p. 12"), ("other", None)]),
        ("[@iphr-2015 ,pp. 3-4 ]", [("iphr-2015", "pp. 3-4")]),
        ("mail press@iphr.org or [press@iphr.org]", []),
        ("an escaped \\[@not-cited]", []),
        ("a link [@iphr](https://twitter.com/iphr)", []),
        ("[@Mistyped_Id]", [("Mistyped_Id", None)]),  # reported as unknown, never printed raw
        ("[@]", []),
    ],
)
def test_citation_re(text, found):
    assert [(m.group(1), m.group(2)) for m in CITATION_RE.finditer(text)] == found


PEOPLE = "people:\n  - id: p\n    name: P\n"


def test_unused_items_and_cases_without_sources_are_warnings(tmp_path):
    content = (
        PEOPLE + "  - id: lonely\n    name: L\n"
        "organisations:\n  - id: o\n    name: O\n"
        "sources:\n  - id: s\n    title: S\n"
        "cases:\n  - id: c\n    subjects: [p]\n    status: exiled\n    summary: S\n"
    )
    result = load_project(project(tmp_path, content))
    assert result.errors == [] and result.model is not None
    got = [(d.location.line, d.message) for d in result.warnings]
    assert got == [
        (4, "person 'lonely' is not used: nothing refers to it"),
        (7, "organisation 'o' is not used: nothing refers to it"),
        (10, "source 's' is not used: nothing refers to it"),
        (13, "case 'c' is not used: nothing refers to it"),
        (13, "case 'c' names no sources"),
    ]
    assert str(result.warnings[0]).startswith("content/c.yaml:4:5: warning: person 'lonely' is not used")


@pytest.mark.parametrize(
    "mistake",
    [
        # a misspelt collection: the recommendations that name the organisation are not loaded
        "recomendations:\n  - id: r\n    text: Ask.\n    addressees: [o]\n",
        # a reference that is no id (a Cyrillic а): the person it meant looks unused
        "recommendations:\n  - id: r\n    text: Ask.\n    addressees: [о]\n",
    ],
)
def test_no_item_is_called_unused_while_the_project_has_errors(tmp_path, mistake):
    # What refers to the item may be what failed: "organisation 'o' is not used" sent the
    # user to the wrong place.
    content = "organisations:\n  - id: o\n    name: O\n" + mistake
    result = load_project(project(tmp_path, content))
    assert result.errors
    assert not [d for d in result.warnings if "is not used" in d.message]
    alone = load_project(project(tmp_path / "alone", "organisations:\n  - id: o\n    name: O\n"))
    assert [d.message for d in alone.warnings] == ["organisation 'o' is not used: nothing refers to it"]


def test_citations_timeline_sources_and_brief_all_count_as_use(tmp_path):
    content = (
        PEOPLE + "sources:\n  - id: s\n    title: S\n  - id: t\n    title: T\n"
        "cases:\n  - id: c\n    subjects: [p]\n    status: exiled\n    summary: As [@s] says.\n"
        "  - id: d\n    subjects: [p]\n    status: exiled\n    summary: S\n"
        "    timeline:\n      - {date: 2015, type: other, text: x, source: t}\n"
    )
    settings = "name: X\nbriefs:\n  - id: b\n    template: policy-brief\n    cases: all\n"
    result = load_project(project(tmp_path, content, settings))
    assert result.diagnostics == []


def test_references_from_every_reference_field(tmp_path):
    content = """\
people:
  - id: p
    name: P
    affiliations: [{organisation: nope-org}]
cases:
  - id: c
    subjects: [nope-person]
    status: exiled
    summary: S
    sources: [nope-source]
    timeline: [{date: 2015, type: other, text: x, source: nope-source2}]
events:
  - id: e
    title: E
    date: 2016-01-19
    organisers: [nope-org2]
    moderator: nope-mod
    speakers: [{person: nope-speaker}]
    cases: [nope-case]
    publications: [nope-pub]
    recommendations: [nope-rec]
recommendations:
  - id: r
    text: R
    addressees: [nope-addressee]
    cases: [nope-case2]
    made_at: nope-event
    made_by: [nope-author]
sources:
  - id: s
    title: S
    publisher: nope-publisher
recipients:
  - id: x
    name: X
    organisation: nope-recipient-org
"""
    settings = """\
name: X
publisher: nope-project-publisher
audiences:
  - id: a
    addressees: [nope-audience-addressee]
"""
    errors = load_project(project(tmp_path, content, settings)).errors
    unknown = sorted(d.message.split("'")[1] for d in errors if d.message.startswith("unknown "))
    assert unknown == sorted(
        [
            "nope-org", "nope-person", "nope-source", "nope-source2", "nope-org2", "nope-mod",
            "nope-speaker", "nope-case", "nope-pub", "nope-rec", "nope-addressee", "nope-case2",
            "nope-event", "nope-author", "nope-publisher", "nope-recipient-org",
            "nope-project-publisher", "nope-audience-addressee",
        ]
    )  # fmt: skip
    assert len(errors) == len(unknown)


def test_references_to_items_with_errors_are_not_unknown(tmp_path):
    # the person has a mistake of its own; the case's reference to it is not another error
    content = (
        "people:\n  - id: p\n    nmae: P\ncases:\n  - {id: c, subjects: [p], status: exiled, summary: S}\n"
    )
    errors = load_project(project(tmp_path, content)).errors
    assert [(d.location.line, d.message.split(" in ")[0]) for d in errors] == [
        (2, "person 'p' is missing the required field 'name'"),
        (3, "unknown field 'nmae'"),
    ]


def test_implicit_public_audience(tmp_path):
    settings = "name: X\nbriefs:\n  - id: b\n    template: policy-brief\n    audiences: [public]\n"
    assert load_project(project(tmp_path, "", settings)).errors == []


def test_project_templates_any_audience_folder(tmp_path):
    settings = "name: X\nbriefs:\n  - id: b\n    template: mine\n  - id: c\n    template: theirs\n"
    files = {"templates/mine.html.j2": "x", "templates/partners/theirs.html.j2": "y"}
    assert load_project(project(tmp_path, "", settings, files)).errors == []


def test_event_summary_with_its_event(tmp_path):
    settings = "name: X\nbriefs:\n  - id: b\n    template: event-summary\n    event: e\n"
    content = "events:\n  - id: e\n    title: E\n    date: 2016-01-19\n"
    assert load_project(project(tmp_path, content, settings)).errors == []


def tiny_jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2, 2), (90, 90, 90)).save(out, "JPEG")
    return out.getvalue()


def test_photo_alt_may_not_be_empty(tmp_path):
    content = "people:\n  - id: p\n    name: P\n    photo: p.jpg\n    photo_alt:\n"
    files = {"assets/p.jpg": tiny_jpeg()}  # a real image: only the missing alt text is wrong
    errors = load_project(project(tmp_path, content, files=files)).errors
    assert [(d.location.line, d.message) for d in errors] == [(4, "person 'p' has a photo but no photo_alt")]


def test_citation_position_in_folded_text(tmp_path):
    content = PEOPLE + "    bio: >-\n      First line,\n      then [@nope, p. 2] here.\n"
    [problem] = load_project(project(tmp_path, content)).errors
    assert (problem.location.line, problem.location.column) == (6, 12)


def test_unknown_reference_without_a_close_id(tmp_path):
    content = "cases:\n  - {id: c, subjects: [zzz], status: exiled, summary: S}\n"
    [problem] = load_project(project(tmp_path, content)).errors
    assert problem.message == "unknown person 'zzz': there is no person with this id in people"
    assert problem.hint == "define it under 'people:', or correct the id"


@pytest.mark.parametrize(
    ("mistake", "place"),
    [
        ("timezone: Europe/Minks", (6, 15)),  # a misspelt time zone
        ("organisers: [nobody]", (6, 18)),  # an unknown reference
        ("location: [a, b]", (6, 15)),  # a wrong type
    ],
)
def test_an_event_that_ends_before_it_starts_is_reported_beside_its_other_mistakes(tmp_path, mistake, place):
    """The order of date and end_date (time and end_time) was checked only on an event
    without other errors, so fixing a misspelt time zone revealed a second mistake."""
    event = "  - id: {}\n    title: E\n    date: 2024-01-10\n    {}\n    {}\n"
    content = "events:\n" + event.format("e", "end_date: 2024-01-09", mistake)
    content += event.format("f", 'time: "16:00"\n    end_time: "15:00"', mistake)
    errors = load_project(project(tmp_path, content)).errors
    found = [(d.location.line, d.location.column, d.message) for d in errors]
    assert (5, 15, "end_date 2024-01-09 is before date 2024-01-10") in found, found
    assert (11, 15, "end_time 15:00 is before time 16:00 on the same day") in found, found
    assert place in [(line, column) for line, column, _ in found], found
    assert len(found) == 4, found


def test_event_order_is_checked_only_between_valid_values(tmp_path):
    content = (
        "events:\n  - id: e\n    title: E\n    date: 2024-01-10\n    end_date: 2024-01-11\n"
        '    time: "16:00"\n    end_time: "15:00"\n'  # over two days: fine
        "  - id: f\n    title: F\n    date: 2024-02-30\n    end_date: 2024-01-09\n"  # no real date
        '    time: "4pm"\n    end_time: "15:00"\n'
    )
    errors = load_project(project(tmp_path, content)).errors
    assert [(d.location.line, d.message.split(":")[0]) for d in errors] == [
        (10, "date '2024-02-30'"),
        (12, "time '4pm'"),
    ]


@pytest.mark.parametrize(
    ("code", "message", "hint"),
    [
        ("UK", "not an ISO 3166-1 alpha-2 country code", "did you mean GB?"),
        ("EL", "not an ISO 3166-1 alpha-2 country code", "did you mean GR?"),
        ("AB", "not an ISO 3166-1 alpha-2 country code", "ISO 3166-1 alpha-2 codes"),
        ("XX", "not an ISO 3166-1 alpha-2 country code", "ISO 3166-1 alpha-2 codes"),
        ("ZZ", "not an ISO 3166-1 alpha-2 country code", "ISO 3166-1 alpha-2 codes"),
        ("EU", "not an ISO 3166-1 alpha-2 country code", "ISO 3166-1 alpha-2 codes"),
        ("be", "in capitals", "write it in capitals: BE"),
        ("Belgium", "in capitals", "did you mean BE?"),
    ],
)
def test_a_country_code_must_be_a_real_one(tmp_path, code, message, hint):
    content = f"organisations:\n  - id: o\n    name: O\n    country: {code}\nrecipients:\n"
    content += f"  - {{id: r, name: R, country: {code}}}\n"
    errors = load_project(project(tmp_path, content)).errors
    assert [(d.location.line, d.location.column) for d in errors] == [(4, 14), (6, 31)]
    for problem in errors:
        assert problem.message.startswith(f"country '{code}': ") and message in problem.message
        assert hint in (problem.hint or "")


@pytest.mark.parametrize("code", ["GB", "BE", "AZ", "BY", "NO", "XK", "PS", "TW"])
def test_real_country_codes_and_kosovo_are_accepted(tmp_path, code):
    content = f"organisations:\n  - {{id: o, name: O, country: {code}}}\n"
    assert load_project(project(tmp_path, content)).errors == []


SECRET_EVENT = (
    "events:\n  - id: ev\n    title: SECRETEVENTTITLE\n    location: SECRETLOCATION\n"
    "    date: 2024-01-10\n    sensitivity: {}\n"
)
AUDIENCES = (
    "name: X\naudiences:\n  - id: pub\n  - id: partners\n    clearance: internal\n"
    "  - id: staff\n    clearance: confidential\n"
)


def test_an_event_summary_for_an_audience_not_cleared_for_its_event(tmp_path):
    """Removed for that audience, the event left the template nothing: a template error at
    base.html.j2 ("nothing (None) has no field 'title'"). It is a content error at the
    brief's event, naming ids and levels only."""
    settings = AUDIENCES + "briefs:\n  - id: es\n    template: event-summary\n    event: ev\n"
    settings += "    audiences: [pub, partners, staff]\n"
    result = load_project(project(tmp_path, SECRET_EVENT.format("confidential"), settings))
    found = [(d.location.path, d.location.line, d.location.column, d.message) for d in result.errors]
    assert found == [
        (
            "briefgen.yaml",
            11,
            12,
            "audience 'partners' (clearance internal) may not see event 'ev' (sensitivity "
            "confidential), which brief 'es' summarises",
        ),
        (
            "briefgen.yaml",
            11,
            12,
            "audience 'pub' (clearance public) may not see event 'ev' (sensitivity confidential), "
            "which brief 'es' summarises",
        ),
    ]
    assert result.errors[1].hint == (
        "raise the clearance of 'pub' to confidential, lower the sensitivity of event 'ev', "
        "or drop 'pub' from the brief's audiences"
    )
    assert "SECRET" not in " ".join(str(d) for d in result.diagnostics)


def test_an_event_summary_without_audiences_is_for_the_public(tmp_path):
    settings = AUDIENCES + "briefs:\n  - id: es\n    template: event-summary\n    event: ev\n"
    [problem] = load_project(project(tmp_path, SECRET_EVENT.format("internal"), settings)).errors
    assert problem.message.startswith("audience 'public' (clearance public) may not see event 'ev'")
    assert "list the brief's audiences, cleared for internal" in problem.hint


def test_an_event_summary_for_cleared_audiences_only_is_fine(tmp_path):
    settings = AUDIENCES + "briefs:\n  - id: es\n    template: event-summary\n    event: ev\n"
    settings += "    audiences: [partners, staff]\n"
    assert load_project(project(tmp_path, SECRET_EVENT.format("internal"), settings)).errors == []
    # a policy brief may name an event the audience cannot see: only its cases are used
    settings = AUDIENCES + "briefs:\n  - id: pb\n    template: policy-brief\n    event: ev\n"
    assert load_project(project(tmp_path, SECRET_EVENT.format("confidential"), settings)).errors == []
