"""How a file is handed to a browser to keep: the checker's invoice PDF, the portal's
letters, statements and exports."""

from __future__ import annotations

from urllib.parse import quote


def content_disposition(file_name: str, *, fallback: str) -> str:
    """A download named in the reader's language (RFC 6266: ``filename*`` in UTF-8), with
    a plain ASCII name for clients that know no other."""
    ascii_name = file_name if file_name.isascii() else fallback
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name)}"
