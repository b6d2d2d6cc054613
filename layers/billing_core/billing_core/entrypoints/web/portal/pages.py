"""The portal's pages (R35): each turns a request into calls of the provider services
(``billing_core.services.provider``, the same as the API's) and renders what they answer.

No page reads a repository. The role a change needs (R32) decides whether its form is
shown; the services check it again (``services.provider.access``), so a form posted
anyway is refused with 403 (``web``) as the API refuses it.
Another practice's invoice, upload or week is not found, exactly like an unknown one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_UP, Decimal
from enum import StrEnum
from http import HTTPStatus
from pathlib import Path
from typing import Any, NamedTuple, TypeVar
from urllib.parse import quote, urlencode

from annotated_types import Ge, Gt, Le, Lt
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from pydantic import BaseModel, ValidationError

from billing_core.changes.coulance_policy import CoulancePolicy
from billing_core.changes.hold import hold_used_up, last_day_left
from billing_core.changes.stop import STOP_REASONS
from billing_core.collection.block_files import block_changes_csv, blocked_patients_csv
from billing_core.collection.debtor_risk import MONTH_PATTERN, Outcome
from billing_core.correspondence.render import template_environment
from billing_core.declarations import reports
from billing_core.declarations.csv_template import DOWNLOAD_FILE_NAME, TEMPLATE_CONTENT_TYPE
from billing_core.declarations.record import MAX_DECLARATION_BYTES
from billing_core.declarations.upload import is_declaration_id
from billing_core.dunning.policy import DunningPolicy
from billing_core.entrypoints.http import cursor
from billing_core.entrypoints.http.idempotency import retry_cause
from billing_core.entrypoints.http.provider_models import (
    ActionOut,
    BlockChangeListOut,
    BlockedPatientListOut,
    BlockedPatientOut,
    DeclarationOut,
    HoldIn,
    InvoiceDetailOut,
    InvoiceSummaryOut,
    RetrocessionWeekOut,
    StopIn,
)
from billing_core.entrypoints.http.settings_models import RoleIn, UserIn
from billing_core.entrypoints.web.portal.chart import month_name, risk_chart
from billing_core.entrypoints.web.portal.session import (
    FORM_KEY_FIELD,
    Session,
    form_scope,
    new_form_key,
)
from billing_core.invoices.invoice import Invoice, is_invoice_id
from billing_core.invoices.listing import InvoiceFilter
from billing_core.invoices.payment_status import PaymentStatus
from billing_core.payments.collection_account import iban_in_groups
from billing_core.ports import ConcurrentChange, InvalidPosition, SavedUnfinished
from billing_core.providers.actions import ActionKind, ActionState, is_action_id
from billing_core.providers.provider import Contact
from billing_core.providers.user_changes import UserChange
from billing_core.providers.users import (
    OPERATORS_GROUP,
    DirectoryUser,
    Invitation,
    InviteOutcome,
    ProviderUser,
    Role,
)
from billing_core.providers.week import Week
from billing_core.services.inputs import InvalidInput
from billing_core.services.provider import (
    actions,
    blocked_patients,
    declarations,
    invoices,
    letters,
    statements,
)
from billing_core.services.provider import settings as provider_settings
from billing_core.services.provider import users as provider_users
from billing_core.services.provider.actions import CoulanceDecision
from billing_core.services.provider.context import ProviderContext
from billing_core.services.provider.statements import StatementFormat
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.errors import Forbidden, NoLongerKept, Refused
from billing_core.shared.money import AmountFormatError, parse_typed_euros
from billing_core.shared.retries import RequestCause, fingerprint
from billing_core.texts.catalogue import Texts, counted, short_date, typed_number
from billing_core.texts.portal import PORTAL_LANGUAGES, portal_texts, week_of

TEMPLATES = Path(__file__).resolve().parent / "templates"
ENVIRONMENT = template_environment(TEMPLATES)


@pass_context
def _day(context: Context, day: date) -> Markup:
    """Table cells: 23-11-2026, not "23 november 2026" wrapped over three lines on a
    phone; kept whole (portal.css ``.date``), never "23-11- / 2026" (R35, WCAG 1.4.10).
    Markup: in a sentence, through ``sentence``."""
    return Markup('<span class="date">{}</span>').format(short_date(day, context["language"]))


@pass_context
def _sentence(context: Context, key: str, /, **values: object) -> Markup:
    """``t(key, **values)`` for values that are markup (a ``day``): the sentence and every
    other value escaped, as the page escapes ``t``'s sentences."""
    return escape(context["t"].entries[key]).format(**values)


@pass_context
def _week(context: Context, label: str) -> str:
    """A retrocession week (R24) as people read one: "Week 47 (16-22 nov 2026)", not its
    label "2026-W47", which stays in the statement's address and file name (portal51b)."""
    week = Week.parse(label)
    return week_of(week.year, week.number, context["t"])


ENVIRONMENT.filters["day"] = _day
ENVIRONMENT.filters["week"] = _week
ENVIRONMENT.globals["sentence"] = _sentence
# A number in a form field as the page's reader types it (62,5 in Dutch), which the form
# reads back (_typed_decimal).
ENVIRONMENT.filters["number"] = pass_context(
    lambda context, number: typed_number(number, context["language"])
)
# A count in a sentence as the page's reader writes it: 9.950 in Dutch, 9,950 in English.
ENVIRONMENT.filters["counted"] = pass_context(
    lambda context, number: counted(number, context["language"])
)
# A month of issue ("2025-12") in words, as the debtor-risk chart names it: "december 2025".
ENVIRONMENT.filters["month"] = pass_context(
    lambda context, label: month_name(label, context["language"])
)
# A debtor-risk share (R25) as the reader writes a percentage: "9,09 %" / "9.09%" (the
# Dutch space a no-break one: a narrow cell wraps before the figure, not inside it); a
# dash for a month without invoices (no share of nothing).
ENVIRONMENT.filters["percent"] = pass_context(
    lambda context, share: (
        "–"
        if share is None
        else (f"{share}\u00a0%".replace(".", ",") if context["language"] == "nl" else f"{share}%")
    )
)
# The payout account as a bank prints it, so the admin can check it against theirs (R31).
ENVIRONMENT.filters["iban"] = iban_in_groups
# A link that writes to an address a patient typed (an objection's, R16): the address
# whole, its ? & = # % escaped, so it cannot add a cc, bcc, subject or body to the mail
# staff write (RFC 6068; audit security5 SEC5-3).
ENVIRONMENT.filters["mailto"] = lambda address: "mailto:" + quote(address, safe="@")
# Every form that changes something carries a key of its own (web.serve_change, R38).
ENVIRONMENT.globals["form_key"] = new_form_key


def _action_title(kind: str, details: Mapping[str, Any]) -> str:
    """The text key of an action's title wherever it shows (overview, actions, invoice):
    its kind's, but a complaint's and an unsent message's own. A complaint's mail arrived
    and was reported as spam; an unsent message (bounces.unsent_message_action) was never
    e-mailed, its address dead since an earlier bounce: under the bounce's "E-mail kwam
    niet aan" the practice read of a mail that was sent and did not arrive (R23, R35;
    round 54 sesleft54, round 55 sesleft55)."""
    if kind == ActionKind.BOUNCE and details.get("event") in ("complaint", "unsent"):
        return f"action_kind_{details['event']}"
    return f"action_kind_{kind}"


ENVIRONMENT.globals["action_title"] = _action_title
LIST_SIZE = 50
PAYOUT_WEEKS = 52  # a year of weekly statements a page
CSV = "text/csv; charset=utf-8"
# The filters of the invoice list a "next page" link carries along; never the name (R29):
# a name search goes on through a form that posts it again.
LINKED_FILTERS = ("patient", "from", "to", "status")


@dataclass(frozen=True, slots=True)
class Download:
    file_name: str
    content_type: str
    body: str | bytes


@dataclass(frozen=True, slots=True)
class PortalAnswer:
    html: str = ""
    status: HTTPStatus = HTTPStatus.OK
    redirect_to: str = ""
    download: Download | None = None


@dataclass(frozen=True, slots=True)
class PortalRequest:
    """A signed-in request: who, in which language, with which query and form fields."""

    session: Session
    language: str
    query: Mapping[str, str] = field(default_factory=dict)
    form: Mapping[str, str] = field(default_factory=dict)
    files: Mapping[str, tuple[str, bytes]] = field(default_factory=dict)  # name, content

    @property
    def user(self) -> ProviderUser:
        """Whom every service call is for: the services check the role and key every
        read and write by the user's tenant (R26, R32)."""
        return self.session.user

    @property
    def cause(self) -> RequestCause:
        """What the change this form asks for is known by (``idempotency.retry_cause``):
        its one-time key, in the scope it is done once in (``web.serve_change``), so a
        form sent again after an error finds its change made (R38); with what the form
        says, so the same key with other values is refused (``KeyReused``), not given the
        change the first one made."""
        key = retry_cause(form_scope(self.user), self.form[FORM_KEY_FIELD])
        return RequestCause(key, fingerprint(self.sent))

    @property
    def sent(self) -> dict[str, Any]:
        """What the form says: what must be the same for a replay (with the page's path,
        ``web.serve_change``): not the tokens; an uploaded file by its name and digest."""
        tokens = {"csrf", FORM_KEY_FIELD}
        return {
            "form": {name: value for name, value in self.form.items() if name not in tokens},
            "files": {
                name: [file_name, hashlib.sha256(content).hexdigest()]
                for name, (file_name, content) in self.files.items()
            },
        }


