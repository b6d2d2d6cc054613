"""What the portal function does around every page: the session from its cookie, the
CSRF check of a form, the security headers, and a page's answer as an HTTP response.

A page without a valid session sends the browser to sign in; a POST whose form lacks the
session's CSRF token gets 403 and reaches no service. A form that changes something
also carries a one-time form key and is done once per key (R38), through the same
idempotency record as the API's Idempotency-Key: the browser that sends it again (a
double click, a reload) gets the first answer again, and nothing is done twice.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.shared.cookies import Cookie
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from billing_core import bootstrap
from billing_core.entrypoints.http.idempotency import KeyInUse, is_valid_key, once_per_key
from billing_core.entrypoints.http.middleware import HSTS, HTML, first_undeclared
from billing_core.entrypoints.web.downloads import content_disposition
from billing_core.entrypoints.web.forms import cookie_header, multipart_form, raw_body
from billing_core.entrypoints.web.portal import session as sessions
from billing_core.entrypoints.web.portal.pages import (
    PortalAnswer,
    PortalRequest,
    Resend,
    forbidden,
    message,
    page_language,
    render,
    settings_unreadable,
    unknown_format,
    unknown_parameter,
)
from billing_core.ports import SavedUnfinished, UnreadableProvider
from billing_core.providers.users import Role
from billing_core.services.provider.context import ProviderContext
from billing_core.services.provider.settings import practice_name
from billing_core.shared.errors import Forbidden
from billing_core.shared.retries import KeyReused

LANGUAGE_COOKIE = "zn_lang"
SIGN_IN_PATH = "/portal/login"
# No script at all; styles only from the portal's own stylesheet; forms post only here.
PORTAL_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "Strict-Transport-Security": HSTS,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def portal_headers(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """Every answer of the portal, pages, downloads and redirects alike."""
    response = next_middleware(app)
    response.headers.update(PORTAL_HEADERS)
    return response


@dataclass(frozen=True, slots=True)
class Incoming:
    """The parts of a request the portal reads."""

    cookies: str
    query: Mapping[str, str]
    form: Mapping[str, str]
    files: Mapping[str, tuple[str, bytes]]  # field -> (file name, content)

    @classmethod
    def of(cls, event: APIGatewayProxyEvent) -> Incoming:
        headers = {k.lower(): v for k, v in (event.headers or {}).items()}
        content_type = headers.get("content-type", "")
        body = raw_body(event.body, bool(event.is_base64_encoded))
        form: dict[str, str] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if content_type.startswith("multipart/form-data"):
            form, files = multipart_form(content_type, body)
        elif body:
            form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        return cls(
            cookie_header(event.raw_event), dict(event.query_string_parameters or {}), form, files
        )

    def cookie(self, name: str) -> str:
        return sessions.cookie_value(self.cookies, name)

    @property
    def language(self) -> str:
        return page_language(self.cookie(LANGUAGE_COOKIE))


PageHandler = Callable[[PortalRequest, ProviderContext], PortalAnswer]


def serve_page(
    event: APIGatewayProxyEvent,
    handler: PageHandler,
    takes: Collection[str] = (),
    *,
    formats: Collection[str] = (),
) -> Response[str | bytes]:
    """A GET page for whoever is signed in; to the sign-in without a session. ``takes``:
    the query parameters the page reads (its links and forms make them); one it does not
    take is refused, named, as the API refuses a parameter its route does not declare
    (closing 14), not read as the page as if it had been understood. ``formats``: the
    files its ``format`` gives; another is refused naming them, as the API's 400 names
    its ``format`` (audit edges50: format=xml answered the page, or a CSV, unsaid)."""
    incoming = Incoming.of(event)
    session = _session(incoming)
    if session is None:
        return redirect(SIGN_IN_PATH)
    request = PortalRequest(session, incoming.language, incoming.query)
    unknown = first_undeclared(incoming.query, takes)
    if unknown is not None:
        return respond(unknown_parameter(request, unknown))
    if "format" in incoming.query and incoming.query["format"] not in formats:
        return respond(unknown_format(request, formats))
    return _answer(handler, request, page=True)


def serve_not_found(event: APIGatewayProxyEvent) -> Response[str | bytes]:
    """An address under /portal/ that no page has (an old bookmark, a typo), which the
    catch-all route brings here instead of API Gateway's 403 JSON (audit PAGES1): the
    not-found page in the reader's language, with the menu back into the portal when
    signed in, else the way to sign in. Reads only the session."""
    incoming = Incoming.of(event)
    session = _session(incoming)
    # signed out, there is no menu to open the page from (words52c named one)
    said = "not_found" if session else "not_found_signed_out"
    answer = message(incoming.language, session, "not_found_title", said, HTTPStatus.NOT_FOUND)
    return respond(answer)


def serve_form(event: APIGatewayProxyEvent, handler: PageHandler) -> Response[str | bytes]:
    """A form POST that only reads (the search): only with this session's CSRF token,
    else 403."""
    request = _posted(event)
    return request if isinstance(request, Response) else _answer(handler, request)


def serve_change(
    event: APIGatewayProxyEvent, handler: PageHandler, context: LambdaContext, *, needs: Role
) -> Response[str | bytes]:
    """A form POST that changes something: with the session's CSRF token and the form's
    one-time key, else 403 and nothing changed; done once per key of this user (R38).
    ``needs``: the least role the form is for (R32), decided before the form is read: a
    role too low gets the 403 page whatever the form holds, never the page that lists
    its fields as wrong (audit roles2; the service checks the role again)."""
    request = _posted(event)
    if isinstance(request, Response):
        return request
    if not request.session.may(needs):
        return respond(forbidden(request))
    key = request.form.get(sessions.FORM_KEY_FIELD, "")
    if not is_valid_key(key):
        return respond(forbidden(request))
    try:
        first, _ = once_per_key(
            context,
            sessions.form_scope(request.user),
            key,
            _sent(event.path, request),
            lambda: _recorded(_page_answer(handler, request)),
            # An error escapes and is not kept; every answer a page gives is final.
            kept=lambda _: True,
        )
    except UnreadableProvider:
        # Not kept under the key: once zorgnota repairs the settings, the form is done.
        return respond(settings_unreadable(request))
    except KeyReused:
        return respond(_form_refused(request, "form_key_reused", HTTPStatus.UNPROCESSABLE_ENTITY))
    except KeyInUse:
        return respond(_form_refused(request, "form_key_in_use", HTTPStatus.CONFLICT))
    except SavedUnfinished:
        # Not kept under the key (R38): the same form sent again (the page reloaded, its
        # POST sent again) finds its change made and finishes it (invite58), where "nothing
        # was saved" had the user fill in a new form, refused for what was saved.
        # With a button that sends the same form, its key too, so the change is finished
        # also by a user who would not reload a POST's page (review58): back on the
        # invoice's page, it is settled and offers no form to send again.
        unfinished = message(
            request.language,
            request.session,
            "saved_unfinished_title",
            "saved_unfinished",
            HTTPStatus.CONFLICT,
            resend=Resend(event.path, tuple(request.form.items())),
        )
        return respond(unfinished)
    return respond(PortalAnswer(first["html"], HTTPStatus(first["status"]), first["redirect_to"]))


def _posted(event: APIGatewayProxyEvent) -> PortalRequest | Response[str | bytes]:
    """The form's request, or the answer instead: 403 without this session's CSRF token,
    400 for a query parameter (no form takes one). Without a session (it expired while
    the form was being filled in, or was ended), a page that says the form was not
    processed and how to go on, not a silent way to the sign-in that ends on the overview
    as if it had been done (audit portal3 PORTAL3-2)."""
    incoming = Incoming.of(event)
    session = _session(incoming)
    if session is None:
        expired = message(
            incoming.language,
            None,
            "session_expired_title",
            "session_expired",
            HTTPStatus.UNAUTHORIZED,
        )
        return respond(expired)
    request = PortalRequest(
        session, incoming.language, incoming.query, incoming.form, incoming.files
    )
    if not session.form_is_genuine(incoming.form.get("csrf", "")):
        return respond(forbidden(request))
    unknown = first_undeclared(incoming.query, ())  # a form's fields are in its body
    if unknown is not None:
        return respond(unknown_parameter(request, unknown))
    return request


def _answer(
    handler: PageHandler, request: PortalRequest, *, page: bool = False
) -> Response[str | bytes]:
    try:
        return respond(_page_answer(handler, request, page=page))
    except UnreadableProvider:
        return respond(settings_unreadable(request))


def _page_answer(
    handler: PageHandler, request: PortalRequest, *, page: bool = False
) -> PortalAnswer:
    """The page, or 403 when the services refuse the user's role (R32): whatever the
    page offered, the service decides. ``page``: a GET page, refused as a page (no form
    was sent), not as a form."""
    try:
        return handler(request, bootstrap.current().provider_context())
    except Forbidden:
        return forbidden(request, page=page)


def _recorded(answer: PortalAnswer) -> dict[str, Any]:
    """What the idempotency record keeps of a change's answer: a change answers a
    redirect or a page, never a download."""
    return {"html": answer.html, "status": answer.status.value, "redirect_to": answer.redirect_to}


def _sent(path: str, request: PortalRequest) -> dict[str, Any]:
    """What must be the same for a replay: the path and what the form says."""
    return {"path": path, **request.sent}


def _form_refused(request: PortalRequest, message_key: str, status: HTTPStatus) -> PortalAnswer:
    return message(request.language, request.session, "form_sent_title", message_key, status)


def respond(answer: PortalAnswer, cookies: list[Cookie] | None = None) -> Response[str | bytes]:
    if answer.redirect_to:
        return redirect(answer.redirect_to, cookies)
    if answer.download is not None:
        download = answer.download
        suffix = download.file_name.rpartition(".")[2]
        disposition = content_disposition(download.file_name, fallback=f"download.{suffix}")
        body = download.body
        if download.content_type.startswith("text/csv"):
            # With the byte order mark Excel needs to read UTF-8, as the API's (R24, R35).
            from billing_core.shared.spreadsheet import for_excel

            body = for_excel(body)
        return Response(
            HTTPStatus.OK.value,
            download.content_type,
            body,
            headers={"Content-Disposition": disposition},
        )
    return Response(answer.status.value, HTML, answer.html, cookies=cookies or [])


def redirect(
    location: str,
    cookies: list[Cookie] | None = None,
    status: HTTPStatus = HTTPStatus.SEE_OTHER,
) -> Response[str | bytes]:
    return Response(status.value, HTML, "", headers={"Location": location}, cookies=cookies or [])


def to_the_portal(event: APIGatewayProxyEvent) -> Response[str | bytes]:
    """``/portal`` typed without its trailing slash: permanently to ``/portal/``, its query
    kept, so the overview has one address and not the checker's 404 (R35)."""
    query = urlencode(event.multi_value_query_string_parameters or {}, doseq=True)
    location = f"/portal/?{query}" if query else "/portal/"
    return redirect(location, status=HTTPStatus.PERMANENT_REDIRECT)


