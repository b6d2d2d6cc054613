"""Statutory interest on an invoice, computed on demand for any day (R20, legal-nl.md §4).

Never a running total: the amount follows from the ledger's principal history and the
rate table each time it is asked for, so the checker, the payoff amount, a payment and
the handover file agree to the cent on any date.

R20: until the reminder's term has expired unpaid (the run then charges the collection
costs and sets ``costs_charged_on``), no interest is asked; from then on it is counted
from the first day of default, the day after the (possibly deferred) final payment date,
or, when an arrangement granted before the costs was cancelled, the day after its missed
term: the arrangement moved the default (legal-nl.md §2), as a deferral does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from billing_core.invoices.invoice import ArrangementStatus, Invoice
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry, total_of
from billing_core.legal import CONSUMER, InterestResult, statutory_interest
from billing_core.shared.clock import amsterdam_day

NO_INTEREST = InterestResult(0, ())
_SETTLES_INTEREST = frozenset({EntryKind.PAYMENT, EntryKind.REVERSAL, EntryKind.STOP})


def first_day_of_default(invoice: Invoice) -> date:
    """legal-nl.md §2: in default the day after the final payment date, without notice;
    after a cancelled arrangement granted before the costs, the day after its missed term
    when that is later (the arrangement moved the default, §2, R15; timeline.py sends the
    new reminder after it). One granted after the costs leaves it: its terms counted the
    interest from the first default on (changes/arrangement.covering_schedule); so does
    one granted after the reminder's term while a hold kept the run from charging the
    costs (``_granted_after_the_term``)."""
    day = invoice.current_final_payment_date + timedelta(days=1)
    arrangement = invoice.arrangement
    if arrangement is None or arrangement.status is not ArrangementStatus.CANCELLED:
        return day
    charged_on = invoice.costs_decided_on_day
    if charged_on is not None and amsterdam_day(arrangement.created_at) >= charged_on:
        return day
    if _granted_after_the_term(invoice, amsterdam_day(arrangement.created_at)):
        return day
    # changes.arrangement imports this module (its terms carry the interest): imported
    # here, on the rare path of a cancelled arrangement, to break that cycle.
    from billing_core.changes.arrangement import missed_term

    missed = missed_term(invoice, date.max)
    return max(day, missed.due_date + timedelta(days=1)) if missed else day


def _granted_after_the_term(invoice: Invoice, granted_on: date) -> bool:
    """Whether the arrangement came after the term of a reminder that still supports the
    costs: the term expired unpaid, so the default stood and the costs were due (R20), and
    only a hold (R16) kept the run from charging them before it. Such an arrangement
    moved no default (legal-nl.md §2: only one granted during the term does), and the run
    charges the costs on that letter, no new reminder: the interest runs from the first
    default, as after one made after the costs (audit plans3)."""
    reminder = invoice.reminder
    if reminder is None or granted_on < reminder.decided_on_day:
        return False
    from billing_core.dunning.letter_costs import reminder_superseded  # rare path

    term_ends = max(reminder.final_date, invoice.current_final_payment_date)
    return granted_on > term_ends and not reminder_superseded(invoice)


def interest_statement(invoice: Invoice, until: date) -> InterestResult:
    """All interest accrued from the first day of default up to, not including, ``until``,
    with its segments (for letters and the handover file); none before R20 allows it:
    until the costs are charged, and never for a day within the reminder's term (a
    payment received in the term pays no interest, however late we learn of it)."""
    if invoice.costs_charged_on is None or within_term(invoice, until):
        return NO_INTEREST
    return statutory_interest(
        0,
        first_day_of_default(invoice),
        until,
        rates=CONSUMER,
        principal_changes=principal_history(invoice),
        interest_payments=interest_paid(invoice),
    )


def within_term(invoice: Invoice, day: date) -> bool:
    """Whether ``day`` is on or before the last day of the reminder's term."""
    return invoice.reminder is not None and day <= invoice.reminder.final_date


def accrued_interest(invoice: Invoice, day: date) -> int:
    """Interest accrued up to (not including) ``day`` and not yet in the ledger: what a
    payment received on ``day`` pays before the principal (legal-nl.md §5)."""
    if invoice.is_paid:
        return 0
    booked = total_of(invoice.ledger, EntryKind.INTEREST)
    return max(interest_statement(invoice, day).total_cents - booked, 0)


