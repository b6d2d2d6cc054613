"""The portal's forms, sent wrong as only a hand-made form can be: each answers on its
own page, in the reader's language, naming every field that is wrong by its own label,
and stores nothing (R35, R32, R23, WCAG 3.3.1; audit portal7's leftovers, portal8).
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from html import unescape
from http import HTTPStatus

import pytest

from local.seed import DENTAL, PHYSIO
from tests.functional.form_fields import form_fields, marked_invalid
from tests.functional.test_provider_portal import (
    VALID_FORMS,
    sample_login,
    signed_in,
    stop_form,
)


def as_multipart(
    fields: dict[str, str], file: tuple[str, bytes] | None = None
) -> tuple[bytes, str]:
    """A form of enctype multipart/form-data as a browser sends it, with ``file`` (its
    name and content) as its file part, or without one."""
    boundary = f"----WebKitFormBoundary{uuid.uuid4().hex[:16]}"
    parts = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    if file is not None:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file[0]}"'
        parts += f"{head}\r\nContent-Type: text/csv\r\n\r\n".encode() + file[1] + b"\r\n"
    return parts + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def error_of(html: str) -> str:
    """The page's error (base.html.j2 #error), as a reader hears it."""
    return unescape(" ".join(re.search(r'id="error"[^>]*>(.*?)</', html, re.S)[1].split()))


def uploads(sandbox) -> list[str]:
    records, _ = sandbox.runtime.repository.list_declarations(DENTAL.provider_id)
    return [r.file_name for r in records]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("nl", "kies eerst een bestand om te uploaden. Er is niets opgeslagen."),
        ("en", "choose a file to upload first. Nothing was stored."),
    ],
)
def test_r35_an_upload_form_without_a_file_is_answered_on_the_form_and_stores_nothing(
    sandbox, language, said
):
    """R35 ("upload a file and read its report"), R1, WCAG 3.3.1 (audit portal7): given the
    upload form sent without its file (the field is required: a form made by hand), when
    it arrives, then the declarations page answers 400 with why, in the reader's language,
    the file field marked invalid, described by the error and focused, and no upload is
    registered (it made a rejected upload named "declaratie.csv")."""
    staff = signed_in(sandbox, "staff", language)
    before = uploads(sandbox)
    _, html = staff.page("/portal/declaraties")
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))
    body, content_type = as_multipart(hidden)
    status, headers, html = staff.request("POST", "/portal/declaraties", body, content_type)
    assert (status, headers.get("Location")) == (HTTPStatus.BAD_REQUEST, None)
    assert said in error_of(html)
    assert marked_invalid(html) == {"file"}
    field = form_fields(html)["file"]
    assert field["aria-describedby"] == "file-hint error" and "autofocus" in field
    assert uploads(sandbox) == before


@pytest.mark.parametrize(
    ("language", "said", "hint"),
    [
        (
            "nl",
            "Niet gelukt: dit bestand is 4,1 MB, via dit formulier kan tot 4 MB. Upload een"
            " groter bestand (tot 64 MB) via de API: vraag een upload-URL aan met POST"
            " /api/v1/provider/declarations. Er is niets opgeslagen.",
            "tot 4 MB.",
        ),
        (
            "en",
            "Not done: this file is 4.1 MB, this form takes up to 4 MB. Upload a larger file"
            " (up to 64 MB) through the API: ask for an upload URL with POST"
            " /api/v1/provider/declarations. Nothing was stored.",
            "up to 4 MB.",
        ),
    ],
)
def test_r1_a_file_over_the_upload_forms_limit_is_refused_naming_it_and_the_api(
    sandbox, language, said, hint
):
    """R1, R35, WCAG 3.3.1 (portal51b): the hint said "tot 4 MB", but the form took any
    size; on the stage a file of about 4.5 MB, base64-encoded, is over Lambda's 6 MB and
    the practice got API Gateway's own error page.
    Given the upload form, whose hint names its limit, with a file a byte over 4 MB
    When staff send it
    Then 413 on the declarations page: the file's size, the limit and the API's upload
    URL for larger files, the file field marked; nothing is stored."""
    staff = signed_in(sandbox, "staff", language)
    before = uploads(sandbox)
    _, html = staff.page("/portal/declaraties")
    assert hint in unescape(re.search(r'id="file-hint">(.*?)</p>', html)[1])
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))
    body, content_type = as_multipart(hidden, ("groot.csv", b"x" * (4 * 1024 * 1024 + 1)))
    status, headers, html = staff.request("POST", "/portal/declaraties", body, content_type)
    assert (status, headers.get("Location")) == (HTTPStatus.REQUEST_ENTITY_TOO_LARGE, None)
    assert error_of(html) == said
    assert marked_invalid(html) == {"file"}
    assert uploads(sandbox) == before


