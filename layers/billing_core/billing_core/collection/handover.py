"""What the collection agency receives for a claim handed over (R19, issue #5 part 5).

One JSON document per claim under ``collection/{date}/{provider}/{reference}.json`` in the
output bucket: who owes (name, address, contact, birth date), the invoice, the amounts as
of the handover day (principal, collection costs, an instalment arrangement's fee still
owed, statutory interest with the segments that explain it) and the history (letters,
ledger). ``collection_costs`` is the BIK alone, never more than the reminder announced
(``costs_stated_cents``, legal-nl.md §2); the fee is ``arrangement_fee`` (R15). No BSN: a collection agency may not
use it (Wet algemene bepalingen burgerservicenummer), and it does not need it.
Deterministic for a given invoice and day, so writing it again after a crash gives the
same bytes.

After the handover, a change on our side that the agency must know of is a record under
``collection/updates/{date}/{provider}/{reference}-{record}.json`` (``agency_update_bytes``).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from billing_core.declarations.claims import Person
from billing_core.dunning.interest import (
    accrued_interest,
    first_day_of_default,
    interest_statement,
)
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import (
    Component,
    LedgerEntry,
    agency_transfer_positions,
    balance,
)
from billing_core.invoices.open_costs import open_costs
from billing_core.shared.clock import AMSTERDAM

if TYPE_CHECKING:
    # Annotations only: the bank statement writes the agency's updates without building
    # the provider's models (issue 11 item 5).
    from billing_core.providers.provider import Provider

FORMAT_VERSION = 1


def handover_key(invoice: Invoice, day: date) -> str:
    return f"collection/{day.isoformat()}/{invoice.provider_id}/{invoice.reference}.json"


def handover_document(invoice: Invoice, provider: Provider, day: date) -> dict[str, Any]:
    invoice = as_handed_over(invoice)
    interest = interest_statement(invoice, day)
    return {
        "format_version": FORMAT_VERSION,
        "handover_date": day.isoformat(),
        "creditor": {
            "provider_id": provider.provider_id,
            "name": provider.name,
            "agb_code": provider.agb_code,
        },
        "debtor": _person(invoice.addressee),
        "patient": {
            "patient_ref": invoice.patient_ref,
            "birth_date": invoice.birth_date.isoformat(),
        },
        "invoice": {
            "invoice_id": invoice.invoice_id,
            "reference": invoice.reference,
            "issue_date": invoice.issue_date.isoformat(),
            "final_payment_date": invoice.current_final_payment_date.isoformat(),
            "first_day_of_default": first_day_of_default(invoice).isoformat(),
            "original_amount_cents": invoice.original_amount_cents,
        },
        "amounts_cents": _amounts(invoice, day),
        "interest_segments": [
            {
                "from": s.first_day.isoformat(),
                "to": s.last_day.isoformat(),
                "days": s.days,
                "percent": str(s.percent),
                "base_cents": s.base_cents,
                "interest_cents": s.interest_cents,
            }
            for s in interest.segments
        ],
        "letters": [
            {"kind": letter.kind, "channel": letter.channel.value, "at": letter.at.isoformat()}
            for letter in invoice.correspondence
        ],
        "reminder": None
        if invoice.reminder is None
        else {
            "sent_on": invoice.reminder.sent_on.isoformat(),
            "received_on": invoice.reminder.received_on.isoformat(),
            "final_date": invoice.reminder.final_date.isoformat(),
            "costs_stated_cents": invoice.reminder.covered(invoice.invoice_id).costs_cents,
        },
        "ledger": [_entry(e) for e in invoice.ledger],
    }


def handover_bytes(invoice: Invoice, provider: Provider, day: date) -> bytes:
    return _json(handover_document(invoice, provider, day))


def as_handed_over(invoice: Invoice) -> Invoice:
    """The invoice with the ledger the run handed over (``handover_entries``): a run that
    finishes a pending handover after a crash writes the same file, and what was booked
    since is told in the daily files (R34). A claim handed over before that number was
    kept: as it is."""
    if invoice.handover_entries is None:
        return invoice
    return replace(invoice, ledger=invoice.ledger[: invoice.handover_entries])


# --- after the handover: what changed on our side ------------------------------------------


def told_entries(invoice: Invoice, day: date) -> list[LedgerEntry]:
    """The ledger entries written on ``day`` that the handover file does not hold: those
    after its entries (R19, R34: the agency counts each once, also a payment read on the
    handover day before the run). A claim handed over before their number was kept: every
    entry of the day, the handover's day being the line. Not the entries of the agency's
    own transfer to us (``agency_transfer_positions``)."""
    after = invoice.ledger[invoice.handover_entries or 0 :]
    # The agency's transfer to us tells how the money reached our account, not what the
    # claim owes: its report told that already (R34, R24).
    ours = agency_transfer_positions(after)
    return [
        entry
        for position, entry in enumerate(after)
        if entry.recorded.astimezone(AMSTERDAM).date() == day and position not in ours
    ]


def agency_update_key(invoice: Invoice, day: date, record: str) -> str:
    """One record per claim, day and kind (``record``: why it is written), next to the
    handover files: a payment that both sets the costs right and keeps the arrangement
    leaves both. The daily agency file (issue 12 item 11) carries the records of its day."""
    where = f"collection/updates/{day.isoformat()}/{invoice.provider_id}"
    return f"{where}/{invoice.reference}-{record}.json"


def agency_update_bytes(invoice: Invoice, day: date, reason: str) -> bytes:
    """A claim the agency holds changed on our side (a payment dated in the reminder's
    term, read after the handover, undid the costs)."""
    return _json(agency_update_document(invoice, day, reason))


def agency_update_document(invoice: Invoice, day: date, reason: str) -> dict[str, Any]:
    """The amounts as at the end of ``day`` (``as_at_end_of``) and the ledger entries
    written that day after the handover file's (``told_entries``), each with its cause and
    note."""
    written = told_entries(invoice, day)
    then = as_at_end_of(invoice, day)
    return {
        "format_version": FORMAT_VERSION,
        "day": day.isoformat(),
        "reason": reason,
        "provider_id": invoice.provider_id,
        "invoice_id": invoice.invoice_id,
        "reference": invoice.reference,
        "handover_date": str(invoice.handed_over_on),
        "amounts_cents": _amounts(then, day),
        "entries": [_entry(e) | {"note": e.note} for e in written],
    }


def as_at_end_of(invoice: Invoice, day: date) -> Invoice:
    """The invoice with the ledger entries recorded up to and including ``day`` (Dutch
    time): a day's file states what was owed at its end, so a replay of a later run that
    writes it again, after more was booked, writes the same bytes (R18, R34; audit agency
    AGENCY2)."""
    ledger = tuple(e for e in invoice.ledger if e.recorded.astimezone(AMSTERDAM).date() <= day)
    return replace(invoice, ledger=ledger)


def _amounts(invoice: Invoice, day: date) -> dict[str, int]:
    interest = balance(invoice.ledger, Component.INTEREST) + accrued_interest(invoice, day)
    principal = balance(invoice.ledger, Component.PRINCIPAL)
    costs = open_costs(invoice.ledger)
    return {
        "principal": principal,
        "collection_costs": costs.collection_costs_cents,
        "arrangement_fee": costs.fee_cents,
        "interest": interest,
        "total": principal + costs.collection_costs_cents + costs.fee_cents + interest,
    }


def _entry(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "at": entry.at.isoformat(),
        "kind": entry.kind.value,
        "component": entry.component.value,
        "amount_cents": entry.amount_cents,
        "cause": entry.cause,
    }


def _json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode()


def _person(person: Person) -> dict[str, Any]:
    address = person.address
    return {
        "name": person.display_name,
        "street": address.street,
        "house_number": f"{address.house_number}{address.house_number_suffix}",
        "postcode": address.postcode,
        "city": address.city,
        "country": address.country,
        "email": person.email,
        "mobile": person.mobile,
    }
