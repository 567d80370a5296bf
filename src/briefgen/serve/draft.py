"""Draft: one output of a loaded project -> its HTML preview, without waiting for a PDF layout.

The build's HTML of a document of middling length waits for a PDF layout of it, which
decides whether it gets a table of contents (worker.py). The draft view cannot wait that
long after each save, so a draft takes the decision the last build of the same output took
(read from its HTML), renders, writes and checks the HTML exactly as a build does, and is
shown at once; the build that follows publishes the real HTML (the same bytes unless the
decision changed, in which case the page refreshes once more).

A draft renders in a forked process under the build's time and memory limits: a template
that loops for ever must not hang the server.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import shutil
import signal
from pathlib import Path

from ..check import check_output
from ..diagnostics import ProjectError, error
from ..document import RenderedDocument, ResourceError
from ..jobs import build_timestamp, job_view
from ..lookup import template_filename
from ..model import Model
from ..parsed import ParsedDocument
from ..plan import Job
from ..render import DocumentRenderer, RenderError, make_environment
from ..resources import ResourceSandbox
from ..theme import audience_theme
from ..worker import TOC_MIN_PAGES, Limits
from ..writers import html as html_writer


def has_contents(path: Path) -> bool | None:
    """Whether a built HTML file has a table of contents; None when there is no file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    return ParsedDocument(text).contents_nav() is not None


def write_draft(model: Model, job: Job, target: Path, show_toc: bool | None, limits: Limits) -> list[str]:
    """Write the HTML of `job` to `target` (and its `_files` folder); returns error lines."""
    context = multiprocessing.get_context("fork")  # the child starts warm: nothing to import
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, model, job, target, show_toc, limits), daemon=True)
    child.start()
    sender.close()
    try:
        if receiver.poll(limits.seconds + 5 if limits.seconds else None):
            return receiver.recv()
        return [f"briefgen.yaml:0:0: {job.label}: the draft took longer than {limits.seconds:g} s"]
    except EOFError:  # the child died (out of memory, a crash in a library)
        return [f"briefgen.yaml:0:0: {job.label}: the draft's process ended without a result"]
    finally:
        receiver.close()
        child.join(1)
        if child.is_alive():
            child.kill()
            child.join()


def _child(sender, model: Model, job: Job, target: Path, show_toc: bool | None, limits: Limits) -> None:
    if limits.memory_mb:
        size = limits.memory_mb * 1024 * 1024
        with contextlib.suppress(ValueError, OSError):
            # The data limit, as the build's workers use (worker.init_worker): the chart
            # engine's JavaScript runtime (V8) reserves some 32 GB of address space at start
            # and would be killed at once under RLIMIT_AS.
            resource.setrlimit(resource.RLIMIT_DATA, (size, size))
    if limits.seconds:
        signal.alarm(int(limits.seconds) + 1)  # the default action ends the process
    try:
        errors = _render(model, job, target, show_toc)
    except MemoryError:
        errors = [f"briefgen.yaml:0:0: {job.label}: the draft needed more than {limits.memory_mb} MiB"]
    except Exception as exc:  # a bug: one line, not a traceback
        failure = f"{type(exc).__name__}: {exc}"
        errors = [f"briefgen.yaml:0:0: {job.label}: internal error in the draft ({failure})"]
    sender.send(errors)
    sender.close()
    os._exit(0)  # no atexit handlers or finalizers of the parent's objects


def _render(model: Model, job: Job, target: Path, show_toc: bool | None) -> list[str]:
    root = Path(model.root)
    brief = next(b for b in model.project.briefs if b.id == job.brief_id)
    try:
        view = job_view(model, job)
        theme = audience_theme(model, job.audience_id)
        renderer = DocumentRenderer(make_environment(root, theme, job.audience_id), theme, root)
        sandbox = ResourceSandbox(root, theme.folder, model.project.allow_remote_resources)
        if show_toc is None:  # never built: contents unless the text surely fits four pages
            from ..worker import _page_estimate

            _least, most = _page_estimate(renderer.render_parsed(brief.template, view, {"show_toc": False}))
            show_toc = most >= TOC_MIN_PAGES
        parsed = renderer.render_parsed(brief.template, view, {"show_toc": show_toc})
        document = RenderedDocument(
            html=parsed.html,
            parsed_html=parsed,
            theme=theme,
            read_resource=sandbox.withholding(view.withheld_images),  # as the build does
            base_url=sandbox.base_url,
            template=template_filename(brief.template),
            language=job.language,
            timestamp=build_timestamp(view),
            pdf_variant=model.project.pdf_variant,
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        folder = target.with_name(target.stem + "_files")
        shutil.rmtree(folder, ignore_errors=True)
        written = html_writer.write(document, target)
        for companion in written.companions:  # "NAME.html_files" -> "NAME_files", as publish does
            os.replace(companion, folder)
        leak = check_output(target, "html", view.ledger)
        if leak:
            target.unlink(missing_ok=True)
            return [str(error(job.relpath("html"), 0, 0, leak))]
    except RenderError as exc:
        return [str(exc.diagnostic)]
    except ResourceError as exc:
        return [str(error("templates/" + template_filename(brief.template), 0, 0, f"{job.label}: {exc}"))]
    except ProjectError as exc:
        return [str(d) for d in exc.diagnostics if d.is_error]
    return []
