"""Worker: a batch of planned outputs -> checked temporary files, inside a bounded process.

Each worker process holds the model, and reuses across the outputs it renders what is
reusable: the Jinja environments, the theme's CSS, WeasyPrint's font configuration, image
bytes. Every output is rendered under a time limit, and the process under a memory limit,
so a hostile template or stylesheet ends in a clear error rather than a hung machine.

A batch holds personalised copies of one brief x audience x language. Copies whose HTML
differs only in the cover share the laid-out body: the first copy a worker renders is laid
out in full, each further copy lays out only its cover page and takes the body pages from
the first (kept across the worker's batches of one build), so page numbers and contents stay
right while the cost is one page per copy. Whether the brief gets a table of contents is
decided once for all the workers (decisions.py).
"""

from __future__ import annotations

import contextlib
import gc
import os
import resource
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .cache import ContentCache, output_unchanged, use_for_this_build
from .catalogcache import COMPILED_CATALOGS
from .check import check_output
from .classstyles import class_problems
from .decisions import Decision, SharedDecisions, body_digest, shared_decisions
from .diagnostics import Diagnostic, ProjectError, error
from .document import RenderedDocument, ResourceError
from .fonts import UncoveredText, check_rendered
from .jobs import build_timestamp, fallback_warnings, job_brief, job_fingerprint, job_view, printed_fallbacks
from .lookup import TemplateChain, template_filename
from .model import Model
from .outputwarnings import WarningLocator, recorded_fallbacks, recorded_warnings, theme_stylesheets
from .parsed import ParsedDocument
from .plan import Job
from .publish import Publisher, TempOutput
from .render import (
    COMPILED_TEMPLATES,
    DocumentRenderer,
    RenderError,
    make_environment,
    precompile_builtin,
    theme_css,
)
from .resources import ResourceSandbox
from .select import View
from .templatecache import TemplateStore
from .theme import DEFAULT_THEME_DIR, audience_theme, load_theme
from .writers import DEFAULT_FORMATS, WRITERS

GC_THRESHOLDS = (10_000, 50, 100)
TOC_MIN_PAGES = 5  # "a table of contents for documents over four pages"
DEFAULT_TIMEOUT = float(os.environ.get("BRIEFGEN_RENDER_TIMEOUT", "300"))
DEFAULT_MEMORY_MB = int(os.environ.get("BRIEFGEN_RENDER_MEMORY_MB", "4096"))


@dataclass(frozen=True)
class Limits:
    seconds: float = DEFAULT_TIMEOUT  # per output
    memory_mb: int = DEFAULT_MEMORY_MB  # per worker process (writable memory, RLIMIT_DATA)


@dataclass
class JobResult:
    job: Job
    outputs: list[TempOutput] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    skipped: bool = False
    fingerprint: str | None = None
    body_reused: bool = False  # a personalised copy that laid out only its cover
    decided_elsewhere: bool = False  # a copy that took its contents decision from another worker


class RenderTimeout(BaseException):
    """Not an Exception: no `except Exception` in a rendering library may swallow it."""


# ---------------------------------------------------------------- process state

_STATE: dict = {}
# A tocmemory.ContentsMemory when a long-lived process builds the same outputs after each
# save (serve's preview worker); None in every build, which decides each time.
CONTENTS_MEMORY = None
# The chart engine address a build gives its workers when every drawing its outputs need is
# kept on disk (charts/drawings.py): no engine process, and none started in the worker.
CHARTS_KEPT = "(every drawing kept)"


