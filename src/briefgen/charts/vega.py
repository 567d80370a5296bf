"""Drawing: a ChartSpec + the theme -> an SVG (for the PDF and HTML) or a PNG (Word's timeline).

The spec becomes a Vega-Lite specification, drawn by vl-convert (Vega in an embedded
JavaScript engine, no browser). All text the chart shows was worded by spec.py in the
output's language; Vega formats only axis ticks, with number and month names taken from
Babel's locale data. Dates sit on a UTC scale, so no time zone moves a point.

The SVG is cleaned for print: Vega hides labels that would overlap by making them
transparent, and a transparent text is still text in a PDF (searchable, copied, read
aloud), so those are removed; the chart's text alternative becomes its <title>, which
WeasyPrint writes as the /Alt of the /Figure it tags.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from babel.dates import get_day_names, get_month_names, get_period_names
from babel.numbers import get_decimal_symbol, get_group_symbol
from markupsafe import escape

from ..i18n import babel_locale
from ..kept import Kept
from ..theme import Theme
from . import drawings
from .engine import Connection, EngineUnavailable, font_dirs, png_request, svg_request
from .engine_server import VL_VERSION, print_png
from .spec import ChartSpec

CHART_FONT_PX = 11.5  # about the theme's small size (8.5 pt) at 96 px to the inch
PAGE_WIDTH_MM = {"A4": 210, "A5": 148, "Letter": 215.9, "Legal": 215.9}
# After the theme's own colours, a palette that stays apart for colour-blind readers (Okabe-Ito).
EXTRA_COLOURS = ("#e69f00", "#009e73", "#56b4e9", "#cc79a7", "#d55e00", "#0072b2", "#f0e442", "#999999")
PNG_PPI = 300  # print resolution for the raster fallback


def chart_width(theme: Theme) -> int:
    """The text column's width in CSS px: the chart is drawn at the size it is printed."""
    page = theme.page
    size = str(page.get("size", "A4"))
    width = PAGE_WIDTH_MM.get(size.split()[0], 210)
    margins = float(page.get("margin_inner", 22)) + float(page.get("margin_outer", 22))  # type: ignore[arg-type]
    return round((width - margins) / 25.4 * 96)


def palette(theme: Theme) -> list[str]:
    colours = [theme.colors.get(name) for name in ("brand", "accent", "muted")]
    return [c for c in colours if c] + list(EXTRA_COLOURS)


def vega_lite(spec: ChartSpec, theme: Theme) -> dict:
    """The Vega-Lite specification that draws `spec` in the theme's fonts and colours."""
    width = chart_width(theme)
    colours = theme.colors
    text, muted, rule = (
        colours.get("text", "#1a1a1a"),
        colours.get("muted", "#5b6770"),
        colours.get("rule", "#ccc"),
    )
    config = {
        "font": theme.heading_font,
        "background": None,
        "aria": False,
        "padding": {"left": 0, "right": 4, "top": 4, "bottom": 0},
        "view": {"stroke": None},
        "axis": {
            "labelColor": text,
            "labelFontSize": CHART_FONT_PX,
            "titleColor": muted,
            "titleFontSize": CHART_FONT_PX,
            "titleFontWeight": "normal",
            "gridColor": rule,
            "domainColor": rule,
            "tickColor": rule,
            "labelOverlap": True,
        },
        "legend": {
            "labelColor": text,
            "labelFontSize": CHART_FONT_PX,
            "orient": "bottom",
            "title": None,
            "symbolSize": 70,
            "columns": 4,
            "labelLimit": 220,
        },
        "text": {"fontSize": CHART_FONT_PX, "color": text},
    }
    base = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": width,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": config,
    }
    brand = colours.get("brand", "#1d4e89")
    if spec.kind == "timeline":
        return {**base, **_timeline(spec, theme, width)}
    values = [{"label": p.label, "value": p.value, "text": p.text} for p in spec.points]
    top = max([p.value for p in spec.points] + [0])
    bottom = min([p.value for p in spec.points] + [0])
    if spec.kind == "bar":
        label_limit = round(width * 0.38)
        return {
            **base,
            "height": {"step": 22},
            "data": {"values": values},
            "encoding": {
                "y": {
                    "field": "label",
                    "type": "nominal",
                    "sort": None,
                    "axis": {"title": None, "domain": False, "ticks": False, "labelPadding": 6,
                             "labelLimit": label_limit, "labelOverlap": False},
                },
                # The value axis is left out: each bar carries its value as text, and room
                # is kept to its right for that text.
                "x": {"field": "value", "type": "quantitative", "axis": None,
                      "scale": {"domain": [min(bottom, 0), top * 1.3 or 1], "nice": False}},
            },
            "layer": [
                {"mark": {"type": "bar", "color": brand, "height": {"band": 0.68}}},
                {"mark": {"type": "text", "align": "left", "dx": 4, "baseline": "middle"},
                 "encoding": {"text": {"field": "text"}}},
            ],
        }  # fmt: skip
    x_axis = {"title": None, "labelAngle": 0, "domain": True, "ticks": False, "labelPadding": 4}
    y_axis = {"title": spec.axis_title or None, "grid": True, "domain": False, "ticks": False,
              "tickCount": 5, "format": ",~r"}  # fmt: skip
    encoding = {
        "x": {"field": "label", "type": "ordinal", "sort": None, "axis": x_axis},
        "y": {"field": "value", "type": "quantitative", "axis": y_axis,
              "scale": {"domain": [min(bottom, 0), top * 1.15 or 1], "nice": True}},
    }  # fmt: skip
    if spec.kind == "column":
        layers = [
            {"mark": {"type": "bar", "color": brand, "width": {"band": 0.62}}},
            {
                "mark": {"type": "text", "baseline": "bottom", "dy": -3},
                "encoding": {"text": {"field": "text"}},
            },
        ]
    else:  # line
        layers = [
            {"mark": {"type": "line", "color": brand, "strokeWidth": 2}},
            {"mark": {"type": "point", "color": brand, "filled": True, "size": 40}},
            {
                "mark": {"type": "text", "baseline": "bottom", "dy": -6},
                "encoding": {"text": {"field": "text"}},
            },
        ]
    return {**base, "height": 220, "data": {"values": values}, "encoding": encoding, "layer": layers}


