"""The checker's "Stand van zaken" (R10, R36, R19, R14): one choice for the state and the
date it names (dunning.breakdown.timeline_step), so the line under the date never tells of
another step than the date itself (audit checker50: after the costs and the final notice
the state still read "Herinnering verstuurd"; a deferral granted in the reminder's term
read "Herinnering verstuurd" beside "Uiterste betaaldatum na uitstel")."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from billing_core.dunning.breakdown import PayBy
from billing_core.invoices.invoice import (
    Deferral,
    InvoiceStatus,
)
from billing_core.services.patient import InvoiceState, PatientContext, payment_status
from billing_core.shared.clock import AMSTERDAM, FixedClock
from billing_core.texts.patient import page_texts
from billing_core.texts.portal import PORTAL_LANGUAGES, portal_texts
from tests.unit.factories import CHARGED, REFERENCE, REMINDED, make_invoice, make_provider
from tests.unit.fake_store import FakeQueue, FakeStore

# R14, legal-nl.md §2: asked on 10 January, in the reminder's term: the default moves
IN_THE_TERM = Deferral(datetime(2027, 1, 10, 10, 0, tzinfo=AMSTERDAM), date(2027, 1, 22))

# The state that names each date of the timeline (a hold or an arrangement aside)
STATE_OF_DATE = {
    PayBy.FINAL_PAYMENT_DATE: InvoiceState.OPEN,
    PayBy.DEFERRED: InvoiceState.DEFERRED,
    PayBy.REMINDER: InvoiceState.REMINDER_SENT,
    PayBy.SECOND_NOTICE: InvoiceState.SECOND_NOTICE_SENT,
}


def view_on(day: date, **changes):
    invoice = make_invoice(status=InvoiceStatus.SENT, **changes)
    clock = FixedClock(datetime.combine(day, datetime.min.time(), tzinfo=AMSTERDAM))
    store = FakeStore([invoice], [make_provider()])
    return payment_status(REFERENCE, PatientContext(store, FakeQueue(), clock))


def test_r19_r36_after_the_costs_the_state_is_the_final_notice_not_the_reminder():
    # Given the reminder's term expired unpaid: the costs are charged, the final notice sent
    # When the patient checks the invoice on 20 January
    view = view_on(date(2027, 1, 20), **CHARGED)
    # Then the state says the final notice went out, as the date beside it does (R19)
    assert view.state is InvoiceState.SECOND_NOTICE_SENT
    assert view.breakdown.pay_by_kind is PayBy.SECOND_NOTICE


def test_r14_a_deferral_in_the_reminders_term_reads_deferred_not_reminder_sent():
    # Given a reminder, and the free deferral granted in its term (legal-nl.md §2: the
    # old reminder no longer counts; the deferred date does)
    view = view_on(date(2027, 1, 12), **REMINDED, deferral=IN_THE_TERM)
    # Then the state is the deferral's, as the date beside it is
    assert view.state is InvoiceState.DEFERRED
    assert view.breakdown.pay_by == date(2027, 1, 22)


@pytest.mark.parametrize(
    "day, changes",
    [
        (date(2026, 12, 1), {}),  # sent
        (date(2026, 12, 28), {}),  # its final date passed, no reminder yet
        (date(2026, 12, 1), {"deferral": Deferral(IN_THE_TERM.granted_at, date(2027, 1, 22))}),
        (date(2027, 1, 5), REMINDED),
        (date(2027, 1, 12), REMINDED | {"deferral": IN_THE_TERM}),
        (date(2027, 1, 20), CHARGED),
        (date(2027, 1, 29), CHARGED),  # the final notice's day passed, not yet handed over
    ],
    ids=["sent", "overdue", "deferred", "reminded", "deferred in term", "charged", "late"],
)
def test_r10_r36_the_state_names_the_step_whose_date_the_page_shows(day, changes):
    view = view_on(day, **changes)
    assert view.state is STATE_OF_DATE[view.breakdown.pay_by_kind]


@pytest.mark.parametrize("state", list(InvoiceState))
def test_r9_every_state_has_its_words_in_each_patient_and_portal_language(state):
    # A language that lacked one would show the whole checker page in Dutch (texts_for)
    for language in ("nl", "en", "pl", "ar"):
        t = page_texts(language)
        assert t.language == language and t(f"state_{state.value}").strip()
    for language in PORTAL_LANGUAGES:
        t = portal_texts(language)
        assert t.language == language and t(f"state_{state.value}").strip()
