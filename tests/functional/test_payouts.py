"""Paying the practices, end to end on moto with the template's resources and roles: the
Monday run proposes, operators approve through the operator API, the bank's CAMT.053
books the debit or returns it, and a returned payout is paid in the next batch exactly
once (issue 19, R24, R34)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import sepaxml
import xmlschema

from billing_core.adapters.dynamo.transfer_batches import TransferBatchRepository
from billing_core.entrypoints.http import cursor
from billing_core.payments.transfer_batches import BatchState, payout_batches_of_week
from billing_core.providers.provider import Provider
from billing_core.providers.settings_history import Editor
from billing_core.providers.week import Week
from billing_core.services.operator import money_out
from billing_core.services.operator.providers import save_version
from local.sandbox import Caller
from local.sandbox_payouts import return_a_payout
from local.seed import DENTAL, PHYSIO
from tests.functional.conftest import MONDAY_AFTER_W48, withdrawn_once_though_sent_thrice
from tests.unit.faults import Killed

PAIN_001 = xmlschema.XMLSchema(Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.09.xsd")
TUESDAY = date(2026, 12, 1)


NO_SEPA_NAME = "***"  # an account holder stored before payout accounts were checked


def operator(sandbox, method, path, who="operator-anna", body=None, **request):
    return sandbox.api(method, path, caller=Caller.operator(who), body=body, **request)


def stored_before_checks(sandbox, settings: Provider, **payout: str) -> Provider:
    """The practice's settings with ``payout`` changed, saved the way settings were before
    the operator API checked them (a new version, unvalidated)."""
    repository = sandbox.runtime.repository
    current = repository.get_provider(settings.provider_id)
    changed = current.model_copy(update={"payout": current.payout.model_copy(update=payout)})
    return save_version(
        current, changed, Editor("operator-anna", "operators"), repository, sandbox.clock
    )


def test_a_week_its_year_does_not_have_is_refused_with_a_400(sandbox):
    """interfaces.md §2 (400 validation): the body's pattern checks the shape only, so
    2026-W99 reached Week.parse and raised (audit security D6)."""
    for label in ("2026-W99", "2026-W00", "2027-W53"):
        status, body = operator(sandbox, "POST", "/api/v1/operator/payouts", body={"week": label})
        assert (status, body["error"]["code"]) == (400, "validation_error"), label
        assert body["error"]["message"] == (  # R9, interfaces.md §2: Dutch / English
            "week: is geen ISO-week van dat jaar, zoals 2026-W48"
            " / not an ISO week of that year, like 2026-W48"
        ), label


def test_r24_a_week_before_its_statements_is_refused_with_a_422_and_makes_no_batch(sandbox):
    """R24, R34 (audit59e): the route proposed the week still running, with every practice
    waiting, and the Monday run then found that batch and paid nobody that week.
    Given the sandbox on Monday 23 November (2026-W48 running, W47 ended without a run)
    When an operator proposes 2026-W48, then 2026-W47
    Then 422 payout_week_running, then 422 payout_week_not_built, each in Dutch / English
    with the day of the week's run, and neither week has a batch."""
    status, running = operator(
        sandbox, "POST", "/api/v1/operator/payouts", body={"week": "2026-W48"}
    )
    assert (status, running["error"]["code"]) == (422, "payout_week_running")
    assert running["error"]["message"] == (
        "Week 2026-W48 loopt nog: er is nog geen overzicht van. De retrocessierun van"
        " maandag 2026-11-30 maakt de overzichten en stelt de batch van de week voor."
        " / Week 2026-W48 is still running: it has no statements yet. The retrocession run"
        " of Monday 2026-11-30 writes them and proposes the week's batch."
    )
    status, unbuilt = operator(
        sandbox, "POST", "/api/v1/operator/payouts", body={"week": "2026-W47"}
    )
    assert (status, unbuilt["error"]["code"]) == (422, "payout_week_not_built")
    assert "(as_of 2026-11-23)" in unbuilt["error"]["message"]
    batches = sandbox.runtime.money_out_context().batches
    assert batches.get_batch("PO-2026-W48") is None and batches.get_batch("PO-2026-W47") is None


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/v1/operator/payouts/PO-2031-W01"),
        ("POST", "/api/v1/operator/payouts/PO-2031-W01/approve"),
        ("POST", "/api/v1/operator/refunds/RF-2031-01-01/approve"),
    ],
)
def test_an_unknown_batch_is_not_found_in_the_operators_words(sandbox, method, path):
    """R34 (fix small37 item 2): Given no batch with the id, when an operator reads or
    approves it, then the 404 says no such batch is known, in Dutch and English, and not
    the payment checker's "no invoice for this payment reference"."""
    status, answer = operator(sandbox, method, path)
    assert (status, answer["error"]["code"]) == (404, "not_found")
    message = answer["error"]["message"]
    assert message == ("Er is geen batch met dit nummer. / There is no batch with this number.")
    assert "nota" not in message and "betalingskenmerk" not in message


