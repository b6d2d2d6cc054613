"""A practice answers its patient "who read my data?" (R32, NEN 7513, Wabvpz): its admin
lists the reads of the practice's data that concern one patient, on moto through the
provider API; the operator asks the same with patient_ref; another practice never sees
them (R26); staff and viewers get a 403."""

from __future__ import annotations

import pytest

from local.generate import declaration_csv
from local.sandbox import Caller
from local.seed import DENTAL, PHYSIO
from tests.csv_downloads import BOM, csv_dicts

PROVIDER = DENTAL.provider_id
ADMIN = Caller.practice(PROVIDER, "admin")
VIEWER = Caller.practice(PROVIDER, "viewer")
AUDIT = "/api/v1/provider/audit"


@pytest.fixture
def two_patients_read(sandbox):
    """Two invoices of two patients, each opened by the practice's viewer."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(4))
    found, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    first = found[0]
    second = next(i for i in found if i.patient_ref != first.patient_ref)
    for invoice in (first, second):
        path = f"/api/v1/provider/invoices/{invoice.invoice_id}"
        assert sandbox.api("GET", path, caller=VIEWER)[0] == 200
    return first, second


def test_the_admin_lists_one_patient_s_reads_and_the_csv_hands_them_over(
    sandbox, two_patients_read
):
    """R32, NEN 7513, R35. Given a viewer who opened one invoice of patient A and one of B
    When the admin asks for A's reads of today, as JSON and as CSV
    Then only the read of A's invoice comes (the viewer, the Dutch time, no name), the CSV
    (with its BOM) holds that row, and the listing itself is then a read naming A."""
    first, _ = two_patients_read
    day = sandbox.clock.today().isoformat()
    query = {"patient_ref": first.patient_ref, "from": day, "to": day}

    status, answer = sandbox.api("GET", AUDIT, caller=ADMIN, query=query)

    assert status == 200, answer
    assert [(r["role"], r["kind"], r["subject"]) for r in answer["items"]] == [
        ("viewer", "invoice", f"{first.invoice_id} patient:{first.patient_ref}")
    ]
    assert answer["items"][0]["at"].endswith(("+01:00", "+02:00"))
    assert first.patient.display_name not in str(answer)
    status, body = sandbox.api("GET", AUDIT, caller=ADMIN, query=query | {"format": "csv"})
    assert status == 200 and body.startswith(BOM)
    rows = csv_dicts(body)
    # the viewer's read, and the JSON listing before it as a read of A's audit by the
    # admin; both at the sandbox's one instant, so in either order
    assert sorted((r["role"], r["kind"], r["subject"]) for r in rows) == [
        ("admin", "audit", f"{day}..{day} patient:{first.patient_ref}"),
        ("viewer", "invoice", f"{first.invoice_id} patient:{first.patient_ref}"),
    ]


def test_another_practice_staff_and_viewers_get_none_of_it(sandbox, two_patients_read):
    """R26, R32. Given the same reads, When the physio practice's admin asks for patient A
    (the tenant comes from the token only), Then none of the dental practice's reads come;
    a viewer or staff member of the dental practice gets a 403; the operator gets A's."""
    first, _ = two_patients_read
    day = sandbox.clock.today().isoformat()
    query = {"patient_ref": first.patient_ref, "from": day, "to": day}

    other = Caller.practice(PHYSIO.provider_id, "admin")
    status, answer = sandbox.api("GET", AUDIT, caller=other, query=query)
    assert (status, answer["items"]) == (200, [])
    for role in ("viewer", "staff"):
        status, answer = sandbox.api(
            "GET", AUDIT, caller=Caller.practice(PROVIDER, role), query=query
        )
        assert status == 403, answer
    status, answer = sandbox.api(
        "GET",
        "/api/v1/operator/audit",
        caller=Caller.operator("operator-sub-1"),
        query=query | {"provider_id": PROVIDER},
    )
    assert status == 200
    assert [r["subject"] for r in answer["items"] if r["kind"] == "invoice"] == [
        f"{first.invoice_id} patient:{first.patient_ref}"
    ]


def test_r32_a_patient_number_in_another_letter_case_is_refused_naming_the_number(
    sandbox, two_patients_read
):
    """R32, NEN 7513 (audit paths50): "pat000002" for PAT000002 answered 200 "no reads",
    which an admin could hand a patient as "nobody read your data". Its case counts
    (invoices/listing.patient_number): a 400 on query.patient_ref naming the number."""
    first, _ = two_patients_read
    day = sandbox.clock.today().isoformat()
    operator = Caller.operator("operator-sub-1")
    for typed in (first.patient_ref.lower(), first.patient_ref.capitalize()):
        query = {"patient_ref": typed, "from": day, "to": day}
        # When the admin (JSON, CSV) and the operator ask for it
        answers = [
            sandbox.api("GET", AUDIT, caller=ADMIN, query=query),
            sandbox.api("GET", AUDIT, caller=ADMIN, query=query | {"format": "csv"}),
            sandbox.api(
                "GET",
                "/api/v1/operator/audit",
                caller=operator,
                query=query | {"provider_id": PROVIDER},
            ),
        ]
        # Then each is the 400 naming the field, the number as the invoices have it, in
        # Dutch and English
        for status, answer in answers:
            assert status == 400, answer
            assert answer["error"]["code"] == "validation_error"
            assert answer["error"]["fields"][0]["field"] == "query.patient_ref"
            message = answer["error"]["message"]
            assert f"wel als {first.patient_ref}: hoofdletters" in message
            assert f"but as {first.patient_ref}: the case of its letters counts" in message
    # And a number no invoice has in any case is still an answer without reads
    unknown = {"patient_ref": "PAT999999", "from": day, "to": day}
    assert sandbox.api("GET", AUDIT, caller=ADMIN, query=unknown) == (
        200,
        {"patient_ref": "PAT999999", "items": [], "next_cursor": None},
    )


