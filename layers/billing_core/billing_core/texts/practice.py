"""Everything a practice employee reads (R1, R2, R16, R21): the findings of a processing
report (``FINDINGS``, keyed by ``Finding.code``) and the refusals the provider API gives
(``REFUSALS``, raised through ``shared.errors.practice_refused``) and what an open action
asks of the practice (``ACTIONS``).

Each is one sentence: in the employee's language when it has that sentence, else in
Dutch. Written for a practice employee, not a programmer, and never quoting a BSN, name,
address or e-mail address: the report is stored and logged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from billing_core.texts.catalogue import (
    PATIENT_REF_CASE_EN,
    PATIENT_REF_CASE_NL,
    Sections,
    catalogue,
)

FINDINGS = "findings"  # key: Finding.code; values: line, field and the finding's params
REFUSALS = "refusals"  # key: the refusal's code (errors.practice_refused)
ACTIONS = "actions"  # key: what an open action asks of the practice (R23)
INPUTS = "inputs"  # key: InvalidInput's ``said_as`` (services/inputs.py), a register problem's

# An e-mail address typed wrong, said as how one is typed: the contact's and a colleague's
# address (its pattern, _FIELD_FORMS) and a patient's on the stop (email_not_plausible,
# entrypoints/http/provider_models.py) in one sentence (R31, R21, R35; portal51b).
EMAIL_FORM_NL = "is geen e-mailadres (zonder spaties, zoals info@praktijk.nl)"
EMAIL_FORM_EN = "is not an e-mail address (without spaces, like info@praktijk.nl)"

# How a file that is not UTF-8 is made so, said as one sentence wherever a file is refused
# for it: a declaration's (FILE_NOT_UTF8, CSV_UTF16) and the agency's report-back file
# (agency_file_not_utf8) (R40, R35; words52c).
SAVE_AS_UTF8_NL = "Sla het bestand op als 'CSV UTF-8' en upload het opnieuw."
SAVE_AS_UTF8_EN = "Save the file as 'CSV UTF-8' and upload it again."

_DUTCH: Sections = {
    FINDINGS: {
        # --- Structural: the whole file is rejected (R2) ---
        "FILE_EMPTY": "Het bestand is leeg. Maak de export uit uw praktijksysteem opnieuw en upload die.",
        "FILE_HEADER_ONLY": "Het bestand bevat alleen de kopregel en geen declaratieregels.",
        "FILE_NOT_CSV_OR_VEKTIS": (
            "Dit is geen CSV- of Vektis-bestand: het is {found_nl}. Exporteer de declaraties uit"
            " uw praktijksysteem als CSV (zoals het sjabloon) of als Vektis-bestand en upload dat."
        ),
        "FILE_NO_HEADER": (
            "Regel {line} is geen kopregel met kolomnamen maar lijkt een declaratieregel: het"
            " bestand is zonder kopregel opgeslagen. Zet de kolomnamen erboven, zoals in het"
            " sjabloon, en upload het bestand opnieuw."
        ),
        "FILE_NOT_UTF8": (
            "Het bestand is geen tekst in UTF-8 of Windows-1252: regel {line} (byte {offset}) bevat"
            f" een teken dat niet gelezen kan worden ({{byte}}). {SAVE_AS_UTF8_NL}"
        ),
        "CSV_UTF16": (
            "Het bestand is opgeslagen als UTF-16 (zo slaat Excel 'Unicode-tekst' op), niet als"
            f" UTF-8 of Windows-1252, en kan zo niet gelezen worden. {SAVE_AS_UTF8_NL}"
        ),
        "FILE_MIXED_ENCODINGS": (
            "Het bestand mengt twee tekensets: regel {utf8_line} heeft letters in UTF-8, regel"
            " {line} een teken dat geen UTF-8 is (Windows-1252). Zo is niet zeker welke letters er"
            " staan. Maak de export opnieuw, of sla het bestand op als 'CSV UTF-8' en controleer de"
            " letters met accenten op die regels."
        ),
        "FILE_WRONG_DELIMITER": (
            "De kolommen in de kopregel zijn gescheiden door {separator_nl} in plaats van een"
            " puntkomma (;). Sla het bestand op met de puntkomma als scheidingsteken."
        ),
        "FILE_MISSING_COLUMNS": "Verplichte kolom(men) ontbreken in de kopregel: {columns}.",
        "FILE_UNKNOWN_COLUMNS": (
            "Onbekende kolom(men) in de kopregel: {columns_nl}. Controleer de spelling van de"
            " kolomnamen."
        ),
        "FILE_DUPLICATE_COLUMNS": "Deze kolom(men) staan meer dan eens in de kopregel: {columns_nl}.",
        "FILE_EMPTY_COLUMN_NAME": "Kolom {position} in de kopregel heeft geen naam.",
        "FILE_NAMELESS_COLUMN_FILLED": (
            "Kolom {position} heeft in de kopregel geen naam (de kopregel eindigt op een"
            " puntkomma (;)), maar regel {line} heeft in die kolom een waarde. Haal die waarde weg"
            " of zet hem in de kolom waar hij hoort."
        ),
        "FILE_TRAILING_SEPARATOR": (
            "{count} regel(s), de eerste op regel {line}, hebben één veld meer dan de kopregel en"
            " dat laatste veld is leeg: ze eindigen op een puntkomma (;) die de kopregel en {others}"
            " andere regel(s) niet hebben. Een puntkomma in een tekstveld geeft hetzelfde, dus"
            " welk veld bij welke kolom hoort is niet zeker. Geef elke regel evenveel velden als de"
            " kopregel."
        ),
        "FILE_FIELD_COUNT": (
            "Regel {line} heeft {found} velden, meer dan de {expected} van de kopregel. Meestal"
            ' staat er een puntkomma (;) of een aanhalingsteken (") in een tekstveld.'
        ),
        "FILE_MORE_ROW_ERRORS": "Nog {count} andere regels hebben hetzelfde probleem.",
        "FILE_HEADER_REPEATED_OTHER": (
            "Regel {line} is een tweede kopregel, met de kolommen in een andere volgorde dan de"
            " eerste, zoals wanneer twee exports onder elkaar in één bestand zijn gezet: de regels"
            " eronder zouden onder de verkeerde kolommen gelezen worden. Upload elke export als"
            " een eigen bestand."
        ),
        "FILE_QUOTE_SPANS_LINES": (
            'Regel {line}: in {column} begint een tekstveld met een aanhalingsteken (") dat pas'
            " op regel {end_line} of niet wordt gesloten, zodat de regels daartussen als tekst van"
            " dat ene veld zijn gelezen. Haal het aanhalingsteken weg, of zet de hele tekst tussen"
            ' aanhalingstekens en schrijf een aanhalingsteken in de tekst dubbel ("").'
        ),
        "FILE_UNREADABLE": (
            "Regel {line} kan niet als CSV gelezen worden, waarschijnlijk door een aanhalingsteken"
            ' (") dat niet wordt afgesloten.'
        ),
        "FILE_TOO_MANY_LINES": (
            "Het bestand heeft {lines} declaratieregels; het maximum is {max_lines}. Splits het"
            " bestand in kleinere bestanden en upload die apart."
        ),
        "UNKNOWN_PROVIDER": (
            "Dit bestand is geüpload voor een onbekende zorgaanbieder ({provider}) en is niet verwerkt."
        ),
        # --- Content: only this claim is rejected (R2) ---
        "FIELD_REQUIRED": "Regel {line}: het verplichte veld {field} is leeg.",
        "BSN_INVALID": (
            "Regel {line}: het BSN (laatste cijfers {last_digits}) is ongeldig: het heeft geen 9"
            " cijfers of voldoet niet aan de 11-proef."
        ),
        "UZOVI_UNKNOWN": (
            "Regel {line}: {value} in {field} staat niet in het verzekeraarsregister van"
            " zorgnota (versie {version}). De code heeft de goede vorm: klopt de verzekeraar"
            " op de (begin)datum van de behandeling, meld hem dan bij zorgnota met de"
            " behandeldata van de geweigerde regels. Wij nemen hem op vanaf die data, en dan"
            " kunt u de regel opnieuw aanbieden."
        ),
        "UZOVI_INVALID": (
            "Regel {line}: {value} in {field} is geen UZOVI-code: een UZOVI-code heeft 4"
            " cijfers. Gebruik de code van de zorgverzekeraar op de (begin)datum van de"
            " behandeling."
        ),
        "AMOUNT_INVALID": (
            "Regel {line}: {value} in {field} is geen bedrag. Schrijf bijvoorbeeld 45,00, 45.00 of"
            " 1.234,56, zonder euroteken."
        ),
        "AMOUNT_GROUPING_UNCLEAR": (
            "Regel {line}: in {value} in {field} is niet duidelijk welke punt of komma de"
            " duizendtallen scheidt en welke de centen. Schrijf het bedrag als 1234,56 of als"
            " 1.234,56: punten alleen tussen groepen van drie cijfers, een komma voor de centen."
        ),
        "AMOUNT_SPACE_INSIDE": (
            "Regel {line}: in {value} in {field} staat een spatie tussen de cijfers, {character},"
            " zoals een spreadsheet of een gekopieerde pdf de duizendtallen scheidt. Schrijf het"
            " bedrag zonder spatie, als 1234,56 of als 1.234,56."
        ),
        "AMOUNT_ZERO": "Regel {line}: het bedrag is 0; een regel zonder bedrag kan niet gefactureerd worden.",
        "QUANTITY_INVALID": (
            "Regel {line}: het aantal {value} is geen heel getal van 1 tot en met {maximum}. Een"
            " creditregel heeft een positief aantal en een negatieve prijs."
        ),
        "DATE_IN_FUTURE": "Regel {line}: de datum in {field} ligt in de toekomst.",
        "START_AFTER_END": (
            "Regel {line}: de begindatum (treatment_start_date) ligt na de behandeldatum"
            " (treatment_date)."
        ),
        "CLAIM_REF_DUPLICATE": (
            "Regel {line}: de regelreferentie {claim_ref} staat ook op regel {first_line}; alleen"
            " regel {first_line} wordt verwerkt."
        ),
        "EMAIL_INVALID": "Regel {line}: het e-mailadres in {field} is ongeldig.",
        "NAME_FORMULA": (
            "Regel {line}: {field} begint met =, +, -, @ of een tab; een spreadsheet leest dat als"
            " formule. Corrigeer de naam."
        ),
        "POSTCODE_INVALID": (
            "Regel {line}: de postcode in {field} is geen geldige Nederlandse postcode (zoals 1234 AB)."
        ),
        "COUNTRY_INVALID": "Regel {line}: {field} moet een landcode van twee letters zijn, zoals NL of BE.",
        "LANGUAGE_UNKNOWN": (
            "Regel {line}: taal {value} in {field} wordt niet ondersteund; kies nl, en, pl of ar"
            " (leeg betekent nl)."
        ),
        "LINE_TYPE_UNKNOWN": (
            "Regel {line}: regelsoort {value} is onbekend; kies care, no_show of material (leeg"
            " betekent care)."
        ),
        "NOT_DELIVERABLE": (
            "Regel {line}: de factuur kan niet bezorgd worden: {addressee_nl} heeft geen"
            " e-mailadres en het postadres is onvolledig (ontbreekt: {missing})."
        ),
        "DEBTOR_INCOMPLETE": (
            "Regel {line}: er zijn debiteurgegevens (debtor_) ingevuld maar debtor_last_name is"
            " leeg. Vul de naam van de betaler in, of laat alle debtor_-kolommen leeg."
        ),
        "PATIENT_DATA_CONFLICT": (
            "Regel {line}: {field} van patiënt {patient_ref} wijkt af van regel {first_line}. Eén"
            " patiënt krijgt één factuur; corrigeer de patiëntgegevens zodat de factuur niet"
            " naar een verkeerd adres gaat."
        ),
        "NOTHING_TO_INVOICE": (
            "Regel {line}: de creditregels van deze patiënt zijn even hoog als of hoger dan de"
            " overige regels; er is niets te factureren."
        ),
        "FULLY_REIMBURSED_NOT_CONTRACTED": (
            "Regel {line}: de zorgverzekeraar vergoedt alle regels van deze patiënt volledig,"
            " zonder contract met de praktijk; er blijft niets over om aan de patiënt te"
            " factureren, en alleen regels die een gecontracteerde verzekeraar volledig vergoedt"
            " gaan naar de declaratiebestanden voor de zorgverzekeraars. Declareer deze regels"
            " zelf bij de verzekeraar, of laat de vergoeding door verzekeraars in de instellingen"
            " van de praktijk nakijken."
        ),
        # --- Warnings: the claim is processed ---
        "MINOR_WITHOUT_DEBTOR": (
            "Regel {line}: patiënt {patient_ref} is minderjarig en er is geen ouder of voogd"
            " (debtor_) ingevuld; de factuur wordt aan de patiënt zelf gericht."
        ),
        "PRICE_QUOTE_MISSING": (
            "Regel {line}: het behandelplan (met materiaal- en techniekkosten) is hoger dan"
            " €\u00a0250 en er is geen begroting (price_quote_ref) vastgelegd. De factuur is wel"
            " verstuurd."
        ),
        # PRICE_QUOTE_MISSING of a Vektis upload: the quote is a 98 comment record there.
        "VEKTIS_PRICE_QUOTE_MISSING": (
            "Regel {line}: het behandelplan (met materiaal- en techniekkosten) is hoger dan"
            " €\u00a0250 en er is geen begroting vastgelegd: geen commentaarrecord (98) bij de"
            " prestatie dat begint met 'Begroting:'. De factuur is wel verstuurd."
        ),
        # R4: one transaction holds an invoice and its claim markers (invoicing.py).
        "INVOICE_SPLIT": (
            "Regel {line}: patiënt {patient_ref} heeft in dit bestand meer dan {max_lines}"
            " regels. Die staan op {invoices} facturen, elk met een eigen betalingskenmerk en"
            " een eigen e-mail; vanaf deze regel begint een volgende factuur."
        ),
        # vektis.md §1: a credit line and the debit line it reverses, both in this file.
        "LINES_CANCEL_OUT": (
            "Regel {line}: de creditregels en debetregels van deze patiënt heffen elkaar"
            " precies op. De regel is verwerkt; er wordt niets gefactureerd."
        ),
        # R22, seed 002 advice 7: the patient is on the provider's list of blocked patients.
        "PATIENT_BLOCKED_DEBTOR_RISK": (
            "Regel {line}: patiënt {patient_ref} staat op uw lijst met geblokkeerde patiënten:"
            " een eerdere nota is bij het incassobureau. De nota met betalingskenmerk {kenmerk}"
            " is wel verstuurd, maar het debiteurenrisico ervan blijft bij u."
        ),
        # legal-nl.md §6: the same person (BSN) is blocked under another patient number.
        "PATIENT_BLOCKED_DEBTOR_RISK_SAME_BSN": (
            "Regel {line}: patiënt {patient_ref} heeft hetzelfde BSN als patiënt {blocked_ref}"
            " op uw lijst met geblokkeerde patiënten: een eerdere nota is bij het"
            " incassobureau. De nota met betalingskenmerk {kenmerk} is wel verstuurd, maar het"
            " debiteurenrisico ervan blijft bij u."
        ),
        # Issue 13 item 1: the last guard: a betalingskenmerk is on one invoice only.
        "REFERENCE_ALREADY_USED": (
            "Regel {line}: het betalingskenmerk {kenmerk} hoort al bij een andere nota; deze"
            " regel is niet gefactureerd. Meld dit bij zorgnota en upload de regel opnieuw."
        ),
        "CLAIM_ALREADY_PROCESSED": (
            "Regel {line}: deze regel is al verwerkt bij declaratie {declaration_id} en wordt niet"
            " opnieuw gefactureerd."
        ),
        # ============================== Vektis EI (interfaces.md §1b, vektis.md) ==============
        # {field} is the Vektis element name with its record and positions, e.g. "Datum
        # prestatie (record 04, pos. 59-66)": the name practice software shows in its own
        # Vektis checks. Record names come in both languages ({record_nl}, {record_en}).
        # --- Structural: the whole file is rejected (R2) ---
        "VEKTIS_UTF8": (
            "Het bestand is opgeslagen als UTF-8 (regel {line} bevat een letter met een accent in"
            " UTF-8). Een Vektis-bestand heeft één byte per teken (ASCII of ISO-8859-1), anders"
            " kloppen de recordlengtes niet. Upload de export van uw praktijksysteem zonder hem"
            " eerst te openen en op te slaan in een ander programma."
        ),
        "VEKTIS_STANDARD_UNKNOWN": (
            "Dit Vektis-bestand is bericht {code} versie {version}.{subversion}. Wij kunnen lezen:"
            " {supported}. Vraag uw softwareleverancier om een export in een van deze versies."
        ),
        "VEKTIS_RETOUR_AS_DECLARATION": (
            "Dit is een retourbestand van een zorgverzekeraar ({standard}), geen declaratie."
            " Upload het als retourbestand, dan verwerken wij de toegekende bedragen."
        ),
        "VEKTIS_DECLARATION_AS_RETOUR": (
            "Dit is een declaratiebestand ({standard}), geen retourbestand van een"
            " zorgverzekeraar. Upload het als declaratie."
        ),
        "VEKTIS_TEST_MESSAGE": (
            "Dit is een testbestand ({field} is T). Upload het productiebestand (soort bericht P);"
            " van een testbestand maken wij geen facturen."
        ),
        "VEKTIS_WRONG_PROVIDER": (
            "De AGB-codes in het voorlooprecord ({file_agb}) horen niet bij uw praktijk (AGB-code"
            " {provider_agb}). Upload alleen bestanden van uw eigen praktijk."
        ),
        "VEKTIS_BLANK_LINE": "Regel {line} is leeg. In een Vektis-bestand is elke regel een record.",
        "VEKTIS_RECORD_TYPE_UNKNOWN": (
            "Regel {line} begint met recordsoort '{value}'; in {standard} bestaan alleen de"
            " recordsoorten {known}."
        ),
        "VEKTIS_EVERY_RECORD_LENGTH": (
            "Alle {count} records zijn {found} tekens lang; in {standard} is elk record precies"
            " {expected} tekens (Vektis-retourcode 0804). Eén oorzaak voor het hele bestand:"
            " meestal zet het exportprogramma of een bewerking {extra} teken(s) te veel aan het"
            " eind van elke regel. Upload een export met records van {expected} tekens."
        ),
        "VEKTIS_RECORD_LENGTH": (
            "Regel {line} ({record_nl}) is {found} tekens lang; in {standard} is elk record"
            " precies {expected} tekens (Vektis-retourcode 0804). Meestal is het bestand na de"
            " export bewerkt of afgekapt."
        ),
        "VEKTIS_RECORD_ORDER": (
            "Regel {line}: een {record_nl} mag niet volgen op een {previous_nl}. De volgorde is:"
            " voorlooprecord, dan per patiënt een verzekerdenrecord, eventueel een"
            " debiteurrecord en de prestatierecords (elk eventueel gevolgd door"
            " commentaarrecords), en als laatste het sluitrecord."
        ),
        "VEKTIS_TRAILER_MISSING": (
            "Het sluitrecord (recordsoort 99) ontbreekt aan het eind van het bestand; het bestand"
            " is waarschijnlijk niet volledig geüpload."
        ),
        "VEKTIS_NO_TREATMENTS": "Het bestand bevat geen prestatierecords (recordsoort 04): er is niets te factureren.",
        "VEKTIS_DETAIL_NUMBER": (
            "Regel {line}: {field} is {found}, verwacht is {expected}. De verzekerden-, debiteur-"
            " en prestatierecords zijn in het hele bestand doorgenummerd 1, 2, 3, …"
        ),
        "VEKTIS_COMMENT_OWNER": (
            "Regel {line}: dit commentaarrecord hoort volgens {field} bij detailrecord {found},"
            " maar het volgt op detailrecord {expected}."
        ),
        "VEKTIS_COMMENT_LINE_NUMBER": "Regel {line}: {field} is {found}, verwacht is {expected}.",
        "VEKTIS_DEBTOR_NOT_LINKED": (
            "Regel {line}: het debiteurnummer van dit debiteurrecord is niet het debiteurnummer"
            " in het verzekerdenrecord ervoor (regel {insured_line}). Zo is niet zeker wie de"
            " factuur moet krijgen."
        ),
        "VEKTIS_DEBTOR_VERSION_UNKNOWN": (
            "Regel {line}: {field} is '{value}'; wij kunnen debiteurrecords lezen van SB311"
            " versie 1.0 (01) en 2.0 (02){built_in_nl}."
        ),
        "VEKTIS_TRAILER_COUNT": (
            "Het sluitrecord (regel {line}) meldt {declared} bij {field}, maar het bestand bevat"
            " er {counted}. Het bestand is waarschijnlijk na de export bewerkt of niet volledig."
        ),
        "VEKTIS_TRAILER_TOTAL": (
            "Het totaal declaratiebedrag in het sluitrecord (regel {line}) is {declared_nl}, maar de"
            " declaratiebedragen van de prestatierecords zijn samen {counted_nl}."
        ),
        # --- Structural in the header, trailer and comments; content elsewhere ---
        "VEKTIS_NOT_NUMERIC": "Regel {line}: {field} mag alleen cijfers bevatten.",
        "VEKTIS_FIELD_REQUIRED": "Regel {line}: het verplichte veld {field} is leeg.",
        "VEKTIS_DATE_INVALID": (
            "Regel {line}: {field} is geen geldige datum. Een datum is EEJJMMDD, bijvoorbeeld 20261103."
        ),
        "VEKTIS_VALUE_INVALID": "Regel {line}: {field} is '{value}'; toegestaan is {allowed}.",
        # --- Content: only this claim is rejected (R2) ---
        "VEKTIS_PATIENT_UNIDENTIFIED": (
            "Regel {line}: de patiënt heeft geen BSN (999999999) en geen patiëntnummer of"
            " debiteurnummer; de prestaties kunnen aan niemand gefactureerd worden."
        ),
        "VEKTIS_LINE_PATIENT_MISMATCH": (
            "Regel {line}: het BSN in dit prestatierecord is niet het BSN van het"
            " verzekerdenrecord erboven (regel {insured_line}); de prestatie hoort misschien bij"
            " een andere patiënt."
        ),
        "VEKTIS_PATIENT_DATA_CONFLICT": (
            "Regel {line}: patiënt {patient_ref} staat ook op regel {first_line}, met andere naam-,"
            " adres- of debiteurgegevens. Eén patiënt krijgt één factuur; corrigeer de gegevens"
            " zodat de factuur niet naar een verkeerd adres gaat."
        ),
        "VEKTIS_QUANTITY_ZERO": "Regel {line}: {field} is 0; een prestatie wordt minstens één keer uitgevoerd.",
        "VEKTIS_CREDIT_WITHOUT_REFERENCE": (
            "Regel {line}: dit is een creditregel (C) maar {field} is leeg; vul de"
            " regelreferentie in van de prestatie die wordt gecrediteerd."
        ),
        "VEKTIS_CREDIT_OF_CREDIT": (
            "Regel {line}: de creditregel verwijst naar {reference} op regel {target_line}, maar"
            " dat is zelf een creditregel."
        ),
        "VEKTIS_CREDIT_OTHER_PATIENT": (
            "Regel {line}: de creditregel verwijst naar {reference} op regel {target_line}, een"
            " prestatie van een andere patiënt."
        ),
        "VEKTIS_CREDIT_OF_REJECTED_LINE": (
            "Regel {line}: de creditregel verwijst naar {reference} op regel {target_line}, die is"
            " afgekeurd; daarom wordt ook de creditregel niet verwerkt."
        ),
        "VEKTIS_CREDIT_EXCEEDS_DEBIT": (
            "Regel {line}: de creditregels voor {reference} (regel {target_line}) zijn samen hoger"
            " dan het bedrag van die prestatie."
        ),
        # --- Warnings: the claim is processed ---
        "VEKTIS_POSTCODE_ONLY_ADDRESS": (
            "Regel {line}: patiënt {patient_ref} heeft geen debiteurrecord (03) en dus geen"
            " e-mailadres of straat en plaats; de papieren factuur wordt geadresseerd met"
            " postcode en huisnummer."
        ),
        "VEKTIS_EMAIL_INVALID": "Regel {line}: {field} is geen geldig e-mailadres; de factuur gaat per post.",
        "VEKTIS_DIGITAL_WITHOUT_EMAIL": (
            "Regel {line}: {field} vraagt om een digitale factuur, maar er is geen e-mailadres;"
            " de factuur gaat per post."
        ),
        "VEKTIS_CODE_WITHOUT_DESCRIPTION": (
            "Regel {line}: prestatiecode {value} staat niet in onze lijst met omschrijvingen; op"
            " de factuur staat 'Prestatiecode {value}'."
        ),
        # --- Insurer retour files (PM305, MZ302; R5, legal-nl.md §6) ---
        "RETOUR_LINE_UNKNOWN": (
            "Regel {line}: regelreferentie {claim_ref} is bij ons niet bekend (niet of nog niet"
            " gedeclareerd); het toegekende bedrag van deze regel is niet verwerkt."
        ),
        "RETOUR_GRANTED_ABOVE_AMOUNT": (
            "Regel {line}: de zorgverzekeraar kent voor {claim_ref} meer toe dan het bedrag op de"
            " factuur; alleen het bedrag op de factuur wordt verrekend."
        ),
        "RETOUR_DECLARED_AMOUNT_DIFFERS": (
            "Regel {line}: volgens het retourbestand is voor {claim_ref} {declared_nl}"
            " gedeclareerd, maar op de factuur staat {amount_nl}. Dit antwoord hoort niet bij"
            " onze regel en is niet verwerkt; vraag de zorgverzekeraar om een juist retourbestand."
        ),
        "RETOUR_GRANTED_OPPOSITE_SIGN": (
            "Regel {line}: de zorgverzekeraar kent voor {claim_ref} {granted_nl} toe, met het"
            " tegengestelde teken van het bedrag op de factuur ({amount_nl}). Voor deze regel"
            " is {zero_nl} vergoeding verwerkt; vraag de zorgverzekeraar wat dit bedrag betekent."
        ),
        "RETOUR_MATERIAL_TO_PATIENT": (
            "Regel {line}: de zorgverzekeraar heeft het materiaal {claim_ref} niet (volledig)"
            " vergoed (retourcode {codes}); het wordt alsnog aan de patiënt gefactureerd."
        ),
        "RETOUR_INSURER_LINE_NOT_GRANTED": (
            "Regel {line}: de zorgverzekeraar heeft {claim_ref}, die bij de verzekeraar is"
            " gedeclareerd, niet (volledig) vergoed (retourcode {codes}). Deze regel wordt niet"
            " aan de patiënt gefactureerd; bekijk of u de declaratie corrigeert."
        ),
        # R5, R39: a retour in parts whose progress is gone stops; a new upload finishes it.
        "RETOUR_PROGRESS_GONE": (
            "Dit retourbestand is niet helemaal verwerkt: het werd in delen verwerkt en na"
            " {invoices_done} nota's was niet meer bekend hoe ver het was. Wat al verwerkt is,"
            " blijft staan. Upload het bestand opnieuw als nieuwe upload: dan wordt de rest"
            " verwerkt en niets dubbel."
        ),
        # R3: the same bytes applied by an earlier upload are not applied again.
        "RETOUR_FILE_ALREADY_APPLIED": (
            "Dit retourbestand is op {date} al verwerkt (upload {declaration_id}). Er is niets"
            " opnieuw verwerkt en geen patiënt krijgt bericht, zodat een latere correctie blijft"
            " staan."
        ),
        # R13: a grant on a paid invoice leaves the patient credit, refunded as every credit.
        "RETOUR_CREDIT_FOR_PATIENT": (
            "Regel {line}: de patiënt had al betaald op de nota met betalingskenmerk {kenmerk}"
            " ({claim_ref}). Door wat de zorgverzekeraar nu vergoedt, heeft de patiënt {raised_nl} te"
            " veel betaald; het tegoed op die nota is nu {credit_nl}. Dat tegoed blijft op de"
            " nota staan tot het aan de patiënt is terugbetaald, per bankoverschrijving in een"
            " terugbetalingsbatch van de backoffice."
        ),
        "RETOUR_NO_LINE_OURS": (
            "Geen van de {count} regels van dit retourbestand hoort bij een declaratie van deze"
            " praktijk; er is niets verwerkt. Is het het retourbestand van een andere praktijk,"
            " of van een declaratie die niet via zorgnota is ingediend?"
        ),
        "RETOUR_CREDIT_FOLLOWS_ITS_LINE": (
            "Regel {line}: {claim_ref} is een creditregel van {reference}. De vergoeding ervan"
            " op de nota volgt die van {reference}, zodat de creditering precies het"
            " gecrediteerde deel terugdraait: {reimbursed_nl} in plaats van het toegekende"
            " bedrag {granted_nl}. Klopt de vergoeding van {reference} niet, vraag de"
            " zorgverzekeraar daar dan naar."
        ),
        # --- Credit lines of a line from an earlier upload (credit_corrections.py) ---
        "CREDIT_BOOKED_ON_EARLIER_INVOICE": (
            "Regel {line}: de creditregel voor {reference} is verwerkt op de nota met"
            " betalingskenmerk {kenmerk} (declaratie {declaration_id}); die nota is {amount_nl}"
            " lager."
        ),
        "CREDIT_OF_INSURER_LINE": (
            "Regel {line}: de creditregel voor {reference} hoort bij een regel die bij de"
            " zorgverzekeraar is gedeclareerd; de creditregel gaat ook naar de verzekeraar."
        ),
        # A credit line naming no line (CSV), unlike its look-alike (unlinked_credits.py).
        "CREDIT_SETTLED_UNLIKE_ITS_DEBIT": (
            "Regel {line}: deze creditregel ({code}) heeft het bedrag van {reference} (regel"
            " {target_line}) van dezelfde patiënt, maar wordt anders verrekend: {reference}"
            " {debit_nl}, de creditregel {credit_nl}. Een CSV-regel kan niet aangeven welke"
            " regel hij terugdraait, dus telt de creditregel op zijn eigen behandelcode en"
            " datum. Draait hij {reference} terug, controleer dan de nota en de declaratie bij"
            " de zorgverzekeraar, of stuur de correctie in een Vektis-bestand: daarin noemt een"
            " creditregel de regel die hij terugdraait."
        ),
        "CREDIT_INVOICE_WITH_COLLECTION_AGENCY": (
            "Regel {line}: de nota met betalingskenmerk {kenmerk} is al bij het incassobureau;"
            " geef de correctie ook aan het incassobureau door."
        ),
        "CREDIT_LINE_UNKNOWN": (
            "Regel {line}: de creditregel verwijst naar {reference}, maar die regel is bij ons"
            " niet bekend (niet gedeclareerd, of afgekeurd). De creditregel is niet verwerkt."
        ),
        "CREDIT_LINE_OTHER_PATIENT": (
            "Regel {line}: de creditregel verwijst naar {reference}, een regel van een andere"
            " patiënt. De creditregel is niet verwerkt."
        ),
        "CREDIT_LINE_IS_CREDIT": (
            "Regel {line}: de creditregel verwijst naar {reference}, maar dat is zelf een"
            " creditregel. De creditregel is niet verwerkt."
        ),
        "CREDIT_LINE_ALREADY_REVERSED": (
            "Regel {line}: {reference} is al volledig gecrediteerd op de nota met"
            " betalingskenmerk {kenmerk}. De creditregel is niet verwerkt."
        ),
        "CREDIT_EXCEEDS_LINE": (
            "Regel {line}: de creditregel ({amount_nl}) is hoger dan wat er van {reference} nog"
            " over is ({left_nl}). De creditregel is niet verwerkt."
        ),
        # issue 15: Vektis files as practices really send them, retour files as insurers do.
        "VEKTIS_RETOUR_GRANTED_TOTAL": "Het totaal toegekend bedrag in het sluitrecord (regel {line}, {field}) is {declared_nl}, maar de toegekende bedragen van de prestatierecords zijn samen {counted_nl}. Het retourbestand is niet verwerkt; vraag de zorgverzekeraar om een volledig bestand.",
        "VEKTIS_RETOUR_GRANTED_TOTAL_MISSING": (
            "Het totaal toegekend bedrag in het sluitrecord (regel {line}, {field}) is niet"
            " ingevuld, dus de toegekende bedragen van de prestatierecords zijn niet te"
            " controleren. Het retourbestand is niet verwerkt; vraag de zorgverzekeraar om een"
            " volledig bestand."
        ),
        "RETOUR_GRANTED_BLANK": "Regel {line}: de zorgverzekeraar heeft bij {claim_ref} geen toegekend bedrag ingevuld (retourcode {codes}). Voor deze regel is niets veranderd; vraag de zorgverzekeraar wat er is toegekend.",
        "RETOUR_GRANTED_UNREADABLE": (
            "Regel {line}: het toegekend bedrag van {claim_ref} is '{value}', geen bedrag van"
            " alleen cijfers met voorloopnullen (retourcode {codes}). Voor deze regel is niets"
            " veranderd; vraag de zorgverzekeraar wat er is toegekend."
        ),
        "RETOUR_GRANTED_SIGN_LOWERCASE": (
            "Regel {line}: de zorgverzekeraar schreef het debet/credit-teken van het toegekend"
            " bedrag van {claim_ref} als kleine letter ({value}). Het is gelezen als"
            " hoofdletter en verwerkt."
        ),
        "RETOUR_GRANTED_SIGN_INVALID": (
            "Regel {line}: het debet/credit-teken van het toegekend bedrag van {claim_ref} is"
            " '{value}' in plaats van D of C (retourcode {codes}). Voor deze regel is niets"
            " veranderd; vraag de zorgverzekeraar wat er is toegekend."
        ),
        "RETOUR_CODE_UNKNOWN": (
            "Regel {line}: retourcode {code} staat niet in de lijst van retourcodes (let op"
            " kleine letters). De regel is verwerkt zoals de zorgverzekeraar hem stuurde;"
            " vraag de zorgverzekeraar wat de code betekent."
        ),
        "RETOUR_LINE_REPEATED": "Regel {line}: regelreferentie {claim_ref} staat meer dan eens in dit retourbestand (regels {lines}). Geen van die regels is verwerkt; vraag de zorgverzekeraar welk toegekend bedrag geldt.",
        "RETOUR_LINE_NOT_ASSESSED": (
            "Regel {line}: de zorgverzekeraar heeft {claim_ref} niet beoordeeld (retourcode"
            " {code}). Voor deze regel is niets veranderd; verbeter wat de zorgverzekeraar"
            " afkeurde en declareer de regel opnieuw."
        ),
        "VEKTIS_DC_LOWERCASE": (
            "Regel {line}: {field} van {claim_ref} is een kleine letter ({value}). Het is"
            " gelezen als hoofdletter ({value_upper}: D is debet, C is credit) en verwerkt."
        ),
        "VEKTIS_TOTAL_DC_LOWERCASE": (
            "Regel {line}: {field} van het sluitrecord (99) is een kleine letter ({value})."
            " Het is gelezen als hoofdletter ({value_upper}: D is debet, C is credit) en het"
            " totaal is zo gecontroleerd."
        ),
        "VEKTIS_MINOR_WITHOUT_DEBTOR": "Regel {line}: patiënt {patient_ref} is minderjarig en er is geen debiteurrecord (03) met een ouder of voogd; de factuur wordt aan de patiënt zelf gericht. Zie de open actie voor wat u kunt aanleveren.",
        "VEKTIS_FOREIGN_ENCODING": "Dit Vektis-bestand is opgeslagen als {encoding}. Een Vektis-export heeft vaste recordlengtes en één byte per teken (ASCII of ISO-8859-1). Upload de export van uw praktijksysteem zoals die is, zonder hem in een ander programma op te slaan.",
        "VEKTIS_TAB": "Regel {line}: op positie {position}, in {field}, staat een tab (de Tab-toets, 0x09). Een Vektis-bestand heeft vaste posities, met spaties gevuld; een tab staat voor een onbekend aantal spaties. Het bestand is na de export bewerkt, bijvoorbeeld in een teksteditor die spaties in tabs omzet; upload de export zoals uw praktijksysteem die maakte.",
        # VEKTIS_TAB in a record of an unknown type: no field to name (vektisleft55).
        "VEKTIS_TAB_UNKNOWN_RECORD": "Regel {line}: op positie {position}, in een record met de onbekende recordsoort '{value}', staat een tab (de Tab-toets, 0x09). Een Vektis-bestand heeft vaste posities, met spaties gevuld; een tab staat voor een onbekend aantal spaties. Het bestand is na de export bewerkt, bijvoorbeeld in een teksteditor die spaties in tabs omzet; upload de export zoals uw praktijksysteem die maakte.",
        "VEKTIS_CONTROL_CHARACTER": "Regel {line}: in {field} staat een stuurteken (byte {byte}) dat in een Vektis-bestand niet mag voorkomen. Verbeter dat veld in uw praktijksysteem en maak de export opnieuw.",
        "VEKTIS_RECORD_DATA_MISSING": "Regel {line} ({record_nl}) is {found} tekens lang in plaats van {expected}: vanaf {field} ontbreken gegevens. Het bestand is na de export afgekapt of bewerkt; upload de export zoals uw praktijksysteem die maakte.",
        "RETOUR_NOT_VEKTIS": "Dit is geen Vektis-retourbestand: het is {found_nl}. Upload het retourbestand (PM305 of MZ302) zoals u het van de zorgverzekeraar of via VECOZO kreeg.",
        "VEKTIS_CR_IN_RECORD": "Regel {line} ({record_nl}): op positie {position}, in {field}, staat een los regeleinde-teken (CR, 0x0D) midden in het record. Zo is het record langer dan het hoort en staat alles erna een plaats verschoven; het is niet als twee records gelezen. Haal dat teken weg of upload de export zoals uw praktijksysteem die maakte.",
        "VEKTIS_RECORD_MOVED": "Regel {line}: dit {record_nl} heeft volgnummer {found} ({field}) en hoort dus direct na regel {after_line}, maar het staat hier, verplaatst. Het praktijksysteem heeft de regels anders gesorteerd, zodat niet zeker is bij welke patiënt het hoort; de andere records zijn in orde. Exporteer het bestand opnieuw en upload het zoals het praktijksysteem het maakte.",
        "VEKTIS_SECOND_FILE_SAME_LINE": "Regel {line}: direct na het sluitrecord, op dezelfde regel (positie {position}, zonder regeleinde ertussen), begint een tweede bestand met een eigen voorlooprecord. Twee exports zijn samengevoegd; upload elke export apart.",
        "VEKTIS_SECOND_FILE": "Regel {line}: hier begint een tweede bestand, met een eigen voorlooprecord na het sluitrecord van het eerste (regel {trailer_line}). Twee exports zijn samengevoegd; upload elke export apart.",
        "VEKTIS_END_PADDING": "Na het laatste record overgeslagen: {what_nl}. Dat hoort niet bij het bestand.",
        "VEKTIS_LEADING_BLANK": "Vóór het voorlooprecord stonden {blank_lines} lege regel(s), {spaces} spatie(s) en {tabs} tab(s); die zijn overgeslagen. De regelnummers in dit verslag zijn die van het bestand.",
        "VEKTIS_LEADING_BLANK_OTHERS": "Vóór het voorlooprecord stonden {blank_lines} lege regel(s), {spaces} spatie(s), {tabs} tab(s) en deze onzichtbare tekens: {others}; die zijn overgeslagen. De regelnummers in dit verslag zijn die van het bestand.",
        "LINES_HELD_BACK": "Daardoor zijn alle {count} prestatieregels (04) van deze patiënt niet ingelezen.",
        "VEKTIS_LINE_ENDS": "De regels van dit bestand eindigen op {kind_nl} in plaats van CR LF; het bestand is met die regeleinden gelezen.",
        "VEKTIS_WINDOWS_1252": "Regel {line}: in {field} staat '{character}', een teken uit Windows-1252 en niet uit ISO-8859-1. Het bestand is als Windows-1252 gelezen ({count} zulke tekens).",
        "VEKTIS_TRAILING_TABS_REPLACED": "{count} regel(s), de eerste op regel {first}, eindigden met tabs in plaats van spaties (bijvoorbeeld door een teksteditor die spaties in tabs omzet). Na de tabs stonden geen gegevens, alleen lege velden aan het eind van het record (zoals de reserve): de regels zijn met spaties aangevuld tot {expected} tekens.",
        "VEKTIS_TRAILING_SPACES_RESTORED": "{count} regel(s), de eerste op regel {first}, waren korter dan {expected} tekens omdat spaties aan het eind waren weggehaald (bijvoorbeeld door een teksteditor). Er ontbraken alleen spaties, geen gegevens: de regels zijn aangevuld.",
        "CSV_DATE_INVALID": "Regel {line}: '{value}' in {field} is geen datum. Schrijf een datum als 2026-11-03 of zoals Excel hem opslaat: 3-11-2026 of 03-11-2026.",
        "CSV_DATE_IN_FUTURE": "Regel {line}: de datum {value} in {field} ligt in de toekomst.",
        "CSV_DATE_TWO_DIGIT_YEAR": "Regel {line}: '{value}' in {field} heeft een jaartal van twee cijfers; of dat 19.. of 20.. is, is niet te zien. Geef de kolom in Excel een datumnotatie met het jaar in vier cijfers (3-11-2026) en sla het bestand opnieuw op.",
        "CSV_DATE_WITH_TIME": "Regel {line}: '{value}' in {field} is een datum met een tijd: de kolom heeft in Excel een notatie datum/tijd en bevat tijden. Een datum met 0:00 wordt als die datum gelezen, een andere tijd niet. Geef de kolom in Excel een datumnotatie zonder tijd (3-11-2026) en sla het bestand opnieuw op.",
        "CSV_HOUSE_NUMBER_AS_DATE": "Regel {line}: in {field} staat een datum zoals Excel die van een huisnummer als 3-11 maakt (3-nov, 11-mrt, 3-11-2026 of 11/3/2026), dus het huisnummer is niet te zien. De regel is niet verwerkt. Open de oorspronkelijke export in Excel via Gegevens > Van tekst/CSV met de kolom als Tekst (in dit bestand is het huisnummer al een datum) en sla het bestand opnieuw op.",
        "CSV_SCIENTIFIC_NOTATION": "Regel {line}: '{value}' in {field} is een getal zoals Excel het als wetenschappelijke notatie opslaat: de laatste cijfers ontbreken, dus welk nummer het is, is niet te zien. De regel is niet verwerkt. Open de oorspronkelijke export in Excel (in dit bestand zijn de cijfers al weg), geef de kolom de celopmaak Getal zonder decimalen of Tekst en sla het bestand opnieuw op.",
        # R40: a CSV as Dutch Excel saves it; read, and said what was repaired.
        "CSV_MAC_ROMAN": "Het bestand is opgeslagen in Mac Roman, niet als UTF-8 (zoals Excel voor Mac 'CSV' opslaat, met regels die op CR eindigen), en is zo gelezen: het eerste teken buiten ASCII, '{character}', staat op regel {line} ({count} zulke tekens). Controleer die letters op de nota's, of sla het bestand voortaan op als 'CSV UTF-8'.",
        "CSV_WINDOWS_1252": "Het bestand is opgeslagen als Windows-1252, niet als UTF-8 (zoals Excel 'CSV (gescheiden door lijstscheidingsteken)' opslaat), en is zo gelezen: het eerste teken buiten ASCII, '{character}', staat op regel {line} ({count} zulke tekens). Controleer die letters op de nota's, of sla het bestand voortaan op als 'CSV UTF-8'.",
        "CSV_UNKNOWN_COLUMNS_IGNORED": "Deze kolom(men) in de kopregel kent zorgnota niet en zijn overgeslagen: {columns_nl}. De regels zijn gelezen zonder wat erin staat; hoort een ervan bij de nota, geef hem dan de naam uit het voorbeeldbestand.",
        "CSV_TRAILING_SEPARATOR": "De regels eindigen op {count} puntkomma('s) (;) te veel, dus op lege kolom(men) zonder naam; die zijn overgeslagen.",
        "CSV_SHORT_LINES_PADDED": "{count} regel(s), de eerste op regel {line}, houden op vóór de laatste kolommen (vanaf {column}), zoals Excel lege cellen aan het eind van een regel weglaat. Die kolommen zijn niet verplicht en als leeg gelezen.",
        "CSV_LINE_ENDS_CR_CR_LF": "De regels van dit bestand eindigen op CR CR LF (twee keer omgezet) in plaats van CR LF. Zo'n regeleinde is gelezen als één regeleinde, zoals Excel en Kladblok het tonen; de regelnummers in dit verslag zijn die u daar ziet.",
        "CSV_HEADER_REPEATED": "Regel {line} is de kopregel nog een keer, zoals wanneer exports onder elkaar in één bestand zijn gezet. Die regel is overgeslagen ({count} keer in het bestand) en de regels eronder zijn gelezen.",
        "CSV_QUOTE_NOT_CLOSED": 'Regel {line}: in {field} begint een tekstveld met een aanhalingsteken (") dat niet wordt gesloten, zodat de rest van de regel als tekst van dat ene veld is gelezen. De regel is niet ingelezen; haal het aanhalingsteken weg, of zet de hele tekst tussen aanhalingstekens, en lever de regel opnieuw aan.',
        "CSV_CELL_MISSING": "Regel {line} heeft {found} cellen, de kopregel {expected}, en de regel eindigt op een lege cel: er ontbreekt een cel (een puntkomma) midden in de regel, zodat de cellen erna onder de verkeerde kolommen staan. De regel is niet ingelezen; vul de ontbrekende cel aan en lever de regel opnieuw aan.",
        "CSV_END_PADDING": "Na de laatste regel overgeslagen: {what_nl}. Dat is in een editor niet te zien en hoort niet bij de gegevens.",
        "CSV_REFERENCE_LEADING_ZEROS": "Referenties van alleen cijfers zijn zonder voorloopnullen gelezen: '{value}' in {field} op regel {line} als '{read_as}'. Excel laat die nullen weg bij opnieuw opslaan; zo wordt hetzelfde bestand, ook zonder nullen opgeslagen, nooit twee keer gefactureerd.",
        "VEKTIS_LETTER_AS_QUESTION_MARK": "Regel {line}: in {field} staat een '?'. ISO-8859-1, de tekenset van een Vektis-bestand, kent niet elke letter (zoals Ł of ő) en praktijksoftware schrijft er dan een '?' voor in de plaats. Verbeter de tekst in uw praktijksysteem.",
        "CSV_CONTROL_CHARACTER": "Regel {line}: in {field} staat een onzichtbaar stuurteken, {character}. Zo'n teken maakt een brief onleesbaar of laat een naam, adres of bedrag ernaast anders lezen dan er staat. De regel is niet verwerkt; typ het veld opnieuw (niet plakken) en lever de regel opnieuw aan.",
        "CSV_LETTER_NOT_PRINTED": "Regel {line}: in {field} staat een teken dat de nota en de brieven op papier niet kunnen afdrukken, {character}; het blijft daar weg. De regel is verwerkt; schrijf het veld in Latijnse letters, zoals in de BRP, en verbeter het ook in uw eigen systeem voordat er een brief wordt verstuurd.",
        "CSV_CONTROL_CHARACTER_CELL_MISSING": (
            "Regel {line}: de {position}e cel van de regel (kolom {letter} in een spreadsheet),"
            " gelezen onder {read_as}, bevat een onzichtbaar stuurteken, {character}. In deze"
            " regel ontbreekt een cel (zie de melding hierna), dus die cel hoort bij een van de"
            " kolommen {read_as} tot en met {last_field}. Zo'n teken maakt een brief onleesbaar"
            " of laat een naam, adres of bedrag ernaast anders lezen dan er staat. De regel is"
            " niet verwerkt; typ die cel opnieuw (niet plakken), vul de ontbrekende cel aan en"
            " lever de regel opnieuw aan."
        ),
        "CSV_INVISIBLE_CHARACTER_REMOVED": "Regel {line}: uit {field} is een onzichtbaar teken verwijderd, {character}, zoals dat meekomt bij kopiëren van een webpagina. De regel is verwerkt; verbeter het veld ook in uw eigen systeem.",
        "VEKTIS_INVISIBLE_CHARACTER_REMOVED": "Regel {line}: uit {field} is een onzichtbaar teken verwijderd, {character}, zoals dat meekomt bij kopiëren uit een tekstverwerker of webpagina; het veld is met een spatie aangevuld tot zijn lengte. De regel is verwerkt; verbeter het veld ook in uw praktijksysteem.",
        "FILE_NUL_CHARACTER": "Regel {line} (de kopregel) bevat een NUL-teken (0x00). Zonder leesbare kolomnamen is het bestand niet verwerkt; verwijder het teken of maak de export opnieuw.",
        "CSV_LETTER_AS_QUESTION_MARK": "Regel {line}: in {field} staat een '?'. Windows-1252 kent niet elke letter (zoals Ł of ő) en Excel schrijft er dan een '?' voor in de plaats. Verbeter de tekst, of sla het bestand op als 'CSV UTF-8'.",
        "VEKTIS_LINES_WRAPPED": "Elke regel van dit bestand is hooguit {width} tekens lang: de records van {expected} tekens zijn over regels van {width} verdeeld, bijvoorbeeld door een e-mailprogramma of een editor. Sla het bestand op zonder regeleinden binnen de records: upload de export van uw praktijksysteem zelf.",
    },
    REFUSALS: {
        # The back office matching a bank credit by hand (R34, services/operator/money.py).
        "credit_not_bookable": "Deze regel is niet in euro's; die boekt u niet op een nota.",
        "return_needs_kenmerk": (
            "Een teruggeboekte overboeking boekt u op één nota: geef het betalingskenmerk op."
        ),
        "no_payment_to_reverse": (
            "Op deze nota staat geen overboeking van ten minste dit bedrag die nog niet is"
            " teruggeboekt. Controleer het betalingskenmerk: koppel de terugboeking aan de nota"
            " waarop de overboeking geboekt is."
        ),
        "no_invoice_for_patient": (
            "Deze praktijk heeft geen nota's voor dit patiëntnummer. Controleer de praktijk en"
            " het patiëntnummer (zoals op de nota, hoofdletters tellen), of koppel de regel aan"
            " het betalingskenmerk van de nota."
        ),
        "match_target": "Geef óf een betalingskenmerk óf een praktijk met patiëntnummer op.",
        "unknown_kenmerk": (
            "Geen nota met dit betalingskenmerk. Controleer de cijfers tegen de nota of het"
            " bankafschrift."
        ),
        "credit_already_matched": (
            "Deze regel is al eerder gekoppeld en geboekt op {kenmerken}. Er is nu niets geboekt."
        ),
        "credit_partly_booked": (
            "Van deze overboeking is {booked_nl} al geboekt op {kenmerken}; de rest"
            " ({left_nl}) kan daar niet ook op. Er is nu niets geboekt: koppel de regel"
            " aan een andere nota voor de rest."
        ),
        "remittance_exceeds_agency_collection": (
            "Het incassobureau meldde de vordering {kenmerk} betaald; deze overboeking is"
            " meer dan de {awaited_nl} die het daarvan nog moet overmaken. Er is niets"
            " geboekt: vraag het incassobureau waarvoor het verschil is."
        ),
        "agency_transfer_or_patients_payment": (
            "Voor {kenmerken} moet het incassobureau nog {awaited_nl} overmaken, en deze"
            " patiënt heeft ook andere nota's open. Aan het patiëntnummer is niet te zien of"
            " deze overboeking van het incassobureau of van de patiënt is. Er is niets"
            " geboekt: koppel haar aan een betalingskenmerk."
        ),
        "agency_transfer_too_many_claims": (
            "Deze overboeking zou op {claims} vorderingen geboekt worden als geld dat het"
            " incassobureau overmaakt; één koppeling boekt er ten hoogste {limit}. Er is"
            " niets geboekt en de regel blijft in de lijst: vraag het incassobureau om"
            " overmakingen van ten hoogste {limit} vorderingen elk, of laat de beheerders"
            " haar in delen boeken."
        ),
        # The agency's report-back read (collection/collection_report.py, parse_report):
        # what is wrong with a row as written, or with the whole file (R22, R39).
        # Each names its line (words53): a file has up to 1,000 rows.
        "agency_row_fields": (
            "Regel {line}: {count} velden, verwacht {expected}. Schrijf één veld voor elke kolom"
            " van de kopregel, gescheiden door ;"
        ),
        "agency_row_reference": (
            "Regel {line}: reference is geen betalingskenmerk van ons. Schrijf het"
            " betalingskenmerk van de vordering zoals wij het bij de overdracht gaven."
        ),
        "agency_row_agency_ref": "Regel {line}: agency_ref moet 1-64 letters, cijfers of . _ / - zijn.",
        "agency_row_status": "Regel {line}: status moet paid of settled zijn.",
        "agency_row_amount": (
            "Regel {line}: amount_cents moet een heel aantal centen zijn, boven 0 bij paid, 0 of"
            " leeg bij settled."
        ),
        "agency_row_paid_on": "Regel {line}: paid_on moet een datum zijn zoals 2027-02-15.",
        "agency_row_future": (
            "Regel {line}: paid_on ligt in de toekomst. Vul de dag in waarop betaald of"
            " afgewikkeld is: vandaag of eerder."
        ),
        "agency_file_header": "De kopregel moet {columns} zijn, gescheiden door ;",
        "agency_file_not_utf8": (
            "Het bestand is geen UTF-8-tekst: regel {line} (byte {offset}) bevat een teken dat"
            f" niet gelezen kan worden ({{byte}}). {SAVE_AS_UTF8_NL}"
        ),
        "agency_file_too_large": "Groter dan {limit} bytes: splits het bestand.",
        "agency_file_too_many_rows": "Meer dan {limit} regels: splits het bestand.",
        "agency_file_unreadable": (
            'Regel {line} is niet als CSV te lezen, waarschijnlijk door een aanhalingsteken (")'
            " dat niet wordt afgesloten: sluit het af of haal het weg."
        ),
        # The agency's report-back (collection/collection_report.py): a row's detail.
        "agency_paid_before_invoice": (
            "Regel {line}: paid_on {paid_on} ligt vóór de datum van de nota ({issued}): toen"
            " kon niemand haar betalen. Niets geboekt: controleer paid_on en reference en stuur"
            " de regel opnieuw."
        ),
        # A report-back file imported again (R3, R34, R39): its summary says so.
        "agency_file_done_before": (
            "Elke regel van dit bestand is al eerder verwerkt: er is niets nieuws geboekt of"
            " afgeboekt en geen vordering is nu gesloten."
        ),
        "agency_rows_done_before": (
            "Al eerder verwerkt en niet opnieuw geboekt: {count} van de {rows} regels van dit"
            " bestand; de telling van gesloten vorderingen gaat alleen over de andere."
        ),
        "agency_paid_exceeds_due": (
            "Regel {line}: amount_cents {amount} is meer dan de vordering op {paid_on} nog open had"
            " ({due} cent). Niets geboekt: stuur de regel opnieuw met het juiste bedrag."
        ),
        "no_such_entry": "Deze nota heeft geen boeking met dat nummer.",
        "not_correctable": "Alleen een stop of coulance kan zo worden gecorrigeerd.",
        # Stopping an invoice (R21, changes/stop.py).
        # ... and how to stop what is open (words52b: it named no way to fix it).
        "more_than_open": (
            "Dat is meer dan er nog aan hoofdsom openstaat ({open_nl}): stop hoogstens"
            " {open_nl}, of kies de hele nota."
        ),
        "terms_not_accepted": "Ga akkoord met de voorwaarden.",
        "unknown_reason": "Kies een reden uit de lijst.",
        "patient_email_required": (
            "Vul het e-mailadres van de patiënt in: de nota heeft er een. Controleer het, of "
            "verbeter het."
        ),
        "not_sent": "De nota is nog niet verstuurd.",
        "fully_paid": (
            "Deze nota is volledig betaald. Laat eerst het betaalde bedrag terugbetalen; "
            "daarna staat er weer een bedrag open waarop u coulance kunt toepassen."
        ),
        "nothing_open": (
            "Op deze nota staat niets meer open: wat openstond is al gestopt of"
            " kwijtgescholden. Er valt niets meer te stoppen."
        ),
        # nothing_open of an invoice the insurer's deduction settled (R5): no payment to refund
        "settled_by_insurer": (
            "Op deze nota staat niets open: de zorgverzekeraar vergoedt het hele bedrag en de"
            " patiënt heeft niets betaald. Er valt niets te stoppen."
        ),
        "invalid_partial_stop": (
            "Geef óf een bedrag óf een percentage (van het oorspronkelijke notabedrag) op."
        ),
        "percentage_under_a_cent": (
            "Dat percentage van het oorspronkelijke notabedrag ({original_nl}) is minder dan 1"
            " cent: het verlaagt niets. Vul een hoger percentage of een bedrag in."
        ),
        "invalid_full_stop": (
            "Een stop van de hele nota heeft geen bedrag of percentage: laat die leeg, of kies"
            " een deel."
        ),
        # Putting an invoice on hold (R16, changes/hold.py).
        "paid": "Deze nota is al betaald.",
        # nothing_open of a hold on an invoice stopped or forgiven to zero: nothing was paid
        "hold_nothing_open": (
            "Op deze nota staat niets meer open: wat openstond is al gestopt of"
            " kwijtgescholden. Er valt niets aan te houden."
        ),
        "with_collection_agency": (
            "Deze nota is al overgedragen aan het incassobureau: de herinneringen zijn voorbij "
            "en aanhouden pauzeert niets meer. Het incassobureau int de vordering; een stop of "
            "coulance geven wij het incassobureau door."
        ),
        # Both ends: a date of today or before was refused naming the upper one only (PAGES7).
        "hold_out_of_range": (
            "Kies een datum na vandaag en uiterlijk {last_day_nl}: een nota wordt hoogstens"
            " {max_days} dagen aangehouden, vandaag meegeteld."
        ),
        "hold_limit_reached": (
            "Een nota kan in totaal hoogstens {max_days} dagen worden aangehouden, verlengingen"
            " en de dag van aanhouden meegeteld; voor deze nota zijn er nog {days_left} over,"
            " vandaag meegeteld. Kies een datum uiterlijk {last_day_nl}."
        ),
        # hold_limit_reached with none of the days left (changes/hold.py).
        "hold_limit_used": (
            "Een nota kan in totaal hoogstens {max_days} dagen worden aangehouden, verlengingen"
            " en de dag van aanhouden meegeteld, en deze nota heeft er geen over voor een dag na"
            " vandaag: zij kan niet meer worden aangehouden."
        ),
        # Deciding on a coulance proposal (R17, services/provider.py).
        "not_a_proposal": "Deze actie is geen coulancevoorstel.",
        "proposal_already_decided": (
            "Over dit coulancevoorstel is al anders besloten, door een collega of in een ander"
            " venster. Ververs de actielijst om het besluit te zien."
        ),
        # Setting an action's state (R23, R28, services/provider/actions.py).
        "decided_proposal_stays": (
            "Over dit coulancevoorstel is al besloten en de patiënt heeft het besluit"
            " gekregen. Een besloten voorstel gaat niet weer open."
        ),
        "action_changed": (
            "Deze actie is op hetzelfde moment gewijzigd, door een collega of in een ander"
            " venster. Ververs de actielijst om te zien hoe ze nu staat."
        ),
        # A stop form of a page opened before the invoice's ledger changed (R21, R38).
        "invoice_changed": (
            "De nota is gewijzigd sinds u deze pagina opende (een stop, betaling of"
            " correctie, door u in een ander venster of door een collega); er is niets"
            " geboekt. Hieronder staat de nota zoals die nu is: boek de stop opnieuw als"
            " die nog nodig is."
        ),
        # Roles and settings (R31, R32, services/provider/access.py, services/operator).
        "role_too_low": (
            "Uw rol ({role}) mag dit niet; hiervoor is de rol {needed} nodig. Vraag de"
            " beheerder van uw praktijk."
        ),
        "operators_only": "Dit deel is alleen voor medewerkers van zorgnota.",
        "practice_users_only": (
            "Dit deel is voor de medewerkers van een praktijk; uw account hoort bij geen praktijk."
            " Log in met het account van een medewerker van de praktijk."
        ),
        "operator_only_setting": (
            "{fields} kunt u niet zelf wijzigen: zorgnota wijzigt die instelling na een"
            " controle (zoals het bankrekeningnummer en de AGB-codes). Zelf wijzigt u contact,"
            " dunning en coulance. Neem contact op met zorgnota."
        ),
        "stale_version": (
            "Iemand anders heeft de instellingen intussen gewijzigd (nu versie {version})."
            " Haal ze opnieuw op en breng uw wijziging daarin aan."
        ),
        "provider_exists": (
            "Er bestaat al een zorgaanbieder met deze id. Kies een andere id, of wijzig de"
            " bestaande zorgaanbieder (PUT op haar id, met haar version)."
        ),
        "provider_unreadable": (
            "De opgeslagen instellingen van zorgaanbieder {provider_id} zijn niet meer geldig"
            " ({reason}). Een medewerker van zorgnota vervangt ze: een PUT met alle"
            " instellingen en version {version}."
        ),
        # Settings refused on write (R31, providers/provider.py, services/operator/providers.py).
        "email_not_plausible": EMAIL_FORM_NL,
        # An operator's word on a PSP refund (R13, R34; operator_models.PspRefundOutcomeIn).
        "refund_id_fits_outcome": (
            "refund_id: het id van de terugbetaling bij de PSP (zoals re_4qqhO89gsT) bij"
            " refunded, leeg bij failed"
        ),
        "refund_amount_fits_outcome": (
            "amount_cents: alleen bij een terugbetaling die de PSP deed (refunded), leeg bij failed"
        ),
        "website_not_web": (
            "Geef het webadres van de praktijk, zoals www.praktijk.nl of https://www.praktijk.nl"
            " (alleen een adres met http of https wordt een link op de betaalpagina)."
        ),
        "code_all_zeros": (
            "Een code van alleen nullen is geen echte code: Vektis-bestanden vullen een"
            " ontbrekende AGB-code met nullen."
        ),
        "digits_not_ascii": (
            "Gebruik alleen de cijfers 0 tot en met 9: een code met andere cijfertekens (zoals"
            " breedgezette of Arabisch-Indische) past op geen enkel Vektis-bestand of register."
        ),
        "number_not_whole": "Vul een geheel getal in, zonder aanhalingstekens (niet true of false).",
        "percentage_not_plain": (
            "Vul een percentage in als getal of als tekst van de cijfers 0 tot en met 9 met"
            ' hoogstens één punt, zoals 12.5 of "12.5" (geen e-notatie, niet true of false).'
        ),
        "choice_not_boolean": "Vul true of false in, zonder aanhalingstekens.",
        "arrangement_min_term_too_high": (
            "Het minimale termijnbedrag van een betalingsregeling is ten hoogste €\u00a0250,00:"
            " bij een hoger bedrag krijgt bijna geen nota nog een regeling. Kies €\u00a0250,00 of"
            " minder."
        ),
        "text_control_character": (
            "Deze tekst bevat een onzichtbaar teken of een regeleinde (zoals een"
            " richtingsteken of een nul-teken). Typ de tekst opnieuw, zonder zulke tekens."
        ),
        "text_not_printed": (
            "Deze tekst bevat een teken, {character}, dat de nota's en brieven op papier"
            " niet kunnen afdrukken, zodat het daar zou wegvallen. Schrijf de tekst in"
            " Latijnse letters."
        ),
        # A register version that drops codes (R33, services/operator/register.py).
        "register_drops_insurers": (
            "Deze versie laat UZOVI {codes} weg, die versie {version} noemt. Een versie noemt"
            " elke verzekeraar: vanaf {valid_from} weigert zorgnota elke regel met zo'n code"
            " (UZOVI_UNKNOWN), bij elke praktijk. Is dat de bedoeling (de verzekeraar is"
            ' gefuseerd of gestopt), stuur de versie dan opnieuw met "drops": {drops}, onder'
            " een nieuwe Idempotency-Key."
        ),
        "register_drops_contracted_insurers": (
            "Deze versie laat UZOVI {codes} weg, die versie {version} noemt. Een versie noemt"
            " elke verzekeraar: vanaf {valid_from} weigert zorgnota elke regel met zo'n code"
            " (UZOVI_UNKNOWN), bij elke praktijk. Contracten die op of na {valid_from} nog"
            " lopen noemen ze: {contracts}. Is dat de bedoeling (de verzekeraar is"
            ' gefuseerd of gestopt), stuur de versie dan opnieuw met "drops": {drops}, onder'
            " een nieuwe Idempotency-Key."
        ),
        "register_drops_not_left_out": (
            'In "drops" staat UZOVI {codes}, maar deze versie laat die niet weg. Noem precies'
            ' de codes die ze weglaat: "drops": {drops}.'
        ),
        "register_later_version_lacks": (
            "Deze versie noemt UZOVI {codes}, maar versie {version}, die al geladen is en"
            " vanaf {valid_from} geldt, noemt die niet: vanaf {valid_from} weigert zorgnota"
            " dan weer elke regel met zo'n code (UZOVI_UNKNOWN), bij elke praktijk. Laad"
            " eerst versie {valid_from} opnieuw met die regels erbij. Stopt de verzekeraar"
            ' op {valid_from}, stuur deze versie dan opnieuw met "later_drops": {later_drops},'
            " onder een nieuwe Idempotency-Key."
        ),
        "register_later_drops_not_lost": (
            'In "later_drops" staat UZOVI {codes}, maar versie {version} (vanaf {valid_from})'
            " laat die niet weg na deze versie. Noem precies de codes die ze weglaat:"
            ' "later_drops": {later_drops}.'
        ),
        # A register version that changes an insurer's group (R6, legal-nl.md §6, R33).
        "register_group_changes": (
            "Deze versie zet UZOVI {changes} in een andere groep dan versie {version}. De"
            " groep bepaalt vanaf {valid_from} bij elke praktijk waar de materiaalkosten"
            ' heen gaan: alleen die van groep "VGZ" eerst naar de verzekeraar. Is dat'
            ' de bedoeling, stuur de versie dan opnieuw met "group_changes": {group_changes},'
            " onder een nieuwe Idempotency-Key."
        ),
        # ... and one whose group differs from the later version loaded already (audit
        # register50): each date with its changes, "2027-01-01: 3999 (VGZ -> Nieuw)".
        "register_group_changes_later": (
            "Met deze versie verandert de groep van deze UZOVI-codes (datum: code (oude ->"
            " nieuwe groep)): {changes}. Versie {later_version}, die al geladen is en vanaf"
            " {later_valid_from} geldt, volgt deze versie op; de versie ervoor is {version}."
            " De groep bepaalt op elke datum bij elke praktijk waar de"
            ' materiaalkosten heen gaan: alleen die van groep "VGZ" eerst naar de verzekeraar.'
            ' Is dat de bedoeling, stuur de versie dan opnieuw met "group_changes":'
            " {group_changes}, onder een nieuwe Idempotency-Key. Zo niet, laad dan eerst"
            " versie {later_valid_from} opnieuw met de bedoelde groep."
        ),
        "register_group_changes_not_changed": (
            'In "group_changes" staat UZOVI {codes}, maar deze versie geeft die geen andere'
            " groep. Noem precies de codes waarvan ze de groep verandert:"
            ' "group_changes": {group_changes}.'
        ),
        "iban_invalid": (
            "Dit is geen geldig IBAN: controleer de landcode, het controlegetal en het aantal"
            " tekens (een Nederlands IBAN heeft er 18, zoals NL91 ABNA 0417 1643 00)."
        ),
        # ... of a country whose IBANs have another length (words52b: a Belgian IBAN typed
        # a digit short was told the Dutch 18).
        "iban_invalid_abroad": (
            "Dit is geen geldig IBAN: controleer de landcode, het controlegetal en het aantal"
            " tekens (een IBAN dat met {country} begint heeft er {length})."
        ),
        "postcode_not_dutch": (
            "Geef een Nederlandse postcode: vier cijfers en twee letters, zoals 1234 AB."
        ),
        "practice_code_missing": (
            "Noem ten minste één AGB-code van de soort practice (de praktijkcode): die staat op"
            " de nota's."
        ),
        "agb_code_twice": (
            "AGB-code {agb} staat meer dan één keer in de lijst: noem elke code één keer, met"
            " één soort."
        ),
        "contract_ends_before_start": (
            'Een contract kan niet eindigen ("to") voordat het begint ("from"): controleer de data.'
        ),
        "contracts_overlap": (
            "Twee contracten met UZOVI {uzovi} overlappen (vanaf {starts}): met een verzekeraar"
            " geldt per dag één contract. Laat het ene eindigen voordat het andere begint."
        ),
        "coverage_prefix_twice": (
            'Twee dekkingsregels hebben hetzelfde codebegin ("{prefix}"): de tweede zou nooit'
            " gelden. Geef elk codebegin één regel."
        ),
        # The same for the practice's active user and another practice's (R26: told apart
        # by nobody); its own disabled or never signed-in user is invited again instead.
        "user_exists": (
            "Er bestaat al een gebruiker met dit e-mailadres. Staat het adres in de lijst van"
            " gebruikers van de praktijk, wijzig daar de rol; zo niet, kies een ander"
            " e-mailadres."
        ),
        "own_account": (
            "Uw eigen account kunt u niet wijzigen of uitschakelen; laat een andere beheerder"
            " dat doen."
        ),
        "last_admin": (
            "Dit is de enige actieve beheerder van de praktijk. Nodig eerst een andere beheerder"
            " uit (of geef een collega de rol beheerder); anders kan niemand de instellingen en"
            " de gebruikers van de praktijk nog wijzigen."
        ),
        # A file its retention rule deleted (legal-nl.md §8, shared/errors.NoLongerKept).
        "statement_no_longer_kept": (
            "Dit weekoverzicht wordt niet meer bewaard: weekoverzichten worden 7 jaar"
            " bewaard en daarna verwijderd."
        ),
        "letter_no_longer_kept": (
            "Deze brief wordt niet meer bewaard: brieven worden met hun nota bewaard tot 7 jaar"
            " na het jaar waarin die is afgerond, en daarna verwijderd."
        ),
        # Money out: payout and refund batches (R34, services/operator/money_out.py).
        "unknown_batch": "Er is geen batch met dit nummer.",
        # A rerun of a week that ended before every practice existed (R24, R34).
        "week_before_practices": (
            "Week {week} was voorbij voordat er een praktijk was: er is geen weekoverzicht en"
            " geen uitbetaling voor die week. De eerste praktijk bestaat sinds {first}."
        ),
        # A kenmerk the body of a refund batch names that no invoice has (422, unknown_kenmerk).
        "unknown_kenmerk_in_refunds": (
            "Terugbetaling {number} (refunds.{position}.reference): er is geen nota met"
            " betalingskenmerk {kenmerk}. Controleer de cijfers tegen de nota."
        ),
        # Two operators loading register versions at once (R33, R28): nothing was stored.
        "register_loaded_meanwhile": (
            "Een andere operator heeft zojuist een versie van het register geladen: laad"
            " deze versie opnieuw, dan wordt ze getoetst aan het register zoals het nu is."
        ),
        # Data migrations after a deploy (services/operator/migrations.py).
        "unknown_migration": "Er is geen datamigratie met deze naam.",
        "unknown_provider": "Er is geen zorgaanbieder met dit id.",
        "batch_not_proposed": "Deze batch wacht niet (meer) op een goedkeuring.",
        # Proposing a week's payouts before its run wrote the statements (R24, R34).
        "payout_week_running": (
            "Week {week} loopt nog: er is nog geen overzicht van. De retrocessierun van"
            " maandag {run_day} maakt de overzichten en stelt de batch van de week voor."
        ),
        "payout_week_not_built": (
            "Van week {week} is nog geen enkel overzicht gemaakt. Laat eerst de"
            " retrocessierun van de week lopen (as_of {run_day}): die maakt de overzichten"
            " en stelt de batch van de week voor."
        ),
        "payout_week_unfinished": (
            "Van week {week} zijn pas {written} van de {practices} overzichten gemaakt: de"
            " retrocessierun (as_of {run_day}) is nog bezig of is gestopt. Wacht tot hij klaar"
            " is, of laat hem opnieuw lopen: hij maakt de overige overzichten en stelt de"
            " batch van de week voor."
        ),
        "batch_sent": (
            "Deze batch is verstuurd of wordt verstuurd en kan niet meer worden ingetrokken."
            " Is het versturen afgebroken, keur hem dan opnieuw goed om het af te maken."
        ),
        "payout_account_changed": (
            "De uitbetaalrekening van {practices} is gewijzigd nadat deze batch werd"
            " voorgesteld: hij zou naar de oude rekening betalen. Trek hem in en stel week"
            " {week} opnieuw voor; de nieuwe batch betaalt naar de rekening zoals die dan in"
            " de instellingen staat."
        ),
        "refund_booked": (
            "Van deze batch is de terugbetaling voor nota {kenmerken} al geboekt: hij kan niet"
            " meer worden ingetrokken. Keur hem opnieuw goed om het bankbestand te maken."
        ),
        "second_operator_needed": (
            "U heeft deze batch al goedgekeurd. Boven het ingestelde totaal keurt een tweede,"
            " andere medewerker hem goed (vier ogen): vraag een collega hem goed te keuren."
        ),
        "no_credit_to_refund": "Op nota {kenmerk} staat geen tegoed om terug te betalen.",
        "refund_above_credit": (
            "Op nota {kenmerk} staat {credit_nl} tegoed; meer dan dat wordt niet terugbetaald."
            " Betaal hoogstens {credit_nl} terug."
        ),
        "psp_refund_pending": (
            "Het tegoed op nota {kenmerk} van een online betaling wordt via de betaalprovider"
            " terugbetaald. Die terugbetaling is gevraagd maar niet bevestigd en kan al betaald"
            " zijn: kijk de betaling na in het dashboard van de betaalprovider. Per"
            " bankoverschrijving gaat hoogstens {by_bank_nl} terug (tegoed uit bankbetalingen)."
        ),
        "no_psp_refund_pending": (
            "Voor deze betaling is de betaalprovider niet om een terugbetaling gevraagd: er"
            " is niets af te handelen."
        ),
        "psp_refund_settled": (
            "Wat de betaalprovider over deze terugbetaling zei, is al vastgelegd (een andere"
            " uitkomst of een andere terugbetaling). De patiënt krijgt één keer terug: kijk"
            " de nota en het dashboard van de betaalprovider na."
        ),
        # psp_refund_settled, when a refund id is recorded to correct one the PSP knows.
        "psp_refund_id_known": (
            "De betaalprovider kent de terugbetaling die bij deze betaling geboekt is"
            " ({booked}): er is niets te verbeteren. De patiënt krijgt één keer terug: kijk de"
            " nota en het dashboard van de betaalprovider na."
        ),
        "psp_refund_id_corrected": (
            "De terugbetaling die onder {wrong} geboekt was, is al verbeterd: {by} heeft"
            " haar opnieuw geboekt onder {right}, haar id bij de betaalprovider. Er is niets"
            " geboekt; de patiënt krijgt één keer terug."
        ),
        "psp_refund_above_asked": (
            "De betaalprovider is om {asked_nl} terugbetaling gevraagd; meer dan dat kan deze"
            " terugbetaling niet zijn. Kijk het bedrag na in het dashboard van de"
            " betaalprovider."
        ),
        "unknown_psp_refund": (
            "De betaalprovider kent bij deze betaling geen terugbetaling met dit nummer (een"
            " terugbetaling begint bij Mollie met re_). Er is niets geboekt: neem het nummer"
            " van de terugbetaling over uit het dashboard van de betaalprovider."
        ),
        "psp_refund_not_paid": (
            "Volgens de betaalprovider is deze terugbetaling {status}: er is niets"
            " terugbetaald. Er is niets geboekt: kijk het nummer na, of leg vast dat de"
            " terugbetaling mislukt is."
        ),
        "credit_from_psp_payment": (
            "Het tegoed op nota {kenmerk} komt van een online betaling en gaat via de"
            " betaalprovider terug, niet per bankoverschrijving. Per bankoverschrijving gaat"
            " hoogstens {by_bank_nl} terug (tegoed uit bankbetalingen)."
        ),
        # The two above when none of the credit came from bank payments (said_as).
        "psp_refund_pending_none_by_bank": (
            "Het tegoed op nota {kenmerk} van een online betaling wordt via de betaalprovider"
            " terugbetaald. Die terugbetaling is gevraagd maar niet bevestigd en kan al betaald"
            " zijn: kijk de betaling na in het dashboard van de betaalprovider. Per"
            " bankoverschrijving gaat niets terug: er is geen tegoed uit bankbetalingen."
        ),
        "credit_from_psp_payment_none_by_bank": (
            "Het tegoed op nota {kenmerk} komt van een online betaling en gaat via de"
            " betaalprovider terug, niet per bankoverschrijving. Per bankoverschrijving gaat"
            " niets terug: er is geen tegoed uit bankbetalingen."
        ),
        "credit_awaited_from_agency": (
            "Van het tegoed op nota {kenmerk} is {awaited_nl} geld dat het incassobureau"
            " heeft geïnd en nog niet aan ons heeft overgemaakt: het staat niet op onze"
            " rekening en gaat terug zodra die overboeking binnen is. Per bankoverschrijving gaat nu"
            " hoogstens {by_bank_nl} terug."
        ),
        "credit_awaited_from_agency_none_by_bank": (
            "Van het tegoed op nota {kenmerk} is {awaited_nl} geld dat het incassobureau"
            " heeft geïnd en nog niet aan ons heeft overgemaakt: het staat niet op onze"
            " rekening en gaat terug zodra die overboeking binnen is. Per bankoverschrijving gaat nu"
            " niets terug."
        ),
        "iban_not_sepa": (
            "De terugbetaling voor nota {kenmerk} gaat naar een IBAN uit {country}, een land"
            " buiten SEPA: een SEPA-overschrijving komt daar niet aan. Vraag de patiënt om een"
            " rekening in een SEPA-land."
        ),
        "transfer_file_refused": (
            "Het bankbestand van deze batch kan niet worden gemaakt ({reason}). Er is niets"
            " geboekt of betaald. Trek de batch in en stel een nieuwe voor: die controleert elke"
            " overschrijving al bij het voorstel."
        ),
    },
    INPUTS: {
        # What a service finds wrong in a value of the request after its validation
        # (services.inputs.InvalidInput, a 400 naming the field): after "field: ".
        "iso_week": "is geen ISO-week van dat jaar, zoals 2026-W48",
        "iso_moment": "is geen tijdstip in ISO 8601, zoals 2026-11-25T08:00:00Z",
        "moment_out_of_range": "ligt te dicht bij het jaar 1 of 9999: vraag alles vanaf 2000-01-01",
        "not_a_parameter": "is geen parameter van deze route",
        "name_never_in_url": "nooit in een URL: zoek met POST {path}",
        "model_refused": "{reason_nl}",  # the settings model's reason (validation_reasons)
        "decision_closes_action": "een besluit sluit de actie: stuur state done",
        "coulance_decision": "een coulancevoorstel wordt toegepast (applied) of afgewezen (declined)",
        "month_out_of_range": "moet een maand van {first} tot en met {last} zijn",
        "months_out_of_order": "from moet op of vóór to liggen, hoogstens {most} maanden",
        "cursor_with_reference": "niet samen met een betalingskenmerk: dat antwoord is één pagina",
        "from_after_to": "moet op of vóór to liggen",
        "name_without_letters": "heeft geen letters of cijfers om op te zoeken",
        "malformed_kenmerk": "is geen betalingskenmerk: 14 cijfers met een juist controlecijfer",
        "provider_id_fixed": "het id van een zorgaanbieder verandert niet",
        "version_missing": "ontbreekt: stuur de version die u las (GET), zodat u geen wijziging van een ander overschrijft",
        "not_a_setting": "is geen instelling; zelf wijzigt u contact, dunning en coulance",
        "one_refund_per_invoice": "één terugbetaling per nota, minstens één",
        "refund_already_proposed": "een nota staat al in een terugbetalingsbatch die nog niet is verstuurd",
        "refund_holder_not_sepa": (
            "heeft geen enkel teken dat een bank in een SEPA-overschrijving accepteert"
            " (Latijnse letters, cijfers, / - ? : ( ) . , ' +)"
        ),
        "audit_period": "to moet op of na from liggen, hoogstens {most} dagen",
        "audit_too_long": "te veel lezingen in deze periode voor één bestand: vraag een kortere periode",
        "block_changes_too_many": (
            "meer dan {most} wijzigingen sinds dit moment voor één bestand: vraag een later"
            " moment, of haal ze in delen op met GET /api/v1/provider/blocked-patients/changes"
        ),
        "blocked_patients_too_many": (
            "meer dan {most} geblokkeerde patiënten voor één bestand: haal ze in delen op met"
            " GET /api/v1/provider/blocked-patients"
        ),
        "patient_ref_case": PATIENT_REF_CASE_NL,
        "not_an_amount": "is geen bedrag in euro's zoals 12,50",
        "not_a_number": "is geen getal zoals 12,5",
        # The payout account (R24, R34): the weekly payout is a SEPA credit transfer.
        "payout_iban_not_sepa": (
            "Dit IBAN is uit {country}, een land buiten SEPA: de wekelijkse uitbetaling is een"
            " SEPA-overschrijving en komt daar niet aan. Geef een rekening in een SEPA-land."
        ),
        "payout_holder_not_sepa": (
            "De naam van de rekeninghouder heeft geen enkel teken dat de bank in een"
            " SEPA-overschrijving accepteert (Latijnse letters, cijfers, / - ? : ( ) . , ' +)."
        ),
        # The practice's phone, printed on every letter (R31, R36).
        "phone_too_few_digits": (
            "Dit telefoonnummer heeft minder dan {least} cijfers: een Nederlands nummer heeft"
            " er 10, zoals 020 612 3456 of +31 20 612 3456."
        ),
        "agb_code_taken": (
            "Deze AGB-code hoort al bij zorgaanbieder {holder}: een Vektis-bestand hoort bij"
            " de zorgaanbieder die de AGB-code van de kopregel heeft, dus elke code heeft één"
            " eigenaar. Haal hem daar eerst weg als hij naar deze praktijk gaat."
        ),
        "agb_codes_changed_too_many": (
            "Deze wijziging voegt {changed} AGB-codes toe of haalt ze weg; in één keer kan"
            " dat met ten hoogste {most}. Sla de wijziging in delen op."
        ),
        "uzovi_not_in_register": (
            "UZOVI {uzovi} staat niet in het verzekeraarsregister van zorgnota (versie"
            " {version}). De code heeft de goede vorm: heeft de praktijk een contract met deze"
            " verzekeraar, laad dan eerst een versie van het register die hem noemt."
        ),
        # A line of an insurer register version that cannot be read (R33,
        # declarations/rules/insurers.py): "regel 3: uzovi moet 4 cijfers zijn".
        "register_line": "regel {line}: {problem}",
        "register_header": "de kopregel moet {columns} zijn",
        "register_field_count": "{found} velden, {expected} verwacht",
        "register_unreadable": "niet als CSV te lezen: een veld is langer dan {limit} tekens,"
        ' waarschijnlijk door een aanhalingsteken (") dat niet gesloten is',
        "register_uzovi_form": "uzovi moet 4 cijfers zijn",
        "register_column_empty": "{column} is leeg",
        "register_line_break": "{column} bevat een regeleinde (Alt+Enter in een cel, of een"
        " aanhalingsteken dat niet gesloten is)",
        "register_labels_separator": 'labels worden gescheiden door "|", zoals CZ|OHRA, niet'
        " door een komma",
        "register_valid_from_form": "valid_from moet een datum JJJJ-MM-DD zijn",
        "register_uzovi_twice": "uzovi {uzovi} staat ook op regel {first}",
        "register_empty": "geen verzekeraars: een versie noemt elke verzekeraar",
        "register_valid_from_differs": (
            "valid_from {valid_from} wijkt af van {first_valid_from} op regel {first}: elke"
            " regel van één versie heeft dezelfde valid_from"
        ),
    },
    ACTIONS: {
        # R23: a claim handed over whose "call your patient" the system closed: nothing is
        # owed on it any more (paid via us or the agency, or stopped).
        "handover_claim_settled": (
            "Op deze vordering staat niets meer open (betaald of gestopt): u hoeft de patiënt"
            " hierover niet meer te bellen. zorgnota heeft deze actie afgehandeld."
        ),
        # R23, R22: that claim owed again (a payment came back, a stop was undone): the
        # system opened the action again.
        "handover_claim_owed_again": (
            "Op deze vordering staat weer een bedrag open (een betaling kwam terug of een stop"
            " is teruggedraaid): het incassobureau int de vordering weer. Bel uw patiënt."
            " zorgnota heeft deze actie weer geopend."
        ),
        # A payout the bank sent back: it is paid again in the next weekly batch.
        # Issue 13 item 1: a second file under one upload URL (or written around it).
        "upload_version_ignored": (
            "Onder upload {declaration_id} kwam een tweede bestand binnen. Een upload verwerkt"
            " alleen het eerste bestand: het tweede is niet verwerkt. Vraag voor dat bestand een"
            " nieuwe upload aan."
        ),
        "payout_returned": (
            "De uitbetaling van {amount_nl} ({transfer_id}) is door de bank teruggestort"
            " (reden {reason}). Controleer het IBAN en de tenaamstelling van uw"
            " uitbetalingsrekening bij zorgnota; het bedrag wordt in de volgende wekelijkse"
            " uitbetaling opnieuw overgemaakt."
        ),
        # A patient under 18 without a debtor: the invoice went to the child (CSV without the
        # debtor_ columns, or a Vektis file without an 03, as insurer-bound files are).
        "minor_without_debtor": "Patiënt {patient_ref} is minderjarig en de nota met betalingskenmerk {kenmerk} is aan de patiënt zelf gericht. Stuur ons de naam en het adres van een ouder of voogd: in een Vektis-bestand met een SB311-debiteurrecord (03) direct na het verzekerdenrecord, of in een CSV-bestand in de kolommen debtor_initials, debtor_last_name, debtor_street, debtor_house_number, debtor_postcode en debtor_city (debtor_email voor een digitale nota).",
    },
}

_ENGLISH: Sections = {
    FINDINGS: {
        # --- Structural: the whole file is rejected (R2) ---
        "FILE_EMPTY": "The file is empty. Export it from your practice software again and upload it.",
        "FILE_HEADER_ONLY": "The file contains only the header row and no treatment lines.",
        "FILE_NOT_CSV_OR_VEKTIS": (
            "This is no CSV or Vektis file: it is {found_en}. Export the declarations from your"
            " practice software as CSV (like the template) or as a Vektis file and upload that."
        ),
        "FILE_NO_HEADER": (
            "Line {line} is not a header row of column names but looks like a treatment line:"
            " the file was saved without its header row. Put the column names above it, as in"
            " the template, and upload the file again."
        ),
        "FILE_NOT_UTF8": (
            "The file is not text in UTF-8 or Windows-1252: line {line} (byte {offset}) contains a"
            f" character that cannot be read ({{byte}}). {SAVE_AS_UTF8_EN}"
        ),
        "CSV_UTF16": (
            "The file was saved as UTF-16 (as Excel saves 'Unicode Text'), not as UTF-8 or"
            f" Windows-1252, and cannot be read as such. {SAVE_AS_UTF8_EN}"
        ),
        "FILE_MIXED_ENCODINGS": (
            "The file mixes two character sets: line {utf8_line} has letters in UTF-8, line {line}"
            " a character that is not UTF-8 (Windows-1252). Which letters are meant is unsure."
            " Export the file again, or save it as 'CSV UTF-8' and check the accented letters on"
            " those lines."
        ),
        "FILE_WRONG_DELIMITER": (
            "The columns in the header row are separated by {separator_en} instead of a semicolon"
            " (;). Save the file with the semicolon as the separator."
        ),
        "FILE_MISSING_COLUMNS": "Required column(s) missing from the header row: {columns}.",
        "FILE_UNKNOWN_COLUMNS": (
            "Unknown column(s) in the header row: {columns_en}. Check the spelling of the column names."
        ),
        "FILE_DUPLICATE_COLUMNS": "These column(s) appear more than once in the header row: {columns_en}.",
        "FILE_EMPTY_COLUMN_NAME": "Column {position} in the header row has no name.",
        "FILE_NAMELESS_COLUMN_FILLED": (
            "Column {position} has no name in the header row (which ends with a semicolon (;)),"
            " but line {line} has a value in that column. Remove that value or move it to the"
            " column it belongs in."
        ),
        "FILE_TRAILING_SEPARATOR": (
            "{count} line(s), the first on line {line}, have one field more than the header row"
            " and that last field is empty: they end with a semicolon (;) that the header row and"
            " {others} other line(s) do not have. A semicolon inside a text field gives the same,"
            " so which field belongs to which column is unsure. Give every line as many fields as"
            " the header row."
        ),
        "FILE_FIELD_COUNT": (
            "Line {line} has {found} fields, more than the {expected} of the header row. This"
            ' usually means a semicolon (;) or a quote (") inside a text field.'
        ),
        "FILE_MORE_ROW_ERRORS": "{count} more lines have the same problem.",
        "FILE_HEADER_REPEATED_OTHER": (
            "Line {line} is a second header row, with its columns in another order than the"
            " first, as when two exports are put one below the other in one file: the lines"
            " below it would be read under the wrong columns. Upload each export as a file of"
            " its own."
        ),
        "FILE_QUOTE_SPANS_LINES": (
            'Line {line}: a text field in {column} starts with a quote (") that is closed only'
            " on line {end_line}, or never, so the lines in between were read as text of that one"
            " field. Remove the quote, or put the whole text between quotes and write a quote"
            ' inside it twice ("").'
        ),
        "FILE_UNREADABLE": (
            'Line {line} cannot be read as CSV, probably because of a quote (") that is never closed.'
        ),
        "FILE_TOO_MANY_LINES": (
            "The file has {lines} treatment lines; the maximum is {max_lines}. Split it into"
            " smaller files and upload them separately."
        ),
        "UNKNOWN_PROVIDER": "This file was uploaded for an unknown provider ({provider}) and was not processed.",
        # --- Content: only this claim is rejected (R2) ---
        "FIELD_REQUIRED": "Line {line}: the required field {field} is empty.",
        "BSN_INVALID": (
            "Line {line}: the BSN (last digits {last_digits}) is invalid: it does not have 9 digits"
            " or fails the 11-proof check."
        ),
        "UZOVI_UNKNOWN": (
            "Line {line}: {value} in {field} is not in zorgnota's insurer register (version"
            " {version}). The code has the right form: if it is the patient's insurer on the"
            " treatment's (start) date, tell zorgnota, with the treatment dates of the refused"
            " lines. We add it from those dates on, and then you can send the line again."
        ),
        "UZOVI_INVALID": (
            "Line {line}: {value} in {field} is not a UZOVI code: a UZOVI code has 4 digits. Use"
            " the code of the patient's insurer on the treatment's (start) date."
        ),
        "AMOUNT_INVALID": (
            "Line {line}: {value} in {field} is not an amount. Write e.g. 45,00, 45.00 or 1.234,56,"
            " without a euro sign."
        ),
        "AMOUNT_GROUPING_UNCLEAR": (
            "Line {line}: in {value} in {field} it is unclear which dot or comma separates the"
            " thousands and which the cents. Write the amount as 1234,56 or as 1.234,56: dots only"
            " between groups of three digits, a comma before the cents."
        ),
        "AMOUNT_SPACE_INSIDE": (
            "Line {line}: {value} in {field} holds a space between its digits, {character}, as"
            " a spreadsheet or a copied PDF separates the thousands. Write the amount without"
            " a space, as 1234,56 or as 1.234,56."
        ),
        "AMOUNT_ZERO": "Line {line}: the amount is 0; a line without an amount cannot be invoiced.",
        "QUANTITY_INVALID": (
            "Line {line}: the quantity {value} is not a whole number from 1 to {maximum}. A credit"
            " line has a positive quantity and a negative price."
        ),
        "DATE_IN_FUTURE": "Line {line}: the date in {field} is in the future.",
        "START_AFTER_END": (
            "Line {line}: the start date (treatment_start_date) is after the treatment date"
            " (treatment_date)."
        ),
        "CLAIM_REF_DUPLICATE": (
            "Line {line}: the line reference {claim_ref} is also used on line {first_line}; only"
            " line {first_line} is processed."
        ),
        "EMAIL_INVALID": "Line {line}: the e-mail address in {field} is invalid.",
        "NAME_FORMULA": (
            "Line {line}: {field} starts with =, +, -, @ or a tab; a spreadsheet reads that as a"
            " formula. Correct the name."
        ),
        "POSTCODE_INVALID": "Line {line}: the postcode in {field} is not a valid Dutch postcode (like 1234 AB).",
        "COUNTRY_INVALID": "Line {line}: {field} must be a two-letter country code, like NL or BE.",
        "LANGUAGE_UNKNOWN": (
            "Line {line}: language {value} in {field} is not supported; use nl, en, pl or ar (empty"
            " means nl)."
        ),
        "LINE_TYPE_UNKNOWN": (
            "Line {line}: line type {value} is unknown; use care, no_show or material (empty means"
            " care)."
        ),
        "NOT_DELIVERABLE": (
            "Line {line}: the invoice cannot be delivered: {addressee_en} has no e-mail address and"
            " the postal address is incomplete (missing: {missing})."
        ),
        "DEBTOR_INCOMPLETE": (
            "Line {line}: debtor details (debtor_) are filled in but debtor_last_name is empty."
            " Fill in the payer's name, or leave all debtor_ columns empty."
        ),
        "PATIENT_DATA_CONFLICT": (
            "Line {line}: {field} of patient {patient_ref} differs from line {first_line}. One"
            " patient gets one invoice; correct the patient's details so that it cannot go to the"
            " wrong address."
        ),
        "NOTHING_TO_INVOICE": (
            "Line {line}: this patient's credit lines equal or exceed the other lines; there is"
            " nothing to invoice."
        ),
        "FULLY_REIMBURSED_NOT_CONTRACTED": (
            "Line {line}: the insurer reimburses all of this patient's lines in full, without a"
            " contract with the practice; nothing is left to invoice to the patient, and only"
            " lines a contracted insurer covers in full go to the claim files for the insurers."
            " Declare these lines to the insurer yourself, or have the reimbursement by insurers"
            " in the practice's settings checked."
        ),
        # --- Warnings: the claim is processed ---
        "MINOR_WITHOUT_DEBTOR": (
            "Line {line}: patient {patient_ref} is a minor and no parent or guardian (debtor_) is"
            " filled in; the invoice will be addressed to the patient."
        ),
        "PRICE_QUOTE_MISSING": (
            "Line {line}: the treatment plan (material and technique costs included) exceeds"
            " €250 and no price quote (price_quote_ref) is recorded. The invoice was sent anyway."
        ),
        "VEKTIS_PRICE_QUOTE_MISSING": (
            "Line {line}: the treatment plan (material and technique costs included) exceeds"
            " €250 and no price quote is recorded: no comment record (98) with the treatment"
            " that starts with 'Begroting:'. The invoice was sent anyway."
        ),
        "INVOICE_SPLIT": (
            "Line {line}: patient {patient_ref} has more than {max_lines} lines in this file."
            " They are on {invoices} invoices, each with its own payment reference and its own"
            " e-mail; a further invoice starts at this line."
        ),
        "LINES_CANCEL_OUT": (
            "Line {line}: this patient's credit and debit lines cancel each other out exactly."
            " The line is processed; nothing is invoiced."
        ),
        # R22, seed 002 advice 7: the patient is on the provider's list of blocked patients.
        "PATIENT_BLOCKED_DEBTOR_RISK": (
            "Line {line}: patient {patient_ref} is on your list of blocked patients: an earlier"
            " invoice is with the collection agency. The invoice with payment reference {kenmerk}"
            " was sent anyway, but its debtor risk stays with you."
        ),
        # legal-nl.md §6: the same person (BSN) is blocked under another patient number.
        "PATIENT_BLOCKED_DEBTOR_RISK_SAME_BSN": (
            "Line {line}: patient {patient_ref} has the same BSN as patient {blocked_ref} on"
            " your list of blocked patients: an earlier invoice is with the collection agency."
            " The invoice with payment reference {kenmerk} was sent anyway, but its debtor risk"
            " stays with you."
        ),
        # Issue 13 item 1: the last guard: a betalingskenmerk is on one invoice only.
        "REFERENCE_ALREADY_USED": (
            "Line {line}: payment reference {kenmerk} already belongs to another invoice; this"
            " line was not invoiced. Tell zorgnota and upload the line again."
        ),
        "CLAIM_ALREADY_PROCESSED": (
            "Line {line}: this line was already processed with declaration {declaration_id} and is"
            " not invoiced again."
        ),
        # ============================== Vektis EI (interfaces.md §1b, vektis.md) ==============
        # {field} is the Vektis element name with its record and positions, e.g. "Datum
        # prestatie (record 04, pos. 59-66)": the name practice software shows in its own
        # Vektis checks. Record names come in both languages ({record_nl}, {record_en}).
        # --- Structural: the whole file is rejected (R2) ---
        "VEKTIS_UTF8": (
            "The file was saved as UTF-8 (line {line} has an accented letter in UTF-8). A Vektis"
            " file has one byte per character (ASCII or ISO-8859-1), otherwise the record lengths"
            " are off. Upload the export of your practice software without opening and saving it"
            " in another program first."
        ),
        "VEKTIS_STANDARD_UNKNOWN": (
            "This Vektis file is message {code} version {version}.{subversion}. We can read:"
            " {supported}. Ask your software supplier for an export in one of these versions."
        ),
        "VEKTIS_RETOUR_AS_DECLARATION": (
            "This is an insurer's retour file ({standard}), not a declaration. Upload it as a"
            " retour file and we will process the granted amounts."
        ),
        "VEKTIS_DECLARATION_AS_RETOUR": (
            "This is a declaration file ({standard}), not an insurer's retour file. Upload it as"
            " a declaration."
        ),
        "VEKTIS_TEST_MESSAGE": (
            "This is a test file ({field} is T). Upload the production file (message kind P); we"
            " do not invoice from a test file."
        ),
        "VEKTIS_WRONG_PROVIDER": (
            "The AGB codes in the header record ({file_agb}) are not your practice's (AGB code"
            " {provider_agb}). Upload only your own practice's files."
        ),
        "VEKTIS_BLANK_LINE": "Line {line} is empty. In a Vektis file every line is a record.",
        "VEKTIS_RECORD_TYPE_UNKNOWN": (
            "Line {line} starts with record type '{value}'; {standard} has only the record types"
            " {known}."
        ),
        "VEKTIS_EVERY_RECORD_LENGTH": (
            "All {count} records are {found} characters long; in {standard} every record is"
            " exactly {expected} characters (Vektis retour code 0804). One cause for the whole"
            " file: usually the export program or an edit puts {extra} character(s) too many at"
            " the end of every line. Upload an export with records of {expected} characters."
        ),
        "VEKTIS_RECORD_LENGTH": (
            "Line {line} ({record_en}) is {found} characters long; in {standard} every record is"
            " exactly {expected} characters (Vektis retour code 0804). Usually the file was"
            " edited or cut off after the export."
        ),
        "VEKTIS_RECORD_ORDER": (
            "Line {line}: this {record_en} may not follow the {previous_en} before it. The order"
            " is: header record, then per patient an insured person record, optionally a debtor"
            " record, and the treatment records (each optionally followed by comment records),"
            " and last the trailer record."
        ),
        "VEKTIS_TRAILER_MISSING": (
            "The trailer record (record type 99) is missing at the end of the file; the file was"
            " probably not uploaded completely."
        ),
        "VEKTIS_NO_TREATMENTS": "The file contains no treatment records (record type 04): there is nothing to invoice.",
        "VEKTIS_DETAIL_NUMBER": (
            "Line {line}: {field} is {found}, expected {expected}. The insured person, debtor and"
            " treatment records are numbered 1, 2, 3, … through the whole file."
        ),
        "VEKTIS_COMMENT_OWNER": (
            "Line {line}: according to {field} this comment record belongs to detail record"
            " {found}, but it follows detail record {expected}."
        ),
        "VEKTIS_COMMENT_LINE_NUMBER": "Line {line}: {field} is {found}, expected {expected}.",
        "VEKTIS_DEBTOR_NOT_LINKED": (
            "Line {line}: the debtor number of this debtor record is not the debtor number in the"
            " insured person record before it (line {insured_line}). So it is not certain who"
            " should get the invoice."
        ),
        "VEKTIS_DEBTOR_VERSION_UNKNOWN": (
            "Line {line}: {field} is '{value}'; we can read debtor records of SB311 version 1.0"
            " (01) and 2.0 (02){built_in_en}."
        ),
        "VEKTIS_TRAILER_COUNT": (
            "The trailer record (line {line}) states {declared} for {field}, but the file"
            " contains {counted}. The file was probably edited after the export or is"
            " incomplete."
        ),
        "VEKTIS_TRAILER_TOTAL": (
            "The total claimed amount in the trailer record (line {line}) is {declared_en}, but the"
            " claimed amounts of the treatment records add up to {counted_en}."
        ),
        # --- Structural in the header, trailer and comments; content elsewhere ---
        "VEKTIS_NOT_NUMERIC": "Line {line}: {field} may only contain digits.",
        "VEKTIS_FIELD_REQUIRED": "Line {line}: the required field {field} is empty.",
        "VEKTIS_DATE_INVALID": "Line {line}: {field} is not a valid date. A date is CCYYMMDD, e.g. 20261103.",
        "VEKTIS_VALUE_INVALID": "Line {line}: {field} is '{value}'; allowed is {allowed}.",
        # --- Content: only this claim is rejected (R2) ---
        "VEKTIS_PATIENT_UNIDENTIFIED": (
            "Line {line}: the patient has no BSN (999999999) and no patient or debtor number; the"
            " treatments cannot be invoiced to anyone."
        ),
        "VEKTIS_LINE_PATIENT_MISMATCH": (
            "Line {line}: the BSN in this treatment record is not the BSN of the insured person"
            " record above it (line {insured_line}); the treatment may belong to another patient."
        ),
        "VEKTIS_PATIENT_DATA_CONFLICT": (
            "Line {line}: patient {patient_ref} also appears on line {first_line}, with other"
            " name, address or debtor details. One patient gets one invoice; correct the details"
            " so that it cannot go to the wrong address."
        ),
        "VEKTIS_QUANTITY_ZERO": "Line {line}: {field} is 0; a treatment is performed at least once.",
        "VEKTIS_CREDIT_WITHOUT_REFERENCE": (
            "Line {line}: this is a credit line (C) but {field} is empty; fill in the line"
            " reference of the treatment being credited."
        ),
        "VEKTIS_CREDIT_OF_CREDIT": (
            "Line {line}: the credit line refers to {reference} on line {target_line}, which is a"
            " credit line itself."
        ),
        "VEKTIS_CREDIT_OTHER_PATIENT": (
            "Line {line}: the credit line refers to {reference} on line {target_line}, a"
            " treatment of another patient."
        ),
        "VEKTIS_CREDIT_OF_REJECTED_LINE": (
            "Line {line}: the credit line refers to {reference} on line {target_line}, which was"
            " rejected; so the credit line is not processed either."
        ),
        "VEKTIS_CREDIT_EXCEEDS_DEBIT": (
            "Line {line}: the credit lines for {reference} (line {target_line}) add up to more"
            " than the amount of that treatment."
        ),
        # --- Warnings: the claim is processed ---
        "VEKTIS_POSTCODE_ONLY_ADDRESS": (
            "Line {line}: patient {patient_ref} has no debtor record (03), so no e-mail address,"
            " street or city; the paper invoice is addressed by postcode and house number."
        ),
        "VEKTIS_EMAIL_INVALID": "Line {line}: {field} is not a valid e-mail address; the invoice goes by post.",
        "VEKTIS_DIGITAL_WITHOUT_EMAIL": (
            "Line {line}: {field} asks for a digital invoice, but there is no e-mail address; the"
            " invoice goes by post."
        ),
        "VEKTIS_CODE_WITHOUT_DESCRIPTION": (
            "Line {line}: treatment code {value} is not in our list of descriptions; the invoice"
            " says 'Prestatiecode {value}'."
        ),
        # --- Insurer retour files (PM305, MZ302; R5, legal-nl.md §6) ---
        "RETOUR_LINE_UNKNOWN": (
            "Line {line}: line reference {claim_ref} is not known to us (not declared, or not"
            " yet); the granted amount of this line was not processed."
        ),
        "RETOUR_GRANTED_ABOVE_AMOUNT": (
            "Line {line}: the insurer grants more for {claim_ref} than the amount on the invoice;"
            " only the invoiced amount is deducted."
        ),
        "RETOUR_DECLARED_AMOUNT_DIFFERS": (
            "Line {line}: the retour file says {declared_en} was declared for {claim_ref}, but"
            " the invoice has {amount_en}. This answer is not about our line and was not"
            " processed; ask the insurer for a correct retour file."
        ),
        "RETOUR_GRANTED_OPPOSITE_SIGN": (
            "Line {line}: the insurer grants {granted_en} for {claim_ref}, the opposite sign of"
            " the amount on the invoice ({amount_en}). A reimbursement of {zero_en} was"
            " processed for this line; ask the insurer what this amount means."
        ),
        "RETOUR_MATERIAL_TO_PATIENT": (
            "Line {line}: the insurer did not (fully) pay for the material {claim_ref} (retour"
            " code {codes}); it is invoiced to the patient after all."
        ),
        "RETOUR_INSURER_LINE_NOT_GRANTED": (
            "Line {line}: the insurer did not (fully) pay {claim_ref}, which was declared to the"
            " insurer (retour code {codes}). This line is not invoiced to the patient; check"
            " whether to correct the declaration."
        ),
        # R5, R39: a retour in parts whose progress is gone stops; a new upload finishes it.
        "RETOUR_PROGRESS_GONE": (
            "This retour file was not processed completely: it was processed in parts, and"
            " after {invoices_done} invoices it was no longer known how far it had got. What"
            " was processed stays. Upload the file again as a new upload: the rest is then"
            " processed, nothing twice."
        ),
        # R3: the same bytes applied by an earlier upload are not applied again.
        "RETOUR_FILE_ALREADY_APPLIED": (
            "This retour file was already processed on {date} (upload {declaration_id})."
            " Nothing was processed again and no patient is told, so a later correction"
            " stands."
        ),
        # R13: a grant on a paid invoice leaves the patient credit, refunded as every credit.
        "RETOUR_CREDIT_FOR_PATIENT": (
            "Line {line}: the patient had paid on the invoice with payment reference {kenmerk}"
            " ({claim_ref}) already. With what the insurer now reimburses, the patient paid {raised_en} too"
            " much; the credit on that invoice is now {credit_en}. That credit stays on the"
            " invoice until it is paid back to the patient, by bank transfer in a refund batch"
            " of the back office."
        ),
        "RETOUR_NO_LINE_OURS": (
            "None of the {count} lines of this retour file belongs to a declaration of this"
            " practice; nothing was processed. Is it another practice's retour file, or one for"
            " a declaration not sent through zorgnota?"
        ),
        "RETOUR_CREDIT_FOLLOWS_ITS_LINE": (
            "Line {line}: {claim_ref} is a credit line of {reference}. Its reimbursement on the"
            " invoice follows that of {reference}, so the credit reverses exactly the credited"
            " part: {reimbursed_en} instead of the granted amount {granted_en}. If the"
            " reimbursement of {reference} is not right, ask the insurer about it."
        ),
        # --- Credit lines of a line from an earlier upload (credit_corrections.py) ---
        "CREDIT_BOOKED_ON_EARLIER_INVOICE": (
            "Line {line}: the credit line for {reference} was booked on the invoice with payment"
            " reference {kenmerk} (declaration {declaration_id}); that invoice is {amount_en}"
            " lower."
        ),
        "CREDIT_OF_INSURER_LINE": (
            "Line {line}: the credit line for {reference} belongs to a line that was declared to"
            " the insurer; the credit line goes to the insurer too."
        ),
        # A credit line naming no line (CSV), unlike its look-alike (unlinked_credits.py).
        "CREDIT_SETTLED_UNLIKE_ITS_DEBIT": (
            "Line {line}: this credit line ({code}) has the amount of {reference} (line"
            " {target_line}) of the same patient, but is settled differently: {reference}"
            " {debit_en}, the credit line {credit_en}. A CSV line cannot say which line it"
            " reverses, so the credit line counts by its own treatment code and date. If it"
            " reverses {reference}, check the invoice and the claim at the insurer, or send the"
            " correction in a Vektis file: there a credit line names the line it reverses."
        ),
        "CREDIT_INVOICE_WITH_COLLECTION_AGENCY": (
            "Line {line}: the invoice with payment reference {kenmerk} is already with the"
            " collection agency; pass the correction on to the agency as well."
        ),
        "CREDIT_LINE_UNKNOWN": (
            "Line {line}: the credit line refers to {reference}, but that line is not known to us"
            " (not declared, or rejected). The credit line was not processed."
        ),
        "CREDIT_LINE_OTHER_PATIENT": (
            "Line {line}: the credit line refers to {reference}, a line of another patient. The"
            " credit line was not processed."
        ),
        "CREDIT_LINE_IS_CREDIT": (
            "Line {line}: the credit line refers to {reference}, which is a credit line itself."
            " The credit line was not processed."
        ),
        "CREDIT_LINE_ALREADY_REVERSED": (
            "Line {line}: {reference} has already been credited in full on the invoice with"
            " payment reference {kenmerk}. The credit line was not processed."
        ),
        "CREDIT_EXCEEDS_LINE": (
            "Line {line}: the credit line ({amount_en}) is more than what is left of {reference}"
            " ({left_en}). The credit line was not processed."
        ),
        # issue 15
        "VEKTIS_RETOUR_GRANTED_TOTAL": "The total granted amount in the trailer record (line {line}, {field}) is {declared_en}, but the granted amounts of the treatment records add up to {counted_en}. The retour file was not processed; ask the insurer for a complete file.",
        "VEKTIS_RETOUR_GRANTED_TOTAL_MISSING": (
            "The total granted amount in the trailer record (line {line}, {field}) is blank,"
            " so the granted amounts of the treatment records cannot be checked. The retour"
            " file was not processed; ask the insurer for a complete file."
        ),
        "RETOUR_GRANTED_BLANK": "Line {line}: the insurer left the granted amount of {claim_ref} blank (retour code {codes}). Nothing was changed for this line; ask the insurer what was granted.",
        "RETOUR_GRANTED_UNREADABLE": (
            "Line {line}: the granted amount of {claim_ref} is '{value}', not an amount of"
            " digits only with leading zeros (retour code {codes}). Nothing was changed for"
            " this line; ask the insurer what was granted."
        ),
        "RETOUR_GRANTED_SIGN_LOWERCASE": (
            "Line {line}: the insurer wrote the debit/credit sign of the granted amount of"
            " {claim_ref} in lowercase ({value}). It was read as uppercase and processed."
        ),
        "RETOUR_GRANTED_SIGN_INVALID": (
            "Line {line}: the debit/credit sign of the granted amount of {claim_ref} is"
            " '{value}' instead of D or C (retour code {codes}). Nothing was changed for this"
            " line; ask the insurer what was granted."
        ),
        "RETOUR_CODE_UNKNOWN": (
            "Line {line}: retour code {code} is not in the list of retour codes (mind"
            " lowercase letters). The line was processed as the insurer sent it; ask the"
            " insurer what the code means."
        ),
        "RETOUR_LINE_REPEATED": "Line {line}: line reference {claim_ref} occurs more than once in this retour file (lines {lines}). None of those lines was processed; ask the insurer which granted amount holds.",
        "RETOUR_LINE_NOT_ASSESSED": (
            "Line {line}: the insurer did not assess {claim_ref} (retour code {code}). Nothing"
            " was changed for this line; correct what the insurer refused and declare the line"
            " again."
        ),
        "VEKTIS_DC_LOWERCASE": (
            "Line {line}: {field} of {claim_ref} is a lowercase letter ({value}). It was read"
            " as uppercase ({value_upper}: D is debit, C is credit) and processed."
        ),
        "VEKTIS_TOTAL_DC_LOWERCASE": (
            "Line {line}: {field} of the trailer record (99) is a lowercase letter ({value})."
            " It was read as uppercase ({value_upper}: D is debit, C is credit) and the total"
            " checked so."
        ),
        "VEKTIS_MINOR_WITHOUT_DEBTOR": "Line {line}: patient {patient_ref} is a minor and there is no debtor record (03) with a parent or guardian; the invoice will be addressed to the patient. See the open action for what you can send.",
        "VEKTIS_FOREIGN_ENCODING": "This Vektis file was saved as {encoding}. A Vektis export has fixed record lengths and one byte per character (ASCII or ISO-8859-1). Upload the export of your practice software as it is, without saving it in another program.",
        "VEKTIS_TAB": "Line {line}: at position {position}, in {field}, there is a tab (the Tab key, 0x09). A Vektis file has fixed positions, filled with spaces; a tab stands for an unknown number of spaces. The file was edited after the export, for instance in a text editor that turns spaces into tabs; upload the export as your practice software made it.",
        "VEKTIS_TAB_UNKNOWN_RECORD": "Line {line}: at position {position}, in a record of the unknown record type '{value}', there is a tab (the Tab key, 0x09). A Vektis file has fixed positions, filled with spaces; a tab stands for an unknown number of spaces. The file was edited after the export, for instance in a text editor that turns spaces into tabs; upload the export as your practice software made it.",
        "VEKTIS_CONTROL_CHARACTER": "Line {line}: {field} holds a control character (byte {byte}) that may not occur in a Vektis file. Correct that field in your practice software and export again.",
        "VEKTIS_RECORD_DATA_MISSING": "Line {line} ({record_en}) is {found} characters long instead of {expected}: data is missing from {field} on. The file was cut off or edited after the export; upload the export as your practice software made it.",
        "RETOUR_NOT_VEKTIS": "This is no Vektis retour file: it is {found_en}. Upload the retour file (PM305 or MZ302) as you received it from the insurer or through VECOZO.",
        "VEKTIS_CR_IN_RECORD": "Line {line} ({record_en}): at position {position}, in {field}, there is a stray line-end character (CR, 0x0D) inside the record. So the record is longer than it should be and everything after it is one place off; it was not read as two records. Remove that character or upload the export as your practice software made it.",
        "VEKTIS_RECORD_MOVED": "Line {line}: this {record_en} has sequence number {found} ({field}), so it belongs straight after line {after_line}, but it is here, moved. The practice software sorted the lines differently, so it is not certain which patient it belongs to; the other records are in order. Export the file again and upload it as the practice software made it.",
        "VEKTIS_SECOND_FILE_SAME_LINE": "Line {line}: right after the trailer record, on the same line (position {position}, with no line end in between), a second file starts with its own header record. Two exports were joined; upload each export on its own.",
        "VEKTIS_SECOND_FILE": "Line {line}: a second file starts here, with its own header record after the trailer record of the first (line {trailer_line}). Two exports were joined; upload each export on its own.",
        "VEKTIS_END_PADDING": "Skipped after the last record: {what_en}. It is not part of the file.",
        "VEKTIS_LEADING_BLANK": "Before the header record there were {blank_lines} blank line(s), {spaces} space(s) and {tabs} tab(s); they were skipped. The line numbers in this report are the file's.",
        "VEKTIS_LEADING_BLANK_OTHERS": "Before the header record there were {blank_lines} blank line(s), {spaces} space(s), {tabs} tab(s) and these invisible characters: {others}; they were skipped. The line numbers in this report are the file's.",
        "LINES_HELD_BACK": "Because of this, all {count} treatment lines (04) of this patient were not read.",
        "VEKTIS_LINE_ENDS": "The lines of this file end in {kind_en} instead of CR LF; the file was read with those line ends.",
        "VEKTIS_WINDOWS_1252": "Line {line}: {field} holds '{character}', a Windows-1252 character, not ISO-8859-1. The file was read as Windows-1252 ({count} such characters).",
        "VEKTIS_TRAILING_TABS_REPLACED": "{count} line(s), the first on line {first}, ended in tabs instead of spaces (a text editor that turns spaces into tabs, for instance). No data followed the tabs, only empty fields at the end of the record (such as the reserve): the lines were padded back with spaces to {expected} characters.",
        "VEKTIS_TRAILING_SPACES_RESTORED": "{count} line(s), the first on line {first}, were shorter than {expected} characters because trailing spaces were removed (by a text editor, for instance). Only spaces were missing, no data: the lines were padded back.",
        "CSV_DATE_INVALID": "Line {line}: '{value}' in {field} is not a date. Write a date as 2026-11-03 or as Excel saves it: 3-11-2026 or 03-11-2026.",
        "CSV_DATE_IN_FUTURE": "Line {line}: the date {value} in {field} is in the future.",
        "CSV_DATE_TWO_DIGIT_YEAR": "Line {line}: '{value}' in {field} has a two-digit year; whether it is 19.. or 20.. cannot be told. Give the column a date format with a four-digit year in Excel (3-11-2026) and save the file again.",
        "CSV_DATE_WITH_TIME": "Line {line}: '{value}' in {field} is a date with a time: the column has a date/time format in Excel and holds times. A date with 0:00 is read as that date, another time is not. Give the column a date format without a time in Excel (3-11-2026) and save the file again.",
        "CSV_HOUSE_NUMBER_AS_DATE": "Line {line}: {field} holds a date as Excel makes one of a house number like 3-11 (3-nov, 11-mrt, 3-11-2026 or 11/3/2026), so the house number cannot be told. The line was not processed. Open the original export in Excel through Data > From Text/CSV with the column as Text (in this file the house number is a date already) and save the file again.",
        "CSV_SCIENTIFIC_NOTATION": "Line {line}: '{value}' in {field} is a number as Excel saves it in scientific notation: its last digits are missing, so which number it is cannot be told. The line was not processed. Open the original export in Excel (in this file the digits are gone already), give the column the cell format Number without decimals or Text and save the file again.",
        # R40: a CSV as Dutch Excel saves it; read, and said what was repaired.
        "CSV_MAC_ROMAN": "The file was saved in Mac Roman, not UTF-8 (as Excel for Mac saves a 'CSV', its lines ending in CR), and was read as such: the first character outside ASCII, '{character}', is on line {line} ({count} such characters). Check those letters on the invoices, or save the file as 'CSV UTF-8' from now on.",
        "CSV_WINDOWS_1252": "The file was saved as Windows-1252, not UTF-8 (as Excel's 'CSV (comma delimited)' saves it), and was read as such: the first character outside ASCII, '{character}', is on line {line} ({count} such characters). Check those letters on the invoices, or save the file as 'CSV UTF-8' from now on.",
        "CSV_UNKNOWN_COLUMNS_IGNORED": "zorgnota does not know these column(s) of the header row and ignored them: {columns_en}. The lines were read without what they hold; if one of them belongs on the invoice, give it the name from the template.",
        "CSV_TRAILING_SEPARATOR": "The lines end with {count} semicolon(s) (;) too many, so with empty column(s) without a name; these were ignored.",
        "CSV_SHORT_LINES_PADDED": "{count} line(s), the first on line {line}, end before the last columns (from {column} on), as Excel leaves out empty cells at the end of a line. Those columns are not required and were read as empty.",
        "CSV_LINE_ENDS_CR_CR_LF": "The lines of this file end in CR CR LF (converted twice) instead of CR LF. Each such line end was read as one, as Excel and Notepad show it; the line numbers in this report are the ones you see there.",
        "CSV_HEADER_REPEATED": "Line {line} is the header row again, as when exports are put one below the other in one file. That line was skipped ({count} times in the file) and the lines below it were read.",
        "CSV_QUOTE_NOT_CLOSED": 'Line {line}: a text field in {field} starts with a quote (") that is never closed, so the rest of the line was read as text of that one field. The line was not read; remove the quote, or put the whole text between quotes, and send the line again.',
        "CSV_CELL_MISSING": "Line {line} has {found} cells, the header row has {expected}, and the line ends with an empty cell: a cell (a semicolon) is missing inside the line, so the cells after it are under the wrong columns. The line was not read; add the missing cell and send the line again.",
        "CSV_END_PADDING": "Skipped after the last line: {what_en}. An editor does not show it, and it is no part of the data.",
        "CSV_REFERENCE_LEADING_ZEROS": "References of digits only were read without leading zeros: '{value}' in {field} on line {line} as '{read_as}'. Excel drops those zeros when it saves a file again; read this way, the same file saved without them is never invoiced twice.",
        "VEKTIS_LETTER_AS_QUESTION_MARK": "Line {line}: {field} holds a '?'. ISO-8859-1, the character set of a Vektis file, lacks some letters (such as Ł or ő), and practice software writes a '?' in their place. Correct the text in your practice software.",
        "CSV_CONTROL_CHARACTER": "Line {line}: {field} holds an invisible control character, {character}. Such a character makes a letter unreadable or makes a name, address or amount beside it read otherwise than it is. The line was not processed; type the field again (do not paste it) and send the line again.",
        "CSV_LETTER_NOT_PRINTED": "Line {line}: {field} holds a character the invoice and the letters on paper cannot print, {character}; it is left out there. The line was processed; write the field in Latin letters, as in the BRP, and correct it in your own system too before a letter is sent.",
        "CSV_CONTROL_CHARACTER_CELL_MISSING": (
            "Line {line}: cell {position} of the line (column {letter} in a spreadsheet), read"
            " under {read_as}, holds an invisible control character, {character}. A cell is"
            " missing in this line (see the next finding), so that cell belongs to one of the"
            " columns {read_as} to {last_field}. Such a character makes a letter unreadable or"
            " makes a name, address or amount beside it read otherwise than it is. The line"
            " was not processed; type that cell again (do not paste it), add the missing cell"
            " and send the line again."
        ),
        "CSV_INVISIBLE_CHARACTER_REMOVED": "Line {line}: an invisible character, {character}, was removed from {field}, as copying from a web page brings along. The line was processed; correct the field in your own system too.",
        "VEKTIS_INVISIBLE_CHARACTER_REMOVED": "Line {line}: an invisible character, {character}, was removed from {field}, as copying from a word processor or a web page brings along; the field was padded to its length with a space. The line was processed; correct the field in your practice software too.",
        "FILE_NUL_CHARACTER": "Line {line} (the header row) holds a NUL character (0x00). Without readable column names the file was not processed; remove the character or export the file again.",
        "CSV_LETTER_AS_QUESTION_MARK": "Line {line}: {field} holds a '?'. Windows-1252 lacks some letters (such as Ł or ő), and Excel writes a '?' in their place. Correct the text, or save the file as 'CSV UTF-8'.",
        "VEKTIS_LINES_WRAPPED": "No line of this file is longer than {width} characters: the records of {expected} characters were broken into lines of {width}, e.g. by an e-mail program or an editor. Save the file without line breaks inside records: upload the export of your practice software itself.",
    },
    REFUSALS: {
        "credit_not_bookable": "This line is not in euros; it is not booked on an invoice.",
        "return_needs_kenmerk": (
            "A returned transfer is booked on one invoice: give its payment reference."
        ),
        "no_payment_to_reverse": (
            "This invoice holds no bank transfer of at least this amount that was not returned"
            " yet. Check the payment reference: match the return to the invoice the transfer was"
            " booked on."
        ),
        "no_invoice_for_patient": (
            "This practice has no invoices for this patient number. Check the practice and the"
            " patient number (as on the invoice, the case of its letters counts), or match the"
            " line to the invoice's payment reference."
        ),
        "match_target": "Give either a payment reference or a practice with a patient number.",
        "unknown_kenmerk": (
            "No invoice has this payment reference. Check its digits against the invoice or the"
            " bank statement."
        ),
        "credit_already_matched": (
            "This credit was matched before and is booked on {kenmerken}. Nothing was booked now."
        ),
        "credit_partly_booked": (
            "{booked_en} of this transfer is booked on {kenmerken} already; the rest"
            " ({left_en}) cannot go there too. Nothing was booked now: match the credit"
            " to another invoice for the rest."
        ),
        "remittance_exceeds_agency_collection": (
            "The collection agency reported the claim {kenmerk} paid; this transfer is more"
            " than the {awaited_en} it still has to transfer of it. Nothing was booked: ask"
            " the agency what the difference is for."
        ),
        "agency_transfer_or_patients_payment": (
            "The collection agency still has to transfer {awaited_en} for {kenmerken}, and"
            " this patient has other invoices open too. The patient number cannot tell"
            " whether this transfer is the agency's or the patient's own. Nothing was"
            " booked: match it to a payment reference."
        ),
        "agency_transfer_too_many_claims": (
            "This transfer would be booked on {claims} claims as money the collection"
            " agency transfers; one match books at most {limit}. Nothing was booked and the"
            " credit stays listed: ask the agency for transfers of at most {limit} claims"
            " each, or have the engineers book it in parts."
        ),
        "agency_row_fields": (
            "Line {line}: {count} fields, expected {expected}. Write one field for each column of"
            " the header row, separated by ;"
        ),
        "agency_row_reference": (
            "Line {line}: reference is not a betalingskenmerk of ours. Write the claim's"
            " betalingskenmerk as we gave it at the handover."
        ),
        "agency_row_agency_ref": "Line {line}: agency_ref must be 1-64 letters, digits or . _ / -.",
        "agency_row_status": "Line {line}: status must be paid or settled.",
        "agency_row_amount": (
            "Line {line}: amount_cents must be a whole number of cents, above 0 for paid, 0 or"
            " empty for settled."
        ),
        "agency_row_paid_on": "Line {line}: paid_on must be a date like 2027-02-15.",
        "agency_row_future": (
            "Line {line}: paid_on is in the future. Enter the day it was paid or settled:"
            " today or earlier."
        ),
        "agency_file_header": "The header row must be {columns}, separated by ;",
        "agency_file_not_utf8": (
            "The file is not UTF-8 text: line {line} (byte {offset}) contains a character that"
            f" cannot be read ({{byte}}). {SAVE_AS_UTF8_EN}"
        ),
        "agency_file_too_large": "Larger than {limit} bytes: split the file.",
        "agency_file_too_many_rows": "More than {limit} rows: split the file.",
        "agency_file_unreadable": (
            'Line {line} cannot be read as CSV, probably because of a quote (") that is not'
            " closed: close it or remove it."
        ),
        "agency_paid_before_invoice": (
            "Line {line}: paid_on {paid_on} is before the invoice's date ({issued}): nobody"
            " could pay it then. Nothing was booked: check paid_on and reference and send the"
            " row again."
        ),
        "agency_file_done_before": (
            "Every row of this file was done before: nothing new was booked or written off"
            " and no claim was closed now."
        ),
        "agency_rows_done_before": (
            "Done before and not booked again: {count} of this file's {rows} rows; the count"
            " of claims closed is of the other rows only."
        ),
        "agency_paid_exceeds_due": (
            "Line {line}: amount_cents {amount} is more than the claim still owed on {paid_on}"
            " ({due} cents). Nothing was booked: send the row again with the right amount."
        ),
        "no_such_entry": "This invoice has no ledger entry with that number.",
        "not_correctable": "Only a stop or a coulance can be corrected this way.",
        "more_than_open": (
            "That is more than the principal still open ({open_en}): stop at most"
            " {open_en}, or choose the whole invoice."
        ),
        "terms_not_accepted": "Accept the terms.",
        "unknown_reason": "Choose a reason from the list.",
        "patient_email_required": (
            "Fill in the patient's e-mail address: the invoice has one. Check it, or correct it."
        ),
        "not_sent": "The invoice has not been sent yet.",
        "fully_paid": (
            "This invoice has been paid in full. Have the payment refunded first; then an "
            "amount is open again to apply coulance to."
        ),
        "nothing_open": (
            "Nothing is open on this invoice any more: what was open has been stopped or"
            " forgiven already. There is nothing left to stop."
        ),
        "settled_by_insurer": (
            "Nothing is open on this invoice: the health insurer reimburses all of it and the"
            " patient has paid nothing. There is nothing to stop."
        ),
        "invalid_partial_stop": "Give either an amount or a percentage (of the original invoice amount).",
        "percentage_under_a_cent": (
            "That percentage of the original invoice amount ({original_en}) is less than 1"
            " cent: it lowers nothing. Fill in a higher percentage or an amount."
        ),
        "invalid_full_stop": (
            "A stop of the whole invoice takes no amount or percentage: leave them out, or"
            " choose a part."
        ),
        "paid": "This invoice has already been paid.",
        "hold_nothing_open": (
            "Nothing is open on this invoice any more: what was open has been stopped or"
            " forgiven already. There is nothing to put on hold."
        ),
        "with_collection_agency": (
            "This invoice has already been handed over to the collection agency: the "
            "reminders are over and a hold would pause nothing. The agency collects the "
            "claim; we pass a stop or coulance on to the agency."
        ),
        "hold_out_of_range": (
            "Choose a date after today and no later than {last_day_en}: an invoice is put on"
            " hold for at most {max_days} days, today included."
        ),
        "hold_limit_reached": (
            "An invoice can be put on hold for at most {max_days} days in total, renewals and"
            " the day it is placed included; this invoice has {days_left} left, today"
            " included. Choose a date no later than {last_day_en}."
        ),
        "hold_limit_used": (
            "An invoice can be put on hold for at most {max_days} days in total, renewals and"
            " the day it is placed included, and this invoice has none left for a day after"
            " today: it cannot be put on hold again."
        ),
        "not_a_proposal": "This action is not a coulance proposal.",
        "proposal_already_decided": (
            "This coulance proposal has already been decided otherwise, by a colleague or in"
            " another window. Refresh the action list to see the decision."
        ),
        # Setting an action's state (R23, R28, services/provider/actions.py).
        "decided_proposal_stays": (
            "This coulance proposal has been decided and the patient has been told the"
            " decision. A decided proposal is not opened again."
        ),
        "action_changed": (
            "This action was changed at the same moment, by a colleague or in another"
            " window. Refresh the action list to see where it stands."
        ),
        "invoice_changed": (
            "The invoice changed since you opened this page (a stop, payment or"
            " correction, by you in another window or by a colleague); nothing was"
            " booked. Below is the invoice as it is now: book the stop again if it is"
            " still needed."
        ),
        "role_too_low": (
            "Your role ({role}) may not do this; it takes the role {needed}. Ask your"
            " practice's administrator."
        ),
        "operators_only": "This part is for zorgnota's own staff only.",
        "practice_users_only": (
            "This part is for a practice's staff; your account belongs to no practice. Sign in"
            " with the account of a member of the practice's staff."
        ),
        "operator_only_setting": (
            "You cannot change {fields} yourself: zorgnota changes that setting after a check"
            " (as the bank account and the AGB codes). You change contact, dunning and"
            " coulance yourself. Please contact zorgnota."
        ),
        "stale_version": (
            "Someone else changed the settings in the meantime (now version {version})."
            " Fetch them again and make your change there."
        ),
        "provider_exists": (
            "A provider with this id exists already. Choose another id, or change the existing"
            " provider (PUT on its id, with its version)."
        ),
        "provider_unreadable": (
            "The stored settings of provider {provider_id} no longer validate ({reason})."
            " An operator replaces them: a PUT of the full settings with version {version}."
        ),
        "email_not_plausible": EMAIL_FORM_EN,
        "refund_id_fits_outcome": (
            "refund_id: the PSP's id of the refund (like re_4qqhO89gsT) when refunded, empty"
            " when failed"
        ),
        "refund_amount_fits_outcome": (
            "amount_cents: only for a refund the PSP paid (refunded), empty when failed"
        ),
        "website_not_web": (
            "Give the practice's web address, like www.praktijk.nl or https://www.praktijk.nl"
            " (only an address with http or https becomes a link on the payment page)."
        ),
        "code_all_zeros": (
            "A code of zeros only is not a real code: Vektis files fill an absent AGB code"
            " with zeros."
        ),
        "digits_not_ascii": (
            "Use only the digits 0 to 9: a code in other digit characters (such as full-width"
            " or Arabic-Indic ones) matches no Vektis file or register."
        ),
        "number_not_whole": "Enter a whole number, without quotes (not true or false).",
        "percentage_not_plain": (
            "Enter a percentage as a number or as a text of the digits 0 to 9 with at most"
            ' one point, such as 12.5 or "12.5" (no exponent, not true or false).'
        ),
        "choice_not_boolean": "Enter true or false, without quotes.",
        "arrangement_min_term_too_high": (
            "The minimum term amount of an instalment arrangement is at most €250.00:"
            " above it hardly any invoice could still get an arrangement. Choose €250.00 or less."
        ),
        "text_control_character": (
            "This text holds an invisible character or a line break (such as a direction"
            " mark or a null character). Type it again without such characters."
        ),
        "text_not_printed": (
            "This text holds a character, {character}, that the invoices and letters on"
            " paper cannot print, so it would be left out there. Write the text in Latin"
            " letters."
        ),
        "register_drops_insurers": (
            "This version leaves out UZOVI {codes}, which version {version} lists. A version"
            " lists every insurer: from {valid_from} zorgnota refuses every line with such a"
            " code (UZOVI_UNKNOWN), at every practice. If that is meant (the insurer merged or"
            ' stopped), send the version again with "drops": {drops}, under a new'
            " Idempotency-Key."
        ),
        "register_drops_contracted_insurers": (
            "This version leaves out UZOVI {codes}, which version {version} lists. A version"
            " lists every insurer: from {valid_from} zorgnota refuses every line with such a"
            " code (UZOVI_UNKNOWN), at every practice. Contracts running on or after"
            " {valid_from} name them: {contracts}. If that is meant (the insurer merged or"
            ' stopped), send the version again with "drops": {drops}, under a new'
            " Idempotency-Key."
        ),
        "register_drops_not_left_out": (
            '"drops" lists UZOVI {codes}, which this version does not leave out. List exactly'
            ' the codes it leaves out: "drops": {drops}.'
        ),
        "register_later_version_lacks": (
            "This version lists UZOVI {codes}, but version {version}, loaded already and in"
            " force from {valid_from}, does not: from {valid_from} zorgnota would refuse every"
            " line with such a code again (UZOVI_UNKNOWN), at every practice. Load version"
            " {valid_from} again with those rows added first. If the insurer stops on"
            ' {valid_from}, send this version again with "later_drops": {later_drops}, under'
            " a new Idempotency-Key."
        ),
        "register_later_drops_not_lost": (
            '"later_drops" lists UZOVI {codes}, which version {version} (from {valid_from})'
            " does not leave out after this version. List exactly the codes it leaves out:"
            ' "later_drops": {later_drops}.'
        ),
        "register_group_changes": (
            "This version puts UZOVI {changes} in another group than version {version}. From"
            " {valid_from} the group decides, at every practice, where the material costs"
            ' go: only those of group "VGZ" to the insurer first. If that is meant,'
            ' send the version again with "group_changes": {group_changes}, under a new'
            " Idempotency-Key."
        ),
        "register_group_changes_later": (
            "Loaded, this version changes the group of these UZOVI codes (date: code (old ->"
            " new group)): {changes}. Version {later_version}, loaded already and in force"
            " from {later_valid_from}, takes over from it; the version before it is {version}."
            " On each date the group decides, at every practice, where the material costs"
            ' go: only those of group "VGZ" to the insurer first. If that is meant, send'
            ' the version again with "group_changes": {group_changes}, under a new'
            " Idempotency-Key. If not, load version {later_valid_from} again with the group"
            " meant first."
        ),
        "register_group_changes_not_changed": (
            '"group_changes" lists UZOVI {codes}, whose group this version does not change.'
            ' List exactly the codes whose group it changes: "group_changes": {group_changes}.'
        ),
        "iban_invalid": (
            "This is not a valid IBAN: check the country code, the check digits and the number"
            " of characters (a Dutch IBAN has 18, like NL91 ABNA 0417 1643 00)."
        ),
        "iban_invalid_abroad": (
            "This is not a valid IBAN: check the country code, the check digits and the number"
            " of characters (an IBAN starting with {country} has {length})."
        ),
        "postcode_not_dutch": "Give a Dutch postcode: four digits and two letters, like 1234 AB.",
        "practice_code_missing": (
            "Name at least one AGB code of kind practice (the practice's code): it is printed on"
            " the invoices."
        ),
        "agb_code_twice": (
            "AGB code {agb} is in the list more than once: name each code once, with one kind."
        ),
        "contract_ends_before_start": (
            'A contract cannot end ("to") before it starts ("from"): check the dates.'
        ),
        "contracts_overlap": (
            "Two contracts with UZOVI {uzovi} overlap (from {starts}): one contract with an"
            " insurer holds on a day. Let the one end before the other starts."
        ),
        "coverage_prefix_twice": (
            'Two coverage rules have the same code prefix ("{prefix}"): the second would'
            " never apply. Give each prefix one rule."
        ),
        "user_exists": (
            "A user with this e-mail address exists already. If the address is in the"
            " practice's list of users, change the role there; if not, choose another e-mail"
            " address."
        ),
        "own_account": "You cannot change or disable your own account; ask another admin.",
        "last_admin": (
            "This is the practice's only active admin. First invite another admin (or give a"
            " colleague the admin role); otherwise nobody can change the practice's settings"
            " and users any more."
        ),
        # A file its retention rule deleted (legal-nl.md §8, shared/errors.NoLongerKept).
        "statement_no_longer_kept": (
            "This statement is no longer kept: statements are kept 7 years, then deleted."
        ),
        "letter_no_longer_kept": (
            "This letter is no longer kept: letters are kept with their invoice until 7 years"
            " after the year it was settled, then deleted."
        ),
        # Money out: payout and refund batches (R34, services/operator/money_out.py).
        "unknown_batch": "There is no batch with this number.",
        "week_before_practices": (
            "Week {week} ended before any practice existed: that week has no statement and no"
            " payout. The first practice exists since {first}."
        ),
        "unknown_kenmerk_in_refunds": (
            "Refund {number} (refunds.{position}.reference): no invoice has payment reference"
            " {kenmerk}. Check its digits against the invoice."
        ),
        "register_loaded_meanwhile": (
            "Another operator loaded a register version a moment ago: load this version"
            " again, and it is checked against the register as it is now."
        ),
        # Data migrations after a deploy (services/operator/migrations.py).
        "unknown_migration": "There is no data migration with this name.",
        "unknown_provider": "There is no provider with this id.",
        "batch_not_proposed": "This batch is not (or no longer) waiting for an approval.",
        # Proposing a week's payouts before its run wrote the statements (R24, R34).
        "payout_week_running": (
            "Week {week} is still running: it has no statements yet. The retrocession run of"
            " Monday {run_day} writes them and proposes the week's batch."
        ),
        "payout_week_not_built": (
            "No statement of week {week} has been written yet. Run the week's retrocession"
            " first (as_of {run_day}): it writes the statements and proposes the week's batch."
        ),
        "payout_week_unfinished": (
            "Only {written} of the {practices} statements of week {week} have been written:"
            " the retrocession run (as_of {run_day}) is still going or stopped. Wait until it"
            " has finished, or run it again: it writes the other statements and proposes the"
            " week's batch."
        ),
        "batch_sent": (
            "This batch was sent or is being sent and can no longer be withdrawn. If sending"
            " it broke off, approve it again to finish it."
        ),
        "payout_account_changed": (
            "The payout account of {practices} changed after this batch was proposed: it"
            " would pay the old account. Withdraw it and propose week {week} again; the new"
            " batch pays the account as it is in the settings then."
        ),
        "refund_booked": (
            "The refund of this batch for invoice {kenmerken} is booked already: the batch can"
            " no longer be withdrawn. Approve it again to make the bank file."
        ),
        "second_operator_needed": (
            "You approved this batch already. Above the configured total a second, different"
            " operator approves it (four eyes): ask a colleague to approve it."
        ),
        "no_credit_to_refund": "Invoice {kenmerk} holds no credit to refund.",
        "refund_above_credit": (
            "Invoice {kenmerk} holds {credit_en} of credit; no more is refunded. Refund at most"
            " {credit_en}."
        ),
        "psp_refund_pending": (
            "The credit on invoice {kenmerk} from an online payment is refunded through the"
            " payment provider. That refund was asked and not confirmed, and may have been paid"
            " already: check the payment in the payment provider's dashboard. A bank transfer"
            " pays back at most {by_bank_en} (credit from bank payments)."
        ),
        "no_psp_refund_pending": (
            "No refund of this payment was asked of the payment provider: there is nothing to"
            " settle."
        ),
        "psp_refund_settled": (
            "What the payment provider said of this refund is recorded already (another"
            " outcome or another refund). The patient is paid back once: check the invoice and"
            " the payment provider's dashboard."
        ),
        "psp_refund_id_known": (
            "The payment provider knows the refund booked on this payment ({booked}): there is"
            " nothing to correct. The patient is paid back once: check the invoice and the"
            " payment provider's dashboard."
        ),
        "psp_refund_id_corrected": (
            "The refund booked under {wrong} was corrected already: {by} booked it again under"
            " {right}, its id at the payment provider. Nothing was booked; the patient is paid"
            " back once."
        ),
        "psp_refund_above_asked": (
            "The payment provider was asked to refund {asked_en}; this refund cannot be more"
            " than that. Check the amount in the payment provider's dashboard."
        ),
        "unknown_psp_refund": (
            "The payment provider has no refund with this id on this payment (at Mollie a"
            " refund's id starts with re_). Nothing was booked: copy the refund's id from the"
            " payment provider's dashboard."
        ),
        "psp_refund_not_paid": (
            "The payment provider says this refund is {status}: nothing was paid back."
            " Nothing was booked: check the id, or record the refund as failed."
        ),
        "credit_from_psp_payment": (
            "The credit on invoice {kenmerk} comes from an online payment and goes back through"
            " the payment provider, not by bank transfer. A bank transfer pays back at most"
            " {by_bank_en} (credit from bank payments)."
        ),
        "psp_refund_pending_none_by_bank": (
            "The credit on invoice {kenmerk} from an online payment is refunded through the"
            " payment provider. That refund was asked and not confirmed, and may have been paid"
            " already: check the payment in the payment provider's dashboard. Nothing goes back"
            " by bank transfer: there is no credit from bank payments."
        ),
        "credit_from_psp_payment_none_by_bank": (
            "The credit on invoice {kenmerk} comes from an online payment and goes back through"
            " the payment provider, not by bank transfer. Nothing goes back by bank transfer:"
            " there is no credit from bank payments."
        ),
        "credit_awaited_from_agency": (
            "Of the credit on invoice {kenmerk}, {awaited_en} is money the collection agency"
            " collected and has not transferred to us yet: it is not in our account, and goes"
            " back once that transfer has come in. A bank transfer pays back at most {by_bank_en}"
            " now."
        ),
        "credit_awaited_from_agency_none_by_bank": (
            "Of the credit on invoice {kenmerk}, {awaited_en} is money the collection agency"
            " collected and has not transferred to us yet: it is not in our account, and goes"
            " back once that transfer has come in. Nothing goes back by bank transfer now."
        ),
        "iban_not_sepa": (
            "The refund for invoice {kenmerk} goes to an IBAN of {country}, a country outside"
            " SEPA: a SEPA credit transfer does not reach it. Ask the patient for an account in"
            " a SEPA country."
        ),
        "transfer_file_refused": (
            "The bank file of this batch cannot be made ({reason}). Nothing was booked or paid."
            " Withdraw the batch and propose a new one: it checks each transfer when proposed."
        ),
    },
    INPUTS: {
        "iso_week": "not an ISO week of that year, like 2026-W48",
        "iso_moment": "not an ISO 8601 moment like 2026-11-25T08:00:00Z",
        "moment_out_of_range": "too close to the year 1 or 9999: ask for everything since 2000-01-01",
        "not_a_parameter": "not a parameter of this route",
        "name_never_in_url": "never in a URL: search with POST {path}",
        "model_refused": "{reason_en}",
        "decision_closes_action": "a decision closes the action: send state done",
        "coulance_decision": "a coulance proposal is applied or declined",
        "month_out_of_range": "a month from {first} to {last}",
        "months_out_of_order": "from must be on or before to, at most {most} months",
        "cursor_with_reference": "not with a reference: its answer is one page",
        "from_after_to": "on or before to",
        "name_without_letters": "no letters or digits to search for",
        "malformed_kenmerk": "not a betalingskenmerk: 14 digits with a right check digit",
        "provider_id_fixed": "the provider id cannot change",
        "version_missing": "missing: send the version you read (GET), so that you overwrite no one else's change",
        "not_a_setting": "is no setting; you change contact, dunning and coulance yourself",
        "one_refund_per_invoice": "one refund per invoice, at least one",
        "refund_already_proposed": "an invoice in a refund batch not yet sent",
        "refund_holder_not_sepa": (
            "no character a bank accepts in a SEPA transfer (Latin letters, digits,"
            " / - ? : ( ) . , ' +)"
        ),
        "audit_period": "to must be on or after from, at most {most} days",
        "audit_too_long": "too many reads in this period for one file: ask for a shorter period",
        "block_changes_too_many": (
            "more than {most} changes since this moment for one file: ask from a later"
            " moment, or fetch them in pages with GET /api/v1/provider/blocked-patients/changes"
        ),
        "blocked_patients_too_many": (
            "more than {most} blocked patients for one file: fetch them in pages with"
            " GET /api/v1/provider/blocked-patients"
        ),
        "patient_ref_case": PATIENT_REF_CASE_EN,
        "not_an_amount": "not an amount in euros like 12,50",
        "not_a_number": "not a number like 12,5",
        "payout_iban_not_sepa": (
            "This IBAN is of {country}, a country outside SEPA: the weekly payout is a SEPA"
            " credit transfer and does not reach it. Give an account in a SEPA country."
        ),
        "payout_holder_not_sepa": (
            "The account holder's name has no character a bank accepts in a SEPA credit"
            " transfer (Latin letters, digits, / - ? : ( ) . , ' +)."
        ),
        "phone_too_few_digits": (
            "This phone number has fewer than {least} digits: a Dutch number has 10, like"
            " 020 612 3456 or +31 20 612 3456."
        ),
        "agb_code_taken": (
            "This AGB code belongs to provider {holder} already: a Vektis file belongs to the"
            " provider that holds its header's AGB code, so each code has one owner. Remove it"
            " there first if it moves to this practice."
        ),
        "agb_codes_changed_too_many": (
            "This change adds or removes {changed} AGB codes; one save can change at most"
            " {most}. Save the change in parts."
        ),
        "uzovi_not_in_register": (
            "UZOVI {uzovi} is not in zorgnota's insurer register (version {version}). The code"
            " has the right form: if the practice has a contract with this insurer, first load"
            " a register version that lists it."
        ),
        "register_line": "line {line}: {problem}",
        "register_header": "the header must be {columns}",
        "register_field_count": "{found} fields, {expected} expected",
        "register_unreadable": "cannot be read as CSV: a field is longer than {limit}"
        ' characters, probably because of a quote (") that is not closed',
        "register_uzovi_form": "uzovi must be 4 digits",
        "register_column_empty": "{column} is empty",
        "register_line_break": "{column} holds a line break (Alt+Enter in a cell, or a quote"
        " that is not closed)",
        "register_labels_separator": 'labels are separated by "|", like CZ|OHRA, not by a comma',
        "register_valid_from_form": "valid_from must be a date YYYY-MM-DD",
        "register_uzovi_twice": "uzovi {uzovi} is also on line {first}",
        "register_empty": "no insurers: a version lists every insurer",
        "register_valid_from_differs": (
            "valid_from {valid_from} differs from {first_valid_from} on line {first}: every row"
            " of one version has the same valid_from"
        ),
    },
    ACTIONS: {
        "handover_claim_settled": (
            "Nothing is owed on this claim any more (paid or stopped): there is no need to call"
            " the patient about it. zorgnota marked this action done."
        ),
        "handover_claim_owed_again": (
            "An amount is owed on this claim again (a payment came back or a stop was undone):"
            " the collection agency collects the claim again. Call your patient. zorgnota"
            " opened this action again."
        ),
        # Issue 13 item 1: a second file under one upload URL (or written around it).
        "upload_version_ignored": (
            "A second file arrived under upload {declaration_id}. An upload processes its first"
            " file only: the second was not processed. Request a new upload for that file."
        ),
        "payout_returned": (
            "The payout of {amount_en} ({transfer_id}) was returned by the bank (reason"
            " {reason}). Check the IBAN and account holder of your payout account with"
            " zorgnota; the amount is transferred again in the next weekly payout."
        ),
        # A patient under 18 without a debtor: the invoice went to the child (CSV without the
        # debtor_ columns, or a Vektis file without an 03, as insurer-bound files are).
        "minor_without_debtor": "Patient {patient_ref} is a minor and the invoice with payment reference {kenmerk} is addressed to the patient. Send us the name and address of a parent or guardian: in a Vektis file as an SB311 debtor record (03) right after the insured person record, or in a CSV file in the columns debtor_initials, debtor_last_name, debtor_street, debtor_house_number, debtor_postcode and debtor_city (debtor_email for a digital invoice).",
    },
}

PRACTICE = catalogue(nl=_DUTCH, en=_ENGLISH)


def finding_message(code: str, language: str, /, **values: object) -> str:
    """The sentence of a finding, with its line, field and params filled in."""
    return PRACTICE.text(FINDINGS, code, language, **values)


def refusal_sentences(code: str, /, **values: object) -> dict[str, str]:
    """A refusal in every language that has it (Dutch and English always)."""
    return PRACTICE.translations(REFUSALS, code, **values)


def dutch_and_english(code: str, /, **values: object) -> str:
    """A refusal as the APIs' error message gives it: 'the Dutch sentence / the English'."""
    sentences = refusal_sentences(code, **values)
    return f"{sentences['nl']} / {sentences['en']}"


