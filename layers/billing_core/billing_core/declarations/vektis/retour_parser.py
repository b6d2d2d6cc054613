"""The entry point of an insurer's retour file (PM305, MZ302; R5): checked as the
declaration it copies is, then per line the granted amount and every retourcode with its
level. Kept apart from parser.py (a declaration's entry point): the retour import loads no
declaration's parse result, an ingest no retour line (issue 11 item 5)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from billing_core.declarations.claims import Claim
from billing_core.declarations.findings import Finding, Severity, structural
from billing_core.declarations.rules.insurers import InsurerRegisters
from billing_core.declarations.vektis.layout import MessageKind, RecordType, Standard
from billing_core.declarations.vektis.mapping import map_claims
from billing_core.declarations.vektis.reader import read_vektis

_RETOUR_CODE_KEYS = ("retour_code_1", "retour_code_2", "retour_code_3")
_GRANT_KEYS = ("line_reference", "granted_amount", "granted_dc", "amount", "dc")
_PATIENT_KEYS = ("patient_number", "debtor_number")  # who the patient is, as mapping.py says
LEVEL_OF_RECORD = {"01": "file", "02": "patient", "03": "debtor", "98": "comment", "04": "line"}
GRANTED_BLANK = "RETOUR_GRANTED_BLANK"
GRANTED_SIGN_INVALID = "RETOUR_GRANTED_SIGN_INVALID"
GRANTED_UNREADABLE = "RETOUR_GRANTED_UNREADABLE"
# no granted amount to apply
_GRANTED_LEFT_OUT = (GRANTED_BLANK, GRANTED_UNREADABLE, GRANTED_SIGN_INVALID)
LINE_REPEATED = "RETOUR_LINE_REPEATED"
NOT_ASSESSED = "RETOUR_LINE_NOT_ASSESSED"


@dataclass(frozen=True, slots=True)
class RetourLine:
    """One 04 of a retour file: what the insurer granted for one declared line."""

    line: int
    claim_ref: str
    granted_cents: int  # signed: D positive, C negative
    retour_codes: tuple[str, ...]
    claim: Claim | None  # the declared line as the insurer copied it; None if unreadable
    # The insurer's copy of the line's DECLARATIEBEDRAG with its D/C (a retour copies
    # positions 1-310 of the declaration: vektis.md §1), signed as granted_cents; None when
    # the copy has no readable amount. The line is ours only when it is our line's amount.
    declared_cents: int | None = None


class RetourRemark(NamedTuple):
    """One retourcode where the insurer put it: about the file, a patient, a debtor, a
    comment or a line (MZ302 v1.3: three codes at every level). A NamedTuple, not a frozen
    dataclass: the retour import's cold start pays ~4M instructions for each of those
    (issue 18 (d), stop 53)."""

    level: str  # file, patient, debtor, comment, line
    line: int
    code: str
    claim_ref: str | None = None  # the line it is about (or the line a comment is on)
    patient_ref: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """For the retour report: the meaning from the code list, or none for a code the
        list does not have (the report shows its number)."""
        # Here, not at import: the code list is read once a report names a code, and the
        # retour import's cold start has ~0.3M instructions to spare (issue 18 (d)).
        from billing_core.texts import retour_codes

        dutch, english = retour_codes.meaning(self.code) or (None, None)
        return {
            "level": self.level,
            "line": self.line,
            "code": self.code,
            "meaning": dutch,
            "meaning_en": english,
            "claim_ref": self.claim_ref,
            "patient_ref": self.patient_ref,
        }


@dataclass(frozen=True)
class RetourParse:
    """A parsed retour file (PM305, MZ302): the insurer's answer per line, and the findings."""

    format: str
    lines: list[RetourLine] = field(default_factory=list)
    # Structural ones reject the file; a line's own (a blank granted amount) leaves it out.
    findings: list[Finding] = field(default_factory=list)
    remarks: list[RetourRemark] = field(default_factory=list)  # every retourcode, in file order

    @property
    def file_rejected(self) -> bool:
        return bool(structural(self.findings))

    @property
    def lines_granted_blank(self) -> int:
        """The 04 records left out of ``lines`` for a blank granted amount, one that is
        not all digits, or one whose D/C sign is neither D nor C (no amount to apply
        either way): a line of the file all the same, which the report counts (R1)."""
        return sum(1 for finding in self.findings if finding.code in _GRANTED_LEFT_OUT)

    @property
    def lines_repeated(self) -> int:
        """The 04 records left out of ``lines`` because another 04 of the file names the
        same line reference: which granted amount holds is the insurer's to say (R1)."""
        return sum(1 for finding in self.findings if finding.code == LINE_REPEATED)

    @property
    def lines_not_assessed(self) -> int:
        """The 04 records left out of ``lines`` because the insurer says it did not assess
        them (a retourcode of retour_codes.NOT_ASSESSED on the file, the patient or the
        line): their granted amount is no answer about the care (R5)."""
        return sum(1 for finding in self.findings if finding.code == NOT_ASSESSED)


