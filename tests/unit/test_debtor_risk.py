"""Debtor-risk figures per month of issue (R25)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from billing_core.changes.arrangement import create_arrangement
from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.collection.debtor_risk import Figures, Month, Outcome, debtor_risk, outcome_of
from billing_core.declarations.credit_corrections import with_credit
from billing_core.declarations.retour import with_granted
from billing_core.invoices.invoice import (
    ArrangementStatus,
    Channel,
    CoveredInvoice,
    Deferral,
    DunningStage,
    InvoiceStatus,
    Reminder,
)
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.payments.booking import IncomingPayment, apply_payment, apply_reversal
from billing_core.payments.remittance import apply_remittance
from billing_core.shared.clock import AMSTERDAM
from tests.unit.claim_factories import claim
from tests.unit.factories import make_invoice, make_line, make_provider

DUE = 3317  # the factory invoice: € 48,25 less € 15,08 reimbursed; final date 23 December
TODAY = date(2027, 1, 15)
REMINDER_DAY = date(2026, 12, 31)  # R19: 7 days after the final date passed


def reminded(invoice, sent_on=REMINDER_DAY, *, undelivered=False, **changes):
    """The invoice with its 14-day letter sent on ``sent_on`` (R19, legal-nl.md §2)."""
    covered = CoveredInvoice(invoice.invoice_id, invoice.reference, DUE, 4000)
    letter = Reminder(
        "L-1",
        sent_on,
        Channel.EMAIL,
        sent_on,
        sent_on + timedelta(days=14),
        (covered,),
        undelivered=undelivered,
    )
    stage = changes.pop("dunning_stage", DunningStage.REMINDED)
    return replace(invoice, reminder=letter, dunning_stage=stage, **changes)


HANDED_OVER = reminded(
    make_invoice(status=InvoiceStatus.SENT),
    date(2026, 12, 24),
    dunning_stage=DunningStage.WITH_COLLECTION_AGENCY,
    handed_over_on=date(2027, 1, 11),
)


def paid(invoice, amount=DUE, on=date(2026, 12, 1)):
    moment = datetime(on.year, on.month, on.day, 12, 0, tzinfo=AMSTERDAM)
    return apply_payment(invoice, IncomingPayment("psp", f"tr_{amount}_{on}", amount, moment))


def stopped(invoice):
    request = StopRequest(StopScope.FULL, "goodwill", "", True)
    return apply_stop(
        replace(invoice, status=InvoiceStatus.SENT),
        request,
        datetime(2026, 12, 2, tzinfo=AMSTERDAM),
        "provider:u",
    )


@pytest.mark.parametrize(
    ("invoice", "today", "outcome"),
    [
        (paid(make_invoice()), TODAY, Outcome.PAID_ON_TIME),
        (
            paid(reminded(make_invoice()), on=date(2027, 1, 5)),
            TODAY,
            Outcome.PAID_AFTER_REMINDER,
        ),
        (
            paid(
                reminded(make_invoice(), dunning_stage=DunningStage.COSTS_CHARGED),
                on=date(2027, 1, 14),
            ),
            TODAY,
            Outcome.PAID_AFTER_REMINDER,
        ),
        (
            paid(HANDED_OVER, on=date(2027, 1, 12)),
            TODAY,
            Outcome.PAID_AFTER_COLLECTION,
        ),
        (stopped(make_invoice()), TODAY, Outcome.STOPPED),
        (stopped(paid(make_invoice(), 1000)), TODAY, Outcome.STOPPED),  # the rest written off
        (paid(make_invoice(), 1000), TODAY, Outcome.UNPAID),  # partly paid, past 23 December
        (make_invoice(), date(2026, 12, 23), Outcome.OPEN),  # the final payment date itself
        (make_invoice(), date(2026, 12, 24), Outcome.UNPAID),
        (
            make_invoice(
                deferral=Deferral(datetime(2026, 12, 20, tzinfo=AMSTERDAM), date(2027, 1, 22))
            ),
            TODAY,
            Outcome.OPEN,  # a deferral moved the final date (R14)
        ),
    ],
)
def test_each_invoice_has_one_outcome(invoice, today, outcome):
    assert outcome_of(invoice, today) is outcome


def test_figures_per_month_of_issue_with_counts_amounts_and_shares():
    """Given four November invoices (three paid on time, one unpaid of twice the amount)
    and one in January 2027 that is still open
    When the figures of November 2026 up to January 2027 are asked on 15 January
    Then November shows 75% of the count and 60% of the amount paid on time, December
    has no invoices, and the range's total counts all five."""
    november = [paid(make_invoice(invoice_id=f"n{i}")) for i in range(3)]
    double = make_invoice(
        invoice_id="big",
        issue_date=date(2026, 11, 30),
        lines=(make_line(unit_price_cents=2 * DUE),),
    )
    january = make_invoice(
        invoice_id="jan", issue_date=date(2027, 1, 5), final_payment_date=date(2027, 2, 4)
    )
    too_early = make_invoice(invoice_id="oct", issue_date=date(2026, 10, 31))

    risk = debtor_risk(
        [*november, double, january, too_early], Month(2026, 11), Month(2027, 1), TODAY
    )

    assert [m.label for m in risk.months] == ["2026-11", "2026-12", "2027-01"]
    nov, dec, jan = risk.months
    assert nov.by_outcome[Outcome.PAID_ON_TIME].count == 3
    assert nov.by_outcome[Outcome.UNPAID].amount_cents == 2 * DUE
    assert nov.count_share(Outcome.PAID_ON_TIME) == Decimal("75.00")
    assert nov.amount_share(Outcome.PAID_ON_TIME) == Decimal("60.00")
    assert nov.amount_share(Outcome.UNPAID) == Decimal("40.00")
    assert dec.total.count == 0 and dec.count_share(Outcome.OPEN) is None
    assert jan.by_outcome[Outcome.OPEN].count == 1
    assert risk.total.total.count == 5 and risk.total.label == "2026-11..2027-01"


