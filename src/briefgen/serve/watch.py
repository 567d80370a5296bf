"""Watch: saves in a project folder -> batches of changed paths, one batch per save.

watchfiles (Rust `notify`) gathers the events an editor makes while saving (temporary
file, rename, metadata) into one batch: it yields once no new event came for `STEP_MS`.
What briefgen writes is never watched: the project's output folder, the server's preview
folder, hidden folders (.git, .venv) and editors' swap and backup files; otherwise each
build would trigger the next. `poll` is for file systems that send no events (some
container mounts, network shares).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

STEP_MS = 50  # a save's events arrive within a few ms; wait this long after the last one
POLL_MS = 300


class ProjectFilter(watchfiles.DefaultFilter):
    """Files of the project, without outputs, hidden folders and editors' temporary files."""

    def __init__(self, root: Path, ignored: list[Path]):
        self.root = root.resolve()
        super().__init__(ignore_paths=[str(p.resolve()) for p in ignored])

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        if not super().__call__(change, path):
            return False
        try:
            parts = Path(path).resolve().relative_to(self.root).parts
        except ValueError:
            return False
        # ".#name" (Emacs locks), ".name.swp" and hidden folders; "4913" is vim's probe file.
        return bool(parts) and not any(p.startswith(".") for p in parts) and parts[-1] != "4913"


class ProjectWatcher:
    """Calls `on_change(paths relative to root)` once per save, from its own thread."""

    def __init__(
        self, root: Path, on_change: Callable[[set[str]], None], ignored: list[Path], poll: bool = False
    ):
        self.root = root.resolve()
        self.on_change = on_change
        self.filter = ProjectFilter(root, ignored)
        self.poll = poll
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="briefgen-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _run(self) -> None:
        for changes in watchfiles.watch(
            self.root,
            watch_filter=self.filter,
            stop_event=self._stop,
            force_polling=self.poll,
            poll_delay_ms=POLL_MS,
            step=STEP_MS,
            rust_timeout=500,
            yield_on_timeout=False,
            raise_interrupt=False,
        ):
            paths = set()
            for _change, path in changes:
                try:
                    paths.add(Path(path).resolve().relative_to(self.root).as_posix())
                except ValueError:
                    continue
            if paths:
                self.on_change(paths)
