"""The collection agency's transfer of the money it collected (R24, R27; audit AGENCY3).

Our decision (the owners may change it): one money movement per euro, counted when the
money arrives in our collection account.

- The agency's ``paid`` row (collection/collection_report.py) settles the claim: PAYMENT
  entries with cause ``agency:<agency_ref>``, allocated costs -> interest -> principal,
  so the patient owes nothing more and is unblocked (R22). No money came into our
  account with it: the weekly statement shows it as information ("collected by the
  collection agency"), not as received, and pays none of it out.
- The agency's transfer of that money, a bank credit quoting the claim's kenmerk (or
  matched to it by an operator), is that money arriving: received for the practice in
  that week's payout, not allocated on the claim again and no credit for the patient.
  Per component the agency's entries paid, one REVERSAL of them (cause
  ``agency:remitted:<bank payment id>``, note ``reverses agency:<agency_ref>``) and one
  PAYMENT of the same cents (cause ``bank:<id>``, note REMITTED_NOTE): what the patient
  owes does not change, and the money is received once, as the bank's (R27: the
  ledger only grows, each entry says what it is).

A transfer of less than the agency collected is booked as far as it goes, principal
first, then interest, then costs (the agency may keep its BIK: the owners' business);
the rest stays on the claim as the agency's, visible on the claim's ledger and in the
statements' "collected" and "remitted" figures. A transfer of more than it collected and
did not transfer yet is not guessed at: ``RemittanceExceeds``, for a person. A transfer
the bank returns (R12) is the agency's to transfer again, not the patient's to pay: its
return gives back the agency's part it reversed (``agency_money_returned``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from billing_core.collection.blocking import release_settled_claim
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import (
    REMITTED,
    REMITTED_NOTE,
    REVERSES,
    Component,
    EntryKind,
    LedgerEntry,
    is_agency,
)
from billing_core.invoices.updates import (
    ATTEMPTS,
    by_request,
    pause,
    recorded_now,
    reread,
    save_change,
)
from billing_core.payments.booking import (
    BookingResult,
    IncomingPayment,
    RemittanceExceeds,
    maybe_remittance,
    reversible,
    undone_parts,
)
from billing_core.ports import BillingStore, ConcurrentChange
from billing_core.shared.clock import Clock

# The agency's parts of one split match are written in one transaction (DynamoDB: at most
# 100 items): each claim and the marker of the week its entries are recorded in.
CLAIMS_REMITTED_TOGETHER = 50


class TooManyClaimsTogether(Exception):
    """A split match whose agency's parts are more claims than one transaction writes
    (``CLAIMS_REMITTED_TOGETHER``); nothing was written."""

    def __init__(self, claims: int) -> None:
        super().__init__(f"{claims} claims")
        self.claims = claims


def remittance_cause(payment_id: str) -> str:
    """The cause of the REVERSAL entries a remittance booked as ``payment_id`` writes."""
    return f"{REMITTED}{payment_id}"


def awaited_cents(invoice: Invoice) -> int:
    """What the agency reported collected on the claim and did not transfer to us yet."""
    return sum(sum(left.values()) for _, left in _not_remitted(invoice))


def _not_remitted(invoice: Invoice) -> list[tuple[str, dict[Component, int]]]:
    """(the agency's payment id, per component what is left of it), in booking order."""
    ids = dict.fromkeys(
        e.cause
        for e in invoice.ledger
        if e.kind is EntryKind.PAYMENT and is_agency(e.cause) and e.amount_cents < 0
    )
    return [(agency_id, reversible(invoice, agency_id)) for agency_id in ids]


def apply_remittance(invoice: Invoice, payment: IncomingPayment) -> Invoice:
    """The invoice with ``payment`` booked as the agency's transfer of what it collected;
    the same invoice when it is booked already. Raises RemittanceExceeds when it is more
    than the agency collected and did not transfer yet."""
    key = payment.payment_id
    if key in invoice.applied_payments:
        return invoice
    awaited = awaited_cents(invoice)
    if payment.amount_cents > awaited:
        raise RemittanceExceeds(invoice.reference, awaited)
    entries: list[LedgerEntry] = []
    rest = payment.amount_cents
    for agency_id, left in _not_remitted(invoice):
        for component, cents in undone_parts(left, rest):
            at = payment.received_at
            reverses = f"{REVERSES}{agency_id}"
            cause = remittance_cause(key)
            entries.append(LedgerEntry(EntryKind.REVERSAL, component, cents, at, cause, reverses))
            entries.append(
                LedgerEntry(EntryKind.PAYMENT, component, -cents, at, key, REMITTED_NOTE)
            )
            rest -= cents
    return invoice.with_entries(entries).with_applied_payment(key)


def agency_money_returned(
    invoice: Invoice, payment_id: str, returned: Sequence[LedgerEntry]
) -> list[LedgerEntry]:
    """The entries that give the agency back what the bank returned of its transfer
    ``payment_id`` (``returned``: the REVERSAL entries of that return, per component): the
    money is the agency's to transfer again, not the patient's to pay (R12, R24; audit
    review40 REV40-1). Per component, a REVERSAL of minus what the remittance reversed of
    the agency's payment, its cause and note: the agency's payment is awaited again
    (``awaited_cents``), what the patient owes does not change, and the week's
    ``remitted_by_agency`` falls with its ``received``. None when ``payment_id`` was no
    remittance."""
    cause = remittance_cause(payment_id)
    still: dict[tuple[Component, str], int] = {}  # (component, the agency's payment): cents
    for entry in invoice.ledger:
        if entry.kind is EntryKind.REVERSAL and entry.cause == cause:
            part = (entry.component, entry.note)
            still[part] = still.get(part, 0) + entry.amount_cents
    given_back: list[LedgerEntry] = []
    for back in returned:
        rest = back.amount_cents
        for (component, note), cents in still.items():
            taken = min(rest, cents) if component is back.component else 0
            if taken > 0:
                given_back.append(
                    LedgerEntry(EntryKind.REVERSAL, component, -taken, back.at, cause, note)
                )
                still[component, note] -= taken
                rest -= taken
    return given_back


def is_remittance(invoice: Invoice, payment_id: str) -> bool:
    """Whether ``payment_id`` was booked on the invoice as the agency's transfer."""
    cause = remittance_cause(payment_id)
    return any(e.cause == cause for e in invoice.ledger)


def book_remittance(
    store: BillingStore,
    invoice: Invoice,
    payment: IncomingPayment,
    clock: Clock,
    *,
    new: bool = True,
) -> BookingResult | None:
    """``payment`` (a bank credit) booked as the agency's transfer, once (R28); None when
    it is not one: nothing of the agency's is waiting (all transferred: the patient paid
    us as well, an ordinary payment), or it was booked as an ordinary payment before,
    or it is not booked yet and ``new`` is False (the caller decided it is ordinary).
    No "payment received" e-mail: the patient paid the agency, not us now."""
    if payment.payment_id in invoice.applied_payments:
        return BookingResult(False, invoice) if is_remittance(invoice, payment.payment_id) else None
    if not new or awaited_cents(invoice) == 0:
        return None
    now = clock.now()
    dated = replace(payment, received_at=min(payment.received_at, now))

    def remit(current: Invoice) -> Invoice:
        return apply_remittance(current, dated)

    # Its money's entries remember the request, as an ordinary payment's (a bank
    # statement upload's retry counts it as booked, not as a duplicate: R3, R12).
    change = by_request(remit, payment.payment_id, payment.request_fingerprint)
    stored, booked = save_change(store, invoice, recorded_now(change, now))
    release_settled_claim(store, stored, clock)  # settled already; a replay repairs a crash
    return BookingResult(booked, stored)


def book_remittances_together(
    store: BillingStore, payments: Sequence[tuple[Invoice, IncomingPayment]], clock: Clock
) -> None:
    """One bank credit split over several claims (an operator's match, R34): of its
    ``payments``, each with the claim it goes to, those that are the agency's transfer
    (``book_remittance`` would book them so) are written in one transaction, all or none,
    each claim read again and on condition of its version (R28). RemittanceExceeds when
    any of them is more than its claim still awaits from the agency: nothing is written,
    so no part of the credit is booked while another is refused (audit RETRIES4-3: the
    bank import booked on a later claim between the operator's check and the booking).
    A claim written meanwhile is read again and the whole checked again. More than
    ``CLAIMS_REMITTED_TOGETHER`` of them: TooManyClaimsTogether, nothing written (the
    transaction would be refused whole, a 500 on every retry).

    The others (ordinary payments, and the agency's transfers booked before) are left to
    ``book_payment``, which then finds these booked: a replay, nothing written twice. It
    books the ordinary ones ``as_the_agencys=False``: as this write decided them, so a
    claim the agency reports money on in between does not refuse a part after the
    others were booked (stop 43 money6)."""
    now = clock.now()
    current = [(reread(store, invoice), payment) for invoice, payment in payments]
    for attempt in range(ATTEMPTS):
        changed = [
            remitted
            for invoice, payment in current
            if (remitted := _remitted_now(invoice, payment, now)) is not invoice
        ]
        if not changed:
            return
        if len(changed) > CLAIMS_REMITTED_TOGETHER:
            raise TooManyClaimsTogether(len(changed))
        try:
            saved = store.save_invoices(changed)
        except ConcurrentChange:
            pause(attempt)
            current = [(reread(store, invoice), payment) for invoice, payment in current]
            continue
        for claim in saved:  # settled already; book_payment's replay repairs a crash here
            release_settled_claim(store, claim, clock)
        return
    raise ConcurrentChange(", ".join(invoice.invoice_id for invoice, _ in current))


def _remitted_now(invoice: Invoice, payment: IncomingPayment, now: datetime) -> Invoice:
    """``invoice`` with ``payment`` as the agency's transfer when ``book_payment`` would
    book it so now (``book_remittance``); the same invoice when it would not, or did."""
    if (
        not maybe_remittance(invoice, payment)
        or payment.payment_id in invoice.applied_payments
        or awaited_cents(invoice) == 0
    ):
        return invoice
    dated = replace(payment, received_at=min(payment.received_at, now))
    return recorded_now(lambda current: apply_remittance(current, dated), now)(invoice)
