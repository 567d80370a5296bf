"""sheet import refuses what it cannot import faithfully: every problem at once, each at its
sheet and cell (`FILE:SHEET!CELL`, or `FILE:LINE:COLUMN` for CSV), and nothing written.
Also the clearance canaries: what the export leaves out never reaches the workbook, and an
import keeps it as it was.
"""

# ruff: noqa: E501 (exact messages and the table of edits read better on one line each)

from __future__ import annotations

import io
from datetime import datetime

from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sheethelp import (
    CANARIES,
    FIXTURE,
    all_cells,
    cell_of,
    copy_fixture,
    edit,
    export,
    project_files,
    run_import,
)

from briefgen.cli import main


def problems(report) -> list[str]:
    return [str(p) for p in report.problems]


def test_the_error_corpus_each_at_its_sheet_and_cell(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    before = project_files(root)
    data = export(root)
    at = lambda sheet, key, header: f"book.xlsx:{sheet}!{cell_of(data, sheet, key, header)}"  # noqa: E731
    edited = edit(
        data,
        [
            ("Cases", "lena-case", "status", "imprisonned"),
            ("Cases", "lena-case", "status_date", "2016-02-30"),
            ("Cases", "omar-case", "subjects", "omar-said\nomar-sayd"),
            ("Cases", "lena-case", "sentence.court[en]", 1.1),
            ("Cases", "+dup", "id", "omar-case"),
            ("Cases", "+dup", "status", "detained"),
            ("Cases", "+new", "id", "new-case"),
            ("Cases", "+new", "subjects", "lena-petrova"),
            ("Cases", "+new", "status", "detained"),
            ("Cases", "omar-case", "detention.place[en]", "Somewhere else"),
            ("People", "+hidden", "id", "hidden-person"),
            ("People", "+hidden", "name[en]", "Someone"),
            ("People", "lena-petrova", "occupation[en]", True),
            ("Timeline", ("lena-case", 1), "source", "court-recrod"),
            ("Timeline", "+entry", "case", "lena-case"),
            ("Timeline", "+entry", "entry", 4),
            ("Timeline", "+entry", "date", datetime(2024, 3, 1)),
            ("Timeline", "+entry", "type", "visit"),
        ],
    )
    report = run_import(root, ("book.xlsx", edited))
    timeline_row = load_workbook(io.BytesIO(edited))["Timeline"].max_row
    expected = [
        f"{at('People', 'lena-petrova', 'occupation[en]')}: the spreadsheet made this cell the truth value TRUE, "
        "but the field is text: what was typed may have been changed (leading zeros, decimals, dates) "
        "(hint: format the cell as Text and type the value again, or start it with an apostrophe ('))",
        "book.xlsx:People!A4: the id 'hidden-person' is already used in the project (hint: choose another id)",
        "book.xlsx:Cases!E2: unknown status 'imprisonned' (hint: did you mean 'imprisoned'?)",
        f"{at('Cases', 'lena-case', 'status_date')}: 2016-02-30 is not a real date (day is out of range for month) "
        "(hint: check the day and the month)",
        f"{at('Cases', 'lena-case', 'sentence.court[en]')}: the spreadsheet made this cell the number 1.1, but the field "
        "is text: what was typed may have been changed (leading zeros, decimals, dates) "
        "(hint: format the cell as Text and type the value again, or start it with an apostrophe ('))",
        f"{at('Cases', 'omar-case', 'subjects')}: unknown person 'omar-sayd' (hint: did you mean 'omar-said'?)",
        f"{at('Cases', 'omar-case', 'detention.place[en]')}: the detention details of this case are above this "
        "workbook's clearance (public) (hint: edit them in the YAML file, or export with a higher --clearance)",
        "book.xlsx:Cases!A4: duplicate id 'omar-case': row Cases!A3 has it too (hint: give each row its own id)",
        "book.xlsx:Cases!G5: a new case needs summary (hint: what happened, in a few paragraphs (markdown: "
        "*emphasis*, [@source-id] citations))",
        f"{at('Timeline', ('lena-case', 1), 'source')}: unknown source 'court-recrod' "
        "(hint: did you mean 'court-record'?)",
        f"book.xlsx:Timeline!B{timeline_row}: the case 'lena-case' has no entry 4 in this workbook "
        "(hint: leave the entry number empty for a new entry)",
        f"book.xlsx:Timeline!D{timeline_row}: unknown type 'visit' (hint: allowed: "
        + ", ".join(__import__("briefgen.model", fromlist=["x"]).TIMELINE_TYPES)
        + ")",
    ]
    got = problems(report)
    for line in expected:
        assert line in got, "\n".join(got)
    # Entry 4 is above the clearance: refused, without saying what is there.
    assert not any("CANARY" in line for line in got)
    assert len(got) == len(expected), "\n".join(got)
    assert project_files(root) == before


def test_an_entry_above_the_clearance_cannot_be_edited(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    before = project_files(root)
    edited = edit(
        export(root),
        [
            ("Timeline", "+entry", "case", "lena-case"),
            ("Timeline", "+entry", "entry", 4),
            ("Timeline", "+entry", "date", "2024-03-01"),
            ("Timeline", "+entry", "type", "other"),
            ("Timeline", "+entry", "text[en]", "Overwritten."),
        ],
    )
    got = problems(run_import(root, ("book.xlsx", edited)))
    assert got == [
        "book.xlsx:Timeline!B5: the case 'lena-case' has no entry 4 in this workbook "
        "(hint: leave the entry number empty for a new entry)"
    ]
    assert project_files(root) == before


def test_problems_of_the_imported_project_are_shown_at_the_row(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    before = project_files(root)
    edited = edit(
        export(root),
        [("People", "+p", "id", "new-person"), ("People", "+p", "name[en]", "New Person"),
         ("People", "+p", "photo", "photos/missing.png")],
    )  # fmt: skip
    got = problems(run_import(root, ("book.xlsx", edited)))
    assert len(got) >= 1 and all(line.startswith("book.xlsx:People!A4: ") for line in got), got
    assert any("photos/missing.png" in line and "content/people/new-person.yaml:" in line for line in got), (
        got
    )
    assert project_files(root) == before


def test_unknown_and_doubled_columns_and_formulas(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    data = export(root)
    workbook = load_workbook(io.BytesIO(data))
    cases = workbook["Cases"]
    first = cases.max_column + 1  # after the exported columns, however many there are
    cases.cell(row=1, column=first).value = "statsu"
    cases.cell(row=1, column=first + 1).value = "status"
    statsu, status = get_column_letter(first), get_column_letter(first + 1)
    people = workbook["People"]
    people["H2"] = "=A2"  # a real formula typed by the user
    out = io.BytesIO()
    workbook.save(out)
    got = problems(run_import(root, ("book.xlsx", out.getvalue())))
    assert f"book.xlsx:Cases!{statsu}1: unknown column 'statsu' (hint: did you mean 'status'?)" in got
    assert (
        f"book.xlsx:Cases!{status}1: the column 'status' is there twice (also at Cases!E1) "
        "(hint: keep one of them)" in got
    )
    assert len(got) == 2  # the formula is found only once the headers are right
    cases.delete_cols(first, 2)
    out = io.BytesIO()
    workbook.save(out)
    got = problems(run_import(root, ("book.xlsx", out.getvalue())))
    assert got == [
        "book.xlsx:People!H2: this cell holds a formula (=A2); briefgen reads values only (hint: copy the "
        "cells and paste them as values, or type the text with an apostrophe (') first)"
    ]


def test_csv_problems_are_at_line_and_column(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    before = project_files(root)
    csv = (
        "id,subjects,status,status_date,summary[en]\n"
        'new-case,lena-petrova,detained,2024-13-01,"Two lines,\nwith a comma"\n'
        "other-case,nobody-here,arested,,Text\n"
    )
    got = problems(run_import(root, ("Cases.csv", csv.encode())))
    # Line 3 is the second line of a quoted cell: the next row starts on line 4.
    assert got == [
        "Cases.csv:2:32: 2024-13-01 is not a real date (month must be in 1..12) (hint: check the day and the month)",
        "Cases.csv:4:12: unknown person 'nobody-here' (hint: add the person first)",
        "Cases.csv:4:24: unknown status 'arested' (hint: did you mean 'released'?)",
    ]
    assert project_files(root) == before


def test_cli_exit_status(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    book = tmp_path / "cases.xlsx"
    runner = CliRunner()
    result = runner.invoke(main, ["sheet", "export", str(root), "-o", str(book)])
    assert result.exit_code == 0 and book.exists()
    book.write_bytes(edit(book.read_bytes(), [("Cases", "lena-case", "status", "imprisonned")]))
    result = runner.invoke(main, ["sheet", "import", str(root), str(book)])
    assert result.exit_code == 1
    assert "unknown status 'imprisonned'" in result.output and "nothing was written" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(main, ["sheet", "import", str(root), str(tmp_path / "missing.xlsx")])
    assert result.exit_code == 2
    result = runner.invoke(main, ["sheet", "export", str(root), "--clearance", "secret"])
    assert result.exit_code == 2


# ---------------------------------------------------------------- clearance


HIDDEN_IDS = ("secret-person", "secret-case", "secret-source", "staff-person", "hidden-person",
              "hidden-case", "leaked-memo", "secret-org")  # fmt: skip


def test_canaries_are_absent_from_the_default_export(tmp_path):
    for project in (CANARIES, FIXTURE):
        root = copy_fixture(project, tmp_path / project.name)
        before = project_files(root)
        public = export(root)
        cells = "\n".join(all_cells(public))
        assert "CANARY-" not in cells  # the canary values (ids like canary-ngo are public)
        for hidden in HIDDEN_IDS:  # also where a visible text cites a hidden source
            assert hidden not in cells, hidden
        # The citation is there, as the builds show it: withheld (the README explains it).
        assert "[@withheld-1]" in "\n".join(all_cells(public, skip=("README",)))
        # The same export at confidential holds them: the checks above can fail.
        everything = "\n".join(all_cells(export(root, "confidential"), skip=("README",)))
        assert "CANARY" in everything and "[@withheld-" not in everything
        cited = {"canaries": "[@secret-source, p. 4]", "sheet": "[@leaked-memo, p. 2]"}[project.name]
        assert cited in everything
        # Given back unedited, the public workbook changes nothing: the citations stay.
        report = run_import(root, ("book.xlsx", public))
        assert not report.problems and report.written == [], problems(report)
        assert project_files(root) == before


def test_internal_export_holds_internal_but_not_confidential(tmp_path):
    root = copy_fixture(CANARIES, tmp_path)
    cells = "\n".join(all_cells(export(root, "internal")))
    assert "CANARY-TIMELINE-INT-4c8b" in cells and "CANARY-INTPERSON-1a9e" in cells
    assert "CANARY-TIMELINE-CONF-e5f1" not in cells and "CANARY-PERSON-2b7e" not in cells
    assert "CANARY-CASESUMMARY-6d0c" not in cells


def test_import_keeps_what_the_export_left_out(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    data = edit(
        export(root),
        [
            ("Cases", "omar-case", "subjects", "omar-said\nlena-petrova"),
            ("Cases", "omar-case", "sources", "court-record"),
            ("Cases", "omar-case", "detention.place[en]", None),
            ("Timeline", ("lena-case", 3), "text[en]", "Moved to the colony."),
        ],
    )
    report = run_import(root, ("book.xlsx", data))
    assert not report.errors, problems(report)
    text = (root / "content/cases.yaml").read_text()
    assert "    subjects: [omar-said, lena-petrova, hidden-person]\n" in text
    assert "    sources: [court-record, leaked-memo]\n" in text
    assert "      place: CANARY-SHEET-PLACE-9d3f\n" in text  # an empty cell of a hidden part
    assert "CANARY-SHEET-TIMELINE-4b1e visited her." in text and "source: leaked-memo" in text
    assert "summary: CANARY-SHEET-CASE-2e8a" in text
    assert "Moved to the colony." in text


def test_a_duplicate_in_another_file_is_named_with_its_file(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    report = run_import(root, ("book.xlsx", export(root)), ("Cases.csv", b"id\nlena-case\n"))
    messages = [str(p) for p in report.errors]
    assert "Cases.csv:2:1: duplicate id 'lena-case': row book.xlsx:Cases!A2 has it too" in messages[0], (
        messages
    )
