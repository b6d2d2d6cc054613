"""The audit of reads per provider and period (R32, NEN 7513)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from billing_core import bootstrap
from billing_core.entrypoints.http import cursor
from billing_core.entrypoints.http.caller import operator
from billing_core.entrypoints.http.operator_models import AuditOut, ReadOut
from billing_core.entrypoints.http.provider_models import PATIENT_REF_TEXT
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.services.operator import audit
from billing_core.shared.audit import NO_PRACTICE_YET

router = ResourceRouter("Audit")


@router.get("/api/v1/operator/audit", summary="Who read which of a provider's data, and when")
def reads(
    provider_id: Annotated[
        str,
        Query(
            min_length=1,
            max_length=64,
            description=f"a practice, or {NO_PRACTICE_YET} for the reads of the unmatched "
            "bank credits (no practice's yet)",
        ),
    ],
    first_day: Annotated[date, Query(alias="from")],
    last_day: Annotated[date, Query(alias="to")],
    limit: Annotated[int, Query(ge=1, le=audit.MAX_AUDIT_PAGE)] = audit.AUDIT_PAGE,
    cursor_token: Annotated[str | None, Query(alias="cursor")] = None,
    patient_ref: Annotated[
        str | None,
        Query(
            max_length=64,
            description="Only the reads of this patient of the practice: naming their "
            "number, or an invoice, an action or an upload of theirs (a page may then hold "
            f"fewer than limit reads and still give a cursor). {PATIENT_REF_TEXT}",
        ),
    ] = None,
) -> AuditOut:
    ctx = bootstrap.current().back_office_context(operator(router.current_event))
    page = audit.reads_of_provider(
        provider_id,
        first_day,
        last_day,
        ctx,
        limit=limit,
        after=cursor.after(cursor_token),
        patient_ref=patient_ref or "",
    )
    return AuditOut(
        provider_id=provider_id,
        items=[ReadOut.of(r) for r in page.records],
        next_cursor=cursor.following(page.next_position),
    )
