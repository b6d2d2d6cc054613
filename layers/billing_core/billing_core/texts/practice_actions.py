"""What an open action asks of the practice (R23), in Dutch and English.

{placeholders} are filled in by the use case that opens the action.
"""

from __future__ import annotations

# A patient under 18 without a debtor: the invoice went to the child (CSV without the
# debtor_ columns, or a Vektis file without an 03, as insurer-bound files are).
MINOR_WITHOUT_DEBTOR = (
    (
        "Patiënt {patient_ref} is minderjarig en de nota met betalingskenmerk {kenmerk} is aan"
        " de patiënt zelf gericht. Stuur ons de naam en het adres van een ouder of voogd: in"
        " een Vektis-bestand met een SB311-debiteurrecord (03) direct na het"
        " verzekerdenrecord, of in een CSV-bestand in de kolommen debtor_initials,"
        " debtor_last_name, debtor_street, debtor_house_number, debtor_postcode en"
        " debtor_city (debtor_email voor een digitale nota)."
    ),
    (
        "Patient {patient_ref} is a minor and the invoice with payment reference {kenmerk} is"
        " addressed to the patient. Send us the name and address of a parent or guardian: in a"
        " Vektis file as an SB311 debtor record (03) right after the insured person record, or"
        " in a CSV file in the columns debtor_initials, debtor_last_name, debtor_street,"
        " debtor_house_number, debtor_postcode and debtor_city (debtor_email for a digital"
        " invoice)."
    ),
)
