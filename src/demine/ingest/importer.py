"""Importing a file: read every row, validate all of it, then write all or nothing.

Nothing is written unless every row is valid; every bad row is reported with its file,
row, field and reason. Records are matched on their stable identifier, so importing the
same file again changes nothing, and a changed row updates its record (keeping history).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from demine.domain.access import Permission, Principal
from demine.domain.authorization import allowed, require
from demine.domain.entities import AdminArea, Organisation
from demine.domain.kinds import KINDS, Kind, Sensitivity
from demine.domain.kinds.exchange import derived_column_names, geometry_layers, no_geometry_layer
from demine.domain.names import name_key
from demine.domain.places import PlaceIndex
from demine.domain.rules import RuleContext
from demine.domain.vocab import AdminLevel
from demine.errors import ImportRejected, InvalidRequestError, Problem
from demine.i18n import _, ngettext
from demine.ingest.columnar import ColumnarFile
from demine.ingest.columnar_load import import_columns
from demine.ingest.fields import FieldSpec, ParseContext, boolean
from demine.ingest.gazetteers import builtin_gazetteer
from demine.ingest.geometry_warnings import GeometryWarnings
from demine.ingest.readers import SourceRow, SourceTable, open_table
from demine.ingest.specs import SPEC_BY_TYPE, SPECS, EntitySpec, spec_of
from demine.store.batches import finish_batch, start_batch
from demine.store.bulk import ANALYZE_AFTER, refresh_statistics
from demine.store.engine import Connection, Store
from demine.store.lookup import StoreLookup
from demine.store.mapping import mapping_for
from demine.store.protected import IMPORT, IMPORT_REFUSED, log_access
from demine.store.refs import Refs, load_refs
from demine.store.register import SaveCounts, load_all, save

#: Rows read, validated and saved at a time.
CHUNK_ROWS = 50_000

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

#: Columns that carry geometry, or that GDAL adds to KML files; never an error.
GEOMETRY_COLUMNS = {"wkt", "lon", "lat", "longitude", "latitude", "lng", "x", "y", "geometry"}
GDAL_EXTRA_COLUMNS = {
    "name", "description", "timestamp", "begin", "end", "altitudemode", "tessellate",
    "extrude", "visibility", "draworder", "icon", "snippet", "fid", "ogc_fid", "id",
}  # fmt: skip
#: The column marking the example rows of a template (``demine template KIND``): a row
#: whose ``example`` cell says yes is skipped, never imported as a record.
EXAMPLE_COLUMN = "example"


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    kind: str
    file_name: str
    rows: int
    counts: SaveCounts
    dry_run: bool
    batch_id: int | None = None
    notes: list[str] = field(default_factory=list)
    #: Template example rows skipped (marked in the ``example`` column).
    examples_skipped: int = 0


def import_file(
    store: Store,
    kind: str,
    path: Path,
    *,
    country: str,
    dry_run: bool = False,
    layer: str | None = None,
    crs: str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    principal: Principal | None = None,
    max_rows: int | None = None,
    kinds: Mapping[str, Kind] = KINDS,
) -> ImportReport:
    """Validate every row of ``path`` as records of ``kind`` and save them, all or nothing.

    Victims' personal data are imported only by a ``principal`` holding the victim-data
    permission.

    The file is read, validated and saved a chunk at a time inside one transaction, so a
    large file never sits whole in memory; once a row is found bad nothing more is saved,
    the rest is still validated (to report every bad row), and the transaction is rolled
    back. A file of more than ``max_rows`` rows is refused (uploads over the web).
    Victims' personal data need a ``principal`` with the victim-data grant; the import,
    or the refused attempt, is written to the access log. ``kinds`` are the registry's
    as the programme's fields file extends them (its fields are read and checked too).
    """
    if kind not in kinds or kinds[kind].machine_made:
        raise InvalidRequestError(
            _("unknown import kind '{kind}' (accepted: {accepted})").format(
                kind=kind, accepted=", ".join(k for k in kinds if not kinds[k].machine_made)
            )
        )
    spec = spec_of(kinds[kind])
    personal = KINDS[kind].sensitivity is Sensitivity.PERSONAL
    if personal:
        _require_personal_data_grant(store, principal, path, dry_run)
    # Areas may name parents further down the file: they are validated all at once.
    chunk_rows = None if spec.entity_type is AdminArea else CHUNK_ROWS
    stream = open_table(
        path, layer=layer, crs=crs, preferred_layer=layer_names(kinds[kind]), chunk_rows=chunk_rows,
        max_rows=max_rows,
    )  # fmt: skip
    notes: list[str] = []
    now = datetime.now(UTC)
    counts = SaveCounts()
    with store.write(rollback=dry_run) as connection:
        refs = load_refs(connection)
        context = parse_context(connection, country, refs)
        batch_id: int | None = start_batch(
            connection, kind, stream.name, stream.sha256, country, now
        )
        total = stream.total
        rule_context = RuleContext(today=today or date.today(), extent=context.places.extent())
        source = ColumnarFile(
            path, layer, stream.name, kinds[kind], spec, context, rule_context, refs
        )
        stored = import_columns(
            connection, source, notes, (batch_id, now),
            None if progress is None else lambda done: progress(done, total),
        )  # fmt: skip
        if stored is not None:
            counts.add(stored)
            accepted, examples = stored.inserted, 0
        else:
            # The saving code's own key maps: it adds the keys it saves, which the
            # parse context's register lookup must not see.
            refs = load_refs(connection)
            validator = RowValidator(
                spec, stream.name, stream.columns, context, today or date.today(), notes,
                examples=True,
            )  # fmt: skip
            done = 0
            for rows in stream:
                entities = validator.validate(rows)
                if not validator.problems:
                    counts.add(save_grouped(connection, entities, refs, batch_id, now))
                done += len(rows)
                if progress is not None:
                    progress(done, stream.total)
            validator.raise_problems()
            validator.refuse_examples_only()
            if personal and not dry_run:
                keys = sorted(validator.first_row_of)
                log_access(
                    connection, principal, IMPORT, keys, _purpose_of(path), table=KINDS[kind].table
                )
            accepted, examples = validator.accepted, validator.examples
        batch_id = finish_batch(connection, batch_id, counts, accepted)
        if counts.inserted + counts.updated >= ANALYZE_AFTER and not dry_run:
            refresh_statistics(connection, mapping_for(spec.entity_type).table)
    log.info("%s %s: %s", kind, stream.name, counts)
    if examples:
        notes.insert(0, _examples_skipped(examples))
    return ImportReport(
        kind=kind,
        file_name=stream.name,
        rows=stream.total,
        counts=counts,
        dry_run=dry_run,
        batch_id=None if dry_run else batch_id,
        notes=notes,
        examples_skipped=examples,
    )


def _purpose_of(path: Path) -> str:
    # The access log keeps 500 characters of a purpose.
    return _("import of {file}").format(file=path.name)[:500]


def _require_personal_data_grant(
    store: Store, principal: Principal | None, path: Path, dry_run: bool
) -> None:
    """Refuse an import of personal data without the victim-data grant (the refusal
    logged, unless a dry run, which never writes)."""
    if allowed(principal, Permission.VICTIM_DATA):
        return
    if not dry_run:
        with store.write() as connection:
            log_access(connection, principal, IMPORT_REFUSED, [], _purpose_of(path))
    require(principal, Permission.VICTIM_DATA, _("import victims' personal data"))


def _examples_skipped(count: int) -> str:
    return ngettext("{count} example row skipped", "{count} example rows skipped", count).format(
        count=count
    )


def layer_names(kind: Kind) -> list[str]:
    """The layers (or sheets) that hold records of ``kind`` in a file of several: its
    layers of each geometry type, of records without geometry, and the one layer named
    like the kind that exports before issue 18 wrote."""
    names = [layer.name for layer in (*geometry_layers(kind), no_geometry_layer(kind))]
    return list(dict.fromkeys([*names, kind.name.replace("-", "_")]))


def parse_context(connection: Connection, country: str, refs: Refs | None = None) -> ParseContext:
    """Everything rows may refer to: places, organisations, hazards, activities
    (``refs``: the register's key maps, when already loaded; never changed here)."""
    if refs is None:
        refs = load_refs(connection)
    areas = load_all(connection, AdminArea, refs)
    organisations = load_all(connection, Organisation, refs)
    by_key: dict[str, str] = {}
    for organisation in organisations:
        by_key[name_key(organisation.name)] = organisation.code
    for organisation in organisations:  # codes win over names
        by_key[name_key(organisation.code)] = organisation.code
    return ParseContext(
        country=country,
        places=PlaceIndex(country, areas),
        organisations=by_key,
        hazards=set(refs.hazards.id_by_key),
        activities=set(refs.activities.id_by_key),
        accidents=set(refs.accidents.id_by_key),
        victims=set(refs.victims.id_by_key),
        minefield_records=set(refs.minefield_records.id_by_key),
        register=StoreLookup(connection, refs),
        known={kind: set(keys.id_by_key) for kind, keys in refs.maps.items()},
    )


def validate_table(
    spec: EntitySpec,
    table: SourceTable,
    context: ParseContext,
    today: date,
    progress: Progress | None = None,
    notes: list[str] | None = None,
) -> list[Any]:
    """Every row of ``table`` as an entity; raises :class:`ImportRejected` listing all bad rows.

    Geometry the spec repairs is noted in ``notes`` (file, row and what was done).
    """
    validator = RowValidator(spec, table.name, table.columns, context, today, notes)
    entities = validator.validate(table.rows)
    if progress is not None:
        progress(len(table.rows), len(table.rows))
    validator.raise_problems()
    return entities


#: Parsed values remembered per field: enough for every code, district and date of a file.
_MEMO_LIMIT = 10_000


class RowValidator:
    """Validates the rows of one file, chunk after chunk, remembering what it has seen.

    Ids seen in earlier chunks are remembered (a duplicate id is an error wherever it is),
    as are the problems found so far; each distinct raw value of a field is parsed once.
    With ``examples`` (files, not single records sent to the API) rows marked in the
    ``example`` column are skipped and counted.
    """

    def __init__(
        self,
        spec: EntitySpec,
        file_name: str,
        columns: list[str],
        context: ParseContext,
        today: date,
        notes: list[str] | None = None,
        *,
        examples: bool = False,
    ) -> None:
        self.spec = spec
        self.file_name = file_name
        self.context = context
        self.notes = notes
        derived = derived_column_names(KINDS[spec.kind]) if spec.kind in KINDS else frozenset()
        self.renames = _column_renames([*(f.name for f in spec.fields), *derived], columns)
        self.columns = [self.renames.get(c, c) for c in columns]
        self.example_column = _example_column(self.columns) if examples else None
        # Computed on export from the fields they derive from: read, and ignored.
        known = [c for c in self.columns if c != self.example_column and c not in derived]
        self.problems: list[Problem] = _column_problems(spec, file_name, known)
        self.rule_context = RuleContext(today=today, extent=context.places.extent())
        self.first_row_of: dict[Any, int] = {}
        self._first_source: dict[Any, str] = {}
        self.geometry = GeometryWarnings(spec.kind, file_name, context.places, notes)
        self.accepted = 0
        #: Example rows skipped.
        self.examples = 0
        self._memo: dict[str, dict[tuple[type, Any], tuple[Any, str | None]]] = {
            f.name: {} for f in spec.fields
        }

    def validate(self, rows: list[SourceRow]) -> list[Any]:
        """The valid rows' entities; problems of the others are added to ``problems``."""
        if self.renames:
            for row in rows:
                row.values = {self.renames.get(k, k): v for k, v in row.values.items()}
        if self.example_column is not None:
            rows = [row for row in rows if not self._is_example(row)]
        if self.spec.entity_type is AdminArea:
            _add_file_areas(rows, self.context)
        entities: list[Any] = []
        key_field = self.spec.key_field
        for row in rows:
            file_name = row.source or self.file_name
            entity, row_problems = _validate_row(
                self.spec,
                file_name,
                row,
                self.context,
                self.rule_context,
                self.notes,
                self._parse,
            )
            self.problems += row_problems
            if entity is None:
                continue
            key = getattr(entity, key_field)
            first = self.first_row_of.setdefault(key, row.number)
            first_in = self._first_source.setdefault(key, file_name)
            if (first, first_in) != (row.number, file_name):
                said = (
                    _("duplicate id '{key}' (also in row {first})")
                    if first_in == file_name
                    else _("duplicate id '{key}' (also in {file}, row {first})")
                )
                self.problems.append(
                    Problem(
                        file_name,
                        row.number,
                        key_field,
                        said.format(key=key, first=first, file=first_in),
                    )
                )
            else:
                entities.append(entity)
                self.geometry.check(entity, row.number, row.source)
        self.accepted += len(entities)
        return entities

    def raise_problems(self) -> None:
        """Refuse the file if a row was bad; else add the warnings about its rows'
        geometries compared with each other."""
        if self.problems:
            raise ImportRejected(self.problems)
        self.geometry.finish()

    def refuse_examples_only(self) -> None:
        """Refuse a file whose only rows are examples: a template imported unchanged."""
        if self.examples and not self.accepted:
            raise InvalidRequestError(
                _(
                    "{file}: no data rows ({examples}): write your records in rows of their "
                    "own, with the '{column}' column empty"
                ).format(
                    file=self.file_name,
                    examples=_examples_skipped(self.examples),
                    column=EXAMPLE_COLUMN,
                )
            )

    def _is_example(self, row: SourceRow) -> bool:
        """Whether ``row`` is marked as an example (its marker is taken off the row)."""
        assert self.example_column is not None
        marker = row.values.pop(self.example_column, None)
        if marker is None:
            return False
        try:
            example = boolean(marker, self.context)
        except ValueError as exc:
            row.problems.append(
                Problem(
                    row.source or self.file_name,
                    row.number,
                    self.example_column,
                    _("{reason}: this column marks example rows, which are never imported").format(
                        reason=exc
                    ),
                )
            )
            return False
        self.examples += example
        return example

    def _parse(self, spec_field: FieldSpec, raw: Any) -> Any:
        memo = self._memo[spec_field.name]
        key = (type(raw), raw)
        # A request may send a list or an object where a file has text: not remembered.
        remembered = _hashable(raw)
        known = memo.get(key) if remembered else None
        if known is None:
            try:
                known = (spec_field.parse(raw, self.context), None)
            except ValueError as exc:
                known = (None, str(exc))
            if remembered and len(memo) < _MEMO_LIMIT:
                memo[key] = known
        value, reason = known
        if reason is not None:
            raise ValueError(reason)
        return value


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _example_column(columns: list[str]) -> str | None:
    """The column marking example rows (any case), if the file has one."""
    return next((c for c in columns if c.lower() == EXAMPLE_COLUMN), None)


#: Shapefile (dBase) field names are cut to 10 characters; GDAL names a second column
#: cut to the same 10 as the first 8 characters, ``_`` and a digit (``declared_1``).
_DBASE_NAME_LENGTH = 10
_DBASE_RENAMED = re.compile(r"^(.{8})_\d$")


def _column_renames(known: list[str], columns: list[str]) -> dict[str, str]:
    """Columns whose names differ only in case or were cut short by a Shapefile.

    A cut name is matched, in the file's order, to the first column of ``known`` (in
    the kind's order, which an export keeps) it begins, not already in the file.
    """
    renames: dict[str, str] = {}
    taken = set(columns)
    for column in columns:
        if column in known:
            continue
        lowered = column.lower()
        matches = [k for k in known if k.lower() == lowered]
        renamed = _DBASE_RENAMED.match(lowered)
        if not matches and (len(column) == _DBASE_NAME_LENGTH or renamed):
            start = renamed.group(1) if renamed else lowered
            matches = [k for k in known if k.lower().startswith(start) and k not in taken][:1]
        if len(matches) == 1 and matches[0] not in taken:
            renames[column] = matches[0]
            taken.add(matches[0])
    return renames


def _column_problems(spec: EntitySpec, file_name: str, columns: list[str]) -> list[Problem]:
    known = {s.name for s in spec.fields}
    problems = []
    for column in columns:
        lowered = column.lower()
        if column not in known and lowered not in GEOMETRY_COLUMNS | GDAL_EXTRA_COLUMNS:
            problems.append(
                Problem(
                    file_name,
                    None,
                    column,
                    _("unknown column for {kind} (see 'demine template {kind}')").format(
                        kind=spec.kind
                    ),
                )
            )
    for spec_field in spec.fields:
        if spec_field.required and spec_field.name not in columns:
            problems.append(
                Problem(file_name, None, spec_field.name, _("required column is missing"))
            )
    return problems


def _validate_row(
    spec: EntitySpec,
    file_name: str,
    row: SourceRow,
    context: ParseContext,
    rule_context: RuleContext,
    notes: list[str] | None = None,
    parse: Callable[[FieldSpec, Any], Any] | None = None,
) -> tuple[Any, list[Problem]]:
    problems = list(row.problems)
    if spec.repair is not None and row.geometry is not None:
        problems += _repair_geometry(spec, file_name, row, notes)
    values: dict[str, Any] = {}
    for spec_field in spec.fields:
        raw = row.values.get(spec_field.name)
        if raw is None:
            values[spec_field.name] = None
            if spec_field.required:
                problems.append(
                    Problem(file_name, row.number, spec_field.name, _("required value is missing"))
                )
            continue
        try:
            if parse is None:
                values[spec_field.name] = spec_field.parse(raw, context)
            else:
                values[spec_field.name] = parse(spec_field, raw)
        except ValueError as exc:
            problems.append(Problem(file_name, row.number, spec_field.name, str(exc)))
            values[spec_field.name] = None
    if spec.infer_district and values["district"] is None and "district" not in _failed(problems):
        values["district"] = _district_from_geometry(row, context) or _district_of_settlement(
            spec, values, context
        )
        if values["district"] is None:
            problems.append(
                Problem(
                    file_name,
                    row.number,
                    "district",
                    _("no district given, and none contains the geometry"),
                )
            )
    if spec.entity_type is AdminArea and values.get("parent") is not None:
        try:
            values["parent"] = _resolve_parent(values, context)
        except ValueError as exc:
            problems.append(Problem(file_name, row.number, "parent", str(exc)))
    if spec.entity_type is AdminArea:
        _names_from_gazetteer(values, context.country)
    if problems:
        return None, problems
    entity = spec.build(values, row.geometry, context)
    for field_name, reason in spec.check(entity, rule_context):
        problems.append(Problem(file_name, row.number, field_name, reason))
    if not problems and spec.register_check is not None and context.register is not None:
        for field_name, reason in spec.register_check(entity, context.register):
            problems.append(Problem(file_name, row.number, field_name, reason))
    return (None if problems else entity), problems


def _repair_geometry(
    spec: EntitySpec, file_name: str, row: SourceRow, notes: list[str] | None
) -> list[Problem]:
    """Mend the row's geometry if it has one obvious repair; else say why not."""
    assert spec.repair is not None and row.geometry is not None
    repair = spec.repair(row.geometry)
    if repair is None:
        return []
    if repair.geometry is None:
        reason = _(
            "invalid geometry ({problem}) that cannot be repaired unambiguously: {explanation}"
        ).format(problem=repair.problem, explanation=repair.explanation)
        return [Problem(file_name, row.number, "geometry", reason)]
    row.geometry = repair.geometry
    if notes is not None:
        note = Problem(
            file_name,
            row.number,
            "geometry",
            _("invalid geometry ({problem}) {explanation}").format(
                problem=repair.problem, explanation=repair.explanation
            ),
        )
        notes.append(str(note))
    return []


def _failed(problems: list[Problem]) -> set[str]:
    return {p.field for p in problems if p.field}


def _district_from_geometry(row: SourceRow, context: ParseContext) -> str | None:
    if row.geometry is None or row.geometry.is_empty:
        return None
    return context.places.district_containing(row.geometry.representative_point())


def _names_from_gazetteer(values: dict[str, Any], country: str) -> None:
    """An area of the built-in gazetteer keeps its Azerbaijani and Russian names when
    the file gives none (a programme's own areas file need not repeat them)."""
    known = builtin_gazetteer(country.upper())
    if known is None:
        return
    for name_field, name in known.names_by_language(str(values.get("code"))).items():
        if not values.get(name_field):
            values[name_field] = name


def _district_of_settlement(
    spec: EntitySpec, values: dict[str, Any], context: ParseContext
) -> str | None:
    """The district of a settlement the row names (a reference to a settlement-level area)."""
    for described in KINDS[spec.kind].fields:
        code = values.get(described.name)
        if described.level == AdminLevel.SETTLEMENT and code in context.places.areas:
            return context.places.areas[code].parent_code
    return None


def _resolve_parent(values: dict[str, Any], context: ParseContext) -> str:
    parent = str(values["parent"])
    if parent in context.places.areas:
        return parent
    level_above = {
        AdminLevel.DISTRICT: AdminLevel.COUNTRY,
        AdminLevel.SETTLEMENT: AdminLevel.DISTRICT,
    }
    level = values.get("level")
    if level not in level_above:
        raise ValueError(_("a {level} has no parent area").format(level=level))
    return context.places.resolve(parent, level_above[level])


def _add_file_areas(rows: list[SourceRow], context: ParseContext) -> None:
    """Let areas in a file name parents defined further down the same file."""
    for row in rows:
        code, name, level = (row.values.get(k) for k in ("code", "name", "level"))
        levels = {lvl.value for lvl in AdminLevel}
        if code and name and str(level).lower() in levels and str(code) not in context.places.areas:
            context.places.add(
                AdminArea(str(code), str(name), AdminLevel(str(level).lower()), context.country)
            )


def save_entities(
    store: Store,
    entities: Sequence[Any],
    *,
    kind: str,
    source_name: str,
    sha256: str,
    country: str,
    dry_run: bool = False,
    rows: int | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Save validated ``entities`` (grouped by type, in dependency order) in one transaction.

    An import batch is recorded only when something changed, so a repeated import
    leaves the database exactly as it was. ``progress`` hears of each type saved.
    """
    now = datetime.now(UTC)
    with store.write(rollback=dry_run) as connection:
        refs = load_refs(connection)
        batch_id: int | None = start_batch(connection, kind, source_name, sha256, country, now)
        counts = save_grouped(connection, entities, refs, batch_id, now, progress)
        batch_id = finish_batch(connection, batch_id, counts, len(entities))
    log.info("%s %s: %s", kind, source_name, counts)
    return ImportReport(
        kind=kind,
        file_name=source_name,
        rows=len(entities) if rows is None else rows,
        counts=counts,
        dry_run=dry_run,
        batch_id=None if dry_run else batch_id,
    )


def save_grouped(
    connection: Connection,
    entities: Sequence[Any],
    refs: Refs,
    batch_id: int | None,
    now: datetime,
    progress: Progress | None = None,
) -> SaveCounts:
    """Save entities of several types, referenced types first."""
    counts = SaveCounts()
    done = 0
    for spec in SPECS.values():
        of_type = [e for e in entities if type(e) is spec.entity_type]
        counts.add(save(connection, of_type, refs, batch_id, now))
        done += len(of_type)
        if progress is not None and of_type:
            progress(done, len(entities))
    unknown = {type(e).__name__ for e in entities if type(e) not in SPEC_BY_TYPE}
    if unknown:
        raise InvalidRequestError(f"cannot save records of type {', '.join(sorted(unknown))}")
    return counts
