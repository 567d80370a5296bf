"""Charts end to end: built PDF, DOCX and HTML read back, through LibreOffice too."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from charts_support import independent_detention_days
from conftest import PROJECTS, REPO, build, words

pytestmark = pytest.mark.slow

FIXTURE = PROJECTS / "charts"
# The confidential case, its subject, the confidential entry's text and date, and the
# confidential figure with its label.
CANARIES = (
    "Operation Nightjar",
    "Quillon Vantablack",
    "Zabrat canary",
    "1 June 2014",
    "Nightjar detainees",
    "Pelican ward",
)
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("charts-out")
    build(FIXTURE, out, jobs=2)
    return out / "charts-brief"


def pdf_alts(path: Path) -> list[str]:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return [
            str(o.get("/Alt"))
            for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure" and "/Alt" in o
        ]


def pdf_page_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def docx_chart_parts(path: Path) -> dict[str, str]:
    """Every chart part's XML, and the shared strings and sheet of every embedded workbook."""
    found = {}
    with zipfile.ZipFile(path) as docx:
        for name in docx.namelist():
            if name.startswith("word/charts/") and name.endswith(".xml"):
                found[name] = docx.read(name).decode()
            elif name.startswith("word/embeddings/"):
                with zipfile.ZipFile(io.BytesIO(docx.read(name))) as book:
                    for inner in book.namelist():
                        if inner.endswith(".xml"):
                            found[f"{name}!{inner}"] = book.read(inner).decode()
    return found


def docx_descrs(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as docx:
        xml = docx.read("word/document.xml").decode()
    return re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml)


def cached_values(chart_xml: str) -> dict[str, float]:
    """Category -> value from a chart part's caches (what Word shows before opening the sheet)."""
    from lxml import etree

    root = etree.fromstring(chart_xml.encode())
    ns = {"c": C_NS}
    series = root.find(".//c:ser", ns)
    cats = [v.text for v in series.findall("c:cat//c:pt/c:v", ns)]
    vals = [float(v.text) for v in series.findall("c:val//c:pt/c:v", ns)]
    return dict(zip(cats, vals, strict=True))


def test_repository_detention_days_in_pdf_alt_and_docx_cache_equal_an_independent_count(tmp_path):
    out = tmp_path / "out"
    build(REPO, out, briefs=["justice-behind-bars-brief"], audiences=["eu-policymakers"], jobs=2)
    expected = independent_detention_days(REPO)
    assert expected["Anar Mammadli"] == 764
    pdf = next((out / "justice-behind-bars-brief").glob("*.pdf"))
    [alt] = [a for a in pdf_alts(pdf) if a.startswith("Days in detention on 19 January 2016: ")]
    pairs = re.findall(r"([^:,]+?) (\d+)(?:,|\.$)", alt.split(": ", 1)[1])
    assert {name.strip(): int(days) for name, days in pairs} == expected
    docx = next((out / "justice-behind-bars-brief").glob("*.docx"))
    parts = docx_chart_parts(docx)
    charts = [xml for name, xml in parts.items() if name.startswith("word/charts/")]
    assert {k: int(v) for k, v in cached_values(charts[0]).items()} == expected
    assert alt in [d.replace("&amp;", "&") for d in docx_descrs(docx)]
    # The workbook holds the same numbers as the cache.
    sheet = parts["word/embeddings/Microsoft_Excel_Worksheet1.xlsx!xl/worksheets/sheet1.xml"]
    cells = re.findall(r'<c r="B(\d+)"[^>]*><v>(\d+)</v>', sheet)  # row 1 is the heading
    assert sorted(int(v) for row, v in cells if row != "1") == sorted(expected.values())


def _public_and_cleared(fixture_build: Path, language: str = "en"):
    return (
        {p.suffix: p for p in fixture_build.glob(f"charts-brief.public-readers.{language}.*")},
        {p.suffix: p for p in fixture_build.glob(f"charts-brief.cleared.{language}.*")},
    )


