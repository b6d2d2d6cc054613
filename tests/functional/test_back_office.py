"""The operator API's back office on moto (R32-R34): the audit of reads, unmatched bank
credits matched by hand, and the insurer register, for the ``operators`` group only."""

from __future__ import annotations

import json
from datetime import date, timedelta
from importlib import resources

import pytest

from billing_core.declarations.rules.insurers import SHIPPED_FILE
from billing_core.entrypoints.http import cursor
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.shared import reference
from billing_core.shared.audit import NO_PRACTICE_YET
from billing_core.shared.money import format_euros
from billing_core.texts.catalogue import long_date
from local.generate import declaration_csv
from local.sandbox import Caller
from local.seed import DENTAL
from tests.functional.conftest import TODAY
from tests.functional.test_checker_stages import COSTS_DAY, REMINDER_DAY, dunned_to
from tests.functional.test_upload_size_caps import unknown_insurer_csv
from tests.unit.camt_builder import credit, debit, statement

PROVIDER = DENTAL.provider_id
OPERATOR = Caller.operator("operator-sub-1")
VIEWER = Caller.practice(PROVIDER, "viewer")


def as_operator(sandbox, method, path, **kwargs):
    return sandbox.api(method, path, caller=OPERATOR, **kwargs)


@pytest.fixture
def invoices(sandbox):
    sandbox.upload_declaration(PROVIDER, "week-47.csv", declaration_csv(6))
    found, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    return sorted(found, key=lambda i: i.invoice_id)


def test_an_operator_sees_who_opened_an_invoice_and_a_practice_user_may_not_look(sandbox, invoices):
    # Given a viewer of the practice who opened an invoice
    path = f"/api/v1/provider/invoices/{invoices[0].invoice_id}"
    assert sandbox.api("GET", path, caller=VIEWER)[0] == 200
    # When an operator lists the practice's reads of today
    day = sandbox.clock.today().isoformat()
    query = {"provider_id": PROVIDER, "from": day, "to": day}
    status, audit = as_operator(sandbox, "GET", "/api/v1/operator/audit", query=query)
    # Then the read is there: who, in which role, which invoice (R32), no invoice data
    assert status == 200
    [read] = [r for r in audit["items"] if r["kind"] == "invoice"]
    opened = f"{invoices[0].invoice_id} patient:{invoices[0].patient_ref}"  # by number only
    assert (read["role"], read["subject"]) == ("viewer", opened)
    assert invoices[0].patient.display_name not in str(audit)
    # And the practice's own user gets no answer from the operator API
    status, answer = sandbox.api("GET", "/api/v1/operator/audit", provider_id=PROVIDER, query=query)
    assert (status, answer["error"]["code"]) == (403, "operators_only")


def test_a_practice_s_reads_come_in_pages_each_once_in_order(sandbox, invoices):
    """R32, NEN 7513 (round 38 small2: a busy practice's quarter in one answer could pass
    Lambda's 6 MB). Given a viewer who opened the invoices five times, one after the other
    When an operator lists the practice's reads of today two at a time, each page from
    the cursor the one before gave
    Then every page but the last holds two, the last gives no cursor, and the five reads
    come each once, in the order they were made; a cursor edited by hand is a 400."""
    opened = (invoices * 3)[:5]
    for invoice in opened:
        sandbox.clock.advance(seconds=1)
        path = f"/api/v1/provider/invoices/{invoice.invoice_id}"
        assert sandbox.api("GET", path, caller=VIEWER)[0] == 200
    day = sandbox.clock.today().isoformat()
    query = {"provider_id": PROVIDER, "from": day, "to": day, "limit": "2"}

    pages = []
    while True:
        status, page = as_operator(sandbox, "GET", "/api/v1/operator/audit", query=query)
        assert status == 200
        pages.append(page["items"])
        if page["next_cursor"] is None:
            break
        query = query | {"cursor": page["next_cursor"]}

    assert len(pages) >= 3 and all(len(items) == 2 for items in pages[:-1])
    listed = [item for items in pages for item in items]
    subjects = [item["subject"] for item in listed if item["kind"] == "invoice"]
    assert subjects == [f"{i.invoice_id} patient:{i.patient_ref}" for i in opened]
    assert [item["at"] for item in listed] == sorted(item["at"] for item in listed)
    bad = query | {"cursor": "not-a-cursor"}
    status, answer = as_operator(sandbox, "GET", "/api/v1/operator/audit", query=bad)
    assert (status, answer["error"]["code"]) == (400, "invalid_cursor")


def test_a_credit_without_a_kenmerk_is_listed_and_matched_once_by_an_operator(sandbox, invoices):
    # Given a transfer for invoice 1 whose kenmerk the patient left out
    invoice = invoices[0]
    xml = statement(credit(invoice.amount_due_cents, ustrd=("tandarts november",)))
    assert sandbox.upload_bank_statement(xml, "2026-11-24.xml")["imported"][0]["unmatched"] == 1
    # When an operator lists the unmatched credits and matches it to the invoice's kenmerk
    status, listed = as_operator(sandbox, "GET", "/api/v1/operator/unmatched-credits")
    [line] = listed["items"]
    path = f"/api/v1/operator/unmatched-credits/{line['credit_id']}/match"
    status, matched = as_operator(sandbox, "POST", path, body={"reference": invoice.reference})
    # Then the invoice is paid, the credit leaves the list, and matching again books nothing
    assert status == 200 and matched["matched_to"][0]["invoice_id"] == invoice.invoice_id
    paid = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert paid.amount_due_cents == 0
    assert as_operator(sandbox, "GET", "/api/v1/operator/unmatched-credits")[1]["items"] == []
    assert as_operator(sandbox, "POST", path, body={"reference": invoice.reference})[0] == 200
    again = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert again.ledger == paid.ledger


def test_a_matched_credit_asked_for_another_invoice_is_a_conflict_naming_where_it_went(
    sandbox, invoices
):
    """R34 "matched once", interfaces.md §2 (audit BACKOFFICE7)."""
    # Given a credit an operator matched to invoice 1
    first, second = invoices[0], invoices[1]
    xml = statement(credit(2_000, ustrd=("tandarts november",)))
    sandbox.upload_bank_statement(xml, "2026-11-24.xml")
    [line] = as_operator(sandbox, "GET", "/api/v1/operator/unmatched-credits")[1]["items"]
    path = f"/api/v1/operator/unmatched-credits/{line['credit_id']}/match"
    assert as_operator(sandbox, "POST", path, body={"reference": first.reference})[0] == 200
    # When it is matched to invoice 2, with a new Idempotency-Key
    body = {"reference": second.reference}
    key = {"Idempotency-Key": "other-1"}
    status, answer = as_operator(sandbox, "POST", path, body=body, headers=key)
    # Then the answer is a conflict naming invoice 1's kenmerk, and invoice 2 is unchanged
    assert (status, answer["error"]["code"]) == (409, "credit_already_matched")
    assert reference.grouped(first.reference) in answer["error"]["message"]
    stored = sandbox.runtime.repository.get_invoice(PROVIDER, second.invoice_id)
    assert stored.ledger == second.ledger
    # And the same target again, its kenmerk with spaces, is a retry: 200, the match
    spaced = {"reference": reference.grouped(first.reference)}
    status, again = as_operator(sandbox, "POST", path, body=spaced)
    assert (status, [p["amount_cents"] for p in again["matched_to"]]) == (200, [2_000])


