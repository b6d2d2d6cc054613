"""The portal's change forms under races and retries (R35, R38, R28; audit portalconflict55):
two staff saving the same invoice at once past the store's retries, a form's one-time key
sent again with other values, and a form's key sent again while its first is still being
carried out. Each is answered with a page in the reader's language, never the API's JSON,
and changes nothing a second time.

The form still in progress is the one case of two requests at once: the sandbox server
takes one request at a time, so these call the portal's function directly."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

import pytest

from billing_core.adapters.dynamo.repository import BillingRepository
from billing_core.entrypoints.http.errors import CHANGED_MEANWHILE
from billing_core.entrypoints.web.portal import pages
from billing_core.invoices.ledger import EntryKind
from billing_core.ports import ConcurrentChange
from billing_core.texts.portal import portal_texts
from local.api_gateway import proxy_event
from local.seed import DENTAL
from tests.functional.form_fields import form_fields
from tests.functional.test_portal_form_errors import error_of
from tests.functional.test_provider_portal import PortalUser, signed_in, stop_form

# What a browser of each language reads on the page (texts/portal.py).
CHANGED_MEANWHILE_SAID = {
    "nl": "Niet gelukt: Iemand anders wijzigde dit op hetzelfde moment; er is niets vastgelegd."
    " Probeer het opnieuw.",
    "en": "Not done: Changed by someone else at the same moment; nothing was saved. Try again.",
}


def stored(sandbox, invoice):
    return sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id)


def coulances(sandbox, invoice) -> list[int]:
    return [e.amount_cents for e in stored(sandbox, invoice).ledger if e.kind is EntryKind.COULANCE]


def hold_form(staff: PortalUser, invoice, until: str, reason: str) -> tuple[str, dict[str, str]]:
    page = f"/portal/notas/{invoice.invoice_id}"
    return f"{page}/hold", staff.form(page, f"{page}/hold") | {"until": until, "reason": reason}


def every_save_meets_another(monkeypatch) -> None:
    """Every write of an invoice finds it changed by someone else since it was read: the
    store's retries (invoices.updates.save_change) run out."""

    def changed_meanwhile(self, *written: Any, **_: Any) -> Any:
        raise ConcurrentChange("changed by another writer")

    monkeypatch.setattr(BillingRepository, "save_invoice", changed_meanwhile)
    monkeypatch.setattr(BillingRepository, "save_invoices", changed_meanwhile)


def test_the_page_says_the_api_s_words_in_each_language():
    """R35: the portal's sentence is the API's 409 concurrent_change, one language each."""
    said = [portal_texts(language)("changed_meanwhile") for language in ("nl", "en")]
    assert " / ".join(said) == CHANGED_MEANWHILE


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_stop_that_meets_another_change_past_the_retries_is_said_on_the_invoice_page(
    sandbox, emailed_dental_invoices, monkeypatch, language
):
    """R28, R35, R21 (audit portalconflict55: the browser got the API's JSON 409).
    Given staff sending a partial stop of 1,00 while someone else keeps changing the
    invoice, more often than the store's retries take
    When the stop form is sent
    Then the invoice page answers (409, HTML) in the reader's language that someone else
    changed it at the same moment and nothing was saved, the form filled in as it was
    sent; nothing is booked, and its form, sent again once the other change is done,
    books the stop once."""
    staff = signed_in(sandbox, "staff", language)
    target = emailed_dental_invoices[0]
    path, fields = stop_form(staff, target, scope="partial", amount="1,00")
    html = said_changed_meanwhile(staff, path, fields, monkeypatch, language)
    assert form_fields(html)["amount"]["value"] == "1,00"
    assert coulances(sandbox, target) == []
    # Try again: the page's own form (a new key) books the stop, once
    again = fields | {"form_key": re.search(r'name="form_key" value="([^"]+)"', html)[1]}
    assert staff.post(path, again)[0] == HTTPStatus.SEE_OTHER
    assert coulances(sandbox, target) == [-100]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_hold_that_meets_another_change_past_the_retries_is_said_on_the_invoice_page(
    sandbox, emailed_dental_invoices, monkeypatch, language
):
    """R28, R35, R16 (audit portalconflict55: the browser got the API's JSON 409).
    Given staff putting an invoice on hold while someone else keeps changing it
    When the hold form is sent
    Then the invoice page answers (409, HTML) that someone else changed it meanwhile,
    the date and reason as typed; the invoice is not on hold."""
    staff = signed_in(sandbox, "staff", language)
    target = emailed_dental_invoices[0]
    until = (sandbox.clock.today() + timedelta(days=14)).isoformat()
    path, fields = hold_form(staff, target, until, "overleg")
    html = said_changed_meanwhile(staff, path, fields, monkeypatch, language)
    typed = form_fields(html)
    assert (typed["until"]["value"], typed["hold_reason"]["value"]) == (until, "overleg")
    assert stored(sandbox, target).hold_until is None


# --- a form's one-time key sent again (R38, web.serve_change) ---------------------------------

