"""plan and publish: which outputs a build makes, and how they reach the output folder."""

from __future__ import annotations

import json

import pytest
from conftest import PROJECTS

from briefgen.load import load_project
from briefgen.plan import Job, UsageError, plan_jobs
from briefgen.publish import TEMP_MARK, Publisher, TempOutput, final_name


@pytest.fixture(scope="module")
def audiences_model():
    return load_project(PROJECTS / "audiences").model


def test_recipients_get_one_copy_each_in_their_language_when_offered(audiences_model):
    jobs = [j for j in plan_jobs(audiences_model) if j.brief_id == "mailing"]
    assert {(j.audience_id, j.recipient_id, j.language) for j in jobs} == {
        (a, r, lang)
        for a in ("officials", "partners")
        for r, lang in (("anna-recipient", "en"), ("boris-adresatov", "ru"), ("claire-destinataire", "en"))
    }


def test_narrowing_and_unknown_names(audiences_model):
    jobs = plan_jobs(audiences_model, briefs=["overview"], languages=["ru"], formats=["pdf"])
    assert [(j.audience_id, j.formats) for j in jobs] == [("officials", ("pdf",)), ("partners", ("pdf",))]
    for kind, value in (("briefs", "nope"), ("audiences", "nope"), ("languages", "xx"), ("formats", "odt")):
        with pytest.raises(UsageError, match=r"nope|xx|odt"):
            plan_jobs(audiences_model, **{kind: [value]})


def test_file_names_are_made_of_ids():
    job = Job("my-brief", "partners", "ru", ("pdf",), "anna-recipient")
    assert job.relpath("pdf") == "my-brief/my-brief.partners.ru.anna-recipient.pdf"


def test_publish_is_all_or_nothing_and_names_stay_inside(tmp_path):
    publisher = Publisher(tmp_path)
    job = Job("b", "a", "en", ("pdf",))
    temp = publisher.temp_path(job.relpath("pdf"))
    assert temp.name.startswith(TEMP_MARK) and final_name(temp) == "b.a.en.pdf"
    temp.write_bytes(b"%PDF-1.7 new")
    with pytest.raises(ValueError):
        publisher.target("../outside.pdf")
    manifest = publisher.publish([TempOutput(job, "pdf", job.relpath("pdf"), temp, 1)], version="1.0.0")
    assert not temp.exists()
    assert (tmp_path / "b/b.a.en.pdf").read_bytes() == b"%PDF-1.7 new"
    [entry] = manifest["outputs"]
    assert entry["pages"] == 1 and entry["bytes"] == 12 and entry["recipient"] is None
    assert json.loads((tmp_path / "manifest.json").read_text()) == manifest


def test_manifest_drops_outputs_the_project_no_longer_defines(tmp_path):
    publisher = Publisher(tmp_path)
    for stem in ("old", "kept"):
        job = Job(stem, "a", "en", ("pdf",))
        temp = publisher.temp_path(job.relpath("pdf"))
        temp.write_bytes(b"x")
        publisher.publish([TempOutput(job, "pdf", job.relpath("pdf"), temp)], version="1")
    manifest = publisher.publish([], version="1", defined={"kept/kept.a.en.pdf"})
    assert [e["path"] for e in manifest["outputs"]] == ["kept/kept.a.en.pdf"]


def test_sweep_removes_leftovers_of_a_killed_build(tmp_path):
    publisher = Publisher(tmp_path)
    stale = publisher.temp_path("b/b.a.en.html")
    stale.write_text("half")
    folder = stale.with_name(stale.name + "_files")
    (folder / "assets").mkdir(parents=True)
    (folder / "assets" / "x.png").write_bytes(b"png")
    publisher.sweep_temporaries()
    assert list(tmp_path.rglob("*")) == [tmp_path / "b"]
