"""Bank credits (and returns) the import could not book, and matching one by hand (R12, R34)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from billing_core import bootstrap
from billing_core.entrypoints.http import cursor
from billing_core.entrypoints.http.caller import operator
from billing_core.entrypoints.http.errors import NO_CREDIT, found
from billing_core.entrypoints.http.operator_models import (
    Cursor,
    MatchIn,
    UnmatchedCreditListOut,
    UnmatchedCreditOut,
)
from billing_core.entrypoints.http.routing import ResourceRouter
from billing_core.services.operator import money

router = ResourceRouter("Unmatched credits")
CREDIT_ID = Annotated[str, Path(pattern=r"^[0-9a-f]{20}$")]


@router.get(
    "/api/v1/operator/unmatched-credits",
    summary="Credits nobody matched yet, oldest booking first, a page at a time",
    description="Each page but the last holds limit credits; next_cursor, sent back as "
    "cursor, gives the next page, none on the last. A credit kept before migration "
    "open-credit-index (19) ran is missing until it ran. Each page is one read in the "
    "audit, naming its credits (R32).",
)
def list_unmatched_credits(
    limit: Annotated[int, Query(ge=1, le=money.MAX_UNMATCHED_PAGE)] = money.UNMATCHED_PAGE,
    cursor_token: Cursor = None,
) -> UnmatchedCreditListOut:
    ctx = bootstrap.current().back_office_context(operator(router.current_event))
    credits, next_position = money.unmatched_credits(ctx, limit, after=cursor.after(cursor_token))
    return UnmatchedCreditListOut(
        items=[UnmatchedCreditOut.of(c) for c in credits],
        next_cursor=cursor.following(next_position),
    )


@router.post(
    "/api/v1/operator/unmatched-credits/<credit_id>/match",
    summary="Book a credit on a kenmerk, or on a patient's oldest due invoices (once)",
    description="A patient's credit goes to the invoices due on its booking date first, the "
    "one due longest first (a deferral or an arrangement's terms set when that is), then to "
    "the others, the one due soonest first (legal-nl.md §5). A claim of the patient the "
    "collection agency reported paid and whose money it did not transfer yet takes the "
    "credit as the agency's transfer, as a match to its kenmerk does; when the patient also "
    "owes another invoice, the credit may be either: 422 agency_transfer_or_patients_payment, "
    "nothing booked, match it to a kenmerk; when the agency's transfer would go to more "
    "than 50 claims, 422 agency_transfer_too_many_claims, nothing booked, the credit "
    "listed. A return nobody could trace "
    "(direction DBIT) takes a kenmerk: it is booked as the reversal of a bank payment on "
    "that invoice with at least its amount left (R12); one that returns the whole of a "
    "credit split over several invoices, named by one of their kenmerken, undoes every "
    "part; 422 no_payment_to_reverse when there is none. A credit is matched once: the "
    "same target again is a retry (200, the "
    "match); another target answers 409 credit_already_matched, its message naming the "
    "kenmerken the credit went to, and books nothing. A credit of which a part is booked "
    "already under its own bank id (a transfer for several kenmerken whose import stopped "
    "between its parts) keeps that part; only the rest is booked on the target's other "
    "invoices, and a target of only the invoices holding a part answers 409 "
    "credit_partly_booked, naming them, what is booked and what is left, and books nothing.",
)
def match_credit(credit_id: CREDIT_ID, body: MatchIn) -> UnmatchedCreditOut:
    ctx = bootstrap.current().back_office_context(operator(router.current_event))
    matched = money.match_credit(credit_id, body.target(), ctx)
    return UnmatchedCreditOut.of(found(matched, NO_CREDIT))
