"""The provider portal over the sandbox server, without a browser (R35, R32, R26, issue 16).

Sign-in is the code flow with PKCE against the sandbox's stand-in for the hosted UI; the
session is a signed cookie; every form carries the session's CSRF token, and a form that
changes something a one-time key of its own (R38).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from html import unescape
from http import HTTPStatus
from urllib.parse import parse_qsl, quote_plus, urlsplit

import pytest

from billing_core.adapters.dynamo import keys
from billing_core.collection.debtor_risk import Outcome
from billing_core.declarations import reports
from billing_core.declarations.csv_format import COLUMNS, SEPARATOR
from billing_core.declarations.csv_template import template_csv
from billing_core.entrypoints.web.portal import pages
from billing_core.invoices.access import BirthDate
from billing_core.invoices.invoice import Channel, Invoice
from billing_core.invoices.ledger import EntryKind
from billing_core.providers.actions import ACTION_ID_MAX_LENGTH
from billing_core.providers.provider import Provider
from billing_core.services.patient import file_objection
from billing_core.services.provider import declarations
from billing_core.shared.money import percentage_of
from local.generate import declaration_csv
from local.sandbox import Caller, Sandbox
from local.seed import DENTAL, PHYSIO, SAMPLE_USERS
from local.server import SandboxServer
from tests.functional.conftest import MONDAY_AFTER_W48 as MONDAY
from tests.functional.conftest import SAMPLES
from tests.functional.form_fields import form_fields, marked_invalid
from tests.functional.stored_items import actions_looked_up
from tests.functional.test_operator_api import plant_legacy_provider
from tests.functional.test_upload_size_caps import unknown_insurer_csv


def sample_login(provider: Provider, role: str) -> str:
    """The sample user of this practice in this role (local/seed.py SAMPLE_USERS)."""
    return next(
        u.email for u in SAMPLE_USERS if u.provider_id == provider.provider_id and u.role == role
    )


class PortalUser:
    """A browser in miniature: follows the sign-in, keeps cookies, reads forms' tokens."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.server = SandboxServer(sandbox)
        self.cookies: dict[str, str] = {}
        self.set_cookies: dict[str, list[str]] = {}  # the attributes each was last set with

    def request(
        self, method: str, target: str, body: bytes = b"", content_type: str = ""
    ) -> tuple[int, dict[str, str], str]:
        headers = {"cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["content-type"] = content_type
        status, answer_headers, answer = self.server.handle(method, target, headers, body)
        for line in filter(None, answer_headers.get("Set-Cookie", "").split("\n")):
            name, _, rest = line.partition("=")
            value, *attributes = [part.strip() for part in rest.split(";")]
            self.set_cookies[name] = attributes
            if value:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return status, answer_headers, answer.decode("utf-8", "replace")

    def sign_in(self, email: str) -> None:
        _, to_hosted_ui, _ = self.request("GET", "/portal/login")
        asked = dict(parse_qsl(urlsplit(to_hosted_ui["Location"]).query))
        chosen = f"email={email}&state={asked['state']}&code_challenge={asked['code_challenge']}"
        _, back, _ = self.request("POST", "/_local/sign-in", chosen.encode())
        callback = urlsplit(back["Location"])
        status, _, html = self.request("GET", f"{callback.path}?{callback.query}")
        assert status == HTTPStatus.OK and 'content="0; url=/portal/"' in html

    def page(self, path: str) -> tuple[int, str]:
        status, _, html = self.request("GET", path)
        return status, html

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str], str]:
        body = "&".join(f"{k}={v}" for k, v in fields.items()).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def csrf(self) -> str:
        _, html = self.page("/portal/")
        return re.search(r'name="csrf" value="([^"]+)"', html).group(1)

    def form(self, page: str, action: str) -> dict[str, str]:
        """The hidden fields of the (first) form on ``page`` that posts to ``action``, as
        the browser sends them: the CSRF token, the form's one-time key, a version."""
        _, html = self.page(page)
        return hidden_fields(html, action)


def console_of_a_crash(send: Callable[[], tuple[int, dict[str, str], str]]) -> str:
    """What the server's console says of a request whose function raised, once its answer
    is asserted to be API Gateway's to a Lambda that crashed (localerr56: before, the
    exception went through the server and dropped the browser's connection)."""
    console = io.StringIO()
    with contextlib.redirect_stderr(console):
        status, _, body = send()
    assert (status, json.loads(body)) == (502, {"message": "Internal server error"})
    return console.getvalue()


def signed_in(sandbox: Sandbox, role: str, language: str) -> PortalUser:
    """Given the dental practice's sample user in ``role`` signed in to the portal, reading
    it in ``language`` (the language switch, /portal/taal/..)."""
    user = PortalUser(sandbox)
    user.sign_in(sample_login(DENTAL, role))
    user.request("GET", f"/portal/taal/{language}")
    return user


def post_forms(html: str) -> list[tuple[str, str]]:
    """(action, content) of every form on the page that posts."""
    return re.findall(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', html, re.S)


def hidden_fields(html: str, action: str) -> dict[str, str]:
    content = next(inside for target, inside in post_forms(html) if target == action)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', content))


def object_to(
    sandbox,
    invoice,
    message: str = "Ik had een afspraak over de prijs.",
    reply_to: str = "bezwaar@example.org",
) -> None:
    """The patient's objection to ``invoice`` about its amount, as the checker files it
    (R16): an open action for the practice."""
    file_objection(
        invoice.reference,
        BirthDate(invoice.birth_date),
        "amount",
        message,
        reply_to,
        sandbox.runtime.patient_context(),
    )


def staff_on_an_objections_action(
    sandbox: Sandbox, invoice: Invoice, language: str
) -> tuple[PortalUser, str, str]:
    """Given a patient's objection to ``invoice``, open on the action list, and staff
    signed in reading the list in ``language``: (staff, the action's id, the list page)."""
    object_to(sandbox, invoice)
    staff = signed_in(sandbox, "staff", language)
    _, html = staff.page("/portal/acties")
    (action_id,) = re.findall(r'action="/portal/acties/([^"]+)"', html)
    return staff, action_id, html


def test_without_a_session_every_page_sends_the_browser_to_sign_in(sandbox):
    status, headers, _ = PortalUser(sandbox).request("GET", "/portal/notas")
    assert (status, headers["Location"]) == (HTTPStatus.SEE_OTHER, "/portal/login")


@pytest.mark.parametrize("cookie", ["zn_portal", "zn_sign_in"])
def test_a_cookie_with_a_character_outside_ascii_is_no_session_not_a_crash(sandbox, cookie):
    """R32, R35 (audit security50): a cookie is whatever a browser sends. Given a session
    or sign-in cookie whose signature holds a non-ASCII character ("é": not one of
    base64's) / When a page, a form and the sign-in callback are asked with it / Then it
    opens nothing, as any forged cookie: the sign-in, the session-expired page, a refused
    callback; never the function's failure (5xx, an error in the log)."""
    user = PortalUser(sandbox)
    user.cookies[cookie] = "eyJwIjoiYSJ9.sign\u00e9d"
    status, headers, _ = user.request("GET", "/portal/notas")
    assert (status, headers["Location"]) == (HTTPStatus.SEE_OTHER, "/portal/login")
    status, _, _ = user.post("/portal/acties/act-unknown", {"csrf": "x", "state": "done"})
    assert status == HTTPStatus.UNAUTHORIZED
    status, _, _ = user.request("GET", "/portal/callback?code=c&state=s")
    assert status == HTTPStatus.UNAUTHORIZED


def test_the_session_cookie_is_httponly_secure_and_strict(sandbox):
    user = PortalUser(sandbox)
    user.sign_in(sample_login(DENTAL, "staff"))
    assert set(user.set_cookies["zn_portal"]) >= {"HttpOnly", "Secure", "SameSite=Strict"}
    status, headers, html = user.request("GET", "/portal/")
    assert status == HTTPStatus.OK and "Ingelogd" in html
    assert "script-src" not in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "max-age" in headers["Strict-Transport-Security"]


def test_a_callback_with_a_forged_state_or_a_reused_code_signs_nobody_in(sandbox):
    user = PortalUser(sandbox)
    _, to_hosted_ui, _ = user.request("GET", "/portal/login")
    asked = dict(parse_qsl(urlsplit(to_hosted_ui["Location"]).query))
    chosen = f"email={sample_login(DENTAL, 'admin')}&state={asked['state']}&code_challenge={asked['code_challenge']}"
    _, back, _ = user.request("POST", "/_local/sign-in", chosen.encode())
    code = dict(parse_qsl(urlsplit(back["Location"]).query))["code"]
    status, _, _ = user.request("GET", f"/portal/callback?code={code}&state=forged")
    assert status == HTTPStatus.UNAUTHORIZED and "zn_portal" not in user.cookies


def test_a_session_ends_when_it_expires(sandbox):
    user = PortalUser(sandbox)
    user.sign_in(sample_login(DENTAL, "viewer"))
    sandbox.clock.set(sandbox.clock.today() + timedelta(days=1))
    status, headers, _ = user.request("GET", "/portal/")
    assert (status, headers["Location"]) == (HTTPStatus.SEE_OTHER, "/portal/login")


def test_a_disabled_user_is_out_at_the_next_request_and_stops_nothing(
    sandbox, emailed_dental_invoices
):
    """R32, interfaces.md §7 "DELETE …/users/{email} | disable the user" (audit security
    D2): the session the user opened before counts no more."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    target = emailed_dental_invoices[0]
    path, fields = stop_form(staff, target, scope="full")  # the invoice page still open
    # When the practice admin disables the staff member through the API
    admin = Caller.practice(DENTAL.provider_id, "admin", user_id="the-admin")
    status, _ = sandbox.api(
        "DELETE", f"/api/v1/provider/users/{sample_login(DENTAL, 'staff')}", caller=admin
    )
    assert status == HTTPStatus.OK
    # Then their next page goes to the sign-in, their next form is answered that it was
    # not processed (audit portal3 PORTAL3-2), and the stop is not booked
    status, headers, _ = staff.request("GET", f"/portal/notas/{target.invoice_id}")
    assert (status, headers["Location"]) == (HTTPStatus.SEE_OTHER, "/portal/login")
    status, _, html = staff.post(path, fields)
    assert status == HTTPStatus.UNAUTHORIZED and 'href="/portal/login"' in html
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, target.invoice_id)
    assert stored.amount_due_cents == target.amount_due_cents


def test_a_user_given_a_lower_role_loses_its_rights_at_the_next_request(
    sandbox, emailed_dental_invoices
):
    """R32 "A role too low → 403" (audit security D2): staff made viewer holds nothing."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    target = emailed_dental_invoices[0]
    hold = {"until": (sandbox.clock.today() + timedelta(days=14)).isoformat()}
    page = f"/portal/notas/{target.invoice_id}"
    hold |= {"reason": "bezwaar"} | staff.form(page, f"{page}/hold")  # the page still open
    # When the practice admin makes them a viewer
    admin = Caller.practice(DENTAL.provider_id, "admin", user_id="the-admin")
    status, _ = sandbox.api(
        "PATCH",
        f"/api/v1/provider/users/{sample_login(DENTAL, 'staff')}",
        caller=admin,
        body={"role": "viewer"},
        headers={"Content-Type": "application/json"},
    )
    assert status == HTTPStatus.OK
    # Then the page offers no stop, and the hold form posted anyway is refused
    _, html = staff.page(f"/portal/notas/{target.invoice_id}")
    assert 'id="stop-form"' not in html and 'id="read-only"' in html
    assert staff.post(f"/portal/notas/{target.invoice_id}/hold", hold)[0] == HTTPStatus.FORBIDDEN
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, target.invoice_id)
    assert stored.hold_until is None


def test_signing_out_ends_the_session_for_a_copy_of_the_cookie_too(sandbox):
    """Audit security D2: sign-out ends the session on the server, not just in the browser."""
    user = PortalUser(sandbox)
    user.sign_in(sample_login(DENTAL, "viewer"))
    copied = PortalUser(sandbox)
    copied.cookies = dict(user.cookies)
    # When the user signs out
    status, _, _ = user.post("/portal/logout", {"csrf": user.csrf()})
    assert status == HTTPStatus.OK and "zn_portal" not in user.cookies
    # Then the copy taken before opens nothing
    status, headers, _ = copied.request("GET", "/portal/notas")
    assert (status, headers["Location"]) == (HTTPStatus.SEE_OTHER, "/portal/login")
    # And signing in again opens a new session
    user.sign_in(sample_login(DENTAL, "viewer"))
    assert user.page("/portal/notas")[0] == HTTPStatus.OK


@pytest.mark.parametrize(
    "altered",
    [{"csrf": "guessed"}, {"form_key": ""}],
    ids=["another-token", "no-form-key"],
)
def test_a_form_without_the_sessions_token_changes_nothing(
    sandbox, emailed_dental_invoices, altered
):
    """CSRF: a POST whose token is missing or another session's is 403, the hold not set.
    R38: so is a change form without its one-time key (a page from before the keys)."""
    user = PortalUser(sandbox)
    user.sign_in(sample_login(DENTAL, "staff"))
    target = emailed_dental_invoices[0]
    path = f"/portal/notas/{target.invoice_id}/hold"
    until = (sandbox.clock.today() + timedelta(days=14)).isoformat()
    fields = user.form(f"/portal/notas/{target.invoice_id}", path) | altered
    status, _, _ = user.post(path, fields | {"until": until, "reason": "bezwaar"})
    assert status == HTTPStatus.FORBIDDEN
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, target.invoice_id)
    assert stored.hold_until is None


def test_a_viewer_sees_no_stop_form_and_a_forged_stop_is_refused(sandbox, emailed_dental_invoices):
    """R32: the viewer reads; a stop posted anyway (with a genuine token) is 403."""
    viewer = PortalUser(sandbox)
    viewer.sign_in(sample_login(DENTAL, "viewer"))
    target = emailed_dental_invoices[0]
    _, html = viewer.page(f"/portal/notas/{target.invoice_id}")
    assert 'id="stop-form"' not in html and 'id="read-only"' in html
    fields = {"scope": "full", "reason": "goodwill", "accept_terms": "yes", "csrf": viewer.csrf()}
    fields |= {"patient_email": target.addressee.email, "form_key": "made-up-by-the-viewer"}
    status, _, _ = viewer.post(f"/portal/notas/{target.invoice_id}/stop", fields)
    assert status == HTTPStatus.FORBIDDEN
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, target.invoice_id)
    assert stored.amount_due_cents == target.amount_due_cents


def test_another_practice_cannot_open_an_invoice_by_its_url(sandbox, emailed_dental_invoices):
    """R26: provider B gets the very page an unknown id gets."""
    other = PortalUser(sandbox)
    other.sign_in(sample_login(PHYSIO, "admin"))
    status, html = other.page(f"/portal/notas/{emailed_dental_invoices[0].invoice_id}")
    unknown_status, unknown = other.page("/portal/notas/00000000-0000-0000-0000-000000000000")
    assert status == unknown_status == HTTPStatus.NOT_FOUND
    assert emailed_dental_invoices[0].reference not in html and html == unknown
    _, found = other.page(f"/portal/notas?kenmerk={emailed_dental_invoices[0].reference}")
    assert 'id="no-invoices"' in found


