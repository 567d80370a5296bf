"""The content cache (cache.py): builds from the cache equal fresh builds; nothing foreign is trusted."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.cache import CACHE_DIR, ContentCache
from briefgen.load import load_project

BRIEFGEN = [sys.executable, "-m", "briefgen"]


@pytest.fixture(autouse=True)
def own_key(tmp_path, monkeypatch):
    # The signing key lives in the user's cache folder: a test's own.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*BRIEFGEN, *args], capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})}
    )


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    assert run("init", str(root)).returncode == 0
    (root / "content" / "extra.yaml").write_text(
        "sources:\n  - id: extra-source\n    title: An extra source\n", encoding="utf-8"
    )
    return root


def loaded(root: Path, cache: ContentCache | None) -> tuple:
    result = load_project(root, cache)
    model = result.model
    items = (
        {c: {i: item.model_dump() for i, item in items.items()} for c, items in model.items.items()}
        if model
        else None
    )
    # Where each item and field is written: what every diagnostic about the model points at.
    positions = (model.positions, model.field_positions) if model else None
    return items, [str(d) for d in result.diagnostics], positions


def edit(root: Path, change: str) -> None:
    content = root / "content"
    files = sorted(content.rglob("*.yaml"))
    if change == "edit":
        text = files[0].read_text(encoding="utf-8")
        files[0].write_text(text.replace("name:", "name: ", 1) + "\n# edited\n", encoding="utf-8")
        text = files[-1].read_text(encoding="utf-8")
        files[-1].write_text(text.replace("summary: ", "summary: Edited. ", 1), encoding="utf-8")
    elif change == "add":
        (content / "more.yaml").write_text(
            "sources:\n  - id: added-source\n    title: An added source\n", encoding="utf-8"
        )
    elif change == "delete":
        extra = content / "extra.yaml"
        if extra.exists():
            extra.unlink()
        else:
            files[-1].unlink()
    elif change == "rename":
        files[0].rename(content / "renamed.yaml")
    elif change == "break":
        files[0].write_text("people:\n  - id: x\n    name: [unclosed\n", encoding="utf-8")


@pytest.mark.parametrize("change", ["edit", "add", "delete", "rename", "break"])
def test_a_load_from_the_cache_equals_a_fresh_load_after_every_change(project, change):
    cache = ContentCache(project)
    assert loaded(project, cache) == loaded(project, None)
    edit(project, change)
    assert loaded(project, cache) == loaded(project, None)
    assert loaded(project, cache) == loaded(project, None)  # and again, from the cache


def test_only_the_changed_file_is_parsed_again(project, monkeypatch):
    import briefgen.load as load

    cache = ContentCache(project)
    load_project(project, cache)
    first = sorted((project / "content").rglob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    parsed = []
    real = load._read_file
    monkeypatch.setattr(
        load, "_read_file", lambda root, path, d: parsed.append(path.name) or real(root, path, d)
    )
    load_project(project, cache)
    # briefgen.yaml is always read; of the content files, only the edited one.
    assert parsed == ["briefgen.yaml", first.name]
    assert len(list((project / "content").rglob("*.yaml"))) == 2


def test_a_reload_through_the_same_cache_reads_only_the_changed_file(project, monkeypatch):
    # `serve` loads again after every save, through one cache: the files the save left alone
    # are taken as the last load read them, neither unpickled nor their positions redone.
    cache = ContentCache(project)
    before = load_project(project, cache).model
    kept = dict(cache.last_files)
    first = sorted((project / "content").rglob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    asked = []
    real = ContentCache.get
    monkeypatch.setattr(
        ContentCache, "get", lambda self, kind, name: asked.append(kind) or real(self, kind, name)
    )
    after = load_project(project, cache).model
    assert asked.count("files") == 1  # the edited file's new key, which nothing was kept under
    unchanged = [key for key in kept if key in cache.last_files]
    assert len(unchanged) == len(kept) - 1 == len(cache.last_files) - 1
    assert all(cache.last_files[key] is kept[key] for key in unchanged)
    untouched = ("sources", "extra-source")  # in extra.yaml, which the edit left alone
    assert after.field_positions[untouched] is before.field_positions[untouched]
    monkeypatch.setattr(ContentCache, "get", real)
    assert loaded(project, cache) == loaded(project, None)
    assert loaded(project, ContentCache(project)) == loaded(project, None)  # from the files alone


def test_a_reload_through_the_same_cache_checks_the_glyphs_of_the_changed_file_only(project, monkeypatch):
    from briefgen import fonts, theme

    extra = project / "content" / "extra.yaml"
    extra.write_text(extra.read_text(encoding="utf-8").replace("An extra source", "An extra \U0001f600"))
    cache = ContentCache(project)
    first = loaded(project, cache)
    assert any("U+1F600" in d for d in first[1])  # the emoji no font of the theme has
    checked = []
    real = fonts.check_yaml_file
    monkeypatch.setattr(
        fonts, "check_yaml_file", lambda yaml_file, *a: checked.append(yaml_file.path) or real(yaml_file, *a)
    )
    edited = project / "content" / "example.yaml"  # the starter's content
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    again = loaded(project, cache)
    # briefgen.yaml is read anew by every load; of the content, only the edited file.
    assert sorted(checked) == sorted(["briefgen.yaml", "content/" + edited.name])
    assert again[1] == first[1] and again == loaded(project, None)  # the emoji still reported
    checked.clear()
    theme.load_theme.cache_clear()  # as for a changed theme: its font chain is made again
    fonts._CHAINS.clear()
    edited.write_text(edited.read_text(encoding="utf-8") + "# and again\n", encoding="utf-8")
    reloaded = loaded(project, cache)
    assert sorted(checked) == sorted(["briefgen.yaml", "content/example.yaml", "content/extra.yaml"])
    assert reloaded == loaded(project, None)


@pytest.mark.parametrize("damage", ["truncated", "random", "other-version", "foreign-key"])
def test_a_damaged_or_foreign_cache_is_ignored(project, tmp_path, damage, monkeypatch):
    cache = ContentCache(project)
    expected = loaded(project, None)
    loaded(project, cache)
    entries = [p for p in cache.folder.rglob("*.bin")]
    assert entries
    for path in entries:
        data = path.read_bytes()
        if damage == "truncated":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "random":
            path.write_bytes(os.urandom(len(data)))
        elif damage == "other-version":
            path.write_bytes(data.replace(b"briefgen-cache-1", b"briefgen-cache-0", 1))
    if damage == "foreign-key":  # a cache written by someone else, e.g. copied in with a project
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    assert loaded(project, ContentCache(project)) == expected
    result = run("validate", str(project), env={"XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_the_cache_is_owner_only_and_inside_the_project(project):
    cache = ContentCache(project)
    load_project(project, cache)
    assert cache.folder == project / CACHE_DIR
    for folder in (project / ".briefgen", cache.folder, *[p for p in cache.folder.rglob("*") if p.is_dir()]):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    files = [p for p in cache.folder.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_init_keeps_the_cache_out_of_git(project):
    ignored = (project / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/.briefgen/" in ignored and "/output/" in ignored
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    assert run("validate", str(project)).returncode == 0
    status = subprocess.run(
        ["git", "-C", str(project), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert ".briefgen" not in status and (project / CACHE_DIR).is_dir()


def test_cache_clear_and_no_cache(project):
    assert run("validate", str(project)).returncode == 0
    assert (project / CACHE_DIR).is_dir()
    cleared = run("cache", "clear", str(project))
    assert cleared.returncode == 0, cleared.stderr
    assert not (project / CACHE_DIR).exists()
    assert run("validate", "--no-cache", str(project)).returncode == 0
    assert not (project / CACHE_DIR).exists()


def test_the_cache_is_never_inside_the_output_folder(project):
    result = run("build", str(project), "-o", str(project), "--format", "html", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert not (project / CACHE_DIR).exists()
    manifest = json.loads((project / "manifest.json").read_text())
    assert all(".briefgen" not in o["path"] for o in manifest["outputs"])


def outputs(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


@pytest.mark.slow
def test_cached_builds_equal_fresh_builds_after_every_change(project, tmp_path):
    env = {"SOURCE_DATE_EPOCH": "1453161600", "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]}
    theme = project / "templates" / "house"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: house\ncolors:\n  brand: '#2e7d32'\n", encoding="utf-8")
    settings = project / "briefgen.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("as_of:", "theme: house\nas_of:", 1))

    def compare(step: str) -> None:
        cached = run(
            "build", str(project), "-o", str(tmp_path / "cached"), "--format", "html", "--jobs", "1", env=env
        )
        assert cached.returncode == 0, (step, cached.stderr)
        fresh_out = tmp_path / f"fresh-{step}"
        fresh = run(
            "build",
            str(project),
            "-o",
            str(fresh_out),
            "--format",
            "html",
            "--jobs",
            "1",
            "--no-cache",
            env=env,
        )
        assert fresh.returncode == 0, (step, fresh.stderr)
        assert outputs(tmp_path / "cached") == outputs(fresh_out), step

    compare("first")
    compare("unchanged")  # the fast path: nothing loaded, nothing written
    for change in ("edit", "add", "delete", "rename"):
        edit(project, change)
        compare(change)
    (theme / "theme.yaml").write_text("name: house\ncolors:\n  brand: '#8e24aa'\n", encoding="utf-8")
    compare("theme")
    assert "#8e24aa" in next(iter(outputs(tmp_path / "cached").values())).decode()


def test_a_new_version_of_briefgen_gives_new_keys(project, monkeypatch):
    import briefgen.cache as cache_module

    before = cache_module.project_key(project)
    monkeypatch.setattr(cache_module, "__version__", "9.9.9")
    monkeypatch.setattr(cache_module, "_SOFTWARE", None)
    assert cache_module.project_key(project) != before


def test_a_no_change_rebuild_from_the_command_line_loads_nothing(project, tmp_path):
    out = tmp_path / "out"
    first = run("build", str(project), "-o", str(out), "--format", "html", "--jobs", "1")
    assert first.returncode == 0, first.stderr
    again = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "briefgen",
            "build",
            str(project),
            "-o",
            str(out),
            "--format",
            "html",
            "--jobs",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert again.returncode == 0, again.stderr
    assert "0 file(s) written" in again.stderr and "up to date" in again.stderr
    imported = {line.split("|")[-1].strip() for line in again.stderr.splitlines() if "import time:" in line}
    # Neither the content model (pydantic) nor a writer's library was imported.
    assert not {"pydantic", "briefgen.model", "weasyprint", "docx", "briefgen.load"} & imported
    validate = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "briefgen", "validate", str(project)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    validate = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "briefgen", "validate", str(project)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert validate.returncode == 0
    imported = {
        line.split("|")[-1].strip() for line in validate.stderr.splitlines() if "import time:" in line
    }
    assert not {"pydantic", "briefgen.model", "weasyprint", "docx"} & imported


def test_processes_that_make_the_key_together_all_use_the_first(tmp_path):
    """A build and its early workers may each find no key and make one: they must end with
    the same, or what one signed (the build record) is unreadable to the next run."""
    from briefgen.cache import user_key

    made = _keys_made_together(8)
    assert made == {user_key()}
    assert len(user_key()) == 32


@pytest.mark.parametrize("damaged", [b"", b"short", bytes(64)])
def test_a_damaged_key_is_replaced_by_a_whole_one_that_every_process_then_uses(tmp_path, damaged):
    from briefgen.cache import user_key

    path = tmp_path / "xdg" / "briefgen" / "cache.key"
    path.parent.mkdir(parents=True)
    path.write_bytes(damaged)
    made = _keys_made_together(6)
    assert made == {path.read_bytes()}
    assert len(path.read_bytes()) == 32
    assert user_key() == path.read_bytes()
    assert not list(path.parent.glob(".key-*"))  # no temporary left


def _keys_made_together(count: int) -> set[bytes]:
    """The keys `count` processes got from user_key, all asking at once."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(count)
    queue = context.Queue()
    processes = [context.Process(target=_make_key, args=(barrier, queue)) for _ in range(count)]
    for process in processes:
        process.start()
    made = {queue.get(timeout=60) for _ in processes}
    for process in processes:
        process.join(30)
    return made


