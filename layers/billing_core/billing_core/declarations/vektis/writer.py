"""Claims -> a Vektis EI file, from the same layout tables the reader uses.

For tests (every structural rule has a failing file made by changing one field of a
good one), the sample files in events/declarations/vektis/, the demo and the bench.
Not for sending files to insurers: the values it cannot know (gender, the code lists
of MZ301's INDICATIE SOORT PRESTATIERECORD) are filled with neutral defaults.

The writer is strict where the reader is tolerant: a value that does not fit its field
raises ValueError instead of being cut, so a test never builds a different file than it
meant to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from billing_core.declarations.claims import Claim, LineType
from billing_core.declarations.vektis.layout import (
    Field,
    FieldType,
    MessageKind,
    RecordLayout,
    RecordType,
    Standard,
)
from billing_core.declarations.vektis.layouts import STANDARDS
from billing_core.declarations.vektis.mapping import NO_BSN, PRICE_QUOTE_PREFIX

Value = str | int
_CODE_LISTS = {"dental": 10, "paramedical": 12}  # AANDUIDING PRESTATIECODELIJST (vektis.md)
_BUILT_IN_DEBTOR = "  "


@dataclass(frozen=True, slots=True)
class Header:
    """What a practice's software puts in the 01 voorlooprecord."""

    practice_agb: str
    invoice_number: str
    invoice_date: date
    period_start: date
    period_end: date
    uzovi: str = "0"  # the receiving insurer; 0000 for a servicebureau file
    message_kind: str = "P"  # T = test
    software_version: str = "zorgnota"


@dataclass(frozen=True, slots=True)
class Granted:
    """What the insurer says of one line in a retour file."""

    amount_cents: int  # signed: negative for a credit line
    retour_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class InsurerAnswer:
    """What the insurer says of the file as a whole (01), per patient (02) and per
    debtor (03)."""

    reference: str = "RETOUR-1"
    retour_date: date | None = None  # None: the declaration's invoice date
    file_codes: tuple[str, ...] = ()
    patient_codes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # by patient_ref
    debtor_codes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # by patient_ref


def write_declaration(
    standard: Standard,
    header: Header,
    claims: Sequence[Claim],
    *,
    debtor_version: str = "02",
    line_end: str = "\r\n",
    final_line_end: bool = True,
) -> bytes:
    """A whole file. debtor_version: "01"/"02" for SB311 v1.0/v2.0, "  " for the
    standard's own 03 (MZ301 v1.3), "" to write no debtor records at all."""
    records = declaration_records(standard, header, claims, debtor_version=debtor_version)
    return to_bytes(records, line_end=line_end, final_line_end=final_line_end)


def write_retour(
    standard: Standard,
    header: Header,
    claims: Sequence[Claim],
    granted: Mapping[str, Granted],
    answer: InsurerAnswer = InsurerAnswer(),
    *,
    debtor_version: str = "",
) -> bytes:
    """debtor_version: as write_declaration's; "" (no 03) as most retours come back."""
    records = retour_records(standard, header, claims, granted, answer, debtor_version)
    return to_bytes(records)


def to_bytes(
    records: Iterable[str], *, line_end: str = "\r\n", final_line_end: bool = True
) -> bytes:
    body = line_end.join(records) + (line_end if final_line_end else "")
    return body.encode("latin-1")


# --- Records -------------------------------------------------------------------------------


def declaration_records(
    standard: Standard, header: Header, claims: Sequence[Claim], *, debtor_version: str = "02"
) -> list[str]:
    """01, per patient 02 [03] 04 [98]..., 99: numbered and counted as the reader checks."""
    layouts = standard.records
    records = [format_record(layouts[RecordType.HEADER], _header_values(standard, header))]
    detail_id = 0
    for group in _by_patient(claims):
        first = group[0]
        detail_id += 1
        records.append(
            format_record(layouts[RecordType.INSURED], _insured_values(detail_id, first))
        )
        debtor = _debtor_layout(standard, debtor_version, first)
        if debtor is not None:
            detail_id += 1
            records.append(format_record(debtor, _debtor_values(detail_id, first, debtor_version)))
        for claim in group:
            detail_id += 1
            values = _treatment_values(detail_id, claim, standard)
            records.append(format_record(layouts[RecordType.TREATMENT], values))
            for number, text in enumerate(_comments(claim), 1):
                comment: dict[str, str | int] = {
                    "record_id": detail_id,
                    "comment_line": number,
                    "comment": text,
                }
                records.append(format_record(layouts[RecordType.COMMENT], comment))
    records.append(format_record(layouts[RecordType.TRAILER], trailer_values(records, standard)))
    return records


