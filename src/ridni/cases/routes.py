"""Case list and case page, as HTML pages and as JSON API."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from ridni.accounts.models import Organisation
from ridni.accounts.signed_in import SignedIn
from ridni.cases.case_page import case_extras
from ridni.cases.models import ChildStatus
from ridni.cases.schemas import ChildDetail, ChildList, ChildSummary
from ridni.cases.service import Filters, get_child, oblasts, search_children
from ridni.facilities.models import Facility
from ridni.form_input import optional_int
from ridni.i18n import gettext_ as _
from ridni.ids import MAX_ID
from ridni.security.guard import has, sees_every_organisation
from ridni.web.auth import ApiUser, DbSession, PageUser, get_settings
from ridni.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["children"])

SearchQuery = Annotated[
    str, Query(max_length=200, description="Names in any script: Cyrillic or Latin.")
]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]
ChildId = Annotated[int, Path(ge=1, le=MAX_ID, description="The child's identifier.")]


def _scope(request: Request) -> dict[str, Any]:
    """Record scope: one's own organisation's cases and those that may be shared."""
    access = request.state.access
    return {
        "organisation_id": access.user.organisation_id if access.user else None,
        "every_organisation": sees_every_organisation(access),
    }


def _refuse_name_search(request: Request, q: str, message: str) -> None:
    """Analysts see cases without names or places; letting them search by name would tell
    them whether a named child is in the registry, and where from."""
    if q.strip() and not has(request, "names.read"):
        raise HTTPException(403, message)


@pages.get("/children", response_class=HTMLResponse)
def children_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    q: SearchQuery = "",
    status: Annotated[str, Query(max_length=32)] = "",
    oblast: Annotated[str, Query(max_length=100)] = "",
    age_min: Annotated[str, Query(max_length=3)] = "",
    age_max: Annotated[str, Query(max_length=3)] = "",
    facility: Annotated[str, Query(max_length=20)] = "",
    organisation: Annotated[str, Query(max_length=20)] = "",
    page: PageNumber = 1,
) -> Response:
    _refuse_name_search(
        request, q, _("Your role sees cases without names, so it may not search by name.")
    )
    per_page = get_settings(request).page_size
    # The form sends empty values for "any"; an unknown value is ignored, not an error page.
    chosen = ChildStatus(status) if status in {s.value for s in ChildStatus} else None
    filters = Filters(
        status=chosen,
        oblast=oblast or None,
        age_min=optional_int(age_min, 0, 120),
        age_max=optional_int(age_max, 0, 120),
        facility_id=optional_int(facility, 1, MAX_ID),
        organisation_id=optional_int(organisation, 1, MAX_ID),
    )
    results = search_children(
        session, q, filters=filters, page=page, per_page=per_page, **_scope(request)
    )
    template = (
        "cases/_children_results.html"
        if request.headers.get("hx-request")
        else "cases/children_list.html"
    )
    return render(
        request,
        template,
        results=results,
        q=q,
        status=chosen,
        statuses=list(ChildStatus),
        filters=filters,
        pager_query=urlencode(
            [(key, value) for key, value in request.query_params.multi_items() if key != "page"]
        ),
        oblasts=oblasts(session),
        facilities=session.execute(
            select(Facility.id, Facility.name).order_by(Facility.name)
        ).all(),
        organisations=session.execute(
            select(Organisation.id, Organisation.name).order_by(Organisation.name)
        ).all(),
    )


@pages.get("/children/{child_id}", response_class=HTMLResponse)
def child_page(request: Request, session: DbSession, user: PageUser, child_id: ChildId) -> Response:
    child = get_child(session, child_id)
    extras = case_extras(session, child, SignedIn.of(user))
    return render(request, "cases/child.html", child=child, extras=extras)


@api.get("/children", response_model=ChildList, summary="List and search children")
def list_children(
    request: Request,
    session: DbSession,
    user: ApiUser,
    q: SearchQuery = "",
    status: ChildStatus | None = None,
    oblast: Annotated[str | None, Query(max_length=100, description="Oblast of origin.")] = None,
    age_min: Annotated[int | None, Query(ge=0, le=120, description="Age today, at least.")] = None,
    age_max: Annotated[int | None, Query(ge=0, le=120, description="Age today, at most.")] = None,
    facility_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Was at this facility.")
    ] = None,
    organisation_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    page: PageNumber = 1,
    per_page: Annotated[int | None, Query(ge=1, le=500)] = None,
) -> ChildList:
    """Children whose records contain every word of `q` in any script, ordered by name.
    Searching by name needs `names.read` (403 without it)."""
    _refuse_name_search(request, q, "your role may not search by name (names.read)")
    size = per_page or get_settings(request).page_size
    filters = Filters(
        status=status,
        oblast=oblast,
        age_min=age_min,
        age_max=age_max,
        facility_id=facility_id,
        organisation_id=organisation_id,
    )
    results = search_children(
        session, q, filters=filters, page=page, per_page=size, **_scope(request)
    )
    return ChildList(
        items=[
            ChildSummary.of(row.child, row.record_count, names=has(request, "names.read"))
            for row in results.items
        ],
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
def read_child(
    request: Request, session: DbSession, user: ApiUser, child_id: ChildId
) -> ChildDetail:
    return ChildDetail.of_child(get_child(session, child_id), names=has(request, "names.read"))
