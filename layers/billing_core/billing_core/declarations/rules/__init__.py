"""The rules a claim meets before it becomes an invoice line: what the insurer reimburses
(``coverage``, R5), no-show / materials / price-quote rules (``line_rules``, R6), the
treatment codes and the insurer register (``treatment_codes``, ``insurers``).
Imports: ``shared``, ``declarations.claims`` and ``providers``."""
