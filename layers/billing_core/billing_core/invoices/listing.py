"""Which of a practice's invoices its list holds (R35): the one judgement of an
``InvoiceFilter`` in Python. The store's Query filters the same fields in DynamoDB; the
kenmerk lookup judges with this (a kenmerk finds its invoice only if the list's filter
holds it too), and so does the in-memory store of the tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from billing_core.declarations.claims import canonical_reference
from billing_core.invoices.name_search import matches
from billing_core.invoices.payment_status import ledger_payment_status

if TYPE_CHECKING:
    from billing_core.invoices.invoice import Invoice
    from billing_core.invoices.payment_status import PaymentStatus


# Here, not in the ports: only the lists of the APIs and the portal filter invoices, so no
# event function builds the class at its cold start (make bench (d)).
@dataclass(frozen=True, slots=True)
class InvoiceFilter:
    """Which of a provider's invoices a list holds; empty: any."""

    payment_status: PaymentStatus | None = None
    patient_ref: str = ""
    patient_name: str = ""  # as typed: every word begins a word of a name (name_search)
    issued_from: str = ""  # ISO date, inclusive
    issued_until: str = ""  # ISO date, inclusive
    declaration_id: str = ""  # the upload that issued them (its report's list, R2, R35)


EVERY_INVOICE = InvoiceFilter()


def admits(wanted: InvoiceFilter, invoice: Invoice) -> bool:
    """Whether the list with this filter holds the invoice (its stored payment status is
    the ledger's)."""
    status = wanted.payment_status
    issued = invoice.issue_date.isoformat()
    return (
        (not wanted.patient_ref or _one_patient(invoice.patient_ref, wanted.patient_ref))
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
    by, and the list finds what those name. An all-digit number is one patient with or
    without leading zeros (patient_ref_forms)."""
    return typed.strip()


# The longest patient number the list's filter takes (the APIs' max_length).
LONGEST_PATIENT_REF = 64


def patient_ref_forms(patient_ref: str) -> tuple[str, ...]:
    """The stored patient numbers the list finds for ``patient_ref``: an all-digit number
    with any leading zeros up to LONGEST_PATIENT_REF characters ("1001", "01001", …), as
    a patient's invoices are stored under "0001001" before round 40 and under "1001"
    since (R40, canonical_reference); any other number as it is. The store's Query
    compares with these (DynamoDB cannot strip zeros): at most 64, under its 100 for IN.
    A number longer than that (the portal's field has no limit) is itself: never none,
    which would be a Query with an empty IN, refused by DynamoDB (audit security4)."""
    if not (patient_ref.isascii() and patient_ref.isdigit()):
        return (patient_ref,)
    canonical = canonical_reference(patient_ref)
    zeros = range(max(LONGEST_PATIENT_REF - len(canonical), 0) + 1)
    return tuple("0" * count + canonical for count in zeros)


def _one_patient(stored: str, wanted: str) -> bool:
    """patient_ref_forms' judgement: one number as written, all digits without the zeros."""
    return canonical_reference(stored) == canonical_reference(wanted)
