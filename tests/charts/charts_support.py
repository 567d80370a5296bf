"""Helpers for the chart tests: what the content says, computed without briefgen's code."""

from __future__ import annotations

import multiprocessing
from datetime import date

import yaml

_SPAWN = multiprocessing.get_context("spawn")


def in_child(function, *args):
    """Run `function(*args)` in a fresh (spawned) process: vl-convert's engine must not start
    in the test process, whose builds fork workers that draw (see charts/vega.py)."""
    with _SPAWN.Pool(1) as pool:
        return pool.apply(function, args)


def record_engines(monkeypatch) -> list:
    """The chart engine processes the builds after this start, in a list (charts/engine.py);
    dates fixed, so that builds compare byte for byte."""
    from briefgen.charts import engine as engine_module

    started: list = []
    real = engine_module.EngineProcess

    class Recorded(real):
        def __init__(self, fonts):
            super().__init__(fonts)
            started.append(self)

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1453161600")
    monkeypatch.setattr(engine_module, "EngineProcess", Recorded)
    return started


def svg_of(spec, theme) -> str:
    from briefgen.charts import vega

    return vega.svg(spec, theme)


def raw_svg_of(spec, theme) -> str:
    from briefgen.charts import vega

    return vega._draw(vega.vega_lite(spec, theme), "en", theme)


def png_of(spec, theme) -> bytes:
    from briefgen.charts import vega

    return vega.png(vega.svg(spec, theme), theme)


def independent_detention_days(root) -> dict[str, int]:
    """Days per person from the content files and as_of, without briefgen's code: the first
    arrest or detention of each imprisoned, detained or house-arrested person's case."""
    settings = yaml.safe_load((root / "briefgen.yaml").read_text(encoding="utf-8"))
    as_of = settings["as_of"]
    people, cases = {}, []
    for path in sorted((root / "content").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for person in data.get("people", []):
            name = person["name"]
            people[person["id"]] = name if isinstance(name, str) else name["en"]
        cases += data.get("cases", [])
    days = {}
    for case in cases:
        if case["status"] not in ("detained", "imprisoned", "house-arrest"):
            continue
        if case.get("sensitivity", "public") != "public":
            continue
        starts = sorted(
            str(e["date"])
            for e in case.get("timeline", [])
            if e["type"] in ("arrest", "detention") and e.get("sensitivity", "public") == "public"
        )
        if starts and len(starts[0]) == 10:
            for subject in case["subjects"]:
                days[people[subject]] = (as_of - date.fromisoformat(starts[0])).days
    return days
