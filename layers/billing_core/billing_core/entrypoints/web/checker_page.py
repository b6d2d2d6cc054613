"""The payment-checker page (R10, R36): server-rendered, accessible, works without JavaScript.

A visit: the patient enters the kenmerk and sees the status, the breakdown of what is due
and who to ask. The birth date is asked once (``unlock``): when it matches, a visit pass
(invoices/access.py) goes into an HttpOnly, Secure, SameSite=Strict cookie, and the page
shows the invoice lines, the PDF and the forms to pay, defer, arrange, object or send the
insurer's statement, none of which asks the birth date again.

A birth date that does not match and a kenmerk nobody has get the very same page (status,
words, markup), after the same one read (issue 13 item 13): the kenmerk kept, the birth
date field flagged, and no status, since an unknown reference has none to show.

``form_answer`` turns a posted form into the use case it asks for and what the patient
sees next: a page, or a redirect (the bank's checkout, or the page again after unlocking).
The pay button with the PSP unreachable gets a page of its own (503): try again, or transfer.
Back from the bank with the PSP unreachable, the page is shown as we have it (200), with a
notice not to pay again: the bank may have taken the money, the webhook books it later.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from billing_core.changes.objection import EMPTY_MESSAGE
from billing_core.correspondence.links import PAGES, checker_url
from billing_core.correspondence.render import ENVIRONMENT
from billing_core.dunning.breakdown import PayBy
from billing_core.entrypoints.http.middleware import body_bytes
from billing_core.entrypoints.web.forms import multipart_form, raw_body
from billing_core.entrypoints.web.info_pages import (
    MESSAGE_TOO_LONG,
    PAYMENT_UNAVAILABLE,
    render_info_page,
)
from billing_core.invoices.access import VISIT_MINUTES, VisitPass
from billing_core.payments.bank_return import returned_from_bank
from billing_core.payments.online import OnlinePaymentContext, amount_to_transfer, start_payment
from billing_core.payments.psp import PspStatus, PspUnavailable
from billing_core.services import patient
from billing_core.services.patient import (
    InvoiceLinesView,
    InvoiceState,
    PatientContext,
    PaymentStatusView,
    StatementOutcome,
    StatementView,
)
from billing_core.shared.errors import NotFound, Refused, StateConflict
from billing_core.shared.money import AmountFormatError, parse_typed_euros
from billing_core.shared.reference import InvalidReference, parse_ours
from billing_core.texts.catalogue import (
    LANGUAGES,
    RIGHT_TO_LEFT,
    UNSAID,
    by_channel,
    days_counted,
)
from billing_core.texts.patient import LANGUAGE_NAMES, page_texts

if TYPE_CHECKING:
    from billing_core.payments.collection_account import CollectionAccount

# Where programs call: an address under these that no route serves is answered in JSON,
# and so is a body over the API's limit; everywhere else a person reads a page.
PROGRAM_PREFIXES = ("/api/", "/webhooks/")
# A body over the limit this much at most is read to give the message back; a larger one
# is no form a browser filled in.
GIVE_BACK_MAX_BYTES = 64 * 1024
# The objection form posts here, not to "/" (R16): the one address where the WAF lets a
# body through that its XSS rule labels, since a patient's message may hold "<" or "<b>".
OBJECTION_FORM_PATH = "/bezwaar"
VISIT_COOKIE = "zn_visit"
PAYMENT_COOKIE = "zn_payment"  # the iDEAL payment the patient went to the bank for
PAYMENT_COOKIE_SECONDS = 3600  # a bank's checkout expires well within an hour


@dataclass(frozen=True, slots=True)
class Visit:
    """What the browser brings along: this visit's pass and the last payment started."""

    pass_token: str = ""
    payment_id: str = ""

    @classmethod
    def from_cookie_header(cls, header: str) -> Visit:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(header or "")
        except CookieError:  # a mangled header is no visit
            return cls()
        pass_token = jar[VISIT_COOKIE].value if VISIT_COOKIE in jar else ""
        payment_id = jar[PAYMENT_COOKIE].value if PAYMENT_COOKIE in jar else ""
        return cls(pass_token, payment_id)

    def proof(self, key: bytes, now: datetime) -> VisitPass:
        return VisitPass(self.pass_token, key, now)


