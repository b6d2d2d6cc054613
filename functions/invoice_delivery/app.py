"""SQS delivery queue -> e-mail or print one invoice per message (R7, R30)."""

from __future__ import annotations

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from aws_lambda_powertools import Metrics
    from aws_lambda_powertools.metrics import MetricUnit

    from billing_core import bootstrap
    from billing_core.correspondence.delivery import deliver_invoice, letter_still_waits
    from billing_core.entrypoints.powertools import function_logger
    from billing_core.entrypoints.queue import NothingSentYet, delivery_queue_handler
    from billing_core.ports import DeliveryRequest

logger = function_logger()
metrics = Metrics()


def deliver(request: DeliveryRequest) -> dict[str, str]:
    context = bootstrap.current().delivery_context()
    letter = deliver_invoice(request, context)
    if letter is None and letter_still_waits(request, context):
        raise NothingSentYet  # no record: the run queues it again (R16, R19)
    if letter is None:  # its invoices paid meanwhile, or no address that works (R7)
        extra = {"invoice_id": request.invoice_id, "kind": request.kind}  # no address: R29
        logger.info("nothing sent", extra=extra)
        return {"channel": "", "message_id": ""}
    metrics.add_metric(name=f"Sent_{letter.channel.value}", unit=MetricUnit.Count, value=1)
    logger.info(
        "invoice delivered",
        extra={"invoice_id": request.invoice_id, "channel": letter.channel.value},
    )
    return {"channel": letter.channel.value, "message_id": letter.message_id}


lambda_handler = delivery_queue_handler(deliver, logger=logger, metrics=metrics)
