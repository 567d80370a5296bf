"""Hints for YAML syntax errors whose cause is not where PyYAML gives up: a quote inside a
quoted text ('O'Brien'), and a [ or { that is never closed."""

from __future__ import annotations

import re

import pytest
import yaml

from briefgen.yamlsource import read_yaml


def problem_of(text: str):
    [problem] = read_yaml("c.yaml", text.encode()).problems
    return problem


@pytest.mark.parametrize(
    ("line", "column", "fixed", "meant"),
    [
        ("    name: 'O'Brien'", 13, "'O''Brien'", "O'Brien"),
        ('    name: "He said "hi""', 20, '"He said \\"hi\\""', 'He said "hi"'),
        ("  - 'O'Brien'", 7, "'O''Brien'", "O'Brien"),
        ("    name: 'O'Brien'   # the author", 13, "'O''Brien'", "O'Brien"),
    ],
)
def test_a_quote_inside_quotes_gets_a_quoting_hint(line, column, fixed, meant):
    text = "people:\n  - id: a\n" + line + "\n    bio: c\n"
    if line.startswith("  - "):
        text = "people:\n" + line + "\n"
    problem = problem_of(text)
    assert (problem.line, problem.column) == (3 if "name" in line else 2, column)
    assert "ends the quoted text, but more text follows it" in problem.message
    assert "indentation" not in (problem.hint or "")
    assert fixed in problem.hint
    # every value the hint suggests reads back as the text meant
    suggestions = re.findall(r": ('.*?'(?!')|\".*?(?<!\\\\)\")(?:,|$)", problem.hint)
    assert fixed in suggestions
    for suggestion in suggestions:
        assert yaml.safe_load(f"name: {suggestion}") == {"name": meant}, suggestion


def test_both_suggestions_for_a_single_quote():
    hint = problem_of("people:\n  - id: a\n    name: 'O'Brien'\n").hint
    assert hint == (
        "inside single quotes, write a single quote twice: 'O''Brien', "
        'or put the text in the other quotes: "O\'Brien"'
    )


def test_a_quoted_part_followed_by_more_text_in_a_flow_mapping():
    problem = problem_of('a:\n  b: {en: "Brussels, Belgium" x}\n')
    assert (problem.line, problem.column) == (2, 29)
    assert problem.hint.startswith("put the whole text in quotes")


@pytest.mark.parametrize(
    ("text", "place", "hint"),
    [
        (
            "cases:\n  - id: jc\n    subjects: [jane-example\n    status: detained\n    summary: x\n",
            (3, 15),
            "close the [ opened here with ] on line 3: subjects: [jane-example]",
        ),
        (
            "people:\n  - id: a\n    name: {en: Emin, ru: X\n    bio: c\n",
            (3, 11),
            "close the { opened here with } on line 3: name: {en: Emin, ru: X}",
        ),
        ("tags: [a", (1, 7), "close the [ opened here with ] on line 1: tags: [a]"),
        ("a: [b, {c: d\n  e: f\n", (1, 8), "close the { opened here with } on line 1: a: [b, {c: d}]"),
    ],
)
def test_an_unclosed_bracket_is_reported_where_it_opens(text, place, hint):
    problem = problem_of(text)
    assert (problem.line, problem.column) == place
    assert problem.message.endswith(
        "opened here is never closed, so the lines after it are read as part of it"
    )
    assert problem.hint == hint
    suggestion = hint.split(": ", 1)[1]
    assert yaml.safe_load(suggestion) is not None


def test_a_closed_bracket_with_another_mistake_is_not_called_unclosed():
    problem = problem_of("a: [b,\n  c d: e f] g\n")
    assert "never closed" not in problem.message


def test_an_unclosed_quote_is_still_reported_at_the_quote():
    problem = problem_of(
        'people:\n  - id: a\n    name: "Intigam Aliyev\n    bio: x\n  - id: b\n    name: c\n'
    )
    assert (problem.line, problem.column) == (3, 11)
    assert problem.hint == 'end the value with a closing " on line 3: name: "Intigam Aliyev"'


