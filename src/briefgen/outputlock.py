"""Output lock: one build at a time writes into an output folder.

Two builds into one folder (a second `briefgen build` while the first runs, or `build` beside
`serve`) would each sweep the other's unchecked temporary files as leftovers and rewrite the
manifest from what each read before the other published. So a build holds an exclusive
flock on the output folder itself (no lock file is left in it) from before it sweeps until
it has published; a second build waits for it, and says so. The kernel releases the lock
when its process ends, however it ends, so a killed build never blocks the next one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: builds are not serialised there
    fcntl = None  # type: ignore[assignment]


@contextlib.contextmanager
def output_lock(out: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the output folder `out` (made if missing) for one build; `on_wait` is called once
    when another build holds it, before waiting for that build to finish."""
    out.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    try:
        fd = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # a folder that cannot be opened for reading: nothing to lock it with
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks: as before, unserialised
            pass
        yield
    finally:
        # Unlocked explicitly: a process forked meanwhile (a build worker, serve's preview
        # worker) holds a copy of the descriptor, which would otherwise keep the lock.
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
