"""sheet export -> import: an unedited workbook changes no file; one edited cell changes
exactly that value (checked on the bytes and on the data); formula-like texts stay text.

Runs on the repository's own project and on tests/fixtures/projects/sheet, which holds
every field of the sheets in every YAML style (block, folded, quoted, flow lists, a
nested mapping, a partial date, a boolean written `no`) and texts starting with = + - @.
"""

# ruff: noqa: E501 (exact messages and the table of edits read better on one line each)

from __future__ import annotations

import difflib
import io
import re
import time
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sheethelp import (
    FIXTURE,
    cell_of,
    copy_fixture,
    copy_repository_project,
    edit,
    export,
    project_files,
    run_import,
)

from briefgen.yamlsource import read_yaml


def leaves(value, path=()):
    """{path: text} of every scalar in YAML data."""
    if isinstance(value, dict):
        out = {}
        for key, child in value.items():
            out.update(leaves(child, (*path, key)))
        return out
    if isinstance(value, list):
        out = {}
        for index, child in enumerate(value):
            out.update(leaves(child, (*path, index)))
        return out
    return {path: value}


def changed_values(before: dict[str, bytes], after: dict[str, bytes]) -> dict:
    """{(file, path): (old, new)} of every value that differs between two project states."""
    out = {}
    for name in sorted(set(before) | set(after)):
        if not name.endswith(".yaml"):
            continue
        old = leaves(read_yaml(name, before.get(name, b"")).root.data()) if name in before else {}
        new = leaves(read_yaml(name, after.get(name, b"")).root.data()) if name in after else {}
        for path in set(old) | set(new):
            if old.get(path) != new.get(path):
                out[(name, path)] = (old.get(path), new.get(path))
    return out


