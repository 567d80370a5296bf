"""Labels and locale formatting: a language code -> a Localizer (gettext catalog + Babel).

Every word a template prints that is not content (headings, field names, status names,
"page X of Y") is a gettext message looked up in the catalogs under `locale/`. Dates,
numbers, durations and plurals are formatted for the language by Babel.
"""

from __future__ import annotations

import io
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from babel.units import format_unit

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "briefgen"
SHIPPED_LANGUAGES = ("en", "ru", "fr", "az")

# English output follows EU usage ("19 January 2016"), not US usage.
_FORMAT_LOCALES = {"en": "en_GB"}


@cache
def _catalog(language: str) -> Translations | None:
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.is_file():
        return None
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    # Compiled in memory: the .po stays the only file to maintain and review.
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@cache
def babel_locale(language: str) -> Locale:
    try:
        return Locale.parse(_FORMAT_LOCALES.get(language, language).replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


class Localizer:
    """Labels and formatting for one output language."""

    def __init__(self, language: str):
        self.language = language
        self.locale = babel_locale(language)
        self._translations = _catalog(language.split("-")[0])

    def gettext(self, message: str) -> str:
        return self._translations.ugettext(message) if self._translations else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if self._translations:
            return self._translations.ungettext(singular, plural, n)
        return singular if n == 1 else plural

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
                return babel_format_date(date(parts[0], parts[1], 1), pattern, locale=self.locale)
            value = date(*parts)
        return babel_format_date(value, style, locale=self.locale)

    def format_duration(self, years: int | None = 0, months: int | None = 0, days: int | None = 0) -> str:
        """ "7 years 6 months" in the output language; zero parts are left out."""
        parts = []
        for amount, unit in ((years, "duration-year"), (months, "duration-month"), (days, "duration-day")):
            if amount:
                parts.append(format_unit(amount, unit, length="long", locale=self.locale))
        return " ".join(parts)

    def display_language(self, code: str) -> str:
        try:
            return Locale.parse(code).get_display_name(self.locale) or code
        except (UnknownLocaleError, ValueError):
            return code
