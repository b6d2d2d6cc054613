"""The pages for patients besides the checker (R36): questions and answers (/vragen), the
payment terms (/voorwaarden, as legal-nl.md §2-§5 has them) and privacy (/privacy). The
same path in every language, ``?lang=`` chooses; linked from the checker, the e-mails and
every PDF (correspondence/links.py). And the page for an address no page has (``NOT_FOUND``,
404), in ``?lang=`` too: it leads back to the checker. And the pay button's answer when
the PSP cannot be reached (``PAYMENT_UNAVAILABLE``, 503): how to pay by transfer instead.
And a form's body over the patient API's limit (``MESSAGE_TOO_LONG``, 413): the message
was too long, and here it is back to shorten."""

from __future__ import annotations

from typing import TYPE_CHECKING

from billing_core.correspondence.links import PAGES, checker_url
from billing_core.correspondence.render import ENVIRONMENT
from billing_core.texts.catalogue import RIGHT_TO_LEFT
from billing_core.texts.patient import LANGUAGE_NAMES, info_texts

if TYPE_CHECKING:
    from billing_core.payments.collection_account import CollectionAccount

NOT_FOUND = "not_found"
PAYMENT_UNAVAILABLE = "payment_unavailable"
MESSAGE_TOO_LONG = "message_too_long"


def render_info_page(
    page: str,
    language: str,
    *,
    kenmerk: str = "",
    account: CollectionAccount | None = None,
    amount_cents: int | None = None,
    given_back: str = "",
) -> str:
    """``page``: a key of links.PAGES (faq, terms, privacy), or ``NOT_FOUND`` or
    ``PAYMENT_UNAVAILABLE``, whose language links lead to the checker (the address asked
    for is no page to offer). ``kenmerk``: the invoice the patient came from, which the
    links back to the checker keep; ``account``: where to transfer to, shown with it (R12),
    and ``amount_cents``, what to transfer (what the pay button asked, R11); ``given_back``:
    what the patient typed in a form that could not be taken, to copy (nothing lost)."""
    t = info_texts(language)
    return ENVIRONMENT.get_template("pages/info.html.j2").render(
        t=t,
        language=t.language,
        page=page,
        path=PAGES.get(page, "/"),
        pages=PAGES,
        languages=LANGUAGE_NAMES,
        right_to_left=RIGHT_TO_LEFT,
        kenmerk=kenmerk,
        account=account,
        amount_cents=amount_cents,
        given_back=given_back,
        back=checker_url("", kenmerk, t.language) if kenmerk else "",
    )
