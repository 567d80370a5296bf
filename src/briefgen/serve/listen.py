"""Listen: --host/--port -> a bound listening socket, or a message saying why not.

The default port moves up to the next free one only when no --port was given; a busy
--port fails, since a script that named it expects that address. --port 0 takes any free
port (tests). The socket is made with IPPROTO_TCP: asyncio turns on TCP_NODELAY only for
sockets that say so, and without it every response waits ~40 ms for Nagle's algorithm.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
PORTS_TRIED = 50


class ListenError(Exception):
    """The address cannot be used (message for the user)."""


def bind(host: str, port: int | None) -> socket.socket:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ListenError(f"--host {host!r}: give an IP address, such as 127.0.0.1 or 0.0.0.0") from None
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    candidates = [port] if port is not None else range(DEFAULT_PORT, DEFAULT_PORT + PORTS_TRIED)
    last: OSError | None = None
    for candidate in candidates:
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        # A restarted server must not find its port busy because of connections in TIME_WAIT.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, candidate))
            sock.listen(128)
        except OSError as exc:
            sock.close()
            last = exc
            continue
        sock.setblocking(False)
        return sock
    if port is not None:
        raise ListenError(
            f"cannot listen on {host}:{port} ({_reason(last)}); choose another --port, "
            "or leave --port out to take the next free one"
        )
    raise ListenError(
        f"no free port on {host} from {DEFAULT_PORT} to {DEFAULT_PORT + PORTS_TRIED - 1} ({_reason(last)})"
    )


def address_of(sock: socket.socket) -> tuple[str, int]:
    host, port = sock.getsockname()[:2]
    return host, port


def url_for(host: str, port: int) -> str:
    shown = host
    with contextlib.suppress(ValueError):
        if ipaddress.ip_address(host).version == 6:
            shown = f"[{host}]"
    return f"http://{shown}:{port}/"


def _reason(exc: OSError | None) -> str:
    return exc.strerror if exc is not None and exc.strerror else "address in use"
