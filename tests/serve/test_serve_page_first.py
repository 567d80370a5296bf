"""The output on screen gets the machine first: once it is published, the background steps
(the contents check, every other output's HTML) wait for the page to fetch it and draw it,
and a save ends that wait at once."""

from __future__ import annotations

import threading
import time

from briefgen.serve import previews
from briefgen.serve.previews import PreviewBuilder

STEM = "brief.public.en"


def builder(tmp_path) -> PreviewBuilder:
    made = PreviewBuilder(tmp_path / "project", tmp_path / "previews")  # not started: no process
    made._dirty = False  # as after the rebuild picked the save up
    made.want(STEM, "pdf")
    made._demands.clear()  # taken by the rebuild that published it
    made._published_at[(STEM, "pdf")] = time.monotonic()
    return made


def test_the_wait_ends_when_the_page_has_fetched_and_drawn(tmp_path, monkeypatch):
    monkeypatch.setattr(previews, "FETCH_SECONDS", 5.0)
    monkeypatch.setattr(previews, "DRAW_SECONDS", 0.3)
    waiting = builder(tmp_path)
    threading.Timer(0.4, waiting.served, (STEM, "pdf")).start()
    took = seconds_waited(waiting)
    assert 0.65 <= took < 3.0, took  # the fetch (0.4 s) and the drawing time (0.3 s), not 5 s


def test_without_a_page_the_wait_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(previews, "FETCH_SECONDS", 0.3)
    monkeypatch.setattr(previews, "DRAW_SECONDS", 0.2)
    started = time.monotonic()
    builder(tmp_path)._let_the_page_draw()
    assert 0.45 <= time.monotonic() - started < 3.0


def test_a_save_ends_the_wait(tmp_path, monkeypatch):
    monkeypatch.setattr(previews, "FETCH_SECONDS", 30.0)
    monkeypatch.setattr(previews, "DRAW_SECONDS", 30.0)
    waiting = builder(tmp_path)
    threading.Timer(0.3, waiting.files_changed, ({"content/cases.yaml"},)).start()
    started = time.monotonic()
    waiting._let_the_page_draw()
    assert time.monotonic() - started < 5.0


def seconds_waited(waiting: PreviewBuilder) -> float:
    started = time.monotonic()
    waiting._let_the_page_draw()
    return time.monotonic() - started


def test_a_page_that_says_when_it_drew_is_waited_for_until_it_has(tmp_path, monkeypatch):
    monkeypatch.setattr(previews, "FETCH_SECONDS", 5.0)
    monkeypatch.setattr(previews, "DRAW_SECONDS", 0.0)  # a page that says so is not timed
    monkeypatch.setattr(previews, "DRAWN_SECONDS", 30.0)
    waiting = builder(tmp_path)
    threading.Timer(0.2, waiting.served, (STEM, "pdf", True)).start()  # the page (?report=1)
    threading.Timer(0.8, waiting.drawn, (STEM, "pdf")).start()
    took = seconds_waited(waiting)
    assert 0.75 <= took < 5.0, took  # until the page drew what it fetched, not 30 s


def test_a_page_that_never_says_it_drew_is_waited_for_a_bounded_time(tmp_path, monkeypatch):
    monkeypatch.setattr(previews, "FETCH_SECONDS", 5.0)
    monkeypatch.setattr(previews, "DRAW_SECONDS", 0.0)
    monkeypatch.setattr(previews, "DRAWN_SECONDS", 0.6)
    waiting = builder(tmp_path)
    waiting.drawn(STEM, "pdf")  # for an earlier fetch: not for the one that comes next
    threading.Timer(0.2, waiting.served, (STEM, "pdf", True)).start()
    took = seconds_waited(waiting)
    assert 0.75 <= took < 4.0, took


def test_a_client_that_does_not_report_is_given_the_drawing_time_only(tmp_path, monkeypatch):
    # A script or an editor fetching /preview/STEM.pdf says nothing afterwards, even while a
    # page that does is open: no waiting for a word that will not come.
    monkeypatch.setattr(previews, "FETCH_SECONDS", 5.0)
    monkeypatch.setattr(previews, "DRAW_SECONDS", 0.3)
    monkeypatch.setattr(previews, "DRAWN_SECONDS", 30.0)
    waiting = builder(tmp_path)
    waiting.served(STEM, "pdf", True)
    waiting.drawn(STEM, "pdf")  # the page, earlier
    waiting._published_at[(STEM, "pdf")] = time.monotonic()
    threading.Timer(0.2, waiting.served, (STEM, "pdf")).start()  # then a script
    took = seconds_waited(waiting)
    assert 0.45 <= took < 5.0, took


def test_the_wait_ends_when_the_page_turns_to_another_view(tmp_path, monkeypatch):
    monkeypatch.setattr(previews, "FETCH_SECONDS", 5.0)
    monkeypatch.setattr(previews, "DRAWN_SECONDS", 30.0)
    waiting = builder(tmp_path)
    threading.Timer(0.2, waiting.served, (STEM, "pdf", True)).start()
    threading.Timer(0.6, waiting.want, (STEM, "html")).start()  # the draft view, before any report
    took = seconds_waited(waiting)
    assert 0.55 <= took < 5.0, took


def _steps_of_a_rebuild(tmp_path, monkeypatch, focus: list[tuple[str, str]]) -> list:
    """The steps a rebuild takes, in order, for a page looking at `focus` (newest first)."""
    from serve_support import make_project

    project = make_project(tmp_path / "project")
    made = PreviewBuilder(project, tmp_path / "previews")  # not started: no worker process
    steps: list = []
    monkeypatch.setattr(made, "_draft", lambda model, stems: steps.append(("draft", stems)) or [])
    monkeypatch.setattr(
        made, "_build", lambda formats, stems, force=False: steps.append((formats, stems)) or ([], [])
    )
    monkeypatch.setattr(made, "_let_the_page_draw", lambda: None)
    made._set_plan = lambda model, set_plan=made._set_plan: set_plan(model) or made._focus.extend(focus)
    made._dirty = False  # as the build thread leaves it when it takes the save
    made._rebuild()
    return steps


def test_the_print_view_on_screen_gets_its_pdf_before_any_draft(tmp_path, monkeypatch):
    stem = "example-brief.policymakers.en"
    steps = _steps_of_a_rebuild(tmp_path, monkeypatch, [(stem, "pdf"), (stem, "html")])
    assert steps[0] == (["html", "pdf"], [stem]), steps
    assert not any(step[0] == "draft" for step in steps), steps


def test_the_draft_view_on_screen_gets_its_draft_first(tmp_path, monkeypatch):
    stem = "example-brief.policymakers.en"
    steps = _steps_of_a_rebuild(tmp_path, monkeypatch, [(stem, "html"), (stem, "pdf")])
    assert steps[:2] == [("draft", [stem]), (["html", "pdf"], [stem])], steps
