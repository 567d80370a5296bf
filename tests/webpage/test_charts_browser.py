"""Charts on the web page, in Chromium: the charts fixture (every chart kind, a confidential
case, timeline entry and figure) built as HTML for its public and cleared audiences, in
English and Russian. Each chart is one image whose accessible name (Chromium's own) is its
text alternative; its data is offered as a table, folded under it, with row and column
headers; the table shows what the chart shows and nothing the audience may not see; axe-core
finds no WCAG 2.2 A/AA violation with the tables open or closed; nothing scrolls sideways at
360 px. Screenshots in tests/artefacts/webpage/.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from charts.charts_support import independent_detention_days
from conftest import PROJECTS, copy_project
from webpage_support import (
    ax_role_and_name,
    axe_source,
    axe_violations,
    build_html,
    chromium_browser,
    open_page,
    screenshot,
)

pytestmark = pytest.mark.slow

PAGES = {
    "public-en": "charts-brief/charts-brief.public-readers.en.html",
    "cleared-en": "charts-brief/charts-brief.cleared.en.html",
    "public-ru": "charts-brief/charts-brief.public-readers.ru.html",
    "cleared-ru": "charts-brief/charts-brief.cleared.ru.html",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    # A copy: a build keeps its content cache in the project folder.
    project = copy_project("charts", tmp_path_factory.mktemp("project"))
    out = tmp_path_factory.mktemp("charts-web")
    build_html(project, out)
    return out


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as launched:
        yield launched


def charts_of(page) -> list[dict]:
    """Each chart's id, its spec (data-chart) and its table's rows as shown."""
    return page.evaluate(
        """() => [...document.querySelectorAll('figure.chart')].map(f => ({
                id: f.id,
                spec: f.dataset.chart,
                tables: f.querySelectorAll('details.chart-data table').length,
                rows: [...f.querySelectorAll('details.chart-data tr')].map(
                    r => [...r.cells].map(c => [c.tagName.toLowerCase(), c.getAttribute('scope'),
                                                c.textContent.trim()]))}))"""
    )


@pytest.mark.parametrize("name", PAGES)
def test_each_chart_is_one_image_named_by_its_text_alternative(built, browser, name):
    page = open_page(browser, built / PAGES[name], 1280)
    try:
        charts = charts_of(page)
        assert len(charts) >= 6
        for chart in charts:
            alt = json.loads(chart["spec"])["alt"]
            assert ax_role_and_name(page, f"#{chart['id']} > svg") == ("image", alt)
    finally:
        page.close()


@pytest.mark.parametrize("name", PAGES)
def test_each_chart_offers_its_data_as_a_table(built, browser, name):
    page = open_page(browser, built / PAGES[name], 1280)
    try:
        summary = "Data table" if name.endswith("-en") else "Таблица данных"
        for chart in charts_of(page):
            spec = json.loads(chart["spec"])
            assert chart["tables"] == 1
            head, *rows = chart["rows"]
            if spec["kind"] == "timeline":
                assert [c[1] for c in head] == ["col"] * 3
                expected = [[e["lane"], e["kind"], e["shown"]] for e in spec["events"]]
            else:
                assert head == [["td", None, ""], ["th", "col", spec["series"] or spec["title"]]]
                expected = [[p["label"], p["text"]] for p in spec["points"]]
            assert [[c[2] for c in row] for row in rows] == expected, chart["id"]
            assert all(row[0][:2] == ["th", "row"] for row in rows)  # each row headed by its label
            # Folded until asked for; the summary is a control with the table's name.
            details = f"#{chart['id']} details.chart-data"
            assert not page.is_visible(f"{details} table")
            assert ax_role_and_name(page, f"{details} > summary") == ("DisclosureTriangle", summary)
            page.click(f"{details} > summary")
            assert page.is_visible(f"{details} table")
        # Printing hides the tables: the PDF has the chart and its /Alt.
        page.emulate_media(media="print")
        assert not page.is_visible("details.chart-data")
    finally:
        page.close()


def test_the_tables_show_what_the_content_says_and_nothing_withheld(built, browser):
    page = open_page(browser, built / PAGES["public-en"], 1280)
    try:
        text = page.evaluate(
            "() => [...document.querySelectorAll('details.chart-data')].map(d => d.textContent).join(' ')"
        )
        rows = {c["id"]: c["rows"][1:] for c in charts_of(page)}
    finally:
        page.close()
    # Days per person, computed from the content files without briefgen's code.
    days = independent_detention_days(PROJECTS / "charts")
    assert {r[0][2]: r[1][2] for r in rows["chart-detention-days"]} == {
        name: f"{n:,} days" for name, n in days.items()
    }
    assert "Nightjar" not in text and "nightjar" not in text.lower()
    cleared = open_page(browser, built / PAGES["cleared-en"], 1280)
    try:
        shown = cleared.evaluate(
            "() => [...document.querySelectorAll('details.chart-data')].map(d => d.textContent).join(' ')"
        )
    finally:
        cleared.close()
    assert "Operation Nightjar" in shown  # positive control: the cleared audience sees it


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("name", ["cleared-en", "public-ru"])
def test_axe_finds_nothing_with_the_tables_open_or_closed(built, browser, name, width):
    page = open_page(browser, built / PAGES[name], width)
    try:
        assert axe_violations(page, axe_source()) == []
        page.evaluate("() => document.querySelectorAll('details.chart-data').forEach(d => d.open = true)")
        assert axe_violations(page, axe_source()) == []
        widths = page.evaluate(
            """() => ({scroll: document.documentElement.scrollWidth,
                       client: document.documentElement.clientWidth})"""
        )
        assert widths["scroll"] <= widths["client"] == width, widths
        # On a phone a chart keeps a readable size and scrolls in its own box; on a desktop
        # it fits the column.
        charts = page.evaluate(
            """() => [...document.querySelectorAll('figure.chart')].map(f => ({
                   svg: f.querySelector('svg').getBoundingClientRect().width,
                   scroll: f.scrollWidth, client: f.clientWidth}))"""
        )
        assert charts
        for chart in charts:
            assert chart["svg"] >= 500, chart
            assert (chart["scroll"] > chart["client"]) == (width < 600), chart
        screenshot(page, f"charts-{name}-{width}")
    finally:
        page.close()
