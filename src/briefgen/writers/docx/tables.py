"""Tables and boxes -> w:tbl: HTML tables with their column widths and spans, one-cell boxes
(cards, callouts) with their keeps, and the spacing Word needs between tables."""

from __future__ import annotations

import re
from dataclasses import replace

from lxml import etree

from . import oxml
from .oxml import qn
from .portraits import WP, float_portraits
from .styles import box_cell_margin, table_cell_margin
from .walkstate import Ctx

_COL_WIDTH = re.compile(r"width\s*:\s*([\d.]+)\s*%")


class Tables:
    """Tables and boxes (a mixin of HtmlWalker)."""

    def spacer(self, container: etree._Element) -> None:
        """The empty `Spacer` paragraph after a table or box (Word has no space-after for
        tables; it also keeps adjacent tables apart and ends a cell with a paragraph)."""
        oxml.paragraph(container, self.sid("Spacer"))

    def append_table(self, ctx: Ctx, tbl: etree._Element) -> None:
        """Append a table: after a pending page break, never directly after another table."""
        container = ctx.container
        if ctx.story == "body" and container is self.body and self._page_break:
            # The table's first paragraph starts the page (pageBreakBefore, set once the
            # table is filled), not a paragraph of its own before it: a paragraph holding a
            # page break moves to the next page when the page before is full, and its break
            # then leaves that page blank; an empty one costs a line at the top of the page.
            self._page_break = False
            self._break_before.append(tbl)
        elif oxml.ends_with(container, "w:tbl"):
            self.spacer(container)
        container.append(tbl)

    def close_cell(self, tc: etree._Element, ctx: Ctx) -> None:
        """A cell must end with a paragraph."""
        if tc[-1].tag == qn("w:tbl"):
            self.spacer(tc)
        elif tc[-1].tag != qn("w:p"):
            oxml.paragraph(tc, self.sid(ctx.p_style))

    def box(self, el: etree._Element, ctx: Ctx, style: str, *, keep_together: bool) -> None:
        """A callout or card: a one-column table whose single cell holds the box's blocks.

        `keep_together` (CSS `break-inside: avoid`) makes the row unsplittable. A box that
        may break must not begin with a keep-with-next paragraph: Word, and LibreOffice's
        emulation of it, read keepNext on a row's first paragraph as "keep this row with the
        next" and then never split the row, so the whole box would jump to the next page.
        Its leading headings get a short row of their own instead, kept with the rest
        (`split_leading_keeps`), which is what `break-after: avoid` asks of them.
        """
        tbl = oxml.table(self.sid(style), ctx.width, [ctx.width], look_first_row=False)
        tc = oxml.table_cell(oxml.table_row(tbl, cant_split=keep_together), ctx.width)
        self.append_table(ctx, tbl)
        inner = Ctx(
            container=tc,
            part=ctx.part,
            width=ctx.width - 2 * box_cell_margin(self.doc.theme),
            p_style="Body Text",
            in_card=style == "Card Box",
        )
        self.flow(el, inner, inline_imgs=False)
        self.close_cell(tc, inner)
        if style == "Card Box":  # portraits beside the heading, as the PDF floats them
            float_portraits(tc, self.sid("Card Photo"), inner.width, self._shape_ids)
        if not keep_together:
            self.split_leading_keeps(tbl, tc, ctx.width)

    def split_leading_keeps(self, tbl: etree._Element, tc: etree._Element, width: int) -> None:
        """Move what follows a box's leading keep-with-next paragraphs to a second row.

        The first row (the headings) cannot split and keeps with the second, which can; the
        rows share the box's borders and shading, and the cell margins between them are
        zeroed so the two rows read as one box.
        """
        blocks = [child for child in tc if child.tag != qn("w:tcPr")]
        lead = 0
        for child in blocks:
            if child.tag != qn("w:p") or not self.keeps_with_next(child):
                break
            lead += 1
        if lead and next(blocks[0].iter(f"{{{WP}}}anchor"), None) is not None:
            # A portrait floats beside the heading: the card's head (roles, status line)
            # shares its row, to run beside the portrait as in the PDF.
            head = {self.sid("Small Text"), self.sid("Status")}
            while lead < len(blocks) and _style_id(blocks[lead]) in head:
                lead += 1
        if lead == 0 or lead == len(blocks):
            return
        first_row = tc.getparent()
        if first_row.find(qn("w:trPr")) is None:
            first_row.insert(0, oxml.props("w:trPr", oxml.TRPR_ORDER, {"cantSplit": True}))
        _set_cell_margin(tc, "bottom")
        rest = oxml.table_cell(oxml.table_row(tbl, cant_split=False), width)
        _set_cell_margin(rest, "top")
        rest.extend(blocks[lead:])

    def keeps_with_next(self, p: etree._Element) -> bool:
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        return style is not None and self.styles.keeps_with_next(style.get(qn("w:val")))

    def table(self, el: etree._Element, ctx: Ctx) -> None:
        rows: list[tuple[etree._Element, bool]] = []
        stray: list[etree._Element] = []
        for child in el:
            if not isinstance(child.tag, str) or child.tag in ("colgroup", "col"):
                continue
            if child.tag == "caption":
                self.flow(child, replace(ctx, list_item=None), style="Caption")
            elif child.tag in ("thead", "tbody", "tfoot"):
                rows += [(tr, child.tag == "thead") for tr in child if tr.tag == "tr"]
            elif child.tag == "tr":
                rows.append((child, False))
            else:
                stray.append(child)
        if rows and not any(h for _, h in rows):
            first = [c for c in rows[0][0] if isinstance(c.tag, str) and c.tag in ("th", "td")]
            if first and all(c.tag == "th" for c in first):
                rows[0] = (rows[0][0], True)
        cells = [
            [
                (c, _span(c, "colspan"), _span(c, "rowspan"))
                for c in tr
                if isinstance(c.tag, str) and c.tag in ("th", "td")
            ]
            for tr, _ in rows
        ]
        layout, ncols = _layout(cells)
        if ncols:
            widths = _column_widths(el, ncols, ctx.width)
            has_header = bool(rows) and rows[0][1]
            tbl = oxml.table(self.sid("Briefgen Table"), sum(widths), widths, look_first_row=has_header)
            self.append_table(ctx, tbl)
            in_header = True
            for (tr, header), placed in zip(rows, layout, strict=True):
                in_header = in_header and header
                self._mark_id(tr, ctx)
                row = oxml.table_row(tbl, header=in_header)
                for kind, col, span, cell_el, rowspan in placed:
                    width = sum(widths[col : col + span])
                    vmerge = "restart" if kind == "cell" and rowspan > 1 else "" if kind == "cont" else None
                    tc = oxml.table_cell(row, width, span, vmerge)
                    style = "Table Heading" if cell_el is not None and cell_el.tag == "th" else "Table Text"
                    cell_ctx = Ctx(
                        container=tc,
                        part=ctx.part,
                        width=width - 2 * table_cell_margin(self.doc.theme),
                        p_style=style,
                    )
                    if cell_el is not None:
                        self._mark_id(cell_el, ctx)
                        self.flow(cell_el, cell_ctx)
                    self.close_cell(tc, cell_ctx)
        for child in stray:
            self.block(child, ctx)


