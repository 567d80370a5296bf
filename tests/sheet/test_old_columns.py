"""Columns that became localized: a workbook exported before still imports.

A charge's `article`, a sentence's `court`, a violation's `right` and a proceeding's `body`
and `status` were plain texts with one column each (`article`); they are localized texts
now, with a column per language (`article[en]`, `article[ru]`). A workbook or CSV file made
before has the bare column: the import reads it as the project language's value, so
nobody's spreadsheet breaks.
"""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sheethelp import FIXTURE, copy_fixture, edit, export, project_files, run_import

from briefgen.yamlsource import read_yaml

# (sheet, the field's column name) of the fields that became localized
BECAME_LOCALIZED = (
    ("Cases", "sentence.court"),
    ("Charges", "article"),
    ("Violations", "right"),
    ("Proceedings", "body"),
    ("Proceedings", "status"),
)


def headers(data: bytes, sheet: str) -> list[str]:
    return [c.value for c in load_workbook(io.BytesIO(data))[sheet][1] if c.value is not None]


def old_style(data: bytes) -> bytes:
    """The workbook as an export before the change wrote it: `article` for `article[en]`,
    and no column for the other languages of these fields."""
    workbook = load_workbook(io.BytesIO(data))
    for sheet, name in BECAME_LOCALIZED:
        ws = workbook[sheet]
        drop = []
        for cell in ws[1]:
            if cell.value == f"{name}[en]":
                cell.value = name
            elif isinstance(cell.value, str) and cell.value.startswith(f"{name}["):
                drop.append(cell.column)
        for column in sorted(drop, reverse=True):
            ws.delete_cols(column)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def cases_data(root) -> dict:
    raw = (root / "content/cases.yaml").read_bytes()
    return read_yaml("content/cases.yaml", raw).root.data()["cases"][0]


def test_the_export_has_a_column_per_language_for_each(tmp_path):
    data = export(copy_fixture(FIXTURE, tmp_path))
    for sheet, name in BECAME_LOCALIZED:
        names = headers(data, sheet)
        assert f"{name}[en]" in names and f"{name}[ru]" in names, names
        assert name not in names


def test_an_old_workbook_unedited_changes_nothing(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    before = project_files(root)
    old = old_style(export(root))
    assert "article" in headers(old, "Charges") and "article[ru]" not in headers(old, "Charges")
    report = run_import(root, ("cases.xlsx", old))
    assert not report.errors, [str(p) for p in report.errors]
    assert report.changed == 0 and project_files(root) == before


def test_an_old_column_edits_the_project_languages_value(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    before = (root / "content/cases.yaml").read_text(encoding="utf-8")
    old = edit(
        old_style(export(root)),
        [
            ("Charges", ("lena-case", 1), "article", "Criminal Code Art. 207.3, part 2"),
            ("Cases", "lena-case", "sentence.court", "Moscow City Court (appeal)"),
        ],
    )
    report = run_import(root, ("cases.xlsx", old))
    assert not report.errors, [str(p) for p in report.errors]
    assert report.changed == 2
    after = (root / "content/cases.yaml").read_text(encoding="utf-8")
    assert after == before.replace(
        "      - article: Criminal Code Art. 207.3\n", "      - article: Criminal Code Art. 207.3, part 2\n"
    ).replace("      court: Moscow City Court\n", "      court: Moscow City Court (appeal)\n")


def test_an_old_column_leaves_the_other_languages_of_a_mapping(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    # a translation made in a new workbook: the right becomes a mapping
    report = run_import(
        root,
        ("new.xlsx", edit(export(root), [("Violations", ("lena-case", 1), "right[ru]", "ЕКПЧ, ст. 10")])),
    )
    assert not report.errors, [str(p) for p in report.errors]
    assert cases_data(root)["violations"][0]["right"] == {"en": "ECHR Art. 10", "ru": "ЕКПЧ, ст. 10"}
    # then a workbook made before the change, with its bare `right` column
    report = run_import(
        root,
        (
            "old.xlsx",
            edit(old_style(export(root)), [("Violations", ("lena-case", 1), "right", "ECHR Art. 10 § 1")]),
        ),
    )
    assert not report.errors, [str(p) for p in report.errors]
    assert cases_data(root)["violations"][0]["right"] == {"en": "ECHR Art. 10 § 1", "ru": "ЕКПЧ, ст. 10"}


def test_an_old_csv_file_with_the_bare_column(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    before = (root / "content/cases.yaml").read_text(encoding="utf-8")
    csv = "case,entry,article,description[en]\nlena-case,2,Criminal Code Art. 213,Hooliganism\n"
    report = run_import(root, ("Charges.csv", csv.encode()))
    assert not report.errors, [str(p) for p in report.errors]
    after = (root / "content/cases.yaml").read_text(encoding="utf-8")
    assert after == before.replace(
        "      - description: Hooliganism\n",
        "      - description: Hooliganism\n        article: Criminal Code Art. 213\n",
    )


def test_a_bare_and_a_language_column_together_are_the_same_column_twice(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    before = project_files(root)
    data = edit(export(root), [("Charges", ("lena-case", 1), "article", "Art. 1")])
    report = run_import(root, ("cases.xlsx", data))
    assert any("the column 'article[en]' is there twice" in str(p) for p in report.errors), [
        str(p) for p in report.problems
    ]
    assert project_files(root) == before
