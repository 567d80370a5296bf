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

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .advice import model_warnings
from .cache import ContentCache, file_digest, project_key
from .diagnostics import Diagnostic, error
from .model import COLLECTIONS, SINGULAR, Item, Model, Project, child_type, model_class
from .slugs import first_bad_character, suggest_slug
from .validate import Entry, Settings, check_project
from .yamlsource import Node, YamlFile, read_yaml, size_problem

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
    complete = True  # every content file could be read
    used: list[str] = []
    for path in _content_files(root, diagnostics):
        readable, file_entries, file_diagnostics, key = _content_file(root, path, cache)
        diagnostics.extend(file_diagnostics)
        entries.extend(file_entries)
        complete = complete and readable
        if key:
            used.append(key)
    if cache is not None:
        cache.keep_only("files", used)
    try:
        diagnostics.extend(check_project(root, settings, entries, complete))
    except Exception as exc:
        diagnostics.append(_internal_error(SETTINGS_FILE, exc))
    try:
        diagnostics.extend(_glyph_coverage(root, settings, entries))
    except Exception as exc:
        diagnostics.append(_internal_error(SETTINGS_FILE, exc))
    diagnostics.sort(key=lambda d: (d.location, not d.is_error, d.message))
    model = None
    if settings.project is not None and not any(d.is_error for d in diagnostics):
        model = _build_model(root, settings, entries)
        diagnostics.extend(model_warnings(model))
    return LoadResult(model, diagnostics)


def _glyph_coverage(root: Path, settings: Settings, entries: list[Entry]) -> list[Diagnostic]:
    """Characters of the project's texts that the theme's fonts cannot print (fonts.py)."""
    from .fonts import check_project_texts

    files = list({id(e.file): e.file for e in entries}.values())
    theme, at = None, (1, 1)
    if settings.file is not None and settings.file.root is not None:
        files.insert(0, settings.file)
        theme = settings.file.root.text("theme")
        node = settings.file.root.get("theme")
        at = (node.line, node.column) if node is not None else at
    return check_project_texts(root, theme, files, at)


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


def _content_file(
    root: Path, path: Path, cache: ContentCache | None
) -> tuple[bool, list[Entry], list[Diagnostic], str | None]:
    """(readable, items, problems, cache key) of one content file, from the cache when its bytes are."""
    relative = _relative(root, path)
    key = None
    if cache is not None:
        try:
            key = file_digest(relative, path.read_bytes())
        except OSError:
            key = None
        cached = cache.get("files", key) if key else None
        if isinstance(cached, tuple) and len(cached) == 3:
            return cached[0], cached[1], cached[2], key
    diagnostics: list[Diagnostic] = []
    yaml_file = _read_file(root, path, diagnostics)
    if yaml_file is None or not yaml_file.readable:
        return False, [], diagnostics, None
    try:
        entries = _content_entries(yaml_file, diagnostics)
    except Exception as exc:  # a bug, not a content mistake: still no traceback for authors
        diagnostics.append(_internal_error(yaml_file.path, exc))
        return False, [], diagnostics, None
    if cache is not None and key:
        cache.put("files", key, (True, entries, diagnostics))
    return True, entries, diagnostics, key


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
    for problem in yaml_file.problems:
        diagnostics.append(error(relative, problem.line, problem.column, problem.message, problem.hint))
    return yaml_file


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
                    _did_you_mean(collection, COLLECTIONS),
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
                    f"{collection} must be a list of items, but this is {_describe_node(value)}",
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
                f"each entry of {collection} must be a mapping of fields, but this is {_describe_node(node)}",
                f"write a {singular} as '- id: ...' followed by its fields, indented",
            )
        )
        return None
    item_id = node.text("id")
    what = f"{singular} '{item_id}'" if item_id else f"this {singular}"
    item, problems = validate_node(COLLECTIONS[collection], node, yaml_file, what)
    diagnostics.extend(problems)
    return Entry(collection, yaml_file, node, item)  # type: ignore[arg-type]


# ---------------------------------------------------------------- pydantic errors -> diagnostics

