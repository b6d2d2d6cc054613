"""The debtor-risk chart (R25) as SVG, drawn on the server: no script, no chart library.

One stacked bar per month of issue, the invoiced amount split by how the invoices ended
up. The colours differ in lightness as well as hue, and the table under the chart
holds every figure, so nobody depends on telling colours apart (WCAG 1.4.1).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from billing_core.collection.debtor_risk import DebtorRisk, Outcome
from billing_core.texts.catalogue import MONTHS, SHORT_MONTHS

# Each at least 3:1 against the white background (WCAG 1.4.11).
COLOURS = {
    Outcome.PAID_ON_TIME: "#0b6e4f",
    Outcome.PAID_LATE: "#4a8a12",
    Outcome.PAID_AFTER_REMINDER: "#2f8fbf",
    Outcome.PAID_AFTER_COLLECTION: "#5b4a9e",
    Outcome.STOPPED: "#8a6d00",
    Outcome.UNPAID: "#a3261b",
    Outcome.OPEN: "#6b7785",
}
WIDTH, HEIGHT = 720, 300
LEFT, BOTTOM, TOP = 80, 40, 16


@dataclass(frozen=True, slots=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    colour: str
    title: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    month_labels: list[tuple[int, str]]  # x of the label's centre, the month
    axis_labels: list[tuple[int, str]]  # y, the amount
    legend: list[tuple[str, str]]  # colour, outcome
    baseline: int


def month_name(label: str, language: str, *, short: bool = False) -> str:
    """A month of issue ("2025-12") as the page's reader writes it: "december 2025" /
    "December 2025"; ``short``, for a crowded axis: "dec '25" / "Dec '25" (R9), never
    "25-12", which a Dutch reader takes for a date."""
    year, month = (int(part) for part in label.split("-"))
    if short:
        return f"{SHORT_MONTHS.get(language, SHORT_MONTHS['nl'])[month - 1]} '{year % 100:02d}"
    return f"{MONTHS.get(language, MONTHS['nl'])[month - 1]} {year}"


def risk_chart(
    risk: DebtorRisk,
    outcome_names: Mapping[Outcome, str],
    euros: Callable[[int], str],
    language: str,
) -> Chart:
    """``outcome_names`` and ``euros`` in the reader's ``language``."""
    plot_height = HEIGHT - TOP - BOTTOM
    highest = max((m.total.amount_cents for m in risk.months), default=0) or 1
    slot = (WIDTH - LEFT) // max(len(risk.months), 1)
    bars: list[Bar] = []
    labels: list[tuple[int, str]] = []
    crowded = len(risk.months) > 6
    for index, month in enumerate(risk.months):
        named = month_name(month.label, language)
        x = LEFT + index * slot + slot // 6
        y = HEIGHT - BOTTOM
        for outcome in Outcome:
            amount = month.by_outcome[outcome].amount_cents
            height = round(plot_height * amount / highest)
            if height:
                y -= height
                title = f"{named} · {outcome_names[outcome]}: {euros(amount)}"
                bars.append(Bar(x, y, slot * 2 // 3, height, COLOURS[outcome], title))
        labels.append((x + slot // 3, month_name(month.label, language, short=crowded)))
    axis = [
        (HEIGHT - BOTTOM - round(plot_height * step / 4), euros(highest * step // 4))
        for step in range(5)
    ]
    legend = [(COLOURS[o], outcome_names[o]) for o in Outcome]
    return Chart(WIDTH, HEIGHT, bars, labels, axis, legend, HEIGHT - BOTTOM)