def _timeline(spec: ChartSpec, theme: Theme, width: int) -> dict:
    values = [{"lane": e.lane, "t": e.date, "kind": e.kind, "shown": e.shown} for e in spec.events]
    kinds = list(dict.fromkeys(e.kind for e in spec.events))
    colours = palette(theme)
    first, last = min(e.date for e in spec.events), max(e.date for e in spec.events)
    long_span = int(last[:4]) - int(first[:4]) >= 2
    # A tick per year over long spans, else every three months; labels Vega would crowd
    # are hidden by labelOverlap and then removed from the SVG.
    ticks = {"interval": "year", "step": 1} if long_span else {"interval": "month", "step": 3}
    x = {
        "field": "t",
        "type": "temporal",
        "scale": {"type": "utc", "nice": True},
        "axis": {"title": None, "format": "%Y" if long_span else "%b %Y", "formatType": "utc",
                 "grid": True, "tickCount": ticks, "labelOverlap": True, "labelFlush": True},
    }  # fmt: skip
    y = {"field": "lane", "type": "nominal", "sort": spec.lanes,
         "axis": {"title": None, "domain": False, "ticks": False, "labelPadding": 6,
                  "labelLimit": round(width * 0.3), "grid": False}}  # fmt: skip
    return {
        "height": {"step": 27},
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "rule", "color": theme.colors.get("rule", "#ccc"), "strokeWidth": 2},
                "encoding": {
                    "y": y,
                    "x": {**x, "aggregate": "min"},
                    "x2": {"field": "t", "aggregate": "max"},
                },
            },
            {
                "mark": {"type": "point", "filled": True, "size": 90, "opacity": 1, "stroke": "white",
                         "strokeWidth": 1},
                "encoding": {
                    "y": y,
                    "x": x,
                    "color": {"field": "kind", "type": "nominal", "sort": kinds,
                              "scale": {"domain": kinds, "range": colours[: max(len(kinds), 1)]},
                              "legend": {"columns": legend_columns(kinds, spec.lanes, width)}},
                    "shape": {"field": "kind", "type": "nominal", "sort": kinds,
                              "scale": {"domain": kinds}},
                },
            },
        ],
    }  # fmt: skip


# ------------------------------------------------------------------ drawing

_SVG_CACHE: Kept[str] = Kept(8_000_000, size=len)
_TRANSPARENT_TEXT = re.compile(r'<text\b[^>]*\bopacity="0"[^>]*>.*?</text>', re.S)
_BACKGROUND = re.compile(r'<rect width="[\d.]+" height="[\d.]+" fill="white"/>')
_ARIA = re.compile(r'\s(?:aria-[a-z]+|role)="[^"]*"')
# Vega's own class names ("mark-rect role-mark layer_0_marks"): no stylesheet uses them, and
# their words ("mark") stood in every output for the confidentiality check to trip over.
_CLASS = re.compile(r'\sclass="[^"]*"')


