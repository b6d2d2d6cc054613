"""A seeded random walk over one practice's invoices on the sandbox, its money checked
after every step against a model of what came in (audit "money", round 35).

Each step is what a patient, the bank, the PSP, the practice, an operator, the collection
agency or the calendar may do, in any order: days passing with the real daily dunning run
(and the weekly retrocession run for each Monday passed, late when days were skipped); an
iDEAL payment (full, half, 130 %) whose webhook comes at once or is held back and delivered
later in reverse order; a bank credit with the kenmerk (full or partial, booked up to 10
days before the statement is read) or without one; one transfer quoting two kenmerken
(booked on each when it is what both owe, else listed); a returned transfer, and the
return, whole or in part, of a transfer booked over several invoices; an operator's
match of an unmatched credit to an invoice, a patient or several kenmerken; Mollie
ending a PSP refund (paid, or failed or canceled: the credit is held again), and the
payment's webhook again after that; a PSP refund made whose answer was lost, and an
operator recording it with the right refund id or a wrong one; a payment on the day after
a reminder's term made before that day's run charges the costs (iDEAL at 02:00, a
transfer read at 05:00); the operator's refund of credit by bank, and the patient's bank
returning it (matched back by an operator); a stop or coulance, the same stop's
Idempotency-Key sent again (within its 24 hours or after), and its correction; a deferral; an
arrangement; a hold; the agency's report of a claim paid (also dated before its
handover); the agency's transfer of what it collected (all, half or more than it
reported), quoting the kenmerk or matched by an operator; an insurer's statement the
automatic coulance policy takes; the insurer's retour on a claim (granting more or less
than before, so the patient owes less or more, also after a stop or the statement); a
later upload for the same patients; a practice's export and its copy saved again by
Excel; a PSP refund booked under a wrong id before ids were checked, corrected by an
operator; the last request or file once more (a replay); and an operator's replay of a
past day's dunning run.

A step is a tuple of plain values (``("day", 3)``), so a figure's detail can show the steps
that led to a violation and ``walk(steps)`` can take them again. The walk stops at the
first violation: what follows it would be measured against a broken ledger.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qs

import boto3

from billing_core.changes.coulance import proposal_for, statement_unwelcome
from billing_core.changes.coulance_policy import CoulanceMode, CoulancePolicy
from billing_core.collection.debtor_risk import Outcome, outcome_of
from billing_core.declarations.claims import Claim
from billing_core.declarations.csv_format import parse_declaration_csv
from billing_core.declarations.vektis.layouts import MZ302_V13
from billing_core.declarations.vektis.writer import Granted, Header, write_retour
from billing_core.dunning.interest import accrued_interest
from billing_core.invoices.access import BirthDate
from billing_core.invoices.invoice import DunningStage, InsurerStatement, Invoice
from billing_core.invoices.ledger import (
    FORGIVING,
    RETOUR,
    REVERSES,
    Component,
    EntryKind,
    LedgerEntry,
    balance,
    is_agency,
    paid_by_patient,
)
from billing_core.invoices.updates import save_change
from billing_core.payments.booking import owed_on, payment_id, refund_key, reversible
from billing_core.payments.online import start_payment
from billing_core.payments.psp import REFUND_FINAL, REFUND_NOT_PAID, PspUnavailable
from billing_core.payments.refunds import (
    credit_refundable_by_bank,
    pending_refunds,
    psp_refund_status,
    settle_pending_refund,
)
from billing_core.payments.remittance import awaited_cents, is_remittance
from billing_core.providers.retrocession import CSV_COLUMNS
from billing_core.providers.week import Week
from billing_core.services.operator import money
from billing_core.shared.clock import AMSTERDAM, amsterdam_day
from billing_core.shared.errors import Refused
from billing_core.shared.retries import KEY_LIFETIME
from billing_core.shared.spreadsheet import FORMULA_STARTS
from local.generate import declaration_csv
from local.sandbox import REGION, Caller, Sandbox
from local.sandbox_payouts import BankLine, bank_day
from local.seed import DENTAL, SAMPLE_PROVIDERS
from tests.csv_downloads import csv_rows
from tests.unit.camt_builder import ACCOUNT, Entry, credit, debit, statement
from tests.unit.fake_store import blocked_numbers

Step = tuple[Any, ...]

START = date(2026, 11, 23)  # the sandbox's Monday
# The dental practice with the automatic coulance policy (R17): an insurer's statement
# lowers what its patient pays at once, and a later retour must leave the policy's amount.
WALK_PRACTICE = DENTAL.model_copy(update={"coulance": CoulancePolicy(mode=CoulanceMode.AUTOMATIC)})
PRACTICE = DENTAL.provider_id
OPERATOR = Caller.operator("chaos-walk")
JSON = {"Content-Type": "application/json"}
UNMATCHED = "/api/v1/operator/unmatched-credits"
DUNNING_LETTERS = ("dunning_reminder", "second_notice")
REFUNDS = "/api/v1/operator/refunds"
PATIENTS_ACCOUNT = {"iban": "NL91ABNA0417164300", "account_holder": "A. Visser"}
# How a PSP refund asked and booked ends at Mollie: paid back, or not (REFUND_NOT_PAID).
REFUND_ENDINGS = ("failed", "failed", "canceled", "refunded")


class Violation(Exception):
    """An invariant broken: its name (the figure counts by it) and what was seen."""

    def __init__(self, invariant: str, seen: str) -> None:
        super().__init__(f"{invariant}: {seen}")
        self.invariant = invariant


# --- the steps ------------------------------------------------------------------------------


def random_steps(rng: random.Random, count: int) -> list[Step]:
    """``count`` steps; ``i`` picks an invoice (modulo how many there are then). Days pass
    in nearly a third of the steps, so 60 steps walk some 75 days: past the reminder, the
    costs and the handover to the agency (R19, on day 77), with steps left for the
    agency's reports and transfers. The money paths of rounds 38 and 39 (a
    transfer for two kenmerken, an operator's split, the return of a split transfer, a PSP
    refund that fails, a bank refund, a stop's key sent again; a payment on the costs day
    before its run, a refund id recorded by hand, right or wrong, a webhook again after a
    refund's final status) come in most walks of 60 steps, and round 40's (an insurer's
    statement and a retour after it, an export saved again by Excel, a refund id
    corrected; at the agency, its transfer and a report dated before the invoice) in
    many:
    their steps pick what they can act on (two invoices that owe, a split transfer not
    yet returned, credit to pay back), and a step that needs another often follows it
    (``_follow_up``)."""
    steps: list[Step] = []
    for n in range(count):
        follow_up = _follow_up(rng, steps[-1]) if steps else None
        steps.append(follow_up or _random_step(rng, n))
    return steps


def _follow_up(rng: random.Random, last: Step) -> Step | None:
    """What may come right after ``last``: often a stop's retry with its key, the same day
    or two days on (the practice saw no answer, R38); the payer's bank recalling a
    transfer for two kenmerken, or an operator splitting one that was listed (R12,
    legal-nl.md §5), and the return of a credit just split; always Mollie ending the
    refund an overpayment's webhook asked (R13: it ends every refund, paid back or not),
    and often its webhook once more; always an operator recording a refund whose answer
    was lost, with its right id or a wrong one, and after a wrong one the right one (or,
    in three of ten, correcting one booked under a wrong id before ids were checked);
    often the agency's transfer after its report, a retour after an insurer's statement
    (and one that grants less after one that granted more), an export's copy saved
    again by Excel, and one time in two the patient's bank returning a bank refund just
    sent (R13, R24, R34; stop 45 money10).
    Drawn only at random, these seldom follow what they need within 60 steps."""
    step: Step
    match last:
        case ("stop", *_):
            step, chance = ("stop_again", rng.choice([0, 2])), 0.7
        case ("psp", _, share, "now") if share > 1:
            step, chance = ("psp_refund_ends", rng.randrange(10), rng.choice(REFUND_ENDINGS)), 1.0
        case ("psp_refund_ends", j, _):
            step, chance = ("psp_webhook_again", j), 0.5
        case ("psp_refund_lost", _) if rng.random() < 0.3:
            step, chance = ("refund_id_corrected", rng.randrange(10)), 1.0
        case ("psp_refund_lost", _):
            step, chance = ("record_refund", rng.randrange(10), rng.random() < 0.5), 1.0
        case ("record_refund", j, False):
            step, chance = ("record_refund", j, True), 0.7
        case ("bank_two", _, _, 1.0, _):
            step, chance = ("return_split", rng.randrange(10), rng.choice([1.0, 0.5])), 0.6
        case ("bank_two", i, k, _, _):  # for less than both owe: listed
            step, chance = ("match_split", i, k), 0.6
        case ("bank_without_kenmerk", i, _):
            step, chance = ("match_split", i, rng.randrange(8)), 0.4
        case ("match_split", *_):
            step, chance = ("return_split", rng.randrange(10), rng.choice([1.0, 0.5])), 0.5
        case ("agency_paid", *_):
            step, chance = _agency_remits(rng), 0.7
        case ("insurer_statement", *_):
            step, chance = ("retour", rng.randrange(10), rng.choice([0.5, 1.0]), "statement"), 0.6
        case ("retour", j, share, "statement") if share:  # and then less again
            step, chance = ("retour", j, 0.0, "statement"), 0.5
        case ("export", n):
            step, chance = ("excel_copy", n), 0.8
        case ("refund_by_bank", _):
            step, chance = ("refund_returned", rng.randrange(10)), 0.5
        case _:
            return None
    return step if rng.random() < chance else None


def _random_step(rng: random.Random, n: int) -> Step:
    """One step drawn at random; ``n`` is its place in the walk."""
    x, i, k = rng.random(), rng.randrange(8), rng.randrange(8)
    if x < 0.30:
        days = rng.choice([1, 1, 2, 3, 7, 7, 14])  # some 75 days: past the handover
        if rng.random() < 0.2:  # to a costs day, paid before its run (days: when none is)
            share, how = rng.choice([0.3, 0.5, 0.8]), rng.choice(["ideal", "bank"])
            return ("costs_day", i, share, how, days)
        return ("day", days)
    if x < 0.37:
        return ("psp", i, rng.choice([1.0, 0.5, 1.3, 1.3]), rng.choice(["now", "late"]))
    if x < 0.39:
        return ("psp_deliver",)
    if x < 0.44:
        return ("bank", i, rng.choice([1.0, 0.5, 0.3, 1.2]), rng.choice([0, 0, 1, 3, 10]))
    if x < 0.46:
        return ("bank_without_kenmerk", i, rng.choice([0, 2]))
    if x < 0.48:
        return ("bank_return", rng.randrange(10))
    if x < 0.51:
        return ("match", i, rng.random() < 0.5)
    if x < 0.55:
        return ("bank_two", i, k, rng.choice([1.0, 0.8]), rng.choice([0, 0, 3]))
    if x < 0.57:
        return ("match_split", i, k)
    if x < 0.60:
        return ("return_split", rng.randrange(10), rng.choice([1.0, 0.5]))
    if x < 0.65:
        return ("stop", i, rng.choice(["full", "partial"]), rng.choice([100, 500, 2000]))
    if x < 0.67:
        return ("stop_again",)
    if x < 0.69:
        return ("defer", i)
    if x < 0.71:
        return ("arrange", i, rng.choice([2, 3]))
    if x < 0.72:
        return ("hold", i, rng.choice([5, 20]))
    if x < 0.75:
        when = rng.choice([0, 3, "before_invoice", "before_handover"])
        return ("agency_paid", i, rng.choice([1.0, 0.5]), when)
    if x < 0.77:
        return _agency_remits(rng)
    if x < 0.79:
        return ("correct_stop", i)
    if x < 0.80:
        return ("upload", n) if rng.random() < 0.5 else ("credit_before_invoice", n)
    if x < 0.81:
        return ("export", n)
    if x < 0.83:
        return ("insurer_statement", i, rng.choice([0.3, 0.5, 0.8]))
    if x < 0.86:
        return ("retour", i, rng.choice([0.0, 0.5, 1.0]))
    if x < 0.88:
        return ("replay_day", rng.choice([1, 3, 14]))
    if x < 0.90:
        return ("psp_refund_ends", rng.randrange(10), rng.choice(REFUND_ENDINGS))
    if x < 0.92:
        return ("refund_by_bank", i)
    if x < 0.93:
        return ("refund_returned", rng.randrange(10))
    if x < 0.96:
        return ("psp_refund_lost", i)
    if x < 0.98:
        return ("psp_webhook_again", rng.randrange(10))
    return ("replay",)


def _agency_remits(rng: random.Random) -> Step:
    """The agency's transfer of what it reported collected: all, half or more than it
    reported, quoting the kenmerk or without it (an operator matches it to the claim, or
    to its patient), or without it while another transfer of the claim is booked between
    the operator's check and booking (by the bank import or another operator)."""
    share = rng.choice([1.0, 1.0, 0.5, 1.2])
    # "race_import" (the bank import in between) is taken only by hand: the sample's IAM
    # audit counts the import's calls as the operator API's, inside whose call it runs.
    how = rng.choice(["kenmerk", "match", "patient", "race_operator"])
    return ("agency_remits", rng.randrange(10), share, how)


@dataclass(frozen=True)
class LastStop:
    """The walk's last stop request, to send again with its Idempotency-Key (R38)."""

    send: Callable[[], tuple[int, Any]]
    sent_at: datetime
    invoice_id: str
    records: frozenset[str]  # the idempotency table's records its first answer made
    key: str  # its Idempotency-Key


@dataclass
class Walk:
    """The sandbox and the model: the money as the bank, the PSP and the agency saw it."""

    box: Sandbox
    received: int = 0  # money in less transfers returned
    held_webhooks: list[tuple[str, int]] = field(default_factory=list)  # (body, amount)
    bank_credits: list[tuple[int, str]] = field(default_factory=list)  # (amount, TxId)
    files: int = 0
    last: Callable[[], object] | None = None  # the last request or file, to send again
    claims: dict[str, Claim] = field(default_factory=dict)  # as declared, by claim_ref
    # The days a retour raised what the patient owes before the costs were charged.
    raised: dict[str, list[date]] = field(default_factory=dict)  # by invoice_id
    # How long each claim's ledger was when the run handed it to the agency: what
    # follows is what the agency's daily files must tell (R34).
    handed_over: dict[str, int] = field(default_factory=dict)  # by invoice_id
    psp_payments: list[str] = field(default_factory=list)  # the PSP's ids, in order
    # The PSP refunds Mollie reported failed or canceled, by refund id (their PSP payment's).
    refunds_not_paid: dict[str, str] = field(default_factory=dict)
    last_stop: LastStop | None = None
    # PSP refunds made whose answer never reached us (pending on the invoice), by their
    # PSP payment, until an operator records them; the payments one was recorded of.
    lost_refunds: dict[str, str] = field(default_factory=dict)
    recorded_by_hand: set[str] = field(default_factory=set)
    # How often the webhooks asked the PSP each refund's status (the fake PSP's calls).
    status_asked: Counter[str] = field(default_factory=Counter)
    lose_next_refund: bool = False
    status_at_psp: Callable[[str, str], str] = field(init=False, repr=False)  # not counted
    # What the walk's new paths did (rounds 38-40), so the figure shows they were taken.
    reached: Counter[str] = field(default_factory=Counter)
    # What the agency reported collected: its money until its transfer reaches our
    # account (then in ``received``), never received itself (R24; audit AGENCY3).
    reported_by_agency: int = 0
    exports: dict[int, bytes] = field(default_factory=dict)  # the practice's, by step
    # The bank refunds sent (kenmerk, end-to-end id, cents), and those the patient's bank
    # returned: what comes back is our refund undone, never the patient's money received.
    bank_refunds: list[tuple[str, str, int]] = field(default_factory=list)
    refunds_returned: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        """The fake PSP's refund calls watched: each status the webhook asks counted, and a
        refund's answer lost on the way back when ``lose_next_refund`` says so."""
        psp = self.box.runtime.psp
        refund, refund_status = psp.refund, psp.refund_status
        self.status_at_psp = refund_status

        def counted(psp_payment_id: str, refund_id: str) -> str:
            self.status_asked[refund_id] += 1
            return str(refund_status(psp_payment_id, refund_id))

        def answer_lost(psp_payment_id: str, amount_cents: int, description: str) -> Any:
            made = refund(psp_payment_id, amount_cents, description)
            if self.lose_next_refund:  # made at the PSP, and the answer never came
                self.lose_next_refund = False
                self.lost_refunds[psp_payment_id] = made[0]
                raise PspUnavailable("timed out")
            return made

        psp.refund_status, psp.refund = counted, answer_lost  # type: ignore[method-assign]

    @property
    def today(self) -> date:
        return self.box.clock.today()

    def invoices(self) -> list[Invoice]:
        """In the order of their claims, so a seed picks the same invoices every run (their
        ids and kenmerken follow the upload's random declaration id)."""
        invoices = self.box.runtime.repository.provider_invoices(PRACTICE)
        return sorted(invoices, key=lambda invoice: invoice.lines[0].claim_ref)

    def pick(self, i: int) -> Invoice:
        invoices = self.invoices()
        return invoices[i % len(invoices)]

    def pick_owing(self, i: int) -> Invoice:
        """An invoice that still owes, when there is one: a patient pays what is open."""
        among = self._owing(self.today, at_least=1)
        return among[i % len(among)]

    def pick_two(self, i: int, k: int, day: date) -> tuple[Invoice, Invoice]:
        """Two invoices for one payment: of those that still owe on ``day`` when there are
        two (a parent pays what is open; one paid already would only list the transfer),
        else of all."""
        among = self._owing(day, at_least=2)
        return among[i % len(among)], among[_other(i, k, len(among))]

    def _owing(self, day: date, at_least: int) -> list[Invoice]:
        """The invoices that owe on ``day``, when there are ``at_least``; else all."""
        invoices = self.invoices()
        owing = [invoice for invoice in invoices if owed_on(invoice, day) > 0]
        return owing if len(owing) >= at_least else invoices

    def take_and_check(self, step: Step) -> None:
        getattr(self, f"_{step[0]}")(*step[1:])
        self.check()

    def _sent(self, send: Callable[[], object]) -> None:
        """Send, deliver what it queued, and keep it to send again."""
        send()
        self.box.drain_deliveries()
        self.last = send

    def declare(self, name: str, csv: bytes) -> None:
        """Upload a declaration, its claims kept for the insurer's retour on them."""
        parsed = parse_declaration_csv(csv, today=self.today)
        self.claims |= {claim.claim_ref: claim for claim in parsed.claims}
        self.box.upload_declaration(PRACTICE, name, csv)
        self.box.drain_deliveries()

    def _day(self, days: int, paid_first: tuple[int, Callable[[], object]] | None = None) -> None:
        """``days`` later, the dunning run of that day only (R18: a run catches up on days
        it missed), then the retrocession run of each Monday passed, late but once (R24).
        The run first writes the agency's files of the days since its last run: the
        walk's steps of the day it leaves are in that day's file (R34). ``paid_first``:
        (hour, payment) of a payment made that day at that hour, before the run."""
        left, day = self.today, self.today + timedelta(days=days)
        if paid_first is not None:
            hour, pay = paid_first
            self.box.clock.set(datetime.combine(day, time(hour), tzinfo=AMSTERDAM))
            pay()
        self.box.clock.set(datetime.combine(day, time(9), tzinfo=AMSTERDAM))
        invoices = self._checked_run()
        the_agency_is_told_each_change(invoices, self.handed_over, self._agency_file(left), left)
        for monday in (day - timedelta(days=n) for n in range(days)):
            if monday.weekday() == 0:
                self.box.run_retrocession(monday)

    def _checked_run(self) -> list[Invoice]:
        """Today's dunning run, what it did to each invoice checked; the claims it handed
        over noted. The invoices after it."""
        before = {invoice.invoice_id: invoice for invoice in self.invoices()}
        self.box.run_dunning()
        invoices = self.invoices()
        for after in invoices:
            if after.invoice_id in before:
                raised = self.raised.get(after.invoice_id, [])
                check_the_run(before[after.invoice_id], after, self.today, raised)
            if after.is_with_collection_agency and after.invoice_id not in self.handed_over:
                self.handed_over[after.invoice_id] = len(after.ledger)
        return invoices

    def _day_paid_first(self, days: int, i: int, share: float) -> None:
        """``days`` later, a transfer read before that day's run, then the run: on the
        day a claim is handed over, the payment is in the handover file and not again in
        that day's file for the agency (R19, R34; audit REVIEW2)."""
        self._day(days, paid_first=(7, lambda: self._bank(i, share, 0)))

    def _psp(self, i: int, share: float, webhook: str) -> None:
        """An iDEAL payment of ``share`` of what an open invoice owes; of 130 %, the PSP is
        asked to refund the rest when its webhook comes (R13)."""
        self._pay_online(self.pick_owing(i), share, webhook)

    def _pay_online(self, invoice: Invoice, share: float, webhook: str) -> str | None:
        """An iDEAL payment of ``share`` of what ``invoice`` owes: its PSP id, or None when
        it takes no payment (paid, stopped, at the agency)."""
        context = self.box.runtime.online_payment_context()
        try:
            checkout = start_payment(
                invoice.reference, BirthDate(invoice.birth_date), context, pay_all=True
            )
        except Refused:  # paid, stopped, at the agency: no checkout, no money
            return None
        psp = self.box.runtime.psp
        amount = max(1, int(psp.get_payment(checkout.psp_payment_id).amount_cents * share))
        hook = psp.complete(checkout.psp_payment_id, "paid", amount_cents=amount)
        self.psp_payments.append(checkout.psp_payment_id)
        self.received += amount
        if webhook == "late":
            self.held_webhooks.append((hook.body, amount))
        else:
            self._sent(lambda: self._webhook(hook.body))
        return checkout.psp_payment_id

    def _webhook(self, body: str) -> None:
        """The PSP's webhook call. R13, R11 (audit security3 SEC3-2): once an operator
        recorded a refund of the payment by hand, each later call answers 200 (a 5xx
        would have the PSP call again for good, and a failed refund never undone)."""
        status = self.box.post_psp_webhook(body)["statusCode"]
        psp_payment_id = parse_qs(body)["id"][0]
        if psp_payment_id in self.recorded_by_hand and status != 200:
            raise Violation(
                "a webhook after a refund recorded by hand answers 200",
                f"{psp_payment_id}: {status}",
            )

    def _costs_day(self, i: int, share: float, how: str, days: int) -> None:
        """On the day after a reminder's term (the costs day), before its run: ``share`` of
        what the invoice owes paid by iDEAL at 02:00 or credited that day and read at
        05:00; then the run charges the costs. legal-nl.md §2, §5 (audit legal2 LEGAL2-1):
        the payment is allocated costs -> interest -> principal as one booked after the
        run would be. Of the invoices reminded whose term ends later, when there is one
        (picked by ``i``); else ``days`` pass as any."""
        due = [
            (costs_day, invoice)
            for invoice in self.invoices()
            if invoice.dunning_stage is DunningStage.REMINDED
            and (costs_day := costs_day_of(invoice)) > self.today
            and not invoice.is_paid
        ]
        if not due:
            self._day(days)
            return
        costs_day, invoice = sorted(due, key=lambda d: d[0])[i % len(due)]
        paid: list[str] = []  # the payment's id, once made

        def pay() -> None:
            if how == "ideal":
                if psp_id := self._pay_online(invoice, share, "now"):
                    paid.append(payment_id("psp", psp_id))
                return
            owed = owed_on(invoice, costs_day)
            self._transfer(max(100, int(owed * share)), 0, scor=invoice.reference)
            paid.append(payment_id("bank", _source(self.bank_credits[-1][1])))

        self._day((costs_day - self.today).days, paid_first=(2 if how == "ideal" else 5, pay))
        [after] = [v for v in self.invoices() if v.invoice_id == invoice.invoice_id]
        if paid and after.costs_charged_on == costs_day and not after.is_paid:
            self.reached["paid on the costs day before its run"] += 1
            a_payment_pays_costs_interest_principal(after, paid[0])

    def _psp_deliver(self) -> None:
        """The webhooks held back, newest first (the PSP keeps no order)."""
        held, self.held_webhooks = self.held_webhooks, []
        for body, _ in reversed(held):
            self._sent(lambda body=body: self._webhook(body))

    def _bank(self, i: int, share: float, days_back: int) -> None:
        invoice = self.pick(i)
        due = invoice.amount_due_cents + accrued_interest(invoice, self.today)
        amount = max(100, int(due * share)) if due > 0 else 500
        self._transfer(amount, days_back, scor=invoice.reference)

    def _bank_without_kenmerk(self, i: int, days_back: int) -> None:
        self._transfer(max(100, self.pick(i).amount_due_cents), days_back, ustrd=("tandarts",))

    def _transfer(self, amount: int, days_back: int, **remittance: Any) -> None:
        """A credit; its AcctSvcrRef is ``REF{TxId}``, so it is booked as ``_source(TxId)``."""
        tx_id = f"TX{len(self.bank_credits):05d}"
        booked = self.today - timedelta(days=days_back)
        self.received += amount
        self.bank_credits.append((amount, tx_id))
        entry = credit(
            amount,
            reference=f"REF{tx_id}",
            tx_id=tx_id,
            booking_date=booked.isoformat(),
            **remittance,
        )
        self._statement(entry)

    def _bank_two(self, i: int, k: int, share: float, days_back: int) -> None:
        """One transfer quoting two kenmerken (a parent paying two children's invoices):
        booked on each when it is what both owed on its booking date, else listed for a
        person as ``several_kenmerken`` (legal-nl.md §5, R12)."""
        booked = self.today - timedelta(days=days_back)
        first, second = self.pick_two(i, k, booked)
        owed = sum(max(0, owed_on(invoice, booked)) for invoice in (first, second))
        text = f"nota {first.reference} en {second.reference}"
        self._transfer(max(100, int(owed * share)), days_back, ustrd=(text,))
        _, tx_id = self.bank_credits[-1]
        split = payment_id("bank", _source(tx_id)) in split_credits(self.invoices())
        self.reached["transfer for two kenmerken " + ("booked" if split else "listed")] += 1

    def _bank_return(self, j: int) -> None:
        """A transfer returned whole. The agency's transfer of what it collected returned:
        the money is again the agency's to transfer, the patient, who paid the agency, owes
        nothing again (R22, R24, R27)."""
        if not self.bank_credits:
            return
        amount, tx_id = self.bank_credits[j % len(self.bank_credits)]
        cause = payment_id("bank", _source(tx_id))
        remitted = [v for v in self.invoices() if is_remittance(v, cause)]
        self._return(amount, tx_id)
        for before in remitted:
            self.reached["agency's transfer returned"] += 1
            after = self._invoice(before)
            an_agency_transfer_pays_nothing_again(
                before, after, -sum(reversible(before, cause).values()), self.today
            )

    def _return_split(self, j: int, share: float) -> None:
        """The bank returns a transfer booked over several invoices, whole or in part: whole,
        every part is reversed; in part, none is and a person looks (R12, legal-nl.md §5).
        Of the transfers split, one none of whose parts is reversed yet, when there is one."""
        invoices = self.invoices()
        split = split_credits(invoices)
        credits = [
            (a, tx) for a, tx in self.bank_credits if payment_id("bank", _source(tx)) in split
        ]
        intact = [
            (a, tx)
            for a, tx in credits
            if not _reversed_parts(invoices, payment_id("bank", _source(tx)))
        ]
        credits = intact or credits
        if not credits:
            return
        amount, tx_id = credits[j % len(credits)]
        self.reached["split transfer returned" + ("" if share == 1 else " in part")] += 1
        cause = payment_id("bank", _source(tx_id))
        intact = not _reversed_parts(self.invoices(), cause)
        self._return(max(1, int(amount * share)), tx_id)
        if share == 1 and intact and _reversed_parts(self.invoices(), cause) != "all":
            raise Violation(
                "a split credit is returned whole or not at all",
                f"{cause}: its whole return reversed {_reversed_parts(self.invoices(), cause)}",
            )

    def _return(self, amount: int, tx_id: str) -> None:
        self.received -= amount
        booked = self.today.isoformat()
        returned = debit(amount, return_reason="MD06", tx_id=tx_id, booking_date=booked)
        self._statement(returned)

    def _statement(self, entry: Entry) -> None:
        """A statement with the entry; sent again under another name it is a re-import."""
        xml = statement(entry, statement_id=f"STMT-{self.files}")
        self._sent(lambda: self.box.upload_bank_statement(xml, self._file_name("xml")))

    def _file_name(self, extension: str) -> str:
        self.files += 1
        return f"walk-{self.files}.{extension}"

    def _match(self, i: int, to_patient: bool) -> None:
        """The operator matches the credit to an invoice, or to its patient (6:43 lid 2)."""
        _, unmatched = self._unmatched()
        credits = [c for c in unmatched["items"] if c["direction"] == "CRDT"]
        if not credits:
            return
        invoice = self.pick(i)
        body = (
            {"provider_id": PRACTICE, "patient_ref": invoice.patient_ref}
            if to_patient
            else {"reference": invoice.reference}
        )
        self._operator_match(credits[i % len(credits)], body)

    def _match_split(self, i: int, k: int) -> None:
        """The operator matches a credit to two invoices' kenmerken in the payer's order
        (legal-nl.md §5, art. 6:43): each gets what it owed on the credit's date."""
        _, unmatched = self._unmatched()
        credits = [c for c in unmatched["items"] if c["direction"] == "CRDT"]
        if not credits:
            return
        credit = credits[i % len(credits)]
        credit_id = credit["credit_id"]
        first, second = self.pick_two(i, k, date.fromisoformat(credit["booking_date"]))
        body = {"references": [first.reference, second.reference]}
        path, key = f"{UNMATCHED}/{credit_id}/match", {"Idempotency-Key": f"match-{credit_id}"}

        def send() -> tuple[int, Any]:
            return self.box.api("POST", path, caller=OPERATOR, body=body, headers=key)

        status, answer = send()
        self.box.drain_deliveries()
        self.last = send
        if status == 200:
            self.reached["operator's split"] += 1
        else:
            _refused_by_rule(status, answer)
            _, unmatched = self._unmatched()
            a_refused_match_books_nothing(self.invoices(), credit, unmatched["items"], answer)

    def _stop(self, i: int, scope: str, cents: int) -> None:
        invoice = self.pick(i)
        body: dict[str, Any] = {
            "scope": scope,
            "reason": "goodwill",
            "patient_email": invoice.addressee.email or "",
            "accept_terms": True,
        } | ({"amount": cents} if scope == "partial" else {})
        path = f"/api/v1/provider/invoices/{invoice.invoice_id}/stop"
        key = {"Idempotency-Key": f"stop-{invoice.invoice_id}-{self.today}"}

        def send() -> tuple[int, Any]:
            return self.box.api("POST", path, provider_id=PRACTICE, body=body, headers=key)

        records = self._idempotency_records()
        self._sent(send)
        made = self._idempotency_records() - records
        last = self.last_stop
        if last is not None and last.key == key["Idempotency-Key"]:
            # The same key again (the same invoice, the same day): no record made, the key
            # is still the first send's, with its records and 24 hours (seed 2026120751:
            # taken as a new stop with no records, the key was never expired and its
            # first answer replayed 2 days on).
            return
        self.last_stop = LastStop(
            send, self.box.clock.now(), invoice.invoice_id, made, key["Idempotency-Key"]
        )

    def _stop_again(self, days: int = 0) -> None:
        """The last stop's request once more, with its Idempotency-Key (R38: keys are for
        retries), ``days`` later (with their runs): within the key's 24 hours it is a
        retry and changes nothing; after them the key is free and it is a new stop, booked
        once (or refused, changing nothing)."""
        if days:
            self._day(days)
        if self.last_stop is None:
            return
        stop = self.last_stop
        later = self.box.clock.now() - stop.sent_at > KEY_LIFETIME
        if later:
            self._expire(stop.records)
        before, records = self._state(), self._idempotency_records()
        status, _ = stop.send()
        self.box.drain_deliveries()
        self.last = stop.send
        after = self._state()
        if later:  # the key used anew: its 24 hours count from now (seed 13061)
            made = stop.records | (self._idempotency_records() - records)
            self.last_stop = replace(stop, sent_at=self.box.clock.now(), records=made)
        self.reached[f"stop's key sent again {'after' if later else 'within'} 24 h"] += 1
        if later and status == 200:
            a_stop_after_its_key_books_once(before[0], after[0], stop.invoice_id)
        else:  # a retry, or a new stop refused (nothing open): no change
            if status != 200:
                _refused_by_rule(status, after)
            a_replay_changes_nothing(before, after)

    def _idempotency_records(self) -> frozenset[str]:
        table = self._idempotency_table()
        items = table.scan(ProjectionExpression="id")["Items"]
        return frozenset(str(item["id"]) for item in items)

    def _expire(self, records: frozenset[str]) -> None:
        """The key's records expired, as they have on the sandbox's clock: Powertools reads
        the wall clock, which the walk does not move."""
        table = self._idempotency_table()
        for record in records:
            table.update_item(
                Key={"id": record},
                UpdateExpression="SET expiration = :gone",
                ExpressionAttributeValues={":gone": 0},
            )

    def _idempotency_table(self) -> Any:
        dynamodb = boto3.resource("dynamodb", region_name=REGION)
        return dynamodb.Table(self.box.names.idempotency_table_name)

    def _psp_refund_ends(self, j: int, status: str) -> None:
        """Mollie ends a refund it was asked for: paid back, or failed or canceled, and calls
        the payment's webhook. Not paid back, the credit is held again, refundable by bank,
        and never asked of the PSP again (R13, R27)."""
        psp = self.box.runtime.psp
        open_refunds = [
            (psp_id, refund_id)
            for psp_id in self.psp_payments
            for refund_id in psp.refunds(psp_id)
            if self.status_at_psp(psp_id, refund_id) == "pending"
            and refund_id not in self.lost_refunds.values()  # we know of none yet
        ]
        if not open_refunds:
            return
        psp_id, refund_id = open_refunds[j % len(open_refunds)]
        before = self._state()
        hook = psp.end_refund(psp_id, refund_id, status)
        self._sent(lambda: self._webhook(hook.body))
        if status in REFUND_NOT_PAID:
            self.refunds_not_paid[refund_id] = psp_id
            self.reached["PSP refund failed"] += 1
        else:  # paid back as booked: nothing to change but the refund's status kept
            a_replay_changes_nothing(
                _without_refund_statuses(before), _without_refund_statuses(self._state())
            )

    def _psp_refund_lost(self, i: int) -> None:
        """An iDEAL payment of 130 % whose refund the PSP makes and whose answer is lost (a
        timeout): the refund is pending on the invoice, its credit held for the PSP, until
        an operator records what the PSP's dashboard says (R13)."""
        self.lose_next_refund = True
        self._psp(i, 1.3, "now")
        self.lose_next_refund = False  # no refund was asked (nothing overpaid)

    def _record_refund(self, j: int, right: bool) -> None:
        """An operator records a refund whose answer was lost as refunded, with the id the
        PSP's dashboard shows, or a wrong one (the payment's own). R13, R34 (audit security3
        SEC3-2): a wrong id is refused, 422 unknown_psp_refund, and books nothing; the
        right one is booked, and every later webhook of the payment answers 200."""
        if not self.lost_refunds:
            return
        psp_id, refund_id = sorted(self.lost_refunds.items())[j % len(self.lost_refunds)]
        [invoice] = [
            v
            for v in self.invoices()
            if any(r.psp_payment_id == psp_id for r in pending_refunds(v))
        ]
        path = f"/api/v1/operator/invoices/{invoice.reference}/psp-refunds/{psp_id}"
        body = {"outcome": "refunded", "refund_id": refund_id if right else psp_id}
        key = {"Idempotency-Key": f"psp-refund-{psp_id}-{body['refund_id']}"}

        def send() -> tuple[int, Any]:
            return self.box.api("POST", path, caller=OPERATOR, body=body, headers=key)

        before = self._state()
        status, answer = send()
        self.last = send
        if not right:
            code = answer.get("error", {}).get("code") if isinstance(answer, dict) else None
            if (status, code) != (422, "unknown_psp_refund"):
                raise Violation("a wrong refund id books nothing", f"{psp_id}: {status} {answer}")
            a_replay_changes_nothing(before, self._state())
            self.reached["refund id recorded wrong, refused"] += 1
            return
        if status != 200:
            raise Violation(
                "unhandled exception", f"recording refund {refund_id}: {status} {answer}"
            )
        del self.lost_refunds[psp_id]
        self.recorded_by_hand.add(psp_id)
        self.reached["refund id recorded by hand"] += 1
        self._webhook(self.box.runtime.psp.webhook(psp_id).body)  # the PSP calls: 200

    def _psp_webhook_again(self, j: int) -> None:
        """The webhook of a payment one of whose refunds we keep in a final status (refunded,
        failed, canceled), once more. R11, R13 (audit security2, "1 + N"): the PSP is asked
        nothing about that refund, and nothing is written (no invoice's version moves)."""
        psp = self.box.runtime.psp
        final = {
            refund_id: psp_id
            for psp_id in self.psp_payments
            for refund_id in psp.refunds(psp_id)
            if any(psp_refund_status(v, refund_id) in REFUND_FINAL for v in self.invoices())
        }
        if not final:
            return
        psp_id = sorted(final.values())[j % len(final)]
        ended = [refund_id for refund_id, of in final.items() if of == psp_id]
        before, asked = self._state(), Counter(self.status_asked)
        body = psp.webhook(psp_id).body
        self._sent(lambda: self._webhook(body))
        if again := [r for r in ended if self.status_asked[r] > asked[r]]:
            raise Violation(
                "a refund's final status is not asked again", f"{psp_id}: asked of {again}"
            )
        a_replay_changes_nothing(before, self._state())
        self.reached["webhook again after a refund's final status"] += 1

    def _refund_by_bank(self, i: int) -> None:
        """The operator pays an invoice's credit refundable by bank back by transfer: a
        batch proposed, approved and sent (R13, R34). Of the invoices with such credit, when
        there is one."""
        with_credit = [v for v in self.invoices() if credit_refundable_by_bank(v) > 0]
        if not with_credit:
            return
        invoice = with_credit[i % len(with_credit)]
        body = {"refunds": [{"reference": invoice.reference, **PATIENTS_ACCOUNT}]}
        key = {"Idempotency-Key": f"refund-{invoice.reference}-{len(invoice.ledger)}"}
        status, batch = self.box.api("POST", REFUNDS, caller=OPERATOR, body=body, headers=key)
        if status != 200:
            _refused_by_rule(status, batch)
            return
        approve = f"{REFUNDS}/{batch['batch_id']}/approve"
        key = {"Idempotency-Key": f"approve-{batch['batch_id']}"}

        def send() -> tuple[int, Any]:
            return self.box.api("POST", approve, caller=OPERATOR, headers=key)

        status, answer = send()
        self.box.drain_deliveries()
        self.last = send
        if status != 200:
            raise Violation("unhandled exception", f"approving refund batch: {status} {answer}")
        self.reached["refund by bank"] += 1
        self.bank_refunds += [
            (t["invoice_reference"], t["end_to_end_id"], t["amount_cents"])
            for t in answer["transfers"]
            if t["amount_cents"] > 0
        ]

    def _refund_returned(self, j: int) -> None:
        """The patient's bank returns one of our bank refunds (a credit repeating its
        end-to-end id, listed ``refund_returned``) and an operator matches it to the
        invoice it paid back from: the refund undone, the credit held for the patient
        again, no payment received and no fee on it (R13, R24, R34; stop 45 money9). Of
        the bank refunds sent and not yet returned, when there is one."""
        left = [r for r in self.bank_refunds if r[1] not in self.refunds_returned]
        if not left:
            return
        reference, end_to_end_id, amount = left[j % len(left)]
        self.refunds_returned.add(end_to_end_id)
        back = BankLine(end_to_end_id, amount, "AC04")
        # Its own entry reference and statement id: two returns on one day are two entries.
        xml = bank_day(self.today, [back]).replace(b"OUT-", f"OUT{self.files}-".encode())
        self._sent(lambda: self.box.upload_bank_statement(xml, self._file_name("xml")))
        # The answer shows no transfer ids: the one returned refund of this amount listed.
        unmatched = self._unmatched()[1]["items"]
        listed = [
            c for c in unmatched if c["reason"] == "refund_returned" and c["amount_cents"] == amount
        ]
        if len(listed) != 1:
            raise Violation("a returned refund is listed", f"{end_to_end_id}: {len(listed)}")
        [credit_listed] = listed
        before = next(v for v in self.invoices() if v.reference == reference)
        status, answer = self._operator_match(credit_listed, {"reference": reference})
        after = self._invoice(before)
        a_returned_refund_is_the_refund_undone(before, after, amount, status, answer)
        self.reached["bank refund returned, matched back"] += 1

    def _correct_stop(self, i: int) -> None:
        """The operator reverses the invoice's last stop or coulance (R34)."""
        invoice = self.pick(i)
        stops = [
            n
            for n, entry in enumerate(invoice.ledger, 1)
            if entry.kind in (EntryKind.STOP, EntryKind.COULANCE) and entry.amount_cents < 0
        ]
        if not stops:
            return
        path = f"/api/v1/operator/invoices/{invoice.reference}/corrections"
        body = {"entry_id": stops[-1], "reason": "verkeerde stop"}
        key = {"Idempotency-Key": f"correct-{invoice.reference}-{stops[-1]}"}
        self._sent(lambda: self.box.api("POST", path, caller=OPERATOR, body=body, headers=key))

    def _defer(self, i: int) -> None:
        self._as_patient(self.pick(i), "deferral", {})

    def _arrange(self, i: int, terms: int) -> None:
        self._as_patient(self.pick(i), "arrangement", {"terms": terms})

    def _as_patient(self, invoice: Invoice, what: str, body: dict[str, Any]) -> None:
        path = f"/api/v1/invoices/{invoice.reference}/{what}"
        body |= {"birth_date": invoice.birth_date.isoformat()}
        self.box.api("POST", path, body=body, headers=JSON)
        self.box.drain_deliveries()

    def _hold(self, i: int, days: int) -> None:
        invoice = self.pick(i)
        body = {"until": (self.today + timedelta(days=days)).isoformat(), "reason": "bezwaar"}
        path = f"/api/v1/provider/invoices/{invoice.invoice_id}/hold"
        self.box.api("POST", path, provider_id=PRACTICE, body=body)

    def _agency_paid(self, i: int, share: float, days_back: int | str) -> None:
        """The agency's report-back: a claim it holds paid to it, on the day, days before,
        or (``before_invoice``) the day before the invoice's date, a typo: refused, nothing
        booked (R22, legal-nl.md §2; audit AGENCY4). What it reports is no money in our account (R24,
        audit AGENCY3): it is counted apart from ``received``."""
        at_agency = [v for v in self.invoices() if v.is_with_collection_agency]
        if not at_agency:
            return
        invoice = at_agency[i % len(at_agency)]
        assert invoice.handed_over_on is not None
        if days_back == "before_invoice":
            paid_on = invoice.issue_date - timedelta(days=1)
        elif days_back == "before_handover":  # paid in the reminder's term, forwarded
            paid_on = invoice.handed_over_on - timedelta(days=1)
        else:
            paid_on = max(self.today - timedelta(days=int(days_back)), invoice.handed_over_on)
        owed = invoice.balance_cents + accrued_interest(invoice, paid_on)
        amount = max(1, int(owed * share))
        row = f"{invoice.reference};AG-{self.files};paid;{amount};{paid_on}"
        report = f"reference;agency_ref;status;amount_cents;paid_on\r\n{row}\r\n".encode()
        before = self._state()
        self._sent(lambda: self.box.upload_collection_report(report, self._file_name("csv")))
        if paid_on >= invoice.issue_date and amount <= owed:
            self.reported_by_agency += amount
            return
        # Refused, nothing booked: dated before the invoice, or (audit agency2) for more
        # than the claim owed on its day, whose surplus would be a credit we refund.
        a_replay_changes_nothing(before, self._state())
        if paid_on < invoice.issue_date:
            self.reached["agency report dated before the invoice"] += 1
        else:
            self.reached["agency report for more than the claim owed"] += 1

    def _agency_remits(self, j: int, share: float, how: str) -> None:
        """The agency transfers ``share`` of what it reported collected on a claim and did
        not transfer yet, quoting the claim's kenmerk or not (an operator matches it to
        the claim). R24, R27 (audit AGENCY3): it is money received once, when it reaches
        our account; the claim is not paid again and the patient gets no credit; more
        than the agency collected is listed for a person (or the match refused) and books
        nothing."""
        awaiting = [
            v for v in self.invoices() if awaited_cents(v) > 0 and v.is_with_collection_agency
        ]
        if not awaiting:
            return
        invoice = awaiting[j % len(awaiting)]
        awaited = awaited_cents(invoice)
        amount = max(1, int(awaited * share))
        if how == "patient":
            self._agency_remits_to_the_patient(invoice, amount)
            return
        if how.startswith("race"):
            self._agency_remits_raced(invoice, amount, how.removeprefix("race_"))
            return
        if how == "kenmerk":
            self._transfer(amount, 0, scor=invoice.reference)
        else:
            self._transfer(amount, 0, ustrd=("afdracht incassobureau",))
            self._match_to(invoice, amount)
        [after] = [v for v in self.invoices() if v.invoice_id == invoice.invoice_id]
        cause = payment_id("bank", _source(self.bank_credits[-1][1]))
        booked = is_remittance(after, cause)
        an_agency_transfer_pays_nothing_again(invoice, after, amount if booked else 0, self.today)
        if amount > awaited and booked:
            raise Violation(
                "an agency transfer is never more than it collected",
                f"{after.reference}: {amount} booked, {awaited} awaited",
            )
        more = " for more than it collected" if amount > awaited else ""
        self.reached[f"agency's transfer by {how}{more}"] += 1

    def _match_to(self, invoice: Invoice, amount: int) -> None:
        """An operator matches the last credit, of ``amount``, to ``invoice``'s kenmerk: 200,
        or 422 ``remittance_exceeds_agency_collection`` when it is more than the agency
        collected."""
        credit = self._listed(self.bank_credits[-1][1])
        status, answer = self._operator_match(credit, {"reference": invoice.reference})
        if status != 200 and _code(answer) != "remittance_exceeds_agency_collection":
            raise Violation("unhandled exception", f"matching the agency's transfer: {answer}")

    def _unmatched(self) -> tuple[int, dict[str, Any]]:
        """Every unmatched credit, page after page (credits58: the list pages, 100 a page);
        the last page's status, and the items of all of them."""
        items: list[dict[str, Any]] = []
        query: dict[str, str] = {}
        while True:
            status, page = self.box.api("GET", UNMATCHED, caller=OPERATOR, query=query)
            if status != 200:
                return status, page
            items.extend(page["items"])
            if not page.get("next_cursor"):
                return status, {"items": items}
            query = {"cursor": page["next_cursor"]}

    def _listed(self, tx_id: str) -> dict[str, Any]:
        """The unmatched credit of the walk's transfer ``tx_id``."""
        _, unmatched = self._unmatched()
        [credit] = [c for c in unmatched["items"] if tx_id in json.dumps(c)]
        return credit

    def _operator_match(self, credit: dict[str, Any], body: dict[str, Any]) -> tuple[int, Any]:
        """An operator's match of a listed ``credit`` as ``body`` says: its status and
        answer. R12, R34 (audit security4 SEC4-1, agency5): refused, it books nothing and
        the credit is listed again, to be matched another way."""
        path = f"{UNMATCHED}/{credit['credit_id']}/match"
        key = {"Idempotency-Key": f"match-{credit['credit_id']}"}

        def send() -> tuple[int, Any]:
            return self.box.api("POST", path, caller=OPERATOR, body=body, headers=key)

        status, answer = send()
        self.box.drain_deliveries()
        self.last = send
        if status != 200:
            _refused_by_rule(status, answer)
            _, unmatched = self._unmatched()
            a_refused_match_books_nothing(self.invoices(), credit, unmatched["items"], answer)
        return status, answer

    def _agency_remits_to_the_patient(self, invoice: Invoice, amount: int) -> None:
        """The agency's transfer without the kenmerk, matched by an operator to the claim's
        patient (R24, R13, R34; agency5): booked as the agency's transfer over the
        patient's claims that wait for it, the patient's balances unchanged; when the
        patient also owes another invoice, refused (422 agency_transfer_or_patients_payment:
        the patient number cannot tell the agency's money from the patient's own), nothing
        booked and the credit listed."""
        before = [v for v in self.invoices() if v.patient_ref == invoice.patient_ref]
        waiting = [v for v in before if v.is_with_collection_agency and awaited_cents(v) > 0]
        ids = {v.invoice_id for v in waiting}
        others_owe = any(owed_on(v, self.today) > 0 for v in before if v.invoice_id not in ids)
        self._transfer(amount, 0, ustrd=("afdracht incassobureau",))
        credit = self._listed(self.bank_credits[-1][1])
        body = {"provider_id": PRACTICE, "patient_ref": invoice.patient_ref}
        status, answer = self._operator_match(credit, body)
        refused = {
            "agency_transfer_or_patients_payment": others_owe,
            "remittance_exceeds_agency_collection": amount > sum(map(awaited_cents, waiting)),
        }
        if status != 200 and refused.get(_code(answer) or ""):
            self.reached[f"patient match refused: {_code(answer)}"] += 1
            return
        if status != 200 or others_owe:
            raise Violation(
                "a patient's match while a claim waits for the agency is its transfer",
                f"{invoice.patient_ref}: {status} {_code(answer)}, owes another: {others_owe}",
            )
        after = {v.invoice_id: v for v in self.invoices()}
        for was in before:
            now = after[was.invoice_id]
            booked = awaited_cents(was) - awaited_cents(now)
            an_agency_transfer_pays_nothing_again(was, now, booked, self.today)
        moved = sum(awaited_cents(v) - awaited_cents(after[v.invoice_id]) for v in waiting)
        if moved != amount:
            raise Violation(
                "a patient's match while a claim waits for the agency is its transfer",
                f"{invoice.patient_ref}: {amount} matched, {moved} of the agency's booked",
            )
        self.reached["patient match booked as the agency's transfer"] += 1

    def _agency_remits_raced(self, invoice: Invoice, amount: int, other: str) -> None:
        """Two of the agency's transfers for one claim booked at once (R12, R24, R34; audit
        security4 SEC4-1): an operator matches one (without the kenmerk) to the claim, and
        between the match's check of what the agency still has to transfer and its
        booking, a transfer that leaves less than it awaited (but not nothing) is booked:
        by the bank import (``other`` "import", quoting the kenmerk) or by another
        operator's match. The first is then refused (422
        remittance_exceeds_agency_collection), books nothing and is listed again."""
        awaited = awaited_cents(invoice)
        meanwhile = max(1, awaited - amount // 2)  # leaves half of the first's amount
        self._transfer(amount, 0, ustrd=("afdracht incassobureau",))
        first = self._listed(self.bank_credits[-1][1])
        if other == "operator":
            self._transfer(meanwhile, 0, ustrd=("afdracht incassobureau",))
            second = self._listed(self.bank_credits[-1][1])

        def the_other_booking() -> None:
            if other == "import":
                self._transfer(meanwhile, 0, scor=invoice.reference)
            else:
                self._operator_match(second, {"reference": invoice.reference})

        with _between_check_and_booking(the_other_booking):
            status, _ = self._operator_match(first, {"reference": invoice.reference})
        if status == 200 and amount > 1:  # more than the agency had left to transfer
            raise Violation(
                "an agency transfer is never more than it collected",
                f"{invoice.reference}: {amount} matched of {awaited} after {meanwhile}",
            )
        self.reached[f"two of the agency's transfers at once ({other})"] += 1

    def _credit_before_invoice(self, n: int) -> None:
        """A patient's transfer without a kenmerk, booked three days before the invoice it
        pays is issued (the practice's upload of new claims), listed; an operator matches
        it to that invoice's kenmerk (R34, legal-nl.md §5): it pays the invoice, which
        counts as paid on time (R25; audit risk RISK3), not as stopped."""
        known = {v.invoice_id for v in self.invoices()}
        self._upload(n)
        new = [v for v in self.invoices() if v.invoice_id not in known]
        if not new:
            return
        invoice = new[0]
        self._transfer(invoice.amount_due_cents, 3, ustrd=("tandarts",))
        credit = self._listed(self.bank_credits[-1][1])
        status, _ = self._operator_match(credit, {"reference": invoice.reference})
        if status == 200:
            self.reached["credit received before its invoice, matched to it"] += 1

    def _agency_file(self, day: date) -> dict[str, Any] | None:
        """The practice's daily file for the agency of ``day``, if the run wrote one."""
        key = f"collection-updates/{day.isoformat()}/{PRACTICE}.json"
        if not self.box.output_keys(key):
            return None
        document: dict[str, Any] = json.loads(self.box.output_object(key))
        return document

    def _upload(self, n: int) -> None:
        """New claims of the first patients; claim refs of their own (U... for R...)."""
        csv = declaration_csv(3, seed=n, today=self.today).replace(b"\nR", f"\nU{n:02d}".encode())
        self.declare(f"walk-{n}.csv", csv)

    def _export(self, n: int) -> None:
        """New claims of the first patients as the practice's system exports them: claim
        refs of digits with leading zeros (R3, R40: read without them)."""
        csv = declaration_csv(3, seed=n, today=self.today)
        csv = csv.replace(b"\nR", f"\n00{n % 100:02d}".encode())
        self.exports[n] = csv
        self.declare(f"export-{n}.csv", csv)

    def _excel_copy(self, n: int) -> None:
        """That export opened in Dutch Excel and saved again: refs without their leading
        zeros, treatment codes in lower case, birth dates d-m-yyyy, cp1252. R3, R40 (audit
        FILES2): every line is one already processed, nothing is invoiced twice."""
        if (export := self.exports.get(n)) is None:
            return
        before = self._state()
        self.box.upload_declaration(PRACTICE, f"export-{n}-excel.csv", _as_excel_saves(export))
        self.box.drain_deliveries()
        a_replay_changes_nothing(before, self._state())
        self.reached["an export saved again by Excel"] += 1

    def _insurer_statement(self, i: int, share: float) -> None:
        """The patient of a non-contracted invoice sends the insurer's statement, reimbursed
        ``share`` of the care: the automatic coulance policy lowers what they pay at once
        (R17, legal-nl.md §6). Of the invoices that take one, when there is one."""
        welcome = [v for v in self.invoices() if statement_unwelcome(v, WALK_PRACTICE) is None]
        if not welcome:
            return
        invoice = welcome[i % len(welcome)]
        body = {"reimbursed": int(invoice.gross_cents * share), "withheld_deductible": 0}
        self._as_patient(invoice, "insurer-statement", body)
        self.reached["statement taken by the automatic policy"] += 1

    def _refund_id_corrected(self, j: int) -> None:
        """A refund whose answer was lost, booked as refunded under the payment's own id by
        an operator before ids were checked (its webhook's Refund_unknown_at_psp alarm),
        corrected by an operator with the refund's id at the PSP (R13, R27, R34; psp3):
        200, the credit as it was, and every later webhook of the payment answers 200."""
        if not self.lost_refunds:
            return
        psp_id, refund_id = sorted(self.lost_refunds.items())[j % len(self.lost_refunds)]
        [invoice] = [
            v
            for v in self.invoices()
            if any(r.psp_payment_id == psp_id for r in pending_refunds(v))
        ]
        at = self.box.clock.now()

        def recorded_unchecked(current: Invoice) -> Invoice:
            return settle_pending_refund(current, psp_id, "refunded", psp_id, "before-checks", at)

        save_change(self.box.runtime.repository, invoice, recorded_unchecked)
        credit = self._invoice(invoice).credit_cents
        path = f"/api/v1/operator/invoices/{invoice.reference}/psp-refunds/{psp_id}"
        body = {"outcome": "refunded", "refund_id": refund_id}
        key = {"Idempotency-Key": f"psp-refund-{psp_id}-{refund_id}"}

        def send() -> tuple[int, Any]:
            return self.box.api("POST", path, caller=OPERATOR, body=body, headers=key)

        status, answer = send()
        self.last = send
        if status != 200:
            raise Violation("a refund id is corrected", f"{psp_id}: {status} {answer}")
        if (now := self._invoice(invoice).credit_cents) != credit:
            raise Violation(
                "a refund id corrected leaves the credit", f"{psp_id}: {credit} -> {now}"
            )
        del self.lost_refunds[psp_id]
        self.recorded_by_hand.add(psp_id)
        self.reached["refund id corrected by an operator"] += 1
        self._webhook(self.box.runtime.psp.webhook(psp_id).body)  # the PSP calls: 200

    def _invoice(self, invoice: Invoice) -> Invoice:
        """``invoice`` as stored now."""
        [now] = [v for v in self.invoices() if v.invoice_id == invoice.invoice_id]
        return now

    def _retour(self, i: int, share: float, of: str = "") -> None:
        """The insurer's retour (MZ302) on the claims of an invoice: it grants ``share`` of
        each line, so the patient owes less or, under what was granted before, more (R5).
        No money comes in. A raise before the costs is noted: a reminder sent before it
        asked less, and supports no costs (legal-nl.md §2, §7). ``of="statement"``: of the
        invoices whose statement the automatic policy took, when there is one; after it
        the policy has nothing more to forgive than before (R17, legal-nl.md §6: its
        amount holds whichever came first). A retour that grants more after a stop or
        coulance books back what they need no longer forgive (R13, R21)."""
        taken = [v for v in self.invoices() if v.insurer_statement is not None]
        invoice = taken[i % len(taken)] if of and taken else self.pick(i)
        claims = [self.claims[line.claim_ref] for line in invoice.lines]
        header = Header(
            practice_agb=DENTAL.agb_code,
            invoice_number=f"WALK-{self.files}",
            invoice_date=self.today,
            period_start=START - timedelta(days=60),
            period_end=self.today,
            uzovi=claims[0].insurer_uzovi,
        )
        granted = {
            claim.claim_ref: Granted(
                int(claim.unit_price_cents * claim.quantity * share), () if share else ("8072",)
            )
            for claim in claims
        }
        data = write_retour(MZ302_V13, header, claims, granted)
        self._sent(lambda: self.box.upload_retour(PRACTICE, self._file_name("mz302"), data))
        after = self.box.runtime.repository.get_invoice(PRACTICE, invoice.invoice_id)
        assert after is not None
        if after.amount_due_cents > invoice.amount_due_cents and invoice.costs_charged_on is None:
            self.raised.setdefault(invoice.invoice_id, []).append(self.today)
        if (statement := invoice.insurer_statement) is not None and after != invoice:
            the_policy_forgives_no_more_after_a_retour(invoice, after, statement)
            self.reached["retour after an automatic coulance"] += 1
        forgiven = any(e.kind in FORGIVING and e.amount_cents < 0 for e in invoice.ledger)
        if forgiven and after.balance_cents < invoice.balance_cents:
            self.reached["retour granting more after a stop or coulance"] += 1

    def _replay_day(self, back: int) -> None:
        """An operator replays the dunning run of a day gone by (R18): it changes no
        invoice, and the agency's file it writes again, of the day before, tells only
        what changed after each claim's handover (R34; audit money MONEY4)."""
        as_of = max(START, self.today - timedelta(days=back))
        # A replayed day reads the invoices as they are now, so it takes the steps the
        # walk's steps since today's run made due, as the next run would (seed 2026120552:
        # a payment returned after its reminder day, the reminder): today's run again
        # first, checked as any run; then the replayed day does nothing more.
        self._checked_run()
        before = self._state()
        self.box.run_dunning(as_of)
        # It may read an invoice whose check day it passes, and set that day anew, as the
        # next run would (R18): the run's index, not a change (seed 202668, a retour that
        # raised a paid invoice the day before).
        a_replay_changes_nothing(_unindexed(before), _unindexed(self._state()))
        told = as_of - timedelta(days=1)
        invoices = self.invoices()
        the_agency_is_told_each_change(invoices, self.handed_over, self._agency_file(told), told)

    def _replay(self) -> None:
        """The last webhook, statement, agency file or API request once more."""
        if self.last is None:
            return
        before = self._state()
        self.last()
        self.box.drain_deliveries()
        a_replay_changes_nothing(before, self._state())

    def _state(self) -> tuple[list[Invoice], Any, frozenset[str]]:
        _, unmatched = self._unmatched()
        return self.invoices(), unmatched, blocked_numbers(self.box.runtime.repository, PRACTICE)

    # --- after every step and at the end ------------------------------------------------

    def check(self) -> None:
        invoices = self.invoices()
        _, unmatched = self._unmatched()
        in_flight = sum(amount for _, amount in self.held_webhooks)
        money_is_conserved(invoices, unmatched["items"], in_flight, self.received)
        the_agencys_reports_are_not_received(invoices, self.reported_by_agency)
        for invoice in invoices:
            costs_and_interest_never_below_zero(invoice)
            no_payment_counted_twice(invoice)
            every_credit_has_a_way_back(invoice)
            no_credit_beyond_what_the_patient_paid(invoice)
            the_debtor_risk_outcome_agrees_with_the_ledger(invoice, self.today)
        no_claim_invoiced_twice(invoices)
        blocked_are_those_with_an_agency_claim(
            invoices, blocked_numbers(self.box.runtime.repository, PRACTICE)
        )
        a_split_credit_is_returned_whole_or_not_at_all(invoices)
        psp = self.box.runtime.psp
        a_psp_payment_is_refunded_once({p: psp.refunds(p) for p in self.psp_payments})
        a_psp_refund_not_paid_is_held_again_once(invoices, self.refunds_not_paid)

    def finish(self) -> None:
        """The retrocession of the week the walk ended in, then the weeks added up; each
        week's CSV against its JSON, as stored and as the practice downloads them; and
        each week built again by an operator, the same (R24)."""
        monday = self.today + timedelta(days=7 - self.today.weekday())
        self.box.clock.set(datetime.combine(monday, time(9), tzinfo=AMSTERDAM))
        self.box.run_retrocession(monday)
        weeks = self._weeks()
        retrocession_adds_up(self.invoices(), weeks)
        refunds_add_up(self.invoices(), weeks)
        for week in weeks:
            label = week["week"]
            stored_json, stored_csv, _, answer_json, answer_csv = self._statement_of(label)
            document = json.loads(stored_json)
            a_statements_csv_says_what_its_json_says(label, document, stored_csv.decode())
            a_statements_csv_says_what_its_json_says(label, answer_json, answer_csv)
        for week in weeks:
            label = week["week"]
            before = self._statement_of(label)
            self.box.run_retrocession(Week.parse(label).following().monday)
            a_statement_rebuilt_is_the_same(label, before, self._statement_of(label))

    def _weeks(self) -> list[dict[str, Any]]:
        """The practice's statements as its list shows them (R24)."""
        path = "/api/v1/provider/retrocessions"
        status, weeks = self.box.api("GET", path, provider_id=PRACTICE)
        if status != 200:
            raise Violation("unhandled exception", f"the list of statements: {status}")
        return list(weeks["items"])

    def _statement_of(self, week: str) -> tuple[bytes, bytes, Any, Any, Any]:
        """A week's statement: its two files, its item in the list, and the JSON and CSV
        the practice downloads (with the payout's state)."""
        files = [
            self.box.output_object(f"retrocession/{PRACTICE}/{week}.{extension}")
            for extension in ("json", "csv")
        ]
        listed = [w for w in self._weeks() if w["week"] == week]
        path = f"/api/v1/provider/retrocessions/{week}"
        answers = [
            self.box.api("GET", path, provider_id=PRACTICE, query={"format": output_format})
            for output_format in ("json", "csv")
        ]
        if any(status != 200 for status, _ in answers):
            raise Violation("unhandled exception", f"statement {week}: {answers}")
        return files[0], files[1], listed, answers[0][1], answers[1][1]


def walk(steps: list[Step], reached: Counter[str] | None = None) -> tuple[int, Violation] | None:
    """The steps on a fresh sandbox, checked after each: None, or the first violation with
    the index of its step (``len(steps)`` when the final check found it). An exception
    out of a handler is a violation too (``unhandled exception``). ``reached`` counts the
    new money paths the walk took (each once per walk that took it)."""
    with Sandbox(START, providers=(WALK_PRACTICE, *SAMPLE_PROVIDERS[1:])) as box:
        # The handlers warn of what the walk does on purpose (part payments, credits
        # without a kenmerk): only errors, so the runner's lines stay readable. The
        # handlers read it when the sandbox first calls them; its stop() restores it.
        os.environ["POWERTOOLS_LOG_LEVEL"] = "ERROR"
        # Five patients, one on paper (local/generate.py: every fifth).
        the_walk = Walk(box)
        the_walk.declare("walk.csv", declaration_csv(10, seed=2, today=START))
        try:
            for n, step in enumerate(steps):
                if violation := _broken(the_walk.take_and_check, step):
                    return n, violation
            if violation := _broken(the_walk.finish):
                return len(steps), violation
        finally:
            if reached is not None:
                reached.update(the_walk.reached.keys())
    return None


def _as_excel_saves(export: bytes) -> bytes:
    """A declaration CSV opened in Dutch Excel and saved again: digits-only references
    without leading zeros, treatment codes in lower case, birth dates d-m-yyyy, CRLF and
    cp1252 (tests/functional/test_files_as_excel_saves_them.py)."""
    header, *rows = export.decode("utf-8").splitlines()
    names = header.split(";")
    saved = [header]
    for text in rows:
        row = dict(zip(names, text.split(";"), strict=True))
        row["claim_ref"] = str(int(row["claim_ref"]))
        row["treatment_code"] = row["treatment_code"].lower()
        year, month, day = row["birth_date"].split("-")
        row["birth_date"] = f"{int(day)}-{int(month)}-{year}"
        saved.append(";".join(row[name] for name in names))
    return ("\r\n".join(saved) + "\r\n").encode("cp1252")


def _other(i: int, k: int, count: int) -> int:
    """The index of an invoice other than ``i``'s (``k``'s, when that is another)."""
    return k % count if k % count != i % count else (i + 1) % count


def _source(tx_id: str) -> str:
    """What the walk's transfer ``tx_id`` is booked as (``bank_import.source_id``)."""
    return f"{ACCOUNT}/REF{tx_id}"


def _refused_by_rule(status: int, answer: Any) -> None:
    """A 4xx is a refusal the rules give (nothing open, no credit to refund); a 5xx is an
    exception out of the handler, counted as one."""
    if status >= 500:
        raise Violation("unhandled exception", f"{status}: {answer}")


def _code(answer: Any) -> str | None:
    """The error code of an API's refusal."""
    return answer.get("error", {}).get("code") if isinstance(answer, dict) else None


@contextmanager
def _between_check_and_booking(other: Callable[[], object]) -> Iterator[None]:
    """The next operator's match runs ``other`` (once) after its check of what the agency
    still has to transfer and before it writes its plan and books: two bookings of the
    agency's transfers at one moment, as two Lambda invocations can interleave."""
    check = money._refuse_more_than_the_agency_collected
    pending = [other]

    def checked_then_the_other(*args: Any) -> None:
        check(*args)
        while pending:
            pending.pop()()

    setattr(money, "_refuse_more_than_the_agency_collected", checked_then_the_other)  # noqa: B010
    try:
        yield
    finally:
        setattr(money, "_refuse_more_than_the_agency_collected", check)  # noqa: B010


def _broken(action: Callable[..., object], *args: Any) -> Violation | None:
    """The violation ``action`` raised: an invariant's, or any exception out of a handler
    (which Lambda would retry and park, and which leaves the walk's model behind)."""
    try:
        action(*args)
    except Violation as violation:
        return violation
    except Exception as error:  # noqa: BLE001 -- counted as a violation, by type
        return Violation("unhandled exception", f"{type(error).__name__}: {error}")
    return None


def _unindexed(
    state: tuple[list[Invoice], Any, frozenset[str]],
) -> tuple[list[Invoice], Any, frozenset[str]]:
    """The state without the run's index of each invoice (its next check day, and the
    version its save of it gave)."""
    invoices, unmatched, blocked = state
    return [replace(i, next_check_on=None, version=0) for i in invoices], unmatched, blocked


def _without_refund_statuses(
    state: tuple[list[Invoice], Any, frozenset[str]],
) -> tuple[list[Invoice], Any, frozenset[str]]:
    """The state without the PSP refund statuses the webhook keeps (refunds.py,
    ``psp_refund_status``), and the version their save gave: what the PSP said, not money."""
    invoices, unmatched, blocked = state
    kept = [
        replace(
            i,
            applied_payments=tuple(
                p for p in i.applied_payments if not p.startswith("refund-status:")
            ),
            version=0,
        )
        for i in invoices
    ]
    return kept, unmatched, blocked


# --- the invariants ---------------------------------------------------------------------------


def split_credits(invoices: list[Invoice]) -> set[str]:
    """The payment ids of bank credits booked on more than one invoice: a transfer quoting
    several kenmerken, or one an operator split (legal-nl.md §5)."""
    on: dict[str, set[str]] = {}
    for invoice in invoices:
        for entry in invoice.ledger:
            if entry.kind is EntryKind.PAYMENT and entry.cause.startswith("bank:"):
                on.setdefault(entry.cause, set()).add(invoice.invoice_id)
    return {cause for cause, where in on.items() if len(where) > 1}


def a_split_credit_is_returned_whole_or_not_at_all(invoices: list[Invoice]) -> None:
    """R12 (returned transfers are reversed), legal-nl.md §5: the bank's return of a credit
    booked over several invoices reverses every part, or, when it is not the whole credit
    or a part is no longer there to undo, none (``return_not_bookable``, for a person):
    never some parts and not others."""
    for cause in split_credits(invoices):
        left = {
            invoice.reference: sum(reversible(invoice, cause).values())
            for invoice in invoices
            if any(e.kind is EntryKind.PAYMENT and e.cause == cause for e in invoice.ledger)
        }
        paid = {
            invoice.reference: -sum(
                e.amount_cents
                for e in invoice.ledger
                if e.kind is EntryKind.PAYMENT and e.cause == cause
            )
            for invoice in invoices
            if invoice.reference in left
        }
        if any(left.values()) and left != paid:
            raise Violation(
                "a split credit is returned whole or not at all",
                f"{cause}: paid {paid}, left after reversals {left}",
            )


def _reversed_parts(invoices: list[Invoice], cause: str) -> str:
    """Of the parts of credit ``cause``: "" when none is reversed, "all" when every one is
    wholly reversed, else "some"."""
    parts = [
        (
            sum(reversible(i, cause).values()),
            any(e.kind is EntryKind.REVERSAL and e.note == f"{REVERSES}{cause}" for e in i.ledger),
        )
        for i in invoices
        if any(e.kind is EntryKind.PAYMENT and e.cause == cause for e in i.ledger)
    ]
    if not any(touched for _, touched in parts):
        return ""
    return "all" if all(left == 0 for left, _ in parts) else "some"


def a_psp_payment_is_refunded_once(refunds: dict[str, tuple[str, ...]]) -> None:
    """R13 (at most once: Mollie's refund call is not idempotent): the PSP is asked for
    one refund per payment, also after that refund failed (then the credit goes back by
    bank)."""
    if twice := {psp_id: ids for psp_id, ids in refunds.items() if len(ids) > 1}:
        raise Violation("a PSP payment is refunded once", f"refunds asked of the PSP: {twice}")


def a_psp_refund_not_paid_is_held_again_once(
    invoices: list[Invoice], not_paid: dict[str, str]
) -> None:
    """R13, R27: a booked PSP refund Mollie reports failed or canceled paid nothing back;
    its credit is held for the patient again exactly once: its REFUND entry and one entry
    of minus it, net nothing, however often the webhook comes."""
    for refund_id, psp_id in not_paid.items():
        entries = [
            e.amount_cents
            for invoice in invoices
            for e in invoice.ledger
            if e.kind is EntryKind.REFUND and e.note.partition(":")[2] == refund_id
        ]
        booked = [i.reference for i in invoices if refund_key(refund_id) in i.applied_payments]
        if len(booked) != 1 or len(entries) != 2 or sum(entries) != 0 or entries[0] <= 0:
            raise Violation(
                "a PSP refund not paid is held again once",
                f"refund {refund_id} of {psp_id}: booked on {booked}, its entries {entries}",
            )


def a_stop_after_its_key_books_once(
    before: list[Invoice], after: list[Invoice], invoice_id: str
) -> None:
    """R38 (keys are for retries; shared/retries.py): the same Idempotency-Key sent after
    its 24 hours is a new stop, answered 200: one stop or coulance entry more, under a
    cause the ledger did not hold."""
    [was] = [i for i in before if i.invoice_id == invoice_id]
    [now] = [i for i in after if i.invoice_id == invoice_id]
    stops = (EntryKind.STOP, EntryKind.COULANCE)
    new = [e for e in now.ledger[len(was.ledger) :] if e.kind in stops and e.amount_cents < 0]
    causes = {e.cause for e in was.ledger}
    if len(new) != 1 or new[0].cause in causes:
        raise Violation(
            "a stop's key books once in its 24 hours",
            f"{now.reference}: after the key's 24 hours the stop booked {len(new)} entries"
            f" ({[e.cause for e in new]})",
        )


def a_replay_changes_nothing(
    before: tuple[list[Invoice], Any, frozenset[str]],
    after: tuple[list[Invoice], Any, frozenset[str]],
) -> None:
    """R11 (a webhook is idempotent on payment and status), R12 (the same bank entry is
    ignored), R22 (the same agency report books nothing twice), R38 (the same
    Idempotency-Key, no second effect), R18 (a day's run again does nothing twice): no
    invoice, unmatched credit or block changes."""
    names = ("invoices", "unmatched credits", "blocked patients")
    changed = [name for name, b, a in zip(names, before, after, strict=True) if b != a]
    if changed:
        raise Violation("a replay changes nothing", f"it changed the {', '.join(changed)}")


def a_returned_refund_is_the_refund_undone(
    before: Invoice, after: Invoice, amount: int, status: int, answer: Any
) -> None:
    """R13, R24, R34 (stop 45 money9): our bank refund returned by the patient's bank and
    matched to its invoice is that refund undone (a REFUND entry of minus the amount):
    the credit held again, no payment, and the operator's answer says so."""
    new = after.ledger[len(before.ledger) :]
    undone = [e for e in new if e.kind is EntryKind.REFUND and e.amount_cents == -amount]
    parts = answer.get("matched_to", []) if status == 200 else []
    if (
        status != 200
        or len(undone) != 1
        or any(e.kind is EntryKind.PAYMENT for e in new)
        or after.credit_cents != before.credit_cents + amount
        or [p.get("outcome") for p in parts] != ["refund_undone"]
    ):
        raise Violation(
            "a returned refund is the refund undone",
            f"{after.reference}: {status} {[(e.kind.value, e.amount_cents) for e in new]},"
            f" credit {before.credit_cents} -> {after.credit_cents}, parts {parts}",
        )


def money_is_conserved(
    invoices: list[Invoice], unmatched: list[dict[str, Any]], in_flight: int, received: int
) -> None:
    """R12, R13, R27: every cent received in our account (PSP, bank, the agency's
    transfers, less transfers returned) is a payment or reversal entry of an invoice, an
    unmatched credit, or in a webhook that has not come yet; never dropped, never counted
    twice (the agency's transfer once, not again beside its report: audit AGENCY3). Our
    own bank refund returned (listed ``refund_returned``) is no money received: matched,
    it undoes the refund (R24)."""
    on_invoices = _paid_in(invoices, into_our_account=True)
    listed = sum(
        c["amount_cents"] * (1 if c["direction"] == "CRDT" else -1)
        for c in unmatched
        if c["reason"] != "refund_returned"
    )
    if on_invoices + listed + in_flight != received:
        raise Violation(
            "money is conserved",
            f"received {received} != on invoices {on_invoices} + unmatched {listed}"
            f" + webhooks to come {in_flight}",
        )


def the_agencys_reports_are_not_received(invoices: list[Invoice], reported: int) -> None:
    """R22, R24 (audit AGENCY3, AGENCY4): what the agency reported collected is on the
    claims as its payments (cause ``agency:``), each report once, never counted as money
    received (``money_is_conserved``: its transfer is); a report dated before the
    handover books nothing."""
    on_claims = -sum(
        e.amount_cents
        for invoice in invoices
        for e in invoice.ledger
        if e.kind is EntryKind.PAYMENT and is_agency(e.cause)
    )
    if on_claims != reported:
        raise Violation(
            "the agency's reports are booked once, not received",
            f"reported {reported}, the agency's payments on the claims {on_claims}",
        )


def an_agency_transfer_pays_nothing_again(
    before: Invoice, after: Invoice, booked: int, today: date
) -> None:
    """R24, R27, R13 (audit AGENCY3): the agency's transfer of what it collected (or the
    bank's return of it) changes neither what the patient owes nor their credit; of what
    the agency collected it waits for ``booked`` less. R25 (audit risk RISK1, RISK2): nor
    how the claim counts in the debtor-risk figures: the patient paid when the agency
    reported, not when its money reached us or went back."""
    waited = (awaited_cents(before), awaited_cents(after))
    if after.balance_cents != before.balance_cents or waited[0] - waited[1] != booked:
        raise Violation(
            "an agency's transfer pays nothing again",
            f"{after.reference}: balance {before.balance_cents} -> {after.balance_cents},"
            f" awaited {waited[0]} -> {waited[1]}, booked {booked}",
        )
    if (was := outcome_of(before, today)) != (now := outcome_of(after, today)):
        raise Violation(
            "the agency's transfer changes no debtor-risk outcome",
            f"{after.reference}: {was} -> {now}",
        )


def a_refused_match_books_nothing(
    invoices: list[Invoice], credit: dict[str, Any], unmatched: list[dict[str, Any]], answer: Any
) -> None:
    """R12, R34 (audit security4 SEC4-1, agency5): an operator's match refused (422)
    books nothing of the credit on any invoice, and the credit is on the unmatched list
    again, to be matched another way (not planned with nothing booked, off every list)."""
    listed = any(c["credit_id"] == credit["credit_id"] for c in unmatched)
    source = f"/{credit['entry_reference']}"  # the end of the cause it is booked under
    booked = [v.reference for v in invoices for e in v.ledger if e.cause.endswith(source)]
    if not listed or booked:
        raise Violation(
            "a refused match books nothing and leaves the credit listed",
            f"{credit['credit_id']} ({_code(answer)}): listed {listed}, booked on {booked}",
        )


def the_debtor_risk_outcome_agrees_with_the_ledger(invoice: Invoice, today: date) -> None:
    """R25, legal-nl.md §2 (audit risk RISK1-RISK3): a settled invoice counts by the day
    the patient paid. Stopped only when something forgave its principal (a stop, a
    coulance, a retour's credit), unpaid only when the agency wrote it off. Where its
    principal is plain (issued, less the reimbursement, and paid by the patient or the
    agency's report; nothing reversed, forgiven or raised since; no arrangement), the
    outcome is that of the day the payments first covered it, each taken no earlier than
    the issue (money received before the invoice pays it on the day it was issued): after
    the handover, after a delivered reminder, by the final payment date, or late. The
    agency's transfer and the bank's return of it are left out: they move the agency's
    money, not the day the patient paid (``_the_agencys_transfer``)."""
    if not invoice.is_paid:
        return
    outcome = outcome_of(invoice, today)
    principal = [
        e
        for e in invoice.ledger
        if e.component is Component.PRINCIPAL and not _the_agencys_transfer(e, invoice)
    ]
    forgiven = any(
        e.amount_cents < 0
        and (e.kind in FORGIVING or (e.kind is EntryKind.REIMBURSEMENT and RETOUR in e.cause))
        for e in principal
    )
    written_off = any(e.kind is EntryKind.STOP and is_agency(e.cause) for e in invoice.ledger)
    if (outcome is Outcome.STOPPED and not forgiven) or (
        outcome is Outcome.UNPAID and not written_off
    ):
        raise Violation(
            "the debtor-risk outcome agrees with the ledger",
            f"{invoice.reference}: {outcome} with nothing forgiven or written off",
        )
    plain = (EntryKind.ISSUED, EntryKind.REIMBURSEMENT, EntryKind.PAYMENT, EntryKind.REFUND)
    if invoice.arrangement is not None or any(
        e.kind not in plain or RETOUR in e.cause for e in principal
    ):
        return
    issued = min(e.at for e in principal if e.kind is EntryKind.ISSUED)
    owed = sum(e.amount_cents for e in principal if e.kind in plain[:2])
    paid, day = 0, None
    for e in sorted(
        (e for e in principal if e.kind is EntryKind.PAYMENT), key=lambda e: max(e.at, issued)
    ):
        paid -= e.amount_cents
        if paid >= owed:
            day = amsterdam_day(max(e.at, issued))
            break
    if day is None:
        return
    expected = _paid_on_the_day(invoice, day)
    if outcome is not expected:
        raise Violation(
            "the debtor-risk outcome agrees with the ledger",
            f"{invoice.reference}: {outcome}, paid on {day}: {expected}",
        )


def _paid_on_the_day(invoice: Invoice, day: date) -> Outcome:
    """R25 (collection/debtor_risk.py's outcomes): how far dunning had come on ``day``."""
    if invoice.handed_over_on is not None and day >= invoice.handed_over_on:
        return Outcome.PAID_AFTER_COLLECTION
    reminder = invoice.reminder
    if reminder is not None and not reminder.undelivered and day >= reminder.sent_on:
        return Outcome.PAID_AFTER_REMINDER
    if day <= invoice.current_final_payment_date:
        return Outcome.PAID_ON_TIME
    return Outcome.PAID_LATE


def no_credit_beyond_what_the_patient_paid(invoice: Invoice) -> None:
    """R13, R21, R5 (audit late, LATE-1): the patient's credit, money to pay back, never
    exceeds what they paid and were not paid back; a stop or coulance that a retour or a
    credit line makes needless is booked back, not turned into credit."""
    if invoice.credit_cents > max(paid_by_patient(invoice.ledger), 0):
        raise Violation(
            "no credit beyond what the patient paid",
            f"{invoice.reference}: credit {invoice.credit_cents},"
            f" paid {paid_by_patient(invoice.ledger)}",
        )


def no_claim_invoiced_twice(invoices: list[Invoice]) -> None:
    """R3, R40 (audit FILES2): a claim is on one invoice line, however often its file
    comes, also as Excel saves it (references without leading zeros)."""
    refs = Counter(line.claim_ref for invoice in invoices for line in invoice.lines)
    if twice := sorted(ref for ref, count in refs.items() if count > 1):
        raise Violation("no claim invoiced twice", f"claims on two lines: {twice}")


def the_policy_forgives_no_more_after_a_retour(
    before: Invoice, after: Invoice, statement: InsurerStatement
) -> None:
    """R17, legal-nl.md §6 (audit late2 LATE2-1): a retour on an invoice whose insurer's
    statement the automatic policy took leaves the policy nothing more to forgive than
    before it: the patient pays the policy's amount whether the statement or the retour
    came first."""
    was, now = (proposal_for(v, WALK_PRACTICE, statement).coulance_cents for v in (before, after))
    if now > was:
        raise Violation(
            "the policy's amount holds after a retour",
            f"{after.reference}: the policy would forgive {now} more (was {was})",
        )


def _paid_in(invoices: list[Invoice], *, into_our_account: bool = False) -> int:
    """What the ledgers hold of money received: payments less reversals; with
    ``into_our_account``, not the agency's reports of what it collected."""
    return -sum(
        entry.amount_cents
        for invoice in invoices
        for entry in invoice.ledger
        if entry.kind in (EntryKind.PAYMENT, EntryKind.REVERSAL)
        and not (into_our_account and is_agency(entry.cause))
    )


def a_payment_pays_costs_interest_principal(invoice: Invoice, cause: str) -> None:
    """legal-nl.md §5 (art. 6:44 BW), §2 (audit legal2 LEGAL2-1): a payment made on the
    costs day and booked before the run that charged the costs pays them, then the
    interest, then principal, as one booked after the run does: what it put on interest
    or principal leaves no costs open, what it put on principal no interest."""
    paid = {
        component: -sum(
            e.amount_cents
            for e in invoice.ledger
            if e.kind is EntryKind.PAYMENT and e.cause == cause and e.component is component
        )
        for component in Component
    }
    costs, interest = (
        balance(invoice.ledger, Component.COSTS),
        balance(invoice.ledger, Component.INTEREST),
    )
    later = paid[Component.INTEREST] + paid[Component.PRINCIPAL]
    if (later > 0 and costs > 0) or (paid[Component.PRINCIPAL] > 0 and interest > 0):
        raise Violation(
            "a payment pays costs, interest, principal",
            f"{invoice.reference}: {cause} paid {[(c.value, a) for c, a in paid.items()]},"
            f" costs {costs} and interest {interest} left open",
        )


def costs_day_of(invoice: Invoice) -> date:
    """The day after the reminder's term (and the invoice's own): the run charges the
    costs that day (dunning/timeline.py, ``next_step``)."""
    assert invoice.reminder is not None
    return max(invoice.reminder.final_date, invoice.current_final_payment_date) + timedelta(days=1)


def costs_and_interest_never_below_zero(invoice: Invoice) -> None:
    """legal-nl.md §5, R13: a payment pays costs, then interest, then principal; what is
    paid back or reversed never takes more costs or interest than were charged."""
    for component in (Component.COSTS, Component.INTEREST):
        if (left := balance(invoice.ledger, component)) < 0:
            raise Violation(
                "costs and interest never below zero",
                f"{invoice.reference}: {component.value} {left}",
            )


def no_payment_counted_twice(invoice: Invoice) -> None:
    """R11, R12, R28: each payment, reversal and refund is applied once."""
    if len(set(invoice.applied_payments)) != len(invoice.applied_payments):
        raise Violation(
            "no payment counted twice", f"{invoice.reference}: {invoice.applied_payments}"
        )


def every_credit_has_a_way_back(invoice: Invoice) -> None:
    """R13 ("kept as a credit and refunded; never silently dropped"): each cent of credit
    may go back by bank, or its refund was asked of the PSP."""
    asked_of_psp = sum(refund.amount_cents for refund in pending_refunds(invoice))
    if credit_refundable_by_bank(invoice) + asked_of_psp < invoice.credit_cents:
        raise Violation(
            "every credit has a way back",
            f"{invoice.reference}: credit {invoice.credit_cents}, by bank"
            f" {credit_refundable_by_bank(invoice)}, asked of the PSP {asked_of_psp}",
        )


def blocked_are_those_with_an_agency_claim(
    invoices: list[Invoice], blocked: frozenset[str]
) -> None:
    """R22, R34: a patient is blocked while, and only while, a claim of theirs at the
    agency is unpaid (a payment, agency report or stop that settles it unblocks; a
    correction or reversal that reopens it blocks again)."""
    should = {i.patient_ref for i in invoices if i.is_with_collection_agency and not i.is_paid}
    if set(blocked) != should:
        raise Violation(
            "blocked are those with an agency claim",
            f"blocked {sorted(blocked)}, with an unpaid agency claim {sorted(should)}",
        )


def the_agency_is_told_each_change(
    invoices: list[Invoice], handed_over: dict[str, int], document: dict[str, Any] | None, day: date
) -> None:
    """R34 (what changes on our side of a claim the agency holds reaches it in a daily
    file), R18 (audit money MONEY1, MONEY4): the practice's file of ``day`` lists every
    claim handed over whose ledger changed that day (a payment, a return, a stop, a
    correction, an insurer's retour), each with the entries written that day after its
    handover and no others (what came before is in the handover file). Not the entries of
    the agency's own transfer to us or of the bank's return of it (``_the_agencys_transfer``):
    they change nothing the claim owes (round 41)."""
    expected = {
        invoice.reference: [
            _told(entry)
            for entry in invoice.ledger[at:]
            if _written(entry) == day and not _the_agencys_transfer(entry, invoice)
        ]
        for invoice in invoices
        if (at := handed_over.get(invoice.invoice_id)) is not None
    }
    expected = {reference: entries for reference, entries in expected.items() if entries}
    claims = document["claims"] if document else []
    listed = {claim["reference"]: [_told(entry) for entry in claim["entries"]] for claim in claims}
    if listed != expected:
        raise Violation(
            "the agency is told each change",
            f"file of {day}: {_differences(listed, expected)}",
        )


def _the_agencys_transfer(entry: LedgerEntry, invoice: Invoice) -> bool:
    """An entry of the agency's transfer booked as its remittance (the reversal of its
    report, cause ``agency:remitted:<payment>``, and that bank payment) or of the bank's
    return of that transfer (the return's reversal, note ``reverses <payment>``)."""
    remitted = {
        e.cause.removeprefix("agency:remitted:")
        for e in invoice.ledger
        if e.cause.startswith("agency:remitted:")
    }
    return (
        entry.cause.startswith("agency:remitted:")
        or entry.cause in remitted
        or entry.note.removeprefix("reverses ") in remitted
    )


def _told(entry: LedgerEntry | dict[str, Any]) -> tuple[Any, ...]:
    """A ledger entry as the daily file gives it (collection/handover.py)."""
    if isinstance(entry, LedgerEntry):
        entry = {
            "at": entry.at.isoformat(),
            "kind": entry.kind.value,
            "component": entry.component.value,
            "amount_cents": entry.amount_cents,
            "cause": entry.cause,
        }
    return tuple(entry[name] for name in ("at", "kind", "component", "amount_cents", "cause"))


def _written(entry: LedgerEntry) -> date:
    return entry.recorded.astimezone(AMSTERDAM).date()


def _differences(listed: dict[str, list[Any]], expected: dict[str, list[Any]]) -> str:
    """Per claim what the file has and what it should have, only where they differ."""
    return "; ".join(
        f"{reference}: listed {listed.get(reference)}, expected {expected.get(reference)}"
        for reference in sorted(set(listed) | set(expected))
        if listed.get(reference) != expected.get(reference)
    )


def check_the_run(before: Invoice, after: Invoice, day: date, raised: Sequence[date]) -> None:
    """What one day's dunning run did to one invoice; ``raised``: the days a retour
    raised what its patient owes before the costs."""
    no_dunning_letter_when_paid(before, after, day)
    no_costs_unless_in_default(before, after, day, raised)


def no_dunning_letter_when_paid(before: Invoice, after: Invoice, day: date) -> None:
    """R19, legal-nl.md §2: a reminder or second notice is for an amount unpaid; none
    goes out on an invoice paid before the run."""
    new = after.correspondence[len(before.correspondence) :]
    letters = [letter.kind for letter in new if letter.kind in DUNNING_LETTERS]
    if before.is_paid and letters:
        raise Violation(
            "no dunning letter when paid", f"{after.reference}: {letters[0]} on {day}, paid before"
        )


def no_costs_unless_in_default(
    before: Invoice, after: Invoice, day: date, raised: Sequence[date] = ()
) -> None:
    """legal-nl.md §2-§3, R20: costs only after the reminder's 14-day term expired unpaid;
    R15: none while an arrangement is kept; R16: none during a hold; §2, §7 (audit money
    MONEY2): none on a reminder sent before an insurer's retour raised what the patient
    owes (the letter asked less; the raise has a payment term of its own)."""
    new = after.ledger[len(before.ledger) :]
    if not any(e.kind is EntryKind.COSTS and e.amount_cents > 0 for e in new):
        return
    kept = before.arrangement and before.arrangement.is_active
    reminder = before.reminder
    if kept and after.arrangement and after.arrangement.is_active:
        why = "during an arrangement kept"
    elif before.is_on_hold(day):
        why = f"during a hold until {before.hold_until}"
    elif reminder is None or reminder.final_date >= day:
        why = f"before the reminder's term ended ({reminder and reminder.final_date})"
    elif raise_after := [on for on in raised if on >= reminder.sent_on]:
        why = f"on the reminder of {reminder.sent_on}, a retour raised the amount {raise_after[0]}"
    else:
        return
    raise Violation("no costs unless in default", f"{after.reference}: costs on {day} {why}")


def retrocession_adds_up(invoices: list[Invoice], weeks: list[dict[str, Any]]) -> None:
    """R24: every payment and reversal is in the retrocession of exactly one week, the
    week it reached the ledger, also when Mondays' runs came late; the agency's reports of
    money it collected in none, its transfer in the week it arrives (not in our account
    until then: audit AGENCY3)."""
    in_weeks = {week["week"]: week["received"] for week in weeks if week["received"]}
    by_week: Counter[str] = Counter()
    for invoice in invoices:
        for e in invoice.ledger:
            if e.kind in (EntryKind.PAYMENT, EntryKind.REVERSAL) and not is_agency(e.cause):
                by_week[Week.containing(e.recorded).label] -= e.amount_cents
    on_invoices = {week: cents for week, cents in by_week.items() if cents}
    if in_weeks != on_invoices:
        raise Violation(
            "retrocession adds up",
            f"received by week {in_weeks}, the ledgers by week {on_invoices}",
        )


def refunds_add_up(invoices: list[Invoice], weeks: list[dict[str, Any]]) -> None:
    """R24 (stop 45 money9): every refund entry is in the ``refunded`` of exactly one week,
    the week it reached the ledger (a returned bank refund undone: less refunded, not more
    received), and each week pays out what it received less what it refunded and its
    fee."""
    in_weeks = {week["week"]: week["refunded"] for week in weeks if week["refunded"]}
    by_week: Counter[str] = Counter()
    for invoice in invoices:
        for e in invoice.ledger:
            if e.kind is EntryKind.REFUND:
                by_week[Week.containing(e.recorded).label] += e.amount_cents
    on_invoices = {week: cents for week, cents in by_week.items() if cents}
    off = [
        w["week"] for w in weeks if w["payout"] != w["received"] - w["refunded"] - w["service_fee"]
    ]
    if in_weeks != on_invoices or off:
        raise Violation(
            "refunds add up",
            f"refunded by week {in_weeks}, the ledgers by week {on_invoices}; payout off in {off}",
        )


def a_statements_csv_says_what_its_json_says(week: str, document: dict[str, Any], csv: str) -> None:
    """R24 (the statement as JSON and as CSV, interfaces.md §3): the CSV of a week holds
    what its JSON holds, row for row: an ``entry`` row per line in the same order with
    every field (the amount also as euro text), a ``total`` per kind adding up its entry
    rows, the ``settlement``, the agency's ``information`` when there is any, and (as the
    practice downloads it) the ``payout`` the JSON shows: each step's date, the amount
    paid, the batch and the end-to-end id, the amounts carried, a payout waiting or
    carried."""
    header, *rows = _csv_cells(csv)
    seen: list[str] = []
    if tuple(header) != CSV_COLUMNS:
        seen.append(f"header {header}")
    by_record: dict[str, list[list[str]]] = {}
    for row in rows:
        by_record.setdefault(row[0], []).append(row[1:])
    entries = [
        [
            line["date"],
            line["at"],
            line["reference"],
            line["invoice_id"],
            line["kind"],
            line["component"],
            str(line["amount"]),
            _euro(line["amount"]),
            line["cause"],
            line["note"],
        ]
        for line in document["lines"]
    ]
    if by_record.pop("entry", []) != entries:
        seen.append("entry rows differ from the lines")
    sunday = (date.fromisoformat(document["period_end"][:10]) - timedelta(days=1)).isoformat()

    def summary(record: str, figures: dict[str, int], notes: bool = False) -> None:
        got = by_record.pop(record, [])
        want = [[sunday, "", "", "", name, "", str(c), _euro(c), ""] for name, c in figures.items()]
        if [row[:-1] for row in got] != want or (not notes and any(row[-1] for row in got)):
            seen.append(f"{record} rows {got}, the JSON {figures}")

    summary("total", document["totals_by_kind"])
    added: Counter[str] = Counter()
    for line in document["lines"]:
        added[line["kind"]] += line["amount"]
    if any(added[kind] != cents for kind, cents in document["totals_by_kind"].items()):
        seen.append(f"totals {document['totals_by_kind']}, the lines add up to {dict(added)}")
    summary("settlement", document["settlement"])
    summary("information", document.get("information", {}), notes=True)
    if (payout := document.get("payout")) is not None:
        want = _payout_rows(payout)
        if (got := by_record.pop("payout", [])) != want:
            seen.append(f"payout rows {got}, the JSON's payout {payout}")
    if by_record:
        seen.append(f"rows the JSON has not: {sorted(by_record)}")
    if seen:
        raise Violation("a statement's CSV says what its JSON says", f"{week}: {'; '.join(seen)}")


def _payout_rows(payout: dict[str, Any]) -> list[list[str]]:
    """The ``payout`` rows (less the record) that tell the JSON's ``payout``."""
    paid, batch = payout.get("paid", 0), payout["batch_id"]
    rows = [
        [day, "", "", "", step, "", str(paid), _euro(paid), batch, payout["end_to_end_id"]]
        for step, day in payout.get("dates", {}).items()
    ]
    if len(weeks := payout.get("weeks", [])) > 1:  # one transfer for these weeks together
        together = payout["statement_payout"]
        rows.append(
            ["", "", "", "", "weeks", "", str(together), _euro(together), batch, " ".join(weeks)]
        )
    rows += [
        ["", "", "", "", name, "", str(c), _euro(c), batch, ""]
        for name in ("carried_in", "owed_again", "carried_out")
        if (c := payout.get(name, 0))
    ]
    if repaid_in := payout.get("repaid_in"):  # a returned payout, paid again in that batch
        rows.append(["", "", "", "", "repaid_in", "", str(paid), _euro(paid), repaid_in, ""])
    if payout["state"] in ("waiting", "carried"):
        rows.append(["", "", "", "", payout["state"], "", "0", "0,00", batch, ""])
    return rows


def _csv_cells(text: str) -> list[list[str]]:
    """The rows of a ``;`` CSV, a cell a spreadsheet would take for a formula (shown as
    text with a ``'`` before it: shared/spreadsheet.py) as the text it stands for."""

    def cell(text: str) -> str:
        plain = text[1:]
        return plain if text.startswith("'") and plain.startswith(FORMULA_STARTS) else text

    # As a client reads the download: without the byte order mark it starts with (R35).
    return [[cell(c) for c in row] for row in csv_rows(text)]


def _euro(cents: int) -> str:
    """Cents as the CSV's euro text: a decimal comma, no thousands separator."""
    whole, rest = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{whole},{rest:02d}"


def a_statement_rebuilt_is_the_same(week: str, before: Any, after: Any) -> None:
    """R24 (retrocession_run.py: "the same ledgers give the same bytes"): a week's
    statement built again by an operator (the run with that week's Monday after) is the
    same JSON and CSV, byte for byte, and the same in the list and as the practice
    reads it."""
    if before != after:
        differ = [
            name for name, b, a in zip(_STATEMENT_FORMS, before, after, strict=True) if b != a
        ]
        raise Violation("a statement rebuilt is the same", f"{week}: {differ} differ")


_STATEMENT_FORMS = ("json file", "csv file", "in the list", "json answer", "csv answer")
