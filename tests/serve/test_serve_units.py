"""The pieces of `briefgen serve` that need no server: which Host headers name it, how it
takes a port, which files it watches."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import watchfiles

from briefgen.serve.app import allowed_hosts, host_allowed
from briefgen.serve.listen import ListenError, bind
from briefgen.serve.watch import ProjectFilter


@pytest.mark.parametrize(
    "header,ok",
    [
        ("127.0.0.1:8123", True),
        ("localhost:8123", True),
        ("LOCALHOST:8123", True),
        ("127.0.0.1:8124", False),
        ("127.0.0.1", False),
        ("attacker.example:8123", False),
        ("127.0.0.1.attacker.example:8123", False),
        ("", False),
    ],
)
def test_host_header_on_loopback(header, ok):
    assert host_allowed(header, allowed_hosts("127.0.0.1", 8123), 8123, any_address=False) is ok


@pytest.mark.parametrize(
    "header,ok",
    [
        ("192.168.1.20:8123", True),
        ("[fe80::1]:8123", True),
        ("my-laptop.example:8123", False),
        ("10.0.0.1:1", False),
    ],
)
def test_host_header_on_every_interface(header, ok):
    assert host_allowed(header, allowed_hosts("0.0.0.0", 8123), 8123, any_address=True) is ok


def test_busy_port_is_an_error_and_port_zero_works():
    sock = bind("127.0.0.1", 0)
    try:
        port = sock.getsockname()[1]
        assert port > 0
        assert sock.proto == socket.IPPROTO_TCP  # asyncio sets TCP_NODELAY only then
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR)
        with pytest.raises(ListenError, match=f"127.0.0.1:{port}"):
            bind("127.0.0.1", port)
    finally:
        sock.close()


def test_host_must_be_an_address():
    with pytest.raises(ListenError, match="IP address"):
        bind("example.org", 0)


def test_watch_filter(tmp_path: Path):
    (tmp_path / "output").mkdir()
    private = tmp_path.parent / f"{tmp_path.name}-serve"
    keep = ProjectFilter(tmp_path, [tmp_path / "output", private])
    changed = watchfiles.Change.modified
    assert keep(changed, str(tmp_path / "content" / "cases.yaml"))
    assert keep(changed, str(tmp_path / "briefgen.yaml"))
    assert keep(changed, str(tmp_path / "templates" / "x" / "policy-brief.html.j2"))
    for ignored in (
        "output/brief/brief.a.en.pdf",
        "output/manifest.json",
        ".git/index",
        ".venv/lib/x.py",
        "content/.cases.yaml.swp",
        "content/cases.yaml~",
        "content/.#cases.yaml",
        "content/4913",
    ):
        assert not keep(changed, str(tmp_path / ignored)), ignored
    assert not keep(changed, str(private / "previews" / "x.html"))


def test_serve_that_fails_to_start_leaves_no_folder_and_the_system_temp_folder(tmp_path, monkeypatch):
    """A failure while serve sets up (here its preview builder) must not leave later
    temporary files of this process in a folder it removes, nor the folder behind."""
    import tempfile

    from briefgen.serve import runner

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where mkdtemp puts serve's folder
    made = []

    class Failing:
        def __init__(self, root, folder, **kwargs):
            made.append(folder.parent)
            raise RuntimeError("the preview builder could not start")

    monkeypatch.setattr(runner, "PreviewBuilder", Failing)
    with pytest.raises(RuntimeError, match="could not start"):
        runner.serve(tmp_path, runner.ServeOptions(open_browser=False), lambda *a, **k: None)
    assert tempfile.tempdir == str(tmp_path)
    assert made and not made[0].exists()
    assert not list(tmp_path.glob("briefgen-serve-*"))
