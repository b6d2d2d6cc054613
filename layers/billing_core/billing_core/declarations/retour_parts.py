"""A retour file larger than one run applies (R5, R3, R39; runs51c: ~90,000 invoices take
about an hour, Lambda stops at 900 s). The run stops between two invoices before its time
is up, keeps what it did so far (its lines' results, findings and counts: ids, codes and
amounts only, R29) under ``retour/progress/`` in the output bucket, and its function calls
itself to go on from the first invoice not done (entrypoints/continued_runs). The part that
does the last invoice writes the report of the whole file: the same as one uninterrupted
run's (the amounts are targets, each invoice is done by one part)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, NamedTuple

from billing_core.declarations.findings import Finding, Severity
from billing_core.ports import FileGone
from billing_core.shared.reports import LogEntry

if TYPE_CHECKING:
    from billing_core.ports import FileReader, FileStore


def _no_progress(done: int, total: int) -> None:
    """A run without a log to tell (a test's, a local call)."""


# NamedTuples and a plain class, not dataclasses: every import of the retour handler makes
# them, and a dataclass costs ~5M instructions to make (issue 18 (d): the handler's import
# rose to 2.0151x boto3's with three of them, over its 2x target).


class RetourParts(NamedTuple):
    """A run of the function: whether it may take another invoice, where it reads back
    what the parts before it did, and how far it is by the call that started it."""

    has_time: Callable[[], bool]
    checkpoints: FileReader
    start_at: int = 0  # the invoices of the file the parts before this one did
    progress: Callable[[int, int], None] = _no_progress  # (invoices done, invoices in all)


class RetourProgress:
    """What the parts of a run did so far, for the next part to go on with."""

    __slots__ = (
        "change_cents",
        "findings",
        "invoices_changed",
        "invoices_done",
        "ours",
        "parts",
        "patients",
        "results",
    )

    def __init__(
        self,
        *,
        invoices_done: int = 0,
        parts: int = 0,
        results: dict[int, tuple[str, str]] | None = None,  # line -> (result, id)
        findings: list[Finding] | None = None,
        change_cents: int = 0,
        invoices_changed: int = 0,
        ours: list[str] | None = None,
        patients: dict[str, str] | None = None,
    ) -> None:
        self.invoices_done = invoices_done
        self.parts = parts
        self.results = {} if results is None else results
        self.findings = [] if findings is None else findings
        self.change_cents = change_cents
        self.invoices_changed = invoices_changed
        # Invoices an earlier attempt of this upload made (rejected materials), and per
        # patient (a hash, never the patient's number) the first invoice of theirs the file
        # changed.
        self.ours = [] if ours is None else ours
        self.patients = {} if patients is None else patients

    def as_json(self) -> bytes:
        document = {
            "invoices_done": self.invoices_done,
            "parts": self.parts,
            "results": {str(line): list(result) for line, result in self.results.items()},
            "findings": [asdict(f) | {"severity": f.severity.value} for f in self.findings],
            "change_cents": self.change_cents,
            "invoices_changed": self.invoices_changed,
            "ours": self.ours,
            "patients": self.patients,
        }
        return json.dumps(document, ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_json(cls, body: bytes) -> RetourProgress:
        document = json.loads(body)
        return cls(
            invoices_done=document["invoices_done"],
            parts=document["parts"],
            results={int(line): (r[0], r[1]) for line, r in document["results"].items()},
            findings=[
                Finding(**(f | {"severity": Severity(f["severity"])})) for f in document["findings"]
            ],
            change_cents=document["change_cents"],
            invoices_changed=document["invoices_changed"],
            ours=document["ours"],
            patients=document["patients"],
        )


def progress_key(provider_id: str, declaration_id: str, invoices_done: int) -> str:
    """The progress after ``invoices_done`` invoices, one file per place: a part reads what
    the part that called it wrote, never what another attempt of the upload wrote since
    (S3's event retried after its run called the next part: its new first part got less
    far, and the chain's next part, reading that, went on from there, called itself with
    its own place and was answered from its record: the file never finished, R3)."""
    return f"retour/progress/{provider_id}/{declaration_id}/{invoices_done}.json"


def patient_hash(patient_ref: str, bsn: str) -> str:
    """A patient's key in the progress file: no BSN in the clear (R29). Pseudonymous,
    not anonymous: with the patient's number, a BSN's nine digits can be tried, so the
    file stays in the encrypted output bucket, 7 + 1 days."""
    return hashlib.sha256(f"{patient_ref}\x1f{bsn}".encode()).hexdigest()[:32]


# A part whose progress is gone is refused with this file finding, which also makes its
# log line an error with a metric an alarm reads (RetourReport.log_entry).
PROGRESS_GONE = "RETOUR_PROGRESS_GONE"


def progress_before(
    parts: RetourParts | None, provider_id: str, declaration_id: str
) -> RetourProgress | Finding:
    """What the parts before this one did: nothing for a run in one part or the first
    part. When the progress the part before wrote is gone (past its 7 + 1 days in the
    output bucket, or deleted: a part redriven from the failure queue that late), the
    finding that refuses the part: the invoices the parts before it did stay done (the
    amounts are targets), a new upload of the same file applies the rest, nothing twice.
    Never the file again from its start: that part stopped where an earlier part had, its
    call of the next part was answered from that part's record, and the chain stopped,
    the upload processing for ever and nobody told (runs53b)."""
    if parts is None or not parts.start_at:
        return RetourProgress()
    try:
        body = parts.checkpoints.get(progress_key(provider_id, declaration_id, parts.start_at))
    except FileGone:
        return Finding(PROGRESS_GONE, Severity.FILE, params={"invoices_done": parts.start_at})
    return RetourProgress.from_json(body)


def keep_progress(
    files: FileStore, provider_id: str, declaration_id: str, progress: RetourProgress
) -> None:
    key = progress_key(provider_id, declaration_id, progress.invoices_done)
    files.put(key, progress.as_json(), "application/json")


class RetourContinued(NamedTuple):
    """A part that stopped before the file's end: how far it is. Counted nowhere (no
    metric, no alarm): the part that finishes the file counts the whole file once."""

    declaration_id: str
    provider_id: str
    invoices_done: int
    invoices_total: int
    parts: int

    def log_entry(self) -> LogEntry:
        fields = {
            "declaration_id": self.declaration_id,
            "provider_id": self.provider_id,
            "invoices_done": self.invoices_done,
            "invoices_total": self.invoices_total,
            "parts": self.parts,
        }
        return LogEntry("retour continues in a next part", fields)

    def answer(self) -> dict[str, Any]:
        return {
            "declaration_id": self.declaration_id,
            "outcome": "continued",
            "invoices_done": self.invoices_done,
            "invoices_total": self.invoices_total,
        }
