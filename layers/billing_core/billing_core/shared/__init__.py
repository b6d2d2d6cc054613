"""What every room uses and nothing else defines: money in cents (``money``), the
settable Amsterdam clock (``clock``), the 14-digit betalingskenmerk (``reference``), the
refusals a use case raises (``errors``), the bulk-work helpers (``bulk``), whether a text
can be an e-mail address (``email_address``), the one way a CSV file for a spreadsheet is
written (``spreadsheet``), the audit of reads (``audit``) and what a use case started by
an event tells the operator (``reports``).
Imports: the standard library only (and ``texts`` for the refusals' sentences)."""