def action_sentences(key: str, /, **values: object) -> dict[str, str]:
    """What an open action asks of the practice, in every language that has it."""
    return PRACTICE.translations(ACTIONS, key, **values)


def input_sentences(said_as: str, /, **values: object) -> dict[str, str]:
    """What a service finds wrong in a value of the request (``InvalidInput``), or in a
    line of an insurer register, in every language that has it (Dutch and English)."""
    return PRACTICE.translations(INPUTS, said_as, **values)


# What a validation problem (pydantic's ``type``) is, in Dutch, beside pydantic's English
# reason: 'query.limit: moet minstens 1 zijn / Input should be greater than or equal to 1'.
# ``ctx`` fills the braces; a kind not named here is said in general words.
_DUTCH_REASONS: Mapping[str, str] = {
    "missing": "ontbreekt",
    "extra_forbidden": "is geen veld van dit verzoek",
    "string_type": "moet tekst zijn",
    "string_too_short": "moet minstens {min_length} teken(s) hebben",
    "string_too_long": "mag hoogstens {max_length} tekens hebben",
    "string_pattern_mismatch": "heeft niet de vorm {pattern}",
    "int_type": "moet een geheel getal zijn",
    "int_parsing": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "decimal_parsing": "moet een getal zijn",
    "decimal_type": "moet een getal zijn",
    "decimal_max_places": "mag hoogstens {decimal_places} decimalen hebben",
    "decimal_whole_digits": "mag hoogstens {whole_digits} cijfers voor de komma hebben",
    "decimal_max_digits": "mag hoogstens {max_digits} cijfers hebben",
    "finite_number": "moet een eindig getal zijn",
    "greater_than": "moet groter zijn dan {gt}",
    "greater_than_equal": "moet minstens {ge} zijn",
    "less_than": "moet kleiner zijn dan {lt}",
    "less_than_equal": "mag hoogstens {le} zijn",
    "bool_type": "moet true of false zijn",
    "bool_parsing": "moet true of false zijn",
    "date_type": "moet een datum zijn (JJJJ-MM-DD)",
    "date_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "date_from_datetime_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "datetime_type": "moet een tijdstip zijn (ISO 8601)",
    "datetime_parsing": "moet een tijdstip zijn (ISO 8601)",
    "enum": "moet een van deze zijn: {expected}",
    "literal_error": "moet een van deze zijn: {expected}",
    "too_short": "moet minstens {min_length} element(en) hebben",
    "too_long": "mag hoogstens {max_length} elementen hebben",
    "list_type": "moet een lijst zijn",
    "tuple_type": "moet een lijst zijn",
    "dict_type": "moet een object zijn",
    "model_type": "moet een object zijn",
    "model_attributes_type": "moet een object zijn",
    "json_invalid": "is geen geldige JSON",
}
_INVALID = "is niet geldig"  # a kind of problem the table does not name
# A value that does not match its pattern, said by the form a person types rather than the
# regular expression (R24: "2026-53" is told "JJJJ-Www, bijv. 2026-W53"): pattern ->
# (Dutch, English). The patterns are providers/week.WEEK_PATTERN and
# collection/debtor_risk.MONTH_PATTERN (tests/unit/test_pattern_forms.py keeps them equal).
_PATTERN_FORMS: Mapping[str, tuple[str, str]] = {
    r"^(?P<year>\d{4})-W(?P<week>\d{2})$": (
        "heeft niet de vorm JJJJ-Www, bijv. 2026-W53",
        "should have the form YYYY-Www, e.g. 2026-W53",
    ),
    r"^\d{4}-(0[1-9]|1[0-2])$": (
        "heeft niet de vorm JJJJ-MM, bijv. 2026-03",
        "should have the form YYYY-MM, e.g. 2026-03",
    ),
}


