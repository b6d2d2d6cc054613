"""Insurer retour files (PM305, MZ302) -> granted amounts on the patient invoices (R5, R27,
R28, R3) and rejected VGZ-group materials to the patient after all (legal-nl.md §6).

The declarations are ingested for real (billing_core.ingest) into an in-memory store with
the same claim markers and version checks as the DynamoDB repository; then the retour."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from billing_core.collection.agency_updates import write_agency_updates
from billing_core.correspondence.kinds import INVOICE_CORRECTED
from billing_core.declarations.claims import Language, LineType
from billing_core.declarations.findings import Severity
from billing_core.declarations.ingest import process_declaration
from billing_core.declarations.record import DeclarationStatus
from billing_core.declarations.retour import retour_upload_from_key, with_granted
from billing_core.declarations.upload import IngestContext, Upload
from billing_core.declarations.vektis.layouts import MZ302_V13, PM304_V32, PM305_V32
from billing_core.declarations.vektis.retour_parser import parse_retour
from billing_core.declarations.vektis.writer import (
    Granted,
    InsurerAnswer,
    to_bytes,
    write_declaration,
    write_retour,
)
from billing_core.invoices.invoice import Channel, DunningStage, Invoice, InvoiceStatus
from billing_core.invoices.ledger import EntryKind
from billing_core.payments.booking import IncomingPayment, apply_payment
from billing_core.ports import ConcurrentChange, KnownClaim
from billing_core.providers.provider import Contract, CoverageRule
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.texts.retour_codes import RETOUR_CODES
from local.seed import PHYSIO
from tests.unit.claim_factories import ZILVEREN_KRUIS, person, provider
from tests.unit.fake_store import FakeQueue, FakeStore, FilesInMemory, blocked_numbers
from tests.unit.vektis_files import HEADER, TODAY, apply_retour, dental_claim

VGZ = "7095"
HEADER_PHYSIO = replace(HEADER, practice_agb=PHYSIO.agb_code)


@pytest.fixture
def store() -> FakeStore:
    return FakeStore(providers=[PHYSIO])


def ingest_context(store: FakeStore) -> IngestContext:
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM))
    return IngestContext(store, FilesInMemory(), FakeQueue(), clock, b"test-reference-key" * 2)


@pytest.fixture
def ctx(store: FakeStore) -> IngestContext:
    return ingest_context(store)


def physio_claims():  # type: ignore[no-untyped-def]
    """A VGZ patient: intake, two 5-minute units, and a splint (a material: to VGZ first)."""
    patient = person()
    return [
        dental_claim(
            "F1",
            patient=patient,
            insurer_uzovi=VGZ,
            treatment_code="1870",
            description="Intake en onderzoek handtherapie",
            unit_price_cents=5825,
        ),
        dental_claim(
            "F2",
            patient=patient,
            insurer_uzovi=VGZ,
            treatment_code="1000",
            description="Handtherapie, behandeling per 5 minuten",
            unit_price_cents=1260,
        ),
        dental_claim(
            "F3",
            patient=patient,
            insurer_uzovi=VGZ,
            treatment_code="SPL1",
            description="Spalk op maat (duimspalk)",
            line_type=LineType.MATERIAL,
            unit_price_cents=8500,
        ),
    ]


def ingest(ctx: IngestContext, claims, declaration_id: str = "D1") -> dict:  # type: ignore[no-untyped-def]
    data = write_declaration(PM304_V32, HEADER_PHYSIO, claims)
    upload = Upload(
        PHYSIO.provider_id, declaration_id, "week.pm304", f"incoming/x/{declaration_id}/f"
    )
    return process_declaration(upload, data, ctx).as_dict()


def retour_report(*args, **kwargs) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """apply_retour's report as the practice reads it in the output bucket."""
    return apply_retour(*args, **kwargs).as_dict()


def retour(claims, granted: dict[str, Granted], standard=PM305_V32) -> bytes:  # type: ignore[no-untyped-def]
    return write_retour(standard, replace(HEADER_PHYSIO, uzovi=VGZ), claims, granted)


def the_invoice(store: FakeStore, declaration_id: str = "D1") -> Invoice:
    [invoice] = [i for i in store.invoices.values() if i.declaration_id == declaration_id]
    return invoice


# --- reading a retour file ------------------------------------------------------------------


def test_a_retour_file_says_per_line_what_was_granted():
    # Given VGZ's retour: 80% of the care lines, the splint refused with a retour code
    claims = physio_claims()
    data = retour(
        claims, {"F1": Granted(4660, ("0611",)), "F2": Granted(1008), "F3": Granted(0, ("8072",))}
    )
    # When it is read
    parsed = parse_retour(data, today=TODAY, provider_agbs={PHYSIO.agb_code})
    # Then every 04 has its reference, granted amount, retour codes and the insurer's copy
    assert parsed.format == "PM305 v3.2" and parsed.findings == []
    assert [(line.claim_ref, line.granted_cents, line.retour_codes) for line in parsed.lines] == [
        ("F1", 4660, ("0611",)),
        ("F2", 1008, ()),
        ("F3", 0, ("8072",)),
    ]
    assert parsed.lines[2].claim is not None and parsed.lines[2].claim.amount_cents == 8500


def test_mz302_is_read_with_the_same_insurer_fields():
    parsed = parse_retour(retour([dental_claim()], {"L1": Granted(2500)}, MZ302_V13), today=TODAY)
    assert parsed.format == "MZ302 v1.3" and parsed.lines[0].granted_cents == 2500


def retour_records_of(data: bytes) -> list[str]:
    return data.decode("latin-1").split("\r\n")[:-1]


def test_the_retour_trailer_totals_what_was_granted_at_46_to_57():
    # Given VGZ's retour granting 46.60 and 10.08 and refusing the splint
    data = retour(physio_claims(), {"F1": Granted(4660), "F2": Granted(1008), "F3": Granted(0)})
    # Then its 99 says so where MZ302 v1.3 puts it: TOTAAL TOEGEKEND BEDRAG and its D/C
    trailer = retour_records_of(data)[-1]
    assert (trailer[45:56], trailer[56], trailer[57:].strip()) == ("00000005668", "D", "")
    # And the file is read without findings
    assert parse_retour(data, today=TODAY).findings == []


def test_a_granted_total_that_is_not_the_sum_of_the_lines_refuses_the_retour_file():
    # Given a trailer saying € 100,00 was granted where the lines grant € 56,68 (R2)
    records = retour_records_of(
        retour(physio_claims(), {"F1": Granted(4660), "F2": Granted(1008), "F3": Granted(0)})
    )
    records[-1] = records[-1][:45] + "00000010000D" + records[-1][57:]
    # When it is read
    parsed = parse_retour(to_bytes(records), today=TODAY)
    # Then nothing of it is applied, and the message names both amounts and where
    [finding] = parsed.findings
    assert (finding.code, finding.severity) == ("VEKTIS_RETOUR_GRANTED_TOTAL", Severity.FILE)
    assert parsed.lines == [] and "pos. 46-56" in finding.message("en")
    # each in the reader's way of writing amounts (R9): Dutch in Dutch, English in English
    assert "is €\u00a0100,00, maar" in finding.message("nl")
    assert "zijn samen €\u00a056,68." in finding.message("nl")
    assert "is €100.00, but" in finding.message("en")
    assert "add up to €56.68." in finding.message("en")


def test_a_granted_total_with_credit_lines_is_signed():
    # Given a credit line granted back (C): the total is the signed sum
    data = retour(physio_claims()[:2], {"F1": Granted(4660), "F2": Granted(-5000)})
    trailer = retour_records_of(data)[-1]
    assert trailer[45:57] == "00000000340C" and parse_retour(data, today=TODAY).findings == []


