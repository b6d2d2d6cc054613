"""A minor without a parent or guardian as debtor (R40; vektis.md §1 "Insurer-bound
files"): invoiced to the child all the same, with a warning, and an open action (R23)
saying what the practice should send. The same for a Vektis file without an 03 (as
insurers get them) as for a CSV file without debtor_ columns."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from billing_core.declarations.claims import Address, adults_born_by
from billing_core.declarations.findings import Severity
from billing_core.declarations.ingest import process_declaration
from billing_core.declarations.upload import Upload
from billing_core.declarations.vektis.layouts import PM304_V32
from billing_core.declarations.vektis.writer import write_declaration
from billing_core.providers.actions import ActionKind
from local.seed import PHYSIO
from tests.unit.claim_factories import person
from tests.unit.fake_store import FakeStore
from tests.unit.test_vektis_retour import ingest_context
from tests.unit.vektis_files import HEADER, TODAY, child_claims, codes, dental_claim, only, parse
from tests.unit.vektis_files import records as vektis_records

# The 02 of an insurer-bound file: postcode and house number, no e-mail, no 03.
CHILD = person(initials="S.", email="", address=Address("", "12", "A", "3511 AB", ""))


def child_line(claim_ref: str, birth_date: date = date(2014, 6, 1)):  # type: ignore[no-untyped-def]
    return dental_claim(
        claim_ref, patient_ref="P7", bsn="100010039", birth_date=birth_date, patient=CHILD
    )


# --- the finding ---------------------------------------------------------------------------


def test_a_minor_in_an_insurer_bound_file_is_invoiced_with_one_warning():
    # Given a file without debtor records: a 12-year-old with two lines
    lines = vektis_records([child_line("K1"), child_line("K2")])
    assert "03" not in [text[:2] for text in lines]
    # When it is read
    result = parse(lines)
    # Then both lines are claims addressed to the child, with one warning on the 02
    assert [(c.claim_ref, c.debtor) for c in result.claims] == [("K1", None), ("K2", None)]
    finding = only(result, "VEKTIS_MINOR_WITHOUT_DEBTOR")
    assert (finding.severity, finding.line, finding.params) == (
        Severity.WARNING,
        2,
        {"patient_ref": "P7"},
    )
    assert "debtor record (03)" in finding.message("en")


@pytest.mark.parametrize(
    "claims",
    [
        [child_line("K1", birth_date=adults_born_by(TODAY))],  # 18 today
        child_claims(),  # a child whose parent pays: the 03 is the parent's
    ],
    ids=["turns-18-today", "parent-as-debtor"],
)
def test_an_adult_or_a_child_with_a_parent_as_debtor_gets_no_warning(claims):
    assert "VEKTIS_MINOR_WITHOUT_DEBTOR" not in codes(parse(vektis_records(claims)))


def test_a_child_born_a_day_later_is_a_minor():
    born = adults_born_by(TODAY) + timedelta(days=1)
    result = parse(vektis_records([child_line("K1", birth_date=born)]))
    assert "VEKTIS_MINOR_WITHOUT_DEBTOR" in codes(result)


# --- the open action ----------------------------------------------------------------------


def upload(name: str) -> Upload:
    return Upload(PHYSIO.provider_id, "D1", name, f"incoming/{PHYSIO.provider_id}/D1/{name}")


def test_a_pm304_minor_gets_an_open_action_saying_what_to_send():
    store = FakeStore(providers=[PHYSIO])
    ctx = ingest_context(store)
    # Given a physiotherapy PM304 without debtor records, for a 12-year-old
    header = replace(HEADER, practice_agb=PHYSIO.agb_code)
    claims = [replace(child_line("K1"), treatment_code="1000", description="Fysiotherapie")]
    data = write_declaration(PM304_V32, header, claims, debtor_version="")
    # When it is processed
    report = process_declaration(upload("week.pm304"), data, ctx).as_dict()
    # Then the child's invoice is sent, the report warns, and one action says what to send
    [invoice] = store.invoices.values()
    assert invoice.debtor is None and invoice.patient_ref == "P7"
    assert "VEKTIS_MINOR_WITHOUT_DEBTOR" in [f["code"] for f in report["findings"]]
    [action] = store.all_actions()
    assert (action.kind, action.invoice_id, action.details["patient_ref"]) == (
        ActionKind.MINOR_WITHOUT_DEBTOR,
        invoice.invoice_id,
        "P7",
    )
    assert "SB311-debiteurrecord (03)" in action.details["what_to_send"]
    assert "debtor_last_name" in action.details["what_to_send_en"]
    assert "100010039" not in str(action.details)  # no BSN (R29)
    # And the same upload again (a retried S3 event) opens no second action
    process_declaration(upload("week.pm304"), data, ctx)
    assert len(store.all_actions()) == 1


CSV = (
    "claim_ref;patient_ref;bsn;birth_date;initials;last_name;street;house_number;postcode;city;"
    "insurer_uzovi;treatment_date;treatment_code;description;unit_price\n"
    "K1;P7;100010039;2014-06-01;S.;Terpstra;Oudegracht;12;3511 AB;Utrecht;"
    "3311;2026-11-02;1000;Fysiotherapie;35,00\n"
)


def test_a_csv_minor_without_debtor_columns_gets_the_same_action():
    store = FakeStore(providers=[PHYSIO])
    report = process_declaration(upload("week.csv"), CSV.encode(), ingest_context(store)).as_dict()
    assert "MINOR_WITHOUT_DEBTOR" in [f["code"] for f in report["findings"]]
    [action] = store.all_actions()
    assert action.kind is ActionKind.MINOR_WITHOUT_DEBTOR and action.details["patient_ref"] == "P7"
