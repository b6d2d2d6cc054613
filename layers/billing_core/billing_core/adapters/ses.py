"""Sending e-mails through Amazon SES v2, as raw MIME so the PDF can go along (R7, R30)."""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from email.policy import SMTP
from typing import Any

from billing_core.correspondence.messages import KENMERK_TAG, Attachment, RenderedEmail

KENMERK_HEADER = "X-Zorgnota-Kenmerk"


class SesNotifier:
    """A ``Notifier`` on SES v2. The configuration set routes bounces and complaints to
    the event destination that turns them into open actions for the provider (R7, R23)."""

    def __init__(self, client: Any, *, sender: str, configuration_set: str) -> None:
        self._client = client  # a boto3 "sesv2" client
        self._sender = sender
        self._configuration_set = configuration_set

    def send(self, to: str, email: RenderedEmail, attachments: Sequence[Attachment]) -> str:
        response = self._client.send_email(
            FromEmailAddress=self._sender,
            Destination={"ToAddresses": [to]},
            Content={"Raw": {"Data": mime_message(self._sender, to, email, attachments)}},
            ConfigurationSetName=self._configuration_set,
            EmailTags=email_tags(email),
        )
        return str(response["MessageId"])


def email_tags(email: RenderedEmail) -> list[dict[str, str]]:
    """Tags travel into SES's bounce and complaint events: the kind of mail and the
    invoice's betalingskenmerk (public, on every letter), never a name or an address
    (R29); the kenmerk leads a bounce back to the invoice and its provider (R23)."""
    tags = [{"Name": "kind", "Value": email.kind}]
    if email.reference:
        tags.append({"Name": KENMERK_TAG, "Value": email.reference})
    return tags


def encoded_subject(subject: str) -> str:
    """A subject with non-ASCII text as whole RFC 2047 encoded-words in UTF-8, folded
    between them: its spaces travel inside the encoded text. Python's SMTP policy folds
    such a subject so that a reader (RFC 2047 §6.2 ignores white space between encoded-
    words) loses a space, sees one doubled, or sees an encoded-word as text (R9, R30)."""
    from email.header import Header

    return Header(subject, "utf-8", header_name="Subject").encode(linesep="\n")


def mime_message(
    sender: str, to: str, email: RenderedEmail, attachments: Sequence[Attachment]
) -> bytes:
    """multipart/mixed: (text | html) as alternatives, then the attachments.

    SMTP policy: CRLF line ends, headers folded at 78 characters and non-ASCII in them
    as RFC 2047 encoded words, which every mail system accepts; bodies go
    quoted-printable in UTF-8. (Python's own parser keeps the space of a fold right
    after "Subject:"; strip it when reading a message back.)
    """
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = to
    if email.subject.isascii():
        message["Subject"] = email.subject
    else:  # set as encoded, not folded again (encoded_subject)
        message.set_raw("Subject", encoded_subject(email.subject))
    # A transactional mail: no List-Unsubscribe; auto-responders should not answer it.
    message["Auto-Submitted"] = "auto-generated"
    if email.reference:
        message[KENMERK_HEADER] = email.reference
    message.set_content(email.text, subtype="plain", cte="quoted-printable")
    message.add_alternative(email.html, subtype="html", cte="quoted-printable")
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    # Last: set_content() and add_attachment() move or drop every Content-* header.
    message["Content-Language"] = email.language
    return message.as_bytes()
