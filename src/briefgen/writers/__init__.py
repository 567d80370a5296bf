"""Writers: a RenderedDocument -> a file in one format. `WRITERS` is the one list of formats.

The command line's --format choices, the content model's `formats:` values and defaults,
the plan's checks, the manifest's known outputs and the workers' warm-up all read it: a new
format is one entry here and one module. Each writer module imports its heavy library
(WeasyPrint, python-docx) only when it runs, so `briefgen validate` and `briefgen list`
start fast; this module imports nothing else of briefgen, so the model can read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..document import RenderedDocument, WrittenFile


@dataclass(frozen=True)
class Writer:
    name: str
    suffix: str
    module: str  # relative to this package, imported on first use
    default: bool  # built when a brief names no formats

    def write(self, document: RenderedDocument, target: Path) -> WrittenFile:
        return import_module(self.module, __package__).write(document, target)

    def warm_up(self) -> None:
        """Import the writer and its library (and run its own warm_up, if it has one)."""
        warm = getattr(import_module(self.module, __package__), "warm_up", None)
        if warm is not None:
            warm()


WRITERS: dict[str, Writer] = {
    "pdf": Writer("pdf", ".pdf", ".pdf", default=True),
    "docx": Writer("docx", ".docx", ".docx", default=True),
    "html": Writer("html", ".html", ".html", default=False),
}
FORMATS: tuple[str, ...] = tuple(WRITERS)
DEFAULT_FORMATS: tuple[str, ...] = tuple(name for name, writer in WRITERS.items() if writer.default)
