"""The portal's signed session cookie and the hosted UI's code exchange (R32, R35)."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from billing_core.adapters.cognito_sign_in import CognitoHostedSignIn
from billing_core.adapters.users_in_memory import InMemoryUserDirectory
from billing_core.entrypoints.web.portal import session as sessions
from billing_core.providers.users import ProviderUser, Role
from billing_core.shared.clock import AMSTERDAM

KEY = b"k" * 32
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM)
PRACTICE = "tandarts-de-vries"
EMAIL = "balie@tandarts-de-vries.example.org"


def signed_in_staff() -> tuple[InMemoryUserDirectory, str]:
    """A staff member's directory and the cookie of the session they just opened."""
    users = InMemoryUserDirectory()
    staff = users.invite(PRACTICE, EMAIL, Role.STAFF)
    return users, sessions.seal_session(sessions.new_session(staff, NOW, hours=8), KEY)


def test_a_sealed_session_opens_until_it_expires():
    users = InMemoryUserDirectory()
    staff = users.invite(PRACTICE, EMAIL, Role.STAFF)
    session = sessions.new_session(staff, NOW, hours=8)
    sealed = sessions.seal_session(session, KEY)
    assert sessions.open_session(sealed, KEY, NOW + timedelta(hours=7), users) == session
    assert sessions.open_session(sealed, KEY, NOW + timedelta(hours=8), users) is None


def test_a_session_whose_role_or_tenant_was_changed_does_not_open():
    users, sealed = signed_in_staff()
    payload, signature = sealed.split(".")
    values = json.loads(base64.urlsafe_b64decode(payload))
    values |= {"r": "admin", "p": "fysio-centrum-oost"}
    forged = base64.urlsafe_b64encode(json.dumps(values).encode()).decode()
    assert sessions.open_session(f"{forged}.{signature}", KEY, NOW, users) is None
    assert sessions.open_session(sealed, b"another key" * 3, NOW, users) is None


def test_a_session_acts_in_the_role_the_user_has_now():
    """R32, audit security D2: a user demoted to viewer loses staff rights at the next
    request, not at the next sign-in; one promoted gains them as soon."""
    users, sealed = signed_in_staff()
    users.change_role(PRACTICE, EMAIL, Role.VIEWER)
    session = sessions.open_session(sealed, KEY, NOW, users)
    assert session is not None and session.user.role is Role.VIEWER
    assert not session.may(Role.STAFF)
    users.change_role(PRACTICE, EMAIL, Role.ADMIN)
    assert sessions.open_session(sealed, KEY, NOW, users).may(Role.ADMIN)


def test_a_session_ends_when_its_user_is_disabled_or_signs_out():
    """R32, interfaces.md §7 "disable the user", audit security D2: the cookie no longer
    opens, whoever holds a copy of it."""
    users, sealed = signed_in_staff()
    users.disable(PRACTICE, EMAIL)
    assert sessions.open_session(sealed, KEY, NOW, users) is None
    users, sealed = signed_in_staff()
    users.end_sessions(users.users_of(PRACTICE)[0].user_id)
    assert sessions.open_session(sealed, KEY, NOW, users) is None
    assert sessions.open_session(sealed, KEY, NOW, InMemoryUserDirectory()) is None


def test_a_cookie_sealed_without_a_session_epoch_does_not_open():
    """One from before sign-out ended sessions on the server: its user signs in again."""
    users, sealed = signed_in_staff()
    values = json.loads(base64.urlsafe_b64decode(sealed.split(".")[0]))
    del values["e"]
    old = sessions._seal(values, KEY)
    assert sessions.open_session(old, KEY, NOW, users) is None


def test_only_the_sessions_own_token_makes_a_form_genuine():
    staff = InMemoryUserDirectory().invite(PRACTICE, EMAIL, Role.STAFF)
    session = sessions.new_session(staff, NOW, hours=8)
    other = sessions.new_session(staff, NOW, hours=8)
    assert session.form_is_genuine(session.csrf_token)
    assert not session.form_is_genuine(other.csrf_token)
    assert not session.form_is_genuine("")


def test_the_session_cookie_is_httponly_secure_strict_and_for_the_portal_only():
    cookie = str(sessions.portal_cookie("zn_portal", "v", timedelta(hours=8)))
    assert {"HttpOnly", "Secure", "SameSite=Strict", "Path=/portal", "Max-Age=28800"} <= {
        part.strip() for part in cookie.split(";")
    }


def _id_token(claims: dict[str, object]) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"header.{payload}.signature"


def test_the_hosted_ui_code_is_redeemed_with_the_pkce_verifier():
    posted = []

    def token_endpoint(url, form):
        posted.append((url, dict(form)))
        claims = {
            "sub": "abc",
            "custom:provider_id": "tandarts-de-vries",
            "cognito:groups": ["viewer", "staff"],
        }
        return 200, {"id_token": _id_token(claims)}

    sign_in = CognitoHostedSignIn(
        "zorgnota.auth.eu-central-1.amazoncognito.com",
        "client",
        "https://x.example/portal/callback",
        token_endpoint,
    )
    attempt = sessions.new_sign_in(NOW)
    asked = parse_qs(urlsplit(sign_in.sign_in_url(attempt.state, attempt.code_challenge)).query)
    assert asked["code_challenge_method"] == ["S256"] and asked["state"] == [attempt.state]
    user = sign_in.exchange("the-code", attempt.code_verifier)
    assert user == ProviderUser("tandarts-de-vries", "abc", Role.STAFF)
    assert posted[0][1]["code_verifier"] == attempt.code_verifier
    assert sessions.pkce_challenge(posted[0][1]["code_verifier"]) == asked["code_challenge"][0]


def test_a_refused_code_signs_nobody_in():
    sign_in = CognitoHostedSignIn("d", "c", "https://x.example/cb", lambda url, form: (400, {}))
    assert sign_in.exchange("used-code", "verifier") is None
