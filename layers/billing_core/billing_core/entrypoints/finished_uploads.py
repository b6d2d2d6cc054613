"""A file's version its import finished, marked where that import writes (R3, R12, R39).

S3 delivers a notification at least once, also after Powertools' idempotency record that
answers it again went (its 7 days, or released), and a call of one of the bank import's
runs can be redriven from the failure queue for 14 days. Such a delivery of a finished
file imported it again: nothing was booked twice, but what the import counts (unmatched,
refused, the agency's refused rows) was counted and alarmed again and its lists written
again (bankmarker55). So each import, once a version of its file is finished, writes one
small marker, the file's answer (counts, ids and keys: no payer data), under a prefix its
bucket's retention rule covers (template.yaml); every delivery reads it first and, when it
is there, is answered with it: ``shared.reports.DeliveredAgain``, logged and counted as
``UploadsDeliveredAgain``, never an error, nobody must act.

Imported by ``s3_upload.AcceptedUpload.import_or_refuse`` when it runs, not at a
handler's start: no class of it is built on a cold start (make bench (d))."""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING

from billing_core.ports import FileGone
from billing_core.shared.reports import DeliveredAgain

if TYPE_CHECKING:
    from billing_core.adapters.s3 import S3Upload
    from billing_core.ports import FileReader, FileStore
    from billing_core.shared.reports import AnsweredReport

# Outcomes of a version its import has not finished: a run goes on with it ("continued"),
# it stopped half-way, its checkpoint gone ("stopped"), for an upload again to finish, or
# it was not read at all, being outside the function's folder ("ignored").
NOT_FINISHED = ("continued", "stopped", "ignored")
_UNSAFE_IN_KEY = re.compile(r"[^A-Za-z0-9._-]+")
_NAME_KEPT = 80  # of the file's path: the key stays readable and short


def marker_key(marked_under: str, upload_prefix: str, upload: S3Upload, version: str) -> str:
    """One marker per version of the file: its path below the upload folder (shortened,
    with a hash of the whole key, so that two long names never share one), then the
    version."""
    key = upload["key"]
    name = _UNSAFE_IN_KEY.sub("-", key.removeprefix(upload_prefix))[:_NAME_KEPT] or "file"
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return f"{marked_under}{name}-{digest}/{_UNSAFE_IN_KEY.sub('-', version)}.json"


def finished_before(files: FileReader, key: str, message: str) -> DeliveredAgain | None:
    """The answer of the version marked finished under ``key``; None when it is not (its
    first delivery, or a run going on with it). Any other error than "not there" raises:
    the delivery is retried, never imported again by default."""
    try:
        marked = json.loads(files.get(key))
    except FileGone:
        return None
    answer = marked["answer"]  # the finished file's: counts, ids and keys, no payer data
    return DeliveredAgain(message, answer, answer)


def mark_if_finished(files: FileStore, key: str, report: AnsweredReport) -> None:
    """Mark the version finished, with its answer, unless a run goes on with it or it
    stopped half-way (``NOT_FINISHED``)."""
    answer = report.answer()
    if answer.get("outcome") in NOT_FINISHED:
        return
    body = json.dumps({"answer": answer}, ensure_ascii=False).encode("utf-8")
    files.put(key, body, "application/json")
