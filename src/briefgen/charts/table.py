"""A chart's numbers as a table: ChartSpec -> a folded `<details>` for the web page.

A chart's text alternative (the SVG's <title>, the PDF's /Alt, Word's descr) states its data
in one sentence; for a timeline of many entries, or a figure whose author wrote a short
`alt`, that sentence is long or leaves numbers out. On the web page each chart also offers
its data as a table a screen reader can walk cell by cell and anyone can copy: for bars,
columns and lines the label and the value as printed beside the bar, for a timeline who,
what happened and when. It is made from the same ChartSpec as the drawing, so it shows
exactly what the chart shows, and nothing the audience may not see.

The table is marked `screen-only`: print (and so the PDF) and the DOCX leave it out; there
the chart's alt text and the DOCX's embedded workbook serve.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ..i18n import Localizer
from .spec import ChartSpec


def N_(message: str) -> str:
    """Marks a label for extraction into the catalogs; translated where it is used."""
    return message


DATA_TABLE = N_("Data table")


def data_table(spec: ChartSpec, localizer: Localizer) -> Markup:
    """`<details class="chart-data screen-only">` holding the chart's data as a table."""
    _ = localizer.gettext
    rows: list[str] = []
    if spec.kind == "timeline":
        head = f"<tr>{_th(_('Who'))}{_th(_('What happened'))}{_th(_('Date'))}</tr>"
        for event in spec.events:
            rows.append(
                f'<tr><th scope="row">{escape(event.lane)}</th><td>{escape(event.kind)}</td>'
                f"<td>{escape(event.shown)}</td></tr>"
            )
    else:
        # The labels' column needs no heading of its own: each label heads its row.
        head = f"<tr><td></td>{_th(spec.series or spec.title)}</tr>"
        for point in spec.points:
            label, value = escape(point.label), escape(point.text)
            rows.append(f'<tr><th scope="row">{label}</th><td class="number">{value}</td></tr>')
    return Markup(
        f'<details class="chart-data screen-only"><summary>{escape(_(DATA_TABLE))}</summary>'
        f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table></details>"
    )


def _th(text: str) -> str:
    return f'<th scope="col">{escape(text)}</th>'
