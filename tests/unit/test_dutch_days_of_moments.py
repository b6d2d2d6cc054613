"""A moment stored in another zone than Amsterdam's (a PSP, SES and S3 stamp theirs in UTC)
shows on its Dutch day in every template and is answered in Dutch time by the operator API
(architecture.md: dates Europe/Amsterdam; R27, R33, R34, R35; audit dutchday57: the portal's
templates took a moment's day with ``.date()``, right only while every page converted the
moment first, and the operator API answered batch steps, reads, register loads and matches
as stored, in UTC beside the provider API's Dutch time)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from billing_core.correspondence import render
from billing_core.declarations.rules.insurers import InsurerRegister
from billing_core.declarations.rules.register_loads import RegisterLoad
from billing_core.entrypoints.http.operator_models import (
    BatchOut,
    InsurerRegisterOut,
    ReadOut,
    UnmatchedCreditOut,
)
from billing_core.entrypoints.http.settings_models import SettingsVersionOut, UserChangeOut
from billing_core.entrypoints.web.portal import pages
from billing_core.payments.transfer_batches import (
    BatchKind,
    BatchTransfer,
    Settlement,
    Step,
    TransferBatch,
)
from billing_core.payments.unmatched import CreditMatch, UnmatchedCredit
from billing_core.providers.payouts import payout_state
from billing_core.providers.settings_history import SettingsVersion
from billing_core.providers.user_changes import UserChange, UserChangeKind
from billing_core.services.operator.register import LoadedVersion
from billing_core.shared.audit import ReadKind, ReadRecord
from billing_core.texts.catalogue import long_date, short_date

# 00:30 in Amsterdam on the 24th, stamped in UTC: in winter (+01:00) and in summer (+02:00).
NIGHTS = {
    "winter": (datetime(2026, 11, 23, 23, 30, tzinfo=UTC), date(2026, 11, 24)),
    "summer": (datetime(2026, 6, 23, 22, 30, tzinfo=UTC), date(2026, 6, 24)),
}
DUTCH_TIME = {"winter": "2026-11-24T00:30:00+01:00", "summer": "2026-06-24T00:30:00+02:00"}
PACKAGE = Path(render.__file__).resolve().parents[1]


@pytest.mark.parametrize("season", ["winter", "summer"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_portal_writes_a_moment_of_a_dutch_night_on_its_dutch_day(language, season):
    """R35, architecture.md (audit dutchday57).
    Given a moment stamped in UTC at 00:30 Amsterdam time on the 24th
    When a portal template writes its day through ``dutch_day``, in a table cell (``day``)
    and in a sentence (``date``), in ``language``
    Then both say the 24th, written as the portal writes any day."""
    at, dutch_day = NIGHTS[season]
    template = pages.ENVIRONMENT.from_string(
        "{{ at | dutch_day | day }}|{{ at | dutch_day | date }}"
    )

    cell, sentence = template.render(at=at, language=language).split("|")

    assert cell == f'<span class="date">{short_date(dutch_day, language)}</span>'
    assert sentence == long_date(dutch_day, language)


@pytest.mark.parametrize("season", ["winter", "summer"])
def test_a_letter_writes_a_moment_of_a_dutch_night_on_its_dutch_day(season):
    """R30, legal-nl.md §2 (a letter's day is the Dutch day), architecture.md.
    Given a moment stamped in UTC at 00:30 Amsterdam time on the 24th
    When an e-mail's template writes its day through ``dutch_day``
    Then it says the 24th."""
    at, dutch_day = NIGHTS[season]

    written = render.ENVIRONMENT.from_string("{{ at | dutch_day | date }}").render(
        at=at, language="nl"
    )

    assert written == long_date(dutch_day, "nl")


def test_no_template_takes_a_moments_day_from_the_zone_it_carries():
    """architecture.md (audit dutchday57: 6 such places in the portal's templates).
    Given every template of the portal, the checker's pages and the e-mails
    When one shows a day of a moment
    Then it takes it through ``dutch_day``, never ``.date()``: the day of whatever zone
    the moment happened to be handed over in."""
    templates = sorted(PACKAGE.rglob("*.j2"))
    assert any(p.parent.name == "templates" and "portal" in p.parts for p in templates)

    taken = [
        f"{p.relative_to(PACKAGE)}:{n}"
        for p in templates
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.date\(\)", line)
    ]

    assert taken == []


def operator_moments(at: datetime) -> dict[str, object]:
    """What the operator API answers for a batch step, a read, a register load and a
    credit's match, each stamped ``at``."""
    step = Step("proposed", "schedule", at)
    batch = BatchOut.of(TransferBatch("b-1", BatchKind.PAYOUT, (), (step,)))
    read = ReadOut.of(ReadRecord(at, "p-1", "u-1", "operators", ReadKind.INVOICE, "inv-1"))
    register = InsurerRegister("2026-01-01.1", date(2026, 1, 1), ())
    load = RegisterLoad("2026-01-01.1", "op-1", at)
    loaded = InsurerRegisterOut.of(LoadedVersion(register, load))
    credit = UnmatchedCredit(
        "c-1",
        "s-1",
        "st-1",
        "e-1",
        date(2026, 11, 23),
        "CRDT",
        100,
        "EUR",
        "no_kenmerk",
        match=CreditMatch(at, "op-1", ()),
    )
    matched = UnmatchedCreditOut.of(credit)
    return {
        "step": batch.model_dump(mode="json")["steps"][0]["at"],
        "read": read.model_dump(mode="json")["at"],
        "loaded_at": loaded.model_dump(mode="json")["loaded_at"],
        "matched_at": matched.model_dump(mode="json")["matched_at"],
    }


@pytest.mark.parametrize("season", ["winter", "summer"])
def test_the_operator_api_answers_moments_in_dutch_time(season):
    """R33, R34, R32 (the audit of reads), architecture.md (audit dutchday57: 8 of 8 in UTC).
    Given a batch step, a read, a register load and a credit's match, each stamped in UTC
    at 00:30 Amsterdam time on the 24th
    When the operator API answers them
    Then each moment is that same instant in Dutch time, as the provider API answers its
    moments."""
    at, _ = NIGHTS[season]

    answered = operator_moments(at)

    assert answered == dict.fromkeys(answered, DUTCH_TIME[season])
    assert set(answered) == {"step", "read", "loaded_at", "matched_at"}


@pytest.mark.parametrize("season", ["winter", "summer"])
def test_the_settings_and_user_histories_answer_moments_in_dutch_time(season):
    """R31, R32 (who changed what, when), architecture.md (dutchday57 left them): Given a
    settings version and a user change, each stamped in UTC at 00:30 Amsterdam time
    When the APIs answer their histories
    Then each moment is that same instant in Dutch time, as every other answer's."""
    at, _ = NIGHTS[season]
    version = SettingsVersion("p-1", 2, "op-1", "operators", at, ())
    change = UserChange(
        "p-1",
        "op-1",
        "operators",
        at,
        UserChangeKind.INVITED,
        "u-1",
        "a@example.org",
        None,
        "admin",
        None,
        True,
    )

    answered = {
        "settings": SettingsVersionOut.of(version).model_dump(mode="json")["changed_at"],
        "users": UserChangeOut.of(change).model_dump(mode="json")["changed_at"],
    }

    assert answered == {"settings": DUTCH_TIME[season], "users": DUTCH_TIME[season]}


@pytest.mark.parametrize("season", ["winter", "summer"])
def test_a_payouts_steps_are_dated_on_their_dutch_day(season):
    """R24, R34 (the statement's payout names each step's date), architecture.md: Given a
    payout batch proposed at 00:30 Amsterdam time on the 24th, stamped in UTC
    When the practice's statement shows its payout
    Then the proposal is dated the 24th, not the UTC day before."""
    at, day = NIGHTS[season]
    settlement = Settlement("p-1", ("2026-W47",), 10_000)
    transfer = BatchTransfer("e2e-1", "p-1", "NL91ABNA0417164300", "Praktijk", 10_000, "W47")
    step = Step("proposed", "schedule", at)
    batch = TransferBatch(
        "PO-2026-W47", BatchKind.PAYOUT, (transfer,), (step,), settlements=(settlement,)
    )

    shown = payout_state(batch, "p-1")

    assert shown is not None and shown["dates"] == {"proposed": day.isoformat()}
