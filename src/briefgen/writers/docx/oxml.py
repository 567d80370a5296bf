"""The small layer of raw WordprocessingML that python-docx lacks.

python-docx models paragraphs, runs, tables and pictures, but not footnotes, complex fields
(PAGE, NUMPAGES, TOC), hyperlinks, bookmarks, numbering definitions with restarts, table
header/cantSplit flags, settings or language. These helpers build those elements directly,
with their children in the order the schema (ECMA-376 part 1) requires, so Word opens the
result without a repair prompt.

Everything here works on plain lxml elements; nothing reads the HTML or the theme.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from docx.oxml.ns import nsmap
from docx.oxml.ns import qn as _qn
from docx.oxml.parser import oxml_parser
from lxml import etree

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# DrawingML measures in EMUs: 914400 an inch.
EMU_PER_TWIP = 635
EMU_PER_PX = 9525  # a CSS pixel is 1/96 in, as in the PDF
EMU_PER_MM = 36000
EMU_PER_CM = 360000

# Namespaces declared on the root of every story part (document, header, footer, footnotes).
STORY_NSMAP = {p: nsmap[p] for p in ("w", "r", "wp", "a", "pic")}

# Child order of the property elements we write (a subset of the schema's sequences).
PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "widowControl",
    "numPr",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "spacing",
    "ind",
    "contextualSpacing",
    "jc",
    "outlineLvl",
]
RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "noProof",
    "vanish",
    "color",
    "spacing",
    "kern",
    "sz",
    "szCs",
    "highlight",
    "u",
    "shd",
    "vertAlign",
    "rtl",
    "cs",
    "lang",
]
TBLPR_ORDER = ["tblStyle", "tblW", "jc", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook"]
TRPR_ORDER = ["cantSplit", "tblHeader"]
TCPR_ORDER = ["tcW", "gridSpan", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "vAlign"]
SECTPR_ORDER = ["footnotePr", "type", "pgSz", "pgMar", "pgNumType", "cols", "titlePg", "docGrid"]

# Characters XML 1.0 cannot carry; HTML may still contain them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Soft hyphen and non-breaking hyphen have their own elements in WordprocessingML.
_SPECIAL_CHARS = re.compile("([\u00ad\u2011])")


@lru_cache(maxsize=1024)
def qn(tag: str) -> str:
    """python-docx's qn ("w:p" -> "{namespace}p"), remembered: a long brief asks tens of
    thousands of times for the same few dozen names."""
    return _qn(tag)


@lru_cache(maxsize=256)
def _positions(order: tuple[str, ...]) -> dict[str, int]:
    return {name: index for index, name in enumerate(order)}


def root(tag: str, nsmap_: Mapping[str, str] = STORY_NSMAP) -> etree._Element:
    """A new root element (parsed by python-docx's parser, so its custom classes apply)."""
    prefix, local = tag.split(":")
    return oxml_parser.makeelement(f"{{{nsmap[prefix]}}}{local}", nsmap=dict(nsmap_))


# Attribute names as sub() writes them ("val" -> "{w namespace}val"): a dictionary look-up
# per attribute instead of a new f-string and a qn call (some 20 000 attributes a dossier).
_ATTRIBUTE_NAMES: dict[str, str] = {}


def _attribute(key: str) -> str:
    name = _ATTRIBUTE_NAMES.get(key)
    if name is None:
        name = _ATTRIBUTE_NAMES[key] = _qn(key if ":" in key else f"w:{key}")
    return name


def sub(parent: etree._Element, tag: str, attrs: Mapping[str, object] | None = None):
    """Append a child `tag` ("w:p") with attributes ({"w:val": 1}; bare names mean w:)."""
    el = etree.SubElement(parent, qn(tag))
    if attrs:
        for key, value in attrs.items():
            el.set(_attribute(key), str(value))
    return el


def ends_with(parent: etree._Element, tag: str) -> bool:
    """Whether the last child of `parent` is a `tag` ("w:tbl"). Not len(parent): lxml counts
    every child for it, and the body of a long brief has thousands, asked for each paragraph."""
    try:
        return parent[-1].tag == qn(tag)  # lxml finds the last child from the end
    except IndexError:  # no child
        return False


def append_copy(parent: etree._Element, template: etree._Element) -> etree._Element:
    """Append a copy of `template` (with its children) to `parent` and return it.

    The run, paragraph, row and cell templates below are built once per set of properties
    and copied for every use: lxml copies a subtree in C, several times faster than building
    the same elements again through props() and sub() (thousands of runs and cells a brief).
    """
    # lxml's __copy__ copies the whole subtree (copy.copy calls it, through a Python-level
    # dispatch that cost as much again).
    el = template.__copy__()
    parent.append(el)
    return el


def props(tag: str, order: Iterable[str], spec: Mapping[str, object]) -> etree._Element | None:
    """A property element (w:pPr, w:rPr, w:tblPr ...) from `spec`, children in schema order.

    `spec` maps a child name without prefix to True (empty element), a dict of attributes,
    or a ready element. None/False values are left out. Returns None when nothing is set.
    """
    positions = _positions(tuple(order))
    unknown = [name for name in spec if name not in positions]
    if unknown:
        raise ValueError(f"{tag}: cannot place {sorted(unknown)}")
    # Only the children that are set, in schema order (a run sets one or two of 23).
    chosen = sorted(
        (positions[name], name) for name, value in spec.items() if value is not None and value is not False
    )
    if not chosen:
        return None
    el = etree.Element(qn(tag))
    for _, name in chosen:
        value = spec[name]
        if isinstance(value, etree._Element):
            el.append(value)
        else:
            sub(el, f"w:{name}", value if isinstance(value, Mapping) else None)
    return el


def clean_text(text: str) -> str:
    return _INVALID_XML.sub("", text)


_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's white space: never a no-break space


def collapse(text: str) -> str:
    """Whitespace collapsed as HTML does, without characters XML cannot carry."""
    return _HTML_SPACE.sub(" ", clean_text(text)).strip(" ")


# Any character add_text must cut at or drop: one search instead of a sub and a split for
# the text of nearly every run, which has none.
_W_T = _qn("w:t")
_NOT_PLAIN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\u00ad\u2011]")