def stop_form(staff: PortalUser, invoice, **typed: str) -> tuple[str, dict[str, str]]:
    """The invoice page's stop form as the staff member sends it: its hidden fields, the
    terms accepted, the address checked, and what they ``typed``."""
    page = f"/portal/notas/{invoice.invoice_id}"
    fields = staff.form(page, f"{page}/stop") | {"reason": "goodwill", "accept_terms": "yes"}
    return f"{page}/stop", fields | {"patient_email": invoice.addressee.email} | typed


def coulance_booked(sandbox, invoice) -> list[int]:
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id)
    return [e.amount_cents for e in stored.ledger if e.kind is EntryKind.COULANCE]


def test_staff_stops_a_quarter_of_an_invoice(sandbox, emailed_dental_invoices):
    """R21 through the form: 25% of the original amount, the terms accepted. Done, the
    answer is the invoice page by a redirect (POST/redirect/GET): a reload sends nothing."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    target = emailed_dental_invoices[0]
    path, fields = stop_form(staff, target, scope="partial", percentage="25")
    status, headers, _ = staff.post(path, fields)
    done = f"/portal/notas/{target.invoice_id}?done=stopped"
    assert (status, headers["Location"]) == (HTTPStatus.SEE_OTHER, done)
    assert "De stop is geboekt." in staff.page(done)[1]
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, target.invoice_id)
    quarter = int((Decimal(target.original_amount_cents) / 4).quantize(Decimal(1), ROUND_HALF_UP))
    assert stored.amount_due_cents == target.amount_due_cents - quarter
    # And once the patient is e-mailed, the page's letters say the confirmation was the
    # e-mail itself (R21: no new invoice, nothing attached), where they said "sent by
    # e-mail as an attachment, no copy kept" (audit58a)
    sandbox.drain_deliveries()
    _, html = staff.page(f"/portal/notas/{target.invoice_id}")
    letters = re.findall(r"<li>([^<]*)—\s*([^<]*)</li>", html.split('id="letters"', 1)[1])
    assert [(kind.split(": ", 1)[1], said) for kind, said in letters] == [
        (
            "bevestiging verlaagd bedrag (e-mail) ",
            "per e-mail verstuurd: het bericht zelf, zonder bijlage",
        )
    ]


def test_a_stop_form_sent_twice_books_one_coulance(sandbox, emailed_dental_invoices):
    """R38 "Safe retries for people and programs … same key and body → the first answer
    again, no second effect"; R21 a stop "cannot be changed or undone afterwards" (audit
    provider D1): a double click, or a reload that sends the form again, books nothing
    twice."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    target = emailed_dental_invoices[0]
    # Given the stop form of the invoice page, filled in for 25%
    path, fields = stop_form(staff, target, scope="partial", percentage="25")
    # When the browser sends it twice
    first, again = staff.post(path, fields), staff.post(path, fields)
    # Then the second answer is the first, and one coulance is booked
    assert first[0] == HTTPStatus.SEE_OTHER and again[:2] == first[:2]
    quarter = int((Decimal(target.original_amount_cents) / 4).quantize(Decimal(1), ROUND_HALF_UP))
    assert coulance_booked(sandbox, target) == [-quarter]
    # And a new form of the page (a key of its own) is a new stop
    path, fields = stop_form(staff, target, scope="partial", percentage="25")
    assert staff.post(path, fields)[0] == HTTPStatus.SEE_OTHER
    assert coulance_booked(sandbox, target) == [-quarter, -quarter]


def test_a_form_key_sent_with_other_values_changes_nothing(sandbox, emailed_dental_invoices):
    """R38 (as the API's 422): the key of a form that was sent, with other values (the
    browser's back button, the form changed), is refused, and nothing is booked."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    target = emailed_dental_invoices[0]
    path, fields = stop_form(staff, target, scope="partial", percentage="25")
    assert staff.post(path, fields)[0] == HTTPStatus.SEE_OTHER
    status, _, html = staff.post(path, fields | {"percentage": "50"})
    assert status == HTTPStatus.UNPROCESSABLE_ENTITY and "al eerder verstuurd" in html
    assert len(coulance_booked(sandbox, target)) == 1


@pytest.mark.parametrize(
    ("page", "action", "typed"),
    [
        (
            "/portal/instellingen",
            "/portal/instellingen/aanmanen",
            {"days_to_reminder": "10", "days_to_handover": "21", "max_invoices_per_letter": "5"},
        ),
        (
            "/portal/instellingen",
            "/portal/instellingen/gebruikers/uitnodigen",
            {"email": "nieuw@example.org", "role": "staff"},
        ),
    ],
)
def test_a_settings_form_sent_twice_is_done_once(sandbox, page, action, typed):
    """R38, R31, R32: the second sending gets the first answer again, not the refusal of
    a stale version or of a colleague invited already."""
    admin = PortalUser(sandbox)
    admin.sign_in(sample_login(DENTAL, "admin"))
    before = sandbox.runtime.repository.get_provider(DENTAL.provider_id).version
    fields = admin.form(page, action) | typed
    first, again = admin.post(action, fields), admin.post(action, fields)
    assert first[0] == HTTPStatus.SEE_OTHER and again[:2] == first[:2]
    changed = sandbox.runtime.repository.get_provider(DENTAL.provider_id).version - before
    invited = [
        u.email
        for u in sandbox.runtime.user_directory.users_of(DENTAL.provider_id)
        if u.email == "nieuw@example.org"
    ]
    assert (changed, len(invited)) == ((1, 0) if "aanmanen" in action else (0, 1))


def test_every_form_that_changes_something_carries_a_key_of_its_own(
    sandbox, emailed_dental_invoices
):
    """R38: every change form of every page the admin sees (stop, hold, the actions, the
    settings, the colleagues, the upload) has a one-time key, no two the same; the
    search and the sign-out only read or end the session."""
    objected = emailed_dental_invoices[1]
    object_to(sandbox, objected)
    admin = PortalUser(sandbox)
    admin.sign_in(sample_login(DENTAL, "admin"))
    admin.post(
        "/portal/instellingen/gebruikers/uitnodigen",
        admin.form("/portal/instellingen", "/portal/instellingen/gebruikers/uitnodigen")
        | {"email": "nieuw@example.org", "role": "staff"},
    )  # a colleague, so that the page has the forms of a colleague's role too
    pages = ["/portal/declaraties", f"/portal/notas/{objected.invoice_id}", "/portal/acties"]
    forms = [
        f for page in [*pages, "/portal/instellingen"] for f in post_forms(admin.page(page)[1])
    ]
    changes = [(action, inside) for action, inside in forms if action not in READING_FORMS]
    keys = [re.search(r'name="form_key" value="([^"]+)"', inside) for _, inside in changes]
    assert {action.rsplit("/", 1)[-1] for action, _ in changes} >= {
        "declaraties",
        "stop",
        "hold",
        "rol",
        "uitschakelen",
        "uitnodigen",
        "contact",
        "aanmanen",
        "coulance",
    }
    assert any(action.startswith("/portal/acties/") for action, _ in changes)
    assert all(keys) and len({k[1] for k in keys}) == len(keys)


READING_FORMS = ("/portal/notas", "/portal/logout")


def test_r16_r35_staff_read_an_objection_in_the_portal(sandbox, emailed_dental_invoices):
    """R16, R23, R35 (audit REQUESTS5): given a patient's objection with a message that
    holds markup and an address to answer to, when staff open the actions and the
    invoice, then both show the reason, the message as text (escaped, never markup) and
    the address, as the API's action does."""
    objected = emailed_dental_invoices[1]
    message = "Ik had een afspraak over de prijs <b>van 40 euro</b>."
    object_to(sandbox, objected, message, "antwoord@example.org")
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))

    for page in ("/portal/acties", f"/portal/notas/{objected.invoice_id}"):
        _, html = staff.page(page)
        assert "<dt>Reden</dt><dd>Het bedrag</dd>" in html, page
        assert "<b>van 40 euro</b>" not in html, page
        assert "Ik had een afspraak over de prijs &lt;b&gt;van 40 euro&lt;/b&gt;." in html, page
        assert '<a href="mailto:antwoord@example.org">antwoord@example.org</a>' in html, page


