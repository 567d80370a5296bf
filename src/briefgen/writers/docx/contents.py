"""<nav class="toc"> -> the contents page: a TOC Heading and a Word TOC field whose cached
result lists the entries, each with the page number the PDF's layout gives its heading.

Word computes a TOC field's page numbers only when it updates the field; a reader who opens
the file in a viewer, LibreOffice or Word without updating sees the cached result. So the
cached result is written as Word would write it: each entry a hyperlink to its heading's
bookmark, a tab to the TOC style's right tab stop and a PAGEREF field whose cached result is
the heading's page in the PDF laid out in the same job (`RenderedDocument.layout`; a
LibreOffice rendering of the DOCX matches it within a page). The field stays marked dirty, so
Word still refreshes every number from its own layout. A DOCX built without the PDF (a
`--format docx` build, where no layout exists) keeps entries without numbers, as before.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import unquote

from lxml import etree

from . import oxml

if TYPE_CHECKING:  # the walker imports this module: only its types here
    from .html_walker import HtmlWalker
    from .walkstate import Ctx

TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'
_HEADING = re.compile(r"h[1-6]")


class Entry(NamedTuple):
    """One line of the contents."""

    level: int  # 1-3: the TOC style
    text: str
    bookmark: str | None  # the heading's bookmark, which the entry links to
    page: int | None  # the heading's page in the PDF, when the job laid it out


def pdf_pages(layout) -> dict[str, int]:
    """HTML id -> the number of the PDF page it is laid out on (its first occurrence), from a
    laid-out weasyprint.Document; empty without one. The layout is the brief's own pages,
    numbered from 1 as the PDF's page counter is (a recipient's letter is laid out apart)."""
    pages: dict[str, int] = {}
    for number, page in enumerate(getattr(layout, "pages", None) or (), start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages


def place_contents(walker: HtmlWalker, el: etree._Element, ctx: Ctx) -> None:
    """<nav class="toc">: TOC Heading, then a TOC field whose cached result lists the entries.

    The contents get a page of their own, as in the print CSS.
    """
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if _HEADING.fullmatch(child.tag):
            walker._mark_id(child, ctx)
            walker.flow(child, replace(ctx, list_item=None), style="TOC Heading")
        elif child.tag in ("ul", "ol"):
            entries: list[Entry] = []
            _entries(walker, child, 1, entries, pdf_pages(walker.doc.layout))
            _field(walker, ctx, entries)
        else:
            walker.block(child, ctx)
    if ctx.story == "body" and ctx.container is walker.body:
        walker._page_break = True


def _entries(walker: HtmlWalker, list_el: etree._Element, level: int, out: list, pages: dict) -> None:
    for li in list_el:
        if not isinstance(li.tag, str) or li.tag != "li":
            continue
        text = oxml.collapse(_plain_text(li))
        anchor = page = None
        for a in _own_descendants(li, "a"):
            href = (a.get("href") or "").strip()
            if href.startswith("#"):
                target = unquote(href[1:])
                anchor = walker._bookmarks.get(target)
                if anchor is None:
                    walker.warn_once(
                        f"anchor:{href}",
                        f"contents entry links to {href!r}, which is not in the document",
                    )
                else:
                    page = pages.get(target)
                break
        if text:
            out.append(Entry(min(level, 3), text, anchor, page))
        for nested in _own_descendants(li, "ul", "ol"):
            _entries(walker, nested, level + 1, out, pages)


def _field(walker: HtmlWalker, ctx: Ctx, entries: list[Entry]) -> None:
    if not entries:
        p, _ = walker.open_p(ctx, walker.sid("TOC 1"))
        oxml.field_begin(p, TOC_INSTRUCTION, dirty=True)
        oxml.field_end(p)
        return
    for i, (level, text, anchor, page) in enumerate(entries):
        p, marks = walker.open_p(ctx, walker.sid(f"TOC {level}"))
        if i == 0:
            oxml.field_begin(p, TOC_INSTRUCTION, dirty=True)
        target = oxml.hyperlink(p, anchor=anchor) if anchor else p
        walker.text_runs(target, text)
        if page is not None:
            # As Word writes an entry: a tab to the style's right stop (dot leader), then
            # the page as a PAGEREF to the heading's bookmark, cached from the PDF.
            oxml.sub(oxml.run(target), "w:tab")
            oxml.field(target, f"PAGEREF {anchor} \\h", str(page))
        if i == len(entries) - 1:
            oxml.field_end(p)
        for bid in marks:
            p.append(oxml.bookmark_end(bid))


def _own_descendants(li: etree._Element, *tags: str):
    """Descendants of `li` with one of `tags` that are not inside a nested list."""
    for child in li:
        if not isinstance(child.tag, str):
            continue
        if child.tag in tags:
            yield child
        elif child.tag not in ("ul", "ol"):
            yield from _own_descendants(child, *tags)


def _plain_text(el: etree._Element) -> str:
    """Text of `el` without nested lists and footnotes (a contents entry's label)."""
    parts = [el.text or ""]
    for child in el:
        if (
            isinstance(child.tag, str)
            and child.tag not in ("ul", "ol")
            and "footnote" not in (child.get("class") or "").split()
        ):
            parts.append(_plain_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
