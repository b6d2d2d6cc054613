"""The confirmation e-mails a use case can ask the delivery queue for, by kind.

Apart from what renders them (``confirmations``) so that a use case which only asks for
one, such as the ingest correcting an invoice, does not load the rendering's rooms at
its cold start (issue 11 item 5).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from billing_core.invoices.invoice import Invoice

DEFERRAL_CONFIRMATION = "deferral_confirmation"
ARRANGEMENT_CONFIRMATION = "arrangement_confirmation"
OBJECTION_ACKNOWLEDGEMENT = "objection_acknowledgement"
PAYMENT_RECEIVED = "payment_received"
STOP_CONFIRMATION = "stop_confirmation"  # R21: the provider lowered the amount
# A later upload credited a line of it, or the insurer's retour changed what it pays.
INVOICE_CORRECTED = "invoice_corrected"
# R17, legal-nl.md §7: the practice declined the coulance the insurer's statement proposed.
COULANCE_DECLINED = "coulance_declined"
KINDS = frozenset(
    {
        DEFERRAL_CONFIRMATION,
        ARRANGEMENT_CONFIRMATION,
        OBJECTION_ACKNOWLEDGEMENT,
        PAYMENT_RECEIVED,
        STOP_CONFIRMATION,
        INVOICE_CORRECTED,
        COULANCE_DECLINED,
    }
)
# What the patient must know to keep their side goes on paper to a patient without an
# e-mail address that works (none, or bounced permanently: R7): an arrangement's terms
# (R15); a new amount and the date to pay it by, after a stop or coulance (R21, R17), a
# corrected invoice (a credit, the insurer's retour) or the practice declining the
# coulance the patient's statement proposed (legal-nl.md §7: the patient was told not to
# pay yet, and to pay the adjusted amount by its date). Nowhere to post it either, it
# becomes the practice's open action. The others confirm what the patient did in the
# checker (a deferral, an objection) or paid, which the checker shows: without e-mail,
# none is sent.
ON_PAPER_WITHOUT_EMAIL = frozenset(
    {ARRANGEMENT_CONFIRMATION, STOP_CONFIRMATION, INVOICE_CORRECTED, COULANCE_DECLINED}
)


def reaches_patient(invoice: Invoice, kind: str) -> bool:
    """Whether a confirmation of ``kind`` about ``invoice`` is queued: always to an e-mail
    address that works, otherwise only one the patient must have (ON_PAPER_WITHOUT_EMAIL;
    the delivery decides how: on paper, or the practice's open action)."""
    return bool(invoice.live_email) or kind in ON_PAPER_WITHOUT_EMAIL
