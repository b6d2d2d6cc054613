"""Stopping (part of) an invoice (R21, seed 003)."""

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from billing_core.changes.stop import StopRequest, StopScope, apply_stop, practice_stop
from billing_core.entrypoints.http.provider_models import StopIn
from billing_core.invoices.invoice import InvoiceStatus
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.errors import Refused, StateConflict
from tests.unit.factories import make_invoice, make_person

AT = datetime(2026, 11, 25, 10, tzinfo=AMSTERDAM)


def _sent(**overrides):
    return replace(make_invoice(**overrides), status=InvoiceStatus.SENT)


def _partial(**fields):
    base = dict(scope=StopScope.PARTIAL, reason="goodwill", patient_email="", accept_terms=True)
    return StopRequest(**(base | fields))


def test_a_percentage_is_of_the_original_amount_not_of_what_is_left():
    # Given an invoice of 33.17 of which 10.00 was paid already
    invoice = _sent()
    paid = LedgerEntry(EntryKind.PAYMENT, Component.PRINCIPAL, -1000, AT, "bank:x")
    invoice = replace(invoice, ledger=(*invoice.ledger, paid))
    # When the provider stops 40%
    stopped = apply_stop(invoice, _partial(percentage=Decimal(40)), AT, "provider:u")
    # Then 40% of the original 33.17 is forgiven (13.27), not 40% of 23.17
    assert (
        stopped.ledger[-1].kind is EntryKind.COULANCE and stopped.ledger[-1].amount_cents == -1327
    )
    assert stopped.amount_due_cents == invoice.amount_due_cents - 1327


def test_a_full_stop_forgives_everything_open():
    stopped = apply_stop(_sent(), StopRequest(StopScope.FULL, "other", "", True), AT, "provider:u")
    assert stopped.amount_due_cents == 0 and stopped.ledger[-1].kind is EntryKind.STOP


@pytest.mark.parametrize(
    "invoice_change, request_fields, error, code",
    [
        ({}, {"amount_cents": 100, "accept_terms": False}, Refused, "terms_not_accepted"),
        ({}, {"amount_cents": 100, "reason": "because"}, Refused, "unknown_reason"),
        ({}, {}, Refused, "invalid_partial_stop"),  # neither amount nor percentage
        ({}, {"amount_cents": 100, "percentage": Decimal(5)}, Refused, "invalid_partial_stop"),
        ({}, {"amount_cents": 999_999}, Refused, "more_than_open"),
        # R21, R27 (audit stop5 S1): 0,01% of € 33,17 rounds to 0 cents, it lowers nothing
        ({}, {"percentage": Decimal("0.01")}, Refused, "percentage_under_a_cent"),
        (
            {"status": InvoiceStatus.PENDING_DELIVERY},
            {"amount_cents": 100},
            StateConflict,
            "not_sent",
        ),
    ],
)
def test_what_cannot_be_stopped_says_why(invoice_change, request_fields, error, code):
    invoice = replace(_sent(), **invoice_change)
    with pytest.raises(error) as refused:
        apply_stop(invoice, _partial(**request_fields), AT, "provider:u")
    assert refused.value.code == code and refused.value.message_nl and refused.value.message_en


def test_a_fully_paid_invoice_points_to_a_refund_first():
    invoice = _sent()
    paid = LedgerEntry(
        EntryKind.PAYMENT, Component.PRINCIPAL, -invoice.amount_due_cents, AT, "psp:x"
    )
    with pytest.raises(StateConflict) as refused:
        apply_stop(
            replace(invoice, ledger=(*invoice.ledger, paid)), _partial(amount_cents=100), AT, "p"
        )
    assert refused.value.code == "fully_paid" and "terugbetalen" in refused.value.message_nl


FULL = StopRequest(StopScope.FULL, "other", "", True)


def _paid(invoice, cents):
    payment = LedgerEntry(EntryKind.PAYMENT, Component.PRINCIPAL, -cents, AT, "bank:x")
    return replace(invoice, ledger=(*invoice.ledger, payment))


@pytest.mark.parametrize(
    "settled_by",
    [
        lambda sent: apply_stop(sent, FULL, AT, "p"),
        lambda sent: apply_stop(sent, _partial(amount_cents=sent.amount_due_cents), AT, "p"),
        lambda sent: apply_stop(_paid(sent, 1000), FULL, AT, "p"),
    ],
    ids=["stopped in full", "forgiven to zero by a partial stop", "paid in part, rest stopped"],
)
@pytest.mark.parametrize("again", [FULL, _partial(amount_cents=100)], ids=["full", "partial"])
def test_r21_a_stop_on_an_invoice_stopped_to_zero_says_nothing_is_open(settled_by, again):
    """R21 (audit round 37 PA4). Given an invoice the practice stopped or forgave to zero
    (nothing paid, or its rest after a part paid). When the practice stops it again. Then
    it is refused (409) as nothing open, without the advice to have a payment refunded
    first, which is for an invoice the patient paid in full."""
    settled = settled_by(_sent())
    assert settled.amount_due_cents == 0
    with pytest.raises(StateConflict) as refused:
        apply_stop(settled, again, AT, "p")
    assert refused.value.code == "nothing_open"
    assert "terugbetalen" not in refused.value.message_nl
    assert "gestopt of kwijtgescholden" in refused.value.message_nl
    assert "refunded" not in refused.value.message_en


