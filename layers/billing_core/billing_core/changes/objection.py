"""Objection, bezwaar (R16): a patient disagrees with an invoice.

It becomes an open action for the provider (R23) and the patient gets an
acknowledgement. It does not suspend the payment obligation (seed 000): nothing on the
invoice changes. Only the provider can put an invoice on hold.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from billing_core.invoices.invoice import Invoice
from billing_core.providers.actions import ActionKind, OpenAction, new_action_id
from billing_core.shared.email_address import is_plausible_email

MAX_MESSAGE_CHARS = 2000


class ObjectionReason(StrEnum):
    TREATMENT = "treatment"  # the treatment itself
    AMOUNT = "amount"  # the amount invoiced
    INSURER = "insurer"  # the reimbursement by the insurer
    OTHER = "other"


_REASONS = frozenset(reason.value for reason in ObjectionReason)


def objection_refusal(reason: str, message: str, email: str) -> str | None:
    """Why an objection cannot be filed, naming the part to put right (WCAG 3.3.3): the
    reason is not one of the list, the message is empty or over 2000 characters, or the
    e-mail address does not look like one. The codes share the prefix
    "invalid_objection" that an API client may already test for."""
    if reason not in _REASONS:
        return "invalid_objection_reason"
    if not message.strip() or len(message) > MAX_MESSAGE_CHARS:
        return "invalid_objection_message"
    if not is_plausible_email(email):
        return "invalid_objection_email"
    return None


def objection_action(
    invoice: Invoice, reason: str, message: str, email: str, now: datetime
) -> OpenAction:
    """The provider's open action for an objection: what the patient said, and where to
    answer. Only the provider that owns the invoice sees it (R26)."""
    return OpenAction.about(
        invoice,
        ActionKind.OBJECTION,
        new_action_id(),
        now,
        {
            "reason": ObjectionReason(reason).value,
            "message": message.strip(),
            "email": email,
        },
    )
