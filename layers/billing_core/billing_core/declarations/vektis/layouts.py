"""The Vektis EI layouts zorgnota reads, as tables (vektis.md §2-§4).

One table per record type per standard version; rows are (element number, key, element
name, start, length, type, mandatory), with start and length as on the sheet. Keys are
ours and the same in every version, so the mapping reads "treatment_date" whether it
sits at pos 59 (MZ301, PM304) or elsewhere in a later version.

To support a new version: add its tables here and one ``Standard`` to ``STANDARDS``.
Details vektis.md marks **(unsure)** are marked ``# unsure:`` on their row.

Sources (vektis.md §0): MZ301 v1.3 and MZ302 v1.3 official Vektis sheets; PM304 and
PM305 v3.2 from EiCooker (types taken from MZ301's same-named elements); SB311 from
olmeca/vektor.

Later versions (issue 15): no layout of a later MZ301 or PM304 version was found that
can be trusted, so none is here. The open-source readers carry only these versions
(EiCooker: PM304/PM305 v3.2; olmeca/vektor: MZ301 v1.3, AP304 v7.2, SB311), and
Vektis' own sheets for later versions are not public in the sources searched; Vektis'
validation rules of 2021-2025 show paramedical care declared in the XML Generieke
Declaratiestandaard (berichtcode 573) instead. A file of any other (code, version,
subversion) is refused with the versions that can be read (VEKTIS_STANDARD_UNKNOWN).
"""

from __future__ import annotations

from billing_core.declarations.vektis.layout import (
    FieldType,
    MessageKind,
    RecordLayout,
    RecordType,
    Row,
    Standard,
    extended,
    record,
    replaced,
)

N, AN = FieldType.N, FieldType.AN
M, C = True, False  # mandatory; C stands for conditional, optional and spaces alike
DECLARATION_LENGTH = 310
RETOUR_LENGTH = 370


# --- MZ301 v1.3 (code 176): the official sheet -----------------------------------------

_HEADER_ROWS: tuple[Row, ...] = (
    ("0101", "record_type", "KENMERK RECORD", 1, 2, N, M),
    ("0102", "message_code", "CODE EXTERNE-INTEGRATIEBERICHT", 3, 3, N, M),
    ("0103", "version", "VERSIENUMMER BERICHTSTANDAARD", 6, 2, N, M),
    ("0104", "subversion", "SUBVERSIENUMMER BERICHTSTANDAARD", 8, 2, N, C),
    ("0105", "message_kind", "SOORT BERICHT", 10, 1, AN, M),  # P production, T test (COD856)
    ("0106", "software_code", "CODE INFORMATIESYSTEEM SOFTWARELEVERANCIER", 11, 6, N, C),
    (
        "0107",
        "software_version",
        "VERSIEAANDUIDING INFORMATIESYSTEEM SOFTWARELEVERANCIER",
        17,
        10,
        AN,
        C,
    ),
    ("0108", "uzovi", "UZOVI-NUMMER", 27, 4, N, C),
    ("0109", "agb_service_bureau", "CODE SERVICEBUREAU", 31, 8, N, C),
    ("0110", "agb_provider", "ZORGVERLENERSCODE", 39, 8, N, C),
    ("0111", "agb_practice", "PRAKTIJKCODE", 47, 8, N, C),
    ("0112", "agb_institution", "INSTELLINGSCODE", 55, 8, N, C),
    # unsure: 01 servicebureau, 02 zorgverlener, 03 praktijk, 04 instelling (from memory).
    ("0113", "payee", "IDENTIFICATIECODE BETALING AAN", 63, 2, N, M),
    ("0114", "period_start", "BEGINDATUM DECLARATIEPERIODE", 65, 8, N, M),
    ("0115", "period_end", "EINDDATUM DECLARATIEPERIODE", 73, 8, N, M),
    ("0116", "invoice_number", "FACTUURNUMMER DECLARANT", 81, 12, AN, M),
    ("0117", "invoice_date", "DAGTEKENING FACTUUR", 93, 8, N, M),
    ("0118", "vat_id", "BTW-IDENTIFICATIENUMMER", 101, 14, AN, C),
    ("0119", "currency", "VALUTACODE", 115, 3, AN, M),
    ("0180", "reserve", "RESERVE", 118, 193, AN, C),
)
# Built once: the same 01 in MZ301 and PM304 (vektis.md §3), and the retours' 1-310 (a
# layout built is 0.1% of `import boto3` at the retour import's cold start, #18).
_HEADER = record(
    RecordType.HEADER, "voorlooprecord", "header record", DECLARATION_LENGTH, _HEADER_ROWS
)

