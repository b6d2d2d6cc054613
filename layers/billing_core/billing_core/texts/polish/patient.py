"""The payment-checker page, the pages for patients (/vragen, /voorwaarden, /privacy), the
patient API's answers and the refusals, in Polish (R9, R36): the sections of
``texts.patient``, key for key."""

from __future__ import annotations

from billing_core.texts.catalogue import Section, Sections

INFO: Section = {
    "back_to_checker": "Powrót do sprawdzania płatności",
    # Not yet read by a native speaker (README, Languages): the two below.
    "not_found_title": "Nie znaleziono strony",
    "not_found_text": (
        "Ta strona nie istnieje. Proszę sprawdzić adres albo przejść do strony sprawdzania "
        "płatności i wpisać tam numer referencyjny płatności z faktury."
    ),
    # Not yet read by a native speaker (README, Languages): the five below.
    "payment_unavailable_title": "Płatność online nie jest teraz możliwa",
    "payment_unavailable_text": (
        "Serwis płatności (iDEAL) jest w tej chwili niedostępny. Nic nie zostało zapłacone "
        "ani zapisane. Proszę spróbować ponownie za kilka minut albo przelać kwotę na "
        "poniższy rachunek, wpisując numer referencyjny płatności w tytule przelewu: po nim "
        "rozpoznajemy, którą fakturę Pan/Pani opłaca."
    ),
    # Not yet read by a native speaker (README, Languages): the four below.
    "message_too_long_title": "Wiadomość jest za długa",
    "message_too_long_text": (
        "Nie udało się wysłać wiadomości: jest dłuższa, niż strona sprawdzania płatności "
        "może przyjąć. Nic nie zostało zapisane. Poniżej znajduje się napisany tekst: proszę "
        "go skopiować, skrócić (najwyżej 2000 znaków) i wysłać ponownie ze strony "
        "sprawdzania płatności."
    ),
    "given_back_heading": "Napisany tekst",
    "given_back_label": "Tekst wiadomości do skopiowania",
    "transfer_heading": "Płatność przelewem",
    # Not yet read by a native speaker (README, Languages): the amount to transfer.
    "transfer_amount": "Kwota",
    "transfer_iban": "Numer rachunku (IBAN)",
    "transfer_holder": "Odbiorca",
    "faq_title": "Najczęstsze pytania",
    "faq_1_heading": "Jak zapłacić fakturę?",
    "faq_1_text": (
        "Online przez iDEAL: na stronie sprawdzania płatności proszę wpisać numer "
        "referencyjny płatności z faktury. Można też przelać kwotę na numer rachunku podany "
        "na fakturze, wpisując numer referencyjny płatności w tytule przelewu: po nim "
        "rozpoznajemy, którą fakturę Pan/Pani opłaca."
    ),
    "faq_2_heading": "Potrzebuję więcej czasu. Czy mogę odroczyć termin płatności?",
    "faq_2_text": (
        "Tak, jeden raz i bezpłatnie, na stronie sprawdzania płatności. Widać tam, o ile dni "
        "świadczeniodawca odracza płatność i jaki będzie nowy termin płatności."
    ),
    "faq_3_heading": "Czy mogę zapłacić w ratach?",
    "faq_3_text": (
        "Tak, w planie ratalnym od 2 do 12 rat miesięcznych. Koszt planu i najniższa kwota "
        "raty są podane na stronie sprawdzania płatności. W trakcie planu płaci Pan/Pani "
        "kolejne raty; zapłata całości naraz jest zawsze możliwa."
    ),
    "faq_4_heading": "Nie zgadzam się z fakturą.",
    "faq_4_text": (
        "Proszę złożyć reklamację na stronie sprawdzania płatności; świadczeniodawca "
        "skontaktuje się z Panem/Panią. Reklamacja nie wstrzymuje biegu terminu płatności. "
        "Pytania dotyczące samego leczenia proszę kierować do świadczeniodawcy: dane "
        "kontaktowe są na fakturze i na stronie sprawdzania płatności."
    ),
    "faq_5_heading": "Mój świadczeniodawca nie ma umowy z moim ubezpieczycielem zdrowotnym.",
    # Not yet read by a native speaker (README, Languages): "lub ... pocztą" (R7).
    "faq_5_text": (
        "W takim razie proszę jeszcze nie płacić faktury. Najpierw należy złożyć ją u "
        "ubezpieczyciela zdrowotnego, a następnie wpisać na stronie sprawdzania płatności "
        "kwoty z rozliczenia otrzymanego od ubezpieczyciela. Świadczeniodawca może wtedy "
        "obniżyć kwotę z dobrej woli (coulance); skorygowaną kwotę z nowym terminem "
        "płatności otrzyma Pan/Pani e-mailem lub, jeśli nie mamy Pana/Pani adresu e-mail, "
        "pocztą."
    ),
    "faq_6_heading": "Co się stanie, jeśli nie zapłacę w terminie?",
    "faq_6_text": (
        "Najpierw otrzyma Pan/Pani bezpłatne upomnienie z 14 dniami na zapłatę. Jeśli i "
        "wtedy płatność nie nastąpi, doliczone zostaną pozasądowe koszty windykacji według "
        "ustawowej skali oraz odsetki ustawowe. Więcej w warunkach płatności."
    ),
    "faq_7_heading": "Co widzi osoba, która zna mój numer referencyjny płatności?",
    "faq_7_text": (
        "Tylko to, czy faktura jest zapłacona, kwotę i termin. Zabiegi, faktura w formacie "
        "PDF, płatność i wnioski są dostępne dopiero po podaniu daty urodzenia pacjenta."
    ),
    "faq_8_heading": "Czym jest zorgnota?",
    "faq_8_text": (
        "zorgnota wysyła faktury i przyjmuje płatności w imieniu świadczeniodawców opieki "
        "zdrowotnej. Za leczenie i fakturę odpowiada nadal Pana/Pani świadczeniodawca."
    ),
    "terms_title": "Warunki płatności",
    "terms_1_heading": "Termin płatności",
    "terms_1_text": (
        "Proszę zapłacić najpóźniej w terminie płatności podanym na fakturze, podając "
        "numer referencyjny płatności. Numer referencyjny płatności decyduje o tym, na "
        "poczet której faktury zalicza się wpłatę (art. 6:43 holenderskiego kodeksu "
        "cywilnego, BW)."
    ),
    "terms_2_heading": "Upomnienie",
    "terms_2_text": (
        "W razie braku zapłaty w terminie otrzyma Pan/Pani bezpłatne upomnienie z terminem "
        "14 dni od jego otrzymania (art. 6:96 ust. 6 BW). Upomnienie podaje, jakie koszty "
        "windykacji zostaną naliczone, jeśli i wtedy płatność nie nastąpi."
    ),
    "terms_3_heading": "Pozasądowe koszty windykacji",
    # No-break spaces: an amount never wraps away from its € (as format_euros writes it).
    "terms_3_text": (
        "Po upływie tych 14 dni należne są pozasądowe koszty windykacji według "
        "holenderskiego rozporządzenia w sprawie zwrotu pozasądowych kosztów windykacji "
        "(Besluit vergoeding voor buitengerechtelijke incassokosten): 15% od pierwszych "
        "2500\u00a0€ (co najmniej 40\u00a0€), 10% od kolejnych 2500\u00a0€, 5% od "
        "kolejnych 5000\u00a0€, 1% od kolejnych 190\u00a0000\u00a0€ i 0,5% od pozostałej "
        "kwoty, łącznie najwyżej 6775\u00a0€."
    ),
    "terms_4_heading": "Odsetki ustawowe",
    "terms_4_text": (
        "Od dnia następującego po terminie płatności od niezapłaconej części kwoty faktury, "
        "nie od kosztów windykacji, należą się odsetki ustawowe (art. 6:119 BW)."
    ),
    "terms_5_heading": "Na co najpierw zalicza się wpłatę",
    "terms_5_text": (
        "Wpłata zaliczana jest najpierw na koszty, następnie na odsetki, a dopiero potem na "
        "kwotę faktury (art. 6:44 BW)."
    ),
    "privacy_title": "Prywatność",
    "privacy_1_heading": "Jakie dane wykorzystujemy",
    "privacy_1_text": (
        "zorgnota otrzymuje od świadczeniodawcy to, co jest potrzebne do wystawienia i "
        "pobrania należności z faktury: imię i nazwisko oraz adres, zabiegi, datę urodzenia "
        "i adres e-mail. Wykorzystujemy te dane wyłącznie w tym celu, na zlecenie "
        "świadczeniodawcy."
    ),
    "privacy_2_heading": "Strona sprawdzania płatności",
    "privacy_2_text": (
        "Bez daty urodzenia strona sprawdzania płatności nigdy nie pokazuje imienia i "
        "nazwiska, adresu ani zabiegów. Po podaniu daty urodzenia przeglądarka otrzymuje na "
        "15 minut podpisane ciasteczko (cookie) dla tego jednego numeru referencyjnego "
        "płatności; sama data urodzenia nie znajduje się w ciasteczku ani w żadnym adresie."
    ),
    "privacy_3_heading": "Przechowywanie",
    "privacy_3_text": (
        "Faktury i płatności przechowujemy tak długo, jak wymaga tego prawo (7 lat zgodnie "
        "z holenderskimi przepisami podatkowymi), i nie dłużej."
    ),
    "privacy_4_heading": "Pana/Pani prawa",
    "privacy_4_text": (
        "W sprawie wglądu w dane, ich sprostowania lub skargi proszę zwrócić się do "
        "świadczeniodawcy: to on odpowiada za Pana/Pani dane i korzysta z usług zorgnota."
    ),
}

