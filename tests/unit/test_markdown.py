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


def test_a_note_call_sits_against_the_word_before_it_even_across_a_line_break():
    for text in (
        "in December 2015 [@report].",
        "in December 2015\n[@report].",
        "in 2015 \n  [^a].\n\n[^a]: A.",
    ):
        html = renderer().block(text)
        assert '2015<span class="footnote">' in html, html


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


def referencing():
    """Citations as render.py gives them: a footnote's ends in a full stop, a reference not."""
    return MarkdownRenderer(
        lambda source, locator: Markup(f"<em>{source}</em>{', ' + locator if locator else ''}."),
        reference=lambda source, locator: Markup(f"<em>{source}</em>{', ' + locator if locator else ''}"),
    )


def test_a_citation_in_a_footnote_is_a_reference_in_brackets_not_a_footnote():
    r = referencing()
    html = r.block("Footnote here.[^1]\n\n[^1]: The footnote's text [@src-b].")
    assert '<span class="footnote">The footnote&#39;s text (<em>src-b</em>).</span>' in html
    assert html.count('class="footnote"') == 1
    assert r.cited == ["src-b"]  # still listed among the sources
    # Written against the word, with a locator, several at once: one space, one pair.
    html = r.block("A.[^1]\n\n[^1]: See[@b, p. 3] and [@a] [@c].")
    assert "See (<em>b</em>, p. 3) and (<em>a</em>; <em>c</em>)." in html
    html = r.block("A.[^1]\n\n[^1]: See [@a][@b]\n[@c] [@d].")
    assert "See (<em>a</em>; <em>b</em>; <em>c</em>; <em>d</em>)." in html
    # The same in a markdown value inside a sentence.
    assert "(<em>src-b</em>)." in r.inline("X.[^1]\n\n[^1]: Text [@src-b].")


def test_a_citation_inside_the_authors_own_brackets_takes_no_second_pair():
    r = referencing()
    html = r.block("A.[^1]\n\n[^1]: See ([@a]) and ([@b, p. 2] [@c]).")
    assert "See (<em>a</em>) and (<em>b</em>, p. 2; <em>c</em>)." in html
    html = r.block("A.[^1]\n\n[^1]: Detained (see [@a]) since [@b].")
    assert "Detained (see <em>a</em>) since (<em>b</em>)." in html
    # A link's brackets in its address are not the text's.
    html = r.block("A.[^1]\n\n[^1]: [Report](https://x.org/a_(b)) [@a].")
    assert "</a> (<em>a</em>)." in html
    html = renderer().block("A.[^1] B.[^2]\n\n[^1]: One (cf. [^2]).\n\n[^2]: Two.")
    assert '<span class="footnote">One (cf. Two).</span>' in html
    # Only the author's brackets in the text count: not those of code or of a link's text,
    # and a ")" that closes none ("a) one") does not cancel a later "(".
    assert "Call <code>f(</code> then (<em>a</em>)." in r.block("A.[^1]\n\n[^1]: Call `f(` then [@a].")
    html = r.block("A.[^1]\n\n[^1]: [part (1](https://x.org) and [@a].")
    assert "</a> and (<em>a</em>)." in html
    assert "b) two (see <em>a</em>)." in r.block("A.[^1]\n\n[^1]: a) one, b) two (see [@a]).")
    # A citation and a footnote called together share one pair, the author's or their own.
    notes = "\n\n[^2]: Two."
    assert "One (<em>a</em>; Two)." in r.block("A.[^1] B.[^2]\n\n[^1]: One ([@a][^2])." + notes)
    assert "One (Two; <em>a</em>)." in r.block("A.[^1] B.[^2]\n\n[^1]: One ([^2] [@a])." + notes)
    assert "One (<em>a</em>; Two)." in r.block("A.[^1] B.[^2]\n\n[^1]: One [@a][^2]." + notes)


def test_a_footnote_that_is_only_citations_reads_as_the_citations_do():
    html = referencing().block("A.[^1]\n\n[^1]: [@b] [@c, p. 2]")
    assert '<span class="footnote"><em>b</em>. <em>c</em>, p. 2.</span>' in html


def test_a_reference_takes_the_citation_without_its_full_stop_by_default():
    html = renderer().block("A.[^1]\n\n[^1]: Text [@b, p. 3].")
    assert '<span class="footnote">Text ([b|p. 3]).</span>' in html  # no full stop to take
    r = MarkdownRenderer(lambda source, locator: Markup("Source withheld."))
    assert "Text (Source withheld)." in r.block("A.[^1]\n\n[^1]: Text [@b].")


def test_a_footnote_called_in_a_footnote_is_given_in_brackets_and_one_calling_itself_ends():
    html = renderer().block("A.[^1] B.[^2]\n\n[^1]: One [^2].\n\n[^2]: Two.")
    assert '<span class="footnote">One (Two).</span>' in html
    assert '<span class="footnote">Two.</span>' in html
    html = renderer().block("A.[^1]\n\n[^1]: Itself [^1].")  # was a RecursionError
    assert '<span class="footnote">Itself.</span>' in html


