"""Charts, module by module: specs from the View, the SVG, the Word chart part and workbook."""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import UTC, date, datetime

import pytest
from charts_support import in_child, independent_detention_days, png_of, raw_svg_of, svg_of
from conftest import PROJECTS, REPO
from lxml import etree

from briefgen.charts import spec as chart_spec
from briefgen.charts import vega, word
from briefgen.charts.spec import ChartSpec, Point, chart_specs
from briefgen.i18n import Localizer
from briefgen.load import load_project
from briefgen.select import select_view
from briefgen.theme import BUILTIN_THEMES, load_theme

FIXTURE = PROJECTS / "charts"
THEME = load_theme(BUILTIN_THEMES / "default")


def view_of(root, brief_id, audience_id, language="en"):
    result = load_project(root)
    assert result.model is not None, [str(d) for d in result.diagnostics]
    model = result.model
    brief = next(b for b in model.project.briefs if b.id == brief_id)
    view, _ = select_view(model, brief, model.audience(audience_id), language)
    return view


def test_detention_days_of_the_repository_project_follow_from_content_and_as_of():
    view = view_of(REPO, "justice-behind-bars-brief", "eu-policymakers")
    spec = chart_specs(view, Localizer("en"))["detention-days"]
    assert {p.label: p.value for p in spec.points} == independent_detention_days(REPO)
    assert spec.alt.startswith("Days in detention on 19 January 2016: Anar Mammadli 764, ")


def test_a_person_held_in_two_cases_has_one_bar_counted_from_the_earlier_start(tmp_path):
    # "One bar per person deprived of liberty" (content-format.md): Boris, under house arrest
    # in his own case, also a subject of Anna's (imprisoned) case, had two bars, "Boris" and
    # "Boris (2)".
    import shutil

    root = tmp_path / "charts"
    shutil.copytree(FIXTURE, root)
    cases = root / "content" / "content.yaml"
    text = cases.read_text(encoding="utf-8")
    assert "    subjects: [anna-public]\n    status: imprisoned" in text
    cases.write_text(
        text.replace(
            "    subjects: [anna-public]\n    status: imprisoned",
            "    subjects: [anna-public, boris-house]\n    status: imprisoned",
        ),
        encoding="utf-8",
    )
    before = chart_specs(view_of(FIXTURE, "charts-brief", "cleared"), Localizer("en"))["detention-days"]
    after = chart_specs(view_of(root, "charts-brief", "cleared"), Localizer("en"))["detention-days"]
    days = {p.label: p.value for p in before.points}
    (anna,) = [label for label in days if label.startswith("Anna")]
    (boris,) = [label for label in days if label.startswith("Boris")]
    assert {p.label: p.value for p in after.points} == {
        **days,
        boris: max(days[anna], days[boris]),
    }


def test_removed_case_and_timeline_entry_are_never_counted_or_labelled():
    public = chart_specs(view_of(FIXTURE, "charts-brief", "public-readers"), Localizer("en"))
    cleared = chart_specs(view_of(FIXTURE, "charts-brief", "cleared"), Localizer("en"))
    # Anna's arrest on 10 January 2015 is public; her detention on 1 June 2014 confidential.
    assert {p.label: p.value for p in public["detention-days"].points} == {
        "Anna Publicova": 374,
        "Boris Homebound": 60,
    }
    assert {p.label: p.value for p in cleared["detention-days"].points} == {
        "Anna Publicova": 597,
        "Quillon Vantablack": 1081,
        "Boris Homebound": 60,
    }
    assert {p.label: p.value for p in public["case-status"].points} == {
        "Imprisoned": 1,
        "Under house arrest": 1,
        "Released": 1,
    }
    assert cleared["case-status"].points[0].label in ("Imprisoned", "Detained")
    assert "Operation Nightjar" not in public["case-timeline"].lanes
    assert "Operation Nightjar" in cleared["case-timeline"].lanes
    assert [e.date for e in public["case-timeline"].events if e.lane == "Anna Publicova"] == [
        "2015-01-10",
        "2015-09-01",
    ]
    assert "2014-06-01" in [e.date for e in cleared["case-timeline"].events]
    assert "nightjar-count" not in public and "nightjar-count" in cleared
    for text in (public[name].alt for name in public):
        assert "Nightjar" not in text and "Vantablack" not in text and "June 2014" not in text


