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


# A process that lays out a PDF, then builds: its forked workers must not share its font
# configuration (and so the folder WeasyPrint writes each @font-face's file into).
LAID_OUT_THEN_FORKED = """
import multiprocessing, sys
from weasyprint import HTML
from briefgen.writers import pdf

def folder_of_a_fresh_layout(_):
    HTML(string=sys.argv[1]).render(font_config=pdf._font_config())
    return str(pdf._font_config()._folder), id(pdf._font_config())

if __name__ == "__main__":
    mine = pdf._font_config()
    HTML(string=sys.argv[1]).render(font_config=mine)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        theirs = pool.map(folder_of_a_fresh_layout, range(4), chunksize=1)
    print(mine._folder)
    for folder, _ in theirs:
        print(folder)
"""


def test_workers_forked_after_a_layout_write_their_fonts_into_folders_of_their_own(tmp_path):
    from briefgen.theme import DEFAULT_THEME_DIR

    font = sorted((DEFAULT_THEME_DIR / "fonts").glob("*.ttf"))[0]
    html = (
        f"<style>@font-face {{ font-family: T; src: url({font.as_uri()}) }} p {{ font-family: T }}</style>"
        "<p>Justice behind bars</p>"
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    command = [sys.executable, "-c", LAID_OUT_THEN_FORKED, html]
    run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    parent, *workers = run.stdout.split()
    assert len(workers) == 4 and parent != "None"
    assert parent not in workers  # before the fix, every worker wrote into the parent's folder
    assert len(set(workers)) in (1, 2)  # one per worker process (a pool of two)
