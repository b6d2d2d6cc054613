"""The insurer-claim export (R5): lines the insurer pays, grouped per insurer, as CSV."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from billing_core.declarations.invoicing import InsurerClaimLine
from billing_core.providers.provider import Provider
from billing_core.shared.spreadsheet import as_written, csv_text, text_for_excel

COLUMNS = (
    "provider_agb",
    "claim_ref",
    "patient_ref",
    "bsn",
    "birth_date",
    "insurer_uzovi",
    "policy_number",
    "treatment_start_date",
    "treatment_date",
    "treatment_code",
    "description",
    "line_type",
    "quantity",
    "unit_price_cents",
    "amount_cents",
    "reason",
)


def export_prefix(provider_id: str, uzovi: str = "") -> str:
    """Where a practice's exports live (interfaces.md §3), all of them or one insurer's:
    ids only in the key, so a download link names no patient."""
    return f"insurer-claims/{provider_id}/" + (f"{uzovi}/" if uzovi else "")


def export_key(provider_id: str, uzovi: str, declaration_id: str) -> str:
    """One upload's lines for one insurer."""
    return f"{export_prefix(provider_id, uzovi)}{declaration_id}.csv"


def export_per_insurer(provider: Provider, lines: Iterable[InsurerClaimLine]) -> dict[str, bytes]:
    """UZOVI -> CSV file of that insurer's lines (';' separated, like the uploads)."""
    per_insurer: dict[str, list[InsurerClaimLine]] = defaultdict(list)
    for line in lines:
        per_insurer[line.claim.insurer_uzovi].append(line)
    return {uzovi: _csv(provider, rows) for uzovi, rows in sorted(per_insurer.items())}


def patients_in_export(body: bytes) -> list[str]:
    """The patient numbers of an export file as it is handed out (``export_per_insurer``),
    each once, in their order: what a read of it names (R32, NEN 7513)."""
    import csv  # only a read of the exports needs these: not at the ingest's start
    import io

    rows = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";")
    return list(dict.fromkeys(as_written(row["patient_ref"]) for row in rows))


def _csv(provider: Provider, lines: list[InsurerClaimLine]) -> bytes:
    rows = (_row(provider, line) for line in lines)
    # Downloaded from its link as it is stored: the byte order mark Excel needs (R5, R35).
    return text_for_excel(csv_text(COLUMNS, rows)).encode("utf-8")


def _row(provider: Provider, line: InsurerClaimLine) -> tuple[str | int, ...]:
    claim = line.claim
    return (
        provider.agb_code,
        claim.claim_ref,
        claim.patient_ref,
        claim.bsn,
        claim.birth_date.isoformat(),
        claim.insurer_uzovi,
        claim.policy_number,
        claim.treatment_start_date.isoformat() if claim.treatment_start_date else "",
        claim.treatment_date.isoformat(),
        claim.treatment_code,
        claim.description,
        claim.line_type.value,
        claim.quantity,
        claim.unit_price_cents,
        claim.amount_cents,
        line.reason,
    )