def test_a_declaration_is_no_retour_file():
    data = write_declaration(PM304_V32, HEADER_PHYSIO, physio_claims())
    parsed = parse_retour(data, today=TODAY)
    assert [f.code for f in parsed.findings] == ["VEKTIS_DECLARATION_AS_RETOUR"]


def test_the_retour_key_names_provider_upload_and_file():
    upload = retour_upload_from_key("retour/fysio-centrum-oost/R-1/vgz.pm305")
    assert (upload.provider_id, upload.declaration_id, upload.file_name) == (
        "fysio-centrum-oost",
        "R-1",
        "vgz.pm305",
    )
    assert retour_upload_from_key("incoming/fysio-centrum-oost/R-1/vgz.pm305") is None


# --- the granted amount on an invoice (pure) --------------------------------------------------


def _invoice_with_lines(ctx, store) -> Invoice:  # type: ignore[no-untyped-def]
    ingest(ctx, physio_claims()[:2])
    return the_invoice(store)


def test_the_granted_amount_becomes_the_reimbursement_with_a_ledger_entry(ctx, store):
    # Given an invoice of 58.25 + 12.60 without reimbursement (non-contracted provider)
    invoice = _invoice_with_lines(ctx, store)
    assert invoice.amount_due_cents == 7085
    # When VGZ granted 46.60 for the intake
    at = ctx.clock.now()
    granted = with_granted(invoice, {"F1": 4660}, at, "retour:vgz.pm305")
    # Then the line shows it, and the ledger has a deduction of it caused by the file (R27)
    assert [line.reimbursed_cents for line in granted.lines] == [4660, 0]
    entry = granted.ledger[-1]
    assert (entry.kind, entry.amount_cents, entry.cause, entry.note) == (
        EntryKind.REIMBURSEMENT,
        -4660,
        "retour:vgz.pm305",
        "line F1",
    )
    assert granted.amount_due_cents == 7085 - 4660
    # And the same grant again changes nothing
    assert with_granted(granted, {"F1": 4660}, at, "retour:vgz.pm305") is granted


def test_a_lower_grant_than_deducted_raises_what_the_patient_pays(ctx, store):
    invoice = _invoice_with_lines(ctx, store)
    at = ctx.clock.now()
    first = with_granted(invoice, {"F1": 4660}, at, "retour:1")
    corrected = with_granted(first, {"F1": 4000}, at, "retour:2")
    assert corrected.ledger[-1].amount_cents == 660 and corrected.amount_due_cents == 7085 - 4000


def test_a_grant_is_never_more_than_the_line(ctx, store):
    invoice = _invoice_with_lines(ctx, store)
    granted = with_granted(invoice, {"F2": 99999}, ctx.clock.now(), "retour:1")
    assert granted.lines[1].reimbursed_cents == 1260


# --- apply_retour: the use case ------------------------------------------------------------


def test_a_retour_lowers_the_patients_amount_due(ctx, store):
    # Given an ingested declaration: intake + unit on an invoice, the splint to VGZ first
    ingest(ctx, physio_claims())
    before = the_invoice(store)
    # When VGZ's retour grants 80% of the care lines and refuses the splint
    data = retour(
        physio_claims(),
        {
            "F1": Granted(4660, ("0611",)),
            "F2": Granted(1008, ("0611",)),
            "F3": Granted(0, ("8072",)),
        },
    )
    report = retour_report(PHYSIO.provider_id, "R1", data, ctx, file_name="vgz.pm305")
    # Then the patient's invoice deducts what VGZ granted
    after = store.invoice(before.invoice_id)
    assert after.amount_due_cents == before.amount_due_cents - 4660 - 1008
    assert (
        report["summary"]["lines_applied"] == 2
        and report["summary"]["reimbursement_change_cents"] == 5668
    )
    assert report["outcome"] == "accepted" and report["format"] == "PM305 v3.2"
    # And the report lines say per line what the insurer said and what became of it
    assert [
        (line["claim_ref"], line["result"], line["retour_codes"]) for line in report["lines"]
    ] == [
        ("F1", "applied", ["0611"]),
        ("F2", "applied", ["0611"]),
        ("F3", "invoiced_to_patient", ["8072"]),
    ]
    # And it is stored as a report in the output bucket, without personal data (R29)
    stored = ctx.files.files["reports/fysio-centrum-oost/retour-R1.json"]
    assert json.loads(stored)["summary"] == report["summary"]
    assert before.bsn.encode() not in stored and b"Dijk" not in stored


def test_every_retourcode_is_in_the_report_with_its_level_and_meaning(ctx, store):
    # Given VGZ's retour with codes about the file, the patient and each line, one of them
    # (9999) not in the code list
    ingest(ctx, physio_claims())
    answer = InsurerAnswer(file_codes=("0200",), patient_codes={"P1": ("0506",)})
    granted = {
        "F1": Granted(4660, ("0611",)),
        "F2": Granted(1008, ("9999",)),
        "F3": Granted(0, ("0613", "8072")),
    }
    header = replace(HEADER_PHYSIO, uzovi=VGZ)
    data = write_retour(PM305_V32, header, physio_claims(), granted, answer)
    # When it is applied
    report = retour_report(PHYSIO.provider_id, "R1", data, ctx, file_name="vgz.pm305")
    # Then the report shows every code where the insurer put it, in file order
    shown = [(c["level"], c["line"], c["code"], c["claim_ref"]) for c in report["retour_codes"]]
    assert shown == [
        ("file", 1, "0200", None),
        ("patient", 2, "0506", None),
        ("line", 3, "0611", "F1"),
        ("line", 4, "9999", "F2"),
        ("line", 5, "0613", "F3"),
        ("line", 5, "8072", "F3"),
    ]
    assert {c["patient_ref"] for c in report["retour_codes"][1:]} == {"P1"}
    # And what each code means, from the code list; an unknown code as its number only
    meaning = {c["code"]: (c["meaning"], c["meaning_en"]) for c in report["retour_codes"]}
    assert meaning["0506"] == (
        "De patiënt was maar een deel van de behandelperiode verzekerd.",
        "The patient was insured for only part of the treatment period.",
    )
    assert meaning["0200"][1] == "No remark on this record." and meaning["9999"] == (None, None)


@pytest.mark.parametrize(
    ("standard", "debtor_version"),
    [(PM305_V32, "02"), (PM305_V32, "01"), (MZ302_V13, "  ")],
    ids=["pm305-sb311-v2", "pm305-sb311-v1", "mz302-own-03"],
)
def test_a_retour_with_debtor_records_is_applied_with_their_codes_at_the_debtor_level(
    ctx, store, standard, debtor_version
):
    """R5, vektis.md §1 (retour layout: "02, 03, 98 ... retourcodes ... about that patient /
    debtor / comment"; "show every retourcode ... with its level"); closing14's found
    list: a retour holding the declaration's 03 records was refused as a whole.
    Given VGZ's retour that copies the declaration with its debtor record (03), with a
    retourcode about that debtor
    When it is applied
    Then the granted amounts are applied and the code is reported at the debtor level."""
    claims = physio_claims()
    ingest(ctx, claims)
    answer = InsurerAnswer(debtor_codes={"P1": ("0506",)})
    granted = {"F1": Granted(4660), "F2": Granted(1008), "F3": Granted(8500)}
    header = replace(HEADER_PHYSIO, uzovi=VGZ)
    data = write_retour(standard, header, claims, granted, answer, debtor_version=debtor_version)
    assert [text[:2] for text in retour_records_of(data)][:3] == ["01", "02", "03"]

    report = retour_report(PHYSIO.provider_id, "R1", data, ctx, file_name="vgz.retour")

    assert report["status"] == "processed" and report["findings"] == []
    assert report["summary"]["lines_applied"] == 2
    shown = [(c["level"], c["line"], c["code"], c["patient_ref"]) for c in report["retour_codes"]]
    assert shown == [("debtor", 3, "0506", "P1")]