def hunks(old: bytes, new: bytes) -> list[tuple[list[str], list[str]]]:
    matcher = difflib.SequenceMatcher(
        None, old.decode().splitlines(), new.decode().splitlines(), autojunk=False
    )
    a, b = old.decode().splitlines(), new.decode().splitlines()
    return [(a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


@pytest.mark.parametrize("which", ["repository", "fixture"])
def test_unedited_workbook_changes_no_file(tmp_path, which):
    root = copy_repository_project(tmp_path) if which == "repository" else copy_fixture(FIXTURE, tmp_path)
    before = project_files(root)
    data = export(root)
    report = run_import(root, ("cases.xlsx", data))
    assert not report.errors, [str(p) for p in report.errors]
    assert report.written == [] and report.added == 0 and report.changed == 0
    assert project_files(root) == before


def test_repository_export_has_every_case_person_and_entry(tmp_path):
    from briefgen.load import load_project

    model = load_project(copy_repository_project(tmp_path)).model
    workbook = load_workbook(io.BytesIO(export(model.root)))
    assert workbook.sheetnames[:3] == ["Cases", "People", "Timeline"]
    ids = [row[0].value for row in workbook["Cases"].iter_rows(min_row=2)]
    assert ids == [c.id for c in model.cases.values() if c.sensitivity == "public"]
    entries = sum(
        1
        for c in model.cases.values()
        if c.sensitivity == "public"
        for e in c.timeline
        if e.sensitivity == "public"
    )
    assert workbook["Timeline"].max_row - 1 == entries


# (sheet, row, header, new cell value, file, YAML path of the value, the value as read back)
ONE_CELL = [
    ("Cases", "lena-case", "status", "released", "content/cases.yaml", ("cases", 0, "status"), "released"),
    ("Cases", "lena-case", "title[ru]", "Дело Петровой", "content/cases.yaml", ("cases", 0, "title", "ru"), "Дело Петровой"),
    ("Cases", "lena-case", "sentence.years", 7, "content/cases.yaml", ("cases", 0, "sentence", "years"), "7"),
    ("Cases", "lena-case", "sentence.in_absentia", True, "content/cases.yaml", ("cases", 0, "sentence", "in_absentia"), "true"),
    ("Cases", "lena-case", "detention.since", date(2024, 2, 1), "content/cases.yaml", ("cases", 0, "detention", "since"), "2024-02-01"),
    ("Cases", "lena-case", "summary[ru]", "Новый текст.", "content/cases.yaml", ("cases", 0, "summary", "ru"), "Новый текст."),
    ("Cases", "omar-case", "summary[en]", "=2+2 degrees", "content/cases.yaml", ("cases", 1, "summary"), "=2+2 degrees"),
    ("Cases", "lena-case", "tags", "journalist\nwomen\nblogger", "content/cases.yaml", ("cases", 0, "tags", 2), "blogger"),
    ("Cases", "lena-case", "status_date", None, "content/cases.yaml", ("cases", 0, "status_date"), None),
    ("People", "lena-petrova", "born", "1988-03", "content/people/people.yaml", ("people", 0, "born"), "1988-03"),
    ("People", "omar-said", "bio[en]", "YES", "content/people/people.yaml", ("people", 1, "bio"), "YES"),
    ("People", "lena-petrova", "region[ru]", "Тверь", "content/people/people.yaml", ("people", 0, "region", "ru"), "Тверь"),
    ("Timeline", ("lena-case", 1), "text[en]", "@lena was taken away.", "content/cases.yaml", ("cases", 0, "timeline", 0, "text"), "@lena was taken away."),
    ("Timeline", ("lena-case", 3), "date", "2024-01", "content/cases.yaml", ("cases", 0, "timeline", 2, "date"), "2024-01"),
    ("Timeline", ("lena-case", 2), "source", "court-record", "content/cases.yaml", ("cases", 0, "timeline", 1, "source"), "court-record"),
    ("Charges", ("lena-case", 1), "description[ru]", "Новое описание", "content/cases.yaml", ("cases", 0, "charges", 0, "description", "ru"), "Новое описание"),
    ("Charges", ("lena-case", 2), "article[en]", "Art. 213", "content/cases.yaml", ("cases", 0, "charges", 1, "article"), "Art. 213"),
    ("Proceedings", ("lena-case", 1), "date", date(2024, 1, 2), "content/cases.yaml", ("cases", 0, "proceedings", 0, "date"), "2024-01-02"),
    ("Recognitions", ("lena-case", 1), "as", "prisoner-of-conscience", "content/cases.yaml", ("cases", 0, "recognitions", 0, "as"), "prisoner-of-conscience"),
    ("Notes", ("lena-case", 2), "text[en]", "The appeal hearing is closed.", "content/cases.yaml", ("cases", 0, "notes", 1, "text"), "The appeal hearing is closed."),
    ("Affiliations", ("lena-petrova", 2), "role[en]", "blogger", "content/people/people.yaml", ("people", 0, "affiliations", 1, "role"), "blogger"),
]  # fmt: skip


@pytest.mark.parametrize("sheet,key,header,value,file,path,expected", ONE_CELL, ids=[c[2] for c in ONE_CELL])
def test_one_edited_cell_changes_exactly_that_value(
    tmp_path, sheet, key, header, value, file, path, expected
):
    root = copy_fixture(FIXTURE, tmp_path)
    before = project_files(root)
    data = edit(export(root), [(sheet, key, header, value)])
    report = run_import(root, ("cases.xlsx", data))
    assert not report.errors, [str(p) for p in report.errors]
    after = project_files(root)
    changes = changed_values(before, after)
    if isinstance(path[-1], int) and header == "tags":  # a list entry added
        assert changes == {(file, path): (None, expected)}
    elif expected is None:
        assert changes == {(file, path): (before_value(before, file, path), None)}
    else:
        assert changes == {(file, path): (before_value(before, file, path), expected)}
    assert [name for name in after if after[name] != before.get(name)] == [file]
    # The bytes: one place of the file changed, and only lines that hold the value.
    (old_lines, new_lines), *rest = hunks(before[file], after[file])
    assert rest == []
    assert len(old_lines) <= 2 and len(new_lines) <= 2, (old_lines, new_lines)


def before_value(files, file, path):
    return leaves(read_yaml(file, files[file]).root.data()).get(path)


def test_edits_keep_comments_quoting_and_style(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    data = edit(
        export(root),
        [
            ("Cases", "lena-case", "title[en]", "Lena Petrova's case"),
            ("Cases", "lena-case", "subjects", "lena-petrova"),
            ("Cases", "lena-case", "sources", "monitor-report\ncourt-record"),
            ("Cases", "lena-case", "sentence.years", 8),
        ],
    )
    report = run_import(root, ("cases.xlsx", data))
    assert not report.errors, [str(p) for p in report.errors]
    text = (root / "content/cases.yaml").read_text()
    assert "  - id: lena-case # the fullest case\n" in text
    assert '      en: "Lena Petrova\'s case"\n' in text  # still double-quoted
    assert "    subjects: [lena-petrova]\n" in text  # a flow list stays one line
    assert (
        "    sources:\n      - monitor-report\n      - court-record\n" in text
    )  # a block list stays a block
    assert "      years: 8\n" in text  # a number, not the text "8"


def test_an_edited_block_text_stays_a_block_with_its_final_line_break(tmp_path):
    # A cell cannot hold a text's final line break; an edit must not turn `|` into `|-`.
    root = copy_fixture(FIXTURE, tmp_path)
    before = (root / "content/cases.yaml").read_text()
    exported = export(root)
    old = load_workbook(io.BytesIO(exported))["Cases"][
        cell_of(exported, "Cases", "lena-case", "summary[en]")
    ].value
    data = edit(exported, [("Cases", "lena-case", "summary[en]", old.replace("journalist", "reporter"))])
    report = run_import(root, ("cases.xlsx", data))
    assert not report.errors, [str(p) for p in report.errors]
    after = (root / "content/cases.yaml").read_text()
    assert after == before.replace("Lena Petrova, a journalist", "Lena Petrova, a reporter")


def test_formula_like_texts_are_text_cells_and_come_back_unchanged(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    data = export(root)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        xml = {n: archive.read(n).decode() for n in sheets}
        shared = "xl/sharedStrings.xml"
        strings = "".join(xml.values()) + (
            archive.read(shared).decode() if shared in archive.namelist() else ""
        )
    # No formula element anywhere: Excel and Calc have nothing to run.
    assert sheets and not any(re.search(r"<(\w+:)?f[ >/]", body) for body in xml.values())
    assert "=SUM(A1:A3)" in strings and "@lena was arrested" in strings and "-5 degrees" in strings
    workbook = load_workbook(io.BytesIO(data))
    cell = next(
        c
        for row in workbook["Cases"].iter_rows()
        for c in row
        if c.value == "-5 degrees in the cell, says Omar Said."
    )
    assert cell.data_type == "s" and cell.quotePrefix
    before = project_files(root)
    assert not run_import(root, ("cases.xlsx", data)).errors
    assert project_files(root) == before


def test_the_workbook_has_frozen_headers_dates_and_dropdowns(tmp_path):
    workbook = load_workbook(io.BytesIO(export(copy_fixture(FIXTURE, tmp_path))))
    cases = workbook["Cases"]
    assert cases.freeze_panes == "B2"
    headers = [c.value for c in cases[1]]
    assert headers[:4] == ["id", "title[en]", "title[ru]", "subjects"]
    status_date = cases.cell(row=2, column=headers.index("status_date") + 1)
    assert status_date.is_date and status_date.value.date() == date(2024, 5, 1)
    status_letter = cases.cell(row=1, column=headers.index("status") + 1).column_letter
    rules = {str(r.sqref): r.formula1 for r in cases.data_validations.dataValidation}
    source = rules[f"{status_letter}2:{status_letter}1048576"]
    sheet, cells = source.split("!")
    lists = workbook[sheet.strip("'")]
    column, first, last = re.match(r"\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)", cells).groups()
    values = [lists[f"{column}{r}"].value for r in range(int(first), int(last) + 1)]
    assert "imprisoned" in values and "released" in values and lists.sheet_state == "hidden"
    timeline = workbook["Timeline"]
    assert any(len(str(r.sqref)) and r.type == "list" for r in timeline.data_validations.dataValidation)
    readme = workbook["README"]
    texts = [c.value for row in readme.iter_rows() for c in row if c.value]
    assert "Clearance" in texts and "summary[language]" in texts
    assert cases.column_dimensions["G"].width > 20  # summary[en] is wide


def test_export_is_byte_identical_with_source_date_epoch(tmp_path, monkeypatch):
    root = copy_fixture(FIXTURE, tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = export(root)
    time.sleep(1.1)  # openpyxl stamps the moment of saving: a second later, still the same bytes
    second = export(root)
    assert first == second
    properties = load_workbook(io.BytesIO(first)).properties
    assert properties.created == properties.modified == datetime(2023, 11, 14, 22, 13, 20)


def test_reordered_rows_and_columns_and_empty_rows_change_nothing(tmp_path):
    from openpyxl import Workbook

    root = copy_fixture(FIXTURE, tmp_path)
    before = project_files(root)
    exported = load_workbook(io.BytesIO(export(root)))
    shuffled = Workbook()
    shuffled.remove(shuffled.active)
    for name in ("Timeline", "People", "Cases"):  # sheets in another order too
        source = exported[name]
        rows = [[c.value for c in row] for row in source.iter_rows()]
        header, body = rows[0], rows[1:]
        order = list(reversed(range(len(header))))  # columns right to left
        target = shuffled.create_sheet(name)
        target.append([header[i] for i in order])
        for values in reversed(body):  # rows bottom to top, each followed by an empty row
            target.append([values[i] for i in order])
            target.append([" "] * len(header))  # blank cells: a row that is there, but empty
        for row in target.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    out = io.BytesIO()
    shuffled.save(out)
    report = run_import(root, ("shuffled.xlsx", out.getvalue()))
    assert not report.errors, [str(p) for p in report.errors]
    assert project_files(root) == before


def test_new_entries_of_lists_are_added_to_their_case_or_person(tmp_path):
    root = copy_fixture(FIXTURE, tmp_path)
    data = edit(
        export(root),
        [
            ("Charges", "+c", "case", "omar-case"),
            ("Charges", "+c", "article[en]", "Art. 280"),
            ("Charges", "+c", "description[en]", "Calls to extremism"),
            ("Affiliations", "+a", "person", "omar-said"),
            ("Affiliations", "+a", "organisation", "rights-ngo"),
            ("Notes", "+n", "case", "omar-case"),
            ("Notes", "+n", "text[en]", "Visited on Monday."),
        ],
    )
    report = run_import(root, ("cases.xlsx", data))
    assert not report.errors, [str(p) for p in report.errors]
    assert report.added == 3
    cases = (root / "content/cases.yaml").read_text()
    assert (
        "    sources: [monitor-report, leaked-memo]\n"
        "    charges:\n"
        "      - article: Art. 280\n"
        "        description: Calls to extremism\n"
        "    notes:\n"
        "      - text: Visited on Monday.\n"
    ) in cases
    people = (root / "content/people/people.yaml").read_text()
    assert '    bio: "NO"\n    affiliations:\n      - organisation: rights-ngo\n' in people


def test_one_edited_cell_in_the_repository_project(tmp_path):
    root = copy_repository_project(tmp_path)
    before = project_files(root)
    data = edit(export(root), [("Cases", "emin-huseynov-case", "status_date", date(2016, 3, 17))])
    report = run_import(root, ("cases.xlsx", data))
    assert not report.errors, [str(p) for p in report.errors]
    after = project_files(root)
    assert [n for n in after if after[n] != before[n]] == ["content/cases.yaml"]
    changes = changed_values(before, after)
    assert list(changes.values()) == [("2016-01-19", "2016-03-17")]
    ((file, path),) = changes
    assert path[-1] == "status_date"
    assert hunks(before[file], after[file]) == [
        (["    status_date: 2016-01-19"], ["    status_date: 2016-03-17"])
    ]


def test_two_languages_of_a_field_the_item_lacks_are_written_together(tmp_path):
    # title[en] then title[ru] of a case without a title: the second cell found the title
    # the first had just added and was refused ("already has 'title'").
    root = copy_fixture(FIXTURE, tmp_path)
    workbook = edit(
        export(root),
        [
            ("Cases", "omar-case", "title[en]", "The case of Omar"),
            ("Cases", "omar-case", "title[ru]", "Дело Омара"),
        ],
    )
    report = run_import(root, ("book.xlsx", workbook))
    assert report.errors == [], [str(p) for p in report.errors]
    case = read_yaml("cases.yaml", (root / "content/cases.yaml").read_bytes()).root.data()["cases"][1]
    assert case["id"] == "omar-case"
    assert case["title"] == {"en": "The case of Omar", "ru": "Дело Омара"}