def test_r1_a_file_of_the_upload_forms_limit_is_taken_and_a_byte_more_is_not(sandbox, monkeypatch):
    """R1 (portal51b): the limit is the file's size, not the body's (the form around it,
    its boundaries): given the form's limit set to a week's CSV's size, when staff upload
    that CSV, it is taken (to its report); the same with one more line end is refused."""
    from billing_core.entrypoints.web.portal import pages
    from local.generate import declaration_csv

    data = declaration_csv(2)
    monkeypatch.setattr(pages, "PORTAL_UPLOAD_MAX_BYTES", len(data))
    staff = signed_in(sandbox, "staff", "nl")
    answers = []
    for content in (data + b"\n", data):
        _, html = staff.page("/portal/declaraties")
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))
        body, content_type = as_multipart(hidden, ("week.csv", content))
        answers.append(staff.request("POST", "/portal/declaraties", body, content_type)[0])
    assert answers == [HTTPStatus.REQUEST_ENTITY_TOO_LARGE, HTTPStatus.SEE_OTHER]
    assert uploads(sandbox) == ["week.csv"]


def test_r32_a_viewers_upload_form_without_a_file_is_still_forbidden(sandbox):
    """R32: the missing file is not checked before the role: a viewer's forged upload
    form is refused 403, as with a file. The 403 page says how to go on (R35, words52c:
    it named no way): open the page again, or ask an admin when the role may not."""
    viewer = signed_in(sandbox, "viewer", "nl")
    csrf = viewer.csrf()
    body, content_type = as_multipart({"csrf": csrf, "form_key": f"made-up-{uuid.uuid4().hex}"})
    status, _, html = viewer.request("POST", "/portal/declaraties", body, content_type)
    assert status == HTTPStatus.FORBIDDEN
    assert message_of(html) == (
        "Dit formulier is verlopen of uw rol mag dit niet. Er is niets gewijzigd. Open de"
        " pagina opnieuw en probeer het nog eens; mag uw rol dit niet, vraag het dan een"
        " beheerder van uw praktijk."
    )


def message_of(html: str) -> str:
    """The sentence of the portal's message page (message.html.j2)."""
    found = re.search(r'<p id="message">(.*?)</p>', html, re.S)
    assert found is not None, html
    return unescape(found.group(1))


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "nl",
            "niet goed ingevuld: Wat er met een coulancevoorstel gebeurt; De patiënt betaalt"
            " minstens dit percentage van de niet-gecontracteerde zorg op de nota: minimaal 0,"
            " maximaal 100; Dagen wachten op de verzekeraar: minimaal 0, maximaal 120.",
        ),
        (
            "en",
            "not filled in correctly: What happens to a coulance proposal; The patient pays at"
            " least this percentage of the non-contracted care on the invoice: at least 0, at"
            " most 100; Days to wait for the insurer: at least 0, at most 120.",
        ),
    ],
)
def test_r35_the_coulance_form_names_each_wrong_field_by_its_own_name(sandbox, language, said):
    """R31, R35, WCAG 3.3.1 (audit portal7): given the coulance form sent with a choice the
    page does not offer, a percentage and a wait out of bounds, then the refusal names all
    three in the form's order, the choice by a name of its own (it said "A coulance
    proposal is.", the half sentence its legend is, and named nothing else), each marked
    invalid, and nothing is saved."""
    admin = signed_in(sandbox, "admin", language)
    before = sandbox.runtime.repository.get_provider(DENTAL.provider_id)
    action = "/portal/instellingen/coulance"
    typed = {"mode": "whenever", "minimum_percentage": "150", "statement_wait_days": "500"}
    fields = admin.form("/portal/instellingen", action) | VALID_FORMS[action] | typed
    status, _, html = admin.post(action, fields)
    assert status == HTTPStatus.BAD_REQUEST
    assert said in error_of(html)
    assert marked_invalid(html) == {
        "coulance-mode-provider_confirms",
        "coulance-mode-automatic",
        "coulance-minimum_percentage",
        "coulance-statement_wait_days",
    }
    assert sandbox.runtime.repository.get_provider(DENTAL.provider_id) == before


