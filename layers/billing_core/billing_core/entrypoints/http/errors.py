"""One place that maps problems to the shared error shape {"error": {"code", "message"}}
for the APIs (interfaces.md §2): 400 validation, 401, 403 a role too low, 404, 409 state
conflict or a concurrent change, 422 business rule, 503 the PSP unreachable. A refusal
also lists ``codes``: every refusal of the request, its ``code`` first; a 400 of a
request's fields lists ``fields``: every field wrong, {"field", "message"}. Every message is
"Dutch / English", as the documents say (the practice's tools show it to its people);
the ``code`` is what a program reads. Never a stack trace, never the submitted value."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any, TypeVar

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import (
    ForbiddenError,
    NotFoundError,
    UnauthorizedError,
)
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from billing_core.entrypoints.http.cursor import InvalidCursor
from billing_core.payments.psp import PspUnavailable
from billing_core.ports import (
    ConcurrentChange,
    InvalidPosition,
    SavedUnfinished,
    UnreadableProvider,
)
from billing_core.services.inputs import InvalidInput
from billing_core.shared.errors import (
    Forbidden,
    NotFound,
    Refused,
    StateConflict,
    validation_fields,
    validation_message,
)
from billing_core.shared.reference import InvalidReference

INVALID_REFERENCE = (
    "Dit betalingskenmerk klopt niet — controleer de 14 cijfers. / "
    "This payment reference is not right — check the 14 digits."
)

PSP_UNAVAILABLE = (
    "De betaaldienst (PSP) is nu niet bereikbaar; er is niets vastgelegd. Probeer het zo "
    "opnieuw. / The payment provider (PSP) cannot be reached now; nothing was saved. Try "
    "again shortly."
)

LOG_IN_AGAIN = "Log opnieuw in. / Log in again."
INVALID_CURSOR = (
    "Deze cursor klopt niet: vraag de lijst opnieuw op, vanaf het begin. / "
    "This cursor is not valid: ask for the list again, from its start."
)
CHANGED_MEANWHILE = (
    "Iemand anders wijzigde dit op hetzelfde moment; er is niets vastgelegd. Probeer het "
    "opnieuw. / Changed by someone else at the same moment; nothing was saved. Try again."
)
SAVED_UNFINISHED = (
    "Opgeslagen, maar niet helemaal afgerond: iemand anders wijzigde op hetzelfde moment "
    "wat eruit volgt. Stuur hetzelfde verzoek opnieuw, met dezelfde Idempotency-Key; er "
    "wordt niets dubbel geboekt. / Saved, but not quite finished: someone else changed "
    "what follows from it at the same moment. Send the same request again, with the same "
    "Idempotency-Key; nothing is booked twice."
)
# The 404s, one per kind of thing a route looks up (``found``): the same words for
# another practice's id as for one that does not exist (R26).
NOT_ROUTED = (  # as API Gateway's own answer says it (template.yaml, GatewayResponses)
    "Dit adres bestaat niet of neemt deze methode niet aan. / This address does not exist "
    "or does not take this method."
)
NO_INVOICE = "Nota niet gevonden. / Invoice not found."
NO_DECLARATION = "Declaratiebestand niet gevonden. / Declaration upload not found."
NO_ACTION = "Actie niet gevonden. / Action not found."
NO_STATEMENT = "Geen retrocessie-overzicht voor die week. / No statement for that week."
NO_USER = "Gebruiker niet gevonden. / User not found."
NO_PROVIDER = "Zorgaanbieder niet gevonden. / Provider not found."
NO_CREDIT = "Bijschrijving niet gevonden. / Credit not found."
NO_SETTINGS = "Geen instellingen voor deze praktijk. / No settings for this practice."

Found = TypeVar("Found")
# Nothing was saved (or, SavedUnfinished, the change was and what follows from it not
# yet): the same request may be sent again, and its answer is not kept under its key.
CONCURRENT_CHANGE = "concurrent_change"
# Nothing was done either: the stored settings must be repaired first (R31), then the same
# request may be sent again.
PROVIDER_UNREADABLE = "provider_unreadable"


def error_response(
    status: HTTPStatus,
    code: str,
    message: str,
    *,
    codes: list[str] | None = None,
    fields: list[tuple[str, str]] | None = None,
) -> Response[str]:
    """``codes``: every refusal of the request; ``fields``: every field a 400 finds wrong,
    (where, what), as {"field", "message"}."""
    error: dict[str, Any] = {"code": code, "message": message}
    if codes is not None:
        error["codes"] = codes
    if fields is not None:
        error["fields"] = [{"field": where, "message": what} for where, what in fields]
    return Response(
        status_code=status.value,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps({"error": error}),
    )


def proxy_error(status: HTTPStatus, code: str, message: str) -> dict[str, Any]:
    """``error_response`` as the Lambda proxy answer, for what answers before routing."""
    return {
        "statusCode": status.value,
        "headers": {"Content-Type": content_types.APPLICATION_JSON},
        "body": json.dumps({"error": {"code": code, "message": message}}),
        "isBase64Encoded": False,
    }


def found(value: Found | None, message: str) -> Found:
    """The service's answer, or the API's 404 for an id this tenant does not have;
    ``message``: what was not found (NO_INVOICE, ...)."""
    if value is None:
        raise NotFoundError(message)
    return value


def register_error_handlers(app: APIGatewayRestResolver, *, visitors: bool = False) -> None:
    """The mapping both APIs answer with. ``visitors``: the API's callers are patients
    (R9): an unknown kenmerk or birth date, a wrong check digit and a refusal answer in
    the language their ``Accept-Language`` asks for, when the patient texts have it."""
    app.exception_handler(RequestValidationError)(_invalid_request)
    app.exception_handler(InvalidInput)(_invalid_input)
    app.exception_handler(InvalidCursor)(_invalid_cursor)
    app.exception_handler(InvalidPosition)(_invalid_cursor)
    app.exception_handler(UnauthorizedError)(_unauthorized)
    app.exception_handler(ForbiddenError)(_forbidden)
    app.exception_handler(NotFoundError)(_not_found)
    if visitors:
        for error, answer in (
            (InvalidReference, _invalid_reference),
            (NotFound, _no_such_invoice),
            (Refused, _refused),
            (UnreadableProvider, _invoice_unavailable),
        ):
            app.exception_handler(error)(_in_visitors_language(app, answer))
    else:
        app.exception_handler(InvalidReference)(_invalid_reference)
        app.exception_handler(NotFound)(_no_such_invoice)
        app.exception_handler(Refused)(_refused)
        app.exception_handler(UnreadableProvider)(_unreadable_provider)
    app.exception_handler(ConcurrentChange)(_concurrent_change)
    app.exception_handler(SavedUnfinished)(_saved_unfinished)
    app.exception_handler(PspUnavailable)(_psp_unavailable)


def _invalid_request(error: RequestValidationError) -> Response[str]:
    """The first five problems in ``message``, as ever; every one in ``fields`` (a PATCH of
    the settings wrong in seven fields named five, audit forms2; WCAG 3.3.1 as the forms)."""
    problems = error.errors()
    message = validation_message(problems, reason=_dutch_and_english)
    fields = validation_fields(problems, reason=_dutch_and_english)
    return error_response(HTTPStatus.BAD_REQUEST, "validation_error", message, fields=fields)


def _dutch_and_english(problem: Mapping[str, Any]) -> str:
    """A validation problem's reason: its kind in Dutch, pydantic's words in English; a
    rule's own refusal (texts.practice, through pydantic) in its own two."""
    # Here, not at import: only a refusal needs the texts (shared/errors.py says why).
    from billing_core.texts.practice import validation_reasons

    reasons = validation_reasons(problem)
    return f"{reasons['reason_nl']} / {reasons['reason_en']}"


