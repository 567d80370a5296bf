"""What a workbook may show at a clearance: model + clearance -> hidden items and parts.

The same rules as the builds (select.py): an item, a timeline entry or a case's detention
details above the clearance are left out, and so are references to items above it (a
withheld person's id tells their name). The import uses the same rules to keep what the
export left out exactly as it is.
"""

from __future__ import annotations

from typing import Any

from ..model import SENSITIVITY_LEVELS, Model, sensitivity_rank

README_CLEARANCE = "Clearance"  # the README sheet's row that records the export's clearance


def check_clearance(clearance: str) -> str:
    if clearance not in SENSITIVITY_LEVELS:
        raise ValueError(f"unknown clearance {clearance!r}; use one of: {', '.join(SENSITIVITY_LEVELS)}")
    return clearance


class Visibility:
    """Answers "may the workbook show this?" for one model and clearance."""

    def __init__(self, model: Model, clearance: str):
        self.model = model
        self.clearance = check_clearance(clearance)
        self.rank = sensitivity_rank(clearance)

    def allowed(self, sensitivity: Any, default: str = "public") -> bool:
        level = sensitivity if sensitivity in SENSITIVITY_LEVELS else default
        return sensitivity_rank(level) <= self.rank

    def item_visible(self, collection: str, item_id: str) -> bool:
        item = self.model.items.get(collection, {}).get(item_id)
        return item is not None and self.allowed(item.sensitivity)

    def part_visible(self, raw_item: dict[str, Any], part: tuple[str, ...] | None) -> bool:
        """Whether a nested part with its own `sensitivity` (detention) may be shown."""
        if part is None:
            return True
        value: Any = raw_item
        for key in part:
            value = value.get(key) if isinstance(value, dict) else None
        return not isinstance(value, dict) or self.allowed(value.get("sensitivity"))

    def shown_refs(self, collection: str, ids: list[str]) -> list[str]:
        """`ids` without those of items above the clearance (unknown ids stay: a mistake to see)."""
        return [
            i
            for i in ids
            if i not in self.model.items.get(collection, {}) or self.item_visible(collection, i)
        ]
