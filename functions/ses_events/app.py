"""EventBridge: SES bounce and complaint events of the configuration set -> an open
action for the provider of the invoice the mail was about (R23)."""

from __future__ import annotations

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from aws_lambda_powertools import Metrics

    from billing_core import bootstrap
    from billing_core.correspondence.bounces import EmailEvent, record_email_event
    from billing_core.entrypoints.powertools import function_logger
    from billing_core.entrypoints.ses_events import ses_event_handler

logger = function_logger()
metrics = Metrics()


def record(event: EmailEvent) -> bool | None:
    return record_email_event(event, bootstrap.current().email_event_context())


lambda_handler = ses_event_handler(record, logger=logger, metrics=metrics)
