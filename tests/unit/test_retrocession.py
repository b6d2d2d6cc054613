"""The weekly retrocession statement (R24): weeks, lines, settlement, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from billing_core.changes.stop import StopRequest, StopScope, apply_stop
from billing_core.invoices.invoice import InvoiceStatus
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.payments.booking import (
    IncomingPayment,
    apply_payment,
    apply_refund,
    apply_reversal,
)
from billing_core.providers.retrocession import (
    StatementSummary,
    build_statement,
    euro_text,
    statement_csv,
    statement_json,
    statement_key,
)
from billing_core.providers.retrocession_run import (
    MADE_UP_WEEKS,
    RetrocessionContext,
    build_weekly_statements,
    week_to_build,
)
from billing_core.providers.settings_history import SettingsVersion, changes_between
from billing_core.providers.week import InvalidWeek, Week
from billing_core.shared.clock import AMSTERDAM
from tests.unit.factories import REFERENCE, make_invoice, make_provider
from tests.unit.fake_store import FakeStore, FilesInMemory

PROVIDER = make_provider()
W48 = Week(2026, 48)  # Monday 23 November up to Monday 30 November 2026
DUE = 3317  # the factory invoice: € 48,25 less € 15,08 reimbursed


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)


def paid(invoice, amount, when, source_id="tr_1", source="psp"):
    return apply_payment(invoice, IncomingPayment(source, source_id, amount, when))


# --- weeks -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2026, 11, 23), "2026-W48"),  # a Monday
        (date(2026, 11, 29), "2026-W48"),  # its Sunday
        (date(2026, 11, 30), "2026-W49"),
        (date(2027, 1, 1), "2026-W53"),  # New Year's Day in the old year's 53rd week
        (date(2024, 12, 30), "2025-W01"),  # a December Monday in the new year's first week
    ],
)
def test_a_day_falls_in_its_iso_week(day, label):
    assert Week.of(day).label == label
    assert Week.parse(label).monday <= day <= Week.parse(label).sunday


@pytest.mark.parametrize(
    "label", ["2026-48", "2026-W4", "2026-W00", "2027-W53", "W48-2026", "../x"]
)
def test_a_week_label_that_is_no_week_is_refused(label):
    with pytest.raises(InvalidWeek):
        Week.parse(label)


def test_the_week_before_the_first_week_is_the_last_week_of_the_year_before():
    assert Week(2027, 1).previous() == Week(2026, 53)
    assert Week(2026, 53).following() == Week(2027, 1)
    assert Week(2026, 48).previous().label == "2026-W47"


@pytest.mark.parametrize(
    ("week", "hours"),
    [
        (Week(2026, 43), 169),  # summer time ends Sunday 25 October 2026: one hour longer
        (Week(2027, 12), 167),  # summer time starts Sunday 28 March 2027: one hour shorter
        (Week(2026, 48), 168),
    ],
)
def test_a_week_runs_from_monday_midnight_to_monday_midnight_in_amsterdam(week, hours):
    assert week.starts_at.isoformat().endswith(
        "T00:00:00+02:00" if week.number == 43 else "T00:00:00+01:00"
    )
    # (in UTC: Python subtracts two times of one zone by the clock on the wall)
    assert week.ends_at.astimezone(UTC) - week.starts_at.astimezone(UTC) == timedelta(hours=hours)


def test_a_moment_belongs_to_the_week_of_its_amsterdam_calendar_day():
    # Sunday 23:30 UTC is already Monday 00:30 in Amsterdam
    assert Week.containing(datetime(2026, 11, 29, 23, 30, tzinfo=UTC)) == Week(2026, 49)
    assert Week.containing(datetime(2026, 11, 29, 22, 59, 59, tzinfo=UTC)) == W48
    assert W48.starts_at in W48 and W48.ends_at not in W48


def test_the_run_on_monday_builds_the_week_that_ended_the_night_before():
    assert week_to_build(date(2026, 11, 30)) == W48
    assert week_to_build(date(2026, 12, 6)) == W48  # a replay later that week: the same
    assert week_to_build(date(2027, 1, 4)) == Week(2026, 53)


# --- the statement -----------------------------------------------------------------------------


def test_the_statement_has_every_entry_of_the_week_and_the_payout():
    """Given an invoice issued in week 48, paid too much by iDEAL, a bank transfer that
    came back, and the overpayment refunded; and a second invoice partly stopped
    When the statement of week 48 is built at the default 3.5% fee
    Then it lists each of those ledger entries and pays out received - refunded - fee."""
    first = make_invoice(invoice_id="a" * 8)
    first = paid(first, 5000, at(date(2026, 11, 24)))  # € 33,17 due: € 18,33 credit
    first = paid(first, 1000, at(date(2026, 11, 25)), "E-1", "bank")
    first = apply_reversal(first, "E-1", "R-1", 1000, at(date(2026, 11, 26)))
    first = apply_refund(first, "re_1", 1683, at(date(2026, 11, 27)), "psp:tr_1")
    second = replace(
        make_invoice(invoice_id="b" * 8, reference="12345678901234"), status=InvoiceStatus.SENT
    )
    stop = StopRequest(StopScope.PARTIAL, "goodwill", "", True, amount_cents=500)
    second = apply_stop(second, stop, at(date(2026, 11, 28)), "provider:user-1")

    statement = build_statement(PROVIDER, W48, [first, second])

    assert [line.kind for line in statement.lines] == [
        EntryKind.ISSUED,
        EntryKind.REIMBURSEMENT,
        EntryKind.ISSUED,
        EntryKind.REIMBURSEMENT,
        EntryKind.PAYMENT,
        EntryKind.PAYMENT,
        EntryKind.PAYMENT,
        EntryKind.REVERSAL,
        EntryKind.REFUND,
        EntryKind.COULANCE,
    ]
    assert statement.received_cents == 5000  # 5000 + 1000 - 1000
    assert statement.refunded_cents == 1683
    assert statement.service_fee_cents == 175  # 3.5% of € 50,00
    assert statement.payout_cents == 5000 - 1683 - 175
    assert statement.total(EntryKind.COULANCE) == -500
    assert statement.invoice_count == 2


def test_entries_of_other_weeks_stay_off_the_statement():
    invoice = paid(make_invoice(), 1000, at(date(2026, 11, 29), 23, 59))  # Sunday night
    invoice = paid(invoice, 1000, at(date(2026, 11, 30), 0, 0), "tr_2")  # Monday midnight
    lines = build_statement(PROVIDER, W48, [invoice]).lines
    assert [line.amount_cents for line in lines if line.kind is EntryKind.PAYMENT] == [-1000]
    next_week = build_statement(PROVIDER, Week(2026, 49), [invoice])
    assert [line.amount_cents for line in next_week.lines] == [-1000]


@pytest.mark.parametrize(
    ("received", "percentage", "fee"),
    [
        (10000, Decimal("3.5"), 350),
        (100, Decimal("3.5"), 4),  # 3,5 cent: half-up
        (10, Decimal("3.5"), 0),  # 0,35 cent
        (1030, Decimal("3.5"), 36),  # 36,05 cent
        (10000, Decimal("0"), 0),
        (3333, Decimal("25"), 833),  # 833,25 cent
        (-100, Decimal("3.5"), -4),  # more came back than came in: the fee is given back
    ],
)
def test_the_service_fee_is_a_percentage_of_what_came_in_rounded_half_up(received, percentage, fee):
    invoice = make_invoice()
    when = at(date(2026, 11, 24))
    if received > 0:
        invoice = paid(invoice, received, when)
    else:
        invoice = paid(invoice, 1000, at(date(2026, 11, 20)))  # in the week before
        invoice = apply_reversal(invoice, "tr_1", "R-1", -received, when, source="psp")
    provider = make_provider(service_fee_percentage=percentage)
    statement = build_statement(provider, W48, [invoice])
    assert statement.received_cents == received
    assert statement.service_fee_cents == fee
    assert statement.payout_cents == received - fee


def test_collection_costs_and_interest_received_are_passed_on():
    """Given an invoice with € 40,00 BIK and € 1,23 interest charged, then paid in full
    Then the payout is all of it less the fee, and the statement says what was what."""
    charged = at(date(2026, 11, 23), 6)
    invoice = make_invoice().with_entries(
        [
            LedgerEntry(EntryKind.COSTS, Component.COSTS, 4000, charged, "dunning:2026-11-23"),
            LedgerEntry(EntryKind.INTEREST, Component.INTEREST, 123, charged, "dunning:2026-11-23"),
        ]
    )
    statement = build_statement(PROVIDER, W48, [paid(invoice, DUE + 4123, at(date(2026, 11, 25)))])
    assert statement.received_by_component == {
        Component.COSTS: 4000,
        Component.INTEREST: 123,
        Component.PRINCIPAL: DUE,
    }
    assert statement.payout_cents == DUE + 4123 - 260  # 3.5% of 7440 = 260,4


def test_an_invoice_of_another_provider_is_never_on_a_statement():
    other = make_invoice(provider_id="fysio-centrum-oost")
    with pytest.raises(ValueError, match="R26"):
        build_statement(PROVIDER, W48, [other])


def test_a_payment_read_after_its_week_was_settled_is_paid_out_the_week_after():
    """Given a bank transfer of Sunday 29 November (week 48) that is only read from
    Monday's statement, after week 48's statement was built, when book_payment records
    it, then it is on week 49's statement, dated Sunday: paid out once, never lost (R24)."""
    from billing_core.payments.booking import book_payment
    from billing_core.shared.clock import FixedClock

    invoice = make_invoice(status=InvoiceStatus.SENT)
    store = FakeStore([invoice], [PROVIDER])
    monday = FixedClock(date(2026, 11, 30))
    sunday = at(date(2026, 11, 29), 0)
    book_payment(
        store, invoice.reference, IncomingPayment("bank", "e-9", DUE, sunday), clock=monday
    )
    booked = store.invoice()
    week48 = build_statement(PROVIDER, W48, [booked])
    week49 = build_statement(PROVIDER, Week(2026, 49), [booked])
    assert week48.received_cents == 0
    assert week49.received_cents == DUE
    assert week49.lines[-1].at.date() == date(2026, 11, 29)