def page_language(requested: str | None) -> str:
    return requested if requested in LANGUAGES else "nl"


# --- rendering -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageState:
    """What one rendering of the page shows besides the status itself."""

    entered: str = ""  # the kenmerk in the field, as the patient typed it
    lines: InvoiceLinesView | None = None  # set once the birth date was checked
    error_key: str | None = None  # a text of the page section
    notice: tuple[str, dict[str, Any]] | None = None  # a text and its values
    refusal: str | None = None  # a refusal, translated by the use case
    birth_date_invalid: bool = False  # the birth date did not match (or the kenmerk is unknown)
    payment: PspStatus | None = None  # how the payment went the patient comes back from
    # Paid at the bank, not booked yet: the ledger's "open" and its forms would invite a
    # second payment (R11).
    being_booked: bool = False
    # Back from the bank, and the PSP could not say how the payment went: it may be paid
    # (the webhook books it once the PSP answers), so no form invites a second one (R11).
    payment_unknown: bool = False
    extras: Mapping[str, Any] = field(default_factory=dict)
    # A refused form comes back as the patient filled it in (WCAG 3.3.1): what was typed
    # (never the birth date: issue 13 item 13), and the fields the refusal is about.
    typed: Mapping[str, str] = field(default_factory=dict)
    invalid_fields: tuple[str, ...] = ()
    # A form refused for several of its parts at once (an objection, R16): each refusal's
    # sentence with the fields it is about, listed under one error (WCAG 3.3.1).
    refusals: tuple[tuple[tuple[str, ...], str], ...] = ()


# The errors that are about the kenmerk itself: only these mark its field invalid.
KENMERK_ERRORS = frozenset({"invalid_reference", "not_found"})
# The fields of the page's forms each refusal is about, in the order of the page; a
# refusal of the invoice's state (a deferral too late, a statement already received) is
# about none of them.
REFUSED_FIELDS: Mapping[str, tuple[str, ...]] = {
    "invalid_objection_reason": ("reason",),
    "invalid_objection_message": ("message",),
    "invalid_objection_email": ("email",),
    "statement_above_invoice": ("reimbursed", "withheld_deductible"),
    "terms_out_of_range": ("terms",),
    "term_too_small": ("terms",),
}
# What the page's forms post besides what the patient typed or chose.
_NOT_TYPED = frozenset({"action", "kenmerk", "lang", "birth_date"})


def render_checker(
    language: str, view: PaymentStatusView | None = None, state: PageState | None = None
) -> str:
    """The whole page, every word from the page's texts in ``language`` (R9)."""
    state = state or PageState()
    t = page_texts(language)
    unlocked = state.lines is not None
    # R7: "per e-mail" or "per post" in what the page promises will follow, once the birth
    # date is checked; before, words for either: the channel would tell anyone with the
    # kenmerk whether the patient has a working e-mail address (R10, R36)
    by = by_channel(view.follow_up_channel if view and unlocked else UNSAID)
    offer = offered(view, may_be_paid=state.being_booked or state.payment_unknown)
    unlock_heading, unlock_text = _unlock_keys(offer)
    return ENVIRONMENT.get_template("pages/checker.html.j2").render(
        language=t.language,
        t=t,
        languages=LANGUAGE_NAMES,
        right_to_left=RIGHT_TO_LEFT,
        pages=PAGES,
        objection_form=OBJECTION_FORM_PATH,
        entered=state.entered,
        reference=view.reference if view else "",
        view=view,
        lines=state.lines,
        unlocked=unlocked,
        birth_date_invalid=state.birth_date_invalid,
        kenmerk_invalid=state.error_key in KENMERK_ERRORS,
        typed=state.typed,
        invalid_fields=state.invalid_fields,
        listed=[(_sentence_id(fields), sentence) for fields, sentence in state.refusals],
        described_by=_described_by(state),
        payment=state.payment.value if state.payment else "",
        status_key=_status_key(view, state),
        state_key=_state_key(view),
        pay_by_key=_pay_by_key(view),
        offer=offer,
        unlock_heading=unlock_heading,
        unlock_text=unlock_text,
        dont_pay_yet_key=_dont_pay_yet_key(offer, unlocked),
        by=by,
        days_counted=days_counted,
        error=_error(t, state),
        notice=t(state.notice[0], **_spoken(state.notice[1], t), **by) if state.notice else None,
        visit_minutes=VISIT_MINUTES,
    )


