"""Charts: an output's View -> figures in the HTML document, drawn the same in every format.

    spec   View + Localizer   -> ChartSpec per chart (data, labels, text alternative)
    vega   ChartSpec + Theme  -> SVG (PDF, HTML), PNG (Word's timeline)
    engine a build's charts   -> the drawing engine in a process of its own (engine_server),
                                 started early; prefetch sends it the planned charts
    word   ChartSpec payload  -> a native Word chart part and its embedded workbook
    table  ChartSpec          -> the data as an HTML table, folded under the chart on screen

The render stage places each chart as one <figure class="chart"> (see `ChartPlacer`): the
SVG inline, so WeasyPrint draws its text as text in the theme's fonts and tags it as a
/Figure whose /Alt is the SVG's <title>; the ChartSpec as JSON in `data-chart`, from which
the DOCX writer builds a native chart with the same numbers and the same alt text; a
caption with the number, title and source; for the web page the data as a table
(`table`, screen-only). Templates call `chart(name)`; the built-in ones show the brief's
`charts` in the order given.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from markupsafe import Markup, escape

from ..i18n import Localizer
from ..punctuation import ends_sentence, with_full_stop
from ..select import Record, View
from ..theme import Theme
from .spec import ChartSpec, anchor, brief_charts, chart_specs
from .table import data_table

__all__ = ["ChartPlacer", "ChartSpec", "brief_charts", "chart_specs"]


class ChartPlacer:
    """The charts of one rendering of an output: `chart(name)` for templates, numbered in the
    order they are placed."""

    def __init__(
        self,
        view: View,
        localizer: Localizer,
        theme: Theme,
        cite: Callable[[Record], str],
    ):
        self.localizer = localizer
        self.theme = theme
        self.cite = cite
        self.view = view
        self._specs: dict[str, ChartSpec] | None = None
        self._placed = 0
        # Whether the output is also written as DOCX (native charts, the timeline a picture):
        # set by the renderer from the output's formats, so their work can start ahead.
        self.pictures = False

    @property
    def specs(self) -> dict[str, ChartSpec]:
        if self._specs is None:  # computed only when a template shows a chart
            self._specs = chart_specs(self.view, self.localizer)
        return self._specs

    def listed(self) -> list[Record]:
        """The brief's charts with something to show, as templates see them: name and title."""
        if not self.view.charts:
            return []
        shown = brief_charts(self.view, self.specs)
        from .vega import prefetch, remote_engine
        from .word import NATIVE_KINDS, preload

        for spec in shown:  # drawn by the engine process while the template renders
            prefetch(spec, self.theme)
        if self.pictures and remote_engine() and any(s.kind in NATIVE_KINDS for s in shown):
            preload()  # meanwhile: the DOCX writer's python-pptx, needed anyway
        return [Record(name=s.name, title=s.title, kind=s.kind) for s in shown]

    def chart(self, name: str) -> Markup:
        """One chart as a <figure>; nothing when the audience may see none of its data."""
        spec = self.specs.get(name)
        if spec is None or spec.empty:
            return Markup("")
        from .vega import prefetch_png, svg
        from .word import NATIVE_KINDS

        self._placed += 1
        _ = self.localizer.gettext
        number = _("Figure {n}").format(n=self._placed)
        title = spec.title if ends_sentence(spec.title) else spec.title + "."
        caption = [f'<span class="chart-number">{escape(number)}.</span> {escape(title)}']
        if spec.sources:
            cited = "; ".join(self.cite(s) for s in spec.sources)
            label = str(escape(_("Source: {source}"))).format(source=cited)
            caption.append(f'<span class="chart-source">{with_full_stop(label)}</span>')
        payload = escape(json.dumps(spec.payload(), ensure_ascii=False, sort_keys=True))
        # role="img": one image named by its <title> for screen readers, not a scatter of
        # axis labels; its numbers are in the data table (web page only) below it.
        drawn = svg(spec, self.theme)
        if self.pictures and spec.kind not in NATIVE_KINDS:
            prefetch_png(drawn, self.theme)  # the DOCX's picture of a chart Word cannot draw
        drawn = drawn.replace("<svg ", '<svg role="img" ', 1)
        return Markup(
            f'<figure class="chart chart-{spec.kind}" id="{anchor(spec.name)}" data-chart="{payload}">'
            f"{drawn}{data_table(spec, self.localizer)}<figcaption>{' '.join(caption)}</figcaption></figure>"
        )

    def note(self, name: str) -> str | None:
        spec = self.specs.get(name)
        return spec.note if spec is not None else None
