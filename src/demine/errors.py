"""One error tree for the whole application.

Each error knows the message a user reads, the HTTP status a web layer answers with and
the exit code a command-line layer ends with. The domain raises these; only the CLI and
web layers translate them.
"""

from __future__ import annotations

from dataclasses import dataclass


class DemineError(Exception):
    """Base of every error Demine reports to a user."""

    http_status: int = 500
    exit_code: int = 1
    code: str = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigurationError(DemineError):
    """A setting or the database URL is wrong."""

    http_status = 500
    exit_code = 3
    code = "configuration"


class StoreError(DemineError):
    """The database could not be opened, migrated or written."""

    http_status = 503
    exit_code = 4
    code = "store"


class NotFoundError(DemineError):
    """A named record, district or organisation does not exist."""

    http_status = 404
    exit_code = 5
    code = "not_found"


class InvalidRequestError(DemineError):
    """A command or request asked for something that cannot be answered as asked."""

    http_status = 400
    exit_code = 2
    code = "invalid_request"


@dataclass(frozen=True)
class Problem:
    """One reason a row of an input file was rejected."""

    file: str
    row: int | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.reason}"


class ImportRejected(DemineError):
    """An input file had bad rows; nothing was written."""

    http_status = 422
    exit_code = 6
    code = "import_rejected"

    def __init__(self, problems: list[Problem]) -> None:
        files = sorted({p.file for p in problems})
        rows = {(p.file, p.row) for p in problems}
        super().__init__(
            f"{len(problems)} problem(s) in {len(rows)} row(s) of {', '.join(files)}; "
            "nothing was written."
        )
        self.problems = problems
