"""`make demo`'s step 12b (local/demo_payouts.py) tells the payout story in order, with
what the API saved: run on its own here, so the whole demo need not run (tests/e2e)."""

from __future__ import annotations

import re
from datetime import date

from local.demo import movements_of_the_week
from local.demo_payouts import FIXED_IBAN, OPERATORS, pay_the_practices
from local.sandbox import Caller
from local.seed import DENTAL

MONDAY_AFTER = date(2026, 11, 30)  # paid_week: the clock on the Monday after week 48


def _batch(sandbox, batch_id):
    _, batch = sandbox.api(
        "GET", f"/api/v1/operator/payouts/{batch_id}", caller=Caller.operator(OPERATORS[0])
    )
    return batch


def test_the_returned_payout_is_paid_again_to_the_new_account_after_the_return(
    sandbox, paid_week, capsys
):
    """Interfaces.md §5, R24, R31, R34 (audit WEEKLY4): given week 48's statements built on
    Monday 30 November, When the demo pays the practices, the bank returns the dental
    practice's payout (AC04, account closed) and the practice gives a new account
    Then the account saved is another one than the closed one (a new settings version),
    week 49's batch pays it there, and every step is dated on or after the one before:
    the batch that pays the return again is proposed after the return was read."""
    sandbox.run_retrocession()

    pay_the_practices(sandbox, MONDAY_AFTER)
    printed = capsys.readouterr().out

    w48, w49 = _batch(sandbox, "PO-2026-W48"), _batch(sandbox, "PO-2026-W49")
    [returned] = [t for t in w48["transfers"] if t["bank_state"] == "returned"]
    [again] = [t for t in w49["transfers"] if t["provider_id"] == returned["provider_id"]]
    assert returned["iban"] == DENTAL.payout.iban != FIXED_IBAN
    assert again["iban"] == FIXED_IBAN and again["amount_cents"] == returned["amount_cents"]
    stored = sandbox.runtime.repository.get_provider(DENTAL.provider_id)
    assert stored.payout.iban == FIXED_IBAN
    version = re.search(r"new payout account: (\S+) \(settings version (\d+)\)", printed)
    assert version.groups() == (FIXED_IBAN, str(stored.version)) and stored.version >= 2

    # In order: approved, booked, returned (each file read on its own day), then repaid
    w48_sent = max(step["at"] for step in w48["steps"])[:10]
    camt_days = re.findall(r"CAMT\.053 of (\d{4}-\d{2}-\d{2})", printed)
    w49_proposed = w49["steps"][0]["at"][:10]
    assert w48_sent < camt_days[0] < camt_days[1] < w49_proposed
    assert returned["bank_date"] == camt_days[1]
    assert w49["file_key"].startswith(f"payouts/{w49_proposed}/")
    assert date.fromisoformat(w49_proposed).weekday() == 0  # the Monday run proposes it


def test_the_arrangement_fee_is_not_shown_as_a_second_service_fee():
    """Interfaces.md §5, R15, R24 (audit WEEKLY4): given a week's totals by entry kind,
    When the demo's step 12 names them, Then the arrangement's fee reads as such, next
    to the service fee the statement settles, and no kind keeps its underscore."""
    totals = {"issued": 115333, "reimbursement_deduction": -17111, "fee": 1000, "interest": 0}
    assert movements_of_the_week(totals) == (
        "issued €\u00a01.153,33, reimbursement deduction -€\u00a0171,11, arrangement fee €\u00a010,00"
    )
