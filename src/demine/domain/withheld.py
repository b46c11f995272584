"""Free text withheld from those without the victim-data grant.

Narratives, notes and evidence (the fields the registry of kinds marks ``free_text``)
are written by people about people: names, addresses, injuries. They are protected like
personal data: only a principal holding the victim-data permission reads them. Anyone
else sees that the field holds something — the marker :class:`Withheld` stands in its
place (an empty field stays empty) — in every output alike: the REST API, pages,
exports, the OGC API and the audit log all show what :func:`withhold` decides here.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from demine.domain.access import Permission, Principal
from demine.domain.authorization import allowed
from demine.domain.kinds import Kind
from demine.i18n import _

#: The marker as text (in CSV and GeoPackage cells, and as files bring it back).
WITHHELD_TEXT = '{"withheld": true}'


class Withheld(dict[str, bool]):
    """The marker in place of a withheld value: ``{"withheld": true}`` in JSON, the same
    text in files, a translated note on pages (Jinja asks for ``__html__``)."""

    def __init__(self) -> None:
        super().__init__(withheld=True)

    def __str__(self) -> str:
        return WITHHELD_TEXT

    def __html__(self) -> str:
        return html.escape(_("[withheld: personal data]"))


def reads_free_text(principal: Principal | None) -> bool:
    """Whether ``principal`` may read free text (the victim-data grant)."""
    return allowed(principal, Permission.VICTIM_DATA)


#: The free-text names of each kind seen, by identity (a kind and its names).
_FREE_TEXT: dict[int, tuple[Kind, frozenset[str]]] = {}


def free_text_names(kind: Kind) -> frozenset[str]:
    """The free-text fields of ``kind``, by field name and stored column."""
    known = _FREE_TEXT.get(id(kind))
    if known is not None and known[0] is kind:
        return known[1]
    names = frozenset(
        name for field in kind.fields if field.free_text for name in (field.name, field.column)
        if name is not None
    )  # fmt: skip
    _FREE_TEXT[id(kind)] = (kind, names)  # asked for every row a reader shows
    return names


def withhold(kind: Kind, values: Mapping[str, Any], principal: Principal | None) -> dict[str, Any]:
    """``values`` of a ``kind`` record (by field name or stored column) as ``principal``
    may see them: each free-text value that is not empty replaced by :class:`Withheld`
    unless ``principal`` holds the victim-data grant."""
    shown = dict(values)
    if reads_free_text(principal):
        return shown
    for name in free_text_names(kind):
        if shown.get(name) not in (None, ""):
            shown[name] = Withheld()
    return shown


def is_withheld(value: Any) -> bool:
    """Whether ``value`` is the marker (as JSON gives it back, or as text in a file)."""
    if isinstance(value, Mapping):
        return dict(value) == {"withheld": True}
    # GDAL writes the marker into GeoJSON as an object, and reads it back spaced out.
    return isinstance(value, str) and "".join(value.split()) == "".join(WITHHELD_TEXT.split())
