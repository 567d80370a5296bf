"""Render: a View + templates (Jinja, sandboxed) -> one HTML document, the source of every format.

Templates are found through lookup.py's chain (project `templates/<audience-id>/`, project
`templates/`, the theme's `templates/`, built-in). They run in Jinja's sandbox with
autoescaping on for every file and strict undefined values, so a misspelt variable is an error
naming the template, line and column (templateerrors.py words every template error).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from jinja2 import (
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    pass_context,
    pass_environment,
)
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.loaders import BaseLoader
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment
from markupsafe import Markup, escape

from . import bidi, caselabels, collate, columns, fonts
from .caselabels import STATUS_LABELS, TIMELINE_LABELS  # noqa: F401 (kept importable from here)
from .classstyles import class_css, theme_css_files
from .diagnostics import Diagnostic, error
from .i18n import Localizer
from .langmark import (
    bracket,
    lang_attr,
    mark_languages,
    marked_join,
    strip_marks,
    wrap_block,
    wrap_inline,
)
from .lookup import BUILTIN_DIR, TemplateChain, shown_path, template_filename
from .markdown import MarkdownRenderer
from .parsed import ParsedDocument
from .punctuation import with_full_stop, without_full_stop
from .resources import DEFAULT_THEME, DEFAULT_THEME_PREFIX, THEME_PREFIX
from .select import Record, View
from .templateerrors import (
    FieldUndefined,
    construct_column,
    not_found_diagnostic,
    read_source,
    runtime_diagnostic,
    syntax_diagnostic,
)
from .theme import DEFAULT_THEME_DIR, Theme
from .urls import mark_urls
from .webnav import add_web_navigation
from .wrapping import mark_long_tokens


class RenderError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic
        super().__init__(str(diagnostic))


def make_environment(
    project_root: Path, theme: Theme, audience_id: str | None
) -> ImmutableSandboxedEnvironment:
    """The Jinja environment of one project, theme and audience (lookup.py's chain)."""
    return _environment(TemplateChain(project_root, theme.templates_dir, audience_id).loader())


def _environment(loader: BaseLoader) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=loader,
        # select_autoescape() would not cover .html.j2: escape everything, always.
        autoescape=True,
        # StrictUndefined, with errors that say what a value is rather than its Python class.
        undefined=FieldUndefined,
        # {% do %}: calls for their effect. Values stay read-only (the immutable sandbox).
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        bytecode_cache=COMPILED_TEMPLATES,
        # A value in another language than the output's is marked, to carry a lang attribute.
        finalize=bracket,
    )
    env.filters["join"] = marked_join
    return env


