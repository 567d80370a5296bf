"""Shared contents decisions: a brief's personalised copies -> one deciding layout per build.

Whether a document of middling length gets a table of contents is decided from a layout of
its text (worker._lay_out_with_contents_decided), once per brief x audience x language: the
copies of a brief differ only in their cover, so the decision of the first copy holds for
every copy whose body is the same. The copies are split between the workers
(build._batches), and each worker used to lay out its first copy to decide again, some
seconds each for a long brief.

The workers now decide together, through a file per group in the pool's folder (pool.py):
the first worker to reach a group holds a lock on the file while it decides and writes the
decision there; a worker that reaches the group meanwhile waits for the lock (it would
otherwise spend as long deciding the same thing), then takes the decision when its copy's
body is the one decided on. The lock is the kernel's (flock): a worker stopped while
deciding (a time or memory limit) releases it as it dies, and the next decides instead.

A decision names the body it was taken for by its digest, and for a PDF the pages of the
layout taken: a copy whose cover runs to another number of pages decides for itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Decision:
    toc: bool  # the brief gets a table of contents
    body: str  # sha256 of the HTML after the cover (parsed.ParsedDocument.after_cover)
    pages: int | None  # pages of the layout taken, when the build writes a PDF


def body_digest(after_cover: str | None) -> str:
    return hashlib.sha256((after_cover or "").encode("utf-8")).hexdigest()


class Claim:
    """A group's decision file, locked: `known` is what an earlier worker decided, if any."""

    def __init__(self, fd: int, known: Decision | None) -> None:
        self._fd: int | None = fd
        self.known = known

    def record(self, decision: Decision) -> None:
        if self._fd is None:
            return
        data = json.dumps(asdict(decision)).encode("utf-8")
        with contextlib.suppress(OSError):  # not recorded: the next worker decides itself
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, data, 0)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file releases the lock
            self._fd = None


class SharedDecisions:
    """The contents decisions of one build's workers, kept in `folder` (only its owner may enter)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    @contextlib.contextmanager
    def claim(self, group: tuple[str, ...]) -> Iterator[Claim | None]:
        """The group's Claim, once no other worker holds it; None when the file cannot be
        had (the worker then decides alone, as without sharing). Released on leaving."""
        import fcntl

        name = hashlib.sha256(json.dumps(list(group)).encode("utf-8")).hexdigest()[:32]
        try:
            fd = os.open(self.folder / f"contents-{name}", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            yield None
            return
        claim = Claim(fd, None)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            claim.known = _read(fd)
            yield claim
        finally:
            claim.release()


def _read(fd: int) -> Decision | None:
    """The decision in the file; None when there is none, or none whole (never trusted half)."""
    try:
        data = os.pread(fd, 4096, 0)
        fields = json.loads(data.decode("utf-8")) if data else None
        if not isinstance(fields, dict):
            return None
        decision = Decision(**fields)
    except (OSError, ValueError, TypeError):
        return None
    if not isinstance(decision.toc, bool) or not isinstance(decision.body, str):
        return None
    if decision.pages is not None and not isinstance(decision.pages, int):
        return None
    return decision


def shared_decisions(scratch: str | None) -> SharedDecisions | None:
    """The build's shared decisions in the pool's folder, where the platform has flock."""
    if scratch is None:
        return None
    try:
        import fcntl  # noqa: F401  (POSIX only)
    except ImportError:
        return None
    return SharedDecisions(Path(scratch))