def _set_text(t: etree._Element, text: str) -> None:
    """A w:t's text, its spaces kept where Word would drop them (at an end, or doubled)."""
    t.text = text
    if text != text.strip(" ") or "  " in text:
        t.set(XML_SPACE, "preserve")


def add_text(run: etree._Element, text: str) -> None:
    """Append `text` to a w:r as w:t pieces (soft / non-breaking hyphens as their elements)."""
    pieces = (text,) if _NOT_PLAIN.search(text) is None else _SPECIAL_CHARS.split(clean_text(text))
    for piece in pieces:
        if not piece:
            continue
        if piece == "\u00ad":
            sub(run, "w:softHyphen")
        elif piece == "\u2011":
            sub(run, "w:noBreakHyphen")
        else:
            _set_text(etree.SubElement(run, _W_T), piece)


def run(
    parent: etree._Element,
    text: str | None = None,
    style: str | None = None,
    vert: str | None = None,
    script: dict | None = None,
):
    """Append a w:r carrying only a character style and vertAlign (never direct formatting),
    except for text in a script of the theme's chain: `script` (rFonts, rtl, cs from
    fonts.docx_run_fonts) repeats its character style's fonts on the run, because LibreOffice
    lets a table style's fonts override character styles in table cells (callouts, cards)."""
    if script:
        r = sub(parent, "w:r")
        rpr = _run_properties(style, vert, script)
        if rpr is not None:
            r.append(rpr)
    elif text and _NOT_PLAIN.search(text) is None:
        # Text that is one w:t (nearly all): the w:t comes with the template too.
        r = append_copy(parent, _run_template(style, vert, True))
        _set_text(r[-1], text)
        return r
    else:
        r = append_copy(parent, _run_template(style, vert))
    if text:
        add_text(r, text)
    return r


