"""Helpers of the spreadsheet tests: copy a project, export it, edit cells as a user would."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from conftest import PROJECTS, REPO, copy_repository_project  # noqa: F401 (read from here by the sheet tests)
from openpyxl import load_workbook

from briefgen.load import load_project
from briefgen.sheet.export import export_workbook
from briefgen.sheet.ingest import import_files

FIXTURE = PROJECTS / "sheet"
CANARIES = PROJECTS / "canaries"


def copy_fixture(source: Path, tmp_path: Path) -> Path:
    root = tmp_path / source.name
    shutil.copytree(source, root)
    return root


def project_files(root: Path) -> dict[str, bytes]:
    """Every file of the project, by relative path: to see what an import changed."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def export(root: Path, clearance: str = "public") -> bytes:
    loaded = load_project(root)
    assert loaded.model is not None, [str(d) for d in loaded.errors]
    data, _ = export_workbook(loaded.model, clearance)
    return data


def run_import(root: Path, *files: tuple[str, bytes]):
    return import_files(root, list(files))


def edit(data: bytes, changes: list[tuple[str, object, str, object]]) -> bytes:
    """The workbook with cells changed: (sheet, row key, header, value); the row key is an
    id, (case, entry) for Timeline, or "+NAME" for a new row (the same NAME: the same row)."""
    workbook = load_workbook(io.BytesIO(data))
    new_rows: dict[str, int] = {}
    for sheet, key, header, value in changes:
        ws = workbook[sheet]
        headers = {cell.value: cell.column for cell in ws[1]}
        if header not in headers:
            column = ws.max_column + 1
            ws.cell(row=1, column=column).value = header
            headers[header] = column
        row = None if isinstance(key, str) and key.startswith("+") else find_row(ws, key)
        if row is None:
            if key not in new_rows:
                new_rows[key] = ws.max_row + 1
            row = new_rows[key]
        cell = ws.cell(row=row, column=headers[header])
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def find_row(ws, key) -> int | None:
    for row in ws.iter_rows(min_row=2):
        if isinstance(key, tuple):
            if (row[0].value, row[1].value) == key:
                return row[0].row
        elif row[0].value == key:
            return row[0].row
    return None


def cell_of(data: bytes, sheet: str, key, header: str) -> str:
    """The coordinate (e.g. G3) of a row's cell in the exported workbook."""
    ws = load_workbook(io.BytesIO(data))[sheet]
    headers = {cell.value: cell.column_letter for cell in ws[1]}
    return f"{headers[header]}{find_row(ws, key)}"


def all_cells(data: bytes, skip: tuple[str, ...] = ()) -> list[str]:
    """The text of every cell of every sheet (but those named in `skip`)."""
    workbook = load_workbook(io.BytesIO(data))
    return [
        str(c.value)
        for ws in workbook.worksheets
        if ws.title not in skip
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]
