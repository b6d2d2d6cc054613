"""Presigned S3 PUT URLs for declaration and retour uploads (issue 13 items 1 and 9).

What S3 itself enforces, whatever the client does:
- ``If-None-Match: *`` is signed: S3 writes the key only when it has no object yet (a
  conditional write), so a second PUT with the same URL gets 412 Precondition Failed and
  the ingest never sees a second file under one upload.
- ``Content-Length`` is signed when the client said the file's size: S3 refuses a body of
  any other size. A presigned POST could cap a range (``content-length-range``) without
  knowing the size, but S3 takes no ``If-None-Match`` on a POST, so its URL could be
  replayed for its whole lifetime: one file per URL weighs more. Without a size, the
  ingest asks S3 for it and refuses a file above its cap before reading a byte.
Both headers are in the SigV4 signature (a SigV2 URL signs neither): a PUT that leaves
them out or changes them is refused with 403.
"""

from __future__ import annotations

from typing import Any

from billing_core.shared.signed_uploads import SignedUpload

ONCE_ONLY = {"If-None-Match": "*"}


class S3PresignedUploads:
    def __init__(self, client: Any, bucket: str) -> None:
        """client: an S3 client that signs with SigV4 (``signature_version="s3v4"``)."""
        self._client = client
        self._bucket = bucket

    def upload_url(
        self, object_key: str, expires_in_seconds: int, size_bytes: int | None = None
    ) -> SignedUpload:
        # No ContentType in the signature: the URL takes a PUT with any Content-Type.
        params: dict[str, Any] = {"Bucket": self._bucket, "Key": object_key, "IfNoneMatch": "*"}
        headers = dict(ONCE_ONLY)
        if size_bytes is not None:
            params["ContentLength"] = size_bytes
            headers["Content-Length"] = str(size_bytes)
        url = self._client.generate_presigned_url(
            "put_object", Params=params, ExpiresIn=expires_in_seconds
        )
        return SignedUpload(str(url), headers)

    def put_upload(self, object_key: str, body: bytes) -> None:
        """The portal's form upload: the same key, so S3 notifies the ingest as for a PUT,
        and the same one-file-per-key condition."""
        self._client.put_object(Bucket=self._bucket, Key=object_key, Body=body, IfNoneMatch="*")