PAGE: Section = {
    "title": "Sprawdzanie płatności",
    "lead": "Czy faktura jest już zapłacona? Proszę wpisać numer referencyjny płatności z faktury.",
    "reference_label": "Numer referencyjny płatności",
    "reference_hint": (
        "14 cyfr, na fakturze przy „Betalingskenmerk” (numer referencyjny płatności). "
        "Spacje są dozwolone."
    ),
    "check": "Sprawdź",
    "invalid_reference": "Ten numer referencyjny płatności jest błędny — proszę sprawdzić 14 cyfr.",
    "not_found": (
        "Nie znajdujemy faktury o tym numerze referencyjnym płatności. Proszę sprawdzić "
        "numer na fakturze."
    ),
    # Not yet read by a native speaker (README, Languages).
    "invoice_unavailable": (
        "Nie możemy teraz pokazać tej faktury. Proszę spróbować ponownie później lub "
        "skontaktować się ze swoim świadczeniodawcą."
    ),
    "status_paid": "Ta faktura jest zapłacona.",
    "status_being_booked": "Płatność jest przetwarzana.",
    "status_waived": ("Nie musi Pan/Pani nic płacić: świadczeniodawca umorzył kwotę tej faktury."),
    # Not yet read by a native speaker (README, Languages): this and state_reimbursed (R5).
    "status_reimbursed": (
        "Nie musi Pan/Pani nic płacić: ubezpieczyciel zdrowotny pokrywa całą kwotę tej faktury."
    ),
    # Not yet read by a native speaker (README, Languages).
    "status_paid_rest_waived": (
        "Zapłacił(a) Pan/Pani {paid}; świadczeniodawca umorzył pozostałą kwotę. Nie musi "
        "Pan/Pani już nic płacić."
    ),
    "status_open": "Ta faktura jest niezapłacona.",
    "status_partly_paid": "Ta faktura jest zapłacona częściowo.",
    "amount_due": "Pozostało do zapłaty",
    "final_payment_date": "Termin płatności",
    "state": "Stan sprawy",
    "state_open": "Do zapłaty",
    "state_paid": "Zapłacona",
    "state_waived": "Umorzona przez świadczeniodawcę",
    "state_reimbursed": "Pokryta przez ubezpieczyciela zdrowotnego",
    # Not yet read by a native speaker (README, Languages).
    "state_paid_rest_waived": "Zapłacona częściowo, reszta umorzona przez świadczeniodawcę",
    "state_deferred": "Odroczono termin płatności",
    "state_arrangement_active": "Trwa plan ratalny",
    "state_on_hold": "Sprawę rozpatruje świadczeniodawca",
    "state_reminder_sent": "Wysłano upomnienie",
    # Not yet read by a native speaker (README, Languages); the final notice's own word
    # (letters.py, email.second_notice).
    "state_second_notice_sent": "Wysłano ostateczne wezwanie do zapłaty",
    # Not yet read by a native speaker (README, Languages): the final notice not gone yet.
    "state_second_notice_waits": "Ostateczne wezwanie do zapłaty zostanie wysłane",
    "state_with_collection_agency": "Przekazana do biura windykacyjnego",
    "collected_by_agency": (
        "Tę fakturę ściąga teraz biuro windykacyjne w imieniu świadczeniodawcy."
    ),
    "birth_date_label": "Data urodzenia pacjenta",
    "birth_date_hint": "Aby upewnić się, że chodzi o właściwą fakturę.",
    "pay_heading": "Zapłata",
    "pay_button": "Zapłać {amount} przez iDEAL",
    "defer_heading": "Potrzebuje Pan/Pani więcej czasu?",
    "defer_text": "Jeden raz można bezpłatnie odroczyć termin płatności o {days_pl}.",
    "defer_button": "Poproś o odroczenie",
    "arrange_heading": "Zapłata w ratach",
    "arrange_text": (
        "W planie ratalnym płaci Pan/Pani w 2 do 12 ratach miesięcznych. "
        "Koszt planu wynosi {fee}; rata wynosi co najmniej {minimum}."
    ),
    "terms_label": "Liczba rat",
    "arrange_button": "Poproś o plan ratalny",
    "object_heading": "Nie zgadza się Pan/Pani z fakturą?",
    "object_text": "Proszę złożyć reklamację; świadczeniodawca skontaktuje się z Panem/Panią.",
    "object_term_runs": "Uwaga: reklamacja nie wstrzymuje biegu terminu płatności.",
    "reason_label": "Powód",
    "reason_treatment": "Leczenie",
    "reason_amount": "Kwota",
    "reason_insurer": "Zwrot kosztów przez ubezpieczyciela zdrowotnego",
    "reason_other": "Inny powód",
    "message_label": "Wyjaśnienie",
    "email_label": "Adres e-mail (do potwierdzenia)",
    "object_button": "Złóż reklamację",
    "done_deferral": "Termin płatności został odroczony. Nowy termin płatności to {date}.",
    # Not yet read by a native speaker (README, Languages): "{by_channel_pl}" is "e-mailem" or
    # "pocztą" (catalogue.by_channel, R7), "pisemnie" before the birth date is checked.
    "done_arrangement": (
        "Plan ratalny został zapisany. Harmonogram rat otrzyma Pan/Pani {by_channel_pl}."
    ),
    "done_objection": "Reklamacja została przyjęta. Potwierdzenie otrzyma Pan/Pani e-mailem.",
    # Not yet read by a native speaker (README, Languages): no e-mail address on file, so no
    # confirmation; the provider will be in touch (audit REQUESTS3).
    "done_objection_unacknowledged": (
        "Reklamacja została przyjęta. Świadczeniodawca skontaktuje się z Panem/Panią."
    ),
    "refused": "To nie jest możliwe: {reason}",
    "privacy": (
        "Ta strona nigdy nie pokazuje imienia i nazwiska ani adresu, a zabiegi dopiero po "
        "podaniu daty urodzenia pacjenta. zorgnota wysyła faktury i przyjmuje płatności w "
        "imieniu świadczeniodawców opieki zdrowotnej."
    ),
    "switch_language": "Nederlands",
    "language_label": "Język",
    # Not yet read by a native speaker (README, Languages): the two below.
    "skip": "Przejdź do treści",
    "table_of": "Tabela: {name}",
    "birth_date_unreadable": (
        "Nie możemy odczytać tej daty urodzenia. Proszę wpisać ją jako dzień-miesiąc-rok, "
        "na przykład 7-3-1984."
    ),
    "no_match": (
        "Nie znajdujemy faktury o tym numerze referencyjnym płatności i tej dacie urodzenia. "
        "Proszę sprawdzić numer referencyjny płatności na fakturze i datę urodzenia pacjenta. "
        "Oba są poprawne? Proszę spróbować ponownie dopiero za godzinę: po kilku błędnych "
        "próbach czekamy godzinę, a próba w tym czasie liczy godzinę od nowa. Można też "
        "zadzwonić do świadczeniodawcy podanego na fakturze."
    ),
    "visit_expired": (
        "Proszę podać datę urodzenia pacjenta w celu weryfikacji. Potem przez {minutes} minut "
        "można obejrzeć fakturę, zapłacić lub złożyć wniosek."
    ),
    "form_invalid": "Formularz nie został wypełniony w całości lub poprawnie. Nic nie zostało zmienione.",
    "amount_invalid": (
        "Nie udało się odczytać kwoty. Proszę wpisać ją w euro z przecinkiem przed centami, "
        "tak jak w rozliczeniu: na przykład 60,17 lub 1.234,56. Nic nie zostało zmienione."
    ),
    "payment_thanks": "Dziękujemy! Płatność została przyjęta.",
    "payment_processing": (
        "Dziękujemy! Bank potwierdził płatność. Właśnie ją przetwarzamy; za kilka minut "
        "zobaczy tu Pan/Pani nową kwotę."
    ),
    "payment_pending": (
        "Bank nie potwierdził jeszcze płatności. Proszę odświeżyć tę stronę za kilka minut."
    ),
    "payment_ended": (
        "Płatność została anulowana lub wygasła; żadne środki nie zostały pobrane. Można "
        "zapłacić ponownie."
    ),
    # Not yet read by a native speaker (README, Languages).
    "payment_failed": (
        "Płatność nie powiodła się: bank jej nie zrealizował. Żadne środki nie zostały "
        "pobrane. Można zapłacić ponownie."
    ),
    # Not yet read by a native speaker (README, Languages).
    "payment_unknown": (
        "Nie możemy w tej chwili sprawdzić, czy płatność się powiodła: serwis płatności "
        "(iDEAL) jest niedostępny. Proszę nie płacić ponownie. Proszę odświeżyć tę stronę za "
        "kilka minut: jeśli płatność się powiodła, zobaczy tu Pan/Pani nową kwotę."
    ),
    "unlock_heading": "Obejrzeć fakturę, zapłacić lub złożyć wniosek",
    "unlock_text": (
        "Proszę jeden raz podać datę urodzenia pacjenta w celu weryfikacji. Wtedy zobaczy "
        "Pan/Pani zabiegi i będzie mógł/mogła pobrać fakturę, zapłacić, poprosić o "
        "odroczenie lub plan ratalny albo złożyć reklamację."
    ),
    # Not yet read by a native speaker (README, Languages): the two below.
    "unlock_heading_settled": "Obejrzeć fakturę lub złożyć reklamację",
    "unlock_text_settled": (
        "Proszę jeden raz podać datę urodzenia pacjenta w celu weryfikacji. Wtedy zobaczy "
        "Pan/Pani zabiegi i będzie mógł/mogła pobrać fakturę lub złożyć reklamację."
    ),
    # Not yet read by a native speaker (README, Languages): the seven below.
    "unlock_heading_pay": "Obejrzeć fakturę lub zapłacić",
    "unlock_text_no_arrangement": (
        "Proszę jeden raz podać datę urodzenia pacjenta w celu weryfikacji. Wtedy zobaczy "
        "Pan/Pani zabiegi i będzie mógł/mogła pobrać fakturę, zapłacić, poprosić o "
        "odroczenie albo złożyć reklamację."
    ),
    "unlock_text_no_deferral": (
        "Proszę jeden raz podać datę urodzenia pacjenta w celu weryfikacji. Wtedy zobaczy "
        "Pan/Pani zabiegi i będzie mógł/mogła pobrać fakturę, zapłacić, poprosić o plan "
        "ratalny albo złożyć reklamację."
    ),
    "unlock_text_no_request": (
        "Proszę jeden raz podać datę urodzenia pacjenta w celu weryfikacji. Wtedy zobaczy "
        "Pan/Pani zabiegi i będzie mógł/mogła pobrać fakturę, zapłacić albo złożyć reklamację."
    ),
    # Not yet read by a native speaker (README, Languages): the four below (R17, R37).
    "unlock_text_with_statement": (
        "Proszę jeden raz podać datę urodzenia pacjenta w celu weryfikacji. Wtedy zobaczy "
        "Pan/Pani zabiegi i będzie mógł/mogła pobrać fakturę, zapłacić, wpisać kwoty z "
        "rozliczenia ubezpieczyciela, poprosić o odroczenie lub plan ratalny albo złożyć "
        "reklamację."
    ),
    "unlock_text_with_statement_no_arrangement": (
        "Proszę jeden raz podać datę urodzenia pacjenta w celu weryfikacji. Wtedy zobaczy "
        "Pan/Pani zabiegi i będzie mógł/mogła pobrać fakturę, zapłacić, wpisać kwoty z "
        "rozliczenia ubezpieczyciela, poprosić o odroczenie albo złożyć reklamację."
    ),
    "unlock_text_with_statement_no_deferral": (
        "Proszę jeden raz podać datę urodzenia pacjenta w celu weryfikacji. Wtedy zobaczy "
        "Pan/Pani zabiegi i będzie mógł/mogła pobrać fakturę, zapłacić, wpisać kwoty z "
        "rozliczenia ubezpieczyciela, poprosić o plan ratalny albo złożyć reklamację."
    ),
    "unlock_text_with_statement_no_request": (
        "Proszę jeden raz podać datę urodzenia pacjenta w celu weryfikacji. Wtedy zobaczy "
        "Pan/Pani zabiegi i będzie mógł/mogła pobrać fakturę, zapłacić, wpisać kwoty z "
        "rozliczenia ubezpieczyciela albo złożyć reklamację."
    ),
    "unlock_heading_statement": "Obejrzeć fakturę lub przesłać rozliczenie ubezpieczyciela",
    "unlock_text_statement": (
        "Proszę jeden raz podać datę urodzenia pacjenta w celu weryfikacji. Wtedy zobaczy "
        "Pan/Pani zabiegi i będzie mógł/mogła pobrać fakturę, wpisać kwoty z rozliczenia "
        "ubezpieczyciela, poprosić o odroczenie albo złożyć reklamację."
    ),
    "unlock_text_statement_no_deferral": (
        "Proszę jeden raz podać datę urodzenia pacjenta w celu weryfikacji. Wtedy zobaczy "
        "Pan/Pani zabiegi i będzie mógł/mogła pobrać fakturę, wpisać kwoty z rozliczenia "
        "ubezpieczyciela albo złożyć reklamację."
    ),
    "unlock_button": "Dalej",
    "breakdown_heading": "Z czego składa się kwota",
    "bd_invoiced": "Faktura",
    "bd_reimbursed": "Zwrot od ubezpieczyciela zdrowotnego",
    "bd_forgiven": "Umorzone przez świadczeniodawcę",
    "bd_paid": "Już zapłacono",
    "bd_costs": "Pozasądowe koszty windykacji",
    "bd_fee": "Koszt planu ratalnego",
    "bd_interest": "Odsetki ustawowe do dziś",
    "bd_interest_settled": "Odsetki ustawowe",
    "bd_due": "Pozostało do zapłaty",
    # Not yet read by a native speaker (README, Languages): the two below.
    "bd_credit": "Nadpłata, którą zwrócimy",
    "credit_note": "Nadpłata wynosi {amount}. Zwrócimy tę kwotę.",
    # Not yet read by a native speaker (README, Languages).
    "bd_refunded": "Zwrócono Panu/Pani",
    "bd_refunded_on": "Zwrócono Panu/Pani {date}",
    "pay_by_final_payment_date": "Termin płatności",
    "pay_by_deferred": "Termin płatności po odroczeniu",
    "pay_by_reminder": "Termin płatności według upomnienia",
    "pay_by_second_notice": "Zapłata najpóźniej (potem faktura trafi do biura windykacyjnego)",
    "pay_by_arrangement_term": "Następna rata najpóźniej",
    "term_amount": "Kwota raty",
    # Not yet read by a native speaker (README, Languages).
    "pay_by_hold": "Zapłata najpóźniej (do tego dnia świadczeniodawca wstrzymał dalsze kroki)",
    # Not yet read by a native speaker (README, Languages): the three below.
    "pay_by_passed": "Termin płatności upłynął dnia",
    "pay_by_passed_arrangement_term": "Termin zaległej raty upłynął dnia",
    "pay_by_after_statement": "Zostanie podany {by_channel_pl} wraz ze skorygowaną kwotą",
    # Not yet read by a native speaker (README, Languages): the letters' sentence.
    "extra_term_note": (
        "Po ostatniej racie płaci Pan/Pani jeszcze {amount} jako dodatkową ratę, "
        "najpóźniej do {date}."
    ),
    "on_hold_note": (
        "Świadczeniodawca rozpatruje tę fakturę. Do {date} włącznie świadczeniodawca nie "
        "wysyła upomnień i nie nalicza kosztów."
    ),
    # Not yet read by a native speaker (README, Languages): the hold after the costs.
    "on_hold_after_costs_note": (
        "Świadczeniodawca rozpatruje tę fakturę. Do {date} włącznie świadczeniodawca wstrzymuje "
        "windykację: w tym czasie faktura nie trafi do biura windykacyjnego. Pozasądowe koszty "
        "windykacji, które zostały już naliczone, pozostają."
    ),
    "on_hold_goes_on": (
        "Jeśli faktura nie zostanie zapłacona do tego dnia, dalsze kroki zostaną wznowione "
        "tam, gdzie je wstrzymano."
    ),
    # Not yet read by a native speaker (README, Languages): the hold over a letter that
    # waits for the practice.
    "on_hold_waits_for_practice": (
        "Jeśli faktura nie zostanie zapłacona do tego dnia, dalsze kroki zostaną wznowione "
        "dopiero wtedy, gdy świadczeniodawca zakończy jej sprawdzanie."
    ),
    # Not yet read by a native speaker (README, Languages).
    "on_hold_terms_note": (
        "W tym czasie plan ratalny nadal obowiązuje: proszę płacić każdą ratę w terminie. "
        "Rata niezapłacona w ciągu 14 dni od terminu płatności kończy plan ratalny, także "
        "w tym okresie."
    ),
    # Not yet read by a native speaker (README, Languages).
    "arrangement_ended_note": (
        "Plan ratalny zakończył się {date}, ponieważ rata nie została zapłacona w ciągu 14 dni "
        "od terminu płatności."
    ),
    "reminder_undelivered_coming": (
        "Nasze upomnienie nie dotarło do Pana/Pani. Nowe upomnienie z nowym terminem "
        "płatności otrzyma Pan/Pani {by_channel_pl}."
    ),
    "reminder_undelivered_waits_for_practice": (
        "Nasze upomnienie nie dotarło do Pana/Pani. Świadczeniodawca sprawdza Pana/Pani dane "
        "kontaktowe; potem otrzyma Pan/Pani nowe upomnienie z nowym terminem płatności."
    ),
    # Not yet read by a native speaker (README, Languages).
    "invoice_undelivered_waits_for_practice": (
        "Nasze e-maile już do Pana/Pani nie docierają. Świadczeniodawca sprawdza Pana/Pani "
        "dane kontaktowe; jeśli faktura nadal nie będzie zapłacona, otrzyma Pan/Pani "
        "upomnienie z nowym terminem płatności."
    ),
    "second_notice_undelivered_coming": (
        "Nasze ostateczne wezwanie do zapłaty nie dotarło do Pana/Pani. Nowe ostateczne "
        "wezwanie z nowym terminem, po którym faktura trafi do biura windykacyjnego, otrzyma "
        "Pan/Pani {by_channel_pl}."
    ),
    "second_notice_undelivered_waits_for_practice": (
        "Nasze ostateczne wezwanie do zapłaty nie dotarło do Pana/Pani. Świadczeniodawca "
        "sprawdza Pana/Pani dane kontaktowe; potem otrzyma Pan/Pani nowe ostateczne wezwanie "
        "z nowym terminem, po którym faktura trafi do biura windykacyjnego."
    ),
    # Not yet read by a native speaker (README, Languages): the first notice still to go.
    "second_notice_to_go": (
        "Nasze ostateczne wezwanie do zapłaty jest właśnie wysyłane. Podano w nim termin, po "
        "którym faktura trafi do biura windykacyjnego."
    ),
    # Not yet read by a native speaker (README, Languages): that notice held (R16).
    "second_notice_held": (
        "Nasze ostateczne wezwanie do zapłaty nie zostało jeszcze wysłane; otrzyma je "
        "Pan/Pani później. Podano w nim termin, po którym faktura trafi do biura "
        "windykacyjnego."
    ),
    "practice_heading": "Pytania dotyczące leczenia?",
    "practice_text": "Proszę skontaktować się ze świadczeniodawcą:",
    "practice_phone": "Telefon",
    "practice_email": "E-mail",
    "practice_website": "Strona internetowa",
    "practice_hours": "Godziny kontaktu",
    "lines_heading": "Zabiegi",
    "col_date": "Data",
    "col_description": "Opis",
    "col_amount": "Kwota",
    "col_reimbursed": "Zwrot",
    "download_pdf": "Pobierz fakturę (PDF)",
    "pay_term_button": "Zapłać ratę {amount} przez iDEAL",
    "pay_all_button": "Zapłać całość naraz: {amount}",
    "dont_pay_yet_heading": "Uwaga: proszę jeszcze nie płacić tej faktury",
    "dont_pay_yet": (
        "Świadczeniodawca nie ma umowy z Pana/Pani ubezpieczycielem zdrowotnym. Proszę też "
        "jeszcze nie ustalać planu ratalnego. Najpierw proszę złożyć fakturę u "
        "ubezpieczyciela, a potem wpisać poniżej kwoty z otrzymanego od niego rozliczenia. "
        "Skorygowaną kwotę z nowym terminem płatności otrzyma Pan/Pani {by_channel_pl}. Jeśli "
        "ubezpieczyciel długo zwleka z wypłatą, można tutaj bezpłatnie odroczyć termin "
        "płatności."
    ),
    # Not yet read by a native speaker (README, Languages); before the birth date (R36).
    "dont_pay_yet_locked": (
        "Świadczeniodawca nie ma umowy z Pana/Pani ubezpieczycielem zdrowotnym. Proszę też "
        "jeszcze nie ustalać planu ratalnego. Najpierw proszę złożyć fakturę u "
        "ubezpieczyciela. Następnie proszę podać poniżej datę urodzenia pacjenta: wtedy można "
        "tutaj wpisać kwoty z otrzymanego od niego rozliczenia. Skorygowaną kwotę z nowym "
        "terminem płatności otrzyma Pan/Pani {by_channel_pl}. Jeśli ubezpieczyciel długo "
        "zwleka z wypłatą, można tutaj, po podaniu daty urodzenia, bezpłatnie odroczyć termin "
        "płatności."
    ),
    # Not yet read by a native speaker (README, Languages): the three below.
    "dont_pay_yet_no_deferral": (
        "Świadczeniodawca nie ma umowy z Pana/Pani ubezpieczycielem zdrowotnym. Proszę też "
        "jeszcze nie ustalać planu ratalnego. Najpierw proszę złożyć fakturę u "
        "ubezpieczyciela, a potem wpisać poniżej kwoty z otrzymanego od niego rozliczenia. "
        "Skorygowaną kwotę z nowym terminem płatności otrzyma Pan/Pani {by_channel_pl}. Jeśli "
        "ubezpieczyciel długo zwleka z wypłatą, proszę skontaktować się ze swoim "
        "świadczeniodawcą."
    ),
    "dont_pay_yet_locked_no_deferral": (
        "Świadczeniodawca nie ma umowy z Pana/Pani ubezpieczycielem zdrowotnym. Proszę też "
        "jeszcze nie ustalać planu ratalnego. Najpierw proszę złożyć fakturę u "
        "ubezpieczyciela. Następnie proszę podać poniżej datę urodzenia pacjenta: wtedy można "
        "tutaj wpisać kwoty z otrzymanego od niego rozliczenia. Skorygowaną kwotę z nowym "
        "terminem płatności otrzyma Pan/Pani {by_channel_pl}. Jeśli ubezpieczyciel długo "
        "zwleka z wypłatą, proszę skontaktować się ze swoim świadczeniodawcą."
    ),
    # Not yet read by a native speaker (README, Languages): the two below.
    "coulance_decision_heading": "Świadczeniodawca decyduje o skorygowanej kwocie",
    "coulance_decision": (
        "Otrzymaliśmy rozliczenie od Pana/Pani ubezpieczyciela zdrowotnego. Skorygowaną kwotę "
        "z nowym terminem płatności otrzyma Pan/Pani {by_channel_pl}. Do tego czasu proszę "
        "jeszcze nie "
        "płacić ani nie prosić o plan ratalny czy odroczenie."
    ),
    "statement_heading": "Rozliczenie od ubezpieczyciela zdrowotnego",
    "statement_text": "Proszę przepisać kwoty z rozliczenia przysłanego przez ubezpieczyciela.",
    "reimbursed_label": "Zwrot od ubezpieczyciela zdrowotnego (€)",
    "withheld_label": "Potrącony udział własny (eigen risico) (€)",
    "statement_button": "Prześlij rozliczenie",
    # Not yet read by a native speaker (README, Languages): the date and confirmation.
    "done_statement_applied": (
        "Kwota została skorygowana: pozostało do zapłaty {due}. Prosimy zapłacić ją "
        "najpóźniej do {date}. Potwierdzenie otrzyma Pan/Pani {by_channel_pl}."
    ),
    "done_statement_sent_to_provider": (
        "Świadczeniodawca rozpatrzy rozliczenie. Odpowiedź otrzyma Pan/Pani {by_channel_pl}."
    ),
    # Not yet read by a native speaker (README, Languages): the date and confirmation.
    "done_statement_nothing_to_forgive": (
        "Otrzymaliśmy rozliczenie. Kwota pozostaje bez zmian: {due}. Prosimy zapłacić ją "
        "najpóźniej do {date}. Potwierdzenie otrzyma Pan/Pani {by_channel_pl}."
    ),
    # Not yet read by a native speaker (README, Languages): no date while the notice waits.
    "done_statement_applied_undated": (
        "Kwota została skorygowana: pozostało do zapłaty {due}. Termin, po którym faktura "
        "trafi do biura windykacyjnego, poda ostateczne wezwanie do zapłaty, które otrzyma "
        "Pan/Pani. Potwierdzenie otrzyma Pan/Pani {by_channel_pl}."
    ),
    "done_statement_nothing_to_forgive_undated": (
        "Otrzymaliśmy rozliczenie. Kwota pozostaje bez zmian: {due}. Termin, po którym "
        "faktura trafi do biura windykacyjnego, poda ostateczne wezwanie do zapłaty, które "
        "otrzyma Pan/Pani. Potwierdzenie otrzyma Pan/Pani {by_channel_pl}."
    ),
    "page_faq": "Najczęstsze pytania",
    "page_terms": "Warunki płatności",
    "page_privacy": "Prywatność",
}

