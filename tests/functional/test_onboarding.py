"""A practice that exists only through the operator API (issue 14, R31, R32, R2): no seed
code writes it. Onboarded with its AGB codes, a contract with CZ (9664), its payout
account and two users, it uploads its first Vektis PM304 file and sees its invoices."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from billing_core.declarations.rules import insurers
from local.sandbox import Caller
from local.seed import DENTAL, PHYSIO
from local.vektis_samples import WEST_FILE, west_pm304, west_settings
from tests.functional.test_provider_portal import PortalUser, sample_login

OPERATOR = Caller.operator()
WEST = "fysio-west"
ADMIN, STAFF = "praktijkhouder@fysio-west.example.org", "balie@fysio-west.example.org"


def user(sandbox, email):
    """The token Cognito would give the invited user: its id, practice and role."""
    return next(Caller.user(u) for u in sandbox.users() if u.email == email)


def test_an_onboarded_practice_uploads_its_first_vektis_file_and_sees_its_invoices(sandbox):
    # Given an operator onboards the practice, with an admin and a staff member
    status, created = sandbox.api(
        "POST", "/api/v1/operator/providers", caller=OPERATOR, body=west_settings()
    )
    assert (status, created) == (201, {"provider_id": WEST, "version": 1})
    users = f"/api/v1/operator/providers/{WEST}/users"
    for email, role in ((ADMIN, "admin"), (STAFF, "staff")):
        body = {"email": email, "role": role}
        assert sandbox.api("POST", users, caller=OPERATOR, body=body)[0] == 201
    staff = user(sandbox, STAFF)
    # When its staff member uploads a PM304 whose header names the practitioner's AGB code
    status, ticket = sandbox.api(
        "POST", "/api/v1/provider/declarations", caller=staff, body={"file_name": WEST_FILE}
    )
    assert status == 201
    sandbox.put_upload(ticket["upload_url"].split("/_local/uploads/", 1)[1], west_pm304())
    # Then the file is processed: one invoice for each patient, CZ's and DSW's
    report_path = f"/api/v1/provider/declarations/{ticket['declaration_id']}"
    status, report = sandbox.api("GET", report_path, caller=staff)
    assert (status, report["status"], report["outcome"]) == (200, "processed", "accepted"), report
    status, invoices = sandbox.api("GET", "/api/v1/provider/invoices", caller=staff)
    assert sorted(i["patient_ref"] for i in invoices["items"]) == ["FW-2002", "FW-2004"]
    assert all(i["amount_due"] > 0 for i in invoices["items"])
    # And the payout account is the one the operator gave, normalised
    status, own = sandbox.api("GET", "/api/v1/provider/settings", caller=user(sandbox, ADMIN))
    assert own["payout"]["iban"] == "NL91ABNA0417164300"
    # And the staff member may not change the settings: 403, nothing changed
    patch = {"version": 1, "contact": {"phone": "020 000 0000"}}
    status, answer = sandbox.api("PATCH", "/api/v1/provider/settings", caller=staff, body=patch)
    assert (status, answer["error"]["code"]) == (403, "role_too_low")
    assert sandbox.runtime.repository.get_provider(WEST).contact.phone == "020 612 3456"


def onboarded_admin(sandbox) -> PortalUser:
    """Fysio West as the operator onboards it (its contract with CZ open-ended), and its
    admin signed in to the portal."""
    assert (
        sandbox.api("POST", "/api/v1/operator/providers", caller=OPERATOR, body=west_settings())[0]
        == 201
    )
    body = {"email": ADMIN, "role": "admin"}
    assert (
        sandbox.api("POST", f"/api/v1/operator/providers/{WEST}/users", caller=OPERATOR, body=body)[
            0
        ]
        == 201
    )
    admin = PortalUser(sandbox)
    admin.sign_in(ADMIN)
    return admin


def shown_settings(html: str) -> str:
    """The practice's settings list (``<dl id="settings">``) as the reader sees it: an
    inline span (a date kept whole) adds no space, the other elements separate."""
    listed = re.search(r'<dl id="settings"[^>]*>(.*?)</dl>', html, re.S)
    assert listed is not None
    text = re.sub(r"<[^>]+>", " ", re.sub(r"</?span[^>]*>", "", listed.group(1)))
    return " ".join(unescape(text).split())


def settings_page_of_admin(sandbox, language: str) -> str:
    """The dental practice's settings page as its admin reads it in ``language``."""
    admin = PortalUser(sandbox)
    admin.sign_in(sample_login(DENTAL, "admin"))
    admin.request("GET", f"/portal/taal/{language}")
    status, html = admin.page("/portal/instellingen")
    assert status == 200
    return html


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        (
            "nl",
            [
                "Juridische naam Fysiotherapie West B.V.",
                "KvK-nummer 56781234",
                "Adres Admiraal de Ruijterweg 120, 1056 GP Amsterdam",
                "Uitbetalingsrekening NL91 ABNA 0417 1643 00 t.n.v. Fysiotherapie West B.V.",
                "Contracten met verzekeraars UZOVI 9664, CZ groep (centrale verwerkingseenheid),"
                " met de labels CZ, OHRA, Nationale-Nederlanden: vanaf 01-01-2026, tot nader"
                " order",
                "Vergoeding door verzekeraars Geen: verzekeraars vergoeden niets van een regel",
                "Brieven per post Gepost op de dag van de printopdracht. Een brief geldt als"
                " ontvangen op de tweede bezorgdag daarna.",
                "Uitstel na een verzoek 30 dagen",
                "Betalingsregeling € 10,00 kosten, termijnen van minstens € 25,00",
                "Servicekosten 3,5% van het ontvangen bedrag",
            ],
        ),
        (
            "en",
            [
                "Legal name Fysiotherapie West B.V.",
                "KvK number 56781234",
                "Address Admiraal de Ruijterweg 120, 1056 GP Amsterdam",
                "Payout account NL91 ABNA 0417 1643 00 in the name of Fysiotherapie West B.V.",
                "Contracts with insurers UZOVI 9664, CZ groep (centrale verwerkingseenheid),"
                " with the labels CZ, OHRA, Nationale-Nederlanden: from 1 Jan 2026, until"
                " further notice",
                "Reimbursement by insurers None: insurers reimburse nothing of a line",
                "Letters by post Posted on the day of the print run. A letter counts as"
                " received on the second delivery day after that.",
                "Deferral on request 30 days",
                "Payment arrangement €10.00 fee, terms of at least €25.00",
                "Service fee 3.5% of the money received",
            ],
        ),
    ],
)
def test_the_onboarded_admin_sees_in_the_portal_the_settings_the_api_gives(
    sandbox, language, shown
):
    """R35, R31, interfaces.md §7 (audit onboarding ONBOARDING2): the portal shows what
    GET /provider/settings gives the admin: where zorgnota pays (IBAN and holder), which
    insurers it treats as contracted (by name from the register, R33) and for when, what
    they reimburse, when paper letters are posted (legal-nl.md §2), its fee; read-only, as
    only zorgnota changes them. The address is labelled an address, not a city."""
    # Given the admin of a practice the operator onboarded
    admin = onboarded_admin(sandbox)
    admin.request("GET", f"/portal/taal/{language}")
    # When they open the settings page
    status, html = admin.page("/portal/instellingen")
    # Then it lists the operator's settings as the API returns them
    assert status == 200
    listed = shown_settings(html)
    for setting in shown:
        assert setting in listed, (setting, listed)