# Words two fields share (a contract's and a register's UZOVI code; a provider id).
_UZOVI = r"^\d{4}$"  # providers/provider.Uzovi: a contract's code, a register's codes
_UZOVI_FORM = (
    "is geen UZOVI-code (4 cijfers, zoals 9664)",
    "is not a UZOVI code (4 digits, like 9664)",
)
_PROVIDER_ID_FORM = (
    "heeft niet de vorm van een id (2 tot 63 kleine letters, cijfers of streepjes, niet"
    " beginnend met een streepje, zoals fysio-west)",
    "is not the form of an id (2 to 63 lower-case letters, digits or hyphens, not"
    " starting with a hyphen, like fysio-west)",
)


# A provider setting that does not match its pattern (providers/provider.py), said by what
# the field is and how it is typed (R31, audit onboard5: a KvK number and an AGB code were
# both told "heeft niet de vorm ^\\d{8}$"): (the field's name, its pattern) -> (Dutch,
# English). Keyed by the name too: one pattern is a KvK number in one field, an AGB code in
# another (tests/unit/test_pattern_forms.py types each wrong through the model).
_FIELD_FORMS: Mapping[tuple[str, str], tuple[str, str]] = {
    ("kvk", r"^\d{8}$"): (
        "is geen KvK-nummer (8 cijfers, zoals 12345678)",
        "is not a KvK number (8 digits, like 12345678)",
    ),
    ("code", r"^\d{8}$"): (
        "is geen AGB-code (8 cijfers, zoals 04123456)",
        "is not an AGB code (8 digits, like 04123456)",
    ),
    ("uzovi", _UZOVI): _UZOVI_FORM,
    ("email", r"^[^@\s]+@[^@\s]+\.[^@\s]+$"): (
        EMAIL_FORM_NL,
        EMAIL_FORM_EN,
    ),
    ("phone", r"^\+?[0-9 ()-]{8,20}$"): (
        "is geen telefoonnummer (8 tot 20 cijfers, spaties, haakjes of streepjes,"
        " zoals 020 612 3456 of +31 20 612 3456)",
        "is not a phone number (8 to 20 digits, spaces, brackets or hyphens,"
        " like 020 612 3456 or +31 20 612 3456)",
    ),
    ("house_number", r"^\d{1,5}$"): (
        "is geen huisnummer (alleen cijfers, zoals 120; een toevoeging als A of bis in"
        " house_number_suffix)",
        "is not a house number (digits only, like 120; an addition like A or bis in"
        " house_number_suffix)",
    ),
    ("provider_id", r"^[a-z0-9][a-z0-9-]{1,62}$"): _PROVIDER_ID_FORM,
    # A path's invoice or kenmerk (interfaces.md §2, §6; inputs54): a kenmerk typed where
    # the invoice id goes is told where a kenmerk is looked up, as typed or pasted. The
    # patterns are invoices/invoice.INVOICE_ID_PATTERN and shared/reference.
    # REFERENCE_PATTERN (tests/unit/test_pattern_forms.py keeps them equal).
    ("invoice_id", r"^[0-9a-f-]{36}$"): (
        "is geen nota-id (36 tekens: cijfers, a-f en streepjes, zoals invoice_id in de"
        " lijst), een betalingskenmerk zoekt u met GET /api/v1/provider/invoices?reference=",
        "is not an invoice id (36 characters: digits, a-f and hyphens, as invoice_id in the"
        " list), look a betalingskenmerk up with GET /api/v1/provider/invoices?reference=",
    ),
    ("reference", r"^[0-9]{14}$"): (
        "is geen betalingskenmerk (14 cijfers, zonder spaties of punten, zoals 32155743889456)",
        "is not a betalingskenmerk (14 digits, without spaces or dots, like 32155743889456)",
    ),
    # Every other id a route takes in its path (interfaces.md §2; paths54: 11 of 27 path
    # parameters were told as a regular expression): what it looks like and where it is
    # found. tests/unit/test_pattern_forms.py reads every pattern of a path or query
    # parameter from docs/openapi, so a pattern added or changed there without words fails.
    ("action_id", r'^[!"$&-.0->@-~]{1,128}$'): (
        "is geen actie-id (1 tot 128 tekens zonder spatie, #, %, / of ?, zoals"
        " handover-2026-11-23-<nota-id>: action_id in GET /api/v1/provider/actions)",
        "is not an action id (1 to 128 characters without a space, #, %, / or ?, like"
        " handover-2026-11-23-<invoice id>: action_id in GET /api/v1/provider/actions)",
    ),
    ("declaration_id", r"^[A-Za-z0-9-]{1,64}$"): (
        "is geen upload-id (1 tot 64 letters, cijfers of streepjes, zoals"
        " 20261123093000-a1b2c3d4: declaration_id in GET /api/v1/provider/declarations)",
        "is not an upload id (1 to 64 letters, digits or hyphens, like"
        " 20261123093000-a1b2c3d4: declaration_id in GET /api/v1/provider/declarations)",
    ),
    ("batch_id", r"^(PO|RF)-[0-9A-Za-z-]{1,30}$"): (
        "is geen batchnummer (PO- of RF- en 1 tot 30 letters, cijfers of streepjes, zoals"
        " PO-2026-W48 of RF-20261123-a1b2c3: batch_id in het antwoord dat de batch voorstelde)",
        "is not a batch id (PO- or RF- and 1 to 30 letters, digits or hyphens, like"
        " PO-2026-W48 or RF-20261123-a1b2c3: batch_id in the answer that proposed the batch)",
    ),
    ("batch_id", r"^PO-[0-9A-Za-z-]{1,30}$"): (
        "is geen uitbetalingsbatch (PO- en 1 tot 30 letters, cijfers of streepjes, zoals"
        " PO-2026-W48); een terugbetalingsbatch (RF-...) trekt u in met POST"
        " /api/v1/operator/refunds/<batch_id>/withdraw",
        "is not a payout batch (PO- and 1 to 30 letters, digits or hyphens, like"
        " PO-2026-W48); withdraw a refund batch (RF-...) with POST"
        " /api/v1/operator/refunds/<batch_id>/withdraw",
    ),
    ("batch_id", r"^RF-[0-9A-Za-z-]{1,30}$"): (
        "is geen terugbetalingsbatch (RF- en 1 tot 30 letters, cijfers of streepjes, zoals"
        " RF-20261123-a1b2c3: batch_id in het antwoord van POST /api/v1/operator/refunds)",
        "is not a refund batch (RF- and 1 to 30 letters, digits or hyphens, like"
        " RF-20261123-a1b2c3: batch_id in the answer of POST /api/v1/operator/refunds)",
    ),
    ("credit_id", r"^[0-9a-f]{20}$"): (
        "is geen tegoed-id (20 tekens: cijfers en a-f, zoals 3f1c0a528d0e4b7a9c55:"
        " credit_id in GET /api/v1/operator/unmatched-credits)",
        "is not a credit id (20 characters: digits and a-f, like 3f1c0a528d0e4b7a9c55:"
        " credit_id in GET /api/v1/operator/unmatched-credits)",
    ),
    ("psp_payment_id", r"^[A-Za-z0-9_]{1,64}$"): (
        "is geen betalings-id van de PSP (1 tot 64 letters, cijfers of liggende streepjes,"
        " zoals tr_WDqYK6vllg: een van psp_payments_pending in GET /api/v1/operator/refunds)",
        "is not a PSP payment id (1 to 64 letters, digits or underscores, like"
        " tr_WDqYK6vllg: one of psp_payments_pending in GET /api/v1/operator/refunds)",
    ),
    ("migration", r"^[a-z0-9][a-z0-9-]{1,80}$"): (
        "is geen naam van een datamigratie (2 tot 81 kleine letters, cijfers of streepjes,"
        " niet beginnend met een streepje, zoals credit-index)",
        "is not the name of a data migration (2 to 81 lower-case letters, digits or hyphens,"
        " not starting with a hyphen, like credit-index)",
    ),
    # The operator API's request bodies (interfaces.md §2, §6; bodyforms54: 5 of 17 body
    # fields with a pattern were told as a regular expression). tests/unit/
    # test_pattern_forms.py reads every request body's pattern from docs/openapi too.
    # An insurer register's confirmed codes (operator_models.RegisterIn, each a UZOVI code):
    ("drops", _UZOVI): _UZOVI_FORM,
    ("later_drops", _UZOVI): _UZOVI_FORM,
    ("group_changes", _UZOVI): _UZOVI_FORM,
    # A data migration for one practice, or left empty for every practice (MigrationIn):
    ("provider_id", r"^([a-z0-9][a-z0-9-]{1,62})?$"): (
        f"{_PROVIDER_ID_FORM[0]}, of leeg voor elke praktijk",
        f"{_PROVIDER_ID_FORM[1]}, or empty for every practice",
    ),
    # The PSP's id of a refund its dashboard shows as paid, empty when it failed
    # (PspRefundOutcomeIn):
    ("refund_id", r"^([A-Za-z0-9_]{1,64})?$"): (
        "is geen terugbetalings-id van de PSP (1 tot 64 letters, cijfers of liggende"
        " streepjes, zoals re_4qqhO89gsT uit het dashboard van de PSP), of leeg bij failed",
        "is not a PSP refund id (1 to 64 letters, digits or underscores, like re_4qqhO89gsT"
        " from the PSP's dashboard), or empty when failed",
    ),
}


