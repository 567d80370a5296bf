"""Charts as the PDF writer lays them out (writers/pdf_charts.py): the drawing as an image.

The chart below is written by hand in the form charts/vega.py gives (an SVG with its
<title>, text as <text>), so no chart engine starts in the test process.
"""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pikepdf
import pypdfium2
import pytest
from conftest import no_resources, virtual_document

from briefgen.document import ResourceError
from briefgen.writers import pdf, pdf_charts

ALT = "Days in detention on 19 January 2016: Anar Mammadli 764, Leyla Yunus 541."
SVG = (
    '<svg role="img" xmlns="http://www.w3.org/2000/svg" version="1.1" width="400" height="60" '
    f'viewBox="0 0 800 120"><title>{ALT}</title><defs><clipPath id="c"><rect width="600" height="120"/>'
    '</clipPath></defs><g fill="none" transform="translate(200,8)">'
    '<g><text text-anchor="end" transform="translate(-12,28)" font-family="Noto Sans" '
    'font-size="23px" fill="#1a1a1a">Anar Mammadli</text>'
    '<text text-anchor="end" transform="translate(-12,72)" font-family="Noto Sans" '
    'font-size="23px" fill="#1a1a1a">Leyla Yunus</text></g>'
    '<g clip-path="url(#c)"><path d="M0,8h800v28h-800Z" fill="#1d4e89"/></g>'
    '<path d="M0,52h284v28h-284Z" fill="#1d4e89"/>'
    '<text transform="translate(408,30)" font-family="Noto Sans" font-size="23px" '
    'fill="#1a1a1a">764 days</text></g></svg>'
)
FIGURE = (
    '<figure class="chart chart-bar" id="chart-detention-days" '
    'data-chart="{&#34;kind&#34;: &#34;bar&#34;, &#34;alt&#34;: &#34;secret&#34;}">'
    f"{SVG}"
    '<details class="chart-data screen-only"><summary>Data table</summary><table><tbody>'
    '<tr><th scope="row">Anar Mammadli</th><td>764 days</td></tr></tbody></table></details>'
    '<figcaption><span class="chart-number">Figure 1.</span> Days in detention.</figcaption></figure>'
)
# As the worker hands documents to the writers: serialized by lxml (parsed.py's _serialize), which quotes
# data-chart's JSON with ' and writes SVG names in lower case (viewbox, clippath).
PAGE = lxml.html.tostring(
    lxml.html.document_fromstring(
        '<!DOCTYPE html><html lang="en"><head><title>Charts</title><style>'
        "figure.chart svg { display: block; width: 100%; height: auto; }"
        ".screen-only { display: none; }</style></head>"
        f"<body><h1>Detention</h1><p>Text before.</p>{FIGURE}<p>Text after.</p></body></html>"
    ),
    encoding="unicode",
    doctype="<!DOCTYPE html>",
)


def test_the_drawing_becomes_an_image_of_the_same_svg_and_the_figure_keeps_title_and_caption():
    assert "data-chart='{" in PAGE and "viewbox=" in PAGE and "<clippath" in PAGE  # as served
    html, read = pdf_charts.lighten(PAGE, no_resources)
    assert "<text" not in html and "<details" not in html and "data-chart" not in html
    assert f"<title>{ALT}</title>" in html
    assert '<svg role="img" xmlns="http://www.w3.org/2000/svg" version="1.1" width="400" height="60"' in html
    assert (
        '<image href="briefgen-chart:1" x="0" y="0" width="800" height="120"/></svg>' in html
    )  # the view box
    assert "<figcaption>" in html and "Text after." in html
    drawing, mime = read("briefgen-chart:1")
    assert mime == "image/svg+xml"
    # The same SVG, its names in their own case again for WeasyPrint's XML parser.
    assert b'viewBox="0 0 800 120"' in drawing and b'<clipPath id="c">' in drawing
    assert b">Anar Mammadli</text>" in drawing and b'clip-path="url(#c)"' in drawing
    with pytest.raises(ResourceError, match=r"logo\.png: not available"):
        read("file:///virtual/logo.png")  # everything else: the document's own reader


def test_html_without_chart_figures_is_left_as_it_is():
    # A figure of the template's own (no data-chart) is not a chart() figure.
    own = f'<html><body><figure class="chart">{SVG}<figcaption>Mine</figcaption></figure></body></html>'
    assert pdf_charts.lighten(PAGE.replace("chart chart-bar", "photo"), no_resources)[0] == PAGE.replace(
        "chart chart-bar", "photo"
    )
    html, read = pdf_charts.lighten(own, no_resources)
    assert html == own and read is no_resources


def _write(tmp_path: Path, name: str) -> Path:
    document = virtual_document(PAGE)
    return pdf.write(document, tmp_path / name).path


def test_the_pdf_is_tagged_searchable_and_drawn_as_from_the_inline_svg(tmp_path, monkeypatch):
    lightened = _write(tmp_path, "lightened.pdf")
    monkeypatch.setattr(pdf_charts, "lighten", lambda html, read: (html, read))
    inline = _write(tmp_path, "inline.pdf")

    with pikepdf.open(lightened) as document:
        figures = []

        def walk(node, depth=0):
            if depth > 50 or not isinstance(node, pikepdf.Dictionary):
                return
            if node.get("/S") == pikepdf.Name("/Figure"):
                figures.append(str(node.get("/Alt")))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid, depth + 1)

        walk(document.Root.StructTreeRoot)
    assert figures == [ALT]

    def pages(path: Path) -> tuple[list[str], list[bytes]]:
        document = pypdfium2.PdfDocument(str(path))
        try:
            texts = [page.get_textpage().get_text_range() for page in document]
            pixels = [page.render(scale=2).to_pil().tobytes() for page in document]
        finally:
            document.close()
        return texts, pixels

    texts, pixels = pages(lightened)
    assert "Anar Mammadli" in texts[0] and "764 days" in texts[0]  # the chart's text is text
    assert "secret" not in " ".join(texts)  # data-chart is never printed
    inline_texts, inline_pixels = pages(inline)
    assert texts == inline_texts
    assert pixels == inline_pixels
