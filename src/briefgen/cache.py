"""Content cache: a project's input files -> what loading them gave last time, kept on disk.

Loading a project (parsing YAML, typing every item, checking references) is paid by every
command and, in the preview server, by every save. The cache keeps, in
`PROJECT/.briefgen/cache/`:

- per content file, keyed by its bytes: the parsed file and its typed items, so that after
  one file changes only that file is parsed again (cross-file checks still run, cheaply);
- per project, keyed by every input of loading: the whole LoadResult, so that a command
  on an unchanged project does not load at all;
- small results of commands keyed likewise (what `validate` printed), so that they need not
  even import the content model.

A key covers the bytes of briefgen.yaml and of every content file, the names and sizes of
templates, assets, the theme and project catalogs, briefgen's version and source files, and
Python's version: any change gives another key, and a stale entry is never used.

The cache holds confidential content, so it lives inside the project (never in the output
folder), with owner-only permissions, and every entry is signed with a key kept in the
user's own cache folder: an entry written by anyone else (a cache copied in with a project,
a truncated or corrupted file, another version's format) fails the check and is ignored.
Entries are pickles, and only signed ones are ever unpickled.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import pickle
import secrets
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import __version__

CACHE_DIR = Path(".briefgen") / "cache"
_FORMAT = b"briefgen-cache-1\n"
_SIGNATURE_BYTES = 32
_KEY_BYTES = 32
_PACKAGE = Path(__file__).parent


def user_key() -> bytes:
    """This user's signing key, made on first use (XDG_CACHE_HOME, else ~/.cache)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "briefgen"
    path = base / "cache.key"
    with contextlib.suppress(OSError):
        data = path.read_bytes()
        if len(data) == _KEY_BYTES:
            return data
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Processes that start together (a build and its early workers) may each find no key, or
    # a damaged one: the first to hold the lock makes it, and the others use that one. Each
    # making its own would leave what the others signed unreadable (the build's record, read
    # by the next run's quick check).
    with open(base / "cache.key.lock", "a+b") as lock:
        with contextlib.suppress(OSError):  # a file system without locks: first come
            fcntl.flock(lock, fcntl.LOCK_EX)
        with contextlib.suppress(OSError):
            data = path.read_bytes()
            if len(data) == _KEY_BYTES:
                return data
        data = secrets.token_bytes(_KEY_BYTES)
        fd, temp = tempfile.mkstemp(dir=base, prefix=".key-")
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    return data


