"""`briefgen serve` over HTTP, against a real server process on 127.0.0.1: the addresses of
the contract, what it refuses (other Host headers, paths outside its previews, listings),
errors in content, bursts of saves, ports, and a clean stop on SIGINT."""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from serve_support import CONTENT, SUMMARY, Server, alive, make_project, save

pytestmark = pytest.mark.slow  # a server process that imports WeasyPrint and builds

STEM = "example-brief.policymakers.en"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("served")
    project = make_project(root / "project")
    (root / "secret.txt").write_text("SECRET-OUTSIDE-THE-PROJECT", encoding="utf-8")
    with Server(project, "--jobs", "1") as server:
        server.idle()
        yield server


def test_contract_addresses(served):
    status = served.status()
    assert status["ok"] is True and status["errors"] == [] and status["generation"] >= 1
    stems = {o["stem"] for o in status["outputs"]}
    assert stems == {f"example-brief.{a}.en" for a in ("policymakers", "partners", "core-team")}
    code, headers, body = served.request(f"/preview/{STEM}.html")
    assert code == 200 and headers["content-type"].startswith("text/html")
    assert SUMMARY in body.decode()
    assert headers["cache-control"] == "no-store"
    code, headers, body = served.request(f"/preview/{STEM}.pdf")
    assert code == 200 and body.startswith(b"%PDF-") and headers["cache-control"] == "no-store"
    code, headers, body = served.request("/")
    assert code == 200 and b"/static/serve.js" in body and headers["cache-control"] == "no-store"
    code, _, body = served.request("/static/pdf.min.mjs")
    assert code == 200 and len(body) > 100_000
    # The HTML preview's images and fonts come from its own folder.
    logo = re.search(r'src="([^"]+_files/[^"]+)"', served.request(f"/preview/{STEM}.html")[2].decode())
    if logo:
        assert served.request(f"/preview/{logo.group(1)}")[0] == 200


def test_a_pdf_preview_comes_with_its_pages_digests(served, tmp_path):
    # One digest per page (writers/pdf_pages.py), for the page to copy what it has drawn.
    code, headers, body = served.request(f"/preview/{STEM}.pdf")
    assert code == 200
    digests = headers["x-page-digests"].split(" ")
    (tmp_path / "preview.pdf").write_bytes(body)
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "preview.pdf")], capture_output=True, text=True, check=True
    )
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    assert len(digests) == pages and all(re.fullmatch(r"[0-9a-f]{16}", d) for d in digests), digests
    assert headers["etag"] == f'"{hashlib.sha256(body).hexdigest()}"'
    assert served.request(f"/preview/{STEM}.pdf")[1]["x-page-digests"] == headers["x-page-digests"]
    assert "x-page-digests" not in served.request(f"/preview/{STEM}.html")[1]


def test_the_page_says_when_it_has_drawn_a_preview(served):
    # POST only, answered with no body whatever the name; it changes no file or status.
    before = served.status()
    for name in (f"{STEM}.pdf", f"{STEM}.html", "no-such-output.pdf", f"{STEM}.exe"):
        code, headers, body = served.request(f"/drawn/{name}", method="POST")
        assert (code, body, headers["cache-control"]) == (204, b"", "no-store"), name
    assert served.request(f"/drawn/{STEM}.pdf")[0] == 405
    assert served.status()["generation"] == before["generation"]


def test_clearance_in_status(served):
    outputs = {o["audience"]: o for o in served.status()["outputs"]}
    assert outputs["core-team"]["clearance"] == "confidential"
    assert outputs["partners"]["clearance"] == "internal"
    assert outputs["policymakers"]["clearance"] == "public"


@pytest.mark.parametrize(
    "path",
    [
        "/preview/../../secret.txt",
        "/preview/..%2f..%2fsecret.txt",
        "/preview/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/preview/%2e%2e/%2e%2e/secret.txt",
        "/preview/%252e%252e%252fsecret.txt",
        f"/preview/{STEM}_files/../../../secret.txt",
        f"/preview/{STEM}_files/..%2f..%2f..%2fsecret.txt",
        f"/preview/{STEM}_files/%2e%2e/%2e%2e/%2e%2e/secret.txt",
        f"/preview/{STEM}_files/..\\..\\..\\secret.txt",
        "/preview/..%5c..%5csecret.txt",
        "/static/../serve/app.py",
        "/static/..%2fapp.py",
        "/static/vendor%2fpdfjs%2fLICENSE",
        "//etc/passwd",
        "/preview//etc/passwd",
        "/preview/%00.html",
        "/etc/passwd",
        "/../../secret.txt",
        "/preview/manifest.json",
    ],
)
def test_traversal_is_refused(served, path):
    code, _, body = served.request(path)
    assert code in (400, 404), (path, code)
    assert b"SECRET-OUTSIDE" not in body and b"root:" not in body and b"import" not in body


