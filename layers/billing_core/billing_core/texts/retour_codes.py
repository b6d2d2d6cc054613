"""Vektis retourcodes: what an insurer's retour file says about the file, a patient or a
line (PM305, MZ302; issue 15). Shown in the retour report with the level they stand at.

The table is data: rows of (code, Dutch, English, source). The meanings are worded for a
practice employee from the sources named; an insurer may use codes that are not here,
and those are shown as their number. Sources:

- LIST: the Vektis retourcodelijst as published with OpenEMR's Dutch DBC edition
  (openemr/openemr, sql/DBC_sql_statements/cl_vektis_retcodes.sql, 2008);
- SHEET: the MZ301 v1.3 spec sheet, as quoted in vektis.md §1 (also on the LIST).
"""

from __future__ import annotations

from collections.abc import Mapping

LIST = "Vektis retourcodelijst (OpenEMR NL, cl_vektis_retcodes.sql, 2008)"
SHEET = "MZ301 v1.3 (vektis.md §1); Vektis retourcodelijst"

_ROWS: tuple[tuple[str, str, str, str], ...] = (
    # --- the file as a whole (01, 99) --------------------------------------------------------
    ("0001", "Het bestand is om technische redenen afgekeurd.", "The file was refused for technical reasons.", LIST),
    ("0010", "De berichtcode ontbreekt of klopt niet.", "The message code is missing or wrong.", LIST),
    ("0011", "Het versienummer van de berichtstandaard ontbreekt of klopt niet.", "The version of the message standard is missing or wrong.", LIST),
    ("0014", "De zorgverlenerscode in het voorlooprecord ontbreekt, is onbekend of klopt niet.", "The care provider's AGB code in the header record is missing, unknown or wrong.", LIST),
    ("0016", "De praktijkcode in het voorlooprecord ontbreekt, is onbekend of klopt niet.", "The practice's AGB code in the header record is missing, unknown or wrong.", LIST),
    ("0020", "De begindatum van de declaratieperiode ontbreekt of klopt niet.", "The start of the declaration period is missing or wrong.", LIST),
    ("0021", "De einddatum van de declaratieperiode ontbreekt of klopt niet.", "The end of the declaration period is missing or wrong.", LIST),
    ("0025", "De factuurdatum ontbreekt of bestaat niet.", "The invoice date is missing or not a real date.", LIST),
    ("0030", "Het factuurnummer ontbreekt of is al eerder gebruikt.", "The invoice number is missing or was used before.", LIST),
    ("0150", "Het totaal declaratiebedrag in het sluitrecord ontbreekt of klopt niet.", "The total claimed amount in the trailer record is missing or wrong.", LIST),
    ("0151", "Het aantal verzekerdenrecords in het sluitrecord ontbreekt of klopt niet.", "The number of insured person records in the trailer is missing or wrong.", LIST),
    ("0156", "Het totaal aantal detailrecords in het sluitrecord ontbreekt of klopt niet.", "The total number of detail records in the trailer is missing or wrong.", LIST),
    ("0158", "Het aantal prestatierecords in het sluitrecord ontbreekt of klopt niet.", "The number of treatment records in the trailer is missing or wrong.", LIST),
    ("0200", "Geen opmerking bij dit record.", "No remark on this record.", LIST),
    ("0804", "De lengte van een record klopt niet.", "A record has the wrong length.", SHEET),
    ("8026", "De recordsoorten staan in de verkeerde volgorde.", "The record types are in the wrong order.", LIST),
    ("8061", "De zorgverzekeraar neemt deze standaard of versie niet aan via VECOZO.", "The insurer does not accept this standard or version through VECOZO.", LIST),
    ("8073", "De declaratie is volledig afgewezen.", "The claim was refused in full.", LIST),
    ("8074", "De declaratie is niet in behandeling genomen; neem contact op met de zorgverzekeraar.", "The claim was not taken into processing; contact the insurer.", LIST),
    ("8075", "Een debiteurrecord (03) mag niet in een bestand voor een zorgverzekeraar.", "A debtor record (03) is not allowed in a file for an insurer.", SHEET),
    ("8095", "Een regeleinde zonder record, of een record zonder regeleinde, mag niet.", "A line end without a record, or a record without a line end, is not allowed.", SHEET),
    ("8097", "Het bestand is afgekeurd: volgens afspraak worden alleen volledig goedgekeurde bestanden toegekend.", "The file was refused: by agreement only files approved in full are granted.", LIST),
    # --- the patient (02) ------------------------------------------------------------------------
    ("0300", "Het verzekerdennummer is bij deze zorgverzekeraar onbekend.", "The policy number is unknown at this insurer.", LIST),
    ("0302", "Verzekerdennummer en achternaam horen niet bij elkaar.", "Policy number and surname do not match.", LIST),
    ("0307", "Verzekerdennummer en geboortedatum horen niet bij elkaar.", "Policy number and birth date do not match.", LIST),
    ("0320", "De patiënt is niet verzekerd.", "The patient is not insured.", LIST),
    ("0328", "De patiënt is niet verzekerd wegens overlijden.", "The patient is not insured because of death.", LIST),
    ("0435", "Het BSN van de patiënt ontbreekt of klopt niet.", "The patient's BSN is missing or wrong.", LIST),
    ("0506", "De patiënt was maar een deel van de behandelperiode verzekerd.", "The patient was insured for only part of the treatment period.", LIST),
    ("8004", "BSN en geboortedatum van de patiënt horen niet bij elkaar.", "The patient's BSN and birth date do not match.", LIST),
    ("8005", "BSN en naam van de patiënt horen niet bij elkaar.", "The patient's BSN and name do not match.", LIST),
    # --- one treatment line (04) -----------------------------------------------------------------
    ("0550", "Het machtigingsnummer ontbreekt of klopt niet.", "The authorisation number is missing or wrong.", LIST),
    ("0551", "Er is geen machtiging afgegeven.", "No authorisation was given.", LIST),
    ("0553", "De prestatie valt buiten de periode van de machtiging.", "The treatment falls outside the authorised period.", LIST),
    ("0581", "De aanduiding van de prestatiecodelijst ontbreekt of klopt niet.", "The treatment code list is missing or wrong.", LIST),
    ("0582", "De prestatiecode ontbreekt of bestaat niet.", "The treatment code is missing or does not exist.", LIST),
    ("0584", "Het maximum aantal prestaties of de maximale tijd is overschreden.", "The maximum number of treatments or the maximum time is exceeded.", LIST),
    ("0586", "De declaratie is te laat ingediend.", "The claim was submitted too late.", LIST),
    ("0587", "De prestatie is al eerder gedeclareerd of vergoed, mogelijk aan een ander.", "The treatment was claimed or paid before, possibly to someone else.", LIST),
    ("0611", "Het tarief ontbreekt of past niet bij de landelijke of contractafspraken.", "The rate is missing or does not match the national or contract rates.", LIST),
    ("0613", "De prestatie wordt volgens de polisvoorwaarden niet (volledig) vergoed.", "Under the policy terms the treatment is not (fully) covered.", LIST),
    ("0631", "De indicatie debet/credit ontbreekt of klopt niet.", "The debit/credit indicator is missing or wrong.", LIST),
    ("0638", "Het aantal uitgevoerde prestaties ontbreekt of klopt niet.", "The number of treatments performed is missing or wrong.", LIST),
    ("0651", "De referentie van de gerelateerde prestatie ontbreekt of klopt niet.", "The reference of the related treatment line is missing or wrong.", LIST),
    ("8001", "De declaratie is volledig toegewezen.", "The claim was granted in full.", LIST),
    ("8002", "Dit record is niet beoordeeld, omdat een bijbehorend record is afgekeurd.", "This record was not assessed because a related record was refused.", LIST),
    ("8017", "Van deze creditregel is geen debetregel bekend.", "No debit line is known for this credit line.", LIST),
    ("8021", "De regelreferentie ontbreekt of is al eerder aangeleverd.", "The line reference is missing or was sent before.", LIST),
    ("8059", "Er wordt een ander berekend bedrag toegekend.", "A different calculated amount is granted.", LIST),
    ("8072", "De prestatie is afgewezen; neem voor meer informatie contact op met de zorgverzekeraar.", "The treatment was refused; contact the insurer for more information.", LIST),
    ("8084", "Deze debetregel is al eerder gecrediteerd.", "This debit line was credited before.", LIST),
    ("8096", "De prestatie was goedgekeurd, maar is afgewezen omdat het hele bestand is afgekeurd.", "The treatment was approved, but refused because the whole file was refused.", LIST),
)  # fmt: skip

# code -> (Dutch, English, source)
RETOUR_CODES: Mapping[str, tuple[str, str, str]] = {row[0]: row[1:] for row in _ROWS}


# The codes that say the insurer did not assess the claims they stand on (on the file, a
# patient or a line): the file was refused, the claim not taken into processing, or the
# line refused because a related record or the whole file was. The granted amount beside
# them (often zero) is no answer about the care, so a retour applies none of it (R5).
NOT_ASSESSED: frozenset[str] = frozenset({"0001", "8002", "8061", "8074", "8096", "8097"})


def meaning(code: str) -> tuple[str, str] | None:
    """(Dutch, English), or None: the insurer used a code that is not in the table."""
    known = RETOUR_CODES.get(code)
    return (known[0], known[1]) if known else None
