"""The shape every S3-triggered function has: an ObjectCreated notification, each object
handled once (Powertools idempotency on bucket, key, version and eTag: the same
notification delivered twice is answered from the record, R3), the report of each
logged (``log_report``), logs and metrics flushed.

The functions differ only in what they do with one upload: they return its report, or
an ``UploadSkipped`` for an object they do not handle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from billing_core import bootstrap
from billing_core.adapters.s3 import S3Upload, uploaded_bytes_at_most, uploaded_objects

__all__ = [
    "AcceptedUpload",
    "RoutedUpload",
    "S3Upload",
    "UploadSkipped",
    "object_version",
    "s3_upload_handler",
]
from billing_core.entrypoints.powertools import (
    LambdaHandler,
    idempotent,
    log_report,
    observed_handler,
)
from billing_core.shared.reports import LogEntry

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Metrics
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from billing_core.shared.reports import AnsweredReport

# Long enough for S3's retries of a notification; a file uploaded again is a new version
# and is handled again (each use case is idempotent on its own terms).
IDEMPOTENCY_SECONDS = 7 * 24 * 3600
# Enough of a key to see where it went wrong; a file name may hold a patient's name.
KEY_PREFIX_LOGGED = 60

UploadHandler = Callable[[S3Upload], "AnsweredReport"]
TargetT = TypeVar("TargetT")
ContextT = TypeVar("ContextT")


@dataclass(frozen=True, slots=True)
class UploadSkipped:
    """An object the function does not handle: logged as an error, answered with its
    outcome, nothing else done."""

    outcome: str  # "unroutable", "ignored" (outside the function's prefix), "refused"
    message: str
    fields: dict[str, Any]
    metric: str = ""  # counted under this name, when given

    @classmethod
    def unroutable(cls, upload: S3Upload, message: str, metric: str) -> UploadSkipped:
        """A key that names no provider or upload: there is nobody to report to."""
        return cls("unroutable", message, _where(upload), metric)

    def log_entry(self) -> LogEntry:
        counts = {self.metric: 1} if self.metric else {}
        return LogEntry(self.message, self.fields, counts, error=True)

    def answer(self) -> dict[str, Any]:
        return {"outcome": self.outcome}


@dataclass(frozen=True, slots=True)
class AcceptedUpload:
    """What a function reads: a file under its prefix, at most so large."""

    name: str  # "statement", "collection report": what the log says
    prefix: str
    max_bytes: int

    def read(self, upload: S3Upload) -> bytes | UploadSkipped:
        """The reported version's bytes; an object outside the prefix is ignored and a
        larger one refused, without reading it."""
        if not upload["key"].startswith(self.prefix):
            message = f"{self.name} key outside {self.prefix}"
            return UploadSkipped("ignored", message, _where(upload))
        data = uploaded_bytes_at_most(bootstrap.current().s3, upload, self.max_bytes)
        if data is None:
            limit = {"limit_bytes": self.max_bytes}
            return UploadSkipped("refused", f"{self.name} too large", limit)
        return data

    def import_or_refuse(
        self,
        upload: S3Upload,
        context: Callable[[], ContextT],
        import_file: Callable[[bytes, str, ContextT], AnsweredReport],
        refuse_file: Callable[[str, str, ContextT], AnsweredReport],
        *,
        marked_under: str = "",
        said_again: str = "",
    ) -> AnsweredReport:
        """``import_file(data, key, context())``; a file too large to read is refused by
        ``refuse_file(key, reason, context())`` like one that cannot be read, so it is
        counted, alarmed and written for the operator the same way (R12, R39). An object
        outside the prefix is only ignored: no context is built for it.

        With ``marked_under`` (a prefix of the output bucket), a version whose import
        finished is marked there, and a delivery of it again, whenever it comes, is
        answered from its marker, logged as ``said_again``: nothing imported or counted
        twice (R3, R39; entrypoints/finished_uploads.py)."""
        if not marked_under:
            return self._import_or_refuse(upload, context, import_file, refuse_file)
        # Imported here: not on the handlers' cold start (make bench (d)).
        from billing_core.entrypoints.finished_uploads import (
            finished_before,
            mark_if_finished,
            marker_key,
        )

        files = bootstrap.current().output_files
        marker = marker_key(marked_under, self.prefix, upload, object_version(upload))
        before = finished_before(files, marker, said_again)
        if before is not None:
            return before
        report = self._import_or_refuse(upload, context, import_file, refuse_file)
        mark_if_finished(files, marker, report)
        return report

    def _import_or_refuse(
        self,
        upload: S3Upload,
        context: Callable[[], ContextT],
        import_file: Callable[[bytes, str, ContextT], AnsweredReport],
        refuse_file: Callable[[str, str, ContextT], AnsweredReport],
    ) -> AnsweredReport:
        data = self.read(upload)
        if isinstance(data, UploadSkipped) and data.outcome != "refused":
            return data
        ctx = context()
        if isinstance(data, UploadSkipped):
            reason = f"{data.message} (more than {self.max_bytes} bytes)"
            return refuse_file(upload["key"], reason, ctx)
        return import_file(data, upload["key"], ctx)


@dataclass(frozen=True, slots=True)
class RoutedUpload(Generic[TargetT]):
    """A file whose key also names whose it is and what it belongs to: ``route`` reads
    the key and version into what the use case applies the bytes to. A key it cannot
    read names nobody to report to: logged and counted as unroutable, the file unread."""

    accepted: AcceptedUpload
    route: Callable[[str, str], TargetT | None]
    unroutable_message: str
    unroutable_metric: str

    def handled_by(self, apply: Callable[[TargetT, bytes], AnsweredReport]) -> UploadHandler:
        """The upload handler that routes, reads and then calls ``apply(target, data)``."""

        def handle(upload: S3Upload) -> AnsweredReport:
            target = self.route(upload["key"], object_version(upload))
            if target is None:
                message, metric = self.unroutable_message, self.unroutable_metric
                return UploadSkipped.unroutable(upload, message, metric)
            data = self.accepted.read(upload)
            if isinstance(data, UploadSkipped):
                return data
            return apply(target, data)

        return handle


def object_version(upload: S3Upload) -> str:
    """Which object the notification is about: its version id, or its eTag where the
    bucket keeps no versions (the template versions it; a test bucket may not)."""
    return upload["version"] or f"etag:{upload['etag']}"


def _where(upload: S3Upload) -> dict[str, Any]:
    return {"key_prefix": upload["key"][:KEY_PREFIX_LOGGED]}


def s3_upload_handler(
    handle: UploadHandler,
    *,
    answer_key: str,
    logger: Logger,
    metrics: Metrics,
    continued_by: str = "",
) -> LambdaHandler:
    """The Lambda handler that calls ``handle(upload)`` once per uploaded object and logs
    what it reports; the answer lists the reports' answers under ``answer_key``.

    An event ``{continued_by: upload}`` (the function calling itself to go on with a file
    its run had no time to finish) is handled as that one upload, once per value: the
    upload names how far the file is, so each part is a call of its own."""

    def handle_and_log(upload: S3Upload) -> dict[str, Any]:
        report = handle(upload)
        log_report(report, logger=logger, metrics=metrics)
        return report.answer()

    once = idempotent(
        handle_and_log, data_keyword_argument="upload", expires_after_seconds=IDEMPOTENCY_SECONDS
    )

    def handle_uploads(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        if continued_by and continued_by in event:
            uploads = [dict(event[continued_by])]
        else:
            uploads = uploaded_objects(event)
        return {answer_key: [once(context, upload=upload) for upload in uploads]}

    return observed_handler(lambda: handle_uploads, logger=logger, metrics=metrics)