# --- signing in and out ---------------------------------------------------------------------


def start_sign_in() -> Response[str | bytes]:
    """To the sign-in page (the hosted UI), with a fresh state and PKCE verifier kept in a
    short-lived signed cookie for the way back."""
    runtime = bootstrap.current()
    attempt = sessions.new_sign_in(runtime.clock.now())
    # Lax, not Strict: the way back is a redirect from the hosted UI, another site.
    cookie = sessions.portal_cookie(
        sessions.SIGN_IN_COOKIE,
        sessions.seal_sign_in(attempt, runtime.portal_session_key),
        sessions.SIGN_IN_LIFETIME,
        strict=False,
    )
    url = runtime.portal_sign_in.sign_in_url(attempt.state, attempt.code_challenge)
    return redirect(url, [cookie])


def finish_sign_in(event: APIGatewayProxyEvent) -> Response[str | bytes]:
    """The callback: the state must be ours and the code must redeem with our verifier."""
    incoming = Incoming.of(event)
    runtime = bootstrap.current()
    now = runtime.clock.now()
    key = runtime.portal_session_key
    attempt = sessions.open_sign_in(incoming.cookie(sessions.SIGN_IN_COOKIE), key, now)
    code, state = incoming.query.get("code", ""), incoming.query.get("state", "")
    redeemed = None
    if attempt is not None and code and sessions.hmac_equal(state, attempt.state):
        redeemed = runtime.portal_sign_in.exchange(code, attempt.code_verifier)
    # The directory's user, with the session epoch the new session carries (R32).
    user = runtime.user_directory.user_by_id(redeemed.user_id) if redeemed else None
    forget_attempt = sessions.portal_cookie(sessions.SIGN_IN_COOKIE, "", strict=False)
    if user is None or not user.enabled:
        failed = message(
            incoming.language, None, "sign_in_title", "sign_in_failed", HTTPStatus.UNAUTHORIZED
        )
        return respond(failed, [forget_attempt])
    practice = practice_name(user.signed_in, runtime.provider_context())
    session = sessions.new_session(user, now, runtime.settings.portal_session_hours, practice)
    sealed = sessions.seal_session(session, key)
    lifetime = session.expires_at - now
    cookie = sessions.portal_cookie(sessions.SESSION_COOKIE, sealed, lifetime)
    # A page, not a redirect: a Strict cookie set at the end of a chain that began on the
    # hosted UI's site is not sent along that chain; the step from this page is same-site.
    signed_in = render(
        "signed_in.html.j2", incoming.language, None, HTTPStatus.OK, next_page="/portal/"
    )
    return respond(signed_in, [cookie, forget_attempt])


