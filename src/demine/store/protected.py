"""Victims' personal data: read only with the victim-data permission, every read logged.

Each read writes one ``access_log`` row (who, when, which victims, why) in the same
transaction as the read, so there is no read without its log entry. A refused attempt
is logged too (action ``read_refused``), in a transaction of its own that is committed
before the refusal is raised.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select

from demine.domain.access import Permission, Principal
from demine.domain.authorization import require
from demine.domain.entities import VictimIdentifiers
from demine.errors import InvalidRequestError, NotFoundError
from demine.i18n import _
from demine.store import schema
from demine.store.engine import Store

IDENTIFIERS_TABLE = schema.victim_identifiers.name
READ = "read"
READ_REFUSED = "read_refused"
EXPORT = "export"
IMPORT = "import"
IMPORT_REFUSED = "import_refused"


def log_access(
    connection: Connection,
    principal: Principal | None,
    action: str,
    keys: Sequence[str],
    purpose: str | None,
    now: datetime | None = None,
    *,
    table: str = IDENTIFIERS_TABLE,
) -> None:
    """Write one access_log row: who did ``action`` on which records of ``table``
    (victims' data: by default their identifiers), and why."""
    connection.execute(
        insert(schema.access_log).values(
            at=now or datetime.now(UTC),
            actor=principal.describe() if principal else "anonymous",
            action=action,
            table_name=table,
            record_keys=json.dumps(sorted(keys)),
            purpose=purpose,
        )
    )


def read_victim_identifiers(
    store: Store,
    principal: Principal | None,
    victims: Sequence[str],
    purpose: str,
    now: datetime | None = None,
) -> list[VictimIdentifiers]:
    """The personal data of ``victims`` (external ids), for a stated ``purpose``.

    Raises :class:`~demine.errors.Forbidden` (after logging the attempt) without the
    victim-data permission, and ``NotFoundError`` for an unknown victim.
    """
    if not purpose.strip():
        raise InvalidRequestError(_("say why the victims' personal data are needed (purpose)"))
    if not victims:
        raise InvalidRequestError(_("name at least one victim"))
    if principal is None or not principal.can(Permission.VICTIM_DATA):
        with store.write() as connection:
            log_access(connection, principal, READ_REFUSED, victims, purpose, now)
        require(principal, Permission.VICTIM_DATA, _("read victims' personal data"))
    with store.write() as connection:
        found = _identifiers(connection, victims)
        missing = sorted(set(victims) - set(found))
        if missing:
            raise NotFoundError(
                _("no victim {keys} in the register").format(keys=", ".join(missing))
            )
        log_access(connection, principal, READ, victims, purpose, now)
    return [record for key in victims if (record := found[key]) is not None]


def _identifiers(
    connection: Connection, keys: Sequence[str]
) -> dict[str, VictimIdentifiers | None]:
    """Each known victim's identifiers (None when none are recorded), by external id."""
    victims, identifiers = schema.victims, schema.victim_identifiers
    query = (
        select(
            victims.c.external_id,
            identifiers.c.full_name,
            identifiers.c.id_number,
            identifiers.c.contact,
            identifiers.c.address,
            identifiers.c.medical_notes,
            identifiers.c.id.label("identifiers_id"),
        )
        .outerjoin(identifiers, identifiers.c.victim_id == victims.c.id)
        .where(victims.c.external_id.in_(list(keys)))
    )
    found: dict[str, VictimIdentifiers | None] = {}
    for row in connection.execute(query):
        if row.identifiers_id is None:
            found[row.external_id] = None
            continue
        found[row.external_id] = VictimIdentifiers(
            victim=row.external_id,
            full_name=row.full_name,
            id_number=row.id_number,
            contact=row.contact,
            address=row.address,
            medical_notes=row.medical_notes,
        )
    return found