def test_a_week_without_movement_is_a_statement_of_zeros():
    statement = build_statement(PROVIDER, Week(2026, 47), [make_invoice()])
    assert statement.lines == () and statement.payout_cents == 0
    assert set(statement.totals_by_kind.values()) == {0}


# --- renderings --------------------------------------------------------------------------------


def _week_48_statement():
    invoice = paid(make_invoice(), 5000, at(date(2026, 11, 24)))
    invoice = apply_refund(invoice, "re_1", 1683, at(date(2026, 11, 27)), "psp:tr_1")
    return build_statement(PROVIDER, W48, [invoice])


def test_the_csv_has_a_header_the_entries_the_totals_and_the_settlement():
    rows = list(
        csv.DictReader(
            io.StringIO(statement_csv(_week_48_statement()).decode("utf-8")), delimiter=";"
        )
    )
    entries = [r for r in rows if r["record"] == "entry"]
    assert [(r["kind"], r["amount_cents"], r["amount_eur"]) for r in entries] == [
        ("issued", "4825", "48,25"),
        ("reimbursement_deduction", "-1508", "-15,08"),
        ("payment", "-3317", "-33,17"),
        ("payment", "-1683", "-16,83"),
        ("refund", "1683", "16,83"),
    ]
    assert entries[0]["reference"] == REFERENCE and entries[0]["date"] == "2026-11-23"
    assert entries[2]["at"] == "2026-11-24T12:00:00+01:00" and entries[3]["note"] == "credit"
    totals = {r["kind"]: int(r["amount_cents"]) for r in rows if r["record"] == "total"}
    assert totals["payment"] == -5000 and totals["stop"] == 0 and len(totals) == len(EntryKind)
    settlement = {r["kind"]: r["amount_eur"] for r in rows if r["record"] == "settlement"}
    assert settlement == {
        "received": "50,00",
        "refunded": "16,83",
        "service_fee": "1,75",
        "payout": "31,42",
    }


