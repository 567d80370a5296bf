"""Parsed document: the HTML a template rendered -> one lxml tree, and what later stages ask of it.

Render hands its output here, and the HTML is parsed once (lxml): the contents are filled
from the tree's headings, active content is found and removed in the tree, the worker
counts the words and finds the cover in it, and the HTML writer lists the resources it
names. The stages read the tree; none of them takes HTML apart with regular expressions.

The text of the document stays the text the template wrote: it is what the HTML output
holds and what the PDF's identifier is computed from, so builds stay byte-identical. An
edit the tree decides (the contents list) is spliced into the text at the element's end
tag, and made in the tree as well, so both keep telling the same story. The tree is shared:
a stage that wants to change it works on a copy.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import cache, cached_property

import lxml.html
from lxml import etree
from markupsafe import escape

ACTIVE_TAGS = ("script", "iframe", "object", "embed", "form", "base", "frame", "frameset")
URL_ATTRIBUTES = ("href", "src", "action")
# Each attribute of the document, as its value, whose `attrname` is the attribute's name.
_ALL_ATTRIBUTES = etree.XPath("descendant-or-self::*/@*")
DOCTYPE = "<!DOCTYPE html>"


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str
    title: str


class ParsedDocument:
    """One rendered HTML document: its text as written and its tree, parsed on first use."""

    def __init__(self, html: str, tree: lxml.html.HtmlElement | None = None):
        self.html = html
        if tree is not None:
            self.__dict__["tree"] = tree

    @cached_property
    def tree(self) -> lxml.html.HtmlElement:
        if not self.html.strip():
            return lxml.html.document_fromstring("<html></html>")  # lxml refuses an empty one
        try:
            return lxml.html.document_fromstring(self.html.encode("utf-8"), parser=_parser())
        except etree.LxmlError as exc:
            if "memory" in str(exc).lower():
                # libxml2 reports running out of memory as a parse error: say what it is, so
                # the worker reports its memory limit rather than an internal error.
                raise MemoryError(str(exc)) from None
            raise

    # ------------------------------------------------------------ contents

    def contents_nav(self) -> lxml.html.HtmlElement | None:
        """The first <nav class="toc">, where the contents go."""
        return next((nav for nav in self.tree.iter("nav") if "toc" in _classes(nav)), None)

    def headings(self) -> list[Heading]:
        """The h1 and h2 headings after the contents, with an id and without class no-toc."""
        nav = self.contents_nav()
        if nav is None:
            return []
        found, after = [], False
        for element in self.tree.iter():
            if element is nav:
                after = True
                continue
            if not after or element.tag not in ("h1", "h2") or _inside(element, nav):
                continue
            anchor = element.get("id")
            if anchor is None or "no-toc" in _classes(element):
                continue
            found.append(Heading(int(element.tag[1]), anchor, "".join(element.itertext()).strip()))
        return found

    def with_contents(self) -> ParsedDocument:
        """The document with its contents nav filled with links to its headings: a list of
        sections, each with its sub-sections. Without a contents nav, the document itself."""
        nav = self.contents_nav()
        if nav is None:
            return self
        listing = contents_list(self.headings())
        tree = copy.deepcopy(self.tree)
        filled = next(n for n in tree.iter("nav") if "toc" in _classes(n))
        filled.append(lxml.html.fragment_fromstring(listing))
        end = self._end_tag_offset(nav)
        if end is None:  # written in a way the text search cannot place: the tree's own text
            return ParsedDocument(_serialize(tree), tree)
        return ParsedDocument(self.html[:end] + listing + self.html[end:], tree)

    def _end_tag_offset(self, nav: lxml.html.HtmlElement) -> int | None:
        """Where the contents nav's end tag is in the text: the first </nav> after its start,
        as the nav holds no other nav."""
        start = self.html.find('<nav class="toc">')
        if start < 0 or next(nav.iterdescendants("nav"), None) is not None:
            return None
        end = self.html.find("</nav>", start)
        return end if end >= 0 else None

    # ------------------------------------------------------------ active content

    def has_active_content(self) -> bool:
        """An active element, an event handler (`on...`) or a javascript: URL anywhere.

        Every attribute is read in one XPath query, rather than each element's attributes
        through Python: some 10 ms less for every output of a long dossier."""
        if next(self.tree.iter(*ACTIVE_TAGS), None) is not None:
            return True
        for value in _ALL_ATTRIBUTES(self.tree):
            name = value.attrname.lower()
            if name.startswith("on") or (name in URL_ATTRIBUTES and _is_javascript(value)):
                return True
        return False

    def without_active_content(self) -> ParsedDocument:
        """Scripts, frames, forms, event handlers and javascript: links out of the document.

        No writer runs them, but the HTML output would carry them to whoever opens it; a
        partner's template must not be able to make briefgen ship a script. Most documents
        have none, and are returned untouched (the same object, text as written).
        """
        if not self.has_active_content():
            return self
        tree = copy.deepcopy(self.tree)
        for element in list(tree.iter(*ACTIVE_TAGS)):
            element.drop_tree()
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            for name in [n for n in element.attrib if n.lower().startswith("on")]:
                del element.attrib[name]
            for name in URL_ATTRIBUTES:
                if _is_javascript(element.get(name)):
                    del element.attrib[name]
        return ParsedDocument(_serialize(tree), tree)

    # ------------------------------------------------------------ length and cover

    def words_and_breaks(self, enough: int | None = None) -> tuple[int, int]:
        """(words of the body text without the contents, forced page breaks). With `enough`,
        the counting stops once there are that many words: the counts are then partial, at
        least `enough` words (a long document's decision needs no more)."""
        body = self.tree.find("body")
        if body is None:
            return 0, 0
        nav = self.contents_nav()
        # The contents and everything in them, found once (asking each element for its
        # ancestors cost a long document a tenth of its DOCX's writing time). lxml gives
        # the same element object while one is held, as this set holds them.
        in_nav = set(nav.iter()) if nav is not None else set()
        words = breaks = 0
        for element in body.iter():
            inside = element in in_nav
            # Each element boundary separates words, as the rendered text does; comments are
            # not text.
            if not inside and isinstance(element.tag, str):
                words += len((element.text or "").split())
                breaks += "page-break" in _classes(element)
            if element is not body and (not inside or element is nav):
                words += len((element.tail or "").split())
            if enough is not None and words >= enough:
                break
        return words, breaks

    def cover(self) -> lxml.html.HtmlElement | None:
        """The first <section class="cover">."""
        return next((s for s in self.tree.iter("section") if "cover" in _classes(s)), None)

    def after_cover(self) -> str | None:
        """Everything after the cover, as markup (None without a cover): personalised copies
        whose text after the cover is the same share their laid-out body pages."""
        cover = self.cover()
        if cover is None:
            return None
        parts = [cover.tail or ""]
        element = cover
        while element is not None:
            for sibling in element.itersiblings():
                parts.append(etree.tostring(sibling, encoding="unicode", method="html"))
            parent = element.getparent()
            parts.append(parent.tail or "" if parent is not None else "")
            element = parent
        return "".join(parts)

    def cover_only(self) -> str | None:
        """The document up to the end of its cover, as HTML to lay out (None without a cover)."""
        cover = self.cover()
        if cover is None:
            return None
        tree = copy.deepcopy(self.tree)
        kept = next(s for s in tree.iter("section") if "cover" in _classes(s))
        kept.tail = None
        element = kept
        while element.getparent() is not None:
            for sibling in list(element.itersiblings()):
                element.getparent().remove(sibling)
            element = element.getparent()
        return _serialize(tree)

    # ------------------------------------------------------------ resources

    def resource_urls(self, prefixes: tuple[str, ...]) -> list[str]:
        """The URLs under `prefixes` the document names: in src and href attributes, and in
        url("...") of its style elements (the theme's fonts). In document order, once each."""
        found: list[str] = []
        for element in self.tree.iter():
            if not isinstance(element.tag, str):
                continue
            for name in ("src", "href"):
                value = element.get(name)
                if value and value.startswith(prefixes):
                    found.append(value)
            if element.tag == "style" and element.text:
                found += [u for u in _CSS_URL.findall(element.text) if u.startswith(prefixes)]
        return list(dict.fromkeys(found))

    def with_urls_moved(self, urls: list[str] | dict[str, str], folder: str) -> str:
        """The text with each of `urls` (as resource_urls listed them) put under `folder/`;
        given a mapping, each URL is replaced by `folder/` and its new name there."""
        moved = urls if isinstance(urls, dict) else {url: url for url in urls}
        html = self.html
        for url, inside in moved.items():
            written, new = str(escape(url)), str(escape(f"{folder}/{inside}"))  # as attributes are written
            for name in ("src", "href"):
                html = html.replace(f'{name}="{written}"', f'{name}="{new}"')
            html = html.replace(f'url("{url}")', f'url("{folder}/{inside}")')
        return html


# CSS, not HTML: the text of a <style> element, where fonts are named as url("...").
_CSS_URL = re.compile(r'url\("([^"]+)"\)')


def contents_list(entries: list[Heading]) -> str:
    """<ul> of the sections, each with a nested <ul> of its sub-sections."""
    out, open_sub = ["<ul>"], False
    for entry in entries:
        title = escape(entry.title)
        if entry.level == 2 and not open_sub and len(out) > 1:
            out[-1] = out[-1].removesuffix("</li>") + "<ul>"
            open_sub = True
        elif entry.level == 1 and open_sub:
            out.append("</ul></li>")
            open_sub = False
        if entry.level == 2 and not open_sub:
            continue  # a sub-heading before any section has no place in the tree
        out.append(f'<li><a href="#{escape(entry.anchor)}">{title}</a></li>')
    if open_sub:
        out.append("</ul></li>")
    out.append("</ul>")
    return "".join(out)


@cache
def _parser() -> lxml.html.HTMLParser:
    # huge_tree: no limit on a text node's size or the nesting (the worker's time and memory
    # limits bound a document, not libxml2's defaults).
    return lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)


def _classes(element) -> list[str]:
    return (element.get("class") or "").split()


def _inside(element, ancestor) -> bool:
    return any(a is ancestor for a in element.iterancestors())


def _is_javascript(value: str | None) -> bool:
    return bool(value) and value.strip().lower().startswith("javascript:")


def _serialize(tree) -> str:
    return lxml.html.tostring(tree, encoding="unicode", doctype=DOCTYPE)