def init_worker(
    model,
    out: Path,
    pdf_variant: str | None,
    limits: Limits,
    formats: list[str] | None = None,
    self_contained: bool = False,
    cache_folder: Path | None = None,
    chart_engine: str | None = None,
    scratch: str | None = None,
    charts_likely: bool = False,
) -> None:
    """Runs once in each worker process. `model` is the Model, or the pool's SharedModel
    when the worker starts before the project is loaded (the first batch reads it).
    `cache_folder`: the project's, whose compiled templates the worker loads and keeps
    (templatecache.py); None with --no-cache. `chart_engine`: the socket of the build's
    chart engine process (charts/engine.py), if it started one. `scratch`: the folder for
    the worker's temporary files, which the pool removes (pool.py). `charts_likely`: the
    project seems to show charts (build.may_show_charts): their libraries are imported in
    the warm-up too."""
    if scratch is not None:
        tempfile.tempdir = scratch
    _STATE.clear()
    loaded = isinstance(model, Model)
    _STATE.update(
        model=model if loaded else None,
        shared_model=None if loaded else model,
        out=out,
        pdf_variant=pdf_variant,
        self_contained=self_contained,
        limits=limits,
        envs={},
        sandboxes={},
        shared={},
        decisions=shared_decisions(scratch),
    )
    apply_limits(limits)
    _keep_on_disk(cache_folder)
    # What the worker inherited from the main process (modules, perhaps the model) lives as
    # long as it does: keep the cyclic collector off it. Layout allocates millions of small
    # objects that mostly live until the output is written; collecting every 700 allocations
    # cost about a tenth of a long document's time, collecting every 10 000 costs ~20 MB.
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    warm_up(formats, charts_likely)
    _use_chart_engine(chart_engine)
    if loaded:
        warm_up_charts(model)


def begin_build(
    model: Model,
    out: Path,
    pdf_variant: str | None,
    limits: Limits,
    formats: list[str] | None = None,
    self_contained: bool = False,
    cache_folder: Path | None = None,
    keep_environments: bool = True,
) -> None:
    """init_worker for a process that renders build after build (serve's preview worker): the
    first call is init_worker; a later one replaces only what belongs to one build and keeps
    what does not, so the process stays warm.

    Per build: the model, where outputs go, the build's options and the resource sandboxes
    (they keep file bytes by URL, and an asset may have been saved since). Kept: the Jinja
    environments, which depend on the project folder, theme and audience only (a template
    edited since is read again, as each rendering loads its templates through the loader), the
    limits and warmed-up libraries. `keep_environments=False` drops the environments too: the
    caller's files changed which folders their lookup chain holds (lookup.TemplateChain)."""
    if not _STATE:
        init_worker(model, out, pdf_variant, limits, formats, self_contained, cache_folder)
        _STATE["warmed"] = set(formats or DEFAULT_FORMATS)
        return
    if limits != _STATE["limits"]:
        apply_limits(limits)
    from .writers.html import forget_written

    forget_written()
    _STATE.update(
        model=model,
        shared_model=None,
        out=out,
        pdf_variant=pdf_variant,
        self_contained=self_contained,
        limits=limits,
        sandboxes={},
        shared={},  # a body laid out for the last build's theme is not this one's
    )
    if not keep_environments:
        _STATE["envs"] = {}
    _keep_on_disk(cache_folder)
    warmed = _STATE.setdefault("warmed", set())
    new = [fmt for fmt in formats or DEFAULT_FORMATS if fmt not in warmed]
    if new:
        warm_up(new)
        warmed.update(new)
    warm_up_charts(model)


def _keep_on_disk(cache_folder: Path | None) -> None:
    """Compiled templates, label catalogs and chart drawings loaded from and saved to the
    project's cache (templatecache.py, catalogcache.py, charts/drawings.py); in memory only
    without one (--no-cache)."""
    cache = ContentCache.at(cache_folder) if cache_folder else None
    COMPILED_TEMPLATES.keep_on_disk(TemplateStore(cache) if cache is not None else None)
    COMPILED_CATALOGS.keep_on_disk(cache)
    use_for_this_build(cache_folder)


def apply_limits(limits: Limits) -> None:
    """Put this process under `limits`: its memory limit now, and the handler that turns an
    output's time limit (a timer run_batch sets per output) into RenderTimeout. Every process
    that renders calls this, build workers and serve's preview worker alike, so a change to
    how limits apply reaches both."""
    if limits.memory_mb:
        size = limits.memory_mb * 1024 * 1024
        with contextlib.suppress(ValueError, OSError):  # a lower hard limit is already in force
            # The data limit, not the address-space limit: it counts the memory a process
            # writes to, which is what runs out, but not address space reserved and never
            # used. The chart engine's JavaScript runtime (V8) reserves some 32 GB at start
            # and would be killed at once under RLIMIT_AS.
            resource.setrlimit(resource.RLIMIT_DATA, (size, size))
    signal.signal(signal.SIGALRM, _on_alarm)


