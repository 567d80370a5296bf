"""Footnotes kept with their calls: a laid-out document -> the least visible change that
brings a moved note back to its call's page.

A footnote belongs on the page of its call. WeasyPrint 70 breaks that rule in one case: when
the last block on a page has placed one line fewer than `orphans` asks and one more line
would fit only without the page's footnotes, it moves the page's last footnote to the next
page (layout/block.py, "first try to report footnotes") rather than the block's lines. The
French event summary's card and recommendation at a page's foot did it.

The repair works on WeasyPrint's own parse of the document, one page at a time (a change on
a page moves everything after it, so a later page is judged on the layout that follows the
change), and lays the document out again after each change. For the first page whose note
moved, it picks the change a reader notices least:

- the block at the page's foot (with the headings and status lines kept with it, or the case
  card it opens) starts the next page (`break-before: page` in its style attribute), when
  that leaves at most a third of the page empty and the block is not inside a shaded or
  bordered box that goes on to the next page: WeasyPrint stretches the part of such a box
  left on the page down to the page's foot (css-break-3 box splitting; `box-decoration-break:
  clone` stretches it too), which would show a tall empty box;
- the shaded or bordered box itself starts the next page, when it starts on this page and
  moving it leaves at most a third of the page empty;
- otherwise the block at the foot may leave a single line (`orphans: 1; widows: 1`): it keeps
  the line it placed and goes on on the next page, and WeasyPrint then has no reason to move
  the note. If even that does not keep the note, the block starts the next page after all.

A repaired layout is deterministic: the same HTML gives the same pages.
"""

from __future__ import annotations

from dataclasses import dataclass

ROUNDS = 8  # each round repairs one page; a note that still moves after that is left as it is
MOST_LEFT_EMPTY = 1 / 3  # of the page's content height: more reads as a layout mistake
BREAK = "break-before: page"
LOOSE = "orphans: 1; widows: 1"
_SECTIONS = {"html", "body", "main", "header", "section", "article", "nav"}


def render_keeping_notes(html, render):
    """`render()` (a weasyprint.Document of `html`, a weasyprint.HTML), laid out again while
    a note is on a later page than its call and a change can be made for it."""
    rendered = render()
    areas = [area for page in rendered.pages for area in page._page_box.children]
    if not any(type(area).__name__ == "FootnoteAreaBox" for area in areas):
        return rendered  # no notes at all: nothing to look for
    for _round in range(ROUNDS):
        deferred = deferred_pages(rendered)
        if not deferred or not repair_page(html, rendered, deferred[0]):
            break
        # Let go of the old layout before making the next: two at once double peak memory.
        rendered = areas = None
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
    """Make the change for each of `pages` (see the module's docstring) in WeasyPrint's parsed
    tree of `html` (a weasyprint.HTML), all judged on `rendered`. Whether anything changed.
    Only the first page's change is sure to be right: `render_keeping_notes` makes one a round."""
    changed = False
    for index in pages:
        changed = repair_page(html, rendered, index) or changed
    return changed


@dataclass
class _Page:
    """One laid-out page, as the repair reads it."""

    index: int
    box: object  # WeasyPrint's PageBox
    boxes: dict  # id(element) -> the element's first box on this page
    last_line: object  # the last line of the page's body (not its notes or margins)

    @property
    def top(self) -> float:
        return self.box.content_box_y()

    @property
    def height(self) -> float:
        return self.box.height


def repair_page(html, rendered, index: int) -> bool:
    """Change the style attribute of one element of `html` (a weasyprint.HTML) so that the
    note moved off page `index` of `rendered` stays there. Whether anything changed."""
    root = html.etree_element
    parents = {id(child): parent for parent in root.iter() for child in parent}
    first_box = _first_boxes(rendered)
    page = _read_page(rendered, index)
    line = page.last_line
    if line is None or line.element is None:
        return False
    block = _block_to_move(line.element, index, parents, first_box)
    box = _decorated_around(block, page, parents)
    if box is not None:
        # The block sits in a shaded or bordered box that would be stretched to the page's
        # foot: the whole box moves if it starts here and is short, else the block leaves
        # one line here.
        block = _block_to_move(box, index, parents, first_box) if _starts_on(box, index, first_box) else None
    if block is not None and not _starts_on(block, index, first_box):
        block = None  # a break before it would act on an earlier page
    if block is not None and _may_start_next_page(block, page, line) and _add(block, BREAK):
        return True
    if _add(line.element, LOOSE):
        return True
    # One line left here did not keep the note either: the block starts the next page.
    block = _block_to_move(line.element, index, parents, first_box)
    return (
        _starts_on(block, index, first_box)
        and _may_start_next_page(block, page, line, leave_empty=1.0)
        and _add(block, BREAK)
    )


def _starts_on(element, index: int, first_box: dict) -> bool:
    return first_box.get(id(element), (-1,))[0] == index


def _first_boxes(rendered) -> dict:
    """id(element) -> (page index, first box) over the whole document's body flow."""
    found: dict[int, tuple[int, object]] = {}
    for index, page in enumerate(rendered.pages):
        for child in _flow(page._page_box):
            for box in _descendants(child):
                element = getattr(box, "element", None)
                if element is not None:
                    found.setdefault(id(element), (index, box))
    return found


def _read_page(rendered, index: int) -> _Page:
    page_box = rendered.pages[index]._page_box
    boxes: dict[int, object] = {}
    last_line = None
    for child in _flow(page_box):
        for box in _descendants(child):
            element = getattr(box, "element", None)
            if element is not None:
                boxes.setdefault(id(element), box)
            if type(box).__name__ == "LineBox":
                last_line = box
    return _Page(index, page_box, boxes, last_line)


def _flow(page_box):
    """The page's body: its children but the footnote area and the margin boxes."""
    return [c for c in page_box.children if type(c).__name__ not in ("FootnoteAreaBox", "MarginBox")]


def _decorated_around(element, page: _Page, parents: dict):
    """The outermost ancestor of `element` drawn on this page with a background or a side
    border (a box that a page break inside stretches visibly), or None."""
    found = None
    parent = parents.get(id(element))
    while parent is not None and _local(parent.tag) not in ("html", "body"):
        box = page.boxes.get(id(parent))
        if box is not None and _decorated(box):
            found = parent
        parent = parents.get(id(parent))
    return found


def _decorated(box) -> bool:
    return getattr(box, "background", None) is not None or bool(
        getattr(box, "border_left_width", 0) or getattr(box, "border_right_width", 0)
    )


def _may_start_next_page(element, page: _Page, line, leave_empty: float = MOST_LEFT_EMPTY) -> bool:
    """Whether `element` starts below the page's top (else a break before it would leave an
    empty page) and moving it from there leaves at most `leave_empty` of the page blank."""
    box = page.boxes.get(id(element))
    if box is None or box.position_y <= page.top + 1:
        return False
    moved = line.position_y + line.height - box.position_y
    return moved <= leave_empty * page.height


def _add(element, declaration: str) -> bool:
    """Add `declaration` to the element's style attribute; whether it was not there yet."""
    style = element.get("style") or ""
    if declaration in style:
        return False
    element.set("style", f"{style}; {declaration}" if style else declaration)
    return True


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