# A rule's own refusal of a text typed wrong (raised as "Dutch / English", shared.
# settings_rules.refused), said by the portal's form as by the API. Not the rules of a value
# sent as JSON (number_not_whole, percentage_not_plain, choice_not_boolean: "without quotes,
# not true or false"): the portal reads what is typed in a number's field itself, and its
# form names the field's bounds (portal51b).
_TYPED_TEXT_RULES = frozenset(
    {"email_not_plausible", "website_not_web", "text_control_character", "text_not_printed"}
)


def typed_form(problem: Mapping[str, Any]) -> tuple[str, str] | None:
    """How a value refused for its form is typed, (Dutch, English): a value that does not
    match its pattern (pydantic's ``string_pattern_mismatch``) by what the field is
    (_FIELD_FORMS, _PATTERN_FORMS), a text a rule refuses (_TYPED_TEXT_RULES) in the rule's
    words without their full stop; None for any other problem. One text for the API's
    refusal (validation_reasons) and the portal's form (pages._invalid_form; leftovers51:
    the form said only "E-mailadres", portal51b: only "Website")."""
    if problem.get("type") in _TYPED_TEXT_RULES:
        dutch, _, english = str(problem.get("msg", "")).partition(" / ")
        return dutch.removesuffix("."), english.removesuffix(".")
    if problem.get("type") != "string_pattern_mismatch":
        return None
    pattern = str(problem.get("ctx", {}).get("pattern"))
    named = [str(part) for part in problem.get("loc", ()) if isinstance(part, str)]
    form = _FIELD_FORMS.get((named[-1], pattern)) if named else None
    return form or _PATTERN_FORMS.get(pattern)


