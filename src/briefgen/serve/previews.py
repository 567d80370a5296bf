"""Previews: a project folder + saves -> built previews in a private folder, and their status.

One thread owns every build, so builds never overlap. A save (one batch of changed files)
starts a rebuild; saves that arrive while it runs are gathered into the next one, so a burst
of saves gives one rebuild. A rebuild runs the incremental build (build.py) in steps, the
outputs someone is looking at first:

    1. a draft of the HTML of the outputs in view (draft.py; the draft view refreshes)
    2. their HTML and PDF, built                  (the print view refreshes)
    3. the HTML of every other output             (so errors in any brief show at once)

PDF and DOCX of the other outputs are built when they are asked for. Content and template
errors never end the thread: they become the status's `errors`, and the files of the last
good build stay where they are (a failed build publishes nothing).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..build import BuildOptions
from ..cache import ContentCache
from ..diagnostics import Diagnostic
from ..load import load_project
from ..model import IMPLICIT_AUDIENCE, Model
from ..plan import Job, brief_audiences, plan_jobs
from ..publish import Publisher
from ..writers import FORMATS as WRITER_FORMATS
from .draft import has_contents
from .preview_worker import PreviewWorker, build_here, forget_themes

# Every format of the registry, in the order a rebuild serves them: HTML (the draft view,
# quickest) first, then the others in the registry's order.
FORMATS = tuple(sorted(WRITER_FORMATS, key=lambda fmt: (fmt != "html", WRITER_FORMATS.index(fmt))))
SETTLE_SECONDS = 0.05  # a save's batches closer together than this make one rebuild
# After the output on screen is published, the background steps wait until the page has
# fetched it (at most FETCH_SECONDS) and then until the page says it has drawn it (at most
# DRAWN_SECONDS; a client that never says so, DRAW_SECONDS), so that the browser draws it
# (pdf.js, the iframe) without competing for the CPU with the steps nobody is waiting for.
FETCH_SECONDS = 1.0
DRAW_SECONDS = 0.5
DRAWN_SECONDS = 5.0
FOCUS_SIZE = 2  # (output, format) pairs kept in view: the draft and print view of one output


@dataclass(frozen=True)
class OutputInfo:
    """One output as the page lists it."""

    stem: str
    brief: str
    brief_title: str
    audience: str
    audience_name: str
    clearance: str
    language: str
    recipient: str | None
    recipient_name: str | None
    relpaths: dict[str, str]  # format -> the file inside the preview folder (Job.relpath)


class PreviewBuilder:
    """Builds previews into `out` (never inside the watched project) on saves and on demand."""

    def __init__(
        self,
        root: Path,
        out: Path,
        jobs: int | None = None,
        on_status: Callable[[dict], None] | None = None,
    ):
        self.root = root
        # One for the life of the server: a save parses only the files it changed, and those
        # it left alone are taken from what the last load read (load.py).
        self._cache = ContentCache(root)
        self.out = out
        self.jobs = jobs
        self.on_status = on_status or (lambda status: None)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = False
        self._dirty = True  # the first build
        self._demands: set[tuple[str, str]] = set()
        self._last_change = 0.0
        self._focus: list[tuple[str, str]] = []
        self.change = 0  # grows with each batch of saves
        self._since = 0  # the worker's count of saves when this wake-up looked at the files
        self.generation = 0  # grows with each finished rebuild (status.json)
        self.building = False
        self.project_name = root.resolve().name
        self.outputs: list[OutputInfo] = []
        self._jobs: dict[str, Job] = {}
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.versions: dict[str, str] = {}  # relpath -> sha256 of the published file
        # sha256 of a published PDF -> its pages' digests (writers/pdf_pages.py), for the page
        # to draw again only the pages that changed (serve.js)
        self._page_digests: dict[str, tuple[str, ...]] = {}
        self._attempted: dict[tuple[str, str], int] = {}  # (stem, fmt) -> change last tried
        self._built: dict[tuple[str, str], int] = {}  # (stem, fmt) -> change last built
        self._drafts: dict[str, tuple[int, str]] = {}  # stem -> (change, sha256) of its draft
        self._published_at: dict[tuple[str, str], float] = {}  # (stem, fmt) -> when its file changed
        self._served_at: dict[tuple[str, str], float] = {}  # (stem, fmt) -> when the page last got it
        self._drawn_at: dict[tuple[str, str], float] = {}  # (stem, fmt) -> when the page last drew it
        # (stem, fmt) -> whether the client of its last fetch says when it has drawn it (serve.js)
        self._will_report: dict[tuple[str, str], bool] = {}
        self.drafts = out.with_name(out.name + "-drafts")
        self._worker = PreviewWorker()  # drafts and builds, in one warm process
        self._unverified: list[str] = []  # stems whose PDF was laid out on a contents guess
        self._model: Model | None = None  # of the last rebuild
        self._thread = threading.Thread(target=self._run, name="briefgen-previews", daemon=True)

    # ------------------------------------------------------------ called from other threads

    def start(self) -> None:
        self._worker.start()
        self._thread.start()
        self._wake.set()  # the first build

    def stop(self) -> None:
        self._stopping = True
        self._worker.stop()
        self._wake.set()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def files_changed(self, paths: set[str]) -> None:
        """A batch of saves (paths relative to the project): rebuild once, soon. Which files
        changed does not matter here: the incremental build finds what they change."""
        with self._lock:
            self._dirty = True
            self._last_change = time.monotonic()
            # Counted with the flag, under the lock the build thread reads both with: a build
            # of the files before this save is abandoned, whenever it reaches the worker.
            self._worker.interrupt()
        self._wake.set()

    def want(self, stem: str, fmt: str) -> None:
        """Someone is looking at this output in this format: build it first from now on."""
        with self._lock:
            key = (stem, fmt)
            if key in self._focus:
                self._focus.remove(key)
            self._focus.insert(0, key)
            del self._focus[FOCUS_SIZE:]
            if self._attempted.get(key) != self.change:
                self._demands.add(key)
                self._wake.set()

    def settled(self, stem: str, fmt: str) -> bool:
        """True once this (stem, format) was built (or failed) since the last save."""
        with self._lock:
            if self._dirty:
                return False
            drafted = fmt == "html" and self._drafts.get(stem, (None,))[0] == self.change
            return drafted or self._attempted.get((stem, fmt)) == self.change

    def served(self, stem: str, fmt: str, will_report: bool = False) -> None:
        """A client has fetched this output's preview (app.py); `will_report`: it says so
        when it has drawn it (the page does, `?report=1`; a script or an editor does not)."""
        with self._lock:
            self._served_at[(stem, fmt)] = time.monotonic()
            self._will_report[(stem, fmt)] = will_report

    def drawn(self, stem: str, fmt: str) -> None:
        """The page has drawn the preview of this output it last fetched (app.py)."""
        with self._lock:
            self._drawn_at[(stem, fmt)] = time.monotonic()

    def job(self, stem: str) -> Job | None:
        return self._jobs.get(stem)

    def path(self, stem: str, fmt: str) -> Path | None:
        job = self._jobs.get(stem)
        if job is None:
            return None
        if fmt == "html" and self._draft_is_newer(stem):
            return self.drafts / job.relpath(fmt)
        return self.out / job.relpath(fmt)

    def page_digests(self, sha256: str) -> tuple[str, ...] | None:
        """The pages' digests of the PDF published with this sha256, if it was built with them."""
        with self._lock:
            return self._page_digests.get(sha256)

    def status_version(self, stem: str, fmt: str) -> str | None:
        """The version of the file the page is offered (status.json); call with the lock held."""
        if fmt == "html" and self._draft_is_newer(stem):
            return self._drafts[stem][1]
        job = self._jobs.get(stem)
        return self.versions.get(job.relpath(fmt)) if job is not None else None

    def _draft_is_newer(self, stem: str) -> bool:
        drafted = self._drafts.get(stem)
        return drafted is not None and drafted[0] > self._built.get((stem, "html"), -1)

    def status(self) -> dict:
        with self._lock:
            outputs = []
            for info in self.outputs:
                entry = info.__dict__.copy()
                relpaths = entry.pop("relpaths")
                entry["versions"] = {fmt: self.versions.get(relpaths[fmt]) for fmt in FORMATS}
                if self._draft_is_newer(info.stem):
                    entry["versions"]["html"] = self._drafts[info.stem][1]
                outputs.append(entry)
            return {
                "ok": not self.errors,
                "generation": self.generation,
                "errors": list(self.errors),
                "warnings": list(self.warnings),
                "building": self.building,
                "project": self.project_name,
                "outputs": outputs,
            }

    # ------------------------------------------------------------ the build thread

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._stopping:
                return
            self._settle()
            with self._lock:
                dirty, self._dirty = self._dirty, False
                demands, self._demands = self._demands, set()
                self._since = self._worker.saves  # the builds below are of the files as of now
                if dirty:
                    self.change += 1
            try:
                if dirty:
                    self._rebuild()
                self._build_demands(demands)  # those the rebuild did not build
            except Exception as exc:  # a bug: report it in the page, keep serving
                self._give_up()
                self._set_errors([f"briefgen.yaml:0:0: internal error in the preview ({exc!r})"])
                self._announce()

    def _settle(self) -> None:
        """Wait until no batch of changes came for SETTLE_SECONDS: an editor that writes a file
        in several steps, slowed by a busy machine, can spread them over more than one batch."""
        while True:
            with self._lock:
                quiet = time.monotonic() - self._last_change
            if quiet >= SETTLE_SECONDS:
                return
            time.sleep(SETTLE_SECONDS - quiet)

    def _rebuild(self) -> None:
        self._set_building(True)
        errors: list[str] = []
        warnings: list[str] = []
        try:
            forget_themes(self.root)  # a save may have changed a theme (see preview_worker.py)
            result = load_project(self.root, self._cache)
            if result.model is None:
                errors = [str(d) for d in result.diagnostics if d.is_error]
                warnings = [str(d) for d in result.diagnostics if not d.is_error]
                self._set_errors(errors, warnings)
                self._give_up()  # nothing can be built until the next save
                return
            self._set_plan(result.model)
            self._model = result.model  # for checking contents guesses of builds on demand
            with self._lock:
                focus = [key for key in self._focus if key[0] in self._jobs]
            # A draft only for the draft view on screen: the print view's HTML and PDF are built
            # first instead, and a draft before them would only keep the PDF waiting.
            drafts = [s for s, f in focus if f == "html"] if focus and focus[0][1] == "html" else []
            shown = list(dict.fromkeys(s for s, f in focus if f in ("html", "pdf")))
            formats = ["html", "pdf"] if any(f == "pdf" for _, f in focus) else ["html"]
            plan: list[tuple[list[str], list[str] | None]] = []
            plan += [(formats, shown)] if shown else []
            plan += [(["docx"], [s for s, f in focus if f == "docx"])]
            plan += [(["html"], None)]  # None: every output
            if drafts:
                found_errors = self._draft(result.model, drafts)
                errors += found_errors
                self._set_errors(_unique(errors), _unique(warnings))
                self._announce()
            first = not drafts
            for step_formats, stems in plan:
                if stems == []:
                    continue
                if self._dirty:
                    return  # saved again meanwhile: start over with the new files
                found_errors, found_warnings = self._build(step_formats, stems)
                errors += found_errors
                warnings += found_warnings
                if first or found_errors:
                    self._set_errors(_unique(errors), _unique(warnings))
                first = False
                self._announce()
                if stems is not None and stems == shown:
                    self._let_the_page_draw()
                if self._unverified and not self._dirty:
                    errors += self._check_guesses(result.model)
        finally:
            with self._lock:
                self.generation += 1
                self.building = False
            self._announce()

    def _let_the_page_draw(self) -> None:
        """The output on screen was just published; see FETCH_SECONDS. A save ends the wait."""
        with self._lock:
            key = self._focus[0] if self._focus else None
        started = time.monotonic()
        fetched = False
        while key is not None and not self._dirty and time.monotonic() - started < FETCH_SECONDS:
            with self._lock:
                fetched = self._served_at.get(key, 0.0) >= self._published_at.get(key, 0.0)
            if fetched:
                break
            time.sleep(0.02)
        with self._lock:
            told = fetched and self._will_report.get(key, False)
        ends = time.monotonic() + (DRAWN_SECONDS if told else DRAW_SECONDS)
        while not self._dirty and time.monotonic() < ends:
            with self._lock:
                if told and self._drawn_at.get(key, 0.0) >= self._served_at.get(key, 0.0):
                    return
                if self._demands or (self._focus and self._focus[0] != key):
                    return  # the page moved on to another output or view: that comes first
            time.sleep(0.02)

    def _give_up(self) -> None:
        """Nothing more will be built for this save: requests waiting for it get the last good
        file (or 404) now rather than waiting for a build that will not come."""
        with self._lock:
            for stem in self._jobs:
                for fmt in FORMATS:
                    self._attempted[(stem, fmt)] = self.change

    def _draft(self, model: Model, stems: list[str]) -> list[str]:
        """Draft the HTML of the outputs in view (see draft.py); returns error lines."""
        errors: list[str] = []
        for stem in stems:
            job = self._jobs[stem]
            target = self.drafts / job.relpath("html")
            found = self._worker.draft(model, job, target, has_contents(self.out / job.relpath("html")))
            if found:
                errors += found
                continue
            digest = hashlib.sha256(target.read_bytes()).hexdigest()
            with self._lock:
                if digest != self.status_version(stem, "html"):
                    self._published_at[(stem, "html")] = time.monotonic()
                self._drafts[stem] = (self.change, digest)
        return errors

    def _build_demands(self, demands: set[tuple[str, str]]) -> None:
        with self._lock:  # a rebuild may have built them meanwhile
            demands = {key for key in demands if self._attempted.get(key) != self.change}
        for fmt in FORMATS:
            stems = sorted(s for s, f in demands if f == fmt and s in self._jobs)
            if stems:
                self._set_building(True)
                found_errors, _ = self._build([fmt], stems)
                with self._lock:
                    self.building = False
                if found_errors:
                    self._set_errors(_unique(self.errors + found_errors), self.warnings)
                self._announce()
        if self._unverified and not self._dirty and self._model is not None:
            self._set_building(True)
            found_errors = self._check_guesses(self._model)
            with self._lock:
                self.building = False
            if found_errors:
                self._set_errors(_unique(self.errors + found_errors), self.warnings)
            self._announce()

    def _check_guesses(self, model: Model) -> list[str]:
        """A PDF laid out on the last build's contents decision is shown at once; here the
        decision is taken exactly, and an output guessed wrong is built again (tocmemory.py).
        Returns error lines of that build."""
        wrong = [
            stem for stem in self._worker.verify(model, self.out, self._unverified) if stem in self._jobs
        ]
        self._unverified = []
        if not wrong:
            return []
        by_formats: dict[tuple[str, ...], list[str]] = {}
        for stem in wrong:
            built = tuple(f for f in FORMATS if self._built.get((stem, f)) == self.change)
            by_formats.setdefault(built or ("html", "pdf"), []).append(stem)
        errors: list[str] = []
        for formats, stems in by_formats.items():
            found_errors, _ = self._build(list(formats), stems, force=True)
            errors += found_errors
            self._announce()
        return errors

    def _build(
        self, formats: list[str], stems: list[str] | None, force: bool = False
    ) -> tuple[list[str], list[str]]:
        """Build formats of the named outputs (None: all) incrementally; (errors, warnings)."""
        jobs = list(self._jobs.values()) if stems is None else [self._jobs[s] for s in stems]
        options = BuildOptions(
            out=self.out,
            briefs=None if stems is None else sorted({j.brief_id for j in jobs}),
            audiences=None if stems is None else sorted({j.audience_id for j in jobs}),
            languages=None if stems is None else sorted({j.language for j in jobs}),
            formats=formats,
            jobs=self.jobs,
            stems=None if stems is None else frozenset(stems),
            cache=True,  # a save reloads only the file saved
            force=force,
        )
        if stems is None and self.change == 1:
            # The first build of every output: nothing is kept yet that the warm worker could
            # reuse, so worker processes (--jobs) share the work, as `briefgen build` does.
            reply = build_here(self.root, options)
        else:
            reply = self._worker.build(self.root, options, since=self._since)
        if reply.abandoned:  # a new save came: the next rebuild builds these
            return [], []
        errors, warnings = reply.errors, reply.warnings
        entries = [
            e
            for e in Publisher(self.out).read_manifest().get("outputs", [])
            if isinstance(e, dict) and "path" in e and "sha256" in e
        ]
        versions = {e["path"]: e["sha256"] for e in entries}
        page_digests = {
            e["sha256"]: tuple(e["page_digests"]) for e in entries if isinstance(e.get("page_digests"), list)
        }
        with self._lock:
            now = time.monotonic()
            for job in jobs:
                for fmt in formats:
                    relpath = job.relpath(fmt)
                    if versions.get(relpath) != self.status_version(job.stem, fmt):
                        self._published_at[(job.stem, fmt)] = now
            self.versions = versions
            self._page_digests = page_digests
            self._unverified = reply.unverified
            for job in jobs:
                for fmt in formats:
                    self._attempted[(job.stem, fmt)] = self.change
                    if not errors:
                        self._built[(job.stem, fmt)] = self.change
        return errors, warnings

    # ------------------------------------------------------------ state

    def _set_plan(self, model: Model) -> None:
        jobs = plan_jobs(model)
        outputs = [_describe(model, job) for job in jobs]
        with self._lock:
            self.project_name = model.project.name
            self._jobs = {job.stem: job for job in jobs}
            self.outputs = outputs

    def _set_building(self, value: bool) -> None:
        with self._lock:
            self.building = value
        self._announce()

    def _set_errors(self, errors: list[str], warnings: list[str] | None = None) -> None:
        with self._lock:
            self.errors = errors
            if warnings is not None:
                self.warnings = warnings

    def _announce(self) -> None:
        self.on_status(self.status())


def _describe(model: Model, job: Job) -> OutputInfo:
    brief = next(b for b in model.project.briefs if b.id == job.brief_id)
    audience = next((a for a in brief_audiences(model, brief) if a.id == job.audience_id), IMPLICIT_AUDIENCE)
    recipient = model.recipients.get(job.recipient_id) if job.recipient_id else None
    return OutputInfo(
        stem=job.stem,
        brief=job.brief_id,
        brief_title=_text(brief.title, job.language) or job.brief_id,
        audience=job.audience_id,
        audience_name=_text(audience.name, job.language) or job.audience_id,
        clearance=audience.clearance,
        language=job.language,
        recipient=job.recipient_id,
        recipient_name=recipient.name if recipient else None,
        relpaths={fmt: job.relpath(fmt) for fmt in FORMATS},
    )


def _text(value, language: str) -> str | None:
    """A localized value in `language`, else its first text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict):
        return value.get(language) or next(iter(value.values()), None)
    found = getattr(value, "root", None)
    return _text(found, language) if found is not None and found is not value else str(value)


def _unique(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(lines))


__all__ = ["FORMATS", "Diagnostic", "OutputInfo", "PreviewBuilder"]