def sign_out(event: APIGatewayProxyEvent) -> Response[str | bytes]:
    """Only with the session's CSRF token: a foreign page cannot sign anyone out. Ends
    every session of the user, on the server too: a copy of the cookie opens nothing."""
    incoming = Incoming.of(event)
    session = _session(incoming)
    if session is not None:
        if not session.form_is_genuine(incoming.form.get("csrf", "")):
            return respond(forbidden(PortalRequest(session, incoming.language)))
        bootstrap.current().user_directory.end_sessions(session.user.user_id)
    gone = sessions.portal_cookie(sessions.SESSION_COOKIE, "")
    signed_out = message(incoming.language, None, "sign_in_title", "signed_out", HTTPStatus.OK)
    return respond(signed_out, [gone])


def choose_language(language: str) -> Response[str | bytes]:
    chosen = page_language(language)
    cookie = sessions.portal_cookie(LANGUAGE_COOKIE, chosen, sessions.LANGUAGE_KEPT)
    return redirect("/portal/", [cookie])


def _session(incoming: Incoming) -> sessions.Session | None:
    runtime = bootstrap.current()
    return sessions.open_session(
        incoming.cookie(sessions.SESSION_COOKIE),
        runtime.portal_session_key,
        runtime.clock.now(),
        runtime.user_directory,
    )
