"""The draft view's HTML, as the preview worker drafts it, is the HTML `build` publishes, byte
for byte, for documents with and without a table of contents; a template error in a draft is a
PATH:LINE:COLUMN line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO
from serve_support import make_project

from briefgen.build import BuildOptions, build_project
from briefgen.load import load_project
from briefgen.plan import plan_jobs
from briefgen.serve.draft import has_contents
from briefgen.serve.preview_worker import PreviewWorker

pytestmark = pytest.mark.slow  # builds


@pytest.fixture
def preview_worker():
    worker = PreviewWorker()
    worker.start()
    yield worker
    worker.stop()
    worker._end()


@pytest.mark.parametrize("project", ["starter", "repository"])
def test_draft_is_the_built_html(tmp_path, project, preview_worker):
    root = make_project(tmp_path / "project") if project == "starter" else REPO
    out = tmp_path / "out"
    model = load_project(root).model
    jobs = [j for j in plan_jobs(model) if project == "starter" or j.brief_id.endswith(("brief", "dossier"))]
    job = jobs[0]
    build_project(root, BuildOptions(out=out, formats=["html"], stems=frozenset([job.stem])))
    built = out / job.relpath("html")
    assert has_contents(built) is (project == "repository")  # both sides of the contents decision
    target = tmp_path / "drafts" / job.relpath("html")
    assert preview_worker.draft(model, job, target, has_contents(built)) == []
    assert target.read_bytes() == built.read_bytes()
    shipped = sorted(p.relative_to(built.parent) for p in built.parent.rglob("*") if p.is_file())
    drafted = sorted(p.relative_to(target.parent) for p in target.parent.rglob("*") if p.is_file())
    assert drafted == shipped  # the same images and fonts, in the same _files folder


def test_draft_template_error(tmp_path, preview_worker):
    root = make_project(tmp_path / "project")
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "policy-brief.html.j2").write_text(
        '{% extends "builtin/policy-brief.html.j2" %}\n{% block x %}{{ }}{% endblock %}\n',
        encoding="utf-8",
    )
    model = load_project(root).model
    job = plan_jobs(model)[0]
    errors = preview_worker.draft(model, job, tmp_path / "d" / "x.html", None)
    assert errors and errors[0].startswith("templates/policy-brief.html.j2:"), errors
    assert not Path(tmp_path / "d" / "x.html").exists()


def test_draft_refuses_a_withheld_persons_photo(tmp_path, preview_worker):
    # The draft reads images as the build does: a template naming the photo of a person
    # shown under a pseudonym (docs/security.md, section 11) gets an error, not the face.
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "security"))
    from photo_fixtures import camera_jpeg
    from security_support import body_template
    from security_support import make_project as make_hostile_project

    root = make_hostile_project(
        tmp_path / "p",
        person_extra="sensitivity: confidential\npseudonym: Witness\nphoto: face.jpg\nphoto_alt: A face",
        template="brief",
        templates={"brief.html.j2": body_template('<p><img src="assets/face.jpg" alt="x"></p>')},
        files={"assets/face.jpg": camera_jpeg()},
        formats=("html",),
    )
    model = load_project(root).model
    job = plan_jobs(model)[0]
    target = tmp_path / "d" / job.relpath("html")
    errors = preview_worker.draft(model, job, target, None)
    assert errors and "people.test-subject.photo" in errors[0] and "pseudonym" in errors[0], errors
    assert not target.exists() and not target.with_name(target.stem + "_files").exists()


def test_a_draft_that_prints_a_withheld_value_names_the_template_line(tmp_path, preview_worker):
    # The preview refuses what the build refuses, and says where as the build does: at the
    # line of the override that writes the withheld spelling.
    from conftest import casefile_with_dossier_line

    root = casefile_with_dossier_line(tmp_path, "<p>Also known as Maxim Khiddenov.</p>")
    model = load_project(root).model
    job = next(j for j in plan_jobs(model) if j.audience_id == "public" and j.language == "en")
    target = tmp_path / "d" / job.relpath("html")
    errors = preview_worker.draft(model, job, target, None)
    assert len(errors) == 1 and errors[0].startswith("templates/public/case-dossier.html.j2:4:18: "), errors
    assert "confidentiality check failed: people.maksim-fixture.also_known_as[0]" in errors[0]
    assert not target.exists()
