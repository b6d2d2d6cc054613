"""The audit of reads (R32, NEN 7513: who, what, when) for the answers that show a patient's
data besides the GETs (audit roles ROLES1, ROLES2): a hold's, a stop's and an action
change's answer, and every page of the invoice list or a name search, API and portal.
Each writes one record of ids, never the data shown."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

import pytest

from billing_core.invoices.invoice import Invoice
from local.generate import declaration_csv
from local.sandbox import Caller, Sandbox
from local.seed import DENTAL
from tests.functional.test_action_and_insurer_claim_routes import objection_action
from tests.functional.test_provider_portal import PortalUser, sample_login

PRACTICE = DENTAL.provider_id
STAFF = Caller.practice(PRACTICE, "staff", user_id="user-staff")
VIEWER = Caller.practice(PRACTICE, "viewer", user_id="user-viewer")
Record = tuple[str, str, str, str]  # user, role, kind, subject


def new_records(
    sandbox: Sandbox, request: Callable[[], Any], provider_id: str = PRACTICE
) -> tuple[Any, list[Record]]:
    """``request()``'s answer and the read records it wrote under ``provider_id``."""

    def recorded() -> Counter[Record]:
        now = sandbox.clock.now()
        reads, _ = sandbox.runtime.audit_log.reads(
            provider_id, now - timedelta(days=1), now + timedelta(days=1), limit=10_000
        )
        return Counter((r.user_id, r.role, r.kind.value, r.subject) for r in reads)

    before = recorded()
    answer = request()
    return answer, list((recorded() - before).elements())


def patient_data(invoice: Invoice) -> list[str]:
    """What the answers show of the patient and no record may hold."""
    person = invoice.patient
    return [person.display_name, person.last_name, invoice.birth_date.isoformat()]


def invoice_of(sandbox: Sandbox, action: dict[str, Any]) -> Invoice:
    """The action's invoice, sent (a stop needs it sent, R21)."""
    sandbox.drain_deliveries()
    invoice = sandbox.runtime.repository.get_invoice(PRACTICE, action["invoice_id"])
    assert invoice is not None
    return invoice


def test_a_hold_a_stop_and_an_action_change_each_record_one_read_of_ids_only(sandbox):
    """R32, NEN 7513 (audit ROLES1). Given a staff user of the dental practice and one of
    its invoices with the patient's objection open as an action,
    when they put the invoice on hold, put it on hold again with the same body, stop part
    of it, and mark the action done (each answer shows the invoice page or the action
    with the patient's e-mail and message),
    then each request wrote one read record: the staff user's, of that invoice or action,
    with no name, birth date, e-mail address or message in it; and the hold keeps who
    placed it (R16)."""
    action = objection_action(sandbox)
    invoice = invoice_of(sandbox, action)
    page = f"/api/v1/provider/invoices/{invoice.invoice_id}"
    hold = {"until": "2026-12-10", "reason": "bezwaar"}
    stop = {
        "scope": "partial",
        "amount": 1,
        "reason": "non_contracted_coulance",
        "patient_email": "p@example.org",
        "accept_terms": True,
    }
    # each names the patient by number (R32, access52b), never by name
    patient = f"patient:{invoice.patient_ref}"
    requests = [
        ("POST", f"{page}/hold", hold, ("invoice", f"{invoice.invoice_id} {patient}")),
        ("POST", f"{page}/hold", hold, ("invoice", f"{invoice.invoice_id} {patient}")),
        ("POST", f"{page}/stop", stop, ("invoice", f"{invoice.invoice_id} {patient}")),
        (
            "PATCH",
            f"/api/v1/provider/actions/{action['action_id']}",
            {"state": "done"},
            ("action", f"{action['action_id']} {patient}"),
        ),
    ]
    for method, path, body, (kind, subject) in requests:
        (status, answer), records = new_records(
            sandbox, partial(sandbox.api, method, path, caller=STAFF, body=body)
        )
        assert status == 200, answer
        assert records == [("user-staff", "staff", kind, subject)], path
        assert invoice.patient.last_name in str(answer) or "te duur" in str(answer)
        for shown in [*patient_data(invoice), "p@example.org", "te duur"]:
            assert shown not in str(records)
    held = sandbox.runtime.repository.get_invoice(PRACTICE, invoice.invoice_id)
    assert held is not None and held.hold_by == "user-staff"


def test_a_portal_hold_keeps_who_placed_it_and_its_page_is_a_recorded_read(sandbox):
    """R16, R32 (audit ROLES1), the portal's hold form: given the sample staff user signed
    in on an invoice page, when they put it on hold, then the hold keeps their id, and the
    change and the page it leads to are read records of that invoice (no other)."""
    action = objection_action(sandbox)
    invoice = invoice_of(sandbox, action)
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    page = f"/portal/notas/{invoice.invoice_id}"
    form = staff.form(page, f"{page}/hold") | {"until": "2026-12-10", "reason": "bezwaar"}

    def hold_and_follow() -> str:
        status, headers, _ = staff.post(f"{page}/hold", form)
        assert status == 303
        return staff.page(headers["Location"])[1]

    shown, records = new_records(sandbox, hold_and_follow)
    assert invoice.patient_ref in shown
    held = sandbox.runtime.repository.get_invoice(PRACTICE, invoice.invoice_id)
    assert held is not None and held.hold_by and held.hold_until is not None
    read = f"{invoice.invoice_id} patient:{invoice.patient_ref}"
    assert {(kind, subject) for _, _, kind, subject in records} == {("invoice", read)}
    assert {user for user, *_ in records} == {held.hold_by}