_INSURED_ROWS: tuple[Row, ...] = (
    ("0201", "record_type", "KENMERK RECORD", 1, 2, N, M),
    ("0202", "record_id", "IDENTIFICATIE DETAILRECORD", 3, 12, N, M),
    ("0203", "bsn", "BURGERSERVICENUMMER (BSN) VERZEKERDE", 15, 9, N, M),
    ("0204", "uzovi", "UZOVI-NUMMER", 24, 4, N, M),
    (
        "0205",
        "policy_number",
        "VERZEKERDENNUMMER (INSCHRIJVINGSNUMMER, RELATIENUMMER)",
        28,
        15,
        AN,
        C,
    ),
    ("0206", "patient_number", "PATIENT(IDENTIFICATIE)NUMMER", 43, 11, AN, C),
    ("0207", "birth_date", "DATUM GEBOORTE VERZEKERDE", 54, 8, N, M),
    ("0208", "gender", "CODE GESLACHT VERZEKERDE", 62, 1, N, M),
    ("0209", "name_code_1", "NAAMCODE/NAAMGEBRUIK (01)", 63, 1, N, M),
    ("0210", "last_name_1", "NAAM VERZEKERDE (01)", 64, 25, AN, M),
    ("0211", "prefix_1", "VOORVOEGSEL VERZEKERDE (01)", 89, 10, AN, C),
    ("0212", "name_code_2", "NAAMCODE/NAAMGEBRUIK (02)", 99, 1, N, C),
    ("0213", "last_name_2", "NAAM VERZEKERDE (02)", 100, 25, AN, C),
    ("0214", "prefix_2", "VOORVOEGSEL VERZEKERDE (02)", 125, 10, AN, C),
    ("0215", "initials", "VOORLETTERS VERZEKERDE", 135, 6, AN, M),
    ("0216", "name_usage", "NAAMCODE/NAAMGEBRUIK (03)", 141, 1, N, C),  # COD829, 1-4
    ("0217", "postcode", "POSTCODE (HUISADRES) VERZEKERDE", 142, 6, AN, C),
    ("0218", "postcode_abroad", "POSTCODE BUITENLAND", 148, 9, AN, C),
    ("0219", "house_number", "HUISNUMMER (HUISADRES) VERZEKERDE", 157, 5, N, M),
    ("0220", "house_number_suffix", "HUISNUMMERTOEVOEGING (HUISADRES) VERZEKERDE", 162, 6, AN, C),
    ("0221", "country", "CODE LAND VERZEKERDE", 168, 2, AN, C),
    ("0222", "debtor_number", "DEBITEURNUMMER", 170, 11, AN, C),
)

_MZ301_INSURED = record(
    RecordType.INSURED,
    "verzekerdenrecord",
    "insured person record",
    DECLARATION_LENGTH,
    (
        *_INSURED_ROWS,
        ("0223", "deceased", "INDICATIE CLIENT OVERLEDEN", 181, 1, N, M),  # 1 deceased, 2 not
        ("0280", "reserve", "RESERVE", 182, 129, AN, C),
    ),
)

