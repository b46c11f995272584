"""Where compiled read statements are kept between runs (see :mod:`.compiled`).

One JSON file per dialect, schema revision and code version, in the user's cache
folder (``$XDG_CACHE_HOME/demine``, else ``~/.cache/demine``; ``%LOCALAPPDATA%`` on
Windows). Not next to the database: a PostGIS register has no file, a SQLite file's
folder may be read-only or shared, and what is kept depends on the code, not on the
data. The file's name holds a hash of Demine's version and of every source file that
builds statements (``store/`` and the registry of kinds), so a changed builder, a new
release or another schema revision never reads an old file: at worst a run compiles
again. Two processes may fill the same file at once: each writes a whole new file and
renames it over the old one (atomic), so a reader sees one file or the other, never
half of one; an entry one of them added may be lost, and is compiled again later.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

import demine
from demine.store.compiled import Compiled

log = logging.getLogger(__name__)

#: The sources whose text decides the statements compiled (hashed into the file name).
_SOURCES = ("store", "store/reads", "domain/kinds")


def cache_folder() -> Path:
    """The user's cache folder for Demine."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "demine" / "Cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "demine"


@cache
def code_version() -> str:
    """A hash of Demine's version and of the sources that build statements."""
    digest = hashlib.sha256(demine.__version__.encode())
    package = Path(demine.__file__).parent
    for folder in _SOURCES:
        for source in sorted((package / folder).glob("*.py")):
            digest.update(source.name.encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()[:24]


class StatementCache:
    """The compiled statements of one dialect and schema revision: read once, written
    back (merged with what another process wrote meanwhile) when new ones were added."""

    def __init__(self, dialect: str, revision: str, folder: Path | None = None) -> None:
        self.identity = f"{dialect}-{revision}-{code_version()}"
        self.path = (folder or cache_folder()) / "statements" / f"{self.identity}.json"
        self._entries = self._read()
        self._added: dict[str, Compiled] = {}

    def get(self, key: str) -> Compiled | None:
        return self._added.get(key) or self._entries.get(key)

    def put(self, key: str, compiled: Compiled) -> None:
        self._added[key] = compiled

    def _read(self) -> dict[str, Compiled]:
        try:
            kept = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(kept, dict) or kept.get("identity") != self.identity:
            return {}
        return {key: Compiled(*entry) for key, entry in kept.get("statements", {}).items()}

    def save(self) -> None:
        """Write the statements added by this run (merged with the file's newest state);
        a cache that cannot be written only makes the next run compile again."""
        if not self._added:
            return
        import tempfile  # only when something is written: a warm run never loads it

        entries: dict[str, Any] = {**self._read(), **self._added}
        document = {
            "identity": self.identity,
            "statements": {key: list(entry) for key, entry in sorted(entries.items())},
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(
                dir=self.path.parent, prefix=f".{self.identity}.", suffix=".tmp"
            )
            try:
                with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                    json.dump(document, file, ensure_ascii=False)
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as exc:
            log.debug("statement cache %s not written: %s", self.path, exc)
            return
        self._entries = {key: Compiled(*entry) for key, entry in entries.items()}
        self._added = {}
