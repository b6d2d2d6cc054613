"""The audit of reads (R32, NEN 7513): every read of an invoice, a patient list or an
export by a provider user is recorded by the service itself (who, role, provider, kind,
id, when — never the data), so the API and the portal cannot differ."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, datetime
from types import SimpleNamespace

import pytest

from billing_core.declarations.claims import Claim, LineType
from billing_core.declarations.insurer_claims import export_per_insurer
from billing_core.declarations.invoicing import InsurerClaimLine
from billing_core.invoices.listing import InvoiceFilter
from billing_core.providers.actions import ActionKind, OpenAction
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.provider import insurer_claims
from billing_core.services.provider.actions import get_action, list_actions_page
from billing_core.services.provider.blocked_patients import block_changes_since, blocked_patients
from billing_core.services.provider.context import ProviderContext
from billing_core.services.provider.insurer_claims import insurer_claim_exports
from billing_core.services.provider.invoices import invoice_detail, list_invoices
from billing_core.shared.audit import IDS_PER_RECORD, Reader, ReadKind, ReadRecord, records_of
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.shared.stored_files import FilePage
from billing_core.texts.portal import portal_texts
from billing_core.texts.reads import read_words
from tests.unit.factories import BSN, make_invoice, make_person, make_provider
from tests.unit.fake_store import (
    AuditInMemory,
    FakeStore,
    FilesInMemory,
    practice_context,
)

NOW = datetime(2026, 12, 1, 14, 5, tzinfo=AMSTERDAM)
PRACTICE = "tandarts-de-vries"
VIEWER = ProviderUser(PRACTICE, "user-sub-1", Role.VIEWER)


def practice_user(audit: AuditInMemory) -> ProviderContext:
    store = FakeStore([make_invoice(invoice_id="inv-1")], [make_provider()])
    return practice_context(store, FixedClock(NOW), audit=audit)


def test_opening_an_invoice_records_who_read_which_invoice_and_when():
    """Given a viewer of the practice, when they open invoice inv-1 and then an id the
    practice does not have, then the audit holds one read: theirs, of inv-1 and its
    patient (by number: R32, access52b), now."""
    audit = AuditInMemory()
    ctx = practice_user(audit)

    assert invoice_detail(VIEWER, "inv-1", ctx) is not None
    assert invoice_detail(VIEWER, "inv-404", ctx) is None

    assert audit.records == [
        ReadRecord(
            NOW, PRACTICE, "user-sub-1", "viewer", ReadKind.INVOICE, "inv-1 patient:P-004711"
        )
    ]


def test_a_list_of_invoices_and_the_blocked_patients_are_recorded_without_their_data():
    """Given the same viewer, when they list one patient's invoices and the blocked
    patients, then both reads are recorded by kind, the first naming the patient number
    asked for, and no name, amount or address is in any record."""
    audit = AuditInMemory()
    ctx = practice_user(audit)

    list_invoices(VIEWER, InvoiceFilter(patient_ref="P-17"), 25, None, ctx)
    blocked_patients(VIEWER, ctx)

    assert [(r.kind, r.subject) for r in audit.records] == [
        (ReadKind.INVOICE_LIST, "patient:P-17"),
        (ReadKind.PATIENT_LIST, "blocked"),
    ]
    invoice = make_invoice()
    for record in audit.records:
        assert invoice.patient.display_name not in repr(record)


def test_a_page_of_invoices_names_each_patient_on_it_once_in_its_one_record():
    """R32, NEN 7513, legal-nl.md §8 (audit access51b). Given three invoices, two of
    patient P-1 (the newest) and one of P-2, When a viewer lists the practice's invoices
    two a page, and searches by P-1's name, Then each page is one record naming each of its
    patients once (found by their number once the invoices are deleted) and every invoice,
    never the name typed; and the access log says those patients."""
    p1_name = make_invoice().patient
    p2_name = replace(p1_name, last_name="Bakker")
    invoices = [
        make_invoice(invoice_id=f"inv-{n}", reference=str(n) * 14, patient_ref=ref,
                     patient=person, issue_date=date(2026, 11, 30 - n))
        for n, ref, person in ((1, "P-1", p1_name), (2, "P-1", p1_name), (3, "P-2", p2_name))
    ]  # fmt: skip
    audit = AuditInMemory()
    ctx = practice_context(FakeStore(invoices, [make_provider()]), FixedClock(NOW), audit=audit)

    first = list_invoices(VIEWER, InvoiceFilter(), 2, None, ctx)
    list_invoices(VIEWER, InvoiceFilter(), 2, first.next_position, ctx)
    list_invoices(VIEWER, InvoiceFilter(patient_name=p1_name.last_name), 25, None, ctx)

    subjects = [r.subject for r in audit.records]
    assert subjects == [
        "patient:P-1 invoice:inv-1 invoice:inv-2",
        "patient:P-2 invoice:inv-3",
        "patient:P-1 by_name invoice:inv-1 invoice:inv-2",
    ]
    english = portal_texts("en")
    assert [read_words(r.kind, r.subject, english)[0] for r in audit.records] == [
        "Invoices (2): patient P-1",
        "Invoices (1): patient P-2",
        "Invoices (2), searched by name: patient P-1",
    ]


def test_the_patient_lists_name_every_patient_and_invoice_they_show():
    """R32, NEN 7513 (audit audit7513: "who read my data" must find these reads, as the
    invoice list's record names its invoices, audit ROLES2). Given a practice with one
    blocked patient P-17 (claim inv-1) and an objection on inv-1, when a viewer lists the
    blocked patients, the block changes and the actions, then each record names what it
    showed by number and id (patient:P-17, the action and invoice:inv-1), never a name."""
    audit = AuditInMemory()
    ctx = practice_user(audit)
    ctx.store.block_patient(PRACTICE, "P-17", "inv-1", NOW)
    objection = OpenAction("objection-1", PRACTICE, ActionKind.OBJECTION, "inv-1", "3" * 14, NOW)
    ctx.store.put_action(objection)

    blocked_patients(VIEWER, ctx)
    block_changes_since(VIEWER, "2026-11-01T00:00:00", ctx)
    list_actions_page(VIEWER, None, 100, None, ctx)

    assert [(r.kind, r.subject) for r in audit.records] == [
        (ReadKind.PATIENT_LIST, "blocked patient:P-17"),
        (ReadKind.PATIENT_LIST, "block_changes patient:P-17"),
        (ReadKind.PATIENT_LIST, "actions patient:P-004711 action:objection-1 invoice:inv-1"),
    ]


def test_the_actions_list_names_the_patient_of_each_action_s_invoice_in_its_one_record():
    """R32, NEN 7513, legal-nl.md §8 (audit access52: the list's record named actions and
    invoices only, so a search of the access log by patient missed it once the invoices
    were gone). Given actions on three invoices of patients P-1 (two) and P-2, one on an
    invoice since deleted, and one about no invoice (a returned payout), When a viewer
    lists the actions, Then its one record names P-1 and P-2 once each, before every
    action and invoice, read in one request of the invoices' numbers (none whole); and
    the access log says those patients."""
    invoices = [
        make_invoice(invoice_id=f"inv-{n}", reference=str(n) * 14, patient_ref=ref)
        for n, ref in ((1, "P-1"), (2, "P-2"), (3, "P-1"))
    ]
    audit = AuditInMemory()
    ctx = practice_context(FakeStore(invoices, [make_provider()]), FixedClock(NOW), audit=audit)
    on = [*(i.invoice_id for i in invoices), "inv-gone", ""]
    for n, invoice_id in enumerate(on):
        action = OpenAction(f"a-{n}", PRACTICE, ActionKind.OBJECTION, invoice_id, "", NOW)
        ctx.store.put_action(action)
    ctx.store.calls.clear()

    list_actions_page(VIEWER, None, 100, None, ctx)

    [record] = audit.records
    assert record.subject == (
        "actions patient:P-1 patient:P-2 action:a-0 invoice:inv-1 action:a-1 invoice:inv-2"
        " action:a-2 invoice:inv-3 action:a-3 invoice:inv-gone action:a-4"
    )
    assert ctx.store.calls == ["action_page", "patient_numbers"]
    english = portal_texts("en")
    assert read_words(record.kind, record.subject, english)[0] == ("Actions (5): patients P-1, P-2")


def test_an_action_made_about_an_invoice_keeps_its_patient_and_its_reads_read_no_invoice():
    """R32, NEN 7513, R23 (stop 52: naming the patient of an action's read cost a read of
    its invoice, one more request to open or mark done an action, which the provider
    invoice tests pin at one GetItem and one UpdateItem). Given an objection made about
    patient P-1's invoice, When a viewer lists the actions and opens it, Then both records
    name P-1, and neither read the invoice's number (an action stored before it kept the
    number still has it read, above)."""
    invoice = make_invoice(invoice_id="inv-1", reference="1" * 14, patient_ref="P-1")
    audit = AuditInMemory()
    ctx = practice_context(FakeStore([invoice], [make_provider()]), FixedClock(NOW), audit=audit)
    action = OpenAction.about(invoice, ActionKind.OBJECTION, "a-1", NOW, {})
    ctx.store.put_action(action)
    ctx.store.calls.clear()

    list_actions_page(VIEWER, None, 100, None, ctx)
    get_action(VIEWER, "a-1", ctx)

    listed, opened = audit.records
    assert listed.subject == "actions patient:P-1 action:a-1 invoice:inv-1"
    assert opened.subject == "a-1 patient:P-1"
    assert "patient_numbers" not in ctx.store.calls


def test_the_credits_held_name_each_practice_s_patients_in_its_own_record():
    """R32, NEN 7513 (audit access52: the list's records named invoices only). Given
    credit held on two invoices of patient P-1 and one of P-2 of practice a, and one of
    P-1 of practice b (another patient with the same number), When an operator's answer
    shows them, Then each practice's one record names its own patients once each, before
    its invoices, and no other practice's."""
    from billing_core.services.operator.money_out import HeldCredit, held_shown

    held = [
        HeldCredit("a", "inv-1", "1" * 14, 500, 500, patient_ref="P-1"),
        HeldCredit("b", "inv-9", "9" * 14, 500, 500, patient_ref="P-1"),
        HeldCredit("a", "inv-2", "2" * 14, 500, 500, patient_ref="P-2"),
        HeldCredit("a", "inv-3", "3" * 14, 500, 500, patient_ref="P-1"),
    ]
    audit = AuditInMemory()
    context = SimpleNamespace(audit=audit, clock=FixedClock(NOW))

    assert held_shown(held, OPERATOR, context) == held  # type: ignore[arg-type]

    assert [(r.provider_id, r.subject) for r in audit.records] == [
        ("a", "held_credits patient:P-1 patient:P-2 invoice:inv-1 invoice:inv-2 invoice:inv-3"),
        ("b", "held_credits patient:P-1 invoice:inv-9"),
    ]


def insurer_claim_file(*patient_refs: str) -> bytes:
    """An export of one VGZ (7095) line for each patient number, as the ingest writes it."""
    lines = [
        InsurerClaimLine(
            Claim(
                *(number, f"R{number}", patient_ref, BSN, date(1984, 3, 7), make_person()),
                *(None, "7095", "P1", date(2026, 11, 2), None, "M61", "materiaal"),
                *(LineType.MATERIAL, 1, 2425),
            ),
            "vgz_material",
        )
        for number, patient_ref in enumerate(patient_refs, start=1)
    ]
    [body] = export_per_insurer(make_provider(), lines).values()
    return body


def test_the_insurer_claim_exports_name_each_patient_and_upload_whose_file_they_hand_out():
    """R32, NEN 7513, R5 (audit audit7513, reads57): each link hands out a file of patients'
    BSNs and birth dates, so a patient's reads must find it even when no invoice of theirs
    names the upload. Given the export of upload D-1 for VGZ (7095) with lines of P-1,
    P-2 (twice) and of a number that starts a formula (written as text: '-P3), and D-2's
    of P-4, When a viewer lists the exports, Then the one record names each patient once
    by the number the practice gave, in the files' order, then both uploads."""
    audit = AuditInMemory()
    ctx = practice_user(audit)
    body = insurer_claim_file("P-1", "P-2", "P-2", "-P3")
    assert b"'-P3" in body  # the file holds the escaped number: the read names the given one
    ctx.files.put(f"insurer-claims/{PRACTICE}/7095/D-1.csv", body, "text/csv")
    ctx.files.put(f"insurer-claims/{PRACTICE}/7095/D-2.csv", insurer_claim_file("P-4"), "text/csv")

    insurer_claim_exports(VIEWER, "", 10, None, ctx)

    assert [(r.kind, r.subject) for r in audit.records] == [
        (
            ReadKind.EXPORT,
            "insurer-claims:* patient:P-1 patient:P-2 patient:-P3 patient:P-4"
            " declaration:D-1 declaration:D-2",
        )
    ]


class DeletedAfterListing(FilesInMemory):
    """The output bucket whose lifecycle rule deletes ``gone`` (the end of its retention,
    legal-nl.md §8) just after a listing named it, before the listing reads it."""

    def __init__(self, *gone: str) -> None:
        super().__init__()
        self.gone = gone

    def list_files(self, prefix: str, start_after: str, limit: int) -> FilePage:
        page = super().list_files(prefix, start_after, limit)
        for key in self.gone:
            self.delete(key)
        return page


def test_an_export_deleted_between_the_listing_and_its_read_is_not_handed_out():
    """R5, R32, NEN 7513 (data58): Given VGZ's exports of uploads D-1 (P-1), D-2 (P-2) and
    D-3 (P-3), and the bucket's retention deleting D-2's right after the listing named it
    When a viewer lists the exports
    Then D-1 and D-3 are listed with their links, D-2 is not (before: listed with a link
    S3 answers 404 NoSuchKey), and the read names D-1's and D-3's patients and uploads
    only (before: "declaration:D-2" too, a file nobody was handed)."""
    audit = AuditInMemory()
    gone = f"insurer-claims/{PRACTICE}/7095/D-2.csv"
    files = DeletedAfterListing(gone)
    ctx = practice_context(
        FakeStore([], [make_provider()]), FixedClock(NOW), audit=audit, files=files
    )
    for upload, patient in (("D-1", "P-1"), ("D-2", "P-2"), ("D-3", "P-3")):
        key = f"insurer-claims/{PRACTICE}/7095/{upload}.csv"
        files.put(key, insurer_claim_file(patient), "text/csv")

    page = insurer_claim_exports(VIEWER, "", 10, None, ctx)

    assert [(e.declaration_id, e.download_url) for e in page.exports] == [
        ("D-1", f"memory://insurer-claims/{PRACTICE}/7095/D-1.csv?expires=300"),
        ("D-3", f"memory://insurer-claims/{PRACTICE}/7095/D-3.csv?expires=300"),
    ]
    assert page.next_after is None
    assert [r.subject for r in audit.records] == [
        "insurer-claims:* patient:P-1 patient:P-3 declaration:D-1 declaration:D-3"
    ]


class FirstReadAnsweredLast(FilesInMemory):
    """The output bucket where the read of D-1 answers only once D-2 has been read (at
    most 5 seconds later): reads one after another wait those 5 seconds and fail."""

    def __init__(self) -> None:
        super().__init__()
        self.second_read = threading.Event()
        self.answered: list[str] = []

    def get(self, key: str) -> bytes:
        if key.endswith("/D-1.csv") and not self.second_read.wait(timeout=5):
            raise TimeoutError("D-1 read before D-2, one after another")
        body = super().get(key)
        if key.endswith("/D-2.csv"):
            self.second_read.set()
        self.answered.append(key.rsplit("/", 1)[1])
        return body


def test_the_exports_of_a_page_are_read_at_once_and_named_in_the_listings_order():
    """R32, R5 (data58: a page of 100 read one after another took ~2 s of S3 answers).
    Given VGZ's exports of D-1 (P-1), D-2 (P-2) and D-3 (P-3), where S3 answers the read
    of D-1 only after D-2's
    When a viewer lists the exports
    Then the reads run at once (D-1's answered after D-2's; one after another, D-1 would
    wait for good), and the page and its read still name D-1, D-2, D-3 in that order."""
    audit = AuditInMemory()
    files = FirstReadAnsweredLast()
    ctx = practice_context(
        FakeStore([], [make_provider()]), FixedClock(NOW), audit=audit, files=files
    )
    for upload, patient in (("D-1", "P-1"), ("D-2", "P-2"), ("D-3", "P-3")):
        files.put(f"insurer-claims/{PRACTICE}/7095/{upload}.csv", insurer_claim_file(patient), "")

    page = insurer_claim_exports(VIEWER, "", 10, None, ctx)

    assert files.answered.index("D-2.csv") < files.answered.index("D-1.csv")
    assert [e.declaration_id for e in page.exports] == ["D-1", "D-2", "D-3"]
    assert [r.subject for r in audit.records] == [
        "insurer-claims:* patient:P-1 patient:P-2 patient:P-3"
        " declaration:D-1 declaration:D-2 declaration:D-3"
    ]


OPERATOR = Reader("operator-sub-1", "operators")
KENMERK = "kenmerk:" + "3" * 14  # as a refund batch names a refund's invoice


@pytest.mark.parametrize(
    ("shown", "heading", "subjects"),
    [
        # One practice, one id: one record, the heading first.
        ({"a": ["kenmerk:1"]}, "RF-1", [("a", "RF-1 kenmerk:1")]),
        # Two practices in one answer: one record each, each naming its own ids only.
        (
            {"b": ["invoice:2"], "a": ["invoice:1", "invoice:3"]},
            "held_credits",
            [("a", "held_credits invoice:1 invoice:3"), ("b", "held_credits invoice:2")],
        ),
        # Nothing shown (an empty list): still the read of the list, naming nothing.
        ({"_unmatched_credits": []}, "", [("_unmatched_credits", "")]),
        # No heading: the ids alone, no leading space.
        ({"a": ["inv-1"]}, "", [("a", "inv-1")]),
    ],
)
def test_an_operator_answer_is_one_read_per_practice_naming_the_ids_it_shows(
    shown, heading, subjects
):
    """R32, NEN 7513: who (the operator's sub), what (ids only), when; under the practice
    whose patients' data it is, as the operator lists the audit per practice."""
    records = records_of(OPERATOR, ReadKind.REFUND_BATCH, shown, NOW, heading)
    assert [(r.provider_id, r.subject) for r in records] == subjects
    assert {(r.user_id, r.role, r.kind, r.at) for r in records} == {
        ("operator-sub-1", "operators", ReadKind.REFUND_BATCH, NOW)
    }


def test_a_refund_batch_of_the_most_refunds_is_one_record_far_under_dynamodb_s_item_limit():
    """R32 (one write per request), DynamoDB's 400 KB item: a batch of 500 refunds (the
    most one proposal takes) is one record of about 12 KB; an answer showing more than
    IDS_PER_RECORD ids of a practice is split, none lost."""
    [record] = records_of(OPERATOR, ReadKind.REFUND_BATCH, {"a": [KENMERK] * 500}, NOW, "RF-1")
    assert len(record.subject.encode()) < 20_000
    many = [f"invoice:{n:036d}" for n in range(IDS_PER_RECORD + 1)]
    records = records_of(OPERATOR, ReadKind.INVOICE_LIST, {"a": many}, NOW, "held_credits")
    assert [len(r.subject.split()) - 1 for r in records] == [IDS_PER_RECORD, 1]
    assert max(len(r.subject.encode()) for r in records) < 100_000


def test_a_refund_batch_names_each_practice_s_patients_kept_with_its_refunds():
    """R32, NEN 7513, legal-nl.md §8 (audit access53: a refund batch's read named the
    kenmerken only, so a search of the access log by patient missed it). Given a refund
    batch of patients P-1 (two refunds) and P-2 of practice a and P-1 of practice b, and
    one refund of a proposed before the number was kept, When an operator's answer shows
    it, Then each practice's one record names its own patients once, before the
    kenmerken, and the older refund its kenmerk only; no invoice is read for it."""
    from billing_core.payments.transfer_batches import (
        BatchKind,
        BatchTransfer,
        TransferBatch,
        batch_document,
        batch_from_document,
    )
    from billing_core.services.operator.money_out import shown

    def refund(practice: str, n: int, patient: str) -> BatchTransfer:
        kenmerk = str(n) * 14
        return BatchTransfer(f"E-{n}", practice, "NL", "A", 100, "", kenmerk, patient_ref=patient)

    transfers = (refund("a", 1, "P-1"), refund("b", 9, "P-1"), refund("a", 2, "P-2"))
    transfers += (refund("a", 3, "P-1"), refund("a", 4, ""))
    batch = TransferBatch("RF-1", BatchKind.REFUND, transfers=transfers, steps=())
    audit = AuditInMemory()
    context = SimpleNamespace(audit=audit, clock=FixedClock(NOW))  # no store: none read

    stored = batch_from_document(batch_document(batch), 1)  # as read back from the table
    shown(stored, OPERATOR, context)  # type: ignore[arg-type]

    kenmerken = " ".join(f"kenmerk:{str(n) * 14}" for n in (1, 2, 3, 4))
    assert [(r.provider_id, r.subject) for r in audit.records] == [
        ("a", f"RF-1 patient:P-1 patient:P-2 {kenmerken}"),
        ("b", f"RF-1 patient:P-1 kenmerk:{'9' * 14}"),
    ]


def test_an_export_page_reads_at_most_its_most_files_whatever_limit_is_asked(monkeypatch):
    """R32, R5 (reads57 left it): each export a page lists is read for its patients, one
    after another, so a page of the 1,000 the API lets a client ask for took seconds toward
    API Gateway's 29. Given three exports and a page's most set to 2 (100 deployed)
    When a viewer asks for 1,000
    Then 2 are listed and read, with the position of the next page, which lists the third."""
    monkeypatch.setattr(insurer_claims, "MOST_EXPORTS_A_PAGE", 2)
    audit = AuditInMemory()
    ctx = practice_user(audit)
    for upload, patient in (("D-1", "P-1"), ("D-2", "P-2"), ("D-3", "P-3")):
        key = f"insurer-claims/{PRACTICE}/7095/{upload}.csv"
        ctx.files.put(key, insurer_claim_file(patient), "text/csv")

    first = insurer_claim_exports(VIEWER, "", 1000, None, ctx)
    second = insurer_claim_exports(VIEWER, "", 1000, first.next_after, ctx)

    assert [e.declaration_id for e in first.exports] == ["D-1", "D-2"]
    assert first.next_after == "7095/D-2.csv"
    assert ([e.declaration_id for e in second.exports], second.next_after) == (["D-3"], None)
    assert [r.subject for r in audit.records] == [
        "insurer-claims:* patient:P-1 patient:P-2 declaration:D-1 declaration:D-2",
        "insurer-claims:* patient:P-3 declaration:D-3",
    ]
