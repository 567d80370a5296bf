"""Inputs: what one output is made from -> a fingerprint, for incremental builds.

An output is up to date when its fingerprint equals the one recorded in the manifest and
its file is still what was written. The fingerprint covers exactly what can change the
file: the View the templates see (so a change to a case rebuilds only the outputs that show
that case), the templates that the brief's template extends, includes or imports (found by
reading them, through the same lookup chain as the render), the theme's files, the assets
the view refers to, the formats' settings and briefgen itself: its version and each of its
files (cache.software_digest), so that code installed anew under the same version number
(a developer's edit, an install from the repository) rebuilds what it would write otherwise.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields, is_dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .cache import software_digest
from .labels import labels_fingerprint
from .lookup import TemplateChain, referenced_templates, template_filename
from .select import Record, View
from .theme import DEFAULT_THEME_DIR, Theme


def view_fingerprint(view: View) -> str:
    # What was removed matters too: the confidentiality check depends on it.
    payload = {**view.template_context(), "removed": view.removed}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_as_json)
    return _sha(text)


def _as_json(value: Any) -> Any:
    # Called by the C encoder for what JSON has no type for; everything else it writes itself,
    # which for a mailing of hundreds of copies is most of a no-change rebuild's time.
    if isinstance(value, Record):
        return vars(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    if isinstance(value, date):  # and datetime
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} in a View cannot be fingerprinted")


def template_fingerprint(project_root: Path, theme: Theme, audience_id: str, template: str) -> dict[str, str]:
    """{template name: "where it was found:sha256"} for the template and all it pulls in."""
    chain = TemplateChain(project_root, theme.templates_dir, audience_id)
    seen: dict[str, str] = {}
    pending = [template_filename(template)]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        path = chain.find(name)
        if path is None:
            seen[name] = "missing"
            continue
        source, digest = _template_text(path)
        seen[name] = f"{chain.label(path)}:{digest}"
        references = _references(source)
        if None in references:
            # A template named by a variable could be any of them: depend on them all.
            pending.extend(chain.all_names())
        pending.extend(name for name in references if name)
    return dict(sorted(seen.items()))


def _template_text(path: Path) -> tuple[str, str]:
    """A template's text and its digest, read again only when the file changed: every
    output's fingerprint reads the same few templates."""
    stat = path.stat()
    # The change time and inode too: a same-size edit within one tick of the modification
    # time, or a file put back with its old time, still gives another key.
    return _template_text_cached(path, (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_size))


@lru_cache(maxsize=256)
def _template_text_cached(path: Path, _version: tuple[int, ...]) -> tuple[str, str]:
    source = path.read_text(encoding="utf-8", errors="replace")
    return source, _sha(source)


@lru_cache(maxsize=256)
def _references(source: str) -> tuple[str | None, ...]:
    """referenced_templates, parsed once per template text: every output's fingerprint reads
    the same few templates, and parsing them (Jinja's lexer and parser) was most of the main
    process's time per output (17 ms of 20), for 204 outputs 3.5 s."""
    return tuple(referenced_templates(source))


@cache
def theme_fingerprint(folder: Path) -> str:
    """The theme's tokens, CSS, templates and fonts (and the default theme it builds on)."""
    digest = hashlib.sha256()
    for root in dict.fromkeys([folder, DEFAULT_THEME_DIR]):
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(_file_sha(path).encode())
    digest.update(_system_fonts_stamp(folder).encode())
    return digest.hexdigest()


def _system_fonts_stamp(folder: Path) -> str:
    """The installed fonts the theme's script chain takes faces from (fonts-noto-cjk), by
    path, size and time: an upgraded package rebuilds; 100 MB are not hashed each build."""
    from .fonts import chain
    from .theme import ThemeError, load_theme

    try:
        paths = sorted({f.path for s in chain(load_theme(folder)).scripts for f in s.fonts if f.face})
    except ThemeError:
        return ""
    stamps = []
    for path in paths:
        try:
            stat = path.stat()
            stamps.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            stamps.append(f"{path}:missing")
    return "\n".join(stamps)


def assets_fingerprint(project_root: Path, view: View) -> str:
    names = set()
    if view.publisher is not None and view.publisher.logo:
        names.add(view.publisher.logo)
    for case in view.cases:
        names.update(p.photo for p in case.subjects if p.photo)
    digest = hashlib.sha256()
    for name in sorted(names):
        path = project_root / "assets" / name
        digest.update(name.encode())
        digest.update(_file_sha(path).encode() if path.is_file() else b"missing")
    return digest.hexdigest()


def output_fingerprint(
    project_root: Path, theme: Theme, view: View, audience_id: str, template: str, settings: dict
) -> str:
    parts = {
        "briefgen": software_digest(),
        "view": view_fingerprint(view),
        "templates": template_fingerprint(project_root, theme, audience_id, template),
        "theme": theme_fingerprint(theme.folder),
        "assets": assets_fingerprint(project_root, view),
        "labels": labels_fingerprint(project_root, view.language),
        "settings": settings,
    }
    return _sha(json.dumps(parts, sort_keys=True))


def _file_sha(path: Path) -> str:
    stat = path.stat()
    return _file_sha_cached(path, stat.st_mtime_ns, stat.st_size)


@cache
def _file_sha_cached(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
