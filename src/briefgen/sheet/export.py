"""Export: a project + clearance -> an .xlsx workbook of its cases, people and timeline.

The sheets Cases and People have one row per item, Timeline and the sheets of the other
lists inside cases and people (Charges ... Affiliations) one row per entry, and every sheet
one column per field (columns.py), a header row that stays in view, dates as real dates, and
drop-down lists for the fixed vocabularies, taken from a hidden sheet Lists. A README
sheet explains every column and records the clearance the workbook was made for, which
the import reads back to keep what the export left out.

A citation of a source above the clearance inside a text the workbook shows is written as
a placeholder, `[@withheld-1]` (citations.py), as the builds print "Source withheld.".

Texts that start like a formula (`=`, `+`, `-`, `@`, a tab or a carriage return) are
written as text cells, so Excel and Calc show them and never run them.

With SOURCE_DATE_EPOCH set, the workbook is byte for byte the same on every run: its
document dates come from it and the zip entries carry a fixed time.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from ..model import Model
from ..yamledit import YamlDocument
from .citations import mask
from .columns import SHEETS, Column
from .tables import SNAPSHOT_MARK, SNAPSHOT_SHEET, snapshot_key
from .visibility import README_CLEARANCE, Visibility

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LISTS_SHEET = "Lists"
README_SHEET = "README"
SNAPSHOT_CHUNK = 30000
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
LINE_HEIGHT = 15.0  # points: one line of the default 11 pt font
MAX_LINES = 12  # a longer text scrolls inside its cell


def workbook_languages(model: Model, seen: Visibility | None = None) -> list[str]:
    """The project language, then every language a brief is built in, then any other
    language the texts of the cases and people are written in (those `seen` may show)."""
    from ..plan import brief_languages

    languages = [model.project.language]
    for brief in model.project.briefs:
        languages += brief_languages(model, brief)
    found: set[str] = set()
    for collection in ("cases", "people"):
        for item in model.items[collection].values():
            if seen is not None and not seen.allowed(item.sensitivity):
                continue
            _languages_in(item.model_dump(exclude={"id", "tags", "subjects", "sources"}), found)
    languages += sorted(found)
    return list(dict.fromkeys(languages))


def _languages_in(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        codes = all(isinstance(k, str) and 2 <= len(k) <= 3 and k.isalpha() and k.islower() for k in value)
        if value and codes and all(isinstance(v, str | list) for v in value.values()):
            found.update(value)
            return
        for v in value.values():
            _languages_in(v, found)
    elif isinstance(value, list):
        for v in value:
            _languages_in(v, found)


def raw_items(model: Model, collection: str, documents: dict[str, YamlDocument]) -> dict[str, dict]:
    """Each item of `collection` as written in its file (texts as written, not typed)."""
    out = {}
    for item_id in model.items[collection]:
        path = model.positions[(collection, item_id)][0]
        doc = documents.get(path)
        if doc is None:
            doc = documents[path] = YamlDocument.read(Path(model.root) / path, path)
        node = doc.node((collection, item_id))
        out[item_id] = node.data() if node is not None else {}
    return out


def sheet_rows(model: Model, clearance: str, documents: dict[str, YamlDocument] | None = None):
    """{sheet name: (columns, rows)}: the cell values of every row the clearance allows."""
    documents = {} if documents is None else documents
    seen = Visibility(model, clearance)
    languages = workbook_languages(model, seen)
    project_language = model.project.language
    raw = {"cases": raw_items(model, "cases", documents), "people": raw_items(model, "people", documents)}
    out: dict[str, tuple[list[Column], list[list[Any]]]] = {}
    for sheet in SHEETS:
        columns = sheet.columns(languages)
        rows: list[list[Any]] = []
        for item_id, item in raw[sheet.collection].items():
            if not seen.item_visible(sheet.collection, item_id):
                continue
            if sheet.list_field is None:
                rows.append(_row(columns, item, seen, project_language, {}))
                continue
            for number, entry in enumerate(item.get(sheet.list_field) or [], start=1):
                if isinstance(entry, dict) and seen.allowed(
                    entry.get("sensitivity"), sheet.default_sensitivity
                ):
                    fixed = {sheet.key: item_id, "entry": number}
                    rows.append(_row(columns, entry, seen, project_language, fixed))
        out[sheet.name] = (columns, rows)
    return out


def _row(columns: list[Column], raw: dict, seen: Visibility, language: str, fixed: dict) -> list[Any]:
    return [fixed[c.name] if c.name in fixed else cell_value(c, raw, seen, language) for c in columns]


def cell_value(column: Column, raw: dict, seen: Visibility, language: str) -> Any:
    """What the export writes in `column`'s cell for an item (or list entry) as written."""
    if not seen.part_visible(raw, column.sensitivity_of):
        return None
    written = column.written(raw, language)
    if column.ref and written is not None:
        ids = written if isinstance(written, list) else [written]
        shown = seen.shown_refs(column.ref, [str(i) for i in ids])
        written = shown if isinstance(written, list) else (shown[0] if shown else None)
    if column.kind == "markdown" and isinstance(written, str):
        written = mask(written, seen)  # a withheld source's id and page never reach the cell
    return column.cell(written)


