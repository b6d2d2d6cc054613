"""Adapters from the billing core's ports to AWS (DynamoDB, S3, SQS). Only these import boto3."""