def test_shares_are_rounded_half_up_to_a_hundredth_of_a_percent():
    invoices = [
        paid(make_invoice(invoice_id="p")),
        make_invoice(invoice_id="u1"),
        make_invoice(invoice_id="u2"),
    ]
    month = debtor_risk(invoices, Month(2026, 11), Month(2026, 11), TODAY).months[0]
    assert month.count_share(Outcome.PAID_ON_TIME) == Decimal("33.33")
    assert month.count_share(Outcome.UNPAID) == Decimal("66.67")


def test_months_parse_and_count_across_the_year():
    assert Month.parse("2026-11").until(Month.parse("2027-02"))[-1].label == "2027-02"
    assert Month(2027, 1).minus(11) == Month(2026, 2)
    assert Month(2024, 2).last_day == date(2024, 2, 29)
    for bad in ("2026-13", "2026-1", "26-11", "2026-11-01"):
        with pytest.raises(ValueError):
            Month.parse(bad)
    with pytest.raises(ValueError):
        debtor_risk([], Month(2027, 1), Month(2026, 12), TODAY)


def test_how_an_invoice_ended_decides_its_outcome():
    """Given invoices settled in different ways, then R25 counts: a partial stop with the
    rest paid as paid; a stop of everything as stopped; a claim the collection agency
    wrote off as unpaid (the money never came)."""
    invoice = make_invoice()
    due = invoice.balance_cents
    moment = datetime(2026, 12, 20, 12, tzinfo=AMSTERDAM)

    def entry(kind, amount, cause):
        return LedgerEntry(kind, Component.PRINCIPAL, -amount, moment, cause)

    part_stopped = invoice.with_entries(
        [entry(EntryKind.STOP, 1000, "provider:u"), entry(EntryKind.PAYMENT, due - 1000, "bank:e")]
    )
    all_stopped = invoice.with_entry(entry(EntryKind.STOP, due, "provider:u"))
    written_off = replace(invoice, dunning_stage=DunningStage.WITH_COLLECTION_AGENCY).with_entry(
        entry(EntryKind.STOP, due, "agency:CMIB-1")
    )
    today = date(2027, 3, 1)
    assert outcome_of(part_stopped, today) is Outcome.PAID_ON_TIME
    assert outcome_of(all_stopped, today) is Outcome.STOPPED
    assert outcome_of(written_off, today) is Outcome.UNPAID


