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
    made._published_at[(STEM, "pdf")] = time.monotonic()
    return made


def test_the_wait_ends_when_the_page_has_fetched_and_drawn(tmp_path, monkeypatch):
    monkeypatch.setattr(previews, "FETCH_SECONDS", 5.0)
    monkeypatch.setattr(previews, "DRAW_SECONDS", 0.3)
    waiting = builder(tmp_path)
    threading.Timer(0.4, waiting.served, (STEM, "pdf")).start()
    started = time.monotonic()
    waiting._let_the_page_draw()
    took = time.monotonic() - started
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
