"""Every open action's id is one the practice can open it by (R23, interfaces.md §2; audit
bounce51c): the API and the portal take an id of at most ACTION_ID_MAX_LENGTH printable
ASCII characters in their path, and a '#', '?', '%' or '/' in it would break the action's
address in the portal's link and form. Each kind of id is built here in its longest real
form, by the code that makes it, and an id no route takes is refused when the action is
made, not stored where nobody can reach it."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from billing_core.changes.correction import correction_cause
from billing_core.changes.coulance import STATEMENT_CAUSE, proposal_id
from billing_core.changes.objection import objection_action
from billing_core.correspondence.bounces import (
    EmailEvent,
    email_event_action,
    unsent_message_action,
)
from billing_core.correspondence.kinds import ON_PAPER_WITHOUT_EMAIL
from billing_core.declarations.ingest import BORN_WITH_THE_INVOICE, born_action_id
from billing_core.declarations.upload import Upload, upload_version_action_id
from billing_core.payments.own_transfers import returned_payout_action_id
from billing_core.payments.transfer_batches import end_to_end_id
from billing_core.providers.actions import (
    ACTION_ID_MAX_LENGTH,
    ACTION_ID_PATTERN,
    ActionKind,
    OpenAction,
    action_id_checked,
    handover_action_id,
)
from billing_core.services.provider.declarations import new_declaration_id
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.retries import RequestCause, retry_causes
from tests.unit.factories import make_invoice

AT = datetime(2026, 12, 31, 23, 59, 59, tzinfo=AMSTERDAM)
UUID = "6f1c3a52-8d0e-4b7a-9c55-0e2d7f4b9a10"  # invoice ids are uuids (36 characters)
# A real SES message id's shape: 60 characters, the longest id from outside that we keep.
SES_MESSAGE_ID = "0102018c7f3a9b2e-8d1f4c55-3a6b-4e7d-9f20-1b2c3d4e5f60-000000"
INVOICE = make_invoice(invoice_id=UUID)


def _confirmation_events() -> list[str]:
    """The event ids of the confirmations that may go to the practice's action when there
    is nowhere to send them (kinds.ON_PAPER_WITHOUT_EMAIL), each in its longest form."""
    stop = retry_causes(RequestCause("k" * 255), AT, named="provider:u:stop-").new
    return [
        "arrangement",  # services/patient.py
        STATEMENT_CAUSE,  # a statement's coulance, applied or declined
        proposal_id(UUID),  # a proposal decided on the practice's action list
        stop.removeprefix("provider:u:"),  # a practice's stop (services/provider/invoices)
        correction_cause(10**9),  # an operator's correction (changes/correction.py)
        f"declaration:{new_declaration_id(AT)}",  # a later upload's credit line
        f"declaration:{UUID}",  # a declaration id as uploads had them before
        f"retour:ledger-{10**9}",  # declarations/retour.py _change_event
    ]


def _longest_ids() -> list[tuple[str, str]]:
    """(what, id) of every kind of action id, in its longest real form."""
    complaint = EmailEvent(SES_MESSAGE_ID, "complaint", AT, INVOICE.reference, "dunning_reminder")
    objection = objection_action(INVOICE, "insurer", "x" * 2000, "a" * 254, AT)
    upload = Upload("p", "D" * 64, "f.csv", "k", version="v" * 1024)  # the route's 64
    ids = [
        ("bounce or complaint", email_event_action(INVOICE, complaint).action_id),
        ("objection", objection.action_id),
        ("coulance proposal", proposal_id(UUID)),
        ("handover", handover_action_id(date(2026, 12, 31), UUID)),
        ("upload version ignored", upload_version_action_id(upload)),
        ("payout returned", returned_payout_action_id(end_to_end_id("PO-2026-W53-999", 9999))),
        *(
            (f"{kind} with the invoice", born_action_id(kind, UUID))
            for kind in BORN_WITH_THE_INVOICE
        ),
    ]
    unsent = (
        unsent_message_action(INVOICE, kind, event, AT).action_id
        for kind in sorted(ON_PAPER_WITHOUT_EMAIL)
        for event in _confirmation_events()
    )
    return [*ids, *((f"unsent {action_id[:30]}", action_id) for action_id in unsent)]


@pytest.mark.parametrize("what, action_id", _longest_ids(), ids=lambda value: str(value)[:40])
def test_every_kind_of_action_id_is_one_the_routes_take_and_a_url_keeps(what, action_id):
    # Given an action id as our code makes it, in its longest real form
    # Then the API's route takes it (its path pattern), and it holds no character that
    # breaks the portal's address of the action
    assert len(action_id) <= ACTION_ID_MAX_LENGTH, (what, len(action_id))
    assert re.fullmatch(ACTION_ID_PATTERN, action_id), what
    assert not set("#?%/") & set(action_id), what
    assert action_id_checked(action_id) == action_id


@pytest.mark.parametrize(
    "action_id",
    ["x" * (ACTION_ID_MAX_LENGTH + 1), "a b", "caf\u00e9", "", "a#b", "a?b", "a%20b", "a/b"],
)
def test_an_action_whose_id_no_route_takes_is_refused_when_it_is_made(action_id):
    # Given an id the practice could not open the action by (R23, interfaces.md §2)
    # When an action is made with it
    # Then it is refused, rather than stored where nobody can reach it
    with pytest.raises(ValueError, match="no action id a route takes"):
        OpenAction.about(INVOICE, ActionKind.BOUNCE, action_id, AT, {})
    with pytest.raises(ValueError, match="no action id a route takes"):
        action_id_checked(action_id)


def test_the_routes_take_every_printable_sign_but_those_that_break_an_address():
    # Given an id with each printable ASCII character between two letters (interfaces.md
    # §2, R23; audit edges51: the pattern took '#', '%', '/' and '?', which the creation
    # refused on its own, so the API read the table for ids no action can have)
    taken = {c for c in map(chr, range(0x20, 0x7F)) if re.fullmatch(ACTION_ID_PATTERN, f"a{c}b")}
    # Then the one pattern of the API, the portal and the creation takes all but the space
    # and the four that would break the action's address in the portal
    assert set(map(chr, range(0x20, 0x7F))) - taken == set(" #%/?")