def _make_key(barrier, queue) -> None:
    from briefgen.cache import user_key

    barrier.wait(30)  # all at once: none finds a key
    queue.put(user_key())


def _rglob_digest(package: Path) -> str:
    """What the software digest was before it walked with os.scandir (the reference)."""
    import hashlib

    from briefgen import __version__
    from briefgen.cache import _installed_distributions

    digest = hashlib.sha256(f"{__version__}\n{sys.version}\n".encode())
    digest.update(_installed_distributions().encode())  # tested on its own below
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        st = path.stat()
        digest.update(f"{path.relative_to(package).as_posix()}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def test_the_software_digest_follows_every_file_of_the_package_but_compiled_code(tmp_path, monkeypatch):
    from briefgen import cache

    package = tmp_path / "briefgen"
    files = ("__init__.py", "a.py", "templates/base.html.j2", "themes/default/theme.yaml", "z/y/x.txt")
    for relative in files:
        (package / relative).parent.mkdir(parents=True, exist_ok=True)
        (package / relative).write_text(relative, encoding="utf-8")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"compiled")
    monkeypatch.setattr(cache, "_PACKAGE", package)
    seen = [cache._software_digest()]
    assert seen[0] == _rglob_digest(package)  # the real package is compared below
    (package / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"compiled again")
    assert cache._software_digest() == seen[0]
    for change in (
        lambda: (package / "z" / "y" / "x.txt").write_text("edited!", encoding="utf-8"),
        lambda: os.utime(package / "a.py", ns=(1, 1)),
        lambda: (package / "templates" / "new.html.j2").write_text("", encoding="utf-8"),
        lambda: (package / "themes" / "default" / "theme.yaml").unlink(),
    ):
        change()
        seen.append(cache._software_digest())
        assert seen[-1] == _rglob_digest(package)
    assert len(set(seen)) == len(seen)


