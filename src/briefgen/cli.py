"""Command line: `briefgen build|validate|init|schema|list|serve` (shared/spec/cli.md, 1 and 1.1).

Exit status: 0 success (warnings allowed), 1 project errors (content, templates, a failed
confidentiality check), 2 usage errors. Content and template mistakes are printed as
`PATH:LINE:COLUMN: message` lines, never as tracebacks.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .diagnostics import Diagnostic, ProjectError
from .quickexit import leave
from .writers import FORMATS

EXIT_ERRORS = 1
EXIT_USAGE = 2
STRICT_HELP = "Treat warnings about incomplete languages (missing labels, fallbacks) as errors."
NO_CACHE_HELP = "Load the project afresh, without PROJECT/.briefgen/cache."


def _project_dir(project: str | None) -> Path:
    """The project that holds PROJECT (default: the current folder), looking upwards as git does."""
    start = Path(project or ".")
    if start.is_file():
        # `briefgen validate content/cases.yaml`: commands take the project, not one file.
        root = find_project(start.parent)
        where = f" (this one's is {_shown_folder(root)})" if root is not None else ""
        raise click.UsageError(
            f"{start}: a file, not a folder; briefgen works on a whole project: give the folder "
            f"that holds briefgen.yaml{where}"
        )
    if not start.is_dir():
        raise click.UsageError(f"{start}: no such folder; give the folder that holds briefgen.yaml")
    root = find_project(start)
    if root is None:
        raise click.UsageError(
            f"{start}: not inside a briefing project (no briefgen.yaml here or in any folder above); "
            "run 'briefgen init DIR' to start one"
        )
    return root


def _shown_folder(folder: Path) -> str:
    """A folder as the user would type it: relative to where they are."""
    relative = os.path.relpath(folder.resolve(), Path.cwd().resolve())
    return relative if relative != "." else ". (the current folder)"


def find_project(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds briefgen.yaml."""
    # `start` itself first, as the user wrote it, so messages show the path they typed.
    for candidate in (start, *start.resolve().parents):
        if (candidate / "briefgen.yaml").is_file():
            return candidate
    return None


def _cache(root: Path, no_cache: bool):
    from .cache import ContentCache

    return None if no_cache else ContentCache(root)


def _print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
def main() -> None:
    """Turn YAML content and Jinja templates into briefing papers (PDF, DOCX, HTML)."""


def run() -> None:
    """The `briefgen` console script: `main`, then the process ends without the interpreter's
    tear-down (quickexit.py)."""
    try:
        main()
        code: object = 0
    except SystemExit as exc:  # click's standalone mode always ends this way
        code = exc.code
    leave(code)


@main.command()
@click.argument("project", required=False)
@click.option("-o", "--out", "out", type=click.Path(file_okay=False), help="Output folder [PROJECT/output].")
@click.option("--brief", "briefs", multiple=True, metavar="ID", help="Build only this brief (repeatable).")
@click.option("--audience", "audiences", multiple=True, metavar="ID", help="Only this audience (repeatable).")
@click.option("--lang", "languages", multiple=True, metavar="CODE", help="Only this language (repeatable).")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(list(FORMATS)),
    help="Only this format (repeatable).",
)
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [number of CPUs].")
@click.option("--force", is_flag=True, help="Rebuild outputs that are up to date.")
@click.option(
    "--pdf-variant", type=click.Choice(["pdf/a-3b"]), default=None, help="Archival PDF as well as tagged."
)
@click.option(
    "--self-contained",
    is_flag=True,
    help="Write each HTML output as one file, fonts and images inlined (for e-mail and archives).",
)
@click.option("--strict", is_flag=True, help=STRICT_HELP)
@click.option("--no-cache", is_flag=True, help=NO_CACHE_HELP)
def build(
    project,
    out,
    briefs,
    audiences,
    languages,
    formats,
    jobs,
    force,
    pdf_variant,
    self_contained,
    strict,
    no_cache,
) -> None:
    """Build the project's briefs into OUT."""
    root = _project_dir(project)
    out_dir = Path(out) if out else root / "output"
    if (
        not force
        and not no_cache
        and _nothing_to_build(
            root,
            out_dir,
            briefs=list(briefs),
            audiences=list(audiences),
            languages=list(languages),
            formats=list(formats),
            pdf_variant=pdf_variant,
            strict=strict,
            self_contained=self_contained,
        )
    ):
        return
    with without_collections():
        from .build import BuildOptions, build_project
        from .plan import UsageError
        from .progress import ProgressReporter

    options = BuildOptions(
        out=out_dir,
        briefs=list(briefs) or None,
        audiences=list(audiences) or None,
        languages=list(languages) or None,
        formats=list(formats) or None,
        jobs=jobs,
        force=force,
        strict=strict,
        cache=not no_cache,
        pdf_variant=pdf_variant,
        self_contained=self_contained,
    )
    reporter = ProgressReporter()
    try:
        report = build_project(
            root,
            options,
            progress=reporter.advance,
            on_plan=reporter.start,
            on_wait=lambda: click.echo(
                f"briefgen: another build is writing into {out_dir}; waiting for it to finish", err=True
            ),
        )
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


