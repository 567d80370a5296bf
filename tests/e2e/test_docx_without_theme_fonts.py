"""The DOCX on a machine without the theme's fonts: LibreOffice must use the embedded ones.

A fontconfig configuration that sees the system's fonts but rejects every family of the
theme (FONTCONFIG_FILE) stands in for a typical recipient's machine. Each DOCX of the
repository project, converted there by LibreOffice, must use only the families embedded in
it, keep briefgen's PDF's page count within one page, and set no line over another. A
control copy with the embedded fonts removed must fall back to other fonts, which shows that
the configuration really hides them.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree

from briefgen.theme import BUILTIN_THEMES, load_theme
from briefgen.writers.docx.embedded_fonts import deobfuscate
from briefgen.writers.docx.line_spacing import holds_a_picture

pytestmark = pytest.mark.slow

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def theme_families() -> set[str]:
    theme = load_theme(BUILTIN_THEMES / "default")
    return {
        theme.body_font,
        theme.heading_font,
        *theme.body_fallback,
        *theme.heading_fallback,
        *(f.family for f in theme.font_files),
    }


def fonts_conf(folder: Path) -> Path:
    """A fontconfig file with the system's font folders and none of the theme's families."""
    rejected = "".join(
        f'<pattern><patelt name="family"><string>{family}</string></patelt></pattern>'
        for family in sorted(theme_families())
    )
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
        "<dir>/usr/share/fonts</dir><dir>/usr/local/share/fonts</dir>"
        f"<cachedir>{folder / 'cache'}</cachedir>"
        f"<selectfont><rejectfont>{rejected}</rejectfont></selectfont>"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


@pytest.fixture(scope="module")
def without_fonts(tmp_path_factory) -> dict[str, str]:
    """The environment of a machine that lacks the theme's fonts."""
    folder = tmp_path_factory.mktemp("fontconfig")
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf(folder))}
    listed = subprocess.run(
        ["fc-list", ":", "family"], env=env, capture_output=True, text=True, check=True
    ).stdout
    seen = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    assert seen, "fontconfig lists no font at all"
    assert not seen & theme_families(), seen & theme_families()
    return env


def convert(documents: list[Path], outdir: Path, env: dict[str, str]) -> None:
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(outdir / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, documents),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    assert result.returncode == 0, result.stderr


