"""Chart specs: an output's View -> one ChartSpec per chart the brief names.

A ChartSpec holds everything drawn, in the output's language: the title, each bar's label,
value and value text, the timeline's rows, and the text alternative that states the data.
Both drawings (the SVG of the PDF and HTML, the native chart or PNG of the DOCX) are made
from it, so they cannot disagree. It is computed from the View alone: a case, person or
timeline entry the select stage removed is never counted, drawn or labelled.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date

from babel.units import format_unit

from .. import facts
from ..i18n import Localizer
from ..model import PARTIAL_DATE_RE
from ..select import Record, View


def N_(message: str) -> str:
    """Marks a label for extraction into the catalogs; translated where it is used."""
    return message


# The statuses that deprive a person of liberty (content format v1.1, detention-days).
DEPRIVED_STATUSES = ("detained", "imprisoned", "house-arrest")


@dataclass
class Point:
    label: str
    value: float
    text: str  # the value as printed beside its bar: "764 days", "764 дня"


@dataclass
class Event:
    lane: str  # the case it belongs to
    date: str  # YYYY-MM-DD (a partial date's first day), on a UTC scale
    kind: str  # the entry type's label
    shown: str  # the date as written for readers: "16 December 2013", "August 2014"


@dataclass
class ChartSpec:
    """What one chart shows; `payload()` is the JSON the DOCX writer reads back from the HTML."""

    name: str  # detention-days, case-status, case-timeline or the figure id
    kind: str  # bar (horizontal), column, line, timeline
    title: str
    alt: str
    language: str
    series: str = ""  # the values' name: the workbook's column heading in Word
    axis_title: str = ""
    points: list[Point] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    lanes: list[str] = field(default_factory=list)
    sources: list[Record] = field(default_factory=list, repr=False)
    note: str | None = None  # markdown, shown under the caption

    @property
    def empty(self) -> bool:
        return not self.points and not self.events

    def payload(self) -> dict:
        data = asdict(self)
        data.pop("sources")
        data.pop("note")
        return data


def chart_specs(view: View, localizer: Localizer) -> dict[str, ChartSpec]:
    """Every chart an output's templates may place, by name: the built-in ones and each
    visible figure. A figure above the audience's clearance is not in the View, so not here."""
    specs = {
        "detention-days": detention_days(view, localizer),
        "case-status": case_status(view, localizer),
        "case-timeline": case_timeline(view, localizer),
    }
    for figure in view.figures.values():
        specs[figure.id] = figure_chart(figure, view, localizer)
    return specs


def brief_charts(view: View, specs: dict[str, ChartSpec]) -> list[ChartSpec]:
    """The brief's charts in the order it names them, leaving out those with nothing to show
    for this audience (every case withheld) and figures it may not see."""
    return [specs[name] for name in view.charts if name in specs and not specs[name].empty]


# ------------------------------------------------------------------ built-in charts


def deprivation_start(case: Record) -> date | None:
    """The date of the first arrest or detention in the case's visible timeline (the View's
    `since`, as the status line says it), when it is a full date."""
    if case.status not in DEPRIVED_STATUSES or not case.since or case.since.count("-") != 2:
        return None
    return date.fromisoformat(case.since)


def detention_days(view: View, localizer: Localizer) -> ChartSpec:
    """One bar per person deprived of liberty: days from the start of the deprivation to the
    brief's date (as_of), the same count as the cases' status lines."""
    _ = localizer.gettext
    as_of = view.brief.date
    # One bar per person: someone held in two cases (a prison term and a house arrest) is
    # one person deprived of liberty since the earlier start. A withheld subject has no id
    # to tell them apart by, and keeps a bar per case.
    longest: dict[object, Point] = {}
    starts: list[Record | None] = []  # the entries the bars count from: their sources are cited
    for case in view.cases:
        start = deprivation_start(case)
        if start is None or start > as_of:
            continue
        days = (as_of - start).days
        starts.append(facts.since_entry(case.status, case.timeline))
        for person in case.subjects:
            name = person.name or _("Name withheld")
            key = person.id if person.id is not None else object()
            if key not in longest or days > longest[key].value:
                longest[key] = Point(name, days, _days(localizer, days))
    points = sorted(longest.values(), key=lambda p: -p.value)  # stable: equal counts keep the order
    _distinct(points)
    title = _("Days in detention on {date}").format(date=localizer.format_date(as_of))
    return _case_bars(
        "detention-days", title, _("Days in detention"), _("Days"), points, view, localizer, starts
    )


def case_status(view: View, localizer: Localizer) -> ChartSpec:
    """The number of the brief's cases in each status, most frequent first."""
    from ..caselabels import STATUS_LABELS

    _ = localizer.gettext
    counts: dict[str, int] = {}
    for case in view.cases:
        counts[case.status] = counts.get(case.status, 0) + 1
    order = list(STATUS_LABELS)
    ranked = sorted(counts, key=lambda s: (-counts[s], order.index(s)))
    points = [
        Point(
            _(STATUS_LABELS[s]),
            counts[s],
            localizer.ngettext("{n} case", "{n} cases", counts[s]).format(n=_number(localizer, counts[s])),
        )
        for s in ranked
    ]
    title = _("Cases by status on {date}").format(date=localizer.format_date(view.brief.date))
    return _case_bars("case-status", title, _("Cases"), _("Cases"), points, view, localizer)


