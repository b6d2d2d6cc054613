"""Blocked patients on embedded AWS (R22, R26, R28): the block store on DynamoDB, the
provider's list and changes (JSON and CSV), a new claim of a blocked patient at ingest,
and the collection agency's report-back file that unblocks."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest

from billing_core.adapters.dynamo.keys import retrocession_key
from billing_core.dunning.interest import accrued_interest
from billing_core.invoices.invoice import DunningStage
from billing_core.invoices.ledger import EntryKind
from billing_core.invoices.listing import InvoiceFilter
from billing_core.providers.week import Week
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.money import format_euros
from billing_core.texts.portal import portal_texts
from local.generate import declaration_csv
from local.resources import load_template, resources_of_type
from local.sandbox import EVENTS, sample_event
from local.seed import DENTAL, PHYSIO
from tests.csv_downloads import csv_rows as read_csv_rows
from tests.functional.test_provider_portal import PortalUser, sample_login, signed_in
from tests.unit.camt_builder import credit, statement
from tests.unit.fake_store import blocked_numbers, is_blocked

PROVIDER = DENTAL.provider_id
HANDOVER = datetime(2027, 1, 28, 6, 0, tzinfo=AMSTERDAM)
REPORT_DAY = date(2027, 2, 15)
LIST = "/api/v1/provider/blocked-patients"
CHANGES = "/api/v1/provider/blocked-patients/changes"


@pytest.fixture
def invoices(sandbox):
    """The practice's first upload: one invoice per patient, all unpaid."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(12))
    sandbox.drain_deliveries()
    found, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    return sorted(found, key=lambda i: i.patient_ref)


def hand_over(sandbox, invoice, at=HANDOVER):
    """As the dunning run's handover leaves a claim (R19): blocked, then with the agency."""
    repository = sandbox.runtime.repository
    repository.block_patient(invoice.provider_id, invoice.patient_ref, invoice.invoice_id, at)
    stored = repository.get_invoice(invoice.provider_id, invoice.invoice_id)
    handed = replace(
        stored,
        dunning_stage=DunningStage.WITH_COLLECTION_AGENCY,
        handed_over_on=at.date(),
        next_check_on=None,
    )
    return repository.save_invoice(handed)


def get(sandbox, path, provider=PROVIDER, **query):
    return sandbox.api(
        "GET", path, provider_id=provider, query={k: str(v) for k, v in query.items()} or None
    )


def csv_rows(text):
    """The download as a client reads it: without its byte order mark (R35)."""
    return read_csv_rows(text)


# --- the provider's list and changes ------------------------------------------------------------


def test_the_practice_lists_its_blocked_patients_as_json_and_csv(sandbox, invoices):
    """Given two patients with a claim at the agency, when the practice asks for its
    blocked patients, then it gets their patient numbers, since when and the invoices that
    keep the block, as JSON or as a CSV file; no names, no BSN (R22, R29)."""
    first, second = invoices[0], invoices[1]
    hand_over(sandbox, first)
    hand_over(sandbox, second, HANDOVER + timedelta(days=1))

    status, page = get(sandbox, LIST)

    assert status == 200
    assert [(i["patient_ref"], i["invoice_ids"]) for i in page["items"]] == [
        (first.patient_ref, [first.invoice_id]),
        (second.patient_ref, [second.invoice_id]),
    ]
    assert page["items"][0]["blocked_at"] == "2027-01-28T06:00:00+01:00"
    answer = sandbox.api_raw("GET", LIST, provider_id=PROVIDER, query={"format": "csv"})
    assert answer["statusCode"] == 200
    headers = answer["multiValueHeaders"]
    assert headers["Content-Type"] == ["text/csv; charset=utf-8"]
    assert headers["Content-Disposition"] == [
        'attachment; filename="geblokkeerde-patienten-tandarts-de-vries-2026-11-23.csv"'
    ]
    assert csv_rows(answer["body"]) == [
        ["patient_ref", "blocked_at"],
        [first.patient_ref, "2027-01-28T06:00:00+01:00"],
        [second.patient_ref, "2027-01-29T06:00:00+01:00"],
    ]
    for body in (json.dumps(page), answer["body"]):
        assert first.patient.last_name not in body and first.bsn not in body


def test_the_practice_imports_the_changes_since_its_last_import(sandbox, invoices):
    """Given a patient blocked, another blocked and unblocked later, when the practice asks
    for the changes since a moment, then it gets those at or after it, oldest first, with
    the moment to ask from next time; the CSV has the same rows."""
    first, second = invoices[0], invoices[1]
    hand_over(sandbox, first)
    hand_over(sandbox, second, HANDOVER + timedelta(days=1))
    released_at = HANDOVER + timedelta(days=2)
    repository = sandbox.runtime.repository
    assert repository.release_claim(PROVIDER, second.patient_ref, second.invoice_id, released_at)

    sandbox.clock.set(released_at + timedelta(minutes=10))

    status, changes = get(sandbox, CHANGES, since="2027-01-29T05:00:00Z")  # 06:00 Dutch time

    assert status == 200
    assert [(c["patient_ref"], c["change"]) for c in changes["items"]] == [
        (second.patient_ref, "blocked"),
        (second.patient_ref, "unblocked"),
    ]
    # The moment of the read less the margin for a change still being written (audit D4)
    assert changes["next_since"] == "2027-01-30T05:50:00+01:00"
    _, everything = get(sandbox, CHANGES, since="2027-01-28")  # a date: midnight, Dutch time
    assert len(everything["items"]) == 3
    _, csv_text = get(sandbox, CHANGES, since=changes["next_since"], format="csv")
    assert csv_rows(csv_text) == [
        ["patient_ref", "change", "at"],
        [second.patient_ref, "unblocked", "2027-01-30T06:00:00+01:00"],
    ]


def test_a_block_written_after_a_later_stamped_change_is_not_lost(sandbox, invoices):
    """R22 "serves block/unblock changes since a given moment" (audit provider D4): the
    dunning run stamps a handover's block with a moment taken before it saves the invoice
    and writes the agency file. Given another patient released 80 ms after that moment
    and a poll that sees the release but not the block still being written, when the
    practice software asks again from next_since, then the block is served."""
    first, second = invoices[0], invoices[1]
    hand_over(sandbox, second, HANDOVER - timedelta(days=3))
    run_stamp = HANDOVER
    repository = sandbox.runtime.repository
    released_at = run_stamp + timedelta(milliseconds=80)
    assert repository.release_claim(PROVIDER, second.patient_ref, second.invoice_id, released_at)
    sandbox.clock.set(run_stamp + timedelta(seconds=1))
    _, poll = get(sandbox, CHANGES, since="2027-01-28")
    assert [(c["patient_ref"], c["change"]) for c in poll["items"]] == [
        (second.patient_ref, "unblocked")
    ]

    hand_over(sandbox, first, run_stamp)  # the run's block lands after the poll
    _, next_poll = get(sandbox, CHANGES, since=poll["next_since"])

    assert (first.patient_ref, "blocked") in [
        (c["patient_ref"], c["change"]) for c in next_poll["items"]
    ]


