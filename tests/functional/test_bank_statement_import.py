"""CAMT.053 statements into the bank bucket, through the real import handler on moto (R12, R13)."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from billing_core.invoices.ledger import EntryKind
from billing_core.shared import reference
from billing_core.shared.clock import AMSTERDAM
from local.generate import declaration_csv
from local.seed import DENTAL
from tests.functional.conftest import (
    assert_only_counted_delivered_again,
    emitted_metrics,
    watched_with_records_expired,
)
from tests.unit.camt_builder import Entry, credit, debit, statement

PROVIDER = DENTAL.provider_id
BANK_EVENTS = Path(__file__).resolve().parents[2] / "events" / "bank"


@pytest.fixture
def invoices(sandbox):
    """The dental practice's invoices, oldest reference first (sequence 0, 1, 2, ...)."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(30))
    found, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    return sorted(found, key=lambda i: i.invoice_id)


def reread(sandbox, invoice):
    return sandbox.runtime.repository.get_invoice(invoice.provider_id, invoice.invoice_id)


def unmatched_list(sandbox, answer):
    return json.loads(sandbox.output_object(answer["imported"][0]["unmatched_key"]))


def for_the_operator(sandbox):
    """What the import wrote under bank/ for a person: all of it but the one marker of the
    file's version finished (bankmarker55), which must be there."""
    keys = sandbox.output_keys("bank/")
    assert len([key for key in keys if key.startswith("bank/finished/")]) == 1
    return [key for key in keys if not key.startswith("bank/finished/")]


def test_transfers_quoting_the_kenmerk_are_booked_on_their_invoices(sandbox, invoices):
    # Given two open invoices, one paid with the structured reference, one with the
    # kenmerk in the description (spaces as people type them)
    first, second = invoices[:2]
    spaced = " ".join(second.reference[i : i + 4] for i in range(0, 14, 4))
    xml = statement(
        credit(first.amount_due_cents, scor=first.reference),
        credit(500, ustrd=(f"Nota {spaced} tandarts",)),
    )
    # When the statement lands in the bank bucket
    answer = sandbox.upload_bank_statement(xml, "2026-11-24.xml")
    # Then both are booked (R12): the first is paid, the second € 5,00 less due
    [summary] = answer["imported"]
    assert (summary["outcome"], summary["booked"], summary["unmatched"]) == ("imported", 2, 0)
    assert reread(sandbox, first).amount_due_cents == 0
    assert reread(sandbox, second).amount_due_cents == second.amount_due_cents - 500
    # And the payment says where it came from (R27)
    [payment] = [e for e in reread(sandbox, second).ledger if e.kind is EntryKind.PAYMENT]
    assert payment.cause.startswith("bank:NL20INGB0001234567/")


def test_a_statement_imported_twice_books_once(sandbox, invoices):
    # Given a statement that was imported
    invoice = invoices[0]
    xml = statement(credit(1000, scor=invoice.reference))
    sandbox.upload_bank_statement(xml, "2026-11-24.xml")
    booked = reread(sandbox, invoice)
    # When the same file is uploaded again, under another name (the bank sends it twice)
    answer = sandbox.upload_bank_statement(xml, "2026-11-24-again.xml")
    # Then its entry is recognised by the bank's reference: a duplicate, nothing booked
    [summary] = answer["imported"]
    assert (summary["booked"], summary["duplicates"]) == (0, 1)
    assert reread(sandbox, invoice) == booked


def test_the_same_s3_event_twice_is_answered_from_the_idempotency_record(sandbox, invoices):
    invoice = invoices[0]
    key = "camt053/2026-11-24.xml"
    stored = sandbox.runtime.s3.put_object(
        Bucket=sandbox.names.bank_bucket,
        Key=key,
        Body=statement(credit(1000, scor=invoice.reference)),
    )
    event = sandbox.bank_s3_event(key, stored.get("VersionId", ""), stored["ETag"].strip('"'))
    first = sandbox.invoke("bank_statement_import", event)
    again = sandbox.invoke("bank_statement_import", event)
    assert first == again and first["imported"][0]["booked"] == 1
    assert (
        len({e.cause for e in reread(sandbox, invoice).ledger if e.kind is EntryKind.PAYMENT}) == 1
    )


