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


def _held(tmp_path, script: str):
    """(project, output folder, the process holding the folder as `script` does)."""
    project = copy_project("small", tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "held"
    return project, out, holder


def _let_go(holder, build) -> str:
    """The holder lets the folder go; the build then finishes: what it said."""
    holder.stdin.write("done\n")
    holder.stdin.flush()
    assert holder.wait(timeout=30) == 0
    _, stderr = build.communicate(timeout=300)
    assert build.returncode == 0, stderr
    return stderr


def _published(out) -> set[str]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {entry["path"] for entry in manifest["outputs"]}


def test_a_build_waits_while_another_writes_into_its_output_folder(tmp_path):
    project, out, holder = _held(tmp_path, HOLDER)
    try:
        build = _build(project, out)
        time.sleep(3)
        assert build.poll() is None, "the build must wait for the folder's holder"
        assert not (out / "manifest.json").exists()
        stderr = _let_go(holder, build)
    finally:
        holder.kill()
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


# A build that held the folder, failed and removed the folder it had made, while another
# build made a new one at the same path and holds that: the waiting build must lock the
# folder that is there now, not the removed one.
REMOVER = """
import fcntl, os, sys
out = sys.argv[1]
old = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
fcntl.flock(old, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
os.rmdir(out)
os.mkdir(out)
new = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
fcntl.flock(new, fcntl.LOCK_EX)
fcntl.flock(old, fcntl.LOCK_UN)
os.close(old)
print("moved", flush=True)
sys.stdin.readline()
"""


def test_a_waiting_build_locks_the_folder_there_now_not_a_removed_one(tmp_path):
    project, out, holder = _held(tmp_path, REMOVER)
    try:
        build = _build(project, out)
        time.sleep(2)
        holder.stdin.write("go\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "moved"
        time.sleep(3)
        assert build.poll() is None, "the new folder is held: the build must wait for it"
        stderr = _let_go(holder, build)
    finally:
        holder.kill()
    assert stderr.count("waiting for it to finish") == 1
    assert _published(out)


def test_an_output_folder_that_cannot_be_made_is_a_usage_error(tmp_path):
    project = copy_project("small", tmp_path)
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    build = _build(project, tmp_path / "a-file" / "out")
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 2, stderr
    assert "cannot make the output folder" in stderr and "Traceback" not in stderr


def test_an_output_folder_given_as_a_link_to_a_missing_folder_is_made(tmp_path):
    project = copy_project("small", tmp_path)
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "elsewhere" / "out")
    build = _build(project, link)
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 0, stderr
    assert (tmp_path / "elsewhere" / "out" / "manifest.json").is_file()