class CompiledTemplates(BytecodeCache):
    """Compiled templates, in memory for the life of the process and shared by every
    environment (they are all configured alike): a worker compiles a template once, whatever
    audience asks for it, and the built-in ones before its first output (`precompile_builtin`).
    Jinja keys them on the template's name, file and source, so an edited or overriding
    template is compiled afresh."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, object]] = {}
        self._store = None  # templatecache.TemplateStore: kept on disk between builds too

    def keep_on_disk(self, store) -> None:
        """Also load from and save to `store` (None: memory only, as with --no-cache)."""
        self._store = store

    def store(self):
        """Where compiled code is kept on disk, or None."""
        return self._store

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self._code.get(bucket.key)
        store = self.store()
        if (found is None or found[0] != bucket.checksum) and store is not None:
            code = store.load(bucket.key, bucket.checksum)
            if code is not None:
                found = self._code[bucket.key] = (bucket.checksum, code)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = (bucket.checksum, bucket.code)
        store = self.store()
        if store is not None:
            store.save(bucket.key, bucket.checksum, bucket.code)


COMPILED_TEMPLATES = CompiledTemplates()


class CompiledCss(CompiledTemplates):
    """The themes' CSS templates (print.css.j2, screen.css.j2), compiled once per process and
    kept on disk in the documents' store (COMPILED_TEMPLATES's), under keys of their own:
    their environment (no autoescape) compiles other code. Compiling the default theme's two
    cost every build process about 0.03 s before its first output."""

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"css:{name}", filename)

    def store(self):
        return COMPILED_TEMPLATES.store()


COMPILED_CSS = CompiledCss()


def _compile_only(*args, **kwargs):
    # Raising also tells Jinja it cannot fold a call with constant arguments into the code.
    raise AssertionError("a precompiled template ran outside DocumentRenderer.render")


def output_filters(md, md_inline, date, duration, language_name) -> dict:
    """The filters of one output's templates. Compiled code calls a filter as it was when the
    template was compiled (with the context or without), so precompile_builtin registers
    these same wrappers around placeholders."""
    per_output = {
        "md": md,
        "md_inline": md_inline,
        "date": date,
        "duration": duration,
        "language_name": language_name,
    }
    return {**{name: _per_output(f) for name, f in per_output.items()}, "css_string": css_string}


def _per_output(function):
    """A filter whose result depends on the output: its language, the sources it cites.

    Jinja computes a filter applied to a constant (`{{ "2016-01" | date }}`) when it compiles
    the template, and compiled templates are shared by all the outputs of a worker: the first
    output's wording would be in all of them. A filter that takes the context cannot be
    computed at compile time.
    """

    @pass_context
    def per_output(_context, *args, **kwargs):
        return function(*args, **kwargs)

    return per_output


def collating_sort(language: str):
    """Jinja's `sort` filter, same arguments, that sorts texts in `language`'s collation
    (collate.py: Azerbaijani ç after c, Russian ё with е ...); other values as Jinja does."""
    from jinja2.filters import do_sort, make_attrgetter

    @pass_environment
    def sort(environment, value, reverse=False, case_sensitive=False, attribute=None):
        values = list(value)
        pick = make_attrgetter(environment, attribute) if attribute is not None else (lambda v: v)
        if not values or not all(isinstance(pick(v), str) for v in values):
            return do_sort(environment, values, reverse, case_sensitive, attribute)
        return collate.sort_texts(values, language, key=pick, reverse=reverse)

    return sort


def precompile_builtin() -> None:
    """Compile the built-in templates, under the names and files a project's chain finds them by."""
    env = _environment(FileSystemLoader(str(BUILTIN_DIR)))
    # Jinja checks at compile time that filters exist; their functions are looked up when
    # a template runs, in the environment DocumentRenderer.render makes.
    env.filters.update(output_filters(*[_compile_only] * 5))
    # The i18n extension compiles differently for new-style gettext: as render sets it.
    env.install_gettext_callables(_compile_only, _compile_only, newstyle=True)
    for path in sorted(BUILTIN_DIR.glob("*.j2")):
        env.get_template(path.name)