def test_the_monday_run_proposes_and_an_operator_sends_the_payouts(sandbox, paid_week):
    # When the Monday run has written the statements
    answer = sandbox.run_retrocession()
    # Then the week's payout batch is proposed: the dental practice is paid its payout,
    # the physio practice (no money in) is settled at zero
    assert answer["payout_batch"]["batch_id"] == "PO-2026-W48"
    status, batch = operator(sandbox, "GET", "/api/v1/operator/payouts/PO-2026-W48")
    assert status == 200 and batch["state"] == "proposed"
    [transfer] = batch["transfers"]
    assert transfer["provider_id"] == DENTAL.provider_id
    assert transfer["iban"] == DENTAL.payout.iban
    statement_payout = sandbox.runtime.repository.get_retrocession(
        DENTAL.provider_id, Week(2026, 48)
    ).payout_cents
    assert transfer["amount_cents"] == statement_payout
    assert sandbox.output_keys("payouts/") == []
    # When a practice's token asks, it is refused; when an operator approves, it is sent
    status, _ = sandbox.api(
        "POST", "/api/v1/operator/payouts/PO-2026-W48/approve", provider_id=DENTAL.provider_id
    )
    assert status == 403
    status, sent = operator(sandbox, "POST", "/api/v1/operator/payouts/PO-2026-W48/approve")
    assert status == 200 and sent["state"] == "sent"
    [key] = sandbox.output_keys("payouts/")
    assert key == "payouts/2026-11-30/PO-2026-W48.xml"
    PAIN_001.validate(sandbox.output_object(key))
    assert [s["what"] for s in sent["steps"]] == ["proposed", "approved", "sending", "sent"]
    # And the practice's statement shows the payout sent, with the date of every step
    status, document = sandbox.api(
        "GET", "/api/v1/provider/retrocessions/2026-W48", provider_id=DENTAL.provider_id
    )
    assert status == 200 and document["payout"]["state"] == "sent"
    assert document["payout"]["dates"] == {
        "proposed": "2026-11-30",
        "approved": "2026-11-30",
        "sent": "2026-11-30",
    }
    assert document["payout"]["paid"] == document["settlement"]["payout"]
    # And a second approval of a sent batch is a conflict
    status, refusal = operator(sandbox, "POST", "/api/v1/operator/payouts/PO-2026-W48/approve")
    assert status == 409 and refusal["error"]["code"] == "batch_not_proposed"


