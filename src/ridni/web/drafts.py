"""A form sent after its login session ended, kept through the login instead of lost.

A caseworker who types for longer than the idle timeout (a long call with a family) used to be
sent to the login page, and everything typed was gone. A page that registers a :class:`Keeper`
gets instead: the login page (at the address the form was sent to) holding what was typed as
one sealed hidden field, carried through a wrong password and the second factor; after the
login, the page's form filled in with it, not saved. Only the typed text is kept, never the
CSRF token or files.

The sealed draft is AES-GCM under the key ring's primary data key (``ridni.security.encryption``),
its associated data naming the page and the browser's CSRF token, its plain text carrying an
expiry: it opens only for that page, in that browser, for :data:`KEEP_FOR`. It opens for
whoever logs in there, provided they may open the page (decision 015).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from ridni.accounts.models import User
from ridni.accounts.signed_in import SignedIn
from ridni.errors import RidniError
from ridni.i18n import gettext_
from ridni.security.encryption import decrypt, encrypt, ring_of
from ridni.security.guard import Access
from ridni.security.keys import KeyRing
from ridni.security.matrix import ROUTES, granted_to, roles_of
from ridni.web.middleware import csrf_matches

FIELD = "draft"
KEEP_FOR = 2 * 3600  # seconds: a long interview, not a day on a shared computer
MAX_FIELDS = 60
MAX_BYTES = 64 * 1024  # the typed fields as JSON; the tracing form's limits need < 32 KiB
# The sealed text of MAX_BYTES: prefix and key id, base64 of nonce, ciphertext and tag.
MAX_SEALED = 64 + 4 * ((12 + MAX_BYTES + 16 + 2) // 3)

Fields = list[tuple[str, str]]


@dataclass(frozen=True)
class Keeper:
    """A page whose form is kept through a login. The messages are English sources marked
    with ``N_``, translated when shown."""

    path: str
    # Shows the page's form filled with ``fields`` (none when the draft could not be opened),
    # with ``notice`` above it.
    restore: Callable[[Request, Fields, str], Response]
    kept: str  # on the login page: signed out, log in again, what is kept
    restored: str  # above the filled form: nothing saved yet, check and send
    lost: str  # above the empty form: the draft could not be opened


_KEEPERS: dict[str, Keeper] = {}


def keep(keeper: Keeper) -> None:
    """Keep ``keeper.path``'s form (sent by POST to the page's own address) through a login."""
    if not keeper.path.isascii() or not keeper.path.startswith("/"):
        raise ValueError(f"a draft keeper needs a local ASCII path, not {keeper.path!r}")
    _KEEPERS[keeper.path] = keeper


def kept_notice(path: str) -> str:
    keeper = _KEEPERS.get(path)
    return gettext_(keeper.kept) if keeper is not None else ""


def carried(sealed: str) -> str:
    """A draft to carry on to the next step of the login: as it came, unless it is too long
    to be one (it is not echoed back then)."""
    return sealed if len(sealed) <= MAX_SEALED else ""


def _context(path: str, csrf_token: str) -> str:
    browser = hashlib.sha256(csrf_token.encode("utf-8")).hexdigest()[:32]
    return f"draft:{path}:{browser}"


def seal(
    ring: KeyRing, path: str, csrf_token: str, fields: Fields, now: float | None = None
) -> str | None:
    """``fields`` sealed for ``path`` in the browser holding ``csrf_token``; None when there
    are too many or they are too long to carry."""
    moment = time.time() if now is None else now
    plain = json.dumps(
        {"until": int(moment) + KEEP_FOR, "fields": fields},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    if len(fields) > MAX_FIELDS or len(plain.encode("utf-8")) > MAX_BYTES:
        return None
    return encrypt(ring, _context(path, csrf_token), plain)


def unseal(
    ring: KeyRing, path: str, csrf_token: str, sealed: str, now: float | None = None
) -> Fields | None:
    """The fields of a draft sealed by :func:`seal`, or None when it is not one: altered,
    expired, sealed for another page or browser, or under a key the ring no longer has."""
    if not sealed or len(sealed) > MAX_SEALED or not csrf_token:
        return None
    try:
        content = json.loads(decrypt(ring, _context(path, csrf_token), sealed))
        until, pairs = content["until"], content["fields"]
        fields = [(str(name), str(value)) for name, value in pairs]
    except (RidniError, ValueError, TypeError, KeyError):
        return None  # ValueError covers bad base64, bad UTF-8, bad JSON and a short nonce
    moment = time.time() if now is None else now
    if not isinstance(until, int) or moment > until:
        return None
    return fields


def _ring(request: Request) -> KeyRing | None:
    try:
        return ring_of(request.app.state.db.engine.dialect)
    except RidniError:
        return None


@dataclass(frozen=True)
class Kept:
    path: str
    sealed: str


async def kept_from(request: Request) -> Kept | None:
    """The draft of a form sent to a keeper's page without a login session, sealed; None when
    there is nothing to keep: another page or method, a CSRF token that does not match (a
    form sent from another site must not fill in a caseworker's page), too much typed."""
    keeper = _KEEPERS.get(request.url.path)
    if keeper is None or request.method != "POST":
        return None
    try:
        # Read already (the route's CSRF field made FastAPI parse it) and then these limits are
        # not applied again; files are read only to be left out.
        form = await request.form(max_files=8, max_fields=MAX_FIELDS, max_part_size=64 * 1024)
    except HTTPException:
        return None
    token = form.get("csrf_token")
    expected: str = getattr(request.state, "csrf_token", "")
    if not csrf_matches(token, expected):
        return None
    fields = [
        (name, value)
        for name, value in form.multi_items()
        if isinstance(value, str) and name not in ("csrf_token", FIELD)
    ]
    ring = _ring(request)
    sealed = seal(ring, keeper.path, expected, fields) if ring is not None else None
    return Kept(keeper.path, sealed) if sealed is not None else None


def restore(request: Request, user: User, path: str, sealed: str) -> Response | None:
    """After ``user`` logged in with a draft: ``path``'s form filled with it, or with a neutral
    notice when it cannot be opened. None, so the login goes on to ``path`` as usual, when
    ``path`` keeps no drafts or the user may not open it (the page then refuses them)."""
    keeper = _KEEPERS.get(path)
    permission = ROUTES.get(("GET", path))
    if keeper is None or permission is None:
        return None
    roles = roles_of([role.name.value for role in user.roles])
    granted = granted_to(roles)
    if permission != "public" and permission not in granted:
        return None
    # The page is drawn in the login's answer: it shows the user as logged in, and the login's
    # own audit event (set by the guard before anybody was logged in) is kept.
    before: Access | None = getattr(request.state, "access", None)
    request.state.access = Access(
        user=user, granted=granted, roles=roles, audit=before.audit if before else None
    )
    request.state.user = SignedIn.of(user)
    ring = _ring(request)
    csrf_token: str = getattr(request.state, "csrf_token", "")
    fields = unseal(ring, path, csrf_token, sealed) if ring is not None else None
    request.state.audit_detail = {"draft": path, "restored": fields is not None}
    notice = gettext_(keeper.restored if fields is not None else keeper.lost)
    return keeper.restore(request, fields or [], notice)
