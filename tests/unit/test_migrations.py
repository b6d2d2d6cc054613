"""The migration after the deploy of issues 13 and 16, on the in-memory store: spread over
requests it resumes where it stopped, it dates old handover actions honestly, reports
conflicts loudly and reads no personal data into its log (R29, R32)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from billing_core.ports import InvalidPosition
from billing_core.providers.actions import ActionKind, OpenAction, handover_action_id
from billing_core.services.operator.migrations import (
    NAMES_MARKERS_HANDOVERS,
    MigrationContext,
    run_migration,
)
from billing_core.shared import reference
from billing_core.shared.audit import Reader, ReadKind
from billing_core.shared.clock import FixedClock
from billing_core.shared.errors import NotFound
from tests.unit.factories import REFERENCE_KEY, make_invoice, make_provider
from tests.unit.fake_store import AuditInMemory, FakeStore

DENTAL, PHYSIO = "tandarts-de-vries", "fysio-centrum-oost"
OPERATOR = Reader("operator-anna", "operators")


def old_store(invoices_per_practice: dict[str, int]) -> FakeStore:
    """Given practices whose invoices were all stored before names and kenmerk markers."""
    providers = [make_provider(provider_id=p) for p in invoices_per_practice]
    store = FakeStore(providers=providers)
    number = 0
    for provider_id, count in invoices_per_practice.items():
        for _ in range(count):
            number += 1
            store.put_invoice_before_names_and_marker(
                make_invoice(
                    invoice_id=f"inv-{number:04d}",
                    provider_id=provider_id,
                    reference=reference.for_sequence(number, REFERENCE_KEY),
                )
            )
    return store


def context(store: FakeStore, pages: int = 5) -> MigrationContext:
    clock = FixedClock(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    return MigrationContext(store, AuditInMemory(), clock, OPERATOR, pages_per_request=pages)


def migrate(ctx: MigrationContext, **options):
    return run_migration(NAMES_MARKERS_HANDOVERS, ctx, **options).answer()


def test_a_run_spread_over_requests_goes_on_where_it_stopped_until_complete():
    # Given 101 old invoices of the dental practice and 1 of the physio practice, and
    # requests that may read one page (100 invoices) each
    ctx = context(old_store({DENTAL: 101, PHYSIO: 1}), pages=1)
    # When the operator sends each answer's resume back until the run is complete
    answers = [migrate(ctx)]
    while not answers[-1]["complete"]:
        answers.append(migrate(ctx, resume=answers[-1]["resume"]))
    # Then three requests did every invoice once: physio first (ids in order), then dental
    done = [[(p["provider_id"], p["names_written"]) for p in a["practices"]] for a in answers]
    assert done == [[(PHYSIO, 1)], [(DENTAL, 100)], [(DENTAL, 1)]]
    assert sum(a["summary"]["markers_written"] for a in answers) == 102
    assert answers[-1]["resume"] is None
    # And a whole run afterwards writes nothing
    again = migrate(context(ctx.store, pages=10))["summary"]
    assert (again["names_written"], again["markers_written"], again["invoices_done"]) == (0, 0, 102)


def test_old_handover_actions_get_the_day_they_name_else_the_dutch_day_they_were_made():
    # Given two old-format handover actions: one naming its handover day, one naming none,
    # made at 23:30 UTC on 1 December (already 2 December in Amsterdam), and an objection
    store = old_store({DENTAL: 1})
    named = old_action("inv-1", datetime(2026, 11, 30, 5, 0, tzinfo=UTC), "2026-11-27")
    unnamed = old_action("inv-2", datetime(2026, 12, 1, 23, 30, tzinfo=UTC), None)
    objection = OpenAction(
        "objection-1", DENTAL, ActionKind.OBJECTION, "inv-1", "", named.created_at
    )
    for action in (named, unnamed, objection):
        store.put_action(action)
    # When the migration runs
    summary = migrate(context(store))["summary"]
    # Then both handovers carry their day in their id; the objection is left alone
    assert summary["handovers_rekeyed"] == 2
    assert sorted(a.action_id for a in store.list_actions(DENTAL)) == [
        handover_action_id(date(2026, 11, 27), "inv-1"),
        handover_action_id(date(2026, 12, 2), "inv-2"),
        "objection-1",
    ]


def old_action(invoice_id: str, created_at: datetime, day: str | None) -> OpenAction:
    details = {"todo": "call_your_patient"} | ({"handed_over_on": day} if day else {})
    return OpenAction(
        f"handover-{invoice_id}",
        DENTAL,
        ActionKind.COLLECTION_HANDOVER,
        invoice_id,
        "",
        created_at,
        details=details,
    )


def test_progress_per_page_and_one_audit_record_per_practice_without_personal_data():
    ctx = context(old_store({DENTAL: 2, PHYSIO: 1}))
    lines = []
    report = run_migration(
        NAMES_MARKERS_HANDOVERS, ctx, progress=lambda p: lines.append(p.log_entry())
    )
    # Then a progress line per practice's page, done of total, ids and counts only
    assert [
        (e.fields["provider_id"], e.fields["invoices_done"], e.fields["invoices_total"])
        for e in lines
    ] == [
        (PHYSIO, 1, 1),
        (DENTAL, 2, 2),
    ]
    patient = make_invoice().patient
    logged = repr([e.fields for e in lines] + [report.log_entry().fields])
    assert patient.last_name not in logged and make_invoice().reference not in logged
    # And the audit names the operator, each practice and the migration
    records = ctx.audit.reads(
        DENTAL, datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    )
    assert [(r.user_id, r.kind, r.subject) for r in records] == [
        ("operator-anna", ReadKind.MIGRATION, NAMES_MARKERS_HANDOVERS)
    ]


def test_a_kenmerk_on_two_invoices_is_an_error_for_the_back_office():
    store = old_store({DENTAL: 1, PHYSIO: 1})
    twin = make_invoice(
        invoice_id="twin", provider_id=PHYSIO, reference=store.invoice("inv-0001").reference
    )
    store.put_invoice_before_names_and_marker(twin)
    report = run_migration(NAMES_MARKERS_HANDOVERS, context(store))
    entry = report.log_entry()
    assert entry.error and entry.counts == {"MigrationKenmerkConflicts": 1}
    # The physio practice comes first (ids in order): its twin got the marker
    assert [(c.invoice_id, c.held_by_invoice_id) for c in report.conflicts] == [
        ("inv-0001", "twin")
    ]


@pytest.mark.parametrize(
    ("name", "options", "refusal"),
    [
        ("no-such-migration", {}, NotFound),
        (NAMES_MARKERS_HANDOVERS, {"provider_id": "nobody-here"}, NotFound),
        (NAMES_MARKERS_HANDOVERS, {"resume": "no slash"}, InvalidPosition),
        (NAMES_MARKERS_HANDOVERS, {"resume": f"{DENTAL}/not-a-position"}, InvalidPosition),
        (NAMES_MARKERS_HANDOVERS, {"resume": "nobody-here/"}, InvalidPosition),
        (NAMES_MARKERS_HANDOVERS, {"provider_id": DENTAL, "resume": f"{PHYSIO}/"}, InvalidPosition),
    ],
)
def test_what_no_run_can_start_from_is_refused_before_anything_is_written(name, options, refusal):
    store = old_store({DENTAL: 1, PHYSIO: 1})
    with pytest.raises(refusal):
        run_migration(name, context(store), **options)
    assert store.unnamed and not store.references
