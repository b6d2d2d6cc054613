"""What is due and why, and who to ask (R36): shared by the patient's payment status and
the practice's invoice detail, so both APIs describe an amount due the same way."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from billing_core.correspondence.practice_contact import PracticeContact
from billing_core.dunning.breakdown import Breakdown


class BreakdownOut(BaseModel):
    invoiced: int = Field(description="cents: the treatments as invoiced")
    reimbursed: int = Field(description="cents deducted: what the insurer pays")
    forgiven: int = Field(description="cents of coulance and stops by the practice")
    paid: int = Field(description="cents paid, less returned transfers and refunds")
    refunded: int = Field(
        default=0,
        description="cents of what was paid that were paid back (R13: refunds, less any that "
        "failed or came back); paid + refunded is what the patient paid",
    )
    refunded_on: date | None = Field(
        default=None,
        description="the day the refunds were booked, when one day's refunds make up refunded; "
        "null otherwise",
    )
    costs: int = Field(description="cents of collection costs (BIK)")
    fee: int = Field(description="cents: the instalment arrangement's fee")
    interest: int = Field(description="cents of statutory interest up to today")
    due: int = Field(description="cents: invoiced - reimbursed - forgiven - paid + the rest")
    credit: int = Field(description="cents paid too much, to be refunded")
    pay_by: date | None = Field(
        description="the date that counts now; none when paid or with the collection agency, "
        "and, with pay_by_kind second_notice, while the day the claim goes to the collection "
        "agency is not set yet: 14 days after the day the final notice goes (R19), one still "
        "to be sent"
    )
    pay_by_kind: Literal[
        "final_payment_date",
        "deferred",
        "reminder",
        "second_notice",
        "arrangement_term",
        "hold",
        "none",
    ] = Field(
        description="which date pay_by is. hold: the last day of the practice's hold (R16), "
        "later than the timeline's own date, which may have passed; dunning goes on the day "
        "after it. Not while the next letter (a new reminder, the final notice) has nowhere "
        "to go (its e-mail bounced, no postal address, R7, R23): that one waits for the "
        "practice, not for the hold, and pay_by is as without the hold"
    )
    pay_by_passed: bool = Field(
        description="pay_by lies before today: the date was that day and has passed, it is "
        "not one to pay by. Dunning takes its next step on its own day (the reminder about "
        "a week after the final payment date, the costs and the handover on the first run "
        "after theirs, a missed arrangement term cancels the arrangement 15 days on, R15), "
        "so a passed date shows until then. False when pay_by is null"
    )
    term: int = Field(description="cents the next arrangement term still asks (0 without)")

    @classmethod
    def of(cls, parts: Breakdown) -> BreakdownOut:
        return cls(
            invoiced=parts.invoiced_cents,
            reimbursed=parts.reimbursed_cents,
            forgiven=parts.forgiven_cents,
            paid=parts.paid_cents,
            refunded=parts.refunded_cents,
            refunded_on=parts.refunded_on,
            costs=parts.costs_cents,
            fee=parts.fee_cents,
            interest=parts.interest_cents,
            due=parts.due_cents,
            credit=parts.credit_cents,
            pay_by=parts.pay_by,
            pay_by_kind=parts.pay_by_kind.value,
            pay_by_passed=parts.pay_by_passed,
            term=parts.term_cents,
        )


class PracticeOut(BaseModel):
    name: str
    address: list[str]
    phone: str
    email: str
    website: str
    hours: str

    @classmethod
    def of(cls, practice: PracticeContact) -> PracticeOut:
        return cls(
            name=practice.name,
            address=list(practice.address_lines),
            phone=practice.phone,
            email=practice.email,
            website=practice.website,
            hours=practice.hours,
        )
