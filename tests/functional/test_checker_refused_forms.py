"""A refused form of the payment checker (R16 objection, R15 arrangement, R14 deferral)
comes back as the patient filled it in, with the field in error marked and described by
the error, and the kenmerk field left alone (audit pages D2; WCAG 3.3.1, 1.3.1/4.1.2,
3.3.3). The statement form's refusals (R17) are in test_insurer_statement."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode

import pytest

from billing_core.changes.objection import said_as
from billing_core.invoices.invoice import Channel
from billing_core.shared.errors import refused_as
from local.generate import declaration_csv
from local.seed import DENTAL
from tests.functional.form_fields import form_fields, marked_invalid
from tests.functional.test_patient_api import FORM, unlock, visit_cookie

MESSAGE = "Ik ben op 21 november niet behandeld; de controle was op 14 november.\nAl betaald."


@pytest.fixture
def invoice(sandbox):
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(12))
    sandbox.drain_deliveries()
    invoices, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
    # The largest: large enough for an arrangement (R15)
    emailed = (i for i in invoices if i.channel is Channel.EMAIL)
    return max(emailed, key=lambda i: i.amount_due_cents)


def post(sandbox, invoice, cookie, **form):
    body = urlencode({"kenmerk": invoice.reference, "lang": "nl"} | form)
    return sandbox.api("POST", "/", body=body, headers=FORM | {"Cookie": cookie})


@pytest.mark.parametrize(
    "language, reason, message, email, field, sentence",
    [
        ("nl", "insurer", MESSAGE, "jan@hotmail", "email", "Vul een geldig e-mailadres in"),
        ("en", "insurer", MESSAGE, "jan@hotmail", "email", "Enter a valid e-mail address"),
        ("nl", "insurer", "x" * 2001, "jan@example.nl", "message", "hoogstens 2000 tekens"),
        ("nl", "angry", MESSAGE, "jan@example.nl", "reason", "Kies een reden uit de lijst"),
    ],
)
def test_r16_a_refused_objection_keeps_what_was_typed_and_marks_the_field_in_error(
    sandbox, invoice, language, reason, message, email, field, sentence
):
    """Given a visit that checked the birth date, when the objection is refused for one of
    its three conditions, then the page names that condition, marks its field (and only
    that one) invalid, described by the error and focused, and the message, the e-mail
    address and the reason come back as typed."""
    cookie = visit_cookie(unlock(sandbox, invoice))
    typed = {"reason": reason, "message": message, "email": email}
    status, html = post(sandbox, invoice, cookie, action="object", lang=language, **typed)
    assert status == 409 and sentence in html
    fields = form_fields(html)
    assert marked_invalid(html) == {field}
    assert fields[field]["aria-describedby"] == "error" and "autofocus" in fields[field]
    assert (
        "aria-invalid" not in fields["kenmerk"]
        and "error" not in fields["kenmerk"]["aria-describedby"]
    )
    assert fields["message"]["value"] == message and fields["email"]["value"] == email
    assert fields["reason"].get("value") == (reason if reason != "angry" else None)
    assert invoice.birth_date.isoformat() not in html  # the birth date is never sent back


def sentence_of(html: str, element_id: str) -> str:
    """The text of the element with ``element_id`` (a list item of the error)."""
    return re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)[1]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_r16_an_objection_wrong_in_every_field_names_and_marks_each_at_once(
    sandbox, invoice, language
):
    """R16 (WCAG 3.3.1, 3.3.3, 1.3.1/4.1.2): given an objection with no reason of the list,
    an empty message and an address without its domain's end, when it is sent, then the
    page names all three at once, each field marked invalid and described by the sentence
    about it, the first one (the reason) focused, and what was typed kept; the patient
    does not put right one field only to be refused for the next."""
    cookie = visit_cookie(unlock(sandbox, invoice))
    typed = {"reason": "angry", "message": "", "email": "jan@hotmail"}
    status, html = post(sandbox, invoice, cookie, action="object", lang=language, **typed)
    # 400, and the empty message's own sentence (round 44 small6: an empty field, as the API)
    assert status == 400
    fields = form_fields(html)
    assert marked_invalid(html) == {"reason", "message", "email"}
    for name in ("reason", "message", "email"):
        said = refused_as(said_as(""), f"invalid_objection_{name}").message(language)
        assert unescape(sentence_of(html, fields[name]["aria-describedby"])) == said
    assert len({fields[name]["aria-describedby"] for name in typed}) == 3
    assert "autofocus" in fields["reason"] and html.count("autofocus") == 1
    assert fields["email"]["value"] == "jan@hotmail" and fields["message"]["value"] == ""
    assert "aria-invalid" not in fields["kenmerk"]


@pytest.mark.parametrize(
    "language, message, sentence",
    [
        ("nl", "   ", "Schrijf in het bericht waar u het niet mee eens bent."),
        ("en", " \n ", "Write in the message what you disagree with."),
        ("pl", "", "Proszę napisać w wiadomości, z czym się Pan/Pani nie zgadza."),
        ("ar", "\u200b", "اكتبوا في الرسالة ما لا توافقون عليه."),
    ],
    ids=["nl_spaces", "en_blank_lines", "pl_empty", "ar_zero_width"],
)
def test_r16_an_empty_objection_message_is_refused_as_empty_not_as_too_long(
    sandbox, invoice, language, message, sentence
):
    """R16 (an objection has a message; WCAG 3.3.3: the error says what to put right),
    round 44 objections: given a visit that checked the birth date, when the objection
    form is sent with a message of only spaces, line breaks or invisible characters, then
    the page says the message is empty in the patient's language, not "at most 2000
    characters", answers 400 as the API answers an empty field, marks the message field,
    and nothing is filed."""
    cookie = visit_cookie(unlock(sandbox, invoice))
    typed = {"reason": "amount", "message": message, "email": "jan@example.nl"}
    status, html = post(sandbox, invoice, cookie, action="object", lang=language, **typed)
    assert status == 400
    assert sentence in unescape(html) and "2000" not in unescape(html).split('id="error"')[1][:400]
    assert marked_invalid(html) == {"message"}
    assert sandbox.runtime.repository.list_actions(DENTAL.provider_id) == []


def test_r16_an_objection_message_over_2000_characters_still_says_so(sandbox, invoice):
    """R16: given a visit, when the message is 2001 characters, then the refusal still
    names the limit, with the page's status for a refused form (409)."""
    cookie = visit_cookie(unlock(sandbox, invoice))
    typed = {"reason": "amount", "message": "x" * 2001, "email": "jan@example.nl"}
    status, html = post(sandbox, invoice, cookie, action="object", lang="en", **typed)
    assert status == 409 and "Write a message of at most 2000 characters." in html


