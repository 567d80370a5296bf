"""Quick exit: a finished command's exit status -> the end of the process, without tearing the
interpreter down.

When a command has done its work, Python would still free every module, class and loaded
object one by one before the process ends: about 0.07 s after every `briefgen build` (a fifth
of a one-output DOCX build's wall time, issue 21), for memory the operating system takes back
at once anyway. So the console script, once no other thread runs, does what an ordinary exit
does that anyone can observe (flushes stdout and stderr, runs the exit handlers: multiprocessing's
clean-up of its workers, the removal of WeasyPrint's font folders, temporary folders' finalizers)
and then ends the process with os._exit.

Whenever that is not plainly safe, the ordinary exit runs instead: another thread is alive (it
would be killed, not joined), or flushing fails (a closed pipe: Python's own exit reports it).
Code that calls `cli.main` itself (tests through click's CliRunner, other programs) is not
affected: only `cli.run`, the console script, leaves this way.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn


def leave(code: object) -> NoReturn:
    """End the process with `code` as sys.exit would (None: 0, an int: itself, anything else:
    printed to stderr, 1)."""
    if threading.active_count() > 1:
        sys.exit(code)
    message = None if code is None or isinstance(code, int) else code
    status = 1 if message is not None else code or 0
    if not _flushed(message):
        sys.exit(status)
    atexit._run_exitfuncs()  # the handlers an ordinary exit runs, last registered first
    if not _flushed(None):  # an exit handler may have written something
        status = status or 120  # what Python's own exit says when it cannot flush stdout
    os._exit(status)


def _flushed(message: object) -> bool:
    """Print `message` (unless None) to stderr and flush stdout and stderr; False when a stream
    is closed or broken."""
    try:
        if message is not None:
            print(message, file=sys.stderr)
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return False
    return True