def _invalid_input(error: InvalidInput) -> Response[str]:
    """A value the service could only judge after the request validation: the same 400,
    its reason in Dutch and English as the service's key says it."""
    where = {"loc": tuple(error.where.split(".")), "msg": error.message}
    message = validation_message([where])
    fields = validation_fields([where])
    return error_response(HTTPStatus.BAD_REQUEST, "validation_error", message, fields=fields)


def _invalid_cursor(_: InvalidCursor | InvalidPosition) -> Response[str]:
    """A token that does not decode, or decodes to a position this list never handed out
    (a forged one, or one of another filter): the same 400."""
    return error_response(HTTPStatus.BAD_REQUEST, "invalid_cursor", INVALID_CURSOR)


def _invalid_reference(_: InvalidReference, language: str | None = None) -> Response[str]:
    message = INVALID_REFERENCE
    if language is not None:
        from billing_core.texts.patient import patient_message

        message = patient_message("invalid_reference", language)
    return error_response(HTTPStatus.BAD_REQUEST, "invalid_reference", message)


def _in_visitors_language(
    app: APIGatewayRestResolver, answer: Callable[[Any, str | None], Response[str]]
) -> Callable[[Any], Response[str]]:
    """``answer`` in the patient language the request's ``Accept-Language`` asks for, or
    in Dutch and English when it asks for none of them."""

    def handler(error: Any) -> Response[str]:
        from billing_core.entrypoints.http.accept_language import asked_language
        from billing_core.texts.catalogue import LANGUAGES

        language = asked_language(app.current_event.headers.get("accept-language"), LANGUAGES)
        return _in_language(answer(error, language), language)

    return handler


def _in_language(answer: Response[str], language: str | None) -> Response[str]:
    """The answer, saying which language it is in when it is in one (RFC 9110 §8.5), and
    that it depends on the request's Accept-Language (§12.5.5)."""
    answer.headers["Vary"] = "Accept-Language"
    if language is not None:
        answer.headers["Content-Language"] = language
    return answer


