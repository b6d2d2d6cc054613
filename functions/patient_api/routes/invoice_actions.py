"""What a patient does with an invoice: pay online (R11), defer (R14), arrange terms
(R15), object (R16), send the insurer's statement (R17). Every body carries the birth
date; a mismatch answers exactly like an unknown reference."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path

from billing_core import bootstrap
from billing_core.entrypoints.http.error_document import asking_the_psp
from billing_core.entrypoints.http.patient_models import (
    AcceptedOut,
    ArrangementOut,
    ArrangementRequest,
    CheckoutOut,
    DeferralOut,
    DeferralRequest,
    InsurerStatementOut,
    InsurerStatementRequest,
    ObjectionRequest,
    PaymentRequest,
    RefusedOut,
)
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.payments import online
from billing_core.services import patient

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

router = ResourceRouter("Invoice actions")
REFERENCE = Annotated[str, Path(min_length=1, max_length=40)]

# R16: the form's parts are judged all at once, and the answer names every one wrong.
OBJECTION_ANSWERS: dict[int, OpenAPIResponse] = {
    HTTPStatus.ACCEPTED.value: {
        "description": "filed: the practice has it as an open action",
        "content": {"application/json": {"model": AcceptedOut}},
    },
    HTTPStatus.UNPROCESSABLE_ENTITY.value: {
        "description": "refused: error.codes names every part to put right "
        "(invalid_objection_message, invalid_objection_email), "
        "error.code the first of them",
        "content": {"application/json": {"model": RefusedOut}},
    },
}


@router.post(
    "/api/v1/invoices/<reference>/payments",
    summary="Start an iDEAL payment (R11)",
    responses=asking_the_psp(CheckoutOut, HTTPStatus.CREATED),
)
def start_payment(reference: REFERENCE, body: PaymentRequest) -> Response[CheckoutOut]:
    checkout = online.start_payment(
        reference,
        body.proof(),
        bootstrap.current().online_payment_context(),
        pay_all=body.pay_all,
        language=body.language.value if body.language else "",
    )
    out = CheckoutOut(payment_id=checkout.psp_payment_id, checkout_url=checkout.checkout_url)
    return Response(HTTPStatus.CREATED.value, "application/json", out)


@router.post("/api/v1/invoices/<reference>/deferral", summary="Free deferral, once (R14)")
def deferral(reference: REFERENCE, body: DeferralRequest) -> DeferralOut:
    view = patient.request_deferral(reference, body.proof(), bootstrap.current().patient_context())
    return DeferralOut.of(view)


@router.post("/api/v1/invoices/<reference>/arrangement", summary="Instalment arrangement (R15)")
def arrangement(reference: REFERENCE, body: ArrangementRequest) -> ArrangementOut:
    view = patient.request_arrangement(
        reference, body.proof(), body.terms, bootstrap.current().patient_context()
    )
    return ArrangementOut.of(view)


@router.post(
    "/api/v1/invoices/<reference>/objection",
    summary="Object to the invoice (R16)",
    responses=OBJECTION_ANSWERS,
)
def objection(reference: REFERENCE, body: ObjectionRequest) -> Response[AcceptedOut]:
    patient.file_objection(
        reference,
        body.proof(),
        body.reason,
        body.message,
        body.email,
        bootstrap.current().patient_context(),
    )
    return Response(HTTPStatus.ACCEPTED.value, "application/json", AcceptedOut())


@router.post(
    "/api/v1/invoices/<reference>/insurer-statement",
    summary="Send your insurer's statement for a non-contracted invoice (R17)",
)
def insurer_statement(reference: REFERENCE, body: InsurerStatementRequest) -> InsurerStatementOut:
    view = patient.submit_insurer_statement(
        reference,
        body.proof(),
        body.reimbursed,
        body.withheld_deductible,
        bootstrap.current().patient_context(),
    )
    return InsurerStatementOut.of(view)
