"""The DOCX writer's shortcuts write the same bytes as the ways they replaced (issue 21).

Runs, paragraphs, list items, rows and cells are copied from templates built once per set
of properties; a run's text is searched once for characters to cut at; Segs are normalised
without namedtuple._replace; links are grouped in a loop and their relationship ids
remembered; an inline element without a class makes no set of them; ids to bookmark and
paragraphs holding a picture are found by XPath; rsids are not looked for in the parts the
writer built. The first test puts the earlier code back (kept below, as it was) and compares
the packages byte for byte; the others compare each piece on its own.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree
from test_docx_writer import rendered

from briefgen.writers.docx import build, html_walker, line_spacing, oxml, package
from briefgen.writers.docx.oxml import PPR_ORDER, RPR_ORDER, TCPR_ORDER, TRPR_ORDER, props, qn, sub
from briefgen.writers.docx.runs import _URL_SAFE, InlineRuns
from briefgen.writers.docx.vocabulary import BLOCK_TAGS, CLASS_CHAR_STYLES, DROPPED, INLINE_UNKNOWN, SILENT
from briefgen.writers.docx.walkstate import Seg

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAMPLE = FIXTURES / "vocabulary-sample.html"

# What the sample lacks: spans across rows and columns, the same address linked again and
# again (and from footnotes), right-to-left and Georgian text, soft and non-breaking
# hyphens, characters XML cannot carry, runs of spaces, a list after a page break, inline
# classes (a character style's, the web page's own, an empty one).
EXTRA = """
<div class="page-break"></div>
<ol start="3"><li>First <a href="https://example.org/a b">link</a> and
  <a href="https://example.org/a b">again</a></li><li>Second<ol><li>nested</li></ol></li></ol>
<ul><li>bullet one</li><li>bullet <strong>two</strong><ul><li>deeper</li></ul></li></ul>
<table><thead><tr><th colspan="2">Both</th><th>Third</th></tr></thead>
<tbody><tr><td rowspan="2">Tall</td><td>b</td><td>c</td></tr><tr><td>e</td><td>f</td></tr>
<tr><td>g</td><td colspan="2">wide <a href="https://example.org/a b">link</a></td></tr></tbody></table>
<p>co\u00adoperation, non\u2011breaking, bell\x07 gone, form\x0cfeed,   spaced   out ,
  <em>Emphasis <a href="https://example.org/c">linked <strong>strong</strong></a></em>
  <a href="#missing">nowhere</a> <sup>1</sup><sub>2</sub>
  <bdi>\u0645\u062d\u0645\u062f \u0639\u0644\u064a</bdi> (42) \u10dc\u10d8\u10dc\u10dd
  <span class="footnote">A note <a href="https://example.org/a b">linked</a> too.</span></p>
<p id="last-one">  Leading and trailing  <br>  after a break  </p>
<p><span class="priority-high">urgent <strong>bold</strong></span><span class="screen-only">[1]</span>
  <span class="">empty class</span> <strong class="priority-high">strong priority</strong></p>