def test_a_returned_payout_is_an_action_and_paid_in_the_next_batch_exactly_once(sandbox, paid_week):
    # Given week 48's payout sent, and booked by the bank on Tuesday
    sandbox.run_retrocession()
    # When the bank returns it on Wednesday (account closed)
    payout = return_a_payout(sandbox, booked_on=TUESDAY, returned_on=date(2026, 12, 2))
    [transfer] = payout.sent["transfers"]
    amount = transfer["amount_cents"]
    assert payout.booked["imported"][0]["transfers_booked"] == 1
    # Then it is returned, and the practice has an open action to check its account
    assert payout.returned["imported"][0]["transfers_returned"] == 1
    status, action = payout.actions_status, payout.action
    assert payout.provider_id == DENTAL.provider_id
    assert status == 200 and action["state"] == "open"
    _, batch = operator(sandbox, "GET", "/api/v1/operator/payouts/PO-2026-W48")
    assert batch["transfers"][0]["bank_state"] == "returned"
    # And the statement shows it returned, in the JSON and in the CSV
    _, document = sandbox.api(
        "GET", "/api/v1/provider/retrocessions/2026-W48", provider_id=DENTAL.provider_id
    )
    assert document["payout"]["state"] == "returned"
    assert document["payout"]["dates"]["returned"] == "2026-12-02"
    _, rows = sandbox.api(
        "GET",
        "/api/v1/provider/retrocessions/2026-W48",
        provider_id=DENTAL.provider_id,
        query={"format": "csv"},
    )
    assert f"payout;2026-12-02;;;;returned;;{amount};" in rows
    # When week 49 closes with nothing new for the practice, and is proposed twice
    sandbox.clock.set(date(2026, 12, 7))
    sandbox.run_retrocession()
    status, again = operator(sandbox, "POST", "/api/v1/operator/payouts", body={"week": "2026-W49"})
    # Then week 49 pays the returned amount again, once
    assert status == 200
    assert [(t["provider_id"], t["amount_cents"]) for t in again["transfers"]] == [
        (DENTAL.provider_id, amount)
    ]
    _, w48 = operator(sandbox, "GET", "/api/v1/operator/payouts/PO-2026-W48")
    assert w48["transfers"][0]["repaid_in"] == "PO-2026-W49"
    # And week 50 does not pay it a third time
    operator(sandbox, "POST", "/api/v1/operator/payouts/PO-2026-W49/approve")
    sandbox.clock.set(date(2026, 12, 14))
    sandbox.run_retrocession()
    _, w50 = operator(sandbox, "GET", "/api/v1/operator/payouts/PO-2026-W50")
    assert w50["transfers"] == []
    assert {s["provider_id"] for s in w50["settlements"]} == {
        DENTAL.provider_id,
        PHYSIO.provider_id,
    }


def test_the_refunds_route_approves_refund_batches_only(sandbox, paid_week):
    """Given week 48's payout batch proposed
    When an operator approves it through the refunds route
    Then the id is refused as a request error and the batch stays proposed (R34)."""
    sandbox.run_retrocession()
    status, refusal = operator(sandbox, "POST", "/api/v1/operator/refunds/PO-2026-W48/approve")
    assert status == 400 and refusal["error"]["code"] == "validation_error"
    _, batch = operator(sandbox, "GET", "/api/v1/operator/payouts/PO-2026-W48")
    assert batch["state"] == "proposed"


def test_an_approval_retried_the_next_day_writes_no_second_file(sandbox, paid_week, monkeypatch):
    """R34, R38: Given the approval on Monday dies after the pain.001 is written, before the
    batch is saved as sent (a Lambda timeout)
    When an operator approves again on Tuesday
    Then the batch is sent with the one file, under Monday's key, executed on Monday."""
    sandbox.run_retrocession()
    save_batch = TransferBatchRepository.save_batch

    def dies_saving_as_sent(self, batch):
        if batch.state is BatchState.SENT:
            monkeypatch.setattr(TransferBatchRepository, "save_batch", save_batch)  # once
            raise Killed("timed out before the batch was saved as sent")
        return save_batch(self, batch)

    monkeypatch.setattr(TransferBatchRepository, "save_batch", dies_saving_as_sent)
    with pytest.raises(Killed):
        operator(sandbox, "POST", "/api/v1/operator/payouts/PO-2026-W48/approve")
    assert sandbox.output_keys("payouts/") == ["payouts/2026-11-30/PO-2026-W48.xml"]
    # When it is approved again on Tuesday
    sandbox.clock.set(TUESDAY)
    status, sent = operator(sandbox, "POST", "/api/v1/operator/payouts/PO-2026-W48/approve")
    # Then it is sent, and the bucket still holds one file of the batch, dated Monday
    assert status == 200 and sent["state"] == "sent"
    assert sandbox.output_keys("payouts/") == [sent["file_key"]]
    assert sent["file_key"] == "payouts/2026-11-30/PO-2026-W48.xml"
    assert b"<ReqdExctnDt><Dt>2026-11-30</Dt></ReqdExctnDt>" in sandbox.output_object(
        sent["file_key"]
    )


