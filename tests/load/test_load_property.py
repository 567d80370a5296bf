"""Property: whatever an author does to valid content, load_project never raises.

Hypothesis mutates the valid project (corpus/valid): structurally (drop fields and items,
change types, odd scalars, renamed keys, broken references, duplicated items, odd unicode)
and textually (odd unquoted scalars put into the YAML, random text and bytes inserted,
lines cut). The result is always either a model without errors, or errors that each have
a relative path, a line and a column >= 1 and a message.
"""

from __future__ import annotations

import copy
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.load import load_project
from briefgen.yamlsource import read_yaml

VALID = Path(__file__).parent / "corpus" / "valid"
FILES = sorted(p.relative_to(VALID).as_posix() for p in VALID.rglob("*.yaml"))
DATA = {name: read_yaml(name, (VALID / name).read_bytes()).root.data() for name in FILES}

ODD_VALUES: list[Any] = [
    None, True, False, 0, -1, 10**30, 1.5, float("inf"), [], {}, [None], {"": None}, {"en": None},
    {"EN": "x"}, [[["deep"]]], "", " ", "NO", "off", "012345", "1.10", "~", "2016-02-30", "2016-13",
    "0000-00-00", "x" * 500, "Ə ğ ş ı Эмин", "\u202eevil", "\U0001f600", "a\nb", "\x00", "\t",
    "[@nope]", "[@]", "../../etc/passwd", "/etc/passwd", "all", "event-summary", "Bad_Id",
    "\ufeff", "\u0085", "\u2028",
]  # fmt: skip
ODD_TEXT = [
    "NO", "off", "yes", "012345", "1.10", "~", "", "[]", "{}", "null", "0x1F", "1e3", ".inf",
    "2016-02-30", "-", "?", ":", "'", '"', "&a x", "*a", "!!str x", "!!python/object:os.system x",
    "! x", "<<: *a", "[@x]", "é̃", "\u202e", "\U0001f600", "a: b", "- x", "{a: [b, {c: d}]}", "|",
    ">", "# c", "%YAML 1.1", "@", "`", "[", "{", "\t", "---", "...",
]  # fmt: skip


def paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*prefix, index))
    return found


def parent_of(data: Any, path: tuple) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def structural(draw: st.DrawFn) -> dict[str, str]:
    data = copy.deepcopy(DATA)
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(FILES))
        candidates = [p for p in paths(data[name]) if p]
        if not candidates:
            continue
        path = draw(st.sampled_from(candidates))
        parent, last = parent_of(data[name], path), path[-1]
        op = draw(st.sampled_from(["drop", "replace", "rename", "break", "duplicate", "text"]))
        if op == "drop":
            del parent[last]
        elif op == "replace":
            # A copy: a later operation of this draw may change it, and ODD_VALUES must stay
            # as it is for the next test case (hypothesis replays draws and saw them differ).
            parent[last] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from([last + "x", last[:-1], last.upper(), "<<", "~"]))] = parent.pop(last)
        elif op == "break" and isinstance(parent[last], str):
            parent[last] = "nope-" + parent[last]
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        elif op == "text":
            parent[last] = draw(st.text(max_size=30))
    return {name: yaml.safe_dump(value, allow_unicode=True, sort_keys=False) for name, value in data.items()}


@st.composite
def textual(draw: st.DrawFn) -> dict[str, bytes]:
    files = {name: (VALID / name).read_bytes() for name in FILES}
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(FILES))
        raw = files[name]
        lines = raw.split(b"\n")
        op = draw(st.sampled_from(["scalar", "insert-text", "insert-bytes", "cut", "indent"]))
        index = draw(st.integers(0, len(lines) - 1))
        if op == "scalar" and b": " in lines[index]:
            head = lines[index].split(b": ", 1)[0]
            lines[index] = head + b": " + draw(st.sampled_from(ODD_TEXT)).encode()
        elif op == "insert-text":
            offset = draw(st.integers(0, len(lines[index])))
            text = draw(st.text(max_size=12)).encode("utf-8", "surrogatepass")
            lines[index] = lines[index][:offset] + text + lines[index][offset:]
        elif op == "insert-bytes":
            lines[index] = lines[index] + draw(st.binary(min_size=1, max_size=4))
        elif op == "cut":
            del lines[index : index + draw(st.integers(1, 5))]
        elif op == "indent":
            lines[index] = draw(st.sampled_from([b" ", b"  ", b"\t", b""])) + lines[index].lstrip()
        files[name] = b"\n".join(lines)
    return files


def check(files: dict[str, str | bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "p"
        shutil.copytree(VALID, root)
        for name, text in files.items():
            path = root / name
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        result = load_project(root)  # must not raise
    assert (result.model is None) == bool(result.errors)
    for diagnostic in result.diagnostics:
        location = diagnostic.location
        assert location.path and not location.path.startswith("/"), diagnostic
        assert location.line >= 1 and location.column >= 1, diagnostic
        assert diagnostic.message, diagnostic
        assert "internal error" not in diagnostic.message, diagnostic
        assert str(diagnostic).startswith(f"{location.path}:{location.line}:{location.column}: ")


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(structural())
def test_structural_mutations_never_raise(files):
    check(files)


@SETTINGS
@given(textual())
def test_textual_mutations_never_raise(files):
    check(files)


def test_unmutated_dump_is_still_valid():
    dumped = {
        name: yaml.safe_dump(value, allow_unicode=True, sort_keys=False) for name, value in DATA.items()
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "p"
        shutil.copytree(VALID, root)
        for name, text in dumped.items():
            (root / name).write_text(text, encoding="utf-8")
        result = load_project(root)
    assert result.diagnostics == []
