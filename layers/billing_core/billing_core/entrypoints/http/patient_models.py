"""Request and response bodies of the public patient API (interfaces.md §2, R10-R16).

Nothing personal in any answer: amounts in cents, dates, states and the betalingskenmerk
as 14 digits without spaces.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from billing_core.declarations.claims import Language
from billing_core.entrypoints.http.breakdown import BreakdownOut, PracticeOut
from billing_core.invoices.access import BirthDate
from billing_core.services.patient import (
    ArrangementView,
    DeferralView,
    PaymentStatusView,
    StatementView,
)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    birth_date: date = Field(description="The patient's date of birth, YYYY-MM-DD")

    def proof(self) -> BirthDate:
        return BirthDate(self.birth_date)


class PaymentRequest(_Body):
    pay_all: bool = Field(
        default=False,
        description="During an instalment arrangement a payment is for the term(s) due; "
        "true pays everything that is due at once",
    )
    language: Language | None = Field(
        default=None,
        description="The patient's language (nl, en, pl, ar), as the checker page's: the bank "
        'sends the patient back to the checker in it, and the "payment received" e-mail '
        "is in it. Left out: the invoice's language (R9)",
    )


class DeferralRequest(_Body):
    pass


class ArrangementRequest(_Body):
    terms: int = Field(ge=2, le=12, description="Number of monthly terms")


class ObjectionRequest(_Body):
    reason: Literal["treatment", "amount", "insurer", "other"]
    # Empty: a 400 on the field, as round 44 made it. Its length is the service's to judge
    # (objection_refusals), as the checker's form does: over 2000 characters, a line break
    # (CRLF) counted as one, is the form's 422 invalid_objection_message, in its words (R16).
    message: str = Field(
        min_length=1,
        description="At most 2000 characters, a line break counted as one; longer: 422 "
        "invalid_objection_message",
    )
    email: str = Field(min_length=3, max_length=254)


class InsurerStatementRequest(_Body):
    """R17: the figures on the insurer's statement (declaration overview) for this invoice."""

    reimbursed: int = Field(ge=0, le=10_000_000, description="cents the insurer reimbursed")
    withheld_deductible: int = Field(
        ge=0, le=10_000_000, description="cents of eigen risico the insurer withheld"
    )


class InsurerStatementOut(BaseModel):
    reference: str
    outcome: Literal["applied", "sent_to_provider", "nothing_to_forgive"] = Field(
        description="applied: the amount is lowered now; sent_to_provider: your provider "
        "decides; nothing_to_forgive: the insurer paid at least what the policy asks"
    )
    amount_due: int = Field(description="cents, as of now")
    final_payment_date: date | None = Field(
        description="the date to pay amount_due by, as the confirmation names it (legal-nl.md "
        "§7: applied, or nothing to forgive, a new final payment date); null while your "
        "provider decides (sent_to_provider): the adjusted amount comes with its own date; "
        "null too while a final notice is still to be sent, as the payment status's pay_by: "
        "the day before the collection agency counts from its receipt (R19)"
    )
    confirmation_sent: bool

    @classmethod
    def of(cls, view: StatementView) -> InsurerStatementOut:
        return cls(
            reference=view.reference,
            outcome=view.outcome.value,
            amount_due=view.amount_due_cents,
            final_payment_date=view.final_payment_date,
            confirmation_sent=view.confirmation_sent,
        )


class TermOut(BaseModel):
    due_date: date
    amount: int = Field(description="cents")


