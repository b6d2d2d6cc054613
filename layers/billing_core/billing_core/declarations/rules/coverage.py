"""The reimbursement check (R5): what does the patient's insurer pay of a line?

``CoverageComponent`` is the port; ``RuleTableCoverage`` is the default, driven by the
provider's rule table (contracts per insurer as periods, percentage per code group). A
real-time coverage check (e.g. a VECOZO COV lookup) can replace it without touching
invoicing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from billing_core.providers.provider import CoverageRule, Provider
from billing_core.shared.money import percentage_of


@dataclass(frozen=True, slots=True)
class CoverageQuery:
    """A line to price against the insurer's coverage (R5)."""

    insurer_uzovi: str
    on: date  # the treatment's start date: care is declared at that insurer (legal-nl.md §6)
    treatment_code: str
    amount_cents: int


@dataclass(frozen=True, slots=True)
class CoverageDecision:
    """What the insurer reimburses of a line, and whether the provider is contracted with it
    (R5)."""

    reimbursed_cents: int
    contracted: bool

    def fully_covered(self, amount_cents: int) -> bool:
        """A contracted insurer pays all of it: the line goes to the insurer, not the patient."""
        return self.contracted and self.reimbursed_cents == amount_cents


class CoverageComponent(Protocol):
    def decide(self, query: CoverageQuery) -> CoverageDecision: ...

    def is_contracted(self, insurer_uzovi: str, on: date) -> bool:
        """Only the contract question of ``decide``: for lines no reimbursement is asked
        for (a material, a no-show fee), whose invoice line keeps it all the same (R17)."""
        ...


class RuleTableCoverage:
    """Reimbursement from the provider's own rule table; the longest code prefix wins."""

    def __init__(self, provider: Provider) -> None:
        self._provider = provider
        # Codes are read upper case (the readers); a prefix typed "c" still means C11.
        self._rules = sorted(
            ((r.code_prefix.upper(), r) for r in provider.coverage_rules),
            key=lambda prefixed: len(prefixed[0]),
            reverse=True,
        )

    def decide(self, query: CoverageQuery) -> CoverageDecision:
        contracted = self.is_contracted(query.insurer_uzovi, query.on)
        rule = self._rule_for(query.treatment_code)
        if rule is None:
            return CoverageDecision(reimbursed_cents=0, contracted=contracted)
        share = rule.contracted_percentage if contracted else rule.non_contracted_percentage
        return CoverageDecision(
            reimbursed_cents=_share_of(query.amount_cents, share), contracted=contracted
        )

    def is_contracted(self, insurer_uzovi: str, on: date) -> bool:
        return self._provider.is_contracted(insurer_uzovi, on)

    def _rule_for(self, treatment_code: str) -> CoverageRule | None:
        return next((r for prefix, r in self._rules if treatment_code.startswith(prefix)), None)


def _share_of(amount_cents: int, percentage: Decimal) -> int:
    """Credit lines (negative amounts) get a negative reimbursement: they reverse one."""
    return percentage_of(amount_cents, percentage)
