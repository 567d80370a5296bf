"""A withheld contact named Vera, with the role "family", no longer stops the HTML outputs of
the audiences that may not see her, nor `validate`: the words of the theme's stylesheet
("never alone", "font-family") are not hers. The PDF and DOCX were published all along, so
`validate` disagreed with `build`."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import build, copy_project_with

BRIEF = "canary-dossier"


def project_with_vera(tmp_path):
    contact = "name: CANARY-CONTACT-3f8a\n        role: Lawyer"
    vera = "name: Vera\n        role: family"
    return copy_project_with("canaries", tmp_path, "content/cases.yaml", contact, vera)


def test_validate_and_the_html_build_pass_and_vera_is_withheld(tmp_path):
    project = project_with_vera(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "validate", "--no-cache", str(project)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "confidentiality" not in result.stderr

    out = tmp_path / "out"
    manifest = build(project, out, briefs=[BRIEF], audiences=["public-readers"], formats=["html"])
    (page,) = [out / f["path"] for f in manifest["outputs"] if f["format"] == "html"]
    markup = page.read_text(encoding="utf-8")
    # What the check used to find her in is still there ...
    assert "never alone" in markup and "font-family" in markup
    # ... and she is not: the check still stands guard over her.
    assert not re.search(r"\bVera\b", markup)
    assert "CANARY-PHONE-92c4" not in markup
