"""Checked Vektis EI records -> claims: the content half of R2, and who gets the invoice.

Runs only on a file the reader accepted as a whole. Per 04 prestatierecord it makes one
``Claim`` (R4: 5-minute units stay the separate lines the practice wrote), or the
findings that reject it (Severity.CLAIM); the rest of the file goes on.

- Patient: the 02 verzekerdenrecord. Without a BSN (999999999) the provider's patient
  number (or else the debtor number) identifies the patient.
- Addressee: the 03 debiteurrecord linked to the 02 (MZ301's own, SB311 v1.0 or v2.0).
  An 03 describing the patient themself (same surname and birth date) completes the
  patient's address; any other 03 is the debtor: a parent, heirs, a guardian. SB311
  v2.0 FACTURATIEVORM P means paper even when there is an e-mail address. Without 03
  the invoice goes to the patient on paper, by the 02's postcode and house number; a
  patient under 18 without a debtor is invoiced all the same, with a warning.
- Amount: DECLARATIEBEDRAG with its D/C sign, what the 99 total sums. TARIEF x AANTAL
  is not checked (vektis.md §2: eigen-bijdrage deductions make them differ); the
  quantity is kept when the amount divides by it, else the line is 1 x the amount.
- Credit lines (C) must name the line they reverse. In the same file they become
  negative claims of the same patient, so invoicing nets them; a line from an earlier
  upload is kept in ``Claim.reverses_claim_ref`` for the caller.
- 98 comments on a 04 go to ``Claim.comments``. MZ301 v1.3 has no element for a dental
  price quote (R6), so a comment "Begroting: <ref>" records one (our convention).

Speed: a patient's 02/03 is checked once for all its lines, dates and treatment codes
once per distinct value, and a 04 whose mandatory fields are all filled costs two
C-level slicing calls before its own checks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from datetime import date
from typing import Any

from billing_core.declarations.claims import (
    Address,
    Claim,
    LineType,
    Person,
    adults_born_by,
    dutch_postcode,
    passes_bsn_11_proof,
)
from billing_core.declarations.findings import Finding, Severity
from billing_core.declarations.rules import treatment_codes
from billing_core.declarations.rules.insurers import InsurerRegisters, shipped_registers
from billing_core.declarations.vektis.layout import RecordLayout, RecordType, Standard
from billing_core.declarations.vektis.reader import VektisFile
from billing_core.shared.email_address import is_plausible_email

NO_BSN = "999999999"  # vektis.md §2: the patient has no (known) BSN
PRICE_QUOTE_PREFIX = "begroting:"  # our convention for a dental price quote in a 98 comment
_INVOICE_FORMS = {"P": "paper", "D": "digital", " ": "", "": ""}  # SB311 v2.0 COD655
_PATIENT, _DEBTOR = ("de patiënt", "the patient"), ("de debiteur", "the debtor")

# The address fields of a 02 and an 03, last in what their getters read (a 02 has no
# street or city: they read "").
_ADDRESS_KEYS = (
    "street",
    "house_number",
    "house_number_suffix",
    "postcode",
    "postcode_abroad",
    "city",
    "country",
)
# A person's birth date and name fields, as a 02 and an 03 both have them.
_PERSON_KEYS = (
    "birth_date",
    "name_usage",
    "last_name_1",
    "prefix_1",
    "last_name_2",
    "prefix_2",
    "initials",
)
_INSURED_KEYS = ("bsn", "patient_number", *_PERSON_KEYS, "debtor_number", *_ADDRESS_KEYS)
_DEBTOR_KEYS = (
    *_PERSON_KEYS,
    "phone",
    "email",
    "invoice_form",
    *_ADDRESS_KEYS,
)
_TREATMENT_KEYS = (
    "bsn",
    "uzovi",
    "policy_number",
    "treatment_date",
    "treatment_code",
    "quantity",
    "amount",
    "dc",
    "line_reference",
    "previous_reference",
)


@dataclass(slots=True)
class _Problem:
    """A content problem where it is in the file; it rejects the claims it concerns."""

    code: str
    line: int
    field: str | None
    params: dict[str, Any] = dataclass_field(default_factory=dict)


@dataclass(slots=True)
class _Patient:
    """One 02 (and its 03): checked once, shared by the lines below it."""

    line: int
    bsn_text: str  # as in the file: each 04 repeats it
    patient_ref: str
    bsn: str  # "" when the file says 999999999
    key: tuple[str, str]  # (patient_ref, bsn): its lines make one invoice (R4)
    birth_date: date | None
    birth_text: str
    last_name_text: str
    person: Person
    debtor: Person | None = None
    has_debtor_record: bool = False
    problems: list[_Problem] = dataclass_field(default_factory=list)
    checked: bool = False  # deliverability and conflicts are checked at its first 04
    # The 04s its problems hold back, and where in the findings those problems are said.
    held_back: list[str] = dataclass_field(default_factory=list)
    said_at: int = -1


# What the credit checks need of a line reference's first 04, accepted or not: its line,
# whether it is a credit, its patient's key and its amount in cents. A tuple: one per 04.
_FirstLine = tuple[int, bool, tuple[str, str], int]


def map_claims(
    file: VektisFile, *, today: date, insurers: InsurerRegisters | None = None
) -> tuple[list[Claim], list[Finding]]:
    """The claims of an accepted file and the content findings (CLAIM and WARNING);
    ``insurers``: the register versions (R33), the shipped one when not given."""
    if file.standard is None:
        raise ValueError("map_claims needs a file the reader accepted")
    mapper = _Mapper(file.standard, today, insurers or shipped_registers())
    return mapper.map(file.records, file.first_line)


class _Mapper:
    def __init__(self, standard: Standard, today: date, insurers: InsurerRegisters) -> None:
        self.standard = standard
        self.today = today
        self.insurers = insurers
        self.insured = standard.records[RecordType.INSURED]
        self.treatment = standard.records[RecordType.TREATMENT]
        self.read_insured = self.insured.getter(_INSURED_KEYS)
        self.read_treatment = self.treatment.getter(_TREATMENT_KEYS)
        self.treatment_label = self.treatment.labels
        self.treatment_filled = self.treatment.all_mandatory_filled
        self.insured_filled = self.insured.all_mandatory_filled
        self.read_debtor = {
            version: layout.getter(_DEBTOR_KEYS)
            for version, layout in standard.debtor_records.items()
        }
        self.debtor_filled = {
            version: layout.all_mandatory_filled
            for version, layout in standard.debtor_records.items()
        }
        self.claims: list[Claim] = []
        self.findings: list[Finding] = []
        self.patient: _Patient | None = None
        self.first_of_patient: dict[tuple[str, str], _Patient] = {}
        self.patients_said: list[_Patient] = []  # whose problems held back a 04
        self.lines: dict[str, _FirstLine] = {}  # line reference -> its first 04
        self.accepted: set[str] = set()  # line references of which a 04 became a claim
        self.credits: list[Claim] = []
        # The index in claims of the last accepted 04 until another record than a 98, and
        # the 98 texts by the index of the claim they are on.
        self.commented: int | None = None
        self.comments: dict[int, list[str]] = {}
        self.valid_dates: dict[str, date] = {}  # EEJJMMDD texts checked and fine
        self.postcodes: dict[str, str | None] = {}
        self.codes: dict[str, tuple[str, LineType]] = {}
        self.known_insurers: dict[tuple[str, str], str | None] = {}  # -> version lacking it
        # (UZOVI, EEJJMMDD) -> the register version lacking the code, None when known: one
        # dict lookup per 04 instead of finding the register in force on the date
        self.lacking_on: dict[tuple[str, str], str | None] = {}
        self.adults_born_by = adults_born_by(today)

    def map(self, records: list[str], first_line: int) -> tuple[list[Claim], list[Finding]]:
        treatment = self._treatment  # the hot loop: one bound method, looked up once
        comments = self.comments
        for line, text in enumerate(records, first_line):
            kind = text[:2]
            if kind == "04":
                treatment(line, text)  # sets self.commented: the claim its 98s are about
                continue
            if kind == "98":
                if self.commented is not None:  # comments on a 02 or 03 are not invoiced
                    comments.setdefault(self.commented, []).append(text[18:158].strip())
                continue
            self.commented = None
            if kind == "02":
                self.patient = self._insured(line, text)
            elif kind == "03" and self.patient is not None:
                self._debtor(line, text, self.patient)
        for index, texts in comments.items():
            _attach_comments(self.claims[index], texts)
        self._count_held_back()
        rejected = self._check_credits()
        if rejected:
            self.claims = [c for c in self.claims if c.claim_ref not in rejected]
        return self.claims, self.findings

    # --- 02: the patient -----------------------------------------------------------------

    def _insured(self, line: int, text: str) -> _Patient:
        (
            bsn_text,
            patient_number,
            birth_text,
            usage,
            last_1,
            prefix_1,
            last_2,
            prefix_2,
            initials,
            debtor_number,
            *address_fields,
        ) = self.read_insured(text)
        insured = self.insured
        problems = [] if self.insured_filled(text) else self._mandatory(line, text, insured)
        bsn = self._bsn(bsn_text, line, problems)
        patient_ref = patient_number.strip() or debtor_number.strip()
        if bsn_text == NO_BSN and not patient_ref:
            label = self._label("02", "patient_number")
            problems.append(_Problem("VEKTIS_PATIENT_UNIDENTIFIED", line, label))
        birth_date = self.valid_dates.get(birth_text) or self._date(
            birth_text, line, insured, "birth_date", problems
        )
        prefix, last_name = _name(usage, last_1, prefix_1, last_2, prefix_2)
        address = self._address(line, insured, problems, *address_fields)
        person = Person(initials.strip(), prefix, last_name, address)
        return _Patient(
            line,
            bsn_text,
            patient_ref,
            bsn,
            (patient_ref, bsn),
            birth_date,
            birth_text,
            last_1.strip(),
            person,
            problems=problems,
        )

    def _bsn(self, text: str, line: int, problems: list[_Problem]) -> str:
        """The checked BSN; "" for 999999999 (none). A problem shows only the last digits."""
        if text == NO_BSN:
            return ""
        if (
            len(text) == 9
            and text.isascii()
            and text.isdigit()
            and int(text) > 0
            and passes_bsn_11_proof(text)
        ):
            return text
        last_digits = text[-3:] if text.isdecimal() else "-"
        field_label = self._label("02", "bsn")
        problems.append(_Problem("BSN_INVALID", line, field_label, {"last_digits": last_digits}))
        return text

    # --- 03: who pays --------------------------------------------------------------------

    def _debtor(self, line: int, text: str, patient: _Patient) -> None:
        version = text[297:299]
        layout = self.standard.debtor_records[version]
        (
            birth_text,
            usage,
            last_1,
            prefix_1,
            last_2,
            prefix_2,
            initials,
            phone,
            email,
            invoice_form,
            *address_fields,
        ) = self.read_debtor[version](text)
        problems = patient.problems
        if not self.debtor_filled[version](text):
            problems.extend(self._mandatory(line, text, layout))
        address = self._address(line, layout, problems, *address_fields)
        email = self._channel_email(line, layout, email.strip(), invoice_form)
        patient.has_debtor_record = True
        if birth_text == patient.birth_text and last_1.strip() == patient.last_name_text:
            # The patient pays themself: the 03 only completes the address and contact.
            own = patient.person
            patient.person = Person(
                own.initials, own.name_prefix, own.last_name, address, email, phone.strip()
            )
        else:
            prefix, last_name = _name(usage, last_1, prefix_1, last_2, prefix_2)
            mobile = phone.strip()
            patient.debtor = Person(initials.strip(), prefix, last_name, address, email, mobile)

    def _channel_email(self, line: int, layout: RecordLayout, email: str, form: str) -> str:
        """R7 from the 03: an e-mail address means digital, unless FACTURATIEVORM says P."""
        if email and not is_plausible_email(email):
            self._warn("VEKTIS_EMAIL_INVALID", line, layout.label("email"))
            return ""  # one warning says it all: it goes by post
        choice = _INVOICE_FORMS.get(form)
        if choice is None:
            self._warn(
                "VEKTIS_VALUE_INVALID",
                line,
                layout.label("invoice_form"),
                value=form,
                allowed="P, D",
            )
        elif choice == "paper":
            return ""
        elif choice == "digital" and not email:
            self._warn("VEKTIS_DIGITAL_WITHOUT_EMAIL", line, layout.label("invoice_form"))
        return email

    def _address(
        self,
        line: int,
        layout: RecordLayout,
        problems: list[_Problem],
        street: str,
        house_number: str,
        suffix: str,
        postcode: str,
        postcode_abroad: str,
        city: str,
        country: str,
    ) -> Address:
        """The fields of _ADDRESS_KEYS as the file has them -> an address; a Dutch
        postcode is checked (once per distinct one)."""
        street, suffix, city = street.strip(), suffix.strip(), city.strip()
        house_number = _house_number(house_number)
        country = country.strip().upper() or "NL"
        if country != "NL":
            return Address(street, house_number, suffix, postcode_abroad.strip(), city, country)
        postcode = postcode.strip()
        if postcode:
            normalised = self.postcodes.get(postcode, "")
            if normalised == "":
                normalised = self.postcodes[postcode] = dutch_postcode(postcode)
            if normalised is None:
                problems.append(_Problem("POSTCODE_INVALID", line, layout.label("postcode")))
            postcode = normalised or postcode
        return Address(street, house_number, suffix, postcode, city, country)

    # --- 04: one treatment line ----------------------------------------------------------

    def _treatment(self, line: int, text: str) -> None:
        """One 04 -> one claim, or the findings that reject it. The hot loop: the claim is
        built here, not in a helper, and the credit checks get a tuple, not an object."""
        (
            bsn_text,
            uzovi,
            policy_number,
            date_text,
            code,
            quantity,
            amount,
            dc,
            reference,
            previous,
        ) = self.read_treatment(text)
        patient = self.patient
        if patient is None:  # the reader refuses a 04 before any 02; for type checkers
            return
        if not patient.checked:
            self._check_patient(patient, line)
        reference = reference.strip()
        if dc == "d" or dc == "c":
            dc = self._sign_lowercase(line, reference, dc)
        credit = dc == "C"
        cents = int(amount) if amount.isdecimal() else 0
        # The common case in one expression; anything off is sorted out by _line_problems.
        # (all_mandatory_filled guards the int(): quantity and amount are mandatory N.)
        looks_right = (
            bsn_text == patient.bsn_text
            and date_text in self.valid_dates
            and self.treatment_filled(text)
            and (dc == "D" or credit)
            and (not credit or previous.strip())
            and self.lacking_on.get((uzovi, date_text), "") is None
            and int(quantity) > 0
            and cents > 0
        )
        problems = (
            []
            if looks_right
            else self._line_problems(
                line, text, patient, bsn_text, uzovi, date_text, quantity, amount, dc, previous
            )
        )
        first = self.lines.get(reference)
        if first is None:
            self.lines[reference] = (line, credit, patient.key, cents)
        elif reference:
            params = {"claim_ref": reference, "first_line": first[0]}
            label = self.treatment_label["line_reference"]
            problems.append(_Problem("CLAIM_REF_DUPLICATE", line, label, params))
        if problems or patient.problems:
            self._hold_back(patient, reference, line, problems)
            self.commented = None
            return
        self.accepted.add(reference)
        # NZa/Vektis codes are upper case: "c11" typed by hand is C11 for the coverage rules,
        # the line type and the insurer's share alike (R5, R6, R40).
        code = code.strip().upper()
        description, line_type = self.codes.get(code) or self._code(code, line)
        signed = -cents if credit else cents
        units = int(quantity)
        if signed % units:
            units = 1  # the amount is no whole multiple of the quantity: one line of it all
        reverses = previous.strip() if credit else ""
        claim = Claim(
            line,
            reference,
            patient.patient_ref,
            patient.bsn,
            patient.birth_date or self.today,
            patient.person,
            patient.debtor,
            uzovi,
            policy_number.strip(),
            self.valid_dates[date_text],
            None,
            code,
            f"Correctie: {description}" if reverses else description,
            line_type,
            units,
            signed // units,
            "",
            reverses,
        )
        self.claims.append(claim)
        if reverses:
            self.credits.append(claim)
        self.commented = len(self.claims) - 1

    def _sign_lowercase(self, line: int, reference: str, dc: str) -> str:
        """A 04's D/C as a lowercase d or c says what it means (R40, vektis.md "Files as
        practices really send them"): read as D or C, with a warning naming its line and
        claim, as a retour's granted sign is (retour_parser.py); the 99's total counts it so
        too (reader.py)."""
        params = {"claim_ref": reference or "-", "value": dc, "value_upper": dc.upper()}
        label = self.treatment_label["dc"]
        claim_ref = reference or None
        code = "VEKTIS_DC_LOWERCASE"
        self.findings.append(Finding(code, Severity.WARNING, line, label, claim_ref, params))
        return dc.upper()

    def _line_problems(
        self,
        line: int,
        text: str,
        patient: _Patient,
        bsn_text: str,
        uzovi: str,
        date_text: str,
        quantity: str,
        amount: str,
        dc: str,
        previous: str,
    ) -> list[_Problem]:
        """A 04's own problems: mandatory fields first, then each value that is filled."""
        problems = self._mandatory(line, text, self.treatment)
        label = self.treatment_label
        flagged = {p.field for p in problems}
        if bsn_text != patient.bsn_text and label["bsn"] not in flagged:
            params: dict[str, Any] = {"insured_line": patient.line}
            problems.append(_Problem("VEKTIS_LINE_PATIENT_MISMATCH", line, label["bsn"], params))
        if label["treatment_date"] not in flagged:
            self._date(date_text, line, self.treatment, "treatment_date", problems)
        lacking = self._register_lacking(uzovi, date_text)
        if label["uzovi"] not in flagged and lacking is not None:
            params = {"value": uzovi, "version": lacking}
            problems.append(_Problem("UZOVI_UNKNOWN", line, label["uzovi"], params))
        if dc not in ("D", "C") and label["dc"] not in flagged:
            params = {"value": dc, "allowed": "D, C"}
            problems.append(_Problem("VEKTIS_VALUE_INVALID", line, label["dc"], params))
        if quantity.isdecimal() and int(quantity) == 0:
            problems.append(_Problem("VEKTIS_QUANTITY_ZERO", line, label["quantity"]))
        if amount.isdecimal() and int(amount) == 0:
            problems.append(_Problem("AMOUNT_ZERO", line, label["amount"]))
        if dc == "C" and not previous.strip():
            label_previous = label["previous_reference"]
            problems.append(_Problem("VEKTIS_CREDIT_WITHOUT_REFERENCE", line, label_previous))
        return problems

    def _check_patient(self, patient: _Patient, line: int) -> None:
        """At its first line: can the invoice be delivered, and is it the same patient as an
        earlier 02 with this patient number (R4: one invoice, addressed from the first)?"""
        patient.checked = True
        self._check_deliverable(patient, line)
        first = self.first_of_patient.setdefault(patient.key, patient)
        if first is patient:
            self._warn_if_minor_without_debtor(patient)
        same = (first.person, first.debtor) == (patient.person, patient.debtor)
        if not same:
            params = {"patient_ref": patient.patient_ref, "first_line": first.line}
            conflict = _Problem("VEKTIS_PATIENT_DATA_CONFLICT", patient.line, None, params)
            patient.problems.append(conflict)

    def _check_deliverable(self, patient: _Patient, line: int) -> None:
        """R7: by e-mail, or by post. Without an 03, postcode and house number must do."""
        addressee = patient.debtor or patient.person
        if addressee.email:
            return
        address = addressee.address
        needed: tuple[str, ...] = ("street", "house_number", "postcode", "city")
        if not patient.has_debtor_record:
            needed = ("house_number", "postcode")
        missing = [key for key in needed if not getattr(address, key)]
        if missing:
            who = _DEBTOR if patient.debtor else _PATIENT
            labels = ", ".join(self._address_label(patient, key) for key in missing)
            params = {"addressee_nl": who[0], "addressee_en": who[1], "missing": labels}
            patient.problems.append(_Problem("NOT_DELIVERABLE", patient.line, None, params))
        elif not patient.has_debtor_record:
            patient_ref = patient.patient_ref or "-"
            self._warn("VEKTIS_POSTCODE_ONLY_ADDRESS", patient.line, None, patient_ref=patient_ref)

    def _warn_if_minor_without_debtor(self, patient: _Patient) -> None:
        """Insurer-bound files have no 03 (vektis.md §1): a child's invoice would go to
        the child at postcode and house number. Invoiced all the same, and said."""
        born = patient.birth_date
        if patient.debtor is None and born is not None and born > self.adults_born_by:
            patient_ref = patient.patient_ref or "-"
            self._warn("VEKTIS_MINOR_WITHOUT_DEBTOR", patient.line, None, patient_ref=patient_ref)

    # --- 98 and credits --------------------------------------------------------------------

    def _check_credits(self) -> set[str]:
        """A credit line in the same file as its debit must fit it (vektis.md §1)."""
        rejected: set[str] = set()
        credited: dict[str, int] = {}
        label = self.treatment.label("previous_reference")
        for claim in self.credits:
            reverses = claim.reverses_claim_ref
            target = self.lines.get(reverses)
            if target is None:
                continue  # a line of an earlier upload: the caller lowers that invoice
            target_line, target_credit, target_patient, target_cents = target
            total = credited[reverses] = credited.get(reverses, 0) - claim.amount_cents
            code = (
                "VEKTIS_CREDIT_OF_CREDIT"
                if target_credit
                else "VEKTIS_CREDIT_OTHER_PATIENT"
                if target_patient != claim.patient_key
                else "VEKTIS_CREDIT_OF_REJECTED_LINE"
                if reverses not in self.accepted
                else "VEKTIS_CREDIT_EXCEEDS_DEBIT"
                if total > target_cents
                else None
            )
            if code:
                rejected.add(claim.claim_ref)
                params = {"reference": reverses, "target_line": target_line}
                problem = _Problem(code, claim.line_number, label, params)
                self._reject(claim.claim_ref, claim.line_number, [problem])
        return rejected

    # --- shared checks -------------------------------------------------------------------

    def _mandatory(self, line: int, text: str, layout: RecordLayout) -> list[_Problem]:
        """Mandatory N fields hold digits, mandatory AN fields are filled (the sheet's M)."""
        if layout.all_mandatory_filled(text):
            return []
        return [
            _Problem(
                "VEKTIS_NOT_NUMERIC" if numeric else "VEKTIS_FIELD_REQUIRED",
                line,
                layout.labels[key],
            )
            for key, numeric in layout.missing_mandatory(text)
        ]

    def _date(
        self, text: str, line: int, layout: RecordLayout, key: str, problems: list[_Problem]
    ) -> date | None:
        """EEJJMMDD, not in the future; each distinct text parsed once, and remembered in
        valid_dates when it is fine."""
        if text in self.valid_dates:
            return self.valid_dates[text]
        parsed = _parse_date(text)
        if parsed is None:
            problems.append(_Problem("VEKTIS_DATE_INVALID", line, layout.label(key)))
        elif parsed > self.today:
            problems.append(_Problem("DATE_IN_FUTURE", line, layout.label(key)))
            return None
        else:
            self.valid_dates[text] = parsed
        return parsed

    def _register_lacking(self, uzovi: str, date_text: str) -> str | None:
        """The version of the register in force on the treatment date when it lacks the
        code (R33: the finding names it); None when the code is in it. Remembered per
        (code, date) once the date is valid, for the common case's one lookup."""
        register = self.insurers.in_force(self.valid_dates.get(date_text, self.today))
        key = (uzovi, register.version)
        if key not in self.known_insurers:
            known = register.is_known(uzovi)
            self.known_insurers[key] = None if known else register.version
        lacking = self.known_insurers[key]
        if date_text in self.valid_dates:
            self.lacking_on[(uzovi, date_text)] = lacking
        return lacking

    def _code(self, code: str, line: int) -> tuple[str, LineType]:
        """Description and line type from the treatment-code table; unknown codes once."""
        known = self.codes.get(code)
        if known is None:
            entry = treatment_codes.lookup(self.standard.care, code)
            if entry is None:
                known = (treatment_codes.UNKNOWN_CODE_DESCRIPTION.format(code=code), LineType.CARE)
                label = self._label("04", "treatment_code")
                self._warn("VEKTIS_CODE_WITHOUT_DESCRIPTION", line, label, value=code)
            else:
                known = (entry.description, entry.line_type)
            self.codes[code] = known
        return known

    def _hold_back(
        self, patient: _Patient, reference: str, line: int, problems: list[_Problem]
    ) -> None:
        """A 04 rejected by its own problems or its patient's. A problem of the 02 is said
        once, on the 02's line, at the patient's first 04 (stop 42's files5 audit: a
        patient with 9 treatments had 9 identical findings); R2 still leaves out each of
        its 04s, counted in that finding (_count_held_back)."""
        if not patient.problems:
            self._reject(reference, line, problems)
            return
        if patient.said_at < 0:
            patient.said_at = len(self.findings)
            self.patients_said.append(patient)
            self._reject(reference, line, patient.problems)
        patient.held_back.append(reference)
        self._reject(reference, line, problems)

    def _count_held_back(self) -> None:
        """The findings of a 02 whose problems held back more than one 04 name how many,
        and which (so the upload's summary counts each rejected 04, ingest)."""
        for patient in self.patients_said:
            if len(patient.held_back) < 2:
                continue
            params = {"held_back": len(patient.held_back), "held_back_refs": patient.held_back}
            end = patient.said_at + len(patient.problems)
            self.findings[patient.said_at : end] = [
                replace(finding, params={**finding.params, **params})
                for finding in self.findings[patient.said_at : end]
            ]

    def _reject(self, claim_ref: str, line: int, problems: list[_Problem]) -> None:
        self.findings.extend(
            Finding(p.code, Severity.CLAIM, p.line, p.field, claim_ref or None, p.params)
            for p in problems
        )

    def _warn(self, code: str, line: int, field: str | None, **params: Any) -> None:
        self.findings.append(Finding(code, Severity.WARNING, line, field, params=params))

    def _label(self, record_type: str, key: str) -> str:
        return self.standard.records[RecordType(record_type)].label(key)

    def _address_label(self, patient: _Patient, key: str) -> str:
        """Where the missing part of the postal address belongs: the 03 if there is one."""
        if patient.has_debtor_record:
            return next(iter(self.standard.debtor_records.values())).label(key)
        return self._label("02", key)


