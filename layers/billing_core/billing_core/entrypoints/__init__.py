"""Where events enter: HTTP models, error mapping, cursors and middlewares, one way to
put a JSON API together and its Swagger page (``http``), the pages people read: the
checker and the practices' portal (``web``), and the shapes of the event-driven
functions: an S3 upload (``s3_upload``) and the marker of a file's version finished, which
answers it delivered again however late (``finished_uploads``), the bank import's runs
(``bank_runs``), a run that
goes on in a call its function makes to itself (``continued_runs``) and the mark of each
of its parts finished (``finished_parts``), a scheduled run
(``scheduled``), the delivery queue's batch (``queue``), SES events
(``ses_events``), the invoices the retention period removed (``expired_invoices``), all
with Powertools put together once (``powertools``: decorators, lazy tracer and
idempotency, ``log_report``; the log formatter that keeps personal data out, ``masking``).
Imports everything it needs; nothing but ``functions/`` and ``local/`` imports it."""
