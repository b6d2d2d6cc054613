"""What the use cases refuse, in one place, so an API maps them in one place too.

- ``NotFound``: no invoice for this reference, or the birth date does not match. One
  class and one message for both, so an answer never tells a real reference from a
  fake one (R10, interfaces.md §2). Suggested: HTTP 404. ``UnknownBatch``,
  ``UnknownInvoice``, ``UnknownMigration``, ``UnknownProvider``: the same for what an operator names (a
  payout or refund batch, a data migration, a provider), in the operator's words (R34).
  ``NoLongerKept``: a file of a listed record that its retention rule deleted.
- ``StateConflict``: the invoice's state does not allow it (already deferred, with the
  collection agency, paid). Suggested: HTTP 409.
- ``Forbidden``: the caller's role may not do this (R32: a viewer stops nothing, a staff
  member changes no settings); nothing was changed. Suggested: HTTP 403.
- ``Refused``: the request breaks a business rule (too many terms, terms too small).
  Suggested: HTTP 422. ``StateConflict`` and ``Forbidden`` are ``Refused``; catch them
  first.

A wrong check digit is ``reference.InvalidReference`` (HTTP 400), raised before any
database read.

Every refusal carries a stable ``code`` and the sentence to show in Dutch, in English
and in any other language that has it. The sentences are in ``texts``: ``refused`` takes
a patient's from ``texts.patient``, ``practice_refused`` a practice employee's from
``texts.practice``; which refusals are state conflicts is decided here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from billing_core.texts.catalogue import DEFAULT_LANGUAGE

# The sentences (texts.patient, texts.practice) are imported when a refusal is made, not
# with this module: every function imports it, few refuse anything on a cold start, and
# the four languages' texts are a tenth of a handler's import (issue 18 (d)).


class NotFound(LookupError):
    code = "not_found"

    def __init__(self) -> None:
        # Nothing of the request in the exception: it may end up in a log.
        super().__init__(self.code)

    @property
    def message_nl(self) -> str:
        return self.message("nl")

    @property
    def message_en(self) -> str:
        return self.message("en")

    def message(self, language: str) -> str:
        from billing_core.texts import patient

        return patient.patient_message(self.code, language)


class OperatorNotFound(NotFound):
    """Not found in the operator's words (R34), not the payment checker's "no invoice for
    this payment reference": ``said_as``, its sentences' key in texts.practice."""

    said_as = ""

    def message(self, language: str) -> str:
        from billing_core.texts import practice

        return practice.refusal_sentences(self.said_as)[language]


class UnknownBatch(OperatorNotFound):
    """No payout or refund batch has this id."""

    said_as = "unknown_batch"


class UnknownMigration(OperatorNotFound):
    """No data migration has this name."""

    said_as = "unknown_migration"


class UnknownInvoice(OperatorNotFound):
    """No invoice has the kenmerk an operator's route names in its path."""

    said_as = "unknown_kenmerk"


class UnknownProvider(OperatorNotFound):
    """No provider (practice) has this id."""

    said_as = "unknown_provider"


class NoLongerKept(NotFound):
    """A file its retention rule deleted (legal-nl.md §8) while the practice's list still
    names it: a 404 that says why, in the practice's words (texts.practice)."""

    def __init__(self, said_as: str) -> None:
        self.code = said_as  # statement_no_longer_kept, letter_no_longer_kept
        super().__init__()

    def message(self, language: str) -> str:
        from billing_core.texts import practice

        return practice.refusal_sentences(self.code)[language]


class Refused(Exception):
    """``nl`` and ``en`` are the refusal in Dutch and English, ``other_languages`` in any
    other language that has it (R9). ``also``: the refusals of the same request found
    with this one (a form wrong in several fields names them all at once, WCAG 3.3.1);
    the ``code`` stays this one's."""

    also: tuple[Refused, ...] = ()
    # The texts' key its sentences come from, when not its code: one code said in more
    # than one way (an objection's message empty or too long, R16).
    said_as: str = ""

    # "payment_received": the PSP payment already made, so the checker can remember it in
    # a browser that did not start it and say it is being processed (R11).
    psp_payment_id: str = ""

    def __init__(self, code: str, nl: str, en: str, **other_languages: str) -> None:
        super().__init__(code)
        self.code = code
        self.message_nl = nl
        self.message_en = en
        self.sentences: Mapping[str, str] = {**other_languages, "nl": nl, "en": en}

    def message(self, language: str) -> str:
        """In the reader's language, or in Dutch while that language lacks the refusal."""
        return self.sentences.get(language, self.sentences[DEFAULT_LANGUAGE])


class StateConflict(Refused):
    """Refused because of the invoice's state, not because of what was asked."""


class Forbidden(Refused):
    """Refused because of who asks, whatever was asked."""


