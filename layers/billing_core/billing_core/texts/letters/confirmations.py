"""Texts of the e-mails that confirm what a patient did or paid (R11-R16), what the
provider lowered (R21) and what a correction changed (issue 7).

Keys must not repeat those of the ``common`` and ``email`` sections, which every e-mail
also loads.
"""

from __future__ import annotations

from billing_core.texts.catalogue import Sections

# The agency collects a claim handed over (R22, R34): pay it, not our link.
_WITH_AGENCY_NL = (
    "Er staat nog {amount} open. Deze nota is overgedragen aan het incassobureau. "
    "Neem voor de betaling contact op met het incassobureau."
)

DUTCH: Sections = {
    "email.stop_confirmation": {
        "subject": "Uw nota is verlaagd - betalingskenmerk {reference}",
        "greeting": "Geachte {name},",
        "lowered": "{provider} heeft het bedrag van uw nota verlaagd. U krijgt geen nieuwe nota.",
        "after_statement": (
            "Wij hebben het overzicht van uw zorgverzekeraar ontvangen en het bedrag van uw "
            "nota daarop aangepast. U krijgt geen nieuwe nota."
        ),
        "new_amount": "U betaalt nu nog {amount}, uiterlijk {date}.",
        # R36: once that date has passed, no date to pay by (the summary says it passed).
        "new_amount_passed": "U betaalt nu nog {amount}.",
        "still_open_with_agency": _WITH_AGENCY_NL,
        "nothing_left": "Er staat niets meer open: u hoeft niets te betalen.",
        "pay_link_intro": "Betalen kan online met iDEAL:",
        "closing": "Met vriendelijke groet,",
        "signature": "zorgnota, namens {provider}",
    },
    "email.deferral_confirmation": {
        "subject": "Uitstel van betaling - betalingskenmerk {reference}",
        "greeting": "Geachte {name},",
        "granted": "U heeft uitstel van betaling gekregen voor de nota van {provider}.",
        "new_date": (
            "De nieuwe uiterste betaaldatum is {date}. Wij vragen u {amount} uiterlijk op "
            "die dag te betalen."
        ),
        "once": (
            "Uitstel van betaling kan één keer per nota. Lukt betalen op die datum niet, "
            "dan kunt u in de betaalchecker een betalingsregeling treffen."
        ),
        # R15: instead, when the checker would refuse one (too small, or one made already).
        "once_via_practice": (
            "Uitstel van betaling kan één keer per nota. Lukt betalen op die datum niet, "
            "neem dan contact op met {provider}."
        ),
        "pay_link_intro": "Betalen kan online met iDEAL:",
        "closing": "Met vriendelijke groet,",
        "signature": "zorgnota, namens {provider}",
    },
    "email.arrangement_confirmation": {
        "subject": "Uw betalingsregeling - betalingskenmerk {reference}",
        "greeting": "Geachte {name},",
        "agreed": (
            "U heeft een betalingsregeling getroffen voor de nota van {provider}. U betaalt "
            "{total} in {count} maandelijkse termijnen."
        ),
        "fee": "Dit bedrag is inclusief {fee} kosten voor de betalingsregeling.",
        "interest": (
            "Het is ook inclusief {interest} wettelijke rente: de rente tot de uiterste "
            "betaaldatum van elke termijn."
        ),
        "schedule_heading": "Uw termijnen",
        "col_due": "Uiterlijk op",
        "col_term_amount": "Bedrag",
        "how": (
            "Betaal elke termijn op tijd met iDEAL via de betaalchecker, of maak het bedrag "
            "over naar rekeningnummer {iban} ten name van {holder}, onder vermelding van "
            "betalingskenmerk {reference}."
        ),
        "missed": (
            "Let op: betaalt u een termijn meer dan 14 dagen te laat, dan vervalt de "
            "regeling. U ontvangt dan weer herinneringen voor het bedrag dat nog openstaat."
        ),
        # R15, R19: after the second notice a missed term ends in the handover, no reminder.
        "missed_after_costs": (
            "Let op: betaalt u een termijn meer dan 14 dagen te laat, dan vervalt de "
            "regeling. Het bedrag dat nog openstaat, dragen wij dan over aan het "
            "incassobureau."
        ),
        "pay_link_intro": "Betalen kan online met iDEAL:",
        "closing": "Met vriendelijke groet,",
        "signature": "zorgnota, namens {provider}",
    },
    "email.objection_acknowledgement": {
        "subject": "Wij hebben uw bezwaar ontvangen - betalingskenmerk {reference}",
        # No name: written when this went to the address typed in the form. Since issue
        # 13.3 it goes only to the invoice's own e-mail address (services.patient.
        # file_objection), never to the one typed (R29).
        "greeting": "Geachte heer, mevrouw,",
        "received": (
            "Op {date} hebben wij uw bezwaar ontvangen tegen de nota met betalingskenmerk "
            "{reference} van {provider}."
        ),
        "next_step": "{provider} bekijkt uw bezwaar en neemt contact met u op.",
        "still_due": (
            "Een bezwaar schort de betaling niet op. Zolang {provider} u niets anders laat "
            "weten, vragen wij u het bedrag uiterlijk {date} te betalen."
        ),
        # R36: the date that counts has passed: ask for the amount, not by that date.
        "still_due_passed": (
            "Een bezwaar schort de betaling niet op. Zolang {provider} u niets anders laat "
            "weten, vragen wij u het bedrag te betalen."
        ),
        # R15: under a running arrangement, its terms as agreed (no amount: R29).
        "still_due_term": (
            "Een bezwaar schort de betaling niet op. Zolang {provider} u niets anders laat "
            "weten, vragen wij u de termijnen van uw betalingsregeling te betalen zoals "
            "afgesproken: de volgende uiterlijk {date}."
        ),
        "still_due_term_passed": (
            "Een bezwaar schort de betaling niet op. Zolang {provider} u niets anders laat "
            "weten, vragen wij u de termijnen van uw betalingsregeling te betalen zoals "
            "afgesproken, te beginnen met de openstaande termijn."
        ),
        "still_due_rest_term": "De extra termijn na uw laatste termijn betaalt u uiterlijk {date}.",
        # R21, R36: paid, or stopped by the practice: nothing to ask (audit OBJ-1).
        "nothing_due": "Op deze nota staat niets meer open. U hoeft niets te betalen.",
        # R22, R34: handed over, the agency collects; no amount (R29), no date of ours.
        "still_due_with_agency": (
            "Een bezwaar schort de betaling niet op. Deze nota is overgedragen aan het "
            "incassobureau. Zolang {provider} u niets anders laat weten, neemt u voor de "
            "betaling contact op met het incassobureau."
        ),
        "closing": "Met vriendelijke groet,",
        "signature": "zorgnota, namens {provider}",
    },
    "email.payment_received": {
        "subject": "Betaling ontvangen - betalingskenmerk {reference}",
        "greeting": "Geachte {name},",
        "received": (
            "Op {date} hebben wij uw betaling van {amount} voor de nota van {provider} "
            "ontvangen. Dank u wel."
        ),
        "paid_in_full": "Daarmee is de nota volledig betaald.",
        "still_open": "Er staat nog {amount} open. Wij vragen u dit uiterlijk {date} te betalen.",
        # R36: a part paid after the date that counts: no passed date to pay by.
        "still_open_passed": "Er staat nog {amount} open.",
        "still_open_with_agency": _WITH_AGENCY_NL,
        "next_term": (
            "Er staat nog {amount} open. Uw volgende termijn is {term} en betaalt u uiterlijk "
            "{date}."
        ),
        "next_term_passed": "Er staat nog {amount} open. Uw openstaande termijn is {term}.",
        "overpaid": ("U heeft {amount} te veel betaald. Dat bedrag betalen wij aan u terug."),
        "pay_link_intro": "Betalen kan online met iDEAL:",
        "closing": "Met vriendelijke groet,",
        "signature": "zorgnota, namens {provider}",
    },
    # A later upload credited a line of the invoice, or the insurer's retour changed what it
    # pays (issue 7).
    "email.invoice_corrected": {
        "subject": "Uw nota is aangepast - betalingskenmerk {reference}",
        "greeting": "Geachte {name},",
        "by_declaration": (
            "{provider} heeft een behandeling op uw nota gecorrigeerd. Het bedrag van "
            "de nota is daarom aangepast. U krijgt geen nieuwe nota."
        ),
        "by_retour": (
            "Uw zorgverzekeraar heeft laten weten wat hij vergoedt van de nota van "
            "{provider}. Wat u zelf betaalt is daarom aangepast. U krijgt geen nieuwe nota."
        ),
        # An operator undid a stop or coulance entered by mistake (R34).
        "by_correction": (
            "{provider} heeft het bedrag van uw nota eerder verlaagd. Die verlaging was een "
            "vergissing en is teruggedraaid, dus het bedrag is weer hoger. U krijgt geen "
            "nieuwe nota."
        ),
        "new_amount": "U betaalt nu nog {amount}, uiterlijk {date}.",
        # R36: once that date has passed, no date to pay by (the summary says it passed).
        "new_amount_passed": "U betaalt nu nog {amount}.",
        "still_open_with_agency": _WITH_AGENCY_NL,
        "nothing_left": "Er staat niets meer open: u hoeft niets meer te betalen.",
        "overpaid": "U heeft {amount} te veel betaald. Dat bedrag betalen wij aan u terug.",
        "pay_link_intro": "Betalen kan online met iDEAL:",
        "closing": "Met vriendelijke groet,",
        "signature": "zorgnota, namens {provider}",
    },
    # R17, legal-nl.md §7: the statement leaves the amount as it is: the practice declined
    # the coulance it proposed, or the policy had nothing to forgive ("unchanged").
    "email.coulance_declined": {
        "subject": "Uw nota blijft ongewijzigd - betalingskenmerk {reference}",
        "greeting": "Geachte {name},",
        "declined": (
            "Wij hebben het overzicht van uw zorgverzekeraar ontvangen. {provider} heeft "
            "besloten het bedrag van uw nota niet te verlagen."
        ),
        "unchanged": (
            "Wij hebben het overzicht van uw zorgverzekeraar ontvangen. Het bedrag van uw "
            "nota blijft daarmee gelijk."
        ),
        "new_amount": "U betaalt {amount}, uiterlijk {date}.",
        "new_amount_passed": "U betaalt {amount}.",
        "still_open_with_agency": _WITH_AGENCY_NL,
        "nothing_left": "Er staat niets meer open: u hoeft niets meer te betalen.",
        "pay_link_intro": "Betalen kan online met iDEAL:",
        "closing": "Met vriendelijke groet,",
        "signature": "zorgnota, namens {provider}",
    },
}