def row_key(sheet, values: dict[str, Any]) -> str:
    """A row's place in the project, as the snapshot records it: the item's id, or the
    case's (person's) id and the entry's number for a list sheet ("lena-case#3")."""
    if sheet.list_field is None:
        return snapshot_key(values.get("id"))
    return snapshot_key(values.get(sheet.key), values.get("entry"))


def _write_snapshot(ws, clearance: str, tables: dict) -> None:
    """The hidden sheet Exported: each row's cells as exported (JSON), by sheet and row key,
    and the clearance. The import compares a cell with what it was when exported, not with
    the YAML file now: a workbook given back after the files changed does not undo those
    changes (sheet/ingest.py)."""
    ws.append([SNAPSHOT_MARK, clearance])
    for sheet in SHEETS:
        columns, rows = tables[sheet.name]
        for values in rows:
            cells = {c.header: v for c, v in zip(columns, values, strict=True)}
            record = json.dumps(cells, ensure_ascii=False, sort_keys=True, default=_json_value)
            for start in range(0, len(record), SNAPSHOT_CHUNK):  # a cell holds 32,767 characters
                ws.append([sheet.name, row_key(sheet, cells), record[start : start + SNAPSHOT_CHUNK]])
    ws.sheet_state = "hidden"


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} in a cell")


def export_workbook(model: Model, clearance: str = "public") -> tuple[bytes, dict[str, int]]:
    """(the .xlsx bytes, rows per sheet) of the cases, people and timeline at `clearance`."""
    tables = sheet_rows(model, clearance)
    workbook = Workbook()
    stamp = _stamp()
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.properties.creator = "briefgen"
    workbook.properties.title = f"{model.project.name}: cases"
    first = workbook.active
    lists = Workbook().active  # filled first, attached last: Cases stays the first sheet
    vocabularies: dict[tuple[str, ...], str] = {}
    for index, sheet in enumerate(SHEETS):
        ws = first if index == 0 else workbook.create_sheet()
        ws.title = sheet.name
        columns, rows = tables[sheet.name]
        _write_sheet(ws, columns, rows, lists, vocabularies)
    readme = workbook.create_sheet(README_SHEET)
    hidden = workbook.create_sheet(LISTS_SHEET)
    for row in lists.iter_rows():
        for cell in row:
            if cell.value is not None:
                hidden.cell(row=cell.row, column=cell.column, value=cell.value)
    hidden.sheet_state = "hidden"
    _write_readme(readme, model, clearance, tables)
    _write_snapshot(workbook.create_sheet(SNAPSHOT_SHEET), clearance, tables)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip(buffer.getvalue(), stamp), {name: len(rows) for name, (_, rows) in tables.items()}


def _stamp() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return moment.replace(tzinfo=None, microsecond=0)


def _write_sheet(ws, columns: list[Column], rows: list[list[Any]], lists, vocabularies: dict) -> None:
    bold = Font(bold=True)
    widths = [float(c.width) for c in columns]
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = bold
        cell.fill = _HEADER_FILL
        widths[index - 1] = _fit(column, [values[index - 1] for values in rows])
        ws.column_dimensions[get_column_letter(index)].width = widths[index - 1]
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for r, values in enumerate(rows, start=2):
        for c, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                set_text(cell, value)
            if column.kind in ("date", "partial_date") and not isinstance(value, str):
                cell.number_format = "yyyy-mm-dd"
            cell.alignment = wrap if column.kind in ("markdown", "refs", "slugs", "texts") else top
        ws.row_dimensions[r].height = _row_height(widths, values)
    ws.freeze_panes = "B2"  # the header row and the id column stay in view
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    for index, column in enumerate(columns, start=1):
        if column.kind == "choice":
            source = _vocabulary(lists, column.choices, vocabularies)
            rule = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True)
            rule.error = f"Choose one of: {', '.join(column.choices)}"
            rule.errorTitle = f"Unknown {column.name}"
            letter = get_column_letter(index)
            rule.add(f"{letter}2:{letter}1048576")
            ws.add_data_validation(rule)


