"""Charts as WeasyPrint lays them out: a document's HTML -> the same HTML with each chart's
drawing handed over as an SVG image resource, and a resource reader that serves them.

`chart(name)` places each chart inline (charts/__init__.py): the SVG with its <title>, the
screen-only data table and the chart's data in `data-chart`. For the PDF only the drawing
and the caption count, and WeasyPrint pays for every element of the inline markup: its
HTML parser (pure Python) reads each of the drawing's hundreds of elements, and the
cascade matches every stylesheet rule against each of them, although an inline <svg> is
drawn from its own attributes; a brief is laid out twice when the contents are decided.
So, for the layout only, each chart's <svg> keeps its root element and its <title> (the
/Alt of the /Figure WeasyPrint tags, and what `figure.chart svg` rules in a theme style)
and draws its content through one <image> of the same SVG, parsed by WeasyPrint's XML
parser without a cascade; the data table (display: none in print) and the `data-chart`
attribute (read by the DOCX writer) are left out. The pages are the same to the pixel,
with the same text and fonts; the PDF's content stream gains one clip per chart.
"""

from __future__ import annotations

import re
from collections.abc import Callable

ResourceReader = Callable[[str], tuple[bytes, str]]

# Only figures made by chart(): they carry data-chart, and nothing nests in them that
# could hold "</figure>" (the SVG, the data table and the caption are escaped text).
_FIGURE = re.compile(r'<figure class="chart[^"]*"[^>]*\sdata-chart="[^"]*"[^>]*>.*?</figure>', re.S)
_DATA = re.compile(r'\sdata-chart="[^"]*"')
_TABLE = re.compile(r'<details class="chart-data[^"]*">.*?</details>', re.S)
_SVG = re.compile(r"<svg\b[^>]*>.*?</svg>", re.S)
_TITLE = re.compile(r"<title>.*?</title>", re.S)
_SIZE = re.compile(r'\s(width|height)="([^"]+)"')
# A URL no template or stylesheet can name: only this module's reader answers it.
URL_PREFIX = "briefgen-chart:"


def lighten(html: str, read_resource: ResourceReader) -> tuple[str, ResourceReader]:
    """(the HTML to lay out, a reader that serves its charts' drawings, else `read_resource`)."""
    drawings: dict[str, bytes] = {}

    def drawing(match: re.Match) -> str:
        svg = match.group(0)
        head = svg[: svg.index(">") + 1]
        title = _TITLE.search(svg)
        size = dict(_SIZE.findall(head))
        if title is None or "width" not in size or "height" not in size:
            return svg  # not drawn by charts/vega.py: laid out as it is
        url = f"{URL_PREFIX}{len(drawings) + 1}"
        drawings[url] = svg.encode("utf-8")
        image = f'<image href="{url}" width="{size["width"]}" height="{size["height"]}"/>'
        return f"{head}{title.group(0)}{image}</svg>"

    def figure(match: re.Match) -> str:
        text = _TABLE.sub("", _DATA.sub("", match.group(0), count=1), count=1)
        return _SVG.sub(drawing, text, count=1)

    lightened = _FIGURE.sub(figure, html)
    if not drawings:
        return html, read_resource

    def read(url: str) -> tuple[bytes, str]:
        data = drawings.get(url)
        if data is not None:
            return data, "image/svg+xml"
        return read_resource(url)

    return lightened, read
