"""The Subject header as a mail reader reads it (R9, R30; audit delivery2).

RFC 2047 §6.2: white space between two adjacent encoded-words is ignored, and a reader
unfolds a header by removing only the CRLF. Python's SMTP policy folds a long subject
with non-ASCII words so that a space is lost between two encoded-words, or doubled at a
fold, and at times leaves an encoded-word broken in two that the reader shows as-is.
"""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from billing_core.adapters.ses import mime_message
from billing_core.correspondence.messages import RenderedEmail

KENMERK_AR = "3215\xa05743\xa08228\xa034"  # no-break spaces in right-to-left text
SUBJECTS = [
    # Arabic: "مرجع الدفع" read as one word before the fix
    f"فاتورة من Tandar - رقم مرجع الدفع {KENMERK_AR}",
    # Arabic second notice with a long practice name: a broken encoded-word was shown
    "إنذار أخير: فاتورة Tandartspraktijk Van der Berg en Zonen Mondzorg Noord Amsterda"
    f" - رقم مرجع الدفع {KENMERK_AR}",
    # Polish: two spaces before "płatności" before the fix
    "Faktura od Tandartspraktijk Van der - numer referencyjny płatności 3215 5743 8228 34",
    "Faktura od Tandartspraktijk De Vries - numer referencyjny płatności 3215\xa05743\xa08",
    "Nota van Fysiotherapie Zoë Çelik B.V. - betalingskenmerk 3215 5743 8228 34",
    "Nota van Tandartspraktijk De Vries - betalingskenmerk 3215 5743 8228 34",
]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_r9_the_subject_reads_as_it_was_written(subject):
    """Given an e-mail whose subject is in Arabic, Polish or Dutch with a long practice
    name (R9), when it is put in MIME for SES (R30), then an RFC 2047 reader gets exactly
    that subject back: no space lost, none doubled, no encoded-word left visible; and no
    header line is longer than 78 characters (RFC 5322 §2.1.1)."""
    email = RenderedEmail(
        kind="invoice", subject=subject, text="t", html="<p>h</p>", language="ar", reference="1"
    )
    raw = mime_message("nota@example.org", "patient@example.org", email, [])

    read = message_from_bytes(raw, policy=policy.default)["Subject"]
    head = raw.split(b"\r\n\r\n", 1)[0]

    assert str(read).lstrip(" ") == subject
    assert "=?" not in str(read)
    assert max(len(line) for line in head.split(b"\r\n")) <= 78
