"""`make demo` step 12d reads the portal's tables as a person does (R35). Stop 45,
newcomer4: the portal's invoice list became ``<table class="invoices stacking">`` (its
cells stack on a phone) and the demo, looking for ``class="invoices"`` exactly, printed
"Invoices: 0 invoices ()" beside a page that listed ten."""

from __future__ import annotations

from pathlib import Path

from local.demo_portal import element, rows

TEMPLATE = (
    Path(__file__).resolve().parents[2]
    / "layers/billing_core/billing_core/entrypoints/web/portal/templates/_invoice_table.html.j2"
)


def _invoice_list(*states: str) -> str:
    """The portal's invoice list with one row per state, its table tag as the template
    writes it."""
    opening = next(
        line.strip()
        for line in TEMPLATE.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("<table")
    )
    body = "".join(
        f'<tr role="row"><td class="kenmerk" role="cell">{n}</td><td role="cell">{state}</td></tr>'
        for n, state in enumerate(states)
    )
    return (
        f'<main>{opening}<thead role="rowgroup"><tr><th>Reference</th><th>State</th></tr>'
        f'</thead><tbody role="rowgroup">{body}</tbody></table></main>'
    )


def test_r35_step_12d_counts_the_invoices_the_portal_lists_whatever_other_classes_it_has():
    """Given the portal's invoice list (R35) as its template writes the table, with more
    classes than "invoices", listing two invoices
    When the demo reads it by its class, as step 12d does
    Then it reads both rows, their states as the page shows them."""
    page = _invoice_list("Paid", "Reminder sent")

    assert rows(page, 'class="invoices"') == [["0", "Paid"], ["1", "Reminder sent"]]


def test_a_class_matches_a_whole_class_name_and_an_id_as_before():
    """Given a table whose class only begins with "invoices", and one found by its id
    When the demo looks them up
    Then the first is no invoice list (no rows) and the id still finds the second."""
    page = (
        '<table class="invoices-summary"><tbody><tr><td>x</td></tr></tbody></table>'
        '<table id="ledger" class="stacking"><tbody><tr><td>a</td></tr></tbody></table>'
    )

    assert rows(page, 'class="invoices"') == []
    assert rows(page, 'id="ledger"') == [["a"]]
    assert "<td>a</td>" in element(page, 'id="ledger"')
