"""translate export / import / status: the translator's round trip, and what it must refuse.

The round trip runs on a copy of the repository's own project: export a language, fill
every msgstr, import, and compare the YAML files line by line with what they were (only
translated values may change; comments and quoting stay), then build the new language.
Clearance uses the canary fixture. Broken translations use tests/fixtures/projects/translate,
which holds every YAML style, citations, a footnote, a placeholder and links.
"""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PROJECTS, build, copy_repository_project, pdf_text, words

from briefgen.cli import main
from briefgen.load import load_project
from briefgen.pofile import read_po
from briefgen.yamledit import YamlDocument, write_documents
from briefgen.yamlsource import read_yaml

FIXTURE = PROJECTS / "translate"
CANARIES = PROJECTS / "canaries"


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def yaml_files(root: Path) -> dict[str, bytes]:
    files = [root / "briefgen.yaml", *sorted((root / "content").rglob("*.yaml"))]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files}


def fill(po: Path, translate) -> Path:
    """Fill every msgstr of `po` with translate(msgid), as a CAT tool would (in place)."""
    text = po.read_text(encoding="utf-8")
    catalog = read_po(text.encode())
    lines = text.split("\n")
    out, index = [], 0
    by_line = {m.msgstr_line: m for m in catalog.messages}
    while index < len(lines):
        line = lines[index]
        message = by_line.get(index + 1)
        if message is None:
            out.append(line)
            index += 1
            continue
        out.append("msgstr " + _quote(translate(message.msgid)))
        index += 1
        while index < len(lines) and lines[index].startswith('"'):
            index += 1  # the old msgstr's continuation lines
    po.write_text("\n".join(out), encoding="utf-8")
    return po


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def data_at(data, context: str):
    for part in context.split("/"):
        if isinstance(data, list):
            data = data[int(part)] if part.isdigit() else next(i for i in data if i.get("id") == part)
        else:
            data = data[part]
    return data


# ---------------------------------------------------------------- the round trip


def test_round_trip_changes_only_the_translated_values(tmp_path):
    root = copy_repository_project(tmp_path)
    before = yaml_files(root)
    po = tmp_path / "de.po"
    result = cli("translate", "export", str(root), "--lang", "de", "-o", str(po))
    assert result.exit_code == 0, result.output
    exported = read_po(po.read_bytes()).messages
    assert len(exported) > 100
    assert all(m.msgctxt and m.references and m.auto_comments for m in exported)
    assert "cases/emin-huseynov-case/summary" in {m.msgctxt for m in exported}

    fill(po, lambda msgid: "DE " + msgid)
    result = cli("translate", "import", str(root), str(po))
    assert result.exit_code == 0, result.output
    after = yaml_files(root)

    # 1. The data: every exported value gained its `de` text, and nothing else changed.
    expected = {name: read_yaml(name, raw).root.data() for name, raw in before.items()}
    for message in exported:
        file = message.references[0].rsplit(":", 1)[0]
        path = message.msgctxt.split("/")
        parent = data_at(expected[file], "/".join(path[:-1]))
        key = int(path[-1]) if path[-1].isdigit() else path[-1]
        value = parent[key]
        parent[key] = {**(value if isinstance(value, dict) else {"en": value}), "de": "DE " + message.msgid}
    for name, raw in after.items():
        assert read_yaml(name, raw).root.data() == expected[name], name

    # 2. The text: no line is deleted; comments stay in order; a replaced line only moves
    #    its value under `en:` (with its quoting and any comment at its end), or, written as
    #    a one-line `{en: ..., fr: ...}`, gains the new language before its closing brace.
    for name in before:
        old, new = before[name].decode().split("\n"), after[name].decode().split("\n")
        assert [ln for ln in old if ln.lstrip().startswith("#")] == [
            ln for ln in new if ln.lstrip().startswith("#")
        ], name
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            assert tag != "delete", (name, old[i1:i2])
            if tag == "replace":
                for line in old[i1:i2]:
                    value = line.split(": ", 1)[1] if ": " in line else line.strip()
                    after_it = new[j1:j2]
                    grew = line.endswith("}") and any(n.startswith(line[:-1] + ", de: ") for n in after_it)
                    assert grew or any(n.strip().endswith(value) for n in after_it), (name, line, after_it)

    # 3. Importing the same file again changes nothing.
    result = cli("translate", "import", str(root), str(po))
    assert result.exit_code == 0, result.output
    assert "0 translation(s) written (no file)" in result.output
    assert yaml_files(root) == after
    # and the export now carries the translations as msgstr
    again = {m.msgctxt: m.msgstr for m in read_po(_export(root, "de")).messages}
    assert all(again[m.msgctxt] == "DE " + m.msgid for m in exported)


