"""A bank statement whose import stops half-way (the function's time runs out, R3, R12,
R34): what it met before the stop stays for the operator, and a second run books nothing
twice and loses no line (audit camt3)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

import pytest

from billing_core.payments.bank_import import BankImportContext, checkpoint_key, import_statement
from billing_core.shared.clock import AMSTERDAM, FixedClock
from tests.unit.camt_builder import credit, statement
from tests.unit.factories import REFERENCE, make_invoice
from tests.unit.fake_store import FakeStore, FilesInMemory
from tests.unit.payment_fakes import LinksInMemory

KEY = "camt053/2026-11-24.xml"


class Killed(Exception):
    """The Lambda stopped at its timeout: nothing after this point runs."""


class StoreKilledAtBooking(FakeStore):
    """The store until the import looks up an invoice for the ``stop_at``-th time."""

    def __init__(self, *args: object, stop_at: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.stop_at = stop_at

    def find_invoice_by_reference(self, reference: str):  # type: ignore[no-untyped-def]
        found = super().find_invoice_by_reference(reference)
        if self.calls.count("find_invoice_by_reference") >= self.stop_at:
            raise Killed
        return found


def context(store: FakeStore, links: LinksInMemory, files: FilesInMemory) -> BankImportContext:
    clock = FixedClock(datetime(2026, 11, 25, 6, 0, tzinfo=AMSTERDAM))
    return BankImportContext(store=store, files=files, links=links, clock=clock)


def document() -> bytes:
    return statement(
        credit(700, reference="ING-A", ustrd=("tandarts november",)),
        credit(1000, reference="ING-B", scor=REFERENCE),
        credit(800, reference="ING-C", ustrd=("factuur",)),
        credit(900, reference="ING-D", scor=REFERENCE),
        credit(600, reference="ING-E", ustrd=("onbekend",)),
    )


@pytest.mark.parametrize("stop_at", [1, 2])
def test_r34_r12_an_import_stopped_half_way_keeps_what_it_met_and_a_second_run_completes_it(
    stop_at,
):
    """R34 "unmatched credits become a list", R12 "duplicates are ignored", R3 (retries):
    Given a statement of 5 credits, 3 without a kenmerk (A, C, E) and 2 on our invoice
    (B, D), and an import that is killed when it looks up the invoice for the 1st / 2nd
    time (the Lambda's timeout)
    When the import stops there
    Then the credits without a kenmerk met before the stop are on the operator's list
    already (before: only after the last entry, so a file every attempt of which times
    out never lists any);
    When the file is imported again, in full, and a third time
    Then B and D are each booked once, the list holds A, C and E once each (the kept
    credits and the file), and the third run books and lists nothing new."""
    invoice = make_invoice()
    links, files = LinksInMemory(), FilesInMemory()
    killed = StoreKilledAtBooking([invoice], stop_at=stop_at)

    with pytest.raises(Killed):
        import_statement(document(), KEY, context(killed, links, files))

    met_before_the_stop = ["ING-A", "ING-C"][:stop_at]
    assert sorted(c.entry_reference for c in links.unmatched_credits()) == met_before_the_stop

    store = FakeStore([killed.invoice()])
    report = import_statement(document(), KEY, context(store, links, files))
    again = import_statement(document(), KEY, context(store, links, files))

    payments = [e for e in store.invoice().ledger if e.kind.value == "payment"]
    assert sorted(-e.amount_cents for e in payments) == [900, 1000]
    assert sorted(c.entry_reference for c in links.unmatched_credits()) == [
        "ING-A",
        "ING-C",
        "ING-E",
    ]
    listed = json.loads(files.files[report.unmatched_key])["lines"]
    assert sorted(line["entry_reference"] for line in listed) == ["ING-A", "ING-C", "ING-E"]
    assert (len(again.booked), again.duplicates, len(again.unmatched)) == (0, 2, 3)


def test_r12_progress_is_told_every_so_many_entries_and_at_the_end(monkeypatch):
    """R12, R39 (audit camt3): Given a statement of 5 credits and progress told every 2
    When it is imported
    Then the import tells (2, 5), (4, 5) and (5, 5): entries done of the file's."""
    from billing_core.payments import bank_import

    monkeypatch.setattr(bank_import, "PROGRESS_EVERY", 2)
    told: list[tuple[int, int]] = []
    ctx = context(FakeStore([make_invoice()]), LinksInMemory(), FilesInMemory())
    ctx = replace(ctx, progress=lambda done, total: told.append((done, total)))

    import_statement(document(), KEY, ctx)

    assert told == [(2, 5), (4, 5), (5, 5)]


def runs_of_the_function(files: FilesInMemory, *time_left_ms: int) -> BankImportContext:
    """The context of one run: its checkpoint in ``files``, and the time it has left as
    Lambda's context tells it, one answer per entry (the last one then on)."""
    answers = list(time_left_ms)

    def time_left() -> int:
        return answers.pop(0) if len(answers) > 1 else answers[0]

    return replace(
        context(FakeStore([make_invoice()]), LinksInMemory(), files),
        checkpoint_key=checkpoint_key(KEY, "v1"),
        checkpoints=files,
        time_left_ms=time_left,
    )


def test_r12_r3_a_run_whose_time_runs_out_stops_and_the_next_goes_on_where_it_stopped(
    monkeypatch,
):
    """R12 "every entry booked once, the unmatched list complete", R3 (audit camt3):
    Given a statement of 5 credits (A, C, E without a kenmerk; B, D on our invoice), a
    checkpoint every 2 entries, and a run that has time for 3 entries, then less than
    STOP_MARGIN_MS
    When the run imports it
    Then it stops after 3 entries, "continued" (3 of 5), its metrics counting its own
    part (B booked, A and C unmatched: runs54), no list written yet, the checkpoint
    written;
    When the next run (all the time it needs, called with the 3 entries done) imports it
    Then it goes on at the 4th entry: B and D each booked once, the report counts the
    whole file (2 booked, 3 unmatched, no duplicates), its metrics its own part (D
    booked, E unmatched): the two runs' metrics count each entry once; the list holds
    A, C and E;
    When that run is delivered once more (its idempotency record gone), it answers the
    same, writes nothing and counts nothing again: only that it was delivered again, not
    an error (bankretry55: before, D booked and E unmatched were counted twice)."""
    from billing_core.payments import bank_import

    monkeypatch.setattr(bank_import, "PROGRESS_EVERY", 2)
    files = FilesInMemory()
    first = runs_of_the_function(files, 900_000, 900_000, 59_000)  # asked before entry 2, 3, 4
    store, links = first.store, first.links

    stopped = import_statement(document(), KEY, first)

    assert (stopped.outcome, stopped.entries_done, stopped.entries_total) == ("continued", 3, 5)
    own_part = {f"Bank_{name}": 0 for name in bank_import._COUNTED}
    assert stopped.log_entry().counts == own_part | {"Bank_booked": 1, "Bank_unmatched": 2}
    assert stopped.summary()["entries_done"] == 3
    assert list(files.files) == [checkpoint_key(KEY, "v1")]
    assert sorted(c.entry_reference for c in links.unmatched_credits()) == ["ING-A", "ING-C"]

    second = replace(first, time_left_ms=lambda: 900_000, resumes_at=3)
    finished = import_statement(document(), KEY, second)

    payments = [e for e in store.invoice().ledger if e.kind.value == "payment"]
    assert sorted(-e.amount_cents for e in payments) == [900, 1000]
    summary = finished.summary()
    assert (summary["outcome"], summary["booked"], summary["unmatched"]) == ("imported", 2, 3)
    assert (summary["duplicates"], summary["statements"]) == (0, ["STMT-2026-11-24"])
    assert "entries_done" not in summary
    assert finished.log_entry().counts == own_part | {
        "Bank_booked": 1,
        "Bank_unmatched": 1,
        "Bank_refused": 0,
    }
    listed = json.loads(files.files[finished.unmatched_key])["lines"]
    assert [line["entry_reference"] for line in listed] == ["ING-A", "ING-C", "ING-E"]
    assert sorted(c.entry_reference for c in links.unmatched_credits()) == [
        "ING-A",
        "ING-C",
        "ING-E",
    ]

    written = dict(files.files)
    again = import_statement(document(), KEY, second)
    assert again.answer() == finished.answer() and files.files == written
    said = again.log_entry()
    assert (said.message, said.counts, said.error) == (
        "bank statement delivered again: its report stands",
        {"UploadsDeliveredAgain": 1},
        False,
    )


def test_r12_r3_a_run_that_crashes_after_a_checkpoint_is_retried_from_it():
    """R12, R3 (audit camt3): Given a run that wrote its checkpoint after 2 entries (A, B)
    and was killed at the invoice lookup of D (4th entry)
    When Lambda retries it (the checkpoint read back)
    Then each credit is booked once and A, C, E are each listed once; C, met again after
    the checkpoint, is one line."""
    from billing_core.payments import bank_import

    files = FilesInMemory()
    run = runs_of_the_function(files, 900_000)
    killed = StoreKilledAtBooking([make_invoice()], stop_at=2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bank_import, "PROGRESS_EVERY", 2)
        with pytest.raises(Killed):
            import_statement(document(), KEY, replace(run, store=killed))
    store = FakeStore([killed.invoice()])

    report = import_statement(document(), KEY, replace(run, store=store))

    payments = [e for e in store.invoice().ledger if e.kind.value == "payment"]
    assert sorted(-e.amount_cents for e in payments) == [900, 1000]
    listed = json.loads(files.files[report.unmatched_key])["lines"]
    assert [line["entry_reference"] for line in listed] == ["ING-A", "ING-C", "ING-E"]
    assert (len(report.booked), len(report.unmatched)) == (2, 3)


def test_r12_r3_entries_a_crashed_run_booked_count_as_booked_in_its_retry_not_as_duplicates(
    subtests,
):
    """R12 "duplicates are ignored", R3 (retries), R38 (a retry is the same request)
    (audit bank4):
    Given a run of the function (its upload's checkpoint key) killed at the invoice lookup
    of D (4th entry), before any checkpoint: B was booked, by this upload
    When Lambda retries the run (the same upload, from the start)
    Then the summary counts the file as once: 2 booked (B, D), 3 unmatched, no duplicate,
    5 in all (before: B counted a duplicate of the file's own booking, 1 booked);
    When the same upload is run a third time, it answers the same and books nothing;
    When the statement is uploaded again (another version), B and D are duplicates."""
    files = FilesInMemory()
    run = runs_of_the_function(files, 900_000)
    killed = StoreKilledAtBooking([make_invoice()], stop_at=2)
    with pytest.raises(Killed):
        import_statement(document(), KEY, replace(run, store=killed))
    store = FakeStore([killed.invoice()])
    keys = ("booked", "duplicates", "unmatched")

    retried = import_statement(document(), KEY, replace(run, store=store)).summary()
    third = import_statement(document(), KEY, replace(run, store=store)).summary()
    another = replace(run, store=store, checkpoint_key=checkpoint_key(KEY, "v2"))
    uploaded_again = import_statement(document(), KEY, another).summary()

    payments = [e for e in store.invoice().ledger if e.kind.value == "payment"]
    assert sorted(-e.amount_cents for e in payments) == [900, 1000]
    with subtests.test("the retry"):
        assert [retried[k] for k in keys] == [2, 0, 3]
    with subtests.test("a third run of the same upload"):
        assert third == retried
    with subtests.test("another upload of the statement"):
        assert [uploaded_again[k] for k in keys] == [0, 2, 3]