# The agency collects a claim handed over (R22, R34): pay it, not our link.
_WITH_AGENCY_EN = (
    "{amount} is still open. This invoice has been handed over to the collection "
    "agency. Please contact the collection agency to pay it."
)

ENGLISH: Sections = {
    "email.stop_confirmation": {
        "subject": "Your invoice has been lowered - payment reference {reference}",
        "greeting": "Dear {name},",
        "lowered": "{provider} has lowered the amount of your invoice. You will not get a new invoice.",
        "after_statement": (
            "We have received your health insurer's statement and adjusted the amount of "
            "your invoice to it. You will not get a new invoice."
        ),
        "new_amount": "You now pay {amount}, no later than {date}.",
        "new_amount_passed": "You now pay {amount}.",
        "still_open_with_agency": _WITH_AGENCY_EN,
        "nothing_left": "Nothing is open any more: there is nothing to pay.",
        "pay_link_intro": "You can pay online with iDEAL:",
        "closing": "Kind regards,",
        "signature": "zorgnota, on behalf of {provider}",
    },
    "email.deferral_confirmation": {
        "subject": "Deferral of payment - payment reference {reference}",
        "greeting": "Dear {name},",
        "granted": "You have been granted a deferral of payment for the invoice from {provider}.",
        "new_date": (
            "The new final payment date is {date}. Please pay {amount} no later than that day."
        ),
        "once": (
            "A deferral is possible once per invoice. If you cannot pay by that date, you can "
            "arrange to pay in instalments in the payment checker."
        ),
        "once_via_practice": (
            "A deferral is possible once per invoice. If you cannot pay by that date, please "
            "contact {provider}."
        ),
        "pay_link_intro": "You can pay online with iDEAL:",
        "closing": "Kind regards,",
        "signature": "zorgnota, on behalf of {provider}",
    },
    "email.arrangement_confirmation": {
        "subject": "Your instalment arrangement - payment reference {reference}",
        "greeting": "Dear {name},",
        "agreed": (
            "You have arranged to pay the invoice from {provider} in instalments. You pay "
            "{total} in {count} monthly terms."
        ),
        "fee": "This amount includes {fee} for the arrangement.",
        "interest": (
            "It also includes {interest} statutory interest: the interest up to the due "
            "date of each term."
        ),
        "schedule_heading": "Your terms",
        "col_due": "Pay by",
        "col_term_amount": "Amount",
        "how": (
            "Pay each term on time with iDEAL through the payment checker, or transfer the "
            "amount to account {iban} in the name of {holder}, quoting payment reference "
            "{reference}."
        ),
        "missed": (
            "Please note: if you pay a term more than 14 days late, the arrangement ends and "
            "you will receive reminders again for the amount still open."
        ),
        "missed_after_costs": (
            "Please note: if you pay a term more than 14 days late, the arrangement ends and "
            "the amount still open is handed over to the collection agency."
        ),
        "pay_link_intro": "You can pay online with iDEAL:",
        "closing": "Kind regards,",
        "signature": "zorgnota, on behalf of {provider}",
    },
    "email.objection_acknowledgement": {
        "subject": "We have received your objection - payment reference {reference}",
        "greeting": "Dear Sir or Madam,",
        "received": (
            "On {date} we received your objection to the invoice with payment reference "
            "{reference} from {provider}."
        ),
        "next_step": "{provider} will look into your objection and contact you.",
        "still_due": (
            "An objection does not suspend payment. Unless {provider} tells you otherwise, "
            "please pay the amount no later than {date}."
        ),
        "still_due_passed": (
            "An objection does not suspend payment. Unless {provider} tells you otherwise, "
            "please pay the amount."
        ),
        "still_due_term": (
            "An objection does not suspend payment. Unless {provider} tells you otherwise, "
            "please pay the terms of your instalment arrangement as agreed: the next one no "
            "later than {date}."
        ),
        "still_due_term_passed": (
            "An objection does not suspend payment. Unless {provider} tells you otherwise, "
            "please pay the terms of your instalment arrangement as agreed, starting with "
            "the term still open."
        ),
        "still_due_rest_term": "Please pay the extra term after your last term no later than {date}.",
        # R21, R36: paid, or stopped by the practice: nothing to ask (audit OBJ-1).
        "nothing_due": "Nothing is open on this invoice any more. You do not need to pay anything.",
        # R22, R34: handed over, the agency collects; no amount (R29), no date of ours.
        "still_due_with_agency": (
            "An objection does not suspend payment. This invoice has been handed over to the "
            "collection agency. Unless {provider} tells you otherwise, please contact the "
            "collection agency to pay it."
        ),
        "closing": "Kind regards,",
        "signature": "zorgnota, on behalf of {provider}",
    },
    "email.payment_received": {
        "subject": "Payment received - payment reference {reference}",
        "greeting": "Dear {name},",
        "received": (
            "On {date} we received your payment of {amount} for the invoice from {provider}. "
            "Thank you."
        ),
        "paid_in_full": "The invoice has now been paid in full.",
        "still_open": "{amount} is still open. Please pay it no later than {date}.",
        "still_open_passed": "{amount} is still open.",
        "still_open_with_agency": _WITH_AGENCY_EN,
        "next_term": (
            "{amount} is still open. Your next term is {term}, to be paid no later than {date}."
        ),
        "next_term_passed": "{amount} is still open. The term still to pay is {term}.",
        "overpaid": "You have paid {amount} too much. We will pay that amount back to you.",
        "pay_link_intro": "You can pay online with iDEAL:",
        "closing": "Kind regards,",
        "signature": "zorgnota, on behalf of {provider}",
    },
    # A later upload credited a line of the invoice, or the insurer's retour changed what it
    # pays (issue 7).
    "email.invoice_corrected": {
        "subject": "Your invoice has been corrected - payment reference {reference}",
        "greeting": "Dear {name},",
        "by_declaration": (
            "{provider} has corrected a treatment on your invoice, so the amount of the "
            "invoice has changed. You will not get a new invoice."
        ),
        "by_retour": (
            "Your health insurer has let us know what it pays of the invoice from "
            "{provider}, so the amount you pay yourself has changed. You will not get a "
            "new invoice."
        ),
        # An operator undid a stop or coulance entered by mistake (R34).
        "by_correction": (
            "{provider} lowered the amount of your invoice earlier. That was a mistake and "
            "has been undone, so the amount is higher again. You will not get a new invoice."
        ),
        "new_amount": "You now pay {amount}, no later than {date}.",
        "new_amount_passed": "You now pay {amount}.",
        "still_open_with_agency": _WITH_AGENCY_EN,
        "nothing_left": "Nothing is open any more: there is nothing left to pay.",
        "overpaid": "You have paid {amount} too much. We will pay that amount back to you.",
        "pay_link_intro": "You can pay online with iDEAL:",
        "closing": "Kind regards,",
        "signature": "zorgnota, on behalf of {provider}",
    },
    # R17, legal-nl.md §7: the statement leaves the amount as it is: the practice declined
    # the coulance it proposed, or the policy had nothing to forgive ("unchanged").
    "email.coulance_declined": {
        "subject": "Your invoice stays as it is - payment reference {reference}",
        "greeting": "Dear {name},",
        "declined": (
            "We have received your health insurer's statement. {provider} has decided not "
            "to lower the amount of your invoice."
        ),
        "unchanged": (
            "We have received your health insurer's statement. The amount of your invoice "
            "stays the same."
        ),
        "new_amount": "You pay {amount}, no later than {date}.",
        "new_amount_passed": "You pay {amount}.",
        "still_open_with_agency": _WITH_AGENCY_EN,
        "nothing_left": "Nothing is open any more: there is nothing left to pay.",
        "pay_link_intro": "You can pay online with iDEAL:",
        "closing": "Kind regards,",
        "signature": "zorgnota, on behalf of {provider}",
    },
}
