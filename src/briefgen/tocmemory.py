"""Contents memory: an output's last contents decision -> one PDF layout instead of two.

A document of middling length gets a table of contents when its text without one fills five
pages or more (worker._lay_out_with_contents_decided): it is laid out without contents to
count its pages, and then laid out again with them. A long-lived process that builds the
same output after each save (serve's preview worker) remembers, per output, the decision
and the page count of the layout it wrote; when the last decision was "contents", the next
build lays out the version with contents first, and if it has as many pages as last time,
takes it without the layout that decides.

That is a guess, however safe: the output it gives is recorded as unverified, and the
process that turned the memory on must check it afterwards (`verify`, which takes the
decision exactly) and build the output again if the guess was wrong. When the estimate from
the text settles the decision, or the pages changed, or there is no memory of the output,
the decision is taken exactly, as in any build.
"""

from __future__ import annotations

from collections.abc import Callable


class ContentsMemory:
    def __init__(self) -> None:
        self.decisions: dict[str, tuple[bool, int]] = {}  # stem -> (has contents, pages)
        self.unverified: set[str] = set()  # stems whose last PDF was laid out on a guess

    def lay_out(self, stem: str, document_for: Callable, layout: Callable, decide: Callable):
        """(document, layout, has contents) as `decide` (the exact decision) gives them, or
        from the remembered decision (see the module docstring)."""
        from .worker import TOC_MIN_PAGES, _page_estimate, too_short_for_contents

        self.unverified.discard(stem)
        known = self.decisions.pop(stem, None)
        if known is not None and known[0]:
            with_toc = document_for(show_toc=True)
            least, most = _page_estimate(with_toc)
            if least < TOC_MIN_PAGES <= most:  # only a layout can decide
                toc_layout = layout(with_toc)
                pages = len(toc_layout.pages)
                if pages == known[1]:
                    self.decisions[stem] = (True, pages)
                    self.unverified.add(stem)
                    return with_toc, toc_layout, True
                plain = document_for(show_toc=False)
                # The page count changed: decide, keeping the layout made.
                plain_layout = layout(plain, at_least=TOC_MIN_PAGES)
                if too_short_for_contents(plain_layout):
                    self.decisions[stem] = (False, len(plain_layout.pages))
                    return plain, plain_layout, False
                self.decisions[stem] = (True, pages)
                return with_toc, toc_layout, True
        document, laid_out, toc = decide(document_for, layout, True)
        self.decisions[stem] = (toc, len(laid_out.pages))
        return document, laid_out, toc

    def forget(self, stem: str) -> None:
        self.decisions.pop(stem, None)
        self.unverified.discard(stem)