def legend_columns(labels: list[str], lanes: list[str], width: int) -> int:
    """How many legend entries fit side by side under a timeline. Vega puts the legend under
    the plot, which starts after the lanes' labels, in a grid it never wraps: a column too
    many runs past the drawing's right edge and is cut off ("Citizenship rev")."""
    if not labels:
        return 1
    room = width - min(max((_text_px(lane) for lane in lanes), default=0), round(width * 0.3)) - 6
    widths = [_text_px(label) + 10 + 4 + 10 for label in labels]  # symbol, gap, column padding
    for columns in range(min(len(labels), 6), 1, -1):
        # Entries fill the rows left to right; each column is as wide as its widest entry.
        if sum(max(widths[column::columns]) for column in range(columns)) <= room:
            return columns
    return 1


def _text_px(text: str) -> float:
    """A generous estimate of `text`'s width at the chart's font size: wide (CJK) characters
    an em, others 0.62 em (Noto Sans averages about 0.55 em, capitals more)."""
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.62 for c in text)
    return ems * CHART_FONT_PX


def svg(spec: ChartSpec, theme: Theme) -> str:
    """The chart as an SVG element, its text alternative as its <title>; cached by content,
    so the copies of a mailing and the two renderings of a long brief draw it once."""
    vl = vega_lite(spec, theme)
    key = _svg_key(vl, spec)
    kept = _SVG_CACHE.get(key)
    if kept is None:
        kept = clean_svg(_draw(vl, spec.language, theme), spec.alt)
        _SVG_CACHE.put(key, kept)
    return kept


def _svg_key(vl: dict, spec: ChartSpec) -> str:
    return hashlib.sha256(json.dumps([vl, spec.alt, spec.language], sort_keys=True).encode()).hexdigest()


def clean_svg(drawn: str, alt: str) -> str:
    """Vega's SVG without hidden labels, background, ARIA noise or class names, titled with
    `alt`."""
    drawn = _TRANSPARENT_TEXT.sub("", drawn)
    drawn = _BACKGROUND.sub("", drawn, count=1)
    drawn = _CLASS.sub("", _ARIA.sub("", drawn))
    head_end = drawn.index(">") + 1
    head = drawn[:head_end]
    return f"{head}<title>{escape(alt)}</title>{drawn[head_end:]}"


def png(svg_text: str, theme: Theme) -> bytes:
    """The SVG at print resolution as a PNG without metadata (engine_server.print_png), drawn
    by the engine process when there is one; kept for the next copy of a mailing, whose DOCX
    shows the same picture (asking, flattening and encoding it took 0.16 s a copy)."""
    key = (svg_text, _font_dirs(theme))
    data = _PNG_CACHE.get(key)
    if data is None:
        data = _png(svg_text, theme)
        _PNG_CACHE.put(key, data)
    return data


# A preview server draws new ones for hours: the last few pictures (some 100 kB each), and
# some megabytes of drawings.
_PNG_CACHE: Kept[bytes] = Kept(16)


def _png(svg_text: str, theme: Theme) -> bytes:
    request = picture_request(svg_text, theme)
    drawn = drawings.kept(request)
    if drawn is None:
        drawn = _remote(request)
        if drawn is None:
            raw = _vl_convert(_font_dirs(theme)).svg_to_png(svg_text, scale=PNG_PPI / 96)
            drawn = print_png(raw, PNG_PPI)
        drawings.keep(request, drawn)
    return drawn


def _draw(vl: dict, language: str, theme: Theme) -> str:
    request = drawing_request(vl, language, theme)
    drawn = drawings.kept(request)
    if drawn is None:
        drawn = _remote(request)
        if drawn is None:
            vlc = _vl_convert(_font_dirs(theme))
            drawn = vlc.vegalite_to_svg(
                vl,
                vl_version=VL_VERSION,
                format_locale=number_locale(language),
                time_format_locale=time_locale(language),
            ).encode("utf-8")
        drawings.keep(request, drawn)
    return drawn.decode("utf-8")


def drawing_request(vl: dict, language: str, theme: Theme) -> dict:
    """What the engine process is asked for `vl` (engine.py): equal charts, equal requests."""
    return svg_request(vl, number_locale(language), time_locale(language), list(_font_dirs(theme)))


def picture_request(svg_text: str, theme: Theme) -> dict:
    """What the engine process is asked for the PNG of `svg_text` (the DOCX's picture)."""
    return png_request(svg_text, PNG_PPI, list(_font_dirs(theme)))


# ------------------------------------------------------------------ the engine process

_CONNECTION: list[Connection] = []  # this process's connection to an engine process, if any


def use_engine(address: str | None) -> None:
    """Draw through the engine process at `address` (engine.py); None: in this process."""
    if _CONNECTION and _CONNECTION[0].address == address:
        return
    for connection in _CONNECTION:
        connection.close()
    _CONNECTION[:] = [Connection(address)] if address else []


def remote_engine() -> bool:
    return bool(_CONNECTION)