@dataclass(frozen=True, slots=True)
class Offered:
    """The forms the page shows once the birth date is checked (R36), chosen once: the
    page draws its forms by it, and the sentences that name them say only what is there,
    the hint before the birth date and "don't pay yet" (R14, R15, R37; texts58: the hint
    named an arrangement for an invoice too small for one)."""

    pay: bool = False
    statement: bool = False  # the insurer's statement (R17, legal-nl.md §7)
    deferral: bool = False
    arrangement: bool = False

    @property
    def requests(self) -> bool:
        return self.deferral or self.arrangement


def offered(view: PaymentStatusView | None, may_be_paid: bool) -> Offered:
    """What can be done now, by the use cases' own refusals (``can_defer``, ``can_arrange``:
    ``arrangement_refusal``, which refuses an amount too small for two terms). Paid at the
    bank, or maybe (the PSP did not answer), no form invites a second payment (R11)."""
    if view is None or may_be_paid:
        return Offered()
    return Offered(
        pay=view.amount_due_cents > 0 and not view.told_not_to_pay_yet,
        statement=view.can_send_statement,
        deferral=view.can_defer and view.offer is not None,
        arrangement=view.can_arrange and view.offer is not None,
    )


# The hint before the birth date (R36), by what the page offers after it: payable, by
# whether it takes the insurer's statement too (non-contracted care of a practice that does
# not wait for it, or after the first reminder: R17, R37) and the requests it can take
# (deferral, arrangement); else, while "don't pay yet" waits for the insurer's statement,
# the statement; else, nothing to pay or ask (settled, or the practice deciding on the
# adjusted amount, R17), the invoice and an objection.
_UNLOCK_TEXT_PAYABLE = {
    (False, True, True): "unlock_text",
    (False, True, False): "unlock_text_no_arrangement",
    (False, False, True): "unlock_text_no_deferral",
    (False, False, False): "unlock_text_no_request",
    (True, True, True): "unlock_text_with_statement",
    (True, True, False): "unlock_text_with_statement_no_arrangement",
    (True, False, True): "unlock_text_with_statement_no_deferral",
    (True, False, False): "unlock_text_with_statement_no_request",
}


def _unlock_keys(offer: Offered) -> tuple[str, str]:
    """The heading and the text of the birth date's section: they name what the page then
    offers, and nothing it will not (an arrangement the amount is too small for, a second
    deferral, paying while told not to pay yet); the insurer's statement also beside
    paying, where the page takes both (texts58b: the pay branch did not name it)."""
    if offer.pay:
        heading = "unlock_heading" if offer.requests else "unlock_heading_pay"
        return heading, _UNLOCK_TEXT_PAYABLE[offer.statement, offer.deferral, offer.arrangement]
    if offer.statement:
        text = "unlock_text_statement" if offer.deferral else "unlock_text_statement_no_deferral"
        return "unlock_heading_statement", text
    return "unlock_heading_settled", "unlock_text_settled"


def _dont_pay_yet_key(offer: Offered, unlocked: bool) -> str | None:
    """legal-nl.md §7, R37: "don't pay yet" says what the patient can do now: the amounts
    below where the statement's form is (before the birth date: the birth date below
    first), and for a slow insurer the free deferral where one can be asked, else the
    practice (seed 004; texts58: it offered the deferral also when it was already given).
    None, no notice, without the form: paid at the bank and being booked, or maybe (the
    PSP did not answer); the booking's own notice says what comes, and a payment in full
    ends the wait for the statement, so "reload, then enter the amounts" promised a form
    that would not come (R11, R36; review58)."""
    if not offer.statement:
        return None
    if not unlocked:
        return "dont_pay_yet_locked" if offer.deferral else "dont_pay_yet_locked_no_deferral"
    return "dont_pay_yet" if offer.deferral else "dont_pay_yet_no_deferral"


