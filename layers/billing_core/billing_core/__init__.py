"""zorgnota billing core: everything that is billing, nothing that is AWS.

The domain modules (money, reference, ledger, invoice, coverage, declarations, ...)
import nothing from boto3; adapters for DynamoDB, S3 and SES live in ``store`` and
``notify`` and are the only places that talk to AWS.
"""
