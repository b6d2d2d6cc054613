"""The Vektis EI sample files in events/declarations/vektis/, written by the writer.

The good samples say what the CSV samples say (events/declarations/*.csv), as practice
software would export it: the dental one as MZ301 v1.3 with its own debtor records, the
physiotherapy one as PM304 v3.2 with SB311 v2.0 debtor records (one patient without,
as in files sent to an insurer), and VGZ's PM305 retour for it. Where Vektis cannot say
what the CSV says, the sample differs on purpose: no language (every invoice is Dutch),
no treatment start date, a credit line that names the line it reverses, and a price
quote in a 98 comment. The retour codes are from the retourcode list
(billing_core/texts/retour_codes.py).

The third practice's first file (issue 14) is a PM304 of the practice an operator
onboards in the demo (events/onboarding/fysio-west.json): its header carries the
practitioner's AGB code, its patients are insured with CZ (9664, the practice's
contract) and DSW (7029).

The bad samples each break one structural rule (R2) of a good one.

    python -m local.vektis_samples     # rewrite the files (tests check they are current)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from billing_core.declarations.claims import Address, Claim
from billing_core.declarations.csv_format import parse_declaration_csv
from billing_core.declarations.vektis.layouts import MZ301_V13, PM304_V32, PM305_V32
from billing_core.declarations.vektis.writer import (
    Granted,
    Header,
    InsurerAnswer,
    declaration_records,
    to_bytes,
    with_field,
    with_raw,
    write_retour,
)
from local.seed import DENTAL, PHYSIO, SANDBOX_TODAY

ROOT = Path(__file__).resolve().parent.parent
CSV_SAMPLES = ROOT / "events" / "declarations"
SAMPLES = CSV_SAMPLES / "vektis"
DENTAL_FILE = "tandarts-de-vries-2026-11.mz301"
PHYSIO_FILE = "fysio-centrum-oost-2026-11.pm304"
PHYSIO_RETOUR_FILE = "fysio-centrum-oost-2026-11.pm305"
WEST_FILE = "fysio-west-2026-11.pm304"
WEST_SETTINGS = ROOT / "events" / "onboarding" / "fysio-west.json"
VGZ = "7095"

DENTAL_HEADER = Header(
    practice_agb=DENTAL.agb_code,
    invoice_number="TDV-2026-11",
    invoice_date=date(2026, 11, 22),
    period_start=date(2026, 10, 1),
    period_end=date(2026, 11, 21),
)
PHYSIO_HEADER = Header(
    practice_agb=PHYSIO.agb_code,
    invoice_number="FCO-2026-11",
    invoice_date=date(2026, 11, 22),
    period_start=date(2026, 11, 1),
    period_end=date(2026, 11, 21),
)


def csv_claims(name: str) -> list[Claim]:
    parsed = parse_declaration_csv((CSV_SAMPLES / name).read_bytes(), today=SANDBOX_TODAY)
    return parsed.claims


def dental_claims() -> list[Claim]:
    """The dental CSV sample's lines as an MZ301 says them."""
    claims = []
    for claim in csv_claims("tandarts-de-vries-2026-11.csv"):
        claim = replace(claim, treatment_start_date=None)
        if claim.claim_ref == "TDV26-0019":
            # In Vektis a correction is the same code, credited, naming the reversed line.
            claim = replace(claim, treatment_code="C11", reverses_claim_ref="TDV26-0018")
        if claim.claim_ref == "TDV26-0009":
            claim = replace(claim, comments=("Mondbeschermer voor hockey, kleur blauw.",))
        claims.append(claim)
    return claims


def physio_claims() -> list[Claim]:
    """The physiotherapy CSV sample's lines; FCO-2006 as an insurer-bound file has it:
    no 03 record, so no street, city or e-mail."""
    claims = []
    for claim in csv_claims("fysio-centrum-oost-2026-11.csv"):
        if claim.patient_ref == "FCO-2006":
            own = claim.patient.address
            address = Address("", own.house_number, own.house_number_suffix, own.postcode, "")
            patient = replace(claim.patient, address=address, email="", mobile="")
            claim = replace(claim, patient=patient)
        claims.append(claim)
    return claims


def west_settings() -> dict[str, object]:
    """The settings an operator sends to onboard the third practice (interfaces.md §6)."""
    settings: dict[str, object] = json.loads(WEST_SETTINGS.read_text(encoding="utf-8"))
    return settings


