"""What every room uses and nothing else defines: money in cents (``money``), the settable
Amsterdam clock (``clock``), the 14-digit betalingskenmerk (``reference``), the refusals a
use case raises (``errors``), the bulk-work helpers (``bulk``), whether a text can be an
e-mail address (``email_address``), the one way a CSV file for a spreadsheet is written
(``spreadsheet``), the audit of reads (``audit``), what a use case started by an event tells
the operator (``reports``), a change known by its request's key (``retries``, R38), how a
settings rule holds on write only (``settings_rules``, R31) and the files listed from the
output bucket (``stored_files``) and a presigned upload's URL and headers
(``signed_uploads``). Imports: the standard library only (and ``texts`` for the
refusals' sentences)."""
