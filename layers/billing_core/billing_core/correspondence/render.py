"""E-mails from Jinja2 templates, with a text and an HTML part (R30).

Every kind of e-mail is a pair of templates, ``templates/email/<kind>.txt.j2`` and
``<kind>.html.j2``, extending one base layout, plus an ``email.<kind>`` section in the
text catalogue. The subject is the ``subject`` block of the text template. A new kind
(reminder, deferral_confirmation, ...) needs those files and texts, no code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from markupsafe import Markup

from billing_core.changes.coulance import awaits_insurer_statement
from billing_core.correspondence.links import checker_address, page_urls
from billing_core.correspondence.messages import RenderedEmail
from billing_core.correspondence.practice_contact import practice_contact
from billing_core.invoices.invoice import Invoice
from billing_core.providers.provider import Provider
from billing_core.shared import reference as betalingskenmerk
from billing_core.shared.clock import amsterdam_day
from billing_core.shared.money import format_euros
from billing_core.texts.catalogue import RIGHT_TO_LEFT, by_channel, long_date
from billing_core.texts.letters import texts_for
from billing_core.texts.letters.dunning import interest_note_key, now_due_key

TEMPLATES = Path(__file__).resolve().parent / "templates"


@pass_context
def _euros(context: Context, cents: int) -> str:
    return format_euros(cents, context["language"])


@pass_context
def _date(context: Context, day: date) -> str:
    return long_date(day, context["language"])


@pass_context
def _digits(context: Context, grouped_number: str) -> str:
    """A number in groups (kenmerk, IBAN, phone) as it must stand: unbroken in
    right-to-left text, where spaces would put its groups in reverse order, and on paper
    (pdf.render_message_pdf), where a line must not break inside it: typed over from two
    lines, a number goes wrong (audit letters57: 14 of 44 paper confirmations printed the
    kenmerk of their title over two lines)."""
    if context.get("on_paper") or context.get("language") in RIGHT_TO_LEFT:
        return betalingskenmerk.unbroken(grouped_number)
    return grouped_number


@pass_context
def _left_to_right(context: Context, value: object) -> str:
    """A value that reads left to right in any page or text (amount, kenmerk, IBAN),
    isolated so right-to-left text neither reorders it nor lets it reorder what stands
    around it: in HTML a ``bdi``; in a right-to-left plain text (a mail client's text
    part, the letter printed from it) between U+2066 and U+2069, as the Arabic sentences
    write an amount, so "€" reads before it, not "33.17€" after a label (R9)."""
    if context.eval_ctx.autoescape:
        return Markup('<bdi dir="ltr">{}</bdi>').format(value)
    if context.get("language") in RIGHT_TO_LEFT:
        return f"\u2066{value}\u2069"
    return str(value)


@pass_context
def _kenmerk(context: Context, reference: str) -> str:
    return str(_digits(context, betalingskenmerk.grouped(reference)))


def template_environment(folder: Path) -> Environment:
    """HTML escaped, a missing value an error, and the filters every reader needs:
    ``euros``, ``date`` (in the context's ``language``), ``dutch_day``, ``kenmerk``,
    ``digits`` and ``ltr``."""
    env = Environment(
        loader=FileSystemLoader(folder),
        # Templates are named "x.html.j2": select_autoescape(["html", "xml"]) alone
        # would see the ".j2" and escape nothing. Unknown names are escaped too.
        autoescape=select_autoescape(
            enabled_extensions=("html", "xml", "html.j2", "xml.j2"),
            disabled_extensions=("txt", "txt.j2"),
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,  # a value the template expects but did not get fails
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["euros"] = _euros
    env.filters["date"] = _date
    # A moment's day as the Netherlands count it, whatever zone it was stamped in (a PSP,
    # SES and S3 stamp theirs in UTC: 23:30Z in winter is the next day here), then written
    # as any day: ``at | dutch_day | day`` or ``| date``. The one way a template takes a
    # moment's day; ``at.date()`` would take the day of the zone it happened to carry
    # (architecture.md: dates Europe/Amsterdam; R27, R35).
    env.filters["dutch_day"] = amsterdam_day
    env.filters["kenmerk"] = _kenmerk
    env.filters["digits"] = _digits
    env.filters["ltr"] = _left_to_right
    # The second notice's sentences before and after its amounts, the e-mail's as its PDF's.
    env.globals["now_due_key"] = now_due_key
    env.globals["interest_note_key"] = interest_note_key
    return env


ENVIRONMENT = template_environment(TEMPLATES)


def render_email(
    kind: str, context: Mapping[str, Any], language: str, *, on_paper: bool = False
) -> RenderedEmail:
    """Render the e-mail ``kind`` in ``language`` (or Dutch while that has no texts);
    ``on_paper``: its text part for a letter (pdf.render_message_pdf), without the
    e-mail's own footer."""
    texts = texts_for(language, ("common", "email", f"email.{kind}"))
    values = {
        **context,
        "on_paper": on_paper,
        "t": texts,
        "language": texts.language,
        "direction": texts.direction,
        # The pages for patients, under the checker's address (absent in a bare message).
        "pages": page_urls(context["checker_url"], texts.language)
        if "checker_url" in context
        else None,
        # The checker a sentence sends the reader to, in the reader's language (R36).
        "checker_address": checker_address(context["checker_url"], texts.language)
        if "checker_url" in context
        else None,
    }
    text_template = ENVIRONMENT.get_template(f"email/{kind}.txt.j2")
    values["subject"] = _subject(text_template, values)
    return RenderedEmail(
        kind=kind,
        subject=values["subject"],
        text=text_template.render(values),
        html=ENVIRONMENT.get_template(f"email/{kind}.html.j2").render(values),
        language=texts.language,
        reference=str(context.get("reference", "")),
    )


def render_invoice_email(
    invoice: Invoice, provider: Provider, *, pay_url: str, public_base_url: str
) -> RenderedEmail:
    context = invoice_email_context(
        invoice, provider, pay_url=pay_url, public_base_url=public_base_url
    )
    return render_email("invoice", context, invoice.language.value)


def invoice_email_context(
    invoice: Invoice, provider: Provider, *, pay_url: str, public_base_url: str
) -> dict[str, Any]:
    """Only what the e-mail may show. The template never sees the invoice itself, so no
    template edit can put the BSN or the treatments in a mail body (R29): bodies pass
    through more systems than the attached PDF does."""
    return {
        "addressee_name": invoice.addressee.display_name,
        "patient_name": invoice.patient.display_name if invoice.debtor else "",
        "provider_name": provider.name,
        "provider_city": provider.city,
        "amount_due_cents": invoice.amount_due_cents,
        "reimbursed_cents": invoice.reimbursed_cents,
        "final_payment_date": invoice.final_payment_date,
        "reference": invoice.reference,
        "pay_url": pay_url,
        "checker_url": public_base_url,
        "practice": practice_contact(provider),
        # legal-nl.md §7, R37: non-contracted care, claim it first: "don't pay yet".
        "dont_pay_yet": awaits_insurer_statement(invoice, provider),
        "by": by_channel(invoice.follow_up_channel),  # R7: how the adjusted amount comes
        "more_time": more_time(invoice, provider),
    }


def more_time(invoice: Invoice, provider: Provider) -> str:
    """The invoice's "more time?" sentence: the deferral and an arrangement, or the deferral
    alone when the checker would refuse an arrangement (``can_arrange``; letters57)."""
    return "more_time" if can_arrange(invoice, provider) else "more_time_deferral"


def can_arrange(invoice: Invoice, provider: Provider) -> bool:
    """R15: whether the checker would grant an arrangement now, as a reminder decides whether
    to invite one (``dunning.letters.arrangement_possible``): an invoice or a deferral of an
    amount too small for two terms, or of one with an arrangement, does not send the
    patient to the checker for one that would be refused (audit plans57)."""
    # Imported here: the dunning letters are not loaded by every function that renders.
    from billing_core.dunning.letters import arrangement_possible

    return arrangement_possible([invoice], provider)


def _subject(template: Template, values: Mapping[str, Any]) -> str:
    """The ``subject`` block on one line: a header cannot hold a line break. (Only ASCII
    white space is collapsed: a kenmerk's no-break spaces stay.)"""
    block = template.blocks["subject"]
    rendered = "".join(block(template.new_context(dict(values))))
    return " ".join(re.split(r"[ \t\r\n]+", rendered.strip()))