def validation_reasons(problem: Mapping[str, Any]) -> dict[str, str]:
    """A validation problem's reason (pydantic's error: ``type``, ``msg``, ``ctx``) as
    ``reason_nl`` and ``reason_en``: its kind in Dutch, pydantic's words in English. A
    rule's own refusal (raised with these texts' "Dutch / English") keeps its own two."""
    english = str(problem.get("msg", "invalid"))
    if " / " in english:
        dutch, english = english.split(" / ", 1)
        return {"reason_nl": dutch, "reason_en": english}
    form = typed_form(problem)
    if form is not None:
        return {"reason_nl": form[0], "reason_en": form[1]}
    pattern = _DUTCH_REASONS.get(str(problem.get("type")), _INVALID)
    try:
        dutch = pattern.format(**_in_dutch(problem.get("ctx", {})))
    except (KeyError, IndexError):  # a pydantic version naming its limits otherwise
        dutch = _INVALID
    typed = typed_length(problem)
    if typed is not None and dutch != _INVALID:
        # As the portal's form says it (words52b: the API said only the limit).
        dutch, english = f"{dutch}, u typte er {typed}", f"{english}, you typed {typed}"
    return {"reason_nl": dutch, "reason_en": english}


def typed_length(problem: Mapping[str, Any]) -> int | None:
    """How long a text refused as too long (pydantic's ``string_too_long``) was typed, as
    the API's refusal and the portal's form both say it; None for any other problem, or one
    that does not carry what was typed. Counted as the model counts it: a model that drops
    the white space around a text counts it without, and its problem still carries the text
    as typed; without it only while that is still over the limit, the count the model made."""
    typed = problem.get("input")
    if problem.get("type") != "string_too_long" or not isinstance(typed, str):
        return None
    limit = problem.get("ctx", {}).get("max_length")
    stripped = len(typed.strip())
    return stripped if isinstance(limit, int) and stripped > limit else len(typed)


# The last of pydantic's choices ("'json' or 'csv'", "'a', 'b' or 'c'"): its "or" said in
# Dutch, not inside a choice ("'c or d'" stays).
_LAST_CHOICE = re.compile(r" or ('[^']*'|[^ ,']+)$")


def _in_dutch(ctx: Mapping[str, Any]) -> Mapping[str, Any]:
    """What a problem names, as the Dutch reason names it: an enum's or a literal's
    ``expected`` choices joined with "of" (the API said "moet een van deze zijn: 'json'
    or 'csv'", audit paths50)."""
    expected = ctx.get("expected")
    if not isinstance(expected, str):
        return ctx
    return {**ctx, "expected": _LAST_CHOICE.sub(r" of \1", expected)}
