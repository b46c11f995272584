"""The backup archive: a zip holding ``manifest.json``, one file of canonical lines per
table (``tables/NAME.jsonl``, see :mod:`demine.store.canonical`) and the bytes of every
attachment once (``attachments/SHA256``).

The manifest names the schema revision the rows belong to and, per table, its columns,
row count and checksum. Reading an archive checks all of it before anything is written:
a damaged zip, a missing or unknown table, a file whose checksum or row count differs
from the manifest, or an attachment whose bytes do not match its name is refused with
a message that names the file and what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from demine.errors import IntegrityCheckFailed, InvalidRequestError
from demine.i18n import _
from demine.store.canonical import Digest

FORMAT = "demine-backup"
#: Bumped when the layout changes; an archive of a newer format is refused.
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_CHUNK = 1 << 20


def table_member(table: str) -> str:
    return f"tables/{table}.jsonl"


def attachment_member(sha256: str) -> str:
    return f"attachments/{sha256}"


@dataclass(frozen=True)
class TableEntry:
    """What the manifest says of one table."""

    columns: tuple[str, ...]
    rows: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """What a backup holds: its schema revision and every table's count and checksum."""

    schema_revision: str
    created_at: str
    database: str
    demine_version: str
    tables: dict[str, TableEntry]
    attachment_files: int
    attachment_bytes: int

    def to_json(self) -> bytes:
        document: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION}
        document.update(asdict(self))
        document["tables"] = {
            name: {"columns": list(entry.columns), "rows": entry.rows, "sha256": entry.sha256}
            for name, entry in sorted(self.tables.items())
        }
        return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"

    @classmethod
    def from_json(cls, data: bytes, source: str) -> Manifest:
        """The manifest in ``data``; ``source`` names it in errors."""
        try:
            document = json.loads(data.decode("utf-8"))
            if document.get("format") != FORMAT:
                raise ValueError(
                    _("its format is {found!r}, not {expected!r}").format(
                        found=document.get("format"), expected=FORMAT
                    )
                )
            version = int(document["format_version"])
            if version > FORMAT_VERSION:
                raise IntegrityCheckFailed(
                    _(
                        "{source} is written in archive format {version}, newer than this "
                        "Demine reads ({known}); restore it with a newer Demine."
                    ).format(source=source, version=version, known=FORMAT_VERSION)
                )
            tables = {
                str(name): TableEntry(
                    tuple(str(column) for column in entry["columns"]),
                    int(entry["rows"]),
                    str(entry["sha256"]),
                )
                for name, entry in document["tables"].items()
            }
            return cls(
                schema_revision=str(document["schema_revision"]),
                created_at=str(document["created_at"]),
                database=str(document["database"]),
                demine_version=str(document["demine_version"]),
                tables=tables,
                attachment_files=int(document["attachment_files"]),
                attachment_bytes=int(document["attachment_bytes"]),
            )
        except IntegrityCheckFailed:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            detail = f"no {exc}" if isinstance(exc, KeyError) else str(exc)
            raise IntegrityCheckFailed(
                _("{source} is not a Demine backup manifest: {detail}").format(
                    source=source, detail=detail
                )
            ) from exc


def read_manifest(path: Path) -> Manifest:
    """The manifest of a backup archive, or of a ``manifest.json`` taken out of one."""
    if not path.is_file():
        raise InvalidRequestError(_("{path}: no such file").format(path=path))
    if zipfile.is_zipfile(path):
        with Archive(path) as archive:
            return archive.manifest
    return Manifest.from_json(path.read_bytes(), str(path))


