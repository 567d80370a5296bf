"""yamledit's edits for spreadsheet import: replace a list in its own style, remove a key
with its lines, write a number unquoted; everything else stays byte for byte."""

from __future__ import annotations

import pytest

from briefgen.yamledit import YamlDocument, YamlEditError

TEXT = """\
cases:
  - id: a-case  # first
    subjects: [one, two]
    sources:
      - src-a   # keep?
      - src-b
    sentence:
      years: 5
      court: "Baku Court"
    status_date: 2016-01-19  # confirmed
    title:
      en: Title
      ru: Заголовок
    tags: []
  - id: b-case
    status: detained
"""


def doc() -> YamlDocument:
    return YamlDocument(TEXT, "cases.yaml")


def test_set_list_keeps_a_flow_list_on_one_line():
    d = doc()
    assert d.set_list(("cases", "a-case", "subjects"), ["one", "three", "two"])
    assert d.text == TEXT.replace("[one, two]", "[one, three, two]")
    assert not d.set_list(("cases", "a-case", "subjects"), ["one", "three", "two"])


def test_set_list_keeps_a_block_list_a_block():
    d = doc()
    d.set_list(("cases", "a-case", "sources"), ["src-b", "src-c"])
    old, new = "      - src-a   # keep?\n      - src-b\n", "      - src-b\n      - src-c\n"
    assert d.text == TEXT.replace(old, new)


def test_set_list_with_entries_a_flow_list_cannot_hold():
    d = doc()
    d.set_list(("cases", "a-case", "subjects"), ["one", "Petrova, Lena"])
    assert "    subjects:\n      - one\n      - Petrova, Lena\n    sources:" in d.text
    assert d.data()["cases"][0]["subjects"] == ["one", "Petrova, Lena"]
    d.set_list(("cases", "a-case", "tags"), ["x"])
    assert "    tags: [x]\n" in d.text


def test_remove_key_takes_its_lines_and_comment():
    d = doc()
    assert d.remove_key(("cases", "a-case", "status_date"))
    assert d.text == TEXT.replace("    status_date: 2016-01-19  # confirmed\n", "")
    assert not d.remove_key(("cases", "a-case", "status_date"))


def test_remove_key_of_a_block_and_of_a_language():
    d = doc()
    d.remove_key(("cases", "a-case", "title", "ru"))
    assert "    title:\n      en: Title\n    tags: []\n" in d.text
    d.remove_key(("cases", "a-case", "sources"))
    assert "sources" not in d.text and "    subjects: [one, two]\n    sentence:\n" in d.text


def test_remove_the_last_key_removes_the_mapping():
    d = doc()
    d.remove_key(("cases", "a-case", "sentence", "court"))
    d.remove_key(("cases", "a-case", "sentence", "years"))
    assert "sentence" not in d.text
    assert d.data()["cases"][0] == {
        "id": "a-case",
        "subjects": ["one", "two"],
        "sources": ["src-a", "src-b"],
        "status_date": "2016-01-19",
        "title": {"en": "Title", "ru": "Заголовок"},
        "tags": [],
    }


def test_remove_key_refuses_the_first_key_of_a_list_entry():
    with pytest.raises(YamlEditError):
        doc().remove_key(("cases", "b-case", "id"))


def test_set_scalar_plain_writes_numbers_and_truth_values_unquoted():
    d = doc()
    d.set_scalar(("cases", "a-case", "sentence", "years"), "7", plain=True)
    assert "      years: 7\n" in d.text
    d.set_scalar(("cases", "a-case", "sentence", "court"), "12", plain=False)
    assert '      court: "12"\n' in d.text  # a text that looks like a number stays text


def test_entries_added_at_the_end_keep_the_others_comments_and_quoting():
    # A spreadsheet's list cell with one more line: the entries already written stay as
    # written (a comment after one, a comment line between them, quotes); the new one comes
    # last, with no blank line, as none separates the others.
    source = (
        "people:\n  - id: lena\n    also_known_as:\n      - Elena Petrova   # her passport name\n"
        '      # more spellings below\n      - "Petrova, Lena"\n    name: Lena\n'
    )
    d = YamlDocument(source)
    assert d.set_list(("people", "lena", "also_known_as"), ["Elena Petrova", "Petrova, Lena", "Лена"])
    assert d.text == source.replace('      - "Petrova, Lena"\n', '      - "Petrova, Lena"\n      - Лена\n')
