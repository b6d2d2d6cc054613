"""`make serve` over real HTTP: tokens, upload URL, plain PUT, report, outbox, clock (interfaces.md §5)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from billing_core.invoices.invoice import Channel
from local.generate import declaration_csv
from local.seed import SAMPLE_USERS


def call(method, url, body=None, token=None, content_type="application/json", headers=None):
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            raw = answer.read()
            return answer.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_a_practice_uploads_with_curl_and_reads_its_report(server):
    # Given the sandbox's bearer token for the dental practice
    status, tokens = call("GET", f"{server}/_local/tokens")
    token = tokens["tandarts-de-vries"]
    # When it asks for an upload URL and PUTs the file there with the headers it was given,
    # with any Content-Type
    status, ticket = call(
        "POST", f"{server}/api/v1/provider/declarations", {"file_name": "week-47.csv"}, token
    )
    assert status == 201 and ticket["upload_url"].startswith(server)
    assert ticket["upload_headers"] == {"If-None-Match": "*"}
    status, _ = call(
        "PUT",
        ticket["upload_url"],
        declaration_csv(6),
        content_type="application/octet-stream",
        headers=ticket["upload_headers"],
    )
    assert status == 200
    # Then the report is there at once, and the e-mails are in the outbox
    status, report = call(
        "GET", f"{server}/api/v1/provider/declarations/{ticket['declaration_id']}", token=token
    )
    assert status == 200 and report["status"] == "processed"
    status, outbox = call("GET", f"{server}/_local/outbox")
    assert len(outbox) == report["summary"]["invoices_by_channel"]["email"] > 0
    assert {"to", "subject", "text", "html", "time", "kenmerk"} <= set(outbox[0])
    # And the URL takes no second upload: S3's own 412 (issue 13 item 1), or 403 without
    # the signed header
    headers = ticket["upload_headers"]
    status, body = call("PUT", ticket["upload_url"], b"claim_ref\n", headers=headers)
    assert status == 412 and body["error"]["code"] == "precondition_failed"
    status, body = call("PUT", ticket["upload_url"], b"claim_ref\n")
    assert status == 403 and body["error"]["code"] == "forbidden"


def test_no_token_or_another_token_gets_nothing(server):
    """Given no token, when a provider route is asked, then 401 "unauthorized" with the
    headers of template.yaml's UNAUTHORIZED gateway response, as deployed: not stored by a
    cache, not sniffed (interfaces.md §2)."""
    status, body = call("GET", f"{server}/api/v1/provider/declarations")
    assert status == 401 and body["error"]["code"] == "unauthorized"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{server}/api/v1/provider/declarations", timeout=30)
    assert refused.value.headers["Cache-Control"] == "no-store"
    assert refused.value.headers["X-Content-Type-Options"] == "nosniff"
    assert refused.value.headers["Content-Type"] == "application/json"
    status, body = call("GET", f"{server}/api/v1/provider/declarations", token="sandbox-forged")
    assert status == 401


def test_the_clock_can_be_set(server):
    status, body = call("POST", f"{server}/_local/clock", {"today": "2027-01-05"})
    assert (status, body) == (200, {"today": "2027-01-05"})
    status, body = call("POST", f"{server}/_local/clock", {"today": "5 januari"})
    assert status == 400 and body["error"]["code"] == "validation_error"


def test_the_fake_psp_and_the_bank_statement_routes(running_server):
    # Given an e-mailed invoice in the sandbox
    from billing_core.invoices.invoice import Channel
    from tests.unit.camt_builder import credit, statement

    sandbox, server = running_server.sandbox, running_server.url
    sandbox.upload_declaration("tandarts-de-vries", "week-47.csv", declaration_csv(6))
    invoices = sandbox.runtime.repository.list_invoices("tandarts-de-vries")[0]
    paid_by_ideal, paid_by_bank = [i for i in invoices if i.channel is Channel.EMAIL][:2]
    # When one patient pays through the fake iDEAL and the other by bank transfer
    status, checkout = call(
        "POST",
        f"{server}/api/v1/invoices/{paid_by_ideal.reference}/payments",
        {"birth_date": paid_by_ideal.birth_date.isoformat()},
    )
    assert status == 201
    status, done = call(
        "POST", f"{server}/_local/psp/payments/{checkout['payment_id']}", {"status": "paid"}
    )
    assert (status, done["webhook_status"]) == (200, 200)
    camt = statement(
        credit(paid_by_bank.amount_due_cents, scor=paid_by_bank.reference, reference="E2E-1")
    )
    status, imported = call(
        "POST", f"{server}/_local/bank-statements", camt, content_type="application/xml"
    )
    assert status == 200 and imported["imported"][0]["booked"] == 1
    # Then both show paid in the checker
    for invoice in (paid_by_ideal, paid_by_bank):
        status, body = call("GET", f"{server}/api/v1/payment-status/{invoice.reference}")
        assert body["status"] == "paid"
    status, body = call(
        "POST", f"{server}/_local/psp/payments/{checkout['payment_id']}", {"status": "paid"}
    )
    assert status == 400  # a final payment stays final


def test_the_operator_and_every_user_created_through_the_api_get_a_token(server):
    # Given the operator's token
    _, tokens = call("GET", f"{server}/_local/tokens")
    users = f"{server}/api/v1/operator/providers/tandarts-de-vries/users"
    # When the operator invites a staff member of the dental practice
    body = {"email": "balie@example.org", "role": "staff"}
    assert call("POST", users, body, tokens["operator"])[0] == 201
    # Then that user has a token under its e-mail, carrying its role
    _, tokens = call("GET", f"{server}/_local/tokens")
    staff = tokens["balie@example.org"]
    assert call("GET", f"{server}/api/v1/provider/invoices", token=staff)[0] == 200
    status, body = call("GET", f"{server}/api/v1/provider/settings", token=staff)
    assert (status, body["error"]["code"]) == (403, "role_too_low")
    # And a practice's token is no operator's
    practice = tokens["tandarts-de-vries"]
    assert call("GET", f"{server}/api/v1/operator/providers", token=practice)[0] == 403
    # And once disabled, the user's token stops working
    assert call("DELETE", f"{users}/balie@example.org", token=tokens["operator"])[0] == 200
    assert call("GET", f"{server}/api/v1/provider/invoices", token=staff)[0] == 401


def test_only_a_request_that_queues_letters_has_them_delivered(running_server):
    """interfaces.md §5, R35 (localdrain55: the server delivered every queued letter after
    any request but a GET: setting the clock, the portal's sign-in, a refused POST; so a
    letter a run had queued went out whenever anyone next signed in).
    Given letters the ingest queued, invoked directly, not delivered
    When the clock is set, a POST without a token is refused, and a user signs in to the
    portal through the sandbox's sign-in page
    Then none of them went: the outbox is empty
    When the practice uploads a file through its upload URL
    Then that request delivers: its letters and those that waited are in the outbox."""
    sandbox, server = running_server.sandbox, running_server.url
    sandbox.upload_declaration("tandarts-de-vries", "week-47.csv", declaration_csv(6))
    waiting = len(emailed_invoices(sandbox))
    assert waiting > 0

    assert call("POST", f"{server}/_local/clock", {"today": "2026-11-24"})[0] == 200
    assert call("POST", f"{server}/api/v1/provider/declarations", {"file_name": "x.csv"})[0] == 401
    assert urlsplit(sign_in(server, SAMPLE_USERS[0].email)).path == "/portal/callback"
    assert call("GET", f"{server}/_local/outbox") == (200, [])

    token = call("GET", f"{server}/_local/tokens")[1]["tandarts-de-vries"]
    body = {"file_name": "week-48.csv"}
    _, ticket = call("POST", f"{server}/api/v1/provider/declarations", body, token)
    week_48 = declaration_csv(6, seed=48).replace(b"\nR", b"\nS")  # new claims
    assert call("PUT", ticket["upload_url"], week_48, headers=ticket["upload_headers"])[0] == 200
    _, outbox = call("GET", f"{server}/_local/outbox")
    assert len(outbox) == len(emailed_invoices(sandbox)) > waiting


def emailed_invoices(sandbox) -> list:
    from billing_core.invoices.invoice import Channel

    invoices, _ = sandbox.runtime.repository.list_invoices("tandarts-de-vries")
    return [i for i in invoices if i.channel is Channel.EMAIL]


def sign_in(server: str, email: str) -> str:
    """The sandbox's sign-in page, as a browser uses it: where it sends the browser back
    to (the portal's callback, which a browser would then open)."""
    with urllib.request.urlopen(f"{server}/portal/login", timeout=30) as hosted_ui:
        asked = dict(parse_qsl(urlsplit(hosted_ui.geturl()).query))
    form = urlencode({"email": email} | {k: asked[k] for k in ("state", "code_challenge")})
    request = urllib.request.Request(f"{server}/_local/sign-in", form.encode(), method="POST")
    try:
        urllib.request.build_opener(_NoRedirect).open(request, timeout=30)
    except urllib.error.HTTPError as answer:
        assert answer.code == 303
        return answer.headers["Location"]
    raise AssertionError("the sign-in page did not send the browser back")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_: object) -> None:
        return None


