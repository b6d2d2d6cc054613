"""Letters and e-mails to patients: rendering (Jinja2, fpdf2) and sending (SES).

The use cases depend on the ``Notifier`` protocol below, never on SES, so a test or the
sandbox can hand in any object with a ``send`` method.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

# Every e-mail carries its invoice's betalingskenmerk under this message tag, so a bounce
# or complaint reported by SES finds the invoice again (R23).
KENMERK_TAG = "kenmerk"


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    """An e-mail ready to send: both parts (R30) and what it is about, nothing more."""

    kind: str  # "invoice", later "reminder", "deferral_confirmation", ...
    subject: str
    text: str
    html: str
    language: str  # the language the texts are actually in (after falling back)
    reference: str = ""  # the betalingskenmerk it concerns, for the outbox and support


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content: bytes
    content_type: str = "application/pdf"


class Notifier(Protocol):
    def send(self, to: str, email: RenderedEmail, attachments: Sequence[Attachment]) -> str:
        """Send the e-mail; return the message id to record on the invoice (R30)."""
        ...


__all__ = ["KENMERK_TAG", "Attachment", "Notifier", "RenderedEmail"]
