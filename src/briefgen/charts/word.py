"""Native Word charts: a ChartSpec payload + the theme -> chart XML and its embedded workbook.

python-pptx writes the DrawingML chart (c:chartSpace) and, through XlsxWriter, the workbook
that holds its numbers, so an editor can restyle the chart or correct a number in Word.
Three things are fixed on the way out: python-pptx's axis ids are negative (the schema
wants unsigned ints), XlsxWriter stamps the workbook with the time it was made (the
build's fixed timestamp is written instead, and the workbook re-zipped with fixed dates),
and the chart is given the theme's colours and fonts, data labels instead of a value axis
(as the SVG), and no title of its own (the caption below carries it).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from datetime import UTC, datetime

from babel.numbers import format_decimal, get_group_symbol
from lxml import etree

from ..i18n import babel_locale
from ..theme import Theme

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"c": C, "a": A, "r": R}
CHART_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NATIVE_KINDS = ("bar", "column", "line")
FONT_SIZE = 900  # hundredths of a point: about the theme's small size
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def preload() -> None:
    """Import python-pptx's chart writer (about 0.1 s) ahead of the DOCX writer: the worker
    does it while the chart engine process draws the output's SVGs."""
    from pptx.chart.data import CategoryChartData  # noqa: F401
    from pptx.chart.xlsx import CategoryWorkbookWriter  # noqa: F401
    from pptx.chart.xmlwriter import ChartXmlWriter  # noqa: F401


def _c(tag: str) -> str:
    return f"{{{C}}}{tag}"


