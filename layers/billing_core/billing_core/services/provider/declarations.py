"""Uploads of declaration and retour files, their status and processing report (R1, R2, R5)."""

from __future__ import annotations

import json
import re
import secrets
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from billing_core.declarations.csv_template import template_csv
from billing_core.declarations.record import DeclarationRecord, DeclarationStatus
from billing_core.declarations.reports import (
    REPORT_PAGE,
    FindingNotKept,
    findings_not_kept,
    page_key,
)
from billing_core.declarations.retour_parts import PROGRESS_GONE
from billing_core.declarations.upload import UPLOADED_FILE
from billing_core.invoices.listing import InvoiceFilter
from billing_core.ports import FileGone, FileReader
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.provider.access import tenant_for
from billing_core.services.provider.context import ProviderContext
from billing_core.shared.audit import ReadKind, patients_named
from billing_core.shared.clock import amsterdam_day
from billing_core.shared.retries import RequestCause, RetryCauses, retry_causes

if TYPE_CHECKING:
    from billing_core.invoices.invoice import Invoice

# Kept in the name a practice reads back (R1): letters and digits of any script, spaces,
# apostrophes (the typographic one, U+2019, too), brackets, dots, hyphens and underscores;
# anything else (a slash, a quote, a symbol, a control or format character) is an "_".
_UNSAFE_IN_FILE_NAME = re.compile(r"[^\w .()'\u2019-]+")


@dataclass(frozen=True, slots=True)
class UploadTicket:
    """Where the practice PUTs its file, and until when that URL works."""

    declaration_id: str
    upload_url: str
    upload_headers: dict[str, str]  # the PUT must send them: they are signed (issue 13)
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class DeclarationPage:
    """One page of the provider's uploads, newest first."""

    records: list[DeclarationRecord]
    next_position: str | None  # None: this was the last page


# Findings (or a retour's codes) per answer (issue 13 item 9): a page stays far below API
# Gateway's 6 MB; the report stores them in pages of as many (reports.PAGED_LISTS).
FINDINGS_PAGE = REPORT_PAGE


@dataclass(frozen=True, slots=True)
class ReportPage:
    """One page of a list in an upload's report: its findings, or a retour's codes."""

    rows: list[dict[str, Any]]
    start: int  # the position of its first row in the list, from 0
    total: int  # the rows on all pages

    @classmethod
    def of(cls, rows: list[dict[str, Any]], start: int, size: int) -> ReportPage:
        return cls(rows[start : start + size], start, len(rows))

    @classmethod
    def stored(
        cls, report: dict[str, Any], name: str, key: str, start: int, size: int, files: FileReader
    ) -> ReportPage:
        """A page of the list ``name`` of a stored report: from the report's own object
        and the page objects it spans (reports.PAGED_LISTS), or from the whole list of a
        report that has it all."""
        rows = report.get(name, [])
        total = report.get(f"{name}_total", len(rows))
        if total == len(rows):
            return cls.of(rows, start, size)
        if start >= total:  # past the end: a position typed by hand
            return cls([], start, total)
        first, last = start // REPORT_PAGE, (min(start + size, total) - 1) // REPORT_PAGE
        spanned: list[dict[str, Any]] = []
        for index in range(first, last + 1):
            spanned += json.loads(files.get(page_key(key, name, index))) if index else rows
        offset = start - first * REPORT_PAGE
        return cls(spanned[offset : offset + size], start, total)

    @property
    def following(self) -> int | None:
        """Where the next page starts; None: this is the last."""
        end = self.start + len(self.rows)
        return end if end < self.total else None


@dataclass(frozen=True, slots=True)
class DeclarationReport:
    record: DeclarationRecord
    findings: ReportPage  # empty until processed
    finding_counts: dict[str, int]  # every finding, also those the report does not keep
    # A retour's: every retourcode of the insurer's, at its level (file, patient, debtor,
    # comment, line) with its meaning (vektis.md §1 retour layout; audit files FILES2)
    retour_codes: ReportPage
    # Its report was deleted at the end of its retention (2,922 days, legal-nl.md §8), the
    # upload's record not (yet): the findings and codes are empty, not "none found".
    report_no_longer_kept: bool = False
    # Per code of which the report kept fewer findings than it counted: how many are only
    # counted, and the sentence of the first it kept (reports.findings_not_kept; R2, R35).
    findings_not_kept: tuple[FindingNotKept, ...] = ()

    @property
    def stopped_half_way(self) -> bool:
        """A retour whose parts stopped half-way (R5, R39): rejected, yet what its earlier
        parts booked stays; uploading the file again finishes it. Its record says so
        since the record kept it; a record written before, its report's findings."""
        return self.record.stopped_half_way or PROGRESS_GONE in self.finding_counts


