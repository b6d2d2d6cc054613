"""The practice's access log in the portal (R32, R35, NEN 7513): its admin answers a
patient "who read my data?" on a page, through the same service as the API's audit route
(services/provider/audit.py); staff and viewers neither see it in the menu nor open it."""

from __future__ import annotations

import re
from datetime import datetime
from http import HTTPStatus

import boto3
import pytest

from billing_core.adapters.dynamo import keys
from billing_core.shared.audit import ReadKind, ReadRecord
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.reference import grouped
from local.sandbox import Caller
from local.seed import DENTAL, PHYSIO
from tests.csv_downloads import BOM, csv_dicts
from tests.functional.form_fields import form_fields, marked_invalid
from tests.functional.test_action_and_insurer_claim_routes import objection_action
from tests.functional.test_practice_audit import two_patients_read  # noqa: F401
from tests.functional.test_provider_portal import PortalUser, sample_login, signed_in

PROVIDER = DENTAL.provider_id
ACCESS_LOG = "/portal/inzage"


def table_rows(html: str) -> list[str]:
    """The reads table's body rows, as markup."""
    body = re.search(r'<table id="reads".*?<tbody role="rowgroup">(.*?)</tbody>', html, re.S)
    return re.findall(r'<tr role="row">(.*?)</tr>', body.group(1), re.S) if body else []


def test_the_admin_reads_one_patients_reads_in_the_portal_and_downloads_them(
    sandbox,
    two_patients_read,  # noqa: F811 (the audit API's Given)
):
    """R32, R35, NEN 7513. Given a viewer who opened one invoice of patient A and one of B
    When the admin opens the access log (the menu links it), then filters on A
    Then the page opens on the last 30 days with both reads, each as an invoice read;
    A's filter shows A's read only; the CSV link is the API's file (with its BOM), which
    holds A's read and the page's listing of A as a read by the admin, naming A."""
    first, second = two_patients_read
    admin = signed_in(sandbox, "admin", "en")
    today = sandbox.clock.today()

    status, overview = admin.page("/portal/")
    assert status == HTTPStatus.OK and f'href="{ACCESS_LOG}"' in overview
    status, html = admin.page(ACCESS_LOG)
    assert status == HTTPStatus.OK, html
    fields = form_fields(html)
    assert (fields["from"]["value"], fields["to"]["value"]) == (
        str(today.fromordinal(today.toordinal() - 29)),
        str(today),
    )
    # the viewer's two invoice reads, beside the overview's list the admin just read, each
    # said by its kenmerk and patient number, not its id (audit4)
    # (both at the same moment: in either order)
    invoice_reads = [cells(row)[2] for row in table_rows(html) if ">Invoice<" in row]
    assert sorted(invoice_reads) == sorted(
        f"Invoice {grouped(i.reference)}: patient {i.patient_ref}" for i in (first, second)
    )
    assert first.invoice_id not in html

    status, html = admin.page(f"{ACCESS_LOG}?patient={first.patient_ref}&from={today}&to={today}")
    assert status == HTTPStatus.OK
    assert [grouped(first.reference) in row for row in table_rows(html)] == [True]
    assert grouped(second.reference) not in html and first.patient.display_name not in html
    csv_link = re.search(r'<a href="([^"]+)" id="reads-csv">', html).group(1)
    status, headers, body = admin.request("GET", csv_link.replace("&amp;", "&"))
    assert status == HTTPStatus.OK and body.startswith(BOM)
    assert headers["Content-Type"].startswith("text/csv")
    assert sorted((r["role"], r["kind"], r["subject"]) for r in csv_dicts(body)) == [
        ("admin", "audit", f"{today}..{today} patient:{first.patient_ref}"),
        ("viewer", "invoice", f"{first.invoice_id} patient:{first.patient_ref}"),
    ]


