"""markdown.plain_text: a text without markdown syntax is its words, without a parse; with
syntax it is parsed. Either way the words are the ones the parser's rendering gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from briefgen import markdown
from briefgen.load import load_project
from briefgen.markdown import MarkdownRenderer, plain_text

REPO = Path(__file__).resolve().parents[2]


def parsed_plain_text(text: str) -> str:
    """What plain_text gives through the parser (its path for text with syntax)."""
    html = str(MarkdownRenderer(lambda source, locator: Markup("")).block(text))
    from html import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# Letters, digits, white space (tabs, no-break and ideographic spaces, line separators) and
# every ASCII punctuation mark, so that texts with and without syntax are both drawn.
ALPHABET = st.sampled_from(
    list("abcXYZ019 \t\n\n\u00a0\u3000\u2028\u0301əЖ中")
    + [chr(c) for c in range(33, 127) if not chr(c).isalnum()]
)


@settings(max_examples=3000, deadline=None)
@given(st.text(ALPHABET, max_size=60))
@example("1. first\n2. second")
@example("Title\n===\nbody")
@example("Title\n---")
@example("  - item")
@example("# heading")
@example("> quoted")
@example("~~~\ncode\n~~~")
@example("    indented code\n\n  text")
@example("text\u2028more\u00a0words")
@example("2016) arrested")
@example("a\x00b")
@example("Tom &amp; Jerry &#65;")
@example("line\r- item")
@example("a \\*b")
def test_plain_text_gives_the_parsers_words(text):
    plain_text.cache_clear()
    assert plain_text(text) == parsed_plain_text(text)


def test_texts_without_syntax_are_not_parsed(monkeypatch):
    parsed: list[str] = []
    monkeypatch.setattr(markdown, "_parse", lambda text, marks=None: parsed.append(text) or ())
    plain_text.cache_clear()
    assert plain_text("Arrested on 12 May 2016;\n  held  in Baku!\n\nSecond paragraph.") == (
        "Arrested on 12 May 2016; held in Baku! Second paragraph."
    )
    assert parsed == []
    plain_text("Held *incommunicado*.")
    assert parsed == ["Held *incommunicado*."]
    plain_text.cache_clear()


@pytest.mark.parametrize(
    "root", [REPO, *sorted(p.parent for p in (REPO / "tests/fixtures/projects").glob("*/briefgen.yaml"))]
)
def test_every_text_of_the_fixture_projects(root):
    model = load_project(root).model
    assert model is not None
    texts: set[str] = set()

    def collect(value) -> None:
        if isinstance(value, str):
            texts.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list | tuple):
            for item in value:
                collect(item)

    for collection in model.items.values():
        for item in collection.values():
            collect(item.model_dump())
    plain_text.cache_clear()
    assert texts
    for text in texts:
        assert plain_text(text) == parsed_plain_text(text), text


def test_plain_text_of_a_footnote_citing_a_source_has_no_empty_brackets():
    assert plain_text("A.[^1]\n\n[^1]: The court found [@report, p. 3] so.") == "A. The court found so."
