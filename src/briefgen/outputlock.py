"""Output lock: one build at a time writes into an output folder.

Two builds into one folder (a second `briefgen build` while the first runs) would each sweep
the other's unchecked temporary files as leftovers and rewrite the manifest from what each
read before the other published. So a build holds an exclusive flock on the output folder
itself (no lock file is left in it) from before it sweeps until it has published; a second
build waits for it, and says so. The kernel releases the lock when its process ends, however
it ends, so a killed build never blocks the next one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: builds are not serialised there
    fcntl = None  # type: ignore[assignment]


class OutputLock:
    """The lock on one output folder (made, with the folders above it, if missing)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.made: list[Path] = []  # the folders acquire made, innermost first
        self._fd: int | None = None

    def acquire(self, on_wait: Callable[[], None] | None = None) -> None:
        """Make the folder and hold it; `on_wait` is called once when another build holds
        it, before waiting for that build to finish. OSError: the folder cannot be made."""
        waited = False
        while True:
            self.made = _missing_folders(self.out)
            self.out.mkdir(parents=True, exist_ok=True)
            if fcntl is None:
                return
            try:
                fd = os.open(self.out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            except OSError:  # a folder that cannot be opened for reading: nothing to lock it with
                return
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None and not waited:
                    on_wait()
                waited = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError:  # a file system without locks: as before, unserialised
                os.close(fd)
                return
            # The build waited for may have failed and removed the folder it had made: a
            # lock on the removed folder would hold nothing, and the next build would make
            # and lock a new one. Lock the folder that is there now.
            if _same_folder(fd, self.out):
                self._fd = fd
                return
            _unlock_and_close(fd)

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            _unlock_and_close(fd)


def _missing_folders(out: Path) -> list[Path]:
    """`out` and the folders above it that do not exist yet, innermost first."""
    missing = []
    for folder in [out, *out.parents]:
        if folder.is_dir():
            break
        missing.append(folder)
    return missing


def _same_folder(fd: int, path: Path) -> bool:
    try:
        here, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _unlock_and_close(fd: int) -> None:
    # Unlocked explicitly: a process forked meanwhile (a build worker, serve's preview
    # worker) holds a copy of the descriptor, which would otherwise keep the lock.
    with contextlib.suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