# Positions 1-209 of every 03 (MZ301 v1.3 built-in and SB311 v1.0/v2.0 alike).
_DEBTOR_ROWS: tuple[Row, ...] = (
    ("0301", "record_type", "KENMERK RECORD", 1, 2, N, M),
    ("0302", "record_id", "IDENTIFICATIE DETAILRECORD", 3, 12, N, M),
    ("0303", "debtor_number", "DEBITEURNUMMER", 15, 11, AN, M),
    ("0304", "birth_date", "DATUM GEBOORTE DEBITEUR", 26, 8, N, C),
    ("0305", "gender", "CODE GESLACHT DEBITEUR", 34, 1, N, C),
    ("0306", "name_code_1", "NAAMCODE/NAAMGEBRUIK (01)", 35, 1, N, M),
    ("0307", "last_name_1", "NAAM DEBITEUR (01)", 36, 25, AN, M),
    ("0308", "prefix_1", "VOORVOEGSEL DEBITEUR (01)", 61, 10, AN, C),
    ("0309", "name_code_2", "NAAMCODE/NAAMGEBRUIK (02)", 71, 1, N, C),
    ("0310", "last_name_2", "NAAM DEBITEUR (02)", 72, 25, AN, C),
    ("0311", "prefix_2", "VOORVOEGSEL DEBITEUR (02)", 97, 10, AN, C),
    ("0312", "initials", "VOORLETTERS DEBITEUR", 107, 6, AN, C),
    ("0313", "name_usage", "NAAMCODE/NAAMGEBRUIK (03)", 113, 1, N, M),
    ("0314", "title", "TITULATUUR", 114, 2, N, C),
    ("0315", "street", "STRAATNAAM DEBITEUR", 116, 24, AN, M),
    ("0316", "house_number", "HUISNUMMER (HUISADRES) DEBITEUR", 140, 5, N, M),
    ("0317", "house_number_suffix", "HUISNUMMERTOEVOEGING (HUISADRES) DEBITEUR", 145, 6, AN, C),
    ("0318", "postcode", "POSTCODE (HUISADRES) DEBITEUR", 151, 6, AN, C),
    ("0319", "postcode_abroad", "POSTCODE BUITENLAND", 157, 9, AN, C),
    ("0320", "city", "WOONPLAATSNAAM DEBITEUR", 166, 24, AN, M),
    ("0321", "country", "CODE LAND DEBITEUR", 190, 2, AN, C),
    ("0322", "phone", "TELEFOONNUMMER DEBITEUR", 192, 15, AN, C),
    ("0323", "phone_country", "LANDNUMMER TELEFOON (CODE LAND)", 207, 3, N, C),
)

_MZ301_DEBTOR = record(
    RecordType.DEBTOR,
    "debiteurrecord",
    "debtor record",
    DECLARATION_LENGTH,
    (
        *_DEBTOR_ROWS,
        ("0324", "email", "E-MAILADRES DEBITEUR", 210, 70, AN, C),
        ("0325", "bank_account", "BANKREKENINGNUMMER", 280, 16, N, C),  # pre-IBAN
        ("0326", "relation", "SOORT RELATIE DEBITEUR", 296, 2, N, C),  # COD821; 23 = erven van
        ("0380", "reserve", "RESERVE", 298, 13, AN, C),
    ),
)

