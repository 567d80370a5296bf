"""Content format 1.2 end to end: every case fact read back from the dossier (PDF and DOCX,
English and Russian, gendered status words), and the protective marking on every page of
internal and confidential outputs (and nowhere on public ones). A withheld person's other
spellings as removed values: tests/security/test_security_other_spellings.py."""

from __future__ import annotations

import re
import zipfile

import pytest
from conftest import PROJECTS, build, docx_text, pdf_pages_text, pdf_text, words

pytestmark = pytest.mark.slow

CASEFILE = PROJECTS / "casefile"

# Each fact of the fixture as the trusted (confidential) dossier must show it: the label and
# its value are adjacent, so the pair is looked for as one run of words.
FACTS = {
    "en": [
        "Other spellings Alena Kovalchuk, Aliona Kavaltchouk",
        "Other spellings Igor Savitsky",
        "Born 12 April 1985",
        "Age 36 years",
        "Born 1979",
        "Region Hrodna region",
        "Region Vitebsk",
        "Occupation freelance journalist",
        "Occupation trade unionist",
        "Place of detention Pre-trial detention centre No. 1 in Minsk",
        "Place of detention Penal colony No. 9 in Horki",
        "Detention regime general regime",
        "Detention regime strict regime",
        "Held there since 20 May 2021",
        "Held there since 15 November 2021",
        "Held incommunicado yes",
        "Held incommunicado no",
        "Access to a lawyer none",
        "Access to a lawyer restricted",
        "Expected release 10 January 2024",
        "Expected release 3 October 2026",
        "Designations “extremist formations”, State Security Committee of Fixturia, February 2021",
        "“persons involved in terrorist activity”, State Security Committee of Fixturia",
        "Recognised as a political prisoner by Prisoner Watch Fixture, 20 January 2021",
        "Recognised as a prisoner of conscience by Conscience Fixture International, October 2021",
        "Alena reported on local courts for a decade before her arrest.",  # bio
        "Ihar led a strike committee at a potash plant.",
        "Untreated kidney condition reported by her family",  # health, confidential
        "5 years 6 months, strict-regime penal colony, Vitebsk Regional Court, 30 September 2021",
        "3 years (in absentia)",
    ],
    "ru": [
        "Другие написания имени Alena Kovalchuk, Aliona Kavaltchouk",
        "Другие написания имени Igor Savitsky",
        "Дата рождения 12 апреля 1985 г.",
        "Возраст 36 лет",
        "Дата рождения 1979",
        "Регион Гродненская область",
        "Регион Витебск",
        "Род занятий независимая журналистка",
        "Род занятий профсоюзный активист",
        "Место содержания СИЗО № 1 в Минске",
        "Место содержания ИК-9 в Горках",
        "Режим содержания общий режим",
        "Режим содержания усиленный режим",
        "Находится там с 20 мая 2021 г.",
        "Находится там с 15 ноября 2021 г.",
        "Без связи с внешним миром да",
        "Без связи с внешним миром нет",
        "Доступ к адвокату нет",
        "Доступ к адвокату ограничен",
        "Ожидаемое освобождение 10 января 2024 г.",
        "Ожидаемое освобождение 3 октября 2026 г.",
        "Внесение в списки «экстремистские формирования», Комитет госбезопасности Фиктурии, февраль 2021",
        "«лица, причастные к террористической деятельности», Комитет госбезопасности Фиктурии",
        "До ареста Алёна десять лет писала о местных судах.",
        "Игорь возглавлял стачечный комитет на калийном комбинате.",
        "Семья сообщает о нелеченом заболевании почек",
        "5 лет 6 месяцев, колония усиленного режима, Vitebsk Regional Court, 30 сентября 2021 г.",
        "3 года (заочно)",
    ],
}
# The new timeline types, each label and entry (apart: the type column wraps in the PDF).
TIMELINE = {
    "en": [
        "Designation", "Put on the list of extremist formations",
        "Incommunicado", "No letters delivered since this date",
        "Lawyer denied", "Lawyer refused entry to the detention centre",
        "Transfer", "Transferred to another detention centre",
    ],
    "ru": [
        "Внесение в список", "Внесена в список экстремистских формирований",
        "Изоляция", "С этого дня письма не доходят",
        "Отказ в допуске адвоката", "Адвоката не пустили в СИЗО",
        "Этапирование", "Переведена в другой СИЗО",
    ],
}  # fmt: skip
# Status words that agree with the person: Alena is a woman, Ihar a man.
GENDERED = {
    "en": [
        "Detained since 10 January 2021",
        "Recognised as a political prisoner by Prisoner Watch Fixture",
        "Imprisoned since 3 April 2021, sentenced to 5 years 6 months",
    ],
    "ru": [
        "Задержана с 10 января 2021 г.",
        "Признана политзаключённой (Фикстурный мониторинг), 20 января 2021 г.",
        "В заключении с 3 апреля 2021 г., осуждён на 5 лет 6 месяцев лишения свободы",
        "Признан узником совести (Фикстурный Интернационал совести), октябрь 2021",
    ],
}
WRONG_GENDER = {"ru": ["Задержан с 10 января", "Признан политзаключённым", "осуждена на 5 лет"], "en": []}

