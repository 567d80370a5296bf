"""The HTML output as a web page, in a real browser: Debian's Chromium through Playwright,
for every built-in template. At 1280 px the body column is 560-800 px wide with margins on
both sides; at 360 px nothing scrolls sideways; every in-page link leads to an element;
axe-core finds no WCAG 2.2 A/AA violation. Screenshots at both widths are kept in
tests/artefacts/webpage/ (git-ignored) for a person to look at. An internal audience's page
opens with its marking as a banner that stays in view and hides nothing a link or the
keyboard leads to; every heading has a link to itself; a value in another language inside
a label carries its lang.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from webpage_support import (
    ax_role_and_name,
    axe_source,
    axe_violations,
    chromium_browser,
    make_project,
    open_page,
    screenshot,
)

pytestmark = pytest.mark.slow

# One output of each built-in template, and one in another language and script.
PAGES = {
    "policy-brief": "justice-behind-bars-brief/justice-behind-bars-brief.partners.en.alex-example.html",
    "event-summary": "justice-behind-bars-event/justice-behind-bars-event.partners.en.html",
    "event-summary-ru": "justice-behind-bars-event/justice-behind-bars-event.eu-policymakers.ru.html",
    # An internal audience in Russian: the marking banner in Russian, and the audience's name
    # (no Russian text) in English inside a Russian label.
    "event-summary-ru-internal": "justice-behind-bars-event/justice-behind-bars-event.partners.ru.html",
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
    with chromium_browser() as launched:
        yield launched


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
        # Nothing sticks out of the window, but inside a box that scrolls sideways itself
        # (a chart, drawn for the printed page, keeps a readable width in one).
        wider = page.evaluate(
            """() => {
                const inScrollBox = e => {
                    for (let a = e.parentElement; a; a = a.parentElement) {
                        if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return true;
                    }
                    return false;
                };
                return [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > 360.5 && e.getClientRects().length)
                    .filter(e => !inScrollBox(e))
                    .map(e => e.tagName + '.' + e.getAttribute('class')).slice(0, 5);
            }"""
        )
        assert wider == []
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                    .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
                    .map(e => e.tagName + '.' + e.getAttribute('class'))"""
        )
        assert all(box.startswith("FIGURE.chart") for box in boxes), boxes
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
        # The heading links and the marking banner are among them; the cover's marking shows.
        assert page.evaluate("() => document.querySelectorAll('.screen-only.heading-anchor').length") > 5
        assert page.evaluate("() => document.querySelectorAll('.screen-only.marking-banner').length") == 1
        assert page.is_visible(".cover p.marking")
    finally:
        page.close()


MARKED = {"policy-brief": "Internal: not for distribution", "case-dossier": "Internal: not for distribution"}
MARKED["event-summary-ru-internal"] = "Для служебного пользования: не распространять"


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("name", MARKED)
def test_the_marking_banner_opens_the_page_and_stays_in_view(built, browser, name, width):
    page = open_page(browser, built / PAGES[name], width)
    try:
        # First in the body (before a recipient's letter), so read first; a region named by
        # the marking itself, as Chromium gives it to a screen reader.
        first = page.evaluate("() => document.body.firstElementChild.className")
        assert first == "marking-banner screen-only"
        assert ax_role_and_name(page, ".marking-banner") == ("region", MARKED[name])
        assert page.evaluate("() => document.body.innerText.trim().split('\\n')[0]") == MARKED[name]
        # Shown once on screen: the cover's boxed marking is the printed one.
        assert page.is_visible(".marking-banner") and not page.is_visible(".cover p.marking")
        top = page.evaluate("() => document.querySelector('.marking-banner').getBoundingClientRect().top")
        assert top == 0
        # Across the window at any width, without making the page scroll sideways.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        # Still at the top of the window at the end of the page.
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        box = page.evaluate(
            """() => { const r = document.querySelector('.marking-banner').getBoundingClientRect();
                       return {top: r.top, bottom: r.bottom}; }"""
        )
        assert page.evaluate("() => window.scrollY") > 1000 and box["top"] == 0 and box["bottom"] > 20
        page.evaluate("() => window.scrollTo(0, 0)")
        screenshot(page, f"{name}-banner-{width}")
    finally:
        page.close()


