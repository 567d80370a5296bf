"""Reading CSV files as Excel and Calc write them: delimiters, quotes, line breaks in cells,
a byte-order mark, CRLF line ends; each cell with its line and column."""

from __future__ import annotations

import pytest

from briefgen.sheet.tables import TableError, read_book, scan_csv


def test_quoted_cells_with_delimiters_quotes_and_line_breaks():
    text = 'id,summary[en]\r\na-case,"He said ""no"",\r\nthen left."\r\nb-case,plain\r\n'
    records = scan_csv(text, ",", "Cases.csv")
    assert records == [
        [("id", 1, 1), ("summary[en]", 1, 4)],
        [("a-case", 2, 1), ('He said "no",\r\nthen left.', 2, 8)],
        [("b-case", 4, 1), ("plain", 4, 8)],
    ]


def test_excel_csv_utf8_with_semicolons_and_a_bom():
    raw = "\ufeffid;name[en];name[ru]\nlena-petrova;Lena;Лена\n".encode()
    book = read_book("People.csv", raw)
    (table,) = book.tables
    assert table.sheet == "People" and [c.value for c in table.headers] == ["id", "name[en]", "name[ru]"]
    cells = [(c.value, c.where) for c in table.rows[0]]
    assert cells == [("lena-petrova", "2:1"), ("Lena", "2:14"), ("Лена", "2:19")]


def test_the_sheet_of_a_csv_file_by_name_or_by_its_columns():
    assert read_book("export-Timeline.csv", b"case,entry,date\n").tables[0].sheet == "Timeline"
    assert read_book("list.csv", b"id,subjects,status,summary[en]\n").tables[0].sheet == "Cases"
    assert read_book("x.csv", b"case,entry,article,description[en]\n").tables[0].sheet == "Charges"
    assert read_book("book-Lists.csv", b"detained,none\n").tables == []
    assert read_book("book-README.csv", b"Title\nClearance,internal\n").clearance == "internal"


def test_unclosed_quote_and_not_utf8_are_errors_at_their_place():
    with pytest.raises(TableError) as caught:
        read_book("Cases.csv", b'id,summary[en]\na,"never closed\n')
    assert (caught.value.where, caught.value.message) == ("Cases.csv:2:3", "this quoted cell is never closed")
    with pytest.raises(TableError) as caught:
        read_book("Cases.csv", "id\nÄ\n".encode("latin-1"))
    assert caught.value.where == "Cases.csv:1:1"


def test_a_file_named_xlsx_that_is_no_workbook_is_an_error_not_a_skipped_csv():
    for raw in (b"garbage\n", b"id,name\nx,y\n"):
        with pytest.raises(TableError) as caught:
            read_book("Cases.xlsx", raw)
        assert caught.value.where == "Cases.xlsx"
        assert "not a workbook" in caught.value.message
    assert read_book("Cases.csv", b"id,name\nx,y\n").tables  # the same text named .csv is read
