"""Inline content -> runs: character styles, links, footnotes and isolated right-to-left text.

The half of the walker that fills a paragraph (mixed into HtmlWalker): inline elements
become Segs of a Para, and a finished Para's Segs become w:r runs with a character style
(Strong, Emphasis, Code, High Priority ...), hyperlinks, footnote references and the
footnotes themselves.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from ... import bidi, fonts
from . import oxml
from .oxml import qn
from .vocabulary import BLOCK_TAGS, CLASS_CHAR_STYLES, DROPPED, INLINE_UNKNOWN, SILENT
from .walkstate import PLAIN, Ctx, InlineState, Para, Seg

_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"
_NO_CLASSES: frozenset[str] = frozenset()


class InlineRuns:
    """Inline elements into Segs, Segs into runs (a mixin of HtmlWalker)."""

    def _runs(self, p: etree._Element, segs: list[Seg]) -> None:
        """The Segs' runs in `p`; each stretch of Segs with the same link in one w:hyperlink.
        (A loop, not itertools.groupby with a key function: one call less per Seg.)"""
        target, current = p, None
        for seg in segs:
            link = seg.state.link
            if link != current:
                current, target = link, p
                if link is not None:
                    kind, value = link
                    target = oxml.hyperlink(
                        p, rid=value if kind == "rid" else None, anchor=value if kind == "anchor" else None
                    )
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
        # No character in a script of the chain (those start at U+0530; Latin, Cyrillic and
        # the quotes and dashes around them are not): one run, without cutting the text
        # character by character.
        if text.isascii() or not any(self._chain.script_of(c) for c in set(text) if c >= "\u0530"):
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

    def inline(self, el: etree._Element, para: Para, state: InlineState) -> None:
        tag = el.tag
        # Most inline elements have no class: no set, no search of them (thousands a brief).
        class_attr = el.get("class")
        classes = set(class_attr.split()) if class_attr else _NO_CLASSES
        if "screen-only" in classes:
            return  # a note's call on the web page: Word numbers its own footnotes
        if el.get("id"):
            self._mark_id(el, para.ctx)
        class_role = None
        if classes:
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
            self.code_text.append("".join(el.itertext()))
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
        elif tag in INLINE_UNKNOWN or tag not in BLOCK_TAGS:
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
            text = el.xpath("string()")  # its text, as lxml.html's text_content()
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
        part = para.ctx.part
        rid = self._link_rids.get((part, href))
        if rid is None:
            # python-docx finds an existing relationship by a pass over all of the part's:
            # a brief's hundreds of links to the same few sources made that quadratic.
            rid = part.relate_to(quote(href, safe=_URL_SAFE), RT.HYPERLINK, is_external=True)
            self._link_rids[part, href] = rid
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