def _set_cell_margin(tc: etree._Element, side: str) -> None:
    """Zero one side (top or bottom) of a cell's margins, as a box split into rows needs."""
    tcpr = tc.find(qn("w:tcPr"))
    rank = oxml.TCPR_ORDER.index("tcMar")
    index = sum(1 for c in tcpr if oxml.TCPR_ORDER.index(etree.QName(c).localname) < rank)
    tcpr.insert(index, oxml.props("w:tcMar", ("top", "bottom"), {side: {"w": 0, "type": "dxa"}}))


def _span(cell: etree._Element, attr: str) -> int:
    value = cell.get(attr)
    if value is None:  # nearly every cell
        return 1
    value = (value or "1").strip()
    return max(1, min(int(value), 1000)) if value.isdigit() else 1


def break_before(tbl: etree._Element) -> None:
    """pageBreakBefore on a table's first paragraph: the table starts a new page."""
    p = tbl.find(f".//{qn('w:p')}")
    if p is None:
        return
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = etree.SubElement(p, qn("w:pPr"))
        p.insert(0, ppr)
    # pPr children keep the schema's order: after pStyle, keepNext and keepLines.
    before = [c for c in ppr if etree.QName(c).localname in ("pStyle", "keepNext", "keepLines")]
    ppr.insert(len(before), etree.Element(qn("w:pageBreakBefore")))


def _layout(rows: list[list[tuple[etree._Element, int, int]]]):
    """Place cells on the table grid, honouring colspan and rowspan.

    Returns, per row, (kind, column, span, element, rowspan) with kind "cell", "cont" (the
    continuation of a cell spanning rows) or "empty" (padding), and the number of columns.
    """
    pending: dict[int, list[int]] = {}  # column -> [rows still covered, span]
    out = []
    for cells in rows:
        col, queue, placed = 0, list(cells), []
        while queue or any(c >= col and p[0] > 0 for c, p in pending.items()):
            cover = pending.get(col)
            if cover and cover[0] > 0:
                cover[0] -= 1
                placed.append(("cont", col, cover[1], None, 1))
                col += cover[1]
            elif not queue:
                placed.append(("empty", col, 1, None, 1))
                col += 1
            else:
                el, colspan, rowspan = queue.pop(0)
                if rowspan > 1:
                    pending[col] = [rowspan - 1, colspan]
                placed.append(("cell", col, colspan, el, rowspan))
                col += colspan
        out.append(placed)
    ncols = max((p[1] + p[2] for placed in out for p in placed), default=0)
    for placed in out:
        end = placed[-1][1] + placed[-1][2] if placed else 0
        placed.extend(("empty", c, 1, None, 1) for c in range(end, ncols))
    return out, ncols


def _column_widths(table: etree._Element, ncols: int, width: int) -> list[int]:
    """Widths in twips from <col style="width: N%"> (missing ones share the rest evenly)."""
    pcts: list[float | None] = []
    for col in table.xpath("./colgroup/col | ./col"):
        match = _COL_WIDTH.search(col.get("style") or "")
        pcts += [float(match.group(1)) if match else None] * _span(col, "span")
    pcts = (pcts + [None] * ncols)[:ncols]
    known = sum(p for p in pcts if p)
    unknown = sum(1 for p in pcts if not p)
    if unknown:
        share = (100 - known) / unknown if known < 100 else 100 / ncols
        pcts = [p if p else share for p in pcts]
    total = sum(pcts) or 1
    widths = [round(width * p / total) for p in pcts]
    widths[-1] += width - sum(widths)
    return widths


def _style_id(p: etree._Element) -> str | None:
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") if p.tag == qn("w:p") else None
    return None if style is None else style.get(qn("w:val"))
