"""A build that renders every output (--force, or a first build) hands the early-started
workers their outputs as soon as the project is loaded and planned; the main process checks the
project meanwhile, and works out each output's inputs (the manifest's fingerprints) when a
core is left over, else the workers do as they render."""

from __future__ import annotations

import json
import os
import time

import pytest
from conftest import PROJECTS

import briefgen.build as build_module
import briefgen.worker as worker_module
from briefgen.build import BuildOptions, build_project
from briefgen.diagnostics import ProjectError, error
from briefgen.pool import WorkerPool, early_start_possible

SMALL = PROJECTS / "small"

pytestmark = pytest.mark.skipif(not early_start_possible(), reason="early start needs fork (Linux)")


@pytest.fixture
def events(monkeypatch) -> list[str]:
    """When the workers got their outputs, and when each fingerprint was computed."""
    seen: list[str] = []
    start, fingerprint = WorkerPool.start, worker_module.job_fingerprint

    def spy_start(self, model, batches, *rest):
        seen.append("start")
        return start(self, model, batches, *rest)

    def spy_fingerprint(*args, **kwargs):
        seen.append("fingerprint")
        return fingerprint(*args, **kwargs)

    monkeypatch.setattr(WorkerPool, "start", spy_start)
    monkeypatch.setattr(worker_module, "job_fingerprint", spy_fingerprint)
    return seen


def manifest(out) -> dict:
    return {e["path"]: e for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]}


# With a core left over (the build's one worker on a machine of eight), this process works out
# the fingerprints while the worker renders; without (one core), the worker does.
@pytest.mark.parametrize("cores, fingerprinted_here", [(8, True), (1, False)])
def test_the_workers_render_before_the_fingerprints_and_the_manifest_is_the_same(
    tmp_path, monkeypatch, events, cores, fingerprinted_here
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(build_module.os, "cpu_count", lambda: cores)
    early, late = tmp_path / "early", tmp_path / "late"
    options = dict(formats=["html", "docx"], jobs=1)
    catalog_problems = build_module.catalog_problems

    def slow_catalog_problems(root):
        time.sleep(1.5)  # the worker writes its temporary files meanwhile: they must stay
        return catalog_problems(root)

    monkeypatch.setattr(build_module, "catalog_problems", slow_catalog_problems)
    report = build_project(SMALL, BuildOptions(out=early, **options))
    monkeypatch.setattr(build_module, "catalog_problems", catalog_problems)
    assert report.outputs and all((early / o.relpath).is_file() for o in report.outputs)
    assert events[0] == "start" and events.count("start") == 1
    jobs = len({o.job for o in report.outputs})
    assert events.count("fingerprint") == (jobs if fingerprinted_here else 0)
    assert all(o.record["inputs"] for o in report.outputs)

    # The same outputs the usual way: workers started late, for outputs already fingerprinted.
    build_project(SMALL, BuildOptions(out=late, **options))
    for output in report.outputs:
        os.remove(late / output.relpath)
    events.clear()
    build_project(SMALL, BuildOptions(out=late, **options))
    assert events[-1] == "start" and set(events[:-1]) == {"fingerprint"}  # after them all
    assert manifest(late) == manifest(early)
    for output in report.outputs:
        assert (late / output.relpath).read_bytes() == (early / output.relpath).read_bytes()


def test_an_error_found_while_the_workers_render_publishes_nothing(tmp_path, monkeypatch, events):
    out = tmp_path / "out"

    def template_problems(model, jobs):
        time.sleep(1.0)  # the worker is rendering, or has written its temporary files
        return [error("templates/brief.html.j2", 3, 1, "a mistake found after the workers started")]

    monkeypatch.setattr(build_module, "template_problems", template_problems)
    with pytest.raises(ProjectError) as raised:
        build_project(SMALL, BuildOptions(out=out, formats=["html", "docx"], jobs=1, force=True))
    assert "a mistake found after the workers started" in str(raised.value.diagnostics[0])
    assert events[0] == "start"
    left = [p.relative_to(out).as_posix() for p in out.rglob("*")] if out.exists() else []
    assert not [p for p in left if not (out / p).is_dir()], left