def _export(root: Path, language: str, *extra: str) -> bytes:
    result = CliRunner().invoke(main, ["translate", "export", str(root), "--lang", language, *extra])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.mark.slow
def test_round_trip_builds_the_new_language(tmp_path):
    root = copy_repository_project(tmp_path)
    po = tmp_path / "de.po"
    cli("translate", "export", str(root), "--lang", "de", "-o", str(po))
    fill(po, lambda msgid: "Deutsch " + msgid)
    assert cli("translate", "import", str(root), str(po)).exit_code == 0
    settings = YamlDocument.read(root / "briefgen.yaml")
    settings.append_item(("briefs", "justice-behind-bars-event", "languages"), "de")
    write_documents([(root / "briefgen.yaml", settings)])
    assert load_project(root).model is not None
    manifest = build(
        root, tmp_path / "out", briefs=["justice-behind-bars-event"], audiences=["eu-policymakers"],
        languages=["de"], formats=["pdf", "html"], jobs=1,
    )  # fmt: skip
    outputs = {o["format"]: tmp_path / "out" / o["path"] for o in manifest["outputs"]}
    text = words(pdf_text(outputs["pdf"]))
    html = outputs["html"].read_text(encoding="utf-8")
    for expected in (
        "Deutsch Summary of the expert discussion of 19 January 2016",
        "Deutsch expert discussion",
        "Deutsch Media freedom advocate",
    ):
        assert words(expected) in text, expected
        assert expected in html, expected


# ---------------------------------------------------------------- clearance


TRANSLATABLE_CANARIES = {
    "internal": ["CANARY-NOTE-INT-7f3a", "CANARY-TIMELINE-INT-4c8b", "CANARY-INTPERSON-1a9e",
                 "CANARY-RECINT-9f3c", "CANARY-RTITLE-ONE-8c2f", "CANARY-SALUTE-ONE-1d4b"],
    "confidential": ["CANARY-NOTE-CONF-0b6d", "CANARY-TIMELINE-CONF-e5f1", "CANARY-CASETITLE-8e2a",
                     "CANARY-CASESUMMARY-6d0c", "CANARY-CHARGE-2a7f", "CANARY-PERSON-2b7e", "CANARY-BIO-61f0",
                     "CANARY-AFFROLE-7d2c", "CANARY-SPEAKERROLE-4e7a", "CANARY-ALT-c3d5", "CANARY-ORG-9c1d",
                     "CANARY-ORGSHORT-0e4b", "CANARY-ORGDESC-5a6c", "CANARY-SOURCE-b2e9", "CANARY-REC-a4b8"],
}  # fmt: skip


def test_default_export_holds_no_text_above_public():
    exported = _export(CANARIES, "fr").decode()
    assert "msgctxt" in exported  # the public texts are there
    assert "CANARY-" not in exported  # (brief ids are lower case: canary-dossier)
    fixture = _export(FIXTURE, "fr").decode()
    assert "CANARY-" not in fixture and "secret-case" not in fixture
    assert "recipients/" not in fixture  # recipients are internal by default


def test_clearance_levels_bound_the_export():
    internal = _export(CANARIES, "fr", "--clearance", "internal").decode()
    confidential = _export(CANARIES, "fr", "--clearance", "confidential").decode()
    for canary in TRANSLATABLE_CANARIES["internal"]:
        assert canary in internal and canary in confidential, canary
    for canary in TRANSLATABLE_CANARIES["confidential"]:
        assert canary not in internal, canary
        assert canary in confidential, canary  # positive control: the export can see it


def test_usage_errors():
    assert cli("translate", "export", str(FIXTURE), "--lang", "en").exit_code == 2
    assert cli("translate", "export", str(FIXTURE), "--lang", "fr", "--brief", "nope").exit_code == 2
    assert cli("translate", "export", str(FIXTURE), "--lang", "fr", "--clearance", "secret").exit_code == 2


