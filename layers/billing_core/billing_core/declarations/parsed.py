"""What every declaration format's parser returns (formats.py: CSV, Vektis EI), so the
use cases that read a file do not load the parser of a format they are not given."""

from __future__ import annotations

from dataclasses import dataclass

from billing_core.declarations.claims import Claim
from billing_core.declarations.findings import Finding, structural


@dataclass(frozen=True)
class ParseResult:
    """A parsed declaration file (CSV or Vektis): its claims, findings and line count."""

    claims: list[Claim]
    findings: list[Finding]
    lines_total: int  # data lines, without the header and blank lines
    format: str = "csv"  # what the file turned out to be: "csv", "MZ301 v1.3", ... (report)
    # (claim ref in this file, the other form its marker may be stored under): for a CSV
    # the refs read without their leading zeros (canonical_reference), whose marker an
    # upload before that stored as written; for a Vektis file (refs kept as written) their
    # form without zeros, as a CSV upload stored it (R3; ingest). A tuple: no default
    # factory on the cold start (#18).
    written_refs: tuple[tuple[str, str], ...] = ()

    @property
    def file_rejected(self) -> bool:
        return bool(structural(self.findings))
