"""Start-up work a build answered from the content cache never needs (issue 21, row 12).

The content model's validators and serializers are built on first use (model.py, Strict's
`defer_build`): a build whose project comes from the cache unpickles items and reads their
fields, so neither its main process nor its worker builds them. select and the ledger read
an item's texts through `as_data`, which must give exactly what `model_dump` gives.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import cached_starter, python_script

from briefgen.load import load_project
from briefgen.model import Strict, as_data

REPO = Path(__file__).resolve().parents[2]
PROJECTS = [REPO, *sorted(p.parent for p in (REPO / "tests/fixtures/projects").glob("*/briefgen.yaml"))]


@pytest.mark.parametrize("root", PROJECTS, ids=lambda p: p.name)
def test_as_data_gives_what_model_dump_gives(root):
    model = load_project(root).model
    assert model is not None
    items = [item for collection in model.items.values() for item in collection.values()]
    items += [*model.project.audiences, *model.project.briefs, model.project]
    assert items
    for item in items:
        # repr, not only ==: a tuple must stay a tuple, a date a date, keys in field order.
        assert repr(as_data(item)) == repr(item.model_dump())
        assert repr(as_data(item, exclude={"pseudonym", "id"})) == repr(
            item.model_dump(exclude={"pseudonym", "id"})
        )


def test_as_data_reads_nested_models_and_containers():
    class Inner(Strict):
        text: str
        when: tuple[int, ...] = ()

    class Outer(Strict):
        inner: Inner
        many: list[Inner] = []
        named: dict[str, Inner] = {}

    outer = Outer(inner=Inner(text="a", when=(1, 2)), many=[Inner(text="b")], named={"x": Inner(text="c")})
    assert repr(as_data(outer)) == repr(outer.model_dump())
    assert as_data(outer, exclude={"many"}) == {
        "inner": {"text": "a", "when": (1, 2)},
        "named": {"x": {"text": "c", "when": ()}},
    }


# Runs in a fresh interpreter: this test process has long built every validator.
CACHED_BUILD = textwrap.dedent(
    """
    import sys, tempfile
    from pathlib import Path
    from briefgen import model as content_model
    from briefgen.cache import ContentCache
    from briefgen.jobs import job_fingerprint, job_view
    from briefgen.load import load_project
    from briefgen.plan import plan_jobs
    from briefgen.theme import audience_theme
    from briefgen import worker

    def built():
        return sorted(
            name for name, value in vars(content_model).items()
            if isinstance(value, type) and issubclass(value, content_model.Strict)
            and value is not content_model.Strict and value.__pydantic_complete__
        )

    root = Path(sys.argv[1])
    print("import", built())
    result = load_project(root, ContentCache(root))
    assert result.model is not None
    model = result.model
    print("load", built())
    jobs = plan_jobs(model, None, None, None, ["docx", "html"])
    batch = []
    for job in jobs:
        theme = audience_theme(model, job.audience_id)
        batch.append((job, job_fingerprint(model, job, theme, None, job_view(model, job))))
    print("plan", built())
    worker.init_worker(model, Path(tempfile.mkdtemp()), None, worker.Limits(0, 0), ["docx", "html"])
    results = worker.run_batch(batch)
    errors = [str(d) for r in results for d in r.diagnostics if d.is_error]
    assert not errors, errors
    assert sum(len(r.outputs) for r in results) == 2 * len(jobs)
    print("worker", built())
    """
)


@pytest.mark.slow
def test_a_build_from_the_cache_builds_no_validator(tmp_path):
    # The first command loads afresh (validators built) and fills the cache.
    root, env = cached_starter(tmp_path, "validate")
    stages = dict(line.split(" ", 1) for line in python_script(CACHED_BUILD, root, env))
    assert list(stages) == ["import", "load", "plan", "worker"]
    for stage, built in stages.items():
        # After "load": the cache did not answer (a fresh load validates, which builds them).
        assert built == "[]", f"built after {stage}: {built}"


# A build whose processes each write down the modules they hold: the main process at exit,
# each worker after its batch (the workers are forked: they run this script's run_batch).
RECORDING_BUILD = textwrap.dedent(
    """
    import atexit, json, os, sys
    import briefgen.pool, briefgen.worker

    record = sys.argv[1]

    def dump(kind):
        with open(f"{record}.{kind}.{os.getpid()}", "w") as handle:
            json.dump(sorted(sys.modules), handle)

    original = briefgen.worker.run_batch

    def run_batch(*args, **kwargs):
        try:
            return original(*args, **kwargs)
        finally:
            dump("worker")

    briefgen.pool.run_batch = run_batch
    atexit.register(dump, "main")
    from briefgen.cli import main

    sys.argv = ["briefgen", *sys.argv[2:]]
    main()
    """
)


@pytest.mark.slow
def test_a_docx_build_without_charts_imports_no_pdf_or_chart_engine(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    root, out = tmp_path / "project", tmp_path / "out"
    init = subprocess.run([sys.executable, "-m", "briefgen", "init", str(root)], env=env, capture_output=True)
    assert init.returncode == 0
    assert "charts:" not in (root / "briefgen.yaml").read_text(encoding="utf-8")
    build = ["build", str(root), "-o", str(out), "--format", "docx", "--force", "--jobs", "1"]
    for attempt in ("fresh", "cached"):
        record = tmp_path / attempt
        run = subprocess.run(
            [sys.executable, "-c", RECORDING_BUILD, str(record), *build],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stderr
        files = {path.name.split(".")[1]: path for path in tmp_path.glob(f"{attempt}.*.*")}
        assert set(files) == {"main", "worker"}, files
        main, worker = (set(json.loads(files[kind].read_text())) for kind in ("main", "worker"))
        assert {"docx", "briefgen.writers.docx"} <= worker
        unwanted = {"weasyprint", "pypdfium2", "pikepdf", "fontTools", "briefgen.charts.engine", "vl_convert"}
        assert not unwanted & (main | worker), (attempt, unwanted & (main | worker))


def test_the_pipeline_is_imported_without_the_cyclic_collector():
    import gc

    from briefgen.cli import without_collections

    assert gc.isenabled()
    with without_collections():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with without_collections():
            pass
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


def test_importing_the_build_builds_no_theme_validator():
    """The theme's token models are built when a theme is first validated, not on import: a
    command that never validates one (list, a warm validate, --version) should not pay for
    17 schemas and pydantic's plugin lookup (importlib.metadata) at start."""
    script = textwrap.dedent(
        """
        import sys
        import briefgen.build
        from briefgen import tokens
        from pydantic import BaseModel
        built = sorted(
            name for name, value in vars(tokens).items()
            if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel
            and value.__pydantic_complete__
        )
        print(built, "pydantic.plugin._loader" in sys.modules)
        """
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[] False"


def test_a_theme_validates_as_before_once_its_models_are_built(tmp_path):
    from briefgen.theme import ThemeError, load_theme

    own = tmp_path / "own"
    own.mkdir()
    (own / "theme.yaml").write_text('colors:\n  brand: "#112233"\n', encoding="utf-8")
    theme = load_theme(own)
    assert theme.tokens.colors.brand == "#112233"
    # The default made by a factory, as the instance written in the class was.
    assert theme.tokens.fonts.fallback.model_dump() == {"body": [], "heading": []}
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "theme.yaml").write_text("fonts:\n  fallback:\n    body: 3\n", encoding="utf-8")
    with pytest.raises(ThemeError) as raised:
        load_theme(broken)
    assert [str(d) for d in raised.value.diagnostics] == [
        "theme.yaml:3:11: fonts.fallback.body: expected a list, but found '3' "
        "(hint: write a list: [3] or one '- ...' line per entry)"
    ]
