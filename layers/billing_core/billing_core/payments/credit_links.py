"""A booked bank credit, as the payment links keep it (``BankCreditLinks``): in a module
of its own, so a function that books no bank statement does not build this class at its
cold start (make bench (d))."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BankCreditLink:
    """A booked bank credit, found again by the transfer id a return of it repeats (R12)."""

    account_iban: str  # our account
    transfer_id: str  # the original's TxId or EndToEndId
    source_id: str  # what the payment was booked as (its bank entry reference)
    reference: str  # the invoice's betalingskenmerk (a split credit: its first part's)
    amount_cents: int  # the whole credit
    # A credit split over several invoices (one transfer for several kenmerken, or an
    # operator's split, legal-nl.md §5): (kenmerk, cents) per part, in booking order;
    # () for a credit booked whole on ``reference``.
    parts: tuple[tuple[str, int], ...] = ()
    # The id is another credit's too (a payer's software that repeats its EndToEndId on
    # every transfer): it traces none of them, the link above being only the first's.
    shared: bool = False
