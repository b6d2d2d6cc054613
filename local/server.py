"""`make serve`: the API and pages on http://127.0.0.1:8000 over embedded AWS (interfaces.md §5).

A sandbox like a payment provider's test mode: the sample providers are loaded,
`/_local/tokens` hands out bearer tokens (standing in for Cognito: one per sample
practice, acting as its admin; `operator`; and one per user created through the API,
under its e-mail, carrying its role, interfaces.md §5), uploads to
the handed-out URL are processed at once, a request that queued letters has them
delivered before it answers (``_deliver_what_it_queued``), and `/_local/*` routes move
the clock and show the outbox and the print batches. Those routes exist only here,
never in the deployed API.
"""

from __future__ import annotations

import base64
import copy
import json
import secrets
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from botocore.exceptions import ClientError

from billing_core.ports import FileGone
from local.api_gateway import STAGE as STAGE  # the tests' stage-prefixed paths
from local.api_gateway import proxy_event
from local.sandbox import Caller, Sandbox

HOST, PORT = "127.0.0.1", 8000
PRINTED_PDF = "/_local/print/"  # + {day}/{provider}/{file}.pdf: a print batch's letter
# The header a request's answer carries when the delivery of the letters it queued failed.
DELIVERY_FAILED = "X-Sandbox-Delivery-Failed"
MAX_BODY = 20 * 1024 * 1024  # a declaration of 100,000 lines is about 15 MB

# A request's headers: a mapping, or (name, value) pairs as the client sent them (a name
# may come twice, e.g. two Cookie lines, and in any case: HTTP/2 clients send lowercase).
SentHeaders = Mapping[str, str] | Iterable[tuple[str, str]]


