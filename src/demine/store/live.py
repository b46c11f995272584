"""Which rows count: approved and not deleted (kept for modules not yet reading through
:class:`demine.store.reader.RegisterReader`, which applies the same condition)."""

from __future__ import annotations

from demine.store.reader import APPROVED, live_condition

counted = live_condition

__all__ = ["APPROVED", "counted"]