def amount_due_today(
    invoice: Invoice, today: date, interest: Callable[[Invoice, date], int] = accrued_interest
) -> int:
    """What the patient is told is due today (R20, R36): the ledger's balance plus the
    statutory interest accrued up to today and not yet booked; nothing when paid. The one
    figure of the checker's breakdown, a checkout, the e-mails and the practice's invoice
    list (``interest``: the accrual, tests pass their own). Of the invoice it is given: on
    the costs day before the run, the checker passes the invoice as the run will leave it
    (costs charged), the practice's list the one stored (costsday54)."""
    if invoice.is_paid:
        return 0
    return invoice.amount_due_cents + interest(invoice, today)


def interest_paid(invoice: Invoice) -> list[tuple[date, int]]:
    """(day, cents) of interest that left the claim: paid (less what came back), or
    forgiven by a stop. Only that takes compounded interest out of the base (§4)."""
    return [
        (amsterdam_day(entry.at), -entry.amount_cents)
        for entry in invoice.ledger
        if entry.component is Component.INTEREST and entry.kind in _SETTLES_INTEREST
    ]


def principal_history(invoice: Invoice) -> list[tuple[date, int]]:
    """(day, outstanding principal from that day on) after each principal change; a
    credit (overpayment) counts as nothing outstanding. In the order of the days the
    entries count from, not written: a payment read late counts from its own day, and a
    raise made after the costs (``counts_from``) from the day after its own final
    payment date."""
    history: list[tuple[date, int]] = []
    outstanding = 0
    for day, cents in sorted(_principal_changes(invoice), key=lambda change: change[0]):
        outstanding += cents
        history.append((day, max(outstanding, 0)))
    return history


def _principal_changes(invoice: Invoice) -> list[tuple[date, int]]:
    """(day it counts from, cents) of each change of the principal, one per change: the
    entries one moment and cause wrote together (a retour's lines and the forgiveness
    that follows them) are one change."""
    changes: list[tuple[date, int]] = []
    group: list[LedgerEntry] = []
    for entry in invoice.ledger:
        if entry.component is not Component.PRINCIPAL:
            continue
        if group and (entry.at, entry.cause) != (group[0].at, group[0].cause):
            changes.append(counts_from(invoice, group))
            group = []
        group.append(entry)
    if group:
        changes.append(counts_from(invoice, group))
    return changes


def counts_from(invoice: Invoice, change: Sequence[LedgerEntry]) -> tuple[date, int]:
    """(day, cents): the day from which one change of the principal is in the interest's
    base. Its own day, except for a raise made once the costs were charged (an insurer's
    retour that grants less, an operator's correction of a stop or coulance: R5, R34):
    that money was never on the invoice, the reminder or the second notice, so the
    patient is not in default for it (legal-nl.md §2) until its own final payment date
    has passed, the day of the raise plus the invoice's payment term (§7, as a raise
    before the costs gets); interest on it runs from the day after (§4). Until then
    the part in default is what it was."""
    cents = sum(entry.amount_cents for entry in change)
    day = amsterdam_day(change[0].at)
    charged_on = invoice.costs_decided_on_day
    if cents <= 0 or charged_on is None or day < charged_on:
        return day, cents
    if any(entry.kind not in _RAISES for entry in change):
        return day, cents
    return day + _payment_term(invoice) + timedelta(days=1), cents


# What raises the principal without having been asked: a deduction the insurer did not
# pay, a stop or coulance undone. Not a payment reversed (that money was asked and due).
_RAISES = frozenset({EntryKind.REIMBURSEMENT, EntryKind.COULANCE, EntryKind.STOP})


def _payment_term(invoice: Invoice) -> timedelta:
    """The payment term the invoice was given: from its issue to the final payment date
    it was sent with (declarations/invoicing.py: issue date + the provider's term)."""
    sent_with = invoice.sent_final_payment_date or invoice.final_payment_date
    return max(sent_with - invoice.issue_date, timedelta(0))
