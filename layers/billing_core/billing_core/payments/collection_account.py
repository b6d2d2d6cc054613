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


def collection_iban(setting: str) -> str:
    """The ``COLLECTION_IBAN`` setting, compact, once its length, characters and check
    digits are right (python-stdnum). Read where it is used, not at a cold start every
    function pays (issue 18 (d)): a typo in the deploy's CollectionIban parameter, whose
    pattern checks only the shape, made every payout and refund approval a 500 the log
    explained as "an illegal value in one of your input fields" (R34; audit small57), and
    printed an account no transfer reaches on every invoice (R12). The error names the
    setting, never its value."""
    from stdnum import iban

    # The national check digits are skipped: python-stdnum's copy of a national bank
    # register lags behind the banks (providers/provider.py's _iban says more).
    if not iban.is_valid(setting, check_country=False):
        raise RuntimeError(
            "COLLECTION_IBAN is not a valid IBAN (its length, characters or check digits):"
            " set the CollectionIban parameter to the collection account's IBAN"
        )
    return str(iban.compact(setting))


def collection_bic(setting: str) -> str:
    """The ``COLLECTION_BIC`` setting, compact: empty (IBAN-only, the pain.001's DbtrAgt
    then names no BIC, as SEPA allows since 2016), or a BIC of 8 or 11 characters
    (python-stdnum); the error names the setting, never its value (R34; audit small57)."""
    if not setting:
        return ""
    from stdnum import bic

    if not bic.is_valid(setting):
        raise RuntimeError(
            "COLLECTION_BIC is not a valid BIC (8 or 11 characters: bank, country, place,"
            " branch): set it to the collection account's BIC, or leave it empty (IBAN-only)"
        )
    return str(bic.compact(setting))
