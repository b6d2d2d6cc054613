"""The links a letter, an e-mail or a payment page gives a patient.

Its own module, without the renderers: the payment use case needs the checker's link
but not fpdf2 and Jinja2, whose import is most of a cold start (bench (d), #18).
"""

from __future__ import annotations

from urllib.parse import urlencode

from billing_core.invoices.invoice import Invoice


def pay_url(public_base_url: str, invoice: Invoice) -> str:
    """The payment checker with the kenmerk filled in: no personal data in the URL (R29)."""
    query = urlencode({"kenmerk": invoice.reference, "lang": invoice.language.value})
    return f"{public_base_url.rstrip('/')}/?{query}"