def test_a_since_ahead_of_our_clock_is_not_given_back_as_next_since(sandbox, invoices):
    """R22 "serves block/unblock changes since a given moment" (leftovers53: a since in the
    future was answered with next_since = that since, so practice software whose clock ran
    two hours ahead, following next_since, skipped every change of those two hours).
    Given practice software asking at 07:30 since 09:30 (its clock two hours ahead)
    When a patient is released at 08:00 and the software asks again from next_since
    Then next_since is no later than our 07:30 (less the 20 minutes' margin, as for any
    read), and the release is served; the portal's JSON and CSV say the same."""
    released = hand_over(sandbox, invoices[0])
    now = datetime(2027, 2, 15, 7, 30, tzinfo=AMSTERDAM)
    sandbox.clock.set(now)
    ahead = (now + timedelta(hours=2)).isoformat()

    status, changes = get(sandbox, CHANGES, since=ahead)

    assert (status, changes["items"]) == (200, [])
    assert changes["next_since"] == "2027-02-15T07:10:00+01:00"
    user = PortalUser(sandbox)
    user.sign_in(sample_login(DENTAL, "viewer"))
    _, portal = user.page(f"/portal/geblokkeerd/wijzigingen?since={ahead}&format=json")
    assert json.loads(portal)["next_since"] == changes["next_since"]
    repository = sandbox.runtime.repository
    at = now + timedelta(minutes=30)
    assert repository.release_claim(PROVIDER, released.patient_ref, released.invoice_id, at)
    sandbox.clock.set(now + timedelta(hours=3))
    _, following = get(sandbox, CHANGES, since=changes["next_since"], format="csv")
    assert csv_rows(following)[1:] == [
        [released.patient_ref, "unblocked", "2027-02-15T08:00:00+01:00"]
    ]


def test_a_block_stamped_before_a_release_it_follows_comes_after_it(sandbox, invoices):
    """R22 (the changes since a moment, for import into practice software), R34 (a payment
    that settles a claim at the agency unblocks; audit agency AGENCY1).
    Given a patient blocked by claim A, and a dunning run that takes its moment and hands
    over the patient's claim B
    When A is settled 30 seconds after the run's moment, before the run writes B's block
    Then the practice's changes list the unblock before the block, the last change
    served is the patient's state in the blocked list, and the block is not dated before
    the unblock it follows."""
    patient = invoices[0]
    claim_b = "claim-b"
    hand_over(sandbox, patient, HANDOVER - timedelta(days=7))
    run_stamp = HANDOVER
    released_at = run_stamp + timedelta(seconds=30)
    repository = sandbox.runtime.repository
    assert repository.release_claim(PROVIDER, patient.patient_ref, patient.invoice_id, released_at)

    repository.block_patient(PROVIDER, patient.patient_ref, claim_b, run_stamp)

    sandbox.clock.set(run_stamp + timedelta(minutes=1))
    _, changes = get(sandbox, CHANGES, since=run_stamp.isoformat())
    served = [(c["change"], c["at"]) for c in changes["items"]]
    assert [change for change, _ in served] == ["unblocked", "blocked"]
    _, blocked = get(sandbox, LIST)
    [still] = [p for p in blocked["items"] if p["patient_ref"] == patient.patient_ref]
    assert still["invoice_ids"] == [claim_b]
    assert still["blocked_at"] >= served[0][1]
    _, again = get(sandbox, CHANGES, since=changes["next_since"])
    assert [c["change"] for c in again["items"]][-1] == "blocked"


def _block_one_by_one(sandbox, count, equal=range(0)):
    """``count`` patients blocked a second apart from HANDOVER, those numbered in
    ``equal`` all at the moment of the first of them; their patient numbers in order."""
    repository = sandbox.runtime.repository
    refs = []
    for i in range(count):
        at = HANDOVER + timedelta(seconds=equal[0] if i in equal else i)
        refs.append(f"P{i:05d}")
        repository.block_patient(PROVIDER, refs[-1], f"inv-{i}", at)
    sandbox.clock.set(HANDOVER + timedelta(days=1))
    return refs


def _csv_page(sandbox, **query):
    """A CSV page: its patient numbers, next_since and next_cursor (headers)."""
    answer = sandbox.api_raw("GET", CHANGES, provider_id=PROVIDER, query=query)
    assert answer["statusCode"] == 200, answer["body"]
    headers = {name: values[0] for name, values in answer["multiValueHeaders"].items()}
    rows = csv_rows(answer["body"])
    assert rows[0] == ["patient_ref", "change", "at"]
    return [row[0] for row in rows[1:]], headers["X-Next-Since"], headers.get("X-Next-Cursor")


def test_changes_come_in_pages_none_lost_none_twice_also_at_one_moment(sandbox):
    """R22, interfaces.md §2 (blockfeed54: one answer held every change since the moment
    asked, so the feed broke on Lambda's 6 MB at about 71,000 changes).
    Given 12 patients blocked, the 3rd to the 7th at one moment (a page edge among them)
    When the practice software asks 4 a page and follows next_cursor, in JSON and in CSV
    (its headers)
    Then 3 pages hold the 12 changes, each once, in order; next_cursor and X-Next-Cursor
    are absent on the last page, whose next_since is the whole read's."""
    refs = _block_one_by_one(sandbox, 12, equal=range(2, 7))
    since = HANDOVER.isoformat()
    _, whole = get(sandbox, CHANGES, since=since)
    json_pages, csv_pages, token, csv_token = [], [], None, None
    for _ in range(4):
        paging = {"cursor": token} if token else {}
        status, page = get(sandbox, CHANGES, since=since, limit=4, **paging)
        assert status == 200, page
        json_pages.append([c["patient_ref"] for c in page["items"]])
        csv_paging = {"cursor": csv_token} if csv_token else {}
        rows, csv_since, csv_token = _csv_page(
            sandbox, since=since, format="csv", limit="4", **csv_paging
        )
        csv_pages.append(rows)
        assert csv_since == page["next_since"]
        token = page.get("next_cursor")
        if token is None:
            break

    assert json_pages == [refs[0:4], refs[4:8], refs[8:12]]
    assert csv_pages == json_pages and csv_token is None
    assert page["next_since"] == whole["next_since"]


def test_software_following_only_next_since_still_gets_every_change(sandbox):
    """R22, interfaces.md §2 (blockfeed54: an older client knows no cursor).
    Given 1,003 patients blocked, the 999th to the 1,003rd at one moment: the default
    page of 1,000 ends among them
    When the software reads the changes as before, only following next_since
    Then the first answer holds 1,000 and says more follow; asking from its next_since
    brings the rest, the moment's changes of the first page again (harmless), none lost."""
    refs = _block_one_by_one(sandbox, 1003, equal=range(998, 1003))
    _, first = get(sandbox, CHANGES, since=HANDOVER.isoformat())
    assert len(first["items"]) == 1000 and first["next_cursor"]
    assert first["next_since"] == first["items"][-1]["at"]

    _, second = get(sandbox, CHANGES, since=first["next_since"])

    served = [c["patient_ref"] for c in first["items"] + second["items"]]
    assert sorted(set(served)) == refs
    assert [c["patient_ref"] for c in second["items"]] == refs[998:]
    assert second["next_cursor"] is None


