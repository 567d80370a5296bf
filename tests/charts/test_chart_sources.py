"""What the built-in charts cite: the cases' sources and those of the timeline entries drawn
or counted from (content format 1.1 "its source where one is known", 1.2 "a timeline
entry's source is shown as a citation wherever the entry is shown"), never a source or an
entry the audience may not see."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import build, docx_text

from briefgen.charts.spec import chart_specs
from briefgen.i18n import Localizer
from briefgen.load import load_project
from briefgen.select import select_view

SETTINGS = """\
name: Chart sources
publisher: ngo
language: en
as_of: 2016-01-19
audiences:
  - id: public-readers
    name: Public readers
    clearance: public
  - id: cleared
    name: Cleared partners
    clearance: confidential
briefs:
  - id: pb
    template: policy-brief
    title: Chart sources brief
    audiences: [public-readers, cleared]
    formats: [html, docx]
    cases: all
    charts: [case-timeline, detention-days, case-status]
"""

# Anna's first public arrest cites arrest-report; her earlier detention is confidential
# (for the cleared readers it is the start of her detention, citing hidden-entry-report);
# her transfer is public but cites a confidential source. Boris's detention cites the same
# arrest-report: cited once.
CONTENT = """\
organisations:
  - id: ngo
    name: Chart Sources NGO
people:
  - id: anna
    name: Anna Publicova
  - id: boris
    name: Boris Homebound
cases:
  - id: anna-case
    subjects: [anna]
    status: imprisoned
    summary: A public case.
    sources: [case-report]
    timeline:
      - {date: 2015-01-10, type: arrest, text: Arrested., source: arrest-report}
      - date: 2014-06-01
        type: detention
        text: Held secretly.
        source: hidden-entry-report
        sensitivity: confidential
      - {date: 2015-09-01, type: verdict, text: Sentenced., source: verdict-report}
      - {date: 2015-10-01, type: transfer, text: Moved., source: secret-report}
  - id: boris-case
    subjects: [boris]
    status: house-arrest
    summary: A case under house arrest.
    timeline:
      - {date: 2015-11-20, type: detention, text: Placed under house arrest., source: arrest-report}
sources:
  - {id: case-report, title: Case Report}
  - {id: arrest-report, title: Arrest Report}
  - {id: verdict-report, title: Verdict Report}
  - {id: hidden-entry-report, title: Hidden Entry Report}
  - {id: secret-report, title: Secret Report, sensitivity: confidential}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("chart-sources")
    (root / "content").mkdir()
    (root / "briefgen.yaml").write_text(SETTINGS, encoding="utf-8")
    (root / "content" / "c.yaml").write_text(CONTENT, encoding="utf-8")
    return root


def cited(project: Path, audience: str) -> dict[str, list[str]]:
    result = load_project(project)
    assert result.model is not None, [str(d) for d in result.diagnostics]
    model = result.model
    view, _ = select_view(model, model.project.briefs[0], model.audience(audience), "en")
    return {name: [s.id for s in spec.sources] for name, spec in chart_specs(view, Localizer("en")).items()}


def test_case_timeline_cites_the_cases_sources_then_each_drawn_entrys_once(project):
    public = cited(project, "public-readers")
    assert public["case-timeline"] == ["case-report", "arrest-report", "verdict-report"]
    assert cited(project, "cleared")["case-timeline"] == [
        "case-report",
        "hidden-entry-report",
        "arrest-report",
        "verdict-report",
        "secret-report",
    ]


def test_detention_days_cites_the_entries_its_start_dates_come_from(project):
    # Not the verdict's nor the transfer's: the bars count from the first arrest or detention.
    assert cited(project, "public-readers")["detention-days"] == ["case-report", "arrest-report"]
    cleared = cited(project, "cleared")
    assert cleared["detention-days"] == ["case-report", "hidden-entry-report", "arrest-report"]
    # Case status counts cases, not entries: the cases' sources only.
    assert cleared["case-status"] == ["case-report"]


def test_entry_sources_are_cited_beyond_the_first_three_case_sources(project, tmp_path):
    import shutil

    root = tmp_path / "p"
    shutil.copytree(project, root)
    content = root / "content" / "c.yaml"
    text = content.read_text().replace("sources: [case-report]", "sources: [case-report, c2, c3, c4]")
    text += "".join(f"  - {{id: c{n}, title: Case Report {n}}}\n" for n in (2, 3, 4))
    content.write_text(text)
    assert cited(root, "public-readers")["case-timeline"] == [
        "case-report",
        "c2",
        "c3",
        "arrest-report",
        "verdict-report",
    ]


def captions(html: str) -> list[str]:
    found = re.findall(r"<figcaption>(.*?)</figcaption>", html, re.S)
    return [re.sub(r"<[^>]+>", "", c) for c in found]


def test_html_and_docx_captions_cite_the_timeline_sources_and_nothing_withheld(project, tmp_path):
    out = tmp_path / "out"
    build(project, out, audiences=["public-readers"], jobs=2)
    html = next((out / "pb").glob("*.html")).read_text(encoding="utf-8")
    assert captions(html) == [
        "Figure 1. Timeline of the cases. Source: Case Report; Arrest Report; Verdict Report.",
        "Figure 2. Days in detention on 19 January 2016. Source: Case Report; Arrest Report.",
        "Figure 3. Cases by status on 19 January 2016. Source: Case Report.",
    ]
    docx = docx_text(next((out / "pb").glob("*.docx")))
    assert "Figure 1. Timeline of the cases. Source: Case Report; Arrest Report; Verdict Report." in docx
    assert "Figure 2. Days in detention on 19 January 2016. Source: Case Report; Arrest Report." in docx
    for text in (html, docx):
        for withheld in ("Secret Report", "Hidden Entry Report", "Held secretly"):
            assert withheld not in text
