"""Import: workbook or CSV tables -> the project's YAML files, changed only where a cell was.

Each row is matched to its item by id (a row of a list sheet such as Timeline by its case
or person and its entry number); each cell is compared with the value the export would
have written, and only a cell that says something else becomes an edit (yamledit: every
other byte of the file stays as it was). A row with a new id becomes a new YAML file in
the folder the project keeps that collection in; a list row without an entry number is
added to its case's (person's) list.

Every problem is collected first, each at its cell (`FILE:SHEET!CELL: message (hint: ...)`,
or `FILE:LINE:COLUMN` for CSV); then the edited project is checked as `validate` would;
nothing is written while any problem remains. A sheet briefgen does not know (the user's
own notes) is skipped with a warning naming it. Items, list entries (timeline, notes ...),
detention details and references above the workbook's clearance (recorded in its README
sheet; `public` for CSV files) were left out of the export: the import keeps them exactly
as they are, never deletes them, and refuses a cell that would overwrite them; a
`[@withheld-N]` placeholder in a text becomes the citation it stands for (citations.py).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..diagnostics import Diagnostic
from ..load import check_content, load_project
from ..model import LANG_RE, SENSITIVITY_LEVELS, Model
from ..slugs import suggest_slug
from ..typed import did_you_mean
from ..yamledit import WriteError, YamlDocument, YamlEditError, write_documents
from .citations import unmask
from .columns import CASES, PEOPLE, SHEETS, Column, SheetModel
from .export import cell_value, raw_items, workbook_languages
from .tables import IGNORED_SHEETS, SHEET_NAMES, Cell, Table, TableError, read_book, snapshot_key
from .visibility import Visibility

_LOCALIZED_HEADER = re.compile(r"^([a-z_.]+)\[([^\]]*)\]$")


@dataclass(frozen=True)
class Problem:
    """A problem at a place of the workbook: `FILE:SHEET!CELL` or `FILE:LINE:COLUMN`."""

    where: str
    message: str
    hint: str | None = None
    warning: bool = False  # shown, but the import goes on (a sheet of the user's own)

    def __str__(self) -> str:
        prefix = "warning: " if self.warning else ""
        return f"{self.where}: {prefix}{self.message}" + (f" (hint: {self.hint})" if self.hint else "")


@dataclass
class SheetImportReport:
    problems: list[Problem | Diagnostic] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    added: int = 0  # new items and list entries (timeline, charges ...)
    changed: int = 0  # values changed in existing items
    clearance: str = "public"

    @property
    def errors(self) -> list[Problem | Diagnostic]:
        return [p for p in self.problems if _is_error(p)]

    @property
    def warnings(self) -> list[Problem | Diagnostic]:
        return [p for p in self.problems if not _is_error(p)]


def _canonical(column: Column, value: Any, typed: bool) -> Any:
    """A cell value as the column reads it, for comparing; one it cannot read stands for
    itself (never equal to a value that reads)."""
    read, problem, _hint = column.read(value, typed)
    if problem:
        return ("unreadable", repr(value))
    return read


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    return a == b


def _is_error(problem: Problem | Diagnostic) -> bool:
    return not problem.warning if isinstance(problem, Problem) else problem.is_error


@dataclass
class _Row:
    table: Table
    cells: dict[Column, Cell]
    key: Cell  # the id (or case) cell, where whole-row problems are shown

    def at(self, cell: Cell) -> str:
        return f"{self.table.label}:{cell.where}"

    def place_of(self, other: _Row) -> str:
        """Where another row is, as said beside this row's problem: its file too when it
        is in another one (two CSV files, a workbook and a CSV file)."""
        return other.key.where if other.table.label == self.table.label else other.at(other.key)


def import_files(root: Path, files: list[tuple[str, bytes]]) -> SheetImportReport:
    """Import workbooks and CSV files (label, bytes) into the project at `root`."""
    report = SheetImportReport()
    tables: list[Table] = []
    clearances = []
    snapshots: dict[str, dict] = {}
    for label, raw in files:
        try:
            book = read_book(label, raw)
        except TableError as exc:
            report.problems.append(Problem(exc.where, exc.message, exc.hint))
            continue
        tables += book.tables
        if book.snapshot is not None and book.clearance is None:
            book.clearance = book.snapshot_clearance  # the README sheet deleted: the record says
        if book.clearance is not None:
            clearances.append((label, book.clearance))
        if book.snapshot is not None:
            snapshots[label] = book.snapshot
            if book.clearance != book.snapshot_clearance:
                # What the workbook left out is judged by the clearance it was made for:
                # one typed over would let the import remove what it never showed.
                report.problems.append(
                    Problem(
                        f"{label}:README!B2",
                        f"the clearance was changed: this workbook was exported for "
                        f"'{book.snapshot_clearance}'",
                        f"put back '{book.snapshot_clearance}', or export a workbook with "
                        f"--clearance {book.clearance}",
                    )
                )
    if report.problems:
        return report
    for label, clearance in clearances:
        if clearance not in SENSITIVITY_LEVELS:
            report.problems.append(
                Problem(
                    f"{label}:README!B2",
                    f"unknown clearance '{clearance}'",
                    did_you_mean(clearance, SENSITIVITY_LEVELS),
                )
            )
    if report.problems:
        return report
    # Several workbooks: the lowest clearance among them protects the most.
    levels = [c for _, c in clearances] or ["public"]
    report.clearance = min(levels, key=SENSITIVITY_LEVELS.index)
    loaded = load_project(root)
    if loaded.model is None:
        report.problems += loaded.errors
        return report
    _Importer(root, loaded.model, report, snapshots).run(tables)
    return report


class _Importer:
    def __init__(self, root: Path, model: Model, report: SheetImportReport, snapshots: dict | None = None):
        self.root = Path(root)
        # Each workbook's record of its rows as exported (export._write_snapshot), by label.
        self.snapshots = snapshots or {}
        self.model = model
        self.report = report
        self.seen = Visibility(model, report.clearance)
        self.language = model.project.language
        self.languages = workbook_languages(model)
        self.documents: dict[str, YamlDocument] = {}
        self.raw = {c: raw_items(model, c, self.documents) for c in ("cases", "people")}
        self.new_items: dict[str, dict[str, dict]] = {"cases": {}, "people": {}}
        self.new_rows: dict[tuple[str, str], _Row] = {}
        self.touched: list[tuple[str, str, _Row]] = []  # (collection, id, row) edited or added
        self._cells_read: dict[tuple[int, Column], tuple[bool, Any]] = {}

    def problem(self, row: _Row | None, cell: Cell | str, message: str, hint: str | None = None) -> None:
        where = cell if isinstance(cell, str) else (row.at(cell) if row else cell.where)
        self.report.problems.append(Problem(where, message, hint))

    # ------------------------------------------------------------ the whole import

    def run(self, tables: list[Table]) -> None:
        by_sheet: dict[str, list[_Row]] = {name: [] for name in SHEET_NAMES}
        for table in tables:
            sheet = _sheet_model(table.sheet)
            if sheet is None:
                if table.sheet not in IGNORED_SHEETS:
                    self._skip(table)
                continue
            by_sheet[sheet.name] += self._rows(table, sheet)
        if self.report.errors:
            return
        known = self._known_ids(by_sheet)
        # Every cell of every row is read, also in a row refused as a whole (a duplicate id):
        # all problems are reported at once.
        for row in by_sheet["People"]:
            self._item_row(row, PEOPLE, known)
            self._check_cells(row, known)
        for row in by_sheet["Cases"]:
            self._item_row(row, CASES, known)
            self._check_cells(row, known)
        for sheet in SHEETS:
            if sheet.list_field is None:
                continue
            seen_entries: dict[tuple[str, int], _Row] = {}
            for row in by_sheet[sheet.name]:
                self._entry_row(row, sheet, known, seen_entries)
                self._check_cells(row, known)
        if self.report.errors:
            return
        self._create_new_files()
        if self.report.errors:
            return
        self._check_result()
        if self.report.errors:
            return
        try:
            written = write_documents((self.root / name, doc) for name, doc in self.documents.items())
        except WriteError as exc:
            self.report.problems.append(exc.diagnostic(self.root))
            return
        self.report.written = [p.relative_to(self.root).as_posix() for p in written]

    def _skip(self, table: Table) -> None:
        """A sheet briefgen does not know (the user's own notes): a warning naming it, and
        a hint when its columns are those of one of briefgen's sheets (renamed, its edits
        would be lost)."""
        if all(c.empty for c in table.headers) and all(c.empty for r in table.rows for c in r):
            return  # an empty sheet: nothing to lose
        where = f"{table.label}:{table.sheet}!A1" if "!" in _first_where(table) else table.label
        headers = {str(c.value).strip().split("[")[0] for c in table.headers if not c.empty}
        like = [
            sheet.name
            for sheet in SHEETS
            if sheet.key in headers and len(headers & {c.name for c in sheet.fields}) * 2 > len(headers)
        ]
        # By its header row, not its name: "My notes" is not the sheet Notes renamed.
        if like:
            hint = f"if it is the sheet {like[0]} renamed, name it {like[0]} again"
        else:
            hint = f"briefgen reads the sheets {', '.join(SHEET_NAMES)}"
        self.report.problems.append(
            Problem(
                where,
                f"the sheet '{table.sheet}' is not one of briefgen's: skipped, nothing in it is imported",
                hint,
                warning=True,
            )
        )

    # ------------------------------------------------------------ headers and rows

    def _rows(self, table: Table, sheet: SheetModel) -> list[_Row]:
        columns: dict[int, Column] = {}
        named: dict[str, Cell] = {}
        for index, cell in enumerate(table.headers):
            if cell.empty:
                continue
            header = str(cell.value).strip()
            column = self._column(sheet, header)
            if column is None:
                known = [c.header for c in sheet.columns(self.languages)]
                self.problem(
                    None,
                    f"{table.label}:{cell.where}",
                    f"unknown column '{header}'",
                    did_you_mean(header, known),
                )
                continue
            if column.header in named:
                self.problem(
                    None,
                    f"{table.label}:{cell.where}",
                    f"the column '{column.header}' is there twice (also at {named[column.header].where})",
                    "keep one of them",
                )
                continue
            named[column.header] = cell
            columns[index] = column
        key_name = sheet.key
        if table.headers and key_name not in named:
            where = table.headers[0].where
            self.problem(
                None,
                f"{table.label}:{where}",
                f"the sheet {sheet.name} has no '{key_name}' column",
                "copy the header row from an exported workbook",
            )
        if sheet.list_field and table.headers and "entry" not in named:
            where = table.headers[0].where
            self.problem(
                None,
                f"{table.label}:{where}",
                f"the sheet {sheet.name} has no 'entry' column",
                "copy the header row from an exported workbook",
            )
        rows = []
        for cells in table.rows:
            if all(c.empty for c in cells):
                continue  # extra empty rows
            by_column = {columns[i]: c for i, c in enumerate(cells) if i in columns}
            for i, cell in enumerate(cells):
                unnamed = i >= len(table.headers) or table.headers[i].empty
                if i not in columns and not cell.empty and unnamed:
                    self.problem(
                        None,
                        f"{table.label}:{cell.where}",
                        "this cell has no column header",
                        "give the column a header or empty the cell",
                    )
            key = next((c for col, c in by_column.items() if col.name == key_name), cells[0])
            rows.append(_Row(table, by_column, key))
        return rows

    def _column(self, sheet: SheetModel, header: str) -> Column | None:
        for column in sheet.columns(self.languages):
            if column.header == header:
                return column
        match = _LOCALIZED_HEADER.match(header)
        name, language = (match.group(1), match.group(2)) if match else (header, self.language)
        for template in sheet.fields:
            if template.name == name and template.language == "*" and LANG_RE.match(language):
                return sheet.columns([language])[[c.name for c in sheet.columns([language])].index(name)]
        return None

    def _known_ids(self, by_sheet: dict[str, list[_Row]]) -> dict[str, set[str]]:
        known = {c: set(self.model.items[c]) for c in ("people", "cases", "sources", "organisations")}
        for sheet, collection in (("People", "people"), ("Cases", "cases")):
            for row in by_sheet[sheet]:
                value = row.key.value
                if isinstance(value, str) and value.strip():
                    known[collection].add(value.strip())
        return known

    # ------------------------------------------------------------ cells

    def _read(self, row: _Row, column: Column, known: dict[str, set[str]]) -> tuple[bool, Any]:
        """(ok, canonical value or None) of the row's cell in `column`; each cell's problems
        are reported once, however often it is read."""
        key = (id(row), column)
        if key not in self._cells_read:
            self._cells_read[key] = self._read_cell(row, column, known)
        return self._cells_read[key]

    def _read_cell(self, row: _Row, column: Column, known: dict[str, set[str]]) -> tuple[bool, Any]:
        cell = row.cells.get(column)
        if cell is None:
            return True, None
        if cell.formula:
            self.problem(
                row,
                cell,
                f"this cell holds a formula ({cell.value}); briefgen reads values only",
                "copy the cells and paste them as values, or type the text with an apostrophe (') first",
            )
            return False, None
        value, problem, hint = column.read(cell.value, cell.typed)
        if problem:
            self.problem(row, cell, problem, hint)
            return False, None
        if value is not None and column.ref:
            ids = value if isinstance(value, list) else [value]
            what = {
                "people": "person",
                "sources": "source",
                "cases": "case",
                "organisations": "organisation",
            }[column.ref]
            suggest = self.seen.shown_refs(column.ref, sorted(known[column.ref]))
            for ref in ids:
                if ref not in known[column.ref]:
                    self.problem(
                        row,
                        cell,
                        f"unknown {what} '{ref}'",
                        did_you_mean(ref, suggest, listing=False) or f"add the {what} first",
                    )
                    return False, None
        return True, value

    # ------------------------------------------------------------ cases and people

    def _item_row(self, row: _Row, sheet: SheetModel, known: dict[str, set[str]]) -> None:
        collection = sheet.collection
        id_column = (
            next(c for c in row.cells if c.name == "id") if any(c.name == "id" for c in row.cells) else None
        )
        if id_column is None:
            return
        ok, item_id = self._read(row, id_column, known)
        if not ok:
            return
        if item_id is None:
            self.problem(
                row,
                row.key,
                f"this row has no id; every {_noun(sheet)} needs one",
                self._id_hint(row),
            )
            return
        first = self.new_rows.get((collection, item_id))
        if first is not None or any(t[:2] == (collection, item_id) for t in self.touched):
            earlier = first or next(t[2] for t in self.touched if t[:2] == (collection, item_id))
            self.problem(
                row,
                row.key,
                f"duplicate id '{item_id}': row {row.place_of(earlier)} has it too",
                "give each row its own id",
            )
            return
        if item_id in self.model.items[collection]:
            if not self.seen.item_visible(collection, item_id):
                self.problem(
                    row, row.key, f"the id '{item_id}' is already used in the project", "choose another id"
                )
                return
            self.touched.append((collection, item_id, row))
            self._update(row, sheet, (collection, item_id), self.raw[collection][item_id], known)
        else:
            self.new_rows[(collection, item_id)] = row
            data = self._new_data(row, sheet, known)
            if data is not None:
                self.new_items[collection][item_id] = {"id": item_id, **data}

    def _id_hint(self, row: _Row) -> str:
        for column, cell in row.cells.items():
            if column.name in ("name", "title") and isinstance(cell.value, str) and suggest_slug(cell.value):
                return f"for example '{suggest_slug(cell.value)}'"
        return "lowercase letters, digits and hyphens, e.g. ali-aliyev"

    def _new_data(self, row: _Row, sheet: SheetModel, known: dict[str, set[str]]) -> dict | None:
        data: dict[str, Any] = {}
        failed: set[str] = set()
        extra = [c for c in row.cells if c.localized and c.language not in self.languages]
        for column in sheet.columns(self.languages) + extra:
            if column.kind in ("id", "entry") or column.name == sheet.parent_key:
                continue
            good, value = self._read(row, column, known)
            if good and column.kind == "markdown" and isinstance(value, str):
                value = self._unmask(row, row.cells[column], value, None)
                good = value is not None
            if not good:
                failed.add(column.name)
            elif value is not None:
                _put_data(data, column, column.yaml_value(value), self.language)
        for column in sheet.fields:
            if column.required and column.name not in failed | {sheet.parent_key} and _missing(data, column):
                cell = self._cell_for(row, column)
                self.problem(row, cell, f"a new {_noun(sheet)} needs {column.name}", column.help)
                failed.add(column.name)
        return None if failed else data

    def _check_cells(self, row: _Row, known: dict[str, set[str]]) -> None:
        """Read every cell of a row, for its problems (each is reported once)."""
        for column in row.cells:
            if column.kind != "entry":
                self._read(row, column, known)

    def _cell_for(self, row: _Row, column: Column) -> Cell | str:
        for col, cell in row.cells.items():
            if col.name == column.name and (col.language in (None, self.language)):
                return cell
        return f"{row.table.label}:{row.key.where}"

    def _update(
        self, row: _Row, sheet: SheetModel, base: tuple, raw: dict, known: dict[str, set[str]]
    ) -> None:
        collection, item_id = base[0], base[1]
        doc = self._document_of(collection, item_id)
        exported = self._as_exported(row, sheet, base)
        for column, cell in row.cells.items():
            if column.kind in ("id", "entry") or column.name == sheet.parent_key:
                continue
            ok, value = self._read(row, column, known)
            if not ok:
                continue
            if not self.seen.part_visible(raw, column.sensitivity_of):
                if value is not None:
                    self.problem(
                        row,
                        cell,
                        f"the {column.sensitivity_of[0]} details of this {_noun(sheet)} are above "
                        f"this workbook's clearance ({self.seen.clearance})",
                        "edit them in the YAML file, or export with a higher --clearance",
                    )
                continue
            if exported is not None and column.header in exported:
                before = _canonical(column, exported[column.header], typed=False)
                if _same(value, before):
                    continue  # the cell as exported: whatever the file says now stays
                now = _canonical(column, cell_value(column, raw, self.seen, self.language), typed=True)
                if not _same(now, before) and not _same(value, now):
                    self.problem(
                        row,
                        cell,
                        f"this cell was changed in the workbook, and {doc.label} changed it too "
                        "since the export",
                        "export again and make the change in the new workbook, or make this cell "
                        "say what the file says",
                    )
                    continue
            written = column.written(raw, self.language)
            hidden: list[str] = []
            if column.ref and written is not None:
                ids = written if isinstance(written, list) else [written]
                shown = self.seen.shown_refs(column.ref, [str(i) for i in ids])
                hidden = [str(i) for i in ids if str(i) not in shown]
                if not isinstance(written, list) and hidden:
                    if value is not None:
                        self.problem(
                            row,
                            cell,
                            f"the {column.name} of this entry is above this workbook's clearance",
                            "edit it in the YAML file",
                        )
                    continue
                written = shown if isinstance(written, list) else written
            if column.kind == "markdown" and isinstance(value, str):
                value = self._unmask(row, cell, value, written)
                if value is None:
                    continue
            if column.same(value, written):
                continue
            if value is None and column.required and not column.localized:
                self.problem(row, cell, f"{column.name} cannot be empty", column.help)
                continue
            if hidden:  # the entries the export left out stay, where they were
                merged = list(value or [])
                for ref in (str(i) for i in column.written(raw, self.language)):
                    if ref in hidden:
                        merged.append(ref)
                value = merged
            try:
                _edit(
                    doc,
                    base,
                    raw,
                    column,
                    column.yaml_value(value) if value is not None else None,
                    self.language,
                )
            except YamlEditError as exc:
                self.problem(
                    row,
                    cell,
                    f"cannot write this value into {doc.label}: {exc.message}",
                    "change it in the YAML file by hand",
                )
                continue
            self.report.changed += 1

    def _unmask(self, row: _Row, cell: Cell, value: str, written: Any) -> str | None:
        """The cell's text with each `[@withheld-N]` back as the citation it stands for in
        the field's text `written` (None for a new item or entry); None after a problem."""
        text, problems = unmask(value, written if isinstance(written, str) else None, self.seen)
        for message, hint in problems:
            self.problem(row, cell, message, hint)
        return None if problems else text

    def _document_of(self, collection: str, item_id: str) -> YamlDocument:
        path = self.model.positions[(collection, item_id)][0]
        if path not in self.documents:
            self.documents[path] = YamlDocument.read(self.root / path, path)
        return self.documents[path]

    # ------------------------------------------------------------ lists inside items

    def _entry_row(
        self, row: _Row, sheet: SheetModel, known: dict[str, set[str]], seen_entries: dict
    ) -> None:
        """A row of a list sheet (Timeline, Charges ...): an entry of a case's (person's)
        list, by its number; a new entry when the number is empty."""
        collection, field, parent = sheet.collection, sheet.list_field, sheet.key
        assert field is not None
        parent_column = next((c for c in row.cells if c.name == parent), None)
        entry_column = next((c for c in row.cells if c.name == "entry"), None)
        if parent_column is None or entry_column is None:
            return
        ok, item_id = self._read(row, parent_column, known)
        if not ok:
            return
        if item_id is None:
            self.problem(row, row.key, f"this row names no {parent}", f"write the id of its {parent}")
            return
        entry_cell = row.cells[entry_column]
        number, problem, _ = Column("entry", ("entry",), "int", "").read(entry_cell.value, entry_cell.typed)
        if problem:
            self.problem(row, entry_cell, problem, "the entry's number as exported; empty for a new entry")
            return
        if (collection, item_id) in self.new_rows:
            if number is not None:
                self.problem(
                    row,
                    entry_cell,
                    f"the {parent} '{item_id}' is new: it has no entry {number} yet",
                    "leave the entry number empty for a new entry",
                )
                return
            entry = self._new_data(row, sheet, known)
            if entry is not None and item_id in self.new_items[collection]:
                self.new_items[collection][item_id].setdefault(field, []).append(entry)
                self.report.added += 1
            return
        if not self.seen.item_visible(collection, item_id):
            self.problem(
                row, row.key, f"unknown {parent} '{item_id}'", f"the {parent} must be in the workbook"
            )
            return
        entries = self.raw[collection][item_id].get(field) or []
        doc = self._document_of(collection, item_id)
        if number is None:
            entry = self._new_data(row, sheet, known)
            if entry is None:
                return
            try:
                if doc.node((collection, item_id, field)) is None:
                    doc.add_key((collection, item_id), field, [entry])
                else:
                    doc.append_item((collection, item_id, field), entry)
            except YamlEditError as exc:
                self.problem(
                    row,
                    row.key,
                    f"cannot add this entry to {doc.label}: {exc.message}",
                    "add it in the YAML file by hand",
                )
                return
            self.touched.append((collection, item_id, row))
            self.report.added += 1
            return
        shown = 1 <= number <= len(entries) and isinstance(entries[number - 1], dict)
        if not shown or not self.seen.allowed(
            entries[number - 1].get("sensitivity"), sheet.default_sensitivity
        ):
            self.problem(
                row,
                entry_cell,
                f"the {parent} '{item_id}' has no entry {number} in this workbook",
                "leave the entry number empty for a new entry",
            )
            return
        if (item_id, number) in seen_entries:
            self.problem(
                row,
                entry_cell,
                f"entry {number} of '{item_id}' is on row {row.place_of(seen_entries[item_id, number])} too",
                "give each entry one row",
            )
            return
        seen_entries[(item_id, number)] = row
        base = (collection, item_id, field, number - 1)
        exported = self._as_exported(row, sheet, base)
        entry = entries[number - 1]
        if exported is not None and not self._entry_as_exported(row, sheet, exported, entry, known):
            return
        self.touched.append((collection, item_id, row))
        self._update(row, sheet, base, entry, known)

    def _entry_as_exported(self, row: _Row, sheet: SheetModel, exported: dict, entry: dict, known) -> bool:
        """Whether a list row the user changed still has its entry where the export found it.
        A row as exported is left alone (False), whatever its entry is now: a workbook given
        back after entries were added or removed before it would otherwise write its cells
        over another entry. A changed row whose entry changed since is a problem (False)."""
        columns = [c for c in row.cells if c.kind not in ("id", "entry") and c.name != sheet.parent_key]
        changed = [
            c
            for c in columns
            if c.header in exported
            and not _same(self._read(row, c, known)[1], _canonical(c, exported[c.header], typed=False))
        ]
        if not changed:
            return False
        moved = any(
            not _same(
                _canonical(c, cell_value(c, entry, self.seen, self.language), typed=True),
                _canonical(c, exported[c.header], typed=False),
            )
            for c in columns
            if c.header in exported
        )
        if moved:
            self.problem(
                row,
                row.key,
                "this row was changed, and its entry is no longer what the workbook was exported "
                "with (it was edited in the file, or an entry was added or removed before it)",
                "export again and make the change in the new workbook",
            )
            return False
        return True

    def _as_exported(self, row: _Row, sheet: SheetModel, base: tuple) -> dict | None:
        """The row's cells as the workbook was exported with (its hidden sheet Exported), or
        None (a CSV file, a workbook without the record, a row the export did not write)."""
        snapshot = self.snapshots.get(row.table.label)
        if snapshot is None:
            return None
        key = snapshot_key(base[1]) if len(base) == 2 else snapshot_key(base[1], base[3] + 1)
        return snapshot.get((sheet.name, key))

    # ------------------------------------------------------------ new files and the check

    def _create_new_files(self) -> None:
        for collection, items in self.new_items.items():
            folder = self._folder(collection)
            for item_id, data in items.items():
                path = self._free_name(folder, item_id)
                doc = self.documents[path] = YamlDocument("", path)
                try:
                    doc.append_to_collection(collection, data)
                except YamlEditError as exc:
                    row = self.new_rows[(collection, item_id)]
                    self.problem(row, row.key, f"cannot write this {collection[:-1]} as YAML: {exc.message}")
                    continue
                self.touched.append((collection, item_id, self.new_rows[(collection, item_id)]))
                self.report.added += 1

    def _folder(self, collection: str) -> str:
        """The folder most of the collection's files are in (content/ for a new one)."""
        folders = Counter(
            str(PurePosixPath(where[0]).parent)
            for (coll, _), where in self.model.positions.items()
            if coll == collection
        )
        return folders.most_common(1)[0][0] if folders else "content"

    def _free_name(self, folder: str, item_id: str) -> str:
        number = 1
        while True:
            name = f"{folder}/{item_id}.yaml" if number == 1 else f"{folder}/{item_id}-{number}.yaml"
            if name not in self.documents and not (self.root / name).exists():
                return name
            number += 1

    def _check_result(self) -> None:
        """The project as it would be after the import, checked as `validate` does."""
        replaced = {name: doc.to_bytes() for name, doc in self.documents.items() if doc.changed}
        if not replaced:
            return
        for diagnostic in check_content(self.root, replaced):
            row = self._row_at(diagnostic)
            if row is None:
                self.report.problems.append(diagnostic)
            else:
                where = f"{diagnostic.location}"
                self.problem(
                    row, row.key, f"{diagnostic.message} (in {where} as it would be written)", diagnostic.hint
                )

    def _row_at(self, diagnostic: Diagnostic) -> _Row | None:
        """The row whose item holds the place of a problem in the edited files."""
        doc = self.documents.get(diagnostic.location.path)
        if doc is None:
            return None
        best = None
        for collection, item_id, row in self.touched:
            node = doc.node((collection, item_id))
            if node is None:
                continue
            first, _ = doc.position(node.start)
            last, _ = doc.position(node.end)
            if first <= diagnostic.location.line <= last:
                best = row
        return best