def _list_page(sandbox, output_format, **query):
    """A page of the blocked list: its patient numbers and next_cursor (JSON), or the
    X-Next-Cursor header (CSV)."""
    answer = sandbox.api_raw(
        "GET", LIST, provider_id=PROVIDER, query={"format": output_format, **query}
    )
    assert answer["statusCode"] == 200, answer["body"]
    if output_format == "json":
        page = json.loads(answer["body"])
        return [p["patient_ref"] for p in page["items"]], page["next_cursor"]
    rows = csv_rows(answer["body"])
    assert rows[0] == ["patient_ref", "blocked_at"]
    return [row[0] for row in rows[1:]], answer["multiValueHeaders"].get("X-Next-Cursor", [None])[0]


@pytest.mark.parametrize("output_format", ["json", "csv"])
def test_the_blocked_list_comes_in_pages_each_patient_once(sandbox, output_format):
    """R22, R25, interfaces.md §2 (blockedlist55: one answer held every blocked patient,
    past Lambda's 6 MB at about 47,000 in JSON).
    Given 7 patients blocked
    When the practice software asks 3 a page and follows next_cursor (CSV: X-Next-Cursor)
    Then 3 pages hold the 7, by patient number, each once, the page edges lose none; the
    last page gives no cursor; a CSV asked without limit or cursor still holds all 7 in
    one file, without a cursor (software that reads it whole loses none)."""
    refs = _block_one_by_one(sandbox, 7)
    pages, token = [], None
    for _ in range(4):
        paging = {"cursor": token} if token else {}
        served, token = _list_page(sandbox, output_format, limit="3", **paging)
        pages.append(served)
        if token is None:
            break

    assert pages == [refs[0:3], refs[3:6], refs[6:7]]
    assert _list_page(sandbox, "csv") == (refs, None)


def test_the_blocked_list_in_json_is_a_page_of_at_most_1000_unless_asked(sandbox):
    """R22, interfaces.md §2 (blockedlist55): a JSON asked without limit is a page of the
    changes feed's 1,000, the rest after its next_cursor; limit above that is refused.
    Given 1,001 patients blocked
    When the practice asks for its blocked patients in JSON, then after the cursor
    Then the first answer holds the first 1,000 with a cursor, the second the last one."""
    refs = _block_one_by_one(sandbox, 1001)

    first, token = _list_page(sandbox, "json")
    rest, last_token = _list_page(sandbox, "json", cursor=token)

    assert (first, rest, last_token) == (refs[:1000], refs[1000:], None)
    status, body = get(sandbox, LIST, limit=1001)
    assert (status, body["error"]["code"]) == (400, "validation_error")


@pytest.mark.parametrize("path", [LIST, CHANGES])
@pytest.mark.parametrize("token", ["not-a-cursor", "eyJhZnRlciI6IlAtMVxuIn0"])
def test_a_list_cursor_no_page_handed_out_is_refused(sandbox, path, token):
    """R22, interfaces.md §2 errors: a cursor that does not decode, or whose position no
    page hands out (a patient number with a line break), is a 400 invalid_cursor, on the
    blocked list as on its changes, in JSON and CSV, not a 500 nor a first page."""
    for output_format in ("json", "csv"):
        query = {"since": "2027-01-28"} if path == CHANGES else {}
        status, body = get(sandbox, path, cursor=token, format=output_format, **query)
        assert (status, body["error"]["code"]) == (400, "invalid_cursor")


@pytest.mark.parametrize(
    "token", ["not-a-cursor", "eyJhZnRlciI6IjIwMjctMDEtMjhUMDU6MDA6MDAuMDAwMDAwWnxQLTEifQ"]
)
def test_a_cursor_no_page_handed_out_is_refused(sandbox, token):
    """R22, interfaces.md §2 errors: a cursor that does not decode, or whose position no
    page of this feed hands out, is a 400 invalid_cursor, not a 500 nor a wrong page."""
    status, body = get(sandbox, CHANGES, since="2027-01-28", cursor=token)
    assert (status, body["error"]["code"]) == (400, "invalid_cursor")


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"since": "yesterday"},
        # a space where no "+" was lost: before a date, or before no offset (25 hours)
        {"since": "2027-01-28 06:00:00 25:00"},
        {"since": "06:00:00 01:00"},
    ],
)
def test_changes_need_a_moment_to_start_from(sandbox, query):
    status, body = get(sandbox, CHANGES, **query)
    assert status == 400 and body["error"]["code"] == "validation_error"


@pytest.mark.parametrize(
    "since", ["0001-01-01", "0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-12:00"]
)
def test_a_moment_at_the_edge_of_the_calendar_is_refused_not_a_server_error(sandbox, since):
    """R22, interfaces.md §2 "400 validation ... never a stack trace" (audit blocks53:
    practice software asking for "everything" since 0001-01-01 got a 500, as did any
    moment with no UTC or Dutch time before year 1 or after 9999).
    Given a blocked patient's change in the log
    When the changes are asked since a moment at the calendar's edge
    Then the answer is 400 naming since, saying to ask from a date such as 2000-01-01."""
    status, body = get(sandbox, CHANGES, since=since)

    assert status == 400, body
    assert body["error"]["code"] == "validation_error"
    message = body["error"]["message"]
    assert message.startswith("query.since: ") and "2000-01-01" in message


@pytest.mark.parametrize(
    "sent", ["2027-01-29T06:00:00 01:00", "2027-01-29 06:00 0100", "2027-01-29T06:00:00.0 01"]
)
def test_an_offset_whose_plus_the_url_lost_is_read_with_its_plus(sandbox, invoices, sent):
    """R22, interfaces.md §2 (audit edges50: practice software put "+01:00" in its URL
    without %2B, API Gateway handed it over as " 01:00", and the feed answered 400 "not an
    ISO 8601 moment" for the very moment next_since had given it).
    Given a patient blocked on 28 January at 06:00 and another on the 29th at 06:00
    When the changes are asked since the 29th 06:00 with the offset's "+" as a space
    Then the answer is the one for "+01:00": the second block only, since said with "+"."""
    hand_over(sandbox, invoices[0])
    hand_over(sandbox, invoices[1], HANDOVER + timedelta(days=1))
    _, canonical = get(sandbox, CHANGES, since="2027-01-29T06:00:00+01:00")

    status, changes = get(sandbox, CHANGES, since=sent)

    assert status == 200, changes
    assert changes["since"] == "2027-01-29T06:00:00+01:00"
    assert [c["patient_ref"] for c in changes["items"]] == [invoices[1].patient_ref]
    assert changes["items"] == canonical["items"]


