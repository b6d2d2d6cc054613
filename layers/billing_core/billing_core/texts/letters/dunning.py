"""Texts of the dunning letters (R19, legal-nl.md §2): the 14-day reminder and the second
notice.

The sentences of a letter live in its ``email.<kind>`` section and the paper letter (the
PDF, also attached to the e-mail) loads that same section plus ``pdf.<kind>`` for its
labels: what the law asks a reminder to state (amount, term, collection costs) is
written once, so the e-mail and the letter cannot say different things.

Keys must not repeat those of the ``common`` and ``email`` sections, which every e-mail
also loads, nor each other's between ``email.<kind>`` and ``pdf.<kind>``.
"""

from __future__ import annotations

from billing_core.texts.catalogue import Section, Sections

# How to pay: the same in the reminder and the second notice.
_DUTCH_HOW_TO_PAY: Section = {
    "how_heading": "Zo betaalt u",
    "pay_link_intro": "Betalen kan direct online met iDEAL:",
    "pay_links_intro": "Betaal online met iDEAL, per nota:",
    "pay_transfer": (
        "Of maak {amount} over naar rekeningnummer {iban} ten name van {holder}, onder "
        "vermelding van "
        "betalingskenmerk {reference}."
    ),
    "pay_transfer_several": (
        "Of maak het bedrag van elke nota apart over naar rekeningnummer {iban} ten name van "
        "{holder}, onder "
        "vermelding van het betalingskenmerk van die nota. Zo weten wij welke nota u betaalt."
    ),
    "arrangement": (
        "Kunt u niet in één keer betalen? Vul dan in de betaalchecker op {checker_url} uw "
        "betalingskenmerk in en tref uiterlijk op {date} een betalingsregeling."
    ),
    # R15: instead, when the checker would refuse one (made and cancelled, or too small).
    "arrangement_via_practice": (
        "Kunt u niet in één keer betalen? Neem dan uiterlijk op {date} contact op met {provider}."
    ),
}

