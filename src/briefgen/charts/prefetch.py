"""Charts sent ahead to the engine process: a build's planned outputs -> their drawings
requested before any worker asks (charts/engine.py).

The build's main process knows the outputs and their Views before the workers have read the
model; it computes their charts' specifications (a few milliseconds) and sends them to the
engine process without waiting, so they are drawn while the workers start up and render.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..cache import ContentCache
from ..i18n import Localizer
from ..jobs import job_brief, job_view
from ..theme import audience_theme
from . import drawings, vega
from .engine import Prefetch
from .spec import brief_charts, chart_specs
from .word import NATIVE_KINDS

PREFETCH_OUTPUTS = 20  # the charts of a brief's copies are the same: one output per group


def prefetch_charts(address: str, model, jobs, cache_folder: Path | None = None) -> None:
    """Send the engine process the charts `jobs` show, one output of each brief x audience x
    language, without waiting: they are drawn while the workers read the model and render,
    and answered from the engine's memory when a worker asks. Not those kept in the cache at
    `cache_folder` (drawings.py), which the workers read from there."""
    prefetch = Prefetch(address)
    store = ContentCache.at(cache_folder) if cache_folder else None
    try:
        for job in _one_per_group(model, jobs)[:PREFETCH_OUTPUTS]:
            try:
                theme = audience_theme(model, job.audience_id)
                for spec in _charts(model, job):
                    request = _drawing_request(spec, theme)
                    if store is None or drawings.kept(request, store) is None:
                        prefetch.send(request)
            except Exception:  # the worker meets and reports whatever went wrong here
                continue
    finally:
        prefetch.close()


def all_kept(model, jobs, cache_folder: Path) -> bool:
    """Whether every drawing `jobs` need is kept on disk (drawings.py): their charts' SVGs,
    and the pictures of those Word cannot draw for the outputs written as DOCX. Then the build
    starts no engine; a drawing missed after all is drawn by the worker itself, as when the
    engine is gone."""
    store = ContentCache.at(cache_folder)
    groups = _one_per_group(model, jobs)
    if len(groups) > PREFETCH_OUTPUTS:
        return False  # not worth reading that many: the engine starts, as before
    try:
        for job in groups:
            theme = audience_theme(model, job.audience_id)
            for spec in _charts(model, job):
                drawn = drawings.kept(_drawing_request(spec, theme), store)
                if drawn is None:
                    return False
                pictured = "docx" in job.formats and spec.kind not in NATIVE_KINDS
                svg = vega.clean_svg(drawn.decode("utf-8"), spec.alt) if pictured else None
                if svg is not None and drawings.kept(vega.picture_request(svg, theme), store) is None:
                    return False
    except Exception:  # the worker meets and reports whatever went wrong here
        return False
    return True


def _one_per_group(model, jobs) -> list:
    """One job of each brief x audience x language that shows charts (a copy's are the same),
    with the formats of all the group's jobs."""
    groups: dict[tuple, object] = {}
    for job in jobs:
        if job_brief(model, job).charts:
            key = (job.brief_id, job.audience_id, job.language)
            first = groups.setdefault(key, job)
            if first is not job and not set(job.formats) <= set(first.formats):
                groups[key] = replace(first, formats=tuple(dict.fromkeys([*first.formats, *job.formats])))
    return list(groups.values())


def _drawing_request(spec, theme) -> dict:
    return vega.drawing_request(vega.vega_lite(spec, theme), spec.language, theme)


def _charts(model, job) -> list:
    view = job_view(model, job)
    specs = chart_specs(view, Localizer(view.language, Path(model.root)))
    return [spec for spec in brief_charts(view, specs) if not spec.empty]
