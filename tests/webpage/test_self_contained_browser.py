"""`build --self-contained` and `html: {self_contained: true}`: one .html file per output,
no resource folder, no reference to anything outside the file, the same bytes on every
build; opened alone (copied into an empty folder) in Chromium its fonts and images load."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from webpage_support import CHROMIUM_ARGS, build_html, chromium, make_project, screenshot

pytestmark = pytest.mark.slow

NARROW = ("--audience", "partners", "--lang", "en")  # one output of each template, three copies
# Everything a browser would load: src, srcset, poster, <link href>, CSS url() and @import.
LOADED = re.compile(
    r"""\s(?:src|srcset|poster|data)\s*=\s*["']?(?!data:)([^"'\s>]+)"""
    r"""|<link\b[^>]*\shref\s*=\s*["']?(?!data:)([^"'\s>]+)"""
    r"""|url\(\s*["']?(?!data:)([^"')]+)|@import""",
    re.I,
)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="module")
def built(project, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("one-file")
    build_html(project, out, "--self-contained", *NARROW)
    return out


def test_one_file_per_output_with_nothing_outside_it(built):
    pages = sorted(built.rglob("*.html"))
    # Every template, and the brief's recipients' copies in English.
    assert {p.parent.name for p in pages} == {
        "justice-behind-bars-brief",
        "justice-behind-bars-event",
        "justice-behind-bars-dossier",
    }
    assert len(pages) >= 4
    assert not [p for p in built.rglob("*_files")]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert LOADED.findall(html) == [], page.name
        # Links are in-page (#...) or to the web (a source's URL), never to a local file.
        hrefs = re.findall(r'<a\b[^>]*\shref="([^"]*)"', html)
        assert hrefs and all(re.match(r"#|https?:|mailto:", h) for h in hrefs), page.name
        assert "data:font/woff2;base64," in html or "data:font/woff;base64," in html
        assert 'src="data:image/png;base64,' in html  # the publisher's logo


def test_the_same_bytes_on_every_build(project, built, tmp_path):
    again = tmp_path / "again"
    build_html(project, again, "--self-contained", "--brief", "justice-behind-bars-dossier", *NARROW)
    name = "justice-behind-bars-dossier/justice-behind-bars-dossier.partners.en.html"
    assert (again / name).read_bytes() == (built / name).read_bytes()


def test_the_brief_setting_does_the_same(project, built, tmp_path):
    settings = project / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8")
    copy = tmp_path / "project"
    shutil.copytree(project, copy)
    marked = text.replace(
        "    template: case-dossier\n", "    template: case-dossier\n    html: {self_contained: true}\n", 1
    )
    assert marked != text
    (copy / "briefgen.yaml").write_text(marked, encoding="utf-8")
    out = tmp_path / "out"
    build_html(copy, out, "--brief", "justice-behind-bars-dossier", *NARROW)
    name = "justice-behind-bars-dossier/justice-behind-bars-dossier.partners.en.html"
    assert (out / name).read_bytes() == (built / name).read_bytes()
    assert not list(out.rglob("*_files"))


def test_opens_alone_with_fonts_and_images(built, tmp_path):
    from playwright.sync_api import sync_playwright

    source = built / "justice-behind-bars-brief" / "justice-behind-bars-brief.partners.en.alex-example.html"
    alone = tmp_path / "sent-by-mail.html"
    shutil.copy(source, alone)
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(alone.as_uri())
            page.wait_for_load_state("load")
            page.evaluate("document.fonts.ready")
            # Every face the page uses is loaded from the file itself.
            fonts = page.evaluate(
                """() => [...document.fonts]
                        .map(f => [f.family.replace(/"/g, ''), f.weight, f.style, f.status])"""
            )
            loaded = {
                (family, weight, style) for family, weight, style, status in fonts if status == "loaded"
            }
            assert {("Noto Serif", "400", "normal"), ("Noto Sans", "700", "normal")} <= loaded, fonts
            assert [f for f in fonts if f[3] == "error"] == []
            assert page.evaluate("() => document.fonts.check('16px \"Noto Serif\"', 'Rəşad Правосудие')")
            images = page.evaluate(
                "() => [...document.images].map(i => [i.complete, i.naturalWidth, i.src.slice(0, 15)])"
            )
            assert images and all(
                done and width > 0 and src.startswith("data:image/") for done, width, src in images
            )
            screenshot(page, "self-contained-1280")
        finally:
            browser.close()
    assert [u for u in requests if not u.startswith("data:") and u != alone.as_uri()] == []