def spaced(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_russian_labels_dates_and_plurals():
    specs = chart_specs(view_of(FIXTURE, "charts-brief", "public-readers", "ru"), Localizer("ru"))
    days = specs["detention-days"]
    assert spaced(days.title) == "Дни под стражей на 19 января 2016 г."
    assert [p.text for p in days.points] == ["374 дня", "60 дней"]
    assert days.points[0].label == "Анна Публикова"
    assert [p.text for p in specs["case-status"].points] == ["1 дело"] * 3
    assert specs["case-timeline"].title == "Хронология дел"
    assert [p.text for p in specs["prisoners-by-year"].points] == ["142", "98", "1\xa0250"]
    assert [p.text for p in specs["prisoners-trend"].points][1] == "85,5"
    assert spaced(specs["prisoners-trend"].points[0].label) == "март 2015"
    assert vega.time_locale("ru")["shortMonths"][0].startswith("янв")
    assert vega.number_locale("ru")["decimal"] == ","


def test_figure_alt_is_the_authors_when_given_and_made_from_the_data_otherwise():
    specs = chart_specs(view_of(FIXTURE, "charts-brief", "public-readers"), Localizer("en"))
    assert specs["releases-by-region"].alt == "Releases by region, most in the capital."
    assert specs["prisoners-by-year"].alt == (
        "Political prisoners at the end of each year (people): 2013 142, 2014 98, 2015 1,250."
    )


def _spec(kind="bar", points=None) -> ChartSpec:
    points = points or [Point("Alpha", 764, "764 days"), Point("Beta", 12, "12 days")]
    return ChartSpec(
        name="t", kind=kind, title="T", alt="Alt: Alpha 764, Beta 12.", language="en", points=points
    )


def test_svg_has_real_text_in_the_theme_font_and_the_alt_as_title():
    drawn = in_child(svg_of, _spec(), THEME)
    assert drawn.startswith("<svg")
    assert "<title>Alt: Alpha 764, Beta 12.</title>" in drawn
    assert re.search(r'<text[^>]*font-family="Noto Sans"[^>]*>764 days</text>', drawn)
    assert THEME.colors["brand"].lower() in drawn.lower()
    assert "aria-" not in drawn and 'fill="white"/>' not in drawn[:300]


def test_labels_vega_hides_for_overlap_are_removed_not_left_as_invisible_text():
    many = [Point(f"{2000 + i}", i, str(i)) for i in range(60)]
    drawn = in_child(svg_of, _spec("column", many), THEME)
    raw = in_child(raw_svg_of, _spec("column", many), THEME)
    assert re.search(r'<text[^>]*opacity="0"', raw), "the test needs Vega to hide some labels"
    assert not re.search(r'<text[^>]*opacity="0"', drawn)
    assert vega.clean_svg('<svg a="1"><text opacity="0">Secret</text><text>Shown</text></svg>', "x") == (
        '<svg a="1"><title>x</title><text>Shown</text></svg>'
    )


def test_a_drawing_carries_none_of_vegas_class_names():
    # Their words ("mark-rect role-mark") stood in every HTML output with a chart, and a
    # withheld name "Mark" was found in them by the confidentiality check.
    points = [Point("Leyla Yunus", 5, "5 days"), Point("Arif Yunus", 3, "3 days")]
    raw = in_child(raw_svg_of, _spec("bar", points), THEME)
    assert 'class="mark-' in raw, "the test needs Vega to write class names"
    drawn = in_child(svg_of, _spec("bar", points), THEME)
    assert " class=" not in drawn
    assert "Leyla Yunus" in drawn


def test_timeline_dates_are_on_a_utc_scale():
    vl = vega.vega_lite(
        chart_specs(view_of(FIXTURE, "charts-brief", "cleared"), Localizer("en"))["case-timeline"], THEME
    )
    x = vl["layer"][1]["encoding"]["x"]
    assert x["scale"]["type"] == "utc" and x["axis"]["formatType"] == "utc"


@pytest.mark.parametrize("kind", ["bar", "column", "line"])
def test_word_chart_part_has_unsigned_axis_ids_cached_values_and_the_workbook_link(kind):
    payload = _spec(kind).payload()
    xml = word.chart_xml(payload, THEME, "rId1").decode()
    ids = re.findall(r'<c:(?:axId|crossAx) val="([^"]+)"', xml)
    assert ids and all(i.isdigit() for i in ids)
    assert re.findall(r"<c:v>([^<]+)</c:v>", xml) == ["T", "Alpha", "Beta", "764", "12"]
    assert '<c:externalData r:id="rId1">' in xml
    assert '<c:autoTitleDeleted val="1"/>' in xml and '<c:roundedCorners val="0"/>' in xml
    assert "<c:legend>" not in xml and '<c:min val="0"/>' in xml  # as the SVG: no legend, from zero
    assert f'val="{THEME.color("brand")}"' in xml and 'typeface="Noto Sans"' in xml


def test_word_data_labels_carry_the_svgs_words_around_the_value():
    base = word.number_format("en", True)
    assert word.label_format("764 days", base) == (
        '[>=1000000]#","###","###"\xa0days";[>=1000]#","###"\xa0days";0"\xa0days"'
    )
    assert word.label_format("1 250", base) is None and word.label_format("", base) is None
    assert word.label_format('"Q" 5', base).endswith(';""\\""Q"\\""\xa0"0')
    payload = _spec("bar").payload()
    payload["points"][0]["text"], payload["points"][1]["text"] = "1 case", "12 cases"
    payload["points"].append({**payload["points"][1], "label": "Gamma", "text": "3 cases"})
    xml = word.chart_xml(payload, THEME, "rId1").decode()
    labels = etree.fromstring(xml.encode()).find(".//c:dLbls", word.NS)
    # The most common words for the series, a c:dLbl of its own for the bar that differs.
    (point,) = labels.findall("c:dLbl", word.NS)
    assert point.find("c:idx", word.NS).get("val") == "0"
    assert point.find("c:numFmt", word.NS).get("formatCode").endswith('0"\xa0case"')
    assert labels.find("c:numFmt", word.NS).get("formatCode").endswith('0"\xa0cases"')
    assert [etree.QName(c).localname for c in labels][:3] == ["dLbl", "numFmt", "spPr"]  # CT_DLbls order
    assert labels.find("c:txPr/a:bodyPr", word.NS).get("wrap") == "none"


def test_word_labels_with_tied_wordings_are_the_same_whatever_the_hash_seed():
    # "1 case" beside "12 cases": two wordings, one bar each. The series takes the first; a
    # choice by a set's order changed with PYTHONHASHSEED, and the DOCX's bytes with it.
    import subprocess
    import sys

    code = (
        "import sys; from briefgen.charts import word; from briefgen.charts.spec import ChartSpec, Point; "
        "from briefgen.theme import BUILTIN_THEMES, load_theme; "
        "spec = ChartSpec(name='t', kind='bar', title='T', alt='A', language='en', "
        "points=[Point('A', 1, '1 case'), Point('B', 12, '12 cases')]); "
        "theme = load_theme(BUILTIN_THEMES / 'default'); "
        "sys.stdout.write(word.chart_xml(spec.payload(), theme, 'rId1').decode())"
    )
    made = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(1, 7)
    }
    assert len(made) == 1
    (xml,) = made
    assert '<c:dLbl><c:idx val="1"/>' in xml  # the second bar's wording is its own


