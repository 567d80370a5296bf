"""DOCX writer: turn the rendered HTML document into a native, styled Word document.

The chain, one step per line of `build()`:

    HTML  -> head metadata + body tree          (html_walker.parse_html / read_head)
    theme -> page geometry + named Word styles  (styles)
    body  -> w:body, footnotes, numbering       (html_walker.HtmlWalker)
    head  -> running header, page-number footer (oxml fields)
    parts -> python-docx package, cleaned       (package: metadata, leftovers, rsids)
    package -> reproducible zip bytes           (package.save)

The same HTML makes the PDF, so both formats carry the same words in the same order.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.parts.story import StoryPart

from ...document import RenderedDocument, WrittenFile
from . import embedded_fonts, line_spacing, oxml, package, styled_blocks, theme_styles
from .html_walker import Head, HtmlWalker, body_of, parse_html, read_head
from .styles import LIST_INDENT, page_geometry, word_language
from .stylesheet import StyleSheet, build_style_sheet, patch_theme_fonts

__all__ = ["build", "write"]


def write(document: RenderedDocument, target: Path) -> WrittenFile:
    """Write `document` as a .docx file at `target`."""
    target = Path(target)
    target.write_bytes(build(document))
    return WrittenFile(path=target, format="docx", pages=None)


def build(document: RenderedDocument) -> bytes:
    """The .docx file for `document`, as bytes (identical input gives identical bytes)."""
    tree = parse_html(document.html)
    head = read_head(tree)
    template = document.template or head.template or "template"
    lang = word_language(document.language or head.lang or "en")
    theme = document.theme
    geometry = page_geometry(theme)
    extra = partial(theme_styles.class_styles, theme)  # the theme's custom classes
    styles, theme_part_blob = build_style_sheet(theme, lang, geometry, extra)

    doc = docx.Document()
    pkg = doc.part.package
    package.drop_leftovers(pkg)
    main = doc.part
    footnotes_part = StoryPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, oxml.footnotes_root(), pkg)
    numbering = oxml.Numbering(LIST_INDENT, LIST_INDENT)

    walker = HtmlWalker(document, styles, main, footnotes_part, numbering, geometry.text_width, template)
    walker.walk(body_of(tree))

    letter = walker.letter_end is not None
    refs = _headers_and_footers(
        main,
        styles,
        head,
        cover=walker.has_cover,
        text_runs=walker.text_runs,
        letter=letter,
        pages=document.page_count,
        text_width=geometry.text_width,
    )
    body = walker.body
    line_spacing.keep_pictures_whole(body, styles.element)
    if letter:
        # The letter is a section of its own, without running title or page numbers (only the
        # protective marking, as on the PDF's letter pages); the brief after it counts its
        # pages (and footnotes) from 1, as the PDF does.
        ppr = walker.letter_end.find(oxml.qn("w:pPr"))
        ppr.append(oxml.section_properties(geometry, _letter_furniture(main, styles, head), title_page=False))
    # Blocks in columns (theme `styles`) are sections of their own; the last section's
    # properties end the body.
    body.append(
        styled_blocks.place_sections(
            walker, geometry, refs, title_page=walker.has_cover and bool(refs), restart=letter
        )
    )
    root = oxml.root("w:document")
    root.append(body)
    main._element = root
    if walker.footnote_count:
        footnotes_part._element = walker.footnotes
        main.relate_to(footnotes_part, RT.FOOTNOTES)

    main.part_related_by(RT.STYLES)._element = styles.element
    main.part_related_by(RT.NUMBERING)._element = numbering.element()
    theme_part = main.part_related_by(RT.THEME)
    theme_part._blob = theme_part_blob or patch_theme_fonts(theme_part.blob, theme)
    embedded = _font_table(main, theme, walker.script_families, "".join(walker.code_text))
    main.part_related_by(RT.SETTINGS)._element = oxml.settings(
        lang, footnotes=bool(walker.footnote_count), mirror_margins=geometry.mirror, embedded_fonts=embedded
    )

    package.set_metadata(
        pkg,
        package.core_properties(
            title=head.title,
            subject=head.description,
            creator=head.author,
            keywords=head.keywords,
            language=document.language or head.lang,
            timestamp=document.timestamp,
        ),
    )
    package.strip_all_rsids(pkg, built=(root, walker.footnotes))
    return package.save(pkg)


def _font_table(main, theme, script_families: set[str], code_text: str) -> bool:
    """fontTable.xml naming the theme's families, the script fonts the text needs and every
    family the parts name, with the fonts embedded unless the theme says `fonts: {embed:
    false}`. True if any was embedded. The monospace (named by the Code style whether or not
    any run uses it) is listed and embedded only for `code_text`, what <code> shows, unless
    something else names it too (a theme class set in it)."""
    stories = [
        part._element for part in main.package.iter_parts() if getattr(part, "_element", None) is not None
    ]
    mono = theme.mono_font
    code_only = mono not in (theme.body_font, theme.heading_font) and not embedded_fonts.named_outside_style(
        stories, mono, "Code"
    )
    fonts = [theme.body_font, theme.heading_font, *theme.body_fallback, *theme.heading_fallback]
    if mono not in fonts and (code_text.strip() or not code_only):
        fonts.append(mono)
    fonts += sorted(script_families - set(fonts))  # only the scripts the text has
    table = main.part_related_by(RT.FONT_TABLE)
    if not theme.embed_fonts:
        table._blob = oxml.font_table(fonts)
        return False
    # Without code, the Code style's name alone: the monospace is not embedded.
    named = [f for f in embedded_fonts.named_families(stories) if f != mono or mono in fonts]
    text = embedded_fonts.document_characters(stories)
    only = {mono: code_text} if code_only else {}
    return bool(embedded_fonts.embed(table, [*fonts, *named], text, theme, named=named, only=only))


def _letter_furniture(main, styles: StyleSheet, head: Head) -> list[tuple[str, str, str]]:
    """Header and footer of a recipient's letter: the marking alone, or (public) none at all."""
    refs: list[tuple[str, str, str]] = []
    if not head.marking:
        return refs
    for kind, tag, add in (
        ("headerReference", "w:hdr", main.add_header_part),
        ("footerReference", "w:ftr", main.add_footer_part),
    ):
        part, rid = add()
        part._element = oxml.root(tag)
        _marking(part._element, styles, head.marking)
        refs.append((kind, "default", rid))
    return refs


