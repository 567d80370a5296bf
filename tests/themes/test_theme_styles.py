"""Theme `styles`, `css`, colour names, fonts.files and per-audience themes (#27).

A custom class under `styles` must look the same in both formats: the PDF's box has its
colours (read back with pdfplumber), the DOCX has named Word styles with the same shading
and text colour, used by that box's paragraphs (read back from the XML, and through
LibreOffice's rendering). A class with `columns` is set in columns in both. Classes the DOCX
has no look for are reported. An audience's own theme changes its outputs and no other's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pdfplumber
import pypdfium2 as pdfium
import pytest
from conftest import PROJECTS, build
from lxml import etree

from briefgen.document import RenderedDocument
from briefgen.render import theme_css
from briefgen.theme import BUILTIN_THEMES, ThemeError, load_theme
from briefgen.writers.docx import write as write_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
BIN = Path(sys.executable).parent

NAVY, WHITE, TEAL = "1D4E89", "FFFFFF", "008080"

THEME_YAML = """\
colors:
  brand: teal                 # a CSS colour name: #008080
styles:
  ask: {background: "#1d4e89", color: white, border: brand, border_width: 2, font: heading, size: 11}
  two-col: {columns: 2}
css: [extra.css]
"""
# The theme's own CSS: a look the tokens do not have (and two classes the DOCX cannot follow).
EXTRA_CSS = """\
h1.section { color: #aa0000; }
.css-only { background: #ffeeee; }
.css-cols { column-count: 3; }
"""


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def make_theme(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "theme.yaml").write_text(THEME_YAML, encoding="utf-8")
    (folder / "extra.css").write_text(EXTRA_CSS, encoding="utf-8")
    return folder


# ---------------------------------------------------------------- tokens


def test_a_css_colour_name_becomes_hex_for_both_formats(tmp_path):
    theme = load_theme(make_theme(tmp_path / "brand"))
    assert theme.tokens.colors.brand == "#008080"
    assert theme.color("brand") == TEAL  # what w:color carries: never "TEAL-ISH" or "TEAL"


@pytest.mark.parametrize("value", ["transparent", "currentColor", "teal-ish", "rgb(0,0,0)"])
def test_what_is_no_colour_word_can_carry_is_refused(tmp_path, value):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "theme.yaml").write_text(f"colors:\n  brand: {value}\n", encoding="utf-8")
    with pytest.raises(ThemeError, match=r"theme\.yaml:2:10: colors\.brand .*not a colour"):
        load_theme(folder)


def test_fonts_files_extend_the_default_list(tmp_path):
    """A theme that adds a brand font keeps the default body and heading fonts' files (the
    body font used to become whatever fontconfig found); a file of the same family, weight
    and style replaces the default's."""
    folder = tmp_path / "brand"
    (folder / "fonts").mkdir(parents=True)
    serif = BUILTIN_THEMES / "default" / "fonts" / "NotoSerif-Regular.ttf"
    shutil.copy(serif, folder / "fonts" / "b.ttf")
    shutil.copy(serif, folder / "fonts" / "n.ttf")
    (folder / "theme.yaml").write_text(
        "fonts:\n  files:\n"
        "    - {family: Brand Serif, weight: 400, file: fonts/b.ttf}\n"
        "    - {family: Noto Serif, weight: 400, style: normal, file: fonts/n.ttf}\n",
        encoding="utf-8",
    )
    theme = load_theme(folder)
    by_face = {(f.family, f.weight, f.style): f.path for f in theme.font_files}
    assert theme.body_font == "Noto Serif" and theme.heading_font == "Noto Sans"
    assert by_face[("Brand Serif", 400, "normal")] == (folder / "fonts" / "b.ttf").resolve()
    assert by_face[("Noto Serif", 400, "normal")] == (folder / "fonts" / "n.ttf").resolve()
    default = BUILTIN_THEMES.resolve() / "default" / "fonts"
    assert by_face[("Noto Serif", 700, "normal")] == default / "NotoSerif-Bold.ttf"
    assert by_face[("Noto Sans", 400, "normal")] == default / "NotoSans-Regular.ttf"
    assert (
        len([f for f in theme.font_files if (f.family, f.weight, f.style) == ("Noto Serif", 400, "normal")])
        == 1
    )


# ---------------------------------------------------------------- the print CSS


def test_the_print_css_has_the_class_rules_then_the_theme_css(tmp_path):
    css = theme_css(load_theme(make_theme(tmp_path / "brand")), "en")
    rule = css[css.index(".ask {") : css.index("}", css.index(".ask {"))]
    assert "background-color: #1D4E89;" in rule and "color: #FFFFFF;" in rule
    assert "border: 2pt solid #008080;" in rule and "font-size: 11pt;" in rule
    assert 'font-family: "Noto Sans"' in rule
    assert ".ask h1, .ask h2, .ask h3, .ask h4 { color: #FFFFFF; }" in css
    assert ".two-col { columns: 2; column-gap: 8mm; }" in css
    # After the print CSS (so it wins over it), before the screen CSS.
    assert css.index("@page") < css.index(".ask {") < css.index("h1.section { color: #aa0000; }")
    assert css.index("h1.section { color: #aa0000; }") < css.index("@media screen")


# ---------------------------------------------------------------- the DOCX

PAGE = """<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>
<h1 class="section">Background</h1>
<p>Before the box.</p>
<div class="ask"><h2>Our ask</h2><p>Release all political prisoners.</p></div>
<p class="ask">A single ask.</p>
<div class="two-col"><p>Column text one.</p><p>Column text two.</p></div>
<p>After the columns.</p>
<div class="callout"><div class="two-col"><p>Columns in a box.</p></div></div>
<div class="mystery"><p>Unknown class.</p></div>
<div class="css-only"><p>Only in CSS.</p></div>
<div class="css-cols"><p>Columns in CSS.</p></div>
</body></html>"""


def write(tmp_path: Path, html: str, theme) -> tuple[Path, list[str]]:
    document = RenderedDocument(
        html=html,
        theme=theme,
        read_resource=lambda url: None,
        base_url="",
        template="ask.html.j2",
        language="en",
        timestamp=datetime(2016, 1, 19, tzinfo=UTC),
    )
    path = write_docx(document, tmp_path / "out.docx").path
    return path, document.warnings


def parts(path: Path) -> tuple[etree._Element, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml")), etree.fromstring(z.read("word/styles.xml"))


def style(styles: etree._Element, name: str) -> etree._Element:
    (found,) = styles.xpath("w:style[w:name/@w:val=$n]", namespaces=NS, n=name)
    return found


def paragraph(document: etree._Element, text: str) -> etree._Element:
    (found,) = [p for p in document.iter(w("p")) if "".join(p.itertext()) == text]
    return found


def p_style(p: etree._Element) -> str:
    return p.find(f"{w('pPr')}/{w('pStyle')}").get(w("val"))


def val(el: etree._Element, path: str, attr: str = "val") -> str | None:
    found = el.xpath(path, namespaces=NS)
    return found[0].get(w(attr)) if found else None


def assert_ask_style(styles: etree._Element, p: etree._Element) -> None:
    """`p` is in the named style "Ask": navy shading, white text, the heading font, 11 pt."""
    ask = style(styles, "Ask")
    assert p_style(p) == ask.get(w("styleId"))
    assert val(ask, "w:pPr/w:shd", "fill") == NAVY
    assert val(ask, "w:rPr/w:color") == WHITE
    assert val(ask, "w:rPr/w:rFonts", "ascii") == "Noto Sans"
    assert val(ask, "w:rPr/w:sz") == "22"


def box_of(p: etree._Element) -> etree._Element:
    (tbl,) = p.iterancestors(w("tbl"))
    return tbl


def test_a_styled_class_becomes_named_word_styles_from_the_same_values(tmp_path):
    path, _ = write(tmp_path, PAGE, load_theme(make_theme(tmp_path / "brand")))
    document, styles = parts(path)
    for text in ("Release all political prisoners.", "A single ask."):
        p = paragraph(document, text)
        assert_ask_style(styles, p)
        # The box: a one-cell table in "Ask Box": navy, a 2 pt teal line on every side.
        box = style(styles, "Ask Box")
        assert val(box_of(p), "w:tblPr/w:tblStyle") == box.get(w("styleId"))
        assert val(box, "w:tcPr/w:shd", "fill") == NAVY
        for side in ("top", "left", "bottom", "right"):
            assert val(box, f"w:tblPr/w:tblBorders/w:{side}", "color") == TEAL
            assert val(box, f"w:tblPr/w:tblBorders/w:{side}", "sz") == "16"
    heading = paragraph(document, "Our ask")
    assert p_style(heading) == style(styles, "Ask Heading 2").get(w("styleId"))
    assert val(style(styles, "Ask Heading 2"), "w:rPr/w:color") == WHITE
    assert val(style(styles, "Ask Heading 2"), "w:basedOn") == "Heading2"
    # Outside the box nothing changed.
    assert p_style(paragraph(document, "Before the box.")) == "BodyText"
    docx.Document(str(path))  # python-docx reads it back


def test_a_class_with_columns_is_a_word_section_of_columns(tmp_path):
    path, warnings = write(tmp_path, PAGE, load_theme(make_theme(tmp_path / "brand")))
    document, _ = parts(path)
    body = document.find(w("body"))
    ends = [p for p in body.iter(w("p")) if p.find(f"{w('pPr')}/{w('sectPr')}") is not None]
    texts = ["".join(p.itertext()) for p in body.iter(w("p"))]
    # Three sections: before the columns, the columns, after them (the body's sectPr).
    assert len(ends) == 2
    before, columns = (p.find(f"{w('pPr')}/{w('sectPr')}") for p in ends)
    assert val(before, "w:cols", "num") is None
    assert val(columns, "w:cols", "num") == "2" and val(columns, "w:type") == "continuous"
    assert "".join(ends[1].itertext()) == "Column text two."
    assert texts.index("Column text one.") > texts.index("".join(ends[0].itertext()))
    last = body.find(w("sectPr"))
    assert val(last, "w:type") == "continuous" and val(last, "w:cols", "num") is None
    assert len(docx.Document(str(path)).sections) == 3
    # Columns inside a box cannot be a section: one column in the DOCX, and said so.
    assert any(
        'class="two-col"> is set in 2 columns in the PDF but in one in the DOCX' in m for m in warnings
    )


def test_classes_without_a_docx_look_are_reported_once(tmp_path):
    _, warnings = write(
        tmp_path, PAGE + PAGE.replace("<!DOCTYPE html>", ""), load_theme(make_theme(tmp_path / "b"))
    )
    about = {
        cls: [m for m in warnings if f"class '{cls}'" in m] for cls in ("mystery", "css-only", "css-cols")
    }
    assert all(len(found) == 1 for found in about.values()), warnings
    assert "neither in the HTML vocabulary nor under the theme's styles" in about["mystery"][0]
    assert "styled by the theme's CSS only (extra.css)" in about["css-only"][0]
    assert (
        "set in columns by the theme's CSS (extra.css) but in one column in the DOCX" in about["css-cols"][0]
    )
    assert "styles: css-cols: {columns: 2}" in about["css-cols"][0]
    # The theme's own classes and the vocabulary's are not.
    assert not [
        m for m in warnings if "'ask'" in m or "'two-col'" in m or "'callout'" in m or "'section'" in m
    ]


def test_the_docx_with_theme_styles_passes_openxml_audit(tmp_path):
    path, _ = write(tmp_path, PAGE, load_theme(make_theme(tmp_path / "brand")))
    result = subprocess.run(
        [BIN / "openxml-audit", "--policy", "strict", "--output", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert '"error_count": 0' in result.stdout and '"warning_count": 0' in result.stdout, result.stdout[:2000]


# ---------------------------------------------------------------- a whole project, both formats

OVERRIDE = """\
{% extends "builtin/policy-brief.html.j2" %}
{% block content %}
<div class="ask"><h2>Our ask</h2><p>Release all political prisoners now.</p></div>
<div class="two-col">{% for n in range(12) %}<p>Columnar paragraph {{ n }}: the detention of defenders
continues while the authorities ignore the rulings of the court and the calls of the
institutions.</p>{% endfor %}</div>
<p>After the columns.</p>
{{ super() }}
{% endblock %}
"""


def styled_project(tmp_path: Path, name: str, audience_theme: bool) -> Path:
    """The small fixture with a second audience, `partners`, whose template override uses the
    classes; with `audience_theme`, partners name the theme `brand` (the project keeps the
    default)."""
    project = tmp_path / name
    shutil.copytree(PROJECTS / "small", project)
    settings = project / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8")
    partners = "  - id: partners\n    name: Partners\n    clearance: public\n"
    if audience_theme:
        partners += "    theme: brand\n"
    text = text.replace("briefs:\n", partners + "\nbriefs:\n", 1)
    text = text.replace("audiences: [public-readers]\n", "audiences: [public-readers, partners]\n", 1)
    settings.write_text(text, encoding="utf-8")
    make_theme(project / "templates" / "brand")
    (project / "templates" / "partners").mkdir()
    (project / "templates" / "partners" / "policy-brief.html.j2").write_text(OVERRIDE, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The project built twice (the partners' own theme, and none), reproducibly."""
    tmp = tmp_path_factory.mktemp("styles")
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1453161600"
    try:
        out = {}
        for name, themed in (("themed", True), ("plain", False)):
            project = styled_project(tmp, name, themed)
            build(project, tmp / f"{name}-out", briefs=("small-brief",))
            out[name] = tmp / f"{name}-out" / "small-brief"
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return out


def rgb(colour) -> str:
    return "".join(f"{round(c * 255):02X}" for c in colour)


def pdf_page_with(path: Path, text: str):
    pdf = pdfplumber.open(path)
    return next(p for p in pdf.pages if text in (p.extract_text() or ""))


def box_colours(path: Path, word: str) -> tuple[str, str, set[str]]:
    """(the text colour of `word`, the colour painted just left of it, inside the box's
    padding, and the colours of the filled shapes around it), read from the PDF's page."""
    page = pdf_page_with(path, word)
    (found,) = [x for x in page.extract_words(extra_attrs=["non_stroking_color"]) if x["text"] == word][:1]
    around = {
        rgb(r["non_stroking_color"])
        for r in page.rects
        if r["fill"] and r["x0"] <= found["x0"] <= r["x1"] and r["top"] <= found["top"] <= r["bottom"]
    }
    scale = 2
    image = pdfium.PdfDocument(path)[page.page_number - 1].render(scale=scale).to_pil()
    x, y = found["x0"] - 4, (found["top"] + found["bottom"]) / 2
    painted = "".join(f"{c:02X}" for c in image.getpixel((round(x * scale), round(y * scale)))[:3])
    return rgb(found["non_stroking_color"]), painted, around


@pytest.mark.slow
def test_the_ask_box_has_the_same_colours_in_the_pdf_and_the_docx(built):
    pdf = built["themed"] / "small-brief.partners.en.pdf"
    text, fill, around = box_colours(pdf, "Release")
    assert (text, fill) == (WHITE, NAVY)
    assert TEAL in around  # its border
    # The DOCX: that paragraph is in the named style with the same shading and text colour.
    path = built["themed"] / "small-brief.partners.en.docx"
    document, styles = parts(path)
    p = paragraph(document, "Release all political prisoners now.")
    assert_ask_style(styles, p)
    assert val(style(styles, "Ask"), "w:pPr/w:shd", "fill") == fill
    assert val(style(styles, "Ask"), "w:rPr/w:color") == text


@pytest.mark.slow
def test_libreoffice_shows_the_box_and_the_columns_of_the_docx(built, tmp_path):
    """What a reader of the DOCX sees: LibreOffice's rendering has the navy box with white
    text, and the columnar paragraphs side by side."""
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(built["themed"] / "small-brief.partners.en.docx")],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    rendered = tmp_path / "small-brief.partners.en.pdf"
    text, fill, _ = box_colours(rendered, "Release")
    assert (text, fill) == (WHITE, NAVY)
    assert_two_columns(rendered)


def assert_two_columns(path: Path) -> None:
    page = pdf_page_with(path, "Columnar paragraph 0")
    middle = page.width / 2
    starts = [x["x0"] for x in page.extract_words() if x["text"] == "Columnar"]
    assert [x for x in starts if x < middle - 30] and [x for x in starts if x > middle], starts


@pytest.mark.slow
def test_the_two_column_class_is_in_two_columns_in_the_pdf(built):
    assert_two_columns(built["themed"] / "small-brief.partners.en.pdf")


@pytest.mark.slow
def test_the_theme_css_is_applied(built):
    page = pdf_page_with(built["themed"] / "small-brief.partners.en.pdf", "Key messages")
    words = page.extract_words(extra_attrs=["non_stroking_color"])
    key = next(x for x in words if x["text"] == "Key")
    assert rgb(key["non_stroking_color"]) == "AA0000"  # extra.css: h1.section { color: #aa0000 }


@pytest.mark.slow
def test_an_audience_theme_changes_only_that_audience(built):
    themed, plain = built["themed"], built["plain"]
    for fmt in ("pdf", "docx"):
        name = f"small-brief.public-readers.en.{fmt}"
        assert (themed / name).read_bytes() == (plain / name).read_bytes(), name
        name = f"small-brief.partners.en.{fmt}"
        assert (themed / name).read_bytes() != (plain / name).read_bytes(), name
    # Without its theme, partners' Ask box has no look: the default theme's headings, no navy.
    text, fill, around = box_colours(plain / "small-brief.partners.en.pdf", "Release")
    assert NAVY not in around and (text, fill) != (WHITE, NAVY)


def test_validate_reports_a_class_without_a_look(tmp_path):
    """`validate` renders every output's HTML (without writing it) and reports the classes
    the build's DOCX would: a class of the theme's `styles` is not one of them."""
    project = styled_project(tmp_path, "p", audience_theme=True)
    override = project / "templates" / "partners" / "policy-brief.html.j2"
    text = override.read_text(encoding="utf-8")
    override.write_text(text.replace("<p>After the columns.</p>", '<div class="mystery">After.</div>'))
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "validate", str(project)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "class 'mystery' (<div>) is neither in the HTML vocabulary nor under the theme's styles" in output
    assert "'ask'" not in output and "'two-col'" not in output


@pytest.mark.slow
def test_a_build_without_docx_reports_a_class_without_a_look(tmp_path):
    """The DOCX writer reports such classes as it meets them; a build of the PDF alone
    reports them too."""
    project = styled_project(tmp_path, "p", audience_theme=True)
    override = project / "templates" / "partners" / "policy-brief.html.j2"
    text = override.read_text(encoding="utf-8")
    override.write_text(text.replace("<p>After the columns.</p>", '<div class="mystery">After.</div>'))
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", str(project), "--brief", "small-brief", "--format", "pdf",
         "--audience", "partners", "-o", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert output.count("class 'mystery' (<div>) is neither in the HTML vocabulary") == 1, output
