"""A patient whose invoices are stored under two forms of one patient number: "0001001"
as files were read before round 40, "1001" as a copy Excel saved is read since (R40,
claims.canonical_reference). The dunning run's index sorts them apart, other patients in
between; the run still puts them in one reminder and charges the costs of one letter
(R4 one patient, R19, legal-nl.md §2, §3)."""

from __future__ import annotations

from datetime import date

from tests.unit.dunning_world import DunningWorld, one_invoice
from tests.unit.factories import make_person

REMINDER_DAY = date(2026, 12, 31)  # in default from 24 December: e-mail, term to 14 January
TERM_OVER = date(2027, 1, 15)


def one_patient_under_two_numbers() -> DunningWorld:
    """€2,000 under "0001001" (stored before round 40) and €2,000 under "1001" (since),
    one addressee, one final payment date; patient "1000", another person, sorts between
    them on the run's index ("…#0001001#…" < "…#1000#…" < "…#1001#…")."""
    other = make_person(initials="J.", name_prefix="", last_name="Jansen", email="j@example.nl")
    third = make_person(initials="K.", name_prefix="", last_name="Kok", email="k@example.nl")
    return DunningWorld(
        [
            one_invoice(200_000, number=1, patient_ref="0001001"),
            one_invoice(50_000, number=2, patient_ref="1000", patient=other),
            one_invoice(200_000, number=3, patient_ref="1001"),
            one_invoice(50_000, number=4, patient_ref="0002002", patient=third),
        ]
    )


def test_one_reminder_covers_the_invoices_under_both_forms_of_the_patient_number():
    """Given two open invoices of one patient, one stored under "0001001" and one under
    "1001", due the same day, when the run sends reminders, then one letter covers both
    and announces the staffel over their €4,000: €525.00 (legal-nl.md §2 worked example),
    not €300.00 each; the other patients get letters of their own the same day."""
    world = one_patient_under_two_numbers()

    world.run_days(date(2026, 12, 24), REMINDER_DAY)

    first, third = world.invoice("inv-1").reminder, world.invoice("inv-3").reminder
    assert first is not None and third is not None
    assert first.letter_id == third.letter_id
    assert sorted(covered.invoice_id for covered in first.covers) == ["inv-1", "inv-3"]
    assert first.costs_cents == 52_500
    other = world.invoice("inv-2").reminder
    assert other is not None and other.letter_id != first.letter_id
    # A patient stored only under a number with zeros waits for nobody: reminded that day
    alone = world.invoice("inv-4").reminder
    assert alone is not None and [c.invoice_id for c in alone.covers] == ["inv-4"]
    assert alone.sent_on == REMINDER_DAY


def test_the_costs_are_charged_as_for_one_patients_claims():
    """Given the same letter, when both stay unpaid past its term, then €525.00 is charged
    in all, €262.50 on each (legal-nl.md §2, §3: the costs of the claims one reminder
    covers), not the staffel over each alone (2 x €300.00)."""
    world = one_patient_under_two_numbers()
    world.run_days(date(2026, 12, 24), REMINDER_DAY)

    world.run_days(date(2027, 1, 1), TERM_OVER)

    assert (world.costs("inv-1"), world.costs("inv-3")) == (26_250, 26_250)
