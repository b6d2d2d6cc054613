"""How the practice's invoices ended up, per month of issue (R25)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from billing_core import bootstrap
from billing_core.collection.debtor_risk import MONTH_PATTERN
from billing_core.entrypoints.http.caller import caller
from billing_core.entrypoints.http.error_document import reading_the_settings
from billing_core.entrypoints.http.provider_models import DebtorRiskOut
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.providers.users import Role
from billing_core.services.provider import statements

router = ResourceRouter("Debtor risk", role=Role.VIEWER)


@router.get(
    "/api/v1/provider/debtor-risk",
    summary="How your invoices ended up, per month of issue (R25)",
    responses=reading_the_settings(DebtorRiskOut),
)
def get_debtor_risk(
    from_month: Annotated[
        str | None,
        Query(alias="from", pattern=MONTH_PATTERN, description="YYYY-MM; default: to - 11 months"),
    ] = None,
    to_month: Annotated[
        str | None,
        Query(alias="to", pattern=MONTH_PATTERN, description="YYYY-MM; default: this month"),
    ] = None,
) -> DebtorRiskOut:
    risk = statements.debtor_risk_report(
        caller(router.current_event),
        from_month,
        to_month,
        bootstrap.current().provider_context(),
    )
    return DebtorRiskOut.of(risk)