REFUSALS: Section = {
    "paid": "Ta faktura została już zapłacona.",
    "nothing_to_pay": "Za tę fakturę nie musi Pan/Pani już nic płacić.",
    "with_collection_agency": (
        "Ta faktura została przekazana do biura windykacyjnego. Proszę skontaktować się z "
        "biurem windykacyjnym."
    ),
    "payment_received": (
        "Ta płatność została już przyjęta i jest przetwarzana. Nie trzeba płacić ponownie."
    ),
    "already_deferred": (
        "Termin płatności tej faktury został już odroczony. Odroczenie jest możliwe jeden raz."
    ),
    "arrangement_exists": "Dla tej faktury ustalono już plan ratalny.",
    "deferral_too_late": (
        "Termin płatności minął zbyt dawno: odroczenie nie dałoby już dodatkowego czasu. "
        "Można natomiast ustalić plan ratalny."
    ),
    "deferral_gives_no_time": (
        "Odroczenie nie jest już możliwe: nie przesunęłoby terminu, w którym należy teraz "
        "zapłacić. Można natomiast ustalić plan ratalny."
    ),
    "deferral_too_late_no_arrangement": (
        "Termin płatności minął zbyt dawno: odroczenie nie dałoby już dodatkowego czasu."
    ),
    "deferral_gives_no_time_no_arrangement": (
        "Odroczenie nie jest już możliwe: nie przesunęłoby terminu, w którym należy teraz zapłacić."
    ),
    "terms_out_of_range": "Plan ratalny obejmuje od 2 do 12 rat miesięcznych.",
    "term_too_small": "Przy tej liczbie rat rata byłaby zbyt niska. Proszę wybrać mniej rat.",
    "amount_too_small": (
        "Kwota jest zbyt niska na plan ratalny. Można natomiast poprosić o odroczenie "
        "terminu płatności."
    ),
    "amount_too_small_no_deferral": "Kwota jest zbyt niska na plan ratalny.",
    "statement_already_received": (
        "Rozliczenie od ubezpieczyciela zdrowotnego dla tej faktury zostało już przez nas przyjęte."
    ),
    "not_for_insurer": (
        "Tej faktury nie składa się u ubezpieczyciela zdrowotnego: opłata za niestawienie się "
        "na umówioną wizytę nigdy nie trafia do ubezpieczyciela. Płaci ją Pan/Pani sam(a)."
    ),
    "insurer_contracted": (
        "Świadczeniodawca ma umowę z Pana/Pani ubezpieczycielem zdrowotnym: zwrot został "
        "już odliczony od tej faktury."
    ),
    "statement_above_invoice": (
        "Zwrot i potrącony udział własny są razem wyższe niż faktura. Proszę sprawdzić "
        "kwoty w rozliczeniu od ubezpieczyciela zdrowotnego."
    ),
    # Not yet read by a native speaker (README, Languages): the two below.
    "awaits_insurer_statement": (
        "Proszę jeszcze nie ustalać planu ratalnego: najpierw proszę złożyć fakturę u "
        "ubezpieczyciela zdrowotnego i przekazać nam jego rozliczenie. Skorygowaną kwotę "
        "otrzyma Pan/Pani {by_channel_pl}."
    ),
    "awaits_coulance_decision": (
        "Świadczeniodawca decyduje teraz o skorygowanej kwocie. Otrzyma ją Pan/Pani "
        "{by_channel_pl} "
        "wraz z nowym terminem płatności. Do tego czasu nie trzeba niczego ustalać."
    ),
    # Not yet read by a native speaker (README, Languages).
    "invalid_objection_reason": "Proszę wybrać powód z listy.",
    "invalid_objection_message_empty": "Proszę napisać w wiadomości, z czym się Pan/Pani nie zgadza.",
    "invalid_objection_message": "Proszę napisać wiadomość o długości najwyżej 2000 znaków.",
    "invalid_objection_email": (
        "Proszę podać prawidłowy adres e-mail, np. imie@przyklad.pl: na ten adres "
        "przyjdzie odpowiedź na reklamację."
    ),
}