def test_r12_the_return_of_a_credit_an_operator_matched_is_reversed_by_the_import(
    sandbox, invoices
):
    """R12 "returned transfers are reversed" (audit money D1, variant A)."""
    # Given a transfer without a kenmerk (TxId RABO-TX-1) an operator matched to invoice 1
    invoice = invoices[0]
    due = invoice.amount_due_cents
    paid = credit(due, ustrd=("tandarts november",), tx_id="RABO-TX-1")
    sandbox.upload_bank_statement(statement(paid, statement_id="STMT-24"), "2026-11-24.xml")
    [line] = as_operator(sandbox, "GET", "/api/v1/operator/unmatched-credits")[1]["items"]
    path = f"/api/v1/operator/unmatched-credits/{line['credit_id']}/match"
    assert as_operator(sandbox, "POST", path, body={"reference": invoice.reference})[0] == 200
    # When the bank returns it (MD06), repeating its TxId
    returned = debit(due, return_reason="MD06", tx_id="RABO-TX-1")
    answer = sandbox.upload_bank_statement(statement(returned, statement_id="STMT-25"), "25.xml")
    # Then the import reverses it: the amount is due again, nothing is left for a person
    assert (answer["imported"][0]["reversed"], answer["imported"][0]["unmatched"]) == (1, 0)
    assert (
        sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id).amount_due_cents == due
    )


def test_r12_r34_an_operator_books_a_return_nobody_could_trace_as_a_reversal(sandbox, invoices):
    # Given invoice 1 paid by a transfer quoting its kenmerk, without TxId or EndToEndId,
    # and the bank's return of it, quoting nothing the import can trace it by
    invoice, unpaid = invoices[0], invoices[1]
    due = invoice.amount_due_cents
    paid = credit(due, scor=invoice.reference)
    sandbox.upload_bank_statement(statement(paid, statement_id="STMT-24"), "2026-11-24.xml")
    returned = debit(due, return_reason="AC04", ustrd=("rekening opgeheven",))
    sandbox.upload_bank_statement(statement(returned, statement_id="STMT-25"), "2026-11-25.xml")
    [line] = as_operator(sandbox, "GET", "/api/v1/operator/unmatched-credits")[1]["items"]
    assert (line["direction"], line["reason"]) == ("DBIT", "return_without_original")
    path = f"/api/v1/operator/unmatched-credits/{line['credit_id']}/match"
    # When an operator books it on an invoice no bank transfer paid, then on invoice 1
    status, refused = as_operator(sandbox, "POST", path, body={"reference": unpaid.reference})
    status_ok, matched = as_operator(sandbox, "POST", path, body={"reference": invoice.reference})
    # Then the first is refused and changes nothing; the second reverses the payment: the
    # amount is due again, and the return leaves the list
    assert (status, refused["error"]["code"]) == (422, "no_payment_to_reverse")
    assert status_ok == 200 and matched["matched_to"][0]["reverses"].startswith("NL")
    after = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert after.amount_due_cents == due
    assert [e.kind for e in after.ledger][-1] is EntryKind.REVERSAL
    assert sandbox.runtime.repository.get_invoice(PROVIDER, unpaid.invoice_id) == unpaid
    assert as_operator(sandbox, "GET", "/api/v1/operator/unmatched-credits")[1]["items"] == []


def reads_of(sandbox, provider_id):
    """The audit of today's reads of ``provider_id``, as an operator lists it."""
    day = sandbox.clock.today().isoformat()
    query = {"provider_id": provider_id, "from": day, "to": day}
    status, audit = as_operator(sandbox, "GET", "/api/v1/operator/audit", query=query)
    assert status == 200
    return [(r["user_id"], r["role"], r["kind"], r["subject"]) for r in audit["items"]]


def test_an_operator_listing_payers_names_and_ibans_is_in_the_audit(sandbox):
    """R32: "Every read of a patient's data by a provider user or operator is logged (who,
    what, when; NEN 7513) without logging the data itself" (audit security D4): the
    unmatched credits show payers' names and IBANs, and belong to no practice yet.
    interfaces.md §6, as the operator's other lists: a page at a time (credits58: the
    whole partition in one answer, past Lambda's 6 MB at some 12,000 credits)."""
    # Given three credits nobody could match, from named payers
    payer, iban = "J. de Vries-Jansen", "NL02RABO0123456789"
    entries = [
        credit(cents, ustrd=("betaling nota",), payer=payer, payer_iban=iban)
        for cents in (4321, 1234, 2000)
    ]
    xml = statement(*entries)
    assert sandbox.upload_bank_statement(xml, "2026-11-24.xml")["imported"][0]["unmatched"] == 3
    # When an operator lists the unmatched credits two at a time
    path = "/api/v1/operator/unmatched-credits"
    status, listed = as_operator(sandbox, "GET", path, query={"limit": "2"})
    assert status == 200 and listed["items"][0]["counterparty_name"] == payer
    query = {"limit": "2", "cursor": listed["next_cursor"]}
    status, rest = as_operator(sandbox, "GET", path, query=query)
    # Then the pages hold the three, two then one, oldest booking first (one day: by
    # credit id), and the last no cursor
    assert status == 200 and rest["next_cursor"] is None
    ids = [item["credit_id"] for item in listed["items"] + rest["items"]]
    assert (len(listed["items"]), len(rest["items"]), ids) == (2, 1, sorted(ids))
    assert sorted(item["amount_cents"] for item in listed["items"] + rest["items"]) == [
        1234,
        2000,
        4321,
    ]
    # And each page is one read in the audit: who, as what, what kind, the credits of that
    # page; not the names or IBANs
    reads = reads_of(sandbox, NO_PRACTICE_YET)
    first, second = " ".join(f"credit:{i}" for i in ids[:2]), f"credit:{ids[2]}"
    assert sorted(r for r in reads if r[2] == "bank_credits") == sorted(
        [
            ("operator-sub-1", "operators", "bank_credits", first),
            ("operator-sub-1", "operators", "bank_credits", second),
        ]
    )  # (the sandbox's clock stands still: the two reads are of one moment)
    assert payer not in str(reads) and iban not in str(reads)
    # And a cursor this list never handed out is refused, naming it (one of the list
    # before credits58b, a bare credit id, too); so is a page too long
    old_form = cursor.encode(ids[0])
    for bad in (
        {"cursor": "not-a-cursor"},
        {"cursor": cursor.encode("CREDIT#x")},
        {"cursor": old_form},
    ):
        status, answer = as_operator(sandbox, "GET", path, query=bad)
        assert (status, answer["error"]["code"]) == (400, "invalid_cursor")
        assert "This cursor is not valid" in answer["error"]["message"]
    status, answer = as_operator(sandbox, "GET", path, query={"limit": "201"})
    assert (status, answer["error"]["code"]) == (400, "validation_error")


