"""The practice's own audit of reads, per patient (R32, NEN 7513, Wabvpz): the care
provider tells a patient who read their data and when; the operator asks the same."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from billing_core.providers.actions import ActionKind, OpenAction
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.inputs import InvalidInput
from billing_core.services.operator.audit import list_reads, reads_of_provider
from billing_core.services.operator.context import BackOfficeContext
from billing_core.services.provider.audit import every_practice_read, practice_reads, readers
from billing_core.services.provider.context import ProviderContext
from billing_core.shared.audit import Reader, ReadKind, ReadRecord, reads_csv
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.shared.errors import Forbidden
from tests.unit.factories import REFERENCE, make_invoice, make_provider
from tests.unit.fake_store import (
    AuditInMemory,
    FakeQueue,
    FakeStore,
    FilesInMemory,
    practice_context,
)
from tests.unit.payment_fakes import LinksInMemory

NOW = datetime(2026, 12, 1, 14, 5, tzinfo=AMSTERDAM)
TODAY = NOW.date()
PRACTICE = "tandarts-de-vries"
ADMIN = ProviderUser(PRACTICE, "admin-sub", Role.ADMIN)
PATIENT = "P-004711"  # make_invoice's patient: invoice inv-1, kenmerk REFERENCE, upload D-1


def practice(audit: AuditInMemory) -> ProviderContext:
    """inv-1 of the patient (upload D-1, an objection obj-1), inv-2 of another (D-2)."""
    mine = make_invoice(invoice_id="inv-1", declaration_id="D-1")
    other = make_invoice(
        invoice_id="inv-2", patient_ref="P-9", declaration_id="D-2", reference="9" * 14
    )
    store = FakeStore([mine, other], [make_provider()])
    store.put_action(OpenAction("obj-1", PRACTICE, ActionKind.OBJECTION, "inv-1", REFERENCE, NOW))
    return practice_context(store, FixedClock(NOW), audit=audit)


def read(subject: str, kind: ReadKind, *, minutes: int, who: str = "viewer-sub") -> ReadRecord:
    role = "operators" if who.startswith("operator") else "viewer"
    at = NOW - timedelta(minutes=minutes)
    return ReadRecord(at, PRACTICE, who, role, kind, subject)


THE_PATIENT_S = [
    ("inv-1", ReadKind.INVOICE),
    ("inv-1:1:first_reminder", ReadKind.LETTER),
    ("patient:P-004711", ReadKind.INVOICE_LIST),
    ("by_name invoice:inv-2 invoice:inv-1", ReadKind.INVOICE_LIST),
    ("actions action:obj-1 invoice:inv-1", ReadKind.PATIENT_LIST),
    ("obj-1", ReadKind.ACTION),
    ("declaration:D-1", ReadKind.EXPORT),
    (f"RF-1 kenmerk:{REFERENCE}", ReadKind.REFUND_BATCH),
    ("blocked patient:P-9 patient:P-004711", ReadKind.PATIENT_LIST),
]
OTHERS = [
    ("inv-2", ReadKind.INVOICE),
    ("patient:P-9", ReadKind.INVOICE_LIST),
    ("declaration:D-2", ReadKind.EXPORT),
    ("retrocession:2026-W48.csv", ReadKind.EXPORT),
]


def recorded(audit: AuditInMemory) -> AuditInMemory:
    """THE_PATIENT_S and OTHERS interleaved, the patient's by an operator too, and another
    practice's read of an invoice with the same id."""
    subjects = [s for pair in zip(THE_PATIENT_S, OTHERS * 3, strict=False) for s in pair]
    for n, (subject, kind) in enumerate(subjects):
        who = "operator-1" if subject == "inv-1" else "viewer-sub"
        audit.record_read(read(subject, kind, minutes=60 - n, who=who))
    audit.record_read(ReadRecord(NOW, "other-practice", "x", "admin", ReadKind.INVOICE, "inv-1"))
    return audit


