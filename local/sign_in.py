"""The sandbox's stand-in for the Cognito hosted UI (the portal's sign-in, R32, R35).

The same authorization code flow with PKCE as deployed: the portal sends the browser to
``/_local/sign-in`` with its ``state`` and code challenge; that page lists the sample
users with their roles, and a click returns to the portal's callback with a one-time
code that only the verifier of that challenge redeems. No passwords and no MFA: this
is a sandbox, like a payment provider's test mode.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from billing_core.adapters.users_in_memory import InMemoryUserDirectory
from billing_core.entrypoints.web.portal.session import hmac_equal, pkce_challenge
from billing_core.providers.users import DirectoryUser, ProviderUser


@dataclass(frozen=True, slots=True)
class _Issued:
    user: DirectoryUser
    code_challenge: str


class SampleSignIn:
    def __init__(self, directory: InMemoryUserDirectory, base_url: str) -> None:
        self._directory = directory
        self._base_url = base_url.rstrip("/")
        self._issued: dict[str, _Issued] = {}

    def sign_in_url(self, state: str, code_challenge: str) -> str:
        query = urlencode({"state": state, "code_challenge": code_challenge})
        return f"{self._base_url}/_local/sign-in?{query}"

    def exchange(self, code: str, code_verifier: str) -> ProviderUser | None:
        issued = self._issued.pop(code, None)
        if issued is None or not hmac_equal(pkce_challenge(code_verifier), issued.code_challenge):
            return None
        self._directory.first_sign_in(issued.user.email)
        return issued.user.signed_in

    @property
    def users(self) -> list[DirectoryUser]:
        """Every enabled user of every practice in the sandbox's user directory."""
        return [u for u in self._directory.everyone() if u.enabled]

    def choose(self, email: str, state: str, code_challenge: str) -> str | None:
        """The callback URL with a fresh code for this user; None for an unknown user."""
        user = next((u for u in self.users if u.email == email), None)
        if user is None or not code_challenge:
            return None
        code = secrets.token_urlsafe(24)
        self._issued[code] = _Issued(user, code_challenge)
        return f"{self._base_url}/portal/callback?{urlencode({'code': code, 'state': state})}"

    def page(self, state: str, code_challenge: str) -> str:
        """One form per sample user: no JavaScript, like the fake bank's page."""
        hidden = (
            f'<input type="hidden" name="state" value="{escape(state)}">'
            f'<input type="hidden" name="code_challenge" value="{escape(code_challenge)}">'
        )
        rows = "".join(
            f'<li><form method="post">{hidden}'
            f'<input type="hidden" name="email" value="{escape(u.email)}">'
            f'<button type="submit">{escape(u.email)}</button>'
            f" {escape(u.role.value)} · {escape(u.provider_id)}</form></li>"
            for u in self.users
        )
        return (
            '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
            "<title>Inloggen (sandbox)</title>"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<style>body{font:17px system-ui;max-width:38rem;margin:2rem auto;padding:0 1rem}"
            "li{margin:.5rem 0}button{font:inherit;padding:.4rem .8rem}</style></head><body>"
            "<h1>Inloggen — sandbox</h1><p>Kies een voorbeeldgebruiker. Gedeployed is dit de"
            " Cognito hosted UI, met wachtwoord en authenticator-app.</p>"
            f"<ul>{rows}</ul></body></html>"
        )
