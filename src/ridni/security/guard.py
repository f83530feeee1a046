"""Every request passes here first: who is asking (session cookie or API token), which
permission the route needs (from the matrix), and whether the answer must be audited."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from ridni.accounts.models import ApiToken, LoginSession, User
from ridni.accounts.tokens import authenticate_token
from ridni.audit.chain import record
from ridni.cases.models import Child
from ridni.ids import MAX_ID
from ridni.movements.models import Movement
from ridni.security import matrix
from ridni.security.matrix import PERMISSIONS, ROUTES, TWO_FACTOR_ROLES, Role, granted_to, roles_of
from ridni.storage.types import utcnow

SESSION_COOKIE = "ridni_session"
# While a second factor is missing, only these routes answer.
SECOND_FACTOR_ROUTES = {
    ("GET", "/login/2fa"),
    ("POST", "/login/2fa"),
    ("GET", "/account/2fa"),
    ("POST", "/account/2fa"),
    ("POST", "/logout"),
}


class LoginRequired(Exception):
    """The app answers with a redirect to the login page (or the second-factor page)."""

    def __init__(self, next_url: str, target: str = "/login") -> None:
        super().__init__(next_url)
        self.next_url = next_url
        self.target = target


class HeldElsewhere(HTTPException):
    """403: another organisation's shared case is seen, not changed, by this user's."""

    def __init__(self) -> None:
        super().__init__(
            status.HTTP_403_FORBIDDEN,
            "only the organisation that holds this case may change it",
        )


class RoleRefused(HTTPException):
    """403 from the guard: the user's roles (or token) lack ``permission``. The API answers
    with this English detail; pages say it in the reader's language (``ridni.web.errors``)."""

    def __init__(self, permission: str) -> None:
        super().__init__(status.HTTP_403_FORBIDDEN, f"your role may not do this ({permission})")
        self.permission = permission


@dataclass
class Access:
    """What the guard learned about this request; routes read it through request.state."""

    user: User | None = None
    token: ApiToken | None = None
    stage: str = "full"
    granted: frozenset[str] = frozenset()
    audit: dict[str, Any] | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)


def _from_cookie(request: Request, session: Session, access: Access) -> None:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return
    found = session.scalar(
        select(LoginSession).where(
            LoginSession.token_hash == hashlib.sha256(raw.encode()).hexdigest()
        )
    )
    if found is None:
        return
    settings = request.app.state.settings
    now = utcnow()
    idle = timedelta(minutes=settings.session_idle_minutes)
    if now >= found.expires_at or now - found.last_seen_at > idle or not found.user.is_active:
        session.delete(found)
        return
    if now - found.last_seen_at > timedelta(seconds=60):
        found.last_seen_at = now
    access.user, access.stage = found.user, found.stage


def _from_header(request: Request, session: Session, access: Access) -> None:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        return
    token = authenticate_token(session, header[7:].strip())
    if token is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "invalid, expired or revoked token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    access.user, access.token = token.user, token


def identify(request: Request, session: Session) -> Access:
    access = Access()
    _from_header(request, session, access)
    if access.user is None:
        _from_cookie(request, session, access)
    if access.user is not None:
        access.roles = roles_of([role.name.value for role in access.user.roles])
        granted = granted_to(access.roles)
        if access.token is not None:
            granted &= frozenset(access.token.scopes)
        access.granted = granted
    return access