def _marking(part, styles: StyleSheet, marking: str) -> None:
    """The protective marking as a centred paragraph of its own in a header or footer: on a
    line of its own it stays readable whatever the length of the running title."""
    if marking:
        oxml.run(oxml.paragraph(part, styles.id("Running Marking")), marking)


def _headers_and_footers(
    main,
    styles: StyleSheet,
    head: Head,
    cover: bool,
    text_runs=None,
    letter: bool = False,
    pages: int | None = None,
    text_width: int | None = None,
) -> list[tuple[str, str, str]]:
    """Running header and page-number footer, each with the protective marking when there is
    one (above the header, below the footer); first-page ones when there is a cover (empty,
    or the marking alone).
    After a recipient's letter the footer counts the brief's own pages (SECTIONPAGES), with
    `pages`, the PDF's count, as the cached result until Word updates the fields.
    `text_runs(paragraph, text)` writes a text in the scripts' character styles."""
    refs: list[tuple[str, str, str]] = []
    if head.running_title or head.running_publisher or head.marking:
        part, rid = main.add_header_part()
        part._element = oxml.root("w:hdr")
        _marking(part._element, styles, head.marking)
        # As the PDF's @top-left and @top-right: the title at the margin, the publisher at
        # the one tab stop, right at the text width (the Header style's, or set here over a
        # reference.docx's own stops).
        tabs = None if text_width is None else styles.right_tab_only(styles.id("Header"), text_width)
        p = oxml.paragraph(part._element, styles.id("Header"), tabs=tabs)
        if text_runs is not None:
            text_runs(p, head.running_title)
        else:
            oxml.run(p, head.running_title)
        if head.running_publisher:
            publisher = oxml.run(p)
            oxml.sub(publisher, "w:tab")
            oxml.add_text(publisher, head.running_publisher)
        refs.append(("headerReference", "default", rid))
    if head.page_label or head.marking:
        part, rid = main.add_footer_part()
        part._element = oxml.root("w:ftr")
        p = oxml.paragraph(part._element, styles.id("Footer"))
        for piece in re.split(r"(\{pages?\})", head.page_label):
            if piece == "{page}":
                oxml.field(p, "PAGE", "1")
            elif piece == "{pages}":
                # After a letter, the brief's own pages: its section's, not the whole file's.
                oxml.field(p, "SECTIONPAGES" if letter else "NUMPAGES", str(pages or 1))
            elif piece:
                oxml.run(p, piece)
        _marking(part._element, styles, head.marking)
        refs.append(("footerReference", "default", rid))
    if cover and refs:
        for kind, tag, style, add in (
            ("headerReference", "w:hdr", "Header", main.add_header_part),
            ("footerReference", "w:ftr", "Footer", main.add_footer_part),
        ):
            part, rid = add()
            part._element = oxml.root(tag)
            if head.marking:
                _marking(part._element, styles, head.marking)
            else:
                oxml.paragraph(part._element, styles.id(style))
            refs.append((kind, "first", rid))
    return refs
