"""What a browser's form posts, read the one way for the portal and the checker: the body
as API Gateway passes it (base64 for the stage's binary media types), and a
``multipart/form-data`` body's fields and files (RFC 7578).

The checker's objection form posts multipart (R16, R9; audit REQUESTS1): urlencoded, a
browser writes each byte of a non-Latin letter as ``%XX``, so 2,000 Arabic characters
(what the form allows) became 10 KB, over the 8 KB the WAF and the patient API take;
multipart carries them as UTF-8, at most 6 KB.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any


def cookie_header(event: Mapping[str, Any]) -> str:
    """Every cookie the request sent, as one Cookie header. An HTTP/2 client may send its
    cookies as several ``cookie`` lines (RFC 9113 §8.2.3); API Gateway's REST API passes
    them all in ``multiValueHeaders`` and only the last in ``headers``, so a session
    cookie in an earlier line would be lost. Header names in any case (HTTP/2: lower)."""
    lines = [
        str(value)
        for name, values in (event.get("multiValueHeaders") or {}).items()
        if str(name).lower() == "cookie"
        for value in values or ()
    ]
    if not lines:  # an event without multiValueHeaders (a hand-made one)
        headers = event.get("headers") or {}
        lines = [str(v) for name, v in headers.items() if str(name).lower() == "cookie"]
    return "; ".join(line for line in lines if line)


def raw_body(body: str | None, is_base64_encoded: bool) -> bytes:
    """The request's body as the browser sent it."""
    text = body or ""
    return base64.b64decode(text) if is_base64_encoded else text.encode("utf-8")


def multipart_form(
    content_type: str, body: bytes
) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    """The fields and files of a multipart/form-data body (RFC 7578): field -> text, and
    field -> (file name, content)."""
    # Imported here: only a multipart body needs the e-mail parser; the checker's other
    # forms and every GET of the patient API never load it.
    from email import message_from_bytes, policy

    parsed = message_from_bytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body, policy=policy.HTTP
    )
    form: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for part in parsed.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        content: Any = part.get_payload(decode=True)
        content = content if isinstance(content, bytes) else b""
        file_name = part.get_filename()
        if file_name is not None:
            files[name] = (file_name, content)
        else:
            form[name] = content.decode("utf-8", "replace")
    return form, files
