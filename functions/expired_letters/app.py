"""DynamoDB stream of the billing table, the invoices its TTL removed -> their letters'
PDFs deleted from the output bucket, their actions expired (legal-nl.md §8: letters are
kept 7 years after the end of the year the invoice was settled, then deleted)."""

from __future__ import annotations

from billing_core.shared.bulk import long_lived_imports

with long_lived_imports():
    from collections.abc import Mapping
    from typing import Any

    from aws_lambda_powertools import Metrics

    from billing_core import bootstrap
    from billing_core.correspondence.kept_letters import LettersDeleted, invoice_expired
    from billing_core.entrypoints.expired_invoices import expired_letters_handler
    from billing_core.entrypoints.powertools import function_logger
    from billing_core.invoices.invoice import Invoice

logger = function_logger()
metrics = Metrics()


def delete_letters_and_expire_actions(invoice: Invoice) -> LettersDeleted:
    return invoice_expired(invoice, bootstrap.current().expired_letters_context())


def read_failed_batch(failure_record: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    return bootstrap.current().table_stream().failed_batch(failure_record)


lambda_handler = expired_letters_handler(
    delete_letters_and_expire_actions,
    read_failed_batch=read_failed_batch,
    logger=logger,
    metrics=metrics,
)
