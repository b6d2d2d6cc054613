"""From a declaration file to invoices (R1-R8): files read as claims (``claims``;
``formats``, ``csv_format`` with its row splitter ``csv_rows`` and the Dutch names of its
columns ``csv_dutch_names``, ``vektis/``; every parser
returns a ``parsed.ParseResult``) with findings a practice employee understands
(``findings``; the characters that would not print as themselves in ``characters``), the
upload's record and summary (``record``), the CSV template and column documentation made
from the reader's own table (``csv_template``), claims grouped into invoices
(``invoicing``), the steps every upload takes (``upload``), the ingest use case
(``ingest``), credit lines on earlier invoices (``credit_corrections``; what a credit gives
back of a deduction in ``credit_shares``, one that names no line in ``unlinked_credits``),
insurer retour files (``retour``; a run of one in parts, ``retour_parts``), what the reports of both share (``reports``) and the
insurer-claim export (``insurer_claims``); the operator's claim-marker migration answers in
``claim_marker_migration``; the rules a line meets are in ``rules/``. Imports: domain rooms
and ``ports``."""
