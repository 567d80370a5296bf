"""Project label catalogs (locale/LANG.po), `briefgen catalogs init`, --strict and `list`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

BRIEFGEN = [sys.executable, "-m", "briefgen"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*BRIEFGEN, *args], capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    assert run("init", str(root)).returncode == 0
    settings = root / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace(
        "    audiences: [policymakers, partners]\n",
        "    audiences: [policymakers]\n    languages: [en, ru, sq]\n",
    )
    settings.write_text(text, encoding="utf-8")
    return root


def build(root: Path, *extra: str) -> subprocess.CompletedProcess:
    return run("build", str(root), "--format", "html", "--jobs", "1", *extra)


def html(root: Path, language: str) -> str:
    (path,) = (root / "output").rglob(f"*.policymakers.{language}.html")
    return path.read_text(encoding="utf-8")


def set_translation(po: Path, msgid: str, msgstr: str) -> None:
    text = po.read_text(encoding="utf-8")
    old = f'msgid "{msgid}"\nmsgstr ""\n'
    if old not in text:
        start = text.index(f'msgid "{msgid}"\n')
        end = text.index("\n\n", start) if "\n\n" in text[start:] else len(text)
        old = text[start:end] + "\n"
    po.write_text(text.replace(old, f'msgid "{msgid}"\nmsgstr "{msgstr}"\n', 1), encoding="utf-8")


def test_init_writes_every_label_with_the_builtin_translation(project):
    result = run("catalogs", "init", "ru", str(project))
    assert result.returncode == 0, result.stderr
    with (project / "locale" / "ru.po").open("rb") as handle:
        catalog = read_po(handle)
    with (Path(__file__).parents[2] / "src/briefgen/locale/briefgen.pot").open("rb") as handle:
        pot = read_po(handle)
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in pot if m.id} <= {
        m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id
    }
    assert catalog.get("Contents").string == "Содержание"


def test_a_project_catalog_corrects_a_label_and_adds_a_language(project):
    assert run("catalogs", "init", "ru", str(project)).returncode == 0
    assert run("catalogs", "init", "sq", str(project)).returncode == 0
    set_translation(project / "locale" / "ru.po", "Background", "Контекст дела")
    set_translation(project / "locale" / "sq.po", "Background", "Historiku")
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert "Контекст дела" in html(project, "ru")
    assert "Предыстория" not in html(project, "ru")
    assert "Historiku" in html(project, "sq")
    assert ">Background<" in html(project, "en")


def test_a_changed_catalog_rebuilds_exactly_the_outputs_in_its_language(project):
    assert run("catalogs", "init", "ru", str(project)).returncode == 0
    assert build(project).returncode == 0
    before = json.loads((project / "output" / "manifest.json").read_text())
    set_translation(project / "locale" / "ru.po", "Background", "Контекст дела")
    result = build(project)
    assert result.returncode == 0, result.stderr
    after = json.loads((project / "output" / "manifest.json").read_text())
    changed = {
        a["path"]
        for a, b in zip(after["outputs"], before["outputs"], strict=True)
        if a["sha256"] != b["sha256"]
    }
    assert changed == {p["path"] for p in after["outputs"] if p["language"] == "ru"}
    assert "1 file(s) written" in result.stderr + result.stdout


def test_missing_labels_warn_once_per_language_and_strict_fails(project):
    result = build(project)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "labels have no" in line]
    assert len(lines) == 1, result.stderr
    assert "labels have no 'sq' translation" in lines[0]
    assert lines[0].startswith("briefgen.yaml:")
    assert '"Acquitted"' in lines[0]
    strict = build(project, "--strict", "--force")
    assert strict.returncode == 1
    assert "labels have no 'sq' translation" in strict.stderr
    assert "warning:" not in next(line for line in strict.stderr.splitlines() if "labels have no" in line)
    assert "nothing was published" in strict.stderr
    validate = run("validate", "--strict", str(project))
    assert validate.returncode == 1
    assert "labels have no 'sq' translation" in validate.stderr


def test_list_says_which_languages_are_complete(project):
    result = run("list", str(project))
    assert result.returncode == 0, result.stderr
    assert "en  labels complete" in result.stdout
    assert "ru  labels complete" in result.stdout
    assert "label(s) not translated" in next(line for line in result.stdout.splitlines() if "  sq  " in line)


def test_a_malformed_project_catalog_is_an_error_at_its_line(project):
    (project / "locale").mkdir()
    (project / "locale" / "ru.po").write_text(
        'msgid "Contents"\nmsgstr "Содержание"\nmsgid\n', encoding="utf-8"
    )
    result = run("validate", str(project))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "locale/ru.po:3:" in result.stderr


def test_a_translation_that_breaks_a_placeholder_is_an_error_at_its_line(project):
    (project / "locale").mkdir()
    (project / "locale" / "ru.po").write_text(
        'msgid "Contents"\nmsgstr "Содержание"\n\n'
        'msgid "Page {page} of {pages}"\nmsgstr "Стр. {page} из {pagez}"\n',
        encoding="utf-8",
    )
    result = run("validate", str(project))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "locale/ru.po:5:1: the translation of 'Page {page} of {pages}' has placeholders" in result.stderr
    assert build(project).returncode == 1