def test_the_json_says_the_same_as_the_csv():
    document = json.loads(statement_json(_week_48_statement()))
    assert document["week"] == "2026-W48" and document["service_fee_percentage"] == "3.5"
    assert document["period_start"] == "2026-11-23T00:00:00+01:00"
    assert document["period_end"] == "2026-11-30T00:00:00+01:00"
    assert document["settlement"] == {
        "received": 5000,
        "refunded": 1683,
        "service_fee": 175,
        "payout": 3142,
    }
    assert sum(line["amount"] for line in document["lines"]) == sum(
        document["totals_by_kind"].values()
    )


def test_the_same_ledgers_give_the_same_bytes_whatever_order_they_are_read_in():
    one = paid(make_invoice(invoice_id="a" * 8), 100, at(date(2026, 11, 24)))
    two = paid(
        make_invoice(invoice_id="b" * 8, reference="12345678901234"), 100, at(date(2026, 11, 24))
    )
    forward = build_statement(PROVIDER, W48, [one, two])
    backward = build_statement(PROVIDER, W48, [two, one])
    assert statement_json(forward) == statement_json(backward)
    assert statement_csv(forward) == statement_csv(backward)
    summary = StatementSummary.of(forward, statement_json(forward))
    assert summary == StatementSummary.of(backward, statement_json(backward))


