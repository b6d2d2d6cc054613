"""What every change a patient asks for checks first: that the invoice is still open."""

from __future__ import annotations

from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import forgiven_last, paid_by_patient


def closed_refusal(invoice: Invoice) -> str | None:
    """The refusal code (texts.patient) for an invoice nothing can be agreed on any more:
    the claim is with the collection agency (R18), or it is settled; None while it is open."""
    if invoice.is_with_collection_agency:
        return "with_collection_agency"
    if invoice.is_paid:
        return settled_refusal(invoice)
    return None


def settled_refusal(invoice: Invoice) -> str:
    """Why nothing is asked of a settled invoice: "paid" when the patient's payments settled
    it; "nothing_to_pay" when the practice's stop or coulance (R21) or the insurer's
    deduction (R5) did, where "already paid" would tell a patient who paid nothing (or not
    the rest) that they had (audit psp53)."""
    if forgiven_last(invoice.ledger) or paid_by_patient(invoice.ledger) <= 0:
        return "nothing_to_pay"
    return "paid"
