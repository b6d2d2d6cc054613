"""The weekly retrocession run and the provider's statement and debtor-risk routes
(R24, R25, R26; interfaces.md §2-§4), on moto with the template's resources."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from itertools import chain

import pytest

from billing_core.payments.booking import IncomingPayment, book_payment
from billing_core.shared.clock import AMSTERDAM
from local.generate import declaration_csv
from local.sandbox import sample_event
from local.seed import DENTAL, PHYSIO
from tests.csv_downloads import csv_dicts
from tests.functional.conftest import delivered_dental_week, emailed, emitted_metrics
from tests.functional.stored_items import store_status

MONDAY_AFTER = date(2026, 11, 30)  # the sandbox starts on Monday 23 November (2026-W48)


def _get(sandbox, path, provider=DENTAL.provider_id, **query):
    return sandbox.api("GET", path, provider_id=provider, query=query or None)


def _header(answer, name):
    """API Gateway's proxy answer: single- or multi-value headers."""
    single = (answer.get("headers") or {}).get(name)
    return single or (answer.get("multiValueHeaders") or {}).get(name, [""])[0]


def test_the_monday_run_writes_each_providers_statement_of_last_week(sandbox, paid_week):
    invoices, paid = paid_week
    # When EventBridge Scheduler starts the run on Monday 30 November (payload {})
    summary = sandbox.invoke("retrocession_run", sample_event("retrocession_run/scheduled.json"))
    # Then both providers have the JSON and CSV of week 48 in the output bucket
    assert (
        summary["week"] == "2026-W48" and summary["statements"] == 2 and summary["failures"] == {}
    )
    # (and 2026-W47, the practices' first week: onboarded on 16 November, the run of
    # 23 November never ran in the sandbox, so this run makes it up: weeks52)
    assert sorted(sandbox.output_keys("retrocession/")) == [
        "retrocession/fysio-centrum-oost/2026-W47.csv",
        "retrocession/fysio-centrum-oost/2026-W47.json",
        "retrocession/fysio-centrum-oost/2026-W48.csv",
        "retrocession/fysio-centrum-oost/2026-W48.json",
        "retrocession/tandarts-de-vries/2026-W47.csv",
        "retrocession/tandarts-de-vries/2026-W47.json",
        "retrocession/tandarts-de-vries/2026-W48.csv",
        "retrocession/tandarts-de-vries/2026-W48.json",
    ]
    assert summary["weeks_made_up"] == ["2026-W47"]
    # And the dental statement has every invoice issued and the transfer, less 3.5%
    document = json.loads(sandbox.output_object("retrocession/tandarts-de-vries/2026-W48.json"))
    issued = sum(i.gross_cents for i in invoices)
    assert document["totals_by_kind"]["issued"] == issued
    received = paid.amount_due_cents
    fee = round(received * 0.035)
    assert document["settlement"] == {
        "received": received,
        "refunded": 0,
        "service_fee": fee,
        "payout": received - fee,
    }
    assert {line["reference"] for line in document["lines"]} == {i.reference for i in invoices}


def test_running_the_same_week_again_writes_the_same_bytes(sandbox, paid_week):
    sandbox.run_retrocession()
    first = {key: sandbox.output_object(key) for key in sandbox.output_keys("retrocession/")}
    # When an operator replays the week on Wednesday with {"as_of": "2026-12-02"}
    sandbox.run_retrocession(date(2026, 12, 2))
    again = {key: sandbox.output_object(key) for key in sandbox.output_keys("retrocession/")}
    assert again == first


def test_a_week_still_running_is_refused_and_nothing_is_proposed(sandbox, paid_week):
    """R24, R18 (audit calendar D1): given today is Monday 30 November, when an operator
    asks the run for Monday 7 December, then it refuses: week 49 is still running, and a
    payout batch proposed for its first day would stand for the whole week. Nothing of
    week 49 is written or proposed; the Monday after still closes it in full."""
    answer = sandbox.run_retrocession(date(2026, 12, 7))

    assert answer == {
        "refused": "as_of 2026-12-07 is after today 2026-11-30: "
        "the retrocession run replays days that have come, never a future one"
    }
    assert not [key for key in sandbox.output_keys("retrocession/") if "2026-W49" in key]
    assert sandbox.runtime.money_out_context().batches.get_batch("PO-2026-W49") is None


def test_a_malformed_payload_is_refused(sandbox):
    """R39 (ops53): a malformed event is refused, not raised into Lambda's retries (each
    would be refused the same): answered with the field named, and nothing written."""
    assert sandbox.invoke("retrocession_run", {"as_of": "maandag"}) == {
        "refused": "event refused: as_of: Input should be a valid date or datetime, "
        "input is too short"
    }
    assert sandbox.invoke("retrocession_run", {"as_of": "2026-11-30", "provider_id": "x"}) == {
        "refused": "event refused: provider_id: Extra inputs are not permitted"
    }
    assert sandbox.output_keys("retrocession/") == []


def test_the_practice_lists_its_weeks_and_downloads_json_and_csv(sandbox, paid_week):
    _, paid = paid_week
    sandbox.run_retrocession()
    # The list, newest first, with the settlement per week (W47, the practice's first
    # week, made up: the sandbox's run of 23 November never ran)
    status, listing = _get(sandbox, "/api/v1/provider/retrocessions")
    assert status == 200 and [w["week"] for w in listing["items"]] == ["2026-W48", "2026-W47"]
    assert listing["items"][1]["received"] == 0
    week = listing["items"][0]
    assert (
        week["received"] == paid.amount_due_cents
        and week["payout"] == week["received"] - week["service_fee"]
    )
    assert listing["next_before"] is None
    # The JSON statement is the stored one, with the state of its payout as of today
    # (issue 19: the batch the Monday run proposed; the stored file stays the ledgers')
    status, statement = _get(sandbox, "/api/v1/provider/retrocessions/2026-W48")
    assert status == 200
    payout = statement.pop("payout")
    assert statement == json.loads(
        sandbox.output_object("retrocession/tandarts-de-vries/2026-W48.json")
    )
    assert (payout["state"], payout["batch_id"], payout["paid"]) == (
        "proposed",
        "PO-2026-W48",
        week["payout"],
    )
    # The CSV comes as a download
    answer = sandbox.api_raw(
        "GET",
        "/api/v1/provider/retrocessions/2026-W48",
        provider_id=DENTAL.provider_id,
        query={"format": "csv"},
    )
    assert answer["statusCode"] == 200 and _header(answer, "Content-Type").startswith("text/csv")
    assert (
        _header(answer, "Content-Disposition")
        == 'attachment; filename="retrocessie-tandarts-de-vries-2026-W48.csv"'
    )
    rows = csv_dicts(answer["body"])  # as a client reads it: without the BOM (R35)
    settlement = {r["kind"]: int(r["amount_cents"]) for r in rows if r["record"] == "settlement"}
    assert settlement["payout"] == week["payout"]


