"""Where events enter: HTTP models, error mapping, cursors and middlewares, one way to
put a JSON API together and its Swagger page (``http``), the checker page (``web``), and
the shapes of the event-driven functions: an S3 upload (``s3_upload``), a scheduled run
(``scheduled``), the delivery queue's batch (``queue``), SES events (``ses_events``),
all with Powertools put together once (``powertools``: decorators, lazy tracer and
idempotency, ``log_report``). Imports everything it needs; nothing but ``functions/``
and ``local/`` imports it."""
