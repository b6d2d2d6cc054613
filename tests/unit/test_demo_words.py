"""`make demo` speaks English of its own beside the product's texts: in the number it counts
(R9). Stop 49: its upload summary said "1 lines", "1 invoices", "1 deliveries"."""

from __future__ import annotations

import pytest

from local.demo import counted


@pytest.mark.parametrize(
    ("count", "words", "said"),
    [
        (1, ("line",), "1 line"),
        (20, ("line",), "20 lines"),
        (0, ("invoice",), "0 invoices"),
        (1, ("delivery", "deliveries"), "1 delivery"),
        (8, ("delivery", "deliveries"), "8 deliveries"),
    ],
)
def test_the_demo_counts_in_the_number_it_counts(count: int, words: tuple[str, ...], said: str):
    """Given a count and the word for one (and for more, when not one + "s")
    When the demo says it
    Then the word is in the count's number."""
    assert counted(count, *words) == said