# The refusals (texts.patient, texts.practice) that are about the invoice's state.
_PATIENT_STATE_CONFLICTS = frozenset(
    {
        "paid",
        "nothing_to_pay",
        "with_collection_agency",
        "already_deferred",
        "arrangement_exists",
        "deferral_too_late",
        "deferral_gives_no_time",
        "payment_received",
        "statement_already_received",
        "not_for_insurer",
        "insurer_contracted",
        "awaits_insurer_statement",
        "awaits_coulance_decision",
    }
)
_PRACTICE_STATE_CONFLICTS = frozenset(
    {
        "not_sent",
        "fully_paid",
        "nothing_open",
        "paid",
        "with_collection_agency",
        "provider_exists",
        "stale_version",
        "user_exists",
        "last_admin",
        "batch_not_proposed",
        "batch_sent",
        "payout_account_changed",
        "refund_booked",
        "no_psp_refund_pending",
        "psp_refund_settled",
        "psp_refund_id_corrected",
        "proposal_already_decided",
        "action_changed",
        "invoice_changed",
        "credit_already_matched",
        "credit_partly_booked",
    }
)
_PRACTICE_FORBIDDEN = frozenset(
    {"role_too_low", "operator_only_setting", "operators_only", "practice_users_only"}
)


def refused(code: str, *also: str, **values: str) -> Refused:
    """The exception for a refusal of what a patient asked (texts.patient); ``also``, the
    codes of the other refusals of the same request, in the order of its form; ``values``,
    what its sentences name (``texts.catalogue.by_channel``: how the answer will come)."""
    return _refused(code, also, {}, values)


def refused_as(said_as: Mapping[str, str], code: str, *also: str, **values: str) -> Refused:
    """``refused``, each code in ``said_as`` said by the texts' key it maps to, its code
    staying (an objection's message empty, not too long: R16; a deferral refused where an
    arrangement would be too: R14, R15)."""
    return _refused(code, also, said_as, values)


def _refused(
    code: str, also: Sequence[str], said_as: Mapping[str, str], values: Mapping[str, str]
) -> Refused:
    from billing_core.texts import patient

    kind = StateConflict if code in _PATIENT_STATE_CONFLICTS else Refused
    key = said_as.get(code, code)
    refusal = kind(code, **patient.refusal_sentences(key, **values))
    refusal.said_as = key if key != code else ""
    refusal.also = tuple(_refused(other, (), said_as, {}) for other in also)
    return refusal


def practice_refused(code: str, /, *, said_as: str = "", **values: object) -> Refused:
    """The exception for a refusal of what a practice employee asked (texts.practice);
    ``said_as``: the texts' key when the refusal is said otherwise in some cases, the code
    that clients read staying the same."""
    from billing_core.texts import practice

    kind = StateConflict if code in _PRACTICE_STATE_CONFLICTS else Refused
    if code in _PRACTICE_FORBIDDEN:
        kind = Forbidden
    return kind(code, **practice.refusal_sentences(said_as or code, **values))


def validation_message(
    errors: Sequence[Mapping[str, Any]],
    reason: Callable[[Mapping[str, Any]], str] | None = None,
) -> str:
    """'body.file_name: Field required' — where and what, never the submitted value: the
    APIs' 400 (``reason``: its words for what is wrong, Dutch and English), and why a
    stored provider no longer validates (its values may be anyone's)."""
    said = validation_fields(_said_once(errors)[:5], reason)
    return "; ".join(f"{where}: {what}" for where, what in said)


# At most this many fields in a 400's ``fields``: a made-up body wrong in thousands of
# places gets an answer of a readable size (its message names the first five).
MAX_FIELDS = 50


def validation_fields(
    errors: Sequence[Mapping[str, Any]],
    reason: Callable[[Mapping[str, Any]], str] | None = None,
) -> list[tuple[str, str]]:
    """(where, what) of each problem, in the order the model checked them (its fields'
    order, as a form has them): the APIs' 400 lists every one (``fields``), never the
    submitted value."""
    located = []
    for error in _said_once(errors)[:MAX_FIELDS]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        located.append((where, reason(error) if reason else error.get("msg", "invalid")))
    return located


def _said_once(errors: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The problems without pydantic's echo of a list's failed items: a list whose every
    item failed is also "too short ... after validation, not 0", though items were given
    (one AGB code typed wrong, audit onboard5); its items' own problems say what is wrong."""
    places = [tuple(error.get("loc", ())) for error in errors]

    def echoes(error: Mapping[str, Any], place: tuple[Any, ...]) -> bool:
        inside = (other[: len(place)] == place for other in places if len(other) > len(place))
        return error.get("type") == "too_short" and any(inside)

    return [error for error, place in zip(errors, places, strict=True) if not echoes(error, place)]