def parse_retour(
    data: bytes,
    *,
    today: date,
    max_lines: int = 100_000,
    provider_agbs: Collection[str] = (),
    insurers: InsurerRegisters | None = None,
) -> RetourParse:
    """A PM305/MZ302 file: checked as a declaration is (it copies one), then per line the
    granted amount (``lines``: the lines that have one), and every retourcode with its level. The insurer's copy of a line is
    mapped to a claim too: a rejected VGZ-group material is invoiced from it (legal-nl.md
    §6)."""
    file = read_vektis(
        data, kind=MessageKind.RETOUR, max_lines=max_lines, provider_agbs=provider_agbs
    )
    if file.file_rejected or file.standard is None:
        return RetourParse(file.format, findings=file.findings)
    claims, _content = map_claims(
        file, today=today, insurers=insurers
    )  # content findings are the insurer's business
    reader = _RetourReader(file.standard, {claim.claim_ref: claim for claim in claims})
    for line, text in enumerate(file.records, file.first_line):
        reader.read(line, text)
    lines, repeated = without_repeated_references(reader.lines)
    findings = [*file.warnings, *reader.findings, *repeated, *_unknown_codes(reader.remarks)]
    return RetourParse(file.format, lines, findings, reader.remarks)


def _unknown_codes(remarks: list[RetourRemark]) -> list[Finding]:
    """A retourcode the code list does not have (a lowercase one neither: the list's are
    digits and capitals): applied as the insurer sent it, with a warning naming its line
    and the code (R5), so the practice asks what it means."""
    if not remarks:
        return []
    # Here, not at import: the code list costs the retour import's cold start (#18 (d)).
    from billing_core.texts import retour_codes

    return [
        Finding(
            "RETOUR_CODE_UNKNOWN",
            Severity.WARNING,
            remark.line,
            None,
            remark.claim_ref,
            {"code": remark.code},
        )
        for remark in remarks
        if retour_codes.meaning(remark.code) is None
    ]


def without_repeated_references(
    lines: list[RetourLine],
) -> tuple[list[RetourLine], list[Finding]]:
    """A line reference the insurer answered more than once in one file: none of its 04s
    is applied, each a finding that names them all (nothing booked on a guess which one
    holds, and no 04 silently left without a result: R1, R5)."""
    numbers: dict[str, list[int]] = {}
    for line in lines:
        numbers.setdefault(line.claim_ref, []).append(line.line)
    kept, findings = [], []
    for line in lines:
        of_ref = numbers[line.claim_ref]
        if len(of_ref) == 1:
            kept.append(line)
            continue
        params = {"claim_ref": line.claim_ref, "lines": ", ".join(map(str, of_ref))}
        findings.append(
            Finding(LINE_REPEATED, Severity.CLAIM, line.line, None, line.claim_ref, params)
        )
    return kept, findings


def _not_assessed(codes: tuple[str, ...]) -> str:
    """The first of ``codes`` that says the insurer did not assess the line (the file was
    refused, the claim not taken into processing, a related record refused), or "". A
    granted amount under such a code is no answer about the care: applied, it would take
    the whole reimbursement off the patient's invoice (R5)."""
    if not codes:
        return ""
    # Here, not at import: the code list costs the retour import's cold start (#18 (d)).
    from billing_core.texts.retour_codes import NOT_ASSESSED as CODES

    return next((code for code in codes if code in CODES), "")


def _signed_amount(amount: str, dc: str) -> int | None:
    """A copied DECLARATIEBEDRAG and its D/C (a lowercase one read as the declaration's
    mapping reads it), signed; None when either is unreadable."""
    dc = dc.upper()
    if not amount.isdecimal() or dc not in ("D", "C"):
        return None
    return -int(amount) if dc == "C" else int(amount)


