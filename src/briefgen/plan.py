"""Plan: model + CLI narrowing -> the list of outputs a build produces.

One Job is one brief x audience x language (x recipient): one HTML render that every
requested format is written from. File names are derived from ids only (slugs, validated),
so they are stable, readable and cannot leave the output folder.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import IMPLICIT_AUDIENCE, Audience, Brief, Model, Recipient
from .writers import WRITERS


@dataclass(frozen=True)
class Job:
    brief_id: str
    audience_id: str
    language: str
    formats: tuple[str, ...]
    recipient_id: str | None = None

    @property
    def stem(self) -> str:
        parts = [self.brief_id, self.audience_id, self.language]
        if self.recipient_id:
            parts.append(self.recipient_id)
        return ".".join(parts)

    def relpath(self, fmt: str) -> str:
        return f"{self.brief_id}/{self.stem}{WRITERS[fmt].suffix}"

    @property
    def label(self) -> str:
        return self.stem


class UsageError(Exception):
    """The command line names something the project does not define (exit status 2)."""


def brief_audiences(model: Model, brief: Brief) -> list[Audience]:
    if brief.audiences is None:
        return [IMPLICIT_AUDIENCE]
    return [model.audience(a) for a in brief.audiences]


def brief_languages(model: Model, brief: Brief) -> list[str]:
    return list(brief.languages or [model.project.language])


def brief_recipients(model: Model, brief: Brief) -> list[Recipient]:
    wanted = brief.recipients
    if wanted is None:
        return []
    if wanted == "all":
        return [model.recipients[r] for r in sorted(model.recipients)]
    if isinstance(wanted, list):
        return [model.recipients[r] for r in wanted]
    tags = set(wanted.tags)
    return [model.recipients[r] for r in sorted(model.recipients) if tags & set(model.recipients[r].tags)]


def recipient_language(recipient: Recipient, languages: list[str]) -> str:
    """A recipient's copy is in their language when the brief offers it (`fr-BE` reads the
    brief's `fr`), else in the brief's first."""
    wanted = recipient.language
    if wanted in languages:
        return wanted
    if wanted is not None and wanted.split("-")[0] in languages:
        return wanted.split("-")[0]
    return languages[0]


def plan_jobs(
    model: Model,
    briefs: list[str] | None = None,
    audiences: list[str] | None = None,
    languages: list[str] | None = None,
    formats: list[str] | None = None,
) -> list[Job]:
    """Every output of the project, narrowed by the command line's --brief/--audience/...

    Naming a brief, audience, language or format that the project does not define anywhere
    is a UsageError.
    """
    all_briefs = {b.id: b for b in model.project.briefs}
    _check_known("brief", briefs, all_briefs)
    known_audiences = {a.id for a in model.audiences()} | {
        a.id for b in model.project.briefs for a in brief_audiences(model, b)
    }
    _check_known("audience", audiences, known_audiences)
    known_languages = {lang for b in model.project.briefs for lang in brief_languages(model, b)}
    _check_known("language", languages, known_languages)
    _check_known("format", formats, set(WRITERS))

    jobs: list[Job] = []
    for brief in model.project.briefs:
        if briefs and brief.id not in briefs:
            continue
        wanted_formats = tuple(f for f in brief.formats if not formats or f in formats)
        if formats:
            # --format may ask for a format the brief does not list by default (e.g. html).
            wanted_formats = tuple(dict.fromkeys([*wanted_formats, *(f for f in formats)]))
        if not wanted_formats:
            continue
        langs = brief_languages(model, brief)
        recipients = brief_recipients(model, brief)
        for audience in brief_audiences(model, brief):
            if audiences and audience.id not in audiences:
                continue
            if recipients:
                for recipient in recipients:
                    lang = recipient_language(recipient, langs)
                    if languages and lang not in languages:
                        continue
                    jobs.append(Job(brief.id, audience.id, lang, wanted_formats, recipient.id))
                continue
            for lang in langs:
                if languages and lang not in languages:
                    continue
                jobs.append(Job(brief.id, audience.id, lang, wanted_formats))
    if not jobs and (briefs or audiences or languages or formats):
        raise UsageError(_nothing_selected(model, briefs, audiences, languages))
    # A brief named with others but left with no output (a language only the others offer)
    # would be dropped without a word: the build succeeds and the brief is not there.
    empty = [b for b in dict.fromkeys(briefs or []) if not any(job.brief_id == b for job in jobs)]
    if empty:
        raise UsageError(_nothing_selected(model, empty, audiences, languages))
    return jobs


def _nothing_selected(
    model: Model, briefs: list[str] | None, audiences: list[str] | None, languages: list[str] | None
) -> str:
    """Why a narrowing selects no output: what each named brief offers instead."""
    named = [b for b in model.project.briefs if not briefs or b.id in briefs]
    offers = []
    for brief in named:
        langs = brief_languages(model, brief)
        recipients = brief_recipients(model, brief)
        if recipients:
            langs = list(dict.fromkeys(recipient_language(r, langs) for r in recipients))
        offers.append(
            f"{brief.id}: audiences {', '.join(a.id for a in brief_audiences(model, brief))}; "
            f"languages {', '.join(langs)}"
        )
    asked = [f"--{flag} {', '.join(values)}" for flag, values in
             (("brief", briefs), ("audience", audiences), ("lang", languages)) if values]  # fmt: skip
    return f"{' '.join(asked) or 'this narrowing'} selects no output; " + (
        "the briefs offer: " + " | ".join(offers) if offers else "the project defines no brief"
    )


def _check_known(kind: str, wanted: list[str] | None, known) -> None:
    for name in wanted or []:
        if name not in known:
            choices = ", ".join(sorted(known)) or "none"
            raise UsageError(f"unknown {kind} {name!r}; the project defines: {choices}")
