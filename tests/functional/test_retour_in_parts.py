"""R5, R3, R39 (runs51c): a retour of the largest accepted size needs about an hour of AWS
requests and Lambda stops at 900 s; the run now goes on in parts, as the bank import's."""

from __future__ import annotations

import io
import json
import pickle
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
)

from billing_core.adapters.dynamo import keys
from billing_core.correspondence import delivery, pdf
from billing_core.declarations.claims import Claim
from billing_core.declarations.csv_format import parse_declaration_csv
from billing_core.declarations.record import DeclarationStatus
from billing_core.declarations.retour import retour_report_key
from billing_core.declarations.retour_parts import progress_key
from billing_core.declarations.vektis.layouts import PM305_V32
from billing_core.declarations.vektis.writer import Granted, Header, InsurerAnswer, write_retour
from billing_core.entrypoints import continued_runs
from billing_core.entrypoints.http.provider_models import DeclarationOut
from billing_core.invoices.invoice import Invoice
from local.sandbox import Sandbox, notified_key, retour_upload_key
from local.seed import PHYSIO
from local.vektis_samples import CSV_SAMPLES, PHYSIO_HEADER, SANDBOX_TODAY, VGZ, physio_claims

from .conftest import TODAY
from .test_retour_replay import PHYSIO_FILE

# Every patient's lines (six invoices), the splint VGZ pays part of among them: the last
# part invoices the rest to its patient (legal-nl.md §6), addressed as their invoice an
# earlier part changed.
CLAIMS = physio_claims()
CALL_ITSELF = continued_runs.call_itself  # as deployed: the local runtime runs it after