_MZ301_TREATMENT = record(
    RecordType.TREATMENT,
    "prestatierecord",
    "treatment record",
    DECLARATION_LENGTH,
    (
        ("0401", "record_type", "KENMERK RECORD", 1, 2, N, M),
        ("0402", "record_id", "IDENTIFICATIE DETAILRECORD", 3, 12, N, M),
        ("0403", "bsn", "BURGERSERVICENUMMER (BSN) VERZEKERDE", 15, 9, N, M),
        ("0404", "uzovi", "UZOVI-NUMMER", 24, 4, N, M),
        (
            "0405",
            "policy_number",
            "VERZEKERDENNUMMER (INSCHRIJVINGSNUMMER, RELATIENUMMER)",
            28,
            15,
            AN,
            C,
        ),
        ("0406", "authorisation", "MACHTIGINGSNUMMER", 43, 15, AN, C),
        ("0407", "forwarding_allowed", "DOORSTUREN TOEGESTAAN", 58, 1, N, M),
        ("0408", "treatment_date", "DATUM PRESTATIE", 59, 8, N, M),
        # unsure: COD853 values (honorarium vs material and technique costs) are not on the
        # sheet, so the line type comes from the treatment-code table, not from here.
        ("0409", "record_kind", "INDICATIE SOORT PRESTATIERECORD", 67, 2, N, M),
        ("0410", "special_dentistry", "INDICATIE BIJZONDERE TANDHEELKUNDE", 69, 1, AN, M),
        ("0411", "special_dentistry_kind", "SOORT BIJZONDERE TANDHEELKUNDE", 70, 3, N, C),
        ("0412", "code_list", "AANDUIDING PRESTATIECODELIJST", 73, 3, N, M),
        ("0413", "treatment_code", "PRESTATIECODE", 76, 6, AN, M),
        ("0414", "jaw", "INDICATIE BOVEN/ONDER TANDHEELKUNDE", 82, 1, N, C),
        ("0415", "tooth", "GEBITSELEMENTCODE", 83, 2, N, C),
        ("0416", "surfaces", "VLAKCODE", 85, 6, AN, C),
        ("0417", "diagnosis_code_list", "AANDUIDING DIAGNOSECODELIJST", 91, 3, N, C),
        ("0418", "diagnosis_code", "DIAGNOSECODE BIJZONDERE TANDHEELKUNDE", 94, 4, N, C),
        ("0419", "accident", "INDICATIE ONGEVAL (ONGEVALSGEVOLG)", 98, 1, AN, C),
        ("0420", "agb_practitioner", "ZORGVERLENERSCODE BEHANDELAAR/UITVOERDER", 99, 8, N, C),
        ("0421", "practitioner_specialism", "SPECIALISME BEHANDELAAR/UITVOERDER", 107, 4, N, C),
        ("0422", "agb_referrer", "ZORGVERLENERSCODE VOORSCHRIJVER/VERWIJZER", 111, 8, N, C),
        ("0423", "referrer_specialism", "SPECIALISME VOORSCHRIJVER/VERWIJZER", 119, 4, N, C),
        ("0424", "unit_price", "TARIEF PRESTATIE (INCL. BTW)", 123, 8, N, M),
        ("0425", "quantity", "AANTAL UITGEVOERDE PRESTATIES", 131, 4, N, M),
        ("0426", "calculated_amount", "BEREKEND BEDRAG (INCL. BTW)", 135, 8, N, M),
        ("0427", "calculated_dc", "INDICATIE DEBET/CREDIT (01)", 143, 1, AN, M),
        ("0428", "reduction_amount", "BEDRAG VERMINDERING BIJZONDERE TANDHEELKUNDE", 144, 8, N, C),
        ("0429", "vat_percentage", "BTW-PERCENTAGE DECLARATIEBEDRAG", 152, 4, N, C),
        ("0430", "amount", "DECLARATIEBEDRAG (INCL. BTW)", 156, 8, N, M),
        ("0431", "dc", "INDICATIE DEBET/CREDIT (02)", 164, 1, AN, M),
        ("0432", "line_reference", "REFERENTIENUMMER DIT PRESTATIERECORD", 165, 20, AN, M),
        (
            "0433",
            "previous_reference",
            "REFERENTIENUMMER VOORGAANDE GERELATEERDE PRESTATIERECORD",
            185,
            20,
            AN,
            C,
        ),
        ("0480", "reserve", "RESERVE", 205, 106, AN, C),
    ),
)

_COMMENT_ROWS: tuple[Row, ...] = (
    ("9801", "record_type", "KENMERK RECORD", 1, 2, N, M),
    ("9802", "record_id", "IDENTIFICATIE DETAILRECORD", 3, 12, N, M),
    ("9803", "comment_line", "REGELNUMMER VRIJE TEKST", 15, 4, N, M),
    ("9804", "comment", "VRIJE TEKST", 19, 140, AN, M),
    ("9880", "reserve", "RESERVE", 159, 152, AN, C),
)

