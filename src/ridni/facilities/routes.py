"""Facility registry and map: HTML pages and the JSON API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError

from ridni.errors import RidniError
from ridni.evidence.claims import list_claims
from ridni.evidence.contradictions import find_contradictions
from ridni.evidence.service import list_evidence
from ridni.facilities.borders import borders_geojson
from ridni.facilities.checks import DuplicateFacilityError
from ridni.facilities.editing import history
from ridni.facilities.geojson import facilities_geojson
from ridni.facilities.labels import FORM, facility_field_label, shown
from ridni.facilities.models import Activity, FacilityKind
from ridni.facilities.problems import read_number
from ridni.facilities.schemas import (
    Duplicate,
    FacilityDetail,
    FacilityIn,
    FacilityList,
    FacilitySummary,
    MergeIn,
)
from ridni.facilities.service import (
    FacilityFilter,
    actor_links,
    all_facilities,
    create_facility,
    get_facility,
    merge_facilities,
    search_facilities,
)
from ridni.i18n import gettext_ as _
from ridni.ids import MAX_ID
from ridni.messages import error_text
from ridni.movements.chart import occupancy_svg
from ridni.movements.occupancy import occupancy
from ridni.web.auth import ApiUser, DbSession, PageUser, get_settings, verify_csrf
from ridni.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["facilities"])

FacilityId = Annotated[int, Path(ge=1, le=MAX_ID, description="The facility's identifier.")]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]
Text = Annotated[str, Query(max_length=200)]


def _filter(
    q: str = "",
    kind: list[FacilityKind] | None = None,
    activity: list[Activity] | None = None,
    country: list[str] | None = None,
    occupied: bool | None = None,
    active_on: date | None = None,
) -> FacilityFilter:
    return FacilityFilter(
        query=q,
        kinds=tuple(kind or ()),
        activities=tuple(activity or ()),
        countries=tuple(c for c in (country or ()) if c),
        occupied=occupied,
        active_on=active_on,
    )


def _query_filter(
    q: Text = "",
    kind: Annotated[list[FacilityKind] | None, Query(description="Facility types")] = None,
    activity: Annotated[list[Activity] | None, Query()] = None,
    country: Annotated[list[str] | None, Query(max_length=2)] = None,
    occupied: Annotated[bool | None, Query(description="Only (not) in occupied Ukraine")] = None,
    active_on: Annotated[date | None, Query(description="Active on this day")] = None,
) -> FacilityFilter:
    return _filter(q, kind, activity, country, occupied, active_on)


Filter = Annotated[FacilityFilter, Depends(_query_filter)]


def _page_filter(request: Request) -> FacilityFilter:
    """The list page's form sends empty values for "any"; those are ignored, never an error."""
    params = request.query_params
    kinds = {k.value for k in FacilityKind}
    activities = {a.value for a in Activity}
    occupied = {"yes": True, "no": False}.get(params.get("occupied", ""))
    try:
        active_on = (
            date.fromisoformat(params.get("active_on", "")) if params.get("active_on") else None
        )
    except ValueError:
        active_on = None
    return _filter(
        params.get("q", "")[:200],
        [FacilityKind(k) for k in params.getlist("kind") if k in kinds],
        [Activity(a) for a in params.getlist("activity") if a in activities],
        [c[:2] for c in params.getlist("country") if c],
        occupied,
        active_on,
    )


# -- pages ----------------------------------------------------------------------------------


@pages.get("/facilities", response_class=HTMLResponse)
def facilities_page(
    request: Request, session: DbSession, user: PageUser, page: PageNumber = 1
) -> Response:
    where = _page_filter(request)
    results = search_facilities(session, where, page=page, per_page=get_settings(request).page_size)
    return render(
        request,
        "facilities/list.html",
        results=results,
        where=where,
        kinds=list(FacilityKind),
        activities=list(Activity),
        query_string=request.url.query,
        # The pager's links keep the filters and replace the page number.
        pager_query=urlencode(
            [(key, value) for key, value in request.query_params.multi_items() if key != "page"]
        ),
    )


