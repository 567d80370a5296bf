"""Withheld citations: a markdown text <-> the text a workbook shows of it at a clearance.

A text the workbook shows (a public case's summary) may cite a source above the
workbook's clearance (`[@secret-source, p. 4]`). The builds print such a citation as
"Source withheld." (render.py), never its id or its page; the workbook does the same with
a placeholder, `[@withheld-1]`, numbered per cell in the order the withheld citations
appear. The import maps each placeholder back to the citation it stands for, byte for
byte: an unedited cell changes nothing, an edit around a placeholder keeps the withheld
citation, and deleting a placeholder deletes that citation (the author's edit).

Citations are found with the pattern validation and rendering use (CITATION_RE), so
whatever a build would treat as a citation is masked. Sources that do not exist are not
masked: they are mistakes to see, as in `Visibility.shown_refs`. A real source named like
a placeholder (`withheld-1`) is ambiguous in an edited cell that also holds placeholders
(it is read as the placeholder); an unedited cell always gives its text back as it was.
"""

from __future__ import annotations

import re

from ..model import CITATION_RE
from .visibility import Visibility

PLACEHOLDER_ID = "withheld-{}"
_PLACEHOLDER_RE = re.compile(r"withheld-([1-9][0-9]*)")


def _withheld(source_id: str, seen: Visibility) -> bool:
    return source_id in seen.model.items.get("sources", {}) and not seen.item_visible("sources", source_id)


def withheld_citations(text: str, seen: Visibility) -> list[str]:
    """The citations of `text` (as written, page part and all) of sources above the clearance."""
    return [m.group(0) for m in CITATION_RE.finditer(text) if _withheld(m.group(1), seen)]


def mask(text: str, seen: Visibility) -> str:
    """`text` with every citation of a source above the clearance replaced by its placeholder
    (the page part is dropped, as the builds drop it)."""
    count = 0

    def placeholder(match: re.Match) -> str:
        nonlocal count
        if not _withheld(match.group(1), seen):
            return match.group(0)
        count += 1
        return f"[@{PLACEHOLDER_ID.format(count)}]"

    return CITATION_RE.sub(placeholder, text)


def unmask(cell: str, original: str | None, seen: Visibility) -> tuple[str, list[tuple[str, str]]]:
    """(the text to write, problems as (message, hint)) of a cell's text: each placeholder
    becomes the withheld citation of `original` (the field's text in the project) it
    stands for."""
    withheld = withheld_citations(original or "", seen)
    if original is not None and _plain(cell) == _plain(mask(original, seen)):
        # Unchanged: the original, even if it cites a real source named like a placeholder.
        return original, []
    problems: list[tuple[str, str]] = []

    def citation(match: re.Match) -> str:
        number = _PLACEHOLDER_RE.fullmatch(match.group(1))
        if number is None:
            return match.group(0)
        n = int(number.group(1))
        if n > len(withheld):
            problems.append(_unknown(match.group(0), len(withheld)))
            return match.group(0)
        if match.group(2) is not None:  # a page typed into a placeholder: it would replace one unseen
            problems.append(
                (
                    f"{match.group(0)}: the page of a withheld citation cannot be changed in the workbook",
                    f"write [@withheld-{n}] as it was exported, or change the page in the YAML file",
                )
            )
            return match.group(0)
        return withheld[n - 1]

    return CITATION_RE.sub(citation, cell), problems


def _plain(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


def _unknown(placeholder: str, count: int) -> tuple[str, str]:
    if count == 0:
        return (
            f"{placeholder} stands for a citation left out of this workbook, but this text has none",
            "remove it; to cite a source, write its id, e.g. [@source-id]",
        )
    which = "one citation" if count == 1 else f"{count} citations"
    shown = "[@withheld-1]" if count == 1 else f"[@withheld-1] to [@{PLACEHOLDER_ID.format(count)}]"
    return (
        f"{placeholder} stands for no citation: this text has {which} left out of this workbook ({shown})",
        "keep the placeholders as they were exported; delete one to remove that citation",
    )
