"""Open actions: what waits for the provider (R23, seed 002 advice 6).

A bounced e-mail, a patient's objection (R16), a coulance proposal (R17), a claim handed
to the collection agency (R19), a dental plan without a price quote (R6), a minor's
invoice without a parent or guardian to address it to (R40), a payout the bank
returned (issue 19: no invoice, ``invoice_id`` is empty). The provider
sets each one to done; nothing here decides for the provider. One exception: a handover's
"call your patient" on a claim nothing is owed on any more is set done by the system,
saying so in its details (collection/blocking.close_handover_action); the provider may
open it again.

How long an action is kept (legal-nl.md §8, R29: an objection holds the patient's message
and e-mail address, a bounce the recipients): an action about an invoice as long as its
invoice, whatever its state; when the table's TTL removes the invoice, the expired-invoices
stream function expires its actions (correspondence/kept_letters.py). One about no invoice
(a returned payout, an ignored upload version) is kept a year after the provider set it
done, as "1 year for lists once resolved" (``kept_until_once_set``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # invoices.updates imports this module
    from billing_core.invoices.invoice import Invoice


class ActionKind(StrEnum):
    OBJECTION = "objection"
    BOUNCE = "bounce"
    COULANCE_PROPOSAL = "coulance_proposal"
    COLLECTION_HANDOVER = "collection_handover"
    MISSING_PRICE_QUOTE = "missing_price_quote"
    MINOR_WITHOUT_DEBTOR = "minor_without_debtor"  # a child's invoice addressed to the child
    PAYOUT_RETURNED = "payout_returned"  # the bank returned a weekly payout (issue 19)
    UPLOAD_VERSION_IGNORED = "upload_version_ignored"  # a second file under one upload (#13)


# The longest action id a route takes (functions/provider_api/routes/actions.py): ours are
# made of a word and ids, the longest an SES message id ("complaint-" and its 60 characters)
# or a confirmation's event (``unsent-invoice_corrected-declaration:<uuid>``, 73), well
# within it; a route that took fewer left the practice unable to open them (round 51).
ACTION_ID_MAX_LENGTH = 128
# The ids a route takes in its path (interfaces.md §2), the ids an action is made with:
# printable ASCII, no space, at most ACTION_ID_MAX_LENGTH, and none of '#', '%', '/', '?',
# which would break the action's address in the portal's link and form (a fragment, an
# escape, another path segment, a query); the class is '!' to '~' without those four.
# Any other is malformed: the API answers 400, the portal its not-found page, before any
# read (a key past DynamoDB's 1024 bytes is refused as invalid).
ACTION_ID_PATTERN = f'^[!"$&-.0->@-~]{{1,{ACTION_ID_MAX_LENGTH}}}$'


def is_action_id(text: str) -> bool:
    """Whether a route takes ``text`` as an action id (ACTION_ID_PATTERN)."""
    return re.fullmatch(ACTION_ID_PATTERN, text) is not None


def action_id_checked(action_id: str) -> str:
    """``action_id``, refused (ValueError) when the practice could not open the action by
    it: one no route takes (R23; audit bounce51c). Asked when an action is made, not when
    a stored one is read."""
    if not is_action_id(action_id):
        raise ValueError(f"no action id a route takes: {action_id[:ACTION_ID_MAX_LENGTH]!r}")
    return action_id


class ActionState(StrEnum):
    OPEN = "open"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class OpenAction:
    """Something waiting for the provider on an invoice: an objection, a bounce, a coulance
    proposal, a handover (R23)."""

    action_id: str
    provider_id: str
    kind: ActionKind
    invoice_id: str
    reference: str
    created_at: datetime
    state: ActionState = ActionState.OPEN
    # What the provider needs to act, per kind (objection: reason, message, e-mail).
    # Only the owning provider ever reads it (R26, R29).
    details: Mapping[str, Any] = field(default_factory=dict)
    # The patient number of its invoice, which each read of it names in the access log
    # (R32, NEN 7513): kept with it so that read needs no read of the invoice. "" on an
    # action about no invoice and on those stored before it was kept.
    patient_ref: str = ""

    @classmethod
    def about(
        cls,
        invoice: Invoice,
        kind: ActionKind,
        action_id: str,
        at: datetime,
        details: Mapping[str, Any],
    ) -> OpenAction:
        """An action on one invoice: it shows the invoice's provider, id and kenmerk."""
        return cls(
            action_id=action_id_checked(action_id),
            provider_id=invoice.provider_id,
            kind=kind,
            invoice_id=invoice.invoice_id,
            reference=invoice.reference,
            created_at=at,
            details=details,
            patient_ref=invoice.patient_ref,
        )

    def done(self) -> OpenAction:
        return replace(self, state=ActionState.DONE)


def kept_until_once_set(action: OpenAction, state: ActionState, on: date) -> date | None:
    """The last day an action about no invoice is kept once the provider set it to
    ``state`` on ``on``: a year after it was done, kept (None) again once reopened ("1 year
    for lists once resolved"). Not asked of one about an invoice: it expires with it."""
    if action.invoice_id or state is not ActionState.DONE:
        return None
    return _a_year_after(on)


def _a_year_after(day: date) -> date:
    """The same day a year later (29 February: the 28th), legal-nl.md §8."""
    return day.replace(year=day.year + 1, day=min(day.day, 28 if day.month == 2 else day.day))


def handover_action_id(day: date, invoice_id: str) -> str:
    """One per claim handed over (R19, R23), its day first: the handovers of a week are
    one key range of the provider's actions (the portal's overview, issue 16)."""
    return f"handover-{day.isoformat()}-{invoice_id}"