_TYPE_ERRORS = {
    "string_type", "dict_type", "list_type", "model_type", "model_attributes_type", "literal_error",
    "int_type", "int_parsing", "int_from_float", "bool_type", "bool_parsing", "date_type",
    "date_parsing", "date_from_datetime_parsing", "float_type", "float_parsing", "none_required",
}  # fmt: skip
_EXPECTED = {
    "string_type": "text",
    "dict_type": "a mapping",
    "list_type": "a list",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "date_type": "a date YYYY-MM-DD",
    "date_parsing": "a date YYYY-MM-DD",
    "date_from_datetime_parsing": "a date YYYY-MM-DD",
}


@dataclass
class _Problem:
    kind: str
    error: dict[str, Any]
    node: Node  # the value at fault, or the mapping that lacks a field
    path: tuple[str | int, ...]  # where that node is, inside the validated node
    key: Node | None = None  # the key of that node, if it is a mapping entry
    on_key: bool = False  # the key itself is at fault (unknown field, bad language code)
    missing: str | None = None


def validate_node(
    cls: type[BaseModel], node: Node, yaml_file: YamlFile, what: str, settings: bool = False
) -> tuple[BaseModel | None, list[Diagnostic]]:
    """Type `node` as `cls`: (the instance, []) or (None, diagnostics at the places at fault).
    `what` names the node in messages, e.g. "case 'x'"; `settings` names nested briefs and
    audiences by their ids."""
    try:
        return cls.model_validate(node.data()), []
    except ValidationError as exc:
        problems = [p for p in (_locate(node, e) for e in exc.errors(include_url=False)) if p]
        explain = _Explainer(cls, node, yaml_file.path, what, settings)
        return None, explain.diagnostics(_keep_relevant(problems))


def _locate(root: Node, err: dict[str, Any]) -> _Problem | None:
    """Follows pydantic's loc through the node tree; union member tags are skipped."""
    node, key, on_key, missing = root, None, False, None
    path: list[str | int] = []
    loc = err["loc"]
    for index, part in enumerate(loc):
        if part == "[key]":
            on_key = True
        elif node.kind == "map" and isinstance(part, str) and node.key(part) is not None:
            key, node = node.key(part), node.get(part)  # type: ignore[assignment]
            path.append(part)
        elif node.kind == "seq" and isinstance(part, int) and 0 <= part < len(node.items):
            key, node = None, node.items[part]
            path.append(part)
        elif err["type"] == "missing" and index == len(loc) - 1:
            missing = str(part)
    if node.broken or (missing and node.merged):
        return None  # already reported (an alias, a merge key)
    return _Problem(
        err["type"], err, node, tuple(path), key, on_key or err["type"] == "extra_forbidden", missing
    )


def _keep_relevant(problems: list[_Problem]) -> list[_Problem]:
    """Of a union's errors, keep those of the member that matched best: a type error is
    dropped when another error lies deeper, or is not a type error, at the same place."""
    kept = []
    for problem in problems:
        if problem.kind in _TYPE_ERRORS and any(
            other is not problem
            and (
                other.path[: len(problem.path)] == problem.path
                and (len(other.path) > len(problem.path) or other.on_key or other.kind not in _TYPE_ERRORS)
            )
            for other in problems
        ):
            continue
        kept.append(problem)
    return kept