def test_a_returned_transfer_reverses_the_payment(sandbox, invoices):
    # Given a transfer booked on an invoice
    invoice = invoices[0]
    due = invoice.amount_due_cents
    sandbox.upload_bank_statement(
        statement(credit(due, scor=invoice.reference, tx_id="RABO20261124X7731")), "2026-11-24.xml"
    )
    assert reread(sandbox, invoice).amount_due_cents == 0
    # When the next statement has it coming back (a debit with a return reason that
    # repeats the original's transaction id)
    returned = debit(due, return_reason="MD06", tx_id="RABO20261124X7731", ustrd=("terugboeking",))
    answer = sandbox.upload_bank_statement(
        statement(returned, statement_id="STMT-25"), "2026-11-25.xml"
    )
    # Then the payment is reversed: the amount is due again, and the ledger shows both (R27)
    assert answer["imported"][0]["reversed"] == 1
    after = reread(sandbox, invoice)
    assert after.amount_due_cents == due
    assert [e.kind for e in after.ledger if e.kind in (EntryKind.PAYMENT, EntryKind.REVERSAL)] == [
        EntryKind.PAYMENT,
        EntryKind.REVERSAL,
    ]
    # And importing the return again reverses nothing twice
    again = sandbox.upload_bank_statement(
        statement(returned, statement_id="STMT-25"), "2026-11-25-b.xml"
    )
    assert again["imported"][0]["duplicates"] == 1
    assert reread(sandbox, invoice) == after


def test_r12_the_return_of_a_transfer_for_two_kenmerken_reverses_both_parts(sandbox, invoices):
    """R12 "returned transfers are reversed", legal-nl.md §5: given statement A with one
    transfer (TxId X) for exactly what two invoices owe, quoting both kenmerken, booked on
    both
    When statement B has the bank returning X
    Then both parts are reversed: each invoice owes its amount again, nothing is listed."""
    first, second = invoices[:2]
    owed = first.amount_due_cents + second.amount_due_cents
    text = f"nota {first.reference} en {second.reference}"
    booked = sandbox.upload_bank_statement(
        statement(credit(owed, ustrd=(text,), tx_id="RABO20261124X9001")), "2026-11-24.xml"
    )
    assert booked["imported"][0]["booked"] == 2
    assert [reread(sandbox, i).amount_due_cents for i in (first, second)] == [0, 0]

    returned = debit(owed, return_reason="MD06", tx_id="RABO20261124X9001")
    answer = sandbox.upload_bank_statement(
        statement(returned, statement_id="STMT-25"), "2026-11-25.xml"
    )

    [summary] = answer["imported"]
    assert (summary["reversed"], summary["unmatched"]) == (2, 0)
    assert [reread(sandbox, i).amount_due_cents for i in (first, second)] == [
        first.amount_due_cents,
        second.amount_due_cents,
    ]


def test_credits_that_cannot_be_matched_are_listed_for_a_person(sandbox, invoices):
    # Given a credit without a kenmerk, one with a valid kenmerk no invoice has, and a
    # return whose original was never booked here
    nobodys = reference.for_sequence(999_999, b"another deployment")
    xml = statement(
        credit(
            6017,
            ustrd=("Betaling rekening fysio november",),
            payer="C. Bos",
            payer_iban="NL39RABO0300065264",
        ),
        credit(2500, scor=nobodys),
        debit(4113, return_reason="AC04", tx_id="UNKNOWN-TX"),
    )
    # When it is imported
    answer = sandbox.upload_bank_statement(xml, "2026-11-24.xml")
    # Then nothing is booked, and the list for manual matching has all three, with what a
    # person needs to find the payer
    [summary] = answer["imported"]
    assert summary["unmatched_key"] == "bank/unmatched/2026-11-23/2026-11-24.json"
    lines = unmatched_list(sandbox, answer)["lines"]
    assert [(row["reason"], row["amount_cents"]) for row in lines] == [
        ("no_reference", 6017),
        ("unknown_reference", 2500),
        ("return_without_original", 4113),
    ]
    assert (lines[0]["counterparty_name"], lines[0]["counterparty_iban"]) == (
        "C. Bos",
        "NL39RABO0300065264",
    )
    assert lines[1]["kenmerk"] == nobodys
    assert all(reread(sandbox, i) == i for i in invoices)


def test_debits_that_are_not_returns_are_counted_and_ignored(sandbox, invoices):
    answer = sandbox.upload_bank_statement(statement(debit(1250, details=False)), "costs.xml")
    [summary] = answer["imported"]
    assert (summary["debits_ignored"], summary["booked"], summary["unmatched"]) == (1, 0, 0)


def test_r12_r13_a_batch_that_does_not_add_up_books_nothing_and_lists_the_entry(sandbox, invoices):
    """R12, R13 (audit camt, stop 45): given a batch entry of EUR 30,00 whose three
    transfers each say EUR 15,00, when the statement lands in the bank bucket, then no
    invoice is paid for money that did not come in: the EUR 30,00 is one line for a person."""
    first, second, third = invoices[:3]
    batch = credit(
        3000,
        batch=[
            Entry(1500, scor=first.reference),
            Entry(1500, scor=second.reference),
            Entry(1500, scor=third.reference),
        ],
    )
    answer = sandbox.upload_bank_statement(statement(batch), "batch.xml")
    [summary] = answer["imported"]
    assert (summary["booked"], summary["unmatched"]) == (0, 1)
    assert all(reread(sandbox, i) == i for i in (first, second, third))
    [line] = unmatched_list(sandbox, answer)["lines"]
    assert line["amount_cents"] == 3000