# Settled, not (all) by the patient: by the practice (R21) or the insurer's deduction (R5).
_SETTLED_OTHERWISE = frozenset(
    {InvoiceState.WAIVED, InvoiceState.PAID_REST_WAIVED, InvoiceState.REIMBURSED}
)


def _status_key(view: PaymentStatusView | None, state: PageState) -> str:
    """The page's first line: R10's paid, open or partly paid, unless that misleads."""
    if view is None:
        return ""
    if state.being_booked:
        return "status_being_booked"
    if view.state in _SETTLED_OTHERWISE:  # "paid" to R10, but not (all) by the patient
        return f"status_{view.state.value}"
    return f"status_{view.status.value}"


def _state_key(view: PaymentStatusView | None) -> str:
    """The words of the state line (R10): the state's, but while the final notice waits to
    go (``says_second_notice_waits``) that it will be sent, not that it was (R19; the
    public API keeps the state ``second_notice_sent``, the final notice's step, and says
    so by ``second_notice_waits``, the same test). A hold is said first (R16: visible in
    the checker); the note under it says the notice waits."""
    if view is None:
        return ""
    if view.says_second_notice_waits:
        return "state_second_notice_waits"
    return f"state_{view.state.value}"


def _pay_by_key(view: PaymentStatusView | None) -> str:
    """The label of the date that counts (R36): which date it is, that it has passed (the
    breakdown's ``pay_by_passed``), or, while the page says "don't pay yet" or that the
    practice decides on the adjusted amount (legal-nl.md §7), the final payment date's
    label with what it waits for instead of a date. Empty:
    no date to show."""
    parts = view.breakdown if view else None
    if view is None or parts is None or parts.pay_by is None:
        return ""
    if view.told_not_to_pay_yet:
        return "pay_by_after_statement"
    if parts.pay_by_passed:
        late_term = parts.pay_by_kind is PayBy.ARRANGEMENT_TERM
        return "pay_by_passed_arrangement_term" if late_term else "pay_by_passed"
    return f"pay_by_{parts.pay_by_kind.value}"


def _error(t: Any, state: PageState) -> str | None:
    if state.error_key:
        return str(t(state.error_key))
    if state.refusals:  # what is wrong follows, one sentence a field (the template)
        return str(t("form_invalid"))
    return str(t("refused", reason=state.refusal)) if state.refusal else None


def _sentence_id(fields: tuple[str, ...]) -> str:
    """The id of a listed refusal's sentence, by the first field it is about."""
    return f"error-{fields[0]}" if fields else "error"


def _described_by(state: PageState) -> dict[str, str]:
    """The element that says what is wrong with each field the page marks: the sentence
    about it where several are listed, else the error itself (WCAG 1.3.1, 3.3.1)."""
    described_by = dict.fromkeys(state.invalid_fields, "error")
    for fields, _ in state.refusals:
        described_by |= dict.fromkeys(fields, _sentence_id(fields))
    return described_by


def _spoken(values: dict[str, Any], t: Any) -> dict[str, Any]:
    """Dates and amounts in a notice as people write them in the page's language."""
    spoken: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, date):
            spoken[key] = t.long_date(value)
        elif key.endswith("_cents"):
            spoken[key.removesuffix("_cents")] = t.euros(value)
        else:
            spoken[key] = value
    return spoken


# --- the page for a GET ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageAnswer:
    html: str = ""
    status: HTTPStatus = HTTPStatus.OK
    redirect_to: str = ""  # the bank's checkout, or the page again after a form
    cookies: tuple[Cookie, ...] = ()