_TRAILER_ROWS: tuple[Row, ...] = (
    ("9901", "record_type", "KENMERK RECORD", 1, 2, N, M),
    ("9902", "count_02", "AANTAL VERZEKERDENRECORDS", 3, 6, N, M),
    ("9903", "count_03", "AANTAL DEBITEURRECORDS", 9, 6, N, C),
    ("9904", "count_04", "AANTAL PRESTATIERECORDS", 15, 6, N, M),
    ("9905", "count_98", "AANTAL COMMENTAARRECORDS", 21, 6, N, C),
    ("9906", "count_detail", "TOTAAL AANTAL DETAILRECORDS", 27, 7, N, M),
    ("9907", "total_amount", "TOTAAL DECLARATIEBEDRAG", 34, 11, N, C),
    ("9908", "total_dc", "INDICATIE DEBET/CREDIT", 45, 1, AN, M),
    ("9980", "reserve", "RESERVE", 46, 265, AN, C),
)

_COMMENT = record(
    RecordType.COMMENT, "commentaarrecord", "comment record", DECLARATION_LENGTH, _COMMENT_ROWS
)
_TRAILER = record(
    RecordType.TRAILER, "sluitrecord", "trailer record", DECLARATION_LENGTH, _TRAILER_ROWS
)


# --- SB311 debtor record 03, v1.0 and v2.0 (vektis.md §4, from olmeca/vektor) ----------

_SB311_V10 = replaced(
    _MZ301_DEBTOR,
    (
        ("0324", "email", "E-MAILADRES DEBITEUR", 210, 50, AN, C),
        ("0325", "iban", "IBAN", 260, 34, AN, C),
        ("0326", "relation", "SOORT RELATIE DEBITEUR", 294, 2, N, C),
        ("0327", "collection_code", "CODE INCASSO", 296, 2, AN, C),
        ("0328", "debtor_record_version", "VERSIENUMMER DEBITEURRECORD", 298, 2, N, M),
        ("0380", "reserve", "RESERVE", 300, 11, AN, C),
    ),
    after="phone_country",
)

_SB311_V20 = replaced(
    _MZ301_DEBTOR,
    (
        ("0324", "email", "E-MAILADRES DEBITEUR", 210, 50, AN, C),
        ("0325", "iban", "IBAN", 260, 34, AN, C),
        ("0326", "relation", "SOORT RELATIE DEBITEUR", 294, 2, N, C),
        ("0327", "collection_code", "CODE INCASSO", 296, 2, AN, C),
        ("0328", "debtor_record_version", "VERSIENUMMER DEBITEURRECORD", 298, 2, N, M),
        ("0329", "mandate_date", "MACHTIGINGSDATUM AUTOMATISCHE INCASSO", 300, 8, N, C),
        # COD655: P = paper, D = digital (Infomedics' SB311 notes; vektis.md had it unsure).
        ("0330", "invoice_form", "FACTURATIEVORM", 308, 1, AN, C),
        # unsure: vektor gives this RESERVE's length as 0/1; 309-310 follows from length 310.
        ("0380", "reserve", "RESERVE", 309, 2, AN, C),
    ),
    after="phone_country",
)

# VERSIENUMMER DEBITEURRECORD (pos 298-299) -> layout. Which SB311 version a standard
# embeds is not established (unsure), so every standard takes both, told apart here.
SB311_BY_VERSION = {"01": _SB311_V10, "02": _SB311_V20}
# MZ301 v1.3's own 03 has RESERVE (spaces) at 298-299.
_BUILT_IN_DEBTOR = "  "


# --- PM304 v3.2 (code 107): EiCooker offsets, MZ301 types (vektis.md §3) --------------
# unsure: EiCooker has no M/C/O; an element is mandatory here when MZ301's same-named
# element is, and PM304's own elements (diagnoses, referral) are conditional.

_PM304_INSURED = record(
    RecordType.INSURED,
    "verzekerdenrecord",
    "insured person record",
    DECLARATION_LENGTH,
    (
        *_INSURED_ROWS,
        # unsure: MZ301 has INDICATIE CLIENT OVERLEDEN at 181; EiCooker's PM304 has RESERVE
        # from 181 and every sample has a space there.
        ("0280", "reserve", "RESERVE", 181, 130, AN, C),
    ),
)

