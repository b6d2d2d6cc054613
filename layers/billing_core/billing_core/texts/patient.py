"""Everything a patient reads outside the letters (R9, R10-R17): the payment-checker page
(``PAGE``), the answers of the patient API (``ANSWERS``) and the refusals of what a patient
asks (``REFUSALS``, raised through ``shared.errors.refused``).

The page is one document: ``page_texts`` gives it whole in the patient's language or
whole in Dutch. An answer or a refusal is one sentence: in the patient's language when
it has that sentence, else in Dutch.
"""

from __future__ import annotations

from billing_core.texts.arabic import patient as arabic
from billing_core.texts.catalogue import Section, Sections, Texts, catalogue
from billing_core.texts.polish import patient as polish

PAGE = "page.checker"
INFO = "page.info"  # /vragen, /voorwaarden, /privacy (R36)
REFUSALS = "refusals"  # key: the refusal's code (errors.refused)
ANSWERS = "answers"  # key: the code of the API's error answer

_DUTCH_INFO: Section = {
    "back_to_checker": "Terug naar de betaalchecker",
    "not_found_title": "Pagina niet gevonden",
    "not_found_text": (
        "Deze pagina bestaat niet. Controleer het adres, of ga naar de betaalchecker en vul "
        "daar het betalingskenmerk van uw nota in."
    ),
    # The pay button's answer when the PSP cannot be reached (503): another way to pay.
    "payment_unavailable_title": "Online betalen lukt nu niet",
    "payment_unavailable_text": (
        "De betaaldienst (iDEAL) is op dit moment niet bereikbaar. Er is niets betaald en "
        "niets vastgelegd. Probeer het over een paar minuten opnieuw, of maak het bedrag "
        "over naar de rekening hieronder, met het betalingskenmerk als omschrijving: "
        "daaraan zien wij welke nota u betaalt."
    ),
    # A form's body over the patient API's limit (413): the message comes back (REQUESTS1).
    "message_too_long_title": "Uw bericht is te lang",
    "message_too_long_text": (
        "Uw bericht kon niet worden verstuurd: het is langer dan de betaalchecker kan "
        "aannemen. Er is niets vastgelegd. Hieronder staat uw tekst: kopieer hem, maak hem "
        "korter (hoogstens 2000 tekens) en verstuur hem opnieuw vanuit de betaalchecker."
    ),
    "given_back_heading": "Uw tekst",
    "given_back_label": "De tekst die u schreef, om te kopiëren",
    "transfer_heading": "Betalen per bankoverschrijving",
    "transfer_amount": "Bedrag",
    "transfer_iban": "Rekeningnummer (IBAN)",
    "transfer_holder": "Ten name van",
    "faq_title": "Veelgestelde vragen",
    "faq_1_heading": "Hoe betaal ik mijn nota?",
    "faq_1_text": (
        "Online met iDEAL: vul in de betaalchecker het betalingskenmerk van uw nota in. Of "
        "maak het bedrag over naar het rekeningnummer op uw nota, met het betalingskenmerk "
        "als omschrijving: daaraan zien wij welke nota u betaalt."
    ),
    "faq_2_heading": "Ik heb meer tijd nodig. Kan ik uitstel krijgen?",
    "faq_2_text": (
        "Ja, eenmalig en kosteloos, in de betaalchecker. Daar ziet u hoeveel dagen uitstel "
        "uw zorgverlener geeft en wat uw nieuwe uiterste betaaldatum wordt."
    ),
    "faq_3_heading": "Kan ik in termijnen betalen?",
    "faq_3_text": (
        "Ja, met een betalingsregeling van 2 tot 12 maandelijkse termijnen. De kosten en "
        "het kleinste termijnbedrag staan in de betaalchecker. Tijdens de regeling betaalt u "
        "per termijn; alles in één keer betalen mag altijd."
    ),
    "faq_4_heading": "Ik ben het niet eens met de nota.",
    "faq_4_text": (
        "Dien in de betaalchecker een bezwaar in; uw zorgverlener neemt contact met u op. "
        "Een bezwaar schort de betaaltermijn niet op. Vragen over de behandeling zelf "
        "stelt u aan uw zorgverlener: de contactgegevens staan op de nota en in de betaalchecker."
    ),
    "faq_5_heading": "Mijn zorgverlener heeft geen contract met mijn zorgverzekeraar.",
    "faq_5_text": (
        "Betaal de nota dan nog niet. Dien haar eerst in bij uw zorgverzekeraar en vul in de "
        "betaalchecker de bedragen van het overzicht van uw zorgverzekeraar in. Uw "
        "zorgverlener kan u dan tegemoetkomen (coulance); u krijgt het aangepaste bedrag met "
        "een nieuwe uiterste betaaldatum per e-mail, of per post als wij geen e-mailadres "
        "van u hebben."
    ),
    "faq_6_heading": "Wat gebeurt er als ik niet op tijd betaal?",
    "faq_6_text": (
        "U krijgt eerst een kosteloze herinnering met 14 dagen om te betalen. Betaalt u ook "
        "dan niet, dan komen er incassokosten volgens de wettelijke staffel en wettelijke "
        "rente bij. Zie de betalingsvoorwaarden."
    ),
    "faq_7_heading": "Wat ziet iemand die mijn betalingskenmerk kent?",
    "faq_7_text": (
        "Alleen of de nota betaald is, het bedrag en de datum. De behandelingen, de nota "
        "als PDF en het betalen of aanvragen komen pas na de geboortedatum van de patiënt."
    ),
    "faq_8_heading": "Wie is zorgnota?",
    "faq_8_text": (
        "zorgnota verstuurt nota's en ontvangt betalingen in opdracht van zorgverleners. "
        "Uw zorgverlener blijft verantwoordelijk voor de behandeling en de nota."
    ),
    "terms_title": "Betalingsvoorwaarden",
    "terms_1_heading": "Betaaltermijn",
    "terms_1_text": (
        "U betaalt uiterlijk op de uiterste betaaldatum op de nota, met het betalingskenmerk. "
        "Het betalingskenmerk bepaalt voor welke nota een betaling is (art. 6:43 BW)."
    ),
    "terms_2_heading": "Herinnering",
    "terms_2_text": (
        "Betaalt u niet op tijd, dan krijgt u een kosteloze herinnering met een termijn van "
        "14 dagen na ontvangst (art. 6:96 lid 6 BW). Daarin staat welke incassokosten er "
        "komen als u ook dan niet betaalt."
    ),
    "terms_3_heading": "Incassokosten",
    # No-break spaces: an amount never wraps away from its € (as format_euros writes it).
    "terms_3_text": (
        "Na die 14 dagen zijn incassokosten verschuldigd volgens het Besluit vergoeding voor "
        "buitengerechtelijke incassokosten: 15% over de eerste €\u00a02.500 (minstens "
        "€\u00a040), 10% over de volgende €\u00a02.500, 5% over de volgende €\u00a05.000, 1% "
        "over de volgende €\u00a0190.000 en 0,5% over de rest, met een maximum van "
        "€\u00a06.775."
    ),
    "terms_4_heading": "Wettelijke rente",
    "terms_4_text": (
        # legal-nl.md §4: on the principal still open, never on the costs.
        "Vanaf de dag na de uiterste betaaldatum is de wettelijke rente verschuldigd (art. "
        "6:119 BW) over het deel van het notabedrag dat nog openstaat, niet over de "
        "incassokosten."
    ),
    "terms_5_heading": "Waar een betaling eerst voor telt",
    "terms_5_text": (
        "Een betaling telt eerst voor de kosten, dan voor de rente en dan voor het "
        "bedrag van de nota (art. 6:44 BW)."
    ),
    "privacy_title": "Privacy",
    "privacy_1_heading": "Wat wij gebruiken",
    "privacy_1_text": (
        "zorgnota ontvangt van uw zorgverlener wat nodig is om de nota te maken en te "
        "innen: uw naam en adres, de behandelingen, uw geboortedatum en uw e-mailadres. Wij "
        "gebruiken die gegevens alleen daarvoor, in opdracht van uw zorgverlener."
    ),
    "privacy_2_heading": "De betaalchecker",
    "privacy_2_text": (
        "De betaalchecker toont zonder geboortedatum nooit uw naam, adres of behandelingen. "
        "Na de geboortedatum krijgt uw browser voor 15 minuten een ondertekend cookie voor "
        "dit ene betalingskenmerk; de geboortedatum zelf staat niet in het cookie of in een "
        "adres."
    ),
    "privacy_3_heading": "Bewaren",
    "privacy_3_text": (
        "Wij bewaren nota's en betalingen zo lang als de wet voorschrijft (de fiscale "
        "bewaarplicht van 7 jaar) en daarna niet langer."
    ),
    "privacy_4_heading": "Uw rechten",
    "privacy_4_text": (
        "Voor inzage, correctie of een klacht over uw gegevens kunt u bij uw zorgverlener "
        "terecht; die is verantwoordelijk voor uw gegevens en schakelt zorgnota in."
    ),
}

