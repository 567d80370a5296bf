"""resources (the sandbox every writer reads through) and inputs (fingerprints)."""

from __future__ import annotations

import io
import shutil

import pytest
from conftest import PROJECTS
from PIL import Image

from briefgen.document import ResourceError
from briefgen.inputs import template_fingerprint
from briefgen.resources import ResourceSandbox
from briefgen.theme import BUILTIN_THEMES, load_theme


@pytest.fixture()
def sandbox(tmp_path):
    (tmp_path / "assets").mkdir()
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    (tmp_path / "assets" / "ok.png").write_bytes(buffer.getvalue())
    (tmp_path / "assets" / "fake.png").write_text("not an image")
    (tmp_path / "secret.txt").write_text("secret")
    (tmp_path / "assets" / "link.png").symlink_to(tmp_path / "secret.txt")
    return ResourceSandbox(tmp_path, BUILTIN_THEMES / "default")


def test_assets_and_theme_files_are_readable(sandbox):
    data, mime = sandbox.read("assets/ok.png")
    assert mime == "image/png" and data.startswith(b"\x89PNG")
    assert sandbox.read("_theme/fonts/NotoSerif-Regular.ttf")[1] == "font/ttf"


@pytest.mark.parametrize(
    "url, reason",
    [
        ("assets/../secret.txt", "only files under assets/"),
        ("secret.txt", "only files under assets/"),
        ("assets/link.png", "leaves"),
        ("file:///etc/passwd", "only files under assets/"),
        ("http://169.254.169.254/latest", "remote resources are not fetched"),
        ("data:text/plain,hi", "scheme is not allowed"),
        ("assets/fake.png", "not a readable PNG, JPEG or GIF"),
        ("assets/missing.png", "no such file"),
    ],
)
def test_everything_else_is_refused_with_a_reason(sandbox, tmp_path, url, reason):
    with pytest.raises(ResourceError) as info:
        sandbox.read(url)
    assert reason in str(info.value)
    assert str(tmp_path) not in str(info.value)


def test_template_fingerprint_follows_extends_and_imports(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(PROJECTS / "small", project)
    theme = load_theme(BUILTIN_THEMES / "default")
    before = template_fingerprint(project, theme, "public-readers", "policy-brief")
    assert set(before) == {"policy-brief.html.j2", "base.html.j2", "_macros.html.j2"}
    override = project / "templates" / "public-readers"
    override.mkdir(parents=True)
    (override / "_macros.html.j2").write_text("{% macro key_messages(m) %}{% endmacro %}")
    after = template_fingerprint(project, theme, "public-readers", "policy-brief")
    assert after["_macros.html.j2"] != before["_macros.html.j2"]
    assert after["base.html.j2"] == before["base.html.j2"]
    assert template_fingerprint(project, theme, "other", "policy-brief") == before


def test_each_template_text_is_parsed_once_for_every_outputs_fingerprint(tmp_path, monkeypatch):
    # A mailing's hundreds of fingerprints read the same templates: parsing each text once
    # took the main process's time per output from 20 ms to 3. An edit is new text: parsed.
    import briefgen.inputs as inputs

    project = tmp_path / "p"
    shutil.copytree(PROJECTS / "small", project)
    theme = load_theme(BUILTIN_THEMES / "default")
    parsed: list[str] = []
    original = inputs.referenced_templates
    monkeypatch.setattr(
        inputs, "referenced_templates", lambda source: parsed.append(source) or original(source)
    )
    inputs._references.cache_clear()
    first = template_fingerprint(project, theme, "public-readers", "policy-brief")
    for _ in range(50):
        assert template_fingerprint(project, theme, "public-readers", "policy-brief") == first
    assert len(parsed) == len(set(parsed)) == 3
    template = project / "templates" / "policy-brief.html.j2"
    template.write_text('{% extends "base.html.j2" %}{% import "_macros.html.j2" as m %}', encoding="utf-8")
    edited = template_fingerprint(project, theme, "public-readers", "policy-brief")
    assert edited["policy-brief.html.j2"] != first["policy-brief.html.j2"]
    assert len(parsed) == 4  # the edited text alone
