"""Advice: a valid Model -> warnings worth a look, that no single field's check can see.

Each is a likely mistake that still builds: a timeline entry dated after the brief that
shows it, a recipient tag that no brief's `recipients: {tags: [...]}` selects by, content
written in a language that no brief builds, a letter placeholder a recipient's copy would
print as nothing ("as a Member of , ..."), the name of a withheld person written into a
text their audience reads (withheldnames.py). They are warnings (exit 0), reported by
`validate` and `build` alike, each at the place to look.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from datetime import date
from typing import Any

from .diagnostics import Diagnostic, warning
from .model import COLLECTIONS, LANG_RE, PLACEHOLDER_RE, Model, RecipientFilter, sensitivity_rank
from .validate import known_language
from .withheldnames import withheld_name_warnings


def model_warnings(model: Model) -> list[Diagnostic]:
    return [
        *_timeline_after_brief(model),
        *_unused_recipient_tags(model),
        *_unbuilt_languages(model),
        *_letter_gaps(model),
        *withheld_name_warnings(model),
        *_all_of_nothing(model),
        *_recipients_in_another_language(model),
    ]


def _recipients_in_another_language(model: Model) -> Iterator[Diagnostic]:
    """A recipient whose `language` a brief that writes to them does not build: their copy
    is in the brief's first language, which nobody asked for."""
    from .plan import brief_languages, brief_recipients, recipient_language

    for brief in model.project.briefs:
        languages = brief_languages(model, brief)
        for recipient in brief_recipients(model, brief):
            wanted = recipient.language
            given = recipient_language(recipient, languages)
            if wanted is None or given.split("-")[0] == wanted.split("-")[0]:
                continue
            where = model.locate("recipients", recipient.id, "language")
            yield warning(
                where.path,
                where.line,
                where.column,
                f"recipient '{recipient.id}' reads '{wanted}', which brief '{brief.id}' is not built in: "
                f"their copy is in '{given}'",
                f"add '{wanted}' to the brief's languages, or give the recipient a language it builds "
                f"({', '.join(languages)})",
            )


def _all_of_nothing(model: Model) -> Iterator[Diagnostic]:
    """`cases: all` in a project without cases: an emptied content file (a crash, a merge),
    and the brief builds without a word and without its cases."""
    for brief in model.project.briefs:
        for field in ("cases", "recommendations"):
            if getattr(brief, field) == "all" and not model.items[field]:
                where = model.settings_locate("briefs", brief.id, field)
                yield warning(
                    where.path,
                    where.line,
                    where.column,
                    f"brief '{brief.id}' shows all the project's {field} ('{field}: all'), but the "
                    f"project has none, so its outputs have no {field}",
                    f"check that the content files holding them are not empty, or remove '{field}: all'",
                )


def _brief_cases(model: Model, brief: Any) -> list[str]:
    if brief.cases == "all":
        return sorted(model.cases)
    if brief.cases is not None:
        return list(brief.cases)
    event = model.events.get(brief.event) if brief.event else None
    return list(event.cases) if event is not None else []


def _timeline_after_brief(model: Model) -> Iterator[Diagnostic]:
    latest: dict[tuple[str, int], tuple[str, date]] = {}  # (case, entry) -> the first brief it postdates
    for brief in model.project.briefs:
        published = brief.date or model.project.as_of
        if published is None:
            continue
        for case_id in _brief_cases(model, brief):
            case = model.cases.get(case_id)
            for index, entry in enumerate(case.timeline if case else []):
                if _first_day(entry.date) > published and (case_id, index) not in latest:
                    latest[(case_id, index)] = (brief.id, published)
    for (case_id, index), (brief_id, published) in latest.items():
        entry = model.cases[case_id].timeline[index]
        where = model.locate("cases", case_id, "timeline", index, "date")
        yield warning(
            where.path,
            where.line,
            where.column,
            f"timeline date {entry.date} is after the date of brief '{brief_id}' ({published.isoformat()}), "
            "which shows this case",
            "check the date; if it is right, give the brief a later 'date', or the project a later 'as_of'",
        )


def _first_day(partial: str) -> date:
    parts = [int(p) for p in partial.split("-")]
    return date(*[*parts, 1, 1][:3])


