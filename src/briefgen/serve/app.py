"""App: HTTP requests -> the preview page, its assets, the previews, status and live events.

The whole address space (the contract is shared/spec/cli.md, "serve: addresses"):

    /                          the page
    /static/NAME               the page's own files (a fixed list; nothing else on disk)
    /preview/STEM.html|.pdf    an output's preview; STEM as `build` names the file
    /preview/STEM.docx         the DOCX itself;  /preview/STEM.docx.pdf  as LibreOffice draws it
    /preview/STEM_files/...    images and fonts the HTML preview refers to
    /status.json               the last rebuild: ok, generation, errors (+ the outputs)
    /events                    server-sent events: the status, each time it changes

Requests whose Host header is not the server's own address are refused (DNS rebinding:
a web page of another site that resolves its name to 127.0.0.1 must not read previews).
Preview files are found through the project's plan, never by joining a requested path onto
a folder, and nothing is listed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ipaddress
import json
import re
from collections.abc import Iterable
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from .docx_view import DocxViewer
from .previews import PreviewBuilder

STATIC = Path(__file__).parent / "static"
STATIC_FILES = {
    "serve.js": "text/javascript",
    "serve.css": "text/css",
    "pdf.min.mjs": "text/javascript",
    "pdf.worker.min.mjs": "text/javascript",
}
STATIC_PATHS = {
    "pdf.min.mjs": "vendor/pdfjs/pdf.min.mjs",
    "pdf.worker.min.mjs": "vendor/pdfjs/pdf.worker.min.mjs",
}
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
PAGE_HEADERS = {
    **NO_STORE,
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; "
    "style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; frame-ancestors 'none'",
}
PREVIEW_HEADERS = {**NO_STORE, "X-Frame-Options": "SAMEORIGIN"}
WAIT_SECONDS = 600.0
KEEPALIVE_SECONDS = 15.0
_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")


class EventHub:
    """Fans the builder's status out to every open event stream (thread-safe `publish`)."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.closing: asyncio.Event | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.closing = asyncio.Event()

    def publish(self, status: dict) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._put, status)

    def close(self) -> None:
        """End every event stream now (shutdown must not wait for browsers to hang up)."""
        loop, closing = self._loop, self.closing
        if loop is not None and closing is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(closing.set)

    def _put(self, status: dict) -> None:
        for queue in self._queues:
            queue.put_nowait(status)

    def subscribe(self) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue()
        self._queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue) -> None:
        self._queues.discard(queue)


def allowed_hosts(host: str, port: int, extra_names: Iterable[str] = ()) -> set[str]:
    """The Host header values that name this server: its address, and localhost on loopback."""
    names = {host, *extra_names}
    address = ipaddress.ip_address(host)
    if address.is_loopback or address.is_unspecified:
        names |= {"localhost", "127.0.0.1", "[::1]"}
    if address.version == 6:
        names.add(f"[{host}]")
    return {f"{name}:{port}" for name in names}


def host_allowed(header: str, allowed: set[str], port: int, any_address: bool) -> bool:
    if header.lower() in allowed:
        return True
    if not any_address:
        return False
    # Listening on every interface: any IP literal of this port names us (a rebinding attack
    # needs a host name, which is what this refuses).
    name, _, given_port = header.rpartition(":")
    if given_port != str(port):
        return False
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(name.strip("[]"))
        return True
    return False


