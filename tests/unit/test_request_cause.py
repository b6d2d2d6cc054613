"""What a change is known by across retries of its request (R38; audit round 37 RETRIES1):
``idempotency.request_cause`` and ``retry_cause``, table-driven."""

from __future__ import annotations

from datetime import datetime

import pytest

from billing_core.correspondence.bounces import unsent_message_action
from billing_core.correspondence.kinds import STOP_CONFIRMATION
from billing_core.entrypoints.http.idempotency import request_cause
from billing_core.shared.clock import AMSTERDAM
from tests.unit.factories import make_invoice

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM)


def event(method="POST", key=None, tenant="tandarts-de-vries", sub="u-1", request_id="r-1"):
    headers = {"Idempotency-Key": key} if key is not None else {}
    claims = {"custom:provider_id": tenant, "sub": sub}
    return {
        "httpMethod": method,
        "headers": headers,
        "requestContext": {"requestId": request_id, "authorizer": {"claims": claims}},
    }


@pytest.mark.parametrize(
    ("first", "again", "same"),
    [
        # Given a request sent again with its key, even as another API Gateway request:
        # the same cause
        (event(key="k"), event(key="k", request_id="r-2"), True),
        (event(key="k"), event(method="DELETE", key="k", request_id="r-2"), True),
        # Another key, another user, another practice with the same user id: another
        (event(key="k"), event(key="k2"), False),
        (event(key="k"), event(key="k", sub="u-2"), False),
        (event(key="k"), event(key="k", tenant="fysio-centrum-oost"), False),
        # Without a key (or with one too long to be taken), each request is its own
        (event(), event(request_id="r-2"), False),
        (event(key="k" * 256), event(key="k" * 256, request_id="r-2"), False),
        # A GET takes no key: known by its request
        (event("GET", key="k"), event("GET", key="k", request_id="r-2"), False),
    ],
)
def test_a_request_sent_again_with_its_key_is_the_same_cause(first, again, same):
    assert (request_cause(first) == request_cause(again)) is same


def test_a_cause_has_one_length_so_an_action_naming_it_fits_the_routes():
    """The unsent-message action of a stop (``stop-<cause>``) is read and changed by its
    id, at most 64 characters on the API's action routes, with a key or without."""
    api_gateway_id = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"  # its ids are UUIDs
    for cause in (
        request_cause(event(key="k" * 255)),
        request_cause(event(request_id=api_gateway_id)),
    ):
        action = unsent_message_action(make_invoice(), STOP_CONFIRMATION, f"stop-{cause}", NOW)
        assert len(cause) == 32 and len(action.action_id) <= 64
