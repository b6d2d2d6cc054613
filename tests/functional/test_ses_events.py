"""A bounced or complained-about e-mail becomes an open action for the invoice's
provider (R23), from the SES event EventBridge delivers."""

from __future__ import annotations

import json
import traceback
from dataclasses import replace

import pytest

from billing_core.entrypoints.powertools import MaskedFailure
from billing_core.invoices.invoice import Channel
from billing_core.payments.booking import IncomingPayment, book_payment
from local.generate import declaration_csv
from local.sandbox import EVENTS
from local.seed import DENTAL, PHYSIO
from tests.functional.conftest import delivered_dental_week, emailed, emitted_metrics

PROVIDER = DENTAL.provider_id


@pytest.fixture
def mailed(sandbox):
    """An e-mailed invoice of the dental practice, and the tags SES sent it with."""
    return emailed(delivered_dental_week(sandbox, 6, "week.csv"))[0]


def ses_event(name: str, kenmerk: str) -> dict:
    event = json.loads((EVENTS / "ses_events" / name).read_text())
    event["detail"]["mail"]["tags"]["kenmerk"] = [kenmerk]
    return event


def bounce_actions(sandbox, provider_id=PROVIDER):
    _, actions = sandbox.api("GET", "/api/v1/provider/actions", provider_id=provider_id)
    return [a for a in actions["items"] if a["kind"] == "bounce"]


@pytest.mark.parametrize(
    "name, event", [("bounce.json", "bounce"), ("complaint.json", "complaint")]
)
def test_a_bounce_or_complaint_is_an_action_for_the_practice_once(sandbox, mailed, name, event):
    """Given an invoice e-mailed with its kenmerk as SES tag, when SES reports a bounce (or
    a complaint), then the practice has one open action with the address to check; the
    same event delivered again adds nothing; the other practice sees nothing (R26)."""
    answer = sandbox.invoke("ses_events", ses_event(name, mailed.reference))
    assert answer == {"action_created": True}
    (action,) = bounce_actions(sandbox)
    assert action["invoice_id"] == mailed.invoice_id and action["state"] == "open"
    assert action["details"]["event"] == event
    assert action["details"]["recipients"] == ["onbekend@example.org"]

    assert sandbox.invoke("ses_events", ses_event(name, mailed.reference)) == {
        "action_created": False
    }
    assert len(bounce_actions(sandbox)) == 1
    assert bounce_actions(sandbox, PHYSIO.provider_id) == []


def test_an_event_for_an_unknown_kenmerk_changes_nothing(sandbox, mailed):
    assert sandbox.invoke("ses_events", ses_event("bounce.json", "12234534622567")) == {
        "action_created": False
    }
    assert bounce_actions(sandbox) == []


def test_a_permanent_bounce_sends_the_next_letters_on_paper(sandbox, mailed):
    """R7, legal-nl.md §2: given an e-mailed invoice whose mail SES reports as bounced
    permanently, then the stored invoice knows the dead address and its dunning letters
    go on paper; the practice has its action, the invoice is not sent again."""
    event = ses_event("bounce.json", mailed.reference)
    address = mailed.addressee.email
    event["detail"]["bounce"]["bouncedRecipients"][0]["emailAddress"] = address

    assert sandbox.invoke("ses_events", event) == {"action_created": True}

    stored = sandbox.runtime.repository.get_invoice(PROVIDER, mailed.invoice_id)
    assert stored.bounced_emails == (address.casefold(),)
    assert stored.letter_channel is Channel.PAPER
    assert stored.correspondence == mailed.correspondence
    assert len(bounce_actions(sandbox)) == 1


SHARED = "Ouders.Jansen@example.org"  # the parents of two children at one practice


def addressed_to(sandbox, invoice, email):
    """The invoice as stored, its addressee's e-mail address set to ``email``."""
    repository = sandbox.runtime.repository
    current = repository.get_invoice(invoice.provider_id, invoice.invoice_id)
    person = current.addressee
    moved = replace(person, email=email)
    if current.debtor is not None:
        return repository.save_invoice(replace(current, debtor=moved))
    return repository.save_invoice(replace(current, patient=moved))