class DocumentRenderer:
    """Renders the HTML of one output from its View."""

    def __init__(self, env: ImmutableSandboxedEnvironment, theme: Theme, project_root: Path):
        self.env = env
        self.theme = theme
        self.project_root = project_root
        # Set when the output is also written as DOCX: its charts' pictures are drawn ahead.
        self.chart_pictures = False

    def render(self, template_name: str, view: View, extra: dict | None = None) -> str:
        """The HTML text of one output (see render_parsed)."""
        return self.render_parsed(template_name, view, extra).html

    def render_parsed(self, template_name: str, view: View, extra: dict | None = None) -> ParsedDocument:
        """One output's document, parsed once: without active content, contents filled."""
        filename = template_filename(template_name)
        localizer = Localizer(view.language, self.project_root)
        sources = {s.id: s for s in view.sources}
        md = MarkdownRenderer(
            lambda source_id, locator: self._cite(localizer, sources, source_id, locator),
            cited_visible=sources.__contains__,
            reference=lambda source_id, locator: self._reference(localizer, sources, source_id, locator),
            language=view.language,
        )
        context = {
            **view.template_context(),
            "theme_css": Markup(theme_css(self.theme, view.language)),
            "template_name": filename,
            **(extra or {}),
        }

        def cite(source: Record | None) -> Markup:
            """A source as a footnote, as markdown's [@id] makes it: for values that are not
            markdown (a timeline entry's source, a designation's)."""
            if source is None:
                return Markup("")
            return Markup('<span class="footnote">{}</span>').format(
                self._cite(localizer, sources, source.id, None)
            )

        from .charts import ChartPlacer

        charts = ChartPlacer(view, localizer, self.theme, lambda s: _source_reference(localizer, s))
        charts.pictures = self.chart_pictures
        context["charts"] = charts.listed()
        env = self.env.overlay()
        env.install_gettext_callables(localizer.gettext, localizer.ngettext, newstyle=True)
        env.filters["sort"] = collating_sort(view.language)
        env.filters.update(
            output_filters(
                lambda text: wrap_block(text, md.block(text)),
                lambda text: wrap_inline(text, md.inline(text)),
                localizer.format_date,
                localizer.format_duration,
                localizer.display_language,
            )
        )
        env.globals.update(
            status_line=lambda case: status_line(case, localizer),
            case_facts=lambda case: caselabels.case_facts(case, localizer, cite),
            cite=cite,
            timeline_label=lambda kind: localizer.gettext(TIMELINE_LABELS.get(kind, kind)),
            # (date, type, text) column widths: the type as wide as its longest label.
            timeline_columns=lambda entries: columns.fitted_widths(
                [localizer.gettext(TIMELINE_LABELS.get(e.type, e.type)) for e in entries],
                self.theme,
                fixed=20,
                least=18,
                most=36,
            ),
            source_reference=lambda source: Markup(_source_reference(localizer, source)),
            ngettext=localizer.ngettext,
            page_label_css=page_label_css,
            chart=charts.chart,
            chart_note=charts.note,
        )
        try:
            template = env.get_template(filename)
            parsed = ParsedDocument(template.render(context)).without_active_content()
            # Web addresses (urls.py), passages in another language (langmark.py) and long
            # tokens (wrapping.py) are marked before the contents are filled, so an entry for
            # a heading wraps as the heading does; bidi isolation and the web page's
            # navigation come last. Addresses first: their parts are then too short to be
            # long tokens.
            marked = mark_long_tokens(mark_languages(mark_urls(parsed.html)))
            if marked != parsed.html:
                parsed = ParsedDocument(marked)
            parsed = parsed.with_contents()
            finished = add_web_navigation(
                bidi.isolate(parsed.html, view.language),
                localizer.gettext(N_("Notes")),
                localizer.gettext(N_("Back to the text")),
                anchor_label=localizer.gettext(N_("Link to this section")),
                marking=getattr(view.audience, "marking", None),
            )
            return parsed if finished == parsed.html else ParsedDocument(finished)
        except TemplateNotFound as exc:
            found, line = self._template_file_frame()
            if found is None:  # the output's own template (validate names it first)
                raise RenderError(error(filename, 0, 0, f"template {exc.name!r} not found")) from None
            where = self._relative(found)
            raise RenderError(not_found_diagnostic(exc.name, where, line, read_source(found), env)) from None
        except TemplateSyntaxError as exc:
            # Jinja's lexer gives the file as the error's name (its Failure passes it there).
            found = exc.filename or (exc.name if exc.name and Path(exc.name).is_file() else None)
            source = exc.source if exc.source is not None else read_source(found)
            raise RenderError(
                syntax_diagnostic(exc, self._relative(found) if found else filename, source, env)
            ) from None
        except TemplateError as exc:
            raise RenderError(self._runtime_diagnostic(exc, filename, env, context)) from None
        except RecursionError:
            found, line = self._template_file_frame()
            path = self._relative(found) if found else filename
            raise RenderError(
                error(
                    path,
                    line,
                    construct_column(read_source(found), line),
                    "template error: templates extend, include or call each other in an endless loop",
                    hint=f'to extend the built-in {filename}, write {{% extends "builtin/{filename}" %}}',
                )
            ) from None
        except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError) as exc:
            raise RenderError(self._runtime_diagnostic(exc, filename, env, context)) from None

    def _relative(self, filename: str) -> str:
        return shown_path(filename, self.project_root, self.theme.folder)

    def _runtime_diagnostic(self, exc: BaseException, filename: str, env, context: dict) -> Diagnostic:
        """An error raised while the template ran, at the innermost template line of the
        traceback, its column and wording worked out from that template's source."""
        found, line = self._template_file_frame()
        path = self._relative(found) if found else filename
        received = sorted(set(context) - {"theme_css", "template_name"})
        return runtime_diagnostic(exc, path, line, read_source(found), received, env)

    @staticmethod
    def _template_file_frame() -> tuple[str | None, int]:
        """The innermost template's file name (as Jinja read it) and line in the traceback."""
        tb = sys.exc_info()[2]
        found: tuple[str | None, int] = (None, 0)
        while tb is not None:
            code = tb.tb_frame.f_code
            if code.co_filename.endswith(".j2"):
                found = (code.co_filename, tb.tb_lineno)
            tb = tb.tb_next
        return found

    def _cite(
        self, localizer: Localizer, sources: dict[str, Record], source_id: str, locator: str | None
    ) -> Markup:
        source = sources.get(source_id)
        if source is None:
            return Markup(escape(localizer.gettext("Source withheld.")))
        text = _source_reference(localizer, source)
        if locator:
            text += ", " + str(escape(locator))
        # One full stop: a date ("16 мая 2023 г.") or a title may end in one already.
        return with_full_stop(text)

    def _reference(
        self, localizer: Localizer, sources: dict[str, Record], source_id: str, locator: str | None
    ) -> Markup:
        """A citation within a footnote's text, in brackets in its sentence: as in a footnote
        but without the closing full stop ("(Source B, p. 3)"); a date's own stays ("г.")."""
        source = sources.get(source_id)
        if source is None:
            return without_full_stop(escape(localizer.gettext("Source withheld.")))
        text = _source_reference(localizer, source)
        if locator:
            text += ", " + str(escape(locator))
        return Markup(text)


