"""The invoice item of the single table: everything survives the round trip, and items
written before deferrals, arrangements and payments existed still load (R27, R28)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from billing_core.adapters.dynamo import items
from billing_core.invoices.invoice import (
    Arrangement,
    ArrangementStatus,
    ArrangementTerm,
    Channel,
    Correspondence,
    CoveredInvoice,
    Deferral,
    DunningStage,
    InsurerStatement,
    PendingLetter,
    Reminder,
)
from billing_core.providers.actions import ActionKind, ActionState, OpenAction
from billing_core.shared.clock import AMSTERDAM
from tests.unit.factories import make_invoice, make_line

AT = datetime(2026, 12, 1, 10, 30, tzinfo=AMSTERDAM)


def test_a_full_invoice_survives_the_round_trip():
    invoice = make_invoice(
        deferral=Deferral(AT, date(2027, 1, 22)),
        arrangement=Arrangement(
            AT,
            (ArrangementTerm(date(2027, 1, 22), 2500), ArrangementTerm(date(2027, 2, 22), 2817)),
            fee_cents=1000,
            status=ArrangementStatus.CANCELLED,
            cancelled_at=AT,
            ledger_start=3,
            kept_by="bank:E-77",
        ),
        hold_until=date(2027, 1, 31),
        hold_reason="bezwaar in behandeling",
        hold_days_used=23,
        hold_by="user-sub-7",
        dunning_stage=DunningStage.REMINDED,
        applied_payments=("psp:tr_1", "bank:E-77"),
        correspondence=(Correspondence("payment_received", Channel.EMAIL, AT, "m-1", "psp:tr_1"),),
        insurer_statement=InsurerStatement(3000, 2000, AT, proposal_open=True, adjusted_at=AT),
        version=4,
    )
    assert items.invoice_from_item(items.invoice_to_item(invoice)) == invoice


def test_a_statement_stored_before_its_proposal_and_new_date_were_kept_loads_as_decided():
    """legal-nl.md §7: a statement written before ``proposal_open`` and ``adjusted_at``
    existed holds no reminder and supersedes none, as it did then."""
    item = items.invoice_to_item(make_invoice(insurer_statement=InsurerStatement(3000, 0, AT)))
    for newer in ("proposal_open", "adjusted_at"):
        del item["insurer_statement"][newer]
    loaded = items.invoice_from_item(item).insurer_statement
    assert loaded == InsurerStatement(3000, 0, AT)


def test_an_item_from_before_this_issue_loads_with_defaults():
    item = items.invoice_to_item(make_invoice())
    for newer in (
        "deferral",
        "arrangement",
        "hold_until",
        "hold_reason",
        "hold_days_used",
        "hold_by",  # R32 (audit ROLES1): a hold placed before its user was kept
        "dunning_stage",
        "applied_payments",
    ):
        del item[newer]
    for letter in item["correspondence"]:
        letter.pop("event_id", None)
    loaded = items.invoice_from_item(item)
    assert loaded == make_invoice()
    assert loaded.dunning_stage is DunningStage.NONE and loaded.applied_payments == ()


def reminded(*covers: CoveredInvoice):
    reminder = Reminder(
        "2027-01-07:inv-1",
        date(2027, 1, 7),
        Channel.EMAIL,
        date(2027, 1, 7),
        date(2027, 1, 21),
        covers,
    )
    return make_invoice(dunning_stage=DunningStage.REMINDED, reminder=reminder)


def test_the_arrangement_fee_a_reminder_asks_survives_the_round_trip():
    """Audit legal D3: the reminder records the fee of a cancelled arrangement it asks
    with the principal (R15, legal-nl.md §2), so the letter says the same when read back."""
    invoice = reminded(CoveredInvoice("inv-1", "x", 30_000, 4_500, fee_cents=1_000))
    loaded = items.invoice_from_item(items.invoice_to_item(invoice))
    assert loaded == invoice and loaded.reminder.due_cents == 31_000


def test_a_reminder_stored_before_the_fee_was_recorded_loads_without_one():
    invoice = reminded(CoveredInvoice("inv-1", "x", 30_000, 4_500))
    item = items.invoice_to_item(invoice)
    for covered in item["reminder"]["covers"]:
        del covered["fee_cents"]
    assert items.invoice_from_item(item) == invoice


def test_actions_sort_by_creation_in_utc_across_a_dst_change():
    # On 25 October 2026 the clocks go back at 03:00: 02:30 (+02:00, summer time) comes
    # before 02:10 of the repeated hour (+01:00). Local times as text would sort them the
    # other way round.
    summer = OpenAction(
        "a1", "p", ActionKind.OBJECTION, "i", "r", datetime(2026, 10, 25, 2, 30, tzinfo=AMSTERDAM)
    )
    winter = OpenAction(
        "a2",
        "p",
        ActionKind.OBJECTION,
        "i",
        "r",
        datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=AMSTERDAM),
    )
    assert summer.created_at.timestamp() < winter.created_at.timestamp()
    assert summer.created_at.isoformat() > winter.created_at.isoformat()
    # The invoice's list sorts on the index key, the provider's list on the same position
    assert items.action_to_item(summer)["gsi2sk"] < items.action_to_item(winter)["gsi2sk"]


def test_an_action_survives_the_round_trip():
    action = OpenAction(
        "a1",
        "tandarts-de-vries",
        ActionKind.OBJECTION,
        "inv-1",
        "12234534622567",
        AT,
        ActionState.DONE,
        {"reason": "amount", "message": "Te hoog", "email": "a@example.nl"},
    )
    assert items.action_from_item(items.action_to_item(action)) == action


def test_a_line_keeps_the_date_its_coverage_was_decided_on():
    """legal-nl.md §6: a DBC is declared at the insurer of its start date; the line keeps
    that date beside its (end) treatment date, for "don't pay yet" and coulance (R17)."""
    line = make_line(treatment_date=date(2024, 1, 8), coverage_date=date(2023, 9, 11))
    invoice = make_invoice(lines=(line,))
    assert items.invoice_from_item(items.invoice_to_item(invoice)) == invoice


def test_a_line_stored_before_it_kept_its_coverage_date_is_judged_on_its_treatment_date():
    """An invoice stored before lines kept their coverage date still loads, and reads as
    the code read it then: on the treatment date."""
    line = make_line(treatment_date=date(2024, 1, 8), coverage_date=date(2023, 9, 11))
    item = items.invoice_to_item(make_invoice(lines=(line,)))
    for stored in item["lines"]:
        del stored["coverage_date"]
    (loaded,) = items.invoice_from_item(item).lines
    assert loaded == make_line(treatment_date=date(2024, 1, 8), coverage_date=date(2024, 1, 8))


@pytest.mark.parametrize("contracted", [True, False])
def test_a_lines_contract_decision_survives_the_round_trip(contracted):
    """R31, R17 (audit coverage COVERAGE1): the item keeps whether the line was invoiced
    as contracted care, as decided at issue; it is written as a DynamoDB boolean."""
    invoice = make_invoice(lines=(make_line(contracted=contracted),))
    item = items.invoice_to_item(invoice)
    assert [line["contracted"] for line in item["lines"]] == [contracted]
    assert items.invoice_from_item(item) == invoice


def test_a_line_stored_before_it_kept_its_contract_decision_loads_without_one():
    """An invoice stored before lines kept the decision still loads; its lines say None,
    and coulance reads today's contracts for them (coulance.was_contracted)."""
    item = items.invoice_to_item(make_invoice(lines=(make_line(contracted=True),)))
    for stored in item["lines"]:
        del stored["contracted"]
    (loaded,) = items.invoice_from_item(item).lines
    assert loaded == make_line(contracted=None)


