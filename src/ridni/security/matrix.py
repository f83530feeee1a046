"""The permission matrix: which role may do what, and which permission every endpoint needs.

This module is the single source: `docs/permissions.md` is generated from it
(`python scripts/permissions_doc.py`) and a test fails when the two differ, when a route of the
app has no entry here, or when an entry names a route that no longer exists. A route missing
from this table is refused to everybody.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    public = "public"  # not logged in
    caseworker = "caseworker"
    investigator = "investigator"
    analyst = "analyst"
    org_admin = "org_admin"
    system_admin = "system_admin"


R = Role


def N_(message: str) -> str:
    """Marks a description for translation; the web layer translates it when rendering (this
    module imports nothing from the web)."""
    return message


STAFF = frozenset(set(Role) - {Role.public})


@dataclass(frozen=True)
class Permission:
    description: str
    roles: frozenset[Role]
    # Reading under this permission shows personal data: every use is written to the audit log.
    personal: bool = False


PERMISSIONS: dict[str, Permission] = {
    "public": Permission(
        N_("Public pages: start, login, report form, status link, statistics"), frozenset(Role)
    ),
    "account": Permission(N_("One's own session, 2FA and API tokens"), STAFF),
    "children.read": Permission(
        N_("Case list and case pages (analysts see them without names or places)"),
        frozenset({R.caseworker, R.investigator, R.analyst, R.org_admin, R.system_admin}),
        personal=True,
    ),
    "names.read": Permission(
        N_("See children's names, birth places and records as written"),
        frozenset({R.caseworker, R.investigator, R.org_admin, R.system_admin}),
        personal=True,
    ),
    "children.write": Permission(
        N_("Edit cases, change their status"),
        frozenset({R.caseworker, R.org_admin, R.system_admin}),
    ),
    "tracing.read": Permission(
        N_("Tracing requests (family contacts stay hidden)"),
        frozenset({R.caseworker, R.org_admin, R.system_admin}),
        personal=True,
    ),
    "contacts.read": Permission(
        N_("Reveal a family's contact, giving a reason — caseworkers of the case's organisation"),
        frozenset({R.caseworker}),
        personal=True,
    ),
    "tracing.write": Permission(
        N_("Register tracing requests, match them again, close and reopen them"),
        frozenset({R.caseworker, R.org_admin, R.system_admin}),
    ),
    "review.decide": Permission(
        N_("Review queue and decisions on candidate matches"),
        frozenset({R.caseworker, R.system_admin}),
        personal=True,
    ),
    "records.write": Permission(
        N_("Add registry records (entries of lists)"),
        frozenset({R.caseworker, R.investigator, R.system_admin}),
    ),
    "movements.write": Permission(
        N_("Record and correct movements"),
        frozenset({R.caseworker, R.investigator, R.system_admin}),
    ),
    "facilities.read": Permission(
        N_("Facilities, map, occupancy"),
        frozenset({R.caseworker, R.investigator, R.analyst, R.org_admin, R.system_admin}),
    ),
    "facilities.write": Permission(
        N_("Register, merge and edit facilities"), frozenset({R.investigator, R.system_admin})
    ),
    "evidence.read": Permission(
        N_("Evidence, files and custody logs"),
        frozenset({R.investigator, R.system_admin}),
        personal=True,
    ),
    "evidence.write": Permission(
        N_("Collect evidence, log custody, grade"), frozenset({R.investigator, R.system_admin})
    ),
    "claims.read": Permission(
        N_("Claims and contradictions"),
        frozenset({R.caseworker, R.investigator, R.analyst, R.system_admin}),
    ),
    "claims.write": Permission(N_("Record claims"), frozenset({R.investigator, R.system_admin})),
    "actors.read": Permission(
        N_("Actors and dossiers"), frozenset({R.investigator, R.analyst, R.system_admin})
    ),
    "actors.write": Permission(
        N_("Record actors and their links"), frozenset({R.investigator, R.system_admin})
    ),
    "export.ftm": Permission(
        N_("FollowTheMoney export (never a child)"),
        frozenset({R.investigator, R.analyst, R.system_admin}),
    ),
    "export.lists": Permission(
        N_(
            "Export lists of children (CSV/XLSX); names and places only with names.read, "
            "encrypted, with a reason"
        ),
        frozenset({R.caseworker, R.investigator, R.analyst, R.org_admin, R.system_admin}),
        personal=True,
    ),
    "export.dossier": Permission(
        N_("A child's PDF dossier, encrypted, with a reason"),
        frozenset({R.caseworker, R.investigator, R.org_admin, R.system_admin}),
        personal=True,
    ),
    "alerts.counts": Permission(
        N_("Alerts dashboard: how many children each alert concerns"),
        frozenset({R.caseworker, R.analyst, R.org_admin, R.system_admin}),
    ),
    "alerts.read": Permission(
        N_("Alert lists: which children"),
        frozenset({R.caseworker, R.org_admin, R.system_admin}),
        personal=True,
    ),
    "imports.write": Permission(
        N_("Bulk import of lists"), frozenset({R.caseworker, R.org_admin, R.system_admin})
    ),
    "audit.read": Permission(N_("Audit trail viewer"), frozenset({R.system_admin}), personal=True),
}

# Roles that must log in with a second factor (TOTP).
TWO_FACTOR_ROLES = frozenset({R.investigator, R.org_admin, R.system_admin})

P = "public"
ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/"): P,
    ("GET", "/api/v1/health"): P,
    ("GET", "/api/openapi.json"): P,
    ("GET", "/api/docs"): P,
    ("GET", "/favicon.ico"): P,
    ("GET", "/language/{code}"): P,
    ("GET", "/login"): P,
    ("POST", "/login"): P,
    ("GET", "/login/2fa"): P,
    ("POST", "/login/2fa"): P,
    ("POST", "/logout"): P,
    ("GET", "/report"): P,
    ("POST", "/report"): P,
    ("GET", "/status/{token}"): P,
    ("GET", "/api/v1/status/{token}"): P,
    ("GET", "/statistics"): P,
    ("GET", "/statistics.csv"): P,
    ("GET", "/api/v1/statistics"): P,
    ("GET", "/account"): "account",
    ("GET", "/account/2fa"): "account",
    ("POST", "/account/2fa"): "account",
    ("POST", "/account/tokens"): "account",
    ("POST", "/account/tokens/{token_id}/revoke"): "account",
    ("GET", "/children"): "children.read",
    ("GET", "/children/{child_id}"): "children.read",
    ("GET", "/api/v1/children"): "children.read",
    ("GET", "/api/v1/children/{child_id}"): "children.read",
    ("GET", "/api/v1/children/{child_id}/history"): "names.read",
    ("GET", "/children/{child_id}/edit"): "children.write",
    ("POST", "/children/{child_id}/edit"): "children.write",
    ("POST", "/children/{child_id}/status"): "children.write",
    ("PATCH", "/api/v1/children/{child_id}"): "children.write",
    ("POST", "/api/v1/children/{child_id}/status"): "children.write",
    ("GET", "/tracing"): "tracing.read",
    ("GET", "/tracing/{request_id}"): "tracing.read",
    ("GET", "/api/v1/tracing-requests/{request_id}"): "tracing.read",
    ("POST", "/tracing/{request_id}/contact"): "contacts.read",
    ("POST", "/api/v1/tracing-requests/{request_id}/contact"): "contacts.read",
    ("GET", "/tracing/new"): "tracing.write",
    ("POST", "/tracing/new"): "tracing.write",
    ("POST", "/tracing/{request_id}/match"): "tracing.write",
    ("POST", "/tracing/{request_id}/close"): "tracing.write",
    ("POST", "/tracing/{request_id}/reopen"): "tracing.write",
    ("POST", "/api/v1/tracing-requests/{request_id}/close"): "tracing.write",
    ("POST", "/api/v1/tracing-requests/{request_id}/reopen"): "tracing.write",
    ("POST", "/api/v1/tracing-requests"): "tracing.write",
    ("POST", "/api/v1/tracing-requests/{request_id}/match"): "tracing.write",
    ("GET", "/review"): "review.decide",
    ("GET", "/review/next"): "review.decide",
    ("GET", "/review/{candidate_id}"): "review.decide",
    ("POST", "/review/{candidate_id}"): "review.decide",
    ("GET", "/api/v1/review/queue"): "review.decide",
    ("GET", "/api/v1/review/next"): "review.decide",
    ("GET", "/api/v1/candidates/{candidate_id}"): "review.decide",
    ("POST", "/api/v1/candidates/{candidate_id}/decisions"): "review.decide",
    ("POST", "/api/v1/records"): "records.write",
    ("GET", "/api/v1/children/{child_id}/movements"): "children.read",
    ("GET", "/api/v1/children/{child_id}/movements/history"): "names.read",
    ("GET", "/children/{child_id}/movements/checks"): "children.read",
    ("GET", "/movements/options"): "movements.write",
    ("POST", "/children/{child_id}/movements"): "movements.write",
    ("GET", "/children/{child_id}/movements/{movement_id}/edit"): "movements.write",
    ("POST", "/children/{child_id}/movements/{movement_id}/edit"): "movements.write",
    ("POST", "/children/{child_id}/movements/{movement_id}/withdraw"): "movements.write",
    ("POST", "/api/v1/children/{child_id}/movements"): "movements.write",
    ("PATCH", "/api/v1/movements/{movement_id}"): "movements.write",
    ("POST", "/api/v1/movements/{movement_id}/withdrawal"): "movements.write",
    ("GET", "/facilities"): "facilities.read",
    ("GET", "/facilities/map"): "facilities.read",
    ("GET", "/facilities/{facility_id}"): "facilities.read",
    ("GET", "/api/v1/facilities"): "facilities.read",
    ("GET", "/api/v1/facilities.geojson"): "facilities.read",
    ("GET", "/api/v1/map/borders.geojson"): "facilities.read",
    ("GET", "/api/v1/facilities/{facility_id}"): "facilities.read",
    ("GET", "/api/v1/facilities/{facility_id}/occupancy"): "facilities.read",
    ("GET", "/facilities/new"): "facilities.write",
    ("POST", "/facilities/new"): "facilities.write",
    ("POST", "/facilities/{facility_id}/merge"): "facilities.write",
    ("POST", "/api/v1/facilities"): "facilities.write",
    ("POST", "/api/v1/facilities/{facility_id}/merge"): "facilities.write",
    ("GET", "/facilities/{facility_id}/edit"): "facilities.write",
    ("PATCH", "/api/v1/facilities/{facility_id}"): "facilities.write",
    ("POST", "/facilities/{facility_id}/edit"): "facilities.write",
    ("GET", "/api/v1/facilities/{facility_id}/history"): "facilities.read",
    ("GET", "/evidence"): "evidence.read",
    ("GET", "/evidence/{evidence_id}"): "evidence.read",
    ("GET", "/evidence/{evidence_id}/files/{file_id}"): "evidence.read",
    ("GET", "/api/v1/evidence"): "evidence.read",
    ("GET", "/api/v1/evidence/{evidence_id}"): "evidence.read",
    ("GET", "/evidence/new"): "evidence.write",
    ("POST", "/evidence/new"): "evidence.write",
    ("POST", "/evidence/{evidence_id}/custody"): "evidence.write",
    ("POST", "/evidence/{evidence_id}/reliability"): "evidence.write",
    ("POST", "/evidence/{evidence_id}/credibility"): "evidence.write",
    ("POST", "/api/v1/evidence"): "evidence.write",
    ("POST", "/api/v1/evidence/{evidence_id}/custody"): "evidence.write",
    ("PUT", "/api/v1/evidence/{evidence_id}/reliability"): "evidence.write",
    ("PUT", "/api/v1/evidence/{evidence_id}/credibility"): "evidence.write",
    ("GET", "/claims"): "claims.read",
    ("GET", "/api/v1/claims"): "claims.read",
    ("GET", "/api/v1/contradictions"): "claims.read",
    ("POST", "/claims"): "claims.write",
    ("POST", "/api/v1/claims"): "claims.write",
    ("GET", "/actors"): "actors.read",
    ("GET", "/actors/{actor_id}"): "actors.read",
    ("GET", "/api/v1/actors"): "actors.read",
    ("GET", "/api/v1/actors/{actor_id}"): "actors.read",
    ("POST", "/actors"): "actors.write",
    ("POST", "/actors/{actor_id}/links"): "actors.write",
    ("POST", "/api/v1/actors"): "actors.write",
    ("POST", "/api/v1/actors/{actor_id}/links"): "actors.write",
    ("GET", "/api/v1/export/ftm.jsonl"): "export.ftm",
    ("GET", "/exports"): "export.lists",
    ("POST", "/exports"): "export.lists",
    ("GET", "/api/v1/exports/fields"): "export.lists",
    ("POST", "/api/v1/exports/list"): "export.lists",
    ("GET", "/children/{child_id}/dossier"): "export.dossier",
    ("POST", "/children/{child_id}/dossier"): "export.dossier",
    ("POST", "/api/v1/children/{child_id}/dossier"): "export.dossier",
    ("GET", "/alerts"): "alerts.counts",
    ("GET", "/alerts/{rule}"): "alerts.read",
    ("GET", "/api/v1/alerts"): "alerts.counts",
    ("GET", "/api/v1/alerts/{rule}"): "alerts.read",
    ("GET", "/imports"): "imports.write",
    ("POST", "/imports"): "imports.write",
    ("GET", "/imports/upload/{token}"): "imports.write",
    ("POST", "/imports/upload/{token}/preview"): "imports.write",
    ("POST", "/imports/upload/{token}/run"): "imports.write",
    ("GET", "/admin/audit"): "audit.read",
    ("GET", "/api/v1/audit"): "audit.read",
}


def allowed(permission: str, roles: frozenset[Role]) -> bool:
    return bool(PERMISSIONS[permission].roles & roles)


def granted_to(roles: frozenset[Role]) -> frozenset[str]:
    """Every permission some role of ``roles`` holds."""
    return frozenset(name for name in PERMISSIONS if allowed(name, roles))


def sees_every_organisation(roles: frozenset[Role]) -> bool:
    """Record scope: only system administrators see every organisation's cases."""
    return Role.system_admin in roles


