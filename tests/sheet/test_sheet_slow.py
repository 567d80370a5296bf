"""The workbook in LibreOffice Calc, and new rows all the way into a built PDF.

- Calc (headless) converts the exported workbook into one CSV per sheet: the values are
  there as exported (dates, formula-like texts, lists), and importing those CSV files back
  changes no file; one edited CSV cell changes one value.
- A workbook written in the test adds a person, a case and timeline entries; after the
  import the project validates, builds, and the new case is in the PDF.
"""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import build, pdf_text, words
from sheethelp import FIXTURE, copy_fixture, copy_repository_project, edit, export, project_files, run_import

from briefgen.cli import main
from briefgen.load import load_project

pytestmark = pytest.mark.slow

# Calc's CSV filter: comma, double quote, UTF-8, from line 1, cells as shown, all sheets (-1),
# one file per sheet (LibreOffice 7.2+).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def calc_to_csv(book: Path, tmp_path: Path) -> dict[str, Path]:
    out = tmp_path / "csv"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", CSV_FILTER, "--outdir", str(out), str(book)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    files = {p.stem.rsplit("-", 1)[-1]: p for p in out.glob("*.csv")}
    assert {"Cases", "People", "Timeline", "README"} <= set(files), (files, result.stdout, result.stderr)
    return files


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_calc_opens_the_workbook_with_values_intact(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    book = tmp_path / "book.xlsx"
    book.write_bytes(export(root))
    files = calc_to_csv(book, tmp_path)
    cases = {r["id"]: r for r in rows(files["Cases"])}
    lena = cases["lena-case"]
    assert lena["status"] == "imprisoned" and lena["status_date"] == "2024-05-01"
    assert lena["sentence.years"] == "6" and lena["detention.incommunicado"] == "TRUE"
    assert lena["subjects"] == "lena-petrova\nomar-said"
    assert "- =SUM(A1:A3) is what she wrote on a placard\n- +7 495 000 00 00" in lena["summary[en]"]
    assert lena["title[ru]"] == "Дело Лены Петровой"
    assert cases["omar-case"]["summary[en]"] == "-5 degrees in the cell, says Omar Said."
    assert cases["omar-case"]["subjects"] == "omar-said"  # the hidden subject is not there
    timeline = rows(files["Timeline"])
    assert [(r["case"], r["entry"], r["date"]) for r in timeline] == [
        ("lena-case", "1", "2023-02"),
        ("lena-case", "2", "2023-11-20"),
        ("lena-case", "3", "2024"),
    ]
    assert timeline[0]["text[en]"] == "@lena was arrested at home."
    people = {r["id"]: r for r in rows(files["People"])}
    assert people["omar-said"]["bio[en]"] == "NO" and people["lena-petrova"]["born"] == "1988"
    assert people["lena-petrova"]["also_known_as"] == "Elena Petrova\nPetrova, Lena"

    # Calc's CSV files, imported back: nothing changes.
    before = project_files(root)
    named = [(p.name, p.read_bytes()) for p in files.values()]
    report = run_import(root, *named)
    assert not report.errors, [str(p) for p in report.errors]
    assert project_files(root) == before

    # One edited CSV cell: one value.
    text = (
        files["Cases"].read_text(encoding="utf-8").replace(",imprisoned,2024-05-01,", ",released,2024-05-01,")
    )
    report = run_import(root, ("book-Cases.csv", text.encode()))
    assert not report.errors, [str(p) for p in report.errors]
    after = project_files(root)
    assert [n for n in after if after[n] != before[n]] == ["content/cases.yaml"]
    old, new = before["content/cases.yaml"].decode(), after["content/cases.yaml"].decode()
    assert new == old.replace("    status: imprisoned\n", "    status: released\n", 1)


def test_repository_workbook_through_calc_changes_nothing(tmp_path):
    root = copy_repository_project(tmp_path)
    book = tmp_path / "cases.xlsx"
    book.write_bytes(export(root))
    files = calc_to_csv(book, tmp_path)
    before = project_files(root)
    report = run_import(root, *[(p.name, p.read_bytes()) for p in files.values()])
    assert not report.errors, [str(p) for p in report.errors]
    assert project_files(root) == before


def test_new_rows_import_validate_and_build(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    book = tmp_path / "cases.xlsx"
    runner = CliRunner()
    assert runner.invoke(main, ["sheet", "export", str(root), "-o", str(book)]).exit_code == 0
    book.write_bytes(
        edit(
            book.read_bytes(),
            [
                ("People", "+p", "id", "karim-bakr"),
                ("People", "+p", "name[en]", "Karim Bakr"),
                ("People", "+p", "name[ru]", "Карим Бакр"),
                ("People", "+p", "born", 1990),
                ("People", "+p", "also_known_as", "Kareem Bakr\nK. Bakr"),
                ("Cases", "+c", "id", "karim-bakr-case"),
                ("Cases", "+c", "subjects", "karim-bakr"),
                ("Cases", "+c", "status", "detained"),
                ("Cases", "+c", "status_date", "2024-06-01"),
                ("Cases", "+c", "summary[en]", "Karim Bakr, a union organiser, was detained after a strike."),
                (
                    "Cases",
                    "+c",
                    "summary[ru]",
                    "Карим Бакр, профсоюзный активист, задержан после забастовки.",
                ),
                ("Cases", "+c", "sources", "monitor-report"),
                ("Cases", "+c", "sentence.years", 2),
                ("Cases", "+c", "detention.place[en]", "Remand prison No. 1"),
                ("Timeline", "+t1", "case", "karim-bakr-case"),
                ("Timeline", "+t1", "date", "2024-05-20"),
                ("Timeline", "+t1", "type", "arrest"),
                ("Timeline", "+t1", "text[en]", "Detained at the factory gate."),
                ("Timeline", "+t2", "case", "lena-case"),
                ("Timeline", "+t2", "date", "2024-06"),
                ("Timeline", "+t2", "type", "hunger-strike"),
                ("Timeline", "+t2", "text[en]", "Began a hunger strike in the colony."),
            ],
        )
    )
    before = project_files(root)
    result = runner.invoke(main, ["sheet", "import", str(root), str(book)])
    assert result.exit_code == 0, result.output
    assert "4 added" in result.output
    after = project_files(root)
    assert sorted(set(after) - set(before)) == [
        "content/karim-bakr-case.yaml",
        "content/people/karim-bakr.yaml",
    ]
    assert (root / "content/karim-bakr-case.yaml").read_text() == (
        "cases:\n"
        "  - id: karim-bakr-case\n"
        "    subjects: [karim-bakr]\n"
        "    status: detained\n"
        "    status_date: 2024-06-01\n"
        "    summary:\n"
        "      en: Karim Bakr, a union organiser, was detained after a strike.\n"
        "      ru: Карим Бакр, профсоюзный активист, задержан после забастовки.\n"
        "    sentence:\n"
        "      years: 2\n"
        "    detention:\n"
        "      place: Remand prison No. 1\n"
        "    sources: [monitor-report]\n"
        "    timeline:\n"
        "      - date: 2024-05-20\n"
        "        type: arrest\n"
        "        text: Detained at the factory gate.\n"
    )
    old, new = before["content/cases.yaml"].decode(), after["content/cases.yaml"].decode()
    assert new.startswith(old.split("  - id: omar-case")[0].rstrip("\n"))
    assert "        type: hunger-strike\n        text: Began a hunger strike in the colony.\n" in new
    loaded = load_project(root)
    assert loaded.model is not None, [str(d) for d in loaded.errors]
    assert loaded.model.people["karim-bakr"].born == "1990"
    assert runner.invoke(main, ["validate", str(root)]).exit_code == 0
    manifest = build(root, tmp_path / "out")
    pdfs = [tmp_path / "out" / o["path"] for o in manifest["outputs"] if o["format"] == "pdf"]
    english = next(p for p in pdfs if "-en" in p.name or p.name.endswith("en.pdf"))
    text = words(pdf_text(english))
    assert words("Karim Bakr, a union organiser, was detained after a strike.") in text
    lena = loaded.model.cases["lena-case"]
    assert [e.type for e in lena.timeline][-1] == "hunger-strike"  # (a policy brief shows no timelines)
    assert [e.type for e in loaded.model.cases["karim-bakr-case"].timeline] == ["arrest"]
    russian = next(p for p in pdfs if p != english)
    assert words("Карим Бакр, профсоюзный активист, задержан после забастовки.") in words(pdf_text(russian))


@pytest.mark.parametrize("which", ["repository", "fixture"])
def test_a_workbook_saved_again_by_calc_changes_nothing(tmp_path, which):
    """Calc writes its own .xlsx (truth values as the formulas TRUE() and FALSE(), its own
    styles and shared strings): given back as it is, it changes no file."""
    root = copy_repository_project(tmp_path) if which == "repository" else copy_fixture(FIXTURE, tmp_path)
    book = tmp_path / "book.xlsx"
    book.write_bytes(export(root))
    out = tmp_path / "saved"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(book)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    saved = (out / "book.xlsx").read_bytes()
    assert saved != book.read_bytes()
    before = project_files(root)
    report = run_import(root, ("book.xlsx", saved))
    assert not report.errors, [str(p) for p in report.errors]
    assert project_files(root) == before
