"""Everything a patient reads, in Polish (R9, issue 17 item 7): ``patient`` (the checker
page, the pages for patients, the API's answers and the refusals) and ``letters`` (the
e-mails and PDFs), registered with ``pl=`` in ``texts.patient`` and ``texts.letters``.

The tone: the formal address "Pan/Pani" throughout (never "ty", never "Państwo"), with
impersonal sentences where Polish official letters use them ("Płatności można dokonać…").
The terms: "faktura" for nota, "termin płatności" for uiterste betaaldatum, "upomnienie"
for herinnering, "odsetki ustawowe", "pozasądowe koszty windykacji", "biuro windykacyjne",
"numer referencyjny płatności" for betalingskenmerk, with the Dutch word in brackets
where the patient meets it on Dutch paperwork. Figures and articles are those of the
Dutch texts (legal-nl.md).
"""
