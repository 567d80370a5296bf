"""pool: early-started workers get the model through the shared file; abandoned ones stop."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest
from conftest import PROJECTS

from briefgen.build import BuildOptions, build_project
from briefgen.load import load_project
from briefgen.plan import plan_jobs
from briefgen.pool import SharedModel, WorkerPool, early_start_possible
from briefgen.worker import Limits

SMALL = PROJECTS / "small"

needs_fork = pytest.mark.skipif(not early_start_possible(), reason="early start needs fork (Linux)")


@pytest.fixture
def early_flags(monkeypatch) -> list[bool]:
    """Whether each WorkerPool made from now on started its workers early."""
    flags: list[bool] = []
    original = WorkerPool.__init__

    def spy(self, *args, **kwargs):
        original(self, *args, **kwargs)
        flags.append(self.started_early)

    monkeypatch.setattr(WorkerPool, "__init__", spy)
    return flags


def test_shared_model_round_trip():
    model = load_project(SMALL).model
    shared = SharedModel()
    try:
        size = shared.put(model)
        assert size > 0
        again = shared.get(size)
        assert again.project.model_dump() == model.project.model_dump()
    finally:
        shared.close()


@needs_fork
def test_an_early_pool_renders_with_the_model_sent_after_it_started(tmp_path):
    model = load_project(SMALL).model
    jobs = plan_jobs(model, None, None, None, ["html"])
    with WorkerPool(tmp_path, 1, None, Limits(), ["html"], start_early=True) as pool:
        assert pool.started_early
        results = list(pool.run(model, [[(job, "fingerprint")] for job in jobs]))
    assert [r.job for r in results] == jobs
    assert all(not r.diagnostics or not any(d.is_error for d in r.diagnostics) for r in results)
    assert all(output.temp.is_file() for r in results for output in r.outputs)


@needs_fork
def test_an_abandoned_early_pool_stops_its_workers(tmp_path):
    pool = WorkerPool(tmp_path, 2, None, Limits(), None, start_early=True)
    processes = list(pool._executor._processes.values())
    assert processes
    pool.close(abandon=True)
    for process in processes:
        process.join(timeout=10)
        # Stopped by a signal, not left to finish warming up and exit by themselves.
        assert process.exitcode == -signal.SIGTERM


def test_a_no_change_rebuild_starts_no_worker(tmp_path, monkeypatch):
    out = tmp_path / "out"
    build_project(SMALL, BuildOptions(out=out, formats=["html"]))
    started = []
    original = WorkerPool._executor_for

    def spy(self, *args, **kwargs):
        started.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(WorkerPool, "_executor_for", spy)
    report = build_project(SMALL, BuildOptions(out=out, formats=["html"]))
    assert report.skipped and not report.outputs
    assert started == []


@needs_fork
def test_first_and_forced_builds_start_early_and_match_a_late_build(tmp_path, monkeypatch, early_flags):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build_project(SMALL, BuildOptions(out=tmp_path / "a", formats=["pdf", "docx"], jobs=1))
    build_project(SMALL, BuildOptions(out=tmp_path / "a", formats=["pdf", "docx"], jobs=1, force=True))
    # A build into a folder with a manifest starts its workers late: touch nothing, force
    # nothing, but remove one output so that it must be rebuilt.
    late_out = tmp_path / "b"
    build_project(SMALL, BuildOptions(out=late_out, formats=["pdf", "docx"], jobs=1))
    victims = [o.relpath for o in first.outputs]
    for relpath in victims:
        os.remove(late_out / relpath)
    build_project(SMALL, BuildOptions(out=late_out, formats=["pdf", "docx"], jobs=1))
    assert early_flags == [True, True, True, False]
    for relpath in victims:
        assert (tmp_path / "a" / relpath).read_bytes() == Path(late_out / relpath).read_bytes()


def test_a_worker_that_cannot_read_the_model_reports_it_for_each_output(tmp_path):
    import gc

    from briefgen import worker

    model = load_project(SMALL).model
    jobs = plan_jobs(model, None, None, None, ["html"])[:2]
    shared = SharedModel()  # nothing written: as if the main process had died mid-write
    alarm = signal.getsignal(signal.SIGALRM)
    thresholds = gc.get_threshold()
    try:
        worker.init_worker(shared, tmp_path, None, Limits(seconds=0, memory_mb=0), ["html"])
        results = worker.run_batch([(job, "fingerprint") for job in jobs], model_size=1000)
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        signal.signal(signal.SIGALRM, alarm)
        worker._STATE.clear()
        shared.close()
    assert [r.job for r in results] == jobs
    for result in results:
        (diagnostic,) = result.diagnostics
        assert diagnostic.is_error and "handing the project to a worker" in diagnostic.message
        assert not result.outputs


DRAW_THEN_BUILD = """
import sys
from pathlib import Path
from briefgen.build import BuildOptions, build_project
from briefgen.charts import vega
from briefgen.pool import start_method

