"""What every change a patient asks for checks first: that the invoice is still open."""

from __future__ import annotations

from billing_core.invoices.invoice import Invoice


def closed_refusal(invoice: Invoice) -> str | None:
    """The refusal code (texts.patient) for an invoice nothing can be agreed on any more:
    the claim is with the collection agency (R18), or it is paid; None while it is open."""
    if invoice.is_with_collection_agency:
        return "with_collection_agency"
    if invoice.is_paid:
        return "paid"
    return None