@pytest.mark.parametrize(
    ("cents", "text"), [(0, "0,00"), (5, "0,05"), (-5, "-0,05"), (123456, "1234,56")]
)
def test_euro_text_has_a_decimal_comma_and_no_thousands_separator(cents, text):
    assert euro_text(cents) == text


def test_the_files_are_kept_under_the_providers_prefix():
    assert (
        statement_key("tandarts-de-vries", W48, "csv")
        == "retrocession/tandarts-de-vries/2026-W48.csv"
    )
    with pytest.raises(ValueError):
        statement_key("tandarts-de-vries", W48, "pdf")


# --- the run -----------------------------------------------------------------------------------


def test_the_run_writes_every_providers_statement_and_again_the_same_bytes():
    """Given two providers, one with a payment in week 48, one without invoices
    When the run of Monday 30 November runs twice
    Then each has its JSON, CSV and totals for week 48, and the second run wrote the same."""
    physio = make_provider(provider_id="fysio-centrum-oost", service_fee_percentage=Decimal("5"))
    store = FakeStore([paid(make_invoice(), DUE, at(date(2026, 11, 24)))], [PROVIDER, physio])
    files = FilesInMemory()
    ctx = RetrocessionContext(store, files)

    summary = build_weekly_statements(date(2026, 11, 30), ctx)
    first_files, first_items = dict(files.files), dict(store.retrocessions)
    again = build_weekly_statements(date(2026, 11, 30), ctx)

    assert (
        summary.answer()
        == again.answer()
        == {
            "week": "2026-W48",
            "providers": 2,
            "statements": 2,
            "entries": 3,
            "payout_cents": DUE - 116,
            "failures": {},
            "providers_skipped": [],
        }
    )
    assert sorted(files.files) == [
        "retrocession/fysio-centrum-oost/2026-W48.csv",
        "retrocession/fysio-centrum-oost/2026-W48.json",
        "retrocession/tandarts-de-vries/2026-W48.csv",
        "retrocession/tandarts-de-vries/2026-W48.json",
    ]
    assert files.files == first_files and store.retrocessions == first_items
    dental = store.retrocessions[("tandarts-de-vries", "2026-W48")]
    assert (dental.received_cents, dental.service_fee_cents, dental.payout_cents) == (
        DUE,
        116,
        DUE - 116,
    )


def fee_saved(store, provider, percentage, at_moment):
    """The practice's fee changed by an operator at ``at_moment`` (R31: a new version)."""
    changed = provider.model_copy(
        update={"service_fee_percentage": Decimal(percentage), "version": provider.version + 1}
    )
    change = SettingsVersion(
        provider.provider_id,
        changed.version,
        "operator-1",
        "operators",
        at_moment,
        changes_between(provider, changed),
    )
    store.save_provider(changed, change)
    return changed