def test_an_admin_lists_the_reads_that_concern_one_patient_and_that_listing_is_a_read():
    """R32, NEN 7513. Given the practice's reads of the patient's number, invoice (also in
    a letter, a list, a refund batch by kenmerk), action and upload, mixed with reads of
    another patient's and another practice's read of an invoice id 'inv-1'
    When the admin lists the reads of today for patient P-004711
    Then exactly the patient's nine come, oldest first, not the other practice's; and the
    listing itself is recorded as a read of the audit naming the period and the patient."""
    audit = recorded(AuditInMemory())
    ctx = practice(audit)

    page = practice_reads(ADMIN, TODAY, TODAY, ctx, patient_ref=f" {PATIENT} ")

    assert [(r.subject, r.kind) for r in page.records] == THE_PATIENT_S
    assert {r.provider_id for r in page.records} == {PRACTICE}
    assert page.next_position is None
    assert audit.records[-1] == ReadRecord(
        NOW, PRACTICE, "admin-sub", "admin", ReadKind.AUDIT, f"{TODAY}..{TODAY} patient:{PATIENT}"
    )


def test_a_patient_s_reads_come_in_pages_of_at_most_limit_each_once():
    """R32. Given the same reads, When the admin pages through the patient's two at a
    time, Then no page holds more than two, and the nine come each once, in order."""
    ctx = practice(recorded(AuditInMemory()))
    pages, after = [], None
    while True:
        page = list_reads(
            PRACTICE,
            TODAY,
            TODAY,
            ctx.audit,
            ctx.store,
            now=NOW,
            limit=2,
            after=after,
            patient_ref=PATIENT,
        )
        pages.append(page.records)
        if (after := page.next_position) is None:
            break
    assert all(len(p) <= 2 for p in pages)
    assert [(r.subject, r.kind) for p in pages for r in p] == THE_PATIENT_S


@pytest.mark.parametrize("role", [Role.STAFF, Role.VIEWER])
def test_staff_and_viewers_may_not_read_the_audit(role):
    """R32: the audit is the admin's (interfaces.md §7 roles). Given a staff member or a
    viewer, When they ask, Then it is refused and nothing is read or recorded."""
    audit = recorded(AuditInMemory())
    before = list(audit.records)
    with pytest.raises(Forbidden):
        practice_reads(ProviderUser(PRACTICE, "u", role), TODAY, TODAY, practice(audit))
    assert audit.records == before


def test_a_period_of_more_than_366_days_is_refused():
    """Given a period of 367 days, Then InvalidInput names the 366 most; 366 is fine."""
    ctx = practice(AuditInMemory())
    with pytest.raises(InvalidInput) as refused:
        practice_reads(ADMIN, date(2025, 12, 1), date(2026, 12, 2), ctx)
    assert refused.value.values == {"most": 366}
    assert practice_reads(ADMIN, date(2025, 12, 2), date(2026, 12, 2), ctx).records == []


def test_the_csv_names_who_by_e_mail_or_zorgnota_on_the_dutch_clock():
    """R32, R35. Given a colleague's read and an operator's read of the patient's invoice,
    When the admin downloads the patient's reads, Then each row tells who (the colleague's
    e-mail, "zorgnota" for the operator), the Dutch time with its offset, no names."""
    audit = AuditInMemory()
    ctx = practice(audit)
    colleague = ctx.users.invite(PRACTICE, "assistent@praktijk.nl", Role.VIEWER)
    audit.record_read(read("inv-1", ReadKind.INVOICE, minutes=5, who=colleague.user_id))
    audit.record_read(read("inv-1", ReadKind.INVOICE, minutes=4, who="operator-1"))

    found = every_practice_read(ADMIN, TODAY, TODAY, ctx, patient_ref=PATIENT)
    text = reads_csv(found, readers(found, ADMIN, ctx))

    assert text.splitlines() == [
        "at;by;user_id;role;kind;subject",
        f"2026-12-01T14:00:00+01:00;assistent@praktijk.nl;{colleague.user_id};viewer;invoice;inv-1",
        "2026-12-01T14:01:00+01:00;zorgnota;operator-1;operators;invoice;inv-1",
    ]
    assert audit.records[-1].kind is ReadKind.AUDIT


def test_a_csv_longer_than_its_pages_asks_for_a_shorter_period(monkeypatch):
    """R35 (one request stays bounded). Given a file of at most one page of 500 reads and
    501 reads of the day, When the admin downloads them, Then InvalidInput asks for a
    shorter period, in Dutch and English, and no listing is recorded."""
    from billing_core.services.provider import audit as practice_audit

    monkeypatch.setattr(practice_audit, "CSV_PAGES", 1)
    audit = AuditInMemory()
    for n in range(501):
        audit.record_read(read("inv-2", ReadKind.INVOICE, minutes=n % 600))
    with pytest.raises(InvalidInput) as refused:
        every_practice_read(ADMIN, TODAY, TODAY, practice(audit))
    assert refused.value.message == (
        "te veel lezingen in deze periode voor één bestand: vraag een kortere periode"
        " / too many reads in this period for one file: ask for a shorter period"
    )
    assert len(audit.records) == 501