def status_page(
    language: str,
    kenmerk: str,
    ctx: PatientContext,
    visit: Visit = Visit(),
    state: PageState | None = None,
    payments: Callable[[], OnlinePaymentContext] | None = None,
    *,
    returned: bool = False,
) -> PageAnswer:
    """The page for this kenmerk: its status, the unlocked parts when this visit checked
    the birth date, and after the bank how the payment went; or why there is none."""
    state = state or PageState(entered=kenmerk)
    try:
        view = patient.payment_status(kenmerk, ctx)
    except InvalidReference:
        return PageAnswer(render_checker(language, None, _as(state, error_key="invalid_reference")))
    except NotFound:
        return PageAnswer(render_checker(language, None, _as(state, error_key="not_found")))
    proof = visit.proof(ctx.visit_key, ctx.clock.now())
    lines = (
        patient.invoice_lines(view.reference, proof, ctx) if proof.covers(view.reference) else None
    )
    state = _as(state, entered=view.reference, lines=lines)
    if returned and payments is not None:
        state = _after_the_bank(state, view, visit.payment_id, payments())
    return PageAnswer(render_checker(language, view, state))


def unavailable_page(language: str, kenmerk: str) -> PageAnswer:
    """The page for an invoice whose practice's stored settings no longer validate (a
    legacy item, ``UnreadableProvider``; R31): the checker in the patient's language (R9)
    saying the invoice cannot be shown now, 503 as a passing failure, and nothing of the
    operator's 409 (the provider id, the field, how to repair it; audit onboard3 D1)."""
    state = PageState(entered=kenmerk, error_key="invoice_unavailable")
    return PageAnswer(render_checker(language, None, state), HTTPStatus.SERVICE_UNAVAILABLE)


def _after_the_bank(
    state: PageState, view: PaymentStatusView, payment_id: str, payments: OnlinePaymentContext
) -> PageState:
    """Thanks, "paid, being processed", "cancelled: pay again" or "waiting for your bank"
    (issue 12 item 10); or, when the PSP cannot be asked, not to pay again but to reload.
    """
    try:
        back = returned_from_bank(view.reference, payment_id, payments) if payment_id else None
    except PspUnavailable:
        # The page itself works, so 200, not the APIs' JSON 503 (nor a 5xx for the API's
        # alarm): the invoice as the ledger has it, without a status we do not know (R10,
        # R11). The PSP's webhook books a payment once it answers; a reload shows it.
        return _as(state, notice=("payment_unknown", {}), payment_unknown=True)
    if back is not None and back.awaiting_booking:
        notice: tuple[str, dict[str, Any]] = ("payment_processing", {})
        return _as(state, payment=PspStatus.PAID, notice=notice, being_booked=True)
    if back is not None and back.status is PspStatus.PAID:
        return _as(state, payment=PspStatus.PAID, notice=("payment_thanks", {}))
    if view.amount_due_cents <= 0 and view.state in _SETTLED_OTHERWISE:
        # Nothing to pay because the practice waived it (R21) or the insurer paid (R5),
        # and no payment of this browser's was paid: neither "thank you, received" nor
        # "you can pay again"; the status line says why nothing is owed (R10, R11; audit
        # checker8).
        return state
    if back is None and view.amount_due_cents <= 0:
        return _as(state, payment=PspStatus.PAID, notice=("payment_thanks", {}))
    if back is not None and back.status.ended_unpaid:
        # Failed: the bank did not complete it, which is not a cancel (R11, R9).
        ended = "payment_failed" if back.status is PspStatus.FAILED else "payment_ended"
        return _as(state, payment=back.status, error_key=ended)
    if back is not None:
        return _as(state, payment=back.status, notice=("payment_pending", {}))
    return state


def _as(state: PageState, **changes: Any) -> PageState:
    return replace(state, **changes)


# --- the page after a form ------------------------------------------------------------------


def posted_form(event: Mapping[str, Any]) -> dict[str, str]:
    """The fields a form posted (API Gateway's proxy event): urlencoded, as every form of
    the page but the objection's, or multipart/form-data, as the objection's (R16, R9:
    2,000 characters of Arabic fit the 8 KB only as UTF-8; audit REQUESTS1)."""
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    content_type = headers.get("content-type", "")
    body = raw_body(event.get("body"), bool(event.get("isBase64Encoded")))
    if content_type.lower().startswith("multipart/form-data"):
        return multipart_form(content_type, body)[0]
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}


