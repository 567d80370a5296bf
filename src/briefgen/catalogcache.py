"""Catalog store: a built-in label catalog's .po bytes -> its compiled MO bytes, kept in
PROJECT/.briefgen/cache/ from one build to the next.

Babel reads a .po file in Python: about 0.01 s for one language's catalog, paid by every
process that selects or renders an output (a build's main process, and each worker
again). A label chain is made of the MO bytes the catalog compiles to (labels.py), so the
store keeps those, in memory for the life of the process and on disk beside the content
cache, with its protections (cache.ContentCache: owner-only, every entry signed with the
user's key, so only bytes this user's briefgen compiled are ever used).

An entry is named after the .po file's bytes, its language and Babel's version: an edited
catalog or another Babel compiles afresh. Only a catalog that reads without a problem is
compiled and kept.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

from .cache import ContentCache

KIND = "catalogs"
Compile = Callable[[], bytes | None]


class CatalogStore:
    """Compiled catalogs of this process, and of the project's cache when it has one."""

    def __init__(self) -> None:
        self._cache: ContentCache | None = None
        self._memory: dict[tuple, bytes] = {}

    def keep_on_disk(self, cache: ContentCache | None) -> None:
        """Also load from and save to `cache` (None: memory only, as with --no-cache)."""
        self._cache = cache

    @contextlib.contextmanager
    def kept_in(self, cache: ContentCache | None) -> Iterator[None]:
        """keep_on_disk(cache) meanwhile; then memory only again (a process's next caller may
        build another project)."""
        self.keep_on_disk(cache)
        try:
            yield
        finally:
            self.keep_on_disk(None)

    def mo_bytes(self, path: Path, language: str, compile_catalog: Compile) -> bytes | None:
        """The MO bytes of the catalog at `path`; `compile_catalog` reads and compiles it when
        neither memory nor the store has them (None: no catalog there, or it cannot be read)."""
        try:
            stat = path.stat()
        except OSError:
            return compile_catalog()
        # Every output asks for its language's chain: in memory, the file is only looked at.
        seen = (str(path), language, stat.st_mtime_ns, stat.st_size)
        found = self._memory.get(seen)
        if found is not None:
            return found
        try:
            data = path.read_bytes()
        except OSError:
            return compile_catalog()
        name = _name(language, data)
        found = self._cache.get(KIND, name) if self._cache is not None else None
        if not isinstance(found, bytes):
            found = compile_catalog()
            if found is None:
                return None
            if self._cache is not None:
                self._cache.put(KIND, name, found)
        self._memory[seen] = found
        return found


def _name(language: str, data: bytes) -> str:
    import babel

    return hashlib.sha256(f"{babel.__version__}\n{language}\n".encode() + data).hexdigest()


COMPILED_CATALOGS = CatalogStore()
