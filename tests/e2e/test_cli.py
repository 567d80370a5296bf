"""The command line as scripts use it: exit status, messages, init."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECTS

BRIEFGEN = [sys.executable, "-m", "briefgen"]


def run(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([*BRIEFGEN, *args], capture_output=True, text=True, cwd=cwd, timeout=600)


def test_version_and_help():
    assert run("--version").stdout.strip().endswith("1.0.0")
    result = run("--help")
    assert result.returncode == 0
    for command in ("build", "validate", "init", "schema", "list"):
        assert command in result.stdout


def test_unknown_flag_is_a_usage_error():
    result = run("build", str(PROJECTS / "small"), "--no-such-flag")
    assert result.returncode == 2
    assert "no-such-flag" in result.stderr


def test_unknown_brief_is_a_usage_error(tmp_path):
    result = run("build", str(PROJECTS / "small"), "-o", str(tmp_path), "--brief", "nope")
    assert result.returncode == 2
    assert "unknown brief 'nope'" in result.stderr
    assert not (tmp_path / "manifest.json").exists()


def test_missing_project_is_a_usage_error(tmp_path):
    result = run("build", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "briefgen.yaml" in result.stderr


def test_broken_content_exits_1_naming_file_and_line(tmp_path):
    import shutil

    project = tmp_path / "broken"
    shutil.copytree(PROJECTS / "small", project)
    items = project / "content" / "items.yaml"
    text = items.read_text(encoding="utf-8").replace("    status: imprisoned", "    status: jailed")
    items.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    status: jailed") + 1
    result = run("build", str(project), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert f"content/items.yaml:{line}:" in result.stderr
    assert "jailed" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "manifest.json").exists()


@pytest.mark.slow
def test_init_then_build_makes_pdf_and_docx(tmp_path):
    project = tmp_path / "starter"
    assert run("init", str(project)).returncode == 0
    # --strict: a new user's first build says nothing to fix (its `code` spans are printed
    # with the theme's own monospace, not whichever this machine has).
    result = run("build", str(project), "--strict")
    assert result.returncode == 0, result.stderr
    assert " 0 warning(s)" in result.stderr, result.stderr
    manifest = json.loads((project / "output" / "manifest.json").read_text())
    formats = sorted(o["format"] for o in manifest["outputs"])
    assert formats.count("pdf") == formats.count("docx") >= 1
    for entry in manifest["outputs"]:
        assert (project / "output" / entry["path"]).stat().st_size > 1000


def test_init_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "file").write_text("keep me")
    result = run("init", str(tmp_path / "x"))
    assert result.returncode == 2
    assert (tmp_path / "x" / "file").read_text() == "keep me"


def test_init_on_a_file_or_below_one_is_a_usage_error(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("keep me")
    for target, said in ((afile, "is a file, not a folder"), (afile / "sub", "is a file, so")):
        result = run("init", str(target))
        assert result.returncode == 2, (target, result.stderr)
        assert said in result.stderr and "Traceback" not in result.stderr
    assert afile.read_text() == "keep me"


def test_list_shows_the_output_matrix():
    result = run("list", str(PROJECTS / "small"))
    assert result.returncode == 0, result.stderr
    assert "small-brief/small-brief.public-readers.en.pdf" in result.stdout
    assert "small-event" in result.stdout


def test_validate_clean_project():
    result = run("validate", str(PROJECTS / "small"))
    assert result.returncode == 0, result.stderr


def test_repository_project_validates_clean():
    result = run("validate", str(Path(__file__).resolve().parents[2]))
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr


def test_a_folder_inside_the_project_finds_the_project(tmp_path):
    result = run("validate", cwd=PROJECTS / "small" / "content")
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout
    assert "briefgen init" not in result.stderr
    result = run("list", str(PROJECTS / "small" / "templates" / "sober"))
    assert result.returncode == 0, result.stderr
    assert "small-brief" in result.stdout


def test_a_content_file_given_as_the_project_names_the_project_folder():
    # `briefgen validate content/items.yaml` said "no such folder" of a file that exists.
    result = run("validate", "items.yaml", cwd=PROJECTS / "small" / "content")
    assert result.returncode == 2
    assert "items.yaml: a file, not a folder; briefgen works on a whole project" in result.stderr
    assert "(this one's is ..)" in result.stderr


def test_outside_any_project_the_message_says_so(tmp_path):
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "no briefgen.yaml here or in any folder above" in result.stderr


def test_a_narrowing_that_selects_nothing_is_a_usage_error(tmp_path):
    result = run(
        "build", str(PROJECTS / "small"), "-o", str(tmp_path), "--brief", "small-event", "--lang", "ru"
    )
    # 'ru' is not a language any brief builds: an unknown name
    assert result.returncode == 2
    project = tmp_path / "project"
    import shutil

    shutil.copytree(PROJECTS / "small", project)
    settings = project / "briefgen.yaml"
    settings.write_text(
        settings.read_text().replace(
            "    template: event-summary\n", "    template: event-summary\n    languages: [en, ru]\n"
        )
    )
    result = run("build", str(project), "-o", str(tmp_path / "out"), "--brief", "small-brief", "--lang", "ru")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--brief small-brief --lang ru selects no output" in result.stderr
    assert "small-brief: audiences public-readers; languages en" in result.stderr
    assert not (tmp_path / "out" / "manifest.json").exists()
    # Named beside a brief that does offer it: still no output of small-brief, still an error.
    both = ("--brief", "small-brief", "--brief", "small-event", "--lang", "ru", "--format", "html")
    result = run("build", str(project), "-o", str(tmp_path / "out"), *both)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--brief small-brief --lang ru selects no output" in result.stderr
    assert not (tmp_path / "out" / "manifest.json").exists()
