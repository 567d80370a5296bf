"""The message catalogs: every label translated, placeholders intact, in step with the code.

A label added to a template or to the code without `python -m briefgen.catalogs` and a
translation fails here, naming the message and the language.
"""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from briefgen import catalogs
from briefgen.i18n import SHIPPED_LANGUAGES, Localizer
from briefgen.render import STATUS_LABELS, status_line
from briefgen.select import Record

UPDATE_HINT = "run `.venv/bin/python -m briefgen.catalogs`, then translate the new entries"
TRANSLATED = [lang for lang in catalogs.languages() if lang != catalogs.SOURCE_LANGUAGE]


@pytest.fixture(scope="module")
def extracted():
    return catalogs.extract()


def read_catalog(language: str):
    path = catalogs.po_path(language)
    assert path.is_file(), f"{path} is missing: {UPDATE_HINT}"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def message_ids(catalog) -> set:
    """(context, msgid) of every message: a gendered form ("Detained" for a woman) is one."""
    return {(m.context, tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id) for m in catalog if m.id}


def show(ids) -> str:
    return "\n  ".join(sorted(repr(i) for i in ids))


def test_shipped_languages_have_catalogs():
    assert set(SHIPPED_LANGUAGES) <= set(catalogs.languages())
    assert {"en", "ru", "fr", "az"} <= set(SHIPPED_LANGUAGES)


@pytest.mark.parametrize("language", catalogs.languages())
def test_every_message_is_translated(extracted, language):
    catalog = read_catalog(language)
    missing = []
    for message in extracted:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        if found is None or not catalogs._translated(found, catalog.num_plurals):
            missing.append(f"untranslated: {message.id!r}")
        elif found.fuzzy:
            missing.append(f"fuzzy: {message.id!r}")
    assert not missing, f"{catalogs.po_path(language)} ({UPDATE_HINT}):\n  " + "\n  ".join(missing)


def test_source_language_repeats_the_msgids():
    for message in read_catalog(catalogs.SOURCE_LANGUAGE):
        if message.id:
            expected = tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id
            string = tuple(message.string) if isinstance(message.string, (list, tuple)) else message.string
            assert string == expected, message.id


@pytest.mark.parametrize("language", catalogs.languages())
def test_placeholders_match_the_msgid(language):
    problems = []
    for message in read_catalog(language):
        if message.id and message.string:
            problems += [f"{message.id!r}: {p}" for p in catalogs.format_problems(message)]
    assert not problems, f"{catalogs.po_path(language)}:\n  " + "\n  ".join(problems)


def test_placeholder_check_catches_mistakes():
    from babel.messages.catalog import Message

    assert catalogs.format_problems(Message("To {addressee}", "Адресат: {adressee}"))
    assert catalogs.format_problems(Message("Page {page} of {pages}", "Страница {page}"))
    assert catalogs.format_problems(Message("Contents", "50 % <b>"))
    assert catalogs.format_problems(Message(("{n} day", "{n} days"), ("{n} день", "дня", "{n} дней")))
    assert not catalogs.format_problems(Message("For: {audience}", "Public\u00a0: {audience}"))


def test_pot_is_up_to_date_with_the_code(extracted):
    with catalogs.POT_PATH.open("rb") as handle:
        pot = read_po(handle)
    wanted, have = message_ids(extracted), message_ids(pot)
    assert wanted == have, (
        f"{catalogs.POT_PATH} is out of date ({UPDATE_HINT}).\n"
        f"New in the code:\n  {show(wanted - have)}\nNo longer in the code:\n  {show(have - wanted)}"
    )


@pytest.mark.parametrize("language", catalogs.languages())
def test_no_obsolete_messages(extracted, language):
    catalog = read_catalog(language)
    obsolete = (message_ids(catalog) - message_ids(extracted)) | set(catalog.obsolete)
    assert not obsolete, (
        f"{catalogs.po_path(language)} has obsolete messages ({UPDATE_HINT}):\n  {show(obsolete)}"
    )


def test_check_command_passes(capsys):
    assert catalogs.main(["--check"]) == 0, capsys.readouterr().out


