"""The practice's insurer-claim exports (R5, interfaces.md §3 and §7): per upload and
insurer, the CSV of the lines that insurer pays, for the practice to send on.

The files hold BSNs and birth dates, so the answer carries no line of them: it lists the
files (insurer, upload, when, size) with a download link that expires in minutes. The
link's key holds ids only (``insurer-claims/{provider}/{uzovi}/{declaration}.csv``), and
handing out links is a read of patient data (R32, NEN 7513). A file deleted at the end of
its retention (legal-nl.md §8) between the listing and its read is not handed out: its
link would answer S3's 404, and the read names only the files handed out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from billing_core.declarations.insurer_claims import export_prefix, patients_in_export
from billing_core.ports import FileGone, InvalidPosition
from billing_core.providers.users import ProviderUser, Role
from billing_core.services.provider.access import tenant_for
from billing_core.services.provider.context import ProviderContext
from billing_core.shared.audit import ReadKind, patients_named
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.stored_files import StoredFile

DOWNLOAD_URL_SECONDS = 300  # long enough to click, short enough not to be passed around
# The exports a page lists at most, whatever limit is asked: each is read for the patients
# its read names (R32), and a page of 1,000 read one after another took seconds on end
# toward API Gateway's 29 (reads57). A smaller page is a page: next_after goes on.
MOST_EXPORTS_A_PAGE = 100
# The files a page reads at once (a boto3 client is thread-safe): within its connection
# pool (botocore's max_pool_connections, 10), so no read waits for a connection and none
# is opened and dropped. A page of 100 on moto with 20 ms added to each GET (S3's answer
# in the region): 3.2 s one after another, 0.5 s 8 at once; the same 101 requests.
READS_AT_ONCE = 8
# A page position: an export's key below the practice's folder, "{uzovi}/{declaration}.csv".
_POSITION = re.compile(r"\d{4}/[A-Za-z0-9-]{1,64}\.csv")


@dataclass(frozen=True, slots=True)
class InsurerClaimExport:
    uzovi: str
    declaration_id: str  # the upload whose lines these are
    written_at: datetime  # Dutch time
    size_bytes: int
    download_url: str
    download_expires_at: datetime


@dataclass(frozen=True, slots=True)
class ExportPage:
    exports: list[InsurerClaimExport]  # per insurer, then oldest upload first
    next_after: str | None  # the position to continue after; None: this was the last page


def insurer_claim_exports(
    user: ProviderUser, uzovi: str, limit: int, after: str | None, ctx: ProviderContext
) -> ExportPage:
    """The practice's exports, every insurer's or only ``uzovi``'s ("" for all). Listed
    under the token's tenant's own folder only (R26): a position names a key below it.
    At most ``MOST_EXPORTS_A_PAGE`` whatever ``limit`` asks."""
    provider_id = tenant_for(user, Role.VIEWER)
    folder = export_prefix(provider_id)
    if after is not None and _POSITION.fullmatch(after) is None:
        raise InvalidPosition("not an insurer-claim export position")
    page = ctx.files.list_files(
        export_prefix(provider_id, uzovi),
        folder + after if after else "",
        min(limit, MOST_EXPORTS_A_PAGE),
    )
    # Each file is read for its patients (below); one deleted at the end of its retention
    # since the listing named it is not handed out: its link would answer 404.
    read = zip(page.files, _read_each(page.files, ctx), strict=True)
    kept = [(file, body) for file, body in read if body is not None]
    expires_at = ctx.clock.now() + timedelta(seconds=DOWNLOAD_URL_SECONDS)
    exports = [_export(file, folder, expires_at, ctx) for file, _ in kept]
    # Each link hands out a file of patients' BSNs and birth dates: the read names every
    # patient in the files handed out, then their uploads (R32, NEN 7513), and no other.
    uploads = [f"declaration:{d}" for d in dict.fromkeys(e.declaration_id for e in exports)]
    shown = [*_patients_in([body for _, body in kept]), *uploads]
    ctx.record_shown(user, ReadKind.EXPORT, f"insurer-claims:{uzovi or '*'}", shown)
    # The position of the last file listed, handed out or not: the next page lists after it.
    last = page.files[-1].key.removeprefix(folder) if page.files and page.more else None
    return ExportPage(exports, last)


def _read_each(files: list[StoredFile], ctx: ProviderContext) -> list[bytes | None]:
    """Each file's content, in the files' order (so the read names them in that order);
    None for one that is gone (deleted at the end of its retention, legal-nl.md §8,
    since it was listed). Up to READS_AT_ONCE at once: a read's time is S3's answer."""
    if len(files) < 2:
        return [_content(file, ctx) for file in files]
    # Imported here, not at the provider API's start (bench (d)): only this listing needs it.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(min(READS_AT_ONCE, len(files))) as pool:
        return list(pool.map(lambda file: _content(file, ctx), files))


def _content(file: StoredFile, ctx: ProviderContext) -> bytes | None:
    try:
        return ctx.files.get(file.key)
    except FileGone:
        return None


def _patients_in(bodies: list[bytes]) -> list[str]:
    """``patient:{number}`` of every patient in the files, so that a patient's reads find
    the listing also when no invoice of theirs names its upload (lines an insurer pays
    only). The listing shows no line: each file is read once for its patient numbers."""
    return patients_named([patient for body in bodies for patient in patients_in_export(body)])


def _export(
    file: StoredFile, folder: str, expires_at: datetime, ctx: ProviderContext
) -> InsurerClaimExport:
    uzovi, name = file.key.removeprefix(folder).split("/", 1)
    return InsurerClaimExport(
        uzovi=uzovi,
        declaration_id=name.removesuffix(".csv"),
        written_at=file.written_at.astimezone(AMSTERDAM),
        size_bytes=file.size_bytes,
        download_url=ctx.files.download_url(file.key, DOWNLOAD_URL_SECONDS),
        download_expires_at=expires_at,
    )
