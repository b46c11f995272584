"""Alembic environment: migrates the connection handed over by :mod:`demine.store.migrate`."""

from __future__ import annotations

from alembic import context

from demine.store.schema import metadata

connection = context.config.attributes["connection"]


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    if type_ == "table" and name == "spatial_ref_sys":
        return False  # PostGIS's own table
    # Spatial (GiST) indexes exist only in PostGIS; migrations create them explicitly there.
    return not (type_ == "index" and name is not None and name.endswith("_geometry"))


context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
