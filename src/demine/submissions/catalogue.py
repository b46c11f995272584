"""The field forms submissions are received for: built from the register when asked, so
that a list that changed (a new district, an organisation) gives a new form version."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

from demine.domain.kinds import Kind
from demine.fieldforms.build import build_forms
from demine.fieldforms.model import BuiltForm
from demine.store.engine import Store
from demine.store.submissions import remember_versions, was_served

#: Builds the served forms from the register: (store, kinds, country) → forms.
FormSource = Callable[[Store, Mapping[str, Kind], str], Sequence[BuiltForm]]


def registered_forms(store: Store, kinds: Mapping[str, Kind], country: str) -> Sequence[BuiltForm]:
    """The field forms of ``country``'s register as it is now (:mod:`demine.fieldforms`)."""
    return build_forms(store, kinds, country)


def remember_served(store: Store, forms: Sequence[BuiltForm], now: datetime | None = None) -> None:
    """Remember the versions of ``forms`` a phone is given, so that what it fills in them
    is taken after the forms change (:func:`demine.submissions.receive.check_version`)."""
    versions = [(form.spec.form_id, form.version, form.xform) for form in forms]
    with store.read() as connection:
        if all(was_served(connection, form_id, version) for form_id, version, _x in versions):
            return
    with store.write() as connection:
        remember_versions(connection, versions, now or datetime.now(UTC))
