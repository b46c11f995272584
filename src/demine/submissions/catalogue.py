"""The field forms submissions are received for: built from the register when asked, so
that a list that changed (a new district, an organisation) gives a new form version."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from demine.domain.kinds import Kind
from demine.fieldforms.build import build_forms
from demine.fieldforms.model import BuiltForm
from demine.store.engine import Store

#: Builds the served forms from the register: (store, kinds, country) → forms.
FormSource = Callable[[Store, Mapping[str, Kind], str], Sequence[BuiltForm]]


def registered_forms(store: Store, kinds: Mapping[str, Kind], country: str) -> Sequence[BuiltForm]:
    """The field forms of ``country``'s register as it is now (:mod:`demine.fieldforms`)."""
    return build_forms(store, kinds, country)
