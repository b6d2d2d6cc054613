"""Inputs a service reads from text the request carried, and the one refusal of them.

``InvalidInput`` names where in the request the value was (as the API names it, e.g.
``query.from``) and what is wrong, never the value itself: the API answers it like any
validation error (400). What is wrong is a key of texts.practice's ``INPUTS`` with the
values its sentences name, said in Dutch and English where it is answered (R9,
interfaces.md §2); tests/unit/test_invalid_inputs.py holds every raise to a key both
languages have.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from billing_core.providers.week import InvalidWeek, Week
from billing_core.shared.clock import AMSTERDAM

if TYPE_CHECKING:
    from collections.abc import Iterable

    from billing_core.invoices.invoice import Invoice


class InvalidInput(ValueError):
    """``said_as``: its sentences' key in texts.practice ``INPUTS``; ``values``: what they
    name (a language-dependent value once per language, ``reason_nl``, ``reason_en``)."""

    def __init__(self, where: str, said_as: str, /, **values: object) -> None:
        super().__init__(where)
        self.where = where
        self.said_as = said_as
        self.values = values

    @property
    def message(self) -> str:
        """What is wrong as the APIs say it: 'Dutch / English'."""
        # Here, not at import: only a refusal needs the texts (shared/errors.py says why).
        from billing_core.texts.practice import input_sentences

        sentences = input_sentences(self.said_as, **self.values)
        return f"{sentences['nl']} / {sentences['en']}"


def refuse_another_case(patient_ref: str, invoices: Iterable[Invoice], where: str) -> None:
    """InvalidInput at ``where`` naming the number as one of ``invoices`` writes
    ``patient_ref`` in another letter case. Its case counts (invoices/listing.
    patient_number), so the answer for "pat000002" was empty: staff read that PAT000002
    had no invoices (R35), an admin that nobody read their data (R32). The caller asks
    when nothing has the number as typed; ``invoices``: what its answer would have held
    but for the number, read lazily: never for a number without cased letters, and only
    up to the first written otherwise (the audit's and the list's one check)."""
    if patient_ref.lower() == patient_ref.upper():  # no letter with a case
        return
    folded = patient_ref.casefold()
    for invoice in invoices:
        if invoice.patient_ref.casefold() == folded:
            raise InvalidInput(where, "patient_ref_case", found=invoice.patient_ref)


@contextmanager
def read_if_refused_for_case(record: Callable[[str], object]) -> Iterator[None]:
    """Around what may ``refuse_another_case``: its refusal tells the reader that the
    number it names, as the invoices write it, is a patient of the practice with invoices
    in what was asked, a read of that patient's data like the answer it stands in for
    (R32, NEN 7513). ``record`` it, given that number, then refuse."""
    try:
        yield
    except InvalidInput as refused:
        if refused.said_as == "patient_ref_case":
            record(str(refused.values["found"]))
        raise


def week(label: str, where: str) -> Week:
    try:
        return Week.parse(label)
    except InvalidWeek:
        raise InvalidInput(where, "iso_week") from None


# A time, then a space where an offset's "+" was: "+01:00" put in a URL without its "%2B"
# arrives as " 01:00" (a query's "+" is a space, as HTML forms send it). A space before a
# bare offset after a time can mean nothing else; a "-" offset arrives as sent.
_PLUS_READ_AS_SPACE = re.compile(r"(.*\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?) (\d{2}(?::?\d{2})?)")


def moment(text: str, where: str) -> datetime:
    """An ISO 8601 moment; without an offset it is Dutch time (Europe/Amsterdam). An
    offset whose "+" a URL turned into a space is read with its "+" (R22's feed is polled
    by practice software, whose URLs do not always encode it)."""
    text = text.strip()
    if lost_plus := _PLUS_READ_AS_SPACE.fullmatch(text):
        text = f"{lost_plus[1]}+{lost_plus[2]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(where, "iso_moment") from None
    try:
        return parsed.astimezone(AMSTERDAM) if parsed.tzinfo else _earliest_dutch(parsed)
    except OverflowError:
        # No Dutch or UTC time (the first hours of year 1, the last of 9999): refused, not
        # a 500; the change log sorts by the UTC moment (audit blocks53).
        raise InvalidInput(where, "moment_out_of_range") from None


def _earliest_dutch(naive: datetime) -> datetime:
    """A Dutch clock time as its earliest moment: one the clock passes twice (October) is
    its first, one it skips (March, 02:00-03:00) the reading before the skip. A since is
    inclusive, so a change in that hour comes (again) rather than never (audit blocks53:
    since 02:30 on the day of summer time was read as 03:30 and missed a change at 03:10)."""
    readings = (naive.replace(tzinfo=AMSTERDAM, fold=fold).astimezone(UTC) for fold in (0, 1))
    return min(readings).astimezone(AMSTERDAM)
