"""quickexit.leave: what an ordinary exit does that anyone can see, without the tear-down."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

# A process that leaves through quickexit.leave. Marker files say what ran: the exit handler
# (atexit), and a module-level object's __del__, which only the interpreter's tear-down calls.
SCRIPT = """
import atexit, sys, threading, time
from pathlib import Path
from briefgen.quickexit import leave

folder = Path(sys.argv[1])
atexit.register(lambda: (folder / "atexit").write_text("ran"))

class TornDown:
    def __del__(self):
        (folder / "teardown").write_text("ran")

kept = TornDown()
sys.stdout.write("unflushed output")  # no newline: still in the buffer when leave is called
if sys.argv[2] == "thread":
    def late():
        time.sleep(0.3)
        (folder / "thread").write_text("finished")
    threading.Thread(target=late).start()
leave(eval(sys.argv[3]))
"""


def _leave(tmp_path: Path, code: str, thread: bool = False) -> subprocess.CompletedProcess:
    script = tmp_path / "leave.py"
    script.write_text(textwrap.dedent(SCRIPT), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script), str(tmp_path), "thread" if thread else "-", code],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_leave_flushes_runs_exit_handlers_and_skips_the_teardown(tmp_path):
    done = _leave(tmp_path, "3")
    assert done.returncode == 3
    assert done.stdout == "unflushed output"
    assert (tmp_path / "atexit").read_text() == "ran"
    assert not (tmp_path / "teardown").exists()  # the interpreter was not torn down


def test_leave_with_none_or_a_message_exits_as_sys_exit_does(tmp_path):
    assert _leave(tmp_path, "None").returncode == 0
    done = _leave(tmp_path, "'briefgen: stopped'")
    assert done.returncode == 1
    assert done.stderr.strip() == "briefgen: stopped"


def test_another_thread_alive_means_the_ordinary_exit(tmp_path):
    done = _leave(tmp_path, "0", thread=True)
    assert done.returncode == 0
    assert (tmp_path / "thread").read_text() == "finished"  # joined, not killed
    assert (tmp_path / "atexit").read_text() == "ran"
    assert (tmp_path / "teardown").read_text() == "ran"


def test_the_console_script_and_python_m_leave_through_run():
    (script,) = entry_points(group="console_scripts", name="briefgen")
    assert script.value == "briefgen.cli:run"
    main_module = Path(__file__).parents[2] / "src" / "briefgen" / "__main__.py"
    assert "run()" in main_module.read_text(encoding="utf-8")
    version = subprocess.run(
        [sys.executable, "-m", "briefgen", "--version"], capture_output=True, text=True, timeout=60
    )
    assert version.returncode == 0 and "briefgen, version" in version.stdout
    usage = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "--jobs", "0"], capture_output=True, text=True, timeout=60
    )
    assert usage.returncode == 2 and "--jobs" in usage.stderr
