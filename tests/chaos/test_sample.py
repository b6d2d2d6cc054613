"""A short sample of the chaos figures in `make test` (issue 13 item 16): the goals of
`make chaos` asserted on small sizes with fixed seeds. The full run: `make chaos`."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from billing_core.invoices.ledger import Component, EntryKind
from billing_core.providers.retrocession import (
    Statement,
    StatementLine,
    statement_csv,
    statement_json,
)
from billing_core.providers.week import Week
from billing_core.shared.clock import AMSTERDAM
from tests.chaos import money_walk, scenarios
from tests.chaos.scenarios import EMAIL_WINDOW, Figure
from tests.functional import iam_audit

SEED = 2026


@pytest.fixture(autouse=True)
def calls_within_the_templates_roles(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Then (every test): each AWS call a handler made on the way is one its role in
    template.yaml allows (#13.7), as in the functional tests: the walks reach paths no
    functional test takes (a retour on a claim at the agency, a payment that tells the
    agency after the handover)."""
    with iam_audit.recording(monkeypatch) as recorder:
        yield
    recorder.assert_allowed()


def values(figures: list[Figure]) -> dict[str, int]:
    return {figure.measure: figure.value for figure in figures}


def test_an_s3_event_delivered_four_times_invoices_once():
    """Given a declaration ingested, when S3 delivers its event three more times, then no
    invoice is made twice and no betalingskenmerk is shared (#13.1, R1, R4)."""
    figures = scenarios.redelivered_s3_event(random.Random(SEED))
    assert values(figures) == {"duplicate invoices": 0, "shared betalingskenmerken": 0}


def test_a_second_object_version_under_a_declaration_key_is_never_invoiced():
    """Given a declaration ingested, when a second file with other claims is PUT under
    the same key, then no invoice is made from it and no betalingskenmerk is shared
    (#13.1: only the first object version of a key is ingested)."""
    figures = scenarios.same_key_put_twice(random.Random(SEED))
    assert values(figures) == {"duplicate invoices": 0, "shared betalingskenmerken": 0}


def test_a_dunning_run_killed_anywhere_and_rerun_does_everything_once():
    """Given three lives of a practice's unpaid invoices, when each day's run and its
    deliveries are killed at a random port call and run again, then every letter, costs
    and interest entry and handover is there exactly once, as without faults (R18-R23);
    an e-mail goes twice only when the kill fell after SES accepted it and before the
    invoice recorded it (at least once: a legal letter is never lost instead)."""
    figures = scenarios.dunning_killed([SEED, SEED + 1, SEED + 2])
    got = values(figures)
    assert got["letters recorded not exactly once"] == 0
    assert got["costs/interest entries not exactly once"] == 0
    assert got["handovers (file, block, action) not exactly once"] == 0
    [emails] = [f for f in figures if f.measure == "e-mails sent not exactly once"]
    assert emails.value == emails.detail[EMAIL_WINDOW]
    # The run killed something at all ("3 seeds, 70 kills" holds "0 kills" as text)
    assert int(re.search(r"(\d+) kills", figures[0].runs)[1]) > 0


def test_concurrent_writers_on_one_invoice_lose_nothing():
    """Given one invoice, when writers book a payment of one cent on it at the same
    moment, each with its own connection, then every payment is in its ledger (R28)."""
    figure = scenarios.concurrent_writers(12)
    assert figure.value == 0 and figure.detail["cents_booked"] == 12


def test_fuzzed_declarations_and_bank_statements_raise_nothing_unhandled():
    """Given 200 mutations of the sample CSV, Vektis and CAMT.053 files, when each is
    read as the ingest and the bank import read it, then each ends in an answer (a
    refusal or findings), never an unhandled exception (interfaces.md §1, §4)."""
    figure = scenarios.fuzzed_files(random.Random(SEED), 200)
    assert figure.detail["unhandled_by_type"] == {} and figure.value == 0
    assert set(figure.detail["files_per_format"]) == {"csv", "vektis", "camt053"}