def warm_up(formats: list[str] | None, charts: bool = False) -> None:
    """Import the writers' libraries and read the fonts before the first output needs them;
    with `charts`, the charts' libraries too.

    Each is needed by the first output anyway; done here, it overlaps the main process's
    work when the pool starts early. A failure is left for the output that needs it to
    report, with its name.
    """
    wanted = set(formats or DEFAULT_FORMATS)
    steps = [precompile_builtin, _warm_default_theme]
    steps += [writer.warm_up for name, writer in WRITERS.items() if name in wanted]
    steps += [_warm_pdf_check] if "pdf" in wanted else []
    steps += [partial(_warm_chart_libraries, wanted)] if charts else []
    for step in steps:
        with contextlib.suppress(Exception):
            step()


def _warm_chart_libraries(formats: set[str]) -> None:
    """What an output with charts imports on its way, the chart engine aside (which starts
    only when a drawing is not kept: warm_up_charts): the charts' own modules and Babel's
    locale data, Pillow's image plugins (WeasyPrint asks Pillow first for the image each
    chart is drawn through, writers/pdf_charts.py) and python-pptx's chart writer for the
    DOCX's native charts."""
    from .charts import vega, word  # noqa: F401

    if "pdf" in formats:
        from PIL import Image

        Image.init()
    if "docx" in formats:
        word.preload()


def warm_up_charts(model: Model) -> None:
    """Start the chart engine (about half a second) in a thread when the project's briefs
    have charts and the build gave no engine process to draw in (charts/engine.py); a
    project without charts never pays for it. vl-convert holds the GIL while it starts, so
    this overlaps only the moments the worker itself waits (files, the model's pipe)."""
    if not any(brief.charts for brief in model.project.briefs) or _STATE.get("charts_kept"):
        return
    vega = sys.modules.get("briefgen.charts.vega")
    if vega is not None and vega.remote_engine():
        return
    import threading

    from .charts.vega import warm_up as start_chart_engine

    def start() -> None:
        with contextlib.suppress(Exception):  # a failure is reported by the chart that needs it
            start_chart_engine()

    threading.Thread(target=start, name="chart-engine", daemon=True).start()


def _use_chart_engine(address: str | None) -> None:
    """Draw through the build's chart engine process at `address`; None: in this process;
    CHARTS_KEPT: in this process too, should a drawing kept on disk be missing after all."""
    _STATE["charts_kept"] = address == CHARTS_KEPT
    if address == CHARTS_KEPT:
        address = None
    if address is None and "briefgen.charts.vega" not in sys.modules:
        return  # nothing drawn yet: no need to import the charts to say so
    from .charts.vega import use_engine

    use_engine(address)


def _warm_default_theme() -> None:
    theme_css(load_theme(DEFAULT_THEME_DIR))  # most projects use it


def _warm_pdf_check() -> None:
    # The check reads every PDF's page text with PDFium; its strings need qpdf (pikepdf)
    # only for a file pdfstrings.py cannot read, so pikepdf is left until then.
    import pypdfium2  # noqa: F401


def _on_alarm(signum, frame):
    raise RenderTimeout()