_PM304_TREATMENT = record(
    RecordType.TREATMENT,
    "prestatierecord",
    "treatment record",
    DECLARATION_LENGTH,
    (
        ("", "record_type", "KENMERK RECORD", 1, 2, N, M),
        ("", "record_id", "IDENTIFICATIE DETAILRECORD", 3, 12, N, M),
        ("", "bsn", "BURGERSERVICENUMMER (BSN) VERZEKERDE", 15, 9, N, M),
        ("", "uzovi", "UZOVI-NUMMER", 24, 4, N, M),
        (
            "",
            "policy_number",
            "VERZEKERDENNUMMER (INSCHRIJVINGSNUMMER, RELATIENUMMER)",
            28,
            15,
            AN,
            C,
        ),
        ("", "authorisation", "MACHTIGINGSNUMMER", 43, 15, AN, C),
        ("", "forwarding_allowed", "DOORSTUREN TOEGESTAAN", 58, 1, N, M),
        ("", "treatment_date", "DATUM PRESTATIE", 59, 8, N, M),
        ("", "code_list", "AANDUIDING PRESTATIECODELIJST", 67, 3, N, M),
        ("", "treatment_code", "PRESTATIECODE", 70, 6, AN, M),
        ("", "quantity", "AANTAL UITGEVOERDE PRESTATIES", 76, 4, N, M),
        ("", "accident", "INDICATIE ONGEVAL (ONGEVALSGEVOLG)", 80, 1, AN, C),
        (
            "",
            "diagnosis_code_list_1",
            "AANDUIDING DIAGNOSECODELIJST (01)",
            81,
            3,
            N,
            C,
        ),  # unsure: N?
        (
            "",
            "referral_diagnosis_1",
            "VERWIJSDIAGNOSECODE PARAMEDISCHE HULP (01)",
            84,
            8,
            N,
            C,
        ),  # unsure: N?
        (
            "",
            "diagnosis_code_list_2",
            "AANDUIDING DIAGNOSECODELIJST (02)",
            92,
            3,
            N,
            C,
        ),  # unsure: N?
        (
            "",
            "referral_diagnosis_2",
            "VERWIJSDIAGNOSECODE PARAMEDISCHE HULP (02)",
            95,
            8,
            N,
            C,
        ),  # unsure: N?
        (
            "",
            "diagnosis_code_list_3",
            "AANDUIDING DIAGNOSECODELIJST (03)",
            103,
            3,
            N,
            C,
        ),  # unsure: N?
        ("", "diagnosis_1", "PARAMEDISCHE DIAGNOSECODE (01)", 106, 8, AN, C),  # unsure: AN?
        (
            "",
            "diagnosis_code_list_4",
            "AANDUIDING DIAGNOSECODELIJST (04)",
            114,
            3,
            N,
            C,
        ),  # unsure: N?
        ("", "diagnosis_2", "PARAMEDISCHE DIAGNOSECODE (02)", 117, 8, AN, C),  # unsure: AN?
        (
            "",
            "indication_kind",
            "CODE SOORT INDICATIE PARAMEDISCHE HULP",
            125,
            3,
            N,
            C,
        ),  # unsure: N?
        ("", "agb_practitioner", "ZORGVERLENERSCODE BEHANDELAAR/UITVOERDER", 128, 8, N, C),
        ("", "practitioner_specialism", "SPECIALISME BEHANDELAAR/UITVOERDER", 136, 4, N, C),
        ("", "referral_date", "VERWIJSDATUM", 140, 8, N, C),  # unsure: N?; 00000000 if none
        ("", "agb_referrer", "ZORGVERLENERSCODE VOORSCHRIJVER/VERWIJZER", 148, 8, N, C),
        ("", "referrer_specialism", "SPECIALISME VOORSCHRIJVER/VERWIJZER", 156, 4, N, C),
        ("", "end_of_care_reason", "REDEN EINDE ZORG", 160, 2, N, C),  # unsure: N?
        ("", "unit_price", "TARIEF PRESTATIE (INCL. BTW)", 162, 8, N, M),
        ("", "calculated_amount", "BEREKEND BEDRAG (INCL. BTW)", 170, 8, N, M),
        ("", "calculated_dc", "INDICATIE DEBET/CREDIT (01)", 178, 1, AN, M),
        ("", "vat_percentage", "BTW-PERCENTAGE DECLARATIEBEDRAG", 179, 4, N, C),
        ("", "amount", "DECLARATIEBEDRAG (INCL. BTW)", 183, 8, N, M),
        ("", "dc", "INDICATIE DEBET/CREDIT (02)", 191, 1, AN, M),
        ("", "line_reference", "REFERENTIENUMMER DIT PRESTATIERECORD", 192, 20, AN, M),
        (
            "",
            "previous_reference",
            "REFERENTIENUMMER VOORGAANDE GERELATEERDE PRESTATIERECORD",
            212,
            20,
            AN,
            C,
        ),
        ("", "reserve", "RESERVE", 232, 79, AN, C),
    ),
)