# ---------------------------------------------------------------- edits and data


def _first_where(table: Table) -> str:
    """Where the table's first cell is: `SHEET!A1` in a workbook, `LINE:COLUMN` in a CSV file."""
    cells = table.headers or next(iter(table.rows), [])
    return cells[0].where if cells else ""


def _sheet_model(name: str) -> SheetModel | None:
    for sheet in SHEETS:
        if sheet.name.lower() == name.strip().lower():
            return sheet
    return None


def _noun(sheet: SheetModel) -> str:
    return sheet.noun


def _missing(data: dict, column: Column) -> bool:
    value: Any = data
    for part in column.path:
        value = value.get(part) if isinstance(value, dict) else None
    return value in (None, "", [], {})


def _put_data(data: dict, column: Column, value: Any, project_language: str) -> None:
    """Set `value` at the column's path in a new item's data."""
    target = data
    for part in column.path[:-1]:
        target = target.setdefault(part, {})
    name = column.path[-1]
    if not column.localized:
        target[name] = value
        return
    current = target.get(name)
    if current is None:
        target[name] = value if column.language == project_language else {column.language: value}
    elif isinstance(current, str):
        target[name] = {project_language: current, column.language: value}
    else:
        current[column.language] = value


def _edit(doc: YamlDocument, base: tuple, raw: dict, column: Column, value: Any, language: str) -> None:
    """Make the item at `base` (its YAML data `raw`) hold `value` in `column` (None: remove)."""
    path = (*base, *column.path)
    # As the document holds it now, not as it was read: an earlier cell of the row may have
    # written the field already (title[en] then title[ru] of a case that had no title).
    node = doc.node(path)
    current: Any = node.data() if node is not None else None
    if value is None:
        if column.localized and isinstance(current, dict):
            if len(current) == 1:
                doc.remove_key(path)
            else:
                doc.remove_key((*path, column.language))
        else:
            doc.remove_key(path)
        return
    if current is None:
        parents = column.path[:-1]
        for depth in range(len(parents) + 1):
            if doc.node((*base, *parents[:depth])) is None:
                data: dict[str, Any] = {}
                _put_data(
                    data,
                    Column(column.name, column.path[depth - 1 :], column.kind, "", column.language),
                    value,
                    language,
                )
                key = column.path[depth - 1]
                doc.add_key((*base, *parents[: depth - 1]), key, data[key])
                return
        leaf: Any = value if not column.localized or column.language == language else {column.language: value}
        doc.add_key((*base, *parents), column.path[-1], leaf)
        return
    if column.localized:
        if isinstance(current, str) and column.language == language:
            doc.set_scalar(path, _with_final_break(current, value))
        else:
            written = current.get(column.language) if isinstance(current, dict) else None
            doc.set_translation(
                path, column.language, _with_final_break(written, value), source_language=language
            )
        return
    if column.is_list:
        doc.set_list(path, value)
        return
    if isinstance(value, bool):
        doc.set_scalar(path, "true" if value else "false", plain=True)
    elif isinstance(value, int):
        doc.set_scalar(path, str(value), plain=True)
    else:
        doc.set_scalar(path, _with_final_break(current, value))


def _with_final_break(written: Any, value: Any) -> Any:
    """An edited text keeps the final line break its YAML value had: cells are read without
    one, and without it a `|` block would be rewritten as `|-`, a change nobody made."""
    if (
        isinstance(written, str)
        and isinstance(value, str)
        and written.endswith("\n")
        and not value.endswith("\n")
    ):
        return value + "\n"
    return value
