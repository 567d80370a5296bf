"""Scaffold: `briefgen init DIR` -> a small briefing project that builds as it is.

The starter project is a folder inside the package (starter/), copied as it stands, so what
`init` writes is ordinary files a test can build and a user can read.
"""

from __future__ import annotations

import shutil
from pathlib import Path

STARTER = Path(__file__).parent / "starter"


def write_starter_project(target: Path) -> None:
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} exists and is not empty; choose a new folder")
    shutil.copytree(STARTER, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    (target / "assets").mkdir(exist_ok=True)
    (target / "templates").mkdir(exist_ok=True)
    # Built files and the content cache (which holds confidential content) stay out of git.
    (target / ".gitignore").write_text(GITIGNORE, encoding="utf-8")


GITIGNORE = """\
# Written by `briefgen init`.
# What briefgen builds:
/output/
# briefgen's content cache: it holds confidential content, never commit or share it.
/.briefgen/
"""
