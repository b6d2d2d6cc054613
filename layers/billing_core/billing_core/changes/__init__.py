"""What a patient or the practice changes on an open invoice: deferral (R14), an
instalment arrangement (R15), an objection (R16), a hold (R16), a stop or partial stop
(R21) and non-contracted coulance (R17, with the provider's ``coulance_policy``).
Pure functions on an invoice; imports ``shared``, ``invoices`` and ``providers``."""
