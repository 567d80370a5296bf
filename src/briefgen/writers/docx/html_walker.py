"""Walk the rendered HTML into WordprocessingML: the DOCX half of docs/html-vocabulary.md.

The walker reads the body of the one HTML document every format is made from and appends
paragraphs and tables to a w:body, footnotes to a w:footnotes element, and ordered lists to
the numbering definitions. Each vocabulary element maps to a named style (see the table in
docs/html-vocabulary.md); runs carry only a character style and, for <sup>/<sub>,
vertAlign. Inline content is laid out the way a browser does: whitespace collapses, and
text between blocks becomes an anonymous paragraph in the style of its context, so no text
is lost. Elements outside the vocabulary are reported once each and their text kept.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
from dataclasses import dataclass, replace
from typing import NamedTuple
from urllib.parse import quote, unquote

import lxml.html
from docx.image.exceptions import UnrecognizedImageError
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.shape import CT_Inline
from docx.parts.story import StoryPart
from lxml import etree

from ... import bidi, fonts
from ...document import RenderedDocument
from . import oxml, styled_blocks
from .contents import place_contents
from .oxml import collapse, qn
from .portraits import WP, float_portraits
from .styles import StyleSheet, box_cell_margin, table_cell_margin

EMU_PER_TWIP = 635
EMU_PER_PX = 9525  # a CSS pixel is 1/96 in, as in the PDF
EMU_PER_MM = 36000
PHOTO_WIDTH_MM = 28  # `.card img.photo { width: 28mm }`

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}
CONTAINERS = {"body", "section", "article", "div", "header", "footer", "main", "nav"}
INLINE = {"a", "em", "i", "strong", "b", "code", "sup", "sub", "br", "span", "img", "bdi"}
# Phrasing elements outside the vocabulary: reported, text kept inside the paragraph.
INLINE_UNKNOWN = {
    "abbr",
    "acronym",
    "bdo",
    "big",
    "cite",
    "data",
    "del",
    "dfn",
    "font",
    "ins",
    "kbd",
    "label",
    "mark",
    "q",
    "s",
    "samp",
    "small",
    "strike",
    "time",
    "tt",
    "u",
    "var",
    "wbr",
}
# Elements that are not content: the print CSS and head leftovers are skipped quietly,
# the rest (not allowed in templates) is reported and left out.
SILENT = {"head", "title", "meta", "link", "style", "base"}
DROPPED = {
    "script",
    "template",
    "noscript",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "video",
    "audio",
    "math",
    "input",
    "select",
    "textarea",
    "button",
}
P_CLASS_STYLES = {
    "subtitle": "Subtitle",
    "small": "Small Text",
    "status": "Status",
    "marking": "Marking",  # the protective marking on the cover
    # A recipient's letter: Word's own letter styles where it has them, so an officer
    # editing one copy finds the usual names.
    "letterhead-name": "Letterhead",
    "letter-date": "Date",
    "salutation": "Salutation",
    "closing": "Closing",
    "signatory-name": "Signature",
    "signatory-role": "Signature Role",
}
# Classes of inline elements that ask for a character style of their own (as the print CSS
# gives them a colour or weight); on <strong> the style replaces Strong, being bold itself.
CLASS_CHAR_STYLES = {"priority-high": "High Priority"}
SIGNATURE_HEIGHT_MM = 14

_WS = re.compile(r"[ \t\n\r\f]+")
_COL_WIDTH = re.compile(r"width\s*:\s*([\d.]+)\s*%")
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"


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


def parse_html(html: str) -> lxml.html.HtmlElement:
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    return lxml.html.document_fromstring(html.encode("utf-8", errors="replace"), parser=parser)


def read_head(tree: lxml.html.HtmlElement) -> Head:
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


class InlineState(NamedTuple):
    """What the inline elements around a piece of text ask for."""

    roles: tuple[str, ...] = ()  # character style roles: Strong, Emphasis, Code
    vert: str | None = None  # superscript / subscript
    link: tuple[str, str] | None = None  # ("rid", rId) or ("anchor", bookmark)

    def with_role(self, role: str) -> InlineState:
        return self if role in self.roles else self._replace(roles=(*self.roles, role))


PLAIN = InlineState()


class Seg(NamedTuple):
    """One piece of a paragraph before it becomes runs."""

    kind: str  # text | br | lit (text kept as is) | fnref | fnmark | drawing
    text: str = ""
    state: InlineState = PLAIN
    payload: object = None


@dataclass(frozen=True)
class Ctx:
    """Where blocks go and how text there is styled."""

    container: etree._Element  # w:body, w:tc or w:footnote
    part: StoryPart  # owner of hyperlink / image relationships
    width: int  # available width in twips
    p_style: str  # style of paragraphs (and anonymous text) here
    story: str = "body"  # body | footnote
    list_level: int = 0
    list_item: ListItem | None = None
    in_cover: bool = False
    look: str | None = None  # the theme class (`styles`) of the box around, for its headings
    in_card: bool = False  # directly in a card's cell: where `img.photo` is a portrait


class ListItem:
    """An <li>: its first paragraph is numbered, later ones continue at its indent."""

    def __init__(self, style: str, continue_style: str, num_id: int, ilvl: int):
        self.style = style
        self.continue_style = continue_style
        self.num_id = num_id
        self.ilvl = ilvl
        self.started = False


class Para:
    """A paragraph being collected; `finish()` turns it into a w:p in its container."""

    def __init__(self, walker: HtmlWalker, ctx: Ctx, style: str, num: tuple[int, int] | None = None):
        self.walker = walker
        self.ctx = ctx
        self.style = style
        self.num = num
        self.segs: list[Seg] = []

    def text(self, text: str | None, state: InlineState) -> None:
        if text:
            self.segs.append(Seg("text", text, state))

    def add(self, kind: str, *, text: str = "", payload: object = None, state: InlineState = PLAIN) -> None:
        self.segs.append(Seg(kind, text, state, payload))

    def finish(self, force: bool = False) -> etree._Element | None:
        return self.walker.emit(self, force)


def normalize(segs: list[Seg]) -> list[Seg]:
    """Collapse whitespace as HTML does, trim it at line starts and ends, merge like runs."""
    out: list[Seg] = []
    space_before = True  # at the paragraph's start leading spaces go

    def rstrip() -> None:
        while out and out[-1].kind == "text":
            text = out[-1].text.rstrip(" ")
            if text:
                out[-1] = out[-1]._replace(text=text)
                return
            out.pop()

    for seg in segs:
        if seg.kind == "text":
            text = _WS.sub(" ", seg.text)
            if space_before and text.startswith(" "):
                text = text[1:]
            if not text:
                continue
            space_before = text.endswith(" ")
            if out and out[-1].kind == "text" and out[-1].state == seg.state:
                out[-1] = out[-1]._replace(text=out[-1].text + text)
            else:
                out.append(seg._replace(text=text))
        elif seg.kind == "br":
            rstrip()
            out.append(seg)
            space_before = True
        else:
            out.append(seg)
            space_before = seg.kind == "lit"
    rstrip()
    return out


# --- the walker ---------------------------------------------------------------------------


class HtmlWalker:
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
        self._bookmark_ids = itertools.count(0)
        self._shape_ids = itertools.count(1)
        self._warned: set[str] = set()
        self._style_ids: dict[str, str] = {}
        self._char_styles: dict[tuple, str | None] = {}
        self._chain = fonts.chain(document.theme)
        self._roles: dict[str, str] = {}  # paragraph style id -> "body" | "heading"
        self.script_families: set[str] = set()  # the chain's fonts the runs name (font table)
        # Sections of blocks in columns (theme `styles`, styled_blocks.py): where each ends.
        self.column_sections: list[styled_blocks.SectionEnd] = []
        self.next_section_start: str | None = None

    # -- entry point --

    def walk(self, body: lxml.html.HtmlElement) -> None:
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
            _break_before(tbl)
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
        for el in body.iter():
            hid = el.get("id") if isinstance(el.tag, str) else None
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
        if (
            len(ctx.container)
            and ctx.container[-1].tag == qn("w:tbl")
            and style_id not in self._spaced_styles
        ):
            self.spacer(ctx.container)
        spec: dict[str, object] = {"pStyle": {"val": style_id}}
        if ctx.story == "body" and ctx.container is self.body and self._page_break:
            spec["pageBreakBefore"] = True
            self._page_break = False
        if num is not None:
            spec["numPr"] = oxml.num_pr(num[0], num[1])
        p = oxml.sub(ctx.container, "w:p")
        p.append(oxml.props("w:pPr", oxml.PPR_ORDER, spec))
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

    def _runs(self, p: etree._Element, segs: list[Seg]) -> None:
        for link, group in itertools.groupby(segs, key=lambda s: s.state.link):
            target = p
            if link is not None:
                kind, value = link
                target = oxml.hyperlink(
                    p, rid=value if kind == "rid" else None, anchor=value if kind == "anchor" else None
                )
            for seg in group:
                self._run(target, seg)

    def _run(self, parent: etree._Element, seg: Seg) -> None:
        if seg.kind == "text":
            roles = seg.state.roles + (("Hyperlink",) if seg.state.link else ())
            style = self._char_styles.get(roles, "?")
            if style == "?":
                style = self._char_styles[roles] = self.styles.char_style(roles)
            self.text_runs(parent, seg.text, style, seg.state.vert)
        elif seg.kind == "lit":
            oxml.run(parent, seg.text)
        elif seg.kind == "br":
            oxml.sub(oxml.run(parent), "w:br")
        elif seg.kind == "fnref":
            r = oxml.run(parent, style=self.sid("Footnote Reference"))
            oxml.sub(r, "w:footnoteReference", {"id": seg.payload})
        elif seg.kind == "fnmark":
            oxml.sub(oxml.run(parent, style=self.sid("Footnote Reference")), "w:footnoteRef")
        elif seg.kind == "drawing":
            oxml.sub(oxml.run(parent), "w:drawing").append(seg.payload)

    def text_runs(self, parent: etree._Element, text: str, style: str | None = None, vert: str | None = None):
        """Runs for `text`, one per script of the theme's chain it holds: a run in a script
        gets that script's character style (its Word font slot, its direction), based on
        `style` when the run has one."""
        if text.isascii():
            oxml.run(parent, text, style, vert)
            return
        for piece, script in fonts.script_runs(text, self._chain):
            piece_style, rpr = style, None
            if script is not None:
                role = self._role(parent)
                family, rpr = fonts.docx_run_fonts(script, role, self.doc.language, self._chain)
                self.script_families.add(family)
                piece_style = self.styles.script_style(style, f"{family} Text", rpr)
            oxml.run(parent, piece, piece_style, vert, script=rpr)

    def _role(self, parent: etree._Element) -> str:
        """'heading' when the paragraph's style sets the theme's heading font, else 'body':
        the family a script's run takes (Noto Sans Arabic in a heading, Noto Naskh in text)."""
        p = parent if parent.tag == qn("w:p") else parent.getparent()
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") if p is not None else None
        sid = style.get(qn("w:val")) if style is not None else ""
        if sid not in self._roles:
            self._roles[sid] = self._style_role(sid)
        return self._roles[sid]

    def _style_role(self, sid: str) -> str:
        by_id = {el.get(qn("w:styleId")): el for el in self.styles.element.iterchildren(qn("w:style"))}
        seen: set[str] = set()
        while sid and sid not in seen and sid in by_id:
            seen.add(sid)
            family = by_id[sid].find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            if family is not None and family.get(qn("w:ascii")):
                return "heading" if family.get(qn("w:ascii")) == self.doc.theme.heading_font else "body"
            based = by_id[sid].find(qn("w:basedOn"))
            sid = based.get(qn("w:val")) if based is not None else ""
        return "body"

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
            elif _is_inline(child.tag, inline_imgs):
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
            self.flow(el, replace(ctx, list_item=None), style="Caption")
        elif tag == "img":
            self.block_picture(el, ctx)
        elif tag == "dl":
            self.flow(el, replace(ctx, list_item=None), inline_imgs=False)
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
        self.flow(el, replace(ctx, list_item=None), style=style)

    def paragraph(self, el: etree._Element, ctx: Ctx, classes: set[str]) -> None:
        style = None
        for cls in sorted(classes):
            if cls in P_CLASS_STYLES:
                style = P_CLASS_STYLES[cls]
            else:
                self.warn_unknown(el)
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
        elif len(container) and container[-1].tag == qn("w:tbl"):
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

    # -- pictures --

    def block_picture(self, el: etree._Element, ctx: Ctx) -> None:
        classes = set((el.get("class") or "").split())
        if "letter-logo" in classes:
            style = "Letterhead Logo"
        elif "signature" in classes:
            style = "Signature"
        elif ctx.in_cover:  # as `.cover img.logo`: the cover's pictures, and only they
            style = "Cover Logo"
        elif "photo" in classes and ctx.in_card:  # as `.card img.photo`; elsewhere a figure
            style = "Card Photo"
        else:
            style = "Figure"
        para = Para(self, ctx, self.sid(style))
        self.picture(el, para)
        para.finish()

    def picture(self, el: etree._Element, para: Para, state: InlineState = PLAIN) -> None:
        """Add an inline picture for <img> to `para` (its alt text if Word cannot show it)."""
        src = (el.get("src") or "").strip()
        alt = collapse(el.get("alt") or "")
        if not src:
            self.warn_once(f"img-nosrc:{alt}", f"<img alt={alt!r}> has no src; its alt text was kept")
            para.text(alt, state)
            return
        if not alt:
            self.warn_once(f"img-noalt:{src}", f"<img src={src!r}> has no alt text")
        data, mime = self.doc.read_resource(src)  # a ResourceError is the user's to fix
        try:
            rid, image = para.ctx.part.get_or_add_image(io.BytesIO(data))
        except UnrecognizedImageError:
            converted = _to_png(data)
            if converted is None:
                self.warn_once(
                    f"img-format:{src}",
                    f"image {src!r} ({mime}) cannot be placed in Word "
                    "(use PNG or JPEG); its alt text was kept",
                )
                para.text(alt, state)
                return
            rid, image = para.ctx.part.get_or_add_image(io.BytesIO(converted))
        classes = set((el.get("class") or "").split())
        px_w, px_h = max(image.px_width, 1), max(image.px_height, 1)
        if "letter-logo" in classes:  # as .letterhead img.letter-logo in the print CSS
            cx = round(self.doc.theme.logo_width_mm * 0.7 * EMU_PER_MM)
        elif "signature" in classes:  # 14 mm high, as img.signature in the print CSS
            cx = round(SIGNATURE_HEIGHT_MM * EMU_PER_MM * px_w / px_h)
        elif "logo" in classes and para.ctx.in_cover:  # `.cover img.logo`; elsewhere its own size
            cx = round(self.doc.theme.logo_width_mm * EMU_PER_MM)
        elif "photo" in classes and para.ctx.in_card:
            cx = PHOTO_WIDTH_MM * EMU_PER_MM
        elif (el.get("width") or "").isdigit():
            cx = int(el.get("width")) * EMU_PER_PX
        else:
            cx = px_w * EMU_PER_PX
        cx = min(cx, para.ctx.width * EMU_PER_TWIP)
        cy = round(cx * px_h / px_w)
        shape_id = next(self._shape_ids)
        # Named by content, not by the source file (a photo's name is often a person's name).
        name = f"image-{hashlib.sha256(data).hexdigest()[:16]}"
        inline = CT_Inline.new_pic_inline(shape_id, rid, name, cx, cy)
        for side in ("distT", "distB", "distL", "distR"):  # absent, LibreOffice adds 3 mm
            inline.set(side, "0")
        inline.docPr.set("descr", alt)
        for cnvpr in inline.xpath(".//pic:cNvPr"):
            cnvpr.set("descr", alt)
        para.add("drawing", payload=inline, state=state)

    # -- inline level --

    def inline(self, el: etree._Element, para: Para, state: InlineState) -> None:
        tag = el.tag
        classes = set((el.get("class") or "").split())
        if "screen-only" in classes:
            return  # a note's call on the web page: Word numbers its own footnotes
        if el.get("id"):
            self._mark_id(el, para.ctx)
        class_role = next((CLASS_CHAR_STYLES[c] for c in sorted(classes) if c in CLASS_CHAR_STYLES), None)
        if class_role is not None:
            state = state.with_role(class_role)
        if tag in ("em", "i"):
            state = state.with_role("Emphasis")
        elif tag in ("strong", "b"):
            if class_role is None:
                state = state.with_role("Strong")
        elif tag == "code":
            state = state.with_role("Code")
        elif tag == "sup":
            state = state._replace(vert="superscript")
        elif tag == "sub":
            state = state._replace(vert="subscript")
        elif tag == "br":
            para.add("br")
            return
        elif tag == "wbr":
            # A break opportunity (wrapping.py); Word breaks long words by itself. libxml2
            # does not know <wbr> is empty and nests the text after it inside: keep that.
            pass
        elif tag == "bdi":
            self.isolated(el, para, state)
            return
        elif tag == "img":
            self.picture(el, para, state)
            return
        elif tag == "a":
            state = self.link(el, para, state)
        elif tag == "span":
            if "footnote" in classes:
                self.footnote(el, para)
                return
        elif tag in DROPPED:
            self.warn_unknown(el, "it was left out")
            return
        elif tag in SILENT:
            return
        elif tag in INLINE_UNKNOWN or tag not in _BLOCK_TAGS:
            self.warn_unknown(el)
        para.text(el.text, state)
        for child in el:
            if isinstance(child.tag, str):
                self.inline(child, para, state)
            para.text(child.tail, state)

    def isolated(self, el: etree._Element, para: Para, state: InlineState) -> None:
        """<bdi>: the text between Unicode isolates (RLI or LRI ... PDI), then a mark of the
        surrounding direction, which Word (that ignores isolates) and LibreOffice both honour:
        the digits and punctuation after a right-to-left name stay where the sentence has them."""
        direction = (el.get("dir") or "").lower()
        if direction not in ("ltr", "rtl"):
            text = el.text_content()
            strong = next((d for d in map(bidi.strong_direction, text) if d), "ltr")
            direction = strong
        opening, closing = ("\u2067", "\u2069\u200e") if direction == "rtl" else ("\u2066", "\u2069\u200f")
        para.text(opening, state)
        para.text(el.text, state)
        for child in el:
            if isinstance(child.tag, str):
                self.inline(child, para, state)
            para.text(child.tail, state)
        para.text(closing, state)

    def link(self, el: etree._Element, para: Para, state: InlineState) -> InlineState:
        href = (el.get("href") or "").strip()
        if not href or state.link is not None:
            return state
        if href.startswith("#"):
            name = self._bookmarks.get(unquote(href[1:]))
            if name is None:
                self.warn_once(
                    f"anchor:{href}", f"link to {href!r} has no target in the document; its text was kept"
                )
                return state
            return state._replace(link=("anchor", name))
        rid = para.ctx.part.relate_to(quote(href, safe=_URL_SAFE), RT.HYPERLINK, is_external=True)
        return state._replace(link=("rid", rid))

    def footnote(self, el: etree._Element, para: Para) -> None:
        if para.ctx.story == "footnote":
            self.warn_once("nested-footnote", "a footnote inside a footnote was kept as text")
            para.text(el.text, PLAIN)
            for child in el:
                if isinstance(child.tag, str):
                    self.inline(child, para, PLAIN)
                para.text(child.tail, PLAIN)
            return
        self.footnote_count += 1
        fid = self.footnote_count
        para.add("fnref", payload=fid)
        note = oxml.new_footnote(self.footnotes, fid)
        ctx = Ctx(
            container=note,
            part=self.footnotes_part,
            width=self.text_width,
            p_style="Footnote Text",
            story="footnote",
        )
        fpara = Para(self, ctx, self.sid("Footnote Text"))
        fpara.add("fnmark")
        fpara.add("lit", text=" ")
        fpara.text(el.text, PLAIN)
        for child in el:
            if isinstance(child.tag, str):
                self.inline(child, fpara, PLAIN)
            fpara.text(child.tail, PLAIN)
        fpara.finish(force=True)

    # -- table of contents --

    def toc(self, el: etree._Element, ctx: Ctx) -> None:
        """<nav class="toc">: the contents page (contents.py)."""
        place_contents(self, el, ctx)


