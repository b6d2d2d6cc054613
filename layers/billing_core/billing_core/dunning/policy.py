"""A provider's dunning timeline as data (R19), validated where it is entered.

The defaults are R19's: the reminder 7 days after the first day of default, the second
notice (with collection costs and interest) the day after the reminder's term expires,
the handover to the collection agency 14 days after that. The payment term, the deferral
and the arrangement settings stay where the patient rules read them (providers.py); how
they move this timeline is the timeline's business (dunning/timeline.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from billing_core.shared.settings_rules import Boolean, WholeNumber


class DunningPolicy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # Days after the first day of default until the reminder (14-day letter) is sent.
    days_to_reminder: Annotated[int, WholeNumber] = Field(default=7, ge=0, le=60)
    # Days after the second notice until the claim goes to the collection agency. At
    # least 7: the notice must leave the patient time to pay before the handover.
    days_to_handover: Annotated[int, WholeNumber] = Field(default=14, ge=7, le=90)
    # One reminder for all of a patient's invoices due on the same day (legal-nl.md §2:
    # the staffel then applies to the summed principals, which is cheaper for the patient).
    combine_reminders: Annotated[bool, Boolean] = True
    # At most this many invoices in one letter: it has to stay readable on one page.
    max_invoices_per_letter: Annotated[int, WholeNumber] = Field(default=10, ge=1, le=25)

    def first_check_on(self, final_payment_date: date) -> date:
        """Where a new invoice enters the run's index: the day its reminder is due (the
        first day of default plus the days to the reminder). Here and not in the timeline
        so that invoicing an upload does not load the whole dunning timeline."""
        return final_payment_date + timedelta(days=1 + self.days_to_reminder)
