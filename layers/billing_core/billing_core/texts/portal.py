"""Everything a practice employee reads in the provider portal (R35): one section,
``PORTAL``, for every page, so a page is whole in English or whole in Dutch.

The findings of a report, the refusals and what an action asks come from
``texts.practice``, as in the API: one sentence, one place.
"""

from __future__ import annotations

from datetime import date, timedelta

from billing_core.texts.catalogue import (
    PATIENT_REF_CASE_EN,
    PATIENT_REF_CASE_NL,
    Sections,
    Texts,
    as_sentence,
    catalogue,
    day_span,
)

PORTAL = "page.portal"
PORTAL_LANGUAGES = ("nl", "en")

_DUTCH: Sections = {
    PORTAL: {
        "portal": "Praktijkportaal",
        "skip": "Naar de inhoud",
        # A table's scrolling region, named apart from its section (WCAG 1.3.1, 4.1.2).
        "table_of": "Tabel: {name}",
        "switch_language": "English",
        "signed_in_as": "Ingelogd bij {practice} ({role})",
        "sign_out": "Uitloggen",
        "nav": "Hoofdmenu",
        "nav_overview": "Overzicht",
        "nav_declarations": "Declaraties",
        "nav_invoices": "Nota's",
        "nav_actions": "Acties",
        "nav_blocked": "Geblokkeerde patiënten",
        "nav_payouts": "Uitbetalingen",
        "nav_risk": "Debiteurenrisico",
        "nav_settings": "Instellingen",
        "nav_access_log": "Inzage-log",
        # the access log (R32, NEN 7513): who read the practice's data, and when
        "access_log_title": "Inzage-log",
        "access_log_lead": (
            "Wie de gegevens van uw praktijk heeft ingezien, en wanneer: zo beantwoordt u de"
            " vraag van een patiënt wie zijn of haar gegevens heeft ingezien. Vul een"
            " patiëntnummer in voor de inzages van één patiënt. Ook het opvragen van dit"
            " overzicht wordt vastgelegd."
        ),
        "access_log_search": "Periode en patiënt",
        "access_log_patient_label": "Patiëntnummer (niet verplicht)",
        "access_log_from_label": "Van",
        "access_log_to_label": "Tot en met",
        "access_log_period_hint": "Hoogstens 366 dagen.",
        "access_log_button": "Tonen",
        "access_log_reads": "Inzages",
        "access_log_when": "Wanneer",
        "access_log_who": "Wie",
        "access_log_what": "Wat is ingezien",
        "access_log_kind": "Soort",
        "access_log_by_zorgnota": "zorgnota (beheer)",
        "access_log_by_unknown": "gebruiker niet meer bekend",
        "access_log_more": "en nog {count}",
        "access_log_none": "Geen inzages in deze periode.",
        "access_log_none_more": "Geen inzages meer in deze periode.",
        "access_log_none_yet": (
            "Geen inzages van deze patiënt in dit deel van de periode;"
            " de volgende pagina zoekt verder."
        ),
        "access_log_csv": "Alle inzages van deze periode downloaden (CSV)",
        "invalid_audit_date": "Vul de datums in als dag-maand-jaar.",
        "invalid_audit_patient": "Een patiëntnummer heeft hoogstens {most} tekens.",
        "invalid_patient_ref_case": as_sentence(PATIENT_REF_CASE_NL),
        "invalid_audit_period": (
            "‘Tot en met’ ligt op of na ‘Van’, en de periode is hoogstens {most} dagen."
        ),
        "invalid_audit_too_long": (
            "Te veel inzages in deze periode voor één bestand: kies een kortere periode."
        ),
        "read_kind_invoice": "Nota",
        "read_kind_letter": "Brief (pdf)",
        "read_kind_invoice_list": "Lijst van nota's",
        "read_kind_patient_list": "Lijst van patiënten",
        "read_kind_action": "Actie",
        "read_kind_export": "Bestand",
        "read_kind_audit": "Inzage-log",
        "read_kind_bank_credits": "Bankbijschrijvingen",
        "read_kind_refund_batch": "Terugbetalingen",
        "read_kind_migration": "Gegevensmigratie",
        "read_kind_actions": "Lijst van acties",
        # What a read was, in words (texts/reads.py): never a record's ids (R32, R35).
        "read_what_invoice": "Eén nota",
        "read_what_letter": "Brief (pdf) bij een nota",
        "read_what_invoice_named": "Nota {kenmerk}",
        "read_what_letter_named": "Brief (pdf) bij nota {kenmerk}",
        "read_what_invoices": "Nota's ({count})",
        "read_what_held_credits": "Nota's met een vastgehouden tegoed ({count})",
        "read_what_by_name": "{what}, gezocht op naam",
        "read_what_actions": "Acties ({count})",
        "read_what_action": "Eén actie",
        "read_what_blocked": "Lijst geblokkeerde patiënten",
        "read_what_block_changes": "Wijzigingen in de geblokkeerde patiënten",
        "read_what_retrocession": "Retrocessie-overzicht {week}, {format}",  # week: week_of
        "read_what_insurer_claims": "Declaratiebestanden voor zorgverzekeraar {uzovi} ({count})",
        "read_what_insurer_claims_all": "Declaratiebestanden voor de zorgverzekeraars ({count})",
        "read_what_report": "Verwerkingsverslag van een declaratiebestand",
        "read_what_audit": "Inzage-log",
        "read_what_audit_period": "Inzage-log van {first} tot en met {last}",
        "read_what_refunds": "Terugbetalingen aan patiënten, {kenmerken}",
        "read_what_refund_batch": "Terugbetalingen aan patiënten",
        "read_what_bank_credit": "Een bankbijschrijving en de nota's waarop die is geboekt ({count})",
        "read_what_migration": "Gegevensmigratie door zorgnota",
        "read_what_other": "Gegevens van de praktijk",
        "read_what_with_patients": "{what}: {patients}",
        "read_patient_one": "patiënt {values}",
        "read_patient_other": "patiënten {values}",
        "read_kenmerk_one": "kenmerk {values}",
        "read_kenmerk_other": "kenmerken {values}",
        "role_admin": "beheerder",
        "role_staff": "medewerker",
        "role_viewer": "alleen lezen",
        "role_none": "geen rol",
        # sign-in
        "sign_in_title": "Inloggen",
        "sign_in": "Inloggen",
        "continue": "Verder naar het portaal",
        "signed_out": "U bent uitgelogd.",
        "session_expired_title": "Niet meer ingelogd",
        "session_expired": (
            "Uw sessie is verlopen of beëindigd, dus wat u net verstuurde is niet verwerkt: er"
            " is niets gewijzigd. Log opnieuw in en verstuur het formulier nog eens."
        ),
        "sign_in_failed": "Inloggen is niet gelukt. Probeer het opnieuw.",
        # overview
        "overview_title": "Overzicht",
        "overview_lead": "Wat vandaag aandacht vraagt.",
        "open_actions": "Openstaande acties",
        "no_open_actions": "Er staan geen acties open.",
        "uploads_with_findings": "Uploads met meldingen",
        "no_uploads_with_findings": "Geen recente uploads met meldingen.",
        "handed_over": "Deze week uit handen gegeven",
        # Texts.plural: the _one form for exactly 1, the _other for every other count.
        "handed_over_count_one": "{count} nota is deze week (vanaf maandag {monday}) overgedragen aan het incassobureau.",
        "handed_over_count_other": "{count} nota's zijn deze week (vanaf maandag {monday}) overgedragen aan het incassobureau.",
        # Above the transfer paying the newest statement's week, in whatever state it is
        # (proposed, sent, returned...): "Laatste uitbetaling" said it was paid (small57).
        "latest_week_payout": "Uitbetaling van de laatste week",
        "no_payout": "Nog geen uitbetaling.",
        "payout_of_week": "{week}: {amount}",  # week: week_of
        # One transfer for several weeks (a late or made-up statement, R24): weeks: week_of, ", "
        "payout_of_weeks": "{weeks}: samen {amount} in één overboeking",
        # Where the overview's transfer stands (providers/payouts.payout_state); day: long date
        "payout_proposed": "Voorgesteld op {day}; zorgnota keurt de overboeking nog goed.",
        "payout_approved": "Goedgekeurd op {day}; gaat binnenkort naar de bank.",
        "payout_sent": "Op {day} naar de bank gestuurd.",
        "payout_booked": "Op {day} door de bank overgemaakt.",
        "payout_returned": "Op {day} door de bank teruggeboekt; zorgnota maakt het bedrag opnieuw over met een volgende uitbetaling.",
        "payout_returned_repaid": "Op {day} door de bank teruggeboekt; opnieuw overgemaakt met uitbetaling {batch}.",
        "payout_withdrawn": "Op {day} door zorgnota teruggenomen; de overboeking wordt opnieuw ingepland.",
        "payout_carried": "Geen overboeking: {amount} wordt verrekend met een volgende uitbetaling.",
        "payout_nothing_due": "Geen overboeking: er was niets uit te betalen.",
        "payout_not_planned": "Nog geen overboeking ingepland.",
        "week_of": "Week {number} ({days})",
        # declarations
        "declarations_title": "Declaraties",
        "upload_heading": "Bestand uploaden",
        "upload_hint": "Een CSV-export of een Vektis-bestand uit uw praktijksysteem, tot {max_mb} MB. Grotere bestanden via de API.",
        "template_link": "Sjabloon downloaden (CSV)",
        "template_hint": "Alle kolommen die zorgnota leest, met een voorbeeldregel; te openen in Excel.",
        "file_label": "Bestand",
        # A form sent without a file (pages.upload): nothing is stored.
        "no_file_chosen": "Niet gelukt: kies eerst een bestand om te uploaden. Er is niets opgeslagen.",
        # A file over the form's limit (pages.PORTAL_UPLOAD_MAX_BYTES): the API's upload URL
        # takes it (interfaces.md §1, POST /api/v1/provider/declarations).
        "file_too_large": (
            "Niet gelukt: dit bestand is {size_mb} MB, via dit formulier kan tot {max_mb} MB."
            " Upload een groter bestand (tot {api_max_mb} MB) via de API: vraag een upload-URL"
            " aan met POST /api/v1/provider/declarations. Er is niets opgeslagen."
        ),
        "upload_button": "Uploaden",
        "uploads_heading": "Uploads",
        "no_uploads": "Nog geen uploads.",
        "file_name": "Bestand",
        # An upload without a file name: written to its key around the portal and the API,
        # with no upload record (declarations.upload._named_by_its_key).
        "unknown_upload": "onbekende upload (niet via het portaal of de API aangevraagd)",
        "uploaded_at": "Geüpload",
        "status": "Status",
        "outcome": "Resultaat",
        "status_awaiting_upload": "Wacht op bestand",
        "status_processing": "Wordt verwerkt",
        "status_processed": "Verwerkt",
        "status_rejected": "Afgewezen",
        "status_expired": "Verlopen: geen bestand ontvangen",
        "outcome_accepted": "Geaccepteerd",
        "outcome_partially_accepted": "Deels geaccepteerd",
        "outcome_rejected": "Afgewezen",
        "outcome_already_processed": "Al eerder verwerkt",
        "outcome_none": "—",
        # R5, R39: a retour whose parts stopped half-way is rejected, yet not "nothing".
        "outcome_stopped_half_way": "Afgewezen: halverwege gestopt, deels verwerkt",
        "stopped_half_way": (
            "Dit retourbestand is halverwege gestopt. Wat de eerdere delen ervan al verwerkten,"
            " blijft staan; de aantallen hieronder tellen dat niet mee. Upload het bestand"
            " opnieuw om het af te maken: niets wordt dubbel verwerkt."
        ),
        "report_title": "Verwerkingsverslag: {file}",
        "report_summary": "Samenvatting",
        "summary_lines": "Regels",
        "summary_invoices": "Nota's gemaakt",
        "summary_rejected": "Declaraties afgewezen",
        "summary_to_insurer": "Naar de verzekeraar",
        "summary_amount": "Gefactureerd",
        # A retour's summary (declarations.retour.RetourSummary), each count in words (R5).
        "summary_lines_applied": "Regels verwerkt",
        "summary_lines_unchanged": "Regels ongewijzigd (al zo verwerkt)",
        "summary_lines_invoiced_to_patient": "Regels alsnog aan de patiënt gefactureerd",
        "summary_lines_insurer": "Regels voor de verzekeraar (op geen nota)",
        "summary_lines_unknown": "Regels niet gevonden",
        "summary_lines_granted_blank": "Regels zonder toegekend bedrag",
        "summary_lines_repeated": "Regels met een regelreferentie die vaker voorkomt",
        "summary_lines_declared_amount_differs": "Regels met een ander gedeclareerd bedrag",
        "summary_lines_not_assessed": "Regels niet beoordeeld door de verzekeraar",
        "summary_invoices_changed": "Nota's aangepast",
        "summary_invoices_created": "Nota's gemaakt",
        "summary_reimbursement_change_cents": "Patiënten betalen minder (negatief: meer)",
        "summary_granted_cents": "Toegekend door de verzekeraar",
        "findings_heading": "Meldingen",
        "no_findings": "Geen meldingen: alles is verwerkt.",
        "report_no_longer_kept": (
            "Het verwerkingsverslag van deze upload wordt niet meer bewaard: het is aan het eind"
            " van de bewaartermijn verwijderd. De status en de aantallen hierboven blijven."
        ),
        "findings_range": "Meldingen {first} tot en met {last} van {total}",
        # When some findings were only counted (findings_not_kept): the range is of the
        # kept ones, and the whole count is said beside it, so {kept} is not read as all.
        "findings_range_kept_one": (
            "Meldingen {first} tot en met {last} van de {kept} bewaarde ({number} melding in totaal)"
        ),
        "findings_range_kept_other": (
            "Meldingen {first} tot en met {last} van de {kept} bewaarde"
            " ({number} meldingen in totaal)"
        ),
        "next_findings": "Volgende meldingen",
        "first_findings": "Naar de eerste meldingen",
        # A code of which the report kept fewer findings than it counted (reports.
        # findings_not_kept): only its first {kept} are stored, so the rest is a count.
        "findings_not_kept_intro": (
            "Van elke soort melding bewaart het verslag de eerste {kept}."
            " Van deze soorten zijn de overige alleen geteld:"
        ),
        "findings_not_kept_one": "{example} — en nog {number} melding van deze soort",
        "findings_not_kept_other": "{example} — en nog {number} meldingen van deze soort",
        "retour_codes_heading": "Retourcodes van de zorgverzekeraar",
        "retour_codes_range": "Retourcodes {first} tot en met {last} van {total}",
        "next_retour_codes": "Volgende retourcodes",
        "first_retour_codes": "Naar de eerste retourcodes",
        "retour_level": "Niveau",
        "retour_level_file": "Bestand",
        "retour_level_patient": "Patiënt",
        "retour_level_debtor": "Debiteur",
        "retour_level_comment": "Opmerking",
        "retour_level_line": "Regel",
        "retour_code": "Code",
        "retour_meaning": "Betekenis",
        "retour_meaning_unknown": "Staat niet in de codelijst van zorgnota; vraag de zorgverzekeraar.",
        "line": "Regel",
        "severity": "Soort",
        "message": "Melding",
        "severity_file_rejected": "Bestand afgewezen",
        "severity_claim_rejected": "Regel afgekeurd",
        "severity_warning": "Waarschuwing",
        "created_invoices": "Gemaakte nota's",
        "back_to_declarations": "Terug naar declaraties",
        # invoices
        "invoices_title": "Nota's",
        "search_heading": "Zoeken",
        "kenmerk_label": "Betalingskenmerk",
        "patient_label": "Patiëntnummer",
        "name_label": "Naam patiënt of betaler",
        "name_hint": "Hoofdletters en accenten maken niet uit; zonder 'van' de laatste twee jaar.",
        "issued_from_label": "Notadatum van",
        "issued_until_label": "Notadatum tot en met",
        "invalid_period": "Vul de datums in als dag-maand-jaar, de eerste niet na de tweede.",
        "invalid_name": "Typ een naam: letters of cijfers, niet alleen leestekens.",
        "invalid_kenmerk": "Dit betalingskenmerk klopt niet: controleer de 14 cijfers.",
        "name_in_address": "Een naam hoort niet in het adres van een pagina (privacy). Zoek op naam met het formulier hierboven.",
        "status_label": "Betaalstatus",
        "any_status": "Alle",
        "payment_open": "Open",
        "payment_partly_paid": "Deels betaald",
        "payment_paid": "Betaald",
        "search_button": "Zoeken",
        "no_invoices": "Geen nota's gevonden.",
        # What a search found, said first (the focus is put on it): a page holds 50 at most.
        "search_found_one": "{count} nota gevonden.",
        "search_found_other": "{count} nota's gevonden.",
        "search_found_more": "Dit zijn de eerste; de rest staat op de volgende pagina.",
        "pages_nav": "Paginering",
        "next_page": "Volgende pagina",
        "invalid_page": "Deze pagina van de lijst bestaat niet (meer). Open de lijst opnieuw vanaf het begin.",
        "kenmerk": "Kenmerk",
        "patient": "Patiënt",
        "addressee": "Geadresseerde",
        "issue_date": "Datum",
        "amount": "Bedrag",
        "amount_due": "Open",
        "channel": "Verzending",
        "channel_email": "e-mail",
        "channel_paper": "papier",
        "state": "Stand",
        # R22: a claim made while its patient was blocked: the service did not take over
        # its debtor risk (seed 002 advice 7), said on the invoice page as in the report.
        "debtor_risk": "Debiteurenrisico",
        "debtor_risk_with_practice": "Blijft bij uw praktijk: de patiënt stond op uw lijst met"
        " geblokkeerde patiënten (een eerdere nota was bij het incassobureau) toen deze nota"
        " werd gemaakt.",
        "state_paid": "Betaald",
        "state_waived": "Kwijtgescholden",
        "state_reimbursed": "Vergoed door verzekeraar",
        "state_paid_rest_waived": "Deels betaald, rest kwijtgescholden",
        "state_with_collection_agency": "Bij incassobureau",
        "state_arrangement_active": "Betalingsregeling",
        "state_on_hold": "Aangehouden",
        "state_reminder_sent": "Herinnering verstuurd",
        "state_second_notice_sent": "Aanmaning verstuurd",
        # R19: the costs are charged but the final notice has not gone yet (queued, held
        # by a hold on another invoice of its letter, or to go again after a bounce)
        "state_second_notice_waits": "Aanmaning wordt nog verstuurd",
        "state_deferred": "Uitstel",
        "state_open": "Open",
        "invoice_title": "Nota {kenmerk}",
        "final_payment_date": "Uiterste betaaldatum",
        "lines_heading": "Regels",
        "treatment_date": "Behandeldatum",
        "code": "Code",
        "description": "Omschrijving",
        "reimbursed": "Vergoed",
        "to_pay": "Te betalen",
        "ledger_heading": "Grootboek",
        "at": "Moment",
        "kind": "Soort",
        "component": "Onderdeel",
        # ledger entries (R27) and what they touch
        "ledger_issued": "Nota",
        "ledger_reimbursement_deduction": "Vergoed door de verzekeraar",
        "ledger_payment": "Betaling",
        "ledger_coulance": "Coulance",
        "ledger_stop": "Stop",
        "ledger_costs": "Incassokosten",
        "ledger_interest": "Wettelijke rente",
        "ledger_fee": "Kosten regeling",
        "ledger_refund": "Terugbetaling",
        "ledger_reversal": "Terugboeking",
        "part_principal": "hoofdsom",
        "part_costs": "incassokosten",
        "part_interest": "rente",
        "letters_heading": "Brieven en e-mails",
        "no_letters": "Nog niets verstuurd.",
        "open_letter": "PDF openen",
        "letter_invoice": "nota",
        "letter_dunning_reminder": "herinnering",
        "letter_second_notice": "aanmaning",
        "letter_deferral_confirmation": "bevestiging uitstel",
        "letter_arrangement_confirmation": "bevestiging betalingsregeling",
        "letter_objection_acknowledgement": "ontvangstbevestiging bezwaar",
        "letter_payment_received": "betaling ontvangen",
        "letter_stop_confirmation": "bevestiging verlaagd bedrag",
        "letter_invoice_corrected": "gecorrigeerde nota",
        "letter_coulance_declined": "bevestiging ongewijzigd bedrag",
        "open_letter_of": "PDF openen: {kind} van {day}",
        "letter_not_kept": "per e-mail als bijlage verstuurd, geen kopie bewaard",
        "letter_in_email": "per e-mail verstuurd: het bericht zelf, zonder bijlage",
        "actions_heading": "Acties",
        "no_actions": "Geen acties.",
        "stop_heading": "Stoppen (geheel of gedeeltelijk)",
        "stop_terms": "Een stop is onherroepelijk: het bedrag wordt niet meer geïnd en de patiënt krijgt het lagere bedrag met een betaallink, per e-mail of, zonder e-mailadres, per post. De nota zelf blijft bestaan.",
        "scope_label": "Omvang",
        "scope_full": "De hele nota",
        "scope_partial": "Een deel",
        "part_hint": "Bij een deel: vul óf een bedrag in euro in (zoals 12,50), óf een percentage.",
        "amount_label": "Coulancebedrag in euro (bij een deel)",
        "percentage_label": "Percentage van het oorspronkelijke bedrag (bij een deel)",
        "reason_label": "Reden",
        "email_label": "E-mailadres van de patiënt (gecontroleerd)",
        # R21, R7: shown under the address; a paper patient's is empty, not made up.
        "email_hint": "Controleer het adres, of verbeter het: hierheen gaat de bevestiging van het lagere bedrag.",
        "email_hint_none": "Van deze patiënt is geen e-mailadres bekend. Laat het veld leeg: de patiënt krijgt de bevestiging per post. Heeft de patiënt u een adres gegeven, vul het dan in.",
        "accept_terms_label": "Ik begrijp dat een stop niet terug te draaien is",
        "stop_button": "Stop boeken",
        "hold_heading": "Aanhouden",
        "hold_hint": (
            "De aanmaningen pauzeren vanaf nu tot en met de gekozen datum: na vandaag, hoogstens"
            " 60 dagen, vandaag meegeteld."
        ),
        "until_label": "Aanhouden tot en met",
        "hold_reason_label": "Reden van aanhouden",
        "hold_button": "Aanhouden",
        "stopped": "De stop is geboekt.",
        "held": "De nota is aangehouden.",
        "read_only": "Uw rol mag deze nota alleen bekijken.",
        "nothing_to_change": (
            "Op deze nota staat niets meer open: er valt niets te stoppen of aan te houden."
        ),
        "nothing_to_change_paid": (
            "Deze nota is betaald: er valt niets te stoppen of aan te houden. Wilt u toch"
            " coulance geven, laat dan eerst het betaalde bedrag terugbetalen; daarna staat"
            " er weer een bedrag open."
        ),
        "stop_reason_non_contracted_coulance": "Coulance: wat de verzekeraar niet vergoedt",
        "stop_reason_goodwill": "Coulance",
        "stop_reason_insurer_paid_directly": "De verzekeraar betaalde direct",
        "stop_reason_treatment_complaint": "Klacht over de behandeling",
        "stop_reason_administrative_error": "Administratieve fout",
        "stop_reason_patient_deceased": "Patiënt overleden",
        "stop_reason_other": "Anders",
        # actions
        "actions_title": "Acties",
        "state_label": "Stand",
        "action_open": "Open",
        "action_done": "Afgehandeld",
        "filter_button": "Tonen",
        "created": "Sinds",
        "what": "Wat",
        "mark_done": "Afgehandeld",
        "reopen": "Weer openen",
        "apply_coulance": "Coulance toepassen",
        "decline_coulance": "Afwijzen",
        "action_updated": "De actie is bijgewerkt.",
        "action_kind_objection": "Bezwaar",
        "action_kind_bounce": "E-mail kwam niet aan",
        # a complaint's mail arrived: not under "kwam niet aan" (R23; round 54 sesleft54)
        "action_kind_complaint": "E-mail gemeld als spam",
        # an unsent message was never e-mailed: not under "kwam niet aan" either (sesleft55)
        "action_kind_unsent": "Bericht niet verstuurd",
        # what a bounce action is about (R7, R23): what happened, which message, to where, what to do
        "bounce_what": "Wat er gebeurde",
        "bounce_permanent": "Het e-mailadres bestaat niet (meer): de e-mail kwam niet aan en zorgnota mailt niet meer naar dit adres.",
        "bounce_temporary": "De e-mail kwam niet aan, maar het adres is niet zeker onjuist (bijvoorbeeld een volle mailbox): zorgnota blijft naar dit adres mailen.",
        "bounce_complaint": "De e-mail kwam aan, maar de patiënt meldde hem als ongewenst (spam).",
        "bounce_unsent": "Het bericht kon nergens heen: het e-mailadres werkt niet en er is geen postadres.",
        "bounce_message": "Bericht",
        "bounce_address": "E-mailadres",
        "bounce_todo": "Te doen",
        "bounce_todo_check_the_address": "Controleer het e-mailadres met de patiënt.",
        "bounce_todo_complaint": "Vraag de patiënt of die de brieven liever per post krijgt.",
        "bounce_todo_pass_on_the_message": "Geef het bericht zelf door aan de patiënt.",
        # R23, seed 002 advice 6: a claim handed to the collection agency ("call your patient")
        "handover_outstanding": "Open bij overdracht",
        "handover_todo_call_your_patient": "Bel uw patiënt eventueel zelf: zo krijgt die nog een kans om de nota te betalen voordat het incassobureau contact opneemt.",
        # R6, R23: a dental plan above € 250 invoiced without a price quote (NZa)
        "quote_missing": "Het behandelplan is hoger dan €\u00a0250 en er is geen begroting vastgelegd; de nota is wel verstuurd.",
        "action_kind_coulance_proposal": "Coulancevoorstel",
        "action_kind_collection_handover": "Overdracht incasso",
        "action_kind_missing_price_quote": "Ontbrekende begroting",
        "action_kind_minor_without_debtor": "Minderjarige zonder debiteur",
        "action_kind_upload_version_ignored": "Tweede bestand niet verwerkt",
        "action_kind_payout_returned": "Uitbetaling teruggestort",
        # what an action without an invoice is about: a link under what to do (its kenmerk cell is empty)
        "action_about_payouts": "Naar de uitbetalingen",
        "action_about_upload": "Naar het verwerkingsverslag van de upload",
        # what an action is about (R16, R17: the objection's words, the proposal's amounts)
        "objection_reason": "Reden",
        "objection_reason_treatment": "De behandeling",
        "objection_reason_amount": "Het bedrag",
        "objection_reason_insurer": "De vergoeding door de zorgverzekeraar",
        "objection_reason_other": "Iets anders",
        "objection_message": "Bericht",
        "objection_reply_to": "Antwoord aan",
        "proposal_invoice_amount": "Bedrag van de nota",
        "proposal_gross_reimbursement": "Vergoeding verzekeraar (bruto)",
        "proposal_amount_to_pay": "Patiënt betaalt",
        "proposal_coulance": "Coulance",
        "proposal_paid": "Al betaald",
        "proposal_proposed_coulance": "Coulance voorgesteld bij de verklaring",
        # blocked patients
        "blocked_title": "Geblokkeerde patiënten",
        "blocked_lead": "Patiënten met een vordering bij het incassobureau, per {date}.",
        "no_blocked": "Geen geblokkeerde patiënten.",
        "blocked_since": "Geblokkeerd sinds",
        "changes_heading": "Wijzigingen voor uw praktijksysteem",
        "since_label": "Sinds (datum)",
        "download_changes_csv": "Wijzigingen downloaden (CSV)",
        "download_changes_json": "Wijzigingen downloaden (JSON)",
        "download_list_csv": "Lijst downloaden (CSV)",
        "download_list_json": "Lijst downloaden (JSON)",
        "invalid_since": "Vul bij 'Sinds' een bestaande datum in, als dag-maand-jaar.",
        "invalid_since_too_many": (
            "Meer dan {most} wijzigingen sinds deze datum, te veel voor één bestand: kies een"
            " latere datum. Uw praktijksoftware haalt ze alle op, in delen, met de API:"
            " GET /api/v1/provider/blocked-patients/changes."
        ),
        "blocked_too_many": (
            "Meer dan {most} geblokkeerde patiënten, te veel voor één bestand. Uw"
            " praktijksoftware haalt ze alle op, in delen, met de API:"
            " GET /api/v1/provider/blocked-patients."
        ),
        # payouts
        "payouts_title": "Uitbetalingen",
        "no_payouts": "Nog geen uitbetalingen.",
        "week": "Week",
        "received": "Ontvangen",
        "refunded": "Terugbetaald",
        "service_fee": "Servicekosten",
        "payout": "Uitbetaling",
        "remitted_by_agency": "Overgemaakt door incassobureau",
        "remitted_by_agency_note": (
            "Overgemaakt door incassobureau: wat het incassobureau van het geïnde naar onze"
            " rekening overmaakte. Dat zit in Ontvangen en de uitbetaling."
        ),
        "collected_by_agency": "Geïnd door incassobureau",
        "collected_by_agency_note": (
            "Geïnd door incassobureau: wat het incassobureau meldde geïnd te hebben. Dat staat"
            " niet op onze rekening, dus niet in Ontvangen of de uitbetaling; het telt als"
            " ontvangen in de week dat het incassobureau het overmaakt."
        ),
        "download": "Download",
        # debtor risk
        "risk_title": "Debiteurenrisico",
        "risk_lead": "Per maand van uitgifte: hoe de nota's afliepen. Per uitkomst het bedrag; daaronder het aantal nota's met hun aandeel in het aantal, en het aandeel in het bedrag. Een nota die de zorgverzekeraar na een retour helemaal betaalde, telt niet mee: de patiënt hoefde niets te betalen.",
        "risk_chart": "Grafiek: bedrag per maand van uitgifte, naar uitkomst",
        "month": "Maand",
        "total": "Totaal",
        "risk_paid_on_time": "Op tijd betaald",
        "risk_paid_late": "Te laat betaald, vóór herinnering",
        "risk_paid_after_reminder": "Betaald na herinnering",
        "risk_paid_after_collection": "Betaald via incasso",
        "risk_stopped": "Gestopt",
        "risk_unpaid": "Onbetaald",
        "risk_open": "Nog open",
        "risk_count_one": "{count} nota · {share}",
        "risk_count_other": "{count} nota's · {share}",
        "risk_amount_share": "{share} van het bedrag",
        "risk_from_label": "Van maand",
        "risk_to_label": "Tot en met maand",
        "risk_period_hint": "Maanden van uitgifte als jjjj-mm, bijv. 2026-03; hoogstens {most} maanden.",
        "invalid_risk_month": "Vul de maanden in als jjjj-mm, bijv. 2026-03.",
        "invalid_risk_month_out_of_range": "Kies een maand van {first} tot en met {last}.",
        "invalid_risk_months_out_of_order": "De eerste maand mag niet na de laatste liggen, en het zijn hoogstens {most} maanden.",
        # settings
        "settings_title": "Instellingen",
        "settings_lead": "De gegevens van uw praktijk zoals zorgnota ze gebruikt. Contactgegevens, aanmanen, coulance en gebruikers wijzigt u hier.",
        "settings_version": "Versie",
        "operator_only_note": "De gegevens hierboven wijzigt zorgnota na een controle.",
        "legal_name": "Juridische naam",
        "kvk": "KvK-nummer",
        "address": "Adres",
        "payout_account": "Uitbetalingsrekening",
        "payout_account_of": "{iban} t.n.v. {holder}",
        "contracts": "Contracten met verzekeraars",
        "contract_open": "UZOVI {uzovi}, {insurer}: vanaf {starts}, tot nader order",
        "contract_until": "UZOVI {uzovi}, {insurer}: van {starts} tot en met {ends}",
        # R33: the version read, as a finding of the ingest names it.
        "insurer_unknown": "niet in het verzekeraarsregister van zorgnota (versie {version})",
        # The brands declared under the contract's code (R33): OHRA's patients go to 9664.
        "insurer_with_labels": "{insurer}, met de labels {labels}",
        "no_contracts": "Geen",
        "coverage_rules": "Vergoeding door verzekeraars",
        "coverage_all_codes": "Alle prestatiecodes",
        "coverage_other_codes": "Alle andere prestatiecodes",
        "coverage_codes_from": "Prestatiecodes die beginnen met {prefix}",
        "coverage_rule": "{codes}: {contracted}% met contract, {non_contracted}% zonder contract",
        "coverage_rules_note": "De langste passende code telt; een code zonder regel vergoedt de verzekeraar niet.",
        "no_coverage_rules": "Geen: verzekeraars vergoeden niets van een regel",
        "posting_delay": "Brieven per post",
        "posted_same_day": "Gepost op de dag van de printopdracht.",
        "posted_days_after_one": "Gepost {count} kalenderdag na de printopdracht.",
        "posted_days_after_other": "Gepost {count} kalenderdagen na de printopdracht.",
        "posted_received": "Een brief geldt als ontvangen op de tweede bezorgdag daarna.",
        "deferral": "Uitstel na een verzoek",
        "arrangement": "Betalingsregeling",
        "arrangement_terms": "{fee} kosten, termijnen van minstens {minimum}",
        "service_fee_of": "{percentage}% van het ontvangen bedrag",
        "contact_heading": "Contactgegevens voor patiënten",
        "website": "Website",
        "opening_hours": "Bereikbaar",
        "save_contact": "Contactgegevens opslaan",
        "days_to_reminder_label": "Dagen tot de herinnering",
        "days_to_reminder_hint": "Na de uiterste betaaldatum.",
        "days_to_handover_label": "Dagen tot overdracht aan het incassobureau",
        "days_to_handover_hint": "Na de aanmaning.",
        "combine_reminders_label": "Eén herinnering voor alle nota's van een patiënt die op dezelfde dag vervallen",
        "max_invoices_label": "Hoogstens zoveel nota's in één brief",
        "save_dunning": "Aanmanen opslaan",
        # A legend that names the choice in a refusal as well (pages.FORM_FIELDS).
        "coulance_mode_label": "Wat er met een coulancevoorstel gebeurt",
        # R17, legal-nl.md §6: of what the patient claims from the insurer, not the invoice.
        "minimum_percentage_label": "De patiënt betaalt minstens dit percentage van de niet-gecontracteerde zorg op de nota",
        "minimum_percentage_hint": "Vergoedde de verzekeraar meer, dan betaalt de patiënt de vergoeding plus het ingehouden eigen risico. Een no-showtarief en het eigen deel van gecontracteerde zorg betaalt de patiënt helemaal.",
        "wait_for_statement_label": "Bij niet-gecontracteerde zorg eerst op de verzekeraar wachten",
        "statement_wait_days_label": "Dagen wachten op de verzekeraar",
        "save_coulance": "Coulance opslaan",
        "settings_saved": "De instellingen zijn opgeslagen.",
        # R32: the portal reads the role at every request; a token keeps its claims (60 min).
        "role_change_note": "Een nieuwe rol geldt in het portaal meteen; een API-token houdt zijn rol tot het verloopt (hoogstens 60 minuten).",
        "user_state": "Status",
        "user_enabled": "actief",
        "user_disabled": "uitgeschakeld",
        "you": "u",
        "role_of": "Rol van {email}",
        "change_role": "Rol wijzigen",
        "change_role_of": "Rol wijzigen van {email}",
        "disable_user": "Uitschakelen",
        "disable_user_of": "{email} uitschakelen",
        "invite_heading": "Collega uitnodigen",
        "invite_button": "Uitnodigen",
        "user_invited": "De uitnodiging is verstuurd.",
        "user_reinvited": "De uitnodiging is opnieuw verstuurd, met een nieuw tijdelijk wachtwoord.",
        "user_enabled_notice": "De gebruiker is weer ingeschakeld, met de gekozen rol.",
        "role_changed": "De rol is gewijzigd.",
        "user_disabled_notice": "De gebruiker is uitgeschakeld.",
        # A role change or disable for an address not of the practice (pages.change_user).
        "user_not_found": (
            "Niet gelukt: uw praktijk heeft geen gebruiker met dit e-mailadres. Er is niets"
            " gewijzigd. Kies de gebruiker in de lijst van gebruikers op deze pagina."
        ),
        "name": "Naam",
        "agb_code": "AGB-code",
        "contact_email": "E-mailadres",
        "payment_term": "Betaaltermijn",
        "payment_term_days_one": "{count} dag",
        "payment_term_days_other": "{count} dagen",
        "phone": "Telefoon",
        "dunning_policy": "Aanmanen",
        "coulance_policy": "Coulance",
        "coulance_automatic": "automatisch toegepast",
        "coulance_provider_confirms": "voorstel op de actielijst",
        "users_heading": "Gebruikers en rollen",
        "role_label": "Rol",
        "no_users": "Geen gebruikers gevonden.",
        "user_changes_heading": "Wie wijzigde de gebruikers",
        "user_change_when": "Wanneer",
        "user_change_by": "Door",
        "user_change_what": "Wijziging",
        "by_zorgnota": "zorgnota",
        "user_change_invited": "uitgenodigd als {role}",
        "user_change_reinvited": "opnieuw uitgenodigd als {role}",
        "user_change_enabled": "weer ingeschakeld als {role}",
        "user_change_role_changed": "rol {before} → {after}",
        "user_change_disabled": "uitgeschakeld",
        "no_user_changes": "Nog geen wijzigingen vastgelegd.",
        # errors
        "not_found_title": "Niet gevonden",
        "no_longer_kept_title": "Niet meer bewaard",
        "not_found": (
            "Deze pagina of nota bestaat niet (of hoort niet bij uw praktijk). Open de pagina"
            " via het menu, of zoek de nota onder Nota's op betalingskenmerk of patiëntnummer."
        ),
        # before sign-in there is no menu: the address, or the way in (words52c, access52b)
        "not_found_signed_out": (
            "Deze pagina bestaat niet. Controleer het adres, of log in en open de pagina"
            " daarna via het menu."
        ),
        "unknown_parameter_title": "Adres niet herkend",
        "unknown_parameter": "Het adres bevat ‘{parameter}’, dat deze pagina niet kent. Open de pagina via het menu.",
        "unknown_format_title": "Bestandsvorm niet herkend",
        "unknown_format": "Het adres vraagt met ‘format’ om een bestand dat deze pagina niet geeft; zij geeft: {formats}. Gebruik de downloadlinks op de pagina.",
        "forbidden_title": "Niet toegestaan",
        "forbidden": (
            "Dit formulier is verlopen of uw rol mag dit niet. Er is niets gewijzigd. Open de"
            " pagina opnieuw en probeer het nog eens; mag uw rol dit niet, vraag het dan een"
            " beheerder van uw praktijk."
        ),
        "page_forbidden": "Deze pagina is alleen voor de beheerders van uw praktijk. Moet u hier iets zien of wijzigen, vraag het dan een beheerder.",
        "settings_unreadable_title": "Instellingen van uw praktijk niet te lezen",
        "settings_unreadable": (
            "De opgeslagen instellingen van uw praktijk moeten eerst door zorgnota worden"
            " hersteld. Tot dan werkt deze pagina niet; er is niets gewijzigd. Neem contact op"
            " met zorgnota als dit zo blijft."
        ),
        "refused": "Niet gelukt: {reason}",
        # A form whose change met another at the same moment, past the retries (R28):
        # the API's words (entrypoints/http/errors.CHANGED_MEANWHILE), in "refused".
        "changed_meanwhile": (
            "Iemand anders wijzigde dit op hetzelfde moment; er is niets vastgelegd. Probeer"
            " het opnieuw."
        ),
        "invalid_form": "Het formulier is niet goed ingevuld: {fields}.",
        # A field in invalid_form: its label, and what its model allows (pages._field_named).
        "field_allowed": "{label}: {allowed}",
        "allowed_ge": "minimaal {limit}",
        "allowed_gt": "meer dan {limit}",
        "allowed_le": "maximaal {limit}",
        "allowed_lt": "minder dan {limit}",
        # A text typed longer than its model allows (pages._typed_form).
        "allowed_max_length": "hoogstens {limit} tekens, u typte er {typed}",
        # A number's hint on the settings page: what its model allows (pages._allowed).
        "allowed_hint": "Toegestaan: {allowed}.",
        # After invalid_form, for a number typed with decimals (pages.HOW_TO_TYPE); the
        # amount as the checker says it (patient.py amount_invalid).
        "amount_how_to_type": (
            "Vul het bedrag in euro's in met een komma voor de centen: bijvoorbeeld 60,17 of"
            " 1.234,56."
        ),
        "percentage_how_to_type": (
            "Vul het percentage in als getal met hoogstens {places} cijfers achter de komma:"
            " bijvoorbeeld 12,5."
        ),
        # A refusal of the services, in the words of the portal's form (pages._refusal_reason).
        "refusal_invalid_partial_stop": (
            "Vul bij een deel óf het coulancebedrag óf het percentage in, niet allebei."
        ),
        "refusal_invalid_full_stop": (
            "U koos de hele nota en vulde ook een bedrag of percentage in: maak die leeg, of"
            " kies een deel."
        ),
        # A hand-made change of an open action the services refuse (pages.update_action):
        # by the field the refusal names.
        "invalid_action_decision": (
            "Een coulancevoorstel sluit u af door het toe te passen of af te wijzen; het kan"
            " niet zonder beslissing als afgehandeld worden gemarkeerd."
        ),
        "invalid_action_state": "Een beslissing over een coulancevoorstel sluit de actie af.",
        # A hand-made action form with a value the page never sends (pages.update_action):
        # each field by what the page may send, in invalid_form.
        "action_state_label": "Stand",
        "action_state_allowed": "open of afgehandeld",
        "action_decision_label": "Beslissing",
        "action_decision_allowed": "coulance toepassen of afwijzen",
        # The same form sent again (R38, web.serve_change).
        "form_sent_title": "Formulier al verstuurd",
        "form_key_reused": (
            "Dit formulier is al eerder verstuurd, met andere gegevens. Er is niets gewijzigd."
            " Open de pagina opnieuw en vul het formulier daar in."
        ),
        "form_key_in_use": (
            "Dit formulier wordt nog verwerkt. Open de pagina over een moment opnieuw om te"
            " zien of het gelukt is."
        ),
        # Saved, and what follows from it kept changing at the same moment (invite58).
        "saved_unfinished_title": "Opgeslagen, nog niet afgerond",
        "saved_unfinished": (
            "Uw wijziging is opgeslagen, maar iemand anders wijzigde op hetzelfde moment wat"
            " eruit volgt (zoals de blokkering van de patiënt). Verstuur het formulier"
            " opnieuw met de knop hieronder om het af te ronden; er wordt niets dubbel"
            " geboekt."
        ),
        "send_again": "Opnieuw versturen",
    },
}