# --- R25 by the payment's date (legal-nl.md §2) and forgiveness (R21): audit provider D3 ---

SENT = make_invoice(status=InvoiceStatus.SENT)


def forgiven(invoice, scope=StopScope.PARTIAL, **amount):
    request = StopRequest(scope, "goodwill", "", True, **amount)
    return apply_stop(invoice, request, datetime(2026, 12, 2, tzinfo=AMSTERDAM), "provider:u")


def credited(invoice, *lines):
    """A later Vektis upload credits ``lines`` of the invoice (vektis.md §1)."""
    at = datetime(2026, 12, 3, 9, tzinfo=AMSTERDAM)
    for n, line in enumerate(lines):
        credit = claim(
            f"CR-{n}",
            patient_ref=invoice.patient_ref,
            bsn=invoice.bsn,
            unit_price_cents=-line.unit_price_cents,
            reverses_claim_ref=line.claim_ref,
        )
        invoice = with_credit(invoice, credit, at, "declaration:D2")
    return invoice


def kept_arrangement():
    """Two terms of € 55,00 (€ 100,00 and the € 10,00 fee), due 23 December and 23
    January, each paid on its due date (R15)."""
    invoice = make_invoice(status=InvoiceStatus.SENT, lines=(make_line(unit_price_cents=10000),))
    arranged = create_arrangement(
        invoice, make_provider(), 2, datetime(2026, 12, 1, 10, tzinfo=AMSTERDAM)
    )
    for term in arranged.arrangement.terms:
        arranged = paid(arranged, term.amount_cents, on=term.due_date)
    return arranged


@pytest.mark.parametrize(
    ("invoice", "outcome"),
    [
        # Forgiven in full, nothing paid: stopped, whatever the kind of stop (R21)
        (forgiven(SENT, percentage=Decimal(100)), Outcome.STOPPED),
        (forgiven(SENT, amount_cents=DUE), Outcome.STOPPED),
        (forgiven(paid(SENT, 1000), amount_cents=DUE - 1000), Outcome.STOPPED),
        (credited(SENT, *SENT.lines), Outcome.STOPPED),  # a credit declaration took it back
        # Forgiven in part, the rest paid after it: paid, by the payment's date
        (
            paid(forgiven(SENT, percentage=Decimal(50)), DUE - 1658, on=date(2026, 12, 5)),
            Outcome.PAID_ON_TIME,
        ),
        (paid(credited(SENT, SENT.lines[1]), 2814, on=date(2026, 12, 5)), Outcome.PAID_ON_TIME),
        (
            paid(forgiven(reminded(SENT), percentage=Decimal(50)), DUE - 1658, on=date(2027, 1, 4)),
            Outcome.PAID_AFTER_REMINDER,
        ),
        # The payment's date decides, not the dunning stage when we learned of it (§2)
        (paid(SENT, on=date(2026, 12, 23)), Outcome.PAID_ON_TIME),  # the final date itself
        (
            paid(replace(SENT, dunning_stage=DunningStage.REMINDED), on=date(2026, 12, 20)),
            Outcome.PAID_ON_TIME,  # matched by an operator after the reminder went out
        ),
        (paid(SENT, on=date(2026, 12, 29)), Outcome.PAID_LATE),  # before any reminder (R25)
        (
            paid(paid(SENT, on=date(2027, 1, 10)), on=date(2026, 12, 20)),
            Outcome.PAID_ON_TIME,  # twice, the one of 20 December booked last: it paid first
        ),
        (paid(HANDED_OVER, on=date(2027, 1, 8)), Outcome.PAID_AFTER_REMINDER),  # before handover
        (paid(HANDED_OVER, on=date(2027, 1, 11)), Outcome.PAID_AFTER_COLLECTION),  # its day
        (
            paid(
                replace(
                    SENT,
                    deferral=Deferral(datetime(2026, 12, 20, tzinfo=AMSTERDAM), date(2027, 1, 22)),
                ),
                on=date(2027, 1, 10),
            ),
            Outcome.PAID_ON_TIME,  # by the deferred final date (R14)
        ),
        (kept_arrangement(), Outcome.PAID_ON_TIME),  # every term on its due date (R15)
    ],
)
def test_outcome_by_the_payment_date_and_forgiveness(invoice, outcome):
    """R25 with legal-nl.md §2 ("The payment date decides, not the moment we learn of
    it"): given an invoice settled by a payment, it counts by that payment's date against
    the (deferred, or arranged) final payment date and the handover day; given one
    settled by a stop, a coulance or a credit declaration with no payment covering the
    principal, it counts as stopped (audit provider D3)."""
    assert invoice.is_paid
    assert outcome_of(invoice, TODAY) is outcome