def test_r7_a_permanent_bounce_marks_a_shared_address_dead_on_the_practices_open_invoices(
    sandbox,
):
    """R7, R26 (round 45 sending3): Given the parents' one address on the open invoices of
    two children at the dental practice (typed in another case on the second), on a paid
    invoice of the practice, and on an invoice of the physiotherapy practice,
    When SES reports a permanent bounce of the first child's invoice mail,
    Then the second child's invoice knows the address is dead too and its next letters go
    on paper (before the fix only the bounced letter's invoices knew it, and the next
    letter to the other child bounced again first); the paid invoice is not written; the
    other practice's invoice is not touched (tenant isolation); one action, the first's."""
    sandbox.upload_declaration(PROVIDER, "week.csv", declaration_csv(12))
    sandbox.upload_declaration(PHYSIO.provider_id, "week.csv", declaration_csv(3))
    sandbox.drain_deliveries()
    repository = sandbox.runtime.repository
    dental, _ = repository.list_invoices(PROVIDER)
    mailed = [i for i in dental if i.channel is Channel.EMAIL]
    first = mailed[0]
    second = next(i for i in mailed if i.patient_ref != first.patient_ref)
    paid = next(i for i in dental if i.invoice_id not in (first.invoice_id, second.invoice_id))
    physio, _ = repository.list_invoices(PHYSIO.provider_id)
    other_practice = next(i for i in physio if i.channel is Channel.EMAIL)
    addressed_to(sandbox, first, SHARED)
    second = addressed_to(sandbox, second, SHARED.lower())
    paid = addressed_to(sandbox, paid, SHARED)
    payment = IncomingPayment("bank", "paid-1", paid.amount_due_cents, sandbox.clock.now())
    paid = book_payment(repository, paid.reference, payment, clock=sandbox.clock).invoice
    other_practice = addressed_to(sandbox, other_practice, SHARED)
    event = ses_event("bounce.json", first.reference)
    event["detail"]["bounce"]["bouncedRecipients"][0]["emailAddress"] = SHARED

    assert sandbox.invoke("ses_events", event) == {"action_created": True}

    sibling = repository.get_invoice(PROVIDER, second.invoice_id)
    assert sibling.bounced_emails == (SHARED.casefold(),)
    assert sibling.live_email == "" and sibling.letter_channel is Channel.PAPER
    assert sibling.correspondence == second.correspondence  # nothing sent again
    assert repository.get_invoice(PROVIDER, paid.invoice_id) == paid
    assert repository.get_invoice(PHYSIO.provider_id, other_practice.invoice_id) == other_practice
    (action,) = bounce_actions(sandbox)
    assert action["invoice_id"] == first.invoice_id
    assert bounce_actions(sandbox, PHYSIO.provider_id) == []


def test_r7_a_permanent_bounce_naming_no_recipient_marks_no_address_dead(sandbox, mailed):
    """R7, R23 (round 44 delivery2): given an e-mailed invoice, when SES reports a
    permanent bounce of a mail with its kenmerk that names no bounced recipient and no
    single destination (which address bounced is not known: the invoice's address may have
    changed since the mail went), then no address is marked dead and the letters stay
    e-mailed, and the practice still has its open action to check it."""
    event = ses_event("bounce.json", mailed.reference)
    event["detail"]["bounce"]["bouncedRecipients"] = []
    event["detail"]["mail"]["destination"] = []  # (a mail to one address names it: below)
    event["detail"]["mail"]["tags"]["kind"] = ["confirmation"]

    assert sandbox.invoke("ses_events", event) == {"action_created": True}

    stored = sandbox.runtime.repository.get_invoice(PROVIDER, mailed.invoice_id)
    assert stored.bounced_emails == ()
    assert stored.letter_channel is Channel.EMAIL
    (action,) = bounce_actions(sandbox)
    assert action["details"]["recipients"] == [] and action["state"] == "open"


def test_r7_a_permanent_bounce_naming_no_recipient_marks_its_mails_one_address_dead(
    sandbox, mailed
):
    """R7, legal-nl.md §2 (audit edges51). Given an e-mailed invoice
    When SES reports a permanent bounce of its mail naming no bounced recipient, the mail
    sent to the invoice's address alone (its destination, as every mail of ours)
    Then that address is the dead one, as if the bounce had named it: the letters go on
    paper and the practice's action names it (before: no address, so a bounce handled
    before the delivery noted the mail tied itself to no letter)."""
    event = ses_event("bounce.json", mailed.reference)
    event["detail"]["bounce"]["bouncedRecipients"] = []
    event["detail"]["mail"]["destination"] = [mailed.addressee.email]

    assert sandbox.invoke("ses_events", event) == {"action_created": True}

    stored = sandbox.runtime.repository.get_invoice(PROVIDER, mailed.invoice_id)
    assert stored.bounced_emails == (mailed.addressee.email.casefold(),)
    assert stored.letter_channel is Channel.PAPER
    (action,) = bounce_actions(sandbox)
    assert action["details"]["recipients"] == [mailed.addressee.email]


