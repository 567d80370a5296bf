"""The chart engine's own process: requests on a Unix socket -> SVG text and PNG bytes.

Started by charts/engine.py as `python engine_server.py SOCKET FONT_DIRS_JSON`, as a script:
it imports the standard library and vl-convert, nothing of briefgen, so it is up in a few
hundredths of a second and then spends its time where it should, starting the JavaScript
engine (about half a second) while the build loads the project and the workers import
their libraries. vl-convert holds the GIL while it starts and draws, so in a worker's own
thread it would only take turns with the worker; here it has a core of its own.

Frames are a 4-byte big-endian length and a body. A request body is JSON:
    {"op": "svg", "vl": SPEC, "format_locale": ..., "time_format_locale": ..., "fonts": [DIR]}
    {"op": "png", "svg": TEXT, "ppi": P, "fonts": [DIR]}  the SVG at P pixels an inch, on white
    {"op": "warm", "request": REQUEST}   draw REQUEST into the cache; answer b"" when drawn
An answer is one status byte (0: done, 1: failed) and the SVG (UTF-8), the PNG (as
`print_png` makes it: the worker only places it) or the error message. Answers are kept
by request, so the build's outputs and its copies ask once. A request naming font folders
the engine did not register fails (the client then draws itself): the fonts decide where
Vega breaks and measures labels.

The process ends when its standard input closes: the build that started it has finished
or died. Nothing is written to disk but the socket, in a folder only its user can enter.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import struct
import sys
import threading

_HEADER = struct.Struct(">I")
VL_VERSION = "v5.21"


class Engine:
    def __init__(self, font_dirs: list[str]):
        import vl_convert

        self.vlc = vl_convert
        self.fonts = set()
        for folder in font_dirs:
            if os.path.isdir(folder):
                vl_convert.register_font_directory(folder)
                self.fonts.add(folder)
        self.lock = threading.Lock()
        self.done: dict[bytes, tuple[int, bytes]] = {}

    def start(self) -> None:
        with self.lock:
            self.vlc.vegalite_to_svg({"mark": "point", "data": {"values": []}}, vl_version=VL_VERSION)
            import PIL.Image  # noqa: F401  (for print_png, before a timeline's picture is asked)

    def answer(self, body: bytes) -> tuple[int, bytes]:
        request = json.loads(body)
        if request.get("op") == "warm":
            self.answer(json.dumps(request["request"], sort_keys=True).encode("utf-8"))
            return 0, b""
        with self.lock:  # one drawing at a time; a second asker of the same waits for it
            if body not in self.done:
                self.done[body] = self._draw(request)
            return self.done[body]

    def _draw(self, request: dict) -> tuple[int, bytes]:
        missing = set(request.get("fonts", [])) - self.fonts
        if missing:
            return 1, f"font folders not registered: {sorted(missing)}".encode()
        try:
            if request["op"] == "svg":
                drawn = self.vlc.vegalite_to_svg(
                    request["vl"],
                    vl_version=VL_VERSION,
                    format_locale=request["format_locale"],
                    time_format_locale=request["time_format_locale"],
                )
                return 0, drawn.encode("utf-8")
            if request["op"] == "png":
                ppi = request["ppi"]
                return 0, print_png(self.vlc.svg_to_png(request["svg"], scale=ppi / 96), ppi)
            return 1, f"unknown request {request['op']!r}".encode()
        except Exception as exc:  # the asker reports it, or draws itself
            return 1, f"{type(exc).__name__}: {exc}".encode()


def print_png(raw: bytes, ppi: int) -> bytes:
    """vl-convert's PNG as a DOCX shows it: flat on white (Word shows transparency unevenly),
    at `ppi`, and nothing else: Pillow writes no text, time or EXIF chunk unless asked, so
    equal charts give equal bytes. Done here, beside the worker, while it lays out the PDF
    (flattening and encoding some 2,000 by 800 pixels takes about a tenth of a second)."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(raw)) as image:
        image.load()
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A") if "A" in image.getbands() else None)
    out = io.BytesIO()
    flat.save(out, "PNG", dpi=(ppi, ppi), optimize=False)
    return out.getvalue()


def read_frame(conn: socket.socket) -> bytes | None:
    header = _read_exactly(conn, _HEADER.size)
    if header is None:
        return None
    return _read_exactly(conn, _HEADER.unpack(header)[0])


def _read_exactly(conn: socket.socket, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        chunk = conn.recv(min(size - len(data), 1 << 20))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def write_frame(conn: socket.socket, body: bytes) -> None:
    conn.sendall(_HEADER.pack(len(body)) + body)


def _serve(engine: Engine, conn: socket.socket) -> None:
    with conn:
        while (body := read_frame(conn)) is not None:
            status, payload = engine.answer(body)
            # A prefetching client sends its requests and hangs up without reading: what it
            # sent is still read and drawn, the answers to it go nowhere.
            with contextlib.suppress(OSError):
                write_frame(conn, bytes([status]) + payload)


def _end_with_parent() -> None:
    sys.stdin.buffer.read()  # returns when the build closes the pipe or ends
    os._exit(0)


def main() -> None:
    path, font_dirs = sys.argv[1], json.loads(sys.argv[2])
    threading.Thread(target=_end_with_parent, daemon=True).start()
    # The socket first: a client then either connects, or is refused at once when this
    # process failed (no waiting for a socket that will never be bound).
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path + ".bind")
    server.listen(64)
    # Under its name only once listening: a socket that refuses is one whose process ended.
    os.rename(path + ".bind", path)  # clients may connect now; answered once the engine is up
    engine = Engine(font_dirs)
    engine.start()
    while True:
        conn, _ = server.accept()
        threading.Thread(target=_serve, args=(engine, conn), daemon=True).start()


if __name__ == "__main__":
    main()