def _retour(percent: int, claims: Sequence[Claim] = CLAIMS) -> bytes:
    header: Header = replace(PHYSIO_HEADER, uzovi=VGZ)
    granted = {c.claim_ref: Granted(c.amount_cents * percent // 100, ("0611",)) for c in claims}
    answer = InsurerAnswer(reference="X", retour_date=SANDBOX_TODAY, file_codes=("0200",))
    return write_retour(PM305_V32, header, claims, granted, answer)


def _october_csv() -> bytes:
    """The splint's patient's treatments of October, declared with the e-mail address
    they gave then: another invoice of theirs, otherwise addressed than November's."""
    rows = (CSV_SAMPLES / "fysio-centrum-oost-2026-11.csv").read_text(encoding="utf-8")
    header, *lines = rows.splitlines()
    october = [
        line.replace("FCO-26-10", "FCO-26-00")
        .replace("2026-11-04", "2026-10-26")
        .replace("r.dijkstra@example.org", "r.dijkstra@oud.example.org")
        for line in lines
        if line.split(";")[1] == "FCO-2001" and ";SPL1;" not in line
    ]
    return "\n".join([header, *october, ""]).encode("utf-8")


OCTOBER = parse_declaration_csv(_october_csv(), today=SANDBOX_TODAY).claims


def _ledgers(invoices: Sequence[Invoice]) -> dict[tuple[str, ...], list[Any]]:
    """The ledger and addressees of each invoice of the test's claims, by its claims (each
    sandbox makes its own invoice ids)."""
    ours = {c.claim_ref for c in [*CLAIMS, *OCTOBER]}
    return {
        tuple(sorted(line.claim_ref for line in invoice.lines)): [
            invoice.patient,
            invoice.debtor,
            *[(e.kind.value, e.component.value, e.amount_cents, e.note) for e in invoice.ledger],
        ]
        for invoice in invoices
        if ours & {line.claim_ref for line in invoice.lines}
    }


_TYPESET: dict[bytes, bytes] = {}


def _each_invoice_typeset_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Delivery's invoice PDFs typeset once per distinct invoice in the process: "the
    same invoice always gives the same bytes" (render_invoice_pdf), and typesetting them
    was over half of these tests' time, each test delivering the same declaration's
    invoices in two sandboxes (one run, parts) that none of them reads. The key is the
    pickled arguments, every field of them, but the declaration's id and the invoice id
    derived from it: each sandbox's upload gets its own (its S3 version), which the PDF
    does not print (the same bytes from both sandboxes, seen). Two invoices that differ
    in anything else are each typeset."""
    typeset = pdf.render_invoice_pdf

    def once(invoice: Invoice, *args: Any, **kwargs: Any) -> bytes:
        key = pickle.dumps((invoice, args, sorted(kwargs.items())))
        for own, placeholder in (
            (invoice.declaration_id, b"<upload>"),
            (invoice.invoice_id, b"<id>"),
        ):
            key = key.replace(own.encode(), placeholder)
        if key not in _TYPESET:
            _TYPESET[key] = typeset(invoice, *args, **kwargs)
        return _TYPESET[key]

    monkeypatch.setattr(delivery, "render_invoice_pdf", once)


def _applied_retour(
    monkeypatch: pytest.MonkeyPatch,
    margin_ms: int,
    retour: bytes | None = None,
    earlier_csv: bytes | None = None,
) -> dict[str, Any]:
    """A fresh sandbox's declaration (after ``earlier_csv``'s, when given) and its retour
    (the 80% retour of the declaration by default), each part of the retour's run with
    ``margin_ms`` kept back (10**9: time for one invoice a part; 0: all in one)."""
    calls: list[dict[str, Any]] = []

    def recorded(context: Any, event: dict[str, Any]) -> None:
        calls.append(event)
        CALL_ITSELF(context, event)

    monkeypatch.setattr(continued_runs, "call_itself", recorded)
    monkeypatch.setattr(continued_runs, "SAFETY_MARGIN_MS", margin_ms)
    _each_invoice_typeset_once(monkeypatch)
    with Sandbox(TODAY) as sandbox:
        logger = sandbox.handler("retour_import").logger
        log = io.StringIO()  # the function logs INFO, the sandbox warnings only
        monkeypatch.setattr(logger.logger_handler, "stream", log)
        level = logger.log_level
        logger.setLevel("INFO")
        if earlier_csv is not None:
            sandbox.upload_declaration(PHYSIO.provider_id, "okt.csv", earlier_csv)
        sandbox.upload_declaration(PHYSIO.provider_id, "nov.pm304", PHYSIO_FILE.read_bytes())
        sandbox.drain_deliveries()
        retour = _retour(80) if retour is None else retour
        upload_id = sandbox.upload_retour(PHYSIO.provider_id, "VGZ retour.pm305", retour)
        sandbox.drain_deliveries()
        report = json.loads(sandbox.output_object(retour_report_key(PHYSIO.provider_id, upload_id)))
        invoices, _ = sandbox.runtime.repository.list_invoices(PHYSIO.provider_id)
        again = sandbox.invoke("retour_import", calls[-1]) if calls else None
        later = json.loads(sandbox.output_object(retour_report_key(PHYSIO.provider_id, upload_id)))
        logger.setLevel(level)
    ledgers = _ledgers(invoices)
    same = ("format", "status", "outcome", "summary", "findings", "finding_counts")
    # Each sandbox makes its own invoice ids: a line's invoice is named by its claims.
    on_invoice = {i.invoice_id: sorted(line.claim_ref for line in i.lines) for i in invoices}
    lines = [line | {"invoice_id": on_invoice.get(line["invoice_id"])} for line in report["lines"]]
    logged = [json.loads(line) for line in log.getvalue().splitlines() if "{" in line]
    return {
        "log": [line for line in logged if line.get("message", "").startswith("retour ")],
        "calls": calls,
        "report": {name: report[name] for name in same} | {"lines": lines},
        "ledgers": ledgers,
        "again": again,
        "unchanged_by_again": later == report,
    }


def test_r5_r3_a_retour_longer_than_one_run_is_applied_over_several_parts_as_in_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """R5, R3, R39 (runs51c: ~90,000 invoices take ~an hour, Lambda stops at 900 s, its
    retries reached ~39,000 invoices).
    Given a declaration of several patients' invoices and the insurer's 80% retour
    When the retour is applied by runs that each have time for one invoice only
    Then each part calls the function again with the upload and the invoices done (no
    personal data), one call per invoice after the first, and the last part writes the
    report: the same report and the same ledgers as a run in one part; the last part
    delivered again does nothing twice (answered from its record, the report as it was)."""
    # Given/When: the same file applied in one run, and in parts of one invoice.
    whole = _applied_retour(monkeypatch, 0)
    parts = _applied_retour(monkeypatch, 10**9)

    # Then: one run did it all, without calling itself.
    assert whole["calls"] == []
    # The parts: each call names the upload and how far, no patient's data.
    done = [call[continued_runs.RETOUR_CONTINUES]["invoices_done"] for call in parts["calls"]]
    applied = [line for line in whole["report"]["lines"] if line["result"] == "applied"]
    invoices = len({tuple(line["invoice_id"]) for line in applied})
    assert invoices == 6
    assert done == [str(n) for n in range(1, invoices)]
    assert all(
        set(call[continued_runs.RETOUR_CONTINUES])
        == {"bucket", "key", "version", "etag", "invoices_done"}
        for call in parts["calls"]
    )
    # The same effects as one uninterrupted run.
    assert parts["report"] == whole["report"]
    assert parts["ledgers"] == whole["ledgers"]
    summary = whole["report"]["summary"]
    assert (summary["lines_applied"], summary["invoices_created"]) == (len(CLAIMS) - 1, 1)
    # The last part delivered again: answered from its idempotency record, nothing redone.
    [answer] = parts["again"]["processed"]
    assert answer["outcome"] == whole["report"]["outcome"]
    assert parts["unchanged_by_again"]
    # The log: how far each part got (counts only), and one line for the whole file.
    said = [line["message"] for line in parts["log"]]
    assert said.count("retour progress") == invoices - 1
    assert said.count("retour continues in a next part") == invoices - 1
    [applied] = [line for line in parts["log"] if line["message"] == "retour applied"]
    [in_one] = [line for line in whole["log"] if line["message"] == "retour applied"]
    assert (applied["parts"], in_one["parts"]) == (invoices, 1)
    assert applied["summary"] == in_one["summary"]
    assert "FCO-2001" not in json.dumps(parts["log"])  # no patient's number (R29)


def test_r5_legal_6_the_last_part_addresses_a_rejected_material_as_one_run_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """legal-nl.md §6, R5, R7, R3, R39: the splint VGZ pays part of becomes its patient's
    invoice, addressed as the patient's invoice the file changed first; in parts, that
    invoice was changed by an earlier part (retour_parts keeps it per patient, hashed).
    Given the patient's October invoice (their e-mail address of then) and November's
    declaration (their splint, their invoice with the address of now), and a retour that
    answers the October invoice first, then November's lines
    When the retour is applied in one run, and in parts of one invoice each
    Then the splint's invoice is addressed alike both ways: as the October invoice, the
    first the file changed, which the last part (November's last patient) did not read;
    not as the invoice the splint's claim marker names (November's)."""
    # Given: the October lines first in the file, then November's.
    retour = _retour(80, [*OCTOBER, *CLAIMS])

    # When: in one run, and in parts of one invoice each.
    whole = _applied_retour(monkeypatch, 0, retour, _october_csv())
    parts = _applied_retour(monkeypatch, 10**9, retour, _october_csv())

    # Then: the same report and ledgers (the addressee among them) as one run.
    [splint] = [c.claim_ref for c in CLAIMS if c.treatment_code == "SPL1"]
    [made] = [ledger for refs, ledger in whole["ledgers"].items() if refs == (splint,)]
    assert made[0].email == "r.dijkstra@oud.example.org"  # the October invoice's
    assert len(parts["calls"]) == 6  # 7 invoices, each its own part
    assert parts["report"] == whole["report"]
    assert parts["ledgers"] == whole["ledgers"]


def _retour_in_bucket(sandbox: Sandbox, upload_id: str) -> dict[str, Any]:
    """The declaration, and its 80% retour put under retour/: S3's event of it."""
    sandbox.upload_declaration(PHYSIO.provider_id, "nov.pm304", PHYSIO_FILE.read_bytes())
    sandbox.drain_deliveries()
    key = retour_upload_key(PHYSIO.provider_id, upload_id)
    bucket = sandbox.names.declarations_bucket
    put = sandbox.runtime.s3.put_object(Bucket=bucket, Key=key, Body=_retour(80))
    version, etag = put.get("VersionId", ""), put["ETag"].strip('"')
    return sandbox._s3_event("retour_import", bucket, notified_key(key), version, etag)


def _parts_called(monkeypatch: pytest.MonkeyPatch, die_after_first: bool) -> list[dict[str, Any]]:
    """The calls the parts make of the next one, kept for the test to deliver (each part
    with time for one invoice); with ``die_after_first``, the first part's run dies just
    after its call (Lambda retries its event: its idempotency record is released)."""
    calls: list[dict[str, Any]] = []

    def kept(context: Any, event: dict[str, Any]) -> None:
        calls.append(event)
        if die_after_first and len(calls) == 1:
            raise RuntimeError("the run dies after calling its next part")

    monkeypatch.setattr(continued_runs, "call_itself", kept)
    monkeypatch.setattr(continued_runs, "SAFETY_MARGIN_MS", 10**9)
    _each_invoice_typeset_once(monkeypatch)
    return calls


def _report(sandbox: Sandbox, upload_id: str) -> dict[str, Any]:
    report = json.loads(sandbox.output_object(retour_report_key(PHYSIO.provider_id, upload_id)))
    return {
        "outcome": report["outcome"],
        "summary": report["summary"],
        "results": [line["result"] for line in report["lines"]],
    }


def test_r3_a_retour_or_its_part_delivered_twice_goes_on_in_one_chain(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """R3, R5, R39: S3 delivers an event at least once, Lambda an asynchronous call too.
    Given the declaration, its 80% retour in the bucket, and runs with time for one
    invoice each
    When S3 delivers the retour's event twice at once (the second while the first runs)
    and once more after it, and the chain's second part is delivered twice at once and
    once more after it
    Then a delivery while its twin runs fails as in progress (Lambda hands it out again
    later), one after is answered from its record: each part calls the next once (one
    chain: five calls for six invoices), each part is applied once, and the report is
    the one of a run in one part."""
    whole = _applied_retour(monkeypatch, 0)["report"]
    calls = _parts_called(monkeypatch, die_after_first=False)
    with Sandbox(TODAY) as sandbox:
        event = _retour_in_bucket(sandbox, "u1-retour")
        app = sandbox.handler("retour_import")
        apply, at_once, ran = app.apply_retour_upload, [], []

        def applied_while_delivered_again(upload: Any, *rest: Any) -> Any:
            ran.append(upload.declaration_id)
            if len(at_once) < 2:  # the S3 event's twin, then the second part's
                again = event if not at_once else calls[0]
                at_once.append(again)
                with pytest.raises(IdempotencyAlreadyInProgressError):
                    sandbox.invoke("retour_import", again)
            return apply(upload, *rest)

        monkeypatch.setattr(app, "apply_retour_upload", applied_while_delivered_again)
        # When: the event, its twin at once; the chain delivered, its second part twice.
        [started] = sandbox.invoke("retour_import", event)["processed"]
        answers = [sandbox.invoke("retour_import", call) for call in calls[:1]]
        later = [sandbox.invoke("retour_import", event), sandbox.invoke("retour_import", calls[0])]
        while len(calls) > len(answers):
            answers.append(sandbox.invoke("retour_import", calls[len(answers)]))
        report = _report(sandbox, "u1-retour")

    # Then: both twins at once failed as in progress; those after answered as the first.
    assert at_once == [event, calls[0]]
    assert later == [{"processed": [started]}, answers[0]]
    # One chain: one call per next part, in order.
    done = [call[continued_runs.RETOUR_CONTINUES]["invoices_done"] for call in calls]
    assert done == ["1", "2", "3", "4", "5"]
    assert answers[-1]["processed"][0]["outcome"] == whole["outcome"]
    # Each part applied once (the first and five calls), and the report as in one run.
    assert ran == ["u1-retour"] * 6
    assert report == {
        "outcome": whole["outcome"],
        "summary": whole["summary"],
        "results": [line["result"] for line in whole["lines"]],
    }


def test_r3_a_retried_first_part_leaves_the_chain_its_own_progress(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """R3, R5, R39: each part reads the progress the part that called it wrote.
    Given the declaration, its 80% retour in the bucket, runs with time for one invoice
    each, and the S3 event's run dying just after it called the second part
    When the second part goes on (it writes how far it is: 2 invoices) and then Lambda
    retries the S3 event (its new first part writes its own progress: 1 invoice, and
    calls the second part again)
    Then the third part goes on from the second's progress, not the retry's: the file
    is finished (before: the third part read the retry's, did the second invoice again,
    called itself as the third part and was answered from its own record, so the file
    never finished, its upload processing for ever), the retry's call of the second part
    is answered from its record, and the report is the one of a run in one part."""
    whole = _applied_retour(monkeypatch, 0)["report"]
    calls = _parts_called(monkeypatch, die_after_first=True)
    with Sandbox(TODAY) as sandbox:
        event = _retour_in_bucket(sandbox, "u1-retour")
        # Given: the first run dies after its call; When: the second part, then the retry.
        with pytest.raises(RuntimeError):
            sandbox.invoke("retour_import", event)
        second = sandbox.invoke("retour_import", calls[0])
        [retried] = sandbox.invoke("retour_import", event)["processed"]
        answers = [second]
        while len(calls) > len(answers):
            answers.append(sandbox.invoke("retour_import", calls[len(answers)]))
        record = sandbox.runtime.repository.get_declaration(PHYSIO.provider_id, "u1-retour")
        report = _report(sandbox, "u1-retour")

    # Then: the retry got as far as its first part, and its call was answered as before.
    assert (retried["outcome"], retried["invoices_done"]) == ("continued", 1)
    done = [call[continued_runs.RETOUR_CONTINUES]["invoices_done"] for call in calls]
    assert done == ["1", "2", "1", "3", "4", "5"]
    assert answers[2] == second
    # The chain finished the file: the record processed, the report as in one run.
    assert record is not None and record.status is DeclarationStatus.PROCESSED
    assert answers[-1]["processed"][0]["outcome"] == whole["outcome"]
    assert report == {
        "outcome": whole["outcome"],
        "summary": whole["summary"],
        "results": [line["result"] for line in whole["lines"]],
    }


def _stopped_retour_and_one_rejected_whole(sandbox, calls):
    """A retour stopped half-way (its earlier parts' progress gone, its next part run) and
    a file that is no retour, rejected whole: the latter's upload."""
    _two_parts_done_their_progress_gone(sandbox, calls)
    sandbox.invoke("retour_import", calls[1])
    not_a_retour = sandbox.upload_retour(PHYSIO.provider_id, "leeg.pm305", b"geen retour\r\n")
    sandbox.drain_deliveries()
    return not_a_retour


def _two_parts_done_their_progress_gone(sandbox: Sandbox, calls: list[dict[str, Any]]) -> None:
    """Given: the first two parts of u1-retour done, the second's progress gone (the
    lifecycle); ``calls[1]`` is then the third part, still to be delivered."""
    sandbox.invoke("retour_import", _retour_in_bucket(sandbox, "u1-retour"))
    sandbox.invoke("retour_import", calls[0])
    gone = progress_key(PHYSIO.provider_id, "u1-retour", 2)
    sandbox.runtime.s3.delete_object(Bucket=sandbox.names.output_bucket, Key=gone)


def test_r5_r39_a_part_whose_progress_is_gone_stops_the_file_said_and_a_new_upload_finishes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """R5, R39, R3 (runs53b): a part replayed after its progress file's 7 + 1 days.
    Given the declaration, its 80% retour in the bucket, runs with time for one invoice
    each, the second part done (its progress: 2 invoices) and that progress then gone
    When the third part is delivered, and delivered again, and the practice uploads the
    same file again as a new upload
    Then the third part refuses the file, said: the upload rejected with
    RETOUR_PROGRESS_GONE (after 2 invoices, upload it again), an error line and the
    metric RetourProgressGoneAlarm reads; no next part called (before: it applied the
    file from its start, stopped after one invoice, called "1 done" again, was answered
    from the first part's record, and the upload stayed processing for ever, nobody
    told). Delivered again, it is answered from its record. The new upload applies the
    rest: the ledgers as one run's, nothing twice, the first two invoices' lines unchanged."""
    whole = _applied_retour(monkeypatch, 0)
    calls = _parts_called(monkeypatch, die_after_first=False)
    with Sandbox(TODAY) as sandbox:
        emitted: dict[str, float] = {}
        app = sandbox.handler("retour_import")

        def add_metric(name: str, unit: Any, value: float, **_: Any) -> None:
            emitted[name] = emitted.get(name, 0) + value

        monkeypatch.setattr(app.metrics, "add_metric", add_metric)
        log = io.StringIO()
        monkeypatch.setattr(app.logger.logger_handler, "stream", log)
        _two_parts_done_their_progress_gone(sandbox, calls)
        # When: the third part, delivered twice.
        [third, again] = [sandbox.invoke("retour_import", calls[1]) for _ in range(2)]
        record = sandbox.runtime.repository.get_declaration(PHYSIO.provider_id, "u1-retour")
        stopped = json.loads(
            sandbox.output_object(retour_report_key(PHYSIO.provider_id, "u1-retour"))
        )
        errors = [json.loads(line) for line in log.getvalue().splitlines() if '"ERROR"' in line]
        # When: the same file uploaded again, applied in one run.
        monkeypatch.setattr(continued_runs, "SAFETY_MARGIN_MS", 0)
        new_upload = sandbox.upload_retour(PHYSIO.provider_id, "VGZ retour.pm305", _retour(80))
        sandbox.drain_deliveries()
        finished = _report(sandbox, new_upload)
        invoices, _ = sandbox.runtime.repository.list_invoices(PHYSIO.provider_id)

    # Then: the third part refused the file, no next part called, the upload says so.
    assert third == again == {"processed": [{"declaration_id": "u1-retour", "outcome": "rejected"}]}
    assert [call[continued_runs.RETOUR_CONTINUES]["invoices_done"] for call in calls] == ["1", "2"]
    assert record is not None and record.status is DeclarationStatus.REJECTED
    [finding] = stopped["findings"]
    assert (finding["code"], finding["severity"]) == ("RETOUR_PROGRESS_GONE", "file_rejected")
    assert (
        "after 2 invoices" in finding["message_en"]
        and "Upload the file again" in finding["message_en"]
    )
    assert "na 2 nota's" in finding["message"]
    # The operator's error line and the alarm's metric, once.
    [error] = errors
    assert error["message"] == "retour stopped: its progress is gone"
    assert (error["declaration_id"], error["finding_codes"]) == (
        "u1-retour",
        ["RETOUR_PROGRESS_GONE"],
    )
    assert emitted["Retour_progress_gone"] == 1
    # The new upload applied the rest: the same ledgers as one run, nothing twice.
    assert _ledgers(invoices) == whole["ledgers"]
    first_two = list(
        dict.fromkeys(
            tuple(line["invoice_id"])
            for line in whole["report"]["lines"]
            if line["result"] == "applied"
        )
    )[:2]
    expected = [
        "unchanged"
        if line["invoice_id"] and tuple(line["invoice_id"]) in first_two
        else line["result"]
        for line in whole["report"]["lines"]
    ]
    assert finished["results"] == expected
    assert finished["outcome"] == whole["report"]["outcome"]
    assert finished["summary"]["invoices_created"] == 1  # the splint, to its patient (§6)


def test_r5_r39_a_retour_stopped_half_way_is_rejected_yet_its_page_says_its_booking_stays(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """R5, R39, R40 (interfaces.md: upload states; retourstate54): ``rejected`` means
    nothing in the file was processed, but a retour stopped half-way is rejected after
    its earlier parts booked invoices.
    Given a retour stopped half-way (its third part found the progress gone: 2 invoices
    booked) and, for contrast, a retour file that is no retour at all (rejected whole)
    When the practice opens each upload's page in the portal, in Dutch and in English
    Then the stopped one's summary says, in words, that it stopped half-way, what its
    earlier parts did stays and uploading the file again finishes it (before: only
    "Afgewezen"/"Rejected" and counts of 0, as for a file of which nothing was done);
    the other's page does not say so. The API's documented states say the same."""
    from tests.functional.test_provider_portal import PortalUser, sample_login

    calls = _parts_called(monkeypatch, die_after_first=False)
    with Sandbox(TODAY) as sandbox:
        # Given: the stopped retour, and one rejected whole.
        not_a_retour = _stopped_retour_and_one_rejected_whole(sandbox, calls)
        # When: the practice reads both pages, in both languages.
        staff = PortalUser(sandbox)
        staff.sign_in(sample_login(PHYSIO, "staff"))
        pages: dict[tuple[str, str], str] = {}
        for language in ("nl", "en"):
            staff.request("GET", f"/portal/taal/{language}")
            for upload_id in ("u1-retour", not_a_retour):
                status, html = staff.page(f"/portal/declaraties/{upload_id}")
                assert status == 200
                pages[language, upload_id] = html

    # Then: both rejected; the stopped one says its earlier parts' booking stays.
    for language in ("nl", "en"):
        for upload_id in ("u1-retour", not_a_retour):
            status = re.search(r'<dd id="upload-status">([^<]*)</dd>', pages[language, upload_id])
            assert status is not None
            assert status.group(1) == {"nl": "Afgewezen", "en": "Rejected"}[language]
    said = {
        language: re.search(
            r'<p id="upload-stopped-half-way">([^<]*)</p>', pages[language, "u1-retour"]
        )
        for language in ("nl", "en")
    }
    assert said["nl"] is not None and said["en"] is not None
    assert said["nl"].group(1) == (
        "Dit retourbestand is halverwege gestopt. Wat de eerdere delen ervan al verwerkten,"
        " blijft staan; de aantallen hieronder tellen dat niet mee. Upload het bestand"
        " opnieuw om het af te maken: niets wordt dubbel verwerkt."
    )
    assert said["en"].group(1) == (
        "This retour file stopped half-way. What its earlier parts processed stays; the"
        " counts below do not include it. Upload the file again to finish it: nothing is"
        " processed twice."
    )
    assert all(
        'id="upload-stopped-half-way"' not in pages[lang, not_a_retour] for lang in ("nl", "en")
    )
    # The API's documented states: rejected is not "nothing" for such a retour.
    for name in ("status", "outcome"):
        described = DeclarationOut.model_fields[name].description or ""
        assert "nothing" in described and "except a retour stopped half-way" in described
        assert "RETOUR_PROGRESS_GONE" in described


def _outcome_cell(html: str, upload_id: str) -> str:
    """What an upload's row in the portal's list (or its line on the overview) says after
    its file name: its status and outcome, tags dropped."""
    row = re.search(rf'<a href="/portal/declaraties/{upload_id}">.*?(</tr>|</li>)', html, re.S)
    assert row is not None, upload_id
    return " ".join(re.sub(r"<[^>]+>", " ", row.group(0)).split())


def test_r5_r39_r35_the_list_of_uploads_says_a_retour_stopped_half_way_not_only_rejected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """R5, R39, R35 (stoppedrow54; retourstate54 said it on the upload's page only).
    Given a retour stopped half-way (its third part found the progress gone: 2 invoices
    booked) and, for contrast, a retour file that is no retour at all (rejected whole)
    When the practice reads the declarations list and the overview, in Dutch and in
    English, and the provider API's list and details
    Then the stopped one's row says it stopped half-way and was partly processed, the
    other's only "Afgewezen"/"Rejected" (before: both only "Afgewezen"/"Rejected", as for
    a file of which nothing was processed); the API's list item says stopped_half_way
    true, the other's false. A record stored before it kept the flag (the attribute
    removed) reads as not stopped in the list, and its detail still says it, from its
    report's findings."""
    from tests.functional.test_provider_portal import PortalUser, sample_login

    calls = _parts_called(monkeypatch, die_after_first=False)
    with Sandbox(TODAY) as sandbox:
        # Given: the stopped retour, and one rejected whole.
        not_a_retour = _stopped_retour_and_one_rejected_whole(sandbox, calls)
        # When: the practice reads the list and the overview, in both languages.
        staff = PortalUser(sandbox)
        staff.sign_in(sample_login(PHYSIO, "staff"))
        cells: dict[tuple[str, str, str], str] = {}
        for language in ("nl", "en"):
            staff.request("GET", f"/portal/taal/{language}")
            for path in ("/portal/declaraties", "/portal/"):
                status, html = staff.page(path)
                assert status == 200
                for upload_id in ("u1-retour", not_a_retour):
                    cells[language, path, upload_id] = _outcome_cell(html, upload_id)
        # When: the API's list and the stopped one's detail; then as stored before.
        api = PHYSIO.provider_id
        _, listed = sandbox.api("GET", "/api/v1/provider/declarations", provider_id=api)
        _, detail = sandbox.api("GET", "/api/v1/provider/declarations/u1-retour", provider_id=api)
        key = keys.declaration_key(PHYSIO.provider_id, "u1-retour")
        table = sandbox.runtime.repository._table
        assert table.get_item(Key=key)["Item"]["stopped_half_way"] is True
        table.update_item(Key=key, UpdateExpression="REMOVE stopped_half_way")
        _, listed_old = sandbox.api("GET", "/api/v1/provider/declarations", provider_id=api)
        _, detail_old = sandbox.api(
            "GET", "/api/v1/provider/declarations/u1-retour", provider_id=api
        )

    # Then: the stopped one's row says it, in each language; the other's only rejected.
    stopped = {
        "nl": "Afgewezen: halverwege gestopt, deels verwerkt",
        "en": "Rejected: stopped half-way, partly processed",
    }
    for language in ("nl", "en"):
        rejected = {"nl": "Afgewezen", "en": "Rejected"}[language]
        # The list: the status, then the outcome; the overview: "— " and the outcome.
        for path, before in (("/portal/declaraties", f" {rejected} "), ("/portal/", " — ")):
            stopped_row = cells[language, path, "u1-retour"]
            assert stopped_row.endswith(before + stopped[language]), stopped_row
            other_row = cells[language, path, not_a_retour]
            assert other_row.endswith(before + rejected), other_row
            assert stopped[language] not in other_row
    # The API: the list item and the detail say it; the other upload's says false.
    flags = {item["declaration_id"]: item["stopped_half_way"] for item in listed["items"]}
    assert flags["u1-retour"] is True and flags[not_a_retour] is False
    assert detail["status"] == "rejected" and detail["stopped_half_way"] is True
    # A record written before the flag was kept: not stopped in the list, the detail says it.
    old = {item["declaration_id"]: item["stopped_half_way"] for item in listed_old["items"]}
    assert old["u1-retour"] is False
    assert detail_old["stopped_half_way"] is True
