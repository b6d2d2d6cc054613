"""Non-contracted care: the insurer's statement and the provider's coulance policy (R17;
seed 004: "U betaalt ons het bedrag dat door uw zorgverzekeraar wordt vergoed, met een
minimum van 60% van de factuur. Indien uw eigen risico ingehouden is, dient u dit gedeelte
zelf te voldoen."; legal-nl.md §6)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from billing_core.adapters.users_in_memory import InMemoryUserDirectory
from billing_core.changes.arrangement import (
    arrangement_status,
    create_arrangement,
    extra_term,
    next_term,
    standing_terms,
)
from billing_core.changes.coulance import (
    STATEMENT_CAUSE,
    apply_coulance,
    awaits_insurer_statement,
    is_non_contracted,
    propose,
    statement_unwelcome,
    statement_wait_until,
    with_statement,
)
from billing_core.changes.coulance_policy import CoulanceMode, CoulancePolicy
from billing_core.changes.stop import StopRequest, StopScope
from billing_core.declarations.claims import Claim, LineType
from billing_core.declarations.invoicing import issue_invoice, plan_invoices
from billing_core.declarations.rules.coverage import RuleTableCoverage
from billing_core.invoices.access import BirthDate
from billing_core.invoices.invoice import (
    ArrangementStatus,
    ArrangementTerm,
    Channel,
    DunningStage,
    InsurerStatement,
    Invoice,
    InvoiceStatus,
)
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry, balance
from billing_core.payments.booking import IncomingPayment, apply_payment
from billing_core.providers.actions import ActionKind
from billing_core.providers.provider import CoverageRule, Provider
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.patient import PatientContext, StatementOutcome, submit_insurer_statement
from billing_core.services.provider.actions import CoulanceDecision, decide_coulance
from billing_core.services.provider.context import ProviderContext
from billing_core.services.provider.invoices import stop_invoice
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.shared.errors import Refused, StateConflict
from billing_core.shared.retries import RequestCause
from tests.unit.claim_factories import ASR, claim
from tests.unit.claim_factories import provider as claims_provider
from tests.unit.factories import make_invoice, make_line, make_person, make_provider
from tests.unit.fake_store import AuditInMemory, FakeQueue, FakeStore, FilesInMemory

NOW = datetime(2026, 12, 10, 10, 0, tzinfo=AMSTERDAM)
NON_CONTRACTED = make_provider()  # no contracts at all: every insurer is non-contracted
INVOICE = make_invoice(lines=(make_line(unit_price_cents=20_000),), status=InvoiceStatus.SENT)


def statement(reimbursed: int, withheld: int = 0) -> InsurerStatement:
    return InsurerStatement(reimbursed, withheld, NOW)


@pytest.mark.parametrize(
    "reimbursed, withheld, to_pay, forgiven",
    [
        (15_000, 0, 15_000, 5_000),  # the insurer paid 75%: the patient pays that
        (8_000, 0, 12_000, 8_000),  # only 40%: the 60% minimum applies
        (0, 13_000, 13_000, 7_000),  # all of it withheld as eigen risico: the patient pays it
        (10_000, 3_000, 13_000, 7_000),  # reimbursed + withheld eigen risico, 65%
        (20_000, 0, 20_000, 0),  # paid in full: nothing to forgive
        (12_000, 0, 12_000, 8_000),  # exactly 60%
    ],
)
def test_the_patient_pays_the_gross_reimbursement_with_a_minimum_of_60_percent(
    reimbursed, withheld, to_pay, forgiven
):
    """Given a € 200,00 invoice of a non-contracted provider, when the insurer's statement
    comes in, then the patient pays the gross reimbursement, at least 60%, at most all."""
    proposal = propose(INVOICE, NON_CONTRACTED, statement(reimbursed, withheld))
    assert (proposal.amount_to_pay_cents, proposal.coulance_cents) == (to_pay, forgiven)


def test_a_provider_with_another_minimum():
    """Given a provider whose policy asks at least 70%, then 40% reimbursed means 70%."""
    provider = make_provider(coulance=CoulancePolicy(minimum_percentage=70))
    assert propose(INVOICE, provider, statement(8_000)).amount_to_pay_cents == 14_000


def test_what_was_already_forgiven_counts():
    """Given the provider already stopped € 20,00 of the invoice, when the statement says
    75%, then only € 30,00 more is forgiven: the patient still pays € 150,00 in all."""
    stopped = INVOICE.with_entry(
        LedgerEntry(EntryKind.COULANCE, Component.PRINCIPAL, -2_000, NOW, "provider:u", "goodwill")
    )
    assert propose(stopped, NON_CONTRACTED, statement(15_000)).coulance_cents == 3_000


@pytest.mark.parametrize(
    "invoice, provider, given, code",
    [
        (
            replace(INVOICE, insurer_statement=statement(1)),
            NON_CONTRACTED,
            statement(15_000),
            "statement_already_received",
        ),
        (
            INVOICE,
            make_provider(contracted_insurers={2026: frozenset({"3311"})}),
            statement(15_000),
            "insurer_contracted",
        ),
        (INVOICE, NON_CONTRACTED, statement(15_000, 6_000), "statement_above_invoice"),
        (
            replace(INVOICE, dunning_stage=DunningStage.WITH_COLLECTION_AGENCY),
            NON_CONTRACTED,
            statement(15_000),
            "with_collection_agency",
        ),
        (
            INVOICE.with_entry(
                LedgerEntry(EntryKind.PAYMENT, Component.PRINCIPAL, -20_000, NOW, "bank:e")
            ),
            NON_CONTRACTED,
            statement(15_000),
            "paid",
        ),
    ],
)
def test_a_statement_that_cannot_be_taken_is_refused_with_a_reason(invoice, provider, given, code):
    with pytest.raises(Refused) as refused:
        propose(invoice, provider, given)
    assert refused.value.code == code


def submit(store, queue, reimbursed, withheld=0):
    return submit_insurer_statement(
        INVOICE.reference,
        BirthDate(INVOICE.birth_date),
        reimbursed,
        withheld,
        PatientContext(store, queue, FixedClock(NOW)),
    )


def practice(store, queue) -> ProviderContext:
    """What a decision is given; it uploads nothing and reads no files."""
    return ProviderContext(
        store,
        files=FilesInMemory(),
        uploads=None,
        delivery=queue,
        clock=FixedClock(NOW),
        users=InMemoryUserDirectory(),
        audit=AuditInMemory(),
    )


def test_automatic_policy_lowers_the_amount_at_once_and_mails_the_patient():
    """Given a provider that applies coulance automatically, when the patient sends a
    75% statement, then € 50,00 is forgiven as coulance (R21's partial stop, R27), the
    patient gets the stop e-mail, and a second statement is refused."""
    provider = make_provider(coulance=CoulancePolicy(mode=CoulanceMode.AUTOMATIC))
    store, queue = FakeStore([INVOICE], [provider]), FakeQueue()
    view = submit(store, queue, 15_000)
    assert view.outcome is StatementOutcome.APPLIED and view.amount_due_cents == 15_000
    assert store.invoice().ledger[-1].kind is EntryKind.COULANCE
    assert queue.kinds == ["stop_confirmation"] and view.confirmation_sent
    with pytest.raises(Refused):
        submit(store, queue, 1_000)


def test_confirm_policy_puts_a_proposal_the_provider_applies_once():
    """Given the default policy (the provider confirms), when the statement comes in, then
    the amount stays, a proposal with the figures is on the provider's list (written with
    the statement); when the provider applies it, the coulance is booked and mailed; a
    second "apply" changes nothing."""
    store, queue = FakeStore([INVOICE], [NON_CONTRACTED]), FakeQueue()
    view = submit(store, queue, 8_000)
    assert view.outcome is StatementOutcome.SENT_TO_PROVIDER and view.amount_due_cents == 20_000
    (action,) = store.list_actions(NON_CONTRACTED.provider_id)
    assert action.kind is ActionKind.COULANCE_PROPOSAL
    assert (
        action.details["amount_to_pay_cents"] == 12_000
        and action.details["coulance_cents"] == 8_000
    )
    assert queue.kinds == []

    def decide():
        return decide_coulance(
            ProviderUser(NON_CONTRACTED.provider_id, "u-1", Role.STAFF),
            action.action_id,
            CoulanceDecision.APPLY,
            practice(store, queue),
        )

    decided = decide()
    assert decided is not None and decided.details["decision"] == "apply"
    assert balance(store.invoice().ledger) == 12_000
    decide()
    # Queued again (a first call may have died before queueing it, R38); the delivery
    # sends it once per (kind, event id), and it is the same message.
    assert balance(store.invoice().ledger) == 12_000 and queue.kinds == ["stop_confirmation"] * 2
    assert queue.requests[0] == queue.requests[1]


def test_another_provider_cannot_decide_on_the_proposal():
    """R26: provider B with A's action id finds nothing."""
    store, queue = FakeStore([INVOICE], [NON_CONTRACTED]), FakeQueue()
    submit(store, queue, 8_000)
    (action,) = store.list_actions(NON_CONTRACTED.provider_id)
    assert (
        decide_coulance(
            ProviderUser("fysio-centrum-oost", "u", Role.STAFF),
            action.action_id,
            CoulanceDecision.APPLY,
            practice(store, queue),
        )
        is None
    )
    assert balance(store.invoice().ledger) == 20_000


