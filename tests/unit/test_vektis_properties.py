"""Properties of the Vektis EI reader (R2, interfaces.md §1b), with hypothesis:

- round trip: any claims a Vektis file can carry, written by the writer and read back,
  are the same claims (the reader and writer share the layout tables);
- fuzzing: random bytes, truncated files, shifted fields, changed bytes: never a crash,
  always a result, structural findings never come with claims, every message renders.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing_core.declarations.claims import Address, Claim, Person
from billing_core.declarations.findings import Severity
from billing_core.declarations.formats import parse_declaration
from billing_core.declarations.rules import treatment_codes
from billing_core.declarations.rules.insurers import shipped_registers
from billing_core.declarations.vektis.layouts import MZ301_V13, MZ302_V13, PM304_V32, PM305_V32
from billing_core.declarations.vektis.retour_parser import parse_retour
from billing_core.declarations.vektis.writer import (
    Granted,
    to_bytes,
    write_declaration,
    write_retour,
)
from local.generate import valid_bsn
from tests.unit.vektis_files import HEADER, TODAY, child_claims, dental_claim, records

SAMPLES = Path(__file__).resolve().parents[2] / "events" / "declarations" / "vektis"
_LETTERS = "abcdefghijklmnopqrstuvwxyzéëïöüèàçñ"
_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- strategies: claims a Vektis file can carry ---------------------------------------------


def _word(max_size: int, alphabet: str = _LETTERS) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=1, max_size=max_size)


def _name(max_size: int) -> st.SearchStrategy[str]:
    """Capitalised words of ISO-8859-1 letters, no outer spaces (AN fields are stripped)."""
    return st.lists(_word(8), min_size=1, max_size=3).map(
        lambda words: " ".join(w.capitalize() for w in words)[:max_size].strip()
    )


_postcodes = st.tuples(
    st.integers(1000, 9999), st.sampled_from(["AB", "GB", "LT", "XZ", "AA"])
).map(lambda p: f"{p[0]} {p[1]}")
_house_numbers = st.integers(1, 99_999).map(str)
_suffixes = st.sampled_from(["", "A", "bis", "2hg"])
_emails = st.tuples(_word(12, "abcdefghij.123"), _word(10, "abcdefghij")).map(
    lambda p: f"{p[0].strip('.') or 'x'}@{p[1]}.example"
)


@st.composite
def _addresses(draw, *, street: bool) -> Address:  # type: ignore[no-untyped-def]
    if draw(st.booleans()) and street:
        return Address(
            draw(_name(24)),
            draw(_house_numbers),
            draw(_suffixes),
            draw(_word(9, "ABC-0123456789")),
            draw(_name(24)),
            "BE",
        )
    return Address(
        draw(_name(24)) if street else "",
        draw(_house_numbers),
        draw(_suffixes),
        draw(_postcodes),
        draw(_name(24)) if street else "",
    )


@st.composite
def _people(draw, *, full: bool, initials: bool = True) -> Person:  # type: ignore[no-untyped-def]
    """full: as an 03 can say it (street, city, e-mail, phone); else as a 02 alone.
    A patient has initials (VOORLETTERS VERZEKERDE is mandatory); a debtor may not."""
    return Person(
        initials=draw(st.sampled_from(["A.", "J.P.", "M.A.C."] + ([] if initials else [""]))),
        name_prefix=draw(st.sampled_from(["", "van", "de", "van der"])),
        last_name=draw(_name(25)),
        address=draw(_addresses(street=full)),
        email=draw(st.one_of(st.just(""), _emails)) if full else "",
        mobile=draw(st.sampled_from(["", "0612345678"])) if full else "",
    )


@st.composite
def _patient_claims(draw, number: int, care: str, first_ref: int) -> list[Claim]:  # type: ignore[no-untyped-def]
    """One patient's lines: who pays is the patient (with or without 03) or a debtor."""
    route = draw(st.sampled_from(["own-03", "debtor", "no-03"]))
    patient = draw(_people(full=route == "own-03"))
    debtor = draw(_people(full=True, initials=False)) if route == "debtor" else None
    if route == "debtor":
        patient = replace(patient, address=replace(patient.address, street="", city=""))
    base = dental_claim(
        patient_ref=f"P{number}",
        bsn=draw(st.sampled_from([valid_bsn(number), ""])),
        birth_date=draw(st.dates(date(1900, 1, 1), TODAY)),
        patient=patient,
        debtor=debtor,
        insurer_uzovi=draw(
            st.sampled_from([i.uzovi for i in shipped_registers().versions[0].insurers])
        ),
        policy_number=draw(st.sampled_from(["", "ZK-20411873"])),
    )
    claims = []
    for index in range(draw(st.integers(1, 4))):
        code = draw(st.sampled_from(treatment_codes.codes(care)))
        quantity = draw(st.integers(1, 12))
        claims.append(
            replace(
                base,
                claim_ref=f"R{first_ref + index}",
                treatment_code=code.code,
                description=code.description,
                line_type=code.line_type,
                quantity=quantity,
                unit_price_cents=draw(st.integers(1, 99_999)),
                treatment_date=draw(st.dates(date(2025, 1, 1), TODAY)),
                comments=tuple(draw(st.lists(_name(140), max_size=2))),
                price_quote_ref=draw(st.sampled_from(["", "BEGR-1"])),
            )
        )
    if draw(st.booleans()):  # a correction of the patient's first line, in the same file
        first = claims[0]
        claims.append(
            replace(
                first,
                claim_ref=f"R{first_ref + len(claims)}",
                unit_price_cents=-first.unit_price_cents,
                description=f"Correctie: {first.description}",
                reverses_claim_ref=first.claim_ref,
                comments=(),
                price_quote_ref="",
            )
        )
    return claims