def test_random_references_get_no_personal_field():
    """Given the invoices of two practices, when 100 random, real, off-by-one and garbage
    references go to the payment-status API and the checker page, then no answer holds a
    name, BSN, birth date, e-mail address, address or mobile number (R10, R29)."""
    figure = scenarios.random_references(random.Random(SEED), 100)
    assert figure.detail["leaks_by_field"] == {} and figure.value == 0
    assert figure.detail["answers_by_status"].get("2xx", 0) > 0  # real ones were found


# Its 30 steps walk 16 days, take 21 of the 33 kinds of step and 15 of the paths the figure
# counts: the five of round 40 no claim at the agency needs (an insurer's statement the
# automatic policy takes and a retour after it, a retour granting more after a stop, an
# export saved again by Excel, a refund id corrected) and stop 45's bank refund returned by
# the patient's bank and matched back, with the end checks of its three weeks' statements,
# in some 15 s of CPU. The agency's paths need some 77 days (the handover): a fixed walk of
# round 40's paths takes them (seed 9973 took 12 of round 38's and 39's 13 paths before the
# walk drew round 40's steps; seed 11776 took 11 paths before it drew refund_returned).
MONEY_WALK = 210944
# The walks of `make chaos SEED=2026` that met audit MONEY3 (202654, 202657, 202667 and
# 202669), shrunk: a bank credit dated before an iDEAL payment, read or matched by an
# operator after it, left the iDEAL payment as credit nothing paid back.
MONEY3_WALKS = [
    [("day", 3), ("psp", 2, 1.0, "now"), ("bank", 2, 1.0, 10)],
    [("day", 3), ("bank_without_kenmerk", 0, 2), ("psp", 0, 1.0, "now"), ("match", 0, True)],
]
# Audit money MONEY1, MONEY2 and MONEY4 as walk steps (the random walks seldom reach the
# agency before a retour): a retour raises invoice 3 after its reminder; invoice 0, at the
# agency and paid in full, is raised by a retour and then settled by one; a past day's run
# is replayed after the handover.
RETOUR_WALK = [
    ("day", 42),  # 4 January: the reminders
    ("retour", 3, 0.0),
    ("day", 21),  # 25 January: the costs
    ("day", 14),  # 8 February: invoices 0, 1, 2 and 4 handed over
    ("bank", 0, 1.0, 0),
    ("retour", 0, 0.0),
    ("day", 1),
    ("retour", 0, 1.0),
    ("replay_day", 14),
    ("day", 1),
]

# Round 40's money paths at the agency, after the retours of RETOUR_WALK (invoices 1, 2
# and 4 are at the agency): its report dated before the invoice (refused), reports, and
# its transfers with the kenmerk and matched by an operator, for all, half and more than
# it collected (these steps found an operator's match refused for more leaving its
# credit on no list). Round 40's other paths are the sample walk's. Audit agency2: its
# report on invoice 0, paid in full by then, is refused (more than the claim owed: before,
# its one cent was booked as the patient's credit); invoice 1's first report is of half
# and the patient's match of round 41 takes invoice 2's, so that the last one still finds
# a claim of a patient who owes another invoice waiting for the agency's transfer.
AGENCY_WALK = [
    *RETOUR_WALK,
    ("agency_paid", 0, 1.0, 0),
    ("agency_remits", 0, 1.0, "kenmerk"),
    ("agency_paid", 1, 0.5, "before_invoice"),
    ("agency_paid", 1, 0.5, 0),
    ("agency_remits", 0, 0.5, "match"),
    ("agency_remits", 0, 1.2, "kenmerk"),
    ("agency_remits", 0, 1.2, "match"),
    ("day", 7),
    *[
        # Round 41's: a report of a claim paid in the reminder's term, then the agency's
        # transfer of it and the bank's return (audit risk RISK1, RISK2); the agency's
        # transfer matched by an operator while another is booked between the match's
        # check and its booking by another operator (audit
        # security4 SEC4-1); matched to the patient, once all the patient owes and once
        # with another invoice open (agency5); a credit received before its invoice and
        # matched to it (audit risk RISK3).
        ("agency_paid", 2, 1.0, "before_handover"),
        ("agency_remits", 1, 1.0, "kenmerk"),
        ("bank_return", -1),
        ("agency_remits", 0, 1.0, "race_operator"),
        ("agency_paid", 1, 1.0, 0),
        ("agency_remits", 1, 1.0, "patient"),
        ("upload", 90),
        ("agency_paid", 0, 1.0, 0),
        ("agency_remits", 0, 1.0, "patient"),
        ("credit_before_invoice", 91),
    ],
]