# --- decided once (R17, R28): one decision wins, the other is refused ------------------------

APPLY, DECLINE = CoulanceDecision.APPLY, CoulanceDecision.DECLINE
# What each decision leaves: the balance, and the one message the patient gets.
OUTCOME = {APPLY: (12_000, "stop_confirmation"), DECLINE: (20_000, "coulance_declined")}


def proposal_on_the_list():
    store, queue = FakeStore([INVOICE], [NON_CONTRACTED]), FakeQueue()
    submit(store, queue, 8_000)
    (action,) = store.list_actions(NON_CONTRACTED.provider_id)
    return store, queue, action


def decide(store, queue, action, decision, user="u-1"):
    return decide_coulance(
        ProviderUser(NON_CONTRACTED.provider_id, user, Role.STAFF),
        action.action_id,
        decision,
        practice(store, queue),
    )


def assert_decided_once(store, queue, action, decision):
    """The stored decision, the ledger and what the patient is told agree."""
    (stored,) = store.list_actions(NON_CONTRACTED.provider_id)
    assert stored.details["decision"] == decision.value
    assert (balance(store.invoice().ledger), queue.kinds) == (
        OUTCOME[decision][0],
        [OUTCOME[decision][1]],
    )


@pytest.mark.parametrize("first, then", [(APPLY, DECLINE), (DECLINE, APPLY)])
def test_r28_the_other_decision_after_a_decision_is_refused(first, then):
    """Given a proposal applied (or declined), when the provider then sends the other
    decision, then it is refused as a state conflict (409) and nothing changes: the
    proposal is decided once (R17, R28)."""
    store, queue, action = proposal_on_the_list()
    decide(store, queue, action, first)
    with pytest.raises(StateConflict) as refusal:
        decide(store, queue, action, then, user="u-2")
    assert refusal.value.code == "proposal_already_decided"
    assert_decided_once(store, queue, action, first)