class _RetourReader:
    """The insurer's fields of every record, in file order: a 02 names the patient of
    the lines and codes after it."""

    def __init__(self, standard: Standard, claims: dict[str, Claim]) -> None:
        self.claims = claims
        self.codes_of = {
            kind.value: layout.getter(_RETOUR_CODE_KEYS)
            for kind, layout in standard.records.items()
            if layout.has("retour_code_1")
        }
        # An 03's codes stand at 311-322 in every version of it (layouts._retour_debtors).
        debtor = next(iter(standard.debtor_records.values()), None)
        if debtor is not None:
            self.codes_of[RecordType.DEBTOR.value] = debtor.getter(_RETOUR_CODE_KEYS)
        self.grant_of = standard.records[RecordType.TREATMENT].getter(_GRANT_KEYS)
        self.patient_of = standard.records[RecordType.INSURED].getter(_PATIENT_KEYS)
        self.patient_ref: str | None = None
        self.claim_ref: str | None = None  # of the last 04: a 98 after it is about it
        # The retourcodes of the file (01) and of the current patient (02): a code that
        # says the insurer did not assess the claims holds for every line under it.
        self.file_codes: tuple[str, ...] = ()
        self.patient_codes: tuple[str, ...] = ()
        self.lines: list[RetourLine] = []
        self.findings: list[Finding] = []
        self.remarks: list[RetourRemark] = []

    def read(self, line: int, text: str) -> None:
        kind = text[:2]
        codes_of = self.codes_of.get(kind)
        if codes_of is None:
            return
        codes = tuple(code.strip() for code in codes_of(text) if code.strip("0 "))
        if kind == "01":
            self.file_codes = codes
        elif kind == "02":
            self.patient_ref = next(
                (ref.strip() for ref in self.patient_of(text) if ref.strip()), None
            )
            self.claim_ref = None
            self.patient_codes = codes
        elif kind == "04":
            self._treatment(line, text, codes)
        level = LEVEL_OF_RECORD[kind]
        about = None if kind in ("01", "02", "03") else self.claim_ref
        patient = None if kind == "01" else self.patient_ref
        self.remarks.extend(RetourRemark(level, line, code, about, patient) for code in codes)

    def _treatment(self, line: int, text: str, codes: tuple[str, ...]) -> None:
        """A line with a granted amount; a blank one is a finding of its own and changes
        nothing: never a zero. So is one that is not all digits (an N field is digits,
        zero-padded: vektis.md §1), as "    1008" or "1008    ": which amount it means is
        the insurer's to say, and the rest of the file is applied (R1). Nor does a line
        change under a retourcode that says the insurer did not assess it."""
        reference, amount, dc, declared, declared_dc = self.grant_of(text)
        reference = reference.strip()
        self.claim_ref = reference
        if amount.isspace():
            params = {"claim_ref": reference, "codes": ", ".join(codes) or "-"}
            blank = Finding(GRANTED_BLANK, Severity.CLAIM, line, None, reference, params)
            self.findings.append(blank)
            return
        if not amount.isdecimal():
            params = {"claim_ref": reference, "value": amount, "codes": ", ".join(codes) or "-"}
            unreadable = Finding(GRANTED_UNREADABLE, Severity.CLAIM, line, None, reference, params)
            self.findings.append(unreadable)
            return
        # A granted amount the insurer says is no assessment of the line: never applied.
        not_assessed = _not_assessed((*self.file_codes, *self.patient_codes, *codes))
        if not_assessed:
            params = {"claim_ref": reference, "code": not_assessed}
            refused = Finding(NOT_ASSESSED, Severity.CLAIM, line, None, reference, params)
            self.findings.append(refused)
            return
        if dc not in ("D", "C"):
            dc = self._sign_repaired(line, reference, dc, codes)
            if not dc:
                return
        signed = -int(amount) if dc == "C" else int(amount)
        claim = self.claims.get(reference)
        copied = _signed_amount(declared, declared_dc)
        self.lines.append(RetourLine(line, reference, signed, codes, claim, copied))

    def _sign_repaired(self, line: int, reference: str, dc: str, codes: tuple[str, ...]) -> str:
        """A granted amount's D/C that is not D or C (R2, vektis.md "Files as practices
        really send them": the cause named on its line, never the whole file refused). A
        lowercase d/c says what it means: read as D/C, with a warning (nothing lost). Any
        other sign is a finding of its own and the line changes nothing: "" then."""
        params = {
            "claim_ref": reference,
            "value": dc.strip() or "-",
            "codes": ", ".join(codes) or "-",
        }
        if dc in ("d", "c"):
            code, severity, sign = "RETOUR_GRANTED_SIGN_LOWERCASE", Severity.WARNING, dc.upper()
        else:
            code, severity, sign = GRANTED_SIGN_INVALID, Severity.CLAIM, ""
        self.findings.append(Finding(code, severity, line, None, reference, params))
        return sign