@pages.get("/facilities/map", response_class=HTMLResponse)
def map_page(request: Request, user: PageUser) -> Response:
    return render(
        request, "facilities/map.html", kinds=list(FacilityKind), activities=list(Activity)
    )


@pages.get("/facilities/new", response_class=HTMLResponse)
def new_facility_page(request: Request, user: PageUser) -> Response:
    return _form(request, {}, None, [])


def _form(
    request: Request,
    values: dict[str, Any],
    error: str | None,
    duplicates: list[Any],
    status: int = 200,
    errors: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "facilities/new.html",
        status_code=status,
        values=values,
        error=error,
        errors=errors or {},
        duplicates=duplicates,
        kinds=list(FacilityKind),
        activities=list(Activity),
    )


@pages.post("/facilities/new", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def create_facility_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    name: Annotated[str, Form(max_length=300)],
    kind: Annotated[str, Form(max_length=32)],
    country: Annotated[str, Form(max_length=2)],
    latitude: Annotated[str, Form(max_length=40)] = "",
    longitude: Annotated[str, Form(max_length=40)] = "",
    settlement: Annotated[str, Form(max_length=200)] = "",
    territory: Annotated[str, Form(max_length=200)] = "",
    occupied_territory: Annotated[bool, Form()] = False,
    activity: Annotated[list[str] | None, Form()] = None,
    active_from: Annotated[str, Form(max_length=20)] = "",
    active_to: Annotated[str, Form(max_length=20)] = "",
    min_children: Annotated[str, Form(max_length=10)] = "",
    other_name: Annotated[str, Form(max_length=300)] = "",
    notes: Annotated[str, Form(max_length=20_000)] = "",
    confirm_not_duplicate: Annotated[bool, Form()] = False,
) -> Response:
    values = {
        "name": name,
        "kind": kind,
        "country": country,
        "latitude": latitude,
        "longitude": longitude,
        "settlement": settlement,
        "territory": territory,
        "occupied_territory": occupied_territory,
        "activity": activity or [],
        "active_from": active_from,
        "active_to": active_to,
        "min_children": min_children,
        "other_name": other_name,
        "notes": notes,
    }
    try:
        data = FacilityIn.model_validate(
            {
                "name": name,
                "kind": kind,
                "country": country,
                "latitude": read_number(latitude, "latitude"),
                "longitude": read_number(longitude, "longitude"),
                "settlement": settlement or None,
                "territory": territory or None,
                "occupied_territory": occupied_territory,
                "activities": activity or [],
                "active_from": active_from or None,
                "active_to": active_to or None,
                "min_children": read_number(min_children, "min_children"),
                "other_names": [{"name": other_name}] if other_name.strip() else [],
                "notes": notes,
                "confirm_not_duplicate": confirm_not_duplicate,
            }
        )
        facility = create_facility(session, data)
    except DuplicateFacilityError as exc:
        return _form(request, values, error_text(exc), exc.candidates, status=409)
    except (ValidationError, RidniError) as exc:
        errors, line = FORM.refusal(exc)
        return _form(request, values, line, [], status=400, errors=errors)
    return RedirectResponse(f"/facilities/{facility.id}", status_code=303)


@pages.get("/facilities/{facility_id}", response_class=HTMLResponse)
def facility_page(
    request: Request, session: DbSession, user: PageUser, facility_id: FacilityId
) -> Response:
    facility = get_facility(session, facility_id)
    months = occupancy(session, facility.id)
    chart = occupancy_svg(months, _("Children documented at this facility, by month"))
    contradictions = [c for c in find_contradictions(session) if facility.id in c.facility_ids]
    links = actor_links(session, facility.id)
    return render(
        request,
        "facilities/detail.html",
        facility=facility,
        months=months,
        chart=chart,
        claims=list_claims(session, facility_id=facility.id),
        evidence=list_evidence(session, facility_id=facility.id),
        contradictions=contradictions,
        links=links,
        changes=history(session, facility.id)[::-1],
        facility_field_label=facility_field_label,
        shown=shown,
    )


