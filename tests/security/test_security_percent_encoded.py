"""A withheld value written percent-encoded into a link target (`?q=Maxim%20Khiddenov`) is
as much a leak as the value in plain text: the build fails in every format and publishes
nothing for that output."""

from __future__ import annotations

import shutil

import pytest
from conftest import PROJECTS
from security_support import assert_clean_failure, run_cli

CASEFILE = PROJECTS / "casefile"

# The withheld spelling, percent-encoded in a link target.
LEAKY_OVERRIDE = """{% extends "builtin/case-dossier.html.j2" %}
{% block content %}
{{ super() }}
<p><a href="https://records.example/search?q=Maxim%20Khiddenov&amp;court=1">court records</a></p>
{% endblock %}
"""


@pytest.mark.parametrize(
    "fmt", ["html", "docx", pytest.param("pdf", marks=pytest.mark.slow)], ids=["html", "docx", "pdf"]
)
def test_a_withheld_value_percent_encoded_in_a_link_fails_the_build(tmp_path, fmt):
    _assert_the_leak_fails_the_build(tmp_path, LEAKY_OVERRIDE, fmt)


def _assert_the_leak_fails_the_build(tmp_path, override_text: str, fmt: str, spelling: str | None = None):
    """The casefile project (its withheld spelling changed to `spelling`) with the public
    dossier's template overridden: its build fails on the leak and publishes nothing."""
    project = tmp_path / "casefile"
    shutil.copytree(CASEFILE, project)
    if spelling:
        content = project / "content" / "content.yaml"
        text = content.read_text(encoding="utf-8")
        content.write_text(text.replace("[Maxim Khiddenov]", f"[{spelling}]"), encoding="utf-8")
    override = project / "templates" / "public" / "case-dossier.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text(override_text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(
        "build", str(project), "-o", str(out), "--brief", "dossier", "--lang", "en", "--format", fmt
    )
    where = "people.maksim-fixture.also_known_as[0]"
    assert_clean_failure(result, "confidentiality check failed", where, "nothing was published")
    # Said at the template line that writes it (outputwarnings.leak_error), the output named.
    assert "templates/public/case-dossier.html.j2:4:" in result.stderr, result.stderr
    assert f": dossier/dossier.public.en.{fmt}: confidentiality check failed" in result.stderr
    assert not (out / "dossier").exists()  # not even the empty folder of its temporary file


# The withheld spelling with an apostrophe, as `tojson` writes it into an attribute: the
# apostrophe becomes \u0027, whose letters and digits would stand inside the name.
TOJSON_OVERRIDE = """{% extends "builtin/case-dossier.html.j2" %}
{% block content %}
{{ super() }}
<p data-record='{{ {"name": "Maxim O\\'Khiddenov"}|tojson }}'>court records</p>
{% endblock %}
"""


def test_a_withheld_value_escaped_by_tojson_in_an_attribute_fails_the_build(tmp_path):
    _assert_the_leak_fails_the_build(tmp_path, TOJSON_OVERRIDE, "html", spelling="Maxim O'Khiddenov")
