"""A presigned upload (``UploadUrls.upload_url``): in a module of its own, so a function
that hands out no upload URL (every event function) does not build this class at its cold
start (make bench (d))."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SignedUpload:
    """A URL that takes one HTTP PUT of a file, and the headers that PUT must send: they
    are part of the signature, so a PUT without them is refused (issue 13 items 1, 9)."""

    url: str
    headers: dict[str, str]