@pytest.mark.parametrize(
    ("action", "typed", "said", "marked"),
    [
        (
            "/portal/instellingen/contact",
            {"email": "geen-adres", "phone": "bel maar"},
            "niet goed ingevuld: E-mailadres: is geen e-mailadres (zonder spaties, zoals"
            " info@praktijk.nl); Telefoon: is geen telefoonnummer (8 tot 20 cijfers, spaties,"
            " haakjes of streepjes, zoals 020 612 3456 of +31 20 612 3456).",
            {"contact-email", "contact-phone"},
        ),
        (
            "/portal/instellingen/aanmanen",
            {"days_to_reminder": "99", "days_to_handover": "1", "max_invoices_per_letter": "10"},
            "niet goed ingevuld: Dagen tot de herinnering: minimaal 0, maximaal 60; Dagen tot"
            " overdracht aan het incassobureau: minimaal 7, maximaal 90.",
            {"dunning-days_to_reminder", "dunning-days_to_handover"},
        ),
        (
            "/portal/instellingen/coulance",
            VALID_FORMS["/portal/instellingen/coulance"]
            | {"minimum_percentage": "zestig", "statement_wait_days": "500"},
            "minimaal 0, maximaal 100; Dagen wachten op de verzekeraar: minimaal 0, maximaal 120.",
            {"coulance-minimum_percentage", "coulance-statement_wait_days"},
        ),
    ],
)
def test_r31_a_settings_form_names_every_wrong_field_not_the_first_only(
    sandbox, action, typed, said, marked
):
    """R31 "validated on write", R35, WCAG 3.3.1 (portal8 item 4): given a settings form
    with two fields wrong (a percentage that is no number among them), then both are
    named and marked; the service names the first its model refuses, as the API does,
    and the form named that one only, so the admin corrected it and was refused again."""
    admin = signed_in(sandbox, "admin", "nl")
    before = sandbox.runtime.repository.get_provider(DENTAL.provider_id)
    fields = admin.form("/portal/instellingen", action) | {"version": str(before.version)}
    status, _, html = admin.post(action, fields | typed)
    assert status == HTTPStatus.BAD_REQUEST
    assert said in error_of(html)
    assert marked_invalid(html) == marked
    assert sandbox.runtime.repository.get_provider(DENTAL.provider_id) == before


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    ("action", "typed", "api", "sent"),
    [
        ("/portal/instellingen/contact", {"email": "geen-adres"}, "settings", "contact"),
        ("/portal/instellingen/contact", {"phone": "bel maar"}, "settings", "contact"),
        ("/portal/instellingen/gebruikers/uitnodigen", {"email": "geen-adres"}, "users", ""),
    ],
)
def test_r31_a_bad_email_or_phone_is_worded_by_the_portal_as_by_the_api(
    sandbox, language, action, typed, api, sent
):
    """R31 "validated on write", R32, R35 (leftovers51): the API refused an address typed
    wrong with how one is typed ("is geen e-mailadres (zonder spaties, zoals
    info@praktijk.nl)"), the portal's form with the field's label only ("E-mailadres").
    Given the contact form with a malformed e-mail address or phone number, and the invite
    form with a malformed address
    When the admin sends it, and the same value to the API
    Then the form names the field by its label with the API's reason, in its language."""
    admin = signed_in(sandbox, "admin", language)
    version = sandbox.runtime.repository.get_provider(DENTAL.provider_id).version
    fields = admin.form("/portal/instellingen", action) | VALID_FORMS.get(action, {})
    valid = {"email": "info@praktijk.nl", "phone": "020 612 3456", "role": "viewer"}
    fields |= {"version": str(version)} | valid | typed
    status, _, html = admin.post(action, fields)
    body = {"version": version, sent: typed} if sent else typed | {"role": "viewer"}
    method = "PATCH" if sent else "POST"
    refused, answer = sandbox.api(
        method, f"/api/v1/provider/{api}", provider_id=DENTAL.provider_id, body=body
    )
    assert (status, refused) == (HTTPStatus.BAD_REQUEST, HTTPStatus.BAD_REQUEST)
    dutch, english = answer["error"]["fields"][0]["message"].split(" / ")
    label = {"email": {"nl": "E-mailadres", "en": "E-mail address"}}.get(
        *typed, {"nl": "Telefoon", "en": "Phone"}
    )[language]
    reason = dutch if language == "nl" else english
    assert reason.startswith(("is geen ", "is not "))
    assert f": {label}: {reason}." in error_of(html)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_r31_a_website_typed_wrong_is_worded_by_the_portal_as_by_the_api(sandbox, language):
    """R31 "validated on write", R35, WCAG 3.3.3 (portal51b): the API refused a website that
    is no web address with how one is typed (website_not_web), the contact form said
    "Website." only.
    Given the contact form with an ftp address as the website
    When the admin sends it, and the same to the API
    Then the form names the field by its label with the API's words (without their full
    stop, one colon only), in its language."""
    admin = signed_in(sandbox, "admin", language)
    version = sandbox.runtime.repository.get_provider(DENTAL.provider_id).version
    action = "/portal/instellingen/contact"
    typed = {"email": "info@praktijk.nl", "phone": "020 612 3456", "website": "ftp://praktijk.nl"}
    fields = admin.form("/portal/instellingen", action) | {"version": str(version)} | typed
    status, _, html = admin.post(action, fields)
    refused, answer = sandbox.api(
        "PATCH",
        "/api/v1/provider/settings",
        provider_id=DENTAL.provider_id,
        body={"version": version, "contact": typed},
    )
    assert (status, refused) == (HTTPStatus.BAD_REQUEST, HTTPStatus.BAD_REQUEST)
    dutch, english = answer["error"]["fields"][0]["message"].removesuffix(".").split(" / ")
    reason = dutch.removesuffix(".") if language == "nl" else english
    assert reason.startswith(("Geef het webadres", "Give the practice's web address"))
    assert error_of(html).endswith(f": Website: {reason}.")
    assert ":" not in reason.replace("https://", "")
    assert marked_invalid(html) == {"contact-website"}


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "nl",
            "niet goed ingevuld: E-mailadres van de patiënt (gecontroleerd): is geen e-mailadres"
            " (zonder spaties, zoals info@praktijk.nl).",
        ),
        (
            "en",
            "not filled in correctly: The patient's e-mail address (checked): is not an e-mail"
            " address (without spaces, like info@praktijk.nl).",
        ),
    ],
)
def test_r21_a_patients_email_typed_wrong_on_the_stop_form_says_how_one_is_typed(
    sandbox, emailed_dental_invoices, language, said
):
    """R21, R35, WCAG 3.3.3 (portal51b): the stop form named a malformed patient's address
    by its label only (a value error of the model: the API said "Value error, not an
    e-mail address"); the contact's address said how one is typed.
    Given the stop form with "geen-adres" as the patient's address
    When the staff member sends it, and the same stop to the API
    Then the form and the API both say what it is not and how one is typed, in the same
    words as the contact's address, and no coulance is booked."""
    staff = signed_in(sandbox, "staff", language)
    invoice = emailed_dental_invoices[0]
    path, fields = stop_form(staff, invoice, scope="partial", amount="1,00")
    status, _, html = staff.post(path, fields | {"patient_email": "geen-adres"})
    assert status == HTTPStatus.BAD_REQUEST
    assert said in error_of(html)
    assert marked_invalid(html) == {"patient_email"}
    body = {"scope": "partial", "amount": 100, "reason": "goodwill", "accept_terms": True}
    refused, answer = sandbox.api(
        "POST",
        f"/api/v1/provider/invoices/{invoice.invoice_id}/stop",
        provider_id=DENTAL.provider_id,
        body=body | {"patient_email": "geen-adres"},
    )
    assert refused == HTTPStatus.BAD_REQUEST
    assert answer["error"]["fields"][0]["message"] == (
        "is geen e-mailadres (zonder spaties, zoals info@praktijk.nl) / is not an e-mail"
        " address (without spaces, like info@praktijk.nl)"
    )
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id)
    assert stored.amount_due_cents == invoice.amount_due_cents


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    ("action", "typed", "bounds"),
    [
        ("/portal/instellingen/aanmanen", {"days_to_reminder": "zeven"}, ("0", "60")),
        ("/portal/instellingen/aanmanen", {"days_to_handover": "veertien"}, ("7", "90")),
        ("/portal/instellingen/aanmanen", {"max_invoices_per_letter": "tien"}, ("1", "25")),
        ("/portal/instellingen/coulance", {"minimum_percentage": "zestig"}, ("0", "100")),
        ("/portal/instellingen/coulance", {"statement_wait_days": "dertig"}, ("0", "120")),
    ],
)
def test_r31_a_number_typed_in_words_names_its_bounds_and_never_json(
    sandbox, language, action, typed, bounds
):
    """R31, R35 (portal51b): a form's number is read by the portal, so its refusal names
    the field's bounds; the settings rules' words for a JSON value ("zonder
    aanhalingstekens (niet true of false)") are the API's alone, now that a rule's own
    refusal of a text reaches the form (texts.practice.typed_form).
    Given a settings form with a number typed in words
    When the admin sends it
    Then the refusal names the field's bounds, and nothing of quotes or true or false."""
    admin = signed_in(sandbox, "admin", language)
    version = sandbox.runtime.repository.get_provider(DENTAL.provider_id).version
    fields = admin.form("/portal/instellingen", action) | VALID_FORMS[action]
    status, _, html = admin.post(action, fields | {"version": str(version)} | typed)
    error = error_of(html)
    words = {"nl": "minimaal {}, maximaal {}", "en": "at least {}, at most {}"}[language]
    assert status == HTTPStatus.BAD_REQUEST and words.format(*bounds) in error
    assert not re.search(r"true|false|quotes|aanhalingsteken", error), error


