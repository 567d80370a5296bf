"""A visible text that cites a source above the workbook's clearance: the workbook shows
`[@withheld-N]` (numbered per cell, page part dropped, as the builds print "Source
withheld."), and the import puts each citation back byte for byte.

The fixture's violation of lena-case cites the internal source leaked-memo twice (once
with a page) around a public citation, in English and in Russian.
"""

# ruff: noqa: E501 (exact messages read better on one line each)

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sheethelp import FIXTURE, cell_of, copy_fixture, edit, export, project_files, run_import

from briefgen.load import load_project
from briefgen.sheet.citations import mask, unmask
from briefgen.sheet.visibility import Visibility
from briefgen.yamlsource import read_yaml

VIOLATION = ("Violations", ("lena-case", 1))
EN = "Punished for her journalism.[@leaked-memo, p. 2] Her editor confirmed it.[@court-record] The memo names the judge.[@leaked-memo]"
EN_SHOWN = "Punished for her journalism.[@withheld-1] Her editor confirmed it.[@court-record] The memo names the judge.[@withheld-2]"
RU_SHOWN = "Наказана за журналистику.[@withheld-1] Редактор подтвердил.[@court-record]"


def cell(data: bytes, sheet: str, key, header: str):
    return load_workbook(io.BytesIO(data))[sheet][cell_of(data, sheet, key, header)].value


def violation_text(root) -> dict:
    data = read_yaml("content/cases.yaml", (root / "content/cases.yaml").read_bytes()).root.data()
    return data["cases"][0]["violations"][0]["text"]


def test_the_workbook_shows_placeholders_numbered_per_cell(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    data = export(root)
    assert cell(data, *VIOLATION, "text[en]") == EN_SHOWN
    assert cell(data, *VIOLATION, "text[ru]") == RU_SHOWN
    # At the source's clearance the citations are shown as written.
    internal = export(root, "internal")
    assert cell(internal, *VIOLATION, "text[en]") == EN
    readme = [c.value for row in load_workbook(io.BytesIO(data))["README"].iter_rows() for c in row]
    assert any(isinstance(v, str) and "[@withheld-1]" in v for v in readme)


def test_an_edit_around_placeholders_keeps_the_hidden_citations_byte_for_byte(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    before = (root / "content/cases.yaml").read_text()
    edited = EN_SHOWN.replace("Her editor", "Her lawyer")
    report = run_import(root, ("book.xlsx", edit(export(root), [(*VIOLATION, "text[en]", edited)])))
    assert not report.errors, [str(p) for p in report.errors]
    assert report.changed == 1
    text = violation_text(root)
    assert text["en"] == EN.replace("Her editor", "Her lawyer")
    assert text["ru"] == "Наказана за журналистику.[@leaked-memo, p. 2] Редактор подтвердил.[@court-record]"
    # Nothing else in the file changed, not even the folding of the text.
    assert (root / "content/cases.yaml").read_text() == before.replace("Her editor", "Her lawyer")


@pytest.mark.parametrize(
    "shown,written",
    [
        # Moved: each placeholder keeps its own citation (id and page).
        (
            "The memo names the judge.[@withheld-2] Punished.[@withheld-1] Confirmed.[@court-record]",
            "The memo names the judge.[@leaked-memo] Punished.[@leaked-memo, p. 2] Confirmed.[@court-record]",
        ),
        # Deleted: the author's edit deletes that citation, and only that one.
        (
            "Punished for her journalism. Her editor confirmed it.[@court-record] The memo names the judge.[@withheld-2]",
            "Punished for her journalism. Her editor confirmed it.[@court-record] The memo names the judge.[@leaked-memo]",
        ),
    ],
    ids=["moved", "deleted"],
)
def test_moved_and_deleted_placeholders(tmp_path, shown, written):
    root = copy_fixture(FIXTURE, tmp_path)
    report = run_import(root, ("book.xlsx", edit(export(root), [(*VIOLATION, "text[en]", shown)])))
    assert not report.errors, [str(p) for p in report.errors]
    assert violation_text(root)["en"] == written


def test_a_placeholder_that_stands_for_nothing_is_an_error_at_its_cell(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    before = project_files(root)
    data = export(root)
    at = lambda sheet, key, header: f"book.xlsx:{sheet}!{cell_of(data, sheet, key, header)}"  # noqa: E731
    edited = edit(
        data,
        [
            (*VIOLATION, "text[en]", EN_SHOWN + " Also [@withheld-3]."),
            (*VIOLATION, "text[ru]", RU_SHOWN.replace("[@withheld-1]", "[@withheld-1, p. 9]")),
            ("Cases", "omar-case", "summary[en]", "Cold in the cell.[@withheld-1]"),
            ("Timeline", "+new", "case", "lena-case"),
            ("Timeline", "+new", "date", "2024-06"),
            ("Timeline", "+new", "type", "other"),
            ("Timeline", "+new", "text[en]", "A visit.[@withheld-1]"),
        ],
    )
    report = run_import(root, ("book.xlsx", edited))
    timeline_row = load_workbook(io.BytesIO(edited))["Timeline"].max_row
    assert [str(p) for p in report.problems] == [
        f"{at('Cases', 'omar-case', 'summary[en]')}: [@withheld-1] stands for a citation left out of this workbook, but this text has none (hint: remove it; to cite a source, write its id, e.g. [@source-id])",
        f"book.xlsx:Timeline!E{timeline_row}: [@withheld-1] stands for a citation left out of this workbook, but this text has none (hint: remove it; to cite a source, write its id, e.g. [@source-id])",
        f"{at(*VIOLATION, 'text[en]')}: [@withheld-3] stands for no citation: this text has 2 citations left out of this workbook ([@withheld-1] to [@withheld-2]) (hint: keep the placeholders as they were exported; delete one to remove that citation)",
        f"{at(*VIOLATION, 'text[ru]')}: [@withheld-1, p. 9]: the page of a withheld citation cannot be changed in the workbook (hint: write [@withheld-1] as it was exported, or change the page in the YAML file)",
    ]
    assert project_files(root) == before


def test_a_workbook_at_the_sources_clearance_changes_nothing(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    before = project_files(root)
    report = run_import(root, ("book.xlsx", export(root, "internal")))
    assert not report.problems and report.written == []
    assert project_files(root) == before


@pytest.mark.parametrize(
    "text",
    [
        "[@leaked-memo]",
        "A.[@leaked-memo, p. 2][@leaked-memo,pp. 3, 4] B.[@court-record, p. 1]",
        "Escaped \\[@leaked-memo] and a link [@leaked-memo](https://example.org) stay.[@leaked-memo ]",
        "Typo [@no-such-source] stays, [@court-record] too.\n\n- [@leaked-memo, ch. 2]\n",
        "[@withheld-1] is a source id nobody has; [@leaked-memo] is withheld.",
    ],
)
def test_mask_then_unmask_gives_the_text_back(tmp_path, text):
    model = load_project(copy_fixture(FIXTURE, tmp_path)).model
    seen = Visibility(model, "public")
    shown = mask(text, seen)
    assert "leaked-memo" not in shown.replace("\\[@leaked-memo]", "").replace("[@leaked-memo](", "")
    assert unmask(shown, text, seen) == (text, [])
    # At internal nothing is withheld.
    assert mask(text, Visibility(model, "internal")) == text
