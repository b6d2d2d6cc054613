"""The one Swagger page, in headless Chromium against the local server (issue 17 item 8):
it shows the provider API with the Authorize button, sections per resource, and switches
to the patient and the operator API, under its Content-Security-Policy."""

from __future__ import annotations


def test_a_developer_reads_every_api_on_one_page(server, browser):
    """Given the local server
    When a developer opens /api/v1/docs and picks each API in turn
    Then each API's title and resource sections show; the APIs behind the token offer
    the Authorize button, the public patient API does not; and the page's policy refuses
    nothing it does (no violation reported, no console error: csp59)."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Before any script of the page: every refusal of its policy, reported by the browser.
    page.add_init_script(
        "window.refused = [];"
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " window.refused.push(e.violatedDirective + ' ' + e.blockedURI); });"
    )
    page.goto(f"{server}/api/v1/docs")
    assert "frame-ancestors 'none'" in page.evaluate(
        "fetch(location.href).then(r => r.headers.get('Content-Security-Policy'))"
    )
    title = page.locator(".swagger-ui .info .title")
    title.filter(has_text="zorgnota provider API").wait_for()
    assert page.locator(".swagger-ui .btn.authorize").count() == 1
    assert page.locator(".swagger-ui .opblock-tag", has_text="Invoices").count() == 1

    page.select_option("#api", label="zorgnota patient API")
    title.filter(has_text="zorgnota patient API").wait_for()
    assert page.locator(".swagger-ui .opblock-tag", has_text="Invoice actions").count() == 1
    assert page.locator(".swagger-ui .btn.authorize").count() == 0

    page.select_option("#api", label="zorgnota operator API")
    title.filter(has_text="zorgnota operator API").wait_for()
    assert page.locator(".swagger-ui .opblock-tag", has_text="Payouts").count() == 1
    assert page.locator(".swagger-ui .btn.authorize").count() == 1

    # The token dialog and an operation opened: what the page does beyond its first view.
    page.locator(".swagger-ui .btn.authorize").click()
    page.locator(".swagger-ui .modal-ux input").wait_for()
    page.locator(".swagger-ui .modal-ux .btn-done").click()
    page.locator(".swagger-ui .opblock-summary").first.click()
    page.locator(".swagger-ui .opblock-body").first.wait_for()
    assert page.evaluate("window.refused") == []
    assert errors == []
    page.close()
