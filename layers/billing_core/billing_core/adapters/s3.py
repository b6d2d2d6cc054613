"""The output bucket as a FileStore."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus

from billing_core.ports import FileGone

if TYPE_CHECKING:
    from billing_core.shared.stored_files import FilePage

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

    def exists(self, key: str) -> bool:
        try:
            self._client.head_object(Bucket=self._bucket, Key=key)
        except self._client.exceptions.ClientError as error:
            # Only "not there" is False: a 403 the listing does not explain is a role that
            # may not look, raised like any other error so the record is retried (then the
            # dead-letter queue), not a letter put again in today's batch while its first
            # is in an earlier one (R38, legal-nl.md §2).
            if self._not_there(key, error):
                return False
            raise
        return True

    def get(self, key: str) -> bytes:
        try:
            answer = self._client.get_object(Bucket=self._bucket, Key=key)
        except self._client.exceptions.ClientError as error:
            # Deleted by the bucket's lifecycle rule (legal-nl.md §8) or never written.
            if self._not_there(key, error):
                raise FileGone(key) from None
            raise
        body: bytes = answer["Body"].read()
        return body

    def _not_there(self, key: str, error: Any) -> bool:
        """Whether S3's error says ``key`` is not there. A 404 does. A 403 is what S3 answers
        a missing key when it does not count the role's ListBucket (granted only under the
        prefixes each function reads, template.yaml; whether S3 counts a grant limited by
        ``s3:prefix`` for a GET is not documented): then the key is looked for under its
        own prefix, which that grant allows. A listing refused, or one that holds the key,
        leaves the 403 an error."""
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status == 404:
            return True
        if status != 403:
            return False
        try:
            listed = self._client.list_objects_v2(Bucket=self._bucket, Prefix=key, MaxKeys=1)
        except self._client.exceptions.ClientError:
            return False
        return all(item["Key"] != key for item in listed.get("Contents", ()))

    def list_files(self, prefix: str, start_after: str, limit: int) -> FilePage:
        # Imported here: only the provider API lists files, not every handler's cold start.
        from billing_core.shared.stored_files import FilePage, StoredFile

        listed = self._client.list_objects_v2(
            Bucket=self._bucket, Prefix=prefix, StartAfter=start_after, MaxKeys=limit
        )
        files = [
            StoredFile(item["Key"], item["Size"], item["LastModified"])
            for item in listed.get("Contents", [])
        ]
        return FilePage(files, more=bool(listed.get("IsTruncated")))

    def download_url(self, key: str, expires_in_seconds: int) -> str:
        # Signed with the function's role: it needs GetObject on the key (template.yaml).
        url = self._client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self._bucket, "Key": key},
            ExpiresIn=expires_in_seconds,
        )
        return str(url)


def uploaded_objects(event: Mapping[str, Any]) -> list[S3Upload]:
    """The objects an S3 notification reports, as plain dicts: the input of the
    idempotent upload handlers (bucket, decoded key, version, eTag).

    Read from the notification's JSON as it is: four fields do not need Powertools'
    ``S3Event``, whose package loads all its 38 event classes, a twentieth of an upload
    function's cold start (issue 11 item 5)."""
    return [
        {
            "bucket": record["s3"]["bucket"]["name"],
            # S3 URL-encodes keys in notifications ("week 47.csv" -> "week+47.csv").
            "key": unquote_plus(record["s3"]["object"]["key"]),
            "version": record["s3"]["object"].get("versionId") or "",
            "etag": record["s3"]["object"].get("eTag", ""),
        }
        for record in event["Records"]
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