def test_r15_an_unreadable_number_of_terms_marks_the_terms_field(sandbox, invoice):
    cookie = visit_cookie(unlock(sandbox, invoice))
    status, html = post(sandbox, invoice, cookie, action="arrange", terms="drie")
    assert status == 400 and marked_invalid(html) == {"terms"}
    assert form_fields(html)["terms"]["aria-describedby"] == "error"


def test_r14_a_refused_deferral_marks_no_field_and_the_error_takes_the_focus(sandbox, invoice):
    """A refusal about the invoice's state (a second deferral) is about no field: the
    kenmerk is not announced as invalid, and the error itself takes the focus."""
    cookie = visit_cookie(unlock(sandbox, invoice))
    assert post(sandbox, invoice, cookie, action="defer")[0] == 200
    # a second deferral, not the first sent again (that gets its first answer, R38)
    sandbox.clock.advance(days=2)
    cookie = visit_cookie(unlock(sandbox, invoice))
    status, html = post(sandbox, invoice, cookie, action="defer")
    assert status == 409 and marked_invalid(html) == set()
    assert 'role="alert" id="error" tabindex="-1" autofocus' in html


@pytest.mark.parametrize("kenmerk", ["1234", "12234534622567"])
def test_r10_a_wrong_or_unknown_kenmerk_still_marks_the_kenmerk_field(sandbox, kenmerk):
    _, html = sandbox.api("GET", "/", query={"kenmerk": kenmerk})
    assert marked_invalid(html) == {"kenmerk"}
    assert form_fields(html)["kenmerk"]["aria-describedby"] == "kenmerk-hint error"
