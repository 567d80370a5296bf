"""Markdown fields -> HTML in the briefgen vocabulary.

CommonMark (markdown-it-py) with footnotes and citations. Raw HTML in content is escaped,
never interpreted; images are not content (they come from assets through templates), so
markdown image syntax renders as its alt text. Footnotes (`[^1]`) and citations
(`[@source-id]`, `[@source-id, p. 12]`) both become inline `<span class="footnote">`,
which the PDF floats to the foot of the page and the DOCX turns into a real footnote; the
numbers are given by the writers in reading order.

A footnote cannot hold a footnote. Inside a footnote's text a citation reads as an inline
reference in brackets, "The court's records (Source B, p. 3).", adjacent ones in one pair
("(Source A; Source B)"); a note that is only a citation reads as the citation does. A
footnote called from inside another is given in brackets where it is called.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markupsafe import Markup, escape
from mdit_py_plugins.footnote import footnote_plugin

from .model import CITATION_RE
from .punctuation import without_full_stop
from .quotes import no_break_spaces, quotation_marks

# Called with (source id, locator or None); returns the footnote's inner HTML.
CiteFormatter = Callable[[str, str | None], Markup]

_CITATION = CITATION_RE  # one pattern for validation and rendering
_SAFE_LINK = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)


def _citation_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[@", state.pos):
        return False
    match = _CITATION.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"source": match.group(1), "locator": match.group(2)}
    state.pos = match.end()
    return True


Marks = tuple[str, str, str, str]  # quotes.quotation_marks: open, close, inner open, inner close
# What a reference in brackets stands against without a space, typed by the author ("(see").
_OPENING = "([{\"'“‘«„"
# A bare web address in a text, up to white space: its quotes are the address's own.
_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>]+")


def _parser(marks: Marks | None) -> MarkdownIt:
    """The parser for an output whose language quotes with `marks`; None: no smart quotes
    (plain_text: the author's characters as typed)."""
    if marks is None:
        md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    else:
        # The typographer only for its smart quotes (and apostrophes: "Azerbaijan’s"): its
        # replacements would turn an article's "(c)" into "©" and "--" into a dash.
        md = MarkdownIt("commonmark", {"html": False, "typographer": True, "quotes": list(marks)})
        md.enable("smartquotes")  # off in the commonmark preset; "replacements" stays off
        md.core.ruler.before("smartquotes", "addresses_as_typed", _addresses_as_typed)
    md.use(footnote_plugin)
    md.disable(["image", "html_inline", "html_block"])
    md.inline.ruler.before("link", "citation", _citation_rule)
    return md


def _addresses_as_typed(state) -> None:
    """The text of an autolink (`<https://...>`) and a bare web address keep their quotes:
    smart quotes would print "Hell’s_Kitchen" in an address a reader copies. Their text
    tokens become `address` tokens, which the smart quotes rule does not read."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, autolink = [], False
        for child in block.children:
            if child.type == "link_open" and child.markup == "autolink":
                autolink = True
            elif child.type == "link_close" and autolink:
                autolink = False
            elif child.type == "text" and autolink:
                child.type = "address"
            elif child.type == "text" and ("'" in child.content or '"' in child.content):
                children.extend(_split_addresses(child))
                continue
            children.append(child)
        block.children = children


def _split_addresses(token: Token) -> list[Token]:
    pieces, at = [], 0
    for found in _BARE_URL.finditer(token.content):
        if "'" not in found.group() and '"' not in found.group():
            continue
        for kind, content in (("text", token.content[at : found.start()]), ("address", found.group())):
            if content:
                piece = Token(kind, "", 0)
                piece.content = content
                pieces.append(piece)
        at = found.end()
    if not pieces:
        return [token]
    if at < len(token.content):
        rest = Token("text", "", 0)
        rest.content = token.content[at:]
        pieces.append(rest)
    return pieces


_PARSERS: dict[Marks | None, MarkdownIt] = {}


@lru_cache(maxsize=16384)
def _parse(text: str, marks: Marks | None = None) -> tuple:
    """Tokens of a markdown text, its quotes set in `marks`. Rendering only reads them, so
    one parse serves every output a worker renders in a language (personalised copies,
    audiences) and the check."""
    if marks not in _PARSERS:
        _PARSERS[marks] = _parser(marks)
    return tuple(_PARSERS[marks].parse(text, {}))


class MarkdownRenderer:
    """Renders markdown fields of one output; citations are formatted by `cite`."""

    def __init__(
        self,
        cite: CiteFormatter,
        cited_visible: Callable[[str], bool] | None = None,
        reference: CiteFormatter | None = None,
        language: str | None = None,
    ):
        self._cite = cite
        # The output's language: its quotation marks and the no-break spaces its punctuation
        # wants (quotes.py). None (plain_text): every character as the author typed it.
        self._language = language
        self._marks = quotation_marks(language) if language else None
        # What a reference in brackets may stand against without a space: "(see “(Source)”".
        self._opening = _OPENING + "".join(mark.strip()[-1] for mark in (self._marks or ())[::2])
        # A citation inside a footnote's text: the source as a reference within a sentence,
        # without the citation's closing full stop (by default the citation without it).
        self._reference = reference or (lambda source, locator: without_full_stop(cite(source, locator)))
        # Whether a cited source is shown to this output: its note then names it in a
        # data-source attribute, which the web page links to the list of sources (webnav).
        # A withheld source's id is never written.
        self._cited_visible = cited_visible or (lambda source: False)
        self.cited: list[str] = []  # source ids in order of first citation

    def block(self, text: str | None) -> Markup:
        if not text:
            return Markup("")
        tokens = _parse(text, self._marks)
        footnotes = _collect_footnotes(tokens)
        return Markup(self._render_blocks(tokens, footnotes))

    def inline(self, text: str | None) -> Markup:
        """A markdown value inside a sentence: paragraphs joined, no block elements."""
        if not text:
            return Markup("")
        tokens = _parse(text, self._marks)
        footnotes = _collect_footnotes(tokens)
        inlines = [t for t in _body_tokens(tokens) if t.type == "inline"]
        return Markup(" ".join(self._render_inline(t.children or [], footnotes) for t in inlines))

    # ------------------------------------------------------------------ blocks

    def _render_blocks(self, tokens, footnotes) -> str:
        out: list[str] = []
        for token in _body_tokens(tokens):
            kind = token.type
            if kind == "inline":
                out.append(self._render_inline(token.children or [], footnotes))
            elif kind in ("paragraph_open", "paragraph_close"):
                if not token.hidden:  # tight list items carry hidden paragraphs
                    out.append("<p>" if kind.endswith("open") else "</p>\n")
            elif kind == "heading_open":
                # Content headings must not break the document outline: they become h4.
                out.append("<h4>")
            elif kind == "heading_close":
                out.append("</h4>\n")
            elif kind in ("bullet_list_open", "bullet_list_close"):
                out.append("<ul>\n" if kind.endswith("open") else "</ul>\n")
            elif kind == "ordered_list_open":
                start = token.attrGet("start")
                out.append(f'<ol start="{int(start)}">\n' if start and int(start) != 1 else "<ol>\n")
            elif kind == "ordered_list_close":
                out.append("</ol>\n")
            elif kind == "list_item_open":
                out.append("<li>")
            elif kind == "list_item_close":
                out.append("</li>\n")
            elif kind in ("blockquote_open", "blockquote_close"):
                out.append("<blockquote>\n" if kind.endswith("open") else "</blockquote>\n")
            elif kind in ("code_block", "fence"):
                out.append(f"<p><code>{escape(token.content.rstrip())}</code></p>\n")
            # hr and anything else carry no text
        return "".join(out)

    # ------------------------------------------------------------------ inline

    def _render_inline(self, children, footnotes, notes: tuple[int, ...] = ()) -> str:
        """Inline HTML; `notes`: the footnotes whose text this is (none in the body), the
        outermost first."""
        out: list[str] = []
        link_stack: list[bool] = []
        reference_end: int | None = None  # where in `out` the last reference closed
        # In a note's text citations are references, unless they are all the text is.
        references = bool(notes) and not _only_citations(children)
        depth = 0  # brackets the author opened in the text so far (not in code or link text)
        for child in children:
            kind = child.type
            if kind == "citation" and references:
                reference_end = self._add_reference(child, out, reference_end, depth > 0)
                continue
            if kind == "footnote_ref" and notes:
                reference_end = self._add_inner_note(
                    child.meta["id"], footnotes, notes, out, reference_end, depth > 0
                )
                continue
            if kind in ("text", "address"):
                shown = child.content
                if kind == "text" and self._language:
                    shown = no_break_spaces(self._language, shown)
                out.append(str(escape(shown)))
                if not link_stack:
                    depth = _bracket_depth(child.content, depth)
            elif kind == "code_inline":
                out.append(f"<code>{escape(child.content)}</code>")
            elif kind in ("softbreak",):
                out.append("\n")
            elif kind == "hardbreak":
                out.append("<br>")
            elif kind == "em_open":
                out.append("<em>")
            elif kind == "em_close":
                out.append("</em>")
            elif kind == "strong_open":
                out.append("<strong>")
            elif kind == "strong_close":
                out.append("</strong>")
            elif kind == "link_open":
                href = child.attrGet("href") or ""
                safe = bool(_SAFE_LINK.match(href))
                link_stack.append(safe)
                if safe:
                    out.append(f'<a href="{escape(href)}">')
            elif kind == "link_close":
                if link_stack and link_stack.pop():
                    out.append("</a>")
            elif kind == "citation" and notes:  # a note that is only citations: no span of its own
                note = self._cite(self._cited_source(child), child.meta["locator"])
                out.append(f"{' ' if out and not out[-1][-1:].isspace() else ''}{note}")
            elif kind == "citation":
                _trim_space_before_note(out)
                source = self._cited_source(child)
                note = self._cite(source, child.meta["locator"])
                if self._cited_visible(source):
                    out.append(f'<span class="footnote" data-source="{escape(source)}">{note}</span>')
                else:
                    out.append(f'<span class="footnote">{note}</span>')
            elif kind == "footnote_ref":
                _trim_space_before_note(out)
                inner = self._note_text(child.meta["id"], footnotes, (child.meta["id"],)).strip()
                out.append(f'<span class="footnote">{inner}</span>')
            elif kind == "image":  # disabled in the parser; kept for safety
                out.append(str(escape(child.content)))
        return "".join(out)

    def _cited_source(self, citation) -> str:
        source = citation.meta["source"]
        if source not in self.cited:
            self.cited.append(source)
        return source

    def _note_text(self, note_id: int, footnotes, notes: tuple[int, ...]) -> str:
        body = footnotes.get(note_id, [])
        return " ".join(self._render_inline(t.children or [], footnotes, notes) for t in body)

    def _add_reference(self, citation, out: list[str], reference_end: int | None, inside: bool) -> int | None:
        """A citation in a footnote's text, "text (Source B, p. 3)": one pair of brackets
        for citations with only white space between them, "(Source A; Source B)"; none
        `inside` brackets the author opened ("(see [@a])": "(see Source A)")."""
        reference = self._reference(self._cited_source(citation), citation.meta["locator"])
        if not reference:  # plain_text's: no citations, no empty brackets
            _trim_space_before_note(out)
            return reference_end
        return _add_bracketed(str(reference), out, reference_end, inside, self._opening)

    def _add_inner_note(
        self,
        note_id: int,
        footnotes,
        notes: tuple[int, ...],
        out: list[str],
        reference_end: int | None,
        inside: bool,
    ) -> int | None:
        """A footnote called from a footnote's text: its text in brackets there, as a
        reference is. One that calls itself (or an enclosing note) adds nothing: its text
        is being given already."""
        if note_id in notes:
            _trim_space_before_note(out)
            return reference_end
        inner = self._note_text(note_id, footnotes, (*notes, note_id))
        inner = str(without_full_stop(Markup(inner.strip())))
        if not inner:
            return reference_end
        return _add_bracketed(inner, out, reference_end, inside, self._opening)


def _only_citations(children) -> bool:
    """Whether an inline text is citations and white space alone (a note "[^1]: [@report]")."""
    return all(
        c.type == "citation" or (c.type in ("text", "softbreak") and not c.content.strip()) for c in children
    )


def _add_bracketed(
    text: str, out: list[str], reference_end: int | None, inside: bool, opening: str = ""
) -> int:
    """`text` added to a note's text in brackets, sharing the pair of the reference that
    closed at `reference_end` when only white space lies between ("(A; B)"); `inside`
    brackets of the author's, without a pair of its own. Returns where the pair closes."""
    if reference_end == len(out) - 1:  # right after the last one's ")"
        out[-1:] = [f"; {text}", out[-1]]
    elif reference_end == len(out) - 2 and not out[-1].strip():  # white space between
        out[-2:] = [f"; {text}", out[-2]]
    elif inside:  # the author's brackets serve; "" stands for the ")" not written
        _space_before_reference(out, opening or _OPENING)
        out.extend([text, ""])
    else:
        _space_before_reference(out, opening or _OPENING)
        out.extend([f"({text}", ")"])
    return len(out) - 1


def _bracket_depth(text: str, depth: int) -> int:
    """The author's open brackets after `text`, given `depth` before it: a ")" without an
    open one ("a) first, b) second") closes nothing."""
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
    return depth


def _space_before_reference(out: list[str], opening: str) -> None:
    # "text[@report]" or "text [@report]" alike: "text (Report)"; none after an opening
    # bracket or quotation mark (the output language's: MarkdownRenderer._opening).
    if out and out[-1] and not out[-1][-1].isspace() and out[-1][-1] not in opening:
        out.append(" ")


def _trim_space_before_note(out: list[str]) -> None:
    # "detention [@report]" is written with a space for legibility, or with the citation
    # at the start of the next line (a soft break); the note call sits against the word,
    # as typeset footnotes do.
    while out and out[-1].isspace():
        out.pop()
    if out and out[-1][-1:].isspace():
        out[-1] = out[-1].rstrip()


def _body_tokens(tokens):
    """The tokens outside the footnote definitions block."""
    depth = 0
    for token in tokens:
        if token.type == "footnote_block_open":
            depth += 1
        elif token.type == "footnote_block_close":
            depth -= 1
        elif depth == 0:
            yield token


def _collect_footnotes(tokens) -> dict[int, list]:
    notes: dict[int, list] = {}
    current: int | None = None
    for token in tokens:
        if token.type == "footnote_open":
            current = token.meta["id"]
            notes[current] = []
        elif token.type == "footnote_close":
            current = None
        elif current is not None and token.type == "inline":
            notes[current].append(token)
    return notes


# What can make markdown of a text anything but its words: inline syntax (emphasis, code,
# links, footnotes and citations, autolinks, entities, escapes) anywhere, block syntax
# (lists, headings, setext underlines, quotes, fences) at a line's start, and the characters
# the parser replaces. A text without any of them is one or more plain paragraphs.
_MARKDOWN_SYNTAX = re.compile(r"[\\`*_\[\]<>&\0\r]|^[ \t]*(?:[-+=#~>]|\d+[.)])", re.MULTILINE)


@lru_cache(maxsize=16384)
def plain_text(text: str | None) -> str:
    """The words of a markdown value without markup (for metadata and leak checks)."""
    if not text:
        return ""
    if not _MARKDOWN_SYNTAX.search(text):
        # Its words as they are, without a parse: the leak check asks for every text an
        # output shows, most of them plain sentences no template rendered as markdown.
        return " ".join(text.split())
    renderer = MarkdownRenderer(lambda source, locator: Markup(""))
    html = str(renderer.block(text))
    html = re.sub(r"<[^>]+>", " ", html)
    from html import unescape

    return " ".join(unescape(html).split())
