"""Checking a file uploaded to import, before any reader opens it.

A file's type is decided by its content, not its name: a GeoPackage starts with the
SQLite header and says it is a GeoPackage, a workbook or archive is a zip, GeoJSON is
JSON text, KML is XML naming ``kml``, and anything else that is UTF-8 text is CSV.
A name that claims another type is refused (so is content no reader should open, such
as a GDAL virtual file pointing elsewhere on the server). Before a workbook or archive
is opened, its central directory is checked: how much it unpacks to, in all and member
by member, so that a zip bomb is refused without inflating a byte. An archive holding
one file to import (or one shapefile with its companion files) is unpacked, within the
same bounds, and that file is checked in turn.
"""

from __future__ import annotations

import codecs
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from demine.errors import InvalidRequestError, UploadTooLarge
from demine.i18n import _

MB = 1024 * 1024
#: A member unpacking to more than this many times its packed size, past
#: ``RATIO_FROM_BYTES``, is taken for a zip bomb (sheets of real workbooks stay far below).
MAX_RATIO = 200
RATIO_FROM_BYTES = 4 * MB
MAX_MEMBERS = 10_000
_HEAD_BYTES = 64 * 1024

SQLITE = b"SQLite format 3\x00"
#: GeoPackage ``application_id`` values (offset 68 of the SQLite header).
GEOPACKAGE_IDS = (b"GPKG", b"GP10", b"GP11")
ZIP = (b"PK\x03\x04", b"PK\x05\x06")
FLATGEOBUF = b"fgb\x03"
SHAPEFILE = b"\x00\x00\x27\x0a"
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
#: Suffixes naming the same type of content.
_SAME_TYPE = {".json": ".geojson"}
#: What each type is called in messages.
LABELS = {
    ".gpkg": "GeoPackage",
    ".xlsx": "XLSX workbook",
    ".zip": "zip archive",
    ".fgb": "FlatGeobuf",
    ".shp": "shapefile",
    ".geojson": "GeoJSON",
    ".kml": "KML",
    ".csv": "CSV text",
}
#: Types a zip may hold to be imported.
IMPORTABLE_IN_ZIP = (".gpkg", ".geojson", ".json", ".csv", ".xlsx", ".kml", ".fgb", ".shp")


@dataclass(frozen=True)
class UploadLimits:
    """How large an uploaded file may be, unpacked, and how many rows it may hold."""

    max_bytes: int
    max_unpacked_bytes: int
    max_rows: int


def content_type(path: Path) -> str:
    """The suffix of the type ``path``'s content is (``.gpkg``, ``.xlsx``, ``.zip``,
    ``.fgb``, ``.shp``, ``.geojson``, ``.kml`` or ``.csv``); anything else is refused."""
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    if head.startswith(SQLITE):
        if head[68:72] in GEOPACKAGE_IDS:
            return ".gpkg"
        raise InvalidRequestError(
            _("{file}: an SQLite database that is not a GeoPackage").format(file=path.name)
        )
    if head.startswith(ZIP):
        return ".xlsx" if _is_workbook(path) else ".zip"
    if head.startswith(FLATGEOBUF):
        return ".fgb"
    if head.startswith(SHAPEFILE):
        return ".shp"
    return _text_type(path.name, head)


def _is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as error:
        raise InvalidRequestError(
            _("{file}: not a readable zip archive ({error})").format(file=path.name, error=error)
        ) from None
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def _text_type(name: str, head: bytes) -> str:
    unknown = _("{file}: not a file type Demine imports (by its content)").format(file=name)
    if b"\x00" in head:
        raise InvalidRequestError(unknown)
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        raise InvalidRequestError(unknown) from None
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith(("{", "[")):
        return ".geojson"
    if start.startswith("<"):
        # GDAL would also open virtual files (.vrt) that read other files of the server.
        if "<kml" in text and "OGRVRTDataSource" not in text:
            return ".kml"
        raise InvalidRequestError(unknown)
    return ".csv"