# ---------------------------------------------------------------- broken translations


@pytest.fixture
def fixture_copy(tmp_path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "translate"))


def _po_with(tmp_path: Path, root: Path, changes: dict[str, str]) -> tuple[Path, dict[str, int]]:
    """An export of `root` to fr where every msgstr is 'FR ' + msgid, except `changes`
    (msgctxt -> msgstr); returns the file and the msgstr line of each msgctxt."""
    po = tmp_path / "fr.po"
    po.write_bytes(_export(root, "fr"))
    catalog = read_po(po.read_bytes())
    by_id = {m.msgid: m.msgctxt for m in catalog.messages}
    fill(po, lambda msgid: changes.get(by_id[msgid], "FR " + msgid))
    lines = {m.msgctxt: m.msgstr_line for m in read_po(po.read_bytes()).messages}
    return po, lines


BROKEN = {
    "lost citation": (
        "briefs/translated-brief/key_messages/0",
        "FR Botschaft über **Haft**.",
        "lost the citation [@rights-report, p. 12]",
    ),
    "changed citation locator": (
        "cases/ana-case/summary",
        "FR Ana Example a été arrêtée après le rapport [@rights-report, p. 8].\n",
        "citation [@rights-report, p. 7] was changed to [@rights-report, p. 8]",
    ),
    "changed placeholder": (
        "briefs/translated-brief/covering_note",
        "Chère {recipient.nom}, ce document est pour vous.",
        "placeholder {recipient.name} was changed to {recipient.nom}",
    ),
    "wrong link": (
        "briefs/translated-brief/intro",
        "Une introduction [@rights-report, p. 3] et une note.[^1]\n"
        "Voir [le rapport](https://example.org/rapport) et <https://example.org/data>.\n\n"
        "[^1]: Une note avec *emphase*.",
        "link target https://example.org/report was changed to https://example.org/rapport",
    ),
    "lost footnote": (
        "briefs/translated-brief/intro",
        "Une introduction [@rights-report, p. 3] et une note.\n"
        "Voir [le rapport](https://example.org/report) et <https://example.org/data>.",
        "lost the footnote [^1], [^1]",
    ),
    "line break in a one-line field": (
        "people/ana-example/affiliations/0/role",
        "Avocate\net juriste",
        "single line",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_translation_is_an_error_at_its_line_and_nothing_is_written(tmp_path, fixture_copy, case):
    context, translation, message = BROKEN[case]
    before = yaml_files(fixture_copy)
    po, lines = _po_with(tmp_path, fixture_copy, {context: translation})
    result = cli("translate", "import", str(fixture_copy), str(po))
    assert result.exit_code == 1, result.output
    assert f"{po}:{lines[context]}:1: {context}: " in result.output
    assert message in result.output
    assert "nothing was written" in result.output
    assert "Traceback" not in result.output
    assert yaml_files(fixture_copy) == before


def test_a_malformed_po_file_is_an_error_at_its_line(tmp_path, fixture_copy):
    before = yaml_files(fixture_copy)
    po, lines = _po_with(tmp_path, fixture_copy, {})
    text = po.read_text().split("\n")
    broken_line = lines["cases/ana-case/timeline/0/text"]
    text[broken_line - 1] = 'msgstr "FR Arrêtée chez elle : sans mandat.'  # no closing quote
    po.write_text("\n".join(text))
    result = cli("translate", "import", str(fixture_copy), str(po))
    assert result.exit_code == 1
    assert f"{po}:{broken_line}:8: the string is not closed" in result.output
    assert yaml_files(fixture_copy) == before


def test_a_po_without_language_is_refused(tmp_path, fixture_copy):
    po, _ = _po_with(tmp_path, fixture_copy, {})
    po.write_text(re.sub(r'"Language: fr\\n"\n', "", po.read_text()))
    result = cli("translate", "import", str(fixture_copy), str(po))
    assert result.exit_code == 1 and "no 'Language:' header" in result.output


@pytest.mark.parametrize("code", ["fr: x", "../x"])
def test_a_po_whose_language_is_not_a_code_is_refused(tmp_path, fixture_copy, code):
    # The language becomes a key in the content files: "fr: x" was written there as one.
    po, _ = _po_with(tmp_path, fixture_copy, {})
    po.write_text(po.read_text().replace('"Language: fr\\n"', f'"Language: {code}\\n"'))
    before = yaml_files(fixture_copy)
    result = cli("translate", "import", str(fixture_copy), str(po))
    assert result.exit_code == 1, result.output
    assert f"the PO file's 'Language:' header says '{code}', which is not a language code" in result.output
    assert yaml_files(fixture_copy) == before


def test_a_changed_source_is_reported_not_applied(tmp_path, fixture_copy):
    po, _ = _po_with(tmp_path, fixture_copy, {})
    items = fixture_copy / "content" / "items.yaml"
    items.write_text(items.read_text().replace("Placed in pre-trial detention.", "Placed in detention."))
    result = cli("translate", "import", str(fixture_copy), str(po))
    assert result.exit_code == 0, result.output
    assert (
        "the source text of cases/ana-case/timeline/1/text has changed since the export; not applied"
        in result.output
    )
    data = read_yaml("items", items.read_bytes()).root.data()
    case = data["cases"][0]
    assert case["timeline"][1]["text"] == "Placed in detention."  # untouched
    assert case["timeline"][0]["text"] == {
        "en": "Arrested at home: no warrant was shown.",
        "fr": "FR Arrested at home: no warrant was shown.",
    }


def test_fixture_round_trip_keeps_every_style(tmp_path, fixture_copy):
    po, _ = _po_with(tmp_path, fixture_copy, {})
    assert cli("translate", "import", str(fixture_copy), str(po)).exit_code == 0
    text = (fixture_copy / "content" / "items.yaml").read_text()
    assert (
        "    name: {en: Example Parliament, de: Beispielparlament, fr: FR Example Parliament}"
        "   # flow mapping\n" in text
    )
    assert "        role:\n          en: Lawyer   # a plain role\n          fr: FR Lawyer\n" in text
    assert '        text:\n          en: "Arrested at home: no warrant was shown."\n' in text
    assert (
        "          en: 'Arbitrary detention: no court reviewed it.'\n"
        "          fr: 'FR Arbitrary detention: no court reviewed it.'\n" in text
    )
    assert "    # The summary is a folded block.\n    summary:\n      en: >\n" in text
    settings = (fixture_copy / "briefgen.yaml").read_text()
    assert "    subtitle:\n      en: 'A brief for the ''Examplestan'' hearing'\n" in settings
    assert (
        "    name:\n      en: General readers   # shown on the cover\n      fr: FR General readers\n"
        in settings
    )
    assert load_project(fixture_copy).model is not None


# ---------------------------------------------------------------- status


def test_status_reports_coverage_and_fails_under_a_threshold(tmp_path, fixture_copy):
    result = cli("translate", "status", str(fixture_copy))
    assert result.exit_code == 0
    first = result.output.splitlines()[0]
    assert first.startswith("translated-brief  de  ")
    percent = float(re.search(r"(\d+\.\d)% translated", first).group(1))
    assert 0 < percent < 50  # only the flow-mapping texts have German
    assert "content/items.yaml:" in result.output and "cases/ana-case/summary" in result.output
    assert "organisations/parliament/name" not in result.output  # it has German
    assert cli("translate", "status", str(fixture_copy), "--fail-under", "90").exit_code == 1
    assert cli("translate", "status", str(fixture_copy), "--fail-under", "1").exit_code == 0
    narrowed = cli("translate", "status", str(fixture_copy), "--lang", "fr", "--fail-under", "90")
    assert narrowed.exit_code == 0 and "nothing to translate" in narrowed.output  # no brief builds fr
    assert cli("translate", "status", str(fixture_copy), "--brief", "nope").exit_code == 2

    po = tmp_path / "de.po"
    po.write_bytes(_export(fixture_copy, "de", "--clearance", "internal"))
    fill(po, lambda msgid: "DE " + msgid)
    assert cli("translate", "import", str(fixture_copy), str(po)).exit_code == 0
    result = cli("translate", "status", str(fixture_copy), "--fail-under", "100")
    assert result.exit_code == 0, result.output
    assert "100.0% translated" in result.output and "0 value(s) fall back" in result.output


def test_a_regional_language_code_from_a_cat_tool_goes_to_the_language_the_briefs_use(tmp_path, fixture_copy):
    po = tmp_path / "de.po"
    po.write_bytes(_export(fixture_copy, "de").replace(b'"Language: de\\n"', b'"Language: de_DE\\n"'))
    assert b"de_DE" in po.read_bytes()
    fill(po, lambda msgid: "DE " + msgid)
    result = cli("translate", "import", str(fixture_copy), str(po))
    assert result.exit_code == 0, result.output
    data = read_yaml("items", (fixture_copy / "content" / "items.yaml").read_bytes()).root.data()
    assert data["recommendations"][0]["text"]["de"].startswith("DE Release Ana Example")


def test_an_entry_the_project_no_longer_has_is_a_warning(tmp_path, fixture_copy):
    po, _ = _po_with(tmp_path, fixture_copy, {})
    po.write_text(
        po.read_text().replace(
            'msgctxt "cases/ana-case/timeline/0/text"', 'msgctxt "cases/gone-case/summary"'
        )
    )
    result = cli("translate", "import", str(fixture_copy), str(po))
    assert result.exit_code == 0
    assert "'cases/gone-case/summary' is not a translatable text of the project" in result.output
    assert "not applied" in result.output and "1 not applied" in result.output


def test_a_localized_list_gets_the_translations_as_its_own_list(tmp_path, fixture_copy):
    settings = fixture_copy / "briefgen.yaml"
    text = settings.read_text()
    old = text[text.index("    key_messages:\n") : text.index("    intro: |-")]
    settings.write_text(
        text.replace(
            old,
            "    key_messages:   # one list per language\n"
            "      en:\n        - First message [@rights-report, p. 12].\n        - Second message.\n"
            "      de:\n        - Nur eine Botschaft auf Deutsch.\n",
        )
    )
    assert load_project(fixture_copy).model is not None
    po, _ = _po_with(tmp_path, fixture_copy, {})
    exported = {m.msgctxt: m for m in read_po(po.read_bytes()).messages}
    assert (
        exported["briefs/translated-brief/key_messages/0"].msgid == "First message [@rights-report, p. 12]."
    )
    assert exported["briefs/translated-brief/key_messages/1"].msgid == "Second message."
    assert "briefs/translated-brief/key_messages/2" not in exported
    result = cli("translate", "import", str(fixture_copy), str(po))
    assert result.exit_code == 0, result.output
    assert settings.read_text().count(
        "      de:\n        - Nur eine Botschaft auf Deutsch.\n"
        "      fr:\n        - FR First message [@rights-report, p. 12].\n        - FR Second message.\n"
    )
    before = settings.read_bytes()
    assert cli("translate", "import", str(fixture_copy), str(po)).exit_code == 0
    assert settings.read_bytes() == before
    again = {m.msgctxt: m.msgstr for m in read_po(_export(fixture_copy, "fr")).messages}
    assert again["briefs/translated-brief/key_messages/1"] == "FR Second message."
    # German has one entry where English has two: the export asks for the second.
    de = {m.msgctxt: m.msgstr for m in read_po(_export(fixture_copy, "de")).messages}
    assert de["briefs/translated-brief/key_messages/0"] == "Nur eine Botschaft auf Deutsch."
    assert de["briefs/translated-brief/key_messages/1"] == ""


def test_an_audiences_marking_is_exported_and_imported(tmp_path, fixture_copy):
    # The marking is printed on the cover and every page, and --strict wants it in every
    # language; the export left it out, so no translator could ever supply it.
    settings = fixture_copy / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("    clearance: public\n", "    clearance: public\n    marking: For readers\n", 1)
    )
    po = tmp_path / "de.po"
    po.write_bytes(_export(fixture_copy, "de"))
    (marking,) = [m for m in read_po(po.read_bytes()).messages if m.msgctxt == "audiences/readers/marking"]
    assert marking.msgid == "For readers"
    fill(po, lambda msgid: "Für Leser" if msgid == "For readers" else "")
    assert cli("translate", "import", str(fixture_copy), str(po)).exit_code == 0
    model = load_project(fixture_copy).model
    (readers,) = [a for a in model.project.audiences if a.id == "readers"]
    assert readers.marking == {"en": "For readers", "de": "Für Leser"}
