"""The output bucket as a FileStore."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes import S3Event

# One object an S3 notification reported: bucket, decoded key, version and eTag. A plain
# dict, as Powertools idempotency hashes it.
S3Upload = dict[str, str]


class S3FileStore:
    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self._client.put_object(Bucket=self._bucket, Key=key, Body=body, ContentType=content_type)

    def delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self._bucket, Key=key)

    def get(self, key: str) -> bytes:
        body: bytes = self._client.get_object(Bucket=self._bucket, Key=key)["Body"].read()
        return body


def uploaded_objects(event: S3Event) -> list[S3Upload]:
    """The objects an S3 notification reports, as plain dicts: the input of the
    idempotent upload handlers (bucket, decoded key, version, eTag)."""
    return [
        {
            "bucket": record.s3.bucket.name,
            # S3 URL-encodes keys in notifications ("week 47.csv" -> "week+47.csv").
            "key": unquote_plus(record.s3.get_object.key),
            "version": record.s3.get_object.version_id or "",
            "etag": record.s3.get_object.etag,
        }
        for record in event.records
    ]


def uploaded_bytes(client: Any, upload: S3Upload) -> bytes:
    """The exact version of the object a notification reported (a later upload to the same
    key must not be read in its place)."""
    version = {"VersionId": upload["version"]} if upload["version"] else {}
    answer = client.get_object(Bucket=upload["bucket"], Key=upload["key"], **version)
    body: bytes = answer["Body"].read()
    return body


def uploaded_bytes_at_most(client: Any, upload: S3Upload, max_bytes: int) -> bytes | None:
    """The reported version's bytes, or None when it is larger than ``max_bytes``: the size
    is asked first, so an oversized file is never read into memory."""
    version = {"VersionId": upload["version"]} if upload["version"] else {}
    head = client.head_object(Bucket=upload["bucket"], Key=upload["key"], **version)
    if head["ContentLength"] > max_bytes:
        return None
    return uploaded_bytes(client, upload)