def test_an_operator_reading_a_refund_batch_is_in_the_practices_audit(sandbox, invoices):
    """R32 (audit security D4): a refund batch shows the patient's name and IBAN; reading
    it is recorded for the practice whose patient it is, naming the batch, the patient by
    number (a search of the log by patient finds it: access53) and the refund's kenmerk."""
    # Given a refund batch for a patient who paid EUR 5.00 too much
    invoice = invoices[0]
    xml = statement(credit(invoice.amount_due_cents + 500, scor=invoice.reference))
    sandbox.upload_bank_statement(xml, "2026-11-24.xml")
    refund = {
        "reference": invoice.reference,
        "iban": "NL39RABO0300065264",
        "account_holder": "A. Visser",
    }
    status, batch = as_operator(
        sandbox, "POST", "/api/v1/operator/refunds", body={"refunds": [refund]}
    )
    assert status == 200, batch
    # When an operator reads the batch
    path = f"/api/v1/operator/payouts/{batch['batch_id']}"
    status, read = as_operator(sandbox, "GET", path)
    assert status == 200 and read["transfers"][0]["name"] == "A. Visser"
    # Then the practice's audit has it, without the patient's name or IBAN
    reads = reads_of(sandbox, PROVIDER)
    subject = f"{batch['batch_id']} patient:{invoice.patient_ref} kenmerk:{invoice.reference}"
    assert ("operator-sub-1", "operators", "refund_batch", subject) in reads
    assert "A. Visser" not in str(reads) and "NL39RABO0300065264" not in str(reads)


def test_an_operator_loads_a_register_version_whole_or_not_at_all(sandbox):
    # Given the register in force, and a new version with one bad line
    status, shipped = as_operator(sandbox, "GET", "/api/v1/operator/insurers")
    assert status == 200 and "9664" in {i["uzovi"] for i in shipped["insurers"]}
    header = "uzovi;name;group;labels;valid_from;source"
    good = "3311;Zilveren Kruis;Achmea;;2026-01-01;https://www.zilverenkruis.nl/zorgaanbieders"
    bad = "33;Onbekend;X;;2026-01-01;https://example.org"
    # When the operator loads it, it is refused whole, naming the line
    status, refused = as_operator(
        sandbox, "POST", "/api/v1/operator/insurers", body={"csv": "\n".join([header, good, bad])}
    )
    assert status == 422 and "line 3: uzovi must be 4 digits" in refused["error"]["message"]
    # When the good part is loaded (confirming the codes it drops, R33), it is the version
    # in force from its date
    drops = sorted(i["uzovi"] for i in shipped["insurers"] if i["uzovi"] != "3311")
    body = {"csv": "\n".join([header, good]), "drops": drops}
    status, loaded = as_operator(sandbox, "POST", "/api/v1/operator/insurers", body=body)
    assert (status, loaded["version"]) == (201, "2026-01-01.1")
    assert as_operator(sandbox, "GET", "/api/v1/operator/insurers")[1]["version"] == "2026-01-01.1"
    # And the CSV sent as it is (curl --data-binary @register.csv -H "Content-Type:
    # text/csv") is 415 saying where the CSV goes: in the JSON's csv field (credits58)
    csv_file = {"Content-Type": "text/csv"}
    status, answer = as_operator(sandbox, "POST", INSURERS, body=header, headers=csv_file)
    assert (status, answer["error"]["code"]) == (415, "unsupported_media_type")
    assert answer["error"]["message"] == (
        "Stuur de gegevens als JSON, met de header Content-Type: application/json; de CSV "
        'als tekst in het veld csv: {"csv": "uzovi;name;group;labels;valid_from;source\\n'
        '..."}. / Send the body as JSON, with the header Content-Type: application/json; '
        'the CSV as text in the field csv: {"csv": '
        '"uzovi;name;group;labels;valid_from;source\\n..."}.'
    )


INSURERS = "/api/v1/operator/insurers"
REGISTER_HEADER = "uzovi;name;group;labels;valid_from;source"
NEW_INSURER = "9999;Zorg en Zekerheid;Zorg en Zekerheid;;2026-01-01;https://www.zorgenzekerheid.nl"


def load_register(sandbox, csv, key, drops=None):
    """The raw answer, sent with an Idempotency-Key as a retrying client does (R38)."""
    body = {"csv": csv} if drops is None else {"csv": csv, "drops": drops}
    headers = {"Content-Type": "application/json", "Idempotency-Key": key}
    answer = sandbox.api_raw("POST", INSURERS, caller=OPERATOR, body=body, headers=headers)
    return answer["statusCode"], json.loads(answer["body"]), answer["headers"]