def test_r21_the_stop_form_names_every_wrong_field_not_the_first_only(
    sandbox, emailed_dental_invoices
):
    """R21, R35, WCAG 3.3.1 (portal8 item 4): given the stop form with an amount and a
    percentage that are no numbers and no reason, then all three are named in the form's
    order and marked, with how to type each number (it named the amount only), and no
    coulance is booked."""
    staff = signed_in(sandbox, "staff", "en")
    path, fields = stop_form(
        staff, emailed_dental_invoices[0], scope="partial", amount="abc", percentage="xyz"
    )
    status, _, html = staff.post(path, fields | {"reason": ""})
    assert status == HTTPStatus.BAD_REQUEST
    error = error_of(html)
    assert "not filled in correctly: Coulance amount in euros (for a part): more than 0;" in error
    assert "; Percentage of the original amount (for a part): more than 0, at most 100;" in error
    assert "at most 100; Reason." in error
    assert marked_invalid(html) == {"amount", "percentage", "reason"}
    assert "autofocus" in form_fields(html)["amount"] and html.count("autofocus") == 1
    stored = sandbox.runtime.repository.get_invoice(
        DENTAL.provider_id, emailed_dental_invoices[0].invoice_id
    )
    assert stored.amount_due_cents == emailed_dental_invoices[0].amount_due_cents


