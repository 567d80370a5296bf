"""Progress: build events -> a progress bar on a terminal, plain lines elsewhere, a summary.

A bar only helps for builds of more than a few outputs; on a terminal it is drawn with rich
on stderr, so stdout stays clean for scripts. Not on a terminal (CI, pipes) each finished
output is one plain line.
"""

from __future__ import annotations

import sys

import click

BAR_THRESHOLD = 4


class ProgressReporter:
    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.total = 0
        self._bar = None
        self._task = None

    def start(self, total: int) -> None:
        self.total = total
        if total > BAR_THRESHOLD and self.stream.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                TextColumn("building"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=Console(file=self.stream),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("", total=total)

    def advance(self, outcome) -> None:
        label = outcome.job.label
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=label)
            return
        status = "failed" if any(d.is_error for d in outcome.diagnostics) else "built"
        if getattr(outcome, "skipped", False):
            status = "up to date"
        formats = ", ".join(o.format for o in outcome.outputs) or ", ".join(outcome.job.formats)
        shared = ", cover only" if getattr(outcome, "body_reused", False) else ""
        click.echo(f"{status}: {label} ({formats}, {outcome.seconds:.1f} s{shared})", err=True)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def summary(self, report) -> None:
        for path in report.removal.removed:
            click.echo(f"removed: {path} (an earlier build wrote it; the project no longer has it)", err=True)
        for path in report.removal.left:
            click.echo(
                f"left in place: {path} (the project no longer defines it, but it changed since an "
                "earlier build wrote it; delete it if it should not be shared)",
                err=True,
            )
        warnings = sum(1 for d in report.diagnostics if not d.is_error)
        click.echo(
            f"briefgen: {len(report.outputs)} file(s) written, {report.skipped} up to date, "
            f"{report.pages} PDF page(s), {warnings} warning(s), {report.seconds:.1f} s",
            err=True,
        )
