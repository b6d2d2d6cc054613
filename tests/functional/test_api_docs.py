"""One Swagger page for every JSON API (issue 17 item 8): /api/v1/docs offers the
provider, patient and operator API, each its own document, and loads nothing from
elsewhere."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urljoin

import pytest

from tests.functional.test_patient_api import _headers

OPTION = re.compile(r'<option value="([^"]+)">([^<]+)</option>')
EXTERNAL = re.compile(r"<(?:script|link|img)[^>]*\s(?:src|href)=", re.IGNORECASE)
# The headers of the docs page besides its policy: the APIs' and the portal's.
FIXED = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def _hashes_of(element: str, html: str) -> str:
    """The CSP sources of each inline ``element`` of the page, in its order (two each)."""
    texts = re.findall(rf"<{element}>(.*?)</{element}>", html, re.DOTALL)
    assert len(texts) == 2, element
    digests = (hashlib.sha256(text.encode("utf-8")).digest() for text in texts)
    return " ".join(f"'sha256-{base64.b64encode(d).decode()}'" for d in digests)


@pytest.mark.parametrize(
    ("page", "first"),
    [("/api/v1/docs", "zorgnota provider API"), ("/api/v1/operator/docs", "zorgnota operator API")],
)
def test_the_swagger_page_offers_every_api(sandbox, page, first):
    """Given the sandbox's API Gateway
    When a developer opens a Swagger page, without a token
    Then it offers the three APIs, its own first, and each link answers that API's
    document, and the page loads no script, style or image from elsewhere; its policy
    runs only the page's own two scripts and two styles (by hash), asks only its own
    origin, and it is never framed, cached or sniffed (R29, R32; csp59)."""
    answer = sandbox.api_raw("GET", page)
    assert answer["statusCode"] == 200
    html = answer["body"]
    headers = _headers(answer)
    policy = dict(
        directive.split(" ", 1) for directive in headers["Content-Security-Policy"].split("; ")
    )
    assert policy.pop("script-src") == _hashes_of("script", html)
    assert policy.pop("style-src") == _hashes_of("style", html)
    assert policy == {
        "default-src": "'none'",
        "img-src": "data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "form-action": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
    }
    assert {name: headers.get(name) for name in FIXED} == FIXED
    offered = OPTION.findall(html)
    titles = [title for _, title in offered]
    assert titles[0] == first
    assert sorted(titles) == [
        "zorgnota operator API",
        "zorgnota patient API",
        "zorgnota provider API",
    ]
    assert EXTERNAL.search(html) is None
    for link, title in offered:
        status, document = sandbox.api("GET", urljoin(page, link))
        assert status == 200 and document["info"]["title"] == title
