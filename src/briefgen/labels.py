"""Labels: the built-in catalogs and a project's `locale/LANG.po` -> one chain per language.

A label is a gettext message (a heading, a field name, "Page {page} of {pages}"). The
project's catalog comes first, so an organisation can correct a built-in label or add a
language briefgen does not ship, without touching the installed package; the built-in
catalog comes next; the English msgid is the last resort. What a language lacks is
reported, once per language, so no output mixes languages silently (content-format.md,
"Labels for any language"; `--strict` makes it an error).
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

from .catalogcache import COMPILED_CATALOGS
from .diagnostics import Diagnostic, error, warning
from .labelsource import extract_into, format_problems, project_template_sources

PROJECT_LOCALE_DIR = "locale"
BUILTIN_LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "briefgen"
SOURCE_LANGUAGE = "en"  # msgids are English
SHOWN_MISSING = 3  # msgids named in a warning


def project_catalog_path(root: Path, language: str) -> Path:
    return Path(root) / PROJECT_LOCALE_DIR / f"{language}.po"


def builtin_catalog_path(language: str) -> Path:
    return BUILTIN_LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def builtin_languages() -> list[str]:
    return sorted(p.parent.parent.name for p in BUILTIN_LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


@dataclass(frozen=True)
class CatalogFile:
    """A catalog read from disk: its messages, or the problem that stopped the reading."""

    catalog: Catalog | None
    problem: Diagnostic | None = None


def read_catalog(path: Path, language: str, shown_as: str) -> CatalogFile:
    """A .po file read strictly; a malformed one is a problem at its line."""
    stat = path.stat()
    return _read_catalog(path, language, shown_as, stat.st_mtime_ns, stat.st_size)


@cache
def _read_catalog(path: Path, language: str, shown_as: str, _mtime_ns: int, _size: int) -> CatalogFile:
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=_babel_code(language), abort_invalid=True)
    except PoFileError as exc:
        line = (getattr(exc, "lineno", -1) or 0) + 1  # Babel counts lines from 0
        return CatalogFile(
            None,
            error(
                shown_as,
                line,
                1 if line else 0,
                f"this label catalog cannot be read: {_without_line(exc)}",
                'a PO entry is msgid "..." then msgstr "..."; compare with `briefgen catalogs init`',
            ),
        )
    except (UnicodeDecodeError, ValueError) as exc:
        return CatalogFile(None, error(shown_as, 1, 1, f"this label catalog cannot be read: {exc}"))
    return CatalogFile(catalog)


def _babel_code(language: str) -> str | None:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
    return language.replace("-", "_")


def _mo_bytes(catalog: Catalog) -> bytes:
    # Compiled in memory: the .po stays the only file to maintain and review.
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


@cache
def _compiled(catalog: Catalog) -> bytes:
    return _mo_bytes(catalog)


def _translations(catalog: Catalog) -> Translations:
    # A new object each time: add_fallback links objects, and each chain is its own.
    return Translations(io.BytesIO(_compiled(catalog)), domain=DOMAIN)


@cache
def builtin_catalog(language: str) -> Catalog | None:
    path = builtin_catalog_path(language)
    if not path.is_file():
        return None
    return read_catalog(path, language, path.name).catalog


def project_catalog(root: Path | None, language: str) -> CatalogFile | None:
    if root is None:
        return None
    path = project_catalog_path(root, language)
    if not path.is_file():
        return None
    return read_catalog(path, language, f"{PROJECT_LOCALE_DIR}/{language}.po")


def translations(language: str, root: Path | None = None) -> NullTranslations:
    """The label chain for a language: the project's catalog, then the built-in one."""
    catalogs: list[Catalog | bytes] = []
    for code in dict.fromkeys([language, language.split("-")[0]]):
        found = project_catalog(root, code)
        if found is not None and found.catalog is not None:
            catalogs.append(found.catalog)
        # The built-in catalog as the MO bytes it compiles to, kept from one build to the
        # next (catalogcache.py): a build answered from the cache reads no .po file.
        builtin = COMPILED_CATALOGS.mo_bytes(builtin_catalog_path(code), code, partial(_builtin_mo, code))
        if builtin is not None:
            catalogs.append(builtin)
    return _chain(tuple(catalogs))


@lru_cache(maxsize=64)
def _chain(catalogs: tuple[Catalog | bytes, ...]) -> NullTranslations:
    # Per catalog objects, which are read again when their file changes (read_catalog): every
    # output of a build asks for its language's chain, and parsing it was ~1 ms each time.
    # The chain is only read from once made. A built-in catalog comes as its MO bytes.
    chain = [_mo_translations(c) if isinstance(c, bytes) else _translations(c) for c in catalogs]
    if not chain:
        return NullTranslations()
    first = chain[0]
    for later in chain[1:]:
        first.add_fallback(later)
    return first


def _mo_translations(mo: bytes) -> Translations:
    return Translations(io.BytesIO(mo), domain=DOMAIN)


def _builtin_mo(language: str) -> bytes | None:
    catalog = builtin_catalog(language)
    return None if catalog is None else _compiled(catalog)


