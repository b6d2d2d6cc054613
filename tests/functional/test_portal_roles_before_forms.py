"""The portal decides who may post a form before it reads the form (R32, R35; audit
roles2): a viewer's malformed stop or hold, a staff member's malformed settings or user
form get the portal's 403 page ("your role may not do this"), not the 400 page that lists
the form's fields as if the role might have sent it correctly, and nothing changes."""

from __future__ import annotations

import itertools
import re
from http import HTTPStatus

import pytest

from billing_core.entrypoints.web.portal import pages
from local.resources import load_template
from local.sandbox import ApiRoutes
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
    ("admin", "/portal/instellingen/coulance", {"version": "1", "minimum_percentage": SECRET}),
    ("admin", "/portal/instellingen/gebruikers/uitnodigen", {"email": SECRET, "role": SECRET}),
    ("admin", "/portal/instellingen/gebruikers/rol", {"email": SECRET, "role": SECRET}),
    ("admin", "/portal/instellingen/gebruikers/uitschakelen", {"email": SECRET}),
]
RANK = ("viewer", "staff", "admin")
# Portal posts that change nothing: signing out, the invoice search (a read, R35).
NOT_A_CHANGE = {"/portal/logout", "/portal/notas"}
# A path part that names which form was sent: each of its values is a form of its own.
FORM_NAMES = {"part": tuple(pages.SETTING_FORMS), "change": pages.USER_CHANGES}


def actions_that_change() -> list[str]:
    """The action of every portal form that changes something, from template.yaml's
    routes: a part naming the form once per form, any other part (an id) left as it is."""
    routes = ApiRoutes.from_template(load_template()).routes
    found = []
    for route in routes:
        if route.method != "POST" or not route.path.startswith("/portal/"):
            continue
        if route.path in NOT_A_CHANGE:
            continue
        named = [n for n in re.findall(r"\{(\w+)\}", route.path) if n in FORM_NAMES]
        for chosen in itertools.product(*(FORM_NAMES[n] for n in named)):
            action = route.path
            for name, value in zip(named, chosen, strict=True):
                action = action.replace(f"{{{name}}}", value)
            found.append(action)
    return found


def test_every_portal_form_that_changes_something_is_tried_with_a_role_too_low():
    # Given the portal's routes that change something, each settings part and user change
    needed = actions_that_change()
    assert len(needed) > 8
    tried = [action for _, action, _ in FORMS]
    for action in needed:
        # When its action is looked for in FORMS (an id in it: any value)
        pattern = "[^/]+".join(re.escape(part) for part in re.split(r"\{\w+\}", action))
        # Then a line tries it: a form added tomorrow is tried with each lower role (R32)
        assert any(re.fullmatch(pattern, each) for each in tried), f"add {action} to FORMS"


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
