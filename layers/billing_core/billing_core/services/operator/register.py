"""The insurer register an operator loads and reads (R33, issue 14 item 4).

A version is loaded whole from CSV (``uzovi;name;group;labels;valid_from;source``) or not
at all: every problem is named with its line. Its label is the valid-from date and the
how-manieth version for that date; the ingest reads the version in force on each
treatment date (declarations/rules/insurers.py)."""

from __future__ import annotations

from dataclasses import replace

from billing_core.declarations.rules.insurers import (
    InsurerRegister,
    parse_register_csv,
    registers_in_use,
    version_label,
)
from billing_core.services.operator.context import BackOfficeContext


def load_register(csv_text: str, ctx: BackOfficeContext) -> InsurerRegister:
    """Store a new version; RegisterRefused (with every line's problem) stores nothing,
    TransactionConflict when another operator stored the same version a moment ago."""
    parsed = parse_register_csv(csv_text, number=1)
    known = registers_in_use(ctx.store).versions
    number = 1 + sum(1 for version in known if version.valid_from == parsed.valid_from)
    register = replace(parsed, version=version_label(parsed.valid_from, number))
    ctx.store.put_insurer_register(register)
    return register


def register_in_force(ctx: BackOfficeContext) -> InsurerRegister:
    """The version in force today (Europe/Amsterdam)."""
    return registers_in_use(ctx.store).in_force(ctx.clock.today())
