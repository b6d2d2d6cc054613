"""The steps every upload takes, a declaration (``ingest``) or an insurer's retour file
(``retour``): where its key says it is from, its record started once per object version,
the file parsed against the practice and the registers in use, betalingskenmerken reserved
per version, invoices issued from drafts, and the report published with the record that
points to it (R3: a retried upload finds its own record and block)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from billing_core.declarations.record import DeclarationRecord, DeclarationStatus
from billing_core.declarations.reports import OtherVersionIgnored
from billing_core.providers.actions import ActionKind, OpenAction, action_id_checked
from billing_core.shared import reference
from billing_core.shared.reports import DeliveredAgain

if TYPE_CHECKING:
    from billing_core.declarations.invoicing import InvoiceDraft
    from billing_core.declarations.reports import UploadReport
    from billing_core.declarations.rules.insurers import InsurerRegisters
    from billing_core.invoices.invoice import Invoice
    from billing_core.ports import BillingStore, DeliveryQueue, FileStore, InsurerRegisterStore
    from billing_core.providers.provider import Provider
    from billing_core.shared.clock import Clock

ParsedT = TypeVar("ParsedT")
ParsedT_co = TypeVar("ParsedT_co", covariant=True)

# An upload's id (services/provider/declarations.new_declaration_id, or an id as uploads
# had them before), the one shape the API's path and an upload's key take (interfaces.md
# §2). Any other is malformed: the API answers 400, the portal its not-found page, before
# any read (a key past DynamoDB's 1024 bytes is refused as invalid).
DECLARATION_ID = r"[A-Za-z0-9-]{1,64}"
# The last part of every upload URL's key. The practice's own file name ("jansen_j_0312.csv"
# may name a patient) stays on the upload's record, where the portal and the report read
# it; the key is in the presigned URL, X-Ray's S3 calls and the bucket's access log (R29).
UPLOADED_FILE = "file"
DECLARATION_ID_PATTERN = rf"^{DECLARATION_ID}$"
_UPLOAD_KEY = re.compile(
    r"^(?P<prefix>[a-z]+)/(?P<provider>[a-z0-9][a-z0-9-]{1,62})"
    rf"/(?P<declaration>{DECLARATION_ID})/(?P<file>[^/]{{1,200}})$"
)


def is_declaration_id(text: str) -> bool:
    """Whether a route takes ``text`` as an upload's id (DECLARATION_ID_PATTERN)."""
    return re.fullmatch(DECLARATION_ID_PATTERN, text) is not None


@dataclass(frozen=True, slots=True)
class Upload:
    """An uploaded file as the S3 notification names it: provider, upload id, name and version."""

    provider_id: str
    declaration_id: str
    # The key's last part: an upload URL's key names no file (R29, UPLOADED_FILE), so
    # the name the practice gave is its record's (``as_registered``); a key written
    # before that names its file.
    file_name: str
    object_key: str
    # The S3 object version (the eTag where a bucket keeps no versions): the upload is
    # the first version that starts it, any other one is ignored (issue 13 item 1).
    version: str = ""

    def as_registered(self, record: DeclarationRecord) -> Upload:
        """This upload under the file name its record keeps (``start_record``), which
        the report and what the file changed on invoices name."""
        return replace(self, file_name=record.file_name)


@dataclass(frozen=True)
class IngestContext:
    """What processing an upload (a declaration or a retour file) needs: the store, files,
    queue, clock and registers."""

    store: BillingStore
    files: FileStore
    delivery: DeliveryQueue
    clock: Clock
    reference_key: bytes
    max_lines: int = 100_000
    # The insurer register versions operators loaded (R33); None: the shipped one only.
    registers: InsurerRegisterStore | None = None


