"""decisions: the workers of a build decide a brief's contents once, through a locked file."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from dataclasses import dataclass

import pytest

from briefgen import worker
from briefgen.decisions import Decision, SharedDecisions, body_digest
from briefgen.parsed import ParsedDocument
from briefgen.worker import TOC_MIN_PAGES, _decided_with_other_workers

COVER = '<section class="cover"><h1>Title</h1><section class="inner">{name}</section></section>'
TOC = '<nav class="toc"><h1>Contents</h1><ul><li><a href="#a">A</a></li></ul></nav>'
GROUP = ("policy-brief", "eu-public", "en")


@dataclass
class Doc:
    html: str

    @property
    def parsed(self) -> ParsedDocument:
        return ParsedDocument(self.html)


class Copy:
    """One personalised copy: document_for and layout stand-ins that record their calls."""

    def __init__(self, name: str, words: int, words_per_page: int = 300, cover_pages: int = 1):
        self.name, self.words, self.words_per_page, self.cover_pages = (
            name,
            words,
            words_per_page,
            cover_pages,
        )
        self.rendered: list[bool] = []
        self.laid_out: list[Doc] = []

    def document_for(self, show_toc: bool) -> Doc:
        self.rendered.append(show_toc)
        body = " ".join(["word"] * self.words)
        return Doc(
            f"<html><body>{COVER.format(name=self.name)}{TOC if show_toc else ''}<p>{body}</p></body></html>"
        )

    def layout(self, document: Doc, at_least: int | None = None):
        self.laid_out.append(document)

        class Laid:
            pages = [object()] * (self.cover_pages + -(-self.words // self.words_per_page))

        # As writers/pdf.layout: None once the document is known to run to `at_least` pages.
        return None if at_least is not None and len(Laid.pages) >= at_least else Laid()

    def decide(self, needs_pdf: bool):
        return _decided_with_other_workers(GROUP, self.document_for, self.layout, needs_pdf)


@pytest.fixture
def decisions(tmp_path, monkeypatch):
    shared = SharedDecisions(tmp_path)
    monkeypatch.setitem(worker._STATE, "decisions", shared)
    return shared


# Between the estimates: only a layout decides (worker._lay_out_with_contents_decided).
IN_BETWEEN = 800 * (TOC_MIN_PAGES - 2)


@pytest.mark.parametrize("needs_pdf", [False, True])
def test_a_second_copy_takes_the_first_copys_decision_without_deciding(decisions, needs_pdf):
    first = Copy("Anna", IN_BETWEEN)
    document, _, toc, elsewhere = first.decide(needs_pdf)
    assert toc is True and not elsewhere
    assert len(first.laid_out) == 1 + int(needs_pdf)  # the layout that decides, then the PDF's
    second = Copy("Boris", IN_BETWEEN)
    document, _, toc, elsewhere = second.decide(needs_pdf)
    assert toc is True and elsewhere and '<nav class="toc">' in document.html
    assert second.rendered == [True]
    # HTML: no layout at all; PDF: only the pages it writes.
    assert [d.html for d in second.laid_out] == ([document.html] if needs_pdf else [])


def test_a_copy_with_another_body_decides_for_itself(decisions):
    Copy("Anna", IN_BETWEEN).decide(False)
    other = Copy("Boris", 100)  # a body of its own: short, no contents
    document, _, toc, elsewhere = other.decide(False)
    assert toc is False and not elsewhere and "toc" not in document.html


def test_a_copy_whose_cover_runs_longer_decides_for_itself(decisions):
    Copy("Anna", IN_BETWEEN).decide(True)
    longer = Copy("Boris", IN_BETWEEN, cover_pages=2)
    _, laid_out, toc, elsewhere = longer.decide(True)
    assert not elsewhere and toc is True and len(laid_out.pages) == 2 + -(-IN_BETWEEN // 300)


def test_without_shared_decisions_each_copy_decides(monkeypatch):
    monkeypatch.setitem(worker._STATE, "decisions", None)
    for name in ("Anna", "Boris"):
        copy = Copy(name, IN_BETWEEN)
        assert copy.decide(False)[3] is False and len(copy.laid_out) == 1


@pytest.mark.parametrize(
    "contents",
    [
        b"",
        b"{",
        b'{"toc": "yes", "body": "x", "pages": null}',
        bytes(random.Random(0).randrange(256) for _ in range(64)),
        b'{"toc": true}',
        b"[1, 2]",
    ],
)
def test_a_damaged_decision_file_is_not_trusted(tmp_path, contents):
    shared = SharedDecisions(tmp_path)
    with shared.claim(GROUP) as claim:
        claim.record(Decision(True, body_digest("x"), None))
    (path,) = tmp_path.glob("contents-*")
    path.write_bytes(contents)
    with shared.claim(GROUP) as claim:
        assert claim.known is None


def test_the_file_is_the_owners_only(tmp_path):
    with SharedDecisions(tmp_path).claim(GROUP) as claim:
        claim.record(Decision(False, body_digest("x"), 3))
    (path,) = tmp_path.glob("contents-*")
    assert path.stat().st_mode & 0o777 == 0o600


def _decide_slowly(folder: str, started, seconds: float) -> None:
    with SharedDecisions(folder).claim(GROUP) as claim:
        started.set()
        time.sleep(seconds)
        claim.record(Decision(True, body_digest("the body"), None))


def _hold_forever(folder: str, started) -> None:
    with SharedDecisions(folder).claim(GROUP):
        started.set()
        time.sleep(600)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_worker_waits_for_the_one_deciding_and_reads_its_decision(tmp_path):
    context = multiprocessing.get_context("fork")
    started = context.Event()
    decider = context.Process(target=_decide_slowly, args=(str(tmp_path), started, 1.0))
    decider.start()
    assert started.wait(30)
    began = time.monotonic()
    with SharedDecisions(tmp_path).claim(GROUP) as claim:
        waited = time.monotonic() - began
        assert claim.known == Decision(True, body_digest("the body"), None)
    decider.join(30)
    assert waited > 0.5  # it waited for the lock rather than deciding at the same time


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_worker_killed_while_deciding_leaves_no_one_waiting(tmp_path):
    context = multiprocessing.get_context("fork")
    started = context.Event()
    holder = context.Process(target=_hold_forever, args=(str(tmp_path), started))
    holder.start()
    assert started.wait(30)
    os.kill(holder.pid, signal.SIGKILL)  # as a memory limit or Ctrl-C would
    holder.join(30)
    with SharedDecisions(tmp_path).claim(GROUP) as claim:
        assert claim.known is None  # nothing was decided: this worker decides


def _render_in_a_new_worker(model, out, scratch, batch, formats):
    """One batch in a worker process of its own, as pool.py starts them, sharing `scratch`."""
    from concurrent.futures import ProcessPoolExecutor

    from briefgen.worker import Limits, init_worker, run_batch

    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=init_worker,
        initargs=(model, out, None, Limits(), formats, False, None, None, str(scratch)),
    ) as executor:
        return executor.submit(run_batch, batch).result()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_a_copy_in_another_worker_takes_the_decision_and_is_the_same_file(tmp_path, monkeypatch, fmt):
    from conftest import PROJECTS

    from briefgen.build import BuildOptions, build_project
    from briefgen.load import load_project
    from briefgen.plan import plan_jobs

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = PROJECTS / "letters"
    model = load_project(project).model
    ines, jana = (
        job
        for job in plan_jobs(model, ["appeal"], None, ["en"], [fmt])
        if job.recipient_id in ("ines-member", "jana-member")
    )
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    out = tmp_path / "out"
    (first,) = _render_in_a_new_worker(model, out, scratch, [(ines, None)], [fmt])
    (second,) = _render_in_a_new_worker(model, out, scratch, [(jana, None)], [fmt])
    assert not first.decided_elsewhere and second.decided_elsewhere
    assert not any(d.is_error for d in first.diagnostics + second.diagnostics)
    # What a build in one worker, deciding for itself, writes.
    alone = tmp_path / "alone"
    build_project(
        project, BuildOptions(out=alone, jobs=1, briefs=["appeal"], languages=["en"], formats=[fmt])
    )
    (output,) = second.outputs
    assert output.temp.read_bytes() == (alone / output.relpath).read_bytes()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
@pytest.mark.parametrize("between", [False, True])
def test_a_workers_laid_out_body_is_not_kept_while_it_lays_out_another_document(tmp_path, between):
    """A worker keeps a brief's laid-out body for its next batch of copies, but not on top of
    another document's layout: after one, the next copy lays its body out again."""
    from concurrent.futures import ProcessPoolExecutor

    from conftest import PROJECTS

    from briefgen.load import load_project
    from briefgen.plan import Job, plan_jobs
    from briefgen.worker import Limits, init_worker, run_batch

    model = load_project(PROJECTS / "letters").model
    ines, jana = (
        job
        for job in plan_jobs(model, ["appeal"], None, ["en"], ["pdf"])
        if job.recipient_id in ("ines-member", "jana-member")
    )
    other = Job("plain", "officials", "en", ("pdf",))  # a document of its own, no copy
    batches = [[(ines, None)], *([[(other, None)]] if between else []), [(jana, None)]]
    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=init_worker,
        initargs=(model, tmp_path / "out", None, Limits(), ["pdf"], False, None, None, str(tmp_path)),
    ) as executor:
        results = [executor.submit(run_batch, batch).result() for batch in batches]
    assert not any(d.is_error for batch in results for r in batch for d in r.diagnostics)
    (last,) = results[-1]
    assert last.body_reused is not between