@pytest.mark.parametrize("first, then", [(APPLY, DECLINE), (DECLINE, APPLY)])
def test_r28_a_decision_that_read_the_proposal_before_another_landed_is_refused(first, then):
    """Given two staff members who both read the undecided proposal, when one decision
    lands before the other (which still holds its read), then the later one is refused
    (409): the patient gets one message, the one matching the ledger (audit retries D1)."""
    store, queue, action = proposal_on_the_list()
    stale_read = store.get_action
    store.get_action = lambda *key: action  # read before the first decision landed
    decide(store, queue, action, first)
    with pytest.raises(StateConflict):
        decide(store, queue, action, then, user="u-2")
    store.get_action = stale_read
    assert_decided_once(store, queue, action, first)


@pytest.mark.parametrize("decision", [APPLY, DECLINE])
def test_r17_the_same_decision_again_finishes_a_call_cut_short(decision):
    """Given a decision written on the action by a call that stopped before it changed the
    invoice, when the provider sends the same decision again, then it is carried out (the
    ledger and the patient's message follow the stored decision); once more changes
    nothing."""
    store, queue, action = proposal_on_the_list()
    store.decide_action(replace(action, details={**action.details, "decision": decision.value}))
    decide(store, queue, action, decision)
    decide(store, queue, action, decision)
    # Queued again, either decision (a call may die after its save, before queueing,
    # R38); the same message, which the delivery sends once per action.
    assert queue.kinds == [OUTCOME[decision][1]] * 2
    assert queue.requests[0] == queue.requests[1]
    queue.requests.pop()
    assert_decided_once(store, queue, action, decision)