def run_batch(
    batch: list[tuple[Job, str | None]],
    model_size: int | None = None,
    chart_engine: str | None = None,
    previous: dict[str, dict] | None = None,
    fingerprint_here: bool = True,
) -> list[JobResult]:
    """Render a batch of (job, fingerprint); see the module docstring for the sharing.
    `chart_engine`: as for init_worker. A job handed over before it was fingerprinted
    (fingerprint None: pool.start) is fingerprinted here unless `fingerprint_here` is off
    (the main process does it meanwhile), and with `previous` (the manifest entries of its
    outputs, when the build may skip) not rendered if up to date."""
    _use_chart_engine(chart_engine)
    if _STATE["model"] is None:
        failed = _read_shared_model(model_size)
        if failed:
            return [
                JobResult(job, diagnostics=[error("briefgen.yaml", 0, 0, f"{job.label}: {failed}")])
                for job, _ in batch
            ]
    results = []
    # Kept across the batches of this build: a worker's later batch of a brief's copies
    # takes the body its first batch laid out (render_outputs).
    shared: dict = _STATE.setdefault("shared", {})
    for job, fingerprint in batch:
        started = time.perf_counter()
        view = None
        if fingerprint is None and fingerprint_here:
            view, fingerprint, unchanged = fingerprinted(
                _STATE["model"], job, _STATE["pdf_variant"], _STATE["out"], previous
            )
            if unchanged is not None:
                results.append(unchanged)
                continue
        outcome = JobResult(job, fingerprint=fingerprint)
        limits: Limits = _STATE["limits"]
        out_of_memory = False
        try:
            # The timer stops before any handler below runs: an alarm while a MemoryError is
            # being handled (freeing a gigantic string takes a while) would otherwise escape
            # as a traceback instead of this output's error.
            try:
                if limits.seconds:
                    signal.setitimer(signal.ITIMER_REAL, limits.seconds)
                outcome.outputs, outcome.diagnostics = render_outputs(job, shared, view)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except RenderTimeout:
            outcome.diagnostics.append(
                error(
                    "templates/" + template_filename(_brief(job).template),
                    0,
                    0,
                    f"{job.label}: rendering took longer than {limits.seconds:g} s and was stopped "
                    "(a template or stylesheet that produces too much? set BRIEFGEN_RENDER_TIMEOUT "
                    "to allow more)",
                )
            )
        except MemoryError:
            # Only a flag here: the traceback still holds the memory that ran out.
            out_of_memory = True
        except ProjectError as exc:
            outcome.diagnostics.extend(exc.diagnostics)
        except Exception as exc:  # a bug, in briefgen or a library: one line, not a traceback
            outcome.diagnostics.append(
                error(
                    "templates/" + template_filename(_brief(job).template),
                    0,
                    0,
                    f"{job.label}: internal error while rendering ({type(exc).__name__}: {exc}); "
                    "nothing was published. Please report this with the project that causes it.",
                )
            )
        if out_of_memory:
            outcome.diagnostics.append(
                error(
                    "templates/" + template_filename(_brief(job).template),
                    0,
                    0,
                    f"{job.label}: rendering needed more than {limits.memory_mb} MiB and was stopped "
                    "(a template that produces too much? set BRIEFGEN_RENDER_MEMORY_MB to allow more)",
                )
            )
            shared.clear()
        outcome.body_reused = shared.pop("last_reused", False)
        outcome.decided_elsewhere = shared.pop("decided_elsewhere", False)
        if any(d.is_error for d in outcome.diagnostics):
            Publisher(_STATE["out"]).discard(outcome.outputs)
            outcome.outputs = []
        outcome.seconds = time.perf_counter() - started
        _output_done()
        results.append(outcome)
    return results


def fingerprinted(
    model: Model, job: Job, pdf_variant: str | None, out: Path, previous: dict[str, dict] | None
) -> tuple[View, str, JobResult | None]:
    """A job's view, its fingerprint, and its result when it is up to date (unchanged_outcome):
    what the main process or a worker works out before rendering it."""
    view = job_view(model, job)
    theme = audience_theme(model, job.audience_id)  # the project's unless the audience names one
    fingerprint = job_fingerprint(model, job, theme, pdf_variant, view)
    return view, fingerprint, unchanged_outcome(model, job, view, fingerprint, out, previous)


def unchanged_outcome(
    model: Model, job: Job, view: View, fingerprint: str, out: Path, previous: dict[str, dict] | None
) -> JobResult | None:
    """The result of an output not rendered again, when the manifest entries in `previous`
    record this fingerprint for each of its files and the files are still those written;
    else None. What its writers said last time is said again, and the fallbacks it printed,
    each at its place in today's files."""
    if previous is None:
        return None
    entries = [previous.get(job.relpath(fmt)) for fmt in job.formats]
    if not all(
        output_unchanged(out, job.relpath(fmt), fingerprint, entry)
        for fmt, entry in zip(job.formats, entries, strict=True)
    ):
        return None
    recorded = recorded_warnings(entries)
    recorded += fallback_warnings(model, view, job, recorded_fallbacks(entries))
    return JobResult(job, diagnostics=recorded, skipped=True, fingerprint=fingerprint)


def _output_done() -> None:
    """What the output just rendered asked the chart engine process for and never read is
    not kept for the next (charts/engine.py)."""
    vega = sys.modules.get("briefgen.charts.vega")
    if vega is not None:
        vega.output_done()


def _read_shared_model(size: int | None) -> str | None:
    """Read the model the main process wrote for an early-started worker; None, or what failed."""
    try:
        _STATE["model"] = _STATE["shared_model"].get(size)
        warm_up_charts(_STATE["model"])
    except MemoryError:
        return (
            f"reading the project needed more than {_STATE['limits'].memory_mb} MiB in the worker "
            "(set BRIEFGEN_RENDER_MEMORY_MB to allow more); nothing was published"
        )
    except Exception as exc:  # a bug: one line, not a traceback
        return (
            f"internal error while handing the project to a worker ({type(exc).__name__}: {exc}); "
            "nothing was published. Please report this with the project that causes it."
        )
    return None


