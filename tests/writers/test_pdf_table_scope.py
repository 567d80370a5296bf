"""PDF table header cells: /TH with /Scope in the structure tree (writers/pdf_tags.py).

Checked from the written file with pikepdf, and with the independent `pdfua` checker, which
reported UA-15-003 (header cells not associated with data cells) for every table before.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pikepdf
from conftest import virtual_document

from briefgen.writers.pdf import write

TABLE = """
<table>
  <caption>Detained</caption>
  <thead><tr><th scope="col">Name</th><th>Status</th><th scope="colgroup">Since</th></tr></thead>
  <tbody>
    <tr><th scope="row">Anar Mammadli</th><td>Imprisoned</td><td>2013</td></tr>
    <tr><th scope="rowgroup">Emin Huseynov</th><td>In exile</td><td>2015</td></tr>
  </tbody>
</table>
"""


def write_table(tmp_path: Path) -> Path:
    html = (
        '<!DOCTYPE html><html lang="en"><head><title>Table</title></head>'
        f"<body><h1>Cases</h1>{TABLE}</body></html>"
    )
    document = virtual_document(html)
    return write(document, tmp_path / "table.pdf").path


def header_cells(path: Path) -> list[tuple[str, str | None]]:
    """(text-free) /TH cells in structure order with their /Scope."""
    found = []
    with pikepdf.open(path) as pdf:

        def walk(node, depth=0):
            if depth > 100 or not isinstance(node, pikepdf.Dictionary):
                return
            if node.get("/S") == pikepdf.Name("/TH"):
                scope = node.get("/A", pikepdf.Dictionary()).get("/Scope")
                found.append((str(node.get("/ID", "")), None if scope is None else str(scope)))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid, depth + 1)

        walk(pdf.Root.StructTreeRoot)
    return found


def test_header_cells_carry_the_scope_the_html_gives(tmp_path):
    scopes = [scope for _, scope in header_cells(write_table(tmp_path))]
    # scope="col", none (a column header, as WeasyPrint maps it), "colgroup"; "row", "rowgroup".
    assert scopes == ["/Column", "/Column", "/Column", "/Row", "/Row"]


def test_the_independent_checker_finds_the_table_determinable(tmp_path):
    path = write_table(tmp_path)
    result = subprocess.run(
        [Path(sys.executable).parent / "pdfua", "check", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(result.stdout)
    assert [f["rule_id"] for f in report["findings"]] == []
    assert "UA-15-003" not in {s["rule_id"] for s in report["skipped"]}