"""


def html() -> str:
    return SAMPLE.read_text(encoding="utf-8").replace("</body>", EXTRA + "</body>", 1)


# --- the code as it was before the shortcuts ----------------------------------------------


def old_add_text(run, text):
    for piece in re.split("([\u00ad\u2011])", oxml.clean_text(text)):
        if not piece:
            continue
        if piece == "\u00ad":
            sub(run, "w:softHyphen")
        elif piece == "\u2011":
            sub(run, "w:noBreakHyphen")
        else:
            t = sub(run, "w:t")
            t.text = piece
            if piece != piece.strip(" ") or "  " in piece:
                t.set(oxml.XML_SPACE, "preserve")


def old_run(parent, text=None, style=None, vert=None, script=None):
    r = sub(parent, "w:r")
    spec = {"rStyle": style and {"val": style}, "vertAlign": vert and {"val": vert}, **(script or {})}
    rpr = props("w:rPr", RPR_ORDER, spec)
    if rpr is not None:
        r.append(rpr)
    if text:
        old_add_text(r, text)
    return r


def old_paragraph(parent, style, **ppr):
    p = sub(parent, "w:p")
    p.append(props("w:pPr", PPR_ORDER, {"pStyle": {"val": style}, **ppr}))
    return p


def old_numbered_paragraph(parent, style, num_id, ilvl):
    return old_paragraph(parent, style, numPr=oxml.num_pr(num_id, ilvl))


def old_table_row(tbl, *, header=False, cant_split=True):
    tr = sub(tbl, "w:tr")
    trpr = props("w:trPr", TRPR_ORDER, {"cantSplit": cant_split, "tblHeader": header})
    if trpr is not None:
        tr.append(trpr)
    return tr


def old_table_cell(tr, width, span=1, vmerge=None):
    tc = sub(tr, "w:tc")
    spec = {
        "tcW": {"w": width, "type": "dxa"},
        "gridSpan": span > 1 and {"val": span},
        "vMerge": vmerge is not None and ({"val": vmerge} if vmerge else True),
    }
    tc.append(props("w:tcPr", TCPR_ORDER, spec))
    return tc


_WS = re.compile(r"[ \t\n\r\f]+")


def old_normalize(segs):
    out = []
    space_before = True

    def rstrip():
        while out and out[-1].kind == "text":
            text = out[-1].text.rstrip(" ")
            if text:
                out[-1] = out[-1]._replace(text=text)
                return
            out.pop()

    for seg in segs:
        if seg.kind == "text":
            text = _WS.sub(" ", seg.text)
            if space_before and text.startswith(" "):
                text = text[1:]
            if not text:
                continue
            space_before = text.endswith(" ")
            if out and out[-1].kind == "text" and out[-1].state == seg.state:
                out[-1] = out[-1]._replace(text=out[-1].text + text)
            else:
                out.append(seg._replace(text=text))
        elif seg.kind == "br":
            rstrip()
            out.append(seg)
            space_before = True
        else:
            out.append(seg)
            space_before = seg.kind == "lit"
    rstrip()
    return out


def old_runs(self, p, segs):
    for link, group in itertools.groupby(segs, key=lambda s: s.state.link):
        target = p
        if link is not None:
            kind, value = link
            target = oxml.hyperlink(
                p, rid=value if kind == "rid" else None, anchor=value if kind == "anchor" else None
            )
        for seg in group:
            self._run(target, seg)


_LINK = InlineRuns.link  # the method as it is now, for what did not change


def old_link(self, el, para, state):
    href = (el.get("href") or "").strip()
    if not href or state.link is not None or href.startswith("#"):
        return _LINK(self, el, para, state)  # anchors: unchanged
    rid = para.ctx.part.relate_to(quote(href, safe=_URL_SAFE), RT.HYPERLINK, is_external=True)
    return state._replace(link=("rid", rid))


def old_inline(self, el, para, state):
    tag = el.tag
    classes = set((el.get("class") or "").split())
    if "screen-only" in classes:
        return
    if el.get("id"):
        self._mark_id(el, para.ctx)
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
        self.code_text.append("".join(el.itertext()))  # since: the monospace embedded for it
    elif tag == "sup":
        state = state._replace(vert="superscript")
    elif tag == "sub":
        state = state._replace(vert="subscript")
    elif tag == "br":
        para.add("br")
        return
    elif tag == "wbr":
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


def old_collect_ids(self, body):
    used = set()
    for el in body.iter():
        hid = el.get("id") if isinstance(el.tag, str) else None
        if not hid or hid in self._bookmarks:
            continue
        name = re.sub(r"[^A-Za-z0-9_]", "_", hid)
        if not name[:1].isalpha():
            name = "b_" + name
        name = name[:40]
        n = 1
        while name.lower() in used:
            n += 1
            name = f"{name[: 40 - len(str(n)) - 1]}_{n}"
        used.add(name.lower())
        self._bookmarks[hid] = name


def old_strip_all_rsids(pkg, built=()):
    for part in pkg.iter_parts():
        element = getattr(part, "_element", None)
        if element is not None:
            oxml.strip_rsids(element)


OLD_DRAWING_PARAGRAPHS = etree.XPath(
    ".//w:p[.//w:drawing/wp:inline]", namespaces={"w": oxml.nsmap["w"], "wp": oxml.nsmap["wp"]}
)


def put_back_the_old_code(monkeypatch) -> None:
    monkeypatch.setattr(oxml, "add_text", old_add_text)
    monkeypatch.setattr(oxml, "run", old_run)
    monkeypatch.setattr(oxml, "paragraph", old_paragraph)
    monkeypatch.setattr(oxml, "numbered_paragraph", old_numbered_paragraph)
    monkeypatch.setattr(oxml, "table_row", old_table_row)
    monkeypatch.setattr(oxml, "table_cell", old_table_cell)
    monkeypatch.setattr(html_walker, "normalize", old_normalize)
    monkeypatch.setattr(InlineRuns, "_runs", old_runs)
    monkeypatch.setattr(InlineRuns, "link", old_link)
    monkeypatch.setattr(InlineRuns, "inline", old_inline)
    monkeypatch.setattr(html_walker.HtmlWalker, "_collect_ids", old_collect_ids)
    monkeypatch.setattr(package, "strip_all_rsids", old_strip_all_rsids)
    monkeypatch.setattr(line_spacing, "_DRAWING_PARAGRAPHS", OLD_DRAWING_PARAGRAPHS)


# --- the tests ----------------------------------------------------------------------------


def test_the_shortcuts_write_the_bytes_the_old_code_wrote(monkeypatch):
    document = html()
    new = build(rendered(document))
    with monkeypatch.context() as patched:
        put_back_the_old_code(patched)
        old = build(rendered(document))
    assert new == old
    # The extra content is there: spans, the list restarting at 3, the repeated link once.
    assert b"w:vMerge" in _part(new, "word/document.xml") and b"w:gridSpan" in _part(new, "word/document.xml")
    assert b'w:startOverride w:val="3"' in _part(new, "word/numbering.xml")
    rels = _part(new, "word/_rels/document.xml.rels")
    assert rels.count(b"https://example.org/a%20b") == 1
    assert _part(new, "word/_rels/footnotes.xml.rels").count(b"https://example.org/a%20b") == 1


def test_each_template_copy_is_a_new_element_the_next_copy_does_not_see_changed():
    parent = etree.Element(qn("w:body"))
    first = oxml.run(parent, "one", "Strong")
    first[0].append(etree.Element(qn("w:b")))  # a change to the copy ...
    first.set(qn("w:rsidR"), "00AB")
    second = oxml.run(parent, "two", "Strong")
    assert second is not first and second.get(qn("w:rsidR")) is None
    assert [etree.QName(c).localname for c in second[0]] == ["rStyle"]  # ... is not in the next
    for make in (
        lambda: oxml.paragraph(parent, "BodyText"),
        lambda: oxml.numbered_paragraph(parent, "ListBullet", 1, 0),
        lambda: oxml.table_row(parent, header=True),
        lambda: oxml.table_cell(parent, 2000, 2, "restart"),
    ):
        a = make()
        a.append(etree.Element(qn("w:r")))
        b = make()
        assert a is not b and len(b) == 1 and etree.tostring(a[0]) == etree.tostring(b[0])


def test_ends_with_reads_the_last_child_only():
    body = etree.Element(qn("w:body"))
    assert not oxml.ends_with(body, "w:tbl")  # no child at all
    oxml.paragraph(body, "BodyText")
    assert not oxml.ends_with(body, "w:tbl") and oxml.ends_with(body, "w:p")
    body.append(oxml.table("Table", 100, [100], look_first_row=False))
    assert oxml.ends_with(body, "w:tbl") and not oxml.ends_with(body, "w:p")
    for _ in range(2000):
        oxml.paragraph(body, "BodyText")
    assert oxml.ends_with(body, "w:p") and not oxml.ends_with(body, "w:tbl")


@pytest.mark.parametrize(
    "text",
    [
        "plain words",
        " leading",
        "trailing ",
        "two  spaces",
        "co\u00adoperation",
        "\u00ad",
        "non\u2011breaking\u2011hyphens",
        "bell\x07 and \x0b vertical tab",
        "\ufffe\uffff",
        "\x00",
        "Günel Məmmədova “quoted” – ნინო",
    ],
)
def test_a_run_text_is_cut_as_the_sub_and_split_cut_it(text):
    new, old = etree.Element(qn("w:r")), etree.Element(qn("w:r"))
    oxml.add_text(new, text)
    old_add_text(old, text)
    assert etree.tostring(new) == etree.tostring(old)
    # A whole run, its w:t from the template when the text is one piece.
    for style, vert in ((None, None), ("Strong", None), ("Emphasis", "superscript")):
        new, old = etree.Element(qn("w:p")), etree.Element(qn("w:p"))
        oxml.run(new, text, style, vert)
        old_run(old, text, style, vert)
        assert etree.tostring(new) == etree.tostring(old)


def test_normalize_equals_the_replace_version_on_mixed_segments():
    from briefgen.writers.docx.walkstate import PLAIN, normalize

    strong = PLAIN.with_role("Strong")
    link = PLAIN._replace(link=("rid", "rId9"))
    pieces = ["  a  b ", "\n", " c", "", "d\t", "  ", "e "]
    kinds = [("text", PLAIN), ("text", strong), ("text", link), ("br", PLAIN), ("lit", PLAIN)]
    for length in range(5):
        for combo in itertools.product(range(len(kinds)), repeat=length):
            segs = [Seg(kinds[k][0], pieces[(i + k) % len(pieces)], kinds[k][1]) for i, k in enumerate(combo)]
            assert normalize(segs) == old_normalize(segs), segs
    for text in [*pieces, "\u00a0kept\u00a0", " \t\n ", "x"]:  # one piece of text alone
        assert normalize([Seg("text", text, strong)]) == old_normalize([Seg("text", text, strong)])


def _part(data: bytes, name: str) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)
