"""The preview worker over its life (serve/preview_worker.py): it runs under the build's limits
(applied by worker.apply_limits, as in build workers), keeps its Jinja environments from one
build to the next while still reading an edited or added template, and abandons a build of
files older than a save however close to the build's start the save lands."""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

import pytest
from serve_support import CONTENT, SUMMARY, make_project

from briefgen.build import BuildOptions
from briefgen.load import load_project
from briefgen.plan import Job, plan_jobs
from briefgen.serve.preview_worker import PreviewWorker
from briefgen.worker import Limits

pytestmark = pytest.mark.slow  # builds, in a worker process

TEMPLATE = "templates/policy-brief.html.j2"  # the starter brief's template, overridden here
# Some 10^10 turns of a loop: far beyond any time limit, and no sandbox limit stops it.
ENDLESS = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


def _template(block_text: str) -> str:
    return (
        '{% extends "builtin/policy-brief.html.j2" %}\n'
        "{% block key_messages %}" + block_text + "{{ super() }}{% endblock %}\n"
    )


def _options(out: Path, job: Job, limits: Limits | None = None, formats=("html",)) -> BuildOptions:
    return BuildOptions(
        out=out,
        briefs=[job.brief_id],
        audiences=[job.audience_id],
        languages=[job.language],
        formats=list(formats),
        stems=frozenset([job.stem]),
        cache=True,
        **({"limits": limits} if limits else {}),
    )


