"""Tables: an .xlsx workbook or CSV files -> plain tables of cells that know where they are.

A workbook cell is located as `SHEET!B7` and keeps its type (a number, a date, TRUE/FALSE,
a formula); a CSV cell as `LINE:COLUMN` of its file, and is text. Which sheet a CSV file is
comes from its name (`Cases.csv`, `book-Timeline.csv`, as Calc names them) or else from
its header row.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from .columns import SHEETS
from .visibility import README_CLEARANCE

SHEET_NAMES = tuple(sheet.name for sheet in SHEETS)
# The hidden sheet holding each row as exported (export._write_snapshot, ingest._as_exported).
SNAPSHOT_SHEET = "Exported"
SNAPSHOT_MARK = "briefgen snapshot 1"


def snapshot_key(item_id: object, entry: object = None) -> str:
    """A row's key in the snapshot: an item's id, or its list entry's ("lena-case#3")."""
    return str(item_id) if entry is None else f"{item_id}#{entry}"


IGNORED_SHEETS = ("README", "Lists", SNAPSHOT_SHEET)


class TableError(Exception):
    """A file that cannot be read as a workbook or CSV; `where` is the place to show."""

    def __init__(self, where: str, message: str, hint: str | None = None):
        super().__init__(message)
        self.where, self.message, self.hint = where, message, hint