def pdf_font_names(path: Path) -> set[str]:
    """PostScript names of the fonts a PDF uses (pdffonts), without subset prefixes."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    names = set()
    for line in out.splitlines()[2:]:
        name = line.split()[0] if line.split() else ""
        names.add(re.sub(r"^[A-Z]{6}\+", "", name))
    return names


def embedded_postscript_names(docx: Path) -> dict[str, str]:
    """PostScript name -> family of every font embedded in a DOCX."""
    from fontTools.ttLib import TTFont

    with zipfile.ZipFile(docx) as z:
        table = etree.fromstring(z.read("word/fontTable.xml"))
        rels = etree.fromstring(z.read("word/_rels/fontTable.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels}
        names = {}
        for font in table.iter(f"{{{W}}}font"):
            for embed in font:
                rid = embed.get(f"{{{R}}}id")
                if rid is None:
                    continue
                data = deobfuscate(z.read("word/" + targets[rid]), embed.get(f"{{{W}}}fontKey"))
                ps_name = TTFont(io.BytesIO(data))["name"].getDebugName(6)
                names[ps_name] = font.get(f"{{{W}}}name")
    return names


def overlapping_words(path: Path) -> list[tuple[int, str, str]]:
    """Pairs of words whose boxes (one em tall each) overlap: lines set over one another."""
    found = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            words = sorted(page.extract_words(use_text_flow=False), key=lambda w: w["top"])
            for i, a in enumerate(words):
                for b in words[i + 1 :]:
                    if b["top"] >= a["bottom"]:
                        break
                    dy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                    dx = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                    # Word boxes are one em tall: lines closer than an em overlap. The cover
                    # title as it was (a multiple of Noto's line height, in DejaVu) did by 1.6 pt.
                    if dx > 1 and dy > 0.1:
                        found.append((number, a["text"], b["text"]))
    return found


@pytest.fixture(scope="module")
def converted(repo_build, without_fonts, tmp_path_factory) -> tuple[Path, list[Path]]:
    out, manifest = repo_build
    documents = [out / e["path"] for e in manifest["outputs"] if e["format"] == "docx"]
    folder = tmp_path_factory.mktemp("lo-without-fonts")
    # One LibreOffice process per document, as a recipient opens one: within one session
    # LibreOffice keeps the first embedded subset of a family it saw and uses it for later
    # documents too (docs/quality-notes.md, "Known limits").
    for document in documents:
        convert([document], folder, without_fonts)
    return folder, documents


def test_libreoffice_uses_the_embedded_families(converted):
    folder, documents = converted
    for document in documents:
        embedded = embedded_postscript_names(document)
        assert {"Noto Serif", "Noto Sans"} <= set(embedded.values()), document.name
        used = pdf_font_names(folder / (document.stem + ".pdf"))
        assert used, document.name
        assert used <= set(embedded), (document.name, used - set(embedded))
        assert {embedded[name] for name in used} >= {"Noto Serif", "Noto Sans"}, (document.name, used)


def test_page_counts_match_the_pdf_within_one_page(converted):
    folder, documents = converted
    for document in documents:
        with (
            pdfplumber.open(folder / (document.stem + ".pdf")) as lo,
            pdfplumber.open(document.with_suffix(".pdf")) as ours,
        ):
            assert abs(len(lo.pages) - len(ours.pages)) <= 1, (document.name, len(lo.pages), len(ours.pages))


def test_no_line_is_set_over_another(converted):
    folder, documents = converted
    for document in documents:
        assert overlapping_words(folder / (document.stem + ".pdf")) == [], document.name


def test_no_paragraph_holding_a_picture_is_set_tighter_than_single(repo_build):
    """Exact spacing, or a multiple below 1, clips an inline picture (the cover logo did)."""
    out, manifest = repo_build
    pictures = 0
    for entry in manifest["outputs"]:
        if entry["format"] != "docx":
            continue
        with zipfile.ZipFile(out / entry["path"]) as z:
            body = etree.fromstring(z.read("word/document.xml"))
            styles = etree.fromstring(z.read("word/styles.xml"))
        for paragraph in body.iter(f"{{{W}}}p"):
            if paragraph.find(f".//{{{W}}}drawing") is None:
                continue
            pictures += 1
            line, rule = _effective_line(paragraph, styles)
            assert holds_a_picture(line, rule), (entry["path"], line, rule)
    assert pictures >= 11  # a logo on every cover, photos in the cards


def _effective_line(paragraph, styles) -> tuple[int | None, str | None]:
    """w:line and w:lineRule as Word resolves them: the paragraph's, its style chain's, the
    document defaults'. Written here again on purpose, not taken from briefgen."""
    q = f"{{{W}}}"

    def own(ppr):
        spacing = None if ppr is None else ppr.find(q + "spacing")
        if spacing is None or spacing.get(q + "line") is None:
            return None
        return int(spacing.get(q + "line")), spacing.get(q + "lineRule")

    ppr = paragraph.find(q + "pPr")
    if own(ppr):
        return own(ppr)
    by_id = {s.get(q + "styleId"): s for s in styles.iter(q + "style")}
    style_ref = None if ppr is None else ppr.find(q + "pStyle")
    style = by_id.get(style_ref.get(q + "val")) if style_ref is not None else by_id.get("Normal")
    while style is not None:
        if own(style.find(q + "pPr")):
            return own(style.find(q + "pPr"))
        based = style.find(q + "basedOn")
        style = by_id.get(based.get(q + "val")) if based is not None else None
    return own(styles.find(f"{q}docDefaults/{q}pPrDefault/{q}pPr")) or (None, None)


def test_without_the_embedded_fonts_libreoffice_falls_back(converted, without_fonts, tmp_path):
    """The control: the same DOCX with its font parts taken out shows other families, so
    the test above sees the embedded fonts, not installed ones."""
    _folder, documents = converted
    source = documents[0]
    stripped = tmp_path / source.name
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(stripped, "w") as out:
        for name in z.namelist():
            data = z.read(name)
            if name == "word/fontTable.xml":
                data = re.sub(rb"<w:embed(Regular|Bold|Italic|BoldItalic) [^>]*/>", b"", data)
            if not name.startswith(("word/fonts/", "word/_rels/fontTable")):
                out.writestr(name, data)
    convert([stripped], tmp_path, without_fonts)
    used = pdf_font_names(tmp_path / (stripped.stem + ".pdf"))
    assert used and not any(name.startswith("Noto") for name in used), used
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)
