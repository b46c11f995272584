"""Writing the demo register into a store, through the same path imports use."""

from __future__ import annotations

import functools
import hashlib

from demine.demo.build import DemoRegister, build_demo
from demine.ingest.importer import ImportReport, Progress, save_entities
from demine.store.engine import Store

DEMO_COUNTRY = "AZ"


def demo_entities(register: DemoRegister) -> list[object]:
    return [
        *register.admin_areas,
        *register.organisations,
        *register.hazards,
        *register.hazard_status_changes,
        *register.activities,
        *register.device_finds,
        *register.reported_summaries,
        *register.accidents,
        *register.victims,
        *register.assistance,
        *register.casualty_baselines,
        *register.minefield_records,
        *register.minefield_rows,
        *register.minefield_points,
        *register.projects,
        *register.accreditations,
        *register.tasks,
        *register.quality_inspections,
        *register.non_conformities,
        *register.eore_sessions,
    ]


@functools.lru_cache(maxsize=2)
def _built(seed: int) -> DemoRegister:
    # Deterministic and immutable, so one build per process is enough.
    return build_demo(seed)


def load_demo(store: Store, seed: int = 2024, progress: Progress | None = None) -> ImportReport:
    """Build the demo register for ``seed`` and save it (again: nothing changes).

    ``progress`` hears ``(records saved, records)`` once the register is built (which
    takes a while of its own) and after each kind of record is saved.
    """
    register = _built(seed)
    entities = demo_entities(register)
    if progress is not None:
        progress(0, len(entities))
    report = save_entities(
        store,
        entities,
        kind="demo",
        source_name=f"demo register (seed {seed})",
        sha256=hashlib.sha256(f"demine-demo-{seed}".encode()).hexdigest(),
        country=DEMO_COUNTRY,
        progress=progress,
    )
    if progress is not None:
        progress(len(entities), len(entities))
    return report