def test_a_version_that_drops_insurers_is_loaded_only_with_exactly_those_drops(sandbox):
    """R33 (a version lists every insurer: CZ's group files to 9664), R31 (validated on
    write), R38 (Idempotency-Key), audit COVERAGE4: a one-row version made every other
    code unknown to every practice from its date, with a 201."""
    # Given the shipped register, and the dental practice's contracts until 2026-12-31
    status, shipped = as_operator(sandbox, "GET", INSURERS)
    dropped = sorted(i["uzovi"] for i in shipped["insurers"])
    assert status == 200 and "9664" in dropped and len(dropped) == 16
    one_row = "\n".join([REGISTER_HEADER, NEW_INSURER])
    # When an operator loads a version from 2026-01-01 with one new insurer only
    status, refused, _ = load_register(sandbox, one_row, "zz-2026")
    # Then it is refused, naming every code it drops and the practice whose contract
    # runs on with them, and how to confirm
    assert (status, refused["error"]["code"]) == (422, "register_drops_contracted_insurers")
    message = refused["error"]["message"]
    assert all(code in message for code in dropped) and PROVIDER in message
    assert "2025-01-01.1" in message and '"drops": ["0101", "0736",' in message
    # And nothing is loaded: the shipped version is still the one in force
    assert as_operator(sandbox, "GET", INSURERS)[1]["version"] == "2025-01-01.1"
    # And a retry with the same key gets the same refusal again (R38)
    assert load_register(sandbox, one_row, "zz-2026")[2]["Idempotent-Replayed"] == "true"
    # When the drops leave 9664 out, or name a code the version keeps, it is still refused
    short = [code for code in dropped if code != "9664"]
    assert load_register(sandbox, one_row, "zz-2026-b", short)[1]["error"]["code"] == (
        "register_drops_contracted_insurers"
    )
    status, extra, _ = load_register(sandbox, one_row, "zz-2026-c", [*dropped, "9999"])
    assert (status, extra["error"]["code"]) == (422, "register_drops_not_left_out")
    assert "9999" in extra["error"]["message"]
    # When it is sent with exactly the dropped codes, under a new key
    status, loaded, _ = load_register(sandbox, one_row, "zz-2026-d", dropped)
    # Then it is loaded, once: a retry replays the 201 and makes no second version
    assert (status, loaded["version"]) == (201, "2026-01-01.1")
    status, again, headers = load_register(sandbox, one_row, "zz-2026-d", dropped)
    assert (status, again, headers["Idempotent-Replayed"]) == (201, loaded, "true")
    assert as_operator(sandbox, "GET", INSURERS)[1]["version"] == "2026-01-01.1"


def test_a_version_loaded_with_drops_records_who_when_and_which_codes(sandbox):
    """R33, R31 (operator changes are kept with who made them and when): given the
    shipped register, when an operator loads a version from 2026-01-01 confirming the 16
    codes it drops, then the version keeps the operator's id, the moment and exactly those
    codes, and the operator API shows them with the version in force."""
    shipped = as_operator(sandbox, "GET", INSURERS)[1]
    assert (shipped["loaded_by"], shipped["loaded_at"], shipped["drops"]) == (None, None, [])
    dropped = sorted(i["uzovi"] for i in shipped["insurers"])
    one_row = "\n".join([REGISTER_HEADER, NEW_INSURER])
    status, loaded, _ = load_register(sandbox, one_row, "zz-audit", dropped)
    assert status == 201
    in_force = as_operator(sandbox, "GET", INSURERS)[1]
    for shown in (loaded, in_force):
        assert shown["loaded_by"] == OPERATOR.user_id
        assert shown["loaded_at"] == sandbox.clock.now().isoformat()
        assert shown["drops"] == dropped
    stored = sandbox.runtime.repository.insurer_register_load("2026-01-01.1")
    assert (stored.loaded_by, stored.drops) == (OPERATOR.user_id, tuple(dropped))


def test_an_insurer_added_as_the_readme_says_lets_the_refused_line_through(sandbox):
    """R33, R40, README "Insurer register" (audit onboarding ONBOARDING4): the ingest reads
    the version in force on each treatment date, so an insurer added from today leaves an
    older treatment refused. The refusal asks for the treatment dates, and the README's
    way to add one insurer (the version in force, its own valid_from kept, with the row
    added) lets the line through when the practice sends it again."""
    # Given a line refused for 3999, a well-formed code the register lacks, treated 21-11
    data = unknown_insurer_csv(1)
    (finding,) = upload_report(sandbox, "week-47.csv", data)["findings"]
    assert finding["code"] == "UZOVI_UNKNOWN"
    # Then the refusal asks the practice to tell zorgnota the treatment dates
    assert "treatment dates" in finding["message_en"] and "behandeldata" in finding["message"]
    # When an operator loads a version from today with the row added, it stays refused
    assert load_register(sandbox, register_adding_3999(TODAY.isoformat()), "zz-today")[0] == 201
    again = upload_report(sandbox, "week-47b.csv", data)
    assert [f["code"] for f in again["findings"]] == ["UZOVI_UNKNOWN"]
    # When it loads, as the README says, the version in force on the treatment date with
    # its own valid_from and the row added
    status, loaded, _ = load_register(sandbox, register_adding_3999("2025-01-01"), "zz-1")
    assert (status, loaded["version"]) == (201, "2025-01-01.2")
    # Then the line sent again is invoiced
    last = upload_report(sandbox, "week-47c.csv", data)
    assert (last["outcome"], last["findings"]) == ("accepted", []), last


def register_adding_3999(valid_from: str) -> str:
    """The shipped version (every row from 2025-01-01) with 3999 added, from ``valid_from``."""
    rules = resources.files("billing_core.declarations.rules")
    shipped = rules.joinpath(SHIPPED_FILE).read_text(encoding="utf-8")
    header, *rows = shipped.strip().splitlines()
    added = "3999;Nieuwe Zorgverzekeraar;Nieuw;;2025-01-01;https://example.org/uzovi"
    return "\n".join([header, *rows, added]).replace(";2025-01-01;", f";{valid_from};")


def upload_report(sandbox, file_name: str, data: bytes) -> dict:
    declaration_id = sandbox.upload_declaration(PROVIDER, file_name, data)
    status, report = sandbox.api(
        "GET", f"/api/v1/provider/declarations/{declaration_id}", provider_id=PROVIDER
    )
    assert status == 200, report
    return report


def test_an_operator_reverses_a_wrong_stop_with_a_reason(sandbox, invoices):
    # Given a stop of € 10,00 the practice entered by mistake (entry 2 of the ledger)
    invoice = invoices[0]
    now = sandbox.clock.now()
    stop = LedgerEntry(EntryKind.STOP, Component.PRINCIPAL, -1_000, now, "provider:u:stop-1")
    sandbox.runtime.repository.save_invoice(invoice.with_entry(stop))
    path = f"/api/v1/operator/invoices/{invoice.reference}/corrections"
    # When an operator sends spaces for a reason, or JSON true or the text for the entry
    # Then it is a 400 naming the field and nothing is booked (R34: "with a reason"; audit58c:
    # "   " was booked as the reason and true read as entry 1)
    for wrong, field in (
        ({"entry_id": len(invoice.ledger) + 1, "reason": "   "}, "reason"),
        ({"entry_id": True, "reason": "verkeerde nota"}, "entry_id"),
        ({"entry_id": str(len(invoice.ledger) + 1), "reason": "verkeerde nota"}, "entry_id"),
    ):
        status, refused = as_operator(sandbox, "POST", path, body=wrong)
        assert (status, [f["field"] for f in refused["error"]["fields"]]) == (400, [field])
    assert sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id).ledger[-1] == stop
    # When an operator corrects it
    body = {"entry_id": len(invoice.ledger) + 1, "reason": "verkeerde nota"}
    status, corrected = as_operator(sandbox, "POST", path, body=body)
    # Then the ledger ends with the reversal and its reason, and the amount is owed again
    assert status == 200 and corrected["balance_cents"] == invoice.balance_cents
    assert corrected["ledger"][-1]["note"].endswith("verkeerde nota")
    # And the issue entry cannot be "corrected"
    body = {"entry_id": 1, "reason": "uitgifte"}
    assert as_operator(sandbox, "POST", path, body=body)[0] == 422


