"""The chaos and fault figures of issue 13 item 16: what AWS, a crash or an attacker may
do, and what people would see of it. Each scenario returns Figures, each with its goal;
``python -m tests.chaos`` (`make chaos`) runs them in full, tests/chaos/test_sample.py
runs a short sample in `make test`.

Seeded: a scenario takes a ``random.Random`` or seeds, so a figure can be replayed. The
moto scenarios run the real handlers in the sandbox (local/sandbox.py); the dunning and
fuzz scenarios run the real use cases on the in-memory fakes, fast enough for 20 lives
of a practice and 10,000 files.
"""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import quote, urlencode

import boto3

from billing_core.adapters.dynamo.repository import BillingRepository
from billing_core.correspondence.delivery import DeliveryContext, deliver_invoice
from billing_core.declarations.formats import parse_declaration
from billing_core.dunning.run import DunningContext, run_dunning
from billing_core.invoices.invoice import Invoice
from billing_core.invoices.ledger import EntryKind
from billing_core.payments.bank_import import BankImportContext, import_statement
from billing_core.payments.booking import IncomingPayment, book_payment
from billing_core.ports import ConcurrentChange
from billing_core.services.provider.declarations import upload_key
from billing_core.shared.clock import AMSTERDAM, FixedClock
from local.generate import declaration_csv
from local.sandbox import REGION, Sandbox
from local.seed import DENTAL, PHYSIO
from tests.chaos.money_walk import random_steps, walk
from tests.functional.query_routes import CALLERS, QUERY_PIECES, query_routes
from tests.unit.dunning_world import RUN_AT, DunningWorld, one_invoice, paper_invoice
from tests.unit.factories import PUBLIC, make_person
from tests.unit.fake_store import FakeQueue, FakeStore, FilesInMemory
from tests.unit.faults import CallBudget, Faulty, Killed
from tests.unit.payment_fakes import LinksInMemory
from tests.unit.test_invoice_pdf import ACCOUNT

TODAY = date(2026, 11, 23)  # the sandbox's Monday
EVENTS = Path(__file__).resolve().parents[2] / "events"

Progress = Callable[[int, int], None]  # (done, of): the runner prints it, the tests ignore it


def quiet(done: int, of: int) -> None:
    """No progress lines (the pytest sample)."""


def _tenths(count: int, progress: Progress) -> Iterator[int]:
    """0 to count - 1, telling ``progress`` after every tenth."""
    for n in range(count):
        yield n
        if (n + 1) % max(count // 10, 1) == 0:
            progress(n + 1, count)


@dataclass(frozen=True)
class Figure:
    scenario: str
    measure: str
    value: int
    goal: int = 0
    runs: str = ""  # how often it was tried: "3 times", "20 seeds", "10,000 files"
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def met(self) -> bool:
        return self.value == self.goal

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"met": self.met}


# --- S3 notifications and object versions (#13.1) -------------------------------------------


def redelivered_s3_event(rng: random.Random, *, lines: int = 24) -> list[Figure]:
    """S3 delivers its notifications at least once: the same ObjectCreated event three
    more times must not invoice the declaration again."""
    with Sandbox(TODAY) as box:
        key = _declaration_key(box, DENTAL.provider_id, rng)
        event = _put_object(box, key, declaration_csv(lines, seed=rng.randrange(10**6)))
        box.invoke("declaration_ingest", event)
        first = _invoices(box, DENTAL.provider_id)
        errors = _invoke_counting_errors(box, [event] * 3)
        after = _invoices(box, DENTAL.provider_id)
    return _duplicates("S3 event redelivered", "3 times", first, after, errors)