@pytest.mark.parametrize(
    ("since", "read_as"),
    [
        # the clock skips 02:00-03:00 on 28 March 2027: the reading before the skip
        ("2027-03-28T02:30", "2027-03-28T01:30:00+01:00"),
        # it passes 02:00-03:00 twice on 31 October 2027: the first time (summer time)
        ("2027-10-31T02:30", "2027-10-31T02:30:00+02:00"),
    ],
)
def test_a_dutch_time_the_clock_skips_or_repeats_is_read_as_its_earliest_moment(
    sandbox, invoices, since, read_as
):
    """R22 "changes since a given moment", interfaces.md §2 (a since without an offset is
    Dutch time; audit blocks53: since 02:30 on the day summer time starts was read as
    03:30 summer time, and a block at 03:10 was never served).
    Given a patient blocked at 03:10 on 28 March and another at 02:15 winter time on 31
    October (the second 02:15 of that night)
    When the changes are asked since 02:30 on that day, without an offset
    Then since is read as its earliest moment, and the block after it is served."""
    march = datetime(2027, 3, 28, 3, 10, tzinfo=AMSTERDAM)
    october = datetime(2027, 10, 31, 1, 15, tzinfo=UTC).astimezone(AMSTERDAM)
    hand_over(sandbox, invoices[0], march)
    hand_over(sandbox, invoices[1], october)
    sandbox.clock.set(datetime(2027, 12, 1, tzinfo=AMSTERDAM))
    after = invoices[0] if since.startswith("2027-03") else invoices[1]

    status, changes = get(sandbox, CHANGES, since=since)

    assert status == 200, changes
    assert changes["since"] == read_as
    assert changes["items"][0]["patient_ref"] == after.patient_ref


def test_another_provider_sees_none_of_it(sandbox, invoices):
    """Given the dental practice's blocked patient, when the physio practice asks, then it
    sees no blocked patients and no changes; without a token the answer is 401 (R26)."""
    hand_over(sandbox, invoices[0])

    assert get(sandbox, LIST, provider=PHYSIO.provider_id) == (
        200,
        {"items": [], "next_cursor": None},
    )
    _, changes = get(sandbox, CHANGES, provider=PHYSIO.provider_id, since="2020-01-01")
    assert changes["items"] == []
    _, csv_text = get(sandbox, LIST, provider=PHYSIO.provider_id, format="csv")
    assert csv_rows(csv_text) == [["patient_ref", "blocked_at"]]
    status, body = sandbox.api("GET", LIST)
    assert status == 401 and body["error"]["code"] == "unauthorized"


# --- a new claim of a blocked patient (R22, legal-nl.md §6) ---------------------------------------


def test_a_new_claim_of_a_blocked_patient_is_invoiced_marked_and_reported(sandbox, invoices):
    """Given a patient with a claim at the agency, when the practice uploads new claims of
    that patient, then the new invoice is still made and sent, marked "debtor risk stays
    with provider", reported in the processing report (nl and en) and shown on the
    invoice page; the other patients' new invoices are not marked."""
    blocked = invoices[0]
    hand_over(sandbox, blocked)
    next_week = declaration_csv(12).replace(b"\nR", b"\nS")  # the same patients, new lines
    declaration_id = sandbox.upload_declaration(PROVIDER, "week-48.csv", next_week)

    _, report = get(sandbox, f"/api/v1/provider/declarations/{declaration_id}")
    new, _ = sandbox.runtime.repository.list_invoices(
        PROVIDER, InvoiceFilter(patient_ref=blocked.patient_ref)
    )
    [marked] = [i for i in new if i.declaration_id == declaration_id]
    assert marked.debtor_risk_with_provider is True
    others = [
        i
        for i in sandbox.runtime.repository.list_invoices(PROVIDER)[0]
        if i.declaration_id == declaration_id and i.patient_ref != blocked.patient_ref
    ]
    assert others and not any(i.debtor_risk_with_provider for i in others)
    assert report["summary"]["invoices_debtor_risk_with_provider"] == 1
    assert report["outcome"] == "accepted"
    [finding] = [f for f in report["findings"] if f["code"] == "PATIENT_BLOCKED_DEBTOR_RISK"]
    assert finding["severity"] == "warning"
    assert blocked.patient_ref in finding["message"] and "incassobureau" in finding["message"]
    assert "debtor risk stays with you" in finding["message_en"]
    _, detail = get(sandbox, f"/api/v1/provider/invoices/{marked.invoice_id}")
    assert detail["debtor_risk_with_provider"] is True
    assert detail["warnings"] == ["PATIENT_BLOCKED_DEBTOR_RISK"]
    # And the portal's invoice page says it too (R22, R35; audit58a: only the API did), in
    # the portal's languages; the page of another patient's new invoice says nothing of it
    for language, said in DEBTOR_RISK_SAID.items():
        user = signed_in(sandbox, "viewer", language)
        _, html = user.page(f"/portal/notas/{marked.invoice_id}")
        assert f'<dd id="debtor-risk">{said}</dd>' in html
        _, html = user.page(f"/portal/notas/{others[0].invoice_id}")
        assert 'id="debtor-risk"' not in html


DEBTOR_RISK_SAID = {
    "nl": "Blijft bij uw praktijk: de patiënt stond op uw lijst met geblokkeerde patiënten"
    " (een eerdere nota was bij het incassobureau) toen deze nota werd gemaakt.",
    "en": "Stays with your practice: the patient was on your list of blocked patients (an"
    " earlier invoice was with the collection agency) when this invoice was made.",
}


# --- the collection agency reports back ------------------------------------------------------------


def agency_file(*rows):
    lines = [
        "reference;agency_ref;status;amount_cents;paid_on",
        *(";".join(map(str, r)) for r in rows),
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def due_on(invoice, day):
    """What the agency must collect to close the claim: the ledger plus interest to that day."""
    return invoice.balance_cents + accrued_interest(invoice, day)


def test_the_agency_reports_a_claim_paid_and_the_patient_is_unblocked(sandbox, invoices):
    """Given a claim at the agency, when the agency uploads its report-back file with the
    claim paid, then the payment is booked (source agency), the patient is unblocked, the
    changes route shows it, and the result is in the output bucket; uploading the same
    file again books nothing twice."""
    invoice = hand_over(sandbox, invoices[0])
    sandbox.clock.set(datetime(2027, 2, 15, 7, 30, tzinfo=AMSTERDAM))
    paid_on = date(2027, 2, 12)
    data = agency_file(
        (invoice.reference, "CMIB-2027-000123", "paid", due_on(invoice, paid_on), paid_on)
    )

    summary = sandbox.upload_collection_report(data, "agency-2027-02-15.csv")

    [result] = summary["imported"]
    assert (result["booked"], result["refused"], result["claims_closed"]) == (1, 0, 1)
    paid = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert paid.is_paid and "agency:CMIB-2027-000123" in paid.applied_payments
    assert get(sandbox, LIST)[1]["items"] == []
    _, changes = get(sandbox, CHANGES, since="2027-02-15")
    assert [(c["patient_ref"], c["change"]) for c in changes["items"]] == [
        (invoice.patient_ref, "unblocked")
    ]
    stored = json.loads(sandbox.output_object(result["result_key"]))
    assert stored["rows"][0]["outcome"] == "booked"
    assert stored["rows"][0]["invoice_id"] == invoice.invoice_id

    again = sandbox.upload_collection_report(data, "agency-2027-02-15.csv")["imported"][0]

    assert (again["booked"], again["duplicate"]) == (0, 1)
    assert (
        sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id).ledger == paid.ledger
    )
    assert len(get(sandbox, CHANGES, since="2027-02-15")[1]["items"]) == 1


