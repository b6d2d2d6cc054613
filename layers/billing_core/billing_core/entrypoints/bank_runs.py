"""The bank import's runs (R12, R3): a statement larger than one run imports is finished
by the runs that follow. A run stops at a checkpoint before Lambda's time is up
(payments/bank_import.py) and the function calls itself, asynchronously, with the upload
and how far its file is (``CONTINUES``); Lambda retries that call as an upload's, then
puts it on the failure queue. The handler (functions/bank_statement_import) only puts
these pieces together (tests/lint/test_thin_handlers.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from billing_core import bootstrap
from billing_core.entrypoints.continued_runs import its_run, knowing_its_run, next_upload_part
from billing_core.entrypoints.s3_upload import S3Upload, object_version
from billing_core.payments.bank_import import BankImportContext, BankImportReport, checkpoint_key

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger

    from billing_core.shared.reports import AnsweredReport

__all__ = ["CONTINUES", "knowing_its_run", "next_run", "run_context", "went_on"]

# The event of the function's call to itself: the upload, and how far its file is.
CONTINUES = "bank_import_continues"


def run_context(upload: S3Upload, logger: Logger) -> BankImportContext:
    """The import's context for this run: its checkpoint (per version of the file), how
    far the call going on with the file says it is, the time Lambda leaves it, and its
    progress in ``logger``'s log (counts only, R29)."""
    runtime = bootstrap.current()
    context = its_run()

    def progress(done: int, total: int) -> None:
        logger.info("bank statement progress", extra={"entries_done": done, "entries_total": total})

    return replace(
        runtime.bank_import_context(),
        progress=progress,
        checkpoint_key=checkpoint_key(upload["key"], object_version(upload)),
        checkpoints=runtime.output_files,
        time_left_ms=context.get_remaining_time_in_millis if context is not None else None,
        resumes_at=int(upload.get("entries_done", 0)),
    )


def went_on(report: AnsweredReport, upload: S3Upload) -> AnsweredReport:
    """``report``, after calling the next run when this one stopped half-way."""
    if isinstance(report, BankImportReport) and report.outcome == "continued":
        next_run(upload, report.entries_done)
    return report


def next_run(upload: S3Upload, entries_done: int) -> None:
    """Call this function again, asynchronously, to go on with the file from its
    checkpoint: the upload's names and how far it is, no payer details."""
    next_upload_part(upload, CONTINUES, {"entries_done": str(entries_done)})