def _source_reference(localizer: Localizer, source: Record) -> str:
    """Title, publisher, date, URL, escaped HTML: how a source is cited in a footnote."""
    # A title's own closing full stop ("Belarus: free them all.") is not kept before the
    # parts that follow it (", Publisher"); the citation ends in one full stop (_cite).
    # str(): the element carries the language itself (escaping a ForeignText would mark it too).
    title = str(source.title)
    followed = source.publisher is not None or source.date or source.url
    # Not an abbreviation's ("U.S.") nor an ellipsis's.
    if followed and re.search(r"[^.\s]\.$", title) and "." not in title.rsplit(None, 1)[-1][:-1]:
        title = title[:-1]
    parts = [f"<em{lang_attr(source.title)}>{escape(title)}</em>"]
    if source.authors:
        parts.insert(0, str(escape(", ".join(source.authors))))
    if source.publisher is not None:
        name = source.publisher.name
        parts.append(
            f"<span{lang_attr(name)}>{escape(str(name))}</span>" if lang_attr(name) else str(escape(name))
        )
    if source.date:
        parts.append(str(escape(localizer.format_date(source.date))))
    if source.url:
        parts.append(f'<a href="{escape(source.url)}">{escape(source.url)}</a>')
    return ", ".join(parts)


def N_(message: str) -> str:
    """Marks a label for extraction into the catalogs; translated where it is printed."""
    return message


def status_line(case: Record, localizer: Localizer) -> str:
    """ "Imprisoned since 2 August 2014, sentenced to 7 years 6 months", in the output language."""
    _ = localizer.gettext
    label = caselabels.status_label(case, localizer)
    parts = [label]
    if case.since:
        since = localizer.format_date(case.since, in_sentence=True)
        if str(case.since).count("-") == 2:
            # A day's date takes an article in some languages where a month does not
            # ("depuis le 2 août 2014", "depuis août 2014"): the day has a label of its own.
            # Translators: {date} is a day's date, e.g. "2 August 2014".
            phrase = localizer.pgettext("day", "{status} since {date}")
        else:
            phrase = _("{status} since {date}")
        parts = [phrase.format(status=label, date=since)]
    elif case.status_date:
        parts = [
            _("{status} (as of {date})").format(status=label, date=localizer.format_date(case.status_date))
        ]
    sentenced = caselabels.sentence_phrase(case, localizer)
    if sentenced:
        parts.append(sentenced)
    if case.days_in_detention:
        parts.append(
            localizer.ngettext(
                "{n} day in detention", "{n} days in detention", case.days_in_detention
            ).format(n=localizer.format_number(case.days_in_detention))
        )
    return ", ".join(parts)