@pytest.mark.parametrize(
    ("practice", "contracts"),
    [
        (DENTAL, "UZOVI 0101, Univé: van 01-01-2025 tot en met 31-12-2026"),
        (PHYSIO, "Contracten met verzekeraars Geen"),
    ],
)
def test_a_contract_shows_its_end_and_a_practice_without_contracts_says_none(
    sandbox, practice, contracts
):
    """R31, R35: a contract's period as stored; no contract at all said, not left blank."""
    admin = PortalUser(sandbox)
    admin.sign_in(sample_login(practice, "admin"))
    assert contracts in shown_settings(admin.page("/portal/instellingen")[1])


@pytest.mark.parametrize(
    ("language", "contract"),
    [
        (
            "nl",
            "UZOVI 9664, CZ groep (centrale verwerkingseenheid), met de labels CZ, OHRA,"
            " Nationale-Nederlanden: vanaf 01-01-2026, tot nader order",
        ),
        (
            "en",
            "UZOVI 9664, CZ groep (centrale verwerkingseenheid), with the labels CZ, OHRA,"
            " Nationale-Nederlanden: from 1 Jan 2026, until further notice",
        ),
    ],
)
def test_a_contract_names_the_labels_its_insurer_code_takes(sandbox, language, contract):
    """R33, R35, R31 (known.md stop 37, "Pages"): a practice knows OHRA by that name, not as
    UZOVI 9664; the register lists the labels declared under a code (CZ, OHRA and
    Nationale-Nederlanden go to 9664).
    Given Fysio West onboarded with an open-ended contract under 9664
    When its admin opens the settings page in ``language``, and reads GET /provider/settings
    Then the contract names its insurer with the labels under that code, and the API gives
    them next to the insurer's name: a code without labels gives none."""
    admin = onboarded_admin(sandbox)
    admin.request("GET", f"/portal/taal/{language}")
    assert contract in shown_settings(admin.page("/portal/instellingen")[1])
    status, own = sandbox.api("GET", "/api/v1/provider/settings", caller=user(sandbox, ADMIN))
    assert status == 200
    [cz] = own["contracts"]
    assert cz["insurer_labels"] == ["CZ", "OHRA", "Nationale-Nederlanden"]
    dental_admin = Caller.practice(DENTAL.provider_id, "admin")
    dental = sandbox.api("GET", "/api/v1/provider/settings", caller=dental_admin)[1]
    assert {c["uzovi"]: c["insurer_labels"] for c in dental["contracts"]}["0101"] == []


