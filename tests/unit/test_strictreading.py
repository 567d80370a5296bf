"""strictreading: a value found only inside the words of an HTML output's markup is not a
leak; one written into the markup as words still is."""

from __future__ import annotations

import base64

import pytest

from briefgen.check import check_output, check_rendered_html
from briefgen.ledger import Ledger, Withheld
from briefgen.strictreading import StrictReading

# Markup every HTML output of the default theme carries (its stylesheet, the marking banner,
# a chart's SVG, the web page's fonts): the words of the withheld names below stand inside it.
MARKUP = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Brief</title>
<style>
/* A case card keeps the first lines of its summary: never alone at the foot of a page. */
body { font-family: "Noto Serif", serif; }
.marking-banner { color: #a00; }
@media screen { .x:hover { text-decoration: underline; } }
</style></head>
<body><div class="marking-banner screen-only" role="region">Internal: not for distribution</div>
<svg viewBox="0 0 10 10"><g transform="translate(0.5,0.5)"><path
 style="font-family: Noto Sans; fill: #1d4e89" d="M0,0h10v10Z"/><text>Days in detention</text></g></svg>
<p>Public text about the hearing.</p>
<img src="photo_files/_theme/fonts/NotoSerifHebrew-Bold.ttf" alt="">
</body></html>"""

# Each a realistic withheld value whose letters stand inside the markup above.
WITHIN_WORDS = ["Vera", "family", "Mark", "Anne", "Lena", "Emma", "Omar"]


def ledger_of(*values: str) -> Ledger:
    return Ledger([Withheld(f"cases.c.contacts[{i}].name", v) for i, v in enumerate(values)], [])


@pytest.mark.parametrize("value", WITHIN_WORDS)
def test_a_value_inside_the_words_of_markup_is_not_a_leak(tmp_path, value):
    path = tmp_path / "out.html"
    path.write_text(MARKUP, encoding="utf-8")
    ledger = ledger_of(value)
    assert check_output(path, "html", ledger) is None
    assert check_rendered_html(MARKUP, ledger) is None


@pytest.mark.parametrize(
    ("leak", "value"),
    [
        ("<p>Contact: Vera</p>", "Vera"),  # the text
        ("<p>Ve<em>ra</em> called</p>", "Vera"),  # the text, split by a tag
        ('<div class="contact-vera">x</div>', "Vera"),  # a class name
        ('<div id="vera-sviryd">x</div>', "Vera Sviryd"),  # an id, both words
        ('<div data-who="Vera Sviryd">x</div>', "Vera Sviryd"),  # any attribute
        ("<style>.c::after { content: 'Vera Sviryd'; }</style>", "Vera Sviryd"),  # a CSS string
        ("<style>.c { color: red } /* Vera */</style>", "Vera"),  # a stylesheet comment
        ("<!-- Vera Sviryd -->", "Vera Sviryd"),  # a comment
        ('<script>var who = "Vera\\u0020Sviryd";</script>', "Vera Sviryd"),  # a script, escaped
        ('<p style="--who: Vera">x</p>', "Vera"),  # a style attribute's value
        ('<img alt="Vera" src="x.png">', "Vera"),  # alt text
        ('<a href="https://example.org/?q=Vera%20Sviryd">link</a>', "Vera Sviryd"),  # a link target
    ],
)
def test_a_value_written_into_the_markup_is_a_leak(tmp_path, leak, value):
    markup = MARKUP.replace("<p>Public text about the hearing.</p>", leak)
    path = tmp_path / "out.html"
    path.write_text(markup, encoding="utf-8")
    ledger = ledger_of(value)
    assert check_output(path, "html", ledger), leak
    assert check_rendered_html(markup, ledger), leak


def test_svg_in_a_data_url_is_read_as_markup_and_its_text_as_text(tmp_path):
    def page(svg: str) -> str:
        data = base64.b64encode(svg.encode()).decode()
        image = f'<img alt="chart" src="data:image/svg+xml;base64,{data}">'
        return MARKUP.replace("<p>Public text about the hearing.</p>", image)

    ledger = ledger_of("Mark")
    assert check_rendered_html(page('<svg><g class="marks"><text>Days</text></g></svg>'), ledger) is None
    assert check_rendered_html(page('<svg><g class="marks"><text>Mark Ivanov</text></g></svg>'), ledger)
    assert check_rendered_html(page('<svg><g class="role-mark"><text>Days</text></g></svg>'), ledger)


def test_the_resource_folders_file_names_and_stylesheets_are_read_as_markup(tmp_path):
    path = tmp_path / "out.html"
    path.write_text(MARKUP, encoding="utf-8")
    folder = tmp_path / "out_files"
    (folder / "css").mkdir(parents=True)
    (folder / "css" / "extra.css").write_text(".marking { font-family: serif; }", encoding="utf-8")
    assert check_output(path, "html", ledger_of("family")) is None
    assert check_output(path, "html", ledger_of("Mark")) is None
    (folder / "images").mkdir()
    (folder / "images" / "vera-sviryd.txt").write_text("nothing", encoding="utf-8")
    assert check_output(path, "html", ledger_of("Vera Sviryd"))


def test_whole_words_begin_and_end_where_words_do():
    reading = StrictReading()
    reading.add_markup("case-card vera-sviryd marking")
    assert reading.holds("vera")
    assert reading.holds("verasviryd")
    assert reading.holds("cardvera")  # words in a row, across a hyphen
    assert not reading.holds("mark")
    assert not reading.holds("erasv")
    assert not reading.holds("ecard")


def test_css_property_names_are_not_read():
    reading = StrictReading()
    reading.add_markup("p { font-family: Noto; --brand: red } a:hover { color: x }", css=True)
    assert not reading.holds("family")
    assert not reading.holds("brand")
    assert reading.holds("noto")
    assert reading.holds("hover")  # a selector's words stay


@pytest.mark.parametrize(
    ("leak", "value"),
    [
        # Decomposed accents (macOS, pasted text): the words are read after NFKC, as needles are.
        ('<div data-person="Jose\u0301 Mu\u0308ller">x</div>', "José Müller"),
        # A data: URL in the text, which the fast pass decodes.
        ("<p>see data:text/plain;base64,VmVyYSBTdmlyeWQ=</p>", "Vera Sviryd"),
        # Digits against letters: "05T10" is two words.
        ('<div data-when="ref2021-0305T10">x</div>', "0305"),
    ],
)
def test_what_the_fast_pass_reads_the_second_look_reads_too(leak, value):
    markup = MARKUP.replace("<p>Public text about the hearing.</p>", leak)
    assert check_rendered_html(markup, ledger_of(value)), leak
