"""Canaries: a unique string in every field that can be sensitive (tests/fixtures/projects/
canaries), built for public, internal and confidential audiences in PDF, DOCX and HTML.

Each canary must be absent from every output of an audience below its level (read three
ways: briefgen's own check.extract_text, pdfplumber / python-docx / an HTML parser, and the
raw decompressed bytes), and present in the confidential outputs that show it: a positive
control proving the readers can see it. Then the check itself must catch a leak that a
template forces in, fail the build, publish nothing and leave earlier outputs untouched.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import PROJECTS, build, words
from security_support import (
    assert_clean_failure,
    built_canaries,
    readings,
    run_cli,
    snapshot,
    temporaries,
    tiny_png,
)

from briefgen.jobs import job_view
from briefgen.load import load_project
from briefgen.plan import plan_jobs

LEVEL = {"public-readers": 0, "staff": 1, "trusted": 2}
EVERYTHING = "canary-everything"  # its template prints every value it is given


@dataclass(frozen=True)
class Canary:
    value: str
    level: int  # 1 internal, 2 confidential
    shown_in: tuple[str, ...]  # briefs whose confidential output must show it (positive control)
    page_text: bool = True  # False: only in alt text / metadata, not in the page text
    recipient: str | None = None  # only in this recipient's copy


CANARIES = [
    # case notes: internal by default, and confidential
    Canary("CANARY-NOTE-INT-7f3a", 1, ("canary-dossier", EVERYTHING)),
    Canary("CANARY-NOTE-CONF-0b6d", 2, ("canary-dossier", EVERYTHING)),
    # contacts: confidential by default (every field), and internal
    Canary("CANARY-CONTACT-3f8a", 2, ("canary-dossier", EVERYTHING)),
    Canary("CANARY-PHONE-92c4", 2, ("canary-dossier", EVERYTHING)),
    Canary("canary-email-d7e3@example.org", 2, ("canary-dossier", EVERYTHING)),
    Canary("CANARY-INTCONTACT-5b1f", 1, ("canary-dossier", EVERYTHING)),
    # timeline entries
    Canary("CANARY-TIMELINE-INT-4c8b", 1, ("canary-dossier", EVERYTHING)),
    Canary("CANARY-TIMELINE-CONF-e5f1", 2, ("canary-dossier", EVERYTHING)),
    # a whole confidential case
    Canary("CANARY-CASETITLE-8e2a", 2, ("canary-dossier", "canary-event", EVERYTHING)),
    Canary("CANARY-CASESUMMARY-6d0c", 2, ("canary-dossier", "canary-event", EVERYTHING)),
    Canary("CANARY-CHARGE-2a7f", 2, ("canary-dossier", EVERYTHING)),
    # a confidential person referred to from public content: subject, speaker, made_by
    Canary("CANARY-PERSON-2b7e", 2, ("canary-dossier", "canary-event", EVERYTHING)),
    Canary("CANARY-BIO-61f0", 2, (EVERYTHING,)),
    Canary("CANARY-AFFROLE-7d2c", 2, ("canary-event", EVERYTHING)),
    Canary("CANARY-SPEAKERROLE-4e7a", 2, ("canary-event", EVERYTHING)),
    Canary("CANARY-ALT-c3d5", 2, ("canary-dossier", EVERYTHING), page_text=False),
    # an internal person (the event's moderator)
    Canary("CANARY-INTPERSON-1a9e", 1, ("canary-event", EVERYTHING)),
    # a confidential organisation among a public recommendation's addressees
    Canary("CANARY-ORG-9c1d", 2, (EVERYTHING,)),
    Canary("CANARY-ORGSHORT-0e4b", 2, (EVERYTHING,)),
    Canary("CANARY-ORGDESC-5a6c", 2, (EVERYTHING,)),
    # recommendations
    Canary("CANARY-REC-a4b8", 2, ("canary-dossier", "canary-event", EVERYTHING)),
    Canary("CANARY-RECINT-9f3c", 1, ("canary-dossier", EVERYTHING)),
    # a confidential source cited from a public case summary
    Canary("CANARY-SOURCE-b2e9", 2, ("canary-dossier", EVERYTHING)),
    Canary("CANARY-AUTHOR-0c5d", 2, ("canary-dossier", EVERYTHING)),
    Canary("https://example.org/canary-url-7e1b", 2, ("canary-dossier", EVERYTHING)),
    # recipients: only in their own copy, whatever the clearance
    Canary("CANARY-RECIPIENT-ONE-3a5e", 0, ("canary-letter",), recipient="recipient-one"),
    Canary("CANARY-RTITLE-ONE-8c2f", 0, ("canary-letter",), recipient="recipient-one"),
    Canary("CANARY-SALUTE-ONE-1d4b", 0, ("canary-letter",), recipient="recipient-one"),
    Canary("CANARY-RECIPIENT-TWO-6f9a", 0, ("canary-letter",), recipient="recipient-two"),
    Canary("CANARY-RTITLE-TWO-2e8d", 0, ("canary-letter",), recipient="recipient-two"),
    Canary("CANARY-SALUTE-TWO-5c3a", 0, ("canary-letter",), recipient="recipient-two"),
]
PSEUDONYM = "Witness Aleph"


def allowed(canary: Canary, entry: dict) -> bool:
    if canary.recipient is not None:
        return entry["recipient"] == canary.recipient
    return LEVEL[entry["audience"]] >= canary.level


@pytest.fixture(scope="module")
def canary_build(tmp_path_factory) -> tuple[Path, dict, dict]:
    out = tmp_path_factory.mktemp("canary-output")
    manifest = build(PROJECTS / "canaries", out, jobs=2)
    texts = {e["path"]: readings(out / e["path"], e["format"]) for e in manifest["outputs"]}
    return out, manifest, texts


def test_every_audience_format_and_recipient_is_built(canary_build):
    _out, manifest, _texts = canary_build
    made = {(e["brief"], e["audience"], e["format"], e["recipient"]) for e in manifest["outputs"]}
    for brief in ("canary-dossier", EVERYTHING):
        for audience in LEVEL:
            for fmt in ("pdf", "docx", "html"):
                assert (brief, audience, fmt, None) in made
    for recipient in ("recipient-one", "recipient-two"):
        assert ("canary-letter", "trusted", "pdf", recipient) in made
        assert ("canary-letter", "trusted", "docx", recipient) in made


@pytest.mark.parametrize("canary", CANARIES, ids=lambda c: c.value)
def test_canary_absent_below_its_level(canary_build, canary):
    _out, manifest, texts = canary_build
    needle = words(canary.value)
    for entry in manifest["outputs"]:
        if allowed(canary, entry):
            continue
        assert needle not in words(entry["path"]), entry["path"]
        for reader, text in texts[entry["path"]].items():
            assert needle not in text, f"{canary.value} leaked into {entry['path']} (read by {reader})"


@pytest.mark.parametrize("canary", CANARIES, ids=lambda c: c.value)
def test_canary_present_where_cleared(canary_build, canary):
    """Positive control: the same readers do see the canary where the audience may."""
    _out, manifest, texts = canary_build
    needle = words(canary.value)
    checked = 0
    for entry in manifest["outputs"]:
        if entry["brief"] not in canary.shown_in or entry["audience"] != "trusted":
            continue
        if not allowed(canary, entry):
            continue
        reading = texts[entry["path"]]
        assert needle in reading["check"], f"{canary.value} not seen by check.extract_text in {entry['path']}"
        if canary.page_text:
            assert needle in reading["layout"], f"{canary.value} not in the page text of {entry['path']}"
        checked += 1
    assert checked, f"no output shows {canary.value}"


def test_pseudonym_replaces_the_withheld_name(canary_build):
    """The confidential speaker appears under the pseudonym to the lower audiences."""
    _out, manifest, texts = canary_build
    for entry in manifest["outputs"]:
        if entry["brief"] == "canary-event" and entry["audience"] in ("public-readers", "staff"):
            assert words(PSEUDONYM) in texts[entry["path"]]["layout"], entry["path"]
        if entry["audience"] == "trusted":
            assert words(PSEUDONYM) not in texts[entry["path"]]["check"], entry["path"]


def test_select_records_every_canary_for_the_check():
    """Removal happens before templates: no canary above the clearance is in the View the
    template gets, and every one is listed in View.removed, so the check scans for it."""
    model = load_project(PROJECTS / "canaries").model
    assert model is not None
    for job in plan_jobs(model):
        view = job_view(model, job)
        removed = words(" ".join(value for _where, value in view.removed))
        visible = words(" ".join(view.visible))
        entry = {"audience": job.audience_id, "recipient": job.recipient_id}
        for canary in CANARIES:
            if allowed(canary, entry):
                continue
            assert words(canary.value) not in visible, (job.label, canary.value)
            assert words(canary.value) in removed, (job.label, canary.value)


# ---------------------------------------------------------------- the check catches a leak

LEAKY_OVERRIDE = """\
{% extends "builtin/case-dossier.html.j2" %}
{% block content %}
{{ super() }}
<p>Forced into the public copy: CANARY-NOTE-CONF-0b6d is the family's safe house.</p>
{% endblock %}
"""


@pytest.mark.slow
def test_check_catches_a_template_leak_and_publishes_nothing(tmp_path):
    project, out, before = built_canaries(tmp_path)

    override = project / "templates" / "public-readers" / "case-dossier.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text(LEAKY_OVERRIDE, encoding="utf-8")
    result = run_cli("build", str(project), "-o", str(out), "--jobs", "2")
    assert_clean_failure(result, "confidentiality check failed", "cases.open-case.notes[1]")
    for fmt in ("pdf", "docx", "html"):
        assert f"canary-dossier/canary-dossier.public-readers.en.{fmt}" in result.stderr
    assert "nothing was published" in result.stderr
    assert snapshot(out) == before  # earlier outputs and manifest byte-identical
    assert not temporaries(out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["outputs"]) == len(json.loads(before["manifest.json"])["outputs"])


SECRET = "CANARY-NOTE-CONF-0b6d is the family's safe house."  # a whole removed value
LEAK_PLACES = {
    # where a template may put a removed value: each must be found by the check
    "metadata": "{% block keywords %}human rights, " + SECRET + "{% endblock %}",
    "link-target": '{% block cover_extra %}<p><a href="https://example.org/CANARY-NOTE-CONF-0b6d/is/the/'
    "family's/safe/house\">a link</a></p>{% endblock %}",
    # (Not the withheld person's photo: the resource reader refuses that file itself.)
    "alt-text": '{% block cover_extra %}<figure><img src="assets/photos/picture.png" alt="'
    + SECRET
    + '"><figcaption>A picture</figcaption></figure>{% endblock %}',
    "bookmark": '{% block cover_extra %}<h1 id="x" style="bookmark-label: \''
    + SECRET.replace("'", "\\'")
    + "'\">Notes</h1>{% endblock %}",
    "markdown-split": "{% block cover_extra %}<p>CANARY-NOTE-CONF-<em>0b6d</em> is the fam-<br>ily's "
    "<strong>safe</strong> house</p>{% endblock %}",
}


@pytest.mark.slow
@pytest.mark.parametrize("place", sorted(LEAK_PLACES))
def test_check_reads_every_place_a_value_can_hide(tmp_path, place):
    """The same leak in metadata, a link target, alt text, a bookmark, split by markup."""
    from briefgen.build import BuildOptions, build_project
    from briefgen.diagnostics import ProjectError

    project = tmp_path / "canaries"
    shutil.copytree(PROJECTS / "canaries", project)
    (project / "assets" / "photos" / "picture.png").write_bytes(tiny_png())
    override = project / "templates" / "public-readers" / "case-dossier.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text(
        '{% extends "builtin/case-dossier.html.j2" %}\n' + LEAK_PLACES[place], encoding="utf-8"
    )
    out = tmp_path / "out"
    with pytest.raises(ProjectError) as failure:
        build_project(project, BuildOptions(out=out, briefs=["canary-dossier"], audiences=["public-readers"]))
    messages = [str(d) for d in failure.value.diagnostics if d.is_error]
    for fmt in ("pdf", "html") if place == "bookmark" else ("pdf", "docx", "html"):
        assert any(
            f"canary-dossier.public-readers.en.{fmt}" in m and "cases.open-case.notes[1]" in m
            for m in messages
        ), (fmt, messages)
    assert not (out / "canary-dossier" / "canary-dossier.public-readers.en.pdf").exists()
    assert not temporaries(out) if out.exists() else True
