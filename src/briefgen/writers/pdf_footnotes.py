"""Footnotes kept with their calls: a laid-out document -> the blocks to move to the next page.

A footnote belongs on the page of its call. WeasyPrint 70 breaks that rule in one case: when
the last block on a page has placed fewer lines than `orphans` asks and one more line would
fit only without the page's footnotes, it moves the page's last footnote to the next page
(layout/block.py, "first try to report footnotes") rather than the block's lines. The
French event summary's card and recommendation at a page's foot did it.

The repair works on WeasyPrint's own parse of the document: for each page whose notes were
deferred, the block at its foot (with the headings and status lines kept with it, or its
case card when it opens the card) starts the next page (`break-before: page` in its style
attribute), and the document is laid out again. A repaired layout is deterministic: the
same HTML gives the same pages.
"""

from __future__ import annotations

ROUNDS = 3  # each round moves one block per page; a note that still moves is left as it is
_SECTIONS = {"html", "body", "main", "header", "section", "article", "nav"}


def render_keeping_notes(html, render):
    """`render()` (a weasyprint.Document of `html`, a weasyprint.HTML), laid out again while
    a note is on a later page than its call and a block can be moved for it."""
    rendered = render()
    areas = (child for page in rendered.pages for child in page._page_box.children)
    if not any(type(area).__name__ == "FootnoteAreaBox" for area in areas):
        return rendered  # no notes at all: nothing to look for
    for _round in range(ROUNDS):
        deferred = deferred_pages(rendered)
        if not deferred or not move_blocks(html, rendered, deferred):
            break
        rendered = render()
    return rendered


def deferred_pages(rendered) -> list[int]:
    """Indexes of the pages with a footnote call whose note is on a later page."""
    call_page: dict[int, int] = {}
    note_page: dict[int, int] = {}
    for index, page in enumerate(rendered.pages):
        for box in _descendants(page._page_box):
            tag = getattr(box, "element_tag", "") or ""
            if tag.endswith("::footnote-call"):
                call_page.setdefault(id(box.element), index)
            elif type(box).__name__ == "FootnoteAreaBox":
                for note in box.children:
                    note_page.setdefault(id(note.element), index)
    return sorted({page for key, page in call_page.items() if note_page.get(key, page) > page})


def move_blocks(html, rendered, pages: list[int]) -> bool:
    """Give the block at the foot of each of `pages` a page break before it, in WeasyPrint's
    parsed tree of `html` (a weasyprint.HTML). Whether anything was changed."""
    root = html.etree_element
    parents = {id(child): parent for parent in root.iter() for child in parent}
    first_box: dict[int, tuple[int, object]] = {}
    last_line: dict[int, object] = {}
    for index, page in enumerate(rendered.pages):
        for child in page._page_box.children:
            kind = type(child).__name__
            if kind in ("FootnoteAreaBox", "MarginBox"):
                continue
            for box in _descendants(child):
                element = getattr(box, "element", None)
                if element is not None:
                    first_box.setdefault(id(element), (index, box))
                if type(box).__name__ == "LineBox":
                    last_line[index] = box
    changed = False
    for index in pages:
        line = last_line.get(index)
        if line is None or line.element is None:
            continue
        element = _block_to_move(line.element, index, parents, first_box)
        start = first_box.get(id(element))
        if element is None or start is None or not _has_content_before(start[1], rendered.pages[index]):
            continue
        style = element.get("style") or ""
        if "break-before: page" not in style:
            element.set("style", f"{style}; break-before: page" if style else "break-before: page")
            changed = True
    return changed


def _block_to_move(element, page: int, parents: dict, first_box: dict):
    """The element to start the next page with: the block at the page's foot, with the
    siblings before it that keep with it (headings, a card's status line), or the box it
    opens when they are all of that box's start on this page (a case card)."""
    while True:
        parent = parents.get(id(element))
        previous = _previous(element, parent)
        while previous is not None and _floats(previous, first_box):
            previous = _previous(previous, parent)
        if previous is not None:
            if _keeps_with_next(previous, first_box):
                element = previous
                continue
            return element
        if parent is None or _local(parent.tag) in _SECTIONS or first_box.get(id(parent), (-1,))[0] != page:
            return element
        element = parent


def _previous(element, parent):
    """The element before `element` in its parent (WeasyPrint's tree is ElementTree's)."""
    if parent is None:
        return None
    siblings = list(parent)
    at = next(i for i, sibling in enumerate(siblings) if sibling is element)
    return siblings[at - 1] if at > 0 else None


def _keeps_with_next(element, first_box: dict) -> bool:
    found = first_box.get(id(element))
    return found is not None and found[1].style["break_after"] in ("avoid", "avoid-page")


def _floats(element, first_box: dict) -> bool:
    found = first_box.get(id(element))
    return found is not None and found[1].style["float"] != "none"


def _has_content_before(box, page) -> bool:
    """Whether the box starts below the top of its page's content (else a break before it
    would leave an empty page)."""
    return box.position_y > page._page_box.content_box_y() + 1


def _local(tag) -> str:
    return str(tag).rsplit("}", 1)[-1].lower()


def _descendants(box):
    stack = [box]
    while stack:
        current = stack.pop()
        yield current
        children = getattr(current, "children", None)
        if children:
            stack.extend(reversed(children))