def prefetch(spec: ChartSpec, theme: Theme) -> None:
    """Ask the engine process for `spec`'s drawing now and read it when `svg` needs it; not
    for a chart this process has drawn already (the next copy of a mailing), nor for one kept
    on disk (drawings.py)."""
    if _CONNECTION and not spec.empty:
        vl = vega_lite(spec, theme)
        key = _svg_key(vl, spec)
        if key not in _SVG_CACHE:
            request = drawing_request(vl, spec.language, theme)
            kept = drawings.kept(request)
            if kept is not None:
                _SVG_CACHE.put(key, clean_svg(kept.decode("utf-8"), spec.alt))
            else:
                _submit(request)


def prefetch_png(svg_text: str, theme: Theme) -> None:
    """Ask the engine process for the picture `png(svg_text)` will need (the DOCX's timeline),
    drawn there while this process lays out the PDF; not for one this process holds."""
    key = (svg_text, _font_dirs(theme))
    if _CONNECTION and key not in _PNG_CACHE:
        request = picture_request(svg_text, theme)
        kept = drawings.kept(request)
        if kept is not None:
            _PNG_CACHE.put(key, kept)
        else:
            _submit(request)


def output_done() -> None:
    """The output being rendered has ended: the engine connection keeps none of its answers
    that were sent ahead and never asked for (engine.Connection.forget_unread)."""
    if _CONNECTION:
        _CONNECTION[0].forget_unread()


def _submit(request: dict) -> None:
    try:
        _CONNECTION[0].submit(request)
    except EngineUnavailable:
        _CONNECTION.clear()


def _remote(request: dict) -> bytes | None:
    """The engine process's answer, or None: then this process draws (same engine, same bytes)."""
    if not _CONNECTION:
        return None
    try:
        return _CONNECTION[0].answer(request)
    except EngineUnavailable as exc:
        if exc.gone:
            _CONNECTION.clear()  # no more asking a process that has ended
        return None


def _font_dirs(theme: Theme) -> tuple[str, ...]:
    return tuple(font_dirs(theme))


_ENGINE_PID: list[int] = []


def _vl_convert(font_dirs: tuple[str, ...]):
    """vl-convert, with the theme's fonts registered so that Vega measures label widths
    with the fonts the PDF will use.

    Its JavaScript engine runs in threads that a fork does not copy: a process that has
    drawn a chart must not fork workers that draw (they would wait for ever). briefgen's
    main process never draws; a program that draws and then builds (a test, a notebook)
    gets spawned workers (pool.start_method); a forked worker that inherits a started
    engine says so."""
    import os

    if _ENGINE_PID and _ENGINE_PID[0] != os.getpid():
        raise RuntimeError("the chart engine was started before this worker was forked")
    return _engine(font_dirs)


@cache
def _engine(font_dirs: tuple[str, ...]):
    import os

    import vl_convert

    _ENGINE_PID[:] = [os.getpid()]
    for folder in font_dirs:
        if Path(folder).is_dir():
            vl_convert.register_font_directory(folder)
    return vl_convert


def engine_started_here() -> bool:
    """Whether this process has started the chart engine (so must not fork workers that draw)."""
    import os

    return bool(_ENGINE_PID) and _ENGINE_PID[0] == os.getpid()


@cache
def warm_up() -> None:
    """Start vl-convert's JavaScript engine (about half a second, once per process; later
    calls, as a long-lived preview worker makes, return at once)."""
    _vl_convert(())
    import vl_convert

    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": []}}, vl_version=VL_VERSION)


# ------------------------------------------------------------------ locales for Vega (d3)


@cache
def number_locale(language: str) -> dict:
    """A d3-format locale from Babel: the language's decimal sign and digit grouping."""
    locale = babel_locale(language)
    return {
        "decimal": get_decimal_symbol(locale),
        "thousands": get_group_symbol(locale),
        "grouping": [3],
        "currency": ["", ""],
    }


@cache
def time_locale(language: str) -> dict:
    """A d3-time-format locale from Babel: month and day names as the language writes them
    alone (an axis label is "янв. 2015", not the genitive of a date)."""
    locale = babel_locale(language)

    def months(width: str) -> list[str]:
        names = get_month_names(width, "stand-alone", locale)
        return [names[i] for i in range(1, 13)]

    def days(width: str) -> list[str]:
        names = get_day_names(width, "stand-alone", locale)
        return [names[(i + 6) % 7] for i in range(7)]  # d3 starts on Sunday, Babel on Monday

    periods = get_period_names("abbreviated", "format", locale)
    return {
        "dateTime": "%x %X",
        "date": "%d.%m.%Y",
        "time": "%H:%M:%S",
        "periods": [periods.get("am", "AM"), periods.get("pm", "PM")],
        "days": days("wide"),
        "shortDays": days("abbreviated"),
        "months": months("wide"),
        "shortMonths": months("abbreviated"),
    }
