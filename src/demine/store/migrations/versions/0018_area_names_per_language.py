"""area names per language: admin areas' names in Azerbaijani and Russian

Districts and settlements are shown in the reader's language (``Xankəndi``,
``Ханкенди``) and keep their canonical name for machine outputs. Areas of the built-in
gazetteer of Azerbaijan already stored get their names here; later loads of the
gazetteer or of an admin-areas file with ``name_az``/``name_ru`` columns keep them.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

#: Code -> (Azerbaijani, Russian): the built-in gazetteer's names when this revision
#: was written (a migration does not follow later edits of the package data).
_AZERBAIJAN = {
    "AZ": ("Azərbaycan", "Азербайджан"),
    "AZ-TAR": ("Tərtər", "Тертер"),
    "AZ-AGD": ("Ağdam", "Агдам"),
    "AZ-AGR": ("Ağdərə", "Агдере"),
    "AZ-LAC": ("Laçın", "Лачин"),
    "AZ-FUZ": ("Füzuli", "Физули"),
    "AZ-SHU": ("Şuşa", "Шуша"),
    "AZ-KHJ": ("Xocalı", "Ходжалы"),
    "AZ-KHN": ("Xankəndi", "Ханкенди"),
    "AZ-KAL": ("Kəlbəcər", "Кельбаджар"),
    "AZ-KHV": ("Xocavənd", "Ходжавенд"),
    "AZ-JAB": ("Cəbrayıl", "Джебраил"),
    "AZ-GUB": ("Qubadlı", "Губадлы"),
    "AZ-ZAN": ("Zəngilan", "Зангилан"),
    "AZ-GOR": ("Goranboy", "Геранбой"),
}


def upgrade() -> None:
    op.add_column("admin_areas", sa.Column("name_az", sa.String(length=200), nullable=True))
    op.add_column("admin_areas", sa.Column("name_ru", sa.String(length=200), nullable=True))
    areas = sa.table(
        "admin_areas",
        sa.column("code", sa.String),
        sa.column("country", sa.String),
        sa.column("name_az", sa.String),
        sa.column("name_ru", sa.String),
    )
    for code, (name_az, name_ru) in _AZERBAIJAN.items():
        op.execute(
            areas.update()
            .where(areas.c.code == code, areas.c.country == "AZ")
            .values(name_az=name_az, name_ru=name_ru)
        )


def downgrade() -> None:
    with op.batch_alter_table("admin_areas", schema=None) as batch_op:
        batch_op.drop_column("name_ru")
        batch_op.drop_column("name_az")
