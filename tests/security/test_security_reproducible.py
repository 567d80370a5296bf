"""Reproducible output: with SOURCE_DATE_EPOCH set, the same project built from two folders,
in two time zones, at two different moments, by two processes gives byte-identical files."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import PROJECTS
from security_support import run_cli

EPOCH = 1_600_000_000  # 2020-09-13T12:26:40Z


def build_in(folder: Path, tz: str) -> tuple[Path, dict]:
    project = folder / "project"
    shutil.copytree(PROJECTS / "canaries", project)
    out = folder / "output"
    env = {"SOURCE_DATE_EPOCH": str(EPOCH), "TZ": tz, "USER": folder.name, "LOGNAME": folder.name}
    result = run_cli(
        "build", str(project), "-o", str(out), "--jobs", "2",
        "--brief", "canary-dossier", "--brief", "canary-letter", env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_two_builds_in_two_folders_time_zones_and_moments_are_identical(tmp_path):
    first_out, first = build_in(tmp_path / "first-folder", "UTC")
    time.sleep(1.1)  # a later second, so a build time would differ
    second_out, second = build_in(tmp_path / "second-folder-elsewhere", "Pacific/Auckland")

    def digests(manifest: dict) -> dict[str, str]:
        return {e["path"]: e["sha256"] for e in manifest["outputs"]}

    assert digests(first) == digests(second)
    formats = {e["format"] for e in first["outputs"]}
    assert {"pdf", "docx", "html"} <= formats
    for entry in first["outputs"]:
        a = (first_out / entry["path"]).read_bytes()
        b = (second_out / entry["path"]).read_bytes()
        assert a == b, entry["path"]
        assert hashlib.sha256(a).hexdigest() == entry["sha256"]
    assert [{k: v for k, v in e.items() if k != "inputs"} for e in first["outputs"]] == [
        {k: v for k, v in e.items() if k != "inputs"} for e in second["outputs"]
    ]

    assert_epoch_in_metadata(first_out, first)


def assert_epoch_in_metadata(out: Path, manifest: dict) -> None:
    """SOURCE_DATE_EPOCH, not the brief's date or the clock, dates the files."""
    import zipfile

    import pikepdf

    stamp = datetime.fromtimestamp(EPOCH, tz=UTC)
    for entry in manifest["outputs"]:
        path = out / entry["path"]
        if entry["format"] == "pdf":
            with pikepdf.open(path) as pdf:
                assert str(pdf.docinfo["/CreationDate"]) == stamp.strftime("D:%Y%m%d%H%M%SZ")
                assert str(pdf.docinfo["/ModDate"]) == stamp.strftime("D:%Y%m%d%H%M%SZ")
        elif entry["format"] == "docx":
            with zipfile.ZipFile(path) as archive:
                core = archive.read("docProps/core.xml").decode()
            assert core.count(stamp.strftime("%Y-%m-%dT%H:%M:%SZ")) == 2
