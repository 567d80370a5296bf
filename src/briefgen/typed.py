"""Typing: positioned YAML nodes + a pydantic model -> the typed instance, or diagnostics.

Content items, briefgen.yaml and a theme's theme.yaml are all typed here: pydantic (lax, so
the text "7" becomes the int 7 where the model asks for one) types the node's plain data,
and each of its errors is followed through the node tree to the value (or key) at fault and
explained as an author would say it, with "did you mean" for misspelt field names.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic, error
from .model import SINGULAR, child_type, model_class
from .slugs import first_bad_character, suggest_slug
from .yamlsource import Node, YamlFile, read_yaml

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
    "float_type": "a number",
    "float_parsing": "a number",
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
    cls: type[BaseModel],
    node: Node,
    yaml_file: YamlFile,
    what: str,
    settings: bool = False,
    data: Any = None,
) -> tuple[BaseModel | None, list[Diagnostic]]:
    """Type `node` as `cls`: (the instance, []) or (None, diagnostics at the places at fault).
    `what` names the node in messages, e.g. "case 'x'"; `settings` names nested briefs and
    audiences by their ids. `data`, when given, is typed instead of the node's own data (a
    theme's tokens merged over the default theme's); its mistakes are still found in `node`."""
    try:
        return cls.model_validate(node.data() if data is None else data), []
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
        if kind == "blank_text":
            return self.blank(problem)
        if kind == "extra_forbidden":
            name = problem.path[-1] if problem.path else "?"
            model = self.model_at(problem.path[:-1])
            # as written in YAML: `as`, not the Python name `as_`
            fields = [info.alias or name for name, info in model.model_fields.items()] if model else []
            hint = did_you_mean(str(name), fields)
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
            hint = did_you_mean(value, allowed, listing=False)
            return self.at(problem, f"{label}: '{_short(value)}' is not allowed; use one of: {shown}", hint)
        if kind == "value_error":
            message = err["msg"].removeprefix("Value error, ")
            if problem.on_key:
                name = problem.key.value if problem.key else "?"
                hint = None
                if " " in str(name):
                    hint = "in {en: ..., ru: ...} put a text that contains a comma in quotes"
                elif re.fullmatch(r"[A-Z]{2,3}", str(name)):  # `EN:`
                    hint = f"language codes are written in small letters: '{str(name).lower()}'"
                elif not re.fullmatch(r"[a-z]{1,3}(-[A-Za-z0-9]+)*", str(name)):
                    # `- Belarus: at least 1,400 ...`: a text whose ': ' made it a mapping.
                    hint = (
                        "a text that contains ': ' is read as 'key: value': put the whole text "
                        f'in quotes, e.g. "{_short(str(name))}: ..."'
                    )
                where = self.label(problem.path[:-1])
                return self.at(
                    problem, f"{where}: '{_short(str(name))}' is not a language code ({message})", hint
                )
            value = err["input"]
            shown = f" '{_short(value)}'" if isinstance(value, str) else ""
            if isinstance(value, str) and message.startswith("an id must be a lowercase slug"):
                return self.bad_id(problem, f"{label}{shown}: {message}", value)
            return self.at(problem, f"{label}{shown}: {message}", err.get("ctx", {}).get("hint"))
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

    def blank(self, problem: _Problem) -> Diagnostic:
        """A required text written empty or as spaces only, or one of its translations."""
        path = problem.path
        model = self.model_at(path[:-1]) if path else None
        if path and isinstance(path[-1], str) and model is not None and _has_field(model, path[-1]):
            return self.at(
                problem,
                f"the required field '{path[-1]}' of {self.describe(path[:-1])} is empty",
                "write its text: an empty or blank value counts as missing",
            )
        if len(path) >= 2 and isinstance(path[-2], str):
            language = path[-1]
            return self.at(
                problem,
                f"the required field '{path[-2]}' of {self.describe(path[:-2])} is empty in '{language}'",
                f"write the {language} text, or remove the {language} entry: an empty translation "
                "would print as nothing, while a missing one falls back to the project language",
            )
        return self.at(problem, f"{self.label(path) or self.what} is empty", "write its text")

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
            item = _flow_item(_short(value))
            hint = f"write a list: [{item}] or one '- ...' line per entry"
            if "literal_error" in kinds:
                hint = f"write {expected.split(' or a list')[0]}, or a list: [{item}]"
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


def describe_node(node: Node) -> str:
    if node.kind == "map":
        return "a mapping"
    if node.kind == "seq":
        return "a list"
    return "empty" if node.value is None else f"the text '{_short(node.value)}'"


def _flow_item(text: str) -> str:
    """`text` as an entry of a YAML flow list `[...]` that briefgen reads back as that text:
    as it is where that is so (`[emin]`, `[3]`), else in double quotes (`["point [@src]"]`)."""
    written = read_yaml("hint", f"[{text}]".encode())
    if not written.problems and written.root is not None and written.root.data() == [text]:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def did_you_mean(word: str, choices: Any, listing: bool = True) -> str | None:
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if listing and choices:
        return f"allowed: {', '.join(choices)}"
    return None


def _has_field(model: type[BaseModel], name: str) -> bool:
    return any(name in (field_name, info.alias) for field_name, info in model.model_fields.items())
