"""A workbook given back after the YAML files changed: the import compares each cell with
what it was when exported (the hidden sheet Exported), so it never undoes a change made in
the files meanwhile, never writes a row over an entry that moved, and says where a cell was
changed on both sides. Its clearance cannot be typed over."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sheethelp import FIXTURE, copy_fixture, edit, export, project_files, run_import

CASES = "content/cases.yaml"


def release_lena(root):
    """The case file, edited after the export as someone else would: Lena is released."""
    cases = root / CASES
    text = cases.read_text(encoding="utf-8")
    cases.write_text(text.replace("    status: imprisoned\n", "    status: released\n", 1), encoding="utf-8")
    return cases


def test_an_unedited_stale_workbook_changes_nothing(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    workbook = export(root)
    cases = root / CASES
    text = cases.read_text(encoding="utf-8")
    # Edited in the files after the export: a status, and a new first timeline entry.
    text = text.replace("    status: imprisoned\n", "    status: released\n", 1)
    text = text.replace(
        "    timeline:\n      - date: 2023-02\n",
        "    timeline:\n      - date: 2022-12-01\n        type: search\n        text: Searched.\n"
        "      - date: 2023-02\n",
        1,
    )
    cases.write_text(text, encoding="utf-8")
    before = project_files(root)
    report = run_import(root, ("book.xlsx", workbook))
    assert report.errors == [], [str(p) for p in report.errors]
    assert (report.changed, report.added) == (0, 0)
    assert project_files(root) == before


def test_an_edit_lands_beside_the_files_own_changes(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    workbook = edit(export(root), [("Cases", "lena-case", "title[en]", "Lena Petrova's case")])
    cases = release_lena(root)
    report = run_import(root, ("book.xlsx", workbook))
    assert report.errors == [], [str(p) for p in report.errors]
    text = cases.read_text(encoding="utf-8")
    assert "status: released" in text  # the file's change stays
    assert "Lena Petrova's case" in text  # the workbook's lands
    assert report.changed == 1


def test_a_cell_changed_on_both_sides_is_a_problem_and_nothing_is_written(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    workbook = edit(export(root), [("Cases", "lena-case", "status", "detained")])
    release_lena(root)
    before = project_files(root)
    report = run_import(root, ("book.xlsx", workbook))
    (problem,) = report.errors
    assert str(problem).startswith("book.xlsx:Cases!")
    assert f"{CASES} changed it too since the export" in str(problem)
    assert project_files(root) == before


def test_a_changed_row_whose_entry_moved_is_a_problem(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    # The user corrects entry 3 (the transfer); meanwhile an entry is put before the first.
    workbook = edit(export(root), [("Timeline", ("lena-case", 3), "date", "2024-02")])
    cases = root / CASES
    cases.write_text(
        cases.read_text(encoding="utf-8").replace(
            "    timeline:\n      - date: 2023-02\n",
            "    timeline:\n      - date: 2022-12-01\n        type: search\n        text: Searched.\n"
            "      - date: 2023-02\n",
            1,
        ),
        encoding="utf-8",
    )
    before = project_files(root)
    report = run_import(root, ("book.xlsx", workbook))
    (problem,) = report.errors
    assert str(problem).startswith("book.xlsx:Timeline!A")
    assert "is no longer what the workbook was exported with" in str(problem)
    assert project_files(root) == before


def test_the_clearance_cannot_be_typed_over(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    book = load_workbook(io.BytesIO(export(root)))
    assert book["Exported"].sheet_state == "hidden"
    book["README"]["B2"] = "confidential"
    out = io.BytesIO()
    book.save(out)
    before = project_files(root)
    report = run_import(root, ("book.xlsx", out.getvalue()))
    (problem,) = report.errors
    assert str(problem) == (
        "book.xlsx:README!B2: the clearance was changed: this workbook was exported for 'public' "
        "(hint: put back 'public', or export a workbook with --clearance confidential)"
    )
    assert project_files(root) == before


def test_a_file_that_cannot_be_written_is_an_error_not_a_traceback(tmp_path, monkeypatch):
    import errno
    import tempfile

    root = copy_fixture(FIXTURE, tmp_path)
    changes = [
        ("Cases", "lena-case", "title[en]", "Changed"),
        ("People", "+new", "id", "new-person"),
        ("People", "+new", "name[en]", "New Person"),
    ]
    workbook = edit(export(root), changes)
    before = project_files(root)
    real, calls = tempfile.mkstemp, []

    def full_disk(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the second file of the import
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", full_disk)
    report = run_import(root, ("book.xlsx", workbook))
    (problem,) = report.errors
    assert "cannot write the file: No space left on device; nothing was written" in str(problem)
    assert project_files(root) == before


def test_without_its_readme_a_workbook_keeps_the_clearance_it_was_made_for(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    workbook = edit(
        export(root, "confidential"), [("Cases", "omar-case", "detention.place[en]", "Prison No. 2")]
    )
    book = load_workbook(io.BytesIO(workbook))
    del book["README"]
    out = io.BytesIO()
    book.save(out)
    report = run_import(root, ("book.xlsx", out.getvalue()))
    assert report.errors == [], [str(p) for p in report.errors]
    assert report.clearance == "confidential"
    assert "place: Prison No. 2" in (root / CASES).read_text(encoding="utf-8")
