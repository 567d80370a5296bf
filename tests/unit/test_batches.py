"""build._batches: the order in which the workers take up a build's outputs."""

from __future__ import annotations

from briefgen.build import _batches
from briefgen.plan import Job


def copies(brief: str, language: str, count: int) -> list[tuple[Job, str]]:
    return [(Job(brief, "eu", language, ("html",), f"r{i:03}"), "fp") for i in range(count)]


def single(brief: str, language: str) -> list[tuple[Job, str]]:
    return [(Job(brief, "eu", language, ("html",)), "fp")]


def mailing() -> list[tuple[Job, str]]:
    """The benchmark project's build after an edit: two mailings, a dossier and a summary."""
    return (
        copies("brief", "en", 147)
        + single("dossier", "en")
        + single("summary", "en")
        + copies("brief", "ru", 53)
    )


def test_every_output_is_in_exactly_one_batch_and_copies_stay_with_their_brief():
    todo = mailing()
    batches = _batches(todo, 2)
    assert sorted(job.stem for batch in batches for job, _ in batch) == sorted(job.stem for job, _ in todo)
    for batch in batches:
        assert len({(job.brief_id, job.audience_id, job.language) for job, _ in batch}) == 1


def test_a_briefs_further_copies_come_after_the_other_outputs():
    """The worker that takes up a brief's first copies decides its contents (decisions.py);
    the others render other outputs meanwhile, and reach its further copies after."""
    todo = mailing()
    batches = _batches(todo, 2)
    kinds = [(batch[0][0].language if batch[0][0].recipient_id else "alone", len(batch)) for batch in batches]
    assert kinds[:2] == [("en", 37), ("ru", 14)]  # the first batch of each brief, biggest first
    assert kinds[2:4] == [("alone", 1), ("alone", 1)]
    assert [kind for kind, _ in kinds[4:]] == ["en"] * 3 + ["ru"] * 3
    assert max(size for _, size in kinds) <= -(-147 // 4)  # short batches last: no long tail


def test_one_worker_takes_a_brief_in_one_batch():
    batches = _batches(copies("brief", "en", 10) + single("dossier", "en"), 1)
    assert [len(batch) for batch in batches] == [10, 1]