@dataclass
class Cell:
    value: Any
    where: str  # "Cases!B7" or "7:12"
    typed: bool = False  # a workbook cell with a type of its own (not CSV text)
    formula: bool = False

    @property
    def empty(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


@dataclass
class Table:
    sheet: str  # the sheet name as written ("Cases")
    label: str  # the file, for messages
    headers: list[Cell]
    rows: list[list[Cell]]
    clearance: str | None = None  # recorded in a workbook's README sheet


@dataclass
class Book:
    tables: list[Table] = field(default_factory=list)
    clearance: str | None = None
    # The hidden sheet Exported: {(sheet, row key): {header: cell value as exported}}, and
    # the clearance it was made for; None for CSV files and workbooks without it.
    snapshot: dict[tuple[str, str], dict[str, Any]] | None = None
    snapshot_clearance: str | None = None


def read_book(label: str, raw: bytes) -> Book:
    """The tables of one file: every sheet of a workbook, or the one table of a CSV file."""
    if raw[:2] == b"PK":
        return _read_xlsx(label, raw)
    if label.lower().endswith((".xlsx", ".xlsm")):
        # Named a workbook but not one (every .xlsx is a zip package): read as CSV, any text
        # file would be "a sheet that is not one of briefgen's" and skipped without a word.
        raise TableError(
            label,
            "this is not a workbook briefgen can read (an .xlsx file is a zip package; this one is not)",
            "save it from Excel or Calc as .xlsx (Excel 2007 or later), or as CSV UTF-8 named .csv",
        )
    table = _read_csv(label, raw)
    if table.sheet == "README":  # Calc's book-README.csv: only the clearance matters
        clearance = next(
            (str(r[1].value).strip() for r in table.rows if len(r) > 1 and r[0].value == README_CLEARANCE),
            None,
        )
        return Book([], clearance)
    if table.sheet in IGNORED_SHEETS:
        return Book([])
    return Book([table])


# ---------------------------------------------------------------- workbooks


def _read_xlsx(label: str, raw: bytes) -> Book:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TableError(
            label,
            f"this is not a workbook briefgen can read ({exc})",
            "save it as .xlsx (Excel 2007 or later)",
        ) from None
    book = Book()
    for ws in workbook.worksheets:
        if ws.title == "README":
            for row in ws.iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
                if row and row[0] == README_CLEARANCE and isinstance(row[1], str):
                    book.clearance = row[1].strip()
            continue
        if ws.title == SNAPSHOT_SHEET:
            book.snapshot, book.snapshot_clearance = _snapshot(ws)
            continue
        if ws.title in IGNORED_SHEETS:
            continue
        rows = [[_cell(ws.title, c) for c in row] for row in ws.iter_rows()]
        headers = rows[0] if rows else []
        book.tables.append(Table(ws.title, label, headers, rows[1:]))
    return book


def _snapshot(ws) -> tuple[dict[tuple[str, str], dict[str, Any]] | None, str | None]:
    """The export's record of each row (export._write_snapshot); (None, None) when the sheet
    is not one briefgen wrote or cannot be read, and the import compares with the files."""
    rows = list(ws.iter_rows(values_only=True))
    if not rows or not rows[0] or rows[0][0] != SNAPSHOT_MARK:
        return None, None
    texts: dict[tuple[str, str], str] = {}
    for row in rows[1:]:
        if len(row) < 3 or not all(isinstance(v, str) for v in row[:3]):
            return None, None
        texts[(row[0], row[1])] = texts.get((row[0], row[1]), "") + row[2]
    try:
        snapshot = {key: json.loads(text) for key, text in texts.items()}
    except ValueError:
        return None, None
    if not all(isinstance(v, dict) for v in snapshot.values()):
        return None, None
    clearance = rows[0][1] if len(rows[0]) > 1 and isinstance(rows[0][1], str) else None
    return snapshot, clearance


# Calc saves a truth value as the formula TRUE() or FALSE(): that is a value, not a formula.
_TRUTH_FORMULAS = {"=TRUE()": True, "=FALSE()": False}


def _cell(sheet: str, cell: Any) -> Cell:
    where = f"{sheet}!{cell.coordinate}"
    if cell.data_type == "f":
        text = str(cell.value).strip().upper()
        if text in _TRUTH_FORMULAS:
            return Cell(_TRUTH_FORMULAS[text], where, typed=True)
        return Cell(cell.value, where, typed=True, formula=True)
    return Cell(cell.value, where, typed=True)


# ---------------------------------------------------------------- CSV


def _read_csv(label: str, raw: bytes) -> Table:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(
            f"{label}:1:1",
            "the CSV file is not UTF-8 text",
            "save it as CSV UTF-8 (Excel) or choose UTF-8 in Calc",
        ) from None
    records = scan_csv(text, _delimiter(text), label)
    cells = [[Cell(value, f"{line}:{column}") for value, line, column in record] for record in records]
    headers = cells[0] if cells else []
    return Table(_csv_sheet(label, [c.value for c in headers]), label, headers, cells[1:])


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _csv_sheet(label: str, headers: list[str]) -> str:
    stem = PurePath(label).stem.lower()
    for name in SHEET_NAMES + IGNORED_SHEETS:
        if stem == name.lower() or stem.endswith(("-" + name.lower(), "_" + name.lower())):
            return name
    # Otherwise the sheet whose columns the header row names most of.
    names = {str(h).strip().split("[")[0] for h in headers}
    scores = {sheet.name: len(names & {c.name for c in sheet.fields}) for sheet in SHEETS}
    best = max(scores, key=lambda name: scores[name])
    return best if scores[best] >= 2 else PurePath(label).stem


def scan_csv(text: str, delimiter: str, label: str) -> list[list[tuple[str, int, int]]]:
    """CSV text -> records of (value, line, column), by RFC 4180: fields in double quotes
    may hold the delimiter, line breaks and doubled quotes."""
    records: list[list[tuple[str, int, int]]] = []
    record: list[tuple[str, int, int]] = []
    i, n, line, line_start = 0, len(text), 1, 0
    while i < n:
        start_line, start_column = line, i - line_start + 1
        if text[i] == '"':
            i += 1
            parts = []
            while True:
                if i >= n:
                    raise TableError(
                        f"{label}:{start_line}:{start_column}",
                        "this quoted cell is never closed",
                        'a quote inside a cell is written twice ("")',
                    )
                char = text[i]
                if char == '"':
                    if text.startswith('"', i + 1):
                        parts.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                if char == "\n":
                    line, line_start = line + 1, i + 1
                parts.append(char)
                i += 1
            value = "".join(parts)
            while i < n and text[i] not in (delimiter, "\r", "\n"):
                value += text[i]
                i += 1
        else:
            j = i
            while j < n and text[j] not in (delimiter, "\r", "\n"):
                j += 1
            value, i = text[i:j], j
        record.append((value, start_line, start_column))
        if i < n and text[i] == delimiter:
            i += 1
            if i == n:
                record.append(("", line, i - line_start + 1))
            continue
        if text.startswith("\r", i):
            i += 1
        if text.startswith("\n", i):
            i += 1
        records.append(record)
        record = []
        line, line_start = line + 1, i
    if record:
        records.append(record)
    return records
