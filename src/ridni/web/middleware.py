"""ASGI middleware: interface language, CSRF cookie, security headers."""

from __future__ import annotations

import hmac
import secrets
from http.cookies import SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ridni import i18n

LANGUAGE_COOKIE = "ridni_lang"
CSRF_COOKIE = "ridni_csrf"


def csrf_matches(given: object, expected: str) -> bool:
    """Whether a form's ``csrf_token`` is the browser's, compared in constant time. As bytes:
    ``hmac.compare_digest`` raises on a str that is not ASCII, and a hand-made post with
    ``csrf_token=é`` was a 500 instead of "the form expired"."""
    if not isinstance(given, str) or not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


# No inline script or style anywhere, so the policy can forbid both.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}


def request_cookies(scope: Scope) -> dict[str, str]:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:
                return {}
            return {key: morsel.value for key, morsel in jar.items()}
    return {}


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return str(value.decode("latin-1"))
    return None


def secure_cookie(setting: str, scheme: str) -> bool:
    """Whether to mark cookies Secure under the `cookie_secure` setting (auto/always/never)."""
    return setting == "always" or (setting == "auto" and scheme == "https")


class RequestContextMiddleware:
    """Sets the request's language and CSRF token, and adds security headers to every response."""

    def __init__(self, app: ASGIApp, default_language: str, secure_cookies: str) -> None:
        self.app = app
        self.default_language = default_language
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = request_cookies(scope)
        language = cookies.get(LANGUAGE_COOKIE)
        if language not in i18n.LANGUAGES:
            language = i18n.negotiate(_header(scope, b"accept-language"), self.default_language)
        i18n.set_language(language)
        csrf = cookies.get(CSRF_COOKIE, "")
        new_csrf = len(csrf) < 32
        if new_csrf:
            csrf = secrets.token_urlsafe(32)
        state = scope.setdefault("state", {})
        state["language"] = language
        state["csrf_token"] = csrf
        secure = secure_cookie(self.secure_cookies, str(scope.get("scheme", "http")))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                headers.setdefault("content-language", language)
                if new_csrf:
                    flags = "; Path=/; HttpOnly; SameSite=Strict" + ("; Secure" if secure else "")
                    headers.append("set-cookie", f"{CSRF_COOKIE}={csrf}{flags}")
            await send(message)

        await self.app(scope, receive, send_with_headers)