def chart_xml(payload: dict, theme: Theme, workbook_rid: str) -> bytes:
    """The chart part (word/charts/chartN.xml) for a bar, column or line chart."""
    from pptx.chart.xmlwriter import ChartXmlWriter
    from pptx.enum.chart import XL_CHART_TYPE

    kind = payload["kind"]
    chart_type = {
        "bar": XL_CHART_TYPE.BAR_CLUSTERED,
        "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
        "line": XL_CHART_TYPE.LINE_MARKERS,
    }[kind]
    xml = ChartXmlWriter(chart_type, _chart_data(payload)).xml
    root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(remove_blank_text=True))
    _positive_axis_ids(root)
    _style(root, payload, theme)
    external = etree.SubElement(root, _c("externalData"))
    external.set(f"{{{R}}}id", workbook_rid)
    etree.SubElement(external, _c("autoUpdate")).set("val", "0")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def workbook(payload: dict, timestamp: datetime) -> bytes:
    """The embedded workbook (categories in column A, values in B), dated `timestamp` and
    zipped with fixed entry dates, so equal charts give equal bytes."""
    from pptx.chart.xlsx import CategoryWorkbookWriter

    raw = CategoryWorkbookWriter(_chart_data(payload)).xlsx_blob
    stamp = timestamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(io.BytesIO(raw)) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    if "docProps/core.xml" in entries:
        entries["docProps/core.xml"] = re.sub(
            rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
            rb"\g<1>" + stamp.encode() + rb"\g<2>",
            entries["docProps/core.xml"],
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in entries:  # XlsxWriter's own order, which Excel expects
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            target.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()


def _chart_data(payload: dict):
    from pptx.chart.data import CategoryChartData

    values = [p["value"] for p in payload["points"]]
    integral = all(float(v).is_integer() for v in values)
    data = CategoryChartData(number_format=number_format(payload.get("language", "en"), integral))
    data.categories = [p["label"] for p in payload["points"]]
    data.add_series(payload["series"] or payload["title"], [int(v) if integral else v for v in values])
    return data


def number_format(language: str, integral: bool) -> str:
    """The values' Excel number format, grouping whole numbers as the output's language does.

    In `#,##0` the comma means "the reader's group separator": a Russian brief opened in an
    English Word would read "1,250" beside text that says "1 250". For whole numbers (days,
    counts) the language's own separator is written as a literal instead, one section per
    size; a language that leaves four-digit numbers ungrouped (Polish "1250") starts at
    10 000. A fraction keeps `#,##0.##`: only the reader's locale can set a decimal sign.
    """
    if not integral:
        return "#,##0.##"
    locale = babel_locale(language)
    group = get_group_symbol(locale)
    if not group.strip() and group not in ("\u00a0", "\u202f"):
        group = "\u00a0"  # a plain space would let Word break the number over two lines
    sep = '"' + group.replace('"', "") + '"'
    four_digits = format_decimal(1250, locale=locale) != "1250"
    smallest = 1000 if four_digits else 10000
    return f"[>=1000000]#{sep}###{sep}###;[>={smallest}]#{sep}###;0"


# The number in a label as the SVG prints it ("1 250 days", "764 дня", "4 cases").
_NUMBER_IN_LABEL = re.compile(r"[-\u2212]?\d(?:[\d\s\u00a0\u202f,.\u2019']*\d)?")


def label_format(text: str, base: str) -> str | None:
    """The number format that writes a bar's value as the SVG's label `text` does: `base`
    (number_format) with the label's words around it as literals (`0" days"`), so a Word
    chart says "764 days" as the PDF does and still shows the value an editor types. None
    when the label is the number alone (or holds none).

    Each label keeps its own words: "1 case" beside "4 cases", and Russian's three plurals,
    are what no one format can say (Excel's conditions cannot test a number's last digit)."""
    found = _NUMBER_IN_LABEL.search(text)
    if found is None:
        return None
    before, after = text[: found.start()], text[found.end() :]
    if not before.strip() and not after.strip():
        return None
    sections = []
    for section in base.split(";"):
        condition = re.match(r"(?:\[[^\]]*\])?", section).group()
        sections.append(condition + _literal(before) + section[len(condition) :] + _literal(after))
    return ";".join(sections)


def _literal(text: str) -> str:
    # No-break spaces: LibreOffice would otherwise wrap "764 / days" beside a short bar, where
    # the SVG keeps a label on one line. A quote is written outside the quotes, escaped.
    text = text.replace(" ", "\u00a0")
    return '"' + text.replace('"', '"\\""') + '"' if text else ""


def _positive_axis_ids(root: etree._Element) -> None:
    """python-pptx numbers axes -2068027336 and so on; CT_UnsignedInt forbids the sign."""
    mapping: dict[str, str] = {}
    for element in root.iter(_c("axId"), _c("crossAx")):
        value = element.get("val")
        mapping.setdefault(value, str(100_000_001 + len(mapping)))
        element.set("val", mapping[value])


def _style(root: etree._Element, payload: dict, theme: Theme) -> None:
    brand = theme.color("brand")
    text = theme.color("text")
    rule = theme.color("rule")
    font = theme.heading_font
    kind = payload["kind"]

    # chartSpace: language, square corners (Word rounds them when this is absent).
    date1904 = root.find("c:date1904", NS)
    lang = etree.Element(_c("lang"), val=_lang(payload.get("language", "en")))
    corners = etree.Element(_c("roundedCorners"), val="0")
    date1904.addnext(lang)
    lang.addnext(corners)

    chart = root.find("c:chart", NS)
    chart.find("c:autoTitleDeleted", NS).set("val", "1")  # the caption carries the title
    plot = chart.find("c:plotArea", NS)
    group = plot[0]  # c:barChart or c:lineChart
    series = group.find("c:ser", NS)

    # Series colour and data labels (the value each bar or point carries, as in the SVG).
    after_tx = series.find("c:tx", NS)
    if kind == "line":
        sp = _shape_properties(line=brand, width=28575)
        after_tx.addnext(sp)
        marker = etree.fromstring(
            f'<c:marker xmlns:c="{C}" xmlns:a="{A}"><c:symbol val="circle"/><c:size val="6"/>'
            f'<c:spPr><a:solidFill><a:srgbClr val="{brand}"/></a:solidFill><a:ln><a:noFill/></a:ln>'
            "</c:spPr></c:marker>"
        )
        existing = series.find("c:marker", NS)
        if existing is not None:
            series.remove(existing)
        sp.addnext(marker)
        anchor_after = marker
    else:
        sp = _shape_properties(fill=brand)
        after_tx.addnext(sp)
        invert = etree.Element(_c("invertIfNegative"), val="0")
        existing = series.find("c:invertIfNegative", NS)
        if existing is not None:
            series.remove(existing)
        sp.addnext(invert)
        anchor_after = invert
    labels = etree.fromstring(
        f'<c:dLbls xmlns:c="{C}" xmlns:a="{A}">'
        "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
        # On one line, as the SVG's: LibreOffice wraps "764 days" after the number otherwise.
        f"{_text_properties(font, text, FONT_SIZE, wrap=False)}"
        f'<c:dLblPos val="{"t" if kind == "line" else "outEnd"}"/>'
        '<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
        '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
    )
    _unit_labels(labels, payload)
    existing = series.find("c:dLbls", NS)
    if existing is not None:
        series.remove(existing)
    anchor_after.addnext(labels)

    if kind in ("bar", "column"):
        gap = group.find("c:gapWidth", NS)
        if gap is None:
            gap = etree.Element(_c("gapWidth"))
            group.find("c:axId", NS).addprevious(gap)
        gap.set("val", "60")

    cat_ax, val_ax = plot.find("c:catAx", NS), plot.find("c:valAx", NS)
    if kind == "bar":
        # First category at the top, as read; the value axis is left out, as in the SVG.
        cat_ax.find("c:scaling", NS).find("c:orientation", NS).set("val", "maxMin")
        val_ax.find("c:delete", NS).set("val", "1")
        grid = val_ax.find("c:majorGridlines", NS)
        if grid is not None:
            val_ax.remove(grid)
    else:
        grid = val_ax.find("c:majorGridlines", NS)
        if grid is not None:
            grid.append(_shape_properties(line=rule, width=6350))
        _ensure_scaling(val_ax)
        if payload.get("axis_title"):
            (grid if grid is not None else val_ax.find("c:axPos", NS)).addnext(
                _axis_title(payload["axis_title"], font, theme.color("muted"))
            )
    if all(p["value"] >= 0 for p in payload["points"]):
        # From zero, as the SVG: Word would start a line chart near its lowest value.
        etree.SubElement(val_ax.find("c:scaling", NS), _c("min")).set("val", "0")
    for legend in chart.findall("c:legend", NS):  # one series: the caption names it
        chart.remove(legend)
    for axis in (cat_ax, val_ax):
        axis.find("c:majorTickMark", NS).set("val", "none")
        tick_pos = axis.find("c:tickLblPos", NS)
        tick_pos.addnext(_shape_properties(line=rule, width=6350) if axis is cat_ax else _no_line())
        axis.find("c:spPr", NS).addnext(etree.fromstring(_text_properties(font, text, FONT_SIZE)))

    # No frame or fill around the chart; the theme's font for every text.
    for old in root.findall("c:txPr", NS):
        root.remove(old)
    chart.addnext(etree.fromstring(_text_properties(font, text, FONT_SIZE)))
    chart.addnext(_no_fill_no_line())


def _unit_labels(labels: etree._Element, payload: dict) -> None:
    """The words of each label (`764 days`) as its number format: the series' when every
    label has the same, else one c:dLbl per bar whose words differ from the most common."""
    values = [p["value"] for p in payload["points"]]
    base = number_format(payload.get("language", "en"), all(float(v).is_integer() for v in values))
    formats = [label_format(p.get("text", ""), base) for p in payload["points"]]
    if not any(formats):
        return
    # The first of the most common: a set's order would change with the hash seed, and the
    # file with it (builds are byte for byte the same).
    common = max(formats, key=formats.count)
    shared = list(labels)  # spPr, txPr, dLblPos, show*: each c:dLbl repeats them (CT_DLbl)
    for element in shared:
        labels.remove(element)
    for index, code in enumerate(formats):
        if code != common:
            point = etree.SubElement(labels, _c("dLbl"))
            etree.SubElement(point, _c("idx")).set("val", str(index))
            etree.SubElement(point, _c("numFmt"), formatCode=code or base, sourceLinked="0")
            point.extend(copy.deepcopy(element) for element in shared)
    if common:
        etree.SubElement(labels, _c("numFmt"), formatCode=common, sourceLinked="0")
    labels.extend(shared)


def _axis_title(text: str, font: str, colour: str) -> etree._Element:
    """The value axis' title (the figure's unit), turned as the SVG's."""
    title = etree.fromstring(
        f'<c:title xmlns:c="{C}" xmlns:a="{A}"><c:tx><c:rich><a:bodyPr rot="-5400000" vert="horz"/>'
        f'<a:lstStyle/><a:p><a:pPr><a:defRPr/></a:pPr><a:r><a:rPr sz="{FONT_SIZE}" b="0">'
        f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill><a:latin typeface=""/></a:rPr>'
        '<a:t/></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'
    )
    title.find(".//a:latin", NS).set("typeface", font)
    title.find(".//a:t", NS).text = text
    return title


def _ensure_scaling(axis: etree._Element) -> None:
    scaling = axis.find("c:scaling", NS)
    if scaling is not None and scaling.find("c:orientation", NS) is None:
        etree.SubElement(scaling, _c("orientation")).set("val", "minMax")


def _shape_properties(fill: str | None = None, line: str | None = None, width: int = 9525) -> etree._Element:
    inner = f'<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>' if fill else ""
    if line:
        inner += f'<a:ln w="{width}"><a:solidFill><a:srgbClr val="{line}"/></a:solidFill></a:ln>'
    else:
        inner += "<a:ln><a:noFill/></a:ln>"
    return etree.fromstring(f'<c:spPr xmlns:c="{C}" xmlns:a="{A}">{inner}</c:spPr>')


def _no_line() -> etree._Element:
    return etree.fromstring(f'<c:spPr xmlns:c="{C}" xmlns:a="{A}"><a:ln><a:noFill/></a:ln></c:spPr>')


def _no_fill_no_line() -> etree._Element:
    return etree.fromstring(
        f'<c:spPr xmlns:c="{C}" xmlns:a="{A}"><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'
    )


def _text_properties(font: str, colour: str, size: int, wrap: bool = True) -> str:
    font = font.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    body = "<a:bodyPr/>" if wrap else '<a:bodyPr wrap="none"/>'
    return (
        f'<c:txPr xmlns:c="{C}" xmlns:a="{A}">{body}<a:lstStyle/><a:p><a:pPr>'
        f'<a:defRPr sz="{size}" b="0"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
        f'<a:latin typeface="{font}"/><a:cs typeface="{font}"/></a:defRPr></a:pPr>'
        '<a:endParaRPr lang="en-US"/></a:p></c:txPr>'
    )


def _lang(language: str) -> str:
    return {"en": "en-GB", "ru": "ru-RU", "fr": "fr-FR", "az": "az-Latn-AZ"}.get(language, language)