@pages.post("/facilities/{facility_id}/merge", dependencies=[Depends(verify_csrf)])
def merge_page(
    session: DbSession,
    user: PageUser,
    facility_id: FacilityId,
    into: Annotated[int, Form(ge=1, le=MAX_ID)],
) -> Response:
    keeper = merge_facilities(session, facility_id, into, user_id=user.id)
    return RedirectResponse(f"/facilities/{keeper.id}", status_code=303)


# -- API ------------------------------------------------------------------------------------


@api.get("/facilities", response_model=FacilityList, summary="Search and filter facilities")
def list_facilities(
    request: Request,
    session: DbSession,
    user: ApiUser,
    where: Filter,
    page: PageNumber = 1,
    per_page: Annotated[int | None, Query(ge=1, le=500)] = None,
) -> FacilityList:
    """Names match in any script (`romashka` finds «Ромашка»); filters combine with AND."""
    results = search_facilities(
        session, where, page=page, per_page=per_page or get_settings(request).page_size
    )
    return FacilityList(
        items=[FacilitySummary.of(f) for f in results.items],
        total=results.total,
        page=results.page,
        per_page=results.per_page,
        pages=results.pages,
    )


@api.get(
    "/facilities.geojson",
    summary="Facilities with coordinates, as GeoJSON",
    responses={200: {"content": {"application/geo+json": {}}}},
)
def facilities_geojson_api(session: DbSession, user: ApiUser, where: Filter) -> Response:
    return JSONResponse(
        facilities_geojson(all_facilities(session, where)), media_type="application/geo+json"
    )


@api.get(
    "/map/borders.geojson",
    summary="Country borders for the offline map (Ukraine within its recognised borders)",
    responses={200: {"content": {"application/geo+json": {}}}},
)
def borders_api(user: ApiUser) -> Response:
    return JSONResponse(
        borders_geojson(),
        media_type="application/geo+json",
        headers={"cache-control": "private, max-age=86400"},
    )


@api.post(
    "/facilities",
    response_model=FacilityDetail,
    status_code=201,
    summary="Register a facility",
    responses={
        400: {"description": "Coordinates out of range or outside the country, bad dates…"},
        409: {"model": Duplicate, "description": "A similar facility exists nearby."},
    },
)
def create_facility_api(session: DbSession, user: ApiUser, data: FacilityIn) -> Response:
    try:
        facility = create_facility(session, data)
    except DuplicateFacilityError as exc:
        body = Duplicate(
            detail=str(exc), candidates=[FacilitySummary.of(f) for f in exc.candidates]
        )
        return JSONResponse(body.model_dump(mode="json"), status_code=409)
    detail = FacilityDetail.of_facility(get_facility(session, facility.id))
    return JSONResponse(detail.model_dump(mode="json"), status_code=201)


@api.get(
    "/facilities/{facility_id}",
    response_model=FacilityDetail,
    summary="One facility",
    responses={404: {"description": "No facility has this identifier."}},
)
def read_facility(session: DbSession, user: ApiUser, facility_id: FacilityId) -> FacilityDetail:
    return FacilityDetail.of_facility(get_facility(session, facility_id))


@api.post(
    "/facilities/{facility_id}/merge",
    response_model=FacilityDetail,
    summary="Merge this facility (a duplicate) into another",
)
def merge_api(
    session: DbSession, user: ApiUser, facility_id: FacilityId, data: MergeIn
) -> FacilityDetail:
    keeper = merge_facilities(session, facility_id, data.into, user_id=user.id)
    return FacilityDetail.of_facility(keeper)


@api.get(
    "/facilities/{facility_id}/occupancy",
    summary="Children documented at the facility, month by month",
)
def occupancy_api(
    session: DbSession, user: ApiUser, facility_id: FacilityId
) -> list[dict[str, Any]]:
    get_facility(session, facility_id)
    return [
        {"month": m.start.strftime("%Y-%m"), "children": m.children}
        for m in occupancy(session, facility_id)
    ]
