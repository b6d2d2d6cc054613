"""zorgnota's collection account: where patients transfer to (R12), printed on every
invoice and letter with the account holder's name next to the IBAN. Dutch banks check
that name against the IBAN before a transfer goes (the name-number check), so a patient
who types it as printed gets no warning."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CollectionAccount:
    iban: str
    holder: str

    @property
    def grouped_iban(self) -> str:
        return iban_in_groups(self.iban)


def iban_in_groups(iban: str) -> str:
    """NL91ABNA0417164300 -> NL91 ABNA 0417 1643 00, as banks print it."""
    compact = "".join(iban.split()).upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