def test_weeks_without_a_statement_or_that_are_no_weeks(sandbox, paid_week):
    sandbox.run_retrocession()
    assert _get(sandbox, "/api/v1/provider/retrocessions/2026-W40")[0] == 404
    for label in ("2026-W48.json", "2027-W53", "48"):
        status, body = _get(sandbox, f"/api/v1/provider/retrocessions/{label}")
        assert status == 400 and body["error"]["code"] == "validation_error", label
    status, body = _get(sandbox, "/api/v1/provider/retrocessions/2026-W48", format="pdf")
    assert status == 400


def test_another_provider_never_reads_the_dental_statement(sandbox, paid_week):
    """Given the week-48 statements of both practices
    When the physiotherapy practice asks for week 48, lists, or tries a path to the dental file
    Then it only ever gets its own statement (R26): the key is built from its token."""
    invoices, _ = paid_week
    sandbox.run_retrocession()
    status, own = _get(
        sandbox, "/api/v1/provider/retrocessions/2026-W48", provider=PHYSIO.provider_id
    )
    assert status == 200 and own["provider_id"] == PHYSIO.provider_id and own["lines"] == []
    answer = sandbox.api_raw(
        "GET",
        "/api/v1/provider/retrocessions/2026-W48",
        provider_id=PHYSIO.provider_id,
        query={"format": "csv"},
    )
    assert not {i.reference for i in invoices} & set(answer["body"].split(";"))
    listing = _get(sandbox, "/api/v1/provider/retrocessions", provider=PHYSIO.provider_id)[1]
    assert [(w["week"], w["received"]) for w in listing["items"]] == [
        ("2026-W48", 0),
        ("2026-W47", 0),
    ]
    for path in (
        "/api/v1/provider/retrocessions/..%2Ftandarts-de-vries%2F2026-W48",
        "/api/v1/provider/retrocessions/tandarts-de-vries%2F2026-W48",
    ):
        assert _get(sandbox, path, provider=PHYSIO.provider_id)[0] in (400, 403, 404)
    # And without a token there is nothing at all
    assert sandbox.api("GET", "/api/v1/provider/retrocessions/2026-W48")[0] == 401


def test_debtor_risk_per_month_of_issue(sandbox, paid_week):
    invoices, _ = paid_week
    # When the dental practice asks for November 2026 on 30 November
    status, risk = _get(
        sandbox, "/api/v1/provider/debtor-risk", **{"from": "2026-11", "to": "2026-11"}
    )
    # Then every invoice is counted, the transfer as paid on time and the rest still open
    assert status == 200 and [m["period"] for m in risk["months"]] == ["2026-11"]
    november = risk["months"][0]
    assert november["invoices"] == len(invoices)
    assert november["amount"] == sum(i.original_amount_cents for i in invoices)
    assert november["paid_on_time"]["count"] == 1 and november["open"]["count"] == len(invoices) - 1
    assert risk["total"]["invoices"] == len(invoices)
    # And the physiotherapy practice sees none of them (R26)
    status, other = _get(
        sandbox,
        "/api/v1/provider/debtor-risk",
        provider=PHYSIO.provider_id,
        **{"from": "2026-11", "to": "2026-11"},
    )
    assert status == 200 and other["total"]["invoices"] == 0


def test_debtor_risk_defaults_to_the_last_twelve_months_and_refuses_odd_ranges(sandbox):
    status, risk = _get(sandbox, "/api/v1/provider/debtor-risk")
    assert status == 200 and (risk["from_month"], risk["to_month"]) == ("2025-12", "2026-11")
    assert len(risk["months"]) == 12
    for query in (
        {"from": "2026-11", "to": "2026-01"},
        {"from": "2020-01", "to": "2026-11"},
        {"from": "2026-13"},
        # interfaces.md §2: 400, not a crash, for months the calendar has no days for
        # (audit security D6): 9999-12's last day is in year 10000, year 0 has none
        {"to": "9999-12"},
        {"from": "9998-01", "to": "9999-12"},
        {"from": "0000-01", "to": "0000-12"},
        {"to": "0001-05"},  # the default from is eleven months before it
    ):
        status, body = _get(sandbox, "/api/v1/provider/debtor-risk", **query)
        assert status == 400 and body["error"]["code"] == "validation_error", query


def test_the_list_pages_back_through_the_weeks(sandbox, paid_week):
    # Given statements of weeks 48, 49 and 50, each built on the Monday after it (and 47,
    # the practice's first, made up with 48: the sandbox's run of 23 November never ran)
    for monday in (date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14)):
        sandbox.clock.set(monday)
        sandbox.run_retrocession()
    # When the practice pages two at a time
    _status, first = _get(sandbox, "/api/v1/provider/retrocessions", limit="2")
    _status2, rest = _get(
        sandbox, "/api/v1/provider/retrocessions", limit="2", before=first["next_before"]
    )
    # Then it sees every week once, newest first
    assert [w["week"] for w in first["items"]] == ["2026-W50", "2026-W49"] and first[
        "next_before"
    ] == "2026-W49"
    assert [w["week"] for w in rest["items"]] == ["2026-W48", "2026-W47"]
    assert rest["next_before"] is None


def _paid_at(sandbox, invoice, moment, bank_reference, cents=5000):
    """A bank transfer of ``cents`` read at ``moment`` (the sandbox clock moves there)."""
    sandbox.clock.set(moment)
    transfer = IncomingPayment("bank", bank_reference, cents, moment)
    book_payment(sandbox.runtime.repository, invoice.reference, transfer, clock=sandbox.clock)


