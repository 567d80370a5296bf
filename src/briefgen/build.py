"""Build: a project folder -> published outputs and manifest.json. The whole chain, in order.

    load -> validate -> plan -> (per output, in worker processes)
        select -> render -> write (pdf | docx | html) -> check
    -> publish (atomic) -> manifest

Every output is written to a temporary file inside OUT and checked; only when every output
of the build succeeded are they moved into place (os.replace) and the manifest rewritten,
so a failed build leaves the previous outputs untouched and nothing half-written.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, time as dtime
from pathlib import Path

from . import __version__
from .check import check_output
from .diagnostics import Diagnostic, ProjectError, error, warning
from .document import RenderedDocument, ResourceError
try:
    from .load import load_project
except ImportError:  # TEMPORARY while load.py is written
    load_project = None
from .model import Model
from .plan import Job, UsageError, plan_jobs
from .publish import Publisher, TempOutput
from .render import DocumentRenderer, RenderError, make_environment
from .resources import ResourceSandbox
from .select import View, select_view
from .theme import ThemeError, load_theme, resolve_theme
from .writers import WRITERS

TOC_MIN_PAGES = 5  # "a table of contents for documents over four pages"


@dataclass
class JobResult:
    job: Job
    outputs: list[TempOutput] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class BuildReport:
    outputs: list[TempOutput]
    diagnostics: list[Diagnostic]
    skipped: int = 0
    seconds: float = 0.0

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
    pdf_variant: str | None = None


def build_project(
    root: Path,
    options: BuildOptions,
    progress: Callable[[JobResult], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
) -> BuildReport:
    """Build a project; raises ProjectError (exit 1) or UsageError (exit 2)."""
    started = time.perf_counter()
    result = load_project(root)
    if result.model is None:
        raise ProjectError([d for d in result.diagnostics])
    model = result.model
    diagnostics = [d for d in result.diagnostics if not d.is_error]
    jobs = plan_jobs(model, options.briefs, options.audiences, options.languages, options.formats)

    if on_plan:
        on_plan(len(jobs))
    publisher = Publisher(options.out)
    publisher.sweep_temporaries()
    results: list[JobResult] = []
    worker_count = max(1, min(options.jobs or os.cpu_count() or 1, len(jobs)))
    if worker_count == 1:
        _init_worker(model, options.out, options.pdf_variant)
        for job in jobs:
            outcome = _run_job(job)
            results.append(outcome)
            if progress:
                progress(outcome)
    else:
        with ProcessPoolExecutor(
            max_workers=worker_count,
            initializer=_init_worker,
            initargs=(model, options.out, options.pdf_variant),
        ) as pool:
            for outcome in pool.map(_run_job, jobs, chunksize=1):
                results.append(outcome)
                if progress:
                    progress(outcome)

    outputs = [o for r in results for o in r.outputs]
    for outcome in results:
        diagnostics.extend(outcome.diagnostics)
    errors = [d for d in diagnostics if d.is_error]
    if errors:
        publisher.discard(outputs)
        raise ProjectError(_dedupe(diagnostics))
    publisher.publish(outputs, version=__version__)
    return BuildReport(outputs, _dedupe(diagnostics), seconds=time.perf_counter() - started)


# ---------------------------------------------------------------- worker side

_WORKER: dict = {}


def _init_worker(model: Model, out: Path, pdf_variant: str | None) -> None:
    _WORKER.clear()
    _WORKER.update(model=model, out=out, pdf_variant=pdf_variant or model.project.pdf_variant, envs={})


def _run_job(job: Job) -> JobResult:
    started = time.perf_counter()
    model: Model = _WORKER["model"]
    outcome = JobResult(job)
    try:
        outcome.outputs, outcome.diagnostics = render_job(model, job, _WORKER["out"], _WORKER["pdf_variant"], _WORKER["envs"])
    except ProjectError as exc:
        outcome.diagnostics.extend(exc.diagnostics)
    outcome.seconds = time.perf_counter() - started
    return outcome


def render_job(
    model: Model, job: Job, out: Path, pdf_variant: str | None = None, envs: dict | None = None
) -> tuple[list[TempOutput], list[Diagnostic]]:
    """Select, render, write and check one output in every format it asks for."""
    envs = {} if envs is None else envs
    root = Path(model.root)
    brief = next(b for b in model.project.briefs if b.id == job.brief_id)
    audience = model.audience(job.audience_id) if job.audience_id != "public" or model.project.audiences else None
    if audience is None:
        from .model import IMPLICIT_AUDIENCE

        audience = IMPLICIT_AUDIENCE
    recipient = model.recipients.get(job.recipient_id) if job.recipient_id else None
    view, _selector = select_view(model, brief, audience, job.language, recipient)
    diagnostics = fallback_warnings(model, view, job)

    try:
        theme = load_theme(resolve_theme(model.project.theme, root))
    except ThemeError as exc:
        raise ProjectError([error(model.settings_path, 0, 0, str(exc))]) from None
    key = (job.audience_id, theme.folder)
    if key not in envs:
        envs[key] = make_environment(root, theme, job.audience_id)
    renderer = DocumentRenderer(envs[key], theme, root)
    sandbox = ResourceSandbox(root, theme.folder, model.project.allow_remote_resources)
    timestamp = build_timestamp(view)

    def document_for(show_toc: bool) -> RenderedDocument:
        html = renderer.render(brief.template, view, {"show_toc": show_toc})
        return RenderedDocument(
            html=html,
            theme=theme,
            read_resource=sandbox.read,
            base_url=sandbox.base_url,
            template=f"{brief.template}.html.j2",
            language=job.language,
            timestamp=timestamp,
            pdf_variant=pdf_variant,
        )

    outputs: list[TempOutput] = []
    try:
        document = document_for(show_toc=False)
        laid_out = None
        if "pdf" in job.formats or "docx" in job.formats:
            from .writers.pdf import layout

            laid_out = layout(document)
            if len(laid_out.pages) >= TOC_MIN_PAGES:
                document = document_for(show_toc=True)
                laid_out = layout(document)
        for fmt in job.formats:
            temp = Publisher(out).temp_path(job.relpath(fmt))
            if fmt == "pdf":
                from .writers.pdf import write as write_pdf

                written = write_pdf(document, temp, laid_out=laid_out)
            else:
                written = WRITERS[fmt].write(document, temp)
            outputs.append(TempOutput(job, fmt, job.relpath(fmt), temp, written.pages))
        for message in document.warnings:
            diagnostics.append(warning(f"{job.relpath('html')}", 0, 0, message))
        for output in outputs:
            leak = check_output(output.temp, output.format, view)
            if leak:
                diagnostics.append(error(output.relpath, 0, 0, leak))
    except RenderError as exc:
        diagnostics.append(exc.diagnostic)
    except ResourceError as exc:
        diagnostics.append(error(f"templates/{brief.template}.html.j2", 0, 0, f"resource: {exc}"))
    if any(d.is_error for d in diagnostics):
        Publisher(out).discard(outputs)
        outputs = []
    return outputs, diagnostics


def build_timestamp(view: View) -> datetime:
    """The time written into metadata: SOURCE_DATE_EPOCH when set, else the brief's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.combine(view.brief.date, dtime(0, 0), tzinfo=UTC)


def fallback_warnings(model: Model, view: View, job: Job) -> list[Diagnostic]:
    """Localized fields that lack the output's language (the project language was used)."""
    found = []
    for fb in view.fallbacks:
        if fb.collection in ("briefs", "audiences"):
            where = model.settings_locate(fb.collection, fb.item_id)
        else:
            where = model.locate(fb.collection, fb.item_id, *fb.field.split("."))
        found.append(
            warning(
                where.path,
                where.line,
                where.column,
                f"{fb.collection} {fb.item_id!r}: {fb.field} has no {fb.wanted!r} text; "
                f"the {fb.wanted!r} outputs use the {fb.used!r} text",
                hint=f"add a '{fb.wanted}:' entry to translate it",
            )
        )
    return found


def _dedupe(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(diagnostics))


__all__ = ["BuildOptions", "BuildReport", "UsageError", "build_project", "render_job"]
