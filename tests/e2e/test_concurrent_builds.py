"""Two builds into one output folder take turns (outputlock.py): each would otherwise sweep
the other's unchecked temporary files as a killed build's leftovers, and publish a manifest
from what it read before the other published."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from conftest import copy_project

# Holds the output folder's lock as a build would, until told to let go on standard input.
HOLDER = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
"""


def _build(project, out, *extra) -> subprocess.Popen:
    argv = [sys.executable, "-m", "briefgen", "build", str(project), "-o", str(out), "--format", "html"]
    return subprocess.Popen([*argv, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _published(out) -> set[str]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {entry["path"] for entry in manifest["outputs"]}


def test_a_build_waits_while_another_writes_into_its_output_folder(tmp_path):
    project = copy_project("small", tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        build = _build(project, out)
        time.sleep(3)
        assert build.poll() is None, "the build must wait for the folder's holder"
        assert not (out / "manifest.json").exists()
        holder.stdin.write("done\n")
        holder.stdin.flush()
        assert holder.wait(timeout=30) == 0
        _, stderr = build.communicate(timeout=300)
    finally:
        holder.kill()
    assert build.returncode == 0, stderr
    assert f"another build is writing into {out}; waiting for it to finish" in stderr
    assert _published(out) and all((out / path).is_file() for path in _published(out))


def test_two_builds_into_one_folder_both_publish_everything(tmp_path):
    project = copy_project("small", tmp_path)
    out = tmp_path / "out"
    first, second = _build(project, out, "--force"), _build(project, out, "--force", "--no-cache")
    results = [(p.wait(timeout=300), p.communicate()[1]) for p in (first, second)]
    assert [code for code, _ in results] == [0, 0], results
    assert sum("waiting for it to finish" in stderr for _, stderr in results) <= 1
    published = _published(out)
    assert published and all((out / path).is_file() for path in published)
    assert not [p for p in out.rglob(".briefgen-tmp-*")], "no temporary file is left behind"


def test_a_failed_build_removes_the_output_folder_it_made(tmp_path):
    project = copy_project("small", tmp_path)
    (project / "briefgen.yaml").write_text("briefs: [\n", encoding="utf-8")
    out = tmp_path / "new" / "out"  # neither folder exists yet
    build = _build(project, out)
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 1, stderr
    assert not (tmp_path / "new").exists()