def test_a_run_missed_on_4_january_is_made_up_on_11_january_week_53_and_all(sandbox):
    """R24, interfaces.md §3-§4 (audit retro3 R1): 2026 has an ISO week 53 (Mon 28 Dec -
    Sun 3 Jan), and it spans the year change.
    Given the dental practice's statements up to 2026-W52 and transfers read on Sunday
    3 January 23:30 (22:30 UTC, 2026-W53) and Monday 4 January 00:30 (Sunday 23:30 UTC,
    2027-W01), Amsterdam time
    When the Monday run of 4 January never happened (its retries ran out) and the run of
    11 January runs as scheduled
    Then both weeks have their statements, 2026-W53 with the Sunday transfer and 2027-W01
    with the Monday one, each once, and the practice is paid both in PO-2027-W01, once:
    no practice waits for a week 53 nothing would ever build."""
    invoices = emailed(delivered_dental_week(sandbox, 4, "week-48.csv"))
    sandbox.clock.set(date(2026, 12, 28))
    sandbox.run_retrocession()  # 2026-W52, and its payout batch
    _paid_at(sandbox, invoices[0], datetime(2027, 1, 3, 23, 30, tzinfo=AMSTERDAM), "E2E-W53")
    _paid_at(sandbox, invoices[1], datetime(2027, 1, 4, 0, 30, tzinfo=AMSTERDAM), "E2E-W01")

    sandbox.clock.set(date(2027, 1, 11))
    answer = sandbox.run_retrocession()
    again = sandbox.run_retrocession()  # a retry: the same bytes, the same batch

    assert answer["week"] == "2027-W01" and answer["failures"] == {}
    listing = _get(sandbox, "/api/v1/provider/retrocessions")[1]
    # (and the practice's first weeks, 2026-W47 to W51, made up by the run of 28 December:
    # its only run before, weeks52)
    assert [(w["week"], w["received"]) for w in listing["items"]] == [
        ("2027-W01", 5000),
        ("2026-W53", 5000),
        ("2026-W52", 0),
        *((f"2026-W{n}", 0) for n in range(51, 46, -1)),
    ]
    for label, day in (("2026-W53", "2027-01-03"), ("2027-W01", "2027-01-04")):
        document = json.loads(sandbox.output_object(f"retrocession/tandarts-de-vries/{label}.json"))
        assert document["week"] == label
        assert {line["date"] for line in document["lines"] if line["kind"] == "payment"} == {day}
    batch = sandbox.runtime.money_out_context().batches.get_batch("PO-2027-W01")
    assert batch.waiting == ()
    dental = batch.settlement(DENTAL.provider_id)
    assert dental.weeks == ("2026-W53", "2027-W01") and dental.paid_cents == 2 * (5000 - 175)
    (transfer,) = [t for t in batch.transfers if t.provider_id == DENTAL.provider_id]
    assert "2026-W53 2027-W01" in transfer.remittance
    assert again["payout_batch"] == answer["payout_batch"]
    assert sandbox.runtime.money_out_context().batches.get_batch("PO-2026-W53") is None
    # And the run says it made a week up (its metric: Retrocession_weeks_made_up)
    assert answer["weeks_made_up"] == ["2026-W53"]


def _w53_made_up_by_the_run_of_11_january(sandbox) -> None:
    """The dental practice's week 48 delivered, W52 built on 28 December, EUR 50 paid on
    Sunday 3 January 23:30 (2026-W53), the run of 4 January missed: the run of 11 January
    makes W53 up and pays it with 2027-W01 in PO-2027-W01 (audit retro3)."""
    invoices = emailed(delivered_dental_week(sandbox, 4, "week-48.csv"))
    sandbox.clock.set(date(2026, 12, 28))
    sandbox.run_retrocession()
    _paid_at(sandbox, invoices[0], datetime(2027, 1, 3, 23, 30, tzinfo=AMSTERDAM), "E2E-W53")
    sandbox.clock.set(date(2027, 1, 11))
    sandbox.run_retrocession()


def test_the_week_a_missed_run_left_out_shows_the_payout_that_paid_it(sandbox):
    """R24, issue 19 item 4 (audit retro3 R2): given 2026-W53 made up by the run of
    11 January (the run of 4 January missed) and paid with 2027-W01 in PO-2027-W01
    When the practice opens its statement of 2026-W53
    Then it shows that payout (proposed, both weeks), not none: W53 has no batch of its own."""
    _w53_made_up_by_the_run_of_11_january(sandbox)

    status, statement = _get(sandbox, "/api/v1/provider/retrocessions/2026-W53")

    assert status == 200 and statement["week"] == "2026-W53"
    payout = statement["payout"]
    assert (payout["state"], payout["batch_id"]) == ("proposed", "PO-2027-W01")
    assert payout["weeks"] == ["2026-W53", "2027-W01"] and payout["paid"] == 5000 - 175


def test_the_missed_week_rerun_afterwards_as_the_runbook_says_is_not_paid_twice(sandbox):
    """R24, R34, README runbook RetrocessionRunMissingAlarm (audit retro3 R3): given
    2026-W53 made up by the run of 11 January and paid with 2027-W01 in PO-2027-W01
    When an operator, alarmed by the missed run, reruns its week on 12 January
    ({"as_of": "2027-01-04"}, as the runbook says)
    Then W53's statement is the same bytes and its week's batch pays the practice nothing:
    W53 is settled once, in PO-2027-W01, and its statement still shows that payout."""
    _w53_made_up_by_the_run_of_11_january(sandbox)
    w53 = sandbox.output_object("retrocession/tandarts-de-vries/2026-W53.json")

    sandbox.clock.set(date(2027, 1, 12))
    rerun = sandbox.run_retrocession(date(2027, 1, 4))

    assert sandbox.output_object("retrocession/tandarts-de-vries/2026-W53.json") == w53
    batches = sandbox.runtime.money_out_context().batches
    settled = [
        (batch.batch_id, settlement.weeks)
        for batch_id in ("PO-2026-W53", "PO-2027-W01")
        if (batch := batches.get_batch(batch_id)) is not None
        for settlement in batch.settlements
        if settlement.provider_id == DENTAL.provider_id
    ]
    assert settled == [("PO-2027-W01", ("2026-W53", "2027-W01"))]
    assert rerun["payout_batch"]["total_cents"] == 0
    payout = _get(sandbox, "/api/v1/provider/retrocessions/2026-W53")[1]["payout"]
    assert (payout["batch_id"], payout["paid"]) == ("PO-2027-W01", 5000 - 175)


def test_r24_a_week_of_the_wrong_form_is_told_the_form_to_type(sandbox):
    """R24, interfaces.md §2 (400 validation, Dutch and English). Given the practice asks
    for /retrocessions/2026-53 / Then the 400 says the form YYYY-Www with an example, in
    both languages, and shows no regular expression."""
    status, body = _get(sandbox, "/api/v1/provider/retrocessions/2026-53")
    message = body["error"]["message"]
    assert status == 400 and body["error"]["code"] == "validation_error"
    assert "JJJJ-Www, bijv. 2026-W53" in message and "YYYY-Www, e.g. 2026-W53" in message
    assert "(?P<" not in message and "\\d" not in message


WEEK_46_BEFORE_PRACTICES = (
    "Week 2026-W46 was voorbij voordat er een praktijk was: er is geen weekoverzicht en"
    " geen uitbetaling voor die week. De eerste praktijk bestaat sinds 2026-11-16. /"
    " Week 2026-W46 ended before any practice existed: that week has no statement and no"
    " payout. The first practice exists since 2026-11-16."
)


