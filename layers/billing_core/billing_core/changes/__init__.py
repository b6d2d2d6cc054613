"""What a patient or the practice changes on an open invoice: deferral (``deferral``, R14),
an instalment arrangement (``arrangement``, R15), an objection (``objection``, R16), a hold
(``hold``, R16), a stop or partial stop (``stop``, R21) and non-contracted coulance
(``coulance``, R17, with the provider's ``coulance_policy``); an operator's correction of a
stop or coulance entered by mistake (``correction``, R27, R34) and the one check every
patient change makes first: the invoice is still open (``refusals``). Pure functions on an
invoice; imports ``shared``, ``invoices`` and ``providers``."""