# --- the new amount on paper (R7, R21, legal-nl.md §7) ---------------------------------------

# The same invoice, of a patient without an e-mail address: it went out on paper.
ON_PAPER = replace(INVOICE, patient=make_person(email=""), channel=Channel.PAPER)
STAFF = ProviderUser(NON_CONTRACTED.provider_id, "u-1", Role.STAFF)


@pytest.mark.parametrize("how", ["automatic", "applied", "stopped"])
def test_a_new_amount_is_queued_for_a_patient_without_email(how):
    """legal-nl.md §7 ("you then get the adjusted amount ... and pay that before the final
    payment date") and R21 (the patient gets the lowered amount): Given the invoice of a
    patient without e-mail, when its amount is lowered (the policy applies the statement,
    the practice applies the proposal, or the practice stops part of it), then the
    confirmation is queued; the delivery posts it (test_bounced_confirmations.py). The
    patient page still says no e-mail was sent."""
    mode = CoulanceMode.AUTOMATIC if how == "automatic" else CoulanceMode.PROVIDER_CONFIRMS
    store = FakeStore([ON_PAPER], [make_provider(coulance=CoulancePolicy(mode=mode))])
    queue = FakeQueue()
    if how == "stopped":
        stop = StopRequest(StopScope.PARTIAL, "goodwill", "", True, amount_cents=5_000)
        stop_invoice(
            STAFF, ON_PAPER.invoice_id, stop, practice(store, queue), cause=RequestCause("r-1")
        )
    else:
        view = submit(store, queue, 15_000)
        assert not view.confirmation_sent
    if how == "applied":
        (action,) = store.list_actions(NON_CONTRACTED.provider_id)
        decide(store, queue, action, APPLY)
    assert balance(store.invoice().ledger) == 15_000
    assert queue.kinds == ["stop_confirmation"]


# --- which care the policy is about: the insurer's decision on the DBC start date, and no
# --- no-show fee (legal-nl.md §6, R6, R17) ---------------------------------------------------

CZ = "9664"
WAITS = CoulancePolicy(wait_for_statement=True)


def issued(provider: Provider, *claims: Claim) -> Invoice:
    """The invoice as invoicing makes it from the claims, sent."""
    (draft,) = plan_invoices(list(claims), provider, RuleTableCoverage(provider)).drafts
    invoice = issue_invoice(
        draft, provider=provider, declaration_id="d-1", reference="0000000000000017", issued_at=NOW
    )
    return replace(invoice, status=InvoiceStatus.SENT)


