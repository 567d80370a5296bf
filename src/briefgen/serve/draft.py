"""Draft: one output of a loaded project -> its HTML preview, without waiting for a PDF layout.

The build's HTML of a document of middling length waits for a PDF layout of it, which
decides whether it gets a table of contents (worker.py). The draft view cannot wait that
long after each save, so a draft takes the decision the last build of the same output took
(read from its HTML), renders, writes and checks the HTML exactly as a build does, and is
shown at once; the build that follows publishes the real HTML (the same bytes unless the
decision changed, in which case the page refreshes once more).

A draft renders in the preview worker (preview_worker.py), under the build's time and memory
limits: a template that loops for ever must not hang the server.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..check import check_output
from ..diagnostics import ProjectError, error
from ..document import RenderedDocument, ResourceError
from ..jobs import build_timestamp, job_view
from ..lookup import template_filename
from ..model import Model
from ..outputwarnings import leak_diagnostic
from ..parsed import ParsedDocument
from ..plan import Job
from ..render import DocumentRenderer, RenderError, make_environment
from ..resources import ResourceSandbox
from ..theme import audience_theme
from ..worker import TOC_MIN_PAGES
from ..writers import html as html_writer


def has_contents(path: Path) -> bool | None:
    """Whether a built HTML file has a table of contents; None when there is no file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    return ParsedDocument(text).contents_nav() is not None


def draft_html(model: Model, job: Job, target: Path, show_toc: bool | None) -> list[str]:
    """Write the HTML of `job` to `target` (and its `_files` folder), with contents as
    `show_toc` says (None: never built, decided from the text's length); returns error lines.
    Runs in the preview worker, which sets the limits (PreviewWorker.draft)."""
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
        # A draft stopped before the rename below leaves its "NAME.html_files" behind.
        shutil.rmtree(target.with_name(target.name + "_files"), ignore_errors=True)
        written = html_writer.write(document, target)
        for companion in written.companions:  # "NAME.html_files" -> "NAME_files", as publish does
            os.replace(companion, folder)
        leak = check_output(target, "html", view.ledger)
        if leak:
            target.unlink(missing_ok=True)
            return [
                str(leak_diagnostic(root, theme, job.audience_id, brief.template, job.relpath("html"), leak))
            ]
    except RenderError as exc:
        return [str(exc.diagnostic)]
    except ResourceError as exc:
        return [str(error("templates/" + template_filename(brief.template), 0, 0, f"{job.label}: {exc}"))]
    except ProjectError as exc:
        return [str(d) for d in exc.diagnostics if d.is_error]
    return []