def _values(kind: type[StrEnum]) -> frozenset[str]:
    return frozenset(member.value for member in kind)


def page_language(requested: str | None) -> str:
    return requested if requested in PORTAL_LANGUAGES else "nl"


def render(
    template: str,
    language: str,
    session: Session | None,
    status: HTTPStatus = HTTPStatus.OK,
    **values: Any,
) -> PortalAnswer:
    t = portal_texts(language)
    html = ENVIRONMENT.get_template(template).render(
        t=t,
        language=t.language,
        other_language="en" if t.language == "nl" else "nl",
        session=session,
        role=session.user.role.value if session and session.user.role else "none",
        may_change=bool(session and session.may(Role.STAFF)),
        is_admin=bool(session and session.may(Role.ADMIN)),
        notice=values.pop("notice", None),
        error=values.pop("error", None),
        **values,
    )
    return PortalAnswer(html, status)


@dataclass(frozen=True, slots=True)
class Resend:
    """A form as it was sent (its action and fields, its one-time key and CSRF token
    among them), for a button that sends it again as it was."""

    action: str
    fields: tuple[tuple[str, str], ...]


def message(
    language: str,
    session: Session | None,
    title_key: str,
    message_key: str,
    status: HTTPStatus,
    resend: Resend | None = None,
    **said: str,
) -> PortalAnswer:
    """A page that only says something: signed out, not found, not allowed. ``said``: the
    values its message names; ``resend``: the form its button sends again."""
    return render(
        "message.html.j2",
        language,
        session,
        status,
        title_key=title_key,
        message_key=message_key,
        said=said,
        resend=resend,
    )


def not_found(request: PortalRequest) -> PortalAnswer:
    """The same for an unknown id and another practice's (R26)."""
    return message(
        request.language, request.session, "not_found_title", "not_found", HTTPStatus.NOT_FOUND
    )


def no_longer_kept(request: PortalRequest, gone: NoLongerKept) -> PortalAnswer:
    """A listed record whose file its retention rule deleted (legal-nl.md §8): the API's
    404 sentence, as the API says it."""
    return render(
        "message.html.j2",
        request.language,
        request.session,
        HTTPStatus.NOT_FOUND,
        title_key="no_longer_kept_title",
        told=gone.message(request.language),
    )


def forbidden(request: PortalRequest, *, page: bool = False) -> PortalAnswer:
    """A form without this session's token, or a change the role may not make (R32);
    ``page``: a page the role may not open (an admin's, by its address), said as a page."""
    said = "page_forbidden" if page else "forbidden"
    return message(request.language, request.session, "forbidden_title", said, HTTPStatus.FORBIDDEN)


def unknown_parameter(request: PortalRequest, parameter: str) -> PortalAnswer:
    """A query parameter the page does not take (``web.serve_page``), by its name (cut
    short: it is typed by anyone), as the API names one (closing 14)."""
    return message(
        request.language,
        request.session,
        "unknown_parameter_title",
        "unknown_parameter",
        HTTPStatus.BAD_REQUEST,
        parameter=parameter[:40],
    )


def unknown_format(request: PortalRequest, formats: Collection[str]) -> PortalAnswer:
    """A ``format`` the page gives no file in (``web.serve_page``): 400 naming the ones it
    gives, as the API's 400 names its ``format``; not the value typed (anyone types it)."""
    return message(
        request.language,
        request.session,
        "unknown_format_title",
        "unknown_format",
        HTTPStatus.BAD_REQUEST,
        formats=", ".join(formats),
    )


def settings_unreadable(request: PortalRequest) -> PortalAnswer:
    """The practice's stored settings no longer validate (``UnreadableProvider``): only
    zorgnota's back office can put them right (R31). The API's 409, as a page that names
    nothing of what is wrong in the item."""
    return message(
        request.language,
        request.session,
        "settings_unreadable_title",
        "settings_unreadable",
        HTTPStatus.CONFLICT,
    )


def _page(
    request: PortalRequest, template: str, status: HTTPStatus = HTTPStatus.OK, **values: Any
) -> PortalAnswer:
    return render(template, request.language, request.session, status, **values)


def _position(query: Mapping[str, str]) -> str | None:
    """Where a list goes on: the API's opaque cursor (interfaces.md §2), which a "next
    page" link carries; None for the first page. InvalidCursor for one that does not
    decode (the store refuses one that is no position of this list: InvalidPosition)."""
    token = query.get("cursor", "")
    return cursor.after(token)


def _next_cursor(position: str | None) -> str:
    """The cursor of the next page's link; empty on the last page."""
    return cursor.encode(position) if position else ""


def _page_refused(request: PortalRequest, template: str, **empty: Any) -> PortalAnswer:
    """A cursor or week in a list's address that is none of its pages (edited by hand,
    or of a list since asked for otherwise): said on the list's page (400, ``empty``
    its list), not read as the first page."""
    error = portal_texts(request.language)("invalid_page")
    return _page(request, template, HTTPStatus.BAD_REQUEST, error=error, **empty)


# --- Overzicht ------------------------------------------------------------------------------


def overview(request: PortalRequest, ctx: ProviderContext) -> PortalAnswer:
    # counts only: the overview shows no patient, so it records no read of them (R32)
    open_actions = actions.count_open_actions(request.user, ctx, _action_title)
    uploads = declarations.list_declarations(request.user, 10, None, ctx).records
    return _page(
        request,
        "overview.html.j2",
        actions_by_title=sorted(open_actions.items()),
        uploads_with_findings=[
            DeclarationOut.of(r) for r in uploads if r.outcome and r.outcome != "accepted"
        ],
        handed_over=actions.handed_over_this_week(request.user, ctx),
        payout=_newest_payout(request.user, ctx),
    )


def _newest_payout(user: ProviderUser, ctx: ProviderContext) -> dict[str, Any] | None:
    """What the newest statement's transfer pays and where it stands (R24, R35): its
    statement's ``payout`` (statements.week_payout, as the API's statement shows it), not
    the week's statement payout alone: a batch that pays a late week with it pays both in
    one transfer (audit risk56: "Week 8: EUR 0,00" where EUR 48,95 was paid for W07+W08).
    No batch for the week yet: the statement's payout, and that no transfer is planned."""
    newest = statements.retrocession_page(user, 1, None, ctx).statements
    if not newest:
        return None
    week = newest[0].week
    transfer = statements.week_payout(user, week, ctx)
    if transfer is None or transfer["state"] == "waiting":
        return _payout_card([week.label], newest[0].payout_cents, "payout_not_planned")
    state = transfer["state"]
    said = f"payout_{state}"
    if state == "carried" and not transfer["carried_out"]:
        said = "payout_nothing_due"
    elif transfer.get("repaid_in"):
        said = "payout_returned_repaid"
    day = transfer["dates"].get(state)
    return _payout_card(
        transfer["weeks"],
        transfer["paid"],
        said,
        date.fromisoformat(day) if day else None,
        carried=-transfer["carried_out"],
        repaid_in=transfer.get("repaid_in", ""),
    )


def _payout_card(
    weeks: list[str],
    cents: int,
    said: str,
    day: date | None = None,
    *,
    carried: int = 0,
    repaid_in: str = "",
) -> dict[str, Any]:
    """The overview's payout card: every value its sentences take, always (the template
    errs on one it does not get)."""
    return {
        "weeks": weeks,
        "amount": cents,
        "said": said,
        "day": day,
        "carried": carried,
        "batch": repaid_in,
    }


# --- Declaraties ----------------------------------------------------------------------------


def declaration_list(
    request: PortalRequest,
    ctx: ProviderContext,
    *,
    status: HTTPStatus = HTTPStatus.OK,
    error: str | None = None,
) -> PortalAnswer:
    """The uploads, newest first, a page at a time as the API's list (R35); with
    ``error``, the first page under why the upload form was refused (``upload``)."""
    try:
        page = declarations.list_declarations(
            request.user, LIST_SIZE, _position(request.query), ctx
        )
    except (cursor.InvalidCursor, InvalidPosition):
        return _page_refused(request, "declarations.html.j2", uploads=[], invalid=NONE_WRONG)
    return _page(
        request,
        "declarations.html.j2",
        status,
        uploads=[DeclarationOut.of(r) for r in page.records],
        next_cursor=_next_cursor(page.next_position),
        error=error,
        invalid={"upload": ("file",)} if error else NONE_WRONG,
    )


def declaration_template(request: PortalRequest, ctx: ProviderContext) -> PortalAnswer:
    """R40: the CSV template to fill, the provider API's own (every column the reader
    knows, one example line), for the practices that work in the portal."""
    template = declarations.declaration_template(request.user)
    return PortalAnswer(download=Download(DOWNLOAD_FILE_NAME, TEMPLATE_CONTENT_TYPE, template))


MIB = 1024 * 1024
# The upload form posts its file through API Gateway to the portal's Lambda, whose request
# is at most 6 MB, base64-encoded on the stage (template.yaml BinaryMediaTypes): a third
# larger than the file. 4 MiB (5.3 MiB encoded, with the form around it) fits; a larger
# file goes through the API's upload URL, straight to S3 (MAX_DECLARATION_BYTES).
PORTAL_UPLOAD_MAX_BYTES = 4 * MIB
ENVIRONMENT.globals["upload_max_mb"] = PORTAL_UPLOAD_MAX_BYTES // MIB


