"""A theme may add templates (docs/themes.md): a brief may name a template only the theme
provides, and validate, the fingerprint and the render all find it through lookup.py."""

from __future__ import annotations

import subprocess
import sys

from conftest import build, copy_project

from briefgen.lookup import BUILTIN_NAMES, TemplateChain, referenced_templates

NOTE = """{% extends "builtin/policy-brief.html.j2" %}
{% block content %}<p class="theme-note">Briefing note from the sober theme</p>{{ super() }}{% endblock %}
"""


def themed_project(tmp_path):
    project = copy_project("small", tmp_path)
    templates = project / "templates" / "sober" / "templates"
    templates.mkdir()
    (templates / "briefing-note.html.j2").write_text(NOTE, encoding="utf-8")
    settings = project / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8").replace("language: en\n", "language: en\ntheme: sober\n", 1)
    settings.write_text(
        text.replace("template: policy-brief", "template: briefing-note", 1), encoding="utf-8"
    )
    return project


def test_a_template_only_the_theme_provides_validates_and_builds(tmp_path):
    project = themed_project(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "validate", str(project)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    manifest = build(project, tmp_path / "out", formats=["html"])
    html_files = [e["path"] for e in manifest["outputs"] if e["path"].startswith("small-brief/")]
    assert html_files
    html = (tmp_path / "out" / html_files[0]).read_text(encoding="utf-8")
    assert "Briefing note from the sober theme" in html
    assert '<section class="cover"' in html  # and the built-in template it extends


def test_without_the_theme_the_template_is_unknown(tmp_path):
    project = themed_project(tmp_path)
    settings = project / "briefgen.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("theme: sober\n", ""), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "validate", str(project)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "unknown template 'briefing-note'" in result.stderr


def test_the_chain_finds_theme_templates_after_the_projects(tmp_path):
    project = themed_project(tmp_path)
    theme_templates = project / "templates" / "sober" / "templates"
    chain = TemplateChain(project, theme_templates, "public-readers")
    assert chain.find("briefing-note.html.j2") == theme_templates / "briefing-note.html.j2"
    assert chain.label(chain.find("builtin/base.html.j2")) == "builtin/base.html.j2"
    assert "briefing-note" in chain.brief_names() and set(BUILTIN_NAMES) <= set(chain.brief_names())
    (project / "templates" / "briefing-note.html.j2").write_text("project", encoding="utf-8")
    assert chain.find("briefing-note.html.j2") == project / "templates" / "briefing-note.html.j2"
    assert chain.find("theme/briefing-note.html.j2") == theme_templates / "briefing-note.html.j2"


def test_references_are_read_with_jinjas_parser():
    source = (
        '{% extends "builtin/policy-brief.html.j2" %}{% import "_macros.html.j2" as m %}'
        '{% include ["a.html.j2", "b.html.j2"] %}{% include name %}'
        "{% trans %}Hello{% endtrans %}"
    )
    assert referenced_templates(source) == [
        "builtin/policy-brief.html.j2",
        "_macros.html.j2",
        "a.html.j2",
        "b.html.j2",
        None,
    ]
    assert referenced_templates("{% extends %}") == []  # the render reports the syntax error
