"""Vektis EI content -> claims (R2-R7, interfaces.md §1b, vektis.md §2-§4): a content
problem rejects only its claims; the 02 is the patient, the 03 decides who gets the
invoice and how, 98s are comments, credit lines reverse the line they name."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from billing_core.declarations.claims import Address, LineType
from billing_core.declarations.findings import Severity
from billing_core.declarations.invoicing import issue_invoice, plan_invoices
from billing_core.declarations.rules.coverage import RuleTableCoverage
from billing_core.declarations.vektis.layouts import MZ301_V13, PM304_V32
from billing_core.invoices.invoice import Channel
from billing_core.shared.clock import AMSTERDAM
from tests.unit.claim_factories import VGZ, person, provider
from tests.unit.vektis_files import (
    PARENT,
    child_claims,
    codes,
    dental_claim,
    edited,
    only,
    parse,
    records,
)

# records([one claim]): 1 = 01, 2 = 02, 3 = 03 (the patient's own), 4 = 04, 5 = 99
INSURED, DEBTOR, TREATMENT = 1, 2, 3


def rejected(result, code: str, line: int, claim_ref: str = "L1"):  # type: ignore[no-untyped-def]
    """R2: the claim is left out, with a finding on the line where the problem is."""
    finding = only(result, code)
    assert finding.severity is Severity.CLAIM and not result.file_rejected
    assert (finding.line, finding.claim_ref) == (line, claim_ref)
    assert claim_ref not in [c.claim_ref for c in result.claims]
    assert finding.message("nl") and finding.message("en")
    return finding


# --- the patient (02) -----------------------------------------------------------------------


def test_the_patient_comes_from_the_insured_record():
    # Given a patient who pays themself: the 03 completes street, city and e-mail
    [claim] = parse(records([dental_claim()])).claims
    # Then the claim carries the 02's identity and the 03's address
    assert (claim.patient_ref, claim.bsn, claim.birth_date) == (
        "P1",
        "111222333",
        date(1980, 5, 17),
    )
    assert claim.patient == person()
    assert claim.debtor is None


@pytest.mark.parametrize(
    "usage, prefix, last_name",
    [
        ("1", "van", "Dijk"),
        ("2", "de", "Vries"),
        ("3", "de", "Vries-van Dijk"),
        ("4", "van", "Dijk-de Vries"),
    ],
)
def test_the_name_is_used_as_naamgebruik_says(usage, prefix, last_name):
    # Given a patient with a partner's name (NAAMCODE/NAAMGEBRUIK (03), COD829)
    lines = edited(records([dental_claim()]), INSURED, "last_name_2", "Vries")
    lines = edited(edited(lines, INSURED, "prefix_2", "de"), INSURED, "name_usage", usage)
    # Then the invoice addresses the patient by the name they use
    [claim] = parse(lines).claims
    assert (claim.patient.name_prefix, claim.patient.last_name) == (prefix, last_name)


def test_without_bsn_the_patient_number_identifies_the_patient():
    # Given BSN 999999999: no BSN (vektis.md §2)
    [claim] = parse(records([dental_claim(bsn="")])).claims
    assert claim.bsn == "" and claim.patient_ref == "P1"


def test_without_bsn_and_patient_number_nobody_can_be_invoiced():
    lines = edited(records([dental_claim(bsn="")]), INSURED, "patient_number", "")
    lines = edited(lines, INSURED, "debtor_number", "")
    lines = edited(lines, DEBTOR, "debtor_number", "")
    rejected(parse(lines), "VEKTIS_PATIENT_UNIDENTIFIED", INSURED + 1)


def test_the_debtor_number_stands_in_for_a_missing_patient_number():
    lines = edited(records([dental_claim()]), INSURED, "patient_number", "")
    assert parse(lines).claims[0].patient_ref == "P1"  # the writer's debtor number


def test_an_invalid_bsn_rejects_the_patients_lines_and_only_those():
    # Given two patients, the first with a BSN that fails the 11-proof
    lines = records([dental_claim("L1"), *child_claims()])
    lines = edited(edited(lines, INSURED, "bsn", "111222334"), TREATMENT, "bsn", "111222334")
    result = parse(lines)
    # Then its line is rejected with the last digits only (R29), the child's go on
    finding = rejected(result, "BSN_INVALID", INSURED + 1)
    assert finding.params == {"last_digits": "334"} and "111222334" not in finding.message("nl")
    assert [c.claim_ref for c in result.claims] == ["K1", "K2"]


def test_a_patient_problem_is_said_once_counting_the_treatment_lines_it_holds_back():
    """R2 (each of the patient's claims is left out), vektis.md "Files as practices really
    send them" (no flood of knock-on findings); stop 42's files5 audit: a 02 problem was
    listed once per 04 of that patient (9 treatments: 9 identical findings).
    Given a patient with 9 treatment lines whose 02 has an invalid BSN, and a child after it
    When it is parsed
    Then there is one BSN_INVALID finding, on the 02's line, saying 9 lines were held back
    (nl and en) and naming them; none of the 9 is a claim, the child's two are."""
    lines = records([*(dental_claim(f"L{i}") for i in range(1, 10)), *child_claims()])
    child = [index for index, text in enumerate(lines) if text[:2] == "02"][1]
    lines = edited(lines, INSURED, "bsn", "111222334")
    for index in range(TREATMENT, child):
        lines = edited(lines, index, "bsn", "111222334")

    result = parse(lines)

    assert [c.claim_ref for c in result.claims] == ["K1", "K2"]
    (finding,) = result.findings
    assert (finding.code, finding.line) == ("BSN_INVALID", INSURED + 1)
    assert finding.params["held_back"] == 9
    assert finding.params["held_back_refs"] == [f"L{i}" for i in range(1, 10)]
    assert "all 9 treatment lines (04)" in finding.message("en")
    assert "alle 9 prestatieregels (04)" in finding.message("nl")
    assert "111222334" not in finding.message("nl")


def test_a_treatment_line_of_another_patient_is_rejected():
    lines = edited(records([dental_claim()]), TREATMENT, "bsn", "100010039")
    rejected(parse(lines), "VEKTIS_LINE_PATIENT_MISMATCH", TREATMENT + 1)


def test_the_same_patient_twice_with_other_details_is_rejected():
    # Given patient P1 in two 02 blocks, the second with another address
    second = dental_claim(
        "L2", patient=person(address=Address("Biltstraat", "7", "", "3572 AA", "Utrecht"))
    )
    lines = records([dental_claim("L1")])[:-1] + records([second])[1:]
    lines = edited(edited(lines, 4, "record_id", 4), 5, "record_id", 5)
    lines = edited(edited(lines, 6, "record_id", 6), -1, "count_02", 2)
    lines = edited(edited(lines, -1, "count_03", 2), -1, "count_04", 2)
    lines = edited(edited(lines, -1, "count_detail", 6), -1, "total_amount", 10000)
    result = parse(lines)
    # Then the second block's line is rejected: one patient gets one invoice (R4)
    rejected(result, "VEKTIS_PATIENT_DATA_CONFLICT", 5, "L2")
    assert [c.claim_ref for c in result.claims] == ["L1"]


# --- the treatment line (04) ----------------------------------------------------------------


@pytest.mark.parametrize(
    "key, value, code",
    [
        ("treatment_date", "20261131", "VEKTIS_DATE_INVALID"),
        ("treatment_date", "20261124", "DATE_IN_FUTURE"),
        ("dc", "X", "VEKTIS_VALUE_INVALID"),
        ("amount", 0, "AMOUNT_ZERO"),
        ("quantity", 0, "VEKTIS_QUANTITY_ZERO"),
        ("uzovi", "1234", "UZOVI_UNKNOWN"),
        ("treatment_code", "", "VEKTIS_FIELD_REQUIRED"),
        ("line_reference", "", "VEKTIS_FIELD_REQUIRED"),
        ("unit_price", "       A", "VEKTIS_NOT_NUMERIC"),
    ],
)
def test_a_content_problem_rejects_only_its_line(key, value, code):
    # Given two lines, the second with one bad field (the 99 is not what this is about)
    lines = records([dental_claim("L0"), dental_claim("L1")])
    lines = (
        edited(lines, 4, key, value)
        if key != "unit_price"
        else [*lines[:4], lines[4][:122] + value + lines[4][130:], *lines[5:]]
    )
    if key == "amount":
        lines = edited(lines, -1, "total_amount", 5000)
    result = parse(lines)
    # Then that line is rejected with the element name, the other is a claim
    finding = rejected(result, code, 5, "L1" if key != "line_reference" else None)
    assert "record 04" in (finding.field or "")
    assert [c.claim_ref for c in result.claims] == ["L0"]


def test_an_invalid_birth_date_rejects_the_patients_lines():
    lines = edited(records([dental_claim()]), INSURED, "birth_date", "19800231")
    finding = rejected(parse(lines), "VEKTIS_DATE_INVALID", INSURED + 1)
    assert "Datum geboorte verzekerde" in (finding.field or "")


def test_a_duplicate_line_reference_keeps_the_first():
    result = parse(records([dental_claim("L1"), dental_claim("L1", treatment_code="C11")]))
    finding = only(result, "CLAIM_REF_DUPLICATE")
    assert (finding.line, finding.params["first_line"]) == (5, 4)
    assert [c.treatment_code for c in result.claims] == ["V21"]


def test_five_minute_units_stay_separate_lines():
    # Given two 04s of M03 (per 5 minutes) and one 04 of three units (R4, seed 004)
    m03 = dict(
        treatment_code="M03", description="Gebitsreiniging, per 5 minuten", unit_price_cents=1437
    )
    result = parse(
        records(
            [
                dental_claim("U1", **m03),
                dental_claim("U2", **m03),
                dental_claim("U3", quantity=3, **m03),
            ]
        )
    )
    # Then each record is its own line, the three units one line of quantity 3
    assert [(c.claim_ref, c.quantity, c.unit_price_cents) for c in result.claims] == [
        ("U1", 1, 1437),
        ("U2", 1, 1437),
        ("U3", 3, 1437),
    ]


def test_the_declared_amount_counts_not_tariff_times_quantity():
    # Given TARIEF 23.50 x 2 but DECLARATIEBEDRAG 40.01 (vektis.md §2: not a hard rule)
    lines = records([dental_claim(quantity=2, unit_price_cents=2350)])
    lines = edited(edited(lines, TREATMENT, "amount", 4001), -1, "total_amount", 4001)
    # Then the claim is the declared amount, as one line (4001 is no multiple of 2)
    [claim] = parse(lines).claims
    assert (claim.quantity, claim.unit_price_cents, claim.amount_cents) == (1, 4001, 4001)


def test_the_code_table_gives_description_and_line_type():
    result = parse(
        records(
            [
                dental_claim(
                    "A",
                    treatment_code="M61",
                    description="Mondbeschermer op maat (materiaal)",
                    line_type=LineType.MATERIAL,
                ),
                dental_claim(
                    "B",
                    treatment_code="C90",
                    description="Niet nagekomen afspraak",
                    line_type=LineType.NO_SHOW,
                ),
            ]
        )
    )
    assert [(c.description, c.line_type) for c in result.claims] == [
        ("Mondbeschermer op maat (materiaal)", LineType.MATERIAL),
        ("Niet nagekomen afspraak", LineType.NO_SHOW),
    ]


def test_an_unknown_code_is_invoiced_with_a_warning_once():
    result = parse(
        records([dental_claim("A", treatment_code="Z99"), dental_claim("B", treatment_code="Z99")])
    )
    assert [c.description for c in result.claims] == ["Prestatiecode Z99"] * 2
    assert codes(result) == ["VEKTIS_CODE_WITHOUT_DESCRIPTION"]
    assert only(result, "VEKTIS_CODE_WITHOUT_DESCRIPTION").severity is Severity.WARNING


# --- comments (98) -----------------------------------------------------------------------


def test_comments_are_attached_to_their_line_and_a_begroting_is_the_price_quote():
    # Given a line with two comments, one of them naming the price quote (R6)
    claim = dental_claim(
        comments=("Kroon 36, patiënt akkoord.", "Tweede zitting volgt."),
        price_quote_ref="BEGR-2026-0412",
    )
    [read] = parse(records([claim])).claims
    assert read.comments == ("Kroon 36, patiënt akkoord.", "Tweede zitting volgt.")
    assert read.price_quote_ref == "BEGR-2026-0412"


# --- credit lines ------------------------------------------------------------------------------


def test_a_credit_line_lowers_the_patients_invoice_in_the_same_file():
    # Given a patient with two controls, one reversed by a credit line in the same file
    credit = dental_claim(
        "L3", treatment_code="C11", unit_price_cents=-2350, reverses_claim_ref="L2"
    )
    lines = records(
        [
            dental_claim("L1"),
            dental_claim("L2", treatment_code="C11", unit_price_cents=2350),
            credit,
        ]
    )
    result = parse(lines)
    # Then the credit is a negative claim of the same patient, naming what it reverses
    read = result.claims[-1]
    assert (read.amount_cents, read.reverses_claim_ref, read.patient_key) == (
        -2350,
        "L2",
        ("P1", "111222333"),
    )
    assert read.description == "Correctie: Periodieke controle"
    # And invoicing nets it: one invoice of 50.00 + 23.50 - 23.50
    plan = plan_invoices(
        result.claims, provider(coverage_rules=()), RuleTableCoverage(provider(coverage_rules=()))
    )
    assert [d.amount_due_cents for d in plan.drafts] == [5000]


def test_a_credit_line_that_cancels_everything_leaves_nothing_to_invoice():
    """R2: only content errors reject a claim; a credit that reverses its debit exactly
    is none, so both lines are processed with a warning (audit ingest D6)."""
    credit = dental_claim("L2", unit_price_cents=-5000, reverses_claim_ref="L1")
    result = parse(records([dental_claim("L1"), credit]))
    chosen = provider(coverage_rules=())
    plan = plan_invoices(result.claims, chosen, RuleTableCoverage(chosen))
    assert plan.drafts == [] and {f.code for f in plan.findings} == {"LINES_CANCEL_OUT"}
    assert {f.severity for f in plan.findings} == {Severity.WARNING}


def test_a_credit_of_an_earlier_upload_keeps_its_reference():
    # Given a credit line for a line that is not in this file
    [read] = parse(
        records([dental_claim("L9", unit_price_cents=-5000, reverses_claim_ref="OLD-1")])
    ).claims
    # Then it is mapped, and the reversed line is named for the caller to find
    assert (read.amount_cents, read.reverses_claim_ref) == (-5000, "OLD-1")


def test_a_credit_line_must_name_what_it_reverses():
    lines = records(
        [dental_claim("L0"), dental_claim("L1", unit_price_cents=-100, reverses_claim_ref="L0")]
    )
    rejected(
        parse(edited(lines, 4, "previous_reference", "")), "VEKTIS_CREDIT_WITHOUT_REFERENCE", 5
    )


@pytest.mark.parametrize(
    "claims, code",
    [
        (
            [
                dental_claim("L0", unit_price_cents=-100, reverses_claim_ref="X"),
                dental_claim("L1", unit_price_cents=-100, reverses_claim_ref="L0"),
            ],
            "VEKTIS_CREDIT_OF_CREDIT",
        ),
        (
            [
                dental_claim("L0"),
                dental_claim("L1", unit_price_cents=-5001, reverses_claim_ref="L0"),
            ],
            "VEKTIS_CREDIT_EXCEEDS_DEBIT",
        ),
        (
            [
                dental_claim("L0"),
                dental_claim("L1", unit_price_cents=-5000, reverses_claim_ref="L0"),
                dental_claim("L2", unit_price_cents=-1, reverses_claim_ref="L0"),
            ],
            "VEKTIS_CREDIT_EXCEEDS_DEBIT",
        ),
    ],
    ids=["credit-of-credit", "more-than-the-debit", "two-credits-more-than-the-debit"],
)
def test_a_credit_line_must_fit_the_debit_it_reverses(claims, code):
    result = parse(records(claims))
    finding = only(result, code)
    assert finding.severity is Severity.CLAIM and finding.params["reference"] == "L0"
    assert finding.claim_ref not in [c.claim_ref for c in result.claims]


def test_a_credit_line_of_another_patient_is_rejected():
    child = child_claims()[0]
    credit = replace(child, claim_ref="K9", unit_price_cents=-100, reverses_claim_ref="L1")
    result = parse(records([dental_claim("L1"), child, credit]))
    assert only(result, "VEKTIS_CREDIT_OTHER_PATIENT").claim_ref == "K9"


def test_a_credit_of_a_rejected_line_is_rejected_too():
    lines = records(
        [dental_claim("L1"), dental_claim("L2", unit_price_cents=-100, reverses_claim_ref="L1")]
    )
    result = parse(edited(lines, TREATMENT, "uzovi", "1234"))
    assert only(result, "VEKTIS_CREDIT_OF_REJECTED_LINE").claim_ref == "L2"
    assert result.claims == []


# --- who gets the invoice: the debtor record (03) and R7 --------------------------------------


def test_a_parent_gets_the_invoice_of_a_child():
    # Given a child's lines with the parent's debtor record (SB311 v2.0, FACTURATIEVORM D)
    result = parse(records(child_claims()))
    # Then the parent is the debtor, reached by e-mail
    assert [c.debtor for c in result.claims] == [PARENT, PARENT]
    chosen = provider()
    plan = plan_invoices(result.claims, chosen, RuleTableCoverage(chosen))
    [draft] = plan.drafts
    invoice = issue_invoice(
        draft,
        provider=chosen,
        declaration_id="D1",
        reference="12234534622567",
        issued_at=datetime(2026, 11, 23, 9, tzinfo=AMSTERDAM),
    )
    assert invoice.addressee == PARENT and invoice.channel is Channel.EMAIL
    # And the child's mouth guard at a VGZ-group insurer goes to the insurer first (R6)
    assert [line.claim.claim_ref for line in plan.insurer_lines] == ["K2"]


@pytest.mark.parametrize(
    "version", ["01", "02", "  "], ids=["SB311-v1.0", "SB311-v2.0", "MZ301-own"]
)
def test_every_debtor_record_version_is_read(version):
    [first, _] = parse(records(child_claims(), debtor_version=version)).claims
    assert first.debtor == PARENT


def test_facturatievorm_p_means_paper_even_with_an_e_mail_address():
    lines = edited(records(child_claims()), DEBTOR, "invoice_form", "P")
    result = parse(lines)
    assert result.findings == [] and {c.debtor.email for c in result.claims} == {""}
    assert {c.debtor.address.street for c in result.claims} == {"Wittevrouwensingel"}


def test_facturatievorm_d_without_e_mail_goes_by_post_with_a_warning():
    lines = edited(records(child_claims()), DEBTOR, "email", "")
    result = parse(lines)
    assert codes(result) == ["VEKTIS_DIGITAL_WITHOUT_EMAIL"] and len(result.claims) == 2


@pytest.mark.parametrize("email", ["m.terpstra@example", ".terpstra@example.nl"])
def test_an_invalid_e_mail_address_goes_by_post_with_a_warning(email):
    """The same check as a CSV file's (shared.email_address): a leading dot too."""
    result = parse(edited(records(child_claims()), DEBTOR, "email", email))
    assert codes(result, Severity.WARNING) == ["VEKTIS_EMAIL_INVALID"]
    assert {c.debtor.email for c in result.claims} == {""}


def test_a_debtor_without_e_mail_or_complete_address_cannot_be_delivered():
    lines = edited(edited(records(child_claims()), DEBTOR, "email", ""), DEBTOR, "city", "")
    result = parse(lines)
    assert {f.code for f in result.findings if f.severity is Severity.CLAIM} >= {
        "VEKTIS_FIELD_REQUIRED",
        "NOT_DELIVERABLE",
    }
    assert result.claims == []


def test_heirs_get_the_invoice_of_a_deceased_patient():
    # Given a deceased patient (INDICATIE CLIENT OVERLEDEN 1) and an 03 for the heirs
    heirs = person(
        initials="", name_prefix="", last_name="Erven van J. van Dijk", email="notaris@example.org"
    )
    lines = edited(
        records([dental_claim(debtor=heirs)], debtor_version="  "), INSURED, "deceased", 1
    )
    lines = edited(lines, DEBTOR, "relation", 23)  # COD821 23: erven van
    [claim] = parse(lines).claims
    assert claim.debtor == heirs


def test_without_debtor_record_the_patient_gets_a_paper_invoice_by_postcode():
    # Given an insurer-bound file: no 03, only the 02's postcode and house number
    patient = person(email="", address=Address("", "12", "A", "3511 AB", ""))
    result = parse(records([dental_claim(patient=patient)]))
    [claim] = result.claims
    # Then the invoice goes to the patient, on paper, addressed by postcode and number (R7)
    assert claim.debtor is None and claim.patient.email == ""
    assert claim.patient.address == Address("", "12", "A", "3511 AB", "")
    assert only(result, "VEKTIS_POSTCODE_ONLY_ADDRESS").severity is Severity.WARNING


def test_without_debtor_record_or_postcode_nothing_can_be_delivered():
    patient = person(email="", address=Address("", "12", "", "", ""))
    rejected(parse(records([dental_claim(patient=patient)])), "NOT_DELIVERABLE", INSURED + 1)


def test_a_dutch_postcode_is_checked_and_normalised():
    [claim] = parse(records([dental_claim()])).claims
    assert claim.patient.address.postcode == "3511 AB"
    lines = edited(records([dental_claim()]), INSURED, "postcode", "0000XX")
    rejected(parse(lines), "POSTCODE_INVALID", INSURED + 1)


def test_a_foreign_address_uses_the_foreign_postcode():
    abroad = person(address=Address("Rue Neuve", "3", "", "B-1000", "Brussel", "BE"))
    [claim] = parse(records([dental_claim(patient=abroad)])).claims
    assert claim.patient.address == Address("Rue Neuve", "3", "", "B-1000", "Brussel", "BE")


def test_pm304_maps_the_same_claim_model():
    claim = dental_claim(
        treatment_code="1000",
        description="Handtherapie, behandeling per 5 minuten",
        unit_price_cents=1260,
        insurer_uzovi=VGZ,
    )
    [read] = parse(records([claim], standard=PM304_V32)).claims
    assert replace(read, line_number=claim.line_number) == claim
    assert (
        MZ301_V13.records["04"].field("amount").start
        != PM304_V32.records["04"].field("amount").start
    )
