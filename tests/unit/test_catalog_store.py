"""Built-in label catalogs compiled once and kept in the project's cache (catalogcache.py)."""

from __future__ import annotations

import pytest

from briefgen import labels
from briefgen.cache import ContentCache
from briefgen.catalogcache import COMPILED_CATALOGS, KIND, CatalogStore
from briefgen.labels import _builtin_template, _translations, builtin_catalog, builtin_languages, translations


@pytest.fixture(autouse=True)
def own_key(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))


@pytest.fixture
def fresh_process(monkeypatch):
    """A new process: no catalog compiled in memory yet."""
    monkeypatch.setattr(COMPILED_CATALOGS, "_memory", {})
    yield
    COMPILED_CATALOGS.keep_on_disk(None)


@pytest.fixture
def po_reads(monkeypatch) -> list[str]:
    """The .po files Babel reads (builtin_catalog's own memory emptied first)."""
    builtin_catalog.cache_clear()
    labels._read_catalog.cache_clear()
    read: list[str] = []
    read_po = labels.read_po

    def counting(handle, *args, **kwargs):
        read.append(handle.name)
        return read_po(handle, *args, **kwargs)

    monkeypatch.setattr(labels, "read_po", counting)
    yield read
    builtin_catalog.cache_clear()
    labels._read_catalog.cache_clear()


def project_dir(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir(exist_ok=True)
    return folder


def labels_of(chain) -> list[str]:
    msgids = [m.id for m in _builtin_template() if m.id]
    return [chain.ungettext(*m[:2], 2) if isinstance(m, tuple) else chain.ugettext(m) for m in msgids] + [
        chain.pgettext("case", "Status")
    ]


@pytest.mark.parametrize("language", ["en", "ru", "fr", "az", "pt-BR"])
def test_the_chain_gives_what_the_parsed_catalog_gives(tmp_path, fresh_process, language):
    code = language if language in builtin_languages() else language.split("-")[0]
    assert code in builtin_languages()
    COMPILED_CATALOGS.keep_on_disk(ContentCache(project_dir(tmp_path)))
    stored = labels_of(translations(language))  # compiled and stored
    COMPILED_CATALOGS._memory.clear()
    assert labels_of(translations(language)) == stored  # read back from the store
    assert stored == labels_of(_translations(builtin_catalog(code)))


def test_a_new_process_reads_no_po_file(tmp_path, fresh_process, po_reads):
    cache = ContentCache(project_dir(tmp_path))
    COMPILED_CATALOGS.keep_on_disk(cache)
    first = labels_of(translations("ru"))
    assert [p.rsplit("/", 3)[-3] for p in po_reads] == ["ru"]
    assert len(list((cache.folder / KIND).iterdir())) == 1

    COMPILED_CATALOGS._memory.clear()
    builtin_catalog.cache_clear()
    labels._read_catalog.cache_clear()
    po_reads.clear()
    assert labels_of(translations("ru")) == first
    assert po_reads == []


def test_without_a_store_each_process_compiles_its_own(tmp_path, fresh_process, po_reads):
    COMPILED_CATALOGS.keep_on_disk(None)  # --no-cache
    translations("fr")
    translations("fr")
    assert len(po_reads) == 1  # once per process


def test_an_edited_or_damaged_catalog_is_compiled_afresh(tmp_path):
    store = CatalogStore()
    cache = ContentCache(project_dir(tmp_path))
    store.keep_on_disk(cache)
    po = tmp_path / "x.po"
    po.write_bytes(b"one")
    compiled: list[bytes] = []

    def compile_catalog() -> bytes:
        compiled.append(po.read_bytes())
        return b"MO " + po.read_bytes()

    assert store.mo_bytes(po, "x", compile_catalog) == b"MO one"
    assert store.mo_bytes(po, "x", compile_catalog) == b"MO one"
    po.write_bytes(b"second")  # another size: in memory, a catalog is known by its stat
    assert store.mo_bytes(po, "x", compile_catalog) == b"MO second"
    assert compiled == [b"one", b"second"]

    # Another process, the entries damaged: compiled again, never the damaged bytes used.
    for entry in (cache.folder / KIND).iterdir():
        entry.write_bytes(entry.read_bytes()[:-3] + b"bad")
    again = CatalogStore()
    again.keep_on_disk(cache)
    assert again.mo_bytes(po, "x", compile_catalog) == b"MO second"
    assert compiled == [b"one", b"second", b"second"]
    # A catalog that cannot be read is not kept.
    assert again.mo_bytes(tmp_path / "none.po", "x", lambda: None) is None


def test_kept_in_is_undone_after_the_build(tmp_path):
    cache = ContentCache(project_dir(tmp_path))
    with COMPILED_CATALOGS.kept_in(cache):
        assert COMPILED_CATALOGS._cache is cache
    assert COMPILED_CATALOGS._cache is None
