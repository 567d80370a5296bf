"""charts/table.py: a chart's data as the web page's table, from the same ChartSpec as the
drawing; row and column headers for screen readers; hidden in print, left out of the DOCX."""

from __future__ import annotations

from lxml import html as lxml_html

from briefgen.charts.spec import ChartSpec, Event, Point
from briefgen.charts.table import data_table
from briefgen.i18n import Localizer


def cells(markup: str) -> list[list[tuple[str, str | None, str]]]:
    table = lxml_html.fragment_fromstring(str(markup)).find(".//table")
    return [[(c.tag, c.get("scope"), c.text_content()) for c in row] for row in table.iter("tr")]


def test_bars_columns_and_lines_each_label_heads_its_value():
    spec = ChartSpec(
        name="detention-days",
        kind="bar",
        title="Days in detention on 19 January 2016",
        alt="…",
        language="en",
        series="Days in detention",
        points=[Point("Anar Mammadli", 764, "764 days"), Point("A & <B>", 2, "2 days")],
    )
    markup = str(data_table(spec, Localizer("en")))
    assert markup.startswith('<details class="chart-data screen-only"><summary>Data table</summary>')
    assert cells(markup) == [
        [("td", None, ""), ("th", "col", "Days in detention")],
        [("th", "row", "Anar Mammadli"), ("td", None, "764 days")],
        [("th", "row", "A & <B>"), ("td", None, "2 days")],  # escaped, shown as written
    ]


def test_a_timeline_says_who_what_and_when_in_the_outputs_language():
    spec = ChartSpec(
        name="case-timeline",
        kind="timeline",
        title="Хронология дел",
        alt="…",
        language="ru",
        events=[
            Event("Анар Мамедли", "2013-12-16", "Арест", "16 декабря 2013 г."),
            Event("Анар Мамедли", "2014-05-26", "Приговор", "26 мая 2014 г."),
        ],
        lanes=["Анар Мамедли"],
    )
    markup = str(data_table(spec, Localizer("ru")))
    assert "<summary>Таблица данных</summary>" in markup
    rows = cells(markup)
    assert [c[2] for c in rows[0]] == ["Имя", "Что произошло", "Дата"]
    assert all(c[1] == "col" for c in rows[0])
    assert rows[1:] == [
        [("th", "row", "Анар Мамедли"), ("td", None, "Арест"), ("td", None, "16 декабря 2013 г.")],
        [("th", "row", "Анар Мамедли"), ("td", None, "Приговор"), ("td", None, "26 мая 2014 г.")],
    ]
