"""Safe retries (R38, issue 12 item 8): a provider POST or PATCH with an Idempotency-Key
is carried out once; Stripe's semantics."""

from __future__ import annotations

import json

import pytest

from billing_core.invoices import updates
from billing_core.invoices.ledger import EntryKind
from billing_core.ports import ConcurrentChange
from local.sandbox import Caller
from local.seed import DENTAL, PHYSIO
from local.server import SandboxServer
from local.vektis_samples import west_settings
from tests.functional.conftest import idempotency_records_expired
from tests.functional.test_operator_api import PROVIDERS, new_practice, plant_legacy_provider
from tests.functional.test_provider_portal import (
    PortalUser,
    console_of_a_crash,
    sample_login,
    stop_form,
)
from tests.functional.test_refunds import paid_twice, refund_body

STOP = {
    "scope": "partial",
    "reason": "non_contracted_coulance",
    "accept_terms": True,
}


@pytest.fixture
def invoice(emailed_invoice):
    return emailed_invoice


def stop(sandbox, invoice, key, provider=DENTAL.provider_id, **changes):
    headers = {"Content-Type": "application/json"} | ({"Idempotency-Key": key} if key else {})
    answer = sandbox.api_raw(
        "POST",
        f"/api/v1/provider/invoices/{invoice.invoice_id}/stop",
        provider_id=provider,
        # A quarter of what is open: two such stops always fit (R21: never more than open).
        body=STOP
        | {"patient_email": invoice.addressee.email, "amount": invoice.amount_due_cents // 4}
        | changes,
        headers=headers,
    )
    return answer["statusCode"], answer["body"], answer.get("headers") or {}


def coulance_entries(sandbox, invoice):
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id)
    return [e for e in stored.ledger if e.kind is EntryKind.COULANCE]


def test_two_identical_stops_book_one_coulance_entry(sandbox, invoice):
    # Given a practice whose connection dropped after it sent a stop
    first = stop(sandbox, invoice, "stop-2026-11-24-001")
    # When its software sends the same request again with the same key
    again = stop(sandbox, invoice, "stop-2026-11-24-001")
    # Then it gets the first answer again, told it is a replay, and one coulance is booked
    assert first[0] == 200 and again[:2] == first[:2]
    assert (first[2]["Idempotent-Replayed"], again[2]["Idempotent-Replayed"]) == ("false", "true")
    assert len(coulance_entries(sandbox, invoice)) == 1


def test_without_a_key_every_request_is_carried_out(sandbox, invoice):
    assert stop(sandbox, invoice, None)[0] == stop(sandbox, invoice, None)[0] == 200
    assert len(coulance_entries(sandbox, invoice)) == 2


