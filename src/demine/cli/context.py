"""What every command needs: settings, an open (migrated) store, output helpers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from demine.errors import (
    DatabaseMissing,
    DemineError,
    ImportRejected,
    IntegrityCheckFailed,
    StoreError,
)
from demine.i18n import _, ngettext, set_locale
from demine.settings import Settings

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from demine.domain.kinds import Kind
    from demine.store.engine import Store

# Heavy modules (the database layer, alembic, rich's progress bars) are imported where
# they are used, so that ``demine --help`` starts at once.


@dataclass
class CliState:
    """Options given before the command (``demine --db URL …``)."""

    database_url: str | None = None
    country: str | None = None
    #: ``--create``: a missing SQLite file may be created by any command.
    create: bool = False
    #: ``--fields FILE``: the programme's fields file (else DEMINE_FIELDS_FILE).
    fields_file: Path | None = None
    #: ``--lang`` of a report command (already checked): wins over DEMINE_LOCALE.
    language: str | None = None
    _kinds: dict[str, Kind] | None = dataclass_field(default=None, repr=False)

    def settings(self) -> Settings:
        """The settings, the options given before the command winning over the environment."""
        settings = Settings.from_environment(
            self.database_url, self.country, self.fields_file, locale=self.language
        )
        set_locale(settings.locale)
        return settings

    def kinds(self) -> dict[str, Kind]:
        """The registry's kinds as the programme's fields file extends them (read once)."""
        if self._kinds is None:
            from demine.ingest.fields_file import programme_kinds

            self._kinds = programme_kinds(self.settings().fields_file)
        return self._kinds

    def country_code(self) -> str:
        return self.settings().country


class _ConsoleOnFirstUse:
    """A rich ``Console`` made when first used: a command that prints only JSON or
    plain text never loads rich (a tenth of its start-up)."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)


# Messages are not cut into lines at the console's width: a path or a checksum stays whole
# (the terminal wraps what it must; a log or a pipe keeps each message on its line).
console = cast("Console", _ConsoleOnFirstUse(soft_wrap=True))
errors = cast("Console", _ConsoleOnFirstUse(stderr=True, soft_wrap=True))


def open_database(
    state: CliState,
    *,
    create: bool = False,
    read_only: bool = False,
    read_replica_url: str | None = None,
) -> Store:
    """The store the options name, unmigrated. A SQLite file that does not exist is
    created only by a command that builds a register (``create``) or with ``--create``;
    ``read_replica_url`` names its read replica (``demine serve``)."""
    from demine.store.engine import open_store

    try:
        return open_store(
            state.settings().database_url,
            create=create or state.create,
            read_only=read_only,
            read_replica_url=read_replica_url,
        )
    except DatabaseMissing as missing:
        raise DatabaseMissing(
            _(
                "There is no database at {path}: check --db (or DEMINE_DATABASE_URL) and the "
                "folder you are in. 'demine db upgrade', 'demine demo' or 'demine --create …' "
                "create a new one."
            ).format(path=missing.path),
            missing.path,
        ) from None


@contextmanager
def opened_store(
    state: CliState,
    *,
    create: bool = True,
    create_file: bool = False,
    read_only: bool = False,
    read_replica_url: str | None = None,
) -> Iterator[Store]:
    """The store, migrated if empty (``create``); refuses one behind the current schema.

    ``create_file`` lets the command create a missing SQLite file (``demine demo``);
    ``read_only`` never writes to the database (``--dry-run``): neither migrated nor
    created.
    """
    from demine.store.revision import HEAD_REVISION, stored_revision

    store = open_database(
        state, create=create_file, read_only=read_only, read_replica_url=read_replica_url
    )
    try:
        current = stored_revision(store)
        if current is None and create and not read_only:
            from demine.store import migrate

            migrate.upgrade(store)
        elif current is None:
            raise StoreError(
                _(
                    "The database {url} holds no register yet: build one with 'demine demo', "
                    "'demine import' or 'demine db upgrade' first."
                ).format(url=store.describe())
            )
        elif current != HEAD_REVISION:
            raise StoreError(
                _(
                    "The database schema is out of date ({current}); run 'demine db upgrade'."
                ).format(current=current)
            )
        yield store
    finally:
        store.dispose()


def progress_bar(*, always: bool = False) -> Progress:
    """A progress bar on standard error, so piped output stays clean.

    It shows only when standard error is a terminal, or ``always`` (``--progress``);
    otherwise (tests, pipes, logs) it is silent.
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = errors
    if always and not errors.is_terminal:
        console = Console(stderr=True, force_terminal=True)
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not (always or errors.is_terminal),
    )


#: Problems of a rejected import printed unless every one is asked for.
PROBLEMS_SHOWN = 20


def report_error(error: DemineError, *, all_problems: bool = False) -> None:
    """Print ``error`` on standard error; of a rejected import, its first problems."""
    # Marked outside the f-string: the extractor does not look inside one.
    label = _("Error")
    errors.print(f"[bold red]{label}:[/] {error.message}", highlight=False)
    if isinstance(error, IntegrityCheckFailed):
        for found in error.problems:
            errors.print(f"  {found}", highlight=False, markup=False)
    if not isinstance(error, ImportRejected):
        return
    shown = error.problems if all_problems else error.problems[:PROBLEMS_SHOWN]
    for problem in shown:
        errors.print(f"  {problem}", highlight=False, markup=False)
    hidden = len(error.problems) - len(shown)
    if hidden:
        errors.print(
            ngettext(
                "… and {count} more problem; use --all-problems to see every one",
                "… and {count} more problems; use --all-problems to see every one",
                hidden,
            ).format(count=hidden),
            highlight=False,
        )
