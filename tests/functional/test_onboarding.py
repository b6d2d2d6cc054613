"""A practice that exists only through the operator API (issue 14, R31, R32, R2): no seed
code writes it. Onboarded with its AGB codes, a contract with CZ (9664), its payout
account and two users, it uploads its first Vektis PM304 file and sees its invoices."""

from __future__ import annotations

from local.sandbox import Caller
from local.vektis_samples import WEST_FILE, west_pm304, west_settings

OPERATOR = Caller.operator()
WEST = "fysio-west"
ADMIN, STAFF = "praktijkhouder@fysio-west.example.org", "balie@fysio-west.example.org"


def user(sandbox, email):
    """The token Cognito would give the invited user: its id, practice and role."""
    return next(Caller.user(u) for u in sandbox.users() if u.email == email)


def test_an_onboarded_practice_uploads_its_first_vektis_file_and_sees_its_invoices(sandbox):
    # Given an operator onboards the practice, with an admin and a staff member
    status, created = sandbox.api(
        "POST", "/api/v1/operator/providers", caller=OPERATOR, body=west_settings()
    )
    assert (status, created) == (201, {"provider_id": WEST, "version": 1})
    users = f"/api/v1/operator/providers/{WEST}/users"
    for email, role in ((ADMIN, "admin"), (STAFF, "staff")):
        body = {"email": email, "role": role}
        assert sandbox.api("POST", users, caller=OPERATOR, body=body)[0] == 201
    staff = user(sandbox, STAFF)
    # When its staff member uploads a PM304 whose header names the practitioner's AGB code
    status, ticket = sandbox.api(
        "POST", "/api/v1/provider/declarations", caller=staff, body={"file_name": WEST_FILE}
    )
    assert status == 201
    sandbox.put_upload(ticket["upload_url"].split("/_local/uploads/", 1)[1], west_pm304())
    # Then the file is processed: one invoice for each patient, CZ's and DSW's
    report_path = f"/api/v1/provider/declarations/{ticket['declaration_id']}"
    status, report = sandbox.api("GET", report_path, caller=staff)
    assert (status, report["status"], report["outcome"]) == (200, "processed", "accepted"), report
    status, invoices = sandbox.api("GET", "/api/v1/provider/invoices", caller=staff)
    assert sorted(i["patient_ref"] for i in invoices["items"]) == ["FW-2002", "FW-2004"]
    assert all(i["amount_due"] > 0 for i in invoices["items"])
    # And the payout account is the one the operator gave, normalised
    status, own = sandbox.api("GET", "/api/v1/provider/settings", caller=user(sandbox, ADMIN))
    assert own["payout"]["iban"] == "NL91ABNA0417164300"
    # And the staff member may not change the settings: 403, nothing changed
    patch = {"version": 1, "contact": {"phone": "020 000 0000"}}
    status, answer = sandbox.api("PATCH", "/api/v1/provider/settings", caller=staff, body=patch)
    assert (status, answer["error"]["code"]) == (403, "role_too_low")
    assert sandbox.runtime.repository.get_provider(WEST).contact.phone == "020 612 3456"
