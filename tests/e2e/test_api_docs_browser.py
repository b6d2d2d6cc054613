"""The one Swagger page, in headless Chromium against the local server (issue 17 item 8):
it shows the provider API with the Authorize button, sections per resource, and switches
to the patient and the operator API."""

from __future__ import annotations


def test_a_developer_reads_every_api_on_one_page(server, browser):
    """Given the local server
    When a developer opens /api/v1/docs and picks each API in turn
    Then each API's title and resource sections show; the APIs behind the token offer
    the Authorize button, the public patient API does not."""
    page = browser.new_page()
    page.goto(f"{server}/api/v1/docs")
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
    page.close()
