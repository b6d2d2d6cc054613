"""Whether a text can be an e-mail address we send to: one check for the declaration
parsers (R7: an address that cannot be right sends the invoice by post) and the objection
form (R16: the address the provider answers)."""

from __future__ import annotations

MAX_EMAIL_CHARS = 254  # RFC 5321: the longest path a mail server must accept
# Never in an address we can send to: separators, and ASCII's control characters (a line
# break would start another mail header). An apostrophe is fine: o'brien@...
_FORBIDDEN = frozenset(' ,;:<>()[]\\"\x7f' + "".join(map(chr, range(32))))


def is_plausible_email(text: str) -> bool:
    """A sane check, not RFC 5322: one @, a dotted domain, ASCII without spaces, line
    breaks or separators, no leading dot, at most 254 characters. Whether the address
    exists is the mail server's question."""
    local, at, domain = text.partition("@")
    if not (at and local and domain) or "@" in domain or len(text) > MAX_EMAIL_CHARS:
        return False
    if not text.isascii() or not _FORBIDDEN.isdisjoint(text):
        return False
    labels = domain.split(".")
    return len(labels) >= 2 and all(labels) and not local.startswith(".")
