"""inputs.view_fingerprint: what an output withholds is part of its fingerprint (the
confidentiality check depends on it)."""

from __future__ import annotations

from conftest import REPO

from briefgen.inputs import view_fingerprint
from briefgen.jobs import job_view
from briefgen.ledger import Withheld
from briefgen.load import load_project
from briefgen.plan import plan_jobs


def test_each_withheld_place_and_text_changes_the_fingerprint():
    model = load_project(REPO).model
    assert model is not None
    job = next(job for job in plan_jobs(model) if job.audience_id == "eu-policymakers")
    view = job_view(model, job)
    assert view.removed, "the repository's policymakers' outputs withhold something"
    before = view_fingerprint(view)
    assert view_fingerprint(job_view(model, job)) == before  # the same inputs, the same print

    first = view.ledger.removed[0]
    view.ledger.removed[0] = Withheld(first.where + "x", first.value)
    moved = view_fingerprint(view)
    view.ledger.removed[0] = Withheld(first.where, first.value + "x")
    changed = view_fingerprint(view)
    view.ledger.removed[0] = first
    view.ledger.removed.append(Withheld("cases.new.notes[0].text", "A new withheld note"))
    added = view_fingerprint(view)
    assert len({before, moved, changed, added}) == 4