def same_key_put_twice(rng: random.Random, *, lines: int = 24) -> list[Figure]:
    """One upload URL used twice (#13.1): a second object version under the declaration's
    key, forced into S3 past the URL, with other claims. Only the first version may be
    invoiced; the second is reported, never invoiced with the declaration's references."""
    with Sandbox(TODAY) as box:
        key = _declaration_key(box, PHYSIO.provider_id, rng)
        first_event = _put_object(box, key, declaration_csv(lines, seed=rng.randrange(10**6)))
        box.invoke("declaration_ingest", first_event)
        first = _invoices(box, PHYSIO.provider_id)
        # Other claims (claim refs S... instead of R...) of fewer patients: within the
        # reference block the first version reserved.
        second_file = declaration_csv(lines // 2, seed=rng.randrange(10**6))
        second_file = second_file.replace(b"\nR", b"\nS")
        errors = _invoke_counting_errors(box, [_put_object(box, key, second_file)])
        after = _invoices(box, PHYSIO.provider_id)
    return _duplicates("same declaration key PUT twice", "2 versions", first, after, errors)


def _duplicates(
    scenario: str, runs: str, first: list[Invoice], after: list[Invoice], errors: int
) -> list[Figure]:
    """The invoices made after the first file's, and the invoices sharing a kenmerk."""
    detail = {"invoices_first": len(first), "invoices_after": len(after), "handler_errors": errors}
    return [
        Figure(scenario, "duplicate invoices", len(after) - len(first), runs=runs, detail=detail),
        Figure(scenario, "shared betalingskenmerken", _shared_references(after), runs=runs),
    ]


def _declaration_key(box: Sandbox, provider_id: str, rng: random.Random) -> str:
    return upload_key(provider_id, f"chaos-{rng.randrange(16**8):08x}")


def _put_object(box: Sandbox, key: str, body: bytes) -> dict[str, Any]:
    """The object into the declarations bucket as any PUT puts it; S3's notification."""
    answer = box.runtime.s3.put_object(Bucket=box.names.declarations_bucket, Key=key, Body=body)
    return box.s3_event(key, answer.get("VersionId", ""), answer["ETag"].strip('"'))


def _invoke_counting_errors(box: Sandbox, events: list[dict[str, Any]]) -> int:
    """Each event to the ingest as Lambda hands it over; an exception is what Lambda would
    retry and finally park in the failure queue: counted, never hidden."""
    errors = 0
    for event in events:
        try:
            box.invoke("declaration_ingest", event)
        except Exception:  # noqa: BLE001 -- counted in the figure's detail
            errors += 1
    return errors


def _invoices(box: Sandbox, provider_id: str) -> list[Invoice]:
    invoices, _ = box.runtime.repository.list_invoices(provider_id, limit=1000)
    return invoices


def _shared_references(invoices: list[Invoice]) -> int:
    """Invoices whose betalingskenmerk another invoice also carries."""
    counts = Counter(invoice.reference for invoice in invoices)
    return sum(n for n in counts.values() if n > 1)


# --- the dunning run killed and rerun (#13.12, R18-R23) ---------------------------------------

FIRST_RUN, LAST_RUN = date(2026, 12, 24), date(2027, 2, 15)  # reminders to handovers
KILL_CHANCE = 0.5  # of a day's run being killed, at a random one of its port calls
WHAT_HAPPENS = {
    "letters": "letters recorded",
    "emails": "e-mails sent",
    "costs_interest": "costs/interest entries",
    "handovers": "handovers (file, block, action)",
}
# The one window no store can close: SES accepted the e-mail and the process died before
# the invoice recorded it; SQS delivers the request again and it is sent again. Waiting
# for a record before sending would lose a legal letter instead: at least once, not
# at most once.
EMAIL_WINDOW = "kills after SES accepted an e-mail, before the invoice recorded it"


def dunning_killed(seeds: list[int], progress: Progress = quiet) -> list[Figure]:
    """Per seed, the life of a practice's unpaid invoices, each day's run (with the
    delivery of its letters) killed at a random port call with KILL_CHANCE and run again;
    compared with the same life without faults: every letter, e-mail, costs and interest
    entry and handover (file, block, action) exactly once."""
    wrong: Counter[str] = Counter()
    kills = after_send = 0
    with _letters_without_typesetting():
        reference = _life(random.Random(), calls_per_day=None)
        for done, seed in enumerate(seeds, 1):
            faulted = _life(random.Random(seed), calls_per_day=reference.calls_per_day)
            kills += faulted.kills
            after_send += faulted.kills_after_send
            for what in WHAT_HAPPENS:
                wrong[what] += _difference(getattr(reference, what), getattr(faulted, what))
            progress(done, len(seeds))
    runs = f"{len(seeds)} seeds, {kills} kills"
    return [
        Figure(
            "dunning run killed and rerun",
            f"{measure} not exactly once",
            wrong[what],
            runs=runs,
            detail={"in_one_life": sum(getattr(reference, what).values())}
            | ({EMAIL_WINDOW: after_send} if what == "emails" else {}),
        )
        for what, measure in WHAT_HAPPENS.items()
    ]


@dataclass
class _Life:
    letters: Counter[tuple[str, ...]]
    emails: Counter[tuple[str, ...]]
    costs_interest: Counter[tuple[object, ...]]
    handovers: Counter[tuple[str, ...]]
    kills: int
    kills_after_send: int
    calls_per_day: dict[date, int]


def _life(rng: random.Random, *, calls_per_day: dict[date, int] | None) -> _Life:
    """Every day's run; with ``calls_per_day`` (of a life without faults), a run is
    killed before a random one of that many port calls, then run again at once."""
    world = DunningWorld(_unpaid_invoices())
    kills = after_send = 0
    calls: dict[date, int] = {}
    day = FIRST_RUN
    while day <= LAST_RUN:
        if calls_per_day and calls_per_day[day] and rng.random() < KILL_CHANCE:
            killed = CallBudget(rng.randrange(calls_per_day[day]))
            try:
                _run_and_deliver(world, day, killed)
            except Killed:
                kills += 1
                after_send += killed.made[-1:] == ["send"]
        budget = CallBudget(None)
        _run_and_deliver(world, day, budget)  # the rerun, or the only run
        calls[day] = len(budget.made)
        if day == date(2027, 1, 5):  # a patient pays in the reminder's term
            world.import_transfer(
                20_000, booked_on=day, at=_at(day) + timedelta(hours=3), invoice_id="inv-3"
            )
        day += timedelta(days=1)
    return _Life(*_what_people_got(world), kills, after_send, calls)


@contextmanager
def _letters_without_typesetting() -> Iterator[None]:
    """The letter's PDF as a few fixed bytes: typesetting one takes ~2 s on a shared
    machine and is tested on its own (test_dunning_letters); what counts here is how
    often each letter is made and sent."""
    with mock.patch(
        "billing_core.correspondence.delivery.render_dunning_letter_pdf",
        lambda *_, **__: b"%PDF-1.4 chaos",
    ):
        yield


def _unpaid_invoices() -> list[Invoice]:
    """Six invoices of four patients, e-mail and paper, due on three days."""
    due = [date(2026, 12, 23), date(2026, 12, 30), date(2027, 1, 6), date(2026, 12, 23)]
    patients = [1, 1, 2, 2, 3, 4]
    cents = [12_500, 4_000, 20_000, 75_000, 310_000, 9_900]
    invoices = []
    for number, (patient, principal) in enumerate(zip(patients, cents, strict=True), 1):
        kw: dict[str, Any] = {
            "number": number,
            "final_payment_date": due[patient - 1],
            "patient_ref": f"P-{patient}",
        }
        if patient == 2:
            invoices.append(paper_invoice(principal, **kw))
        else:
            person = make_person(last_name=f"Patient{patient}")
            invoices.append(one_invoice(principal, patient=person, **kw))
    return invoices


def _at(day: date) -> datetime:
    return datetime.combine(day, RUN_AT, tzinfo=AMSTERDAM)


def _run_and_deliver(world: DunningWorld, day: date, budget: CallBudget) -> None:
    """The day's run, then the delivery of what it queued; a message leaves the queue
    only when its delivery returned, as SQS deletes it only then."""
    world.clock.set(_at(day))
    store, files = Faulty(world.store, budget), Faulty(world.files, budget)
    queue = Faulty(world.queue, budget)
    run_dunning(DunningContext(store, files, queue, world.clock), day)
    outbox = Faulty(world.outbox, budget)
    delivery = DeliveryContext(store, files, outbox, world.clock, PUBLIC, ACCOUNT)
    while world.queue.requests:
        deliver_invoice(world.queue.requests[0], delivery)
        world.queue.requests.pop(0)


def _what_people_got(world: DunningWorld) -> tuple[Counter[Any], ...]:
    invoices = sorted(world.store.invoices.values(), key=lambda i: i.invoice_id)
    letters: Counter[tuple[str, ...]] = Counter(
        (i.invoice_id, letter.kind) for i in invoices for letter in i.correspondence
    )
    letters[("paper letters printed",)] = sum(1 for k in world.files.files if k.endswith(".pdf"))
    emails: Counter[tuple[str, ...]] = Counter(
        (to, email.subject) for to, email, _ in world.outbox.sent
    )
    costs_interest: Counter[tuple[object, ...]] = Counter(
        (i.invoice_id, e.kind.value, e.component.value, e.amount_cents)
        for i in invoices
        for e in i.ledger
        if e.kind in (EntryKind.COSTS, EntryKind.INTEREST)
    )
    handovers: Counter[tuple[str, ...]] = Counter(
        ("file", k) for k in world.files.files if k.startswith("collection/")
    )
    provider = world.provider.provider_id
    for blocked in world.store.blocked_patients(provider):
        handovers.update(("block", blocked.patient_ref, i) for i in blocked.invoice_ids)
    handovers.update(("action", a.action_id) for a in world.store.list_actions(provider))
    handovers.update(("handed over", i.invoice_id) for i in invoices if i.handed_over_on)
    return letters, emails, costs_interest, handovers


def _difference(expected: Counter[Any], got: Counter[Any]) -> int:
    """How many things are missing or there too often."""
    return sum(abs(expected[k] - got[k]) for k in expected.keys() | got.keys())


# --- a random walk over a practice's money (R11-R24, R34, R38) ---------------------------------


def money_walk(seeds: list[int], steps: int, progress: Progress = quiet) -> Figure:
    """Per seed, ``steps`` random steps over one practice's invoices on the sandbox
    (payments, statements, stops, deferrals, arrangements, insurer retours, dunning days,
    retrocession and replays of each: tests/chaos/money_walk.py), the invariants checked after
    every step, and at the end each week's statement: its CSV against its JSON and built
    again the same. The figure counts the walks that broke one; its detail holds the first
    such walk's seed and steps, to take again with ``money_walk.walk``, and how many walks
    took each of the new money paths (a split transfer and its return, a PSP refund that
    failed, a bank refund and its return by the patient's bank, a stop's key sent again,
    a payment on the costs day before its run, a refund id recorded by hand, a webhook
    again after a refund's final status; the agency's transfer and its report before the
    invoice, a retour after an insurer's statement or a stop, an export saved again by
    Excel, a refund id corrected) and how many steps of each kind the walks drew (a step
    may find nothing to act on: no open refund, no split transfer)."""
    broken: Counter[str] = Counter()
    reached: Counter[str] = Counter()  # how many walks took each new money path
    kinds: Counter[str] = Counter()  # how many steps of each kind were drawn
    first: dict[str, Any] = {}
    for n in _tenths(len(seeds), progress):
        taken = random_steps(random.Random(seeds[n]), steps)
        kinds.update(step[0] for step in taken)
        if (found := walk(taken, reached)) is None:
            continue
        at, violation = found
        broken[violation.invariant] += 1
        first = first or {"seed": seeds[n], "violation": str(violation), "steps": taken[: at + 1]}
    return Figure(
        "random walk over a practice's invoices",
        "invariant violations",
        sum(broken.values()),
        runs=f"{len(seeds)} seeds x {steps} steps",
        detail={
            "walks_by_invariant": dict(broken),
            "walks_by_path": dict(sorted(reached.items())),
            "steps_by_kind": dict(sorted(kinds.items())),
        }
        | ({"first": first} if first else {}),
    )


# --- optimistic versions under 50 writers (R28) ------------------------------------------------


def concurrent_writers(writers: int = 50) -> Figure:
    """``writers`` Lambda instances, each with its own connection, book a payment of one
    cent on the same invoice at the same moment; each retries on ConcurrentChange as the
    PSP and SQS retry. Every payment must be in the ledger: 0 lost updates."""
    with Sandbox(TODAY) as box, _atomic_conditional_writes():
        box.upload_declaration(DENTAL.provider_id, "week-48.csv", declaration_csv(4))
        [invoice, *_] = _invoices(box, DENTAL.provider_id)
        start = threading.Barrier(writers)
        conflicts = Counter[str]()
        # A connection each, as each Lambda instance has; made here, one after the other,
        # because a boto3 session is not for threads (the resources it makes are).
        session = boto3.session.Session(region_name=REGION)
        tables = [session.resource("dynamodb").Table(box.names.table_name) for _ in range(writers)]
        threads = [
            threading.Thread(
                target=_pay_a_cent,
                args=(BillingRepository(table), box, invoice.reference, n, start, conflicts),
            )
            for n, table in enumerate(tables)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        after = box.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id)
    assert after is not None
    landed = sum(1 for p in after.applied_payments if p.startswith("bank:CHAOS-"))
    detail = {
        "conflicts_retried": conflicts["conflict"],
        "writers_failed": conflicts["failed"],
        "cents_booked": invoice.amount_due_cents - after.amount_due_cents,
    }
    return Figure(
        "50 concurrent writers on one invoice",
        "lost updates",
        writers - landed,
        runs=f"{writers} threads",
        detail=detail,
    )


def _pay_a_cent(
    repository: BillingRepository,
    box: Sandbox,
    reference: str,
    n: int,
    start: threading.Barrier,
    outcome: Counter[str],
) -> None:
    payment = IncomingPayment("bank", f"CHAOS-{n}", 1, box.clock.now())
    start.wait(timeout=60)
    for _ in range(200):
        try:
            book_payment(repository, reference, payment, clock=box.clock)
            return
        except ConcurrentChange:
            outcome["conflict"] += 1
    outcome["failed"] += 1


@contextmanager
def _atomic_conditional_writes() -> Iterator[None]:
    """DynamoDB checks a condition and writes as one step; moto checks, parses, then
    writes, so two threads can both pass the check. Give moto DynamoDB's guarantee, so
    the figure is about our versions, not about moto."""
    from moto.dynamodb.models.table import Table

    lock = threading.Lock()
    put_item = Table.put_item

    def atomic_put_item(self: Any, *args: Any, **kwargs: Any) -> Any:
        with lock:
            return put_item(self, *args, **kwargs)

    with mock.patch.object(Table, "put_item", atomic_put_item):
        yield


# --- fuzzed files (interfaces.md §1, §4) --------------------------------------------------------


def fuzzed_files(rng: random.Random, files: int = 10_000, progress: Progress = quiet) -> Figure:
    """Mutations of the real sample files (declaration CSV and Vektis, CAMT.053 bank
    statements) to the readers the ingest and the bank import use: a refusal or a
    finding is an answer; any exception is not."""
    samples = _sample_files()
    unhandled: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for _ in _tenths(files, progress):
        kind, original = rng.choice(samples)
        kinds[kind] += 1
        try:
            READERS[kind](_mutated(rng, original))
        except Exception as error:  # noqa: BLE001 -- the figure counts them, by type
            unhandled[f"{kind}: {type(error).__name__}"] += 1
    return Figure(
        "fuzzed CSV / Vektis / CAMT.053 files",
        "unhandled exceptions",
        sum(unhandled.values()),
        runs=f"{files:,} files",
        detail={"files_per_format": dict(kinds), "unhandled_by_type": dict(unhandled)},
    )


def _sample_files() -> list[tuple[str, bytes]]:
    """The sample files, each good one three times: most fuzzed files start from a file
    that reads, so the edits reach the checks behind the first."""
    files = [
        *(("csv", p) for p in (EVENTS / "declarations").rglob("*.csv")),
        *(("vektis", p) for p in (EVENTS / "declarations" / "vektis").rglob("*.*")),
        *(("camt053", p) for p in (EVENTS / "bank").rglob("*.xml")),
    ]
    return [
        (kind, path.read_bytes())
        for kind, path in sorted(files)
        for _ in range(1 if "bad" in path.parts else 3)
    ]


def _read_declaration(data: bytes) -> None:
    """As the ingest reads a practice's upload; no AGB codes to check a Vektis header
    against, so the fuzzed files of every practice are read past it."""
    parse_declaration(data, today=TODAY, max_lines=5000)


def _import_bank_statement(data: bytes) -> None:
    clock = FixedClock(datetime(2026, 11, 26, 8, tzinfo=AMSTERDAM))
    context = BankImportContext(
        FakeStore(providers=[DENTAL]), FilesInMemory(), LinksInMemory(), clock, FakeQueue()
    )
    import_statement(data, "camt053/fuzzed.xml", context)


READERS: dict[str, Callable[[bytes], None]] = {
    "csv": _read_declaration,
    "vektis": _read_declaration,
    "camt053": _import_bank_statement,
}

_INTERESTING = [
    b"", b"\x00", b";", b";;;;", b'"', b"\n", b"\r\n", b"\xff\xfe", b"\xef\xbb\xbf", b"-1",
    b"0", b"99999999999999999999", b"1e309", b"NaN", b"Infinity", b"31-02-2026", b"2026-13-45", b"<", b">",
    b"&amp;", b"<!ENTITY x SYSTEM 'file:///etc/passwd'>", b"=HYPERLINK(\"x\")", b"\xc3\x28",
    b"01", b"99", b"0" * 300, b"9" * 20, "é€ẞ".encode(), b"</Stmt>", b"<Ntry>",
]  # fmt: skip


def _mutated(rng: random.Random, data: bytes) -> bytes:
    """One to four random edits, half of them to one value (a CSV cell, a Vektis field's
    characters, an XML element's text) so that most files still read as their format
    and the edit reaches the code behind the first check; the others flip, cut, insert,
    repeat or swap lines, or truncate."""
    out = bytes(data)
    for _ in range(rng.randint(1, 4)):
        edit = rng.choice((_value_changed, _value_changed, _value_changed, _bytes_changed))
        out = edit(rng, out)
    return out


def _value_changed(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    start = max((data.rfind(c, 0, at) for c in b";>\n"), default=-1) + 1
    ends = [e for e in (data.find(c, at) for c in b";<\n") if e >= 0]
    end = min(ends, default=len(data))
    if rng.random() < 0.5 and end > start:  # keep the width (a Vektis field)
        width = rng.randint(1, end - start)
        value = rng.choice(_INTERESTING)[:width].ljust(width, b" ")
        cut = rng.randrange(start, end - width + 1)
        return data[:cut] + value + data[cut + width :]
    return data[:start] + rng.choice(_INTERESTING) + data[end:]


def _bytes_changed(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    at = rng.randrange(len(out) + 1)
    edit = rng.randrange(6)
    if edit == 0 and out:
        out[min(at, len(out) - 1)] = rng.randrange(256)
    elif edit == 1:
        del out[at : at + rng.randint(1, 40)]
    elif edit == 2:
        out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 20)))
    elif edit == 3:
        out = bytearray(_lines_shuffled(rng, bytes(out)))
    elif edit == 4:
        del out[at:]
    else:
        lines = bytes(out).split(b"\n")
        out = bytearray(b"\n".join([*lines, *[rng.choice(lines)] * rng.randint(1, 50)]))
    return bytes(out)