def test_no_banner_without_a_marking(built, browser):
    page = open_page(browser, built / PAGES["event-summary-ru"], 1280)  # a public audience
    try:
        assert page.evaluate("() => document.querySelectorAll('.marking-banner, p.marking').length") == 0
    finally:
        page.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_nothing_a_link_or_the_keyboard_leads_to_hides_under_the_banner(built, browser, width):
    """WCAG 2.4.11 (focus not obscured): a sticky banner must not cover what has the focus,
    nor the heading or note an in-page link scrolls to."""
    page = open_page(browser, built / PAGES["policy-brief"], width)
    try:
        bottom = page.evaluate(
            "() => document.querySelector('.marking-banner').getBoundingClientRect().bottom"
        )
        covered = []
        # Forwards through the letter's links, the contents, heading links and note calls,
        # then back up the page, where the browser scrolls each focused element in at the top.
        for key in ["Tab"] * 60 + ["Shift+Tab"] * 40:
            page.keyboard.press(key)
            rect = page.evaluate(
                """() => { const e = document.activeElement;
                           if (!e || e === document.body) return null;
                           const r = e.getBoundingClientRect();
                           return {top: r.top, bottom: r.bottom, what: e.outerHTML.slice(0, 80)}; }"""
            )
            if rect and rect["top"] < bottom - 0.5:
                covered.append(rect)
        assert covered == []
        for href in ["#cases", "#note-3", "#source-iphr-justice-behind-bars-2015"]:
            page.evaluate("() => window.scrollTo(0, 0)")
            page.click(f'a[href="{href}"] >> nth=0')
            top = page.evaluate(f"() => document.getElementById('{href[1:]}').getBoundingClientRect().top")
            assert bottom <= top < 300, (href, top)
    finally:
        page.close()


@pytest.mark.parametrize("name", ["policy-brief", "event-summary-ru", "case-dossier"])
def test_every_heading_has_a_link_to_itself(built, browser, name):
    page = open_page(browser, built / PAGES[name], 1280)
    try:
        headings = page.evaluate(
            """() => [...document.querySelectorAll('h1, h2, h3, h4')].map(h => {
                    const a = h.querySelector(':scope > a.heading-anchor');
                    return {id: h.id, href: a && a.getAttribute('href'), text: a && a.textContent}; })"""
        )
        assert len(headings) > 8
        assert [h for h in headings if h["href"] != "#" + h["id"] or h["text"] != "#"] == []
        label = "Ссылка на этот раздел" if name.endswith("-ru") else "Link to this section"
        # Chromium's name for the link, as a screen reader hears it.
        assert ax_role_and_name(page, "h1.section > a.heading-anchor") == (
            "link",
            label,
        )
        anchor = "main h1.section > a.heading-anchor >> nth=1"
        opacity = "e => getComputedStyle(e).opacity"
        assert page.locator(anchor).evaluate(opacity) == "0"  # out of the way
        page.hover("main h1.section >> nth=1")
        assert page.locator(anchor).evaluate(opacity) == "1"  # shown while the pointer is on it
        box = page.locator(anchor).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24  # WCAG 2.5.8
        page.mouse.move(0, 0)
        assert page.locator(anchor).evaluate(opacity) == "0"
        # Reached with the keyboard, it shows itself.
        page.locator(anchor).focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.className") == "heading-anchor screen-only"
        assert page.locator(anchor).evaluate(opacity) == "1"
        screenshot(page, f"{name}-heading-link-1280", full_page=False)
        # Following it puts the heading's address in the location bar, to copy.
        page.keyboard.press("Enter")
        target = page.locator(anchor).evaluate("e => e.parentElement.id")
        assert page.evaluate("() => location.hash") == "#" + target
        # Hanging in the margin, it takes no room: no heading is taller for it.
        heights = "() => [...document.querySelectorAll('h1, h2, h3, h4')].map(h => h.offsetHeight)"
        before = page.evaluate(heights)
        page.evaluate("() => document.querySelectorAll('.heading-anchor').forEach(a => a.remove())")
        assert page.evaluate(heights) == before
    finally:
        page.close()


def test_on_a_phone_the_heading_links_follow_the_text(built, browser):
    """No hover and no margin on a phone: the "#" follows each heading's text, shown."""
    page = open_page(browser, built / PAGES["case-dossier"], 360)
    try:
        shown = page.evaluate(
            """() => [...document.querySelectorAll('main h2 > a.heading-anchor')].map(a => {
                    const r = a.getBoundingClientRect(), h = a.parentElement.getBoundingClientRect();
                    return {opacity: getComputedStyle(a).opacity,
                            inside: r.left >= h.left && r.right <= h.right,
                            width: r.width, height: r.height}; })"""
        )
        assert shown and all(
            s["opacity"] == "1" and s["inside"] and s["width"] >= 24 and s["height"] >= 24 for s in shown
        ), shown
        # The contents' own heading has none to show.
        assert not page.is_visible("nav.toc a.heading-anchor")
    finally:
        page.close()


def test_a_value_in_another_language_inside_a_label_carries_its_lang(built, browser):
    """The partners' reader name has no Russian text (make_project): the Russian page says
    "Аудитория: IPHR's partner organisations", the label in Russian, the name marked English."""
    page = open_page(browser, built / PAGES["event-summary-ru-internal"], 1280)
    try:
        found = page.evaluate(
            """() => [...document.querySelectorAll('.cover-meta p')]
                    .filter(p => p.textContent.includes("IPHR's partner organisations"))
                    .map(p => ({text: p.textContent,
                                lang: [...p.querySelectorAll('[lang]')]
                                        .filter(e => e.textContent === "IPHR's partner organisations")
                                        .map(e => e.lang)}))"""
        )
        assert found == [{"text": "Аудитория: IPHR's partner organisations", "lang": ["en"]}]
        assert page.evaluate("() => document.documentElement.lang") == "ru"
    finally:
        page.close()