# What a row of the action list says an action asks of the practice, per language (R23).
ASKS = {
    "nl": {
        "call": "Te doen Bel uw patiënt eventueel zelf: zo krijgt die nog een kans om de nota te"
        " betalen voordat het incassobureau contact opneemt.",
        "open": "Open bij overdracht € 106,98",
        "minor": "Stuur ons de naam en het adres van een ouder of voogd",
        "quote": "Wat Het behandelplan is hoger dan € 250 en er is geen begroting vastgelegd;"
        " de nota is wel verstuurd. Regels C11 € 23,50 · X10 € 17,54",
    },
    "en": {
        "call": "To do Consider calling your patient yourself: that gives them one more chance to"
        " pay the invoice before the collection agency contacts them.",
        "open": "Due at handover €106.98",
        "minor": "Send us the name and address of a parent or guardian",
        "quote": "What The treatment plan is above €250 and no price quote was recorded; the"
        " invoice was sent all the same. Lines C11 €23.50 · X10 €17.54",
    },
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_r23_each_action_row_says_what_it_asks_of_the_practice(
    sandbox, emailed_dental_invoices, language
):
    """R23, R35, seed 002 advice 6 (audit59f: a claim handed to the collection agency and a
    minor's invoice without a parent were listed by their kind alone, "Overdracht incasso",
    "Minderjarige zonder debiteur": not what to do, nor what was owed, though the minor's
    action carries its sentence for the API in both languages).
    Given the dunning run's "call your patient" action of an invoice handed over with
    € 106,98 open, and the upload's action of a minor's invoice addressed to the child
    When staff open the open actions in Dutch and in English
    Then the handover's row says what was open at the handover and to call the patient
    before the agency does, and the minor's row what to send; and given the upload's
    action of a dental plan above € 250 without a price quote, its row says so and names
    the lines with their amounts."""
    from billing_core.declarations.ingest import (
        _minor_without_debtor_actions,
        _missing_quote_actions,
    )
    from billing_core.declarations.rules.line_rules import PRICE_QUOTE_MISSING
    from billing_core.dunning.run import _call_your_patient
    from tests.functional.test_ses_events import action_row

    minor, handed = sorted(emailed_dental_invoices[:2], key=lambda i: i.patient_ref)
    now = sandbox.clock.now()
    call = _call_your_patient(replace(handed, handed_over_on=now.date()), now.date(), now)
    (send,) = _minor_without_debtor_actions(minor, frozenset({minor.patient_ref}))
    (quote,) = _missing_quote_actions(replace(minor, warnings=(PRICE_QUOTE_MISSING,)))
    for action in (call, send, quote):
        sandbox.runtime.repository.put_action(action)
    said = ASKS[language]

    _, html = signed_in(sandbox, "staff", language).page("/portal/acties?state=open")

    assert said["call"] in action_row(html, call.action_id)
    assert said["open"] in action_row(html, call.action_id)
    assert said["minor"] in action_row(html, send.action_id)
    assert said["quote"] in action_row(html, quote.action_id)


# Ids no route takes (functions/provider_api/routes/actions.py answers them 400): too long
# (DynamoDB refuses a key past 1024 bytes as invalid: a 500, by reading), a space, an accent,
# a sign no action id holds.
MALFORMED_ACTION_IDS = [
    "x" * (ACTION_ID_MAX_LENGTH + 1),
    "y" * 1100,
    "\u00e9" * 600,
    "objection-a%20b",  # "objection-a b" once decoded
    "objection-a%23b",  # '#' once decoded: in no action id (audit edges51)
    "objection-a%3Fb",  # '?'
    "caf%C3%A9",
]


def test_a_malformed_action_id_answers_the_not_found_page_without_a_read(
    sandbox, emailed_dental_invoices
):
    """interfaces.md §2, R23, R26 (audit bounce51c). Given a patient's objection, open on the
    action list, and staff signed in
    When staff send the action's form to an action address whose id no route takes
    Then the portal answers its not-found page, the very page an unknown action gets, as
    it does for a malformed invoice id (the API answers 400), and reads no action (before:
    each was looked up in the table; one past 1024 bytes is refused there as invalid)."""
    staff, action_id, html = staff_on_an_objections_action(
        sandbox, emailed_dental_invoices[1], "en"
    )
    fields = hidden_fields(html, f"/portal/acties/{action_id}") | {"state": "done"}
    repository = sandbox.runtime.repository
    looked_up = actions_looked_up(repository)

    def posted(path_id: str) -> tuple[int, str]:
        once = fields | {"form_key": secrets.token_hex(8)}
        status, _, answer = staff.post(f"/portal/acties/{path_id}", once)
        return status, answer

    unknown = posted("objection-unknown")
    assert unknown[0] == HTTPStatus.NOT_FOUND and looked_up == ["objection-unknown"]
    for malformed in MALFORMED_ACTION_IDS:
        assert posted(malformed) == unknown, malformed
    assert looked_up == ["objection-unknown"]
    stored = repository.get_action(DENTAL.provider_id, action_id)
    assert stored.state.value == "open"
    _, listed = staff.page("/portal/acties")
    assert f'action="/portal/acties/{action_id}"' in listed


# Invoice ids no route takes (functions/provider_api/routes/invoices.py answers them 400):
# longer or shorter than a UUID, past DynamoDB's 1024 bytes, capitals, a space, an accent.
MALFORMED_INVOICE_IDS = ["x" * 37, "y" * 1100, "\u00e9" * 600, "A" * 36, "a%20b", "caf%C3%A9"]
# Upload ids no route takes (routes/declarations.py answers them 400).
MALFORMED_DECLARATION_IDS = ["x" * 65, "y" * 1100, "\u00e9" * 600, "a%20b", "a_b", "caf%C3%A9"]


def test_a_malformed_invoice_or_upload_id_answers_the_not_found_page_without_a_read(
    sandbox, emailed_dental_invoices
):
    """interfaces.md §2, R26, R35 (audit edges51). Given staff signed in on an invoice's
    page, with its stop and hold forms
    When they open an invoice, one of its letters or an upload's report, or send a stop or a
    hold, at an address whose id no route takes
    Then the portal answers its not-found page, the very page a well-formed unknown id gets,
    and reads no invoice or upload (before: each was looked up in the table; one past 1024
    bytes is a key DynamoDB refuses as invalid: a 500), as it does for an action id."""
    invoice = emailed_dental_invoices[0]
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    page = f"/portal/notas/{invoice.invoice_id}"
    until = (sandbox.clock.today() + timedelta(days=14)).isoformat()
    forms = {
        "stop": staff.form(page, f"{page}/stop")
        | {"scope": "full", "reason": "goodwill", "accept_terms": "yes"},
        "hold": staff.form(page, f"{page}/hold") | {"until": until, "reason": "bezwaar"},
    }
    repository = sandbox.runtime.repository
    looked_up: list[str] = []
    for read_name in ("get_invoice", "get_declaration"):
        read = getattr(repository, read_name)

        def counted(provider_id: str, wanted: str, *more, _read=read, **named):
            looked_up.append(wanted)
            return _read(provider_id, wanted, *more, **named)

        setattr(repository, read_name, counted)

    def answers(invoice_id: str, declaration_id: str) -> list[tuple[int, str]]:
        """The portal's answer at each address with these ids (a new form key a change)."""
        pages = [
            staff.page(f"/portal/notas/{invoice_id}"),
            staff.page(f"/portal/notas/{invoice_id}/brieven/0"),
            staff.page(f"/portal/declaraties/{declaration_id}"),
        ]
        changes = [
            staff.post(
                f"/portal/notas/{invoice_id}/{change}",
                fields | {"form_key": secrets.token_hex(8)},
            )
            for change, fields in forms.items()
        ]
        return pages + [(status, html) for status, _, html in changes]

    unknown_invoice, unknown_declaration = "0" * 8 + invoice.invoice_id[8:], "unknown-upload"
    unknown = answers(unknown_invoice, unknown_declaration)
    assert {status for status, _ in unknown} == {HTTPStatus.NOT_FOUND}
    assert looked_up.count(unknown_invoice) >= 4 and unknown_declaration in looked_up
    looked_up.clear()
    for invoice_id, declaration_id in zip(
        MALFORMED_INVOICE_IDS, MALFORMED_DECLARATION_IDS, strict=True
    ):
        assert answers(invoice_id, declaration_id) == unknown, (invoice_id, declaration_id)
    assert looked_up == []
    assert staff.page(page)[0] == HTTPStatus.OK


@pytest.mark.parametrize("language, none_said", [("nl", "Geen acties."), ("en", "No actions.")])
def test_r35_a_refused_change_of_an_action_keeps_the_list_on_the_page(
    sandbox, emailed_dental_invoices, language, none_said
):
    """R35, R23 (audit portal7 P7-1; WCAG 3.3.1): a refused change of an action said why
    above an empty list, "Geen acties.", while the action was still open.
    Given a patient's objection, open on the action list
    When staff send its form with a decision it cannot take (it is no coulance proposal),
    in Dutch or English
    Then the page says why in that language, the action is still open and still listed
    under the refusal, with its form, and the page does not say there are no actions;
    409, as every portal form answers a refusal of the services (stop 45 forms2)."""
    staff, action_id, html = staff_on_an_objections_action(
        sandbox, emailed_dental_invoices[1], language
    )
    target = f"/portal/acties/{action_id}"

    status, _, html = staff.post(target, hidden_fields(html, target) | {"decision": "apply"})

    assert status == HTTPStatus.CONFLICT  # a refusal of the services, as on every form
    error = re.search(r'<div class="alert" role="alert" id="error"[^>]*>(.*?)</div>', html).group(1)
    assert (
        error
        == {
            "nl": "Niet gelukt: Deze actie is geen coulancevoorstel.",
            "en": "Not done: This action is not a coulance proposal.",
        }[language]
    )
    stored = sandbox.runtime.repository.get_action(DENTAL.provider_id, action_id)
    assert stored.state.value == "open"
    assert none_said not in html
    assert f'<tr id="action-{action_id}"' in html and f'action="{target}"' in html


@pytest.mark.parametrize(
    "language, forged, said",
    [
        (
            "nl",
            {"state": "gesloten"},
            "Het formulier is niet goed ingevuld: Stand: open of afgehandeld.",
        ),
        (
            "en",
            {"decision": "misschien"},
            "The form is not filled in correctly: Decision: apply coulance or decline.",
        ),
        (
            "nl",
            {"state": "x", "decision": "y"},
            "Het formulier is niet goed ingevuld: Stand: open of afgehandeld;"
            " Beslissing: coulance toepassen of afwijzen.",
        ),
    ],
)
def test_r35_a_forged_action_form_is_refused_on_the_action_page(
    sandbox, emailed_dental_invoices, language, forged, said
):
    """R35, R23, WCAG 3.3.1, interfaces.md §2 (400 validation) (stop 45 forms2 item 1).
    Given an objection open on the action list
    When staff send its form with a ``state`` or ``decision`` the page can never send (a
    tampered request), in Dutch or English
    Then the answer is 400 with the action page (not the generic 404 page), its error
    names every such field by what the form may send, as the other portal forms name a
    field, the action is still listed with its form, and nothing was changed."""
    staff, action_id, html = staff_on_an_objections_action(
        sandbox, emailed_dental_invoices[1], language
    )
    target = f"/portal/acties/{action_id}"

    status, _, html = staff.post(target, hidden_fields(html, target) | forged)

    assert status == HTTPStatus.BAD_REQUEST
    error = re.search(r'<div class="alert" role="alert" id="error"[^>]*>(.*?)</div>', html).group(1)
    assert unescape(error) == said
    assert f'<tr id="action-{action_id}"' in html and f'action="{target}"' in html
    stored = sandbox.runtime.repository.get_action(DENTAL.provider_id, action_id)
    assert (stored.state.value, "decision" in stored.details) == ("open", False)


def test_r32_a_forged_action_form_of_a_viewer_is_refused_by_the_role(
    sandbox, emailed_dental_invoices
):
    """R32 (stop 45 forms2 item 1). Given an objection open on the action list
    When a viewer (no action forms on the page) sends a made-up form with an unknown state
    Then the role's refusal answers it (403), as it answers the viewer's genuine form,
    before what the form says is judged; the action stays open."""
    object_to(sandbox, emailed_dental_invoices[1])
    viewer = PortalUser(sandbox)
    viewer.sign_in(sample_login(DENTAL, "viewer"))
    (action,) = sandbox.runtime.repository.list_actions(DENTAL.provider_id)
    action_id = action.action_id
    form = {"csrf": viewer.csrf(), "form_key": "viewer-made-up", "state": "gesloten"}

    status, _, _ = viewer.post(f"/portal/acties/{action_id}", form)

    assert status == HTTPStatus.FORBIDDEN
    stored = sandbox.runtime.repository.get_action(DENTAL.provider_id, action_id)
    assert stored.state.value == "open"


def test_sec5_3_an_objections_address_cannot_add_a_cc_to_the_staffs_reply(
    sandbox, emailed_dental_invoices
):
    """R16, R29, R35 (audit security5 SEC5-3). Given an objection filed by whoever knows
    the kenmerk and the birth date, its address to answer to made to look like one
    (is_plausible_email lets ? & = % through) with a cc, subject and body behind it
    When staff open the actions and the invoice
    Then the link writes to that text as one address: its ? & = % are escaped in the
    href, so the staff's mail program adds no cc to an address of the sender's choosing
    (before: mailto:...?cc=...&subject=... filled them in)."""
    objected = emailed_dental_invoices[1]
    address = "antwoord@example.org?cc=meelezer%40example.net&subject=Re&body=x"
    object_to(sandbox, objected, "Graag antwoord.", address)
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))

    for page in ("/portal/acties", f"/portal/notas/{objected.invoice_id}"):
        _, html = staff.page(page)
        [href] = re.findall(r'<a href="(mailto:[^"]*)">', html)
        assert unescape(href) == (
            "mailto:antwoord@example.org%3Fcc%3Dmeelezer%2540example.net%26subject%3DRe%26body%3Dx"
        ), page
        assert f">{unescape(address)}</a>" in unescape(html), page


def test_a_stop_of_a_fixed_amount_in_euros(sandbox, emailed_dental_invoices):
    """R21 "Part: a fixed amount or a percentage of the original invoice amount"; R35 the
    portal does all of R21 (audit provider D2): the amount as people type it, 5,00."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    target = emailed_dental_invoices[0]
    path, fields = stop_form(staff, target, scope="partial", amount="5,00")
    assert staff.post(path, fields)[0] == HTTPStatus.SEE_OTHER
    assert coulance_booked(sandbox, target) == [-500]
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, target.invoice_id)
    assert stored.amount_due_cents == target.amount_due_cents - 500


def test_a_part_needs_either_an_amount_or_a_percentage(sandbox, emailed_dental_invoices, subtests):
    """R21: both, neither, or an amount that is no euros is explained in the portal's
    words, the form filled in as it was; nothing is booked.
    (One world for every case, each a subtest: a refusal changes nothing.)"""
    for typed, status, said in [
        ({"amount": "5,00", "percentage": "25"}, HTTPStatus.CONFLICT, "óf het coulancebedrag"),
        ({}, HTTPStatus.CONFLICT, "óf het coulancebedrag"),
        (
            {"amount": "5,001"},
            HTTPStatus.BAD_REQUEST,
            "niet goed ingevuld: Coulancebedrag in euro (bij een deel): meer dan 0.",
        ),
        (
            {"amount": "-5"},
            HTTPStatus.BAD_REQUEST,
            "niet goed ingevuld: Coulancebedrag in euro (bij een deel): meer dan 0.",
        ),
    ]:
        with subtests.test(typed=typed, status=status, said=said):
            staff = PortalUser(sandbox)
            staff.sign_in(sample_login(DENTAL, "staff"))
            target = emailed_dental_invoices[0]
            path, fields = stop_form(staff, target, scope="partial", **typed)
            answer_status, _, html = staff.post(path, fields)
            assert answer_status == status and said in html
            form = next(inside for action, inside in post_forms(html) if action == path)
            for name, value in typed.items():
                assert f'name="{name}" inputmode="decimal" autocomplete="off"' in form
                assert f'value="{value}"' in form
            assert coulance_booked(sandbox, target) == []


def test_a_stop_without_the_terms_accepted_is_refused_with_the_reason(
    sandbox, emailed_dental_invoices
):
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    target = emailed_dental_invoices[0]
    path, fields = stop_form(staff, target, scope="full")
    fields.pop("accept_terms")
    status, _, html = staff.post(path, fields)
    assert status == HTTPStatus.CONFLICT and 'id="error"' in html


# --- The patient's address on the stop form (R21, R7) -------------------------------------


@pytest.fixture
def paper_invoice(sandbox):
    """An invoice of a patient without an e-mail address: sent on paper (R7)."""
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(20))
    sandbox.drain_deliveries()
    found, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
    return next(i for i in found if i.channel is Channel.PAPER and not i.addressee.email)


def test_a_paper_patients_invoice_is_stopped_with_the_address_left_empty(sandbox, paper_invoice):
    """R21, R7. Given an invoice of a patient without an e-mail address. When staff open
    its stop form. Then the address field is empty, described by a hint that the
    confirmation goes by post. When they send it so. Then the stop is booked (the
    redirect), without an address made up."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    page = f"/portal/notas/{paper_invoice.invoice_id}"
    _, html = staff.page(page)
    field = form_fields(html)["patient_email"]
    assert (field.get("value"), field.get("aria-describedby")) == ("", "email-hint")
    assert "geen e-mailadres bekend" in html and "per post" in html

    path, fields = stop_form(staff, paper_invoice, scope="partial", amount="5")
    status, headers, _ = staff.post(path, fields)

    assert (status, headers["Location"]) == (HTTPStatus.SEE_OTHER, f"{page}?done=stopped")
    assert coulance_booked(sandbox, paper_invoice) == [-500]


@pytest.mark.parametrize(
    ("typed", "status", "said"),
    [
        ("geen-adres", HTTPStatus.BAD_REQUEST, "niet goed ingevuld: E-mailadres van de patiënt"),
        ("", HTTPStatus.CONFLICT, "Vul het e-mailadres van de patiënt in: de nota heeft er een."),
    ],
)
def test_a_malformed_or_missing_address_is_marked_on_the_stop_form(
    sandbox, emailed_dental_invoices, typed, status, said
):
    """R21, R35, WCAG 3.3.1/4.1.2. Given an invoice with an address. When staff send the
    stop form with a malformed address, or none. Then it is refused saying why, the field
    marked invalid and described by its hint and the error, and nothing is booked."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    path, fields = stop_form(staff, emailed_dental_invoices[0], scope="partial", amount="5")

    answer, _, html = staff.post(path, fields | {"patient_email": typed})

    assert answer == status and said in unescape(html)
    assert marked_invalid(html) == {"patient_email"}
    assert form_fields(html)["patient_email"]["aria-describedby"] == "email-hint error"
    assert "Controleer het adres, of verbeter het" in html
    assert coulance_booked(sandbox, emailed_dental_invoices[0]) == []


def test_invoices_are_found_by_the_patients_name_as_typed_and_by_period(
    sandbox, emailed_dental_invoices
):
    """Issue 16, R35: no case or accents needed; the period is the invoice date. R29: the
    search form posts, so the name is in the body, never in the URL."""
    viewer = PortalUser(sandbox)
    viewer.sign_in(sample_login(DENTAL, "viewer"))
    target = emailed_dental_invoices[0]
    typed = target.patient.last_name.upper()
    issued = target.issue_date.isoformat()
    # When the viewer searches the last name in capitals, within the invoice's day
    search = {"name": typed, "from": issued, "to": issued, "csrf": viewer.csrf()}
    status, _, found = viewer.post("/portal/notas", search)
    # Then the invoice is listed on the answer itself, and a day later it is not
    assert status == HTTPStatus.OK and f"/portal/notas/{target.invoice_id}" in found
    later = (target.issue_date + timedelta(days=1)).isoformat()
    _, _, none = viewer.post("/portal/notas", search | {"from": later, "to": ""})
    assert 'id="no-invoices"' in none
    # And a period the wrong way round, or no date, is explained, not searched: 400, as
    # the API and the portal's other refusals answer (closing 14)
    for period in (f"from={later}&to={issued}", "from=gisteren"):
        status, wrong = viewer.page(f"/portal/notas?{period}")
        assert status == HTTPStatus.BAD_REQUEST and "de eerste niet na de tweede" in wrong
        assert 'id="no-invoices"' in wrong


def test_a_name_typed_without_its_own_letters_is_found_and_punctuation_is_explained(
    sandbox, emailed_dental_invoices
):
    """Audit INTERFACES1 (R35): Given an invoice of Wałęsa / When staff search "walesa" /
    Then the portal lists it and no other; When they search "-" / Then the form says to
    type a name and lists nothing (not every invoice)."""
    target = emailed_dental_invoices[0]
    renamed = replace(target, patient=replace(target.patient, last_name="Wałęsa"), debtor=None)
    sandbox.runtime.repository.save_invoice(renamed)
    viewer = PortalUser(sandbox)
    viewer.sign_in(sample_login(DENTAL, "viewer"))
    _, _, found = viewer.post("/portal/notas", {"name": "walesa", "csrf": viewer.csrf()})
    assert re.findall(r'href="/portal/notas/([0-9a-f-]{36})"', found) == [target.invoice_id]
    status, _, refused = viewer.post("/portal/notas", {"name": "-", "csrf": viewer.csrf()})
    assert status == HTTPStatus.BAD_REQUEST and 'id="no-invoices"' in refused
    assert "Typ een naam" in refused


def test_the_name_search_is_a_form_post_and_a_name_in_the_url_is_refused(
    sandbox, emailed_dental_invoices
):
    """R29 "never in URLs" (audit security D3): the search form posts with the session's
    CSRF token; a name put in the URL anyway is refused (400, the form says where a name
    goes), as the API refuses it (closing 14), not ignored as if the list were found."""
    viewer = PortalUser(sandbox)
    viewer.sign_in(sample_login(DENTAL, "viewer"))
    target = emailed_dental_invoices[0]
    _, html = viewer.page("/portal/notas")
    form = re.search(
        r'<form method="(\w+)" action="/portal/notas" class="search">(.*?)</form>', html, re.S
    )
    assert form[1] == "post" and 'name="csrf"' in form[2] and 'name="name"' in form[2]
    # A name in the URL is not searched: refused, with the search form to use instead
    status, by_url = viewer.page(f"/portal/notas?name={target.patient.last_name}")
    assert status == HTTPStatus.BAD_REQUEST and 'id="no-invoices"' in by_url
    assert "Zoek op naam met het formulier" in by_url and 'class="search"' in by_url
    # (the header names the practice, "Tandartspraktijk De Vries": not the patient)
    assert target.patient.last_name not in by_url.replace(DENTAL.name, "")
    # And the search without the session's token is refused
    status, _, _ = viewer.post("/portal/notas", {"name": target.patient.last_name})
    assert status == HTTPStatus.FORBIDDEN


def test_a_kenmerk_searched_in_the_form_opens_the_invoice(sandbox, emailed_dental_invoices):
    """The kenmerk is no name: found from the posted form as from a link's query; as
    pasted from a PDF or written with slashes too, as the API's list finds it (R35)."""
    viewer = PortalUser(sandbox)
    viewer.sign_in(sample_login(DENTAL, "viewer"))
    target = emailed_dental_invoices[0]
    status, headers, _ = viewer.post(
        "/portal/notas", {"kenmerk": target.reference, "csrf": viewer.csrf()}
    )
    assert (status, headers["Location"]) == (
        HTTPStatus.SEE_OTHER,
        f"/portal/notas/{target.invoice_id}",
    )
    status, headers, _ = viewer.request("GET", f"/portal/notas?kenmerk={target.reference}")
    assert headers["Location"] == f"/portal/notas/{target.invoice_id}"
    # as pasted from a PDF (narrow no-break spaces) or written with slashes (audit edges50)
    for separator in ("\u202f", "/"):
        pasted = separator.join(target.reference[i : i + 4] for i in range(0, 14, 4))
        form = {"kenmerk": pasted, "csrf": viewer.csrf()}
        status, headers, _ = viewer.post("/portal/notas", form)
        assert (status, headers["Location"]) == (
            HTTPStatus.SEE_OTHER,
            f"/portal/notas/{target.invoice_id}",
        )


