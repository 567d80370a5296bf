"""check: a later copy searched only where it differs from the first (check.CheckedText).

The result must be the same as a full search whatever the two texts are; these tests build
texts that share a beginning and an end and put needles on every side of the boundaries."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.check import CheckedText, _common_prefix, _common_suffix, check_output
from briefgen.ledger import Ledger, Withheld

LETTERS = st.text(alphabet="abc", max_size=40)
NEEDLES = st.lists(st.text(alphabet="abc", min_size=1, max_size=6), max_size=12)


@given(LETTERS, LETTERS)
def test_common_prefix_and_suffix(a, b):
    prefix = _common_prefix(a, b)
    assert a[:prefix] == b[:prefix]
    assert prefix == min(len(a), len(b)) or a[prefix] != b[prefix]
    suffix = _common_suffix(a, b, prefix)
    assert prefix + suffix <= min(len(a), len(b))
    assert suffix == 0 or a[-suffix:] == b[-suffix:]
    assert prefix + suffix == min(len(a), len(b)) or a[len(a) - suffix - 1] != b[len(b) - suffix - 1]


@settings(max_examples=400)
@given(LETTERS, LETTERS, LETTERS, LETTERS, NEEDLES)
def test_the_differing_part_finds_what_a_full_search_finds(start, first_middle, middle, end, needles):
    earlier = CheckedText(start + first_middle + end)
    haystack = start + middle + end
    longest = max(map(len, needles), default=0)
    differing = earlier.differing_part(haystack, longest)
    for needle in needles:
        found = needle in differing or (earlier.occurs(needle) and needle in haystack)
        assert found == (needle in haystack), (needle, haystack, differing)


def _copy(tmp_path, name: str, recipient: str, tail: str = "") -> object:
    path = tmp_path / f"{name}.html"
    body = "<p>Brief on the detention of journalists.</p>" * 50
    path.write_text(
        f"<html><body><p>For {recipient}</p>{body}<p>Signed, the office{tail}</p></body></html>",
        encoding="utf-8",
    )
    return path


def test_a_leak_in_a_later_copy_is_found_in_its_differing_part_and_beyond(tmp_path):
    """The second copy differs from the first at its top (the recipient) and leaks another
    recipient's name at its end: found, as without the reference; the clean copy passes."""
    removed = Ledger([Withheld("recipients.b.name", "Boris Brown")], ["x"])
    reference: dict = {}
    assert check_output(_copy(tmp_path, "a", "Anna Adams"), "html", removed, reference) is None
    assert "text" in reference
    leaking = _copy(tmp_path, "c", "Chloe Cruz", tail=" and Boris Brown")
    message = check_output(leaking, "html", removed, reference)
    assert message and "recipients.b.name" in message
    assert check_output(_copy(tmp_path, "d", "Dana Dunn"), "html", removed, reference) is None


def test_a_value_in_the_shared_part_found_in_the_first_copy_is_found_in_every_copy(tmp_path):
    """A removed value that the first copy's text holds is searched for in all of a later
    copy's text, not just where the copies differ."""
    removed = Ledger([Withheld("cases.x.notes", "detention of journalists")], ["x"])
    reference: dict = {}
    assert check_output(_copy(tmp_path, "a", "Anna Adams"), "html", removed, reference)
    assert check_output(_copy(tmp_path, "b", "Boris Brown"), "html", removed, reference)