def upload(request: PortalRequest, ctx: ProviderContext) -> PortalAnswer:
    """The form's file, through the same upload use case as the API's upload URL (R1).
    A form with no file chosen (its field is required, so only a form made by hand
    comes without one) is said on the form, its field marked, and nothing is stored
    (R35, WCAG 3.3.1): not an upload of nothing, rejected, named "declaratie.csv"
    (audit portal7); a file over the form's limit likewise (413), naming the limit and
    the API's upload URL (portal51b: the hint said "tot 4 MB", and nothing checked it).
    Only to whom may upload: the service refuses anyone else (403)."""
    file_name, body = request.files.get("file", ("", b""))
    if request.session.may(Role.STAFF):
        refused = _upload_refused(file_name, body, request.language)
        if refused is not None:
            status, error = refused
            return declaration_list(replace(request, query={}), ctx, status=status, error=error)
    declaration_id = declarations.upload_declaration_file(
        request.user, file_name or "declaratie.csv", body, ctx, cause=request.cause
    )
    return PortalAnswer(redirect_to=f"/portal/declaraties/{declaration_id}")


def _upload_refused(file_name: str, body: bytes, language: str) -> tuple[HTTPStatus, str] | None:
    """Why the upload form's file is not taken (its status and sentence), or None."""
    t = portal_texts(language)
    if not file_name and not body:
        return HTTPStatus.BAD_REQUEST, t("no_file_chosen")
    if len(body) <= PORTAL_UPLOAD_MAX_BYTES:
        return None
    # Rounded up: a file a byte over 4 MB is not said to be "4 MB".
    size = (Decimal(len(body)) / MIB).quantize(Decimal("0.1"), rounding=ROUND_UP)
    error = t(
        "file_too_large",
        size_mb=typed_number(size, language),
        max_mb=PORTAL_UPLOAD_MAX_BYTES // MIB,
        api_max_mb=MAX_DECLARATION_BYTES // MIB,
    )
    return HTTPStatus.REQUEST_ENTITY_TOO_LARGE, error


# The report page's query parameters for where its lists start: the API's opaque cursors.
FINDINGS_CURSOR = "meldingen"
RETOUR_CODES_CURSOR = "retourcodes"
INVOICES_CURSOR = "cursor"
REPORT_CURSORS = (INVOICES_CURSOR, FINDINGS_CURSOR, RETOUR_CODES_CURSOR)

# A retour's counts beside its lines (declarations.retour.RetourSummary), in the order the
# report page names them, each by its text "summary_<name>"; those in cents are amounts.
RETOUR_COUNTS = (
    "lines_applied",
    "lines_unchanged",
    "lines_invoiced_to_patient",
    "lines_insurer",
    "lines_unknown",
    "lines_granted_blank",
    "lines_repeated",
    "lines_declared_amount_differs",
    "lines_not_assessed",
    "invoices_changed",
    "invoices_created",
    "reimbursement_change_cents",
    "granted_cents",
)


def _report_url(page_url: str, positions: Mapping[str, str], **changed: str) -> str:
    """The report page with each of its lists where it is, but ``changed``: a link of one
    list moves that list only (R35; REVIEW1: the others went back to their first page).
    An empty value is that list's first page."""
    query = {name: value for name, value in (dict(positions) | changed).items() if value}
    return f"{page_url}?{urlencode(query)}" if query else page_url


@dataclass(frozen=True, slots=True)
class ListPage:
    """One page of a list of an upload's report (its findings, a retour's codes), and
    where the others are (R1, R2: the practice can read every rejected line; audit files
    FILES5)."""

    rows: list[dict[str, Any]]
    first: int  # the position of the first row, counted from 1
    total: int  # the rows on all pages
    page_url: str  # the report's page, from the list's first row
    next_url: str | None  # None: this is the last page

    @classmethod
    def of(
        cls,
        page: declarations.ReportPage,
        page_url: str,
        parameter: str,
        positions: Mapping[str, str],
    ) -> ListPage:
        """``positions``: where the report's lists are now, which its links keep."""
        following = cursor.encode_offset(page.following)
        next_url = _report_url(page_url, positions, **{parameter: following}) if following else None
        first_url = _report_url(page_url, positions, **{parameter: ""})
        return cls(page.rows, page.start + 1, page.total, first_url, next_url)

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1

    @property
    def paged(self) -> bool:
        return len(self.rows) < self.total


def _report_position(token: str | None) -> int:
    """Where a page of a report's list starts; the start for a cursor that is no position (a
    link typed by hand), as the first page is what such a reader wants."""
    try:
        return cursor.decode_offset(token or None)
    except cursor.InvalidCursor:
        return 0


def declaration_report(
    request: PortalRequest, declaration_id: str, ctx: ProviderContext
) -> PortalAnswer:
    """The upload's report and every invoice it issued, a page at a time (R2, R35). An id
    no route takes (``is_declaration_id``) is the not-found page, with no read. One view
    is one read naming the upload, the patients the report names and the invoices listed
    (R32, NEN 7513; before, the report and the list each wrote one)."""
    if not is_declaration_id(declaration_id):
        return not_found(request)
    page_url = f"/portal/declaraties/{declaration_id}"
    report = declarations.declaration_report(
        request.user,
        declaration_id,
        ctx,
        findings_from=_report_position(request.query.get(FINDINGS_CURSOR)),
        retour_codes_from=_report_position(request.query.get(RETOUR_CODES_CURSOR)),
        recorded=False,
    )
    if report is None:
        return not_found(request)
    of_upload = declarations.invoices_of(report.record)
    positions = {name: request.query[name] for name in REPORT_CURSORS if request.query.get(name)}
    values: dict[str, Any] = {
        "upload": DeclarationOut.of(report.record),
        "findings": ListPage.of(report.findings, page_url, FINDINGS_CURSOR, positions),
        "retour_codes": ListPage.of(report.retour_codes, page_url, RETOUR_CODES_CURSOR, positions),
        "retour_counts": RETOUR_COUNTS,
        "report_no_longer_kept": report.report_no_longer_kept,
        "stopped_half_way": report.stopped_half_way,
        "findings_not_kept": report.findings_not_kept,
        "findings_in_all": sum(report.finding_counts.values()),
        "findings_kept_per_code": reports.FINDINGS_KEPT_PER_CODE,
    }
    try:
        page = invoices.list_invoices(
            request.user, of_upload, LIST_SIZE, _position(request.query), ctx, recorded=False
        )
    except (cursor.InvalidCursor, InvalidPosition):
        declarations.record_report_read(request.user, report, ctx)
        return _page_refused(request, "declaration.html.j2", created=[], **values)
    declarations.record_report_read(request.user, report, ctx, page.invoices)
    following = _next_cursor(page.next_position)
    return _page(
        request,
        "declaration.html.j2",
        # R19: a row whose final notice has not gone yet says so, not "sent"
        created=InvoiceSummaryOut.listed(page, invoices.final_notices_waiting(page, ctx)),
        next_href=_report_url(page_url, positions, cursor=following) if following else "",
        **values,
    )


# --- Nota's ---------------------------------------------------------------------------------


# What the invoice list's links may ask for (web.serve_page refuses anything else). A
# name is taken only to be refused with where it goes instead, as the API does (R29).
INVOICE_LIST_QUERY = ("kenmerk", *LINKED_FILTERS, "cursor", "name")


def invoice_list(request: PortalRequest, ctx: ProviderContext) -> PortalAnswer:
    """The list as a link asks for it: by kenmerk, patient number, period and status. Never
    by a name in the URL (R29): that only the search form's body carries, and a name put
    in the URL anyway is refused (400) with the form, not ignored (closing 14)."""
    searched = {field: value for field, value in request.query.items() if field != "name"}
    if "name" in request.query:
        return _refused_search(INVOICE_SEARCH, request, searched, "name_in_address")
    return _invoices(request, searched, ctx)


def invoice_search(request: PortalRequest, ctx: ProviderContext) -> PortalAnswer:
    """The search form, posted: the name travels in the body (R29), and the answer is the
    list itself, not a redirect whose URL would carry it. What it found is said first: the
    focus goes to the count (WCAG 2.4.3, 4.1.3), as after a change to its message."""
    return _invoices(request, request.form, ctx, announce=True)


def _invoices(
    request: PortalRequest,
    searched: Mapping[str, str],
    ctx: ProviderContext,
    *,
    announce: bool = False,
) -> PortalAnswer:
    kenmerk = searched.get("kenmerk", "").strip()
    if kenmerk:
        try:
            found = invoices.find_by_reference(request.user, kenmerk, ctx, where="form")
        except InvalidInput as refused:  # no kenmerk at all: said, not "no invoices"
            return _refused_search(
                INVOICE_SEARCH, request, searched, *SEARCH_REFUSALS[refused.where]
            )
        if found is not None:
            return PortalAnswer(redirect_to=f"/portal/notas/{found.invoice_id}")
        return _page(
            request,
            "invoices.html.j2",
            invoices=[],
            searched=searched,
            invalid=NONE_WRONG,
            announce=announce,
        )
    issued = {name: _typed_date(searched.get(name, "")) for name in PERIOD}
    not_dates = tuple(name for name, day in issued.items() if day is None)
    if not_dates:
        return _refused_search(INVOICE_SEARCH, request, searched, "invalid_period", not_dates)
    status = searched.get("status", "")
    wanted = InvoiceFilter(
        payment_status=PaymentStatus(status) if status in _values(PaymentStatus) else None,
        patient_ref=searched.get("patient", "").strip(),
        patient_name=searched.get("name", "").strip(),
        issued_from=issued["from"] or "",
        issued_until=issued["to"] or "",
    )
    try:
        page = invoices.list_invoices(
            request.user, wanted, LIST_SIZE, _position(searched), ctx, where="form"
        )
    except InvalidInput as refused:  # the API's refusals, told on the form
        return _refused_search(
            INVOICE_SEARCH, request, searched, *SEARCH_REFUSALS[refused.where], **refused.values
        )
    except (cursor.InvalidCursor, InvalidPosition):
        return _page_refused(
            request, "invoices.html.j2", invoices=[], searched=searched, invalid=NONE_WRONG
        )
    following = _next_cursor(page.next_position)
    linked = {name: searched[name] for name in LINKED_FILTERS if searched.get(name)}
    return _page(
        request,
        "invoices.html.j2",
        # R19: a row whose final notice has not gone yet says so, not "sent"
        invoices=InvoiceSummaryOut.listed(page, invoices.final_notices_waiting(page, ctx)),
        searched=searched,
        invalid=NONE_WRONG,
        next_cursor=following,
        # A list asked for by a link goes on by a link, filters and all (R35).
        next_query=urlencode(linked | {"cursor": following}) if following else "",
        announce=announce,
    )