def test_the_csv_link_shows_a_refusal_of_the_file_rather_than_saving_it(
    sandbox,
    two_patients_read,  # noqa: F811 (the audit API's Given)
    monkeypatch,
):
    """R32, R35 (as blockedlist55 did for the blocked list's links). Given a file of at
    most one page of one read, and the viewer's two reads of today
    When the admin opens today's access log and follows its CSV link
    Then the link has no download attribute (a browser would save the refusal page as the
    file), and the answer is the access log page, 400, asking for a shorter period."""
    from billing_core.services.provider import audit as practice_audit

    monkeypatch.setattr(practice_audit, "CSV_PAGES", 1)
    monkeypatch.setattr(practice_audit, "MAX_AUDIT_PAGE", 1)
    admin = signed_in(sandbox, "admin", "en")
    today = sandbox.clock.today()
    # When
    status, html = admin.page(f"{ACCESS_LOG}?from={today}&to={today}")
    assert status == HTTPStatus.OK, html
    (link,) = re.findall(r'<a [^>]*id="reads-csv"[^>]*>', html)
    status, headers, body = admin.request(
        "GET", re.search(r'href="([^"]+)"', link).group(1).replace("&amp;", "&")
    )
    # Then
    assert " download" not in link
    assert status == HTTPStatus.BAD_REQUEST and headers["Content-Type"].startswith("text/html")
    alert = re.search(r'<div class="alert"[^>]*>(.*?)</div>', body, re.S).group(1)
    assert "Too many reads in this period for one file: choose a shorter period." in alert
    assert "Content-Disposition" not in headers


def test_staff_and_viewers_neither_see_nor_open_the_access_log(sandbox):
    """R32. Given the practice's staff member and viewer signed in, When they open the
    overview and type the access log's address, Then the menu has no link to it and the
    page is the 403 page."""
    for role in ("staff", "viewer"):
        user = signed_in(sandbox, role, "nl")
        assert f'href="{ACCESS_LOG}"' not in user.page("/portal/")[1]
        status, html = user.page(f"{ACCESS_LOG}?from=2026-01-01&to=2026-01-31")
        assert status == HTTPStatus.FORBIDDEN and 'id="reads"' not in html


def test_a_refused_period_is_said_on_the_form_its_field_marked(sandbox, subtests):
    """R32, R35, WCAG 3.3.1. Given the admin signed in, When they ask for a period the
    API refuses (the wrong way round, longer than 366 days), a date that is no date, or a
    patient number longer than the API takes, Then the page answers 400 with why in its
    language, the field marked invalid and focused, and lists nothing."""
    admin = signed_in(sandbox, "admin", "nl")
    cases = (
        ("from=2026-02-01&to=2026-01-31", "to", "hoogstens 366 dagen"),
        ("from=2025-01-01&to=2026-01-02", "to", "hoogstens 366 dagen"),
        ("from=31-01-2026&to=2026-02-01", "from", "dag-maand-jaar"),
        (f"patient={'1' * 65}", "patient", "hoogstens 64 tekens"),
    )
    for query, field, said in cases:
        with subtests.test(query=query[:40]):
            status, html = admin.page(f"{ACCESS_LOG}?{query}")
            assert status == HTTPStatus.BAD_REQUEST
            assert said in re.search(r'<div class="alert"[^>]*>(.*?)</div>', html).group(1)
            assert marked_invalid(html) == {field}
            assert "autofocus" in form_fields(html)[field]
            assert 'id="reads"' not in html


