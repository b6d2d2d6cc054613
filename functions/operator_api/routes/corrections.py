"""A stop or coulance entered by mistake, reversed with a reason (R27, R34)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from billing_core import bootstrap
from billing_core.entrypoints.http.caller import operator
from billing_core.entrypoints.http.operator_models import CorrectedInvoiceOut, CorrectionIn
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.services.operator import money
from billing_core.shared.reference import REFERENCE_PATTERN

router = ResourceRouter("Corrections")
REFERENCE = Annotated[str, Path(pattern=REFERENCE_PATTERN)]


@router.post(
    "/api/v1/operator/invoices/<reference>/corrections",
    summary="Reverse a stop or coulance entry, and the rest of its stop, with a reason (once)",
    description="What was forgiven is owed again. Until the costs are charged, the invoice "
    "is to be paid by a new final payment date: today plus the practice's payment term "
    "(legal-nl.md §7), never earlier than it was. The patient is sent the corrected amount "
    "and the date to pay by (invoice_corrected), once per correction. A stop of the whole "
    "invoice books one entry per component it forgave (principal, costs, interest): a "
    "correction of any of them reverses them all, each once. A claim at the "
    "collection agency gets no message and blocks the patient again (R22). No invoice with "
    "this kenmerk: 404 not_found, as its PSP refund route answers.",
)
def correct(reference: REFERENCE, body: CorrectionIn) -> CorrectedInvoiceOut:
    ctx = bootstrap.current().back_office_context(operator(router.current_event))
    corrected = money.correct_invoice_entry(reference, body.entry_id, body.reason, ctx)
    return CorrectedInvoiceOut.of(corrected)