# --- Retour files: the declaration's 1-310 plus the insurer's fields (vektis.md §1) ----
# Positions after 310 from the official MZ302 v1.3 sheet; the real PM305 v3.2 files agree.
# Retourcodes (AN 4) come in threes at every level: the file (01), the patient (02), the
# debtor (03), a comment (98) and a treatment line (04).


def _retour_codes(start: int) -> tuple[Row, ...]:
    return tuple(
        ("", f"retour_code_{n}", f"RETOURCODE ({n:02d})", start + 4 * (n - 1), 4, AN, C)
        for n in (1, 2, 3)
    )


def _retour_record(base: RecordLayout, rows: tuple[Row, ...]) -> RecordLayout:
    """The declaration's record, the insurer's fields, and RESERVE up to 370."""
    end = rows[-1][3] + rows[-1][4]
    reserve = ("", "retour_reserve", "RESERVE", end, RETOUR_LENGTH + 1 - end, AN, C)
    return extended(base, RETOUR_LENGTH, (*rows, reserve))


_RETOUR_HEADER = _retour_record(
    _HEADER,
    (
        ("", "insurer_reference", "REFERENTIENUMMER ZORGVERZEKERAAR", 311, 24, AN, C),
        ("", "retour_date", "DAGTEKENING RETOURBERICHT", 335, 8, N, M),
        *_retour_codes(343),  # about the whole file; '0200' in the real PM305
    ),
)


def _retour_insured(base: RecordLayout) -> RecordLayout:
    return _retour_record(base, _retour_codes(311))  # about the patient


def _retour_treatment(base: RecordLayout) -> RecordLayout:
    return _retour_record(
        base,
        (
            ("", "insurer_amount", "BEREKEND BEDRAG ZORGVERZEKERAAR", 311, 8, N, C),
            ("", "insurer_dc", "INDICATIE DEBET/CREDIT (03)", 319, 1, AN, C),
            # C on the sheet: blank where the insurer did not say (a finding, never a zero).
            ("", "granted_amount", "TOEGEKEND BEDRAG", 320, 8, N, C),
            ("", "granted_dc", "INDICATIE DEBET/CREDIT (04)", 328, 1, AN, C),
            *_retour_codes(329),  # about the line; '0611' in the real PM305
        ),
    )


_RETOUR_COMMENT = _retour_record(_COMMENT, _retour_codes(311))


def _retour_debtor(base: RecordLayout) -> RecordLayout:
    return _retour_record(base, _retour_codes(311))  # about the debtor


# A retour copies the declaration's 03 records too (MZ302 v1.3 sheet), each version with
# its retourcodes at 311-322. Built once for both retour standards: the retour import's
# cold start pays for every layout (issue 18 (d)).
_RETOUR_SB311 = {version: _retour_debtor(base) for version, base in SB311_BY_VERSION.items()}

