"""The e-mails and PDFs in Polish (R9, R7, R19, R30): the sections of ``texts.letters``
(invoice, dunning, confirmations), key for key.

The greeting is "Dzień dobry, {name}," rather than "Szanowna Pani / Szanowny Panie": the
letter knows neither the addressee's sex nor a vocative of a Dutch full name, and "Dzień
dobry" is the accepted formal opening of a Polish e-mail. Counts are written "(liczba:
{count})" so that no Polish plural form (2 faktury, 5 faktur) has to be chosen.
"""

from __future__ import annotations

from billing_core.texts.catalogue import Section, Sections

_REFERENCE = "numer referencyjny płatności"
_GREETING = "Dzień dobry, {name},"
_CLOSING = "Z poważaniem,"
_SIGNATURE = "zorgnota, w imieniu {provider}"
_PAY_LINK_INTRO = "Zapłacić można online przez iDEAL:"
_NEW_AMOUNT = "Pozostało do zapłaty {amount}, najpóźniej do {date}."
# Not yet read by a native speaker (README, Languages): once the date has passed (R36).
_NEW_AMOUNT_PASSED = "Pozostało do zapłaty {amount}."
_NOTHING_LEFT = "Nic nie pozostało do zapłaty."
_OVERPAID = "Nadpłata wynosi {amount}. Zwrócimy tę kwotę."
# The agency collects a claim handed over (R22, R34): pay it, not our link.
_WITH_AGENCY = (
    "Pozostało do zapłaty {amount}. Ta faktura została przekazana do biura "
    "windykacyjnego. W sprawie płatności prosimy skontaktować się z biurem "
    "windykacyjnym."
)
_FOOTER = "zorgnota obsługuje faktury świadczeniodawcy {provider} (kod AGB {agb})."
_PAGE = "Strona {page} z {pages}"
_PAY_ONLINE_AT = f"Zapłać online przez iDEAL: proszę wejść na {{url}} i wpisać {_REFERENCE}."

