"""render: templates in the sandbox, errors with template file and line."""

from __future__ import annotations

import shutil

import pytest
from conftest import PROJECTS

from briefgen.load import load_project
from briefgen.model import Audience
from briefgen.parsed import ParsedDocument
from briefgen.render import (
    DocumentRenderer,
    RenderError,
    css_string,
    make_environment,
    page_label_css,
)
from briefgen.select import select_view
from briefgen.theme import BUILTIN_THEMES, load_theme


@pytest.fixture()
def project(tmp_path):
    target = tmp_path / "small"
    shutil.copytree(PROJECTS / "small", target)
    (target / "templates").mkdir(exist_ok=True)
    return target


def render(project, template_source: str) -> str:
    (project / "templates" / "probe.html.j2").write_text(template_source, encoding="utf-8")
    model = load_project(project).model
    theme = load_theme(BUILTIN_THEMES / "default")
    brief = model.project.briefs[0]
    view, _ = select_view(model, brief, Audience(id="a"), "en")
    renderer = DocumentRenderer(make_environment(project, theme, "a"), theme, project)
    return renderer.render("probe", view)


def test_autoescape_is_on_for_html_j2(project):
    assert render(project, "{{ '<b>x</b>' }}") == "&lt;b&gt;x&lt;/b&gt;"


def test_misspelt_variable_names_template_and_line(project):
    with pytest.raises(RenderError) as info:
        render(project, "line one\n{{ brief.titel }}\n")
    assert info.value.diagnostic.location.path == "templates/probe.html.j2"
    assert info.value.diagnostic.location.line == 2
    assert "titel" in info.value.diagnostic.message


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ cases|attr('__class__') }}",
        "{{ '{0.__class__}'.format(brief) }}",
        "{{ brief.__dict__ }}",
    ],
)
def test_sandbox_escapes_are_errors(project, source):
    with pytest.raises(RenderError) as info:
        render(project, source)
    assert info.value.diagnostic.location.path == "templates/probe.html.j2"


def test_syntax_error_has_line(project):
    with pytest.raises(RenderError) as info:
        render(project, "ok\n{% if %}\n")
    assert info.value.diagnostic.location.line == 2


def test_markdown_filter_and_labels(project):
    html = render(project, "{{ cases[0].summary | md }}|{{ _('Contents') }}|{{ brief.date | date }}")
    assert '<span class="footnote" data-source="' in html  # a visible source, named for the web page
    assert "|Contents|30 June 2020" in html


def test_fill_toc_links_sections_and_subsections():
    html = (
        '<nav class="toc"><h1>Contents</h1></nav>'
        '<h1 class="section" id="a">A <em>x</em></h1><h2 id="a1">A1</h2><h2 class="no-toc" id="skip">S</h2>'
        '<h1 id="b">B</h1>'
    )
    out = ParsedDocument(html).with_contents().html
    assert '<li><a href="#a">A x</a><ul><li><a href="#a1">A1</a></li></ul></li>' in out
    assert '<li><a href="#b">B</a></li>' in out
    assert "#skip" not in out


def test_css_strings_cannot_break_out():
    assert css_string('a"b</style>') == '"a\\22 b\\3c \\2f style\\3e "'
    assert page_label_css("Page {page} of {pages}") == '"Page " counter(page) " of " counter(pages)'


def test_active_content_is_stripped_from_the_document(project):
    html = render(
        project,
        '<p onclick="steal()">Text<script>alert(1)</script></p><a href="javascript:x()">link</a>'
        '<iframe src="https://example.org"></iframe><p>kept</p>',
    )
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html
    assert "<iframe" not in html
    assert "Text" in html and "kept" in html and ">link</a>" in html


