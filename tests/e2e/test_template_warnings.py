"""Vocabulary warnings at the template line that wrote the element, kept in the manifest and
printed again by every rebuild that finds the output up to date, until the template is fixed.

The real CLI, in a subprocess: the quick path (the build record in the project's cache) and
the full one (--no-cache, outputs skipped by their fingerprints) both print them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import PROJECTS

pytestmark = pytest.mark.slow

BRIEFGEN = [sys.executable, "-m", "briefgen"]
OVERRIDE = (
    '{% extends "builtin/policy-brief.html.j2" %}\n'
    "{% block cover_extra %}\n"
    "<p>For the meeting</p>\n"
    '  <aside class="ask"><p>Release them</p></aside>\n'
    "<p>Read <blink>this</blink> first</p>\n"
    "{% endblock %}\n"
)
HINT = " (hint: use the elements and classes of docs/html-vocabulary.md, which both formats know)"
EXPECTED = [
    'templates/policy-brief.html.j2:4:3: warning: <aside class="ask"> is outside the HTML vocabulary; '
    "its text was kept" + HINT,
    "templates/policy-brief.html.j2:5:9: warning: <blink> is outside the HTML vocabulary; its text was kept"
    + HINT,
]


def vocabulary_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if "HTML vocabulary" in line]


def test_vocabulary_warnings_stay_until_the_template_is_fixed(tmp_path):
    root = tmp_path / "small"
    shutil.copytree(PROJECTS / "small", root)
    template = root / "templates" / "policy-brief.html.j2"
    template.write_text(OVERRIDE, encoding="utf-8")
    out = tmp_path / "out"

    def build(*extra: str) -> subprocess.CompletedProcess:
        args = [*BRIEFGEN, "build", str(root), "-o", str(out), "--brief", "small-brief", "--format", "docx"]
        result = subprocess.run([*args, *extra], capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        return result

    first = build()
    said = vocabulary_lines(first)
    assert all(line in said for line in EXPECTED), said
    # Every warning about these elements (the theme's word on the class `ask` too) is placed.
    places = ("templates/policy-brief.html.j2:4:3: ", "templates/policy-brief.html.j2:5:9: ")
    assert all(line.startswith(places) for line in said), said
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    [entry] = manifest["outputs"]
    assert len(entry["warnings"]) == len(said)
    assert {
        "path": "templates/policy-brief.html.j2",
        "line": 4,
        "column": 3,
        "message": '<aside class="ask"> is outside the HTML vocabulary; its text was kept',
        "hint": HINT.removeprefix(" (hint: ").removesuffix(")"),
    } in entry["warnings"]
    assert str(tmp_path) not in (out / "manifest.json").read_text(encoding="utf-8")

    # Up to date: nothing is written, the warnings are printed again, from the cache's build
    # record and from the manifest.
    for extra in ((), ("--no-cache",)):
        again = build(*extra)
        assert "0 file(s) written, 1 up to date" in again.stderr
        assert vocabulary_lines(again) == said
        assert f"{len(said)} warning(s)" in again.stderr

    # Fixed: rebuilt without the warnings, and they stay gone.
    template.write_text(
        OVERRIDE.replace('<aside class="ask">', '<div class="callout">')
        .replace("</aside>", "</div>")
        .replace("<blink>this</blink>", "<strong>this</strong>"),
        encoding="utf-8",
    )
    fixed = build()
    assert "1 file(s) written" in fixed.stderr
    assert vocabulary_lines(fixed) == []
    [entry] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    assert "warnings" not in entry
    for extra in ((), ("--no-cache",)):
        assert vocabulary_lines(build(*extra)) == []