DUTCH: Sections = {
    "email.dunning_reminder": {
        "subject": (
            "Herinnering: nota van {provider} nog niet betaald - betalingskenmerk {reference}"
        ),
        "subject_several": "Herinnering: {count} nota's van {provider} nog niet betaald",
        "greeting": "Geachte {name},",
        "intro": (
            "Volgens onze administratie is de nota van {provider} nog niet (volledig) "
            "betaald. De uiterste betaaldatum is verstreken."
        ),
        "intro_several": (
            "Volgens onze administratie zijn deze {count} nota's van {provider} nog niet "
            "(volledig) betaald. De uiterste betaaldatum is verstreken."
        ),
        "col_reference": "Betalingskenmerk",
        "col_invoice_date": "Notadatum",
        "col_due": "Openstaand",
        # R15: the fee of a cancelled arrangement still owed, its own line under the invoice
        "fee_line": "Kosten betalingsregeling",
        "total_due": "Totaal te betalen",
        # art. 6:96 lid 6 BW: the amount, the term (the phrase and the computed date).
        "request": "Wij vragen u {amount} te betalen {term}, dat is uiterlijk op {date}.",
        # art. 6:96 lid 6 BW: the concrete collection costs if the term passes.
        "costs": (
            "Betaalt u niet binnen deze termijn, dan bent u daarnaast {costs} aan "
            "buitengerechtelijke incassokosten verschuldigd (art. 6:96 BW, berekend volgens "
            "de wettelijke staffel over de openstaande hoofdsom)."
        ),
        "interest": (
            "Ook brengen wij dan de wettelijke rente (art. 6:119 BW) in rekening, gerekend "
            "vanaf {date}: de eerste dag van verzuim."
        ),
        "interest_each": (
            "Ook brengen wij dan de wettelijke rente (art. 6:119 BW) in rekening, per nota "
            "gerekend vanaf de eerste dag van verzuim: {dates}."
        ),
        "interest_each_item": "{reference} vanaf {date}",
        **_DUTCH_HOW_TO_PAY,
        "already_paid": (
            "Heeft u inmiddels betaald? Dan kunt u deze herinnering als niet verzonden beschouwen."
        ),
        "attachment": "In de bijlage (PDF) vindt u deze herinnering als brief.",
        "closing": "Met vriendelijke groet,",
        "signature": "zorgnota, namens {provider}",
    },
    "pdf.dunning_reminder": {
        "title": "Betalingsherinnering",
        "file_name": "herinnering-{reference}.pdf",
        "letter_date": "Datum",
        "pay_by": "Betaal uiterlijk",
        "pay_online_at": ("Betaal online met iDEAL: ga naar {url} en vul het betalingskenmerk in."),
        "footer": "zorgnota verzorgt de nota's van {provider} (AGB-code {agb}).",
        "page": "Pagina {page} van {pages}",
    },
    "email.second_notice": {
        "subject": "Laatste aanmaning: nota van {provider} - betalingskenmerk {reference}",
        "subject_several": "Laatste aanmaning: {count} nota's van {provider}",
        "greeting": "Geachte {name},",
        "intro": (
            "Op {date} stuurden wij u een herinnering voor de nota van {provider}. De termijn "
            "daarvan is op {final_date} verstreken zonder dat wij uw betaling (volledig) "
            "hebben ontvangen."
        ),
        "intro_several": (
            "Op {date} stuurden wij u een herinnering voor {count} nota's van {provider}. De "
            "termijn daarvan is op {final_date} verstreken zonder dat wij uw betaling "
            "(volledig) hebben ontvangen."
        ),
        "now_due": (
            "Daarom bent u nu ook de aangekondigde buitengerechtelijke incassokosten (art. "
            "6:96 BW) en de wettelijke rente (art. 6:119 BW) verschuldigd. U betaalt nu:"
        ),
        # Instead, when the letter's costs are lower than the reminder announced: a part
        # payment in its term (legal-nl.md §2-§3, now_due_key).
        "now_due_costs_at_term": (
            "Daarom bent u nu ook buitengerechtelijke incassokosten (art. 6:96 BW) verschuldigd "
            "over het bedrag dat bij het verstrijken van de termijn nog openstond, en de "
            "wettelijke rente (art. 6:119 BW). U betaalt nu:"
        ),
        # Instead, when the letter's costs are € 0,00: the principal open when the term
        # expired was nil (a payment in it returned later; legal-nl.md §2-§3).
        "now_due_interest": (
            "Daarom bent u nu ook de wettelijke rente (art. 6:119 BW) verschuldigd. U betaalt nu:"
        ),
        # Instead, when its costs and its interest are both € 0,00: nothing more is owed
        # than what was open (now_due_key).
        "now_due_open": "Daarom staat er nog een bedrag open. U betaalt nu:",
        "col_reference": "Betalingskenmerk",
        "col_principal": "Hoofdsom",
        "col_costs": "Incassokosten",
        "col_fee": "Kosten betalingsregeling",  # R15: not collection costs (legal-nl.md §2)
        "col_interest": "Rente",
        "col_total": "Totaal",
        "total_due": "Totaal te betalen",
        # Under the amounts when some of the costs the notice charged (their column) are paid
        # by now: a notice rendered again after a payment (a retry, R38) asks what is open.
        "costs_paid_note": (
            "Van de incassokosten ({charged}) is {paid} al betaald; het totaal telt alleen "
            "wat nog openstaat."
        ),
        # Instead of paid, what of them a stop forgave (R21) before the notice was rendered
        # again: a forgiven part is no payment (costs_paid_note says what was paid).
        "costs_forgiven_note": (
            "Van de incassokosten ({charged}) is {forgiven} kwijtgescholden; het totaal telt "
            "alleen wat nog openstaat."
        ),
        "interest_note": (
            "De wettelijke rente is berekend tot en met {date}. Zij loopt door tot de dag "
            "waarop wij uw betaling ontvangen; het actuele bedrag ziet u in de betaalchecker."
        ),
        # Instead, when no principal is open (paid, or forgiven by a stop, R21) and some
        # interest is: it runs on the principal only, so it no longer grows (legal-nl.md §4).
        "interest_note_stopped": (
            "De wettelijke rente is berekend tot en met {date}. Er staat geen hoofdsom meer "
            "open, dus er komt geen rente meer bij."
        ),
        # Instead, when the interest is € 0,00 (a few days on a small principal round to
        # nothing): no column of € 0,00; it does run on the open principal (legal-nl.md §4).
        "interest_note_none": (
            "Tot en met {date} staat er geen wettelijke rente open. Over de openstaande "
            "hoofdsom loopt zij wel door tot de dag waarop wij uw betaling ontvangen; het "
            "actuele bedrag ziet u in de betaalchecker."
        ),
        "request": (
            "Wij vragen u {amount} te betalen. Zorg dat wij uw betaling uiterlijk op {date} "
            "hebben ontvangen."
        ),
        "handover": (
            "Hebben wij dan niet alles ontvangen, dan dragen wij de vordering op {date} over "
            "aan een incassobureau, dat haar daarna namens {provider} int. Verdere kosten "
            "kunnen dan alleen bijkomen voor zover de wet dat toestaat."
        ),
        **_DUTCH_HOW_TO_PAY,
        "already_paid": (
            "Heeft u inmiddels betaald? Dan kunt u deze brief als niet verzonden beschouwen."
        ),
        "attachment": "In de bijlage (PDF) vindt u deze aanmaning als brief.",
        "closing": "Met vriendelijke groet,",
        "signature": "zorgnota, namens {provider}",
    },
    "pdf.second_notice": {
        "title": "Laatste aanmaning",
        "file_name": "aanmaning-{reference}.pdf",
        "letter_date": "Datum",
        "pay_by": "Betaal uiterlijk",
        "pay_online_at": ("Betaal online met iDEAL: ga naar {url} en vul het betalingskenmerk in."),
        "footer": "zorgnota verzorgt de nota's van {provider} (AGB-code {agb}).",
        "page": "Pagina {page} van {pages}",
    },
}

