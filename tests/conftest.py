"""Shared test helpers: building projects for real and reading PDF and DOCX back."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build_project

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROJECTS = FIXTURES / "projects"


# Debian's Chromium as the browser tests start it (Playwright, executable_path): without the
# background-networking flags it tries hosts this machine cannot reach, many at a time.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def words(text: str) -> str:
    """Letters and digits only, case-folded: compares text across line breaks and hyphenation."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "", text)


def pdf_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def pdf_pages_text(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def docx_text(path: Path, footnotes: bool = True) -> str:
    """Body paragraphs (tables included, in order), then footnotes."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(path))
    body = document.element.body
    parts = []
    for paragraph in body.iter(qn("w:p")):
        parts.append("".join(t.text or "" for t in paragraph.iter(qn("w:t"))))
    text = "\n".join(parts)
    if footnotes:
        part = next((p for p in document.part.package.parts if p.partname == "/word/footnotes.xml"), None)
        if part is not None:
            from lxml import etree

            root = etree.fromstring(part.blob)
            text += "\n" + "\n".join(
                "".join(t.text or "" for t in fn.iter(qn("w:t"))) for fn in root.iter(qn("w:footnote"))
            )
    return text


def build(project: Path, out: Path, **options) -> dict:
    build_project(project, BuildOptions(out=out, **options))
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def copy_project(name: str, destination: Path) -> Path:
    target = destination / name
    shutil.copytree(PROJECTS / name, target)
    return target


def copy_project_with(name: str, destination: Path, file: str, old: str, new: str) -> Path:
    """A copy of the fixture project `name` whose `file` has `old` (which it must hold) as `new`."""
    target = copy_project(name, destination)
    path = target / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{file} of the {name} fixture no longer holds {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return target


def casefile_with_dossier_line(destination: Path, line: str) -> Path:
    """A copy of the casefile fixture whose public audience's dossier template adds `line`
    after the built-in content, as line 4 of its override."""
    root = copy_project("casefile", destination)
    override = root / "templates" / "public" / "case-dossier.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text(
        '{% extends "builtin/case-dossier.html.j2" %}\n{% block content %}\n{{ super() }}\n'
        f"{line}\n{{% endblock %}}\n",
        encoding="utf-8",
    )
    return root


def read_fixture(src: str) -> tuple[bytes, str]:
    """A writer's resource reader over tests/fixtures/ (a PNG by its name), refusing what
    lies outside it, as the project's sandbox does."""
    from briefgen.document import ResourceError

    path = (FIXTURES / src).resolve()
    if not path.is_relative_to(FIXTURES) or not path.is_file():
        raise ResourceError(f"{src}: not found in the fixtures")
    return path.read_bytes(), "image/png"


def cached_starter(tmp_path: Path, *first: str) -> tuple[Path, dict]:
    """`briefgen init`'s starter in tmp_path/project, with a cache key of its own (its own
    XDG_CACHE_HOME, in the environment returned), after `briefgen FIRST[0] PROJECT FIRST[1:]`
    filled its cache: for a script then run in a fresh interpreter (python_script)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    root = tmp_path / "project"
    briefgen = [sys.executable, "-m", "briefgen"]
    assert subprocess.run([*briefgen, "init", str(root)], env=env, capture_output=True).returncode == 0
    done = subprocess.run(
        [*briefgen, first[0], str(root), *first[1:]], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return root, env


def python_script(script: str, root: Path, env: dict) -> list[str]:
    """The lines `script` prints, run as `python -c SCRIPT ROOT` in a fresh interpreter (one
    that has built no validator and imported nothing yet); it must succeed."""
    run = subprocess.run(
        [sys.executable, "-c", script, str(root)], env=env, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()


def copy_repository_project(tmp_path: Path) -> Path:
    """A copy of the repository's own project (settings, content, templates, assets) in
    tmp_path/project, for tests that write into it."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "briefgen.yaml", root)
    for folder in ("content", "templates", "assets"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.fixture(scope="session")
def repo_build(tmp_path_factory) -> tuple[Path, dict]:
    """The repository's own project, built once per test session (PDF and DOCX)."""
    out = tmp_path_factory.mktemp("repo-output")
    manifest = build(REPO, out, jobs=2)
    return out, manifest


@pytest.fixture(autouse=True)
def _chart_engine_stays_out_of_the_test_process(request):
    """Fails the test that starts the chart engine in the test process itself: builds of
    later tests in this process would then spawn, not fork, their workers (pool.start_method),
    and early-pool tests fail far from the cause. Draw in a child (charts_support.in_child)."""
    import sys

    yield
    vega = sys.modules.get("briefgen.charts.vega")
    if vega is not None and vega.engine_started_here() and not _ENGINE_REPORTED:
        _ENGINE_REPORTED.append(request.node.nodeid)  # the first test that did it, only
        pytest.fail(f"{request.node.nodeid} started the chart engine in the test process", pytrace=False)


_ENGINE_REPORTED: list[str] = []


def no_resources(url: str) -> tuple[bytes, str]:
    """A writer's resource reader for documents that read nothing: every request fails."""
    from briefgen.document import ResourceError

    raise ResourceError(f"{url}: not available")


def virtual_document(html: str, read_resource=no_resources):
    """`html` as a RenderedDocument in the default theme, English, dated 19 January 2016, with
    no project behind it: what the PDF writer's unit tests lay out."""
    from datetime import UTC, datetime

    from briefgen.document import RenderedDocument
    from briefgen.theme import BUILTIN_THEMES, load_theme

    return RenderedDocument(
        html=html,
        theme=load_theme(BUILTIN_THEMES / "default"),
        read_resource=read_resource,
        base_url="file:///virtual/",
        template="policy-brief.html.j2",
        language="en",
        timestamp=datetime(2016, 1, 19, tzinfo=UTC),
    )
