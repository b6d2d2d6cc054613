"""The portal's actions that are about no invoice (R35, R23): a payout the bank returned
(issue 19, R34) and a second file under one upload (issue 13 item 1).

Found by `make demo` (round 42, DEMO4): once step 12b's bank returned a payout, the
practice's Overzicht and Acties failed (no label for `payout_returned`: a KeyError, a 500
deployed), and the Acties page linked such an action to `/portal/notas/` with no invoice
and never said what to do, which the API's action carries in both languages.
"""

from __future__ import annotations

import re
from datetime import date
from http import HTTPStatus

import pytest

from billing_core.providers.actions import ActionKind
from billing_core.services.provider.declarations import upload_key
from billing_core.texts.portal import PORTAL_LANGUAGES, portal_texts
from local.generate import declaration_csv
from local.sandbox_payouts import return_a_payout
from local.seed import DENTAL
from tests.functional.test_payouts import TUESDAY
from tests.functional.test_provider_portal import PortalUser, sample_login


def signed_in(sandbox, language: str = "nl") -> PortalUser:
    user = PortalUser(sandbox)
    user.sign_in(sample_login(DENTAL, "staff"))
    if language != "nl":
        user.request("GET", f"/portal/taal/{language}")
    return user


@pytest.fixture
def returned_payout(sandbox, paid_week):
    """Given week 48's payout sent and booked, then returned by the bank (AC04): the
    practice has an open `payout_returned` action (as step 12b of the demo)."""
    sandbox.run_retrocession()
    return return_a_payout(sandbox, booked_on=TUESDAY, returned_on=date(2026, 12, 2)).action


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_returned_payout_shows_on_the_overview_and_the_action_list(
    sandbox, returned_payout, language
):
    """R35, R23, R34: given a payout the bank returned (an open action of the practice),
    when a staff member opens Overzicht and Acties (in Dutch and in English),
    then both pages answer 200: the overview counts it under its own name, and the action
    list says what happened and what to do (the action's sentence in the page's language)
    and links to the payouts, not to an invoice it does not have."""
    user = signed_in(sandbox, language)
    label = portal_texts(language).entries["action_kind_payout_returned"]

    overview_status, overview = user.page("/portal/")
    actions_status, actions = user.page("/portal/acties")

    assert (overview_status, actions_status) == (HTTPStatus.OK, HTTPStatus.OK)
    assert f"{label}: <strong>1</strong>" in overview
    row = actions.split(f'id="action-{returned_payout["action_id"]}"', 1)[1].split("</tr>")[0]
    what_to_do = returned_payout["details"]["what_to_do" if language == "nl" else "what_to_do_en"]
    assert label in row and what_to_do in row
    assert 'href="/portal/uitbetalingen"' in row
    assert 'href="/portal/notas/"' not in actions


def test_a_second_file_under_one_upload_links_to_that_upload_and_says_what_to_do(sandbox):
    """R35, R23 (issue 13 item 1): given a second file forced under one upload (the
    practice's action "Tweede bestand niet verwerkt"), when a staff member opens Acties,
    then the action says what to do and links to its upload, not to an invoice."""
    declaration_id = sandbox.upload_declaration(DENTAL.provider_id, "w.csv", declaration_csv(2))
    key = upload_key(DENTAL.provider_id, declaration_id)
    sandbox.put_upload(key, declaration_csv(3, seed=48))
    sandbox.drain_deliveries()
    _, listed = sandbox.api("GET", "/api/v1/provider/actions", provider_id=DENTAL.provider_id)
    [action] = [a for a in listed["items"] if a["kind"] == "upload_version_ignored"]

    status, actions = signed_in(sandbox).page("/portal/acties")

    assert status == HTTPStatus.OK
    row = actions.split(f'id="action-{action["action_id"]}"', 1)[1].split("</tr>")[0]
    assert action["details"]["what_to_do"] in row
    assert f'href="/portal/declaraties/{declaration_id}"' in row
    assert 'href="/portal/notas/"' not in actions


def test_every_action_kind_has_its_name_in_every_portal_language():
    """R35, R9: the overview and the action list name every kind of action (a kind
    without a name made both pages fail)."""
    missing = {
        (language, kind.value)
        for language in PORTAL_LANGUAGES
        for kind in ActionKind
        if f"action_kind_{kind.value}" not in portal_texts(language).entries
    }
    assert missing == set()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_action_about_no_invoice_leaves_its_kenmerk_cell_empty(
    sandbox, returned_payout, language
):
    """R35, R23 (stop 42's note, portal5 item 1): the Kenmerk column holds kenmerken only.
    Given a payout the bank returned (an action about no invoice)
    When a staff member opens Acties, in Dutch and in English
    Then the row's kenmerk cell is empty, and the link to the payouts stands in the "what"
    cell, under what to do, with a text that says where it goes (not "Uitbetalingen" read
    as if it were a kenmerk)."""
    user = signed_in(sandbox, language)
    link = portal_texts(language).entries["action_about_payouts"]

    _, actions = user.page("/portal/acties")

    row = actions.split(f'id="action-{returned_payout["action_id"]}"', 1)[1].split("</tr>")[0]
    kenmerk_cell = re.search(r'<td[^>]*class="kenmerk"[^>]*>(.*?)</td>', row, re.S)
    what_cell = re.search(r'<td[^>]*class="what"[^>]*>(.*?)</td>', row, re.S)
    assert kenmerk_cell is not None and kenmerk_cell.group(1) == ""
    assert what_cell is not None
    assert f'<a href="/portal/uitbetalingen">{link}</a>' in what_cell.group(1)
    assert link not in ("Uitbetalingen", "Payouts")
