"""Writers: a RenderedDocument -> a file in one format. A plain registry of name -> writer.

Each writer module imports its heavy library (WeasyPrint, python-docx) only when it runs,
so `briefgen validate` and `briefgen list` start fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from ..document import RenderedDocument, WrittenFile


@dataclass(frozen=True)
class Writer:
    name: str
    suffix: str
    module: str  # imported on first use

    def write(self, document: RenderedDocument, target: Path) -> WrittenFile:
        write: Callable[[RenderedDocument, Path], WrittenFile] = import_module(self.module, __package__).write
        return write(document, target)


WRITERS: dict[str, Writer] = {
    "pdf": Writer("pdf", ".pdf", ".pdf"),
    "docx": Writer("docx", ".docx", ".docx"),
    "html": Writer("html", ".html", ".html"),
}
