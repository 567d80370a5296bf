"""markdown: content fields -> HTML in the vocabulary."""

from markupsafe import Markup

from briefgen.markdown import CITATION_RE, MarkdownRenderer, plain_text


def renderer():
    return MarkdownRenderer(lambda source, locator: Markup(f"[{source}|{locator}]"))


def test_raw_html_is_text_never_markup():
    html = renderer().block('<img src="file:///etc/passwd"> <script>alert(1)</script>')
    assert "<img" not in html and "<script" not in html
    assert "&lt;img" in html


def test_footnotes_and_citations_become_inline_footnotes():
    html = renderer().block("Claim.[@report-one, p. 12] More.[^a]\n\n[^a]: A *note*.")
    assert '<span class="footnote">[report-one|p. 12]</span>' in html
    assert '<span class="footnote">A <em>note</em>.</span>' in html
    assert "footnotes" not in html  # no separate footnote section


def test_cited_sources_recorded_in_order():
    r = renderer()
    r.block("[@b-source] and [@a-source] and [@b-source]")
    assert r.cited == ["b-source", "a-source"]


def test_unsafe_links_lose_their_target():
    html = renderer().block("[x](javascript:alert(1)) [y](file:///etc/passwd) [z](https://ok.example)")
    assert 'href="https://ok.example"' in html
    assert 'href="file:' not in html and 'href="javascript:' not in html


def test_images_render_as_text():
    html = renderer().block("![alt](https://example.org/x.png)")
    assert "<img" not in html


def test_headings_do_not_break_the_outline():
    assert "<h4>" in renderer().block("# Big heading")


def test_ordered_lists_keep_their_start():
    assert '<ol start="3">' in renderer().block("3. three\n4. four")


def test_inline_joins_paragraphs():
    assert renderer().inline("one\n\ntwo") == "one two"


def test_citation_pattern():
    assert CITATION_RE.findall("see [@iphr-2015] and [@x, p. 4]") == [("iphr-2015", ""), ("x", "p. 4")]
    assert CITATION_RE.findall("mail me at a@b.org") == []


def test_plain_text():
    assert plain_text("Some *emphasis* and [a link](https://x.org).") == "Some emphasis and a link ."
