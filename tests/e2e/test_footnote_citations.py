"""A citation inside a markdown footnote: a footnote cannot hold a footnote, so it reads as a
reference in brackets in the note's sentence, the same in the PDF, the HTML and the DOCX,
and its source is still in the list of sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import build, docx_text, pdf_text

SETTINGS = """\
name: Footnote citations
publisher: ngo
language: en
as_of: 2024-03-01
briefs:
  - id: cd
    template: case-dossier
    title: Dossier
    formats: [pdf, docx, html]
    cases: all
"""

CONTENT = """\
organisations:
  - id: ngo
    name: Audit NGO
people:
  - id: alice
    name: Alice Public
cases:
  - id: alice-case
    subjects: [alice]
    status: imprisoned
    summary: |
      Footnote here.[^1] Another.[^2]

      [^1]: The footnote's text [@src-b, p. 3].
      [^2]: Kept back [@src-secret].
sources:
  - {id: src-b, title: Source B}
  - {id: src-secret, title: Secret Source, sensitivity: confidential}
"""


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("footnote-citations")
    (root / "content").mkdir()
    (root / "briefgen.yaml").write_text(SETTINGS, encoding="utf-8")
    (root / "content" / "c.yaml").write_text(CONTENT, encoding="utf-8")
    build(root, root / "out", jobs=1)
    return {p.suffix: p for p in (root / "out" / "cd").glob("cd.public.en.*")}


NOTE = "The footnote\u2019s text (Source B, p. 3)."  # the apostrophe typeset (quotes.py)
WITHHELD = "Kept back (Source withheld)."


def test_html_note_is_one_footnote_with_the_reference_in_brackets(outputs):
    html = outputs[".html"].read_text(encoding="utf-8")
    notes = [re.sub(r"<[^>]+>", "", n) for n in re.findall(r'<span class="footnote"[^>]*>(.*?)</span>', html)]
    assert notes == [NOTE, WITHHELD]
    assert 'class="footnote" data-source' not in html  # no footnote inside the note
    listed = re.sub(r"<[^>]+>", "", html.split('id="sources"', 1)[1])
    assert "Source B" in listed and "Secret Source" not in html


def test_docx_and_pdf_notes_read_the_same(outputs):
    docx = docx_text(outputs[".docx"])
    notes = [line.strip() for line in docx.splitlines()]
    assert NOTE in notes and WITHHELD in notes
    pdf = " ".join(pdf_text(outputs[".pdf"]).split())
    assert NOTE in pdf and WITHHELD in pdf
    for text in (docx, pdf):
        assert "textSource" not in text and ".." not in text and "Secret Source" not in text