def test_a_failed_event_leaves_no_address_in_the_logs(sandbox, mailed, monkeypatch, function_log):
    """R29 (audit DELIVERY3, the EventBridge-triggered function): Given recording a
    bounce fails with an error whose text names the bounced address, when SES reports
    the bounce, then the function still fails (EventBridge retries, then the failure
    queue keeps the event), the failure is in its log, and neither the log nor what the
    Lambda runtime logs of the raised error (its text and traceback, written as they are,
    past the masking formatter) contain the address."""
    app = sandbox.handler("ses_events")

    def failing(event, context):
        raise ValueError(f"no bounce noted for {event.recipients[0]}")

    monkeypatch.setattr(app, "record_email_event", failing)
    log = function_log("ses_events")

    with pytest.raises(MaskedFailure, match="ValueError: no bounce noted for ") as raised:
        sandbox.invoke("ses_events", ses_event("bounce.json", mailed.reference))

    runtime_log = "".join(traceback.format_exception(raised.value))
    assert "invocation failed" in log.getvalue()
    assert "onbekend@example.org" not in runtime_log + log.getvalue()


@pytest.mark.parametrize("name, part", [("bounce.json", "bounce"), ("complaint.json", "complaint")])
def test_r23_an_event_without_its_bounce_or_complaint_fails_to_the_failure_queue(
    sandbox, mailed, function_log, name, part
):
    """R23, R39 (round 54 sesleft54: a Bounce event without its ``bounce`` object was
    logged "email event without kenmerk", though it had one, and dropped as a success:
    nothing reached the failure queue, no alarm, the practice never heard of it).
    Given an e-mailed invoice
    When EventBridge delivers an SES Bounce (Complaint) event with the invoice's kenmerk
    but without its bounce (complaint) object
    Then the function fails as for any malformed event (Lambda retries, then the event
    waits in EmailEventFailureQueue), its log says the event is malformed and not that
    it has no kenmerk, and no action is made."""
    event = ses_event(name, mailed.reference)
    del event["detail"][part]
    log = function_log("ses_events")

    with pytest.raises(ValueError, match=f"malformed SES .* event: no {part} object"):
        sandbox.invoke("ses_events", event)

    assert "invocation failed" in log.getvalue() and "malformed SES" in log.getvalue()
    assert "without kenmerk" not in log.getvalue()
    assert bounce_actions(sandbox) == []


@pytest.mark.parametrize(
    "name, event", [("bounce.json", "bounce"), ("complaint.json", "complaint")]
)
def test_r39_each_bounce_or_complaint_is_counted_once(sandbox, mailed, monkeypatch, name, event):
    """R23, R39 (round 54 sesleft54: the Email_bounce metric counted every delivery, replays
    and events about no invoice too: one bounce delivered three times and one of an
    unknown kenmerk counted 4; round 55 sesleft55: after that fix the event of an unknown
    kenmerk, which reaches no practice, was counted nowhere, only logged).
    Given an e-mailed invoice
    When SES reports a bounce (complaint) of its mail, EventBridge delivers it twice more,
    SES reports one of another mail with the invoice's kenmerk (a message the invoice
    does not hold), delivered twice, and one with a kenmerk of no invoice
    Then the metric of the event counts 2, one for each action the practice got, and
    Email_unknown_kenmerk counts 1: the one no practice hears of."""
    counted = emitted_metrics(sandbox, monkeypatch, "ses_events")
    own_mail = ses_event(name, mailed.reference)
    own_mail["detail"]["mail"]["messageId"] = mailed.correspondence[0].message_id
    other_mail = ses_event(name, mailed.reference)
    no_invoice = ses_event(name, "12234534622567")

    for delivered in (own_mail, own_mail, own_mail, other_mail, other_mail, no_invoice):
        sandbox.invoke("ses_events", delivered)

    assert counted == {f"Email_{event}": 2, "Email_unknown_kenmerk": 1}
    assert len(bounce_actions(sandbox)) == 2


