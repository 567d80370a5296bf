"""Profile what a briefgen worker does for a set of outputs, in this process (cProfile).

    python -m benchmarks.profile PROJECT --brief case-dossier --lang en --format pdf [--limit N]
        [--sort cumulative|tottime] [--top 40] [--out stats.prof]

build_project renders in worker processes, which a profiler of the main process does not
see; this runs the same worker code (init_worker + run_batch, one batch as with --jobs 1)
in this process, so cProfile sees all of it. The load/plan/fingerprint stage of the main
process is profiled separately (printed first) as "main".
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
import time
from pathlib import Path


def profile(
    project: Path,
    briefs: list[str] | None,
    languages: list[str] | None,
    formats: list[str] | None,
    limit: int | None,
    out: Path,
) -> tuple[cProfile.Profile, cProfile.Profile, float, float]:
    from briefgen.build import BuildOptions
    from briefgen.jobs import job_fingerprint
    from briefgen.load import load_project
    from briefgen.plan import plan_jobs
    from briefgen.theme import project_theme
    from briefgen.worker import Limits, init_worker, run_batch

    main = cProfile.Profile()
    started = time.perf_counter()
    main.enable()
    model = load_project(project).model
    assert model is not None, "the project has errors: run briefgen validate"
    jobs = plan_jobs(model, briefs, None, languages, formats)[: limit or None]
    options = BuildOptions(out=out, force=True)
    theme = project_theme(model)
    batch = [(job, job_fingerprint(model, job, theme, options.pdf_variant)) for job in jobs]
    main.disable()
    main_seconds = time.perf_counter() - started

    worker = cProfile.Profile()
    init_worker(model, out, None, Limits(seconds=0, memory_mb=0))
    started = time.perf_counter()
    worker.enable()
    results = run_batch(batch)
    worker.disable()
    worker_seconds = time.perf_counter() - started
    errors = [d for r in results for d in r.diagnostics if d.is_error]
    if errors:
        raise SystemExit("\n".join(str(d) for d in errors))
    return main, worker, main_seconds, worker_seconds


def report(prof: cProfile.Profile, sort: str, top: int) -> str:
    stream = io.StringIO()
    stats = pstats.Stats(prof, stream=stream)
    stats.strip_dirs().sort_stats(sort).print_stats(top)
    return stream.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__.split("\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--brief", action="append")
    parser.add_argument("--lang", action="append")
    parser.add_argument("--format", action="append")
    parser.add_argument("--limit", type=int, help="profile only the first N planned outputs")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--out", type=Path, help="also dump the worker's stats here (for snakeviz etc.)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="briefgen-profile-") as tmp:
        main_prof, worker_prof, main_s, worker_s = profile(
            args.project, args.brief, args.lang, args.format, args.limit, Path(tmp) / "out"
        )
    print(f"== main process (load, plan, fingerprints): {main_s:.2f} s")
    print(report(main_prof, args.sort, min(args.top, 15)))
    print(f"== worker (render, write, check): {worker_s:.2f} s")
    print(report(worker_prof, args.sort, args.top))
    if args.out:
        worker_prof.dump_stats(str(args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
