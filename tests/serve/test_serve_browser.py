"""`briefgen serve` end to end in a real browser: Debian's Chromium, driven by Playwright
through executable_path (nothing is downloaded). An author's session: open the page, pick
an output, save a content file and see the new text in the draft and the print view without
reloading; save a broken file and see the error with its path and line over the last good
preview; fix it and see the error go. Screenshots are kept in tests/artefacts/ (git-ignored).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import CHROMIUM_ARGS, REPO, words
from serve_support import CONTENT, SUMMARY, Server, make_project, save

pytestmark = pytest.mark.slow

ARTEFACTS = REPO / "tests" / "artefacts"
WAIT_MS = 90_000


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("Debian's chromium is needed for the browser test: run `make system-deps`")
    return found


@pytest.fixture
def browser_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            yield page
        finally:
            browser.close()


def pdf_words(page) -> str:
    return words(page.eval_on_selector("#pdf-view", "e => e.textContent"))


def frame_words(page) -> str:
    return words(page.frame_locator("#html-view iframe:not(.loading)").locator("body").text_content())


def wait_until(page, check, what: str, timeout_ms: int = WAIT_MS) -> None:
    """Poll a Python check against the page (text from the iframe or the PDF text layer)."""
    for _ in range(timeout_ms // 100):
        try:
            if check():
                return
        except Exception:
            pass  # mid-swap: the old frame is gone, the new one not yet shown
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {what}")


def test_author_session(tmp_path, browser_page):
    page = browser_page
    ARTEFACTS.mkdir(exist_ok=True)
    project = make_project(tmp_path / "project")
    content = project / CONTENT
    original = content.read_text(encoding="utf-8")
    with Server(project, "--jobs", "1") as server:
        server.idle()
        page.goto(server.url)
        page.evaluate("window.__notReloaded = true")

        # Every output is listed; the confidential one is marked as such.
        options = page.eval_on_selector_all("#output option", "os => os.map(o => o.textContent)")
        assert len(options) == 3 and any("(confidential)" in o for o in options), options
        page.select_option("#output", label=next(o for o in options if "Core team" in o))
        page.wait_for_selector("#confidential:not([hidden])")
        assert "CONFIDENTIAL" in page.inner_text("#confidential")
        assert page.inner_text("#clearance") == "Core team · CONFIDENTIAL"

        # Pick the public output; the draft view shows its HTML.
        page.select_option("#output", label=next(o for o in options if "Policymakers" in o))
        page.wait_for_selector("#confidential[hidden]", state="attached")
        assert page.inner_text("#clearance") == "Policymakers · PUBLIC"
        wait_until(page, lambda: words(SUMMARY) in frame_words(page), "the draft")
        server.idle()  # no refresh of this output is still on its way
        page.wait_for_selector("#html-view iframe.loading", state="detached")
        frame = page.frame_locator("#html-view iframe:not(.loading)")
        frame.locator("body").evaluate("b => window.scrollTo(0, 250)")
        scrolled = frame.locator("body").evaluate("b => window.scrollY")
        assert scrolled > 0

        # Save a content file: the new text shows without a reload, at the same place.
        save(content, original.replace(SUMMARY, f"{SUMMARY} Zebracorn"))
        wait_until(page, lambda: "zebracorn" in frame_words(page), "the edited draft")
        frame = page.frame_locator("#html-view iframe:not(.loading)")
        assert frame.locator("body").evaluate("b => window.scrollY") == scrolled
        assert page.get_by_text("Policymakers · PUBLIC").is_visible()

        # The print view draws the real PDF; a save refreshes it too.
        page.click("button[data-view=pdf]")
        wait_until(page, lambda: "zebracorn" in pdf_words(page), "the PDF with the first edit")
        save(content, original.replace(SUMMARY, f"{SUMMARY} Quokkafish"))
        wait_until(page, lambda: "quokkafish" in pdf_words(page), "the PDF with the second edit")
        assert page.eval_on_selector("#html-view", "e => e.hidden")

        # A broken file: the error with its path and line, over the last good preview.
        broken = original.replace("    status: detained\n", "    status: [detained\n")
        save(content, broken)
        page.wait_for_selector("#errors:not([hidden])", timeout=WAIT_MS)
        errors = page.inner_text("#error-list")
        assert re.search(rf"{re.escape(CONTENT)}:\d+:\d+: ", errors), errors
        line = broken.splitlines().index("    status: [detained") + 1
        reported = int(re.search(rf"{re.escape(CONTENT)}:(\d+):", errors).group(1))
        assert reported in (line, line + 1), (reported, line, errors)
        assert "quokkafish" in pdf_words(page), "the last good preview stays"
        assert "error" in page.inner_text("#state")
        page.screenshot(path=str(ARTEFACTS / "serve-error.png"))

        # Fixed: the error goes on the next save.
        save(content, original.replace(SUMMARY, f"{SUMMARY} Fixedlynx"))
        page.wait_for_selector("#errors[hidden]", state="attached", timeout=WAIT_MS)
        wait_until(page, lambda: "fixedlynx" in pdf_words(page), "the PDF after the fix")
        page.screenshot(path=str(ARTEFACTS / "serve-print.png"))

        assert page.evaluate("window.__notReloaded") is True, "the page must not reload itself"
        assert page.evaluate("location.hash").startswith("#stem=example-brief.policymakers.en")
    for name in ("serve-error.png", "serve-print.png"):
        assert Path(ARTEFACTS / name).stat().st_size > 10_000


# Records, in the page, the order in which the PDF view's pages get their drawing (drawn by
# pdf.js, or copied from the old view when their digest is the same), and which had theirs
# when the new view replaced the old one (mutation records come in order).
_WATCH_DRAWING = """() => {
  window.__drawn = [];
  window.__copied = [];
  window.__finished = [];
  window.__atSwap = null;
  if (window.__observer) window.__observer.disconnect();
  window.__observer = new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === "childList") {
        for (const node of change.addedNodes) {
          if (node.tagName !== "CANVAS") continue;
          const holder = node.parentElement;
          (holder.dataset.copied ? window.__copied : window.__drawn).push(Number(holder.dataset.page));
        }
      } else if (change.attributeName === "data-drawn") {
        window.__finished.push(Number(change.target.dataset.page));
      } else if ((change.oldValue || "").includes("incoming")
                 && !change.target.classList.contains("incoming")) {
        window.__atSwap = [...window.__finished];
      }
    }
  });
  window.__observer.observe(document.getElementById("pdf-view"), {
    subtree: true, childList: true, attributes: true, attributeFilter: ["class", "data-drawn"],
    attributeOldValue: true,
  });
}"""


TITLE = "An example case: what happened and what to do"  # the starter brief's, on every page


def test_the_print_view_draws_the_pages_in_view_first_and_keeps_its_place(tmp_path, browser_page):
    page = browser_page
    project = make_project(tmp_path / "project")
    content = project / CONTENT
    settings = project / "briefgen.yaml"
    original = content.read_text(encoding="utf-8")
    stem = "example-brief.policymakers.en"
    drawn_reports: list[str] = []
    page.on("request", lambda r: r.method == "POST" and "/drawn/" in r.url and drawn_reports.append(r.url))

    def saved_and_drawn(path, text, word):
        page.evaluate(_WATCH_DRAWING)
        drawn_reports.clear()
        save(path, text)
        wait_until(page, lambda: word in pdf_words(page), f"the PDF with {word}")
        wait_until(page, lambda: drawn_reports, "the page's word that it drew the new PDF")
        assert drawn_reports[-1].endswith(f"/drawn/{stem}.pdf"), drawn_reports
        return [page.evaluate(f"window.__{name}") for name in ("drawn", "copied", "atSwap", "finished")]

    with Server(project, "--jobs", "1") as server:
        server.idle()
        page.goto(f"{server.url}#stem={stem}&view=pdf")
        wait_until(page, lambda: words(SUMMARY) in pdf_words(page), "the PDF")
        count = page.eval_on_selector_all("#pdf-view .page", "ps => ps.length")
        assert count >= 2, count
        wait_until(page, lambda: drawn_reports, "the page's word that it drew the PDF")
        # Look at the second page, and save.
        top = page.evaluate(
            "() => { const v = document.getElementById('pdf-view');"
            " v.scrollTop = v.querySelector('.page[data-page=\"2\"]').offsetTop; return v.scrollTop; }"
        )
        assert top > 0

        # A new title: every page shows it, every page is drawn again.
        drawn, copied, at_swap, finished = saved_and_drawn(
            settings,
            settings.read_text(encoding="utf-8").replace(TITLE, f"{TITLE} Pangolinwren"),
            "pangolinwren",
        )
        assert copied == [], copied
        assert drawn[0] == 2, drawn  # the page in view first
        assert sorted(drawn) == list(range(1, count + 1)), drawn  # then every other, once
        assert at_swap == [2], at_swap  # the new view showed once the page in view was drawn
        assert sorted(finished) == list(range(1, count + 1))

        # A word in the case on page 2: the cover shows what it showed, and is copied.
        drawn, copied, at_swap, finished = saved_and_drawn(
            content, original.replace(SUMMARY, f"{SUMMARY} Wombatfinch"), "wombatfinch"
        )
        assert copied == [1], copied  # out of view: it takes the old view's picture at the swap
        assert drawn == [2], drawn
        assert at_swap == [2], at_swap
        assert sorted(finished) == list(range(1, count + 1))
        assert "pangolinwren" in pdf_words(page)  # the copied cover's text layer came too
        view = page.evaluate(
            "() => { const v = document.getElementById('pdf-view'); return [v.scrollTop,"
            " v.querySelectorAll('.pages').length, v.querySelectorAll('.page .textLayer').length]; }"
        )
        assert view == [top, 1, count], view