@pytest.mark.parametrize("path", ["/preview/", "/preview", "/static/", "/static", f"/preview/{STEM}_files/"])
def test_no_listings(served, path):
    code, _, body = served.request(path)
    assert code == 404 and b"<a " not in body


def test_missing_output(served):
    code, _, body = served.request("/preview/no-such-brief.policymakers.en.pdf")
    assert code == 404 and b"no-such-brief" in body
    code, _, _ = served.request(f"/preview/{STEM}.exe")
    assert code == 404


@pytest.mark.parametrize(
    "host,expected",
    [
        ("evil.example", 421),
        ("evil.example:{port}", 421),
        ("127.0.0.1.nip.io:{port}", 421),
        ("127.0.0.1:1", 421),
        ("", 421),
        ("127.0.0.1:{port}", 200),
        ("localhost:{port}", 200),
    ],
)
def test_host_header(served, host, expected):
    code, _, body = served.request("/status.json", host=host.format(port=served.port))
    assert code == expected
    if expected != 200:
        assert b"outputs" not in body


def test_errors_burst_and_recovery(tmp_path):
    """A burst of saves gives one rebuild; an error shows as PATH:LINE:COLUMN over the last
    good preview, and goes with the next good save."""
    project = make_project(tmp_path / "project")
    content = project / CONTENT
    original = content.read_text(encoding="utf-8")
    with Server(project, "--jobs", "1") as server:
        before = server.idle()["generation"]
        # An editor's save is several writes in a few milliseconds.
        for n in range(6):
            save(content, original.replace(SUMMARY, f"{SUMMARY} burst{n}"))
            time.sleep(0.002)
        status = server.wait_for(lambda s: s["generation"] > before and not s["building"], what="a rebuild")
        time.sleep(1.5)  # anything more would have started by now
        status = server.status()
        assert status["generation"] == before + 1, "a burst of saves must give one rebuild"
        assert "burst5" in server.request(f"/preview/{STEM}.html")[2].decode()

        broken = original.replace("    status: detained\n", "    status: [detained\n")
        save(content, broken)
        status = server.wait_for(lambda s: not s["ok"] and not s["building"], what="the error")
        line = broken.splitlines().index("    status: [detained") + 1
        assert any(re.match(rf"{CONTENT}:\d+:\d+: ", e) for e in status["errors"]), status["errors"]
        assert any(
            e.startswith(f"{CONTENT}:{line}:") or e.startswith(f"{CONTENT}:{line + 1}:")
            for e in status["errors"]
        )
        # The last good preview stays reachable, and the server lives on.
        code, _, body = server.request(f"/preview/{STEM}.html")
        assert code == 200 and "burst5" in body.decode()
        # One never built cannot be built now: a prompt 404 that says why, not a hang.
        started = time.monotonic()
        code, _, body = server.request("/preview/example-brief.partners.en.pdf")
        assert code == 404 and b"errors" in body
        assert time.monotonic() - started < 5

        save(content, original.replace(SUMMARY, f"{SUMMARY} fixed"))
        status = server.wait_for(lambda s: s["ok"] and not s["building"], what="the fix")
        assert status["errors"] == []
        assert "fixed" in server.request(f"/preview/{STEM}.html")[2].decode()

        # A template error, too, is a line in the page, not the end of the server.
        (project / "templates").mkdir(exist_ok=True)
        save(
            project / "templates" / "policy-brief.html.j2",
            '{% extends "builtin/policy-brief.html.j2" %}\n{% block x %}{{ }}{% endblock %}\n',
        )
        status = server.wait_for(lambda s: not s["ok"] and not s["building"], what="the template error")
        assert any(e.startswith("templates/policy-brief.html.j2:") for e in status["errors"]), status[
            "errors"
        ]
        (project / "templates" / "policy-brief.html.j2").unlink()
        server.wait_for(lambda s: s["ok"] and not s["building"], what="the template fix")
        assert server.process.poll() is None


def test_sigint_mid_build_leaves_no_process(tmp_path):
    project = make_project(tmp_path / "project")
    temp = tmp_path / "tmp"
    temp.mkdir()
    with Server(project, "--jobs", "2", tmpdir=temp) as server:  # stopped on failure too
        server.idle()
        assert list(temp.iterdir()), "the server keeps its previews in a private temporary folder"
        # A page left open: its event stream must not hold the shutdown up.
        stream = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        stream.request("GET", "/events", headers={"Host": server.netloc})
        events = stream.getresponse()
        assert events.status == 200 and events.headers["content-type"].startswith("text/event-stream")
        assert events.readline().startswith(b"event: status")
        content = project / CONTENT
        save(content, content.read_text(encoding="utf-8").replace(SUMMARY, f"{SUMMARY} again"))
        # Stop while the workers of the rebuild are running, when they are.
        children: set[int] = set()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not children:
            children = server.children()
            time.sleep(0.01)
        assert children, "the rebuild's worker processes were not seen"
        started = time.monotonic()
        code, out, err = server.stop()
        assert time.monotonic() - started < 10, "stopping took too long"
        stream.close()
    assert code == 0, err
    assert "stopped" in out
    assert "Traceback" not in err
    time.sleep(0.5)
    assert not [pid for pid in children if alive(pid)], "worker processes outlived the server"
    assert list(temp.iterdir()) == [], "the private preview folder is removed"


