"""An image a project template names that the build cannot read (a missing file, one outside
assets/) is reported by `validate` as by `build`, at the template line that names it, with
what to do; it used to pass `validate` and stop `build` at a template file that did not exist,
line 0."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import copy_project

TEMPLATE = """{% extends "builtin/policy-brief.html.j2" %}
{% block cover_extra %}
<figure><img src="SRC" alt="Map of the colonies"></figure>
{% endblock %}
"""


def project_with_image(tmp_path, src: str):
    root = copy_project("small", tmp_path)
    folder = root / "templates" / "public-readers"
    folder.mkdir(parents=True)
    (folder / "policy-brief.html.j2").write_text(TEMPLATE.replace("SRC", src), encoding="utf-8")
    return root


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *args], capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    ("src", "said", "hint"),
    [
        (
            "assets/map-belarus.png",
            "assets/map-belarus.png: no such file",
            "put the file in the project's assets/",
        ),
        (
            "map-belarus.png",
            "map-belarus.png: only files under assets/ or the theme may be used",
            'src="assets/NAME"',
        ),
    ],
)
def test_validate_and_build_name_the_template_line(tmp_path, src, said, hint):
    root = project_with_image(tmp_path, src)
    place = "templates/public-readers/policy-brief.html.j2:3:14: "
    validated = run("validate", "--no-cache", str(root))
    assert validated.returncode == 1
    assert f"{place}small-brief/small-brief.public-readers.en: {said}" in validated.stderr, validated.stderr
    assert hint in validated.stderr
    built = run("build", str(root), "-o", str(tmp_path / "out"), "--brief", "small-brief", "--jobs", "1")
    assert built.returncode == 1 and "Traceback" not in built.stderr
    assert f"{place}small-brief.public-readers.en: {said}" in built.stderr, built.stderr


def test_an_image_that_is_there_passes(tmp_path):
    from conftest import read_fixture

    root = project_with_image(tmp_path, "assets/map-belarus.png")
    (root / "assets").mkdir(exist_ok=True)
    (root / "assets" / "map-belarus.png").write_bytes(read_fixture("logo.png")[0])
    validated = run("validate", "--no-cache", str(root))
    assert validated.returncode == 0, validated.stderr
