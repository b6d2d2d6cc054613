"""The outside world behind the ports: DynamoDB (``dynamo``), S3 files and presigned
uploads (``s3``, ``uploads``), the SQS delivery queue (``sqs``), SES (``ses``), the
Mollie PSP (``mollie``) and the local fake PSP (``fake_psp``), the practices' users in
Cognito (``cognito_users``, the portal's sign-in ``cognito_sign_in``) and in memory for
the sandbox and the tests (``users_in_memory``). The only room that imports boto3.
Imports: domain rooms and ``ports``; never ``services`` or ``entrypoints``."""