def new_declaration_id(now: datetime) -> str:
    """Sorts by time (newest-first listings) and cannot be guessed."""
    return f"{now:%Y%m%d%H%M%S}-{secrets.token_hex(4)}"


def safe_file_name(file_name: str) -> str:
    """The name the practice gave its file, as its list, report and portal show it (R1,
    R35): without its folder, its letters kept whatever their accents (R40: "Declaraties
    patiënten (2).csv" was shown as "Declaraties_pati_nten_2_.csv", "Çelik.csv" as
    "elik.csv"), one space for a run of them. The name is in no key or URL (R29)."""
    # Imported here: only a request for an upload URL names a file (#18 (d)).
    from unicodedata import normalize

    # NFC: a Mac sends "é" as "e" and a combining accent, which is no letter by itself.
    base = normalize("NFC", file_name.replace("\\", "/").rsplit("/", 1)[-1])
    cleaned = " ".join(_UNSAFE_IN_FILE_NAME.sub("_", base).split()).strip("._ ")
    return (cleaned or "declaration.csv")[:120]


def upload_key(provider_id: str, declaration_id: str) -> str:
    return f"incoming/{provider_id}/{declaration_id}/{UPLOADED_FILE}"


def retour_upload_key(provider_id: str, upload_id: str) -> str:
    """Where the retour import (declarations.retour) picks an insurer's retour file up."""
    return f"retour/{provider_id}/{upload_id}/{UPLOADED_FILE}"


def request_declaration_upload(
    user: ProviderUser,
    file_name: str,
    ctx: ProviderContext,
    size_bytes: int | None = None,
    *,
    cause: RequestCause | None = None,
) -> UploadTicket:
    """An upload URL for a declaration file, processed by the ingest once it lands (R1).
    ``cause``: the request's (``_register_upload``): a retry of it gets the same upload."""
    provider_id = tenant_for(user, Role.STAFF)
    return _request_upload(provider_id, file_name, upload_key, ctx, size_bytes, cause)


def request_retour_upload(
    user: ProviderUser,
    file_name: str,
    ctx: ProviderContext,
    size_bytes: int | None = None,
    *,
    cause: RequestCause | None = None,
) -> UploadTicket:
    """An upload URL for an insurer's retour file: the granted amounts in it are deducted
    on the patients' invoices (R5); its status and report are read like a declaration's."""
    provider_id = tenant_for(user, Role.STAFF)
    return _request_upload(provider_id, file_name, retour_upload_key, ctx, size_bytes, cause)


def upload_declaration_file(
    user: ProviderUser,
    file_name: str,
    body: bytes,
    ctx: ProviderContext,
    *,
    cause: RequestCause | None = None,
) -> str:
    """The portal's upload form (R1, R35): registered like an upload URL, then the file
    put under that key, so the ingest takes it as if the practice had PUT it. Returns
    the declaration id, whose report is read as for any upload. The form sent again
    after an error (``cause``) puts its file under the upload its first attempt
    registered, when that has not got it yet (R38)."""
    record = _register_upload(tenant_for(user, Role.STAFF), file_name, upload_key, ctx, cause)
    if record.status is DeclarationStatus.AWAITING_UPLOAD:
        ctx.uploads.put_upload(record.object_key, body)
    return record.declaration_id