def test_the_print_batches_list_each_paper_letter_with_a_link_to_its_pdf(running_server):
    """interfaces.md §5 (GET /_local/print), R7, R30 (print56: the route the spec promises
    answered 404, so a sandbox user saw no paper invoice).
    Given a week with patients without an e-mail address, their invoices delivered
    When the sandbox user asks for the print batches
    Then each paper invoice is listed once, in today's batch of its practice, with its
    kenmerk, its kind and a link that answers its PDF
    And a file no batch holds is 404, and the deployed API routes no /_local path."""
    sandbox, server = running_server.sandbox, running_server.url
    sandbox.upload_declaration("tandarts-de-vries", "week-47.csv", declaration_csv(20))
    sandbox.drain_deliveries()
    invoices, _ = sandbox.runtime.repository.list_invoices("tandarts-de-vries")
    on_paper = sorted(i.reference for i in invoices if i.channel is Channel.PAPER)
    assert on_paper  # the week has patients without an e-mail address

    status, letters = call("GET", f"{server}/_local/print")

    assert status == 200
    assert sorted(letter["kenmerk"] for letter in letters) == on_paper
    today = sandbox.clock.today().isoformat()
    for letter in letters:
        assert letter["kind"] == "invoice"
        assert letter["batch"] == f"{today}/tandarts-de-vries"
        assert letter["pdf_url"] == f"{server}/_local/print/{letter['batch']}/{letter['file']}"
        status, content_type, pdf = fetch(letter["pdf_url"])
        assert (status, content_type) == (200, "application/pdf")
        assert pdf.startswith(b"%PDF")
    missing = f"{server}/_local/print/{today}/tandarts-de-vries/00000000000000.pdf"
    assert fetch(missing)[0] == 404
    # (template.yaml: the patient pages' /{proxy+} takes it, and its function knows no such page)
    for deployed in ("/_local/print", f"/_local/print/{letters[0]['batch']}/{letters[0]['file']}"):
        assert sandbox.api("GET", deployed)[0] == 404