def _run_properties(style: str | None, vert: str | None, script: dict | None) -> etree._Element | None:
    spec = {"rStyle": style and {"val": style}, "vertAlign": vert and {"val": vert}, **(script or {})}
    return props("w:rPr", RPR_ORDER, spec)


@lru_cache(maxsize=1024)
def _run_template(style: str | None, vert: str | None, with_text: bool = False) -> etree._Element:
    """A w:r with the w:rPr of a character style and vertAlign, and an empty w:t when
    `with_text` (copied, never changed)."""
    r = etree.Element(qn("w:r"))
    rpr = _run_properties(style, vert, None)
    if rpr is not None:
        r.append(rpr)
    if with_text:
        etree.SubElement(r, _W_T)
    return r


def paragraph(parent: etree._Element, style: str, **ppr: object) -> etree._Element:
    """Append a w:p with a paragraph style (and optional extra pPr children such as numPr)."""
    if not ppr:  # most paragraphs: the style alone, from a template
        return append_copy(parent, _paragraph_template(style))
    p = sub(parent, "w:p")
    p.append(props("w:pPr", PPR_ORDER, {"pStyle": {"val": style}, **ppr}))
    return p


@lru_cache(maxsize=1024)
def _paragraph_template(style: str) -> etree._Element:
    """An empty w:p whose w:pPr names the paragraph style `style` (copied, never changed)."""
    p = etree.Element(qn("w:p"))
    p.append(props("w:pPr", PPR_ORDER, {"pStyle": {"val": style}}))
    return p


def numbered_paragraph(parent: etree._Element, style: str, num_id: int, ilvl: int) -> etree._Element:
    """Append a w:p of a list style numbered by w:num `num_id` at level `ilvl` (a list's
    items share one template)."""
    return append_copy(parent, _numbered_template(style, num_id, ilvl))


@lru_cache(maxsize=1024)
def _numbered_template(style: str, num_id: int, ilvl: int) -> etree._Element:
    """An empty w:p with pStyle and numPr (copied, never changed)."""
    p = etree.Element(qn("w:p"))
    p.append(props("w:pPr", PPR_ORDER, {"pStyle": {"val": style}, "numPr": num_pr(num_id, ilvl)}))
    return p


def num_pr(num_id: int, ilvl: int) -> etree._Element:
    el = etree.Element(qn("w:numPr"))
    sub(el, "w:ilvl", {"val": ilvl})
    sub(el, "w:numId", {"val": num_id})
    return el


# --- fields -------------------------------------------------------------------------------


def field_begin(parent: etree._Element, instr: str, style: str | None = None, dirty: bool = False):
    """Append the begin/instrText/separate runs of a complex field."""
    r = run(parent, style=style)
    begin = sub(r, "w:fldChar", {"fldCharType": "begin"})
    if dirty:
        begin.set(qn("w:dirty"), "true")
    r = run(parent, style=style)
    it = sub(r, "w:instrText")
    it.text = f" {instr} "
    it.set(XML_SPACE, "preserve")
    r = run(parent, style=style)
    sub(r, "w:fldChar", {"fldCharType": "separate"})


def field_end(parent: etree._Element, style: str | None = None) -> None:
    r = run(parent, style=style)
    sub(r, "w:fldChar", {"fldCharType": "end"})


def field(parent: etree._Element, instr: str, result: str, style: str | None = None) -> None:
    """A complete complex field (PAGE, NUMPAGES ...) with a cached result."""
    field_begin(parent, instr, style)
    run(parent, result, style)
    field_end(parent, style)


# --- links and bookmarks ------------------------------------------------------------------


def hyperlink(parent: etree._Element, *, rid: str | None = None, anchor: str | None = None):
    h = sub(parent, "w:hyperlink")
    if rid:
        h.set(qn("r:id"), rid)
    if anchor:
        h.set(qn("w:anchor"), anchor)
    h.set(qn("w:history"), "1")
    return h


