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
    # (canonical, as written) of the claim refs read without their leading zeros
    # (canonical_reference): an upload before that stored the claim's marker under the
    # form as written (R3; ingest). A tuple: no default factory on the cold start (#18).
    written_refs: tuple[tuple[str, str], ...] = ()

    @property
    def file_rejected(self) -> bool:
        return bool(structural(self.findings))