def test_a_comment_record_can_carry_retourcodes_too():
    # Given an MZ302 whose comment record (98) has a retourcode at 311-314
    data = retour([dental_claim("L1", comments=("Let op.",))], {"L1": Granted(2500)}, MZ302_V13)
    records = retour_records_of(data)
    assert records[3][:2] == "98"
    records[3] = records[3][:310] + "0755" + records[3][314:]
    # When it is read
    parsed = parse_retour(to_bytes(records), today=TODAY)
    # Then the code is a remark about that comment, on the line it is about
    assert [(r.level, r.line, r.code, r.claim_ref) for r in parsed.remarks] == [
        ("comment", 4, "0755", "L1")
    ]


def test_the_retourcode_list_is_data_with_a_source_per_code():
    assert len(RETOUR_CODES) > 40
    for code, (dutch, english, source) in RETOUR_CODES.items():
        assert len(code) == 4 and code.isdigit()
        assert dutch and english and dutch != english and source


def test_a_blank_granted_amount_is_a_finding_and_changes_nothing(ctx, store):
    # Given the intake and a unit on the patient's invoice, the splint to VGZ first
    ingest(ctx, physio_claims())
    before = the_invoice(store)
    # And VGZ's retour granting the intake, but with TOEGEKEND BEDRAG (320-328) blank on
    # the unit (line 4) and the splint (line 5)
    granted = {"F1": Granted(4660), "F2": Granted(0, ("8002",)), "F3": Granted(0)}
    records = retour_records_of(retour(physio_claims(), granted))
    for index in (3, 4):
        records[index] = records[index][:319] + " " * 9 + records[index][328:]
    # When it is applied
    report = retour_report(PHYSIO.provider_id, "R1", to_bytes(records), ctx)
    # Then each blank is a finding on its own line, naming the line and its retourcodes
    blanks = [f for f in report["findings"] if f["code"] == "RETOUR_GRANTED_BLANK"]
    assert [(f["line"], f["claim_ref"], f["severity"]) for f in blanks] == [
        (4, "F2", "claim_rejected"),
        (5, "F3", "claim_rejected"),
    ]
    assert "8002" in blanks[0]["message_en"]
    # And nothing is invoiced differently: the unit keeps its reimbursement, the splint
    # is not invoiced to the patient, only the intake's grant is applied
    after = store.invoice(before.invoice_id)
    assert [line.reimbursed_cents for line in after.lines] == [4660, 0]
    assert report["summary"]["invoices_created"] == 0
    # And the report counts the file's three lines, two of them left out (audit FILES8)
    assert report["summary"]["lines"] == 3 and report["summary"]["lines_granted_blank"] == 2
    assert report["outcome"] == "partially_accepted"


def test_a_retour_with_a_blank_granted_amount_is_partially_accepted_and_counts_that_line():
    """vektis.md §1 ("a granted amount that is blank ... is a finding, never a silent
    zero"), R1 (the report's counts; audit files FILES8: it read "accepted" and counted
    the file's lines one short, so the portal's overview did not flag the upload)."""
    store = FakeStore(providers=[PHYSIO])
    ctx = ingest_context(store)
    # Given the intake, a unit and the splint, and VGZ's retour granting them
    ingest(ctx, physio_claims())
    granted = {"F1": Granted(4660), "F2": Granted(0), "F3": Granted(8500)}
    records = retour_records_of(retour(physio_claims(), granted))
    # but with the unit's TOEGEKEND BEDRAG (320-328) blank (0 before, so the trailer adds up)
    records[3] = records[3][:319] + " " * 9 + records[3][328:]
    # When it is applied
    report = retour_report(PHYSIO.provider_id, "R1", to_bytes(records), ctx)
    # Then the blank line is a finding, counted among the file's lines
    assert [f["code"] for f in report["findings"]] == ["RETOUR_GRANTED_BLANK"]
    summary = report["summary"]
    assert (summary["lines"], summary["lines_applied"], summary["lines_granted_blank"]) == (3, 1, 1)
    # And the upload is partially accepted, not accepted
    assert report["outcome"] == "partially_accepted"


def test_a_refused_vgz_material_is_invoiced_to_the_patient_after_all(ctx, store):
    # Given the splint went to VGZ first (R6), not on the patient invoice
    ingest(ctx, physio_claims())
    assert store.marker("F3").invoice_id == ""
    care = the_invoice(store)
    # When VGZ refuses it
    report = retour_report(
        PHYSIO.provider_id, "R1", retour(physio_claims(), {"F3": Granted(0, ("8072",))}), ctx
    )
    # Then the patient gets a new invoice for it, addressed as their other invoice
    material = the_invoice(store, "R1")
    assert [line.claim_ref for line in material.lines] == [
        "F3"
    ] and material.amount_due_cents == 8500
    assert (material.patient, material.debtor, material.channel) == (
        care.patient,
        care.debtor,
        care.channel,
    )
    assert (
        material.reference != care.reference
        and store.marker("F3").invoice_id == material.invoice_id
    )
    # And it is queued for delivery, and reported
    assert [r.invoice_id for r in ctx.delivery.requests][-1] == material.invoice_id
    assert report["summary"]["invoices_created"] == 1
    assert "RETOUR_MATERIAL_TO_PATIENT" in [f["code"] for f in report["findings"]]


@pytest.mark.parametrize("contracted", [False, True], ids=["no contract", "contract entered"])
def test_a_refused_material_is_contracted_care_as_the_contracts_stand_when_it_is_invoiced(
    contracted,
):
    """R31 (a contract counts for every invoice made after it is entered), R17 (audit
    coverage COVERAGE1). Given the splint went to VGZ first, when VGZ refuses it and the
    patient is invoiced for it after all, then its line keeps whether the practice had a
    contract with VGZ on its date, decided then, when it is invoiced."""
    contracts = (Contract(uzovi=VGZ, starts=date(2026, 1, 1)),) if contracted else ()
    store = FakeStore(providers=[PHYSIO.model_copy(update={"contracts": contracts})])
    ctx = ingest_context(store)
    ingest(ctx, physio_claims())
    retour_report(
        PHYSIO.provider_id, "R1", retour(physio_claims(), {"F3": Granted(0, ("8072",))}), ctx
    )
    (line,) = the_invoice(store, "R1").lines
    assert (line.claim_ref, line.contracted) == ("F3", contracted)


def in_english(claims):  # type: ignore[no-untyped-def]
    return [replace(c, patient=replace(c.patient, language=Language.EN)) for c in claims]


@pytest.mark.parametrize(
    "claims",
    [physio_claims(), in_english(physio_claims())],
    ids=["dutch patient with e-mail", "english patient with e-mail"],
)
def test_a_refused_material_named_alone_is_addressed_as_the_declaration_gave_it(ctx, store, claims):
    """legal-nl.md §6, R7, R9: a non-contracted practice sends only the splint to VGZ, so
    VGZ's retour names only the splint. Its invoice still goes by e-mail, in the patient's
    language, as the care invoice of the same declaration: one read finds that invoice."""
    # Given a declaration whose care lines the patient got by e-mail, the splint to VGZ
    ingest(ctx, claims)
    care = the_invoice(store)
    assert care.channel is Channel.EMAIL
    # When VGZ's retour names only the splint, refused
    splint = [c for c in claims if c.claim_ref == "F3"]
    store.calls.clear()
    apply_retour(PHYSIO.provider_id, "R1", retour(splint, {"F3": Granted(0, ("8072",))}), ctx)
    # Then its invoice is addressed as the care invoice, with one read of that invoice
    material = the_invoice(store, "R1")
    assert (material.patient, material.debtor, material.channel, material.language) == (
        care.patient,
        care.debtor,
        Channel.EMAIL,
        care.language,
    )
    assert store.calls.count("get_invoice") == 1