@dataclass(frozen=True, slots=True)
class UploadKeys:
    """Where one kind of upload stands: ``{prefix}/{provider_id}/{upload_id}/file`` (an
    upload URL's key), or ``.../{file name}`` (a key of before R29's fix, still read)."""

    prefix: str

    def upload_at(self, object_key: str, version: str = "") -> Upload | None:
        """The upload a key names; None for a key of another shape or prefix."""
        match = _UPLOAD_KEY.match(object_key)
        if not match or match["prefix"] != self.prefix:
            return None
        return Upload(match["provider"], match["declaration"], match["file"], object_key, version)


class FileParser(Protocol[ParsedT_co]):
    """A declaration or retour file parser (formats.parse_declaration,
    vektis.retour_parser.parse_retour): spelled out so mypy checks the keywords parse_for
    passes."""

    def __call__(
        self,
        data: bytes,
        /,
        *,
        today: date,
        max_lines: int,
        provider_agbs: Collection[str],
        insurers: InsurerRegisters | None,
    ) -> ParsedT_co: ...


def parse_for(
    provider: Provider,
    parse: FileParser[ParsedT],
    data: bytes,
    insurers: InsurerRegisters,
    ctx: IngestContext,
) -> ParsedT:
    """A declaration or retour file checked against the provider's AGB codes, the
    insurer registers in use and today, at most ``ctx.max_lines`` long."""
    return parse(
        data,
        today=ctx.clock.today(),
        max_lines=ctx.max_lines,
        provider_agbs=provider.all_agb_codes,
        insurers=insurers,
    )


def start_record(
    upload: Upload, ctx: IngestContext, *, finished_stands: bool = False
) -> DeclarationRecord | OtherVersionIgnored | DeliveredAgain:
    """The upload's record, PROCESSING from now on (a retried upload finds its own);
    ``ignore_other_version`` when another object version started it first (issue 13 item
    1: one upload URL, one file). With ``finished_stands``, ``DeliveredAgain`` when this
    version's report is published already (R3: the notification delivered again after
    its idempotency record went): a retour file, whose amounts are targets a later file
    may have corrected since. A declaration runs again and changes nothing (its claim
    markers), which also repairs a marker a run left unwritten. Any caller returns what
    is not a record as its answer."""
    record = ctx.store.get_declaration(upload.provider_id, upload.declaration_id)
    if finished_stands and record is not None and _finished(record, upload):
        return _its_report_stands(upload, record.outcome)
    if record is None:
        record = DeclarationRecord(
            provider_id=upload.provider_id,
            declaration_id=upload.declaration_id,
            file_name=_named_by_its_key(upload),
            status=DeclarationStatus.PROCESSING,
            created_at=ctx.clock.now(),
        )
    # A registered upload keeps the file name the practice gave (the key has none, R29).
    object_key = {"object_key": upload.object_key} if upload.object_key else {}
    record = record.with_status(
        DeclarationStatus.PROCESSING, object_version=upload.version, **object_key
    )
    return (
        record if ctx.store.start_declaration_version(record) else ignore_other_version(upload, ctx)
    )


def _named_by_its_key(upload: Upload) -> str:
    """The file name of an upload no record registered: a key of before R29's fix names
    its file; an upload URL's key names none, so a file written there around the API has
    no name (""), which the portal shows as an unknown upload (words52: it was listed and
    reported as the file "file")."""
    return "" if upload.file_name == UPLOADED_FILE else upload.file_name


def _finished(record: DeclarationRecord, upload: Upload) -> bool:
    """Whether this object version ran to its end: the report is the last thing written
    (publish_report), so a run that died before it is still PROCESSING and runs again."""
    finished = record.status in (DeclarationStatus.PROCESSED, DeclarationStatus.REJECTED)
    return finished and bool(record.report_key) and record.object_version == upload.version


def _its_report_stands(upload: Upload, outcome: str) -> DeliveredAgain:
    """The notification of an upload whose report is published, delivered again: its
    record and report stand, answered with the report's outcome as the first delivery
    was. Run again, a retour file would set its granted amounts over a correction applied
    since (R3, R5)."""
    ids = {"declaration_id": upload.declaration_id, "provider_id": upload.provider_id}
    answered = {"declaration_id": upload.declaration_id, "outcome": outcome}
    return DeliveredAgain("upload delivered again: its report stands", ids, answered)