def test_money_the_agency_collected_is_received_once_when_its_transfer_arrives(sandbox, invoices):
    """R24, R34 (audit AGENCY3; our decision, which the owners may change: one money
    movement per euro, counted when the money arrives in our account).
    Given a claim at the agency, reported paid by the agency on Monday 15 February
    When Monday's run builds the week's statement, and the agency's transfer of that money
    quoting the kenmerk is read on 23 February, and the next Monday's run goes
    Then week 7 receives and pays out nothing of it and shows it as collected by the
    collection agency (JSON, CSV, the portal's payouts page); week 8 receives it once, as
    remitted by the agency; the claim stays paid and holds no credit for a refund."""
    invoice = hand_over(sandbox, invoices[0])
    sandbox.clock.set(datetime(2027, 2, 15, 7, 30, tzinfo=AMSTERDAM))
    due = due_on(invoice, date(2027, 2, 12))
    data = agency_file((invoice.reference, "CMIB-1", "paid", due, "2027-02-12"))
    sandbox.upload_collection_report(data, "agency-2027-02-15.csv")
    sandbox.clock.set(datetime(2027, 2, 22, 5, 0, tzinfo=AMSTERDAM))
    sandbox.run_retrocession()

    _, w07 = get(sandbox, "/api/v1/provider/retrocessions/2027-W07")
    assert (w07["settlement"]["received"], w07["settlement"]["payout"]) == (0, 0)
    assert w07["information"] == {"collected_by_agency": due, "remitted_by_agency": 0}
    _, w07_csv = get(sandbox, "/api/v1/provider/retrocessions/2027-W07", format="csv")
    information = [row for row in csv_rows(w07_csv) if row[0] == "information"]
    assert [(row[5], row[7]) for row in information] == [
        ("collected_by_agency", str(due)),
        ("remitted_by_agency", "0"),
    ]
    user = PortalUser(sandbox)
    user.sign_in(sample_login(DENTAL, "viewer"))
    _, page = user.page("/portal/uitbetalingen")
    assert "Geïnd door incassobureau" in page

    sandbox.clock.set(datetime(2027, 2, 23, 9, 0, tzinfo=AMSTERDAM))
    transfer = credit(due, scor=invoice.reference, tx_id="CMIB-AFDRACHT", booking_date="2027-02-23")
    sandbox.upload_bank_statement(statement(transfer, statement_id="S-23"), "S-23.xml")
    sandbox.clock.set(datetime(2027, 3, 1, 5, 0, tzinfo=AMSTERDAM))
    sandbox.run_retrocession()

    claim = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert (claim.is_paid, claim.credit_cents) == (True, 0)
    _, w08 = get(sandbox, "/api/v1/provider/retrocessions/2027-W08")
    assert w08["settlement"]["received"] == due
    assert w08["information"] == {"collected_by_agency": 0, "remitted_by_agency": due}


def agency_collects_then_transfers(sandbox, invoice):
    """The agency reports the claim paid on Monday 15 February (week 7), transfers the money
    quoting the kenmerk on 23 February (week 8), and each Monday's run builds its week.
    What the agency collected, in cents."""
    sandbox.clock.set(datetime(2027, 2, 15, 7, 30, tzinfo=AMSTERDAM))
    due = due_on(invoice, date(2027, 2, 12))
    data = agency_file((invoice.reference, "CMIB-1", "paid", due, "2027-02-12"))
    sandbox.upload_collection_report(data, "agency-2027-02-15.csv")
    sandbox.clock.set(datetime(2027, 2, 22, 5, 0, tzinfo=AMSTERDAM))
    sandbox.run_retrocession()
    sandbox.clock.set(datetime(2027, 2, 23, 9, 0, tzinfo=AMSTERDAM))
    transfer = credit(due, scor=invoice.reference, tx_id="CMIB-AFDRACHT", booking_date="2027-02-23")
    sandbox.upload_bank_statement(statement(transfer, statement_id="S-23"), "S-23.xml")
    sandbox.clock.set(datetime(2027, 3, 1, 5, 0, tzinfo=AMSTERDAM))
    sandbox.run_retrocession()
    return due


AGENCY_FIGURES = ("collected_by_agency", "remitted_by_agency")


def agency_figures_everywhere(sandbox, week):
    """``week``'s agency figures as each reader gets them: the statement's JSON and CSV,
    the stored summary, the provider API's list, and the portal's payouts page in Dutch
    and in English (the cell each figure's label names, in euros)."""
    _, document = get(sandbox, f"/api/v1/provider/retrocessions/{week}")
    _, text = get(sandbox, f"/api/v1/provider/retrocessions/{week}", format="csv")
    csv_figures = {row[5]: int(row[7]) for row in csv_rows(text) if row[0] == "information"}
    stored = sandbox.runtime.repository.get_retrocession(PROVIDER, Week.parse(week))
    _, listing = get(sandbox, "/api/v1/provider/retrocessions")
    [listed] = [item for item in listing["items"] if item["week"] == week]
    found = {
        "json": document.get("information", {}),
        "csv": csv_figures,
        "stored": {name: getattr(stored, f"{name}_cents", "missing") for name in AGENCY_FIGURES},
        "list": {name: listed.get(name, "missing") for name in AGENCY_FIGURES},
    }
    user = PortalUser(sandbox)
    user.sign_in(sample_login(DENTAL, "viewer"))
    for language in ("nl", "en"):
        user.request("GET", f"/portal/taal/{language}")
        _, page = user.page("/portal/uitbetalingen")
        [row] = [r for r in page.split("<tr") if f"/portal/uitbetalingen/{week}?format" in r]
        cells = dict(re.findall(r'data-label="([^"]+)">([^<]*)</td>', row))
        t = portal_texts(language)
        found[f"portal {language}"] = {
            name: unescape(cells.get(t(name), "missing")) for name in AGENCY_FIGURES
        }
    return found


def test_the_agencys_money_reads_the_same_in_the_statement_the_list_and_the_portal(
    sandbox, invoices
):
    """R24, R35, interfaces.md §2 (remitted54: the stored week kept what the agency
    collected but not what it transferred, so the list and the portal could not show it).
    Given a claim the agency reported paid in week 7 and whose money it transferred to
    us in week 8
    When each Monday's run has built its week
    Then for both weeks the agency's two figures are the same in the statement's JSON and
    CSV, the stored week, the provider API's list and the portal's payouts page (nl, en):
    week 7 collected, week 8 transferred."""
    # Given, When
    due = agency_collects_then_transfers(sandbox, hand_over(sandbox, invoices[0]))

    # Then
    for week, collected, remitted in (("2027-W07", due, 0), ("2027-W08", 0, due)):
        found = agency_figures_everywhere(sandbox, week)
        expected = {"collected_by_agency": collected, "remitted_by_agency": remitted}
        for reader in ("json", "csv", "stored", "list"):
            assert found[reader] == expected, (week, reader)
        for language in ("nl", "en"):
            shown = {name: format_euros(cents, language) for name, cents in expected.items()}
            assert found[f"portal {language}"] == shown, (week, language)