def return_target(request: Request) -> str:
    """Where to come back after logging in. A form sent after the session ran out comes back
    to the page that held it (its referrer on this site), not to the address it was sent to,
    which answers only POST."""
    if request.method in ("GET", "HEAD"):
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    referrer = urlsplit(request.headers.get("referer", ""))
    if referrer.netloc == request.url.netloc and referrer.path.startswith("/"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return "/"


def enforce(request: Request, session: Session) -> Access:
    """Decide; raise when the answer is no. Routes unknown to the matrix are refused."""
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    method = "GET" if request.method == "HEAD" else request.method
    access = identify(request, session)
    request.state.access = access
    permission = ROUTES.get((method, path)) if path else None
    if permission is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this address has no permission set")
    api = request.url.path.startswith("/api/")
    if permission != "public":
        if access.user is None:
            if api:
                raise HTTPException(
                    status.HTTP_401_UNAUTHORIZED,
                    "login required",
                    headers={"WWW-Authenticate": 'Bearer realm="ridni"'},
                )
            raise LoginRequired(return_target(request))
        if access.stage != "full" and (method, path) not in SECOND_FACTOR_ROUTES:
            target = "/account/2fa" if access.stage == "enrol" else "/login/2fa"
            if api:
                raise HTTPException(status.HTTP_401_UNAUTHORIZED, "second factor required")
            raise LoginRequired(return_target(request), target)
        if permission not in access.granted:
            raise RoleRefused(permission)
    if permission != "public":
        _check_scope(session, access, request.path_params, changes=permission == "children.write")
    if PERMISSIONS[permission].personal or method != "GET":
        actor = access.user.username if access.user else "anonymous"
        if access.token is not None:
            actor += f" (token {access.token.id})"
        access.audit = {
            # Plain values now: the user object may be gone when the event is written.
            "actor": actor,
            "user_id": access.user.id if access.user else None,
            "action": f"{'read' if method == 'GET' or permission.endswith('.read') else 'write'} "
            f"{path}",
            "params": {k: str(v) for k, v in request.path_params.items()},
            "method": method,
            "permission": permission,
        }
    return access


def sees_every_organisation(access: Access) -> bool:
    return matrix.sees_every_organisation(access.roles)


def _check_scope(
    session: Session, access: Access, params: dict[str, Any], *, changes: bool = False
) -> None:
    """A case of another organisation exists, for this user, only if it may be shared; a
    shared case is changed (its fields, status and consents) only by the organisation that
    holds it."""
    if sees_every_organisation(access) or access.user is None:
        return
    # A route names the child, or something of one child's (a movement): either way the
    # child's organisation decides.
    query = select(Child.organisation_id, Child.consent_share)
    if (key := _identifier(params.get("child_id"))) is not None:
        query, what = query.where(Child.id == key), "child"
    elif (key := _identifier(params.get("movement_id"))) is not None:
        query = query.join(Movement, Movement.child_id == Child.id).where(Movement.id == key)
        what = "movement"
    else:
        return
    row = session.execute(query).first()
    if row is None:
        return  # the route answers 404 itself
    organisation_id, shared = row
    if organisation_id not in (None, access.user.organisation_id):
        if not shared:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no {what} with id {key}")
        if changes:
            raise HeldElsewhere()


def _identifier(value: Any) -> int | None:
    """A path id the database can look up; None lets the route's own validation answer."""
    try:
        key = int(value)
    except (TypeError, ValueError):
        return None
    return key if 1 <= key <= MAX_ID else None


def write_audit(request: Request, session: Session, status_code: int | None = None) -> None:
    """Append the request's audit event (in its transaction, just before it commits)."""
    access: Access | None = getattr(request.state, "access", None)
    if access is None or access.audit is None:
        return
    params = access.audit["params"]
    entity = next(iter(params.items()), (None, None))
    # A route may name its action and add what it did (exports: fields, rows, file hash).
    extra: dict[str, Any] = getattr(request.state, "audit_detail", None) or {}
    record(
        session,
        getattr(request.state, "audit_action", None) or access.audit["action"],
        actor=access.audit["actor"],
        user_id=access.audit["user_id"],
        entity_type=entity[0],
        entity_id=entity[1],
        ip_address=request.client.host if request.client else None,
        reason=getattr(request.state, "audit_reason", ""),
        detail={
            "method": access.audit["method"],
            "permission": access.audit["permission"],
            "params": params,
            **({"status": status_code} if status_code else {}),
            **extra,
        },
    )


def needs_second_factor(user: User) -> bool:
    roles = roles_of([role.name.value for role in user.roles])
    return bool(roles & TWO_FACTOR_ROLES)


def has(request: Request, permission: str) -> bool:
    access: Access | None = getattr(request.state, "access", None)
    return access is not None and permission in access.granted
