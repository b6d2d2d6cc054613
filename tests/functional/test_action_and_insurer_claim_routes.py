"""Two provider routes of interfaces.md §7 (audit security D7): one action by its id
(R23), and the R5 insurer-claim exports, all or one insurer's. ``viewer`` and above read
them; every lookup is keyed by the token's practice (R26)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import requests

from local.generate import declaration_csv
from local.sandbox import Caller
from local.seed import DENTAL, PHYSIO

ROLES = ("viewer", "staff", "admin")
VGZ = "7095"


def objection_action(sandbox) -> dict:
    """Given an invoice of the dental practice and the patient's objection (R16): an open
    action of that practice."""
    sandbox.upload_declaration(DENTAL.provider_id, "d.csv", declaration_csv(4))
    invoice = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)[0][0]
    status, _ = sandbox.api(
        "POST",
        f"/api/v1/invoices/{invoice.reference}/objection",
        body={
            "birth_date": invoice.birth_date.isoformat(),
            "reason": "other",
            "message": "te duur",
            "email": "p@example.org",
        },
    )
    assert status == 202
    _, listed = sandbox.api("GET", "/api/v1/provider/actions", provider_id=DENTAL.provider_id)
    [action] = listed["items"]
    return action


def insurer_bound_upload(sandbox, provider_id: str, uzovi: str, name: str, line: int = 1) -> str:
    """Given an upload with one line the insurer ``uzovi`` pays (a VGZ-group material line,
    legal-nl.md §6, or a contracted insurer): its export lands under insurer-claims/."""
    header, row = declaration_csv(1).decode().splitlines()
    columns, values = header.split(";"), row.split(";")
    values[columns.index("insurer_uzovi")] = uzovi
    values[columns.index("line_type")] = "material"
    values[columns.index("treatment_code")] = "M61"
    values[columns.index("claim_ref")] = f"R{line:07d}"  # a new line: not already processed
    return sandbox.upload_declaration(provider_id, name, f"{header}\n{';'.join(values)}\n".encode())


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_one_action_of_its_own_practice(sandbox, role):
    """interfaces.md §7 'GET /api/v1/provider/actions/{id}: one action'; viewer reads (R32)."""
    action = objection_action(sandbox)
    # When a user of the practice in this role asks for it by its id
    status, answer = sandbox.api(
        "GET",
        f"/api/v1/provider/actions/{action['action_id']}",
        caller=Caller.practice(DENTAL.provider_id, role),
    )
    # Then it is the action the list shows
    assert (status, answer) == (200, action)


def test_another_practices_action_id_is_not_found_and_an_unknown_one_neither(sandbox):
    """R26: the physiotherapy practice's admin asks for the dental practice's action."""
    action = objection_action(sandbox)
    for provider_id, action_id in [
        (PHYSIO.provider_id, action["action_id"]),
        (DENTAL.provider_id, "act-unknown"),
    ]:
        status, answer = sandbox.api(
            "GET", f"/api/v1/provider/actions/{action_id}", provider_id=provider_id
        )
        assert (status, answer["error"]["code"]) == (404, "not_found")
        assert "te duur" not in str(answer)


def test_reading_one_action_is_recorded_as_a_read_of_patient_data(sandbox):
    """R32, NEN 7513: the action's details name the patient, so who opened it is kept,
    naming the patient of its invoice by number (access52b)."""
    action = objection_action(sandbox)
    patient = sandbox.runtime.repository.get_invoice(
        DENTAL.provider_id, action["invoice_id"]
    ).patient_ref
    viewer = Caller.practice(DENTAL.provider_id, "viewer", user_id="user-viewer")
    sandbox.api("GET", f"/api/v1/provider/actions/{action['action_id']}", caller=viewer)
    now = sandbox.clock.now()
    reads, _ = sandbox.runtime.audit_log.reads(
        DENTAL.provider_id, now - timedelta(hours=1), now + timedelta(hours=1), limit=100
    )
    assert [(r.user_id, r.kind, r.subject) for r in reads if r.kind == "action"] == [
        ("user-viewer", "action", f"{action['action_id']} patient:{patient}")
    ]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_the_insurer_claim_exports_with_a_link_that_downloads_the_csv(
    sandbox, role
):
    """R5: lines an insurer pays are listed in an export per insurer (interfaces.md §3
    insurer-claims/{provider}/{uzovi}/); §7 lets viewer and above read them."""
    declaration_id = insurer_bound_upload(sandbox, DENTAL.provider_id, VGZ, "x.csv")
    user = Caller.practice(DENTAL.provider_id, role)
    # When the user lists all exports and VGZ's
    every = sandbox.api("GET", "/api/v1/provider/insurer-claims", caller=user)
    vgz = sandbox.api("GET", f"/api/v1/provider/insurer-claims/{VGZ}", caller=user)

    # Then both hold the one export: its insurer, upload, size and a download link (signed
    # on the wall clock, so two answers a second apart differ in its date and signature)
    def unsigned(answer):
        status, body = answer
        items = [{k: v for k, v in item.items() if k != "download_url"} for item in body["items"]]
        return status, {**body, "items": items}

    assert unsigned(every) == unsigned(vgz)
    status, answer = vgz
    assert status == 200 and answer["next_after"] is None
    [export] = answer["items"]
    key = f"insurer-claims/{DENTAL.provider_id}/{VGZ}/{declaration_id}.csv"
    csv = sandbox.output_object(key)
    assert (export["uzovi"], export["declaration_id"], export["size_bytes"]) == (
        VGZ,
        declaration_id,
        len(csv),
    )
    # And the link names ids only (no patient data in a URL), and downloads the file
    assert urlsplit(export["download_url"]).path.endswith(f"/{key}")
    assert "X-Amz-Expires=300" in export["download_url"]
    assert requests.get(export["download_url"], timeout=10).content == csv


def test_an_insurer_without_exports_answers_an_empty_list(sandbox):
    insurer_bound_upload(sandbox, DENTAL.provider_id, VGZ, "x.csv")
    status, answer = sandbox.api(
        "GET", "/api/v1/provider/insurer-claims/3311", provider_id=DENTAL.provider_id
    )
    assert (status, answer) == (200, {"items": [], "next_after": None})


def test_a_practice_sees_only_its_own_insurer_claim_exports(sandbox):
    """R26: the dental practice's export is not in the physiotherapy practice's list, and
    a page position cannot leave the practice's own folder."""
    insurer_bound_upload(sandbox, DENTAL.provider_id, VGZ, "x.csv")
    for path in ["/api/v1/provider/insurer-claims", f"/api/v1/provider/insurer-claims/{VGZ}"]:
        status, answer = sandbox.api("GET", path, provider_id=PHYSIO.provider_id)
        assert (status, answer["items"]) == (200, [])
    status, answer = sandbox.api(
        "GET",
        "/api/v1/provider/insurer-claims",
        provider_id=PHYSIO.provider_id,
        query={"after": "../tandarts-de-vries/7095/x.csv"},
    )
    assert status == 400