MARKINGS = {
    ("partners", "en"): "Internal: not for distribution",
    ("partners", "ru"): "Для служебного пользования: не распространять",
    ("trusted", "en"): "Confidential: Trusted colleagues only",
    ("trusted", "ru"): "Конфиденциально. Только для: Доверенные коллеги",
    ("board", "en"): "Internal: board members only",
    ("board", "ru"): "Для служебного пользования: только для членов правления",
}
DEFAULT_WORDS = ["Internal: not for distribution", "Для служебного пользования: не распространять"]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    target = tmp_path_factory.mktemp("casefile")
    build(CASEFILE, target, jobs=2)
    return target


def read(path):
    return pdf_text(path) if path.suffix == ".pdf" else docx_text(path)


# ---------------------------------------------------------------- the facts


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_fact_is_in_the_dossier(out, fmt, language):
    text = words(read(out / f"dossier/dossier.trusted.{language}.{fmt}"))
    missing = [fact for fact in FACTS[language] + GENDERED[language] if words(fact) not in text]
    for entry in TIMELINE[language]:
        # In the PDF a wrapped type label runs across the row's other cells: word by word.
        parts = [entry] if fmt == "docx" else entry.split()
        missing += [entry for part in parts if words(part) not in text]
    assert not missing, missing
    wrong = [w for w in WRONG_GENDER[language] if words(w) in text]
    assert not wrong, wrong


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_timeline_entry_cites_its_source(out, fmt):
    # The family's statement is cited by a timeline entry and nothing else: it is a
    # footnote in the timeline (and, like every source, listed at the end).
    path = out / f"dossier/dossier.trusted.en.{fmt}"
    title = words("Statement of the family (fixture)")
    if fmt == "pdf":
        assert words(pdf_text(path)).count(title) == 2
    else:
        with zipfile.ZipFile(path) as package:
            notes = package.read("word/footnotes.xml").decode()
        assert title in words(re.sub(r"<[^>]+>", "", notes))


def test_the_html_timeline_row_carries_the_citation(out):
    html = (out / "dossier/dossier.trusted.en.html").read_text(encoding="utf-8")
    row = re.search(r"<tr><td>1 March 2021</td>.*?</tr>", html, re.S)
    assert row and '<span class="footnote"><em>Statement of the family (fixture)</em>' in row.group(0)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_public_dossier_shows_no_withheld_facts(out, fmt):
    text = words(read(out / f"dossier/dossier.public.en.{fmt}"))
    assert words("Alena Kovalchuk") in text  # a visible person's other spellings are shown
    assert words("Exiled blogger") in text  # the withheld person under the pseudonym
    # the withheld person, the health note (confidential by default) and a detention
    # marked internal
    for hidden in ("Maksim Hiddenau", "Maxim Khiddenov", "Untreated kidney condition", "Penal colony No. 9"):
        assert words(hidden) not in text, hidden


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_cases_at_a_glance_name_the_place_of_detention(out, fmt):
    for language, header, place in (
        ("en", "Place of detention", "Pre-trial detention centre No. 1 in Minsk"),
        ("ru", "Место содержания", "СИЗО № 1 в Минске"),
    ):
        text = words(read(out / f"glance/glance.public.{language}.{fmt}"))
        assert words(header) in text
        if fmt == "docx":
            assert words(place) in text
        else:  # the PDF's text runs across the table's columns where cells wrap
            assert all(words(w) in text for w in place.split()), place