def too_large_page(event: Mapping[str, Any]) -> str | None:
    """The page, in the patient's language, for a form's body over the patient API's
    limit (R16, R36; audit REQUESTS1): not the APIs' JSON in the middle of the checker. It
    says the message was too long and gives the message back to copy and shorten, so
    nothing typed is lost (autoescaped, as every page). None under /api/ and /webhooks/,
    whose callers are programs: they get the JSON 413 (interfaces.md §2)."""
    if str(event.get("path") or "").startswith(PROGRAM_PREFIXES):
        return None
    form = posted_form(event) if body_bytes(event) <= GIVE_BACK_MAX_BYTES else {}
    try:  # the way back to the checker, for a kenmerk that can be one only
        kenmerk = parse_ours(form.get("kenmerk", ""))
    except InvalidReference:
        kenmerk = ""
    language = page_language(form.get("lang"))
    message = form.get("message", "") if _from_our_page(event) else ""
    return render_info_page(MESSAGE_TOO_LONG, language, kenmerk=kenmerk, given_back=message)


def _from_our_page(event: Mapping[str, Any]) -> bool:
    """Whether the form may have come from our own page: the page runs before any route,
    so without the visit's check, and another site's form must not make our domain show
    text of its choosing. A browser says where a form came from (``Sec-Fetch-Site``); one
    too old to say it is taken at its word, so its patient keeps what they typed."""
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    return headers.get("sec-fetch-site", "same-origin").lower() == "same-origin"


def form_answer(
    form: Mapping[str, str],
    visit: Visit,
    ctx: PatientContext,
    payments: Callable[[], OnlinePaymentContext],
    account: CollectionAccount,
) -> PageAnswer:
    """The page after a form. ``unlock`` checks the birth date; every other action needs
    this visit's pass for the kenmerk, and without one the page asks the birth date again.
    ``payments`` builds the payment context only when the patient pays; ``account`` is
    where to transfer to when the PSP cannot be reached (R12)."""
    language = page_language(form.get("lang"))
    kenmerk = form.get("kenmerk", "")
    action = form.get("action", "")
    if action == "unlock":
        return _unlock(language, kenmerk, form.get("birth_date", ""), ctx)
    proof = visit.proof(ctx.visit_key, ctx.clock.now())
    if not proof.covers(kenmerk):  # expired, or never checked: no read for that
        state = PageState(entered=kenmerk, notice=("visit_expired", {"minutes": VISIT_MINUTES}))
        return status_page(language, kenmerk, ctx, visit, state)
    # Refused, the form comes back as it was filled in, its wrong fields marked.
    typed = {name: value for name, value in form.items() if name not in _NOT_TYPED}
    try:
        if action in ("pay", "pay_all"):
            pay_all = action == "pay_all"
            return _to_the_bank(kenmerk, proof, language, pay_all, payments(), account)
        notice = _form_action(action, kenmerk, proof, form, ctx, language)
    except UnreadableField as unreadable:
        state = PageState(
            error_key=unreadable.error_key, typed=typed, invalid_fields=(unreadable.name,)
        )
        answer = status_page(language, kenmerk, ctx, visit, state)
        return PageAnswer(answer.html, HTTPStatus.BAD_REQUEST)
    except (ValueError, NotFound, InvalidReference):  # a malformed form: nothing happened
        state = PageState(error_key="form_invalid", typed=typed)
        answer = status_page(language, kenmerk, ctx, visit, state)
        return PageAnswer(answer.html, HTTPStatus.BAD_REQUEST)
    except Refused as refusal:
        answer = status_page(
            language, kenmerk, ctx, visit, _refused_state(refusal, language, typed)
        )
        return PageAnswer(answer.html, _refused_status(refusal))
    return status_page(language, kenmerk, ctx, visit, PageState(notice=notice))