# --- a week's batch that cannot be sent, withdrawn and planned again (R24, R34, R38) ----------


def test_a_payout_batch_whose_file_is_refused_is_withdrawn_and_its_week_planned_again(
    sandbox, paid_week
):
    """R24, R34, R38 (round 36): Given week 48's payout batch holding an account holder no
    bank accepts (stored before that was checked), whose approval answers 422
    transfer_file_refused and leaves it approved
    When an operator withdraws it with a reason (retried with its Idempotency-Key, then
    again without one) and proposes week 48 again
    Then it is withdrawn once (who, why), the statement says so; a new batch PO-2026-W48-2
    pays the same settlement to the practice's account in its settings, the statement
    follows it, and it is sent; the withdrawn batch is never approved, the sent one never
    withdrawn (409), and a refund route or id is refused (400)."""
    stored_before_checks(sandbox, DENTAL, account_holder=NO_SEPA_NAME)
    sandbox.run_retrocession()
    proposed = sandbox.runtime.money_out_context().batches.get_batch("PO-2026-W48")
    assert proposed is not None
    [transfer] = proposed.transfers
    assert transfer.name == NO_SEPA_NAME
    status, refusal = operator(sandbox, "POST", "/api/v1/operator/payouts/PO-2026-W48/approve")
    assert status == 422 and refusal["error"]["code"] == "transfer_file_refused"
    assert operator(sandbox, "GET", "/api/v1/operator/payouts/PO-2026-W48")[1]["state"] == (
        "approved"
    )
    # When it is withdrawn, retried, and withdrawn again
    withdraw = "/api/v1/operator/payouts/PO-2026-W48/withdraw"
    why = {"reason": "the account holder cannot be read by the bank; mended in the settings"}
    key = {"Idempotency-Key": "withdraw-w48"}
    # Then it is withdrawn once, saying who and why (the helper asserts it), and the statement says so
    withdrawn = withdrawn_once_though_sent_thrice(sandbox, withdraw, why, key)
    statement = "/api/v1/provider/retrocessions/2026-W48"
    _, document = sandbox.api("GET", statement, provider_id=DENTAL.provider_id)
    assert (document["payout"]["state"], document["payout"]["batch_id"]) == (
        "withdrawn",
        "PO-2026-W48",
    )
    # When the account holder is mended in the settings and week 48 is proposed again
    sandbox.replace_provider(DENTAL)
    status, again = operator(sandbox, "POST", "/api/v1/operator/payouts", body={"week": "2026-W48"})
    # Then a new batch pays the same settlement to the account in the practice's settings
    assert status == 200 and (again["batch_id"], again["state"]) == ("PO-2026-W48-2", "proposed")
    assert again["settlements"] == withdrawn["settlements"]
    [paid] = again["transfers"]
    assert (paid["iban"], paid["name"], paid["amount_cents"]) == (
        DENTAL.payout.iban,
        DENTAL.payout.account_holder,
        transfer.amount_cents,
    )
    assert [s["what"] for s in again["steps"]] == ["proposed"]
    _, document = sandbox.api("GET", statement, provider_id=DENTAL.provider_id)
    assert (document["payout"]["state"], document["payout"]["batch_id"]) == (
        "proposed",
        "PO-2026-W48-2",
    )
    # And it is sent, the file valid; the statement follows it
    status, sent = operator(sandbox, "POST", "/api/v1/operator/payouts/PO-2026-W48-2/approve")
    assert status == 200 and sent["state"] == "sent"
    assert sandbox.output_keys("payouts/") == ["payouts/2026-11-30/PO-2026-W48-2.xml"]
    PAIN_001.validate(sandbox.output_object(sent["file_key"]))
    _, document = sandbox.api("GET", statement, provider_id=DENTAL.provider_id)
    assert document["payout"]["state"] == "sent"
    # And the withdrawn batch is never approved, the sent one never withdrawn
    status, refusal = operator(sandbox, "POST", "/api/v1/operator/payouts/PO-2026-W48/approve")
    assert status == 409 and refusal["error"]["code"] == "batch_not_proposed"
    status, refusal = operator(
        sandbox, "POST", "/api/v1/operator/payouts/PO-2026-W48-2/withdraw", body=why
    )
    assert status == 409 and refusal["error"]["code"] == "batch_sent"
    # And a payout batch is withdrawn on the payouts route only, a refund batch on its own
    for path in (
        "/api/v1/operator/refunds/PO-2026-W48-2/withdraw",
        "/api/v1/operator/payouts/RF-20261130-abcdef/withdraw",
    ):
        status, refusal = operator(sandbox, "POST", path, body=why)
        assert (status, refusal["error"]["code"]) == (400, "validation_error"), path