_ENGLISH_INFO: Section = {
    "back_to_checker": "Back to the payment checker",
    "not_found_title": "Page not found",
    "not_found_text": (
        "This page does not exist. Please check the address, or go to the payment checker "
        "and enter the payment reference on your invoice there."
    ),
    "payment_unavailable_title": "Paying online is not possible right now",
    "payment_unavailable_text": (
        "The payment service (iDEAL) cannot be reached at the moment. Nothing was paid and "
        "nothing was saved. Please try again in a few minutes, or transfer the amount to "
        "the account below, with the payment reference as the description: that tells us "
        "which invoice you pay."
    ),
    "message_too_long_title": "Your message is too long",
    "message_too_long_text": (
        "Your message could not be sent: it is longer than the payment checker can take. "
        "Nothing was saved. Your text is below: copy it, shorten it (at most 2000 "
        "characters) and send it again from the payment checker."
    ),
    "given_back_heading": "Your text",
    "given_back_label": "The text you wrote, to copy",
    "transfer_heading": "Paying by bank transfer",
    "transfer_amount": "Amount",
    "transfer_iban": "Account number (IBAN)",
    "transfer_holder": "In the name of",
    "faq_title": "Questions and answers",
    "faq_1_heading": "How do I pay my invoice?",
    "faq_1_text": (
        "Online with iDEAL: enter the payment reference of your invoice in the payment "
        "checker. Or transfer the amount to the account on your invoice, with the payment "
        "reference as the description: that tells us which invoice you pay."
    ),
    "faq_2_heading": "I need more time. Can I get a deferral?",
    "faq_2_text": (
        "Yes, once and free of charge, in the payment checker. It shows how many days your "
        "healthcare provider gives and what your new date to pay by will be."
    ),
    "faq_3_heading": "Can I pay in instalments?",
    "faq_3_text": (
        "Yes, with an arrangement of 2 to 12 monthly terms. The fee and the smallest term "
        "are shown in the payment checker. During the arrangement you pay per term; paying "
        "everything at once is always possible."
    ),
    "faq_4_heading": "I do not agree with the invoice.",
    "faq_4_text": (
        "File an objection in the payment checker; your healthcare provider will contact you. "
        "An objection does not suspend the payment term. Questions about the treatment "
        "itself go to your healthcare provider: the contact details are on the invoice and "
        "in the payment checker."
    ),
    "faq_5_heading": "My provider has no contract with my health insurer.",
    "faq_5_text": (
        "Then do not pay the invoice yet. First claim it from your insurer, then enter the "
        "amounts of your insurer's statement in the payment checker. Your provider may then "
        "lower the amount (coulance); you get the adjusted amount with a new date to pay by "
        "by e-mail, or by post if we have no e-mail address of yours."
    ),
    "faq_6_heading": "What happens if I do not pay in time?",
    "faq_6_text": (
        "First you get a free reminder with 14 days to pay. If you do not pay then either, "
        "collection costs by the statutory scale and statutory interest are added. See the "
        "payment terms."
    ),
    "faq_7_heading": "What does someone who knows my payment reference see?",
    "faq_7_text": (
        "Only whether the invoice is paid, the amount and the date. The treatments, the "
        "invoice as PDF and paying or asking for something only come after the patient's "
        "date of birth."
    ),
    "faq_8_heading": "Who is zorgnota?",
    "faq_8_text": (
        "zorgnota sends invoices and receives payments on behalf of healthcare providers. "
        "Your provider stays responsible for the treatment and the invoice."
    ),
    "terms_title": "Payment terms",
    "terms_1_heading": "Payment term",
    "terms_1_text": (
        "You pay no later than the date to pay by on the invoice, quoting the payment "
        "reference. The payment reference decides which invoice a payment is for (art. 6:43 "
        "of the Dutch Civil Code)."
    ),
    "terms_2_heading": "Reminder",
    "terms_2_text": (
        "If you do not pay in time, you get a free reminder with 14 days from receipt to pay "
        "(art. 6:96(6) Dutch Civil Code). It says which collection costs follow if you do "
        "not pay then either."
    ),
    "terms_3_heading": "Collection costs",
    # No space after €, as format_euros writes English amounts: none to wrap at.
    "terms_3_text": (
        "After those 14 days collection costs are due by the Dutch decree on extrajudicial "
        "collection costs: 15% of the first €2,500 (at least €40), 10% of the next "
        "€2,500, 5% of the next €5,000, 1% of the next €190,000 and 0.5% of the rest, "
        "at most €6,775."
    ),
    "terms_4_heading": "Statutory interest",
    "terms_4_text": (
        "From the day after the date to pay by, statutory interest (art. 6:119 Dutch Civil "
        "Code) is due on the part of the invoice's amount still open, not on the collection "
        "costs."
    ),
    "terms_5_heading": "What a payment counts for first",
    "terms_5_text": (
        "A payment counts first for the costs, then for the interest, then for the amount "
        "of the invoice (art. 6:44 Dutch Civil Code)."
    ),
    "privacy_title": "Privacy",
    "privacy_1_heading": "What we use",
    "privacy_1_text": (
        "zorgnota receives from your healthcare provider what it needs to make and collect "
        "the invoice: your name and address, the treatments, your date of birth and your "
        "e-mail address. We use them for that alone, on behalf of your provider."
    ),
    "privacy_2_heading": "The payment checker",
    "privacy_2_text": (
        "Without a date of birth the payment checker never shows your name, address or "
        "treatments. After the date of birth your browser gets a signed cookie for 15 "
        "minutes for this one payment reference; the date of birth itself is not in the "
        "cookie or in any address."
    ),
    "privacy_3_heading": "Keeping",
    "privacy_3_text": (
        "We keep invoices and payments as long as the law requires (the 7-year tax "
        "retention) and no longer."
    ),
    "privacy_4_heading": "Your rights",
    "privacy_4_text": (
        "For access, correction or a complaint about your data, contact your healthcare "
        "provider: it is responsible for your data and engages zorgnota."
    ),
}