class _Explainer:
    """Turns located problems into messages an author can act on."""

    def __init__(self, cls: type[BaseModel], root: Node, path: str, what: str, settings: bool):
        self.cls, self.root, self.path, self.what, self.settings = cls, root, path, what, settings

    def diagnostics(self, problems: list[_Problem]) -> list[Diagnostic]:
        out = []
        type_groups: dict[tuple[Any, ...], list[_Problem]] = {}
        typed = {p.path for p in problems if p.kind in _TYPE_ERRORS and p.kind != "literal_error"}
        for problem in problems:
            if problem.kind in _TYPE_ERRORS and problem.path in typed:
                type_groups.setdefault(problem.path, []).append(problem)
            else:
                out.append(self.one(problem))
        for group in type_groups.values():
            out.append(self.wrong_type(group))
        return out

    # -- places and names

    def at(self, problem: _Problem, message: str, hint: str | None = None) -> Diagnostic:
        node = problem.node
        if problem.on_key and problem.key is not None:
            node = problem.key
        elif problem.missing is None and node.kind == "scalar" and node.value is None and problem.key:
            node = problem.key  # `name:` with nothing: point at the name
        return error(self.path, node.line, node.column, message, hint)

    def bad_id(self, problem: _Problem, message: str, value: str) -> Diagnostic:
        """An invalid id, reported at the character at fault, with the slug it should be."""
        diagnostic = self.at(problem, message)
        suggestion = suggest_slug(value)
        hint = f"write '{suggestion}'" if suggestion else "use only a-z, 0-9 and single hyphens"
        node, index = problem.node, first_bad_character(value)
        column = diagnostic.location.column
        # A plain or quoted one-line scalar: its text starts at the node (after a quote).
        if index is not None and node.kind == "scalar" and node.raw == value and "\n" not in value:
            column = node.column + index + (1 if node.quoted else 0)
        return error(self.path, diagnostic.location.line, column, message, hint)

    def label(self, path: tuple[str | int, ...]) -> str:
        text = ""
        for part in path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
        return text

    def describe(self, path: tuple[str | int, ...]) -> str:
        """The mapping at `path`, e.g. "case 'x'", "charges[0] of case 'x'", "brief 'y'"."""
        base, rest = self.what, path
        if (
            self.settings
            and len(path) >= 2
            and path[0] in ("briefs", "audiences")
            and isinstance(path[1], int)
        ):
            entry = self.root.get(str(path[0]))
            item_id = entry.items[path[1]].text("id") if entry and entry.kind == "seq" else None
            base = f"{SINGULAR[str(path[0])]} '{item_id}'" if item_id else self.label(path[:2])
            rest = path[2:]
        return f"{self.label(rest)} of {base}" if rest else base

    def model_at(self, path: tuple[str | int, ...]) -> type[BaseModel] | None:
        annotation: Any = self.cls
        for part in path:
            annotation = child_type(annotation, part)
            if annotation is None:
                return None
        return model_class(annotation)

    # -- messages

    def one(self, problem: _Problem) -> Diagnostic:
        err, label = problem.error, self.label(problem.path) or self.what
        kind = problem.kind
        if kind == "missing":
            model = self.model_at(problem.path)
            required = [n for n, f in model.model_fields.items() if f.is_required()] if model else []
            hint = f"required: {', '.join(required)}" if len(required) > 1 else None
            return self.at(
                problem,
                f"{self.describe(problem.path)} is missing the required field '{problem.missing}'",
                hint,
            )
        if kind == "extra_forbidden":
            name = problem.path[-1] if problem.path else "?"
            model = self.model_at(problem.path[:-1])
            # as written in YAML: `as`, not the Python name `as_`
            fields = [info.alias or name for name, info in model.model_fields.items()] if model else []
            hint = _did_you_mean(str(name), fields)
            where = self.describe(problem.path[:-1])
            return self.at(problem, f"unknown field '{name}' in {where}", hint)
        if kind == "literal_error":
            allowed = _literal_values(err)
            value = err["input"]
            shown = ", ".join(allowed)
            if value is None:
                return self.at(problem, f"{label} is empty; use one of: {shown}")
            if not isinstance(value, str):
                return self.at(problem, f"{label}: expected one of {shown}, but found {_describe(value)}")
            hint = _did_you_mean(value, allowed, listing=False)
            return self.at(problem, f"{label}: '{_short(value)}' is not allowed; use one of: {shown}", hint)
        if kind == "value_error":
            message = err["msg"].removeprefix("Value error, ")
            if problem.on_key:
                name = problem.key.value if problem.key else "?"
                hint = None
                if " " in str(name):
                    hint = "in {en: ..., ru: ...} put a text that contains a comma in quotes"
                where = self.label(problem.path[:-1])
                return self.at(
                    problem, f"{where}: '{_short(str(name))}' is not a language code ({message})", hint
                )
            value = err["input"]
            shown = f" '{_short(value)}'" if isinstance(value, str) else ""
            if isinstance(value, str) and message.startswith("an id must be a lowercase slug"):
                return self.bad_id(problem, f"{label}{shown}: {message}", value)
            return self.at(problem, f"{label}{shown}: {message}")
        if kind == "too_short":
            if isinstance(err["input"], dict):
                return self.at(
                    problem, f"{label} is an empty mapping: give at least one language, e.g. en: ..."
                )
            return self.at(
                problem, f"{label} needs at least one entry", "write it as a list: [id-one, id-two]"
            )
        if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            bound = next(iter(err.get("ctx", {}).values()), "?")
            relation = "at least" if kind.startswith("greater") else "at most"
            return self.at(problem, f"{label}: {err['input']} is out of range: it must be {relation} {bound}")
        if kind == "too_long":
            return self.at(problem, f"{label} is too long: {err['msg'].lower()}")
        message = err["msg"]
        return self.at(problem, f"{label}: {message[:1].lower()}{message[1:]}")

    def wrong_type(self, group: list[_Problem]) -> Diagnostic:
        problem = group[0]
        kinds = {p.kind for p in group}
        if {"string_type", "dict_type"} <= kinds:
            expected = "text, or a mapping from language code to text (en: ..., ru: ...)"
        else:
            words = []
            for p in group:
                if p.kind == "literal_error":
                    words.append(" or ".join(f"'{v}'" for v in _literal_values(p.error)))
                else:
                    words.append(_EXPECTED.get(p.kind, p.kind.replace("_", " ")))
            expected = " or ".join(dict.fromkeys(words))
        value = problem.error["input"]
        label = self.label(problem.path) or self.what
        hint = None
        if isinstance(value, dict) and "string_type" in kinds:
            hint = "if the text contains ': ' put it in quotes, e.g. \"Note: ...\""
        elif isinstance(value, str) and "list_type" in kinds and value.strip().lower() == "all":
            hint = (
                "'all' works only for a brief's cases, recommendations and recipients in briefgen.yaml; "
                "here, list the ids one by one: [first-id, second-id]"
            )
        elif isinstance(value, str) and "list_type" in kinds:
            hint = f"write a list: [{_short(value)}] or one '- ...' line per entry"
            if "literal_error" in kinds:
                hint = f"write {expected.split(' or a list')[0]}, or a list: [{_short(value)}]"
        elif value is None:
            hint = "write a value, or remove the line"
        elif isinstance(value, str) and kinds & {"int_parsing", "bool_parsing"}:
            hint = "write the value without quotes or units"
        return self.at(problem, f"{label}: expected {expected}, but found {_describe(value)}", hint)


