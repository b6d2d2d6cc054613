"""The payment-checker page (R10): server-rendered, accessible, works without JavaScript.

Its forms post back to the page: ``form_answer`` turns a form into the use case it asks
for and the page (or the bank's checkout) the patient sees next.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from billing_core.correspondence.render import ENVIRONMENT
from billing_core.payments.online import OnlinePaymentContext, start_payment
from billing_core.services import patient
from billing_core.services.patient import PatientContext
from billing_core.shared.errors import NotFound, Refused
from billing_core.shared.reference import InvalidReference
from billing_core.texts.patient import page_texts

PAGE_LANGUAGES = ("nl", "en", "pl", "ar")


@dataclass(frozen=True, slots=True)
class Offer:
    """What deferral and an arrangement cost: shown before the patient asks."""

    deferral_days: int = 30
    arrangement_fee_cents: int = 1000
    min_term_cents: int = 2500


def checker_url(public_base_url: str, reference: str, language: str = "nl") -> str:
    """The checker with the kenmerk filled in: no personal data in the URL (R29)."""
    query = urlencode({"kenmerk": reference, "lang": language})
    return f"{public_base_url.rstrip('/')}/?{query}"


def page_language(requested: str | None) -> str:
    return requested if requested in PAGE_LANGUAGES else "nl"


def render_checker(
    language: str,
    *,
    entered: str = "",
    view: Any = None,
    offer: Offer | None = None,
    error_key: str | None = None,
    notice: tuple[str, dict[str, Any]] | None = None,
    refusal: str | None = None,
) -> str:
    """error_key and notice name texts of the page section, so every word is translated;
    a refusal comes translated from the use case (errors.py)."""
    t = page_texts(language)
    return ENVIRONMENT.get_template("pages/checker.html.j2").render(
        language=t.language,
        other_language="en" if t.language == "nl" else "nl",
        t=t,
        entered=entered,
        reference=view.reference if view else "",
        view=view,
        offer=(view.offer if view is not None and view.offer else None) or offer or Offer(),
        error=t(error_key) if error_key else (t("refused", reason=refusal) if refusal else None),
        notice=t(notice[0], **_spoken(notice[1], t)) if notice else None,
    )


def _spoken(values: dict[str, Any], t: Any) -> dict[str, Any]:
    """Dates in a notice as people write them in the page's language."""
    return {k: t.long_date(v) if hasattr(v, "isoweekday") else v for k, v in values.items()}


# --- the page's answers ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageAnswer:
    html: str = ""
    status: HTTPStatus = HTTPStatus.OK
    redirect_to: str = ""  # the bank's checkout, after "pay"


def status_page(
    language: str,
    kenmerk: str,
    ctx: PatientContext,
    *,
    error_key: str | None = None,
    notice: tuple[str, dict[str, Any]] | None = None,
    refusal: Refused | None = None,
) -> str:
    """The page for this kenmerk: its status, or why there is none."""
    try:
        view = patient.payment_status(kenmerk, ctx)
    except InvalidReference:
        return render_checker(language, entered=kenmerk, error_key="invalid_reference")
    except NotFound:
        return render_checker(language, entered=kenmerk, error_key="not_found")
    return render_checker(
        language,
        entered=view.reference,
        view=view,
        error_key=error_key,
        notice=notice,
        refusal=refusal.message(language) if refusal else None,
    )


def form_answer(
    form: Mapping[str, str],
    ctx: PatientContext,
    payments: Callable[[], OnlinePaymentContext],
) -> PageAnswer:
    """The page after a form: pay, defer, arrange or object. ``payments`` builds the
    payment context only when the patient pays."""
    language = page_language(form.get("lang"))
    kenmerk = form.get("kenmerk", "")
    try:
        action = form.get("action", "")
        birth_date = date.fromisoformat(form.get("birth_date", ""))
        if action == "pay":
            return PageAnswer(
                redirect_to=start_payment(kenmerk, birth_date, payments()).checkout_url
            )
        notice = _form_action(action, kenmerk, birth_date, form, ctx)
    except ValueError:  # no or a malformed birth date, or an unknown action
        page = status_page(language, kenmerk, ctx, error_key="not_found")
        return PageAnswer(page, HTTPStatus.BAD_REQUEST)
    except (NotFound, InvalidReference):
        page = status_page(language, kenmerk, ctx, error_key="not_found")
        return PageAnswer(page, HTTPStatus.NOT_FOUND)
    except Refused as refusal:
        return PageAnswer(status_page(language, kenmerk, ctx, refusal=refusal), HTTPStatus.CONFLICT)
    return PageAnswer(status_page(language, kenmerk, ctx, notice=notice))


def _form_action(
    action: str, kenmerk: str, birth_date: date, form: Mapping[str, str], ctx: PatientContext
) -> tuple[str, dict[str, Any]]:
    if action == "defer":
        view = patient.request_deferral(kenmerk, birth_date, ctx)
        return "done_deferral", {"date": view.final_payment_date}
    if action == "arrange":
        terms = int(form.get("terms", "0"))
        patient.request_arrangement(kenmerk, birth_date, terms, ctx)
        return "done_arrangement", {}
    if action == "object":
        patient.file_objection(
            kenmerk,
            birth_date,
            form.get("reason", ""),
            form.get("message", ""),
            form.get("email", ""),
            ctx,
        )
        return "done_objection", {}
    raise ValueError("unknown action")
