"""A multipart body made to be expensive, sent to the public checker and to the portal
before signing in, through the real handlers (R29, R38; audit security5 SEC5-1): the
reader nests nothing, so the answer is the one any unreadable form gets, never a failed
function (500, with a stack trace of 130 KB in the log)."""

from __future__ import annotations

from http import HTTPStatus

from tests.functional.test_provider_portal import PortalUser


def nested(levels: int) -> tuple[bytes, str]:
    """A body of ``levels`` multipart/mixed parts, each inside the one before."""
    body = b"".join(
        f"--{i}\r\nContent-Type: multipart/mixed;boundary={i + 1}\r\n\r\n".encode()
        for i in range(levels)
    )
    return body, "multipart/form-data; boundary=0"


def test_sec5_1_the_checkers_page_for_a_form_over_the_limit_reads_a_nested_body(sandbox):
    """R29, R36, interfaces.md §2 (audit security5 SEC5-1). Given a form body of 1,000
    nested parts (52 KB, over the 8 KB: the page that gives the message back reads it,
    before any route and any visit's check)
    When anyone posts it to the checker
    Then the 413 page in Dutch, giving nothing back (before: RecursionError, the function
    failed)."""
    body, content_type = nested(1000)
    answer = sandbox.api_raw(
        "POST",
        "/",
        body=body,
        headers={"Content-Type": content_type, "Sec-Fetch-Site": "same-origin"},
    )
    assert answer["statusCode"] == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert '<html lang="nl"' in answer["body"] and "given-back-text" not in answer["body"]


def test_sec5_1_the_checkers_form_of_nested_parts_is_a_form_without_fields(sandbox):
    """R29 (audit security5 SEC5-1). Given a form body of 150 nested parts within the 8 KB
    When anyone posts it to the checker
    Then the checker's page, as for any form it cannot read (200), not an error."""
    body, content_type = nested(150)
    assert len(body) < 8 * 1024
    answer = sandbox.api_raw("POST", "/", body=body, headers={"Content-Type": content_type})
    assert answer["statusCode"] == HTTPStatus.OK and "<html" in answer["body"]


def test_sec5_1_the_portals_upload_form_of_nested_parts_without_a_session_is_refused(sandbox):
    """R29, R35 (audit security5 SEC5-1). Given no session and a body of 1,000 nested parts
    (the upload form's route takes 4 MB past the WAF)
    When it is posted to the portal's upload form
    Then it is refused as any post without a session is (401), not a failed function
    (before: RecursionError while the form was read, before the session was checked)."""
    body, content_type = nested(1000)
    status, _, html = PortalUser(sandbox).request("POST", "/portal/declaraties", body, content_type)
    assert status == HTTPStatus.UNAUTHORIZED and "<html" in html
