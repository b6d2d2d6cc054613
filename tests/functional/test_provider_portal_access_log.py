"""The practice's access log in the portal (R32, R35, NEN 7513): its admin answers a
patient "who read my data?" on a page, through the same service as the API's audit route
(services/provider/audit.py); staff and viewers neither see it in the menu nor open it."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest

from local.generate import declaration_csv
from local.sandbox import Caller
from local.seed import DENTAL
from tests.csv_downloads import BOM, csv_dicts
from tests.functional.form_fields import form_fields, marked_invalid
from tests.functional.test_provider_portal import signed_in

PROVIDER = DENTAL.provider_id
ACCESS_LOG = "/portal/inzage"


@pytest.fixture
def two_patients_read(sandbox):
    """Given two invoices of two patients, each opened by the practice's viewer."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(4))
    found, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    first = found[0]
    second = next(i for i in found if i.patient_ref != first.patient_ref)
    viewer = Caller.practice(PROVIDER, "viewer")
    for invoice in (first, second):
        path = f"/api/v1/provider/invoices/{invoice.invoice_id}"
        assert sandbox.api("GET", path, caller=viewer)[0] == HTTPStatus.OK
    return first, second


def table_rows(html: str) -> list[str]:
    """The reads table's body rows, as markup."""
    body = re.search(r'<table id="reads".*?<tbody role="rowgroup">(.*?)</tbody>', html, re.S)
    return re.findall(r'<tr role="row">(.*?)</tr>', body.group(1), re.S) if body else []


def test_the_admin_reads_one_patients_reads_in_the_portal_and_downloads_them(
    sandbox, two_patients_read
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
    # the viewer's two invoice reads, beside the overview's list the admin just read
    invoice_reads = [row for row in table_rows(html) if ">Invoice<" in row]
    assert [first.invoice_id in row or second.invoice_id in row for row in invoice_reads] == [
        True,
        True,
    ]

    status, html = admin.page(f"{ACCESS_LOG}?patient={first.patient_ref}&from={today}&to={today}")
    assert status == HTTPStatus.OK
    assert [first.invoice_id in row for row in table_rows(html)] == [True]
    assert second.invoice_id not in html and first.patient.display_name not in html
    csv_link = re.search(r'<a href="([^"]+)" download id="reads-csv">', html).group(1)
    status, headers, body = admin.request("GET", csv_link.replace("&amp;", "&"))
    assert status == HTTPStatus.OK and body.startswith(BOM)
    assert headers["Content-Type"].startswith("text/csv")
    assert sorted((r["role"], r["kind"], r["subject"]) for r in csv_dicts(body)) == [
        ("admin", "audit", f"{today}..{today} patient:{first.patient_ref}"),
        ("viewer", "invoice", first.invoice_id),
    ]


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
