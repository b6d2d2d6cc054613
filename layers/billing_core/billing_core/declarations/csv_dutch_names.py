"""The Dutch names a practice gives the declaration CSV's columns (R40, R2): a header
renamed to Dutch (Achternaam, Geboortedatum, Bedrag) is refused, not ignored as another
unknown column is (its data would be lost), and its finding says which of the template's columns each such name is most likely
(csv_format._unknown_columns). A hint, never read as that column: which column a name
such as "Datum" or "Naam" holds is the practice's to say.

Imported only when a header has an unknown column, so the ingest's start pays nothing.
"""

from __future__ import annotations

from billing_core.declarations.csv_format import DEBTOR_PREFIX, PERSON_COLUMNS

# The template's column -> the Dutch names practice systems and people give it. The
# debtor's are these with "debiteur" before or after them (debtor_column).
_DUTCH_NAMES = {
    "claim_ref": ("declaratienummer", "declaratieregel", "regelnummer", "referentie", "kenmerk"),
    "patient_ref": ("patientnummer", "patiëntnummer", "patientnr", "patiëntnr", "patnr"),
    "bsn": ("burgerservicenummer", "sofinummer"),
    "birth_date": ("geboortedatum", "geb.datum", "gebdatum"),
    "initials": ("voorletters", "voorletter", "voornaam", "roepnaam"),
    "name_prefix": ("tussenvoegsel", "tussenvoegsels", "voorvoegsel"),
    "last_name": ("achternaam", "naam", "familienaam", "geslachtsnaam"),
    "street": ("straat", "straatnaam", "adres"),
    "house_number": ("huisnummer", "huisnr"),
    "house_number_suffix": ("toevoeging", "huisnummertoevoeging", "huisletter"),
    "city": ("woonplaats", "plaats", "stad"),
    "country": ("land", "landcode"),
    "email": ("e-mail", "e-mailadres", "emailadres", "mail"),
    "mobile": ("mobiel", "mobielnummer", "telefoon", "telefoonnummer", "gsm"),
    "language": ("taal",),
    "insurer_uzovi": ("uzovi", "uzovi-code", "uzovicode", "verzekeraar", "zorgverzekeraar"),
    "policy_number": ("polisnummer", "verzekerdennummer", "inschrijvingsnummer"),
    "treatment_date": ("behandeldatum", "datum", "einddatum", "prestatiedatum"),
    "treatment_start_date": ("begindatum", "startdatum"),
    "treatment_code": ("prestatiecode", "behandelcode", "code"),
    "description": ("omschrijving", "behandeling", "prestatie"),
    "line_type": ("regelsoort", "soort"),
    "quantity": ("aantal",),
    "unit_price": ("bedrag", "prijs", "tarief", "stukprijs", "eenheidsprijs"),
    "price_quote_ref": ("begroting", "begrotingsnummer"),
}
_DEBTOR = "debiteur"


def template_column(name: str) -> str | None:
    """The template's column a Dutch header ``name`` (trimmed, lower case) most likely
    means, or None: "achternaam" last_name, "achternaam debiteur" debtor_last_name."""
    words = name.replace("_", " ").split()
    if _DEBTOR not in words or len(words) == 1:
        return _column_of("".join(words))
    words.remove(_DEBTOR)
    column = _column_of("".join(words)) or "".join(words)
    return DEBTOR_PREFIX + column if column in PERSON_COLUMNS else None


def _column_of(joined: str) -> str | None:
    for column, names in _DUTCH_NAMES.items():
        if joined in names:
            return column
    return None
