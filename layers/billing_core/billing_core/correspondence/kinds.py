"""The confirmation e-mails a use case can ask the delivery queue for, by kind.

Apart from what renders them (``confirmations``) so that a use case which only asks for
one, such as the ingest correcting an invoice, does not load the rendering's rooms at
its cold start (issue 11 item 5).
"""

from __future__ import annotations

DEFERRAL_CONFIRMATION = "deferral_confirmation"
ARRANGEMENT_CONFIRMATION = "arrangement_confirmation"
OBJECTION_ACKNOWLEDGEMENT = "objection_acknowledgement"
PAYMENT_RECEIVED = "payment_received"
STOP_CONFIRMATION = "stop_confirmation"  # R21: the provider lowered the amount
# A later upload credited a line of it, or the insurer's retour changed what it pays.
INVOICE_CORRECTED = "invoice_corrected"
KINDS = frozenset(
    {
        DEFERRAL_CONFIRMATION,
        ARRANGEMENT_CONFIRMATION,
        OBJECTION_ACKNOWLEDGEMENT,
        PAYMENT_RECEIVED,
        STOP_CONFIRMATION,
        INVOICE_CORRECTED,
    }
)