FORM_SENT_TITLE = {"nl": "Formulier al verstuurd", "en": "Form already sent"}
KEY_REUSED_SAID = {
    "nl": "Dit formulier is al eerder verstuurd, met andere gegevens. Er is niets gewijzigd."
    " Open de pagina opnieuw en vul het formulier daar in.",
    "en": "This form was sent before, with other values. Nothing was changed. Open the page"
    " again and fill in the form there.",
}
KEY_IN_USE_SAID = {
    "nl": "Dit formulier wordt nog verwerkt. Open de pagina over een moment opnieuw om te"
    " zien of het gelukt is.",
    "en": "This form is still being processed. Open the page again in a moment to see"
    " whether it worked.",
}


def said(html: str) -> str:
    """The page's main text as a reader hears it."""
    main = re.search(r"<main.*?</main>", html, re.S)[0]
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", main).split()))


def sent_to_the_function(
    sandbox, user: PortalUser, path: str, fields: dict[str, str]
) -> tuple[int, str, str]:
    """The form POSTed to the portal's function itself, as API Gateway passes it on (not
    through the sandbox server, which takes one request at a time): (status, content
    type, page)."""
    route = sandbox.routes.match("POST", path)
    sent = [
        ("Cookie", "; ".join(f"{k}={v}" for k, v in user.cookies.items())),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ]
    body = urlencode(fields).encode()
    event = proxy_event(
        "POST", path, "", sent, body, resource=route.path, path_parameters=route.parameters(path)
    )
    answer = sandbox.invoke(route.function, event)
    headers = answer.get("headers") or {}
    content_type = headers.get("Content-Type") or answer["multiValueHeaders"]["Content-Type"][0]
    return answer["statusCode"], content_type, answer["body"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_form_key_sent_again_with_other_values_is_refused_on_a_page(
    sandbox, emailed_dental_invoices, language
):
    """R38, R35 (the answer had no test, audit portalconflict55).
    Given staff who put an invoice on hold for 14 days with a form
    When the same form, its one-time key unchanged, is sent again for 30 days
    Then a page (422, HTML) in the reader's language says the form was sent before with
    other values and nothing was changed; the hold stays the first one."""
    staff = signed_in(sandbox, "staff", language)
    target = emailed_dental_invoices[0]
    first = (sandbox.clock.today() + timedelta(days=14)).isoformat()
    path, fields = hold_form(staff, target, first, "overleg")
    assert staff.post(path, fields)[0] == HTTPStatus.SEE_OTHER
    later = (sandbox.clock.today() + timedelta(days=30)).isoformat()

    status, headers, html = staff.post(path, fields | {"until": later})

    assert status == HTTPStatus.UNPROCESSABLE_ENTITY
    assert headers["Content-Type"].startswith("text/html")
    assert said(html) == f"{FORM_SENT_TITLE[language]} {KEY_REUSED_SAID[language]}"
    assert stored(sandbox, target).hold_until.isoformat() == first


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_form_key_sent_again_while_its_first_is_carried_out_is_told_to_wait(
    sandbox, emailed_dental_invoices, monkeypatch, language
):
    """R38, R35 (the answer had no test, audit portalconflict55): a double click whose
    second request arrives while the first is still being carried out.
    Given staff sending a hold form, and the same form (the same key) arriving while
    the first is carried out
    When both are answered
    Then the second is a page (409, HTML) in the reader's language saying the form is
    still being processed; the first is done (303), the invoice on hold as it asked."""
    staff = signed_in(sandbox, "staff", language)
    target = emailed_dental_invoices[0]
    until = (sandbox.clock.today() + timedelta(days=14)).isoformat()
    path, fields = hold_form(staff, target, until, "overleg")
    meanwhile: list[tuple[int, str, str]] = []
    first_hold = pages.hold

    def hold_while_sent_again(*args: Any) -> pages.PortalAnswer:
        meanwhile.append(sent_to_the_function(sandbox, staff, path, fields))
        return first_hold(*args)

    monkeypatch.setattr(pages, "hold", hold_while_sent_again)

    first = sent_to_the_function(sandbox, staff, path, fields)

    ((status, content_type, html),) = meanwhile
    assert status == HTTPStatus.CONFLICT and content_type.startswith("text/html")
    assert said(html) == f"{FORM_SENT_TITLE[language]} {KEY_IN_USE_SAID[language]}"
    assert first[0] == HTTPStatus.SEE_OTHER
    assert stored(sandbox, target).hold_until.isoformat() == until


def said_changed_meanwhile(
    staff: Any, path: str, fields: dict[str, str], monkeypatch: Any, language: str
) -> str:
    """The page a form sent while every save meets another change answers: 409, HTML,
    saying someone else changed it meanwhile (R28, R35)."""
    with monkeypatch.context() as race:
        every_save_meets_another(race)
        status, headers, html = staff.post(path, fields)
    assert status == HTTPStatus.CONFLICT
    assert headers["Content-Type"].startswith("text/html")
    assert error_of(html) == CHANGED_MEANWHILE_SAID[language]
    return str(html)
