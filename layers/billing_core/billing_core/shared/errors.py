"""What the patient use cases refuse, in one place, so an API maps them in one place too.

- ``NotFound``: no invoice for this reference, or the birth date does not match. One
  class and one message for both, so an answer never tells a real reference from a
  fake one (R10, interfaces.md §2). Suggested: HTTP 404.
- ``StateConflict``: the invoice's state does not allow it (already deferred, with the
  collection agency, paid). Suggested: HTTP 409.
- ``Refused``: the request breaks a business rule (too many terms, terms too small).
  Suggested: HTTP 422. ``StateConflict`` is a ``Refused``; catch it first.

A wrong check digit is ``reference.InvalidReference`` (HTTP 400), raised before any
database read.

Every refusal carries a stable ``code`` and a sentence in Dutch and in English that a
patient understands.
"""

from __future__ import annotations

from collections.abc import Mapping


class NotFound(LookupError):
    code = "not_found"
    message_nl = "Wij vinden geen nota bij dit betalingskenmerk en deze gegevens."
    message_en = "We cannot find an invoice for this payment reference and these details."

    def __init__(self) -> None:
        # Nothing of the request in the exception: it may end up in a log.
        super().__init__(self.code)


class Refused(Exception):
    def __init__(self, code: str, message_nl: str, message_en: str) -> None:
        super().__init__(code)
        self.code = code
        self.message_nl = message_nl
        self.message_en = message_en

    def message(self, language: str) -> str:
        return self.message_en if language == "en" else self.message_nl


class StateConflict(Refused):
    """Refused because of the invoice's state, not because of what was asked."""


# code -> (Dutch, English, is a state conflict)
REFUSALS: Mapping[str, tuple[str, str, bool]] = {
    "paid": (
        "Deze nota is al betaald.",
        "This invoice has already been paid.",
        True,
    ),
    "with_collection_agency": (
        "Deze nota is overgedragen aan het incassobureau. Neem contact op met het incassobureau.",
        "This invoice has been handed over to the collection agency. Please contact the "
        "collection agency.",
        True,
    ),
    "already_deferred": (
        "U heeft voor deze nota al uitstel van betaling gekregen. Uitstel kan één keer.",
        "You have already had a deferral of payment for this invoice. A deferral is possible once.",
        True,
    ),
    "arrangement_exists": (
        "Voor deze nota is al een betalingsregeling getroffen.",
        "An instalment arrangement has already been made for this invoice.",
        True,
    ),
    "deferral_too_late": (
        "De betaaldatum is al te lang voorbij: uitstel geeft u geen extra tijd meer. "
        "U kunt wel een betalingsregeling treffen.",
        "The payment date passed too long ago: a deferral would give you no extra time. "
        "You can still arrange to pay in instalments.",
        True,
    ),
    "terms_out_of_range": (
        "Een betalingsregeling heeft 2 tot en met 12 maandelijkse termijnen.",
        "An instalment arrangement has 2 to 12 monthly terms.",
        False,
    ),
    "term_too_small": (
        "Met dit aantal termijnen wordt een termijn te klein. Kies minder termijnen.",
        "With this number of terms each term would be too small. Choose fewer terms.",
        False,
    ),
    "amount_too_small": (
        "Het bedrag is te klein voor een betalingsregeling. U kunt wel uitstel van "
        "betaling vragen.",
        "The amount is too small for an instalment arrangement. You can ask for a "
        "deferral of payment instead.",
        False,
    ),
    "statement_already_received": (
        "Voor deze nota hebben wij het overzicht van uw zorgverzekeraar al ontvangen.",
        "We have already received your insurer's statement for this invoice.",
        True,
    ),
    "insurer_contracted": (
        "Uw zorgaanbieder heeft een contract met uw zorgverzekeraar: de vergoeding is al "
        "van deze nota afgetrokken.",
        "Your provider has a contract with your insurer: the reimbursement has already "
        "been deducted from this invoice.",
        True,
    ),
    "statement_above_invoice": (
        "De vergoeding en het ingehouden eigen risico zijn samen hoger dan de nota. "
        "Controleer de bedragen op het overzicht van uw zorgverzekeraar.",
        "The reimbursement and the withheld deductible together are more than the invoice. "
        "Please check the amounts on your insurer's statement.",
        False,
    ),
    "invalid_objection": (
        "Kies een reden, schrijf een bericht van hoogstens 2000 tekens en vul een geldig "
        "e-mailadres in.",
        "Choose a reason, write a message of at most 2000 characters and enter a valid "
        "e-mail address.",
        False,
    ),
    # --- what the practice is refused (provider API) ---
    "not_a_proposal": (
        "Deze actie is geen coulancevoorstel.",
        "This action is not a coulance proposal.",
        False,
    ),
    "hold_out_of_range": (
        "Een nota kan tot hoogstens {max_days} dagen vooruit worden aangehouden.",
        "An invoice can be put on hold for at most {max_days} days ahead.",
        False,
    ),
    "terms_not_accepted": ("Ga akkoord met de voorwaarden.", "Accept the terms.", False),
    "unknown_reason": ("Kies een reden uit de lijst.", "Choose a reason from the list.", False),
    "not_sent": ("De nota is nog niet verstuurd.", "The invoice has not been sent yet.", True),
    "fully_paid": (
        "Deze nota is volledig betaald. Laat eerst het betaalde bedrag terugbetalen; "
        "daarna staat er weer een bedrag open waarop u coulance kunt toepassen.",
        "This invoice has been paid in full. Have the payment refunded first; then an "
        "amount is open again to apply coulance to.",
        True,
    ),
    "invalid_partial_stop": (
        "Geef óf een bedrag óf een percentage (van het oorspronkelijke notabedrag) op.",
        "Give either an amount or a percentage (of the original invoice amount).",
        False,
    ),
    "more_than_open": (
        "Dat is meer dan er nog openstaat ({open_euros} euro).",
        "That is more than is still open ({open_euros} euro).",
        False,
    ),
    "hold_limit_reached": (
        "Een nota kan in totaal hoogstens {max_days} dagen worden aangehouden, verlengingen "
        "meegerekend. Met deze aanhouding zou die grens worden overschreden.",
        "An invoice can be put on hold for at most {max_days} days in total, renewals "
        "included. This hold would go beyond that.",
        False,
    ),
}


def refused(code: str, **values: object) -> Refused:
    """The exception for a refusal code of the catalogue above; ``values`` fill the
    sentence's {placeholders}."""
    message_nl, message_en, conflict = REFUSALS[code]
    kind = StateConflict if conflict else Refused
    return kind(code, message_nl.format(**values), message_en.format(**values))