@st.composite
def files(draw):  # type: ignore[no-untyped-def]
    standard = draw(st.sampled_from([MZ301_V13, PM304_V32]))
    versions = ["01", "02", "  "] if standard is MZ301_V13 else ["01", "02"]
    claims: list[Claim] = []
    for number in range(1, draw(st.integers(1, 4)) + 1):
        claims += draw(_patient_claims(number, standard.care, len(claims) + 1))
    return standard, draw(st.sampled_from(versions)), claims


# --- round trip --------------------------------------------------------------------------------


@_SETTINGS
@given(files())
def test_write_then_read_gives_the_same_claims(file):
    # Given claims a Vektis file can carry, written as MZ301 or PM304 with any debtor layout
    standard, debtor_version, claims = file
    data = write_declaration(standard, HEADER, claims, debtor_version=debtor_version)
    # When the file is read
    result = parse_declaration(
        data, today=TODAY, max_lines=1000, provider_agbs={HEADER.practice_agb}
    )
    # Then it is accepted and says exactly what was written (warnings aside)
    assert not [f for f in result.findings if f.severity.value != "warning"], result.findings[:3]
    read = [replace(c, line_number=0) for c in result.claims]
    assert read == [replace(c, line_number=0) for c in claims]


# --- one byte changed: the same claims, or findings (issue 15) --------------------------------


def _money(claims: list[Claim]) -> tuple[int, int]:
    return len(claims), sum(claim.amount_cents for claim in claims)


@_SETTINGS
@given(files(), st.data())
def test_one_byte_changed_gives_the_same_claims_or_findings(file, data):
    # Given any file the writer produces, with one byte of it changed to any value
    standard, debtor_version, claims = file
    written = write_declaration(standard, HEADER, claims, debtor_version=debtor_version)
    changed = bytearray(written)
    position = data.draw(st.integers(0, len(written) - 1), label="position")
    changed[position] = data.draw(st.integers(0, 255), label="byte")
    # When it is read: never an exception
    result = parse_declaration(
        bytes(changed), today=TODAY, max_lines=1000, provider_agbs={HEADER.practice_agb}
    )
    # Then a report that holds together: a refused file has no claims, every message renders
    assert all(f.message("nl") and f.message("en") for f in result.findings)
    if result.file_rejected:
        assert result.claims == []
    # And without a finding that rejects something, the same claims: as many, for the same
    # money (a changed name or date is still a claim; a lost or invented one never is)
    if all(f.severity is Severity.WARNING for f in result.findings):
        assert _money(result.claims) == _money(claims), result.findings[:3]