def _literal_values(err: dict[str, Any]) -> list[str]:
    expected = err.get("ctx", {}).get("expected", "")
    return re.findall(r"'([^']*)'", expected)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{_short(str(value))}'"


def _describe_node(node: Node) -> str:
    if node.kind == "map":
        return "a mapping"
    if node.kind == "seq":
        return "a list"
    return "empty" if node.value is None else f"the text '{_short(node.value)}'"


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _did_you_mean(word: str, choices: Any, listing: bool = True) -> str | None:
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if listing and choices:
        return f"allowed: {', '.join(choices)}"
    return None


# ---------------------------------------------------------------- the model


def _build_model(root: Path, settings: Settings, entries: list[Entry]) -> Model:
    assert settings.project is not None
    model = Model(project=settings.project, root=root)
    for entry in entries:
        item: Item | None = entry.item
        if item is None or item.id in model.items[entry.collection]:
            continue
        model.items[entry.collection][item.id] = item
        id_node = entry.node.key("id") or entry.node
        model.positions[(entry.collection, item.id)] = (entry.file.path, id_node.line, id_node.column)
        table: dict[tuple[Any, ...], tuple[int, int]] = {}
        _position_table(entry.node, (), table, by_id=False)
        model.field_positions[(entry.collection, item.id)] = table
    if settings.file is not None and settings.file.root is not None:
        _position_table(settings.file.root, (), model.settings_positions, by_id=True)
    return model


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
