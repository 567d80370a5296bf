"""A corpus of template mistakes (tests/fixtures/template-mistakes/), each reported by the real
CLI at its exact file, line and column with a hint, and never with a traceback.

All the mistakes go into one copy of the `small` fixture, one brief per template (two as
audience overrides), so one `validate` and one `build` report them all.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, PROJECTS

BRIEFGEN = [sys.executable, "-m", "briefgen"]
CORPUS = FIXTURES / "template-mistakes"

# Where each corpus file goes in the project (an audience override, or a project template a
# brief of its own names), and the line the CLI must print for it, whole.
PLACES = {
    "unclosed-if": "templates/public-readers/event-summary.html.j2",
    "misspelt-field": "templates/public-readers/policy-brief.html.j2",
    "_rows": "templates/_rows.html.j2",
    "extends-itself": "templates/public-readers/case-dossier.html.j2",
}
EXPECTED = {
    "unclosed-if": "templates/public-readers/event-summary.html.j2:5:3: template error: {% if %} is never "
    "closed (hint: close it with {% endif %} where it should end; Jinja reached {% endblock %} at line 7 "
    "first)",
    "misspelt-field": "templates/public-readers/policy-brief.html.j2:5:21: template error: case has no field "
    "'titel' (hint: did you mean 'title'? a case has id, title, subjects, ",
    "unknown-filter": "templates/unknown-filter.html.j2:4:22: template error: unknown filter 'uper' "
    "(hint: did you mean 'upper'?)",
    "unknown-test": "templates/unknown-test.html.j2:4:25: template error: unknown test 'strin' "
    "(hint: did you mean 'string'?)",
    "unknown-tag": "templates/unknown-tag.html.j2:4:6: template error: unknown tag {% includ %} "
    "(hint: did you mean {% include %}?)",
    "syntax-mid-line": "templates/syntax-mid-line.html.j2:4:44: template error: unexpected ')' "
    "(hint: a bracket, quote or operator before it is missing or one too many)",
    "stray-endif": "templates/stray-endif.html.j2:4:13: template error: {% endif %} closes no {% if %} "
    "(hint: remove it, or open the block with {% if %} before it)",
    # The mistake is in the included file: reported there, not at the {% include %}.
    "includes-rows": "templates/_rows.html.j2:2:1: template error: {% for %} is never closed "
    "(hint: close it with {% endfor %} where it should end; Jinja reached the end of the file first)",
    "undefined-name": "templates/undefined-name.html.j2:4:8: template error: 'breif' is undefined "
    "(hint: did you mean 'brief'? templates receive audience, brief, cases, ",
    "none-field": "templates/none-field.html.j2:4:11: template error: recipient is nothing (None), which "
    "has no field 'name' (hint: test it first: {% if recipient %}...{% endif %})",
    "list-field": "templates/list-field.html.j2:4:7: template error: cases is a list, which has no field "
    "'title' (hint: loop over it with {% for item in ... %} and ask each item)",
    "read-only": "templates/read-only.html.j2:5:27: template error: a template cannot change names "
    "('append') (hint: lists and mappings a template receives or makes are read-only: make a new one, "
    "{% set items = items + [item] %}, or count with a namespace, "
    "{% set ns = namespace(n=0) %}{% set ns.n = ns.n + 1 %})",
    "unclosed-comment": "templates/unclosed-comment.html.j2:4:4: template error: Missing end of comment "
    "tag (hint: close it with #})",
    "extends-misspelt": "templates/extends-misspelt.html.j2:1:12: template error: template "
    "'builtin/policy-brif.html.j2' not found (hint: did you mean 'builtin/policy-brief.html.j2'?)",
    "extends-itself": "templates/public-readers/case-dossier.html.j2:2:1: template error: templates extend, "
    "include or call each other in an endless loop (hint: to extend the built-in case-dossier.html.j2, "
    'write {% extends "builtin/case-dossier.html.j2" %})',
    "loop-field": "templates/loop-field.html.j2:4:27: template error: loop has no field 'indx' "
    "(hint: did you mean 'index'? loop has ",
}
# Printed whole when they end with ")"; the others are the start of a longer line.
WHOLE = {name for name, line in EXPECTED.items() if line.endswith(")")}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mistakes") / "small"
    shutil.copytree(PROJECTS / "small", root)
    briefs = []
    for source in sorted(CORPUS.glob("*.html.j2")):
        name = source.name.removesuffix(".html.j2")
        target = root / PLACES.get(name, f"templates/{name}.html.j2")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        if name not in PLACES:
            briefs.append(
                f"  - id: {name}\n    template: {name}\n    title: {name}\n"
                "    audiences: [public-readers]\n    cases: all\n"
            )
    settings = root / "briefgen.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "".join(briefs), encoding="utf-8")
    return root


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*BRIEFGEN, *args], capture_output=True, text=True, timeout=600)


def template_errors(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if "template error" in line]


def check(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    errors = template_errors(result)
    for name, expected in EXPECTED.items():
        found = [
            line for line in errors if line == expected or (name not in WHOLE and line.startswith(expected))
        ]
        assert len(found) == 1, f"{name}: expected\n  {expected}\namong\n  " + "\n  ".join(errors)
    # Each mistake once, and nothing else reported as a template error.
    assert len(errors) == len(EXPECTED), "\n".join(errors)
    # Never a Python class or module name, whatever the mistake.
    for forbidden in ("Record", "briefgen.", "object has no attribute", "jinja2", "TemplateModule"):
        assert forbidden not in result.stderr, result.stderr


@pytest.fixture(scope="module")
def validated(project) -> subprocess.CompletedProcess:
    return run("validate", str(project))


def test_validate_reports_every_mistake_at_its_column(validated):
    check(validated)


@pytest.mark.slow
def test_build_reports_the_same_and_publishes_nothing(project, tmp_path):
    out = tmp_path / "out"
    check(run("build", str(project), "-o", str(out), "--format", "html", "--no-cache"))
    assert not any(out.rglob("*.html"))


def test_the_do_tag_works(validated):
    """`{% do %}` is enabled (jinja2.ext.do): the corpus's uses-do template renders."""
    assert not [line for line in validated.stderr.splitlines() if "uses-do" in line], validated.stderr