def test_a_patient_number_in_another_letter_case_is_said_on_the_form_naming_it(
    sandbox,
    two_patients_read,  # noqa: F811 (the audit API's Given)
):
    """R32, R35, WCAG 3.3.1 (audit paths50): "pat000002" for PAT000002 listed "no reads"
    (200), which the admin could hand the patient. Given a read of a patient's invoice,
    When the admin types their number in small letters, Then the page answers 400 naming
    the number as the invoices have it, the patient field marked and focused, no reads."""
    first, _ = two_patients_read
    admin = signed_in(sandbox, "admin", "nl")
    today = sandbox.clock.today()
    typed = first.patient_ref.lower()
    status, html = admin.page(f"{ACCESS_LOG}?patient={typed}&from={today}&to={today}")
    assert status == HTTPStatus.BAD_REQUEST
    alert = re.search(r'<div class="alert"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert f"wel als {first.patient_ref}: hoofdletters en kleine letters tellen" in alert
    assert marked_invalid(html) == {"patient"} and "autofocus" in form_fields(html)["patient"]
    assert form_fields(html)["patient"]["value"] == typed and 'id="reads"' not in html


def cells(row: str) -> list[str]:
    """A row's cells as text (the markup's entities as the reader sees them)."""
    texts = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return [re.sub("<[^>]+>", "", c).replace("&#39;", "'") for c in texts]


def test_each_read_is_said_in_words_naming_its_patients_never_its_ids(
    sandbox,
    two_patients_read,  # noqa: F811 (the audit API's Given)
    subtests,
):
    """R32, R35, R9 (audit4). Given a read of every kind the services record, with the
    subjects they write (a list's heading and the ids it showed: ``blocked patient:..``,
    ``actions action:.. invoice:..``, one invoice's id, ...)
    When the admin opens the access log in Dutch and filters on patient B
    Then each read's "Wat is ingezien" says in Dutch what was read, the patient numbers it
    named (B first) and an invoice by its kenmerk and patient, never an id or an English
    heading; "Soort" says an actions list is one of actions; the CSV keeps the ids."""
    first, second = two_patients_read
    a, b = first.patient_ref, second.patient_ref
    kenmerk = grouped(second.reference)
    shown = {
        (ReadKind.INVOICE, second.invoice_id): (f"Nota {kenmerk}: patiënt {b}", "Nota"),
        (ReadKind.LETTER, f"{second.invoice_id}:1:reminder"): (
            f"Brief (pdf) bij nota {kenmerk}: patiënt {b}",
            "Brief (pdf)",
        ),
        (ReadKind.PATIENT_LIST, f"blocked patient:{a} patient:{b}"): (
            f"Lijst geblokkeerde patiënten: patiënten {b}, {a}",
            "Lijst van patiënten",
        ),
        (ReadKind.PATIENT_LIST, f"actions action:x invoice:{second.invoice_id}"): (
            "Acties (1)",
            "Lijst van acties",
        ),
        (ReadKind.INVOICE_LIST, f"patient:{b} invoice:{second.invoice_id}"): (
            f"Nota's (1): patiënt {b}",
            "Lijst van nota's",
        ),
        (ReadKind.EXPORT, f"insurer-claims:3311 declaration:{second.declaration_id}"): (
            "Declaratiebestanden voor zorgverzekeraar 3311 (1)",
            "Bestand",
        ),
        (ReadKind.AUDIT, f"2026-10-25..2026-11-23 patient:{b}"): (
            f"Inzage-log van 25-10-2026 tot en met 23-11-2026: patiënt {b}",
            "Inzage-log",
        ),
        (ReadKind.REFUND_BATCH, f"batch-1 kenmerk:{second.reference}"): (
            f"Terugbetalingen aan patiënten, kenmerk {kenmerk}",
            "Terugbetalingen",
        ),
    }
    at = datetime(2026, 11, 23, 23, tzinfo=AMSTERDAM)  # after the viewer's reads of today
    for minute, (kind, subject) in enumerate(shown):
        read = ReadRecord(at.replace(minute=minute), PROVIDER, "u1", "viewer", kind, subject)
        sandbox.runtime.audit_log.record_read(read)
    admin = signed_in(sandbox, "admin", "nl")

    status, html = admin.page(f"{ACCESS_LOG}?patient={b}&from=2026-11-23&to=2026-11-23")
    assert status == HTTPStatus.OK
    rows = [cells(row)[2:] for row in table_rows(html)][-len(shown) :]
    for (kind, subject), said in zip(shown, rows, strict=True):
        with subtests.test(kind=kind.value, subject=subject.split()[0][:20]):
            assert tuple(said) == shown[kind, subject]
    assert "invoice:" not in html and second.invoice_id not in html and "blocked" not in html


def test_a_patients_page_without_their_reads_yet_links_on_never_says_none(
    sandbox,
    two_patients_read,  # noqa: F811 (the audit API's Given)
    monkeypatch,
):
    """R32, NEN 7513, R35 (audit5). Given 2 reads of patient B before the viewer's read of
    A's invoice, and a filtered page of 2 reads that looks through one page of the
    practice's reads (SCAN_PAGES at 1: as 500 reads before A's do with 50 and 10)
    When the admin filters on A
    Then the first page lists nothing but says this part of the period has none of A's
    reads and links on (not "No reads in this period", which would tell the patient that
    nobody read their data); the pages on list A's read."""
    from billing_core.entrypoints.web.portal import pages
    from billing_core.services.operator import audit

    first, second = two_patients_read
    monkeypatch.setattr(audit, "SCAN_PAGES", 1)
    monkeypatch.setattr(pages, "LIST_SIZE", 2)
    at = datetime.combine(sandbox.clock.today(), datetime.min.time(), tzinfo=AMSTERDAM)
    for second_ in range(2):
        read = ReadRecord(
            at.replace(second=second_),
            PROVIDER,
            "u1",
            "viewer",
            ReadKind.INVOICE,
            second.invoice_id,
        )
        sandbox.runtime.audit_log.record_read(read)
    admin = signed_in(sandbox, "admin", "en")
    day = sandbox.clock.today()

    status, html = admin.page(f"{ACCESS_LOG}?patient={first.patient_ref}&from={day}&to={day}")

    assert status == HTTPStatus.OK and table_rows(html) == []
    assert 'id="no-reads"' not in html
    assert "No reads of this patient in this part of the period" in html
    rows = []
    while following := re.search(r'<a href="([^"]+)" rel="next" id="next-page">', html):
        status, html = admin.page(following.group(1).replace("&amp;", "&"))
        assert status == HTTPStatus.OK and 'id="no-reads"' not in html
        rows += table_rows(html)
    # A's read (the admin's own listings of A, at the same moment, are reads naming A too)
    assert [grouped(first.reference) in row for row in rows].count(True) == 1


def test_a_patients_pages_of_an_ended_period_reuse_their_filter_of_their_practice_only(
    sandbox,
    two_patients_read,  # noqa: F811 (the audit API's Given)
    monkeypatch,
):
    """R32, NEN 7513, R26 (audit5, access51b, access52). Given the viewer's reads of A's
    and B's invoices and pages of one read
    When the admin filters on A's reads of today and follows the next page
    Then that page builds A's filter anew (their invoices, each one's actions): it meets
    B's read, which A's filter does not name, written a second before the filter was built
    (a read within a minute of it may name an invoice of A's issued since); never
    A's invoice by its id
    When, the day after, the admin filters on those reads of yesterday and follows the
    next page, and the physio practice's admin opens that same next-page address
    Then the first page builds A's filter and the page after it reads none of that again,
    nor A's invoice by its id to name it (before: 1 + n requests a page at n invoices, a
    GetItem per invoice read); the physio admin's page, its own practice's reads only,
    shows nothing of A's practice."""
    from billing_core.entrypoints.web.portal import pages

    first, second = two_patients_read
    monkeypatch.setattr(pages, "LIST_SIZE", 1)
    # A read of B's invoice at the day's end: A's read, at the same moment as the viewer's
    # read of B (their order random), is never the day's last, so its page has a next one
    # (the fresh-clone CI met A's read last once: no next link)
    end = datetime.combine(sandbox.clock.today(), datetime.max.time(), tzinfo=AMSTERDAM)
    later = ReadRecord(
        end.replace(microsecond=0), PROVIDER, "u1", "viewer", ReadKind.INVOICE, second.invoice_id
    )
    sandbox.runtime.audit_log.record_read(later)
    # The viewer's reads of A and B share the sandbox's one instant (their order random) and
    # so would the admin's own listing of A: a read of B a second later, before that
    # listing a second later still, is what the page after A's meets whichever came first
    # (met A's listing before any read of B once: no filter built anew)
    sandbox.clock.advance(seconds=1)
    again = ReadRecord(
        sandbox.clock.now(), PROVIDER, "u1", "viewer", ReadKind.INVOICE, second.invoice_id
    )
    sandbox.runtime.audit_log.record_read(again)
    sandbox.clock.advance(seconds=1)
    store = sandbox.runtime.repository
    asked: list[str] = []
    for name in ("list_invoices", "invoice_actions", "get_invoice"):
        read = getattr(store, name)
        monkeypatch.setattr(
            store, name, lambda *a, _r=read, _n=name, **k: asked.append(_n) or _r(*a, **k)
        )
    day = sandbox.clock.today()
    first_page = f"{ACCESS_LOG}?patient={first.patient_ref}&from={day}&to={day}"

    def next_page_reads(admin: PortalUser) -> tuple[str, list[str]]:
        """The first page's next-page address, and what following it read."""
        asked.clear()
        status, html = admin.page(first_page)
        assert status == HTTPStatus.OK and asked.count("list_invoices") == 1
        following = re.search(r'<a href="([^"]+)" rel="next" id="next-page">', html).group(1)
        following = following.replace("&amp;", "&")
        asked.clear()
        status, html = admin.page(following)
        assert status == HTTPStatus.OK
        return following, list(asked)

    _, today_s = next_page_reads(signed_in(sandbox, "admin", "en"))
    assert today_s.count("list_invoices") == 1 and "invoice_actions" in today_s
    assert "get_invoice" not in today_s

    sandbox.clock.advance(days=1)
    following, yesterday_s = next_page_reads(signed_in(sandbox, "admin", "en"))
    assert yesterday_s == []

    physio = PortalUser(sandbox)
    physio.sign_in(sample_login(PHYSIO, "admin"))
    status, html = physio.page(following)
    assert status in (HTTPStatus.OK, HTTPStatus.BAD_REQUEST)
    assert table_rows(html) == [] and grouped(first.reference) not in html
    assert first.invoice_id not in html


def test_a_single_read_is_found_by_its_patient_once_the_invoice_is_deleted(sandbox):
    """R32, NEN 7513, legal-nl.md §8 (audit access52b: a read of one invoice, one of its
    letters or one action named its id only: once the invoice was deleted, a search of the
    access log by its patient found none of them; the script counted 0 of 7 single reads).
    Given a staff user who opened an invoice of patient A in the portal, its letter, and
    A's objection on it through the API
    When the invoice and its action are deleted (their retention ended) and the admin
    asks for A's reads of today, through the API and on the portal's access log
    Then all three reads come, each naming A by number, and the page says A's number on
    each, never a name."""
    action = objection_action(sandbox)
    # Its invoice sent, letter and all: the uploads above queued it, and a sign-in no
    # longer sends what others queued (localdrain55).
    assert sandbox.drain_deliveries() > 0
    invoice = sandbox.runtime.repository.get_invoice(PROVIDER, action["invoice_id"])
    staff = signed_in(sandbox, "staff", "nl")
    page = f"/portal/notas/{invoice.invoice_id}"
    assert staff.page(page)[0] == HTTPStatus.OK
    assert staff.request("GET", f"{page}/brieven/0")[0] == HTTPStatus.OK
    caller = Caller.practice(PROVIDER, "staff")
    assert (
        sandbox.api("GET", f"/api/v1/provider/actions/{action['action_id']}", caller=caller)[0]
        == 200
    )
    table = boto3.resource("dynamodb").Table(sandbox.names.table_name)
    table.delete_item(Key=keys.invoice_key(PROVIDER, invoice.invoice_id))
    table.delete_item(Key=keys.action_key(PROVIDER, action["action_id"]))
    assert sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id) is None
    day = sandbox.clock.today().isoformat()
    query = {"patient_ref": invoice.patient_ref, "from": day, "to": day}

    status, answer = sandbox.api(
        "GET", "/api/v1/provider/audit", caller=Caller.practice(PROVIDER, "admin"), query=query
    )

    assert status == 200, answer
    single = [r for r in answer["items"] if r["kind"] in ("invoice", "letter", "action")]
    patient = f"patient:{invoice.patient_ref}"
    assert sorted((r["kind"], r["subject"]) for r in single) == [
        ("action", f"{action['action_id']} {patient}"),
        ("invoice", f"{invoice.invoice_id} {patient}"),
        ("letter", f"{invoice.invoice_id}:0:invoice {patient}"),
    ]
    status, html = signed_in(sandbox, "admin", "nl").page(
        f"{ACCESS_LOG}?patient={invoice.patient_ref}&from={day}&to={day}"
    )
    said = [cells(row)[2] for row in table_rows(html)]
    singles = ("Eén nota", "Brief (pdf) bij een nota", "Eén actie")
    assert status == HTTPStatus.OK
    assert {f"{what}: patiënt {invoice.patient_ref}" for what in singles} <= set(said), said
    # and the actions list and the API's listing, which named A before (access52)
    assert len(said) == 5 and all(invoice.patient_ref in what for what in said), said
    assert invoice.patient.display_name not in html