def _lines_shuffled(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


# --- the patient checker and API (R10, R29) ------------------------------------------------------


def random_references(
    rng: random.Random, count: int = 10_000, progress: Progress = quiet
) -> Figure:
    """References from nothing, real ones, real ones one digit off and garbage, to the
    payment-status API and the checker page (with a wrong birth date on the form): no
    answer may hold a personal field of any invoice (name, BSN, birth date, e-mail,
    address, mobile)."""
    with Sandbox(TODAY) as box:
        box.upload_declaration(DENTAL.provider_id, "week-48.csv", declaration_csv(30))
        box.upload_declaration(PHYSIO.provider_id, "week-48.csv", declaration_csv(30, seed=5))
        invoices = [*_invoices(box, DENTAL.provider_id), *_invoices(box, PHYSIO.provider_id)]
        practices = [box.runtime.repository.get_provider(p.provider_id) for p in box.providers]
        personal = _personal_values(
            invoices, [json.dumps(p.model_dump(mode="json")) for p in practices if p]
        )
        real = [invoice.reference for invoice in invoices]
        leaks: Counter[str] = Counter()
        statuses: Counter[int] = Counter()
        for _ in _tenths(count, progress):
            status, text = _ask(box, rng, _a_reference(rng, real))
            statuses[status // 100 * 100] += 1
            leaks.update(
                kind for kind, values in personal.items() if any(v in text for v in values)
            )
    return Figure(
        "random references on the checker and API",
        "personal fields returned",
        sum(leaks.values()),
        runs=f"{count:,} requests",
        detail={
            "answers_by_status": {f"{k // 100}xx": v for k, v in sorted(statuses.items())},
            "leaks_by_field": dict(leaks),
        },
    )


def fuzzed_queries(rng: random.Random, count: int = 5_000, progress: Progress = quiet) -> Figure:
    """Every GET route of the provider and operator APIs asked with garbled queries (some of
    its parameters and at times one it does not declare, each value a few of QUERY_PIECES
    or random characters): no answer may be a 5xx (interfaces.md §2: "never a stack trace";
    inputs54). The short sample with hypothesis is tests/functional/test_query_inputs.py."""
    statuses: Counter[int] = Counter()
    failed: list[dict[str, Any]] = []
    with Sandbox(TODAY) as box:
        routes = query_routes(box)
        for _ in _tenths(count, progress):
            route = rng.choice(routes)
            query = {name: _query_value(rng) for name in route.parameters if rng.random() < 0.6}
            if rng.random() < 0.1:
                query[_query_value(rng) or "x"] = _query_value(rng)
            answer = box.api_raw("GET", route.path, caller=CALLERS[route.api], query=query)
            statuses[answer["statusCode"]] += 1
            if answer["statusCode"] >= 500 and len(failed) < 10:
                failed.append({"path": route.path, "query": query})
    return Figure(
        "fuzzed query parameters on the provider and operator APIs",
        "5xx answers",
        sum(n for status, n in statuses.items() if status >= 500),
        runs=f"{count:,} requests",
        detail={"answers_by_status": dict(sorted(statuses.items())), "first_5xx": failed},
    )


def _query_value(rng: random.Random) -> str:
    if rng.random() < 0.2:  # any character of the first planes, surrogates left out
        return "".join(chr(rng.choice((rng.randrange(0x20, 0x7F), rng.randrange(0xD800))))
                       for _ in range(rng.randint(0, 20)))  # fmt: skip
    return "".join(rng.choice(QUERY_PIECES) for _ in range(rng.randint(0, 4)))


def _personal_values(invoices: list[Invoice], public: list[str]) -> dict[str, set[str]]:
    """What R29 keeps from a stranger, in the spellings an answer could carry; a value
    that is also in a practice's public details (a patient named De Vries at
    Tandartspraktijk De Vries) is looked for only in its longer forms."""
    values: dict[str, set[str]] = {
        "name": set(), "bsn": set(), "birth_date": set(), "email": set(), "address": set(),
        "mobile": set(),
    }  # fmt: skip
    for invoice in invoices:
        for person in filter(None, (invoice.patient, invoice.debtor)):
            values["name"].update({person.display_name, person.last_name})
            values["email"].add(person.email)
            values["mobile"].add(person.mobile)
            values["address"].update({person.address.street, person.address.postcode})
        values["bsn"].add(invoice.bsn)
        born = invoice.birth_date
        values["birth_date"].update({born.isoformat(), f"{born:%d-%m-%Y}", f"{born:%d/%m/%Y}"})
    return {
        kind: {v for v in found if len(v) >= 4 and not any(v in text for text in public)}
        for kind, found in values.items()
    }


def _a_reference(rng: random.Random, real: list[str]) -> str:
    pick = rng.random()
    if pick < 0.3:
        return rng.choice(real)
    if pick < 0.5:
        digits = list(rng.choice(real))
        digits[rng.randrange(len(digits))] = str(rng.randrange(10))
        return "".join(digits)
    if pick < 0.7:
        return "".join(str(rng.randrange(10)) for _ in range(rng.choice((14, 16, 7, 30))))
    if pick < 0.85:
        spaced = rng.choice(real)
        return " ".join(spaced[i : i + 4] for i in range(0, len(spaced), 4))
    alphabet = "abcXYZ0123456789 -_./%?#&=<>'\"\\;é€\u202e\x00"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))


def _ask(box: Sandbox, rng: random.Random, reference: str) -> tuple[int, str]:
    """One request, by one of three doors (the API, the page, the page's birth-date form
    with a wrong birth date); its status and its whole text."""
    door = rng.randrange(3)
    if door == 0:
        answer = box.api_raw("GET", f"/api/v1/payment-status/{quote(reference, safe='')}")
    elif door == 1:
        answer = box.api_raw("GET", "/", query={"kenmerk": reference[:40]})
    else:
        # Never a real one: the sample patients are born 1950-2009 (local/generate.py).
        wrong = date(rng.randint(1900, 1949), rng.randint(1, 12), rng.randint(1, 28))
        form = {"action": "unlock", "kenmerk": reference, "birth_date": wrong.isoformat()}
        answer = box.api_raw(
            "POST",
            "/",
            body=urlencode(form),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    return answer["statusCode"], f"{answer.get('body') or ''}{answer.get('headers') or ''}"