# What the service refuses in a search (services.provider.invoices.check_filter,
# find_by_reference, and list_invoices' patient number in another letter case, with the
# access log's text), by where it says: the text the page shows, and the form's fields
# it is about (a period the wrong way round is about both its dates).
SEARCH_REFUSALS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "form.from": ("invalid_period", ("from", "to")),
    "form.name": ("invalid_name", ("name",)),
    "form.reference": ("invalid_kenmerk", ("kenmerk",)),
    "form.patient_ref": ("invalid_patient_ref_case", ("patient",)),
}
# The search form's period: the invoice dates from and to (R35).
PERIOD = ("from", "to")
# The search form's fields marked invalid when none is (_fields.html.j2 asks for them).
NONE_WRONG: Mapping[str, tuple[str, ...]] = {}


class SearchForm(NamedTuple):
    """A page whose form asks for a list: its template, the form's name the ``invalid``
    marks are kept under, and what the page shows when refused (no list)."""

    template: str
    name: str
    shown: Mapping[str, Any]


INVOICE_SEARCH = SearchForm("invoices.html.j2", "search", {"invoices": []})


def _refused_search(
    form: SearchForm,
    request: PortalRequest,
    searched: Mapping[str, str],
    text: str,
    wrong: tuple[str, ...] = (),
    /,
    **values: object,
) -> PortalAnswer:
    """The list with nothing on it and why, on its form: 400, as the API answers the
    same refusals and the portal a page that is none (closing 14). The ``wrong`` fields,
    in the form's order, are marked invalid and described by the error (WCAG 3.3.1,
    4.1.2), the first focused, as the change forms' are; ``values``: what the text names.
    One for every search form (nota's, debtor risk, access log)."""
    error = portal_texts(request.language)(text, **values)
    return _page(
        request,
        form.template,
        HTTPStatus.BAD_REQUEST,
        searched=searched,
        error=error,
        invalid={form.name: wrong},
        **form.shown,
    )


def _typed_date(typed: str) -> str | None:
    """A date of the search's period as an ISO date, "" when none is asked; None when
    what was typed is no date (refused, as the API refuses it)."""
    try:
        return date.fromisoformat(typed).isoformat() if typed else ""
    except ValueError:
        return None


# The changes of the invoice page, by the form each is made in, and what each says done.
INVOICE_CHANGES = {"stop": "stopped", "hold": "held"}


def invoice_page(
    request: PortalRequest,
    invoice_id: str,
    ctx: ProviderContext,
    *,
    status: HTTPStatus = HTTPStatus.OK,
    entered: Mapping[str, Mapping[str, str]] | None = None,
    error: str | None = None,
    invalid: Mapping[str, tuple[str, ...]] | None = None,
) -> PortalAnswer:
    """The invoice, and a staff member's forms to change it (R21, R16), filled in again
    with what was ``entered`` in a form that was refused, its ``invalid`` fields marked.
    An id no route takes (``is_invoice_id``) is the not-found page, with no read."""
    if not is_invoice_id(invoice_id):
        return not_found(request)
    detail = invoices.invoice_detail(request.user, invoice_id, ctx)
    if detail is None:
        return not_found(request)
    shown = InvoiceDetailOut.of_detail(detail)
    done = request.query.get("done", "")
    today = ctx.clock.today()
    last_day = last_day_left(detail.invoice, today)
    return render(
        "invoice.html.j2",
        request.language,
        request.session,
        status,
        invoice=shown,
        final_notice_waits=detail.final_notice_waits,  # R19: not "sent" while it waits
        openable=[letters.can_open(detail.invoice, c) for c in detail.invoice.correspondence],
        in_email=[letters.is_plain_email(c) for c in detail.invoice.correspondence],
        settled=detail.invoice.is_paid,  # nothing open: a stop or hold could only be refused
        stop_reasons=STOP_REASONS,
        # The dates a hold may run until (R16), so the date field offers no other: the days
        # this invoice's holds left, a renewal's fewer than 60.
        hold_dates=(today + timedelta(days=1), last_day),
        # None left for a day after today: said instead of a form every date of which the
        # server refuses (review57: its field's last date came before its first).
        hold_used_up=_hold_used_up(detail.invoice, today, request.language),
        patient_email=detail.invoice.addressee.email or "",
        # The ledger as this page shows it: its stop form sends it back (R21, R38).
        ledger_entries=len(detail.invoice.ledger),
        entered=entered or {},
        invalid=invalid or {},
        notice=portal_texts(request.language)(done) if done in INVOICE_CHANGES.values() else None,
        error=error,
    )


def _hold_used_up(invoice: Invoice, today: date, language: str) -> str | None:
    """The refusal a hold placed today would get, in ``language``, when the invoice's holds
    left it no day after today (``changes.hold.hold_used_up`` decides, R16); None while a
    day is left."""
    used_up = hold_used_up(invoice, today)
    return used_up.message(language) if used_up else None


# A letter's place in the invoice's list: ASCII digits ("²" is a digit to isdigit, not to
# int), a few (int refuses a number of 4,301 digits: a 500, audit edges51).
LETTER_POSITION = re.compile(r"[0-9]{1,9}")


def letter(
    request: PortalRequest, invoice_id: str, position: str, ctx: ProviderContext
) -> PortalAnswer:
    """A letter's PDF, as an attachment; not found alike for another practice's (R26),
    and a 404 that says so for one whose PDF is no longer kept (legal-nl.md §8)."""
    try:
        found = (
            letters.letter_document(request.user, invoice_id, int(position), ctx)
            if is_invoice_id(invoice_id) and LETTER_POSITION.fullmatch(position)
            else None
        )
    except NoLongerKept as gone:
        return no_longer_kept(request, gone)
    if found is None:
        return not_found(request)
    return PortalAnswer(download=Download(found.file_name, "application/pdf", found.pdf))


def stop(request: PortalRequest, invoice_id: str, ctx: ProviderContext) -> PortalAnswer:
    """R21 with the terms to accept: the whole invoice, or a part of it as an amount in
    euros or a percentage of the original amount."""
    form = request.form
    return _change(
        request,
        invoice_id,
        "stop",
        lambda: _checked(
            StopIn,
            {
                "scope": lambda: form.get("scope", ""),
                "amount": lambda: _cents(form.get("amount", ""), "amount"),
                "percentage": lambda: _typed_decimal(
                    form.get("percentage", ""), StopIn, "percentage"
                ),
                "reason": lambda: form.get("reason", ""),
                "patient_email": lambda: form.get("patient_email", ""),
                "accept_terms": lambda: form.get("accept_terms") == "yes",
            },
        ),
        lambda body: invoices.stop_invoice(
            request.user,
            invoice_id,
            body.request(),
            ctx,
            cause=request.cause,
            seen_entries=_seen_entries(form.get("ledger_entries", "")),
        ),
        ctx,
    )


def _seen_entries(sent: str) -> int | None:
    """The ledger entries of the invoice as the stop form's page showed them (its hidden
    field): a form of a page opened before a change books nothing (R21, R38). None for a
    form without it (a page rendered before the field was), checked as it was then."""
    return int(sent) if sent.isascii() and sent.isdigit() else None


_Model = TypeVar("_Model", bound=BaseModel)


class WrongFields(Exception):
    """The fields of a form that are not filled in correctly, all of them (``_checked``)."""

    def __init__(self, names: Iterable[str], problems: Iterable[Mapping[str, Any]] = ()) -> None:
        super().__init__()
        self.names = tuple(dict.fromkeys(names))
        self.problems = tuple(problems)  # the model's, of the fields it could read


def _checked(model: type[_Model], readers: Mapping[str, Callable[[], object]]) -> _Model:
    """The form's model of what was typed, each field read as its reader reads it (an
    amount in euros, a percentage with a decimal comma), and checked by the model; a
    refusal names every field that is wrong at once (WCAG 3.3.1, R35): a field typed so
    it cannot be read did not hide the fields after it (audit portal8: the stop form
    named its amount only, not its percentage or reason)."""
    values: dict[str, object] = {}
    unread: list[str] = []
    for name, read in readers.items():
        try:
            values[name] = read()
        except InvalidInput:
            unread.append(name)
    try:
        checked = model.model_validate(values)
    except ValidationError as invalid:
        if not unread:
            raise
        raise WrongFields([*unread, *_invalid_names(invalid)], invalid.errors()) from None
    if unread:
        raise WrongFields(unread)
    return checked


