"""The approval workflow of field reports: draft → submitted → approved or rejected.

Only approved records feed reports and public figures. Data entry staff create and edit
drafts of their own organisation and submit them; information managers approve or
reject submitted reports (a rejection needs its reason) and may edit any record.
Records imported from files by an information manager are approved on import.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from demine.domain.access import Permission, Principal


class ReviewStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class WorkflowError(ValueError):
    """An action the workflow does not allow, with the reason in words."""


@dataclass(frozen=True)
class Ownership:
    """Whose record it is: the organisation it belongs to and its status."""

    organisation: str | None
    status: ReviewStatus


def _same_organisation(principal_organisation: str | None, record: Ownership) -> bool:
    return principal_organisation is not None and principal_organisation == record.organisation


def check_edit(principal: Principal, organisation: str | None, record: Ownership) -> None:
    """Raise unless ``principal`` (of ``organisation``) may change ``record``."""
    if principal.can(Permission.APPROVE):
        return
    if not principal.can(Permission.EDIT):
        raise WorkflowError("your role may not change records")
    if not _same_organisation(organisation, record):
        raise WorkflowError("you may only change records of your own organisation")
    if record.status not in (ReviewStatus.DRAFT, ReviewStatus.REJECTED):
        raise WorkflowError(f"a {record.status.value} record can no longer be changed by you")


def initial_status(principal: Principal) -> ReviewStatus:
    """What a new record starts as: every field report starts as a draft."""
    if not principal.can(Permission.EDIT):
        raise WorkflowError("your role may not create records")
    return ReviewStatus.DRAFT


def submit(principal: Principal, organisation: str | None, record: Ownership) -> ReviewStatus:
    check_edit(principal, organisation, record)
    if record.status not in (ReviewStatus.DRAFT, ReviewStatus.REJECTED):
        raise WorkflowError(f"only drafts can be submitted (this one is {record.status.value})")
    return ReviewStatus.SUBMITTED


def review(
    principal: Principal, record: Ownership, approve: bool, reason: str | None
) -> ReviewStatus:
    """Approve or reject a submitted report."""
    if not principal.can(Permission.APPROVE):
        raise WorkflowError("only information managers approve or reject reports")
    if record.status is not ReviewStatus.SUBMITTED:
        raise WorkflowError(
            f"only submitted reports can be reviewed (this one is {record.status.value})"
        )
    if not approve and not (reason and reason.strip()):
        raise WorkflowError("a rejection needs its reason")
    return ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
