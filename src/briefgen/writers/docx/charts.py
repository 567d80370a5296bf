"""A <figure class="chart"> -> a native Word chart (bar, column, line) or a PNG (timeline).

The figure's `data-chart` holds the ChartSpec the SVG was drawn from (see briefgen.charts),
so the Word chart has the same numbers, labels and text alternative as the PDF. A native
chart is a chart part (word/charts/chartN.xml) related from the document, with its
workbook as an embedded package part; its inline drawing carries the alt text in
wp:docPr/@descr. Word has no chart type for a timeline: that one goes in as a picture,
drawn from the same spec at print resolution.
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.oxml.shape import CT_Inline
from lxml import etree

from ...charts import word
from ...charts.spec import ChartSpec, Event, Point
from .oxml import EMU_PER_CM, EMU_PER_TWIP

if TYPE_CHECKING:
    from .html_walker import HtmlWalker
    from .walkstate import Ctx


def place_chart(walker: HtmlWalker, figure: etree._Element, ctx: Ctx) -> None:
    """The chart itself in a `Figure` paragraph, then the caption as the walker makes it."""
    try:
        payload = json.loads(figure.get("data-chart") or "")
    except ValueError:
        walker.warn_unknown(figure, "its chart data was unreadable; its caption was kept")
        payload = None
    if payload is not None:
        para = walker.new_paragraph(ctx, "Figure")
        width = ctx.width * EMU_PER_TWIP
        if payload["kind"] in word.NATIVE_KINDS:
            inline = _native(walker, payload, width)
        else:
            inline = _picture(walker, payload, width, ctx)
        para.add("drawing", payload=inline)
        p = para.finish()
        if p is not None:
            # Single line spacing: the style's proportional spacing (set for text) would
            # crop a drawing taller than a line in LibreOffice.
            ppr = p.find(qn("w:pPr"))
            spacing = ppr.find(qn("w:spacing"))
            if spacing is None:
                spacing = etree.SubElement(ppr, qn("w:spacing"))
            spacing.set(qn("w:line"), "240")
            spacing.set(qn("w:lineRule"), "auto")
    for child in figure:
        if isinstance(child.tag, str) and child.tag in ("figcaption", "p", "div"):
            walker.block(child, ctx)


def _native(walker: HtmlWalker, payload: dict, width: int) -> CT_Inline:
    main = walker.main_part
    package = main.package
    number = sum(1 for p in package.iter_parts() if p.partname.startswith("/word/charts/")) + 1
    chart_part = Part(PackURI(f"/word/charts/chart{number}.xml"), word.CHART_CONTENT_TYPE, b"", package)
    book = Part(
        PackURI(f"/word/embeddings/Microsoft_Excel_Worksheet{number}.xlsx"),
        word.XLSX_CONTENT_TYPE,
        word.workbook(payload, walker.doc.timestamp),
        package,
    )
    book_rid = chart_part.relate_to(book, RT.PACKAGE)
    chart_part._blob = word.chart_xml(payload, walker.doc.theme, book_rid)
    rid = main.relate_to(chart_part, RT.CHART)
    rows = len(payload["points"])
    height = (rows * 0.75 + 0.6) * EMU_PER_CM if payload["kind"] == "bar" else 7 * EMU_PER_CM
    shape_id = next(walker._shape_ids)
    inline = parse_xml(
        f'<wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        f'xmlns:a="{word.A}" xmlns:c="{word.C}" xmlns:r="{word.R}" distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{width}" cy="{round(height)}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name="Chart {shape_id}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="{word.C}"><c:chart r:id="{rid}"/></a:graphicData></a:graphic>'
        "</wp:inline>"
    )
    inline.find(f"{{{inline.nsmap['wp']}}}docPr").set("descr", payload["alt"])
    return inline


def _picture(walker: HtmlWalker, payload: dict, width: int, ctx: Ctx) -> CT_Inline:
    from ...charts.vega import png, svg

    spec = spec_from_payload(payload)
    data = png(svg(spec, walker.doc.theme), walker.doc.theme)
    rid, image = ctx.part.get_or_add_image(io.BytesIO(data))
    height = round(width * image.px_height / max(image.px_width, 1))
    shape_id = next(walker._shape_ids)
    inline = CT_Inline.new_pic_inline(shape_id, rid, f"{payload['name']}.png", width, height)
    for side in ("distT", "distB", "distL", "distR"):
        inline.set(side, "0")
    inline.docPr.set("descr", payload["alt"])
    for cnvpr in inline.xpath(".//pic:cNvPr"):
        cnvpr.set("descr", payload["alt"])
    return inline


def spec_from_payload(payload: dict) -> ChartSpec:
    """The ChartSpec a figure's data-chart was written from (its drawing is cached by it)."""
    fields = dict(payload)
    fields["points"] = [Point(**p) for p in payload.get("points", [])]
    fields["events"] = [Event(**e) for e in payload.get("events", [])]
    return ChartSpec(**fields)