def test_principal_paid_with_only_costs_forgiven_counts_as_paid():
    """Given an invoice whose costs were charged (R19) and whose principal was paid after
    the reminder, When the provider stops what is left (the costs), Then it counts as paid
    after reminder, not stopped: the patient's money covered the principal (R21, R25)."""
    day = datetime(2027, 1, 14, 6, tzinfo=AMSTERDAM)
    charged = reminded(SENT, dunning_stage=DunningStage.COSTS_CHARGED).with_entry(
        LedgerEntry(EntryKind.COSTS, Component.COSTS, 4000, day, "reminder:R1")
    )
    principal_paid = charged.with_entries(
        [LedgerEntry(EntryKind.PAYMENT, Component.PRINCIPAL, -DUE, day, "bank:e1")]
    )
    costs_stopped = forgiven(principal_paid, StopScope.FULL)
    assert costs_stopped.is_paid
    assert outcome_of(costs_stopped, TODAY) is Outcome.PAID_AFTER_REMINDER


# --- R25's buckets read as written (audit WEEKLY2, known item stop 32 item 10) ---------------


def arranged(invoice, on, terms=3):
    """An arrangement of ``terms`` monthly terms made on ``on`` (R15)."""
    moment = datetime(on.year, on.month, on.day, 10, tzinfo=AMSTERDAM)
    return create_arrangement(invoice, make_provider(), terms, moment)


def terms_paid(invoice, count=None):
    """The first ``count`` terms (all by default) paid, each on its due date."""
    for term in invoice.arrangement.terms[:count]:
        invoice = paid(invoice, term.amount_cents, on=term.due_date)
    return invoice


def cancelled(invoice):
    return replace(
        invoice, arrangement=replace(invoice.arrangement, status=ArrangementStatus.CANCELLED)
    )


BIG = make_invoice(status=InvoiceStatus.SENT, lines=(make_line(unit_price_cents=15390),))
RUNNING = terms_paid(arranged(BIG, date(2026, 12, 1)), 1)  # terms 23 Dec, 23 Jan, 23 Feb


@pytest.mark.parametrize(
    ("invoice", "today", "outcome"),
    [
        # An arrangement that runs and whose terms are met: open until its last term (R15)
        (RUNNING, date(2026, 12, 24), Outcome.OPEN),  # the day after the original final date
        (RUNNING, date(2027, 2, 23), Outcome.OPEN),  # its last term's day
        (RUNNING, date(2027, 2, 24), Outcome.UNPAID),  # past its last term, still owing
        (cancelled(RUNNING), date(2026, 12, 24), Outcome.UNPAID),  # back to the final date
        (arranged(BIG, date(2026, 12, 1)), date(2026, 12, 23), Outcome.OPEN),
    ],
)
def test_an_invoice_under_a_running_arrangement_is_open_not_unpaid(invoice, today, outcome):
    """R25 with R15 (audit WEEKLY2): given an invoice with a 3-term arrangement whose first
    term was paid on its day, When the figures are asked after the original final date
    but before the last term, Then it counts as open (not yet due), as dunning leaves it
    alone; unpaid once the last term passed, or from the final date once cancelled. The
    same date the paid side uses ("on time" up to the last term)."""
    assert not invoice.is_paid
    assert outcome_of(invoice, today) is outcome