@pytest.mark.parametrize(
    ("language", "said"), [("nl", "controleer de 14 cijfers"), ("en", "check the 14 digits")]
)
def test_a_malformed_kenmerk_is_said_on_the_form_not_answered_empty(
    sandbox, emailed_dental_invoices, language, said
):
    """Closing 14 (R35; the API's 400 naming reference): Given invoices / When staff look
    up a kenmerk that is not 14 digits with a right check digit, in the form or by a link
    / Then 400 and the form says to check the digits, not "no invoices" as if it were
    unknown."""
    viewer = signed_in(sandbox, "viewer", language)
    real = emailed_dental_invoices[0].reference
    wrong_check_digit = f"{(int(real[0]) + 1) % 10}{real[1:]}"
    for typed in ("1234", wrong_check_digit):
        form = {"kenmerk": typed, "csrf": viewer.csrf()}
        status, _, posted = viewer.post("/portal/notas", form)
        assert status == HTTPStatus.BAD_REQUEST and said in posted and 'id="error"' in posted
        status, linked = viewer.page(f"/portal/notas?kenmerk={typed}")
        assert status == HTTPStatus.BAD_REQUEST and said in linked


def test_a_refused_search_field_is_marked_invalid_and_described_by_the_error(
    sandbox, emailed_dental_invoices, subtests
):
    """R35, WCAG 3.3.1 and 4.1.2 (closing 14's search refusals; the change forms' pattern,
    _fields.html.j2).
    Given the invoice search form
    When staff search a kenmerk that is none, a name with no letters, a date that is none
    or a period the wrong way round (400)
    Then the field refused, and no other, is marked invalid, is described by the error
    besides its own hint, keeps what was typed, and the first of them takes the focus.
    (One world for every case, each a subtest: a refusal changes nothing.)"""
    for typed, wrong in [
        ({"kenmerk": "1234"}, ("kenmerk",)),
        ({"name": "-"}, ("name",)),
        ({"from": "gisteren"}, ("from",)),
        ({"from": "2026-11-01", "to": "31-11-2026"}, ("to",)),
        ({"from": "2026-11-30", "to": "2026-11-01"}, ("from", "to")),
    ]:
        with subtests.test(typed=typed, wrong=wrong):
            viewer = PortalUser(sandbox)
            viewer.sign_in(sample_login(DENTAL, "viewer"))
            status, _, html = viewer.post("/portal/notas", typed | {"csrf": viewer.csrf()})
            assert status == HTTPStatus.BAD_REQUEST and 'id="error"' in html
            fields = form_fields(html)
            assert marked_invalid(html) == set(wrong)
            for name in wrong:
                assert "error" in fields[name]["aria-describedby"].split()
                assert fields[name]["value"] == typed[name]
            assert fields["name"]["aria-describedby"].split()[0] == "name-hint"
            assert "autofocus" in fields[wrong[0]] and html.count("autofocus") == 1


def test_a_parameter_a_page_does_not_take_is_refused_and_named(
    sandbox, emailed_dental_invoices, subtests
):
    """Closing 14 (the API refuses a query parameter its route does not declare, audit
    INTERFACES2): Given invoices / When a portal page is asked with a parameter it does
    not take (typed by hand, or the API's name for it) / Then 400 naming it, not the page
    as if it had been understood.
    (One world for every case, each a subtest: a refusal changes nothing.)"""
    for path, unknown in [
        ("/portal/notas", "naam"),
        ("/portal/notas", "patient_ref"),
        ("/portal/declaraties", "kenmerk"),
        ("/portal/acties", "status"),
        ("/portal/uitbetalingen", "week"),
        ("/portal/", "x"),
    ]:
        with subtests.test(path=path, unknown=unknown):
            viewer = PortalUser(sandbox)
            viewer.sign_in(sample_login(DENTAL, "viewer"))
            status, html = viewer.page(f"{path}?{unknown}=1")
            assert status == HTTPStatus.BAD_REQUEST and f"‘{unknown}’" in html
            assert "Open de pagina via het menu" in html
            # And a form posted to an address with one is refused alike, before anything is read
            form = {"kenmerk": emailed_dental_invoices[0].reference, "csrf": viewer.csrf()}
            status, _, posted = viewer.post(f"/portal/notas?{unknown}=1", form)
            assert status == HTTPStatus.BAD_REQUEST and f"‘{unknown}’" in posted


def test_the_invoice_pdf_opens_from_the_invoice_page_as_an_attachment(
    sandbox, emailed_dental_invoices
):
    """Issue 16 (R30, R35): the letters' PDFs, tenant-checked and audited (NEN 7513)."""
    viewer = PortalUser(sandbox)
    viewer.sign_in(sample_login(DENTAL, "viewer"))
    target = emailed_dental_invoices[0]
    _, html = viewer.page(f"/portal/notas/{target.invoice_id}")
    link = f"/portal/notas/{target.invoice_id}/brieven/0"
    assert f'href="{link}"' in html
    # When the viewer follows the link of the invoice letter
    status, headers, pdf = viewer.request("GET", link)
    # Then the PDF comes as an attachment named for the patient
    assert (status, headers["Content-Type"]) == (HTTPStatus.OK, "application/pdf")
    assert headers["Content-Disposition"].startswith(
        f'attachment; filename="nota-{target.reference}'
    )
    assert pdf.startswith("%PDF")
    reads, _ = sandbox.runtime.audit_log.reads(
        DENTAL.provider_id,
        sandbox.clock.now() - timedelta(hours=1),
        sandbox.clock.now() + timedelta(hours=1),
        limit=100,
    )
    # naming its patient by number (R32, access52b)
    letter_read = f"{target.invoice_id}:0:invoice patient:{target.patient_ref}"
    assert [r.subject for r in reads if r.kind == "letter"] == [letter_read]
    # And another practice gets not found for the same link
    other = PortalUser(sandbox)
    other.sign_in(sample_login(PHYSIO, "admin"))
    assert other.page(link)[0] == HTTPStatus.NOT_FOUND


def test_the_declarations_page_links_the_csv_template_a_viewer_downloads(sandbox):
    """R40 ("the CSV columns documented with a downloadable template"; audit NEWCOMER16):
    practices work in the portal, not with curl.
    Given a signed-in viewer (who may not upload)
    When they open Declaraties and follow the template link
    Then a CSV downloads, named as the API names it, whose header is every column the
    reader knows (csv_format.COLUMNS), byte for byte the API's template."""
    viewer = PortalUser(sandbox)
    viewer.sign_in(sample_login(DENTAL, "viewer"))
    _, html = viewer.page("/portal/declaraties")
    [link] = re.findall(r'<a href="([^"]+\.csv)" download>', html)
    status, headers, body = viewer.request("GET", link)
    assert (status, headers["Content-Type"]) == (HTTPStatus.OK, "text/csv; charset=utf-8")
    assert headers["Content-Disposition"].startswith(
        'attachment; filename="zorgnota-declaraties-sjabloon.csv"'
    )
    header = body.removeprefix("\ufeff").splitlines()[0]
    assert header.split(SEPARATOR) == [column.name for column in COLUMNS]
    assert body.encode("utf-8") == template_csv()
    # And without a session it is the sign-in page, as every portal page
    assert PortalUser(sandbox).request("GET", link)[0] == HTTPStatus.SEE_OTHER


def test_a_letter_position_that_is_no_number_gets_the_not_found_page(
    sandbox, emailed_dental_invoices, subtests
):
    """ "²".isdigit() is True but int("²") raises (audit security D6), as int does for a
    number of 4,301 digits (audit edges51: a 500): the portal's 404.
    (One world for every case, each a subtest: a refusal changes nothing.)"""
    for position in ["%C2%B2", "%D9%A3", "-1", "x", "9" * 4301]:
        with subtests.test(position=position):
            viewer = PortalUser(sandbox)
            viewer.sign_in(sample_login(DENTAL, "viewer"))
            status, html = viewer.page(
                f"/portal/notas/{emailed_dental_invoices[0].invoice_id}/brieven/{position}"
            )
            assert status == HTTPStatus.NOT_FOUND and "<html" in html


def settings_form(user: PortalUser, version: int, **fields: str) -> dict[str, str]:
    """A settings form of the admin's page, editing ``version``."""
    hidden = user.form("/portal/instellingen", "/portal/instellingen/contact")
    return hidden | {"version": str(version), **fields}


def forged_form(user: PortalUser, **fields: str) -> dict[str, str]:
    """A form the page did not offer, posted with the session's token and a made-up key."""
    return {"csrf": user.csrf(), "form_key": f"made-up-{secrets.token_hex(8)}", **fields}


def test_the_admin_changes_the_dunning_policy_and_a_stale_form_is_refused(sandbox):
    """R31 through the portal: the settings API's validated, versioned change (409)."""
    admin = PortalUser(sandbox)
    admin.sign_in(sample_login(DENTAL, "admin"))
    version = sandbox.runtime.repository.get_provider(DENTAL.provider_id).version
    fields = {"days_to_reminder": "10", "days_to_handover": "21", "max_invoices_per_letter": "5"}
    # When the admin saves the dunning form
    status, headers, _ = admin.post(
        "/portal/instellingen/aanmanen", settings_form(admin, version, **fields)
    )
    # Then the policy is the new one, in the next version, and the page says so
    assert (status, headers["Location"]) == (
        HTTPStatus.SEE_OTHER,
        "/portal/instellingen?done=settings",
    )
    stored = sandbox.runtime.repository.get_provider(DENTAL.provider_id)
    assert (stored.version, stored.dunning.days_to_reminder) == (version + 1, 10)
    assert not stored.dunning.combine_reminders  # the box was not ticked
    assert "De instellingen zijn opgeslagen." in admin.page("/portal/instellingen?done=settings")[1]
    # And the same form again (the version it edited is gone) is refused, nothing changed
    status, _, html = admin.post(
        "/portal/instellingen/contact",
        settings_form(admin, version, email="x@example.org", phone="020 123 4567"),
    )
    assert status == HTTPStatus.CONFLICT and 'id="error"' in html and "x@example.org" in html
    # And a value out of bounds is explained, not saved
    status, _, html = admin.post(
        "/portal/instellingen/aanmanen",
        settings_form(admin, version + 1, **(fields | {"days_to_handover": "3"})),
    )
    assert status == HTTPStatus.BAD_REQUEST and "days_to_handover" in html
    assert sandbox.runtime.repository.get_provider(DENTAL.provider_id).version == version + 1
    # And a version that is a digit only to str.isdigit ("²") is a stale form, not a crash
    fields = settings_form(admin, version + 1, **fields) | {"version": "²"}
    assert admin.post("/portal/instellingen/aanmanen", fields)[0] == HTTPStatus.CONFLICT
    assert sandbox.runtime.repository.get_provider(DENTAL.provider_id).version == version + 1


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "nl",
            "Het formulier is niet goed ingevuld: Telefoon: Dit telefoonnummer heeft minder"
            " dan 8 cijfers: een Nederlands nummer heeft er 10, zoals 020 612 3456 of"
            " +31 20 612 3456.",
        ),
        (
            "en",
            "The form is not filled in correctly: Phone: This phone number has fewer than 8"
            " digits: a Dutch number has 10, like 020 612 3456 or +31 20 612 3456.",
        ),
    ],
)
def test_a_phone_with_fewer_than_8_digits_is_refused_by_the_contact_form_saying_why(
    sandbox, language, said
):
    """R31 (validated on write), R36 (printed on every letter), R35, WCAG 3.3.1; audit
    small57: the contact form saved "(--------)" as the practice's phone.
    Given the admin on the settings page, in Dutch or English
    When the contact form is sent with a phone of brackets and hyphens only
    Then 400: the error names the phone field and why, in the page's language, the field
    is marked invalid, and nothing is saved."""
    admin = signed_in(sandbox, "admin", language)
    before = sandbox.runtime.repository.get_provider(DENTAL.provider_id)
    form = settings_form(admin, before.version, email="info@example.org", phone="(--------)")

    status, _, html = admin.post("/portal/instellingen/contact", form)

    assert status == HTTPStatus.BAD_REQUEST
    error = re.search(r'<div class="alert" role="alert" id="error"[^>]*>(.*?)</div>', html).group(1)
    assert unescape(error) == said
    assert marked_invalid(html) == {"contact-phone"}
    assert sandbox.runtime.repository.get_provider(DENTAL.provider_id) == before