def theme_css(theme: Theme, language: str | None = None) -> str:
    """The print CSS of a theme: its tokens applied to the theme's print.css (or the default),
    with the script font chain of a text in `language` (fonts.py)."""
    return _theme_css_cached(theme, language)


_CSS_CACHE: dict[tuple, str] = {}


def _theme_css_cached(theme: Theme, language: str | None = None) -> str:
    # The CSS differs between languages only by the region of the CJK fonts it names.
    font_chain = fonts.chain(theme)
    key = (theme.folder, tuple(sorted(font_chain.region(language).items())))
    if key in _CSS_CACHE:
        return _CSS_CACHE[key]
    # A project's theme is as untrusted as its templates: the CSS template is sandboxed too.
    # The theme's print.css.j2 and screen.css.j2, else the default theme's.
    css_env = SandboxedEnvironment(
        autoescape=False,
        undefined=StrictUndefined,
        loader=FileSystemLoader([str(theme.folder), str(DEFAULT_THEME_DIR)]),
        bytecode_cache=COMPILED_CSS,
    )
    faces = fonts.font_faces(theme, font_chain.faces(language), theme_url)
    tokens = fonts.ThemeForLanguage(theme, language)
    css = css_env.get_template("print.css.j2").render(t=tokens, fonts=faces)
    # The theme's `styles` and `css` come after its print CSS, so they win over it.
    css += class_css(theme, tokens.font_stack) + theme_css_files(theme)
    css += screen_css(tokens, css_env)
    _CSS_CACHE[key] = css
    return css


# What exists only for the web page (note calls, the list of notes, the footer) is left out
# of every printed rendering; the DOCX writer leaves it out too (html_walker).
# A passage marked with its own language (langmark.py) is set in print as it was before it
# was marked: not hyphenated, so the PDF's lines do not change.
SCREEN_ONLY_CSS = (
    "\n@media print {\n  .screen-only { display: none !important; }\n  body [lang] { hyphens: manual; }\n}\n"
)


def screen_css(theme: Theme, css_env: SandboxedEnvironment) -> str:
    """The theme's screen.css.j2 (or the default's: `css_env` finds either) with its tokens,
    inside `@media screen`: browsers apply it, WeasyPrint (print media) does not, so the PDF
    is unchanged."""
    screen = css_env.get_template("screen.css.j2").render(t=theme)
    return f"\n@media screen {{\n{screen}\n}}\n{SCREEN_ONLY_CSS}"


def css_string(value: object) -> Markup:
    """A value as a quoted CSS string, safe inside a <style> element."""
    # A label with values formatted in is Markup: its text, without language marks (langmark.py).
    text = strip_marks(value.unescape() if isinstance(value, Markup) else str(value))
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;-_()'" else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{escaped}"')


def page_label_css(label: str) -> Markup:
    """ "Page {page} of {pages}" -> CSS content with page counters."""
    out = []
    for piece in re.split(r"(\{page\}|\{pages\})", label):
        if piece == "{page}":
            out.append("counter(page)")
        elif piece == "{pages}":
            out.append("counter(pages)")
        elif piece:
            out.append(str(css_string(piece)))
    return Markup(" ".join(out))


def theme_url(theme: Theme, path: Path) -> str:
    """The document-relative URL of a theme file (see resources.ResourceSandbox)."""
    if path.is_relative_to(theme.folder):
        return THEME_PREFIX + path.relative_to(theme.folder).as_posix()
    return DEFAULT_THEME_PREFIX + path.relative_to(DEFAULT_THEME).as_posix()
