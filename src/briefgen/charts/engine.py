"""The chart engine in a process of its own: a build's outputs with charts -> a running
engine (engine_server.py) that draws their SVGs and PNGs, and the connection a worker asks
it through.

vl-convert starts a JavaScript engine (about half a second of CPU) and holds the GIL while
it starts and draws, so a thread in the worker that will need the charts cannot overlap
that start with anything. A process can: the build starts one as soon as its plan shows
outputs with charts (pool.py), while the workers are still importing WeasyPrint, and it
sends the charts it can already name (`Prefetch`) so they are drawn before the worker asks.
The worker draws through `Connection`; whatever the process cannot do (it died, a theme's
fonts it was not started with) is drawn in the worker as before (vega.py), with the same
bytes: the same engine, fonts and requests.

A long-lived process that draws later (a preview server) can keep one `EngineProcess` and
give its `address` to each build's workers (worker.run_batch's `chart_engine`), or start the
engine in its own process with vega.warm_up().
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

from ..scratch import ScratchFolder
from . import engine_server
from .engine_server import read_frame, write_frame

SERVER = Path(engine_server.__file__)
CONNECT_SECONDS = 20.0  # the process binds its socket at once; this is for a busy machine


class EngineUnavailable(Exception):
    """The engine process cannot answer: the caller draws in its own process. `gone`: it
    cannot be reached any more (else it declined this one request)."""

    def __init__(self, message: str, gone: bool = True):
        super().__init__(message)
        self.gone = gone


def font_dirs(theme) -> list[str]:
    """The theme's font folders, which the engine registers so that Vega measures labels with
    the fonts the PDF uses."""
    return sorted({str(f.path.parent) for f in theme.font_files})


class EngineProcess:
    """A running engine_server.py, owned by the process that started it; `address` is its
    socket, inside a folder only this user can enter."""

    def __init__(self, fonts: list[str]):
        self.fonts = sorted(set(fonts))
        self._folder = ScratchFolder("briefgen-charts-")
        self.address = os.path.join(self._folder.path, "engine")
        self._process = subprocess.Popen(
            [sys.executable, str(SERVER), self.address, json.dumps(self.fonts)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )

    def close(self) -> None:
        """Stop the process (closing its standard input ends it) and remove its socket."""
        if self._process.stdin is not None:
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._folder.remove()


def svg_request(vl: dict, format_locale: dict, time_format_locale: dict, fonts: list[str]) -> dict:
    return {
        "op": "svg",
        "vl": vl,
        "format_locale": format_locale,
        "time_format_locale": time_format_locale,
        "fonts": fonts,
    }


def png_request(svg: str, ppi: int, fonts: list[str]) -> dict:
    return {"op": "png", "svg": svg, "ppi": ppi, "fonts": fonts}


def request_body(request: dict) -> bytes:
    # The engine keeps answers by this text: equal requests must give equal bytes.
    return json.dumps(request, sort_keys=True).encode("utf-8")


def _connect(address: str) -> socket.socket:
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.connect(address)
            return conn
        except FileNotFoundError:
            # Not bound yet: the process is still starting Python (it binds first thing).
            conn.close()
            if time.monotonic() > deadline or not os.path.isdir(os.path.dirname(address)):
                raise EngineUnavailable("no chart engine at its socket") from None
            time.sleep(0.005)
        except OSError as exc:  # refused: the process has ended
            conn.close()
            raise EngineUnavailable(f"the chart engine process is not running ({exc})") from None


class Connection:
    """A worker's connection to the engine process. Requests may be sent ahead (`submit`)
    and their answers read when needed (`answer`), in the order they were sent.

    Answers come back in that order, so reading one reads those sent before it, which are
    kept until asked for. Some never are (a chart sent ahead that the template does not place,
    or that the process had drawn already): `forget_unread` lets them go when the output that
    sent them ends, so a long-lived worker does not collect them."""

    def __init__(self, address: str):
        self.address = address
        self._conn: socket.socket | None = None
        self._sent: deque[bytes] = deque()  # requests whose answers are not read yet
        self._answers: dict[bytes, tuple[int, bytes]] = {}
        self._unwanted: set[bytes] = set()  # of _sent: their answers are dropped as they come

    def submit(self, request: dict) -> bytes:
        body = request_body(request)
        if body in self._sent:
            self._unwanted.discard(body)  # asked for again before its answer came
            return body
        if body in self._answers:
            return body
        try:
            if self._conn is None:
                self._conn = _connect(self.address)
            write_frame(self._conn, body)
        except OSError as exc:
            self.close()
            raise EngineUnavailable(str(exc)) from None
        except BaseException:
            # An output's time limit (RenderTimeout) mid-frame: the stream and the queue of
            # requests would no longer match, and a later answer could be another chart's.
            self.close()
            raise
        self._sent.append(body)
        return body

    def answer(self, request: dict) -> bytes:
        """The engine's answer to `request` (sent now unless it was submitted before)."""
        body = self.submit(request)
        while body not in self._answers:
            try:
                frame = read_frame(self._conn) if self._conn is not None else None
                if not frame or not self._sent:
                    raise EngineUnavailable("the chart engine process stopped answering")
                sent = self._sent.popleft()
                if sent in self._unwanted:
                    self._unwanted.discard(sent)
                else:
                    self._answers[sent] = (frame[0], frame[1:])
            except OSError:
                self.close()
                raise EngineUnavailable("the chart engine process stopped answering") from None
            except BaseException:  # as in submit: never leave the stream half read
                self.close()
                raise
        status, payload = self._answers.pop(body)
        if status != 0:
            raise EngineUnavailable(payload.decode("utf-8", "replace"), gone=False)
        return payload

    def forget_unread(self) -> None:
        """The output that sent the requests has ended: drop the answers read ahead and not
        asked for, and those still to come (read off the socket in turn, not kept)."""
        self._answers.clear()
        self._unwanted.update(self._sent)

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.close()
        self._conn = None
        self._sent.clear()
        self._answers.clear()
        self._unwanted.clear()


class Prefetch:
    """Requests sent for drawing without waiting for them (the build's main process, which
    knows the charts before the workers have their model). Their small acknowledgements are
    never read; the connection closes with the build."""

    def __init__(self, address: str):
        self._conn: socket.socket | None = None
        self._address = address

    def send(self, request: dict) -> None:
        try:
            if self._conn is None:
                self._conn = _connect(self._address)
            write_frame(self._conn, json.dumps({"op": "warm", "request": request}).encode("utf-8"))
        except (OSError, EngineUnavailable):
            self.close()  # only a head start is lost: the worker asks again

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.close()
        self._conn = None
