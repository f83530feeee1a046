"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from ridni import __version__
from ridni.accounts.routes import router as accounts_router
from ridni.actors.routes import api as actors_api
from ridni.actors.routes import pages as actors_pages
from ridni.alerts.routes import api as alerts_api
from ridni.alerts.routes import pages as alerts_pages
from ridni.audit.routes import api as audit_api
from ridni.audit.routes import pages as audit_pages
from ridni.cases.edit_routes import api as case_edit_api
from ridni.cases.edit_routes import pages as case_edit_pages
from ridni.cases.routes import api as cases_api
from ridni.cases.routes import pages as cases_pages
from ridni.evidence.routes import api as evidence_api
from ridni.evidence.routes import pages as evidence_pages
from ridni.exports.routes import api as exports_api
from ridni.exports.routes import pages as exports_pages
from ridni.facilities.edit_routes import api as facility_edit_api
from ridni.facilities.edit_routes import pages as facility_edit_pages
from ridni.facilities.routes import api as facilities_api
from ridni.facilities.routes import pages as facilities_pages
from ridni.imports.routes import pages as imports_pages
from ridni.movements.routes import api as movements_api
from ridni.movements.routes import pages as movements_pages
from ridni.security.keyfile import load_keys
from ridni.settings import Settings, load_settings
from ridni.stats.routes import api as stats_api
from ridni.stats.routes import pages as stats_pages
from ridni.storage.engine import Database, open_database
from ridni.storage.migrate import ensure_schema
from ridni.tracing.api import api as tracing_api
from ridni.tracing.api import public as tracing_public_api
from ridni.tracing.public_routes import (
    Expired,
    NotSaved,
    Refused,
    expired_page,
    not_saved_page,
    refused_page,
)
from ridni.tracing.public_routes import router as tracing_public
from ridni.tracing.registry_index import RegistryIndex
from ridni.tracing.routes import pages as tracing_pages
from ridni.web.auth import guard
from ridni.web.errors import install_error_handlers
from ridni.web.middleware import RequestContextMiddleware
from ridni.web.ratelimit import ATTEMPTS_PER_REPORT, RateLimiter
from ridni.web.routes import router as web_router

DESCRIPTION = """\
Ridni traces, documents and helps bring home children deported or forcibly transferred in war.

All endpoints except `/api/v1/health` need a logged-in session (cookie `ridni_session`, obtained
through the login form). Personal data is returned only to authorised users.
"""


def create_app(
    settings: Settings,
    db: Database,
    *,
    demo: bool = False,
    registry_index: RegistryIndex | None = None,
) -> FastAPI:
    app = FastAPI(
        dependencies=[Depends(guard)],
        title="Ridni",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # served from vendored files at /api/docs: no CDN, no inline script
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.db = db
    app.state.demo = demo
    app.state.registry_index = registry_index or RegistryIndex()
    app.state.report_limiter = RateLimiter(settings.report_limit_per_hour, 3600)
    # A family correcting a refused form should not run out of reports; a flood still stops.
    app.state.attempt_limiter = RateLimiter(
        settings.report_limit_per_hour * ATTEMPTS_PER_REPORT, 3600
    )
    app.add_middleware(
        RequestContextMiddleware,
        default_language=settings.default_language.value,
        secure_cookies=settings.cookie_secure.value,
    )
    app.mount("/static", StaticFiles(packages=[("ridni.web", "static")]), name="static")
    install_error_handlers(app)
    app.add_exception_handler(Refused, refused_page)  # type: ignore[arg-type]
    app.add_exception_handler(NotSaved, not_saved_page)  # type: ignore[arg-type]
    app.add_exception_handler(Expired, expired_page)  # type: ignore[arg-type]
    app.include_router(web_router)
    app.include_router(accounts_router)
    app.include_router(cases_pages)
    app.include_router(cases_api)
    app.include_router(case_edit_pages)
    app.include_router(case_edit_api)
    app.include_router(facilities_pages)
    app.include_router(facilities_api)
    app.include_router(facility_edit_pages)
    app.include_router(facility_edit_api)
    app.include_router(movements_pages)
    app.include_router(movements_api)
    app.include_router(evidence_pages)
    app.include_router(evidence_api)
    app.include_router(actors_pages)
    app.include_router(actors_api)
    app.include_router(tracing_public)
    app.include_router(tracing_pages)
    app.include_router(audit_pages)
    app.include_router(audit_api)
    app.include_router(tracing_api)
    app.include_router(tracing_public_api)
    app.include_router(stats_pages)
    app.include_router(stats_api)
    app.include_router(alerts_pages)
    app.include_router(alerts_api)
    app.include_router(imports_pages)
    app.include_router(exports_pages)
    app.include_router(exports_api)
    return app


def create_app_from_env() -> FastAPI:
    """For `uvicorn --factory ridni.web.app:create_app_from_env`: settings from the environment."""
    settings = load_settings()
    db = open_database(settings.resolved_database_url, create_dirs=True)
    load_keys(settings, db)
    ensure_schema(db, auto_upgrade=settings.auto_upgrade)
    return create_app(settings, db)