# The shape of a real SES message id: 60 characters (a "complaint-" action id is 70).
REAL_SES_MESSAGE_ID = "0102018c3a1b2c3d-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-000000"


@pytest.mark.parametrize("name", ["bounce.json", "complaint.json"])
def test_r23_the_practice_opens_and_closes_an_action_of_a_real_ses_message_id(
    sandbox, mailed, name
):
    """R23, interfaces.md §2 (round 51 bounce51b).
    Given SES reports a bounce or complaint of a mail whose message id has the real
    length (60 characters; the sandbox's are shorter)
    When the practice opens the action from its list, marks it done by the API, and
    reopens and closes it again on the portal
    Then each answers as for any action: 200 and the state changed (before: the routes
    took an action id of at most 64 characters, and 'complaint-<id>' is 70: 400)."""
    from tests.functional.test_provider_portal import PortalUser, hidden_fields, sample_login

    event = ses_event(name, mailed.reference)
    event["detail"]["mail"]["messageId"] = REAL_SES_MESSAGE_ID
    assert sandbox.invoke("ses_events", event) == {"action_created": True}
    (listed,) = bounce_actions(sandbox)
    path = f"/api/v1/provider/actions/{listed['action_id']}"
    assert listed["action_id"].endswith(REAL_SES_MESSAGE_ID)

    code, action = sandbox.api("GET", path, provider_id=PROVIDER)
    assert (code, action["action_id"], action["state"]) == (200, listed["action_id"], "open")
    code, action = sandbox.api("PATCH", path, provider_id=PROVIDER, body={"state": "done"})
    assert (code, action["state"]) == (200, "done")

    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    target = f"/portal/acties/{listed['action_id']}"
    for state, shown in (("open", "done"), ("done", "open")):
        _, html = staff.page(f"/portal/acties?state={shown}")
        status, _, _ = staff.post(target, hidden_fields(html, target) | {"state": state})
        assert status == 303
        stored = sandbox.runtime.repository.get_action(PROVIDER, listed["action_id"])
        assert stored.state.value == state


