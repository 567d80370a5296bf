"""One measurement in a fresh process: `python -m benchmarks._driver '{"kind": ..., ...}'`.

Prints one JSON line: wall seconds and CPU seconds (this process and its children, e.g.
briefgen's workers or pandoc) of the timed part, plus what the measurement produced.
A fresh process per measurement means no state (imported modules, WeasyPrint's font
configuration, caches) carries over from one measurement to the next, and that
RUSAGE_CHILDREN's ru_maxrss is the peak RSS of this measurement's worker processes alone.

Kinds:
- build: briefgen.build.build_project(project, BuildOptions(...)); the timed part is the
  call (briefgen imported before; WeasyPrint and python-docx are imported by the workers,
  inside the call). `clean` empties `out` first (a full build from nothing).
- weasyprint: `HTML(string=html, base_url=path).write_pdf(target)` on an HTML file; the timed
  part includes `import weasyprint`, as the workers' import is inside build_project.
  `tagged` also passes the options briefgen uses (pdf/ua-1, tagged), for the breakdown.
- pandoc: pypandoc.convert_file(html -> docx); the timed part includes the pandoc process.
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import time
from pathlib import Path


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def build(args: dict) -> dict:
    from briefgen.build import BuildOptions, build_project

    out = Path(args["out"])
    if args.get("clean") and out.exists():
        shutil.rmtree(out)
    options = BuildOptions(
        out=out,
        briefs=args.get("briefs"),
        languages=args.get("languages"),
        formats=args.get("formats"),
        jobs=args.get("jobs"),
        force=bool(args.get("force")),
        cache=bool(args.get("cache")),
    )
    preloaded = "weasyprint" in sys.modules
    cpu, started = _cpu(), time.perf_counter()
    report = build_project(Path(args["project"]), options)
    wall = time.perf_counter() - started
    cpu = _cpu() - cpu
    errors = [str(d) for d in report.diagnostics if d.is_error]
    return {
        "wall": wall,
        "cpu": cpu,
        "outputs": len(report.outputs),
        "skipped": report.skipped,
        "pages": report.pages,
        "pdf_pages": [o.pages for o in report.outputs if o.format == "pdf"],
        "errors": errors,
        "weasyprint_preloaded": preloaded,
        # KiB on Linux: the largest of the worker processes this build started and waited for.
        "children_maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "self_maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def weasyprint(args: dict) -> dict:
    html_path = Path(args["html"])
    html = html_path.read_text(encoding="utf-8")
    target = Path(args["target"])
    cpu, started = _cpu(), time.perf_counter()
    from weasyprint import HTML

    if args.get("tagged"):
        HTML(string=html, base_url=str(html_path)).write_pdf(target, pdf_variant="pdf/ua-1", pdf_tags=True)
    else:
        HTML(string=html, base_url=str(html_path)).write_pdf(target)
    wall = time.perf_counter() - started
    cpu = _cpu() - cpu
    from pypdf import PdfReader

    return {
        "wall": wall,
        "cpu": cpu,
        "pages": len(PdfReader(str(target)).pages),
        "bytes": target.stat().st_size,
    }


def pandoc(args: dict) -> dict:
    html_path = Path(args["html"])
    target = Path(args["target"])
    cpu, started = _cpu(), time.perf_counter()
    import pypandoc

    pypandoc.convert_file(
        str(html_path),
        "docx",
        format="html",
        outputfile=str(target),
        extra_args=["--resource-path", str(html_path.parent)],
    )
    wall = time.perf_counter() - started
    cpu = _cpu() - cpu
    return {"wall": wall, "cpu": cpu, "bytes": target.stat().st_size, "pandoc": pypandoc.get_pandoc_version()}


KINDS = {"build": build, "weasyprint": weasyprint, "pandoc": pandoc}


def main() -> int:
    args = json.loads(sys.argv[1])
    result = KINDS[args["kind"]](args)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
