"""Build: a project folder -> published outputs and manifest.json. The whole chain, in order.

    load -> validate -> plan -> skip what is up to date -> (worker processes, see worker.py)
        select -> render -> write (pdf | docx | html) -> check
    -> publish (atomic) -> manifest

Every output is written to a temporary file inside OUT and checked; only when every output
of the build succeeded are they moved into place (os.replace) and the manifest rewritten,
so a failed build leaves the previous outputs untouched and nothing half-written.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .cache import ContentCache, build_key
from .catalogcache import COMPILED_CATALOGS
from .diagnostics import Diagnostic, ProjectError, error, strictly
from .jobs import fallback_warnings
from .labels import catalog_problems, label_warnings
from .load import SETTINGS_FILE, load_project
from .model import Model
from .outputlock import OutputLock
from .outputwarnings import as_record
from .plan import Job, UsageError, plan_jobs
from .pool import WorkerPool
from .publish import Publisher, Removal, TempOutput
from .templatecheck import template_problems
from .worker import GC_THRESHOLDS, JobResult, Limits, fingerprinted
from .writers import FORMATS


@dataclass
class BuildReport:
    outputs: list[TempOutput]
    diagnostics: list[Diagnostic]
    skipped: int = 0
    seconds: float = 0.0
    # Outputs an earlier build wrote that the project no longer defines.
    removal: Removal = field(default_factory=lambda: Removal([], []))

    @property
    def pages(self) -> int:
        return sum(o.pages or 0 for o in self.outputs)


@dataclass(frozen=True)
class BuildOptions:
    out: Path
    briefs: list[str] | None = None
    audiences: list[str] | None = None
    languages: list[str] | None = None
    formats: list[str] | None = None
    jobs: int | None = None
    force: bool = False
    strict: bool = False  # warnings marked strict (missing labels, fallbacks) are errors
    cache: bool = False  # keep what loading gave in PROJECT/.briefgen/cache (the CLI's default)
    pdf_variant: str | None = None
    self_contained: bool = False  # every HTML output as one file (--self-contained)
    limits: Limits = field(default_factory=Limits)
    # Only the outputs with these stems (plan.Job.stem), within the narrowing above: `serve`
    # builds the one personalised copy on screen, not all copies of its brief.
    stems: frozenset[str] | None = None


def build_project(
    root: Path,
    options: BuildOptions,
    progress: Callable[[JobResult], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
    pool: WorkerPool | None = None,
    on_wait: Callable[[], None] | None = None,
) -> BuildReport:
    """Build a project; raises ProjectError (exit 1) or UsageError (exit 2). `pool`: what
    renders instead of new worker processes (serve's long-lived preview worker renders in
    itself, serve/preview_worker.py). `on_wait`: called when another build is writing into
    the output folder, which this one then waits for (outputlock.py)."""
    # One build at a time writes here: another's temporary files are not leftovers to sweep.
    # The folder a link names is made and locked, not the link.
    lock = OutputLock(options.out.resolve())
    try:
        lock.acquire(on_wait)
    except OSError as exc:
        raise UsageError(
            f"cannot make the output folder {options.out}: {exc.strerror or exc}; "
            "give a folder you can write to with -o"
        ) from None
    existed = None if lock.made else _folders(options.out)
    try:
        started = time.perf_counter()
        report = _build_locked(root, options, progress, on_plan, pool)
    except BaseException:
        # "Nothing was published" leaves no folder behind either: the brief folders made for
        # temporary files, and the output folder (with those above it) when this build made it.
        _remove_new_empty_folders(options.out, existed)
        for folder in lock.made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    finally:
        lock.release()
    report.seconds = time.perf_counter() - started
    return report


def _build_locked(
    root: Path,
    options: BuildOptions,
    progress: Callable[[JobResult], None] | None,
    on_plan: Callable[[int], None] | None,
    pool: WorkerPool | None,
) -> BuildReport:
    """build_project, holding the output folder."""
    publisher = Publisher(options.out)
    manifest = publisher.read_manifest()  # read once: the build holds the folder's lock
    previous = {e["path"]: e for e in manifest.get("outputs", [])}
    cache = _content_cache(root, options)
    # The inputs as they are before anything is read: a file saved during the build gives
    # another key, so the record kept at the end can never describe outputs made from older files.
    record_key = build_key(root, options.out, **_narrowing(options)) if cache is not None else None
    # Start the workers now, so that their start-up overlaps the loading (see pool.py), when
    # rendering is certain (forced, or nothing was built here before) or likely: no build
    # was recorded with these inputs, so some input changed since the last one.
    likely = (
        options.force or not previous or (record_key is not None and cache.get("build", record_key) is None)
    )
    pool = pool or WorkerPool(
        options.out,
        options.jobs,
        options.pdf_variant,
        options.limits,
        options.formats,
        start_early=likely,
        self_contained=options.self_contained,
        cache_folder=cache.folder if cache is not None else None,
        charts_likely=may_show_charts(root),
    )
    try:
        # The built-in label catalogs as an earlier build compiled them (catalogcache.py).
        with pool, _fewer_collections(), COMPILED_CATALOGS.kept_in(cache):
            written_by = manifest.get("project")
            report = _build(
                root, options, publisher, previous, written_by, pool, progress, on_plan, cache, record_key
            )
    except BaseException:
        # Workers stopped mid-output (Ctrl-C, a crash) leave unchecked temporary files.
        publisher.sweep_temporaries()
        raise
    return report


def _folders(out: Path) -> set[Path] | None:
    """The output folder's brief folders before the build; None when it did not exist."""
    try:
        return {p for p in out.iterdir() if p.is_dir()}
    except OSError:
        return None


