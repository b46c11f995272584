"""area codes: admin areas' ISO 3166-2 code, source boundary id and OCHA p-code

Districts carry the codes other systems know them by, exported beside Demine's own
(``AZ-AGD`` is ISO's ``AZ-AGM``). Areas of the built-in gazetteer of Azerbaijan already
stored get their codes here; their shapes change only when the gazetteer or the demo is
loaded again (a migration does not redraw stored boundaries).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

#: Code -> (ISO 3166-2, geoBoundaries shapeIDs): the built-in gazetteer's codes when this
#: revision was written (a migration does not follow later edits of the package data).
#: No OCHA p-codes are published for these districts.
_AZERBAIJAN = {
    "AZ-TAR": ("AZ-TAR", "AZE-ADM2-54616110B56216693"),
    "AZ-AGD": ("AZ-AGM", "AZE-ADM2-54616110B74307796"),
    "AZ-AGR": (None, "AZE-ADM2-54616110B56216693"),
    "AZ-LAC": ("AZ-LAC", "AZE-ADM2-54616110B64627190"),
    "AZ-FUZ": ("AZ-FUZ", "AZE-ADM2-54616110B70488291"),
    "AZ-SHU": ("AZ-SUS", "AZE-ADM2-54616110B50193456;AZE-ADM2-54616110B39808892"),
    "AZ-KHJ": ("AZ-XCI", "AZE-ADM2-54616110B630209"),
    "AZ-KHN": ("AZ-XA", "AZE-ADM2-54616110B37997880"),
    "AZ-KAL": ("AZ-KAL", "AZE-ADM2-54616110B71777131"),
    "AZ-KHV": ("AZ-XVD", "AZE-ADM2-54616110B68470327"),
    "AZ-JAB": ("AZ-CAB", "AZE-ADM2-54616110B51569828"),
    "AZ-GUB": ("AZ-QBI", "AZE-ADM2-54616110B38588730"),
    "AZ-ZAN": ("AZ-ZAN", "AZE-ADM2-54616110B35620946"),
    "AZ-GOR": ("AZ-GOR", "AZE-ADM2-54616110B21357752"),
}


def upgrade() -> None:
    op.add_column("admin_areas", sa.Column("iso_code", sa.String(length=10), nullable=True))
    op.add_column("admin_areas", sa.Column("boundary_id", sa.String(length=200), nullable=True))
    op.add_column("admin_areas", sa.Column("pcode", sa.String(length=30), nullable=True))
    areas = sa.table(
        "admin_areas",
        sa.column("code", sa.String),
        sa.column("country", sa.String),
        sa.column("iso_code", sa.String),
        sa.column("boundary_id", sa.String),
    )
    for code, (iso_code, boundary_id) in _AZERBAIJAN.items():
        op.execute(
            areas.update()
            .where(areas.c.code == code, areas.c.country == "AZ")
            .values(iso_code=iso_code, boundary_id=boundary_id)
        )


def downgrade() -> None:
    with op.batch_alter_table("admin_areas", schema=None) as batch_op:
        batch_op.drop_column("pcode")
        batch_op.drop_column("boundary_id")
        batch_op.drop_column("iso_code")