vega.warm_up()
assert vega.engine_started_here() and start_method() == "spawn"
build_project(Path(sys.argv[1]), BuildOptions(out=Path(sys.argv[2]), formats=["html"], jobs=2))
"""


def test_a_process_that_drew_a_chart_builds_with_spawned_workers(tmp_path):
    # vl-convert's engine runs in threads a fork does not copy: forked workers that draw
    # would wait for ever (they refuse instead). A program that drew a chart first, as a
    # test or a notebook may, must still build: its workers are spawned.
    import subprocess
    import sys

    from briefgen.pool import start_method

    assert start_method() is None  # this test process has drawn nothing
    project = tmp_path / "charts"
    shutil.copytree(PROJECTS / "charts", project)
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-c", DRAW_THEN_BUILD, str(project), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    written = sorted(p.name for p in out.rglob("*.html"))
    assert written and all(name.startswith("charts-brief") for name in written)


def test_a_killed_workers_temporary_files_go_with_the_pool(tmp_path):
    """WeasyPrint copies the theme's fonts into a temporary folder that its process removes
    as it exits; a worker killed by a limit cannot. The pool's own folder holds them, and
    goes when the pool closes."""
    model = load_project(SMALL).model
    jobs = plan_jobs(model, None, None, None, ["pdf"])[:1]
    pool = WorkerPool(tmp_path / "out", 1, None, Limits(), ["pdf"], start_early=False)
    try:
        results = list(pool.run(model, [[(job, "fingerprint")] for job in jobs]))
        assert results and all(r.outputs for r in results)
        scratch = Path(pool._scratch.path)
        assert [p.name for p in scratch.iterdir() if p.name.startswith("weasyprint-")]
        for process in list(pool._executor._processes.values()):
            os.kill(process.pid, signal.SIGKILL)  # no exit handler runs
            process.join(timeout=10)
        assert any(scratch.iterdir())  # the dead worker's fonts are still there
    finally:
        pool.close()
    assert not scratch.exists()


@needs_fork
def test_a_rebuild_after_an_edit_starts_early_and_matches_a_full_build(tmp_path, monkeypatch, early_flags):
    """With the cache, a build whose inputs were not recorded has something to render (most
    likely): its workers start before loading, as a first build's do; a build whose edit
    changes no output stops them unused."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = tmp_path / "project"
    shutil.copytree(SMALL, project)
    options = BuildOptions(out=tmp_path / "out", formats=["html", "docx"], jobs=1, cache=True)
    build_project(project, options)
    items = project / "content" / "items.yaml"
    items.write_text(items.read_text(encoding="utf-8") + "# a comment no output shows\n", encoding="utf-8")
    unchanged = build_project(project, options)
    text = items.read_text(encoding="utf-8")
    items.write_text(text.replace("cannot leave the country", "may not leave the country"), encoding="utf-8")
    edited = build_project(project, options)
    assert early_flags == [True, True, True]
    assert unchanged.outputs == [] and unchanged.skipped
    assert edited.outputs
    # The same files as a forced build without the cache, which starts nothing early but the first.
    full = build_project(
        project, BuildOptions(out=tmp_path / "full", formats=["html", "docx"], jobs=1, force=True)
    )
    for output in full.outputs:
        assert (tmp_path / "out" / output.relpath).read_bytes() == (
            tmp_path / "full" / output.relpath
        ).read_bytes()