def _remove_new_empty_folders(out: Path, existed: set[Path] | None) -> None:
    """After a failed build, its temporary files swept: the brief folders it made for them,
    left empty. A folder that existed before (`existed`; None: the output folder is new), or
    holds anything, stays."""
    for folder in _folders(out) or set():
        if existed is None or folder not in existed:
            with contextlib.suppress(OSError):
                folder.rmdir()


@contextlib.contextmanager
def _fewer_collections():
    """Loading builds hundreds of thousands of objects that live for the whole build: run the
    cyclic collector less often meanwhile (as the workers do), about a fifth off loading."""
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _build(
    root: Path,
    options: BuildOptions,
    publisher: Publisher,
    previous: dict[str, dict],
    written_by: str | None,
    pool: WorkerPool,
    progress: Callable[[JobResult], None] | None,
    on_plan: Callable[[int], None] | None,
    cache: ContentCache | None,
    record_key: str | None,
) -> BuildReport:
    result = load_project(root, cache)
    if result.model is None:
        raise ProjectError(list(result.diagnostics))
    model = result.model
    diagnostics = [d for d in result.diagnostics if not d.is_error]
    jobs = plan_jobs(model, options.briefs, options.audiences, options.languages, options.formats)
    if options.stems is not None:
        jobs = [job for job in jobs if job.stem in options.stems]
    started = None
    certain = options.force or not previous
    if certain:
        # Every output will be rendered: the chart engine starts now, beside the checks below.
        pool.start_chart_engine(model, jobs)
    fingerprint_here = False
    if getattr(pool, "started_early", False):
        # The workers are waiting: they get the model and every planned output now, and
        # render while this process checks the project; an error found meanwhile stops them,
        # and nothing is published. Each output's inputs (its fingerprint, for the manifest)
        # are worked out by the worker, which skips it when the build may skip and finds it
        # up to date; or, when every output is rendered and a core is left over, here
        # meanwhile, off the workers' way (a one-output build waits for its worker alone).
        publisher.sweep_temporaries()  # before they write: theirs are not leftovers
        batches = _batches([(job, None) for job in jobs], pool.max_workers)
        fingerprint_here = certain and min(len(batches), pool.max_workers) < (os.cpu_count() or 1)
        started = pool.start(model, batches, None if certain else previous, not fingerprint_here)
    diagnostics += catalog_problems(root)
    diagnostics += label_warnings(model, dict.fromkeys(job.language for job in jobs))
    # Template mistakes that would otherwise vanish silently (an unknown block or folder).
    diagnostics += template_problems(model, jobs)
    if options.strict:
        diagnostics = strictly(diagnostics)
    if any(d.is_error for d in diagnostics):
        raise ProjectError(_dedupe(diagnostics))
    if on_plan:
        on_plan(len(jobs))

    todo: list[tuple[Job, str | None]] = []
    skipped: list[JobResult] = []
    if started is not None and not fingerprint_here:
        todo = [(job, None) for job in jobs]  # fingerprinted by the workers
    else:
        if started is None:  # else swept before the workers started writing
            publisher.sweep_temporaries()
        for job in jobs:
            # Localized fields that fall back to another language are reported by the worker
            # that renders an output (only those it prints) and kept in its record for later builds.
            _view, fingerprint, outcome = fingerprinted(
                model, job, options.pdf_variant, options.out, None if certain else previous
            )
            if outcome is not None:
                skipped.append(outcome)
                if progress:
                    progress(outcome)
            else:
                todo.append((job, fingerprint))

    results = _render_all(model, todo, options, pool, progress, started)
    # Outputs the workers found up to date (when they fingerprint them).
    skipped += [r for r in results if r.skipped]
    results = [r for r in results if not r.skipped]
    outputs = [o for r in results for o in r.outputs]
    hidden = _machine_paths(root, options.out)
    for outcome in results:
        for output in outcome.outputs:
            # What the worker recorded (fallbacks printed; serve's page digests), after the
            # inputs, with its warnings told without this machine's folders.
            said = dict(output.record or {})
            warnings = said.pop("warnings", [])
            output.record = {"inputs": outcome.fingerprint, **{k: v for k, v in said.items() if v}}
            if warnings:
                output.record["warnings"] = [as_record(d, hidden) for d in warnings]
    for outcome in [*skipped, *results]:
        diagnostics.extend(strictly(outcome.diagnostics) if options.strict else outcome.diagnostics)
    if any(d.is_error for d in diagnostics):
        publisher.discard(outputs)
        raise ProjectError(_dedupe(diagnostics))
    # The manifest keeps entries of formats an earlier build made that this one did not ask for.
    defined = {job.relpath(fmt) for job in plan_jobs(model) for fmt in FORMATS}
    # Outputs this project no longer defines go, when the manifest before was this project's
    # (a manifest of an older briefgen names no project: nothing is removed that once).
    project = model.project.name
    publisher.publish(outputs, __version__, defined, project, previous=list(previous.values()))
    removal = Removal([], [])
    if written_by == project:
        removal = publisher.remove_undefined(list(previous.values()), defined)
    report = BuildReport(outputs, _dedupe(diagnostics), skipped=len(skipped), removal=removal)
    if cache is not None and record_key is not None:
        # What the next run with the same inputs may print without loading (cli.build).
        fingerprints = {r.job: r.fingerprint for r in [*skipped, *results]}
        record = {
            "jobs": [
                (job.label, job.formats, [(job.relpath(fmt), fingerprints[job]) for fmt in job.formats])
                for job in jobs
            ],
            "diagnostics": [(str(d), d.is_error) for d in report.diagnostics],
        }
        cache.put("build", record_key, record)
        cache.keep_only("build", [record_key])
    return report