@pytest.mark.parametrize("role", ["staff", "viewer"])
def test_only_the_admin_changes_settings_and_users_a_forged_post_is_403(sandbox, role):
    """R32: staff and viewer see no settings; their forged POSTs change nothing. The page
    opened by its address says it is the admin's and whom to ask, not that a form expired
    and nothing was changed (audit59f: a bookmark of Instellingen or Inzage-log said
    "Dit formulier is verlopen ... Er is niets gewijzigd" where no form was sent)."""
    user = PortalUser(sandbox)
    user.sign_in(sample_login(DENTAL, role))
    before = sandbox.runtime.repository.get_provider(DENTAL.provider_id)
    for page in ("/portal/instellingen", "/portal/inzage"):
        status, html = user.page(page)
        assert status == HTTPStatus.FORBIDDEN
        assert (
            "Deze pagina is alleen voor de beheerders van uw praktijk. Moet u hier iets zien of"
            " wijzigen, vraag het dan een beheerder."
        ) in unescape(html)
        assert "formulier" not in unescape(html)
    user.request("GET", "/portal/taal/en")
    _, html = user.page("/portal/instellingen")
    assert (
        "This page is for your practice's admins only. If you need to see or change something"
        " here, ask an admin."
    ) in unescape(html)
    user.request("GET", "/portal/taal/nl")
    forged = forged_form(
        user, version=str(before.version), email="fraude@example.org", phone="0612345678"
    )
    assert user.post("/portal/instellingen/contact", forged)[0] == HTTPStatus.FORBIDDEN
    invite = forged_form(user, email="nieuw@example.org", role="admin")
    assert (
        user.post("/portal/instellingen/gebruikers/uitnodigen", invite)[0] == HTTPStatus.FORBIDDEN
    )
    assert sandbox.runtime.repository.get_provider(DENTAL.provider_id) == before
    listed = sandbox.runtime.user_directory.users_of(DENTAL.provider_id)
    assert "nieuw@example.org" not in [u.email for u in listed]


def test_the_admin_invites_a_colleague_changes_the_role_and_disables_them(sandbox):
    admin = PortalUser(sandbox)
    admin.sign_in(sample_login(DENTAL, "admin"))
    users = sandbox.runtime.user_directory

    def colleague():
        return next(u for u in users.users_of(DENTAL.provider_id) if u.email == "nieuw@example.org")

    def form(change: str, **typed: str) -> dict[str, str]:
        return (
            admin.form("/portal/instellingen", f"/portal/instellingen/gebruikers/{change}") | typed
        )

    invite = form("uitnodigen", email="Nieuw@Example.org", role="staff")
    assert (
        admin.post("/portal/instellingen/gebruikers/uitnodigen", invite)[0] == HTTPStatus.SEE_OTHER
    )
    assert colleague().role.value == "staff"
    # The form anew is a second invitation (the same form again would be done once, R38):
    # the colleague who has not signed in yet gets it again (audit onboarding D3)
    again = form("uitnodigen", email="Nieuw@Example.org", role="staff")
    status, answer, _ = admin.post("/portal/instellingen/gebruikers/uitnodigen", again)
    assert (status, answer["Location"]) == (
        HTTPStatus.SEE_OTHER,
        "/portal/instellingen?done=opnieuw-uitgenodigd",
    )
    assert [u.email for u in users.users_of(DENTAL.provider_id)].count("nieuw@example.org") == 1
    change = form("rol", email="nieuw@example.org", role="viewer")
    assert admin.post("/portal/instellingen/gebruikers/rol", change)[0] == HTTPStatus.SEE_OTHER
    assert colleague().role.value == "viewer"
    remove = form("uitschakelen", email="nieuw@example.org")
    assert (
        admin.post("/portal/instellingen/gebruikers/uitschakelen", remove)[0]
        == HTTPStatus.SEE_OTHER
    )
    assert not colleague().enabled
    # And the admin's own account is not theirs to change
    own = forged_form(admin, email=sample_login(DENTAL, "admin"), role="viewer")
    status, _, html = admin.post("/portal/instellingen/gebruikers/rol", own)
    assert status == HTTPStatus.CONFLICT and "eigen account" in html


def test_the_admin_enables_a_colleague_disabled_by_mistake_by_inviting_them_again(sandbox):
    """R32, audit onboarding D3: the portal's invite form brings a colleague of the
    practice back, in the role chosen, and says so."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    admin = PortalUser(sandbox)
    admin.sign_in(sample_login(DENTAL, "admin"))
    users = sandbox.runtime.user_directory

    def form(change: str, **typed: str) -> dict[str, str]:
        return (
            admin.form("/portal/instellingen", f"/portal/instellingen/gebruikers/{change}") | typed
        )

    remove = form("uitschakelen", email=sample_login(DENTAL, "staff"))
    assert (
        admin.post("/portal/instellingen/gebruikers/uitschakelen", remove)[0]
        == HTTPStatus.SEE_OTHER
    )
    # When the admin invites the address again, as a viewer
    invite = form("uitnodigen", email=sample_login(DENTAL, "staff"), role="viewer")
    status, headers, _ = admin.post("/portal/instellingen/gebruikers/uitnodigen", invite)
    # Then the colleague is enabled again as a viewer, and the page says so
    assert (status, headers["Location"]) == (
        HTTPStatus.SEE_OTHER,
        "/portal/instellingen?done=ingeschakeld",
    )
    back = next(u for u in users.users_of(DENTAL.provider_id) if u.email == invite["email"])
    assert (back.enabled, back.role.value) == (True, "viewer")
    assert "weer ingeschakeld" in admin.page("/portal/instellingen?done=ingeschakeld")[1]
    # And no second invitation went out: the colleague has their own password
    assert users.invitations.count(invite["email"]) == 1


def form_html(html: str, action: str) -> str:
    """What the (first) form that posts to ``action`` holds, as the page shows it."""
    return next(inside for target, inside in post_forms(html) if target == action)


def shown_value(form: str, name: str) -> str:
    return re.search(rf'name="{name}"[^>]* value="([^"]*)"', form).group(1)


def is_ticked(form: str, name: str) -> bool:
    return (
        re.search(rf'<input type="checkbox" name="{name}" value="yes"( checked)?>', form)[1]
        is not None
    )


def test_an_invitation_with_a_mistyped_address_keeps_the_chosen_role(sandbox):
    """R32 "viewer (read only)", R35 forms keep what was typed (audit onboarding D2): the
    admin who chose viewer and mistyped the address corrects only the address; the
    colleague is invited as a viewer, not as staff."""
    admin = PortalUser(sandbox)
    admin.sign_in(sample_login(DENTAL, "admin"))
    action = "/portal/instellingen/gebruikers/uitnodigen"
    # Given the invite form sent with viewer chosen and an address without its domain's end
    typed = {"email": "nieuwe.assistent@tandarts", "role": "viewer"}
    status, _, html = admin.post(action, admin.form("/portal/instellingen", action) | typed)
    # Then the form comes back as it was sent
    form = form_html(html, action)
    assert status == HTTPStatus.BAD_REQUEST
    assert shown_value(form, "email") == typed["email"]
    assert re.findall(r'<option value="(\w+)" selected', form) == ["viewer"]
    # And sent again as shown, with only the address corrected, it invites a viewer
    corrected = hidden_fields(html, action) | {"email": "nieuwe.assistent@tandarts.example"}
    corrected["role"] = re.search(r'<option value="(\w+)" selected', form)[1]
    assert admin.post(action, corrected)[0] == HTTPStatus.SEE_OTHER
    invited = [
        u.role.value
        for u in sandbox.runtime.user_directory.users_of(DENTAL.provider_id)
        if u.email == "nieuwe.assistent@tandarts.example"
    ]
    assert invited == ["viewer"]


@pytest.mark.parametrize(
    ("action", "typed", "switch", "ticked"),
    [
        (  # combine_reminders is on by default: unticked, it is absent from the form
            "/portal/instellingen/aanmanen",
            {"days_to_reminder": "21", "days_to_handover": "30", "max_invoices_per_letter": "99"},
            "combine_reminders",
            False,
        ),
        (  # wait_for_statement is off by default
            "/portal/instellingen/coulance",
            {"mode": "automatic", "minimum_percentage": "70", "statement_wait_days": "500"},
            "wait_for_statement",
            True,
        ),
    ],
)
def test_a_refused_policy_form_shows_what_was_typed_and_ticked(
    sandbox, action, typed, switch, ticked
):
    """R31, R35 forms keep what was typed on an error (audit onboarding D5): the admin
    fixes the one wrong field and does not save the old values by mistake."""
    admin = PortalUser(sandbox)
    admin.sign_in(sample_login(DENTAL, "admin"))
    before = sandbox.runtime.repository.get_provider(DENTAL.provider_id)
    fields = admin.form("/portal/instellingen", action) | typed
    if ticked:
        fields[switch] = "yes"
    # When one value is out of bounds
    status, _, html = admin.post(action, fields)
    # Then nothing is saved and the form shows every value as it was sent
    assert status == HTTPStatus.BAD_REQUEST
    assert sandbox.runtime.repository.get_provider(DENTAL.provider_id) == before
    form = form_html(html, action)
    shown = {name: shown_value(form, name) for name in typed if name != "mode"}
    assert shown == {name: value for name, value in typed.items() if name != "mode"}
    assert is_ticked(form, switch) is ticked
    if "mode" in typed:
        assert re.search(r'name="mode" value="(\w+)" checked', form)[1] == typed["mode"]


def test_a_refused_hold_and_stop_show_what_was_typed(sandbox, emailed_dental_invoices):
    """R16, R21, R35 (audit onboarding D4, D5): a hold too far ahead keeps its date and
    reason; a stop without the terms keeps the part and the corrected address, and the
    terms stay unticked (a stop cannot be undone: each sending is agreed to anew)."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    page = f"/portal/notas/{emailed_dental_invoices[0].invoice_id}"
    held = {"until": "2027-06-01", "reason": "patient belt terug"}
    status, _, html = staff.post(f"{page}/hold", staff.form(page, f"{page}/hold") | held)
    form = form_html(html, f"{page}/hold")
    assert status == HTTPStatus.CONFLICT
    assert {name: shown_value(form, name) for name in held} == held
    path, fields = stop_form(staff, emailed_dental_invoices[0], scope="partial", percentage="25")
    fields |= {"patient_email": "nieuw.adres@example.org"}
    fields.pop("accept_terms")
    status, _, html = staff.post(path, fields)
    form = form_html(html, path)
    assert status == HTTPStatus.CONFLICT
    assert (shown_value(form, "percentage"), shown_value(form, "patient_email")) == (
        "25",
        "nieuw.adres@example.org",
    )
    assert not re.search(r'name="accept_terms"[^>]* checked', form)


# The policy forms filled in as the page shows them for the sample practice: one field
# changed, the others kept.
VALID_FORMS = {
    "/portal/instellingen/aanmanen": {
        "days_to_reminder": "7",
        "days_to_handover": "14",
        "max_invoices_per_letter": "10",
    },
    "/portal/instellingen/coulance": {
        "mode": "provider_confirms",
        "minimum_percentage": "60",
        "statement_wait_days": "30",
    },
}


@pytest.mark.parametrize(
    ("language", "action", "typed", "said"),
    [
        (
            "nl",
            "/portal/instellingen/aanmanen",
            {"days_to_handover": "3"},
            "niet goed ingevuld: Dagen tot overdracht aan het incassobureau:"
            " minimaal 7, maximaal 90.",
        ),
        (
            "en",
            "/portal/instellingen/aanmanen",
            {"days_to_handover": "3"},
            "not filled in correctly: Days until handover to the collection agency:"
            " at least 7, at most 90.",
        ),
        (
            "nl",
            "/portal/instellingen/aanmanen",
            {"max_invoices_per_letter": "99"},
            "niet goed ingevuld: Hoogstens zoveel nota's in één brief: minimaal 1, maximaal 25.",
        ),
        (
            "en",
            "/portal/instellingen/coulance",
            {"statement_wait_days": "500"},
            "not filled in correctly: Days to wait for the insurer: at least 0, at most 120.",
        ),
        (
            "nl",
            "/portal/instellingen/gebruikers/uitnodigen",
            {"email": "geen-adres", "role": "staff"},
            "niet goed ingevuld: E-mailadres: is geen e-mailadres (zonder spaties, zoals"
            " info@praktijk.nl).",
        ),
    ],
)
def test_a_settings_field_out_of_bounds_is_named_by_its_label_with_what_is_allowed(
    sandbox, language, action, typed, said
):
    """R31 "validated on write", R35 Dutch and English (audit onboarding D6): the page
    names the field as its label does, not by its internal name, and says what is
    allowed, as the settings model bounds it."""
    admin = signed_in(sandbox, "admin", language)
    valid = VALID_FORMS.get(action, {})
    status, _, html = admin.post(action, admin.form("/portal/instellingen", action) | valid | typed)
    error = re.search(r'id="error"[^>]*>(.*?)</', html, re.S)[1]
    assert status == HTTPStatus.BAD_REQUEST and said in unescape(" ".join(error.split()))
    assert not set(typed) & set(re.findall(r"\w+", said))


@pytest.mark.parametrize(
    ("language", "typed", "said"),
    [
        (
            "nl",
            {"percentage": "150"},
            "Percentage van het oorspronkelijke bedrag (bij een deel): meer dan 0, maximaal 100.",
        ),
        (
            "en",
            {"amount": "-5"},
            "Coulance amount in euros (for a part): more than 0.",
        ),
    ],
)
def test_a_stop_field_out_of_bounds_is_named_by_its_label(
    sandbox, emailed_dental_invoices, language, typed, said
):
    """R21, R35 (audit onboarding D6): the stop form's refusal names the field as the
    form does, in the page's language, with what the stop's model allows."""
    staff = signed_in(sandbox, "staff", language)
    path, fields = stop_form(staff, emailed_dental_invoices[0], scope="partial", **typed)
    status, _, html = staff.post(path, fields)
    error = re.search(r'id="error"[^>]*>(.*?)</', html, re.S)[1]
    assert status == HTTPStatus.BAD_REQUEST and said in unescape(" ".join(error.split()))
    assert coulance_booked(sandbox, emailed_dental_invoices[0]) == []


# --- What people type in the portal's number fields (R21, R35) --------------------------


