"""Claims become patient invoices (R4-R8), lines routed by the line rules (R6) and the
coverage component (R5)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from billing_core.declarations.claims import Claim, LineType
from billing_core.declarations.findings import Severity
from billing_core.declarations.invoicing import (
    MAX_LINES_PER_INVOICE,
    invoice_id_for,
    issue_invoice,
    plan_invoices,
)
from billing_core.declarations.rules.coverage import CoverageQuery, RuleTableCoverage
from billing_core.declarations.rules.line_rules import (
    Payer,
    in_treatment_plan,
    plan_lacks_quote,
    route_line,
)
from billing_core.invoices.invoice import Channel
from billing_core.providers.provider import CareKind, CoverageRule
from billing_core.shared.clock import AMSTERDAM
from billing_core.texts.practice import finding_message
from tests.unit.claim_factories import ASR, VGZ, ZILVEREN_KRUIS, claim, person, provider

ISSUED_AT = datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM)


def lacks_required_quote(chosen, claims):
    """R6 on a patient's claims, through the rule invoicing applies (plan_lacks_quote on
    the lines in the plan, in_treatment_plan)."""
    plan = [c for c in claims if in_treatment_plan(c.line_type)]
    return plan_lacks_quote(
        chosen, sum(c.amount_cents for c in plan), any(c.price_quote_ref for c in plan)
    )


def _plan(*claims, **provider_overrides):
    chosen = provider(**provider_overrides)
    return plan_invoices(claims, chosen, RuleTableCoverage(chosen))


# --- coverage (R5) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "uzovi, code, year, reimbursed, contracted",
    [
        (ZILVEREN_KRUIS, "C11", 2026, 3750, True),  # 75% rule for consults
        (ZILVEREN_KRUIS, "C13", 2026, 5000, True),  # the longest prefix wins: 100%
        (ZILVEREN_KRUIS, "V21", 2026, 0, True),  # catch-all 0%
        (ASR, "C11", 2026, 0, False),  # not contracted: non-contracted percentage (0)
        (ZILVEREN_KRUIS, "C11", 2025, 0, False),  # contracts are per year
    ],
)
def test_rule_table_reimbursement(uzovi, code, year, reimbursed, contracted):
    # Given the provider's rule table / When asked about a 50-euro line
    decision = RuleTableCoverage(provider()).decide(
        CoverageQuery(uzovi, date(year, 6, 1), code, 5000)
    )
    # Then the insurer pays what the table says
    assert (decision.reimbursed_cents, decision.contracted) == (reimbursed, contracted)


def test_non_contracted_percentage_applies_without_contract():
    rules = (
        CoverageRule(
            code_prefix="",
            contracted_percentage=Decimal(100),
            non_contracted_percentage=Decimal(60),
        ),
    )
    decision = RuleTableCoverage(provider(coverage_rules=rules)).decide(
        CoverageQuery(ASR, date(2026, 6, 1), "1000", 1001)
    )
    assert decision.reimbursed_cents == 601  # 600.6 rounds half-up


def test_a_prefix_typed_in_lower_case_still_matches_the_upper_case_code():
    # Given a rule table whose consult prefix an operator typed as "c" (R5); the readers
    # give codes upper case (audit FILES2-1)
    rules = (
        CoverageRule(code_prefix="c", contracted_percentage=Decimal(75)),
        CoverageRule(code_prefix="", contracted_percentage=Decimal(0)),
    )
    # When a C11 line at a contracted insurer is priced
    decision = RuleTableCoverage(provider(coverage_rules=rules)).decide(
        CoverageQuery(ZILVEREN_KRUIS, date(2026, 6, 1), "C11", 5000)
    )
    # Then the "c" rule is the one that applies, not the catch-all
    assert decision.reimbursed_cents == 3750


# --- line rules (R6) ---------------------------------------------------------------------


def test_a_no_show_fee_never_goes_to_the_insurer():
    # Given a no-show line at an insurer that would pay 100% for the code
    no_show = claim(line_type=LineType.NO_SHOW, treatment_code="C13", unit_price_cents=6017)
    routing = route_line(no_show, RuleTableCoverage(provider()))
    # Then the patient pays all of it
    assert (routing.payer, routing.reimbursed_cents) == (Payer.PATIENT, 0)


@pytest.mark.parametrize("uzovi, payer", [(VGZ, Payer.INSURER), (ZILVEREN_KRUIS, Payer.PATIENT)])
def test_materials_go_to_vgz_group_insurers_first(uzovi, payer):
    splint = claim(line_type=LineType.MATERIAL, insurer_uzovi=uzovi, treatment_code="M01")
    assert route_line(splint, RuleTableCoverage(provider())).payer is payer


def test_a_line_fully_covered_by_a_contracted_insurer_leaves_the_patient_invoice():
    plan = _plan(claim("L1", treatment_code="C13"), claim("L2", treatment_code="V21"))
    # Then only the filling is invoiced; the consult goes to the insurer-claim export
    assert [line.claim_ref for line in plan.drafts[0].lines] == ["L2"]
    assert [line.claim.claim_ref for line in plan.insurer_lines] == ["L1"]


@pytest.mark.parametrize(
    "care_kind, prices, quote, lacks",
    [
        (CareKind.DENTAL, [20000, 6000], "", True),  # €260 plan, no quote
        (CareKind.DENTAL, [20000, 5000], "", False),  # exactly €250 is allowed
        (CareKind.DENTAL, [20000, 6000], "BEGR-7", False),
        (CareKind.PARAMEDICAL, [20000, 6000], "", False),  # the rule is for dental care
    ],
)
def test_dental_plan_above_250_needs_a_price_quote(care_kind, prices, quote, lacks):
    claims = [
        claim(f"L{i}", unit_price_cents=p, price_quote_ref=quote) for i, p in enumerate(prices)
    ]
    assert lacks_required_quote(provider(care_kind=care_kind), claims) is lacks


_CARE, _MATERIAL, _NO_SHOW = LineType.CARE, LineType.MATERIAL, LineType.NO_SHOW


@pytest.mark.parametrize(
    "lines, lacks",
    [
        pytest.param([(_CARE, 20000, ""), (_MATERIAL, 8000, "")], True, id="crown and lab work"),
        pytest.param(
            [(_CARE, 26000, ""), (_MATERIAL, 1000, "BEGR-7")], False, id="quote on the material"
        ),
        pytest.param(
            [(_MATERIAL, 20000, "BEGR-7"), (_CARE, 8000, "")], False, id="quote on either line"
        ),
        pytest.param([(_CARE, 20000, ""), (_NO_SHOW, 6017, "")], False, id="no-show is no plan"),
    ],
)
def test_a_dental_plans_material_and_technique_count_toward_the_250(lines, lacks):
    """R6, legal-nl.md §6 (NZa Regeling Mondzorg): the quote required above €250 shows the
    treatment's material and technique costs and the total, so the plan is every line but
    the no-show fee, and a price_quote_ref on any of its lines is the quote (audit COVERAGE5).
    Given a dental file of one patient with these lines (care, material, no-show)
    When it is planned
    Then the plan lacks a quote, and its invoice warns, as the total says."""
    claims = [
        claim(f"L{i}", line_type=kind, unit_price_cents=price, price_quote_ref=quote)
        for i, (kind, price, quote) in enumerate(lines)
    ]
    assert lacks_required_quote(provider(), claims) is lacks
    warned = ("PRICE_QUOTE_MISSING",) if lacks else ()
    assert [draft.warnings for draft in _plan(*claims).drafts] == [warned]


def test_missing_quote_is_a_warning_and_the_invoice_is_still_sent():
    plan = _plan(claim("L1", unit_price_cents=20000), claim("L2", unit_price_cents=6000))
    assert len(plan.drafts) == 1 and plan.drafts[0].warnings == ("PRICE_QUOTE_MISSING",)
    assert [(f.code, f.severity) for f in plan.findings] == [
        ("PRICE_QUOTE_MISSING", Severity.WARNING)
    ]


# --- grouping and amounts (R4) ---------------------------------------------------------------


def test_claims_of_one_patient_become_one_invoice_with_a_line_each():
    # Given two patients, the first with three 5-minute units (seed 004: they stay lines)
    units = [claim(f"U{i}", treatment_code="1000", unit_price_cents=1150) for i in range(3)]
    other = claim("X1", patient_ref="P2", bsn="123456782")
    plan = _plan(*units, other)
    # Then two invoices, in order of appearance, the first with three lines
    assert [len(d.lines) for d in plan.drafts] == [3, 1]
    assert plan.drafts[0].amount_due_cents == 3450


def test_a_patient_with_very_many_lines_gets_more_than_one_invoice():
    claims = [claim(f"U{i}", unit_price_cents=100) for i in range(MAX_LINES_PER_INVOICE + 5)]
    assert [len(d.lines) for d in _plan(*claims).drafts] == [MAX_LINES_PER_INVOICE, 5]


@pytest.mark.parametrize("lines, invoices", [(MAX_LINES_PER_INVOICE + 5, 2), (200, 3)])
def test_a_patient_split_over_invoices_is_reported_on_each_further_invoice(lines, invoices):
    """R4 (one invoice per patient and file) gives way to the transaction limit; the
    report says so on the first line of each further invoice (audit ingest D2)."""
    # Given one patient with more lines than one invoice holds, and another patient
    claims = [claim(f"U{i}", unit_price_cents=100) for i in range(lines)]
    other = claim("X1", patient_ref="P2", bsn="123456782")
    # When the file is planned
    plan = _plan(*claims, other)
    # Then a warning names the patient and the number of invoices, per further invoice
    split = [f for f in plan.findings if f.code == "INVOICE_SPLIT"]
    starts = [claims[n] for n in range(MAX_LINES_PER_INVOICE, lines, MAX_LINES_PER_INVOICE)]
    assert [(f.severity, f.line, f.claim_ref) for f in split] == [
        (Severity.WARNING, c.line_number, c.claim_ref) for c in starts
    ]
    assert all(f.params["patient_ref"] == "P1" and f.params["invoices"] == invoices for f in split)
    assert f"{invoices} facturen" in split[0].message("nl")
    assert f"{invoices} invoices" in split[0].message("en")


def test_a_patient_within_the_limit_gets_no_split_finding():
    claims = [claim(f"U{i}", unit_price_cents=100) for i in range(MAX_LINES_PER_INVOICE)]
    plan = _plan(*claims)
    assert len(plan.drafts) == 1 and plan.findings == []


def test_credit_lines_lower_the_invoice():
    plan = _plan(claim("L1", unit_price_cents=5000), claim("L2", unit_price_cents=-1500))
    assert plan.drafts[0].amount_due_cents == 3500


def test_a_debit_and_the_credit_that_reverses_it_cancel_out_with_a_warning():
    """vektis.md §1: a credit line reverses the debit it names. R2 rejects a claim for a
    content error only, so a correct reversal pair is processed: nothing is invoiced and
    the report warns why (audit ingest D6)."""
    debit = claim("M1", unit_price_cents=5130)
    credit = claim("M2", unit_price_cents=-5130, reverses_claim_ref="M1")
    plan = _plan(debit, credit)
    assert plan.drafts == [] and plan.cancelled_out == [debit, credit]
    assert [(f.code, f.severity, f.claim_ref) for f in plan.findings] == [
        ("LINES_CANCEL_OUT", Severity.WARNING, "M1"),
        ("LINES_CANCEL_OUT", Severity.WARNING, "M2"),
    ]


def test_credits_that_outweigh_the_debits_invoice_nothing_and_say_why():
    plan = _plan(claim("L1", unit_price_cents=1000), claim("L2", unit_price_cents=-1500))
    assert plan.drafts == []
    assert {(f.code, f.claim_ref) for f in plan.findings} == {
        ("NOTHING_TO_INVOICE", "L1"),
        ("NOTHING_TO_INVOICE", "L2"),
    }


# --- a credit of a line in the same file (vektis.md §1, R5, R27) -------------------------------
# The same correction gives the same money whichever file it arrives in: a credit line
# settles like its debit, as a credit of an earlier upload does (credit_corrections.py).

ONLY_2025 = {2025: frozenset({ZILVEREN_KRUIS})}  # a contract that ended on 31 December 2025


def _paramedical(percentage: int, contracted=None):  # type: ignore[no-untyped-def]
    return dict(
        care_kind=CareKind.PARAMEDICAL,
        contracted_insurers=contracted or {2026: frozenset({ZILVEREN_KRUIS})},
        coverage_rules=(CoverageRule(code_prefix="", contracted_percentage=Decimal(percentage)),),
    )


def test_two_half_credits_in_the_same_file_give_back_exactly_the_lines_deduction():
    # Given a unit of 11.50 of which the insurer pays 75% (862.5 -> 8.63), reversed in two
    # halves in the same file, and another line of 50.00 (12.50 for the patient)
    unit = claim("A", treatment_code="1000", unit_price_cents=1150)
    halves = [
        claim(ref, treatment_code="1000", unit_price_cents=-575, reverses_claim_ref="A")
        for ref in ("c1", "c2")
    ]
    other = claim("B", treatment_code="1000", unit_price_cents=5000)
    # When the file is planned
    (draft,) = _plan(unit, *halves, other, **_paramedical(75)).drafts
    # Then the halves give back 4.32 and 4.31, as two credits in later files do (R27: to
    # the cent), and the invoice asks the other line's patient share only (R5)
    assert [line.reimbursed_cents for line in draft.lines] == [863, -432, -431, 3750]
    assert draft.amount_due_cents == 1250


def _line_of_2025_and_its_credit_of_2026() -> tuple[Claim, Claim]:
    """A line of 2025-12-20 (the contract's last year in these tests) and its full credit
    of 2026-01-05, in one file."""
    debit = claim(
        "A", treatment_code="1000", treatment_date=date(2025, 12, 20), unit_price_cents=10000
    )
    reversal = claim(
        "cA",
        treatment_code="1000",
        treatment_date=date(2026, 1, 5),
        unit_price_cents=-10000,
        reverses_claim_ref="A",
    )
    return debit, reversal


def test_a_same_file_credit_dated_after_the_contracts_end_gives_back_its_lines_deduction():
    # Given a line of 2025-12-20 when the practice was contracted (75%: 75.00 deducted),
    # reversed in full by a credit dated 2026-01-05, and a 2026 line of 200.00 (no contract)
    debit, reversal = _line_of_2025_and_its_credit_of_2026()
    other = claim(
        "B", treatment_code="1000", treatment_date=date(2026, 1, 5), unit_price_cents=20000
    )
    # When the file is planned
    (draft,) = _plan(debit, reversal, other, **_paramedical(75, ONLY_2025)).drafts
    # Then the credit takes back the 75.00 deducted on the line it reverses, not its own
    # date's 0%, and belongs to that line's coverage date (as credit_corrections books it)
    credit_line = draft.lines[1]
    assert (credit_line.reimbursed_cents, credit_line.coverage_date) == (-7500, date(2025, 12, 20))
    assert draft.amount_due_cents == 20000


def test_a_same_file_full_credit_across_the_contracts_end_cancels_out():
    # Given only the line and its full credit of the case above
    debit, reversal = _line_of_2025_and_its_credit_of_2026()
    plan = _plan(debit, reversal, **_paramedical(75, ONLY_2025))
    # Then they cancel out (a warning), not "nothing to invoice" (a rejection)
    assert plan.drafts == [] and plan.cancelled_out == [debit, reversal]
    assert {f.code for f in plan.findings} == {"LINES_CANCEL_OUT"}


def test_a_same_file_credit_of_a_line_at_the_insurer_goes_to_the_insurer_too():
    # Given a line of 2025-12-20 the contracted insurer paid in full (to the export),
    # reversed by a credit dated 2026-01-05 (no contract), and a 2026 line of 200.00
    debit, reversal = _line_of_2025_and_its_credit_of_2026()
    other = claim(
        "B", treatment_code="1000", treatment_date=date(2026, 1, 5), unit_price_cents=20000
    )
    # When the file is planned
    plan = _plan(debit, reversal, other, **_paramedical(100, ONLY_2025))
    # Then the credit nets its line in the insurer-claim export, the patient's invoice
    # has the other line only, and the report says where the credit went
    assert [(line.claim.claim_ref, line.reason) for line in plan.insurer_lines] == [
        ("A", "fully_covered_by_contracted_insurer"),
        ("cA", "credit_of_insurer_line"),
    ]
    (draft,) = plan.drafts
    assert [line.claim_ref for line in draft.lines] == ["B"] and draft.amount_due_cents == 20000
    assert [(f.code, f.severity, f.claim_ref, f.params) for f in plan.findings] == [
        ("CREDIT_OF_INSURER_LINE", Severity.WARNING, "cA", {"reference": "A"}),
    ]


def test_a_credit_without_a_link_settled_unlike_its_look_alike_debit_is_reported():
    """CSV (interfaces.md §1a) has no column naming the line a credit reverses, so a CSV
    credit is rated on its own code and date. When that settles it unlike a debit of the
    same patient with its amount and code in the file, the report warns (vektis.md §1)."""
    # Given the dental seed's rules (M 100% to the insurer, C 75%) and a correction
    # 'CR-M03' written the way the sample file writes its 'CR-C11'
    fluoride = claim("M", insurer_uzovi=VGZ, treatment_code="M03", unit_price_cents=1437)
    correction = claim("cM", insurer_uzovi=VGZ, treatment_code="CR-M03", unit_price_cents=-1437)
    control = claim("C", insurer_uzovi=VGZ, treatment_code="C11", unit_price_cents=2350)
    rules = (
        CoverageRule(code_prefix="M", contracted_percentage=Decimal(100)),
        CoverageRule(code_prefix="C", contracted_percentage=Decimal(75)),
    )
    # When the file is planned
    plan = _plan(control, fluoride, correction, coverage_rules=rules)
    # Then the routing stays (nothing links them), and the report names the look-alike
    assert [line.claim.claim_ref for line in plan.insurer_lines] == ["M"]
    [finding] = plan.findings
    assert (finding.code, finding.severity, finding.claim_ref) == (
        "CREDIT_SETTLED_UNLIKE_ITS_DEBIT",
        Severity.WARNING,
        "cM",
    )
    assert "M (" in finding.message("nl") and "zorgverzekeraar" in finding.message("nl")
    assert "M (" in finding.message("en") and "insurer" in finding.message("en")


def test_a_credit_without_a_link_settled_like_its_look_alike_debit_is_not_reported():
    # Given the sample file's own correction: 'CR-C11' of a C11, both 75% (TDV26-0019)
    control = claim("C", treatment_code="C11", unit_price_cents=2350)
    correction = claim("cC", treatment_code="CR-C11", unit_price_cents=-2350)
    other = claim("V", treatment_code="V21", unit_price_cents=5000)
    # Then nothing is reported: the credit settles as its debit does
    assert _plan(control, other, correction).findings == []


# --- the issued invoice ------------------------------------------------------------------------


def _issue(draft_claims, **provider_overrides):
    chosen = provider(**provider_overrides)
    plan = plan_invoices(draft_claims, chosen, RuleTableCoverage(chosen))
    return issue_invoice(
        plan.drafts[0],
        provider=chosen,
        declaration_id="D1",
        reference="12234534622567",
        issued_at=ISSUED_AT,
    )


def test_the_ledger_shows_the_reimbursement_deducted():
    # Given a consult (75% reimbursed) and a filling (0%) / When issued
    invoice = _issue([claim("L1", treatment_code="C11", unit_price_cents=2500), claim("L2")])
    # Then gross 75.00, reimbursed 18.75, to pay 56.25, all from ledger entries (R27)
    assert (invoice.gross_cents, invoice.reimbursed_cents, invoice.amount_due_cents) == (
        7500,
        1875,
        5625,
    )
    assert [e.kind.value for e in invoice.ledger] == ["issued", "reimbursement_deduction"]


def test_final_payment_date_follows_the_providers_term():
    assert _issue([claim()]).final_payment_date == date(2026, 12, 23)  # R8: 30 days
    assert _issue([claim()], payment_term_days=14).final_payment_date == date(2026, 12, 7)


@pytest.mark.parametrize(
    "email, debtor, channel, addressee",
    [
        ("p@example.org", None, Channel.EMAIL, "Dijk"),
        ("", None, Channel.PAPER, "Dijk"),
        ("", person(last_name="Ouder", email="ouder@example.org"), Channel.EMAIL, "Ouder"),
        ("p@example.org", person(last_name="Ouder", email=""), Channel.PAPER, "Ouder"),
    ],
)
def test_the_addressee_decides_the_channel(email, debtor, channel, addressee):
    # Given a patient (maybe with a parent as debtor) / Then the one who pays gets it (R7)
    invoice = _issue([claim(patient=person(email=email), debtor=debtor)])
    assert invoice.channel is channel and invoice.addressee.last_name == addressee


def test_invoice_ids_are_stable_per_upload_and_differ_between_uploads():
    first = claim("L1")
    assert invoice_id_for("p", "D1", first) == invoice_id_for("p", "D1", first)
    assert invoice_id_for("p", "D1", first) != invoice_id_for("p", "D2", first)


def test_lines_a_non_contracted_insurer_reimburses_in_full_are_refused_for_that_not_for_credits():
    """R5, R1 (audit58b). Given a practice whose rule table has a non-contracted insurer
    reimburse 100% (a restitution policy), and a patient of ASR (not contracted) with a
    check-up of € 50,00 and a consult of € 12,50, both reimbursed in full, When the file
    is planned, Then nothing is invoiced (the patient would owe € 0,00) and both lines are
    refused with a finding that names the cause: the insurer reimburses them in full
    without a contract. Before, both said "this patient's credit lines equal or exceed the
    other lines": 2 of 2 findings named credit lines the file does not have."""
    rules = (
        CoverageRule(contracted_percentage=Decimal(75), non_contracted_percentage=Decimal(100)),
    )
    lines = (
        claim("L1", insurer_uzovi=ASR, treatment_code="C11", unit_price_cents=5000),
        claim("L2", insurer_uzovi=ASR, treatment_code="C13", unit_price_cents=1250),
    )
    plan = _plan(*lines, coverage_rules=rules)
    assert plan.drafts == [] and plan.insurer_lines == []
    assert [(f.code, f.severity, f.claim_ref) for f in plan.findings] == [
        ("FULLY_REIMBURSED_NOT_CONTRACTED", Severity.CLAIM, "L1"),
        ("FULLY_REIMBURSED_NOT_CONTRACTED", Severity.CLAIM, "L2"),
    ]
    assert finding_message("FULLY_REIMBURSED_NOT_CONTRACTED", "en", line=2).startswith(
        "Line 2: the insurer reimburses all of this patient's lines in full, without a contract"
    )
