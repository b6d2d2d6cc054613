"""The portal's overview says what the practice receives and when (R24, R35): the transfer
that pays its newest statement's week, as that statement's ``payout`` names it (the
provider API's statement), not the week's statement payout alone (audit risk56: a late
week paid with the next one showed "Week 8: EUR 0,00" where the transfer paid EUR 48,95)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from billing_core.providers.week import Week
from billing_core.texts.portal import portal_texts
from local.sandbox_payouts import approve_once, return_a_payout
from local.seed import DENTAL
from tests.contract.test_declarations_and_providers import totals
from tests.functional.test_provider_portal import signed_in
from tests.functional.test_retrocession import _w53_made_up_by_the_run_of_11_january
from tests.functional.test_ses_events import page_text


def payout_card(sandbox, language: str) -> str:
    """The overview's payout card, as its reader sees it."""
    status, html = signed_in(sandbox, "viewer", language).page("/portal/")
    assert status == 200
    return page_text(html[html.index('<h2 id="h-payout"') :].split("</section>")[0])


def statement_payout(sandbox, week: str) -> dict:
    """The ``payout`` of the API's statement of ``week``."""
    path = f"/api/v1/provider/retrocessions/{week}"
    return sandbox.api("GET", path, provider_id=DENTAL.provider_id)[1]["payout"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            "Week 53 (28 dec 2026 - 3 jan 2027), Week 1 (4-10 jan 2027): samen € 48,25 in één"
            " overboeking Voorgesteld op 11 januari 2027; zorgnota keurt de overboeking nog goed.",
        ),
        (
            "en",
            "Week 53 (28 Dec 2026 - 3 Jan 2027), Week 1 (4-10 Jan 2027): €48.25 together in one"
            " transfer Proposed on 11 January 2027; zorgnota still has to approve the transfer.",
        ),
    ],
)
def test_r24_r35_the_overview_shows_the_transfer_that_pays_a_late_week_with_the_newest(
    sandbox, language, expected
):
    # Given 2026-W53 made up by the run of 11 January (EUR 50 paid in it, the run of
    # 4 January missed) and paid with 2027-W01, whose own statement pays EUR 0, in one
    # transfer of PO-2027-W01 (proposed that day)
    _w53_made_up_by_the_run_of_11_january(sandbox)
    payout = statement_payout(sandbox, "2027-W01")
    assert (payout["weeks"], payout["paid"]) == (["2026-W53", "2027-W01"], 5000 - 175)

    # When the practice opens the portal's overview
    card = payout_card(sandbox, language)

    # Then it says that transfer: both weeks, its amount (the statement's payout.paid) and
    # its state with its day, not "Week 1: EUR 0,00" (before: the newest week's 0)
    assert card.endswith(expected), card


@pytest.mark.parametrize(
    ("language", "heading", "state"),
    [
        ("nl", "Uitbetaling van de laatste week", "Voorgesteld op 11 januari 2027;"),
        ("en", "Payout for the latest week", "Proposed on 11 January 2027;"),
    ],
)
def test_r24_r35_the_cards_heading_does_not_call_a_proposed_transfer_paid(
    sandbox, language, heading, state
):
    """R24, R35; audit small57: the card's heading said "Laatste uitbetaling" ("Last
    payout") above a transfer zorgnota had only proposed, not paid.
    Given the newest statement's transfer proposed, not approved
    When the practice opens the portal's overview
    Then the card is headed as the payout for the latest week, its state beside it."""
    _w53_made_up_by_the_run_of_11_january(sandbox)

    card = payout_card(sandbox, language)

    assert card.startswith(f"{heading} Week 53 "), card
    assert state in card


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "samen {} in één overboeking Op 30 november 2026 naar de bank gestuurd."),
        ("en", "{} together in one transfer Sent to the bank on 30 November 2026."),
    ],
)
def test_r24_r35_the_overview_shows_when_the_transfer_went_to_the_bank(
    sandbox, paid_week, language, expected
):
    # Given week 48's statement (with 2026-W47, the practice's first week, made up by the
    # same run: weeks52) and their payout batch, approved and sent on 30 November
    sandbox.run_retrocession()
    approve_once(sandbox, "PO-2026-W48")
    payout = statement_payout(sandbox, "2026-W48")
    assert (payout["state"], payout["weeks"]) == ("sent", ["2026-W47", "2026-W48"])

    # When the practice opens the portal's overview
    card = payout_card(sandbox, language)

    # Then it says what the transfer pays (the API's statement's payout.paid) and the day
    # it went to the bank
    euros = " ".join(portal_texts(language).euros(payout["paid"]).split())  # as page_text
    assert payout["paid"] > 0 and card.endswith(expected.format(euros)), card


def test_r24_r35_a_returned_transfer_is_said_returned_and_paid_again(sandbox, paid_week):
    # Given week 48's payout batch sent, booked on 1 December and the dental practice's
    # transfer returned by the bank on 2 December (as step 12b of `make demo`)
    sandbox.run_retrocession()
    return_a_payout(sandbox, booked_on=date(2026, 12, 1), returned_on=date(2026, 12, 2))
    assert statement_payout(sandbox, "2026-W48")["state"] == "returned"

    # When the practice opens the portal's overview
    card = payout_card(sandbox, "nl")

    # Then it says the money came back and that zorgnota pays it again, not only "paid"
    assert card.endswith(
        "Op 2 december 2026 door de bank teruggeboekt; zorgnota maakt het bedrag opnieuw"
        " over met een volgende uitbetaling."
    ), card


def test_r24_r35_a_statement_without_a_batch_says_no_transfer_is_planned(sandbox):
    # Given a statement of week 47 (EUR 94 to pay out) and no payout batch that settles it
    sandbox.runtime.repository.put_retrocession(
        replace(totals(DENTAL.provider_id, 9_400), week=Week.of(date(2026, 11, 18)))
    )

    # When the practice opens the portal's overview, in English
    card = payout_card(sandbox, "en")

    # Then it says the statement's payout and that no transfer is planned yet
    assert card.endswith("Week 47 (16-22 Nov 2026): €94.00 No transfer planned yet."), card