@pytest.mark.parametrize(
    ("language", "plural_forms"),
    [
        (
            "ru",
            "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
            "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
        ),
        ("fr", "nplurals=2; plural=(n > 1);"),
        ("az", "nplurals=2; plural=(n != 1);"),
        ("en", "nplurals=2; plural=(n != 1);"),
    ],
)
def test_plural_forms_header(language, plural_forms):
    assert read_catalog(language).plural_forms == plural_forms


# ----------------------------------------------------------------- the Localizer


def plain(text: str) -> str:
    """CLDR puts no-break spaces (U+00A0, U+202F) in dates and units: compared as spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "19 January 2016"),
        ("ru", "19 января 2016 г."),
        ("fr", "19 janvier 2016"),
        ("az", "19 yanvar 2016"),
    ],
)
def test_format_date(language, expected):
    assert plain(Localizer(language).format_date("2016-01-19")) == expected


@pytest.mark.parametrize(
    ("language", "value", "style", "expected"),
    [
        ("fr", "2015-09-01", "long", "1er septembre 2015"),
        ("fr", "2015-09-01", "full", "mardi 1er septembre 2015"),
        ("fr", "2015-09-11", "long", "11 septembre 2015"),  # not "11er"
        ("fr", "2015-09-21", "long", "21 septembre 2015"),
        ("en", "2015-09-01", "long", "1 September 2015"),
        ("ru", "2015-09-01", "long", "1 сентября 2015 г."),
    ],
)
def test_the_first_of_the_month_is_an_ordinal_in_french(language, value, style, expected):
    assert plain(Localizer(language).format_date(value, style)) == expected


@pytest.mark.parametrize("language", ["en", "ru", "fr", "az", "de", "ar"])
def test_dates_are_formatted_as_babel_formats_them(language):
    """Localizer looks each pattern up once per process (i18n._date_pattern); the text must
    stay babel.dates.format_date's, for every style, and for a second output alike."""
    from datetime import date

    from babel.dates import format_date

    first, second = Localizer(language), Localizer(language)
    for value in (date(2016, 1, 19), date(2015, 9, 11), date(1999, 12, 31), date(2024, 2, 29)):
        for style in ("full", "long", "medium", "short"):
            expected = format_date(value, style, locale=first.locale)
            assert first.format_date(value, style) == expected
            assert second.format_date(value.isoformat(), style) == expected
    for month, pattern, in_sentence in (("2014-08", "LLLL y", False), ("2014-08", "MMMM y", True)):
        expected = format_date(date(2014, 8, 1), pattern, locale=first.locale)
        assert first.format_date(month, in_sentence=in_sentence) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "7 years 6 months"), ("ru", "7 лет 6 месяцев"), ("fr", "7 ans 6 mois"), ("az", "7 il 6 ay")],
)
def test_format_duration(language, expected):
    assert plain(Localizer(language).format_duration(7, 6)) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1 день под стражей"),
        (3, "3 дня под стражей"),
        (5, "5 дней под стражей"),
        (11, "11 дней под стражей"),
        (12, "12 дней под стражей"),
        (21, "21 день под стражей"),
        (22, "22 дня под стражей"),
        (111, "111 дней под стражей"),
    ],
)
def test_russian_plural_forms(n, expected):
    text = Localizer("ru").ngettext("{n} day in detention", "{n} days in detention", n)
    assert text.format(n=n) == expected


@pytest.mark.parametrize(("n", "expected"), [(0, "0 jour"), (1, "1 jour"), (2, "2 jours")])
def test_french_plural_forms(n, expected):
    text = Localizer("fr").ngettext("{n} day in detention", "{n} days in detention", n)
    assert text.format(n=n).startswith(expected + " ")


def test_labels_are_looked_up():
    assert Localizer("ru").gettext("Contents") == "Содержание"
    assert Localizer("fr").gettext("Page {page} of {pages}") == "Page {page} sur {pages}"
    assert Localizer("az").gettext("Key messages") == "Əsas mesajlar"
    assert Localizer("en").gettext("Contents") == "Contents"


