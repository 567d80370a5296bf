"""Every PDF and DOCX briefgen makes, before checkers that are not briefgen's own.

`pdfua check` (PDF/UA-1, machine-checkable Matterhorn rules) and `openxml-audit --policy
strict` (OOXML) run over the repository project's outputs, every fixture project's outputs
and the vocabulary sample written in both formats. They must report nothing; the only
exceptions are the checker mistakes listed in docs/quality-notes.md, read from there.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
import pytest
from conftest import FIXTURES, PROJECTS, REPO, build

from briefgen.document import RenderedDocument
from briefgen.render import theme_css
from briefgen.resources import ResourceSandbox
from briefgen.theme import BUILTIN_THEMES, load_theme
from briefgen.writers import docx as docx_writer
from briefgen.writers import pdf as pdf_writer

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
QUALITY_NOTES = REPO / "docs" / "quality-notes.md"


def checker_mistakes() -> set[tuple[str, str, str]]:
    """(checker, rule, kind) rows of the "Checker mistakes" table in docs/quality-notes.md."""
    text = QUALITY_NOTES.read_text(encoding="utf-8")
    section = text.split("## Checker mistakes", 1)[1]
    rows = set()
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("checker", "") and not set(cells[0]) <= {"-"}:
            rows.add((cells[0], cells[1], cells[2]))
    return rows


@pytest.fixture(scope="module")
def fixture_outputs(tmp_path_factory) -> Path:
    """Every fixture project built in both formats, and the vocabulary sample (every element
    of docs/html-vocabulary.md) written as PDF and DOCX with the default theme's CSS."""
    out = tmp_path_factory.mktemp("fixture-outputs")
    for project in sorted(PROJECTS.iterdir()):
        if (project / "briefgen.yaml").is_file():
            build(project, out / project.name, jobs=2)
    theme = load_theme(BUILTIN_THEMES / "default")
    root = out / "sample-project"
    (root / "assets").mkdir(parents=True)
    for image in FIXTURES.glob("*.png"):
        shutil.copy(image, root / "assets" / image.name)
    html = (FIXTURES / "vocabulary-sample.html").read_text(encoding="utf-8")
    html = html.replace('<link rel="stylesheet" href="theme.css">', f"<style>{theme_css(theme)}</style>")
    html = re.sub(r'src="([\w-]+\.png)"', r'src="assets/\1"', html)
    sandbox = ResourceSandbox(root, theme.folder)
    sample = RenderedDocument(
        html=html,
        theme=theme,
        read_resource=sandbox.read,
        base_url=sandbox.base_url,
        template="policy-brief.html.j2",
        language="en",
        timestamp=datetime(2016, 1, 19, tzinfo=UTC),
    )
    (out / "sample").mkdir()
    pdf_writer.write(sample, out / "sample" / "vocabulary-sample.pdf")
    docx_writer.write(sample, out / "sample" / "vocabulary-sample.docx")
    return out


@pytest.fixture(scope="module")
def folders(repo_build, fixture_outputs) -> list[Path]:
    return [repo_build[0], fixture_outputs]


def files(folders: list[Path], suffix: str) -> list[Path]:
    found = sorted(path for folder in folders for path in folder.rglob(f"*{suffix}"))
    assert found, f"no {suffix} files were built"
    return found


def _json_documents(text: str) -> list[dict]:
    """pdfua prints one JSON document per file, one after the other."""
    decoder, documents, index = json.JSONDecoder(), [], 0
    while index < len(text):
        if text[index].isspace():
            index += 1
            continue
        document, index = decoder.raw_decode(text, index)
        documents.append(document)
    return documents


def test_the_exceptions_are_read_from_the_quality_notes():
    assert ("pdfua", "UA-14-001", "skipped") in checker_mistakes()


