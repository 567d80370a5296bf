"""kept: a bounded memory of values, the least recently used let go first."""

from __future__ import annotations

from briefgen.kept import Kept


def test_texts_stay_within_their_bound_most_recently_used_last():
    kept: Kept[list[str]] = Kept(320, size=lambda texts: sum(map(len, texts)), largest=10)
    kept.put(("a",), ["x" * 11])
    assert kept.get(("a",)) is None  # too long to keep
    for n in range(40):
        kept.put((n,), ["y" * 10])
    assert kept.used <= 320 and len(kept) == 32
    assert kept.get((0,)) is None and kept.get((39,)) == ["y" * 10]
    assert kept.get((8,)) == ["y" * 10]  # used again: now the most recent
    kept.put(("new",), ["z" * 10])
    assert (9,) not in kept and kept.get((8,)) == ["y" * 10]


def test_a_value_put_again_is_counted_once():
    kept: Kept[str] = Kept(10, size=len)
    kept.put("k", "abcd")
    kept.put("k", "abcdef")
    assert kept.used == 6 and kept.get("k") == "abcdef"


def test_counted_values_keep_the_last_few():
    kept: Kept[bytes] = Kept(2)
    for key in "abc":
        kept.put(key, key.encode())
    assert "a" not in kept and kept.get("b") == b"b" and kept.get("c") == b"c"
