"""The insurer register (R33): the version in force, and a new version as CSV."""

from __future__ import annotations

from datetime import date
from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Query

from billing_core import bootstrap
from billing_core.declarations.rules.insurers import RegisterRefused
from billing_core.entrypoints.http.caller import operator
from billing_core.entrypoints.http.errors import error_response
from billing_core.entrypoints.http.operator_models import InsurerRegisterOut, RegisterIn
from billing_core.entrypoints.http.routing import ResourceRouter, created
from billing_core.ports import TransactionConflict
from billing_core.services.operator import register

router = ResourceRouter("Insurers")


@router.get(
    "/api/v1/operator/insurers",
    summary="The insurer register in force today, or on the day ?on= names (R33)",
)
def register_in_force(
    on: Annotated[
        date | None,
        Query(
            description="the day whose version to read (a treatment date a finding names, or"
            " a later version loaded already, such as next year's); default today"
        ),
    ] = None,
) -> InsurerRegisterOut:
    ctx = bootstrap.current().back_office_context(operator(router.current_event))
    return InsurerRegisterOut.of(register.register_in_force(ctx, on))


LOAD_REGISTER = (
    "A version lists every insurer and is checked whole: 422 register_refused names every"
    " line's problem. From its valid_from a code it leaves out is unknown to every practice,"
    " so a version that drops codes of the version it takes over from (the one in force the"
    " day before its valid_from, or an earlier load of the same day) is refused: 422"
    " register_drops_insurers, or register_drops_contracted_insurers when a provider's"
    " contract running on or after its valid_from names one (the message names those"
    ' practices), with the dropped codes and the "drops" to send. It is loaded when "drops"'
    " lists exactly those codes (422 register_drops_not_left_out for a code the version"
    " keeps). A version that lists a code the next later version loaded already leaves out"
    " would make it unknown again from that version's valid_from: 422"
    " register_later_version_lacks names the codes (load the later version again with them"
    ' first), loaded when "later_drops" lists exactly those (the insurer stops then; 422'
    " register_later_drops_not_lost for another code). A version that lists a code of the"
    " version it takes over from in another group changes where that insurer's materials"
    ' go (only group "VGZ" to the insurer first, R6): 422 register_group_changes names'
    ' each code with its old and new group, loaded when "group_changes" lists exactly'
    " those codes (422 register_group_changes_not_changed for another code). So is a"
    " version whose group for a code differs from the next later version loaded already"
    " where the version it replaces had none or another (the code's group changes at that"
    " version's valid_from because of this load): 422 register_group_changes_later names"
    ' each change with its date, and "group_changes" confirms the codes of both. The load is'
    " stored only on the"
    " register its checks read: 409 concurrent_change when another operator loaded a"
    " version, of any date, in the meantime (nothing stored; load it again). A refusal is kept under its Idempotency-Key like any answer (R38): send the"
    " confirmed load with a new key."
)


@router.post(
    "/api/v1/operator/insurers",
    summary="Load a new register version: {csv} with uzovi;name;group;labels;valid_from;source",
    description=LOAD_REGISTER,
    responses=created("loaded: the version, in force from its valid_from", InsurerRegisterOut),
)
def load_register(body: RegisterIn) -> Response[str]:
    ctx = bootstrap.current().back_office_context(operator(router.current_event))
    try:
        loaded = register.load_register(
            body.csv,
            ctx,
            drops=body.drops,
            later_drops=body.later_drops,
            group_changes=body.group_changes,
        )
    except RegisterRefused as refused:
        said = ["; ".join(p.said(language) for p in refused.problems) for language in ("nl", "en")]
        message = " / ".join(said)
        return error_response(HTTPStatus.UNPROCESSABLE_ENTITY, "register_refused", message)
    except TransactionConflict:
        # Here, not at import: only a refusal needs the texts (shared/errors.py says why).
        from billing_core.texts.practice import dutch_and_english

        message = dutch_and_english("register_loaded_meanwhile")
        return error_response(HTTPStatus.CONFLICT, "concurrent_change", message)
    body = InsurerRegisterOut.of(loaded).model_dump_json()
    return Response(HTTPStatus.CREATED.value, content_types.APPLICATION_JSON, body)