def action_row(html: str, action_id: str) -> str:
    """The text of the actions page's row of ``action_id``, tags out, spaces single."""
    import re
    from html import unescape

    row = html[html.index(f'id="action-{action_id}"') :]
    row = row[row.index(">") + 1 : row.index("</tr>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split())


# What the practice reads of each event on its actions page (R23, R35), per language.
SAID = {
    "nl": {
        "Permanent": "Het e-mailadres bestaat niet (meer)",
        "Transient": "maar het adres is niet zeker onjuist",
        "complaint": "De e-mail kwam aan, maar de patiënt meldde hem als ongewenst (spam)",
        "letter": "Bericht nota",
        "address": "E-mailadres",
        "check": "Te doen Controleer het e-mailadres met de patiënt",
        "complaint_todo": "Te doen Vraag de patiënt of die de brieven liever per post krijgt",
    },
    "en": {
        "Permanent": "The e-mail address does not exist (any more)",
        "Transient": "but the address is not known to be wrong",
        "complaint": "The e-mail arrived, but the patient reported it as unwanted (spam)",
        "letter": "Message invoice",
        "address": "E-mail address",
        "check": "To do Check the e-mail address with the patient",
        "complaint_todo": "To do Ask the patient whether they would rather have letters by post",
    },
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_r23_the_practice_reads_what_bounced_where_and_what_to_do(sandbox, language):
    """R7, R23, R35 (audit ses54: each row said only "E-mail kwam niet aan", a complaint
    too, with no letter, no address and nothing to do; the invoice page neither).
    Given three e-mailed invoices of the dental practice
    When SES reports a permanent bounce of the first's mail, a transient one of the
    second's and a complaint about the third's
    Then the practice's actions page, in Dutch and in English, says of each what happened
    (the address dead; not known to be wrong; arrived but reported as spam), which
    message it was, the address, and what to do."""
    from tests.functional.test_provider_portal import signed_in

    first, second, third = emailed(delivered_dental_week(sandbox, 14, "week.csv"))[:3]
    for invoice, name, bounce_type in (
        (first, "bounce.json", "Permanent"),
        (second, "bounce.json", "Transient"),
        (third, "complaint.json", ""),
    ):
        event = ses_event(name, invoice.reference)
        event["detail"]["mail"]["messageId"] = invoice.correspondence[0].message_id
        if bounce_type:
            event["detail"]["bounce"]["bounceType"] = bounce_type
            recipient = event["detail"]["bounce"]["bouncedRecipients"][0]
            recipient["emailAddress"] = invoice.addressee.email
        assert sandbox.invoke("ses_events", event) == {"action_created": True}
    said = SAID[language]

    _, html = signed_in(sandbox, "staff", language).page("/portal/acties?state=open")

    rows = {a["invoice_id"]: action_row(html, a["action_id"]) for a in bounce_actions(sandbox)}
    for invoice, what, todo in (
        (first, said["Permanent"], said["check"]),
        (second, said["Transient"], said["check"]),
        (third, said["complaint"], said["complaint_todo"]),
    ):
        row = rows[invoice.invoice_id]
        assert what in row and todo in row and said["letter"] in row
        address = invoice.addressee.email if invoice is not third else "onbekend@example.org"
        assert f"{said['address']} {address}" in row


# The title of each action, per language (R23, R35): a complaint's mail arrived.
TITLE = {
    "nl": {
        "bounce": "E-mail kwam niet aan",
        "complaint": "E-mail gemeld als spam",
        "unsent": "Bericht niet verstuurd",
    },
    "en": {
        "bounce": "E-mail bounced",
        "complaint": "E-mail reported as spam",
        "unsent": "Message not sent",
    },
}
# What follows the title in an action's "what" cell.
WHAT_HAPPENED = {"nl": "Wat er gebeurde", "en": "What happened"}


def page_text(html: str) -> str:
    """The page's text, tags out, spaces single."""
    import re
    from html import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize("language", ["nl", "en"])
def test_r23_a_complaint_is_not_titled_as_an_email_that_did_not_arrive(sandbox, language):
    """R23, R35 (round 54 sesleft54: a complaint stood under "E-mail kwam niet aan" /
    "E-mail bounced" on the overview, the actions page and the invoice page, above a
    sentence saying the mail did arrive).
    Given two e-mailed invoices of the dental practice
    When SES reports a bounce of the first's mail and a complaint about the second's
    Then the overview counts one of each under its own title; on the actions page and on
    the invoice page the complaint's row has the complaint's title, not the bounce's,
    and the bounce keeps its own; in Dutch and in English."""
    from tests.functional.test_provider_portal import signed_in

    bounced, complained = emailed(delivered_dental_week(sandbox, 14, "week.csv"))[:2]
    for invoice, name in ((bounced, "bounce.json"), (complained, "complaint.json")):
        assert sandbox.invoke("ses_events", ses_event(name, invoice.reference)) == {
            "action_created": True
        }
    title = TITLE[language]
    staff = signed_in(sandbox, "staff", language)

    _, overview = staff.page("/portal/")
    listed = page_text(overview[overview.index('id="open-actions"') :])
    assert f"{title['bounce']}: 1 {title['complaint']}: 1" in listed

    _, html = staff.page("/portal/acties?state=open")
    rows = {a["invoice_id"]: action_row(html, a["action_id"]) for a in bounce_actions(sandbox)}
    what = WHAT_HAPPENED[language]
    assert f"{title['complaint']} {what}" in rows[complained.invoice_id]
    assert title["bounce"] not in rows[complained.invoice_id]
    assert f"{title['bounce']} {what}" in rows[bounced.invoice_id]

    for invoice, shown, not_shown in (
        (complained, title["complaint"], title["bounce"]),
        (bounced, title["bounce"], title["complaint"]),
    ):
        _, page = staff.page(f"/portal/notas/{invoice.invoice_id}")
        assert shown in page_text(page) and not_shown not in page_text(page)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_r23_a_message_never_sent_is_not_titled_as_an_email_that_did_not_arrive(sandbox, language):
    """R7, R23, R35 (round 55 sesleft55: the practice's action for a stop's confirmation
    that had nowhere to go, never e-mailed because the address was dead since an earlier
    bounce (bounces.unsent_message_action), stood under "E-mail kwam niet aan" / "E-mail
    bounced" on the overview, the actions page and the invoice page: 1 of 1).
    Given an e-mailed invoice of the dental practice whose patient has no postal address,
    and SES reported its mail's address bounced for good
    When the practice stops the invoice, so the stop's confirmation the patient must have
    goes nowhere and becomes the practice's action
    Then the overview counts the bounce and the unsent message each under its own title;
    on the actions page and the invoice page the unsent message's row has its own title,
    not the bounce's, and the bounce keeps its own; in Dutch and in English."""
    from tests.functional.test_checker_stages import bounced_for_good, without_a_postal_address
    from tests.functional.test_provider_portal import signed_in

    (invoice,) = emailed(delivered_dental_week(sandbox, 6, "week.csv"))[:1]
    without_a_postal_address(sandbox, invoice)
    bounced_for_good(sandbox, invoice, "invoice")
    stop = {"scope": "full", "reason": "goodwill", "accept_terms": True}
    stop["patient_email"] = invoice.addressee.email  # the address that bounced
    path = f"/api/v1/provider/invoices/{invoice.invoice_id}/stop"
    assert sandbox.api("POST", path, provider_id=PROVIDER, body=stop)[0] == 200
    sandbox.drain_deliveries()
    events = {a["details"]["event"]: a["action_id"] for a in bounce_actions(sandbox)}
    assert sorted(events) == ["bounce", "unsent"]
    title = TITLE[language]
    staff = signed_in(sandbox, "staff", language)

    _, overview = staff.page("/portal/")
    listed = page_text(overview[overview.index('id="open-actions"') :])
    assert f"{title['bounce']}: 1 {title['unsent']}: 1" in listed

    _, html = staff.page("/portal/acties?state=open")
    unsent, bounced = action_row(html, events["unsent"]), action_row(html, events["bounce"])
    what = WHAT_HAPPENED[language]
    assert f"{title['unsent']} {what}" in unsent and title["bounce"] not in unsent
    assert f"{title['bounce']} {what}" in bounced

    _, page = staff.page(f"/portal/notas/{invoice.invoice_id}")
    shown = page_text(page)
    assert shown.count(title["unsent"]) == 1 and shown.count(title["bounce"]) == 1


# The day each language's actions page writes 24 November 2026 (R35: the table's short date).
TWENTY_FOURTH = {"nl": "24-11-2026", "en": "24 Nov 2026"}
TWENTY_THIRD = {"nl": "23-11-2026", "en": "23 Nov 2026"}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_r23_r35_an_email_event_of_a_dutch_night_shows_on_its_dutch_day(sandbox, language):
    """R23, R35, architecture.md (dates Europe/Amsterdam; audit actions56: SES stamps its
    events in UTC, and the actions page wrote the UTC day of a bounce of 00:30 Dutch time:
    23-11-2026 for one of 24 November, 1 of 1; the API answered its moment in UTC beside
    the others' Dutch time).
    Given two e-mailed invoices of the dental practice
    When SES reports a bounce of the first's mail at 23:30 UTC on 23 November (00:30 on the
    24th in Amsterdam) and a complaint about the second's at 22:59:59 UTC (23:59:59 on
    the 23rd)
    Then the actions page, in Dutch and in English, dates the bounce the 24th and the
    complaint the 23rd, and the API answers both moments in Dutch time."""
    from tests.functional.test_provider_portal import signed_in

    bounced, complained = emailed(delivered_dental_week(sandbox, 14, "week.csv"))[:2]
    for invoice, name, at in (
        (bounced, "bounce.json", "2026-11-23T23:30:00Z"),
        (complained, "complaint.json", "2026-11-23T22:59:59Z"),
    ):
        event = ses_event(name, invoice.reference)
        event["detail"][name.removesuffix(".json")]["timestamp"] = at
        assert sandbox.invoke("ses_events", event) == {"action_created": True}
    actions = {a["invoice_id"]: a for a in bounce_actions(sandbox)}

    _, html = signed_in(sandbox, "staff", language).page("/portal/acties?state=open")

    bounce, complaint = actions[bounced.invoice_id], actions[complained.invoice_id]
    assert action_row(html, bounce["action_id"]).startswith(TWENTY_FOURTH[language])
    assert action_row(html, complaint["action_id"]).startswith(TWENTY_THIRD[language])
    assert (bounce["created_at"], complaint["created_at"]) == (
        "2026-11-24T00:30:00+01:00",
        "2026-11-23T23:59:59+01:00",
    )


def bounce_of(invoice, bounce_type: str) -> dict:
    """SES's bounce event of ``bounce_type`` of the invoice's mail, naming its address."""
    event = ses_event("bounce.json", invoice.reference)
    event["detail"]["mail"]["messageId"] = invoice.correspondence[0].message_id
    event["detail"]["bounce"]["bounceType"] = bounce_type
    event["detail"]["bounce"]["bouncedRecipients"][0]["emailAddress"] = invoice.addressee.email
    return event


@pytest.mark.parametrize("language", ["nl", "en"])
def test_r7_r23_a_permanent_bounce_after_a_transient_one_tells_the_practice_the_address_is_dead(
    sandbox, monkeypatch, language
):
    """R7, R23, R35, R39 (round 55 bouncefollow55: both bounces of one mail made the action
    id bounce-<message id>, so the Permanent one wrote no action and no count: the
    practice's action, set done, still read "not known to be wrong, zorgnota keeps
    mailing" while the invoice's address was dead and its letters went on paper).
    Given an e-mailed invoice whose mail SES reported as bounced Transient, the practice's
    action set done
    When SES reports a Permanent bounce of that mail, delivers it again, and then a
    Transient one again
    Then the practice has one bounce action, open again, saying the address does not
    exist (any more), not that it is not known to be wrong, in Dutch and in English;
    Email_bounce counts 2 (each bounce once, no replay, nothing for the late Transient
    one); the address is noted dead once and the letters go on paper."""
    from tests.functional.test_provider_portal import signed_in

    (invoice,) = emailed(delivered_dental_week(sandbox, 6, "week.csv"))[:1]
    assert sandbox.invoke("ses_events", bounce_of(invoice, "Transient")) == {"action_created": True}
    (transient,) = bounce_actions(sandbox)
    path = f"/api/v1/provider/actions/{transient['action_id']}"
    assert sandbox.api("PATCH", path, provider_id=PROVIDER, body={"state": "done"})[0] == 200
    counted = emitted_metrics(sandbox, monkeypatch, "ses_events")

    answers = [
        sandbox.invoke("ses_events", bounce_of(invoice, bounce_type))["action_created"]
        for bounce_type in ("Permanent", "Permanent", "Transient")
    ]

    assert answers == [True, False, False]
    assert counted == {"Email_bounce": 1}
    (action,) = bounce_actions(sandbox)
    assert action["action_id"] == transient["action_id"] and action["state"] == "open"
    assert action["details"]["bounce_type"] == "Permanent"
    said = SAID[language]
    _, html = signed_in(sandbox, "staff", language).page("/portal/acties?state=open")
    row = action_row(html, action["action_id"])
    assert said["Permanent"] in row and said["Transient"] not in row and said["check"] in row
    stored = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert stored.bounced_emails == (invoice.addressee.email.casefold(),)
    assert stored.letter_channel is Channel.PAPER


def test_r7_r23_a_transient_bounce_after_a_permanent_one_leaves_the_action_saying_dead(
    sandbox, monkeypatch
):
    """R7, R23, R39 (round 55 bouncefollow55). Given an e-mailed invoice whose mail SES
    reported as bounced Permanent, When SES reports a Transient bounce of that mail and
    then a complaint about it, Then the bounce action still says Permanent (no
    downgrade) and the Transient one is not counted; the complaint is an action of its
    own, counted once; the address stays dead."""
    (invoice,) = emailed(delivered_dental_week(sandbox, 6, "week.csv"))[:1]
    assert sandbox.invoke("ses_events", bounce_of(invoice, "Permanent")) == {"action_created": True}
    counted = emitted_metrics(sandbox, monkeypatch, "ses_events")
    complaint = ses_event("complaint.json", invoice.reference)
    complaint["detail"]["mail"]["messageId"] = invoice.correspondence[0].message_id

    assert sandbox.invoke("ses_events", bounce_of(invoice, "Transient")) == {
        "action_created": False
    }
    assert sandbox.invoke("ses_events", complaint) == {"action_created": True}

    assert counted == {"Email_complaint": 1}
    details = {a["details"]["event"]: a["details"] for a in bounce_actions(sandbox)}
    assert sorted(details) == ["bounce", "complaint"]
    assert details["bounce"]["bounce_type"] == "Permanent"
    stored = sandbox.runtime.repository.get_invoice(PROVIDER, invoice.invoice_id)
    assert stored.letter_channel is Channel.PAPER
