"""Theme tokens -> the catalogue of named Word styles, page geometry and the document language.

Every paragraph, character run and table the walker writes refers to a style defined here,
so a restyle in Word restyles the whole brief. With `theme.reference_docx` the designer's
styles.xml (and theme part) are used instead, and only styles it lacks are taken from this
catalogue (stylesheet.py merges the two and answers the walker's lookups).

Built-in styles carry Word's own internal names ("heading 1", "footnote text", "toc 1",
"caption", "header", ...) so Word recognises them as its built-ins (the TOC field, the
footnote machinery and the Styles pane all rely on that); lookups are case-insensitive, so
callers use the names as Word shows them ("Heading 1", "Footnote Text").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from lxml import etree

from ...theme import Theme
from ...tokens import PAGE_SIZES
from .line_spacing import exact, single
from .oxml import (
    BULLET_NUM,
    NUMBER_NUM,
    PPR_ORDER,
    RPR_ORDER,
    TBLPR_ORDER,
    TCPR_ORDER,
    num_pr,
    props,
    qn,
    sub,
)

LIST_INDENT = 360  # twips per list level (0.25 in)

# Language tags Word's proofing tools know, for bare language subtags.
_WORD_LOCALES = {
    "az": "az-Latn-AZ",
    "be": "be-BY",
    "bg": "bg-BG",
    "cs": "cs-CZ",
    "da": "da-DK",
    "de": "de-DE",
    "el": "el-GR",
    "en": "en-GB",
    "es": "es-ES",
    "et": "et-EE",
    "fi": "fi-FI",
    "fr": "fr-FR",
    "ga": "ga-IE",
    "hr": "hr-HR",
    "hu": "hu-HU",
    "hy": "hy-AM",
    "it": "it-IT",
    "ka": "ka-GE",
    "kk": "kk-KZ",
    "lt": "lt-LT",
    "lv": "lv-LV",
    "mt": "mt-MT",
    "nb": "nb-NO",
    "nl": "nl-NL",
    "nn": "nn-NO",
    "no": "nb-NO",
    "pl": "pl-PL",
    "pt": "pt-PT",
    "ro": "ro-RO",
    "ru": "ru-RU",
    "sk": "sk-SK",
    "sl": "sl-SI",
    "sq": "sq-AL",
    "sr": "sr-Latn-RS",
    "sv": "sv-SE",
    "tr": "tr-TR",
    "uk": "uk-UA",
    "ar": "ar-SA",
    "he": "he-IL",
    "fa": "fa-IR",
    "zh": "zh-CN",
    "ja": "ja-JP",
    "ko": "ko-KR",
}

# Character styles an inline element may ask for, in the order composites name them.
CHAR_ROLES = ("Hyperlink", "High Priority", "Strong", "Emphasis", "Code")


def word_language(tag: str) -> str:
    """An HTML language tag ("en", "az", "pt-br") as the locale Word's spell checker uses."""
    parts = [p for p in re.split(r"[-_]", tag.strip()) if p]
    if not parts:
        return "en-GB"
    if len(parts) == 1:
        return _WORD_LOCALES.get(parts[0].lower(), parts[0].lower())
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 else part.upper() if len(part) == 2 else part)
    return "-".join(out)