def _chart_texts(files: dict[str, Path]) -> dict[str, str]:
    html = files[".html"].read_text(encoding="utf-8")
    charts_html = "".join(re.findall(r'<figure class="chart.*?</figure>', html, re.S))
    return {
        "pdf alt": "\n".join(pdf_alts(files[".pdf"])),
        "pdf text": pdf_page_text(files[".pdf"]),
        "docx alt": "\n".join(docx_descrs(files[".docx"])),
        "docx chart parts and workbooks": "\n".join(docx_chart_parts(files[".docx"]).values()),
        "html charts": charts_html,
    }


def test_confidential_case_and_entry_absent_from_public_charts_present_for_cleared(fixture_build):
    public, cleared = _public_and_cleared(fixture_build)
    public_texts, cleared_texts = _chart_texts(public), _chart_texts(cleared)
    for where, text in public_texts.items():
        for canary in CANARIES:
            assert words(canary) not in words(text), (canary, where)
    assert "Anna Publicova 374" in public_texts["pdf alt"]
    # Positive control: the same readers find them in the cleared audience's charts.
    assert "Quillon Vantablack 1,081" in cleared_texts["pdf alt"]
    assert "Anna Publicova 597" in cleared_texts["pdf alt"]
    assert "Detention 1 June 2014" in cleared_texts["pdf alt"]
    for where in ("pdf text", "docx chart parts and workbooks", "html charts"):
        assert "Quillon Vantablack" in cleared_texts[where], where
        assert "Pelican ward" in cleared_texts[where], where
    assert "Operation Nightjar" in cleared_texts["docx alt"]  # the timeline picture's alt


def test_the_check_reads_the_workbook_inside_the_docx(fixture_build, tmp_path):
    from briefgen.check import docx_text

    public, _ = _public_and_cleared(fixture_build)
    poisoned = tmp_path / "poisoned.docx"
    with zipfile.ZipFile(public[".docx"]) as source, zipfile.ZipFile(poisoned, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith("Worksheet1.xlsx"):
                with zipfile.ZipFile(io.BytesIO(data)) as book:
                    inner = {n: book.read(n) for n in book.namelist()}
                inner["xl/sharedStrings.xml"] = inner["xl/sharedStrings.xml"].replace(
                    b"Anna Publicova", b"Quillon Vantablack"
                )
                buffer = io.BytesIO()
                with zipfile.ZipFile(buffer, "w") as book:
                    for name, content in inner.items():
                        book.writestr(name, content)
                data = buffer.getvalue()
            target.writestr(item, data)
    assert "Quillon Vantablack" not in docx_text(public[".docx"])
    assert "Quillon Vantablack" in docx_text(poisoned)


def test_russian_charts_have_russian_labels_and_number_formats(fixture_build):
    files, _ = _public_and_cleared(fixture_build, "ru")
    text = pdf_page_text(files[".pdf"]).replace("\u202f", " ").replace("\xa0", " ")
    for label in (
        "374 дня",
        "60 дней",
        "1 дело",
        "Анна Публикова",
        "Рисунок 1.",
        "В цифрах",
        "1 250",
        "85,5",
    ):
        assert label in text, label
    alts = pdf_alts(files[".pdf"])
    assert any(a.startswith("Дни под стражей на 19 января 2016") for a in alts)
    assert any(a.startswith("Хронология дел.") for a in alts)
    parts = docx_chart_parts(files[".docx"])
    assert any('<c:lang val="ru-RU"/>' in xml for xml in parts.values())
    assert any("Анна Публикова" in xml for name, xml in parts.items() if "sharedStrings" in name)


def test_pdf_chart_text_is_real_text_in_the_theme_fonts(fixture_build):
    files, _ = _public_and_cleared(fixture_build)
    fonts = subprocess.run(["pdffonts", str(files[".pdf"])], capture_output=True, text=True).stdout
    assert "Noto-Sans" in fonts
    assert "Figure 1." in pdf_page_text(files[".pdf"])
    assert "374 days" in pdf_page_text(files[".pdf"])


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_renders_the_native_charts_and_the_timeline(fixture_build, tmp_path):
    files, _ = _public_and_cleared(fixture_build)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(files[".docx"]),
        ],
        capture_output=True,
        timeout=240,
        check=True,
    )
    converted = tmp_path / files[".docx"].with_suffix(".pdf").name
    text = pdf_page_text(converted)
    # Labels only the charts carry: the figure's categories and values, drawn by LibreOffice.
    for label in ("Capital", "North", "1,250", "142", "Figure 6."):
        assert label in text, label
    # Values with their unit, on one line, as the PDF's chart prints them (word.label_format).
    flat = text.replace("\xa0", " ")
    for label in ("374 days", "60 days", "1 case"):
        assert label in flat, label
    images = subprocess.run(["pdfimages", "-list", str(converted)], capture_output=True, text=True).stdout
    assert len(images.strip().splitlines()) >= 3  # header lines, then the timeline picture