def test_a_delivery_that_fails_still_answers_the_request_and_says_so(running_server, monkeypatch):
    """interfaces.md §5, R35 (print56: the exception of the delivery after a request that
    queued letters dropped the connection: the caller got no answer, though its upload was
    taken and processed).
    Given a delivery that fails
    When the practice uploads a file through its upload URL (a request that queues letters)
    Then the upload gets its own answer, 200, with a header saying the delivery failed
    And the upload was processed, and its letters wait in the queue."""
    sandbox, server = running_server.sandbox, running_server.url

    def failing_delivery() -> int:
        raise RuntimeError("delivery failed for message (a test's)")

    monkeypatch.setattr(sandbox, "drain_deliveries", failing_delivery)
    token = call("GET", f"{server}/_local/tokens")[1]["tandarts-de-vries"]
    body = {"file_name": "week-47.csv"}
    _, ticket = call("POST", f"{server}/api/v1/provider/declarations", body, token)
    put = urllib.request.Request(
        ticket["upload_url"], declaration_csv(6), ticket["upload_headers"], method="PUT"
    )

    with urllib.request.urlopen(put, timeout=30) as answer:
        status, failed = answer.status, answer.headers["X-Sandbox-Delivery-Failed"]

    assert status == 200
    assert failed == "RuntimeError; the letters stay queued, see the server log"
    report_url = f"{server}/api/v1/provider/declarations/{ticket['declaration_id']}"
    assert call("GET", report_url, token=token)[1]["status"] == "processed"
    monkeypatch.undo()
    invoices, _ = sandbox.runtime.repository.list_invoices("tandarts-de-vries")
    assert sandbox.drain_deliveries() == len(invoices)  # one letter each, none lost


def fetch(url: str) -> tuple[int, str, bytes]:
    """A GET's status, Content-Type and body, as they came."""
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, answer.headers["Content-Type"], answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_a_request_that_raises_gets_api_gateways_502_and_the_server_goes_on(
    running_server, monkeypatch, capsys
):
    """interfaces.md §5 (localerr56: an exception of the request itself, its function's or
    a sandbox route's, dropped the connection: the client got RemoteDisconnected, where a
    deployed client gets API Gateway's answer to a Lambda that crashed).
    Given the function behind the practice's declarations list, and the sandbox's outbox,
    both raising
    When the practice asks for its declarations, and the sandbox user for the outbox
    Then each gets 502 {"message": "Internal server error"}, as from API Gateway
    And the traceback is on the server's console
    And the server answers the next request as before."""
    sandbox, server = running_server.sandbox, running_server.url
    token = call("GET", f"{server}/_local/tokens")[1]["tandarts-de-vries"]
    declarations = f"{server}/api/v1/provider/declarations"
    route = sandbox.routes.match("GET", "/api/v1/provider/declarations")

    def crash(*_: object) -> None:
        raise RuntimeError("the function crashed (a test's)")

    monkeypatch.setattr(sandbox.handler(route.function), "lambda_handler", crash)
    monkeypatch.setattr(sandbox, "outbox", crash)

    crashed = {"message": "Internal server error"}
    assert call("GET", declarations, token=token) == (502, crashed)
    assert call("GET", f"{server}/_local/outbox") == (502, crashed)
    assert capsys.readouterr().err.count("RuntimeError: the function crashed (a test's)") == 2
    monkeypatch.undo()
    assert call("GET", declarations, token=token)[0] == 200
    assert call("GET", f"{server}/_local/outbox") == (200, [])
