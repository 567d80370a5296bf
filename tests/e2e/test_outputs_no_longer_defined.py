"""Outputs an earlier build wrote that the project no longer defines (an audience taken out of
a brief) are removed from OUT, not only from the manifest: an internal copy must not stay
beside the public ones in a folder shared as a whole. A file changed since briefgen wrote it
is the user's, and stays."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest
from conftest import copy_project

from briefgen.build import BuildOptions, build_project

TAKEN_OUT = "    event: fixture-hearing\n    audiences: [officials, partners]\n"


def partners_out_of_the_overview(root):
    settings = root / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8")
    assert TAKEN_OUT in text
    settings.write_text(text.replace(TAKEN_OUT, TAKEN_OUT.replace(", partners", ""), 1), encoding="utf-8")


def listed(out) -> set[str]:
    return {e["path"] for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]}


def build(root, out, **options):
    return build_project(root, BuildOptions(out=out, jobs=1, **options))


def test_outputs_of_an_audience_taken_out_are_removed_and_a_changed_one_is_left(tmp_path):
    root = copy_project("audiences", tmp_path)
    out = tmp_path / "out"
    build(root, out, briefs=["overview"], formats=["pdf", "html"])
    partners = sorted(p for p in listed(out) if ".partners." in p)
    assert len(partners) == 4  # en and ru, PDF and HTML
    assert (out / partners[0].replace(".html", "_files")).is_dir()
    changed = out / partners[-1]
    changed.write_bytes(changed.read_bytes() + b"\n<!-- my own notes -->")

    partners_out_of_the_overview(root)
    # A narrowed build (another brief) removes them too: what counts is what the project
    # defines, not what this build was asked for.
    build(root, out, briefs=["mailing"], formats=["pdf"], languages=["en"])
    report_paths = sorted(p for p in partners if p != partners[-1])
    for path in report_paths:
        assert not (out / path).exists(), path
        assert not (out / path.replace(".html", "_files")).exists()
    assert changed.is_file()  # the user's now
    assert not any(".partners." in p and p.startswith("overview/") for p in listed(out))
    assert {p for p in listed(out) if ".officials." in p and p.startswith("overview/")}
    assert all((out / p).is_file() for p in listed(out))


def test_the_build_reports_what_it_removed_and_what_it_left(tmp_path):
    root = copy_project("audiences", tmp_path)
    out = tmp_path / "out"
    build(root, out, briefs=["overview"], formats=["pdf"], languages=["en", "ru"])
    kept = out / "overview" / "overview.partners.ru.pdf"
    assert kept.is_file()
    kept.write_bytes(kept.read_bytes() + b"%")
    partners_out_of_the_overview(root)
    report = build(root, out, briefs=["overview"], formats=["pdf"])
    assert report.removal.removed == ["overview/overview.partners.en.pdf"]
    assert report.removal.left == ["overview/overview.partners.ru.pdf"]
    assert not (out / "overview" / "overview.partners.en.pdf").exists()


def test_the_command_line_says_so(tmp_path):
    root = copy_project("audiences", tmp_path)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "briefgen", "build", str(root), "-o", str(out), "--brief", "overview"]
    command += ["--format", "pdf", "--lang", "en", "--jobs", "1"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    partners_out_of_the_overview(root)
    second = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert "removed: overview/overview.partners.en.pdf (an earlier build wrote it" in second.stderr


def test_a_manifest_path_out_of_the_folder_or_without_a_digest_is_never_removed(tmp_path):
    root = copy_project("audiences", tmp_path)
    out = tmp_path / "out"
    build(root, out, briefs=["overview"], formats=["pdf"], languages=["en"])
    outside = tmp_path / "precious.pdf"
    outside.write_bytes(b"%PDF-1.7 mine")
    unlisted = out / "overview" / "old.pdf"
    unlisted.write_bytes(b"%PDF-1.7 old")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"] += [
        {"path": "../precious.pdf", "sha256": hashlib.sha256(outside.read_bytes()).hexdigest()},
        {"path": "overview/old.pdf"},  # an entry of an older briefgen, without a digest
    ]
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    report = build(root, out, briefs=["overview"], formats=["pdf"], languages=["en"])
    assert report.removal.removed == [] and report.removal.left == []
    assert outside.read_bytes() == b"%PDF-1.7 mine"
    assert unlisted.is_file()


def test_removing_a_pdf_keeps_the_resource_folder_of_an_html_left_in_place(tmp_path):
    root = copy_project("audiences", tmp_path)
    out = tmp_path / "out"
    build(root, out, briefs=["overview"], formats=["pdf", "html"], languages=["en"])
    page = out / "overview" / "overview.partners.en.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- mine -->", encoding="utf-8")
    partners_out_of_the_overview(root)
    report = build(root, out, briefs=["overview"], formats=["pdf"], languages=["en"])
    assert report.removal.removed == ["overview/overview.partners.en.pdf"]
    assert report.removal.left == ["overview/overview.partners.en.html"]
    assert (out / "overview" / "overview.partners.en_files").is_dir()  # the page it keeps needs it


@pytest.mark.parametrize("written_by", ["Another project", None])
def test_outputs_another_project_or_an_older_briefgen_listed_are_not_removed(tmp_path, written_by):
    # Two projects built into one folder, or a manifest from before manifests named their
    # project: the outputs it lists are not this project's to remove.
    root = copy_project("audiences", tmp_path)
    out = tmp_path / "out"
    build(root, out, briefs=["overview"], formats=["pdf"], languages=["en"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["project"] == "Audience fixture"
    if written_by is None:
        del manifest["project"]
    else:
        manifest["project"] = written_by
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    partners_out_of_the_overview(root)
    report = build(root, out, briefs=["overview"], formats=["pdf"], languages=["en"])
    assert report.removal.removed == [] and (out / "overview" / "overview.partners.en.pdf").is_file()