_ENGLISH: Sections = {
    PORTAL: {
        "portal": "Practice portal",
        "skip": "Skip to content",
        "table_of": "Table: {name}",
        "switch_language": "Nederlands",
        "signed_in_as": "Signed in at {practice} ({role})",
        "sign_out": "Sign out",
        "nav": "Main menu",
        "nav_overview": "Overview",
        "nav_declarations": "Declarations",
        "nav_invoices": "Invoices",
        "nav_actions": "Actions",
        "nav_blocked": "Blocked patients",
        "nav_payouts": "Payouts",
        "nav_risk": "Debtor risk",
        "nav_settings": "Settings",
        "nav_access_log": "Access log",
        "access_log_title": "Access log",
        "access_log_lead": (
            "Who read your practice's data, and when: how you answer a patient who asks who"
            " read their data. Fill in a patient number for one patient's reads. Asking for"
            " this list is recorded too."
        ),
        "access_log_search": "Period and patient",
        "access_log_patient_label": "Patient number (optional)",
        "access_log_from_label": "From",
        "access_log_to_label": "To (inclusive)",
        "access_log_period_hint": "At most 366 days.",
        "access_log_button": "Show",
        "access_log_reads": "Reads",
        "access_log_when": "When",
        "access_log_who": "Who",
        "access_log_what": "What was read",
        "access_log_kind": "Kind",
        "access_log_by_zorgnota": "zorgnota (operations)",
        "access_log_by_unknown": "user no longer known",
        "access_log_more": "and {count} more",
        "access_log_none": "No reads in this period.",
        "access_log_none_more": "No more reads in this period.",
        "access_log_none_yet": (
            "No reads of this patient in this part of the period; the next page looks further."
        ),
        "access_log_csv": "Download every read of this period (CSV)",
        "invalid_audit_date": "Enter the dates as day-month-year.",
        "invalid_audit_patient": "A patient number has at most {most} characters.",
        "invalid_patient_ref_case": as_sentence(PATIENT_REF_CASE_EN),
        "invalid_audit_period": (
            "‘To’ is on or after ‘From’, and the period is at most {most} days."
        ),
        "invalid_audit_too_long": (
            "Too many reads in this period for one file: choose a shorter period."
        ),
        "read_kind_invoice": "Invoice",
        "read_kind_letter": "Letter (PDF)",
        "read_kind_invoice_list": "List of invoices",
        "read_kind_patient_list": "List of patients",
        "read_kind_action": "Action",
        "read_kind_export": "File",
        "read_kind_audit": "Access log",
        "read_kind_bank_credits": "Bank credits",
        "read_kind_refund_batch": "Refunds",
        "read_kind_migration": "Data migration",
        "read_kind_actions": "List of actions",
        "read_what_invoice": "One invoice",
        "read_what_letter": "A letter (PDF) of an invoice",
        "read_what_invoice_named": "Invoice {kenmerk}",
        "read_what_letter_named": "A letter (PDF) of invoice {kenmerk}",
        "read_what_invoices": "Invoices ({count})",
        "read_what_held_credits": "Invoices with a credit held ({count})",
        "read_what_by_name": "{what}, searched by name",
        "read_what_actions": "Actions ({count})",
        "read_what_action": "One action",
        "read_what_blocked": "List of blocked patients",
        "read_what_block_changes": "Changes to the blocked patients",
        "read_what_retrocession": "Retrocession statement {week}, {format}",  # week: week_of
        "read_what_insurer_claims": "Claim files for insurer {uzovi} ({count})",
        "read_what_insurer_claims_all": "Claim files for the insurers ({count})",
        "read_what_report": "Processing report of a declaration file",
        "read_what_audit": "Access log",
        "read_what_audit_period": "Access log from {first} to {last} inclusive",
        "read_what_refunds": "Refunds to patients, {kenmerken}",
        "read_what_refund_batch": "Refunds to patients",
        "read_what_bank_credit": "A bank credit and the invoices it was booked to ({count})",
        "read_what_migration": "Data migration by zorgnota",
        "read_what_other": "The practice's data",
        "read_what_with_patients": "{what}: {patients}",
        "read_patient_one": "patient {values}",
        "read_patient_other": "patients {values}",
        "read_kenmerk_one": "payment reference {values}",
        "read_kenmerk_other": "payment references {values}",
        "role_admin": "admin",
        "role_staff": "staff",
        "role_viewer": "read only",
        "role_none": "no role",
        "sign_in_title": "Sign in",
        "sign_in": "Sign in",
        "continue": "Continue to the portal",
        "signed_out": "You are signed out.",
        "session_expired_title": "No longer signed in",
        "session_expired": (
            "Your session has expired or was ended, so what you just sent was not processed:"
            " nothing was changed. Sign in again and send the form once more."
        ),
        "sign_in_failed": "Signing in did not work. Please try again.",
        "overview_title": "Overview",
        "overview_lead": "What needs attention today.",
        "open_actions": "Open actions",
        "no_open_actions": "No open actions.",
        "uploads_with_findings": "Uploads with findings",
        "no_uploads_with_findings": "No recent uploads with findings.",
        "handed_over": "Handed over this week",
        "handed_over_count_one": "{count} invoice has been handed to the collection agency this week (since Monday {monday}).",
        "handed_over_count_other": "{count} invoices have been handed to the collection agency this week (since Monday {monday}).",
        "latest_week_payout": "Payout for the latest week",
        "no_payout": "No payout yet.",
        "payout_of_week": "{week}: {amount}",  # week: week_of
        "payout_of_weeks": "{weeks}: {amount} together in one transfer",
        "payout_proposed": "Proposed on {day}; zorgnota still has to approve the transfer.",
        "payout_approved": "Approved on {day}; goes to the bank shortly.",
        "payout_sent": "Sent to the bank on {day}.",
        "payout_booked": "Paid out by the bank on {day}.",
        "payout_returned": "Returned by the bank on {day}; zorgnota pays the amount again with a next payout.",
        "payout_returned_repaid": "Returned by the bank on {day}; paid again with payout {batch}.",
        "payout_withdrawn": "Withdrawn by zorgnota on {day}; the transfer will be planned again.",
        "payout_carried": "No transfer: {amount} is set off against a next payout.",
        "payout_nothing_due": "No transfer: there was nothing to pay out.",
        "payout_not_planned": "No transfer planned yet.",
        "week_of": "Week {number} ({days})",
        "declarations_title": "Declarations",
        "upload_heading": "Upload a file",
        "upload_hint": "A CSV export or a Vektis file from your practice system, up to {max_mb} MB. Larger files through the API.",
        "template_link": "Download the template (CSV)",
        "template_hint": "Every column zorgnota reads, with an example line; opens in Excel.",
        "file_label": "File",
        "no_file_chosen": "Not done: choose a file to upload first. Nothing was stored.",
        "file_too_large": (
            "Not done: this file is {size_mb} MB, this form takes up to {max_mb} MB. Upload a"
            " larger file (up to {api_max_mb} MB) through the API: ask for an upload URL with"
            " POST /api/v1/provider/declarations. Nothing was stored."
        ),
        "upload_button": "Upload",
        "uploads_heading": "Uploads",
        "no_uploads": "No uploads yet.",
        "file_name": "File",
        "unknown_upload": "unknown upload (not requested through the portal or the API)",
        "uploaded_at": "Uploaded",
        "status": "Status",
        "outcome": "Outcome",
        "status_awaiting_upload": "Awaiting file",
        "status_processing": "Processing",
        "status_processed": "Processed",
        "status_rejected": "Rejected",
        "status_expired": "Expired: no file received",
        "outcome_accepted": "Accepted",
        "outcome_partially_accepted": "Partly accepted",
        "outcome_rejected": "Rejected",
        "outcome_already_processed": "Processed before",
        "outcome_none": "—",
        "outcome_stopped_half_way": "Rejected: stopped half-way, partly processed",
        "stopped_half_way": (
            "This retour file stopped half-way. What its earlier parts processed stays; the"
            " counts below do not include it. Upload the file again to finish it: nothing is"
            " processed twice."
        ),
        "report_title": "Processing report: {file}",
        "report_summary": "Summary",
        "summary_lines": "Lines",
        "summary_invoices": "Invoices created",
        "summary_rejected": "Claims refused",
        "summary_to_insurer": "To the insurer",
        "summary_amount": "Invoiced",
        "summary_lines_applied": "Lines applied",
        "summary_lines_unchanged": "Lines unchanged (applied before)",
        "summary_lines_invoiced_to_patient": "Lines invoiced to the patient after all",
        "summary_lines_insurer": "Lines for the insurer (on no invoice)",
        "summary_lines_unknown": "Lines not found",
        "summary_lines_granted_blank": "Lines without a granted amount",
        "summary_lines_repeated": "Lines whose line reference occurs more than once",
        "summary_lines_declared_amount_differs": "Lines with another declared amount",
        "summary_lines_not_assessed": "Lines the insurer did not assess",
        "summary_invoices_changed": "Invoices changed",
        "summary_invoices_created": "Invoices created",
        "summary_reimbursement_change_cents": "Patients pay less (negative: more)",
        "summary_granted_cents": "Granted by the insurer",
        "findings_heading": "Findings",
        "no_findings": "No findings: everything was processed.",
        "report_no_longer_kept": (
            "This upload's processing report is no longer kept: it was deleted at the end of"
            " its retention period. The status and the counts above remain."
        ),
        "findings_range": "Findings {first} to {last} of {total}",
        "findings_range_kept_one": (
            "Findings {first} to {last} of the {kept} kept ({number} finding in all)"
        ),
        "findings_range_kept_other": (
            "Findings {first} to {last} of the {kept} kept ({number} findings in all)"
        ),
        "next_findings": "Next findings",
        "first_findings": "Back to the first findings",
        "findings_not_kept_intro": (
            "The report keeps the first {kept} findings of each kind."
            " Of these kinds, the others are only counted:"
        ),
        "findings_not_kept_one": "{example} — and {number} more of this kind",
        "findings_not_kept_other": "{example} — and {number} more of this kind",
        "retour_codes_heading": "The insurer's retour codes",
        "retour_codes_range": "Retour codes {first} to {last} of {total}",
        "next_retour_codes": "Next retour codes",
        "first_retour_codes": "Back to the first retour codes",
        "retour_level": "Level",
        "retour_level_file": "File",
        "retour_level_patient": "Patient",
        "retour_level_debtor": "Debtor",
        "retour_level_comment": "Comment",
        "retour_level_line": "Line",
        "retour_code": "Code",
        "retour_meaning": "Meaning",
        "retour_meaning_unknown": "Not in zorgnota's code list; ask the insurer.",
        "line": "Line",
        "severity": "Kind",
        "message": "Finding",
        "severity_file_rejected": "File rejected",
        "severity_claim_rejected": "Line rejected",
        "severity_warning": "Warning",
        "created_invoices": "Invoices created",
        "back_to_declarations": "Back to declarations",
        "invoices_title": "Invoices",
        "search_heading": "Search",
        "kenmerk_label": "Payment reference",
        "patient_label": "Patient number",
        "name_label": "Name of patient or payer",
        "name_hint": "Case and accents do not matter; without 'from', the last two years.",
        "issued_from_label": "Invoice date from",
        "issued_until_label": "Invoice date up to and including",
        "invalid_period": "Enter the dates as day-month-year, the first not after the second.",
        "invalid_name": "Type a name: letters or digits, not only punctuation.",
        "invalid_kenmerk": "This payment reference is not right: check the 14 digits.",
        "name_in_address": "A name does not belong in a page's address (privacy). Search by name with the form above.",
        "status_label": "Payment status",
        "any_status": "Any",
        "payment_open": "Open",
        "payment_partly_paid": "Partly paid",
        "payment_paid": "Paid",
        "search_button": "Search",
        "no_invoices": "No invoices found.",
        "search_found_one": "{count} invoice found.",
        "search_found_other": "{count} invoices found.",
        "search_found_more": "These are the first; the rest are on the next page.",
        "pages_nav": "Pagination",
        "next_page": "Next page",
        "invalid_page": "This page of the list does not exist (any more). Open the list again from the start.",
        "kenmerk": "Reference",
        "patient": "Patient",
        "addressee": "Addressee",
        "issue_date": "Date",
        "amount": "Amount",
        "amount_due": "Due",
        "channel": "Sent by",
        "channel_email": "e-mail",
        "channel_paper": "paper",
        "state": "State",
        "debtor_risk": "Debtor risk",
        "debtor_risk_with_practice": "Stays with your practice: the patient was on your list of"
        " blocked patients (an earlier invoice was with the collection agency) when this"
        " invoice was made.",
        "state_paid": "Paid",
        "state_waived": "Waived",
        "state_reimbursed": "Reimbursed by insurer",
        "state_paid_rest_waived": "Partly paid, rest waived",
        "state_with_collection_agency": "With collection agency",
        "state_arrangement_active": "Payment plan",
        "state_on_hold": "On hold",
        "state_reminder_sent": "Reminder sent",
        "state_second_notice_sent": "Final notice sent",
        "state_second_notice_waits": "Final notice still to be sent",
        "state_deferred": "Deferred",
        "state_open": "Open",
        "invoice_title": "Invoice {kenmerk}",
        "final_payment_date": "Final payment date",
        "lines_heading": "Lines",
        "treatment_date": "Treatment date",
        "code": "Code",
        "description": "Description",
        "reimbursed": "Reimbursed",
        "to_pay": "To pay",
        "ledger_heading": "Ledger",
        "at": "When",
        "kind": "Kind",
        "component": "Component",
        # ledger entries (R27) and what they touch
        "ledger_issued": "Invoice",
        "ledger_reimbursement_deduction": "Reimbursed by the insurer",
        "ledger_payment": "Payment",
        "ledger_coulance": "Coulance",
        "ledger_stop": "Stop",
        "ledger_costs": "Collection costs",
        "ledger_interest": "Statutory interest",
        "ledger_fee": "Arrangement fee",
        "ledger_refund": "Refund",
        "ledger_reversal": "Reversal",
        "part_principal": "principal",
        "part_costs": "collection costs",
        "part_interest": "interest",
        "letters_heading": "Letters and e-mails",
        "no_letters": "Nothing sent yet.",
        "open_letter": "Open PDF",
        "letter_invoice": "invoice",
        "letter_dunning_reminder": "reminder",
        "letter_second_notice": "final notice",
        "letter_deferral_confirmation": "deferral confirmed",
        "letter_arrangement_confirmation": "payment arrangement confirmed",
        "letter_objection_acknowledgement": "objection acknowledged",
        "letter_payment_received": "payment received",
        "letter_stop_confirmation": "lowered amount confirmed",
        "letter_invoice_corrected": "corrected invoice",
        "letter_coulance_declined": "unchanged amount confirmed",
        "open_letter_of": "Open PDF: {kind} of {day}",
        "letter_not_kept": "sent by e-mail as an attachment, no copy kept",
        "letter_in_email": "sent by e-mail: the message itself, nothing attached",
        "actions_heading": "Actions",
        "no_actions": "No actions.",
        "stop_heading": "Stop (whole or part)",
        "stop_terms": "A stop cannot be undone: the amount is no longer collected and the patient gets the lower amount with a pay link, by e-mail or, without an e-mail address, by post. The invoice itself stays.",
        "scope_label": "Scope",
        "scope_full": "The whole invoice",
        "scope_partial": "A part",
        "part_hint": "For a part: fill in either an amount in euros (such as 12.50) or a percentage.",
        "amount_label": "Coulance amount in euros (for a part)",
        "percentage_label": "Percentage of the original amount (for a part)",
        "reason_label": "Reason",
        "email_label": "The patient's e-mail address (checked)",
        # R21, R7: shown under the address; a paper patient's is empty, not made up.
        "email_hint": "Check the address, or correct it: the confirmation of the lower amount goes there.",
        "email_hint_none": "No e-mail address is known for this patient. Leave the field empty: the patient gets the confirmation by post. If the patient gave you an address, fill it in.",
        "accept_terms_label": "I understand a stop cannot be undone",
        "stop_button": "Book the stop",
        "hold_heading": "Put on hold",
        "hold_hint": (
            "Reminders pause from now up to and including the date chosen: after today, at"
            " most 60 days, today included."
        ),
        "until_label": "On hold until",
        "hold_reason_label": "Reason for the hold",
        "hold_button": "Put on hold",
        "stopped": "The stop has been booked.",
        "held": "The invoice is on hold.",
        "read_only": "Your role may only view this invoice.",
        "nothing_to_change": (
            "Nothing is open on this invoice any more: there is nothing to stop or put on hold."
        ),
        "nothing_to_change_paid": (
            "This invoice has been paid: there is nothing to stop or put on hold. To give"
            " coulance all the same, have the payment refunded first; then an amount is open"
            " again."
        ),
        "stop_reason_non_contracted_coulance": "Coulance: what the insurer does not reimburse",
        "stop_reason_goodwill": "Goodwill",
        "stop_reason_insurer_paid_directly": "The insurer paid directly",
        "stop_reason_treatment_complaint": "Complaint about the treatment",
        "stop_reason_administrative_error": "Administrative error",
        "stop_reason_patient_deceased": "Patient deceased",
        "stop_reason_other": "Other",
        "actions_title": "Actions",
        "state_label": "State",
        "action_open": "Open",
        "action_done": "Done",
        "filter_button": "Show",
        "created": "Since",
        "what": "What",
        "mark_done": "Done",
        "reopen": "Reopen",
        "apply_coulance": "Apply coulance",
        "decline_coulance": "Decline",
        "action_updated": "The action has been updated.",
        "action_kind_objection": "Objection",
        "action_kind_bounce": "E-mail bounced",
        "action_kind_complaint": "E-mail reported as spam",
        "action_kind_unsent": "Message not sent",
        "bounce_what": "What happened",
        "bounce_permanent": "The e-mail address does not exist (any more): the e-mail did not arrive and zorgnota sends no more e-mail to it.",
        "bounce_temporary": "The e-mail did not arrive, but the address is not known to be wrong (a full mailbox, for instance): zorgnota keeps e-mailing it.",
        "bounce_complaint": "The e-mail arrived, but the patient reported it as unwanted (spam).",
        "bounce_unsent": "The message could not go anywhere: the e-mail address does not work and there is no postal address.",
        "bounce_message": "Message",
        "bounce_address": "E-mail address",
        "bounce_todo": "To do",
        "bounce_todo_check_the_address": "Check the e-mail address with the patient.",
        "bounce_todo_complaint": "Ask the patient whether they would rather have letters by post.",
        "bounce_todo_pass_on_the_message": "Pass the message on to the patient yourself.",
        # R23, seed 002 advice 6: a claim handed to the collection agency ("call your patient")
        "handover_outstanding": "Due at handover",
        "handover_todo_call_your_patient": "Consider calling your patient yourself: that gives them one more chance to pay the invoice before the collection agency contacts them.",
        # R6, R23: a dental plan above € 250 invoiced without a price quote (NZa)
        "quote_missing": "The treatment plan is above €250 and no price quote was recorded; the invoice was sent all the same.",
        "action_kind_coulance_proposal": "Coulance proposal",
        "action_kind_collection_handover": "Collection handover",
        "action_kind_missing_price_quote": "Missing price quote",
        "action_kind_minor_without_debtor": "Minor without debtor",
        "action_kind_upload_version_ignored": "Second file not processed",
        "action_kind_payout_returned": "Payout returned",
        "action_about_payouts": "Go to the payouts",
        "action_about_upload": "Go to the upload's processing report",
        # what an action is about (R16, R17: the objection's words, the proposal's amounts)
        "objection_reason": "Reason",
        "objection_reason_treatment": "The treatment",
        "objection_reason_amount": "The amount",
        "objection_reason_insurer": "The reimbursement by the health insurer",
        "objection_reason_other": "Something else",
        "objection_message": "Message",
        "objection_reply_to": "Reply to",
        "proposal_invoice_amount": "Invoice amount",
        "proposal_gross_reimbursement": "Insurer's reimbursement (gross)",
        "proposal_amount_to_pay": "Patient pays",
        "proposal_coulance": "Coulance",
        "proposal_paid": "Paid already",
        "proposal_proposed_coulance": "Coulance proposed when the statement came",
        "blocked_title": "Blocked patients",
        "blocked_lead": "Patients with a claim at the collection agency, as of {date}.",
        "no_blocked": "No blocked patients.",
        "blocked_since": "Blocked since",
        "changes_heading": "Changes for your practice system",
        "since_label": "Since (date)",
        "download_changes_csv": "Download the changes (CSV)",
        "download_changes_json": "Download the changes (JSON)",
        "download_list_csv": "Download the list (CSV)",
        "download_list_json": "Download the list (JSON)",
        "invalid_since": "Enter an existing date under 'Since', as day-month-year.",
        "invalid_since_too_many": (
            "More than {most} changes since this date, too many for one file: choose a later"
            " date. Your practice software fetches them all, in pages, through the API:"
            " GET /api/v1/provider/blocked-patients/changes."
        ),
        "blocked_too_many": (
            "More than {most} blocked patients, too many for one file. Your practice software"
            " fetches them all, in pages, through the API: GET /api/v1/provider/blocked-patients."
        ),
        "payouts_title": "Payouts",
        "no_payouts": "No payouts yet.",
        "week": "Week",
        "received": "Received",
        "refunded": "Refunded",
        "service_fee": "Service fee",
        "payout": "Payout",
        "remitted_by_agency": "Transferred by the collection agency",
        "remitted_by_agency_note": (
            "Transferred by the collection agency: what the agency transferred to our account"
            " of what it collected. That is in Received and the payout."
        ),
        "collected_by_agency": "Collected by the collection agency",
        "collected_by_agency_note": (
            "Collected by the collection agency: what the agency reported it collected. That"
            " is not in our account, so not in Received or the payout; it counts as received"
            " in the week the agency transfers it."
        ),
        "download": "Download",
        "risk_title": "Debtor risk",
        "risk_lead": "Per month of issue: how the invoices ended up. For each outcome the amount; below it the number of invoices with their share of the number, and the share of the amount. An invoice the insurer paid in full after a retour is not counted: the patient had nothing to pay.",
        "risk_chart": "Chart: amount per month of issue, by outcome",
        "month": "Month",
        "total": "Total",
        "risk_paid_on_time": "Paid on time",
        "risk_paid_late": "Paid late, before a reminder",
        "risk_paid_after_reminder": "Paid after a reminder",
        "risk_paid_after_collection": "Paid through collection",
        "risk_stopped": "Stopped",
        "risk_unpaid": "Unpaid",
        "risk_open": "Still open",
        "risk_count_one": "{count} invoice · {share}",
        "risk_count_other": "{count} invoices · {share}",
        "risk_amount_share": "{share} of the amount",
        "risk_from_label": "From month",
        "risk_to_label": "To month (inclusive)",
        "risk_period_hint": "Months of issue as yyyy-mm, e.g. 2026-03; at most {most} months.",
        "invalid_risk_month": "Enter the months as yyyy-mm, e.g. 2026-03.",
        "invalid_risk_month_out_of_range": "Choose a month from {first} to {last}.",
        "invalid_risk_months_out_of_order": "The first month may not be after the last, and at most {most} months.",
        "settings_title": "Settings",
        "settings_lead": "Your practice's details as zorgnota uses them. Change contact details, dunning, coulance and users here.",
        "settings_version": "Version",
        "operator_only_note": "zorgnota changes the details above after a check.",
        "legal_name": "Legal name",
        "kvk": "KvK number",
        "address": "Address",
        "payout_account": "Payout account",
        "payout_account_of": "{iban} in the name of {holder}",
        "contracts": "Contracts with insurers",
        "contract_open": "UZOVI {uzovi}, {insurer}: from {starts}, until further notice",
        "contract_until": "UZOVI {uzovi}, {insurer}: from {starts} up to and including {ends}",
        "insurer_unknown": "not in zorgnota's insurer register (version {version})",
        "insurer_with_labels": "{insurer}, with the labels {labels}",
        "no_contracts": "None",
        "coverage_rules": "Reimbursement by insurers",
        "coverage_all_codes": "All treatment codes",
        "coverage_other_codes": "All other treatment codes",
        "coverage_codes_from": "Treatment codes beginning with {prefix}",
        "coverage_rule": "{codes}: {contracted}% with a contract, {non_contracted}% without",
        "coverage_rules_note": "The longest matching code counts; the insurer reimburses nothing of a code without a rule.",
        "no_coverage_rules": "None: insurers reimburse nothing of a line",
        "posting_delay": "Letters by post",
        "posted_same_day": "Posted on the day of the print run.",
        "posted_days_after_one": "Posted {count} calendar day after the print run.",
        "posted_days_after_other": "Posted {count} calendar days after the print run.",
        "posted_received": "A letter counts as received on the second delivery day after that.",
        "deferral": "Deferral on request",
        "arrangement": "Payment arrangement",
        "arrangement_terms": "{fee} fee, terms of at least {minimum}",
        "service_fee_of": "{percentage}% of the money received",
        "contact_heading": "Contact details for patients",
        "website": "Website",
        "opening_hours": "Reachable",
        "save_contact": "Save contact details",
        "days_to_reminder_label": "Days until the reminder",
        "days_to_reminder_hint": "After the final payment date.",
        "days_to_handover_label": "Days until handover to the collection agency",
        "days_to_handover_hint": "After the final notice.",
        "combine_reminders_label": "One reminder for all of a patient's invoices due on the same day",
        "max_invoices_label": "At most this many invoices in one letter",
        "save_dunning": "Save dunning",
        "coulance_mode_label": "What happens to a coulance proposal",
        "minimum_percentage_label": "The patient pays at least this percentage of the non-contracted care on the invoice",
        "minimum_percentage_hint": "If the insurer reimbursed more, the patient pays the reimbursement plus the deductible it withheld. A no-show fee and the patient's share of contracted care are paid in full.",
        "wait_for_statement_label": "For non-contracted care, wait for the insurer first",
        "statement_wait_days_label": "Days to wait for the insurer",
        "save_coulance": "Save coulance",
        "settings_saved": "The settings are saved.",
        "role_change_note": "A new role applies in the portal at once; an API token keeps its role until it expires (at most 60 minutes).",
        "user_state": "Status",
        "user_enabled": "active",
        "user_disabled": "disabled",
        "you": "you",
        "role_of": "Role of {email}",
        "change_role": "Change role",
        "change_role_of": "Change role of {email}",
        "disable_user": "Disable",
        "disable_user_of": "Disable {email}",
        "invite_heading": "Invite a colleague",
        "invite_button": "Invite",
        "user_invited": "The invitation is sent.",
        "user_reinvited": "The invitation is sent again, with a new temporary password.",
        "user_enabled_notice": "The user is enabled again, in the role chosen.",
        "role_changed": "The role is changed.",
        "user_disabled_notice": "The user is disabled.",
        "user_not_found": (
            "Not done: your practice has no user with this e-mail address. Nothing was"
            " changed. Choose the user in the list of users on this page."
        ),
        "name": "Name",
        "agb_code": "AGB code",
        "contact_email": "E-mail address",
        "payment_term": "Payment term",
        "payment_term_days_one": "{count} day",
        "payment_term_days_other": "{count} days",
        "phone": "Phone",
        "dunning_policy": "Dunning",
        "coulance_policy": "Coulance",
        "coulance_automatic": "applied automatically",
        "coulance_provider_confirms": "a proposal on the action list",
        "users_heading": "Users and roles",
        "role_label": "Role",
        "no_users": "No users found.",
        "user_changes_heading": "Who changed the users",
        "user_change_when": "When",
        "user_change_by": "By",
        "user_change_what": "Change",
        "by_zorgnota": "zorgnota",
        "user_change_invited": "invited as {role}",
        "user_change_reinvited": "invited again as {role}",
        "user_change_enabled": "enabled again as {role}",
        "user_change_role_changed": "role {before} → {after}",
        "user_change_disabled": "disabled",
        "no_user_changes": "No changes recorded yet.",
        "not_found_title": "Not found",
        "no_longer_kept_title": "No longer kept",
        "not_found": (
            "This page or invoice does not exist (or is not your practice's). Open the page"
            " from the menu, or search the invoice under Invoices by payment reference or"
            " patient number."
        ),
        "not_found_signed_out": (
            "This page does not exist. Check the address, or sign in and then open the page"
            " from the menu."
        ),
        "unknown_parameter_title": "Address not recognised",
        "unknown_parameter": "The address holds ‘{parameter}’, which this page does not take. Open the page from the menu.",
        "unknown_format_title": "File format not recognised",
        "unknown_format": "The address asks with ‘format’ for a file this page does not give; it gives: {formats}. Use the download links on the page.",
        "forbidden_title": "Not allowed",
        "forbidden": (
            "This form has expired or your role may not do this. Nothing was changed. Open the"
            " page again and try once more; if your role may not do this, ask an admin of your"
            " practice."
        ),
        "page_forbidden": "This page is for your practice's admins only. If you need to see or change something here, ask an admin.",
        "settings_unreadable_title": "Your practice's settings cannot be read",
        "settings_unreadable": (
            "Your practice's stored settings need to be put right by zorgnota first. Until"
            " then this page does not work; nothing was changed. Contact zorgnota if this"
            " stays so."
        ),
        "refused": "Not done: {reason}",
        "changed_meanwhile": (
            "Changed by someone else at the same moment; nothing was saved. Try again."
        ),
        "invalid_form": "The form is not filled in correctly: {fields}.",
        "field_allowed": "{label}: {allowed}",
        "allowed_ge": "at least {limit}",
        "allowed_gt": "more than {limit}",
        "allowed_le": "at most {limit}",
        "allowed_lt": "less than {limit}",
        "allowed_max_length": "at most {limit} characters, you typed {typed}",
        "allowed_hint": "Allowed: {allowed}.",
        "amount_how_to_type": (
            "Enter the amount in euros with the cents after a comma or a point: for example"
            " 60,17, 12.50 or 1.234,56."
        ),
        "percentage_how_to_type": (
            "Enter the percentage as a number with at most {places} decimals: for example 12,5"
            " or 12.5."
        ),
        "refusal_invalid_partial_stop": (
            "For a part, fill in either the coulance amount or the percentage, not both."
        ),
        "refusal_invalid_full_stop": (
            "You chose the whole invoice and also filled in an amount or percentage: clear"
            " it, or choose a part."
        ),
        "invalid_action_decision": (
            "A coulance proposal is closed by applying or declining it; it cannot be marked"
            " done without a decision."
        ),
        "invalid_action_state": "A decision on a coulance proposal closes the action.",
        "action_state_label": "State",
        "action_state_allowed": "open or done",
        "action_decision_label": "Decision",
        "action_decision_allowed": "apply coulance or decline",
        "form_sent_title": "Form already sent",
        "form_key_reused": (
            "This form was sent before, with other values. Nothing was changed. Open the page"
            " again and fill in the form there."
        ),
        "form_key_in_use": (
            "This form is still being processed. Open the page again in a moment to see"
            " whether it worked."
        ),
        "saved_unfinished_title": "Saved, not yet finished",
        "saved_unfinished": (
            "Your change was saved, but someone else changed what follows from it at the"
            " same moment (such as the patient's block). Send the form again with the button"
            " below to finish it; nothing is booked twice."
        ),
        "send_again": "Send again",
    },
}

PORTAL_TEXTS = catalogue(nl=_DUTCH, en=_ENGLISH)


def portal_texts(language: str) -> Texts:
    """The portal's texts, all in ``language`` or all in Dutch."""
    return PORTAL_TEXTS.texts_for(language, (PORTAL,))


def week_of(year: int, number: int, t: Texts) -> str:
    """A retrocession week (R24) as people read one: "Week 47 (16-22 nov 2026)" / "Week 47
    (16-22 Nov 2026)", not its label "2026-W47", which stays in the statement's address
    and file name (portal51b). The one way the portal says a week: the payouts page, the
    overview and the access log."""
    monday = date.fromisocalendar(year, number, 1)
    days = day_span(monday, monday + timedelta(days=6), t.language)
    return t("week_of", number=number, days=days)
