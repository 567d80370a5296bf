"""Helpers for the `briefgen serve` tests: a small project in a temporary folder, a real
server process on 127.0.0.1 (port 0), and HTTP requests sent exactly as written."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

CONTENT = "content/example.yaml"
SUMMARY = "publishing an investigation into public"  # in the starter's case summary


def make_project(folder: Path) -> Path:
    """The starter project (`briefgen init`) with a third, confidential audience."""
    from briefgen.scaffold import write_starter_project

    write_starter_project(folder)
    settings = folder / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace(
        "    clearance: internal\n",
        "    clearance: internal\n  - id: core-team\n    name: Core team\n    clearance: confidential\n",
        1,
    )
    text = text.replace(
        "audiences: [policymakers, partners]", "audiences: [policymakers, partners, core-team]"
    )
    settings.write_text(text, encoding="utf-8")
    return folder


class Server:
    """`briefgen serve PROJECT --port 0 --no-open` in its own process."""

    def __init__(self, project: Path, *args: str, env: dict | None = None, tmpdir: Path | None = None):
        environment = {**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"}
        if tmpdir is not None:
            environment["TMPDIR"] = str(tmpdir)
        command = [sys.executable, "-m", "briefgen", "serve", str(project), "--no-open", *args]
        if "--port" not in args:
            command += ["--port", "0"]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
        )
        self.lines: list[str] = []
        self.url = self._read_url()
        match = re.match(r"http://([^/]+)/", self.url)
        assert match, self.url
        self.netloc = match.group(1)
        self.host, _, port = self.netloc.rpartition(":")
        self.port = int(port)

    def _read_url(self, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise AssertionError(f"serve ended: {self.process.wait()} {self.process.stderr.read()}")
            self.lines.append(line)
            found = re.search(r"(http://\S+/)", line)
            if found:
                return found.group(1)
        raise AssertionError("serve printed no address")

    def request(self, path: str, host: str | None = None, method: str = "GET") -> tuple[int, dict, bytes]:
        """Send `path` as written (no normalisation, no re-encoding)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host if host is not None else self.netloc)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def status(self) -> dict:
        code, _, body = self.request("/status.json")
        assert code == 200
        return json.loads(body)

    def wait_for(self, predicate, timeout: float = 120.0, what: str = "condition") -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if predicate(status):
                return status
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}: {self.status()}")

    def idle(self, timeout: float = 120.0) -> dict:
        return self.wait_for(lambda s: s["generation"] >= 1 and not s["building"], timeout, "an idle server")

    def children(self) -> set[int]:
        """Process ids whose parent is the server."""
        found = set()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    text = (entry / "status").read_text()
                except OSError:
                    continue
                if re.search(rf"^PPid:\s+{self.process.pid}$", text, re.M):
                    found.add(int(entry.name))
        return found

    def stop(self, timeout: float = 30.0) -> tuple[int, str, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            out, err = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
            raise AssertionError(f"serve did not stop within {timeout} s after SIGINT: {err}") from None
        return self.process.returncode, "".join(self.lines) + out, err

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.stop()


def alive(pid: int) -> bool:
    """True if the process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def save(path: Path, text: str) -> None:
    """Save as an editor does: the whole file, in place."""
    path.write_text(text, encoding="utf-8")
