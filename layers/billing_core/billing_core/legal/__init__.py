"""The pure legal core of dunning (legal-nl.md §2-§4): when a reminder is received and its
final date (``receipt``, moved by the Algemene termijnenwet in ``atw``), collection costs
(BIK, ``collection_costs``) and statutory interest (``statutory_interest``). No I/O, no
clock: every function takes the dates it needs, so any day can be replayed (product.md R18)."""

from billing_core.legal.atw import ATW_DAYS, AtwDay, OutsideAtwCalendar, is_atw_day_off, term_end
from billing_core.legal.collection_costs import (
    BIK_2012,
    STAFFELS,
    Band,
    CostsSplit,
    Staffel,
    collection_costs,
    collection_costs_for,
    costs_at_term_end,
    split_proportionally,
    staffel_on,
)
from billing_core.legal.receipt import (
    REMINDER_RULES,
    TERM_PHRASE,
    Channel,
    ReminderRules,
    is_delivery_day,
    posting_date,
    receipt_date,
    reminder_final_date,
)
from billing_core.legal.statutory_interest import (
    COMMERCIAL,
    CONSUMER,
    InterestResult,
    RateRow,
    Segment,
    statutory_interest,
)

__all__ = [
    "ATW_DAYS",
    "BIK_2012",
    "COMMERCIAL",
    "CONSUMER",
    "REMINDER_RULES",
    "STAFFELS",
    "TERM_PHRASE",
    "AtwDay",
    "Band",
    "Channel",
    "CostsSplit",
    "InterestResult",
    "OutsideAtwCalendar",
    "RateRow",
    "ReminderRules",
    "Segment",
    "Staffel",
    "collection_costs",
    "collection_costs_for",
    "costs_at_term_end",
    "is_atw_day_off",
    "is_delivery_day",
    "posting_date",
    "receipt_date",
    "reminder_final_date",
    "split_proportionally",
    "staffel_on",
    "statutory_interest",
    "term_end",
]
