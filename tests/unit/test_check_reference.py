"""check: a later copy searched only where it differs from the first (check.CheckedText).

The result must be the same as a full search whatever the two texts are; these tests build
texts that share a beginning and an end and put needles on every side of the boundaries."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.check import (
    CheckedText,
    _visible_text,
    _VisibleText,
    check_output,
    found_needles,
)
from briefgen.decoding import common_prefix, common_suffix
from briefgen.ledger import Ledger, Withheld

LETTERS = st.text(alphabet="abc", max_size=40)
NEEDLES = st.lists(st.text(alphabet="abc", min_size=1, max_size=6), max_size=12)


@given(LETTERS, LETTERS)
def test_common_prefix_and_suffix(a, b):
    prefix = common_prefix(a, b)
    assert a[:prefix] == b[:prefix]
    assert prefix == min(len(a), len(b)) or a[prefix] != b[prefix]
    suffix = common_suffix(a, b, prefix)
    assert prefix + suffix <= min(len(a), len(b))
    assert suffix == 0 or a[-suffix:] == b[-suffix:]
    assert prefix + suffix == min(len(a), len(b)) or a[len(a) - suffix - 1] != b[len(b) - suffix - 1]


class SmallAnchors(CheckedText):
    """Anchors of two letters: the texts below are split as often as a long brief's."""

    ANCHOR = 2


@settings(max_examples=600)
@given(LETTERS, LETTERS, LETTERS, LETTERS, LETTERS, LETTERS, NEEDLES)
def test_the_differing_parts_find_what_a_full_search_finds(start, first, middle, second, end, other, needles):
    """Two texts alike but for two places (a name at the top and in the middle): whatever the
    needles, searching the parts (and the whole text for needles the first text holds) finds
    exactly what a full search finds."""
    earlier = SmallAnchors(start + first + middle + first + end)
    haystack = start + second + middle + other + end
    longest = max(map(len, needles), default=0)
    parts = earlier.differing_parts(haystack, longest)
    for needle in needles:
        held = needle in earlier.occurring((needle,))
        found = any(needle in part for part in parts) or (held and needle in haystack)
        assert found == (needle in haystack), (needle, haystack, parts)


def test_the_parts_are_small_when_two_places_differ():
    """What makes it worth it: a long text differing in two short places is searched in two
    short parts, not in all that lies between them."""
    body = "".join(f"paragraph{n}aboutthedetentionofjournalistsinbaku" for n in range(400))
    earlier = CheckedText("styleannakowalskafiles" + body + "preparedforannakowalska" + body)
    parts = earlier.differing_parts("styleborisbrownfiles" + body + "preparedforborisbrown" + body, 30)
    assert len(parts) == 2
    assert sum(map(len, parts)) < 200
    assert all("borisbrown" in part for part in parts)


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
    assert message and message.where == "recipients.b.name"
    assert check_output(_copy(tmp_path, "d", "Dana Dunn"), "html", removed, reference) is None


def test_a_value_in_the_shared_part_found_in_the_first_copy_is_found_in_every_copy(tmp_path):
    """A removed value that the first copy's text holds is searched for in all of a later
    copy's text, not just where the copies differ."""
    removed = Ledger([Withheld("cases.x.notes", "detention of journalists")], ["x"])
    reference: dict = {}
    assert check_output(_copy(tmp_path, "a", "Anna Adams"), "html", removed, reference)
    assert check_output(_copy(tmp_path, "b", "Boris Brown"), "html", removed, reference)


def test_a_needle_across_a_deletion_is_found():
    """Where the new text lacks a piece of the old one, the runs on each side are not one
    stretch of the old text: a needle across that point is searched for there."""
    earlier = CheckedText("ab" + "c" + "de")
    parts = earlier.differing_parts("ab" + "de", 2)
    assert "bd" not in earlier.occurring(("bd",))
    assert any("bd" in part for part in parts)


def test_a_needle_across_a_split_point_of_a_long_text_is_found():
    """The same at a point found by splitting: the new text lacks one letter on each side of
    the old text's middle, where it is split."""
    left, right = "l" * 300 + "xy", "zw" + "r" * 300
    old = "head" + left + right + "tail"
    new = "HEAD" + left[:-1] + right[1:] + "TAIL"  # "y" and "z" gone: "xw" only in the new
    earlier = CheckedText(old)
    parts = earlier.differing_parts(new, 2)
    assert "xw" not in earlier.occurring(("xw",)) and "xw" in new
    assert any("xw" in part for part in parts)


# The audience's own text (check._VisibleText), built value by value as far as a search needs:
# the same answers as looking in each value in turn, for needles asked in any order. A needle
# counts as shown only when one value holds it, never across the seam of two.
VALUES = st.lists(st.text(alphabet="ab c", max_size=8), max_size=10)


@given(VALUES, st.lists(st.text(alphabet="abc", min_size=1, max_size=5), max_size=8))
@settings(max_examples=400)
def test_visible_text_built_as_needed_answers_as_each_value_in_turn(values, needles):
    visible = _VisibleText(values)
    for needle in needles:
        expected = any(needle in _visible_text(value) for value in values)
        assert (needle in visible) == expected, (values, needle)


def test_a_needle_across_two_visible_values_is_not_shown():
    visible = _VisibleText(["Bakhtiyar Yu", "nusov", "other"])
    assert "yunusov" not in visible
    assert visible._parts == ["bakhtiyaryu", "nusov", "other"]  # every value read, none held it
    assert "bakhtiyar" in visible


def test_a_needle_a_visible_value_holds_stops_reading_there():
    visible = _VisibleText(["Lawyer", "never read"])
    assert "lawyer" in visible
    assert visible._parts == ["lawyer"]


# Every withheld value looked for in one pass (check.found_needles, Aho-Corasick): the same
# needles as looking for each in turn, whatever overlaps, repeats or nests; letters outside
# the Basic Multilingual Plane included.
NEEDLE_TEXTS = st.text(alphabet="abə中𝒜", max_size=60)
SOME_NEEDLES = st.lists(st.text(alphabet="abə中𝒜", min_size=1, max_size=5), max_size=12, unique=True)


@given(st.lists(NEEDLE_TEXTS, max_size=3), SOME_NEEDLES)
@settings(max_examples=500)
def test_found_needles_are_those_each_search_finds(texts, needles):
    expected = {needle for needle in needles if any(needle in text for text in texts)}
    assert found_needles(tuple(needles), texts) == expected


def test_needles_found_inside_and_across_each_other():
    text = "annakowalskaandlawyer"
    needles = ("anna", "annakowalska", "kowal", "alskaand", "lawyers", "nn")
    assert found_needles(needles, [text]) == {"anna", "annakowalska", "kowal", "alskaand", "nn"}
    assert found_needles(needles, ["xyz", "lawyers"]) == {"lawyers"}
    assert found_needles((), [text]) == set()


def test_the_first_copys_text_answers_for_the_needles_it_was_searched_for():
    checked = CheckedText("annakowalska", ("anna", "leyla"), {"anna"})
    checked.haystack = "changed after"  # remembered, not searched again
    assert checked.occurring(("anna", "leyla")) == {"anna"}
    assert checked.occurring(("after",)) == {"after"}  # a new needle: searched for
