"""The benchmarks of issues 8 and 18, side by side: `python -m benchmarks.run [--quick] [--only 7,8]`.

Writes a Markdown table of ratios (benchmarks/results/latest.md) and the raw figures
(latest.json next to it); see benchmarks/README.md for what each row measures. `--quick`
uses small sizes, takes well under a minute on an idle machine, and writes to a temporary
folder (or --out), never to benchmarks/results/.

Every timing runs in a fresh process (benchmarks/_driver.py). Timings are repeated (best of
3 in full mode, 1 in quick mode) with the two sides of a comparison interleaved, so a
period of load from other processes hits both. A measurement whose first run takes longer
than --max-repeat-seconds is not repeated; the table says how many runs each figure is the
best of. Figures are reported as measured, goal met or not.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import math
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import generate as gen

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
WORK = REPO / "benchmarks" / "workdir"


@dataclass(frozen=True)
class Config:
    quick: bool
    repeats: int
    max_repeat_seconds: float
    dossier_pages: int  # benchmarks 1 and 2: at least this many pages
    memory_pages: int  # benchmark 6
    copies: int  # benchmarks 3 and 4
    sample: int  # benchmark 4: separate builds actually run (the rest extrapolated)
    timeline: int
    citations: int
    languages: tuple[str, ...]
    seed: int = 0


FULL = Config(
    quick=False,
    repeats=3,
    max_repeat_seconds=300,
    dossier_pages=60,
    memory_pages=100,
    copies=200,
    sample=20,
    timeline=12,
    citations=4,
    languages=("en", "ru"),
)
QUICK = Config(
    quick=True,
    repeats=1,
    max_repeat_seconds=0,
    dossier_pages=6,
    memory_pages=10,
    copies=6,
    sample=2,
    timeline=6,
    citations=3,
    languages=("en",),
)


@dataclass
class Runs:
    """Repeated timings of one side of a comparison."""

    label: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    details: list[dict] = field(default_factory=list)

    def add(self, result: dict) -> None:
        self.wall.append(result["wall"])
        self.cpu.append(result["cpu"])
        self.details.append(result)

    @property
    def best(self) -> float:
        return min(self.wall)

    @property
    def best_cpu(self) -> float:
        return min(self.cpu)


@dataclass
class Row:
    number: int
    name: str
    briefgen: str = ""
    reference: str = ""
    result: float | None = None
    unit: str = ""  # "" for a ratio, "MB" for memory
    goal_op: str = "<="
    goal: float = 0.0
    notes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def met(self) -> bool | None:
        if self.result is None:
            return None
        return self.result <= self.goal if self.goal_op == "<=" else self.result >= self.goal


class BenchmarkError(Exception):
    pass


class Bench:
    def __init__(self, config: Config, work: Path, log=print):
        self.c = config
        self.work = work
        self.log = log
        self.rows: list[Row] = []
        self.sizes: dict[str, Any] = {}
        self.breakdown: list[str] = []
        self.project: Path = work / "bench"
        self.generated: gen.GeneratedProject | None = None
        self.html: Path | None = None
        self.only: set[int] = set()  # --only: these benchmarks alone

    # ------------------------------------------------------------ helpers

    def driver(self, kind: str, **args: Any) -> dict:
        paths = [str(REPO), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks._driver", json.dumps({"kind": kind, **args})],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise BenchmarkError(f"{kind} driver failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        if result.get("errors"):
            raise BenchmarkError(f"{kind}: the build reported errors:\n" + "\n".join(result["errors"][:10]))
        return result

    def build(self, out: Path, **args: Any) -> dict:
        return self.driver("build", project=str(args.pop("project", self.project)), out=str(out), **args)

    def interleaved(self, sides: list[tuple[Runs, Any]], rounds: int | None = None) -> None:
        """Run each side once per round, alternating, up to `rounds` rounds [`repeats`]."""
        rounds = rounds or self.c.repeats
        for round_number in range(1, rounds + 1):
            for runs, measure in sides:
                result = measure()
                runs.add(result)
                self.log(
                    f"  {runs.label}: run {round_number}: {result['wall']:.2f} s (cpu {result['cpu']:.2f} s)"
                )
            slowest = max(runs.wall[-1] for runs, _ in sides)
            if self.c.max_repeat_seconds and slowest > self.c.max_repeat_seconds:
                if round_number < rounds:
                    self.log(f"  not repeated: a run took {slowest:.0f} s > {self.c.max_repeat_seconds:g} s")
                break

    def runs_note(self, *runs: Runs, rounds: int | None = None) -> str:
        rounds = rounds or self.c.repeats
        counts = {len(r.wall) for r in runs}
        n = counts.pop() if len(counts) == 1 else "/".join(str(len(r.wall)) for r in runs)
        note = f"best of {n} run(s)"
        if n != rounds and rounds > 1:
            note += f" (not repeated: one run takes over {self.c.max_repeat_seconds:g} s)"
        return note

    def generate(self, target: Path, cases: int, recipients: int, languages: tuple[str, ...]):
        if target.exists():
            shutil.rmtree(target)
        return gen.generate(
            target,
            cases=cases,
            timeline_per_case=self.c.timeline,
            citations=self.c.citations,
            recipients=recipients,
            languages=list(languages),
            seed=self.c.seed,
        )

    def sized(self, target: Path, pages: int, recipients: int, languages, build_args: dict):
        """Generate a project whose dossier has at least `pages` pages: (project, cases, build result).

        The page count is read from the built PDF; when short, the project is generated
        again with proportionally more cases. The build doubles as a warm-up run."""
        cases = gen.cases_for_pages(pages, self.c.timeline)
        for _ in range(5):
            generated = self.generate(target, cases, recipients, languages)
            result = self.build(project=target, **build_args)
            built = max(result["pdf_pages"] or [0])
            self.log(f"  {target.name}: {cases} cases -> {built} pages ({result['wall']:.1f} s)")
            if built >= pages:
                return generated, cases, result
            cases = math.ceil(cases * pages / max(1, built)) + 1
        raise BenchmarkError(f"could not generate a dossier of {pages} pages (last: {built})")

    def guarded(self, row: Row, measure) -> None:
        self.log(f"[{row.number}] {row.name}")
        started = time.perf_counter()
        try:
            measure(row)
        except Exception as exc:  # one failed benchmark must not lose the others' figures
            row.error = f"{type(exc).__name__}: {exc}"
            row.result = None
            self.log(traceback.format_exc())
        row.data["benchmark_seconds"] = round(time.perf_counter() - started, 1)
        self.rows.append(row)

    # ------------------------------------------------------------ the benchmarks

    def prepare(self) -> None:
        self.log("[0] generating the benchmark project")
        lang = self.c.languages[0]
        out = self.work / "out" / "dossier-pdf"
        self.generated, cases, result = self.sized(
            self.project,
            self.c.dossier_pages,
            self.c.copies,
            self.c.languages,
            dict(out=str(out), briefs=[gen.DOSSIER], languages=[lang], formats=["pdf"], jobs=1, force=True),
        )
        self.sizes.update(
            cases=cases,
            timeline_per_case=self.c.timeline,
            citations_per_case=self.c.citations,
            recipients=self.c.copies,
            languages=list(self.c.languages),
            seed=self.c.seed,
            dossier_pages=max(result["pdf_pages"]),
        )
        html_out = self.work / "out" / "dossier-html"
        self.build(html_out, briefs=[gen.DOSSIER], languages=[lang], formats=["html"], jobs=1, clean=True)
        self.html = html_out / gen.DOSSIER / f"{gen.DOSSIER}.partners.{lang}.html"
        if not self.html.is_file():
            raise BenchmarkError(f"briefgen --format html wrote no {self.html}")

    def dossier_vs_engine(
        self, row: Row, fmt: str, engine: str, label: str, target: Path
    ) -> tuple[Runs, Runs]:
        """briefgen building the dossier in `fmt` against `engine` (a driver kind) on its HTML;
        fills the row's times, ratio and notes."""
        assert self.html is not None
        lang = self.c.languages[0]
        ours, theirs = Runs(f"briefgen {fmt}"), Runs(label)
        out = self.work / "out" / f"dossier-{fmt}"
        self.interleaved(
            [
                (
                    ours,
                    lambda: self.build(
                        out, briefs=[gen.DOSSIER], languages=[lang], formats=[fmt], jobs=1, force=True
                    ),
                ),
                (theirs, lambda: self.driver(engine, html=str(self.html), target=str(target))),
            ]
        )
        row.briefgen, row.reference = f"{ours.best:.2f} s", f"{theirs.best:.2f} s"
        row.result = ours.best / theirs.best
        row.notes += [self.runs_note(ours, theirs), _cpu_note(ours, theirs)]
        row.data.update(briefgen=asdict(ours), reference=asdict(theirs))
        return ours, theirs

    def pdf_vs_weasyprint(self, row: Row) -> None:
        target = self.work / "out" / "weasyprint.pdf"
        ours, theirs = self.dossier_vs_engine(
            row, "pdf", "weasyprint", "WeasyPrint HTML(string=...).write_pdf()", target
        )
        pages, their_pages = ours.details[-1]["pdf_pages"][0], theirs.details[-1]["pages"]
        row.name = f"PDF of a {pages}-page dossier vs WeasyPrint on the same HTML"
        row.notes.append(f"WeasyPrint's PDF has {their_pages} pages")
        row.data.update(pages=pages, reference_pages=their_pages)
        if not self.c.quick:
            tagged = Runs("WeasyPrint with briefgen's options (pdf/ua-1, tagged)")
            self.interleaved(
                [
                    (
                        tagged,
                        lambda: self.driver(
                            "weasyprint", html=str(self.html), target=str(target), tagged=True
                        ),
                    )
                ]
            )
            row.data["reference_tagged"] = asdict(tagged)
            self.breakdown.append(
                f"Benchmark 1: WeasyPrint on the same HTML with the options briefgen uses "
                f"(`pdf_variant='pdf/ua-1', pdf_tags=True`): {tagged.best:.2f} s; briefgen / that = "
                f"{ours.best / tagged.best:.2f}."
            )

    def docx_vs_pandoc(self, row: Row) -> None:
        _ours, theirs = self.dossier_vs_engine(
            row, "docx", "pandoc", "pandoc HTML -> DOCX", self.work / "out" / "pandoc.docx"
        )
        row.name = (
            f"DOCX of the same dossier vs pandoc on the same HTML (pandoc {theirs.details[-1]['pandoc']})"
        )

    def copies_jobs(self, row: Row) -> None:
        one, two = Runs("copies --jobs 1"), Runs("copies --jobs 2")
        formats = "+".join(_brief_formats(self.project, gen.POLICY_BRIEF))
        self.interleaved(
            [
                (
                    one,
                    lambda: self.build(
                        self.work / "out" / "copies-j1", briefs=[gen.POLICY_BRIEF], jobs=1, force=True
                    ),
                ),
                (
                    two,
                    lambda: self.build(
                        self.work / "out" / "copies-j2", briefs=[gen.POLICY_BRIEF], jobs=2, force=True
                    ),
                ),
            ]
        )
        outputs = one.details[-1]["outputs"]
        row.name = f"{self.c.copies} personalised copies ({formats}): --jobs 2 vs --jobs 1 (speed-up)"
        row.briefgen, row.reference = f"{two.best:.1f} s (jobs 2)", f"{one.best:.1f} s (jobs 1)"
        row.result = one.best / two.best
        row.notes += [
            self.runs_note(one, two),
            f"{outputs} files, {one.details[-1]['pages']} PDF pages",
            f"{os.cpu_count()} CPUs; CPU {one.best_cpu:.1f} s (jobs 1) vs {two.best_cpu:.1f} s (jobs 2)",
        ]
        row.data.update(jobs1=asdict(one), jobs2=asdict(two), outputs=outputs)
        self._copies = (one, two)

    def copies_vs_separate(self, row: Row) -> None:
        one, two = self._copies
        recipients = self.generated.recipients if self.generated else []
        sample = min(self.c.sample, len(recipients))
        picks = sorted({round(i * len(recipients) / sample) for i in range(sample)})
        cli = _briefgen_command()
        walls, cpus = [], []
        for n, index in enumerate(picks, 1):
            recipient = recipients[index]
            variant = self.work / "single" / recipient["id"]
            _single_recipient_project(self.project, variant, recipient)
            out = variant / "output"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            proc = subprocess.run(
                [*cli, "build", str(variant), "-o", str(out), "--brief", gen.POLICY_BRIEF],
                capture_output=True,
                text=True,
            )
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if proc.returncode != 0:
                raise BenchmarkError(f"briefgen build {variant} failed:\n{proc.stderr[-3000:]}")
            cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            walls.append(wall)
            cpus.append(cpu)
            self.log(f"  separate build {n}/{len(picks)} ({recipient['id']}): {wall:.2f} s")
        mean = sum(walls) / len(walls)
        total = mean * self.c.copies
        row.name = f"Those {self.c.copies} copies vs {self.c.copies} separate single-copy `briefgen build`s"
        row.briefgen = f"{one.best:.1f} s (jobs 1)"
        measured = "measured" if len(picks) == self.c.copies else "extrapolated"
        row.reference = f"{total:.1f} s ({measured})"
        row.result = one.best / total
        row.notes += [
            f"separate builds: {len(picks)} of {self.c.copies} run as subprocesses "
            "(one project per recipient, "
            f"`briefgen build PROJECT -o OUT --brief {gen.POLICY_BRIEF}`, interpreter start included), "
            f"mean {mean:.2f} s each"
            + (f", extrapolated linearly x{self.c.copies}" if len(picks) < self.c.copies else ""),
            f"the copies side is the --jobs 1 build of benchmark 3 ({self.runs_note(one)}); "
            f"with --jobs 2: {two.best / total:.3f}",
        ]
        row.data.update(separate_wall=walls, separate_cpu=cpus, sampled=len(picks), extrapolated_total=total)

    def rebuild(self, row: Row) -> None:
        full, again = Runs("full build"), Runs("no-change rebuild")
        out = self.work / "out" / "full"
        self.interleaved(
            [
                (full, lambda: self.build(out, clean=True)),
                (again, lambda: self.build(out)),
            ]
        )
        for _ in range(len(again.wall), self.c.repeats):  # rebuilds are short: always best of `repeats`
            again.add(self.build(out))
            self.log(f"  no-change rebuild: {again.wall[-1]:.2f} s")
        last = again.details[-1]
        if last["outputs"] != 0:
            row.notes.append(f"the no-change rebuild wrote {last['outputs']} file(s)")
        row.name = "No-change rebuild vs full build of the benchmark project"
        row.briefgen, row.reference = f"{again.best:.2f} s", f"{full.best:.1f} s"
        row.result = again.best / full.best
        row.notes += [
            f"full build: {full.details[-1]['outputs']} files, default --jobs ({os.cpu_count()}), "
            f"{self.runs_note(full)}; rebuild: {last['skipped']} outputs up to date, {self.runs_note(again)}",
            "build_project time, interpreter start excluded",
        ]
        row.data.update(full=asdict(full), rebuild=asdict(again))

    def memory(self, row: Row) -> None:
        project = self.work / "memory"
        out = self.work / "out" / "memory"
        _, _, result = self.sized(
            project,
            self.c.memory_pages,
            0,
            (self.c.languages[0],),
            dict(
                out=str(out),
                briefs=[gen.DOSSIER],
                languages=[self.c.languages[0]],
                jobs=1,
                force=True,
                clean=True,
            ),
        )
        megabytes = result["children_maxrss_kib"] * 1024 / 1e6
        pages = max(result["pdf_pages"])
        formats = "+".join(_brief_formats(project, gen.DOSSIER))
        row.name = f"Peak memory of the worker building a {pages}-page dossier ({formats})"
        row.briefgen = f"{megabytes:.0f} MB"
        row.reference = "-"
        row.result = megabytes
        row.notes += [
            "max RSS of the worker process (getrusage(RUSAGE_CHILDREN).ru_maxrss of a driver whose only "
            "children are the build's workers; --jobs 1; MB = 10^6 bytes)",
            f"the driver process itself: {result['self_maxrss_kib'] * 1024 / 1e6:.0f} MB",
        ]
        row.data.update(result=result)

    def serve_html(self, row: Row) -> None:
        from . import serve_latency

        results = serve_latency.measure(self.work, rounds=1 if self.c.quick else 3, log=self.log)
        self._serve = figures = serve_latency.summary(results)
        self._serve_row(row, figures["html"], "the draft view (HTML in its iframe)", results["stem"])

    def serve_pdf(self, row: Row) -> None:
        figures = getattr(self, "_serve", None)
        if figures is None:
            raise BenchmarkError("benchmark 7 failed, so there is no measurement of the print view")
        self._serve_row(row, figures["pdf"], "the print view (the PDF drawn by pdf.js)", None)

    def _serve_row(self, row: Row, figure: dict, view: str, stem: str | None) -> None:
        row.briefgen = f"{figure['median']:.2f} s"
        row.reference = "-"
        row.result = figure["median"]
        runs = ", ".join(f"{r:.2f}" for r in figure["runs"])
        row.notes += [
            f"`briefgen serve` on a copy of the repository project, Chromium (Playwright); from just before "
            f"content/cases.yaml is saved to the new word showing in {view}; median of {len(figure['runs'])} "
            f"saves ({runs} s); server CPU per save (median, the server and all its worker processes) "
            f"{figure['server_cpu_median']:.2f} s",
        ]
        if stem:
            row.notes.append(f"output shown: {stem}")
        row.data.update(figure)

    # ------------------------------------------------------------ whole processes (issue: load once)

    def process(self, label: str, argv: list[str], cwd: Path | None = None) -> dict:
        """Wall and CPU time of one command in a fresh process, as a user waits for it."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        proc = subprocess.run(argv, capture_output=True, text=True, cwd=cwd)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise BenchmarkError(f"{label} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        result: dict[str, Any] = {"wall": wall, "cpu": cpu}
        # A build's summary line: how many outputs it rendered and how many were up to date.
        summary = _SUMMARY.search(proc.stderr + proc.stdout)
        if summary:
            result.update(written=int(summary[1]), up_to_date=int(summary[2]))
        return result

    def repeated(self, *sides: tuple[str, list[str]]) -> list[Runs]:
        """Each command run `repeats` times (at least 5 when quick commands), alternating."""
        runs = [Runs(label) for label, _ in sides]
        for _ in range(max(self.c.repeats, 5)):
            for (label, argv), collected in zip(sides, runs, strict=True):
                collected.add(self.process(label, argv))
        for collected in runs:
            self.log(f"  {collected.label}: best {collected.best:.3f} s of {len(collected.wall)}")
        return runs

    def whole_process_ratio(
        self, row: Row, ours: tuple[str, list[str]], theirs: tuple[str, list[str]]
    ) -> None:
        mine, reference = self.repeated(ours, theirs)
        row.briefgen, row.reference = f"{mine.best:.2f} s", f"{reference.best:.2f} s"
        row.result = mine.best / reference.best
        row.notes += [
            f"whole processes, best of {len(mine.wall)} alternating runs",
            _cpu_note(mine, reference),
        ]
        row.data.update(briefgen=asdict(mine), reference=asdict(reference))

    def warm_validate(self, row: Row) -> None:
        cli = _briefgen_command()
        self.process("validate (warming the cache)", [*cli, "validate", str(self.project)])
        self.whole_process_ratio(
            row,
            ("briefgen validate (warm)", [*cli, "validate", str(self.project)]),
            ("--version", [*cli, "--version"]),
        )
        # validate without the cache: it loads the project and renders every output's HTML
        # (no layout), which is what a first validate, or one after any change, costs.
        (cold,) = self.repeated(
            ("briefgen validate --no-cache", [*cli, "validate", "--no-cache", str(self.project)])
        )
        row.notes.append(
            f"validate --no-cache (load, and every output's HTML rendered): {cold.best:.2f} s, "
            f"CPU {cold.best_cpu:.2f} s"
        )
        row.data["cold_validate"] = asdict(cold)

    def warm_rebuild(self, row: Row) -> None:
        cli = _briefgen_command()
        out = self.work / "out" / "process-rebuild"
        build = [*cli, "build", str(self.project), "-o", str(out), "--brief", gen.DOSSIER, "--format", "html"]
        self.process("build (first)", build)
        self.whole_process_ratio(row, ("no-change rebuild", build), ("--version", [*cli, "--version"]))

    def one_case_edit(self, row: Row) -> None:
        cli = _briefgen_command()
        out = self.work / "out" / "process-edit"
        build = [*cli, "build", str(self.project), "-o", str(out), "--format", "html"]
        cold = [*build, "--force", "--no-cache"]
        case_file = sorted((self.project / "content" / "cases").glob("*.yaml"))[0]
        original = case_file.read_text(encoding="utf-8")
        edits = Runs("rebuild after editing one case (HTML)")
        colds = Runs("cold full HTML build")
        self.process("build (first)", build)
        try:
            for n in range(max(self.c.repeats, 3)):
                case_file.write_text(_edit_first_summary(original, f"Edit {n}."), encoding="utf-8")
                edits.add(self.process("edited rebuild", build))
                colds.add(self.process("cold build", cold))
        finally:
            case_file.write_text(original, encoding="utf-8")
        row.briefgen, row.reference = f"{edits.best:.2f} s", f"{colds.best:.2f} s"
        row.result = edits.best / colds.best
        row.notes += [
            f"whole processes, best of {len(edits.wall)}; every output in HTML; the cold build uses --force "
            "--no-cache; the edit changes one case's summary in the first case file",
            _cpu_note(edits, colds),
        ]
        if edits.details and colds.details:
            # What bounds the ratio: the outputs that show the edited case must be rendered again.
            row.notes.append(
                f"the edited case is shown by {edits.details[-1].get('written')} of the "
                f"{colds.details[-1].get('written')} HTML files (the others were up to date), "
                "every personalised copy of the policy brief in the edited language among them"
            )
        row.data.update(briefgen=asdict(edits), reference=asdict(colds))
        self._edit_outside_the_brief(build, colds)

    def _edit_outside_the_brief(self, build: list[str], colds: Runs) -> None:
        """Breakdown: the same rebuild after editing a case that only the dossier shows."""
        assert self.generated is not None
        shown = set(self.generated.case_ids[: gen.POLICY_BRIEF_CASES])
        case_file = next(
            (
                path
                for path in sorted((self.project / "content" / "cases").glob("*.yaml"))
                if _first_case_id(path) not in shown
            ),
            None,
        )
        if case_file is None:
            self.breakdown.append(
                "Benchmark 11: every case of this project is in the policy brief (quick mode), so no "
                "edit leaves its personalised copies up to date"
            )
            return
        original = case_file.read_text(encoding="utf-8")
        edits = Runs("rebuild after editing a case only the dossier shows")
        self.process("build (the first case file restored)", build)
        try:
            for n in range(max(self.c.repeats, 3)):
                case_file.write_text(_edit_first_summary(original, f"Dossier edit {n}."), encoding="utf-8")
                edits.add(self.process("edited rebuild (dossier only)", build))
        finally:
            case_file.write_text(original, encoding="utf-8")
        written = edits.details[-1].get("written") if edits.details else None
        self.breakdown.append(
            f"Benchmark 11: a rebuild after editing a case that only the dossier shows "
            f"({_first_case_id(case_file)}): {edits.best:.2f} s, {edits.best / colds.best:.2f} of the "
            f"cold build; CPU {edits.best_cpu:.2f} s; {written} HTML file(s) written"
        )

    def process_docx_vs_pandoc(self, row: Row) -> None:
        import pypandoc

        cli = _briefgen_command()
        lang = self.c.languages[0]
        out = self.work / "out" / "process-docx"
        target = self.work / "out" / "pandoc-process.docx"
        ours = [*cli, "build", str(self.project), "-o", str(out), "--brief", gen.DOSSIER, "--lang", lang]
        pandoc = [pypandoc.get_pandoc_path(), str(self.html), "-f", "html", "-t", "docx", "-o", str(target)]
        pandoc += ["--resource-path", str(self.html.parent)]
        self.whole_process_ratio(
            row,
            (
                "briefgen build --format docx --force --jobs 1",
                [*ours, "--format", "docx", "--force", "--jobs", "1"],
            ),
            ("pandoc", pandoc),
        )

    def process_pdf_vs_weasyprint(self, row: Row) -> None:
        cli = _briefgen_command()
        lang = self.c.languages[0]
        out = self.work / "out" / "process-pdf"
        target = self.work / "out" / "weasyprint-process.pdf"
        ours = [*cli, "build", str(self.project), "-o", str(out), "--brief", gen.DOSSIER, "--lang", lang]
        script = "import sys\nfrom weasyprint import HTML\nHTML(filename=sys.argv[1]).write_pdf(sys.argv[2])"
        self.whole_process_ratio(
            row,
            (
                "briefgen build --format pdf --force --jobs 1",
                [*ours, "--format", "pdf", "--force", "--jobs", "1"],
            ),
            (
                "python -c 'HTML(...).write_pdf()'",
                [sys.executable, "-c", script, str(self.html), str(target)],
            ),
        )

    def charts(self, row: Row) -> None:
        """The policy brief with five charts against the same brief without them (issue 16)."""
        lang = self.c.languages[0]
        sides = []
        for name, charts in (("with", CHART_NAMES), ("without", [])):
            project = self.work / f"charts-{name}"
            self.generate(project, gen.POLICY_BRIEF_CASES, 0, (lang,))
            _add_charts(project, charts)
            sides.append(project)
        ours, theirs = Runs("policy brief with 5 charts"), Runs("the same brief without charts")
        # With the project's cache, as `briefgen build` runs by default: the charts drawn in
        # the first build are kept (charts/drawings.py). Once each without it as well. The
        # projects are generated afresh above: no cache is left from an earlier run.
        args = dict(briefs=[gen.POLICY_BRIEF], languages=[lang], jobs=1, force=True, cache=True)
        out = self.work / "out"
        cold_ours, cold_theirs = Runs("with 5 charts, --no-cache"), Runs("without charts, --no-cache")
        cold_ours.add(self.build(out / "charts-with", project=sides[0], **{**args, "cache": False}))
        cold_theirs.add(self.build(out / "charts-without", project=sides[1], **{**args, "cache": False}))
        # Five rounds in a full run: the difference is a second or less between builds of
        # four to six, so one busy moment on either side moves it more than the charts do.
        rounds = max(self.c.repeats, 5) if self.c.repeats > 1 else 1
        self.interleaved(
            [
                (ours, lambda: self.build(out / "charts-with", project=sides[0], **args)),
                (theirs, lambda: self.build(out / "charts-without", project=sides[1], **args)),
            ],
            rounds,
        )
        formats = "+".join(_brief_formats(sides[0], gen.POLICY_BRIEF))
        row.name = f"Policy brief ({formats}) with five charts vs the same brief without (extra seconds)"
        row.briefgen, row.reference = f"{ours.best:.2f} s", f"{theirs.best:.2f} s"
        row.result = ours.best - theirs.best
        row.notes += [
            self.runs_note(ours, theirs, rounds=rounds),
            f"charts: {', '.join(CHART_NAMES)}; {gen.POLICY_BRIEF_CASES} cases, one output per format, "
            "--jobs 1, --force, with the project's cache (the CLI's default: the drawings of the first "
            "build are kept); build_project time, interpreter start excluded",
            f"breakdown: once each with --no-cache (every chart drawn, the engine started): "
            f"{cold_ours.best:.2f} s vs {cold_theirs.best:.2f} s "
            f"(+{cold_ours.best - cold_theirs.best:.2f} s)",
            f"CPU {ours.best_cpu:.2f} s vs {theirs.best_cpu:.2f} s "
            f"(+{ours.best_cpu - theirs.best_cpu:.2f} s)",
        ]
        row.data.update(briefgen=asdict(ours), reference=asdict(theirs))

    def run(self) -> None:
        self.work.mkdir(parents=True, exist_ok=True)
        prepared = True
        failure = ""
        try:
            if not self.only or self.only & {1, 2, 3, 4, 5, 9, 10, 11, 12, 13}:
                self.prepare()
        except Exception as exc:
            prepared = False
            self.log(traceback.format_exc())
            failure = f"{type(exc).__name__}: {exc}"
        plan = [
            (Row(1, "PDF of the dossier vs WeasyPrint on the same HTML", goal=1.10), self.pdf_vs_weasyprint),
            (Row(2, "DOCX of the dossier vs pandoc on the same HTML", goal=1.0), self.docx_vs_pandoc),
            (Row(3, "personalised copies: --jobs 2 vs --jobs 1", goal_op=">=", goal=1.7), self.copies_jobs),
            (Row(4, "copies vs separate single-copy builds", goal=0.3), self.copies_vs_separate),
            (Row(5, "no-change rebuild vs full build", goal=0.05), self.rebuild),
            (Row(6, "peak memory of a worker, 100-page dossier", unit="MB", goal=400), self.memory),
            (
                Row(7, "`briefgen serve`: save -> refreshed HTML preview in the browser", unit="s", goal=1.0),
                self.serve_html,
            ),
            (
                Row(8, "`briefgen serve`: save -> refreshed PDF preview in the browser", unit="s", goal=3.0),
                self.serve_pdf,
            ),
            (
                Row(9, "warm `briefgen validate` vs `briefgen --version` (whole processes)", goal=3.0),
                self.warm_validate,
            ),
            (
                Row(10, "no-change rebuild vs `briefgen --version` (whole processes)", goal=3.0),
                self.warm_rebuild,
            ),
            (
                Row(
                    11,
                    "rebuild after editing one case (HTML) vs a cold full HTML build (whole processes)",
                    goal=0.25,
                ),
                self.one_case_edit,
            ),
            (
                Row(12, "DOCX of the dossier vs pandoc on the same HTML (whole processes)", goal=1.0),
                self.process_docx_vs_pandoc,
            ),
            (
                Row(
                    13,
                    "PDF of the dossier vs WeasyPrint in a fresh process on the same HTML (whole processes)",
                    goal=1.10,
                ),
                self.process_pdf_vs_weasyprint,
            ),
            (Row(14, "a brief with five charts vs without", unit="s", goal=1.0), self.charts),
        ]
        for row, measure in plan:
            if self.only and row.number not in self.only:
                continue
            if not prepared and row.number in (1, 2, 3, 4, 5, 9, 10, 11, 12, 13):
                row.error = f"the benchmark project could not be prepared: {failure}"
                self.rows.append(row)
                continue
            if row.number == 4 and not getattr(self, "_copies", None):
                row.error = "benchmark 3 failed, so there are no copies to compare"
                self.rows.append(row)
                continue
            self.guarded(row, measure)


# ---------------------------------------------------------------- helpers


# Benchmark 14: the three built-in charts and two figures written by _add_charts.
CHART_NAMES = ["detention-days", "case-status", "case-timeline", "bench-column", "bench-line"]
FIGURES = """\
figures:
  - id: bench-column
    title: Political prisoners at the end of each year
    kind: column
    unit: people
    data: [{label: "2012", value: 70}, {label: "2013", value: 142}, {label: "2014", value: 98}]
  - id: bench-line
    title: Prisoners over time
    kind: line
    data: [{label: 2015-03, value: 80}, {label: 2015-06, value: 85}, {label: 2015-09, value: 91}]
