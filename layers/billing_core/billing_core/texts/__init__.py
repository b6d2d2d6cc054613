"""Every sentence a person reads, one catalogue per audience: the patient (checker page,
refusals), the practice (processing findings) and letters (e-mails, PDFs, dunning and
confirmation letters), in Dutch and English, ready for Polish and Arabic (R9).
Imports: ``shared`` only; the rooms that speak take their words from here."""