def load_register_version(sandbox, rows: dict[str, str | None], drops: list[str]) -> None:
    """The shipped register again from 1 June 2026, each code of ``rows`` under its new
    name (None: left out, confirmed in ``drops``), as an operator loads it (R33)."""
    shipped = Path(insurers.__file__).with_name(insurers.SHIPPED_FILE).read_text("utf-8")
    header, *lines = shipped.strip().splitlines()
    version = [header]
    for line in lines:
        uzovi, name, *rest = line.split(";")
        if rows.get(uzovi, name) is not None:
            version.append(
                ";".join([uzovi, rows.get(uzovi) or name, *rest[:2], "2026-06-01", rest[3]])
            )
    body = {"csv": "\n".join(version), "drops": drops}
    assert sandbox.api("POST", "/api/v1/operator/insurers", caller=OPERATOR, body=body)[0] == 201


@pytest.mark.parametrize(
    ("language", "known", "unknown"),
    [
        (
            "nl",
            "UZOVI 3311, Zilveren Kruis Zorgverzekeringen: van 01-01-2025 tot en met 31-12-2026",
            "UZOVI 7095, niet in het verzekeraarsregister van zorgnota (versie 2026-06-01.1):"
            " van 01-01-2025 tot en met 31-12-2026",
        ),
        (
            "en",
            "UZOVI 3311, Zilveren Kruis Zorgverzekeringen: from 1 Jan 2025 up to and including"
            " 31 Dec 2026",
            "UZOVI 7095, not in zorgnota's insurer register (version 2026-06-01.1): from 1 Jan"
            " 2025 up to and including 31 Dec 2026",
        ),
    ],
)
def test_a_contract_names_its_insurer_from_the_register_in_force_or_says_it_is_unknown(
    sandbox, language, known, unknown
):
    """R33, R35, R31 (known.md stop 36, "Portal and API"): a practice knows its insurers by
    name, the settings hold UZOVI codes.
    Given the dental practice's contracts running to the end of 2026, and a register version
    from 1 June 2026 an operator loaded that renames 3311 and leaves out 7095 (confirmed)
    When its admin opens the settings page (23 November 2026)
    Then each contract shows its code with the insurer's name in the version in force, and
    the code the register no longer knows says so with that version's label, as R33 asks
    (register2_55: it said "unknown to the insurer register", no version)."""
    load_register_version(
        sandbox, {"3311": "Zilveren Kruis Zorgverzekeringen", "7095": None}, ["7095"]
    )
    html = settings_page_of_admin(sandbox, language)
    listed = shown_settings(html)
    assert known in listed, listed
    assert unknown in listed, listed


