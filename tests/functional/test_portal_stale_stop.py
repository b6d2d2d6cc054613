"""A stop form of a page that is no longer current (R21, R38, R28; audit nen7513): two
tabs on one invoice, or the browser's back button that fetches the page again (the portal's
pages are ``no-store``) and so gives the form a new one-time key. The key makes a double
click safe (test_provider_portal), not a second form: before this, the second partial stop
was booked as well, and the patient owed the practice a second coulance less."""

from __future__ import annotations

import re
from html import unescape
from http import HTTPStatus

import pytest

from billing_core.invoices.invoice import Channel
from billing_core.invoices.ledger import EntryKind
from local.generate import declaration_csv
from local.seed import DENTAL
from tests.functional.test_provider_portal import PortalUser, sample_login, stop_form


@pytest.fixture
def invoices(sandbox):
    """The dental practice's invoices sent by e-mail (as test_provider_portal's)."""
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(6))
    sandbox.drain_deliveries()
    found, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
    return [i for i in found if i.channel is Channel.EMAIL]


def coulance_cents(sandbox, invoice) -> list[int]:
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id)
    return [e.amount_cents for e in stored.ledger if e.kind is EntryKind.COULANCE]


def test_a_stop_form_of_a_page_opened_before_a_stop_books_nothing_and_says_why(sandbox, invoices):
    """R21 (a stop cannot be undone), R38 (no second effect of one intention), R28.
    Given a staff member with the invoice page open in two tabs (two stop forms, each
    its own one-time key), who books a partial stop of 1,00 in the first
    When they send the second tab's form, filled in alike
    Then it is refused (409) on the page as it is now, saying the invoice changed since the
    page was opened, and one coulance of 1,00 is booked, not two; the page it answers
    carries a form of the invoice as it is now, which books a stop when sent on purpose."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    target = invoices[0]
    path, first_tab = stop_form(staff, target, scope="partial", amount="1,00")
    _, second_tab = stop_form(staff, target, scope="partial", amount="1,00")
    assert first_tab["form_key"] != second_tab["form_key"]
    status, _, _ = staff.post(path, first_tab)
    assert status == HTTPStatus.SEE_OTHER and coulance_cents(sandbox, target) == [-100]

    status, _, html = staff.post(path, second_tab)

    assert status == HTTPStatus.CONFLICT
    assert "gewijzigd sinds u deze pagina opende" in unescape(html)
    assert coulance_cents(sandbox, target) == [-100]
    # The refusal's page is the invoice as it is now: its form, sent on purpose, books.
    current = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))
    again = second_tab | {k: current[k] for k in ("form_key", "ledger_entries")}
    status, _, _ = staff.post(path, again)
    assert status == HTTPStatus.SEE_OTHER
    assert coulance_cents(sandbox, target) == [-100, -100]


def test_a_stop_form_opened_after_the_last_change_books_as_before(sandbox, invoices):
    """R21: the page the first stop leads to (POST/redirect/GET) is current, so its form
    books a second, deliberate stop (the browser test stops 25% and then an amount)."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    target = invoices[0]
    path, fields = stop_form(staff, target, scope="partial", amount="1,00")
    assert staff.post(path, fields)[0] == HTTPStatus.SEE_OTHER
    _, fields = stop_form(staff, target, scope="partial", amount="2,00")
    assert staff.post(path, fields)[0] == HTTPStatus.SEE_OTHER
    assert coulance_cents(sandbox, target) == [-100, -200]
