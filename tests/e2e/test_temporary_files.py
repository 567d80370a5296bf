"""A build leaves nothing in the temporary folder (writers/pdf.py `_font_config`).

WeasyPrint writes each @font-face's file into a folder of its own under the temporary
folder and removes it only when its FontConfiguration is collected, which never happens to
the one a worker keeps: every build left the theme's fonts behind (6 to 250 MB a process,
70 GB on a developer's machine in a day)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import PROJECTS

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_pdf_build_leaves_no_font_folder_behind(tmp_path, jobs):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    build = ["build", str(PROJECTS / "small"), "-o", str(tmp_path / "out"), "--format", "pdf", "--force"]
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", *build, "--jobs", jobs],
        env={**os.environ, "TMPDIR": str(temporary)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert list((tmp_path / "out").rglob("*.pdf"))
    assert not [p.name for p in temporary.iterdir() if p.name.startswith("weasyprint-")]
