"""The shape of the SES events function: an EventBridge event of the configuration set
(a bounce or a complaint), parsed with Powertools' parser into an ``EmailEvent`` for the
correspondence room (R23). Only mails tagged with a kenmerk concern a provider.

Logs and metrics carry the message id and kind, never an address (R29).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.parser import event_parser
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from pydantic import BaseModel, Field

from billing_core.correspondence.bounces import EmailEvent
from billing_core.correspondence.messages import KENMERK_TAG
from billing_core.entrypoints.powertools import LambdaHandler, observed_handler

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Metrics
    from aws_lambda_powertools.utilities.typing import LambdaContext

# True when the practice's action was made (or now tells a Permanent bounce of a mail it
# told a Transient one of), False for a replay, None for a kenmerk of no invoice
RecordEmailEvent = Callable[[EmailEvent], bool | None]


class _Recipient(BaseModel):
    emailAddress: str  # noqa: N815 -- SES's field name


class _Bounce(BaseModel):
    bounceType: str = ""  # noqa: N815
    bouncedRecipients: list[_Recipient] = []  # noqa: N815
    timestamp: datetime


class _Complaint(BaseModel):
    complainedRecipients: list[_Recipient] = []  # noqa: N815
    timestamp: datetime


class _Mail(BaseModel):
    messageId: str  # noqa: N815
    destination: list[str] = []  # where the mail went: one address (adapters/ses.py)
    tags: dict[str, list[str]] = {}


class SesEventDetail(BaseModel):
    eventType: Literal["Bounce", "Complaint"]  # noqa: N815
    mail: _Mail
    bounce: _Bounce | None = None
    complaint: _Complaint | None = None


class SesEvent(EventBridgeModel):
    detail: SesEventDetail = Field(...)


def email_event(detail: SesEventDetail) -> EmailEvent | None:
    """The event for the provider, or None for a mail about no invoice. A Bounce without
    its ``bounce`` (a Complaint without its ``complaint``) is malformed: refused
    (ValueError) as an event of another shape is by the parser, so the function fails and
    the failure queue keeps it for a redrive; dropped as a mail about no invoice, a bounce
    of an invoice's mail was lost unseen (R23, R39; round 54 sesleft54)."""
    if detail.eventType == "Bounce" and detail.bounce is not None:
        name, at, bounce_type = "bounce", detail.bounce.timestamp, detail.bounce.bounceType
        recipients = detail.bounce.bouncedRecipients
    elif detail.eventType == "Complaint" and detail.complaint is not None:
        name, at, bounce_type = "complaint", detail.complaint.timestamp, ""
        recipients = detail.complaint.complainedRecipients
    else:
        raise ValueError(
            f"malformed SES {detail.eventType} event: no {detail.eventType.lower()} object"
            f" (message {detail.mail.messageId})"
        )
    kenmerk = _first_tag(detail, KENMERK_TAG)
    if not kenmerk:
        return None
    return EmailEvent(
        detail.mail.messageId,
        name,
        at,
        kenmerk,
        _first_tag(detail, "kind"),
        bounce_type=bounce_type,
        recipients=_recipients(detail, [r.emailAddress for r in recipients]),
    )


def _recipients(detail: SesEventDetail, named: list[str]) -> tuple[str, ...]:
    """The addresses the event names; when it names none, the one the mail went to (we
    send each mail to one address). Without it, a Permanent bounce handled before the
    delivery noted the mail could tie itself to no letter: a reminder that never arrived
    kept its costs (R7, legal-nl.md §2; audit edges51). None when the mail had several."""
    if named:
        return tuple(named)
    return tuple(detail.mail.destination) if len(detail.mail.destination) == 1 else ()


def _first_tag(detail: SesEventDetail, name: str) -> str:
    return next(iter(detail.mail.tags.get(name, [])), "")


def ses_event_handler(
    record: RecordEmailEvent, *, logger: Logger, metrics: Metrics
) -> LambdaHandler:
    """The Lambda handler that parses the event and calls ``record(email_event)``."""

    @event_parser(model=SesEvent)
    def handle(event: SesEvent, context: LambdaContext) -> dict[str, Any]:
        found = email_event(event.detail)
        if found is None:  # not a mail about an invoice: nothing for a provider to do
            logger.info("email event without kenmerk", extra={"event": event.detail.eventType})
            return {"action_created": False}
        recorded = record(found)
        created = recorded is True
        _count(found, recorded, metrics)
        logger.info(
            "email event",
            extra={
                "event": found.event,
                "kind": found.message_kind,
                "message_id": found.message_id,
                "action_created": created,
                "invoice_found": recorded is not None,
            },
        )
        return {"action_created": created}

    return observed_handler(lambda: handle, logger=logger, metrics=metrics)


def _count(found: EmailEvent, recorded: bool | None, metrics: Metrics) -> None:
    """Each bounce (complaint) once, when it made the practice's action or made it tell
    more (a Permanent bounce after a Transient one of the mail): not its replays (False).
    One of our mails whose kenmerk leads to no invoice (None) made none and no practice
    hears of it: the operator's dashboard counts it apart, each delivery, as
    nothing is stored to know its replay by (EventBridge delivers again only after a
    failure, and this one succeeds) (R23, R39; round 55 sesleft55: only the log said it)."""
    if recorded is None:
        metrics.add_metric(name="Email_unknown_kenmerk", unit=MetricUnit.Count, value=1)
    elif recorded:
        metrics.add_metric(name=f"Email_{found.event}", unit=MetricUnit.Count, value=1)