@pytest.mark.parametrize(
    ("language", "delay", "shown"),
    [
        (
            "nl",
            2,
            [
                "Vergoeding door verzekeraars Prestatiecodes die beginnen met C: 75% met"
                " contract, 0% zonder contract",
                "Prestatiecodes die beginnen met M: 100% met contract, 0% zonder contract",
                "Alle andere prestatiecodes: 0% met contract, 0% zonder contract De langste"
                " passende code telt; een code zonder regel vergoedt de verzekeraar niet.",
                "Brieven per post Gepost 2 kalenderdagen na de printopdracht. Een brief geldt"
                " als ontvangen op de tweede bezorgdag daarna.",
                "Uitstel na een verzoek 2 dagen",
            ],
        ),
        (
            "en",
            1,
            [
                "Reimbursement by insurers Treatment codes beginning with C: 75% with a"
                " contract, 0% without",
                "Treatment codes beginning with M: 100% with a contract, 0% without",
                "All other treatment codes: 0% with a contract, 0% without The longest"
                " matching code counts; the insurer reimburses nothing of a code without a rule.",
                "Letters by post Posted 1 calendar day after the print run. A letter counts as"
                " received on the second delivery day after that.",
                # R9 (names7): a deferral of 1 day read "1 days"
                "Deferral on request 1 day Payment arrangement",
            ],
        ),
    ],
)
def test_the_coverage_rules_and_the_posting_delay_are_shown_read_only(
    sandbox, language, delay, shown
):
    """R31, R35, R5, legal-nl.md §2 (known.md stop 36, "Portal and API"; ONBOARDING2): what
    an insurer reimburses and when a paper letter goes to the post decide what a patient is
    invoiced and when a reminder's term ends, so the admin reads them as the payout account.
    Given the dental practice's coverage rules (C, X and M, and 0% for every other code), and
    an operator setting its letters to be posted ``delay`` days after the print run, and a
    deferral on request of ``delay`` days (R14)
    When its admin opens the settings page
    Then both are listed, in the admin's language, each count of days in the number it
    asks for (R9, Texts.plural: "1 day", never "1 days"), and no form changes them."""
    path = f"/api/v1/operator/providers/{DENTAL.provider_id}"
    status, current = sandbox.api("GET", path, caller=OPERATOR)
    assert status == 200
    edited = current | {"posting_delay_days": delay, "deferral_days": delay}
    assert sandbox.api("PUT", path, caller=OPERATOR, body=edited)[0] == 200
    html = settings_page_of_admin(sandbox, language)
    listed = shown_settings(html)
    for setting in shown:
        assert setting in listed, (setting, listed)
    assert 'name="posting_delay_days"' not in html
    assert 'name="coverage_rules' not in html


def test_the_api_s_settings_name_the_register_version_that_does_not_know_a_code(sandbox):
    """R33, interfaces.md §7 (apiwords55: GET /provider/settings gave insurer_name null for
    7095 and nothing else, while the settings page says "not in zorgnota's insurer register
    (version 2026-06-01.1)").
    Given the dental practice and the register version from 1 June 2026 that drops 7095
    When its admin reads the settings through the API and on the page
    Then the API's contract for 7095 names the version the page names, each other contract
    the version its name was read from; a PATCH answers the same."""
    load_register_version(sandbox, {"7095": None}, ["7095"])
    admin = Caller.practice(DENTAL.provider_id, "admin", user_id="user-admin")
    status, own = sandbox.api("GET", "/api/v1/provider/settings", caller=admin)
    assert status == 200
    [unknown] = [c for c in own["contracts"] if c["uzovi"] == "7095"]
    assert (unknown["insurer_name"], unknown["insurer_register_version"]) == (None, "2026-06-01.1")
    page = shown_settings(settings_page_of_admin(sandbox, "en"))
    assert "UZOVI 7095, not in zorgnota's insurer register (version 2026-06-01.1)" in page
    versions = {c["insurer_register_version"] for c in own["contracts"]}
    assert versions == {"2026-06-01.1"}  # all run today: the version in force today
    patch = {"version": own["version"], "contact": {"phone": "030 765 4321"}}
    status, changed = sandbox.api("PATCH", "/api/v1/provider/settings", caller=admin, body=patch)
    assert (status, changed["contracts"]) == (200, own["contracts"])


def test_the_api_s_settings_name_each_contract_s_insurer_as_the_portal_does(sandbox):
    """R33, interfaces.md §7 (known.md stop 36, "Portal and API"): the same names in GET and
    PATCH /provider/settings, null for a code the register does not know (today).
    Given the dental practice and the register version that renames 3311 and drops 7095
    When its admin reads the settings, and changes its phone
    Then each contract carries its insurer's name, the contract's own fields as stored."""
    load_register_version(
        sandbox, {"3311": "Zilveren Kruis Zorgverzekeringen", "7095": None}, ["7095"]
    )
    admin = Caller.practice(DENTAL.provider_id, "admin", user_id="user-admin")
    status, own = sandbox.api("GET", "/api/v1/provider/settings", caller=admin)
    assert status == 200
    named = {c["uzovi"]: c["insurer_name"] for c in own["contracts"]}
    assert (named["3311"], named["7095"], named["0101"]) == (
        "Zilveren Kruis Zorgverzekeringen",
        None,
        "Univé",
    )
    assert own["contracts"][0] | {"insurer_name": None} == {
        "uzovi": DENTAL.contracts[0].uzovi,
        "from": "2025-01-01",
        "to": "2026-12-31",
        "insurer_name": None,
        "insurer_labels": [],  # Univé: no labels under 0101
        "insurer_register_version": "2026-06-01.1",  # the version in force today (R33)
    }
    patch = {"version": own["version"], "contact": {"phone": "030 765 4321"}}
    status, changed = sandbox.api("PATCH", "/api/v1/provider/settings", caller=admin, body=patch)
    assert status == 200, changed
    assert changed["contracts"] == own["contracts"]