def test_event_times_are_shown(out):
    html = (out / "hearing/hearing.public.en.html").read_text(encoding="utf-8")
    assert "10 March 2022, 14:00–16:30 (Europe/Brussels)" in html


# ---------------------------------------------------------------- the marking


@pytest.mark.parametrize(("audience", "language"), sorted(MARKINGS))
def test_every_pdf_page_carries_the_marking(out, audience, language):
    marking = MARKINGS[(audience, language)]
    for brief in ("dossier", "glance"):
        path = out / f"{brief}/{brief}.{audience}.{language}.pdf"
        if not path.exists():
            continue
        pages = pdf_pages_text(path)
        assert len(pages) >= 2
        for number, page in enumerate(pages, start=1):
            # the bottom margin on every page; the cover also at the top and in its body
            assert words(page).count(words(marking)) == (3 if number == 1 else 1), (path.name, number)


def _story_parts(path) -> dict[str, str]:
    """Every header and footer part of a .docx, as text, by part name."""
    with zipfile.ZipFile(path) as package:
        names = [n for n in package.namelist() if re.match(r"word/(header|footer)\d*\.xml$", n)]
        return {n: "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", package.read(n).decode())) for n in names}


@pytest.mark.parametrize(("audience", "language"), sorted(MARKINGS))
def test_every_docx_header_and_footer_carries_the_marking(out, audience, language):
    marking = MARKINGS[(audience, language)]
    path = out / f"dossier/dossier.{audience}.{language}.docx"
    parts = _story_parts(path)
    # default and first-page (cover) header and footer: every page of the document
    assert len(parts) == 4, sorted(parts)
    for name, text in parts.items():
        assert marking in text, (name, text)
    with zipfile.ZipFile(path) as package:
        document = package.read("word/document.xml").decode()
    assert document.count("<w:headerReference") == 2 and document.count("<w:footerReference") == 2
    # and on the cover, in its own paragraph style
    assert re.search(r'<w:pStyle w:val="Marking"/>.*?' + re.escape(marking), document, re.S)


@pytest.mark.parametrize(("audience", "language"), sorted(MARKINGS))
def test_html_has_the_marking_banner(out, audience, language):
    html = (out / f"dossier/dossier.{audience}.{language}.html").read_text(encoding="utf-8")
    marking = MARKINGS[(audience, language)]
    assert f'<p class="marking" role="note">{marking}</p>' in html  # the cover's, for print
    # The web page opens with it as a banner (webnav.py) that stays in view on screen.
    body = html[html.index("<body") :].split(">", 1)[1].lstrip()
    assert body.startswith(
        '<div class="marking-banner screen-only" role="region" aria-labelledby="marking-banner">'
        f'<p id="marking-banner">{marking}</p></div>'
    )
    assert "position: sticky" in html


def test_custom_marking_replaces_the_default(out):
    for language in ("en", "ru"):
        for fmt in ("pdf", "docx", "html"):
            path = out / f"dossier/dossier.board.{language}.{fmt}"
            text = path.read_text(encoding="utf-8") if fmt == "html" else read(path)
            for default in DEFAULT_WORDS:
                assert words(default) not in words(text), (path.name, default)
    for fmt in ("pdf", "docx"):
        assert "Для служебного пользования" in read(out / f"dossier/dossier.partners.ru.{fmt}")
        assert "Internal" not in read(out / f"dossier/dossier.partners.ru.{fmt}")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_public_outputs_have_no_marking(out, language):
    for brief in ("dossier", "glance"):
        pdf = out / f"{brief}/{brief}.public.{language}.pdf"
        docx = out / f"{brief}/{brief}.public.{language}.docx"
        texts = [pdf_text(pdf), docx_text(docx), *_story_parts(docx).values()]
        for text in texts:
            for marking in (*MARKINGS.values(), "Confidential", "Конфиденциально"):
                assert words(marking) not in words(text), (brief, marking)
    html = (out / f"dossier/dossier.public.{language}.html").read_text(encoding="utf-8")
    assert 'class="marking"' not in html and "briefgen:marking" not in html