@pytest.mark.parametrize(
    ("invoice", "outcome"),
    [
        # By the final date, no reminder: on time
        (paid(SENT, on=date(2026, 12, 23)), Outcome.PAID_ON_TIME),
        # After the final date, and no reminder had gone: late, not "after reminder"
        (paid(SENT, on=date(2026, 12, 29)), Outcome.PAID_LATE),
        (paid(reminded(SENT), on=date(2026, 12, 30)), Outcome.PAID_LATE),  # the day before it
        # On or after the reminder's day, before the handover: after reminder
        (paid(reminded(SENT), on=REMINDER_DAY), Outcome.PAID_AFTER_REMINDER),
        (paid(reminded(SENT), on=date(2027, 1, 14)), Outcome.PAID_AFTER_REMINDER),
        # A reminder that never reached the addressee reminded nobody (R7, legal-nl.md §2)
        (paid(reminded(SENT, undelivered=True), on=date(2027, 1, 5)), Outcome.PAID_LATE),
        # Paid before the final date, learned of after the reminder went: on time (§2)
        (paid(reminded(SENT), on=date(2026, 12, 20)), Outcome.PAID_ON_TIME),
        # On or after the handover: after collection
        (paid(HANDED_OVER, on=date(2027, 1, 11)), Outcome.PAID_AFTER_COLLECTION),
        # A kept arrangement: on time when made before any reminder, after it when after
        (terms_paid(arranged(BIG, date(2026, 12, 1))), Outcome.PAID_ON_TIME),
        (terms_paid(arranged(reminded(BIG), date(2027, 1, 2))), Outcome.PAID_AFTER_REMINDER),
        # A deferral moves the final date (R14): paid after the deferred date, no reminder
        (
            paid(
                replace(
                    SENT,
                    deferral=Deferral(datetime(2026, 12, 20, tzinfo=AMSTERDAM), date(2027, 1, 22)),
                ),
                on=date(2027, 1, 25),
            ),
            Outcome.PAID_LATE,
        ),
    ],
)
def test_a_paid_invoice_counts_in_the_bucket_r25_names(invoice, outcome):
    """R25 read as written (known item stop 32 item 10): given an invoice settled by a
    payment, it counts by that payment's date (legal-nl.md §2) as paid on time (by the
    final date, or the last term of an arrangement made before any reminder), after
    reminder (on or after the day a reminder that reached the patient was sent), after
    collection (on or after the handover), or, paid after the final date when no
    reminder had gone yet, as paid late: R25 has no bucket for it, and neither "on time"
    nor "after reminder" says what happened."""
    assert invoice.is_paid
    assert outcome_of(invoice, TODAY) is outcome


@pytest.mark.parametrize(
    "language, months, first_label, first_title",
    [
        ("nl", 12, "dec '25", "december 2025"),
        ("en", 12, "Dec '25", "December 2025"),
        ("nl", 6, "december 2025", "december 2025"),
        ("en", 3, "December 2025", "December 2025"),
    ],
)
def test_the_charts_months_read_as_months_in_the_pages_language(
    language, months, first_label, first_title
):
    """R25, R9 (audit pages PAGES3).
    Given the debtor risk of ``months`` months from December 2025, one invoice in the first
    When the chart is drawn in ``language``
    Then each month on the axis is named as that language writes a month, shortened
    with the year's last two digits when more than six share the axis, and never as
    "25-12", which a Dutch reader takes for 25 December; the bars' titles name it in full."""
    from billing_core.entrypoints.web.portal.chart import risk_chart

    first = Month(2025, 12)
    issued = make_invoice(issue_date=date(2025, 12, 3))
    risk = debtor_risk([issued], first, first.minus(-(months - 1)), TODAY)
    chart = risk_chart(risk, {o: o.value for o in Outcome}, str, language)
    labels = [label for _, label in chart.month_labels]
    assert len(labels) == months and labels[0] == first_label
    assert not [label for label in labels if re.fullmatch(r"\d{2}-\d{2}", label)]
    assert chart.bars and all(bar.title.startswith(f"{first_title} · ") for bar in chart.bars)


# --- the agency's transfer of what it collected (payments/remittance.py) -------------------