# `charts: [a, b]`, or `charts:` with a list of items below it.
_CHARTS_KEY = re.compile(rb"^[ \t-]*charts:[ \t]*(?:[^\s#]|\r?\n[ \t]*- )", re.M)


def may_show_charts(root: Path) -> bool:
    """Whether briefgen.yaml seems to give a brief charts, read before the project is loaded:
    early workers then import the charts' libraries while they wait. A guess for speed only
    (a wrong one costs a warm-up or saves none), never for what is built."""
    try:
        return _CHARTS_KEY.search((root / SETTINGS_FILE).read_bytes()) is not None
    except OSError:
        return False


def _machine_paths(root: Path, out: Path) -> dict[str, str]:
    """This machine's folders, as a warning kept in the manifest names them instead: the
    manifest tells no user name or folder (docs/security.md)."""
    paths = {}
    for folder, shown in ((out, "OUT"), (root, "PROJECT"), (Path.home(), "~")):
        for spelling in dict.fromkeys([str(Path(folder).resolve()), str(Path(folder).absolute())]):
            paths.setdefault(spelling, shown)
    return paths


def _content_cache(root: Path, options: BuildOptions) -> ContentCache | None:
    """The project's cache, unless --no-cache or it would lie inside the output folder."""
    cache = ContentCache(root) if options.cache else None
    if cache is not None and cache.folder.resolve().is_relative_to(Path(options.out).resolve()):
        cache = None  # confidential content is never kept inside what gets published
    return cache