def test_the_software_digest_of_the_installed_package_is_the_reference_one():
    from briefgen import cache

    assert cache._software_digest() == _rglob_digest(cache._PACKAGE)


def test_the_software_digest_follows_the_installed_distributions(tmp_path, monkeypatch):
    # An upgrade of WeasyPrint or python-docx alone changes what is written: nothing kept
    # from before it is up to date.
    from importlib.metadata import distributions

    from briefgen import cache

    def normalized(name: str) -> str:  # PEP 503, with the underscore of folder names
        return re.sub(r"[-_.]+", "_", name).lower()

    installed = {normalized(d.metadata["Name"]) for d in distributions()}
    listed = {normalized(line.split("-")[0]) for line in cache._installed_distributions().splitlines()}
    assert {"weasyprint", "python_docx", "jinja2", "pydantic"} <= listed <= installed

    site = tmp_path / "venv" / "lib" / "site-packages"
    (site / "weasyprint-70.0.dist-info").mkdir(parents=True)
    (site / "weasyprint").mkdir()
    elsewhere = tmp_path / "src"
    (elsewhere / "other-1.0.dist-info").mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [str(elsewhere), str(site), str(tmp_path / "gone" / "site-packages")])
    seen = [cache._software_digest()]
    assert cache._installed_distributions() == "weasyprint-70.0.dist-info\n"
    (site / "weasyprint" / "new_module.py").write_text("", encoding="utf-8")  # not a version
    (elsewhere / "other-2.0.dist-info").mkdir()  # not a site-packages folder
    assert cache._software_digest() == seen[0]
    (site / "weasyprint-70.0.dist-info").rename(site / "weasyprint-71.0.dist-info")
    seen.append(cache._software_digest())
    (site / "pydyf-0.11.0.dist-info").mkdir()
    seen.append(cache._software_digest())
    assert len(set(seen)) == 3
