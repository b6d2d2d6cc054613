"""A practice's weekly payout returned by the bank, staged one way (issue 19, R24, R34).

Operators approve the payout batch through the operator API, the bank books every
transfer (a CAMT.053 debit carrying our end-to-end id), then returns one (a credit with
RtrInf, AC04: account closed), and the practice has an open ``payout_returned`` action
(R35). `make demo` (local/demo_payouts.py, step 12b), the functional tests and the
browser tests all stage it through ``return_a_payout``; each picks its own days.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from billing_core.shared.clock import AMSTERDAM
from local.sandbox import Caller, Sandbox

OUR_ACCOUNT = "NL20INGB0001234567"  # the collection account the payouts leave from
RETURN_REASON = "AC04"  # the bank's code: account closed


@dataclass(frozen=True)
class BankLine:
    """One entry of the collection account's day statement about one of our transfers."""

    end_to_end_id: str
    amount_cents: int
    returned_because: str = ""  # a return reason (RtrInf): the money came back


@dataclass(frozen=True)
class ReturnedPayout:
    """What the staging answered, step by step."""

    sent: dict[str, Any]  # the batch as the (last) approval answered it: state "sent"
    transfer: dict[str, Any]  # the batch's transfer the bank returned (its last)
    booked: dict[str, Any]  # the bank statement import of the day the bank booked them
    returned: dict[str, Any]  # the bank statement import of the day it came back
    actions_status: int  # GET /api/v1/provider/actions as the practice's admin
    action: dict[str, Any]  # the practice's one payout_returned action

    @property
    def provider_id(self) -> str:
        return str(self.transfer["provider_id"])


class NothingSent(RuntimeError):
    """The approved batch pays nobody (every balance carried): no payout to return."""


def approve_once(sandbox: Sandbox, batch_id: str) -> dict[str, Any]:
    """One operator approves (below the four-eyes total, that sends the batch)."""
    _, sent = sandbox.api(
        "POST",
        f"/api/v1/operator/payouts/{batch_id}/approve",
        caller=Caller.operator("operator-anna"),
    )
    return dict(sent)


def return_a_payout(
    sandbox: Sandbox,
    *,
    booked_on: date,
    returned_on: date,
    batch_id: str = "PO-2026-W48",
    approve: Callable[[Sandbox, str], dict[str, Any]] = approve_once,
    read_on_the_day: bool = False,
) -> ReturnedPayout:
    """Approve ``batch_id`` (proposed by a Monday run), let the bank book its transfers
    on ``booked_on`` and return the last one on ``returned_on``; the practice's open
    ``payout_returned`` action with every answer on the way. ``read_on_the_day``: the
    sandbox's clock moves to 07:00 of each statement's day before it is read, as the
    demo tells it; else each is read at the clock's time."""
    sent = approve(sandbox, batch_id)
    if not sent.get("transfers"):
        raise NothingSent(batch_id)
    debits = [BankLine(t["end_to_end_id"], t["amount_cents"]) for t in sent["transfers"]]
    booked = _read_bank_day(sandbox, booked_on, debits, "payouts", read_on_the_day)
    transfer = sent["transfers"][-1]
    back = [BankLine(transfer["end_to_end_id"], transfer["amount_cents"], RETURN_REASON)]
    returned = _read_bank_day(sandbox, returned_on, back, "returns", read_on_the_day)
    status, actions = sandbox.api(
        "GET", "/api/v1/provider/actions", provider_id=transfer["provider_id"]
    )
    [action] = [a for a in actions["items"] if a["kind"] == "payout_returned"]
    return ReturnedPayout(sent, transfer, booked, returned, status, action)


def _read_bank_day(
    sandbox: Sandbox, day: date, lines: list[BankLine], name: str, on_the_day: bool
) -> dict[str, Any]:
    """The bank's statement of ``day`` (read that morning when ``on_the_day``)."""
    if on_the_day:
        sandbox.clock.set(datetime.combine(day, time(7), tzinfo=AMSTERDAM))
    return sandbox.upload_bank_statement(bank_day(day, lines), f"{name}-{day}.xml")


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
