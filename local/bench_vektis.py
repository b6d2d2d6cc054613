"""`make bench` for Vektis EI (issue #7): read + validate + map, against bare slicing.

The file: the bench's synthetic CSV declaration (local.generate) written as MZ301 v1.3
with SB311 v2.0 debtor records, so both formats are measured on the same claims. The
figure is treatment lines (04 records) per second of CPU time through
``parse_vektis`` (decode, structure, content, claims), and its cost as a multiple of a
bare pass that only splits the same file into records and slices every field of every
record with the layout tables (target <= 3x, #18).
"""

from __future__ import annotations

from billing_core.declarations.csv_format import parse_declaration_csv
from billing_core.declarations.vektis.layout import Standard
from billing_core.declarations.vektis.layouts import MZ301_V13
from billing_core.declarations.vektis.parser import parse_vektis
from billing_core.declarations.vektis.writer import Header, write_declaration
from billing_core.shared.bulk import cycle_collection_paused
from local.bench_timing import least_cpu_seconds
from local.generate import declaration_csv
from local.seed import DENTAL, SANDBOX_TODAY

HEADER = Header(
    practice_agb=DENTAL.agb_code,
    invoice_number="BENCH-1",
    invoice_date=SANDBOX_TODAY,
    period_start=SANDBOX_TODAY.replace(month=1, day=1),
    period_end=SANDBOX_TODAY,
)


def vektis_file(lines: int) -> bytes:
    claims = parse_declaration_csv(
        declaration_csv(lines), today=SANDBOX_TODAY, max_lines=lines
    ).claims
    return write_declaration(MZ301_V13, HEADER, claims, debtor_version="02")


def read_validate_map(data: bytes, lines: int) -> int:
    """What process_declaration does with an EI file before it plans, in its pause of the
    cycle collector: the claims are freed before the pause ends, as in production (kept
    past it, the collector's first run would walk them all: 7% of this figure)."""
    with cycle_collection_paused():
        return _claims_read(data, lines)


def _claims_read(data: bytes, lines: int) -> int:
    parsed = parse_vektis(
        data, today=SANDBOX_TODAY, max_lines=lines, provider_agbs={DENTAL.agb_code}
    )
    if parsed.file_rejected or len(parsed.claims) != lines:
        raise AssertionError(f"the bench file should be clean: {parsed.findings[:3]}")
    return len(parsed.claims)


def bare_slicing(data: bytes, standard: Standard = MZ301_V13) -> int:
    """The least any fixed-width reader does: records out of the bytes, fields out of them."""
    slicers = {
        kind.value: layout.getter(f.key for f in layout.fields)
        for kind, layout in standard.records.items()
    }
    slicers["03"] = standard.debtor_records["02"].getter(
        f.key for f in standard.debtor_records["02"].fields
    )
    fields = 0
    for record in data.decode("latin-1").split("\r\n"):
        slicer = slicers.get(record[:2])
        if slicer is not None:
            fields += len(slicer(record))
    return fields


def bench_vektis(lines: int = 100_000) -> tuple[float, float]:
    """(EI treatment lines per second through read + validate + mapping, that cost as a
    multiple of bare slicing over the same file in the same run, the two taking turns;
    target <= 3)."""
    data = vektis_file(lines)
    full, bare = least_cpu_seconds(
        lambda: read_validate_map(data, lines), lambda: bare_slicing(data)
    )
    return lines / full, full / bare


if __name__ == "__main__":
    per_second, ratio = bench_vektis()
    print(
        f"Vektis EI: {per_second:,.0f} lines/s through read + validate + mapping, {ratio:.1f}x bare slicing"
    )