@pytest.mark.parametrize("name", ["billion-laughs.xml", "xxe-external-entity.xml"])
def test_an_xml_bomb_is_refused_and_books_nothing(sandbox, invoices, name):
    answer = sandbox.upload_bank_statement((BANK_EVENTS / "bad" / name).read_bytes(), name)
    [summary] = answer["imported"]
    assert summary["outcome"] == "refused" and "DTD" in summary["refusal"]
    assert for_the_operator(sandbox) == [summary["refusal_key"]]  # the refusal only
    assert all(reread(sandbox, i) == i for i in invoices)


def test_the_sample_statements_book_on_the_sandboxs_first_invoices(sandbox, invoices):
    # Given the sandbox's invoices with sequences 0, 1, 2, ... whose kenmerken the samples quote
    by_reference = {i.reference: i for i in invoices}
    # When the three sample days are imported in order
    answers = [
        sandbox.upload_bank_statement((BANK_EVENTS / name).read_bytes(), name)["imported"][0]
        for name in (
            "camt053-001.02-2026-11-24.xml",
            "camt053-001.02-2026-11-25.xml",
            "camt053-001.08-2026-11-26.xml",
        )
    ]
    # Then day 1 books two and lists one, day 2 ignores the repeat, reverses the return and
    # books the CUR one, day 3 (camt.053.001.08) books one and waits for the pending entry
    assert [
        (a["booked"], a["duplicates"], a["reversed"], a["unmatched"], a["debits_ignored"])
        for a in answers
    ] == [
        (2, 0, 0, 1, 1),
        (1, 1, 1, 0, 0),
        (1, 0, 0, 0, 0),
    ]
    assert answers[2]["not_booked_by_bank"] == 1
    # And the returned transfer is due again on its invoice
    returned = by_reference["42948452223464"]
    assert reread(sandbox, returned).amount_due_cents == returned.amount_due_cents


def test_r12_overlapping_statements_without_bank_references_book_a_transfer_once(
    sandbox, invoices, monkeypatch
):
    """R12 "duplicates (same bank entry reference) are ignored" (audit payments-in PAYIN1):
    given a day statement whose credit has NtryRef 1 and TxId X but no AcctSvcrRef,
    imported while such entries were keyed {Stmt/Id}/{NtryRef} (before this change)
    When it is uploaded again after the change, and then a statement for the 24th-25th
    with another Id repeats the transfer in two statements imported after the change
    Then each repeat reports booked 0 duplicates 1, and each invoice has its one payment."""
    from billing_core.payments import camt053

    def day_statement(invoice, statement_id, tx_id):
        entry = credit(500, reference=None, ntry_ref="1", scor=invoice.reference, tx_id=tx_id)
        return statement(entry, statement_id=statement_id)

    before_the_change, after_it = invoices[:2]
    with monkeypatch.context() as old_keys:
        old_keys.setattr(camt053, "_keyed_by_transfer", lambda xml, detail, booking: booking)
        sandbox.upload_bank_statement(day_statement(before_the_change, "S-23", "X"), "23.xml")
    sandbox.upload_bank_statement(day_statement(after_it, "S-24", "Y"), "2026-11-24.xml")
    booked = [reread(sandbox, i) for i in (before_the_change, after_it)]

    again = sandbox.upload_bank_statement(day_statement(before_the_change, "S-23", "X"), "23b.xml")
    overlapping = sandbox.upload_bank_statement(day_statement(after_it, "S-24-25", "Y"), "25.xml")

    for answer in (again, overlapping):
        [summary] = answer["imported"]
        assert (summary["booked"], summary["duplicates"]) == (0, 1)
    assert [reread(sandbox, i) for i in (before_the_change, after_it)] == booked
    assert booked[1].amount_due_cents == after_it.amount_due_cents - 500