def reads_of_the_operator(ctx: ProviderContext, typed: str) -> None:
    operator = Reader("operator-1", "operators")
    back_office = BackOfficeContext(
        ctx.store, FilesInMemory(), LinksInMemory(ctx.store), ctx.audit, FakeQueue(),
        ctx.clock, operator,
    )  # fmt: skip
    reads_of_provider(PRACTICE, TODAY, TODAY, back_office, patient_ref=typed)


@pytest.mark.parametrize(
    ("listing", "who"),
    [
        (lambda ctx, typed: practice_reads(ADMIN, TODAY, TODAY, ctx, patient_ref=typed), "admin-sub"),
        (lambda ctx, typed: every_practice_read(ADMIN, TODAY, TODAY, ctx, patient_ref=typed), "admin-sub"),
        (reads_of_the_operator, "operator-1"),
    ],
    ids=["practice_reads", "every_practice_read", "reads_of_provider"],
)  # fmt: skip
def test_a_number_refused_in_another_case_is_recorded_as_a_read_of_the_patient_it_names(
    listing, who
):
    """R32, NEN 7513 (audit access51b). Given the practice's invoice of P-004711
    When the admin (a page, the CSV) or an operator lists the reads of p-004711
    Then it is refused naming P-004711, which tells the reader that this patient has
    invoices here: the listing is recorded, naming the period, the number asked and the
    one found."""
    audit = AuditInMemory()
    ctx = practice(audit)
    with pytest.raises(InvalidInput) as refused:
        listing(ctx, PATIENT.lower())
    assert refused.value.said_as == "patient_ref_case"
    assert [(r.user_id, r.kind, r.subject) for r in audit.records] == [
        (who, ReadKind.AUDIT, f"{TODAY}..{TODAY} patient:{PATIENT.lower()} patient:{PATIENT}")
    ]


def test_a_walk_through_a_period_ending_today_finds_a_read_of_an_invoice_issued_during_it():
    """R32, NEN 7513 (audit access51b: the patient's filter was kept 300 s for the pages
    after the first). Given the patient's reads of today, When the admin walks through
    them two a page (each page's listing is a read of the patient too, at the end: one a
    page would trail its own) and, after the first page, the patient is issued a new
    invoice which a viewer opens, Then the walk finds that read too."""
    audit = recorded(AuditInMemory())
    ctx = practice(audit)
    page = practice_reads(ADMIN, TODAY, TODAY, ctx, patient_ref=PATIENT, limit=2)
    new = make_invoice(invoice_id="inv-new", declaration_id="D-3", reference="8" * 14)
    ctx.store.put_invoice_as_is(new)  # as the second upload issues it
    audit.record_read(read("inv-new", ReadKind.INVOICE, minutes=0))
    walked = list(page.records)
    while page.next_position is not None:
        page = practice_reads(
            ADMIN, TODAY, TODAY, ctx, patient_ref=PATIENT, limit=2, after=page.next_position
        )
        walked += page.records
    assert ("inv-new", ReadKind.INVOICE) in [(r.subject, r.kind) for r in walked]


def test_a_walk_through_an_ended_period_builds_the_patient_s_filter_once():
    """audit5 (1 + n requests a page at n invoices): Given the patient's reads of
    yesterday, When the admin walks through them a read a page the day after, Then the
    patient's invoices are read for the first page only, the filter kept for the others."""
    yesterday = TODAY - timedelta(days=1)
    audit = AuditInMemory()
    for n, (subject, kind) in enumerate(THE_PATIENT_S):
        audit.record_read(read(subject, kind, minutes=24 * 60 + 10 - n))
    ctx = practice(audit)
    pages, after = 0, None
    while True:
        page = practice_reads(
            ADMIN, yesterday, yesterday, ctx, patient_ref=PATIENT, limit=1, after=after
        )
        pages += 1
        if (after := page.next_position) is None:
            break
    assert pages >= len(THE_PATIENT_S)
    assert ctx.store.calls.count("list_invoices") == 1