def bookmark_start(bid: int, name: str) -> etree._Element:
    el = etree.Element(qn("w:bookmarkStart"))
    el.set(qn("w:id"), str(bid))
    el.set(qn("w:name"), name)
    return el


def bookmark_end(bid: int) -> etree._Element:
    el = etree.Element(qn("w:bookmarkEnd"))
    el.set(qn("w:id"), str(bid))
    return el


# --- footnotes ----------------------------------------------------------------------------


def footnotes_root() -> etree._Element:
    """w:footnotes with the separator (-1) and continuation separator (0) notes."""
    el = root("w:footnotes")
    for fid, kind, mark in (
        ("-1", "separator", "w:separator"),
        ("0", "continuationSeparator", "w:continuationSeparator"),
    ):
        fn = sub(el, "w:footnote", {"type": kind, "id": fid})
        p = sub(fn, "w:p")
        p.append(props("w:pPr", PPR_ORDER, {"spacing": {"after": 0, "line": 240, "lineRule": "auto"}}))
        sub(sub(p, "w:r"), mark)
    return el


def new_footnote(footnotes: etree._Element, fid: int) -> etree._Element:
    return sub(footnotes, "w:footnote", {"id": fid})


# --- numbering ----------------------------------------------------------------------------

BULLET_NUM = 1  # w:num shared by every <ul> (bullets never restart)
NUMBER_NUM = 2  # w:num the List Number styles point at
_BULLETS = ("\u2022", "\u2013", "\u2022")
_NUMBER_FORMATS = ("decimal", "lowerLetter", "lowerRoman")


class Numbering:
    """numbering.xml: one abstractNum for bullets, one for numbers, a w:num per <ol>."""

    def __init__(self, indent: int, hanging: int):
        self.indent = indent
        self.hanging = hanging
        self._ordered: list[tuple[int, int, int]] = []  # (numId, ilvl, start)

    def new_ordered_list(self, ilvl: int, start: int = 1) -> int:
        """A fresh w:num for one <ol>, restarting level `ilvl` at `start`."""
        num_id = NUMBER_NUM + 1 + len(self._ordered)
        self._ordered.append((num_id, ilvl, start))
        return num_id

    def element(self) -> etree._Element:
        el = root("w:numbering", {"w": nsmap["w"]})
        for abstract_id, bullet in ((0, True), (1, False)):
            an = sub(el, "w:abstractNum", {"abstractNumId": abstract_id})
            sub(an, "w:nsid", {"val": f"{0x1B2E0000 + abstract_id:08X}"})
            sub(an, "w:multiLevelType", {"val": "hybridMultilevel"})
            for ilvl in range(9):
                lvl = sub(an, "w:lvl", {"ilvl": ilvl})
                sub(lvl, "w:start", {"val": 1})
                if bullet:
                    sub(lvl, "w:numFmt", {"val": "bullet"})
                    sub(lvl, "w:lvlText", {"val": _BULLETS[ilvl % 3]})
                else:
                    sub(lvl, "w:numFmt", {"val": _NUMBER_FORMATS[ilvl % 3]})
                    sub(lvl, "w:lvlText", {"val": f"%{ilvl + 1}."})
                sub(lvl, "w:lvlJc", {"val": "left"})
                ppr = sub(lvl, "w:pPr")
                sub(ppr, "w:ind", {"left": self.indent * (ilvl + 1), "hanging": self.hanging})
        for num_id, abstract_id in ((BULLET_NUM, 0), (NUMBER_NUM, 1)):
            num = sub(el, "w:num", {"numId": num_id})
            sub(num, "w:abstractNumId", {"val": abstract_id})
        for num_id, ilvl, start in self._ordered:
            num = sub(el, "w:num", {"numId": num_id})
            sub(num, "w:abstractNumId", {"val": 1})
            override = sub(num, "w:lvlOverride", {"ilvl": ilvl})
            sub(override, "w:startOverride", {"val": start})
        return el


# --- tables -------------------------------------------------------------------------------