def _data_limit(pid: int) -> tuple[str, str]:
    """(soft, hard) RLIMIT_DATA of a running process, as /proc shows them ("unlimited")."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max data size"):
            soft, hard = line.split()[3:5]
            return soft, hard
    raise AssertionError("no data limit line")


# ---------------------------------------------------------------- limits


def test_the_preview_worker_runs_under_the_data_and_time_limits(tmp_path):
    limits = Limits(seconds=1, memory_mb=3072)
    worker = PreviewWorker(limits)
    worker.start()
    try:
        root = make_project(tmp_path / "project")
        model = load_project(root).model
        job = plan_jobs(model)[0]
        out = tmp_path / "previews"
        target = tmp_path / "drafts" / job.relpath("html")
        # A draft first: it sets no limit of its own, so the limit seen is the worker's.
        assert worker.draft(model, job, target, False) == []
        pid = worker._process.pid
        assert _data_limit(pid) == (str(3072 * 1024 * 1024),) * 2

        (root / TEMPLATE).parent.mkdir(exist_ok=True)
        (root / TEMPLATE).write_text(_template(ENDLESS), encoding="utf-8")
        started = time.monotonic()
        drafted = worker.draft(load_project(root).model, job, target, False)
        assert drafted == [f"briefgen.yaml:0:0: {job.label}: the draft took longer than 1 s"]
        reply = worker.build(root, _options(out, job, limits))
        assert any("rendering took longer than 1 s and was stopped" in e for e in reply.errors), reply
        assert time.monotonic() - started < 30
        # Stopped by the worker's own alarm handler, not by its death: the same process.
        assert worker._process.pid == pid

        (root / TEMPLATE).write_text(_template("<p>Bounded again</p>"), encoding="utf-8")
        assert worker.build(root, _options(out, job, limits)).errors == []
        assert "Bounded again" in (out / job.relpath("html")).read_text(encoding="utf-8")
    finally:
        worker.stop()
        worker._end()


# ---------------------------------------------------------------- Jinja environments kept


def _environments_over_builds(root: str, out: str) -> dict:
    """In a forked child (the worker's state is process-wide), as the preview worker process
    runs them: builds after a content edit, a template edit, a template added; the verify
    step in between. Which Jinja environments each build used, and what it wrote."""
    from briefgen import worker
    from briefgen.serve.preview_worker import _WorkerState
    from briefgen.tocmemory import ContentsMemory

    project, previews = Path(root), Path(out)
    memory = worker.CONTENTS_MEMORY = ContentsMemory()
    state = _WorkerState(Limits(), memory, multiprocessing.RawValue("q", 0))
    model = load_project(project).model
    job = plan_jobs(model)[0]
    html = previews / job.relpath("html")
    seen: dict[str, object] = {}  # step -> the environments (kept alive: ids are not reused)
    texts: dict[str, str] = {}

    def build(step: str) -> None:
        reply = state.build(project, _options(previews, job))
        assert reply.errors == [], reply.errors
        seen[step] = list(worker._STATE["envs"].values())
        texts[step] = html.read_text(encoding="utf-8")

    build("first")
    content = project / CONTENT
    content.write_text(content.read_text(encoding="utf-8").replace(SUMMARY, f"{SUMMARY} Contentedit"))
    build("content edited")
    state.verify(load_project(project).model, previews, [job.stem])
    seen["verified"] = list(worker._STATE["envs"].values())
    template = project / TEMPLATE
    template.write_text(_template("<p>Templateedit</p>"), encoding="utf-8")
    build("template edited")
    # A file in a folder the chain did not hold: the audience's own (lookup.TemplateChain).
    override = project / "templates" / job.audience_id / "policy-brief.html.j2"
    override.parent.mkdir()
    override.write_text(_template("<p>Audienceoverride</p>"), encoding="utf-8")
    build("audience template added")
    same = {step: [id(e) for e in envs] == [id(e) for e in seen["first"]] for step, envs in seen.items()}
    return {"same": same, "texts": texts, "count": len(seen["first"])}


def test_a_second_build_reuses_the_jinja_environments_and_reads_an_edited_template(tmp_path):
    root = make_project(tmp_path / "project")
    (root / TEMPLATE).parent.mkdir(exist_ok=True)
    (root / TEMPLATE).write_text(_template("<p>Templatefirst</p>"), encoding="utf-8")
    with multiprocessing.get_context("fork").Pool(1) as pool:
        found = pool.apply(_environments_over_builds, (str(root), str(tmp_path / "o")))
    same, texts = found["same"], found["texts"]
    assert found["count"] == 1
    assert same["content edited"] and same["verified"] and same["template edited"], same
    assert "Templatefirst" in texts["first"] and "Contentedit" in texts["content edited"]
    assert "Templateedit" in texts["template edited"] and "Templatefirst" not in texts["template edited"]
    # A new folder in the lookup chain: the environments are made again, and find it.
    assert not same["audience template added"]
    assert "Audienceoverride" in texts["audience template added"]


# ---------------------------------------------------------------- no save lost


def test_a_save_just_before_the_build_reaches_the_worker_abandons_it(tmp_path):
    """The window: after the build thread found its files unchanged, before the worker gets
    the request. A save landing there must abandon that build (its files are old), and the
    next rebuild publishes the saved text."""
    from briefgen.serve.previews import PreviewBuilder

    root = make_project(tmp_path / "project")
    content = root / CONTENT
    original = content.read_text(encoding="utf-8")
    builder = PreviewBuilder(root, tmp_path / "previews", jobs=1)
    stem = plan_jobs(load_project(root).model)[0].stem
    real_build = builder._worker.build
    replies = []
    in_window = threading.Event()

    def build_after_a_save(root, options, **kwargs):
        if not in_window.is_set() and builder.change >= 2:
            in_window.set()  # once: a real save, as the watcher reports it
            content.write_text(original.replace(SUMMARY, f"{SUMMARY} Secondsave"), encoding="utf-8")
            builder.files_changed({CONTENT})
            reply = real_build(root, options, **kwargs)
            replies.append(reply)
            return reply
        return real_build(root, options, **kwargs)

    builder._worker.build = build_after_a_save
    builder.start()
    try:
        _wait(lambda: builder.generation >= 1 and not builder.status()["building"])
        content.write_text(original.replace(SUMMARY, f"{SUMMARY} Firstsave"), encoding="utf-8")
        builder.files_changed({CONTENT})
        _wait(lambda: in_window.is_set() and replies)
        assert replies[0].abandoned, "a build of the files before the save went on"
        _wait(lambda: builder.settled(stem, "html") and not builder.status()["building"])
        html = builder.path(stem, "html").read_text(encoding="utf-8")
        assert "Secondsave" in html and "Firstsave" not in html
    finally:
        builder.stop()
        builder.join(10)


def _wait(condition, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