def west_pm304() -> bytes:
    """Two of the physiotherapy sample's patients, now of the new practice: one insured
    with CZ, one with DSW; the header names the practitioner's AGB code, not the practice's."""
    codes = west_settings()["agb_codes"]
    assert isinstance(codes, list)
    practitioner = next(agb["code"] for agb in codes if agb["kind"] == "practitioner")
    insured = {"FCO-2002": ("9664", "CZ-20417733"), "FCO-2004": ("7029", "DSW-4471209")}
    claims = [
        replace(
            claim,
            claim_ref=claim.claim_ref.replace("FCO", "FW"),
            patient_ref=claim.patient_ref.replace("FCO", "FW"),
            insurer_uzovi=insured[claim.patient_ref][0],
            policy_number=insured[claim.patient_ref][1],
        )
        for claim in csv_claims("fysio-centrum-oost-2026-11.csv")
        if claim.patient_ref in insured
    ]
    header = replace(PHYSIO_HEADER, practice_agb=practitioner, invoice_number="FW-2026-11")
    return to_bytes(declaration_records(PM304_V32, header, claims, debtor_version="02"))


def dental_mz301() -> bytes:
    return to_bytes(_dental_records())


def physio_pm304() -> bytes:
    return to_bytes(_physio_records())


def physio_pm305() -> bytes:
    """VGZ's answer for its patient FCO-2001: 80% of the care lines at the contract rate
    (0611), the splint refused under the policy terms (0613), no remark on the file or the
    patient (0200); the trailer totals what was granted (positions 46-57)."""
    claims = [c for c in physio_claims() if c.insurer_uzovi == VGZ]
    granted = {
        claim.claim_ref: (
            Granted(0, ("0613",))
            if claim.treatment_code == "SPL1"
            else Granted(claim.amount_cents * 80 // 100, ("0611",))
        )
        for claim in claims
    }
    answer = InsurerAnswer(
        reference="VGZ-RET-2026-0004711",
        retour_date=SANDBOX_TODAY,
        file_codes=("0200",),
        patient_codes={claim.patient_ref: ("0200",) for claim in claims},
    )
    return write_retour(PM305_V32, replace(PHYSIO_HEADER, uzovi=VGZ), claims, granted, answer)


def _physio_records() -> list[str]:
    return declaration_records(PM304_V32, PHYSIO_HEADER, physio_claims(), debtor_version="02")


def _dental_records() -> list[str]:
    # MZ301 v1.3's own 03 layout ("  "): the version the public MZ301 test file uses.
    return declaration_records(MZ301_V13, DENTAL_HEADER, dental_claims(), debtor_version="  ")


# --- One broken rule per bad sample (R2) -------------------------------------------------


def _broken(records: list[str], change: Callable[[list[str]], None]) -> bytes:
    records = list(records)
    change(records)
    return to_bytes(records)


def _cut_record(records: list[str]) -> None:
    records[4] = records[4][:150]  # a prestatierecord cut off before its amounts (0804)


def _wrong_total(records: list[str]) -> None:
    trailer = MZ301_V13.records["99"]
    records[-1] = with_field(records[-1], trailer, "total_amount", 100)


def _debtor_before_insured(records: list[str]) -> None:
    records[1], records[2] = records[2], records[1]  # an 03 first, then its 02


def _test_message(records: list[str]) -> None:
    records[0] = with_field(records[0], MZ301_V13.records["01"], "message_kind", "T")


def _unknown_version(records: list[str]) -> None:
    records[0] = with_raw(records[0], MZ301_V13.records["01"], "version", "02")


def bad_samples() -> dict[str, bytes]:
    dental, physio = _dental_records(), _physio_records()
    # Saved as UTF-8 by an editor: one accent is two bytes, and the record too long.
    utf8 = to_bytes(physio).replace(b"Dijkstra ", "Dijkstr\u00e4".encode("utf-8"), 1)
    return {
        "record-too-short.mz301": _broken(dental, _cut_record),
        "trailer-total-wrong.mz301": _broken(dental, _wrong_total),
        "debtor-before-insured.pm304": _broken(physio, _debtor_before_insured),
        "test-message.mz301": _broken(dental, _test_message),
        "unknown-version.mz301": _broken(dental, _unknown_version),
        "utf8-accent.pm304": utf8,
    }


def samples() -> dict[str, bytes]:
    good = {
        DENTAL_FILE: dental_mz301(),
        PHYSIO_FILE: physio_pm304(),
        PHYSIO_RETOUR_FILE: physio_pm305(),
        WEST_FILE: west_pm304(),
    }
    return {**good, **{f"bad/{name}": data for name, data in bad_samples().items()}}


def main() -> None:
    for name, data in samples().items():
        path = SAMPLES / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"{path.relative_to(ROOT)}: {len(data)} bytes")


if __name__ == "__main__":
    main()
