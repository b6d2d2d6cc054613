"""What a browser's form posts, read the one way for the portal and the checker: the body
as API Gateway passes it (base64 for the stage's binary media types), and a
``multipart/form-data`` body's fields and files (RFC 7578).

The checker's objection form posts multipart (R16, R9; audit REQUESTS1): urlencoded, a
browser writes each byte of a non-Latin letter as ``%XX``, so 2,000 Arabic characters
(what the form allows) became 10 KB, over the 8 KB the WAF and the patient API take;
multipart carries them as UTF-8, at most 6 KB.

A multipart body is read as RFC 7578 says a form sends it, and only so: flat parts split
at the boundary, each with its ``Content-Disposition: form-data; name=...`` (and
``filename=...`` for a file), the content as sent. Nothing nests, nothing is decoded
(``Content-Transfer-Encoding`` is deprecated for forms, RFC 7578 §4.7), and the parts are
counted. Both bodies arrive before anyone is known (the checker is public, the portal's
session is checked after its form is read): Python's e-mail parser, used before, read a
nested ``multipart/mixed`` part by recursing, so a 52 KB body of 1,000 nested parts
failed the function with a RecursionError (500, 130 KB of stack trace in the log), and
its time grew with the nesting (1.7 s for 150 levels in the checker's 8 KB) and the size
(19 s for the portal's upload form of 540 KB, before any session check) (R29, R38; audit
security5 SEC5-1, SEC5-2). This reader's time is linear in the body.
Powertools (3.37) splits multipart only inside its OpenAPI validation, for routes that
declare Form/File parameters, with no cap on the parts; both of these bodies are read
before any route (the 413 page) or outside one (the portal's upload form).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

# More parts than any of our forms has (the settings' largest has about 30): the rest of
# a body with more is not read, so a form made of tiny parts costs no more than this.
MAX_PARTS = 200
# RFC 2046 §5.1.1: a boundary is 1 to 70 characters.
MAX_BOUNDARY_CHARS = 70


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
    field -> (file name, content). A field sent twice keeps its last value; a part without
    a name is skipped; a body without a usable boundary has no fields."""
    form: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    boundary = header_params(content_type).get("boundary", "")
    if not 0 < len(boundary) <= MAX_BOUNDARY_CHARS or not boundary.isascii():
        return form, files
    for headers, content in _parts(body, b"--" + boundary.encode("ascii")):
        disposition = headers.get("content-disposition", "")
        if disposition.split(";", 1)[0].strip().lower() != "form-data":
            continue
        params = header_params(disposition)
        name = params.get("name")
        if not name:
            continue
        if "filename" in params:
            files[name] = (params["filename"], content)
        else:
            form[name] = content.decode("utf-8", "replace")
    return form, files


def _parts(body: bytes, delimiter: bytes) -> list[tuple[dict[str, str], bytes]]:
    """Each part between the delimiters (RFC 2046 §5.1.1): its headers (lower-case names)
    and its content; a browser ends lines with CRLF, a bare LF is taken too. At most
    MAX_PARTS; what follows the close delimiter (``--boundary--``) is not read."""
    newline = b"\r\n" if b"\r\n" in body[: body.find(b"\n") + 1] else b"\n"
    chunks = (newline + body).split(newline + delimiter, MAX_PARTS + 1)
    parts = []
    for chunk in chunks[1 : MAX_PARTS + 1]:  # the first is the preamble
        if chunk.startswith(b"--"):
            break  # the close delimiter
        _padding, found, rest = chunk.partition(newline)
        if not found:
            continue
        if rest.startswith(newline):  # no headers: the empty line at once
            head, content = b"", rest[len(newline) :]
        else:
            head, found, content = rest.partition(newline + newline)
            if not found:  # headers only
                head, content = rest, b""
        parts.append((_headers(head, newline), content))
    return parts


def _headers(head: bytes, newline: bytes) -> dict[str, str]:
    """A part's header lines, by lower-case name (the last of a name sent twice)."""
    headers: dict[str, str] = {}
    for line in head.decode("utf-8", "replace").split(newline.decode()):
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    return headers


def header_params(value: str) -> dict[str, str]:
    """A header's parameters (``type; name="value"; other=token``) by lower-case name, a
    quoted value unquoted. A browser writes a ``"`` in a form's field or file name as %22
    and a backslash as itself (the HTML standard), so the next quote ends the value and a
    backslash is part of it."""
    params: dict[str, str] = {}
    position = value.find(";")
    while 0 <= position < len(value):
        end_of_name = value.find("=", position + 1)
        if end_of_name < 0:
            break
        name = value[position + 1 : end_of_name].strip().lower()
        start = end_of_name + 1
        while start < len(value) and value[start] in " \t":
            start += 1
        if value.startswith('"', start):
            closing = value.find('"', start + 1)
            closing = closing if closing >= 0 else len(value)
            text = value[start + 1 : closing]
            next_semicolon = value.find(";", closing)
            position = next_semicolon if next_semicolon >= 0 else len(value)
        else:
            next_semicolon = value.find(";", start)
            position = next_semicolon if next_semicolon >= 0 else len(value)
            text = value[start:position].strip()
        params.setdefault(name, text)
    return params