def test_r21_a_coulance_then_a_payment_in_full_still_points_to_a_refund_first():
    """R21: the patient paid the rest after a coulance, so the patient settled it: a stop
    now needs the payment refunded first (fully_paid)."""
    forgiven = apply_stop(_sent(), _partial(amount_cents=100), AT, "p")
    with pytest.raises(StateConflict) as refused:
        apply_stop(_paid(forgiven, forgiven.amount_due_cents), FULL, AT, "p")
    assert refused.value.code == "fully_paid"


@pytest.mark.parametrize("again", [FULL, _partial(amount_cents=100)], ids=["full", "partial"])
def test_r21_r5_a_stop_on_an_invoice_the_insurer_settled_says_nothing_is_open(again):
    """R21, R5 (known.md stop 37, Texts). Given an invoice an insurer's retour settled: it
    deducted all the patient still owed, and the patient paid nothing. When the practice
    stops it. Then it is refused (409) as nothing open, saying the insurer reimburses all
    of it, without the advice to have a payment refunded first (there is none)."""
    sent = _sent()
    retour = LedgerEntry(
        EntryKind.REIMBURSEMENT, Component.PRINCIPAL, -sent.amount_due_cents, AT, "retour:x"
    )
    with pytest.raises(StateConflict) as refused:
        apply_stop(sent.with_entry(retour), again, AT, "p")
    assert refused.value.code == "nothing_open"
    assert "zorgverzekeraar vergoedt het hele bedrag" in refused.value.message_nl
    assert "terugbetalen" not in refused.value.message_nl
    assert "refunded" not in refused.value.message_en


def test_r21_more_than_is_open_names_the_principal_open_as_each_language_writes_it():
    """R21 (audit round 37 PA5). Given an invoice with € 2,50 of principal open (the rest
    paid). When the practice stops € 20,00 of it. Then the refusal says it is more than
    the principal still open and names it as € 2,50 in Dutch and €2.50 in English, where
    it said "(2.50 euro)" in both, and how to fix it: stop at most that, or the whole
    invoice (words52b: it named no way)."""
    invoice = _sent()
    mostly_paid = _paid(invoice, invoice.amount_due_cents - 250)

    with pytest.raises(Refused) as refused:
        apply_stop(mostly_paid, _partial(amount_cents=2000), AT, "p")

    assert refused.value.code == "more_than_open"
    assert refused.value.message_nl == (
        "Dat is meer dan er nog aan hoofdsom openstaat (€\u00a02,50): stop hoogstens"
        " €\u00a02,50, of kies de hele nota."
    )
    assert refused.value.message_en == (
        "That is more than the principal still open (€2.50): stop at most €2.50, or choose"
        " the whole invoice."
    )


def test_the_checked_email_replaces_the_addressees():
    stopped = apply_stop(
        _sent(), _partial(amount_cents=100, patient_email="nieuw@example.org"), AT, "p"
    )
    assert stopped.addressee.email == "nieuw@example.org"


# --- the patient's address the practice checks (R21, R7) -------------------------------------


def test_a_paper_patients_invoice_is_stopped_without_an_address():
    """R21, R7. Given an invoice of a patient without an e-mail address (paper only).
    When the practice stops part of it leaving the address empty. Then the stop is booked
    and no address is made up: the confirmation goes on paper (reaches_patient)."""
    paper = _sent(patient=make_person(email=""))

    stopped = practice_stop(paper, _partial(amount_cents=100), AT, "provider:u")

    assert stopped.ledger[-1].kind is EntryKind.COULANCE and stopped.addressee.email == ""


def test_a_stop_that_leaves_out_the_address_the_invoice_has_is_refused():
    """R21: the address is shown for checking or correcting. Given an invoice with an
    address. When the practice's stop gives none. Then it is refused, naming the field,
    and nothing is booked."""
    with pytest.raises(Refused) as refusal:
        practice_stop(_sent(), _partial(amount_cents=100), AT, "provider:u")

    assert refusal.value.code == "patient_email_required"
    assert not isinstance(refusal.value, StateConflict)  # the request's doing: 422


@pytest.mark.parametrize(
    "typed, accepted",
    [
        ("", True),  # a paper patient: none
        ("nieuw@example.org", True),
        ("geen-adres", False),
        ("a@b", False),  # no dotted domain
        ("twee@adres.nl, drie@adres.nl", False),
    ],
)
def test_the_stop_forms_address_is_empty_or_one_we_can_send_to(typed, accepted):
    """R21, R7: the API and the portal take no address made up to fill a required field,
    and refuse a malformed one (the check of shared/email_address.py)."""
    fields = {"scope": "partial", "amount": 100, "reason": "goodwill", "accept_terms": True}
    if accepted:
        assert StopIn(**fields, patient_email=typed).request().patient_email == typed
    else:
        with pytest.raises(ValidationError):
            StopIn(**fields, patient_email=typed)
    assert StopIn(**fields).patient_email == ""  # left out