def _unused_recipient_tags(model: Model) -> Iterator[Diagnostic]:
    # Recipient tags choose copies; they matter only once a brief selects recipients by tag.
    selected = {
        tag
        for brief in model.project.briefs
        if isinstance(brief.recipients, RecipientFilter)
        for tag in brief.recipients.tags
    }
    if not selected:
        return
    reported: set[str] = set()
    for recipient_id, recipient in sorted(model.recipients.items()):
        for index, tag in enumerate(recipient.tags):
            if tag in selected or tag in reported:
                continue
            reported.add(tag)
            where = model.locate("recipients", recipient_id, "tags", index)
            close = difflib.get_close_matches(tag, sorted(selected), n=1, cutoff=0.6)
            yield warning(
                where.path,
                where.line,
                where.column,
                f"recipient tag '{tag}' is used by no brief: briefs select recipients by "
                f"{', '.join(repr(t) for t in sorted(selected))}",
                f"did you mean '{close[0]}'?" if close else "add it to a brief's 'recipients: {tags: [...]}'",
            )


def _unbuilt_languages(model: Model) -> Iterator[Diagnostic]:
    built = {model.project.language}
    for brief in model.project.briefs:
        built.update(brief.languages or [model.project.language])
    for audience in model.project.audiences:
        if audience.language:
            built.add(audience.language)
    found: dict[str, list[tuple[str, str, tuple[Any, ...]]]] = {}
    for collection in COLLECTIONS:
        for item_id, item in model.items[collection].items():
            for path, lang in _localized_languages(item.model_dump(exclude_none=True)):
                if lang not in built and lang.split("-")[0] not in built:
                    found.setdefault(lang, []).append((collection, item_id, path))
    for lang, places in sorted(found.items()):
        collection, item_id, path = places[0]
        where = model.locate(collection, item_id, *path, lang)
        count = f"{len(places)} values are" if len(places) > 1 else "a value is"
        yield warning(
            where.path,
            where.line,
            where.column,
            f"{count} written in '{lang}' (the first here), but no brief builds '{lang}'",
            f"add '{lang}' to a brief's languages to use them; "
            "other spellings of a name belong in also_known_as",
        )


def _localized_languages(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(path, language) of every localized value: a mapping whose keys are all language codes."""
    if isinstance(value, dict):
        if (
            value
            and all(isinstance(k, str) and _looks_like_language(k) for k in value)
            and all(isinstance(v, str) for v in value.values())
        ):
            for lang in value:
                yield path, lang
            return
        for key, child in value.items():
            yield from _localized_languages(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _localized_languages(child, (*path, index))


def _looks_like_language(key: str) -> bool:
    return bool(LANG_RE.match(key)) and known_language(key)


def _letter_gaps(model: Model) -> Iterator[Diagnostic]:
    """{recipient.title} or {recipient.organisation} in a letter, for a recipient who has
    none, or whose organisation an audience of the brief may not see: that copy's letter
    would read with a gap where the words should be."""
    from .plan import brief_audiences, brief_recipients

    reported: set[tuple[str, str, str]] = set()
    for brief in model.project.briefs:
        if brief.letter is None:
            continue
        body = brief.letter.body
        texts = body.values() if isinstance(body, dict) else [body]
        used = {m.group(1).strip() for text in texts for m in PLACEHOLDER_RE.finditer(text or "")}
        audiences = brief_audiences(model, brief)
        for recipient in brief_recipients(model, brief):
            gaps: list[str] = []
            if "recipient.title" in used and not recipient.title:
                gaps.append("{recipient.title}: the recipient has no title")
            if "recipient.organisation" in used:
                organisation = model.organisations.get(recipient.organisation or "")
                if organisation is None:
                    gaps.append("{recipient.organisation}: the recipient has no organisation")
                else:
                    hidden = [
                        a.id
                        for a in audiences
                        if sensitivity_rank(organisation.sensitivity) > sensitivity_rank(a.clearance)
                    ]
                    if hidden:
                        gaps.append(
                            f"{{recipient.organisation}}: organisation '{organisation.id}' is "
                            f"{organisation.sensitivity}, withheld from audience(s) {', '.join(hidden)}"
                        )
            for gap in gaps:
                if (brief.id, recipient.id, gap) in reported:
                    continue
                reported.add((brief.id, recipient.id, gap))
                where = model.locate("recipients", recipient.id)
                yield warning(
                    where.path,
                    where.line,
                    where.column,
                    f"the letter of brief '{brief.id}' prints {gap}, so recipient '{recipient.id}''s "
                    "copy would read with a gap where the words should be",
                    "give the recipient the missing detail (or an organisation every audience of the "
                    "brief may see), or word the letter without that placeholder",
                )