def test_a_rerun_of_a_week_before_any_practice_existed_writes_nothing(sandbox):
    """R24, R34 (small47b item 1): given the two practices created on Monday 16 November
    2026 (a week before the sandbox's first day)
    When an operator reruns 2026-W46 on the 24th ({"as_of": "2026-11-16"})
    Then the run has nothing to do and says why in Dutch and English (runs57: a run that
    finished, no longer refused), and there is no statement and no payout batch of that
    week: before small47b, both practices got a statement of zeros and the week a batch
    of nothing."""
    sandbox.clock.set(date(2026, 11, 24))

    answer = sandbox.run_retrocession(date(2026, 11, 16))

    assert answer == {
        "week": "2026-W46",
        "providers": 2,
        "statements": 0,
        "entries": 0,
        "payout_cents": 0,
        "failures": {},
        "providers_skipped": [],
        "providers_not_started": {
            DENTAL.provider_id: "2026-11-16",
            PHYSIO.provider_id: "2026-11-16",
        },
        "nothing_to_do": WEEK_46_BEFORE_PRACTICES,
    }
    assert sandbox.output_keys("retrocession/") == []
    assert sandbox.runtime.money_out_context().batches.get_batch("PO-2026-W46") is None
    assert _get(sandbox, "/api/v1/provider/retrocessions")[1]["items"] == []


def test_r39_the_monday_run_of_a_first_practices_first_day_counts_as_finished(
    sandbox, monkeypatch, function_log
):
    """R24, R39 (stop56, brief runs57 item 1): given the first practices created on Monday
    16 November 2026 at 09:00, before that Monday's run (the schedule's, late that
    morning)
    When the run closes 2026-W46, which ended before them
    Then it finishes with nothing to do: Retrocession_run_finished counts 1 (what
    RetrocessionRunMissingAlarm reads), no statement, no payout batch, its line an
    INFO "retrocession run" naming why. Before: it was refused ("run refused", an ERROR
    line) and counted nothing, so the alarm rang as if the run had been missed."""
    emitted = emitted_metrics(sandbox, monkeypatch, "retrocession_run")
    log = function_log("retrocession_run")
    logger = sandbox.handler("retrocession_run").logger
    level = logger.log_level
    logger.setLevel("INFO")  # the sandbox logs warnings only; the function logs INFO
    sandbox.clock.set(datetime(2026, 11, 16, 10, 0, tzinfo=AMSTERDAM))
    try:
        answer = sandbox.run_retrocession()
    finally:
        logger.setLevel(level)

    assert (answer["week"], answer["nothing_to_do"]) == ("2026-W46", WEEK_46_BEFORE_PRACTICES)
    assert emitted["Retrocession_run_finished"] == 1
    assert (emitted["Retrocession_statements"], emitted["Retrocession_failed"]) == (0, 0)
    lines = [json.loads(line) for line in log.getvalue().splitlines()]
    [run_line] = [line for line in lines if line["message"] == "retrocession run"]
    assert run_line["level"] == "INFO" and run_line["nothing_to_do"] == WEEK_46_BEFORE_PRACTICES
    assert not [line for line in lines if line["message"] == "run refused"]
    assert sandbox.output_keys("retrocession/") == []
    assert sandbox.runtime.money_out_context().batches.get_batch("PO-2026-W46") is None


def test_a_practice_whose_settings_item_was_deleted_is_reported_not_skipped_silently(
    sandbox, paid_week
):
    """R24, R31, R39 (audit held2): given the Monday run of 30 November settled both
    practices' week 48, when the dental practice's settings item is deleted by hand (its
    invoices and payments left) and the run of 7 December closes week 49, then the dental
    practice is reported as skipped (providers_skipped: Retrocession_provider_skipped,
    ProviderSkippedAlarm), as the dunning run reports it, while the other practice gets
    its statement. Before, its week had no statement and the answer said nothing."""
    from billing_core.adapters.dynamo import keys

    sandbox.run_retrocession()
    sandbox.runtime.repository._table.delete_item(Key=keys.provider_key(DENTAL.provider_id))
    sandbox.clock.set(datetime(2026, 12, 7, 5, 0, tzinfo=AMSTERDAM))

    answer = sandbox.run_retrocession()

    assert answer["week"] == "2026-W49" and answer["statements"] == 1
    assert answer["providers_skipped"] == [DENTAL.provider_id]


def test_r24_r39_a_weeks_invoice_that_does_not_load_holds_its_statement_not_the_run(
    sandbox, paid_week
):
    """R24, R39 (audit runs51c item 1): one bad item never stops the rest, and never
    leaves money out of a payout.
    Given the dental practice's week 48 with one of its invoice items stored with a
    status no invoice has (a malformed item: written by hand or by an old version)
    When the Monday run of 30 November runs
    Then the physio practice gets its statement, the dental practice's week has none (its
    payout waits) and the answer names the invoice by its id (Retrocession_failed counts
    it, RetrocessionFailedAlarm); the invocation does not fail, since a schedule retry
    cannot mend the item and would write every other statement again. Once an operator
    mends it, the rerun of the week writes the dental statement.
    Before: the read raised, the answer said only 'ValueError' and the invocation failed
    (StatementsFailed): two retries writing every statement again, for nothing."""
    invoices, _ = paid_week
    broken = invoices[-1]
    status = store_status(sandbox, DENTAL.provider_id, broken.invoice_id, "not-a-status")

    answer = sandbox.run_retrocession()

    assert answer["failures"] == {DENTAL.provider_id: "UnreadableInvoice"}
    assert answer["invoices_unreadable"] == {DENTAL.provider_id: [broken.invoice_id]}
    # (2026-W47, the practices' first week, made up: no invoice of it fails to load)
    assert sorted(sandbox.output_keys("retrocession/")) == [
        "retrocession/fysio-centrum-oost/2026-W47.csv",
        "retrocession/fysio-centrum-oost/2026-W47.json",
        "retrocession/fysio-centrum-oost/2026-W48.csv",
        "retrocession/fysio-centrum-oost/2026-W48.json",
        "retrocession/tandarts-de-vries/2026-W47.csv",
        "retrocession/tandarts-de-vries/2026-W47.json",
    ]
    store_status(sandbox, DENTAL.provider_id, broken.invoice_id, status)
    mended = sandbox.run_retrocession(MONDAY_AFTER)
    assert mended["failures"] == {} and mended["statements"] == 2
    assert "retrocession/tandarts-de-vries/2026-W48.json" in sandbox.output_keys("retrocession/")


@pytest.fixture
def next_parts(monkeypatch) -> list[dict[str, object]]:
    """Given a function with time for one practice a part (each part out of Lambda's time
    after its first practice): the calls its parts make of their next, in order, which
    the test hands to the function itself (the sandbox does not)."""
    from billing_core.entrypoints import continued_runs

    monkeypatch.setattr(continued_runs, "SAFETY_MARGIN_MS", 10**9)
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(continued_runs, "call_itself", lambda _, event: calls.append(event))
    return calls


