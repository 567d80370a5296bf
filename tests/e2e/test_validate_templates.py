"""validate renders each output's HTML (no layout, no files), so template errors show there."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import PROJECTS, casefile_with_dossier_line

BRIEFGEN = [sys.executable, "-m", "briefgen"]


def validate(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*BRIEFGEN, "validate", str(root)], capture_output=True, text=True, timeout=300)


def copy(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(PROJECTS / name, root)
    return root


def test_a_misspelt_variable_in_an_audience_override(tmp_path):
    root = copy(tmp_path, "audiences")
    override = root / "templates" / "partners" / "policy-brief.html.j2"
    override.write_text(
        '{% extends "builtin/policy-brief.html.j2" %}\n'
        "{% block cover_extra %}\n<p>{{ brief.titel | upper }}</p>\n{% endblock %}\n",
        encoding="utf-8",
    )
    result = validate(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "templates/partners/policy-brief.html.j2:3:" in result.stderr
    assert "titel" in result.stderr
    # the error is reported once, not once per output that uses the template
    assert result.stderr.count("titel") == 1
    # nothing is written by validate
    assert not (root / "output").exists()


def test_a_misspelt_variable_in_a_project_template(tmp_path):
    root = copy(tmp_path, "small")
    (root / "templates" / "factsheet.html.j2").write_text(
        '{% extends "builtin/base.html.j2" %}\n{% block content %}\n<h1>{{ brief.title }}</h1>\n'
        "{% for case in cases %}<p>{{ case.sumary | md }}</p>{% endfor %}\n{% endblock %}\n",
        encoding="utf-8",
    )
    settings = root / "briefgen.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + "  - id: factsheet\n    template: factsheet\n    audiences: [public-readers]\n    cases: all\n",
        encoding="utf-8",
    )
    result = validate(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "templates/factsheet.html.j2:4:" in result.stderr


def test_a_broken_template_of_the_theme(tmp_path):
    root = copy(tmp_path, "small")
    theme_templates = root / "templates" / "sober" / "templates"
    theme_templates.mkdir()
    (theme_templates / "policy-brief.html.j2").write_text(
        '{% extends "builtin/policy-brief.html.j2" %}\n'
        "{% block cover_extra %}{% if brief.title %}<p>x</p>{% endblock %}\n",
        encoding="utf-8",
    )
    settings = root / "briefgen.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("as_of:", "theme: sober\nas_of:", 1))
    result = validate(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "policy-brief.html.j2:2:" in result.stderr
    assert "template error" in result.stderr


def test_the_repository_and_fixtures_validate_clean():
    for name in ("small", "audiences"):
        result = validate(PROJECTS / name)
        assert result.returncode == 0, result.stdout + result.stderr


LEAKY_OVERRIDE = """{% extends "builtin/case-dossier.html.j2" %}
{% block content %}
{{ super() }}
<p>Also written <a href="https://records.example/?q=Maxim%20Khiddenov">in the records</a>.</p>
{% endblock %}
"""


def test_validate_fails_where_the_build_would_refuse_to_publish(tmp_path):
    # `validate` checks everything `build` checks: a template that prints a value withheld
    # from its audience (here percent-encoded in a link) fails validate as it fails the build.
    root = copy(tmp_path, "casefile")
    override = root / "templates" / "public" / "case-dossier.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text(LEAKY_OVERRIDE, encoding="utf-8")
    result = validate(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "confidentiality check failed: people.maksim-fixture.also_known_as[0]" in result.stderr
    # At the template line and column that writes it: the link's encoded run.
    assert (
        "templates/public/case-dossier.html.j2:4:26: dossier/dossier.public.en: confidentiality check failed"
    ) in result.stderr
    assert "this line holds the withheld value" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "output").exists()
    override.unlink()
    clean = validate(root)
    assert clean.returncode == 0, clean.stderr


def test_a_leak_no_template_line_writes_is_said_at_the_output(tmp_path):
    # The value is made at render time (reversed): no line of the template holds its letters,
    # so the error stays at the output, with a hint of where else to look.
    reversed_name = "Maxim Khiddenov"[::-1]
    root = casefile_with_dossier_line(tmp_path, f'<p>{{{{ "{reversed_name}" | reverse }}}}</p>')
    result = validate(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "dossier/dossier.public.en:0:0: confidentiality check failed" in result.stderr
    assert "no template of this output writes it as text" in result.stderr


def test_a_template_syntax_error_is_reported_beside_content_errors(tmp_path):
    # validate reports every problem at once: a template that does not parse is said while
    # the content has errors too, not only once they are fixed.
    root = copy(tmp_path, "audiences")
    override = root / "templates" / "partners" / "policy-brief.html.j2"
    override.write_text(
        '{% extends "builtin/policy-brief.html.j2" %}\n{% block cover_extra %}\n<p>{{ foo( }}</p>\n'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    (cases,) = [p for p in (root / "content").glob("*.yaml") if "status: imprisoned" in p.read_text()]
    cases.write_text(cases.read_text().replace("status: imprisoned", "status: bogus-status", 1))
    result = validate(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "'bogus-status' is not allowed" in result.stderr
    assert "templates/partners/policy-brief.html.j2:3:" in result.stderr
    assert "2 error(s)" in result.stderr and "Traceback" not in result.stderr


def test_validate_says_a_paragraphs_unknown_class_as_the_build_does(tmp_path):
    # Only the DOCX writer used to see `<p class="...">` outside the vocabulary: `validate`
    # passed a template whose build then warned.
    root = casefile_with_dossier_line(tmp_path, '<p class="plea">Write to the minister.</p>')
    result = validate(root)
    assert result.returncode == 0, result.stderr
    expected = (
        "templates/public/case-dossier.html.j2:4:1: warning: class 'plea' (<p>) is neither in the HTML "
        "vocabulary nor under the theme's styles"
    )
    assert result.stderr.count(expected) == 1, result.stderr
