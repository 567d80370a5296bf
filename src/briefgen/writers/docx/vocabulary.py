"""The HTML vocabulary as the DOCX writer reads it: which elements are blocks, inline, left
out or reported, and the Word style a paragraph or inline class asks for
(docs/html-vocabulary.md is the table for authors)."""

from __future__ import annotations

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

BLOCK_TAGS = (
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


def is_inline(tag: str, in_paragraph: bool) -> bool:
    """Inline content of a flow; <img> only inside paragraph-like elements, and unknown
    elements count as inline inside a paragraph (as a browser would lay them out)."""
    if tag == "img":
        return in_paragraph
    return (
        tag in INLINE
        or tag in INLINE_UNKNOWN
        or (in_paragraph and tag not in BLOCK_TAGS and tag not in SILENT)
    )
