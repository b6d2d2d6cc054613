"""Treatment codes -> what the patient reads on the invoice, and the line type (R4, R6).

A CSV declaration names each line in words (interfaces.md §1a); a Vektis EI file
carries only the prestatiecode (vektis.md §2-§3). This table gives such a code its
patient-readable description and, for no-show fees and materials, the line type the
line rules need (legal-nl.md §6): Vektis has no element that says "no-show", and the
MZ301 INDICATIE SOORT PRESTATIERECORD code list (COD853) is not established.

SOURCE: the descriptions are the ones the sample practices print (events/declarations/),
NOT the NZa prestatiecodelijsten. Before production, load the NZa lists (mondzorg:
Regeling mondzorg, UPT codes; paramedisch: the insurers' prestatiecodelijsten) as a new
TABLE_VERSION with its VALID_FROM date. A code that is not here is invoiced as
"Prestatiecode <code>" and reported as a warning, never refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from billing_core.declarations.claims import LineType

TABLE_VERSION = "2026.1-samples"
VALID_FROM = date(2026, 1, 1)
UNKNOWN_CODE_DESCRIPTION = "Prestatiecode {code}"


@dataclass(frozen=True, slots=True)
class TreatmentCode:
    """A treatment code we know, its description and the kind of line it makes."""

    code: str
    description: str
    line_type: LineType = LineType.CARE


def _table(*codes: TreatmentCode) -> dict[str, TreatmentCode]:
    return {code.code: code for code in codes}


_TABLES: dict[str, dict[str, TreatmentCode]] = {
    "dental": _table(
        TreatmentCode("C11", "Periodieke controle"),
        TreatmentCode("C13", "Probleemgericht consult"),
        TreatmentCode("C90", "Niet nagekomen afspraak", LineType.NO_SHOW),
        TreatmentCode("M03", "Gebitsreiniging, per 5 minuten"),
        TreatmentCode("M61", "Mondbeschermer op maat (materiaal)", LineType.MATERIAL),
        TreatmentCode("R24", "Kroon op tand (behandelplan)"),
        TreatmentCode("V21", "Vulling, één vlak"),
        TreatmentCode("X10", "Kleine röntgenfoto"),
    ),
    "paramedical": _table(
        TreatmentCode("1000", "Handtherapie, behandeling per 5 minuten"),
        TreatmentCode("1870", "Intake en onderzoek handtherapie"),
        TreatmentCode("1998", "Niet nagekomen afspraak", LineType.NO_SHOW),
        TreatmentCode("4000", "Logopedie, reguliere zitting"),
        TreatmentCode("SPL1", "Spalk op maat (duimspalk)", LineType.MATERIAL),
    ),
}


def lookup(care: str, code: str) -> TreatmentCode | None:
    """The code in the table of this kind of care ("dental", "paramedical"), if known."""
    return _TABLES.get(care, {}).get(code)


def codes(care: str) -> tuple[TreatmentCode, ...]:
    return tuple(_TABLES.get(care, {}).values())