def _software_digest() -> str:
    """briefgen's version, the size and time of each of its files (code, templates, themes,
    catalogs: a developer's edit counts, not only a release), Python's version and the
    distributions installed beside briefgen (_installed_distributions)."""
    digest = hashlib.sha256(f"{__version__}\n{sys.version}\n".encode())
    digest.update(_installed_distributions().encode())
    # os.scandir, not Path.rglob: every command pays for this walk before it starts work, and
    # rglob's objects made it cost 20 ms on a slow machine (200 files) instead of 3.
    files: list[tuple[tuple[str, ...], os.stat_result]] = []
    pending = [((), str(_PACKAGE))]
    while pending:
        parts, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=True):
                    if entry.name != "__pycache__":
                        pending.append(((*parts, entry.name), entry.path))
                elif entry.is_file(follow_symlinks=True):
                    files.append(((*parts, entry.name), entry.stat()))
    for parts, stat in sorted(files, key=lambda item: item[0]):
        digest.update(f"{'/'.join(parts)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _installed_distributions() -> str:
    """The name and version of every distribution in the environment's site-packages (the
    names of their `.dist-info` folders), one a line. WeasyPrint, python-docx, Jinja, pydantic
    and the others shape what is written and what is kept: an upgrade of one of them alone
    must not leave outputs up to date or cache entries in use. Any install counts, which costs
    one cold load at worst; reading the names costs a tenth of a millisecond, where
    importlib.metadata costs some 13 ms to import."""
    names: list[str] = []
    for entry in sys.path:
        if os.path.basename(entry) not in ("site-packages", "dist-packages"):
            continue
        with contextlib.suppress(OSError), os.scandir(entry) as found:
            names.extend(item.name for item in found if item.name.endswith((".dist-info", ".egg-info")))
    return "".join(f"{name}\n" for name in sorted(names))


_SOFTWARE: str | None = None


def software_digest() -> str:
    global _SOFTWARE
    if _SOFTWARE is None:
        _SOFTWARE = _software_digest()
    return _SOFTWARE


def file_digest(relative: str, data: bytes) -> str:
    """The key of one content file: its path, its bytes and the software that parses it."""
    return hashlib.sha256(f"{software_digest()}\n{relative}\n".encode() + data).hexdigest()


_THIS_BUILDS: list[ContentCache] = []


def use_for_this_build(folder: Path | None) -> None:
    """The cache this process's build keeps things in that it makes on the way (a worker's:
    charts/drawings.py reads it when a chart is drawn); None: none (--no-cache)."""
    _THIS_BUILDS[:] = [ContentCache.at(folder)] if folder else []


def this_builds() -> ContentCache | None:
    return _THIS_BUILDS[0] if _THIS_BUILDS else None


class ContentCache:
    """Signed entries in PROJECT/.briefgen/cache/ (made owner-only on first write)."""

    def __init__(self, project: Path | None = None, *, folder: Path | None = None):
        """PROJECT's cache, or the one in `folder` (ContentCache.at)."""
        assert (project is None) != (folder is None)
        self.folder = Path(folder) if folder is not None else Path(project) / CACHE_DIR
        self._key: bytes | None = None
        # What the content files gave at the last load through this cache, by file key
        # (load.py): the files a save left alone are then not unpickled again. Their items
        # are frozen, and a key names a file's path, bytes and the software.
        self.last_files: dict[str, Any] = {}
        self.last_coverage: dict[tuple[int, int], Any] = {}  # fonts.check_project_texts

    @classmethod
    def at(cls, folder: Path) -> ContentCache:
        """The cache whose folder is `folder` (what a worker is handed)."""
        return cls(folder=folder)

    @property
    def key(self) -> bytes:
        if self._key is None:
            self._key = user_key()
        return self._key

    def _path(self, kind: str, name: str) -> Path:
        return self.folder / kind / f"{name}.bin"

    def get(self, kind: str, name: str) -> Any | None:
        """The entry, or None when there is none or it is not one this user wrote intact."""
        try:
            data = self._path(kind, name).read_bytes()
        except OSError:
            return None
        if not data.startswith(_FORMAT) or len(data) < len(_FORMAT) + _SIGNATURE_BYTES:
            return None
        signature = data[len(_FORMAT) : len(_FORMAT) + _SIGNATURE_BYTES]
        payload = data[len(_FORMAT) + _SIGNATURE_BYTES :]
        expected = hmac.new(self.key, kind.encode() + b"\0" + name.encode() + b"\0" + payload, "sha256")
        if not hmac.compare_digest(signature, expected.digest()):
            return None
        try:
            return pickle.loads(payload)
        except Exception:  # signed but unreadable (a class that changed): not usable
            return None

    def put(self, kind: str, name: str, value: Any) -> None:
        """Write an entry atomically; a cache that cannot be written is simply not used."""
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            signature = hmac.new(self.key, kind.encode() + b"\0" + name.encode() + b"\0" + payload, "sha256")
            folder = self._path(kind, name).parent
            self._make(folder)
            fd, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(_FORMAT + signature.digest() + payload)
            os.chmod(temp, 0o600)
            os.replace(temp, self._path(kind, name))
        except (OSError, pickle.PicklingError, RecursionError, TypeError):
            return

    def keep_only(self, kind: str, names: Iterable[str]) -> None:
        """Remove the entries of `kind` not named (per-file entries of files since changed)."""
        wanted = {f"{name}.bin" for name in names}
        folder = self.folder / kind
        try:
            found = list(folder.iterdir())
        except OSError:
            return
        for path in found:
            if path.name not in wanted:
                with contextlib.suppress(OSError):
                    path.unlink()

    def _make(self, folder: Path) -> None:
        # .briefgen/ and cache/ owner-only: the entries hold confidential content.
        for part in (self.folder.parent, self.folder, folder):
            part.mkdir(mode=0o700, exist_ok=True)
            os.chmod(part, 0o700)

    def clear(self) -> int:
        """Delete every entry; returns how many there were."""
        count = 0
        if not self.folder.is_dir():
            return 0
        for path in sorted(self.folder.rglob("*"), reverse=True):
            try:
                if path.is_dir():
                    path.rmdir()
                else:
                    path.unlink()
                    count += 1
            except OSError:
                pass
        with contextlib.suppress(OSError):
            self.folder.rmdir()
        return count


def tree_digest(folder: Path, read_bytes: bool, text_suffixes: frozenset[str] = frozenset()) -> str:
    """Names (and bytes, or size and time) of every file under `folder`; "" when it is absent.
    Files ending in one of `text_suffixes` (".yaml") count by their bytes in any case: an
    edit that keeps a file's size within the clock's tick keeps its time too."""
    if not folder.is_dir():
        return ""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and CACHE_DIR.parts[0] not in p.parts):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        try:
            if read_bytes or path.suffix.lower() in text_suffixes:
                digest.update(hashlib.sha256(path.read_bytes()).digest())
            else:
                stat = path.stat()
                digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