def wanted_msgids(root: Path | None) -> list[str | tuple[str, str]]:
    """Every label an output may print: the built-in ones and those of the project's templates."""
    template = _builtin_template()
    wanted = [m.id for m in template if m.id]
    if root is not None:
        sources = project_template_sources(Path(root))
        if sources:
            found = extract_into(Catalog(fuzzy=True), sources, Path(root), strict=False)
            wanted += [m.id for m in found if m.id]
    return list(dict.fromkeys(_key(i) for i in wanted))


@cache
def _builtin_template() -> Catalog:
    with (BUILTIN_LOCALE_DIR / f"{DOMAIN}.pot").open("rb") as handle:
        return read_po(handle)


def missing_labels(language: str, root: Path | None = None) -> list[str]:
    """The msgids of `wanted_msgids` that neither the project's nor the built-in catalog translates."""
    if language.split("-")[0] == SOURCE_LANGUAGE:
        return []
    catalogs: list[Catalog | bytes] = []
    for code in dict.fromkeys([language, language.split("-")[0]]):
        found = project_catalog(root, code)
        if found is not None and found.catalog is not None:
            catalogs.append(found.catalog)
        builtin = builtin_catalog(code)
        if builtin is not None:
            catalogs.append(builtin)
    missing = []
    for msgid in wanted_msgids(root):
        if not any(_translated(catalog, msgid) for catalog in catalogs):
            missing.append(msgid[0] if isinstance(msgid, tuple) else msgid)
    return missing


def _translated(catalog: Catalog, msgid: str | tuple) -> bool:
    message = catalog.get(msgid)
    if message is None or message.fuzzy:
        return False
    if isinstance(message.string, (list, tuple)):
        return bool(message.string) and all(message.string)
    return bool(message.string)


def _key(msgid: str | list | tuple) -> str | tuple:
    return tuple(msgid) if isinstance(msgid, (list, tuple)) else msgid


def catalog_problems(root: Path) -> list[Diagnostic]:
    """Project catalogs that cannot be read, or whose translations break a placeholder."""
    found = []
    folder = Path(root) / PROJECT_LOCALE_DIR
    if not folder.is_dir():
        return []
    for path in sorted(folder.glob("*.po")):
        shown = f"{PROJECT_LOCALE_DIR}/{path.name}"
        result = read_catalog(path, path.stem, shown)
        if result.problem is not None:
            found.append(result.problem)
            continue
        for message in result.catalog or []:
            if not message.id or not message.string or message.fuzzy:
                continue
            for problem in format_problems(message):
                found.append(
                    error(
                        shown,
                        (message.lineno or 0) + 1,
                        1,
                        f"the translation of {_msgid(message.id)!r} has {problem}",
                        "keep every {placeholder} of the msgid, spelt as there, and no %, <, > or &",
                    )
                )
    return found


def _msgid(msgid: str | tuple) -> str:
    return msgid[0] if isinstance(msgid, (list, tuple)) else msgid


def language_places(model, languages) -> dict[str, tuple[str, int, int]]:
    """Where briefgen.yaml asks for each language: a brief's `languages`, else `language`."""
    places = {}
    for language in languages:
        for brief in model.project.briefs:
            if brief.languages and language in brief.languages:
                where = model.settings_locate(
                    "briefs", brief.id, "languages", brief.languages.index(language)
                )
                break
        else:
            where = model.settings_locate("language")
        places[language] = (where.path, where.line, where.column)
    return places


def label_warnings(model, languages) -> list[Diagnostic]:
    """One warning per language of `languages` whose labels are not all translated."""
    root = Path(model.root)
    found = []
    for language, (path, line, column) in language_places(model, languages).items():
        missing = missing_labels(language, root)
        if not missing:
            continue
        total = len(wanted_msgids(root))
        # Labels with words first: a punctuation label (": ", "; ") says little in a message.
        examples = sorted(missing, key=lambda m: not any(c.isalpha() for c in m))
        shown = ", ".join(f'"{m}"' for m in examples[:SHOWN_MISSING])
        more = f" and {len(missing) - SHOWN_MISSING} more" if len(missing) > SHOWN_MISSING else ""
        found.append(
            warning(
                path,
                line,
                column,
                f"{len(missing)} of {total} labels have no '{language}' translation, so '{language}' "
                f"outputs print them in English: {shown}{more}",
                f"run `briefgen catalogs init {language}` and translate "
                f"{PROJECT_LOCALE_DIR}/{language}.po; with --strict this is an error",
                strict=True,
            )
        )
    return found


def labels_fingerprint(root: Path, language: str) -> str:
    """What the project's catalogs for `language` contribute to an output (incremental builds)."""
    parts = []
    for code in dict.fromkeys([language, language.split("-")[0]]):
        path = project_catalog_path(root, code)
        parts.append(f"{code}:{hashlib.sha256(path.read_bytes()).hexdigest()}" if path.is_file() else code)
    return ";".join(parts)


def _without_line(exc: Exception) -> str:
    # Babel ends its message with a 0-based line number; the diagnostic has the real one.
    return re.sub(r" on \d+$", "", str(exc))
