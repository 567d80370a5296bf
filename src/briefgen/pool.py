"""Worker pool: batches of planned outputs -> JobResults, from worker processes.

A build that is certain to render (`--force`, or no manifest in OUT yet), or likely to (the
project's cache holds no record of a build with these inputs: one changed since), starts its
workers before the project is loaded. Their start-up (importing WeasyPrint and python-docx,
reading the system's fonts) then overlaps the loading and validation done in the main
process, instead of following it. Such workers are forked before the model exists; it
reaches them through an anonymous in-memory file they inherit (memfd: nothing is written to
disk; like the processes' memory, only the same user can reach it, through /proc), written
once when it is ready. They get every planned output as soon as it is planned (`start`):
each worker selects an output's view, works out its inputs (the fingerprint the manifest
records) and renders it, or, in a build that may skip, reports it up to date, while the main
process checks the project (build.py). A build that finds nothing to render stops them.

Workers keep their temporary files (WeasyPrint's copies of the theme's fonts) in a folder
of the pool's own, removed when the pool closes: a worker stopped by a time or memory limit
cannot remove its files itself.

Any other build starts its workers when the work is known, as many as there are batches
(at most `--jobs`), and they receive the model as they start. No-change rebuilds thus start
no process at all (with the cache, `briefgen build` answers them without loading: cli.py).
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import pickle
import signal
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .model import Model
from .plan import Job
from .scratch import ScratchFolder
from .worker import CHARTS_KEPT, JobResult, Limits, init_worker, run_batch

Batch = list[tuple[Job, str]]


class SharedModel:
    """The model, pickled once into an anonymous in-memory file that forked workers inherit."""

    def __init__(self) -> None:
        self._fd = os.memfd_create("briefgen-model")

    def put(self, model: Model) -> int:
        """Write the model; returns its size, which the workers need to read it."""
        data = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
        written = 0
        while written < len(data):
            written += os.pwrite(self._fd, data[written:], written)
        return len(data)

    def get(self, size: int) -> Model:
        data = bytearray()
        while len(data) < size:
            chunk = os.pread(self._fd, size - len(data), len(data))
            if not chunk:
                raise EOFError("the model file is shorter than announced")
            data += chunk
        return pickle.loads(data)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)


def early_start_possible() -> bool:
    # Inheriting the model file needs fork (on macOS unsafe with system frameworks) and memfd,
    # so that the content never goes to disk.
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "memfd_create")
        and "fork" in multiprocessing.get_all_start_methods()
    )


def start_method() -> str | None:
    """How to start workers: the platform's default (fork on Linux), unless this process has
    started the chart engine, whose threads a fork does not copy (charts/vega.py): a program
    that drew a chart before building gets fresh, spawned workers instead."""
    vega = sys.modules.get("briefgen.charts.vega")
    if vega is not None and vega.engine_started_here():
        return "spawn"
    return None


class WorkerPool:
    """The worker processes of one build; use as a context manager."""

    def __init__(
        self,
        out: Path,
        jobs: int | None,
        pdf_variant: str | None,
        limits: Limits,
        formats: list[str] | None,
        start_early: bool,
        self_contained: bool = False,
        cache_folder: Path | None = None,
        charts_likely: bool = False,
    ):
        self._settings = (out, pdf_variant, limits, formats, self_contained, cache_folder)
        self._charts_likely = charts_likely  # for the workers' warm-up (worker.init_worker)
        # The workers' temporary folder, made with the first executor.
        self._scratch: ScratchFolder | None = None
        self.max_workers = max(1, jobs or os.cpu_count() or 1)
        self._executor: ProcessPoolExecutor | None = None
        self._shared: SharedModel | None = None
        self._charts = None  # the chart engine process (charts/engine.py), when outputs have charts
        self._charts_kept = False  # every drawing the outputs need is on disk: no engine
        self.started_early = False
        if start_early and early_start_possible() and start_method() is None:
            self._shared = SharedModel()
            try:
                self._executor = self._executor_for(self.max_workers, self._shared, "fork")
                self._executor.submit(_started)  # forks every worker now; each warms up as it starts
            except BaseException:
                self.close(abandon=True)
                raise
            self.started_early = True

    def _executor_for(
        self, workers: int, model: Model | SharedModel, method: str | None, chart_engine: str | None = None
    ):
        if self._scratch is None:
            self._scratch = ScratchFolder("briefgen-workers-")  # only its owner may enter
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context(method) if method else None,
            initializer=_start_worker,
            initargs=(model, *self._settings, chart_engine, self._scratch.path, self._charts_likely),
        )

    def start_chart_engine(self, model: Model, jobs: list[Job]) -> None:
        """Start the chart engine process when some of `jobs` show charts (once per build): it
        starts while the project is checked and the workers import their libraries, and the
        workers draw through it (charts/engine.py)."""
        if self._charts is not None or self._charts_kept:
            return
        fonts = _chart_fonts(model, jobs)
        if fonts is None:
            return
        cache_folder = self._settings[5]
        if cache_folder is not None:
            from .charts.prefetch import all_kept

            if all_kept(model, jobs, cache_folder):
                self._charts_kept = True  # drawn in an earlier build and kept (charts/drawings.py)
                return
        from .charts.engine import EngineProcess

        self._charts = EngineProcess(fonts)

    def run(self, model: Model, batches: list[Batch]) -> Iterator[JobResult]:
        """Render every batch; results in the order of the batches."""
        yield from self.start(model, batches)

    def start(
        self,
        model: Model,
        batches: list[Batch],
        previous: dict[str, dict] | None = None,
        fingerprint_here: bool = True,
    ) -> Iterator[JobResult]:
        """Hand every batch to the workers now, so that they render while this process goes
        on; the results, in the order of the batches, as the iterator returned is read.
        `previous`: the manifest's entries, when jobs handed over without a fingerprint may be
        skipped as up to date; `fingerprint_here`: whether the workers fingerprint those jobs,
        or this process does meanwhile (worker.run_batch)."""
        if not batches:
            return iter(())
        jobs = [job for batch in batches for job, _ in batch]
        self.start_chart_engine(model, jobs)
        engine = (
            self._charts.address if self._charts is not None else CHARTS_KEPT if self._charts_kept else None
        )
        if self._executor is None:
            workers = min(self.max_workers, len(batches))
            self._executor = self._executor_for(workers, model, start_method(), engine)
            sizes = itertools.repeat(None)
        else:
            assert self._shared is not None
            sizes = itertools.repeat(self._shared.put(model))
        earlier = [None if previous is None else _entries_of(batch, previous) for batch in batches]
        results = self._executor.map(
            run_batch, batches, sizes, itertools.repeat(engine), earlier, itertools.repeat(fingerprint_here)
        )
        if self._charts is not None:
            from .charts.prefetch import prefetch_charts

            # While the workers read the model: this process is idle until results come.
            prefetch_charts(engine, model, jobs, self._settings[5])
        return itertools.chain.from_iterable(results)

    def close(self, abandon: bool = False) -> None:
        """Wait for the workers to finish; `abandon` stops them first (nothing left to do)."""
        executor, shared, charts, scratch = self._executor, self._shared, self._charts, self._scratch
        # Closing twice must not close a reused fd.
        self._executor = self._shared = self._charts = self._scratch = None
        try:
            if executor is not None:
                if abandon:
                    _terminate(executor)
                executor.shutdown(wait=True, cancel_futures=True)
        finally:
            if shared is not None:
                shared.close()
            if charts is not None:
                charts.close()
            if scratch is not None:
                scratch.remove()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        # An error before any batch ran (content errors, an unknown brief): do not make the
        # user wait for workers still importing WeasyPrint.
        self.close(abandon=kind is not None)


def _chart_fonts(model: Model, jobs: list[Job]) -> list[str] | None:
    """The font folders of the themes of the jobs that show charts; None when none does."""
    from .jobs import job_brief
    from .theme import audience_theme

    audiences = {job.audience_id for job in jobs if job_brief(model, job).charts}
    if not audiences:
        return None  # a build without charts does not import them
    from .charts.engine import font_dirs

    fonts: set[str] = set()
    for audience in audiences:
        with contextlib.suppress(Exception):  # a broken theme is reported by its outputs
            fonts.update(font_dirs(audience_theme(model, audience)))
    return sorted(fonts)


def _entries_of(batch: Batch, previous: dict[str, dict]) -> dict[str, dict]:
    """The manifest entries of a batch's outputs: each worker is sent only its own."""
    paths = (job.relpath(fmt) for job, _ in batch for fmt in job.formats)
    return {path: previous[path] for path in paths if path in previous}


def _started() -> None:
    """The first task of an early pool: submitting it forks the workers."""


def _start_worker(*settings) -> None:
    """A pool worker's first steps: end with the build, then set up (worker.init_worker)."""
    _end_with_parent()
    init_worker(*settings)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _end_with_parent() -> None:
    """Have the kernel end this worker when the build that started it ends.

    A build killed with SIGKILL (the out-of-memory killer, `kill -9`, a CI time limit) runs
    no code: its workers, blocked on a queue nobody will write to again, would live on with
    their memory, their copies of the fonts and the lock on the scratch folder (scratch.py).
    Only a process started by a thread that lives as long as the pool may ask this; pools
    are made and closed by the thread that builds (build.py, serve's preview worker).
    """
    parent = multiprocessing.parent_process()
    # Only a direct child: a worker started by a fork server (Python 3.14's default) would be
    # ended with the server, not the build.
    if not sys.platform.startswith("linux") or parent is None or os.getppid() != parent.pid:
        return
    with contextlib.suppress(Exception):  # no libc prctl: the worker ends when its queue breaks
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent.pid:
        os._exit(1)  # the build ended before the request took effect


def _terminate(executor: ProcessPoolExecutor) -> None:
    terminate = getattr(executor, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.terminate()
