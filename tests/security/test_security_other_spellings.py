"""A withheld person's other spellings (`also_known_as`, content format 1.2) are removed values
like the name: a template that prints one into a public output fails the build, which
publishes nothing for that output."""

from __future__ import annotations

import shutil

import pytest
from conftest import PROJECTS
from security_support import assert_clean_failure, run_cli

pytestmark = pytest.mark.slow

CASEFILE = PROJECTS / "casefile"

LEAKY_OVERRIDE = """{% extends "builtin/case-dossier.html.j2" %}
{% block content %}
{{ super() }}
<p>Also written Maxim Khiddenov in the court records.</p>
{% endblock %}
"""


def test_a_withheld_persons_other_spelling_fails_the_build(tmp_path):
    project = tmp_path / "casefile"
    shutil.copytree(CASEFILE, project)
    override = project / "templates" / "public" / "case-dossier.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text(LEAKY_OVERRIDE, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(
        "build", str(project), "-o", str(out), "--brief", "dossier", "--lang", "en", "--format", "pdf"
    )
    where = "people.maksim-fixture.also_known_as[0]"
    assert_clean_failure(result, "confidentiality check failed", where, "nothing was published")
    assert "dossier/dossier.public.en.pdf" in result.stderr
    assert not (out / "dossier" / "dossier.public.en.pdf").exists()