# Words of the English status line that no other catalog's status line uses ("in", "to",
# "as", "risk", "exile", "arrest" are Italian, Romanian, Turkish, Slovak, Maltese... words too).
_ENGLISH_WORDS = {
    "since",
    "sentenced",
    "suspended",
    "sentence",
    "days",
    "detention",
    "imprisoned",
    "detained",
    "released",
    "acquitted",
    "pardoned",
    "deceased",
}


@pytest.mark.parametrize("language", TRANSLATED)
def test_status_line_is_fully_translated(language):
    """The status line, built in Python, has no English left in any of its variants.

    Catches labels looked up under a computed key (`_(key)`): extraction cannot see those,
    so the catalogs never get them and the output silently falls back to English.
    """
    english: dict[str, str] = {}  # English words -> an example line
    for status in sorted(STATUS_LABELS):
        for suspended, gender in itertools.product((False, True), (None, "female", "male")):
            for since, status_date in (("2014-08-02", None), (None, "2016-01-19")):
                case = Record(
                    status=status,
                    since=since,
                    status_date=status_date,
                    sentence=Record(years=7, months=6, suspended=suspended),
                    days_in_detention=21,
                    gender=gender,
                )
                line = status_line(case, Localizer(language))
                words = [w for w in re.findall(r"\w+", line) if w.lower() in _ENGLISH_WORDS]
                if words:
                    english.setdefault(" ".join(words), line)
    assert not english, f"{language}: English left in the status line:\n  " + "\n  ".join(
        f"{words!r}, e.g. {line!r}" for words, line in sorted(english.items())
    )


@pytest.mark.parametrize(
    ("language", "female", "male"),
    [("ru", "Задержана", "Задержан"), ("fr", "Détenue", "Détenu"), ("en", "Detained", "Detained")],
)
def test_status_words_agree_with_the_gender(language, female, male):
    def line(gender):
        case = Record(status="detained", since="2021-01-10", status_date=None, sentence=None,
                      days_in_detention=None, gender=gender)  # fmt: skip
        return status_line(case, Localizer(language))

    assert line("female").startswith(female + " ")
    assert line("male").startswith(male + " ")
    if language == "ru":  # no gender known: the neutral wording, not the masculine
        assert line(None).startswith("Под стражей ")


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        ("2014-08-02", "Détenu depuis le 2 août 2014"),  # a day's date takes the article
        ("2014-08", "Détenu depuis août 2014"),  # a month does not
        ("2014", "Détenu depuis 2014"),
    ],
)
def test_french_status_line_reads_as_french(since, expected):
    case = Record(status="detained", since=since, status_date=None, sentence=None,
                  days_in_detention=None, gender="male")  # fmt: skip
    assert status_line(case, Localizer("fr")) == expected
    english = status_line(case, Localizer("en"))
    assert english.startswith("Detained since ") and " the " not in english


# ----------------------------------------------------------------- the update


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """catalogs working on a copy of the package (code, templates, catalogs)."""
    copy = tmp_path / "briefgen"
    shutil.copytree(
        catalogs.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "fonts", "*.pyc", "starter")
    )
    monkeypatch.setattr(catalogs, "PACKAGE_DIR", copy)
    monkeypatch.setattr(catalogs, "LOCALE_DIR", copy / "locale")
    monkeypatch.setattr(catalogs, "POT_PATH", copy / "locale" / catalogs.POT_PATH.name)
    return copy


def test_update_changes_nothing_when_up_to_date(package_copy):
    changed = catalogs.update()
    assert changed == [], f"{[str(p) for p in changed]} differ from what the update writes: {UPDATE_HINT}"
    assert catalogs.update() == []