def with_format(page: str, asked: str) -> str:
    return f"{page}{'&' if '?' in page else '?'}format={asked}"


@pytest.mark.parametrize(
    ("language", "said"), [("nl", "zij geeft: {formats}"), ("en", "it gives: {formats}")]
)
def test_a_format_a_page_gives_no_file_in_is_refused_naming_those_it_gives(
    sandbox, language, said, subtests
):
    """R32, R35, interfaces.md §2 (audit edges50: format=xml on the access log answered
    the page, and on the blocked changes and a payout week a CSV, as if understood; the
    API answers 400 naming its format).
    Given the admin signed in
    When a page that gives files is asked for one in a format it does not give
    Then 400, a page saying which formats it gives, no file; its own format answers as
    before (a file; for a week without a statement, the page saying so: 404)."""
    admin = signed_in(sandbox, "admin", language)
    day = sandbox.clock.today().isoformat()
    pages = [  # the page, the formats it gives, its answer to a CSV asked for
        (f"{ACCESS_LOG}?from={day}&to={day}", "csv", HTTPStatus.OK),
        ("/portal/geblokkeerd", "csv, json", HTTPStatus.OK),
        ("/portal/geblokkeerd/wijzigingen?since=2026-11-01", "csv, json", HTTPStatus.OK),
        ("/portal/uitbetalingen/2026-W47", "csv, json", HTTPStatus.NOT_FOUND),
    ]
    for page, formats, as_ever in pages:
        for asked in ("xml", "CSV", ""):
            with subtests.test(page=page, asked=asked):
                status, headers, html = admin.request("GET", with_format(page, asked))
                assert (status, headers["Content-Type"]) == (
                    HTTPStatus.BAD_REQUEST,
                    "text/html; charset=utf-8",
                )
                assert "Content-Disposition" not in headers
                assert said.format(formats=formats) in html
        with subtests.test(page=page, asked="its own"):
            status, headers, html = admin.request("GET", with_format(page, "csv"))
            assert status == as_ever
            assert ("Content-Disposition" in headers) is (as_ever == HTTPStatus.OK)
            assert said.format(formats=formats) not in html
