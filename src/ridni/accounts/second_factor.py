"""TOTP second factor (RFC 6238), mandatory for administrators and investigators."""

from __future__ import annotations

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


def verify(secret: str | None, code: str) -> bool:
    """A current code (one step of clock drift allowed)."""
    cleaned = code.replace(" ", "").strip()
    if not secret or len(cleaned) != 6 or not cleaned.isdigit():
        return False
    return pyotp.TOTP(secret).verify(cleaned, valid_window=1)
