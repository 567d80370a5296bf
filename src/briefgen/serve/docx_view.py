"""DOCX view: a built DOCX -> a PDF of how Word processors lay it out, through LibreOffice.

Browsers cannot show a DOCX. LibreOffice, when it is installed, converts it (headless, with
a profile of its own so that it neither waits for nor disturbs a LibreOffice the author has
open). The PDF is kept per DOCX content, so switching back and forth converts once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import threading
from pathlib import Path

TIMEOUT = 180.0

NOT_INSTALLED = (
    "LibreOffice is not installed, so the DOCX cannot be drawn here. "
    "Download the DOCX and open it in Word or LibreOffice, or install LibreOffice "
    "(Debian: apt-get install libreoffice-writer-nogui) and choose DOCX again."
)


def office() -> str | None:
    """The LibreOffice command on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


class DocxViewer:
    """Converts DOCX files into PDFs inside `folder`; one conversion at a time."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._lock = threading.Lock()
        self._running: subprocess.Popen | None = None
        self._stopped = False

    def view(self, docx: Path) -> Path:
        """The PDF of `docx`; raises LookupError (not installed) or RuntimeError (failed)."""
        command = office()
        if command is None:
            raise LookupError(NOT_INSTALLED)
        digest = hashlib.sha256(docx.read_bytes()).hexdigest()[:16]
        target = self.folder / f"{docx.stem}.{digest}.pdf"
        with self._lock:
            if target.is_file():
                return target
            work = self.folder / f"work-{digest}"
            shutil.rmtree(work, ignore_errors=True)
            (work / "in").mkdir(parents=True)
            source = work / "in" / docx.name
            shutil.copyfile(docx, source)
            if self._stopped:
                raise RuntimeError("the server is stopping")
            self._running = subprocess.Popen(
                [
                    command,
                    f"-env:UserInstallation={(work / 'profile').as_uri()}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(work / "out"),
                    str(source),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,  # Ctrl-C in the terminal is the server's to handle
            )
            try:
                _, stderr = self._running.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self._kill()
                raise RuntimeError(
                    f"LibreOffice took longer than {TIMEOUT:g} s to convert the DOCX"
                ) from None
            finally:
                self._running = None
            produced = work / "out" / (docx.stem + ".pdf")
            if not produced.is_file():
                message = stderr.decode(errors="replace").strip()[-300:]
                shutil.rmtree(work, ignore_errors=True)
                raise RuntimeError(f"LibreOffice could not convert the DOCX ({message or 'no output'})")
            os.replace(produced, target)
            shutil.rmtree(work, ignore_errors=True)
            for old in self.folder.glob(f"{docx.stem}.*.pdf"):
                if old != target:
                    old.unlink(missing_ok=True)
            return target

    def stop(self) -> None:
        """Stop a conversion in progress (the server is shutting down)."""
        self._stopped = True
        self._kill()

    def _kill(self) -> None:
        process = self._running
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, 9)
            except OSError:
                process.kill()
            process.wait()