def test_the_exports_come_a_page_at_a_time(sandbox):
    """Given three uploads with VGZ lines, asked one per page."""
    uploads = [
        insurer_bound_upload(sandbox, DENTAL.provider_id, VGZ, f"{n}.csv", n) for n in (1, 2, 3)
    ]
    seen, pages, after = [], 0, None
    while True:
        query = {"limit": "1", **({"after": after} if after else {})}
        status, page = sandbox.api(
            "GET",
            f"/api/v1/provider/insurer-claims/{VGZ}",
            provider_id=DENTAL.provider_id,
            query=query,
        )
        assert status == 200
        seen += [e["declaration_id"] for e in page["items"]]
        pages, after = pages + 1, page["next_after"]
        if after is None:
            break
    # Then every export comes once, oldest upload first, and the last page says so
    assert seen == sorted(uploads) and pages == 3
    # And one page of all three (read at once, each GetObject allowed by the role) lists
    # them in the same order
    status, page = sandbox.api(
        "GET", f"/api/v1/provider/insurer-claims/{VGZ}", provider_id=DENTAL.provider_id
    )
    assert (status, [e["declaration_id"] for e in page["items"]]) == (200, seen)


def test_a_patients_search_of_the_access_log_finds_the_export_of_their_lines(sandbox):
    """R32, NEN 7513, R5 (reads57). Given an upload whose one line VGZ pays (no invoice of
    the patient names the upload), When a viewer lists the exports and the admin then
    searches the access log for that patient, Then the viewer's listing is found, naming
    the patient and the upload; another patient's search does not find it."""
    declaration_id = insurer_bound_upload(sandbox, DENTAL.provider_id, VGZ, "x.csv")
    [line] = (
        sandbox.output_object(f"insurer-claims/{DENTAL.provider_id}/{VGZ}/{declaration_id}.csv")
        .decode("utf-8-sig")
        .splitlines()[1:]
    )
    patient = line.split(";")[2]  # patient_ref, the file's third column
    assert sandbox.runtime.repository.list_invoices(DENTAL.provider_id)[0] == []
    viewer = Caller.practice(DENTAL.provider_id, "viewer", user_id="user-viewer")
    assert sandbox.api("GET", "/api/v1/provider/insurer-claims", caller=viewer)[0] == 200

    def exports_found_for(patient_ref: str) -> list[tuple[str, str]]:
        today = sandbox.clock.today().isoformat()
        query = {"from": today, "to": today, "patient_ref": patient_ref}
        status, answer = sandbox.api(
            "GET", "/api/v1/provider/audit", provider_id=DENTAL.provider_id, query=query
        )
        assert status == 200
        return [(r["user_id"], r["subject"]) for r in answer["items"] if r["kind"] == "export"]

    assert exports_found_for(patient) == [
        ("user-viewer", f"insurer-claims:* patient:{patient} declaration:{declaration_id}")
    ]
    assert exports_found_for(patient + "9") == []
