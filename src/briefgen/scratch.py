"""Scratch folders: a process's private temporary folder -> removed when it ends, and by the
next briefgen to start when it could not remove it itself.

A build's workers, the chart engine and `serve` keep temporary files in a folder of their
own (WeasyPrint's copies of the theme's fonts, the table-of-contents decisions, the chart
engine's socket; for serve, the previews of confidential outputs). The owner removes it when
it ends. A process ended by SIGKILL (the out-of-memory killer, `kill -9`, a CI time limit)
cannot, so each folder holds a lock (flock on `.owner` inside it) for as long as its owner,
or any process forked from it, lives. Whoever makes a folder with the same prefix first
removes this user's folders whose lock nobody holds any more: the kernel releases a lock
with the last process holding it, whatever the process ids and namespaces.

Folders without `.owner` (made by a briefgen before this one, or one being made this very
moment) and anything not a real folder of this user are left alone.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile

OWNER_FILE = ".owner"


class ScratchFolder:
    """A folder made by `tempfile.mkdtemp(prefix=...)` (only its owner may enter), locked for
    the life of this process and those forked from it."""

    def __init__(self, prefix: str, parent: str | None = None):
        remove_abandoned(prefix, parent)
        self.path = tempfile.mkdtemp(prefix=prefix, dir=parent)
        self._lock: int | None = None
        try:
            # Locked under another name, then renamed: a sweep never finds an `.owner` that is
            # not locked yet.
            claiming = os.path.join(self.path, OWNER_FILE + ".new")
            fd = os.open(claiming, os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
            self._lock = fd
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.rename(claiming, os.path.join(self.path, OWNER_FILE))
        except OSError:  # a file system without locks: removed by its owner only, as before
            pass

    def remove(self) -> None:
        """Remove the folder and all it holds (the owner's part: processes forked from it
        that still run keep their files until they end)."""
        lock, self._lock = self._lock, None
        if lock is not None:
            with contextlib.suppress(OSError):
                os.close(lock)
        shutil.rmtree(self.path, ignore_errors=True)


def remove_abandoned(prefix: str, parent: str | None = None) -> list[str]:
    """Remove this user's folders named PREFIX* in `parent` (the temporary folder) whose
    owner has ended; returns their paths."""
    parent = parent or tempfile.gettempdir()
    removed: list[str] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    uid = os.getuid()
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        try:
            if not entry.is_dir(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_uid != uid:
                continue
            fd = os.open(os.path.join(entry.path, OWNER_FILE), os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:  # not ours, no `.owner` (older, or being made), gone meanwhile
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # its owner (or a process forked from it) still runs
            os.close(fd)
            continue
        try:
            shutil.rmtree(entry.path, ignore_errors=True)
        finally:
            os.close(fd)
        removed.append(entry.path)
    return removed