def test_r16_the_hold_forms_refusal_names_its_fields_in_the_forms_order(
    sandbox, emailed_dental_invoices
):
    """R16, R35, WCAG 3.3.1: given the hold form with no date and no reason, then the
    refusal names them as the form shows them, the date first (it named them in the
    order of their internal names: the reason first)."""
    staff = signed_in(sandbox, "staff", "nl")
    page = f"/portal/notas/{emailed_dental_invoices[0].invoice_id}"
    fields = staff.form(page, f"{page}/hold") | {"until": "", "reason": ""}
    status, _, html = staff.post(f"{page}/hold", fields)
    assert status == HTTPStatus.BAD_REQUEST
    assert "niet goed ingevuld: Aanhouden tot en met; Reden van aanhouden." in error_of(html)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "nl",
            "Niet gelukt: uw praktijk heeft geen gebruiker met dit e-mailadres. Er is niets"
            " gewijzigd. Kies de gebruiker in de lijst van gebruikers op deze pagina.",
        ),
        (
            "en",
            "Not done: your practice has no user with this e-mail address. Nothing was"
            " changed. Choose the user in the list of users on this page.",
        ),
    ],
)
@pytest.mark.parametrize(("change", "typed"), [("rol", {"role": "viewer"}), ("uitschakelen", {})])
def test_r32_a_change_of_a_user_the_practice_does_not_have_is_said_on_the_settings_page(
    sandbox, language, said, change, typed
):
    """R32, interfaces.md §7 (404 for an unknown user), R35 (audit portal7): given the
    admin's role change or disable of an address that is no user of the practice (an
    unknown one, another practice's), then the settings page answers 404 with why, in
    the reader's language (it was the generic not-found page, without the settings), and
    the other practice's user is not changed, nor told apart from an unknown address. It
    says how to fix it: choose the user in the page's list (words52c: it named no way)."""
    admin = signed_in(sandbox, "admin", language)
    action = f"/portal/instellingen/gebruikers/{change}"
    elsewhere = sample_login(PHYSIO, "staff")
    answers = []
    for address in ("onbekend@example.org", elsewhere):
        fields = admin.form("/portal/instellingen", action) | {"email": address} | typed
        status, _, html = admin.post(action, fields)
        assert status == HTTPStatus.NOT_FOUND and 'id="h-users"' in html
        assert error_of(html) == said
        answers.append(error_of(html))
    assert answers[0] == answers[1]
    other = next(
        u
        for u in sandbox.runtime.user_directory.users_of(PHYSIO.provider_id)
        if u.email == elsewhere
    )
    assert (other.enabled, other.role.value) == (True, "staff")


