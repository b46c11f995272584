"""Statistical disclosure control: the one rule every public figure goes through.

Victim data are health data, and a public table must not let a reader single out a
person, alone or together with the other public outputs of the same period. The rule
(:mod:`.rule`, described in ``docs/disclosure.md``) hides small counts and enough
others that no hidden count can be worked out from what is shown and the sums between
counts; :mod:`.audit` proves it. Pure: no I/O, no framework.
"""

from demine.domain.disclosure.audit import worked_out
from demine.domain.disclosure.model import (
    DEFAULT_THRESHOLD,
    WITHHELD,
    Cell,
    Key,
    LinkedCounts,
    Protection,
    Sum,
    check_threshold,
    hidden,
    is_hidden,
)
from demine.domain.disclosure.rule import protect

__all__ = [
    "DEFAULT_THRESHOLD",
    "WITHHELD",
    "Cell",
    "Key",
    "LinkedCounts",
    "Protection",
    "Sum",
    "check_threshold",
    "hidden",
    "is_hidden",
    "protect",
    "worked_out",
]
