"""A part of a run in parts (the dunning run's, the retrocession run's) its function
finished, marked on the billing table (parts58; R3, R19, R24, R39).

Powertools' record answers a part's event delivered again for PART_SECONDS (24 hours)
only, and not at all once the in-progress time of a record that could not be saved has
passed; Lambda delivers an asynchronous call at least once, and a part's event can be
replayed from ScheduleFailureQueue for 14 days. Such a delivery did the part again: the
dunning run's found nothing left on its index and counted the whole run's reminders and
letters again, its last part finishing the run a second time; the retrocession run's
wrote its practices' statements again and counted them, and the run's finish, again. So
each part that did its work (its next part called, its report logged, the invocation not
failed) is marked with its answer (``RunPartMarks``, one conditional PutItem), and every
part reads its mark first (one GetItem): when it is there, the part is answered with it,
``shared.reports.DeliveredAgain``, logged and counted as ``UploadsDeliveredAgain``, never
an error: nothing is done, written, sent or counted again, and its next part is not
called again. A part that failed its invocation (the retrocession run's failures) is not
marked: the retry does it again, as before.

A mark is its run's (parts58b): each run has an id, its first invocation's request id,
carried in each next part's event (``run``), and in its marks' key. A rerun of the day or
week within PART_KEPT (the runbook's "mend the item, then rerun the week"), once
Powertools' records are gone, is another run: its parts are done, not answered from the
first run's marks. A part queued before runs had ids carries none: its mark is keyed by
day and place only, as before.

Imported by a part when it runs, not at a handler's start (make bench (d))."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from billing_core import bootstrap
from billing_core.shared.reports import DeliveredAgain

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger

# Longer than a part's event can come again: Lambda retries an asynchronous call for up to
# 6 hours, and ScheduleFailureQueue keeps a part's failure record 14 days for a replay.
# The mark holds counts, days and ids only (R29), no personal data (legal-nl.md §8).
PART_KEPT = timedelta(days=15)
DELIVERED_AGAIN = "run part delivered again: its answer stands"


class RunPart:
    """The part of ``function``'s run ``run`` (None: a part queued before runs had ids)
    that ``request`` (its day and ``continue_from``) names."""

    def __init__(self, function: str, request: dict[str, Any], run: str | None) -> None:
        self._function = function
        self._as_of = date.fromisoformat(request["as_of"])
        self._place = list(request["continue_from"])
        self._run = run

    def finished_before(self) -> DeliveredAgain | None:
        """The part's answer when it is marked finished; None when it is not."""
        marks = bootstrap.current().run_parts
        answer = marks.answer_of(self._function, self._as_of, self._place, self._run)
        return None if answer is None else DeliveredAgain(DELIVERED_AGAIN, answer, answer)

    def mark_finished(self, answer: dict[str, Any], logger: Logger) -> None:
        """Mark the part finished with its ``answer``. A mark that cannot be written
        (DynamoDB throttled) fails nothing: the work is done and answered, and
        Powertools' record answers a delivery again for its 24 hours; the operator is
        told (ids only)."""
        runtime = bootstrap.current()
        try:
            runtime.run_parts.mark(
                self._function,
                self._as_of,
                self._place,
                self._run,
                answer,
                finished_at=runtime.clock.now(),
                kept=PART_KEPT,
            )
        except Exception:  # noqa: BLE001 -- the part's work stands; its answer goes out
            logger.error(
                "run part finished, its mark not saved",
                extra={"as_of": self._as_of.isoformat()},
            )
