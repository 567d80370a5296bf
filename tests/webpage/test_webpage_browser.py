"""The HTML output as a web page, in a real browser: Debian's Chromium through Playwright,
for every built-in template. At 1280 px the body column is 560-800 px wide with margins on
both sides; at 360 px nothing scrolls sideways; every in-page link leads to an element;
axe-core finds no WCAG 2.2 A/AA violation. Screenshots at both widths are kept in
tests/artefacts/webpage/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from webpage_support import CHROMIUM_ARGS, axe_source, axe_violations, chromium, make_project, screenshot

pytestmark = pytest.mark.slow

# One output of each built-in template, and one in another language and script.
PAGES = {
    "policy-brief": "justice-behind-bars-brief/justice-behind-bars-brief.partners.en.alex-example.html",
    "event-summary": "justice-behind-bars-event/justice-behind-bars-event.partners.en.html",
    "event-summary-ru": "justice-behind-bars-event/justice-behind-bars-event.eu-policymakers.ru.html",
    "case-dossier": "justice-behind-bars-dossier/justice-behind-bars-dossier.partners.en.html",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("project"))
    out = tmp_path_factory.mktemp("web")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1453161600"}
    done = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", str(project), "-o", str(out), "--format", "html"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser, path: Path, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900 if width > 600 else 740})
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready")
    return page


@pytest.mark.parametrize("name", PAGES)
def test_desktop_column_with_margins(built, browser, name):
    page = open_page(browser, built / PAGES[name], 1280)
    try:
        box = page.evaluate(
            """() => { const r = document.querySelector('main').getBoundingClientRect();
                       return {left: r.left, right: r.right, width: r.width}; }"""
        )
        assert 560 <= box["width"] <= 800, box
        assert box["left"] >= 120 and 1280 - box["right"] >= 120, box  # margins on both sides
        # The body text's line length in characters: about 60-75.
        chars = page.evaluate(
            """() => { const p = [...document.querySelectorAll('main p')]
                           .find(p => p.textContent.length > 300);
                       const s = getComputedStyle(p);
                       const c = document.createElement('canvas').getContext('2d');
                       c.font = s.fontSize + ' ' + s.fontFamily;
                       const avg = c.measureText('abcdefghijklmnopqrstuvwxyz ').width / 27;
                       return p.clientWidth / avg; }"""
        )
        assert 55 <= chars <= 85, chars
        # The title block is compact: the contents or the text begin on the first screen after
        # it (a recipient's copy may open with a letter before it).
        first = page.evaluate(
            """() => document.querySelector('nav.toc, main').getBoundingClientRect().top
                     - document.querySelector('header.masthead').getBoundingClientRect().top"""
        )
        assert first < 900, first
        screenshot(page, f"{name}-1280")
    finally:
        page.close()


@pytest.mark.parametrize("name", PAGES)
def test_phone_no_horizontal_scroll(built, browser, name):
    page = open_page(browser, built / PAGES[name], 360)
    try:
        widths = page.evaluate(
            """() => ({scroll: document.documentElement.scrollWidth,
                       client: document.documentElement.clientWidth})"""
        )
        assert widths["scroll"] <= widths["client"] == 360, widths
        wider = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > 360.5 && e.getClientRects().length)
                    .map(e => e.tagName + '.' + e.className).slice(0, 5)"""
        )
        assert wider == []
        screenshot(page, f"{name}-360")
    finally:
        page.close()


@pytest.mark.parametrize("name", PAGES)
def test_in_page_links_resolve(built, browser, name):
    page = open_page(browser, built / PAGES[name], 1280)
    try:
        links = page.evaluate(
            """() => [...document.querySelectorAll('a[href^="#"]')].map(a => ({
                    href: a.getAttribute('href'),
                    found: !!document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1))),
                    visible: a.getClientRects().length > 0 }))"""
        )
        assert links, "no in-page links"
        assert [link["href"] for link in links if not link["found"]] == []
        hrefs = {link["href"] for link in links}
        assert any(h.startswith("#note-") and not h.endswith("-call") for h in hrefs)  # note calls
        assert any(h.endswith("-call") for h in hrefs)  # and back
        assert any(h.startswith("#source-") for h in hrefs)  # citations lead to the sources
        # Each visible call leads to a visible note, which leads back to that call.
        page.click("sup.footnote-call a >> nth=0")
        assert page.evaluate("() => location.hash") == "#note-1"
        assert page.is_visible("#note-1")
        page.click("#note-1 a.footnote-back")
        assert page.evaluate("() => location.hash") == "#note-1-call"
        # Every heading can be linked to.
        assert (
            page.evaluate("() => [...document.querySelectorAll('h1, h2, h3, h4')].filter(h => !h.id).length")
            == 0
        )
        landmarks = page.evaluate(
            """() => ['header', 'nav', 'main', 'footer']
                    .filter(t => document.querySelectorAll('body > ' + t).length === 1)"""
        )
        assert landmarks == ["header", "nav", "main", "footer"]
    finally:
        page.close()


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_wcag_22_aa_violation(built, browser, name, width):
    page = open_page(browser, built / PAGES[name], width)
    try:
        violations = axe_violations(page, axe_source())
        assert violations == []
    finally:
        page.close()


def test_printing_the_page_hides_the_screen_parts(built, browser):
    """A browser's print of the page: the note calls, list of notes and footer are gone."""
    page = open_page(browser, built / PAGES["policy-brief"], 1280)
    try:
        page.emulate_media(media="print")
        hidden = page.evaluate(
            """() => [...document.querySelectorAll('.screen-only')]
                    .every(e => getComputedStyle(e).display === 'none')"""
        )
        assert hidden
        assert page.evaluate("() => getComputedStyle(document.body).maxWidth") == "none"
    finally:
        page.close()
