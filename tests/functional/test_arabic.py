"""A patient who reads Arabic, end to end on embedded AWS (R9, R36; issue 17 item 7): the
checker and its pages right to left, the iDEAL round trip back in Arabic, and the reminder
e-mail with its letter."""

from __future__ import annotations

from datetime import date
from html import escape
from urllib.parse import parse_qs, urlsplit

from billing_core.invoices.invoice import Channel
from local.generate import declaration_csv
from local.seed import DENTAL
from tests.unit.test_notify_render import misdirected_lines

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
REMINDER_DAY = date(2026, 12, 31)  # the invoices of 23 November, in default from 24 December


def arabic_invoices(sandbox):
    """The practice's week, its patients all asking for Arabic (the declaration's language)."""
    week = declaration_csv(6).replace(b";nl;", b";ar;")
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", week)
    sandbox.drain_deliveries()
    invoices, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
    return [i for i in invoices if i.channel is Channel.EMAIL]


def header(answer, name):
    multi = {key: values[0] for key, values in (answer.get("multiValueHeaders") or {}).items()}
    return (multi | (answer.get("headers") or {}))[name]


def cookie(answer, name):
    cookies = (answer.get("multiValueHeaders") or {}).get("Set-Cookie", [])
    return next(c.split(";")[0] for c in cookies if c.startswith(f"{name}="))


def test_the_checker_is_arabic_right_to_left_with_the_numbers_left_to_right(sandbox):
    # Given an invoice / When the patient opens the checker in Arabic
    invoice = arabic_invoices(sandbox)[0]
    status, html = sandbox.api("GET", "/", query={"kenmerk": invoice.reference, "lang": "ar"})

    # Then the page is Arabic, right to left, and the kenmerk and amount read left to right
    assert status == 200 and '<html lang="ar" dir="rtl">' in html
    assert "هذه الفاتورة غير مدفوعة بعد." in html
    unbroken = "\u00a0".join(invoice.reference[i : i + 4] for i in range(0, 14, 4))
    assert f'<bdi dir="ltr">{unbroken}</bdi>' in html
    assert '<dd id="amount-due"><bdi dir="ltr">€' in html


def test_the_pages_for_patients_are_arabic_right_to_left(sandbox):
    for path, words in (
        ("/vragen", "هل يمكنني الدفع على أقساط؟"),
        ("/voorwaarden", "بحد أقصى €6,775"),  # legal-nl.md §3: the same figures
        ("/privacy", "مدة الحفظ الضريبية البالغة 7 سنوات"),
    ):
        answer = sandbox.api_raw("GET", path, query={"lang": "ar"})
        assert answer["statusCode"] == 200, path
        assert '<html lang="ar" dir="rtl">' in answer["body"] and words in answer["body"], path


def test_r9_the_language_stays_arabic_through_the_ideal_round_trip(sandbox, emailed_invoice):
    # Given a Dutch invoice, read on the checker in Arabic, the birth date checked once
    invoice = emailed_invoice
    assert invoice.language.value == "nl"
    born = invoice.birth_date.isoformat()
    unlock = f"action=unlock&kenmerk={invoice.reference}&lang=ar&birth_date={born}"
    unlocked = sandbox.api_raw("POST", "/", body=unlock, headers=FORM)
    assert parse_qs(urlsplit(header(unlocked, "Location")).query)["lang"] == ["ar"]
    visit = cookie(unlocked, "zn_visit")

    # When they pay with iDEAL and the bank sends them back
    pay = f"action=pay&kenmerk={invoice.reference}&lang=ar"
    to_bank = sandbox.api_raw("POST", "/", body=pay, headers=FORM | {"Cookie": visit})
    payment_id = cookie(to_bank, "zn_payment").split("=", 1)[1]
    sandbox.complete_psp_payment(payment_id, "paid")
    back = urlsplit(sandbox.runtime.psp.redirect_url(payment_id))
    query = {key: values[0] for key, values in parse_qs(back.query).items()}
    cookies = f"{visit}; {cookie(to_bank, 'zn_payment')}"
    status, html = sandbox.api("GET", "/", query=query, headers={"Cookie": cookies})

    # Then the checker they land on is Arabic and thanks them in Arabic
    assert query["lang"] == "ar"
    assert status == 200 and '<html lang="ar" dir="rtl">' in html
    assert "شكرًا لكم! استلمنا دفعتكم." in html and "هذه الفاتورة مدفوعة." in html


def test_the_arabic_reminder_e_mail_is_right_to_left_with_its_letter(sandbox):
    # Given unpaid invoices of patients who read Arabic
    arabic_invoices(sandbox)

    # When the reminder day's run sends the reminders (R19, legal-nl.md §2)
    sandbox.clock.set(REMINDER_DAY)
    sandbox.run_dunning()

    # Then each reminder e-mail is Arabic, right to left in both parts, with its letter
    reminders = [m for m in sandbox.outbox() if m["subject"].startswith("تذكير:")]
    assert reminders
    for mail in reminders:
        assert '<html lang="ar" dir="rtl">' in mail["html"] and '<body dir="rtl"' in mail["html"]
        assert "خلال أربعة عشر يومًا" in mail["text"]  # the term, in the letter's language
        assert misdirected_lines(mail["text"]) == []
        (letter,) = mail["attachments"]
        assert letter["filename"].startswith("tadhkir-") and letter["filename"].endswith(".pdf")
        assert letter["content"].startswith(b"%PDF")


def test_wcag_3_1_2_the_practice_s_dutch_texts_are_marked_dutch_on_the_arabic_checker(
    sandbox, emailed_invoice
):
    # Given a Dutch practice's invoice, read on the checker in Arabic (R9), birth date given
    invoice = emailed_invoice
    born = invoice.birth_date.isoformat()
    unlock = f"action=unlock&kenmerk={invoice.reference}&lang=ar&birth_date={born}"
    visit = cookie(sandbox.api_raw("POST", "/", body=unlock, headers=FORM), "zn_visit")

    # When the unlocked page is shown
    query = {"kenmerk": invoice.reference, "lang": "ar"}
    status, html = sandbox.api("GET", "/", query=query, headers={"Cookie": visit})

    # Then the treatments' descriptions and the opening hours, the practice's own Dutch
    # texts, say they are Dutch and run left to right inside the Arabic page
    assert status == 200
    for line in invoice.lines:
        assert f'<td lang="nl"><bdi>{escape(line.description)}</bdi></td>' in html
    assert '<dd lang="nl"><bdi>ma-vr 8:00-17:00</bdi></dd>' in html