def table(style: str, width: int, col_widths: list[int], look_first_row: bool) -> etree._Element:
    """A w:tbl with its style, fixed layout, full width and grid; rows are added by the caller."""
    tbl = etree.Element(qn("w:tbl"))
    look = {
        "val": "04A0" if look_first_row else "0000",
        "firstRow": int(look_first_row),
        "lastRow": 0,
        "firstColumn": 0,
        "lastColumn": 0,
        "noHBand": 1,
        "noVBand": 1,
    }
    tbl.append(
        props(
            "w:tblPr",
            TBLPR_ORDER,
            {
                "tblStyle": {"val": style},
                "tblW": {"w": width, "type": "dxa"},
                "tblLayout": {"type": "fixed"},
                "tblLook": look,
            },
        )
    )
    grid = sub(tbl, "w:tblGrid")
    for w in col_widths:
        sub(grid, "w:gridCol", {"w": w})
    return tbl


def table_row(tbl: etree._Element, *, header: bool = False, cant_split: bool = True):
    return append_copy(tbl, _row_template(header, cant_split))


@lru_cache(maxsize=8)
def _row_template(header: bool, cant_split: bool) -> etree._Element:
    """An empty w:tr with its w:trPr (copied, never changed)."""
    tr = etree.Element(qn("w:tr"))
    trpr = props("w:trPr", TRPR_ORDER, {"cantSplit": cant_split, "tblHeader": header})
    if trpr is not None:
        tr.append(trpr)
    return tr


def table_cell(tr: etree._Element, width: int, span: int = 1, vmerge: str | None = None):
    return append_copy(tr, _cell_template(width, span, vmerge))


@lru_cache(maxsize=1024)
def _cell_template(width: int, span: int, vmerge: str | None) -> etree._Element:
    """An empty w:tc with its w:tcPr (copied, never changed): a table's cells share a few
    widths."""
    tc = etree.Element(qn("w:tc"))
    tc.append(
        props(
            "w:tcPr",
            TCPR_ORDER,
            {
                "tcW": {"w": width, "type": "dxa"},
                "gridSpan": span > 1 and {"val": span},
                "vMerge": vmerge is not None and ({"val": vmerge} if vmerge else True),
            },
        )
    )
    return tc


# --- section, settings, fonts -------------------------------------------------------------


def section_properties(
    geometry,
    refs: list[tuple[str, str, str]],
    title_page: bool,
    restart: bool = False,
    *,
    columns: int = 1,
    column_gap: int = 720,
    start: str | None = None,
) -> etree._Element:
    """w:sectPr: header/footer references ("headerReference", type, rId), page size, margins.

    `restart`: pages and footnotes count from 1 again in this section (the brief after a
    recipient's letter). `columns`, `column_gap` (twips): the section's text columns (a
    theme class with `columns`); `start`: "continuous" for a section that goes on on the
    same page (None: Word's default, a new page)."""
    sect = etree.Element(qn("w:sectPr"))
    for kind, ref_type, rid in refs:
        el = sub(sect, f"w:{kind}", {"type": ref_type})
        el.set(qn("r:id"), rid)
    size = {"w": geometry.width, "h": geometry.height}
    if geometry.width > geometry.height:
        size["orient"] = "landscape"
    tail = props(
        "w:sectPr",
        SECTPR_ORDER,
        {
            "pgSz": size,
            "pgMar": {
                "top": geometry.top,
                "right": geometry.right,
                "bottom": geometry.bottom,
                "left": geometry.left,
                "header": geometry.header,
                "footer": geometry.footer,
                "gutter": 0,
            },
            "footnotePr": _footnote_restart() if restart else None,
            "type": {"val": start} if start else None,
            "pgNumType": {"start": 1} if restart else None,
            "cols": {"num": columns, "space": column_gap} if columns > 1 else {"space": 720},
            "titlePg": title_page,
            "docGrid": {"linePitch": 360},
        },
    )
    sect.extend(list(tail))
    return sect


