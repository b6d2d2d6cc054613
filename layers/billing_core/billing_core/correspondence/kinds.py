"""The confirmation e-mails a use case can ask the delivery queue for, by kind, and
``tell_invoice_corrected``, the one way a correction of a sent invoice asks for its.

Apart from what renders them (``confirmations``) so that a use case which only asks for
one, such as the ingest correcting an invoice, does not load the rendering's rooms at
its cold start (issue 11 item 5).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from billing_core.invoices.invoice import Invoice
    from billing_core.ports import DeliveryQueue

# The invoice itself: the kind of the delivery's record of it (correspondence/delivery.py),
# which its copy (invoice_copy.py) and the portal's letters (services/provider/letters.py)
# look for. Here, so that naming it loads no PDF library.
INVOICE_LETTER = "invoice"
DEFERRAL_CONFIRMATION = "deferral_confirmation"
ARRANGEMENT_CONFIRMATION = "arrangement_confirmation"
OBJECTION_ACKNOWLEDGEMENT = "objection_acknowledgement"
PAYMENT_RECEIVED = "payment_received"
STOP_CONFIRMATION = "stop_confirmation"  # R21: the provider lowered the amount
# A later upload credited a line of it, or the insurer's retour changed what it pays.
INVOICE_CORRECTED = "invoice_corrected"
# R17, legal-nl.md §7: the insurer's statement leaves the amount as it is: the practice
# declined the coulance the statement proposed, or the policy had nothing to forgive (the
# statement's own event, coulance.STATEMENT_CAUSE). No coulance either way.
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
# corrected invoice (a credit, the insurer's retour) or a statement that leaves the
# amount as it is (legal-nl.md §7: the patient was told not to pay yet, and to pay the
# adjusted amount by its date). Nowhere to post it either, it
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


def tell_invoice_corrected(
    invoice: Invoice, events: Iterable[str], delivery: DeliveryQueue
) -> None:
    """Queue one ``invoice_corrected`` (the new amount and the date to pay it by: R21,
    legal-nl.md §7) per change in ``events`` (its event id, "" for no change) that the
    patient of ``invoice`` is to hear of. The one place that decides it, for the three
    that correct a sent invoice: an operator undoing a stop or coulance entered by mistake
    (services/operator/money.py, R34), the insurer's retour (declarations/retour.py, R5)
    and a later upload's credit line (declarations/credit_corrections.py). Told when:

    - the invoice was sent (one not sent yet says the corrected amount itself);
    - it is not at the collection agency, which collects the claim and tells the patient
      (R22);
    - the message reaches the patient (``reaches_patient``: by e-mail, or on paper to one
      without an e-mail address that works; the delivery decides how, R7);
    - the event is not recorded on the invoice yet.

    Asked again by a retry whose first attempt died after its save, it is still sent
    once: the delivery sends each (kind, event) once (R3)."""
    # Here, not at import: this module stays light for what only names a kind (payments,
    # the patient API); every caller of this has loaded both already.
    from billing_core.invoices.invoice import InvoiceStatus
    from billing_core.ports import DeliveryRequest

    told = {c.event_id for c in invoice.correspondence if c.kind == INVOICE_CORRECTED}
    new = sorted({event for event in events if event} - told)
    tells = (
        invoice.status is InvoiceStatus.SENT
        and not invoice.is_with_collection_agency
        and reaches_patient(invoice, INVOICE_CORRECTED)
    )
    if new and tells:
        delivery.enqueue(
            [
                DeliveryRequest(
                    invoice.provider_id, invoice.invoice_id, INVOICE_CORRECTED, event_id=event
                )
                for event in new
            ]
        )
