"""Command line: `briefgen build|validate|init|schema|list|serve` (shared/spec/cli.md, 1 and 1.1).

Exit status: 0 success (warnings allowed), 1 project errors (content, templates, a failed
confidentiality check), 2 usage errors. Content and template mistakes are printed as
`PATH:LINE:COLUMN: message` lines, never as tracebacks.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .diagnostics import Diagnostic, ProjectError
from .writers import FORMATS

EXIT_ERRORS = 1
EXIT_USAGE = 2
STRICT_HELP = "Treat warnings about incomplete languages (missing labels, fallbacks) as errors."


def _project_dir(project: str | None) -> Path:
    """The project that holds PROJECT (default: the current folder), looking upwards as git does."""
    start = Path(project or ".")
    if not start.is_dir():
        raise click.UsageError(f"{start}: no such folder; give the folder that holds briefgen.yaml")
    root = find_project(start)
    if root is None:
        raise click.UsageError(
            f"{start}: not inside a briefing project (no briefgen.yaml here or in any folder above); "
            "run 'briefgen init DIR' to start one"
        )
    return root


def find_project(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds briefgen.yaml."""
    # `start` itself first, as the user wrote it, so messages show the path they typed.
    for candidate in (start, *start.resolve().parents):
        if (candidate / "briefgen.yaml").is_file():
            return candidate
    return None


def _print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
def main() -> None:
    """Turn YAML content and Jinja templates into briefing papers (PDF, DOCX, HTML)."""


@main.command()
@click.argument("project", required=False)
@click.option("-o", "--out", "out", type=click.Path(file_okay=False), help="Output folder [PROJECT/output].")
@click.option("--brief", "briefs", multiple=True, metavar="ID", help="Build only this brief (repeatable).")
@click.option("--audience", "audiences", multiple=True, metavar="ID", help="Only this audience (repeatable).")
@click.option("--lang", "languages", multiple=True, metavar="CODE", help="Only this language (repeatable).")
@click.option(
    "--format", "formats", multiple=True, type=click.Choice(list(FORMATS)), help="Only this format."
)
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [number of CPUs].")
@click.option("--force", is_flag=True, help="Rebuild outputs that are up to date.")
@click.option(
    "--pdf-variant", type=click.Choice(["pdf/a-3b"]), default=None, help="Archival PDF as well as tagged."
)
@click.option("--strict", is_flag=True, help=STRICT_HELP)
def build(project, out, briefs, audiences, languages, formats, jobs, force, pdf_variant, strict) -> None:
    """Build the project's briefs into OUT."""
    from .build import BuildOptions, build_project
    from .plan import UsageError
    from .progress import ProgressReporter

    root = _project_dir(project)
    options = BuildOptions(
        out=Path(out) if out else root / "output",
        briefs=list(briefs) or None,
        audiences=list(audiences) or None,
        languages=list(languages) or None,
        formats=list(formats) or None,
        jobs=jobs,
        force=force,
        strict=strict,
        pdf_variant=pdf_variant,
    )
    reporter = ProgressReporter()
    try:
        report = build_project(root, options, progress=reporter.advance, on_plan=reporter.start)
    except UsageError as exc:
        reporter.stop()
        raise click.UsageError(str(exc)) from None
    except ProjectError as exc:
        reporter.stop()
        _print_diagnostics(exc.diagnostics)
        errors = sum(1 for d in exc.diagnostics if d.is_error)
        click.echo(f"briefgen: {errors} error(s); nothing was published", err=True)
        sys.exit(EXIT_ERRORS)
    reporter.stop()
    _print_diagnostics(report.diagnostics)
    reporter.summary(report)


@main.command()
@click.argument("project", required=False)
@click.option("--strict", is_flag=True, help=STRICT_HELP)
def validate(project, strict) -> None:
    """Check everything `build` would check; build nothing."""
    from .diagnostics import strictly
    from .load import load_project

    root = _project_dir(project)
    result = load_project(root)
    diagnostics = list(result.diagnostics)
    if result.model is not None:
        from .dryrun import dry_run

        diagnostics += dry_run(result.model)
    if strict:
        diagnostics = strictly(diagnostics)
    _print_diagnostics(diagnostics)
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    if errors:
        click.echo(f"briefgen: {errors} error(s), {warnings} warning(s)", err=True)
        sys.exit(EXIT_ERRORS)
    click.echo(f"{root}: valid ({warnings} warning(s))")


@main.command()
@click.argument("directory")
def init(directory) -> None:
    """Write a small working project into DIRECTORY."""
    from .scaffold import write_starter_project

    target = Path(directory)
    try:
        write_starter_project(target)
    except FileExistsError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"Created a briefing project in {target}. Build it with: briefgen build {target}")


