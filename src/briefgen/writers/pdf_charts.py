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

# Attribute values in either quotes: the document's serializer (lxml) quotes data-chart's
# JSON with ' and escapes neither > nor the other quote in it.
_VALUE = r"""(?:"[^"]*"|'[^']*')"""
_OPEN = rf"""<figure\b(?:[^>"']|{_VALUE})*>"""
# Only figures made by chart(): class "chart ...", data-chart; nothing nests in them that
# could hold "</figure>" (the SVG, the data table and the caption are escaped text).
_FIGURE = re.compile(rf"({_OPEN})(.*?</figure>)", re.S)
_CHART_CLASS = re.compile(r"""\sclass=["']chart\b""")
_DATA = re.compile(rf"\sdata-chart={_VALUE}")
_TABLE = re.compile(r"""<details class=["']chart-data\b.*?</details>""", re.S)
_SVG = re.compile(rf"<svg\b(?:[^>\"']|{_VALUE})*>.*?</svg>", re.S)
_TITLE = re.compile(r"<title>.*?</title>", re.S)
_SIZE = re.compile(r"""\s(width|height)=["']([^"']+)["']""")
_NUMBER = r"([-+]?[\d.]+(?:e[-+]?\d+)?)"
_VIEW_BOX = re.compile(
    rf"""\sviewbox=["']\s*{_NUMBER}[\s,]+{_NUMBER}[\s,]+{_NUMBER}[\s,]+{_NUMBER}\s*["']""", re.I
)
# A URL no template or stylesheet can name: only this module's reader answers it.
URL_PREFIX = "briefgen-chart:"
# The serialized HTML writes SVG names in lower case (viewbox, clippath); HTML's parser puts
# them back (the HTML standard's tables, which tinyhtml5 keeps), an XML parser does not.
_SVG_TAGS = {
    name.lower(): name
    for name in [
        "altGlyph",
        "altGlyphDef",
        "altGlyphItem",
        "animateColor",
        "animateMotion",
        "animateTransform",
        "clipPath",
        "feBlend",
        "feColorMatrix",
        "feComponentTransfer",
        "feComposite",
        "feConvolveMatrix",
        "feDiffuseLighting",
        "feDisplacementMap",
        "feDistantLight",
        "feDropShadow",
        "feFlood",
        "feFuncA",
        "feFuncB",
        "feFuncG",
        "feFuncR",
        "feGaussianBlur",
        "feImage",
        "feMerge",
        "feMergeNode",
        "feMorphology",
        "feOffset",
        "fePointLight",
        "feSpecularLighting",
        "feSpotLight",
        "feTile",
        "feTurbulence",
        "foreignObject",
        "glyphRef",
        "linearGradient",
        "radialGradient",
        "textPath",
    ]
}
_TAG = re.compile(rf"""<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"']|{_VALUE})*)>""")
_ATTRIBUTE_NAME = re.compile(rf"(\s)([a-zA-Z][a-zA-Z0-9:-]*)(={_VALUE})")


def lighten(html: str, read_resource: ResourceReader) -> tuple[str, ResourceReader]:
    """(the HTML to lay out, a reader that serves its charts' drawings, else `read_resource`)."""
    drawings: dict[str, bytes] = {}

    def drawing(match: re.Match) -> str:
        svg = match.group(0)
        head = re.match(_OPEN.replace("figure", "svg"), svg).group(0)
        title = _TITLE.search(svg)
        size = dict(_SIZE.findall(head))
        if title is None or "width" not in size or "height" not in size:
            return svg  # not drawn by charts/vega.py: laid out as it is
        box = _VIEW_BOX.search(head)
        x, y, width, height = box.groups() if box else ("0", "0", size["width"], size["height"])
        url = f"{URL_PREFIX}{len(drawings) + 1}"
        drawings[url] = _xml_names(svg).encode("utf-8")
        # In the root's own units: the whole view box, which the root maps to its size.
        image = f'<image href="{url}" x="{x}" y="{y}" width="{width}" height="{height}"/>'
        return f"{head}{title.group(0)}{image}</svg>"

    def figure(match: re.Match) -> str:
        head, rest = match.group(1), match.group(2)
        if not _CHART_CLASS.search(head) or not _DATA.search(head):
            return match.group(0)  # a figure of the template's own
        return _DATA.sub("", head, count=1) + _SVG.sub(drawing, _TABLE.sub("", rest, count=1), count=1)

    lightened = _FIGURE.sub(figure, html)
    if not drawings:
        return html, read_resource

    def read(url: str) -> tuple[bytes, str]:
        data = drawings.get(url)
        if data is not None:
            return data, "image/svg+xml"
        return read_resource(url)

    return lightened, read


def _xml_names(svg: str) -> str:
    """`svg` with its element and attribute names in SVG's own case (viewBox, clipPath)."""
    from tinyhtml5.constants import adjust_svg_attributes

    def attribute(match: re.Match) -> str:
        name = adjust_svg_attributes.get(match.group(2).lower(), match.group(2))
        return match.group(1) + name + match.group(3)

    def tag(match: re.Match) -> str:
        name = _SVG_TAGS.get(match.group(2).lower(), match.group(2))
        return f"<{match.group(1)}{name}{_ATTRIBUTE_NAME.sub(attribute, match.group(3))}>"

    return _TAG.sub(tag, svg)  # only inside tags: a label's text stays as written
