"""Scaffold: `briefgen init DIR` -> a small briefing project that builds as it is.

The starter project is a folder inside the package (starter/), copied as it stands, so what
`init` writes is ordinary files a test can build and a user can read.
"""

from __future__ import annotations

import shutil
from pathlib import Path

STARTER = Path(__file__).parent / "starter"


class TargetError(Exception):
    """The folder named cannot take a new project (a usage error: exit status 2)."""


def write_starter_project(target: Path) -> None:
    """Copy the starter project into `target`, a new or empty folder; TargetError otherwise."""
    if target.exists() and not target.is_dir():
        raise TargetError(f"{target} is a file, not a folder; name a new folder")
    if target.is_dir() and any(target.iterdir()):
        raise TargetError(f"{target} exists and is not empty; choose a new folder")
    above = next((p for p in target.absolute().parents if p.exists()), None)
    if above is not None and not above.is_dir():
        raise TargetError(f"{above} is a file, so {target} cannot be made; name a folder elsewhere")
    try:
        shutil.copytree(STARTER, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    except OSError as exc:  # no permission, a read-only or special file system
        reason = exc.strerror or str(exc)
        raise TargetError(f"cannot write the project into {target}: {reason}") from None
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
