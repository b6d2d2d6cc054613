"""The payment checker in Polish in headless Chromium (issue 17 item 7, R9, R10, R36): the
page and the pages for patients speak Polish, stay Polish through the birth-date check
and the iDEAL round trip (axe on the Polish pages: test_payment_checker_browser.py).

Screenshots (docs/patient/checker-pl*.png) are kept with UPDATE_SCREENSHOTS=1.
"""

from __future__ import annotations

from tests.e2e.layout import CHECKER_TAP_TARGETS, assert_reflows, assert_targets_fit_a_finger
from tests.e2e.test_payment_checker_browser import _screenshot

DESKTOP = {"width": 1280, "height": 900}


def test_r9_the_checker_in_polish_at_400_px(running_server, page_in, invoice, tmp_path):
    # Given the link of a Polish e-mail (?lang=pl), in a Polish reader's browser
    page = page_in("pl")
    page.goto(f"{running_server.url}/?lang=pl&kenmerk={invoice.reference}")

    # Then the page is Polish: status, amount written the Polish way, breakdown, practice
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.locator("h1").inner_text() == "Sprawdzanie płatności"
    assert page.locator("#result").inner_text() == "Ta faktura jest niezapłacona."
    assert page.locator("#amount-due").inner_text().endswith("\u00a0€")
    assert page.get_by_label("Numer referencyjny płatności").input_value() == invoice.reference
    assert page.locator("#breakdown").is_visible() and page.locator("#practice").is_visible()
    _screenshot(page, tmp_path, "patient/checker-pl.png")
    # and on this phone every link, field and button is 44 px to a finger (WCAG 2.5.5)
    assert_targets_fit_a_finger(page, CHECKER_TAP_TARGETS)


def test_r9_the_unlocked_checker_in_polish_on_a_desktop(
    running_server, browsers, invoice, tmp_path
):
    # Given a Polish reader on a desktop browser
    context = browsers("pl").new_context(locale="pl-PL", viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{running_server.url}/?lang=pl&kenmerk={invoice.reference}")

    # When the birth date is given once (R36)
    page.get_by_label("Data urodzenia pacjenta").fill(invoice.birth_date.isoformat())
    page.get_by_role("button", name="Dalej").click()

    # Then the treatments and the actions are there, still in Polish
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.locator("#lines tbody tr").count() >= 1
    assert page.get_by_role("heading", name="Zabiegi").is_visible()
    assert page.get_by_role("button", name="Złóż reklamację").is_visible()
    _screenshot(page, tmp_path, "patient/checker-pl-desktop.png")
    assert_reflows(page)  # WCAG 1.4.10, the unlocked Polish page on a narrow phone
    context.close()


def test_r9_polish_stays_through_the_ideal_round_trip(running_server, page_in, invoice):
    # Given a Polish reader who gave the birth date
    page = page_in("pl")
    page.goto(f"{running_server.url}/?lang=pl&kenmerk={invoice.reference}")
    page.locator("#birth-date").fill(invoice.birth_date.isoformat())
    page.locator("#unlock").click()

    # When they pay at the (fake) bank and the bank sends them back
    page.locator("#pay").click()
    assert "/_local/psp/checkout/" in page.url
    page.locator("#paid").click()
    page.wait_for_url(f"**/?kenmerk={invoice.reference}*")

    # Then the checker they come back to is Polish and says paid
    assert "lang=pl" in page.url
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.locator("#result").inner_text() == "Ta faktura jest zapłacona."