def check_zip(path: Path, limits: UploadLimits) -> list[zipfile.ZipInfo]:
    """The members of the archive ``path``, after checking from its central directory
    alone that it unpacks within the limits (a zip bomb is refused unopened)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise InvalidRequestError(
            _("{file}: not a readable zip archive ({error})").format(file=path.name, error=error)
        ) from None
    if len(members) > MAX_MEMBERS:
        raise UploadTooLarge(
            _("{file} holds {count} files; at most {limit} are accepted").format(
                file=path.name, count=len(members), limit=MAX_MEMBERS
            )
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked_bytes:
        raise UploadTooLarge(
            _("{file} unpacks to {size} MB; at most {limit} MB are accepted").format(
                file=path.name, size=unpacked // MB, limit=limits.max_unpacked_bytes // MB
            )
        )
    for member in members:
        if member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise UploadTooLarge(
                _(
                    "{file}: '{member}' unpacks to {ratio} times its packed size; "
                    "refused as a possible zip bomb"
                ).format(
                    file=path.name,
                    member=member.filename,
                    ratio=member.file_size // max(member.compress_size, 1),
                )
            )
    return members


def checked_upload(path: Path, limits: UploadLimits) -> Path:
    """The file to import from the upload ``path``: ``path`` itself (given the suffix of
    its content if its name had none Demine reads), or the file unpacked from it when it
    is a zip archive. Anything else is refused with the reason."""
    found = content_type(path)
    path = _named_for(path, found)
    if found == ".shp":
        raise InvalidRequestError(
            _(
                "{file}: a shapefile needs its .dbf, .shx and .prj files: upload the four "
                "together in a zip archive"
            ).format(file=path.name)
        )
    if found == ".xlsx":
        check_zip(path, limits)
    if found == ".zip":
        return _unpacked(path, limits)
    return path


def _named_for(path: Path, found: str) -> Path:
    """``path`` renamed to end in ``found`` if it has no known suffix; refused if its
    suffix names another type than its content."""
    suffix = path.suffix.lower()
    if _SAME_TYPE.get(suffix, suffix) == found:
        return path
    if suffix in LABELS or suffix in _SAME_TYPE:
        raise InvalidRequestError(
            _("{file}: the content is {content}, not what the name ({suffix}) says").format(
                file=path.name, content=LABELS[found], suffix=suffix
            )
        )
    return path.rename(path.with_name(path.name + found))


def _unpacked(path: Path, limits: UploadLimits) -> Path:
    members = [
        m
        for m in check_zip(path, limits)
        if not m.is_dir()
        and not PurePosixPath(m.filename).name.startswith(".")
        and "__MACOSX" not in PurePosixPath(m.filename).parts
    ]
    main = [m for m in members if PurePosixPath(m.filename).suffix.lower() in IMPORTABLE_IN_ZIP]
    if len(main) != 1:
        raise InvalidRequestError(
            _(
                "{file}: a zip archive must hold one file to import (GeoPackage, GeoJSON, "
                "CSV, XLSX, KML, FlatGeobuf or a shapefile); it holds {count}"
            ).format(file=path.name, count=len(main))
        )
    chosen = PurePosixPath(main[0].filename)
    wanted = [main[0]]
    if chosen.suffix.lower() == ".shp":
        wanted = [
            m
            for m in members
            if PurePosixPath(m.filename).parent == chosen.parent
            and PurePosixPath(m.filename).stem == chosen.stem
            and PurePosixPath(m.filename).suffix.lower() in SHAPEFILE_PARTS
        ]
    # Beside the archive, whose name ends in .zip as no member chosen here does.
    folder = path.parent
    try:
        with zipfile.ZipFile(path) as archive:
            for member in wanted:
                # Only the member's own name: never a path out of the folder. A member
                # never unpacks past the size the central directory declares for it.
                target = folder / PurePosixPath(member.filename).name
                with archive.open(member) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out, MB)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as error:
        raise InvalidRequestError(
            _("{file}: cannot unpack '{member}' ({error})").format(
                file=path.name, member=chosen, error=error
            )
        ) from None
    inner = folder / chosen.name
    if content_type(inner) == ".zip":
        raise InvalidRequestError(
            _("{file}: a zip archive inside a zip archive is not read").format(file=path.name)
        )
    return inner if chosen.suffix.lower() == ".shp" else checked_upload(inner, limits)
