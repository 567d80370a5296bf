"""select._cited_sources: the sources a shown text cites, as the citation pattern finds them
(a text without "[@" answered without it), in order, repeats kept."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.model import CITATION_RE
from briefgen.select import _cited_sources

PIECES = ["[@", "[", "]", "@", "\\", "(", ")", ",", " ", "p. 4", "hrw", "amnesty-2015", "x"]


@given(st.lists(st.sampled_from(PIECES), max_size=25))
@settings(max_examples=1000)
def test_the_same_sources_as_the_pattern(pieces):
    text = "".join(pieces)
    assert _cited_sources(text) == tuple(m.group(1) for m in CITATION_RE.finditer(text))


def test_citations_in_order_with_repeats_and_escapes():
    text = "As [@hrw, p. 4] and [@amnesty] said [@hrw]; not \\[@escaped] nor [@link](x)."
    assert _cited_sources(text) == ("hrw", "amnesty", "hrw")
    assert _cited_sources("no citation here") == ()