def test_a_refused_material_of_a_patient_without_another_invoice_goes_as_the_retour_says(
    ctx, store
):
    """legal-nl.md §6: with no invoice of the patient in the declaration (only the splint
    was declared), the retour's 02 record is all there is: a paper invoice, no read."""
    splint = physio_claims()[2:]
    ingest(ctx, splint)
    assert store.marker("F3") == KnownClaim("F3", "D1", "")
    store.calls.clear()
    apply_retour(PHYSIO.provider_id, "R1", retour(splint, {"F3": Granted(0)}), ctx)
    material = the_invoice(store, "R1")
    assert (material.addressee.email, material.channel) == ("", Channel.PAPER)
    assert "get_invoice" not in store.calls


def test_a_partly_granted_material_is_invoiced_with_the_grant_deducted(ctx, store):
    ingest(ctx, physio_claims())
    apply_retour(PHYSIO.provider_id, "R1", retour(physio_claims(), {"F3": Granted(5000)}), ctx)
    material = the_invoice(store, "R1")
    assert (material.gross_cents, material.reimbursed_cents, material.amount_due_cents) == (
        8500,
        5000,
        3500,
    )


def test_a_fully_granted_material_stays_with_the_insurer(ctx, store):
    ingest(ctx, physio_claims())
    report = retour_report(
        PHYSIO.provider_id, "R1", retour(physio_claims(), {"F3": Granted(8500)}), ctx
    )
    assert report["summary"]["invoices_created"] == 0 and store.marker("F3").invoice_id == ""
    assert report["lines"][2]["result"] == "insurer_line"


def test_the_same_retour_twice_changes_nothing(ctx, store):
    # Given a retour applied once (R3)
    ingest(ctx, physio_claims())
    data = retour(physio_claims(), {"F1": Granted(4660), "F2": Granted(1008), "F3": Granted(0)})
    apply_retour(PHYSIO.provider_id, "R1", data, ctx)
    invoices = {i: (inv.ledger, inv.lines) for i, inv in store.invoices.items()}
    queued = len(ctx.delivery.requests)
    # When the same file is uploaded again, as a new upload
    report = retour_report(PHYSIO.provider_id, "R2", data, ctx)
    # Then no ledger entry, no invoice, no delivery is added
    assert {i: (inv.ledger, inv.lines) for i, inv in store.invoices.items()} == invoices
    assert len(ctx.delivery.requests) == queued
    assert report["summary"]["lines_unchanged"] == 3 and report["summary"]["invoices_created"] == 0


def _died_before_its_report(store: FakeStore, upload_id: str) -> None:
    """The upload's record as a run that died before publish_report leaves it: PROCESSING,
    no report (a finished one is not run again: DeliveredAgain, R3)."""
    record = store.get_declaration(PHYSIO.provider_id, upload_id)
    assert record is not None
    store.put_declaration(replace(record, status=DeclarationStatus.PROCESSING, report_key=""))


def test_a_retried_run_makes_the_same_material_invoice_once(ctx, store):
    # Given a run that created the material invoice and then died before its report
    ingest(ctx, physio_claims())
    data = retour(physio_claims(), {"F3": Granted(0)})
    apply_retour(PHYSIO.provider_id, "R1", data, ctx)
    first = the_invoice(store, "R1")
    _died_before_its_report(store, "R1")
    # When the same upload is processed again (a Lambda retry)
    report = retour_report(PHYSIO.provider_id, "R1", data, ctx)
    # Then there is still one material invoice, with the same betalingskenmerk, queued again
    assert the_invoice(store, "R1") == first
    assert report["lines"][2] == {
        **report["lines"][2],
        "result": "invoiced_to_patient",
        "invoice_id": first.invoice_id,
    }
    assert [r.invoice_id for r in ctx.delivery.requests].count(
        first.invoice_id
    ) == 2  # delivery is idempotent


def test_unknown_line_references_are_reported(ctx, store):
    ingest(ctx, physio_claims()[:1])
    other = dental_claim(
        "X9", patient=person(), insurer_uzovi=VGZ, treatment_code="1000", unit_price_cents=1260
    )
    report = retour_report(
        PHYSIO.provider_id,
        "R1",
        retour([physio_claims()[0], other], {"F1": Granted(100), "X9": Granted(100)}),
        ctx,
    )
    [finding] = [f for f in report["findings"] if f["code"] == "RETOUR_LINE_UNKNOWN"]
    assert (finding["claim_ref"], report["outcome"]) == ("X9", "partially_accepted")
    assert report["summary"]["lines_unknown"] == 1


@pytest.mark.parametrize(
    "declared, file_finding",
    [(0, ["RETOUR_NO_LINE_OURS"]), (1, [])],
    ids=["no line ours", "one line ours"],
)
def test_a_retour_of_which_no_line_is_ours_says_so_once_for_the_file(
    ctx, store, declared, file_finding
):
    """R1 (a finding says what happened and what to do); audit vektis3: a retour file none
    of whose lines the practice declared through us got only a RETOUR_LINE_UNKNOWN per line.
    Given the intake and a unit, declared (one) or not at all (none)
    When VGZ's retour for both arrives
    Then, only when no line is ours, one file-level finding (no line) says none of its 2
    lines belongs to a declaration of this practice and asks whether it is another
    practice's file or a declaration not sent through zorgnota; the lines keep theirs."""
    if declared:
        ingest(ctx, physio_claims()[:declared])
    granted = {"F1": Granted(4660), "F2": Granted(1008)}
    report = retour_report(PHYSIO.provider_id, "R1", retour(physio_claims()[:2], granted), ctx)
    files = [f for f in report["findings"] if f["line"] is None]
    assert [f["code"] for f in files] == file_finding
    unknown = [f["claim_ref"] for f in report["findings"] if f["code"] == "RETOUR_LINE_UNKNOWN"]
    assert unknown == ["F1", "F2"][declared:]
    if files:
        [finding] = files
        assert report["outcome"] == "rejected" and finding["severity"] == "warning"
        assert "Geen van de 2 regels" in finding["message"] and "zorgnota" in finding["message"]
        assert "None of the 2 lines" in finding["message_en"]
        assert "another practice's" in finding["message_en"]


def _csv_declared(ctx: IngestContext, *claim_refs: str) -> None:
    """One patient's lines in a CSV upload, as Excel-free practice software exports them."""
    from tests.unit.test_ingest_first_attempt import csv, line, upload

    process_declaration(
        upload("D1"), csv(*(line(ref, "P1", "100010039") for ref in claim_refs)), ctx
    )


def test_a_retour_echoing_a_csv_claims_leading_zeros_is_applied_to_that_claim(ctx, store):
    """R3, R40, R5: an all-digit claim_ref 000123 of a CSV upload is claim 123 (Excel's copy
    and the export are one claim: claims.canonical_reference). The practice software sent
    000123 to the insurer, whose retour copies positions 1-310 as declared (vektis.md §1).
    Given a CSV upload with the lines 000123 and K2 (stored as 123 and K2)
    When the retour grants 1.00 for 000123 and 2.00 for K2
    Then both are applied to the invoice; before, 000123 was RETOUR_LINE_UNKNOWN."""
    _csv_declared(ctx, "000123", "K2")
    [invoice] = store.invoices.values()
    assert [line.claim_ref for line in invoice.lines] == ["123", "K2"]
    # The insurer's copy of each line: as declared, its amount too (vektis.md §1).
    echoed = [
        replace(c, claim_ref=r, quantity=line.quantity, unit_price_cents=line.unit_price_cents)
        for c, r, line in zip(physio_claims()[:2], ("000123", "K2"), invoice.lines, strict=True)
    ]
    data = retour(echoed, {"000123": Granted(100), "K2": Granted(200)})
    report = retour_report(PHYSIO.provider_id, "R1", data, ctx)
    assert [f["code"] for f in report["findings"]] == []
    assert (report["summary"]["lines_applied"], report["summary"]["lines_unknown"]) == (2, 0)
    assert [line.reimbursed_cents for line in store.invoice(invoice.invoice_id).lines] == [100, 200]


