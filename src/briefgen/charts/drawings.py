"""Chart drawings kept on disk: a drawing request (engine.py) -> the drawing, in the project's
cache (cache.py), so that a build whose charts have not changed draws none of them and starts
no chart engine.

Drawing a brief's charts costs a JavaScript engine's start (about half a second of CPU) and
some tenths of a second per chart, in every `briefgen build`, although the charts change far
less often than the text around them. Each drawing is kept under a key of everything that
makes its bytes: the request itself (the Vega-Lite specification with its data, the number
and time locales, the font folders; or, for a picture, the SVG and its resolution), the names,
sizes and times of the files in those font folders, the versions of vl-convert, Pillow and
zlib, and briefgen's version and source files (cache.software_digest). A stale drawing is
never used: another input gives another key. One input is left out: the system's own fonts,
which vl-convert falls back on for a character the theme's fonts lack: after installing or
removing system fonts, `briefgen cache clear` has the next build draw afresh. The bytes kept
are those the engine gives, so a build from kept drawings equals one drawn afresh
(`--no-cache`), byte for byte.

Chart data may be confidential: the drawings live with the rest of the cache, signed, in the
project's owner-only `.briefgen/cache/` (docs/security.md); `--no-cache` neither reads nor
writes them, and `briefgen cache clear` removes them. The `KEEP` most recently used are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from functools import cache
from pathlib import Path

from ..cache import ContentCache, software_digest, this_builds, tree_digest
from .engine import request_body

KIND = "charts"
KEEP = 200  # drawings (tens of kilobytes each): a project's charts through many edits


def kept(request: dict, store: ContentCache | None = None) -> bytes | None:
    """The drawing kept for `request` in `store` (else the build's cache), or None."""
    store = store or this_builds()
    if store is None:
        return None
    name = key(request)
    found = store.get(KIND, name)
    if not isinstance(found, bytes):
        return None
    with contextlib.suppress(OSError):  # the least recently used go first (_make_room)
        os.utime(store.folder / KIND / f"{name}.bin")
    return found


def keep(request: dict, drawing: bytes) -> None:
    """Keep `drawing`, what the engine gave for `request`, in the build's cache."""
    store = this_builds()
    if store is None:
        return
    store.put(KIND, key(request), drawing)
    _make_room(store)


def key(request: dict) -> str:
    digest = hashlib.sha256(f"{software_digest()}\n{_engine_versions()}\n".encode())
    for folder in request.get("fonts", []):
        digest.update(f"{folder}\0{tree_digest(Path(folder), read_bytes=False)}\n".encode())
    digest.update(request_body(request))
    return digest.hexdigest()


@cache
def _engine_versions() -> str:
    """vl-convert draws; Pillow and zlib flatten and encode the pictures (print_png)."""
    import zlib
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("vl-convert-python", "pillow"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} unknown")
    return "; ".join([*found, f"zlib {zlib.ZLIB_RUNTIME_VERSION}"])


def _make_room(store: ContentCache) -> None:
    folder = store.folder / KIND
    try:
        entries = [
            (entry.stat().st_mtime_ns, entry.path)
            for entry in os.scandir(folder)
            if entry.name.endswith(".bin")
        ]
    except OSError:
        return
    for _, path in sorted(entries)[: max(0, len(entries) - KEEP)]:
        with contextlib.suppress(OSError):
            os.unlink(path)
