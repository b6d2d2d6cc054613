"""Dutch health insurers by UZOVI code: a versioned reference table.

A declaration line names the insurer of the treatment's start date by its 4-digit
UZOVI code (interfaces.md §1a). The parser rejects codes it does not know (R2), and
the line rules send materials of VGZ-group labels to the insurer first
(legal-nl.md §6, R6).

SOURCE: the codes below are only those that at least two independent public listings
agreed on (practice-software insurer tables) while this table was written. They are
NOT a copy of the register: before production, check every code against the Vektis
UZOVI register (https://www.vektis.nl, "UZOVI-register") and add the missing insurers
listed in ``NOT_YET_LISTED``. Until then a claim for one of those insurers is rejected
as "unknown insurer", which is the safe failure: the provider sees it in the report.
A new register version is a new TABLE_VERSION with its VALID_FROM date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

TABLE_VERSION = "2026.1"
VALID_FROM = date(2026, 1, 1)


class Group(StrEnum):
    """The concern an insurer belongs to."""

    ACHMEA = "Achmea"
    VGZ = "VGZ"
    CZ = "CZ"
    MENZIS = "Menzis"
    DSW = "DSW"
    ONVZ = "ONVZ"
    ASR = "ASR"
    ZORG_EN_ZEKERHEID = "Zorg en Zekerheid"
    ENO = "Eno"


@dataclass(frozen=True, slots=True)
class Insurer:
    uzovi: str
    name: str
    group: Group
    # Other brand names declared under the same UZOVI code (a label has no code of its own).
    labels: tuple[str, ...] = ()


_INSURERS: tuple[Insurer, ...] = (
    Insurer("3311", "Zilveren Kruis", Group.ACHMEA),
    Insurer("3313", "Interpolis", Group.ACHMEA),
    Insurer("3351", "FBTO", Group.ACHMEA),
    Insurer("3358", "De Friesland", Group.ACHMEA),
    Insurer("7095", "VGZ", Group.VGZ, labels=("Bewuzt",)),
    Insurer("0101", "Univé", Group.VGZ),
    Insurer("0736", "UMC Zorgverzekering", Group.VGZ),
    Insurer("3334", "IZA", Group.VGZ),
    Insurer("3361", "Zekur", Group.VGZ),
    Insurer("3332", "Menzis", Group.MENZIS),
    Insurer("7029", "DSW", Group.DSW),
    Insurer("7037", "Stad Holland", Group.DSW),
    Insurer("3343", "ONVZ", Group.ONVZ, labels=("PNOzorg", "VvAA")),
    Insurer("9018", "a.s.r.", Group.ASR, labels=("De Amersfoortse",)),
    # The code product.md R33 names from CZ's own provider pages; the register as data
    # (issue 14 item 4) brings the group's labels and the sources.
    Insurer("9664", "CZ", Group.CZ),
)

# Insurers still to be added from the Vektis register: the public listings disagreed on
# their codes, so no code is guessed here (label, group).
NOT_YET_LISTED: tuple[tuple[str, Group], ...] = (
    ("OHRA", Group.CZ),
    ("Nationale-Nederlanden", Group.CZ),
    ("Anderzorg", Group.MENZIS),
    ("inTwente", Group.DSW),
    ("Ditzo", Group.ASR),
    ("Zorg en Zekerheid", Group.ZORG_EN_ZEKERHEID),
    ("Salland", Group.ENO),
    ("Zorgdirect", Group.ENO),
    ("Zorgzaam", Group.VGZ),
)

_BY_UZOVI: dict[str, Insurer] = {insurer.uzovi: insurer for insurer in _INSURERS}


def lookup(uzovi: str) -> Insurer | None:
    return _BY_UZOVI.get(uzovi)


def is_known(uzovi: str) -> bool:
    return uzovi in _BY_UZOVI


def is_vgz_group(uzovi: str) -> bool:
    """Materials of VGZ-group labels go to the insurer first (legal-nl.md §6, seed 004)."""
    insurer = _BY_UZOVI.get(uzovi)
    return insurer is not None and insurer.group is Group.VGZ


def all_insurers() -> tuple[Insurer, ...]:
    return _INSURERS
