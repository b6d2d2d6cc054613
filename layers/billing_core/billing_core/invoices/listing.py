"""Which of a practice's invoices its list holds (R35): the one judgement of an
``InvoiceFilter`` in Python. The store's Query filters the same fields in DynamoDB; the
kenmerk lookup judges with this (a kenmerk finds its invoice only if the list's filter
holds it too), and so does the in-memory store of the tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from billing_core.declarations.claims import reference_forms
from billing_core.invoices.name_search import matches
from billing_core.invoices.payment_status import ledger_payment_status

if TYPE_CHECKING:
    from billing_core.invoices.invoice import Invoice
    from billing_core.ports import InvoiceFilter


def admits(wanted: InvoiceFilter, invoice: Invoice) -> bool:
    """Whether the list with this filter holds the invoice (its stored payment status is
    the ledger's)."""
    status = wanted.payment_status
    issued = invoice.issue_date.isoformat()
    return (
        (not wanted.patient_ref or invoice.patient_ref in reference_forms(wanted.patient_ref))
        and (status is None or ledger_payment_status(invoice) is status)
        and (wanted.issued_from or "0000") <= issued <= (wanted.issued_until or "9999")
        and (not wanted.patient_name.strip() or matches(invoice, wanted.patient_name))
        and (not wanted.declaration_id or invoice.declaration_id == wanted.declaration_id)
    )


def patient_number(typed: str) -> str:
    """A patient number as the list compares it: as the practice's file wrote it, which
    the declaration readers store without the spaces around it, so the spaces around a
    number typed or pasted go too (closing 14). Its letters' case stays: the number is
    the key the practice's files group a patient's lines (R4) and block a patient (R22)
    by, and the list finds what those name. An all-digit number is also looked for without
    its leading zeros (``admits``, the store's filter: ``claims.reference_forms``), as the
    readers store it since round 40 (R40)."""
    return typed.strip()
