"""Scratch folders (scratch.py): a killed owner's folder is removed by the next one to start,
a living owner's never."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PROJECTS

from briefgen.scratch import OWNER_FILE, ScratchFolder, remove_abandoned

PREFIX = "briefgen-test-"

# Makes a folder, says where, then waits to be killed (or forks a child that outlives it).
OWNER = """
import os, sys, time
from briefgen.scratch import ScratchFolder
folder = ScratchFolder(sys.argv[1], sys.argv[2])
child = os.fork() if sys.argv[3] == "fork" else None
if child == 0:
    time.sleep(60)  # the child: holds the inherited lock after its parent is gone
    os._exit(0)
print(folder.path, child or "", flush=True)
time.sleep(60)
"""


def _owner(parent: Path, mode: str = "alone") -> tuple[subprocess.Popen, Path, int | None]:
    process = subprocess.Popen(
        [sys.executable, "-c", OWNER, PREFIX, str(parent), mode], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    path, _, child = process.stdout.readline().strip().partition(" ")
    return process, Path(path), int(child) if child else None


def _kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)  # no exit handler, no finally
    process.wait(timeout=30)


def test_a_killed_owners_folder_goes_when_the_next_one_is_made(tmp_path):
    killed, abandoned, _ = _owner(tmp_path)
    living, kept, _ = _owner(tmp_path)
    try:
        (abandoned / "weasyprint-fonts").mkdir()
        (abandoned / "weasyprint-fonts" / "font.ttf").write_bytes(b"font")
        _kill(killed)
        assert abandoned.exists()  # nothing removes it by itself
        folder = ScratchFolder(PREFIX, str(tmp_path))
        assert not abandoned.exists()
        assert kept.exists() and Path(folder.path).exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([kept.name, Path(folder.path).name])
        folder.remove()
        assert not Path(folder.path).exists()
    finally:
        _kill(living)
    assert remove_abandoned(PREFIX, str(tmp_path)) == [str(kept)]
    assert not list(tmp_path.iterdir())


def test_a_folder_stays_while_a_process_forked_from_its_owner_runs(tmp_path):
    owner, folder, child = _owner(tmp_path, "fork")
    assert child
    _kill(owner)
    assert remove_abandoned(PREFIX, str(tmp_path)) == []
    assert folder.exists()
    # The child holds the lock it inherited; once it ends, the folder is abandoned.
    os.kill(child, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while folder.exists() and time.monotonic() < deadline:
        remove_abandoned(PREFIX, str(tmp_path))
        time.sleep(0.1)
    assert not folder.exists()


def test_what_is_not_an_abandoned_scratch_folder_of_this_user_is_left_alone(tmp_path):
    older = tmp_path / f"{PREFIX}older"  # made by a briefgen without locks: no .owner
    older.mkdir()
    (older / "font.ttf").write_bytes(b"font")
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / OWNER_FILE).write_bytes(b"")
    (tmp_path / f"{PREFIX}link").symlink_to(target, target_is_directory=True)
    (tmp_path / f"{PREFIX}file").write_bytes(b"")
    other = tmp_path / "other-prefix"
    other.mkdir()
    (other / OWNER_FILE).write_bytes(b"")  # no lock held, but not ours to judge
    assert remove_abandoned(PREFIX, str(tmp_path)) == []
    assert older.exists() and target.exists() and (target / OWNER_FILE).exists() and other.exists()


def test_a_folder_owned_by_another_user_is_left_alone(tmp_path, monkeypatch):
    owner, folder, _ = _owner(tmp_path)
    _kill(owner)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(folder).st_uid + 1)
    assert remove_abandoned(PREFIX, str(tmp_path)) == []
    assert folder.exists()
    monkeypatch.undo()
    assert remove_abandoned(PREFIX, str(tmp_path)) == [str(folder)]


def test_a_folder_is_private_and_locked_from_the_start(tmp_path):
    folder = ScratchFolder(PREFIX, str(tmp_path))
    try:
        assert os.stat(folder.path).st_mode & 0o777 == 0o700
        assert sorted(os.listdir(folder.path)) == [OWNER_FILE]
        assert remove_abandoned(PREFIX, str(tmp_path)) == []  # this process holds it
    finally:
        folder.remove()


@pytest.mark.slow
def test_a_build_killed_mid_way_ends_its_workers_and_the_next_build_removes_its_folder(tmp_path):
    """SIGKILL runs no code in the build: its workers must end all the same (pool.py asks
    the kernel), not wait for ever on their queue, and its folder goes with the next build."""
    project = tmp_path / "project"
    shutil.copytree(PROJECTS / "small", project)
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    build = [sys.executable, "-m", "briefgen", "build", str(project), "-o", str(tmp_path / "out")]
    killed = subprocess.Popen([*build, "--format", "pdf", "--force", "--jobs", "2"], env=env)
    deadline = time.monotonic() + 120
    left = None
    while time.monotonic() < deadline and not (left and _holders(left) - {killed.pid}):
        left = next(temp.glob("briefgen-workers-*"), None)
        time.sleep(0.02)
    assert left and _holders(left) - {killed.pid}, "no worker holds the build's folder yet"
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _holders(left):
        time.sleep(0.05)
    assert not _holders(left), "the killed build's workers live on"
    assert left.exists()  # nobody ran to remove it
    again = subprocess.run([*build, "--format", "html", "--force"], env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert not left.exists()
    assert not list(temp.glob("briefgen-workers-*"))  # nor the new build's own


def _holders(folder: Path) -> set[int]:
    """Processes with a file open in `folder` (the lock on `.owner`: the build and the
    workers that inherited it)."""
    found = set()
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            if any(os.readlink(fd).startswith(str(folder)) for fd in fd_dir.iterdir()):
                found.add(int(fd_dir.parent.name))
        except OSError:
            continue
    return found


def _death_signal() -> tuple[int, int, int]:
    """(pid, parent pid, the signal this process gets when its parent ends: 0 for none)."""
    import ctypes

    signal_number = ctypes.c_int(-1)
    ctypes.CDLL(None, use_errno=True).prctl(2, ctypes.byref(signal_number), 0, 0, 0)  # PR_GET_PDEATHSIG
    return os.getpid(), os.getppid(), signal_number.value


@pytest.mark.parametrize(
    ("method", "ends_with_the_build"), [("fork", True), ("spawn", True), ("forkserver", False)]
)
def test_a_worker_asks_to_end_with_the_build_that_started_it(method, ends_with_the_build):
    """A direct child (fork, spawn) ends with the build; one started by a fork server (the
    default from Python 3.14) must still start and work, without asking to end with the
    server."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from briefgen.pool import _end_with_parent

    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(1, mp_context=context, initializer=_end_with_parent) as executor:
        pid, parent, death_signal = executor.submit(_death_signal).result(timeout=120)
    assert pid != os.getpid()
    assert (parent == os.getpid()) is ends_with_the_build
    assert death_signal == (signal.SIGKILL if ends_with_the_build else 0)