@contextlib.contextmanager
def without_collections():
    """The cyclic garbage collector off meanwhile, as it was after. Importing the pipeline
    makes some hundred thousand objects that live until the process ends (modules, classes,
    the content model's), among which the collector kept looking for garbage: about 0.013 s
    CPU of every build's start-up, before its workers fork."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _nothing_to_build(root: Path, out: Path, **narrowing) -> bool:
    """A rebuild with the inputs of the last build, all its outputs intact: report that,
    without loading the project (cache.unchanged_build)."""
    import time

    from .cache import ContentCache, build_key, unchanged_build

    started = time.perf_counter()
    cache = ContentCache(root)
    if cache.folder.resolve().is_relative_to(out.resolve()):
        return False
    record = unchanged_build(cache, build_key(root, out, **narrowing), out)
    if record is None:
        return False
    for label, formats, _outputs in record["jobs"]:
        click.echo(f"up to date: {label} ({', '.join(formats)}, 0.0 s)", err=True)
    for line, _is_error in record["diagnostics"]:
        click.echo(line, err=True)
    warnings = sum(1 for _line, is_error in record["diagnostics"] if not is_error)
    click.echo(
        f"briefgen: 0 file(s) written, {len(record['jobs'])} up to date, 0 PDF page(s), "
        f"{warnings} warning(s), {time.perf_counter() - started:.1f} s",
        err=True,
    )
    return True


@main.command()
@click.argument("project", required=False)
@click.option("--strict", is_flag=True, help=STRICT_HELP)
@click.option("--no-cache", is_flag=True, help=NO_CACHE_HELP)
def validate(project, strict, no_cache) -> None:
    """Check everything `build` would check; build nothing."""
    root = _project_dir(project)
    cache = _cache(root, no_cache)
    report = None
    if cache is not None:
        # An unchanged project gives the same report: print it without loading anything.
        from .cache import render_key

        key = render_key(root, "strict" if strict else "")
        report = cache.get("validate", key)
    if not (isinstance(report, list) and all(isinstance(r, tuple) and len(r) == 2 for r in report)):
        from .diagnostics import strictly
        from .load import load_project

        result = load_project(root, cache)
        diagnostics = list(result.diagnostics)
        if result.model is None:
            from .templatecheck import syntax_problems

            # Nothing can be rendered, but a template that does not parse is said now, not
            # after the content is fixed.
            diagnostics += syntax_problems(root)
        else:
            from .dryrun import dry_run
            from .render import COMPILED_TEMPLATES
            from .templatecache import TemplateStore

            # Compiled templates from the last build or validate, and kept for the next.
            COMPILED_TEMPLATES.keep_on_disk(TemplateStore(cache) if cache is not None else None)
            try:
                diagnostics += dry_run(result.model)
            finally:  # this project's store is not the next caller's (tests run many in one process)
                COMPILED_TEMPLATES.keep_on_disk(None)
        if strict:
            diagnostics = strictly(diagnostics)
        report = [(str(d), d.is_error) for d in diagnostics]
        if cache is not None:
            cache.put("validate", key, report)
            cache.keep_only("validate", [key])
    for line, _is_error in report:
        click.echo(line, err=True)
    errors = sum(1 for _line, is_error in report if is_error)
    warnings = len(report) - errors
    if errors:
        click.echo(f"briefgen: {errors} error(s), {warnings} warning(s)", err=True)
        sys.exit(EXIT_ERRORS)
    click.echo(f"{root}: valid ({warnings} warning(s))")


@main.command()
@click.argument("directory")
def init(directory) -> None:
    """Write a small working project into DIRECTORY."""
    from .scaffold import TargetError, write_starter_project

    target = Path(directory)
    try:
        write_starter_project(target)
    except TargetError as exc:
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
@click.option("--no-cache", is_flag=True, help=NO_CACHE_HELP)
def list_command(project, no_cache) -> None:
    """Print the briefs, audiences, languages and templates, and the outputs each brief makes."""
    from .load import load_project
    from .plan import brief_audiences, brief_languages, brief_recipients, plan_jobs

    root = _project_dir(project)
    result = load_project(root, _cache(root, no_cache))
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
    resolved = _template_resolution(model, jobs)
    for brief in model.project.briefs:
        audiences = ", ".join(a.id for a in brief_audiences(model, brief))
        languages = ", ".join(brief_languages(model, brief))
        recipients = brief_recipients(model, brief)
        click.echo(f"  {brief.id}  template={brief.template}")
        click.echo(f"    audiences: {audiences}; languages: {languages}; formats: {', '.join(brief.formats)}")
        if recipients:
            click.echo(f"    recipients: {', '.join(r.id for r in recipients)} (one copy each)")
        for job in (j for j in jobs if j.brief_id == brief.id):
            # The file the brief's template name resolves to for this output's audience.
            template = resolved[(job.audience_id, brief.template)][0][1].split(" (")[0]
            for fmt in job.formats:
                click.echo(f"      -> {job.relpath(fmt)}  [{template}]")
    from .labels import missing_labels

    click.echo("Languages:")
    for language in sorted({j.language for j in jobs}):
        missing = missing_labels(language, root)
        state = f"{len(missing)} label(s) not translated" if missing else "labels complete"
        click.echo(f"  {language}  {state}")
    # Which file each template name resolves to, per audience (docs/templates.md, lookup).
    click.echo("Templates:")
    for (audience_id, template), names in resolved.items():
        click.echo(f"  {template} for {audience_id}: {names[0][1]}")
        for name, where in names[1:]:
            click.echo(f"    {name}: {where}")
    click.echo(f"Outputs: {sum(len(j.formats) for j in jobs)}")


def _template_resolution(model, jobs) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """{(audience, template): [(name, file it resolves to)]} for the planned outputs."""
    from .lookup import TemplateChain, template_filename
    from .theme import audience_theme

    templates = {b.id: b.template for b in model.project.briefs}
    resolved = {}
    for job in jobs:
        key = (job.audience_id, templates[job.brief_id])
        if key not in resolved:
            try:
                theme = audience_theme(model, job.audience_id)  # an audience may name its own
            except ProjectError as exc:
                _print_diagnostics(exc.diagnostics)
                sys.exit(EXIT_ERRORS)
            chain = TemplateChain(Path(model.root), theme.templates_dir, job.audience_id)
            resolved[key] = chain.resolution(template_filename(key[1]), theme.folder)
    return resolved


@main.group()
def cache() -> None:
    """The content cache in PROJECT/.briefgen/cache (see docs/security.md)."""


@cache.command(name="clear")
@click.argument("project", required=False)
def cache_clear(project) -> None:
    """Delete the project's content cache."""
    from .cache import ContentCache

    root = _project_dir(project)
    removed = ContentCache(root).clear()
    click.echo(f"{root}: content cache cleared ({removed} entr{'y' if removed == 1 else 'ies'})")


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