def test_workbook_is_dated_by_the_build_and_identical_whenever_it_is_made(monkeypatch):
    stamp = datetime(2016, 1, 19, tzinfo=UTC)
    first = word.workbook(_spec().payload(), stamp)
    import time

    time.sleep(1.1)  # XlsxWriter would write the current second
    assert word.workbook(_spec().payload(), stamp) == first
    with zipfile.ZipFile(io.BytesIO(first)) as book:
        core = book.read("docProps/core.xml").decode()
        assert "2016-01-19T00:00:00Z" in core
        assert {i.date_time for i in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        strings = book.read("xl/sharedStrings.xml").decode()
        assert "Alpha" in strings and "Beta" in strings


def test_png_fallback_is_print_resolution_without_metadata():
    from PIL import Image

    data = in_child(png_of, _spec(), THEME)
    with Image.open(io.BytesIO(data)) as image:
        assert round(image.info["dpi"][0]) == 300
        assert abs(image.width - vega.chart_width(THEME) * 300 / 96) < 3
        assert not ({"exif", "xmp", "icc_profile"} & set(image.info))
        assert not [k for k in image.info if k not in ("dpi",)]
    assert in_child(png_of, _spec(), THEME) == data


def test_unknown_chart_name_is_an_error_at_its_position(tmp_path):
    import shutil

    project = tmp_path / "p"
    shutil.copytree(FIXTURE, project)
    settings = project / "briefgen.yaml"
    settings.write_text(settings.read_text().replace("nightjar-count]", "prisoners-by-yaer]"))
    result = load_project(project)
    messages = [str(d) for d in result.diagnostics if d.is_error]
    [message] = messages
    line = next(
        i for i, text in enumerate(settings.read_text().splitlines(), start=1) if "prisoners-by-yaer" in text
    )
    assert message.startswith(f"briefgen.yaml:{line}:")
    assert "unknown chart 'prisoners-by-yaer'" in message and "prisoners-by-year" in message


def test_deprivation_counts_only_full_dates():
    from briefgen.select import Record

    case = Record(status="imprisoned", since="2014-08")
    assert chart_spec.deprivation_start(case) is None
    assert chart_spec.deprivation_start(Record(status="released", since="2014-08-02")) is None
    assert chart_spec.deprivation_start(Record(status="house-arrest", since="2014-08-02")) == date(2014, 8, 2)


def test_equal_labels_get_rows_of_their_own():
    points = [Point("Name withheld", 10, "10"), Point("Name withheld", 5, "5"), Point("A", 1, "1")]
    chart_spec._distinct(points)
    assert [p.label for p in points] == ["Name withheld", "Name withheld (2)", "A"]


def _timeline_with_long_names() -> ChartSpec:
    kinds = ["Arrest", "Search", "Charge", "Detention", "Trial", "Verdict", "Appeal", "Release", "Pardon"]
    kinds[4:4] = ["Detention extended"]
    kinds += ["Travel ban", "Citizenship revoked"]
    lanes = [f"Leyla and Arif Yunus {i}" for i in range(4)]
    events = [
        chart_spec.Event(lanes[i % 4], f"201{4 + i % 3}-0{1 + i % 9}-01", kind, "x")
        for i, kind in enumerate(kinds)
    ]
    return ChartSpec(
        name="case-timeline", kind="timeline", title="T", alt="A", language="en", events=events, lanes=lanes
    )


def test_a_timeline_legend_never_runs_past_the_drawings_right_edge():
    # Long lane names push the legend right; six columns of long kinds then ran off the
    # drawing and were cut ("Citizenship rev"). The drawing's right edge must stay blank.
    from PIL import Image

    data = in_child(png_of, _timeline_with_long_names(), THEME)
    with Image.open(io.BytesIO(data)) as image:
        grey = image.convert("L")
        width, height = grey.size
        assert grey.crop((width - 6, 0, width, height)).getextrema() == (255, 255)


def test_legend_columns_fit_the_room_the_lane_labels_leave():
    width = vega.chart_width(THEME)
    assert vega.legend_columns(["Arrest", "Verdict"], ["A"], width) == 2
    assert (
        vega.legend_columns(
            ["Arrest", "Verdict", "Release", "Travel ban", "Other"], ["Leyla and Arif Yunus"], width
        )
        == 5
    )
    # Each column as wide as its own widest entry: one long French kind does not make it one column.
    french = ["Arrestation", "Verdict", "Libération", "Interdiction de quitter le territoire", "Autre"]
    assert vega.legend_columns(french, ["Leyla and Arif Yunus"], width) == 3
    many = list("ABCDEFGHIJ")
    assert vega.legend_columns(many, ["A"], width) == 6  # never more than six
    long = ["Citizenship revoked", "Detention extended"] * 3
    assert vega.legend_columns(long, ["Leyla and Arif Yunus 0"], width) < vega.legend_columns(
        long, ["A"], width
    )
    assert vega.legend_columns(["拘留延长" * 8] * 3, ["A"], width) == 1  # wide characters
