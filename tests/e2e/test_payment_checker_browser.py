"""The payment-checker page in headless Chromium against the local server (R10, R11);
on a phone every tap target of it and of the pages for patients is 44 px (WCAG 2.5.5).

Debian's chromium, driven by Playwright; `make test` installs chromium when missing.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from billing_core.invoices.invoice import Channel
from billing_core.payments.psp import PspUnavailable
from billing_core.shared import reference
from billing_core.texts.catalogue import LANGUAGES
from tests.e2e.axe import axe_context, serious_violations
from tests.e2e.conftest import LOCALES
from tests.e2e.date_fields import shown_order
from tests.e2e.layout import (
    CHECKER_TAP_TARGETS,
    assert_focus_ring_contrasts,
    assert_reflows,
    assert_targets_fit_a_finger,
    contrast,
    rgb,
)

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_a_patient_checks_and_pays_an_invoice(running_server, page, invoice, tmp_path):
    # Given the payment checker / When the patient types the kenmerk as printed
    page.goto(f"{running_server.url}/")
    page.get_by_label("Betalingskenmerk").fill(reference.grouped(invoice.reference))
    page.get_by_role("button", name="Controleren").click()
    # Then the page says it is open and shows the amount (and nothing personal)
    assert page.locator("#result").inner_text() == "Deze nota staat open."
    amount = page.locator("#amount-due").inner_text()
    assert amount.startswith("€\u00a0")
    # (the practice's name is shown, R36; this sandbox patient shares "De Vries" with it)
    personal = (invoice.patient.address.street, invoice.patient.email, str(invoice.birth_date))
    assert not any(value in page.content() for value in personal)
    _screenshot(page, tmp_path)
    # and it reflows on a narrow phone, its focus ring standing out (WCAG 1.4.10, 1.4.11)
    assert_reflows(page)
    for focusable in ("nav.languages a", "#kenmerk", "#unlock", "footer a"):
        assert_focus_ring_contrasts(page, focusable)
    # When the patient gives the birth date once (R36) and pays with iDEAL at the (fake) bank
    page.locator("#birth-date").fill(invoice.birth_date.isoformat())
    with page.expect_navigation():
        page.locator("#unlock").click()
    assert page.locator("#lines tbody tr").count() >= 1  # the treatments, after the check
    assert_reflows(page)  # the treatments table scrolls in its own region, not the page
    assert_focus_ring_contrasts(page, "#pay")
    page.locator("#pay").click()
    assert "/_local/psp/checkout/" in page.url
    page.locator("#paid").click()
    # Then back on the checker, it says paid and thank you
    page.wait_for_url(f"**/?kenmerk={invoice.reference}*")
    assert page.locator("#result").inner_text() == "Deze nota is betaald."


def test_r11_mollie_unreachable_the_pay_button_leads_to_a_page_to_transfer_instead(
    running_server, browser, invoice
):
    """R11, R12 (known.md stop 39, PSP): Given an unlocked invoice, and Mollie cannot be
    reached / When the patient presses Pay / Then a page of its own, not the APIs' JSON
    (503 kept): try again or transfer, with our IBAN and the kenmerk; it has no serious
    axe violation, and its link leads back to the invoice, still unlocked."""
    context = axe_context(browser, locale="nl-NL", viewport={"width": 420, "height": 900})
    page = context.new_page()
    page.goto(f"{running_server.url}/?kenmerk={invoice.reference}")
    page.locator("#birth-date").fill(invoice.birth_date.isoformat())
    page.locator("#unlock").click()

    def unreachable(request, idempotency_key):
        raise PspUnavailable("ConnectTimeout")

    running_server.sandbox.runtime.psp.create_payment = unreachable
    with page.expect_navigation() as answer:
        page.locator("#pay").click()
    assert answer.value.status == 503
    assert page.locator("h1").inner_text() == "Online betalen lukt nu niet"
    iban = page.locator("#transfer-iban").inner_text().replace("\u00a0", " ")
    assert iban.replace(" ", "") == running_server.sandbox.runtime.collection_account.iban
    kenmerk = page.locator("#transfer-kenmerk").inner_text().replace("\u00a0", " ")
    assert kenmerk == reference.grouped(invoice.reference)
    assert serious_violations(page) == []
    assert_reflows(page)
    with page.expect_navigation():
        page.locator("#back").click()
    assert page.locator("#amount-due").is_visible() and page.locator("#pay").is_visible()
    context.close()


def test_r11_mollie_unreachable_back_from_the_bank_the_page_says_not_to_pay_again(
    running_server, browser, invoice, tmp_path
):
    """R10, R11 (known.md stop 40, PSP): Given the patient paid at the bank, and Mollie
    cannot be reached (its webhook not in, the checker cannot ask it) / When the bank
    sends them back / Then the checker page (200, not the APIs' JSON): the invoice as we
    have it, a notice not to pay again and to reload in a few minutes, no pay button; no
    serious axe violation, it reflows / And once Mollie answers and its webhook books the
    payment, the reload the notice asks for says paid."""
    context = axe_context(browser, locale="nl-NL", viewport={"width": 420, "height": 900})
    page = context.new_page()
    page.goto(f"{running_server.url}/?kenmerk={invoice.reference}")
    page.locator("#birth-date").fill(invoice.birth_date.isoformat())
    page.locator("#unlock").click()
    page.locator("#pay").click()
    payment_id = page.url.rsplit("/", 1)[-1]  # the (fake) bank's checkout page
    psp = running_server.sandbox.runtime.psp
    webhook = psp.complete(payment_id, "paid")  # paid at the bank; Mollie's webhook held back

    def unreachable(psp_payment_id):
        raise PspUnavailable("ConnectTimeout")

    psp.get_payment = unreachable
    answer = page.goto(psp.redirect_url(payment_id))  # the bank sends the patient back
    assert answer is not None and answer.status == 200
    notice = page.locator("#notice").inner_text()
    assert notice.startswith("Wij kunnen op dit moment niet nagaan of uw betaling gelukt is")
    assert page.locator("#amount-due").is_visible() and page.locator("#pay").count() == 0
    assert serious_violations(page) == []
    assert_reflows(page)
    page.screenshot(path=str(tmp_path / "back-from-the-bank-psp-unreachable.png"), full_page=True)
    del psp.get_payment  # Mollie answers again, and its webhook comes in
    assert running_server.sandbox.post_psp_webhook(webhook.body)["statusCode"] == 200
    page.reload()
    assert page.locator("#result").inner_text() == "Deze nota is betaald."
    context.close()


def test_r36_a_wrong_birth_date_flags_the_field_and_keeps_the_kenmerk(
    running_server, page, invoice
):
    page.goto(f"{running_server.url}/?kenmerk={invoice.reference}")
    page.locator("#birth-date").fill("1901-01-01")
    with page.expect_navigation():
        page.locator("#unlock").click()
    assert page.locator("#birth-date").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Betalingskenmerk").input_value() == invoice.reference
    assert page.locator("#lines").count() == 0


def test_r16_a_refused_objection_keeps_the_text_and_focuses_the_field_in_error(
    running_server, page, invoice
):
    """Audit pages D2 (WCAG 3.3.1, 4.1.2): "jan@hotmail" passes the browser's own check and
    the server refuses it; the patient lands on the e-mail field, announced invalid with
    the error, and the message typed is still there; the kenmerk is not flagged."""
    page.goto(f"{running_server.url}/?kenmerk={invoice.reference}")
    page.locator("#birth-date").fill(invoice.birth_date.isoformat())
    page.locator("#unlock").click()
    message = "Ik ben op 21 november niet behandeld. De controle was op 14 november."
    page.locator("#message").fill(message)
    page.locator("#email").fill("jan@hotmail")
    with page.expect_navigation() as answer:
        page.locator("#email").press("Enter")
    assert answer.value.status == 409
    assert "e-mailadres" in page.locator("#error").inner_text()
    assert page.evaluate("document.activeElement.id") == "email"
    assert page.locator("#email").get_attribute("aria-invalid") == "true"
    assert page.locator("#email").get_attribute("aria-describedby") == "error"
    assert page.locator("#kenmerk").get_attribute("aria-invalid") is None
    assert page.locator("#message").input_value() == message
    assert page.locator("#email").input_value() == "jan@hotmail"


def test_r16_an_objection_wrong_in_two_fields_names_both_at_once(running_server, browser, invoice):
    """R16 (WCAG 3.3.1, 3.3.3, 1.3.1/4.1.2): a message of spaces and "jan@hotmail" both pass
    the browser's own checks and the server refuses both (the message as empty, 400); the
    page lists both sentences, each field described by its own, the patient lands on the
    first (the message), and the page has no serious or critical axe violation."""
    context = axe_context(browser, locale="nl-NL", viewport={"width": 420, "height": 900})
    page = context.new_page()
    page.goto(f"{running_server.url}/?kenmerk={invoice.reference}")
    page.locator("#birth-date").fill(invoice.birth_date.isoformat())
    page.locator("#unlock").click()
    page.locator("#message").fill("   ")
    page.locator("#email").fill("jan@hotmail")
    with page.expect_navigation() as answer:
        page.locator("#email").press("Enter")
    # 400: an empty message is an empty field, as the API answers it (stop 44, small6)
    assert answer.value.status == 400
    assert page.locator("#error li").count() == 2
    for field in ("message", "email"):
        assert page.locator(f"#{field}").get_attribute("aria-invalid") == "true"
        described = page.locator(f"#{field}").get_attribute("aria-describedby")
        assert described == f"error-{field}" and page.locator(f"#{described}").is_visible()
    assert "e-mailadres" in page.locator("#error-email").inner_text()
    assert "waar u het niet mee eens bent" in page.locator("#error-message").inner_text()
    assert page.evaluate("document.activeElement.id") == "message"
    assert serious_violations(page) == []
    context.close()


def test_r16_r9_an_arabic_objection_as_long_as_the_form_allows_is_filed_whole(
    running_server, page_in, invoice
):
    """R16, R9 (audit REQUESTS1): a patient types an Arabic objection of many lines into
    the real form, more than it takes; Chromium stops at the 2,000 characters of its
    maxlength (a line break one) and posts it as the form says (multipart: urlencoded it
    was over the 8 KB the WAF and the API take). The page says it is received and the
    practice's open action holds every character the form took."""
    page = page_in("ar")
    page.goto(f"{running_server.url}/?lang=ar&kenmerk={invoice.reference}")
    page.locator("#birth-date").fill(invoice.birth_date.isoformat())
    page.locator("#unlock").click()
    page.locator("#message").click()
    page.keyboard.insert_text(("اعتراض على مبلغ الفاتورة\n" * 90)[:2100])
    typed = page.locator("#message").input_value()
    assert len(typed) == 2000 and typed.count("\n") > 50
    page.locator("#email").fill("patient@example.org")
    with page.expect_navigation() as answer:
        page.locator("#message").locator("xpath=ancestor::form").locator("button").click()
    assert answer.value.status == 200
    assert page.locator("html").get_attribute("lang") == "ar"
    actions = running_server.sandbox.runtime.repository.list_actions(invoice.provider_id)
    (objection,) = [a for a in actions if a.kind.value == "objection"]
    assert objection.details["message"].replace("\r\n", "\n") == typed.strip()


# Polish: test_checker_polish.py (its own file, with the desktop screenshot).
@pytest.mark.parametrize("language", ["nl", "en", "ar"])
def test_r9_the_checker_in_every_language(running_server, page_in, invoice, language, tmp_path):
    page = page_in(language)  # its date field as the page's readers see it
    page.goto(f"{running_server.url}/?lang={language}&kenmerk={invoice.reference}")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("#breakdown").is_visible() and page.locator("#practice").is_visible()
    _screenshot(page, tmp_path, f"patient/checker-{language}.png")
    assert_reflows(page)
    assert_targets_fit_a_finger(page, CHECKER_TAP_TARGETS)


def test_r9_the_arabic_checker_mirrors_and_keeps_numbers_left_to_right(
    running_server, browsers, invoice, tmp_path
):
    # Given a patient who reads Arabic, on a desktop screen
    context = browsers("ar").new_context(locale="ar", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # When they open the checker in Arabic
    page.goto(f"{running_server.url}/?lang=ar&kenmerk={invoice.reference}")
    # Then the page runs right to left: the heading starts at the right, the labels of the
    # breakdown stand right of their amounts
    assert page.locator("html").get_attribute("dir") == "rtl"
    main = page.locator("main").bounding_box()
    heading = page.locator("h1").bounding_box()
    assert main["x"] + main["width"] - (heading["x"] + heading["width"]) < 40
    label = page.locator("#breakdown dt").first.bounding_box()
    amount = page.locator("#bd-invoiced").bounding_box()
    assert label["x"] > amount["x"]
    # and the kenmerk and the amount read left to right, groups in order
    kenmerk = page.locator("#status .kenmerk bdi")
    assert kenmerk.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert kenmerk.inner_text().replace("\u00a0", " ") == reference.grouped(invoice.reference)
    assert page.locator("#amount-due").inner_text().startswith("€")
    _screenshot(page, tmp_path, "patient/checker-ar-desktop.png")
    context.close()


@pytest.mark.parametrize(("language", "order"), [("nl", "dmy"), ("en", "mdy"), ("pl", "dmy")])
def test_r9_the_birth_date_field_is_drawn_as_the_pages_reader_writes_a_date(
    running_server, browsers, invoice, language, order
):
    """R9, R36: given the checker in a language, when its birth-date field is drawn, then
    in the order that language writes a date (dd-mm-jjjj on the Dutch page, not the
    mm/dd/yyyy of a browser in US English), as the reader's own browser draws it."""
    context = axe_context(
        browsers(language), locale=LOCALES[language], viewport={"width": 420, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{running_server.url}/?lang={language}&kenmerk={invoice.reference}")
    assert shown_order(page, "#birth-date") == order
    context.close()


def test_a_wrong_check_digit_shows_a_plain_error(running_server, page, invoice):
    wrong = invoice.reference[:-1] + str((int(invoice.reference[-1]) + 1) % 10)
    page.goto(f"{running_server.url}/")
    page.get_by_label("Betalingskenmerk").fill(wrong)
    page.keyboard.press("Enter")  # the keyboard alone is enough
    assert (
        page.locator("#error").inner_text()
        == "Dit betalingskenmerk klopt niet — controleer de 14 cijfers."
    )
    assert page.get_by_label("Betalingskenmerk").get_attribute("aria-invalid") == "true"


def test_the_page_speaks_english_on_request(running_server, page, invoice):
    page.goto(f"{running_server.url}/?lang=en&kenmerk={invoice.reference}")
    assert page.locator("#result").inner_text() == "This invoice is open."
    assert page.locator("html").get_attribute("lang") == "en"


# The colour of each link on the page, and of every :visited rule of its style sheet (a
# browser never tells a page which links were visited, so the rule itself is checked).
_LINK_COLOURS_JS = """() => ({
  accent: getComputedStyle(document.documentElement).getPropertyValue('--accent').trim(),
  links: [...document.querySelectorAll('#practice a')].map(a => getComputedStyle(a).color),
  visited: [...document.styleSheets].flatMap(sheet => [...sheet.cssRules])
    .filter(rule => (rule.selectorText || '').includes(':visited'))
    .map(rule => rule.style.color),
})"""


def test_r36_the_practice_cards_links_wear_the_pages_link_colour(running_server, page, invoice):
    # Given the checker with the practice's card (phone, e-mail, website: R36)
    page.goto(f"{running_server.url}/?kenmerk={invoice.reference}")
    colours = page.evaluate(_LINK_COLOURS_JS)
    accent = _hex(colours["accent"])
    # Then its links are in the page's own link colour, not the browser's blue, with AA
    # contrast on the white card (WCAG 1.4.3)
    assert colours["links"] and {rgb(c) for c in colours["links"]} == {accent}
    assert contrast(accent, WHITE) >= AA_TEXT
    # And a visited link keeps AA contrast on the card and on the page's grey
    visited = [_resolved(page, c) for c in colours["visited"]]
    assert visited and all(
        contrast(c, background) >= AA_TEXT for c in visited for background in (WHITE, PAGE_GREY)
    )
    # And a link focused from the keyboard shows a ring of 3:1 (WCAG 1.4.11, 2.4.7)
    assert_focus_ring_contrasts(page, "#practice a")


WHITE, PAGE_GREY = (255, 255, 255), (246, 248, 250)  # the card, the page (pages/_style)
AA_TEXT = 4.5


def _resolved(page, colour: str) -> tuple[int, ...]:
    """A CSS colour as written in a rule (a var() included), as the browser computes it."""
    computed = page.evaluate(
        """c => { const e = document.createElement('span'); e.style.color = c;
                  document.body.append(e); const v = getComputedStyle(e).color; e.remove();
                  return v; }""",
        colour,
    )
    return rgb(computed)


def _hex(css: str) -> tuple[int, ...]:
    return tuple(int(css[i : i + 2], 16) for i in (1, 3, 5))


def _screenshot(page, tmp_path: Path, name: str = "payment-checker.png") -> None:
    """Always taken; copied to docs/ when UPDATE_SCREENSHOTS=1 (kept in the repository)."""
    target = tmp_path / Path(name).name
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        (DOCS / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(target, DOCS / name)


@pytest.mark.parametrize(
    "language, passed_label, hold_line",
    [
        ("nl", "Openstaande termijn verstreken op", "In behandeling bij uw zorgverlener"),
        ("ar", "انقضى موعد القسط المستحق في", "قيد المراجعة لدى مقدّم الرعاية الصحية"),
    ],
)
def test_r16_r36_a_late_term_during_a_hold_reads_as_passed_with_the_hold_beside_the_state(
    running_server, browser, invoice, language, passed_label, hold_line, tmp_path
):
    """R15, R16, R36 (audit ARRANGEMENTS6; the passed dates of the last checker session).
    Given an arrangement whose first term (23 December) is unpaid on 28 December, during a
    hold until 20 January, when the patient opens the checker, then the term reads as
    passed, the hold shows as a second line of the state and with its sentence, and the
    page keeps free of serious accessibility faults and reflows on a phone."""
    sandbox = running_server.sandbox
    invoices, _ = sandbox.runtime.repository.list_invoices(invoice.provider_id)
    emailed = (i for i in invoices if i.channel is Channel.EMAIL)
    largest = max(emailed, key=lambda i: i.amount_due_cents)
    sandbox.clock.set(date(2026, 11, 25))
    arranged = {"birth_date": largest.birth_date.isoformat(), "terms": 2}
    code, body = sandbox.api(
        "POST", f"/api/v1/invoices/{largest.reference}/arrangement", body=arranged
    )
    assert code == 200 and body["terms"][0]["due_date"] == "2026-12-23", body
    sandbox.clock.set(date(2026, 12, 20))
    hold = {"until": "2027-01-20", "reason": "navragen"}
    path = f"/api/v1/provider/invoices/{largest.invoice_id}/hold"
    assert sandbox.api("POST", path, provider_id=largest.provider_id, body=hold)[0] == 200
    sandbox.clock.set(date(2026, 12, 28))
    context = axe_context(browser, locale="nl-NL", viewport={"width": 420, "height": 900})
    page = context.new_page()
    page.goto(f"{running_server.url}/?lang={language}&kenmerk={largest.reference}")
    assert page.locator("#status dt", has_text=passed_label).is_visible()
    assert page.locator("#state-on-hold").inner_text() == hold_line
    assert page.locator("#on-hold").is_visible()
    page.screenshot(path=str(tmp_path / f"late-term-on-hold-{language}.png"), full_page=True)
    assert serious_violations(page) == []
    assert_reflows(page)
    context.close()


@pytest.mark.parametrize(
    "path, unlocked",
    [
        ("/?kenmerk={reference}", False),
        ("/?lang=en", False),
        ("/vragen", False),
        ("/voorwaarden", False),
        ("/?lang=ar&kenmerk={reference}", False),
        ("/vragen?lang=ar", False),
        ("/?lang=pl&kenmerk={reference}", False),
        ("/vragen?lang=pl", False),
        ("/voorwaarden?lang=pl", False),
        ("/privacy?lang=pl", False),
        # Once the birth date is given: the treatments' table in its region (PAGES5)
        *[(f"/?lang={language}&kenmerk={{reference}}", True) for language in LANGUAGES],
        # An address no page has, as a letter's reader may mistype it (PAGES1)
        ("/nota", False),
        ("/nota?lang=en", False),
        ("/vragen/betalen?lang=pl", False),
        ("/nota?lang=ar", False),
    ],
)
def test_r10_no_serious_or_critical_accessibility_violations(
    running_server, browser, invoice, path, unlocked
):
    """R10, R36, WCAG 2.1 AA: every state of the checker and of the pages for patients,
    in their languages, passes axe (landmark-unique too, PAGES5), reflows, and starts
    with a skip link to its content (2.4.1; audit PAGES6); an unknown address is a 404
    page in the reader's language that leads back to the checker (PAGES1).
    On the phone its language links, foot links, the brand, the links on their own (the
    PDF, back, the practice's phone) and its fields and buttons are 44 px to a finger
    (WCAG 2.5.5, screens53b: the language links drew 20 px high, the foot's 16, the back
    link 20, the brand 30)."""
    context = axe_context(browser, locale="nl-NL", viewport={"width": 420, "height": 900})
    page = context.new_page()
    answer = page.goto(running_server.url + path.format(reference=invoice.reference))
    asked = re.search(r"lang=(\w+)", path)
    language = asked[1] if asked else "nl"
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    if unlocked:
        page.locator("#birth-date").fill(invoice.birth_date.isoformat())
        with page.expect_navigation():
            page.locator("#unlock").click()
        assert page.locator("#lines tbody tr").count() >= 1
    if path.partition("?")[0] in ("/nota", "/vragen/betalen"):  # no page has these
        assert answer.status == 404 and answer.headers["content-type"].startswith("text/html")
        assert page.title() and page.locator("h1").count() == 1
        back = "/" if language == "nl" else f"/?lang={language}"
        assert page.locator(f"main a[href='{back}']").count() == 1
    assert serious_violations(page) == []
    assert_reflows(page)
    assert_targets_fit_a_finger(page, CHECKER_TAP_TARGETS)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.locator("a.skip").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
    context.close()


@pytest.mark.parametrize(
    "language, message",
    [
        ("nl", "Ik betwist het bedrag van € 95 <b>niet</b> a<b " + "€" * 1950),
        ("en", "I dispute the amount " + "€" * 1970),
        ("pl", "Kwestionuję kwotę " + "€" * 1970),
        ("ar", ("اعتراض على مبلغ الفاتورة\n" * 90)[:2000]),
    ],
)
def test_r16_r36_the_page_for_a_message_over_the_limit_passes_axe_and_gives_it_back(
    running_server, browser, invoice, language, message, tmp_path
):
    """R16, R36, WCAG 2.1 AA (this stop's checker5: the 413 page had no axe run). Given an
    unlocked invoice and the objection form as a page loaded before the multipart change
    posts it (urlencoded), when the patient sends a message of 2,000 characters that is
    over the 8 KB urlencoded, then the browser shows the 413 page in the page's language:
    no serious or critical axe violation (landmark-unique too), it reflows on a phone,
    starts with a skip link, gives the message back whole in a labelled read-only field
    (our own page: Sec-Fetch-Site same-origin) and leads back to the checker."""
    context = axe_context(browser, locale=LOCALES[language], viewport={"width": 420, "height": 900})
    page = context.new_page()
    page.goto(f"{running_server.url}/?lang={language}&kenmerk={invoice.reference}")
    page.locator("#birth-date").fill(invoice.birth_date.isoformat())
    with page.expect_navigation():
        page.locator("#unlock").click()
    form = page.locator("#message").locator("xpath=ancestor::form")
    form.evaluate("f => f.removeAttribute('enctype')")  # urlencoded, as before REQUESTS1
    page.locator("#message").click()
    page.keyboard.insert_text(message)
    page.locator("#email").fill("patient@example.org")
    with page.expect_navigation() as answer:
        form.locator("button[type=submit], button:not([type])").last.click()
    assert answer.value.status == 413
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    given_back = page.get_by_label(re.compile(".+")).and_(page.locator("#given-back-text"))
    assert given_back.input_value().replace("\r\n", "\n") == message.replace("\r\n", "\n")
    assert page.locator("#back").get_attribute("href").startswith(f"/?kenmerk={invoice.reference}")
    _screenshot(page, tmp_path, f"patient/message-too-long-{language}.png")
    assert serious_violations(page) == []
    assert_reflows(page)
    assert_targets_fit_a_finger(page, CHECKER_TAP_TARGETS)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
    context.close()
