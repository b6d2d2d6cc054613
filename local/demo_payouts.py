"""`make demo`, the end of the week: paying the practices (issue 19, R24, R34).

The Monday run proposes the payout batch, two operators approve it (four eyes), the bank
books it (CAMT.053 debit entries carrying our end-to-end ids), returns one payout (AC04),
the practice fixes its payout IBAN, and the next week's batch pays it again, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from billing_core.shared.money import format_euros
from local.sandbox import Caller, Sandbox

OUR_ACCOUNT = "NL20INGB0001234567"
FIXED_IBAN = "NL91ABNA0417164300"  # the account the practice gives after the return
OPERATORS = ("operator-anna", "operator-bob")


@dataclass(frozen=True)
class BankLine:
    """One entry of the collection account's day statement about one of our transfers."""

    end_to_end_id: str
    amount_cents: int
    returned_because: str = ""  # a return reason (RtrInf): the money came back


def pay_the_practices(sandbox: Sandbox, first_monday: date) -> None:
    """``first_monday``: the Monday whose run built the W48 statements; the batches are
    approved today on the sandbox's clock and the bank answers in the days after."""
    w48 = _batch(sandbox, "PO-2026-W48")
    _show("Proposed by the Monday run", w48)
    sent = _approve(sandbox, w48["batch_id"])
    if not sent["transfers"]:
        print("  nobody to pay this week: every balance is carried to the next")
        return
    today = sandbox.clock.today()
    booked_on = date.fromordinal(today.toordinal() + 1)
    debits = [BankLine(t["end_to_end_id"], t["amount_cents"]) for t in sent["transfers"]]
    answer = sandbox.upload_bank_statement(bank_day(booked_on, debits), f"payouts-{booked_on}.xml")
    print(
        f"  CAMT.053 of {booked_on}: {answer['imported'][0]['transfers_booked']} payouts booked by the bank"
    )
    bounced = sent["transfers"][-1]
    returned_on = date.fromordinal(booked_on.toordinal() + 2)
    back = [BankLine(bounced["end_to_end_id"], bounced["amount_cents"], "AC04")]
    answer = sandbox.upload_bank_statement(
        bank_day(returned_on, back), f"returns-{returned_on}.xml"
    )
    print(
        f"  CAMT.053 of {returned_on}: {answer['imported'][0]['transfers_returned']} payout returned "
        f"(AC04, account closed): {bounced['provider_id']} {format_euros(bounced['amount_cents'])}"
    )
    _, actions = sandbox.api("GET", "/api/v1/provider/actions", provider_id=bounced["provider_id"])
    [action] = [a for a in actions["items"] if a["kind"] == "payout_returned"]
    print(f"  the practice's open action: {action['details']['what_to_do_en']}")
    _, statement = sandbox.api(
        "GET", "/api/v1/provider/retrocessions/2026-W48", provider_id=bounced["provider_id"]
    )
    print(
        f"  its W48 statement: payout {statement['payout']['state']} ("
        + ", ".join(f"{step} {day}" for step, day in statement["payout"]["dates"].items())
        + ")"
    )
    _fix_payout_account(sandbox, bounced["provider_id"])
    next_monday = date.fromordinal(first_monday.toordinal() + 7)
    sandbox.run_retrocession(next_monday)
    w49 = _approve(sandbox, "PO-2026-W49")
    retried = [t for t in w49["transfers"] if t["provider_id"] == bounced["provider_id"]]
    for transfer in retried:
        print(
            f"  W49 pays {transfer['provider_id']} {format_euros(transfer['amount_cents'])} to "
            f"{transfer['iban']} (the returned payout owed again, paid once)"
        )
    debits = [BankLine(t["end_to_end_id"], t["amount_cents"]) for t in w49["transfers"]]
    day = date.fromordinal(today.toordinal() + 8)
    if debits:
        sandbox.upload_bank_statement(bank_day(day, debits), f"payouts-{day}.xml")
    _show("Booked by the bank", _batch(sandbox, "PO-2026-W49"))


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


def bank_day(day: date, lines: list[BankLine]) -> bytes:
    """The collection account's CAMT.053 of one day with these entries: a debit per
    executed transfer, a credit with RtrInf per returned one."""
    entries = "".join(_entry(day, number, line) for number, line in enumerate(lines, 1))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>DEMO-OUT-{day}</MsgId><CreDtTm>{day}T23:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{OUR_ACCOUNT}-OUT-{day}</Id>"
        f"<Acct><Id><IBAN>{OUR_ACCOUNT}</IBAN></Id><Ccy>EUR</Ccy></Acct>{entries}</Stmt>"
        "</BkToCstmrStmt></Document>"
    ).encode()


def _entry(day: date, number: int, line: BankLine) -> str:
    cents = line.amount_cents
    amount = f'<Amt Ccy="EUR">{cents // 100}.{cents % 100:02d}</Amt>'
    direction = "CRDT" if line.returned_because else "DBIT"
    returned = (
        f"<RtrInf><Rsn><Cd>{line.returned_because}</Cd></Rsn></RtrInf>"
        if line.returned_because
        else ""
    )
    return (
        f"<Ntry>{amount}<CdtDbtInd>{direction}</CdtDbtInd><Sts>BOOK</Sts>"
        f"<BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>DEMO-OUT-{day}-{number}</AcctSvcrRef>"
        f"<NtryDtls><TxDtls><Refs><EndToEndId>{line.end_to_end_id}</EndToEndId></Refs>"
        f"<AmtDtls><TxAmt>{amount}</TxAmt></AmtDtls>{returned}</TxDtls></NtryDtls></Ntry>"
    )
