"""The public addresses a patient is sent to (interfaces.md §8): the checker with the
kenmerk filled in (pay links, the QR code, the bank's way back) and the pages with
questions, payment terms and privacy. No personal data in any of them (R29): the
kenmerk and the language only.
"""

from __future__ import annotations

from urllib.parse import urlencode

from billing_core.invoices.invoice import Invoice

# The pages for patients (R36): path per page, the same in every language (?lang=).
PAGES = {"faq": "/vragen", "terms": "/voorwaarden", "privacy": "/privacy"}
RETURNED_FROM_BANK = "ideal"  # ?terug=ideal: the patient comes back from the bank


def checker_url(
    public_base_url: str, reference: str, language: str = "nl", *, returned: bool = False
) -> str:
    """The checker with the kenmerk filled in; ``returned``: as the bank sends the patient
    back, so the page says how the payment went."""
    query = {"kenmerk": reference, "lang": language}
    if returned:
        query["terug"] = RETURNED_FROM_BANK
    return f"{public_base_url.rstrip('/')}/?{urlencode(query)}"


def checker_address(public_base_url: str, language: str) -> str:
    """The checker in ``language``, without a kenmerk: the address a sentence prints that
    asks the reader to enter the kenmerk there (R36). It carries the language as the pages'
    links do, so a reader whose phone or browser is Dutch still lands on the checker in the
    letter's language; no kenmerk, as the sentence asks for it, one letter may name several
    and on paper the address stays short enough to type (the QR code has the kenmerk)."""
    return f"{public_base_url.rstrip('/')}/?{urlencode({'lang': language})}"


def pay_url(public_base_url: str, invoice: Invoice) -> str:
    """The checker for this invoice, in its addressee's language (e-mails, letters)."""
    return checker_url(public_base_url, invoice.reference, invoice.language.value)


def page_url(public_base_url: str, page: str, language: str = "nl") -> str:
    """One of the pages for patients (``PAGES``), in ``language``."""
    path = PAGES[page]
    suffix = "" if language == "nl" else f"?{urlencode({'lang': language})}"
    return f"{public_base_url.rstrip('/')}{path}{suffix}"


def page_urls(public_base_url: str, language: str) -> dict[str, str]:
    """Every page for patients, by name: what e-mails, letters and the checker link to."""
    return {page: page_url(public_base_url, page, language) for page in PAGES}