def test_a_replay_after_a_fee_change_keeps_the_weeks_fee_and_writes_the_same_bytes():
    """R24, R38 (audit WEEKLY1): given week 48 built at 3.5% (its payout then made)
    When the practice's fee is changed to 2.0% on Tuesday and week 48 is run again
    Then its JSON, CSV and totals are the same bytes: the week keeps the fee it was
    settled at, and the payout already made for it still matches its statement."""
    provider = make_provider(service_fee_percentage=Decimal("3.5"))
    store = FakeStore([paid(make_invoice(), DUE, at(date(2026, 11, 24)))], [provider])
    files = FilesInMemory()
    ctx = RetrocessionContext(store, files)
    build_weekly_statements(date(2026, 11, 30), ctx)
    first_files, first_item = (
        dict(files.files),
        store.retrocessions[(provider.provider_id, "2026-W48")],
    )

    fee_saved(store, provider, "2.0", at(date(2026, 12, 1), 10))
    build_weekly_statements(date(2026, 11, 30), ctx)

    assert files.files == first_files
    assert store.retrocessions[(provider.provider_id, "2026-W48")] == first_item
    assert first_item.service_fee_percentage == Decimal("3.5")


def test_a_week_built_late_is_settled_at_the_fee_in_force_when_it_ended():
    """R24, R31 (audit WEEKLY1): given a payment in week 48 at 3.5% and no statement of
    that week yet (the Monday run failed for the practice)
    When the fee is changed to 2.0% on Tuesday and the week is built on Wednesday
    Then week 48 is settled at 3.5%, the fee in force when it ended; the next week at 2.0%."""
    provider = make_provider(service_fee_percentage=Decimal("3.5"))
    store = FakeStore([paid(make_invoice(), DUE, at(date(2026, 11, 24)))], [provider])
    fee_saved(store, provider, "2.0", at(date(2026, 12, 1), 10))
    ctx = RetrocessionContext(store, FilesInMemory())

    build_weekly_statements(date(2026, 11, 30), ctx)
    build_weekly_statements(date(2026, 12, 7), ctx)

    w48 = store.retrocessions[(provider.provider_id, "2026-W48")]
    w49 = store.retrocessions[(provider.provider_id, "2026-W49")]
    assert (w48.service_fee_percentage, w48.service_fee_cents) == (Decimal("3.5"), 116)
    assert w49.service_fee_percentage == Decimal("2.0")


def test_one_failing_provider_does_not_hold_up_the_others():
    class BrokenForOne(FakeStore):
        def week_invoices(self, provider_id, week):
            if provider_id == "fysio-centrum-oost":
                raise RuntimeError("unreadable item")
            return super().week_invoices(provider_id, week)

    physio = make_provider(provider_id="fysio-centrum-oost")
    store = BrokenForOne([], [PROVIDER, physio])
    summary = build_weekly_statements(
        date(2026, 11, 30), RetrocessionContext(store, FilesInMemory())
    )
    assert summary.failures == {"fysio-centrum-oost": "RuntimeError"} and summary.statements == 1


def test_a_malformed_provider_item_is_skipped_and_counted_and_the_others_are_paid():
    """Issue 14 item 7, R31: given a legacy provider item that no longer validates next to
    a practice with a payment in week 48
    When the Monday run builds week 48
    Then the practice gets its statement, the bad item is reported by id and counted in
    the metric its alarm reads, and the run does not fail (a retry cannot mend it)."""
    store = FakeStore([paid(make_invoice(), DUE, at(date(2026, 11, 24)))], [PROVIDER])
    store.put_unreadable_provider("legacy-praktijk")

    summary = build_weekly_statements(
        date(2026, 11, 30), RetrocessionContext(store, FilesInMemory())
    )

    assert summary.statements == 1 and summary.payout_cents == DUE - 116
    assert summary.answer()["providers_skipped"] == ["legacy-praktijk"]
    assert summary.log_entry().counts["Retrocession_provider_skipped"] == 1
    assert summary.failures == {}


def test_the_run_reads_only_the_invoices_that_moved_that_week():
    """Issue 14 item 7: given an invoice paid in week 47 and one paid in week 48
    When week 48 is built
    Then the week's read gives only the invoice of week 48."""
    issued_in_46 = tuple(replace(e, at=at(date(2026, 11, 10))) for e in make_invoice().ledger)
    old = paid(make_invoice(invoice_id="old", ledger=issued_in_46), DUE, at(date(2026, 11, 17)))
    new = paid(make_invoice(invoice_id="new"), DUE, at(date(2026, 11, 24)))
    store = FakeStore([old, new], [PROVIDER])

    assert [i.invoice_id for i in store.week_invoices(PROVIDER.provider_id, W48)] == ["new"]