def _case_bars(
    name: str,
    title: str,
    series: str,
    axis_title: str,
    points: list[Point],
    view: View,
    localizer: Localizer,
    entries: Sequence[Record | None] = (),
) -> ChartSpec:
    """A bar chart of the brief's cases, its alt text stating every bar's value; it cites
    the cases' sources and those of the timeline `entries` its values come from."""
    values = ", ".join(f"{p.label} {_number(localizer, p.value)}" for p in points)
    return ChartSpec(
        name=name,
        kind="bar",
        title=title,
        alt=f"{title}: {values}." if points else title,
        language=view.language,
        series=series,
        axis_title=axis_title,
        points=points,
        sources=_case_sources(view.cases, entries),
    )


def case_timeline(view: View, localizer: Localizer) -> ChartSpec:
    """The visible timeline entries of the brief's cases on one time axis, a row per case."""
    from ..caselabels import TIMELINE_LABELS

    _ = localizer.gettext
    events: list[Event] = []
    lanes: list[str] = []
    described: list[str] = []
    drawn: list[Record] = []
    for case in view.cases:
        if not case.timeline:
            continue
        lane = _distinct_name(case.title or _("Name withheld"), lanes)
        lanes.append(lane)
        steps = []
        for entry in case.timeline:
            kind = _(TIMELINE_LABELS.get(entry.type, entry.type))
            shown = localizer.format_date(entry.date)
            events.append(Event(lane, _first_day(entry.date), kind, shown))
            steps.append(f"{kind} {shown}")
            drawn.append(entry)
        described.append(f"{lane}: {', '.join(steps)}")
    title = _("Timeline of the cases")
    return ChartSpec(
        name="case-timeline",
        kind="timeline",
        title=title,
        alt=f"{title}. {'; '.join(described)}." if described else title,
        language=view.language,
        events=events,
        lanes=lanes,
        sources=_case_sources(view.cases, drawn),
    )


def figure_chart(figure: Record, view: View, localizer: Localizer) -> ChartSpec:
    """A figure of the organisation's own numbers, with its labels in the output's language."""
    points = []
    for point in figure.data:
        label = point.label
        if PARTIAL_DATE_RE.match(label):  # a date: written as the language writes dates
            label = localizer.format_date(label)
        value = _number(localizer, point.value)
        points.append(Point(label, point.value, value))
    _distinct(points)
    values = ", ".join(f"{p.label} {p.text}" for p in points)
    title = figure.title
    unit = f" ({figure.unit})" if figure.unit else ""
    return ChartSpec(
        name=figure.id,
        kind=figure.kind,
        title=title,
        alt=figure.alt or f"{title}{unit}: {values}.",
        language=view.language,
        series=figure.unit or title,
        axis_title=figure.unit or "",
        points=points,
        sources=[figure.source] if figure.source else [],
        note=figure.note,
    )


# ------------------------------------------------------------------ helpers


def _number(localizer: Localizer, value: float) -> str:
    return localizer.format_number(int(value) if float(value).is_integer() else value)


def _days(localizer: Localizer, days: int) -> str:
    """ "764 days", "764 дня": the plural the language needs (CLDR units)."""
    return format_unit(days, "duration-day", length="long", locale=localizer.locale)


def _distinct_name(name: str, taken: list[str]) -> str:
    """A label no other bar or row has: a chart draws equal labels on one row (two people
    whose names are withheld would share a bar)."""
    if name not in taken:
        return name
    n = 2
    while f"{name} ({n})" in taken:
        n += 1
    return f"{name} ({n})"


def _distinct(points: list[Point]) -> None:
    taken: list[str] = []
    for point in points:
        point.label = _distinct_name(point.label, taken)
        taken.append(point.label)


def _first_day(partial: str) -> str:
    parts = partial.split("-")
    return "-".join([*parts, "01", "01"][:3])


def _case_sources(cases: list[Record], entries: Sequence[Record | None] = ()) -> list[Record]:
    """A chart's citation, each source once, in order: the first three the counted cases
    list, then the source of every timeline entry the chart draws or counts from.

    An entry's source is cited wherever the entry is shown (content format 1.2), so those
    are never cut. Both come from the View: an entry or a source the audience may not see
    is not there (a withheld source is None)."""
    seen: dict[str, Record] = {}
    for case in cases:
        for source in case.sources:
            seen.setdefault(source.id, source)
    cited = {s.id: s for s in list(seen.values())[:3]}
    for entry in entries:
        if entry is not None and entry.source is not None:
            cited.setdefault(entry.source.id, entry.source)
    return list(cited.values())


_SLUG = re.compile(r"[^a-z0-9-]+")


def anchor(name: str) -> str:
    return "chart-" + _SLUG.sub("-", name.lower())