def test_eleven_batches_of_one_week_are_listed_and_followed_by_their_number(sandbox, paid_week):
    """R24, R34 (round 37): Given week 48's payout batch withdrawn and the week planned
    again ten times (PO-2026-W48 ... PO-2026-W48-11, the last proposed)
    When the operator lists the payout batches (whole, and cut at three) and the practice
    reads its statement
    Then the list runs newest first by the number in the week, -11 before -10 before -9
    ... -2 before the first (as text, -10 sorted before -2), the cut list holds -11, -10
    and -9, and the statement follows PO-2026-W48-11."""
    sandbox.run_retrocession()
    why = {"reason": "planned again (test of the batch numbers)"}
    for number in range(1, 11):
        batch_id = "PO-2026-W48" + (f"-{number}" if number > 1 else "")
        status, _ = operator(
            sandbox, "POST", f"/api/v1/operator/payouts/{batch_id}/withdraw", body=why
        )
        assert status == 200, batch_id
        status, again = operator(
            sandbox, "POST", "/api/v1/operator/payouts", body={"week": "2026-W48"}
        )
        assert (status, again["batch_id"]) == (200, f"PO-2026-W48-{number + 1}")
    # When the operator lists the batches
    status, listed = operator(sandbox, "GET", "/api/v1/operator/payouts", query={"limit": "20"})
    # Then newest first, by the number in the week
    numbered = [f"PO-2026-W48-{number}" for number in range(11, 1, -1)]
    assert status == 200
    assert [b["batch_id"] for b in listed["items"]] == [*numbered, "PO-2026-W48"]
    assert [b["state"] for b in listed["items"]] == ["proposed"] + ["withdrawn"] * 10
    _, cut = operator(sandbox, "GET", "/api/v1/operator/payouts", query={"limit": "3"})
    assert [b["batch_id"] for b in cut["items"]] == numbered[:3]
    # And the statement follows the eleventh
    _, document = sandbox.api(
        "GET", "/api/v1/provider/retrocessions/2026-W48", provider_id=DENTAL.provider_id
    )
    assert (document["payout"]["state"], document["payout"]["batch_id"]) == (
        "proposed",
        "PO-2026-W48-11",
    )


def propose(sandbox, week: str) -> str:
    """The week's payout batch: a week without one as its Monday run proposes it (these
    weeks have no statement, and the operator's route refuses such a week: audit59e), a
    week with one through the operator's route (a withdrawn week planned again)."""
    ctx = sandbox.runtime.money_out_context()
    if not payout_batches_of_week(week, ctx.batches.get_batch):
        return money_out.propose_payouts(Week.parse(week), "schedule", ctx).batch_id
    status, batch = operator(sandbox, "POST", "/api/v1/operator/payouts", body={"week": week})
    assert status == 200, week
    return batch["batch_id"]