def _request_upload(
    provider_id: str,
    file_name: str,
    key_for: Callable[[str, str], str],
    ctx: ProviderContext,
    size_bytes: int | None,
    cause: RequestCause | None,
) -> UploadTicket:
    """An upload URL for exactly one key of the token's provider (R26), for one file
    (of ``size_bytes`` when given), registered as an upload awaiting its file, so its
    status and report are read the same way (R1). A retry's URL expires when the first
    one does: the upload is shown expired from then on (``DeclarationRecord.as_shown``)."""
    record = _register_upload(provider_id, file_name, key_for, ctx, cause)
    expires_at = record.created_at + timedelta(seconds=ctx.upload_url_seconds)
    seconds_left = max(1, int((expires_at - ctx.clock.now()).total_seconds()))
    signed = ctx.uploads.upload_url(record.object_key, seconds_left, size_bytes)
    return UploadTicket(
        declaration_id=record.declaration_id,
        upload_url=signed.url,
        upload_headers=signed.headers,
        expires_at=expires_at,
    )


# How many of the practice's newest uploads a retry looks through for its first
# attempt's: a retry comes within minutes, and a practice uploads a few files a week.
RETRY_LOOKBACK = 50


def _register_upload(
    provider_id: str,
    file_name: str,
    key_for: Callable[[str, str], str],
    ctx: ProviderContext,
    cause: RequestCause | None = None,
) -> DeclarationRecord:
    """The upload, registered awaiting its file; for a retry of a request (``cause``,
    R38) whose first attempt registered one and then failed (a 5xx: its key released),
    that upload, whose URL is still valid, not a second one that is never used."""
    now = ctx.clock.now()
    causes = retry_causes(cause, now) if cause is not None else None
    if causes is not None:
        earlier = _registered_by(provider_id, causes, ctx)
        if earlier is not None:
            return earlier
    record = upload_record(provider_id, new_declaration_id(now), file_name, key_for, now)
    if causes is not None:
        record = replace(record, request_cause=causes.new, request_fingerprint=causes.request)
    ctx.store.put_declaration(record)
    return record


def upload_record(
    provider_id: str,
    declaration_id: str,
    file_name: str,
    key_for: Callable[[str, str], str],
    now: datetime,
) -> DeclarationRecord:
    """An upload awaiting its file: the key it is to land under, and the name the
    practice gave it (only here, never in the key)."""
    return DeclarationRecord(
        provider_id=provider_id,
        declaration_id=declaration_id,
        file_name=safe_file_name(file_name),
        status=DeclarationStatus.AWAITING_UPLOAD,
        created_at=now,
        object_key=key_for(provider_id, declaration_id),
    )


def _registered_by(
    provider_id: str, causes: RetryCauses, ctx: ProviderContext
) -> DeclarationRecord | None:
    """The upload an earlier attempt of this request registered, unless its URL expired
    (then a new one: the first is shown expired); ``KeyReused`` when that attempt asked
    for another file under the same key (R38)."""
    records, _ = ctx.store.list_declarations(provider_id, limit=RETRY_LOOKBACK)
    earlier = next((r for r in records if causes.made(r.request_cause, r.created_at)), None)
    if earlier is None:
        return None
    causes.same_request(earlier.request_fingerprint)
    expired = earlier.created_at + timedelta(seconds=ctx.upload_url_seconds) <= ctx.clock.now()
    awaited = earlier.status is DeclarationStatus.AWAITING_UPLOAD
    return None if awaited and expired else earlier


def _as_shown(record: DeclarationRecord, ctx: ProviderContext) -> DeclarationRecord:
    """An upload as listed: one whose URL expired unused is shown expired (R1, R38)."""
    return record.as_shown(ctx.clock.now(), timedelta(seconds=ctx.upload_url_seconds))


def declaration_template(user: ProviderUser) -> str:
    """The CSV a practice fills (R40, interfaces.md §1a): every column the reader knows
    and one example line, from the reader's own table. No patient data: no audit."""
    tenant_for(user, Role.VIEWER)
    return template_csv().decode("utf-8")


def list_declarations(
    user: ProviderUser, limit: int, after: str | None, ctx: ProviderContext
) -> DeclarationPage:
    """The provider's uploads, newest first; ``after``: the position a previous page gave."""
    provider_id = tenant_for(user, Role.VIEWER)
    records, last = ctx.store.list_declarations(provider_id, limit=limit, after=after)
    return DeclarationPage([_as_shown(r, ctx) for r in records], last)