def twips_mm(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def _pt_mm(mm: float) -> float:
    return mm * 72 / 25.4


def twips_pt(pt: float) -> int:
    return round(pt * 20)


# Padding inside boxes and table cells comes from the theme's `boxes` and `tables` tokens,
# which the print CSS uses too: the two formats cannot drift apart.


def box_cell_margin(theme: Theme) -> int:
    """Twips left and right inside a Callout Box or Card Box."""
    return twips_mm(theme.boxes.padding_side)


def table_cell_margin(theme: Theme) -> int:
    """Twips left and right inside a Briefgen Table cell."""
    return twips_pt(theme.tables.cell_padding_side)


@dataclass(frozen=True)
class PageGeometry:
    """Page size and margins in twips (1/20 pt)."""

    width: int
    height: int
    top: int
    bottom: int
    left: int
    right: int
    header: int
    footer: int
    mirror: bool

    @property
    def text_width(self) -> int:
        return self.width - self.left - self.right


def page_geometry(theme: Theme) -> PageGeometry:
    page = theme.tokens.page  # typed: the size is one of PAGE_SIZES, margins are millimetres
    words = page.size.lower().split()
    w_mm, h_mm = PAGE_SIZES[words[0]]
    if "landscape" in words:
        w_mm, h_mm = h_mm, w_mm
    top, bottom = float(page.margin_top), float(page.margin_bottom)
    inner, outer = float(page.margin_inner), float(page.margin_outer)
    return PageGeometry(
        width=twips_mm(w_mm),
        height=twips_mm(h_mm),
        top=twips_mm(top),
        bottom=twips_mm(bottom),
        left=twips_mm(inner),
        right=twips_mm(outer),
        header=_running_distance(top, theme),
        footer=_running_distance(bottom, theme),
        mirror=inner != outer,
    )


# Header and footer hold at most two lines: the protective marking and the running line.
RUNNING_LINES = 2


def running_line_height(theme: Theme) -> dict:
    """w:spacing of a header or footer line: exact points, the theme's line height times the
    small size, so the marking and the running line never overlap whatever the font."""
    return exact(theme.sizes["small"], max(theme.line_height, 1.2))


def _running_distance(margin_mm: float, theme: Theme) -> int:
    """Twips from the page edge to the header (or footer): half the margin, at least 8 mm,
    but never so far in that the two lines (marking, running line) reach the body, which
    starts at the margin; Word and LibreOffice would otherwise push the body down (or, with
    an auto line height in another font, set the lines over one another)."""
    block = RUNNING_LINES * running_line_height(theme)["line"]
    gap = twips_pt(theme.sizes["small"])  # an em of air between the header and the body
    return max(0, min(twips_mm(max(margin_mm / 2, 8)), twips_mm(margin_mm) - block - gap))


# --- generated styles ---------------------------------------------------------------------


def _fonts(family: str) -> dict:
    return {"ascii": family, "hAnsi": family, "eastAsia": family, "cs": family}


def _hp(pt: float) -> dict:
    return {"val": round(pt * 2)}


def _spacing(before: float = 0, after: float = 0, line: float | None = None, *, ratio: float = 1.0) -> dict:
    """w:spacing attributes. `line` is a multiple of the font size, as CSS line-height is;
    Word's "auto" multiple is of the font's own line height, `ratio` ems (natural_line_height)."""
    spacing = {"before": twips_pt(before), "after": twips_pt(after)}
    if line is not None:
        spacing.update(line=round(240 * line / ratio), lineRule="auto")
    return spacing


def _border(color: str, size: int, space: int = 0) -> dict:
    return {"val": "single", "sz": size, "space": space, "color": color}


def _borders(tag: str, **sides: dict | None) -> etree._Element:
    el = etree.Element(qn(tag))
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if side in sides:
            value = sides[side] or {"val": "nil"}
            sub(el, f"w:{side}", value)
    return el


def _margins(tag: str, top: int, left: int, bottom: int, right: int) -> etree._Element:
    el = etree.Element(qn(tag))
    for side, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        sub(el, f"w:{side}", {"w": value, "type": "dxa"})
    return el


def _tabs(*stops: tuple[str, int, str | None]) -> etree._Element:
    el = etree.Element(qn("w:tabs"))
    for kind, pos, leader in stops:
        attrs = {"val": kind, "pos": pos}
        if leader:
            attrs["leader"] = leader
        sub(el, "w:tab", attrs)
    return el


def _style(
    kind: str,
    name: str,
    sid: str,
    *,
    based: str | None = None,
    next_: str | None = None,
    default: bool = False,
    priority: int | None = None,
    qformat: bool = False,
    semi_hidden: bool = False,
    ppr: dict | None = None,
    rpr: dict | None = None,
    tblpr: dict | None = None,
    tcpr: dict | None = None,
    first_row: tuple[dict, dict] | None = None,
) -> etree._Element:
    el = etree.Element(qn("w:style"))
    el.set(qn("w:type"), kind)
    if default:
        el.set(qn("w:default"), "1")
    el.set(qn("w:styleId"), sid)
    sub(el, "w:name", {"val": name})
    if based:
        sub(el, "w:basedOn", {"val": based})
    if next_:
        sub(el, "w:next", {"val": next_})
    if priority is not None:
        sub(el, "w:uiPriority", {"val": priority})
    if semi_hidden:
        sub(el, "w:semiHidden")
        sub(el, "w:unhideWhenUsed")
    if qformat:
        sub(el, "w:qFormat")
    for tag, order, spec in (
        ("w:pPr", PPR_ORDER, ppr),
        ("w:rPr", RPR_ORDER, rpr),
        ("w:tblPr", TBLPR_ORDER, tblpr),
        ("w:tcPr", TCPR_ORDER, tcpr),
    ):
        if spec:
            el.append(props(tag, order, spec))
    if first_row:
        rpr_spec, tcpr_spec = first_row
        tsp = sub(el, "w:tblStylePr", {"type": "firstRow"})
        for tag, order, spec in (("w:rPr", RPR_ORDER, rpr_spec), ("w:tcPr", TCPR_ORDER, tcpr_spec)):
            if spec:
                tsp.append(props(tag, order, spec))
    return el


# Run properties the style schema does not allow in a style's rPr (CT_RPrStyle).
STYLE_RUN_ONLY = frozenset({"rStyle", "rtl", "cs", "highlight"})


def generated_styles(theme: Theme, geometry: PageGeometry) -> list[etree._Element]:
    """Every style the walker uses, defined from the theme's tokens."""
    spacing = partial(_spacing, ratio=natural_line_height(theme))
    size = theme.sizes
    head = theme.heading_font
    brand, text, muted = theme.color("brand"), theme.color("text"), theme.color("muted")
    accent = theme.color("accent")
    box, rule = theme.color("box"), theme.color("rule")
    after = theme.paragraph_after
    line = theme.line_height
    table_size = size.get("table", round(size["body"] * 0.92 * 2) / 2)
    tw = geometry.text_width
    logo_jc = "right" if theme.logo_position == "right" else "left"
    box_top, box_bottom = twips_mm(theme.boxes.padding_top), twips_mm(theme.boxes.padding_bottom)
    cell_pad = twips_pt(theme.tables.cell_padding_vertical)
    P, C, T = "paragraph", "character", "table"

    styles = [
        _style(P, "Normal", "Normal", default=True, qformat=True, rpr={"color": {"val": text}}),
        _style(
            C, "Default Paragraph Font", "DefaultParagraphFont", default=True, priority=1, semi_hidden=True
        ),
        _style(
            T,
            "Normal Table",
            "TableNormal",
            default=True,
            priority=99,
            semi_hidden=True,
            tblpr={"tblInd": {"w": 0, "type": "dxa"}, "tblCellMar": _margins("w:tblCellMar", 0, 108, 0, 108)},
        ),
        _style("numbering", "No List", "NoList", default=True, priority=99, semi_hidden=True),
        _style(
            P,
            "Body Text",
            "BodyText",
            based="Normal",
            next_="BodyText",
            qformat=True,
            ppr={"spacing": spacing(0, after, line)},
        ),
        # Cover page
        _style(
            P,
            "Cover Logo",
            "CoverLogo",
            based="Normal",
            next_="Title",
            # Single spacing, never less: a tighter line clips the picture (line_spacing).
            ppr={"spacing": {**spacing(0, _pt_mm(theme.logo_gap_mm)), **single()}, "jc": {"val": logo_jc}},
        ),
        _style(
            P,
            "Title",
            "Title",
            based="Normal",
            next_="Subtitle",
            qformat=True,
            priority=10,
            ppr={
                "keepNext": True,
                "pBdr": _borders("w:pBdr", top=_border(brand, 24, 17)),
                "suppressAutoHyphens": True,
                # Exact points, as the PDF's line-height: 1.15 and a multiple of Noto's own
                # line height overlapped the lines in any other font (line_spacing).
                "spacing": {**spacing(0, _pt_mm(6)), **exact(size["title"], 1.15)},
            },
            rpr={
                "rFonts": _fonts(head),
                "b": True,
                "bCs": True,
                "color": {"val": brand},
                "kern": {"val": 28},
                "sz": _hp(size["title"]),
                "szCs": _hp(size["title"]),
            },
        ),
        _style(
            P,
            "Subtitle",
            "Subtitle",
            based="Normal",
            next_="CoverText",
            qformat=True,
            priority=11,
            ppr={
                "keepNext": True,
                "suppressAutoHyphens": True,
                "spacing": {**spacing(0, _pt_mm(12)), **exact(size["subtitle"], 1.3)},
            },
            rpr={
                "rFonts": _fonts(head),
                "color": {"val": muted},
                "sz": _hp(size["subtitle"]),
                "szCs": _hp(size["subtitle"]),
            },
        ),
        _style(
            P,
            "Cover Text",
            "CoverText",
            based="Normal",
            next_="CoverText",
            ppr={"spacing": spacing(0, 2, 1.3)},
            rpr={"rFonts": _fonts(head)},
        ),
        # A recipient's letter, as the print CSS sets it (.letter rules).
        _style(
            P,
            "Letterhead",
            "Letterhead",
            based="Normal",
            next_="Date",
            ppr={
                "keepNext": True,
                "pBdr": _borders("w:pBdr", bottom=_border(brand, 10, 8)),
                "spacing": spacing(0, _pt_mm(12), 1.2),
            },
            rpr={"rFonts": _fonts(head), "b": True, "bCs": True, "color": {"val": brand}},
        ),
        # Single line spacing: a paragraph holding a picture must not clip it.
        _style(
            P, "Letterhead Logo", "LetterheadLogo", based="Normal", next_="Letterhead", ppr={"keepNext": True}
        ),
        _style(P, "Letter Text", "LetterText", based="BodyText", next_="LetterText"),
        _style(
            P,
            "Date",
            "Date",
            based="Normal",
            next_="InsideAddress",
            ppr={"jc": {"val": "right"}, "spacing": spacing(0, _pt_mm(8), line)},
        ),
        _style(
            P,
            "Inside Address",
            "InsideAddress",
            based="Normal",
            next_="Salutation",
            ppr={"spacing": spacing(0, 0, line)},
        ),
        _style(
            P,
            "Salutation",
            "Salutation",
            based="Normal",
            next_="LetterText",
            ppr={"spacing": spacing(_pt_mm(10), _pt_mm(4), line)},
        ),
        _style(
            P,
            "Closing",
            "Closing",
            based="Normal",
            next_="Signature",
            ppr={"keepNext": True, "spacing": spacing(_pt_mm(6), _pt_mm(14), line)},
        ),
        _style(
            P,
            "Signature",
            "Signature",
            based="Normal",
            next_="SignatureRole",
            ppr={"keepNext": True, "spacing": spacing(0, 0, line)},
            rpr={"b": True, "bCs": True},
        ),
        _style(
            P,
            "Signature Role",
            "SignatureRole",
            based="Normal",
            next_="Signature",
            ppr={"spacing": spacing(0, _pt_mm(4), line)},
            rpr={"color": {"val": muted}, "sz": _hp(size["small"]), "szCs": _hp(size["small"])},
        ),
    ]
    for level in (1, 2, 3, 4):
        before, after_h = theme.headings.level(level).before, theme.headings.level(level).after
        pt = size[f"h{level}"]
        styles.append(
            _style(
                P,
                f"heading {level}",
                f"Heading{level}",
                based="Normal",
                next_="BodyText",
                qformat=True,
                priority=9,
                ppr={
                    "keepNext": True,
                    "keepLines": True,
                    # A rule under section headings, as h1.section in the print CSS.
                    "pBdr": _borders("w:pBdr", bottom=_border(brand, 10, 2)) if level == 1 else None,
                    "suppressAutoHyphens": True,
                    "spacing": {**spacing(before, after_h), **exact(pt, 1.2)},
                    "outlineLvl": {"val": level - 1},
                },
                rpr={
                    "rFonts": _fonts(head),
                    "b": True,
                    "bCs": True,
                    "color": {"val": brand if level < 4 else text},
                    "sz": _hp(pt),
                    "szCs": _hp(pt),
                },
            )
        )
    styles += [
        _style(
            P,
            "Small Text",
            "SmallText",
            based="BodyText",
            next_="BodyText",
            ppr={"spacing": spacing(0, after, 1.3)},
            rpr={"color": {"val": muted}, "sz": _hp(size["small"]), "szCs": _hp(size["small"])},
        ),
        # Small Text right under a heading (a speaker's role): kept with what follows.
        _style(P, "Heading Note", "HeadingNote", based="SmallText", next_="BodyText", ppr={"keepNext": True}),
        _style(
            P,
            "Status",
            "Status",
            based="BodyText",
            next_="BodyText",
            rpr={"rFonts": _fonts(head), "b": True, "bCs": True, "color": {"val": brand}},
        ),
        # The protective marking on the cover (<p class="marking">): boxed, bold and red.
        _style(
            P,
            "Marking",
            "Marking",
            based="BodyText",
            next_="BodyText",
            ppr={
                "pBdr": _borders(
                    "w:pBdr",
                    top=_border(accent, 8, 4),
                    left=_border(accent, 8, 4),
                    bottom=_border(accent, 8, 4),
                    right=_border(accent, 8, 4),
                ),
                "jc": {"val": "center"},
            },
            rpr={"rFonts": _fonts(head), "b": True, "bCs": True, "color": {"val": accent}},
        ),
        _style(
            P,
            "Quote",
            "Quote",
            based="BodyText",
            next_="BodyText",
            qformat=True,
            priority=29,
            ppr={
                "pBdr": _borders("w:pBdr", left=_border(rule, 16, 12)),
                "spacing": spacing(6, 8, line),
                "ind": {"left": twips_mm(5)},
            },
            rpr={"i": True, "iCs": True},
        ),
        _style(
            P,
            "caption",
            "Caption",
            based="Normal",
            next_="BodyText",
            qformat=True,
            priority=35,
            ppr={"keepNext": True, "spacing": spacing(3, 3, 1.3)},
            rpr={
                "color": {"val": muted},
                "sz": _hp(size["small"]),
                "szCs": _hp(size["small"]),
            },
        ),
        _style(
            P,
            "Figure",
            "Figure",
            based="Normal",
            next_="Caption",
            ppr={"keepNext": True, "spacing": {**spacing(6, 3), **single()}},
        ),
        _style(
            P,
            "Card Photo",
            "CardPhoto",
            based="Figure",
            next_="BodyText",
            # Floated beside the heading in the PDF, with no keep of its own; as the first
            # paragraph of a card a keep would stop the card from ever splitting (see box()).
            ppr={"keepNext": {"val": 0}, "spacing": {**spacing(0, 6), **single()}},
        ),
        _style(
            P,
            "Spacer",
            "Spacer",
            based="Normal",
            next_="BodyText",
            ppr={"spacing": spacing(0, 0, 1.0)},
            rpr={"sz": _hp(after * 1.5), "szCs": _hp(after * 1.5)},
        ),
        _style(
            P,
            "footnote text",
            "FootnoteText",
            based="Normal",
            priority=99,
            semi_hidden=True,
            ppr={"spacing": spacing(0, 2, 1.2)},
            rpr={"sz": _hp(size["footnote"]), "szCs": _hp(size["footnote"])},
        ),
        _style(
            C,
            "footnote reference",
            "FootnoteReference",
            based="DefaultParagraphFont",
            priority=99,
            semi_hidden=True,
            rpr={"vertAlign": {"val": "superscript"}},
        ),
        _style(
            P,
            "Field Label",
            "FieldLabel",
            based="Normal",
            next_="FieldValue",
            ppr={"keepNext": True, "spacing": spacing(0, 0, 1.3)},
            rpr={
                "rFonts": _fonts(head),
                "b": True,
                "bCs": True,
                "caps": True,
                "color": {"val": muted},
                "spacing": {"val": 7},
                "sz": _hp(size["small"]),
                "szCs": _hp(size["small"]),
            },
        ),
        _style(
            P,
            "Field Value",
            "FieldValue",
            based="Normal",
            next_="FieldLabel",
            ppr={"spacing": spacing(0, 4, line)},
        ),
        _style(
            P,
            "TOC Heading",
            "TOCHeading",
            based="Heading1",
            next_="TOC1",
            priority=39,
            qformat=True,
            ppr={
                "pBdr": _borders("w:pBdr", bottom=None),
                "spacing": {**spacing(0, 12), **exact(size["h1"], 1.2)},
                "outlineLvl": {"val": 9},
            },
        ),
        # Running header and footer look alike: small and muted. As in the PDF, the header
        # starts at the left margin and the publisher goes to the one tab stop, at the right
        # margin (@top-left, @top-right): a centre stop before it would catch the publisher
        # mid-page after a short running title. The footer's page number sits at the right.
        *(
            _style(
                P,
                internal,
                shown,
                based="Normal",
                priority=99,
                ppr={
                    "tabs": _tabs(("right", tw, None)),
                    "spacing": {"before": 0, "after": 0, **running_line_height(theme)},
                    "jc": {"val": align},
                },
                rpr={
                    "rFonts": _fonts(head),
                    "color": {"val": muted},
                    "sz": _hp(size["small"]),
                    "szCs": _hp(size["small"]),
                },
            )
            for internal, shown, align in (("header", "Header", "left"), ("footer", "Footer", "right"))
        ),
        # The protective marking in every header and footer, centred on a line of its own:
        # as the PDF's @top-center and @bottom-center, bold in the accent colour.
        _style(
            P,
            "Running Marking",
            "RunningMarking",
            based="Header",
            priority=99,
            ppr={"jc": {"val": "center"}},
            rpr={"b": True, "bCs": True, "color": {"val": accent}},
        ),
        _style(
            P,
            "Table Text",
            "TableText",
            based="Normal",
            ppr={"spacing": spacing(0, 0, 1.35)},
            rpr={"sz": _hp(table_size), "szCs": _hp(table_size)},
        ),
        _style(
            P,
            "Table Heading",
            "TableHeading",
            based="TableText",
            ppr={"keepNext": True},
            rpr={"rFonts": _fonts(head), "b": True, "bCs": True},
        ),
        # Character styles
        _style(
            C,
            "Hyperlink",
            "Hyperlink",
            based="DefaultParagraphFont",
            priority=99,
            rpr={"color": {"val": brand}, "u": {"val": "single"}},
        ),
        _style(
            C,
            "Emphasis",
            "Emphasis",
            based="DefaultParagraphFont",
            qformat=True,
            priority=20,
            rpr={"i": True, "iCs": True},
        ),
        _style(
            C,
            "Strong",
            "Strong",
            based="DefaultParagraphFont",
            qformat=True,
            priority=22,
            rpr={"b": True, "bCs": True},
        ),
        # A recommendation's "(high priority)" marker (.priority-high in the print CSS): the
        # colour belongs to the style, so it survives a restyle and reads as in the PDF.
        _style(
            C,
            "High Priority",
            "HighPriority",
            based="DefaultParagraphFont",
            qformat=True,
            priority=22,
            rpr={"b": True, "bCs": True, "color": {"val": accent}},
        ),
        _style(
            C,
            "Code",
            "Code",
            based="DefaultParagraphFont",
            # Not eastAsia: CJK in code keeps the script font the document gives it.
            rpr={"rFonts": {"ascii": theme.mono_font, "hAnsi": theme.mono_font, "cs": theme.mono_font}},
        ),
        # Table styles
        _style(
            T,
            "Briefgen Table",
            "BriefgenTable",
            based="TableNormal",
            priority=59,
            tblpr={
                "tblBorders": _borders("w:tblBorders", bottom=_border(rule, 4), insideH=_border(rule, 4)),
                "tblCellMar": _margins(
                    "w:tblCellMar", cell_pad, table_cell_margin(theme), cell_pad, table_cell_margin(theme)
                ),
            },
            first_row=(
                {"b": True, "bCs": True},
                {
                    "tcBorders": _borders("w:tcBorders", bottom=_border(brand, 8)),
                    "shd": {"val": "clear", "color": "auto", "fill": box},
                },
            ),
        ),
        _style(
            T,
            "Callout Box",
            "CalloutBox",
            based="TableNormal",
            tblpr={
                "tblBorders": _borders("w:tblBorders", left=_border(brand, 24)),
                "tblCellMar": _margins(
                    "w:tblCellMar", box_top, box_cell_margin(theme), box_bottom, box_cell_margin(theme)
                ),
            },
            tcpr={"shd": {"val": "clear", "color": "auto", "fill": box}},
        ),
        _style(
            T,
            "Card Box",
            "CardBox",
            based="TableNormal",
            tblpr={
                "tblBorders": _borders(
                    "w:tblBorders",
                    top=_border(brand, 24),
                    left=_border(rule, 6),
                    bottom=_border(rule, 6),
                    right=_border(rule, 6),
                ),
                "tblCellMar": _margins(
                    "w:tblCellMar", box_top, box_cell_margin(theme), box_bottom, box_cell_margin(theme)
                ),
            },
        ),
    ]
    for level in (1, 2, 3):
        suffix = "" if level == 1 else f" {level}"
        indent = {"left": LIST_INDENT * level, "hanging": LIST_INDENT}
        for name, num in (("List Bullet", BULLET_NUM), ("List Number", NUMBER_NUM)):
            styles.append(
                _style(
                    P,
                    name + suffix,
                    name.replace(" ", "") + suffix.strip(),
                    based="BodyText",
                    ppr={
                        "numPr": num_pr(num, level - 1),
                        "spacing": spacing(0, 2, line),
                        "ind": indent,
                    },
                )
            )
        styles.append(
            _style(
                P,
                "List Continue" + suffix,
                "ListContinue" + suffix.strip(),
                based="BodyText",
                ppr={"spacing": spacing(0, 2, line), "ind": {"left": LIST_INDENT * level}},
            )
        )
        styles.append(
            _style(
                P,
                f"toc {level}",
                f"TOC{level}",
                based="Normal",
                next_="BodyText",
                priority=39,
                semi_hidden=True,
                ppr={
                    "tabs": _tabs(("right", tw, "dot")),
                    "spacing": spacing(0, 3, 1.3),
                    "ind": {"left": twips_mm(6) * (level - 1)},
                },
            )
        )
    return styles


def _doc_defaults(theme: Theme, lang: str) -> etree._Element:
    spacing = partial(_spacing, ratio=natural_line_height(theme))
    el = etree.Element(qn("w:docDefaults"))
    sub(el, "w:rPrDefault").append(
        props(
            "w:rPr",
            RPR_ORDER,
            {
                "rFonts": _fonts(theme.body_font),
                "sz": _hp(theme.sizes["body"]),
                "szCs": _hp(theme.sizes["body"]),
                "lang": {"val": lang, "eastAsia": lang, "bidi": lang},
            },
        )
    )
    sub(el, "w:pPrDefault").append(
        props(
            "w:pPr",
            PPR_ORDER,
            {
                "widowControl": True,
                "spacing": spacing(0, theme.paragraph_after, theme.line_height),
            },
        )
    )
    return el


def natural_line_height(theme: Theme) -> float:
    """The body font's own line height, in ems: what Word and LibreOffice call single spacing.

    CSS line-height 1.45 means 1.45 times the font size; Word's "multiple 1.45" means 1.45
    times this, which for Noto (1.362 em) set the DOCX a third looser than the PDF. 1.0 when
    the theme ships no file for its body font (the style's multiples are then kept as written).
    """
    for font in theme.font_files:
        if font.family == theme.body_font and font.weight == 400 and font.style == "normal":
            return _font_line_height(font.path)
    return 1.0


@cache
def _font_line_height(path: Path) -> float:
    from ... import sfnt

    try:
        os2, head = sfnt.table(path, "OS/2"), sfnt.table(path, "head")
        if os2 and head:  # usWinAscent, usWinDescent; unitsPerEm
            height = (sfnt.uint16(os2, 74) + sfnt.uint16(os2, 76)) / sfnt.uint16(head, 18)
        else:  # not a plain font file (WOFF, a collection): fontTools reads it
            from fontTools.ttLib import TTFont

            font = TTFont(str(path), lazy=True)
            os2_table = font["OS/2"]
            height = (os2_table.usWinAscent + os2_table.usWinDescent) / font["head"].unitsPerEm
    except Exception:  # not a font that can be read: WeasyPrint will say so for the PDF
        return 1.0
    return height if 0.8 <= height <= 3 else 1.0
