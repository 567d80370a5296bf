"""webnav: note calls and the list of notes, links to sources, heading ids; and that what
it adds for the screen stays out of the DOCX and the PDF's text."""

from __future__ import annotations

from markupsafe import Markup

from briefgen.markdown import MarkdownRenderer
from briefgen.webnav import add_web_navigation

DOC = (
    '<body><header><h1 id="title">T</h1></header><main>'
    '<h4>Why it matters</h4><p>Word\n<span class="footnote" data-source="rep">'
    "<em>Report</em>, 2015.</span> and more"
    '<span class="footnote">A <span class="nobreak">x y</span>.</span>.</p>'
    "<h4>Why it matters</h4>"
    '<ul class="sources"><li id="source-rep"><em>Report</em></li></ul></main></body>'
)


def test_notes_are_numbered_linked_and_listed_at_the_end_of_main():
    html = add_web_navigation(DOC, "Notes", "Back to the text")
    # The call sits against its word; the line break stays for print, hidden on screen.
    assert (
        'Word<sup class="footnote-call screen-only"><a id="note-1-call" href="#note-1">1</a></sup>'
        '<span class="print-only">\n</span><span class="footnote" data-source="rep">'
    ) in html
    assert 'more<sup class="footnote-call screen-only"><a id="note-2-call" href="#note-2">2</a></sup>' in html
    notes = html[html.index('<section class="notes screen-only"') : html.index("</main>")]
    assert '<h1 class="section" id="notes">Notes</h1>' in notes
    assert '<li id="note-1"><a href="#source-rep"><em>Report</em></a>, 2015.' in notes
    assert 'href="#note-1-call" aria-label="Back to the text (1)"' in notes
    # A nested span does not end the note early.
    assert '<li id="note-2">A <span class="nobreak">x y</span>. <a class="footnote-back"' in notes
    # The original notes are still in place, for the PDF and the DOCX.
    assert html.count('<span class="footnote"') == 2


def test_every_heading_gets_a_unique_id():
    html = add_web_navigation(DOC, "Notes", "Back")
    assert '<h1 id="title">T</h1>' in html
    assert '<h4 id="why-it-matters">' in html and '<h4 id="why-it-matters-2">' in html


def test_every_heading_links_to_itself():
    html = add_web_navigation(DOC, "Notes", "Back", anchor_label="Link to this section")
    assert (
        '<h1 id="title">T<a class="heading-anchor screen-only" href="#title" '
        'aria-label="Link to this section">#</a></h1>'
    ) in html
    assert 'Why it matters<a class="heading-anchor screen-only" href="#why-it-matters-2"' in html
    # The list of notes' own heading too; without a label (as before), no links are added.
    assert 'href="#notes" aria-label="Link to this section">#</a></h1>' in html
    assert "heading-anchor" not in add_web_navigation(DOC, "Notes", "Back")
    # Links do not nest: a heading that holds a link keeps it alone.
    linked = '<body><main><h2 id="x"><a href="https://example.org">Out</a></h2></main></body>'
    assert add_web_navigation(linked, "Notes", "Back", anchor_label="L") == linked


def test_the_marking_banner_opens_the_body():
    head = "<html><head><style>/* the banner goes first in <body> */</style></head>"
    letter = '<body class="x">\n<section class="letter"><p>Dear</p></section><main><p id="marking-banner">'
    html = add_web_navigation(head + letter + "x</p></main></body></html>", "N", "B", marking="Internal & co")
    banner = (
        '<body class="x">\n<div class="marking-banner screen-only" role="region" '
        'aria-labelledby="marking-banner-2"><p id="marking-banner-2">Internal &amp; co</p></div>'
    )
    assert banner in html  # before the letter, named by its own words, its id unique
    assert html.index("marking-banner screen-only") < html.index('class="letter"')
    assert html.count("Internal &amp; co") == 1
    assert "marking-banner screen-only" not in add_web_navigation(head + letter, "N", "B")


def test_no_notes_no_list_and_no_link_to_a_missing_source():
    plain = "<body><main><p>x</p></main></body>"
    assert add_web_navigation(plain, "Notes", "Back") == plain
    html = add_web_navigation(DOC.replace('id="source-rep"', ""), "Notes", "Back")
    assert 'href="#source-rep"' not in html


def test_a_withheld_source_is_not_named_in_the_note():
    shown = {"seen"}
    md = MarkdownRenderer(lambda s, loc: Markup("Source withheld."), cited_visible=shown.__contains__)
    assert '<span class="footnote" data-source="seen">' in md.block("a [@seen] b [@hidden]")
    assert 'data-source="hidden"' not in md.block("a [@hidden]")


def test_the_docx_leaves_out_what_is_only_for_the_screen(tmp_path):
    import zipfile
    from datetime import UTC, datetime

    from briefgen.document import RenderedDocument
    from briefgen.theme import BUILTIN_THEMES, load_theme
    from briefgen.writers.docx import write

    body = add_web_navigation(
        DOC, "Notes", "Back to the text", anchor_label="Link here", marking="Banner words"
    )
    assert 'class="heading-anchor screen-only"' in body and "Banner words" in body
    body = body.removeprefix("<body>").removesuffix("</body>")
    body += '<footer class="page-footer screen-only"><p>Publisher line</p></footer>'
    html = f'<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>{body}</body></html>'
    document = RenderedDocument(
        html=html,
        theme=load_theme(BUILTIN_THEMES / "default"),
        read_resource=lambda src: (b"", "image/png"),
        base_url="file:///",
        template="policy-brief.html.j2",
        language="en",
        timestamp=datetime(2016, 1, 19, tzinfo=UTC),
    )
    write(document, tmp_path / "t.docx")
    assert document.warnings == []
    with zipfile.ZipFile(tmp_path / "t.docx") as archive:
        body_xml = archive.read("word/document.xml").decode()
        notes_xml = archive.read("word/footnotes.xml").decode()
    assert "Notes" not in body_xml and "Publisher line" not in body_xml and "Back to the text" not in body_xml
    # Neither the headings' links to themselves nor the marking banner (the DOCX has the
    # marking in its headers and footers, from the meta element).
    assert "Why it matters" in body_xml and ">#<" not in body_xml and "Link here" not in body_xml
    assert "Banner words" not in body_xml
    assert body_xml.count("w:footnoteReference ") == 2
    assert "Report" in notes_xml and "x y" in notes_xml


def test_a_note_links_to_its_source_only_when_that_exact_source_is_listed():
    # The listed ids are read once for the whole document: an id that only begins like a
    # listed one ("re" of "rep") is not listed.
    listed_longer = DOC.replace('data-source="rep"', 'data-source="re"')
    assert 'href="#source-re"' not in add_web_navigation(listed_longer, "Notes", "Back")
    two = DOC.replace(
        '<li id="source-rep">', '<li id="source-other"><em>Other</em></li><li id="source-rep">'
    ).replace("and more<span", 'and more<span class="footnote" data-source="other"><em>O</em>.</span><span')
    html = add_web_navigation(two, "Notes", "Back")
    assert '<a href="#source-rep"><em>Report</em></a>' in html
    assert '<a href="#source-other"><em>O</em></a>' in html
    assert 'href="#source-' + "nowhere" not in add_web_navigation(
        two.replace('data-source="other"', 'data-source="nowhere"'), "Notes", "Back"
    )
