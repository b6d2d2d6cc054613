"""Objection, bezwaar (R16): a patient disagrees with an invoice.

It becomes an open action for the provider (R23) and the patient gets an
acknowledgement. It does not suspend the payment obligation (seed 000): nothing on the
invoice changes. Only the provider can put an invoice on hold.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum

from billing_core.invoices.invoice import Invoice
from billing_core.providers.actions import ActionKind, OpenAction
from billing_core.shared.clock import amsterdam_day
from billing_core.shared.email_address import is_plausible_email

MAX_MESSAGE_CHARS = 2000
# The texts' key of the refusal of a message that says nothing (blank, or only invisible
# characters): the code stays "invalid_objection_message", as API clients test for, but
# "at most 2000 characters" is no answer to a message left blank (R16, WCAG 3.3.3).
EMPTY_MESSAGE = "invalid_objection_message_empty"
OBJECTION_PREFIX = "objection-"  # an objection's action id: the prefix, its day, a digest


class ObjectionReason(StrEnum):
    TREATMENT = "treatment"  # the treatment itself
    AMOUNT = "amount"  # the amount invoiced
    INSURER = "insurer"  # the reimbursement by the insurer
    OTHER = "other"


_REASONS = frozenset(reason.value for reason in ObjectionReason)


def objection_refusals(reason: str, message: str, email: str) -> tuple[str, ...]:
    """Every reason an objection cannot be filed, in the order of the form, each naming
    the part to put right (WCAG 3.3.1, 3.3.3): the reason is not one of the list, the
    message is empty or over 2000 characters, the e-mail address does not look like one.
    All at once, so the patient does not put one right only to be refused for the next;
    none when it can be filed. The codes share the prefix "invalid_objection" that an API
    client may already test for."""
    wrong = {
        "invalid_objection_reason": reason not in _REASONS,
        "invalid_objection_message": _says_nothing(message) or _length(message) > MAX_MESSAGE_CHARS,
        "invalid_objection_email": not is_plausible_email(email),
    }
    return tuple(code for code, is_wrong in wrong.items() if is_wrong)


def said_as(message: str) -> dict[str, str]:
    """The refusals of an objection said otherwise than by their code: the message's
    as an empty one's when it says nothing (``refused``'s ``said_as``)."""
    return {"invalid_objection_message": EMPTY_MESSAGE} if _says_nothing(message) else {}


def _says_nothing(message: str) -> bool:
    """Blank, or only invisible characters: zero-width spaces, joiners, direction marks
    (Unicode format characters, Cf), which ``str.strip`` keeps (audit OBJ-2)."""
    from unicodedata import category  # when an objection comes: not at import (#18 (d))

    return all(char.isspace() or category(char) == "Cf" for char in message)


def _length(message: str) -> int:
    """The message's length as the checker's ``maxlength`` counts it: a line break is one
    character, though a browser posts it as two (CRLF; HTML's form submission), so a
    message of many lines that the form let through is not refused (audit REQUESTS1)."""
    return len(message.replace("\r\n", "\n"))


def objection_action(
    invoice: Invoice, reason: str, message: str, email: str, now: datetime
) -> OpenAction:
    """The provider's open action for an objection: what the patient said, and where to
    answer. Only the provider that owns the invoice sees it (R26). Its id is the
    objection's (``objection_id``): the same one sent again is the same action."""
    details = {"reason": ObjectionReason(reason).value, "message": message.strip(), "email": email}
    action_id = objection_id(invoice, details, amsterdam_day(now))
    return OpenAction.about(invoice, ActionKind.OBJECTION, action_id, now, details)


def objection_id(invoice: Invoice, details: Mapping[str, str], day: date) -> str:
    """One per invoice, reason, message, e-mail address and day: a double click, a retry
    after a lost answer or a form sent again files it once, and its acknowledgement
    (the event of the action's id) is sent once. The patient API takes no key (interfaces.md
    §2), so what was sent is the key; the day, so the same words later are a new one."""
    said = json.dumps([invoice.invoice_id, details, day.isoformat()], sort_keys=True)
    digest = hashlib.sha256(said.encode()).hexdigest()[:32]
    return f"{OBJECTION_PREFIX}{day.isoformat()}-{digest}"


def objection_day(action_id: str) -> date | None:
    """The day the objection of ``action_id`` (``objection_id``) was filed; None for an id
    not made so. What its acknowledgement says was received that day, also when the
    delivery sends it later (a retry, a queue redriven the next day: audit plans57)."""
    if not action_id.startswith(OBJECTION_PREFIX):
        return None
    try:
        return date.fromisoformat(action_id[len(OBJECTION_PREFIX) :][:10])
    except ValueError:
        return None
