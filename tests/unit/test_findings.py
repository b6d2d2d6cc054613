"""R2: which findings reject a whole file, one rule for every declaration and retour format."""

from __future__ import annotations

import pytest

from billing_core.declarations.findings import Finding, Severity, structural

FILE_A = Finding("FILE_NOT_UTF8", Severity.FILE, line=1)
FILE_B = Finding("FILE_FIELD_COUNT", Severity.FILE, line=7)
CLAIM = Finding("CLAIM_BSN_INVALID", Severity.CLAIM, line=3)
WARNING = Finding("VEKTIS_WINDOWS_1252", Severity.WARNING, line=2)


@pytest.mark.parametrize(
    "findings, expected",
    [
        ([], []),
        ([CLAIM, WARNING], []),
        ([WARNING, FILE_A, CLAIM, FILE_B], [FILE_A, FILE_B]),
        ([FILE_B, FILE_A], [FILE_B, FILE_A]),
    ],
    ids=["none", "content-and-warnings-only", "mixed-in-file-order", "file-order-kept"],
)
def test_only_structural_findings_reject_the_file(findings, expected):
    """Given a parse's findings of every severity
    When the structural ones are picked
    Then exactly the FILE findings remain, in the order the file gave them."""
    assert structural(findings) == expected
    assert structural(iter(findings)) == expected  # any iterable, read once
