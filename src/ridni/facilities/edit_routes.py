"""Editing a facility: its edit page and `PATCH /api/v1/facilities/{id}`, with its history."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from ridni.errors import RidniError
from ridni.facilities.checks import DuplicateFacilityError
from ridni.facilities.editing import StaleFacilityEdit, as_input, edit_facility, history
from ridni.facilities.labels import FORM, facility_field_label, shown
from ridni.facilities.models import Activity, Confidence, FacilityKind
from ridni.facilities.models import GovernmentLevel as Level
from ridni.facilities.problems import FieldError, read_number
from ridni.facilities.schemas import (
    Duplicate,
    FacilityChangeOut,
    FacilityDetail,
    FacilityIn,
    FacilityPatch,
    FacilitySummary,
    OtherName,
    StaleFacility,
)
from ridni.facilities.service import get_facility
from ridni.form_input import version_number
from ridni.i18n import N_
from ridni.ids import MAX_ID
from ridni.messages import error_text
from ridni.web.auth import ApiUser, DbSession, PageUser, verify_csrf
from ridni.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["facilities"])

FacilityId = Annotated[int, Path(ge=1, le=MAX_ID, description="The facility's identifier.")]
# "ru: Ромашка": a language code before the name; anything else is the name as written.
_LANGUAGE = re.compile(r"^([a-z]{2,3}(?:-[A-Za-z]{2})?):\s*(\S.*)$")
TEXT = ("name", "kind", "country", "settlement", "territory", "active_from", "active_to")


def names_text(names: list[OtherName]) -> str:
    return "\n".join(f"{n.language}: {n.name}" if n.language else n.name for n in names)


def read_names(text: str) -> list[OtherName]:
    names = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        found = _LANGUAGE.match(line)
        names.append(
            OtherName(name=found.group(2).strip(), language=found.group(1))
            if found
            else OtherName(name=line)
        )
    return names


def _form_values(data: FacilityIn) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(data, name) or "" for name in TEXT}
    values.update(
        kind=data.kind.value,
        latitude="" if data.latitude is None else str(data.latitude),
        longitude="" if data.longitude is None else str(data.longitude),
        occupied_territory=data.occupied_territory,
        activity=[a.value for a in data.activities],
        min_children="" if data.min_children is None else str(data.min_children),
        other_names=names_text(data.other_names),
        government_level=data.government_level.value,
        confidence=data.confidence.value,
        notes=data.notes,
    )
    return values


def _posted_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    values["activity"] = [a for a in form.getlist("activity") if isinstance(a, str)]
    values["occupied_territory"] = form.get("occupied_territory") == "true"
    return values


def _from_form(values: dict[str, Any], current: FacilityIn) -> FacilityIn:
    """The form's fields over the facility's others (operator and sources are kept)."""
    return FacilityIn.model_validate(
        {
            **current.model_dump(),
            **{name: (values.get(name) or "").strip() or None for name in TEXT},
            "name": values.get("name", ""),
            "country": values.get("country", ""),
            "latitude": read_number(values.get("latitude", ""), "latitude"),
            "longitude": read_number(values.get("longitude", ""), "longitude"),
            "occupied_territory": values["occupied_territory"],
            "activities": values["activity"],
            "min_children": read_number(values.get("min_children", ""), "min_children"),
            "other_names": read_names(values.get("other_names", "")),
            "government_level": values.get("government_level") or Level.unknown,
            "confidence": values.get("confidence") or Confidence.low,
            "notes": values.get("notes", ""),
            "confirm_not_duplicate": values.get("confirm_not_duplicate") == "true",
        }
    )


def _page(request: Request, values: dict[str, Any], **context: Any) -> Response:
    status = context.pop("status_code", 200)
    context.setdefault("error", None)
    context.setdefault("conflict", None)
    context.setdefault("duplicates", [])
    context.setdefault("errors", {})
    return render(
        request,
        "facilities/edit.html",
        status_code=status,
        values=values,
        kinds=list(FacilityKind),
        activities=list(Activity),
        levels=list(Level),
        confidences=list(Confidence),
        facility_field_label=facility_field_label,
        shown=shown,
        **context,
    )


@pages.get("/facilities/{facility_id}/edit", response_class=HTMLResponse)
def edit_page(
    request: Request, session: DbSession, user: PageUser, facility_id: FacilityId
) -> Response:
    facility = get_facility(session, facility_id)
    values = _form_values(as_input(facility))
    return _page(request, values, facility=facility, version=facility.version)


@pages.post(
    "/facilities/{facility_id}/edit",
    response_class=HTMLResponse,
    dependencies=[Depends(verify_csrf)],
)
async def save_page(
    request: Request, session: DbSession, user: PageUser, facility_id: FacilityId
) -> Response:
    form = await request.form(max_files=0, max_fields=80, max_part_size=64 * 1024)
    values = _posted_values(form)
    facility = get_facility(session, facility_id)
    version = str(values.get("version", ""))
    try:
        if (based_on := version_number(version)) is None:
            raise FieldError("reason", N_("The form could not be read. Please send it again."))
        with session.begin_nested():
            edit_facility(
                session,
                facility_id,
                _from_form(values, as_input(facility)),
                based_on_version=based_on,
                user_id=user.id,
                reason=values.get("reason", ""),
            )
    except StaleFacilityEdit as stale:
        session.expire_all()
        facility = get_facility(session, facility_id)
        return _page(
            request,
            values,
            facility=facility,
            version=facility.version,
            conflict=stale.changes,
            status_code=409,
        )
    except DuplicateFacilityError as exc:
        session.expire_all()
        return _page(
            request,
            values,
            facility=get_facility(session, facility_id),
            version=version,
            error=error_text(exc),
            duplicates=exc.candidates,
            status_code=409,
        )
    except (ValidationError, RidniError) as exc:
        session.expire_all()
        errors, line = FORM.refusal(exc)
        return _page(
            request,
            values,
            facility=get_facility(session, facility_id),
            version=version,
            error=line,
            errors=errors,
            status_code=400,
        )
    return RedirectResponse(f"/facilities/{facility_id}", status_code=303)


@api.patch(
    "/facilities/{facility_id}",
    response_model=FacilityDetail,
    summary="Change a facility's fields, based on the version you read",
    responses={
        400: {"description": "The same checks as registering: coordinates, country, dates…"},
        409: {
            "model": StaleFacility | Duplicate,
            "description": "Changed since that version (`changes`), or now like another "
            "facility (`candidates`; send `confirm_not_duplicate`).",
        },
    },
)
def patch_facility(
    session: DbSession,
    user: ApiUser,
    facility_id: FacilityId,
    body: Annotated[FacilityPatch, Body()],
) -> Response:
    """Only the fields you send change; each change is logged with who, when and why."""
    facility = get_facility(session, facility_id)
    fields = as_input(facility).model_dump()
    fields.update(body.model_dump(include=body.model_fields_set - {"version", "reason"}))
    try:
        data = FacilityIn.model_validate(fields)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return JSONResponse({"detail": problems}, status_code=422)
    try:
        with session.begin_nested():
            edit_facility(
                session,
                facility_id,
                data,
                based_on_version=body.version,
                user_id=user.id,
                reason=body.reason,
            )
    except StaleFacilityEdit as stale:
        out = StaleFacility(
            detail=str(stale), changes=[FacilityChangeOut.of(c) for c in stale.changes]
        )
        return JSONResponse(out.model_dump(mode="json"), status_code=409)
    except DuplicateFacilityError as exc:
        body_out = Duplicate(
            detail=str(exc), candidates=[FacilitySummary.of(f) for f in exc.candidates]
        )
        return JSONResponse(body_out.model_dump(mode="json"), status_code=409)
    session.expire_all()
    detail = FacilityDetail.of_facility(get_facility(session, facility_id))
    return JSONResponse(detail.model_dump(mode="json"))


@api.get(
    "/facilities/{facility_id}/history",
    response_model=list[FacilityChangeOut],
    summary="Every change of a facility: who, when, what, why",
)
def history_api(
    session: DbSession, user: ApiUser, facility_id: FacilityId
) -> list[FacilityChangeOut]:
    get_facility(session, facility_id)
    return [FacilityChangeOut.of(c) for c in history(session, facility_id)]