_DUTCH: Sections = {
    INFO: _DUTCH_INFO,
    PAGE: {
        "title": "Betaalchecker",
        "lead": "Is uw nota al betaald? Vul het betalingskenmerk van uw nota in.",
        "reference_label": "Betalingskenmerk",
        "reference_hint": "14 cijfers, te vinden op uw nota bij 'Betalingskenmerk'. Spaties mogen.",
        "check": "Controleren",
        "invalid_reference": "Dit betalingskenmerk klopt niet — controleer de 14 cijfers.",
        # The kenmerk's form alone (checker_page.status_page): no birth date was sent, so
        # none is named. With one, an unknown kenmerk is answered no_match, as a wrong
        # birth date (R10; test_checker_not_found).
        "not_found": (
            "We vinden geen nota met dit betalingskenmerk. Controleer het nummer op uw nota."
        ),
        # The practice's stored settings do not validate (R31): no part of the invoice.
        "invoice_unavailable": (
            "Deze nota kunnen we nu niet tonen. Probeer het later opnieuw, of neem contact op "
            "met uw zorgverlener."
        ),
        "status_paid": "Deze nota is betaald.",
        "status_being_booked": "Uw betaling wordt verwerkt.",
        "status_waived": (
            "U hoeft niets te betalen: uw zorgverlener heeft het bedrag van deze nota "
            "kwijtgescholden."
        ),
        # R5: the insurer's deduction settled it; nothing paid, nothing to pay back
        "status_reimbursed": (
            "U hoeft niets te betalen: uw zorgverzekeraar vergoedt het hele bedrag van deze nota."
        ),
        "status_paid_rest_waived": (
            "U hebt {paid} betaald; uw zorgverlener heeft de rest kwijtgescholden. U hoeft "
            "niets meer te betalen."
        ),
        "status_open": "Deze nota staat open.",
        "status_partly_paid": "Deze nota is gedeeltelijk betaald.",
        "amount_due": "Nog te betalen",
        "final_payment_date": "Uiterste betaaldatum",
        "state": "Stand van zaken",
        "state_open": "Openstaand",
        "state_paid": "Betaald",
        "state_waived": "Kwijtgescholden door uw zorgverlener",
        "state_reimbursed": "Vergoed door uw zorgverzekeraar",
        "state_paid_rest_waived": "Deels betaald, de rest kwijtgescholden door uw zorgverlener",
        "state_deferred": "Uitstel van betaling verleend",
        "state_arrangement_active": "Betalingsregeling loopt",
        "state_on_hold": "In behandeling bij uw zorgverlener",
        "state_reminder_sent": "Herinnering verstuurd",
        "state_second_notice_sent": "Laatste aanmaning verstuurd",
        # R19: the final notice not gone yet (the first still to go, or one sent again after
        # a bounce, R7): alike for both, the page before the birth date tells nothing more
        "state_second_notice_waits": "Laatste aanmaning wordt nog verstuurd",
        "state_with_collection_agency": "Uit handen gegeven aan het incassobureau",
        "collected_by_agency": "Het incassobureau int deze nota nu namens uw zorgverlener.",
        "birth_date_label": "Geboortedatum van de patiënt",
        "birth_date_hint": "Ter controle dat u de juiste nota bedoelt.",
        "pay_heading": "Betalen",
        "pay_button": "Betaal {amount} met iDEAL",
        "defer_heading": "Meer tijd nodig?",
        "defer_text": "U kunt eenmalig kosteloos {days_nl} uitstel van betaling aanvragen.",
        "defer_button": "Uitstel aanvragen",
        "arrange_heading": "In termijnen betalen",
        "arrange_text": (
            "Met een betalingsregeling betaalt u in 2 tot 12 maandelijkse termijnen. "
            "De kosten zijn {fee}; een termijn is minstens {minimum}."
        ),
        "terms_label": "Aantal termijnen",
        "arrange_button": "Betalingsregeling aanvragen",
        "object_heading": "Niet eens met de nota?",
        "object_text": "Dien een bezwaar in; uw zorgverlener neemt contact met u op.",
        # Said while something is due (seed 000); of a paid or stopped invoice, not, nor while
        # the page says not to pay yet (legal-nl.md §7).
        "object_term_runs": "Let op: een bezwaar schort de betaaltermijn niet op.",
        "reason_label": "Reden",
        "reason_treatment": "De behandeling",
        "reason_amount": "Het bedrag",
        "reason_insurer": "De vergoeding door mijn zorgverzekeraar",
        "reason_other": "Iets anders",
        "message_label": "Uw toelichting",
        "email_label": "Uw e-mailadres (voor de bevestiging)",
        "object_button": "Bezwaar indienen",
        "done_deferral": "Uitstel is verleend. De nieuwe uiterste betaaldatum is {date}.",
        # R7: "per e-mail" or "per post" (catalogue.by_channel), as the confirmation goes
        "done_arrangement": (
            "Uw betalingsregeling is vastgelegd. U ontvangt het schema {by_channel_nl}."
        ),
        "done_objection": "Uw bezwaar is ontvangen. U krijgt een bevestiging per e-mail.",
        # R16, R7: no working e-mail address on file, so no acknowledgement (audit REQUESTS3)
        "done_objection_unacknowledged": (
            "Uw bezwaar is ontvangen. Uw zorgverlener neemt contact met u op."
        ),
        "refused": "Dat kan niet: {reason}",
        "privacy": (
            "Deze pagina toont nooit uw naam of adres, en uw behandelingen pas na de geboortedatum "
            "van de patiënt. zorgnota verstuurt nota's en ontvangt betalingen in opdracht van "
            "zorgverleners."
        ),
        "switch_language": "English",
        "language_label": "Taal",
        "skip": "Naar de inhoud",
        # A table's scrolling region, named apart from its section (WCAG 1.3.1, 4.1.2).
        "table_of": "Tabel: {name}",
        "birth_date_unreadable": (
            "Deze geboortedatum kunnen we niet lezen. Schrijf hem als dag-maand-jaar, "
            "bijvoorbeeld 7-3-1984."
        ),
        "no_match": (
            "We vinden geen nota bij dit betalingskenmerk en deze geboortedatum. Controleer "
            "het betalingskenmerk op uw nota en de geboortedatum van de patiënt. Klopt het toch? "
            "Probeer het dan pas over een uur opnieuw: na enkele foute pogingen wachten we een "
            "uur, en een poging in dat uur laat het uur opnieuw beginnen. Of bel de zorgverlener "
            "op uw nota."
        ),
        "visit_expired": (
            "Vul ter controle de geboortedatum van de patiënt in. Daarna kunt u {minutes} "
            "minuten lang de nota bekijken en betalen of iets aanvragen."
        ),
        "form_invalid": "Het formulier is niet volledig of niet juist ingevuld. Er is niets gewijzigd.",
        "amount_invalid": (
            "Een bedrag is niet te lezen. Vul het in euro's in met een komma voor de centen, "
            "zoals het op het overzicht staat: bijvoorbeeld 60,17 of 1.234,56. Er is niets "
            "gewijzigd."
        ),
        "payment_thanks": "Dank u wel! Uw betaling is ontvangen.",
        "payment_processing": (
            "Dank u wel! Uw bank heeft de betaling bevestigd. Wij verwerken haar nu; over een "
            "paar minuten ziet u hier het nieuwe bedrag."
        ),
        "payment_pending": (
            "Uw bank heeft de betaling nog niet bevestigd. Ververs deze pagina over een paar minuten."
        ),
        "payment_ended": (
            "De betaling is geannuleerd of verlopen; er is niets afgeschreven. U kunt opnieuw betalen."
        ),
        # Failed at the PSP: the bank did not complete it (R11; audit psp3 #3).
        "payment_failed": (
            "De betaling is mislukt: uw bank heeft haar niet uitgevoerd. Er is niets "
            "afgeschreven. U kunt opnieuw betalen."
        ),
        # Back from the bank, the PSP unreachable: the bank may have the money (R11).
        "payment_unknown": (
            "Wij kunnen op dit moment niet nagaan of uw betaling gelukt is: de betaaldienst "
            "(iDEAL) is niet bereikbaar. Betaal niet opnieuw. Ververs deze pagina over een paar "
            "minuten: is de betaling gelukt, dan ziet u hier het nieuwe bedrag."
        ),
        "unlock_heading": "Nota bekijken, betalen of iets aanvragen",
        "unlock_text": (
            "Vul ter controle eenmalig de geboortedatum van de patiënt in. U ziet dan de "
            "behandelingen en kunt de nota downloaden, betalen, uitstel of een regeling "
            "aanvragen of bezwaar maken."
        ),
        "unlock_heading_settled": "Nota bekijken of bezwaar maken",
        "unlock_text_settled": (
            "Vul ter controle eenmalig de geboortedatum van de patiënt in. U ziet dan de "
            "behandelingen en kunt de nota downloaden of bezwaar maken."
        ),
        # The same, naming only what the page then offers (checker_page._unlock_keys):
        # payable without an arrangement (too small for two terms, R15), without a
        # deferral (given already, R14), without either; or, told not to pay yet, the
        # insurer's statement (legal-nl.md §7).
        "unlock_heading_pay": "Nota bekijken of betalen",
        "unlock_text_no_arrangement": (
            "Vul ter controle eenmalig de geboortedatum van de patiënt in. U ziet dan de "
            "behandelingen en kunt de nota downloaden, betalen, uitstel van betaling aanvragen "
            "of bezwaar maken."
        ),
        "unlock_text_no_deferral": (
            "Vul ter controle eenmalig de geboortedatum van de patiënt in. U ziet dan de "
            "behandelingen en kunt de nota downloaden, betalen, een betalingsregeling aanvragen "
            "of bezwaar maken."
        ),
        "unlock_text_no_request": (
            "Vul ter controle eenmalig de geboortedatum van de patiënt in. U ziet dan de "
            "behandelingen en kunt de nota downloaden, betalen of bezwaar maken."
        ),
        # Payable, and the insurer's statement taken too (non-contracted care of a practice
        # that does not wait for it: R17, R37), by the requests the page can take.
        "unlock_text_with_statement": (
            "Vul ter controle eenmalig de geboortedatum van de patiënt in. U ziet dan de "
            "behandelingen en kunt de nota downloaden, betalen, de bedragen van het overzicht "
            "van uw zorgverzekeraar invullen, uitstel of een regeling aanvragen of bezwaar maken."
        ),
        "unlock_text_with_statement_no_arrangement": (
            "Vul ter controle eenmalig de geboortedatum van de patiënt in. U ziet dan de "
            "behandelingen en kunt de nota downloaden, betalen, de bedragen van het overzicht "
            "van uw zorgverzekeraar invullen, uitstel van betaling aanvragen of bezwaar "
            "maken."
        ),
        "unlock_text_with_statement_no_deferral": (
            "Vul ter controle eenmalig de geboortedatum van de patiënt in. U ziet dan de "
            "behandelingen en kunt de nota downloaden, betalen, de bedragen van het overzicht "
            "van uw zorgverzekeraar invullen, een betalingsregeling aanvragen of bezwaar "
            "maken."
        ),
        "unlock_text_with_statement_no_request": (
            "Vul ter controle eenmalig de geboortedatum van de patiënt in. U ziet dan de "
            "behandelingen en kunt de nota downloaden, betalen, de bedragen van het overzicht "
            "van uw zorgverzekeraar invullen of bezwaar maken."
        ),
        "unlock_heading_statement": "Nota bekijken of het overzicht van uw zorgverzekeraar doorgeven",
        "unlock_text_statement": (
            "Vul ter controle eenmalig de geboortedatum van de patiënt in. U ziet dan de "
            "behandelingen en kunt de nota downloaden, de bedragen van het overzicht van uw "
            "zorgverzekeraar invullen, uitstel van betaling aanvragen of bezwaar maken."
        ),
        "unlock_text_statement_no_deferral": (
            "Vul ter controle eenmalig de geboortedatum van de patiënt in. U ziet dan de "
            "behandelingen en kunt de nota downloaden, de bedragen van het overzicht van uw "
            "zorgverzekeraar invullen of bezwaar maken."
        ),
        "unlock_button": "Verder",
        "breakdown_heading": "Waar het bedrag uit bestaat",
        "bd_invoiced": "Nota",
        "bd_reimbursed": "Vergoed door uw zorgverzekeraar",
        "bd_forgiven": "Kwijtgescholden door uw zorgverlener",
        "bd_paid": "Al betaald",
        "bd_costs": "Incassokosten",
        "bd_fee": "Kosten betalingsregeling",
        "bd_interest": "Wettelijke rente tot vandaag",
        # Settled: the interest stopped on the day it was paid (or waived), not today (R20)
        "bd_interest_settled": "Wettelijke rente",
        "bd_due": "Nog te betalen",
        "bd_credit": "Te veel betaald, dat betalen wij u terug",
        "credit_note": "U heeft {amount} te veel betaald. Dat bedrag betalen wij aan u terug.",
        # R13: of what was paid, what went back: on its day when one day paid it all back
        "bd_refunded": "Aan u terugbetaald",
        "bd_refunded_on": "Aan u terugbetaald op {date}",
        "pay_by_final_payment_date": "Uiterste betaaldatum",
        "pay_by_deferred": "Uiterste betaaldatum na uitstel",
        "pay_by_reminder": "Uiterste betaaldatum volgens de herinnering",
        "pay_by_second_notice": "Betaal uiterlijk (daarna gaat de nota naar het incassobureau)",
        "pay_by_arrangement_term": "Volgende termijn uiterlijk",
        # R15, R36: beside the term's date, what that term asks (the amount due is all of it)
        "term_amount": "Bedrag van de termijn",
        "pay_by_hold": "Betaal uiterlijk (tot en met die dag houdt uw zorgverlener de nota aan)",
        # R36: a date that has passed is not one to pay by; legal-nl.md §7: none while the
        # insurer's statement is awaited ("don't pay yet")
        "pay_by_passed": "Uiterste betaaldatum verstreken op",
        "pay_by_passed_arrangement_term": "Openstaande termijn verstreken op",
        "pay_by_after_statement": "Volgt {by_channel_nl}, met het aangepaste bedrag",
        # R15: what the agreed terms leave (a retour's raise), as the letters name it
        "extra_term_note": (
            "Na uw laatste termijn betaalt u nog {amount} als extra termijn, uiterlijk {date}."
        ),
        "on_hold_note": (
            "Uw zorgverlener bekijkt deze nota. Tot en met {date} stuurt uw zorgverlener geen "
            "herinnering en rekent geen kosten."
        ),
        # R16, R19: instead, once the costs were charged: what the hold pauses is the way to
        # the agency; it undoes nothing charged before it (holdwords54)
        "on_hold_after_costs_note": (
            "Uw zorgverlener bekijkt deze nota. Tot en met {date} zet uw zorgverlener de incasso "
            "stil: de nota gaat in die tijd niet naar het incassobureau. Incassokosten die al in "
            "rekening zijn gebracht, blijven staan."
        ),
        # R16: after either note, what follows the hold: dunning goes on where it stopped;
        # but a next letter with nowhere to go (R7, R23) waits for the practice, not for the
        # hold's end (holdnote54). Said without the contact details, which only the birth
        # date opens (reminder_undelivered_waits_for_practice, R10, R36).
        "on_hold_goes_on": (
            "Is de nota daarna nog niet betaald, dan gaat het verder waar het gebleven was."
        ),
        "on_hold_waits_for_practice": (
            "Is de nota daarna nog niet betaald, dan gaat het pas verder als uw zorgverlener de "
            "nota heeft nagekeken."
        ),
        # R15, R16: a hold pauses dunning, not an arrangement's terms
        "on_hold_terms_note": (
            "Uw betalingsregeling loopt intussen gewoon door: betaal elke termijn op tijd. Een "
            "termijn die 14 dagen na de vervaldatum nog niet betaald is, beëindigt de "
            "regeling, ook in deze periode."
        ),
        # R15: a term missed by more than 14 days ended it; dunning goes on where it stopped
        "arrangement_ended_note": (
            "Uw betalingsregeling is op {date} beëindigd, omdat een termijn 14 dagen na de "
            "vervaldatum nog niet betaald was."
        ),
        # R7, legal-nl.md §2: the reminder never arrived (a Permanent bounce): it has no term,
        # a new one comes with its own; said once the birth date is checked (R10, R36)
        "reminder_undelivered_coming": (
            "Onze herinnering heeft u niet bereikt. U ontvangt een nieuwe herinnering "
            "{by_channel_nl}, met een nieuwe uiterste betaaldatum."
        ),
        "reminder_undelivered_waits_for_practice": (
            "Onze herinnering heeft u niet bereikt. Uw zorgverlener kijkt uw adresgegevens na; "
            "daarna ontvangt u een nieuwe herinnering, met een nieuwe uiterste betaaldatum."
        ),
        # R7, R23: the patient's e-mail address bounced for good before any reminder, and with
        # no postal address the reminder waits for the practice (dunning/timeline.plan); said
        # once the birth date is checked, as the reminder's (R10, R36). "No longer reach":
        # the address is marked dead, not each mail, so this invoice's own e-mail may have
        # arrived before another one to the address bounced
        "invoice_undelivered_waits_for_practice": (
            "Onze e-mails bereiken u niet meer. Uw zorgverlener kijkt uw "
            "adresgegevens na; is de nota daarna nog niet betaald, dan ontvangt u een "
            "herinnering, met een nieuwe uiterste betaaldatum."
        ),
        # R7, R19: the second notice never arrived (a Permanent bounce): it goes again and the
        # handover waits for it (correspondence/bounces.py); said once the birth date is checked
        "second_notice_undelivered_coming": (
            "Onze laatste aanmaning heeft u niet bereikt. U ontvangt een nieuwe laatste "
            "aanmaning {by_channel_nl}, met een nieuwe datum waarna de nota naar het "
            "incassobureau gaat."
        ),
        "second_notice_undelivered_waits_for_practice": (
            "Onze laatste aanmaning heeft u niet bereikt. Uw zorgverlener kijkt uw "
            "adresgegevens na; daarna ontvangt u een nieuwe laatste aanmaning, met een nieuwe "
            "datum waarna de nota naar het incassobureau gaat."
        ),
        # R19, legal-nl.md §2: the first one is still to go; the handover counts from it
        "second_notice_to_go": (
            "Onze laatste aanmaning wordt nu verstuurd. Daarin staat de datum waarna de nota "
            "naar het incassobureau gaat."
        ),
        # R16, R19: that one waits for a hold on another invoice of the letter: it goes
        # later; the hold itself not named, as the state line before the birth date reads alike
        "second_notice_held": (
            "Onze laatste aanmaning is nog niet verstuurd; u ontvangt hem later. Daarin staat "
            "de datum waarna de nota naar het incassobureau gaat."
        ),
        "practice_heading": "Vragen over de behandeling?",
        "practice_text": "Neem contact op met uw zorgverlener:",
        "practice_phone": "Telefoon",
        "practice_email": "E-mail",
        "practice_website": "Website",
        "practice_hours": "Bereikbaar",
        "lines_heading": "Behandelingen",
        "col_date": "Datum",
        "col_description": "Omschrijving",
        "col_amount": "Bedrag",
        "col_reimbursed": "Vergoed",
        "download_pdf": "Download de nota (PDF)",
        "pay_term_button": "Betaal de termijn van {amount} met iDEAL",
        "pay_all_button": "Betaal alles in één keer: {amount}",
        "dont_pay_yet_heading": "Let op: betaal deze nota nog niet",
        # legal-nl.md §7, seeds 001 and 004: what the invoice and its e-mail say too
        "dont_pay_yet": (
            "Uw zorgverlener heeft geen contract met uw zorgverzekeraar. Vraag ook nog geen "
            "betalingsregeling aan. Dien de nota eerst in bij uw zorgverzekeraar en vul "
            "hieronder de bedragen van het overzicht in dat u terugkrijgt. U krijgt het "
            "aangepaste bedrag met een nieuwe uiterste betaaldatum {by_channel_nl}. Duurt het lang "
            "voordat uw zorgverzekeraar betaalt? Vraag dan hier kosteloos uitstel van betaling "
            "aan."
        ),
        # The same before the birth date is checked: only its form is below, the statement's
        # form and the deferral come after it (checker page, R36)
        "dont_pay_yet_locked": (
            "Uw zorgverlener heeft geen contract met uw zorgverzekeraar. Vraag ook nog geen "
            "betalingsregeling aan. Dien de nota eerst in bij uw zorgverzekeraar. Vul daarna "
            "hieronder de geboortedatum van de patiënt in: dan kunt u hier de bedragen invullen "
            "van het overzicht dat u terugkrijgt. U krijgt het aangepaste bedrag met een nieuwe "
            "uiterste betaaldatum {by_channel_nl}. Duurt het lang voordat uw zorgverzekeraar "
            "betaalt? Vraag dan na de geboortedatum hier kosteloos uitstel van betaling aan."
        ),
        # The same where no deferral can be asked (given already, R14): for a slow insurer,
        # the practice (seed 004); and unlocked without the statement's form (paid at the
        # bank, being booked: R11), a reload brings it back (checker_page._dont_pay_yet_key)
        "dont_pay_yet_no_deferral": (
            "Uw zorgverlener heeft geen contract met uw zorgverzekeraar. Vraag ook nog geen "
            "betalingsregeling aan. Dien de nota eerst in bij uw zorgverzekeraar en vul "
            "hieronder de bedragen van het overzicht in dat u terugkrijgt. U krijgt het "
            "aangepaste bedrag met een nieuwe uiterste betaaldatum {by_channel_nl}. Duurt het lang "
            "voordat uw zorgverzekeraar betaalt? Neem dan contact op met uw zorgverlener."
        ),
        "dont_pay_yet_locked_no_deferral": (
            "Uw zorgverlener heeft geen contract met uw zorgverzekeraar. Vraag ook nog geen "
            "betalingsregeling aan. Dien de nota eerst in bij uw zorgverzekeraar. Vul daarna "
            "hieronder de geboortedatum van de patiënt in: dan kunt u hier de bedragen invullen "
            "van het overzicht dat u terugkrijgt. U krijgt het aangepaste bedrag met een nieuwe "
            "uiterste betaaldatum {by_channel_nl}. Duurt het lang voordat uw zorgverzekeraar "
            "betaalt? Neem dan contact op met uw zorgverlener."
        ),
        # R17, legal-nl.md §7: the statement is in, the provider has yet to decide on it
        "coulance_decision_heading": "Uw zorgverlener beslist over het aangepaste bedrag",
        "coulance_decision": (
            "Wij hebben het overzicht van uw zorgverzekeraar ontvangen. U krijgt het aangepaste "
            "bedrag met een nieuwe uiterste betaaldatum {by_channel_nl}. Betaal tot dan nog niet en vraag "
            "nog geen betalingsregeling of uitstel aan."
        ),
        "statement_heading": "Overzicht van uw zorgverzekeraar",
        "statement_text": "Neem de bedragen over van het overzicht dat uw zorgverzekeraar stuurde.",
        "reimbursed_label": "Vergoed door uw zorgverzekeraar (€)",
        "withheld_label": "Ingehouden eigen risico (€)",
        "statement_button": "Overzicht doorgeven",
        # legal-nl.md §7: the adjusted amount with its new date, in the words of the
        # answer to a statement with nothing to forgive below (one way for both, R10)
        "done_statement_applied": (
            "Het bedrag is aangepast: u betaalt nog {due}. Betaal dit uiterlijk {date}. U "
            "krijgt een bevestiging {by_channel_nl}."
        ),
        "done_statement_sent_to_provider": (
            "Uw zorgverlener beoordeelt het overzicht. U krijgt bericht {by_channel_nl}."
        ),
        # legal-nl.md §7: the old amount with a new date (services.patient, round 40)
        "done_statement_nothing_to_forgive": (
            "Wij hebben het overzicht ontvangen. Het bedrag blijft {due}. Betaal dit uiterlijk "
            "{date}. U krijgt een bevestiging {by_channel_nl}."
        ),
        # R19, legal-nl.md §2: the same while the final notice has still to go (queued, or
        # sent again after a bounce): the day before the agency counts from its receipt
        "done_statement_applied_undated": (
            "Het bedrag is aangepast: u betaalt nog {due}. De datum waarna de nota naar het "
            "incassobureau gaat, staat in de laatste aanmaning die u ontvangt. U krijgt een "
            "bevestiging {by_channel_nl}."
        ),
        "done_statement_nothing_to_forgive_undated": (
            "Wij hebben het overzicht ontvangen. Het bedrag blijft {due}. De datum waarna de "
            "nota naar het incassobureau gaat, staat in de laatste aanmaning die u ontvangt. U "
            "krijgt een bevestiging {by_channel_nl}."
        ),
        "page_faq": "Veelgestelde vragen",
        "page_terms": "Betalingsvoorwaarden",
        "page_privacy": "Privacy",
    },
    REFUSALS: {
        "paid": "Deze nota is al betaald.",
        "nothing_to_pay": "Op deze nota hoeft u niets meer te betalen.",
        "with_collection_agency": "Deze nota is overgedragen aan het incassobureau. Neem contact op met het incassobureau.",
        "payment_received": (
            "Deze betaling is al ontvangen en wordt verwerkt. U hoeft niet opnieuw te betalen."
        ),
        "already_deferred": "U heeft voor deze nota al uitstel van betaling gekregen. Uitstel kan één keer.",
        "arrangement_exists": "Voor deze nota is al een betalingsregeling getroffen.",
        "deferral_too_late": (
            "De betaaldatum is al te lang voorbij: uitstel geeft u geen extra tijd meer. "
            "U kunt wel een betalingsregeling treffen."
        ),
        "deferral_gives_no_time": (
            "Uitstel kan niet meer: het zou de datum waarop u nu uiterlijk moet betalen niet "
            "later maken. U kunt wel een betalingsregeling treffen."
        ),
        # R14, R15: the same where the checker would refuse an arrangement too (the amount
        # too small for two terms): no invitation to one (changes.deferral)
        "deferral_too_late_no_arrangement": (
            "De betaaldatum is al te lang voorbij: uitstel geeft u geen extra tijd meer."
        ),
        "deferral_gives_no_time_no_arrangement": (
            "Uitstel kan niet meer: het zou de datum waarop u nu uiterlijk moet betalen niet "
            "later maken."
        ),
        "terms_out_of_range": "Een betalingsregeling heeft 2 tot en met 12 maandelijkse termijnen.",
        "term_too_small": "Met dit aantal termijnen wordt een termijn te klein. Kies minder termijnen.",
        "amount_too_small": (
            "Het bedrag is te klein voor een betalingsregeling. U kunt wel uitstel van "
            "betaling vragen."
        ),
        # R14, R15: the same where the checker would refuse a deferral too (had already,
        # or too late): no invitation to one (changes.arrangement)
        "amount_too_small_no_deferral": "Het bedrag is te klein voor een betalingsregeling.",
        "statement_already_received": "Voor deze nota hebben wij het overzicht van uw zorgverzekeraar al ontvangen.",
        "not_for_insurer": (
            "Deze nota dient u niet in bij uw zorgverzekeraar: een tarief voor een niet "
            "nagekomen afspraak gaat nooit naar de zorgverzekeraar. U betaalt het zelf."
        ),
        "insurer_contracted": (
            "Uw zorgaanbieder heeft een contract met uw zorgverzekeraar: de vergoeding is al "
            "van deze nota afgetrokken."
        ),
        "statement_above_invoice": (
            "De vergoeding en het ingehouden eigen risico zijn samen hoger dan de nota. "
            "Controleer de bedragen op het overzicht van uw zorgverzekeraar."
        ),
        # legal-nl.md §7, R17: an arrangement or deferral of an amount about to be adjusted
        "awaits_insurer_statement": (
            "Vraag nog geen betalingsregeling aan: dien de nota eerst in bij uw zorgverzekeraar en "
            "geef ons het overzicht door. U krijgt het aangepaste bedrag {by_channel_nl}."
        ),
        "awaits_coulance_decision": (
            "Uw zorgverlener beslist nu over het aangepaste bedrag. U krijgt het {by_channel_nl}, met een "
            "nieuwe uiterste betaaldatum. Tot dan hoeft u niets te regelen."
        ),
        # Each names the one part of the objection form to put right (WCAG 3.3.3).
        "invalid_objection_reason": "Kies een reden uit de lijst.",
        "invalid_objection_message_empty": "Schrijf in het bericht waar u het niet mee eens bent.",
        "invalid_objection_message": "Schrijf een bericht van hoogstens 2000 tekens.",
        "invalid_objection_email": (
            "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl: daar krijgt u het "
            "antwoord op uw bezwaar."
        ),
    },
    ANSWERS: {
        # One sentence for an unknown reference and a wrong birth date alike (R10).
        # As the page's no_match (texts58): the wait after wrong birth dates, and the
        # practice, for both; no PII.
        "not_found": (
            "Wij vinden geen nota bij dit betalingskenmerk en deze gegevens. Controleer het "
            "betalingskenmerk op uw nota en, als u die meestuurde, de geboortedatum van de "
            "patiënt. Klopt het toch? Probeer het dan pas over een uur opnieuw: na enkele foute "
            "pogingen wachten we een uur, en een poging in dat uur laat het uur opnieuw "
            "beginnen. Of bel de zorgverlener op uw nota."
        ),
        "invalid_reference": "Dit betalingskenmerk klopt niet — controleer de 14 cijfers.",
        # The practice's stored settings do not validate (R31): no part of the invoice.
        "invoice_unavailable": (
            "Deze nota kunnen we nu niet tonen. Probeer het later opnieuw, of neem contact op "
            "met uw zorgverlener."
        ),
    },
}