# Audit REVIEW2 as walk steps: invoice 0 paid in part on 8 February before the run that
# hands it over; the agency's file of that day must not tell the payment again.
HANDOVER_DAY_WALK = [
    ("day", 42),  # 4 January: the reminders
    ("day", 21),  # 25 January: the costs
    ("day_paid_first", 14, 0, 0.5),  # 8 February, 07:00: half paid; 09:00: handed over
    ("bank", 0, 0.2, 0),  # after the run: told in the file of 8 February
    ("day", 1),
]


# The walk of `make chaos SEED=20261205` (2026120551) that broke "every credit has a way
# back", shrunk: two iDEAL payments whose webhooks came newest first; the later one,
# rebooked as credit, was refunded through the PSP, and the earlier one's own excess was
# held for a PSP refund no webhook would ask (R13, legal-nl.md §2).
WEBHOOKS_NEWEST_FIRST_WALK = [
    ("psp", 0, 1.3, "late"),
    ("day", 5),
    ("psp", 0, 0.5, "late"),
    ("psp_deliver",),
]

# Round 38's money paths, each taken once: a PSP refund Mollie reports failed (its webhook
# sent again), the credit it holds again refunded by bank; a transfer for exactly what two
# invoices owe, returned first in part (no part reversed) and then whole (both); a transfer
# for less than two invoices owe, split by an operator and returned; a stop's key sent
# again the same day, a day later (24 h: a retry) and two days later (a new stop).
NEW_PATHS_WALK = [
    ("psp", 0, 1.3, "now"),
    ("psp_refund_ends", 0, "failed"),
    ("replay",),
    ("refund_by_bank", 0),
    ("bank_two", 1, 2, 1.0, 0),
    ("return_split", 0, 0.5),
    ("return_split", 0, 1.0),
    ("bank_two", 3, 4, 0.8, 0),
    ("match_split", 0, 3),
    ("return_split", 1, 1.0),
    ("stop", 1, "partial", 100),
    ("stop_again",),
    ("day", 1),
    ("stop_again",),
    ("day", 2),
    ("stop_again",),
    ("replay",),
]


def test_a_random_walk_over_a_practices_money_breaks_no_invariant():
    """Given one practice's five invoices on the sandbox, when 30 seeded random steps are
    taken (iDEAL payments, webhooks held back, a transfer for two kenmerken listed and an
    operator's split, a split transfer returned, a PSP refund canceled and its webhook
    again, refunds whose answer was lost, recorded by an operator with a wrong id and the
    right one, and one booked under a wrong id corrected, a bank refund returned by the
    patient's bank and matched back, stops and their key again, a stop corrected, an
    export and its copy saved again by Excel, an insurer's statement the automatic policy
    takes and a retour after it, payments on the costs day, 16 days of dunning runs),
    then after every step every cent received is on an invoice, unmatched or still to
    come, a replay changes nothing, no costs or interest go below zero, no payment counts
    twice, every credit has a way back and none exceeds what the patient paid, no claim is invoiced
    twice, the blocked patients are those with an agency claim, no letter or costs come
    without default, the policy's amount holds after a retour, and each week's
    retrocession adds up, each week's CSV says what its JSON says and a week built again
    is the same bytes (R3, R5, R11-R18, R21-R24, R34, R38, R40, legal-nl.md §2, §5-§7;
    tests/chaos/money_walk.py)."""
    figure = scenarios.money_walk([MONEY_WALK], 30)
    assert figure.value == 0, figure.detail
    assert len(figure.detail["walks_by_path"]) == 15, figure.detail  # the new paths it takes
    assert set(figure.detail["walks_by_path"]) >= {  # round 40's that need no agency
        "statement taken by the automatic policy",
        "retour after an automatic coulance",
        "retour granting more after a stop or coulance",
        "an export saved again by Excel",
        "refund id corrected by an operator",
        # stop 45 (money9, drawn since money10): a bank refund returned and matched back
        "refund by bank",
        "bank refund returned, matched back",
    }


