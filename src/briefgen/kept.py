"""Kept: values by key in a bounded amount of memory, the least recently used let go first.

What a long-lived process keeps for the next output (serve's preview worker renders for
hours; a build worker renders a mailing of hundreds of copies): the texts read from an
image or package part (check.py), a chart's drawing and picture (charts/vega.py). Each
value has a size (1 by default: a count); a value larger than `largest` is not kept, since
one such would push out everything else for an answer that is cheap to read again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    def __init__(self, limit: int, size: Callable[[V], int] = lambda _value: 1, largest: int | None = None):
        self.limit = limit
        self.largest = limit if largest is None else largest
        self._size = size
        self.used = 0
        self._values: dict[Hashable, tuple[V, int]] = {}  # the most recently used last

    def get(self, key: Hashable) -> V | None:
        """The value kept under `key` (now the most recently used), or None."""
        kept = self._values.pop(key, None)
        if kept is None:
            return None
        self._values[key] = kept
        return kept[0]

    def put(self, key: Hashable, value: V) -> None:
        size = self._size(value)
        if size > self.largest:
            return
        earlier = self._values.pop(key, None)
        if earlier is not None:
            self.used -= earlier[1]
        self._values[key] = (value, size)
        self.used += size
        while self.used > self.limit:
            _value, oldest = self._values.pop(next(iter(self._values)))
            self.used -= oldest

    def __contains__(self, key: Hashable) -> bool:
        return key in self._values

    def __len__(self) -> int:
        return len(self._values)