def _footnote_restart() -> etree._Element:
    el = etree.Element(qn("w:footnotePr"))
    sub(el, "w:numRestart", {"val": "eachSect"})
    return el


def settings(
    lang: str, *, footnotes: bool, mirror_margins: bool, embedded_fonts: bool = False
) -> etree._Element:
    """settings.xml written from scratch: no rsids, no preview picture, fields refreshed on open."""
    el = root("w:settings", {"w": nsmap["w"], "r": nsmap["r"]})
    sub(el, "w:zoom", {"percent": 100})
    if embedded_fonts:
        # Schema order (CT_Settings): right after w:zoom; Word refuses the file otherwise.
        # saveSubsetFonts: the fonts hold only the document's characters, and Word keeps
        # them subset when it saves the file again.
        sub(el, "w:embedTrueTypeFonts")
        sub(el, "w:saveSubsetFonts")
    if mirror_margins:
        sub(el, "w:mirrorMargins")
    sub(el, "w:defaultTabStop", {"val": 720})
    sub(el, "w:autoHyphenation")
    sub(el, "w:doNotHyphenateCaps")
    sub(el, "w:characterSpacingControl", {"val": "doNotCompress"})
    sub(el, "w:updateFields", {"val": "true"})
    if footnotes:
        fpr = sub(el, "w:footnotePr")
        sub(fpr, "w:footnote", {"id": -1})
        sub(fpr, "w:footnote", {"id": 0})
    compat = sub(el, "w:compat")
    for name, val in (
        ("compatibilityMode", 15),
        ("overrideTableStyleFontSizeAndJustification", 1),
        ("enableOpenTypeFeatures", 1),
        ("doNotFlipMirrorIndents", 1),
    ):
        sub(
            compat,
            "w:compatSetting",
            {"name": name, "uri": "http://schemas.microsoft.com/office/word", "val": val},
        )
    sub(el, "w:themeFontLang", {"val": lang})
    sub(
        el,
        "w:clrSchemeMapping",
        {
            "bg1": "light1",
            "t1": "dark1",
            "bg2": "light2",
            "t2": "dark2",
            "accent1": "accent1",
            "accent2": "accent2",
            "accent3": "accent3",
            "accent4": "accent4",
            "accent5": "accent5",
            "accent6": "accent6",
            "hyperlink": "hyperlink",
            "followedHyperlink": "followedHyperlink",
        },
    )
    return el


def font_table(families: Iterable[str]) -> bytes:
    """fontTable.xml naming the theme's families (helps substitution where they are missing)."""
    el = font_table_element(families)
    return etree.tostring(el, xml_declaration=True, encoding="UTF-8", standalone=True)


def font_table_element(families: Iterable[str]) -> etree._Element:
    """w:fonts with one w:font per family (embedded_fonts adds the embedded faces)."""
    el = root("w:fonts", {"w": nsmap["w"], "r": nsmap["r"]})
    for family in dict.fromkeys(families):
        font = sub(el, "w:font", {"name": family})
        low = family.lower()
        mono = "mono" in low or low in {"consolas", "courier new"}
        sub(font, "w:charset", {"val": "00"})
        sub(
            font,
            "w:family",
            {"val": "modern" if mono else "roman" if "serif" in low and "sans" not in low else "swiss"},
        )
        sub(font, "w:pitch", {"val": "fixed" if mono else "variable"})
    return el


_RSID_ATTRIBUTES = etree.XPath(
    "descendant-or-self::*/@*[namespace-uri() = $w and starts-with(local-name(), 'rsid')]"
)


def strip_rsids(el: etree._Element) -> None:
    """Remove revision-session ids (w:rsid* attributes, w:rsid/w:rsids elements)."""
    # XPath finds the attributes in C; walking every node of a long brief in Python did not.
    for attr in _RSID_ATTRIBUTES(el, w=nsmap["w"]):
        del attr.getparent().attrib[attr.attrname]
    for node in list(el.iter(qn("w:rsid"), qn("w:rsids"))):
        node.getparent().remove(node)
