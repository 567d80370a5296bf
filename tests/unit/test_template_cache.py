"""Compiled templates kept in the project's cache (templatecache.py, render.CompiledTemplates)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from briefgen.build import BuildOptions, build_project
from briefgen.cache import CACHE_DIR, ContentCache
from briefgen.render import CompiledTemplates
from briefgen.templatecache import KIND, TemplateStore


@pytest.fixture(autouse=True)
def own_key(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))


@pytest.fixture
def folder(tmp_path) -> Path:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html.j2").write_text("<p>{{ words | upper }} {% if n %}{{ n + 1 }}{% endif %}</p>")
    return templates


def environment(folder: Path, compiled: CompiledTemplates) -> Environment:
    return Environment(loader=FileSystemLoader(str(folder)), bytecode_cache=compiled, autoescape=True)


def disk_backed(project: Path) -> CompiledTemplates:
    """A process's cache as a new worker has it: empty in memory, the project's store on disk."""
    compiled = CompiledTemplates()
    compiled.keep_on_disk(TemplateStore(ContentCache(project)))
    return compiled


def entries(project: Path) -> list[Path]:
    return sorted((project / CACHE_DIR / KIND).glob("*.bin"))


def test_a_template_compiled_once_is_loaded_not_compiled_by_the_next_process(tmp_path, folder, monkeypatch):
    first = environment(folder, disk_backed(tmp_path)).get_template("page.html.j2")
    expected = first.render(words="kept", n=1)
    assert len(entries(tmp_path)) == 1

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(Environment, "compile", no_compiling)
    again = environment(folder, disk_backed(tmp_path)).get_template("page.html.j2")
    assert again.render(words="kept", n=1) == expected == "<p>KEPT 2</p>"


def test_an_edited_template_is_compiled_afresh_and_replaces_its_entry(tmp_path, folder):
    environment(folder, disk_backed(tmp_path)).get_template("page.html.j2")
    before = entries(tmp_path)
    (folder / "page.html.j2").write_text("<p>{{ words }} edited</p>")
    edited = environment(folder, disk_backed(tmp_path)).get_template("page.html.j2")
    assert edited.render(words="now") == "<p>now edited</p>"
    assert entries(tmp_path) == before  # one entry per template, rewritten
    reloaded = environment(folder, disk_backed(tmp_path)).get_template("page.html.j2")
    assert reloaded.render(words="now") == "<p>now edited</p>"


@pytest.mark.parametrize("damage", ["truncated", "random", "foreign-key"])
def test_a_damaged_or_foreign_entry_is_ignored(tmp_path, folder, damage, monkeypatch):
    environment(folder, disk_backed(tmp_path)).get_template("page.html.j2")
    (entry,) = entries(tmp_path)
    data = entry.read_bytes()
    if damage == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "random":
        entry.write_bytes(os.urandom(len(data)))
    else:  # an entry signed by someone else: a .briefgen/ copied in with a project
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    compiled = CompiledTemplates()
    store = TemplateStore(ContentCache(tmp_path))
    compiled.keep_on_disk(store)
    template = environment(folder, compiled).get_template("page.html.j2")
    assert template.render(words="fine", n=0) == "<p>FINE </p>"


def test_entries_are_owner_only_inside_the_projects_cache(tmp_path, folder):
    environment(folder, disk_backed(tmp_path)).get_template("page.html.j2")
    (entry,) = entries(tmp_path)
    assert entry.parent == tmp_path / CACHE_DIR / KIND
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700


def test_memory_only_without_a_store(tmp_path, folder):
    compiled = CompiledTemplates()
    environment(folder, compiled).get_template("page.html.j2")
    assert not (tmp_path / CACHE_DIR).exists()


def test_a_build_keeps_its_compiled_templates_and_no_cache_keeps_none(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1453161600")
    # The workers fork from this process: as in a new `briefgen build`, nothing compiled yet
    # (other tests in this process may have compiled the built-in templates in memory).
    from briefgen.render import COMPILED_TEMPLATES

    monkeypatch.setattr(COMPILED_TEMPLATES, "_code", {})
    project = tmp_path / "project"
    init = subprocess.run(
        [sys.executable, "-m", "briefgen", "init", str(project)], capture_output=True, text=True
    )
    assert init.returncode == 0, init.stderr
    options = dict(formats=["html"], jobs=1, force=True)
    build_project(project, BuildOptions(out=tmp_path / "fresh", cache=False, **options))
    assert not entries(project)
    build_project(project, BuildOptions(out=tmp_path / "cached", cache=True, **options))
    kept = entries(project)
    assert len(kept) >= 2  # the built-in templates, compiled while the worker warmed up
    # The next build loads them: its outputs are those of the build that compiled afresh.
    build_project(project, BuildOptions(out=tmp_path / "again", cache=True, **options))
    assert entries(project) == kept
    for name in ("fresh", "again"):
        files = {p.relative_to(tmp_path / name) for p in (tmp_path / name).rglob("*.html")}
        assert files
        for relative in files:
            assert (tmp_path / name / relative).read_bytes() == (tmp_path / "cached" / relative).read_bytes()


def test_validate_keeps_compiled_templates_unless_no_cache(tmp_path):
    project = tmp_path / "project"
    env = {**os.environ, "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]}

    def briefgen(*args: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "briefgen", *args], capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr

    briefgen("init", str(project))
    briefgen("validate", "--no-cache", str(project))
    assert not entries(project)
    briefgen("validate", str(project))
    assert len(entries(project)) >= 2  # it renders every output's HTML, as a build does