class SandboxServer:
    """Routes HTTP requests to the handlers the way API Gateway and S3 would."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self._issued: dict[str, str] = {}  # who -> token, for as long as the sandbox runs
        self._lock = threading.Lock()  # one request at a time on the embedded AWS state
        sandbox.invite_sample_users()

    def handle(
        self,
        method: str,
        target: str,
        headers: SentHeaders,
        body: bytes,
        source_ip: str = "127.0.0.1",
    ) -> tuple[int, dict[str, str], bytes]:
        sent = list(headers.items() if isinstance(headers, Mapping) else headers)
        lowered = {name.lower(): value for name, value in sent}
        parts = urlsplit(target)
        path = parts.path
        with self._lock:
            queued = self.sandbox.deliveries_queued
            try:
                if path.startswith("/_local/"):
                    query = dict(parse_qsl(parts.query))
                    answer = self._local(method, path, body, lowered, query)
                else:
                    answer = self._api(method, path, parts.query, sent, body, source_ip)
            except Exception:  # noqa: BLE001 - answered as API Gateway does, and logged
                answer = _crashed(method, path)
            failure = self._deliver_what_it_queued(queued)
        if failure is None:
            return answer
        status, answer_headers, answer_body = answer
        return status, answer_headers | {DELIVERY_FAILED: failure}, answer_body

    def _deliver_what_it_queued(self, queued_before: int) -> str | None:
        """A request that queued letters has them delivered before its answer (deployed,
        the queue's mapping polls within seconds), so its e-mails are in the outbox at
        once; whatever waited before goes with them. A request that queued none (a page,
        the sign-in, the clock) delivers nothing: letters a test queued by invoking a
        function itself wait for its own ``drain_deliveries`` (localdrain55).

        A delivery that fails is no failure of the request: deployed, the delivery runs
        apart and the caller has its answer (an upload taken, a payment started); a 500
        would tell a sandbox user to retry what was done (a second PUT of an upload URL
        gets 412). So the request keeps its answer, and the failure is said in its
        ``X-Sandbox-Delivery-Failed`` header (the error's type only: its text may quote
        the message) and, traceback included, on the server's console; the undelivered
        letters stay in the queue. Before, the exception dropped the connection: the
        caller got no answer at all."""
        if self.sandbox.deliveries_queued <= queued_before:
            return None
        try:
            self.sandbox.drain_deliveries()
        except Exception as error:  # noqa: BLE001 - reported in the answer and the log
            sys.stderr.write("  letter delivery failed; the letters stay queued:\n")
            traceback.print_exc(file=sys.stderr)
            return f"{type(error).__name__}; the letters stay queued, see the server log"
        return None

    # --- sandbox-only routes ----------------------------------------------------------

    def _local(
        self, method: str, path: str, body: bytes, headers: dict[str, str], query: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        if method == "GET" and path == "/_local/tokens":
            return _json(HTTPStatus.OK, self.tokens())
        if method == "POST" and path == "/_local/clock":
            return self._set_clock(body)
        if path == "/_local/sign-in":
            return self._sign_in_page(method, query, body)
        if method == "GET" and path == "/_local/outbox":
            return _json(HTTPStatus.OK, [_outbox_entry(m) for m in self.sandbox.outbox()])
        if method == "GET" and path == "/_local/print":
            letters = self.sandbox.printed_letters()
            return _json(HTTPStatus.OK, [self._print_entry(letter) for letter in letters])
        if method == "GET" and path.startswith(PRINTED_PDF):
            return self._printed_pdf(path.removeprefix(PRINTED_PDF))
        if method == "PUT" and path.startswith("/_local/uploads/"):
            return self._upload(path.removeprefix("/_local/uploads/"), body, headers, query)
        if path.startswith("/_local/psp/checkout/"):
            return self._checkout_page(method, path.removeprefix("/_local/psp/checkout/"), body)
        if method == "POST" and path.startswith("/_local/psp/payments/"):
            return self._complete_payment(path.removeprefix("/_local/psp/payments/"), body)
        if method == "POST" and path == "/_local/bank-statements":
            name = f"{self.sandbox.clock.today().isoformat()}-{secrets.token_hex(3)}.xml"
            return _json(HTTPStatus.OK, self.sandbox.upload_bank_statement(body, name))
        if method == "POST" and path == "/_local/schedules/dunning":
            return self._run_schedule(self.sandbox.run_dunning, body)
        if method == "POST" and path == "/_local/schedules/retrocession":
            return self._run_schedule(self.sandbox.run_retrocession, body)
        return _json(HTTPStatus.NOT_FOUND, _error("not_found", "no such sandbox route"))

    def _print_entry(self, letter: dict[str, str]) -> dict[str, str]:
        """A letter of the print batches as /_local/print lists it: its key as a link."""
        key = letter["key"]
        link = f"{self.sandbox.base_url}{PRINTED_PDF}{key.removeprefix('print/')}"
        return {k: v for k, v in letter.items() if k != "key"} | {"pdf_url": link}

    def _printed_pdf(self, batch_and_file: str) -> tuple[int, dict[str, str], bytes]:
        """A PDF of a print batch (``{day}/{provider}/{file}.pdf``), as the print house has it."""
        key = f"print/{batch_and_file}"
        try:
            pdf = self.sandbox.output_object(key) if key.endswith(".pdf") else None
        except FileGone:
            pdf = None
        if pdf is None:
            return _json(HTTPStatus.NOT_FOUND, _error("not_found", "no such PDF in a print batch"))
        return HTTPStatus.OK.value, {"Content-Type": "application/pdf"}, pdf

    def _run_schedule(
        self, run: Callable[[date | None], dict[str, Any]], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        """A scheduled function, now: ``{"as_of": "YYYY-MM-DD"}`` replays that day."""
        try:
            as_of_text = json.loads(body or b"{}").get("as_of")
            as_of = date.fromisoformat(as_of_text) if as_of_text else None
        except (ValueError, AttributeError, TypeError):
            return _json(
                HTTPStatus.BAD_REQUEST,
                _error("validation_error", 'send {} or {"as_of": "YYYY-MM-DD"}'),
            )
        answer = run(as_of)
        if "refused" in answer:  # e.g. a day after the sandbox's today (issue 12 item 6)
            return _json(HTTPStatus.UNPROCESSABLE_ENTITY, _error("refused", answer["refused"]))
        return _json(HTTPStatus.OK, answer)

    # --- the stand-in for the Cognito hosted UI (the portal's sign-in) ----------------------

    def _sign_in_page(
        self, method: str, query: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        sign_in = self.sandbox.sign_in
        if method == "POST":
            form = dict(parse_qsl(body.decode("utf-8", "replace")))
            back = sign_in.choose(
                form.get("email", ""), form.get("state", ""), form.get("code_challenge", "")
            )
            if back is None:
                return _json(HTTPStatus.BAD_REQUEST, _error("validation_error", "no such user"))
            return HTTPStatus.SEE_OTHER.value, {"Location": back}, b""
        page = sign_in.page(query.get("state", ""), query.get("code_challenge", ""))
        return HTTPStatus.OK.value, {"Content-Type": "text/html; charset=utf-8"}, page.encode()

    # --- the fake iDEAL checkout (a PSP's test mode) -------------------------------------

    def _checkout_page(
        self, method: str, payment_id: str, body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        psp = self.sandbox.runtime.psp
        try:
            payment = psp.get_payment(payment_id)
        except LookupError:
            return _json(HTTPStatus.NOT_FOUND, _error("not_found", "no such payment"))
        if method == "POST":
            status = dict(parse_qsl(body.decode("utf-8", "replace"))).get("status", "canceled")
            self._complete(payment_id, status)
            return HTTPStatus.SEE_OTHER.value, {"Location": psp.redirect_url(payment_id)}, b""
        return (
            HTTPStatus.OK.value,
            {"Content-Type": "text/html; charset=utf-8"},
            _checkout_html(payment_id, payment.amount_cents, psp.description(payment_id)).encode(),
        )

    def _complete_payment(self, payment_id: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        try:
            status = json.loads(body or b"{}")["status"]
            webhook = self._complete(payment_id, status)
        except (ValueError, KeyError, TypeError) as problem:
            return _json(
                HTTPStatus.BAD_REQUEST,
                _error(
                    "validation_error",
                    f'send {{"status": "paid" | "canceled" | "expired"}} for an open payment ({type(problem).__name__})',
                ),
            )
        except LookupError:
            return _json(HTTPStatus.NOT_FOUND, _error("not_found", "no such payment"))
        return _json(
            HTTPStatus.OK,
            {"payment_id": payment_id, "status": status, "webhook_status": webhook["statusCode"]},
        )

    def _complete(self, payment_id: str, status: str) -> dict[str, Any]:
        """Set the final status and fire the webhook at /webhooks/psp, as Mollie would."""
        return self.sandbox.complete_psp_payment(payment_id, status)

    def _set_clock(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
        try:
            today = date.fromisoformat(json.loads(body or b"{}")["today"])
        except (ValueError, KeyError, TypeError):
            return _json(
                HTTPStatus.BAD_REQUEST, _error("validation_error", 'send {"today": "YYYY-MM-DD"}')
            )
        self.sandbox.clock.set(today)
        return _json(HTTPStatus.OK, {"today": today.isoformat()})

    def _upload(
        self, key: str, body: bytes, headers: dict[str, str], query: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        """Stands in for the presigned S3 PUT (adapters/uploads.py): a URL only for an
        upload's own key (a declaration under incoming/, a retour file under retour/), with
        its signed headers, else 403 as S3 answers a signature that does not match; the
        object is written with If-None-Match: *, so a second PUT gets S3's own 412."""
        parts = key.split("/")
        record = None
        if len(parts) == 4 and parts[0] in ("incoming", "retour"):
            record = self.sandbox.runtime.repository.get_declaration(parts[1], parts[2])
        if record is None or record.object_key != key:
            return _json(HTTPStatus.FORBIDDEN, _error("forbidden", "this upload URL is not valid"))
        signed_size = query.get("content-length")
        if headers.get("if-none-match") != "*" or signed_size not in (None, str(len(body))):
            message = "send the upload_headers the upload URL came with (they are signed)"
            return _json(HTTPStatus.FORBIDDEN, _error("forbidden", message))
        put = self.sandbox.put_retour if parts[0] == "retour" else self.sandbox.put_upload
        try:
            put(key, body, once=True)
        except ClientError as error:
            if error.response["Error"]["Code"] != "PreconditionFailed":
                raise
            message = "this upload URL took its file already: ask for a new one"
            return _json(HTTPStatus.PRECONDITION_FAILED, _error("precondition_failed", message))
        return HTTPStatus.OK, {"Content-Length": "0"}, b""

    # --- the API, behind the emulated Cognito authorizer --------------------------------

    def _api(
        self,
        method: str,
        path: str,
        raw_query: str,
        sent: list[tuple[str, str]],
        body: bytes,
        source_ip: str,
    ) -> tuple[int, dict[str, str], bytes]:
        """As API Gateway (REST API, Lambda proxy) passes a request on for template.yaml
        (``proxy_event``); a method or path no route takes gets the API's own answer."""
        route = self.sandbox.routes.match(method, unquote(path))
        if route is None:
            return _from_lambda(copy.deepcopy(self.sandbox.routes.unrouted))
        caller = None
        if not route.public:
            authorization = next((v for k, v in sent if k.lower() == "authorization"), "")
            caller = self._caller_from(authorization)
            if caller is None:  # with the headers of the deployed gateway's 401
                status, headers, answer = _json(
                    HTTPStatus.UNAUTHORIZED,
                    _error(
                        "unauthorized", "send Authorization: Bearer <token from /_local/tokens>"
                    ),
                )
                return status, headers | self.sandbox.routes.unauthorized_headers, answer
        event = proxy_event(
            method,
            path,
            raw_query,
            sent,
            body,
            resource=route.path,
            path_parameters=route.parameters(unquote(path)),
            claims=caller.claims() if caller is not None else None,
            source_ip=source_ip,
        )
        return _from_lambda(self.sandbox.invoke(route.function, event))

    def tokens(self) -> dict[str, str]:
        return {who: self._token(who) for who in self._callers()}

    def _caller_from(self, authorization: str) -> Caller | None:
        token = authorization.removeprefix("Bearer ").strip()
        return next(
            (
                caller
                for who, caller in self._callers().items()
                if secrets.compare_digest(self._token(who), token)
            ),
            None,
        )

    def _callers(self) -> dict[str, Caller]:
        """Who a token speaks for: a disabled user's token stops working, as in Cognito."""
        callers = {
            p.provider_id: Caller.practice(p.provider_id, "admin") for p in self.sandbox.providers
        }
        callers["operator"] = Caller.operator()
        callers |= {u.email: Caller.user(u) for u in self.sandbox.users() if u.enabled}
        return callers

    def _token(self, who: str) -> str:
        return self._issued.setdefault(who, f"sandbox-{secrets.token_urlsafe(18)}")


# What API Gateway answers for a Lambda proxy answer it cannot read (it logs "Malformed
# Lambda proxy response") and for a function that crashed; and the fields and types it
# reads of an answer: any other is that answer.
_INTERNAL_SERVER_ERROR = (
    HTTPStatus.BAD_GATEWAY.value,
    {"Content-Type": "application/json"},
    b'{"message": "Internal server error"}',
)
_PROXY_ANSWER_FIELDS = frozenset(
    {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"}
)


def malformed(answer: Any) -> str | None:
    """Why API Gateway's REST API could not read ``answer`` as a Lambda proxy answer, or
    None: a mapping of those five fields only, an int status, a text body, text header
    values (lists of text in ``multiValueHeaders``), a boolean base64 flag."""
    if not isinstance(answer, dict):
        return "not an object"
    if extra := set(answer) - _PROXY_ANSWER_FIELDS:
        return f"fields {sorted(extra)}"
    if not isinstance(answer.get("statusCode"), int) or isinstance(answer["statusCode"], bool):
        return "statusCode not an integer"
    if not isinstance(answer.get("body") or "", str):
        return "body not text"
    if not isinstance(answer.get("isBase64Encoded", False), bool):
        return "isBase64Encoded not a boolean"
    for name, value in (answer.get("headers") or {}).items():
        if not isinstance(value, str):
            return f"header {name} not text"
    for name, values in (answer.get("multiValueHeaders") or {}).items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return f"multi-value header {name} not a list of text"
    return None


def _from_lambda(answer: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    """The HTTP answer API Gateway makes of a function's answer; 502 for one it cannot read."""
    problem = malformed(answer)
    if problem is not None:
        sys.stderr.write(f"  Malformed Lambda proxy response: {problem}\n")
        return _INTERNAL_SERVER_ERROR
    headers = {k: v for k, v in (answer.get("headers") or {}).items()}
    for name, values in (answer.get("multiValueHeaders") or {}).items():
        # Set-Cookie values hold commas (Expires=Wed, 02 Dec ...): one line each.
        headers[name] = "\n".join(values) if name.lower() == "set-cookie" else ", ".join(values)
    raw = answer.get("body") or ""
    body = base64.b64decode(raw) if answer.get("isBase64Encoded") else raw.encode()
    return answer["statusCode"], headers, body


def _crashed(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    """The answer to a request whose function (or sandbox route) raised: API Gateway's 502
    for a Lambda that crashed, so a sandbox user sees what a deployed client would; the
    traceback on the server's console, as CloudWatch would have it. Before, the exception
    dropped the connection: the caller got no answer at all (RemoteDisconnected)."""
    sys.stderr.write(f"  {method} {path} raised: answered 502, as API Gateway does\n")
    traceback.print_exc(file=sys.stderr)
    return _INTERNAL_SERVER_ERROR


def _outbox_entry(message: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in message.items() if k != "attachments"} | {
        "attachments": [a["filename"] for a in message["attachments"]]
    }


def _checkout_html(payment_id: str, amount_cents: int, description: str) -> str:
    """The fake bank page: no real money, two buttons (forms, no JavaScript)."""
    from html import escape

    from billing_core.shared.money import format_euros

    buttons = "".join(
        f'<form method="post"><input type="hidden" name="status" value="{status}">'
        f'<button type="submit" id="{status}">{label}</button></form>'
        for status, label in (
            ("paid", "Betalen"),
            ("canceled", "Annuleren"),
            ("expired", "Laten verlopen"),
        )
    )
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>iDEAL (sandbox)</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body{font:17px system-ui;max-width:30rem;margin:2rem auto;padding:0 1rem}"
        "button{font:inherit;margin:.4rem 0;padding:.6rem 1.2rem}</style></head><body>"
        f"<h1>iDEAL — sandbox</h1><p>{escape(description)}: <strong>{format_euros(amount_cents)}</strong></p>"
        f"<p>Betaling {escape(payment_id)}. Er gaat geen echt geld over.</p>{buttons}</body></html>"
    )


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def _json(status: HTTPStatus, payload: Any) -> tuple[int, dict[str, str], bytes]:
    return (
        status.value,
        {"Content-Type": "application/json"},
        json.dumps(payload, ensure_ascii=False, indent=2, default=str).encode(),
    )


def make_request_handler(server: SandboxServer) -> type[BaseHTTPRequestHandler]:
    class RequestHandler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._reply(
                    *_json(
                        HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _error("too_large", "body too large")
                    )
                )
                return
            body = self.rfile.read(length) if length else b""
            sent = list(self.headers.items())  # as the client sent them: case, repeats
            self._reply(*server.handle(self.command, self.path, sent, body, self.client_address[0]))

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        def _reply(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                if name.lower() != "content-length":
                    for line in value.split("\n"):
                        self.send_header(name, line)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
            sys.stderr.write(
                f"  {self.command} {self.path.split('?')[0]} -> {args[1] if len(args) > 1 else ''}\n"
            )

    return RequestHandler


def main(host: str = HOST, port: int = PORT) -> None:
    from local.seed import SAMPLE_USERS, SANDBOX_TODAY

    with Sandbox(SANDBOX_TODAY, base_url=f"http://{host}:{port}") as sandbox:
        server = SandboxServer(sandbox)
        http = ThreadingHTTPServer((host, port), make_request_handler(server))
        print(
            f"zorgnota sandbox on http://{host}:{port}  (today is {sandbox.clock.today()}; Ctrl-C stops)"
        )
        print("bearer tokens (GET /_local/tokens):")
        for who, token in server.tokens().items():
            print(f"  {who:22} {token}")
        print(f"provider portal: http://{host}:{port}/portal/  sample logins (a click signs in):")
        for user in SAMPLE_USERS:
            print(f"  {user.email:44} {user.role.value:7} {user.provider_id}")
        try:
            http.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            http.server_close()


if __name__ == "__main__":
    main(port=int(sys.argv[1]) if len(sys.argv) > 1 else PORT)
