"""Where a record keeps the values of the fields a programme adds to its kind.

A programme's fields file (see :mod:`demine.domain.kinds.custom`) adds fields to kinds
without code: their values travel with the record in ``custom``, keyed by the field's
name, in the form they are stored (JSON: texts, numbers, ISO 8601 days, codes and
lists of codes), so the store keeps them without knowing the programme.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: A record's values of custom fields, by field name.
CustomValues = Mapping[str, Any]


@dataclass(frozen=True)
class Extensible:
    """The base of every entity a programme may add fields to (keyword-only, last)."""

    #: Values of the programme's custom fields (:mod:`demine.domain.kinds.custom`).
    custom: CustomValues = field(default_factory=dict, kw_only=True, hash=False)