_ENGLISH: Sections = {
    INFO: _ENGLISH_INFO,
    PAGE: {
        "title": "Payment checker",
        "lead": "Has your invoice been paid? Enter the payment reference from your invoice.",
        "reference_label": "Payment reference",
        "reference_hint": "14 digits, on your invoice next to 'Betalingskenmerk'. Spaces are fine.",
        "check": "Check",
        "invalid_reference": "This payment reference is not right — please check the 14 digits.",
        "not_found": (
            "We cannot find an invoice with this payment reference. Please check the number on "
            "your invoice."
        ),
        "invoice_unavailable": (
            "We cannot show this invoice right now. Please try again later, or contact your "
            "care provider."
        ),
        "status_paid": "This invoice has been paid.",
        "status_being_booked": "Your payment is being processed.",
        "status_waived": (
            "You do not need to pay anything: your healthcare provider has waived the amount "
            "of this invoice."
        ),
        "status_reimbursed": (
            "You do not need to pay anything: your health insurer reimburses all of this invoice."
        ),
        "status_paid_rest_waived": (
            "You paid {paid}; your healthcare provider has waived the rest. You do not need "
            "to pay anything more."
        ),
        "status_open": "This invoice is open.",
        "status_partly_paid": "This invoice has been partly paid.",
        "amount_due": "Still to pay",
        "final_payment_date": "Pay by",
        "state": "State",
        "state_open": "Open",
        "state_paid": "Paid",
        "state_waived": "Waived by your healthcare provider",
        "state_reimbursed": "Reimbursed by your health insurer",
        "state_paid_rest_waived": "Partly paid, the rest waived by your healthcare provider",
        "state_deferred": "Deferral of payment granted",
        "state_arrangement_active": "Instalment arrangement running",
        "state_on_hold": "Being looked at by your healthcare provider",
        "state_reminder_sent": "Reminder sent",
        "state_second_notice_sent": "Final notice sent",
        "state_second_notice_waits": "Final notice still to be sent",
        "state_with_collection_agency": "Handed over to the collection agency",
        "collected_by_agency": (
            "The collection agency now collects this invoice on behalf of your healthcare provider."
        ),
        "birth_date_label": "Patient's date of birth",
        "birth_date_hint": "To check that you mean the right invoice.",
        "pay_heading": "Pay",
        "pay_button": "Pay {amount} with iDEAL",
        "defer_heading": "Need more time?",
        "defer_text": "You can ask once for a free deferral of payment of {days_en}.",
        "defer_button": "Ask for a deferral",
        "arrange_heading": "Pay in instalments",
        "arrange_text": (
            "With an instalment arrangement you pay in 2 to 12 monthly terms. "
            "It costs {fee}; a term is at least {minimum}."
        ),
        "terms_label": "Number of terms",
        "arrange_button": "Set up the arrangement",
        "object_heading": "Do you disagree with the invoice?",
        "object_text": "File an objection; your healthcare provider will contact you.",
        "object_term_runs": "Please note: an objection does not suspend the payment term.",
        "reason_label": "Reason",
        "reason_treatment": "The treatment",
        "reason_amount": "The amount",
        "reason_insurer": "The reimbursement by my health insurer",
        "reason_other": "Something else",
        "message_label": "Your explanation",
        "email_label": "Your e-mail address (for the confirmation)",
        "object_button": "File the objection",
        "done_deferral": "Deferral granted. The new date to pay by is {date}.",
        "done_arrangement": (
            "Your instalment arrangement is in place. The schedule comes {by_channel_en}."
        ),
        "done_objection": "We have received your objection. A confirmation comes by e-mail.",
        "done_objection_unacknowledged": (
            "We have received your objection. Your healthcare provider will contact you."
        ),
        "refused": "That is not possible: {reason}",
        "privacy": (
            "This page never shows your name or address, and your treatments only after the "
            "patient's date of birth. zorgnota sends invoices and receives payments on behalf of "
            "healthcare providers."
        ),
        "switch_language": "Nederlands",
        "language_label": "Language",
        "skip": "Skip to content",
        "table_of": "Table: {name}",
        "birth_date_unreadable": (
            "We cannot read this date of birth. Please write it as day-month-year, for "
            "example 7-3-1984."
        ),
        "no_match": (
            "We cannot find an invoice for this payment reference and this date of birth. "
            "Please check the payment reference on your invoice and the patient's date of birth. "
            "Both right? Then try again in an hour, not sooner: after several wrong tries we "
            "wait an hour, and a try within that hour starts the hour again. Or call the "
            "healthcare provider on your invoice."
        ),
        "visit_expired": (
            "Please enter the patient's date of birth to check. Then for {minutes} minutes "
            "you can see the invoice and pay or ask for something."
        ),
        "form_invalid": "The form was not complete or not right. Nothing has been changed.",
        "amount_invalid": (
            "An amount could not be read. Enter it in euros with a comma before the cents, as "
            "the statement shows it: for example 60,17 or 1.234,56. Nothing has been changed."
        ),
        "payment_thanks": "Thank you! Your payment has been received.",
        "payment_processing": (
            "Thank you! Your bank has confirmed the payment. We are processing it now; in a "
            "few minutes this page shows the new amount."
        ),
        "payment_pending": (
            "Your bank has not confirmed the payment yet. Please reload this page in a few minutes."
        ),
        "payment_ended": (
            "The payment was cancelled or has expired; nothing was debited. You can pay again."
        ),
        "payment_failed": (
            "The payment failed: your bank did not complete it. Nothing was debited. You can "
            "pay again."
        ),
        "payment_unknown": (
            "We cannot check right now whether your payment went through: the payment service "
            "(iDEAL) cannot be reached. Please do not pay again. Reload this page in a few "
            "minutes: if the payment went through, this page then shows the new amount."
        ),
        "unlock_heading": "See the invoice, pay or ask for something",
        "unlock_text": (
            "Enter the patient's date of birth once to check. You then see the treatments and "
            "can download the invoice, pay, ask for a deferral or an arrangement, or object."
        ),
        "unlock_heading_settled": "See the invoice or object",
        "unlock_text_settled": (
            "Enter the patient's date of birth once to check. You then see the treatments and "
            "can download the invoice or object."
        ),
        "unlock_heading_pay": "See the invoice or pay",
        "unlock_text_no_arrangement": (
            "Enter the patient's date of birth once to check. You then see the treatments and "
            "can download the invoice, pay, ask for a deferral or object."
        ),
        "unlock_text_no_deferral": (
            "Enter the patient's date of birth once to check. You then see the treatments and "
            "can download the invoice, pay, ask for an arrangement or object."
        ),
        "unlock_text_no_request": (
            "Enter the patient's date of birth once to check. You then see the treatments and "
            "can download the invoice, pay or object."
        ),
        # Payable, and the insurer's statement taken too (R17, R37; see the Dutch)
        "unlock_text_with_statement": (
            "Enter the patient's date of birth once to check. You then see the treatments and "
            "can download the invoice, pay, enter the amounts of your insurer's statement, ask "
            "for a deferral or an arrangement, or object."
        ),
        "unlock_text_with_statement_no_arrangement": (
            "Enter the patient's date of birth once to check. You then see the treatments and "
            "can download the invoice, pay, enter the amounts of your insurer's statement, ask "
            "for a deferral or object."
        ),
        "unlock_text_with_statement_no_deferral": (
            "Enter the patient's date of birth once to check. You then see the treatments and "
            "can download the invoice, pay, enter the amounts of your insurer's statement, ask "
            "for an arrangement or object."
        ),
        "unlock_text_with_statement_no_request": (
            "Enter the patient's date of birth once to check. You then see the treatments and "
            "can download the invoice, pay, enter the amounts of your insurer's statement or "
            "object."
        ),
        "unlock_heading_statement": "See the invoice or send your insurer's statement",
        "unlock_text_statement": (
            "Enter the patient's date of birth once to check. You then see the treatments and "
            "can download the invoice, enter the amounts of your insurer's statement, ask for "
            "a deferral or object."
        ),
        "unlock_text_statement_no_deferral": (
            "Enter the patient's date of birth once to check. You then see the treatments and "
            "can download the invoice, enter the amounts of your insurer's statement or object."
        ),
        "unlock_button": "Continue",
        "breakdown_heading": "What the amount is made of",
        "bd_invoiced": "Invoice",
        "bd_reimbursed": "Reimbursed by your health insurer",
        "bd_forgiven": "Waived by your healthcare provider",
        "bd_paid": "Already paid",
        "bd_costs": "Collection costs",
        "bd_fee": "Instalment arrangement fee",
        "bd_interest": "Statutory interest up to today",
        "bd_interest_settled": "Statutory interest",
        "bd_due": "Still to pay",
        "bd_credit": "Paid too much, which we pay back to you",
        "credit_note": "You have paid {amount} too much. We will pay that amount back to you.",
        "bd_refunded": "Paid back to you",
        "bd_refunded_on": "Paid back to you on {date}",
        "pay_by_final_payment_date": "Pay by",
        "pay_by_deferred": "Pay by, after the deferral",
        "pay_by_reminder": "Pay by, as in the reminder",
        "pay_by_second_notice": "Pay by (after that the invoice goes to the collection agency)",
        "pay_by_arrangement_term": "Next term due by",
        "term_amount": "Amount of the term",
        "pay_by_hold": "Pay by (your healthcare provider has put the invoice on hold until then)",
        "pay_by_passed": "Was due on",
        "pay_by_passed_arrangement_term": "Instalment was due on",
        "pay_by_after_statement": "Follows {by_channel_en}, with the adjusted amount",
        "extra_term_note": (
            "After your last term you pay {amount} more as one extra term, no later than {date}."
        ),
        "on_hold_note": (
            "Your healthcare provider is looking at this invoice. Until {date}, your healthcare "
            "provider sends no reminder and charges no costs."
        ),
        "on_hold_after_costs_note": (
            "Your healthcare provider is looking at this invoice. Until {date}, your healthcare "
            "provider has paused collection: the invoice does not go to the collection agency "
            "in that time. Collection costs already charged remain."
        ),
        "on_hold_goes_on": (
            "If the invoice is still unpaid after that, collection goes on where it stopped."
        ),
        "on_hold_waits_for_practice": (
            "If the invoice is still unpaid after that, collection goes on only once your "
            "healthcare provider has finished checking it."
        ),
        "on_hold_terms_note": (
            "Your instalment arrangement goes on meanwhile: pay each term on time. A term "
            "still unpaid 14 days after its due date ends the arrangement, also during this "
            "period."
        ),
        "arrangement_ended_note": (
            "Your instalment arrangement ended on {date}, because a term was still unpaid 14 "
            "days after its due date."
        ),
        "reminder_undelivered_coming": (
            "Our reminder did not reach you. You will receive a new reminder {by_channel_en}, "
            "with a new date to pay by."
        ),
        "reminder_undelivered_waits_for_practice": (
            "Our reminder did not reach you. Your healthcare provider is checking your contact "
            "details; you will then receive a new reminder, with a new date to pay by."
        ),
        "invoice_undelivered_waits_for_practice": (
            "Our e-mails no longer reach you. Your healthcare provider is checking "
            "your contact details; if the invoice is still unpaid after that, you will "
            "receive a reminder, with a new date to pay by."
        ),
        "second_notice_undelivered_coming": (
            "Our final notice did not reach you. You will receive a new final notice "
            "{by_channel_en}, with a new date after which the invoice goes to the collection "
            "agency."
        ),
        "second_notice_undelivered_waits_for_practice": (
            "Our final notice did not reach you. Your healthcare provider is checking your "
            "contact details; you will then receive a new final notice, with a new date after "
            "which the invoice goes to the collection agency."
        ),
        "second_notice_to_go": (
            "Our final notice is being sent now. It names the date after which the invoice "
            "goes to the collection agency."
        ),
        "second_notice_held": (
            "Our final notice has not been sent yet; you will receive it later. It names the "
            "date after which the invoice goes to the collection agency."
        ),
        "practice_heading": "Questions about the treatment?",
        "practice_text": "Please contact your healthcare provider:",
        "practice_phone": "Phone",
        "practice_email": "E-mail",
        "practice_website": "Website",
        "practice_hours": "Opening hours",
        "lines_heading": "Treatments",
        "col_date": "Date",
        "col_description": "Description",
        "col_amount": "Amount",
        "col_reimbursed": "Reimbursed",
        "download_pdf": "Download the invoice (PDF)",
        "pay_term_button": "Pay the term of {amount} with iDEAL",
        "pay_all_button": "Pay everything at once: {amount}",
        "dont_pay_yet_heading": "Please note: do not pay this invoice yet",
        "dont_pay_yet": (
            "Your healthcare provider has no contract with your health insurer. Do not ask for "
            "an instalment arrangement yet either. First claim the invoice from your insurer, "
            "then enter below the amounts of the statement you get back. You will get the "
            "adjusted amount {by_channel_en}, with a new date to pay by. If your insurer takes "
            "long to pay, ask here for a free deferral of payment."
        ),
        "dont_pay_yet_locked": (
            "Your healthcare provider has no contract with your health insurer. Do not ask for "
            "an instalment arrangement yet either. First claim the invoice from your insurer. "
            "Then enter the patient's date of birth below: you can then enter here the amounts "
            "of the statement you get back. You will get the adjusted amount {by_channel_en}, "
            "with a new date to pay by. If your insurer takes long to pay, ask here, after the "
            "date of birth, for a free deferral of payment."
        ),
        "dont_pay_yet_no_deferral": (
            "Your healthcare provider has no contract with your health insurer. Do not ask for "
            "an instalment arrangement yet either. First claim the invoice from your insurer, "
            "then enter below the amounts of the statement you get back. You will get the "
            "adjusted amount {by_channel_en}, with a new date to pay by. If your insurer takes "
            "long to pay, please contact your healthcare provider."
        ),
        "dont_pay_yet_locked_no_deferral": (
            "Your healthcare provider has no contract with your health insurer. Do not ask for "
            "an instalment arrangement yet either. First claim the invoice from your insurer. "
            "Then enter the patient's date of birth below: you can then enter here the amounts "
            "of the statement you get back. You will get the adjusted amount {by_channel_en}, "
            "with a new date to pay by. If your insurer takes long to pay, please contact your "
            "healthcare provider."
        ),
        "coulance_decision_heading": "Your healthcare provider is deciding on the adjusted amount",
        "coulance_decision": (
            "We have received your health insurer's statement. You will get the adjusted amount "
            "{by_channel_en}, with a new date to pay by. Until then, do not pay yet and do not ask for "
            "an instalment arrangement or a deferral."
        ),
        "statement_heading": "Your health insurer's statement",
        "statement_text": "Copy the amounts from the statement your health insurer sent you.",
        "reimbursed_label": "Reimbursed by your health insurer (€)",
        "withheld_label": "Deductible withheld (€)",
        "statement_button": "Send the statement",
        "done_statement_applied": (
            "The amount has been adjusted: you now pay {due}. Please pay it no later than "
            "{date}. A confirmation comes {by_channel_en}."
        ),
        "done_statement_sent_to_provider": (
            "Your healthcare provider looks at the statement. You will hear {by_channel_en}."
        ),
        "done_statement_nothing_to_forgive": (
            "We have received the statement. The amount stays {due}. Please pay it no later "
            "than {date}. A confirmation comes {by_channel_en}."
        ),
        "done_statement_applied_undated": (
            "The amount has been adjusted: you now pay {due}. The final notice you will "
            "receive names the date after which the invoice goes to the collection agency. A "
            "confirmation comes {by_channel_en}."
        ),
        "done_statement_nothing_to_forgive_undated": (
            "We have received the statement. The amount stays {due}. The final notice you "
            "will receive names the date after which the invoice goes to the collection "
            "agency. A confirmation comes {by_channel_en}."
        ),
        "page_faq": "Questions and answers",
        "page_terms": "Payment terms",
        "page_privacy": "Privacy",
    },
    REFUSALS: {
        "paid": "This invoice has already been paid.",
        "nothing_to_pay": "There is nothing left for you to pay on this invoice.",
        "with_collection_agency": (
            "This invoice has been handed over to the collection agency. Please contact the "
            "collection agency."
        ),
        "payment_received": (
            "This payment has already been received and is being processed. You do not need "
            "to pay again."
        ),
        "already_deferred": "You have already had a deferral of payment for this invoice. A deferral is possible once.",
        "arrangement_exists": "An instalment arrangement has already been made for this invoice.",
        "deferral_too_late": (
            "The payment date passed too long ago: a deferral would give you no extra time. "
            "You can still arrange to pay in instalments."
        ),
        "deferral_gives_no_time": (
            "A deferral is no longer possible: it would not move the date you must now pay by. "
            "You can still arrange to pay in instalments."
        ),
        "deferral_too_late_no_arrangement": (
            "The payment date passed too long ago: a deferral would give you no extra time."
        ),
        "deferral_gives_no_time_no_arrangement": (
            "A deferral is no longer possible: it would not move the date you must now pay by."
        ),
        "terms_out_of_range": "An instalment arrangement has 2 to 12 monthly terms.",
        "term_too_small": "With this number of terms each term would be too small. Choose fewer terms.",
        "amount_too_small": (
            "The amount is too small for an instalment arrangement. You can ask for a "
            "deferral of payment instead."
        ),
        "amount_too_small_no_deferral": "The amount is too small for an instalment arrangement.",
        "statement_already_received": "We have already received your insurer's statement for this invoice.",
        "not_for_insurer": (
            "This invoice is not one to claim from your insurer: a fee for a missed "
            "appointment never goes to the insurer. You pay it yourself."
        ),
        "insurer_contracted": (
            "Your provider has a contract with your insurer: the reimbursement has already "
            "been deducted from this invoice."
        ),
        "statement_above_invoice": (
            "The reimbursement and the withheld deductible together are more than the invoice. "
            "Please check the amounts on your insurer's statement."
        ),
        "awaits_insurer_statement": (
            "Do not ask for an instalment arrangement yet: first claim the invoice from your health "
            "insurer and send us its statement. You will get the adjusted amount {by_channel_en}."
        ),
        "awaits_coulance_decision": (
            "Your healthcare provider is now deciding on the adjusted amount. You will get it "
            "{by_channel_en}, with a new date to pay by. Until then there is nothing you need to arrange."
        ),
        "invalid_objection_reason": "Choose a reason from the list.",
        "invalid_objection_message_empty": "Write in the message what you disagree with.",
        "invalid_objection_message": "Write a message of at most 2000 characters.",
        "invalid_objection_email": (
            "Enter a valid e-mail address, such as name@example.com: the answer to your "
            "objection goes there."
        ),
    },
    ANSWERS: {
        "not_found": (
            "We cannot find an invoice for this payment reference and these details. Please "
            "check the payment reference on your invoice and, if you sent one, the patient's "
            "date of birth. All right? Then try again in an hour, not sooner: after several "
            "wrong tries we wait an hour, and a try within that hour starts the hour again. Or "
            "call the healthcare provider on your invoice."
        ),
        "invalid_reference": "This payment reference is not right — check the 14 digits.",
        "invoice_unavailable": (
            "We cannot show this invoice right now. Please try again later, or contact your "
            "care provider."
        ),
    },
}

PATIENT = catalogue(nl=_DUTCH, en=_ENGLISH, pl=polish.SECTIONS, ar=arabic.ARABIC)
# The language switch names each language in itself (R9).
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English", "pl": "Polski", "ar": "العربية"}


def page_texts(language: str) -> Texts:
    """The checker page's texts, all in ``language`` or all in Dutch."""
    return PATIENT.texts_for(language, (PAGE,))


def info_texts(language: str) -> Texts:
    """The texts of the pages for patients (questions, terms, privacy) and the labels they
    share with the checker, all in ``language`` or all in Dutch."""
    return PATIENT.texts_for(language, (PAGE, INFO))


def patient_message(code: str, language: str) -> str:
    """The sentence of a patient API error answer (``not_found``, ``invalid_reference``)."""
    return PATIENT.text(ANSWERS, code, language)


def refusal_sentences(code: str, **values: str) -> dict[str, str]:
    """A refusal in every language that has it (Dutch and English always), with the values
    it names."""
    return PATIENT.translations(REFUSALS, code, **values)
