"""Chart drawings kept on disk (charts/drawings.py): a build whose charts have not changed
draws none and starts no chart engine, and its files equal those of a build that drew every
chart afresh (--no-cache), byte for byte; a changed chart, a damaged entry or new fonts are
drawn again. Real builds of the chart fixture, with the real engine process."""

from __future__ import annotations

import os
import shutil
import stat

import pytest
from charts_support import record_engines
from conftest import build, copy_project

from briefgen.cache import CACHE_DIR, ContentCache, use_for_this_build
from briefgen.charts import drawings
from briefgen.charts.engine import png_request

pytestmark = pytest.mark.slow  # real builds of every chart kind, PDF and DOCX

AUDIENCE = ["cleared"]


@pytest.fixture
def engines(monkeypatch):
    """The chart engine processes the builds start."""
    return record_engines(monkeypatch)


def fresh_copy(tmp_path):
    """The chart fixture without the cache tests building it in place have left in it."""
    project = copy_project("charts", tmp_path)
    shutil.rmtree(project / CACHE_DIR.parts[0], ignore_errors=True)
    return project


def same_files(one, other) -> None:
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file() and p.name != "manifest.json")
    assert any(f.suffix == ".pdf" for f in files) and any(f.suffix == ".docx" for f in files)
    for name in files:
        assert (one / name).read_bytes() == (other / name).read_bytes(), name


def kept_drawings(project) -> list:
    folder = project / CACHE_DIR / drawings.KIND
    return sorted(folder.glob("*.bin")) if folder.is_dir() else []


def test_a_second_build_draws_nothing_and_equals_one_drawn_afresh(tmp_path, engines):
    project = fresh_copy(tmp_path)
    build(project, tmp_path / "first", audiences=AUDIENCE, cache=True)
    assert len(engines) == 1
    entries = kept_drawings(project)
    assert entries  # the SVGs, and the PNG of the timeline Word cannot draw
    build(project, tmp_path / "kept", audiences=AUDIENCE, cache=True, force=True)
    assert len(engines) == 1, "every drawing was kept: no engine"
    build(project, tmp_path / "afresh", audiences=AUDIENCE, cache=False, force=True)
    assert len(engines) == 2
    same_files(tmp_path / "kept", tmp_path / "afresh")
    same_files(tmp_path / "first", tmp_path / "afresh")
    # Owner-only, as the rest of the cache: chart data may be confidential.
    folder = project / CACHE_DIR / drawings.KIND
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(entry.stat().st_mode) == 0o600 for entry in entries)


def test_no_cache_keeps_no_drawing(tmp_path, engines):
    project = fresh_copy(tmp_path)
    build(project, tmp_path / "out", audiences=AUDIENCE, cache=False)
    assert kept_drawings(project) == []


def test_a_changed_chart_is_drawn_again(tmp_path, engines):
    project = fresh_copy(tmp_path)
    build(project, tmp_path / "first", audiences=AUDIENCE, cache=True)
    content = project / "content" / "content.yaml"
    text = content.read_text(encoding="utf-8")
    content.write_text(
        text.replace("{label: Capital, value: 12}", "{label: Capital, value: 17}"), encoding="utf-8"
    )
    build(project, tmp_path / "edited", audiences=AUDIENCE, cache=True, force=True)
    assert len(engines) == 2, "the edited chart is not kept: the engine draws it"
    build(project, tmp_path / "afresh", audiences=AUDIENCE, cache=False, force=True)
    same_files(tmp_path / "edited", tmp_path / "afresh")


@pytest.mark.parametrize("damage", ["truncated", "random", "other format"])
def test_a_damaged_drawing_is_ignored_and_drawn_again(tmp_path, engines, damage):
    project = fresh_copy(tmp_path)
    build(project, tmp_path / "first", audiences=AUDIENCE, cache=True)
    for entry in kept_drawings(project):
        data = entry.read_bytes()
        entry.write_bytes(
            {
                "truncated": data[: len(data) // 2],
                "random": os.urandom(len(data)),
                "other format": b"briefgen-cache-0\n" + data[len(b"briefgen-cache-1\n") :],
            }[damage]
        )
    build(project, tmp_path / "again", audiences=AUDIENCE, cache=True, force=True)
    assert len(engines) == 2
    build(project, tmp_path / "afresh", audiences=AUDIENCE, cache=False, force=True)
    same_files(tmp_path / "again", tmp_path / "afresh")


def test_the_key_changes_with_the_request_and_the_font_folders(tmp_path):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "Sans.ttf").write_bytes(b"a font")
    request = png_request("<svg/>", 300, [str(fonts)])
    first = drawings.key(request)
    assert drawings.key(png_request("<svg/>", 300, [str(fonts)])) == first
    assert drawings.key(png_request("<svg />", 300, [str(fonts)])) != first
    assert drawings.key(png_request("<svg/>", 150, [str(fonts)])) != first
    (fonts / "Sans.ttf").write_bytes(b"another font, of another size")
    resized = drawings.key(request)
    assert resized != first
    os.utime(fonts / "Sans.ttf", ns=(10**18, 10**18))  # the same size, written again
    touched = drawings.key(request)
    assert touched != resized
    (fonts / "Serif.ttf").write_bytes(b"a font")
    assert drawings.key(request) != touched


def test_the_oldest_drawings_make_room_for_new_ones(tmp_path, monkeypatch):
    monkeypatch.setattr(drawings, "KEEP", 3)
    use_for_this_build(tmp_path / "cache")
    try:
        requests = [png_request(f"<svg id='{n}'/>", 300, []) for n in range(5)]
        for n, request in enumerate(requests):
            drawings.keep(request, f"drawing {n}".encode())
            os.utime(
                tmp_path / "cache" / drawings.KIND / f"{drawings.key(request)}.bin", ns=(n * 10**9, n * 10**9)
            )
        assert [drawings.kept(r) for r in requests] == [None, None, b"drawing 2", b"drawing 3", b"drawing 4"]
        assert drawings.kept(requests[4], ContentCache.at(tmp_path / "elsewhere")) is None
    finally:
        use_for_this_build(None)
    assert drawings.kept(requests[4]) is None  # no cache for this build: nothing read
