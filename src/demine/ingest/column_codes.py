"""One column of a file read by the columnar import: each distinct value parsed once.

A column is kept as its distinct values and each row's index (its code) into them. A
batch's distinct cells already met are found in one vectorised lookup
(``pyarrow.compute.index_in``); new ones are read by the field's own parser, one by
one, except the keys of stored records a reference names as they are: those are found
among the register's keys all at once (a national file of finds names 245,000
activities).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from demine.domain.kinds import Field, Kind
from demine.domain.rules import RuleContext
from demine.ingest.fields import ParseContext, Parser
from demine.ingest.specs import reads_stored_key, to_entity
from demine.store.mapping import stored_as_held, stored_columns
from demine.store.refs import Refs, key_map_of

#: A text made of printable ASCII with no space at either end (stripping keeps it as it
#: is; it holds no NUL).
PLAIN_TEXT = r"^[!-~]([ -~]*[!-~])?$"


class Undecided(Exception):
    """The columnar path cannot decide this file cheaply: the row path imports it."""


@dataclass(frozen=True)
class Reading:
    """What reading a file's values needs: the kind, its parse and rule contexts, the
    register's keys."""

    kind: Kind
    context: ParseContext
    rule_context: RuleContext
    refs: Refs


def cell(value: Any) -> Any:
    """A file's cell as the row path reads it (text stripped, empty as None)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, float) and value != value:
        return None
    return value


def objects(values: list[Any]) -> Any:
    """``values`` as a numpy array of objects (tuples kept whole)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


class ColumnCodes:
    """One field's values over the file's batches: each distinct value is parsed, its
    rule checked and its stored columns made once, and each row keeps only its index."""

    def __init__(
        self,
        field: Field,
        parse: Parser,
        rule: Callable[[Any, RuleContext], Any] | None,
        infer: bool,
        reading: Reading,
    ) -> None:
        self.field, self.parse, self.rule, self.infer = field, parse, rule, infer
        self.reading = reading
        #: Distinct value (a cell as the row path reads it) → its code.
        self.codes: dict[Any, int] = {}
        #: Per code: the entity's value; per stored column, its value.
        self.parsed: list[Any] = []
        self.stored: dict[str, list[Any]] = {}
        #: The cells met so far, as the file holds them, and the code of each.
        self.cells: pa.Array | None = None
        self.cell_codes = np.zeros(0, dtype=np.int32)
        #: The stored records' keys and ids, when a cell that is one is read as it is.
        self._keys: tuple[pa.Array, Any] | None = None
        if reads_stored_key(field) and rule is None and not infer:
            assert field.references is not None
            ids = key_map_of(reading.refs, field.references).id_by_key
            self._keys = (
                pa.array(list(ids), pa.large_string()),
                np.fromiter(ids.values(), dtype=np.int64, count=len(ids)),
            )

    def add(self, batch: pa.RecordBatch) -> Any:
        """The batch's column as indices into the distinct values."""
        rows = batch.num_rows
        if self.field.name not in batch.schema.names:
            return np.full(rows, self._code(None), dtype=np.int32)
        encoded = batch.column(self.field.name).dictionary_encode()
        codes = self._codes_of(encoded.dictionary)
        raw = encoded.indices
        if raw.null_count:
            codes = np.append(codes, np.int32(self._code(None)))
            raw = raw.fill_null(len(encoded.dictionary))
        return codes[raw.to_numpy(zero_copy_only=False)]

    def _codes_of(self, cells: pa.Array) -> Any:
        """The code of each of a batch's distinct ``cells``."""
        if self.cells is None:
            positions = np.full(len(cells), -1, dtype=np.int64)
        else:
            found_at = pc.index_in(cells, value_set=self.cells).fill_null(-1)
            positions = found_at.to_numpy(zero_copy_only=False)
        codes = np.empty(len(cells), dtype=np.int32)
        known = positions >= 0
        codes[known] = self.cell_codes[positions[known]]
        new = np.flatnonzero(~known)
        if len(new):
            new_cells = cells.take(pa.array(new))
            new_codes = self._new_codes(new_cells)
            codes[new] = new_codes
            self.cells = (
                new_cells if self.cells is None else pa.concat_arrays([self.cells, new_cells])
            )
            self.cell_codes = np.concatenate([self.cell_codes, new_codes])
        return codes

    def _new_codes(self, cells: pa.Array) -> Any:
        codes = np.full(len(cells), -1, dtype=np.int32)
        if self._keys is not None and (
            pa.types.is_string(cells.type) or pa.types.is_large_string(cells.type)
        ):
            self._stored_keys(cells, codes)
        rest = np.flatnonzero(codes < 0)
        if len(rest):
            values = cells.take(pa.array(rest)).to_pylist()
            codes[rest] = np.fromiter(
                (self._code(cell(value)) for value in values), dtype=np.int32, count=len(rest)
            )
        return codes

    def _stored_keys(self, cells: pa.Array, codes: Any) -> None:
        """The codes of the ``cells`` that are stored records' keys as they are (plain
        text, found among the keys): the field's parser would read each as itself, and
        the column holds its record's id."""
        assert self._keys is not None
        keys, ids = self._keys
        text = cells.cast(pa.large_string())
        plain = pc.match_substring_regex(text, PLAIN_TEXT).fill_null(False)
        positions = pc.index_in(text, value_set=keys).fill_null(-1).to_numpy(zero_copy_only=False)
        found = np.flatnonzero(plain.to_numpy(zero_copy_only=False) & (positions >= 0))
        parsed, column = self.parsed, self.stored.setdefault(self.field.stored_column, [])
        values = text.take(pa.array(found)).to_pylist()
        for at, key, row_id in zip(found, values, ids[positions[found]].tolist(), strict=True):
            code = self.codes.get(key)
            if code is None:
                code = self.codes[key] = len(parsed)
                parsed.append(key)
                column.append(row_id)
            codes[at] = code

    def _code(self, value: Any) -> int:
        code = self.codes.get(value)
        if code is None:
            parsed = self._parsed(value)
            code = self.codes[value] = len(self.parsed)
            self.parsed.append(parsed)
            reading = self.reading
            held = (
                {self.field.stored_column: parsed}
                if stored_as_held(self.field)
                else stored_columns(reading.kind, self.field, parsed, reading.refs)
            )
            for name, stored in held.items():
                self.stored.setdefault(name, []).append(stored)
        return code

    def _parsed(self, value: Any) -> Any:
        """A value as the entity holds it; a value the row path refuses (or an empty
        required one) leaves the file to the row path, which words the refusal."""
        field = self.field
        if value is None:
            if field.required:
                raise Undecided(f"empty {field.name}")
            parsed = to_entity(field, None)
        else:
            try:
                parsed = to_entity(field, self.parse(value, self.reading.context))
            except ValueError as exc:
                raise Undecided(f"{field.name}: {value!r}") from exc
        if self.rule is not None and self.rule(parsed, self.reading.rule_context):
            raise Undecided(f"a rule on {field.name}")
        if self.infer and parsed is None:
            raise Undecided("a district to infer")
        return parsed
