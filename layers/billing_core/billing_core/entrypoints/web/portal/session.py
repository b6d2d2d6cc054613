"""The portal's session: who is signed in, until when, and the token every form carries.

The session is a cookie the server signs (HMAC-SHA256), not a record the server keeps: a
Lambda has no memory between requests. What the cookie cannot know, the user directory
tells on every request (R32): a user disabled since is refused, a role changed since
counts at once, and a user who signed out has a new session epoch, so a copy of the old
cookie opens nothing. HttpOnly (no script reads it), Secure, SameSite=Strict (no other
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

from billing_core.ports import UserDirectory
from billing_core.providers.users import DirectoryUser, ProviderUser, Role

SESSION_COOKIE = "zn_portal"
FORM_KEY_FIELD = "form_key"
SIGN_IN_COOKIE = "zn_sign_in"
SIGN_IN_LIFETIME = timedelta(minutes=10)
COOKIE_PATH = "/portal"
LANGUAGE_KEPT = timedelta(days=365)


@dataclass(frozen=True, slots=True)
class Session:
    user: ProviderUser
    expires_at: datetime
    csrf_token: str
    epoch: str  # the user's session epoch at sign-in (DirectoryUser.session_epoch)
    # The practice's name, for every page's header (portal51b): read once at sign-in
    # (services.provider.settings.practice_name) and sealed with the session, so no page
    # reads the settings for it; a name an operator changes is said from the next sign-in.
    practice: str = ""

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


def new_session(user: DirectoryUser, now: datetime, hours: int, practice: str = "") -> Session:
    expires_at = now + timedelta(hours=hours)
    return Session(
        user.signed_in, expires_at, secrets.token_urlsafe(24), user.session_epoch, practice
    )


def new_form_key() -> str:
    """A key of its own for every form a page renders: a change is done once per key
    (R38), so the same form sent twice is recognised and another form never is."""
    return secrets.token_urlsafe(18)


def form_scope(user: ProviderUser) -> str:
    """Whose form keys are kept together: a key is done once per practice and user (R38)."""
    return f"portal#{user.provider_id}#{user.user_id}"


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
    """No role: the directory's of the moment counts (``open_session``)."""
    user = session.user
    return _seal(
        {
            "p": user.provider_id,
            "u": user.user_id,
            "e": session.epoch,
            "x": session.expires_at.isoformat(),
            "c": session.csrf_token,
            "n": session.practice,
        },
        key,
    )


def open_session(cookie: str, key: bytes, now: datetime, users: UserDirectory) -> Session | None:
    """None for no cookie, a forged or altered one, one past its expiry, or one whose user
    may no longer use it: gone, disabled, or signed out since (R32). The session acts in
    the role the user has now, not the one they signed in with."""
    values = _opened(cookie, key)
    if values is None:
        return None
    expires_at = datetime.fromisoformat(values["x"])
    # A cookie sealed before sessions had an epoch was never checked against sign-out.
    if expires_at <= now or "e" not in values:
        return None
    user = users.user_by_id(values["u"])
    if user is None or not _admits(user, values["p"], values["e"]):
        return None
    # A cookie sealed before it held the practice's name: the header says the id.
    return Session(user.signed_in, expires_at, values["c"], values["e"], values.get("n", ""))


def _admits(user: DirectoryUser, provider_id: str, epoch: str) -> bool:
    return (
        user.enabled and user.provider_id == provider_id and hmac_equal(user.session_epoch, epoch)
    )


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
    # Compared as bytes: a browser may send any character, and str needs ASCII (TypeError).
    if not signature or not hmac_equal(signature, _signature(payload.encode(), key)):
        return None
    try:
        values: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload))
    except ValueError:
        return None
    return values


def _signature(payload: bytes, key: bytes) -> str:
    digest = hmac.new(key, payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
