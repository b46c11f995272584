"""What the statistics of victim assistance read: which live victim received which
service, and how it turned out (no identifier, note, provider or date)."""

from __future__ import annotations

from sqlalchemy import select

from demine.store.reader import RegisterReader

#: One assistance record as statistics see it: (victim row id, service, outcome).
ServiceRow = tuple[int, str, str]


def assistance_rows(reader: RegisterReader) -> list[ServiceRow]:
    """Every assistance record of a live victim of a live accident of the reader's
    country, as (victim row id, service, outcome)."""
    assistance = reader.table("assistance")
    victims = reader.table("victims")
    accidents = reader.table("accidents")
    query = (
        select(assistance.c.victim_id, assistance.c.service, assistance.c.outcome)
        .join(victims, victims.c.id == assistance.c.victim_id)
        .join(accidents, accidents.c.id == victims.c.accident_id)
        .where(*reader.scope(assistance), *reader.scope(victims), *reader.scope(accidents))
        .order_by(assistance.c.id)
    )
    return [(row[0], row[1], row[2]) for row in reader.connection.execute(query)]