@pytest.mark.parametrize("typed", ["€ 5,00", "5,00 €", "€5.00", "5,-"])
def test_a_stop_amount_is_read_as_people_type_it(sandbox, emailed_dental_invoices, typed):
    """R21 "a fixed amount", R35 the portal does all of R21: the amount as the staff
    member types it off a letter or a statement, read as the checker reads a statement
    (R17, ``parse_typed_euros``), not only as a file writes it."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    target = emailed_dental_invoices[0]
    # Given the stop form with a part typed with a euro sign or as whole euros
    path, fields = stop_form(staff, target, scope="partial", amount=quote_plus(typed))
    # When it is sent
    status, _, _ = staff.post(path, fields)
    # Then five euros are stopped
    assert status == HTTPStatus.SEE_OTHER
    assert coulance_booked(sandbox, target) == [-500]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "nl",
            "Coulancebedrag in euro (bij een deel): meer dan 0. Vul het bedrag in euro's in"
            " met een komma voor de centen: bijvoorbeeld 60,17 of 1.234,56.",
        ),
        (
            "en",
            "Coulance amount in euros (for a part): more than 0. Enter the amount in euros"
            " with the cents after a comma or a point: for example 60,17, 12.50 or 1.234,56.",
        ),
    ],
)
def test_an_amount_that_reads_two_ways_is_refused_with_how_to_type_it(
    sandbox, emailed_dental_invoices, language, said
):
    """R21, R17's reading of typed amounts: "1.234" is 1234 or 1.234, so it is refused,
    and the page says how to type an amount, in the page's language; nothing is booked."""
    staff = signed_in(sandbox, "staff", language)
    path, fields = stop_form(staff, emailed_dental_invoices[0], scope="partial", amount="1.234")
    status, _, html = staff.post(path, fields)
    error = re.search(r'id="error"[^>]*>(.*?)</', html, re.S)[1]
    assert status == HTTPStatus.BAD_REQUEST and said in unescape(" ".join(error.split()))
    assert coulance_booked(sandbox, emailed_dental_invoices[0]) == []


@pytest.mark.parametrize("typed", ["12,5", "12.5", "12,5 %", " 12,50"])
def test_a_stop_percentage_takes_a_decimal_comma(sandbox, emailed_dental_invoices, typed):
    """R21 "a percentage of the original invoice amount", R35: 12,5 as Dutch staff type
    it is twelve and a half percent, as 12.5 is."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    target = emailed_dental_invoices[0]
    path, fields = stop_form(staff, target, scope="partial", percentage=quote_plus(typed))
    assert staff.post(path, fields)[0] == HTTPStatus.SEE_OTHER
    twelve_and_a_half = percentage_of(target.original_amount_cents, Decimal("12.5"))
    assert coulance_booked(sandbox, target) == [-twelve_and_a_half]


def test_a_percentage_that_is_no_number_or_out_of_bounds_says_what_to_type(
    sandbox, emailed_dental_invoices, subtests
):
    """R21, R35: what cannot be read, or lies outside the stop model's bounds, is
    refused with the field's label, its bounds and how to type it; nothing is booked.
    (One world for every case, each a subtest: a refusal changes nothing.)"""
    for language, typed, said in [
        (  # three digits after the mark: a thousand or one; the model allows two decimals
            "nl",
            "1.000",
            "Percentage van het oorspronkelijke bedrag (bij een deel): meer dan 0,"
            " maximaal 100. Vul het percentage in als getal met hoogstens 2 cijfers achter"
            " de komma: bijvoorbeeld 12,5.",
        ),
        (
            "en",
            "twelve",
            "Percentage of the original amount (for a part): more than 0, at most 100."
            " Enter the percentage as a number with at most 2 decimals: for example 12,5"
            " or 12.5.",
        ),
        (
            "nl",
            "150",
            "Percentage van het oorspronkelijke bedrag (bij een deel): meer dan 0,"
            " maximaal 100. Vul het percentage in",
        ),
    ]:
        with subtests.test(language=language, typed=typed, said=said):
            staff = signed_in(sandbox, "staff", language)
            path, fields = stop_form(
                staff, emailed_dental_invoices[0], scope="partial", percentage=typed
            )
            status, _, html = staff.post(path, fields)
            error = re.search(r'id="error"[^>]*>(.*?)</', html, re.S)[1]
            assert status == HTTPStatus.BAD_REQUEST and said in unescape(" ".join(error.split()))
            assert coulance_booked(sandbox, emailed_dental_invoices[0]) == []


def test_the_coulance_policys_minimum_percentage_takes_a_decimal_comma(sandbox):
    """R31, R35: the settings page's percentage reads as the stop form's does."""
    admin = PortalUser(sandbox)
    admin.sign_in(sample_login(DENTAL, "admin"))
    action = "/portal/instellingen/coulance"
    typed = VALID_FORMS[action] | {"minimum_percentage": quote_plus("62,5")}
    status, _, _ = admin.post(action, admin.form("/portal/instellingen", action) | typed)
    assert status == HTTPStatus.SEE_OTHER
    stored = sandbox.runtime.repository.get_provider(DENTAL.provider_id)
    assert stored.coulance.minimum_percentage == Decimal("62.5")


@pytest.mark.parametrize(("language", "shown"), [("nl", "62,5"), ("en", "62.5")])
def test_the_saved_minimum_percentage_is_shown_as_the_pages_language_writes_it(
    sandbox, language, shown
):
    """R9, R31, R35: given a minimum of 62.5% saved, when the admin opens the settings
    page, then the field shows it with the page's decimal sign (a decimal comma in Dutch),
    and the form sent back as shown keeps it."""
    admin = signed_in(sandbox, "admin", language)
    action = "/portal/instellingen/coulance"
    typed = VALID_FORMS[action] | {"minimum_percentage": quote_plus("62,5")}
    admin.post(action, admin.form("/portal/instellingen", action) | typed)
    # When the page is opened
    _, html = admin.page("/portal/instellingen")
    # Then the field reads as the page's language writes the number
    assert form_fields(html)["coulance-minimum_percentage"]["value"] == shown
    # And the form, sent back as it is shown, is taken and keeps 62.5
    sent_back = VALID_FORMS[action] | {"minimum_percentage": quote_plus(shown)}
    status, _, _ = admin.post(action, admin.form("/portal/instellingen", action) | sent_back)
    assert status == HTTPStatus.SEE_OTHER
    stored = sandbox.runtime.repository.get_provider(DENTAL.provider_id)
    assert stored.coulance.minimum_percentage == Decimal("62.5")


# Each bounded number of the settings page, and a value its model refuses.
OUT_OF_BOUNDS = [
    ("/portal/instellingen/aanmanen", "dunning", "days_to_reminder", "61"),
    ("/portal/instellingen/aanmanen", "dunning", "days_to_handover", "3"),
    ("/portal/instellingen/aanmanen", "dunning", "max_invoices_per_letter", "99"),
    ("/portal/instellingen/coulance", "coulance", "minimum_percentage", "150"),
    ("/portal/instellingen/coulance", "coulance", "statement_wait_days", "500"),
]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("action", "part", "name", "refused"), OUT_OF_BOUNDS)
def test_a_settings_hint_states_the_bounds_its_refusal_states(
    sandbox, language, action, part, name, refused
):
    """R31 "validated on write", R35: what the page says is allowed before the admin
    types is what the refusal says after, both read from the settings model."""
    admin = signed_in(sandbox, "admin", language)
    # Given what the refusal of a value out of bounds says the field allows
    typed = VALID_FORMS[action] | {name: refused}
    _, _, html = admin.post(action, admin.form("/portal/instellingen", action) | typed)
    error = unescape(" ".join(re.search(r'id="error"[^>]*>(.*?)</', html, re.S)[1].split()))
    allowed = error.partition(": ")[2].partition(": ")[2].partition(".")[0]
    assert allowed
    # Then the field's hint on a fresh page says the same
    _, page = admin.page("/portal/instellingen")
    hint = re.search(rf'id="{part}-{name}-hint">(.*?)</p>', page, re.S)
    assert hint is not None and allowed in unescape(hint[1])
    field = re.search(rf'<input id="{part}-{name}"[^>]*>', page)[0]
    assert f'aria-describedby="{part}-{name}-hint"' in field


# --- A practice whose stored settings no longer validate (R31, R35) ---------------------


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("nl", "moeten eerst door zorgnota worden hersteld"),
        ("en", "need to be put right by zorgnota first"),
    ],
)
def test_a_practice_whose_settings_no_longer_validate_gets_a_page_saying_so(
    sandbox, emailed_dental_invoices, language, said
):
    """R31 (audit onboarding D10, closing note 11 "not fixed"): the operator's API
    answers 409 provider_unreadable; the portal answers the same status with a page of
    its own in the page's language, never JSON, a 502, or what is wrong in the item.
    A form refused so is not kept: once the settings are repaired, it is done."""
    table = sandbox.runtime.repository._table
    stored = table.get_item(Key=keys.provider_key(DENTAL.provider_id))["Item"]
    admin = signed_in(sandbox, "admin", language)
    contact = "/portal/instellingen/contact"
    version = sandbox.runtime.repository.get_provider(DENTAL.provider_id).version
    form = settings_form(admin, version, email="balie@tandarts.example", phone="020 123 4567")
    # Given the practice's stored settings in a shape that no longer validates
    plant_legacy_provider(sandbox, DENTAL.provider_id, version)
    # When the admin opens the settings or an invoice, or sends a settings form
    for method, path in (
        ("GET", "/portal/instellingen"),
        ("GET", f"/portal/notas/{emailed_dental_invoices[0].invoice_id}"),
        ("POST", contact),
    ):
        status, headers, html = (
            admin.post(path, form) if method == "POST" else admin.request(method, path)
        )
        # Then the page says the back office must put it right, and nothing internal
        assert status == HTTPStatus.CONFLICT, path
        assert headers["Content-Type"].startswith("text/html"), path
        assert headers["Cache-Control"] == "no-store", path
        assert said in html and 'id="message"' in html, path
        for internal in ("provider_unreadable", "Field required", "legal_name", "Utrecht"):
            assert internal not in html, (path, internal)
    # And once zorgnota has repaired them, the same form sent again is done
    table.put_item(Item=stored)
    status, headers, _ = admin.post(contact, form)
    assert (status, headers["Location"]) == (
        HTTPStatus.SEE_OTHER,
        "/portal/instellingen?done=settings",
    )


# --- The field a refusal names is marked (audit pages D5; WCAG 3.3.1, 1.3.1/4.1.2) -------


def test_r35_the_field_a_refusal_names_is_marked_invalid_described_and_focused(
    sandbox, emailed_dental_invoices, subtests
):
    """R35 (stops, holds, settings in the portal): given a form refused for one field, then
    that field, and no other on the page, carries aria-invalid and is described by its
    hint and the error, and takes the focus; the terms box left unticked stays unticked.
    (One world for every case, each a subtest: a refusal changes nothing.)"""
    for form, typed, left_out, field, described_by in [
        (
            "stop",
            {"scope": "partial", "percentage": "25"},
            "accept_terms",
            "accept_terms",
            "stop-terms error",
        ),
        ("stop", {"scope": "partial", "percentage": "150"}, "", "percentage", "part-hint error"),
        (
            "hold",
            {"until": "2027-06-30", "reason": "wacht op verzekeraar"},
            "",
            "until",
            "hold-hint error",
        ),
        (
            "aanmanen",
            {"days_to_handover": "3"},
            "",
            "dunning-days_to_handover",
            "dunning-days_to_handover-hint error",
        ),
        (
            "gebruikers/uitnodigen",
            {"email": "geen-adres", "role": "staff"},
            "",
            "invite-email",
            "error",
        ),
    ]:
        with subtests.test(
            form=form, typed=typed, left_out=left_out, field=field, described_by=described_by
        ):
            admin = PortalUser(sandbox)
            admin.sign_in(sample_login(DENTAL, "admin"))
            if form == "stop":
                action, fields = stop_form(admin, emailed_dental_invoices[0])
            elif form == "hold":
                page = f"/portal/notas/{emailed_dental_invoices[0].invoice_id}"
                action = f"{page}/hold"
                fields = admin.form(page, action)
            else:
                page, action = "/portal/instellingen", f"/portal/instellingen/{form}"
                fields = admin.form(page, action) | VALID_FORMS.get(action, {})
            fields = {k: v for k, v in (fields | typed).items() if k != left_out}
            status, _, html = admin.post(action, fields)
            assert status in (HTTPStatus.BAD_REQUEST, HTTPStatus.CONFLICT)
            assert marked_invalid(html) == {field}
            shown = form_fields(html)[field]
            assert shown["aria-describedby"] == described_by and "autofocus" in shown
            assert html.count("autofocus") == 1
            if form == "stop":
                assert "checked" not in form_fields(html)["accept_terms"]


def fieldset_of(html: str, name: str) -> str:
    """The opening tag of the fieldset that holds the radio group ``name``."""
    return re.search(rf'(<fieldset[^>]*>)(?:(?!</fieldset>).)*name="{name}"', html, re.S)[1]


@pytest.mark.parametrize(
    ("form", "typed", "radios"),
    [
        ("stop", {"scope": "everything", "percentage": "25"}, ["scope-full", "scope-partial"]),
        (
            "coulance",
            {"mode": "whenever"},
            ["coulance-mode-provider_confirms", "coulance-mode-automatic"],
        ),
    ],
)
def test_r35_a_radio_group_a_refusal_names_is_marked_described_and_focused(
    sandbox, emailed_dental_invoices, form, typed, radios
):
    """R35, WCAG 3.3.1, 1.3.1/4.1.2 (audit pages D5, for the radio groups): given the stop
    form or the coulance form refused for its choice (a value the page never offered),
    then the group's fieldset is marked invalid and described by the error, each radio is
    marked invalid, the first radio takes the focus, and no other field is marked."""
    admin = PortalUser(sandbox)
    admin.sign_in(sample_login(DENTAL, "admin"))
    if form == "stop":
        action, fields = stop_form(admin, emailed_dental_invoices[0])
    else:
        action = "/portal/instellingen/coulance"
        fields = admin.form("/portal/instellingen", action) | VALID_FORMS[action]
    # When the form is sent with a choice its group does not have
    status, _, html = admin.post(action, fields | typed)
    # Then the group, and only the group, is marked, and its first radio is focused
    assert status == HTTPStatus.BAD_REQUEST
    assert marked_invalid(html) == set(radios)
    group = fieldset_of(html, next(iter(typed)))
    assert 'aria-invalid="true"' in group and 'aria-describedby="error"' in group
    assert "autofocus" in form_fields(html)[radios[0]] and html.count("autofocus") == 1
    assert not any("checked" in form_fields(html)[radio] for radio in radios)


@pytest.mark.parametrize(
    ("form", "typed", "chosen"),
    [
        ("stop", {"scope": "full"}, "scope-full"),
        (
            "coulance",
            {"mode": "automatic", "statement_wait_days": "500"},
            "coulance-mode-automatic",
        ),
    ],
)
def test_r35_a_refused_form_keeps_the_radio_chosen_and_leaves_the_group_unmarked(
    sandbox, emailed_dental_invoices, form, typed, chosen
):
    """R35 forms keep what was chosen on an error (audit onboarding D5): refused for
    another field (the terms not accepted, a wait out of bounds), the radio chosen is
    still chosen, and the group is not marked."""
    admin = PortalUser(sandbox)
    admin.sign_in(sample_login(DENTAL, "admin"))
    if form == "stop":
        action, fields = stop_form(admin, emailed_dental_invoices[0], **typed)
        fields.pop("accept_terms")
    else:
        action = "/portal/instellingen/coulance"
        fields = admin.form("/portal/instellingen", action) | VALID_FORMS[action] | typed
    status, _, html = admin.post(action, fields)
    assert status in (HTTPStatus.BAD_REQUEST, HTTPStatus.CONFLICT)
    assert "checked" in form_fields(html)[chosen]
    assert "aria-invalid" not in fieldset_of(html, next(iter(typed)))
    assert not marked_invalid(html) & {chosen}


@pytest.mark.parametrize(
    ("sample", "severities"),
    [("mixed-errors.csv", {"Regel afgekeurd"}), ("comma-delimited.csv", {"Bestand afgewezen"})],
)
def test_an_uploads_report_names_each_rejected_line_or_the_rejected_file(
    sandbox, sample, severities
):
    """R35 ("upload a file and read its report"), R1, R2 (audit files FILES1: the page
    looked up texts for severities findings do not have, and failed for every upload with
    a rejected line or file, the page the upload form leads to).
    Given a file with rejected lines, and one rejected as a whole
    When the practice opens its report in the portal
    Then the page lists every finding with its line and its kind in words."""
    declaration_id = sandbox.upload_declaration(
        DENTAL.provider_id, sample, (SAMPLES / "bad" / sample).read_bytes()
    )
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    status, html = staff.page(f"/portal/declaraties/{declaration_id}")
    assert status == HTTPStatus.OK
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>", html)
    path = f"/api/v1/provider/declarations/{declaration_id}"
    _, report = sandbox.api("GET", path, caller=Caller.practice(DENTAL.provider_id, "viewer"))
    assert len(rows) == len(report["findings"]) > 0
    assert {kind for _, kind in rows} == severities
    assert [line for line, _ in rows] == [str(f["line"] or "—") for f in report["findings"]]


def test_the_report_page_names_every_rejected_line_page_by_page(sandbox):
    """R35 (read an upload's report in the portal), R1, R2; audit files FILES5: the page
    listed the first 50 findings of a code, with no count and no way to the others.
    Given an upload of 260 lines, each with a UZOVI the register lacks
    When the staff user opens its report and follows the link to the next findings
    Then the two pages name each of the 260 lines once, and say which findings they show."""
    declaration_id = sandbox.upload_declaration(
        DENTAL.provider_id, "unknown.csv", unknown_insurer_csv(260)
    )
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    status, html = staff.page(f"/portal/declaraties/{declaration_id}")
    assert status == HTTPStatus.OK
    assert "Meldingen 1 tot en met 200 van 261" in html  # and one warning (a minor)
    lines = re.findall(r"<tr><td>([^<]*)</td><td>Regel afgekeurd</td>", html)
    next_page = re.search(r'id="next-findings" href="([^"]+)"', html).group(1)
    status, html = staff.page(next_page)
    assert status == HTTPStatus.OK and "Meldingen 201 tot en met 261 van 261" in html
    assert 'id="next-findings"' not in html and 'id="first-findings"' in html
    lines += re.findall(r"<tr><td>([^<]*)</td><td>Regel afgekeurd</td>", html)
    assert sorted(map(int, lines)) == list(range(2, 262))


@pytest.mark.parametrize(
    ("language", "said"),
    [("nl", "Meldingen 1 tot en met 200 van 1.011"), ("en", "Findings 1 to 200 of 1,011")],
)
def test_the_report_pages_range_line_groups_its_thousands(sandbox, language, said):
    """R35 (read an upload's report in the portal), R2; leftovers51: the range line of a
    report's findings wrote "van 1011" where the kept-findings line beside it writes
    "1.011", as every count in a sentence (texts.catalogue.counted).
    Given an upload of 1,005 lines, each with a UZOVI the register lacks (1,011 findings)
    When the staff user opens its report in Dutch and in English
    Then the range line writes the total as the page's language groups thousands."""
    declaration_id = sandbox.upload_declaration(
        DENTAL.provider_id, "unknown.csv", unknown_insurer_csv(1005)
    )
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    staff.request("GET", f"/portal/taal/{language}")
    status, html = staff.page(f"/portal/declaraties/{declaration_id}")
    assert status == HTTPStatus.OK
    ranges = re.findall(r"<p>((?:Meldingen|Findings) \d[^<]*)</p>", html)
    assert [unescape(line) for line in ranges] == [said]


def invisible_in_every_claim_ref(lines: int) -> bytes:
    """A declaration whose every claim_ref holds a zero width space (U+200B): removed with a
    warning per line (CSV_INVISIBLE_CHARACTER_REMOVED, R40), every line processed."""
    rows = list(csv.reader(io.StringIO(declaration_csv(lines).decode()), delimiter=";"))
    column = rows[0].index("claim_ref")
    for row in rows[1:]:
        row[column] = row[column][:3] + "\u200b" + row[column][3:]
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def test_the_report_page_says_how_many_findings_of_a_kind_it_does_not_list(
    sandbox, monkeypatch, subtests
):
    """R2, R35 (read an upload's report in the portal), R40; audit report2: a report keeps
    the first 50 findings of a code and counts them all, and the page listed the 50 and
    said nothing of the rest (a file with a zero width space in each of 10,000 claim_refs
    showed 50 warnings and hid 9,950).
    Given a report that keeps 2 findings of a code (the limit made small), and an upload of
    3 lines each with a zero width space in its claim_ref
    When the staff user opens its report in Dutch and in English
    Then the page lists the 2 kept warnings and says there is 1 more of that kind, naming
    the kind by the first one's sentence, in the page's language and number; its range
    line says the 2 are the kept ones of 3 in all (audit report3: "1 tot en met 2 van 2"
    read as all there were); and the API says the same findings_not_kept as the page
    (audit report3: it gave finding_counts only, so a program could not tell what was cut)."""
    monkeypatch.setattr(reports, "FINDINGS_KEPT_PER_CODE", 2)
    declaration_id = sandbox.upload_declaration(
        DENTAL.provider_id, "zwsp.csv", invisible_in_every_claim_ref(3)
    )
    path = f"/api/v1/provider/declarations/{declaration_id}"
    _, report = sandbox.api("GET", path, caller=Caller.practice(DENTAL.provider_id, "viewer"))
    assert report["finding_counts"] == {"CSV_INVISIBLE_CHARACTER_REMOVED": 3}
    assert len(report["findings"]) == 2
    first_kept = report["findings"][0]
    assert report["findings_not_kept"] == [
        {"code": "CSV_INVISIBLE_CHARACTER_REMOVED", "count": 1}
        | {"message": first_kept["message"], "message_en": first_kept["message_en"]}
    ]
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    ranges = {
        "nl": "Meldingen 1 tot en met 2 van de 2 bewaarde (3 meldingen in totaal)",
        "en": "Findings 1 to 2 of the 2 kept (3 findings in all)",
    }
    for language, intro, more in [
        ("nl", "bewaart het verslag de eerste 2.", "— en nog 1 melding van deze soort"),
        ("en", "keeps the first 2 findings of each kind.", "— and 1 more of this kind"),
    ]:
        with subtests.test(language=language):
            staff.request("GET", f"/portal/taal/{language}")
            status, html = staff.page(f"/portal/declaraties/{declaration_id}")
            assert status == HTTPStatus.OK
            assert len(re.findall(r"<tr><td>\d+</td><td>[^<]*</td><td>", html)) == 2
            said = re.search(r'id="findings-not-kept-intro">([^<]*)</p>', html)
            assert said and intro in unescape(said.group(1))
            items = re.findall(r"<li>([^<]*)</li>", html.split('id="findings-not-kept"')[1])
            first = report["findings"][0]["message_en" if language == "en" else "message"]
            assert [unescape(item) for item in items] == [f"{first} {more}"]
            said = re.search(r'id="findings-range">([^<]*)</p>', html)
            assert said and unescape(said.group(1)) == ranges[language]


def test_each_list_of_an_uploads_report_pages_on_without_losing_the_others(sandbox, monkeypatch):
    """R35, R1, R2 (review of this stop's merge, REVIEW1): the report page holds three
    lists, each paged by its own link (the upload's invoices ?cursor=, its findings
    ?meldingen=, a retour's codes ?retourcodes=); a link that carries only its own
    position sent the other two back to their first page.
    Given an upload whose report has more findings, codes and invoices than a page holds
    When the practice pages on through the invoices, then the findings, then the codes,
    and back to the findings' first page
    Then each step moves only its own list."""
    monkeypatch.setattr(pages, "LIST_SIZE", 2)
    monkeypatch.setitem(declarations.declaration_report.__kwdefaults__, "findings_page", 3)
    declaration_id = sandbox.upload_declaration(
        DENTAL.provider_id, "week-47.csv", declaration_csv(20)
    )
    record = sandbox.runtime.repository.get_declaration(DENTAL.provider_id, declaration_id)
    report = json.loads(sandbox.runtime.output_files.get(record.report_key))
    lines = range(2, 9)
    report["findings"] = [
        {"code": "UZOVI_UNKNOWN", "severity": "claim_rejected", "line": n}
        | {"message": f"regel {n}", "message_en": f"line {n}"}
        for n in lines
    ]
    report["retour_codes"] = [
        {"level": "line", "line": n, "code": f"00{n:02}", "meaning": "x", "meaning_en": "x"}
        for n in lines
    ]
    sandbox.runtime.output_files.put(record.report_key, json.dumps(report).encode(), "json")
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))

    def shown(html: str) -> tuple[list[str], ...]:
        invoices = re.findall(r'<td class="kenmerk"[^>]*><a href="/portal/notas/([^"]+)">', html)
        findings = re.findall(r"<td>regel (\d+)</td>", html)
        codes = re.findall(r"<td>(00\d\d)</td>", html)
        return invoices, findings, codes

    def follow(html: str, link: str) -> str:
        found = re.search(rf'id="{link}" href="([^"]+)"', html) or re.search(
            rf'href="([^"]+)" rel="next" id="{link}"', html
        )
        status, page = staff.page(unescape(found.group(1)))
        assert status == HTTPStatus.OK
        return page

    _, first = staff.page(f"/portal/declaraties/{declaration_id}")
    invoices_1, findings_1, codes_1 = shown(first)
    on_invoices = follow(first, "next-page")
    invoices_2, findings, codes = shown(on_invoices)
    assert invoices_2 != invoices_1 and (findings, codes) == (findings_1, codes_1)
    on_findings = follow(on_invoices, "next-findings")
    invoices, findings_2, codes = shown(on_findings)
    assert findings_2 != findings_1 and (invoices, codes) == (invoices_2, codes_1)
    on_codes = follow(on_findings, "next-retour_codes")
    invoices, findings, codes_2 = shown(on_codes)
    assert codes_2 != codes_1 and (invoices, findings) == (invoices_2, findings_2)
    back = follow(on_codes, "first-findings")
    assert shown(back) == (invoices_2, findings_1, codes_2)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("nl", ["Regels verwerkt", "Nota's aangepast", "Toegekend door de verzekeraar"]),
        ("en", ["Lines applied", "Invoices changed", "Granted by the insurer"]),
    ],
)
def test_a_retours_report_page_names_each_of_its_counts(sandbox, language, said):
    """R5, R35 (read an upload's report in the portal); closing14's found list: a retour's
    counts but its lines had no text on the report page, so the page did not say how
    many lines were applied, unchanged or unknown, nor what the insurer granted.
    Given the physiotherapy practice's declaration and VGZ's retour applied
    When the staff user opens the retour's report page in Dutch and in English
    Then every count of the retour's summary is shown with its own words."""
    sandbox.upload_declaration(
        PHYSIO.provider_id,
        "nov.pm304",
        (SAMPLES / "vektis" / "fysio-centrum-oost-2026-11.pm304").read_bytes(),
    )
    retour = (SAMPLES / "vektis" / "fysio-centrum-oost-2026-11.pm305").read_bytes()
    upload_id = sandbox.upload_retour(PHYSIO.provider_id, "vgz.pm305", retour)
    record = sandbox.runtime.repository.get_declaration(PHYSIO.provider_id, upload_id)
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(PHYSIO, "staff"))
    staff.request("GET", f"/portal/taal/{language}")

    status, html = staff.page(f"/portal/declaraties/{upload_id}")

    assert status == HTTPStatus.OK
    counts = dict(re.findall(r'<dt>([^<]+)</dt><dd id="retour-([a-z_]+)">', html))
    assert sorted(counts.values()) == sorted(pages.RETOUR_COUNTS)
    assert set(pages.RETOUR_COUNTS) == set(record.summary) - {"lines"}
    assert not set(counts) & set(pages.RETOUR_COUNTS)  # words, not the field names
    assert set(said) <= {unescape(text) for text in counts}