# The insurer's 99 is its own record: positions 46-57 hold the granted total, where the
# declaration's 99 has RESERVE.
_RETOUR_TRAILER = record(
    RecordType.TRAILER,
    "sluitrecord",
    "trailer record",
    RETOUR_LENGTH,
    (
        *_TRAILER_ROWS[:6],  # the counts
        ("9907", "total_amount", "TOTAAL INGEDIEND DECLARATIEBEDRAG", 34, 11, N, C),
        _TRAILER_ROWS[7],  # its D/C
        ("", "granted_total", "TOTAAL TOEGEKEND BEDRAG", 46, 11, N, C),
        ("", "granted_total_dc", "INDICATIE DEBET/CREDIT (02)", 57, 1, AN, C),
        ("", "retour_reserve", "RESERVE", 58, 313, AN, C),
    ),
)


# --- The standards ------------------------------------------------------------------------

MZ301_V13 = Standard(
    name="MZ301",
    code="176",
    version="01",
    subversion="03",
    kind=MessageKind.DECLARATION,
    care="dental",
    records={
        RecordType.HEADER: _HEADER,
        RecordType.INSURED: _MZ301_INSURED,
        RecordType.TREATMENT: _MZ301_TREATMENT,
        RecordType.COMMENT: _COMMENT,
        RecordType.TRAILER: _TRAILER,
    },
    debtor_records={_BUILT_IN_DEBTOR: _MZ301_DEBTOR, **SB311_BY_VERSION},
)

PM304_V32 = Standard(
    name="PM304",
    code="107",
    version="03",
    subversion="02",
    kind=MessageKind.DECLARATION,
    care="paramedical",
    records={
        RecordType.HEADER: _HEADER,  # the same 01 as MZ301 (vektis.md §3)
        RecordType.INSURED: _PM304_INSURED,
        RecordType.TREATMENT: _PM304_TREATMENT,
        RecordType.COMMENT: _COMMENT,
        RecordType.TRAILER: _TRAILER,
    },
    # EiCooker's PM304 has no 03; the servicebureau route adds SB311 (interfaces.md §1b).
    debtor_records=SB311_BY_VERSION,
)

PM305_V32 = Standard(
    name="PM305",
    code="108",
    version="03",
    subversion="02",
    kind=MessageKind.RETOUR,
    care="paramedical",
    answers="PM304",
    records={
        RecordType.HEADER: _RETOUR_HEADER,
        RecordType.INSURED: _retour_insured(_PM304_INSURED),
        RecordType.TREATMENT: _retour_treatment(_PM304_TREATMENT),
        RecordType.COMMENT: _RETOUR_COMMENT,
        RecordType.TRAILER: _RETOUR_TRAILER,
    },
    debtor_records=_RETOUR_SB311,  # as PM304's
)

MZ302_V13 = Standard(
    name="MZ302",
    code="177",
    version="01",
    subversion="03",
    kind=MessageKind.RETOUR,
    care="dental",
    answers="MZ301",
    records={
        RecordType.HEADER: _RETOUR_HEADER,
        RecordType.INSURED: _retour_insured(_MZ301_INSURED),
        RecordType.TREATMENT: _retour_treatment(_MZ301_TREATMENT),
        RecordType.COMMENT: _RETOUR_COMMENT,
        RecordType.TRAILER: _RETOUR_TRAILER,
    },
    debtor_records={_BUILT_IN_DEBTOR: _retour_debtor(_MZ301_DEBTOR), **_RETOUR_SB311},
)

# CODE EXTERNE-INTEGRATIEBERICHT -> the message it is (vektis.md §0), for a message that
# names the standard of a version we cannot read.
MESSAGE_NAMES = {"176": "MZ301", "107": "PM304", "108": "PM305", "177": "MZ302", "101": "ZH308"}

STANDARDS: dict[tuple[str, str, str], Standard] = {
    standard.key: standard for standard in (MZ301_V13, PM304_V32, PM305_V32, MZ302_V13)
}


def supported(kind: MessageKind) -> str:
    """'MZ301 v1.3, PM304 v3.2': for messages that say what can be read."""
    return ", ".join(s.label for s in STANDARDS.values() if s.kind is kind)
