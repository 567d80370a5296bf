"""serve's long-lived preview worker (serve/preview_worker.py): what it keeps between saves
(charts, a letter's layout, the contents decision) never changes a byte of what it builds;
a wrong contents guess is found and built again; a save abandons a build in progress; a
theme edited between saves is read again; a worker that dies is replaced."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import copy_repository_project
from serve_support import CONTENT, SUMMARY, make_project

from briefgen.build import BuildOptions
from briefgen.check import pdf_text
from briefgen.load import load_project
from briefgen.plan import plan_jobs
from briefgen.publish import TEMP_MARK
from briefgen.serve.draft import has_contents
from briefgen.serve.preview_worker import PreviewWorker

pytestmark = pytest.mark.slow  # builds, in a worker process

BRIEF = "justice-behind-bars-brief"
AUDIENCE = "eu-policymakers"
SHOWN = f"{BRIEF}.{AUDIENCE}.en.alex-example"  # a recipient's copy: it opens with a letter
ANCHOR = re.compile(r"(\n        19 January 2016\.)(\n)")  # in a case summary the brief prints


def focused(out: Path, stem: str, formats=("html", "pdf"), **extra) -> BuildOptions:
    brief, audience, language = stem.split(".")[:3]
    return BuildOptions(
        out=out,
        briefs=[brief],
        audiences=[audience],
        languages=[language],
        formats=list(formats),
        stems=frozenset([stem]),
        cache=True,
        **extra,
    )


@pytest.fixture
def preview_worker():
    worker = PreviewWorker()
    worker.start()
    yield worker
    worker.stop()
    worker._end()


def test_kept_letter_and_contents_guess_give_the_built_bytes(tmp_path, preview_worker):
    root = copy_repository_project(tmp_path)
    cases = root / "content" / "cases.yaml"
    original = cases.read_text(encoding="utf-8")
    out = tmp_path / "previews"
    first = preview_worker.build(root, focused(out, SHOWN))
    assert first.errors == [] and first.unverified == []  # no memory yet: decided exactly
    for word in ("Firstedit", "Secondedit"):
        cases.write_text(ANCHOR.sub(rf"\1 {word}.\2", original, count=1), encoding="utf-8")
        reply = preview_worker.build(root, focused(out, SHOWN))
        assert reply.errors == [], reply.errors
        # The page count held, so the PDF was laid out once, on the last decision...
        assert reply.unverified == [SHOWN]
        # ... which the exact decision confirms.
        assert preview_worker.verify(load_project(root).model, out, reply.unverified) == []
    # What `briefgen build` makes from the same files, in a process of its own.
    fresh = tmp_path / "fresh"
    narrowing = ["--brief", BRIEF, "--audience", AUDIENCE, "--lang", "en", "--format", "pdf"]
    subprocess.run(
        [sys.executable, "-m", "briefgen", "build", str(root), "-o", str(fresh), "--no-cache", *narrowing],
        check=True,
        capture_output=True,
    )
    relpath = f"{BRIEF}/{SHOWN}.pdf"
    assert "Secondedit" in pdf_text(out / relpath)
    assert (out / relpath).read_bytes() == (fresh / relpath).read_bytes()
    assert has_contents(out / f"{BRIEF}/{SHOWN}.html") is True


def _wrong_guess_is_found(root: str, out: str) -> tuple[list[str], bool | None, str, bool]:
    """In a forked child (the worker's state is process-wide): build the starter's brief
    exactly (no contents), then pretend the last build had guessed "contents"."""
    from briefgen import worker
    from briefgen.serve.preview_worker import _WorkerState
    from briefgen.tocmemory import ContentsMemory
    from briefgen.worker import Limits

    memory = worker.CONTENTS_MEMORY = ContentsMemory()
    state = _WorkerState(Limits(), memory, multiprocessing.RawValue("i", 0))
    model = load_project(Path(root)).model
    stem = plan_jobs(model)[0].stem
    reply = state.build(Path(root), focused(Path(out), stem))
    assert reply.errors == [] and memory.decisions[stem][0] is False
    memory.decisions[stem] = (True, memory.decisions[stem][1])
    memory.unverified.add(stem)
    wrong = state.verify(model, Path(out))
    built = has_contents(Path(out) / plan_jobs(model)[0].relpath("html"))
    return wrong, built, stem, stem in memory.decisions


def test_a_wrong_contents_guess_is_found(tmp_path):
    root = make_project(tmp_path / "project")
    with multiprocessing.get_context("fork").Pool(1) as pool:
        found = pool.apply(_wrong_guess_is_found, (str(root), str(tmp_path / "o")))
    wrong, built_has_contents, stem, remembered = found
    assert wrong == [stem]  # the guess was "contents"; the exact decision is "none"
    assert not remembered, "a wrong guess must be forgotten, so the next build decides exactly"
    assert built_has_contents is False
    assert not list((tmp_path / "o").rglob(f"{TEMP_MARK}*")), "the check leaves no file behind"


def test_a_save_abandons_the_build_in_progress(tmp_path, preview_worker):
    root = copy_repository_project(tmp_path)
    out = tmp_path / "previews"
    everything = BuildOptions(out=out, formats=["html"], cache=True)
    replies = []
    building = threading.Thread(target=lambda: replies.append(preview_worker.build(root, everything)))
    started = time.monotonic()
    building.start()
    time.sleep(1.0)
    preview_worker.interrupt()
    building.join(120)
    assert replies and replies[0].abandoned, replies
    assert not (out / "manifest.json").exists(), "an abandoned build publishes nothing"
    assert time.monotonic() - started < 30
    # The worker goes on with the next request.
    assert preview_worker.build(root, everything).errors == []
    assert (out / "manifest.json").exists()


def test_a_theme_edited_between_saves_is_read_again(tmp_path, preview_worker):
    root = make_project(tmp_path / "project")
    theme = root / "templates" / "brand" / "theme.yaml"
    theme.parent.mkdir(parents=True)
    theme.write_text('colors:\n  brand: "#123456"\n', encoding="utf-8")
    settings = root / "briefgen.yaml"
    settings.write_text(re.sub(r"(?m)^theme: .*$", "theme: brand", settings.read_text(encoding="utf-8")))
    if "theme: brand" not in settings.read_text(encoding="utf-8"):
        settings.write_text(settings.read_text(encoding="utf-8") + "theme: brand\n", encoding="utf-8")
    model = load_project(root).model
    job = plan_jobs(model)[0]
    out = tmp_path / "previews"
    html = out / job.relpath("html")
    assert preview_worker.build(root, focused(out, job.stem, ("html",))).errors == []
    assert "#123456" in html.read_text(encoding="utf-8")
    theme.write_text('colors:\n  brand: "#654321"\n', encoding="utf-8")
    assert preview_worker.build(root, focused(out, job.stem, ("html",))).errors == []
    assert "#654321" in html.read_text(encoding="utf-8")
    # The draft, too, reads the theme again.
    theme.write_text('colors:\n  brand: "#abcdef"\n', encoding="utf-8")
    target = tmp_path / "drafts" / job.relpath("html")
    assert preview_worker.draft(load_project(root).model, job, target, False) == []
    assert "#abcdef" in target.read_text(encoding="utf-8")


def test_a_worker_that_dies_is_replaced(tmp_path, preview_worker):
    root = make_project(tmp_path / "project")
    content = root / CONTENT
    model = load_project(root).model
    job = plan_jobs(model)[0]
    target = tmp_path / "drafts" / job.relpath("html")
    assert preview_worker.draft(model, job, target, False) == []
    first = preview_worker._process.pid
    os.kill(first, signal.SIGKILL)
    time.sleep(0.2)
    # The request finds the worker gone, and a new one drafts (fork of the warm server).
    content.write_text(content.read_text(encoding="utf-8").replace(SUMMARY, f"{SUMMARY} after"))
    assert preview_worker.draft(load_project(root).model, job, target, False) == []
    assert "after" in target.read_text(encoding="utf-8")
    assert preview_worker._process.pid != first


def test_the_server_builds_a_wrong_guess_again(tmp_path):
    """The server's side of a wrong guess: the output is built again, forced, in the formats
    this save built (the worker's check itself is tested above)."""
    from briefgen.serve.previews import PreviewBuilder

    root = make_project(tmp_path / "project")
    builder = PreviewBuilder(root, tmp_path / "previews", jobs=1)
    stem = plan_jobs(load_project(root).model)[0].stem
    builder.want(stem, "pdf")
    builder.start()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (builder.generation and builder.settled(stem, "pdf")):
            time.sleep(0.05)
        while builder.status()["building"] and time.monotonic() < deadline:
            time.sleep(0.05)
        pdf = builder.path(stem, "pdf")
        assert pdf is not None and pdf.is_file()
        before = pdf.stat().st_mtime_ns
        calls = []
        real_build = builder._build
        builder._worker.verify = lambda model, out, stems: [stem]  # as the worker answers a wrong guess

        def recording_build(formats, stems, force=False):
            calls.append((formats, stems, force))
            return real_build(formats, stems, force)

        builder._build = recording_build
        assert builder._check_guesses(load_project(root).model) == []
        assert calls == [(["html", "pdf"], [stem], True)]  # what the rebuild built for the page
        assert pdf.stat().st_mtime_ns != before  # written again, not found up to date
    finally:
        builder.stop()
        builder.join(10)


def test_a_guess_whose_worker_died_is_built_again(tmp_path, preview_worker):
    # The worker that guessed is gone before the check: its guess cannot be checked, so the
    # output counts as guessed wrong (built again, exactly) rather than staying unchecked.
    root = copy_repository_project(tmp_path)
    cases = root / "content" / "cases.yaml"
    out = tmp_path / "previews"
    assert preview_worker.build(root, focused(out, SHOWN)).errors == []
    cases.write_text(
        ANCHOR.sub(r"\1 Anedit.\2", cases.read_text(encoding="utf-8"), count=1), encoding="utf-8"
    )
    reply = preview_worker.build(root, focused(out, SHOWN))
    assert reply.unverified == [SHOWN]
    os.kill(preview_worker._process.pid, signal.SIGKILL)
    time.sleep(0.2)
    assert preview_worker.verify(load_project(root).model, out, reply.unverified) == [SHOWN]
