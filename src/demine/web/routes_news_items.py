"""Reviewing read news items: the review page of one item, and the API its form posts to.

The page only shows the item and its form; approving or rejecting goes through the API
(from the page's script), which applies the workflow's rule, so the page can do nothing
the API would not let the same person do.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from demine.domain.access import Permission, Principal
from demine.domain.bounds import INTEGER_MAX
from demine.domain.workflow import ReviewStatus
from demine.editing.news_items import read_item, review_news_item
from demine.errors import NotFoundError
from demine.i18n import _
from demine.store.news_items import StoredNewsItem
from demine.web.auth import current_principal
from demine.web.news_item_page import field_rows, marked_text
from demine.web.openapi_responses import EVERY_ROUTE, body, errors
from demine.web.pages import needs, render

#: A stored item's id (a larger one names none, and no database could look it up).
ItemId = Annotated[int, Path(ge=1, le=INTEGER_MAX, description="The read item's id")]

pages = APIRouter(tags=["Pages"], include_in_schema=False)
api = APIRouter(prefix="/api/news-items", tags=["Register"], responses=EVERY_ROUTE)


class ReviewAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class NewsItemDecision(BaseModel):
    """An approval (with the values of the fields the reviewer completed or corrected;
    a field left out keeps the reader's value) or a rejection (with its reason)."""

    values: dict[str, str | int | float | list[str] | None] = Field(default_factory=dict)
    reason: str | None = None


class ReviewedNewsItem(BaseModel):
    """A read news item after its review."""

    id: int
    source_name: str
    status: str
    reviewed_by: str | None
    approved: dict[str, Any] | None
    summaries: list[str]


def _answer(item: StoredNewsItem) -> JSONResponse:
    return JSONResponse(
        {
            "id": item.id,
            "source_name": item.source_name,
            "status": item.status.value,
            "reviewed_by": item.reviewed_by,
            "approved": item.approved,
            "summaries": list(item.summaries),
        }
    )


@api.post(
    "/{item_id}/{action}",
    summary="Approve (completing or correcting its fields) or reject a read news item",
    responses={200: body(ReviewedNewsItem, "The item as reviewed"), **errors(400, 403, 404, 422)},
)
def decide(
    request: Request,
    item_id: ItemId,
    action: ReviewAction,
    decision: NewsItemDecision,
    principal: Annotated[Principal, Depends(current_principal)],
) -> Response:
    with request.app.state.store.write() as connection:
        item = review_news_item(
            connection, item_id, action.value, principal, values=decision.values,
            reason=decision.reason,
        )  # fmt: skip
    return _answer(item)


@pages.get("/review/news-items/{item_id}", response_class=HTMLResponse)
def review_page(
    request: Request,
    item_id: ItemId,
    principal: Annotated[Principal, Depends(needs(Permission.APPROVE))],
) -> Response:
    title = _("Review a read news item")
    try:
        with request.app.state.store.read() as connection:
            item = read_item(connection, item_id, principal)
    except NotFoundError as error:
        return render(request, "message.html.j2", title, status=404, reason=error.message)
    pieces, first_piece = marked_text(item.source_text, item.readings)
    rows = field_rows(item.fields, item.readings, first_piece, len(item.source_text))
    words = {
        "approved": _("Approved: its figures count from now on."),
        "rejected": _("Rejected."),
        "reasonNeeded": _("A rejection needs its reason."),
        "failed": _("The action failed."),
    }
    return render(
        request, "news_item.html.j2", title, item=item, pieces=pieces, rows=rows,
        abstained=[row for row in rows if row.abstained],
        waiting=item.status is ReviewStatus.SUBMITTED, words=words,
        warnings=list(item.reading.get("warnings", [])),
    )  # fmt: skip
