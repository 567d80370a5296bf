"""The JSON Schema of `briefgen schema`: valid draft 2020-12, accepts valid content as an
editor parses it (YAML 1.2 core: `years: 7` is a number, `suspended: false` a boolean,
`reference: 012345` a number), and rejects what briefgen rejects within a single file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from briefgen.schema import content_schema, project_schema
from briefgen.yamlsource import Node, read_yaml

VALID = Path(__file__).parent / "corpus" / "valid"
REPOSITORY = Path(__file__).parents[2]

_INT = re.compile(r"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def editor_view(node: Node | None) -> Any:
    """The data as an editor's YAML 1.2 (core schema) parser sees it."""
    if node is None:
        return None
    if node.kind == "map":
        return {key.value: editor_view(value) for key, value in node.pairs}
    if node.kind == "seq":
        return [editor_view(item) for item in node.items]
    if node.quoted:
        return node.value
    text = node.raw
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    if _INT.match(text):
        return int(text, 0) if text.startswith(("0o", "0x")) else int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def parse(text: str) -> Any:
    yaml_file = read_yaml("x.yaml", text.encode())
    assert not yaml_file.problems
    return editor_view(yaml_file.root)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = content_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_is_draft_2020_12_and_serialisable():
    schema = content_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert json.loads(json.dumps(schema)) == schema
    jsonschema.Draft202012Validator.check_schema(project_schema())


def test_schema_has_descriptions():
    defs = content_schema()["$defs"]
    assert "not cleared" in defs["Person"]["properties"]["pseudonym"]["description"]
    assert defs["Case"]["properties"]["subjects"]["description"] == "ids of people, at least one"
    assert "markdown" in defs["Case"]["properties"]["summary"]["description"]
    assert defs["Case"]["description"]


@pytest.mark.parametrize(
    "name", sorted(p.relative_to(VALID).as_posix() for p in (VALID / "content").rglob("*.yaml"))
)
def test_schema_accepts_the_valid_corpus(validator, name):
    data = parse((VALID / name).read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


CASEFILE = Path(__file__).parents[1] / "fixtures" / "projects" / "casefile"


def test_schema_accepts_every_field_of_version_1_2(validator):
    data = parse((CASEFILE / "content" / "content.yaml").read_text(encoding="utf-8"))
    assert data["people"][1]["born"] == 1979  # a bare year is a number to an editor
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []
    settings = parse((CASEFILE / "briefgen.yaml").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(project_schema()).iter_errors(settings)) == []


def test_editor_view_really_has_numbers_and_booleans():
    data = parse((VALID / "content/cases/emin.yaml").read_text(encoding="utf-8"))
    case = data["cases"][0]
    assert case["sentence"]["years"] == 7 and case["sentence"]["suspended"] is False
    assert case["proceedings"][0]["reference"] == 12345
    assert case["charges"][1]["article"] == 1.1
    assert case["timeline"][1]["date"] == 2015


def test_project_schema_accepts_the_valid_settings():
    data = parse((VALID / "briefgen.yaml").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(project_schema()).iter_errors(data)) == []


REPOSITORY_CONTENT = (
    sorted((REPOSITORY / "content").rglob("*.yaml")) if (REPOSITORY / "content").is_dir() else []
)


@pytest.mark.skipif(not REPOSITORY_CONTENT, reason="the repository has no content yet")
def test_schema_accepts_the_repository_content(validator):
    for path in REPOSITORY_CONTENT:
        data = parse(path.read_text(encoding="utf-8"))
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], path


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("case:\n  - id: x\n", "unknown collection"),
        ("people:\n  - id: x\n    nmae: X\n", "unknown key"),
        ("people:\n  - name: X\n", "missing id"),
        ("people:\n  - id: Bad_Id\n    name: X\n", "id is not a slug"),
        ("people:\n  - id: x\n    name: [X]\n", "a list where text belongs"),
        ("people:\n  - id: x\n    name: {EN: X}\n", "not a language code"),
        ("people:\n  - id: x\n    name: ' '\n", "a blank required text"),
        ("people:\n  - id: x\n    name: {en: ''}\n", "a blank translation of a required text"),
        ("cases:\n  - {id: c, subjects: [p], status: jailed, summary: S}\n", "unknown status"),
        ("cases:\n  - {id: c, subjects: [], status: exiled, summary: S}\n", "no subjects"),
        ("cases:\n  - {id: c, subjects: p, status: exiled, summary: S}\n", "subjects not a list"),
        ("cases:\n  - {id: c, subjects: [p], status: exiled}\n", "no summary"),
        (
            "cases:\n  - {id: c, subjects: [p], status: exiled, summary: S, sentence: {years: seven}}\n",
            "years",
        ),
        (
            "cases:\n  - {id: c, subjects: [p], status: exiled, summary: S, sentence: {suspended: maybe}}\n",
            "bool",
        ),
        ("events:\n  - {id: e, title: E, date: 19.01.2016}\n", "date pattern"),
        ("sources:\n  - {id: s, title: S, date: 2015/12}\n", "partial date pattern"),
        ("sources:\n  - {id: s, title: S, url: iphronline.org}\n", "url"),
        ("organisations:\n  - {id: o, name: O, country: Belgium}\n", "country"),
        ("recommendations:\n  - {id: r, text: R, addressees: [o], priority: urgent}\n", "priority"),
        ("people:\n  id: x\n", "collection not a list"),
        # content format 1.2
        ("people:\n  - {id: x, name: X, gender: woman}\n", "gender"),
        ("people:\n  - {id: x, name: X, born: 12.04.1985}\n", "born"),
        (
            "cases:\n  - {id: c, subjects: [p], status: exiled, summary: S, "
            "detention: {lawyer_access: sometimes}}\n",
            "lawyer_access",
        ),
        (
            "cases:\n  - {id: c, subjects: [p], status: exiled, summary: S, "
            "recognitions: [{by: o, as: prisoner}]}\n",
            "recognition kind",
        ),
        (
            "cases:\n  - {id: c, subjects: [p], status: exiled, summary: S, recognitions: [{as: other}]}\n",
            "by",
        ),
        ("events:\n  - {id: e, title: E, date: 2022-03-10, time: '25:00'}\n", "time"),
    ],
)
def test_schema_rejects_wrong_files(validator, text, why):
    assert list(validator.iter_errors(parse(text))), why


@pytest.mark.skipif(not (REPOSITORY / "briefgen.yaml").is_file(), reason="the repository has no project yet")
def test_project_schema_accepts_the_repository_settings():
    data = parse((REPOSITORY / "briefgen.yaml").read_text(encoding="utf-8"))
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in jsonschema.Draft202012Validator(project_schema()).iter_errors(data)
    ]
    assert errors == []


def test_committed_schemas_are_up_to_date():
    """The repository's content files point editors at schema/*.json: keep them current
    (regenerate with `briefgen schema > schema/content.schema.json`)."""
    import json
    from pathlib import Path

    from briefgen.schema import content_schema, project_schema

    folder = Path(__file__).resolve().parents[2] / "schema"
    assert json.loads((folder / "content.schema.json").read_text(encoding="utf-8")) == content_schema()
    assert json.loads((folder / "briefgen.schema.json").read_text(encoding="utf-8")) == project_schema()
