"""Alerts dashboard and lists for caseworkers (pages and JSON API)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from ridni.accounts.models import RoleName, User
from ridni.alerts.labels import DUE_LABELS, EXPLANATIONS, TITLES
from ridni.alerts.models import AlertRule, AlertRun
from ridni.alerts.service import (
    counts,
    last_run,
    listed,
    needs_refresh,
    refresh,
    refresh_in_background,
)
from ridni.i18n import gettext_ as _
from ridni.web.auth import ApiUser, DbSession, PageUser, get_settings
from ridni.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["alerts"])
PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]
# Lists name children; analysts work with aggregates only (accounts.service role descriptions).
LIST_ROLES = (RoleName.caseworker, RoleName.investigator, RoleName.org_admin, RoleName.system_admin)


def _may_list(user: User) -> None:
    if not any(user.has_role(role) for role in LIST_ROLES):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "your role sees alert counts, not names")


def _run(request: Request, session: DbSession) -> AlertRun:
    """The latest run; computed now if there never was one, else refreshed after the response
    when it is from another day or other settings."""
    months = get_settings(request).alert_no_sighting_months
    today = datetime.now(UTC).date()
    run = last_run(session)
    if run is None:
        return refresh(session, today, months)
    if needs_refresh(run, today, months):
        refresh_in_background(request.app.state.db, today, months)
    return run


@pages.get("/alerts", response_class=HTMLResponse)
def dashboard(request: Request, session: DbSession, user: PageUser) -> Response:
    run = _run(request, session)
    found = counts(session)
    may_list = any(user.has_role(role) for role in LIST_ROLES)
    previews = (
        {rule: listed(session, rule, per_page=5)[0] for rule in AlertRule} if may_list else {}
    )
    return render(
        request,
        "alerts/dashboard.html",
        run=run,
        rules=list(AlertRule),
        found=found,
        previews=previews,
        titles=TITLES,
        explanations=EXPLANATIONS,
        due_labels=DUE_LABELS,
        months=get_settings(request).alert_no_sighting_months,
    )


@pages.get("/alerts/{rule}", response_class=HTMLResponse)
def rule_page(
    request: Request,
    rule: AlertRule,
    session: DbSession,
    user: PageUser,
    page: PageNumber = 1,
) -> Response:
    _may_list(user)
    run = _run(request, session)
    per_page = get_settings(request).page_size
    rows, total = listed(session, rule, page=page, per_page=per_page)
    return render(
        request,
        "alerts/rule.html",
        run=run,
        rule=rule,
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // per_page)),
        title=_(TITLES[rule]),
        explanation=_(EXPLANATIONS[rule])
        % {"months": get_settings(request).alert_no_sighting_months},
        due_label=_(DUE_LABELS[rule]),
    )


class AlertCounts(BaseModel):
    computed_at: datetime
    as_of: date = Field(description="The day the rules were evaluated for")
    no_sighting_months: int
    counts: dict[AlertRule, int]


class AlertChild(BaseModel):
    child_id: int
    name: str
    status: str
    birth_date: str | None
    due_on: date | None = Field(description="Turns 18 / arrived / last seen / adopted")
    facility_id: int | None
    facility: str | None


class AlertList(BaseModel):
    rule: AlertRule
    total: int
    page: int
    items: list[AlertChild]


@api.get("/alerts", response_model=AlertCounts)
def alert_counts(request: Request, session: DbSession, user: ApiUser) -> AlertCounts:
    """How many children each alert rule finds (as of the last daily run)."""
    run = _run(request, session)
    found = counts(session)
    return AlertCounts(
        computed_at=run.computed_at,
        as_of=run.as_of,
        no_sighting_months=int(run.counts.get("months", 0)),
        counts={rule: found.get(rule, 0) for rule in AlertRule},
    )


@api.get("/alerts/{rule}", response_model=AlertList)
def alert_list(
    request: Request,
    rule: AlertRule,
    session: DbSession,
    user: ApiUser,
    page: PageNumber = 1,
) -> AlertList:
    """The children one rule finds, most urgent first."""
    _may_list(user)
    _run(request, session)
    rows, total = listed(session, rule, page=page, per_page=get_settings(request).page_size)
    return AlertList(
        rule=rule,
        total=total,
        page=page,
        items=[
            AlertChild(
                child_id=row.child.id,
                name=row.child.display_name,
                status=row.child.status.value,
                birth_date=row.child.birth_date.iso() if row.child.birth_date else None,
                due_on=row.alert.due_on,
                facility_id=row.facility.id if row.facility else None,
                facility=row.facility.name if row.facility else None,
            )
            for row in rows
        ],
    )