def _write_statement_failing(monkeypatch, error_for) -> None:
    """Given the run's statements failing where ``error_for(provider_id, week_label)``
    gives an error (raised, nothing written), written as ever where it gives None."""
    from billing_core.providers import retrocession_run

    write_statement = retrocession_run.write_statement

    def failing(provider, week, ctx):
        if (error := error_for(provider.provider_id, week.label)) is not None:
            raise error
        return write_statement(provider, week, ctx)

    monkeypatch.setattr(retrocession_run, "write_statement", failing)


def _week_48_throttled_once(monkeypatch, provider_id: str) -> list[str]:
    """Given the practice's statement of week 48 failing once (S3 throttled), then
    written: the weeks it failed for, as they fail."""
    failed: list[str] = []

    def throttled_once(failing_provider, week):
        if failing_provider == provider_id and week == "2026-W48" and not failed:
            failed.append(week)
            return TimeoutError("S3 throttled")
        return None

    _write_statement_failing(monkeypatch, throttled_once)
    return failed


def test_r24_r39_a_run_out_of_time_goes_on_in_calls_to_itself_and_proposes_once(
    sandbox, paid_week, monkeypatch, function_log, next_parts
):
    """R24, R39 (audit runs51c item 2): the Monday run had no time guard: killed at
    Lambda's limit, it logged nothing, proposed no payout batch, and each retry wrote
    every statement again from the first practice (the same bytes: only waste) to be
    killed at the same place.
    Given both practices' week 48 and a function with time for one practice per call
    When the Monday schedule starts the run
    Then the first part writes the first practice's statement, proposes nothing and calls
    the function again with the day and the practice it goes on from (ids only); the
    second writes the other's and proposes the week's batch, once; a progress line per
    practice (counts only) is logged. A part delivered again is answered from its
    record; the statements and the batch are those one uninterrupted run makes."""
    from billing_core.entrypoints import continued_runs
    from billing_core.providers import retrocession_run

    monkeypatch.setattr(retrocession_run, "PROGRESS_EVERY", 1)
    calls = next_parts
    log = function_log("retrocession_run")
    logger = sandbox.handler("retrocession_run").logger
    level = logger.log_level
    logger.setLevel("INFO")  # the sandbox logs warnings only; the function logs INFO
    try:
        first = sandbox.invoke("retrocession_run", {})
        last = sandbox.invoke("retrocession_run", calls[0])
    finally:
        logger.setLevel(level)

    # (the first part's counts so far: the physio practice's week 48, no money, and its
    # week 47 made up; R39 (retroparts54): the second part adds to them; retroretry55:
    # the practice it took, none not started)
    carried = {"statements": 1, "entries": 0, "payout_cents": 0, "weeks_made_up": ["2026-W47"]}
    carried |= {"providers": 1, "not_started": 0}
    no_failures = {"failed": 0, "failures": {}, "invoices_unreadable": {}}
    # (parts58b: and the run's id, its first invocation's request id, a UUID)
    run_id = str(uuid.UUID(calls[0].get("run", "-")))
    assert calls == [
        {
            "as_of": "2026-11-30",
            "continue_from": [DENTAL.provider_id],
            "earlier_parts": carried | no_failures,
            "run": run_id,
        }
    ]
    assert (first["statements"], first["continue_from"]) == (1, [DENTAL.provider_id])
    assert "payout_batch" not in first and "continue_from" not in last
    assert last["statements"] == 2 and last["payout_batch"]["batch_id"] == "PO-2026-W48"
    lines = [json.loads(line) for line in log.getvalue().splitlines() if "{" in line]
    progress = [line for line in lines if line.get("message") == "retrocession run progress"]
    assert [(line["providers"], line["statements"]) for line in progress] == [(1, 1), (2, 2)]
    assert not any(DENTAL.provider_id in json.dumps(line) for line in progress)
    assert sandbox.invoke("retrocession_run", calls[0]) == last and len(calls) == 1
    parts = {key: sandbox.output_object(key) for key in sandbox.output_keys("retrocession/")}
    monkeypatch.setattr(continued_runs, "SAFETY_MARGIN_MS", 0)
    whole = sandbox.run_retrocession(MONDAY_AFTER)
    # (each practice's week 48 and 47, its first, made up: the sandbox's 23 November never ran)
    assert whole["payout_batch"] == last["payout_batch"] and len(parts) == 8
    assert {
        key: sandbox.output_object(key) for key in sandbox.output_keys("retrocession/")
    } == parts


def test_r24_r39_a_later_parts_line_says_how_many_practices_its_earlier_parts_took(
    sandbox, paid_week, next_parts
):
    """R24, R39 (audit agency52 item 2): the last part's line, the one with the week's
    payout batch, read as the whole run's: 'providers: 1' for a week of 2 practices.
    Given both practices' week 48 and a function with time for one practice per call
    When the Monday schedule starts the run and its second part goes on
    Then the first part's answer names no earlier parts; the second's says 1 practice was
    taken before it, and counts the whole run's practices (retroparts54: the run's so
    far, as its statements and the dunning run's counts; the 2 listed).
    Before: the second part said 'providers: 1' and nothing of the first."""
    first = sandbox.invoke("retrocession_run", {})
    last = sandbox.invoke("retrocession_run", next_parts[0])

    listed = sandbox.runtime.repository.readable_providers().providers
    assert "providers_in_earlier_parts" not in first and first["providers"] == 1
    assert (last["providers_in_earlier_parts"], last["providers"]) == (1, 2)
    assert last["providers"] == len(listed) == 2
    assert "payout_batch" in last


def test_r24_r39_a_practice_created_between_two_parts_is_the_last_parts_as_in_one_go(
    sandbox, paid_week, monkeypatch, next_parts
):
    """R24, R39 (retroretry55).
    Given both practices' week 48 and a function with time for one practice per call
    When the Monday run's first part takes the physio practice, an operator then onboards
    fysio-west (its id before the dental practice, where the run goes on), and the
    second part goes on
    Then the second part says the earlier part took 1 practice, as it carried, and takes
    fysio-west itself as a run in one go started after its creation does: 3 practices,
    fysio-west not started (week 48 ended before it existed: no statement, not in the
    batch); the week rerun in one go answers the same.
    Before: the second part counted fysio-west among its earlier parts' (2, for 1)."""
    from billing_core.entrypoints import continued_runs
    from local.sandbox import Caller
    from local.vektis_samples import west_settings

    calls = next_parts
    first = sandbox.invoke("retrocession_run", {})
    body = west_settings()
    assert PHYSIO.provider_id < body["provider_id"] < DENTAL.provider_id
    assert (
        sandbox.api("POST", "/api/v1/operator/providers", caller=Caller.operator(), body=body)[0]
        == 201
    )

    last = sandbox.invoke("retrocession_run", calls[0])

    assert (last["providers_in_earlier_parts"], last["providers"]) == (1, 3)
    assert first["providers"] == 1 and calls[0]["earlier_parts"]["providers"] == 1
    assert last["providers_not_started"] == {"fysio-west": "2026-11-30"}
    assert not sandbox.output_keys("retrocession/fysio-west/")
    monkeypatch.setattr(continued_runs, "SAFETY_MARGIN_MS", 0)
    whole = sandbox.run_retrocession(MONDAY_AFTER)
    assert (whole["providers"], whole["providers_not_started"]) == (
        last["providers"],
        last["providers_not_started"],
    )