_BLOCK_TAGS = (
    set(HEADINGS)
    | CONTAINERS
    | {
        "p",
        "ul",
        "ol",
        "li",
        "blockquote",
        "table",
        "caption",
        "colgroup",
        "col",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "figure",
        "figcaption",
        "dl",
        "dt",
        "dd",
    }
)


def _is_inline(tag: str, in_paragraph: bool) -> bool:
    """Inline content of a flow; <img> only inside paragraph-like elements, and unknown
    elements count as inline inside a paragraph (as a browser would lay them out)."""
    if tag == "img":
        return in_paragraph
    return (
        tag in INLINE
        or tag in INLINE_UNKNOWN
        or (in_paragraph and tag not in _BLOCK_TAGS and tag not in SILENT)
    )


def _set_cell_margin(tc: etree._Element, side: str) -> None:
    """Zero one side (top or bottom) of a cell's margins, as a box split into rows needs."""
    tcpr = tc.find(qn("w:tcPr"))
    rank = oxml.TCPR_ORDER.index("tcMar")
    index = sum(1 for c in tcpr if oxml.TCPR_ORDER.index(etree.QName(c).localname) < rank)
    tcpr.insert(index, oxml.props("w:tcMar", ("top", "bottom"), {side: {"w": 0, "type": "dxa"}}))


def _style_id(p: etree._Element) -> str | None:
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") if p.tag == qn("w:p") else None
    return None if style is None else style.get(qn("w:val"))


def _span(cell: etree._Element, attr: str) -> int:
    value = (cell.get(attr) or "1").strip()
    return max(1, min(int(value), 1000)) if value.isdigit() else 1


def _break_before(tbl: etree._Element) -> None:
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


def _to_png(data: bytes) -> bytes | None:
    """Convert an image python-docx cannot place (WebP ...) to PNG; None if Pillow can't read it."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with WeasyPrint
        return None
    try:
        with Image.open(io.BytesIO(data)) as im:
            out = io.BytesIO()
            im.save(out, "PNG")
            return out.getvalue()
    except Exception:
        return None
