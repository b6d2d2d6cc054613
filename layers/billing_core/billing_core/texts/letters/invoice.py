"""Texts of the invoice: the e-mail that brings it (R7) and the PDF (R30), and what every
e-mail and letter shares (``common``, the ``email`` layout).

The sections: ``common`` (labels and sentences that e-mails and letters share),
``email`` (the layout every e-mail shares), ``email.invoice`` and ``pdf.invoice``.
"""

from __future__ import annotations

from billing_core.texts.catalogue import Sections

DUTCH: Sections = {
    "common": {
        "sender_line": "zorgnota namens {provider}",
        "provider_in_city": "{provider} in {city}",
        "amount_due": "Te betalen",
        "final_payment_date": "Uiterste betaaldatum",
        # R36: a date that has passed is not one to pay by (the checker's words).
        "pay_by_passed": "Uiterste betaaldatum verstreken op",
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
        # R15: when the checker would refuse an arrangement (an amount too small for two terms)
        "more_time_deferral": (
            "Meer tijd nodig? Vul in de betaalchecker op {checker_url} uw "
            "betalingskenmerk in. Daar vraagt u eenmalig kosteloos uitstel van betaling aan."
        ),
        "questions": "Vragen over de behandeling? Neem contact op met {provider}.",
        "phone": "Telefoon {value}",
        "email": "E-mail {value}",
        "hours": "Bereikbaar: {hours}",
        "contact_heading": "Vragen over de behandeling? Neem contact op met {provider}:",
        "more_information": (
            "Veelgestelde vragen: {faq}  ·  Betalingsvoorwaarden: {terms}  ·  Privacy: {privacy}"
        ),
        # legal-nl.md §7, R37: non-contracted care is claimed first, then paid.
        "dont_pay_yet_heading": "Let op: betaal deze nota nog niet",
        # Seed 001: "betaal het bedrag nu nog niet en vraag ook nog geen betalingsregeling
        # aan"; seed 004: a slow insurer is what the free deferral is for.
        "dont_pay_yet": (
            "Uw zorgverlener heeft geen contract met uw zorgverzekeraar. Vraag ook nog geen "
            "betalingsregeling aan. Dien deze nota eerst in bij uw zorgverzekeraar. Vul daarna "
            "in de betaalchecker op {checker_url} de bedragen van het overzicht van uw "
            "zorgverzekeraar in: u krijgt {by_channel_nl} het aangepaste bedrag met een nieuwe "
            "uiterste betaaldatum. Duurt het lang voordat uw zorgverzekeraar betaalt? Vraag dan "
            "in de betaalchecker kosteloos uitstel van betaling aan."
        ),
        # legal-nl.md §7: after the amount, wherever a text names it while "don't pay yet"
        # holds (coulance.told_not_to_pay_yet): the checker gives no date to pay by then
        "pay_not_yet": (
            "Betaal nog niet: het aangepaste bedrag met een nieuwe uiterste betaaldatum krijgt u "
            "{by_channel_nl}."
        ),
    },
    "email": {
        "automated": (
            "Dit bericht is automatisch verstuurd. zorgnota verstuurt nota's en "
            "ontvangt betalingen in opdracht van zorgverleners."
        ),
        # legal-nl.md §7: what is due while "don't pay yet" holds; pay_not_yet follows
        "amount_now": "Het bedrag is nu {amount}.",
        # R15, R36: under a running arrangement a confirmation asks the next term, never
        # everything by its date; what a retour raised is one more term after the others.
        "arrangement_open": "Er staat nu nog {amount} open.",
        "arrangement_next_term": (
            "Uw betalingsregeling loopt door zoals afgesproken: uw volgende termijn is "
            "{term}, uiterlijk {date}."
        ),
        "arrangement_next_term_passed": (
            "Uw betalingsregeling loopt door zoals afgesproken: uw openstaande termijn is {term}."
        ),
        "arrangement_rest_term": (
            "Na uw laatste termijn betaalt u nog {amount} als extra termijn, uiterlijk {date}."
        ),
        # R12, R36: under the iDEAL link of a confirmation that asks to pay, the account to
        # transfer to, as the invoice and the letters name it (audit letters58).
        "transfer_to_account": (
            "Of maak het bedrag over naar rekeningnummer {iban} ten name van {holder}, onder "
            "vermelding van betalingskenmerk {reference}."
        ),
        # The checker's words for the next term and its date.
        "arrangement_term": "Volgende termijn",
        "arrangement_pay_by": "Volgende termijn uiterlijk",
        "arrangement_pay_by_passed": "Openstaande termijn verstreken op",
        # R21, R13, R17, legal-nl.md §2-§5: a stop, coulance or credit lowers the principal
        # only, a payment pays the costs and the interest first; once nothing of the
        # treatments is open, what is left is costs, an arrangement's fee (R15) and/or
        # interest: every e-mail that states it says so before the amount
        # (correspondence.confirmations._left_only). The fee is named as the arrangement's
        # (the checker's "Kosten betalingsregeling"), never as collection costs (§2).
        "left_costs_and_interest": (
            "Van de behandelingen hoeft u niets meer te betalen. Wat nog openstaat, zijn "
            "incassokosten en wettelijke rente."
        ),
        "left_costs": (
            "Van de behandelingen hoeft u niets meer te betalen. Wat nog openstaat, zijn "
            "incassokosten."
        ),
        "left_interest": (
            "Van de behandelingen hoeft u niets meer te betalen. Wat nog openstaat, is "
            "wettelijke rente."
        ),
        "left_fee": (
            "Van de behandelingen hoeft u niets meer te betalen. Wat nog openstaat, zijn "
            "de kosten van de betalingsregeling."
        ),
        "left_costs_and_fee": (
            "Van de behandelingen hoeft u niets meer te betalen. Wat nog openstaat, zijn "
            "incassokosten en de kosten van de betalingsregeling."
        ),
        "left_fee_and_interest": (
            "Van de behandelingen hoeft u niets meer te betalen. Wat nog openstaat, zijn "
            "de kosten van de betalingsregeling en wettelijke rente."
        ),
        "left_costs_fee_and_interest": (
            "Van de behandelingen hoeft u niets meer te betalen. Wat nog openstaat, zijn "
            "incassokosten, de kosten van de betalingsregeling en wettelijke rente."
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
        # legal-nl.md §7: instead of the pay link and the pay request, when it waits
        "statement_link_intro": (
            "Het overzicht van uw zorgverzekeraar geeft u door in de betaalchecker:"
        ),
        "send_statement": "Geef het overzicht door",
        "attachment_to_claim": (
            "In de bijlage (PDF) vindt u de nota met de behandelingen. Die dient u in bij "
            "uw zorgverzekeraar."
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
            "Maak {amount} uiterlijk {date} over naar rekeningnummer {iban} ten name "
            "van {holder}, onder vermelding van betalingskenmerk {reference}."
        ),
        "pay_online_at": (
            "Of betaal online met iDEAL: ga naar {url} en vul uw betalingskenmerk in."
        ),
        # legal-nl.md §7: instead of "Maak {amount} uiterlijk {date} over", when it waits;
        # R7: "per e-mail" or "per post" (catalogue.by_channel), as it will come
        "pay_adjusted_transfer": (
            "Betaal pas het aangepaste bedrag dat u {by_channel_nl} krijgt, uiterlijk op de "
            "datum die daarbij staat. Maak het over naar rekeningnummer {iban} ten name van {holder}, onder "
            "vermelding van betalingskenmerk {reference}."
        ),
        "send_statement_at": (
            "Het overzicht van uw zorgverzekeraar geeft u door in de betaalchecker: ga naar "
            "{url} en vul uw betalingskenmerk in."
        ),
        "qr_caption_statement": "Scan en stuur het overzicht",
        "footer": "zorgnota verzorgt de nota's van {provider} (AGB-code {agb}).",
        "page": "Pagina {page} van {pages}",
        "qr_caption": "Scan om online te betalen",
        # R36: the copy the checker and the portal serve is the invoice as sent; when what
        # is due or the date to pay by changed since, its first page says what counts now
        # (correspondence/invoice_copy.py). R7: the heading says how it was sent, "per
        # e-mail" or "per post" (catalogue.by_channel), the notice how things come now.
        "copy_heading": "Dit is de nota zoals wij die op {date} {by_channel_nl} verstuurden",
        "copy_due": (
            "Sindsdien is er iets veranderd. U betaalt nu {amount}, uiterlijk {date}: dat "
            "bedrag en die datum gelden, niet die hieronder."
        ),
        "copy_due_passed": (
            "Sindsdien is er iets veranderd. U betaalt nu {amount}: dat bedrag geldt, niet dat "
            "hieronder."
        ),
        "copy_next_term": (
            "Sindsdien is er iets veranderd. Uw betalingsregeling loopt: uw volgende termijn is "
            "{amount}, uiterlijk {date}."
        ),
        "copy_nothing_due": (
            "Sindsdien is er iets veranderd: er staat niets meer open, u hoeft niets te betalen."
        ),
        # R17, legal-nl.md §7: the statement is in and the practice decides on its proposal
        # (the checker's awaits_coulance_decision): nothing of the old amount to pay meanwhile
        "copy_coulance_decision": (
            "Sindsdien is er iets veranderd: wij hebben het overzicht van uw zorgverzekeraar "
            "ontvangen en uw zorgverlener beslist nu over het aangepaste bedrag. U krijgt het "
            "{by_channel_nl}, met een nieuwe uiterste betaaldatum. Betaal tot dan nog niet."
        ),
        # R7: the invoice as sent said how the adjusted amount comes; it comes otherwise now
        # (an address bounced, or one was given, since)
        "copy_comes_by": (
            "Sindsdien is er iets veranderd: het aangepaste bedrag met een nieuwe uiterste "
            "betaaldatum krijgt u nu {by_channel_nl}. Betaal tot dan nog niet."
        ),
        # legal-nl.md §7: the amount changed while "don't pay yet" holds; pay_not_yet follows
        "copy_amount_now": "Sindsdien is er iets veranderd: het bedrag is nu {amount}.",
        "copy_checker": "Hoe de nota er vandaag voor staat, ziet u in de betaalchecker op {url}.",
        "file_name": "nota-{reference}.pdf",
    },
}

ENGLISH: Sections = {
    "common": {
        "sender_line": "zorgnota on behalf of {provider}",
        "provider_in_city": "{provider} in {city}",
        "amount_due": "Amount to pay",
        "final_payment_date": "Pay by",
        "pay_by_passed": "Was due on",
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
        "more_time_deferral": (
            "Need more time? Enter your payment reference in the payment checker at "
            "{checker_url}. There you can ask once for a free deferral of payment."
        ),
        "questions": "Questions about the treatment? Please contact {provider}.",
        "phone": "Phone {value}",
        "email": "E-mail {value}",
        "hours": "Opening hours: {hours}",
        "contact_heading": "Questions about the treatment? Please contact {provider}:",
        "more_information": (
            "Questions and answers: {faq}  ·  Payment terms: {terms}  ·  Privacy: {privacy}"
        ),
        "dont_pay_yet_heading": "Please note: do not pay this invoice yet",
        "dont_pay_yet": (
            "Your healthcare provider has no contract with your health insurer. Do not ask "
            "for an instalment arrangement yet either. First claim this invoice from your "
            "insurer. Then enter the amounts of your insurer's statement in the payment "
            "checker at {checker_url}: you will get the adjusted amount {by_channel_en}, with "
            "a new date to pay by. If your insurer takes long to pay, ask for a free deferral "
            "of payment in the payment checker."
        ),
        "pay_not_yet": (
            "Do not pay yet: you will get the adjusted amount {by_channel_en}, with a new date "
            "to pay by."
        ),
    },
    "email": {
        "automated": (
            "This message was sent automatically. zorgnota sends invoices and "
            "receives payments on behalf of healthcare providers."
        ),
        "amount_now": "The amount is now {amount}.",
        "arrangement_open": "{amount} is still open.",
        "arrangement_next_term": (
            "Your instalment arrangement continues as agreed: your next term is {term}, no "
            "later than {date}."
        ),
        "arrangement_next_term_passed": (
            "Your instalment arrangement continues as agreed: the term still to pay is {term}."
        ),
        "arrangement_rest_term": (
            "After your last term you pay {amount} more as one extra term, no later than {date}."
        ),
        "transfer_to_account": (
            "Or transfer the amount to account {iban} in the name of {holder}, quoting payment "
            "reference {reference}."
        ),
        "arrangement_term": "Next term",
        "arrangement_pay_by": "Next term due by",
        "arrangement_pay_by_passed": "Instalment was due on",
        "left_costs_and_interest": (
            "You no longer need to pay anything for the treatments. What is still open is "
            "collection costs and statutory interest."
        ),
        "left_costs": (
            "You no longer need to pay anything for the treatments. What is still open is "
            "collection costs."
        ),
        "left_interest": (
            "You no longer need to pay anything for the treatments. What is still open is "
            "statutory interest."
        ),
        "left_fee": (
            "You no longer need to pay anything for the treatments. What is still open is "
            "the instalment arrangement fee."
        ),
        "left_costs_and_fee": (
            "You no longer need to pay anything for the treatments. What is still open is "
            "collection costs and the instalment arrangement fee."
        ),
        "left_fee_and_interest": (
            "You no longer need to pay anything for the treatments. What is still open is "
            "the instalment arrangement fee and statutory interest."
        ),
        "left_costs_fee_and_interest": (
            "You no longer need to pay anything for the treatments. What is still open is "
            "collection costs, the instalment arrangement fee and statutory interest."
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
        "statement_link_intro": "Send your insurer's statement in the payment checker:",
        "send_statement": "Send the statement",
        "attachment_to_claim": (
            "The attached PDF is the invoice, with the treatments: the one to claim from "
            "your insurer."
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
            "Transfer {amount} no later than {date} to account {iban} in the name "
            "of {holder}, quoting payment reference {reference}."
        ),
        "pay_online_at": (
            "Or pay online with iDEAL: go to {url} and enter your payment reference."
        ),
        "pay_adjusted_transfer": (
            "Pay only the adjusted amount you get {by_channel_en}, by the date given with it. "
            "Transfer it to account {iban} in the name of {holder}, quoting payment reference "
            "{reference}."
        ),
        "send_statement_at": (
            "Send your insurer's statement in the payment checker: go to {url} and enter "
            "your payment reference."
        ),
        "qr_caption_statement": "Scan to send the statement",
        "footer": "zorgnota handles the invoices of {provider} (AGB code {agb}).",
        "page": "Page {page} of {pages}",
        "qr_caption": "Scan to pay online",
        "copy_heading": "This is the invoice as we sent it {by_channel_en} on {date}",
        "copy_due": (
            "It has changed since. You now pay {amount}, no later than {date}: that amount "
            "and that date apply, not those below."
        ),
        "copy_due_passed": (
            "It has changed since. You now pay {amount}: that amount applies, not the one below."
        ),
        "copy_next_term": (
            "It has changed since. Your instalment arrangement is running: your next term is "
            "{amount}, no later than {date}."
        ),
        "copy_nothing_due": (
            "It has changed since: nothing is open any more, there is nothing to pay."
        ),
        "copy_coulance_decision": (
            "It has changed since: we have received your health insurer's statement and your "
            "healthcare provider is now deciding on the adjusted amount. You will get it "
            "{by_channel_en}, with a new date to pay by. Until then, do not pay yet."
        ),
        # "{by_channel_en}" before "with a new date to pay by": never "pay by by post"
        "copy_comes_by": (
            "It has changed since: you will now get the adjusted amount {by_channel_en}, with a "
            "new date to pay by. Until then, do not pay yet."
        ),
        "copy_amount_now": "It has changed since: the amount is now {amount}.",
        "copy_checker": "See where the invoice stands today in the payment checker at {url}.",
        "file_name": "invoice-{reference}.pdf",
    },
}
