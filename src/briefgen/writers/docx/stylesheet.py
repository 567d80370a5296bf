"""styles.xml as the walker uses it -> named lookups, plus a designer's reference.docx merged in.

The StyleSheet answers "which styleId is Heading 1" case-insensitively, says which styles
keep with the next paragraph and where their tab stops are, and adds on first use the
composite character styles (a run both strong and emphasised) and the per-script ones.
`build_style_sheet` makes it from the catalogue of styles.py, or from the theme's
reference.docx with the styles briefgen needs and the reference lacks added, the document
language set either way.
"""

from __future__ import annotations

import copy
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import nsmap
from lxml import etree

from ...theme import Theme
from .oxml import BULLET_NUM, NUMBER_NUM, PPR_ORDER, RPR_ORDER, num_pr, props, qn, root, strip_rsids, sub
from .styles import CHAR_ROLES, STYLE_RUN_ONLY, PageGeometry, _doc_defaults, _style, generated_styles


class StyleSheet:
    """styles.xml as an element plus name -> styleId lookups (case-insensitive names).

    Lookups are dictionary reads built once; composite character styles (a run inside both
    <strong> and <em>) are added on first use and cached.
    """

    def __init__(self, element: etree._Element):
        self.element = element
        self._by_name: dict[str, etree._Element] = {}
        self._by_id: dict[str, etree._Element] = {}
        self._keep_next: dict[str, bool] = {}
        self._ids: set[str] = set()
        for style in element.iterchildren(qn("w:style")):
            self._index(style)
        self._composites: dict[tuple[str, ...], str] = {}
        self._scripts: dict[tuple[str | None, str], str] = {}

    def _index(self, style: etree._Element) -> None:
        name = style.find(qn("w:name"))
        if name is not None:
            self._by_name.setdefault(name.get(qn("w:val")).lower(), style)
        sid = style.get(qn("w:styleId"))
        self._by_id.setdefault(sid, style)
        self._ids.add(sid)

    def keeps_with_next(self, style_id: str) -> bool:
        """Whether paragraphs in this style keep with the next one (w:keepNext, resolved
        through basedOn; the document defaults never set it)."""
        cached = self._keep_next.get(style_id)
        if cached is None:
            cached = False
            seen: set[str] = set()
            sid: str | None = style_id
            while sid and sid not in seen:
                seen.add(sid)
                style = self._by_id.get(sid)
                if style is None:
                    break
                keep = style.find(f"{qn('w:pPr')}/{qn('w:keepNext')}")
                if keep is not None:
                    cached = keep.get(qn("w:val"), "true").lower() not in ("0", "false", "off")
                    break
                based = style.find(qn("w:basedOn"))
                sid = None if based is None else based.get(qn("w:val"))
            self._keep_next[style_id] = cached
        return cached

    def tab_stops(self, style_id: str) -> list[tuple[str, int]]:
        """The (kind, position) tab stops a paragraph in this style has, through basedOn
        (a stop a derived style clears is gone)."""
        chain: list[etree._Element] = []
        sid: str | None = style_id
        while sid and sid in self._by_id and self._by_id[sid] not in chain:
            chain.append(self._by_id[sid])
            based = self._by_id[sid].find(qn("w:basedOn"))
            sid = None if based is None else based.get(qn("w:val"))
        stops: dict[int, str] = {}
        for style in reversed(chain):
            for tab in style.iterfind(f"{qn('w:pPr')}/{qn('w:tabs')}/{qn('w:tab')}"):
                pos, kind = int(tab.get(qn("w:pos"))), tab.get(qn("w:val"))
                if kind == "clear":
                    stops.pop(pos, None)
                else:
                    stops[pos] = kind
        return sorted(((kind, pos) for pos, kind in stops.items()), key=lambda stop: stop[1])

    def right_tab_only(self, style_id: str, position: int) -> etree._Element | None:
        """w:tabs for a paragraph in this style that should have a single right tab stop at
        `position` (the running header, as the PDF's @top-right): None when the style has
        just that, else the stops that clear the style's others and set that one (a
        reference.docx's Header style often has Word's centre and right stops for Letter)."""
        stops = self.tab_stops(style_id)
        if stops == [("right", position)]:
            return None
        el = etree.Element(qn("w:tabs"))
        for kind, pos in stops:
            if (kind, pos) != ("right", position):
                sub(el, "w:tab", {"val": "clear", "pos": pos})
        if ("right", position) not in stops:
            sub(el, "w:tab", {"val": "right", "pos": position})
        # The schema wants them in order of position.
        el[:] = sorted(el, key=lambda tab: int(tab.get(qn("w:pos"))))
        return el

    def __contains__(self, name: str) -> bool:
        return name.lower() in self._by_name

    def id(self, name: str) -> str:
        """The styleId of the style Word shows as `name` ("Heading 1", "Body Text" ...)."""
        return self._by_name[name.lower()].get(qn("w:styleId"))

    def char_style(self, roles: tuple[str, ...]) -> str | None:
        """The character style for a run inside these inline roles (Strong, Emphasis ...).

        Word allows one character style per run, so a run inside several roles gets a
        composite style ("Strong Emphasis") based on the first, with their properties merged.
        """
        roles = tuple(r for r in CHAR_ROLES if r in roles)
        if not roles:
            return None
        if len(roles) == 1:
            return self.id(roles[0])
        if roles not in self._composites:
            self._composites[roles] = self._add_composite(roles)
        return self._composites[roles]

    def _add_composite(self, roles: tuple[str, ...]) -> str:
        name = " ".join(roles)
        if name in self:
            return self.id(name)
        merged: dict[str, etree._Element] = {}
        for role in roles:
            rpr = self._by_name[role.lower()].find(qn("w:rPr"))
            for child in rpr if rpr is not None else ():
                merged[etree.QName(child).localname] = copy.deepcopy(child)
        sid = self._unique_id(name.replace(" ", ""))
        style = _style(
            "character",
            name,
            sid,
            based=self.id(roles[0]),
            rpr={k: v for k, v in merged.items() if k in RPR_ORDER},
        )
        self.element.append(style)
        self._index(style)
        return sid

    def script_style(self, role_style: str | None, name: str, rpr: dict) -> str:
        """A character style for text in one script ("Arabic Text": its font slots, its
        direction), based on the run's role style when it has one (Word allows one character
        style per run, so "Strong + Arabic Text" merges both). Added on first use."""
        key = (role_style, name)
        if key in self._scripts:
            return self._scripts[key]
        merged: dict[str, object] = {}
        full = name
        if role_style is not None:
            base = self._by_id[role_style]
            full = f"{base.find(qn('w:name')).get(qn('w:val'))} + {name}"
            rpr_el = base.find(qn("w:rPr"))
            for child in rpr_el if rpr_el is not None else ():
                merged[etree.QName(child).localname] = copy.deepcopy(child)
        merged.update({k: v for k, v in rpr.items() if v is not None})
        sid = self._unique_id(full.replace(" ", "").replace("+", ""))
        # A style's run properties may not hold rtl or cs (the schema's CT_RPrStyle, which
        # Word and openxml-audit apply): those stay on the runs (oxml.run's `script`).
        allowed = [k for k in RPR_ORDER if k not in STYLE_RUN_ONLY]
        style = _style(
            "character", full, sid, based=role_style, rpr={k: merged[k] for k in allowed if k in merged}
        )
        self.element.append(style)
        self._index(style)
        self._scripts[key] = sid
        return sid

    def _unique_id(self, sid: str) -> str:
        candidate, n = sid, 1
        while candidate in self._ids:
            n += 1
            candidate = f"{sid}{n}"
        return candidate

    def add_missing(self, styles: list[etree._Element]) -> None:
        """Add generated styles the sheet lacks (by name), remapping their styleIds."""
        id_map: dict[str, str] = {}
        missing = []
        for style in styles:
            gen_id = style.get(qn("w:styleId"))
            name = style.find(qn("w:name")).get(qn("w:val"))
            if name in self:
                id_map[gen_id] = self.id(name)
            else:
                new_id = self._unique_id(gen_id)
                id_map[gen_id] = new_id
                style.set(qn("w:styleId"), new_id)
                missing.append(style)
                self._ids.add(new_id)
        for style in missing:
            for ref in style.iterchildren(qn("w:basedOn"), qn("w:next")):
                ref.set(qn("w:val"), id_map.get(ref.get(qn("w:val")), ref.get(qn("w:val"))))
            if style.get(qn("w:default")) == "1":
                del style.attrib[qn("w:default")]
            self.element.append(style)
            self._index(style)

    def link_lists(self) -> None:
        """Point the List Bullet / List Number styles at this document's numbering."""
        for level in (1, 2, 3):
            suffix = "" if level == 1 else f" {level}"
            for name, num in (("List Bullet", BULLET_NUM), ("List Number", NUMBER_NUM)):
                style = self._by_name.get((name + suffix).lower())
                if style is None:
                    continue
                ppr = style.find(qn("w:pPr"))
                if ppr is None:
                    ppr = etree.Element(qn("w:pPr"))
                    _insert_ppr(style, ppr)
                old = ppr.find(qn("w:numPr"))
                new = num_pr(num, level - 1)
                if old is not None:
                    ppr.replace(old, new)
                else:
                    _insert_in_order(ppr, new, PPR_ORDER)


