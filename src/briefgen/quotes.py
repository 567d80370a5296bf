"""Quotation marks: a language code -> the marks its typography opens and closes quotes with,
and the no-break spaces its punctuation wants.

Authors type straight quotes ("recently", 'so-called'); a printed brief sets them as the
language does: “recently” in English, «недавно» in Russian, „kürzlich“ in German,
« récemment » in French (with a no-break space inside, as French typography wants).
The marks are CLDR's delimiters (quotationStart/End, alternateQuotationStart/End) for the
languages briefgen ships labels in; any other language gets the English ones. markdown.py
applies them to markdown fields, through markdown-it's smart quotes.

French also puts a space before `:` `;` `!` `?` and inside guillemets, one a line must not
break at ("detenu :" with the colon alone at the start of the next line is a known fault).
A plain space an author typed there becomes a no-break space (U+00A0, as the catalogs and
the example content write it); no space is added where none was typed.
"""

from __future__ import annotations

import re

# (open, close, inner open, inner close), CLDR 47.
_ENGLISH = ("\u201c", "\u201d", "\u2018", "\u2019")  # “ ” ‘ ’
_GUILLEMETS_LOW = ("\u00ab", "\u00bb", "\u201e", "\u201c")  # « » „ “
_LOW_HIGH = ("\u201e", "\u201c", "\u201a", "\u2018")  # „ “ ‚ ‘
_MARKS: dict[str, tuple[str, str, str, str]] = {
    **dict.fromkeys(("be", "ky", "ru", "uk"), _GUILLEMETS_LOW),
    **dict.fromkeys(("cs", "de", "et", "hr", "sk", "sl"), _LOW_HIGH),
    **dict.fromkeys(("el", "it", "kk"), ("\u00ab", "\u00bb", "\u201c", "\u201d")),
    **dict.fromkeys(("bg", "lt"), ("\u201e", "\u201c", "\u201e", "\u201c")),
    **dict.fromkeys(("fi", "sv"), ("\u201d", "\u201d", "\u2019", "\u2019")),
    **dict.fromkeys(("pl", "ro"), ("\u201e", "\u201d", "\u00ab", "\u00bb")),
    "hy": ("\u00ab", "\u00bb", "\u00ab", "\u00bb"),
    "fr": ("\u00ab\u00a0", "\u00a0\u00bb", "\u00ab\u00a0", "\u00a0\u00bb"),
    "hu": ("\u201e", "\u201d", "\u00bb", "\u00ab"),
    "ka": ("\u201e", "\u201c", "\u00ab", "\u00bb"),
    "nl": ("\u2018", "\u2019", "\u2018", "\u2019"),
    "uz": ("\u201c", "\u201d", "\u2019", "\u2018"),
}


def quotation_marks(language: str) -> tuple[str, str, str, str]:
    """(open, close, inner open, inner close) for `language` ("fr", "fr-BE", "ru")."""
    return _MARKS.get(_base(language), _ENGLISH)


def _base(language: str) -> str:
    """ "fr" of "fr-BE" and "fr_BE"."""
    return language.replace("_", "-").split("-")[0].lower()


_FRENCH_SPACES = re.compile(r"[ ]+(?=[:;!?\u00bb])|(?<=\u00ab)[ ]+")


def no_break_spaces(language: str, text: str) -> str:
    """`text` with the spaces its punctuation must not be parted from made no-break, in a
    language whose typography wants them (French); other languages' text as it is."""
    if _base(language) != "fr" or " " not in text:
        return text
    return _FRENCH_SPACES.sub("\u00a0", text)