def _narrowing(options: BuildOptions) -> dict:
    """The options a build's outcome depends on, besides the project's files (cache.build_key)."""
    return {
        "briefs": options.briefs,
        "audiences": options.audiences,
        "languages": options.languages,
        "formats": options.formats,
        "pdf_variant": options.pdf_variant,
        "strict": options.strict,
        "stems": options.stems,
        "self_contained": options.self_contained,
    }


def _render_all(
    model: Model,
    todo: list[tuple[Job, str]],
    options: BuildOptions,
    pool: WorkerPool,
    progress,
    started: Iterator[JobResult] | None = None,
) -> list[JobResult]:
    """Render in worker processes (always: the limits must not bind the main process).
    `started`: the results of every job of `todo`, handed to the workers before they were
    fingerprinted (pool.start): the workers fingerprint them, and skip those up to date,
    unless `todo` gives the fingerprints worked out here meanwhile."""
    if not todo:
        pool.close(abandon=True)
        return []
    results: list[JobResult] = []
    fingerprints = dict(todo)
    try:
        for outcome in started if started is not None else pool.run(model, _batches(todo, pool.max_workers)):
            if outcome.fingerprint is None:  # handed over early, fingerprinted here
                outcome.fingerprint = fingerprints[outcome.job]
            results.append(outcome)
            if progress:
                progress(outcome)
        pool.close()
    except BrokenProcessPool:
        done = {id(r.job) for r in results}
        for job, fingerprint in todo:
            if id(job) not in done:
                results.append(
                    JobResult(
                        job,
                        diagnostics=[
                            error(
                                "briefgen.yaml",
                                0,
                                0,
                                f"{job.label}: the worker rendering it was killed (out of memory, or "
                                "a crash in a rendering library); nothing was published",
                            )
                        ],
                        fingerprint=fingerprint,
                    )
                )
    return results


def _batches(todo: list[tuple[Job, str]], workers: int) -> list[list[tuple[Job, str]]]:
    """Personalised copies of one brief x audience x language go together (they share a body),
    split so that every worker has a share of a big mailing; in the order the workers take
    them up.

    A brief's copies are decided once, by the worker that takes up its first batch
    (decisions.py): meanwhile, the others render the outputs of their own and the first
    batches of other briefs, so the further batches of a brief come after them. The copies
    go in twice as many batches as there are workers, so that the batches started last are
    short."""
    groups: dict[tuple, list] = {}
    for job, fingerprint in todo:
        key = (job.brief_id, job.audience_id, job.language) if job.recipient_id else (job,)
        groups.setdefault(key, []).append((job, fingerprint))
    firsts: list[list] = []
    alone: list[list] = []
    further: list[list] = []
    for items in groups.values():
        if len(items) == 1:
            alone.append(items)
            continue
        size = max(1, -(-len(items) // (2 * workers if workers > 1 else 1)))
        firsts.append(items[:size])
        further.extend(items[i : i + size] for i in range(size, len(items), size))

    def biggest_first(batches: list[list]) -> list[list]:
        return sorted(batches, key=len, reverse=True)

    return biggest_first(firsts) + biggest_first(alone) + biggest_first(further)


def _dedupe(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(diagnostics))


__all__ = ["BuildOptions", "BuildReport", "UsageError", "build_project", "fallback_warnings"]
