"""The portal decides who may post a form before it reads the form (R32, R35; audit
roles2): a viewer's malformed stop or hold, a staff member's malformed settings or user
form get the portal's 403 page ("your role may not do this"), not the 400 page that lists
the form's fields as if the role might have sent it correctly, and nothing changes."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from local.seed import DENTAL
from tests.functional.test_provider_portal import PortalUser, forged_form, sample_login

SECRET = "zz-geheim-4711"
# (least role, form action, a malformed form): every portal form that changes something;
# {invoice} is one of the practice's invoices
FORMS = [
    ("staff", "/portal/notas/{invoice}/stop", {"scope": SECRET, "amount": SECRET}),
    ("staff", "/portal/notas/{invoice}/hold", {"until": SECRET, "reason": ""}),
    ("staff", "/portal/acties/act-unknown", {"state": SECRET}),
    ("staff", "/portal/declaraties", {"file_name": SECRET}),
    ("admin", "/portal/instellingen/contact", {"version": "1", "email": SECRET}),
    ("admin", "/portal/instellingen/aanmanen", {"version": "1", "days_to_reminder": SECRET}),
    ("admin", "/portal/instellingen/gebruikers/uitnodigen", {"email": SECRET, "role": SECRET}),
    ("admin", "/portal/instellingen/gebruikers/rol", {"email": SECRET, "role": SECRET}),
]
RANK = ("viewer", "staff", "admin")


@pytest.mark.parametrize("role", ["viewer", "staff"])
def test_a_role_too_low_gets_the_403_page_whatever_the_form_holds(
    sandbox, emailed_dental_invoices, role
):
    # Given the dental practice's user in this role, signed in to the portal
    invoice = emailed_dental_invoices[0]
    user = PortalUser(sandbox)
    user.sign_in(sample_login(DENTAL, role))
    before = sandbox.runtime.repository.get_provider(DENTAL.provider_id)
    for needed, action, typed in FORMS:
        if RANK.index(needed) <= RANK.index(role):
            continue
        # When the user posts a form of a higher role, malformed, with a genuine token
        status, _, html = user.post(
            action.format(invoice=invoice.invoice_id), forged_form(user, **typed)
        )
        # Then the portal's 403 ("your role may not do this"), nothing of the form in it
        assert status == HTTPStatus.FORBIDDEN, (role, action, status)
        assert SECRET not in html, action
        assert 'aria-invalid="true"' not in html, action
    assert sandbox.runtime.repository.get_provider(DENTAL.provider_id) == before
    stored = sandbox.runtime.repository.get_invoice(DENTAL.provider_id, invoice.invoice_id)
    assert stored == invoice
