"""Sheets briefgen does not know (a user's own notes tab, an unrecognised CSV file) are
skipped with a warning naming them, and do not block the import of the others; a sheet
that looks like one of briefgen's renamed says so in its hint."""

# ruff: noqa: E501 (exact messages read better on one line each)

from __future__ import annotations

import io

from click.testing import CliRunner
from openpyxl import load_workbook
from sheethelp import FIXTURE, copy_fixture, edit, export, project_files, run_import

from briefgen.cli import main

HINT_SHEETS = "briefgen reads the sheets Cases, People, Timeline, Charges, Violations, Proceedings, Designations, Recognitions, Affiliations, Notes, Contacts, Health"


def with_sheet(data: bytes, name: str, rows: list[list[object]]) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    ws = workbook.create_sheet(name)
    for values in rows:
        ws.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_notes_sheet_is_skipped_with_a_warning_and_the_rest_is_imported(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    data = edit(export(root), [("Cases", "lena-case", "status", "released")])
    data = with_sheet(data, "My notes", [["To do", "who"], ["call the lawyer", "Anna"]])
    report = run_import(root, ("book.xlsx", data))
    assert [str(p) for p in report.problems] == [
        f"book.xlsx:My notes!A1: warning: the sheet 'My notes' is not one of briefgen's: skipped, nothing in it is imported (hint: {HINT_SHEETS})"
    ]
    assert report.errors == [] and len(report.warnings) == 1
    assert report.written == ["content/cases.yaml"] and report.changed == 1
    assert "    status: released\n" in (root / "content/cases.yaml").read_text()


def test_a_renamed_sheet_is_named_in_the_hint(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    before = project_files(root)
    workbook = load_workbook(io.BytesIO(export(root)))
    workbook["Cases"].title = "Cases 2024"  # its edits would be lost: the warning says so
    workbook["People"].title = "Persons"
    workbook.create_sheet("Sheet1")  # an empty sheet: nothing to lose, nothing said
    out = io.BytesIO()
    workbook.save(out)
    report = run_import(root, ("book.xlsx", out.getvalue()))
    assert [str(p) for p in report.problems] == [
        "book.xlsx:Cases 2024!A1: warning: the sheet 'Cases 2024' is not one of briefgen's: skipped, nothing in it is imported (hint: if it is the sheet Cases renamed, name it Cases again)",
        "book.xlsx:Persons!A1: warning: the sheet 'Persons' is not one of briefgen's: skipped, nothing in it is imported (hint: if it is the sheet People renamed, name it People again)",
    ]
    assert project_files(root) == before


def test_an_unknown_csv_file_is_skipped_with_a_warning(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    before = project_files(root)
    report = run_import(root, ("todo.csv", b"task,owner\ncall the lawyer,Anna\n"))
    assert [str(p) for p in report.problems] == [
        f"todo.csv: warning: the sheet 'todo' is not one of briefgen's: skipped, nothing in it is imported (hint: {HINT_SHEETS})"
    ]
    assert project_files(root) == before


def test_cli_prints_the_warning_and_exits_0_or_1_by_the_errors(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    book = tmp_path / "cases.xlsx"
    runner = CliRunner()
    data = with_sheet(export(root), "My notes", [["remember the hearing"]])
    book.write_bytes(edit(data, [("Cases", "lena-case", "status", "released")]))
    result = runner.invoke(main, ["sheet", "import", str(root), str(book)])
    assert result.exit_code == 0, result.output
    assert f"{book}:My notes!A1: warning: the sheet 'My notes' is not one of briefgen's" in result.output
    assert "0 added, 1 value(s) changed (content/cases.yaml)" in result.output
    # A warning does not hide an error, nor let anything be written.
    before = project_files(root)
    book.write_bytes(edit(data, [("Cases", "lena-case", "status", "imprisonned")]))
    result = runner.invoke(main, ["sheet", "import", str(root), str(book)])
    assert result.exit_code == 1
    assert "warning: the sheet 'My notes'" in result.output
    assert "briefgen: 1 error(s); nothing was written" in result.output
    assert project_files(root) == before
