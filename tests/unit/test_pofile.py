"""pofile: what Babel writes reads back exactly; every malformed line is an error at its line."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefgen.pofile import PoError, PoMessage, read_po, write_po


def test_written_messages_read_back_with_their_lines():
    messages = [
        PoMessage(
            "A long text with a citation [@src, p. 3] and a line break\nthat CAT tools keep. " * 2,
            "",
            "cases/a/summary",
            references=["content/cases.yaml:12"],
            auto_comments=["Case 'a': summary, markdown"],
        ),
        PoMessage('Quotes " and \\ backslash\ttab', "Guillemets « » et \\", "cases/a/title"),
    ]
    raw = write_po(messages, "fr", "Fixture", datetime(2016, 1, 19, tzinfo=UTC))
    catalog = read_po(raw)
    assert catalog.header["Language"] == "fr"
    assert [(m.msgctxt, m.msgid, m.msgstr) for m in catalog.messages] == [
        (m.msgctxt, m.msgid, m.msgstr) for m in messages
    ]
    assert catalog.messages[0].references == ["content/cases.yaml:12"]
    lines = raw.decode().split("\n")
    for message in catalog.messages:
        assert lines[message.msgstr_line - 1].startswith("msgstr ")


def test_fuzzy_flags_previous_ids_and_obsolete_entries():
    raw = b"""msgid ""
msgstr "Language: fr\\n"

#, fuzzy
#| msgid "Old"
msgctxt "a/b/c"
msgid "New"
msgstr "Nouveau"

#~ msgctxt "x/y/z"
#~ msgid "Gone"
#~ msgstr "Parti"

#. after an obsolete entry
msgctxt "a/b/d"
msgid "Next"
msgstr "Suivant"
"""
    catalog = read_po(raw)
    assert [(m.msgctxt, m.line, m.fuzzy) for m in catalog.messages] == [
        ("a/b/c", 4, True),
        ("a/b/d", 14, False),
    ]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('msgctxt "a"\nmsgid "x"\nmsgstr "unterminated\n', 3, "not closed"),
        ('msgid "x"\nmsgstr no quotes\n', 2, "double quotes"),
        ('msgid "x"\nmsgstr "bad \\q escape"\n', 2, "unknown escape"),
        ('msgid "x"\nmsgstr "a"b"\n', 2, "after the closing quote"),
        ('msgid "x"\nmsgstr ""\nmsgstrr "y"\n', 3, "not a PO keyword"),
        ('msgid "x"\n\nmsgid "y"\nmsgstr ""\n', 1, "without a msgstr"),
        ('msgstr "orphan"\n', 1, "without a msgid"),
        ('"continuation"\n', 1, "without a keyword"),
        (
            'msgctxt "a"\nmsgid "x"\nmsgstr ""\n\nmsgctxt "a"\nmsgid "x"\nmsgstr "y"\n',
            6,
            "already in the file",
        ),
        ('msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-1\\n"\n', 1, "charset"),
    ],
)
def test_malformed_files_are_errors_at_their_line(text, line, words):
    with pytest.raises(PoError) as caught:
        read_po(text.encode())
    problem = caught.value.problems[0]
    assert problem.line == line
    assert words in problem.message


def test_bytes_that_are_not_utf8_are_an_error_at_their_line():
    with pytest.raises(PoError) as caught:
        read_po(b'msgid "x"\nmsgstr "caf\xe9"\n')
    assert caught.value.problems[0].line == 2