DBC_ACROSS_NEW_YEAR = claim(
    insurer_uzovi=CZ,
    treatment_start_date=date(2023, 9, 11),
    treatment_date=date(2024, 1, 8),  # the DBC's end date (interfaces.md §1a)
    treatment_code="DBC1",
    unit_price_cents=150_000,
)


@pytest.mark.parametrize(
    "contract, asked, non_contracted, refusal",
    [
        # no contract when the DBC started, one when it ended: non-contracted care
        ({"uzovi": CZ, "from": "2024-01-01"}, 150_000, True, None),
        # a contract when the DBC started, none when it ended: contracted, 80% deducted
        (
            {"uzovi": CZ, "from": "2023-01-01", "to": "2023-12-31"},
            30_000,
            False,
            "insurer_contracted",
        ),
    ],
)
def test_a_dbc_across_a_contract_boundary_is_judged_on_its_start_date_as_its_price_is(
    contract, asked, non_contracted, refusal
):
    """legal-nl.md §6: "Care is declared at the insurer the patient had on the start date
    of the treatment (DBC)". Given a DBC from 2023-09-11 to 2024-01-08 and a practice whose
    contract with the insurer starts or ends at the new year (80% reimbursed contracted,
    nothing non-contracted), when it is invoiced, then "don't pay yet" and the statement
    (R17, R37) follow the same decision as the price (R5): the start date's."""
    provider = claims_provider(
        contracts=[contract],
        coverage_rules=(CoverageRule(code_prefix="", contracted_percentage=Decimal(80)),),
        coulance=WAITS,
    )
    invoice = issued(provider, DBC_ACROSS_NEW_YEAR)
    assert invoice.amount_due_cents == asked
    assert is_non_contracted(invoice, provider) is non_contracted
    assert awaits_insurer_statement(invoice, provider) is non_contracted
    assert statement_unwelcome(invoice, provider) == refusal


def test_the_statement_for_a_dbc_started_before_the_contract_sets_what_is_paid():
    """Given the DBC above at a practice contracted from 2024 only (invoiced in full), when
    the insurer reimbursed € 600 and withheld € 385 eigen risico, then the patient pays
    € 985,00 (above 60% of € 1.500 = € 900) and € 515,00 is forgiven (legal-nl.md §6)."""
    provider = claims_provider(contracts=[{"uzovi": CZ, "from": "2024-01-01"}], coulance=WAITS)
    proposal = propose(issued(provider, DBC_ACROSS_NEW_YEAR), provider, statement(60_000, 38_500))
    assert (proposal.amount_to_pay_cents, proposal.coulance_cents) == (98_500, 51_500)


NO_SHOW_AT_ASR = claim(
    "NS",
    insurer_uzovi=ASR,
    line_type=LineType.NO_SHOW,
    treatment_code="C13",
    unit_price_cents=6_017,
)
CARE_AT_ASR = claim("L1", insurer_uzovi=ASR, unit_price_cents=10_000)


def test_an_invoice_of_a_no_show_fee_alone_is_not_one_to_claim_from_the_insurer():
    """legal-nl.md §6: "A no-show fee ... may never be declared to an insurer; it is
    always invoiced to the patient." Given only a € 60,17 fee of a patient at an insurer
    the practice has no contract with, then the invoice says no "don't pay yet", its
    first reminder does not wait, and it takes no statement (R6, R17, R37)."""
    provider = claims_provider(coulance=WAITS)
    invoice = issued(provider, NO_SHOW_AT_ASR)
    assert not is_non_contracted(invoice, provider)
    assert not awaits_insurer_statement(invoice, provider)
    assert statement_wait_until(invoice, provider) is None
    with pytest.raises(Refused) as refused:
        propose(invoice, provider, statement(0))
    assert refused.value.code == "not_for_insurer"


