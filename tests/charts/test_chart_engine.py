"""The chart engine's own process (charts/engine.py, engine_server.py).

The engine runs in a separate process here, never in the test process (conftest's guard);
drawings made in a worker's own process come from a spawned child (charts_support.in_child).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from charts_support import in_child, raw_svg_of, record_engines
from conftest import PROJECTS, build

from briefgen.charts.engine import (
    Connection,
    EngineProcess,
    EngineUnavailable,
    Prefetch,
    font_dirs,
    png_request,
    svg_request,
)
from briefgen.charts.spec import ChartSpec, Point
from briefgen.theme import BUILTIN_THEMES, load_theme

THEME = load_theme(BUILTIN_THEMES / "default")
SPEC = ChartSpec(
    name="detention-days",
    kind="bar",
    title="Days in detention",
    alt="Days in detention: Anar Mammadli 764, Leyla Yunus 541.",
    language="en",
    points=[Point("Anar Mammadli", 764, "764 days"), Point("Leyla Yunus", 541, "541 days")],
)


def _request(spec: ChartSpec = SPEC) -> dict:
    from briefgen.charts import vega

    return svg_request(
        vega.vega_lite(spec, THEME),
        vega.number_locale(spec.language),
        vega.time_locale(spec.language),
        font_dirs(THEME),
    )


@pytest.fixture
def engine():
    process = EngineProcess(font_dirs(THEME))
    yield process
    process.close()


def test_the_engine_process_draws_what_a_worker_would_draw_itself(engine):
    connection = Connection(engine.address)
    try:
        drawn = connection.answer(_request()).decode("utf-8")
    finally:
        connection.close()
    assert drawn == in_child(raw_svg_of, SPEC, THEME)
    assert "Anar Mammadli" in drawn and "764 days" in drawn


def test_prefetched_charts_are_answered_from_the_engine_memory(engine):
    slow = _request()
    Prefetch(engine.address).send(slow)  # and hangs up at once, as the build's main process
    connection = Connection(engine.address)
    try:
        first = connection.answer(slow)
        started = time.perf_counter()
        again = Connection(engine.address).answer(slow)
        assert again == first and time.perf_counter() - started < 0.5
        png = connection.answer(png_request(first.decode("utf-8"), 192, font_dirs(THEME)))
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
    finally:
        connection.close()


def test_a_request_for_fonts_the_engine_lacks_is_declined_and_the_connection_kept(engine):
    connection = Connection(engine.address)
    try:
        with pytest.raises(EngineUnavailable, match="font folders not registered") as declined:
            connection.answer(png_request("<svg/>", 96, ["/no/such/fonts"]))
        assert declined.value.gone is False
        assert connection.answer(_request()).startswith(b"<svg")
    finally:
        connection.close()


def test_a_closed_engine_ends_its_process_and_socket_and_says_so_at_once():
    process = EngineProcess(font_dirs(THEME))
    connection = Connection(process.address)
    assert connection.answer(_request()).startswith(b"<svg")
    process.close()
    assert process._process.poll() is not None
    assert not os.path.exists(os.path.dirname(process.address))
    started = time.perf_counter()
    with pytest.raises(EngineUnavailable) as gone:
        Connection(process.address).answer(_request())
    assert gone.value.gone and time.perf_counter() - started < 1.0


def _worker_draws(address: str | None) -> tuple[bool, str]:
    """In a fresh process: a chart drawn as a worker draws it; whether the engine started here."""
    from briefgen.charts import vega

    vega.use_engine(address)
    drawn = vega.svg(SPEC, THEME)
    return vega.engine_started_here(), drawn


def test_a_worker_given_the_engine_draws_nothing_itself_and_gets_the_same_svg(engine):
    remote_started_here, remote = in_child(_worker_draws, engine.address)
    local_started_here, local = in_child(_worker_draws, None)
    assert remote_started_here is False and local_started_here is True
    assert remote == local


def test_a_worker_whose_engine_is_gone_draws_itself(engine):
    address = engine.address
    engine.close()
    started_here, drawn = in_child(_worker_draws, address)
    assert started_here is True and "764 days" in drawn


def _worker_pictures(address: str | None) -> tuple[bytes, bytes, list[str], bool]:
    """In a fresh process: a chart's picture asked for twice, and the chart prefetched again,
    as the copies of a mailing do; what was sent to the engine meanwhile."""
    from briefgen.charts import vega

    vega.use_engine(address)
    drawn = vega.svg(SPEC, THEME)
    first = vega.png(drawn, THEME)
    sent: list[str] = []
    real_submit, real_remote = vega._submit, vega._remote
    vega._submit = lambda request: sent.append(request["op"]) or real_submit(request)
    vega._remote = lambda request: sent.append(request["op"]) or real_remote(request)
    try:
        again = vega.png(drawn, THEME)
        vega.prefetch(SPEC, THEME)
        vega.prefetch_png(drawn, THEME)
        assert vega.svg(SPEC, THEME) == drawn
    finally:
        vega._submit, vega._remote = real_submit, real_remote
    return first, again, sent, vega.engine_started_here()


def test_the_engine_draws_the_pictures_a_worker_would_draw_itself(engine):
    remote, again, _sent, started_here = in_child(_worker_pictures, engine.address)
    local, *_ = in_child(_worker_pictures, None)
    assert started_here is False  # flattened and encoded in the engine process
    assert remote == local == again  # byte for byte: a flat RGB PNG at 300 ppi, no metadata


def test_a_picture_or_drawing_a_worker_holds_is_not_asked_for_again(engine):
    _first, _again, sent, _started_here = in_child(_worker_pictures, engine.address)
    assert sent == []  # neither the picture nor the chart went to the engine a second time


@pytest.mark.slow
def test_builds_through_the_engine_process_equal_builds_drawn_in_the_worker(tmp_path, monkeypatch):
    """The same bytes whoever draws; the engine process ends with the build."""
    from briefgen.pool import WorkerPool

    started: list[EngineProcess] = record_engines(monkeypatch)
    build(PROJECTS / "charts", tmp_path / "engine", audiences=["cleared"])
    assert len(started) == 1
    assert started[0]._process.poll() is not None  # ended with the build
    assert not Path(started[0].address).parent.exists()

    monkeypatch.setattr(WorkerPool, "start_chart_engine", lambda self, model, jobs: None)
    build(PROJECTS / "charts", tmp_path / "worker", audiences=["cleared"])
    assert len(started) == 1
    through, itself = tmp_path / "engine", tmp_path / "worker"
    files = sorted(p.relative_to(through) for p in through.rglob("*") if p.is_file())
    assert any(f.suffix == ".docx" for f in files) and any(f.suffix == ".pdf" for f in files)
    for name in files:
        if name.name != "manifest.json":
            assert (through / name).read_bytes() == (itself / name).read_bytes(), name


class _TimeLimit(BaseException):
    """As worker.RenderTimeout: a BaseException an output's alarm raises anywhere."""