def test_a_redated_and_bounced_reminder_and_the_dead_address_survive_the_round_trip():
    """Audit delivery D1, D2: the run's day of a reminder that went out later, a reminder
    set aside after a Permanent bounce and the bounced address (R7, legal-nl.md §2)."""
    invoice = reminded(CoveredInvoice("inv-1", "x", 30_000, 4_500))
    reminder = replace(invoice.reminder, decided_on=date(2027, 1, 4), undelivered=True)
    invoice = replace(invoice, reminder=reminder, bounced_emails=(invoice.addressee.email,))
    loaded = items.invoice_from_item(items.invoice_to_item(invoice))
    assert loaded == invoice and loaded.letter_channel is Channel.PAPER


def test_a_reminder_and_invoice_stored_before_bounces_were_kept_load_as_delivered():
    invoice = reminded(CoveredInvoice("inv-1", "x", 30_000, 4_500))
    item = items.invoice_to_item(invoice)
    del item["bounced_emails"], item["reminder"]["decided_on"], item["reminder"]["undelivered"]
    assert items.invoice_from_item(item) == invoice


def test_the_run_day_of_a_second_notice_sent_later_survives_the_round_trip():
    """R19 (audit calendar D3): the costs day moved to the day the second notice went out,
    the run's day beside it; an invoice stored before it was kept loads without it."""
    invoice = replace(
        reminded(CoveredInvoice("inv-1", "x", 30_000, 4_500)),
        dunning_stage=DunningStage.COSTS_CHARGED,
        costs_charged_on=date(2027, 1, 25),
        costs_decided_on=date(2027, 1, 22),
    )
    item = items.invoice_to_item(invoice)
    assert items.invoice_from_item(item) == invoice
    del item["costs_decided_on"]
    assert items.invoice_from_item(item) == replace(invoice, costs_decided_on=None)


