"""Checks of a WeasyPrint layout as a reader sees its pages: a laid-out weasyprint.Document ->
the pages that look broken (a tall empty shaded or bordered box, a page left largely blank in
the middle of a section). Used by the footnote repair's tests and the repository's PDF tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

EMPTY_BOX = 0.2  # of the page's content height: a box emptier than that reads as a mistake
BLANK_PAGE = 1 / 3  # of the page's content height, left blank before the next page
FORCED = {"page", "left", "right", "recto", "verso"}


@dataclass(frozen=True)
class Finding:
    page: int  # 1-based, as a reader counts
    what: str  # the element, as `tag.class`
    share: float  # the empty share of the page's content height

    def __str__(self) -> str:
        return f"page {self.page}: {self.what} {self.share:.0%} of the page empty"


def empty_boxes(rendered, most: float = EMPTY_BOX) -> list[Finding]:
    """Shaded or side-bordered box fragments whose empty part (below their last child) is
    taller than `most` of the page: what WeasyPrint draws when a page break inside a box
    stretches the box's first part to the page's foot (css-break-3 box splitting). A short
    box with little in it is not one: the measure is the empty height, not the share of the
    box its children fill."""
    found = []
    for number, page in enumerate(rendered.pages, start=1):
        page_box = page._page_box
        for box in _flow_boxes(page_box):
            if not _decorated(box) or not getattr(box, "children", None):
                continue
            bottom = max((_bottom(child) for child in box.children), default=box.content_box_y())
            empty = box.content_box_y() + box.height - bottom
            if empty > most * page_box.height:
                found.append(Finding(number, _name(box), empty / page_box.height))
    return found


def blank_pages(rendered, most: float = BLANK_PAGE) -> list[Finding]:
    """Pages whose text stops more than `most` of the page above their notes (or their foot)
    while the next page goes on with the same section: neither the last page nor one
    followed by a forced page break (a new section, the contents, a letter)."""
    found = []
    for number, (page, following) in enumerate(pairwise(rendered.pages), start=1):
        page_box = page._page_box
        if _forced_break(page_box, following._page_box):
            continue
        bottoms = [_bottom(box) for box in _flow_boxes(page_box) if _is_content(box)]
        if not bottoms:
            continue
        floor = page_box.content_box_y() + page_box.height
        for area in page_box.children:
            if type(area).__name__ == "FootnoteAreaBox" and area.children:
                floor = min(floor, area.position_y)
        blank = floor - max(bottoms)
        if blank > most * page_box.height:
            found.append(Finding(number, "text", blank / page_box.height))
    return found


def _flow_boxes(page_box):
    """Every box of the page's body: not its notes, not its margin boxes."""
    stack = [c for c in page_box.children if type(c).__name__ not in ("FootnoteAreaBox", "MarginBox")]
    while stack:
        box = stack.pop()
        yield box
        stack.extend(getattr(box, "children", None) or [])


def _decorated(box) -> bool:
    if type(box).__name__ not in ("BlockBox", "ListItemBox"):
        return False
    return getattr(box, "background", None) is not None or bool(
        box.border_left_width or box.border_right_width
    )


def _is_content(box) -> bool:
    """A line of text or a picture: what a reader sees as the page's content (a box's own
    height may be stretched to the page's foot, so it is not)."""
    return type(box).__name__ in ("LineBox", "BlockReplacedBox", "InlineReplacedBox")


def _bottom(box) -> float:
    """The bottom of a box's content as drawn: lines and pictures, not stretched boxes."""
    if _is_content(box):
        return box.position_y + box.margin_height()
    children = getattr(box, "children", None) or []
    inner = [_bottom(child) for child in children]
    if inner:
        return max(inner)
    return box.position_y + box.margin_height()


def _forced_break(page_box, next_box) -> bool:
    """Whether a forced page break separates the two pages: after the last boxes of the one
    or before the first boxes of the other."""
    return any(box.style["break_after"] in FORCED for box in _edge(page_box, -1)) or any(
        box.style["break_before"] in FORCED for box in _edge(next_box, 0)
    )


def _edge(page_box, end: int):
    """The chain of first (end=0) or last (end=-1) body boxes of a page, outermost first."""
    flow = [c for c in page_box.children if type(c).__name__ not in ("FootnoteAreaBox", "MarginBox")]
    box = flow[end] if flow else None
    while box is not None:
        yield box
        children = [c for c in getattr(box, "children", None) or [] if type(c).__name__ != "LineBox"]
        box = children[end] if children else None


def _name(box) -> str:
    element = box.element
    if element is None:
        return type(box).__name__
    classes = (element.get("class") or "").split()
    return ".".join([str(element.tag).rsplit("}", 1)[-1], *classes])
