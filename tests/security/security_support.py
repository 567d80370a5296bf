"""Helpers for the security tests: small hostile projects, the CLI in a subprocess, and
independent readers of every output (besides briefgen's own check.extract_text)."""

from __future__ import annotations

import hashlib
import html
import json
import os
import subprocess
import sys
import textwrap
import threading
import zipfile
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from conftest import docx_text, pdf_text, words

from briefgen.check import extract_text
from briefgen.publish import TEMP_MARK

BRIEFGEN = [sys.executable, "-m", "briefgen"]


def run_cli(
    *args: str, env: dict | None = None, timeout: float = 300, cwd=None
) -> subprocess.CompletedProcess:
    """`python -m briefgen ARGS` in a subprocess; `env` is added to the current environment."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [*BRIEFGEN, *args], capture_output=True, text=True, env=full_env, timeout=timeout, cwd=cwd
    )


def assert_clean_failure(result: subprocess.CompletedProcess, *fragments: str, forbidden: tuple = ()) -> None:
    """Exit 1, every fragment in the messages, no traceback, none of the forbidden texts."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)
    for text in forbidden:
        assert text not in result.stderr and text not in result.stdout, (text, result.stderr)


# ---------------------------------------------------------------- a small project

SETTINGS = """\
name: Hostile fixture
publisher: test-ngo
language: en
as_of: 2021-03-01
briefs:
  - id: hostile-brief
    template: {template}
    title: Hostile brief
    cases: all
    formats: [{formats}]
"""

CONTENT = """\
organisations:
  - id: test-ngo
    name: Test Rights Centre
people:
  - id: test-subject
    name: Test Subject
{person_extra}
cases:
  - id: test-case
    subjects: [test-subject]
    status: detained
    summary: {summary}
    sources: [test-report]
sources:
  - id: test-report
    title: A Test Report
    url: https://example.org/report
"""

TEMPLATE_HEAD = '{% extends "base.html.j2" %}\n{% set keywords = [] %}\n{% block content %}\n'
TEMPLATE_TAIL = "\n{% endblock %}\n"


def make_project(
    root: Path,
    *,
    summary: str = "A summary.",
    person_extra: str = "",
    template: str = "policy-brief",
    templates: dict[str, str] | None = None,
    files: dict[str, bytes | str] | None = None,
    formats: tuple[str, ...] = ("pdf",),
) -> Path:
    """A one-brief project in `root`. `summary` is a YAML scalar (quote it yourself),
    `person_extra` YAML lines for the person, `templates` project templates by relative
    path, `files` any other files by relative path."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "content").mkdir(exist_ok=True)
    (root / "assets").mkdir(exist_ok=True)
    (root / "briefgen.yaml").write_text(
        SETTINGS.format(template=template, formats=", ".join(formats)), encoding="utf-8"
    )
    extra = textwrap.indent(textwrap.dedent(person_extra).strip("\n"), "    ") if person_extra else ""
    (root / "content" / "items.yaml").write_text(
        CONTENT.format(summary=summary, person_extra=extra), encoding="utf-8"
    )
    for relpath, text in (templates or {}).items():
        target = root / "templates" / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for relpath, data in (files or {}).items():
        target = root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            target.write_text(data, encoding="utf-8")
        else:
            target.write_bytes(data)
    return root


def body_template(body: str) -> str:
    """A project template extending the built-in frame; `body` starts on line 4."""
    return TEMPLATE_HEAD + body + TEMPLATE_TAIL


BODY_LINE = 4


def tiny_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A valid 1-bit PNG of width x height white pixels: ~100 KB on disk, 900 Mpx decoded."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


# ---------------------------------------------------------------- reading outputs


class _HTMLText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.parts.extend(value for _, value in attrs if value)


def html_text(path: Path) -> str:
    parser = _HTMLText()
    parser.feed(path.read_text(encoding="utf-8"))
    return "\n".join(parser.parts)


def raw_strings(path: Path, fmt: str) -> str:
    """Every byte of the file as text, with PDF streams and DOCX parts decompressed."""
    if fmt == "docx":
        chunks = []
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                chunks.append(info.filename)
                chunks.append(html.unescape(archive.read(info).decode("utf-8", errors="replace")))
        return "\n".join(chunks)
    if fmt == "pdf":
        import pikepdf

        chunks = []
        with pikepdf.open(path) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream):
                    try:
                        data = obj.read_bytes()
                    except pikepdf.PdfError:
                        data = obj.read_raw_bytes()
                    chunks.append(data.decode("latin-1"))
                    chunks.append(data.decode("utf-16-be", errors="ignore"))
                chunks.append(_unparse(obj))
            chunks.append(_unparse(pdf.trailer))
        return "\n".join(chunks)
    return html.unescape(path.read_text(encoding="utf-8"))


def _unparse(obj, top: bool = True) -> str:
    """The strings inside one object, not following references (pdf.objects lists them all)."""
    import pikepdf

    if isinstance(obj, pikepdf.String):
        return str(obj)
    if not top and getattr(obj, "is_indirect", False):
        return ""
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        return " ".join(_unparse(v, False) for v in obj.values())
    if isinstance(obj, pikepdf.Array):
        return " ".join(_unparse(v, False) for v in obj)
    return ""


def readings(path: Path, fmt: str) -> dict[str, str]:
    """The output read three ways, each normalised with conftest.words()."""
    if fmt == "pdf":
        layout = pdf_text(path)
    elif fmt == "docx":
        layout = docx_text(path)
    else:
        layout = html_text(path)
    return {
        "check": words(extract_text(path, fmt)),
        "layout": words(layout),
        "raw": words(raw_strings(path, fmt)),
    }


# ---------------------------------------------------------------- output folders


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file under `out` (relative path -> bytes)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def built_canaries(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A copy of the canaries fixture built once with two workers: (project, out, snapshot)."""
    import shutil

    from conftest import PROJECTS

    project = tmp_path / "canaries"
    shutil.copytree(PROJECTS / "canaries", project)
    out = tmp_path / "out"
    first = run_cli("build", str(project), "-o", str(out), "--jobs", "2")
    assert first.returncode == 0, first.stderr
    return project, out, snapshot(out)


def temporaries(out: Path) -> list[Path]:
    return [p for p in out.rglob(f"{TEMP_MARK}*") if p.is_file()]


def manifest_consistent(out: Path) -> None:
    """Every published output is complete: its bytes match the manifest's sha256."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["outputs"]:
        data = (out / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
        assert len(data) == entry["bytes"], entry["path"]


# ---------------------------------------------------------------- a listening server


class RequestLog(BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self):
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


class Listener:
    """An HTTP server on 127.0.0.1 that records every request: proof of 'nothing fetched'."""

    def __enter__(self) -> Listener:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), RequestLog)
        self.server.requests = []  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[str]:
        return list(self.server.requests)  # type: ignore[attr-defined]

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
