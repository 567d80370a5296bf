"""recordkinds: every Record a template can receive has a name an author knows.

The Views of every output of the fixture projects and of the repository's own project are
walked, so a new kind of Record in select.py, or a new field that makes one kind look like
another, fails here rather than in an author's error message.
"""

from __future__ import annotations

import pytest
from conftest import PROJECTS, REPO

from briefgen.charts import ChartPlacer
from briefgen.i18n import Localizer
from briefgen.jobs import job_view
from briefgen.load import load_project
from briefgen.plan import plan_jobs
from briefgen.recordkinds import describe, record_fields, record_kind
from briefgen.select import Record
from briefgen.theme import project_theme

PROJECT_ROOTS = [REPO, *(PROJECTS / name for name in ("small", "audiences", "casefile", "charts", "letters"))]


def records(value, seen: set[int]):
    if isinstance(value, Record):
        if id(value) in seen:
            return
        seen.add(id(value))
        yield value
        value = vars(value)
    if isinstance(value, dict):
        for sub in value.values():
            yield from records(sub, seen)
    elif isinstance(value, list | tuple):
        for sub in value:
            yield from records(sub, seen)


@pytest.mark.parametrize("root", PROJECT_ROOTS, ids=lambda p: p.name)
def test_every_record_a_template_receives_has_a_kind(root):
    model = load_project(root).model
    assert model is not None
    theme = project_theme(model)
    found: set[str] = set()
    for job in plan_jobs(model):
        view = job_view(model, job)
        context = view.template_context()
        # The charts a template lists are Records too (render.py adds them).
        context["charts"] = ChartPlacer(view, Localizer(view.language, root), theme, str).listed()
        for record in records(context, set()):
            kind = record_kind(record)
            assert kind is not None, f"{root.name}: no kind for a Record with {record_fields(record)}"
            found.add(kind)
    assert {"brief", "audience", "project"} <= set(found)


def test_the_repository_shows_the_kinds_of_its_content():
    model = load_project(REPO).model
    kinds = set()
    for job in plan_jobs(model):
        kinds.update(record_kind(r) for r in records(job_view(model, job).template_context(), set()))
    for expected in ("case", "person", "organisation", "source", "recommendation", "timeline entry"):
        assert expected in kinds


def test_describe_speaks_as_the_docs_do():
    assert describe(Record(id="x", subjects=[], timeline=[])) == "a case"
    assert describe(Record(id="o", short_name="O", website=None)) == "an organisation"
    assert describe(Record(text="a note")) == "a note"
    assert describe(Record(unknown=1)) == "a record"
    assert describe(None) == "nothing (None)"
    assert describe([1]) == "a list"
    assert describe("x") == "a text"
