"""Arabic (R9): everything a patient reads, in Modern Standard Arabic, polite (the plural
of respect: يرجى، يمكنكم) and plain.

- ``patient``: the checker page, the pages for patients, the API's answers, the refusals.
- ``letters``: the e-mails and PDFs (invoice, reminders, confirmations).

Choices that hold for every text here:

- The Dutch word a patient meets on Dutch paperwork stands once in brackets after its
  Arabic (betalingskenmerk, incassobureau, eigen risico), so the patient can find it on
  a bank form or in a letter from someone else.
- Western digits (0-9) for amounts, dates and kenmerken, as Arabic banking in the Gulf and
  the Maghreb writes them and as the patient types them into a Dutch banking app; the
  amounts come from ``format_euros(..., "ar")``. Month names are ``catalogue.MONTHS["ar"]``.
- "zorgnota" and "iDEAL" stay in Latin letters: that is what the patient sees on screen.
"""
