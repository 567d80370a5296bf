"""Preview worker: the preview thread's requests -> drafts and builds, in one long-lived process.

Every save used to pay for a fresh process per step: a forked draft, then build workers that
each started the chart engine (half a second) and drew every chart again, and laid the same
recipient's letter out again. The preview worker is forked once, warm, from the server (which
never starts the chart engine itself, so forking it is safe) and stays. In it:

- the chart engine starts once, and charts whose data did not change are not drawn again
  (charts/vega.py keeps drawn SVGs by content), for the draft and the PDF alike;
- a build renders in the worker itself (`InlinePool`), one output after another, under the
  build's time limit per output and memory limit for the process, as build workers do;
- a recipient's letter whose inputs did not change keeps its layout (writers/pdf_letters.py);
- the worker's state is set up once (worker.begin_build, not init_worker per build): its
  Jinja environments are kept while no template file is added or removed (an edited one is
  read again at each rendering); what a build brings (the model, its options, the resource
  sandboxes, which keep file bytes) is replaced per build;
- the contents decision of an output's last build is remembered (tocmemory.py): one layout
  instead of two while the page count holds. Such a PDF is checked right after it is shown
  (`verify`), and built again if the guess was wrong;
- caches a build process may keep for its whole life, but a long-lived one may not, are
  emptied before each build: a theme's tokens, CSS and font chain (a save may change them).

A build in progress is abandoned between two outputs when a new save comes (`interrupt`):
its results would be out of date, and the save's draft should not wait for them. Saves are
counted, and a build is of the files as of a count (`build(..., since=)`): a save counted
after it abandons the build even when it lands before the request reaches the worker. If the
worker dies (out of memory, a crash in a library) or a draft overruns its time, it is ended
and a new one forked for the next request; the request gets an error line.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..build import BuildOptions, build_project
from ..cache import ContentCache
from ..diagnostics import ProjectError, error
from ..model import Model
from ..plan import Job, UsageError
from ..worker import Limits, RenderTimeout, apply_limits

_CONTEXT = multiprocessing.get_context("fork")  # the worker starts warm: nothing to import
POLL_SECONDS = 0.1  # how often a waiting request looks whether the worker is still alive


class WorkerLost(Exception):
    """The worker ended, or overran its time, without answering; it has been ended."""


@dataclass
class BuildReply:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    abandoned: bool = False  # a new save came: nothing was published
    unverified: list[str] = field(default_factory=list)  # stems whose PDF awaits `verify`


class PreviewWorker:
    """The server's handle on the preview worker process (used by one thread at a time)."""

    def __init__(self, limits: Limits | None = None):
        self.limits = limits or Limits()
        self._process = None
        self._conn = None
        self._stopping = False
        self._lock = threading.Lock()
        # Saves so far: `interrupt` (another thread) counts one, the worker compares the count
        # with the one its build's files are as of, between outputs. A count, not a flag reset
        # per request: a save between the caller's look at its files and the request is kept.
        self._saves = _CONTEXT.RawValue("q", 0)
        self._saves_lock = threading.Lock()

    # ------------------------------------------------------------ lifetime

    def start(self) -> None:
        """Fork the worker now, while the server is warm and no other thread is busy."""
        with self._lock:
            self._ensure()

    def stop(self) -> None:
        """End the worker (a request waiting for it gets WorkerLost)."""
        self._stopping = True
        process = self._process
        if process is not None and process.is_alive():
            with contextlib.suppress(Exception):
                process.terminate()

    def interrupt(self) -> None:
        """A new save: abandon the build in progress, or about to start, at the next output."""
        with self._saves_lock:
            self._saves.value += 1

    @property
    def saves(self) -> int:
        """How many saves `interrupt` has counted: what a caller's files are as of (`build`)."""
        return self._saves.value

    def _ensure(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        self._end()
        if self._stopping:
            raise WorkerLost("the server is stopping")
        ours, theirs = _CONTEXT.Pipe(duplex=True)
        process = _CONTEXT.Process(
            target=_main,
            args=(theirs, ours, self.limits, self._saves),
            name="briefgen-preview",
            daemon=True,
        )
        process.start()
        theirs.close()
        self._process, self._conn = process, ours

    def _end(self) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join(5)

    # ------------------------------------------------------------ requests

    def draft(self, model: Model, job: Job, target: Path, show_toc: bool | None) -> list[str]:
        """The draft of `job`'s HTML written to `target` (draft.py); returns error lines."""
        try:
            return self._call(("draft", model, job, target, show_toc), self._draft_seconds())
        except WorkerLost as exc:
            return [f"briefgen.yaml:0:0: {job.label}: {exc}"]

    def build(self, root: Path, options: BuildOptions, since: int | None = None) -> BuildReply:
        """build_project(root, options), rendered in the worker. `since`: the count of saves
        (`saves`) the caller saw when it looked at the files; a save counted after it abandons
        the build (None: the count now)."""
        since = self.saves if since is None else since
        try:
            return self._call(("build", root, options, since), None)
        except WorkerLost as exc:
            return BuildReply(errors=[f"briefgen.yaml:0:0: {exc}; nothing was published"])

    def verify(self, model: Model, out: Path, stems: list[str]) -> list[str]:
        """Check the contents decisions guessed for `stems` in the last builds; the stems
        guessed wrong, or that can no longer be checked, to be built again (the worker has
        forgotten their guess)."""
        try:
            return self._call(("verify", model, out, stems), None)
        except WorkerLost:
            return list(stems)  # the guesses died with the worker: built again, exactly

    def _draft_seconds(self) -> float | None:
        return self.limits.seconds + 5 if self.limits.seconds else None

    def _call(self, request: tuple, seconds: float | None):
        with self._lock:
            self._ensure()
            try:
                self._conn.send(request)
                reply = self._receive(seconds)
            except (OSError, EOFError, WorkerLost) as exc:
                self._end()
                if isinstance(exc, WorkerLost):
                    raise
                raise WorkerLost("the preview worker ended without a result (out of memory?)") from None
        if isinstance(reply, _Failure):
            raise WorkerLost(reply.message)
        return reply

    def _receive(self, seconds: float | None):
        deadline = None if seconds is None else time.monotonic() + seconds
        while not self._conn.poll(POLL_SECONDS):
            if self._stopping:
                raise WorkerLost("the server is stopping")
            if not self._process.is_alive():
                raise WorkerLost("the preview worker ended without a result (out of memory?)")
            if deadline is not None and time.monotonic() > deadline:
                raise WorkerLost(f"the draft took longer than {seconds - 5:g} s")
        return self._conn.recv()


@dataclass(frozen=True)
class _Failure:
    message: str


class Abandoned(Exception):
    """A new save came while building: the build stops between two outputs."""


class InlinePool:
    """build.py's worker pool, in this process: renders each batch here, one at a time."""

    max_workers = 1

    def __init__(self, options: BuildOptions, cache_folder: Path | None, abandoned, jobs: dict[str, Job]):
        self._options = options
        self._cache_folder = cache_folder
        self._abandoned = abandoned
        self._jobs = jobs

    def run(self, model: Model, batches):
        from ..worker import begin_build, run_batch

        o = self._options
        # Not init_worker: that would drop the worker's Jinja environments each save.
        keep = not template_files_changed(Path(model.root))
        folder = self._cache_folder
        begin_build(model, o.out, o.pdf_variant, o.limits, o.formats, o.self_contained, folder, keep)
        for batch in batches:
            if self._abandoned():
                raise Abandoned()
            for job, _fingerprint in batch:
                self._jobs[job.stem] = job
            yield from run_batch(batch)

    def start_chart_engine(self, model: Model, jobs) -> None:
        """Nothing to start: this long-lived process draws with its own engine, kept warm
        between saves (a separate engine process per save would start cold each time)."""

    def close(self, abandon: bool = False) -> None:
        pass

    def __enter__(self) -> InlinePool:
        return self

    def __exit__(self, *exc) -> None:
        pass


# ---------------------------------------------------------------- in the worker process


def _main(conn, parent_end, limits: Limits, saves) -> None:
    parent_end.close()  # so that the server's death ends this loop (EOF)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the group: the server ends us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the server's handler (runner.py): just end
    apply_limits(limits)  # as build workers: the memory limit, and the time limit's alarm
    from .. import worker
    from ..tocmemory import ContentsMemory
    from ..writers import pdf_letters

    state = _WorkerState(limits, worker.CONTENTS_MEMORY or ContentsMemory(), saves)
    worker.CONTENTS_MEMORY = state.memory
    pdf_letters.keep_letters()
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            break
        kind, *args = request
        try:
            reply = getattr(state, kind)(*args)
        except MemoryError:
            reply = _Failure(f"the preview needed more than {limits.memory_mb} MiB")
        except Exception as exc:  # a bug: one line, not a traceback
            reply = _Failure(f"internal error in the preview worker ({type(exc).__name__}: {exc})")
        finally:
            gc.unfreeze()  # worker.init_worker froze what was alive: a long life must collect it
        try:
            conn.send(reply)
        except (OSError, EOFError):
            break
    os._exit(0)


class _WorkerState:
    def __init__(self, limits: Limits, memory, saves):
        self.limits = limits
        self.memory = memory
        self.saves = saves  # PreviewWorker._saves: the count of saves, shared with the server
        self.jobs: dict[str, Job] = {}  # stem -> the job last built (verify needs it)

    def draft(self, model: Model, job: Job, target: Path, show_toc: bool | None) -> list[str]:
        from ..worker import warm_up_charts
        from .draft import draft_html

        warm_up_charts(model)
        forget_themes(Path(model.root))
        seconds = self.limits.seconds
        try:
            if seconds:
                signal.setitimer(signal.ITIMER_REAL, seconds)
            try:
                return draft_html(model, job, target, show_toc)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except RenderTimeout:
            target.unlink(missing_ok=True)
            return [f"briefgen.yaml:0:0: {job.label}: the draft took longer than {seconds:g} s"]

    def build(self, root: Path, options: BuildOptions, since: int | None = None) -> BuildReply:
        since = self.saves.value if since is None else since
        forget_themes(root)
        cache = ContentCache(root).folder if options.cache else None
        pool = InlinePool(options, cache, lambda: self.saves.value != since, self.jobs)
        reply = build_here(root, options, pool)
        reply.unverified = sorted(self.memory.unverified)
        return reply

    def verify(self, model: Model, out: Path, stems=()) -> list[str]:
        """The exact contents decision of each output laid out on a guess, from its HTML
        rendered again as a build without memory renders it (and not kept). One of `stems`
        this worker has no guess for (a worker started after the build) counts as wrong."""
        from .. import worker
        from ..publish import Publisher
        from .draft import has_contents

        root = Path(model.root)
        wrong = []
        begun = False
        for stem in sorted(self.memory.unverified | set(stems)):
            job = self.jobs.get(stem)
            guessed = self.memory.decisions.get(stem, (None,))[0]
            self.memory.unverified.discard(stem)
            if job is None or guessed is None:
                self.memory.forget(stem)
                wrong.append(stem)
                continue
            if not begun:  # once for all stems: each keeps the Jinja environments
                keep = not template_files_changed(root)
                worker.begin_build(model, out, None, self.limits, ["html"], keep_environments=keep)
                begun = True
            memory, worker.CONTENTS_MEMORY = worker.CONTENTS_MEMORY, None
            try:
                if self.limits.seconds:
                    signal.setitimer(signal.ITIMER_REAL, self.limits.seconds)
                outputs, _diagnostics = worker.render_outputs(replace(job, formats=("html",)), {})
            except RenderTimeout:
                outputs = []
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                worker.CONTENTS_MEMORY = memory
            exact = has_contents(outputs[0].temp) if outputs else None
            Publisher(out).discard(outputs)
            if exact is not guessed:
                self.memory.forget(stem)
                wrong.append(stem)
        return wrong


def build_here(root: Path, options: BuildOptions, pool=None) -> BuildReply:
    """build_project in this process (with `pool`, or worker processes of its own)."""
    reply = BuildReply()
    try:
        report = build_project(root, options, pool=pool)
        reply.warnings = [str(d) for d in report.diagnostics if not d.is_error]
    except Abandoned:
        reply.abandoned = True
    except ProjectError as exc:
        reply.errors = [str(d) for d in exc.diagnostics if d.is_error]
        reply.warnings = [str(d) for d in exc.diagnostics if not d.is_error]
    except UsageError as exc:  # the project changed under the narrowing: try again next save
        reply.errors = [str(error("briefgen.yaml", 0, 0, str(exc)))]
    return reply


def forget_themes(root: Path) -> None:
    """Empty the caches of themes read (tokens, fingerprint, CSS, font chain) when a file
    of the project's themes changed: a build process keeps them for the build, this one
    for the server's life, across saves that may change a theme. A project's themes are
    folders under its templates/ (theme.resolve_theme); built-in ones do not change."""
    from .. import fonts, inputs, render, theme

    stamp = _files_stamp(root / "templates")
    if _THEME_STAMPS.get(root) == stamp:
        return
    _THEME_STAMPS[root] = stamp  # taken before reading: a save after it changes the next stamp
    theme.load_theme.cache_clear()
    inputs.theme_fingerprint.cache_clear()
    render._CSS_CACHE.clear()
    fonts._CHAINS.clear()
    fonts._coverage.cache_clear()


_THEME_STAMPS: dict[Path, tuple] = {}


def template_files_changed(root: Path) -> bool:
    """Whether the project (or the set of its template files) differs from the last call's.
    The worker's Jinja environments (worker.begin_build) keep the folders of their lookup
    chain that existed when they were made: a file added or removed under templates/ (an
    audience's or a theme's folder among them) may change which folders the chain holds or
    which file a name finds, so they are made again. An edit to a file changes neither."""
    names = (root, tuple((base, name) for base, name, *_ in _files_stamp(root / "templates")))
    changed = _TEMPLATE_FILES.get("last") != names
    _TEMPLATE_FILES["last"] = names  # taken before reading: a later change is seen next time
    return changed


_TEMPLATE_FILES: dict[str, tuple] = {}


def _files_stamp(folder: Path) -> tuple:
    found = []
    for base, _dirs, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                info = os.stat(os.path.join(base, name))
                found.append((base, name, info.st_mtime_ns, info.st_size))
    return tuple(sorted(found))


__all__ = ["BuildReply", "InlinePool", "PreviewWorker", "WorkerLost", "build_here", "forget_themes"]
