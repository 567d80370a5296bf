"""Load: a project folder (briefgen.yaml, content/**/*.yaml) -> the Model, or every problem.

Each file is read by yamlsource (safe, positioned, nothing resolved by YAML 1.1 rules),
each item is typed by its pydantic model (lax: the text "7" becomes the int 7 where the
model asks for an int), and pydantic's errors are turned into diagnostics at the file,
line and column of the value at fault, with "did you mean" hints. validate.py then checks
what needs the whole project (ids, references, citations, assets, templates).

`load_project` never raises for anything a project contains: it returns a LoadResult with
the Model (None when there are errors) and all errors and warnings, sorted by place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .advice import model_warnings
from .cache import ContentCache, file_digest, project_key
from .diagnostics import Diagnostic, error, warning
from .model import COLLECTIONS, SINGULAR, Item, Model, Project
from .theme import check_project_theme
from .typed import describe_node, did_you_mean, validate_node
from .validate import Entry, Settings, check_project
from .yamlsource import Node, YamlFile, read_yaml, size_problem, values_read_as_comments

SETTINGS_FILE = "briefgen.yaml"
CONTENT_DIR = "content"
CONTENT_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadResult:
    model: Model | None  # None only when there are errors
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


def load_project(root: Path, cache: ContentCache | None = None) -> LoadResult:
    """Read, type and check the project in `root`; never raises for content mistakes.

    With a `cache` (cache.py), an unchanged project is not loaded again, and after a change
    only the changed content files are parsed and typed again.
    """
    root = Path(root)
    if cache is None:
        return _load(root, None)
    key = project_key(root)
    result = cache.get("project", key)
    if isinstance(result, LoadResult):
        if result.model is not None:
            result.model.root = root
        return result
    result = _load(root, cache)
    if result.model is not None:
        result.model.memo.clear()
    cache.put("project", key, result)
    cache.keep_only("project", [key])
    return result


def _load(root: Path, cache: ContentCache | None) -> LoadResult:
    diagnostics: list[Diagnostic] = []
    settings = _load_settings(root, diagnostics)
    entries: list[Entry] = []
    positions: list[dict] = []  # each entry's field positions, in the order of `entries`
    complete = True  # every content file could be read
    used: dict[str, FileItems] = {}
    kept = cache.last_files if cache is not None else {}
    for path in _content_files(root, diagnostics):
        read, key = _content_file(root, path, cache, kept)
        diagnostics.extend(read.diagnostics)
        entries.extend(read.entries)
        positions.extend(read.positions)
        complete = complete and read.readable
        if key:
            used[key] = read
    if cache is not None:
        cache.keep_only("files", used)
        cache.last_files = used
    try:
        failed = any(d.is_error for d in diagnostics)
        diagnostics.extend(check_project(root, settings, entries, complete, failed=failed))
    except Exception as exc:
        diagnostics.append(_internal_error(SETTINGS_FILE, exc))
    theme_problems: list[Diagnostic] = []
    if settings.project is not None:
        theme_node = settings.file.root.get("theme") if settings.file and settings.file.root else None
        theme_problems = check_project_theme(root, settings.project.theme, theme_node, SETTINGS_FILE)
        theme_problems += _audience_theme_problems(root, settings)
        diagnostics.extend(theme_problems)
    try:
        # The glyphs are checked against a theme that loads; its mistakes are reported above.
        if not any(d.is_error for d in theme_problems):
            diagnostics.extend(_glyph_coverage(root, settings, entries, cache))
    except Exception as exc:
        diagnostics.append(_internal_error(SETTINGS_FILE, exc))
    diagnostics.sort(key=lambda d: (d.location, not d.is_error, d.message))
    model = None
    if settings.project is not None and not any(d.is_error for d in diagnostics):
        model = _build_model(root, settings, entries, positions)
        diagnostics.extend(model_warnings(model))
    return LoadResult(model, diagnostics)


def _audience_theme_problems(root: Path, settings: Settings) -> list[Diagnostic]:
    """Mistakes in the themes audiences name (`audiences[i].theme`), at that line."""
    problems: list[Diagnostic] = []
    listed = settings.file.root.get("audiences") if settings.file and settings.file.root else None
    for index, audience in enumerate(settings.project.audiences):
        if audience.theme is None or audience.theme == settings.project.theme:
            continue
        item = listed.items[index] if listed is not None and index < len(listed.items) else None
        node = item.get("theme") if item is not None and item.kind == "map" else None
        for problem in check_project_theme(root, audience.theme, node, SETTINGS_FILE):
            if problem not in problems:  # two audiences may name the same broken theme
                problems.append(problem)
    return problems


def _glyph_coverage(
    root: Path, settings: Settings, entries: list[Entry], cache: ContentCache | None
) -> list[Diagnostic]:
    """Characters of the project's texts that the theme's fonts cannot print (fonts.py); the
    files the last load through `cache` checked against the same fonts are not checked again."""
    from .fonts import check_project_texts

    files = list({id(e.file): e.file for e in entries}.values())
    theme, at = None, (1, 1)
    if settings.file is not None and settings.file.root is not None:
        files.insert(0, settings.file)
        theme = settings.file.root.text("theme")
        node = settings.file.root.get("theme")
        at = (node.line, node.column) if node is not None else at
    return check_project_texts(root, theme, files, at, cache.last_coverage if cache is not None else None)


# ---------------------------------------------------------------- files


def _load_settings(root: Path, diagnostics: list[Diagnostic]) -> Settings:
    path = root / SETTINGS_FILE
    if not path.is_file():
        diagnostics.append(
            error(
                SETTINGS_FILE,
                1,
                1,
                f"{SETTINGS_FILE} not found: every briefing project needs one",
                "create it with at least 'name: My briefings' (`briefgen init DIR` writes an example)",
            )
        )
        return Settings(None, None)
    yaml_file = _read_file(root, path, diagnostics)
    if yaml_file is None or not yaml_file.readable:
        return Settings(yaml_file, None)
    node = yaml_file.root
    if node is None or node.kind != "map":
        line, column = (node.line, node.column) if node else (1, 1)
        diagnostics.append(
            error(
                SETTINGS_FILE,
                line,
                column,
                f"{SETTINGS_FILE} must be a mapping of settings (name: ..., briefs: ...)",
                "start with a line 'name: My briefings'",
            )
        )
        return Settings(yaml_file, None)
    project, problems = validate_node(Project, node, yaml_file, "briefgen.yaml", settings=True)
    diagnostics.extend(problems)
    return Settings(yaml_file, project)  # type: ignore[arg-type]


def _content_files(root: Path, diagnostics: list[Diagnostic]) -> list[Path]:
    """content/**/*.yaml|yml in sorted order; hidden files and folders are skipped."""
    base = root / CONTENT_DIR
    if not base.is_dir():
        return []
    found = []
    inside = root.resolve()
    for folder, dirs, files in os.walk(base, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            path = Path(folder) / name
            if name.startswith(".") or not name.lower().endswith(CONTENT_SUFFIXES):
                continue
            problem = _not_readable(path, inside)
            if problem:
                diagnostics.append(error(_relative(root, path), 1, 1, *problem))
                continue
            found.append(path)
    return sorted(found, key=lambda p: _relative(root, p))


def _not_readable(path: Path, inside: Path) -> tuple[str, str] | None:
    """Why a content file is not read: a link out of the project, or not a regular file."""
    try:
        outside = not path.resolve().is_relative_to(inside)
        regular = path.is_file()
    except (OSError, RuntimeError):  # e.g. a loop of links
        return ("this content file is a broken link", "replace it with the file itself")
    if outside:
        return (
            "this content file is a link to a file outside the project, which is not read",
            "copy the file into content/ instead of linking to it",
        )
    if not regular:
        return ("this is not a regular file", "content files are plain text files")
    return None


@dataclass(frozen=True)
class FileItems:
    """What one content file gives: its items, their problems, and each item's field
    positions (Model.field_positions), worked out once for each version of the file."""

    readable: bool
    entries: list[Entry]
    diagnostics: list[Diagnostic]
    positions: list[dict[tuple[Any, ...], tuple[int, int]]]  # one for each entry


def _content_file(
    root: Path, path: Path, cache: ContentCache | None, kept: dict[str, FileItems]
) -> tuple[FileItems, str | None]:
    """What one content file gives and its cache key; from `kept` (what the last load through
    the same cache read: `serve` loads again after every save) or the cache when its bytes are."""
    relative = _relative(root, path)
    key = None
    if cache is not None:
        try:
            key = file_digest(relative, path.read_bytes())
        except OSError:
            key = None
        known = kept.get(key) if key else None
        if known is None and key:
            known = cache.get("files", key)
        if isinstance(known, FileItems):
            return known, key
    diagnostics: list[Diagnostic] = []
    yaml_file = _read_file(root, path, diagnostics)
    if yaml_file is None or not yaml_file.readable:
        return FileItems(False, [], diagnostics, []), None
    try:
        entries = _content_entries(yaml_file, diagnostics)
    except Exception as exc:  # a bug, not a content mistake: still no traceback for authors
        diagnostics.append(_internal_error(yaml_file.path, exc))
        return FileItems(False, [], diagnostics, []), None
    read = FileItems(True, entries, diagnostics, [_field_positions(entry.node) for entry in entries])
    if cache is not None and key:
        cache.put("files", key, read)
    return read, key


def _read_file(root: Path, path: Path, diagnostics: list[Diagnostic]) -> YamlFile | None:
    relative = _relative(root, path)
    try:
        too_large = size_problem(path.stat().st_size)
        if too_large:
            diagnostics.append(
                error(relative, too_large.line, too_large.column, too_large.message, too_large.hint)
            )
            return None
        with path.open("rb") as handle:
            raw = handle.read()
    except OSError as exc:
        diagnostics.append(error(relative, 1, 1, f"cannot read the file: {exc.strerror or exc}"))
        return None
    yaml_file = read_yaml(relative, raw)
    diagnostics.extend(_file_problems(yaml_file))
    return yaml_file


def _file_problems(yaml_file: YamlFile) -> list[Diagnostic]:
    """What reading one file found: its YAML errors, and values read as comments (warnings)."""
    found = [error(yaml_file.path, p.line, p.column, p.message, p.hint) for p in yaml_file.problems]
    if yaml_file.readable:
        for p in values_read_as_comments(yaml_file):
            found.append(warning(yaml_file.path, p.line, p.column, p.message, p.hint))
    return found


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _internal_error(path: str, exc: Exception) -> Diagnostic:
    return error(
        path,
        1,
        1,
        f"internal error while checking this file ({type(exc).__name__}: {exc})",
        "this is a bug in briefgen: please report it with the file",
    )


# ---------------------------------------------------------------- content items


def _content_entries(yaml_file: YamlFile, diagnostics: list[Diagnostic]) -> list[Entry]:
    root = yaml_file.root
    path = yaml_file.path
    if root is None:
        return []  # an empty file (or only comments)
    if root.kind != "map":
        diagnostics.append(
            error(
                path,
                root.line,
                root.column,
                "a content file must be a mapping of collections, e.g. 'cases:' followed by a list of items",
                f"collections are: {', '.join(COLLECTIONS)}",
            )
        )
        return []
    entries = []
    for key, value in root.pairs:
        collection = key.value or ""
        if collection not in COLLECTIONS:
            diagnostics.append(
                error(
                    path,
                    key.line,
                    key.column,
                    f"unknown collection '{collection}'",
                    did_you_mean(collection, COLLECTIONS),
                )
            )
            continue
        if value.kind == "scalar" and value.value is None:
            continue  # `cases:` with nothing yet
        if value.kind != "seq":
            diagnostics.append(
                error(
                    path,
                    value.line,
                    value.column,
                    f"{collection} must be a list of items, but this is {describe_node(value)}",
                    "write each item as a '- id: ...' line followed by its fields",
                )
            )
            continue
        for item_node in value.items:
            entry = _content_entry(collection, item_node, yaml_file, diagnostics)
            if entry is not None:
                entries.append(entry)
    return entries


def _content_entry(
    collection: str, node: Node, yaml_file: YamlFile, diagnostics: list[Diagnostic]
) -> Entry | None:
    singular = SINGULAR[collection]
    if node.broken:
        return None
    if node.kind != "map":
        diagnostics.append(
            error(
                yaml_file.path,
                node.line,
                node.column,
                f"each entry of {collection} must be a mapping of fields, but this is {describe_node(node)}",
                f"write a {singular} as '- id: ...' followed by its fields, indented",
            )
        )
        return None
    item_id = node.text("id")
    what = f"{singular} '{item_id}'" if item_id else f"this {singular}"
    item, problems = validate_node(COLLECTIONS[collection], node, yaml_file, what)
    diagnostics.extend(problems)
    return Entry(collection, yaml_file, node, item)  # type: ignore[arg-type]


# ---------------------------------------------------------------- the model


def _build_model(root: Path, settings: Settings, entries: list[Entry], positions: list[dict]) -> Model:
    """The Model of the typed entries; `positions`: each entry's field positions, in order."""
    assert settings.project is not None
    model = Model(project=settings.project, root=root)
    for entry, table in zip(entries, positions, strict=True):
        item: Item | None = entry.item
        if item is None or item.id in model.items[entry.collection]:
            continue
        model.items[entry.collection][item.id] = item
        id_node = entry.node.key("id") or entry.node
        model.positions[(entry.collection, item.id)] = (entry.file.path, id_node.line, id_node.column)
        model.field_positions[(entry.collection, item.id)] = table
    if settings.file is not None and settings.file.root is not None:
        _position_table(settings.file.root, (), model.settings_positions, by_id=True)
    return model


