"""The CSV template a practice fills (R40, issue 15 item 7): served by the provider API
from the reader's own table, so what it shows is what the reader accepts."""

from __future__ import annotations

from billing_core.declarations.csv_format import COLUMNS
from local.seed import DENTAL


def test_the_template_holds_every_column_and_an_example_the_reader_accepts(sandbox):
    # Given a practice user, when they download the template
    answer = sandbox.api_raw(
        "GET", "/api/v1/provider/declarations/template.csv", provider_id=DENTAL.provider_id
    )
    # Then it is a CSV download with one header naming every column the reader knows
    assert answer["statusCode"] == 200
    headers = (answer.get("headers") or {}) | {
        name: values[0] for name, values in (answer.get("multiValueHeaders") or {}).items()
    }
    assert headers["Content-Type"].startswith("text/csv")
    assert "attachment" in headers["Content-Disposition"]
    lines = answer["body"].lstrip("\ufeff").splitlines()
    assert len(lines) == 2
    assert lines[0].split(";") == [column.name for column in COLUMNS]
    # And its example line, uploaded as it is, becomes an invoice without a finding
    declaration_id = sandbox.upload_declaration(
        DENTAL.provider_id, "sjabloon.csv", answer["body"].encode("utf-8")
    )
    status, report = sandbox.api(
        "GET", f"/api/v1/provider/declarations/{declaration_id}", provider_id=DENTAL.provider_id
    )
    assert status == 200
    assert (report["outcome"], report["summary"]["invoices"], report["findings"]) == (
        "accepted",
        1,
        [],
    )


def test_a_caller_without_a_practice_gets_no_template(sandbox):
    status, _ = sandbox.api("GET", "/api/v1/provider/declarations/template.csv")
    assert status == 401
