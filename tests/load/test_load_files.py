"""Reading files: which files are content, and the file-level problems made at run time
(too large, symlinks, BOM, nesting) that are awkward to keep in the corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.load import load_project
from briefgen.yamlsource import MAX_BYTES, read_yaml

CORPUS = Path(__file__).parent / "corpus"


def project(tmp_path: Path, files: dict[str, str | bytes], settings: str = "name: X\n") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "briefgen.yaml").write_text(settings, encoding="utf-8")
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return tmp_path


PERSON = "people:\n  - id: {id}\n    name: {name}\n"


def test_content_files_at_any_depth_yaml_and_yml_hidden_skipped(tmp_path):
    root = project(
        tmp_path,
        {
            "content/a.yaml": PERSON.format(id="a", name="A"),
            "content/deep/er/b.yml": PERSON.format(id="b", name="B"),
            "content/.hidden.yaml": "this: is not read\n",
            "content/.git/c.yaml": "nor: this\n",
            "content/notes.txt": "not yaml\n",
        },
    )
    result = load_project(root)
    assert result.errors == []
    assert list(result.model.people) == ["a", "b"]
    assert result.model.positions[("people", "b")][0] == "content/deep/er/b.yml"


def test_empty_and_comment_only_files_are_fine(tmp_path):
    root = project(tmp_path, {"content/empty.yaml": "", "content/comments.yaml": "# nothing yet\n"})
    result = load_project(root)
    assert result.diagnostics == []


def test_empty_collection_is_fine(tmp_path):
    root = project(tmp_path, {"content/a.yaml": "cases:\npeople: []\n"})
    assert load_project(root).diagnostics == []


def test_utf8_bom_is_accepted(tmp_path):
    root = project(
        tmp_path, {"content/a.yaml": b"\xef\xbb\xbf" + PERSON.format(id="a", name="\u018f").encode()}
    )
    result = load_project(root)
    assert result.errors == []
    assert result.model.people["a"].name == "\u018f"


def test_too_large_file(tmp_path):
    root = project(tmp_path, {"content/big.yaml": "# " + "x" * MAX_BYTES + "\n"})
    result = load_project(root)
    [problem] = result.errors
    assert (problem.location.path, problem.location.line, problem.location.column) == (
        "content/big.yaml",
        1,
        1,
    )
    assert "too large" in problem.message and "limit is 2 MiB" in problem.message


def test_read_yaml_caps_size_too():
    problem = read_yaml("x.yaml", b"a" * (MAX_BYTES + 1)).problems[0]
    assert "too large" in problem.message


def test_settings_file_errors(tmp_path):
    root = project(tmp_path, {}, settings="- a list\n")
    [problem] = load_project(root).errors
    assert str(problem.location) == "briefgen.yaml:1:1"
    assert "must be a mapping of settings" in problem.message


def test_settings_missing_name(tmp_path):
    root = project(tmp_path, {}, settings="language: en\n")
    [problem] = load_project(root).errors
    assert str(problem.location) == "briefgen.yaml:1:1"
    assert "briefgen.yaml is missing the required field 'name'" in problem.message


def test_empty_settings_file(tmp_path):
    root = project(tmp_path, {}, settings="")
    [problem] = load_project(root).errors
    assert "briefgen.yaml must be a mapping" in problem.message


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_content_file_linking_outside_the_project_is_not_read(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text(PERSON.format(id="secret", name="S"))
    root = project(tmp_path / "p", {})
    (root / "content").mkdir()
    (root / "content" / "link.yaml").symlink_to(outside)
    [problem] = load_project(root).errors
    assert str(problem.location) == "content/link.yaml:1:1"
    assert "link to a file outside the project" in problem.message


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_asset_symlink_leading_out_of_assets(tmp_path):
    (tmp_path / "secret.png").write_bytes(b"x")
    root = project(
        tmp_path / "p",
        {"content/a.yaml": "organisations:\n  - id: o\n    name: O\n    logo: logo.png\nx: 1\n"},
        settings="name: X\npublisher: o\n",
    )
    (root / "assets").mkdir()
    (root / "assets" / "logo.png").symlink_to(tmp_path / "secret.png")
    messages = [(d.location.line, d.message) for d in load_project(root).errors]
    assert (4, "'logo.png' is a link that leads out of assets/") in messages


def test_deep_nesting_is_an_error_not_a_crash(tmp_path):
    deep = "people:\n  - id: a\n    name: " + "[" * 200 + "]" * 200 + "\n"
    root = project(tmp_path, {"content/a.yaml": deep})
    [problem] = load_project(root).errors
    assert problem.location.line == 3
    assert "nested more than" in problem.message


def test_keys_that_are_not_text(tmp_path):
    root = project(tmp_path, {"content/a.yaml": "people:\n  - id: a\n    name: A\n    ? [x]\n    : y\n"})
    messages = [(d.location.line, d.message) for d in load_project(root).errors]
    assert messages == [(4, "a key must be a field name, but this key is a list or a mapping")]


def test_yaml_null_words_are_empty_values(tmp_path):
    root = project(
        tmp_path, {"content/a.yaml": "people:\n  - id: a\n    name: ~\n  - id: b\n    name: 'null'\n"}
    )
    result = load_project(root)
    assert [(d.location.line, d.location.column) for d in result.errors] == [(3, 5)]
    assert "name: expected text" in result.errors[0].message and "found nothing" in result.errors[0].message


def test_yaml_surprises_in_typed_fields(tmp_path):
    text = (
        "cases:\n  - id: c\n    subjects: [p]\n    status: exiled\n    summary: NO\n"
        "    sentence: {years: 012, months: '6', suspended: off, date: 2015-04-22}\n"
        "people:\n  - id: p\n    name: 1.10\n    pseudonym: yes\n"
    )
    result = load_project(project(tmp_path, {"content/a.yaml": text}))
    assert result.errors == []
    case = result.model.cases["c"]
    assert case.summary == "NO"
    assert (case.sentence.years, case.sentence.months, case.sentence.suspended) == (12, 6, False)
    assert result.model.people["p"].name == "1.10"
    assert result.model.people["p"].pseudonym == "yes"


def test_multi_line_text_in_a_single_line_field(tmp_path):
    text = "people:\n  - id: p\n    name: |\n      Two\n      lines\n"
    [problem] = load_project(project(tmp_path, {"content/a.yaml": text})).errors
    assert (problem.location.line, problem.location.column) == (3, 11)
    assert "must be a single line of text" in problem.message


def test_text_mistaken_for_a_mapping_gets_a_quoting_hint(tmp_path):
    text = "people:\n  - id: p\n    name: A\n    affiliations:\n      - organisation: o\n        role: {x}\n"
    text += "organisations:\n  - id: o\n    name: {Note: important}\n"
    errors = load_project(project(tmp_path, {"content/a.yaml": text})).errors
    assert [(d.location.line, d.location.column) for d in errors] == [(6, 16), (9, 12)]
    assert "'x' is not a language code" in errors[0].message
    assert "'Note' is not a language code" in errors[1].message
    assert errors[1].hint == (
        "a text that contains ': ' is read as 'key: value': put the whole text in quotes, e.g. \"Note: ...\""
    )
    assert errors[0].hint is None  # `{x}`: a lowercase word, as a language code would be


def test_diagnostics_are_sorted_by_place(tmp_path):
    root = project(
        tmp_path,
        {
            "content/b.yaml": "people:\n  - id: B\n    name: x\n",
            "content/a.yaml": "people:\n  - id: a\n    nam: x\n    name: y\n  - id: A\n    name: z\n",
        },
        settings="name: X\nlanguage: xx\n",
    )
    places = [(d.location.path, d.location.line) for d in load_project(root).diagnostics]
    assert places == sorted(places)
    assert places[0] == ("briefgen.yaml", 2)


def test_corpus_files_are_what_the_tests_think(tmp_path):
    raw = (CORPUS / "not-utf8" / "content" / "people.yaml").read_bytes()
    assert b"\xfc" in raw
    raw = (CORPUS / "control-character" / "content" / "people.yaml").read_bytes()
    assert b"\x07" in raw


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_not_read(tmp_path):
    root = project(tmp_path, {})
    (root / "content").mkdir()
    os.mkfifo(root / "content" / "pipe.yaml")
    [problem] = load_project(root).errors  # and it does not hang
    assert str(problem.location) == "content/pipe.yaml:1:1"
    assert "not a regular file" in problem.message


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_loop_of_links_is_reported(tmp_path):
    root = project(tmp_path, {})
    (root / "content").mkdir()
    (root / "content" / "a.yaml").symlink_to(root / "content" / "b.yaml")
    (root / "content" / "b.yaml").symlink_to(root / "content" / "a.yaml")
    errors = load_project(root).errors
    assert [str(d.location) for d in errors] == ["content/a.yaml:1:1", "content/b.yaml:1:1"]


def test_content_references_are_checked_even_without_settings(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.yaml").write_text(
        "cases:\n  - {id: c, subjects: [nobody], status: exiled, summary: S}\n"
    )
    messages = [d.message for d in load_project(tmp_path).errors]
    assert messages[0].startswith("briefgen.yaml not found")
    assert messages[1].startswith("unknown person 'nobody'")


def test_a_language_code_in_capitals_gets_its_small_letters(tmp_path):
    text = "people:\n  - id: p\n    name: {EN: Anna}\n"
    [problem] = load_project(project(tmp_path, {"content/a.yaml": text})).errors
    assert problem.hint == "language codes are written in small letters: 'en'"