def _cents(typed: str, field: str) -> int | None:
    """An amount as a person types it, read as the checker reads one off a statement
    (R17: "12,50", "€ 60,17", "1.234,56", "5,-"), in cents; None if empty."""
    if not typed.strip():
        return None
    try:
        return parse_typed_euros(typed)
    except AmountFormatError:
        raise InvalidInput(field, "not_an_amount") from None


# A number as people type it: whole, or with a decimal comma or point. A pattern, compiled
# on first use, as shared/money.py keeps its own (cold start, issue 18 (d)).
_TYPED_NUMBER = r"^\d+(?:[.,](\d+))?$"


def _typed_decimal(typed: str, model: type[BaseModel], field: str) -> str | None:
    """A percentage as a person types it ("12,5", "12.5", "12,5 %") as the model's Decimal
    reads it ("12.5"); None if empty. More decimals than the model keeps are refused
    here: "1.000" is a thousand to a Dutch reader, and one to Decimal."""
    plain = typed.strip().removesuffix("%").strip()
    if not plain:
        return None
    number = re.match(_TYPED_NUMBER, plain)
    places = _decimal_places(model, field)
    if number is None or (places is not None and len(number[1] or "") > places):
        raise InvalidInput(field, "not_a_number")
    return plain.replace(",", ".")


def _decimal_places(model: type[BaseModel], field: str) -> int | None:
    """The decimals a Decimal field of the model keeps (Field(decimal_places=...))."""
    field_info = model.model_fields.get(field)
    places = [getattr(c, "decimal_places", None) for c in field_info.metadata] if field_info else []
    return next((p for p in places if p is not None), None)


def hold(request: PortalRequest, invoice_id: str, ctx: ProviderContext) -> PortalAnswer:
    """R16: pause dunning up to and including a date, at most 60 days with today."""
    form = request.form
    return _change(
        request,
        invoice_id,
        "hold",
        lambda: HoldIn(until=form.get("until", ""), reason=form.get("reason", "")),
        lambda body: invoices.hold_invoice(request.user, invoice_id, body.until, body.reason, ctx),
        ctx,
    )


def _change(
    request: PortalRequest,
    invoice_id: str,
    form_name: str,
    parse: Callable[[], Any],
    change: Callable[[Any], Any],
    ctx: ProviderContext,
) -> PortalAnswer:
    """A change of a staff member (R32) on the invoice page. Once done, to the page
    (POST/redirect/GET: a reload shows the page and sends nothing); refused, the page
    with why not and the form as it was filled in. An id no route takes (``is_invoice_id``)
    is the not-found page, with no read."""
    if not is_invoice_id(invoice_id):
        return not_found(request)
    changed, refused = _attempt(form_name, lambda: change(parse()), request.language)
    if refused is not None:
        return invoice_page(
            request,
            invoice_id,
            ctx,
            status=refused.status,
            entered={form_name: dict(request.form)},
            error=refused.error,
            invalid=refused.invalid,
        )
    if changed is None:
        return not_found(request)
    return PortalAnswer(redirect_to=f"/portal/notas/{invoice_id}?done={INVOICE_CHANGES[form_name]}")


# Each form of the portal: the model that checks its fields, and the label (text key)
# each field has on the page, so that a refusal names a field as the page does (R35).
# The settings services check a setting with its own part of the provider's model.
FORM_FIELDS: dict[str, tuple[type[BaseModel], dict[str, str]]] = {
    "stop": (
        StopIn,
        {
            "scope": "scope_label",
            "amount": "amount_label",
            "percentage": "percentage_label",
            "reason": "reason_label",
            "patient_email": "email_label",
            "accept_terms": "accept_terms_label",
        },
    ),
    "hold": (HoldIn, {"until": "until_label", "reason": "hold_reason_label"}),
    "contact": (
        Contact,
        {
            "email": "contact_email",
            "phone": "phone",
            "website": "website",
            "hours": "opening_hours",
        },
    ),
    "dunning": (
        DunningPolicy,
        {
            "days_to_reminder": "days_to_reminder_label",
            "days_to_handover": "days_to_handover_label",
            "combine_reminders": "combine_reminders_label",
            "max_invoices_per_letter": "max_invoices_label",
        },
    ),
    "coulance": (
        CoulancePolicy,
        {
            "mode": "coulance_mode_label",
            "minimum_percentage": "minimum_percentage_label",
            "wait_for_statement": "wait_for_statement_label",
            "statement_wait_days": "statement_wait_days_label",
        },
    ),
    "invite": (UserIn, {"email": "contact_email", "role": "role_label"}),
    "rol": (RoleIn, {"role": "role_label"}),
}
# A number's bounds as the model's Field(ge=..., le=...) sets them, and how each reads.
BOUNDS = (
    (Ge, "ge", "allowed_ge"),
    (Gt, "gt", "allowed_gt"),
    (Le, "le", "allowed_le"),
    (Lt, "lt", "allowed_lt"),
)


# The fields a person types a number with decimals in, and the sentence that says how
# (R35): an amount as R17 reads one, a percentage with a decimal comma or point.
PERCENTAGES = frozenset({"percentage", "minimum_percentage"})
HOW_TO_TYPE = {"amount": "amount_how_to_type"} | dict.fromkeys(
    PERCENTAGES, "percentage_how_to_type"
)


@dataclass(frozen=True, slots=True)
class FormRefused:
    """Why a change form was not carried out, for the page that shows it again: its
    status, the sentence, and the form's fields it is about (marked invalid)."""

    status: HTTPStatus
    error: str
    invalid: dict[str, tuple[str, ...]]


def _attempt(
    form: str, carry_out: Callable[[], Any], language: str
) -> tuple[Any, FormRefused | None]:
    """Carry out a change form (R35): what it changed, or why not: its fields checked
    wrong (400), a refusal of the services (409), each naming the fields by the form's
    order, or someone else's change at the same moment that outlasted the store's retries
    (409, R28: nothing of it saved, the form as it was sent to send again; it was the
    API's JSON, audit portalconflict55). The role's refusal is not the form's: it stays
    a 403 (web.py)."""
    t = portal_texts(language)
    try:
        return carry_out(), None
    except (ValidationError, InvalidInput, WrongFields) as invalid:
        wrong = _in_form_order(form, _invalid_names(invalid))
        error = _invalid_form(invalid, form, t)
        return None, FormRefused(HTTPStatus.BAD_REQUEST, error, {form: wrong})
    except Forbidden:
        raise
    except Refused as refusal:
        wrong = _in_form_order(form, REFUSED_FIELDS.get(refusal.code, ()))
        error = t("refused", reason=_refusal_reason(refusal, t))
        return None, FormRefused(HTTPStatus.CONFLICT, error, {form: wrong})
    except SavedUnfinished:
        raise  # saved: not a form to fill in again (web.serve_change, invite58)
    except ConcurrentChange:
        error = t("refused", reason=t("changed_meanwhile"))
        return None, FormRefused(HTTPStatus.CONFLICT, error, {form: ()})


def _invalid_form(
    invalid: ValidationError | InvalidInput | WrongFields, form: str, t: Texts
) -> str:
    """The fields that are not filled in correctly, by their labels on the form and in
    its order, each with the values its model allows where it bounds them; then, for a
    number typed with decimals, how to type it."""
    model, labels = FORM_FIELDS.get(form, (BaseModel, {}))
    found = _invalid_names(invalid)
    names = [*_in_form_order(form, found), *(name for name in found if name not in labels)]
    typed_as = _typed_forms(invalid, t)
    fields = "; ".join(_field_named(model, labels, name, t, typed_as.get(name)) for name in names)
    how_to_type = [
        t(HOW_TO_TYPE[name], places=_decimal_places(model, name))
        for name in names
        if name in HOW_TO_TYPE and name in labels
    ]
    return " ".join([t("invalid_form", fields=fields), *how_to_type])


def _invalid_names(invalid: ValidationError | InvalidInput | WrongFields) -> list[str]:
    """The names of the fields a form's check found wrong."""
    if isinstance(invalid, WrongFields):
        return list(invalid.names)
    if isinstance(invalid, InvalidInput):
        return [invalid.where.rpartition(".")[2]]
    return sorted({str(e["loc"][0]) for e in invalid.errors() if e["loc"]})


# The fields of its form each refusal of the services is about (R35); a refusal about
# the invoice or the practice (already paid, a stale version) is about none of them.
REFUSED_FIELDS: Mapping[str, tuple[str, ...]] = {
    "terms_not_accepted": ("accept_terms",),
    "unknown_reason": ("reason",),
    "patient_email_required": ("patient_email",),
    "invalid_partial_stop": ("amount", "percentage"),
    "invalid_full_stop": ("amount", "percentage"),
    "more_than_open": ("amount", "percentage"),
    "percentage_under_a_cent": ("percentage",),
    "hold_out_of_range": ("until",),
    "hold_limit_reached": ("until",),
}


def _in_form_order(form: str, names: Iterable[str]) -> tuple[str, ...]:
    """The form's fields among ``names``, in the order of the form (FORM_FIELDS): the
    template marks each invalid and puts the focus on the first (WCAG 3.3.1, 4.1.2)."""
    wrong = set(names)
    return tuple(name for name in FORM_FIELDS.get(form, (BaseModel, {}))[1] if name in wrong)