def _at(day):
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=AMSTERDAM)


def reported_paid(invoice, on):
    """The agency's report-back: the claim paid to it (or forwarded to it) on ``on``."""
    return apply_payment(invoice, IncomingPayment("agency", f"AG-{on}", DUE, _at(on)))


def remitted(invoice, on=date(2027, 1, 20)):
    """The agency's transfer of what it collected, read from our bank on ``on``."""
    return apply_remittance(invoice, IncomingPayment("bank", "TX-AGENCY", DUE, _at(on)))


def transfer_returned(invoice, on=date(2027, 1, 22)):
    """The bank returns the agency's transfer (R12): the agency owes it to us again."""
    return apply_reversal(invoice, "TX-AGENCY", "TX-RETURN", DUE, _at(on))


@pytest.mark.parametrize(
    ("paid_on", "outcome"),
    [
        # Paid to the agency after the handover of 11 January
        (date(2027, 1, 12), Outcome.PAID_AFTER_COLLECTION),
        # Paid in the reminder's term, forwarded by the agency (its row dated so, 6c2cdd1)
        (date(2027, 1, 5), Outcome.PAID_AFTER_REMINDER),
    ],
)
@pytest.mark.parametrize(
    "then",
    [
        pytest.param(lambda invoice: invoice, id="reported"),
        pytest.param(remitted, id="transferred"),
        pytest.param(lambda invoice: transfer_returned(remitted(invoice)), id="returned"),
    ],
)
def test_the_agencys_transfer_moves_no_claim_to_another_outcome(paid_on, outcome, then):
    """R25, legal-nl.md §2 (audit risk RISK1, RISK2). Given a claim the agency reported
    paid on ``paid_on``, When its transfer of that money reaches our account, or the bank
    then returns the transfer (the agency owes it to us again, the patient owes nothing),
    Then the claim still counts by the day the patient paid: neither by the transfer's
    day (after collection) nor as written off by the agency (unpaid)."""
    invoice = then(reported_paid(HANDED_OVER, paid_on))
    assert invoice.is_paid
    assert outcome_of(invoice, TODAY) is outcome


def test_a_credit_received_before_the_invoice_and_matched_to_it_pays_it():
    """R25, R34, legal-nl.md §5 (audit risk RISK3). Given a transfer without a kenmerk booked
    on 20 November, before the invoice of 23 November was issued, When an operator matches
    it to the invoice (the payment keeps its booking day) and it pays it in full, Then the
    invoice counts as paid on time, not as stopped: nothing was forgiven."""
    invoice = paid(make_invoice(), on=date(2026, 11, 20))
    assert invoice.is_paid
    assert outcome_of(invoice, TODAY) is Outcome.PAID_ON_TIME


# --- R37: "don't pay yet" while the insurer's statement is awaited (audit risk2 RISK2-1) ----


def _waiting_world():
    """A practice without contracts that waits for the insurer's statement (R17, R37) and
    its € 100,00 invoice of 23 November, final payment date 23 December."""
    from billing_core.changes.coulance_policy import CoulanceMode, CoulancePolicy
    from tests.unit.dunning_world import DunningWorld, one_invoice

    policy = CoulancePolicy(wait_for_statement=True, mode=CoulanceMode.AUTOMATIC)
    return DunningWorld([one_invoice(10_000)], make_provider(coulance=policy))


def _risk_report(world, day):
    from billing_core.providers.users import ProviderUser, Role
    from billing_core.services.provider.statements import debtor_risk_report

    world.clock.set(datetime(day.year, day.month, day.day, 12, tzinfo=AMSTERDAM))
    context = world.provider_context()
    viewer = ProviderUser(world.provider.provider_id, "u-1", Role.VIEWER)
    return debtor_risk_report(viewer, "2026-11", "2026-11", context).months[0]


