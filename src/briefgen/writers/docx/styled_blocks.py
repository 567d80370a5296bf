"""Blocks with a theme class (`styles` in theme.yaml) -> the DOCX's boxes, styles and columns.

A `<div class="ask">` (or `<p>`, `<section>`, `<blockquote>`, `<article>`) whose class the
theme styles becomes, as in the PDF:
- with a background or border, a one-cell table in the class's table style ("Ask Box"), its
  paragraphs in the class's paragraph style ("Ask") and its headings in "Ask Heading N";
- otherwise, its paragraphs in the class's paragraph style;
- with `columns: N`, a Word section of N columns (continuous section breaks before and
  after it), as CSS columns in the PDF. Word sets columns for whole sections, so a block
  in columns inside a box, a table or a note is one column in the DOCX, and is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from lxml import etree

from ...classstyles import COLUMN_GAP_MM, ClassLook, class_problems
from . import oxml
from .oxml import qn
from .styles import box_cell_margin, twips_mm

if TYPE_CHECKING:
    from .html_walker import HtmlWalker
    from .walkstate import Ctx

# The elements a theme class turns into a styled block (others keep their own meaning).
STYLED_TAGS = frozenset({"div", "section", "article", "p", "blockquote"})


@dataclass
class SectionEnd:
    """The paragraph that ends a Word section, how many columns the section has, and how it
    starts (None: on a new page, Word's default; "continuous": on the same page)."""

    paragraph: etree._Element
    columns: int
    start: str | None


def look_of(walker: HtmlWalker, tag: str, classes: set[str]) -> ClassLook | None:
    """The theme class that styles this element, if any (the first in alphabetical order)."""
    looks = walker.doc.theme.class_styles
    if not looks or tag not in STYLED_TAGS:
        return None
    return next((looks[c] for c in sorted(classes) if c in looks), None)


def styled_block(walker: HtmlWalker, el: etree._Element, ctx: Ctx, look: ClassLook) -> None:
    """Lay out a block with a theme class: its box, its paragraphs' style, its columns."""
    in_body = ctx.container is walker.body and ctx.story == "body"
    columns = look.columns if in_body else 1
    if look.columns > 1 and not in_body:
        walker.warn_once(
            f"columns:{look.name}",
            f'<{el.tag} class="{look.name}"> is set in {look.columns} columns in the PDF but in one '
            "in the DOCX: it is inside a box, a table or a note, and Word sets columns only for "
            "whole sections (put it directly in the brief's body)",
        )
    if columns > 1:
        _start_columns(walker)
        gap = twips_mm(COLUMN_GAP_MM)
        ctx = replace(ctx, width=(ctx.width - gap * (columns - 1)) // columns)
    styles = walker.styles
    p_style = look.word_name if look.word_name in styles else ctx.p_style
    heads = look.name if look.color and look.heading_name(1) in styles else ctx.look
    if look.boxed and look.box_name in styles:
        _box(walker, el, ctx, look, p_style, heads, keep_together=columns == 1)
    elif el.tag == "p":
        walker.flow(el, replace(ctx, look=heads), style=p_style)
    else:
        walker.flow(el, replace(ctx, p_style=p_style, look=heads, list_item=None), inline_imgs=False)
    if columns > 1:
        _end_columns(walker, columns)


def heading_style(walker: HtmlWalker, ctx: Ctx, style: str, level: int) -> str:
    """A heading's style inside a block of a theme class that sets the text colour."""
    if ctx.look is None or ctx.in_cover:
        return style
    look = walker.doc.theme.class_styles.get(ctx.look)
    name = look.heading_name(min(level, 4)) if look is not None else None
    return name if name is not None and name in walker.styles else style


def _box(walker, el, ctx, look: ClassLook, p_style: str, heads: str | None, *, keep_together: bool) -> None:
    """A one-cell table in the class's table style, as the walker's callouts (HtmlWalker.box)."""
    tbl = oxml.table(walker.sid(look.box_name), ctx.width, [ctx.width], look_first_row=False)
    tc = oxml.table_cell(oxml.table_row(tbl, cant_split=keep_together), ctx.width)
    walker.append_table(ctx, tbl)
    inner = replace(
        ctx,
        container=tc,
        width=ctx.width - 2 * box_cell_margin(walker.doc.theme),
        p_style=p_style,
        story="body",
        list_level=0,
        list_item=None,
        in_cover=False,
        look=heads,
    )
    walker.flow(el, inner, inline_imgs=el.tag == "p")
    walker.close_cell(tc, inner)
    if not keep_together:
        walker.split_leading_keeps(tbl, tc, ctx.width)


def _section_end(walker: HtmlWalker) -> etree._Element:
    """The body's last paragraph, to end a section with (a new one after a table)."""
    body = walker.body
    last = body[-1] if len(body) else None
    if last is None or last.tag != qn("w:p") or last.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
        walker.spacer(body)
        last = body[-1]
    return last


def _start_columns(walker: HtmlWalker) -> None:
    """End the section before a block in columns (unless another such block just ended it)."""
    last = _last(walker)
    sections = walker.column_sections
    if last is not None and not (sections and sections[-1].paragraph is last):
        sections.append(SectionEnd(_section_end(walker), 1, walker.next_section_start))
    # The columns go on below the text before, or start a page after the cover (its break).
    walker.next_section_start = None if walker._page_break or last is None else "continuous"
    walker._page_break = False


def _end_columns(walker: HtmlWalker, columns: int) -> None:
    walker.column_sections.append(SectionEnd(_section_end(walker), columns, walker.next_section_start))
    walker.next_section_start = "continuous"  # the text after goes on below the columns


def _last(walker: HtmlWalker) -> etree._Element | None:
    return walker.body[-1] if len(walker.body) else None


def place_sections(walker: HtmlWalker, geometry, refs, *, title_page: bool, restart: bool) -> etree._Element:
    """Write each section end's w:sectPr and return the body's last one. The first section
    carries what the brief's one section carried (the cover's first page, the restart after a
    letter); every section names the same running header and footer."""
    first = True
    for end in walker.column_sections:
        ppr = end.paragraph.find(qn("w:pPr"))
        ppr.append(
            oxml.section_properties(
                geometry,
                refs,
                title_page=title_page and first,
                restart=restart and first,
                columns=end.columns,
                column_gap=twips_mm(COLUMN_GAP_MM),
                start=end.start,
            )
        )
        first = False
    return oxml.section_properties(
        geometry,
        refs,
        title_page=title_page and first,
        restart=restart and first,
        start=walker.next_section_start if walker.column_sections else None,
    )


# ---------------------------------------------------------------- classes without a look


def class_warnings(walker: HtmlWalker, body: etree._Element) -> None:
    """Warn, once per class, about the classes the DOCX has no look for (classstyles)."""
    for key, message in class_problems(body, walker.doc.theme):
        walker.warn_once(key, message)
