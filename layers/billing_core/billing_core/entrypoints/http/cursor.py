"""Opaque paging cursors: the client sees a token, never a table key."""

from __future__ import annotations

import base64
import binascii
import json


class InvalidCursor(ValueError):
    pass


def encode(position: str) -> str:
    raw = json.dumps({"after": position}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))["after"]
    except (binascii.Error, ValueError, KeyError, TypeError) as error:
        raise InvalidCursor(cursor) from error
    if not isinstance(value, str) or not value:
        raise InvalidCursor(cursor)
    return value