class Archive:
    """A backup archive opened for reading (use as a context manager)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.is_file():
            raise InvalidRequestError(_("{path}: no such file").format(path=path))
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise self.rejected(
                _("{path} is not a readable backup archive (damaged or truncated): {detail}"),
                detail=exc,
            ) from exc
        try:
            self.names = set(self._zip.namelist())
            if MANIFEST not in self.names:
                raise self.rejected(_("{path} holds no manifest.json: it is not a Demine backup"))
            self.manifest = Manifest.from_json(self._read(MANIFEST), f"{path}: {MANIFEST}")
        except BaseException:
            self._zip.close()
            raise

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self._zip.close()

    def rejected(self, message: str, **values: object) -> IntegrityCheckFailed:
        return IntegrityCheckFailed(message.format(path=self.path, **values))

    def _read(self, member: str) -> bytes:
        with self._open(member) as stream:
            return b"".join(self._chunks(member, stream))

    def _open(self, member: str) -> IO[bytes]:
        try:
            return self._zip.open(member)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise self._damaged(member, exc) from exc

    def _chunks(self, member: str, stream: IO[bytes]) -> Iterator[bytes]:
        try:
            while chunk := stream.read(_CHUNK):
                yield chunk
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise self._damaged(member, exc) from exc

    def _damaged(self, member: str, exc: BaseException) -> IntegrityCheckFailed:
        return self.rejected(_("{path}: {member} is damaged: {detail}"), member=member, detail=exc)

    def verify(self, columns: Mapping[str, tuple[str, ...]]) -> None:
        """Check that the archive holds exactly the tables of ``columns`` (name → column
        names), each file matching the manifest's count and checksum, and every
        attachment's bytes matching its name. Raises on the first problem."""
        tables = self.manifest.tables
        unknown = sorted(set(tables) - set(columns))
        if unknown:
            raise self.rejected(
                _("{path}: table {table} is unknown to this Demine"), table=unknown[0]
            )
        for name, expected in columns.items():
            if name not in tables:
                raise self.rejected(_("{path}: table {table} is missing"), table=name)
            if tables[name].columns != expected:
                raise self.rejected(
                    _("{path}: table {table} has the columns {found}, not {expected}"),
                    table=name,
                    found=", ".join(tables[name].columns),
                    expected=", ".join(expected),
                )
            self._verify_table(name, tables[name])
        self._verify_attachments()

    def _verify_table(self, name: str, entry: TableEntry) -> None:
        member = table_member(name)
        if member not in self.names:
            raise self.rejected(_("{path}: {member} is missing"), member=member)
        digest = Digest()
        for _number, row_line in self.lines(name):
            digest.add(row_line)
        if (digest.rows, digest.sha256) != (entry.rows, entry.sha256):
            raise self.rejected(
                _(
                    "{path}: {member} is corrupt: it holds {rows} rows with checksum {sha256}, "
                    "the manifest says {expected_rows} rows with checksum {expected_sha256}"
                ),
                member=member,
                rows=digest.rows,
                sha256=digest.sha256,
                expected_rows=entry.rows,
                expected_sha256=entry.sha256,
            )

    def _verify_attachments(self) -> None:
        files = sorted(name for name in self.names if name.startswith("attachments/"))
        total = 0
        for member in files:
            content = self._read(member)
            total += len(content)
            if attachment_member(hashlib.sha256(content).hexdigest()) != member:
                raise self.rejected(
                    _("{path}: {member} is corrupt: its bytes do not match its checksum"),
                    member=member,
                )
        expected = (self.manifest.attachment_files, self.manifest.attachment_bytes)
        if (len(files), total) != expected:
            raise self.rejected(
                _(
                    "{path}: the archive holds {files} attachments ({size} bytes), "
                    "the manifest says {expected_files} ({expected_size} bytes)"
                ),
                files=len(files),
                size=total,
                expected_files=expected[0],
                expected_size=expected[1],
            )

    def lines(self, table: str) -> Iterator[tuple[int, bytes]]:
        """The numbered lines of ``table``'s file."""
        member = table_member(table)
        with self._open(member) as stream:
            pending = b""
            number = 0
            for chunk in self._chunks(member, stream):
                pending += chunk
                *complete, pending = pending.split(b"\n")
                for row_line in complete:
                    number += 1
                    yield number, row_line + b"\n"
            if pending:
                number += 1
                yield number, pending

    def attachment(self, sha256: str) -> bytes:
        member = attachment_member(sha256)
        if member not in self.names:
            raise self.rejected(_("{path}: {member} is missing"), member=member)
        return self._read(member)
