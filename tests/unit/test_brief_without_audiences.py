"""A brief that names no audiences, in a project that defines audiences, is built for the
implicit public audience: validate and build treat it as they treat a project without
audiences (it used to stop `validate` with KeyError 'public')."""

from __future__ import annotations

import subprocess
import sys

from conftest import copy_project_with

from briefgen.jobs import job_view
from briefgen.load import load_project
from briefgen.model import IMPLICIT_AUDIENCE
from briefgen.plan import plan_jobs


def without_audiences(tmp_path):
    dossier = "    template: case-dossier\n    audiences: [public-readers]\n"
    return copy_project_with("small", tmp_path, "briefgen.yaml", dossier, "    template: case-dossier\n")


def test_its_view_is_the_implicit_public_audience(tmp_path):
    model = load_project(without_audiences(tmp_path)).model
    assert model is not None and model.project.audiences
    jobs = [j for j in plan_jobs(model) if j.brief_id == "small-dossier"]
    assert [j.audience_id for j in jobs] == [IMPLICIT_AUDIENCE.id]
    view = job_view(model, jobs[0])
    assert view.audience.clearance == "public"
    # the other briefs keep the audience they name
    other = next(j for j in plan_jobs(model) if j.brief_id == "small-brief")
    assert job_view(model, other).audience.id == "public-readers"


def test_validate_reports_no_crash(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "validate", "--no-cache", str(without_audiences(tmp_path))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "valid (0 warning(s))" in result.stdout