@pytest.mark.parametrize(
    ("day", "outcome"),
    [
        (date(2026, 12, 23), Outcome.OPEN),  # the final payment date itself
        (date(2026, 12, 24), Outcome.OPEN),  # past it, but the patient was told to wait
        (date(2027, 1, 22), Outcome.OPEN),  # the last day the first reminder waits
        (date(2027, 1, 23), Outcome.UNPAID),  # the reminder went: the wait is over
    ],
)
def test_an_invoice_the_patient_was_told_not_to_pay_yet_is_open_not_unpaid(day, outcome):
    """R25 with R37 and legal-nl.md §7 (audit risk2 RISK2-1).
    Given a non-contracted invoice of a practice that waits for the insurer's statement,
    final payment date 23 December, no statement in, and the daily run up to ``day``
    When the practice asks for the debtor-risk figures of November on ``day``
    Then the invoice counts as open while the patient is told "don't pay yet" (what is due
    has no date to pay by, the checker says the adjusted amount follows): not unpaid, which
    would blame the patient for following our own advice; unpaid once the wait is over and
    the first reminder went."""
    world = _waiting_world()
    world.run_days(date(2026, 12, 23), day)

    november = _risk_report(world, day)

    assert november.total.count == 1
    assert november.by_outcome[outcome].count == 1


# --- R25 with R5: what the insurer's retour grants (audit58b) -------------------------------


def granted(invoice, on, **per_line):
    """The insurer's retour of ``on`` grants ``per_line`` (claim ref suffix -> cents)."""
    at = datetime(on.year, on.month, on.day, 9, tzinfo=AMSTERDAM)
    grants = {f"TDV-2026-000123-{n[1:]}": cents for n, cents in per_line.items()}
    return with_granted(invoice, grants, at, "retour:vgz.pm305")


def test_a_patient_who_paid_the_rest_the_retour_left_paid_it_and_is_not_stopped():
    """R25 with R5 (audit58b). Given the factory invoice (€ 33,17 to pay by 23 December)
    of which the patient paid € 20,00 on 1 December, When the insurer's retour of 10
    January grants € 13,17 more for the check-up, so that the patient owes nothing more,
    Then the invoice counts as paid on time with its € 20,00 asked: the patient paid all
    the practice asked in the end, by the final payment date. Not "stopped" (forgiven by
    the practice), which nobody did."""
    invoice = granted(paid(SENT, 2000), date(2027, 1, 10), l1=1317)
    assert invoice.is_paid and invoice.original_amount_cents == 2000

    month = debtor_risk([invoice], Month(2026, 11), Month(2026, 11), TODAY).months[0]

    assert outcome_of(invoice, TODAY) is Outcome.PAID_ON_TIME
    assert month.by_outcome[Outcome.PAID_ON_TIME] == Figures(1, 2000)
    assert month.by_outcome[Outcome.STOPPED] == Figures(0, 0)


def test_an_invoice_the_insurers_retour_paid_in_full_is_left_out_of_the_figures():
    """R25 with R5 (audit58b). Given two November invoices of € 33,17 each, one paid on
    time by the patient and one the insurer's retour of 10 December granted in full (the
    check-up € 28,14 and the rest of the X-ray € 5,03: nothing left for the patient), When
    the figures of November are asked on 15 January, Then the month counts the paid one
    only: 1 invoice, € 33,17, 100.00% of the count and of the amount paid on time. The
    invoice the insurer paid asked the patient for nothing in the end and is no debtor
    risk (a line a contracted insurer covers is never invoiced at all, R5); it is no
    stop of the practice's either (it was 1 of 2 invoices "stopped", 50.00%)."""
    covered = granted(replace(SENT, invoice_id="covered"), date(2026, 12, 10), l1=2814, l2=2011)
    assert covered.is_paid and covered.original_amount_cents == 0

    month = debtor_risk(
        [paid(replace(SENT, invoice_id="paid")), covered], Month(2026, 11), Month(2026, 11), TODAY
    ).months[0]

    assert month.total == Figures(1, DUE)
    assert month.by_outcome[Outcome.PAID_ON_TIME] == Figures(1, DUE)
    assert month.count_share(Outcome.PAID_ON_TIME) == Decimal("100.00")
    assert month.amount_share(Outcome.PAID_ON_TIME) == Decimal("100.00")
    assert month.by_outcome[Outcome.STOPPED] == Figures(0, 0)
