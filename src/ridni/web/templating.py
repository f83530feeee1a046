"""One Jinja2 environment for every domain's templates, with translations and shared helpers."""

from __future__ import annotations

import secrets
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from ridni import __version__, i18n
from ridni.labels import family_explanation, family_label, field_label, label
from ridni.web.reasons import reason_text

# Each domain package keeps its templates beside its routes; new ones are added here.
TEMPLATE_PACKAGES = (
    "ridni.web",
    "ridni.accounts",
    "ridni.cases",
    "ridni.tracing",
    "ridni.facilities",
    "ridni.evidence",
    "ridni.actors",
    "ridni.stats",
    "ridni.alerts",
    "ridni.imports",
    "ridni.audit",
    "ridni.exports",
)


def _environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([PackageLoader(package, "templates") for package in TEMPLATE_PACKAGES]),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext_, i18n.ngettext_, newstyle=True
    )
    env.globals.update(
        app_version=__version__,
        languages=i18n.LANGUAGES,
        current_language=i18n.current_language,
        label=label,
        family_label=family_label,
        field_label=field_label,
        family_explanation=family_explanation,
        new_key=lambda: secrets.token_urlsafe(24),
        reason_text=reason_text,
    )
    env.filters["number"] = i18n.format_number
    env.filters["percent"] = percent
    return env


def percent(probability: float) -> str:
    """A probability for people: never "100%" for what is only very likely."""
    if probability >= 0.999:
        return "> 99.9%"
    if 0 < probability < 0.001:
        return "< 0.1%"
    return f"{probability * 100:.1f}%"


templates = Jinja2Templates(env=_environment())


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("user", getattr(request.state, "user", None))
    context.setdefault("csrf_token", getattr(request.state, "csrf_token", ""))
    context.setdefault("demo", getattr(request.app.state, "demo", False))
    access = getattr(request.state, "access", None)
    # Analysts see cases without names or places: templates ask this instead of hiding by role.
    context.setdefault("names_visible", access is not None and "names.read" in access.granted)
    # The navigation offers only what the user may open.
    context.setdefault("granted", access.granted | {"public"} if access is not None else {"public"})
    return templates.TemplateResponse(request, name, context, status_code=status_code)
