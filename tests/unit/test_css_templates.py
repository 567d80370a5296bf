"""A theme's CSS templates (render.theme_css): its own print.css.j2 and screen.css.j2, else
the default theme's, compiled once and kept in the project's template store (COMPILED_CSS)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from jinja2 import Environment

from briefgen import render
from briefgen.cache import ContentCache
from briefgen.render import COMPILED_CSS, COMPILED_TEMPLATES, theme_css
from briefgen.templatecache import TemplateStore
from briefgen.theme import DEFAULT_THEME_DIR, load_theme

SOBER = Path(__file__).resolve().parents[1] / "fixtures/projects/small/templates/sober"


@pytest.fixture(autouse=True)
def own_key(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))


@pytest.fixture
def fresh_process(monkeypatch):
    """What a new worker holds: no CSS made or compiled in memory yet."""
    monkeypatch.setattr(render, "_CSS_CACHE", {})
    monkeypatch.setattr(COMPILED_CSS, "_code", {})
    yield
    COMPILED_TEMPLATES.keep_on_disk(None)


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    """The names of the templates Jinja compiles from source."""
    names: list[str] = []
    compile_source = Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return compile_source(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(Environment, "compile", counting)
    return names


def theme_with(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "theme"
    shutil.copytree(SOBER, folder)
    for name, text in files.items():
        (folder / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return folder


def test_a_theme_without_css_templates_gets_the_default_themes(tmp_path, fresh_process):
    css = theme_css(load_theme(theme_with(tmp_path)))
    assert "@font-face" in css and "@media screen {" in css
    default = (DEFAULT_THEME_DIR / "print.css.j2").read_text(encoding="utf-8")
    assert "@page" in default and "@page" in css


def test_a_themes_own_css_templates_replace_the_defaults(tmp_path, fresh_process):
    folder = theme_with(
        tmp_path,
        print_css_j2="/* own print */ body { color: {{ t.colors.text }}; }",
        screen_css_j2="/* own screen */ main { max-width: 40em; }",
    )
    css = theme_css(load_theme(folder))
    assert css.startswith("/* own print */ body { color: #")
    assert "@media screen {\n/* own screen */ main { max-width: 40em; }\n}" in css
    assert "@font-face" not in css.split("@media screen")[0]  # the default print CSS is not used


def test_css_templates_are_compiled_once_and_kept_on_disk(tmp_path, fresh_process, compiles):
    folder = theme_with(tmp_path, print_css_j2="/* first */ p { margin: 0; }")
    project = tmp_path / "project"
    project.mkdir()
    COMPILED_TEMPLATES.keep_on_disk(TemplateStore(ContentCache(project)))
    first = theme_css(load_theme(folder), "en")
    assert sorted(compiles) == ["print.css.j2", "screen.css.j2"]

    # A new process: nothing in memory, the code comes from the store, the same CSS.
    render._CSS_CACHE.clear()
    COMPILED_CSS._code.clear()
    compiles.clear()
    assert theme_css(load_theme(folder), "en") == first
    assert compiles == []

    # An edited template is compiled afresh, never the old code run.
    (folder / "print.css.j2").write_text("/* second */ p { margin: 1pt; }", encoding="utf-8")
    render._CSS_CACHE.clear()
    COMPILED_CSS._code.clear()
    assert theme_css(load_theme(folder), "en").startswith("/* second */")
    assert compiles == ["print.css.j2"]


def test_without_a_store_css_templates_are_compiled_once_per_process(tmp_path, fresh_process, compiles):
    COMPILED_TEMPLATES.keep_on_disk(None)  # --no-cache
    folder = theme_with(tmp_path)
    theme_css(load_theme(folder), "en")
    render._CSS_CACHE.clear()
    theme_css(load_theme(folder), "ja")
    assert sorted(compiles) == ["print.css.j2", "screen.css.j2"]