"""


def _add_charts(project: Path, charts: list[str]) -> None:
    """Give the generated project's policy brief `charts` (and the two figures they name)."""
    import yaml

    settings_path = project / "briefgen.yaml"
    settings = yaml.safe_load(settings_path.read_text(encoding="utf-8"))
    for brief in settings["briefs"]:
        if brief["id"] == gen.POLICY_BRIEF:
            brief.pop("charts", None)
            if charts:
                brief["charts"] = charts
    settings_path.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    figures = project / "content" / "figures.yaml"
    if charts:
        figures.write_text(FIGURES, encoding="utf-8")
    elif figures.exists():
        figures.unlink()


_SUMMARY = re.compile(r"briefgen: (\d+) file\(s\) written, (\d+) up to date")


def _first_case_id(path: Path) -> str | None:
    match = re.search(r"^- id: (\S+)", path.read_text(encoding="utf-8"), re.MULTILINE)
    return match[1] if match else None


def _edit_first_summary(text: str, words: str) -> str:
    """The YAML of a case file with `words` put before the first case's summary text.

    The summary is a block scalar (`summary: |-`) in one language and a mapping of block
    scalars (`en: |-`) in several: the words go at the start of its first line of text, in
    the first language, so the file stays valid YAML and only that text changes."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("summary:"))
    inline = lines[start].split("summary:", 1)[1].strip()
    if inline and inline[0] not in "|>":
        lines[start] = lines[start].replace("summary:", f"summary: {words}", 1)
        return "\n".join(lines)
    for i in range(start + 1, len(lines)):
        stripped = lines[i].strip()
        if stripped and not re.fullmatch(r"[a-z]{2}:\s*[|>][-+]?", stripped):
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            lines[i] = f"{indent}{words} {stripped}"
            return "\n".join(lines)
    raise BenchmarkError("the first case file has no summary text to edit")


def _cpu_note(ours: Runs, theirs: Runs) -> str:
    ratio = ours.best_cpu / theirs.best_cpu if theirs.best_cpu else float("nan")
    return f"CPU {ours.best_cpu:.2f} s vs {theirs.best_cpu:.2f} s (ratio {ratio:.2f})"


def _brief_formats(project: Path, brief_id: str) -> list[str]:
    import yaml

    settings = yaml.safe_load((project / "briefgen.yaml").read_text(encoding="utf-8"))
    brief = next(b for b in settings["briefs"] if b["id"] == brief_id)
    return list(brief.get("formats") or ["pdf", "docx"])


def _single_recipient_project(project: Path, variant: Path, recipient: dict) -> None:
    """A copy of `project` whose only recipient is `recipient`."""
    if variant.exists():
        shutil.rmtree(variant)
    shutil.copytree(project, variant, ignore=shutil.ignore_patterns("output", "recipients.yaml"))
    gen.write_yaml(variant / gen.RECIPIENTS_FILE, {"recipients": [recipient]})


def _briefgen_command() -> list[str]:
    script = Path(sys.executable).parent / "briefgen"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "briefgen"]


def machine_facts() -> dict[str, Any]:
    facts: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gb": _memory_gb(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_average_start": os.getloadavg()[0],
    }
    from importlib.metadata import PackageNotFoundError, version

    for name in ("briefgen", "weasyprint", "python-docx", "pypandoc-binary", "pypdf", "pypdfium2"):
        try:
            facts[name] = version(name)
        except PackageNotFoundError:
            facts[name] = None
    try:
        import pypandoc

        facts["pandoc"] = pypandoc.get_pandoc_version()
    except Exception:
        facts["pandoc"] = None
    package = _briefgen_source()
    facts["bytecode"] = _compile_bytecode(package)
    # Relative to the repository when it is this checkout: no machine path in the results.
    facts["briefgen_source"] = _shown_path(package)
    facts["git"] = _git_state(package)
    facts["source_digest_start"] = _source_digest(package)
    return facts


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) * 1024 / 1e9, 1)
    except OSError:
        pass
    return None


def _shown_path(path: Path | None) -> str:
    if path is None:
        return "unknown"
    try:
        return path.resolve().relative_to(REPO.resolve()).as_posix()
    except ValueError:
        return "an installed copy outside this repository"


def _briefgen_source() -> Path | None:
    """The folder of the briefgen package the drivers import (PYTHONPATH counts)."""
    import importlib.util

    spec = importlib.util.find_spec("briefgen")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def _compile_bytecode(package: Path | None) -> str:
    """Byte-compile briefgen's modules, as `pip install` does, so that no timed process pays
    for compiling them: where PYTHONDONTWRITEBYTECODE is set (CI images, containers), an
    editable checkout would otherwise be compiled afresh by every process, which the engines
    compared with (installed packages, or a binary) never are. Returns what the Run section
    says about it."""
    import compileall

    if package is None:
        return "not found"
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet):
        compiled = compileall.compile_dir(str(package), quiet=1)
    return "byte-compiled before timing" if compiled else "could not be byte-compiled"


def _source_digest(package: Path | None) -> str | None:
    """A digest of briefgen's files: a change during the run means the figures mix versions."""
    if package is None:
        return None
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def _git_state(package: Path | None) -> str | None:
    if package is None:
        return None
    try:
        head = subprocess.run(
            ["git", "-C", str(package), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(package), "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return head + (" + uncommitted changes in the package" if dirty else ", unmodified")


# ---------------------------------------------------------------- the report


def _fmt_result(row: Row) -> str:
    if row.result is None:
        return "error"
    if row.unit == "s":
        return f"{row.result:.2f} s"
    if row.unit:
        return f"{row.result:.0f} {row.unit}"
    return f"{row.result:.3f}" if row.result < 0.1 else f"{row.result:.2f}"


def _fmt_goal(row: Row) -> str:
    op = "≤" if row.goal_op == "<=" else "≥"
    return f"{op} {row.goal:g}{' ' + row.unit if row.unit else ''}"


def _met(row: Row) -> str:
    return {True: "yes", False: "**no**", None: "error"}[row.met]


def markdown(bench: Bench, facts: dict, seconds: float) -> str:
    c = bench.c
    mode = "quick (small sizes; not the committed figures)" if c.quick else "full"
    lines = [
        f"# briefgen benchmarks ({'quick' if c.quick else 'full'} run)",
        "",
        "Written by `python -m benchmarks.run" + (" --quick" if c.quick else "") + "` "
        "(see benchmarks/README.md). Figures as measured; a goal not met is reported, not tuned away.",
        "",
        "| # | Measurement | briefgen | compared with | result | goal | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in bench.rows:
        lines.append(
            f"| {row.number} | {row.name} | {row.briefgen or '-'} | {row.reference or '-'} | "
            f"{_fmt_result(row)} | {_fmt_goal(row)} | {_met(row)} |"
        )
    lines += [
        "",
        "Results 1, 2 and 4-5 are time ratios (lower is better), 3 a speed-up (higher is better), "
        "7-8 seconds.",
        "",
    ]
    lines += ["## How each figure was measured", ""]
    for row in bench.rows:
        notes = [*row.notes] + ([f"ERROR: {row.error}"] if row.error else [])
        lines.append(f"{row.number}. " + "; ".join(notes) + ".")
    if bench.breakdown:
        lines += ["", "## Breakdown (informational)", ""] + [f"- {b}" for b in bench.breakdown]
    sizes = bench.sizes
    lines += [
        "",
        "## Run",
        "",
        f"- Mode: {mode}; {seconds / 60:.1f} min in all.",
        f"- Benchmark project (benchmarks/generate.py, seed {sizes.get('seed', c.seed)}): "
        f"{sizes.get('cases', '?')} cases x {sizes.get('timeline_per_case', c.timeline)} timeline entries, "
        f"{sizes.get('citations_per_case', c.citations)} citations per case, "
        f"{sizes.get('recipients', c.copies)} recipients, "
        f"languages {', '.join(sizes.get('languages', c.languages))}; the dossier "
        f"({sizes.get('dossier_pages', '?')} pages) is built in the first language only for benchmarks 1-2.",
        f"- Machine: {facts['cpu_model']}, {facts['cpus']} CPUs ({facts['cpus_usable']} usable), "
        f"{facts['memory_gb']} GB RAM, {facts['os']}.",
        f"- Load average (1 min): {facts['load_average_start']:.2f} at the start, "
        f"{facts.get('load_average_end', 0):.2f} at the end"
        + (
            " — other processes were using the CPUs during the run; wall-clock ratios are affected, "
            "the CPU times in the notes less so."
            if max(facts["load_average_start"], facts.get("load_average_end", 0)) > 0.5
            else "."
        ),
        f"- Software: Python {facts['python']}, briefgen {facts['briefgen']} from "
        f"`{facts['briefgen_source']}` (git {facts['git']}; files digest {facts['source_digest_start']}; "
        f"{facts.get('bytecode', 'bytecode as found')}), "
        f"WeasyPrint {facts['weasyprint']}, python-docx {facts['python-docx']}, pandoc {facts['pandoc']} "
        f"(pypandoc-binary {facts['pypandoc-binary']}), pypdf {facts['pypdf']}, "
        f"pypdfium2 {facts['pypdfium2']}.",
        f"- Date: {facts['date']}.",
    ]
    if facts.get("source_changed"):
        lines.append(
            f"- **briefgen's files changed during the run** (digest {facts['source_digest_start']} -> "
            f"{facts['source_digest_end']}): the figures mix versions; run again on a quiet checkout."
        )
    lines += [f"- {note}" for note in facts.get("notes", [])]
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, < 1 min; writes to a temp folder")
    parser.add_argument("--out", type=Path, help="folder for latest.md/latest.json [benchmarks/results]")
    parser.add_argument(
        "--work", type=Path, help="folder for generated projects and outputs [benchmarks/workdir]"
    )
    parser.add_argument("--repeats", type=int, help="runs per timing (best is kept) [3; quick 1]")
    parser.add_argument(
        "--max-repeat-seconds",
        type=float,
        help="do not repeat a timing whose first run took longer (0: always repeat) [300]",
    )
    parser.add_argument("--note", action="append", default=[], help="a line for the Run section (repeatable)")
    parser.add_argument("--only", help="run only these benchmarks, e.g. 7,8 (the table has only their rows)")
    args = parser.parse_args(argv)
    config = QUICK if args.quick else FULL
    if args.repeats is not None:
        config = Config(**{**asdict(config), "repeats": max(1, args.repeats)})
    if args.max_repeat_seconds is not None:
        config = Config(**{**asdict(config), "max_repeat_seconds": args.max_repeat_seconds})
    # A partial run (--only) must not replace the committed table either. Its generated
    # projects and outputs (hundreds of MB) go to a temporary folder removed at the end; the
    # results stay, where the last line says.
    partial = args.quick or args.only
    needs_temp = partial and not (args.out and args.work)
    temp = Path(tempfile.mkdtemp(prefix="briefgen-bench-")) if needs_temp else None
    out = args.out or (temp / "results" if partial else RESULTS)
    work = args.work or (temp / "work" if partial else WORK)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    facts = machine_facts()
    started = time.perf_counter()
    bench = Bench(config, work, log)
    bench.only = {int(n) for n in args.only.split(",")} if args.only else set()
    try:
        bench.run()
    finally:
        if temp is not None and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    seconds = time.perf_counter() - started
    facts["load_average_end"] = os.getloadavg()[0]
    facts["source_digest_end"] = _source_digest(_briefgen_source())
    facts["source_changed"] = facts["source_digest_end"] != facts["source_digest_start"]
    facts["notes"] = args.note

    out.mkdir(parents=True, exist_ok=True)
    text = markdown(bench, facts, seconds)
    (out / "latest.md").write_text(text, encoding="utf-8")
    payload = {
        "mode": "quick" if config.quick else "full",
        "config": asdict(config),
        "machine": facts,
        "sizes": bench.sizes,
        "seconds": round(seconds, 1),
        "rows": [
            {
                "number": r.number,
                "name": r.name,
                "briefgen": r.briefgen,
                "reference": r.reference,
                "result": r.result,
                "unit": r.unit or "ratio",
                "goal": {"op": r.goal_op, "value": r.goal},
                "met": r.met,
                "notes": r.notes,
                "error": r.error,
                "data": r.data,
            }
            for r in bench.rows
        ],
        "breakdown": bench.breakdown,
    }
    (out / "latest.json").write_text(
        json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(text)
    print(f"written: {out / 'latest.md'} and latest.json ({seconds:.0f} s)", file=sys.stderr)
    return 1 if any(r.error for r in bench.rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