@pytest.mark.parametrize("steps", MONEY3_WALKS, ids=["bank read late", "operator match"])
def test_the_walks_that_met_money3_break_no_invariant(steps):
    """R13, legal-nl.md §2 (audit money MONEY3, found again by the money walk): given an
    iDEAL payment and a payment dated before it read or matched after it, then the credit
    it leaves has a way back (by bank), and no other invariant breaks."""
    assert money_walk.walk(steps) is None


def test_retours_on_claims_reminded_and_at_the_agency_break_no_invariant():
    """R5, R22, R34, R18, legal-nl.md §2, §7 (audit money MONEY1, MONEY2, MONEY4 as walk
    steps): given a reminder and then a retour that raises the invoice, no costs follow on
    that reminder; given a claim at the agency paid in full, a retour that raises it blocks
    its patient again and one that grants all unblocks, the agency's daily file tells each
    retour, and a past day's run replayed after the handover writes no entry from before
    it; every other invariant holds too. Then round 40's paths at the agency (AGENCY_WALK,
    which goes on from these steps: walked once, for the CPU of `make test`): R24, R27
    (audit AGENCY3), the agency's transfer is received once, in the week it reaches our
    account, pays the claim nothing again and gives the patient no credit; its report is
    never received; more than it collected books nothing and stays listed (also after an
    operator's match is refused); R22, legal-nl.md §2 (AGENCY4), a report dated before
    the handover books nothing. Round 41's (the steps at the end of AGENCY_WALK): R25,
    legal-nl.md §2 (audit risk RISK1-RISK3), a claim counts in the debtor-risk figures by
    the day the patient paid, whether the agency's transfer came or the bank returned it,
    and a credit received before its invoice pays it on time, not "stopped"; R12, R34
    (audit security4 SEC4-1), an operator's match of the agency's transfer refused because
    another booked meanwhile books nothing and leaves the credit listed; R24, R13
    (agency5), a credit matched to the patient of a claim waiting for the agency's
    transfer is that transfer, or refused with nothing booked when the patient owes
    another invoice; each of those paths was taken."""
    reached: Counter[str] = Counter()
    assert money_walk.walk(AGENCY_WALK, reached) is None
    assert set(reached) == {
        "agency report dated before the invoice",
        # audit agency2: a report for more than the claim owed is refused, nothing booked
        "agency report for more than the claim owed",
        "agency's transfer by kenmerk",
        "agency's transfer by match",
        "agency's transfer by kenmerk for more than it collected",
        "agency's transfer by match for more than it collected",
        "agency's transfer returned",
        "two of the agency's transfers at once (operator)",
        "patient match booked as the agency's transfer",
        "patient match refused: agency_transfer_or_patients_payment",
        "credit received before its invoice, matched to it",
    }


def test_a_payment_read_on_the_handover_day_before_the_run_is_told_once():
    """R19, R22, R34 (audit REVIEW2 as walk steps): given a claim paid in part on the day
    of its handover before the run and again after it, then the agency's daily file of
    that day tells the second payment only (the first is in the handover file), and
    every other invariant holds too."""
    assert money_walk.walk(HANDOVER_DAY_WALK) is None


