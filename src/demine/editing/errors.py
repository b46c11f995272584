"""Errors of record editing, in the application's one error tree."""

from __future__ import annotations

from demine.errors import DemineError


class Forbidden(DemineError):
    """The caller's role or organisation may not do this."""

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