SETTINGS_FILE = "briefgen.yaml"


def project_key(root: Path) -> str:
    """Every input of loading: settings, content files' bytes, the names and sizes of templates
    and assets (which content refers to) and of project catalogs, and the software."""
    root = Path(root)
    digest = hashlib.sha256(software_digest().encode())
    settings = root / SETTINGS_FILE
    digest.update(hashlib.sha256(settings.read_bytes()).digest() if settings.is_file() else b"none")
    digest.update(tree_digest(root / "content", read_bytes=True).encode())
    for folder in ("templates", "assets", "locale"):
        digest.update(f"{folder}:{tree_digest(root / folder, read_bytes=False)}".encode())
    # Loading types the project's theme.yaml and checks the texts against its fonts: its bytes
    # count, as an edit of the same size must not keep a stale verdict.
    for theme_file in sorted((root / "templates").glob("**/theme.yaml")):
        digest.update(str(theme_file.relative_to(root)).encode() + b"\0")
        digest.update(hashlib.sha256(theme_file.read_bytes()).digest())
    return digest.hexdigest()


def render_key(root: Path, *extra: str) -> str:
    """project_key and the bytes of what rendering reads besides: templates, themes, catalogs."""
    root = Path(root)
    digest = hashlib.sha256(project_key(root).encode())
    for folder in ("templates", "locale"):
        digest.update(f"{folder}:{tree_digest(root / folder, read_bytes=True)}".encode())
    for value in extra:
        digest.update(b"\0" + value.encode())
    return digest.hexdigest()


def build_key(
    root: Path,
    out: Path,
    *,
    briefs=None,
    audiences=None,
    languages=None,
    formats=None,
    pdf_variant: str | None = None,
    strict: bool = False,
    stems=None,
    self_contained: bool = False,
) -> str:
    """What a build's outcome depends on: render_key, the command line and SOURCE_DATE_EPOCH.
    The CLI's quick check and the build itself call this alike, so their keys agree."""
    wanted = {
        "briefs": sorted(briefs or []),
        "audiences": sorted(audiences or []),
        "languages": sorted(languages or []),
        "formats": sorted(formats or []),
        "pdf_variant": pdf_variant,
        "strict": bool(strict),
        "stems": sorted(stems or []),
        # Only asked for when set, so the keys of builds before the option are unchanged.
        **({"self_contained": True} if self_contained else {}),
        "epoch": os.environ.get("SOURCE_DATE_EPOCH"),
        "out": str(Path(out).resolve()),
    }
    return render_key(root, json.dumps(wanted, sort_keys=True))


def output_unchanged(out: Path, relpath: str, fingerprint: str, entry: dict | None) -> bool:
    """An output is up to date: the manifest records this fingerprint, and the file is still
    the one it records (size and sha256: a damaged or edited file is rebuilt)."""
    path = Path(out) / relpath
    if entry is None or entry.get("inputs") != fingerprint or not path.is_file():
        return False
    return path.stat().st_size == entry.get("bytes") and file_sha256(path) == entry.get("sha256")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def unchanged_build(cache: ContentCache, key: str, out: Path) -> dict | None:
    """The record of the last build with these inputs, if every output it made is up to date.

    A record is {"jobs": [(label, formats, [(relpath, fingerprint), ...]), ...],
    "diagnostics": [(line, is_error), ...]}.
    """
    record = cache.get("build", key)
    if not isinstance(record, dict) or not isinstance(record.get("jobs"), list):
        return None
    # Temporary files of a build that was killed: a real build sweeps them away.
    if any(Path(out).rglob(".briefgen-tmp-*")):
        return None
    try:
        manifest = json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))
        previous = {e["path"]: e for e in manifest.get("outputs", [])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    for _label, _formats, outputs in record["jobs"]:
        for relpath, fingerprint in outputs:
            if not output_unchanged(out, relpath, fingerprint, previous.get(relpath)):
                return None
    return record