@pytest.mark.parametrize("too_large", [False, True], ids=["truncated", "too_large"])
def test_r12_r39_a_refused_statement_is_counted_and_written_where_operators_look(
    sandbox, invoices, monkeypatch, too_large
):
    """R12 "a malformed file: clear error and nothing lost", R39 (audit payments-in PAYIN2):
    given the truncated sample statement (or one larger than the import reads)
    When it lands in the bank bucket
    Then nothing is booked, the metric Bank_refused is 1 (BankStatementRefusedAlarm
    watches it: tests/template), and bank/refused/{day}/{file}.json names the file and
    the reason, so an operator gets a good file and uploads it again."""
    if too_large:
        module = sandbox.handler("bank_statement_import")
        monkeypatch.setattr(module, "STATEMENTS", replace(module.STATEMENTS, max_bytes=100))
    emitted = emitted_metrics(sandbox, monkeypatch, "bank_statement_import")
    data = (BANK_EVENTS / "bad" / "truncated.xml").read_bytes()

    answer = sandbox.upload_bank_statement(data, "2026-11-24.xml")

    [summary] = answer["imported"]
    assert summary["outcome"] == "refused" and emitted["Bank_refused"] == 1
    assert for_the_operator(sandbox) == ["bank/refused/2026-11-23/2026-11-24.json"]
    written = json.loads(sandbox.output_object("bank/refused/2026-11-23/2026-11-24.json"))
    assert written == {"statement_key": "camt053/2026-11-24.xml", "refusal": summary["refusal"]}
    assert ("too large" in summary["refusal"]) is too_large
    assert all(reread(sandbox, i) == i for i in invoices)


OTHER_ACCOUNT = "NL02ABNA0123456789"  # a practice's own account, not the collection account


def of_account(xml: bytes, iban: str, statement_id: str) -> bytes:
    """The builder's statement as one of another account, under another Stmt Id."""
    text = xml.decode().replace("NL20INGB0001234567", iban)
    return text.replace("STMT-2026-11-24", statement_id).encode()


def test_r12_a_statement_of_another_account_books_nothing_and_is_refused_for_the_operator(
    sandbox, invoices, monkeypatch, capsys
):
    """R12 (audit camt2, medium): only the collection account's credits are patients'
    payments. Given a statement of another account (the practice's own, uploaded by
    mistake) with a credit quoting an invoice's kenmerk
    When it lands in the bank bucket
    Then nothing is booked; it is refused naming the account's last 4 characters only,
    Bank_refused is 1 (BankStatementRefusedAlarm), and bank/refused/{day}/{file}.json
    names the statement and why; no full IBAN in the answer, the log or the file."""
    emitted = emitted_metrics(sandbox, monkeypatch, "bank_statement_import")
    invoice = invoices[0]
    xml = of_account(statement(credit(1234, scor=invoice.reference)), OTHER_ACCOUNT, "OTHER-1")

    answer = sandbox.upload_bank_statement(xml, "other.xml")

    [summary] = answer["imported"]
    assert (summary["outcome"], summary["booked"], emitted["Bank_refused"]) == ("refused", 0, 1)
    assert "ending 6789" in summary["refusal"] and "OTHER-1" in summary["refusal"]
    assert reread(sandbox, invoice) == invoice
    written = sandbox.output_object("bank/refused/2026-11-23/other.json")
    assert json.loads(written)["statements"] == [
        {"statement_id": "OTHER-1", "refusal": summary["refusal"]}
    ]
    assert for_the_operator(sandbox) == ["bank/refused/2026-11-23/other.json"]
    for shown in (json.dumps(answer), written.decode(), capsys.readouterr().out):
        assert OTHER_ACCOUNT not in shown and "NL20INGB0001234567" not in shown


def test_r12_each_statement_of_a_file_is_judged_by_its_own_account(sandbox, invoices, monkeypatch):
    """R12 (audit camt2): given one file with a statement of the collection account and
    one of another account, each with a credit quoting a kenmerk
    When it is imported
    Then the collection account's credit is booked, the other statement's is not: it is
    refused by name (Bank_refused 1, written under bank/refused) and the file reports
    imported for the rest."""
    emitted = emitted_metrics(sandbox, monkeypatch, "bank_statement_import")
    ours, theirs = invoices[:2]
    own = statement(credit(100, scor=ours.reference), statement_id="OURS-1").decode()
    other = of_account(statement(credit(200, scor=theirs.reference)), OTHER_ACCOUNT, "OTHER-2")
    other_stmt = other.decode()[
        other.decode().index("<Stmt>") : other.decode().index("</BkToCstmrStmt>")
    ]
    both = own.replace("</BkToCstmrStmt>", other_stmt + "</BkToCstmrStmt>").encode()

    [summary] = sandbox.upload_bank_statement(both, "mixed.xml")["imported"]

    assert (summary["outcome"], summary["statements"], summary["booked"]) == (
        "imported",
        ["OURS-1"],
        1,
    )
    assert [s["statement_id"] for s in summary["refused_statements"]] == ["OTHER-2"]
    assert emitted["Bank_refused"] == 1
    assert reread(sandbox, ours).amount_due_cents == ours.amount_due_cents - 100
    assert reread(sandbox, theirs) == theirs
    assert "bank/refused/2026-11-23/mixed.json" in sandbox.output_keys("bank/")


