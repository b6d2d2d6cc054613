"""The OpenAPI documents of the three JSON APIs and the one Swagger page that offers
them all (issue 17 item 8): a selector of the provider, patient and operator API, each
its own document (tagged by resource), served by its own function. The
provider and operator documents declare the bearer token (the Cognito ID token), so
the page has an Authorize button; the patient API takes no token.

Swagger UI's script and style are Powertools' own copies, put into the page, as its
``enable_swagger`` does: the page loads nothing from elsewhere. Its Content-Security-Policy
runs exactly the page's own scripts and styles (by their SHA-256) and lets it ask only its
own origin: the page shares its origin with the portal and the checker, whose requests an
injected script could make with their cookies (R29, R32; csp59).
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
from dataclasses import dataclass
from functools import cache
from html import escape
from http import HTTPStatus
from importlib.util import find_spec
from pathlib import Path

from aws_lambda_powertools.event_handler import Response

from billing_core.entrypoints.http.middleware import ANSWER_HEADERS, HSTS

SECURITY_SCHEME = "bearerToken"  # the name of the bearer token in the documents
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True, slots=True)
class ApiDocument:
    name: str  # in the page's spec selector
    title: str
    path: str  # where its function serves it
    bearer_token: bool  # the API is behind the Cognito authorizer


PROVIDER_API = ApiDocument("provider", "zorgnota provider API", "/api/v1/openapi.json", True)
PATIENT_API = ApiDocument(
    "patient", "zorgnota patient API", "/api/v1/patient/openapi.json", bearer_token=False
)
OPERATOR_API = ApiDocument(
    "operator", "zorgnota operator API", "/api/v1/operator/openapi.json", bearer_token=True
)
DOCUMENTS = (PROVIDER_API, PATIENT_API, OPERATOR_API)


def docs_page(page_path: str, first: ApiDocument) -> Response[str]:
    """The Swagger page at ``page_path``, ``first`` selected. The documents are linked
    relative to the page, so they resolve under a stage prefix (``/Prod``) too."""
    listed = [first, *(document for document in DOCUMENTS if document != first)]
    options = "".join(
        f'<option value="{escape(relative_url(d.path, page_path))}">{escape(d.title)}</option>'
        for d in listed
    )
    return Response(HTTPStatus.OK.value, HTML, _page(options), headers=docs_headers())


def relative_url(path: str, page_path: str) -> str:
    return posixpath.relpath(path, posixpath.dirname(page_path))


# The page's own style and script besides Swagger UI's: fixed, so their hashes are too.
_OWN_STYLE = ".api-choice { font: 16px sans-serif; margin: 16px 20px 0; }"
_OWN_SCRIPT = """
var api = document.getElementById("api");
var ui = SwaggerUIBundle({
  dom_id: "#swagger-ui",
  url: api.value,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  docExpansion: "list",
  filter: true
});
api.addEventListener("change", function () {
  ui.specActions.updateUrl(api.value);
  ui.specActions.download(api.value);
});
"""


def _page(options: str) -> str:
    # Powertools ships Swagger UI's bundle without its standalone preset (the top bar with
    # the spec selector), so the selector is a plain <select> that loads the chosen spec.
    script, style = _swagger_ui()
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>zorgnota APIs</title>
<style>{style}</style>
<style>{_OWN_STYLE}</style>
</head>
<body>
<p class="api-choice"><label for="api">API </label><select id="api">{options}</select></p>
<div id="swagger-ui"></div>
<script>{script}</script>
<script>{_OWN_SCRIPT}</script>
</body>
</html>
"""


@cache
def docs_headers() -> dict[str, str]:
    """The page's headers: the APIs' (no-store, nosniff), HTTPS only, no referrer, never
    framed, and a policy that runs the page's two scripts and two style elements and no
    other (no inline ``style`` attribute either: Swagger UI sets its styles from its
    script), takes images only as ``data:`` (Swagger UI's icons) and sends requests only
    to its own origin (the documents, "Try it out": their server is ``/``)."""
    script, style = _swagger_ui()
    scripts = " ".join(_sha256(text) for text in (script, _OWN_SCRIPT))
    styles = " ".join(_sha256(text) for text in (style, _OWN_STYLE))
    policy = (
        f"default-src 'none'; script-src {scripts}; style-src {styles}; img-src data:; "
        "connect-src 'self'; object-src 'none'; form-action 'none'; base-uri 'none'; "
        "frame-ancestors 'none'"
    )
    return {
        **ANSWER_HEADERS,
        "Strict-Transport-Security": HSTS,
        "Content-Security-Policy": policy,
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
    }


def _sha256(text: str) -> str:
    """A CSP source for the inline element holding ``text`` (CSP3: its UTF-8 bytes)."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


# Found, not imported: the package's __init__ loads Powertools' OpenAPI models (pydantic),
# about a third of an API function's cold start, for the two files read here.
_SWAGGER_UI = "aws_lambda_powertools.event_handler.openapi.swagger_ui"


@cache
def _swagger_ui() -> tuple[str, str]:
    spec = find_spec(_SWAGGER_UI)
    if spec is None or not spec.submodule_search_locations:
        # Not an assert: under ``python -O`` the page would fail later, with a worse error.
        raise RuntimeError(f"{_SWAGGER_UI} is not installed: the docs page serves its files")
    folder = Path(spec.submodule_search_locations[0])
    script = (folder / "swagger-ui-bundle.min.js").read_text(encoding="utf-8")
    return script, (folder / "swagger-ui.min.css").read_text(encoding="utf-8")
