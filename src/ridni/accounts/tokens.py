"""API tokens for integrations: `ridni_<id>_<secret>`, shown once, stored as a SHA-256,
limited to chosen permissions, revocable, optionally expiring."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy.orm import Session

from ridni.accounts.models import ApiToken, User
from ridni.errors import InputError
from ridni.form_input import clean_text, optional_int
from ridni.i18n import N_
from ridni.ids import MAX_ID
from ridni.security.matrix import PERMISSIONS, allowed, roles_of
from ridni.storage.types import utcnow

PREFIX = "ridni_"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    session: Session, user: User, name: str, scopes: list[str], *, days: int | None = 90
) -> tuple[ApiToken, str]:
    """A new token and its text (the only time the text exists outside the caller)."""
    roles = roles_of([role.name.value for role in user.roles])
    unknown = [scope for scope in scopes if scope not in PERMISSIONS]
    if unknown:
        raise InputError(
            N_("unknown permission(s): {names}"),
            N_("see docs/permissions.md for the names"),
            names=", ".join(unknown),
        )
    beyond = [scope for scope in scopes if not allowed(scope, roles)]
    if beyond:
        raise InputError(
            N_("your roles do not include: {names}"),
            N_("a token can only narrow what you may do"),
            names=", ".join(beyond),
        )
    name = clean_text(name)
    if not name or len(name) > 100:
        raise InputError(
            N_("a token needs a name of at most {max_length} characters"), max_length=100
        )
    if not scopes:
        raise InputError(
            N_("a token needs at least one permission"),
            N_("choose what it may do; a token without any could do nothing"),
        )
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user_id=user.id,
        name=name.strip(),
        secret_hash=_digest(secret),
        scopes=sorted(set(scopes)),
        created_at=now,
        expires_at=now + timedelta(days=days) if days else None,
    )
    session.add(token)
    session.flush()
    return token, f"{PREFIX}{token.id}_{secret}"


def authenticate_token(session: Session, text: str) -> ApiToken | None:
    """The live token this text names, compared in constant time; else None."""
    if not text.startswith(PREFIX):
        return None
    number, _, secret = text[len(PREFIX) :].partition("_")
    # ASCII digits an id can be: "²" passes str.isdigit() but int() refuses it, and a number
    # past the column is refused by PostgreSQL even in a lookup; both were a 500, not a 401.
    token_id = optional_int(number, 1, MAX_ID)
    if token_id is None or not secret:
        return None
    token = session.get(ApiToken, token_id)
    expected = token.secret_hash if token else _digest("no such token")
    if not hmac.compare_digest(expected, _digest(secret)) or token is None:
        return None
    now = utcnow()
    if (
        token.revoked_at
        or (token.expires_at and token.expires_at <= now)
        or not token.user.is_active
    ):
        return None
    token.last_used_at = now
    return token


def revoke(session: Session, user: User, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise InputError(N_("you have no token number {token_id}"), token_id=token_id)
    token.revoked_at = token.revoked_at or utcnow()
