"""The audit log: who did what, when, with the values before and after (kept by
:mod:`demine.store.audit`)."""

from __future__ import annotations

from demine.store.audit import plain, record

__all__ = ["plain", "record"]
