"""Case list and case page, as HTML pages and as JSON API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from ridni.cases.models import ChildStatus
from ridni.cases.schemas import ChildDetail, ChildList, ChildSummary
from ridni.cases.service import get_child, search_children
from ridni.web.auth import ApiUser, DbSession, PageUser, get_settings
from ridni.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["children"])

SearchQuery = Annotated[
    str, Query(max_length=200, description="Names in any script: Cyrillic or Latin.")
]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]
ChildId = Annotated[int, Path(ge=1, le=2**62, description="The child's identifier.")]


@pages.get("/children", response_class=HTMLResponse)
def children_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    q: SearchQuery = "",
    status: Annotated[str, Query(max_length=32)] = "",
    page: PageNumber = 1,
) -> Response:
    per_page = get_settings(request).page_size
    # The form sends `status=` for "any status"; an unknown value is ignored, not an error page.
    chosen = ChildStatus(status) if status in {s.value for s in ChildStatus} else None
    results = search_children(session, q, status=chosen, page=page, per_page=per_page)
    template = (
        "cases/_children_results.html"
        if request.headers.get("hx-request")
        else "cases/children_list.html"
    )
    return render(
        request, template, results=results, q=q, status=chosen, statuses=list(ChildStatus)
    )


@pages.get("/children/{child_id}", response_class=HTMLResponse)
def child_page(request: Request, session: DbSession, user: PageUser, child_id: ChildId) -> Response:
    child = get_child(session, child_id)
    return render(request, "cases/child.html", child=child)


@api.get("/children", response_model=ChildList, summary="List and search children")
def list_children(
    request: Request,
    session: DbSession,
    user: ApiUser,
    q: SearchQuery = "",
    status: ChildStatus | None = None,
    page: PageNumber = 1,
    per_page: Annotated[int | None, Query(ge=1, le=500)] = None,
) -> ChildList:
    """Children whose records contain every word of `q` in any script, ordered by name."""
    size = per_page or get_settings(request).page_size
    results = search_children(session, q, status=status, page=page, per_page=size)
    return ChildList(
        items=[ChildSummary.of(row.child, row.record_count) for row in results.items],
        total=results.total,
        page=results.page,
        per_page=results.per_page,
        pages=results.pages,
    )


@api.get(
    "/children/{child_id}",
    response_model=ChildDetail,
    summary="One child with every record, movement and status change",
    responses={404: {"description": "No child has this identifier."}},
)
def read_child(session: DbSession, user: ApiUser, child_id: ChildId) -> ChildDetail:
    return ChildDetail.of_child(get_child(session, child_id))