def test_new_label_is_reported_then_kept(package_copy):
    macros = package_copy / "templates" / "_macros.html.j2"
    text = macros.read_text(encoding="utf-8")
    text = text.replace("_('Key messages')", "_('Key message')")
    macros.write_text(text + "\n{{ _('A label added later') }}\n", encoding="utf-8")

    catalogs.update()
    found = catalogs.problems()
    for language in TRANSLATED:
        where = catalogs._rel(catalogs.po_path(language))
        assert f'{where}: untranslated: "A label added later"' in found
        assert f'{where}: fuzzy: "Key message"' in found
    en = read_catalog("en")
    assert en.get("A label added later").string == "A label added later"
    assert en.get("Key message").string == "Key message"
    ru = read_catalog("ru")
    assert ru.get("Contents").string == "Содержание"  # existing translations kept
    assert ru.get("Key message").string == "Ключевые тезисы"  # offered as a fuzzy suggestion
    assert ru.get("Key messages") is None and not ru.obsolete  # the old msgid is dropped

    for language in TRANSLATED:
        path = catalogs.po_path(language)
        po = path.read_text(encoding="utf-8")
        po = po.replace('msgid "A label added later"\nmsgstr ""', 'msgid "A label added later"\nmsgstr "…"')
        po = re.sub(r'#, fuzzy\n#\| msgid "Key messages"\n(msgid "Key message")', r"\1", po)
        path.write_text(po, encoding="utf-8")
    catalogs.update()
    assert catalogs.problems() == []
    assert catalogs.update() == []


def test_fuzzy_previous_msgid_survives_a_second_update(package_copy):
    # Babel's reader files `#|` lines under translator comments; written back as-is they
    # became `# | msgid` comments and the fuzzy entry lost the text it was made from.
    macros = package_copy / "templates" / "_macros.html.j2"
    text = macros.read_text(encoding="utf-8")
    macros.write_text(text.replace("_('Key messages')", "_('Key message')"), encoding="utf-8")
    catalogs.update()
    catalogs.update()
    ru = catalogs.po_path("ru").read_text(encoding="utf-8")
    assert '#, fuzzy\n#| msgid "Key messages"\nmsgid "Key message"\n' in ru
    assert "# | msgid" not in ru
    with catalogs.po_path("ru").open("rb") as handle:
        assert catalogs.read_po(handle, locale="ru").get("Key message").previous_id == ["Key messages"]


def test_init_adds_a_language(package_copy, capsys):
    # Albanian: a language briefgen has no built-in catalog for.
    assert catalogs.main(["--init", "sq"]) == 0
    assert "sq" in catalogs.languages()
    sq = read_catalog("sq")
    assert sq.num_plurals >= 1
    assert message_ids(sq) == message_ids(catalogs.extract())
    untranslated = [p for p in catalogs.problems() if "/sq/" in p]
    assert len(untranslated) == len(message_ids(sq))


def test_written_files_have_no_varying_headers():
    text = catalogs.POT_PATH.read_text(encoding="utf-8")
    assert "Generated-By" not in text
    assert re.search(r'"POT-Creation-Date: 2025-01-01 00:00\+0000\\n"', text)
    assert not re.search(r"^#: .*:\d+", text, re.M), "no line numbers: moving a label is no diff"


def test_locations_are_relative():
    for line in Path(catalogs.POT_PATH).read_text(encoding="utf-8").splitlines():
        if line.startswith("#: "):
            assert all(loc.startswith("briefgen/") for loc in line[3:].split()), line


@pytest.mark.parametrize(
    "language", [lang for lang in catalogs.languages() if lang not in catalogs.PLURAL_FORMS]
)
def test_plural_forms_are_the_locales(language):
    """Catalogs without a GNU gettext rule in PLURAL_FORMS use the locale's CLDR rule (Babel)."""
    from babel.messages.catalog import Catalog

    assert read_catalog(language).plural_forms == Catalog(locale=language).plural_forms


@pytest.mark.parametrize(
    ("language", "days"),
    [("en", "1,144 days in detention"), ("ru", "1\xa0144 дня под стражей"), ("de", "1.144 Tage Haft")],
)
def test_days_in_detention_are_written_as_the_charts_write_them(language, days):
    # The status line said "1144 days" beside a chart's "1,144 days" in the same brief.
    case = Record(status="detained", since="2013-01-01", status_date=None, sentence=None,
                  days_in_detention=1144, gender="male")  # fmt: skip
    line = status_line(case, Localizer(language))
    assert line.endswith(days), line