def test_r12_r39_a_long_import_logs_how_far_it_is_without_payer_details(
    sandbox, invoices, monkeypatch
):
    """R12, R39, R29 (audit camt3): a 10,000-entry statement takes minutes; the log said
    nothing until the end (or nothing, when the function's time ran out).
    Given a statement of 3 credits without a kenmerk and progress told every 2 entries
    When it lands in the bank bucket
    Then the log says "bank statement progress" at 2 of 3 and at 3 of 3, with counts
    only: no payer's name, IBAN or description."""
    from billing_core.payments import bank_import

    monkeypatch.setattr(bank_import, "PROGRESS_EVERY", 2)
    logger = sandbox.handler("bank_statement_import").logger
    level = logger.log_level
    logger.setLevel("INFO")  # the sandbox logs warnings only; the function logs INFO
    written = io.StringIO()
    for handler in logger.handlers:  # bound to the stdout of when the module was loaded
        monkeypatch.setattr(handler, "stream", written)
    xml = statement(*(credit(500 + n, ustrd=("tandarts Visser",)) for n in range(3)))

    try:
        sandbox.upload_bank_statement(xml, "long.xml")
    finally:
        logger.setLevel(level)

    lines = [json.loads(line) for line in written.getvalue().splitlines() if "{" in line]
    progress = [line for line in lines if line.get("message") == "bank statement progress"]
    assert [(p["entries_done"], p["entries_total"]) for p in progress] == [(2, 3), (3, 3)]
    for line in progress:
        assert "Visser" not in json.dumps(line) and "NL91ABNA0417164300" not in json.dumps(line)


def stopped_when_its_checkpoint_is_gone(sandbox, xml, calls):
    """The statement uploaded, its first run of one entry, its checkpoint deleted, and the
    next run's answer for the file (bankgone53: the file stops, said)."""
    sandbox.upload_bank_statement(xml, "large.xml")
    sandbox.invoke("bank_statement_import", calls[0])
    [checkpoint] = sandbox.output_keys("bank/progress/")
    sandbox.runtime.s3.delete_object(Bucket=sandbox.names.output_bucket, Key=checkpoint)
    [stopped] = sandbox.invoke("bank_statement_import", calls[1])["imported"]
    return stopped


def runs_of_one_entry(app, monkeypatch):
    """Given runs that each have time for one entry (STOP_MARGIN_MS more than Lambda
    gives): the calls the function makes to itself to go on, kept to be invoked by hand."""
    from billing_core.entrypoints import bank_runs
    from billing_core.payments import bank_import

    monkeypatch.setattr(bank_import, "STOP_MARGIN_MS", 10**9)
    calls: list[dict[str, dict[str, str]]] = []

    def next_run(upload, entries_done):
        part = {name: upload[name] for name in ("bucket", "key", "version", "etag")}
        calls.append({app.CONTINUES: part | {"entries_done": str(entries_done)}})

    monkeypatch.setattr(bank_runs, "next_run", next_run)
    return calls


def test_r12_r3_a_statement_larger_than_one_run_is_finished_by_the_runs_that_follow(
    sandbox, invoices, monkeypatch
):
    """R12 "each entry booked once, the unmatched list complete", R3 (audit camt3: a
    10,000-entry file took longer than the function's time, every attempt timed out).
    Given a statement of 5 credits (2 quoting our invoices, 3 without a kenmerk) and runs
    that each have time for one entry only (STOP_MARGIN_MS more than Lambda gives)
    When it lands in the bank bucket
    Then the first run stops after 1 entry ("continued", 1 of 5) and calls the function
    again with the upload and how far it is (no payer details); each next run goes on
    from the checkpoint and calls the next, and the fifth finishes: the two invoices are
    each paid once, the report counts the whole file (2 booked, 3 unmatched), the list
    for the operator holds the 3 credits once; the last call delivered again is answered
    from its record, nothing done twice."""
    app = sandbox.handler("bank_statement_import")
    calls = runs_of_one_entry(app, monkeypatch)
    first, second = invoices[:2]
    xml = statement(
        credit(700, ustrd=("tandarts Visser",)),
        credit(first.amount_due_cents, scor=first.reference),
        credit(800, ustrd=("factuur",)),
        credit(second.amount_due_cents, scor=second.reference),
        credit(600, ustrd=("onbekend",)),
    )

    [started] = sandbox.upload_bank_statement(xml, "large.xml")["imported"]
    answers = []
    while len(calls) > len(answers):
        answers.append(sandbox.invoke("bank_statement_import", calls[len(answers)]))

    assert (started["outcome"], started["entries_done"], started["entries_total"]) == (
        "continued",
        1,
        5,
    )
    assert [call[app.CONTINUES]["entries_done"] for call in calls] == ["1", "2", "3", "4"]
    assert "Visser" not in json.dumps(calls)
    [finished] = answers[-1]["imported"]
    assert (finished["outcome"], finished["booked"], finished["unmatched"]) == ("imported", 2, 3)
    assert finished["duplicates"] == 0
    assert reread(sandbox, first).amount_due_cents == 0
    assert reread(sandbox, second).amount_due_cents == 0
    listed = json.loads(sandbox.output_object(finished["unmatched_key"]))["lines"]
    assert sorted(line["amount_cents"] for line in listed) == [600, 700, 800]
    assert len(sandbox.runtime.payment_links.unmatched_credits()) == 3
    assert sandbox.invoke("bank_statement_import", calls[-1]) == answers[-1]