class PaymentStatusOut(BaseModel):
    reference: str = Field(pattern=r"^\d{14}$")
    status: Literal["paid", "open", "partly_paid"]
    amount_due: int = Field(description="cents, costs and interest as of today included")
    final_payment_date: date | None = Field(
        description="the invoice's final payment date, moved by a deferral (R14); it may have "
        "passed. Null once the claim is with the collection agency (state "
        "with_collection_agency): no date of ours counts then. The date to pay by now, a "
        "reminder's or the end of the practice's hold (R16) included, is breakdown.pay_by"
    )
    state: str = Field(
        description="where the invoice stands (services.patient.InvoiceState): open, deferred, "
        "reminder_sent, second_notice_sent (the reminder's term expired: costs charged and the "
        "final notice sent, R19; while second_notice_waits is true it is still to be sent, "
        "the first one or one sent again, R7, as the checker page says), on_hold, arrangement_active, with_collection_agency (open, "
        "deferred, reminder_sent and second_notice_sent name the date breakdown.pay_by_kind "
        "names, when no hold or arrangement comes first); with status "
        "paid: paid (by the patient), waived (the practice forgave all of it, R21), "
        "paid_rest_waived (paid in part, the practice forgave the rest) or reimbursed (the "
        "insurer's deduction settled it, nothing paid by the patient: nothing to pay and "
        "nothing to refund, R5)"
    )
    pay_url: str = Field(
        description="the checker for this invoice, in the patient language the request's "
        "Accept-Language asks for (nl, en, pl, ar; Dutch when it asks for none of them)"
    )
    can_defer: bool
    can_arrange: bool
    arrangement_terms: list[TermOut] = Field(
        default_factory=list,
        description="while an arrangement runs: each term's due date and amount, an open "
        "term's as the letters ask it (never more than the invoice asks by its date: a "
        "retour that granted more lowers it, and a term it leaves nothing to ask is left "
        "out), and what the terms leave open (a retour's raise, the interest of a term paid "
        "late within its 14 days) as one more term last, as the letters name it: while terms "
        "are open, what is "
        "left once each is paid on its due date (R15)",
    )
    credit: int = Field(default=0, description="cents paid too much, to be refunded")
    breakdown: BreakdownOut | None = Field(
        default=None, description="what amount_due is made of, and the date that counts now"
    )
    practice: PracticeOut | None = Field(
        default=None, description="the healthcare provider: who to ask about the treatment"
    )
    awaits_insurer_statement: bool = Field(
        default=False,
        description="non-contracted care: do not pay yet, send the insurer's statement first "
        "(legal-nl.md §7). breakdown.pay_by is then not a date to pay by: the adjusted amount "
        "comes by e-mail with its own final payment date",
    )
    awaits_coulance_decision: bool = Field(
        default=False,
        description="non-contracted care: the insurer's statement is in and the practice "
        "decides on the adjusted amount (R17, legal-nl.md §7): do not pay or arrange the "
        "amount_due yet. The adjusted amount comes by e-mail with its own final payment date "
        "(breakdown.pay_by is then not a date to pay by); can_arrange and can_defer are false "
        "meanwhile. A bank transfer that arrives is booked as always",
    )
    on_hold: bool = Field(
        default=False,
        description="the practice put the invoice on hold (R16): dunning paused up to and "
        "including hold_until: no reminder, no costs, no handover; collection costs charged "
        "before the hold stay. Shown with any state in which a step of ours waits: "
        "on_hold, and arrangement_active (whose terms still count); false once paid or with "
        "the collection agency",
    )
    hold_until: date | None = Field(
        default=None, description="the hold's last day while on_hold, else null"
    )
    second_notice_waits: bool = Field(
        default=False,
        description="true while state is second_notice_sent and the final notice has not "
        "gone yet (R19): the first one still to be sent, or one sent again after it did not "
        "arrive (R7); the checker page says it will be sent. The day before the collection "
        "agency counts from the notice's own day, so breakdown.pay_by is null meanwhile. "
        "False once it went, and in every other state (on_hold: the hold is said first, R16)",
    )
    arrangement_ended_on: date | None = Field(
        default=None,
        description="the day a term unpaid 14 days after its due date ended the instalment "
        "arrangement (R15; before that day's run, that day): dunning went on where it "
        "stopped, as state and breakdown.pay_by say. Null without one, while it runs, and "
        "once the invoice is paid",
    )

    @classmethod
    def of(cls, view: PaymentStatusView, pay_url: str) -> PaymentStatusOut:
        return cls(
            reference=view.reference,
            status=view.status.value,
            amount_due=view.amount_due_cents,
            final_payment_date=view.final_payment_date,
            state=view.state.value,
            pay_url=pay_url,
            can_defer=view.can_defer,
            can_arrange=view.can_arrange,
            arrangement_terms=[
                TermOut(due_date=t.due_date, amount=t.amount_cents) for t in view.arrangement_terms
            ],
            credit=view.credit_cents,
            breakdown=BreakdownOut.of(view.breakdown) if view.breakdown else None,
            practice=PracticeOut.of(view.practice) if view.practice else None,
            awaits_insurer_statement=view.awaits_insurer_statement,
            awaits_coulance_decision=view.awaits_coulance_decision,
            on_hold=view.on_hold,
            second_notice_waits=view.says_second_notice_waits,  # the state line's test (R19)
            hold_until=view.hold_until,
            arrangement_ended_on=view.arrangement_ended_on,
        )


class CheckoutOut(BaseModel):
    payment_id: str
    checkout_url: str


class DeferralOut(BaseModel):
    reference: str
    final_payment_date: date = Field(
        description="the date to pay by after the deferral (R14): the date that counts now, "
        "as the confirmation e-mail and the checker's breakdown.pay_by name it"
    )
    amount_due: int
    confirmation_sent: bool

    @classmethod
    def of(cls, view: DeferralView) -> DeferralOut:
        return cls(
            reference=view.reference,
            final_payment_date=view.final_payment_date,
            amount_due=view.amount_due_cents,
            confirmation_sent=view.confirmation_sent,
        )


class ArrangementOut(BaseModel):
    reference: str
    total: int
    fee: int
    terms: list[TermOut]
    confirmation_sent: bool

    @classmethod
    def of(cls, view: ArrangementView) -> ArrangementOut:
        return cls(
            reference=view.reference,
            total=view.total_cents,
            fee=view.fee_cents,
            terms=[TermOut(due_date=t.due_date, amount=t.amount_cents) for t in view.terms],
            confirmation_sent=view.confirmation_sent,
        )


class AcceptedOut(BaseModel):
    accepted: bool = True


class RefusalOut(BaseModel):
    code: str = Field(description="the first thing refused, in the order of the form")
    message: str = Field(description="every refusal's sentence, in Dutch / in English")
    codes: list[str] = Field(
        description="every thing refused in this request, in the order of the form: put "
        "them all right before sending it again (WCAG 3.3.1)"
    )


class RefusedOut(BaseModel):
    """The shared error shape (interfaces.md §2) of a refusal."""

    error: RefusalOut