def listed_ids(record: Record) -> set[str]:
    return set(re.findall(r"invoice:([0-9a-f-]{36})", record[3]))


@pytest.mark.parametrize("way", ["api_name_search", "api_list", "portal_name_search"])
def test_every_invoice_a_list_or_name_search_shows_is_named_in_its_one_record(sandbox, way):
    """R32, NEN 7513, R35 (audit ROLES2). Given the dental practice's invoices and a
    viewer, when the viewer searches by one patient's last name (API, and the portal's
    form) or lists all invoices, then the request wrote one record, and it names
    ``invoice:{id}`` for every invoice the answer showed (and the name typed nowhere):
    the patient who asks who read their data finds these reads by their invoices."""
    sandbox.upload_declaration(PRACTICE, "d.csv", declaration_csv(4))
    target = sandbox.runtime.repository.list_invoices(PRACTICE)[0][0]
    name = target.patient.last_name
    if way == "portal_name_search":
        viewer = PortalUser(sandbox)
        viewer.sign_in(sample_login(DENTAL, "viewer"))
        fields = {"name": name, "csrf": viewer.csrf()}
        (_, _, html), records = new_records(sandbox, lambda: viewer.post("/portal/notas", fields))
        shown = set(re.findall(r'href="/portal/notas/([0-9a-f-]{36})"', html))
    else:
        if way == "api_name_search":
            path, method, body = "/api/v1/provider/invoices/search", "POST", {"name": name}
        else:
            path, method, body = "/api/v1/provider/invoices", "GET", None
        (status, answer), records = new_records(
            sandbox, lambda: sandbox.api(method, path, caller=VIEWER, body=body)
        )
        assert status == 200
        shown = {item["invoice_id"] for item in answer["items"]}
    assert target.invoice_id in shown
    [record] = records
    assert record[2] == "invoice_list" and listed_ids(record) == shown
    for data in patient_data(target):
        assert data not in record[3]


def test_an_upload_s_report_names_the_patients_its_page_shows_in_its_one_record(sandbox):
    """R32, NEN 7513, legal-nl.md §8 (audit access53: the report's read named the upload
    only, so a search of the access log by patient missed it). Given a patient blocked
    (handed over) whose new lines the practice uploads, and the physio practice's retour
    with a retourcode per patient, When a user reads each upload's report (API and
    portal), Then its one record names the upload and the patients its page names: the
    blocked patient of the finding's sentence, the retourcodes' patient."""
    from local.seed import PHYSIO
    from tests.functional.test_blocked_patients import hand_over
    from tests.functional.test_vektis_corrections_and_retour_uploads import (
        PHYSIO_FILE,
        PHYSIO_RETOUR,
    )

    sandbox.upload_declaration(PRACTICE, "week-47.csv", declaration_csv(12))
    blocked = min(sandbox.runtime.repository.list_invoices(PRACTICE)[0], key=lambda i: i.invoice_id)
    hand_over(sandbox, blocked)
    upload = sandbox.upload_declaration(
        PRACTICE, "week-48.csv", declaration_csv(12).replace(b"\nR", b"\nS")
    )
    path = f"/api/v1/provider/declarations/{upload}"
    (status, report), records = new_records(
        sandbox, lambda: sandbox.api("GET", path, caller=VIEWER)
    )
    assert status == 200 and blocked.patient_ref in report["findings"][0]["message"]
    expected = (
        "user-viewer",
        "viewer",
        "export",
        f"declaration:{upload} patient:{blocked.patient_ref}",
    )
    assert records == [expected]

    sandbox.upload_declaration(PHYSIO.provider_id, "nov.pm304", PHYSIO_FILE.read_bytes())
    retour = sandbox.upload_retour(
        PHYSIO.provider_id, "VGZ retour nov.pm305", PHYSIO_RETOUR.read_bytes()
    )
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(PHYSIO, "staff"))
    (status, _), records = new_records(
        sandbox, lambda: staff.page(f"/portal/declaraties/{retour}"), PHYSIO.provider_id
    )
    codes = sandbox.api(
        "GET", f"/api/v1/provider/declarations/{retour}", provider_id=PHYSIO.provider_id
    )[1]
    patients = list(
        dict.fromkeys(c["patient_ref"] for c in codes["retour_codes"] if c["patient_ref"])
    )
    assert status == 200 and patients
    # one view, one read (reads56): the page's list of what the upload issued is in it
    issued = issued_by(sandbox, retour, PHYSIO.provider_id)
    assert [record[1:] for record in records] == [
        (
            "staff",
            "export",
            " ".join([f"declaration:{retour}", *(f"patient:{p}" for p in patients), *issued]),
        )
    ]


