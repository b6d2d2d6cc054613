"""The audit of reads (NEN 7513, R32): who looked at which patient data, never the data.

Every read of an invoice, a patient list or an export by a provider user or an operator
is one ``ReadRecord``: the user's id (the Cognito ``sub``, never a name), the role they
read in, the provider whose data it is, what kind of thing and which id, and when. The
services record it (services/provider/*), so the API and the portal cannot differ.

An operator's answer can show several practices' patients (a refund batch, the credits
held): ``records_of`` makes one record per practice, naming the ids it showed of that
practice, as a provider's invoice list names its page's invoices. What no person sees
writes none: the Monday run, and a migration's pass over the refund batches (version 5
dates them; a migration's pass over a practice's invoices is recorded, as started by an
operator for that practice).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

# Whose data the unmatched bank credits are: no practice's yet. Not a provider id (those
# start with a letter or a digit), so the operator lists these reads as this "provider".
NO_PRACTICE_YET = "_unmatched_credits"
# Ids in one record's subject: 2,000 of about 45 characters is some 90 KB, far inside a
# DynamoDB item's 400 KB (a refund batch holds at most 500). More ids: more records.
IDS_PER_RECORD = 2_000
# Reads per answer of the audit (the operator's and the practice's route). A list's read
# names every invoice of its page and their patients (about 6.5 KB at 100 invoices of
# 100 patients numbered in some 10 characters): 500 of them stay below Lambda's 6 MB
# answer, which a busy practice's quarter can pass.
AUDIT_PAGE = 100
MAX_AUDIT_PAGE = 500


class ReadKind(StrEnum):
    INVOICE = "invoice"  # one invoice: lines, ledger, letters (the subject is its id)
    LETTER = "letter"  # one letter's PDF of an invoice (the subject: invoice id and letter)
    INVOICE_LIST = "invoice_list"  # a page of invoices (the subject: its filter, its ids)
    PATIENT_LIST = "patient_list"  # the blocked patients, or their changes
    ACTION = "action"  # one open action: its details name the patient (the subject: its id)
    EXPORT = "export"  # a file: a retrocession statement, a processing report
    # An operator or the practice's admin listed who read the practice's data (the
    # subject: the period, and ``patient:`` the patient asked for)
    AUDIT = "audit"
    # An operator read bank credits (payers' names, IBANs): the unmatched ones listed (the
    # subject: their ids), or one matched (its id, the invoices it went to).
    BANK_CREDITS = "bank_credits"
    # An operator read a refund batch (patients' names, IBANs): the subject is the batch's
    # id and the kenmerken of the practice's refunds in it.
    REFUND_BATCH = "refund_batch"
    MIGRATION = "migration"  # an operator's data migration went through the invoices


@dataclass(frozen=True, slots=True)
class Reader:
    """Who reads: a provider user in their role (admin, staff, viewer) or an operator."""

    user_id: str
    role: str


@dataclass(frozen=True, slots=True)
class ReadRecord:
    at: datetime
    provider_id: str  # whose data was read
    user_id: str
    role: str
    kind: ReadKind
    subject: str  # which invoice, week or file; "" for a whole list

    @classmethod
    def of(
        cls, reader: Reader, provider_id: str, kind: ReadKind, subject: str, at: datetime
    ) -> ReadRecord:
        return cls(at, provider_id, reader.user_id, reader.role, kind, subject)


def patients_named(numbers: Iterable[str]) -> list[str]:
    """``patient:{number}`` for each patient number a read showed, once, in their order
    (none for ""): how every list's read names its patients (R32, NEN 7513), so that a
    patient's reads are found by their number, also once their invoices are deleted
    (legal-nl.md §8), and the access log says whose data a list showed."""
    return [f"patient:{number}" for number in dict.fromkeys(numbers) if number]


def naming_patient(subject: str, patient_ref: str) -> str:
    """A single read's subject (one invoice, one of its letters, one action): ``subject``,
    its id, first, then ``patient:{number}`` of the patient whose data it showed, as a
    list's read names them (``patients_named``), so that the read is found by the
    patient's number also once the invoice is deleted (R32, NEN 7513, legal-nl.md §8)."""
    return " ".join([subject, *patients_named([patient_ref])])


def single_read_id(subject: str) -> str:
    """The id a single read's subject starts with (``naming_patient``; before it, the
    subject was that id alone): an invoice's or an action's, a letter's ``{id}:{position}:
    {kind}``."""
    return subject.split(" ", 1)[0]


def by_practice(shown: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """(practice, id) pairs in the answer's order, as each practice's ids."""
    ids: dict[str, list[str]] = {}
    for practice, shown_id in shown:
        ids.setdefault(practice, []).append(shown_id)
    return ids


def by_practice_naming_patients(shown: Iterable[tuple[str, str, str]]) -> dict[str, list[str]]:
    """(practice, patient number, id) in the answer's order, as each practice's ids: the
    patients it showed of that practice first (``patients_named``), then the ids, so an
    operator's answer of several practices names each one's own patients (R32, NEN 7513)."""
    rows = list(shown)
    return {
        practice: [*patients_named(n for p, n, _ in rows if p == practice), *ids]
        for practice, ids in by_practice((p, shown_id) for p, _, shown_id in rows).items()
    }


def records_of(
    reader: Reader,
    kind: ReadKind,
    shown: Mapping[str, Sequence[str]],
    at: datetime,
    heading: str = "",
) -> list[ReadRecord]:
    """The reads of one answer (R32, NEN 7513): one record per practice in ``shown``
    (practice -> the ids shown of it), its subject ``heading`` (which batch or list) and
    those ids, so that a patient's reads are found by their invoice's id or kenmerk. Ids
    only: never a name, an IBAN or a birth date."""
    return [
        ReadRecord.of(reader, practice, kind, " ".join(filter(None, [heading, *part])), at)
        for practice, ids in sorted(shown.items())
        for part in _parts(ids)
    ]


def _parts(ids: Sequence[str]) -> list[Sequence[str]]:
    """The ids in parts of at most IDS_PER_RECORD; one (empty) part for none."""
    return [
        ids[start : start + IDS_PER_RECORD] for start in range(0, len(ids), IDS_PER_RECORD)
    ] or [ids]


READS_COLUMNS = ("at", "by", "user_id", "role", "kind", "subject")


def reads_csv(records: Iterable[ReadRecord], by: Mapping[str, str]) -> str:
    """The reads as a practice hands them to its patient (R32, NEN 7513): ``;``-separated,
    one header row (READS_COLUMNS, as the other CSV files name theirs), the moment on the
    Dutch clock with its offset; ``by``: who each user id is (e-mail, or "zorgnota")."""
    from billing_core.shared.clock import AMSTERDAM  # only a download needs these
    from billing_core.shared.spreadsheet import csv_text

    rows = (
        (
            r.at.astimezone(AMSTERDAM).isoformat(timespec="seconds"),
            by.get(r.user_id, ""),
            r.user_id,
            r.role,
            r.kind.value,
            r.subject,
        )
        for r in records
    )
    return csv_text(READS_COLUMNS, rows)
