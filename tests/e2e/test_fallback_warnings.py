"""A localized field without the output's language is reported for the outputs that print
it (worker.py, jobs.fallback_warnings), not for every output whose view holds it."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner
from conftest import PROJECTS

from briefgen.build import BuildOptions, build_project
from briefgen.cli import main
from briefgen.diagnostics import ProjectError
from briefgen.pofile import read_po

pytestmark = pytest.mark.slow

UNTRANSLATED = "timeline[1].text has no 'fr' text"


@pytest.fixture()
def project(tmp_path):
    """The small fixture in English and French, every text translated (translate export and
    import, as a translator would) but one timeline entry, written in English only: the case
    dossier prints timelines, the policy brief does not."""
    target = tmp_path / "small"
    shutil.copytree(PROJECTS / "small", target)
    settings = target / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace(
        "    audiences: [public-readers]\n", "    audiences: [public-readers]\n    languages: [en, fr]\n"
    )
    settings.write_text(text, encoding="utf-8")
    items = target / "content" / "items.yaml"
    text = items.read_text(encoding="utf-8")
    assert "        text: Arrested in the capital.\n" in text
    items.write_text(
        text.replace(
            "        text: Arrested in the capital.\n", "        text: {en: Arrested in the capital.}\n"
        ),
        encoding="utf-8",
    )
    _translate_all_but_the_entry(target, tmp_path / "fr.po")
    return target


def _translate_all_but_the_entry(root, po):
    runner = CliRunner()
    exported = runner.invoke(main, ["translate", "export", str(root), "--lang", "fr", "-o", str(po)])
    assert exported.exit_code == 0, exported.output
    text = po.read_text(encoding="utf-8")
    lines = text.split("\n")
    for message in read_po(text.encode()).messages:
        prose = ", markdown" in " ".join(message.auto_comments)  # the export's "what it is" line
        if prose and message.msgctxt != "cases/aliyev-case/timeline/1/text" and not message.msgstr:
            # The text itself, as its French: citations and footnotes kept, as a translator
            # must. Prose only: a plain name or title is the same in every language.
            escaped = message.msgid.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            lines[message.msgstr_line - 1] = f'msgstr "{escaped}"'
    po.write_text("\n".join(lines), encoding="utf-8")
    imported = runner.invoke(main, ["translate", "import", str(root), str(po)])
    assert imported.exit_code == 0, imported.output


def _untranslated(report) -> list[str]:
    return [str(d) for d in report.diagnostics if UNTRANSLATED in str(d)]


def test_only_an_output_that_prints_the_field_reports_it(project, tmp_path):
    brief_only = build_project(
        project, BuildOptions(out=tmp_path / "brief", briefs=["small-brief"], formats=["html"], jobs=1)
    )
    assert not _untranslated(brief_only)
    with_dossier = build_project(
        project,
        BuildOptions(out=tmp_path / "all", briefs=["small-brief", "small-dossier"], formats=["html"], jobs=1),
    )
    found = _untranslated(with_dossier)
    assert len(found) == 1 and "items.yaml" in found[0]
    assert "Arrested in the capital" in (
        tmp_path / "all/small-dossier/small-dossier.public-readers.fr.html"
    ).read_text(encoding="utf-8")


def test_the_warning_is_said_again_while_the_output_is_up_to_date(project, tmp_path):
    options = BuildOptions(out=tmp_path / "out", briefs=["small-dossier"], formats=["html"], jobs=1)
    build_project(project, options)
    again = build_project(project, options)
    assert again.outputs == [] and again.skipped == 2
    assert len(_untranslated(again)) == 1


def test_strict_fails_only_for_a_printed_field(project, tmp_path):
    build_project(
        project,
        BuildOptions(out=tmp_path / "brief", briefs=["small-brief"], formats=["html"], jobs=1, strict=True),
    )
    with pytest.raises(ProjectError) as caught:
        build_project(
            project,
            BuildOptions(
                out=tmp_path / "dossier", briefs=["small-dossier"], formats=["html"], jobs=1, strict=True
            ),
        )
    assert any(UNTRANSLATED in str(d) for d in caught.value.diagnostics)
    assert not list((tmp_path / "dossier").rglob("*.html"))


# With the cache, the changed file makes the workers start early, and they find the outputs
# up to date themselves (worker.unchanged_outcome); without it, the main process does.
@pytest.mark.parametrize("cache", [False, True])
def test_an_up_to_date_output_says_the_warning_at_the_fields_place_today(project, tmp_path, cache):
    """Lines moved above the field (a comment added) leave the output up to date: the
    warning it printed is said again at the line the field is on now."""
    options = BuildOptions(
        out=tmp_path / "out", briefs=["small-dossier"], formats=["html"], jobs=1, cache=cache
    )
    first = _untranslated(build_project(project, options))
    items = project / "content" / "items.yaml"
    items.write_text("# one\n# two\n" + items.read_text(encoding="utf-8"), encoding="utf-8")
    again = build_project(project, options)
    assert again.outputs == [] and again.skipped == 2
    fresh = _untranslated(build_project(project, BuildOptions(out=tmp_path / "fresh", **_narrow(options))))
    assert _untranslated(again) == fresh != first


def _narrow(options: BuildOptions) -> dict:
    return {"briefs": options.briefs, "formats": options.formats, "jobs": 1}


def test_a_list_printed_in_part_is_reported(project, tmp_path):
    """A localized list (a brief's key messages) counts as printed when any item is."""
    settings = project / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8")
    # The fixture's translated key message, back to a localized list without French.
    old = re.search(r"    key_messages:\n      - .*\n(?:        .*\n)*", text)
    assert old is not None and "Key message one" in old.group()
    settings.write_text(
        text.replace(old.group(), "    key_messages:\n      en: [Key message one about **detention**.]\n"),
        encoding="utf-8",
    )
    report = build_project(
        project, BuildOptions(out=tmp_path / "out", briefs=["small-brief"], formats=["html"], jobs=1)
    )
    assert any("key_messages has no 'fr' text" in str(d) for d in report.diagnostics)
