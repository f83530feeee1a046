"""TOTP second factor (RFC 6238), mandatory for administrators and investigators."""

from __future__ import annotations

import hmac
import unicodedata
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


def typed_digits(code: str) -> str | None:
    """The digits of a typed code in ASCII, or None when it holds anything else. Spaces of
    any kind go (apps show "123 456"; a copy may carry a no-break space), and a decimal digit
    of any script is the digit it is: a full-width keyboard types "１２３４５６", an Arabic one
    "١٢٣٤٥٦", and such a code, though right, was "not right" and counted towards the lock.
    Superscripts ("²") and the like are not decimal digits."""
    kept = "".join(code.split())
    if not all(unicodedata.category(char) == "Nd" for char in kept):
        return None
    return "".join(str(unicodedata.decimal(char)) for char in kept)


def accept(secret: str | None, code: str, last_step: int | None) -> int | None:
    """The time step of ``code`` when it is a current code (one 30-second step of clock drift
    either way) newer than ``last_step``, the step of the last code this account used; else
    None. Storing the returned step makes each code good once: someone who sees a code typed
    cannot use it again within its window."""
    cleaned = typed_digits(code)
    if not secret or cleaned is None or len(cleaned) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(datetime.now(UTC))
    for step in (now - 1, now, now + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), cleaned):
            return step
    return None
