"""Where events enter: HTTP models, error mapping, cursors and middlewares (``http``),
the checker page (``web``), the S3-upload handler shape (``s3_upload``). Imports
everything it needs; nothing but ``functions/`` and ``local/`` imports it."""