def test_the_same_key_with_another_body_is_a_422_and_changes_nothing(sandbox, invoice):
    stop(sandbox, invoice, "k-1")
    status, body, _ = stop(sandbox, invoice, "k-1", amount=900)
    assert status == 422 and '"idempotency_key_reused"' in body
    assert [e.amount_cents for e in coulance_entries(sandbox, invoice)] == [
        -(invoice.amount_due_cents // 4)
    ]


def test_a_retry_with_the_same_json_spaced_otherwise_is_a_replay_not_a_422(sandbox, invoice):
    """R38, interfaces.md §2 (Idempotency-Key): Given a stop sent with a key, whose body
    API Gateway passes base64 as every body (template.yaml BinaryMediaTypes */*)
    When the practice's software retries it with the same key and the same JSON, spaced
    and ordered otherwise (another serializer after a restart)
    Then it is a replay of the first answer, not 422 idempotency_key_reused: the key's
    record compared the base64 text, in which one space changes everything."""
    body = STOP | {
        "patient_email": invoice.addressee.email,
        "amount": invoice.amount_due_cents // 4,
    }
    path = f"/api/v1/provider/invoices/{invoice.invoice_id}/stop"
    key = {"Idempotency-Key": "stop-spacing-1"}
    sent = [json.dumps(body), json.dumps(dict(reversed(body.items())), separators=(",", ":"))]
    first, again = (
        sandbox.api_raw("POST", path, provider_id=DENTAL.provider_id, body=text, headers=key)
        for text in sent
    )
    assert (first["statusCode"], again["statusCode"]) == (200, 200), again["body"]
    assert again["headers"]["Idempotent-Replayed"] == "true"
    assert len(coulance_entries(sandbox, invoice)) == 1


def test_a_retry_without_the_refused_query_parameter_is_not_given_the_refusal_again(
    sandbox, invoice
):
    """R38 ("same key and body -> the first answer again"), interfaces.md §2: Given a stop
    sent with a key and a query parameter the route does not take (refused 400,
    an answer kept under the key as any refusal of what was asked)
    When the practice's software sends it again with the same key, without the parameter
    Then it is another request (422 idempotency_key_reused), not the stale 400 again as if
    the query string were no part of the request; and nothing was booked either time."""
    body = STOP | {
        "patient_email": invoice.addressee.email,
        "amount": invoice.amount_due_cents // 4,
    }
    path = f"/api/v1/provider/invoices/{invoice.invoice_id}/stop"
    key = {"Idempotency-Key": "stop-query-1"}

    def send(query):
        return sandbox.api_raw(
            "POST", path, provider_id=DENTAL.provider_id, body=body, query=query, headers=key
        )

    refused = send({"dry_run": "1"})
    assert refused["statusCode"] == 400 and "query.dry_run" in refused["body"]
    assert send({"dry_run": "1"})["headers"]["Idempotent-Replayed"] == "true"
    again = send(None)
    assert again["statusCode"] == 422 and '"idempotency_key_reused"' in again["body"]
    assert coulance_entries(sandbox, invoice) == []


def test_a_key_belongs_to_its_tenant(sandbox, invoice):
    # Another practice using the same key gets its own answer (404: not its invoice)
    stop(sandbox, invoice, "k-1")
    assert stop(sandbox, invoice, "k-1", provider=PHYSIO.provider_id)[0] == 404


def test_a_refusal_for_what_was_asked_is_kept_and_a_conflict_is_not(sandbox, invoice, monkeypatch):
    # A refusal of the request itself is the answer for that key ...
    refused = stop(sandbox, invoice, "k-2", accept_terms=False)
    assert (
        refused[0] == 422 and stop(sandbox, invoice, "k-2", accept_terms=False)[:2] == (refused[:2])
    )
    assert coulance_entries(sandbox, invoice) == []
    # ... and a change that kept losing its race to someone else's (R28) is not (audit58d:
    # the half of this test its name promised): Given a stop sent with a key while the
    # invoice is changed at every attempt to save it, answered 409 concurrent_change
    repository = sandbox.runtime.repository
    save = repository.save_invoice

    def changed_meanwhile(changed):
        raise ConcurrentChange(changed.invoice_id)

    monkeypatch.setattr(repository, "save_invoice", changed_meanwhile)
    monkeypatch.setattr(updates, "pause", lambda attempt: None)  # its retries, at once
    lost = stop(sandbox, invoice, "k-3")
    assert (lost[0], json.loads(lost[1])["error"]["code"]) == (409, "concurrent_change")
    assert coulance_entries(sandbox, invoice) == []
    # When the practice's software sends it again with the same key, the race over
    monkeypatch.setattr(repository, "save_invoice", save)
    retried = stop(sandbox, invoice, "k-3")
    # Then it is carried out (not the 409 again), and the stop is booked once
    assert (retried[0], retried[2]["Idempotent-Replayed"]) == (200, "false")
    assert [e.amount_cents for e in coulance_entries(sandbox, invoice)] == [
        -(invoice.amount_due_cents // 4)
    ]


def test_a_write_refused_for_unreadable_settings_is_carried_out_when_retried_after_repair(
    sandbox,
):
    """R38 (a retry gets the first answer only when something was decided), R31 (audit
    round 49 idem4): the API kept 409 provider_unreadable under the key, so the request
    sent again after zorgnota repaired the settings got that 409 again for 24 hours
    (Idempotent-Replayed: true); the portal keeps no such answer under a form's key."""
    # Given a provider whose stored settings no longer validate, and an invitation sent
    # for it with a key, refused 409 provider_unreadable (nothing was done)
    plant_legacy_provider(sandbox, "fysio-oud", 1)
    users = f"{PROVIDERS}/fysio-oud/users"
    invite = {"email": "balie@fysio-oud.example", "role": "staff"}
    refused = keyed(sandbox, "POST", users, "inv-1", invite)
    assert refused["statusCode"] == 409 and '"provider_unreadable"' in refused["body"]
    # When zorgnota repairs the settings and the invitation is sent again with its key
    repaired = new_practice(provider_id="fysio-oud", version=1)
    assert sandbox.api("PUT", f"{PROVIDERS}/fysio-oud", caller=OPERATOR, body=repaired)[0] == 200
    again = keyed(sandbox, "POST", users, "inv-1", invite)
    # Then it is carried out, not the refusal replayed
    assert (again["statusCode"], again["headers"]["Idempotent-Replayed"]) == (201, "false")


def test_a_key_longer_than_255_characters_is_a_400(sandbox, invoice):
    assert stop(sandbox, invoice, "k" * 256)[0] == 400
    assert coulance_entries(sandbox, invoice) == []


def test_a_request_that_failed_runs_again_when_retried_with_its_key(sandbox, invoice):
    # Given a stop that failed inside the function (the store was unreachable)
    down = RuntimeError("store unreachable")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sandbox.runtime, "provider_context", lambda: (_ for _ in ()).throw(down))
        with pytest.raises(RuntimeError):
            stop(sandbox, invoice, "k-3")
    # When the practice retries with the same key, it is carried out (the record was
    # released by an update, never deleted: the IAM audit allows no DeleteItem)
    assert stop(sandbox, invoice, "k-3")[0] == 200
    assert len(coulance_entries(sandbox, invoice)) == 1


def test_an_operators_retried_onboarding_creates_the_practice_once(sandbox):
    # Given an operator whose connection dropped after it sent a new practice (R38, §6)
    def create(key):
        return sandbox.api_raw(
            "POST",
            "/api/v1/operator/providers",
            caller=Caller.operator("operator-anna"),
            body=west_settings(),
            headers={"Content-Type": "application/json", "Idempotency-Key": key},
        )

    first = create("onboard-fysio-west")
    # When it sends the same request again with the same key
    again = create("onboard-fysio-west")
    # Then it gets the first answer (201), marked a replay, and not "the id exists"
    assert (first["statusCode"], again["statusCode"]) == (201, 201)
    assert again["body"] == first["body"]
    assert again["headers"]["Idempotent-Replayed"] == "true"
    # And without the key the same request is refused: the practice exists once
    status, answer = sandbox.api(
        "POST",
        "/api/v1/operator/providers",
        caller=Caller.operator("operator-anna"),
        body=west_settings(),
    )
    assert (status, answer["error"]["code"]) == (409, "provider_exists")


def test_make_serve_passes_the_key_on_so_a_retried_invitation_is_sent_once(sandbox):
    """R38, interfaces.md §5-6 (audit onboarding ONBOARDING1): the sandbox's HTTP server
    passes `Idempotency-Key` on to the function, as API Gateway does."""
    # Given `make serve` and the dental practice's sandbox token
    server = SandboxServer(sandbox)
    token = json.loads(server.handle("GET", "/_local/tokens", {}, b"")[2])[DENTAL.provider_id]
    headers = {
        "authorization": f"Bearer {token}",
        "content-type": "application/json",
        "idempotency-key": "invite-balie-1",
    }
    body = json.dumps({"email": "balie@example.org", "role": "staff"}).encode()
    # When the same invitation is sent twice with the same key (the connection dropped)
    first = server.handle("POST", "/api/v1/provider/users", headers, body)
    again = server.handle("POST", "/api/v1/provider/users", headers, body)
    # Then the second answer is the first (201), marked a replay, and one invitation went out
    assert (first[0], again[0], again[2]) == (201, 201, first[2])
    assert (first[1]["Idempotent-Replayed"], again[1]["Idempotent-Replayed"]) == ("false", "true")
    assert sandbox.runtime.user_directory.invitations.count("balie@example.org") == 1


# --- a change saved, then its side call failed: the retry finds it made (R38) ------------------


def mails_about(sandbox, invoice):
    sandbox.drain_deliveries()
    return [m["subject"] for m in sandbox.outbox() if m["kenmerk"] == invoice.reference]


def test_a_stop_whose_email_failed_is_booked_once_when_retried_with_its_key(
    sandbox, invoice, queue_fails_once
):
    """R38 ("same key and body: the first answer again, no second effect"), R21, R27
    (audit round 37 RETRIES1)."""
    mails_before = len(mails_about(sandbox, invoice))
    # Given a stop saved whose confirmation could not be queued: a 5xx, the key released
    queue_fails_once()
    with pytest.raises(RuntimeError):
        stop(sandbox, invoice, "stop-k")
    assert len(coulance_entries(sandbox, invoice)) == 1
    # When the practice's software sends it again with the same key and body
    status, body, _ = stop(sandbox, invoice, "stop-k")
    # Then it is answered 200 with the stop booked once, and the patient is told once
    assert status == 200
    assert [e.amount_cents for e in coulance_entries(sandbox, invoice)] == [
        -(invoice.amount_due_cents // 4)
    ]
    assert (
        json.loads(body)["amount_due"] == invoice.amount_due_cents - invoice.amount_due_cents // 4
    )
    told = mails_about(sandbox, invoice)[mails_before:]
    assert len(told) == 1 and "verlaagd" in told[0]
    # And another key of the same user, or the same key of another user, is another stop
    assert stop(sandbox, invoice, "stop-k2")[0] == 200
    staff = Caller.practice(DENTAL.provider_id, "staff", "dental-staff-2")
    headers = {"Content-Type": "application/json", "Idempotency-Key": "stop-k"}
    body = STOP | {"patient_email": invoice.addressee.email, "amount": 100}
    path = f"/api/v1/provider/invoices/{invoice.invoice_id}/stop"
    assert (
        sandbox.api_raw("POST", path, caller=staff, body=body, headers=headers)["statusCode"] == 200
    )
    assert len(coulance_entries(sandbox, invoice)) == 3


def stop_form_sent_unconfirmed(sandbox, invoice, queue_fails_once):
    """Given a staff member's portal stop form for € 5,00 of ``invoice``, sent once and
    saved, its confirmation not queued (the browser saw an error, R38): the staff member,
    the form's action and its fields (with its one-time key)."""
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    path, fields = stop_form(staff, invoice, scope="partial", amount="5,00")
    queue_fails_once()
    console = console_of_a_crash(lambda: staff.post(path, fields))
    assert "RuntimeError: 1 delivery messages were not queued" in console
    return staff, path, fields


def test_a_stop_form_sent_again_after_its_email_failed_books_one_coulance(
    sandbox, invoice, queue_fails_once
):
    """R38, R35, R21 (audit round 37 RETRIES1): the portal's stop form, sent again with
    its one-time key after an error the browser saw, is the same stop."""
    # Given the stop form sent once, saved, and its confirmation not queued
    staff, path, fields = stop_form_sent_unconfirmed(sandbox, invoice, queue_fails_once)
    assert len(coulance_entries(sandbox, invoice)) == 1
    # When the staff member sends the same form again
    status, headers, _ = staff.post(path, fields)
    # Then the invoice page follows, with one coulance of € 5,00 and one e-mail
    assert status == 303 and headers["Location"].endswith("?done=stopped")
    assert [e.amount_cents for e in coulance_entries(sandbox, invoice)] == [-500]
    assert len([s for s in mails_about(sandbox, invoice) if "verlaagd" in s]) == 1


def test_a_stop_whose_email_failed_retried_with_its_key_and_another_amount_is_refused(
    sandbox, invoice, queue_fails_once
):
    """R38 ("same key, other body: 422"), interfaces.md §7, R21 (audit weekly2 WEEKLY2-1):
    Given a stop saved whose confirmation could not be queued (a 5xx, the key released)
    When the same key is sent with another amount
    Then 422 idempotency_key_reused, as the key's record answers it; the first stop alone
    is booked and the patient is told of it once."""
    queue_fails_once()
    with pytest.raises(RuntimeError):
        stop(sandbox, invoice, "stop-k")
    status, body, _ = stop(sandbox, invoice, "stop-k", amount=100)
    assert status == 422 and '"idempotency_key_reused"' in body
    assert [e.amount_cents for e in coulance_entries(sandbox, invoice)] == [
        -(invoice.amount_due_cents // 4)
    ]
    # And the same body again is the first stop (200), told once
    assert stop(sandbox, invoice, "stop-k")[0] == 200
    assert len(coulance_entries(sandbox, invoice)) == 1
    assert len([s for s in mails_about(sandbox, invoice) if "verlaagd" in s]) == 1


def test_a_stop_form_sent_again_after_its_email_failed_with_another_amount_is_refused(
    sandbox, invoice, queue_fails_once
):
    """R38, R35, R21 (audit weekly2 WEEKLY2-1): the portal's stop form, sent again with
    its one-time key and another amount after an error, is refused (422, the form's
    "sent before with other values"), not taken for the first stop; one coulance."""
    staff, path, fields = stop_form_sent_unconfirmed(sandbox, invoice, queue_fails_once)
    status, _, _ = staff.post(path, {**fields, "amount": "6,00"})
    assert status == 422
    assert [e.amount_cents for e in coulance_entries(sandbox, invoice)] == [-500]


def test_a_correction_whose_email_failed_is_booked_once_when_retried(
    sandbox, invoice, queue_fails_once
):
    """R38, R34, R27 (audit round 37 RETRIES1, the route it did not drive): an operator's
    correction whose e-mail could not be queued, retried with its key, reverses the entry
    once (a correction is known by the entry it corrects) and tells the patient once."""
    assert stop(sandbox, invoice, None, amount=700)[0] == 200
    entry = len(
        sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id).ledger
    )
    operator = Caller.operator("operator-anna")
    headers = {"Content-Type": "application/json", "Idempotency-Key": "correct-1"}

    def correct():
        return sandbox.api_raw(
            "POST",
            f"/api/v1/operator/invoices/{invoice.reference}/corrections",
            caller=operator,
            body={"entry_id": entry, "reason": "verkeerde nota"},
            headers=headers,
        )

    queue_fails_once()
    with pytest.raises(RuntimeError):
        correct()
    assert correct()["statusCode"] == 200
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id)
    assert [e.amount_cents for e in stored.ledger if e.kind is EntryKind.COULANCE] == [-700, 700]
    corrected = [s for s in mails_about(sandbox, invoice) if "verlaagd" not in s]
    assert len(corrected) == 2, corrected  # the invoice, and the correction once


# --- every write takes the key: PUT and DELETE too (interfaces.md §6, R38) ---------------------

OPERATOR = Caller.operator("operator-anna")


def keyed(sandbox, method, path, key, body=None, caller=OPERATOR):
    headers = {"Content-Type": "application/json", "Idempotency-Key": key}
    return sandbox.api_raw(method, path, caller=caller, body=body, headers=headers)


def test_an_operators_retried_settings_save_gets_its_first_answer(sandbox):
    """interfaces.md §6 ("every write takes Idempotency-Key"), R38, R31 (audit round 37
    RETRIES2): a retried PUT was carried out again, and its version being stale by its own
    save, answered 409 "someone else changed the settings"."""
    # Given an operator who saves a changed contact with a key, and the answer is lost
    path = f"/api/v1/operator/providers/{DENTAL.provider_id}"
    _, settings = sandbox.api("GET", path, caller=OPERATOR)
    changed = json.loads(json.dumps(settings))
    changed["contact"]["hours"] = "ma-vr 7:30-16:00"
    first = keyed(sandbox, "PUT", path, "p1", changed)
    # When it sends the same request again with the same key
    again = keyed(sandbox, "PUT", path, "p1", changed)
    # Then the first answer again, marked a replay, and one new version in the history
    assert (first["statusCode"], again["statusCode"]) == (200, 200)
    assert again["body"] == first["body"]
    assert (first["headers"]["Idempotent-Replayed"], again["headers"]["Idempotent-Replayed"]) == (
        "false",
        "true",
    )
    _, history = sandbox.api("GET", f"{path}/history", caller=OPERATOR)
    assert len(history["items"]) == settings["version"] + 1
    # And the key with another body is refused, and changes nothing
    other = json.loads(json.dumps(changed))
    other["contact"]["hours"] = "ma-vr 7:45-16:00"
    refused = keyed(sandbox, "PUT", path, "p1", other)
    assert refused["statusCode"] == 422 and '"idempotency_key_reused"' in refused["body"]
    assert sandbox.api("GET", path, caller=OPERATOR)[1]["contact"]["hours"] == "ma-vr 7:30-16:00"


@pytest.mark.parametrize("who", ["operator", "practice admin"])
def test_a_delete_key_used_again_for_another_user_is_refused(sandbox, who):
    """interfaces.md §6-7, R38 (audit round 37 RETRIES2): the key of a disabling sent
    again for another user was carried out and disabled that user too."""
    # Given two colleagues, and one disabled with key d1
    users = f"/api/v1/operator/providers/{DENTAL.provider_id}/users"
    for email in ("x1@tandartsdevries.nl", "x2@tandartsdevries.nl"):
        body = {"email": email, "role": "staff"}
        assert sandbox.api("POST", users, caller=OPERATOR, body=body)[0] == 201
    if who == "operator":
        caller, users_path = OPERATOR, users
    else:
        caller, users_path = Caller.practice(DENTAL.provider_id, "admin"), "/api/v1/provider/users"
    first = keyed(sandbox, "DELETE", f"{users_path}/x1@tandartsdevries.nl", "d1", caller=caller)
    again = keyed(sandbox, "DELETE", f"{users_path}/x1@tandartsdevries.nl", "d1", caller=caller)
    assert (first["statusCode"], again["headers"]["Idempotent-Replayed"]) == (200, "true")
    # When the same key is sent to disable the other colleague
    other = keyed(sandbox, "DELETE", f"{users_path}/x2@tandartsdevries.nl", "d1", caller=caller)
    # Then it is refused (422), and that colleague keeps access
    assert other["statusCode"] == 422 and '"idempotency_key_reused"' in other["body"]
    enabled = {u.email: u.enabled for u in sandbox.users() if u.email.startswith("x")}
    assert enabled == {"x1@tandartsdevries.nl": False, "x2@tandartsdevries.nl": True}


def test_a_change_whose_answer_could_not_be_stored_is_answered_not_a_5xx(
    sandbox, monkeypatch, capsys
):
    """R38 ("no second effect"), interfaces.md §7 (audit round 47 idem3): the change was
    made, then the idempotency table refused its answer (throttled, or the item too
    large); the function failed with a 5xx, which tells the client to send the change
    again, and its key stayed in progress: 409, then the change a second time.
    R39 (brief runs58 item 2): since, the failure was an ERROR log line only, which no
    alarm reads: it is counted, Idempotency_record_save_failed 1, which
    IdempotencyRecordNotSavedAlarm reads."""
    from aws_lambda_powertools.utilities.idempotency.persistence.base import (
        BasePersistenceLayer,
    )

    from tests.functional.test_refunds import emitted_metrics

    # Given an idempotency table that refuses the next answer it is to keep
    def refused(self, data, result):
        raise RuntimeError("ProvisionedThroughputExceededException")

    monkeypatch.setattr(BasePersistenceLayer, "save_success", refused)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    capsys.readouterr()
    # When the practice asks for an upload URL with a key
    headers = {"Content-Type": "application/json", "Idempotency-Key": "url-1"}
    answer = sandbox.api_raw(
        "POST",
        "/api/v1/provider/declarations",
        provider_id=DENTAL.provider_id,
        body={"file_name": "week-47.csv"},
        headers=headers,
    )
    # Then it gets the URL that was made (201), not a failure that asks it to try again
    assert answer["statusCode"] == 201, answer["body"]
    assert answer["headers"]["Idempotent-Replayed"] == "false"
    assert json.loads(answer["body"])["upload_url"]
    # And the record not saved is counted once, for its alarm
    emitted = emitted_metrics(capsys.readouterr().out.splitlines())
    assert emitted.get("Idempotency_record_save_failed") == [1.0]


def test_a_request_sent_again_while_its_first_is_carried_out_is_told_when_to_retry(
    sandbox, monkeypatch
):
    """R38, interfaces.md §7 (audit round 49 idem4): two requests with one key at the
    same moment (a client that timed out and sent it again) answer 409
    idempotency_key_in_use without a second effect; it said "try again shortly" to
    people only, with no Retry-After a program reads (RFC 9110 §10.2.3)."""
    from billing_core.entrypoints.http import idempotency

    # Given a request for an upload URL with a key, still being carried out when the
    # same request with the same key arrives
    path, body = "/api/v1/provider/declarations", {"file_name": "week-47.csv"}
    headers = {"Content-Type": "application/json", "Idempotency-Key": "url-2"}
    meanwhile = []
    first_once = idempotency.once_per_key

    def with_a_second_arriving(context, scope, key, request, carry_out, kept):
        def carry_out_while_sent_again():
            meanwhile.append(
                sandbox.api_raw(
                    "POST", path, provider_id=DENTAL.provider_id, body=body, headers=headers
                )
            )
            return carry_out()

        monkeypatch.setattr(idempotency, "once_per_key", first_once)
        return first_once(context, scope, key, request, carry_out_while_sent_again, kept)

    monkeypatch.setattr(idempotency, "once_per_key", with_a_second_arriving)
    first = sandbox.api_raw(
        "POST", path, provider_id=DENTAL.provider_id, body=body, headers=headers
    )
    # Then the second is 409 idempotency_key_in_use with a Retry-After, the first is done
    (second,) = meanwhile
    assert second["statusCode"] == 409 and '"idempotency_key_in_use"' in second["body"]
    assert second["headers"]["Retry-After"] == "1"
    assert first["statusCode"] == 201
    # And sent again after it, the first answer again: one upload URL
    again = sandbox.api_raw(
        "POST", path, provider_id=DENTAL.provider_id, body=body, headers=headers
    )
    assert (again["body"], again["headers"]["Idempotent-Replayed"]) == (first["body"], "true")


# --- the key's record gone (the function died after the change): the retry finds it made -------

INSURERS = "/api/v1/operator/insurers"


def test_a_register_load_sent_again_after_its_answer_was_lost_stores_one_version(sandbox):
    """R38, R33 (audit retry51): a load whose function died after storing the version
    leaves its key's record in progress until the function's time is up; the retry then
    runs again. It stored a second, identical version (2027-01-01.2) under the operator's
    name and moved the register's head: one load, two versions in the history."""
    # Given a 2027 version an operator loaded, whose answer never reached its program
    header = "uzovi;name;group;labels;valid_from;source"
    row = "1234;Nieuwe Verzekeraar;Nieuw;;2027-01-01;https://example.org/zorgaanbieders"
    shipped = sandbox.api("GET", INSURERS, caller=OPERATOR)[1]["insurers"]
    body = {"csv": f"{header}\n{row}", "drops": sorted(i["uzovi"] for i in shipped)}
    first = keyed(sandbox, "POST", INSURERS, "load-2027", body)
    # When the program sends the same load again, its key's record expired (here: a new key)
    again = keyed(sandbox, "POST", INSURERS, "load-2027-after-the-crash", body)
    # Then the answer is the first one again, and the register holds that one version
    assert (first["statusCode"], again["statusCode"]) == (201, 201)
    assert json.loads(again["body"]) == json.loads(first["body"])
    stored, _ = sandbox.runtime.repository.insurer_registers_as_read()
    assert [v.version for v in stored] == ["2027-01-01.1"]


INVITE_PATHS = {
    "provider": ("/api/v1/provider/users", Caller.practice(DENTAL.provider_id, "admin")),
    "operator": (f"{PROVIDERS}/{DENTAL.provider_id}/users", OPERATOR),
}


@pytest.mark.parametrize("who", sorted(INVITE_PATHS))
def test_an_invitation_sent_again_after_its_answer_was_lost_invites_once(sandbox, who):
    """R38, R32, R31 (audit retry51b): an invitation whose function died after Cognito's
    invitation and its record leaves no answer under its key; the retry ran again, found
    the address taken by a user who never signed in, and sent a second invitation with a
    new temporary password: 200 "reinvited", recorded beside the "invited"."""
    path, caller = INVITE_PATHS[who]
    body = {"email": "balie@example.org", "role": "staff"}
    # Given an invitation whose answer never reached its sender
    first = keyed(sandbox, "POST", path, "invite-balie", body, caller=caller)
    history = sandbox.runtime.repository.user_changes(DENTAL.provider_id)
    idempotency_records_expired(sandbox)
    # When it is sent again with its key
    again = keyed(sandbox, "POST", path, "invite-balie", body, caller=caller)
    # Then the answer is the first one, and one invitation was sent and recorded
    assert (first["statusCode"], again["statusCode"]) == (201, 201)
    assert json.loads(again["body"]) == json.loads(first["body"])
    assert sandbox.runtime.user_directory.invitations.count("balie@example.org") == 1
    assert sandbox.runtime.repository.user_changes(DENTAL.provider_id) == history
    # And the same key asking another role, its record gone too, is refused, not given
    # the first invitation
    idempotency_records_expired(sandbox)
    other = keyed(sandbox, "POST", path, "invite-balie", body | {"role": "viewer"}, caller=caller)
    assert (other["statusCode"], json.loads(other["body"])["error"]["code"]) == (
        422,
        "idempotency_key_reused",
    )


@pytest.mark.parametrize("who", sorted(INVITE_PATHS))
def test_an_invitation_without_a_key_reads_no_user_changes(sandbox, who):
    """R38, R32 (audit settings53): only a keyed invitation can be a retry whose first
    attempt invited already; one without a key (known by API Gateway's request id, which
    nobody sends again) read the practice's whole user-change history for it too."""
    path, caller = INVITE_PATHS[who]
    history_reads = _history_reads(sandbox, b"USERCHANGE#")
    # Given an invitation sent without an Idempotency-Key
    headers = {"Content-Type": "application/json"}
    body = {"email": "balie@example.org", "role": "staff"}
    answer = sandbox.api_raw("POST", path, caller=caller, body=body, headers=headers)
    # Then it is sent, and the user changes were not read for it
    assert answer["statusCode"] == 201, answer["body"]
    assert sandbox.runtime.user_directory.invitations.count("balie@example.org") == 1
    assert history_reads == []
    # And an invitation with a key still looks for its earlier attempt (one read)
    other = {"email": "assistent@example.org", "role": "viewer"}
    assert keyed(sandbox, "POST", path, "invite-2", other, caller=caller)["statusCode"] == 201
    assert len(history_reads) == 1


# --- a settings version saved, then the answer lost: the retry finds its version (R38, R31) ----


def _operator_edit(sandbox):
    path = f"{PROVIDERS}/{DENTAL.provider_id}"
    settings = sandbox.api("GET", path, caller=OPERATOR)[1]

    def edit(hours):
        return settings | {"contact": settings["contact"] | {"hours": hours}}

    return "PUT", path, OPERATOR, edit


def _practice_admin_edit(sandbox):
    path, admin = "/api/v1/provider/settings", Caller.practice(DENTAL.provider_id, "admin")
    version = sandbox.api("GET", path, caller=admin)[1]["version"]

    def edit(hours):
        return {"version": version, "contact": {"hours": hours}}

    return "PATCH", path, admin, edit


SETTINGS_EDITS = {"operator": _operator_edit, "practice admin": _practice_admin_edit}


def error_of(answer):
    return answer["statusCode"], json.loads(answer["body"])["error"]["code"]


def settings_versions(sandbox, provider_id=DENTAL.provider_id):
    return sandbox.runtime.repository.provider_history(provider_id)


@pytest.mark.parametrize("who", sorted(SETTINGS_EDITS))
def test_a_settings_save_sent_again_after_its_answer_was_lost_is_answered_as_it_was(sandbox, who):
    """R38, R31 (audit retry51d): a save whose function died after the new version was
    stored leaves no answer under its key; the retry ran again, found the version it
    edits replaced (by its own save) and answered 409 stale_version, "someone else
    changed the settings", though the change was made."""
    method, path, caller, edit = SETTINGS_EDITS[who](sandbox)
    # Given a save of other opening hours whose answer never reached its sender
    first = keyed(sandbox, method, path, "save-hours", edit("ma-vr 7:30-16:00"), caller=caller)
    versions = settings_versions(sandbox)
    idempotency_records_expired(sandbox)
    # When it is sent again with its key
    again = keyed(sandbox, method, path, "save-hours", edit("ma-vr 7:30-16:00"), caller=caller)
    # Then the answer is the first one, and one version was saved
    assert (first["statusCode"], again["statusCode"]) == (200, 200), again["body"]
    assert json.loads(again["body"]) == json.loads(first["body"])
    assert settings_versions(sandbox) == versions
    # And the same key asking other hours, its record gone too, is refused
    idempotency_records_expired(sandbox)
    other = keyed(sandbox, method, path, "save-hours", edit("ma-vr 7:45-16:00"), caller=caller)
    assert error_of(other) == (422, "idempotency_key_reused")
    # And the version it edited, changed by another request, is still a stale edit
    stale = keyed(sandbox, method, path, "save-hours-2", edit("ma-vr 7:45-16:00"), caller=caller)
    assert error_of(stale) == (409, "stale_version")
    assert settings_versions(sandbox) == versions
    stored = sandbox.runtime.repository.get_provider(DENTAL.provider_id)
    assert stored.contact.hours == "ma-vr 7:30-16:00"


def _other_email(method, settings):
    """Another request's save of the e-mail address, on the version ``settings`` are."""
    if method == "PUT":
        return settings | {"contact": settings["contact"] | {"email": "info@elders.nl"}}
    return {"version": settings["version"], "contact": {"email": "info@elders.nl"}}


@pytest.mark.parametrize("who", sorted(SETTINGS_EDITS))
def test_a_settings_save_retried_after_another_save_is_answered_with_what_it_saved(sandbox, who):
    """R38, R31 (audit approve52 (a)): a save retried after its answer was lost, when
    someone saved the settings in between, was answered with the settings as they were
    then (version 3, the other's e-mail address), not as its first answer (version 2)."""
    method, path, caller, edit = SETTINGS_EDITS[who](sandbox)
    # Given a save of other opening hours whose answer never reached its sender
    first = keyed(sandbox, method, path, "save-hours", edit("ma-vr 7:30-16:00"), caller=caller)
    # And another request saving the e-mail address after it
    now = sandbox.api("GET", path, caller=caller)[1]
    between = keyed(sandbox, method, path, "save-email", _other_email(method, now), caller=caller)
    assert (first["statusCode"], between["statusCode"]) == (200, 200)
    versions = settings_versions(sandbox)
    idempotency_records_expired(sandbox)
    # When the save is sent again with its key
    again = keyed(sandbox, method, path, "save-hours", edit("ma-vr 7:30-16:00"), caller=caller)
    # Then the answer is the first one (version 2, its hours, the e-mail address as it was)
    assert again["statusCode"] == 200, again["body"]
    assert json.loads(again["body"]) == json.loads(first["body"])
    assert json.loads(again["body"])["version"] == 2
    # And nothing was saved: the settings stay as the other request left them
    assert settings_versions(sandbox) == versions
    stored = sandbox.runtime.repository.get_provider(DENTAL.provider_id)
    assert (stored.version, stored.contact.email) == (3, "info@elders.nl")


@pytest.mark.parametrize("who", sorted(SETTINGS_EDITS))
def test_a_settings_key_reused_with_another_body_on_the_current_version_is_refused(sandbox, who):
    """R38 ("same key, other body -> 422"), R31 (audit approve52 (b)): the key of a save
    whose record was lost, sent with other hours on the version it saved, was taken as a
    new edit: a third version saved under a key used for another request."""
    method, path, caller, edit = SETTINGS_EDITS[who](sandbox)
    # Given a save under a key, its answer lost
    keyed(sandbox, method, path, "save-hours", edit("ma-vr 7:30-16:00"), caller=caller)
    versions = settings_versions(sandbox)
    idempotency_records_expired(sandbox)
    # When the same key asks other hours, on the version now current
    version = sandbox.api("GET", path, caller=caller)[1]["version"]
    body = edit("ma-vr 7:45-16:00") | {"version": version}
    reused = keyed(sandbox, method, path, "save-hours", body, caller=caller)
    # Then it is refused as the key's record refuses it, and nothing is saved
    assert error_of(reused) == (422, "idempotency_key_reused")
    assert settings_versions(sandbox) == versions
    # And the same edit under a key of its own is saved
    saved = keyed(sandbox, method, path, "save-hours-2", body, caller=caller)
    assert (saved["statusCode"], json.loads(saved["body"])["version"]) == (200, version + 1)


@pytest.mark.parametrize("who", sorted(SETTINGS_EDITS))
def test_a_settings_save_without_a_key_reads_no_history(sandbox, who):
    """R38, R31 (audit settings53): only a keyed save can be a retry whose version is
    saved already; a save without a key (known by API Gateway's request id, which nobody
    sends again) read every version of the history too, one request (a page per 1 MB) more."""
    method, path, caller, edit = SETTINGS_EDITS[who](sandbox)
    history_reads = _history_reads(sandbox)
    # Given a save of other opening hours sent without an Idempotency-Key
    headers = {"Content-Type": "application/json"}
    answer = sandbox.api_raw(
        method, path, caller=caller, body=edit("ma-vr 7:30-16:00"), headers=headers
    )
    # Then it is saved, and the history was not read for it
    assert answer["statusCode"] == 200, answer["body"]
    assert json.loads(answer["body"])["contact"]["hours"] == "ma-vr 7:30-16:00"
    assert history_reads == []
    # And the same save with a key still looks for its earlier attempt (one history read)
    again = keyed(
        sandbox,
        method,
        path,
        "save-hours",
        edit("ma-vr 7:45-16:00") | _version(sandbox, path, caller),
        caller=caller,
    )
    assert again["statusCode"] == 200, again["body"]
    assert len(history_reads) == 1


def _version(sandbox, path, caller):
    return {"version": sandbox.api("GET", path, caller=caller)[1]["version"]}


def _history_reads(sandbox, prefix=b"SETTINGSVERSION#"):
    """Every DynamoDB Query for settings versions (or ``prefix``'s items) from now on."""
    reads: list[str] = []

    def seen(model, params, **_):
        if model.name == "Query" and prefix in params["body"]:
            reads.append(model.name)

    sandbox.runtime.repository.client.meta.events.register("before-call.dynamodb", seen)
    return reads


def test_an_onboarding_sent_again_after_its_answer_was_lost_is_answered_as_it_was(sandbox):
    """R38, R31, interfaces.md §6 (audit retry51d): an onboarding whose function died
    after version 1 was stored leaves no answer under its key; the retry ran again and
    answered 409 provider_exists, its own practice taken for another's."""
    body = west_settings()
    # Given an onboarding whose answer never reached the operator's program
    first = keyed(sandbox, "POST", PROVIDERS, "onboard-west", body)
    idempotency_records_expired(sandbox)
    # When it is sent again with its key
    again = keyed(sandbox, "POST", PROVIDERS, "onboard-west", body)
    # Then the answer is the first one (201), and the practice has its one version
    assert (first["statusCode"], again["statusCode"]) == (201, 201), again["body"]
    assert json.loads(again["body"]) == json.loads(first["body"])
    assert [v.version for v in settings_versions(sandbox, body["provider_id"])] == [1]
    # And the same key asking other settings, its record gone too, is refused
    idempotency_records_expired(sandbox)
    renamed = body | {"name": f"{body['name']} BV"}
    assert error_of(keyed(sandbox, "POST", PROVIDERS, "onboard-west", renamed)) == (
        422,
        "idempotency_key_reused",
    )
    # And another request for the same practice is refused: it exists once
    assert error_of(keyed(sandbox, "POST", PROVIDERS, "onboard-west-2", body)) == (
        409,
        "provider_exists",
    )
    stored = sandbox.runtime.repository.get_provider(body["provider_id"])
    assert (stored.name, stored.version) == (body["name"], 1)


# Each settings form of the portal filled in (R31, R35), and one value of it changed.
SETTINGS_FORMS_TYPED = {
    "contact": (
        {
            "email": "balie@tandartsdevries.nl",
            "phone": "020-1234567",
            "website": "",
            "hours": "ma-vr 7:30-16:00",
        },
        {"hours": "ma-vr 7:45-16:00"},
    ),
    "aanmanen": (
        {"days_to_reminder": "10", "days_to_handover": "21", "max_invoices_per_letter": "5"},
        {"days_to_reminder": "11"},
    ),
    "coulance": (
        {"mode": "provider_confirms", "minimum_percentage": "55", "statement_wait_days": "30"},
        {"minimum_percentage": "65"},
    ),
}


@pytest.mark.parametrize("part", sorted(SETTINGS_FORMS_TYPED))
def test_a_settings_form_sent_again_after_its_answer_was_lost_is_saved_once(sandbox, part):
    """R38, R31, R35 (audit retry51d): a settings form whose function died after the
    save leaves no answer under its one-time key; sent again (the browser's retry, the
    admin's reload), it answered 409 "changed by someone else" with the page again."""
    admin = PortalUser(sandbox)
    admin.sign_in(sample_login(DENTAL, "admin"))
    action = f"/portal/instellingen/{part}"
    typed, changed = SETTINGS_FORMS_TYPED[part]
    fields = admin.form("/portal/instellingen", action) | typed
    # A second tab of the page, opened before the save: another key, the same version
    other_tab = admin.form("/portal/instellingen", action) | typed | changed
    # Given the form sent and saved, its answer lost
    status, _, _ = admin.post(action, fields)
    assert status == 303
    versions = settings_versions(sandbox)
    idempotency_records_expired(sandbox)
    # When the admin sends it again
    status, headers, _ = admin.post(action, fields)
    # Then the page says it is saved, as the first time, and one version was saved
    assert status == 303 and headers["Location"].endswith("?done=settings")
    assert settings_versions(sandbox) == versions
    # And the same form with another value, its key's record gone too, is refused
    idempotency_records_expired(sandbox)
    assert admin.post(action, fields | changed)[0] == 422
    # And the other tab's form, an edit of the version replaced since, is still 409
    assert admin.post(action, other_tab)[0] == 409
    assert settings_versions(sandbox) == versions


# --- a batch approved and sent, then the answer lost: the retry finds its approval (R38, R34) --


def _payout_batch(sandbox, request):
    """The week's payout batch the Monday run proposed: its approval sends it."""
    request.getfixturevalue("paid_week")
    sandbox.run_retrocession()
    return "/api/v1/operator/payouts/PO-2026-W48/approve"


def _refund_batch(sandbox, request):
    """A refund batch of a credit held, proposed by an operator: its approval sends it."""
    invoice = paid_twice(sandbox)
    _, batch = sandbox.api("POST", REFUNDS, caller=OPERATOR, body=refund_body(invoice))
    return f"{REFUNDS}/{batch['batch_id']}/approve"


REFUNDS = "/api/v1/operator/refunds"
BATCHES_TO_APPROVE = {"payout": _payout_batch, "refund": _refund_batch}


@pytest.mark.parametrize("kind", sorted(BATCHES_TO_APPROVE))
def test_an_approval_sent_again_after_its_answer_was_lost_is_answered_as_it_was(
    sandbox, request, kind
):
    """R38, R34 (audit approve52): an approval whose function died after the batch was
    sent leaves no answer under its key; the retry ran again and answered 409
    batch_not_proposed, its own approval taken for a second one."""
    approve = BATCHES_TO_APPROVE[kind](sandbox, request)
    # Given an approval whose answer never reached the operator: the batch sent, one file
    first = keyed(sandbox, "POST", approve, "approve-batch")
    assert (first["statusCode"], json.loads(first["body"])["state"]) == (200, "sent")
    files = sandbox.output_keys(f"{kind}s/")
    assert len(files) == 1
    idempotency_records_expired(sandbox)
    # When it is sent again with its key
    again = keyed(sandbox, "POST", approve, "approve-batch")
    # Then the answer is the first one, and the batch was sent once
    assert again["statusCode"] == 200, again["body"]
    assert json.loads(again["body"]) == json.loads(first["body"])
    assert sandbox.output_keys(f"{kind}s/") == files
    # And the same key asking something else, its record gone too, is refused
    idempotency_records_expired(sandbox)
    other = keyed(sandbox, "POST", approve, "approve-batch", {"approve": "twice"})
    assert error_of(other) == (422, "idempotency_key_reused")
    # And another approval by the same operator (another key) is still refused: sent once
    assert error_of(keyed(sandbox, "POST", approve, "approve-batch-2")) == (
        409,
        "batch_not_proposed",
    )