def _insert_ppr(style: etree._Element, ppr: etree._Element) -> None:
    after = [
        qn(f"w:{t}")
        for t in (
            "name",
            "aliases",
            "basedOn",
            "next",
            "link",
            "autoRedefine",
            "hidden",
            "uiPriority",
            "semiHidden",
            "unhideWhenUsed",
            "qFormat",
            "locked",
            "personal",
            "personalCompose",
            "personalReply",
            "rsid",
        )
    ]
    index = 0
    for i, child in enumerate(style):
        if child.tag in after:
            index = i + 1
    style.insert(index, ppr)


def _insert_in_order(parent: etree._Element, child: etree._Element, order: list[str]) -> None:
    rank = {qn(f"w:{name}"): i for i, name in enumerate(order)}
    mine = rank[child.tag]
    for i, existing in enumerate(parent):
        if rank.get(existing.tag, len(order)) > mine:
            parent.insert(i, child)
            return
    parent.append(child)


def build_style_sheet(
    theme: Theme, lang: str, geometry: PageGeometry, extra=None
) -> tuple[StyleSheet, bytes | None]:
    """The document's styles, and the theme part to use (None: keep the default one).

    Generated from the theme's tokens, or taken from the theme's reference.docx, with the
    styles briefgen needs and the reference lacks added and the language set either way.
    `extra(taken)` gives more styles (the theme's custom classes) given the names, lower
    case, of those generated.
    """
    generated = generated_styles(theme, geometry)
    if extra is not None:
        taken = {style.find(qn("w:name")).get(qn("w:val")).lower() for style in generated}
        generated += extra(taken)
    reference = theme.reference_docx
    if reference is None:
        el = root("w:styles", {"w": nsmap["w"]})
        el.append(_doc_defaults(theme, lang))
        el.extend(generated)
        return StyleSheet(el), None
    el, theme_blob = _read_reference(reference)
    strip_rsids(el)
    for style in el.iterchildren(qn("w:style")):
        for lang_el in list(style.iter(qn("w:lang"))):
            lang_el.getparent().remove(lang_el)
    defaults = el.find(qn("w:docDefaults"))
    if defaults is None:
        el.insert(0, _doc_defaults(theme, lang))
    else:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is None:
            defaults.insert(0, _doc_defaults(theme, lang)[0])
        else:
            old = rpr.find(qn("w:lang"))
            if old is not None:
                rpr.remove(old)
            _insert_in_order(
                rpr,
                props("w:rPr", RPR_ORDER, {"lang": {"val": lang, "eastAsia": lang, "bidi": lang}})[0],
                RPR_ORDER,
            )
    sheet = StyleSheet(el)
    sheet.add_missing(generated)
    sheet.link_lists()
    return sheet, theme_blob


def _read_reference(path: Path) -> tuple[etree._Element, bytes | None]:
    import docx

    ref = docx.Document(str(path))
    styles = copy.deepcopy(ref.part.part_related_by(RT.STYLES).element)
    try:
        theme_blob = ref.part.part_related_by(RT.THEME).blob
    except KeyError:
        theme_blob = None
    return styles, theme_blob


def patch_theme_fonts(blob: bytes, theme: Theme) -> bytes:
    """Set the Office theme's major/minor Latin fonts to the theme's heading/body fonts."""
    el = etree.fromstring(blob)
    ns = {"a": nsmap["a"]}
    for path, family in (
        ("//a:majorFont/a:latin", theme.heading_font),
        ("//a:minorFont/a:latin", theme.body_font),
    ):
        for latin in el.xpath(path, namespaces=ns):
            latin.set("typeface", family)
    return etree.tostring(el, xml_declaration=True, encoding="UTF-8", standalone=True)
