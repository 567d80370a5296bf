"""A text where a list belongs: the hint suggests a list, and the YAML it suggests must read
back as a list holding that very text (`[single point [@src]]` is not YAML)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from briefgen.load import load_project
from briefgen.yamlsource import read_yaml

VALUES = [
    "emin",
    "single point [@nosource]",
    "Doe, J.",
    "Note: the first",
    "it's",
    'He said "hi"',
    "#hashtag",
    "@handle",
    "- a dash",
    "{braces}",
    "yes",
    "012345",
    "Ёлка & * ! | > %",
    "a long point that goes on and on, past forty characters [@src]",
]


def hint_for(tmp_path: Path, value: str) -> str:
    (tmp_path / "content").mkdir(parents=True)
    (tmp_path / "briefgen.yaml").write_text("name: X\n")
    quoted = yaml.safe_dump(value, allow_unicode=True, default_style='"').strip()
    (tmp_path / "content" / "c.yaml").write_text(
        "events:\n  - id: e\n    title: E\n    date: 2016-01-19\n    speakers:\n"
        f"      - person: p\n        points: {quoted}\npeople:\n  - {{id: p, name: P}}\n",
        encoding="utf-8",
    )
    [problem] = load_project(tmp_path).errors
    assert problem.message.startswith("speakers[0].points: expected a list"), problem.message
    return problem.hint or ""


@pytest.mark.parametrize("value", VALUES)
def test_the_suggested_list_is_valid_yaml_holding_the_text(tmp_path, value):
    hint = hint_for(tmp_path, value)
    assert hint.startswith("write a list: ["), hint
    suggestion = hint.removeprefix("write a list: ").removesuffix(" or one '- ...' line per entry")
    parsed = yaml.safe_load(suggestion)  # valid YAML to any reader
    assert isinstance(parsed, list) and len(parsed) == 1, suggestion
    parsed = read_yaml("c.yaml", suggestion.encode()).root.data()  # the text, to briefgen
    shown = " ".join(value.split())
    assert parsed[0] == shown if len(shown) <= 40 else shown.startswith(parsed[0].rstrip("…")), suggestion


def test_a_plain_id_is_suggested_without_quotes(tmp_path):
    assert hint_for(tmp_path, "emin") == "write a list: [emin] or one '- ...' line per entry"
    assert hint_for(tmp_path / "a", "012345").startswith("write a list: [012345]")  # text to briefgen
    assert hint_for(tmp_path / "b", "single point [@nosource]").startswith(
        'write a list: ["single point [@nosource]"]'
    )
