"""Runner: `briefgen serve` options -> a running preview server, until Ctrl-C.

Puts the pieces together (listen, previews, watch, app) and owns the order of stopping:
on SIGINT/SIGTERM the event streams are closed first (uvicorn waits for open responses,
and an event stream never ends by itself), then the watcher and the builder stop, worker
processes of a build in progress and a LibreOffice conversion are ended, and the private
preview folder is removed. Nothing is written into the project.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import signal
import tempfile
import threading
import webbrowser
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from ..scratch import ScratchFolder
from ..writers import pdf_pages
from .app import EventHub, create_app
from .docx_view import DocxViewer
from .listen import ListenError, address_of, bind, url_for
from .previews import PreviewBuilder
from .watch import ProjectWatcher

WILDCARD_WARNING = (
    "warning: listening on every network interface: anyone who can reach this machine can read "
    "these previews, including confidential ones. Use --host 127.0.0.1 unless you mean it."
)


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int | None = None
    open_browser: bool = True
    poll: bool = False
    jobs: int | None = None


class _Server(uvicorn.Server):
    """uvicorn's server that also ends the event streams as soon as it is asked to stop."""

    def __init__(self, config: uvicorn.Config, on_exit):
        super().__init__(config)
        self._on_exit = on_exit

    def handle_exit(self, sig, frame) -> None:
        self._on_exit()
        super().handle_exit(sig, frame)


def serve(root: Path, options: ServeOptions, say) -> None:
    """Serve the previews of the project at `root` until interrupted; raises ListenError."""
    sock = bind(options.host, options.port)
    host, port = address_of(sock)
    scratch = ScratchFolder("briefgen-serve-")
    work = Path(scratch.path)
    # The processes forked from this one (the preview worker, a build's workers) keep their
    # temporary files (WeasyPrint's copies of the theme's fonts) in `work`, which goes when
    # serve stops: a worker killed by a time or memory limit cannot remove them itself. If
    # serve itself is killed, the next serve removes it (scratch.py): it holds previews.
    system_tempdir, tempfile.tempdir = tempfile.tempdir, str(work)
    try:
        _serve_from(root, options, say, sock, host, port, work)
    finally:
        # Also when starting failed: the folder goes, and later temporary files are the system's.
        sock.close()
        tempfile.tempdir = system_tempdir
        scratch.remove()


def _serve_from(root: Path, options: ServeOptions, say, sock, host: str, port: int, work: Path) -> None:
    any_address = host in ("0.0.0.0", "::")
    hub = EventHub()
    # Before the preview worker and any build worker are forked, so that theirs do too.
    pdf_pages.want_page_digests()
    builder = PreviewBuilder(root, work / "previews", jobs=options.jobs, on_status=hub.publish)
    docx = DocxViewer(work / "docx")
    (work / "docx").mkdir()
    watcher = ProjectWatcher(root, builder.files_changed, ignored=[root / "output", work], poll=options.poll)
    app = create_app(builder, hub, docx, host, port, any_address)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=3,
        ws="none",
    )
    stopping = threading.Event()

    def on_exit() -> None:
        stopping.set()
        hub.close()
        watcher.stop()
        builder.stop()
        docx.stop()

    server = _Server(config, on_exit)
    _warm_up()
    url = url_for(host, port)
    if any_address:
        say(WILDCARD_WARNING, err=True)
    say(f"briefgen serve: {root.resolve().name} at {url} (Ctrl-C to stop)")

    async def main() -> None:
        hub.bind(asyncio.get_running_loop())
        builder.start()
        watcher.start()
        if options.open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        await server.serve(sockets=[sock])

    # SIGTERM stops like Ctrl-C (uvicorn raises the signal again once it has shut down).
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    finally:
        on_exit()
        _end_workers()
        watcher.join(2)
        builder.join(5)
        _end_workers()
        signal.signal(signal.SIGTERM, previous)
        say("briefgen serve: stopped")


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _warm_up() -> None:
    """Import the writers and read the fonts once here: build workers are forked from this
    process and start warm, which keeps a save-to-preview round trip under a second."""
    from ..worker import warm_up
    from ..writers import WRITERS

    warm_up(list(WRITERS))


def _end_workers() -> None:
    """End the worker processes of a build that is still running (Ctrl-C mid-build)."""
    for child in multiprocessing.active_children():
        with contextlib.suppress(Exception):
            child.terminate()
    for child in multiprocessing.active_children():
        child.join(3)
        if child.is_alive():
            child.kill()
            child.join(1)


def run_cli(root: Path, options: ServeOptions, echo) -> int:
    try:
        serve(root, options, say=echo)
    except ListenError as exc:
        echo(f"briefgen serve: {exc}", err=True)
        return 2
    return 0


__all__ = ["ServeOptions", "run_cli", "serve"]
