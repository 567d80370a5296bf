"""The corpus of broken themes: one small project per mistake in theme.yaml (or in naming the
theme), each error at its exact place with the hint an author needs.

Each corpus folder is laid over the `small` fixture project, whose briefgen.yaml then names
the theme `brand` (or, for unknown-theme, the misspelt `caspain`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECTS

from briefgen.load import load_project

CORPUS = Path(__file__).parent / "corpus"
THEME = "templates/brand/theme.yaml"

# project -> [(path, line, column, gist of the message, words of the hint), ...]
EXPECTED: dict[str, list[tuple[str, int, int, str, str]]] = {
    "unquoted-colour": [
        (THEME, 3, 3, "colors.brand: the colour is empty", 'in quotes, e.g. brand: "#1d4e89"')
    ],
    "size-not-a-number": [(THEME, 1, 15, "sizes.body 'large': not a number", "sizes are points")],
    "misspelt-tokens": [
        (THEME, 1, 1, "unknown field 'colours' in theme.yaml", "did you mean 'colors'?"),
        (THEME, 4, 3, "unknown field 'brnad' in colors of theme.yaml", "did you mean 'brand'?"),
    ],
    "not-a-colour": [(THEME, 2, 10, "colors.brand 'teal-ish': not a colour", '"#RRGGBB" in quotes')],
    "font-file-missing": [
        (THEME, 4, 35, "font file 'fonts/BrandSerif.ttf' not found in the theme's folder", "relative to"),
        (THEME, 5, 48, "font file '../../../etc/passwd' leads out of the theme's folder", "relative to"),
    ],
    "font-file-entry": [
        (THEME, 3, 29, "unknown field 'wieght' in fonts.files[0]", "did you mean 'weight'?"),
        (THEME, 5, 14, "fonts.files[1].style: 'oblique' is not allowed; use one of: normal, italic", "file:"),
        (THEME, 7, 7, "fonts.files[2]: expected a mapping of fields", "{family:"),
    ],
    "layout-values": [
        (THEME, 2, 9, "page.size 'B7': not a page size", "A4"),
        (THEME, 3, 15, "page.margin_top: -3 is out of range: it must be at least 0", "millimetres"),
        (THEME, 4, 18, "logo.position: 'middle' is not allowed; use one of: left, right", ""),
        (THEME, 4, 31, "logo.gap '4cm': not a number", "millimetres"),
        (THEME, 6, 16, "headings.h2.before 'lots': not a number", "points"),
    ],
    "yaml-problems": [
        (THEME, 1, 9, "YAML anchors ('&c') are not supported", "in full"),
        (THEME, 3, 3, "duplicate key 'brand' (first written at line 2)", "keep one"),
        (THEME, 4, 8, "YAML aliases ('*c') are not supported", "in full"),
    ],
    "not-a-mapping": [(THEME, 1, 1, "a theme.yaml must be a mapping of tokens", "colors:")],
    "yaml-tab": [(THEME, 2, 1, "YAML syntax error: found a tab character", "never tabs")],
    # main's new tokens, typed like the rest: fonts.embed and the script font chain.
    "script-tokens": [
        (THEME, 2, 10, "fonts.embed 'yes': must be true or false", "true"),
        (THEME, 5, 5, "scripts.thai of theme.yaml is missing the required field 'heading'", "required"),
        (THEME, 5, 12, "range 'Thai' is not a unicode-range", "range: U+0590-05FF"),
        (THEME, 7, 10, "scripts.thai.rtl 'maybe': must be true or false", ""),
        (THEME, 8, 16, "scripts.thai.docx_slot: 'west' is not allowed; use one of: ascii, cs, eastAsia", ""),
        (THEME, 10, 9, "scripts.thai.files[0]: a font needs `file` (in the theme) or `system`", ""),
    ],
    "script-fonts": [
        (THEME, 8, 41, "scripts.thai: font file 'fonts/NotoSerifThai-Regular.ttf' not found", "relative to"),
        (
            THEME,
            9,
            42,
            "scripts.thai: a system font is a file under /usr/share/fonts/, not /etc/passwd",
            "installed",
        ),
    ],
    "unknown-theme": [
        ("briefgen.yaml", 5, 8, "unknown theme 'caspain': no templates/caspain/theme.yaml", "'caspian'")
    ],
    # #27: `styles` (custom classes), `css` files, and a body font the theme has no file for.
    "class-style-values": [
        (THEME, 2, 9, "unknown field 'backgound' in styles.ask of theme.yaml", "did you mean 'background'?"),
        (THEME, 4, 12, "styles.note.color 'teal-ish': not a colour", "a CSS colour name such as teal"),
        (THEME, 5, 19, "styles.note.border_width 'thick': not a number", "points"),
        (THEME, 6, 14, "styles.note.columns: 7 is out of range: it must be at most 4", "1 to 4 columns"),
    ],
    "class-style-names": [
        (THEME, 2, 3, "styles.callout: 'callout' is a class of the HTML vocabulary", "a name of its own"),
        (
            THEME,
            3,
            30,
            "styles.note.font 'Brand Serif': not a font of the theme",
            "body, heading, DejaVu Sans Mono, Noto Sans",
        ),
    ],
    "class-name": [(THEME, 2, 3, "styles: 'Ask Box' is not a class name", "each class:")],
    "css-files": [
        (THEME, 2, 5, "css file 'missing.css' not found in the theme's folder", "css: [extra.css]"),
        (THEME, 3, 5, "css file '../../../etc/passwd.css' leads out of the theme's folder", "relative to"),
        (THEME, 4, 5, "css file 'theme.yaml' is not a .css file", "relative to"),
    ],
    "body-font-without-file": [
        (
            THEME,
            2,
            9,
            "fonts.body 'Brand Sans': no file of this family in fonts.files",
            "default theme's files stay",
        )
    ],
    "mono-font-without-file": [
        (
            THEME,
            2,
            9,
            "fonts.mono 'Brand Mono': no file of this family in fonts.files",
            "family: Brand Mono, weight: 400",
        )
    ],
}


def corpus_project(tmp_path: Path, name: str) -> Path:
    project = tmp_path / name
    shutil.copytree(PROJECTS / "small", project)
    shutil.copytree(CORPUS / name, project, dirs_exist_ok=True)
    theme = "caspain" if name == "unknown-theme" else "brand"
    settings = project / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8")
    assert text.splitlines()[3] == "language: en"  # so `theme:` is line 5
    settings.write_text(
        text.replace("language: en\n", f"language: en\ntheme: {theme}\n", 1), encoding="utf-8"
    )
    return project


def test_every_corpus_project_is_listed():
    assert {p.name for p in CORPUS.iterdir() if p.is_dir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_theme_mistake_is_reported_at_its_place(tmp_path, name):
    result = load_project(corpus_project(tmp_path, name))
    assert result.model is None
    got = [
        (str(d.location.path), d.location.line, d.location.column, d.message, d.hint or "")
        for d in result.errors
    ]
    expected = EXPECTED[name]
    assert [g[:3] for g in got] == [e[:3] for e in expected], "\n".join(str(d) for d in result.errors)
    for (_, _, _, message, hint), (_, _, _, gist, hint_words) in zip(got, expected, strict=True):
        assert gist in message
        assert hint_words in hint
        assert "briefgen.yaml:0:0" not in message


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *args], capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize("name", ["unquoted-colour", "size-not-a-number", "not-a-colour", "unknown-theme"])
def test_validate_and_build_report_theme_mistakes_without_a_traceback(tmp_path, name):
    project = corpus_project(tmp_path, name)
    path, line, column, gist, _ = EXPECTED[name][0]
    for args in (["validate", str(project)], ["build", str(project), "-o", str(tmp_path / "out")]):
        result = run(*args)
        assert result.returncode == 1, result.stderr
        assert f"{path}:{line}:{column}: " in result.stderr and gist in result.stderr
        assert "Traceback" not in result.stderr
    # Nothing was written: a colour like teal-ish never reaches a DOCX as w:color.
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.docx"))