@pytest.mark.parametrize(
    ("body", "active"),
    [
        ('<p onClick="x()">a</p>', True),
        ("<SCRIPT>x()</SCRIPT>", True),
        ('<object data="x"></object>', True),
        ('<a href="  JavaScript:alert(1)">x</a>', True),
        ('<a href="\u3000javascript:x()">x</a>', True),
        ('<form action="javascript:x()"></form>', True),
        ('<img src="javascript:x()">', True),
        ('<p data-on="x" title="javascript:x()"><a href="https://x.example/?q=javascript:">b</a></p>', False),
        ("<!-- <script>x()</script> --><p>comment</p>", False),
        ('<p class="online">javascript: a word</p>', False),
    ],
)
def test_what_counts_as_active_content(body, active):
    document = ParsedDocument(f"<!DOCTYPE html><html><body>{body}</body></html>")
    assert document.has_active_content() is active
    assert (document.without_active_content() is document) is not active


def test_documents_without_active_content_are_untouched():
    html = '<!DOCTYPE html><html><body><p class="x">one &amp; two</p></body></html>'
    document = ParsedDocument(html)
    assert document.without_active_content() is document and document.html is html


def test_theme_with_aliases_is_refused_without_a_machine_path(tmp_path):
    from briefgen.theme import ThemeError, load_theme

    folder = tmp_path / "templates" / "bomb"
    folder.mkdir(parents=True)
    (folder / "theme.yaml").write_text("a: &a [x, x]\nb: [*a, *a]\n", encoding="utf-8")
    with pytest.raises(ThemeError) as info:
        load_theme(folder)
    assert "YAML aliases ('*a') are not supported" in str(info.value)
    assert str(tmp_path) not in str(info.value)
    assert str(info.value).startswith("templates/bomb/theme.yaml:")


def test_precompiled_builtin_templates_are_not_compiled_again(project, monkeypatch):
    from jinja2 import Environment

    from briefgen import render as render_module

    monkeypatch.setattr(render_module, "COMPILED_TEMPLATES", render_module.CompiledTemplates())
    render_module.precompile_builtin()
    compiled: list[str | None] = []
    original = Environment.compile

    def spy(self, source, name=None, filename=None, *args, **kwargs):
        compiled.append(name)
        return original(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", spy)
    model = load_project(project).model
    theme = load_theme(BUILTIN_THEMES / "default")
    view, _ = select_view(model, model.project.briefs[0], Audience(id="a"), "en")
    html = DocumentRenderer(make_environment(project, theme, "a"), theme, project).render(
        model.project.briefs[0].template, view, {"show_toc": False}
    )
    assert "<html" in html
    assert [name for name in compiled if name] == []  # only the theme's CSS template, by string


def test_an_overriding_template_is_compiled_afresh(project, monkeypatch):
    from briefgen import render as render_module

    monkeypatch.setattr(render_module, "COMPILED_TEMPLATES", render_module.CompiledTemplates())
    render_module.precompile_builtin()
    # base.html.j2 was compiled from the built-in file; the project's own must win.
    (project / "templates" / "base.html.j2").write_text(
        "<html><body>project base{% block content %}{% endblock %}</body></html>"
    )
    overridden = render(project, '{% extends "base.html.j2" %}{% block content %}<p>probe</p>{% endblock %}')
    assert overridden == "<html><body>project base<p>probe</p></body></html>"


def test_a_filter_on_a_constant_follows_each_outputs_language(project):
    # Compiled templates are shared by the outputs of a worker: a filter that depends on the
    # output must not be computed once, when the template is compiled, for the first of them.
    source = '<p>{{ "2016-01-15" | date }} / {{ "fr" | language_name }}</p>'
    (project / "templates" / "probe.html.j2").write_text(source, encoding="utf-8")
    model = load_project(project).model
    theme = load_theme(BUILTIN_THEMES / "default")
    env = make_environment(project, theme, "a")
    renderer = DocumentRenderer(env, theme, project)
    rendered = {}
    for language in ("en", "ru", "en"):
        view, _ = select_view(model, model.project.briefs[0], Audience(id="a"), language)
        rendered.setdefault(language, set()).add(renderer.render("probe", view))
    assert len(rendered["en"]) == 1 and rendered["en"] != rendered["ru"]
    assert "January" in next(iter(rendered["en"])) and "French" in next(iter(rendered["en"]))
    assert "января" in next(iter(rendered["ru"])) and "французский" in next(iter(rendered["ru"]))
