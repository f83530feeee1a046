"""App-wide routes: home, health, language switch, API documentation, the site icon."""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Literal

from alembic.runtime.migration import MigrationContext
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ridni import __version__, i18n
from ridni.storage.engine import Database
from ridni.web.auth import DbSession, OptionalUser, safe_next
from ridni.web.middleware import LANGUAGE_COOKIE
from ridni.web.templating import render

router = APIRouter()
# Browsers ask for /favicon.ico on pages that name no icon (JSON, the API docs): the SVG the
# pages name is the answer, so no request for it ends in a 404.
FAVICON = (resources.files("ridni.web") / "static" / "favicon.svg").read_bytes()


class Health(BaseModel):
    status: Literal["ok", "error"]
    version: str
    database: str
    schema_revision: str | None


@router.get(
    "/api/v1/health",
    response_model=Health,
    tags=["system"],
    summary="Is the service up and its database reachable?",
    responses={503: {"model": Health, "description": "The database cannot be reached."}},
)
def health(request: Request, session: DbSession) -> Response:
    db: Database = request.app.state.db
    try:
        session.execute(text("SELECT 1"))
        revision = MigrationContext.configure(session.connection()).get_current_revision()
        body = Health(
            status="ok",
            version=__version__,
            database=db.engine.dialect.name,
            schema_revision=revision,
        )
        return JSONResponse(body.model_dump())
    except SQLAlchemyError:
        body = Health(
            status="error",
            version=__version__,
            database=db.engine.dialect.name,
            schema_revision=None,
        )
        return JSONResponse(body.model_dump(), status_code=503)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, user: OptionalUser) -> Response:
    if user is not None:
        return RedirectResponse("/children", status_code=303)
    return render(request, "home.html")


@router.get("/language/{code}", include_in_schema=False)
def switch_language(
    code: str, next_url: Annotated[str | None, Query(alias="next")] = None
) -> Response:
    response = RedirectResponse(safe_next(next_url), status_code=303)
    if code in i18n.LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", httponly=True
        )
    return response


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    return Response(
        FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"}
    )


@router.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs(request: Request) -> Response:
    return render(request, "api_docs.html")