def test_r35_the_page_after_a_change_puts_the_focus_on_its_message(
    sandbox, emailed_dental_invoices
):
    """R35, R16, WCAG 2.4.3, 4.1.3 (audit portal5): a message in a live region that is
    already there when a page loads is not announced, and the focus started at the top.
    Given staff putting an invoice on hold (POST, then the invoice page it leads to)
    When that page is drawn
    Then its message ("De nota is aangehouden.") takes the focus, the only element that
    does."""
    staff = signed_in(sandbox, "staff", "nl")
    page = f"/portal/notas/{emailed_dental_invoices[0].invoice_id}"
    until = (sandbox.clock.today() + timedelta(days=14)).isoformat()
    fields = staff.form(page, f"{page}/hold") | {"until": until, "reason": "overleg"}
    status, headers, _ = staff.post(f"{page}/hold", fields)
    assert status == HTTPStatus.SEE_OTHER
    _, html = staff.page(headers["Location"])
    notice = re.search(r'<div class="notice"[^>]*id="notice">', html)
    assert notice is not None and 'tabindex="-1" autofocus' in notice[0]
    assert html.count("autofocus") == 1


def test_r35_a_searchs_answer_puts_the_focus_on_what_it_found(
    sandbox, emailed_dental_invoices, subtests
):
    """R35, WCAG 2.4.3, 4.1.3 (stop 47 portal5's leftover): the search's answer left the
    focus at the page's top, what it found unannounced.
    Given staff searching the invoices by a patient's name (the form posts, R29)
    When the list is drawn
    Then "1 nota gevonden." (the singular: Texts.plural) takes the focus as a status, the
    only element that does; a search that finds nothing focuses "Geen nota's gevonden.";
    a list opened by its menu link takes no focus at all."""
    staff = signed_in(sandbox, "staff", "nl")
    target = emailed_dental_invoices[0]
    issued = target.issue_date.isoformat()
    search = {"csrf": staff.csrf(), "name": target.patient.last_name, "from": issued}
    later = (target.issue_date + timedelta(days=1)).isoformat()
    cases = [
        ("found", search, '<p id="found" role="status" tabindex="-1" autofocus>1 nota gevonden.'),
        (
            "none",
            search | {"from": later},
            '<p id="no-invoices" role="status" tabindex="-1" autofocus>',
        ),
    ]
    for name, fields, focused in cases:
        with subtests.test(name):
            status, _, html = staff.post("/portal/notas", fields)
            assert status == HTTPStatus.OK
            assert focused in html and html.count("autofocus") == 1
    _, listed = staff.page("/portal/notas")
    assert "autofocus" not in listed and 'id="found"' not in listed


