"""The practice's weekly retrocession statements (R24)."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from billing_core import bootstrap
from billing_core.entrypoints.http.caller import caller
from billing_core.entrypoints.http.errors import NO_STATEMENT, found
from billing_core.entrypoints.http.provider_models import (
    RetrocessionListOut,
    RetrocessionStatementOut,
    RetrocessionWeekOut,
)
from billing_core.entrypoints.http.routing import ResourceRouter, csv_download, json_or_csv
from billing_core.providers.users import Role
from billing_core.providers.week import WEEK_PATTERN
from billing_core.services.provider import statements

router = ResourceRouter("Retrocessions", role=Role.VIEWER)


@router.get("/api/v1/provider/retrocessions", summary="Your weekly statements, newest first (R24)")
def list_retrocessions(
    limit: Annotated[int, Query(ge=1, le=104)] = 52,
    before: Annotated[str | None, Query(pattern=WEEK_PATTERN, description="e.g. 2026-W40")] = None,
) -> RetrocessionListOut:
    page = statements.retrocession_page(
        caller(router.current_event),
        limit,
        before,
        bootstrap.current().provider_context(),
    )
    return RetrocessionListOut(
        items=[RetrocessionWeekOut.of(s) for s in page.statements], next_before=page.next_before
    )


@router.get(
    "/api/v1/provider/retrocessions/<week>",
    summary="One week's statement, as JSON or as a CSV download (R24)",
    responses=json_or_csv(
        "The statement: every ledger entry of the week, totals, fee, payout",
        RetrocessionStatementOut,
    ),
)
def get_retrocession(  # noqa: ANN201 - JSON or CSV: the responses above document both
    week: Annotated[str, Path(pattern=WEEK_PATTERN, description="ISO week, e.g. 2026-W48")],
    output_format: Annotated[Literal["json", "csv"], Query(alias="format")] = "json",
):
    user = caller(router.current_event)
    tenant = user.provider_id
    statement = statements.retrocession_statement(
        user, week, output_format, bootstrap.current().provider_context()
    )
    statement = found(statement, NO_STATEMENT)
    if output_format == "csv":
        name = f"retrocessie-{tenant}-{statement.week_label}.csv"
        return csv_download(name, statement.body.decode("utf-8"))
    # As its file has it: a week without the agency's money has no "information" (not null)
    document = RetrocessionStatementOut.model_validate_json(statement.body)
    return document.model_dump(mode="json", exclude_unset=True)