def retour_records(
    standard: Standard,
    header: Header,
    claims: Sequence[Claim],
    granted: Mapping[str, Granted],
    answer: InsurerAnswer = InsurerAnswer(),
    debtor_version: str = "",
) -> list[str]:
    """The declaration as the insurer received it (with its 03 records when
    ``debtor_version`` is given), each record with the insurer's fields (vektis.md §1);
    the 99 totals what was granted."""
    declared = declaration_for(standard)
    records = declaration_records(declared, header, claims, debtor_version=debtor_version)
    line_reference = declared.records[RecordType.TREATMENT].field("line_reference").slice
    patient_number = declared.records[RecordType.INSURED].field("patient_number").slice
    granted_total = 0
    result = []
    for text in records:
        kind = RecordType(text[:2])
        values: dict[str, Value] = {}
        if kind is RecordType.HEADER:
            values = {
                "message_code": standard.code,
                "version": standard.version,
                "subversion": standard.subversion,
                "insurer_reference": answer.reference,
                "retour_date": _date(answer.retour_date or header.invoice_date),
                **_retour_codes(answer.file_codes),
            }
        elif kind is RecordType.INSURED:
            values = _retour_codes(answer.patient_codes.get(text[patient_number].strip(), ()))
        elif kind is RecordType.TREATMENT:
            grant = granted.get(text[line_reference].strip())
            granted_total += grant.amount_cents if grant else 0
            values = _granted_values(grant)
        elif kind is RecordType.TRAILER:
            values = {
                "granted_total": abs(granted_total),
                "granted_total_dc": "C" if granted_total < 0 else "D",
            }
        elif kind is RecordType.DEBTOR:
            debtor_number = text[
                declared.debtor_records[debtor_version].field("debtor_number").slice
            ]
            values = _retour_codes(answer.debtor_codes.get(debtor_number.strip(), ()))
            declared_values = _values(text, declared.debtor_records[debtor_version])
            layout = standard.debtor_records[debtor_version]
            result.append(format_record(layout, {**declared_values, **values}))
            continue
        declared_values = _values(text, declared.records[kind])
        result.append(format_record(standard.records[kind], {**declared_values, **values}))
    return result


def declaration_for(retour: Standard) -> Standard:
    """The declaration standard a retour standard answers (PM305 -> PM304)."""
    return next(
        s
        for s in STANDARDS.values()
        if s.kind is MessageKind.DECLARATION and s.name == retour.answers
    )


def format_record(layout: RecordLayout, values: Mapping[str, Value]) -> str:
    """Every field of the layout: the given value, or zeros (N) / spaces (AN)."""
    given = {"record_type": layout.record_type.value, **values}
    unknown = set(given) - set(layout.by_key)
    if unknown:
        raise ValueError(f"record {layout.record_type.value} has no field {sorted(unknown)}")
    return "".join(format_value(item, given.get(item.key)) for item in layout.fields)


def format_value(item: Field, value: Value | None) -> str:
    """N: digits, right-aligned, zero-padded; AN: left-aligned, space-padded."""
    if item.type is FieldType.N:
        text = (
            "0" * item.length
            if value is None or value == ""
            else str(value).rjust(item.length, "0")
        )
        if not text.isdecimal():
            raise ValueError(f"{item.name}: {value!r} is not a number")
    else:
        text = ("" if value is None else str(value)).ljust(item.length)
    if len(text) != item.length:
        raise ValueError(f"{item.name}: {value!r} does not fit {item.length} positions")
    return text


def with_field(text: str, layout: RecordLayout, key: str, value: Value) -> str:
    """The record with one field replaced, formatted as the writer would."""
    item = layout.field(key)
    return text[: item.start - 1] + format_value(item, value) + text[item.end :]


def with_raw(text: str, layout: RecordLayout, key: str, raw: str) -> str:
    """The record with one field's positions overwritten by ``raw`` as it is (any length):
    for files that break the layout on purpose."""
    item = layout.field(key)
    return text[: item.start - 1] + raw + text[item.end :]


def trailer_values(records: Sequence[str], standard: Standard) -> dict[str, Value]:
    """The 99's counts and total for these records (01 first, no 99 yet)."""
    counts = {kind: 0 for kind in ("02", "03", "04", "98")}
    total = 0
    amount = standard.records[RecordType.TREATMENT].getter(("amount", "dc"))
    for text in records:
        kind = text[:2]
        if kind in counts:
            counts[kind] += 1
        if kind == "04":
            cents, dc = amount(text)
            total += -int(cents) if dc == "C" else int(cents)
    return {
        "count_02": counts["02"],
        "count_03": counts["03"],
        "count_04": counts["04"],
        "count_98": counts["98"],
        "count_detail": sum(counts.values()),
        "total_amount": abs(total),
        "total_dc": "C" if total < 0 else "D",
    }


# --- Values per record ---------------------------------------------------------------------


def _header_values(standard: Standard, header: Header) -> dict[str, Value]:
    return {
        "message_code": standard.code,
        "version": standard.version,
        "subversion": standard.subversion,
        "message_kind": header.message_kind,
        "software_version": header.software_version,
        "uzovi": header.uzovi,
        "agb_practice": header.practice_agb,
        "payee": 3,  # 03 = the practice is paid
        "period_start": _date(header.period_start),
        "period_end": _date(header.period_end),
        "invoice_number": header.invoice_number,
        "invoice_date": _date(header.invoice_date),
        "currency": "EUR",
    }