def _both_weeks_paid(sandbox) -> None:
    """Given both practices' declarations of Monday 23 November, their e-mailed invoices
    paid by transfer the same day (money in every part of a run of one practice a part),
    and the clock on the Monday after."""
    repository = sandbox.runtime.repository
    sandbox.upload_declaration(PHYSIO.provider_id, "week-48.csv", declaration_csv(5, seed=3))
    invoices = delivered_dental_week(sandbox, 8, "week-48.csv")
    invoices += repository.list_invoices(PHYSIO.provider_id)[0]
    for n, invoice in enumerate(emailed(invoices)):
        paid = IncomingPayment("bank", f"E2E-48-{n}", invoice.amount_due_cents, sandbox.clock.now())
        book_payment(repository, invoice.reference, paid, clock=sandbox.clock)
    sandbox.clock.set(MONDAY_AFTER)


def _run_in_parts(
    sandbox, monkeypatch, next_parts: list[dict[str, object]], event: dict[str, object]
) -> list[dict[str, object]]:
    """The run of ``event``, each part's call of the next (``next_parts``) handled in
    turn: each part's answer and the metrics it counted."""
    parts = []
    for call in chain([event], next_parts):  # next_parts grows while a part calls its next
        emitted = emitted_metrics(sandbox, monkeypatch, "retrocession_run")
        parts.append({"answer": sandbox.invoke("retrocession_run", call), "metrics": emitted})
    return parts


def test_r24_r39_a_week_in_two_parts_answers_and_counts_what_one_go_does(
    sandbox, monkeypatch, next_parts
):
    """R24, R39 (retroparts54): each part of a run out of time answered and counted only
    its own statements, entries and payout, so the last part's line, the one with the
    week's payout batch, said less than the week held; its weeks made up were counted by
    every part.
    Given money at both practices in week 48 and time for one practice a part
    When the Monday run goes on in a second part, and an operator then reruns the week in
    one go (the same bytes)
    Then the last part answers what the run in one go does: 0 keys differ but its
    providers_in_earlier_parts (and the weeks made up, which the rerun finds written);
    each part counts what it did itself (retro56: as Retrocession_failed, retroretry55),
    and the parts' metrics added up are the run in one go's (and the parts' made up
    week 47, once, counted by the first part that made it up; and the payout batch's
    transfers, counted by the last part, which proposed it: the rerun finds it proposed,
    runs56).
    Before (retroparts54): 4 of the answer's keys differed (providers, statements,
    entries, payout_cents); the last part's metrics counted 1 statement of 2, and the
    parts together counted Retrocession_weeks_made_up 2 for 1 week."""
    _both_weeks_paid(sandbox)

    first, last = _run_in_parts(sandbox, monkeypatch, next_parts, {})
    monkeypatch.setattr("billing_core.entrypoints.continued_runs.SAFETY_MARGIN_MS", 0)
    emitted = emitted_metrics(sandbox, monkeypatch, "retrocession_run")
    whole = sandbox.run_retrocession(MONDAY_AFTER)

    assert first["answer"]["continue_from"] == [DENTAL.provider_id]
    assert first["metrics"] == {
        "Retrocession_failed": 0,
        "Retrocession_statements": 1,
        "Retrocession_entries": first["answer"]["entries"],
        "Retrocession_weeks_made_up": 1,
    }
    assert (
        first["answer"]["payout_cents"] > 0
        and last["answer"]["payout_cents"] > first["answer"]["payout_cents"]
    )
    in_parts = dict(last["answer"])
    assert in_parts.pop("providers_in_earlier_parts") == 1
    assert in_parts.pop("weeks_made_up") == ["2026-W47"] and "weeks_made_up" not in whole
    assert in_parts == whole
    assert last["metrics"]["Retrocession_weeks_made_up"] == 0
    added_up = _added_up(first["metrics"], last["metrics"])
    # The parts' batch, counted by the last part, which proposed it; the rerun finds it
    # proposed and counts it no more (runs56).
    batch = whole["payout_batch"]
    assert (emitted["Payout_transfers"], emitted["Payout_waiting"]) == (0, 0)
    assert added_up == emitted | {
        "Retrocession_weeks_made_up": 1,
        "Payout_transfers": batch["transfers"],
        "Payout_waiting": batch["waiting"],
    }


def _added_up(*metrics: dict[str, float]) -> dict[str, float]:
    """Each metric's sum over ``metrics``, as CloudWatch adds up the invocations' (0 kept)."""
    names = {name for counted in metrics for name in counted}
    return {name: sum(counted.get(name, 0) for counted in metrics) for name in names}


def test_r24_r39_a_failure_in_an_earlier_part_is_answered_and_counted_once_by_the_last(
    sandbox, paid_week, monkeypatch, next_parts
):
    """R24 (every week has its statement), R39 (retroparts54).
    Given both practices' week 48, time for one practice a part, and the physio
    practice's statement failing on every attempt (the first part's practice)
    When the Monday run runs and its second part goes on
    Then the first part fails its invocation for the physio (the schedule retries it) and
    counts it, Retrocession_failed 1 (its alarm; retroretry55: each part counts the
    failures it met, none else), and no statement (retro56); the last part answers the physio's failure, counts it
    no more, and does not fail its invocation for it: a retry of it would not write the
    physio's week (it goes on after it) and would fail again.
    Before: the last part answered 'failures: {}' and counted Retrocession_failed 0:
    the week's line and its batch's said nothing of the practice left without one."""
    from billing_core.entrypoints.continued_runs import StatementsFailed

    def failing_for_physio(provider_id, _week):
        return TimeoutError("S3 throttled") if provider_id == PHYSIO.provider_id else None

    _write_statement_failing(monkeypatch, failing_for_physio)
    calls = next_parts
    emitted = emitted_metrics(sandbox, monkeypatch, "retrocession_run")
    with pytest.raises(StatementsFailed, match="no statement for 1 provider"):
        sandbox.invoke("retrocession_run", {})
    counted_by_the_first = dict(emitted)
    last = sandbox.invoke("retrocession_run", calls[0])

    assert counted_by_the_first == {
        "Retrocession_failed": 1,
        "Retrocession_statements": 0,
        "Retrocession_entries": 0,
        "Retrocession_weeks_made_up": 0,
    }
    assert last["failures"] == {PHYSIO.provider_id: "TimeoutError"} and last["statements"] == 1
    assert emitted["Retrocession_failed"] == 1 and "payout_batch" in last