@main.command()
@click.option("--project-file", is_flag=True, help="Print the schema of briefgen.yaml instead.")
def schema(project_file) -> None:
    """Print the JSON Schema of content files (for editors' YAML autocompletion)."""
    from .schema import content_schema, project_schema

    click.echo(
        json.dumps(project_schema() if project_file else content_schema(), indent=2, ensure_ascii=False)
    )


@main.command(name="list")
@click.argument("project", required=False)
def list_command(project) -> None:
    """Print the briefs, audiences, languages and templates, and the outputs each brief makes."""
    from .load import load_project
    from .plan import brief_audiences, brief_languages, brief_recipients, plan_jobs

    root = _project_dir(project)
    result = load_project(root)
    if result.model is None:
        _print_diagnostics(result.diagnostics)
        sys.exit(EXIT_ERRORS)
    model = result.model
    click.echo(f"Project: {model.project.name}")
    click.echo("Audiences:")
    for audience in model.audiences():
        click.echo(
            f"  {audience.id}  clearance={audience.clearance}"
            + (f"  language={audience.language}" if audience.language else "")
        )
    click.echo("Briefs:")
    jobs = plan_jobs(model)
    for brief in model.project.briefs:
        audiences = ", ".join(a.id for a in brief_audiences(model, brief))
        languages = ", ".join(brief_languages(model, brief))
        recipients = brief_recipients(model, brief)
        click.echo(f"  {brief.id}  template={brief.template}")
        click.echo(f"    audiences: {audiences}; languages: {languages}; formats: {', '.join(brief.formats)}")
        if recipients:
            click.echo(f"    recipients: {', '.join(r.id for r in recipients)} (one copy each)")
        for job in (j for j in jobs if j.brief_id == brief.id):
            for fmt in job.formats:
                click.echo(f"      -> {job.relpath(fmt)}")
    from .labels import missing_labels

    click.echo("Languages:")
    for language in sorted({j.language for j in jobs}):
        missing = missing_labels(language, root)
        state = f"{len(missing)} label(s) not translated" if missing else "labels complete"
        click.echo(f"  {language}  {state}")
    templates = sorted({b.template for b in model.project.briefs})
    click.echo("Templates: " + ", ".join(templates))
    click.echo(f"Outputs: {sum(len(j.formats) for j in jobs)}")


@main.group()
def catalogs() -> None:
    """Label catalogs of a project (locale/LANG.po): correct built-in labels, add languages."""


@catalogs.command(name="init")
@click.argument("language")
@click.argument("project", required=False)
def catalogs_init(language, project) -> None:
    """Write PROJECT/locale/LANGUAGE.po with every label (or add the new ones to it)."""
    from babel.messages.pofile import PoFileError

    from .catalogs import init_project_catalog
    from .validate import known_language

    if not known_language(language):
        raise click.UsageError(f"unknown language code {language!r}; use an ISO 639 code such as be or ka")
    root = _project_dir(project)
    try:
        path, added, translated = init_project_catalog(root, language)
    except PoFileError as exc:
        line = (getattr(exc, "lineno", 0) or 0) + 1  # Babel counts lines from 0
        click.echo(f"locale/{language}.po:{line}:1: this label catalog cannot be read: {exc}", err=True)
        sys.exit(EXIT_ERRORS)
    shown = path.relative_to(root) if path.is_relative_to(root) else path
    click.echo(f"{shown}: {added} label(s) added; {translated} translated. Translate the empty msgstr lines.")


@main.command()
@click.argument("project", required=False)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=None, help="Port [8000, or the next free one]."
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--no-open", is_flag=True, help="Do not open the page in a web browser.")
@click.option("--poll", is_flag=True, help="Poll for changes (file systems that send no events).")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [number of CPUs].")
def serve(project, port, host, no_open, poll, jobs) -> None:
    """Preview the project in a web browser; saved changes show at once."""
    try:
        from .serve.runner import ServeOptions, run_cli
    except ImportError as exc:  # the [serve] extra is not installed
        raise click.UsageError(f"briefgen serve needs {exc.name}: pip install 'briefgen[serve]'") from None

    root = _project_dir(project)
    options = ServeOptions(host=host, port=port, open_browser=not no_open, poll=poll, jobs=jobs)
    status = run_cli(root, options, lambda message, err=False: click.echo(message, err=err))
    # Everything is stopped and removed by now. Tearing down the fonts and layout state that
    # WeasyPrint built would keep Ctrl-C waiting ~2 s more for nothing: leave at once.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def run() -> None:  # pragma: no cover - console entry for `python -m briefgen`
    main()