class HostCheck:
    """ASGI middleware: 421 for a request whose Host header is not this server."""

    def __init__(self, app, allowed: set[str], port: int, any_address: bool):
        self.app = app
        self.allowed = allowed
        self.port = port
        self.any_address = any_address

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            headers = dict(scope.get("headers") or [])
            host = headers.get(b"host", b"").decode("latin-1")
            if not host_allowed(host, self.allowed, self.port, self.any_address):
                response = PlainTextResponse(
                    "This preview server answers only to its own address.", status_code=421, headers=NO_STORE
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(
    builder: PreviewBuilder, hub: EventHub, docx: DocxViewer, host: str, port: int, any_address: bool = False
):
    """The ASGI application for one project's previews."""

    async def page(request: Request) -> Response:
        return FileResponse(
            STATIC / "index.html", media_type="text/html; charset=utf-8", headers=PAGE_HEADERS
        )

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC_FILES:
            return _not_found()
        return FileResponse(
            STATIC / STATIC_PATHS.get(name, name), media_type=STATIC_FILES[name], headers=NO_STORE
        )

    async def status(request: Request) -> Response:
        return JSONResponse(builder.status(), headers=NO_STORE)

    async def events(request: Request) -> Response:
        queue = hub.subscribe()
        closing = hub.closing

        async def stream():
            try:
                yield _event(builder.status())
                while not closing.is_set():
                    getter = asyncio.ensure_future(queue.get())
                    closer = asyncio.ensure_future(closing.wait())
                    done, _ = await asyncio.wait(
                        {getter, closer}, timeout=KEEPALIVE_SECONDS, return_when=asyncio.FIRST_COMPLETED
                    )
                    for task in (getter, closer):
                        if task not in done:
                            task.cancel()
                    if getter in done:
                        latest = getter.result()
                        while not queue.empty():  # only the newest status matters
                            latest = queue.get_nowait()
                        yield _event(latest)
                    elif not done:
                        yield ": keep-alive\n\n"
            finally:
                hub.unsubscribe(queue)

        headers = {**NO_STORE, "X-Accel-Buffering": "no"}
        return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)

    async def preview(request: Request) -> Response:
        name = request.path_params["name"]
        if name.endswith(".docx.pdf"):
            stem, fmt = name[: -len(".docx.pdf")], "docx-view"
        else:
            stem, _, fmt = name.rpartition(".")
        if fmt not in ("html", "pdf", "docx", "docx-view") or builder.job(stem) is None:
            return _not_found(f"No output is named {name!r} in this project.")
        built_format = "docx" if fmt == "docx-view" else fmt
        builder.want(stem, built_format)
        await _settle(builder, stem, built_format)
        path = builder.path(stem, built_format)
        if path is None or not path.is_file():
            return _not_found(
                f"{stem}.{built_format} is not built: the project has errors (see /status.json).", status=404
            )
        builder.served(stem, built_format, will_report=request.query_params.get("report") == "1")
        if fmt == "docx-view":
            try:
                path = await asyncio.to_thread(docx.view, path)
            except LookupError as exc:
                return PlainTextResponse(str(exc), status_code=501, headers=NO_STORE)
            except (RuntimeError, OSError) as exc:
                return PlainTextResponse(str(exc), status_code=500, headers=NO_STORE)
            return FileResponse(path, media_type="application/pdf", headers=PREVIEW_HEADERS)
        media = {
            "html": "text/html; charset=utf-8",
            "pdf": "application/pdf",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }[fmt]
        headers = dict(PREVIEW_HEADERS)
        if fmt == "pdf":
            return await _pdf_with_page_digests(builder, path, headers)
        if fmt == "docx":
            headers["Content-Disposition"] = f'attachment; filename="{stem}.docx"'
        return FileResponse(path, media_type=media, headers=headers)

    async def drawn(request: Request) -> Response:
        """The page has drawn the preview it fetched (serve.js): work held back can go on."""
        stem, _, fmt = request.path_params["name"].rpartition(".")
        if fmt in ("html", "pdf", "docx") and builder.job(stem) is not None:
            builder.drawn(stem, fmt)
        return Response(status_code=204, headers=NO_STORE)

    async def resource(request: Request) -> Response:
        """A file inside an HTML preview's STEM_files folder: every segment checked, no listing."""
        folder, rest = request.path_params["folder"], request.path_params["rest"]
        stem = folder.removesuffix("_files")
        html = builder.path(stem, "html") if folder.endswith("_files") else None
        segments = rest.split("/")
        if html is None or not all(_SEGMENT.fullmatch(s) and ".." not in s for s in segments):
            return _not_found()
        base = html.with_name(folder).resolve()
        path = base.joinpath(*segments).resolve()
        if not path.is_relative_to(base) or not path.is_file():
            return _not_found()
        return FileResponse(path, headers=PREVIEW_HEADERS)

    async def no_icon(request: Request) -> Response:
        return Response(status_code=204, headers=NO_STORE)  # browsers ask; nothing to show

    routes = [
        Route("/", page),
        Route("/favicon.ico", no_icon),
        Route("/status.json", status),
        Route("/events", events),
        Route("/static/{name}", static),
        Route("/preview/{name}", preview),
        Route("/preview/{folder}/{rest:path}", resource),
        Route("/drawn/{name}", drawn, methods=["POST"]),
    ]
    app = Starlette(routes=routes)
    app.add_exception_handler(404, lambda request, exc: _not_found())
    app.add_exception_handler(
        405, lambda request, exc: PlainTextResponse("Method not allowed", 405, NO_STORE)
    )
    return HostCheck(app, allowed_hosts(host, port), port, any_address)


async def _settle(builder: PreviewBuilder, stem: str, fmt: str) -> None:
    """Wait until the output is built (or failed) since the last save; serve what is there then."""
    waited = 0.0
    while not builder.settled(stem, fmt) and waited < WAIT_SECONDS:
        await asyncio.sleep(0.02)
        waited += 0.02


# Past this, a proxy in front of serve may refuse the response (nginx's buffer for headers is
# 4-8 KB): some 480 pages. A longer PDF comes without digests, and every page is drawn.
DIGESTS_HEADER_MAX = 8000


async def _pdf_with_page_digests(builder: PreviewBuilder, path: Path, headers: dict) -> Response:
    """The PDF, and the digest of each of its pages (X-Page-Digests) when the build recorded
    them: the page draws again only pages whose digest it has not drawn (serve.js). The bytes
    are read once and the digests looked up by their sha256, so the two always belong together
    even when a rebuild replaces the file meanwhile."""
    try:
        data, sha256 = await asyncio.to_thread(_read_with_sha256, path)
    except OSError:
        return _not_found(f"{path.name} was being replaced: refresh to see the new one.", status=503)
    digests = " ".join(builder.page_digests(sha256) or ())
    if digests and len(digests) <= DIGESTS_HEADER_MAX:
        headers["X-Page-Digests"] = digests
    headers["ETag"] = f'"{sha256}"'
    return Response(data, media_type="application/pdf", headers=headers)


def _read_with_sha256(path: Path) -> tuple[bytes, str]:
    data = path.read_bytes()
    return data, hashlib.sha256(data).hexdigest()


def _not_found(message: str = "Not found.", status: int = 404) -> Response:
    return PlainTextResponse(message, status_code=status, headers=NO_STORE)


def _event(status: dict) -> str:
    return f"event: status\ndata: {json.dumps(status, ensure_ascii=False)}\n\n"
