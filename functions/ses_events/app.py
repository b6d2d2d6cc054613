"""EventBridge: SES bounce and complaint events of the configuration set -> an open
action for the provider of the invoice the mail was about (R23)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.parser import event_parser
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field

from billing_core import bootstrap
from billing_core.correspondence.bounces import EmailEvent, record_email_event
from billing_core.correspondence.messages import KENMERK_TAG
from billing_core.entrypoints.powertools import function_logger, observed_handler

logger = function_logger()
metrics = Metrics()


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
    tags: dict[str, list[str]] = {}


class SesEventDetail(BaseModel):
    eventType: Literal["Bounce", "Complaint"]  # noqa: N815
    mail: _Mail
    bounce: _Bounce | None = None
    complaint: _Complaint | None = None


class SesEvent(EventBridgeModel):
    detail: SesEventDetail = Field(...)


@event_parser(model=SesEvent)
def handle(event: SesEvent, context: LambdaContext) -> dict[str, Any]:
    email_event = _email_event(event.detail)
    if email_event is None:  # not a mail about an invoice: nothing for a provider to do
        logger.info("email event without kenmerk", extra={"event": event.detail.eventType})
        return {"action_created": False}
    created = record_email_event(email_event, bootstrap.current().email_event_context())
    metrics.add_metric(name=f"Email_{email_event.event}", unit=MetricUnit.Count, value=1)
    # The message id and kind only: no address in the logs (R29).
    logger.info(
        "email event",
        extra={
            "event": email_event.event,
            "kind": email_event.message_kind,
            "message_id": email_event.message_id,
            "action_created": created,
        },
    )
    return {"action_created": created}


lambda_handler = observed_handler(lambda: handle, logger=logger, metrics=metrics)


def _email_event(detail: SesEventDetail) -> EmailEvent | None:
    kenmerk = next(iter(detail.mail.tags.get(KENMERK_TAG, [])), "")
    if not kenmerk:
        return None
    kind = next(iter(detail.mail.tags.get("kind", [])), "")
    if detail.eventType == "Bounce" and detail.bounce is not None:
        return EmailEvent(
            detail.mail.messageId,
            "bounce",
            detail.bounce.timestamp,
            kenmerk,
            kind,
            bounce_type=detail.bounce.bounceType,
            recipients=tuple(r.emailAddress for r in detail.bounce.bouncedRecipients),
        )
    if detail.eventType == "Complaint" and detail.complaint is not None:
        return EmailEvent(
            detail.mail.messageId,
            "complaint",
            detail.complaint.timestamp,
            kenmerk,
            kind,
            recipients=tuple(r.emailAddress for r in detail.complaint.complainedRecipients),
        )
    return None