def test_r39_a_retry_of_the_last_part_counts_no_failure_of_an_earlier_part_again(
    sandbox, paid_week, monkeypatch, next_parts
):
    """R39 (an alarm per failure, counted once; retroretry55), R24.
    Given both practices' week 48, time for one practice a part, the physio practice's
    week holding an invoice that does not load (the first part's practice: not retried)
    and the dental practice's statement throttled once (the last part's)
    When the Monday run runs, its last part fails for the dental practice, and Lambda
    delivers the same event again
    Then the last part's first attempt fails for its own practice only; its retry writes
    the dental week and answers the physio's failure without failing; over the run,
    Retrocession_failed counts 2 for the 2 failures met, as a run in one go's first
    attempt does.
    Before: each attempt of the last part counted the physio's failure again: 3 for 2."""
    from billing_core.entrypoints.continued_runs import StatementsFailed
    from billing_core.providers.retrocession_run import WeekUnreadable

    throttled: list[str] = []

    def failing(provider_id, week):
        if provider_id == PHYSIO.provider_id and week == "2026-W48":
            return WeekUnreadable(["an-invoice-id"])
        if provider_id == DENTAL.provider_id and not throttled:
            throttled.append(week)
            return TimeoutError("S3 throttled")
        return None

    _write_statement_failing(monkeypatch, failing)
    calls = next_parts
    emitted = emitted_metrics(sandbox, monkeypatch, "retrocession_run")
    first = sandbox.invoke("retrocession_run", {})
    with pytest.raises(StatementsFailed, match="no statement for 1 provider"):
        sandbox.invoke("retrocession_run", calls[0])
    retried = sandbox.invoke("retrocession_run", calls[0])

    assert first["failures"] == {PHYSIO.provider_id: "UnreadableInvoice"}
    assert retried["failures"] == first["failures"] and retried["statements"] == 1
    assert f"retrocession/{DENTAL.provider_id}/2026-W48.json" in sandbox.output_keys(
        "retrocession/"
    )
    assert emitted["Retrocession_failed"] == 2 and len(calls) == 1


def test_r39_a_retry_of_the_last_part_counts_no_statement_of_an_earlier_part_again(
    sandbox, monkeypatch, next_parts
):
    """R39 (a run's counts say what it did, once; retro56), R24.
    Given money at both practices in week 48, time for one practice a part, and the
    dental practice's week 48 throttled once (the last part's practice)
    When the Monday run runs, its last part fails for the dental practice, Lambda
    delivers the same event again, and an operator then reruns the week in one go
    Then the retry answers what the run in one go does (but providers_in_earlier_parts
    and the week made up, which the rerun finds written), and the run's Retrocession_*
    metrics, all its invocations added up, count what it did, each once: the rerun's
    statements and entries, 1 week made up, 1 failure (the throttled week).
    Before: each attempt of the last part counted the first part's statement, entries and
    made-up week again: statements 3 for 2, weeks made up 2 for 1, the physio's entries
    twice."""
    from billing_core.entrypoints.continued_runs import StatementsFailed

    _both_weeks_paid(sandbox)
    throttled = _week_48_throttled_once(monkeypatch, DENTAL.provider_id)
    emitted = emitted_metrics(sandbox, monkeypatch, "retrocession_run")
    sandbox.invoke("retrocession_run", {})
    with pytest.raises(StatementsFailed, match="no statement for 1 provider"):
        sandbox.invoke("retrocession_run", next_parts[0])
    retried = sandbox.invoke("retrocession_run", next_parts[0])
    counted = {name: count for name, count in emitted.items() if name.startswith("Retrocession")}
    monkeypatch.setattr("billing_core.entrypoints.continued_runs.SAFETY_MARGIN_MS", 0)
    whole = sandbox.run_retrocession(MONDAY_AFTER)

    assert throttled == ["2026-W48"] and len(next_parts) == 1
    in_parts = dict(retried)
    assert in_parts.pop("providers_in_earlier_parts") == 1
    assert in_parts.pop("weeks_made_up") == ["2026-W47"] and in_parts == whole
    assert whole["statements"] == 2 and whole["entries"] > 0
    assert counted == {
        "Retrocession_failed": 1,
        "Retrocession_statements": whole["statements"],
        "Retrocession_entries": whole["entries"],
        "Retrocession_weeks_made_up": 1,
        "Retrocession_provider_skipped": 0,
        # Each attempt that reached the end: the failed one and its retry (the missing
        # run's alarm reads whether any came, SampleCount).
        "Retrocession_run_finished": 2,
    }


def test_r24_r39_a_payout_batch_found_proposed_again_is_not_counted_again(
    sandbox, monkeypatch, next_parts
):
    """R24, R39 (a run's counts say what it did, once; runs56 item 2).
    Given money at both practices in week 48, time for one practice a part, and the
    dental practice's week 48 throttled once (the last part's practice)
    When the Monday run runs, its last part proposes the week's payout batch and fails
    for the dental practice, Lambda delivers the same event again, and an operator then
    reruns the week in one go
    Then the retry and the rerun answer the same batch (proposed once, idempotently), and
    Payout_transfers and Payout_waiting, all the invocations added up, count its transfers
    and its practices waiting once: by the attempt that proposed it.
    Before: each attempt that found the batch proposed counted it again: 3 for 1 each."""
    from billing_core.entrypoints.continued_runs import StatementsFailed

    _both_weeks_paid(sandbox)
    _week_48_throttled_once(monkeypatch, DENTAL.provider_id)
    emitted = emitted_metrics(sandbox, monkeypatch, "retrocession_run")
    sandbox.invoke("retrocession_run", {})
    with pytest.raises(StatementsFailed, match="no statement for 1 provider"):
        sandbox.invoke("retrocession_run", next_parts[0])
    retried = sandbox.invoke("retrocession_run", next_parts[0])
    monkeypatch.setattr("billing_core.entrypoints.continued_runs.SAFETY_MARGIN_MS", 0)
    whole = sandbox.run_retrocession(MONDAY_AFTER)

    batch = retried["payout_batch"]
    assert whole["payout_batch"] == batch and batch["batch_id"] == "PO-2026-W48"
    # The dental practice had no statement when its first attempt proposed the batch.
    assert (batch["transfers"], batch["waiting"]) == (1, 1)
    counted = {name: emitted[name] for name in ("Payout_transfers", "Payout_waiting")}
    assert counted == {"Payout_transfers": batch["transfers"], "Payout_waiting": batch["waiting"]}


