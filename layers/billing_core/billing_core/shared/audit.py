"""The audit of reads (NEN 7513, R32): who looked at which patient data, never the data.

Every read of an invoice, a patient list or an export by a provider user or an operator
is one ``ReadRecord``: the user's id (the Cognito ``sub``, never a name), the role they
read in, the provider whose data it is, what kind of thing and which id, and when. The
services record it (services/provider/*), so the API and the portal cannot differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

# Whose data the unmatched bank credits are: no practice's yet. Not a provider id (those
# start with a letter or a digit), so the operator lists these reads as this "provider".
NO_PRACTICE_YET = "_unmatched_credits"


class ReadKind(StrEnum):
    INVOICE = "invoice"  # one invoice: lines, ledger, letters (the subject is its id)
    LETTER = "letter"  # one letter's PDF of an invoice (the subject: invoice id and letter)
    INVOICE_LIST = "invoice_list"  # a page of invoices (the subject: its filter, its ids)
    PATIENT_LIST = "patient_list"  # the blocked patients, or their changes
    ACTION = "action"  # one open action: its details name the patient (the subject: its id)
    EXPORT = "export"  # a file: a retrocession statement, a processing report
    AUDIT = "audit"  # an operator listed who read the provider's data
    BANK_CREDITS = "bank_credits"  # an operator listed unmatched credits (payer names, IBANs)
    REFUND_BATCH = "refund_batch"  # an operator read a refund batch (patients' names, IBANs)
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