def test_a_retour_naming_one_claim_with_and_without_its_zeros_applies_neither(ctx, store):
    """R1, R5: 000123 and 123 are one claim (R40); a retour answering both says so for each
    line and books neither (which grant holds is the insurer's to say), as for a line
    reference answered twice (without_repeated_references)."""
    _csv_declared(ctx, "000123", "K2")
    echoed = [
        replace(c, claim_ref=r) for c, r in zip(physio_claims()[:2], ("000123", "123"), strict=True)
    ]
    data = retour(echoed, {"000123": Granted(100), "123": Granted(200)})
    report = retour_report(PHYSIO.provider_id, "R1", data, ctx)
    assert [(f["code"], f["claim_ref"]) for f in report["findings"]] == [
        ("RETOUR_LINE_REPEATED", "123"),
        ("RETOUR_LINE_REPEATED", "123"),
    ]
    [invoice] = store.invoices.values()
    assert [line.reimbursed_cents for line in invoice.lines] == [0, 0]


def test_an_insurer_line_that_was_not_granted_is_reported_not_invoiced(ctx, store):
    # Given a care line a contracted insurer covers in full goes to the insurer (R5)
    contracted = provider(
        provider_id=PHYSIO.provider_id,
        agb_code=PHYSIO.agb_code,
        contracted_insurers={2026: frozenset({ZILVEREN_KRUIS})},
        coverage_rules=(CoverageRule(code_prefix="", contracted_percentage=Decimal(100)),),
    )
    store.put_provider(contracted)
    claim = dental_claim("Z1", treatment_code="1000", unit_price_cents=1260)
    ingest(ctx, [claim])
    assert store.marker("Z1").invoice_id == ""
    # When the insurer refuses it
    report = retour_report(
        PHYSIO.provider_id, "R1", retour([claim], {"Z1": Granted(0, ("0611",))}), ctx
    )
    # Then it is reported to the provider, and nobody is invoiced
    assert [f["code"] for f in report["findings"]] == ["RETOUR_INSURER_LINE_NOT_GRANTED"]
    assert len(store.invoices) == 0


def test_a_concurrent_change_is_retried_not_lost(ctx, store, monkeypatch):
    # Given someone else saves the invoice between our read and our write (R28)
    ingest(ctx, physio_claims()[:2])
    real_save = store.save_invoice
    calls = {"n": 0}

    def save_once_too_late(invoice: Invoice) -> Invoice:
        calls["n"] += 1
        if calls["n"] == 1:
            current = store.invoice(invoice.invoice_id)
            store.put_invoice_as_is(
                replace(current, version=current.version + 1, hold_reason="other")
            )
            raise ConcurrentChange(invoice.invoice_id)
        return real_save(invoice)

    monkeypatch.setattr(store, "save_invoice", save_once_too_late)
    apply_retour(PHYSIO.provider_id, "R1", retour(physio_claims()[:2], {"F1": Granted(4660)}), ctx)
    # Then both changes are there
    invoice = the_invoice(store)
    assert invoice.hold_reason == "other" and invoice.lines[0].reimbursed_cents == 4660


def test_a_retour_of_another_practice_changes_nothing(ctx, store):
    ingest(ctx, physio_claims())
    before = dict(store.invoices)
    data = write_retour(
        PM305_V32, replace(HEADER, uzovi=VGZ), physio_claims(), {"F1": Granted(4660)}
    )
    report = retour_report(PHYSIO.provider_id, "R1", data, ctx)
    assert report["outcome"] == "rejected" and report["status"] == "rejected"
    assert [f["code"] for f in report["findings"]] == ["VEKTIS_WRONG_PROVIDER"]
    assert store.invoices == before
    assert (
        store.get_declaration(PHYSIO.provider_id, "R1").report_key
        == "reports/fysio-centrum-oost/retour-R1.json"
    )


def test_an_unknown_provider_is_reported():
    empty = FakeStore()
    ctx = IngestContext(empty, FilesInMemory(), FakeQueue(), FixedClock(TODAY), b"k" * 32)
    report = retour_report("nobody", "R1", b"01", ctx)
    assert [f["code"] for f in report["findings"]] == ["UNKNOWN_PROVIDER"]


def test_a_material_another_upload_invoiced_first_is_left_alone(ctx, store, monkeypatch):
    # Given a second upload of the retour wins the race to the claim marker (R3)
    ingest(ctx, physio_claims())
    monkeypatch.setattr(store, "store_invoice_for_insurer_claims", lambda provider_id, new: False)
    # When this one tries to invoice the refused splint
    report = retour_report(
        PHYSIO.provider_id, "R1", retour(physio_claims(), {"F3": Granted(0)}), ctx
    )
    # Then it writes and sends nothing for it
    assert (
        report["summary"]["invoices_created"] == 0 and report["lines"][2]["result"] == "unchanged"
    )
    assert all(i.declaration_id != "R1" for i in store.invoices.values())
    assert ctx.delivery.requests[-1].invoice_id != "R1"


# --- a retour on a claim the collection agency holds (R22, R34; audit money MONEY1) ----------

HANDED_OVER_ON = date(2027, 2, 1)
RETOUR_AT = datetime(2027, 2, 24, 10, 0, tzinfo=AMSTERDAM)


def _claim_at_the_agency(ctx: IngestContext, store: FakeStore, *, paid_cents: int) -> Invoice:
    """The intake and a unit (70.85) invoiced without reimbursement, handed over to the
    agency on 1 February, ``paid_cents`` of it paid by bank since, and the patient blocked."""
    invoice = replace(
        _invoice_with_lines(ctx, store),
        dunning_stage=DunningStage.WITH_COLLECTION_AGENCY,
        handed_over_on=HANDED_OVER_ON,
    )
    paid_at = datetime(2027, 2, 10, 12, 0, tzinfo=AMSTERDAM)
    invoice = apply_payment(invoice, IncomingPayment("bank", "E-1", paid_cents, paid_at))
    store.put_invoice_as_is(invoice)
    store.block_patient(PHYSIO.provider_id, invoice.patient_ref, invoice.invoice_id, paid_at)
    ctx.clock.set(RETOUR_AT)  # type: ignore[attr-defined]
    return invoice


def _upload_retour(ctx: IngestContext, upload_id: str, granted: dict[str, int]) -> None:
    data = retour(
        physio_claims()[:2], {ref: Granted(cents, ("0611",)) for ref, cents in granted.items()}
    )
    apply_retour(PHYSIO.provider_id, upload_id, data, ctx, file_name=f"{upload_id}.pm305")


def _told_the_agency(store: FakeStore, day: date) -> list[tuple[str, str, int]]:
    files = FilesInMemory()
    write_agency_updates(day, store, files)
    key = f"collection-updates/{day.isoformat()}/{PHYSIO.provider_id}.json"
    if key not in files.files:
        return []
    return [
        (claim["reference"], entry["kind"], entry["amount_cents"])
        for claim in json.loads(files.files[key])["claims"]
        for entry in claim["entries"]
    ]


