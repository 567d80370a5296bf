"""wrapping.py: tokens too long for a line get break opportunities, and no character more."""

from __future__ import annotations

import re

import lxml.html

from briefgen.wrapping import CHUNK, LONG_TOKEN, mark_long_tokens

TOKEN = "".join("abcdefghij"[i % 10] for i in range(3000))
URL = "https://example.org/" + "/".join(f"part{i:03d}" for i in range(30))


def page(body: str) -> str:
    return f"<!DOCTYPE html><html><head><style>p {{ color: red }}</style></head><body>{body}</body></html>"


def body_text(html: str) -> str:
    return lxml.html.document_fromstring(html).find("body").text_content()


def test_short_words_leave_the_document_untouched():
    html = page("<p>Ordinary words, and a Menschenrechtsverteidigerinnen too.</p>")
    assert mark_long_tokens(html) is html


def test_long_tokens_are_marked_and_the_text_is_unchanged():
    html = page(f"<p>Before {TOKEN} between <a href='{URL}'>{URL}</a> after <em>x</em> {URL}.</p>")
    marked = mark_long_tokens(html)
    assert marked.count('class="long-token"') == 3
    assert body_text(marked) == body_text(html)  # not one character added or lost
    spans = re.findall(r'<span class="long-token">(.*?)</span>', marked)
    assert spans[0].count("<wbr>") == len(TOKEN) // CHUNK - (len(TOKEN) % CHUNK == 0)
    assert all(len(piece) <= CHUNK for piece in spans[0].split("<wbr>"))


def test_styles_attributes_and_preformatted_text_are_left_alone():
    long_class = "c" * (LONG_TOKEN + 5)
    html = page(f"<pre>{TOKEN}</pre><p class='{long_class}'>short</p>")
    assert mark_long_tokens(html).count("long-token") == 0


def test_a_token_just_under_the_limit_is_a_word():
    word = "w" * (LONG_TOKEN - 1)
    assert "long-token" not in mark_long_tokens(page(f"<p>{word}</p>"))
    assert "long-token" in mark_long_tokens(page(f"<p>{word}w</p>"))


def test_long_attribute_values_alone_leave_the_document_untouched():
    """A link's long address is no candidate: the text is returned as it is (not parsed and
    written again by lxml, which also turned `<wbr>` into an element holding the text)."""
    href = "https://example.org/reports/2016/" + "x" * 60
    html = (
        f'<!DOCTYPE html><html><head></head><body><p>See <a href="{href}">the report</a> '
        f'and <span class="url">https:<wbr>//example.org/<wbr>x</span>.</p></body></html>'
    )
    assert mark_long_tokens(html) is html
    # In the text (even with a '>' in it), the same length is marked.
    token = "=>" * 30
    marked = mark_long_tokens(html.replace("the report", token))
    assert 'class="long-token"' in marked
    assert "".join(re.findall(r">([^<]*)", marked.split("<body>")[1])).count("=") == 30