# --- Pure helpers ------------------------------------------------------------------------------


def _attach_comments(claim: Claim, comments: list[str]) -> None:
    """The 98s after a 04: its comments, and a price quote (R6) by our convention."""
    quotes = [c for c in comments if c.lower().startswith(PRICE_QUOTE_PREFIX)]
    claim.comments = tuple(c for c in comments if c not in quotes)
    if quotes:
        claim.price_quote_ref = quotes[-1][len(PRICE_QUOTE_PREFIX) :].strip()


def _parse_date(text: str) -> date | None:
    if not text.isdecimal():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _name(usage: str, last_1: str, prefix_1: str, last_2: str, prefix_2: str) -> tuple[str, str]:
    """(prefix, surname) as the person wants to be addressed, NAAMCODE/NAAMGEBRUIK (03)
    (COD829; unsure: 1 own name, 2 partner's, 3 partner's then own, 4 own then partner's)."""
    last_1, prefix_1, last_2 = last_1.strip(), prefix_1.strip(), last_2.strip()
    if not last_2 or usage not in ("2", "3", "4"):
        return prefix_1, last_1  # the usual case: the own name
    prefix_2 = prefix_2.strip()
    if usage == "2":
        return prefix_2, last_2
    if usage == "3":
        return prefix_2, f"{last_2}-{_joined(prefix_1, last_1)}"
    return prefix_1, f"{last_1}-{_joined(prefix_2, last_2)}"


def _joined(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _house_number(text: str) -> str:
    """'00112' -> '112'; zero or unreadable -> ''. (Latin-1 has no decimal digits but
    0-9: stripping the zeros is what int() would do.)"""
    return text.lstrip("0") if text.isdecimal() else ""