def test_a_week_stored_before_it_kept_the_agencys_transfer_reads_it_from_its_statement(
    sandbox, invoices
):
    """R24 (remitted54): a week's item written before it kept remitted_by_agency has no
    such attribute. Given the weeks of the test above, their items as stored before
    (the attribute removed)
    When the list and the portal read them
    Then each shows what its statement file says (week 8: the transfer, week 7: none),
    not a KeyError and not 0 for the week that had it."""
    # Given
    due = agency_collects_then_transfers(sandbox, hand_over(sandbox, invoices[0]))
    table = sandbox.runtime.repository._table
    for week in ("2027-W07", "2027-W08"):
        key = retrocession_key(PROVIDER, week)
        table.update_item(Key=key, UpdateExpression="REMOVE remitted_by_agency_cents")
        assert "remitted_by_agency_cents" not in table.get_item(Key=key)["Item"]

    # When
    w07, w08 = (agency_figures_everywhere(sandbox, w) for w in ("2027-W07", "2027-W08"))

    # Then
    assert (w07["list"]["remitted_by_agency"], w08["list"]["remitted_by_agency"]) == (0, due)
    assert w08["portal nl"]["remitted_by_agency"] == format_euros(due, "nl")
    assert w07["portal en"]["remitted_by_agency"] == format_euros(0, "en")
    # the store says it does not know, rather than 0: the list read the file
    assert [w["stored"]["remitted_by_agency"] for w in (w07, w08)] == [None, None]


def test_the_agency_settles_a_claim_without_money_and_refused_rows_are_listed(sandbox, invoices):
    """Given one patient with two claims at the agency, when the agency settles one without
    money and reports rows for an unknown kenmerk and for a claim never handed over, then
    the settled claim is written off (STOP, cause agency:<ref>), the patient stays blocked
    by the other claim, and the refused rows are listed with their reason."""
    invoice, not_handed_over = invoices[0], invoices[1]
    hand_over(sandbox, invoice)
    sandbox.runtime.repository.block_patient(
        PROVIDER, invoice.patient_ref, "an-older-claim", HANDOVER
    )
    sandbox.clock.set(datetime(2027, 2, 15, 7, 30, tzinfo=AMSTERDAM))
    data = agency_file(
        (invoice.reference, "CMIB-9", "settled", "", "2027-02-14"),
        ("62987654321098", "CMIB-10", "paid", 100, "2027-02-14"),
        (not_handed_over.reference, "CMIB-11", "paid", 100, "2027-02-14"),
    )

    [result] = sandbox.upload_collection_report(data, "agency-2027-02-15.csv")["imported"]

    assert (result["written_off"], result["refused"]) == (1, 2)
    assert result["refusal_reasons"] == ["not_with_agency", "unknown_reference"]
    settled = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert settled.amount_due_cents == 0
    assert {e.kind for e in settled.ledger if e.cause == "agency:CMIB-9"} == {EntryKind.STOP}
    [still] = get(sandbox, LIST)[1]["items"]
    assert still["invoice_ids"] == ["an-older-claim"]
    untouched = sandbox.runtime.repository.get_invoice(PROVIDER, not_handed_over.invoice_id)
    assert untouched.ledger == not_handed_over.ledger


def test_the_sample_file_and_event_drive_the_import(sandbox):
    """Given the sample report-back file at the key of the sample S3 notification, when the
    function gets that notification, then it reads the file and refuses its rows: no
    invoice here has those kenmerken."""
    event = sample_event("collection_report_import/s3-object-created.json")
    uploaded = event["Records"][0]["s3"]["object"]
    body = (EVENTS / "collection_report_import" / "agency-2027-02-15.csv").read_bytes()
    answer = sandbox.runtime.s3.put_object(
        Bucket=sandbox.names.bank_bucket, Key=uploaded["key"], Body=body
    )
    # The bucket is versioned: S3's notification names the version it stored, which is all
    # the function may read (s3:GetObjectVersion, R26; audit ops5).
    uploaded["versionId"] = answer["VersionId"]
    sandbox.clock.set(REPORT_DAY)

    [result] = sandbox.invoke("collection_report_import", event)["imported"]

    assert (result["rows"], result["refused"], result["refusal_reasons"]) == (
        3,
        3,
        ["unknown_reference"],
    )


def agency_report_refused_emitted(sandbox, data, capsys):
    """Upload ``data`` as the agency's report-back file (metrics switched on): the import's
    answer, and its EMF line checked against AgencyReportRefusedAlarm (template.yaml):
    the metric it reads, in its namespace, with its service dimension."""
    alarm = resources_of_type(load_template(), "AWS::CloudWatch::Alarm")["AgencyReportRefusedAlarm"]
    [service] = alarm["Dimensions"]
    capsys.readouterr()
    [result] = sandbox.upload_collection_report(data, "agency-2027-02-15.csv")["imported"]
    lines = capsys.readouterr().out.splitlines()
    [emitted] = [json.loads(line) for line in lines if f'"{alarm["MetricName"]}"' in line]
    [directive] = emitted["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == alarm["Namespace"]
    assert directive["Dimensions"] == [[service["Name"]]]
    assert emitted[service["Name"]] == service["Value"]
    assert alarm["MetricName"] in {metric["Name"] for metric in directive["Metrics"]}
    return result, emitted[alarm["MetricName"]]


def refused_whole(reference, due, paid_on):
    """Saved as Windows-1252: the agency's name with an e-acute in a row is not UTF-8."""
    rows = [
        (reference, "CMIB-2027-000123", "paid", due, paid_on),
        ("x", "Café-1", "paid", 1, paid_on),
    ]
    return agency_file(*rows).decode().encode("cp1252")


def paid_row_refused(reference, due, paid_on):
    """The claim's one paid row has an amount with a decimal comma."""
    return agency_file(
        (reference, "CMIB-2027-000123", "paid", f"{due // 100},{due % 100:02d}", paid_on)
    )


def paid_in_full(reference, due, paid_on):
    return agency_file((reference, "CMIB-2027-000123", "paid", due, paid_on))


@pytest.mark.parametrize(
    "make_file, max_bytes, outcome, rows_refused",
    [
        (refused_whole, None, "refused", 0),
        (paid_in_full, 100, "refused", 0),  # larger than the import reads: refused unread
        (paid_row_refused, None, "imported", 1),
    ],
    ids=["file_refused_whole", "file_too_large", "paid_row_refused"],
)
def test_r39_a_refused_agency_report_pages_an_operator(
    sandbox, invoices, monkeypatch, capsys, make_file, max_bytes, outcome, rows_refused
):
    """R39 (audit operations OPS1; R22, R24): Given a claim at the agency
    When the agency's report-back file saying it was paid is refused whole (not UTF-8, or
    too large to read; no row is counted then), or its paid row is refused
    Then nothing is booked and the patient stays blocked; the invocation succeeds (no error
    rate, no failure queue sees it) and the agency only uploads, so the import emits
    Agency_report_refused = 1 where AgencyReportRefusedAlarm reads it, as the bank import
    emits Bank_refused for a refused statement, and writes the result the alarm's row
    sends the operator to."""
    if max_bytes:
        module = sandbox.handler("collection_report_import")
        monkeypatch.setattr(module, "REPORTS", replace(module.REPORTS, max_bytes=max_bytes))
    invoice = hand_over(sandbox, invoices[0])
    sandbox.clock.set(datetime(2027, 2, 15, 7, 30, tzinfo=AMSTERDAM))
    paid_on = date(2027, 2, 12)
    data = make_file(invoice.reference, due_on(invoice, paid_on), paid_on)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")

    result, emitted = agency_report_refused_emitted(sandbox, data, capsys)

    assert (result["outcome"], result["booked"], result["refused"]) == (outcome, 0, rows_refused)
    assert result["result_key"].startswith(f"collection-reports/{REPORT_DAY}/agency-2027-02-15")
    stored = json.loads(sandbox.output_object(result["result_key"]))
    assert stored["refusal"] == result["refusal"] and (outcome == "refused") == bool(
        stored["refusal"]
    )
    assert emitted == [1.0]
    assert not sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id).is_paid
    assert [b["patient_ref"] for b in get(sandbox, LIST)[1]["items"]] == [invoice.patient_ref]