def test_the_payout_list_goes_on_page_by_page_with_the_cursor(sandbox):
    """interfaces.md §6 (contract52): the list took ``limit`` and gave no next page, so an
    operator saw the newest 12 batches and no more (3 of 9 at limit 3).
    Given the payout batches of weeks 44 to 48, week 47's withdrawn and planned again
    (PO-2026-W47-2 before PO-2026-W47)
    When the operator reads the list two a page, each next page by the last's next_cursor
    passed as cursor, as the operator audit's list goes on
    Then every batch is read once, newest first, in pages of two until the last, which
    gives no cursor; a page may end inside a week (after PO-2026-W47-2)."""
    for week in ("2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48"):
        propose(sandbox, week)
    why = {"reason": "rekening van de praktijk was fout"}
    status, _ = operator(sandbox, "POST", "/api/v1/operator/payouts/PO-2026-W47/withdraw", body=why)
    assert status == 200
    assert propose(sandbox, "2026-W47") == "PO-2026-W47-2"
    # When
    pages, query = [], {"limit": "2"}
    while len(pages) < 10:
        status, page = operator(sandbox, "GET", "/api/v1/operator/payouts", query=query)
        assert status == 200
        pages.append([b["batch_id"] for b in page["items"]])
        if page["next_cursor"] is None:
            break
        query = {"limit": "2", "cursor": page["next_cursor"]}
    # Then
    assert pages == [
        ["PO-2026-W48", "PO-2026-W47-2"],
        ["PO-2026-W47", "PO-2026-W46"],
        ["PO-2026-W45", "PO-2026-W44"],
    ]


@pytest.mark.parametrize(
    "position", ["RF-20261130-abcdef", "PO-2026-W48-1", "PO-2026-W48-02", "PO-2026-W4", "x"]
)
def test_a_payout_list_cursor_that_is_no_payout_batch_is_a_400(sandbox, position):
    """interfaces.md §2 (400 invalid_cursor), README "Forged paging cursors": Given a
    cursor decoding to no payout batch id (a refund batch's, a number the ids never
    carry, no week) / When the operator reads the payout list with it / Then a 400
    invalid_cursor, not a page read from some place in the table."""
    propose(sandbox, "2026-W48")
    forged = {"cursor": cursor.encode(position)}
    status, answer = operator(sandbox, "GET", "/api/v1/operator/payouts", query=forged)
    assert (status, answer["error"]["code"]) == (400, "invalid_cursor")


