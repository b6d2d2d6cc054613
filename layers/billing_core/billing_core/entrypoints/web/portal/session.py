"""The portal's session: who is signed in, until when, and the token every form carries.

The session is a cookie the server signs (HMAC-SHA256), never stored: a Lambda has no
memory between requests. HttpOnly (no script reads it), Secure, SameSite=Strict (no other
site's page sends it along); on top of that every form carries the session's CSRF token,
and a POST without it changes nothing (403). The sign-in itself keeps its ``state`` and
PKCE verifier in a second signed cookie for the few minutes of the round trip.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from billing_core.providers.users import ProviderUser, Role

SESSION_COOKIE = "zn_portal"
SIGN_IN_COOKIE = "zn_sign_in"
SIGN_IN_LIFETIME = timedelta(minutes=10)
COOKIE_PATH = "/portal"
LANGUAGE_KEPT = timedelta(days=365)


@dataclass(frozen=True, slots=True)
class Session:
    user: ProviderUser
    expires_at: datetime
    csrf_token: str

    def may(self, needed: Role) -> bool:
        """R32: what the page offers; the same rule refuses a forged form."""
        return self.user.role is not None and self.user.role.may_act_as(needed)

    def form_is_genuine(self, sent_token: str) -> bool:
        return hmac_equal(sent_token, self.csrf_token)


@dataclass(frozen=True, slots=True)
class SignInAttempt:
    """Between the redirect to the sign-in page and the callback: the ``state`` that must
    come back, and the PKCE verifier whose hash went out (RFC 7636)."""

    state: str
    code_verifier: str
    expires_at: datetime

    @property
    def code_challenge(self) -> str:
        return pkce_challenge(self.code_verifier)


def new_session(user: ProviderUser, now: datetime, hours: int) -> Session:
    return Session(user, now + timedelta(hours=hours), secrets.token_urlsafe(24))


def new_sign_in(now: datetime) -> SignInAttempt:
    return SignInAttempt(
        secrets.token_urlsafe(24),
        secrets.token_urlsafe(48),
        now + SIGN_IN_LIFETIME,
    )


def pkce_challenge(code_verifier: str) -> str:
    digest = hashlib.sha256(code_verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


# --- sealing into and opening from a cookie --------------------------------------------------


def seal_session(session: Session, key: bytes) -> str:
    user = session.user
    return _seal(
        {
            "p": user.provider_id,
            "u": user.user_id,
            "r": user.role.value if user.role else "",
            "x": session.expires_at.isoformat(),
            "c": session.csrf_token,
        },
        key,
    )


def open_session(cookie: str, key: bytes, now: datetime) -> Session | None:
    """None for no cookie, a forged or altered one, or one past its expiry."""
    values = _opened(cookie, key)
    if values is None:
        return None
    expires_at = datetime.fromisoformat(values["x"])
    if expires_at <= now:
        return None
    role = Role(values["r"]) if values["r"] else None
    return Session(ProviderUser(values["p"], values["u"], role), expires_at, values["c"])


def seal_sign_in(attempt: SignInAttempt, key: bytes) -> str:
    return _seal(
        {"s": attempt.state, "v": attempt.code_verifier, "x": attempt.expires_at.isoformat()},
        key,
    )


def open_sign_in(cookie: str, key: bytes, now: datetime) -> SignInAttempt | None:
    values = _opened(cookie, key)
    if values is None or datetime.fromisoformat(values["x"]) <= now:
        return None
    return SignInAttempt(values["s"], values["v"], datetime.fromisoformat(values["x"]))


def portal_cookie(
    name: str, value: str, lifetime: timedelta | None = None, *, strict: bool = True
) -> Cookie:
    """Only for the portal's paths, never to a script, only over HTTPS; ``strict``: never
    sent along from another site's page. ``lifetime`` None: delete the cookie. A lifetime,
    not a date: the browser's clock need not be the server's (the sandbox moves its own);
    the sealed value carries the expiry the server checks."""
    return Cookie(
        name,
        value if lifetime else "",
        path=COOKIE_PATH,
        secure=True,
        http_only=True,
        max_age=int(lifetime.total_seconds()) if lifetime else 0,
        same_site=SameSite.STRICT_MODE if strict else SameSite.LAX_MODE,
    )


def hmac_equal(sent: str, kept: str) -> bool:
    return hmac.compare_digest(sent.encode(), kept.encode())


def cookie_value(cookie_header_value: str, name: str) -> str:
    for part in cookie_header_value.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


def _seal(values: dict[str, Any], key: bytes) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode())
    return f"{payload.decode()}.{_signature(payload, key)}"


def _opened(cookie: str, key: bytes) -> dict[str, Any] | None:
    payload, _, signature = cookie.partition(".")
    if not signature or not hmac.compare_digest(signature, _signature(payload.encode(), key)):
        return None
    try:
        values: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload))
    except ValueError:
        return None
    return values


def _signature(payload: bytes, key: bytes) -> str:
    digest = hmac.new(key, payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