def test_a_retour_that_settles_a_claim_at_the_agency_unblocks_the_patient_and_tells_it(ctx, store):
    """R22 ("blocked ... until all such claims are settled"), R34 (the agency's daily file
    of changes on our side; a stop that settles an agency claim unblocks), R5.
    Given a claim at the agency of 70.85, 14.17 of it paid since, the patient blocked
    When VGZ's retour grants 46.60 and 10.08 on it: nothing left to pay
    Then the patient is no longer blocked, and the agency's file of that day lists the
    claim with the two deductions."""
    invoice = _claim_at_the_agency(ctx, store, paid_cents=7085 - 4660 - 1008)
    assert invoice.patient_ref in blocked_numbers(store, PHYSIO.provider_id)

    _upload_retour(ctx, "R1", {"F1": 4660, "F2": 1008})

    assert store.invoice(invoice.invoice_id).is_paid
    assert invoice.patient_ref not in blocked_numbers(store, PHYSIO.provider_id)
    assert _told_the_agency(store, RETOUR_AT.date()) == [
        (invoice.reference, "reimbursement_deduction", -4660),
        (invoice.reference, "reimbursement_deduction", -1008),
    ]


def test_a_corrected_retour_that_makes_a_settled_agency_claim_owed_again_blocks_again(ctx, store):
    """R22, R34, R5: Given a claim at the agency a retour settled (the patient unblocked)
    When a corrected retour grants 40.00 for the intake instead of 46.60
    Then the 6.60 is owed again: the patient is blocked again, and the agency is told."""
    invoice = _claim_at_the_agency(ctx, store, paid_cents=7085 - 4660 - 1008)
    _upload_retour(ctx, "R1", {"F1": 4660, "F2": 1008})
    assert invoice.patient_ref not in blocked_numbers(store, PHYSIO.provider_id)

    ctx.clock.set(RETOUR_AT + timedelta(days=1))  # type: ignore[attr-defined]
    _upload_retour(ctx, "R2", {"F1": 4000, "F2": 1008})

    assert store.invoice(invoice.invoice_id).balance_cents == 660
    assert invoice.patient_ref in blocked_numbers(store, PHYSIO.provider_id)
    assert _told_the_agency(store, RETOUR_AT.date() + timedelta(days=1)) == [
        (invoice.reference, "reimbursement_deduction", 660)
    ]


@pytest.mark.parametrize("at_the_agency", [False, True])
def test_a_retour_on_a_claim_at_the_agency_tells_the_patient_nothing(ctx, store, at_the_agency):
    """R22 (the agency collects the claim and tells the patient), legal-nl.md §7, R34 as the
    operator's correction of a claim at the agency keeps it (correspondence/kinds.py):
    Given a sent invoice of 70.85, with the agency or not
    When VGZ's retour grants 46.60 on it
    Then its patient is told the corrected amount only when the claim is not at the agency."""
    invoice = replace(_invoice_with_lines(ctx, store), status=InvoiceStatus.SENT)
    if at_the_agency:
        invoice = replace(
            invoice,
            dunning_stage=DunningStage.WITH_COLLECTION_AGENCY,
            handed_over_on=HANDED_OVER_ON,
        )
    store.put_invoice_as_is(invoice)
    ctx.delivery.requests.clear()  # type: ignore[attr-defined]

    _upload_retour(ctx, "R1", {"F1": 4660})

    told = [r for r in ctx.delivery.requests if r.kind == INVOICE_CORRECTED]  # type: ignore[attr-defined]
    assert [r.invoice_id for r in told] == ([] if at_the_agency else [invoice.invoice_id])


def test_a_line_reference_twice_in_one_retour_is_reported_not_silently_dropped():
    """R1 (every line of a file is in its report), R3/R5 (nothing booked on a guess),
    vektis.md §1 retour layout; audit retour2: an insurer's retour with two 04 records for
    one line reference applied the last one, and the first had no result and no finding
    (summary: 5 lines, 4 applied, nothing left out; outcome "accepted").
    Given the intake, a unit and the splint ingested
    And VGZ's retour with the intake's 04 twice (lines 3 and 6)
    When it is applied
    Then both 04s of the intake are left out with a finding each that names both lines
    And the intake keeps what it had, the unit is applied, the upload partially accepted."""
    store = FakeStore(providers=[PHYSIO])
    ctx = ingest_context(store)
    ingest(ctx, physio_claims())
    claims = physio_claims()
    granted = {"F1": Granted(4660, ("0611",)), "F2": Granted(1008), "F3": Granted(8500)}
    data = retour([*claims, claims[0]], granted)
    report = retour_report(PHYSIO.provider_id, "R1", data, ctx)
    repeated = [f for f in report["findings"] if f["code"] == "RETOUR_LINE_REPEATED"]
    assert [(f["line"], f["claim_ref"], f["severity"]) for f in repeated] == [
        (3, "F1", "claim_rejected"),
        (6, "F1", "claim_rejected"),
    ]
    assert "3, 6" in repeated[0]["message"] and "3, 6" in repeated[1]["message_en"]
    summary = report["summary"]
    assert (summary["lines"], summary["lines_applied"], summary["lines_repeated"]) == (4, 1, 2)
    assert report["outcome"] == "partially_accepted"
    intake = next(line for line in the_invoice(store).lines if line.claim_ref == "F1")
    assert intake.reimbursed_cents == 0


def test_a_credit_granted_on_a_debit_line_is_not_called_more_than_the_invoice():
    """R1 (a finding says what happened), R5; audit retour2: VGZ's retour granted the
    intake C 5.00 (a credit on a debit line); the service reimbursed 0.00, as it should,
    but its warning told the practice the insurer granted MORE than the invoice.
    Given the intake, a unit and the splint ingested
    When VGZ's retour grants the intake -5.00 and the unit 10.08
    Then the intake's finding says the grant has the opposite sign, with both amounts,
    and the intake is reimbursed 0.00; no "above the amount" warning is given."""
    store = FakeStore(providers=[PHYSIO])
    ctx = ingest_context(store)
    ingest(ctx, physio_claims())
    granted = {"F1": Granted(-500, ("8059",)), "F2": Granted(1008), "F3": Granted(8500)}
    report = retour_report(PHYSIO.provider_id, "R1", retour(physio_claims(), granted), ctx)
    codes = [(f["code"], f["line"]) for f in report["findings"]]
    assert codes == [("RETOUR_GRANTED_OPPOSITE_SIGN", 3)]
    [finding] = report["findings"]
    assert "€ 58,25" in finding["message"].replace("\xa0", " ")
    assert "5.00" in finding["message_en"] and "€58.25" in finding["message_en"]
    intake = next(line for line in the_invoice(store).lines if line.claim_ref == "F1")
    assert intake.reimbursed_cents == 0


def test_a_retour_line_cut_in_its_granted_amount_is_refused_for_that_cause_once():
    """vektis.md "Files as practices really send them" (the cause named once, no knock-on
    findings), R2; audit retour2: a 04 cut off at 324 of 370 characters, inside TOEGEKEND
    BEDRAG, was refused with VEKTIS_RECORD_DATA_MISSING and again with VEKTIS_VALUE_INVALID
    "Indicatie debet/credit is ''" for the D/C the cut had taken away.
    Given VGZ's retour with the unit's 04 (line 4) cut off at 324 characters
    When it is read
    Then the file is refused with the one cause, naming line 4 and the granted amount."""
    granted = {"F1": Granted(4660), "F2": Granted(1008), "F3": Granted(8500)}
    records = retour_records_of(retour(physio_claims(), granted))
    records[3] = records[3][:324]
    parsed = parse_retour(to_bytes(records), today=TODAY, provider_agbs={PHYSIO.agb_code})
    assert parsed.file_rejected
    assert [(f.code, f.line) for f in parsed.findings] == [("VEKTIS_RECORD_DATA_MISSING", 4)]


