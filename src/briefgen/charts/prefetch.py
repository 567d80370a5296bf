"""Charts sent ahead to the engine process: a build's planned outputs -> their drawings
requested before any worker asks (charts/engine.py).

The build's main process knows the outputs and their Views before the workers have read the
model; it computes their charts' specifications (a few milliseconds) and sends them to the
engine process without waiting, so they are drawn while the workers start up and render.
"""

from __future__ import annotations

from pathlib import Path

from ..i18n import Localizer
from ..jobs import job_brief, job_view
from ..theme import audience_theme
from . import vega
from .engine import Prefetch
from .spec import brief_charts, chart_specs

PREFETCH_OUTPUTS = 20  # the charts of a brief's copies are the same: one output per group


def prefetch_charts(address: str, model, jobs) -> None:
    """Send the engine process the charts `jobs` show, one output of each brief x audience x
    language, without waiting: they are drawn while the workers read the model and render,
    and answered from the engine's memory when a worker asks."""
    prefetch = Prefetch(address)
    try:
        groups = {}
        for job in jobs:
            if job_brief(model, job).charts:
                groups.setdefault((job.brief_id, job.audience_id, job.language), job)
        for job in list(groups.values())[:PREFETCH_OUTPUTS]:
            try:
                view = job_view(model, job)
                theme = audience_theme(model, job.audience_id)
                specs = chart_specs(view, Localizer(view.language, Path(model.root)))
                for spec in brief_charts(view, specs):
                    prefetch.send(vega.drawing_request(vega.vega_lite(spec, theme), spec.language, theme))
            except Exception:  # the worker meets and reports whatever went wrong here
                continue
    finally:
        prefetch.close()
