"""Text that cannot break stays inside the page and its table cell (docs/security.md, 11).

A 3,000-character token and a long URL in a case's summary, its timeline table and a
person's name: every character of the PDF lies inside the page's box and no character
straddles a table column's edge; the DOCX holds every token whole. Rendering must stay
fast: such a token once made WeasyPrint try every hyphenation point (minutes per output).
"""

from __future__ import annotations

import pytest
from conftest import docx_text
from security_support import make_project, run_cli

TOKEN = "".join("abcdefghij"[i % 10] for i in range(3000))
URL = (
    "https://example.org/" + "/".join(f"segment{i:03d}-of-a-long-path" for i in range(40)) + "?q=" + "x" * 200
)
NAME = "Longname" + "k" * 112


def long_token_project(root, template):
    project = make_project(root, summary=f'"{TOKEN} {URL}"', template=template, formats=("pdf", "docx"))
    items = project / "content" / "items.yaml"
    text = items.read_text(encoding="utf-8")
    text = text.replace("    name: Test Subject\n", f"    name: {NAME}\n")
    timeline = (
        f"    timeline:\n      - date: 2020-01\n        type: arrest\n        text: {TOKEN}\n"
        f"      - date: 2020-02\n        type: arrest\n        text: See {URL}\n"
    )
    items.write_text(
        text.replace("    sources: [test-report]\n", "    sources: [test-report]\n" + timeline, 1)
    )
    return project


@pytest.mark.slow
@pytest.mark.parametrize("template", ["case-dossier", "policy-brief"])
def test_long_tokens_stay_inside_the_page_and_the_cell(tmp_path, template):
    import pdfplumber

    project = long_token_project(tmp_path / "p", template)
    # Well under the time a single occurrence took before (about a minute each).
    result = run_cli("build", str(project), env={"BRIEFGEN_RENDER_TIMEOUT": "120"})
    assert result.returncode == 0, result.stderr
    pdf = next((project / "output").rglob("*.pdf"))
    characters = in_tables = 0
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            for char in page.chars:
                inside = (
                    char["x0"] >= 0
                    and char["x1"] <= page.width
                    and char["top"] >= 0
                    and char["bottom"] <= page.height
                )
                assert inside, (number, char["text"], char["x0"], char["x1"], page.width)
            characters += len(page.chars)
            for table in page.find_tables():  # found by its header's rules
                left, top, right, _bottom = table.bbox
                rules = [r for r in page.lines if r["x0"] > left - 1 and r["x1"] < right + 1]
                bottom = max(r["bottom"] for r in rules)  # the cells' rules: the last row's
                # No character may straddle the left edge of a column (but the first).
                edges = {round(cell[0], 1) for cell in table.cells if cell} - {round(left, 1)}
                inside = page.within_bbox((left, top, right, bottom)).chars
                for char in inside:
                    assert not any(char["x0"] < edge - 0.5 < char["x1"] - 1 for edge in edges), (number, char)
                in_tables += len(inside) if edges else 0
    assert in_tables > (len(TOKEN) if template == "case-dossier" else len(NAME))  # the check saw them
    # The tokens are on the pages, not dropped: the dossier shows the summary and the
    # timeline, the policy brief the summary.
    assert characters > (2 if template == "case-dossier" else 1) * len(TOKEN)
    text = docx_text(next((project / "output").rglob("*.docx")))
    assert TOKEN in text and URL in text and NAME in text
