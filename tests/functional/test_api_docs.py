"""One Swagger page for every JSON API (issue 17 item 8): /api/v1/docs offers the
provider, patient and operator API, each its own document, and loads nothing from
elsewhere."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

OPTION = re.compile(r'<option value="([^"]+)">([^<]+)</option>')
EXTERNAL = re.compile(r"<(?:script|link|img)[^>]*\s(?:src|href)=", re.IGNORECASE)


@pytest.mark.parametrize(
    ("page", "first"),
    [("/api/v1/docs", "zorgnota provider API"), ("/api/v1/operator/docs", "zorgnota operator API")],
)
def test_the_swagger_page_offers_every_api(sandbox, page, first):
    """Given the sandbox's API Gateway
    When a developer opens a Swagger page, without a token
    Then it offers the three APIs, its own first, and each link answers that API's
    document, and the page loads no script, style or image from elsewhere."""
    status, html = sandbox.api("GET", page)
    assert status == 200
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