def test_how_many_entries_the_handover_file_holds_survives_the_round_trip():
    """R19, R34 (audit REVIEW2): the number of ledger entries a handover file holds comes
    back as stored (DynamoDB gives a Decimal); an item handed over before it was kept
    loads without one, and the handover's day is the line for its daily files."""
    invoice = make_invoice(
        dunning_stage=DunningStage.WITH_COLLECTION_AGENCY,
        handed_over_on=date(2027, 1, 29),
        handover_entries=5,
    )
    item = items.invoice_to_item(invoice)
    assert items.invoice_from_item(item | {"handover_entries": Decimal(5)}) == invoice
    del item["handover_entries"]
    assert items.invoice_from_item(item).handover_entries is None


def test_the_final_payment_date_an_invoice_was_sent_with_survives_the_round_trip():
    """R36 (audit LETTERS1): the date the invoice PDF asked to pay by, kept when it was
    sent, for the copy served later; an invoice sent before it was kept loads without it
    (correspondence/invoice_copy.py renders it with the date issuing gave)."""
    letter = Correspondence("invoice", Channel.EMAIL, AT, "m-1")
    invoice = make_invoice().sent(letter, date(2026, 12, 23))
    item = items.invoice_to_item(invoice)
    assert items.invoice_from_item(item) == invoice
    del item["sent_final_payment_date"]
    assert items.invoice_from_item(item) == replace(invoice, sent_final_payment_date=None)


def test_the_print_batch_chosen_for_a_letter_survives_the_round_trip():
    """R38 (audit DELIVERY1): the print batch a paper invoice and a paper dunning letter
    were given before their PDF was put, for a retry to put them there again; items stored
    before it was kept load without it (today's batch)."""
    pending = PendingLetter("dunning_reminder", "2027-01-07:inv-1", date(2027, 1, 7))
    invoice = replace(
        make_invoice(),
        print_batch_day=date(2026, 11, 23),
        letters_due=(replace(pending, print_batch_day=date(2027, 1, 8)),),
    )
    item = items.invoice_to_item(invoice)
    assert items.invoice_from_item(item) == invoice
    del item["print_batch_day"], item["letters_due"][0]["print_batch_day"]
    assert items.invoice_from_item(item) == replace(
        invoice, print_batch_day=None, letters_due=(pending,)
    )


def test_the_key_recorded_for_a_dunning_letters_pdf_survives_the_round_trip():
    """R38, legal-nl.md §8: the key a dunning letter's PDF was given before it was put,
    for a retry to put it there again; pending letters stored before it was kept load
    without one."""
    pending = PendingLetter("second_notice", "second-notice:2027-01-07:inv-1", date(2027, 1, 22))
    key = "letters/tandarts-de-vries/10000000000002-second_notice-2027-01-07.pdf"
    invoice = replace(make_invoice(), letters_due=(replace(pending, kept_key=key),))
    item = items.invoice_to_item(invoice)
    assert items.invoice_from_item(item) == invoice
    del item["letters_due"][0]["kept_key"]
    assert items.invoice_from_item(item) == replace(invoice, letters_due=(pending,))


def test_the_print_batch_of_a_paper_confirmation_survives_the_round_trip():
    """R38 (fix small37 item 1): the print batch a paper confirmation was given before its
    PDF was put, for a retry on a later day to find it there; items stored before it was
    kept load without one."""
    day = date(2026, 11, 25)
    pending = PendingLetter("arrangement_confirmation", "arrangement", day, day)
    invoice = replace(make_invoice(), paper_messages=(pending,))
    item = items.invoice_to_item(invoice)
    assert items.invoice_from_item(item) == invoice
    del item["paper_messages"]
    assert items.invoice_from_item(item) == replace(invoice, paper_messages=())