def _refused_status(refusal: Refused) -> HTTPStatus:
    """409, the page's status for a refused form; 400 when a field was left empty (an
    objection's message that says nothing), as the API answers an empty field (R16;
    audit round 44 objections)."""
    every = (refusal, *refusal.also)
    if any(r.said_as == EMPTY_MESSAGE for r in every):
        return HTTPStatus.BAD_REQUEST
    return HTTPStatus.CONFLICT


def _refused_state(refusal: Refused, language: str, typed: Mapping[str, str]) -> PageState:
    """The page after a refused form: the refusal's sentence, or, when the form was wrong
    in several parts at once, each part's sentence listed; every field named marked."""
    every = (refusal, *refusal.also)
    fields = tuple(dict.fromkeys(f for r in every for f in REFUSED_FIELDS.get(r.code, ())))
    if len(every) == 1:
        return PageState(refusal=refusal.message(language), typed=typed, invalid_fields=fields)
    listed = tuple((REFUSED_FIELDS.get(r.code, ()), r.message(language)) for r in every)
    return PageState(typed=typed, invalid_fields=fields, refusals=listed)


class UnreadableField(ValueError):
    """A field of a form the page cannot read: which one, and the page's text that says
    how to fill it in."""

    def __init__(self, name: str, error_key: str) -> None:
        super().__init__(name)
        self.name = name
        self.error_key = error_key


def _unlock(language: str, kenmerk: str, birth_text: str, ctx: PatientContext) -> PageAnswer:
    """The birth date once per visit; a mismatch answers like an unknown kenmerk. A date
    that cannot be read is told its form, and counts as no try (audit checker8: "no invoice
    with this date of birth" blamed the date's value for a browser without a date field)."""
    try:
        born = typed_birth_date(birth_text)
    except ValueError:
        state = PageState(kenmerk, error_key="birth_date_unreadable", birth_date_invalid=True)
        return PageAnswer(render_checker(language, None, state), HTTPStatus.BAD_REQUEST)
    try:
        token = patient.check_birth_date(kenmerk, born, ctx)
    except InvalidReference:
        page = render_checker(language, None, PageState(kenmerk, error_key="invalid_reference"))
        return PageAnswer(page, HTTPStatus.BAD_REQUEST)
    except NotFound:
        state = PageState(kenmerk, error_key="no_match", birth_date_invalid=True)
        return PageAnswer(render_checker(language, None, state), HTTPStatus.NOT_FOUND)
    back = checker_url("", kenmerk, language)
    return PageAnswer(redirect_to=back, cookies=(visit_cookie(token),))


def typed_birth_date(text: str) -> date:
    """The date a date field sends (2026-03-07), or as a person types it where a browser
    has no date field: day, month and year with a dash, slash, dot or space between
    (7-3-1984, 07/03/1984). ValueError for anything else."""
    text = text.strip()
    parts = text.replace("/", "-").replace(".", "-").replace(" ", "-").split("-")
    if len(parts) == 3 and len(parts[2]) == 4 and all(p.isdecimal() and p.isascii() for p in parts):
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    if len(text) != 10:  # fromisoformat also reads 19840307 and week dates: not a birth date
        raise ValueError(text)
    return date.fromisoformat(text)


def _to_the_bank(
    kenmerk: str,
    proof: VisitPass,
    language: str,
    pay_all: bool,
    ctx: OnlinePaymentContext,
    account: CollectionAccount,
) -> PageAnswer:
    try:
        checkout = start_payment(kenmerk, proof, ctx, pay_all=pay_all, language=language)
    except PspUnavailable:
        # Mollie did not answer (or not in time) before a checkout was made: nothing saved.
        # A page, in the patient's language, not the APIs' JSON: try again, or transfer,
        # with the amount that button asks, the kenmerk and our account (R11, R12); 503 as
        # the API says it.
        amount = amount_to_transfer(kenmerk, proof, ctx, pay_all=pay_all)
        page = render_info_page(
            PAYMENT_UNAVAILABLE, language, kenmerk=kenmerk, account=account, amount_cents=amount
        )
        return PageAnswer(page, HTTPStatus.SERVICE_UNAVAILABLE)
    except StateConflict as conflict:
        if conflict.code != "payment_received":
            raise
        # Pay clicked again after the bank: the page as after the bank, which says the
        # payment is being processed, not a blank one. The payment's cookie goes along:
        # a browser other than the one that went to the bank (the bank's app came back to
        # the phone's default browser) has none, and its page would offer Pay again with
        # no word of the payment, each click coming back to it (R11; audit checker8).
        back = checker_url("", kenmerk, language, returned=True)
        made = (payment_cookie(conflict.psp_payment_id),) if conflict.psp_payment_id else ()
        return PageAnswer(redirect_to=back, cookies=made)
    remembered = payment_cookie(checkout.psp_payment_id)
    return PageAnswer(redirect_to=checkout.checkout_url, cookies=(remembered,))