def test_a_batch_proposed_before_the_payout_account_changed_is_refused_and_planned_again(
    sandbox, paid_week
):
    """R24, R31, R34 (round 37): Given week 48's payout batch proposed to the dental
    practice's account, and the account corrected since by an operator (a new settings
    version)
    When an operator approves the batch
    Then it is refused (409 payout_account_changed, nl / en, naming the practice and the
    week), nothing is approved or written; withdrawn and proposed again, the week's new
    batch PO-2026-W48-2 pays the account as it is now, and is sent to it."""
    sandbox.run_retrocession()
    _, proposed = operator(sandbox, "GET", "/api/v1/operator/payouts/PO-2026-W48")
    assert proposed["transfers"][0]["iban"] == DENTAL.payout.iban
    # When the payout account is corrected through the operator API
    path = f"/api/v1/operator/providers/{DENTAL.provider_id}"
    _, settings = operator(sandbox, "GET", path)
    corrected = {"iban": "NL39RABO0300065264", "account_holder": "Tandartsen Zuid B.V."}
    status, saved = operator(sandbox, "PUT", path, body=settings | {"payout": corrected})
    assert (status, saved["version"]) == (200, settings["version"] + 1)
    # Then the batch with the old account is not approved
    approve = "/api/v1/operator/payouts/PO-2026-W48/approve"
    status, refusal = operator(sandbox, "POST", approve)
    assert (status, refusal["error"]["code"]) == (409, "payout_account_changed")
    dutch, english = refusal["error"]["message"].split(" / ")
    assert DENTAL.provider_id in dutch and "2026-W48" in dutch and "Trek hem in" in dutch
    assert DENTAL.provider_id in english and "Withdraw it and propose week 2026-W48" in english
    _, unchanged = operator(sandbox, "GET", "/api/v1/operator/payouts/PO-2026-W48")
    assert unchanged["state"] == "proposed" and unchanged["steps"] == proposed["steps"]
    assert sandbox.output_keys("payouts/") == []
    # When it is withdrawn and the week proposed again
    why = {"reason": "the practice's payout account was corrected"}
    status, _ = operator(sandbox, "POST", "/api/v1/operator/payouts/PO-2026-W48/withdraw", body=why)
    assert status == 200
    status, again = operator(sandbox, "POST", "/api/v1/operator/payouts", body={"week": "2026-W48"})
    # Then the new batch pays the corrected account, and is sent to it
    assert (status, again["batch_id"]) == (200, "PO-2026-W48-2")
    [paid] = again["transfers"]
    assert (paid["iban"], paid["name"]) == (corrected["iban"], corrected["account_holder"])
    status, sent = operator(sandbox, "POST", "/api/v1/operator/payouts/PO-2026-W48-2/approve")
    assert (status, sent["state"]) == (200, "sent")
    assert corrected["iban"].encode() in sandbox.output_object(sent["file_key"])


def test_the_monday_run_names_a_week_withdrawn_and_not_planned_again(sandbox, paid_week):
    """R24, R34 (round 37): Given week 48's payout batch withdrawn on its Monday and not
    planned again
    When the next Monday's run closes week 49
    Then its answer (the log line; Payout_weeks_withdrawn for PayoutWeekWithdrawnAlarm)
    names week 48."""
    sandbox.run_retrocession()
    why = {"reason": "the practice's payout account is being corrected"}
    status, _ = operator(sandbox, "POST", "/api/v1/operator/payouts/PO-2026-W48/withdraw", body=why)
    assert status == 200
    sandbox.clock.set(MONDAY_AFTER_W48 + timedelta(days=7))
    answer = sandbox.run_retrocession()
    assert answer["payout_batch"]["batch_id"] == "PO-2026-W49"
    assert answer["payout_weeks_withdrawn"] == ["2026-W48"]


@pytest.mark.parametrize(
    ("setting", "value"),
    [("collection_iban", "NL20INGB0001234568"), ("collection_bic", "INGBNL2")],
)
def test_an_approval_with_a_collection_account_no_bank_knows_fails_naming_the_setting(
    sandbox, paid_week, setting, value
):
    """R34, audit small57: a typo in the deployed COLLECTION_IBAN (its check digit) wrote
    a pain.001 paying from an account no bank has; one in COLLECTION_BIC failed with
    sepaxml's "an illegal value in one of your input fields", the setting unnamed.
    Given week 48's payout batch proposed, and the collection IBAN or BIC typed wrong
    When an operator approves it
    Then the error names the setting, not its value; no file is written and the batch
    is not sent: the approval sent again once the setting is right sends it."""
    sandbox.run_retrocession()
    settings = sandbox.runtime.settings
    sandbox.runtime.settings = settings.model_copy(update={setting: value})

    with pytest.raises(RuntimeError, match=f"^{setting.upper()} is not a valid") as failed:
        operator(sandbox, "POST", "/api/v1/operator/payouts/PO-2026-W48/approve")

    assert value not in str(failed.value)
    assert sandbox.output_keys("payouts/") == []
    _, batch = operator(sandbox, "GET", "/api/v1/operator/payouts/PO-2026-W48")
    assert (batch["state"], batch["file_key"]) == ("approved", "")
    sandbox.runtime.settings = settings
    status, sent = operator(sandbox, "POST", "/api/v1/operator/payouts/PO-2026-W48/approve")
    assert (status, sent["state"]) == (200, "sent")
