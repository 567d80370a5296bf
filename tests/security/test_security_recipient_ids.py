"""A personalised copy's own id is no leak of another recipient whose id it begins with."""

from __future__ import annotations

from conftest import build, copy_project


def test_an_html_copy_named_after_an_id_that_extends_another(tmp_path):
    # `jana-member-2`'s HTML links its `jana-member-2_files/` folder; `jana-member` (another
    # recipient, removed from this copy) is a prefix of that name and must not count as leaked.
    project = copy_project("letters", tmp_path)
    content = project / "content" / "content.yaml"
    text = content.read_text(encoding="utf-8")
    twin = (
        "  - id: jana-member-2\n    name: Karin Second\n"
        "    title: {en: Member of the Fixture Parliament}\n"
        "    organisation: fixture-parliament\n    language: en\n"
    )
    content.write_text(text.replace("  - id: pavel-deputatov\n", twin + "  - id: pavel-deputatov\n"), "utf-8")
    out = tmp_path / "out"
    manifest = build(project, out, jobs=1, briefs=["appeal"], formats=["html"])
    copies = {e["recipient"]: e["path"] for e in manifest["outputs"]}
    assert "jana-member-2" in copies and "jana-member" in copies
    second = (out / copies["jana-member-2"]).read_text(encoding="utf-8")
    assert "jana-member-2_files/" in second and "Karin Second" in second
    assert "Jana Member" not in second