def payment_cookie(psp_payment_id: str) -> Cookie:
    """The iDEAL payment the patient went to the bank for, read when the bank sends them
    back (``_after_the_bank``)."""
    return Cookie(
        PAYMENT_COOKIE,
        psp_payment_id,
        path="/",
        secure=True,
        http_only=True,
        max_age=PAYMENT_COOKIE_SECONDS,
        # Lax: the bank's redirect back is a navigation from another site.
        same_site=SameSite.LAX_MODE,
    )


def visit_cookie(token: str) -> Cookie:
    return Cookie(
        VISIT_COOKIE,
        token,
        path="/",
        secure=True,
        http_only=True,
        max_age=VISIT_MINUTES * 60,
        same_site=SameSite.STRICT_MODE,
    )


def _form_action(
    action: str,
    kenmerk: str,
    proof: VisitPass,
    form: Mapping[str, str],
    ctx: PatientContext,
    language: str,
) -> tuple[str, dict[str, Any]]:
    if action == "defer":
        # Each confirmation in the page's language (R9): the patient asked in it.
        view = patient.request_deferral(kenmerk, proof, ctx, language=language)
        return "done_deferral", {"date": view.final_payment_date}
    if action == "arrange":
        terms = _whole(form, "terms")
        patient.request_arrangement(kenmerk, proof, terms, ctx, language=language)
        return "done_arrangement", {}
    if action == "object":
        acknowledged = patient.file_objection(
            kenmerk,
            proof,
            form.get("reason", ""),
            form.get("message", ""),
            form.get("email", ""),
            ctx,
            language=language,  # its acknowledgement in the page's language (R9, R16)
        )
        # R16, R7: no e-mail is promised that will not come (audit REQUESTS3)
        return "done_objection" if acknowledged else "done_objection_unacknowledged", {}
    if action == "statement":
        reimbursed = _amount(form, "reimbursed")
        withheld = _amount(form, "withheld_deductible")
        taken = patient.submit_insurer_statement(
            kenmerk, proof, reimbursed, withheld, ctx, language=language
        )
        said = {"due_cents": taken.amount_due_cents, "date": taken.final_payment_date}
        return f"done_statement_{taken.outcome.value}{_undated(taken)}", said
    raise ValueError("unknown action")


def _undated(taken: StatementView) -> str:
    """The answer's words without a date to pay by where it names none though it would
    (applied, nothing to forgive): the final notice has still to go, and the day before
    the agency counts from its receipt (R19, legal-nl.md §2; services.patient)."""
    if taken.final_payment_date is None and taken.outcome is not StatementOutcome.SENT_TO_PROVIDER:
        return "_undated"
    return ""


def _amount(form: Mapping[str, str], name: str) -> int:
    """An amount off the insurer's statement, as typed: "48,75", "€ 1.234,56", "" for none.
    R17: unreadable, the page says how to type it, not just that something was wrong."""
    try:
        cents = parse_typed_euros(form.get(name, "") or "0")
    except AmountFormatError:
        raise UnreadableField(name, "amount_invalid") from None
    if cents < 0:  # a statement prints no negative amounts: a typing slip
        raise UnreadableField(name, "amount_invalid")
    return cents


def _whole(form: Mapping[str, str], name: str) -> int:
    """A number chosen in a list (the arrangement's terms)."""
    try:
        return int(form.get(name, "0"))
    except ValueError:
        raise UnreadableField(name, "form_invalid") from None