def _typed_forms(invalid: ValidationError | InvalidInput | WrongFields, t: Texts) -> dict[str, str]:
    """Of each field refused for how it is typed (an e-mail address, a phone number, a
    website), what it is not and how it is typed, in the API's words
    (texts.practice.typed_form; leftovers51, portal51b: the form named the field only);
    of a text over its length, how long it may be and how long it was typed (words52:
    the form named the field only)."""
    if isinstance(invalid, InvalidInput):
        return {_invalid_names(invalid)[0]: _service_sentence(invalid, t.language)}
    if isinstance(invalid, ValidationError):
        problems: Iterable[Mapping[str, Any]] = invalid.errors()
    else:  # a form's refusal names those its model found
        problems = invalid.problems
    said: dict[str, str] = {}
    for problem in problems:
        form = _typed_form(problem, t)
        if form is not None and problem.get("loc"):
            said.setdefault(str(problem["loc"][0]), form)
    return said


def _service_sentence(invalid: InvalidInput, language: str) -> str:
    """What a service found wrong in a field, as the API says it, in the form's language
    (audit small57: a phone refused for its digits was named, not why)."""
    from billing_core.texts.practice import input_sentences  # the refusals only

    sentences = input_sentences(invalid.said_as, **invalid.values)
    return sentences.get(language, sentences["nl"])


def _typed_form(problem: Mapping[str, Any], t: Texts) -> str | None:
    """How one problem's field is typed, in the form's language; None for a problem
    the field's label and bounds say enough of."""
    from billing_core.texts.practice import typed_form, typed_length  # the forms only

    typed = typed_length(problem)
    if typed is not None:
        return t("allowed_max_length", limit=problem["ctx"]["max_length"], typed=typed)
    form = typed_form(problem)
    if form is None:
        return None
    return form[0] if t.language == "nl" else form[1]


def _field_named(
    model: type[BaseModel], labels: Mapping[str, str], name: str, t: Texts, typed_as: str | None
) -> str:
    if name not in labels:
        return name  # no field of the form (a check of the whole form): the model's word
    allowed = typed_as or _allowed(model, name, t)
    label = t(labels[name])
    return t("field_allowed", label=label, allowed=allowed) if allowed else label


def _allowed(model: type[BaseModel], name: str, t: Texts) -> str:
    """What the model allows of a field, as its Field(ge=..., le=...) bounds it
    ("minimaal 0, maximaal 60"); empty where it sets no bounds. A refusal and the
    settings page's hints both say it from here, so they cannot disagree."""
    field_info = model.model_fields.get(name)
    constraints = field_info.metadata if field_info else []
    return ", ".join(
        t(text_key, limit=getattr(bound, attribute))
        for kind, attribute, text_key in BOUNDS
        for bound in constraints
        if isinstance(bound, kind)
    )


def _refusal_reason(refusal: Refused, t: Texts) -> str:
    """The refusal's sentence, as the API gives it, or the portal's own
    (``refusal_<code>``) where that one names the form's fields as the form does."""
    own = t.entries.get(f"refusal_{refusal.code}")
    return own if own is not None else refusal.message(t.language)


# --- Acties ---------------------------------------------------------------------------------


def action_list(
    request: PortalRequest,
    ctx: ProviderContext,
    *,
    status: HTTPStatus = HTTPStatus.OK,
    error: str | None = None,
) -> PortalAnswer:
    """The actions in the state the link asks for (open by default), a page at a time as
    the other lists (R35: done ones are kept as long as their invoice; all in one page
    grew without end, actionpages56); with ``error``, the first page of open ones under
    why a change of one was refused (``update_action``), with its ``status``."""
    wanted = request.query.get("state", "open")
    state = ActionState(wanted) if wanted in _values(ActionState) else None
    shown = state.value if state else ""
    try:
        found, following = actions.list_actions_page(
            request.user, state, LIST_SIZE, _position(request.query), ctx
        )
    except (cursor.InvalidCursor, InvalidPosition):
        return _page_refused(request, "actions.html.j2", actions=[], state=shown)
    return _page(
        request,
        "actions.html.j2",
        status,
        actions=[ActionOut.of(a) for a in found],
        next_cursor=_next_cursor(following),
        state=shown,
        notice=portal_texts(request.language)("action_updated")
        if "done" in request.query and error is None
        else None,
        error=error,
    )


def update_action(request: PortalRequest, action_id: str, ctx: ProviderContext) -> PortalAnswer:
    """Mark done or open again; a coulance proposal applied or declined (R17, R23). A
    refusal answers as every form of the portal does (``_attempt``): 400 for what the
    form says, 409 for a refusal of the services, on the list as it is now. An id no
    route takes (``is_action_id``) is the not-found page, as an unknown one is and as
    every malformed invoice id is, with no read (audit bounce51c)."""
    if not is_action_id(action_id):
        return not_found(request)
    state, decision = request.form.get("state", ""), request.form.get("decision", "")
    t = portal_texts(request.language)
    forged = [
        name
        for name, typed, kind in (
            ("state", state, ActionState),
            ("decision", decision, CoulanceDecision),
        )
        if (typed or name == "state") and typed not in _values(kind)
    ]
    if forged:
        # Only a hand-made form says it (the page's forms send their own values): said
        # by the fields and what the page may send (R35, WCAG 3.3.1), not the generic
        # not-found page. The role's refusal first, as the service would give it (R32).
        if not request.session.may(Role.STAFF):
            return forbidden(request)
        fields = "; ".join(
            t("field_allowed", label=t(f"action_{name}_label"), allowed=t(f"action_{name}_allowed"))
            for name in forged
        )
        error = t("invalid_form", fields=fields)
        return action_list(
            replace(request, query={}), ctx, status=HTTPStatus.BAD_REQUEST, error=error
        )
    try:
        updated = actions.update_action(
            request.user,
            action_id,
            ActionState(state),
            CoulanceDecision(decision) if decision else None,
            ctx,
        )
    except Forbidden:
        raise  # the role's refusal: 403 (web.py)
    except (Refused, InvalidInput) as refusal:
        if isinstance(refusal, Refused):
            reason, status = _refusal_reason(refusal, t), HTTPStatus.CONFLICT
        else:  # a hand-made form (the page offers none): said by the field it names
            reason = t(f"invalid_action_{_invalid_names(refusal)[0]}")
            status = HTTPStatus.BAD_REQUEST
        # The list as it is now under why not: the action refused is still on it (it
        # said "Geen acties." with the action open, audit portal7 P7-1).
        error = t("refused", reason=reason)
        return action_list(replace(request, query={}), ctx, status=status, error=error)
    except SavedUnfinished:
        raise  # saved: not a decision to take again (web.serve_change, invite58)
    except ConcurrentChange:
        # The invoice kept changing past the store's retries: a decision lands with its
        # booking or not at all (R17, R28), so nothing was saved and the action is on the
        # list to decide again (it answered the API's JSON, audit portalconflict55).
        error = t("refused", reason=t("changed_meanwhile"))
        return action_list(replace(request, query={}), ctx, status=HTTPStatus.CONFLICT, error=error)
    if updated is None:
        return not_found(request)
    return PortalAnswer(redirect_to="/portal/acties?done=1")


# --- Geblokkeerde patiënten ------------------------------------------------------------------


def blocked(
    request: PortalRequest,
    ctx: ProviderContext,
    *,
    status: HTTPStatus = HTTPStatus.OK,
    error: str | None = None,
    since_refused: bool = False,
) -> PortalAnswer:
    """The blocked patients, a page at a time as the other lists (R35: all in one page
    passed Lambda's 6 MB at ~38,000, portalfeed54); with ``?format=csv`` or ``json`` the
    whole list as the API's download of it, the same file (R22, R35). ``error`` says why
    a download is refused; ``since_refused``: for the changes' date, which it marks."""
    output_format = request.query.get("format")
    if output_format in ("csv", "json"):
        return _blocked_download(request, ctx, output_format)
    since = request.query.get("since", "")
    try:
        found = blocked_patients.blocked_patients_page(
            request.user, LIST_SIZE, _position(request.query), ctx
        )
    except (cursor.InvalidCursor, InvalidPosition):
        today = ctx.clock.today()
        return _page_refused(request, "blocked.html.j2", blocked=[], as_of=today, since=since)
    return _page(
        request,
        "blocked.html.j2",
        status,
        # As the API lists them: each block's moment in Dutch time, so the page shows its
        # Dutch day, not the day of the zone it was stored in (R22, R35; utcday56).
        blocked=[BlockedPatientOut.of(p) for p in found.patients],
        as_of=found.as_of,
        next_cursor=_next_cursor(found.next_position),
        since=since,
        error=error,
        since_refused=since_refused,
    )


# The blocked patients one portal file holds at most: all of them in one answer passed
# Lambda's 6 MB at ~33,000 (JSON, 190 B a patient with one invoice as the answer carries
# it, about 50 B more for each further invoice; CSV 36 B). 10,000 are 1.9 MB of JSON,
# 4.5 MB with five invoices each and 64-character patient numbers; more: the API's pages.
BLOCKED_FILE_MAX = 10_000


def _blocked_download(
    request: PortalRequest, ctx: ProviderContext, output_format: str
) -> PortalAnswer:
    """Every blocked patient in one file, the API's download (R22); more than one file
    holds are refused on the blocked page, naming the API's pages (R35)."""
    try:
        found = blocked_patients.blocked_patients_file(request.user, ctx, BLOCKED_FILE_MAX)
    except InvalidInput:
        most = counted(BLOCKED_FILE_MAX, request.language)
        error = portal_texts(request.language)("blocked_too_many", most=most)
        page = replace(request, query={})  # the first page, not its download
        return blocked(page, ctx, status=HTTPStatus.BAD_REQUEST, error=error)
    name = f"geblokkeerde-patienten-{found.as_of.isoformat()}"
    if output_format == "csv":
        csv = blocked_patients_csv(found.patients)
        return PortalAnswer(download=Download(f"{name}.csv", CSV, csv))
    body = BlockedPatientListOut.of(found).model_dump_json(indent=2)
    return PortalAnswer(download=Download(f"{name}.json", "application/json", body))