def test_r39_an_agency_report_booked_whole_pages_nobody(sandbox, invoices, monkeypatch, capsys):
    """R39: Given a claim at the agency, when its report-back file is booked row for row,
    then Agency_report_refused is 0: AgencyReportRefusedAlarm stays quiet."""
    invoice = hand_over(sandbox, invoices[0])
    sandbox.clock.set(datetime(2027, 2, 15, 7, 30, tzinfo=AMSTERDAM))
    paid_on = date(2027, 2, 12)
    data = paid_in_full(invoice.reference, due_on(invoice, paid_on), paid_on)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")

    result, emitted = agency_report_refused_emitted(sandbox, data, capsys)

    assert (result["booked"], result["refused"]) == (1, 0)
    assert emitted == [0.0]


# --- the block store on DynamoDB under concurrent writes (R28) -------------------------------------


def interleave(repository, monkeypatch, concurrent):
    """Run ``concurrent`` right after the next read of a block: the write that follows is
    based on what was read before it, as with two Lambdas at once."""
    read = repository._get
    pending = [concurrent]

    def stale_read(key, *, consistent=False):
        item = read(key, consistent=consistent)
        if pending and key["sk"].startswith("PATIENTBLOCK#"):
            pending.pop()()
        return item

    monkeypatch.setattr(repository, "_get", stale_read)


def test_two_handovers_of_one_patient_at_once_both_keep_the_block(sandbox, monkeypatch):
    """Given no block yet, when two claims of one patient are handed over at the same time,
    then both claims keep the block and the patient was blocked once."""
    repository = sandbox.runtime.repository
    interleave(
        repository,
        monkeypatch,
        lambda: repository.block_patient(PROVIDER, "PAT-7", "claim-2", HANDOVER),
    )

    repository.block_patient(PROVIDER, "PAT-7", "claim-1", HANDOVER)

    [blocked] = repository.blocked_patients(PROVIDER)
    assert blocked.invoice_ids == ("claim-1", "claim-2")
    assert [c.change.value for c in repository.block_changes(PROVIDER, HANDOVER)] == ["blocked"]


def test_a_release_racing_a_new_handover_keeps_the_patient_blocked(sandbox, monkeypatch):
    """Given a patient blocked by one claim, when it is settled while a second claim is
    handed over, then the patient stays blocked by the second and no unblock is logged."""
    repository = sandbox.runtime.repository
    repository.block_patient(PROVIDER, "PAT-7", "claim-1", HANDOVER)
    interleave(
        repository,
        monkeypatch,
        lambda: repository.block_patient(PROVIDER, "PAT-7", "claim-2", HANDOVER),
    )

    unblocked = repository.release_claim(
        PROVIDER, "PAT-7", "claim-1", HANDOVER + timedelta(hours=1)
    )

    assert unblocked is False
    assert blocked_numbers(repository, PROVIDER) == frozenset({"PAT-7"})
    assert [b.invoice_ids for b in repository.blocked_patients(PROVIDER)] == [("claim-2",)]
    assert [c.change.value for c in repository.block_changes(PROVIDER, HANDOVER)] == ["blocked"]


def test_blocked_unblocked_and_blocked_again_in_one_moment_keep_their_order(sandbox):
    """Given a fixed clock, when a patient is blocked, unblocked and blocked again at the
    same moment, then the changes come back in that order (the block's version sorts)."""
    repository = sandbox.runtime.repository
    repository.block_patient(PROVIDER, "PAT-7", "claim-1", HANDOVER)
    repository.release_claim(PROVIDER, "PAT-7", "claim-1", HANDOVER)
    repository.block_patient(PROVIDER, "PAT-7", "claim-2", HANDOVER)

    changes = [c.change.value for c in repository.block_changes(PROVIDER, HANDOVER)]
    assert changes == ["blocked", "unblocked", "blocked"]
    assert is_blocked(repository, PROVIDER, "PAT-7")


