"""Stopping (part of) an invoice: the provider's coulance (R21, seed 003).

A partial stop forgives a fixed amount or a percentage of the ORIGINAL invoice amount;
a full stop forgives everything still open. Only a sent invoice that is not fully paid
can be stopped; a paid one must first have its overpayment refunded. A stop cannot be
changed or undone: it is a ledger entry (R27), and there is no route that removes one.

The practice checks, and may correct, the patient's e-mail address the confirmation goes
to; it must be given when the invoice has one. A patient without one (paper only) gets
the confirmation on paper (correspondence.kinds.reaches_patient): the practice leaves the
address empty rather than make one up, or fills in one the patient gave since.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from billing_core.invoices.invoice import Invoice, InvoiceStatus
from billing_core.invoices.ledger import (
    Component,
    EntryKind,
    LedgerEntry,
    balance,
    forgiven_last,
    paid_by_patient,
)
from billing_core.shared.errors import practice_refused
from billing_core.shared.money import euro_params, percentage_of


class StopScope(StrEnum):
    FULL = "full"
    PARTIAL = "partial"


# The fixed list the provider chooses from (seed 003, step 7).
STOP_REASONS = (
    "non_contracted_coulance",  # forgive what the insurer does not reimburse (seed 001, 004)
    "goodwill",
    "treatment_complaint",
    "administrative_error",
    "insurer_paid_directly",
    "patient_deceased",
    "other",
)


@dataclass(frozen=True, slots=True)
class StopRequest:
    """A provider's stop of (part of) an invoice (coulance, R21): a fixed amount, a percentage
    or all of it, and the e-mail address the patient is told at ("": none, told on paper)."""

    scope: StopScope
    reason: str
    patient_email: str
    accept_terms: bool
    amount_cents: int | None = None
    percentage: Decimal | None = None


def practice_stop(
    invoice: Invoice, request: StopRequest, at: datetime, cause: str, request_fingerprint: str = ""
) -> Invoice:
    """A stop the practice asked for (R21): the invoice's address was shown to it for
    checking or correcting, so the request gives it back when there is one; empty only
    for a patient without one. (A coulance the policy applies, changes/coulance.py, is
    filled in by nobody: it passes the address itself.)"""
    if invoice.addressee.email and not request.patient_email.strip():
        raise practice_refused("patient_email_required")
    return apply_stop(invoice, request, at, cause, request_fingerprint)


def stop_amount(invoice: Invoice, request: StopRequest) -> int:
    """What the stop forgives, in cents; refuses what the rules do not allow."""
    _check(invoice, request)
    if request.scope is StopScope.FULL:
        return invoice.balance_cents
    if request.percentage is not None:
        amount = percentage_of(invoice.original_amount_cents, request.percentage)
        if amount <= 0:
            # Less than half a cent of the original amount forgives nothing: no coulance of
            # 0 cents booked, no e-mail saying the amount was lowered (R21, R27).
            raise practice_refused(
                "percentage_under_a_cent", **euro_params("original", invoice.original_amount_cents)
            )
    else:
        amount = request.amount_cents or 0
    open_principal = balance(invoice.ledger, Component.PRINCIPAL)
    if amount > open_principal:
        # A stop lowers the principal only (costs and interest stay): name that amount,
        # not the total the invoice page shows.
        raise practice_refused("more_than_open", **euro_params("open", open_principal))
    return amount


def apply_stop(
    invoice: Invoice, request: StopRequest, at: datetime, cause: str, request_fingerprint: str = ""
) -> Invoice:
    """The invoice with the stop booked and the patient's e-mail as the provider checked it;
    its entries remember ``request_fingerprint``, what the request asked (R38)."""
    amount = stop_amount(invoice, request)
    if request.scope is StopScope.FULL:
        booked = [
            (EntryKind.STOP, c, -due) for c in Component if (due := balance(invoice.ledger, c)) > 0
        ]
    else:
        booked = [(EntryKind.COULANCE, Component.PRINCIPAL, -amount)]
    entries = [
        LedgerEntry(kind, component, cents, at, cause, request.reason, None, request_fingerprint)
        for kind, component, cents in booked
    ]
    stopped = replace(invoice, ledger=(*invoice.ledger, *entries))
    return _with_email(stopped, request.patient_email)


def _check(invoice: Invoice, request: StopRequest) -> None:
    if not request.accept_terms:
        raise practice_refused("terms_not_accepted")
    if request.reason not in STOP_REASONS:
        raise practice_refused("unknown_reason")
    if invoice.status is not InvoiceStatus.SENT:
        raise practice_refused("not_sent")
    if invoice.is_paid:
        # The refund first is advice for an invoice the patient paid; one the practice
        # stopped or forgave to zero, or the insurer's deduction settled with nothing paid
        # by the patient (R5), has nothing open to stop (R21).
        if forgiven_last(invoice.ledger):
            raise practice_refused("nothing_open")
        if paid_by_patient(invoice.ledger) <= 0:
            raise practice_refused("nothing_open", said_as="settled_by_insurer")
        raise practice_refused("fully_paid")
    if request.scope is StopScope.PARTIAL:
        _check_partial(request)
    elif request.amount_cents is not None or request.percentage is not None:
        # A whole stop forgives everything open and cannot be undone: an amount or a
        # percentage with it says the practice may have meant a part (R21).
        raise practice_refused("invalid_full_stop")


def _check_partial(request: StopRequest) -> None:
    given = (request.amount_cents is not None) + (request.percentage is not None)
    valid_amount = request.amount_cents is None or request.amount_cents > 0
    valid_percentage = request.percentage is None or Decimal(0) < request.percentage <= 100
    if given != 1 or not valid_amount or not valid_percentage:
        raise practice_refused("invalid_partial_stop")


def _with_email(invoice: Invoice, email: str) -> Invoice:
    """R21: the provider checks, and may correct, the address the confirmation goes to."""
    email = email.strip()
    if not email or email == invoice.addressee.email:
        return invoice
    if invoice.debtor is not None:
        return replace(invoice, debtor=replace(invoice.debtor, email=email))
    return replace(invoice, patient=replace(invoice.patient, email=email))