def test_a_corrected_coulance_is_asked_by_a_new_date_and_no_reminder_follows(
    sandbox, emailed_invoice
):
    """R34, R21, legal-nl.md §7 and §2 (audit BACKOFFICE3)."""
    # Given an e-mailed invoice with coulance (half its amount, at most € 10,00) the
    # practice entered by mistake, the rest paid before its final payment date
    invoice = emailed_invoice
    coulance = min(1_000, invoice.amount_due_cents // 2)
    staff = Caller.practice(PROVIDER, "staff")
    stop = {"scope": "partial", "amount": coulance, "reason": "goodwill", "accept_terms": True}
    stop["patient_email"] = invoice.addressee.email
    path = f"/api/v1/provider/invoices/{invoice.invoice_id}/stop"
    assert sandbox.api("POST", path, caller=staff, body=stop)[0] == 200
    paid_on = invoice.final_payment_date - timedelta(days=1)
    sandbox.clock.set(paid_on)
    xml = statement(
        credit(
            invoice.amount_due_cents - coulance, scor=invoice.reference, booking_date=str(paid_on)
        )
    )
    sandbox.upload_bank_statement(xml, "paid.xml")
    sandbox.drain_deliveries()
    # When an operator corrects the coulance after the final payment date, and again
    day = invoice.final_payment_date + timedelta(days=18)
    sandbox.clock.set(day)
    before = len(sandbox.outbox())
    path = f"/api/v1/operator/invoices/{invoice.reference}/corrections"
    body = {"entry_id": len(invoice.ledger) + 1, "reason": "coulance bij de verkeerde"}
    assert as_operator(sandbox, "POST", path, body=body)[1]["balance_cents"] == coulance
    assert as_operator(sandbox, "POST", path, body=body)[0] == 200
    sandbox.drain_deliveries()
    # Then the patient gets one e-mail with the coulance's amount and the new final payment
    # date: the day plus the practice's payment term
    new_date = day + timedelta(days=DENTAL.payment_term_days)
    [mail] = [m for m in sandbox.outbox()[before:] if m["kenmerk"] == invoice.reference]
    assert mail["to"] == invoice.addressee.email
    assert format_euros(coulance) in mail["text"] and long_date(new_date, "nl") in mail["text"]
    # And the next day's run sends it no reminder: the new date has not passed
    sandbox.clock.set(day + timedelta(days=1))
    sandbox.run_dunning()
    assert [m for m in sandbox.outbox()[before:] if m["kenmerk"] == invoice.reference] == [mail]
    stored = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert (stored.current_final_payment_date, stored.reminder) == (new_date, None)


def test_r12_r34_one_transfer_for_two_patients_invoices_is_booked_as_the_payer_designated(
    sandbox, invoices
):
    """legal-nl.md §5 (art. 6:43: the payer's designation decides), R12, R34 (audit
    payments-in PAYIN3): given two patients' invoices A and B, paid by their parent."""
    a = invoices[0]
    b = next(i for i in invoices if i.patient_ref != a.patient_ref)
    both = f"nota {a.reference} en nota {b.reference}"
    # When a transfer of exactly A + B quoting both kenmerken is imported
    exact = credit(a.amount_due_cents + b.amount_due_cents, ustrd=(both,), tx_id="TX-AB")
    answer = sandbox.upload_bank_statement(statement(exact), "2026-11-24.xml")
    # Then each is paid what it owed, nothing is listed, and no reminder will go to B
    assert (answer["imported"][0]["booked"], answer["imported"][0]["unmatched"]) == (2, 0)
    for invoice in (a, b):
        paid = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
        assert (paid.amount_due_cents, paid.credit_cents) == (0, 0)


def test_r34_a_transfer_for_two_invoices_of_another_amount_is_matched_to_both(sandbox, invoices):
    """R34, legal-nl.md §5 (PAYIN3): given a transfer quoting two kenmerken that is
    € 1,00 short of what the two invoices owe together."""
    a, b = invoices[0], invoices[1]
    short = a.amount_due_cents + b.amount_due_cents - 100
    xml = statement(credit(short, ustrd=(f"{a.reference} {b.reference}",), tx_id="TX-AB"))
    sandbox.upload_bank_statement(xml, "2026-11-24.xml")
    # When an operator lists it and matches it to both kenmerken, in the payer's order
    [line] = as_operator(sandbox, "GET", "/api/v1/operator/unmatched-credits")[1]["items"]
    assert (line["reason"], line["kenmerk"]) == (
        "several_kenmerken",
        f"{a.reference}, {b.reference}",
    )
    path = f"/api/v1/operator/unmatched-credits/{line['credit_id']}/match"
    body = {"references": [a.reference, reference.grouped(b.reference)]}
    status, matched = as_operator(sandbox, "POST", path, body=body)
    # Then A is paid in full and B gets the rest: € 1,00 is still due on B
    assert status == 200
    assert [p["invoice_id"] for p in matched["matched_to"]] == [a.invoice_id, b.invoice_id]
    due = [
        sandbox.runtime.repository.get_invoice(PROVIDER, i.invoice_id).amount_due_cents
        for i in (a, b)
    ]
    assert due == [0, 100]
    # And the same references again are a retry: 200, nothing booked twice
    assert as_operator(sandbox, "POST", path, body=body)[0] == 200
    again = [
        sandbox.runtime.repository.get_invoice(PROVIDER, i.invoice_id).amount_due_cents
        for i in (a, b)
    ]
    assert again == due


def test_an_insurer_added_to_the_version_in_force_is_not_lost_at_the_next_version(sandbox):
    """R33 (versions; year end), audit register2: a 2027 version loaded in December, then
    an insurer added as the README says to the version in force, was unknown again from
    1 January 2027 at every practice, loaded with a 201 and no word.
    Given the shipped version and a 2027-01-01 version loaded already, both without 3999
    When an operator loads the 2025-01-01 version again with 3999 added
    Then it is refused (422 register_later_version_lacks), naming 3999, version
    2027-01-01.1 and how to confirm; nothing is loaded
    When the 2027 version is loaded again with the row first, the 2025 one is loaded, and
    a line of 3999 treated on 2027-01-04 is invoiced in January 2027
    And confirming an ending ("later_drops") is refused for a code that does not end and
    taken for exactly the code that does."""
    sandbox.clock.set(date(2026, 12, 7))
    assert load_register(sandbox, register_without_3999("2027-01-01"), "zz-2027")[0] == 201
    status, refused, _ = load_register(sandbox, register_adding_3999("2025-01-01"), "zz-add")
    assert (status, refused["error"]["code"]) == (422, "register_later_version_lacks")
    message = refused["error"]["message"]
    assert "3999" in message and "2027-01-01.1" in message and '"later_drops": ["3999"]' in message
    assert as_operator(sandbox, "GET", INSURERS)[1]["version"] == "2025-01-01.1"
    # Confirming the wrong code is refused; exactly the lost one would be taken
    status, wrong, _ = load_register_later(sandbox, register_adding_3999("2025-01-01"), ["9664"])
    assert (status, wrong["error"]["code"]) == (422, "register_later_drops_not_lost")
    # The way the refusal says: the later version first, then the one in force
    assert load_register(sandbox, register_adding_3999("2027-01-01"), "zz-2027b")[0] == 201
    status, loaded, _ = load_register(sandbox, register_adding_3999("2025-01-01"), "zz-add-b")
    assert (status, loaded["version"]) == (201, "2025-01-01.2")
    sandbox.clock.set(date(2027, 1, 12))
    data = declaration_csv(1, today=date(2027, 1, 6)).decode().split("\n")
    data[1] = data[1].replace(";7095;", ";3999;")  # treated on 2027-01-04
    assert ";3999;2027-01-04;" in data[1]
    report = upload_report(sandbox, "jan.csv", "\n".join(data).encode())
    assert report["findings"] == [], report


def test_an_ending_at_the_later_version_is_loaded_when_confirmed_exactly(sandbox):
    """R33: an insurer that stops on 1 January 2027 (the 2027 version leaves it out) can
    still be added to the version in force, confirming it ends then ("later_drops").
    Given a 2027-01-01 version without 3999 When the 2025-01-01 version with 3999 is
    loaded with "later_drops": ["3999"] Then it is loaded (201, 2025-01-01.2)
    And (R31: versioned, who changed what when; stop 47 small47a) the confirmed ending is
    kept with the load as its drops are: the answer, the version read back with ?on= and
    the stored load name 3999 (before, only who and when were kept, not what was confirmed)."""
    sandbox.clock.set(date(2026, 12, 7))
    assert load_register(sandbox, register_without_3999("2027-01-01"), "zz-2027")[0] == 201
    status, loaded, _ = load_register_later(sandbox, register_adding_3999("2025-01-01"), ["3999"])
    assert (status, loaded["version"]) == (201, "2025-01-01.2")
    read_back = as_operator(sandbox, "GET", INSURERS, query={"on": "2026-12-07"})[1]
    for shown in (loaded, read_back):
        assert (shown["version"], shown["drops"], shown["later_drops"]) == (
            "2025-01-01.2",
            [],
            ["3999"],
        )
    stored = sandbox.runtime.repository.insurer_register_load("2025-01-01.2")
    assert (stored.loaded_by, stored.later_drops) == (OPERATOR.user_id, ("3999",))


def register_without_3999(valid_from: str) -> str:
    """The shipped version as it is, from ``valid_from``."""
    rules = resources.files("billing_core.declarations.rules")
    shipped = rules.joinpath(SHIPPED_FILE).read_text(encoding="utf-8")
    return shipped.strip().replace(";2025-01-01;", f";{valid_from};")


def load_register_later(sandbox, csv, later_drops):
    body = {"csv": csv, "later_drops": later_drops}
    headers = {"Content-Type": "application/json", "Idempotency-Key": f"later-{later_drops}"}
    answer = sandbox.api_raw("POST", INSURERS, caller=OPERATOR, body=body, headers=headers)
    return answer["statusCode"], json.loads(answer["body"]), answer["headers"]


def test_an_operator_reads_the_version_in_force_on_any_day(sandbox):
    """R33 (versioned, with its history), audit register2: GET showed only today's
    version, so a 2027 version loaded in December could not be read back before 1 January
    nor the version a UZOVI_UNKNOWN finding names once another took over.
    Given a version loaded from 2027-01-01 When the operator reads ?on=2027-01-01 and
    ?on=2026-06-01 Then it reads that version, with who loaded it, and the shipped one;
    without ?on= it still reads today's; a day that is no date is a 400."""
    status, loaded, _ = load_register(sandbox, register_adding_3999("2027-01-01"), "zz-on")
    assert (status, loaded["version"]) == (201, "2027-01-01.1")
    status, future = as_operator(sandbox, "GET", INSURERS, query={"on": "2027-01-01"})
    assert (status, future["version"], future["loaded_by"]) == (
        200,
        "2027-01-01.1",
        OPERATOR.user_id,
    )
    assert "3999" in {i["uzovi"] for i in future["insurers"]}
    status, past = as_operator(sandbox, "GET", INSURERS, query={"on": "2026-06-01"})
    assert (status, past["version"]) == (200, "2025-01-01.1")
    assert as_operator(sandbox, "GET", INSURERS)[1]["version"] == "2025-01-01.1"
    assert as_operator(sandbox, "GET", INSURERS, query={"on": "1-1-2027"})[0] == 400


def test_r33_every_version_is_listed_so_a_later_one_is_found_without_its_date(sandbox):
    """R33 (versioned reference data an operator loads), audit register55: GET named only
    the version in force (or the one of a day ?on= names), so a version loaded for a later
    date could be found only by guessing that date.
    Given a version loaded from 2027-01-01
    When the operator reads the register of today, and the answer of the load
    Then both list every version, oldest first: the shipped one and the 2027 one."""
    status, loaded, _ = load_register(sandbox, register_adding_3999("2027-01-01"), "zz-list")
    assert status == 201
    status, today = as_operator(sandbox, "GET", INSURERS)
    assert (status, today["version"]) == (200, "2025-01-01.1")
    assert today["versions"] == loaded["versions"] == ["2025-01-01.1", "2027-01-01.1"]


def test_r38_r33_the_same_rows_in_another_order_are_the_version_loaded_already(sandbox):
    """R38 (a retry has no second effect), R33, audit register55: a version sent again with
    its rows in another order (the operator's spreadsheet sorted by name) was stored as a
    second version of its date, 2027-01-01.2, holding the same insurers.
    Given a version loaded from 2027-01-01
    When the same rows are loaded again in reverse order, under a new Idempotency-Key
    Then the answer is that version, 2027-01-01.1, and no other version is stored."""
    csv = register_adding_3999("2027-01-01")
    assert load_register(sandbox, csv, "zz-order-1")[0] == 201
    header, *rows = csv.splitlines()
    status, again, _ = load_register(sandbox, "\n".join([header, *reversed(rows)]), "zz-order-2")
    assert (status, again["version"]) == (201, "2027-01-01.1")
    stored = [v.version for v in sandbox.runtime.repository.insurer_registers()]
    assert stored == ["2027-01-01.1"]


def test_two_loads_at_once_of_different_dates_do_not_lose_an_insurer(sandbox, monkeypatch):
    """R33 (a version lists every insurer; a dropped code only when confirmed), R28 (a
    write on condition of what was read), audit register2: operator B's 2026-09-01 version
    was checked against the register without A's 2026-06-01 version that adds 3999, A's
    load landed between B's read and B's write, and both got 201: from 2026-09-01 3999 was
    unknown at every practice without anyone confirming it.
    Given the shipped register
    When B loads a 2026-09-01 version (the shipped rows) and, between B's read of the
    register and B's write, A loads a 2026-06-01 version with 3999 added
    Then A's load is 201 and B's is 409 concurrent_change: nothing of B's is stored
    When B loads again (a new Idempotency-Key), the checks run again on A's version
    Then it is refused, 422 register_drops_insurers naming 3999, and the version in force
    on 2026-10-01 is still A's."""
    repository = type(sandbox.runtime.repository)
    real_put = repository.put_insurer_register
    meanwhile: list[tuple[int, dict]] = []

    def put_after_a(store, register, *args, **kwargs):
        if register.valid_from == date(2026, 9, 1) and not meanwhile:
            status, a, _ = load_register(sandbox, register_adding_3999("2026-06-01"), "zz-a")
            meanwhile.append((status, a))
        return real_put(store, register, *args, **kwargs)

    monkeypatch.setattr(repository, "put_insurer_register", put_after_a)
    status, b, _ = load_register(sandbox, register_without_3999("2026-09-01"), "zz-b")
    monkeypatch.setattr(repository, "put_insurer_register", real_put)
    ((a_status, a),) = meanwhile
    assert (a_status, a["version"]) == (201, "2026-06-01.1")
    assert status == 409 and b["error"]["code"] == "concurrent_change", b
    october = {"on": "2026-10-01"}
    assert as_operator(sandbox, "GET", INSURERS, query=october)[1]["version"] == "2026-06-01.1"
    # B loads again: the checks now read A's version and name the code B's would drop
    status, again, _ = load_register(sandbox, register_without_3999("2026-09-01"), "zz-b2")
    assert (status, again["error"]["code"]) == (422, "register_drops_insurers"), again
    assert "3999" in again["error"]["message"]
    assert as_operator(sandbox, "GET", INSURERS, query=october)[1]["version"] == "2026-06-01.1"


def test_r6_a_version_that_changes_an_insurers_group_is_loaded_only_when_confirmed(
    sandbox, subtests
):
    """R33, R6 / legal-nl.md §6 (seed 004), audit onboard5 / register5: a version that
    turned 7095's group from "VGZ" to "Coöperatie VGZ" was loaded with a 201 and no word,
    and from its valid_from 7095's materials no longer went to the insurer first, at
    every practice (the group is compared exactly).
    Given the shipped version, and a 2026-01-01 version that adds 3999 (a new code, any
    group) and changes no group: loaded with nothing to confirm (201)
    When a 2026-01-01 version gives 7095 the group "Coöperatie VGZ", confirming nothing,
    or another code, or "drops" only
    Then it is refused (422), naming 7095, VGZ -> Coöperatie VGZ and the "group_changes"
    to send, in Dutch and English; nothing is loaded
    When it is sent with "group_changes": ["7095"] under a new key
    Then it is loaded (201), and the confirmed change is kept with the load as drops are."""
    assert load_register(sandbox, register_adding_3999("2026-01-01"), "zz-3999")[0] == 201
    turned = register_adding_3999("2026-01-01").replace("7095;VGZ;VGZ;", "7095;VGZ;Coöperatie VGZ;")
    status, refused, _ = load_register(sandbox, turned, "zz-group")
    assert (status, refused["error"]["code"]) == (422, "register_group_changes"), refused
    message = refused["error"]["message"]
    assert "7095 (VGZ -> Coöperatie VGZ)" in message and '"group_changes": ["7095"]' in message
    assert "groep" in message and "group" in message and "2026-01-01.1" in message
    for case, body, code in (
        ("another code", {"group_changes": ["0101"]}, "register_group_changes_not_changed"),
        ("both", {"group_changes": ["7095", "0101"]}, "register_group_changes_not_changed"),
        ("drops only", {"drops": ["7095"]}, "register_drops_not_left_out"),
    ):
        with subtests.test(case):
            answer = sandbox.api_raw(
                "POST",
                INSURERS,
                caller=OPERATOR,
                body={"csv": turned, **body},
                headers={"Content-Type": "application/json", "Idempotency-Key": f"zz-{case}"},
            )
            error = json.loads(answer["body"])["error"]
            assert (answer["statusCode"], error["code"]) == (422, code), error
    assert as_operator(sandbox, "GET", INSURERS)[1]["version"] == "2026-01-01.1"
    body = {"csv": turned, "group_changes": ["7095"]}
    headers = {"Content-Type": "application/json", "Idempotency-Key": "zz-group-ok"}
    answer = sandbox.api_raw("POST", INSURERS, caller=OPERATOR, body=body, headers=headers)
    loaded = json.loads(answer["body"])
    assert (answer["statusCode"], loaded["version"]) == (201, "2026-01-01.2"), loaded
    read_back = as_operator(sandbox, "GET", INSURERS, query={"on": "2026-01-01"})[1]
    for shown in (loaded, read_back):
        assert (shown["drops"], shown["group_changes"]) == ([], ["7095"])
    stored = sandbox.runtime.repository.insurer_register_load("2026-01-01.2")
    assert (stored.loaded_by, stored.group_changes) == (OPERATOR.user_id, ("7095",))


def test_r6_a_back_dated_version_confirms_the_group_changes_it_makes_at_the_later_version(
    sandbox,
):
    """R33, R6 / legal-nl.md §6 (audit register50): a back-dated version was compared with
    the version before its valid_from only, so one listing 3999 in "VGZ" under a 2027
    version listing it in "Nieuw" was loaded with a 201 and no word: from 1 January 2027
    3999's materials went to the patient instead of the insurer, at every practice.
    Given a 2027-01-01 version loaded already, listing 3999 in group "Nieuw"
    When an operator loads a 2026-06-01 version listing 3999 in "VGZ", confirming nothing
    Then it is refused (422 register_group_changes_later), naming 2027-01-01, 3999
    (VGZ -> Nieuw), version 2027-01-01.1 and the "group_changes" to send; nothing loaded
    When a version also turns 7095, the one refusal names both dates' changes
    When it is sent with "group_changes": ["3999"] under a new key
    Then it is loaded (201), with the confirmed code kept with the load."""
    sandbox.clock.set(date(2026, 12, 7))
    assert load_register(sandbox, register_adding_3999("2027-01-01"), "zz-2027")[0] == 201
    in_vgz = register_adding_3999("2026-06-01").replace(
        "3999;Nieuwe Zorgverzekeraar;Nieuw;", "3999;Nieuwe Zorgverzekeraar;VGZ;"
    )
    status, refused, _ = load_register(sandbox, in_vgz, "zz-back")
    assert (status, refused["error"]["code"]) == (422, "register_group_changes_later"), refused
    message = refused["error"]["message"]
    assert "2027-01-01: 3999 (VGZ -> Nieuw)" in message and "2026-06-01:" not in message
    assert "2027-01-01.1" in message and '"group_changes": ["3999"]' in message
    assert "groep" in message and "group" in message
    june = {"on": "2026-06-01"}
    assert as_operator(sandbox, "GET", INSURERS, query=june)[1]["version"] == "2025-01-01.1"
    both = in_vgz.replace("7095;VGZ;VGZ;", "7095;VGZ;Coöperatie VGZ;")
    status, refused, _ = load_register(sandbox, both, "zz-both")
    assert (status, refused["error"]["code"]) == (422, "register_group_changes_later"), refused
    assert (
        "2026-06-01: 7095 (VGZ -> Coöperatie VGZ); 2027-01-01: 3999 (VGZ -> Nieuw), 7095"
        " (Coöperatie VGZ -> VGZ)" in refused["error"]["message"]
    )
    assert '"group_changes": ["3999", "7095"]' in refused["error"]["message"]
    body = {"csv": in_vgz, "group_changes": ["3999"]}
    headers = {"Content-Type": "application/json", "Idempotency-Key": "zz-back-ok"}
    answer = sandbox.api_raw("POST", INSURERS, caller=OPERATOR, body=body, headers=headers)
    loaded = json.loads(answer["body"])
    assert (answer["statusCode"], loaded["version"], loaded["group_changes"]) == (
        201,
        "2026-06-01.1",
        ["3999"],
    )
    stored = sandbox.runtime.repository.insurer_register_load("2026-06-01.1")
    assert stored.group_changes == ("3999",)


def test_r34_one_correction_undoes_a_whole_stop_after_the_costs_and_the_patient_is_told_once(
    sandbox, emailed_invoice
):
    """R34, R21, R24, R27 (audit register50): a stop of the whole invoice after the
    collection costs books one entry per component (principal, costs); an operator's
    correction of the principal's undid that one only, so "that stop was a mistake" took
    a correction per entry, and the patient was sent an invoice_corrected for each, the
    first with an amount lacking the costs.
    Given an e-mailed invoice past its reminder's term (the costs charged on 15 January)
    And the practice stopping all of it on Monday 18 January (week 3)
    When an operator corrects the stop's first entry on Wednesday 27 January (week 4),
    and asks the same for its second entry after
    Then every entry of the stop is reversed, once, with the reason: all of it owed again
    And the patient gets one invoice_corrected, with the checker's amount due and the
    second notice's date to pay by (the costs were charged: that date stands)
    And week 4's retrocession statement shows the reversals, to the cent of the ledger."""
    invoice = emailed_invoice
    dunned_to(sandbox, REMINDER_DAY, COSTS_DAY)
    charged = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert charged.costs_charged_on == COSTS_DAY
    sandbox.clock.set(date(2027, 1, 18))
    staff = Caller.practice(PROVIDER, "staff")
    stop = {"scope": "full", "reason": "goodwill", "accept_terms": True}
    stop["patient_email"] = invoice.addressee.email
    path = f"/api/v1/provider/invoices/{invoice.invoice_id}/stop"
    assert sandbox.api("POST", path, caller=staff, body=stop)[0] == 200
    stopped = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    numbers = [n for n, e in enumerate(stopped.ledger, 1) if e.kind is EntryKind.STOP]
    assert {stopped.ledger[n - 1].component for n in numbers} >= {
        Component.PRINCIPAL,
        Component.COSTS,
    }
    sandbox.drain_deliveries()
    before = len(sandbox.outbox())
    sandbox.clock.set(date(2027, 1, 27))
    path = f"/api/v1/operator/invoices/{invoice.reference}/corrections"
    body = {"entry_id": numbers[0], "reason": "verkeerde nota gestopt"}
    status, corrected = as_operator(sandbox, "POST", path, body=body)
    assert status == 200 and corrected["balance_cents"] == charged.balance_cents
    again = {"entry_id": numbers[1], "reason": "nog eens"}
    assert as_operator(sandbox, "POST", path, body=again)[1] == corrected
    stored = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    reversals = stored.ledger[len(stopped.ledger) :]
    assert [(e.component, e.amount_cents, e.note) for e in reversals] == [
        (
            stopped.ledger[n - 1].component,
            -stopped.ledger[n - 1].amount_cents,
            f"correction of entry {n}: verkeerde nota gestopt",
        )
        for n in numbers
    ]
    sandbox.drain_deliveries()
    [mail] = [m for m in sandbox.outbox()[before:] if m["kenmerk"] == invoice.reference]
    _, checker = sandbox.api("GET", f"/api/v1/payment-status/{invoice.reference}")
    assert stored.current_final_payment_date == charged.current_final_payment_date
    assert checker["breakdown"]["pay_by_kind"] == "second_notice"
    pay_by = date.fromisoformat(checker["breakdown"]["pay_by"])
    amount = format_euros(checker["amount_due"])
    assert f"U betaalt nu nog {amount}, uiterlijk {long_date(pay_by, 'nl')}." in mail["text"]
    sandbox.clock.set(date(2027, 2, 1))
    sandbox.run_retrocession()
    week = json.loads(sandbox.output_object(f"retrocession/{PROVIDER}/2027-W04.json"))
    lines = [line for line in week["lines"] if line["reference"] == invoice.reference]
    assert [(line["component"], line["amount"], line["note"]) for line in lines] == [
        (e.component, e.amount_cents, e.note) for e in reversals
    ]
    assert week["totals_by_kind"]["stop"] == sum(e.amount_cents for e in reversals)
    assert sum(e.amount_cents for e in reversals) == charged.balance_cents
