"""Parallel, incremental and HTML builds."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import PROJECTS, pdf_text

from briefgen.build import BuildOptions, build_project

pytestmark = pytest.mark.slow


@pytest.fixture()
def project(tmp_path):
    target = tmp_path / "small"
    shutil.copytree(PROJECTS / "small", target)
    settings = target / "briefgen.yaml"
    # The brief shows only one case, so a change to the other case must not touch it.
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("    cases: all\n", "    cases: [beridze-case]\n", 1), encoding="utf-8")
    return target


def built_paths(report) -> set[str]:
    return {o.relpath for o in report.outputs}


def test_serial_and_parallel_builds_are_byte_identical(project, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1453161600")
    build_project(project, BuildOptions(out=tmp_path / "serial", jobs=1))
    build_project(project, BuildOptions(out=tmp_path / "parallel", jobs=2))
    serial = json.loads((tmp_path / "serial/manifest.json").read_text())
    parallel = json.loads((tmp_path / "parallel/manifest.json").read_text())
    assert serial == parallel
    for entry in serial["outputs"]:
        assert (tmp_path / "serial" / entry["path"]).read_bytes() == (
            tmp_path / "parallel" / entry["path"]
        ).read_bytes()


def test_no_change_rebuild_builds_nothing(project, tmp_path):
    out = tmp_path / "out"
    first = build_project(project, BuildOptions(out=out, jobs=2))
    assert len(first.outputs) == 6
    before = (out / "manifest.json").read_bytes()
    again = build_project(project, BuildOptions(out=out, jobs=2))
    assert again.outputs == [] and again.skipped == 3
    assert (out / "manifest.json").read_bytes() == before
    forced = build_project(project, BuildOptions(out=out, jobs=2, force=True))
    assert len(forced.outputs) == 6


# With the cache, the edit makes the workers start early and skip what is up to date
# themselves (worker.unchanged_outcome); without it, the main process sorts the outputs.
@pytest.mark.parametrize("cache", [False, True])
def test_touching_one_case_rebuilds_only_the_outputs_that_show_it(project, tmp_path, cache):
    out = tmp_path / "out"
    build_project(project, BuildOptions(out=out, jobs=2, cache=cache))
    items = project / "content" / "items.yaml"
    items.write_text(
        items.read_text(encoding="utf-8").replace(
            "was arrested for his reporting.", "was arrested for his reports."
        ),
        encoding="utf-8",
    )
    report = build_project(project, BuildOptions(out=out, jobs=2, cache=cache))
    assert report.skipped == 1  # the brief, which does not show the case
    assert built_paths(report) == {
        "small-event/small-event.public-readers.en.pdf",
        "small-event/small-event.public-readers.en.docx",
        "small-dossier/small-dossier.public-readers.en.pdf",
        "small-dossier/small-dossier.public-readers.en.docx",
    }
    assert "was arrested for his reports." in pdf_text(
        out / "small-dossier/small-dossier.public-readers.en.pdf"
    )


@pytest.mark.parametrize("cache", [False, True])
def test_briefgen_installed_anew_under_the_same_version_rebuilds_every_output(
    project, tmp_path, monkeypatch, cache
):
    import briefgen.cache as cache_module

    out = tmp_path / "out"
    first = build_project(project, BuildOptions(out=out, jobs=1, cache=cache))
    # A developer's edit or an install from the repository: other files, the same version
    # number. What the new code would write may differ: nothing is up to date.
    monkeypatch.setattr(cache_module, "_SOFTWARE", cache_module.software_digest()[::-1])
    report = build_project(project, BuildOptions(out=out, jobs=1, cache=cache))
    assert report.skipped == 0 and built_paths(report) == built_paths(first)
    again = build_project(project, BuildOptions(out=out, jobs=1, cache=cache))
    assert again.outputs == [] and again.skipped == 3


def test_a_template_change_rebuilds_the_outputs_that_use_it(project, tmp_path):
    out = tmp_path / "out"
    build_project(project, BuildOptions(out=out, jobs=2))
    (project / "templates" / "case-dossier.html.j2").write_text(
        '{% extends "builtin/case-dossier.html.j2" %}{% block cover_extra %}<p>OVERRIDE</p>{% endblock %}',
        encoding="utf-8",
    )
    report = build_project(project, BuildOptions(out=out, jobs=2))
    assert built_paths(report) == {
        "small-dossier/small-dossier.public-readers.en.pdf",
        "small-dossier/small-dossier.public-readers.en.docx",
    }
    assert "OVERRIDE" in pdf_text(out / "small-dossier/small-dossier.public-readers.en.pdf")


def test_a_damaged_output_is_rebuilt(project, tmp_path):
    out = tmp_path / "out"
    build_project(project, BuildOptions(out=out, jobs=2))
    target = out / "small-brief/small-brief.public-readers.en.pdf"
    target.write_bytes(b"damaged")
    report = build_project(project, BuildOptions(out=out, jobs=2))
    assert built_paths(report) == {
        "small-brief/small-brief.public-readers.en.pdf",
        "small-brief/small-brief.public-readers.en.docx",
    }
    assert target.read_bytes().startswith(b"%PDF")


def test_html_output_renders_to_the_same_pdf_with_weasyprint_alone(project, tmp_path):
    from weasyprint import HTML

    out = tmp_path / "out"
    build_project(project, BuildOptions(out=out, jobs=1, briefs=["small-dossier"], formats=["pdf", "html"]))
    html_file = out / "small-dossier/small-dossier.public-readers.en.html"
    direct = HTML(filename=str(html_file)).render()
    manifest = json.loads((out / "manifest.json").read_text())
    [pdf_entry] = [e for e in manifest["outputs"] if e["format"] == "pdf"]
    assert len(direct.pages) == pdf_entry["pages"]
    resources = out / "small-dossier/small-dossier.public-readers.en_files"
    assert (resources / "_theme/fonts/NotoSerif-Regular.ttf").is_file()


def test_plain_progress_lines_when_not_a_terminal(project, tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefgen",
            "build",
            str(project),
            "-o",
            str(tmp_path / "out"),
            "--format",
            "pdf",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert sum(line.startswith("built: ") for line in lines) == 3
    assert lines[-1].startswith("briefgen: 3 file(s) written, 0 up to date")
    assert "\x1b[" not in result.stderr


def test_html_copies_share_their_fonts_as_hard_links(tmp_path):
    """Every HTML copy has its own resource folder, but the bytes they have in common (the
    theme's fonts) are written once and hard-linked: 200 recipients' copies were 1.2 GB."""
    out = tmp_path / "out"
    report = build_project(PROJECTS / "letters", BuildOptions(out=out, formats=["html"], jobs=1, force=True))
    assert not [d for d in report.diagnostics if d.is_error]
    folders = sorted(out.rglob("*_files"))
    assert len(folders) >= 2
    fonts = [sorted(f for f in folder.rglob("*.ttf")) for folder in folders]
    assert fonts[0] and [f.name for f in fonts[0]] == [f.name for f in fonts[1]]
    for first, second in zip(fonts[0], fonts[1], strict=True):
        assert first.stat().st_ino == second.stat().st_ino
        assert first.read_bytes() == second.read_bytes()


def test_a_resource_is_written_again_when_the_earlier_file_is_gone(tmp_path):
    from briefgen.writers.html import place_file

    data = b"font bytes " * 100
    place_file(tmp_path / "a.ttf", data)
    place_file(tmp_path / "b.ttf", data)
    assert (tmp_path / "a.ttf").stat().st_ino == (tmp_path / "b.ttf").stat().st_ino
    (tmp_path / "a.ttf").unlink()
    (tmp_path / "b.ttf").unlink()  # published under another name, or discarded
    place_file(tmp_path / "c.ttf", data)
    assert (tmp_path / "c.ttf").read_bytes() == data and (tmp_path / "c.ttf").stat().st_nlink == 1
    place_file(tmp_path / "d.ttf", b"other bytes")
    assert (tmp_path / "d.ttf").read_bytes() == b"other bytes" and (tmp_path / "d.ttf").stat().st_nlink == 1


def test_a_resource_placed_again_never_writes_through_a_link(tmp_path):
    """A path that already holds a file (perhaps a link to another output's file) is
    replaced, not written into: the other output keeps its bytes."""
    from briefgen.writers.html import forget_written, place_file

    forget_written()
    place_file(tmp_path / "a.png", b"first bytes")
    place_file(tmp_path / "b.png", b"first bytes")
    assert (tmp_path / "a.png").stat().st_ino == (tmp_path / "b.png").stat().st_ino
    place_file(tmp_path / "b.png", b"other bytes")
    assert (tmp_path / "a.png").read_bytes() == b"first bytes"
    assert (tmp_path / "b.png").read_bytes() == b"other bytes"
    forget_written()
    place_file(tmp_path / "c.png", b"first bytes")  # no link to an earlier build's file
    assert (tmp_path / "c.png").stat().st_nlink == 1
