"""What a change is known by across retries of its request (R38; audit round 37 RETRIES1):
``idempotency.request_cause`` and ``retry_cause``, table-driven; and for how long
(``shared.retries``: the key's lifetime, known.md stop 37)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from billing_core.adapters.users_in_memory import InMemoryUserDirectory
from billing_core.changes.stop import StopRequest, StopScope
from billing_core.correspondence.bounces import unsent_message_action
from billing_core.correspondence.kinds import STOP_CONFIRMATION
from billing_core.entrypoints.http.idempotency import request_cause
from billing_core.invoices.invoice import InvoiceStatus
from billing_core.invoices.ledger import EntryKind
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.provider.context import ProviderContext
from billing_core.services.provider.invoices import stop_invoice
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.shared.retries import KeyReused, RequestCause
from tests.unit.factories import make_invoice, make_provider
from tests.unit.fake_store import AuditInMemory, FakeQueue, FakeStore, FilesInMemory

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM)


def event(
    method="POST", key=None, tenant="tandarts-de-vries", sub="u-1", request_id="r-1", body=None
):
    headers = {"Idempotency-Key": key} if key is not None else {}
    claims = {"custom:provider_id": tenant, "sub": sub}
    return {
        "httpMethod": method,
        "headers": headers,
        "requestContext": {"requestId": request_id, "authorizer": {"claims": claims}},
        "body": body,
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
    assert (request_cause(first).key == request_cause(again).key) is same


def test_a_cause_has_one_length_so_an_action_naming_it_fits_the_routes():
    """The unsent-message action of a stop (``stop-<cause>``) is read and changed by its
    id, at most 64 characters on the API's action routes, with a key or without."""
    api_gateway_id = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"  # its ids are UUIDs
    for cause in (
        request_cause(event(key="k" * 255)),
        request_cause(event(request_id=api_gateway_id)),
    ):
        stop_id = f"stop-{cause.key}"
        action = unsent_message_action(make_invoice(), STOP_CONFIRMATION, stop_id, NOW)
        assert len(cause.key) == 32 and len(action.action_id) <= 64


# --- a stop known by its cause within the key's lifetime only (R38) ---------------------------

STAFF = ProviderUser("tandarts-de-vries", "u-1", Role.STAFF)
# Windows are counted from the epoch, so one ends at 01:00 in Amsterdam in winter.
BEFORE_A_WINDOW_ENDS = datetime(2026, 11, 23, 0, 30, tzinfo=AMSTERDAM)


def stopped_at(*moments: datetime, requests: tuple[str, ...] = ()) -> tuple[list[int], list[str]]:
    """An invoice stopped in part with one cause (one key of one user) at each moment:
    its coulance entries and the event ids of the confirmations queued. ``requests``: the
    fingerprint of each request (none: not known)."""
    invoice = make_invoice(status=InvoiceStatus.SENT)
    store, queue, clock = FakeStore([invoice], [make_provider()]), FakeQueue(), FixedClock(NOW)
    ctx = ProviderContext(
        store,
        FilesInMemory(),
        None,
        queue,
        clock,
        users=InMemoryUserDirectory(),
        audit=AuditInMemory(),
    )
    partial = StopRequest(StopScope.PARTIAL, "goodwill", invoice.addressee.email, True, 500)
    for moment, asked in zip(moments, requests or ("",) * len(moments), strict=True):
        clock.set(moment)
        stop_invoice(STAFF, invoice.invoice_id, partial, ctx, cause=RequestCause("c" * 32, asked))
    stored = store.get_invoice(invoice.provider_id, invoice.invoice_id)
    assert stored is not None
    coulance = [e.amount_cents for e in stored.ledger if e.kind is EntryKind.COULANCE]
    return coulance, [r.event_id for r in queue.requests]


@pytest.mark.parametrize(
    ("first", "again", "stops"),
    [
        # Given a stop, when the same request is sent again within the key's 24 hours (a
        # retry after a 5xx released the key), then it is the same stop: booked once ...
        (NOW, NOW + timedelta(hours=1), 1),
        (NOW, NOW + timedelta(hours=23, minutes=59), 1),
        # ... also when the retry falls in the next window of the cause
        (BEFORE_A_WINDOW_ENDS, BEFORE_A_WINDOW_ENDS + timedelta(hours=1), 1),
        # When the same key is sent after its record expired, it is a new request: booked
        (NOW, NOW + timedelta(hours=25), 2),
        (NOW, NOW + timedelta(hours=24, minutes=1), 2),
        (BEFORE_A_WINDOW_ENDS, BEFORE_A_WINDOW_ENDS + timedelta(hours=25), 2),
    ],
)
def test_a_key_reused_after_its_lifetime_is_a_new_stop(first, again, stops):
    """R38 ("keys are kept 24 hours"; known.md stop 37, Retries): the same user's key
    reused days later on the same invoice was taken for a retry (200, nothing booked)."""
    assert stopped_at(first, again)[0] == [-500] * stops


def test_a_stop_made_again_after_the_lifetime_has_its_own_confirmation():
    """R21, R38: the later stop's e-mail has an event id of its own, so the delivery,
    which sends a message once per event id, tells the patient of it too."""
    _, told = stopped_at(NOW, NOW + timedelta(hours=1), NOW + timedelta(days=3))
    first, retried, later = told
    assert first == retried != later


@pytest.mark.parametrize(
    ("first", "again"),
    [
        # Given the same key, when the method or the body differs: another request
        (event(key="k"), event(method="DELETE", key="k", request_id="r-2")),
        (event(key="k", body='{"amount": 100}'), event(key="k", body='{"amount": 200}')),
    ],
)
def test_another_request_under_the_same_key_has_another_fingerprint(first, again):
    """R38, interfaces.md §7 (audit weekly2 WEEKLY2-1): the same cause, another request."""
    assert request_cause(first).key == request_cause(again).key
    assert request_cause(first).request != request_cause(again).request


def test_the_same_body_spaced_otherwise_is_the_same_request():
    first = event(key="k", body='{"amount": 100, "reason": "x"}')
    again = event(key="k", body='{"reason":"x","amount":100}', request_id="r-2")
    assert request_cause(first) == request_cause(again)


def test_a_stop_retried_with_its_key_and_another_request_is_refused():
    """R38 ("same key, other body: 422"), R21 (audit weekly2 WEEKLY2-1): Given a stop
    booked, whose answer was lost (a 5xx released its key) / When its key comes again with
    another request within its lifetime / Then KeyReused, and the first stop alone booked."""
    with pytest.raises(KeyReused):
        stopped_at(NOW, NOW + timedelta(hours=1), requests=("body-1", "body-2"))
    assert stopped_at(NOW, NOW + timedelta(hours=1), requests=("body-1", "body-1"))[0] == [-500]
    # A stop booked before fingerprints were kept: taken as the same request (as before)
    assert stopped_at(NOW, NOW + timedelta(hours=1), requests=("", "body-2"))[0] == [-500]