@pytest.mark.parametrize(
    ("language", "buttons"),
    [
        ("nl", ["Wijzigingen downloaden (CSV)", "Wijzigingen downloaden (JSON)"]),
        ("en", ["Download the changes (CSV)", "Download the changes (JSON)"]),
    ],
)
def test_r9_the_blocked_patients_page_says_its_downloads_in_its_own_language(
    sandbox, language, buttons
):
    """R9, R35 (stop 47 portal5's leftover): the Dutch page offered "Lijst downloaden
    (CSV)" beside "Download CSV", English on a Dutch page.
    Given the blocked-patients page in ``language``
    When it is drawn
    Then the changes' download buttons are worded as the list's download, in its language."""
    staff = signed_in(sandbox, "staff", language)
    _, html = staff.page("/portal/geblokkeerd")
    said = re.findall(
        r'<button type="submit" name="format" value="\w+" id="changes-\w+">([^<]+)<', html
    )
    assert said == buttons


def test_r32_a_refusal_about_no_field_takes_the_focus_itself(sandbox):
    """R35, R32, WCAG 2.4.3, 3.3.1 (audit portal5): a refusal that names no field of the
    form left the focus at the page's top, the error unannounced to a keyboard user.
    Given the admin's role change of an address that is no user of the practice
    When the settings page answers 404 with why
    Then the error takes the focus (as the checker's refusals do), and nothing else."""
    admin = signed_in(sandbox, "admin", "en")
    action = "/portal/instellingen/gebruikers/rol"
    fields = admin.form("/portal/instellingen", action) | {
        "email": "onbekend@example.org",
        "role": "viewer",
    }
    status, _, html = admin.post(action, fields)
    assert status == HTTPStatus.NOT_FOUND
    assert 'role="alert" id="error" tabindex="-1" autofocus' in html
    assert html.count("autofocus") == 1