@_SETTINGS
@given(files(), st.data())
def test_one_byte_changed_in_a_retour_file_never_crashes(file, data):
    standard, _, claims = file
    retour_standard = PM305_V32 if standard is PM304_V32 else MZ302_V13
    granted = {c.claim_ref: Granted(data.draw(st.integers(0, 9999))) for c in claims}
    written = bytearray(write_retour(retour_standard, HEADER, claims, granted))
    written[data.draw(st.integers(0, len(written) - 1))] = data.draw(st.integers(0, 255))
    parsed = parse_retour(bytes(written), today=TODAY)
    assert all(f.message("nl") and f.message("en") for f in parsed.findings)
    if parsed.file_rejected:
        assert parsed.lines == [] and parsed.remarks == []


# --- fuzzing: never a crash, always a report ----------------------------------------------


def _assert_a_report(data: bytes) -> None:
    result = parse_declaration(
        data, today=TODAY, max_lines=1000, provider_agbs={HEADER.practice_agb}
    )
    assert result.findings or result.claims or not data.strip()
    if result.file_rejected:
        assert result.claims == []
    for finding in result.findings:
        assert finding.message("nl") and finding.message("en")


_GOOD = to_bytes(records([dental_claim("A1", comments=("Let op.",)), *child_claims()]))
_RETOUR = (SAMPLES / "fysio-centrum-oost-2026-11.pm305").read_bytes()


@_SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes_never_crash(data):
    _assert_a_report(data)


@_SETTINGS
@given(
    st.sampled_from([b"01176", b"011760103P", b"011070302P", b"01108"]), st.binary(max_size=2000)
)
def test_random_bytes_after_a_vektis_header_never_crash(head, tail):
    _assert_a_report(head + tail)


@_SETTINGS
@given(st.integers(0, len(_GOOD)))
def test_a_truncated_file_never_crashes(cut):
    _assert_a_report(_GOOD[:cut])


@_SETTINGS
@given(st.integers(0, len(_GOOD) - 1), st.binary(min_size=1, max_size=3), st.booleans())
def test_shifted_fields_never_crash(position, inserted, delete):
    # Given bytes inserted into a record, or one deleted: every field after it shifts
    data = (
        _GOOD[:position] + _GOOD[position + 1 :]
        if delete
        else _GOOD[:position] + inserted + _GOOD[position:]
    )
    _assert_a_report(data)


@_SETTINGS
@given(
    st.lists(st.tuples(st.integers(0, len(_GOOD) - 1), st.integers(0, 255)), min_size=1, max_size=6)
)
def test_changed_bytes_never_crash(changes):
    # Given a few bytes of a good file replaced: digits by letters, D by X, ² for 2...
    data = bytearray(_GOOD)
    for position, value in changes:
        data[position] = value
    _assert_a_report(bytes(data))


@_SETTINGS
@given(st.integers(0, len(_RETOUR) - 1), st.integers(0, 255))
def test_a_damaged_retour_file_never_crashes(position, value):
    data = bytearray(_RETOUR)
    data[position] = value
    result = parse_retour(bytes(data), today=TODAY)
    assert result.findings or result.lines
    for finding in result.findings:
        assert finding.message("nl") and finding.message("en")


def test_superscript_digits_are_not_numbers():
    # Given '²' (ISO-8859-1 0xB2) in BEREKEND BEDRAG: str.isdigit() says yes, int() says no
    data = _GOOD.replace(b"00005000D", b"0000500\xb2D", 1)
    # Then it is a field with something other than digits: that line is rejected, no crash
    result = parse_declaration(
        data, today=TODAY, max_lines=100, provider_agbs={HEADER.practice_agb}
    )
    [finding] = result.findings
    assert (finding.code, finding.claim_ref) == ("VEKTIS_NOT_NUMERIC", "A1")
    assert "Berekend bedrag" in (finding.field or "")
