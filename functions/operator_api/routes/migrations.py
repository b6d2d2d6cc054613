"""Data migrations an operator runs once after a deploy (issues 13, 16): by name, for one
practice or every one; safe to stop and run again (services.operator.migrations)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler.openapi.params import Path

from billing_core import bootstrap
from billing_core.entrypoints.http.caller import operator
from billing_core.entrypoints.http.operator_models import MigrationIn, MigrationOut
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.entrypoints.powertools import log_report
from billing_core.services.operator import migrations
from billing_core.shared.reports import OperatorReport

router = ResourceRouter("Migrations")
logger = Logger(child=True)  # the function's logger: its masking, its context
metrics = Metrics()  # the function's metrics: Powertools shares one set
MIGRATION_NAME = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,80}$")]


@router.post(
    "/api/v1/operator/migrations/<migration>",
    summary="Run a data migration after a deploy (send an Idempotency-Key; a rerun is safe)",
)
def run_migration(migration: MIGRATION_NAME, body: MigrationIn) -> MigrationOut:
    ctx = bootstrap.current().migration_context(operator(router.current_event))
    report = migrations.run_migration(
        migration, ctx, provider_id=body.provider_id, resume=body.resume, progress=_log
    )
    _log(report)
    return MigrationOut.of(report)


def _log(report: OperatorReport) -> None:
    log_report(report, logger=logger, metrics=metrics)
