"""decoding.html_text (the check's reading of an HTML file) with a memo: the copies of a
brief that end alike are read once where they end alike. The text must be exactly that of a
full reading whatever the markup, so these tests cut files made of awkward pieces (half
comments, scripts, charrefs, data: URLs) at every place the memo might."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen import decoding
from briefgen.decoding import html_text

PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<em>",
        "</em>",
        "text ",
        "Anna Kovačič",
        "&amp;",
        "&am",
        "p;",
        "&#39;",
        "<!-- ",
        " -->",
        "<script>",
        "</script>",
        "<style>",
        "</style>",
        "<title>",
        "</title>",
        '<a title="',
        '">',
        "<",
        ">",
        "<!DOCTYPE html>",
        "<![CDATA[",
        "]]>",
        "<?pi ",
        "data:text/plain,secret%20name ",
        '<img alt="data:text/plain;base64,c2VjcmV0">',
        "\n",
    ]
)
MARKUP = st.lists(PIECES, max_size=14).map("".join)


@pytest.fixture
def share_any_end(monkeypatch):
    # Files this small would otherwise be read whole, never through the memo.
    monkeypatch.setattr(decoding, "_WORTH_SHARING", 1)


@pytest.mark.usefixtures("share_any_end")
@settings(max_examples=1500)
@given(st.lists(MARKUP, min_size=2, max_size=4), MARKUP)
def test_copies_that_end_alike_read_as_a_full_reading_does(heads, end):
    memo: dict = {}
    for head in heads:
        markup = head + end
        assert html_text(markup, memo) == html_text(markup), markup


@pytest.mark.usefixtures("share_any_end")
@settings(max_examples=500)
@given(st.lists(MARKUP, min_size=2, max_size=4))
def test_unrelated_files_read_as_a_full_reading_does(files):
    memo: dict = {}
    for markup in files:
        assert html_text(markup, memo) == html_text(markup), markup


@pytest.mark.usefixtures("share_any_end")
@pytest.mark.parametrize(
    "opening",
    ["<!-- a comment left open ", "<script>", '<p title="', "<style>", "text &am", "<![CDATA[ "],
)
def test_a_beginning_that_leaves_the_parser_inside_something_is_read_whole(opening):
    """The shared end then means something else: it is part of a comment, a script, an
    attribute value. Reading it apart would be wrong, so the file is read whole."""
    end = "<p>the shared body, with the secret in it</p>" * 3
    memo: dict = {}
    html_text("<p>First copy</p>" + end, memo)
    markup = "<p>Second copy</p>" + opening + end
    assert html_text(markup, memo) == html_text(markup)
    assert memo["markup"] == markup


@pytest.mark.usefixtures("share_any_end")
def test_the_shared_end_is_read_once():
    end = "<main>" + "<p>The shared body of every copy.</p>" * 200 + "</main>"
    memo: dict = {}
    texts = [html_text(f"<p>Dear {name},</p>{end}", memo) for name in ("Anna", "Boris", "Carla")]
    first_reading = memo["end_read"]
    html_text("<p>Dear Dmitri,</p>" + end, memo)
    assert memo["end_read"] is first_reading  # not read again
    assert texts[2] == html_text("<p>Dear Carla,</p>" + end)


def test_real_copies_of_a_brief_are_read_as_whole_files_are(tmp_path):
    """Copies shaped like the policy brief's: the head names each copy's resource folder,
    the letter and the cover name the recipient, the body is shared."""
    body = (
        "<main>"
        + "".join(f"<section><h2>Case {i}</h2><p>Summary &amp; more {i}</p></section>" for i in range(300))
        + "</main>"
    )
    memo: dict = {}
    for name in ("anna-kovacic", "boris-ivanov", "carla-rossi"):
        markup = (
            f'<html><head><style>@font-face {{ src: url("{name}_files/font.ttf"); }}</style></head>'
            f"<body><section class=letter><p>Dear {name},</p></section>"
            f'<section class="cover"><p>{name}</p></section>{body}</body></html>'
        )
        assert html_text(markup, memo) == html_text(markup)
    assert "end_read" in memo
