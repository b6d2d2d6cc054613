"""`make demo` step 13: what the insurer's retour changed (R5, vektis.md §1; stop 42
small5 item 3: every invoice was printed, unchanged ones as "€ 50,40 -> € 50,40")."""

from __future__ import annotations

from types import SimpleNamespace

from billing_core.shared import reference
from billing_core.shared.money import format_euros
from local.demo import retour_changes


def _invoice(payload: int, cents: int) -> SimpleNamespace:
    kenmerk = reference.from_payload(payload)
    return SimpleNamespace(invoice_id=f"id-{payload}", reference=kenmerk, amount_due_cents=cents)


def test_r5_step_13_prints_only_what_the_retour_changed_and_counts_the_rest():
    """Given three invoices before the retour, one of which it lowered, and a new invoice
    it made (material the insurer refused)
    When step 13 lists the retour's effect
    Then the lowered and the new invoice are shown, the two left alone only counted."""
    kept, lowered, other, new = (
        _invoice(n, c) for n, c in ((1, 5040), (2, 1921), (3, 2520), (4, 8500))
    )
    before = {kept.invoice_id: 5040, lowered.invoice_id: 9605, other.invoice_id: 2520}

    lines = retour_changes(before, [kept, lowered, other, new])  # type: ignore[list-item]

    by_kenmerk = sorted([lowered, new], key=lambda i: i.reference)
    expected = {
        lowered.reference: f"{format_euros(9605)} -> {format_euros(1921)}",
        new.reference: f"new invoice {format_euros(8500)} (material the insurer refused)",
    }
    assert lines == [
        *(f"{reference.grouped(i.reference)}  {expected[i.reference]}" for i in by_kenmerk),
        "2 invoices unchanged",
    ]
    assert not any(f"{format_euros(5040)} -> " in line for line in lines)


def test_one_unchanged_invoice_is_counted_in_the_singular():
    only = _invoice(5, 2520)
    assert retour_changes({only.invoice_id: 2520}, [only]) == ["1 invoice unchanged"]  # type: ignore[list-item]
