"""A build's worker takes its theme from the project's cache (theme.load_theme): the theme
it gets equals one read from theme.yaml, every file the theme is read from counts, a theme
with mistakes is never kept, and a worker so started builds no validator and reads no YAML."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest
from conftest import cached_starter, python_script

from briefgen.cache import ContentCache, use_for_this_build
from briefgen.theme import DEFAULT_THEME_DIR, KEPT_KIND, ThemeError, load_theme

REPO = Path(__file__).resolve().parents[2]
THEMES = [DEFAULT_THEME_DIR, REPO / "tests/fixtures/projects/small/templates/sober"]


@pytest.fixture(autouse=True)
def own_key(tmp_path, monkeypatch):
    # The cache's signing key lives in the user's cache folder: a test's own.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))


@pytest.fixture
def store(tmp_path):
    """The project cache a build's worker uses, and no theme read in this process before."""
    (tmp_path / "project").mkdir()
    cache = ContentCache(tmp_path / "project")
    use_for_this_build(cache.folder)
    load_theme.cache_clear()
    yield cache
    use_for_this_build(None)
    load_theme.cache_clear()


def fresh(folder: Path):
    """The theme in `folder` as the next process of the build reads it."""
    load_theme.cache_clear()
    return load_theme(folder)


def described(theme) -> tuple:
    return (theme.folder, theme.tokens.model_dump(), theme.font_files, theme.own_scripts)


@pytest.mark.parametrize("folder", THEMES, ids=lambda p: p.name)
def test_a_kept_theme_equals_the_theme_read_from_its_files(store, folder):
    read = fresh(folder)
    assert store.get(KEPT_KIND, _only_entry(store)) is not None
    kept = fresh(folder)
    assert kept is not read
    assert described(kept) == described(read)
    use_for_this_build(None)
    assert described(fresh(folder)) == described(read)


@pytest.mark.parametrize("folder", THEMES, ids=lambda p: p.name)
def test_the_token_groups_are_what_model_dump_gives(folder):
    load_theme.cache_clear()
    theme = load_theme(folder)
    tokens = theme.tokens
    assert repr(theme.colors) == repr(tokens.colors.model_dump())
    assert repr(theme.sizes) == repr(tokens.sizes.model_dump(exclude_none=True))
    assert repr(theme.page) == repr(tokens.page.model_dump())


def _only_entry(store: ContentCache) -> str:
    (entry,) = (store.folder / KEPT_KIND).glob("*.bin")
    return entry.stem


def _theme_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "project" / "templates" / "house"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fonts").mkdir(exist_ok=True)
    shutil.copy(DEFAULT_THEME_DIR / "fonts" / "NotoSans-Regular.ttf", folder / "fonts" / "House-Regular.ttf")
    (folder / "extra.css").write_text(".note { color: #111111; }\n", encoding="utf-8")
    (folder / "theme.yaml").write_text(
        "name: house\ncolors:\n  brand: '#2e7d32'\ncss: [extra.css]\n"
        "fonts:\n  files:\n    - {family: House, weight: 400, file: fonts/House-Regular.ttf}\n",
        encoding="utf-8",
    )
    return folder


def test_every_file_the_theme_is_read_from_counts(store, tmp_path):
    folder = _theme_folder(tmp_path)
    assert fresh(folder).colors["brand"] == "#2e7d32"
    stat = (folder / "theme.yaml").stat()
    # The same size and the same time: read by its bytes.
    (folder / "theme.yaml").write_text(
        (folder / "theme.yaml").read_text(encoding="utf-8").replace("2e7d32", "8e24aa"), encoding="utf-8"
    )
    os.utime(folder / "theme.yaml", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fresh(folder).colors["brand"] == "#8e24aa"
    # A css file the theme names, gone: the theme read anew says so.
    (folder / "extra.css").unlink()
    with pytest.raises(ThemeError, match=r"extra\.css"):
        fresh(folder)
    (folder / "extra.css").write_text(".note { color: #222222; }\n", encoding="utf-8")
    assert fresh(folder).css_files == (folder / "extra.css",)
    # A font file removed, then another in its place.
    (folder / "fonts" / "House-Regular.ttf").unlink()
    with pytest.raises(ThemeError, match=r"House-Regular\.ttf"):
        fresh(folder)
    shutil.copy(DEFAULT_THEME_DIR / "fonts" / "NotoSerif-Regular.ttf", folder / "fonts" / "House-Regular.ttf")
    assert fresh(folder).font_files[0].path.name == "House-Regular.ttf"


def test_a_theme_with_mistakes_is_never_kept(store, tmp_path):
    folder = _theme_folder(tmp_path)
    fresh(folder)
    (folder / "theme.yaml").write_text("name: house\ncolors:\n  brand: 12\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ThemeError, match="brand"):
            fresh(folder)


@pytest.mark.parametrize("damage", ["truncated", "random", "another theme"])
def test_a_damaged_or_foreign_entry_is_read_past(store, tmp_path, damage):
    folder = _theme_folder(tmp_path)
    expected = described(fresh(folder))
    entry = store.folder / KEPT_KIND / f"{_only_entry(store)}.bin"
    if damage == "truncated":
        entry.write_bytes(entry.read_bytes()[:-20])
    elif damage == "random":
        entry.write_bytes(os.urandom(300))
    else:  # a signed entry, but of the default theme: its key is not this theme's
        name = entry.stem
        store.put(KEPT_KIND, name, (store.get(KEPT_KIND, name)[0], fresh(DEFAULT_THEME_DIR)))
    assert described(fresh(folder)) == expected


# A fresh interpreter: this test process has long built every validator and imported PyYAML.
WORKER_FROM_THE_CACHE = textwrap.dedent(
    """
    import sys, tempfile
    from pathlib import Path
    import pydantic
    from briefgen import tokens
    from briefgen.cache import ContentCache, use_for_this_build
    from briefgen.jobs import job_fingerprint, job_view
    from briefgen.load import load_project
    from briefgen.plan import plan_jobs
    from briefgen.theme import audience_theme
    from briefgen import worker

    root = Path(sys.argv[1])
    cache = ContentCache(root)
    use_for_this_build(cache.folder)
    model = load_project(root, cache).model
    jobs = plan_jobs(model, None, None, None, ["docx", "html"])
    batch = [
        (job, job_fingerprint(model, job, audience_theme(model, job.audience_id), None, job_view(model, job)))
        for job in jobs
    ]
    worker.init_worker(model, Path(tempfile.mkdtemp()), None, worker.Limits(0, 0), ["docx", "html"],
                       cache_folder=cache.folder)
    results = worker.run_batch(batch)
    assert not [str(d) for r in results for d in r.diagnostics if d.is_error]
    assert sum(len(r.outputs) for r in results) == 2 * len(jobs)
    built = sorted(
        name for name, value in vars(tokens).items()
        if isinstance(value, type) and issubclass(value, pydantic.BaseModel) and value.__pydantic_complete__
    )
    print("built", built)
    print("yaml", "yaml" in sys.modules)
    """
)


@pytest.mark.slow
def test_a_worker_whose_theme_is_kept_builds_no_validator_and_reads_no_yaml(tmp_path):
    # The first build reads everything and keeps it: the project, the theme.
    root, env = cached_starter(
        tmp_path, "build", "-o", str(tmp_path / "out"), "--format", "docx", "--jobs", "1"
    )
    assert python_script(WORKER_FROM_THE_CACHE, root, env) == ["built []", "yaml False"]
