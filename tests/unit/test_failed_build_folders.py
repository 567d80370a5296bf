"""A failed build leaves no empty brief folder it made (build._remove_new_empty_folders); the
leak test in tests/security/test_security_percent_encoded.py checks it in a real build."""

from __future__ import annotations

from briefgen.build import _folders, _remove_new_empty_folders


def test_only_the_empty_folders_the_build_made_are_removed(tmp_path):
    out = tmp_path / "out"
    (out / "kept-empty").mkdir(parents=True)
    existed = _folders(out)
    (out / "made-empty").mkdir()
    (out / "made-full").mkdir()
    (out / "made-full" / "x.pdf").write_bytes(b"x")
    _remove_new_empty_folders(out, existed)
    assert sorted(p.name for p in out.iterdir()) == ["kept-empty", "made-full"]
    # When the output folder is new, every empty folder in it is the build's (the output
    # folder itself is build_project's to remove: tests/e2e/test_concurrent_builds.py).
    _remove_new_empty_folders(out, None)
    assert out.is_dir() and sorted(p.name for p in out.iterdir()) == ["made-full"]
