"""The processing report of one declaration upload (R1, R2).

Every problem is a ``Finding`` with a stable code, the line number and field, and a
message in Dutch and English from ``MESSAGES``. Structural findings reject the whole
file; content findings reject one claim; warnings reject nothing.
"""

from __future__ import annotations

# Aliased: the Finding attribute named ``field`` would shadow dataclasses.field in the class body.
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    FILE = "file_rejected"  # structural (R2): nothing in the file is processed
    CLAIM = "claim_rejected"  # content (R2): only this claim is left out
    WARNING = "warning"  # the invoice is still sent (e.g. R6 missing price quote)


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # every claim became (part of) an invoice or an insurer claim
    PARTIALLY_ACCEPTED = "partially_accepted"
    REJECTED = "rejected"  # nothing processed: see file findings, or every claim was rejected
    ALREADY_PROCESSED = "already_processed"  # every claim was known from an earlier upload (R3)


# code -> (Dutch, English). Texts for a practice employee, not a programmer; {params} filled in.
# They never quote a BSN, name, address or e-mail address: the report is stored and logged.
MESSAGES: dict[str, tuple[str, str]] = {
    # --- Structural: the whole file is rejected (R2) ---
    "FILE_EMPTY": (
        "Het bestand is leeg. Maak de export uit uw praktijksysteem opnieuw en upload die.",
        "The file is empty. Export it from your practice software again and upload it.",
    ),
    "FILE_HEADER_ONLY": (
        "Het bestand bevat alleen de kopregel en geen declaratieregels.",
        "The file contains only the header row and no treatment lines.",
    ),
    "FILE_NOT_UTF8": (
        (
            "Het bestand is geen UTF-8-tekst: regel {line} (byte {offset}) bevat een teken dat niet"
            " gelezen kan worden. Sla het bestand op als 'CSV UTF-8' en upload het opnieuw."
        ),
        (
            "The file is not UTF-8 text: line {line} (byte {offset}) contains a character that"
            " cannot be read. Save the file as 'CSV UTF-8' and upload it again."
        ),
    ),
    "FILE_WRONG_DELIMITER": (
        (
            "De kolommen in de kopregel zijn gescheiden door {separator_nl} in plaats van een"
            " puntkomma (;). Sla het bestand op met de puntkomma als scheidingsteken."
        ),
        (
            "The columns in the header row are separated by {separator_en} instead of a semicolon"
            " (;). Save the file with the semicolon as the separator."
        ),
    ),
    "FILE_MISSING_COLUMNS": (
        "Verplichte kolom(men) ontbreken in de kopregel: {columns}.",
        "Required column(s) missing from the header row: {columns}.",
    ),
    "FILE_UNKNOWN_COLUMNS": (
        (
            "Onbekende kolom(men) in de kopregel: {columns_nl}. Controleer de spelling van de"
            " kolomnamen."
        ),
        (
            "Unknown column(s) in the header row: {columns_en}. Check the spelling of the column"
            " names."
        ),
    ),
    "FILE_DUPLICATE_COLUMNS": (
        "Deze kolom(men) staan meer dan eens in de kopregel: {columns}.",
        "These column(s) appear more than once in the header row: {columns}.",
    ),
    "FILE_EMPTY_COLUMN_NAME": (
        "Kolom {position} in de kopregel heeft geen naam.",
        "Column {position} in the header row has no name.",
    ),
    "FILE_FIELD_COUNT": (
        (
            "Regel {line} heeft {found} velden, de kopregel heeft er {expected}. Meestal staat er"
            ' een puntkomma (;) of een aanhalingsteken (") in een tekstveld.'
        ),
        (
            "Line {line} has {found} fields, the header row has {expected}. This usually means a"
            ' semicolon (;) or a quote (") inside a text field.'
        ),
    ),
    "FILE_MORE_ROW_ERRORS": (
        "Nog {count} andere regels hebben hetzelfde probleem.",
        "{count} more lines have the same problem.",
    ),
    "FILE_UNREADABLE": (
        (
            "Regel {line} kan niet als CSV gelezen worden, waarschijnlijk door een aanhalingsteken"
            ' (") dat niet wordt afgesloten.'
        ),
        (
            'Line {line} cannot be read as CSV, probably because of a quote (") that is never'
            " closed."
        ),
    ),
    "FILE_TOO_MANY_LINES": (
        (
            "Het bestand heeft {lines} declaratieregels; het maximum is {max_lines}. Splits het"
            " bestand in kleinere bestanden en upload die apart."
        ),
        (
            "The file has {lines} treatment lines; the maximum is {max_lines}. Split it into"
            " smaller files and upload them separately."
        ),
    ),
    "UNKNOWN_PROVIDER": (
        (
            "Dit bestand is geüpload voor een onbekende zorgaanbieder ({provider}) en is niet"
            " verwerkt."
        ),
        "This file was uploaded for an unknown provider ({provider}) and was not processed.",
    ),
    # --- Content: only this claim is rejected (R2) ---
    "FIELD_REQUIRED": (
        "Regel {line}: het verplichte veld {field} is leeg.",
        "Line {line}: the required field {field} is empty.",
    ),
    "BSN_INVALID": (
        (
            "Regel {line}: het BSN (laatste cijfers {last_digits}) is ongeldig: het heeft geen 9"
            " cijfers of voldoet niet aan de 11-proef."
        ),
        (
            "Line {line}: the BSN (last digits {last_digits}) is invalid: it does not have 9 digits"
            " or fails the 11-proof check."
        ),
    ),
    "UZOVI_UNKNOWN": (
        (
            "Regel {line}: {value} in {field} is geen bekende UZOVI-code. Gebruik de 4-cijferige"
            " code van de zorgverzekeraar op de (begin)datum van de behandeling."
        ),
        (
            "Line {line}: {value} in {field} is not a known UZOVI code. Use the 4-digit code of the"
            " patient's insurer on the treatment's (start) date."
        ),
    ),
    "AMOUNT_INVALID": (
        (
            "Regel {line}: {value} in {field} is geen bedrag. Schrijf bijvoorbeeld 45,00 of 45.00,"
            " zonder euroteken of duizendtalscheiding."
        ),
        (
            "Line {line}: {value} in {field} is not an amount. Write e.g. 45,00 or 45.00, without a"
            " euro sign or thousands separator."
        ),
    ),
    "AMOUNT_ZERO": (
        "Regel {line}: het bedrag is 0; een regel zonder bedrag kan niet gefactureerd worden.",
        "Line {line}: the amount is 0; a line without an amount cannot be invoiced.",
    ),
    "QUANTITY_INVALID": (
        (
            "Regel {line}: het aantal {value} is geen heel getal van 1 tot en met {maximum}. Een"
            " creditregel heeft een positief aantal en een negatieve prijs."
        ),
        (
            "Line {line}: the quantity {value} is not a whole number from 1 to {maximum}. A credit"
            " line has a positive quantity and a negative price."
        ),
    ),
    "DATE_INVALID": (
        (
            "Regel {line}: de datum in {field} is ongeldig. Schrijf de datum als JJJJ-MM-DD,"
            " bijvoorbeeld 2026-11-03."
        ),
        (
            "Line {line}: the date in {field} is invalid. Write dates as YYYY-MM-DD, e.g."
            " 2026-11-03."
        ),
    ),
    "DATE_IN_FUTURE": (
        "Regel {line}: de datum in {field} ligt in de toekomst.",
        "Line {line}: the date in {field} is in the future.",
    ),
    "START_AFTER_END": (
        (
            "Regel {line}: de begindatum (treatment_start_date) ligt na de behandeldatum"
            " (treatment_date)."
        ),
        (
            "Line {line}: the start date (treatment_start_date) is after the treatment date"
            " (treatment_date)."
        ),
    ),
    "CLAIM_REF_DUPLICATE": (
        (
            "Regel {line}: de regelreferentie {claim_ref} staat ook op regel {first_line}; alleen"
            " regel {first_line} wordt verwerkt."
        ),
        (
            "Line {line}: the line reference {claim_ref} is also used on line {first_line}; only"
            " line {first_line} is processed."
        ),
    ),
    "EMAIL_INVALID": (
        "Regel {line}: het e-mailadres in {field} is ongeldig.",
        "Line {line}: the e-mail address in {field} is invalid.",
    ),
    "POSTCODE_INVALID": (
        (
            "Regel {line}: de postcode in {field} is geen geldige Nederlandse postcode (zoals"
            " 1234 AB)."
        ),
        "Line {line}: the postcode in {field} is not a valid Dutch postcode (like 1234 AB).",
    ),
    "COUNTRY_INVALID": (
        "Regel {line}: {field} moet een landcode van twee letters zijn, zoals NL of BE.",
        "Line {line}: {field} must be a two-letter country code, like NL or BE.",
    ),
    "LANGUAGE_UNKNOWN": (
        (
            "Regel {line}: taal {value} in {field} wordt niet ondersteund; kies nl, en, pl of ar"
            " (leeg betekent nl)."
        ),
        (
            "Line {line}: language {value} in {field} is not supported; use nl, en, pl or ar (empty"
            " means nl)."
        ),
    ),
    "LINE_TYPE_UNKNOWN": (
        (
            "Regel {line}: regelsoort {value} is onbekend; kies care, no_show of material (leeg"
            " betekent care)."
        ),
        (
            "Line {line}: line type {value} is unknown; use care, no_show or material (empty means"
            " care)."
        ),
    ),
    "NOT_DELIVERABLE": (
        (
            "Regel {line}: de factuur kan niet bezorgd worden: {addressee_nl} heeft geen"
            " e-mailadres en het postadres is onvolledig (ontbreekt: {missing})."
        ),
        (
            "Line {line}: the invoice cannot be delivered: {addressee_en} has no e-mail address and"
            " the postal address is incomplete (missing: {missing})."
        ),
    ),
    "DEBTOR_INCOMPLETE": (
        (
            "Regel {line}: er zijn debiteurgegevens (debtor_) ingevuld maar debtor_last_name is"
            " leeg. Vul de naam van de betaler in, of laat alle debtor_-kolommen leeg."
        ),
        (
            "Line {line}: debtor details (debtor_) are filled in but debtor_last_name is empty."
            " Fill in the payer's name, or leave all debtor_ columns empty."
        ),
    ),
    "PATIENT_DATA_CONFLICT": (
        (
            "Regel {line}: {field} van patiënt {patient_ref} wijkt af van regel {first_line}. Eén"
            " patiënt krijgt één factuur; corrigeer de patiëntgegevens zodat de factuur niet"
            " naar een verkeerd adres gaat."
        ),
        (
            "Line {line}: {field} of patient {patient_ref} differs from line {first_line}. One"
            " patient gets one invoice; correct the patient's details so that it cannot go to the"
            " wrong address."
        ),
    ),
    "NOTHING_TO_INVOICE": (
        (
            "Regel {line}: de creditregels van deze patiënt zijn even hoog als of hoger dan de"
            " overige regels; er is niets te factureren."
        ),
        (
            "Line {line}: this patient's credit lines equal or exceed the other lines; there is"
            " nothing to invoice."
        ),
    ),
    # --- Warnings: the claim is processed ---
    "MINOR_WITHOUT_DEBTOR": (
        (
            "Regel {line}: patiënt {patient_ref} is minderjarig en er is geen ouder of voogd"
            " (debtor_) ingevuld; de factuur wordt aan de patiënt zelf gericht."
        ),
        (
            "Line {line}: patient {patient_ref} is a minor and no parent or guardian (debtor_) is"
            " filled in; the invoice will be addressed to the patient."
        ),
    ),
    "PRICE_QUOTE_MISSING": (
        (
            "Regel {line}: het behandelplan is hoger dan € 250 en er is geen begroting"
            " (price_quote_ref) vastgelegd. De factuur is wel verstuurd."
        ),
        (
            "Line {line}: the treatment plan exceeds €250 and no price quote (price_quote_ref) is"
            " recorded. The invoice was sent anyway."
        ),
    ),
    "CLAIM_ALREADY_PROCESSED": (
        (
            "Regel {line}: deze regel is al verwerkt bij declaratie {declaration_id} en wordt niet"
            " opnieuw gefactureerd."
        ),
        (
            "Line {line}: this line was already processed with declaration {declaration_id} and is"
            " not invoiced again."
        ),
    ),
}


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    line: int | None = None  # 1-based line in the file; the header is line 1
    field: str | None = None
    claim_ref: str | None = None
    params: dict[str, Any] = dataclass_field(default_factory=dict)

    def message(self, language: str = "nl") -> str:
        dutch, english = MESSAGES[self.code]
        template = english if language == "en" else dutch
        return template.format(line=self.line, field=self.field, **self.params)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "line": self.line,
            "field": self.field,
            "claim_ref": self.claim_ref,
            "message": self.message("nl"),
            "message_en": self.message("en"),
        }
