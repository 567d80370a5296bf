"""Diagnostics: problems found in a project, each pointing at a file, line and column.

Every stage reports content and template mistakes as Diagnostics rather than exceptions,
so that `validate` can show them all at once and no user ever sees a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    path: str  # relative to the project folder, with forward slashes
    line: int = 0  # 1-based; 0 when unknown
    column: int = 0  # 1-based; 0 when unknown

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    location: Location
    message: str
    severity: Severity = Severity.ERROR
    hint: str | None = None
    # A warning that `--strict` turns into an error: a language that is not complete
    # (missing labels, content falling back to another language, a font outside the theme).
    strict: bool = False

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        prefix = "" if self.is_error else "warning: "
        text = f"{self.location}: {prefix}{self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class ProjectError(Exception):
    """Raised to stop a build on content or template errors; carries the diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


def error(path: str, line: int, column: int, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(Location(path, line, column), message, Severity.ERROR, hint)


def warning(
    path: str, line: int, column: int, message: str, hint: str | None = None, strict: bool = False
) -> Diagnostic:
    return Diagnostic(Location(path, line, column), message, Severity.WARNING, hint, strict)


def strictly(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """--strict: the warnings marked strict become errors."""
    return [
        Diagnostic(d.location, d.message, Severity.ERROR, d.hint, d.strict) if d.strict else d
        for d in diagnostics
    ]