ANSWERS: Section = {
    # One sentence for an unknown reference and a wrong birth date alike (R10).
    # Not yet read by a native speaker (README, Languages): all but the first sentence.
    "not_found": (
        "Nie znajdujemy faktury o tym numerze referencyjnym płatności i tych danych. Proszę "
        "sprawdzić numer referencyjny płatności na fakturze oraz, jeśli została podana, datę "
        "urodzenia pacjenta. Wszystko się zgadza? Proszę spróbować ponownie dopiero za "
        "godzinę: po kilku błędnych próbach czekamy godzinę, a próba w tym czasie liczy "
        "godzinę od nowa. Można też zadzwonić do świadczeniodawcy podanego na fakturze."
    ),
    "invalid_reference": "Ten numer referencyjny płatności jest błędny — proszę sprawdzić 14 cyfr.",
    # Not yet read by a native speaker (README, Languages).
    "invoice_unavailable": (
        "Nie możemy teraz pokazać tej faktury. Proszę spróbować ponownie później lub "
        "skontaktować się ze swoim świadczeniodawcą."
    ),
}

# Keyed by the section names of texts.patient (PAGE, INFO, REFUSALS, ANSWERS), which
# imports this module to register it.
SECTIONS: Sections = {
    "page.info": INFO,
    "page.checker": PAGE,
    "refusals": REFUSALS,
    "answers": ANSWERS,
}