def upload_version_action_id(upload: Upload) -> str:
    """One action per ignored version of an upload."""
    version = hashlib.sha256(upload.version.encode()).hexdigest()[:16]
    return f"upload-version-{upload.declaration_id}-{version}"


def ignore_other_version(upload: Upload, ctx: IngestContext) -> OtherVersionIgnored:
    """Nothing of it is read into invoices: the practice is told (once per version) that
    the upload keeps its first file, and the operator sees an error and a metric."""
    # Here, not at import: a second version of an upload is rare (shared/errors.py says why).
    from billing_core.texts.practice import action_sentences

    sentences = action_sentences("upload_version_ignored", declaration_id=upload.declaration_id)
    action = OpenAction(
        action_id=action_id_checked(upload_version_action_id(upload)),
        provider_id=upload.provider_id,
        kind=ActionKind.UPLOAD_VERSION_IGNORED,
        invoice_id="",  # about the upload, not an invoice
        reference="",
        created_at=ctx.clock.now(),
        details={
            "declaration_id": upload.declaration_id,
            "what_to_do": sentences["nl"],
            "what_to_do_en": sentences["en"],
        },
    )
    ctx.store.add_action(action)
    return OtherVersionIgnored(upload.declaration_id, upload.provider_id)


def has_reference_block(record: DeclarationRecord) -> bool:
    """Whether this object version reserved its betalingskenmerken already (R3)."""
    return (
        record.reference_block_start is not None
        and record.reference_block_version == record.object_version
    )


def with_reference_block(
    record: DeclarationRecord, needed: int, ctx: IngestContext
) -> DeclarationRecord:
    """Reserve the upload's betalingskenmerken once; a retry of the same object version
    reuses the same block. A block is never handed to another version, nor stretched: a
    run that needs more (or another version) gets fresh numbers (issue 13 item 1)."""
    if has_reference_block(record) and needed <= record.reference_block_size:
        return record
    start = ctx.store.reserve_references(needed) if needed else 0
    record = record.with_status(
        record.status,
        reference_block_start=start,
        reference_block_size=needed,
        reference_block_version=record.object_version,
    )
    ctx.store.put_declaration(record)
    return record


def issue_invoices(
    drafts: list[InvoiceDraft], provider: Provider, record: DeclarationRecord, ctx: IngestContext
) -> list[Invoice]:
    """The drafts as invoices, with the references of the upload's reserved block."""
    # Imported here: a retour file issues invoices only for rejected VGZ materials, and the
    # invoice planning is no part of retour_import's cold start otherwise (issue 18 (d)).
    from billing_core.declarations.invoicing import issue_invoice

    issued_at = ctx.clock.now()
    start = record.reference_block_start or 0
    return [
        issue_invoice(
            draft,
            provider=provider,
            declaration_id=record.declaration_id,
            reference=reference.for_sequence(start + index, ctx.reference_key),
            issued_at=issued_at,
        )
        for index, draft in enumerate(drafts)
    ]


def publish_report(
    report: UploadReport[Any], record: DeclarationRecord, key: str, ctx: IngestContext
) -> None:
    """The report in the output bucket, its page objects first (a retry writes them
    again, the same), then the upload's record that points to it."""
    body, pages = report.stored(key)
    for page, rows in pages:
        ctx.files.put(page, rows, "application/json")
    ctx.files.put(key, body, "application/json")
    done = record.with_status(
        report.status,
        processed_at=report.processed_at,
        outcome=report.outcome.value,
        summary=asdict(report.summary),
        report_key=key,
        stopped_half_way=report.stopped_half_way,
    )
    ctx.store.put_declaration(done)