@pytest.mark.parametrize(
    "reimbursed, withheld, to_pay, forgiven",
    [
        (8_000, 0, 14_017, 2_000),  # € 80 of the care + the fee in full
        (3_000, 2_000, 12_017, 4_000),  # 60% of the care (€ 60) + the fee
        (10_000, 0, 16_017, 0),  # the care in full: nothing to forgive
    ],
)
def test_a_no_show_fee_beside_the_care_stays_payable_in_full(
    reimbursed, withheld, to_pay, forgiven
):
    """Given € 100 of non-contracted care and a € 60,17 no-show fee on one invoice, when
    the insurer's statement comes in, then the policy's amount and its 60% minimum are
    over the care the insurer was claimed for, and the fee, never the insurer's business
    (legal-nl.md §6, R6), is added unchanged: nothing of it is forgiven (R17)."""
    provider = claims_provider(coulance=WAITS)
    invoice = issued(provider, CARE_AT_ASR, NO_SHOW_AT_ASR)
    assert awaits_insurer_statement(invoice, provider)
    proposal = propose(invoice, provider, statement(reimbursed, withheld))
    assert (proposal.amount_to_pay_cents, proposal.coulance_cents) == (to_pay, forgiven)
    assert proposal.minimum_cents == 6_000


LATE_CONTRACT = {"uzovi": CZ, "from": "2026-01-01", "to": "2026-12-31"}
CZ_CARE = claim("CZ1", insurer_uzovi=CZ, treatment_date=date(2026, 11, 2), unit_price_cents=10_000)


@pytest.mark.parametrize(
    "contracts_at_issue, contracts_now, non_contracted, refusal",
    [
        # a contract signed late, entered with retroactive effect after the invoice
        ([], [LATE_CONTRACT], True, None),
        # a contract shortened afterwards to end before the care
        ([LATE_CONTRACT], [{**LATE_CONTRACT, "to": "2026-06-30"}], False, "insurer_contracted"),
    ],
)
def test_r31_a_contract_edited_after_issue_changes_nothing_already_invoiced(
    contracts_at_issue, contracts_now, non_contracted, refusal
):
    """R31: "a contract signed late with retroactive effect re-rates nothing already
    invoiced"; R17, R37, legal-nl.md §7 (audit coverage COVERAGE1). Given an invoice of
    care on 2026-11-02 at CZ, issued while the practice had (or had not) a contract with
    CZ, when the operator enters a contract from 2026-01-01 (or shortens one to end on
    2026-06-30), then "don't pay yet", the statement and the first reminder's wait stay
    as they were decided at issue."""
    at_issue = claims_provider(contracts=contracts_at_issue, coulance=WAITS)
    invoice = issued(at_issue, CZ_CARE)
    now = claims_provider(contracts=contracts_now, coulance=WAITS)
    assert is_non_contracted(invoice, now) is non_contracted
    assert awaits_insurer_statement(invoice, now) is non_contracted
    assert (statement_wait_until(invoice, now) is not None) is non_contracted
    assert statement_unwelcome(invoice, now) == refusal


@pytest.mark.parametrize(
    "contracts_now, non_contracted",
    [([], True), ([LATE_CONTRACT], False)],
)
def test_a_line_stored_before_lines_kept_their_contract_is_read_on_todays_contracts(
    contracts_now, non_contracted
):
    """Given an invoice line stored before lines kept whether they were contracted care
    (``contracted`` None), then it is judged on the provider's contracts as they are now,
    as all lines were before (R17): the only reading there is for it."""
    invoice = make_invoice(lines=(make_line(insurer_uzovi=CZ, contracted=None),))
    provider = claims_provider(contracts=contracts_now)
    assert is_non_contracted(invoice, provider) is non_contracted


