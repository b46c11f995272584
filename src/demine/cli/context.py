"""What every command needs: settings, an open (migrated) store, output helpers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from demine.errors import StoreError
from demine.i18n import _, set_locale
from demine.settings import Settings
from demine.store import migrate
from demine.store.engine import Store, open_store


@dataclass
class CliState:
    """Options given before the command (``demine --db URL …``)."""

    database_url: str | None = None
    country: str | None = None

    def settings(self) -> Settings:
        settings = Settings.from_environment(self.database_url)
        set_locale(settings.locale)
        return settings

    def country_code(self) -> str:
        return (self.country or self.settings().country).upper()


console = Console()
errors = Console(stderr=True)


@contextmanager
def opened_store(state: CliState, *, create: bool = True) -> Iterator[Store]:
    """The store, migrated if empty; refuses one behind the current schema."""
    store = open_store(state.settings().database_url)
    try:
        current = migrate.current_revision(store)
        if current is None and create:
            migrate.upgrade(store)
        elif current != migrate.head_revision():
            raise StoreError(
                _(
                    "The database schema is out of date ({current}); run 'demine db upgrade'."
                ).format(current=current)
            )
        yield store
    finally:
        store.dispose()


def progress_bar() -> Progress:
    """A progress bar on standard error, so piped output stays clean."""
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
    )