def test_r12_r39_a_run_whose_checkpoint_is_gone_stops_the_file_said_and_an_upload_again_finishes_it(
    sandbox, invoices, monkeypatch, function_log
):
    """R12 "each entry booked once", R39, R3 (bankgone53): a run replayed after its
    checkpoint's 7 + 1 days under bank/progress/, or the checkpoint deleted.
    Given a statement of 5 credits on 5 invoices, runs with time for one entry each, the
    first two runs done (2 entries booked) and the checkpoint then gone
    When the third run is called (entries done: 2), and the operator uploads the same
    statement again
    Then the third run stops the file, said: outcome "stopped", an error line, the metric
    Bank_progress_gone 1 (BankProgressGoneAlarm), bank/refused/{day}/{file}.json saying
    after 2 entries, upload it again; no next run called (before: it imported from the
    start, stopped after one entry, called "1 done" again, was answered from the second
    run's record: 3 invoices never paid, nobody told). The upload again books the other
    3, the first 2 are duplicates: each invoice paid once."""
    app = sandbox.handler("bank_statement_import")
    calls = runs_of_one_entry(app, monkeypatch)
    emitted = emitted_metrics(sandbox, monkeypatch, "bank_statement_import")
    log = function_log("bank_statement_import")
    paid = invoices[:5]
    xml = statement(*(credit(i.amount_due_cents, scor=i.reference) for i in paid))

    stopped = stopped_when_its_checkpoint_is_gone(sandbox, xml, calls)

    assert [call[app.CONTINUES]["entries_done"] for call in calls] == ["1", "2"]
    assert (stopped["outcome"], stopped["refusal_key"]) == (
        "stopped",
        "bank/refused/2026-11-23/large.json",
    )
    written = json.loads(sandbox.output_object(stopped["refusal_key"]))
    assert "gone after 2 of the file's entries" in written["refusal"]
    assert "upload the statement again" in written["refusal"]
    errors = [json.loads(line) for line in log.getvalue().splitlines() if '"ERROR"' in line]
    assert [e["message"] for e in errors] == [
        "bank statement import stopped: its checkpoint is gone"
    ]
    assert emitted.get("Bank_progress_gone") == 1
    assert [reread(sandbox, i).amount_due_cents == 0 for i in paid] == [
        True,
        True,
        False,
        False,
        False,
    ]

    # When the operator uploads the statement again (a new version): it books the rest.
    sandbox.upload_bank_statement(xml, "large.xml")
    answers = []
    while len(calls) > 2 + len(answers):  # each run's call of the next, in turn
        answers.append(sandbox.invoke("bank_statement_import", calls[2 + len(answers)]))

    [finished] = answers[-1]["imported"]
    assert (finished["outcome"], finished["booked"], finished["duplicates"]) == ("imported", 3, 2)
    assert all(reread(sandbox, i).amount_due_cents == 0 for i in paid)
    assert all(len(reread(sandbox, i).applied_payments) == 1 for i in paid)


def test_r39_r12_bank_booked_counts_each_booking_once_over_runs_stopped_half_way(
    sandbox, invoices, monkeypatch
):
    """R39, R12, R3 (runs54): only the run that finished a file counted it, the whole file,
    so a file stopped half-way (its checkpoint gone, bankgone53) counted its earlier runs'
    bookings nowhere, and its upload again counted them as duplicates: 5 entries booked,
    Bank_booked 3.
    Given a statement of 5 credits on 5 invoices, runs with time for one entry each, the
    first two runs done (2 entries booked) and the checkpoint then gone
    When the third run stops the file, and the operator uploads it again, which finishes it
    Then the runs' Bank_booked add up to 5, each booking once: 2 by the runs that booked
    them before the stop, 3 by the upload again (its 2 duplicates are the entries the
    first version booked)."""
    app = sandbox.handler("bank_statement_import")
    calls = runs_of_one_entry(app, monkeypatch)
    emitted = emitted_metrics(sandbox, monkeypatch, "bank_statement_import")
    paid = invoices[:5]
    xml = statement(*(credit(i.amount_due_cents, scor=i.reference) for i in paid))

    stopped = stopped_when_its_checkpoint_is_gone(sandbox, xml, calls)

    assert stopped["outcome"] == "stopped"
    assert (emitted.get("Bank_booked"), emitted.get("Bank_progress_gone")) == (2, 1)

    sandbox.upload_bank_statement(xml, "large.xml")
    runs = 0
    while len(calls) > 2 + runs:  # each run's call of the next, in turn
        sandbox.invoke("bank_statement_import", calls[2 + runs])
        runs += 1

    assert all(len(reread(sandbox, i).applied_payments) == 1 for i in paid)
    assert (emitted.get("Bank_booked"), emitted.get("Bank_duplicates")) == (5, 2)