def test_r24_r34_a_practice_waiting_after_the_retry_is_paid_by_the_next_mondays_batch(
    sandbox, monkeypatch, next_parts
):
    """R24 (every week paid, once), R34 (a batch an operator approved is never changed),
    R39 (waitretry56: retrocession_failure's docstring said "a retry settles them").
    Given money at both practices in week 48, time for one practice a part, and the
    dental practice's week 48 throttled once (the last part's practice)
    When the last part proposes the week's batch and fails, Lambda's retry writes the
    dental statement, an operator approves the week's batch, and the next Monday's run
    proposes week 49's
    Then the retry leaves the week's batch as proposed, the dental practice waiting in it
    (paid 0); the operator's batch is sent as approved; week 49's batch settles the dental
    practice from its made up week 47 to week 49 and pays the sum of those statements,
    once: nothing lost, a week late (measured: 0 -> 12158 cents, a week later)."""
    from billing_core.entrypoints.continued_runs import StatementsFailed
    from billing_core.providers.week import Week
    from local.sandbox import Caller

    _both_weeks_paid(sandbox)
    _week_48_throttled_once(monkeypatch, DENTAL.provider_id)
    sandbox.invoke("retrocession_run", {})
    with pytest.raises(StatementsFailed, match="no statement for 1 provider"):
        sandbox.invoke("retrocession_run", next_parts[0])
    retried = sandbox.invoke("retrocession_run", next_parts[0])
    status, sent = sandbox.api(
        "POST", "/api/v1/operator/payouts/PO-2026-W48/approve", caller=Caller.operator()
    )
    monkeypatch.setattr("billing_core.entrypoints.continued_runs.SAFETY_MARGIN_MS", 0)
    sandbox.clock.set(datetime(2026, 12, 7, 6, 0, tzinfo=AMSTERDAM))
    sandbox.run_retrocession(date(2026, 12, 7))

    batches = sandbox.runtime.money_out_context().batches
    week_48, week_49 = batches.get_batch("PO-2026-W48"), batches.get_batch("PO-2026-W49")
    assert retried["payout_batch"]["waiting"] == 1 and (status, sent["state"]) == (200, "sent")
    assert week_48.waiting == (DENTAL.provider_id,)
    assert [t.provider_id for t in week_48.transfers] == [PHYSIO.provider_id]
    statements = [
        sandbox.runtime.repository.get_retrocession(DENTAL.provider_id, Week.parse(label))
        for label in ("2026-W47", "2026-W48", "2026-W49")
    ]
    owed = sum(statement.payout_cents for statement in statements)
    assert statements[1].payout_cents > 0
    settled = week_49.settlement(DENTAL.provider_id)
    assert settled.weeks == ("2026-W47", "2026-W48", "2026-W49") and settled.paid_cents == owed
    assert [t.amount_cents for t in week_49.transfers if t.provider_id == DENTAL.provider_id] == [
        owed
    ]


def test_r24_r39_a_part_whose_practice_failed_fails_and_its_retry_writes_the_week(
    sandbox, paid_week, monkeypatch, next_parts
):
    """R24 (every week has its statement), R39 (audit agency52 item 3).
    Given both practices' week 48, a function with time for one practice per
    call, and the physio practice's statement failing once (S3 throttled)
    When the Monday schedule starts the run, its next part goes on, and Lambda retries
    the first part, whose call of the next part is delivered again
    Then the first part calls its next part and fails its invocation; the retry writes
    the physio's week 48 and calls the next part with the same event, answered from its
    record: one batch, the dental statement the same bytes.
    Before: the part answered without failing (no retry) and said the next Monday makes
    its week up, which it does not for a first week: week 48 of the physio practice was
    never written (statements of weeks 49 and 50 only, 0 of 1)."""
    from billing_core.entrypoints.continued_runs import StatementsFailed

    calls = next_parts
    failed = _week_48_throttled_once(monkeypatch, PHYSIO.provider_id)

    with pytest.raises(StatementsFailed):
        sandbox.invoke("retrocession_run", {})
    last = sandbox.invoke("retrocession_run", calls[0])
    dental = sandbox.output_object(f"retrocession/{DENTAL.provider_id}/2026-W48.json")
    retried = sandbox.invoke("retrocession_run", {})
    again = sandbox.invoke("retrocession_run", calls[1])

    assert failed == ["2026-W48"] and retried["failures"] == {}
    assert f"retrocession/{PHYSIO.provider_id}/2026-W48.json" in sandbox.output_keys(
        "retrocession/"
    )
    # (the next part is called from the same place; the retry's call carries the physio's
    # statement, not its failure, but is answered from the first call's record)
    assert [call["continue_from"] for call in calls] == [[DENTAL.provider_id]] * 2
    assert [call["earlier_parts"]["failures"] for call in calls] == [
        {PHYSIO.provider_id: "TimeoutError"},
        {},
    ]
    assert again == last
    assert last["payout_batch"]["batch_id"] == "PO-2026-W48"
    assert sandbox.output_object(f"retrocession/{DENTAL.provider_id}/2026-W48.json") == dental


@pytest.mark.parametrize(
    ("change", "refused"),
    [
        (
            {"statements": -1},
            "earlier_parts.statements: Input should be greater than or equal to 0",
        ),
        ({"failures": ["x"]}, "earlier_parts.failures: Input should be a valid dictionary"),
        ({"failed": None}, "earlier_parts.failed: Input should be a valid integer"),
    ],
    ids=["negative", "not-a-dict", "no-count"],
)
def test_r39_a_part_whose_carried_counts_are_malformed_is_refused_naming_the_field(
    sandbox, monkeypatch, change, refused
):
    """R39, R29 (retroparts54, as ops53 for the dunning run's): the retrocession run's parts
    carry their counts; one edited by hand is no part of a run.
    Given a part's event whose earlier_parts (as ``carried`` makes them) has a field
    changed
    When it is handled
    Then it is refused naming that field, never its value; Run_part_refused counts 1;
    nothing is written."""
    from billing_core.providers.retrocession_run import RunSummary

    emitted = emitted_metrics(sandbox, monkeypatch, "retrocession_run")
    earlier = RunSummary("2026-W47").carried() | change
    event = {"as_of": "2026-11-23", "continue_from": [DENTAL.provider_id]}

    answer = sandbox.invoke("retrocession_run", event | {"earlier_parts": earlier})

    assert answer == {"refused": f"event refused: {refused}"}
    assert emitted == {"Run_part_refused": 1}
    assert sandbox.output_keys("retrocession/") == []
