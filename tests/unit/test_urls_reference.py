"""urls.mark_urls passes over the tags that cannot change its state without a regex: the
same HTML as the loop it replaced (kept here as the reference) for any mix of tags, spans,
skipped elements and addresses."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.urls import _OPEN, _SKIPPED, _TAG, _URL, CLASS, _marked, mark_urls


def reference_mark_urls(html: str) -> str:
    """mark_urls as it was: every piece looked at in turn."""
    if "http" not in html and "www." not in html:
        return html
    out: list[str] = []
    skipping: list[str] = []
    inside_url = 0  # already marked (a second pass changes nothing)
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            tag = _OPEN.match(piece)
            if tag:
                closing, name = tag.group(1), tag.group(2).lower()
                if name in _SKIPPED and not piece.endswith("/>"):
                    if closing and name in skipping:
                        skipping.remove(name)
                    elif not closing:
                        skipping.append(name)
                if name == "span" and not closing and f'class="{CLASS}"' in piece:
                    inside_url += 1
                elif name == "span" and closing and inside_url:
                    inside_url -= 1
            out.append(piece)
        elif skipping or inside_url or not _URL.search(piece):
            out.append(piece)
        else:
            out.append(_URL.sub(_marked, piece))
    return "".join(out)


PIECES = [
    '<span class="url">',
    "</span>",
    "<SPAN>",
    "<span>",
    "<spanx>",
    "<style>",
    "</Style>",
    "<head>",
    "</head>",
    "<pre/>",
    "<pre>",
    "</pre>",
    "<TEXTAREA>",
    "</textarea>",
    "<script>",
    "</script>",
    "<title>",
    "</title>",
    "<p>",
    "</p>",
    '<a href="http://x.org/a">',
    "</a>",
    "<!-- http://c.org -->",
    "<br/>",
    "http://example.org/a/b?c=d&amp;e=f",
    "https://ex.org/x_y.html",
    "www.example.org",
    "http",
    "www",
    " ",
    ".",
    ")",
    "text",
    "<",
    ">",
    "&#39;",
    "\ue000",
]


@given(st.lists(st.sampled_from(PIECES), max_size=30))
@settings(max_examples=1500)
def test_the_same_html_as_the_reference_loop(pieces):
    html = "".join(pieces)
    assert mark_urls(html) == reference_mark_urls(html)


def test_an_address_after_a_tag_of_each_kind():
    for piece in PIECES:
        if piece.startswith("<"):
            html = f"<p>{piece} see http://example.org/a/b and more</p>"
            assert mark_urls(html) == reference_mark_urls(html), piece
    assert 'class="url"' in mark_urls("<p>see http://example.org/a/b</p>")
    assert "class" not in mark_urls("<style>http://example.org/a</style>")