def test_a_time_limit_mid_answer_closes_the_connection_so_answers_cannot_shift(monkeypatch):
    # Another end that never answers: the time limit strikes while the answer is read.
    import socket

    from briefgen.charts import engine as engine_module

    ours, theirs = socket.socketpair()
    connection = engine_module.Connection("unused")
    connection._conn = ours
    request = _request()

    def interrupted(conn):
        raise _TimeLimit()

    monkeypatch.setattr(engine_module, "read_frame", interrupted)
    with pytest.raises(_TimeLimit):
        connection.answer(request)
    # Nothing half read is kept: the next request starts a new connection and a new queue.
    assert connection._conn is None and not connection._sent
    theirs.close()


def _spec_for(name: str) -> ChartSpec:
    return ChartSpec(
        name=name,
        kind="bar",
        title=name,
        alt=f"{name}: one 1.",
        language="en",
        points=[Point(name, 1, "1")],  # the label: so each draws a chart of its own
    )


def test_answers_sent_ahead_and_never_read_are_not_kept_past_their_output(engine):
    connection = Connection(engine.address)
    unread, placed, later, again = (_request(_spec_for(n)) for n in ("unread", "placed", "later", "again"))
    try:
        # Output 1 sends two charts ahead and places one: reading it reads the other's answer.
        connection.submit(unread)
        connection.submit(placed)
        connection.submit(later)  # still on its way when the output ends
        assert connection.answer(placed).startswith(b"<svg")
        assert len(connection._answers) == 1  # `unread`, read ahead
        connection.forget_unread()  # the output ended
        assert connection._answers == {}
        # Output 2: `later`'s answer comes before the one it asks for, and is not kept.
        assert b"again" in connection.answer(again)
        assert connection._answers == {} and not connection._sent and not connection._unwanted
        # A request forgotten while on its way and asked for again gets its own answer.
        connection.submit(unread)
        connection.forget_unread()
        assert b"unread" in connection.answer(unread) and connection._answers == {}
    finally:
        connection.close()


def _answers_kept_after_two_outputs(root: str, out: str, address: str) -> tuple[int, int, list[str]]:
    """In a fresh process, as a build worker given the engine: two outputs, each of whose
    template places one of the brief's charts (all are sent ahead). What the connection still
    holds afterwards: answers kept, requests whose answer would be kept; and any error."""
    from briefgen import worker
    from briefgen.charts import vega
    from briefgen.load import load_project
    from briefgen.plan import plan_jobs
    from briefgen.worker import Limits

    model = load_project(Path(root)).model
    jobs = [j for j in plan_jobs(model) if j.audience_id == "cleared" and j.recipient_id is None][:2]
    assert len(jobs) == 2
    worker.init_worker(model, Path(out), None, Limits(), ["html"], chart_engine=address)
    errors = []
    for job in jobs:  # one batch each, as the pool hands out a brief x audience x language
        for result in worker.run_batch([(job, None)], chart_engine=address):
            errors += [str(d) for d in result.diagnostics if d.is_error]
    connection = vega._CONNECTION[0]
    wanted = [body for body in connection._sent if body not in getattr(connection, "_unwanted", ())]
    return len(connection._answers), len(wanted), errors


@pytest.mark.slow
def test_a_worker_keeps_no_chart_answer_past_the_output_that_sent_it(tmp_path):
    from conftest import copy_project

    from briefgen.load import load_project
    from briefgen.theme import audience_theme

    root = copy_project("charts", tmp_path)
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "policy-brief.html.j2").write_text(
        '{% extends "builtin/policy-brief.html.j2" %}\n'
        "{% block charts %}{{ chart(charts[0].name) }}{% endblock %}\n",
        encoding="utf-8",
    )
    process = EngineProcess(font_dirs(audience_theme(load_project(root).model, "cleared")))
    try:
        kept, wanted, errors = in_child(
            _answers_kept_after_two_outputs, str(root), str(tmp_path / "o"), process.address
        )
    finally:
        process.close()
    assert errors == []
    assert (kept, wanted) == (0, 0)