def test_r12_r3_a_local_run_whose_time_runs_out_goes_on_in_process(sandbox, invoices, monkeypatch):
    """R12, R3 (audit bank4: locally a run past 840 s called Lambda's Invoke on moto, which
    has no such function: ResourceNotFoundException, the import left half-way).
    Given runs that each have time for one entry only, and the function's call to itself
    left as it is deployed (boto3's lambda.invoke)
    When a statement of a credit without a kenmerk and one on our invoice lands in the
    local runtime's bank bucket
    Then the first run answers "continued" (1 of 2) and the local runtime runs the call it
    asked, in-process, after it: the invoice is paid, the credit without a kenmerk is on
    the operator's list."""
    from billing_core.payments import bank_import

    monkeypatch.setattr(bank_import, "STOP_MARGIN_MS", 10**9)
    first = invoices[0]
    xml = statement(
        credit(700, ustrd=("tandarts",)), credit(first.amount_due_cents, scor=first.reference)
    )

    [started] = sandbox.upload_bank_statement(xml, "large.xml")["imported"]

    assert (started["outcome"], started["entries_done"]) == ("continued", 1)
    assert reread(sandbox, first).amount_due_cents == 0
    assert [c.amount_cents for c in sandbox.runtime.payment_links.unmatched_credits()] == [700]


def test_r3_r39_a_finished_file_delivered_again_after_its_record_went_counts_nothing_again(
    sandbox, invoices, monkeypatch, function_log
):
    """R3, R39, R12 (bankretry55): Powertools' record answers a delivery again for 7 days;
    after it went (expired, or released), the file's checkpoint says it is finished.
    Given a file of our statement (2 credits on 2 invoices, 1 without a kenmerk) and one of
    another account (refused), imported over runs of one entry each, and the idempotency
    records then gone
    When the last run's call is delivered again, and the upload's S3 notification too
    Then each is answered with the file's report, as its first delivery was, and does
    nothing: each invoice paid once, the list, the refusal and the checkpoint as they
    were; no Bank_* metric counts anything again (before: Bank_booked 1 and then 2 more
    for 2 bookings, Bank_unmatched 1, Bank_refused 1 twice with an error line each), each
    delivery counted as UploadsDeliveredAgain, no error line."""
    app = sandbox.handler("bank_statement_import")
    calls = runs_of_one_entry(app, monkeypatch)
    paid = invoices[:2]
    ours = statement(
        credit(paid[0].amount_due_cents, scor=paid[0].reference),
        credit(700, ustrd=("onbekend",)),
        credit(paid[1].amount_due_cents, scor=paid[1].reference),
    ).decode()
    other = of_account(statement(credit(200, scor=invoices[2].reference)), OTHER_ACCOUNT, "O-1")
    theirs = other.decode()[other.decode().index("<Stmt>") : other.decode().index("</BkTo")]
    xml = ours.replace("</BkToCstmrStmt>", theirs + "</BkToCstmrStmt>").encode()
    sandbox.upload_bank_statement(xml, "large.xml")
    answers = []
    while len(calls) > len(answers):
        answers.append(sandbox.invoke("bank_statement_import", calls[len(answers)]))
    [finished] = answers[-1]["imported"]
    assert (finished["booked"], finished["unmatched"], len(calls)) == (2, 1, 2)
    written = {key: sandbox.output_object(key) for key in sandbox.output_keys("bank/")}
    assert len(written) == 4  # the checkpoint, the list, the refusal, the finished marker
    assert len(for_the_operator(sandbox)) == 3
    watched = watched_with_records_expired(
        sandbox, monkeypatch, function_log, "bank_statement_import"
    )
    upload = calls[-1][app.CONTINUES]
    notified = sandbox.bank_s3_event(upload["key"], upload["version"], upload["etag"])

    last_run_again = sandbox.invoke("bank_statement_import", calls[-1])
    notified_again = sandbox.invoke("bank_statement_import", notified)

    assert last_run_again == notified_again == answers[-1]
    assert len(calls) == 2  # no run called again
    assert_only_counted_delivered_again(watched, deliveries=2)
    assert {key: sandbox.output_object(key) for key in sandbox.output_keys("bank/")} == written
    assert [len(reread(sandbox, i).applied_payments) for i in [*paid, invoices[2]]] == [1, 1, 0]
    assert len(sandbox.runtime.payment_links.unmatched_credits()) == 1