@main.group()
def translate() -> None:
    """Work with translators: PO files of the content, and how much is translated."""


@translate.command("export")
@click.argument("project")
@click.option("--lang", "language", required=True, metavar="CODE", help="The language to translate into.")
@click.option(
    "--brief", "briefs", multiple=True, metavar="ID", help="Only the texts of this brief (repeatable)."
)
@click.option(
    "--clearance",
    type=click.Choice(["public", "internal", "confidential"]),
    default="public",
    show_default=True,
    help="The most sensitive content the file may hold.",
)
@click.option(
    "-o", "--out", "out", type=click.Path(dir_okay=False), help="The PO file to write [standard output]."
)
def translate_export(project, language, briefs, clearance, out) -> None:
    """Write a PO file with every text the briefs show, for translators."""
    from .load import load_project
    from .plan import UsageError
    from .translate import export_po

    root = _project_dir(project)
    result = load_project(root)
    if result.model is None:
        _print_diagnostics(result.diagnostics)
        sys.exit(EXIT_ERRORS)
    try:
        data, count = export_po(result.model, language, list(briefs) or None, clearance)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    if out:
        try:
            Path(out).write_bytes(data)
        except OSError as exc:
            raise click.UsageError(f"cannot write {out}: {exc.strerror or exc}") from None
        click.echo(f"{out}: {count} texts to translate into {language} (clearance {clearance})", err=True)
    else:
        sys.stdout.buffer.write(data)