def issued_by(sandbox: Sandbox, upload: str, provider_id: str = PRACTICE) -> list[str]:
    """``invoice:{id}`` of each invoice the upload issued, newest first as its page lists
    them (the list's order: the invoice's id after its day)."""
    invoices = sandbox.runtime.repository.list_invoices(provider_id)[0]
    return [f"invoice:{i.invoice_id}" for i in invoices if i.declaration_id == upload]


def test_one_view_of_an_upload_s_page_is_one_read_naming_its_report_and_invoices(sandbox):
    """R32, NEN 7513, R35 (reads56: a view of the portal's upload page wrote two reads, the
    report's and its list's of the invoices the upload issued). Given an upload of four
    patients' lines, When staff open its page in the portal, and again with a list
    position that is none (the list refused, the report shown), Then each view wrote one
    read: the upload, each patient whose invoice the page lists and each invoice; the
    refused list's names the upload only; never a patient's name."""
    upload = sandbox.upload_declaration(PRACTICE, "week-47.csv", declaration_csv(4))
    invoices = [
        i
        for i in sandbox.runtime.repository.list_invoices(PRACTICE)[0]
        if i.declaration_id == upload
    ]
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    page = f"/portal/declaraties/{upload}"

    (status, html), records = new_records(sandbox, lambda: staff.page(page))

    assert status == 200 and len({i.patient_ref for i in invoices}) >= 2
    [(role, kind, subject)] = [(role, kind, subject) for _, role, kind, subject in records]
    assert (role, kind) == ("staff", "export") and subject.split()[0] == f"declaration:{upload}"
    listed = re.findall(r'href="/portal/notas/([0-9a-f-]{36})"', html)
    assert sorted(listed) == sorted(i.invoice_id for i in invoices)
    assert sorted(subject.split()[1:]) == sorted(
        {f"patient:{i.patient_ref}" for i in invoices} | {f"invoice:{i}" for i in listed}
    )
    for invoice in invoices:
        assert invoice.patient.last_name not in subject
    (status, _), records = new_records(sandbox, lambda: staff.page(f"{page}?cursor=none"))
    assert status == 400
    assert [record[1:] for record in records] == [("staff", "export", f"declaration:{upload}")]


def test_a_report_page_past_a_finding_not_kept_s_sentence_names_its_patient(sandbox, monkeypatch):
    """R32, NEN 7513, legal-nl.md §8 (leftovers53: every page of a report repeats, in
    findings_not_kept, the sentence of the first kept finding of a code, which can name a
    patient; a page past that finding showed the sentence and its read named nobody).
    Given three blocked patients with new lines in an upload, of whose findings the report
    keeps one (the limit made small) and counts the others
    When a user reads the page of findings after that one (API and portal)
    Then the read's one record names the patient the repeated sentence names, and the
    API's findings_not_kept stays code, count and the sentences."""
    from billing_core.declarations import reports
    from billing_core.entrypoints.http.cursor import encode_offset
    from tests.functional.test_blocked_patients import hand_over

    monkeypatch.setattr(reports, "FINDINGS_KEPT_PER_CODE", 1)
    sandbox.upload_declaration(PRACTICE, "week-47.csv", declaration_csv(12))
    invoices = sorted(
        sandbox.runtime.repository.list_invoices(PRACTICE)[0], key=lambda i: i.invoice_id
    )
    for invoice in invoices[:3]:
        hand_over(sandbox, invoice)
    upload = sandbox.upload_declaration(
        PRACTICE, "week-48.csv", declaration_csv(12).replace(b"\nR", b"\nS")
    )
    path = f"/api/v1/provider/declarations/{upload}"
    query = {"findings_cursor": encode_offset(1)}

    (status, report), records = new_records(
        sandbox, lambda: sandbox.api("GET", path, caller=VIEWER, query=query)
    )

    [not_kept] = report["findings_not_kept"]
    assert status == 200 and report["findings"] == [] and not_kept["count"] == 2
    assert set(not_kept) == {"code", "count", "message", "message_en"}
    [named] = [i.patient_ref for i in invoices[:3] if i.patient_ref in not_kept["message"]]
    assert records == [("user-viewer", "viewer", "export", f"declaration:{upload} patient:{named}")]
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    page = f"/portal/declaraties/{upload}?meldingen={encode_offset(1)}"
    (status, html), records = new_records(sandbox, lambda: staff.page(page))
    assert status == 200 and named in html
    [(kind, subject)] = [(kind, subject) for _, _, kind, subject in records]
    assert kind == "export" and subject.startswith(f"declaration:{upload} patient:{named} ")
    assert subject.endswith(" ".join(issued_by(sandbox, upload)))