def test_across_a_contracts_end_only_the_non_contracted_lines_share_gets_the_policy():
    """R17, legal-nl.md §6 (the policy is for non-contracted care), R5 (the contract of
    the line's date) (audit coverage COVERAGE2). Given one invoice of a € 100 line of
    2025-12-18, contracted (75% deducted, € 25 to pay), and a € 100 line of 2026-01-08
    after the contract ended (€ 100 to pay), when a statement of € 70 reimbursed comes in,
    then the contracted line's € 25 is paid in full, as a no-show fee is, and the policy
    is of the € 100: max(€ 70, 60% = € 60) = € 70. The patient pays € 95, € 30 is
    forgiven."""
    provider = claims_provider(
        contracts=[{"uzovi": CZ, "from": "2025-01-01", "to": "2025-12-31"}],
        coverage_rules=(CoverageRule(code_prefix="", contracted_percentage=Decimal(75)),),
    )
    december = claim("L2025", insurer_uzovi=CZ, treatment_date=date(2025, 12, 18))
    january = claim("L2026", insurer_uzovi=CZ, treatment_date=date(2026, 1, 8))
    invoice = issued(
        provider,
        replace(december, unit_price_cents=10_000),
        replace(january, unit_price_cents=10_000),
    )
    assert invoice.amount_due_cents == 12_500
    proposal = propose(invoice, provider, statement(7_000))
    assert proposal.minimum_cents == 6_000
    assert (proposal.amount_to_pay_cents, proposal.coulance_cents) == (9_500, 3_000)


def test_r15_r17_a_coulance_under_a_running_arrangement_settles_its_first_terms():
    """R15, R17 (known.md "Coulance (items 1-4)": the terms stay as agreed). Given € 200,00
    split into 4 terms of € 52,50 (the € 10,00 fee included), when a coulance of € 80,00
    is applied (40% reimbursed, the 60% minimum), then the agreed terms stay as they were
    and the coulance counts as settled from the first term on, as a payment would: the
    first term is settled, the second has € 25,00 open, the third and fourth are whole.
    Paying what is open of each term on its due date pays the invoice exactly (€ 120,00
    and the fee: no credit, no rest term) and completes the arrangement on its last date.
    The patient is not asked the old amount, nor does the checker's list of the terms
    (``arrangement_terms``) ask it: the first term as agreed, € 25,00 of the second, the
    third and fourth whole (audit59a: it listed 4 x € 52,50)."""
    arranged = create_arrangement(INVOICE, NON_CONTRACTED, 4, NOW)
    terms = arranged.arrangement.terms
    assert [t.amount_cents for t in terms] == [5_250] * 4
    proposal = propose(arranged, NON_CONTRACTED, statement(8_000))
    received = with_statement(arranged, statement(8_000))
    assert proposal.coulance_cents == 8_000
    lowered = apply_coulance(received, proposal, NOW, STATEMENT_CAUSE, payment_term_days=14)

    assert lowered.arrangement.terms == terms and lowered.amount_due_cents == 13_000
    assert next_term(lowered) == ArrangementTerm(terms[1].due_date, 2_500)
    assert standing_terms(lowered) == (
        terms[0],
        ArrangementTerm(terms[1].due_date, 2_500),
        *terms[2:],
    )
    assert extra_term(lowered, NOW.date()) is None  # the terms leave nothing after them
    # Nothing is asked on the first term's date: the coulance kept that term (R15).
    assert (
        arrangement_status(lowered, terms[0].due_date + timedelta(15)) is ArrangementStatus.ACTIVE
    )
    paid = lowered
    for number, term in enumerate(terms[1:]):
        upcoming = next_term(paid)
        assert upcoming is not None and upcoming.due_date == term.due_date
        at = datetime.combine(term.due_date, time(12), tzinfo=AMSTERDAM)
        payment = IncomingPayment("bank", f"term-{number}", upcoming.amount_cents, at)
        paid = apply_payment(paid, payment)
    assert paid.is_paid and paid.credit_cents == 0 and next_term(paid) is None
    assert arrangement_status(paid, terms[-1].due_date) is ArrangementStatus.COMPLETED