# The changes one portal file holds at most: all of them in one answer passed Lambda's
# 6 MB at ~48,000 (JSON, 130 B a change as the answer carries it; CSV 46 B). 20,000 are
# 2.6 MB of JSON, 3.7 MB with the longest patient numbers; more: the API's pages.
CHANGES_FILE_MAX = 20_000


def block_changes(request: PortalRequest, ctx: ProviderContext) -> PortalAnswer:
    """The changes since a date, as the practice software imports them, in the API's
    shapes (R22); a date the service refuses is marked on the blocked page's form."""
    since = request.query.get("since", "") or date(2000, 1, 1).isoformat()
    try:
        found = blocked_patients.block_changes_file(request.user, since, ctx, CHANGES_FILE_MAX)
    except InvalidInput as refused:
        # The blocked page, not its download: of the query only the date, as typed.
        page = replace(request, query={"since": request.query.get("since", "")})
        error = _since_refused(refused, request.language)
        status = HTTPStatus.BAD_REQUEST
        return blocked(page, ctx, status=status, error=error, since_refused=True)
    name = f"blokkade-wijzigingen-{found.since.date().isoformat()}"
    if request.query.get("format") == "json":
        body = BlockChangeListOut.of(found).model_dump_json(indent=2)
        return PortalAnswer(download=Download(f"{name}.json", "application/json", body))
    csv = block_changes_csv(found.changes)
    return PortalAnswer(download=Download(f"{name}.csv", CSV, csv))


def _since_refused(refused: InvalidInput, language: str) -> str:
    """Why the changes' date is refused: a date that is none, or too many since it."""
    t = portal_texts(language)
    if refused.said_as == "block_changes_too_many":
        return t("invalid_since_too_many", most=counted(CHANGES_FILE_MAX, language))
    return t("invalid_since")


# --- Uitbetalingen --------------------------------------------------------------------------


def payouts(request: PortalRequest, ctx: ProviderContext) -> PortalAnswer:
    """52 weeks a page, newest first; older ones before the week the link names, as the
    API's ``before`` (R24, R35)."""
    try:
        page = statements.retrocession_page(
            request.user, PAYOUT_WEEKS, request.query.get("before") or None, ctx
        )
    except InvalidInput:
        return _page_refused(request, "payouts.html.j2", weeks=[])
    weeks = [RetrocessionWeekOut.of(s) for s in page.statements]
    return _page(request, "payouts.html.j2", weeks=weeks, next_before=page.next_before or "")


def statement(request: PortalRequest, week: str, ctx: ProviderContext) -> PortalAnswer:
    output_format: StatementFormat = "json" if request.query.get("format") == "json" else "csv"
    try:
        found = statements.retrocession_statement(request.user, week, output_format, ctx)
    except InvalidInput:
        found = None
    except NoLongerKept as gone:
        return no_longer_kept(request, gone)
    if found is None:
        return not_found(request)
    content_type = "application/json" if output_format == "json" else CSV
    name = f"uitbetaling-{found.week_label}.{output_format}"
    return PortalAnswer(download=Download(name, content_type, found.body.decode("utf-8")))


# --- Debiteurenrisico -----------------------------------------------------------------------


# The months of issue the page shows, as the API's ``from`` and ``to`` (R25, R35).
RISK_QUERY = PERIOD
RISK_SEARCH = SearchForm(
    "risk.html.j2", "risk", {"risk": None, "most_months": statements.DEBTOR_RISK_MAX_MONTHS}
)


def debtor_risk(request: PortalRequest, ctx: ProviderContext) -> PortalAnswer:
    """The months the form asks for (YYYY-MM), by default this month and the eleven before
    it: any range the API gives, so a month over a year back is not the API's alone
    (R35; audit objections53). A month of another form, or a range the API refuses, is
    said on the form (400), the field marked."""
    typed = {name: request.query.get(name, "").strip() for name in RISK_QUERY}
    not_months = tuple(name for name in RISK_QUERY if typed[name] and not _is_month(typed[name]))
    if not_months:
        return _refused_search(RISK_SEARCH, request, typed, "invalid_risk_month", not_months)
    try:
        risk = statements.debtor_risk_report(
            request.user, typed["from"] or None, typed["to"] or None, ctx
        )
    except InvalidInput as refused:  # the API's: out of the calendar, or too many months
        field = "to" if refused.where == "query.to" else "from"
        return _refused_search(
            RISK_SEARCH,
            request,
            typed,
            f"invalid_risk_{refused.said_as}",
            (field,),
            **refused.values,
        )
    t = portal_texts(request.language)
    return _page(
        request,
        "risk.html.j2",
        risk=risk,
        searched={"from": risk.first.label, "to": risk.last.label},
        invalid=NONE_WRONG,
        most_months=statements.DEBTOR_RISK_MAX_MONTHS,
        outcomes=list(Outcome),
        chart=risk_chart(
            risk, {o: t(f"risk_{o.value}") for o in Outcome}, t.euros, request.language
        ),
    )


def _is_month(typed: str) -> bool:
    return re.fullmatch(MONTH_PATTERN, typed) is not None


# --- Instellingen ---------------------------------------------------------------------------

# The three settings a practice admin changes (R31), by the path of their form: the
# fields each form sends, and its checkboxes (absent from a form when not ticked).
SETTING_FORMS = {
    "contact": ("contact", ("email", "phone", "website", "hours"), ()),
    "aanmanen": (
        "dunning",
        ("days_to_reminder", "days_to_handover", "max_invoices_per_letter"),
        ("combine_reminders",),
    ),
    "coulance": (
        "coulance",
        ("mode", "minimum_percentage", "statement_wait_days"),
        ("wait_for_statement",),
    ),
}
USER_CHANGES = ("uitnodigen", "rol", "uitschakelen")
DONE_NOTICES = {
    "settings": "settings_saved",
    "uitnodigen": "user_invited",
    "opnieuw-uitgenodigd": "user_reinvited",
    "ingeschakeld": "user_enabled_notice",
    "rol": "role_changed",
    "uitschakelen": "user_disabled_notice",
}
INVITED_AGAIN = {
    InviteOutcome.REINVITED: "opnieuw-uitgenodigd",
    InviteOutcome.ENABLED: "ingeschakeld",
}


def settings(
    request: PortalRequest,
    ctx: ProviderContext,
    *,
    status: HTTPStatus = HTTPStatus.OK,
    entered: Mapping[str, Mapping[str, str]] | None = None,
    error: str | None = None,
    invalid: Mapping[str, tuple[str, ...]] | None = None,
) -> PortalAnswer:
    """The admin's own settings and colleagues, each part a form (R31, R32); a refused
    one filled in again with what was ``entered``, its ``invalid`` fields marked."""
    provider = provider_settings.own_settings(request.user, ctx)
    if provider is None:
        return not_found(request)
    colleagues = provider_users.colleagues(request.user, ctx)
    done = DONE_NOTICES.get(request.query.get("done", ""))
    t = portal_texts(request.language)
    return render(
        "settings.html.j2",
        request.language,
        request.session,
        status,
        provider=provider,
        # Each contract with its insurer's name from the register and that version's label:
        # a practice knows its insurers by name, not by UZOVI code (R33, R35).
        contracts=[
            (contract, insurer, version)
            for contract, (insurer, version) in zip(
                provider.contracts, provider_settings.contract_insurers(provider, ctx), strict=True
            )
        ],
        colleagues=colleagues,
        user_changes=_user_changes(provider_users.colleague_history(request.user, ctx), colleagues),
        roles=[role.value for role in Role],
        entered=entered or {},
        invalid=invalid or {},
        # A number's hint says what its form's model allows (FORM_FIELDS), as a refusal does.
        allowed=lambda form, name: _allowed(FORM_FIELDS[form][0], name, t),
        notice=t(done) if done else None,
        error=error,
    )


@dataclass(frozen=True, slots=True)
class _UserChangeRow:
    change: UserChange
    day: date
    time: str  # HH:MM, Dutch time
    by: str  # the colleague's address; "" for zorgnota's operators; else the Cognito id


def _user_changes(
    history: list[UserChange] | None, colleagues: list[DirectoryUser]
) -> list[_UserChangeRow]:
    """Who changed the practice's users, newest first (R31, R32): the editor by the
    address the admin knows them by, zorgnota's operators as zorgnota."""
    addresses = {user.user_id: user.email for user in colleagues}
    rows = []
    for change in reversed(history or []):
        moment = change.changed_at.astimezone(AMSTERDAM)
        by = addresses.get(change.changed_by, change.changed_by)
        if change.role == OPERATORS_GROUP:
            by = ""
        rows.append(_UserChangeRow(change, moment.date(), f"{moment:%H:%M}", by))
    return rows


