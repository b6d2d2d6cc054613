"""The operator API (interfaces.md §6, R31, R32) and the practice admin's own settings
(§7), through the real handlers on moto."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from billing_core.adapters.dynamo import keys
from billing_core.entrypoints.http import cursor
from functions.operator_api.app import api
from local.sandbox import Caller
from local.seed import DENTAL

OPERATOR = Caller.operator()
PROVIDERS = "/api/v1/operator/providers"
NEW_ID = "fysio-zuid"


def new_practice(**changes):
    settings = DENTAL.model_dump(mode="json") | {
        "provider_id": NEW_ID,
        "name": "Fysiotherapie Zuid",
        "agb_codes": [{"code": "04999888", "kind": "practice"}],
    }
    settings.pop("version")
    return settings | changes


def operator(sandbox, method, path, body=None):
    return sandbox.api(method, path, caller=OPERATOR, body=body)


def stored_items(sandbox):
    return sandbox.runtime.repository._table.scan()["Items"]


def test_an_operator_creates_reads_and_lists_a_provider(sandbox):
    # When an operator creates a provider
    status, created = operator(sandbox, "POST", PROVIDERS, new_practice())
    # Then 201 with its id and version 1, readable with that version and listed
    assert (status, created) == (201, {"provider_id": NEW_ID, "version": 1})
    status, settings = operator(sandbox, "GET", f"{PROVIDERS}/{NEW_ID}")
    assert status == 200 and settings["version"] == 1
    assert settings["payout"] == DENTAL.model_dump(mode="json")["payout"]
    status, listed = operator(sandbox, "GET", PROVIDERS)
    assert [p["provider_id"] for p in listed["items"]] == sorted(
        [NEW_ID, "tandarts-de-vries", "fysio-centrum-oost"]
    )
    # And the same id again is a conflict, saying how to fix it: another id, or a PUT of
    # the existing provider (R35, words52c: it said only that the id exists)
    status, answer = operator(sandbox, "POST", PROVIDERS, new_practice(name="Ander"))
    assert (status, answer["error"]["code"]) == (409, "provider_exists")
    assert answer["error"]["message"] == (
        "Er bestaat al een zorgaanbieder met deze id. Kies een andere id, of wijzig de"
        " bestaande zorgaanbieder (PUT op haar id, met haar version). / A provider with this"
        " id exists already. Choose another id, or change the existing provider (PUT on its"
        " id, with its version)."
    )


@pytest.mark.parametrize(
    "change",
    [
        {"payout": {"iban": "NL91ABNA0417164301", "account_holder": "Zuid B.V."}},
        {"payout": {"iban": "NL91ABNA0417164300"}},
        {"agb_codes": [{"code": "04999888", "kind": "practitioner"}]},
        {"contracts": [{"uzovi": "9664", "from": "2026-12-31", "to": "2026-01-01"}]},
        # Audit onboarding D11: all zeros is an absent code (vektis.md), and one owner a code.
        {"kvk": "00000000"},
        {"agb_codes": [{"code": "00000000", "kind": "practice"}]},
        {"agb_codes": [{"code": "12345678", "kind": "practice"}]},  # tandarts-de-vries'
        # Audit onboarding D8: an unknown insurer, one insurer twice, a prefix twice.
        {"contracts": [{"uzovi": "9644", "from": "2026-01-01", "to": None}]},
        {
            "contracts": [
                {"uzovi": "9664", "from": "2026-01-01", "to": None},
                {"uzovi": "9664", "from": "2026-06-01", "to": None},
            ]
        },
        {
            "coverage_rules": [
                {"code_prefix": "", "contracted_percentage": "100"},
                {"code_prefix": "", "contracted_percentage": "0"},
            ]
        },
    ],
)
def test_a_provider_that_fails_validation_is_never_written(sandbox, change):
    before = stored_items(sandbox)
    status, answer = operator(sandbox, "POST", PROVIDERS, new_practice(**change))
    assert (status, answer["error"]["code"]) == (400, "validation_error")
    assert stored_items(sandbox) == before
    # and the answer is the one the API's document names for a 400 (interfaces.md §2)
    document = json.loads(api.openapi_json())
    documented = document["paths"][PROVIDERS]["post"]["responses"][str(status)]
    schema = {**documented["content"]["application/json"]["schema"], **document}
    jsonschema.validate(answer, schema)


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"payout": {"iban": "NL91ABNA0417164301", "account_holder": "Zuid B.V."}},
            "payout.iban: Dit is geen geldig IBAN",
        ),
        ({"service_fee_percentage": "NaN"}, "service_fee_percentage: moet een eindig getal zijn"),
    ],
)
def test_an_operators_typo_is_refused_in_dutch_and_english(sandbox, change, message):
    """R31, error_document.py ("Dutch / English, for people"), audit ONBOARD2-4: given a new
    practice with an IBAN's check digit mistyped, or a fee of NaN, when the operator creates
    it, then the 400 names the field in Dutch and in English (it was pydantic's English
    "Value error, not a valid IBAN" and "Input should be a finite number" only)."""
    status, answer = operator(sandbox, "POST", PROVIDERS, new_practice(**change))
    assert status == 400
    assert answer["error"]["message"].startswith(message)
    assert " / " in answer["error"]["message"]
    assert "Value error" not in answer["error"]["message"]


def test_an_agb_code_another_provider_holds_is_refused_naming_that_provider(sandbox):
    """interfaces.md §6 (a Vektis file belongs to the provider whose agb_codes hold one of
    its header's codes: one owner per code), R31, audit onboarding D11."""
    # Given a new practice, and the dental practice holding practitioner code 12000111
    operator(sandbox, "POST", PROVIDERS, new_practice())
    # When the operator gives the new practice that code too
    codes = [{"code": "04999888", "kind": "practice"}, {"code": "12000111", "kind": "practitioner"}]
    edited = new_practice(version=1, agb_codes=codes)
    status, answer = operator(sandbox, "PUT", f"{PROVIDERS}/{NEW_ID}", edited)
    # Then it is refused, naming the place, the holder (an operator sees every provider) and why
    assert (status, answer["error"]["code"]) == (400, "validation_error")
    message = answer["error"]["message"]
    assert message.startswith("agb_codes.1.code: Deze AGB-code hoort al bij zorgaanbieder")
    assert "This AGB code belongs to provider tandarts-de-vries already" in message
    assert sandbox.runtime.repository.get_provider(NEW_ID).version == 1
    # And a replace that keeps the practice's own codes is no conflict with itself
    own = new_practice(version=1, payment_term_days=14)
    assert operator(sandbox, "PUT", f"{PROVIDERS}/{NEW_ID}", own)[0] == 200


@pytest.mark.parametrize(
    ("payout", "where", "message"),
    [
        (
            {"iban": "SA0380000000608010167519", "account_holder": "Zuid B.V."},
            "payout.iban",
            "Dit IBAN is uit SA, een land buiten SEPA",
        ),
        (
            {"iban": "BR1500000000000010932840814P2", "account_holder": "Zuid B.V."},
            "payout.iban",
            "Dit IBAN is uit BR, een land buiten SEPA",
        ),
        (
            {"iban": "NL91ABNA0417164300", "account_holder": "***"},
            "payout.account_holder",
            "De naam van de rekeninghouder heeft geen enkel teken",
        ),
    ],
)
def test_a_payout_account_the_sepa_file_cannot_pay_is_refused(sandbox, payout, where, message):
    """R24, R34 (the weekly payout is a SEPA credit transfer), audit BACKOFFICE5: Given a new
    practice whose payout IBAN is outside the SEPA countries (or whose holder has no
    character a bank accepts) / When an operator creates it, or puts it on a practice
    Then 400 names the field in Dutch and English, and nothing is written."""
    before = stored_items(sandbox)
    status, answer = operator(sandbox, "POST", PROVIDERS, new_practice(payout=payout))
    assert (status, answer["error"]["code"]) == (400, "validation_error")
    assert answer["error"]["message"].startswith(f"{where}: {message}")
    assert " / " in answer["error"]["message"]
    assert stored_items(sandbox) == before
    # And a replace of a stored practice is refused the same way
    operator(sandbox, "POST", PROVIDERS, new_practice())
    edited = new_practice(version=1, payout=payout)
    status, answer = operator(sandbox, "PUT", f"{PROVIDERS}/{NEW_ID}", edited)
    assert status == 400 and answer["error"]["message"].startswith(where)
    assert sandbox.runtime.repository.get_provider(NEW_ID).version == 1


def test_a_valid_belgian_iban_whose_bank_stdnum_does_not_list_is_a_payout_account(sandbox):
    """R31 (payout account checked), R24, R34 (a SEPA credit transfer; Belgium is in SEPA)
    (words52): BE68 5390 0754 7034, whose IBAN and Belgian check digits are right, was
    refused as "geen geldig IBAN ... een Nederlands IBAN heeft er 18", because bank code
    539 is missing from python-stdnum's copy of the Belgian bank register (a Dutch IBAN's
    bank is looked up nowhere).
    Given a new practice with that IBAN, typed with spaces, as its payout account
    When an operator creates it
    Then it is stored, compact; a Belgian IBAN with wrong national check digits
    (BE41 5390 0754 7035, its IBAN check digits right) is still refused."""
    payout = {"iban": "BE68 5390 0754 7034", "account_holder": "Zuid B.V."}
    status, _ = operator(sandbox, "POST", PROVIDERS, new_practice(payout=payout))
    assert status == 201
    assert sandbox.runtime.repository.get_provider(NEW_ID).payout.iban == "BE68539007547034"
    typo = {"iban": "BE41539007547035", "account_holder": "Zuid B.V."}
    status, answer = operator(
        sandbox, "PUT", f"{PROVIDERS}/{NEW_ID}", new_practice(version=1, payout=typo)
    )
    assert status == 400
    assert answer["error"]["message"].startswith("payout.iban: Dit is geen geldig IBAN")
    assert sandbox.runtime.repository.get_provider(NEW_ID).payout.iban == "BE68539007547034"


@pytest.mark.parametrize(
    ("typed", "length_said"),
    [
        ("BE68 5390 0754 703", "een IBAN dat met BE begint heeft er 16)"),
        ("DE89 3704 0044 0532 0130 001", "een IBAN dat met DE begint heeft er 22)"),
        ("DE89370400440532013001", "een IBAN dat met DE begint heeft er 22)"),
        ("NL91 ABNA 0417 1643 01", "een Nederlands IBAN heeft er 18, zoals NL91 ABNA"),
        ("XX12 3456", "een Nederlands IBAN heeft er 18, zoals NL91 ABNA"),
    ],
    ids=[
        "Belgian a digit short",
        "German a digit long",
        "German check digits",
        "Dutch",
        "no country",
    ],
)
def test_a_mistyped_iban_is_told_the_length_of_its_own_country(sandbox, typed, length_said):
    """R31 (the payout account checked, its refusal says how to fix it), R35 (words52b): a
    mistyped Belgian or German IBAN was told "een Nederlands IBAN heeft er 18"; a Belgian
    one has 16, a German one 22 (python-stdnum's IBAN register).
    Given a new practice whose payout IBAN is mistyped
    When an operator creates it
    Then 400 names the length of the IBAN's own country in Dutch and English (the Dutch
    example only for a Dutch IBAN or a country code no IBAN has), and nothing is written."""
    payout = {"iban": typed, "account_holder": "Zuid B.V."}
    status, answer = operator(sandbox, "POST", PROVIDERS, new_practice(payout=payout))
    assert status == 400
    dutch, _, english = answer["error"]["message"].partition(" / ")
    assert dutch.startswith("payout.iban: Dit is geen geldig IBAN: controleer de landcode")
    assert length_said in dutch
    country, _, count = length_said.partition(" begint heeft er ")
    if count:  # the same length in English
        assert f"an IBAN starting with {country[-2:]} has {count}" in english
        assert "Nederlands" not in dutch and "Dutch" not in english
    else:
        assert "a Dutch IBAN has 18, like NL91 ABNA 0417 1643 00" in english
    assert sandbox.runtime.repository.get_provider(NEW_ID) is None


def test_a_payout_account_in_a_sepa_country_outside_the_eu_is_written(sandbox):
    """R34: Switzerland and the United Kingdom are in SEPA (the EPC's list)."""
    payout = {"iban": "CH9300762011623852957", "account_holder": "Zuid AG"}
    assert operator(sandbox, "POST", PROVIDERS, new_practice(payout=payout))[0] == 201


def test_the_provider_list_goes_on_page_by_page_and_refuses_a_forged_cursor(sandbox):
    """R31, interfaces.md §2, §6 (refunds53b: the list read every practice into one
    answer, near Lambda's 6 MB at thousands of practices): Given the two sample practices
    and three more onboarded
    When an operator reads the list two a page, sending each next_cursor back
    Then every practice comes once, by id, on three pages, the last without a cursor;
    a cursor that is no provider id, or no cursor at all, is a 400 invalid_cursor
    (before: one page of all five, no cursor)."""
    # Given
    for n, provider_id in enumerate(("fysio-a", "fysio-b", "fysio-c"), start=1):
        body = new_practice(
            provider_id=provider_id, agb_codes=[{"code": f"0499900{n}", "kind": "practice"}]
        )
        assert operator(sandbox, "POST", PROVIDERS, body)[0] == 201
    # When
    pages, query = [], {"limit": "2"}
    while True:
        status, page = sandbox.api("GET", PROVIDERS, caller=OPERATOR, query=query)
        assert status == 200, page
        pages.append([p["provider_id"] for p in page["items"]])
        if page["next_cursor"] is None:
            break
        query = {"limit": "2", "cursor": page["next_cursor"]}
    # Then
    assert pages == [
        ["fysio-a", "fysio-b"],
        ["fysio-c", "fysio-centrum-oost"],
        ["tandarts-de-vries"],
    ]
    for forged in (cursor.encode("PROVIDER#fysio-a"), "not-a-cursor"):
        status, answer = sandbox.api("GET", PROVIDERS, caller=OPERATOR, query={"cursor": forged})
        assert (status, answer["error"]["code"]) == (400, "invalid_cursor")


def test_a_practice_token_cannot_use_the_operator_api(sandbox):
    for role in ("admin", "staff", "viewer"):
        caller = Caller.practice("tandarts-de-vries", role)
        status, answer = sandbox.api("GET", PROVIDERS, caller=caller)
        assert (status, answer["error"]["code"]) == (403, "operators_only")
        status, _ = sandbox.api("POST", PROVIDERS, caller=caller, body=new_practice())
        assert status == 403
    assert sandbox.runtime.repository.get_provider(NEW_ID) is None
    assert sandbox.api("GET", PROVIDERS)[0] == 401


def test_a_replace_needs_the_current_version_and_every_version_is_in_the_history(sandbox):
    # Given a provider at version 1
    operator(sandbox, "POST", PROVIDERS, new_practice())
    edited = new_practice(version=1, payment_term_days=14)
    edited["contracts"] = [{"uzovi": "9664", "from": "2026-01-01", "to": None}]
    # When an operator replaces its settings, editing version 1
    status, replaced = operator(sandbox, "PUT", f"{PROVIDERS}/{NEW_ID}", edited)
    # Then it is version 2
    assert (status, replaced["version"], replaced["payment_term_days"]) == (200, 2, 14)
    # And an edit of the old version 1 is refused, and changes nothing
    stale = new_practice(version=1, payment_term_days=60)
    status, answer = operator(sandbox, "PUT", f"{PROVIDERS}/{NEW_ID}", stale)
    assert (status, answer["error"]["code"]) == (409, "stale_version")
    assert sandbox.runtime.repository.get_provider(NEW_ID).payment_term_days == 14
    # And the history says who changed what, field by field
    status, history = operator(sandbox, "GET", f"{PROVIDERS}/{NEW_ID}/history")
    first, second = history["items"]
    assert (first["version"], first["changed_by"], first["role"]) == (
        1,
        "sandbox-operator",
        "operators",
    )
    assert {c["field"] for c in first["changes"]} >= {"payout.iban", "agb_codes", "name"}
    assert second["changes"] == [
        {
            "field": "contracts",
            "before": new_practice()["contracts"],
            "after": [{"uzovi": "9664", "from": "2026-01-01", "to": None}],
        },
        {"field": "payment_term_days", "before": 30, "after": 14},
    ]


def test_unknown_providers_are_not_found(sandbox):
    for method, path, body in (
        ("GET", f"{PROVIDERS}/onbekend", None),
        ("GET", f"{PROVIDERS}/onbekend/history", None),
        ("PUT", f"{PROVIDERS}/onbekend", new_practice(provider_id="onbekend", version=1)),
        ("POST", f"{PROVIDERS}/onbekend/users", {"email": "a@b.nl", "role": "staff"}),
    ):
        assert operator(sandbox, method, path, body)[0] == 404, (method, path)


@pytest.mark.parametrize("uzovi", ["9644", "1234"])
def test_a_contract_with_an_insurer_not_in_the_register_is_refused_in_r33s_words(sandbox, uzovi):
    """R33 ("not in zorgnota's insurer register (version …)"), R31, audit onboarding D8:
    9644 is a typo for CZ's 9664; its patients would all count as non-contracted (R5)."""
    operator(sandbox, "POST", PROVIDERS, new_practice())
    contracts = [
        {"uzovi": "9664", "from": "2026-01-01", "to": None},
        {"uzovi": uzovi, "from": "2026-01-01", "to": None},
    ]
    status, answer = operator(
        sandbox, "PUT", f"{PROVIDERS}/{NEW_ID}", new_practice(version=1, contracts=contracts)
    )
    assert (status, answer["error"]["code"]) == (400, "validation_error")
    message = answer["error"]["message"]
    assert message.startswith(f"contracts.1.uzovi: UZOVI {uzovi} staat niet in het")
    assert f"UZOVI {uzovi} is not in zorgnota's insurer register (version 2025-01-01.1)" in message
    assert sandbox.runtime.repository.get_provider(NEW_ID).version == 1
    # And on create the same
    status, answer = operator(
        sandbox, "POST", PROVIDERS, new_practice(provider_id="fysio-noord", contracts=contracts)
    )
    assert (status, answer["error"]["code"]) == (400, "validation_error")
    assert sandbox.runtime.repository.get_provider("fysio-noord") is None


def test_a_contract_is_checked_against_the_register_versions_of_its_period(sandbox):
    """R33: a register version an operator loads counts from its valid-from date."""
    # Given a version from 2027 that lists a new insurer 1234 (and 9664 no longer)
    header = "uzovi;name;group;labels;valid_from;source"
    row = "1234;Nieuwe Verzekeraar;Nieuw;;2027-01-01;https://example.org/zorgaanbieders"
    csv = "\n".join([header, row])
    shipped = operator(sandbox, "GET", "/api/v1/operator/insurers")[1]["insurers"]
    drops = sorted(insurer["uzovi"] for insurer in shipped)  # confirmed, as R33 asks
    body = {"csv": csv, "drops": drops}
    assert operator(sandbox, "POST", "/api/v1/operator/insurers", body)[0] == 201
    # When contracts are given with 1234 from 2027 and with 9664 until the end of 2026
    contracts = [
        {"uzovi": "1234", "from": "2027-01-01", "to": None},
        {"uzovi": "9664", "from": "2025-01-01", "to": "2026-12-31"},
    ]
    status, created = operator(sandbox, "POST", PROVIDERS, new_practice(contracts=contracts))
    # Then both are known in a version in force during their period
    assert status == 201, created
    # And 1234 from 2026 is not: the version in force then does not list it
    early = [{"uzovi": "1234", "from": "2026-06-01", "to": "2026-12-31"}]
    edited = new_practice(version=1, contracts=early)
    status, answer = operator(sandbox, "PUT", f"{PROVIDERS}/{NEW_ID}", edited)
    assert status == 400 and "(version 2025-01-01.1)" in answer["error"]["message"]


def plant_legacy_provider(sandbox, provider_id, version):
    """A provider item in the shape before settings v2 (name, city, contact_email, one
    agb_code), as correspondence/practice_contact.py still describes it: it no longer
    validates."""
    sandbox.runtime.repository._table.put_item(
        Item={
            **keys.provider_key(provider_id),
            "gsi2pk": keys.PROVIDERS_INDEX,
            "gsi2sk": provider_id,
            "provider_id": provider_id,
            "name": "Fysio Oud",
            "city": "Utrecht",
            "contact_email": "info@praktijk-oud.example.org",
            "agb_code": "04999999",
            **({"version": version} if version else {}),
        }
    )


def test_an_unreadable_provider_is_listed_and_replaced_on_its_stored_version(sandbox):
    """R31 "one bad provider never stops a run for the others", audit onboarding D10: the
    operator sees a provider whose stored settings no longer validate, and repairs it
    through the API."""
    # Given a legacy provider item, stored as version 1, that no longer validates
    plant_legacy_provider(sandbox, "fysio-oud", 1)
    # When the operator lists the providers
    status, listed = operator(sandbox, "GET", PROVIDERS)
    # Then the readable ones are listed, and it is named apart: its id, version and why
    assert status == 200
    assert "fysio-oud" not in [p["provider_id"] for p in listed["items"]]
    (unreadable,) = listed["unreadable"]
    assert (unreadable["provider_id"], unreadable["version"]) == ("fysio-oud", 1)
    assert unreadable["reason"].startswith("legal_name: Field required")
    # And never a value of the item (its contact details may be anyone's)
    assert "Utrecht" not in str(listed["unreadable"]) and "info@" not in str(listed)
    # And reading it, its history or creating it again is a 409 that says what is wrong
    for method, path, body in (
        ("GET", f"{PROVIDERS}/fysio-oud", None),
        ("GET", f"{PROVIDERS}/fysio-oud/history", None),
        ("POST", PROVIDERS, new_practice(provider_id="fysio-oud")),
    ):
        status, answer = operator(sandbox, method, path, body)
        assert (status, answer["error"]["code"]) == (409, "provider_unreadable"), (method, path)
        assert "legal_name: Field required" in answer["error"]["message"]
        assert "version 1" in answer["error"]["message"]
    # And a replacement of another version than the stored one is stale
    stale = new_practice(provider_id="fysio-oud", version=2)
    status, answer = operator(sandbox, "PUT", f"{PROVIDERS}/fysio-oud", stale)
    assert (status, answer["error"]["code"]) == (409, "stale_version")
    # When the operator replaces it with valid settings, editing its stored version 1
    repaired = new_practice(provider_id="fysio-oud", version=1)
    status, replaced = operator(sandbox, "PUT", f"{PROVIDERS}/fysio-oud", repaired)
    # Then it is version 2, reads, is listed, and the history has every field as new
    assert (status, replaced["version"]) == (200, 2)
    assert operator(sandbox, "GET", f"{PROVIDERS}/fysio-oud")[1]["version"] == 2
    _, listed = operator(sandbox, "GET", PROVIDERS)
    assert "fysio-oud" in [p["provider_id"] for p in listed["items"]]
    assert listed["unreadable"] == []
    _, history = operator(sandbox, "GET", f"{PROVIDERS}/fysio-oud/history")
    (version_2,) = history["items"]
    assert version_2["version"] == 2
    assert {"name", "payout.iban", "agb_codes"} <= {c["field"] for c in version_2["changes"]}
    assert all(c["before"] is None for c in version_2["changes"])


def test_a_replace_without_its_version_says_the_version_is_missing(sandbox):
    """R31, interfaces.md §6 ("body carries the version it edits"), audit onboard57: a
    PUT without `version` was answered 409 stale_version, "someone else changed the
    settings in the meantime", which nobody had; the practice admin's PATCH says 400."""
    # Given a provider at version 1
    operator(sandbox, "POST", PROVIDERS, new_practice())
    before = stored_items(sandbox)
    # When an operator replaces its settings without saying which version they edited
    status, answer = operator(
        sandbox, "PUT", f"{PROVIDERS}/{NEW_ID}", new_practice(payment_term_days=14)
    )
    # Then 400 naming the missing version and what to send, in Dutch and English
    assert (status, answer["error"]["code"]) == (400, "validation_error")
    assert answer["error"]["fields"] == [
        {
            "field": "version",
            "message": "ontbreekt: stuur de version die u las (GET), zodat u geen wijziging"
            " van een ander overschrijft / missing: send the version you read (GET), so that"
            " you overwrite no one else's change",
        }
    ]
    # And nothing is written
    assert stored_items(sandbox) == before


def test_an_unreadable_provider_without_a_version_is_replaced_on_version_0(sandbox):
    """R31 ("one bad provider never stops a run for the others"), audit onboarding D10: an
    item without a version is replaced as version 0 (written on condition that it still
    has none), so the operator repairs it through the API as any other."""
    # Given a legacy provider item without a version, which the 409 says to replace so
    plant_legacy_provider(sandbox, "fysio-oud", 0)
    status, answer = operator(sandbox, "GET", f"{PROVIDERS}/fysio-oud")
    assert (status, answer["error"]["code"]) == (409, "provider_unreadable")
    assert "version 0" in answer["error"]["message"]
    # When the operator replaces it on another version, nothing is written
    before = stored_items(sandbox)
    stale = new_practice(provider_id="fysio-oud", version=1)
    status, answer = operator(sandbox, "PUT", f"{PROVIDERS}/fysio-oud", stale)
    assert (status, answer["error"]["code"]) == (409, "stale_version")
    assert stored_items(sandbox) == before
    # When the operator replaces it on version 0
    repaired = new_practice(provider_id="fysio-oud", version=0)
    status, replaced = operator(sandbox, "PUT", f"{PROVIDERS}/fysio-oud", repaired)
    # Then it is version 1, reads, and the history has every field as new
    assert (status, replaced["version"]) == (200, 1)
    assert operator(sandbox, "GET", f"{PROVIDERS}/fysio-oud")[1]["version"] == 1
    _, history = operator(sandbox, "GET", f"{PROVIDERS}/fysio-oud/history")
    (version_1,) = history["items"]
    assert all(c["before"] is None for c in version_1["changes"])
    # And replacing it on version 0 again is stale: it has a version now
    status, answer = operator(sandbox, "PUT", f"{PROVIDERS}/fysio-oud", repaired)
    assert (status, answer["error"]["code"]) == (409, "stale_version")


WEST = "fysio-west"
CLAIMED = {"code": "12777000", "kind": "practitioner"}


def with_codes(provider_id, practice_code, *others, version=None):
    codes = [{"code": practice_code, "kind": "practice"}, *others]
    settings = new_practice(provider_id=provider_id, agb_codes=codes)
    return settings if version is None else settings | {"version": version}


def test_two_operators_claiming_one_agb_code_at_once_cannot_both_succeed(sandbox, monkeypatch):
    """interfaces.md §6 (a Vektis file belongs to the provider whose agb_codes hold one of
    its header's codes: one owner per code), R31, legal-nl.md §6: the code's owner is
    decided by the write, not by a read before it (closing11 "Settings")."""
    from billing_core.adapters.dynamo.repository import BillingRepository

    # Given two practices, neither holding practitioner code 12777000
    assert operator(sandbox, "POST", PROVIDERS, with_codes(NEW_ID, "04999888"))[0] == 201
    assert operator(sandbox, "POST", PROVIDERS, with_codes(WEST, "04777666"))[0] == 201
    # When an operator gives it to fysio-zuid, and another gives it to fysio-west between
    # fysio-zuid's read of the other practices and its write
    listing = BillingRepository.readable_providers

    def rival_claims_after_the_read(repository):
        read = listing(repository)
        monkeypatch.setattr(BillingRepository, "readable_providers", listing)
        rival = with_codes(WEST, "04777666", CLAIMED, version=1)
        assert operator(sandbox, "PUT", f"{PROVIDERS}/{WEST}", rival)[0] == 200
        return read

    monkeypatch.setattr(BillingRepository, "readable_providers", rival_claims_after_the_read)
    edited = with_codes(NEW_ID, "04999888", CLAIMED, version=1)
    status, answer = operator(sandbox, "PUT", f"{PROVIDERS}/{NEW_ID}", edited)
    # Then fysio-zuid's write is refused, naming the place and the holder, and changed nothing
    assert (status, answer["error"]["code"]) == (400, "validation_error")
    message = answer["error"]["message"]
    assert message.startswith("agb_codes.1.code: Deze AGB-code hoort al bij zorgaanbieder")
    assert f"This AGB code belongs to provider {WEST} already" in message
    assert sandbox.runtime.repository.get_provider(NEW_ID).version == 1
    assert CLAIMED["code"] in sandbox.runtime.repository.get_provider(WEST).all_agb_codes


def test_a_code_a_practice_gives_up_is_free_for_another_at_once(sandbox):
    """interfaces.md §6, R31: the write that drops a code releases it, so moving a code
    from one practice to another is two saves, even when the second one's read of the
    other practices is older than the first one's write."""
    # Given fysio-zuid holding practitioner code 12777000
    created = with_codes(NEW_ID, "04999888", CLAIMED)
    assert operator(sandbox, "POST", PROVIDERS, created)[0] == 201
    assert operator(sandbox, "POST", PROVIDERS, with_codes(WEST, "04777666"))[0] == 201
    # And fysio-west refused it while fysio-zuid holds it
    moved = with_codes(WEST, "04777666", CLAIMED, version=1)
    assert operator(sandbox, "PUT", f"{PROVIDERS}/{WEST}", moved)[0] == 400
    # When fysio-zuid gives it up (and changes its practice code too)
    given_up = with_codes(NEW_ID, "04999887", version=1)
    assert operator(sandbox, "PUT", f"{PROVIDERS}/{NEW_ID}", given_up)[0] == 200
    # Then fysio-west takes it, and a new practice the old practice code
    assert operator(sandbox, "PUT", f"{PROVIDERS}/{WEST}", moved)[0] == 200
    assert operator(sandbox, "POST", PROVIDERS, with_codes("fysio-noord", "04999888"))[0] == 201
    # And fysio-zuid cannot take it back: fysio-west holds it now
    back = with_codes(NEW_ID, "04999887", CLAIMED, version=2)
    assert operator(sandbox, "PUT", f"{PROVIDERS}/{NEW_ID}", back)[0] == 400


def test_an_operator_invites_and_disables_a_practices_users(sandbox):
    users = f"{PROVIDERS}/tandarts-de-vries/users"
    status, invited = operator(
        sandbox, "POST", users, {"email": "Balie@Example.org", "role": "staff"}
    )
    assert (status, invited) == (
        201,
        {"email": "balie@example.org", "role": "staff", "enabled": True, "outcome": "invited"},
    )
    assert operator(sandbox, "POST", users, {"email": "x@example.org", "role": "boss"})[0] == 400
    status, disabled = operator(sandbox, "DELETE", f"{users}/balie@example.org")
    assert (status, disabled["enabled"]) == (200, False)
    # A user of another practice is not this practice's to disable
    other = f"{PROVIDERS}/fysio-centrum-oost/users/balie@example.org"
    assert operator(sandbox, "DELETE", other)[0] == 404


DENTAL_USERS = f"{PROVIDERS}/tandarts-de-vries/users"
ONLY_ADMIN = "praktijkhouder@example.org"
INVITE_PATHS = {"operator": DENTAL_USERS, "practice admin": "/api/v1/provider/users"}


@pytest.mark.parametrize("who", sorted(INVITE_PATHS))
@pytest.mark.parametrize(
    "signed_in, disabled, status, outcome, invitations",
    [
        (False, False, 200, "reinvited", 2),
        (False, True, 200, "reinvited", 2),
        (True, True, 200, "enabled", 1),
        (True, False, 409, "user_exists", 1),
    ],
    ids=["awaiting-first-sign-in", "disabled-never-signed-in", "disabled-after-sign-in", "active"],
)
def test_inviting_a_practices_own_user_again_brings_them_back_in_the_role_asked(
    sandbox, who, signed_in, disabled, status, outcome, invitations
):
    """R32, audit onboarding D3: an invitation that expired unused (its temporary password
    lasts 3 days) is sent again, a user disabled by mistake is enabled again; an active
    user stays a conflict. Through the operator's API and the practice admin's alike."""
    directory = sandbox.runtime.user_directory
    # Given a staff member of the practice, signed in or not, disabled or not
    body = {"email": "balie@example.org", "role": "staff"}
    assert operator(sandbox, "POST", DENTAL_USERS, body)[0] == 201
    if signed_in:
        directory.first_sign_in("balie@example.org")
    if disabled:
        assert operator(sandbox, "DELETE", f"{DENTAL_USERS}/balie@example.org")[0] == 200
    # When the address is invited again, as a viewer
    caller = OPERATOR if who == "operator" else practice("admin")
    body = {"email": "Balie@Example.org", "role": "viewer"}
    got_status, got = sandbox.api("POST", INVITE_PATHS[who], caller=caller, body=body)
    # Then the answer says what was done, the user is back as a viewer (one user still),
    # and an invitation was e-mailed again only to one who never signed in
    assert got_status == status, got
    listed = [u for u in directory.users_of("tandarts-de-vries") if u.email == "balie@example.org"]
    assert len(listed) == 1
    if status == 409:
        assert got["error"]["code"] == outcome
    else:
        back = {"email": "balie@example.org", "role": "viewer", "enabled": True}
        assert got == back | {"outcome": outcome}
        assert (listed[0].role.value, listed[0].enabled) == ("viewer", True)
    assert directory.invitations.count("balie@example.org") == invitations


def test_another_practices_address_is_a_conflict_that_neither_tells_nor_touches_it(sandbox):
    """R32, audit onboarding D3 (tenant isolation): inviting an address of another practice
    answers as for an active user, and leaves that practice's user as it was."""
    directory = sandbox.runtime.user_directory
    oost = f"{PROVIDERS}/fysio-centrum-oost/users"
    body = {"email": "balie@example.org", "role": "staff"}
    assert operator(sandbox, "POST", oost, body)[0] == 201
    assert operator(sandbox, "DELETE", f"{oost}/balie@example.org")[0] == 200
    before = directory.users_of("fysio-centrum-oost")
    # Given also an active user of the dental practice
    active = {"email": "actief@example.org", "role": "staff"}
    assert operator(sandbox, "POST", DENTAL_USERS, active)[0] == 201
    directory.first_sign_in("actief@example.org")
    # When the dental practice invites the other practice's (disabled) address, and its own
    body = {"email": "balie@example.org", "role": "admin"}
    foreign = sandbox.api("POST", "/api/v1/provider/users", caller=practice("admin"), body=body)
    own = sandbox.api("POST", "/api/v1/provider/users", caller=practice("admin"), body=active)
    # Then both are the same 409, and the other practice's user is untouched; it says how
    # to fix it: the role in the practice's list of users, or another address (R35,
    # words52c: it said only that a user exists)
    assert foreign == own
    assert foreign[0] == 409 and foreign[1]["error"]["code"] == "user_exists"
    assert foreign[1]["error"]["message"] == (
        "Er bestaat al een gebruiker met dit e-mailadres. Staat het adres in de lijst van"
        " gebruikers van de praktijk, wijzig daar de rol; zo niet, kies een ander e-mailadres."
        " / A user with this e-mail address exists already. If the address is in the"
        " practice's list of users, change the role there; if not, choose another e-mail"
        " address."
    )
    assert directory.users_of("fysio-centrum-oost") == before
    assert directory.users_of("tandarts-de-vries")[0].email == "actief@example.org"
    assert directory.invitations.count("balie@example.org") == 1


def enabled_admins(sandbox):
    listed = sandbox.runtime.user_directory.users_of("tandarts-de-vries")
    return [u.email for u in listed if u.enabled and u.role.value == "admin"]


@pytest.mark.parametrize(
    "who, method, path, body",
    [
        ("operator", "DELETE", f"{DENTAL_USERS}/{ONLY_ADMIN}", None),
        # An admin whose own account was disabled still holds an API token for up to 60
        # minutes: they do not take the practice's last admin with them.
        ("practice admin", "DELETE", f"/api/v1/provider/users/{ONLY_ADMIN}", None),
        ("practice admin", "PATCH", f"/api/v1/provider/users/{ONLY_ADMIN}", {"role": "staff"}),
        # Invited again in a lower role (audit onboarding D3): the same guard
        ("operator", "POST", DENTAL_USERS, {"email": ONLY_ADMIN, "role": "staff"}),
    ],
    ids=["operator-disables", "admin-disables", "admin-demotes", "operator-reinvites-as-staff"],
)
def test_nobody_disables_or_demotes_a_practices_last_enabled_admin(
    sandbox, who, method, path, body
):
    """R32, audit onboarding D9: "a practice must not lock out its last admin", on the
    operator's path as on the practice admin's."""
    # Given a practice with one admin and a staff member
    for email, role in ((ONLY_ADMIN, "admin"), ("balie@example.org", "staff")):
        assert operator(sandbox, "POST", DENTAL_USERS, {"email": email, "role": role})[0] == 201
    caller = OPERATOR if who == "operator" else practice("admin")
    # When that admin is disabled or given a lower role
    status, answer = sandbox.api(method, path, caller=caller, body=body)
    # Then 409 with the reason in Dutch and English, and the admin is still there
    assert (status, answer["error"]["code"]) == (409, "last_admin")
    assert "enige actieve beheerder" in answer["error"]["message"]
    assert "only active admin" in answer["error"]["message"]
    assert enabled_admins(sandbox) == [ONLY_ADMIN]
    # And once a second admin is invited, the first one may go
    second = {"email": "tweede@example.org", "role": "admin"}
    assert operator(sandbox, "POST", DENTAL_USERS, second)[0] == 201
    assert sandbox.api(method, path, caller=caller, body=body)[0] == 200
    assert enabled_admins(sandbox) == ["tweede@example.org"]


def test_the_operator_api_documents_itself(sandbox):
    status, page = sandbox.api("GET", "/api/v1/operator/docs")
    assert status == 200 and "swagger" in page.lower()
    status, document = sandbox.api("GET", "/api/v1/operator/openapi.json")
    assert status == 200 and "/api/v1/operator/providers" in document["paths"]


# --- the practice admin's own settings (interfaces.md §7) ----------------------------------


SETTINGS = "/api/v1/provider/settings"


def practice(role):
    return Caller.practice("tandarts-de-vries", role, user_id=f"user-{role}")


def test_the_admin_changes_contact_and_dunning_and_it_shows_in_the_history(sandbox):
    status, own = sandbox.api("GET", SETTINGS, caller=practice("admin"))
    assert status == 200 and own["version"] == 1
    patch = {
        "version": 1,
        "contact": {"phone": "030 765 4321"},
        "dunning": {"days_to_reminder": 10},
    }
    status, changed = sandbox.api("PATCH", SETTINGS, caller=practice("admin"), body=patch)
    assert status == 200, changed
    assert changed["version"] == 2 and changed["contact"]["phone"] == "030 765 4321"
    assert changed["contact"]["email"] == own["contact"]["email"]  # merged, not replaced
    _, history = operator(sandbox, "GET", f"{PROVIDERS}/tandarts-de-vries/history")
    latest = history["items"][-1]
    assert (latest["version"], latest["changed_by"], latest["role"]) == (2, "user-admin", "admin")
    assert [c["field"] for c in latest["changes"]] == ["contact.phone", "dunning.days_to_reminder"]


@pytest.mark.parametrize(
    "role, patch, status, code",
    [
        ("admin", {"payout": {"iban": "NL44RABO0123456789"}}, 403, "operator_only_setting"),
        (
            "admin",
            {"agb_codes": [{"code": "99999999", "kind": "practice"}]},
            403,
            "operator_only_setting",
        ),
        ("staff", {"contact": {"phone": "030 765 4321"}}, 403, "role_too_low"),
        ("viewer", {"contact": {"phone": "030 765 4321"}}, 403, "role_too_low"),
        ("admin", {"dunning": {"days_to_handover": 2}}, 400, "validation_error"),
        ("admin", {"coulance": {"minimum_percentage": "120"}}, 400, "validation_error"),
    ],
)
def test_what_the_practice_cannot_change_is_refused_and_nothing_changes(
    sandbox, role, patch, status, code
):
    before = copy.deepcopy(stored_items(sandbox))
    answer_status, answer = sandbox.api(
        "PATCH", SETTINGS, caller=practice(role), body={"version": 1} | patch
    )
    assert (answer_status, answer["error"]["code"]) == (status, code)
    assert stored_items(sandbox) == before
    if code == "operator_only_setting":
        assert "zorgnota" in answer["error"]["message"]


@pytest.mark.parametrize("typo", ["contcat", "dunnig", "iban"])
def test_a_name_that_is_no_setting_is_refused_as_a_mistake_naming_it(sandbox, typo):
    """R31 (validated on write, the field named), R35; audit onboard51: a typo was 403
    operator_only_setting, telling the admin to ask zorgnota for a setting that does
    not exist."""
    # Given the practice's admin and its stored settings
    before = copy.deepcopy(stored_items(sandbox))
    # When the admin sends a name the settings do not have
    body = {"version": 1, typo: {"phone": "030 765 4321"}}
    status, answer = sandbox.api("PATCH", SETTINGS, caller=practice("admin"), body=body)
    # Then 400 naming that field, in Dutch and English, and nothing changes
    assert (status, answer["error"]["code"]) == (400, "validation_error")
    assert answer["error"]["fields"] == [
        {
            "field": typo,
            "message": "is geen instelling; zelf wijzigt u contact, dunning en coulance"
            " / is no setting; you change contact, dunning and coulance yourself",
        }
    ]
    assert stored_items(sandbox) == before


def test_a_text_too_long_is_refused_naming_its_limit_and_the_length_typed(sandbox):
    """R31 (validated on write, the field named), R35 (a refusal says how to fix it)
    (words52b): the API said only "mag hoogstens 200 tekens hebben", where the portal's form
    says "hoogstens 200 tekens, u typte er 231"."""
    # Given the practice's admin and its stored settings
    before = copy.deepcopy(stored_items(sandbox))
    # When the admin sends opening hours of 231 characters, white space around them
    body = {"version": 1, "contact": {"hours": f"  {'8' * 231} "}}
    status, answer = sandbox.api("PATCH", SETTINGS, caller=practice("admin"), body=body)
    # Then 400 names the limit and the length typed, counted as the model counts it
    # (without the white space it drops), in Dutch and English; nothing changes
    assert (status, answer["error"]["code"]) == (400, "validation_error")
    assert answer["error"]["message"] == (
        "contact.hours: mag hoogstens 200 tekens hebben, u typte er 231"
        " / String should have at most 200 characters, you typed 231"
    )
    assert stored_items(sandbox) == before


@pytest.mark.parametrize(
    "patch",
    [{"name": "Tandarts De Vries-Smit"}, {"payment_term_days": 14}, {"kvk": "12345679"}],
)
def test_an_operator_only_setting_is_refused_with_a_reason_that_fits_it(sandbox, patch):
    """R31, R35; audit onboard51: the 403 gave one reason for every such setting, "zorgnota
    changes the bank account and the AGB codes", also for the name or the payment term."""
    # When the admin changes a setting only an operator changes, neither IBAN nor AGB code
    body = {"version": 1} | patch
    status, answer = sandbox.api("PATCH", SETTINGS, caller=practice("admin"), body=body)
    # Then 403 naming it, saying zorgnota changes that setting and what the admin may change
    (name,) = patch
    assert (status, answer["error"]["code"]) == (403, "operator_only_setting")
    assert answer["error"]["message"] == (
        f"{name} kunt u niet zelf wijzigen: zorgnota wijzigt die instelling na een controle"
        " (zoals het bankrekeningnummer en de AGB-codes). Zelf wijzigt u contact, dunning en"
        f" coulance. Neem contact op met zorgnota. / You cannot change {name} yourself:"
        " zorgnota changes that setting after a check (as the bank account and the AGB"
        " codes). You change contact, dunning and coulance yourself. Please contact zorgnota."
    )


def test_a_website_typed_without_https_is_linked_absolute_on_the_checker(sandbox, emailed_invoice):
    """R36 (the checker shows how to reach the practice), R31 (validated on write), audit
    onboarding D7: a bare host would open on zorgnota's own site."""
    # When the admin gives the website as typed in the portal, without https://
    body = {"version": 1, "contact": {"website": "www.tandartsdevries.nl"}}
    status, changed = sandbox.api("PATCH", SETTINGS, caller=practice("admin"), body=body)
    # Then it is stored as the absolute address, and the checker links that
    assert (status, changed["contact"]["website"]) == (200, "https://www.tandartsdevries.nl")
    status, html = sandbox.api("GET", "/", query={"kenmerk": emailed_invoice.reference})
    assert status == 200
    assert '<a href="https://www.tandartsdevries.nl" dir="ltr">' in html


@pytest.mark.parametrize(
    "website", ["javascript:alert(document.domain)", "mailto:balie@example.org", "localhost"]
)
def test_a_website_that_is_no_web_address_is_refused_in_dutch_and_english(sandbox, website):
    """R31, audit onboarding D7: only an http(s) address becomes a link."""
    before = stored_items(sandbox)
    body = {"version": 1, "contact": {"website": website}}
    status, answer = sandbox.api("PATCH", SETTINGS, caller=practice("admin"), body=body)
    assert (status, answer["error"]["code"]) == (400, "validation_error")
    message = answer["error"]["message"]
    assert message.startswith("contact.website: Geef het webadres van de praktijk")
    assert "Give the practice's web address" in message
    assert stored_items(sandbox) == before


def test_a_stale_self_service_change_is_a_conflict(sandbox):
    body = {"version": 1, "contact": {"hours": "ma-do 8:00-17:00"}}
    assert sandbox.api("PATCH", SETTINGS, caller=practice("admin"), body=body)[0] == 200
    status, answer = sandbox.api("PATCH", SETTINGS, caller=practice("admin"), body=body)
    assert (status, answer["error"]["code"]) == (409, "stale_version")


def test_the_admin_invites_and_disables_colleagues_within_the_practice(sandbox):
    admin = practice("admin")
    status, _ = sandbox.api(
        "POST",
        "/api/v1/provider/users",
        caller=admin,
        body={"email": "a@example.org", "role": "viewer"},
    )
    assert status == 201
    status, listed = sandbox.api("GET", "/api/v1/provider/users", caller=admin)
    assert listed["items"] == [{"email": "a@example.org", "role": "viewer", "enabled": True}]
    # Another practice's admin sees nobody and disables nobody of this practice
    physio_admin = Caller.practice("fysio-centrum-oost", "admin")
    assert sandbox.api("GET", "/api/v1/provider/users", caller=physio_admin)[1]["items"] == []
    assert (
        sandbox.api("DELETE", "/api/v1/provider/users/a@example.org", caller=physio_admin)[0] == 404
    )
    status, disabled = sandbox.api("DELETE", "/api/v1/provider/users/a@example.org", caller=admin)
    assert (status, disabled["enabled"]) == (200, False)


def test_the_admin_gives_a_colleague_another_role_within_the_practice(sandbox):
    """Issue 16 (R32): the API and the portal change a role through the same service."""
    admin = practice("admin")
    body = {"email": "b@example.org", "role": "viewer"}
    sandbox.api("POST", "/api/v1/provider/users", caller=admin, body=body)
    target = "/api/v1/provider/users/b@example.org"
    physio_admin = Caller.practice("fysio-centrum-oost", "admin")
    assert sandbox.api("PATCH", target, caller=physio_admin, body={"role": "admin"})[0] == 404
    assert sandbox.api("PATCH", target, caller=practice("staff"), body={"role": "admin"})[0] == 403
    status, changed = sandbox.api("PATCH", target, caller=admin, body={"role": "staff"})
    assert (status, changed) == (200, {"email": "b@example.org", "role": "staff", "enabled": True})


def practitioners(count):
    return [{"code": f"12{n:06d}", "kind": "practitioner"} for n in range(500, 500 + count)]


def test_a_save_changes_at_most_98_agb_codes_and_says_so(sandbox):
    """R31: a save is one transaction (DynamoDB: 100 items) of the settings, their history
    entry and a marker per AGB code added or dropped; more is refused before anything is
    written, and the codes of a large practice are added in parts."""
    # When a practice is created with 99 codes, then with 98
    many = with_codes(NEW_ID, "04999888", *practitioners(98))
    status, answer = operator(sandbox, "POST", PROVIDERS, many)
    assert (status, answer["error"]["code"]) == (400, "validation_error")
    assert answer["error"]["message"].startswith("agb_codes: Deze wijziging voegt 99 AGB-codes")
    assert "one save can change at most 98" in answer["error"]["message"]
    assert operator(sandbox, "GET", f"{PROVIDERS}/{NEW_ID}")[0] == 404
    fewer = with_codes(NEW_ID, "04999888", *practitioners(97))
    assert operator(sandbox, "POST", PROVIDERS, fewer)[0] == 201
    # Then the rest is a second save, which writes only the codes it adds
    grown = with_codes(NEW_ID, "04999888", *practitioners(150), version=1)
    assert operator(sandbox, "PUT", f"{PROVIDERS}/{NEW_ID}", grown)[0] == 200


PHONE_TOO_FEW_DIGITS = (
    "contact.phone: Dit telefoonnummer heeft minder dan 8 cijfers: een Nederlands nummer heeft"
    " er 10, zoals 020 612 3456 of +31 20 612 3456. / This phone number has fewer than 8"
    " digits: a Dutch number has 10, like 020 612 3456 or +31 20 612 3456."
)


@pytest.mark.parametrize("phone", ["(--------)", "+( ) - - - - ( )", "0-0-0-0-0-0-0"])
def test_a_phone_with_fewer_than_8_digits_is_refused_on_every_write(sandbox, phone):
    """R31 (validated on write), R36 (the practice's phone is printed on every letter),
    audit small57: the model's pattern (8 to 20 digits, spaces, brackets or hyphens) took
    "(--------)" from the operator's POST and PUT and the admin's PATCH.
    Given a phone with fewer than 8 digits (a Dutch number has 10)
    When an operator creates or replaces a practice with it, or its admin patches it in
    Then 400 names contact.phone in Dutch and English, and nothing is written."""
    before = copy.deepcopy(stored_items(sandbox))
    contact = DENTAL.model_dump(mode="json")["contact"] | {"phone": phone}
    status, answer = operator(sandbox, "POST", PROVIDERS, new_practice(contact=contact))
    assert (status, answer["error"]["message"]) == (400, PHONE_TOO_FEW_DIGITS)
    replaced = DENTAL.model_dump(mode="json") | {"version": 1, "contact": contact}
    status, answer = operator(sandbox, "PUT", f"{PROVIDERS}/{DENTAL.provider_id}", replaced)
    assert (status, answer["error"]["message"]) == (400, PHONE_TOO_FEW_DIGITS)
    patch = {"version": 1, "contact": {"phone": phone}}
    status, answer = sandbox.api("PATCH", SETTINGS, caller=practice("admin"), body=patch)
    assert (status, answer["error"]["message"]) == (400, PHONE_TOO_FEW_DIGITS)
    assert stored_items(sandbox) == before


def test_a_phone_stored_before_the_digit_rule_is_read_and_kept_by_an_edit_of_another_setting(
    sandbox,
):
    """R31 (settings stored before a rule are still read; checked on their next write):
    Given a practice whose stored phone has no digits (written before audit small57)
    When its admin changes the dunning policy only
    Then it is saved, the phone as it was; a phone with 8 digits (a service number) is
    taken, and the stored one typed again in another way is refused."""
    sandbox.runtime.repository._table.update_item(
        Key=keys.provider_key(DENTAL.provider_id),
        UpdateExpression="SET contact.phone = :phone",
        ExpressionAttributeValues={":phone": "(--------)"},
    )
    patch = {"version": 1, "dunning": {"days_to_reminder": 10}}
    status, changed = sandbox.api("PATCH", SETTINGS, caller=practice("admin"), body=patch)
    assert (status, changed["version"], changed["contact"]["phone"]) == (200, 2, "(--------)")
    patch = {"version": 2, "contact": {"phone": "(-- ------)"}}
    status, answer = sandbox.api("PATCH", SETTINGS, caller=practice("admin"), body=patch)
    assert (status, answer["error"]["message"]) == (400, PHONE_TOO_FEW_DIGITS)
    patch = {"version": 2, "contact": {"phone": "0800 1234"}}
    status, changed = sandbox.api("PATCH", SETTINGS, caller=practice("admin"), body=patch)
    assert (status, changed["contact"]["phone"]) == (200, "0800 1234")