def _field_positions(node: Node) -> dict[tuple[Any, ...], tuple[int, int]]:
    """(line, column) of each field of an item, by its path (Model.locate)."""
    table: dict[tuple[Any, ...], tuple[int, int]] = {}
    _position_table(node, (), table, by_id=False)
    return table


def _position_table(
    node: Node, prefix: tuple[Any, ...], table: dict[tuple[Any, ...], tuple[int, int]], by_id: bool
) -> None:
    table.setdefault(prefix, (node.line, node.column))
    if node.kind == "map":
        for key, value in node.pairs:
            path = (*prefix, key.value)
            table[path] = (key.line, key.column)
            _position_table(value, path, table, by_id)
    elif node.kind == "seq":
        for index, child in enumerate(node.items):
            paths = [(*prefix, index)]
            child_id = child.text("id") if by_id and child.kind == "map" else None
            if child_id:
                paths.append((*prefix, child_id))
            for path in paths:
                table[path] = (child.line, child.column)
                _position_table(child, path, table, by_id)


def check_content(root: Path, replaced: dict[str, bytes]) -> list[Diagnostic]:
    """Every error the project would have if the content files named in `replaced` (paths
    relative to the project, new files too) held those bytes: for commands that must check
    what they would write before they write anything (`sheet import`)."""
    root = Path(root)
    diagnostics: list[Diagnostic] = []
    settings = _load_settings(root, diagnostics)
    files = {_relative(root, path): path for path in _content_files(root, diagnostics)}
    entries: list[Entry] = []
    complete = True
    for relative in sorted(set(files) | set(replaced)):
        if relative in replaced:
            yaml_file: YamlFile | None = read_yaml(relative, replaced[relative])
            diagnostics.extend(_file_problems(yaml_file))
        else:
            yaml_file = _read_file(root, files[relative], diagnostics)
        if yaml_file is None or not yaml_file.readable:
            complete = False
            continue
        entries.extend(_content_entries(yaml_file, diagnostics))
    diagnostics.extend(check_project(root, settings, entries, complete))
    return sorted((d for d in diagnostics if d.is_error), key=lambda d: (d.location, d.message))