def _brief(job: Job):
    return job_brief(_STATE["model"], job)


# ---------------------------------------------------------------- one output


def render_outputs(
    job: Job, shared: dict, view: View | None = None
) -> tuple[list[TempOutput], list[Diagnostic]]:
    """Select (unless given the job's `view`), render, write and check one output in every
    format it asks for."""
    model: Model = _STATE["model"]
    out: Path = _STATE["out"]
    root = Path(model.root)
    brief = _brief(job)
    view = view if view is not None else job_view(model, job)
    diagnostics: list[Diagnostic] = []
    theme = audience_theme(model, job.audience_id)  # the project's unless the audience names one
    env_key = (job.audience_id, theme.folder)
    if env_key not in _STATE["envs"]:
        _STATE["envs"][env_key] = make_environment(root, theme, job.audience_id)
    renderer = DocumentRenderer(_STATE["envs"][env_key], theme, root)
    renderer.chart_pictures = "docx" in job.formats
    if theme.folder not in _STATE["sandboxes"]:
        _STATE["sandboxes"][theme.folder] = ResourceSandbox(
            root, theme.folder, model.project.allow_remote_resources
        )
    sandbox = _STATE["sandboxes"][theme.folder]
    read_resource = sandbox.withholding(view.withheld_images)
    pdf_variant = _STATE["pdf_variant"] or model.project.pdf_variant
    self_contained = _STATE.get("self_contained", False) or brief.html.self_contained

    rendered: dict[bool, RenderedDocument] = {}

    def document_for(show_toc: bool) -> RenderedDocument:
        # Each version of the HTML (with or without contents) is rendered once per output.
        if show_toc in rendered:
            return rendered[show_toc]
        parsed = renderer.render_parsed(brief.template, view, {"show_toc": show_toc})
        uncovered = check_rendered(parsed.html, theme, root, template_filename(brief.template))
        if uncovered:  # before any layout: the PDF would print empty boxes
            raise UncoveredText(uncovered)
        rendered[show_toc] = RenderedDocument(
            html=parsed.html,
            parsed_html=parsed,
            theme=theme,
            read_resource=read_resource,
            base_url=sandbox.base_url,
            template=template_filename(brief.template),
            language=job.language,
            timestamp=build_timestamp(view),
            pdf_variant=pdf_variant,
            self_contained=self_contained,
        )
        return rendered[show_toc]

    from .writers.pdf import anchors_only, without_letter
    from .writers.pdf import layout as layout_document

    def layout(document: RenderedDocument, at_least: int | None = None):
        # The brief's pages: a recipient's letter is laid out apart, when the PDF is written.
        return layout_document(without_letter(document), at_least)

    outputs: list[TempOutput] = []
    publisher = Publisher(out)
    try:
        group = (job.brief_id, job.audience_id, job.language)
        if not job.recipient_id:
            # A brief's laid-out pages are not kept while another document is laid out, on
            # top of its memory: the worker's next copy of the brief lays out its body again
            # (its contents decision stays shared, decisions.py).
            for key in [
                k for k, kept in shared.items() if isinstance(k, tuple) and kept["layout"] is not None
            ]:
                del shared[key]
        reuse = shared.get(group)
        # A copy with a letter counts the brief's own pages in its DOCX footer (SECTIONPAGES),
        # whose result LibreOffice shows as written: the count comes from the brief's pages
        # laid out, even when no PDF is asked for ("Page 4 of 1" otherwise). The copies of a
        # brief share that layout (decisions.py), so a mailing lays it out once.
        needs_layout = "pdf" in job.formats or ("docx" in job.formats and view.letter is not None)
        document = document_for(show_toc=reuse["toc"]) if reuse else None
        laid_out = (
            _reuse_body(document, reuse, layout) if reuse and reuse["layout"] and needs_layout else None
        )
        shared["last_reused"] = laid_out is not None
        if reuse and not needs_layout and document.parsed.after_cover() == reuse["body"]:
            pass  # the contents decision of the first copy holds: same body
        elif laid_out is None:
            memory = CONTENTS_MEMORY
            if memory is not None and needs_layout:  # serve's preview worker (tocmemory.py)
                document, laid_out, toc = memory.lay_out(
                    job.stem, document_for, layout, _lay_out_with_contents_decided
                )
            elif job.recipient_id:
                document, laid_out, toc, shared["decided_elsewhere"] = _decided_with_other_workers(
                    group, document_for, layout, needs_layout
                )
            else:
                document, laid_out, toc = _lay_out_with_contents_decided(document_for, layout, needs_layout)
            if job.recipient_id:
                # Only the last group's: the laid-out pages of every brief would add up.
                for other in [key for key in shared if isinstance(key, tuple) and key != group]:
                    del shared[other]
                shared[group] = {"toc": toc, "body": document.parsed.after_cover(), "layout": laid_out}
        if laid_out is not None:
            document.page_count = len(laid_out.pages)
        document.layout = laid_out  # the PDF writer writes these pages rather than laying out again
        locator = WarningLocator(
            root, theme.folder, TemplateChain(root, theme.templates_dir, job.audience_id), brief.template
        )
        before_writers = len(document.warnings)
        # The PDF first: its pages are then let go (unless the next copy reuses them), so the
        # DOCX writer's memory does not come on top of a whole laid-out document.
        for fmt in sorted(job.formats, key=lambda name: name != "pdf"):
            temp = publisher.temp_path(job.relpath(fmt))
            already = len(document.warnings)
            written = WRITERS[fmt].write(document, temp)
            output = TempOutput(
                job, fmt, job.relpath(fmt), temp, written.pages, companions=written.companions
            )
            # What this format's writer said, kept in its manifest entry (outputwarnings.py).
            said = document.warnings[:before_writers] + document.warnings[already:]
            found = list(dict.fromkeys(locator.diagnostic(message) for message in said))
            if found:
                output.record = {"warnings": found}
            if written.page_digests is not None:  # serve's previews (writers/pdf_pages.py)
                output.record = {**(output.record or {}), "page_digests": list(written.page_digests)}
            diagnostics.extend(d for d in found if d not in diagnostics)
            outputs.append(output)
            if fmt == "pdf" and len(job.formats) > 1 and not job.recipient_id and laid_out is not None:
                document.layout = laid_out = anchors_only(laid_out)
                gc.collect()
        outputs.sort(key=lambda output: job.formats.index(output.format))
        if "docx" not in job.formats and document.parsed_html is not None:
            # Classes with no look in the DOCX: the DOCX writer reports them when it runs;
            # without it they are every output's warnings.
            name = template_filename(brief.template)
            body = document.parsed_html.tree.body
            unstyled = [locator.diagnostic(f"{name}: {m}") for _, m in class_problems(body, theme)]
            for output in outputs:
                kept = (output.record or {}).get("warnings", [])
                output.record = {**(output.record or {}), "warnings": list(dict.fromkeys([*kept, *unstyled]))}
            diagnostics.extend(d for d in unstyled if d not in diagnostics)
        # Localized fields that fell back to another language, as far as this output prints
        # them: said with its other warnings, and again while it is up to date (its record).
        printed = printed_fallbacks(view, document.parsed)
        if printed:
            for output in outputs:
                output.record = {**(output.record or {}), "fallbacks": printed}
            fallbacks = fallback_warnings(model, view, job, printed)
            diagnostics.extend(d for d in fallbacks if d not in diagnostics)
        for output in outputs:
            # The copies of a brief differ little: each is searched where it differs from the first.
            reference = shared.setdefault("checked", {}).setdefault((job.brief_id, output.format), {})
            leak = check_output(output.temp, output.format, view.ledger, reference)
            if leak:
                diagnostics.append(locator.leak_error(output.relpath, leak, theme_stylesheets(theme)))
    except RenderError as exc:
        diagnostics.append(exc.diagnostic)
    except UncoveredText as exc:
        diagnostics.extend(exc.diagnostics)
    except ResourceError as exc:
        locator = WarningLocator(
            root, theme.folder, TemplateChain(root, theme.templates_dir, job.audience_id), brief.template
        )
        diagnostics.append(locator.resource_error(job.label, str(exc)))
    except BaseException:  # a time or memory limit: leave no temporary file behind
        publisher.discard(outputs)
        raise
    if any(d.is_error for d in diagnostics):
        publisher.discard(outputs)
        outputs = []
    return outputs, diagnostics


