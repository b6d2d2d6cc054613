"""The insurer-claim exports (R5, interfaces.md §7): the lines each insurer pays, per
upload, as CSV files to download."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from billing_core import bootstrap
from billing_core.entrypoints.http.caller import caller
from billing_core.entrypoints.http.provider_models import (
    InsurerClaimExportListOut,
    InsurerClaimExportOut,
)
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.providers.users import Role
from billing_core.services.provider import insurer_claims
from billing_core.services.provider.insurer_claims import ExportPage

router = ResourceRouter("Insurer claims", role=Role.VIEWER)
UZOVI = Annotated[str, Path(pattern=r"^\d{4}$", description="the insurer's UZOVI code")]
LIMIT = Annotated[
    int,
    Query(ge=1, le=1000, description="at most 100 are answered a page (each file is read)"),
]
AFTER = Annotated[
    str | None, Query(max_length=80, description="the next_after of the previous page")
]


@router.get(
    "/api/v1/provider/insurer-claims",
    summary="Lines your contracted insurers pay, per insurer and upload, to download (R5)",
)
def list_exports(limit: LIMIT = 100, after: AFTER = None) -> InsurerClaimExportListOut:
    return _answer(_page("", limit, after))


@router.get(
    "/api/v1/provider/insurer-claims/<uzovi>",
    summary="One insurer's lines, per upload, to download (R5)",
)
def list_insurer_exports(
    uzovi: UZOVI, limit: LIMIT = 100, after: AFTER = None
) -> InsurerClaimExportListOut:
    return _answer(_page(uzovi, limit, after))


def _page(uzovi: str, limit: int, after: str | None) -> ExportPage:
    return insurer_claims.insurer_claim_exports(
        caller(router.current_event), uzovi, limit, after, bootstrap.current().provider_context()
    )


def _answer(page: ExportPage) -> InsurerClaimExportListOut:
    return InsurerClaimExportListOut(
        items=[InsurerClaimExportOut.of(e) for e in page.exports], next_after=page.next_after
    )