def test_the_new_money_paths_break_no_invariant():
    """R12, R13, R27, R38, legal-nl.md §5 (round 38's money paths as walk steps): given a
    failed PSP refund, a transfer for two kenmerken, an operator's split and a stop's key
    sent again, then the failed refund's credit is held again once and refunded by bank,
    the PSP is asked once per payment, a split transfer's return reverses every part
    (whole) or none (in part), the key books one stop within its 24 hours and a new one
    after them, and every other invariant holds; each path was taken."""
    reached: Counter[str] = Counter()
    assert money_walk.walk(NEW_PATHS_WALK, reached) is None
    assert set(reached) == {
        "PSP refund failed",
        "refund by bank",
        "transfer for two kenmerken booked",
        "transfer for two kenmerken listed",
        "operator's split",
        "split transfer returned",
        "split transfer returned in part",
        "stop's key sent again within 24 h",
        "stop's key sent again after 24 h",
    }


# A PSP refund Mollie pays back, and the webhooks again: its status is kept with the refund
# (from its booking on), so the webhook again after the refund and after its end writes
# nothing, and the money stays as booked (R11, R13; audit security2, "1 + N").
REFUND_PAID_BACK_WALK = [
    ("psp", 0, 1.3, "now"),
    ("replay",),
    ("psp_refund_ends", 0, "refunded"),
    ("replay",),
]


def test_a_psp_refund_paid_back_and_its_webhook_again_change_no_money():
    """R11, R13: given an overpayment by iDEAL refunded through the PSP, when its webhook
    comes again, Mollie then reports the refund paid back and the webhook comes once more,
    then only the refund's status is kept and no invariant breaks (a replay changes
    nothing at all)."""
    assert money_walk.walk(REFUND_PAID_BACK_WALK) is None


def test_an_earlier_ideal_payments_webhook_after_a_later_ones_leaves_a_way_back():
    """R13, legal-nl.md §2 (the money walk of seed 2026120551, reduced): given a payment of
    130 % and, five days later, one of half, both webhooks held back and delivered newest
    first, then the later payment is refunded through the PSP and the earlier one's own
    excess is refundable by bank: every credit has a way back, no other invariant breaks."""
    assert money_walk.walk(WEBHOOKS_NEWEST_FIRST_WALK) is None


# Round 39's money paths, each taken once: invoice 2 paid in full on 23 November; the
# reminders of 4 January, then that transfer returned and the run of 1 January replayed
# (the walk of seed 2026120552, reduced: the replay sends the reminder the return made due,
# as the next run would); on the day after the
# e-mailed reminders' term, half of one paid by iDEAL at 02:00, and on the day after the
# posted one's, half credited and read at 05:00, each before that day's run charged the
# costs; an overpayment whose PSP refund was made and its answer lost, recorded by an
# operator with a wrong id and then the right one, the webhook again; the refund paid back,
# and the webhook again after that final status.
ROUND_39_WALK = [
    ("bank", 2, 1.0, 0),
    ("day", 42),
    ("bank_return", 0),
    ("replay_day", 3),
    ("costs_day", 0, 0.5, "ideal", 1),
    ("costs_day", 0, 0.5, "bank", 1),
    ("psp_refund_lost", 1),
    ("record_refund", 0, False),
    ("record_refund", 0, True),
    ("replay",),
    ("psp_refund_ends", 0, "refunded"),
    ("psp_webhook_again", 0),
    ("replay",),
]


