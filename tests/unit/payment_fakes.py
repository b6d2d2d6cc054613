"""In-memory checkouts and bank links for the payment use cases (unit tests), with the
DynamoDB adapter's semantics (tests/contract runs the same cases against both); invoices
and files live in tests/unit/fake_store."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from billing_core.payments.checkouts import CheckoutRecord
from billing_core.payments.credit_links import BankCreditLink
from billing_core.payments.psp import PspStatus
from billing_core.payments.unmatched import CreditMatch, UnmatchedCredit
from billing_core.ports import InvalidPosition

if TYPE_CHECKING:
    from billing_core.invoices.invoice import Invoice
    from tests.unit.fake_store import FakeStore


class CheckoutsInMemory:
    def __init__(self) -> None:
        self.records: dict[str, CheckoutRecord] = {}
        self.keys: dict[str, tuple[str, datetime]] = {}  # slot -> (idempotency key, kept at)

    def record_checkout(self, checkout: CheckoutRecord) -> None:
        self.records.setdefault(checkout.psp_payment_id, checkout)

    def get_checkout(self, psp_payment_id: str) -> CheckoutRecord | None:
        return self.records.get(psp_payment_id)

    def set_checkout_status(self, psp_payment_id: str, status: PspStatus) -> None:
        self.records[psp_payment_id] = replace(self.records[psp_payment_id], status=status)

    def claim_checkout_key(self, slot: str, key: str, at: datetime, kept_since: datetime) -> str:
        kept = self.keys.get(slot)
        if kept is not None and kept[1] >= kept_since:
            return kept[0]
        self.keys[slot] = (key, at)
        return key

    def keep_checkout_key(self, slot: str, key: str, at: datetime) -> None:
        self.keys[slot] = (key, at)


class LinksInMemory:
    def __init__(self, invoices: FakeStore | None = None) -> None:
        # The invoices' store: the same DynamoDB table holds both, and a withdrawal is
        # conditional on invoice versions in it (withdraw_credit_match).
        self.invoices = invoices
        self.links: dict[tuple[str, str], BankCreditLink] = {}
        self.credits: dict[str, UnmatchedCredit] = {}
        # open credits stored before their keys on the by-credit index (a test's "before
        # migration version 19"): off the operator's list until index_open_credits
        self.not_indexed: set[str] = set()

    def remember_bank_credit(self, link: BankCreditLink) -> None:
        kept = self.links.setdefault((link.account_iban, link.transfer_id), link)
        if kept.source_id != link.source_id:
            self.links[(link.account_iban, link.transfer_id)] = replace(kept, shared=True)

    def find_bank_credit(self, account_iban: str, transfer_id: str) -> BankCreditLink | None:
        return self.links.get((account_iban, transfer_id))

    def keep_unmatched_credit(self, credit: UnmatchedCredit) -> None:
        self.credits.setdefault(credit.credit_id, credit)

    def unmatched_credits(self) -> list[UnmatchedCredit]:
        open_ones = (c for c in self.credits.values() if c.match is None)
        return sorted(open_ones, key=lambda c: (c.booking_date, c.credit_id))

    def unmatched_credit_page(
        self, limit: int, after: str | None = None
    ) -> tuple[list[UnmatchedCredit], str | None]:
        if after is not None and not _is_position(after):
            raise InvalidPosition(after)
        listed = [c for c in self.unmatched_credits() if c.credit_id not in self.not_indexed]
        after_it = [c for c in listed if after is None or _position(c) > after]
        more = len(after_it) > limit
        return after_it[:limit], _position(after_it[limit - 1]) if more else None

    def index_open_credits(self) -> tuple[int, int]:
        indexed = {i for i in self.not_indexed if self.credits[i].match is None}
        self.not_indexed -= indexed
        return len(indexed), 0

    def get_unmatched_credit(self, credit_id: str) -> UnmatchedCredit | None:
        return self.credits.get(credit_id)

    def planned_credits(self) -> list[UnmatchedCredit]:
        planned = (c for c in self.credits.values() if c.match is not None)
        return sorted(planned, key=lambda c: (c.booking_date, c.credit_id))

    def plan_credit_match(self, credit_id: str, match: CreditMatch) -> UnmatchedCredit:
        if credit_id not in self.credits:
            raise LookupError(credit_id)
        if self.credits[credit_id].match is None:
            self.credits[credit_id] = replace(self.credits[credit_id], match=match)
        return self.credits[credit_id]

    def withdraw_credit_match(
        self, credit_id: str, match: CreditMatch, unchanged: Sequence[Invoice]
    ) -> bool:
        """As the adapter's transaction: the plan goes only while the credit holds it and
        each invoice of ``unchanged`` is at the version read in ``self.invoices`` (the
        FakeStore on the same table; required when there are invoices to check)."""
        if credit_id not in self.credits or self.credits[credit_id].match != match:
            return False
        if unchanged:
            assert self.invoices is not None, "LinksInMemory(invoices=the FakeStore)"
            stored = self.invoices.invoices
            key = lambda i: (i.provider_id, i.invoice_id)  # noqa: E731
            if any(key(i) not in stored or stored[key(i)].version != i.version for i in unchanged):
                return False
        self.credits[credit_id] = replace(self.credits[credit_id], match=None)
        self.not_indexed.discard(credit_id)  # the adapter's withdrawal writes its keys
        return True


def _position(credit: UnmatchedCredit) -> str:
    return f"{credit.booking_date.isoformat()}#{credit.credit_id}"


def _is_position(after: str) -> bool:
    """The adapter's: an ISO booking date that is a date, "#", a credit id."""
    booked, _, credit_id = after.partition("#")
    try:
        date.fromisoformat(booked)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}#[0-9a-f]{20}", after)) and bool(credit_id)
