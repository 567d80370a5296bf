"""Web navigation: a rendered document -> the same document with the links a web page needs.

The print document floats each `<span class="footnote">` to the foot of its page; a web
page has no pages. So every note gets a numbered call (`<sup class="footnote-call
screen-only">`) placed just before it, and a list of notes at the end of `<main>` (`<section
class="notes screen-only">`) whose entries link back to their calls; a citation's entry links
to its source in the list of sources. Headings without an id get one made from their text,
and every heading ends with a link to itself (`<a class="heading-anchor screen-only">#</a>`,
shown on hover and focus) whose address a reader can copy. The notes are numbered in
reading order, as both writers number footnotes, so the web page and the PDF agree.

A printed page carries the protective marking in its margins; a web page has one top. An
output with a marking gets it as the first thing in `<body>` (`<div class="marking-banner
screen-only" role="region">`, named by its own text), before a recipient's letter, so a
screen reader announces it first and the screen CSS keeps it in view.

Everything added for the screen carries the class `screen-only`: hidden in print (so the
PDF's text does not change) and left out of the DOCX. Text is only added, never moved: the
document otherwise stays byte for byte what the template made.
"""

from __future__ import annotations

import re

from markupsafe import escape

from .slugs import suggest_slug

_HEADING = re.compile(r"<h([1-4])((?:\s+[a-z-]+=\"[^\"]*\")*)>(.*?)</h\1>", re.S)
_ID = re.compile(r'\sid="([^"]*)"')
_NOTE_OPEN = re.compile(r'<span class="footnote"((?:\s+[a-z-]+="[^"]*")*)>')
_SPAN_TAG = re.compile(r"<span\b[^>]*>|</span>")
_SOURCE = re.compile(r'\sdata-source="([^"]*)"')
# Whether `id="source-ID"` is in the document, for every ID at once (a note's source cannot
# hold a quote: it is read from an attribute).
_LISTED_SOURCE = re.compile(r'id="source-([^"]*)"')
_TITLE = re.compile(r"<em\b[^>]*>.*?</em>", re.S)


def add_web_navigation(
    html: str,
    notes_label: str,
    back_label: str,
    anchor_label: str | None = None,
    marking: str | None = None,
) -> str:
    """Ids on every heading, numbered note calls and the list of notes (see the module);
    with `anchor_label` (the anchors' accessible name) a link on every heading, with
    `marking` the banner."""
    html = _heading_ids(html)
    html = _link_notes(html, notes_label, back_label)
    if anchor_label:
        html = _heading_anchors(html, anchor_label)
    if marking:
        html = _marking_banner(html, marking)
    return html


def _heading_anchors(html: str, label: str) -> str:
    """A link to itself at the end of every heading with an id (but one holding a link: links
    do not nest). Inside the heading, so print and the DOCX keep their structure: hidden in
    print, left out of the DOCX and of the contents (filled in before)."""

    def with_anchor(match: re.Match) -> str:
        found = _ID.search(match.group(2))
        if found is None or "<a " in match.group(3) or "<a>" in match.group(3):
            return match.group(0)
        level = match.group(1)
        link = (
            f'<a class="heading-anchor screen-only" href="#{found.group(1)}" '
            f'aria-label="{escape(label)}">#</a>'
        )
        return f"<h{level}{match.group(2)}>{match.group(3)}{link}</h{level}>"

    return _HEADING.sub(with_anchor, html)


_BODY = re.compile(r"<body\b[^>]*>")


def _marking_banner(html: str, marking: str) -> str:
    # After the head: a stylesheet's comment may name the element.
    body = _BODY.search(html, max(html.find("</head>"), 0))
    if body is None:
        return html
    anchor, n = "marking-banner", 2
    while f'id="{anchor}"' in html:
        anchor, n = f"marking-banner-{n}", n + 1
    banner = (
        f'\n<div class="marking-banner screen-only" role="region" aria-labelledby="{anchor}">'
        f'<p id="{anchor}">{escape(marking)}</p></div>'
    )
    return html[: body.end()] + banner + html[body.end() :]


def _heading_ids(html: str) -> str:
    taken = set(_ID.findall(html))

    def with_id(match: re.Match) -> str:
        if _ID.search(match.group(2)):
            return match.group(0)
        text = re.sub(r"<[^>]+>", "", match.group(3))
        base = suggest_slug(text) or "section"
        anchor, n = base, 2
        while anchor in taken:
            anchor, n = f"{base}-{n}", n + 1
        taken.add(anchor)
        level = match.group(1)
        return f'<h{level}{match.group(2)} id="{anchor}">{match.group(3)}</h{level}>'

    return _HEADING.sub(with_id, html)


def _link_notes(html: str, notes_label: str, back_label: str) -> str:
    out: list[str] = []
    notes: list[str] = []
    listed: set[str] | None = None  # the sources in the list of sources, read once
    pos = 0
    while (found := _NOTE_OPEN.search(html, pos)) is not None:
        end = _span_end(html, found.end())
        if end is None:
            break  # unbalanced spans: leave the rest of the document as it is
        number = len(notes) + 1
        body = html[found.end() : end]
        source = _SOURCE.search(found.group(1))
        if source and listed is None:
            listed = set(_LISTED_SOURCE.findall(html))
        if source and source.group(1) in listed:
            # The title of the cited source leads to its entry in the list of sources.
            target = f"#source-{source.group(1)}"
            body = _TITLE.sub(lambda m, t=target: f'<a href="{t}">{m.group(0)}</a>', body, count=1)
        notes.append(
            f'<li id="note-{number}">{body} <a class="footnote-back" href="#note-{number}-call" '
            f'aria-label="{escape(back_label)} ({number})">^</a></li>'
        )
        before = html[pos : found.start()]
        text = before.rstrip()
        # The call sits against the word it follows, even where the note's markdown came
        # after a line break (the white space stays after the call, hidden on screen: the
        # PDF keeps its text).
        out.append(text)
        out.append(
            f'<sup class="footnote-call screen-only"><a id="note-{number}-call" href="#note-{number}">'
            f"{number}</a></sup>"
        )
        if before[len(text) :]:
            out.append(f'<span class="print-only">{before[len(text) :]}</span>')
        out.append(html[found.start() : end + len("</span>")])
        pos = end + len("</span>")
    if not notes:
        return html
    out.append(html[pos:])
    html = "".join(out)
    anchor, n = "notes", 2
    while f'id="{anchor}"' in html:
        anchor, n = f"notes-{n}", n + 1
    section = (
        f'<section class="notes screen-only" aria-labelledby="{anchor}">\n'
        f'<h1 class="section" id="{anchor}">{escape(notes_label)}</h1>\n<ol>\n'
        + "\n".join(notes)
        + "\n</ol>\n</section>\n"
    )
    at = html.rfind("</main>")
    if at < 0:
        at = html.rfind("</body>")
    if at < 0:
        return html + section
    return html[:at] + section + html[at:]


def _span_end(html: str, start: int) -> int | None:
    """Where the <span> opened just before `start` closes (spans may nest inside a note)."""
    depth = 1
    for tag in _SPAN_TAG.finditer(html, start):
        depth += -1 if tag.group(0) == "</span>" else 1
        if depth == 0:
            return tag.start()
    return None