def test_round_39s_money_paths_break_no_invariant():
    """legal-nl.md §2, §5 (audit legal2 LEGAL2-1), R11, R13, R34 (audit security3 SEC3-2,
    security2 "1 + N"): given a payment made on the costs day before its run (iDEAL at
    02:00, a transfer read at 05:00), then it pays the costs the run charges, then the
    interest, then principal, as one booked after the run; given a PSP refund made and its
    answer lost, then an operator's wrong refund id is refused (422 unknown_psp_refund) and
    books nothing, the right one is booked and every later webhook of the payment answers
    200; given the refund paid back, then its webhook again asks the PSP nothing about it
    and writes nothing; given a payment returned after its reminder day, then a past
    day's run replayed does nothing beyond the reminder the next run sends (R18); every
    other invariant holds and each path was taken."""
    reached: Counter[str] = Counter()
    assert money_walk.walk(ROUND_39_WALK, reached) is None
    assert set(reached) == {
        "paid on the costs day before its run",
        "refund id recorded wrong, refused",
        "refund id recorded by hand",
        "webhook again after a refund's final status",
    }


# Stop 45 money9: a bank refund the patient's bank returned, matched back by an operator.
# Invoice 0 paid 130 % by transfer; its credit refunded by bank and that refund returned,
# matched to the invoice (the refund undone); then a day and the Monday's statement.
REFUND_RETURNED_WALK = [
    ("bank", 0, 1.3, 0),
    ("refund_by_bank", 0),
    ("day", 1),
    ("refund_returned", 0),
    ("refund_by_bank", 0),
    ("refund_returned", 0),
    ("day", 7),
]


def test_a_bank_refund_returned_and_matched_back_breaks_no_invariant():
    """R13, R24, R34 (stop 45 money9): given an overpayment refunded by bank and the
    patient's bank returning that refund, when an operator matches the returned money to
    the invoice, then it is the refund undone (the credit held again, no payment, the
    answer's outcome ``refund_undone``), refunded again and returned again the same, and
    money is conserved, every statement adds up; the path was taken."""
    reached: Counter[str] = Counter()
    assert money_walk.walk(REFUND_RETURNED_WALK, reached) is None
    assert {"refund by bank", "bank refund returned, matched back"} <= set(reached)


def _statement_files() -> tuple[dict[str, Any], str]:
    """A week's statement as the run writes it: a payment, its return and a refund whose
    note a spreadsheet would take for a formula (written with a ``'`` before it)."""
    at = datetime(2026, 11, 24, 9, tzinfo=AMSTERDAM)
    lines = tuple(
        StatementLine(at, "72037903166742", "inv-1", kind, Component.PRINCIPAL, cents, cause, note)
        for kind, cents, cause, note in (
            (EntryKind.PAYMENT, -5130, "bank:REF1", ""),
            (EntryKind.REVERSAL, 5130, "bank:REF1", "=returned MD06"),
            (EntryKind.REFUND, 176, "bank-refund:RF-1.1", "refund:RF-1.1"),
        )
    )
    statement = Statement("tandarts-de-vries", Week.parse("2026-W48"), Decimal("3.5"), lines)
    return json.loads(statement_json(statement)), statement_csv(statement).decode()


@pytest.mark.parametrize(
    ("changed", "into"),
    [
        ("-5130;-51,30", "-5131;-51,31"),  # an entry row's amount
        ("'=returned MD06", "'=returned MD60"),  # an entry row's note
        (
            "settlement;2026-11-29;;;;refunded;;176;1,76",
            "settlement;2026-11-29;;;;refunded;;0;0,00",
        ),
        ("total;2026-11-29;;;;refund;;176;1,76;;\r\n", ""),  # a total left out
    ],
    ids=["amount", "note", "settlement", "total"],
)
def test_the_walks_end_check_sees_a_statements_csv_that_differs_from_its_json(changed, into):
    """R24 (the end check of the money walk, stop 45 money10): given a week's statement as
    JSON and CSV, then the check passes them as written, a note shown as text included,
    and refuses a CSV whose entry row, settlement or total says other than the JSON."""
    document, csv = _statement_files()
    money_walk.a_statements_csv_says_what_its_json_says("2026-W48", document, csv)
    assert changed in csv
    with pytest.raises(money_walk.Violation, match="CSV says what its JSON says"):
        money_walk.a_statements_csv_says_what_its_json_says(
            "2026-W48", document, csv.replace(changed, into)
        )
