"""Template store: a template's compiled code -> a signed entry in PROJECT/.briefgen/cache/.

Compiling the built-in templates costs each build process about 0.07 s (Jinja lexes,
parses and generates Python, then Python compiles it), paid before its first output on
every build. The store keeps the code (marshal) from one build to the next, beside the
content cache and with its protections (cache.ContentCache: owner-only, every entry signed
with the user's key, so only code this user's briefgen compiled is ever loaded).

An entry is named after the template (Jinja's bucket key: its name and file), briefgen's
files and Python's version (software_digest: the environment's filters and extensions, and
the format of marshalled code), and Jinja's version; it holds the checksum of the source it
was compiled from, so an edited template compiles afresh and replaces its entry.
"""

from __future__ import annotations

import hashlib
import marshal
from types import CodeType

from .cache import ContentCache, software_digest

KIND = "templates"


class TemplateStore:
    """Compiled templates of one project, on disk."""

    def __init__(self, cache: ContentCache):
        self._cache = cache

    @staticmethod
    def _name(key: str) -> str:
        import jinja2

        return hashlib.sha256(f"{software_digest()}\n{jinja2.__version__}\n{key}".encode()).hexdigest()

    def load(self, key: str, checksum: str) -> CodeType | None:
        """The code compiled from this source, or None (none kept, another source, damaged)."""
        entry = self._cache.get(KIND, self._name(key))
        if not (isinstance(entry, tuple) and len(entry) == 2 and entry[0] == checksum):
            return None
        try:
            code = marshal.loads(entry[1])
        except (EOFError, ValueError, TypeError):
            return None
        return code if isinstance(code, CodeType) else None

    def save(self, key: str, checksum: str, code: CodeType) -> None:
        self._cache.put(KIND, self._name(key), (checksum, marshal.dumps(code)))
