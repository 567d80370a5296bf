"""Spreadsheets: a project's cases, people and timeline entries <-> a workbook (or CSVs).

- columns.py: the column model both directions share (which field each column holds, how
  a YAML value becomes a cell and a cell a YAML value).
- export.py: model + clearance -> an .xlsx workbook (sheets Cases, People, Timeline, README).
- tables.py: an .xlsx workbook or CSV files -> plain tables of positioned cells.
- ingest.py: tables -> edits of the project's YAML files (yamledit), or every problem at its
  sheet and cell and nothing written.
"""
