"""Opaque paging cursors: the client sees a token, never a table key."""

from __future__ import annotations

import base64
import binascii
import json
import re


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


def after(token: str | None) -> str | None:
    """The position a list's ``cursor`` parameter names; None without one (the first
    page). InvalidCursor for one that does not decode."""
    return decode(token) if token else None


def following(position: str | None) -> str | None:
    """A page's ``next_cursor``: the cursor of the position the next page goes on after;
    None on the last page."""
    return encode(position) if position else None


def encode_offset(position: int | None) -> str | None:
    """The cursor of a position in a list read whole; None for none (a last page)."""
    return None if position is None else encode(str(position))


def decode_offset(cursor: str | None) -> int:
    """A position in a list read whole (a report's findings); 0 without a cursor."""
    if cursor is None:
        return 0
    value = decode(cursor)
    if not re.fullmatch(r"[0-9]{1,9}", value):
        raise InvalidCursor(cursor)
    return int(value)