def test_a_lowercase_granted_sign_is_read_with_a_warning_and_another_sign_refuses_its_line_only(
    ctx, store
):
    """R2, R40, vektis.md "Files as practices really send them" (audit retour4 item 2):
    a lowercase d/c refused the whole retour file (VEKTIS_VALUE_INVALID, file level)."""
    # Given the intake and a unit on the patient's invoice, and VGZ's retour granting
    # € 46,60 and € 10,08, the splint € 0
    ingest(ctx, physio_claims())
    before = the_invoice(store)
    granted = {"F1": Granted(4660), "F2": Granted(1008), "F3": Granted(0)}
    records = retour_records_of(retour(physio_claims(), granted))
    # with the intake's granted D/C (328) as "d" and the splint's as "X"
    records[2] = records[2][:327] + "d" + records[2][328:]
    records[4] = records[4][:327] + "X" + records[4][328:]
    # When it is applied
    report = retour_report(PHYSIO.provider_id, "R1", to_bytes(records), ctx)
    # Then the lowercase sign is read as D, with a warning naming the line
    found = [(f["code"], f["line"], f["severity"]) for f in report["findings"]]
    assert found == [
        ("RETOUR_GRANTED_SIGN_LOWERCASE", 3, "warning"),
        ("RETOUR_GRANTED_SIGN_INVALID", 5, "claim_rejected"),
    ]
    after = store.invoice(before.invoice_id)
    assert [line.reimbursed_cents for line in after.lines] == [4660, 1008]
    # And the other sign leaves only its own line out, counted with the lines without a
    # granted amount (nothing invoiced to the patient on a guess)
    assert report["summary"]["lines"] == 3 and report["summary"]["lines_granted_blank"] == 1
    assert report["summary"]["invoices_created"] == 0
    assert report["outcome"] == "partially_accepted"
    messages = {f["code"]: (f["message"], f["message_en"]) for f in report["findings"]}
    assert "kleine letter" in messages["RETOUR_GRANTED_SIGN_LOWERCASE"][0]
    assert "'X' instead of D or C" in messages["RETOUR_GRANTED_SIGN_INVALID"][1]


def test_a_space_padded_granted_amount_is_a_finding_of_its_line_and_the_rest_is_applied(ctx, store):
    """R1 (refuse what is wrong, keep the rest), vektis.md §1 (type N: digits only,
    right-aligned, zero-padded; files as practices really send them); audit58b: a granted
    amount padded with spaces refused the whole retour file (VEKTIS_NOT_NUMERIC).
    Given the intake and a unit on the patient's invoice, and VGZ's retour granting the
    intake "    4660" (space-padded on the left), the unit 00001008 and the splint
    "8500    " (space-padded on the right)
    When it is applied
    Then each padded amount is a finding of its own line naming the value, those lines
    change nothing, and the unit's grant is applied: the file partially accepted."""
    ingest(ctx, physio_claims())
    before = the_invoice(store)
    granted = {"F1": Granted(4660), "F2": Granted(1008), "F3": Granted(8500, ("8001",))}
    records = retour_records_of(retour(physio_claims(), granted))
    records[2] = records[2][:319] + "    4660" + records[2][327:]
    records[4] = records[4][:319] + "8500    " + records[4][327:]
    report = retour_report(PHYSIO.provider_id, "R1", to_bytes(records), ctx)
    found = [(f["code"], f["line"], f["claim_ref"], f["severity"]) for f in report["findings"]]
    assert found == [
        ("RETOUR_GRANTED_UNREADABLE", 3, "F1", "claim_rejected"),
        ("RETOUR_GRANTED_UNREADABLE", 5, "F3", "claim_rejected"),
    ]
    assert report["findings"][0]["message"] == (
        "Regel 3: het toegekend bedrag van F1 is '    4660', geen bedrag van alleen cijfers"
        " met voorloopnullen (retourcode -). Voor deze regel is niets veranderd; vraag de"
        " zorgverzekeraar wat er is toegekend."
    )
    assert report["findings"][1]["message_en"] == (
        "Line 5: the granted amount of F3 is '8500    ', not an amount of digits only with"
        " leading zeros (retour code 8001). Nothing was changed for this line; ask the"
        " insurer what was granted."
    )
    after = store.invoice(before.invoice_id)
    assert [line.reimbursed_cents for line in before.lines] == [0, 0]
    assert [line.reimbursed_cents for line in after.lines] == [0, 1008]
    summary = report["summary"]
    assert (summary["lines"], summary["lines_applied"], summary["lines_granted_blank"]) == (3, 1, 2)
    assert summary["invoices_created"] == 0 and report["outcome"] == "partially_accepted"


def test_a_blank_granted_total_in_the_trailer_is_named_as_missing():
    """R2 (the trailer's total is checked against the lines), R1 (a message a practice
    understands); audit58b: a blank TOTAAL TOEGEKEND BEDRAG (99, 46-57) was reported as
    "Indicatie debet/credit (02) is ''; allowed is D, C", or with a D as a total of
    € 0,00 that does not match the lines.
    Given VGZ's retour whose trailer leaves the granted total blank, once with its D/C
    blank too and once with D
    When it is read
    Then the file is refused with the one cause: the total granted amount is missing."""
    granted = {"F1": Granted(4660), "F2": Granted(1008), "F3": Granted(0)}
    records = retour_records_of(retour(physio_claims(), granted))
    for blank in (" " * 12, " " * 11 + "D"):
        records[-1] = records[-1][:45] + blank + records[-1][57:]
        parsed = parse_retour(to_bytes(records), today=TODAY, provider_agbs={PHYSIO.agb_code})
        [finding] = parsed.findings
        assert (finding.code, finding.severity, finding.line, parsed.lines) == (
            "VEKTIS_RETOUR_GRANTED_TOTAL_MISSING",
            Severity.FILE,
            6,
            [],
        )
        assert finding.message("nl") == (
            "Het totaal toegekend bedrag in het sluitrecord (regel 6, Totaal toegekend bedrag"
            " (record 99, pos. 46-56)) is niet ingevuld, dus de toegekende bedragen van de"
            " prestatierecords zijn niet te controleren. Het retourbestand is niet verwerkt;"
            " vraag de zorgverzekeraar om een volledig bestand."
        )
        assert finding.message("en") == (
            "The total granted amount in the trailer record (line 6, Totaal toegekend bedrag"
            " (record 99, pos. 46-56)) is blank, so the granted amounts of the treatment"
            " records cannot be checked. The retour file was not processed; ask the insurer"
            " for a complete file."
        )


def test_an_unknown_or_lowercase_retourcode_is_applied_with_a_warning_naming_line_and_code(
    ctx, store
):
    """R5 (audit retour4 item 3): a code not in the code list was applied silently."""
    # Given VGZ's retour with a known code on the intake, 9999 on the unit and 061a
    # (lowercase) on the splint
    ingest(ctx, physio_claims())
    granted = {
        "F1": Granted(4660, ("0611",)),
        "F2": Granted(1008, ("9999",)),
        "F3": Granted(0, ("061a",)),
    }
    # When it is applied
    report = retour_report(PHYSIO.provider_id, "R1", retour(physio_claims(), granted), ctx)
    # Then each unknown code is a warning on its line, the lines applied as today
    unknown = [f for f in report["findings"] if f["code"] == "RETOUR_CODE_UNKNOWN"]
    assert [(f["line"], f["severity"], f["claim_ref"]) for f in unknown] == [
        (4, "warning", "F2"),
        (5, "warning", "F3"),
    ]
    assert "retourcode 9999" in unknown[0]["message"] and "code 9999" in unknown[0]["message_en"]
    assert "retourcode 061a" in unknown[1]["message"] and "code 061a" in unknown[1]["message_en"]
    assert report["outcome"] == "accepted" and report["summary"]["lines_applied"] == 2


