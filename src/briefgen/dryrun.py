"""Dry run: a valid Model -> what a build would report before any layout, for `validate`.

`validate` promises everything `build` checks. Beyond the content, a build checks the
theme, reports language fallbacks per output and renders each output's HTML through the
templates, where a misspelt variable or a broken project template fails, and reads each
output back for values withheld from its audience (the confidentiality check). The dry run
does all of that in the Jinja sandbox, without WeasyPrint, python-docx or any file written.
"""

from __future__ import annotations

from pathlib import Path

from .check import check_rendered_html
from .diagnostics import Diagnostic, ProjectError
from .fonts import check_rendered
from .labels import catalog_problems, label_warnings
from .model import Model
from .templatecheck import template_problems


def dry_run(model: Model) -> list[Diagnostic]:
    """Every diagnostic of rendering each output's HTML, once each."""
    from .jobs import fallback_warnings, job_view, printed_fallbacks
    from .outputwarnings import leak_diagnostic
    from .plan import plan_jobs
    from .render import DocumentRenderer, RenderError, make_environment
    from .theme import audience_theme, project_theme

    found: list[Diagnostic] = []
    try:
        project_theme(model)  # an unknown theme, or one that leads out of the project
    except ProjectError as exc:
        return list(exc.diagnostics)
    root = Path(model.root)
    jobs = plan_jobs(model)
    found += catalog_problems(root)
    found += label_warnings(model, dict.fromkeys(job.language for job in jobs))
    found += template_problems(model, jobs)  # unknown folders and blocks, no base
    renderers: dict[str, DocumentRenderer] = {}
    templates = {b.id: b.template for b in model.project.briefs}
    failed: set[tuple[str, str]] = set()  # (audience, template): one broken render is enough
    checked: dict[str, dict] = {}
    seen: set[tuple[str, str, str]] = set()  # (audience, template, URL): once, not per copy
    for job in jobs:
        view = job_view(model, job)
        template = templates[job.brief_id]
        if (job.audience_id, template) in failed:
            continue
        if job.audience_id not in renderers:
            try:
                own = audience_theme(model, job.audience_id)  # the audience may name its own
            except ProjectError as exc:
                found += exc.diagnostics
                failed.add((job.audience_id, template))
                continue
            renderers[job.audience_id] = DocumentRenderer(
                make_environment(root, own, job.audience_id), own, root
            )
        try:
            renderer = renderers[job.audience_id]
            parsed = renderer.render_parsed(template, view, {"show_toc": True})
            html = parsed.html
            found += fallback_warnings(model, view, job, printed_fallbacks(view, parsed))
            # A character of a template or label no font of the theme has (fonts.py).
            found += check_rendered(html, renderer.theme, root, f"{template}.html.j2")
            # Classes with no look in the DOCX (theme `styles`), as the build reports them.
            found += _class_warnings(parsed.tree.body, renderer.theme, root, job.audience_id, template)
            # Images and files the templates name that the build could not read.
            found += _unreadable_resources(parsed.tree, renderer.theme, root, model, job, template, seen)
            # The confidentiality check, on the HTML: what the build would refuse to publish.
            # The copies of a brief differ little: each is read where it differs (check.py).
            leak = check_rendered_html(html, view.ledger, checked.setdefault(job.brief_id, {}))
            if leak:
                found.append(
                    leak_diagnostic(
                        root, renderer.theme, job.audience_id, template, f"{job.brief_id}/{job.stem}", leak
                    )
                )
        except RenderError as exc:
            failed.add((job.audience_id, template))
            found.append(exc.diagnostic)
    return list(dict.fromkeys(found))


def _class_warnings(body, theme, root: Path, audience_id: str, template: str) -> list[Diagnostic]:
    """The classes of `body` (the rendered document's, parsed) with no look in the DOCX."""
    from .classstyles import class_problems
    from .lookup import TemplateChain, template_filename
    from .outputwarnings import WarningLocator

    # At the template line that wrote the element, as the build places them.
    locator = WarningLocator(
        root, theme.folder, TemplateChain(root, theme.templates_dir, audience_id), template
    )
    name = template_filename(template)
    return [locator.diagnostic(f"{name}: {m}") for _, m in class_problems(body, theme)]


def _unreadable_resources(
    tree, theme, root: Path, model: Model, job, template: str, seen: set[tuple[str, str, str]]
) -> list[Diagnostic]:
    """`<img src>` and stylesheet `<link href>` of the rendered HTML that the build's resource
    sandbox would refuse (a missing file, one outside assets/), at the template line naming
    each: the build stops there, so `validate` says so first. Only resolved, never read."""
    from .document import ResourceError
    from .lookup import TemplateChain
    from .outputwarnings import WarningLocator
    from .resources import ResourceSandbox

    remote = model.project.allow_remote_resources
    sandbox = ResourceSandbox(root, theme.folder, remote)
    found = []
    for element in tree.iter("img", "link"):
        if element.tag == "link" and "stylesheet" not in (element.get("rel") or "").lower().split():
            continue
        url = element.get("src" if element.tag == "img" else "href")
        if not url or url.startswith(("data:", "#")) or (remote and "://" in url):
            continue
        if (job.audience_id, template, url) in seen:
            continue
        seen.add((job.audience_id, template, url))
        try:
            sandbox.resolve(url)
        except ResourceError as exc:
            locator = WarningLocator(
                root, theme.folder, TemplateChain(root, theme.templates_dir, job.audience_id), template
            )
            found.append(locator.resource_error(f"{job.brief_id}/{job.stem}", str(exc)))
    return found