def test_word_charts_group_digits_as_the_output_language_does(fixture_build, tmp_path):
    # "#,##0" would group with the reader's separator: LibreOffice here runs in English and
    # drew "1,250" in the Russian DOCX, beside Russian text that says "1 250".
    files, _ = _public_and_cleared(fixture_build, "ru")
    codes = {
        code
        for xml in docx_chart_parts(files[".docx"]).values()
        for code in re.findall(r"<c:formatCode>([^<]*)</c:formatCode>", xml)
    }
    assert '[&gt;=1000000]#"\xa0"###"\xa0"###;[&gt;=1000]#"\xa0"###;0' in codes, codes
    assert not any(code == "#,##0" for code in codes)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(files[".docx"])],
        capture_output=True, timeout=240, check=True,
    )  # fmt: skip
    text = pdf_page_text(tmp_path / files[".docx"].with_suffix(".pdf").name).replace("\xa0", " ")
    assert "1 250" in text and "1,250" not in text
    # Each bar's unit in the plural its number needs, as the PDF: no one format could say both.
    for label in ("374 дня", "60 дней", "1 дело"):
        assert label in text, label


def openxml_audit(path: Path) -> subprocess.CompletedProcess:
    command = Path(sys.executable).with_name("openxml-audit")
    return subprocess.run(
        [str(command), "--policy", "strict", "-m", "0", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_docx_with_native_charts_passes_the_ooxml_validator(fixture_build, tmp_path):
    for docx in sorted(fixture_build.glob("*.docx")):
        assert "word/charts/chart1.xml" in zipfile.ZipFile(docx).namelist()
        result = openxml_audit(docx)
        assert result.returncode == 0 and "Errors: 0" in result.stdout, (docx.name, result.stdout[-3000:])
    # Negative control: the validator reads chart parts, and python-pptx's own axis ids fail.
    docx = next(fixture_build.glob("*.public-readers.en.docx"))
    broken = tmp_path / "negative-axis-ids.docx"
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/charts/chart1.xml":
                data = data.replace(b'val="100000001"', b'val="-2068027336"')
            target.writestr(item, data)
    result = openxml_audit(broken)
    assert result.returncode != 0 or "Errors: 0" not in result.stdout
    assert "-2068027336" in result.stdout


def test_builds_are_byte_identical_in_any_time_zone(tmp_path):
    outs = []
    for zone in ("UTC", "Pacific/Kiritimati", "America/Los_Angeles"):
        out = tmp_path / zone.replace("/", "-")
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1453161600", "TZ": zone}
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "briefgen",
                "build",
                str(FIXTURE),
                "-o",
                str(out),
                "--audience",
                "cleared",
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr
        outs.append(out)
    files = sorted(p.relative_to(outs[0]) for p in outs[0].rglob("*") if p.is_file())
    assert any(f.suffix == ".docx" for f in files)
    for other in outs[1:]:
        assert sorted(p.relative_to(other) for p in other.rglob("*") if p.is_file()) == files
        for name in files:
            assert (outs[0] / name).read_bytes() == (other / name).read_bytes(), (name, other)
    docx = next(outs[0].rglob("*.cleared.en.docx"))
    with zipfile.ZipFile(docx) as archive:
        book = archive.read("word/embeddings/Microsoft_Excel_Worksheet1.xlsx")
    with zipfile.ZipFile(io.BytesIO(book)) as inner:
        assert b"2016-01-19T00:00:00Z" in inner.read("docProps/core.xml")
