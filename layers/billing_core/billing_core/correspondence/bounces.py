"""A bounced or complained-about e-mail becomes an open action for the provider (R23,
seed 002 advice 6): the patient did not get the invoice or letter, and only the practice
can find the right address. Paper is not chosen automatically; the practice decides.

SES reports the event with the tags the mail was sent with (notify/ses.py): the kenmerk
leads to the invoice, and so to the one provider who may see it (R26).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from billing_core.invoices.invoice import Invoice
from billing_core.ports import BillingStore
from billing_core.providers.actions import ActionKind, OpenAction


@dataclass(frozen=True, slots=True)
class EmailEvent:
    message_id: str  # SES's id of the mail: one action per mail and event
    event: str  # "bounce" or "complaint"
    at: datetime
    kenmerk: str
    message_kind: str  # invoice, dunning_reminder, ...
    bounce_type: str = ""  # Permanent, Transient, Undetermined (bounces only)
    recipients: tuple[str, ...] = ()


def email_event_action(invoice: Invoice, event: EmailEvent) -> OpenAction:
    return OpenAction.about(
        invoice,
        ActionKind.BOUNCE,
        f"{event.event}-{event.message_id}",
        event.at,
        {
            "event": event.event,
            "message_kind": event.message_kind,
            "bounce_type": event.bounce_type,
            # The address to check: only the owning provider reads actions (R26, R29).
            "recipients": list(event.recipients),
            "todo": "check_the_address",
        },
    )


@dataclass(frozen=True, slots=True)
class EmailEventContext:
    store: BillingStore


def record_email_event(event: EmailEvent, ctx: EmailEventContext) -> bool:
    """True when the action is new; False for an unknown kenmerk or a replayed event."""
    invoice = ctx.store.find_invoice_by_reference(event.kenmerk)
    if invoice is None:
        return False
    return ctx.store.add_action(email_event_action(invoice, event))