def test_r9_no_form_is_refused_by_the_browser_in_its_own_words(sandbox, emailed_dental_invoices):
    """R9, R35, WCAG 3.3.1, 3.1.2 (audit portal5): a form with a field the browser checks
    itself (type=email, required, min/max) was refused by a bubble of the browser, in the
    browser's language ("Please include an '@'" on a Dutch page), not marked invalid and
    gone on the next key, where the portal answers every such form on its page, in the
    page's language, the field marked and focused (as the hold form already did).
    Given the admin's pages with the upload, stop, contact and invite forms
    When they are drawn
    Then every form with such a field leaves the checking to the portal (novalidate)."""
    admin = signed_in(sandbox, "admin", "nl")
    checked_by_browser = re.compile(r'type="email"|\brequired\b|\bmin="|\bmax="')
    forms = {}
    for path in (
        "/portal/declaraties",
        f"/portal/notas/{emailed_dental_invoices[0].invoice_id}",
        "/portal/instellingen",
    ):
        _, html = admin.page(path)
        for opening, inside in re.findall(r"(<form[^>]*>)(.*?)</form>", html, re.S):
            if checked_by_browser.search(inside):
                forms[re.search(r'action="([^"]+)"', opening)[1]] = "novalidate" in opening
    assert len(forms) == 5, forms  # upload, stop, hold, contact, invite
    assert [action for action, left_to_us in forms.items() if not left_to_us] == []


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "nl",
            "Het formulier is niet goed ingevuld: Bereikbaar: hoogstens 200 tekens, u typte er 231.",
        ),
        (
            "en",
            "The form is not filled in correctly: Reachable: at most 200 characters, you typed 231.",
        ),
    ],
)
def test_r31_a_text_over_its_limit_says_the_limit_and_how_long_it_was_typed(
    sandbox, language, said
):
    """R31 "validated on write", R35, WCAG 3.3.3 (words52): a text over its 200 characters
    was refused naming its label only ("Bereikbaar."), where every other refusal of the
    form says how the field is typed.
    Given the contact form with opening hours of 231 characters (and white space around
    them, which the model drops before it counts)
    When the admin sends it
    Then the form names the field with its limit and the length typed, in its language,
    and stores nothing."""
    admin = signed_in(sandbox, "admin", language)
    before = sandbox.runtime.repository.get_provider(DENTAL.provider_id)
    action = "/portal/instellingen/contact"
    typed = {"email": "info@praktijk.nl", "phone": "020 612 3456", "hours": f"  {'8' * 231} "}
    fields = admin.form("/portal/instellingen", action) | {"version": str(before.version)}
    status, _, html = admin.post(action, fields | typed)
    assert status == HTTPStatus.BAD_REQUEST
    assert error_of(html) == said
    assert marked_invalid(html) == {"contact-hours"}
    assert sandbox.runtime.repository.get_provider(DENTAL.provider_id) == before


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "nl",
            "Het formulier is niet goed ingevuld: Bereikbaar: Deze tekst bevat een teken,"
            " U+65F6 (CJK UNIFIED IDEOGRAPH-65F6), dat de nota's en brieven op papier niet"
            " kunnen afdrukken, zodat het daar zou wegvallen. Schrijf de tekst in Latijnse"
            " letters.",
        ),
        (
            "en",
            "The form is not filled in correctly: Reachable: This text holds a character,"
            " U+65F6 (CJK UNIFIED IDEOGRAPH-65F6), that the invoices and letters on paper"
            " cannot print, so it would be left out there. Write the text in Latin letters.",
        ),
    ],
)
def test_r36_a_character_the_letters_cannot_print_is_said_with_no_inner_colon(
    sandbox, language, said
):
    """R36, R31, R35 (words52): text_not_printed said "..., U+65F6 (...): het zou daar
    wegvallen", so the form read "Bereikbaar: Deze tekst ...: het zou ...", two colons
    after the label.
    Given the contact form with opening hours holding a Chinese character
    When the admin sends it
    Then the form names the field and the character in one sentence with no colon of
    its own after the label's."""
    admin = signed_in(sandbox, "admin", language)
    version = sandbox.runtime.repository.get_provider(DENTAL.provider_id).version
    action = "/portal/instellingen/contact"
    typed = {"email": "info@praktijk.nl", "phone": "020 612 3456", "hours": "ma-vr 8-17 时"}
    fields = admin.form("/portal/instellingen", action) | {"version": str(version)}
    status, _, html = admin.post(action, fields | typed)
    assert status == HTTPStatus.BAD_REQUEST
    assert error_of(html) == said
    assert error_of(html).count(":") == 2  # the form's and the label's