# --- the stored items --------------------------------------------------------------------------


def test_the_provider_item_is_listed_on_the_by_provider_index_and_reads_back():
    from billing_core.adapters.dynamo.provider_items import provider_from_item, provider_to_item

    provider = make_provider(service_fee_percentage=Decimal("4.25"))
    item = provider_to_item(provider)
    assert (item["gsi2pk"], item["gsi2sk"]) == ("PROVIDERS", "tandarts-de-vries")
    assert provider_from_item(item) == provider


def test_the_fee_percentage_stays_between_0_and_25():
    for wrong in ("-1", "25.01", "3.555"):
        with pytest.raises(ValueError):
            make_provider(service_fee_percentage=Decimal(wrong))
    assert make_provider().service_fee_percentage == Decimal("3.5")


def test_the_statement_item_reads_back_as_it_was_written():
    from billing_core.adapters.dynamo.statement_items import (
        retrocession_from_item,
        retrocession_to_item,
    )

    statement = _week_48_statement()
    summary = StatementSummary.of(statement, statement_json(statement))
    item = retrocession_to_item(summary)
    assert (item["pk"], item["sk"]) == ("PROVIDER#tandarts-de-vries", "RETROCESSION#2026-W48")
    assert retrocession_from_item(item) == summary


def test_a_missed_run_is_made_up_for_a_known_practice_only_and_at_most_so_far_back():
    """R24 (audit retro3 R1): given a practice whose newest statement is 2026-W40 and a
    practice new this week, with no statement at all
    When the run of Monday 4 January 2027 builds 2026-W53
    Then the known practice gets the MADE_UP_WEEKS weeks before W53 that have none, oldest
    first, and W53, each once (a rerun builds nothing more); the new practice only W53:
    its statements start with its first week, not years before it."""
    known = make_provider(provider_id="fysio-centrum-oost")
    store = FakeStore([], [PROVIDER, known])
    ctx = RetrocessionContext(store, FilesInMemory())
    build_weekly_statements(date(2026, 10, 5), ctx)  # 2026-W40, both practices
    del store.retrocessions[(PROVIDER.provider_id, "2026-W40")]  # the new practice's none

    summary = build_weekly_statements(date(2027, 1, 4), ctx)
    again = build_weekly_statements(date(2027, 1, 4), ctx)

    def weeks(provider_id):
        return sorted(w for p, w in store.retrocessions if p == provider_id)

    made_up = ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    made_up += ["2026-W49", "2026-W50", "2026-W51", "2026-W52"]
    assert len(made_up) == MADE_UP_WEEKS
    assert weeks(known.provider_id) == ["2026-W40", *made_up, "2026-W53"]
    assert weeks(PROVIDER.provider_id) == ["2026-W53"]
    assert summary.answer()["weeks_made_up"] == made_up
    assert summary.log_entry().counts["Retrocession_weeks_made_up"] == MADE_UP_WEEKS
    assert "weeks_made_up" not in again.answer() and again.statements == 2


def test_no_week_before_the_practice_existed_is_built_rerun_or_made_up():
    """R24, R34 (small47b item 1): given a practice created on Tuesday 1 December 2026
    (its first settings version) and a statement of 2026-W46 that a rerun wrote before
    reruns of such weeks were refused
    When an operator reruns 2026-W47 (as_of Monday 23 November), and the run of Monday
    14 December builds 2026-W50
    Then the rerun writes nothing and names the practice with its first day; the Monday
    run makes up 2026-W49 (the practice's first week) only, never W47 or W48, which
    ended before the practice existed."""
    provider = make_provider()
    store = FakeStore([], [provider])
    ctx = RetrocessionContext(store, FilesInMemory())
    build_weekly_statements(date(2026, 11, 16), ctx)  # W46, before its history was read
    first = SettingsVersion(
        provider.provider_id, 1, "operator-1", "operators", at(date(2026, 12, 1), 10), ()
    )
    store.settings_history[provider.provider_id] = [first]

    rerun = build_weekly_statements(date(2026, 11, 23), ctx)
    monday = build_weekly_statements(date(2026, 12, 14), ctx)

    assert (rerun.statements, rerun.answer()["providers_not_started"]) == (
        0,
        {provider.provider_id: "2026-12-01"},
    )
    assert sorted(w for _, w in store.retrocessions) == ["2026-W46", "2026-W49", "2026-W50"]
    assert monday.answer()["weeks_made_up"] == ["2026-W49"]
    assert "providers_not_started" not in monday.answer()


