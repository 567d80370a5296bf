"""Metadata hygiene: PDF info and XMP hold only the brief's allowlisted fields, DOCX packages
carry nothing of python-docx's template, and no output names the user, the host, the build
folder or the time of the build."""

from __future__ import annotations

import getpass
import json
import re
import socket
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import PROJECTS
from lxml import etree
from security_support import raw_strings, run_cli

from briefgen.check import extract_text

PDF_INFO_KEYS = {"/Title", "/Author", "/Subject", "/Keywords", "/CreationDate", "/ModDate"}
CORE_ELEMENTS = {
    "{http://purl.org/dc/elements/1.1/}title",
    "{http://purl.org/dc/elements/1.1/}subject",
    "{http://purl.org/dc/elements/1.1/}creator",
    "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords",
    "{http://purl.org/dc/elements/1.1/}language",
    "{http://purl.org/dc/terms/}created",
    "{http://purl.org/dc/terms/}modified",
}
PUBLISHER = "Canary Rights Centre"
BRIEF_DATE = "2021-03-01"
FAKE_USER = "canaryuserq7z"
TITLES = {
    "canary-dossier": ("Canary dossier", "Every case in full"),
    "canary-event": ("Canary meeting summary", "Canary meeting summary"),
    "canary-everything": ("Canary everything", "Canary everything"),
    "canary-letter": ("Canary letter", "Canary letter"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, dict]:
    """The canary project copied to a recognisable folder and built by the CLI, as a user
    whose name is FAKE_USER (the environment variables getpass and friends read)."""
    import shutil

    base = tmp_path_factory.mktemp("metadata-build-folder-x9k2")
    project = base / "project-folder-w4m8"
    shutil.copytree(PROJECTS / "canaries", project)
    out = base / "out-folder-v5n1"
    env = {"USER": FAKE_USER, "LOGNAME": FAKE_USER, "USERNAME": FAKE_USER, "HOME": str(base)}
    env["SOURCE_DATE_EPOCH"] = ""  # the brief's date, not an epoch, in these files
    result = run_cli("build", str(project), "-o", str(out), "--jobs", "2", env=env)
    assert result.returncode == 0, result.stderr
    return project, out, json.loads((out / "manifest.json").read_text())


def outputs(manifest: dict, fmt: str) -> list[dict]:
    found = [e for e in manifest["outputs"] if e["format"] == fmt]
    assert found
    return found


def test_pdf_info_is_the_allowlist_with_values_from_the_brief(built):
    import pikepdf

    _project, out, manifest = built
    for entry in outputs(manifest, "pdf"):
        with pikepdf.open(out / entry["path"]) as pdf:
            info = {k: str(v) for k, v in pdf.docinfo.items()}
        assert set(info) <= PDF_INFO_KEYS, (entry["path"], set(info) - PDF_INFO_KEYS)
        title, subject = TITLES[entry["brief"]]
        assert info["/Title"] == title
        assert info["/Author"] == PUBLISHER
        assert info.get("/Subject", subject) == subject
        assert info["/CreationDate"] == info["/ModDate"] == "D:" + BRIEF_DATE.replace("-", "") + "000000Z"


def test_pdf_xmp_has_no_producer_user_host_path_or_build_time(built):
    import pikepdf

    project, out, manifest = built
    for entry in outputs(manifest, "pdf"):
        with pikepdf.open(out / entry["path"]) as pdf:
            assert "/Producer" not in pdf.docinfo and "/Creator" not in pdf.docinfo
            stream = pdf.Root.get("/Metadata")
            xmp = stream.read_bytes().decode("utf-8") if stream is not None else ""
            raw = (out / entry["path"]).read_bytes()
        assert b"WeasyPrint" not in raw and "WeasyPrint" not in xmp
        for tag in ("CreatorTool", "Producer", "MetadataDate", "DocumentID", "InstanceID"):
            assert tag not in xmp, (entry["path"], tag)
        if xmp:
            root = etree.fromstring(xmp.split("?>", 1)[1].rsplit("<?xpacket", 1)[0].encode())
            texts = " ".join(t for t in root.itertext() if t.strip())
            dates = re.findall(r"\d{4}-\d{2}-\d{2}", texts)
            assert set(dates) <= {BRIEF_DATE}, dates
            assert PUBLISHER in texts
        assert_nothing_identifying(xmp, project, out)


def test_docx_core_properties_only_from_the_brief(built):
    _project, out, manifest = built
    for entry in outputs(manifest, "docx"):
        with zipfile.ZipFile(out / entry["path"]) as archive:
            core = etree.fromstring(archive.read("docProps/core.xml"))
        children = {child.tag: (child.text or "") for child in core}
        assert set(children) <= CORE_ELEMENTS, set(children) - CORE_ELEMENTS
        title, subject = TITLES[entry["brief"]]
        assert children["{http://purl.org/dc/elements/1.1/}title"] == title
        assert children["{http://purl.org/dc/elements/1.1/}creator"] == PUBLISHER
        assert children.get("{http://purl.org/dc/elements/1.1/}subject", subject) == subject
        assert children["{http://purl.org/dc/elements/1.1/}language"] == "en"
        stamp = f"{BRIEF_DATE}T00:00:00Z"
        assert children["{http://purl.org/dc/terms/}created"] == stamp
        assert children["{http://purl.org/dc/terms/}modified"] == stamp
        # lastModifiedBy, description, revision, lastPrinted: absent (or empty)
        for tag, text in children.items():
            if tag.endswith(("lastModifiedBy", "description", "revision", "lastPrinted")):
                assert not text, tag


def test_docx_package_has_no_template_leftovers(built):
    _project, out, manifest = built
    for entry in outputs(manifest, "docx"):
        with zipfile.ZipFile(out / entry["path"]) as archive:
            names = archive.namelist()
            for info in archive.infolist():
                assert info.date_time == (1980, 1, 1, 0, 0, 0), (info.filename, info.date_time)
            parts = {name: archive.read(name) for name in names}
        assert not [n for n in names if n.startswith("docProps/thumbnail")], names
        assert not [n for n in names if n.lower().startswith("customxml")], names
        assert "word/webSettings.xml" not in names and "word/stylesWithEffects.xml" not in names
        for name, data in parts.items():
            assert b"python-docx" not in data.lower(), name
            assert b"rsid" not in data.lower(), name
            assert b"Normal.dotm" not in data, name
        assert b"Microsoft" not in parts["docProps/app.xml"]
        assert b"2013-12-23" not in b"".join(parts.values())  # python-docx's template date


def test_no_user_host_path_or_build_time_in_any_output(built):
    project, out, manifest = built
    for entry in manifest["outputs"]:
        path = out / entry["path"]
        text = raw_strings(path, entry["format"]) + "\n" + extract_text(path, entry["format"])
        assert_nothing_identifying(text, project, out, where=entry["path"])
    assert_nothing_identifying((out / "manifest.json").read_text(), project, out, where="manifest.json")


def assert_nothing_identifying(text: str, project: Path, out: Path, where: str = "") -> None:
    needles = [
        FAKE_USER,
        str(project.resolve()),
        str(out.resolve()),
        str(project.parent),
        "x9k2",
        "w4m8",
        "v5n1",
    ]
    real_user = getpass.getuser()
    host = socket.gethostname()
    for name in (real_user, host):
        # A short or common name ("root", "vm") cannot be told from ordinary words.
        if len(name) >= 5 and name.lower() not in {"admin", "runner", "build", "users", "local"}:
            needles.append(name)
    now = datetime.now(UTC)
    local = datetime.now()
    needles += sorted(
        {d.strftime("%Y-%m-%d") for d in (now, local)} | {d.strftime("D:%Y%m%d") for d in (now, local)}
    )
    needles = [n for n in needles if n and n not in (BRIEF_DATE, "D:" + BRIEF_DATE.replace("-", ""))]
    for needle in needles:
        assert needle not in text, f"{where}: {needle!r} found"