def _unauthorized(_: UnauthorizedError) -> Response[str]:
    return error_response(HTTPStatus.UNAUTHORIZED, "unauthorized", LOG_IN_AGAIN)


def _forbidden(error: ForbiddenError) -> Response[str]:
    return error_response(HTTPStatus.FORBIDDEN, "forbidden", str(error.msg))


def _not_found(error: NotFoundError) -> Response[str]:
    """A route's ``found`` names what it did not find; Powertools' own, for a path no
    route has, says only "Not found" (its default)."""
    message = NOT_ROUTED if error.msg == NotFoundError().msg else str(error.msg)
    return error_response(HTTPStatus.NOT_FOUND, "not_found", message)


def _no_such_invoice(error: NotFound, language: str | None = None) -> Response[str]:
    """The same answer for an unknown reference and a birth date that does not match;
    what an operator names that does not exist in the operator's words (OperatorNotFound).
    ``language``: the patient's, else Dutch and English."""
    message = (
        error.message(language)
        if language is not None
        else f"{error.message_nl} / {error.message_en}"
    )
    return error_response(HTTPStatus.NOT_FOUND, error.code, message)


def _refused(error: Refused, language: str | None = None) -> Response[str]:
    """A request refused for several things at once (an objection, R16) names them all,
    as the page does (WCAG 3.3.1): ``codes`` in the order of the form, ``code`` the first
    as ever, and the message every sentence, Dutch then English, or in the patient's
    ``language`` alone (Dutch where that language lacks a refusal, as on the page)."""
    status = HTTPStatus.UNPROCESSABLE_ENTITY
    if isinstance(error, StateConflict):
        status = HTTPStatus.CONFLICT
    elif isinstance(error, Forbidden):
        status = HTTPStatus.FORBIDDEN
    every = (error, *error.also)
    codes = [refusal.code for refusal in every]
    if language is not None:
        message = " ".join(refusal.message(language) for refusal in every)
        return error_response(status, error.code, message, codes=codes)
    dutch = " ".join(refusal.message_nl for refusal in every)
    english = " ".join(refusal.message_en for refusal in every)
    return error_response(status, error.code, f"{dutch} / {english}", codes=codes)


def _concurrent_change(_: ConcurrentChange) -> Response[str]:
    """Someone else changed the invoice at the same moment, more often than the retries
    took (R28): nothing of this request was saved, and sending it again is safe."""
    return error_response(HTTPStatus.CONFLICT, CONCURRENT_CHANGE, CHANGED_MEANWHILE)


def _saved_unfinished(_: SavedUnfinished) -> Response[str]:
    """The change was saved, then what follows from it (a patient's block, a credit's
    planned bookings) kept losing its race (R28): the same 409 code, so that the answer is
    not kept under the key and the client sends it again, in words that do not say
    "nothing was saved" (invite58). Sent again, it books nothing twice (R38)."""
    return error_response(HTTPStatus.CONFLICT, CONCURRENT_CHANGE, SAVED_UNFINISHED)


def _invoice_unavailable(_: UnreadableProvider, language: str | None = None) -> Response[str]:
    """A patient asking about an invoice of a practice whose stored settings no longer
    validate (R31): 503 in the patient's language (R9), else Dutch and English, that the
    invoice cannot be shown now; never the operator's 409, which names the provider, the
    field and how to repair it (audit onboard3 D1)."""
    from billing_core.texts.patient import patient_message

    if language is not None:
        message = patient_message("invoice_unavailable", language)
    else:
        dutch, english = (patient_message("invoice_unavailable", lang) for lang in ("nl", "en"))
        message = f"{dutch} / {english}"
    return error_response(HTTPStatus.SERVICE_UNAVAILABLE, "invoice_unavailable", message)


def _psp_unavailable(_: PspUnavailable) -> Response[str]:
    """The PSP (Mollie) did not answer, or not in time, before anything was saved (an
    operator's record of a refund checks it first; a patient's payment is started there):
    a 503 that says so, not API Gateway's 502, and the same request may be sent again."""
    return error_response(HTTPStatus.SERVICE_UNAVAILABLE, "psp_unavailable", PSP_UNAVAILABLE)


def _unreadable_provider(error: UnreadableProvider) -> Response[str]:
    """Stored settings that no longer validate (a legacy item): a conflict with what is
    stored, which an operator resolves by replacing them on their version (R31)."""
    # Here, not at import: only a refusal needs the texts (shared/errors.py says why).
    from billing_core.texts.practice import dutch_and_english

    message = dutch_and_english(
        "provider_unreadable",
        provider_id=error.provider_id,
        version=error.version,
        reason=error.reason,
    )
    return error_response(HTTPStatus.CONFLICT, PROVIDER_UNREADABLE, message)