def test_the_debtor_risk_page_has_a_column_for_every_outcome(sandbox, emailed_dental_invoices):
    """R25, R35 (known item stop 32 item 10): given a practice with invoices, When a staff
    member opens the debtor-risk page, Then its table heads every outcome, the late
    payment before any reminder too, and the chart has a colour for each."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    status, html = staff.page("/portal/debiteurenrisico")
    assert status == HTTPStatus.OK
    for label in ("Op tijd betaald", "Te laat betaald, vóór herinnering", "Betaald na herinnering"):
        assert f'<th scope="col" class="num">{label}</th>' in html


@pytest.mark.parametrize(
    "language, first, last",
    [("nl", "december 2025", "november 2026"), ("en", "December 2025", "November 2026")],
)
def test_the_debtor_risk_tables_months_are_written_in_words_like_the_charts(
    sandbox, emailed_dental_invoices, language, first, last
):
    """R25, R9 (known.md stop 37 "Pages").
    Given a practice with invoices, on 23 November 2026
    When a staff member opens the debtor-risk page in ``language``
    Then the table names each month of issue in words in that language ("december 2025"),
    as the chart's bars do, never as "2025-12"."""
    staff = signed_in(sandbox, "staff", language)
    status, html = staff.page("/portal/debiteurenrisico")
    assert status == HTTPStatus.OK
    body = html.split('<table id="risk-table">')[1].split("<tfoot>")[0]
    months = re.findall(r'<tr><th scope="row">([^<]+)</th>', body)
    assert (len(months), months[0], months[-1]) == (12, first, last)
    assert not [month for month in months if re.search(r"\d{4}-\d{2}", month)]
    assert f"<title>{last} · " in html  # the chart's bar names the month the same way


