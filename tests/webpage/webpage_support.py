"""Helpers for the web page tests: the repository project built as HTML once, Debian's
Chromium driven by Playwright (as for `briefgen serve`), and axe-core from npm.

axe-core is installed by `make axe` (or on first use, here) into tests/.axe/, which git
ignores; its version is pinned so a new rule cannot turn the suite red overnight.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CHROMIUM_ARGS, REPO

AXE_VERSION = "4.10.3"
AXE_DIR = REPO / "tests" / ".axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTEFACTS = REPO / "tests" / "artefacts" / "webpage"
# axe-core's tags for WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


# What the example lacks and web pages are often broken by: a link inside a sentence, a
# source with a long URL, a token too long for a phone's line.
LINK = "The [verdict](https://www.example.org/verdicts/2014/anar-mammadli) was published."
TOKEN = "Registry entry NGO-REGISTRY-2014-000000000000000000017-AZERBAIJAN-BAKU-CITY."
URL = "https://www.example.org/publications/2015/justice-behind-bars-the-persecution-of-civil-society-full-report.pdf"


def make_project(folder: Path) -> Path:
    """The repository's example project, with a link, a long URL and a long token added, and
    the partners' reader name in English only."""
    for name in ("briefgen.yaml", "content", "assets", "templates"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        else:
            shutil.copy(source, folder / name)
    cases = folder / "content" / "cases.yaml"
    text = cases.read_text(encoding="utf-8")
    anchor = "        19 January 2016.\n"
    assert anchor in text
    cases.write_text(text.replace(anchor, f"        19 January 2016. {LINK} {TOKEN}\n", 1), encoding="utf-8")
    sources = folder / "content" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(
        text.replace("    date: 2015-12\n", f"    date: 2015-12\n    url: {URL}\n", 1), encoding="utf-8"
    )
    # The partners' reader name without its Russian text: the Russian pages show it in
    # English inside a Russian label (test_a_value_in_another_language_inside_a_label...).
    settings = folder / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8")
    russian = "      ru: Партнёрские организации IPHR\n"
    assert russian in text
    settings.write_text(text.replace(russian, "", 1), encoding="utf-8")
    return folder


def axe_source() -> str:
    if not AXE_JS.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install axe-core for the accessibility test: run `make axe`")
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR), f"axe-core@{AXE_VERSION}"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return AXE_JS.read_text(encoding="utf-8")


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("Debian's chromium is needed for the browser test: run `make system-deps`")
    return found


def axe_violations(page, source: str) -> list[dict]:
    """Run axe-core in the page: the WCAG 2.2 A and AA rules, violations only."""
    page.add_script_tag(content=source)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document,
                {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary).slice(0, 5)}));
        }""",
        WCAG_AA,
    )
    return result


def ax_role_and_name(page, selector: str) -> tuple[str, str]:
    """The role and accessible name Chromium itself computes for the first element matching
    `selector` (its accessibility tree, as screen readers receive it)."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"nothing matches {selector}"
        found = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})
        ax = found["nodes"][0]
        return ax.get("role", {}).get("value"), ax.get("name", {}).get("value")
    finally:
        cdp.detach()


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """The whole page (or what the window shows: a sticky banner is drawn where the window
    is, so a full page scrolled down shows it in the middle) into tests/artefacts/webpage/."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def build_html(project: Path, out: Path, *args: str) -> None:
    """`briefgen build PROJECT -o OUT --format html ARGS` with a fixed SOURCE_DATE_EPOCH."""
    import os
    import sys

    env = {**os.environ, "SOURCE_DATE_EPOCH": "1453161600"}
    done = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", str(project), "-o", str(out), "--format", "html", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr


@contextlib.contextmanager
def chromium_browser():
    """Debian's Chromium, launched by Playwright with the suite's flags, closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser, path: Path, width: int):
    """A page of `width` CSS pixels (a phone's height below 600), loaded with its fonts."""
    page = browser.new_page(viewport={"width": width, "height": 900 if width > 600 else 740})
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready")
    return page