def test_a_colon_after_a_quoted_text_keeps_its_own_hint():
    problem = problem_of('a: "x": y\n')
    assert problem.hint == "a value that contains ': ' must be put in quotes"


def test_an_unclosed_bracket_before_a_comment_is_closed_before_the_comment():
    problem = problem_of(
        "people:\n  - id: p\n    name: P\n    tags: [a, b # note ]\n  - id: q\n    name: Q\n"
    )
    assert problem.hint == "close the [ opened here with ] on line 4: tags: [a, b]  # note ]"
    assert yaml.safe_load(problem.hint.split(": ", 1)[1]) == {"tags": ["a", "b"]}


def test_an_unclosed_list_whose_items_go_on_over_lines_is_not_closed_on_its_first():
    problem = problem_of(
        "people:\n  - id: p\n    name: P\n    tags: [a, [b, c],\n      d\n    also_known_as: [x]\n"
    )
    assert (problem.line, problem.column) == (4, 11)
    assert problem.hint == "close the [ opened here with ] after its last item"


def test_no_single_quoted_suggestion_for_a_text_with_backslash_escapes():
    hint = problem_of('people:\n  - id: p\n    name: "Say \\"x\\" "now"\n').hint
    assert "other quotes" not in hint
    suggestion = hint.split(": ", 1)[1]
    assert yaml.safe_load(f"name: {suggestion}") == {"name": 'Say "x" "now'}


def test_a_comment_with_a_quote_does_not_hide_the_quoting_hint():
    hint = problem_of("people:\n  - id: p\n    name: 'Don't' # it's fine\n").hint
    assert hint.startswith("inside single quotes, write a single quote twice: 'Don''t'")


def test_a_value_beginning_with_a_hash_is_reported_with_its_quoted_form():
    from briefgen.yamlsource import values_read_as_comments

    text = (
        "people:\n  - id: a\n    bio: #1 court reporter in Hrodna\n    tags:\n      - #FreeAlena\n"
        "    photo:  # a file under assets/\n    note: ## heading\n    region:\n"
    )
    found = values_read_as_comments(read_yaml("c.yaml", text.encode()))
    assert [(p.line, p.column) for p in found] == [(3, 10), (5, 9)]
    assert found[0].message == (
        "the value of 'bio' is empty: '#' starts a comment in YAML, "
        "so '#1 court reporter in Hrodna' was not read"
    )
    assert found[0].hint == 'put the text in quotes: "#1 court reporter in Hrodna"'
    assert found[1].message.startswith("this list item is empty")
    # what the hint suggests reads back as the text meant
    fixed = text.replace("bio: #1 court reporter in Hrodna", "bio: " + found[0].hint.split(": ", 1)[1])
    assert yaml.safe_load(fixed)["people"][0]["bio"] == "#1 court reporter in Hrodna"


def test_a_value_read_as_a_comment_is_a_warning_of_validate(tmp_path):
    from conftest import copy_project

    from briefgen.load import load_project

    root = copy_project("small", tmp_path)
    items = root / "content" / "items.yaml"
    text = items.read_text(encoding="utf-8")
    items.write_text(text.replace("  - id: nino-beridze\n", "  - id: nino-beridze\n    bio: #1 reporter\n"))
    result = load_project(root)
    (found,) = [d for d in result.diagnostics if "starts a comment" in d.message]
    assert not found.is_error and found.location.path == "content/items.yaml"
    assert result.model is not None


@pytest.mark.parametrize(
    ("line", "quote"),
    [
        ("  - title: “Silenced: journalists in penal colonies”", "“"),
        ("  - title: «Silenced: journalists»", "«"),
        ("  - „Silenced: journalists“: x", "„"),
    ],
)
def test_typographic_quotes_get_a_hint_to_use_straight_ones(line, quote):
    problem = problem_of("briefs:\n" + line + "\n")
    assert problem.hint.startswith(f"{quote} is a typographic quote, which YAML reads as ordinary text")


def test_an_apostrophe_inside_the_text_is_no_quote():
    problem = problem_of("x:\n  - name: John’s: bad\n")
    assert problem.hint == "a value that contains ': ' must be put in quotes"
