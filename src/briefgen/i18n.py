"""Labels and locale formatting: a language code -> a Localizer (gettext catalog + Babel).

Every word a template prints that is not content (headings, field names, status names,
"page X of Y") is a gettext message looked up in the catalogs under `locale/`. Dates,
numbers, durations and plurals are formatted for the language by Babel.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import DateTimePattern, get_date_format, parse_pattern
from babel.numbers import format_decimal  # imported by babel.units anyway
from babel.units import format_unit

from .labels import builtin_languages, translations

SHIPPED_LANGUAGES = tuple(builtin_languages())

# English output follows EU usage ("19 January 2016"), not US usage.
_FORMAT_LOCALES = {"en": "en_GB"}


@cache
def babel_locale(language: str) -> Locale:
    try:
        return Locale.parse(_FORMAT_LOCALES.get(language, language).replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a plural label for extraction; translated where it is used (ngettext)."""
    return singular, plural


_UNIT_LABELS = {
    "duration-year": Nn_("{n} year", "{n} years"),
    "duration-month": Nn_("{n} month", "{n} months"),
    "duration-day": Nn_("{n} day", "{n} days"),
}


@cache
def _has_unit_names(locale: str) -> bool:
    """Whether CLDR spells out durations in this locale (Maltese and Tajik it does not)."""
    return format_unit(7, "duration-year", length="long", locale=locale) != format_unit(
        7, "duration-year", length="long", locale="root"
    )


@cache
def _date_pattern(locale: Locale, style: str) -> DateTimePattern:
    """The pattern babel.dates.format_date looks up, looked up once per process: a dossier
    formats hundreds of dates, and the lookup in the locale's data cost more than the
    formatting."""
    if style in ("full", "long", "medium", "short"):
        return get_date_format(style, locale=locale)
    return parse_pattern(style)


class Localizer:
    """Labels and formatting for one output language."""

    def __init__(self, language: str, project_root: Path | None = None):
        self.language = language
        self.locale = babel_locale(language)
        # The project's locale/LANG.po first, then the built-in catalog (labels.py).
        self._translations = translations(language, project_root)

    def gettext(self, message: str) -> str:
        return self._translations.ugettext(message)

    def pgettext(self, context: str, message: str) -> str:
        return self._translations.pgettext(context, message)

    def gendered(self, message: str, gender: str | None) -> str:
        """A label that agrees with a person's grammatical gender where the language needs it
        (Russian "Задержан"/"Задержана"): the catalog holds it under the context "female" or
        "male"; without a gender, the neutral form."""
        if gender in ("female", "male"):
            return self.pgettext(gender, message)
        return self.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations.ungettext(singular, plural, n)

    def format_date(self, value: date | str | None, style: str = "long", in_sentence: bool = False) -> str:
        """A full date ("19 January 2016") or a partial one ("August 2014", "2014").

        `in_sentence` gives a month-only date the form it takes inside a phrase ("since
        August 2014"): in Russian the genitive "с августа 2014 г.", not "август 2014 г.".
        """
        if value is None:
            return ""
        if isinstance(value, str):
            parts = [int(p) for p in value.split("-")]
            if len(parts) == 1:
                return str(parts[0])
            if len(parts) == 2:
                pattern = "MMMM y" if in_sentence else "LLLL y"
                return _date_pattern(self.locale, pattern).apply(date(parts[0], parts[1], 1), self.locale)
            value = date(*parts)
        text = _date_pattern(self.locale, style).apply(value, self.locale)
        if value.day == 1 and self.locale.language == "fr" and style in ("long", "full"):
            # French writes the first of the month as an ordinal ("1er septembre 2015"); CLDR's
            # "d MMMM y" cannot say so.
            text = re.sub(r"(?<!\d)1(?=\s)", "1er", text, count=1)
        return text

    def format_number(self, value: int | float) -> str:
        """A count as the language writes it ("1,144", "1 144"): the same as the charts'."""
        return format_decimal(value, locale=self.locale)

    def format_duration(self, years: int | None = 0, months: int | None = 0, days: int | None = 0) -> str:
        """ "7 years 6 months" in the output language; zero parts are left out."""
        parts = []
        for amount, unit in ((years, "duration-year"), (months, "duration-month"), (days, "duration-day")):
            if not amount:
                continue
            if _has_unit_names(str(self.locale)):
                parts.append(format_unit(amount, unit, length="long", locale=self.locale))
            else:  # CLDR has no names for this locale (it would print "7 y"): the labels do
                singular, plural = _UNIT_LABELS[unit]
                parts.append(self.ngettext(singular, plural, amount).format(n=self.format_number(amount)))
        return " ".join(parts)

    def display_language(self, code: str) -> str:
        try:
            return Locale.parse(code).get_display_name(self.locale) or code
        except (UnknownLocaleError, ValueError):
            return code