def test_pdfua_finds_nothing_in_any_pdf(folders):
    pdfs = files(folders, ".pdf")
    assert len(pdfs) >= 30
    result = subprocess.run(
        [BIN / "pdfua", "check", "--format", "json", *map(str, pdfs)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    reports = _json_documents(result.stdout)
    assert [Path(r["file"]) for r in reports] == pdfs, result.stderr
    allowed = checker_mistakes()
    problems = []
    for report in reports:
        name = Path(report["file"]).name
        for finding in report["findings"]:
            if ("pdfua", finding["rule_id"], "finding") not in allowed:
                problems.append(f"{name}: {finding['rule_id']} {finding.get('message', '')[:200]}")
        for skipped in report["skipped"]:
            if ("pdfua", skipped["rule_id"], "skipped") not in allowed:
                problems.append(f"{name}: {skipped['rule_id']} not evaluated: {skipped['reason']}")
        assert report["summary"]["rules_run"] >= 10, report["summary"]
    assert not problems, "\n".join(problems)


def test_every_heading_reaches_marked_content(folders):
    """UA-14-001's intent (headings are not empty), which pdfua cannot evaluate with this
    pikepdf (docs/quality-notes.md)."""
    for path in files(folders, ".pdf"):
        with pikepdf.open(path) as pdf:
            headings = list(_headings(pdf.Root.StructTreeRoot))
            assert headings, f"{path.name}: no headings in the structure tree"
            empty = [role for role, node in headings if not _marks_content(node)]
            assert not empty, f"{path.name}: empty headings {empty}"


def _headings(node, depth=0):
    if depth > 200 or not isinstance(node, pikepdf.Dictionary):
        return
    role = str(node.get("/S", ""))
    if re.fullmatch(r"/H[1-6]", role):
        yield role, node
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        yield from _headings(kid, depth + 1)


def _marks_content(node, depth=0) -> bool:
    if depth > 200:
        return False
    if isinstance(node, int):
        return True
    if isinstance(node, pikepdf.Array):
        return any(_marks_content(kid, depth + 1) for kid in node)
    if isinstance(node, pikepdf.Dictionary):
        if node.get("/Type") == pikepdf.Name("/MCR"):
            return True
        return "/K" in node and _marks_content(node["/K"], depth + 1)
    return False


def test_tables_have_header_cells_with_scope(repo_build):
    """The repository's briefs have tables; each header cell is /TH with a /Scope: /Column
    for column headings, /Row for the row headings of a dossier's facts table."""
    scopes = []
    for path in files([repo_build[0]], ".pdf"):
        with pikepdf.open(path) as pdf:
            for node in pdf.objects:
                if isinstance(node, pikepdf.Dictionary) and node.get("/S") == pikepdf.Name("/TH"):
                    scopes.append(str(node.get("/A", {}).get("/Scope")))
    assert "/Column" in scopes and set(scopes) <= {"/Column", "/Row"}


def test_openxml_audit_strict_finds_nothing_in_any_docx(folders):
    docx_files = files(folders, ".docx")
    assert len(docx_files) >= 30
    # One process per file: with --recursive, openxml-audit caches cross-part lookups by
    # id() of the package, which CPython reuses for the next file, so a document is checked
    # against another's footnote ids (docs/quality-notes.md).
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(_audit, docx_files))
    allowed = checker_mistakes()
    problems = []
    for path, report in zip(docx_files, reports, strict=True):
        # Findings carry no rule id; the description ("Unexpected element 'x' found") is one.
        for error in report["errors"]:
            if ("openxml-audit", error.get("description", ""), "finding") not in allowed:
                problems.append(f"{path.name}: {json.dumps(error)[:400]}")
        if not report["errors"] and (not report["valid"] or report["error_count"] or report["warning_count"]):
            problems.append(f"{path.name}: {json.dumps(report)[:400]}")
    assert not problems, "\n".join(problems)


def _audit(path: Path) -> dict:
    result = subprocess.run(
        [BIN / "openxml-audit", "--policy", "strict", "--output", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    (report,) = json.loads(result.stdout)  # exit status 1 with findings: the report says which
    assert Path(report["file"]).name == path.name
    return report