_ENGLISH_HOW_TO_PAY: Section = {
    "how_heading": "How to pay",
    "pay_link_intro": "You can pay online straight away with iDEAL:",
    "pay_links_intro": "Pay online with iDEAL, per invoice:",
    "pay_transfer": (
        "Or transfer {amount} to account {iban} in the name of {holder}, quoting payment "
        "reference {reference}."
    ),
    "pay_transfer_several": (
        "Or transfer the amount of each invoice separately to account {iban} in the name of "
        "{holder}, quoting the "
        "payment reference of that invoice, so that we know which invoice you are paying."
    ),
    "arrangement": (
        "Cannot pay all at once? Enter your payment reference in the payment checker at "
        "{checker_url} and arrange to pay in instalments no later than {date}."
    ),
    # R15: instead, when the checker would refuse one (made and cancelled, or too small).
    "arrangement_via_practice": (
        "Cannot pay all at once? Then please contact {provider} no later than {date}."
    ),
}

ENGLISH: Sections = {
    "email.dunning_reminder": {
        "subject": "Reminder: invoice from {provider} not yet paid - payment reference {reference}",
        "subject_several": "Reminder: {count} invoices from {provider} not yet paid",
        "greeting": "Dear {name},",
        "intro": (
            "According to our records the invoice from {provider} has not been paid (in "
            "full). The final payment date has passed."
        ),
        "intro_several": (
            "According to our records these {count} invoices from {provider} have not been "
            "paid (in full). The final payment date has passed."
        ),
        "col_reference": "Payment reference",
        "col_invoice_date": "Invoice date",
        "col_due": "Outstanding",
        # R15: the fee of a cancelled arrangement still owed, its own line under the invoice
        "fee_line": "Instalment arrangement fee",
        "total_due": "Total to pay",
        "request": "Please pay {amount} {term}, that is no later than {date}.",
        "costs": (
            "If you do not pay within this term, you will also owe {costs} in extrajudicial "
            "collection costs (article 6:96 of the Dutch Civil Code, calculated on the "
            "outstanding principal by the statutory scale)."
        ),
        "interest": (
            "We will then also charge the statutory interest (article 6:119 of the Dutch "
            "Civil Code), counted from {date}: the first day of default."
        ),
        "interest_each": (
            "We will then also charge the statutory interest (article 6:119 of the Dutch "
            "Civil Code), for each invoice counted from its first day of default: {dates}."
        ),
        "interest_each_item": "{reference} from {date}",
        **_ENGLISH_HOW_TO_PAY,
        "already_paid": "Have you paid in the meantime? Then please disregard this reminder.",
        "attachment": "The attached PDF is this reminder as a letter.",
        "closing": "Kind regards,",
        "signature": "zorgnota, on behalf of {provider}",
    },
    "pdf.dunning_reminder": {
        "title": "Payment reminder",
        "file_name": "reminder-{reference}.pdf",
        "letter_date": "Date",
        "pay_by": "Pay by",
        "pay_online_at": ("Pay online with iDEAL: go to {url} and enter the payment reference."),
        "footer": "zorgnota handles the invoices of {provider} (AGB code {agb}).",
        "page": "Page {page} of {pages}",
    },
    "email.second_notice": {
        "subject": "Final notice: invoice from {provider} - payment reference {reference}",
        "subject_several": "Final notice: {count} invoices from {provider}",
        "greeting": "Dear {name},",
        "intro": (
            "On {date} we sent you a reminder for the invoice from {provider}. Its term "
            "ended on {final_date} without us receiving your payment (in full)."
        ),
        "intro_several": (
            "On {date} we sent you a reminder for {count} invoices from {provider}. Its term "
            "ended on {final_date} without us receiving your payment (in full)."
        ),
        "now_due": (
            "You therefore now also owe the extrajudicial collection costs announced "
            "(article 6:96 of the Dutch Civil Code) and the statutory interest (article "
            "6:119). You now pay:"
        ),
        # Instead, when they are lower than the reminder announced (now_due_key).
        "now_due_costs_at_term": (
            "You therefore now also owe extrajudicial collection costs (article 6:96 of the "
            "Dutch Civil Code) over the amount still open when the term ended, and the "
            "statutory interest (article 6:119). You now pay:"
        ),
        # Instead, when the letter's costs are € 0,00 (legal-nl.md §2-§3).
        "now_due_interest": (
            "You therefore now also owe the statutory interest (article 6:119 of the Dutch "
            "Civil Code). You now pay:"
        ),
        # Instead, when its costs and its interest are both € 0,00 (now_due_key).
        "now_due_open": "An amount therefore remains open. You now pay:",
        "col_reference": "Payment reference",
        "col_principal": "Principal",
        "col_costs": "Collection costs",
        "col_fee": "Instalment arrangement fee",  # R15: not collection costs (legal-nl.md §2)
        "col_interest": "Interest",
        "col_total": "Total",
        "total_due": "Total to pay",
        # Under the amounts when some of the costs the notice charged are paid by now (R38).
        "costs_paid_note": (
            "Of the collection costs ({charged}), {paid} has already been paid; the total "
            "counts only what is still outstanding."
        ),
        # Instead of paid, what of them a stop forgave (R21): no payment.
        "costs_forgiven_note": (
            "Of the collection costs ({charged}), {forgiven} has been waived; the total "
            "counts only what is still outstanding."
        ),
        "interest_note": (
            "The statutory interest is calculated up to and including {date}. It keeps "
            "running until the day we receive your payment; the payment checker shows the "
            "current amount."
        ),
        # Instead, when no principal is open and some interest is (legal-nl.md §4).
        "interest_note_stopped": (
            "The statutory interest is calculated up to and including {date}. As no principal "
            "is outstanding any more, no further interest is added."
        ),
        # Instead, when the interest is € 0,00 (interest_note_key, legal-nl.md §4).
        "interest_note_none": (
            "No statutory interest is outstanding up to and including {date}. It does keep "
            "running on the outstanding principal until the day we receive your payment; the "
            "payment checker shows the current amount."
        ),
        "request": (
            "Please pay {amount}, making sure that we receive your payment no later than {date}."
        ),
        "handover": (
            "If we have not received everything by then, we will hand the claim over to a "
            "collection agency on {date}, which will then collect it on behalf of {provider}. "
            "Further costs can then only be added as far as the law allows."
        ),
        **_ENGLISH_HOW_TO_PAY,
        "already_paid": "Have you paid in the meantime? Then please disregard this letter.",
        "attachment": "The attached PDF is this notice as a letter.",
        "closing": "Kind regards,",
        "signature": "zorgnota, on behalf of {provider}",
    },
    "pdf.second_notice": {
        "title": "Final notice",
        "file_name": "final-notice-{reference}.pdf",
        "letter_date": "Date",
        "pay_by": "Pay by",
        "pay_online_at": ("Pay online with iDEAL: go to {url} and enter the payment reference."),
        "footer": "zorgnota handles the invoices of {provider} (AGB code {agb}).",
        "page": "Page {page} of {pages}",
    },
}