_INVOICE: Sections = {
    "common": {
        "sender_line": "zorgnota w imieniu {provider}",
        "provider_in_city": "{provider}, {city}",
        "amount_due": "Do zapłaty",
        "final_payment_date": "Termin płatności",
        # Not yet read by a native speaker (README, Languages); the checker's words.
        "pay_by_passed": "Termin płatności upłynął dnia",
        # Short enough for the PDF's label column (37 mm); "płatności" is in every sentence.
        "reference": "Numer referencyjny",
        "patient": "Pacjent",
        "birth_date": "Data urodzenia",
        "reimbursement_deducted": (
            "Pana/Pani ubezpieczyciel zdrowotny zwraca {amount} z tej faktury. Ta kwota "
            "została już odliczona: płaci Pan/Pani tylko część, która nie podlega zwrotowi."
        ),
        "pay_online": "Zapłać online przez iDEAL",
        "more_time": (
            "Potrzebuje Pan/Pani więcej czasu? Proszę wpisać numer referencyjny płatności "
            "na stronie sprawdzania płatności {checker_url}. Można tam jeden raz bezpłatnie "
            "odroczyć termin płatności lub ustalić plan ratalny."
        ),
        "more_time_deferral": (
            "Potrzebuje Pan/Pani więcej czasu? Proszę wpisać numer referencyjny płatności "
            "na stronie sprawdzania płatności {checker_url}. Można tam jeden raz bezpłatnie "
            "odroczyć termin płatności."
        ),
        "questions": "Pytania dotyczące leczenia? Proszę skontaktować się z {provider}.",
        "phone": "Telefon {value}",
        "email": "E-mail {value}",
        "hours": "Godziny kontaktu: {hours}",
        "contact_heading": "Pytania dotyczące leczenia? Proszę skontaktować się z {provider}:",
        "more_information": (
            "Najczęstsze pytania: {faq}  ·  Warunki płatności: {terms}  ·  Prywatność: {privacy}"
        ),
        # legal-nl.md §7, R37: non-contracted care is claimed first, then paid.
        "dont_pay_yet_heading": "Uwaga: proszę jeszcze nie płacić tej faktury",
        "dont_pay_yet": (
            "Świadczeniodawca nie ma umowy z Pana/Pani ubezpieczycielem zdrowotnym. Proszę "
            "też jeszcze nie ustalać planu ratalnego. Najpierw proszę złożyć tę fakturę u "
            "ubezpieczyciela. Następnie proszę wpisać kwoty z rozliczenia od ubezpieczyciela "
            "na stronie sprawdzania płatności {checker_url}: skorygowaną kwotę z nowym "
            "terminem płatności otrzyma Pan/Pani {by_channel_pl}. Jeśli ubezpieczyciel długo "
            "zwleka "
            "z wypłatą, można na stronie sprawdzania płatności bezpłatnie odroczyć termin "
            "płatności."
        ),
        # Not yet read by a native speaker (README, Languages): legal-nl.md §7, after the
        # amount while "don't pay yet" holds.
        "pay_not_yet": (
            "Proszę jeszcze nie płacić: skorygowaną kwotę z nowym terminem płatności otrzyma "
            "Pan/Pani {by_channel_pl}."
        ),
    },
    "email": {
        "automated": (
            "Ta wiadomość została wysłana automatycznie. zorgnota wysyła faktury i przyjmuje "
            "płatności w imieniu świadczeniodawców opieki zdrowotnej."
        ),
        # Not yet read by a native speaker (README, Languages): legal-nl.md §7, what is
        # due while "don't pay yet" holds; pay_not_yet follows.
        "amount_now": "Kwota wynosi teraz {amount}.",
        # Not yet read by a native speaker (README, Languages): under a running arrangement
        # (R15, R36), the next term and the extra one; the labels are the checker's words.
        "arrangement_open": "Pozostało do zapłaty {amount}.",
        "arrangement_next_term": (
            "Plan ratalny obowiązuje nadal na uzgodnionych warunkach: następna rata wynosi "
            "{term} i należy ją zapłacić najpóźniej do {date}."
        ),
        "arrangement_next_term_passed": (
            "Plan ratalny obowiązuje nadal na uzgodnionych warunkach: zaległa rata wynosi {term}."
        ),
        "arrangement_rest_term": (
            "Po ostatniej racie płaci Pan/Pani jeszcze {amount} jako dodatkową ratę, "
            "najpóźniej do {date}."
        ),
        # The account as the letters' pay_transfer names it (audit letters58); this
        # sentence not yet read by a native speaker (README, Languages).
        "transfer_to_account": (
            "Można też przelać kwotę na rachunek {iban}, odbiorca: {holder}, z numerem "
            "referencyjnym płatności {reference} w tytule przelewu."
        ),
        "arrangement_term": "Następna rata",
        "arrangement_pay_by": "Następna rata najpóźniej",
        "arrangement_pay_by_passed": "Termin zaległej raty upłynął dnia",
        # Not yet read by a native speaker (README, Languages): R21, R13, legal-nl.md §2-§5.
        "left_costs_and_interest": (
            "Za leczenie nie trzeba już nic płacić. Pozostała kwota to pozasądowe koszty "
            "windykacji i odsetki ustawowe."
        ),
        "left_costs": (
            "Za leczenie nie trzeba już nic płacić. Pozostała kwota to pozasądowe koszty "
            "windykacji."
        ),
        "left_interest": (
            "Za leczenie nie trzeba już nic płacić. Pozostała kwota to odsetki ustawowe."
        ),
        # R15: the fee named as the plan's (the checker's "Koszt planu ratalnego").
        "left_fee": (
            "Za leczenie nie trzeba już nic płacić. Pozostała kwota to koszt planu ratalnego."
        ),
        "left_costs_and_fee": (
            "Za leczenie nie trzeba już nic płacić. Pozostała kwota to pozasądowe koszty "
            "windykacji i koszt planu ratalnego."
        ),
        "left_fee_and_interest": (
            "Za leczenie nie trzeba już nic płacić. Pozostała kwota to koszt planu ratalnego "
            "i odsetki ustawowe."
        ),
        "left_costs_fee_and_interest": (
            "Za leczenie nie trzeba już nic płacić. Pozostała kwota to pozasądowe koszty "
            "windykacji, koszt planu ratalnego i odsetki ustawowe."
        ),
    },
    "email.invoice": {
        "subject": f"Faktura od {{provider}} - {_REFERENCE} {{reference}}",
        "greeting": _GREETING,
        "intro": "W imieniu {provider} przesyłamy fakturę za Pana/Pani leczenie.",
        "intro_for_patient": (
            "W imieniu {provider} przesyłamy fakturę za leczenie. Pacjent: {patient}."
        ),
        "request": "Prosimy o zapłatę {amount} najpóźniej do {date}.",
        "pay_link_intro": "Zapłacić można od razu online przez iDEAL:",
        "attachment": (
            "W załączniku (PDF) znajduje się faktura z wykazem zabiegów i danymi do zapłaty "
            "przelewem bankowym."
        ),
        "statement_link_intro": (
            "Rozliczenie od ubezpieczyciela proszę przesłać na stronie sprawdzania płatności:"
        ),
        "send_statement": "Prześlij rozliczenie",
        "attachment_to_claim": (
            "W załączniku (PDF) znajduje się faktura z wykazem zabiegów: tę fakturę proszę "
            "złożyć u ubezpieczyciela."
        ),
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
    "pdf.invoice": {
        "title": "Faktura",
        "invoice_date": "Data faktury",
        "agb_code": "Kod AGB placówki",
        "intro": "W imieniu {provider} wystawiamy rachunek za następujące zabiegi.",
        "col_date": "Data",
        "col_code": "Kod",
        "col_description": "Opis",
        "col_amount": "Kwota",
        "col_reimbursed": "Zwrot",
        "col_to_pay": "Do zapłaty",
        "quantity": "{quantity} × {unit_price}",
        "total": "Razem",
        "reimbursed_total": "Zwrot od ubezpieczyciela zdrowotnego",
        "payment_heading": "Jak zapłacić",
        "pay_transfer": (
            "Proszę przelać {amount} najpóźniej do {date} na rachunek {iban}, odbiorca: "
            "{holder}, z numerem referencyjnym płatności {reference} w tytule przelewu."
        ),
        "pay_online_at": (
            f"Można też zapłacić online przez iDEAL: proszę wejść na {{url}} i wpisać {_REFERENCE}."
        ),
        # Not yet read by a native speaker (README, Languages): "{by_channel_pl}" is "e-mailem"
        # or "pocztą" (catalogue.by_channel, R7), here and in dont_pay_yet.
        "pay_adjusted_transfer": (
            "Proszę zapłacić dopiero skorygowaną kwotę, którą otrzyma Pan/Pani {by_channel_pl}, "
            "w podanym wraz z nią terminie: przelewem na rachunek {iban}, odbiorca: {holder}, z numerem referencyjnym "
            "płatności {reference} w tytule przelewu."
        ),
        "send_statement_at": (
            "Rozliczenie od ubezpieczyciela proszę przesłać na stronie sprawdzania płatności: "
            f"proszę wejść na {{url}} i wpisać {_REFERENCE}."
        ),
        "qr_caption_statement": "Zeskanuj i prześlij rozliczenie",
        "footer": _FOOTER,
        "page": _PAGE,
        "qr_caption": "Zeskanuj, aby zapłacić online",
        # Not yet read by a native speaker (README, Languages): the copy served later (R36),
        # its heading saying how it was sent (R7).
        "copy_heading": "To jest faktura w wersji wysłanej {by_channel_pl} dnia {date}",
        "copy_due": (
            "Od tego czasu nastąpiły zmiany. Obecnie do zapłaty jest {amount}, najpóźniej do "
            "{date}: obowiązują ta kwota i ten termin, a nie podane poniżej."
        ),
        "copy_due_passed": (
            "Od tego czasu nastąpiły zmiany. Obecnie do zapłaty jest {amount}: obowiązuje ta "
            "kwota, a nie podana poniżej."
        ),
        "copy_next_term": (
            "Od tego czasu nastąpiły zmiany. Obowiązuje plan ratalny: następna rata wynosi "
            "{amount} i należy ją zapłacić najpóźniej do {date}."
        ),
        "copy_nothing_due": "Od tego czasu nastąpiły zmiany: nic nie pozostało do zapłaty.",
        # Not yet read by a native speaker (README, Languages): R17, legal-nl.md §7.
        "copy_coulance_decision": (
            "Od tego czasu nastąpiły zmiany: otrzymaliśmy rozliczenie od Pana/Pani "
            "ubezpieczyciela zdrowotnego, a świadczeniodawca decyduje teraz o skorygowanej "
            "kwocie. Otrzyma ją Pan/Pani {by_channel_pl} wraz z nowym terminem płatności. Do "
            "tego czasu proszę jeszcze nie płacić."
        ),
        # Not yet read by a native speaker (README, Languages): R7, the adjusted amount
        # comes otherwise than the invoice as sent said.
        "copy_comes_by": (
            "Od tego czasu nastąpiły zmiany: skorygowaną kwotę z nowym terminem płatności "
            "otrzyma Pan/Pani {by_channel_pl}. Do tego czasu proszę jeszcze nie płacić."
        ),
        # Not yet read by a native speaker (README, Languages): legal-nl.md §7, the amount
        # changed while "don't pay yet" holds; pay_not_yet follows.
        "copy_amount_now": "Od tego czasu nastąpiły zmiany: kwota wynosi teraz {amount}.",
        "copy_checker": "Aktualny stan faktury można sprawdzić na stronie sprawdzania płatności {url}.",
        "file_name": "faktura-{reference}.pdf",
    },
}

# How to pay: the same in the reminder and the second notice.
_HOW_TO_PAY: Section = {
    "how_heading": "Jak zapłacić",
    "pay_link_intro": "Zapłacić można od razu online przez iDEAL:",
    "pay_links_intro": "Zapłać online przez iDEAL, osobno za każdą fakturę:",
    "pay_transfer": (
        "Można też przelać {amount} na rachunek {iban}, odbiorca: {holder}, z numerem "
        "referencyjnym płatności {reference} w tytule przelewu."
    ),
    "pay_transfer_several": (
        "Można też przelać kwotę każdej faktury osobno na rachunek {iban}, odbiorca: "
        "{holder}, z numerem referencyjnym płatności tej faktury w tytule przelewu. Dzięki "
        "temu wiemy, którą fakturę Pan/Pani opłaca."
    ),
    "arrangement": (
        "Nie może Pan/Pani zapłacić całości naraz? Proszę wpisać numer referencyjny "
        "płatności na stronie sprawdzania płatności {checker_url} i najpóźniej do {date} "
        "ustalić plan ratalny."
    ),
    # R15: instead, when the checker would refuse one. Not yet reviewed by a native speaker.
    "arrangement_via_practice": (
        "Nie może Pan/Pani zapłacić całości naraz? Proszę najpóźniej do {date} "
        "skontaktować się z {provider}."
    ),
}

_PAY_BY = "Zapłata najpóźniej do"

_DUNNING: Sections = {
    "email.dunning_reminder": {
        "subject": (
            f"Upomnienie: faktura od {{provider}} nie została zapłacona - {_REFERENCE} "
            "{reference}"
        ),
        "subject_several": "Upomnienie: niezapłacone faktury od {provider} (liczba: {count})",
        "greeting": _GREETING,
        "intro": (
            "Według naszych danych faktura od {provider} nie została jeszcze zapłacona (w "
            "całości). Termin płatności minął."
        ),
        "intro_several": (
            "Według naszych danych faktury od {provider} (liczba: {count}) nie zostały "
            "jeszcze zapłacone (w całości). Termin płatności minął."
        ),
        "col_reference": "Numer referencyjny płatności",
        "col_invoice_date": "Data faktury",
        "col_due": "Niezapłacone",
        # R15: the fee of a cancelled arrangement still owed, its own line under the invoice
        "fee_line": "Koszt planu ratalnego",
        "total_due": "Razem do zapłaty",
        # art. 6:96 lid 6 BW: the amount, the term (the phrase and the computed date).
        "request": "Prosimy o zapłatę {amount} {term}, czyli najpóźniej do {date}.",
        # art. 6:96 lid 6 BW: the concrete collection costs if the term passes.
        "costs": (
            "Jeśli płatność nie nastąpi w tym terminie, należne będą dodatkowo pozasądowe "
            "koszty windykacji w wysokości {costs} (art. 6:96 holenderskiego kodeksu "
            "cywilnego, BW, obliczone według ustawowej skali od niezapłaconej kwoty głównej)."
        ),
        "interest": (
            "Naliczymy wtedy również odsetki ustawowe (art. 6:119 BW) od {date}: pierwszego "
            "dnia zwłoki."
        ),
        "interest_each": (
            "Naliczymy wtedy również odsetki ustawowe (art. 6:119 BW), dla każdej faktury od "
            "pierwszego dnia zwłoki: {dates}."
        ),
        "interest_each_item": "{reference} od {date}",
        **_HOW_TO_PAY,
        "already_paid": (
            "Jeśli płatność została już dokonana, prosimy uznać to upomnienie za bezprzedmiotowe."
        ),
        "attachment": "W załączniku (PDF) znajduje się to upomnienie w formie pisma.",
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
    "pdf.dunning_reminder": {
        "title": "Upomnienie",
        "file_name": "upomnienie-{reference}.pdf",
        "letter_date": "Data",
        "pay_by": _PAY_BY,
        "pay_online_at": _PAY_ONLINE_AT,
        "footer": _FOOTER,
        "page": _PAGE,
    },
    "email.second_notice": {
        "subject": (
            f"Ostateczne wezwanie do zapłaty: faktura od {{provider}} - {_REFERENCE} {{reference}}"
        ),
        "subject_several": (
            "Ostateczne wezwanie do zapłaty: faktury od {provider} (liczba: {count})"
        ),
        "greeting": _GREETING,
        "intro": (
            "Dnia {date} wysłaliśmy upomnienie dotyczące faktury od {provider}. Jego termin "
            "upłynął dnia {final_date}, a płatność nie wpłynęła do nas (w całości)."
        ),
        "intro_several": (
            "Dnia {date} wysłaliśmy upomnienie dotyczące faktur od {provider} (liczba: "
            "{count}). Jego termin upłynął dnia {final_date}, a płatność nie wpłynęła do nas "
            "(w całości)."
        ),
        "now_due": (
            "Dlatego należne są teraz również zapowiedziane pozasądowe koszty windykacji "
            "(art. 6:96 BW) oraz odsetki ustawowe (art. 6:119 BW). Do zapłaty jest teraz:"
        ),
        # Instead, when they are lower than the reminder announced (now_due_key). Not yet
        # read by a native speaker (README, Languages).
        "now_due_costs_at_term": (
            "Dlatego należne są teraz również pozasądowe koszty windykacji (art. 6:96 BW) od "
            "kwoty, która pozostała niezapłacona po upływie terminu, oraz odsetki ustawowe "
            "(art. 6:119 BW). Do zapłaty jest teraz:"
        ),
        # Instead, when the letter's costs are € 0,00 (legal-nl.md §2-§3). Not yet read by a
        # native speaker (README, Languages).
        "now_due_interest": (
            "Dlatego należne są teraz również odsetki ustawowe (art. 6:119 BW). Do zapłaty "
            "jest teraz:"
        ),
        # Instead, when its costs and its interest are both € 0,00 (now_due_key). Not yet
        # read by a native speaker (README, Languages).
        "now_due_open": "Dlatego kwota nadal pozostaje nieopłacona. Do zapłaty jest teraz:",
        "col_reference": "Numer referencyjny płatności",
        "col_principal": "Należność główna",
        "col_costs": "Koszty windykacji",
        "col_fee": "Koszt planu ratalnego",  # R15: not collection costs (legal-nl.md §2)
        "col_interest": "Odsetki",
        "col_total": "Razem",
        "total_due": "Razem do zapłaty",
        # Under the amounts when some of the costs charged are paid by now (R38). Not yet
        # read by a native speaker (README, Languages).
        "costs_paid_note": (
            "Z kosztów windykacji ({charged}) zapłacono już {paid}; suma obejmuje tylko "
            "kwotę, która nadal pozostaje do zapłaty."
        ),
        # What of them a stop forgave (R21). Not yet read by a native speaker (README,
        # Languages).
        "costs_forgiven_note": (
            "Z kosztów windykacji ({charged}) umorzono {forgiven}; suma obejmuje tylko "
            "kwotę, która nadal pozostaje do zapłaty."
        ),
        "interest_note": (
            "Odsetki ustawowe obliczono do dnia {date} włącznie. Są naliczane do dnia, w "
            "którym otrzymamy płatność; aktualną kwotę pokazuje strona sprawdzania płatności."
        ),
        # Instead, when no principal is open and some interest is (interest_note_key,
        # legal-nl.md §4). Not yet read by a native speaker (README, Languages).
        "interest_note_stopped": (
            "Odsetki ustawowe obliczono do dnia {date} włącznie. Ponieważ nie ma już "
            "nieopłaconej należności głównej, dalsze odsetki nie są naliczane."
        ),
        # Instead, when the interest is € 0,00 (interest_note_key). Not yet read by a native
        # speaker (README, Languages).
        "interest_note_none": (
            "Do dnia {date} włącznie nie ma zaległych odsetek ustawowych. Są one jednak "
            "naliczane od nieopłaconej należności głównej do dnia, w którym otrzymamy "
            "płatność; aktualną kwotę pokazuje strona sprawdzania płatności."
        ),
        "request": (
            "Prosimy o zapłatę {amount}. Płatność musi do nas wpłynąć najpóźniej dnia {date}."
        ),
        "handover": (
            "Jeśli do tego dnia nie otrzymamy całej kwoty, dnia {date} przekażemy należność "
            "biuru windykacyjnemu, które będzie ją dalej dochodzić w imieniu {provider}. "
            "Dalsze koszty mogą wtedy zostać doliczone tylko w zakresie dozwolonym przez prawo."
        ),
        **_HOW_TO_PAY,
        "already_paid": (
            "Jeśli płatność została już dokonana, prosimy uznać to pismo za bezprzedmiotowe."
        ),
        "attachment": "W załączniku (PDF) znajduje się to wezwanie w formie pisma.",
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
    "pdf.second_notice": {
        "title": "Ostateczne wezwanie do zapłaty",
        "file_name": "ostateczne-wezwanie-{reference}.pdf",
        "letter_date": "Data",
        "pay_by": _PAY_BY,
        "pay_online_at": _PAY_ONLINE_AT,
        "footer": _FOOTER,
        "page": _PAGE,
    },
}

_CONFIRMATIONS: Sections = {
    "email.stop_confirmation": {
        "subject": f"Kwota faktury została obniżona - {_REFERENCE} {{reference}}",
        "greeting": _GREETING,
        "lowered": (
            "Świadczeniodawca {provider} obniżył kwotę faktury. Nowej faktury Pan/Pani nie otrzyma."
        ),
        "after_statement": (
            "Otrzymaliśmy rozliczenie od Pana/Pani ubezpieczyciela zdrowotnego i "
            "dostosowaliśmy do niego kwotę faktury. Nowej faktury Pan/Pani nie otrzyma."
        ),
        "new_amount": _NEW_AMOUNT,
        "new_amount_passed": _NEW_AMOUNT_PASSED,
        "still_open_with_agency": _WITH_AGENCY,
        "nothing_left": _NOTHING_LEFT,
        "pay_link_intro": _PAY_LINK_INTRO,
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
    "email.deferral_confirmation": {
        "subject": f"Odroczenie terminu płatności - {_REFERENCE} {{reference}}",
        "greeting": _GREETING,
        "granted": "Termin płatności faktury od {provider} został odroczony.",
        "new_date": (
            "Nowy termin płatności to {date}. Prosimy o zapłatę {amount} najpóźniej tego dnia."
        ),
        "once": (
            "Odroczenie terminu płatności jest możliwe jeden raz dla każdej faktury. Jeśli "
            "zapłata w tym terminie nie będzie możliwa, można ustalić plan ratalny na stronie "
            "sprawdzania płatności."
        ),
        "once_via_practice": (
            "Odroczenie terminu płatności jest możliwe jeden raz dla każdej faktury. Jeśli "
            "zapłata w tym terminie nie będzie możliwa, proszę skontaktować się z {provider}."
        ),
        "pay_link_intro": _PAY_LINK_INTRO,
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
    "email.arrangement_confirmation": {
        "subject": f"Plan ratalny - {_REFERENCE} {{reference}}",
        "greeting": _GREETING,
        "agreed": (
            "Ustalono plan ratalny dla faktury od {provider}. Płaci Pan/Pani {total} w "
            "{count} ratach miesięcznych."
        ),
        "fee": "Kwota ta obejmuje koszt planu ratalnego w wysokości {fee}.",
        "interest": (
            "Obejmuje ona również odsetki ustawowe w wysokości {interest}: odsetki do "
            "terminu płatności każdej raty."
        ),
        "schedule_heading": "Harmonogram rat",
        "col_due": "Termin",
        "col_term_amount": "Kwota",
        # The account as the letters' pay_transfer names it (audit letters57); this
        # sentence not yet read by a native speaker (README, Languages).
        "how": (
            "Prosimy o terminową zapłatę każdej raty przez iDEAL na stronie sprawdzania "
            "płatności albo przelewem na rachunek {iban}, odbiorca: {holder}, z numerem "
            "referencyjnym płatności {reference} w tytule przelewu."
        ),
        "missed": (
            "Uwaga: jeśli rata zostanie zapłacona z opóźnieniem większym niż 14 dni, plan "
            "ratalny wygasa. Wtedy znów będzie Pan/Pani otrzymywać upomnienia dotyczące "
            "pozostałej kwoty."
        ),
        "missed_after_costs": (
            "Uwaga: jeśli rata zostanie zapłacona z opóźnieniem większym niż 14 dni, plan "
            "ratalny wygasa. Pozostała kwota zostanie wtedy przekazana do biura "
            "windykacyjnego."
        ),
        "pay_link_intro": _PAY_LINK_INTRO,
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
    "email.objection_acknowledgement": {
        "subject": f"Otrzymaliśmy reklamację - {_REFERENCE} {{reference}}",
        # No name: written when this went to the address typed in the form. Since issue
        # 13.3 it goes only to the invoice's own e-mail address (services.patient.
        # file_objection), never to the one typed (R29).
        "greeting": "Dzień dobry,",
        "received": (
            "Dnia {date} otrzymaliśmy reklamację dotyczącą faktury od {provider} o numerze "
            "referencyjnym płatności {reference}."
        ),
        "next_step": "{provider} rozpatrzy reklamację i skontaktuje się z Panem/Panią.",
        "still_due": (
            "Reklamacja nie wstrzymuje płatności. O ile {provider} nie poinformuje inaczej, "
            "prosimy o zapłatę kwoty najpóźniej do {date}."
        ),
        # Not yet read by a native speaker (README, Languages).
        "still_due_passed": (
            "Reklamacja nie wstrzymuje płatności. O ile {provider} nie poinformuje inaczej, "
            "prosimy o zapłatę kwoty."
        ),
        # Not yet read by a native speaker (README, Languages): under a running arrangement.
        "still_due_term": (
            "Reklamacja nie wstrzymuje płatności. O ile {provider} nie poinformuje inaczej, "
            "prosimy o zapłatę rat planu ratalnego zgodnie z ustaleniami: następnej najpóźniej "
            "do {date}."
        ),
        "still_due_term_passed": (
            "Reklamacja nie wstrzymuje płatności. O ile {provider} nie poinformuje inaczej, "
            "prosimy o zapłatę rat planu ratalnego zgodnie z ustaleniami, począwszy od "
            "zaległej raty."
        ),
        "still_due_rest_term": (
            "Dodatkową ratę po ostatniej racie prosimy zapłacić najpóźniej do {date}."
        ),
        # Not yet read by a native speaker (README, Languages): paid or stopped (OBJ-1).
        "nothing_due": "Na tej fakturze nic nie pozostało do zapłaty. Nie musi Pan/Pani nic płacić.",
        # Not yet read by a native speaker (README, Languages): with the agency (R22, R34).
        "still_due_with_agency": (
            "Reklamacja nie wstrzymuje płatności. Ta faktura została przekazana do biura "
            "windykacyjnego. O ile {provider} nie poinformuje inaczej, w sprawie płatności "
            "prosimy skontaktować się z biurem windykacyjnym."
        ),
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
    "email.payment_received": {
        "subject": f"Płatność otrzymana - {_REFERENCE} {{reference}}",
        "greeting": _GREETING,
        "received": (
            "Dnia {date} otrzymaliśmy płatność {amount} za fakturę od {provider}. Dziękujemy."
        ),
        "paid_in_full": "Tym samym faktura jest zapłacona w całości.",
        "still_open": "Pozostało do zapłaty {amount}. Prosimy o zapłatę najpóźniej do {date}.",
        # Not yet read by a native speaker (README, Languages): the two "_passed" below.
        "still_open_passed": "Pozostało do zapłaty {amount}.",
        "still_open_with_agency": _WITH_AGENCY,
        "next_term": (
            "Pozostało do zapłaty {amount}. Następna rata wynosi {term} i należy ją zapłacić "
            "najpóźniej do {date}."
        ),
        "next_term_passed": "Pozostało do zapłaty {amount}. Zaległa rata wynosi {term}.",
        "overpaid": _OVERPAID,
        "pay_link_intro": _PAY_LINK_INTRO,
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
    # A later upload credited a line of the invoice, or the insurer's retour changed what it
    # pays (issue 7).
    "email.invoice_corrected": {
        "subject": f"Faktura została skorygowana - {_REFERENCE} {{reference}}",
        "greeting": _GREETING,
        "by_declaration": (
            "Świadczeniodawca {provider} skorygował zabieg na fakturze, dlatego kwota faktury "
            "uległa zmianie. Nowej faktury Pan/Pani nie otrzyma."
        ),
        "by_retour": (
            "Pana/Pani ubezpieczyciel zdrowotny poinformował, ile zwraca z faktury od "
            "{provider}, dlatego zmieniła się kwota do zapłaty. Nowej faktury Pan/Pani nie "
            "otrzyma."
        ),
        # Not yet reviewed by a native speaker.
        "by_correction": (
            "Świadczeniodawca {provider} wcześniej obniżył kwotę faktury. Było to pomyłką i "
            "zostało cofnięte, dlatego kwota jest znowu wyższa. Nowej faktury Pan/Pani nie "
            "otrzyma."
        ),
        "new_amount": _NEW_AMOUNT,
        "new_amount_passed": _NEW_AMOUNT_PASSED,
        "still_open_with_agency": _WITH_AGENCY,
        "nothing_left": _NOTHING_LEFT,
        "overpaid": _OVERPAID,
        "pay_link_intro": _PAY_LINK_INTRO,
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
    # R17, legal-nl.md §7: the statement leaves the amount as it is: the practice declined
    # the coulance it proposed, or the policy had nothing to forgive ("unchanged").
    # Not yet reviewed by a native speaker.
    "email.coulance_declined": {
        "subject": f"Kwota faktury pozostaje bez zmian - {_REFERENCE} {{reference}}",
        "greeting": _GREETING,
        "declined": (
            "Otrzymaliśmy rozliczenie od Pana/Pani ubezpieczyciela zdrowotnego. "
            "Świadczeniodawca {provider} zdecydował, że nie obniży kwoty faktury."
        ),
        "unchanged": (
            "Otrzymaliśmy rozliczenie od Pana/Pani ubezpieczyciela zdrowotnego. Kwota "
            "faktury pozostaje więc bez zmian."
        ),
        "new_amount": _NEW_AMOUNT,
        "new_amount_passed": _NEW_AMOUNT_PASSED,
        "still_open_with_agency": _WITH_AGENCY,
        "nothing_left": _NOTHING_LEFT,
        "pay_link_intro": _PAY_LINK_INTRO,
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
}

SECTIONS: Sections = {**_INVOICE, **_DUNNING, **_CONFIRMATIONS}
