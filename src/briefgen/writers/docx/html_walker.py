"""Walk the rendered HTML into WordprocessingML: the DOCX half of docs/html-vocabulary.md.

The walker reads the body of the one HTML document every format is made from and appends
paragraphs and tables to a w:body, footnotes to a w:footnotes element, and ordered lists to
the numbering definitions. Each vocabulary element maps to a named style (see the table in
docs/html-vocabulary.md); runs carry only a character style and, for <sup>/<sub>,
vertAlign. Inline content is laid out the way a browser does: whitespace collapses, and
text between blocks becomes an anonymous paragraph in the style of its context, so no text
is lost. Elements outside the vocabulary are reported once each and their text kept.

This module holds the walk itself (the flow of blocks, headings, paragraphs, lists, the
cover and the letter); its parts live beside it: `walkstate` (Ctx, Para and the inline
state), `runs` (inline content, links, footnotes), `tables` (tables and boxes), `pictures`,
`portraits`, `contents`, `styled_blocks` (theme classes) and `vocabulary` (which element
is what).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from docx.parts.story import StoryPart
from lxml import etree

from ... import fonts
from ...classstyles import is_vocabulary
from ...document import RenderedDocument
from . import oxml, styled_blocks
from .contents import place_contents
from .oxml import collapse, qn
from .pictures import Pictures
from .runs import InlineRuns
from .stylesheet import StyleSheet
from .tables import Tables, break_before
from .vocabulary import (
    CONTAINERS,
    DROPPED,
    HEADINGS,
    INLINE,
    INLINE_UNKNOWN,
    P_CLASS_STYLES,
    SILENT,
    is_inline,
)
from .walkstate import PLAIN, Ctx, ListItem, Para, normalize, outside_list

# --- the document head --------------------------------------------------------------------


@dataclass(frozen=True)
class Head:
    lang: str = ""
    title: str = ""
    author: str = ""
    description: str = ""
    keywords: str = ""
    running_title: str = ""
    running_publisher: str = ""
    page_label: str = ""
    template: str = ""
    marking: str = ""  # the protective marking, on every page


def parse_html(html: str) -> etree._Element:
    """The document's <html> element. Plain lxml elements, not lxml.html's: the walker needs
    none of their methods, and lxml.html asks a Python function for the class of every
    element the walk touches (a tenth of the walk of a long brief)."""
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    root = etree.fromstring(html.encode("utf-8", errors="replace"), parser=parser)
    if root is None:  # an empty document
        root = etree.fromstring(b"<html><body></body></html>", parser=parser)
    return root


def body_of(tree: etree._Element) -> etree._Element:
    """The <body> of a parsed document (libxml2 always makes one)."""
    body = tree.find("body")
    return body if body is not None else etree.SubElement(tree, "body")


def read_head(tree: etree._Element) -> Head:
    head = tree.find("head")
    meta: dict[str, str] = {}
    title = ""
    if head is not None:
        title = collapse(head.findtext("title") or "")
        for m in head.iter("meta"):
            name = (m.get("name") or "").strip().lower()
            if name and name not in meta:
                meta[name] = collapse(m.get("content") or "")
    return Head(
        lang=(tree.get("lang") or "").strip(),
        title=title,
        author=meta.get("author", ""),
        description=meta.get("description", ""),
        keywords=meta.get("keywords", ""),
        running_title=meta.get("briefgen:running-title", ""),
        running_publisher=meta.get("briefgen:running-publisher", ""),
        page_label=meta.get("briefgen:page-label", ""),
        template=meta.get("briefgen:template", ""),
        marking=meta.get("briefgen:marking", ""),
    )


# --- inline content -----------------------------------------------------------------------


# --- the walker ---------------------------------------------------------------------------


class HtmlWalker(InlineRuns, Tables, Pictures):
    def __init__(
        self,
        document: RenderedDocument,
        styles: StyleSheet,
        main_part: StoryPart,
        footnotes_part: StoryPart,
        numbering: oxml.Numbering,
        text_width: int,
        template: str,
    ):
        self.doc = document
        self.styles = styles
        self.main_part = main_part
        self.footnotes_part = footnotes_part
        self.numbering = numbering
        self.text_width = text_width
        self.template = template
        self.body = etree.Element(qn("w:body"))
        self.footnotes = oxml.footnotes_root()
        self.footnote_count = 0
        self.has_cover = False
        self.letter_end: etree._Element | None = None  # the paragraph that ends the letter
        self._page_break = False
        self._break_before: list[etree._Element] = []  # tables that start a new page
        self._pending_bookmarks: list[str] = []
        self._bookmarks: dict[str, str] = {}  # HTML id -> bookmark name
        self._link_rids: dict[tuple[StoryPart, str], str] = {}  # (part, href) -> its link's rId
        self._bookmark_ids = itertools.count(0)
        self._shape_ids = itertools.count(1)
        self._warned: set[str] = set()
        self._style_ids: dict[str, str] = {}
        self._char_styles: dict[tuple, str | None] = {}
        self._chain = fonts.chain(document.theme)
        self._roles: dict[str, str] = {}  # paragraph style id -> "body" | "heading"
        self.script_families: set[str] = set()  # the chain's fonts the runs name (font table)
        self.code_text: list[str] = []  # what <code> shows: the monospace is embedded for it alone
        # Sections of blocks in columns (theme `styles`, styled_blocks.py): where each ends.
        self.column_sections: list[styled_blocks.SectionEnd] = []
        self.next_section_start: str | None = None

    # -- entry point --

    def walk(self, body: etree._Element) -> None:
        self._collect_ids(body)
        styled_blocks.class_warnings(self, body)
        # Paragraphs that bring their own space above, so need no Spacer after a table.
        self._spaced_styles = {
            self.sid(n)
            for n in ("Heading 1", "Heading 2", "Heading 3", "Heading 4", "Title", "TOC Heading", "Spacer")
        }
        ctx = Ctx(container=self.body, part=self.main_part, width=self.text_width, p_style="Body Text")
        self.flow(body, ctx, inline_imgs=False)
        for tbl in self._break_before:
            break_before(tbl)
        if not len(self.body) or self.body[-1].tag == qn("w:tbl"):
            self.spacer(self.body)  # a body ends with a paragraph
        if self._pending_bookmarks:  # ids on elements that made no paragraph of their own
            last = self.body.findall(qn("w:p"))[-1]
            for name in self._pending_bookmarks:
                bid = next(self._bookmark_ids)
                last.append(oxml.bookmark_start(bid, name))
                last.append(oxml.bookmark_end(bid))
            self._pending_bookmarks.clear()

    # -- helpers --

    def sid(self, name: str) -> str:
        sid = self._style_ids.get(name)
        if sid is None:
            sid = self._style_ids[name] = self.styles.id(name)
        return sid

    def warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            self.doc.warn(f"{self.template}: {message}")

    def new_paragraph(self, ctx: Ctx, style: str) -> Para:
        """A paragraph of `style` where `ctx` says (for the chart writer, which cannot import
        this module: it is imported from here)."""
        return Para(self, ctx, self.sid(style))

    def warn_unknown(self, el: etree._Element, what: str = "its text was kept") -> None:
        cls = " ".join((el.get("class") or "").split())
        label = f'<{el.tag} class="{cls}">' if cls else f"<{el.tag}>"
        self.warn_once(label, f"{label} is outside the HTML vocabulary; {what}")

    def _collect_ids(self, body: etree._Element) -> None:
        used: set[str] = set()
        # XPath picks the elements with an id in C, in document order (body.iter() asked
        # each of some 18 000 elements of a long brief from Python).
        for el in body.xpath("descendant-or-self::*[@id]"):
            hid = el.get("id")
            if not hid or hid in self._bookmarks:
                continue
            name = re.sub(r"[^A-Za-z0-9_]", "_", hid)
            if not name[:1].isalpha():
                name = "b_" + name
            name = name[:40]
            n = 1
            while name.lower() in used:
                n += 1
                name = f"{name[: 40 - len(str(n)) - 1]}_{n}"
            used.add(name.lower())
            self._bookmarks[hid] = name

    def _mark_id(self, el: etree._Element, ctx: Ctx) -> None:
        name = self._bookmarks.get(el.get("id") or "")
        if name and ctx.story == "body" and name not in self._pending_bookmarks:
            self._pending_bookmarks.append(name)

    def new_para(self, ctx: Ctx, style: str | None = None) -> Para:
        item = ctx.list_item
        if item is not None and not item.started:
            item.started = True
            return Para(self, ctx, self.sid(item.style), (item.num_id, item.ilvl))
        if item is not None:
            return Para(self, ctx, self.sid(style or item.continue_style))
        return Para(self, ctx, self.sid(style or ctx.p_style))

    def open_p(
        self, ctx: Ctx, style_id: str, num: tuple[int, int] | None = None, take_marks: bool = True
    ) -> tuple[etree._Element, list[int]]:
        """Append a w:p with its properties; take a pending page break and bookmarks."""
        if oxml.ends_with(ctx.container, "w:tbl") and style_id not in self._spaced_styles:
            self.spacer(ctx.container)
        extra: dict[str, object] = {}  # pPr children beside the style
        if ctx.story == "body" and ctx.container is self.body and self._page_break:
            extra["pageBreakBefore"] = True
            self._page_break = False
        if num is not None and not extra:  # a list item, from its list's template
            p = oxml.numbered_paragraph(ctx.container, style_id, num[0], num[1])
        else:
            if num is not None:
                extra["numPr"] = oxml.num_pr(num[0], num[1])
            p = oxml.paragraph(ctx.container, style_id, **extra)
        marks: list[int] = []
        if take_marks and ctx.story == "body" and self._pending_bookmarks:
            for name in self._pending_bookmarks:
                bid = next(self._bookmark_ids)
                p.append(oxml.bookmark_start(bid, name))
                marks.append(bid)
            self._pending_bookmarks.clear()
        return p, marks

    def emit(self, para: Para, force: bool = False) -> etree._Element | None:
        segs = normalize(para.segs)
        if not segs and not force:
            return None
        p, marks = self.open_p(para.ctx, para.style, para.num)
        self._runs(p, segs)
        for bid in marks:
            p.append(oxml.bookmark_end(bid))
        return p

    # -- block level --

    def flow(
        self, el: etree._Element, ctx: Ctx, *, style: str | None = None, inline_imgs: bool = True
    ) -> None:
        """Lay out `el`'s content: inline runs become paragraphs, block children are walked."""
        para: Para | None = None

        def current() -> Para:
            nonlocal para
            if para is None:
                para = self.new_para(ctx, style)
            return para

        if el.text and el.text.strip():
            current().text(el.text, PLAIN)
        for child in el:
            if not isinstance(child.tag, str):
                pass
            elif is_inline(child.tag, inline_imgs):
                self.inline(child, current(), PLAIN)
            else:
                if para is not None:
                    para.finish()
                    para = None
                self.block(child, ctx)
            if child.tail and (para is not None or child.tail.strip()):
                current().text(child.tail, PLAIN)
        if para is not None:
            para.finish()

    def block(self, el: etree._Element, ctx: Ctx) -> None:
        tag = el.tag
        if tag in SILENT:
            return
        if tag in DROPPED:
            self.warn_unknown(el, "it was left out")
            return
        classes = set((el.get("class") or "").split())
        if "screen-only" in classes:
            return  # the web page's own parts (list of notes, footer): not in any print rendering
        self._mark_id(el, ctx)
        look = styled_blocks.look_of(self, tag, classes)
        if look is not None:  # a class of the theme's `styles`: its box, style and columns
            styled_blocks.styled_block(self, el, ctx, look)
        elif tag == "section" and "letter" in classes:
            self.letter(el, ctx)
        elif tag == "section" and "cover" in classes:
            self.cover(el, ctx)
        elif tag == "nav" and "toc" in classes:
            self.toc(el, ctx)
        elif tag in HEADINGS:
            self.heading(el, ctx, HEADINGS[tag])
        elif tag == "p":
            self.paragraph(el, ctx, classes)
        elif tag in ("ul", "ol"):
            self.list_(el, ctx, ordered=tag == "ol")
        elif tag == "blockquote":
            self.flow(el, replace(ctx, p_style="Quote", list_item=None), inline_imgs=False)
        elif tag == "div" and "callout" in classes:
            # As the print CSS: a callout is not broken across pages, except the
            # recommendations, which may run long; a card breaks where it must.
            self.box(el, ctx, "Callout Box", keep_together="recommendations" not in classes)
        elif tag == "div" and "card" in classes:
            self.box(el, ctx, "Card Box", keep_together=False)
        elif tag == "div" and "page-break" in classes:
            if ctx.story == "body" and ctx.container is self.body:
                self._page_break = True
            self.flow(el, ctx, inline_imgs=False)
        elif tag == "table":
            self.table(el, ctx)
        elif tag == "figure" and "chart" in classes:
            from .charts import place_chart  # a native Word chart, or the timeline's picture

            place_chart(self, el, ctx)
        elif tag == "figure":
            self.flow(el, ctx, inline_imgs=False)
        elif tag in ("figcaption", "caption"):
            self.flow(el, outside_list(ctx), style="Caption")
        elif tag == "img":
            self.block_picture(el, ctx)
        elif tag == "dl":
            self.flow(el, outside_list(ctx), inline_imgs=False)
        elif tag == "dt":
            self.flow(el, replace(ctx, p_style="Field Label", list_item=None))
        elif tag == "dd":
            self.flow(el, replace(ctx, p_style="Field Value", list_item=None))
        elif tag in CONTAINERS or tag in (
            "li",
            "thead",
            "tbody",
            "tfoot",
            "tr",
            "td",
            "th",
            "colgroup",
            "col",
        ):
            self.flow(el, ctx, inline_imgs=False)
        else:
            self.warn_unknown(el)
            self.flow(el, ctx, inline_imgs=False)

    def letter(self, el: etree._Element, ctx: Ctx) -> None:
        """A recipient's letter: its own Word section (ended by `letter_end`), before the cover."""
        for child in el:
            if not isinstance(child.tag, str):
                continue
            classes = set((child.get("class") or "").split())
            if "letter-recipient" in classes:
                self.flow(child, replace(ctx, p_style="Inside Address", list_item=None), inline_imgs=False)
            elif "letterhead" in classes:
                self.flow(child, replace(ctx, p_style="Letterhead", list_item=None), inline_imgs=False)
            else:
                self.block(child, replace(ctx, p_style="Letter Text"))
        if ctx.container is self.body:
            # The section break is written by the writer, which knows the page geometry.
            self.letter_end = oxml.paragraph(self.body, self.sid("Letter Text"))

    def cover(self, el: etree._Element, ctx: Ctx) -> None:
        self.has_cover = True
        self.flow(el, replace(ctx, p_style="Cover Text", in_cover=True, list_item=None), inline_imgs=False)
        if ctx.container is self.body:
            self._page_break = True

    def heading(self, el: etree._Element, ctx: Ctx, level: int) -> None:
        if el.tag in ("h5", "h6"):
            self.warn_unknown(el, "it was set as Heading 4")
        style = ("Title" if level == 1 else "Subtitle") if ctx.in_cover else f"Heading {level}"
        style = styled_blocks.heading_style(self, ctx, style, level)
        self.flow(el, outside_list(ctx), style=style)

    def paragraph(self, el: etree._Element, ctx: Ctx, classes: set[str]) -> None:
        style = None
        for cls in sorted(classes):
            if cls in P_CLASS_STYLES:
                style = P_CLASS_STYLES[cls]
            elif is_vocabulary(cls):  # the vocabulary's, but not a paragraph's
                self.warn_unknown(el)
            # A class outside the vocabulary is classstyles.class_problems' to report, as
            # `validate` does: once, with how to give it a look.
        if style == "Small Text" and ctx.container is self.body and _under_heading(el):
            # A line under a heading (a speaker's role) is the heading's: kept with what
            # follows, as the heading is, or the two stand alone at the foot of a page
            # (the print CSS's `h2 + p.small`). Boxes keep their head rows their own way.
            style = "Heading Note"
        self.flow(el, ctx, style=style)

    def list_(self, el: etree._Element, ctx: Ctx, ordered: bool) -> None:
        level = ctx.list_level + 1
        if level > 3:
            self.warn_once("list-depth", "lists nest deeper than 3 levels; deeper items are set at level 3")
        ilvl = min(level, 3) - 1
        suffix = "" if ilvl == 0 else f" {ilvl + 1}"
        if ordered:
            try:
                start = max(0, int(el.get("start") or 1))
            except ValueError:
                start = 1
            num_id = self.numbering.new_ordered_list(ilvl, start)
            style = "List Number" + suffix
        else:
            num_id = oxml.BULLET_NUM
            style = "List Bullet" + suffix
        inner = replace(ctx, list_level=level, list_item=None)
        stray = Para(self, inner, self.sid("List Continue" + suffix))
        stray.text(el.text, PLAIN)
        for child in el:
            if isinstance(child.tag, str) and child.tag == "li":
                stray.finish()
                stray = Para(self, inner, self.sid("List Continue" + suffix))
                self._mark_id(child, ctx)
                item = ListItem(style, "List Continue" + suffix, num_id, ilvl)
                self.flow(child, replace(inner, list_item=item))
            elif isinstance(child.tag, str):
                if child.tag in INLINE or child.tag in INLINE_UNKNOWN:
                    self.inline(child, stray, PLAIN)
                else:
                    stray.finish()
                    stray = Para(self, inner, self.sid("List Continue" + suffix))
                    self.block(child, inner)
            stray.text(child.tail, PLAIN)
        stray.finish()

    # -- tables and boxes --

    # -- pictures --

    # -- inline level --

    # -- table of contents --

    def toc(self, el: etree._Element, ctx: Ctx) -> None:
        """<nav class="toc">: the contents page (contents.py)."""
        place_contents(self, el, ctx)


def _under_heading(el: etree._Element) -> bool:
    previous = el.getprevious()
    while previous is not None and not isinstance(previous.tag, str):
        previous = previous.getprevious()  # a comment
    return previous is not None and previous.tag in ("h1", "h2", "h3")