@pytest.mark.parametrize(
    "language, count, amount_share",
    [
        # one invoice, in the singular (Texts.plural; stop 47: "1 invoice(s)")
        ("nl", "1 nota · {}", "{} van het bedrag"),
        ("en", "1 invoice · {}", "{} of the amount"),
    ],
)
def test_the_debtor_risk_table_shows_the_count_and_both_shares_the_api_gives(
    sandbox, paid_week, language, count, amount_share
):
    """R25 ("share of invoices, count and amount"), R35 (the portal does what the API does;
    audit risk2 RISK2-2).
    Given the dental practice's invoices of 23 November, one of them paid the same day
    When a staff member opens the debtor-risk page in ``language``
    Then November's "paid on time" cell shows, beside the amount, the number of invoices
    and their share of the number and of the amount, the same figures the API answers."""
    from billing_core.collection.debtor_risk import Month, debtor_risk

    invoices = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)[0]
    november = debtor_risk(invoices, Month(2026, 11), Month(2026, 11), MONDAY).months[0]
    _, api = sandbox.api(
        "GET",
        "/api/v1/provider/debtor-risk",
        provider_id=DENTAL.provider_id,
        query={"from": "2026-11", "to": "2026-11"},
    )
    on_time = api["months"][0]["paid_on_time"]
    assert on_time["count"] == 1
    assert Decimal(on_time["count_share"]) == november.count_share(Outcome.PAID_ON_TIME)

    def written(share: Decimal) -> str:
        return f"{share}\u00a0%".replace(".", ",") if language == "nl" else f"{share}%"

    staff = signed_in(sandbox, "staff", language)
    status, html = staff.page("/portal/debiteurenrisico")
    assert status == HTTPStatus.OK
    row = unescape(html.split('<table id="risk-table">')[1].split("<tfoot>")[0]).split("</tr>")[-2]
    assert count.format(written(Decimal(on_time["count_share"]))) in row
    assert amount_share.format(written(Decimal(on_time["amount_share"]))) in row
    # and the month's total says its share as the outcomes do, "100,00 %" (audit portal51:
    # "3 nota's · 100 %" beside "3 nota's · 100,00 %" in one row)
    total_cell = row.split("<td")[-1]
    assert total_cell.endswith(f" · {written(Decimal('100.00'))}</small></td>")


def test_the_debtor_risk_page_shows_the_months_asked_for_as_the_api_does():
    """R25, R35 (the portal does what the API does; audit objections53: the page showed
    the last twelve months only, and refused ?from=&to= with 400, so figures the API gave
    for a month over a year back were the API's alone).
    Given the dental practice's invoices issued on 15 September 2025
    When a staff member asks the page for September 2025 on 23 November 2026
    Then the table shows that month with the API's count, the form keeps the months
    asked; a month of another form, or more months than the API gives, is refused on the
    form (400), the field marked invalid."""
    from local.generate import declaration_csv as csv_of

    with Sandbox(date(2025, 9, 15)) as sandbox:
        sandbox.upload_declaration(
            DENTAL.provider_id, "sep.csv", csv_of(4, today=date(2025, 9, 15))
        )
        sandbox.drain_deliveries()
        sandbox.clock.set(date(2026, 11, 23))
        asked = {"from": "2025-09", "to": "2025-09"}
        _, api = sandbox.api(
            "GET", "/api/v1/provider/debtor-risk", provider_id=DENTAL.provider_id, query=asked
        )
        september = api["months"][0]["invoices"]
        assert september > 0
        staff = signed_in(sandbox, "staff", "en")

        status, html = staff.page("/portal/debiteurenrisico?from=2025-09&to=2025-09")

        assert status == HTTPStatus.OK
        body = html.split('<table id="risk-table">')[1].split("<tfoot>")[0]
        assert re.findall(r'<tr><th scope="row">([^<]+)</th>', body) == ["September 2025"]
        assert f"{september} invoices · 100.00%" in body.split("</td>")[-2]
        assert 'name="from" type="month"' in html and 'value="2025-09"' in html
        for query, field in (("from=2025-13", "from"), ("from=2023-01&to=2026-11", "from")):
            status, html = staff.page(f"/portal/debiteurenrisico?{query}")
            assert status == HTTPStatus.BAD_REQUEST, query
            assert marked_invalid(html) == {field} and 'id="risk-table"' not in html


NOT_FOUND_SAID = {
    "nl": (
        "Deze pagina of nota bestaat niet (of hoort niet bij uw praktijk). Open de pagina via"
        " het menu, of zoek de nota onder Nota's op betalingskenmerk of patiëntnummer."
    ),
    "en": (
        "This page or invoice does not exist (or is not your practice's). Open the page from"
        " the menu, or search the invoice under Invoices by payment reference or patient"
        " number."
    ),
}
NOT_FOUND_SIGNED_OUT_SAID = {
    "nl": (
        "Deze pagina bestaat niet. Controleer het adres, of log in en open de pagina daarna"
        " via het menu."
    ),
    "en": (
        "This page does not exist. Check the address, or sign in and then open the page from"
        " the menu."
    ),
}


@pytest.mark.parametrize("language, title", [("nl", "Niet gevonden"), ("en", "Not found")])
def test_an_address_under_the_portal_that_no_page_has_gets_the_portals_404_page(
    sandbox, language, title
):
    """R35, interfaces.md §8 (audit pages PAGES1).
    Given a practice employee with an old bookmark or a typo (/portal/bestaat-niet)
    When the browser opens it, signed in or not, in the portal's language
    Then the answer is the portal's own 404 page, titled, in that language, with the
    menu back into the portal when signed in and the way to sign in otherwise, saying how
    to find the page or invoice (words52c: it named no way), from the menu only when
    there is one (access52b: signed out, it sent them to a menu the page does not have)."""
    user = PortalUser(sandbox)
    user.request("GET", f"/portal/taal/{language}")
    status, headers, html = user.request("GET", "/portal/bestaat-niet/ook-niet")
    assert (status, headers["Content-Type"][:9]) == (HTTPStatus.NOT_FOUND, "text/html")
    assert f'<html lang="{language}">' in html and f"<h1>{title}</h1>" in html
    assert f'<p id="message">{NOT_FOUND_SIGNED_OUT_SAID[language]}</p>' in unescape(html)
    assert 'href="/portal/login"' in html and 'id="signed-in"' not in html
    user.sign_in(sample_login(DENTAL, "staff"))
    status, _, html = user.request("POST", "/portal/bestaat-niet", b"x=1")
    assert status == HTTPStatus.NOT_FOUND and f"<title>{title} · " in html
    assert f'<p id="message">{NOT_FOUND_SAID[language]}</p>' in unescape(html)
    assert 'href="/portal/"' in html and 'id="signed-in"' in html


def test_the_portal_without_its_trailing_slash_is_redirected_to_the_portal(sandbox):
    """R35, interfaces.md §8 (fix small37 item 3).
    Given a practice employee who types the portal's address without its trailing slash
    (/portal), signed in or not
    When the browser opens it
    Then the answer is a permanent redirect to /portal/ (its query kept), not the payment
    checker's 404 page; following it, the overview answers."""
    user = PortalUser(sandbox)
    status, headers, _ = user.request("GET", "/portal")
    assert (status, headers["Location"]) == (HTTPStatus.PERMANENT_REDIRECT, "/portal/")
    user.sign_in(sample_login(DENTAL, "staff"))
    status, headers, _ = user.request("GET", "/portal?lang=en")
    assert (status, headers["Location"]) == (HTTPStatus.PERMANENT_REDIRECT, "/portal/?lang=en")
    status, _, html = user.request("GET", "/portal/")
    assert status == HTTPStatus.OK and 'id="signed-in"' in html


@pytest.mark.parametrize("days_ahead", [0, -30])
def test_a_hold_until_today_or_before_is_refused_as_not_after_today(
    sandbox, emailed_dental_invoices, days_ahead
):
    """R16, R35, WCAG 3.3.3 (audit pages PAGES7).
    Given an open invoice and its page, whose date field offers tomorrow up to 59 days
    ahead (60 days with today, the day the hold is placed: leftovers53)
    When staff hold it until today, or a day past
    Then the answer is 409 and the error says the date must come after today, not only
    that a hold runs at most 60 days, and names the last date the field offers."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    page = f"/portal/notas/{emailed_dental_invoices[0].invoice_id}"
    today = sandbox.clock.today()
    _, html = staff.page(page)
    field = re.search(r'<input id="until"[^>]*>', html).group(0)
    offered = (today + timedelta(days=1), today + timedelta(days=59))
    assert f'min="{offered[0].isoformat()}" max="{offered[1].isoformat()}"' in field
    held = {"until": (today + timedelta(days=days_ahead)).isoformat(), "reason": "overleg"}
    status, _, html = staff.post(f"{page}/hold", staff.form(page, f"{page}/hold") | held)
    assert status == HTTPStatus.CONFLICT
    error = unescape(
        re.search(r'<div class="alert" role="alert" id="error"[^>]*>(.*?)</div>', html).group(1)
    )
    assert "na vandaag" in error and "60 dagen" in error
    assert f"uiterlijk {offered[1]:%d-%m-%Y}" in error


def test_a_renewals_date_field_offers_only_the_hold_days_left(sandbox, emailed_dental_invoices):
    """R16, R35 (audit plans57): at most 60 hold days per invoice, renewals included.
    Given a hold placed on 23 November until 2 January (41 days), and 20 days later, on
    13 December, its page
    When staff open it to renew the hold
    Then the date field offers up to 21 January (20 days used, 40 left with today), the
    last date a renewal is granted; 22 January is refused naming it (before: the field
    offered 60 more days, up to 10 February, which the refusal then took back)."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    page = f"/portal/notas/{emailed_dental_invoices[0].invoice_id}"
    placed = sandbox.clock.today()
    first = {"until": (placed + timedelta(days=40)).isoformat(), "reason": "overleg"}
    assert staff.post(f"{page}/hold", staff.form(page, f"{page}/hold") | first)[0] == 303
    sandbox.clock.set(placed + timedelta(days=20))
    staff.sign_in(sample_login(DENTAL, "staff"))  # the session of 20 days ago has ended
    today = sandbox.clock.today()
    _, html = staff.page(page)
    field = re.search(r'<input id="until"[^>]*>', html).group(0)
    last = today + timedelta(days=39)
    assert f'min="{(today + timedelta(days=1)).isoformat()}" max="{last.isoformat()}"' in field
    later = {"until": (last + timedelta(days=1)).isoformat(), "reason": "overleg"}
    status, _, html = staff.post(f"{page}/hold", staff.form(page, f"{page}/hold") | later)
    assert status == HTTPStatus.CONFLICT and f"{last:%d-%m-%Y}" in unescape(html)
    renewed = {"until": last.isoformat(), "reason": "overleg"}
    assert staff.post(f"{page}/hold", staff.form(page, f"{page}/hold") | renewed)[0] == 303


def test_an_invoice_whose_hold_days_are_used_up_says_so_instead_of_a_form(
    sandbox, emailed_dental_invoices
):
    """R16, R35 (review57: with 59 or 60 of the 60 hold days used, the renewal's date field
    offered a last date before its first, and every date sent was refused).
    Given a hold of 60 days placed on 23 November
    When staff open the invoice on its 59th day, then on its 60th
    Then the 59th still offers one date, tomorrow (min and max); the 60th shows no hold form
    but the sentence its refusal gives, that this invoice cannot be held any more."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    page = f"/portal/notas/{emailed_dental_invoices[0].invoice_id}"
    placed = sandbox.clock.today()
    sixty = {"until": (placed + timedelta(days=59)).isoformat(), "reason": "overleg"}
    assert staff.post(f"{page}/hold", staff.form(page, f"{page}/hold") | sixty)[0] == 303

    shown = {}
    for day in (58, 59):
        sandbox.clock.set(placed + timedelta(days=day))
        staff.sign_in(sample_login(DENTAL, "staff"))  # the earlier session has ended
        shown[day] = staff.page(page)[1]

    tomorrow = (placed + timedelta(days=59)).isoformat()
    assert f'min="{tomorrow}" max="{tomorrow}"' in shown[58]
    assert 'id="hold-used-up"' not in shown[58]
    assert 'id="hold-form"' not in shown[59] and 'id="until"' not in shown[59]
    used_up = re.search(r'<p id="hold-used-up">([^<]*)</p>', unescape(shown[59])).group(1)
    assert "zij kan niet meer worden aangehouden" in used_up


def _upload_form(fields: dict[str, str], file_name: str, data: bytes) -> tuple[bytes, str]:
    """The upload form as a browser sends it: multipart/form-data with the file's part."""
    boundary = "----WebKitFormBoundaryretry51c"
    parts = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    file_part = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + data
        + b"\r\n"
    )
    return (
        parts + file_part + f"--{boundary}--\r\n".encode(),
        f"multipart/form-data; boundary={boundary}",
    )


def test_an_upload_form_sent_again_after_its_file_was_not_stored_is_one_upload(
    sandbox, monkeypatch
):
    """R38, R1 (audit retry51c): the upload form registers the upload, then stores its
    file; when that fails (an error: the form's key is released), the form sent again
    stores the file under the upload already registered, not under a second one that
    stayed 'awaiting file' beside it."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    hidden = staff.form("/portal/declaraties", "/portal/declaraties")
    body, content_type = _upload_form(hidden, "week-47.csv", declaration_csv(2))
    uploads = sandbox.runtime.provider_context().uploads
    put_upload = type(uploads).put_upload

    def failing_once(self, object_key, data):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(type(uploads), "put_upload", put_upload)
        raise ConnectionError("S3 did not answer")

    # Given the form sent once, its file not stored
    monkeypatch.setattr(type(uploads), "put_upload", failing_once)
    sent = console_of_a_crash(
        lambda: staff.request("POST", "/portal/declaraties", body, content_type)
    )
    assert "ConnectionError: S3 did not answer" in sent
    # When the browser sends it again
    status, headers, _ = staff.request("POST", "/portal/declaraties", body, content_type)
    # Then one upload is registered, and it got the file and was processed
    records, _ = sandbox.runtime.repository.list_declarations(DENTAL.provider_id)
    assert status == HTTPStatus.SEE_OTHER
    assert [(r.file_name, r.status.value) for r in records] == [("week-47.csv", "processed")]
    assert headers["Location"] == f"/portal/declaraties/{records[0].declaration_id}"


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("nl", "Ingelogd bij Tandartspraktijk De Vries (medewerker)"),
        ("en", "Signed in at Tandartspraktijk De Vries (staff)"),
    ],
)
@pytest.mark.parametrize("page", ["/portal/", "/portal/notas", "/portal/bestaat-niet"])
def test_r35_the_header_names_the_practice_by_its_name_not_its_id(sandbox, language, said, page):
    """R35 (portal51b): staff read where they are signed in by their practice's name; the
    header said its id ("Ingelogd bij tandarts-de-vries").
    Given the dental practice's staff member signed in, in either language
    When any page opens (the not-found page too)
    Then its header names the practice as its settings do (read once, at sign-in, and
    kept in the session), and not by its id."""
    staff = signed_in(sandbox, "staff", language)
    _, _, html = staff.request("GET", page)
    header = unescape(" ".join(re.search(r'id="signed-in">(.*?)</span>', html, re.S)[1].split()))
    assert header == said
    assert DENTAL.provider_id not in header