def test_r3_r39_a_finished_files_run_redriven_after_its_checkpoint_expired_is_no_false_alarm(
    sandbox, invoices, monkeypatch, function_log
):
    """R3, R39, R12 (bankmarker55 (a)): a checkpoint is kept 7 days under bank/progress/,
    the failure queue keeps a run's call 14 days.
    Given a file of 3 credits on 3 invoices finished over runs of one entry each, and then
    the idempotency records and the checkpoint gone
    When the last run's call is redriven
    Then it is answered with the file's report, as its first delivery was, counted as
    UploadsDeliveredAgain only: no "stopped", no Bank_progress_gone, no error line, no
    bank/refused/ file telling the operator to upload it again (before: all three), no
    run called, each invoice paid once."""
    app = sandbox.handler("bank_statement_import")
    calls = runs_of_one_entry(app, monkeypatch)
    paid = invoices[:3]
    sandbox.upload_bank_statement(
        statement(*(credit(i.amount_due_cents, scor=i.reference) for i in paid)), "large.xml"
    )
    answers = []
    while len(calls) > len(answers):
        answers.append(sandbox.invoke("bank_statement_import", calls[len(answers)]))
    watched = watched_with_records_expired(
        sandbox, monkeypatch, function_log, "bank_statement_import"
    )
    [checkpoint] = sandbox.output_keys("bank/progress/")
    sandbox.runtime.s3.delete_object(Bucket=sandbox.names.output_bucket, Key=checkpoint)

    redriven = sandbox.invoke("bank_statement_import", calls[-1])

    assert redriven == answers[-1] and redriven["imported"][0]["outcome"] == "imported"
    assert_only_counted_delivered_again(watched)
    assert sandbox.output_keys("bank/refused/") == [] and len(calls) == 2
    assert all(len(reread(sandbox, i).applied_payments) == 1 for i in paid)


def test_r3_r39_a_file_finished_in_one_run_notified_again_a_week_later_counts_nothing_again(
    sandbox, invoices, monkeypatch, function_log
):
    """R3, R39, R12 (bankmarker55 (b)): a file of fewer than 1,000 entries is finished in
    one run and keeps no checkpoint.
    Given a file of our statement (a credit on an invoice, one without a kenmerk) and one
    of another account (refused), imported, and its idempotency record then gone
    When its S3 notification is delivered again a week later
    Then it is answered as its first delivery was, counted as UploadsDeliveredAgain only:
    no Bank_* metric, no error line, no second list or refusal (before: Bank_booked 1,
    Bank_unmatched 1, Bank_refused 1 with an error line, the list and the refusal written
    again under that day), the invoice paid once."""
    ours = statement(
        credit(invoices[0].amount_due_cents, scor=invoices[0].reference),
        credit(700, ustrd=("onbekend",)),
    ).decode()
    other = of_account(statement(credit(200, scor=invoices[2].reference)), OTHER_ACCOUNT, "O-1")
    theirs = other.decode()[other.decode().index("<Stmt>") : other.decode().index("</BkTo")]
    xml = ours.replace("</BkToCstmrStmt>", theirs + "</BkToCstmrStmt>").encode()
    key = "camt053/small.xml"
    put = sandbox.runtime.s3.put_object(Bucket=sandbox.names.bank_bucket, Key=key, Body=xml)
    event = sandbox.bank_s3_event(key, put["VersionId"], put["ETag"].strip('"'))
    first = sandbox.invoke("bank_statement_import", event)
    assert (first["imported"][0]["booked"], first["imported"][0]["unmatched"]) == (1, 1)
    listed_and_refused = sandbox.output_keys("bank/unmatched/") + sandbox.output_keys(
        "bank/refused/"
    )
    watched = watched_with_records_expired(
        sandbox, monkeypatch, function_log, "bank_statement_import"
    )
    sandbox.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=AMSTERDAM))

    again = sandbox.invoke("bank_statement_import", event)

    assert again == first
    assert_only_counted_delivered_again(watched)
    assert len(listed_and_refused) == 2  # the list, the refusal
    assert for_the_operator(sandbox) == sorted(listed_and_refused)
    assert len(reread(sandbox, invoices[0]).applied_payments) == 1
