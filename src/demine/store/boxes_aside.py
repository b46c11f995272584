"""A bulk load's R*Tree built beside the load, on the other core, then copied in.

SQLite fills an R*Tree one box at a time (about 20 µs a box, more than the rest of a
million-row load into the table together), and a connection does one thing at a time.
When the table's R*Tree is empty, the boxes of a load whose ids are known in advance
are inserted into an R*Tree of the same shape in a scratch database by a thread of its
own while the import's connection inserts the rows and rebuilds the indexes (SQLite
leaves Python's lock while it works, so both cores work). The finished tree's three
tables (nodes, parents, row → node) are then copied into the register's R*Tree, inside
the import's transaction: what is stored is an R*Tree of exactly the rows' boxes, and
a failure anywhere (the thread's included) rolls the whole import back.
"""

from __future__ import annotations

import logging
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Connection, Table, func, select

from demine.errors import StoreError
from demine.i18n import _

log = logging.getLogger(__name__)

#: The spatial box as the R*Tree orders its columns (migration 0023).
_BOX = ("min_x", "max_x", "min_y", "max_y")
#: The R*Tree's own tables, in the order they are copied.
_PARTS = ("node", "parent", "rowid")
#: Boxes made into Python values at a time.
_ROWS_PER_SLICE = 50_000


class BoxesAside:
    """The R*Tree of a load's boxes, built by a thread in a scratch database."""

    def __init__(self, table: Table, first_id: int, bounds: dict[str, Any]) -> None:
        self.table = table
        self.first_id = first_id
        self.rows = len(bounds["min_x"])
        self._bounds = bounds
        self._folder = tempfile.TemporaryDirectory(prefix="demine-boxes-")
        self._path = Path(self._folder.name) / "boxes.db"
        self._connection: sqlite3.Connection | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._build, name="demine-boxes", daemon=True)

    @property
    def ids(self) -> range:
        """The ids the load's rows must be stored with, in order."""
        return range(self.first_id, self.first_id + self.rows)

    def start(self) -> None:
        """The boxes written to the scratch database (a plain table: a second or two),
        then the thread fills the tree from them in one statement, during which SQLite
        never takes Python's lock: a thread that took it back after each box (an
        ``executemany``) waited for the import's thread each time and made the whole
        import twice as slow on a busy machine."""
        connection = self._connection = sqlite3.connect(
            self._path, isolation_level=None, check_same_thread=False
        )
        try:
            # Scratch data: copied into the register inside its transaction, or dropped.
            connection.execute("PRAGMA journal_mode=OFF")
            connection.execute("PRAGMA synchronous=OFF")
            connection.execute(f"CREATE TABLE staged (id INTEGER PRIMARY KEY, {', '.join(_BOX)})")
            connection.execute(f"CREATE VIRTUAL TABLE boxes USING rtree(id, {', '.join(_BOX)})")
            connection.execute("BEGIN")
            connection.executemany("INSERT INTO staged VALUES (?, ?, ?, ?, ?)", self._boxes())
            connection.execute("COMMIT")
        except BaseException as exc:
            self._error = exc
            return
        finally:
            self._bounds = {}
        self._thread.start()

    def _build(self) -> None:
        connection = self._connection
        assert connection is not None
        try:
            self._fill(connection)
        except BaseException as exc:  # reported by copy_into, in the import's thread
            self._error = exc

    def _fill(self, connection: sqlite3.Connection) -> None:
        connection.execute("INSERT INTO boxes SELECT * FROM staged")

    def _boxes(self) -> Iterator[tuple[int, float, float, float, float]]:
        """(id, box) of each row that has a box (NaN where a row has none), made a slice
        at a time (a million boxes as Python floats weigh 130 MB)."""
        bounds = self._bounds
        for start in range(0, self.rows, _ROWS_PER_SLICE):
            part = {name: bounds[name][start : start + _ROWS_PER_SLICE] for name in _BOX}
            located = np.flatnonzero(~np.isnan(part["min_x"]))
            sides = [part[name][located].tolist() for name in _BOX]
            ids = (located + (self.first_id + start)).tolist()
            yield from zip(ids, *sides, strict=True)

    def copy_into(self, connection: Connection) -> None:
        """The built tree into the table's (empty) R*Tree, once the rows are stored with
        :attr:`ids`; the thread's failure is the import's."""
        if self._thread.is_alive():
            self._thread.join()
        if self._error is not None:
            raise StoreError(
                _("{table}: the map index of the new rows could not be built; nothing was saved")
                .format(table=self.table.name)
            ) from self._error  # fmt: skip
        table = self.table
        stored = connection.execute(
            select(func.count(), func.min(table.c.id), func.max(table.c.id)).where(
                table.c.id >= self.first_id
            )
        ).one()
        assert tuple(stored) == (self.rows, self.first_id, self.first_id + self.rows - 1), stored
        assert self._connection is not None
        tree = f"rtree_{table.name}"
        dbapi = connection.connection.driver_connection
        assert dbapi is not None
        # The empty tree's root node is replaced by the built tree's.
        dbapi.execute(f'DELETE FROM "{tree}_node"')
        for part in _PARTS:
            rows = self._connection.execute(f'SELECT * FROM "boxes_{part}"')
            dbapi.executemany(f'INSERT INTO "{tree}_{part}" VALUES (?, ?)', rows)

    def close(self) -> None:
        """Stop the thread if it still works (the import failed) and drop the scratch."""
        if self._connection is not None:
            if self._thread.is_alive():
                self._connection.interrupt()
                self._thread.join()
            self._connection.close()
        self._folder.cleanup()


@contextmanager
def boxes_built_aside(
    connection: Connection, table: Table, bounds: dict[str, Any]
) -> Iterator[BoxesAside | None]:
    """Around a load of rows with ``bounds`` (min/max x/y float arrays, NaN where a row
    has no box) into ``table``: its R*Tree built aside when SQLite's R*Tree of the table
    is empty (None otherwise: the load's boxes are then inserted into it as before)."""
    if connection.dialect.name != "sqlite" or not len(bounds.get("min_x", ())):
        yield None
        return
    tree = f"rtree_{table.name}"
    exists = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (tree,)
    ).first()
    if exists is None or connection.exec_driver_sql(f'SELECT 1 FROM "{tree}" LIMIT 1').first():
        yield None
        return
    last_id = connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    aside = BoxesAside(table, int(last_id) + 1, bounds)
    aside.start()
    try:
        yield aside
    finally:
        aside.close()
