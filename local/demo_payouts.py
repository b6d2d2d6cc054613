"""`make demo`, the end of the week: paying the practices (issue 19, R24, R34).

The Monday run proposes the payout batch, an operator approves it (a second one too only
above the four-eyes total, which the demo's batches stay under), the bank books it
(CAMT.053 debit entries carrying our end-to-end ids), returns one payout (AC04), the
practice gives another payout IBAN, and the next Monday's batch pays it again, once, to
that account. The clock moves with the story: each bank file is read on its own day,
so every date printed comes on or after the one before.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.money import format_euros
from local.sandbox import Caller, Sandbox
from local.sandbox_payouts import BankLine, NothingSent, bank_day, return_a_payout

# The account the practice gives after the return: not its seed account (local/seed.py),
# which the bank has just returned as closed.
FIXED_IBAN = "NL02ABNA0123456789"
OPERATORS = ("operator-anna", "operator-bob")


def pay_the_practices(sandbox: Sandbox, first_monday: date) -> None:
    """``first_monday``: the Monday whose run built the W48 statements; the batches are
    approved today on the sandbox's clock and the bank answers in the days after."""
    w48 = _batch(sandbox, "PO-2026-W48")
    _show("Proposed by the Monday run", w48)
    booked_on = sandbox.clock.today() + timedelta(days=1)
    returned_on = booked_on + timedelta(days=2)
    try:
        payout = return_a_payout(
            sandbox,
            batch_id=w48["batch_id"],
            booked_on=booked_on,
            returned_on=returned_on,
            approve=_approve,
            read_on_the_day=True,
        )
    except NothingSent:
        print("  nobody to pay this week: every balance is carried to the next")
        return
    print(
        f"  CAMT.053 of {booked_on}: {payout.booked['imported'][0]['transfers_booked']} payouts booked by the bank"
    )
    bounced = payout.transfer
    print(
        f"  CAMT.053 of {returned_on}: {payout.returned['imported'][0]['transfers_returned']} payout returned "
        f"(AC04, account closed): {bounced['provider_id']} {format_euros(bounced['amount_cents'])}"
    )
    print(f"  the practice's open action: {payout.action['details']['what_to_do_en']}")
    _, statement = sandbox.api(
        "GET", "/api/v1/provider/retrocessions/2026-W48", provider_id=bounced["provider_id"]
    )
    print(
        f"  its W48 statement: payout {statement['payout']['state']} ("
        + ", ".join(f"{step} {day}" for step, day in statement["payout"]["dates"].items())
        + ")"
    )
    _fix_payout_account(sandbox, bounced["provider_id"])
    # The next Monday run, after the return was read, builds week 49 and its payouts.
    sandbox.clock.set(datetime.combine(_monday_after(returned_on), time(5), tzinfo=AMSTERDAM))
    sandbox.run_retrocession(first_monday + timedelta(days=7))
    w49 = _approve(sandbox, "PO-2026-W49")
    retried = [t for t in w49["transfers"] if t["provider_id"] == bounced["provider_id"]]
    for transfer in retried:
        print(
            f"  W49 pays {transfer['provider_id']} {format_euros(transfer['amount_cents'])} to "
            f"{transfer['iban']} (the returned payout owed again, paid once)"
        )
    debits = [BankLine(t["end_to_end_id"], t["amount_cents"]) for t in w49["transfers"]]
    if debits:
        _read_bank_day(sandbox, sandbox.clock.today() + timedelta(days=1), debits, "payouts")
    _show("Booked by the bank", _batch(sandbox, "PO-2026-W49"))


def _read_bank_day(sandbox: Sandbox, day: date, lines: list[BankLine], name: str) -> Any:
    """The bank's statement of ``day``, read that morning (the clock moves there first)."""
    sandbox.clock.set(datetime.combine(day, time(7), tzinfo=AMSTERDAM))
    return sandbox.upload_bank_statement(bank_day(day, lines), f"{name}-{day}.xml")


def _monday_after(day: date) -> date:
    return day + timedelta(days=7 - day.weekday())


def _batch(sandbox: Sandbox, batch_id: str) -> dict[str, Any]:
    status, batch = sandbox.api(
        "GET", f"/api/v1/operator/payouts/{batch_id}", caller=Caller.operator(OPERATORS[0])
    )
    if status != 200:
        raise RuntimeError(f"GET /operator/payouts/{batch_id} answered {status}")
    return batch


def _approve(sandbox: Sandbox, batch_id: str) -> dict[str, Any]:
    """Approve as the first operator; above the four-eyes total the second one too."""
    path = f"/api/v1/operator/payouts/{batch_id}/approve"
    for operator in OPERATORS:
        _, batch = sandbox.api("POST", path, caller=Caller.operator(operator))
        print(f"  POST {path} as {operator} -> {batch['state']}")
        if batch["state"] == "sent":
            print(f"  pain.001 for the bank: {batch['file_key'] or '(nothing to pay)'}")
            return batch
    raise RuntimeError(f"{batch_id} not sent after two approvals")


def _fix_payout_account(sandbox: Sandbox, provider_id: str) -> None:
    """The practice tells zorgnota its new account; an operator changes it through the
    operator API (R31: payout accounts only through the operator), with the version."""
    path = f"/api/v1/operator/providers/{provider_id}"
    operator = Caller.operator(OPERATORS[0])
    status, settings = sandbox.api("GET", path, caller=operator)
    if status != 200:
        raise RuntimeError(f"no provider {provider_id}: {status}")
    settings["payout"] = {
        "iban": FIXED_IBAN,
        "account_holder": settings["payout"]["account_holder"],
    }
    status, answer = sandbox.api("PUT", path, caller=operator, body=settings)
    if status != 200:
        raise RuntimeError(f"payout account not changed: {status} {answer}")
    print(
        f"  the practice gives a new payout account: {FIXED_IBAN} (settings version {answer['version']})"
    )


def _show(headline: str, batch: dict[str, Any]) -> None:
    print(
        f"  {headline}: {batch['batch_id']} ({batch['state']}), {format_euros(batch['total_cents'])}"
    )
    for t in batch["transfers"]:
        print(
            f"    {t['end_to_end_id']:16} {t['provider_id']:20} {format_euros(t['amount_cents']):>12}"
            f"  {t['bank_state']}{' ' + t['return_reason'] if t['return_reason'] else ''}"
        )
    for s in batch["settlements"]:
        if s["carried_out_cents"]:
            print(
                f"    {s['provider_id']} carries {format_euros(s['carried_out_cents'])} to next week"
            )
