"""Jobs: one planned output (a plan.Job) + the Model -> what that output is made from.

Its brief, its View (through select), the warnings its View gives (texts that fall back to
the project language), its fingerprint (through inputs) and the timestamp written into its
metadata. The main process uses these to decide what to rebuild and `validate` to report
fallbacks; the workers use the same functions, so both see the same output.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from datetime import time as dtime
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, warning
from .inputs import output_fingerprint
from .model import IMPLICIT_AUDIENCE, Brief, Model
from .plan import Job
from .select import View, select_view
from .theme import Theme

if TYPE_CHECKING:  # lxml, for the type only
    from .parsed import ParsedDocument


def job_brief(model: Model, job: Job) -> Brief:
    return next(b for b in model.project.briefs if b.id == job.brief_id)


def job_view(model: Model, job: Job) -> View:
    brief = job_brief(model, job)
    # A brief that names no audiences is built for the implicit public one, even in a project
    # that defines audiences (plan.brief_audiences): that id is not among the project's.
    if brief.audiences is None or not model.project.audiences:
        audience = IMPLICIT_AUDIENCE
    else:
        audience = model.audience(job.audience_id)
    recipient = model.recipients.get(job.recipient_id) if job.recipient_id else None
    view, _selector = select_view(model, brief, audience, job.language, recipient)
    return view


def job_fingerprint(
    model: Model, job: Job, theme: Theme, pdf_variant: str | None, view: View | None = None
) -> str:
    """Everything that can change the job's files, hashed (see inputs.py)."""
    settings = {
        "pdf_variant": pdf_variant or model.project.pdf_variant,
        "epoch": os.environ.get("SOURCE_DATE_EPOCH"),
        "allow_remote": model.project.allow_remote_resources,
        "theme": model.project.theme,
    }
    view = view if view is not None else job_view(model, job)
    return output_fingerprint(
        Path(model.root), theme, view, job.audience_id, job_brief(model, job).template, settings
    )


def fallback_warnings(
    model: Model, view: View, job: Job, printed: list[list[str]] | None = None
) -> list[Diagnostic]:
    """Localized fields that lack the output's language (the project language was used).

    `printed` (printed_fallbacks): only those the output prints; a case's court or article in
    the view of an event summary that shows neither is no one's concern."""
    keep = None if printed is None else {tuple(key) for key in printed}
    found = []
    for fb in view.fallbacks:
        if keep is not None and tuple(fallback_key(fb)) not in keep:
            continue
        if fb.collection in ("briefs", "audiences"):
            where = model.settings_locate(fb.collection, fb.item_id, *_field_path(fb.field), fb.wanted)
        else:
            where = model.locate(fb.collection, fb.item_id, *_field_path(fb.field), fb.wanted)
        hint = f"add a '{fb.wanted}:' entry to translate it"
        if _written_once(model, fb):
            # A plain text (the project language's): it becomes a mapping to be translated.
            hint = (
                f"write it as {{{fb.used}: ..., {fb.wanted}: ...}} with the translation, or "
                f"have it translated: briefgen translate export --lang {fb.wanted}"
            )
        found.append(
            warning(
                where.path,
                where.line,
                where.column,
                f"{fb.collection} {fb.item_id!r}: {fb.field} has no {fb.wanted!r} text; "
                f"the {fb.wanted!r} outputs use the {fb.used!r} text",
                hint=hint,
                strict=True,
            )
        )
    return found


def _written_once(model: Model, fallback) -> bool:
    """Whether the value is a plain text, not a mapping from language to text."""
    from .translatable import field_path, written_value

    value = written_value(model, fallback.collection, fallback.item_id, field_path(fallback.field))
    return isinstance(value, str)


def fallback_key(fallback) -> list[str]:
    """What names a fallback in an output's record (the manifest): its place is looked up
    again when the record is read, as lines move while the output stays up to date."""
    return [fallback.collection, fallback.item_id, fallback.field, fallback.wanted]


def printed_fallbacks(view: View, document: ParsedDocument) -> list[list[str]]:
    """The keys of the view's fallbacks whose text the rendered `document` prints, matched as
    the leak check matches (check.py): letters and digits only, a long text by any stretch of
    six words of it, a list by any of its items. A text too short to judge (an acronym)
    counts as printed. The document's tree is the one rendering parsed: no second parse."""
    if not view.fallbacks:
        return []
    from .check import needles_of, normalize
    from .markdown import plain_text

    haystack = normalize(" ".join(document.tree.itertext()))

    def printed(text: str) -> bool:
        needles = needles_of(plain_text(text))
        return not needles or any(needle in haystack for needle in needles)

    return [
        fallback_key(fb) for fb in view.fallbacks if not fb.texts or any(printed(text) for text in fb.texts)
    ]


def _field_path(field: str) -> list[str | int]:
    """ "timeline[2].text" -> ["timeline", 2, "text"]."""
    path: list[str | int] = []
    for part in field.split("."):
        name, _, rest = part.partition("[")
        path.append(name)
        while rest:
            index, _, rest = rest.partition("]")
            path.append(int(index))
            rest = rest.lstrip("[")
    return path


def build_timestamp(view: View) -> datetime:
    """The time written into metadata: SOURCE_DATE_EPOCH when set, else the brief's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.combine(view.brief.date, dtime(0, 0), tzinfo=UTC)