@pytest.mark.parametrize(
    "paid_cents, raised, credit",
    [(7085, "56,68", "56,68"), (5000, "35,83", "35,83"), (7185, "56,68", "57,68"), (0, "", "")],
    ids=["paid in full", "paid in part", "overpaid before", "not paid"],
)
def test_a_grant_on_a_paid_invoice_says_the_patient_is_owed_a_refund(
    ctx, store, paid_cents, raised, credit
):
    """R13 (an overpayment is kept as credit and refunded), R27, R34; audit vektis3: a grant
    on an invoice the patient had paid left the patient € 56,68 credit, and the report said
    only "accepted".
    Given the intake (58.25) and a unit (12.60) on one invoice, and the patient paid on it
    When VGZ's retour grants 46.60 and 10.08 (56.68 the patient no longer owes)
    Then the first line's warning names the kenmerk, what the grant made overpaid and the
    credit now held, and that the back office pays it back by bank transfer; an invoice
    not paid has no such warning (what the patient owes is lower, no credit)."""
    invoice = _invoice_with_lines(ctx, store)
    if paid_cents:
        payment = IncomingPayment("bank", "E-1", paid_cents, ctx.clock.now())
        store.put_invoice_as_is(apply_payment(invoice, payment))
    granted = {"F1": Granted(4660, ("0611",)), "F2": Granted(1008)}
    report = retour_report(PHYSIO.provider_id, "R1", retour(physio_claims()[:2], granted), ctx)
    found = [f for f in report["findings"] if f["code"] == "RETOUR_CREDIT_FOR_PATIENT"]
    assert report["outcome"] == "accepted"
    if not raised:
        assert found == []
        return
    [finding] = found
    assert (finding["severity"], finding["line"], finding["claim_ref"]) == ("warning", 3, "F1")
    nl = finding["message"].replace("\xa0", " ")
    assert f"{invoice.reference[:4]} " in nl and f"€ {raised} te veel" in nl
    assert f"nu € {credit}" in nl and "terugbetalingsbatch" in nl
    en = finding["message_en"]
    assert f"€{raised.replace(',', '.')} too much" in en and "refund batch" in en
    assert the_invoice(store).credit_cents == int(credit.replace(",", ""))


@pytest.mark.parametrize(
    "copied",
    [
        pytest.param({"unit_price_cents": 5000}, id="another amount"),
        pytest.param({"unit_price_cents": -5825, "reverses_claim_ref": "F9"}, id="debit as credit"),
    ],
)
def test_a_retour_line_whose_declared_amount_is_not_ours_is_refused_and_the_rest_applied(copied):
    """vektis.md §1 (a retour copies positions 1-310 of the declaration, its DECLARATIEBEDRAG
    too), R1, R5; stop 51's note (retour52): a retour line whose copy of the declared
    amount was another amount, or our debit echoed as a credit, with totals that matched,
    was applied to our line without a word (F1 reimbursed 40.00 of 58.25).
    Given the intake (58.25), a unit and the splint ingested
    When VGZ's retour copies the intake with another declared amount and grants it 40.00
    Then the intake's line is left out with a finding naming both amounts, in Dutch and
    English, and keeps its reimbursement; the unit is applied; the upload is partially
    accepted and the summary counts the line."""
    store = FakeStore(providers=[PHYSIO])
    ctx = ingest_context(store)
    ingest(ctx, physio_claims())
    claims = physio_claims()
    claims[0] = replace(claims[0], **copied)
    granted = {"F1": Granted(4000 if claims[0].amount_cents > 0 else -4000), "F2": Granted(1008)}
    granted["F3"] = Granted(8500)
    report = retour_report(PHYSIO.provider_id, "R1", retour(claims, granted), ctx)
    [finding] = report["findings"]
    assert (finding["code"], finding["line"], finding["severity"]) == (
        "RETOUR_DECLARED_AMOUNT_DIFFERS",
        3,
        "claim_rejected",
    )
    declared = f"{abs(claims[0].amount_cents) // 100},{abs(claims[0].amount_cents) % 100:02d}"
    assert declared in finding["message"] and "58,25" in finding["message"]
    assert "58.25" in finding["message_en"] and "F1" in finding["message_en"]
    results = {line["claim_ref"]: line["result"] for line in report["lines"]}
    assert results == {"F1": "declared_amount_differs", "F2": "applied", "F3": "insurer_line"}
    summary = report["summary"]
    assert (summary["lines"], summary["lines_applied"]) == (3, 1)
    assert summary["lines_declared_amount_differs"] == 1
    assert report["outcome"] == "partially_accepted"
    reimbursed = {line.claim_ref: line.reimbursed_cents for line in the_invoice(store).lines}
    assert reimbursed == {"F1": 0, "F2": 1008}


# --- a line the insurer did not assess (audit58b) --------------------------------------------


def test_a_line_the_insurer_did_not_assess_is_left_out_with_its_code():
    """R5, vektis.md §1 (audit58b). Given VGZ's retour with three lines: the intake
    granted (4660), the unit refused because the whole file was refused (8096, granted 0),
    the splint granted 0 for lack of a related record (8002), When it is read, Then only
    the intake is a line to apply; the other two are findings naming their line and the
    code, never a grant of nothing."""
    granted = {"F1": Granted(4660), "F2": Granted(0, ("8096",)), "F3": Granted(0, ("8002",))}
    parsed = parse_retour(
        retour(physio_claims(), granted), today=TODAY, provider_agbs={PHYSIO.agb_code}
    )
    assert [(line.claim_ref, line.granted_cents) for line in parsed.lines] == [("F1", 4660)]
    assert [(f.code, f.severity, f.line, f.params) for f in parsed.findings] == [
        ("RETOUR_LINE_NOT_ASSESSED", Severity.CLAIM, 4, {"claim_ref": "F2", "code": "8096"}),
        ("RETOUR_LINE_NOT_ASSESSED", Severity.CLAIM, 5, {"claim_ref": "F3", "code": "8002"}),
    ]
    assert parsed.lines_not_assessed == 2


def test_a_retour_the_insurer_refused_as_a_file_takes_no_reimbursement_off_the_invoice(ctx, store):
    """R5, R27, vektis.md §1 (audit58b). Given the intake (58.25) and a unit (12.60) on
    the patient's invoice, of which VGZ's first retour granted 46.60 and 10.08 (14.17 to
    pay), When a second retour arrives whose 01 record says the file was refused for
    technical reasons (0001) with 0 granted on both lines, Then the invoice stays at 14.17
    (before: 70.85, the whole reimbursement taken off and the patient told to pay it), no
    ledger entry is added, and the report is rejected with both lines counted as not
    assessed, each a finding naming the code."""
    claims = physio_claims()[:2]
    ingest(ctx, claims)
    first = retour(claims, {"F1": Granted(4660), "F2": Granted(1008)})
    retour_report(PHYSIO.provider_id, "R1", first, ctx, file_name="vgz-1.pm305")
    invoice = the_invoice(store)
    assert invoice.amount_due_cents == 1417
    refused = write_retour(
        PM305_V32,
        replace(HEADER_PHYSIO, uzovi=VGZ),
        claims,
        {"F1": Granted(0), "F2": Granted(0)},
        InsurerAnswer(file_codes=("0001",)),
    )

    report = retour_report(PHYSIO.provider_id, "R2", refused, ctx, file_name="vgz-2.pm305")

    after = store.invoice(invoice.invoice_id)
    assert after.amount_due_cents == 1417 and len(after.ledger) == len(invoice.ledger)
    assert report["outcome"] == "rejected"
    summary = report["summary"]
    assert (summary["lines"], summary["lines_applied"], summary["lines_not_assessed"]) == (2, 0, 2)
    assert [(f["code"], f["line"]) for f in report["findings"]] == [
        ("RETOUR_LINE_NOT_ASSESSED", 3),
        ("RETOUR_LINE_NOT_ASSESSED", 4),
    ]
    assert report["findings"][0]["message_en"] == (
        "Line 3: the insurer did not assess F1 (retour code 0001). Nothing was changed for"
        " this line; correct what the insurer refused and declare the line again."
    )
