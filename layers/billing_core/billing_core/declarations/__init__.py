"""From a declaration file to invoices (R1-R8): files read as claims (``formats``,
``csv_format``, ``vektis/``; every parser returns a ``parsed.ParseResult``) with findings a
practice employee understands (``findings``), the CSV template and column documentation
made from the reader's own table (``csv_template``), claims grouped into invoices
(``invoicing``), the steps every upload takes (``upload``), the ingest use case
(``ingest``), credit lines on earlier invoices (``credit_corrections``), insurer retour
files (``retour``), what the reports of both share (``reports``) and the insurer-claim export
(``insurer_claims``); the rules a line meets are in ``rules/``. Imports: domain rooms and
``ports``."""