def test_straight_quotes_become_the_output_languages_marks():
    from briefgen.quotes import quotation_marks

    text = 'He said "it was \'so-called\' justice" in Azerbaijan\'s court, `"as typed"`.'

    def rendered(language: str) -> str:
        renderer = MarkdownRenderer(lambda source, locator: Markup(""), language=language)
        return str(renderer.inline(text))

    assert rendered("en") == (
        "He said \u201cit was \u2018so-called\u2019 justice\u201d in Azerbaijan\u2019s court, "
        "<code>&#34;as typed&#34;</code>."
    )
    assert rendered("ru").startswith(
        "He said \u00abit was \u201eso-called\u201c justice\u00bb in Azerbaijan\u2019s"
    )
    assert rendered("de").startswith("He said \u201eit was \u201aso-called\u2018 justice\u201c")
    # French puts a no-break space inside its guillemets.
    assert rendered("fr").startswith(
        "He said \u00ab\u00a0it was \u00ab\u00a0so-called\u00a0\u00bb justice\u00a0\u00bb"
    )
    assert quotation_marks("fr-BE") == quotation_marks("fr") and quotation_marks("xx") == quotation_marks(
        "en"
    )
    # Only the quotes: the typographer's replacements would make an article's "(c)" a "©".
    assert "Art. 5(c) -- see" in rendered_plain("Art. 5(c) -- see")
    # Without marks (plain_text, the leak check), what the author typed, character for character.
    assert plain_text('*He* said "so" in Azerbaijan\'s court') == 'He said "so" in Azerbaijan\'s court'


def rendered_plain(text: str) -> str:

    return str(MarkdownRenderer(lambda source, locator: Markup(""), language="en").inline(text))


def test_quotes_pair_as_markdown_it_pairs_them_and_change_no_other_parser():
    from markdown_it import MarkdownIt

    # A quote right after a closing one: the pairing is the library's own, with real marks.
    assert rendered_plain('"recently""Justice"') == "\u201crecently\u201d\u201cJustice\u201d"
    assert rendered_plain("\"Justice\"'so-called'") == "\u201cJustice\u201d\u2018so-called\u2019"
    # briefgen patches nothing of markdown-it's: another parser in the process is unchanged.
    other = MarkdownIt("commonmark", {"typographer": True}).enable("smartquotes")
    assert other.render("Azerbaijan's") == "<p>Azerbaijan\u2019s</p>\n"


def test_web_addresses_keep_the_quotes_typed_in_them():
    html = rendered_plain(
        "See <https://en.wikipedia.org/wiki/Hell's_Kitchen> and https://x.org/a'b, it's \"so\"."
    )
    assert ">https://en.wikipedia.org/wiki/Hell&#39;s_Kitchen</a>" in html
    assert "https://x.org/a&#39;b," in html
    assert "it\u2019s \u201cso\u201d." in html


def test_a_reference_stands_against_the_languages_opening_quote():

    for language, opening in (("en", "\u201c"), ("de", "\u201e"), ("hu", "\u201e"), ("ru", "\u00ab")):
        renderer = MarkdownRenderer(
            lambda source, locator: Markup("S"),
            reference=lambda source, locator: Markup("Source A"),
            language=language,
        )
        html = str(renderer.block('Text.[^1]\n\n[^1]: As "[@a]" says.'))
        assert f"{opening}(Source A)" in html, (language, html)


def test_french_punctuation_keeps_its_space_on_the_line():
    from briefgen.quotes import no_break_spaces

    renderer = MarkdownRenderer(lambda source, locator: Markup(""), language="fr")
    html = str(renderer.inline('Arrêté : il est « détenu » ; pourquoi ? **CEDH** : requête, "dit-il".'))
    assert html == (
        "Arrêté\u00a0: il est «\u00a0détenu\u00a0»\u00a0; pourquoi\u00a0? <strong>CEDH</strong>\u00a0: "
        "requête, «\u00a0dit-il\u00a0»."
    )
    # No space is added where none was typed (an address's colon), and other languages keep theirs.
    assert no_break_spaces("fr", "https://x.org/a:b") == "https://x.org/a:b"
    assert no_break_spaces("fr-BE", "Voir :") == "Voir\u00a0:"
    assert no_break_spaces("en", "Detained : why ?") == "Detained : why ?"


def test_a_reference_inside_the_authors_brackets_gets_none_of_its_own_in_any_language():
    # The text of a note is read for the author's open brackets whatever the output's
    # language: "(see [@a])" is "(see Source A)", not "(see (Source A))".
    for language in (None, "en", "fr"):
        renderer = MarkdownRenderer(
            lambda source, locator: Markup("S"),
            reference=lambda source, locator: Markup("Source A"),
            language=language,
        )
        html = str(renderer.block("Text.[^1]\n\n[^1]: As the court said (see [@a])."))
        assert "(see Source A)." in html, (language, html)
