"""TOTP second factor (RFC 6238), mandatory for administrators and investigators."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

import pyotp
import segno
from markupsafe import Markup

from ridni.accounts.models import User

ISSUER = "Ridni"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(uri: str) -> Markup:
    """The enrolment QR code as inline SVG (no image request, nothing for the CSP to block)."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#1d2330", light="#ffffff")
    return Markup(svg)  # noqa: S704  (generated here from our own URI, not user input)


def accept(secret: str | None, code: str, last_step: int | None) -> int | None:
    """The time step of ``code`` when it is a current code (one 30-second step of clock drift
    either way) newer than ``last_step``, the step of the last code this account used; else
    None. Storing the returned step makes each code good once: someone who sees a code typed
    cannot use it again within its window."""
    cleaned = code.replace(" ", "").strip()
    # ASCII digits only: str.isdigit() also takes other scripts' digits ("١٢٣٤٥٦").
    if not secret or len(cleaned) != 6 or not (cleaned.isascii() and cleaned.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(datetime.now(UTC))
    for step in (now - 1, now, now + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), cleaned):
            return step
    return None