def change_settings(request: PortalRequest, part: str, ctx: ProviderContext) -> PortalAnswer:
    """One settings form, through the same validated, versioned change as the API's
    PATCH: a stale version is refused (409) with the current values shown again; the
    form sent again after its own save (its key's record gone) is saved, as it was (R38)."""
    if part not in SETTING_FORMS:
        return not_found(request)
    setting, fields, switches = SETTING_FORMS[part]
    version = request.form.get("version", "")

    def typed() -> dict[str, Any]:
        """What the form says, read as typed and first checked whole by the setting's
        model: the service names the first field its model refuses (as the API does),
        the form every one (WCAG 3.3.1; audit portal8: the coulance form named its
        choice only, not a percentage or wait out of bounds)."""
        from functools import partial
        from operator import eq

        model = FORM_FIELDS[setting][0]
        form = request.form
        readers: dict[str, Callable[[], object]] = {
            name: partial(_setting_typed, model, name, form.get(name, "")) for name in fields
        }
        readers |= {name: partial(eq, form.get(name), "yes") for name in switches}
        _checked(model, readers)
        return {name: read() for name, read in readers.items()}

    return _settings_change(
        request,
        setting,
        lambda: provider_settings.change_own_settings(
            request.user,
            {setting: typed()},
            int(version) if version.isascii() and version.isdigit() else 0,
            ctx,
            cause=request.cause,
        ),
        "settings",
        ctx,
    )


def _setting_typed(model: type[BaseModel], name: str, typed: str) -> str | int:
    """A setting as typed, for its model to check: a percentage read as the stop form
    reads one (R35), a number of days typed in digits as the whole number the model
    takes (it refuses the text "30" on write, R31), any other value as it is (the
    model refuses a number typed otherwise, and the form names the field)."""
    if name in PERCENTAGES:
        return _typed_decimal(typed, model, name) or ""
    plain = typed.strip()
    field = model.model_fields.get(name)
    if field is not None and field.annotation is int and plain.isascii() and plain.isdigit():
        return int(plain)
    return plain


def change_user(request: PortalRequest, change: str, ctx: ProviderContext) -> PortalAnswer:
    """Invite a colleague, change a colleague's role, disable one: the API's service,
    its input model checks the address and the role (R32)."""
    if change not in USER_CHANGES:
        return not_found(request)
    email, role = request.form.get("email", ""), request.form.get("role", "")

    def carry_out() -> object:
        if change == "uitnodigen":
            invited = UserIn(email=email, role=role)
            return provider_users.invite_colleague(
                request.user, invited.email, invited.role, ctx, cause=request.cause
            )
        if change == "rol":
            new_role = RoleIn(role=role).role
            return provider_users.change_colleague_role(
                request.user, email, new_role, ctx, cause=request.cause
            )
        return provider_users.disable_colleague(request.user, email, ctx, cause=request.cause)

    form = "invite" if change == "uitnodigen" else change  # only the invite form is filled in again
    return _settings_change(
        request, form, carry_out, _user_change_done(change), ctx, missing="user_not_found"
    )


def _user_change_done(change: str) -> Callable[[object], str]:
    """The notice after a change of a user: an invitation may have brought a colleague of
    the practice back (R32)."""

    def done(changed: object) -> str:
        if isinstance(changed, Invitation):
            return INVITED_AGAIN.get(changed.outcome, change)
        return change

    return done


def _settings_change(
    request: PortalRequest,
    form: str,
    carry_out: Callable[[], object],
    done: str | Callable[[object], str],
    ctx: ProviderContext,
    *,
    missing: str = "",
) -> PortalAnswer:
    """The settings page again with why not, or, once done, a fresh one (so a reload
    does not post the form again). ``form``: the key the template fills in again from
    what was entered (the setting's name, or "invite"), and its FORM_FIELDS. ``missing``:
    what the page says, 404, when what the form changes is not found (a colleague's
    address not of the practice, or no longer: the generic not-found page left the
    admin without the settings, audit portal7)."""
    changed, refused = _attempt(form, carry_out, request.language)
    if refused is not None:
        return settings(
            request,
            ctx,
            status=refused.status,
            entered={form: dict(request.form)},
            error=refused.error,
            invalid=refused.invalid,
        )
    if changed is None and missing:
        error = portal_texts(request.language)(missing)
        return settings(request, ctx, status=HTTPStatus.NOT_FOUND, error=error)
    if changed is None:
        return not_found(request)
    notice = done(changed) if callable(done) else done
    return PortalAnswer(redirect_to=f"/portal/instellingen?done={notice}")


# --- Inzage-log -----------------------------------------------------------------------------

# What the access log's form and links ask for (web.serve_page refuses anything else).
ACCESS_LOG_QUERY = ("patient", "from", "to", "cursor", "format")
ACCESS_LOG_DAYS = 30  # the period the page opens with: the last 30 days, today included
# A kenmerk as texts/reads.py says it (shared/reference.grouped): its four groups.
KENMERK_SAID = r"\b\d{4} \d{4} \d{4} \d{2}\b"
# A patient number as the API's audit route takes one (its query's max_length).
PATIENT_REF_MAX = 64
# The form's field of what the API's audit route refuses (the period: its end).
ACCESS_LOG_FIELDS = {"query.patient_ref": "patient"}
ACCESS_LOG_SEARCH = SearchForm("access_log.html.j2", "audit", {"reads": []})


def access_log(request: PortalRequest, ctx: ProviderContext) -> PortalAnswer:
    """Who read the practice's data, or one patient's, and when (R32, R35, NEN 7513): the
    admin answers a patient "who read my data?" here, not through the API. The same
    service as the API's audit route (``services.provider.audit``): a page of reads, or
    with ``format=csv`` the whole period as the API's CSV; each listing is recorded as a
    read. The API's limits and refusals, said on the form in the page's language, the
    field marked and focused (WCAG 3.3.1). Admins only: 403 for anyone else (R32)."""
    if not request.session.may(Role.ADMIN):
        return forbidden(request, page=True)
    from billing_core.services.provider import audit  # only this page: not at cold start

    today = ctx.clock.today()
    typed = {name: request.query.get(name, "").strip() for name in ("patient", "from", "to")}
    days = {name: _typed_date(typed[name]) for name in PERIOD}
    searched = {
        "patient": typed["patient"],
        "from": days["from"] or typed["from"] or str(today - timedelta(days=ACCESS_LOG_DAYS - 1)),
        "to": days["to"] or typed["to"] or str(today),
    }
    not_dates = tuple(name for name in PERIOD if days[name] is None)
    if not_dates:
        return _refused_search(
            ACCESS_LOG_SEARCH, request, searched, "invalid_audit_date", not_dates
        )
    if len(searched["patient"]) > PATIENT_REF_MAX:
        return _refused_search(
            ACCESS_LOG_SEARCH,
            request,
            searched,
            "invalid_audit_patient",
            ("patient",),
            most=PATIENT_REF_MAX,
        )
    first_day, last_day = date.fromisoformat(searched["from"]), date.fromisoformat(searched["to"])
    period = {"patient_ref": searched["patient"]}
    try:
        if request.query.get("format") == "csv":
            found = audit.every_practice_read(request.user, first_day, last_day, ctx, **period)
            csv = audit.reads_csv(found, audit.readers(found, request.user, ctx))
            name = f"inzage-{request.user.provider_id}-{first_day}-{last_day}.csv"
            return PortalAnswer(download=Download(name, CSV, csv))
        page = audit.practice_reads(
            request.user,
            first_day,
            last_day,
            ctx,
            limit=LIST_SIZE,
            after=_position(request.query),
            **period,
        )
    except InvalidInput as refused:  # the API's: the period, a CSV too long, the case
        field = ACCESS_LOG_FIELDS.get(refused.where, "to")
        return _refused_search(
            ACCESS_LOG_SEARCH,
            request,
            searched,
            f"invalid_{refused.said_as}",
            (field,),
            **refused.values,
        )
    except (cursor.InvalidCursor, InvalidPosition):
        return _page_refused(
            request, "access_log.html.j2", reads=[], searched=searched, invalid=NONE_WRONG
        )
    linked = {name: value for name, value in searched.items() if value}
    following = _next_cursor(page.next_position)
    return _page(
        request,
        "access_log.html.j2",
        reads=_read_rows(
            page.records,
            audit.readers(page.records, request.user, ctx),
            portal_texts(request.language),
            searched["patient"],
            audit.invoices_read(page.records, request.user, ctx, page.invoices),
        ),
        searched=searched,
        invalid=NONE_WRONG,
        csv_href="/portal/inzage?" + urlencode(linked | {"format": "csv"}),
        later=bool(request.query.get("cursor")),  # a page after the first: "no more reads"
        next_href="/portal/inzage?" + urlencode(linked | {"cursor": following})
        if following
        else "",
    )


def _read_rows(
    records: Iterable[Any],
    by: Mapping[str, str],
    t: Texts,
    patient: str,
    invoices: Mapping[str, tuple[str, str]],
) -> list[dict[str, Any]]:
    """A read as the table shows it: the Dutch day and time, who (a colleague's address,
    zorgnota, or "" for a user no longer known), the role, and what was read and its kind
    in the page's words, naming the patients it showed, ``patient`` (asked for) first, and
    a single invoice by its kenmerk and patient (``invoices``; texts/reads.py, R32, R35);
    the CSV keeps the ids."""
    import re  # only this page: not at cold start

    from billing_core.texts.reads import read_words

    rows = []
    for record in records:
        moment = record.at.astimezone(AMSTERDAM)
        said, kind = read_words(record.kind.value, record.subject, t, patient, invoices)
        # a kenmerk ("3215 5743 8894 56") kept whole in a phone's narrow cell (audit5)
        parts = re.split(f"({KENMERK_SAID})", said)  # odd parts: the kenmerken
        kenmerk = Markup('<span class="kenmerk">{}</span>')
        what = Markup().join(kenmerk.format(p) if i % 2 else p for i, p in enumerate(parts))
        rows.append(
            {
                "day": moment.date(),
                "time": f"{moment:%H:%M}",
                "by": by.get(record.user_id, ""),
                "role": record.role,
                "what": what,
                "kind": kind,
            }
        )
    return rows
