"""Provider API: invoices and open actions, scoped to the token's provider (R21-R23, R26)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import uuid4

import pytest

from billing_core.entrypoints.http import cursor
from billing_core.payments.booking import IncomingPayment, book_payment
from billing_core.ports import ConcurrentChange
from local.generate import declaration_csv
from local.sandbox import Caller
from local.seed import DENTAL, PHYSIO

JSON = {"Content-Type": "application/json"}
SEARCH = "/api/v1/provider/invoices/search"


@pytest.fixture
def invoices(sandbox):
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(30))
    sandbox.drain_deliveries()
    return sandbox.runtime.repository.list_invoices(DENTAL.provider_id)[0]


def _get(sandbox, path, provider=DENTAL.provider_id, **query):
    return sandbox.api(
        "GET", path, provider_id=provider, query={k: str(v) for k, v in query.items()} or None
    )


def _object(sandbox, invoice, reason="amount", message="Te hoog"):
    """The patient objects to the invoice: an open action for the practice (R16, R23)."""
    body = {
        "birth_date": invoice.birth_date.isoformat(),
        "reason": reason,
        "message": message,
        "email": "p@example.org",
    }
    path = f"/api/v1/invoices/{invoice.reference}/objection"
    assert sandbox.api("POST", path, body=body, headers=JSON)[0] == 202


def _mark_done(sandbox, action_id, provider=DENTAL.provider_id):
    path = f"/api/v1/provider/actions/{action_id}"
    return sandbox.api("PATCH", path, provider_id=provider, body={"state": "done"})


def test_the_practice_pages_through_its_invoices(sandbox, invoices):
    seen, tokens, token = [], [], None
    while True:
        status, page = _get(
            sandbox, "/api/v1/provider/invoices", limit=5, **({"cursor": token} if token else {})
        )
        assert status == 200
        seen += [i["invoice_id"] for i in page["items"]]
        token = page["next_cursor"]
        if not token:
            break
        tokens.append(token)
    assert sorted(seen) == sorted(i.invoice_id for i in invoices)
    # Every cursor handed out is a position in the list, never a table key (R26)
    assert len(tokens) == (len(invoices) - 1) // 5
    for handed_out in tokens:
        position = cursor.decode(handed_out)
        assert "PROVIDER" not in position and DENTAL.provider_id not in position


def test_filters_by_patient_and_status(sandbox, invoices):
    first = invoices[0]
    status, page = _get(sandbox, "/api/v1/provider/invoices", patient_ref=first.patient_ref)
    assert [i["invoice_id"] for i in page["items"]] == [first.invoice_id]
    status, page = _get(sandbox, "/api/v1/provider/invoices", status="paid")
    assert page["items"] == []
    status, page = _get(sandbox, "/api/v1/provider/invoices", status="late")
    assert status == 400 and page["error"]["code"] == "validation_error"


def _search(sandbox, provider=DENTAL.provider_id, **body):
    return sandbox.api("POST", SEARCH, provider_id=provider, body=body, headers=JSON)


def test_finds_by_the_patients_name_as_typed_only_its_own(sandbox, invoices):
    """Issue 16 (R35): the portal's search by name, the same in the API; R29: in the
    body of a POST, never in the URL."""
    first = invoices[0]
    typed = f"  {first.patient.last_name.upper()} "
    status, page = _search(sandbox, name=typed, limit=100)
    found = {i["invoice_id"] for i in page["items"]}
    same_name = {i.invoice_id for i in invoices if i.patient.last_name == first.patient.last_name}
    assert status == 200 and first.invoice_id in found and found >= same_name
    other = _search(sandbox, PHYSIO.provider_id, name=typed)[1]
    assert not {i["invoice_id"] for i in other["items"]} & found


def test_the_name_search_takes_the_lists_filters_and_pages_with_its_cursor(sandbox, invoices):
    """interfaces.md §2: status, patient_ref and dates; a cursor of the same search."""
    first = invoices[0]
    issued = first.issue_date.isoformat()
    common = {"name": first.patient.last_name, "from": issued, "to": issued, "limit": 1}
    seen, token = [], None
    while True:
        status, page = _search(sandbox, **common, **({"cursor": token} if token else {}))
        assert status == 200
        seen += [i["invoice_id"] for i in page["items"]]
        if not (token := page["next_cursor"]):
            break
    assert first.invoice_id in seen and len(seen) == len(set(seen))
    _, paid = _search(sandbox, name=first.patient.last_name, status="paid")
    assert paid["items"] == []
    _, by_ref = _search(sandbox, name=first.patient.last_name, patient_ref=first.patient_ref)
    assert [i["invoice_id"] for i in by_ref["items"]] == [first.invoice_id]
    # A search needs a name, and knows no other field
    for body in ({"name": " "}, {"name": "x", "bsn": "1"}, {}):
        status, answer = _search(sandbox, **body)
        assert status == 400 and answer["error"]["code"] == "validation_error"


def test_a_name_in_the_lists_url_is_refused_not_ignored(sandbox, invoices):
    """R29 "never in URLs" (audit security D3): the old ?name= filter is a 400 that names
    the search route, not the whole list as if it were found."""
    status, answer = _get(sandbox, "/api/v1/provider/invoices", name=invoices[0].patient.last_name)
    assert status == 400 and answer["error"]["code"] == "validation_error"
    assert SEARCH in answer["error"]["message"]
    assert invoices[0].patient.last_name not in answer["error"]["message"]


def _renamed(sandbox, invoice, last_name):
    """The invoice saved made out to a patient of this name (its names written anew)."""
    renamed = replace(invoice, patient=replace(invoice.patient, last_name=last_name), debtor=None)
    return sandbox.runtime.repository.save_invoice(renamed)


NAMES_AS_TYPED = {
    "Yılmaz": "yilmaz",
    "Işık": "isik",
    "Wałęsa": "walesa",
    "Søndergaard": "sondergaard",
    "محمد": "محمد",
}


def test_names_with_letters_nfkd_keeps_whole_are_found_as_typed(sandbox, invoices):
    """Audit INTERFACES1 (R35; interfaces.md §2 "case and accents do not matter"):
    Given invoices for Yılmaz, Işık, Wałęsa, Søndergaard and محمد / When the practice
    searches "yilmaz", "isik", "walesa", "sondergaard", "محمد" / Then each finds exactly
    its invoice; "lmaz" (the middle of a word) finds none."""
    named = {
        name: _renamed(sandbox, invoice, name).invoice_id
        for name, invoice in zip(NAMES_AS_TYPED, invoices, strict=False)
    }
    for name, typed in NAMES_AS_TYPED.items():
        status, page = _search(sandbox, name=typed, limit=100)
        assert (status, [i["invoice_id"] for i in page["items"]]) == (200, [named[name]])
    assert _search(sandbox, name="lmaz")[1]["items"] == []


def test_a_name_without_letters_or_digits_is_refused_not_every_invoice(sandbox, invoices, subtests):
    """Audit INTERFACES1: Given 30 invoices / When the practice searches "-" / Then 400
    naming the name, never the whole list as if every invoice matched. (One world for
    every refusal: a refused search changes nothing; each name is its own subtest.)"""
    for typed in ("-", "'", " . "):
        with subtests.test(typed=typed):
            status, answer = _search(sandbox, name=typed)
            assert status == 400 and answer["error"]["code"] == "validation_error"
            assert "name" in answer["error"]["message"]


def test_the_list_finds_an_invoice_by_its_kenmerk_as_typed(sandbox, invoices):
    """Audit INTERFACES2 (R35 "find an invoice by kenmerk ... in the portal as well as the
    API"; R10): Given 30 invoices / When GET ?reference=<kenmerk grouped as printed> /
    Then exactly that invoice; with a filter that does not hold it, or an unknown kenmerk,
    none."""
    target = invoices[3]
    grouped = " ".join(target.reference[i : i + 4] for i in range(0, 14, 4))
    for typed in (grouped, target.reference):
        status, page = _get(sandbox, "/api/v1/provider/invoices", reference=typed)
        assert status == 200 and [i["invoice_id"] for i in page["items"]] == [target.invoice_id]
        assert page["next_cursor"] is None
    other_patient = next(i for i in invoices if i.patient_ref != target.patient_ref)
    _, none = _get(
        sandbox,
        "/api/v1/provider/invoices",
        reference=grouped,
        patient_ref=other_patient.patient_ref,
    )
    assert none["items"] == []
    _, paid = _get(sandbox, "/api/v1/provider/invoices", reference=grouped, status="paid")
    assert paid["items"] == []
    # And another practice does not find it by its kenmerk (R26)
    _, theirs = _get(sandbox, "/api/v1/provider/invoices", PHYSIO.provider_id, reference=grouped)
    assert theirs["items"] == []


def test_the_list_finds_a_kenmerk_as_pasted_from_a_pdf_or_written_with_slashes(
    sandbox, invoices, subtests
):
    """R35, R10, interfaces.md §2 (audit edges50: the portal's form and the checker take a
    grouped kenmerk; the list refused "1234/5678/..." and the narrow no-break spaces a PDF
    copy brings as no kenmerk, 400, though the digits were the invoice's).
    Given 30 invoices
    When the list is asked for one's kenmerk with slashes, or as copied from a PDF
    Then exactly that invoice, as for its bare digits; a wrong check digit stays a 400."""
    target = invoices[3]
    groups = [target.reference[i : i + 4] for i in range(0, 14, 4)]
    for separator in ("/", "\u202f", "\u2009", "\u00a0"):
        with subtests.test(separator=separator):
            typed = separator.join(groups)
            status, page = _get(sandbox, "/api/v1/provider/invoices", reference=typed)
            assert status == 200, page
            assert [i["invoice_id"] for i in page["items"]] == [target.invoice_id]
    wrong = f"{(int(groups[0][0]) + 1) % 10}{groups[0][1:]}/{'/'.join(groups[1:])}"
    status, answer = _get(sandbox, "/api/v1/provider/invoices", reference=wrong)
    assert status == 400 and answer["error"]["message"].startswith("query.reference")


def test_the_search_takes_a_kenmerk_as_the_list_does(sandbox, invoices):
    """Closing 14 (R35 "find an invoice by kenmerk"; one filter model for the list and
    the search): Given 30 invoices / When the search's body names a kenmerk as typed,
    with the name of its patient / Then exactly that invoice, on one page; with another
    name, or a filter that does not hold it, none."""
    target = invoices[3]
    grouped = " ".join(target.reference[i : i + 4] for i in range(0, 14, 4))
    status, page = _search(sandbox, name=target.patient.last_name, reference=grouped)
    assert status == 200 and [i["invoice_id"] for i in page["items"]] == [target.invoice_id]
    assert page["next_cursor"] is None
    _, other_name = _search(sandbox, name="Zzyzx", reference=grouped)
    _, paid = _search(sandbox, name=target.patient.last_name, reference=grouped, status="paid")
    assert other_name["items"] == paid["items"] == []


def test_a_malformed_kenmerk_is_refused_and_named_not_answered_empty(sandbox, invoices, subtests):
    """Closing 14 (interfaces.md §2 errors: 400 validation): Given 30 invoices / When the
    list or the search is asked for a kenmerk that is not 14 digits with a right check
    digit / Then 400 in the shared error shape naming reference, not an empty list as if
    the practice had no such invoice. (One world, each kenmerk a subtest.)"""
    real = invoices[0].reference
    wrong_check_digit = f"{(int(real[0]) + 1) % 10}{real[1:]}"  # a kenmerk of the practice's
    for typed in ("1234", wrong_check_digit, "abcdefghijklmn"):
        with subtests.test(typed=typed):
            status, answer = _get(sandbox, "/api/v1/provider/invoices", reference=typed)
            assert status == 400 and answer["error"]["code"] == "validation_error"
            assert answer["error"]["message"].startswith("query.reference")
            last_name = invoices[0].patient.last_name
            status, answer = _search(sandbox, name=last_name, reference=typed)
            assert status == 400 and answer["error"]["code"] == "validation_error"
            assert answer["error"]["message"].startswith("reference")


def test_a_patient_number_is_matched_as_the_practice_wrote_it_spaces_around_aside(
    sandbox, invoices
):
    """Closing 14 (R35 "find an invoice by ... patient number"; interfaces.md §1a: the
    provider's patient number). Decision: the number is the practice's own identifier,
    stored as its file wrote it without the spaces around it (the readers strip a cell);
    a number typed or pasted with spaces around it is read the same way, in the list,
    the search and the portal. Its letters' case is kept: it is the key the files group
    and block a patient by (R4, R22), so the list finds what those name, no more.
    Given 30 invoices / When the list and the search ask for " <number> " / Then the
    patient's invoices; When they ask in other case / Then none of them: a 400 naming the
    number as written (hint50; before, an empty list)."""
    first = invoices[0]
    own = sorted(i.invoice_id for i in invoices if i.patient_ref == first.patient_ref)
    padded = f"  {first.patient_ref} "
    status, page = _get(sandbox, "/api/v1/provider/invoices", patient_ref=padded, limit=100)
    assert status == 200 and sorted(i["invoice_id"] for i in page["items"]) == own
    status, page = _search(sandbox, name=first.patient.last_name, patient_ref=padded)
    assert status == 200 and sorted(i["invoice_id"] for i in page["items"]) == own
    swapped = first.patient_ref.swapcase()
    assert swapped != first.patient_ref  # the sample's numbers have letters (PAT…)
    status, answer = _get(sandbox, "/api/v1/provider/invoices", patient_ref=swapped)
    assert (status, answer["error"]["fields"][0]["field"]) == (400, "query.patient_ref")
    assert "items" not in answer


def test_r35_a_patient_number_in_another_letter_case_is_refused_naming_it(sandbox, invoices):
    """R35, R9 (audit hint50; as the access log's, paths50): "pat000002" for PAT000002
    answered an empty list, and staff concluded the patient had no invoices. Its case
    counts (invoices/listing.patient_number): a 400 naming the number as the invoices
    write it, with the access log's words, in the list, the search and beside a kenmerk.
    Given 30 invoices of patients numbered PAT…"""
    first = invoices[0]
    lower, capitalized = first.patient_ref.lower(), first.patient_ref.capitalize()
    name = first.patient.last_name
    # When the list, the search and the list with a kenmerk ask in another case
    answers = {
        ("query", lower): _get(sandbox, "/api/v1/provider/invoices", patient_ref=lower),
        ("query", capitalized): _get(sandbox, "/api/v1/provider/invoices", patient_ref=capitalized),
        ("query", "status"): _get(
            sandbox, "/api/v1/provider/invoices", patient_ref=lower, status="open"
        ),
        ("query", "kenmerk"): _get(
            sandbox, "/api/v1/provider/invoices", patient_ref=lower, reference=first.reference
        ),
        ("body", lower): _search(sandbox, name=name, patient_ref=f" {lower} "),
    }
    # Then each is the 400 naming the field and PAT…, in Dutch and English
    for (where, asked), (status, answer) in answers.items():
        assert status == 400, (asked, answer)
        field = "query.patient_ref" if where == "query" else "patient_ref"
        assert answer["error"]["fields"][0]["field"] == field, asked
        message = answer["error"]["message"]
        assert f"zo geschreven, wel als {first.patient_ref}: hoofdletters en kleine" in message
        assert f"but as {first.patient_ref}: the case of its letters counts" in message
    # And a list whose other filters hold none of the patient's invoices, or a number no
    # invoice has in any case, is still an empty list: it would name no invoice of it
    for query in (
        {"patient_ref": lower, "status": "paid"},
        {"patient_ref": "PAT999999"},
        {"patient_ref": "pat999999"},
    ):
        assert _get(sandbox, "/api/v1/provider/invoices", **query) == (
            200,
            {"items": [], "next_cursor": None},
        ), query


def test_r35_a_patient_number_with_invoices_as_typed_finds_them_not_the_other_case(sandbox):
    """R35, R4 (hint50): the case counts on purpose, so a number that has invoices as
    typed lists them, never the refusal, though another case has some too.
    Given patient pat000001 beside PAT000001 / When the list asks for pat000001 / Then
    pat000001's invoice only."""
    upload = declaration_csv(4).replace(b"PAT000002", b"pat000001")
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", upload)
    found, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
    lower = [i.invoice_id for i in found if i.patient_ref == "pat000001"]
    assert lower and any(i.patient_ref == "PAT000001" for i in found)

    status, page = _get(sandbox, "/api/v1/provider/invoices", patient_ref="pat000001")

    assert status == 200 and [i["invoice_id"] for i in page["items"]] == lower


def test_an_unknown_query_parameter_is_refused_and_named(sandbox, invoices, subtests):
    """Audit INTERFACES2 (interfaces.md §2 errors): Given 30 invoices / When a list is asked
    with a parameter the route does not know (?kenmerk=...) / Then 400 naming it, not the
    whole list as if every invoice were the match. (One world, each list and parameter a
    subtest: a refused list changes nothing.)"""
    lists = (
        "/api/v1/provider/invoices",
        "/api/v1/provider/declarations",
        "/api/v1/provider/actions",
    )
    for path in lists:
        for unknown in ("kenmerk", "patient", "invoice_id"):
            with subtests.test(path=path, unknown=unknown):
                status, answer = _get(sandbox, path, **{unknown: invoices[0].reference})
                assert status == 400 and answer["error"]["code"] == "validation_error"
                assert unknown in answer["error"]["message"]


def test_a_period_the_wrong_way_round_is_refused_not_answered_empty(sandbox, invoices):
    """Audit INTERFACES6 (interfaces.md §2 errors; as debtor-risk and the portal): Given 30
    invoices / When GET or search ?from=2026-12-01&to=2026-01-01 / Then 400 naming from."""
    period = {"from": "2026-12-01", "to": "2026-01-01"}
    status, answer = _get(sandbox, "/api/v1/provider/invoices", **period)
    assert status == 400 and answer["error"]["code"] == "validation_error"
    assert "query.from" in answer["error"]["message"]
    status, answer = _search(sandbox, name=invoices[0].patient.last_name, **period)
    assert status == 400  # R9, interfaces.md §2: Dutch / English, as every error says it
    assert answer["error"]["message"] == "from: moet op of vóór to liggen / on or before to"
    # One day is a period the right way round
    day = invoices[0].issue_date.isoformat()
    assert _get(sandbox, "/api/v1/provider/invoices", **{"from": day, "to": day})[0] == 200


def test_the_invoice_detail_shows_lines_ledger_letters_and_actions(sandbox, invoices):
    invoice = invoices[0]
    _object(sandbox, invoice)
    status, detail = _get(sandbox, f"/api/v1/provider/invoices/{invoice.invoice_id}")
    assert status == 200 and detail["reference"] == invoice.reference
    assert len(detail["lines"]) == len(invoice.lines)
    assert next(e["kind"] for e in detail["ledger"]) == "issued"
    assert detail["letters"][0]["kind"] == "invoice"
    assert [a["kind"] for a in detail["actions"]] == ["objection"]


def test_the_practice_marks_an_action_done(sandbox, invoices):
    invoice = invoices[0]
    _object(sandbox, invoice, reason="other", message="?")
    status, actions = _get(sandbox, "/api/v1/provider/actions", state="open")
    [action] = actions["items"]
    status, done = _mark_done(sandbox, action["action_id"])
    assert status == 200 and done["state"] == "done"
    assert _get(sandbox, "/api/v1/provider/actions", state="open")[1]["items"] == []


def test_another_provider_sees_none_of_it(sandbox, invoices):
    # Given the dental practice's invoices and an objection on one of them
    invoice = invoices[0]
    _object(sandbox, invoice, message="x")
    action_id = _get(sandbox, "/api/v1/provider/actions")[1]["items"][0]["action_id"]
    dental_cursor = _get(sandbox, "/api/v1/provider/invoices", limit=2)[1]["next_cursor"]
    # When the physiotherapy practice uses the dental ids and cursors
    other = PHYSIO.provider_id
    assert (
        _get(sandbox, f"/api/v1/provider/invoices/{invoice.invoice_id}", provider=other)[0] == 404
    )
    assert _get(sandbox, "/api/v1/provider/invoices", provider=other)[1]["items"] == []
    assert (
        _get(sandbox, "/api/v1/provider/invoices", provider=other, cursor=dental_cursor)[1]["items"]
        == []
    )
    assert _get(sandbox, "/api/v1/provider/actions", provider=other)[1]["items"] == []
    status, _ = _mark_done(sandbox, action_id, provider=other)
    # Then nothing of the dental practice is read or changed (R26)
    assert status == 404
    assert _get(sandbox, "/api/v1/provider/actions")[1]["items"][0]["state"] == "open"


def _pay(sandbox, invoice, cents, transfer):
    incoming = IncomingPayment("bank", transfer, cents, sandbox.clock.now())
    book_payment(sandbox.runtime.repository, invoice.reference, incoming, clock=sandbox.clock)


def _pages(sandbox, **query):
    """Every page of the list, following the cursors."""
    pages, token = [], None
    while True:
        status, page = _get(
            sandbox, "/api/v1/provider/invoices", **query, **({"cursor": token} if token else {})
        )
        assert status == 200
        pages.append(page)
        token = page["next_cursor"]
        if not token:
            return pages


def test_a_status_filter_gives_full_pages_until_the_last(sandbox, invoices):
    # Given invoices of which three, spread over the list, are paid and one partly paid
    newest_first = _get(sandbox, "/api/v1/provider/invoices", limit=100)[1]["items"]
    assert len(newest_first) >= 7
    by_id = {i.invoice_id: i for i in invoices}
    paid = [by_id[newest_first[n]["invoice_id"]] for n in (1, 4, len(newest_first) - 1)]
    for n, invoice in enumerate(paid):
        _pay(sandbox, invoice, invoice.amount_due_cents, f"NTRF-PAID-{n}")
    partly = by_id[newest_first[2]["invoice_id"]]
    _pay(sandbox, partly, 100, "NTRF-PART")
    # When the practice pages through its paid invoices, two at a time
    pages = _pages(sandbox, status="paid", limit=2)
    # Then the pages hold 2 and 1, newest first, and only the first points further
    assert [len(p["items"]) for p in pages] == [2, 1]
    assert [p["next_cursor"] is None for p in pages] == [False, True]
    shown = [i["invoice_id"] for p in pages for i in p["items"]]
    assert shown == [i.invoice_id for i in paid]
    assert {i["payment_status"] for p in pages for i in p["items"]} == {"paid"}
    # And the partly paid one is the only one under its own status (R10)
    [only] = _pages(sandbox, status="partly_paid", limit=2)
    assert [i["invoice_id"] for i in only["items"]] == [partly.invoice_id]
    assert only["next_cursor"] is None


def _requests(sandbox):
    """Every DynamoDB request of the repository from now on: (operation, index)."""
    seen = []
    sandbox.runtime.repository.client.meta.events.register(
        "before-parameter-build.dynamodb",
        lambda params, model, **_: seen.append((model.name, params.get("IndexName", ""))),
    )
    return seen


def test_one_action_is_one_read_and_an_invoice_reads_only_its_own_actions(sandbox, invoices):
    # Given objections on two invoices
    first, second = invoices[0], invoices[1]
    _object(sandbox, first)
    _object(sandbox, second)
    listed = _get(sandbox, "/api/v1/provider/actions")[1]["items"]
    [action] = [a for a in listed if a["invoice_id"] == first.invoice_id]
    seen = _requests(sandbox)
    # When the practice marks one of them done
    status, done = _mark_done(sandbox, action["action_id"])
    # Then finding it was one GetItem, and saving it one conditional UpdateItem of its
    # state: no list was read (R23), and a change made meanwhile is not written over (R28)
    assert status == 200 and done["state"] == "done"
    assert seen == [("GetItem", ""), ("UpdateItem", "")]
    # When the practice opens the first invoice
    seen.clear()
    status, detail = _get(sandbox, f"/api/v1/provider/invoices/{first.invoice_id}")
    # Then the invoice and its own actions are read, not the other invoice's; and the
    # practice's settings once per warm function (their dunning timeline dates the
    # breakdown's second notice, R36, and a coulance proposal's figures as now, R17: read
    # before the actions since stop 45)
    assert seen == [("GetItem", ""), ("GetItem", ""), ("Query", "by-provider")]
    assert [a["action_id"] for a in detail["actions"]] == [action["action_id"]]


def test_a_change_that_keeps_losing_a_race_is_a_conflict_in_both_apis(
    sandbox, invoices, monkeypatch
):
    # Given an invoice that someone else changes at every attempt to save it (R28)
    invoice = invoices[0]

    def always_changed_meanwhile(changed):
        raise ConcurrentChange(changed.invoice_id)

    monkeypatch.setattr(sandbox.runtime.repository, "save_invoice", always_changed_meanwhile)
    until = (sandbox.clock.today() + timedelta(days=14)).isoformat()
    # When the practice puts it on hold and the patient asks for a deferral
    held = sandbox.api(
        "POST",
        f"/api/v1/provider/invoices/{invoice.invoice_id}/hold",
        provider_id=DENTAL.provider_id,
        body={"until": until, "reason": "bezwaar"},
    )
    deferred = sandbox.api(
        "POST",
        f"/api/v1/invoices/{invoice.reference}/deferral",
        body={"birth_date": invoice.birth_date.isoformat()},
        headers=JSON,
    )
    # Then both answer 409 concurrent_change: nothing was saved, asking again is safe
    for status, body in (held, deferred):
        assert status == 409 and body["error"]["code"] == "concurrent_change"
    stored = sandbox.runtime.repository.get_invoice(invoice.provider_id, invoice.invoice_id)
    assert stored.hold_until is None and stored.deferral is None


def test_r29_the_practice_and_operator_apis_answers_are_never_cached_or_sniffed(sandbox):
    """R29, R32 (audit59c): given an invoice of the dental practice (the patient's name, birth
    date, treatments) and its settings (the payout IBAN), when its admin reads the invoice,
    searches by the patient's name, asks for an invoice it does not have, and an operator
    reads the practice's settings, then no answer is kept by a shared computer's browser
    (the Swagger page's, a script's) or a proxy, nor read as another type than it says:
    Cache-Control: no-store and nosniff on each, as the patient API's and the portal's."""
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(1))
    [invoice] = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)[0]
    admin = {"provider_id": DENTAL.provider_id}
    asked = {
        "invoice": ("GET", f"/api/v1/provider/invoices/{invoice.invoice_id}", admin, None),
        "search": ("POST", SEARCH, admin, {"name": invoice.patient.last_name}),
        "unknown": ("GET", f"/api/v1/provider/invoices/{uuid4()}", admin, None),
        "settings": (
            "GET",
            f"/api/v1/operator/providers/{DENTAL.provider_id}",
            {"caller": Caller.operator()},
            None,
        ),
    }
    for name, (method, path, who, body) in asked.items():
        answer = sandbox.api_raw(method, path, body=body, **who)
        headers = {**(answer.get("headers") or {})}
        headers |= {k: v[0] for k, v in (answer.get("multiValueHeaders") or {}).items()}
        assert answer["statusCode"] == (404 if name == "unknown" else 200), name
        assert headers.get("Cache-Control") == "no-store", name
        assert headers.get("X-Content-Type-Options") == "nosniff", name
