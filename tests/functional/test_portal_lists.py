"""The portal's lists go on page by page as the API's do, and its blocked-patient
downloads are the API's (R35: the portal does everything of R21-R25 the API does; R22,
interfaces.md §2 cursor paging; audit interfaces INTERFACES3, INTERFACES4, INTERFACES5).

A page holds 50 invoices or uploads and 52 weeks in use; the tests make it hold 2, so a
few invoices make several pages.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from html import unescape
from http import HTTPStatus

import pytest

from billing_core.entrypoints.http import cursor
from billing_core.entrypoints.web.portal import pages
from billing_core.invoices.invoice import Channel
from billing_core.providers.week import Week
from local.generate import declaration_csv
from local.seed import DENTAL
from tests.contract.samples import declaration, invoice, stored
from tests.contract.test_declarations_and_providers import totals
from tests.functional.form_fields import form_fields, marked_invalid
from tests.functional.test_blocked_patients import hand_over
from tests.functional.test_provider_portal import PortalUser, sample_login

PRACTICE = DENTAL.provider_id
PAGE = 2


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(pages, "LIST_SIZE", PAGE)
    monkeypatch.setattr(pages, "PAYOUT_WEEKS", PAGE)


@pytest.fixture
def staff(sandbox):
    user = PortalUser(sandbox)
    user.sign_in(sample_login(DENTAL, "staff"))
    return user


def upload(sandbox, name: str, content: bytes) -> str:
    """An upload processed; its declaration id."""
    declaration_id = sandbox.upload_declaration(PRACTICE, name, content)
    sandbox.drain_deliveries()
    return declaration_id


def every_invoice(sandbox):
    found, _ = sandbox.runtime.repository.list_invoices(PRACTICE, limit=1000)
    return found


def next_link(html: str) -> str | None:
    """Where the page's "Volgende pagina" link goes; None on a list's last page."""
    found = re.search(r'<a href="([^"]+)" rel="next" id="next-page">Volgende pagina</a>', html)
    return unescape(found[1]) if found else None


def invoice_rows(html: str) -> list[str]:
    return re.findall(r'<td class="kenmerk"[^>]*><a href="/portal/notas/([^"]+)">', html)


def followed(user: PortalUser, path: str, rows=invoice_rows) -> tuple[list[str], list[str]]:
    """What a user sees of a list clicking "Volgende pagina" until there is none: the
    rows of every page, and the addresses of the pages."""
    seen, visited = [], []
    next_path: str | None = path
    while next_path is not None:
        status, html = user.page(next_path)
        assert status == HTTPStatus.OK
        seen += rows(html)
        visited.append(next_path)
        next_path = next_link(html)
    return seen, visited


# --- the invoice list (INTERFACES3) --------------------------------------------------------------


@pytest.fixture
def ten_patients(sandbox):
    """An upload of 30 lines: ten patients, two of them named De Vries."""
    upload(sandbox, "week-47.csv", declaration_csv(30))
    return every_invoice(sandbox)


def test_r35_the_invoice_list_goes_on_page_by_page_with_its_filter(
    sandbox, small_pages, staff, ten_patients
):
    """R35, interfaces.md §2 (audit interfaces INTERFACES3).
    Given more open invoices than a page holds
    When staff open the open invoices and follow "Volgende pagina" to the end
    Then they see every open invoice once, each page but the last full, and every link
    keeps the filter (status=open) and carries the API's cursor."""
    seen, visited = followed(staff, "/portal/notas?status=open")
    assert sorted(seen) == sorted(i.invoice_id for i in ten_patients)
    assert len(visited) == -(-len(ten_patients) // PAGE)  # pages, the last maybe not full
    assert all("status=open" in path and "cursor=" in path for path in visited[1:])


def test_r29_a_name_search_goes_on_by_a_posted_form_never_a_link_with_the_name(
    sandbox, small_pages, staff, ten_patients, monkeypatch
):
    """R29 (names never in a URL), R35 (audit interfaces INTERFACES3).
    Given the invoices of the patients named De Vries, and a page of one
    When staff search the name and press "Volgende pagina" until there is none
    Then each next page is posted with the name and the cursor in the body, no link
    names it, and the pages together hold each of those invoices once."""
    monkeypatch.setattr(pages, "LIST_SIZE", 1)
    named = [i.invoice_id for i in ten_patients if i.patient.last_name == "Vries"]
    assert len(named) >= 2
    seen, posts = [], 0
    fields: dict[str, str] | None = {"name": "de vries", "csrf": staff.csrf()}
    while fields is not None:
        status, _, html = staff.post("/portal/notas", fields)
        assert status == HTTPStatus.OK and next_link(html) is None
        assert "vries" not in " ".join(re.findall(r'href="[^"]*"', html)).lower()
        seen, posts = seen + invoice_rows(html), posts + 1
        fields = going_on(html)
        assert fields is None or (fields["name"], bool(fields["cursor"])) == ("de vries", True)
    assert (sorted(seen), posts) == (sorted(named), len(named))


def going_on(html: str) -> dict[str, str] | None:
    """The hidden fields of a name search's "Volgende pagina" form; None on its last page."""
    form = re.search(
        r'<nav class="pages"[^>]*>\s*<form method="post" action="/portal/notas"[^>]*>(.*?)</form>',
        html,
        re.S,
    )
    hidden = r'<input type="hidden" name="([^"]+)" value="([^"]*)">'
    return dict(re.findall(hidden, form[1])) if form else None


def test_a_cursor_that_is_no_page_of_the_list_is_said_not_read_as_the_first(
    sandbox, small_pages, staff, ten_patients
):
    """interfaces.md §2 (the API answers 400 invalid_cursor): a cursor edited by hand, or
    of another period, is refused on the page, not taken for the first page."""
    no_position = cursor.encode("no/position")
    for path in (
        "/portal/notas?cursor=bm9wZQ",  # "nope": no cursor
        f"/portal/declaraties?cursor={no_position}",
        f"/portal/declaraties/{upload(sandbox, 'b.csv', declaration_csv(2))}?cursor={no_position}",
        "/portal/uitbetalingen?before=2026-W99",
    ):
        status, html = staff.page(path)
        assert status == HTTPStatus.BAD_REQUEST and "bestaat niet (meer)" in html, path
    _, first = staff.page("/portal/notas")
    later = (sandbox.clock.today() + timedelta(days=30)).isoformat()
    status, html = staff.page(f"{next_link(first)}&from={later}")
    assert status == HTTPStatus.BAD_REQUEST and invoice_rows(html) == []


def test_r35_the_uploads_and_the_weekly_payouts_go_on_page_by_page(sandbox, small_pages, staff):
    """R35, R1, R24 (audit interfaces INTERFACES3): the uploads (50 a page in use) and the
    weekly statements (52 a page) go on past the first page as the API's lists do.
    Given five uploads and three weekly statements
    When staff follow "Volgende pagina" on Declaraties and on Uitbetalingen
    Then they see each upload and each week once, newest first."""
    repository = sandbox.runtime.repository
    ids = [f"20261123090000-0000000{n}" for n in range(5)]
    for declaration_id in ids:
        repository.put_declaration(declaration(declaration_id, PRACTICE))
    weeks = [Week.of(date(2026, 11, day)) for day in (9, 16, 23)]
    for week in weeks:
        repository.put_retrocession(replace(totals(PRACTICE, 9_400), week=week))

    def uploads(html: str) -> list[str]:
        return re.findall(r'<a href="/portal/declaraties/([^"]+)">', html)

    def payout_weeks(html: str) -> list[str]:
        return re.findall(r'<a href="/portal/uitbetalingen/([^"?]+)\?format=csv"', html)

    assert followed(staff, "/portal/declaraties", uploads)[0] == ids[::-1]
    assert followed(staff, "/portal/uitbetalingen", payout_weeks)[0] == [
        w.label for w in reversed(weeks)
    ]


def test_r35_a_list_of_exactly_full_pages_has_no_empty_page_after_them(sandbox, small_pages, staff):
    """R35, R1, R24 (closing 14: "a list of exactly 50·k uploads ends in an empty page").
    Given exactly two pages of uploads, of weekly statements and of invoices
    When staff follow "Volgende pagina" on each list
    Then they visit two pages, each full: the second has no link to a page of nothing."""
    repository = sandbox.runtime.repository
    for n in range(2 * PAGE):
        repository.put_declaration(declaration(f"20261123090000-0000000{n}", PRACTICE))
    for day in (2, 9, 16, 23)[: 2 * PAGE]:
        week = Week.of(date(2026, 11, day))
        repository.put_retrocession(replace(totals(PRACTICE, 9_400), week=week))
    issued = sandbox.clock.today()
    stored(repository, *(invoice(n, PRACTICE, issue_date=issued) for n in range(2 * PAGE)))

    def uploads(html: str) -> list[str]:
        return re.findall(r'<a href="/portal/declaraties/([^"]+)">', html)

    def payout_weeks(html: str) -> list[str]:
        return re.findall(r'<a href="/portal/uitbetalingen/([^"?]+)\?format=csv"', html)

    for path, rows in (
        ("/portal/declaraties", uploads),
        ("/portal/uitbetalingen", payout_weeks),
        ("/portal/notas", invoice_rows),
    ):
        seen, visited = followed(staff, path, rows)
        assert (len(seen), len(visited)) == (2 * PAGE, 2), path


# --- an upload's report (INTERFACES4) ------------------------------------------------------------


def test_r2_an_uploads_report_lists_every_invoice_it_made_and_no_other(sandbox, small_pages, staff):
    """R2 (the report of what an upload made), R35 (audit interfaces INTERFACES4).
    Given an upload, and then a hundred newer invoices of another upload the same day
    (the report used to read the practice's 100 newest and keep this upload's)
    When staff open the first upload's report and follow "Volgende pagina"
    Then they see every invoice of that upload once and none of the other."""
    first = upload(sandbox, "week-47.csv", declaration_csv(6))
    made = sorted(i.invoice_id for i in every_invoice(sandbox))
    today = sandbox.clock.today()
    later = [
        invoice(9_000 + n, PRACTICE, issue_date=today, declaration_id="other") for n in range(100)
    ]
    stored(sandbox.runtime.repository, *later, declaration_id="other")
    seen, visited = followed(staff, f"/portal/declaraties/{first}")
    assert sorted(seen) == made
    assert len(visited) == -(-len(made) // PAGE)


# --- blocked patients (INTERFACES5) --------------------------------------------------------------


def blocked_rows(html: str) -> list[str]:
    return re.findall(r'<td class="patient" role="cell">([^<]+)</td>', html)


def test_r35_the_blocked_patients_go_on_page_by_page(sandbox, small_pages, staff):
    """R22, R35 (portalfeed54: the page listed every blocked patient, 166 B each, past
    Lambda's 6 MB at ~38,000), interfaces.md §2.
    Given five patients blocked and one blocked then unblocked among them
    When staff open Geblokkeerd and follow "Volgende pagina"
    Then each page holds at most a page, and they see every blocked patient once, by
    number, the unblocked one never; a cursor no page hands out is said, not read."""
    repository = sandbox.runtime.repository
    at = sandbox.clock.now()
    for patient in ("P-5", "P-1", "P-4", "P-2", "P-3", "P-2a"):
        repository.block_patient(PRACTICE, patient, f"inv-{patient}", at)
    repository.release_claim(PRACTICE, "P-2a", "inv-P-2a", at + timedelta(minutes=1))
    _, first = staff.page("/portal/geblokkeerd")
    assert blocked_rows(first) == ["P-1", "P-2"]
    seen, visited = followed(staff, "/portal/geblokkeerd", blocked_rows)
    assert seen == ["P-1", "P-2", "P-3", "P-4", "P-5"]
    assert len(visited) == 3 and all("cursor=" in path for path in visited[1:])
    no_position = cursor.encode("P-1\n")  # a control character: no page hands it out
    status, html = staff.page(f"/portal/geblokkeerd?cursor={no_position}")
    assert status == HTTPStatus.BAD_REQUEST and "bestaat niet (meer)" in html
    assert blocked_rows(html) == []


def test_r22_staff_download_the_blocked_patients_as_the_api_gives_them(sandbox, staff):
    """R22 ("the portal lists blocked patients ... CSV and JSON"), R35 ("export blocked
    patients"; audit interfaces INTERFACES5).
    Given a patient blocked (a claim handed to the collection agency)
    When staff follow the blocked page's "Lijst downloaden" links
    Then the CSV is the API's (patient_ref;blocked_at), byte for byte, and the JSON too."""
    upload(sandbox, "week-47.csv", declaration_csv(6))
    blocked = next(i for i in every_invoice(sandbox) if i.channel is Channel.EMAIL)
    hand_over(sandbox, blocked, sandbox.clock.now())
    _, html = staff.page("/portal/geblokkeerd")
    for output_format in ("csv", "json"):
        link = f"/portal/geblokkeerd?format={output_format}"
        assert f'<a href="{link}" id="blocked-{output_format}">' in html  # no download attribute
        status, headers, body = staff.request("GET", link)
        _, api = sandbox.api(
            "GET",
            "/api/v1/provider/blocked-patients",
            provider_id=PRACTICE,
            query={"format": output_format},
        )
        assert status == HTTPStatus.OK
        assert headers["Content-Disposition"].startswith(
            f'attachment; filename="geblokkeerde-patienten-{sandbox.clock.today().isoformat()}'
        )
        if output_format == "csv":
            rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
            assert rows[0] == ["patient_ref", "blocked_at"] and rows[1][0] == blocked.patient_ref
            assert body == api
        else:
            assert json.loads(body) == api


def test_r22_the_changes_download_says_where_to_go_on_as_the_api_does(sandbox, staff):
    """R22 (audit interfaces INTERFACES5): the portal's JSON of the changes is the API's,
    next_since and all, so the practice software knows where to ask from next time."""
    query = {"since": "2026-11-01"}
    status, _, body = staff.request(
        "GET", "/portal/geblokkeerd/wijzigingen?since=2026-11-01&format=json"
    )
    _, api = sandbox.api(
        "GET", "/api/v1/provider/blocked-patients/changes", provider_id=PRACTICE, query=query
    )
    assert status == HTTPStatus.OK and json.loads(body) == api
    assert datetime.fromisoformat(json.loads(body)["next_since"]) >= datetime.fromisoformat(
        api["since"]
    )


def test_r22_a_moment_with_its_plus_unencoded_in_the_url_is_read_as_the_api_reads_it(
    sandbox, staff
):
    """R22, R35 (audit edges50: the link's "+01:00", not written as %2B, reached the page
    as " 01:00" and the page refused the moment next_since had said).
    When staff (or their practice software) ask for the changes since a moment whose
    offset is in the URL as "+01:00"
    Then the JSON is the API's for that moment, not the form's refusal."""
    status, _, body = staff.request(
        "GET", "/portal/geblokkeerd/wijzigingen?since=2026-11-01T00:00:00+01:00&format=json"
    )
    _, api = sandbox.api(
        "GET",
        "/api/v1/provider/blocked-patients/changes",
        provider_id=PRACTICE,
        query={"since": "2026-11-01T00:00:00+01:00"},
    )
    assert status == HTTPStatus.OK, body
    assert json.loads(body)["since"] == api["since"] == "2026-11-01T00:00:00+01:00"


@pytest.mark.parametrize("typed", ["31-11-2026", "2026-11-31", "gisteren", "0001-01-01"])
def test_r22_a_since_date_the_service_refuses_is_marked_on_the_form(sandbox, staff, typed):
    """R22, R35, WCAG 3.3.1 (audit interfaces INTERFACES5).
    Given the blocked page's changes form
    When staff ask for the changes since a date that is none
    Then no file comes: the page says the date is not valid, keeps what was typed in the
    field and marks it invalid, described by the message."""
    status, headers, html = staff.request(
        "GET", f"/portal/geblokkeerd/wijzigingen?since={typed}&format=csv"
    )
    assert (status, headers["Content-Type"]) == (HTTPStatus.BAD_REQUEST, "text/html; charset=utf-8")
    assert "Vul bij &#39;Sinds&#39; een bestaande datum in" in html
    field = re.search(r'<input id="since"[^>]*>', html)[0]
    assert f'value="{typed}"' in field and 'aria-invalid="true"' in field
    assert 'aria-describedby="error"' in field


# --- the patient number with the zeros the practice software shows (R35, R40) -------------------


def _one_line_of_patient(patient_ref: str, claim_ref: str) -> bytes:
    """A one-line CSV of a patient numbered ``patient_ref``: a filling, which the patient pays."""
    header, *lines = declaration_csv(30).decode().splitlines()
    columns = header.split(";")
    line = next(row.split(";") for row in lines if ";V21;" in row)
    line[columns.index("patient_ref")], line[columns.index("claim_ref")] = patient_ref, claim_ref
    return f"{header}\n{';'.join(line)}\n".encode()


def test_r35_a_patient_number_is_found_with_and_without_its_leading_zeros(sandbox, staff):
    """R35 (find an invoice by patient number), R40 (round 40: an all-digit number is read
    without the zeros Excel drops; audit portal3 PORTAL3-1).
    Given an invoice of a file that wrote the patient 000456 (stored as 456), and one
    stored before round 40 under 000789 as its file wrote it
    When staff search the number as their software shows it (000456, 000789), or without
    the zeros (456)
    Then each search finds its patient's invoice; a number of other digits finds none."""
    upload(sandbox, "nullen.csv", _one_line_of_patient("000456", "ZERO-1"))
    upload(sandbox, "oud.csv", _one_line_of_patient("789", "OLD-1"))
    repository = sandbox.runtime.repository
    by_ref = {i.patient_ref: i for i in every_invoice(sandbox)}
    new, old = by_ref["456"], repository.save_invoice(replace(by_ref["789"], patient_ref="000789"))
    for typed, invoice_id in [
        ("000456", new.invoice_id),
        ("456", new.invoice_id),
        (" 000789 ", old.invoice_id),
        ("0456", new.invoice_id),
        ("4560", None),
    ]:
        status, _, html = staff.post("/portal/notas", {"patient": typed, "csrf": staff.csrf()})
        assert status == HTTPStatus.OK
        assert invoice_rows(html) == ([invoice_id] if invoice_id else []), typed


def test_r35_a_patient_number_in_another_letter_case_is_said_on_the_form_naming_it(sandbox, staff):
    """R35, WCAG 3.3.1 (audit hint50; as the access log's form, paths50): "pat000002" for
    PAT000002 listed no invoices (200), and staff concluded the patient had none.
    Given an invoice of the patient PAT0000…
    When staff ask for the number in small letters, by a link and by the search form
    Then the page answers 400 naming the number as the invoice writes it, with the access
    log's words, the patient field marked, focused and keeping what was typed, no list."""
    upload(sandbox, "week-47.csv", declaration_csv(4))
    number = every_invoice(sandbox)[0].patient_ref
    typed = number.lower()
    assert typed != number
    staff.request("GET", "/portal/taal/nl")
    by_link = staff.page(f"/portal/notas?patient={typed}")
    by_form = staff.post("/portal/notas", {"patient": f" {typed} ", "csrf": staff.csrf()})
    for (status, html), kept in [(by_link, typed), (by_form[::2], f" {typed} ")]:
        assert status == HTTPStatus.BAD_REQUEST, html
        alert = re.search(r'<div class="alert"[^>]*>(.*?)</div>', html, re.S).group(1)
        assert f"wel als {number}: hoofdletters en kleine letters tellen" in alert
        assert marked_invalid(html) == {"patient"} and "autofocus" in form_fields(html)["patient"]
        assert form_fields(html)["patient"]["value"] == kept and invoice_rows(html) == []


@pytest.mark.parametrize("typed", ["1" * 65, "4" * 300])
def test_r35_a_patient_number_longer_than_any_stored_finds_none_without_failing(
    sandbox, staff, typed
):
    """R35, R40 (audit security4): the portal's patient field has no length limit, as the
    APIs' 64 has. Given an invoice of the patient 000456
    When staff search a patient number of more digits than any stored one (a paste)
    Then the list answers, empty: not the store's empty IN () refused by DynamoDB, which
    failed the function (a 5xx for the portal's alarm, from any signed-in user)."""
    upload(sandbox, "nullen.csv", _one_line_of_patient("000456", "ZERO-1"))

    status, _, html = staff.post("/portal/notas", {"patient": typed, "csrf": staff.csrf()})

    assert status == HTTPStatus.OK
    assert invoice_rows(html) == []


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "nl",
            [
                "Week 53 (28 dec 2026 - 3 jan 2027)",
                "Week 49 (30 nov - 6 dec 2026)",
                "Week 47 (16-22 nov 2026)",
            ],
        ),
        (
            "en",
            [
                "Week 53 (28 Dec 2026 - 3 Jan 2027)",
                "Week 49 (30 Nov - 6 Dec 2026)",
                "Week 47 (16-22 Nov 2026)",
            ],
        ),
    ],
)
def test_r24_a_payout_week_is_said_by_its_number_and_days_not_its_label(
    sandbox, staff, language, said
):
    """R24, R35 (portal51b): the payouts page and the overview said "2026-W47", which
    practice staff do not read as a week of November.
    Given statements of a week within a month, one over two months and one over two years
    When staff open the payouts page and the overview, in either language
    Then each week is its number and its days, the month and year once where they are one;
    the statement's address keeps its label."""
    for day in (date(2026, 11, 18), date(2026, 12, 2), date(2026, 12, 30)):
        week = Week.of(day)
        sandbox.runtime.repository.put_retrocession(replace(totals(PRACTICE, 9_400), week=week))
    staff.request("GET", f"/portal/taal/{language}")
    _, html = staff.page("/portal/uitbetalingen")
    cells = re.findall(r'<td class="week" role="cell">(.*?)</td>', html)
    assert cells == said
    assert 'href="/portal/uitbetalingen/2026-W47?format=csv"' in html
    hidden = re.findall(r'CSV<span class="visually-hidden"> (.*?)</span>', html)
    assert hidden == said
    _, overview = staff.page("/portal/")
    assert f"<p>{said[0]}: " in unescape(overview)
    assert "2026-W" not in overview