def _insured_values(detail_id: int, claim: Claim) -> dict[str, Value]:
    person, address = claim.patient, claim.patient.address
    dutch = address.country == "NL"
    values: dict[str, Value] = {
        "record_id": detail_id,
        "bsn": claim.bsn or NO_BSN,
        "uzovi": claim.insurer_uzovi,
        "policy_number": claim.policy_number,
        "patient_number": claim.patient_ref,
        "birth_date": _date(claim.birth_date),
        "name_code_1": 1,
        "last_name_1": person.last_name,
        "prefix_1": person.name_prefix,
        "initials": person.initials,
        "name_usage": 1,
        "postcode": address.postcode.replace(" ", "") if dutch else "",
        "postcode_abroad": "" if dutch else address.postcode,
        "house_number": address.house_number or 0,
        "house_number_suffix": address.house_number_suffix,
        "country": "" if dutch else address.country,
        "debtor_number": claim.patient_ref,
    }
    return values


def _debtor_layout(standard: Standard, version: str, claim: Claim) -> RecordLayout | None:
    """An 03 for someone else who pays, or for the patient's own street, city, e-mail."""
    own = claim.patient
    if not version or (
        claim.debtor is None and not (own.email or own.address.street or own.mobile)
    ):
        return None
    return standard.debtor_records[version]


def _debtor_values(detail_id: int, claim: Claim, version: str) -> dict[str, Value]:
    payer = claim.debtor or claim.patient
    address = payer.address
    dutch = address.country == "NL"
    values: dict[str, Value] = {
        "record_id": detail_id,
        "debtor_number": claim.patient_ref,
        # The patient's own birth date marks the 03 as the patient paying themself.
        "birth_date": _date(claim.birth_date) if claim.debtor is None else 0,
        "name_code_1": 1,
        "last_name_1": payer.last_name,
        "prefix_1": payer.name_prefix,
        "initials": payer.initials,
        "name_usage": 1,
        "street": address.street,
        "house_number": address.house_number or 0,
        "house_number_suffix": address.house_number_suffix,
        "postcode": address.postcode.replace(" ", "") if dutch else "",
        "postcode_abroad": "" if dutch else address.postcode,
        "city": address.city,
        "country": "" if dutch else address.country,
        "phone": payer.mobile,
        "email": payer.email,
    }
    if version != _BUILT_IN_DEBTOR:
        values["debtor_record_version"] = version
    if version == "02":
        values["invoice_form"] = "D" if payer.email else "P"
    return values


def _treatment_values(detail_id: int, claim: Claim, standard: Standard) -> dict[str, Value]:
    amount = claim.quantity * claim.unit_price_cents
    dc = "C" if amount < 0 else "D"
    values: dict[str, Value] = {
        "record_id": detail_id,
        "bsn": claim.bsn or NO_BSN,
        "uzovi": claim.insurer_uzovi,
        "policy_number": claim.policy_number,
        "forwarding_allowed": 1,
        "treatment_date": _date(claim.treatment_date),
        "code_list": _CODE_LISTS.get(standard.care, 0),
        "treatment_code": claim.treatment_code,
        "quantity": claim.quantity,
        "unit_price": abs(claim.unit_price_cents),
        "calculated_amount": abs(amount),
        "calculated_dc": dc,
        "amount": abs(amount),
        "dc": dc,
        "line_reference": claim.claim_ref,
        "previous_reference": claim.reverses_claim_ref,
    }
    treatment = standard.records[RecordType.TREATMENT]
    if treatment.has("record_kind"):
        # unsure: COD853 values; 01 honorarium, 02 material costs (never read back).
        values["record_kind"] = 2 if claim.line_type is LineType.MATERIAL else 1
        values["special_dentistry"] = "N"
    return values


def _granted_values(granted: Granted | None) -> dict[str, Value]:
    if granted is None:
        return {"granted_amount": 0, "granted_dc": "D"}
    return {
        "granted_amount": abs(granted.amount_cents),
        "granted_dc": "C" if granted.amount_cents < 0 else "D",
        **_retour_codes(granted.retour_codes),
    }


def _retour_codes(codes: Sequence[str]) -> dict[str, Value]:
    if len(codes) > 3:
        raise ValueError(f"a record has room for three retour codes, not {len(codes)}")
    return {f"retour_code_{number}": code for number, code in enumerate(codes, 1)}


def _values(text: str, layout: RecordLayout) -> dict[str, Value]:
    """Every field of a record as it is written, by key (RESERVE aside)."""
    return {f.key: text[f.slice] for f in layout.fields if f.key != "reserve"}


def _comments(claim: Claim) -> list[str]:
    comments = list(claim.comments)
    if claim.price_quote_ref:
        comments.append(f"{PRICE_QUOTE_PREFIX.capitalize()} {claim.price_quote_ref}")
    return comments


def _by_patient(claims: Iterable[Claim]) -> list[list[Claim]]:
    """Claims of one patient under one 02, patients in order of first appearance."""
    groups: dict[tuple[str, str], list[Claim]] = {}
    for claim in claims:
        groups.setdefault(claim.patient_key, []).append(claim)
    return list(groups.values())


def _date(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"