def _lay_out_with_contents_decided(document_for, layout, needs_layout: bool):
    """(document, layout or None, has contents): contents when the text runs over four pages.

    Every format must get the same HTML whatever formats a build asks for, so the decision
    is a function of the HTML alone: clear from its length for short and long documents,
    and from a layout of the text for those in between. A DOCX-only build of a long
    document thus needs no PDF layout at all.

    The version with contents is rendered first and measured without them, so a long
    document, where time matters, is rendered once. `layout(document, at_least=N)` gives None
    for a document of N pages or more (writers/pdf.layout).
    """
    with_toc = document_for(show_toc=True)
    least, most = _page_estimate(with_toc, enough=TOC_MIN_PAGES)
    if least >= TOC_MIN_PAGES:
        return with_toc, layout(with_toc) if needs_layout else None, True
    plain = document_for(show_toc=False)
    if most < TOC_MIN_PAGES:
        return plain, layout(plain) if needs_layout else None, False
    # Laid out only as far as it takes to know: a document that runs on past four pages
    # gets contents, and its pages without them are not needed.
    plain_layout = layout(plain, at_least=TOC_MIN_PAGES)
    if too_short_for_contents(plain_layout):
        return plain, plain_layout, False
    return with_toc, layout(with_toc) if needs_layout else None, True