def test_a_blocked_patients_new_claim_under_another_number_with_the_same_bsn_is_marked(sandbox):
    """legal-nl.md §6, R22 (audit blocks2): the debtor risk of a new claim of a *patient*
    with a claim at the agency stays with the practice; the patient is the person (BSN),
    not the practice software's number.
    Given the dunning run handed a patient's claim to the agency (blocked under PAT000002),
    when the practice declares that person (same BSN) again under number PAT900002,
    then the new invoice is marked and reported, the finding names both numbers and never
    the BSN, and the list and changes feed still hold patient numbers only (R29)."""
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(12))
    sandbox.drain_deliveries()
    for day in (date(2026, 12, 31), date(2027, 1, 15), date(2027, 1, 29)):
        sandbox.clock.set(day)
        sandbox.run_dunning()
    repository = sandbox.runtime.repository
    assert "PAT000002" in blocked_numbers(repository, PROVIDER)
    header, *lines = declaration_csv(12).decode().splitlines()
    rows = [line for line in lines if ";PAT000002;" in line]
    bsn = rows[0].split(";")[2]
    again = [r.replace("R0", "T0").replace(";PAT000002;", ";PAT900002;") for r in rows]
    declaration_id = sandbox.upload_declaration(
        PROVIDER, "week-49.csv", "\n".join([header, *again, ""]).encode()
    )

    _, report = get(sandbox, f"/api/v1/provider/declarations/{declaration_id}")
    assert report["outcome"] == "accepted"
    assert report["summary"]["invoices_debtor_risk_with_provider"] == 1
    [finding] = [f for f in report["findings"] if f["code"] == "PATIENT_BLOCKED_DEBTOR_RISK"]
    assert "PAT900002" in finding["message"] and "PAT000002" in finding["message"]
    assert "hetzelfde BSN" in finding["message"] and "same BSN" in finding["message_en"]
    assert bsn not in json.dumps(report)
    [new] = repository.list_invoices(PROVIDER, InvoiceFilter(declaration_id=declaration_id))[0]
    assert new.debtor_risk_with_provider is True
    assert new.warnings == ("PATIENT_BLOCKED_DEBTOR_RISK",)
    for path, query in ((LIST, {}), (CHANGES, {"since": "2026-01-01"})):
        for form in ("json", "csv"):
            status, body = get(sandbox, path, format=form, **query)
            assert status == 200 and bsn not in (body if form == "csv" else json.dumps(body))


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("output_format", ["csv", "json"])
def test_the_portal_refuses_more_changes_than_one_file_holds_naming_the_api(
    sandbox, monkeypatch, language, output_format
):
    """R22, R35 (portalfeed54: the portal's download asked for every change since the date,
    one answer that passed Lambda's 6 MB at about 48,000 changes (JSON)).
    Given a file of at most 4 changes, 5 patients blocked, and 4 of them since a later date
    When the practice downloads the changes since the first date, then the later one
    Then the first is refused on the blocked page, its date kept and marked, naming the
    most and the API's pages; no read of any patient recorded; the second is the file."""
    from billing_core.entrypoints.web.portal import pages

    monkeypatch.setattr(pages, "CHANGES_FILE_MAX", 4, raising=False)
    refs = _block_one_by_one(sandbox, 5)
    user = signed_in(sandbox, "viewer", language)
    path = f"/portal/geblokkeerd/wijzigingen?format={output_format}"

    status, html = user.page(f"{path}&since=2027-01-28")

    assert status == 400
    error = portal_texts(language)("invalid_since_too_many", most=4)
    assert unescape(html).count(error) == 1
    assert 'value="2027-01-28" aria-invalid="true" aria-describedby="error"' in html
    assert "/api/v1/provider/blocked-patients/changes" in error
    assert _block_change_reads(sandbox) == []
    later = (HANDOVER + timedelta(seconds=1)).isoformat()
    status, body = user.page(f"{path}&since={later.replace('+', '%2B')}")
    assert status == 200
    assert refs[1:] == sorted(ref for ref in refs if ref in body)
    assert len(_block_change_reads(sandbox)) == 1


def _block_change_reads(sandbox):
    """The recorded reads of the changes' download (R32)."""
    now = sandbox.clock.now()
    reads, _ = sandbox.runtime.audit_log.reads(
        PROVIDER, now - timedelta(hours=1), now + timedelta(hours=1), limit=100
    )
    return [r for r in reads if "block_changes" in r.subject]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("output_format", ["csv", "json"])
def test_the_portal_refuses_more_blocked_patients_than_one_file_holds_naming_the_api(
    sandbox, monkeypatch, language, output_format
):
    """R22, R35 (blockedlist55: the portal's download held every blocked patient in one
    answer, past Lambda's 6 MB at about 33,000 in JSON).
    Given a file of at most 4 blocked patients, and 5 blocked
    When the practice downloads the list, then again once a file holds 5
    Then the first is refused on the blocked page, naming the most and the API's pages,
    the alert taking the focus, the changes' date not marked; no read recorded but the
    page's; the second is the file of all 5."""
    from billing_core.entrypoints.web.portal import pages

    monkeypatch.setattr(pages, "BLOCKED_FILE_MAX", 4, raising=False)
    refs = _block_one_by_one(sandbox, 5)
    user = signed_in(sandbox, "viewer", language)
    path = f"/portal/geblokkeerd?format={output_format}"

    status, headers, html = user.request("GET", path)

    assert status == 400 and headers["Content-Type"].startswith("text/html")
    error = portal_texts(language)("blocked_too_many", most=4)
    assert unescape(html).count(error) == 1 and "GET /api/v1/provider/blocked-patients." in error
    assert 'id="error" tabindex="-1" autofocus' in html and html.count("autofocus") == 1
    assert "aria-invalid" not in html
    assert f'<a href="{path}" id="blocked-{output_format}">' in html  # shown, not saved
    assert len(_blocked_list_reads(sandbox)) == 1  # the page's, not the file's
    monkeypatch.setattr(pages, "BLOCKED_FILE_MAX", 5)
    status, _, body = user.request("GET", path)
    assert status == 200
    assert refs == sorted(ref for ref in refs if ref in body)
    assert len(_blocked_list_reads(sandbox)) == 2


def _blocked_list_reads(sandbox):
    """The recorded reads of the blocked list, its page or its file (R32)."""
    now = sandbox.clock.now()
    reads, _ = sandbox.runtime.audit_log.reads(
        PROVIDER, now - timedelta(hours=1), now + timedelta(hours=1), limit=100
    )
    return [r for r in reads if r.subject.startswith("blocked")]


def test_r3_r39_the_agencys_file_delivered_again_after_its_record_went_counts_nothing_again(
    sandbox, invoices, monkeypatch, function_log
):
    """R3, R39, R22 (bankmarker55 (c)): S3 delivers a notification at least once, also
    after Powertools' idempotency record that answers it again went (7 days, or released).
    Given the agency's file with a row paying a claim and a row of an unknown kenmerk
    (refused: AgencyReportRefusedAlarm), imported, and its idempotency record then gone
    When its notification is delivered again the next day
    Then it is answered as its first delivery was, counted as UploadsDeliveredAgain only:
    no Agency_refused or Agency_report_refused again, no second result file (before:
    Agency_duplicate 1, Agency_refused 1, Agency_report_refused 1, a second result), the
    claim paid once."""
    from tests.functional.conftest import (
        assert_only_counted_delivered_again,
        watched_with_records_expired,
    )

    invoice = hand_over(sandbox, invoices[0])
    sandbox.clock.set(datetime(2027, 2, 15, 7, 30, tzinfo=AMSTERDAM))
    paid_on = date(2027, 2, 12)
    data = agency_file(
        (invoice.reference, "CMIB-1", "paid", due_on(invoice, paid_on), paid_on),
        ("00000000000000", "CMIB-2", "paid", 100, paid_on),
    )
    key = "collection-reports/agency-2027-02-15.csv"
    put = sandbox.runtime.s3.put_object(Bucket=sandbox.names.bank_bucket, Key=key, Body=data)
    event = sandbox.collection_report_s3_event(key, put["VersionId"], put["ETag"].strip('"'))
    first = sandbox.invoke("collection_report_import", event)
    assert (first["imported"][0]["booked"], first["imported"][0]["refused"]) == (1, 1)
    results = sandbox.output_keys("collection-reports/2027-")
    watched = watched_with_records_expired(
        sandbox, monkeypatch, function_log, "collection_report_import"
    )
    sandbox.clock.set(datetime(2027, 2, 16, 7, 30, tzinfo=AMSTERDAM))

    again = sandbox.invoke("collection_report_import", event)

    assert again == first
    assert_only_counted_delivered_again(watched)
    assert sandbox.output_keys("collection-reports/2027-") == results and len(results) == 1
    assert len(sandbox.output_keys("collection-reports/finished/")) == 1
    paid = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert [p for p in paid.applied_payments if p.startswith("agency:")] == ["agency:CMIB-1"]