def test_a_killed_workers_temporary_files_go_when_serve_stops(tmp_path):
    """The preview worker (and any build worker) keeps WeasyPrint's copies of the theme's
    fonts in the server's own folder: killed by a limit, it cannot remove them itself."""
    project = make_project(tmp_path / "project")
    temp = tmp_path / "tmp"
    temp.mkdir()
    with Server(project, tmpdir=temp) as server:
        server.idle()
        code, _, body = server.request(f"/preview/{STEM}.pdf")  # laid out by the preview worker
        assert code == 200 and body.startswith(b"%PDF")
        assert [p for p in temp.rglob("weasyprint-*")], "the preview worker copied the fonts"
        children = server.children()
        assert children
        for pid in children:
            os.kill(pid, signal.SIGKILL)  # as a time or memory limit ends a worker: no clean-up
        code, _out, err = server.stop()
    assert code == 0, err
    assert list(temp.iterdir()) == [], "nothing of the killed workers is left"


def test_busy_port_fails_loudly(tmp_path):
    project = make_project(tmp_path / "project")
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        import subprocess
        import sys

        result = subprocess.run(
            [sys.executable, "-m", "briefgen", "serve", str(project), "--no-open", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        taken.close()
    assert result.returncode == 2
    assert f"127.0.0.1:{port}" in result.stderr and "--port" in result.stderr


def test_default_port_moves_up(tmp_path):
    project = make_project(tmp_path / "project")
    blocker = socket.socket()
    try:
        blocker.bind(("127.0.0.1", 8000))
        blocker.listen()
    except OSError:
        pass  # already taken by someone else: the server must move up all the same
    try:
        with _default_port_server(project) as server:
            assert 8000 < server.port < 8050
            assert server.status()["project"]
    finally:
        blocker.close()


def _default_port_server(project: Path) -> Server:
    """A server started without --port (Server always passes one)."""
    server = Server.__new__(Server)
    import subprocess
    import sys

    server.process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "serve", str(project), "--no-open"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    server.lines = []
    server.url = server._read_url()
    server.netloc = server.url.split("/")[2]
    server.host, _, port = server.netloc.rpartition(":")
    server.port = int(port)
    return server


def test_all_interfaces_warns_and_still_checks_host(tmp_path):
    project = make_project(tmp_path / "project")
    server = Server(project, "--host", "0.0.0.0")
    try:
        assert server.host == "0.0.0.0"
        assert server.request("/status.json", host=f"127.0.0.1:{server.port}")[0] == 200
        assert server.request("/status.json", host=f"attacker.example:{server.port}")[0] == 421
    finally:
        code, _out, err = server.stop()
    assert code == 0
    assert "warning: listening on every network interface" in err


def test_poll_sees_saves(tmp_path):
    project = make_project(tmp_path / "project")
    with Server(project, "--poll", "--jobs", "1") as server:
        before = server.idle()["generation"]
        content = project / CONTENT
        save(content, content.read_text(encoding="utf-8").replace(SUMMARY, f"{SUMMARY} polled"))
        server.wait_for(lambda s: s["generation"] > before and not s["building"], what="a polled rebuild")
        assert "polled" in server.request(f"/preview/{STEM}.html")[2].decode()


def test_docx_view_without_libreoffice(tmp_path):
    project = make_project(tmp_path / "project")
    bare = tmp_path / "bin"
    bare.mkdir()
    with Server(project, "--jobs", "1", env={"PATH": str(bare)}) as server:
        server.idle()
        code, _, body = server.request(f"/preview/{STEM}.docx.pdf")
        assert code == 501 and b"LibreOffice is not installed" in body
        code, headers, body = server.request(f"/preview/{STEM}.docx")
        assert code == 200 and body.startswith(b"PK") and "attachment" in headers["content-disposition"]


def test_docx_view_with_libreoffice(served):
    import shutil

    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.fail("LibreOffice is a test dependency (make system-deps)")
    code, headers, body = served.request(f"/preview/{STEM}.docx.pdf")
    assert code == 200 and body.startswith(b"%PDF-"), body[:200]
    assert headers["cache-control"] == "no-store"
