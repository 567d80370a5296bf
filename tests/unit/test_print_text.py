"""What the renderer does to text for print: web addresses (urls.py), citations' full stops
(punctuation.py), the timeline's column widths (columns.py)."""

from __future__ import annotations

import re

from briefgen.columns import fitted_widths, label_width_pt
from briefgen.punctuation import ends_sentence, with_full_stop
from briefgen.theme import DEFAULT_THEME_DIR, load_theme
from briefgen.urls import mark_urls


def visible(html: str) -> str:
    return re.sub(r"<[^>]*>", "", html)


def test_an_address_breaks_after_its_parts_and_keeps_its_characters_and_target():
    link = "https://prisoners.example-monitoring.org/en/a_b?x=1&amp;y=2"
    html = f'<html><body><p>See <a href="{link}">{link}</a>.</p></body></html>'
    marked = mark_urls(html)
    assert visible(marked) == visible(html)  # no character added or lost
    assert f'href="{link}"' in marked  # the target is untouched
    span = re.search(r'<span class="url">(.*?)</span>', marked).group(1)
    assert span.split("<wbr>") == [
        "https://",
        "prisoners.",
        "example-monitoring.",  # never after a hyphen: that would read as a hyphenated word
        "org/",
        "en/",
        "a_",
        "b?",
        "x=",
        "1&amp;",
        "y=",
        "2",
    ]
    assert mark_urls(marked) == marked  # marked once only


def test_an_address_in_a_sentence_stops_before_the_sentence_punctuation():
    marked = mark_urls("<body><p>(www.example.org/reports.) and https://example.org/x, then</p></body>")
    assert '<span class="url">www.<wbr>example.<wbr>org/<wbr>reports</span>.)' in marked
    assert '<span class="url">https://<wbr>example.<wbr>org/<wbr>x</span>, then' in marked


def test_addresses_in_attributes_head_and_style_are_left_alone():
    html = (
        '<html><head><title>https://example.org/t</title><style>a::after{content:"https://x.org/"}</style>'
        '</head><body><img src="https://example.org/i.png" alt="https://example.org/a"></body></html>'
    )
    assert mark_urls(html) == html


def test_one_full_stop_at_the_end_of_a_citation():
    assert with_full_stop("<em>Report</em>, 16 мая 2023 г.") == "<em>Report</em>, 16 мая 2023 г."
    assert with_full_stop("<em>Free them all.</em>") == "<em>Free them all.</em>"
    assert (
        with_full_stop('<a href="https://x.org">https://x.org</a>')
        == '<a href="https://x.org">https://x.org</a>.'
    )
    assert with_full_stop("<em>Why?</em>") == "<em>Why?</em>"
    assert with_full_stop("IPHR, December 2015") == "IPHR, December 2015."
    assert not ends_sentence("Report, p. 12")
    assert ends_sentence("Report, pp. 3 ff.")


def test_the_type_column_is_as_wide_as_its_longest_label():
    theme = load_theme(DEFAULT_THEME_DIR)
    short = fitted_widths(["Arrest", "Trial"], theme, fixed=20, least=18, most=36)
    assert short == (20, 18, 62)
    french = "Interdiction de quitter le territoire"
    date, label, rest = fitted_widths(["Arrestation", french], theme, fixed=20, least=18, most=36)
    assert 18 < label < 36 and date + label + rest == 100
    # Wide enough for the label on one line, padding included.
    text_block = (210 - 22 - 22) * 72 / 25.4
    assert label / 100 * text_block >= label_width_pt(french, theme) + 2 * float(
        theme.tokens.tables.cell_padding_side
    )
    assert label_width_pt(french, theme) > label_width_pt("Arrestation", theme) > 0
    assert fitted_widths(["x" * 300], theme, fixed=20, least=18, most=36)[1] == 36  # bounded
