"""The portal's sign-in through the Cognito hosted UI: the authorization code flow with
PKCE (RFC 7636). MFA is whatever the user pool requires; the hosted UI asks for it.

The ID token comes straight from the token endpoint over TLS, so its claims are read
without checking its signature (OpenID Connect Core 1.0, 3.1.3.7 item 6).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from billing_core.providers.users import ProviderUser, highest_role

PROVIDER_CLAIM = "custom:provider_id"
GROUPS_CLAIM = "cognito:groups"

# Posts the form to the token endpoint; answers the status and the JSON body.
TokenPost = Callable[[str, Mapping[str, str]], tuple[int, dict[str, Any]]]


def post_form(url: str, form: Mapping[str, str]) -> tuple[int, dict[str, Any]]:
    request = Request(  # noqa: S310 - always the https:// hosted UI domain
        url,
        data=urlencode(form).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except HTTPError as refused:
        return refused.code, {}


class CognitoHostedSignIn:
    def __init__(
        self, domain: str, client_id: str, redirect_uri: str, post: TokenPost = post_form
    ) -> None:
        self._base = f"https://{domain}/oauth2"
        self._client_id = client_id
        self._redirect_uri = redirect_uri
        self._post = post

    def sign_in_url(self, state: str, code_challenge: str) -> str:
        query = {
            "response_type": "code",
            "client_id": self._client_id,
            "redirect_uri": self._redirect_uri,
            "scope": "openid email",
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
        return f"{self._base}/authorize?{urlencode(query)}"

    def exchange(self, code: str, code_verifier: str) -> ProviderUser | None:
        status, tokens = self._post(
            f"{self._base}/token",
            {
                "grant_type": "authorization_code",
                "client_id": self._client_id,
                "code": code,
                "redirect_uri": self._redirect_uri,
                "code_verifier": code_verifier,
            },
        )
        if status != 200 or "id_token" not in tokens:
            return None
        return user_of(_claims(str(tokens["id_token"])))


def user_of(claims: Mapping[str, Any]) -> ProviderUser | None:
    """The tenant and the highest role of the user's groups; None without a tenant."""
    tenant = claims.get(PROVIDER_CLAIM)
    if not tenant or not claims.get("sub"):
        return None
    groups = claims.get(GROUPS_CLAIM) or []
    return ProviderUser(str(tenant), str(claims["sub"]), highest_role(groups))


def _claims(id_token: str) -> dict[str, Any]:
    payload = id_token.split(".")[1]
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims
