"""Debtor-risk figures (R25): per month of issue, how the provider's invoices ended up.

Each invoice has one outcome on the day the figures are asked for. A paid invoice counts
by the date of the payment that settled it (legal-nl.md §2: "The payment date decides,
not the moment we learn of it"), never by how far the dunning run had come when we
learned of it:

- paid after collection: paid on or after the day the claim was handed to the agency.
  A claim the agency reported paid counts by the day of its report, also once its
  transfer reached us (or the bank returned that transfer): the transfer moves the
  agency's money, not the patient's debt (payments/remittance.py);
- paid after reminder: paid on or after the day a reminder was sent (R19, in its term or
  after it), before the handover. A reminder that never reached the addressee (R7: a
  Permanent bounce) reminded nobody and does not count;
- paid on time: otherwise, paid by the final payment date the patient was given: the
  current one (a deferral moves it, R14), or the last term of an arrangement that was
  not cancelled (R15);
- paid late: paid after that date with no reminder sent yet (R19 waits 7 days). R25
  names no such outcome; "on time" would flatter the figures, and "after reminder"
  would credit a letter that had not gone;
- stopped: nothing is left to pay and no payment covered the principal: the provider
  stopped it or forgave the rest as coulance (R21, any amount up to all of it), or a
  credit declaration took it back. The rule lists no such outcome, but a forgiven
  invoice counted as "paid on time" would make the figures look better than the money
  did;
- left out: an invoice the insurer's retour paid in full (R5: a line a contracted
  insurer covers fully is never invoiced to the patient at all) asked the patient for
  nothing in the end, so it is no debtor risk; it is in no outcome and in no total.
  Neither is the insurer's grant a stop: what the insurer grants is taken as of the
  issue (it lowers what the patient was asked, the amounts below), so a patient who paid
  the rest counts by that payment, never "stopped" by the practice;
- unpaid: not paid and past the date it is due by (the same date as "on time": an
  arrangement that runs keeps it open until its last term), or written off by the
  collection agency (the money never came);
- open: not paid and not yet due, or the patient was told not to pay yet: a
  non-contracted invoice whose first reminder waits for the insurer's statement or the
  provider's decision on its proposal has no date to pay by (R37, legal-nl.md §7), so it
  is not in default; unpaid once that wait is over and the reminder went.

Counts, and amounts as the original amount the patient was asked (R21's "original
invoice amount"); shares are Decimal percentages with two decimals, rounded half-up, so
the shares of a month can add up to 99.99 or 100.01.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from billing_core.collection.collection_report import SOURCE as AGENCY
from billing_core.invoices.invoice import ArrangementStatus, Invoice
from billing_core.invoices.ledger import (
    Component,
    EntryKind,
    LedgerEntry,
    agency_transfer_positions,
)
from billing_core.payments.booking import payment_id
from billing_core.shared.clock import amsterdam_day

if TYPE_CHECKING:
    from billing_core.providers.provider import Provider

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
_MONTH = re.compile(MONTH_PATTERN)
_CENT_OF_A_PERCENT = Decimal("0.01")
_ASKED = (EntryKind.ISSUED, EntryKind.REIMBURSEMENT)  # what the patient was asked (R5)


class Outcome(StrEnum):
    PAID_ON_TIME = "paid_on_time"
    PAID_LATE = "paid_late"
    PAID_AFTER_REMINDER = "paid_after_reminder"
    PAID_AFTER_COLLECTION = "paid_after_collection"
    STOPPED = "stopped"
    UNPAID = "unpaid"
    OPEN = "open"


def outcome_of(invoice: Invoice, today: date, provider: Provider | None = None) -> Outcome:
    """``provider``: the invoice's practice, whose coulance policy says whether its patient
    is told not to pay yet (R37); without it, nobody is."""
    if not invoice.is_paid:
        if today <= _on_time_until(invoice) or _told_not_to_pay_yet(invoice, provider):
            return Outcome.OPEN
        return Outcome.UNPAID
    settled_by = _principal_settled_by(invoice)
    if settled_by is None or settled_by.kind is not EntryKind.PAYMENT:
        # Written off by the collection agency: the money never came (R25's "unpaid").
        if settled_by is not None and settled_by.cause.startswith(payment_id(AGENCY, "")):
            return Outcome.UNPAID
        return Outcome.STOPPED
    return _paid_on(invoice, amsterdam_day(settled_by.at))


def insurer_paid_it_all(invoice: Invoice) -> bool:
    """R5: the insurer's grant (a retour) left the patient nothing to pay of what was
    invoiced, and nothing else is owed: no debtor risk, left out of the figures. An
    invoice a credit declaration took back has nothing issued left, and stays stopped."""
    return invoice.is_paid and invoice.original_amount_cents <= 0 < invoice.gross_cents


def _paid_on(invoice: Invoice, day: date) -> Outcome:
    """The furthest step of dunning the payment came after, by its date (§2)."""
    if invoice.handed_over_on is not None and day >= invoice.handed_over_on:
        return Outcome.PAID_AFTER_COLLECTION
    reminder = invoice.reminder
    if reminder is not None and not reminder.undelivered and day >= reminder.sent_on:
        return Outcome.PAID_AFTER_REMINDER
    if day <= _on_time_until(invoice):
        return Outcome.PAID_ON_TIME
    return Outcome.PAID_LATE


def _told_not_to_pay_yet(invoice: Invoice, provider: Provider | None) -> bool:
    """legal-nl.md §7, R37, as the checker tells the patient. Imported here: the
    debtor-risk module is on the provider API's import path (cold start, #18 (d))."""
    if provider is None:
        return False
    from billing_core.changes.coulance import told_not_to_pay_yet

    return told_not_to_pay_yet(invoice, provider)


def _on_time_until(invoice: Invoice) -> date:
    """The last day the patient was given: the current final payment date (R14), or the
    due date of the last term of an arrangement that was not cancelled (R15)."""
    arrangement = invoice.arrangement
    if arrangement is None or arrangement.status is ArrangementStatus.CANCELLED:
        return invoice.current_final_payment_date
    return max(invoice.current_final_payment_date, arrangement.terms[-1].due_date)


def _principal_settled_by(invoice: Invoice) -> LedgerEntry | None:
    """The entry that last brought the principal to nothing: a payment, or a stop,
    coulance or credit declaration (a partial stop followed by payment of the rest is a
    payment; a payment followed by a stop of the rest is a stop). Taken in the order
    the entries are dated, so a payment we learned of late counts on its own day (§2).
    The principal alone: costs and interest forgiven after the principal was paid leave
    it paid; a paid invoice has its principal at nothing, since a credit sits there.
    The agency's transfer of what it collected, and its return, are left out: they add
    up to nothing, and the day the patient paid is the agency's report's. Money received
    before the invoice was issued (a credit an operator matched to it, R34) is taken as
    of the issue, after it: it paid the invoice, it did not precede what it paid. What
    the insurer reimburses, a retour's grant too, is taken as of the issue, before every
    payment and stop: it says what the patient was asked (R5), it never settles the
    invoice in the patient's stead (a patient who paid the rest paid it)."""
    owed = 0
    settling = None
    moved = agency_transfer_positions(invoice.ledger)
    principal = [
        entry
        for position, entry in enumerate(invoice.ledger)
        if entry.component is Component.PRINCIPAL and position not in moved
    ]
    issued = min((e.at for e in principal if e.kind is EntryKind.ISSUED), default=None)

    def in_order(entry: LedgerEntry) -> tuple[datetime, bool]:
        at = entry.at if issued is None else max(entry.at, issued)
        if entry.kind is EntryKind.REIMBURSEMENT and issued is not None:
            at = issued
        # On one moment, what was asked (issued, less the insurer's part) comes first.
        return at, entry.kind not in _ASKED

    for entry in sorted(principal, key=in_order):
        before, owed = owed, owed + entry.amount_cents
        if before > 0 >= owed:
            settling = entry
    return settling


# --- months -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        if not _MONTH.match(text):
            raise ValueError(f"not a month like 2026-11: {text!r}")
        return cls(int(text[:4]), int(text[5:]))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.following().first_day - timedelta(days=1)

    def following(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def minus(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 - months
        return Month(index // 12, index % 12 + 1)

    def until(self, last: Month) -> list[Month]:
        """This month up to and including ``last``."""
        months, month = [], self
        while month <= last:
            months.append(month)
            month = month.following()
        return months


# The months whose first and last day are dates: last_day steps to the month after, so
# 9999-12 has none, and the pattern's year 0000 is before date.min.
FIRST_MONTH = Month.of(date.min)
LAST_MONTH = Month.of(date.max).minus(1)


# --- figures ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figures:
    count: int = 0
    amount_cents: int = 0

    def plus(self, invoice: Invoice) -> Figures:
        return Figures(self.count + 1, self.amount_cents + invoice.original_amount_cents)


@dataclass(frozen=True, slots=True)
class RiskFigures:
    """The outcomes of one month's invoices (or of the whole range)."""

    label: str
    by_outcome: dict[Outcome, Figures]

    @property
    def total(self) -> Figures:
        figures = self.by_outcome.values()
        return Figures(sum(f.count for f in figures), sum(f.amount_cents for f in figures))

    def count_share(self, outcome: Outcome) -> Decimal | None:
        """Percentage of the invoices; None when there are none."""
        return _share(self.by_outcome[outcome].count, self.total.count)

    def amount_share(self, outcome: Outcome) -> Decimal | None:
        return _share(self.by_outcome[outcome].amount_cents, self.total.amount_cents)

    def whole_share(self) -> Decimal | None:
        """The total's share of itself (100.00), written as the outcomes' shares are."""
        return _share(self.total.count, self.total.count)


@dataclass(frozen=True, slots=True)
class DebtorRisk:
    first: Month
    last: Month
    as_of: date
    months: tuple[RiskFigures, ...]
    total: RiskFigures


def debtor_risk(
    invoices: Iterable[Invoice],
    first: Month,
    last: Month,
    today: date,
    provider: Provider | None = None,
) -> DebtorRisk:
    """R25 for the invoices issued from ``first`` up to and including ``last``: every month
    in the range is there, also one without invoices. Invoices outside it are ignored.
    ``provider``: the practice whose invoices they are (its coulance policy, R37)."""
    if last < first:
        raise ValueError("the last month is before the first")
    months = first.until(last)
    tallies = {month: {outcome: Figures() for outcome in Outcome} for month in months}
    for invoice in invoices:
        tally = tallies.get(Month.of(invoice.issue_date))
        if tally is not None and not insurer_paid_it_all(invoice):
            outcome = outcome_of(invoice, today, provider)
            tally[outcome] = tally[outcome].plus(invoice)
    overall = {
        outcome: Figures(
            sum(tallies[m][outcome].count for m in months),
            sum(tallies[m][outcome].amount_cents for m in months),
        )
        for outcome in Outcome
    }
    return DebtorRisk(
        first,
        last,
        today,
        tuple(RiskFigures(month.label, tallies[month]) for month in months),
        RiskFigures(f"{first.label}..{last.label}", overall),
    )


def _share(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    percentage = Decimal(part) * 100 / Decimal(whole)
    return percentage.quantize(_CENT_OF_A_PERCENT, rounding=ROUND_HALF_UP)