def test_a_walk_through_a_period_ending_today_reads_the_patient_s_invoices_once():
    """R32, NEN 7513 (audit access52: each page of a period ending today built the
    patient's filter anew, 1 + n requests at n invoices). Given the patient's reads and
    others' of today, written before the walk (the last 42 minutes ago), When the admin
    walks through them two a page (each page's listing, a read naming the patient, is
    written as the walk goes: one a page would trail its own), Then the patient's invoices and actions are read for the
    first page only: no read the walk meets may name one issued since."""
    ctx = practice(recorded(AuditInMemory()))
    pages, after = 0, None
    while True:
        page = practice_reads(ADMIN, TODAY, TODAY, ctx, patient_ref=PATIENT, limit=2, after=after)
        pages += 1
        if (after := page.next_position) is None:
            break
    assert pages >= len(THE_PATIENT_S) // 2
    assert ctx.store.calls.count("list_invoices") == 1
    assert ctx.store.calls.count("invoice_actions") == 1  # the patient's one invoice


def test_a_page_that_meets_another_s_read_written_since_the_filter_builds_it_anew():
    """R32 (access51b, access52). Given the patient's filter built by a first page, When a
    read of an invoice it does not name is written after it (another patient's, or one
    issued to the patient since) and a later page meets it, Then that page builds the
    filter anew, once, and finds the patient's new invoice's read; pages of older reads
    do not."""
    audit = recorded(AuditInMemory())
    ctx = practice(audit)
    page = practice_reads(ADMIN, TODAY, TODAY, ctx, patient_ref=PATIENT, limit=2)
    new = make_invoice(invoice_id="inv-new", declaration_id="D-3", reference="8" * 14)
    ctx.store.put_invoice_as_is(new)
    audit.record_read(read("inv-2", ReadKind.INVOICE, minutes=0))
    audit.record_read(read("inv-new", ReadKind.INVOICE, minutes=0))
    walked = list(page.records)
    while page.next_position is not None:
        page = practice_reads(
            ADMIN, TODAY, TODAY, ctx, patient_ref=PATIENT, limit=2, after=page.next_position
        )
        walked += page.records
    subjects = [r.subject for r in walked]
    assert "inv-new" in subjects and "inv-2" not in subjects
    assert ctx.store.calls.count("list_invoices") == 2


def test_the_csv_holds_the_reads_up_to_its_own_moment_the_same_with_or_without_a_patient(
    monkeypatch,
):
    """R32, NEN 7513 (audit access52b: the file's patient filter is built once, as the
    request starts; a read written while the file was read, of an upload of the patient's
    issued meanwhile, was in the practice's file but not in the patient's). Given pages of
    one read and the patient's read of inv-1
    When, while the admin downloads the day's reads, a colleague opens the processing
    report of an upload D-9 that issued the patient an invoice a moment later
    Then neither file holds that read (it is after the file's moment; the next file has
    it, in the patient's too): each holds the reads up to the moment it was asked for."""
    from billing_core.services.provider import audit as practice_audit

    monkeypatch.setattr(practice_audit, "MAX_AUDIT_PAGE", 1)
    audit = AuditInMemory()
    ctx = practice(audit)
    audit.record_read(read("inv-1", ReadKind.INVOICE, minutes=5))
    reads = audit.reads

    def a_read_during_the_file(*args, **kwargs):
        if not any(r.subject == "declaration:D-9" for r in audit.records):
            ctx.store.put_invoice_as_is(make_invoice(invoice_id="inv-9", declaration_id="D-9"))
            later = NOW + timedelta(seconds=1)
            audit.record_read(
                replace(read("declaration:D-9", ReadKind.EXPORT, minutes=0), at=later)
            )
        return reads(*args, **kwargs)

    monkeypatch.setattr(audit, "reads", a_read_during_the_file)
    patient_s = every_practice_read(ADMIN, TODAY, TODAY, ctx, patient_ref=PATIENT)
    whole = every_practice_read(ADMIN, TODAY, TODAY, ctx)

    assert [r.subject for r in patient_s] == ["inv-1"]
    assert [r.subject for r in whole if r.kind is not ReadKind.AUDIT] == ["inv-1"]
    monkeypatch.setattr(audit, "reads", reads)
    ctx = replace(ctx, clock=FixedClock(NOW + timedelta(seconds=2)))
    again = every_practice_read(ADMIN, TODAY, TODAY, ctx, patient_ref=PATIENT)
    assert [r.subject for r in again if r.kind is not ReadKind.AUDIT] == [
        "inv-1",
        "declaration:D-9",
    ]