def too_short_for_contents(plain_layout) -> bool:
    """Whether a layout without contents, made with `at_least=TOC_MIN_PAGES` (None: at
    least that many pages), is of a document that gets none."""
    return plain_layout is not None and len(plain_layout.pages) < TOC_MIN_PAGES


def _decided_with_other_workers(group: tuple, document_for, layout, needs_layout: bool):
    """_lay_out_with_contents_decided for a personalised copy, taking the decision another
    worker of this build took for the same body when there is one (decisions.py); and
    whether it did."""
    decisions: SharedDecisions | None = _STATE.get("decisions")
    if decisions is None:
        return (*_lay_out_with_contents_decided(document_for, layout, needs_layout), False)
    with decisions.claim(group) as claim:
        known = claim.known if claim is not None else None
        if known is not None:
            document = document_for(show_toc=known.toc)
            if body_digest(document.parsed.after_cover()) == known.body:
                claim.release()  # nothing to write: let the others read it meanwhile
                laid_out = layout(document) if needs_layout else None
                if laid_out is None or len(laid_out.pages) == known.pages:
                    return document, laid_out, known.toc, True
                # The cover is another size: this copy decides for itself.
                return (*_lay_out_with_contents_decided(document_for, layout, needs_layout), False)
        document, laid_out, toc = _lay_out_with_contents_decided(document_for, layout, needs_layout)
        if claim is not None:
            pages = len(laid_out.pages) if laid_out is not None else None
            claim.record(Decision(toc, body_digest(document.parsed.after_cover()), pages))
        return document, laid_out, toc, False


def _page_estimate(document, enough: int | None = None) -> tuple[int, int]:
    """The fewest and most pages a document's text can fill: the cover, forced page breaks,
    and the words at the densest (800 a page) and sparsest (120 a page) setting. The
    contents are left out: they are what is being decided. With `enough`, the words are
    counted only until they alone fill that many pages at the densest setting: the figures
    are then at least `enough` (a long document's decision), exact below it."""
    parsed = _parsed(document)
    if enough is None:
        words, breaks = parsed.words_and_breaks()
    else:
        words, breaks = parsed.words_and_breaks(enough=enough * 800)
    fixed = 1 + breaks
    return fixed + words // 800, fixed + 1 + words // 120


def _parsed(document) -> ParsedDocument:
    if isinstance(document, ParsedDocument):
        return document
    parsed = getattr(document, "parsed", None)
    return parsed if parsed is not None else ParsedDocument(document.html)


def _reuse_body(document: RenderedDocument, reuse: dict, layout):
    """A laid-out document: this copy's cover page + the shared body pages, or None."""
    from .writers.pdf import without_letter

    parsed = without_letter(document).parsed
    cover_html = parsed.cover_only()
    if cover_html is None or parsed.after_cover() != reuse["body"]:
        return None
    fields = {**document.__dict__, "html": cover_html, "layout": None, "parsed_html": None}
    cover_only = RenderedDocument(**fields)
    cover_layout = layout(cover_only)
    first = reuse["layout"]
    if len(cover_layout.pages) != 1 or len(first.pages) < 2:
        return None
    return first.copy([cover_layout.pages[0], *first.pages[1:]])
