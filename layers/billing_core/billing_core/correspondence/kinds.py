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
# (R15), and what is due by when after the practice declined the coulance the patient's
# statement proposed (§7: the patient was told not to pay yet). Nowhere to post it
# either, it becomes the practice's open action. The others confirm what the patient did
# or can read in the checker: without e-mail, none is sent.
ON_PAPER_WITHOUT_EMAIL = frozenset({ARRANGEMENT_CONFIRMATION, COULANCE_DECLINED})