def roles_of(names: tuple[str, ...] | list[str]) -> frozenset[Role]:
    """A logged-in user's roles, as matrix roles (unknown names are ignored)."""
    return frozenset(Role(name) for name in names if name in Role.__members__)


def markdown() -> str:
    """docs/permissions.md, generated from this module (scripts/permissions_doc.py writes it)."""
    roles = list(Role)
    lines = [
        "# Permissions",
        "",
        "Generated from `src/ridni/security/matrix.py` by `python scripts/permissions_doc.py`;",
        "a test fails when this file and the code differ. Every request passes the guard",
        "(`ridni.security.guard`): a route missing from the second table is refused to everybody.",
        "",
        "Besides the role, *record scope* applies: a user sees the cases of their own",
        "organisation, cases held by no organisation, and other organisations' cases whose",
        "family consented to sharing; a system administrator sees all. Analysts see cases",
        "without names or places. Permissions marked † show personal data: every use is written",
        "to the audit trail (so is every write). Administrators and investigators must log in",
        "with a second factor (TOTP). API tokens carry a subset of their owner's permissions.",
        "",
        "## Roles and permissions",
        "",
        "| Permission | " + " | ".join(role.value for role in roles) + " | What it allows |",
        "|---|" + "---|" * len(roles) + "---|",
    ]
    for name, permission in PERMISSIONS.items():
        marks = " | ".join("✓" if role in permission.roles else "—" for role in roles)
        mark = " †" if permission.personal else ""
        lines.append(f"| `{name}`{mark} | {marks} | {permission.description} |")
    lines += ["", "## Endpoints", "", "| Method | Path | Permission |", "|---|---|---|"]
    for (method, path), name in sorted(ROUTES.items(), key=lambda item: (item[0][1], item[0][0])):
        lines.append(f"| {method} | `{path}` | `{name}` |")
    return "\n".join(lines) + "\n"