def _fit(column: Column, values: list[Any]) -> float:
    """A column as wide as its header and its longest line, up to the column's own width
    (long texts wrap inside it)."""
    longest = len(column.header) + 2  # the header, with room for the filter button
    for value in values:
        if isinstance(value, str):
            longest = max(longest, *(len(line) + 1 for line in value.split("\n")))
        elif value is not None:
            longest = max(longest, 11 if isinstance(value, date) else len(str(value)) + 1)
    return float(min(max(longest, 6), max(column.width, len(column.header) + 2)))


def _row_height(widths: list[float], values: list[Any]) -> float:
    """Points for a row whose longest cell fits (up to MAX_LINES lines): neither Excel nor
    Calc grows a row to its wrapped text when it opens a file, so a list or a summary
    would show only its first line."""
    lines = 1
    for width, value in zip(widths, values, strict=True):
        if isinstance(value, str):
            per_line = max(6, int(width * 1.1))
            needed = sum(max(1, math.ceil(len(part) / per_line)) for part in value.split("\n"))
            lines = max(lines, needed)
    return LINE_HEIGHT * min(lines, MAX_LINES)


def set_text(cell, value: str) -> None:
    """Make `cell` a text cell: what looks like a formula is shown, never run."""
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True


def _vocabulary(lists, choices: tuple[str, ...], vocabularies: dict) -> str:
    """A range of the Lists sheet holding `choices` (Excel limits inline lists to 255 characters)."""
    if choices not in vocabularies:
        col = len(vocabularies) + 1
        for row, choice in enumerate(choices, start=1):
            lists.cell(row=row, column=col, value=choice)
        letter = get_column_letter(col)
        vocabularies[choices] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$1:${letter}${len(choices)}"
    return vocabularies[choices]


def _write_readme(ws, model: Model, clearance: str, tables: dict) -> None:
    bold = Font(bold=True)
    lines: list[tuple[Any, ...]] = [
        (f"{model.project.name}: cases, people and timeline",),
        (README_CLEARANCE, clearance),
        (),
        ("How to edit",),
        (
            "Change any cell, add rows for new cases, people or timeline entries, then give the file back "
            "for `briefgen sheet import`. Cells you do not change stay exactly as they were.",
        ),
        ("Columns named like summary[en] hold one language each (en, ru, fr ...).",),
        (
            "Lists (subjects, sources, tags, other spellings) hold one entry per line (Alt+Enter in Excel, "
            "Ctrl+Enter in Calc); ids may also be separated by commas.",
        ),
        (
            "Dates are written YYYY-MM-DD; where a column says so, a year (YYYY) or a month (YYYY-MM) "
            "is enough.",
        ),
        ("Removing a row does not delete anything: ask whoever keeps the project files.",),
        ("Items above this workbook's clearance are not in it, and the import leaves them as they are.",),
        (
            "A citation of a source above this workbook's clearance is shown as [@withheld-1], "
            "[@withheld-2] ... (numbered in each cell). Keep them as they are: the import puts the "
            "citation back in their place. Deleting one deletes that citation.",
        ),
    ]
    for sheet in SHEETS:
        columns, _ = tables[sheet.name]
        lines += [(), (f"Sheet {sheet.name}", sheet.help), ("column", "what it holds", "allowed values")]
        seen: set[str] = set()
        for column in columns:
            if column.name in seen:
                continue
            seen.add(column.name)
            header = f"{column.name}[language]" if column.localized else column.name
            needed = " Required." if column.required else ""
            lines.append((header, column.help + needed, ", ".join(column.choices)))
    for row, values in enumerate(lines, start=1):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col)
            set_text(cell, value)
            if col == 1 and (len(values) == 1 or str(value).startswith("Sheet ") or value == "column"):
                cell.font = bold
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 90
    ws.column_dimensions["C"].width = 40
    for row in ws.iter_rows(min_row=1, max_row=len(lines)):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _fixed_zip(data: bytes, stamp: datetime) -> bytes:
    """The same zip with every entry's time fixed, and the document's modification date
    `stamp` (openpyxl sets it to the moment of saving), so equal workbooks are equal bytes."""
    out = io.BytesIO()
    modified = stamp.isoformat(timespec="seconds") + "Z"
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + modified.encode() + rb"\2", body
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, body)
    return out.getvalue()
