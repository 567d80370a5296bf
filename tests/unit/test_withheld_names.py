"""withheldnames: the name of a person or contact withheld from an audience, written into a
text that audience reads, is a warning at that text's line (an error with --strict)."""

from __future__ import annotations

import subprocess
import sys

from conftest import copy_project

from briefgen.load import load_project

WITNESS = """
  - id: witness-m
    name: Mikalai Sviryd
    also_known_as: [Nikolai Svirid]
    sensitivity: confidential
"""
CONTACT = """    contacts:
      - {name: Vera Sviryd, role: mother}
"""


def project(tmp_path, summary: str, *, witness: str = WITNESS, clearance: str = "public", extra: str = ""):
    root = copy_project("small", tmp_path)
    items = root / "content" / "items.yaml"
    text = items.read_text(encoding="utf-8")
    text = text.replace("\npeople:\n", "\npeople:" + witness, 1)
    old = "    summary: Rəşad Əliyev was arrested for his reporting.[@test-report]\n"
    assert old in text
    text = text.replace(old, f"    summary: {summary}\n{CONTACT}{extra}", 1)
    items.write_text(text, encoding="utf-8")
    settings = root / "briefgen.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("clearance: public", f"clearance: {clearance}"),
        encoding="utf-8",
    )
    return root


def name_warnings(root):
    result = load_project(root, None)
    assert result.model is not None, [str(d) for d in result.diagnostics]
    return [d for d in result.diagnostics if "writes out" in d.message]


def line_of(root, fragment: str) -> int:
    lines = (root / "content" / "items.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if fragment in line)


def test_a_withheld_persons_name_in_a_public_summary_is_reported_at_the_summary(tmp_path):
    root = project(tmp_path, "Arrested for a donation to a fund run by mikalai  SVIRYD.")
    (found,) = name_warnings(root)
    assert found.location.path == "content/items.yaml"
    assert found.location.line == line_of(root, "fund run by")
    assert "cases 'aliyev-case': summary" in found.message
    assert "'Mikalai Sviryd', the name of people 'witness-m', who is confidential" in found.message
    assert "public audiences do not see the person" in found.message
    assert found.strict and not found.is_error


def test_another_spelling_and_a_contacts_name_are_reported_too(tmp_path):
    root = project(tmp_path, "Nikolai Svirid testified; Vera Sviryd was not told.")
    messages = sorted(d.message for d in name_warnings(root))
    assert len(messages) == 2
    assert "'Nikolai Svirid', the name of people 'witness-m'" in messages[0]
    assert "'Vera Sviryd', the name of a contact of case 'aliyev-case'" in messages[1]


def test_a_text_as_sensitive_as_the_name_or_a_longer_word_is_not_reported(tmp_path):
    note = """    notes:
      - text: Mikalai Sviryd asked not to be named.
        sensitivity: confidential
"""
    root = project(tmp_path, "The Mikalai Svirydenko foundation paid the fine.", extra=note)
    assert name_warnings(root) == []


def test_nobody_is_exposed_when_every_audience_may_see_the_person(tmp_path):
    root = project(tmp_path, "A fund run by Mikalai Sviryd.", clearance="confidential")
    assert name_warnings(root) == []


def test_a_public_person_of_the_same_name_may_be_named(tmp_path):
    namesake = WITNESS + "  - id: namesake\n    name: Mikalai Sviryd\n"
    root = project(tmp_path, "A fund run by Mikalai Sviryd.", witness=namesake)
    assert name_warnings(root) == []


def test_a_key_message_is_reported_in_briefgen_yaml(tmp_path):
    root = project(tmp_path, "Arrested.")
    settings = root / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("- Key message one about **detention**.", "- Free *Mikalai Sviryd* now."),
        encoding="utf-8",
    )
    (found,) = name_warnings(root)
    assert found.location.path == "briefgen.yaml"
    assert "brief 'small-brief': key_messages[0] writes out 'Mikalai Sviryd'" in found.message


def test_strict_validate_refuses_it(tmp_path):
    root = project(tmp_path, "A fund run by Mikalai Sviryd.")
    command = [sys.executable, "-m", "briefgen", "validate", "--no-cache"]
    plain = subprocess.run([*command, str(root)], capture_output=True, text=True, timeout=300)
    strict = subprocess.run([*command, "--strict", str(root)], capture_output=True, text=True, timeout=300)
    assert plain.returncode == 0 and "writes out 'Mikalai Sviryd'" in plain.stderr
    assert strict.returncode == 1 and "writes out 'Mikalai Sviryd'" in strict.stderr


def test_a_contact_who_is_public_in_another_case_keeps_the_name(tmp_path):
    # The same name is a public contact of another case: it is that contact's to show.
    extra = "    title: Arrested\n"
    root = project(tmp_path, "His mother Vera Sviryd spoke to the press.", extra=extra)
    items = root / "content" / "items.yaml"
    text = items.read_text(encoding="utf-8")
    items.write_text(
        text.replace(
            "  - id: beridze-case\n",
            "  - id: beridze-case\n    contacts:\n"
            "      - {name: Vera Sviryd, role: press, sensitivity: public}\n",
        ),
        encoding="utf-8",
    )
    assert [d.message for d in name_warnings(root) if "Vera" in d.message] == []
