"""One error tree for the whole application.

Each error knows the message a user reads, the HTTP status a web layer answers with and
the exit code a command-line layer ends with. The domain raises these; only the CLI and
web layers translate them. Each class has an exit code of its own (listed in
``docs/cli.md``), so a script can tell a refusal from a stale write or a bad file.
"""

from __future__ import annotations

from dataclasses import dataclass

from demine.i18n import _


class DemineError(Exception):
    """Any other error Demine reports to a user (the base of them all)."""

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


class DatabaseMissing(StoreError):
    """No database file where one was named (only a command that builds one creates it)."""

    exit_code = 12
    code = "database_missing"

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        #: The absolute path looked at.
        self.path = path


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


class Conflict(InvalidRequestError):
    """The request contradicts what is stored (a submission id already used for other
    content, a form version that is not the current one)."""

    http_status = 409
    code = "conflict"


@dataclass(frozen=True)
class Problem:
    """One reason a row of an input file was rejected."""

    file: str
    row: int | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        if self.row is not None and self.field:
            text = _("{file}, row {row}, field '{field}': {reason}")
        elif self.row is not None:
            text = _("{file}, row {row}: {reason}")
        elif self.field:
            text = _("{file}, field '{field}': {reason}")
        else:
            text = "{file}: {reason}"
        return text.format(file=self.file, row=self.row, field=self.field, reason=self.reason)


class ImportRejected(DemineError):
    """An input file had bad rows; nothing was written."""

    http_status = 422
    exit_code = 6
    code = "import_rejected"

    def __init__(self, problems: list[Problem]) -> None:
        files = sorted({p.file for p in problems})
        rows = {(p.file, p.row) for p in problems}
        super().__init__(
            _("{problems} problem(s) in {rows} row(s) of {files}; nothing was written.").format(
                problems=len(problems), rows=len(rows), files=", ".join(files)
            )
        )
        self.problems = problems


class Forbidden(DemineError):
    """The acting user or role may not do this (decided by one ``require`` function)."""

    http_status = 403
    exit_code = 7
    code = "forbidden"


class PreconditionFailed(DemineError):
    """A stale write (412), or a write without the version it replaces (428)."""

    http_status = 412
    exit_code = 8
    code = "precondition_failed"

    def __init__(self, message: str, status: int = 412) -> None:
        super().__init__(message)
        self.http_status = status
        if status == 428:
            self.code = "precondition_required"


class AuthenticationError(DemineError):
    """Wrong user name or password, a disabled account, or too many attempts."""

    http_status = 401
    exit_code = 9
    code = "authentication_failed"


class ThrottledError(AuthenticationError):
    """Too many failed logins in a short time: the next must wait ``retry_after`` seconds."""

    http_status = 429
    code = "too_many_attempts"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UploadTooLarge(DemineError):
    """An uploaded file is larger than the server accepts."""

    http_status = 413
    exit_code = 10
    code = "upload_too_large"


class IntegrityCheckFailed(DemineError):
    """A backup archive or a database failed its checks (a refused restore writes nothing).

    The archive is damaged, incomplete, from a newer schema or not what its manifest
    says, or ``demine db check`` found problems (each listed).
    """

    http_status = 422
    exit_code = 11
    code = "integrity_check_failed"

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class RemoteServerError(DemineError):
    """Another server (ODK Central, KoboToolbox) could not be reached or answered with an error.

    A refused login there is an :class:`AuthenticationError`, an unknown form a
    :class:`NotFoundError`."""

    http_status = 502
    exit_code = 13
    code = "remote_server_error"


#: Every error class with its exit code, for the documentation (docs/cli.md).
EXIT_CODES: tuple[type[DemineError], ...] = (
    DemineError,
    InvalidRequestError,
    ConfigurationError,
    StoreError,
    NotFoundError,
    ImportRejected,
    Forbidden,
    PreconditionFailed,
    AuthenticationError,
    UploadTooLarge,
    IntegrityCheckFailed,
    DatabaseMissing,
    RemoteServerError,
)