def test_r32_two_patients_whose_numbers_differ_in_case_only_are_two(sandbox):
    """R32, R4 (audit paths50): the case counts on purpose, so a number that has invoices
    as typed gets its own reads, never the refusal, though another case has some too."""
    # Given patient PAT000002 and patient pat000001 beside PAT000001, each read once
    upload = declaration_csv(4).replace(b"PAT000002", b"pat000001")
    sandbox.upload_declaration(PROVIDER, "week-47.csv", upload)
    found, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    lower = next(i for i in found if i.patient_ref == "pat000001")
    assert any(i.patient_ref == "PAT000001" for i in found)
    for invoice in found:
        path = f"/api/v1/provider/invoices/{invoice.invoice_id}"
        assert sandbox.api("GET", path, caller=VIEWER)[0] == 200
    day = sandbox.clock.today().isoformat()
    # When the admin asks for pat000001's reads
    query = {"patient_ref": "pat000001", "from": day, "to": day}
    status, answer = sandbox.api("GET", AUDIT, caller=ADMIN, query=query)
    # Then those of their invoices only
    assert status == 200, answer
    assert [r["subject"] for r in answer["items"]] == [f"{lower.invoice_id} patient:pat000001"]


def test_a_week_s_statement_read_is_found_by_each_patient_whose_invoice_it_shows(
    sandbox, paid_week
):
    """R32, NEN 7513, R24 (audit roles55: a statement's read named the week only, so the
    admin's list of a patient's reads missed every read of the statements that showed the
    patient's kenmerk, invoice and money: 0 of 4). Given week 48's statement, whose lines
    show the invoices issued that week and the one paid, When a viewer reads it as JSON
    and as CSV through the API and opens its page in the portal, and the admin lists the
    reads of each patient whose invoice a line shows, Then each listing holds those three
    reads, each naming the week, its format and the invoices shown, never a name."""
    from tests.functional.test_provider_portal import PortalUser, sample_login

    invoices, paid = paid_week
    sandbox.run_retrocession()
    statement = "/api/v1/provider/retrocessions/2026-W48"
    status, shown = sandbox.api("GET", statement, caller=VIEWER)
    assert status == 200 and paid.reference in str(shown)
    assert sandbox.api("GET", statement, caller=VIEWER, query={"format": "csv"})[0] == 200
    portal = PortalUser(sandbox)
    portal.sign_in(sample_login(DENTAL, "viewer"))
    assert portal.page("/portal/uitbetalingen/2026-W48")[0] == 200
    in_lines = list(dict.fromkeys(line["invoice_id"] for line in shown["lines"]))
    # each line's patient, then each invoice (reads56: named by number, as a list names them)
    patient_of = {invoice.invoice_id: invoice.patient_ref for invoice in invoices}
    patients = dict.fromkeys(f"patient:{patient_of[invoice_id]}" for invoice_id in in_lines)
    named = " ".join([*patients, *(f"invoice:{invoice_id}" for invoice_id in in_lines)])
    assert paid.invoice_id in in_lines and len(in_lines) == len(invoices)
    day = sandbox.clock.today().isoformat()
    for invoice in (i for i in invoices if i.invoice_id in in_lines):
        query = {"patient_ref": invoice.patient_ref, "from": day, "to": day}

        status, answer = sandbox.api("GET", AUDIT, caller=ADMIN, query=query)

        assert status == 200, answer
        assert sorted(r["subject"] for r in answer["items"] if r["kind"] == "export") == [
            f"retrocession:2026-W48.csv {named}",
            f"retrocession:2026-W48.csv {named}",
            f"retrocession:2026-W48.json {named}",
        ]
        assert invoice.patient.last_name not in str(answer["items"])


def test_a_week_s_statement_read_is_found_by_its_patients_once_their_invoices_are_deleted(
    sandbox, paid_week
):
    """R32, NEN 7513, legal-nl.md §8 (reads56: a statement's read named the invoices its
    lines show, which the search by patient finds through the patient's invoices: once
    they were deleted at the end of their retention, 0 of 6 reads were found).
    Given week 48's statement read as JSON and CSV by a viewer
    When the invoices its lines show are deleted and the admin lists each of their
    patients' reads of the day
    Then each listing holds both reads, which name the patient by number."""
    import boto3

    from billing_core.adapters.dynamo import keys

    invoices, _ = paid_week
    sandbox.run_retrocession()
    statement = "/api/v1/provider/retrocessions/2026-W48"
    status, shown = sandbox.api("GET", statement, caller=VIEWER)
    assert status == 200
    assert sandbox.api("GET", statement, caller=VIEWER, query={"format": "csv"})[0] == 200
    in_lines = {line["invoice_id"] for line in shown["lines"]}
    table = boto3.resource("dynamodb").Table(sandbox.names.table_name)
    for invoice_id in in_lines:
        table.delete_item(Key=keys.invoice_key(PROVIDER, invoice_id))
    day = sandbox.clock.today().isoformat()
    shown_patients = {i.patient_ref for i in invoices if i.invoice_id in in_lines}
    assert len(shown_patients) >= 2
    for patient_ref in sorted(shown_patients):
        query = {"patient_ref": patient_ref, "from": day, "to": day}

        status, answer = sandbox.api("GET", AUDIT, caller=ADMIN, query=query)

        assert status == 200, answer
        reads = [r["subject"] for r in answer["items"] if r["kind"] == "export"]
        assert sorted(subject.split()[0] for subject in reads) == [
            "retrocession:2026-W48.csv",
            "retrocession:2026-W48.json",
        ]
        assert all(f"patient:{patient_ref}" in subject.split() for subject in reads)
