"""The small casualty scenario: the sample register plus accidents, victims, identifiers
and a baseline (tests/fixtures/register; every value invented for the tests)."""

from __future__ import annotations

from tests.helpers import REGISTER, TODAY, load_sample

from demine.domain.access import Principal, Role
from demine.ingest.importer import import_file
from demine.store.engine import Store

CASUALTY_FILES = [
    ("accidents", "casualty_accidents.csv"),
    ("victims", "victims.csv"),
    ("victim-identifiers", "victim_identifiers.csv"),
    ("casualty-baselines", "casualty_baselines.csv"),
]
#: Who loads the scenario: importing victims' personal data needs the grant.
LOADER = Principal.of("fixtures", Role.VICTIM_DATA)
#: Every accident point of the scenario (lon, lat), which no public output may hold.
ACCIDENT_POINTS = [
    (47.12, 39.61), (46.97, 40.02), (46.91, 40.31), (46.905, 40.305), (46.98, 40.1),
    (47.2, 39.6), (46.85, 39.95), (46.85, 40.4),
]  # fmt: skip
#: Personal data of the scenario, which no public output may hold.
IDENTIFIERS = [
    "Test Person One", "AZE0000001", "+994 50 000 00 01", "Fixture street 1", "amputation",
    "Test Person Two", "AZE0000002",
]  # fmt: skip


#: Who imports the scenario: victims' identifiers need the victim-data grant.
IMPORTER = Principal.of("fixture", Role.INFORMATION_MANAGER, Role.VICTIM_DATA)


def load_casualty_sample(store: Store) -> None:
    """The sample register, then the casualty files, in dependency order."""
    load_sample(store)
    for kind, name in CASUALTY_FILES:
        import_file(store, kind, REGISTER / name, country="AZ", today=TODAY, principal=IMPORTER)
