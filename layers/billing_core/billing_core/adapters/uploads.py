"""Presigned S3 PUT URLs for declaration uploads."""

from __future__ import annotations

from typing import Any


class S3PresignedUploads:
    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def upload_url(self, object_key: str, expires_in_seconds: int) -> str:
        # No ContentType in the signature: the URL takes a PUT with any Content-Type.
        return str(
            self._client.generate_presigned_url(
                "put_object",
                Params={"Bucket": self._bucket, "Key": object_key},
                ExpiresIn=expires_in_seconds,
            )
        )

    def put_upload(self, object_key: str, body: bytes) -> None:
        """The portal's form upload: the same key, so S3 notifies the ingest as for a PUT."""
        self._client.put_object(Bucket=self._bucket, Key=object_key, Body=body)