def test_r24_a_practices_first_week_its_run_left_out_is_made_up_by_the_next():
    """R24: every week has its statement, a practice's first too (audit weeks52).
    Given a practice created on Tuesday 1 December 2026 (2026-W49) whose W49 statement
    failed on every retry of the run of 7 December, and one created on 2 June 2026 (no
    statement ever: its runs missed)
    When the runs of 14 December (W50) and, as a retry, again run
    Then the first gets W49 made up and W50, never W48 (before it existed); the second
    its MADE_UP_WEEKS weeks before W50 and W50; the retry writes the same bytes and makes
    nothing more up. Before: neither got a made-up week (no statement before W50)."""
    new, old = make_provider(), make_provider(provider_id="fysio-centrum-oost")
    store = FakeStore([], [new, old])
    for provider, day in ((new, date(2026, 12, 1)), (old, date(2026, 6, 2))):
        store.settings_history[provider.provider_id] = [
            SettingsVersion(provider.provider_id, 1, "operator-1", "operators", at(day), ())
        ]
    files = FilesInMemory()
    ctx = RetrocessionContext(store, files)

    monday = build_weekly_statements(date(2026, 12, 14), ctx)
    written = dict(files.files)
    retry = build_weekly_statements(date(2026, 12, 14), ctx)

    def weeks(provider_id):
        return sorted(w for p, w in store.retrocessions if p == provider_id)

    assert weeks(new.provider_id) == ["2026-W49", "2026-W50"]
    made_up = [f"2026-W{n}" for n in range(50 - MADE_UP_WEEKS, 50)]
    assert weeks(old.provider_id) == [*made_up, "2026-W50"]
    assert monday.answer()["weeks_made_up"] == made_up
    assert files.files == written and "weeks_made_up" not in retry.answer()


def test_r24_a_run_in_parts_notes_a_practice_an_earlier_part_found_not_started():
    """R24, R34 (audit runs51c item 2): the part of a run that reaches the end proposes
    the payout batch, which leaves out the practices whose week ended before they
    existed: those an earlier part met too, or the batch would wait for a statement no
    run writes.
    Given two practices, the physio one created on 1 December 2026
    When the rerun of 2026-W48 (as_of 30 November) goes on in parts, one practice each
    Then the first part does the physio practice, writes nothing for it and stops at the
    dental one; the second writes the dental statement and names the physio practice
    as not started with its first day, as one uninterrupted run does."""
    physio = make_provider(provider_id="fysio-centrum-oost")
    store = FakeStore([paid(make_invoice(), DUE, at(date(2026, 11, 24)))], [PROVIDER, physio])
    store.settings_history[physio.provider_id] = [
        SettingsVersion(physio.provider_id, 1, "operator-1", "operators", at(date(2026, 12, 1)), ())
    ]
    ctx = RetrocessionContext(store, FilesInMemory())

    first = build_weekly_statements(date(2026, 11, 30), ctx, has_time=lambda: False)
    last = build_weekly_statements(
        date(2026, 11, 30), ctx, has_time=lambda: False, start_at=first.continue_from
    )
    whole = build_weekly_statements(date(2026, 11, 30), ctx)

    assert (first.statements, first.continue_from) == (0, PROVIDER.provider_id)
    assert first.answer()["continue_from"] == [PROVIDER.provider_id]
    assert (last.statements, last.continue_from) == (1, None)
    assert last.not_started == whole.not_started == {physio.provider_id: "2026-12-01"}
    assert last.listed == whole.listed == {PROVIDER.provider_id, physio.provider_id}
    assert sorted(store.retrocessions) == [(PROVIDER.provider_id, "2026-W48")]