def declaration_report(
    user: ProviderUser,
    declaration_id: str,
    ctx: ProviderContext,
    *,
    findings_from: int = 0,
    retour_codes_from: int = 0,
    findings_page: int = FINDINGS_PAGE,
    recorded: bool = True,
) -> DeclarationReport | None:
    """One upload with a page of the findings of its processing report (from the
    ``findings_from``-th) and, of a retour, a page of its retourcodes; None for an id the
    provider does not have. A report deleted at the end of its retention answers the
    upload with nothing of it, saying so (``report_no_longer_kept``). ``recorded=False``:
    the caller records it with what else its page shows (``record_report_read``)."""
    provider_id = tenant_for(user, Role.VIEWER)
    record = ctx.store.get_declaration(provider_id, declaration_id)
    if record is None:
        return None
    record = _as_shown(record, ctx)
    stored: dict[str, Any] = {}
    report_gone = False
    if record.report_key:
        try:
            stored = json.loads(ctx.files.get(record.report_key))
        except FileGone:
            report_gone = True
    findings = stored.get("findings", [])
    # A report written before issue 13 has no counts: its findings are all there were.
    counts = stored.get("finding_counts") or dict(
        sorted(Counter(f["code"] for f in findings).items())
    )
    key, files = record.report_key, ctx.files
    report = DeclarationReport(
        record,
        ReportPage.stored(stored, "findings", key, findings_from, findings_page, files),
        counts,
        ReportPage.stored(stored, "retour_codes", key, retour_codes_from, findings_page, files),
        report_gone,
        tuple(not_kept_of(stored, counts, key, files)),
    )
    if recorded:
        record_report_read(user, report, ctx)
    return report


def record_report_read(
    user: ProviderUser,
    report: DeclarationReport,
    ctx: ProviderContext,
    issued: Sequence[Invoice] = (),
) -> None:
    """The one read of a view of an upload's report (R32, NEN 7513): the upload, the
    patients its pages name and, when the view lists them too (the portal's page), the
    invoices it issued shown and their patients, named as the invoice list's read names
    them, so that the view is one entry found by each of those patients."""
    patients = _patients(report) + patients_named(i.patient_ref for i in issued)
    shown = [*dict.fromkeys(patients), *(f"invoice:{i.invoice_id}" for i in issued)]
    heading = f"declaration:{report.record.declaration_id}"
    ctx.record_shown(user, ReadKind.EXPORT, heading, shown)


def _patients(report: DeclarationReport) -> list[str]:
    """The patients the report's pages shown name (R32, NEN 7513, legal-nl.md §8), as a
    list's read names them: those its findings' sentences name (kept with each since
    stop 53; a report written before names none), those the sentences of its findings not
    kept repeat (shown with every page; leftovers53) and its retourcodes' patients."""
    findings = (n for row in report.findings.rows for n in row.get("patient_refs", []))
    not_kept = (n for row in report.findings_not_kept for n in row.get("patient_refs", []))
    codes = (row.get("patient_ref") or "" for row in report.retour_codes.rows)
    return patients_named([*findings, *not_kept, *codes])


def not_kept_of(
    stored: dict[str, Any], counts: dict[str, int], key: str, files: FileReader
) -> list[FindingNotKept]:
    """The report's ``findings_not_kept`` (reports.findings_not_kept); of a report written
    before it was stored, worked out the same way from the findings it kept. Those of a
    paged report (reports.PAGED_LISTS) are read from its page objects only when it kept
    fewer findings than it counted (audit report3: such a report said nothing of the rest);
    one that kept them all reads none."""
    if "findings_not_kept" in stored:
        return list(stored["findings_not_kept"])
    total = stored.get("findings_total")
    if total is None:
        return findings_not_kept(stored.get("findings", []), counts)
    if total >= sum(counts.values()):
        return []
    return findings_not_kept(
        ReportPage.stored(stored, "findings", key, 0, total, files).rows, counts
    )


def invoices_of(record: DeclarationRecord) -> InvoiceFilter:
    """The invoice list of what this upload issued (R2, R35), for ``invoices.list_invoices``:
    by the upload's id, read over the days it can have issued them on only, from the day
    it was registered to the day its report was published (on, while it is processed),
    so the read is of those days' invoices, not of the practice's whole list."""
    published = record.processed_at
    return InvoiceFilter(
        declaration_id=record.declaration_id,
        issued_from=amsterdam_day(record.created_at).isoformat(),
        issued_until=amsterdam_day(published).isoformat() if published else "",
    )