def now_due_key(costs_cents: int, interest_cents: int, as_announced: bool) -> str:
    """The second notice's sentence before its amounts (R20), the e-mail's and its PDF's:
    it says owed only what the letter asks. Costs "announced" only when they are what the
    reminder announced for the notice's invoices (``as_announced``,
    dunning.letters.costs_as_announced); else (a part payment in its term, legal-nl.md
    §2-§3) the costs over what was open when the term expired. Costs of € 0,00 (the
    principal open then was nil): the interest alone; the interest € 0,00 as well:
    neither, only that an amount is still open."""
    if costs_cents:
        return "now_due" if as_announced else "now_due_costs_at_term"
    return "now_due_interest" if interest_cents else "now_due_open"


def interest_note_key(principal_cents: int, interest_cents: int) -> str | None:
    """The second notice's sentence under its amounts, the e-mail's and its PDF's: the
    interest as calculated, and that it runs on; with none open (€ 0,00, no interest column
    either) that none is open and that it still runs on the open principal (legal-nl.md §4:
    it accrues on the principal until the payment is received); with interest open but no
    principal (paid, or forgiven by a stop, R21) that it is calculated and runs no further,
    as it runs on the principal only; with neither open (only an arrangement fee, R15)
    nothing, as nothing runs."""
    if interest_cents:
        return "interest_note" if principal_cents > 0 else "interest_note_stopped"
    return "interest_note_none" if principal_cents else None
