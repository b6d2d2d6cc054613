"""Who read your practice's data, or one patient's, and when (R32, NEN 7513): what the
practice tells a patient who asks. Admins only."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query

from billing_core import bootstrap
from billing_core.entrypoints.http import cursor
from billing_core.entrypoints.http.caller import caller
from billing_core.entrypoints.http.provider_models import (
    PATIENT_REF_TEXT,
    PracticeAuditOut,
    PracticeReadOut,
)
from billing_core.entrypoints.http.routing import ResourceRouter, csv_download, json_or_csv
from billing_core.providers.users import Role
from billing_core.shared.audit import AUDIT_PAGE, MAX_AUDIT_PAGE

router = ResourceRouter("Audit", role=Role.ADMIN)

PATIENT = (
    "Only the reads of this patient's data: naming their number, or an invoice, an "
    f"action or an upload of theirs. {PATIENT_REF_TEXT}"
)
PERIOD = "Dutch days, inclusive; at most 366 days a request"
CSV = "json, or csv (; separated, one header row): every read of the period, one file"


@router.get(
    "/api/v1/provider/audit",
    summary="Who read your practice's data, or one patient's, and when (R32, NEN 7513)",
    responses=json_or_csv("The reads, oldest first", PracticeAuditOut),
)
def practice_reads(  # noqa: ANN201 - JSON or CSV: the responses above document both
    first_day: Annotated[date, Query(alias="from", description=PERIOD)],
    last_day: Annotated[date, Query(alias="to", description=PERIOD)],
    patient_ref: Annotated[str | None, Query(max_length=64, description=PATIENT)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_AUDIT_PAGE)] = AUDIT_PAGE,
    cursor_token: Annotated[str | None, Query(alias="cursor")] = None,
    output_format: Annotated[Literal["json", "csv"], Query(alias="format", description=CSV)] = (
        "json"
    ),
):
    from billing_core.services.provider import audit  # only this route: not at cold start

    user, ctx = caller(router.current_event), bootstrap.current().provider_context()
    patient = patient_ref or ""
    if output_format == "csv":
        found = audit.every_practice_read(user, first_day, last_day, ctx, patient_ref=patient)
        name = f"inzage-{user.provider_id}-{first_day}-{last_day}.csv"
        return csv_download(name, audit.reads_csv(found, audit.readers(found, user, ctx)))
    after = cursor.after(cursor_token)
    page = audit.practice_reads(
        user, first_day, last_day, ctx, patient_ref=patient, limit=limit, after=after
    )
    by = audit.readers(page.records, user, ctx)
    return PracticeAuditOut(
        patient_ref=patient_ref,
        items=[PracticeReadOut.of(r, by) for r in page.records],
        next_cursor=cursor.following(page.next_position),
    )
