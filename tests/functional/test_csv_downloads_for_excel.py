"""Every CSV file a practice downloads opens right in Dutch Excel (R22, R24, R35, R40;
interfaces.md §2): UTF-8 with a byte order mark, ``;``-separated. Without the mark Excel,
opened by a double-click, reads the file as Windows-1252 and shows "patiënt" as
"patiÃ«nt". The routes that answer text/csv are taken from the generated OpenAPI
documents, so a CSV download added later is checked too."""

from __future__ import annotations

import csv
import io
import json
from http import HTTPStatus

import pytest

from billing_core.entrypoints.web.portal.pages import CSV, Download, PortalAnswer
from billing_core.entrypoints.web.portal.web import respond
from functions.operator_api.app import api as operator_api
from functions.provider_api.app import api as provider_api
from local.sandbox import Caller
from local.seed import DENTAL
from tests.functional.test_provider_portal import PortalUser, sample_login

BOM = "\ufeff"
PROVIDER = DENTAL.provider_id
WEEK = "2026-W48"  # the week before the sandbox's Monday run of 30 November
# A request of each documented CSV download: its path and query (the sample's week).
SAMPLES = {
    "/api/v1/provider/declarations/template.csv": ("", None),
    "/api/v1/provider/blocked-patients": ("", {"format": "csv"}),
    "/api/v1/provider/blocked-patients/changes": (
        "",
        {"format": "csv", "since": "2026-11-01T00:00:00Z"},
    ),
    "/api/v1/provider/retrocessions/{week}": (
        f"/api/v1/provider/retrocessions/{WEEK}",
        {"format": "csv"},
    ),
    # who read the practice's data, the file a practice hands its patient (R32, R35)
    "/api/v1/provider/audit": ("", {"format": "csv", "from": "2026-11-23", "to": "2026-11-30"}),
}
PORTAL_DOWNLOADS = [
    "/portal/declaratie-sjabloon.csv",
    "/portal/geblokkeerd?format=csv",
    "/portal/geblokkeerd/wijzigingen?since=2026-11-01&format=csv",
    f"/portal/uitbetalingen/{WEEK}?format=csv",
]


def csv_routes():
    """Every (method, path template) whose documented answer is a text/csv file."""
    for api in (provider_api, operator_api):
        document = json.loads(api.openapi_json())
        for template, operations in document["paths"].items():
            for method, operation in operations.items():
                answers = operation.get("responses", {}).values()
                if any("text/csv" in answer.get("content", {}) for answer in answers):
                    yield method.upper(), template


@pytest.fixture
def week_written(sandbox, paid_week):
    """The practice's week 48, one invoice paid, and the Monday run's statement (R24)."""
    sandbox.run_retrocession()


def test_every_documented_csv_download_has_a_request_here():
    """Given the provider and operator documents / Then each route answering text/csv is
    one this file downloads (add the new one to SAMPLES)."""
    assert sorted(template for _, template in csv_routes()) == sorted(SAMPLES)


@pytest.mark.parametrize("template", sorted(SAMPLES))
def test_r24_r35_an_api_csv_download_starts_with_the_byte_order_mark(
    sandbox, week_written, template
):
    """R22, R24, R35, R40. Given a practice with a week's statement
    When the admin downloads a CSV file of the provider API
    Then it is UTF-8 with one byte order mark, so Excel reads it as UTF-8; a client that
    decodes it as utf-8-sig reads the ;-separated header as before."""
    path, query = SAMPLES[template]
    answer = sandbox.api_raw(
        "GET", path or template, caller=Caller.practice(PROVIDER, "admin"), query=query
    )
    assert answer["statusCode"] == HTTPStatus.OK
    raw = answer["body"].encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf") and not raw.startswith(b"\xef\xbb\xbf" * 2)
    header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert not header[0].startswith(BOM) and len(header) > 1


@pytest.mark.parametrize("link", PORTAL_DOWNLOADS)
def test_r35_a_portal_csv_download_starts_with_the_byte_order_mark(sandbox, week_written, link):
    """R22, R24, R35, R40. Given the same practice in the portal
    When staff follow a CSV download link / Then the file has the same one byte order mark."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    status, headers, body = staff.request("GET", link)
    assert status == HTTPStatus.OK and headers["Content-Type"].startswith("text/csv")
    assert body.startswith(BOM) and not body.startswith(BOM * 2)


@pytest.mark.parametrize("body", ["a;b\r\n1;2\r\n", b"a;b\r\n1;2\r\n", BOM + "a;b\r\n"])
def test_any_csv_the_portal_answers_gets_the_mark_once(body):
    """R35, for the portal downloads to come. Given any CSV download a portal page answers
    (text or bytes, with or without a mark) / Then what is sent starts with exactly one."""
    sent = respond(PortalAnswer(download=Download("x.csv", CSV, body))).body
    text = sent.decode("utf-8") if isinstance(sent, bytes) else sent
    assert text.startswith(BOM) and not text.startswith(BOM * 2)
    assert text.removeprefix(BOM).startswith("a;b")


def test_a_json_download_has_no_mark():
    """Given a JSON download / Then its body is left as it is (JSON has no BOM, RFC 8259)."""
    sent = respond(PortalAnswer(download=Download("x.json", "application/json", "{}"))).body
    assert sent == "{}"
