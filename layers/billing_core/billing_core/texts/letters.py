"""Every sentence a patient reads, per language: one catalogue for e-mails and PDFs (R9).

Texts are grouped in sections: ``common`` (labels and sentences that e-mails and letters
share), ``email`` (the layout every e-mail shares), ``email.<kind>`` and ``pdf.<kind>``.
A document asks for the sections it uses and gets them in the patient's language only
when that language has all of them; otherwise it gets them in Dutch, so nobody receives
a letter that is half translated. Polish and Arabic are here as empty catalogues until
their texts exist.

Entries are ``str.format`` patterns. They hold no markup: HTML templates escape them
like any other value, and the PDF prints them as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from billing_core.shared.money import format_euros

DEFAULT_LANGUAGE = "nl"
RIGHT_TO_LEFT = frozenset({"ar"})

# Month names written out, not taken from the system locale: Lambda has only C.UTF-8.
MONTHS: Mapping[str, tuple[str, ...]] = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

Section = Mapping[str, str]

CATALOGUE: Mapping[str, Mapping[str, Section]] = {
    "nl": {
        "common": {
            "sender_line": "zorgnota namens {provider}",
            "provider_in_city": "{provider} in {city}",
            "amount_due": "Te betalen",
            "final_payment_date": "Uiterste betaaldatum",
            "reference": "Betalingskenmerk",
            "patient": "Patiënt",
            "birth_date": "Geboortedatum",
            "reimbursement_deducted": (
                "Uw zorgverzekeraar vergoedt {amount} van deze nota. Dat bedrag is al "
                "afgetrokken: u betaalt alleen het deel dat niet wordt vergoed."
            ),
            "pay_online": "Betaal online met iDEAL",
            "more_time": (
                "Meer tijd nodig? Vul in de betaalchecker op {checker_url} uw "
                "betalingskenmerk in. Daar vraagt u eenmalig kosteloos uitstel van "
                "betaling aan of treft u een betalingsregeling."
            ),
            "questions": "Vragen over de behandeling? Neem contact op met {provider}.",
        },
        "email": {
            "automated": (
                "Dit bericht is automatisch verstuurd. zorgnota verstuurt nota's en "
                "ontvangt betalingen in opdracht van zorgverleners."
            ),
        },
        "email.invoice": {
            "subject": "Nota van {provider} - betalingskenmerk {reference}",
            "greeting": "Geachte {name},",
            "intro": "Namens {provider} sturen wij u de nota voor uw behandeling.",
            "intro_for_patient": (
                "Namens {provider} sturen wij u de nota voor de behandeling van {patient}."
            ),
            "request": "Wij vragen u {amount} uiterlijk {date} te betalen.",
            "pay_link_intro": "Betalen kan direct online met iDEAL:",
            "attachment": (
                "In de bijlage (PDF) vindt u de nota met de behandelingen en de gegevens "
                "voor betalen per bankoverschrijving."
            ),
            "closing": "Met vriendelijke groet,",
            "signature": "zorgnota, namens {provider}",
        },
        "pdf.invoice": {
            "title": "Nota",
            "invoice_date": "Notadatum",
            "agb_code": "AGB-code zorgverlener",
            "intro": "Namens {provider} brengen wij de volgende behandelingen in rekening.",
            "col_date": "Datum",
            "col_code": "Code",
            "col_description": "Omschrijving",
            "col_amount": "Bedrag",
            "col_reimbursed": "Vergoed door verzekeraar",
            "col_to_pay": "Te betalen",
            "quantity": "{quantity} × {unit_price}",
            "total": "Totaal",
            "reimbursed_total": "Vergoed door uw zorgverzekeraar",
            "payment_heading": "Zo betaalt u",
            "pay_transfer": (
                "Maak {amount} uiterlijk {date} over naar rekeningnummer {iban} onder "
                "vermelding van betalingskenmerk {reference}."
            ),
            "pay_online_at": (
                "Of betaal online met iDEAL: ga naar {url} en vul uw betalingskenmerk in."
            ),
            "footer": "zorgnota verzorgt de nota's van {provider} (AGB-code {agb}).",
            "page": "Pagina {page} van {pages}",
        },
    },
    "en": {
        "common": {
            "sender_line": "zorgnota on behalf of {provider}",
            "provider_in_city": "{provider} in {city}",
            "amount_due": "Amount to pay",
            "final_payment_date": "Pay by",
            "reference": "Payment reference",
            "patient": "Patient",
            "birth_date": "Date of birth",
            "reimbursement_deducted": (
                "Your health insurer reimburses {amount} of this invoice. That amount has "
                "already been deducted: you only pay the part that is not reimbursed."
            ),
            "pay_online": "Pay online with iDEAL",
            "more_time": (
                "Need more time? Enter your payment reference in the payment checker at "
                "{checker_url}. There you can ask once for a free deferral of payment or "
                "arrange to pay in instalments."
            ),
            "questions": "Questions about the treatment? Please contact {provider}.",
        },
        "email": {
            "automated": (
                "This message was sent automatically. zorgnota sends invoices and "
                "receives payments on behalf of healthcare providers."
            ),
        },
        "email.invoice": {
            "subject": "Invoice from {provider} - payment reference {reference}",
            "greeting": "Dear {name},",
            "intro": "On behalf of {provider} we send you the invoice for your treatment.",
            "intro_for_patient": (
                "On behalf of {provider} we send you the invoice for the treatment of {patient}."
            ),
            "request": "Please pay {amount} no later than {date}.",
            "pay_link_intro": "You can pay online straight away with iDEAL:",
            "attachment": (
                "The attached PDF is the invoice, with the treatments and the details "
                "for paying by bank transfer."
            ),
            "closing": "Kind regards,",
            "signature": "zorgnota, on behalf of {provider}",
        },
        "pdf.invoice": {
            "title": "Invoice",
            "invoice_date": "Invoice date",
            "agb_code": "Provider AGB code",
            "intro": "On behalf of {provider} we invoice the following treatments.",
            "col_date": "Date",
            "col_code": "Code",
            "col_description": "Description",
            "col_amount": "Amount",
            "col_reimbursed": "Reimbursed by insurer",
            "col_to_pay": "To pay",
            "quantity": "{quantity} × {unit_price}",
            "total": "Total",
            "reimbursed_total": "Reimbursed by your health insurer",
            "payment_heading": "How to pay",
            "pay_transfer": (
                "Transfer {amount} no later than {date} to account {iban}, quoting "
                "payment reference {reference}."
            ),
            "pay_online_at": (
                "Or pay online with iDEAL: go to {url} and enter your payment reference."
            ),
            "footer": "zorgnota handles the invoices of {provider} (AGB code {agb}).",
            "page": "Page {page} of {pages}",
        },
    },
    "pl": {},  # R9: Polish once the texts exist; Dutch until then
    "ar": {},  # R9: Arabic once the texts exist (right to left); Dutch until then
}


def register_sections(per_language: Mapping[str, Mapping[str, Section]]) -> None:
    """Add sections kept next to the code that uses them (e.g. the web pages' texts)
    to the one catalogue, so ``texts_for`` and its all-or-Dutch rule serve them too."""
    for language, sections in per_language.items():
        catalogue = CATALOGUE[language]
        assert isinstance(catalogue, dict)
        clash = catalogue.keys() & sections.keys()
        if clash:
            raise ValueError(f"sections defined twice: {sorted(clash)}")
        catalogue.update(sections)


@dataclass(frozen=True, slots=True)
class Texts:
    """The texts of one document in one language, with the language's way of writing
    amounts and dates. Call it with a key and the values its pattern names."""

    language: str
    entries: Mapping[str, str]

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RIGHT_TO_LEFT else "ltr"

    def __call__(self, key: str, /, **values: object) -> str:
        # A missing key or value raises KeyError: a wrong letter must not go out.
        return self.entries[key].format(**values)

    def euros(self, cents: int) -> str:
        return format_euros(cents, self.language)

    def long_date(self, day: date) -> str:
        return long_date(day, self.language)

    def short_date(self, day: date) -> str:
        return short_date(day, self.language)


def texts_for(language: str, sections: Sequence[str]) -> Texts:
    """The given sections in ``language`` if it has them all, else in Dutch."""
    chosen = language if _has_all(language, sections) else DEFAULT_LANGUAGE
    entries: dict[str, str] = {}
    for name in sections:
        section = CATALOGUE[chosen][name]
        clash = entries.keys() & section.keys()
        if clash:
            raise ValueError(f"text keys in more than one section: {sorted(clash)}")
        entries.update(section)
    return Texts(chosen, entries)


def long_date(day: date, language: str) -> str:
    """23 november 2026 / 23 November 2026."""
    months = MONTHS.get(language, MONTHS[DEFAULT_LANGUAGE])
    return f"{day.day} {months[day.month - 1]} {day.year}"


def short_date(day: date, language: str) -> str:
    """For table columns: 23-11-2026 in Dutch; 23 Nov 2026 in English, where 11/23 or
    23/11 would depend on who reads it."""
    if language == "en":
        return f"{day.day} {MONTHS['en'][day.month - 1][:3]} {day.year}"
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def _has_all(language: str, sections: Sequence[str]) -> bool:
    """Complete means: every key the Dutch section has, so no sentence goes missing."""
    catalogue = CATALOGUE.get(language, {})
    return all(
        name in catalogue and catalogue[name].keys() >= CATALOGUE[DEFAULT_LANGUAGE][name].keys()
        for name in sections
    )