@translate.command("import")
@click.argument("project")
@click.argument("po_file", type=click.Path(exists=True, dir_okay=False))
def translate_import(project, po_file) -> None:
    """Write the translations of a PO file into the content, changing nothing else."""
    from .translate import import_po

    root = _project_dir(project)
    report = import_po(root, Path(po_file).read_bytes(), po_file)
    _print_diagnostics(report.diagnostics)
    if report.errors:
        click.echo(f"briefgen: {len(report.errors)} error(s); nothing was written", err=True)
        sys.exit(EXIT_ERRORS)
    files = ", ".join(report.written) or "no file"
    click.echo(
        f"{report.applied} translation(s) written ({files}); {report.unchanged} already there, "
        f"{report.untranslated} untranslated or fuzzy, {report.skipped} not applied"
    )


@main.group()
def sheet() -> None:
    """Case lists for spreadsheet users: export to a workbook, import it back."""


@sheet.command("export")
@click.argument("project")
@click.option(
    "--clearance",
    type=click.Choice(["public", "internal", "confidential"]),
    default="public",
    show_default=True,
    help="The most sensitive content the workbook may hold.",
)
@click.option(
    "-o", "--out", "out", type=click.Path(dir_okay=False), default="cases.xlsx", show_default=True,
    help="The workbook to write.",
)  # fmt: skip
def sheet_export(project, clearance, out) -> None:
    """Write the cases, people and timeline entries to an .xlsx workbook."""
    from .load import load_project
    from .sheet.export import export_workbook

    root = _project_dir(project)
    result = load_project(root)
    if result.model is None:
        _print_diagnostics(result.diagnostics)
        sys.exit(EXIT_ERRORS)
    data, counts = export_workbook(result.model, clearance)
    try:
        Path(out).write_bytes(data)
    except OSError as exc:
        raise click.UsageError(f"cannot write {out}: {exc.strerror or exc}") from None
    rows = ", ".join(f"{count} {name.lower()}" for name, count in counts.items())
    click.echo(f"{out}: {rows} (clearance {clearance})", err=True)


@sheet.command("import")
@click.argument("project")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def sheet_import(project, files) -> None:
    """Add and update cases, people and timeline entries from a workbook or CSV files
    (one per sheet), changing nothing else in the YAML files."""
    from .sheet.ingest import import_files

    root = _project_dir(project)
    report = import_files(root, [(name, Path(name).read_bytes()) for name in files])
    for problem in report.problems:
        click.echo(str(problem), err=True)
    if report.errors:
        click.echo(f"briefgen: {len(report.errors)} error(s); nothing was written", err=True)
        sys.exit(EXIT_ERRORS)
    written = ", ".join(report.written) or "no file"
    click.echo(f"{report.added} added, {report.changed} value(s) changed ({written})")


@translate.command("status")
@click.argument("project")
@click.option("--lang", "languages", multiple=True, metavar="CODE", help="Only this language (repeatable).")
@click.option("--brief", "briefs", multiple=True, metavar="ID", help="Only this brief (repeatable).")
@click.option(
    "--fail-under", type=click.FloatRange(0, 100), default=None, metavar="N", help="Exit 1 below N percent."
)
def translate_status(project, languages, briefs, fail_under) -> None:
    """Per brief and language: the share of words translated, and the values that fall back."""
    from .load import load_project
    from .translate import status

    root = _project_dir(project)
    result = load_project(root)
    if result.model is None:
        _print_diagnostics(result.diagnostics)
        sys.exit(EXIT_ERRORS)
    known = [b.id for b in result.model.project.briefs]
    for brief_id in briefs:
        if brief_id not in known:
            raise click.UsageError(f"unknown brief {brief_id!r}; the project defines: {', '.join(known)}")
    rows = [
        row
        for row in status(result.model)
        if (not languages or row.language in languages) and (not briefs or row.brief in briefs)
    ]
    language = result.model.project.language
    if not rows:
        named = " (of the briefs and languages named)" if languages or briefs else ""
        click.echo(f"No brief is built in a language other than {language}{named}: nothing to translate.")
    below = []
    for row in rows:
        click.echo(
            f"{row.brief}  {row.language}  {row.percent:.1f}% translated "
            f"({row.translated_words} of {row.words} words); "
            f"{len(row.fallbacks)} value(s) fall back to {language}"
        )
        for path, line, context in row.fallbacks:
            click.echo(f"  {path}:{line}: {context}")
        if fail_under is not None and row.percent < fail_under:
            below.append(row)
    if below:
        click.echo(
            f"briefgen: {len(below)} brief/language pair(s) below {fail_under:g}%: "
            + ", ".join(f"{r.brief} {r.language} ({r.percent:.1f}%)" for r in below),
            err=True,
        )
        sys.exit(EXIT_ERRORS)
