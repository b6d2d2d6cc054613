"""The payment-checker page (R10): server-rendered, accessible, works without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from billing_core.correspondence.render import ENVIRONMENT
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
