"""Every sentence a person reads, one catalogue per audience, in Dutch and English and
ready for Polish and Arabic (R9): adding a language is adding its entries, no code.

- ``patient``: the payment-checker page, the patient API's answers and the refusals of
  what a patient asks (``shared.errors.refused``).
- ``practice``: what a practice employee reads: the findings of a processing report
  (``declarations.findings.Finding``) and the provider API's refusals
  (``shared.errors.practice_refused``).
- ``portal``: every page of the provider portal (R35); ``reads``: a read of the audit in the
  access log's words (R32); ``retour_codes``: the insurer's Vektis retourcodes (data).
- ``polish/`` and ``arabic/``: the patient's catalogues and letters in those languages.
- ``letters/``: the e-mails and PDFs, a small package with one module per family of
  letters (invoice, dunning, confirmations): together they are some 700 lines of
  sentences, too many to read as one module, and each family is read with its templates.

Every catalogue has the shape and the lookups of ``catalogue.Catalogue``: language ->
section -> key -> ``str.format`` pattern, a whole document in one language
(``texts_for``) or one sentence (``text``), Dutch when the reader's language lacks it.
Imports: ``shared`` only; the rooms that speak take their words from here.
"""
