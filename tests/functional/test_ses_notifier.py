"""The invoice e-mail through SES v2 on moto (R7, R30): what a mailbox would receive.

moto keeps raw sends of SES v2 in the SES (v1) backend's ``sent_messages``; it only
accepts a sender whose address or domain is a verified identity.
"""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from billing_core.adapters.ses import SesNotifier
from billing_core.correspondence.messages import Attachment
from billing_core.correspondence.pdf import render_invoice_pdf
from billing_core.correspondence.render import render_invoice_email
from tests.unit.factories import BSN, PUBLIC, REFERENCE, make_invoice, make_provider
from tests.unit.test_invoice_pdf import ACCOUNT

REGION = "eu-central-1"
DOMAIN = "zorgnota.example"
SENDER = f"zorgnota <nota@{DOMAIN}>"
CONFIGURATION_SET = "zorgnota-test-transactional"
PATIENT_EMAIL = "s.vanderberg@example.nl"


@pytest.fixture
def sesv2(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        client = boto3.client("sesv2", region_name=REGION)
        client.create_email_identity(EmailIdentity=DOMAIN)
        client.create_configuration_set(ConfigurationSetName=CONFIGURATION_SET)
        yield client


def send_invoice(client: Any, invoice=None, provider=None) -> tuple[str, bytes]:
    invoice = invoice or make_invoice()
    provider = provider or make_provider()
    email = render_invoice_email(
        invoice, provider, pay_url=f"{PUBLIC}/?kenmerk={invoice.reference}", public_base_url=PUBLIC
    )
    pdf = render_invoice_pdf(invoice, provider, public_base_url=PUBLIC, account=ACCOUNT)
    notifier = SesNotifier(client, sender=SENDER, configuration_set=CONFIGURATION_SET)
    attachment = Attachment(f"nota-{invoice.reference}.pdf", pdf, "application/pdf")
    return notifier.send(PATIENT_EMAIL, email, [attachment]), pdf


def received() -> list[EmailMessage]:
    """What SES accepted, parsed as a mail client would."""
    backend = ses_backends[DEFAULT_ACCOUNT_ID][REGION]
    return [
        message_from_bytes(message.raw_data.encode(), policy=policy.default)  # type: ignore[misc]
        for message in backend.sent_messages
    ]


def subject(mail: EmailMessage) -> str:
    """The Subject as a mail client shows it: a header folded right after "Subject:"
    reads back with the fold's space in front in Python's parser."""
    return str(mail["Subject"]).strip()


def test_the_patient_receives_text_html_and_the_pdf(sesv2):
    # Given a verified sending domain and an invoice for a patient with an e-mail address
    # When the invoice e-mail is sent
    message_id, pdf = send_invoice(sesv2)

    # Then SES accepted one message, under the id that is recorded on the invoice
    backend = ses_backends[DEFAULT_ACCOUNT_ID][REGION]
    assert [m.id for m in backend.sent_messages] == [message_id]
    (mail,) = received()

    # and it is a mixed message: the two alternatives and the PDF
    assert mail.get_content_type() == "multipart/mixed"
    assert mail["To"] == PATIENT_EMAIL
    assert mail["From"] == SENDER
    assert subject(mail).startswith("Nota van Tandartspraktijk De Vries - betalingskenmerk")
    text = mail.get_body(preferencelist=("plain",))
    html = mail.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    assert "€\u00a033,17" in text.get_content()
    assert '<html lang="nl"' in html.get_content()
    (attachment,) = mail.iter_attachments()
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"nota-{REFERENCE}.pdf"
    assert attachment.get_content() == pdf


def test_headers_say_language_kenmerk_and_that_it_is_transactional(sesv2):
    send_invoice(sesv2)

    (mail,) = received()
    assert mail["Content-Language"] == "nl"
    assert mail["X-Zorgnota-Kenmerk"] == REFERENCE
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["List-Unsubscribe"] is None


def test_nothing_personal_outside_the_pdf(sesv2):
    send_invoice(sesv2)

    (mail,) = received()
    for part in mail.walk():
        if part.get_content_type() in ("text/plain", "text/html"):
            assert BSN not in part.get_content()
    assert BSN not in str(dict(mail.items()))


def test_a_name_with_accents_survives_the_subject_header(sesv2):
    # Given a provider whose name is not ASCII
    send_invoice(sesv2, provider=make_provider(name="Mondzorg Zoë Brückner"))

    # When the mail is read back
    backend = ses_backends[DEFAULT_ACCOUNT_ID][REGION]
    raw = backend.sent_messages[0].raw_data

    # Then the header went out encoded (any mail system takes that) and reads back right
    assert raw.isascii()
    (mail,) = received()
    assert subject(mail).startswith("Nota van Mondzorg Zoë Brückner")


def test_configuration_set_and_tags_without_personal_data(sesv2):
    # Given a look at what the client puts on the wire
    calls: list[dict[str, Any]] = []
    sesv2.meta.events.register(
        "provide-client-params.sesv2.SendEmail", lambda params, **_: calls.append(params)
    )

    # When the invoice e-mail is sent
    send_invoice(sesv2)

    # Then bounces and complaints go through the configuration set, tagged by kind and by
    # the kenmerk that leads a bounce back to the invoice (R23): no name, no address
    (params,) = calls
    assert params["ConfigurationSetName"] == CONFIGURATION_SET
    assert params["EmailTags"] == [
        {"Name": "kind", "Value": "invoice"},
        {"Name": "kenmerk", "Value": make_invoice().reference},
    ]
    assert params["Destination"] == {"ToAddresses": [PATIENT_EMAIL]}


def test_an_unverified_sender_is_refused(sesv2):
    notifier = SesNotifier(
        sesv2, sender="nota@elsewhere.example", configuration_set=CONFIGURATION_SET
    )
    email = render_invoice_email(
        make_invoice(), make_provider(), pay_url=PUBLIC, public_base_url=PUBLIC
    )

    with pytest.raises(ClientError, match="MessageRejected"):
        notifier.send(PATIENT_EMAIL, email, [])
