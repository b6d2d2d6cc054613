"""Provider settings v2 (R31, interfaces.md §6): one pydantic model validates what the
operator sends, what is stored and what the runtime reads."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from billing_core.changes.coulance_policy import CoulancePolicy
from billing_core.declarations.vektis.parser import parse_vektis
from billing_core.declarations.vektis.writer import to_bytes
from billing_core.providers.provider import STORED, Provider
from billing_core.providers.settings_history import (
    FieldChange,
    SettingsVersion,
    changes_between,
    settings_as_saved,
)
from billing_core.shared.clock import AMSTERDAM
from tests.unit.factories import make_provider
from tests.unit.vektis_files import TODAY, dental_claim, edited, records


def settings(**changes: object) -> dict:
    return make_provider().model_dump(mode="json") | changes


def test_the_settings_of_the_interface_round_trip_unchanged():
    # Given the JSON shape of interfaces.md §6 / When read and written again
    provider = Provider.model_validate(settings())
    # Then it is the same JSON, with contracts as {uzovi, from, to}
    assert provider.model_dump(mode="json") == settings()
    contract = Provider.model_validate(
        settings(contracts=[{"uzovi": "9664", "from": "2026-01-01", "to": None}])
    ).model_dump(mode="json")["contracts"]
    assert contract == [{"uzovi": "9664", "from": "2026-01-01", "to": None}]


def test_iban_and_postcode_are_normalised():
    # Given an IBAN typed with spaces in lower case and a postcode without its space
    provider = Provider.model_validate(
        settings(
            payout={"iban": "nl91 abna 0417 1643 00", "account_holder": " De Vries B.V. "},
            address=settings()["address"] | {"postcode": "3511ax"},
        )
    )
    # Then they are stored the one way banks and PostNL print them
    assert provider.payout.iban == "NL91ABNA0417164300"
    assert provider.payout.account_holder == "De Vries B.V."
    assert provider.address.postcode == "3511 AX"


@pytest.mark.parametrize(
    "change, where",
    [
        ({"payout": {"iban": "NL91ABNA0417164301", "account_holder": "X"}}, "payout.iban"),
        ({"payout": {"iban": "NL91ABNA0417164300", "account_holder": ""}}, "payout.account_holder"),
        ({"payout": {"iban": "NL91ABNA0417164300"}}, "payout.account_holder"),
        ({"agb_codes": [{"code": "12345678", "kind": "practitioner"}]}, "agb_codes"),
        ({"agb_codes": []}, "agb_codes"),
        ({"agb_codes": [{"code": "1234567", "kind": "practice"}]}, "agb_codes.0.code"),
        (
            {
                "agb_codes": [
                    {"code": "12345678", "kind": "practice"},
                    {"code": "12345678", "kind": "practitioner"},
                ]
            },
            "agb_codes",
        ),
        (
            {"contracts": [{"uzovi": "9664", "from": "2026-02-01", "to": "2026-01-31"}]},
            "contracts.0",
        ),
        ({"contracts": [{"uzovi": "966", "from": "2026-01-01"}]}, "contracts.0.uzovi"),
        ({"kvk": "1234"}, "kvk"),
        ({"contact": {"email": "not an address", "phone": "030 123 4567"}}, "contact.email"),
        ({"service_fee_percentage": "30"}, "service_fee_percentage"),
        ({"dunning": {"days_to_handover": 3}}, "dunning.days_to_handover"),
        ({"unknown_setting": 1}, "unknown_setting"),
    ],
)
def test_a_provider_that_fails_validation_cannot_exist(change, where):
    # Given settings with one wrong value / When validated / Then refused, naming the field
    with pytest.raises(ValidationError) as refused:
        Provider.model_validate(settings(**change))
    places = {".".join(str(p) for p in error["loc"]) for error in refused.value.errors()}
    assert any(place.startswith(where) for place in places), places


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("www.tandartsdevries.nl", "https://www.tandartsdevries.nl"),
        ("tandartsdevries.nl/contact", "https://tandartsdevries.nl/contact"),
        ("www.tandartsdevries.nl:8443", "https://www.tandartsdevries.nl:8443"),
        ("https://tandartsdevries.nl", "https://tandartsdevries.nl"),
        ("http://tandartsdevries.nl", "http://tandartsdevries.nl"),
        ("", ""),
    ],
)
def test_a_website_is_stored_as_an_absolute_web_address(typed, stored):
    """R36, audit onboarding D7: the checker links it; a bare host would be relative."""
    contact = settings()["contact"] | {"website": typed}
    assert Provider.model_validate(settings(contact=contact)).contact.website == stored


@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(document.domain)",
        "JavaScript:alert(1)",
        "mailto:balie@example.org",
        "ftp://tandartsdevries.nl",
        "localhost",
        "https://",
        "www.tandarts devries.nl",
        'https://tandartsdevries.nl"><b>',
    ],
)
def test_a_website_that_is_no_http_address_is_refused_in_dutch_and_english(website):
    """R31 (validated on write), audit onboarding D7."""
    contact = settings()["contact"] | {"website": website}
    with pytest.raises(ValidationError) as refused:
        Provider.model_validate(settings(contact=contact))
    (error,) = refused.value.errors()
    assert error["loc"] == ("contact", "website")
    assert error["msg"].startswith("Geef het webadres van de praktijk")
    assert "/ Give the practice's web address" in error["msg"]


@pytest.mark.parametrize(
    "change, where",
    [
        ({"kvk": "00000000"}, ("kvk",)),
        ({"agb_codes": [{"code": "00000000", "kind": "practice"}]}, ("agb_codes", 0, "code")),
        (
            {
                "agb_codes": [
                    {"code": "12345678", "kind": "practice"},
                    {"code": "00000000", "kind": "practitioner"},
                ]
            },
            ("agb_codes", 1, "code"),
        ),
    ],
)
def test_a_code_of_zeros_only_is_refused(change, where):
    """R31 (KvK and every AGB code validated on write), audit onboarding D11: Vektis files
    write 00000000 for an absent AGB code (vektis.md)."""
    with pytest.raises(ValidationError) as refused:
        Provider.model_validate(settings(**change))
    error = next(error for error in refused.value.errors() if error["loc"] == where)
    assert error["msg"].startswith("Een code van alleen nullen is geen echte code")
    assert "/ A code of zeros only is not a real code" in error["msg"]


@pytest.mark.parametrize(
    "contracts",
    [
        [
            {"uzovi": "9664", "from": "2026-01-01", "to": None},
            {"uzovi": "9664", "from": "2026-06-01"},
        ],
        [
            {"uzovi": "9664", "from": "2026-01-01", "to": "2026-06-01"},
            {"uzovi": "9664", "from": "2026-06-01", "to": None},
        ],
        [
            {"uzovi": "9664", "from": "2027-01-01", "to": None},
            {"uzovi": "3311", "from": "2026-01-01", "to": None},
            {"uzovi": "9664", "from": "2025-01-01", "to": "2027-01-01"},
        ],
    ],
)
def test_overlapping_contracts_with_one_insurer_are_refused(contracts):
    """R31 (insurer contracts as periods), audit onboarding D8."""
    with pytest.raises(ValidationError) as refused:
        Provider.model_validate(settings(contracts=contracts))
    (error,) = refused.value.errors()
    assert error["loc"] == ("contracts",)
    assert error["msg"].startswith("Twee contracten met UZOVI 9664 overlappen")
    assert "/ Two contracts with UZOVI 9664 overlap" in error["msg"]


def test_one_insurers_contracts_may_follow_each_other_and_other_insurers_overlap():
    contracts = [
        {"uzovi": "9664", "from": "2026-01-01", "to": "2026-12-31"},
        {"uzovi": "9664", "from": "2027-01-01", "to": None},
        {"uzovi": "3311", "from": "2026-06-01", "to": None},
    ]
    assert len(Provider.model_validate(settings(contracts=contracts)).contracts) == 3


def test_two_coverage_rules_with_one_prefix_are_refused():
    """R31 (coverage rules), audit onboarding D8: the second would never apply."""
    rules = [
        {"code_prefix": "C", "contracted_percentage": "75"},
        {"code_prefix": "", "contracted_percentage": "100"},
        {"code_prefix": "", "contracted_percentage": "0"},
    ]
    with pytest.raises(ValidationError) as refused:
        Provider.model_validate(settings(coverage_rules=rules))
    (error,) = refused.value.errors()
    assert error["loc"] == ("coverage_rules",)
    assert error["msg"].startswith('Twee dekkingsregels hebben hetzelfde codebegin ("")')
    assert '/ Two coverage rules have the same code prefix ("")' in error["msg"]


def test_a_coverage_rules_prefix_longer_than_a_treatment_code_is_refused():
    """R31, vektis.md (PRESTATIECODE: AN 6): given a coverage rule whose code_prefix has 7
    characters, which no treatment code starts with, when the settings are written, then
    they are refused on the rule's prefix as too long (string_too_long); 6 are taken."""
    rule = {"code_prefix": "ABCDEFG", "contracted_percentage": "80"}
    with pytest.raises(ValidationError) as refused:
        Provider.model_validate(settings(coverage_rules=[rule]))
    [error] = refused.value.errors()
    assert error["loc"] == ("coverage_rules", 0, "code_prefix")
    assert error["type"] == "string_too_long"
    taken = Provider.model_validate(settings(coverage_rules=[rule | {"code_prefix": "ABCDEF"}]))
    assert taken.coverage_rules[0].code_prefix == "ABCDEF"


def test_two_coverage_rules_whose_prefixes_differ_only_in_case_are_refused():
    """R31 (validated on write), R5. Given coverage rules "X" at 100% and "x" at 0%: codes
    are read upper case, and a prefix typed "x" means X too (declarations/rules/coverage),
    so the second rule would never apply, as two rules with one prefix (it was written).
    When an operator writes them. Then they are refused, naming the prefix as typed."""
    rules = [
        {"code_prefix": "X", "contracted_percentage": "100"},
        {"code_prefix": "x", "contracted_percentage": "0"},
    ]
    with pytest.raises(ValidationError) as refused:
        Provider.model_validate(settings(coverage_rules=rules))
    (error,) = refused.value.errors()
    assert error["loc"] == ("coverage_rules",)
    assert error["msg"].startswith('Twee dekkingsregels hebben hetzelfde codebegin ("x")')
    assert '/ Two coverage rules have the same code prefix ("x")' in error["msg"]


def test_settings_stored_before_a_rule_are_still_read_and_checked_on_their_next_write():
    """R31 "one bad provider never stops a run for the others": a rule added later makes
    no stored provider unreadable; the next write is refused until it is put right."""
    stored = settings(
        contact=settings()["contact"] | {"website": "javascript:alert(1)"}, kvk="00000000"
    )
    read = Provider.model_validate(stored, context=STORED)
    assert (read.contact.website, read.kvk) == ("javascript:alert(1)", "00000000")
    with pytest.raises(ValidationError) as refused:
        Provider.model_validate(stored)
    assert {error["loc"] for error in refused.value.errors()} == {
        ("kvk",),
        ("contact", "website"),
    }


def test_a_contract_counts_in_its_period_only_and_open_ended_from_its_start():
    # Given a contract with 9664 for 2026 and an open-ended one with 7029 from 1 March
    provider = make_provider(
        contracts=[
            {"uzovi": "9664", "from": "2026-01-01", "to": "2026-12-31"},
            {"uzovi": "7029", "from": "2026-03-01", "to": None},
        ]
    )
    # Then each insurer is contracted on the days of its period, no other insurer ever
    assert provider.is_contracted("9664", date(2026, 1, 1))
    assert provider.is_contracted("9664", date(2026, 12, 31))
    assert not provider.is_contracted("9664", date(2027, 1, 1))
    assert not provider.is_contracted("7029", date(2026, 2, 28))
    assert provider.is_contracted("7029", date(2031, 5, 5))
    assert not provider.is_contracted("3311", date(2026, 6, 1))


def test_the_shorthands_read_the_nested_settings():
    provider = make_provider(
        agb_codes=[
            {"code": "12000111", "kind": "practitioner"},
            {"code": "12345678", "kind": "practice"},
        ]
    )
    assert provider.agb_code == "12345678"  # printed on invoices: the practice code
    assert provider.all_agb_codes == {"12345678", "12000111"}
    assert (provider.city, provider.contact_email) == (
        provider.address.city,
        provider.contact.email,
    )


def test_a_vektis_file_is_matched_by_any_of_the_practices_agb_codes():
    # Given a file whose header names the practice 12345678
    data = to_bytes(records([dental_claim("A1")]))
    # When the practice that uploads it holds that code among others (a practitioner's)
    ours = parse_vektis(data, today=TODAY, provider_agbs={"12000111", "12345678"})
    # Then it is its file; a practice holding none of the header's codes gets it refused
    assert not ours.file_rejected
    theirs = parse_vektis(data, today=TODAY, provider_agbs={"12000111", "87654321"})
    assert [f.code for f in theirs.findings] == ["VEKTIS_WRONG_PROVIDER"]
    assert theirs.findings[0].params["provider_agb"] == "12000111, 87654321"


def test_a_file_naming_only_a_practitioner_of_the_practice_is_its_file():
    # Given a header without the practice code, naming practitioner 12000111 as care provider
    lines = edited(
        edited(records([dental_claim("A1")]), 0, "agb_practice", 0), 0, "agb_provider", "12000111"
    )
    # When the practice with that practitioner's code uploads it
    result = parse_vektis(to_bytes(lines), today=TODAY, provider_agbs={"12345678", "12000111"})
    # Then it is accepted as the practice's own file
    assert "VEKTIS_WRONG_PROVIDER" not in [f.code for f in result.findings]


@pytest.mark.parametrize(
    "change, where, dutch",
    [
        (
            {"payout": {"iban": "NL91ABNA0417164301", "account_holder": "X"}},
            ("payout", "iban"),
            "Dit is geen geldig IBAN",
        ),
        (
            {"address": settings()["address"] | {"postcode": "1056"}},
            ("address", "postcode"),
            "Geef een Nederlandse postcode",
        ),
        (
            {"agb_codes": [{"code": "12345678", "kind": "practitioner"}]},
            ("agb_codes",),
            "Noem ten minste één AGB-code van de soort practice",
        ),
        (
            {
                "agb_codes": [
                    {"code": "12345678", "kind": "practice"},
                    {"code": "12345678", "kind": "practitioner"},
                ]
            },
            ("agb_codes",),
            "AGB-code 12345678 staat meer dan één keer in de lijst",
        ),
        (
            {"contracts": [{"uzovi": "9664", "from": "2026-01-01", "to": "2025-12-31"}]},
            ("contracts", 0),
            "Een contract kan niet eindigen",
        ),
    ],
)
def test_an_operators_typo_is_refused_in_dutch_and_english(change, where, dutch):
    """R31 (validated on write, a clear refusal), error_document.py ("Dutch / English, for
    people"), audit ONBOARD2-4: given the settings with a typo an operator makes at
    onboarding (an IBAN's check digit, a postcode, the practice code, a code twice, a
    contract's dates swapped), when they are validated, then the refusal names the field in
    a Dutch and an English sentence, not pydantic's English "Value error, ..." alone."""
    with pytest.raises(ValidationError) as refused:
        Provider.model_validate(settings(**change))
    error = next(error for error in refused.value.errors() if error["loc"] == where)
    assert error["msg"].startswith(dutch)
    assert " / " in error["msg"] and "Value error" not in error["msg"]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"kvk": "\u0665\u0666\u0667\u0668\u0661\u0662\u0663\u0664"}, ("kvk",)),  # Arabic-Indic
        (
            {
                "agb_codes": [
                    {"code": "\uff10\uff14\uff11\uff11\uff12\uff12\uff13\uff13", "kind": "practice"}
                ]
            },
            ("agb_codes", 0, "code"),
        ),
        (
            {
                "contracts": [
                    {"uzovi": "\uff19\uff16\uff16\uff14", "from": "2026-01-01", "to": None}
                ]
            },
            ("contracts", 0, "uzovi"),
        ),
        (
            {"address": settings()["address"] | {"house_number": "\u0661\u0662\u0660"}},
            ("address", "house_number"),
        ),
    ],
)
def test_a_code_of_digits_other_than_0_to_9_is_refused_on_write(change, where):
    """R31 (KvK, AGB codes validated on write: never a half-valid item in the table),
    interfaces.md §6 (a Vektis file belongs to the provider whose agb_codes hold one of
    its header's codes), audit onboard3 D2. Given a code typed (or pasted) in full-width
    or Arabic-Indic digits, which pydantic's \\d takes for digits, when the settings are
    written, then they are refused in Dutch and English: stored, such an AGB code matches
    no file's header (always 0-9), and a second practice could claim the same code in
    0-9 next to it. Read back from the table it is still read (R31: no run stops)."""
    with pytest.raises(ValidationError) as refused:
        Provider.model_validate(settings(**change))
    error = next(error for error in refused.value.errors() if error["loc"] == where)
    assert error["msg"].startswith("Gebruik alleen de cijfers 0 tot en met 9")
    assert "/ Use only the digits 0 to 9" in error["msg"]
    Provider.model_validate(settings(**change), context=STORED)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"name": "Fysio\x00Oost"}, ("name",)),  # NUL
        ({"name": "Fysio \u202etsoO"}, ("name",)),  # right-to-left override (Cf)
        ({"legal_name": "Fysio B.V.\nBetaal naar NL00FAKE"}, ("legal_name",)),
        (
            {"address": settings()["address"] | {"street": "Hoofd\u202estraat"}},
            ("address", "street"),
        ),
        ({"address": settings()["address"] | {"city": "Utrecht\tOost"}}, ("address", "city")),
        (
            {"payout": settings()["payout"] | {"account_holder": "Fysio\u200bOost"}},
            ("payout", "account_holder"),
        ),
        ({"contact": settings()["contact"] | {"hours": "ma-vr\x0b8-17"}}, ("contact", "hours")),
    ],
)
def test_a_name_or_address_with_a_control_or_format_character_is_refused_on_write(change, where):
    """R31 ("never a half-valid item"), R36 (names and addresses printed on invoices,
    letters and the checker), audit onboard3. Given a name, legal name, street, city,
    account holder or hours holding a NUL, a line break, a tab or an invisible format
    character (U+202E shows the name reversed, U+200B hides a break), when the settings
    are written, then they are refused in Dutch and English; read back from the table an
    item stored before still reads (R31: no run stops on it)."""
    with pytest.raises(ValidationError) as refused:
        Provider.model_validate(settings(**change))
    error = next(error for error in refused.value.errors() if error["loc"] == where)
    assert error["msg"].startswith("Deze tekst bevat een onzichtbaar teken")
    assert "This text holds an invisible character" in error["msg"]
    assert Provider.model_validate(settings(**change), context=STORED)


@pytest.mark.parametrize(
    ("change", "where", "named"),
    [
        ({"name": "王牙科诊所"}, ("name",), "U+738B (CJK UNIFIED IDEOGRAPH-738B)"),
        (
            {"address": settings()["address"] | {"city": "Utrecht 東"}},
            ("address", "city"),
            "U+6771 (CJK UNIFIED IDEOGRAPH-6771)",
        ),
        (
            {"contact": settings()["contact"] | {"hours": "ma-vr 8-17 时"}},
            ("contact", "hours"),
            "U+65F6 (CJK UNIFIED IDEOGRAPH-65F6)",
        ),
    ],
)
def test_a_name_or_address_the_pdfs_font_cannot_print_is_refused_naming_the_character(
    change, where, named
):
    """R36 (fonts that print every name), R31 (validated on write), audit pdf6. Given a
    practice name, a city or the opening hours (the practice admin's own setting) holding
    a letter DejaVu Sans lacks (Chinese characters, which every PDF and letter left out
    without a word), when the settings are written, then they are refused in Dutch and
    English, the field and the character named; an item stored before still reads."""
    with pytest.raises(ValidationError) as refused:
        Provider.model_validate(settings(**change))
    error = next(error for error in refused.value.errors() if error["loc"] == where)
    assert error["msg"].startswith(f"Deze tekst bevat een teken, {named}, dat de nota's en")
    assert f"holds a character, {named}, that the invoices and letters" in error["msg"]
    assert ":" not in error["msg"]  # words52: its inner colon read "Label: ...: ..." on a form
    assert Provider.model_validate(settings(**change), context=STORED)


def test_a_house_number_suffix_or_contact_email_the_pdfs_cannot_print_is_refused(subtests):
    """R36, R31, audit pdf7. Given the house number's suffix and the contact e-mail address,
    which every invoice and letter prints (the letterhead, the sender's address), when the
    settings are written with a character the font lacks or an invisible one, then they
    are refused as the street and the name are, the field and the character named: before,
    a suffix "号" and an address "info@牙医.nl" were taken and the PDF printed "Biltstraat
    120" and "info@.nl", a U+202E in the suffix reversed it. An item stored before still
    reads; an e-mail address with a letter the font prints (ü) is taken."""
    address, contact = settings()["address"], settings()["contact"]
    for change, where, code, named in (
        (
            {"address": address | {"house_number_suffix": "号"}},
            ("address", "house_number_suffix"),
            "text_not_printed",
            "U+53F7 (CJK UNIFIED IDEOGRAPH-53F7)",
        ),
        (
            {"address": address | {"house_number_suffix": "\u202ebis"}},
            ("address", "house_number_suffix"),
            "text_control_character",
            "",
        ),
        (
            {"contact": contact | {"email": "info@牙医.nl"}},
            ("contact", "email"),
            "text_not_printed",
            "U+7259 (CJK UNIFIED IDEOGRAPH-7259)",
        ),
    ):
        with subtests.test(where=where, code=code):
            with pytest.raises(ValidationError) as refused:
                Provider.model_validate(settings(**change))
            error = next(error for error in refused.value.errors() if error["loc"] == where)
            assert error["type"] == code and named in error["msg"]
            assert Provider.model_validate(settings(**change), context=STORED)
    with subtests.test("an address the font prints is taken"):
        provider = Provider.model_validate(
            settings(contact=contact | {"email": "info@tandarts-ü.nl"})
        )
        assert provider.contact.email == "info@tandarts-ü.nl"


def test_a_name_in_arabic_greek_or_polish_letters_is_taken():
    """R36, R9: the font prints them (only what it lacks is refused)."""
    provider = Provider.model_validate(settings(name="Tandartspraktijk محمد Ωμέγα Łódź"))
    assert provider.name == "Tandartspraktijk محمد Ωμέγα Łódź"


def test_a_name_with_accents_or_a_non_breaking_space_is_taken():
    """R31. Given names as Dutch practices write them (é, ë, ĳ, a non-breaking space),
    when the settings are written, then they are taken as typed."""
    provider = Provider.model_validate(settings(name="Fysiotherapie Één\u00a0& Crème"))
    assert provider.name == "Fysiotherapie Één\u00a0& Crème"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("payment_term_days", True),
        ("deferral_days", "30"),
        ("arrangement_fee_cents", 1000.0),
        ("arrangement_min_term_cents", False),
        ("posting_delay_days", "2"),
        ("version", "2"),
        ("version", True),
    ],
)
def test_a_number_of_days_or_cents_is_a_json_integer_on_write(field, value):
    """R8, R14, R15, interfaces.md §6 (numbers of days and cents), as the stop's amount
    since stop 44. Given a setting sent as JSON true, a text or a float, when the
    settings are written, then they are refused in Dutch and English (lax, ``true`` was
    stored as a payment term of 1 day); the stored item, whose numbers DynamoDB gives as
    Decimal, still reads."""
    with pytest.raises(ValidationError) as refused:
        Provider.model_validate(settings(**{field: value}))
    error = next(error for error in refused.value.errors() if error["loc"] == (field,))
    assert error["msg"].startswith("Vul een geheel getal in")
    number = 2500 if field == "arrangement_min_term_cents" else 7
    stored = Provider.model_validate(settings(**{field: Decimal(number)}), context=STORED)
    assert getattr(stored, field) == number


@pytest.mark.parametrize(
    ("policy", "field", "value"),
    [
        ("dunning", "days_to_reminder", True),
        ("dunning", "days_to_handover", "30"),
        ("dunning", "max_invoices_per_letter", 5.0),
        ("coulance", "statement_wait_days", "30"),
        ("coulance", "statement_wait_days", False),
    ],
)
def test_a_number_of_days_inside_a_policy_is_a_json_integer_on_write(policy, field, value):
    """R19 (the dunning timeline's days), R17 (the wait for the insurer's statement), R31
    (never a half-valid item): the same rule as the top-level numbers. Given a number
    inside the dunning or coulance policy sent as JSON true, a text or a float, when the
    settings are written, then it is refused in Dutch and English (lax, ``true`` was
    stored as a reminder 1 day after default); the stored item, whose numbers DynamoDB
    gives as Decimal, still reads."""
    sent = settings()
    with pytest.raises(ValidationError) as refused:
        Provider.model_validate(sent | {policy: sent[policy] | {field: value}})
    error = next(e for e in refused.value.errors() if e["loc"] == (policy, field))
    assert error["msg"].startswith("Vul een geheel getal in")
    assert "Enter a whole number" in error["msg"]
    stored = Provider.model_validate(
        sent | {policy: sent[policy] | {field: Decimal(8)}}, context=STORED
    )
    assert getattr(getattr(stored, policy), field) == 8


def _with(sent: dict, path: tuple[str, ...], value: object) -> dict:
    """``sent`` with the setting at ``path`` (a top-level field, a policy's field or the
    first coverage rule's field) set to ``value``."""
    if path[0] == "coverage_rules":
        rule = {"code_prefix": "", "contracted_percentage": "80", path[1]: value}
        return sent | {"coverage_rules": [rule]}
    if len(path) == 1:
        return sent | {path[0]: value}
    return sent | {path[0]: sent[path[0]] | {path[1]: value}}


def _setting(provider: Provider, path: tuple[str, ...]) -> object:
    if path[0] == "coverage_rules":
        return getattr(provider.coverage_rules[0], path[1])
    return (
        getattr(getattr(provider, path[0]), path[1])
        if len(path) == 2
        else getattr(provider, path[0])
    )


_PERCENTAGES = [
    ("service_fee_percentage",),
    ("coulance", "minimum_percentage"),
    ("coverage_rules", "contracted_percentage"),
    ("coverage_rules", "non_contracted_percentage"),
]


@pytest.mark.parametrize("path", _PERCENTAGES)
@pytest.mark.parametrize("value", ["1e1", "1E1", "1_0", "\uff11\uff10", "\u0661\u0660", True])
def test_a_percentage_is_a_json_number_or_a_plain_decimal_text_on_write(path, value):
    """R31 (never a half-valid item), interfaces.md §6 ("service_fee_percentage": "3.5"),
    R24, R17, R5. Given a percentage sent in exponent form, with an underscore, in
    full-width or Arabic-Indic digits or as JSON true, when the settings are written, then
    it is refused in Dutch and English (lax, "1e1" was stored and answered as "1E+1", a
    form the API does not document, and full-width digits were taken as 10); the stored
    item still reads, as the numbers of days do."""
    sent = settings()
    with pytest.raises(ValidationError) as refused:
        Provider.model_validate(_with(sent, path, value))
    error = next(e for e in refused.value.errors() if e["loc"][-1] == path[-1])
    assert error["msg"].startswith("Vul een percentage in")
    assert "Enter a percentage" in error["msg"]
    stored = Provider.model_validate(_with(sent, path, Decimal("2.5")), context=STORED)
    assert _setting(stored, path) == Decimal("2.5")


@pytest.mark.parametrize("path", _PERCENTAGES)
@pytest.mark.parametrize("value", ["12.5", " 12.5 ", "12", "12.", ".5", 12.5, 12, Decimal("12.5")])
def test_a_percentage_as_a_number_or_a_decimal_text_is_taken(path, value):
    """interfaces.md §6, docs/openapi (a percentage: a JSON number or a decimal text, as the
    portal's form sends it). Given a percentage as a JSON number or as digits with at most
    one point, when the settings are written, then it is taken as that number."""
    provider = Provider.model_validate(_with(settings(), path, value))
    assert _setting(provider, path) == Decimal(str(value).strip() or "0")


@pytest.mark.parametrize(
    "path", [("dunning", "combine_reminders"), ("coulance", "wait_for_statement")]
)
@pytest.mark.parametrize("value", ["true", "no", "off", "1", 1, 0, 1.0])
def test_a_choice_inside_a_policy_is_json_true_or_false_on_write(path, value):
    """R19 (one reminder for the invoices due on one day), R37/legal-nl.md §7 (wait for
    the insurer's statement), R31. Given a choice sent as a text ("no", "off": lax, "no"
    was false and "1" true) or a number, when the settings are written, then it is refused
    in Dutch and English; JSON true and false are taken, and a stored item still reads."""
    sent = settings()
    with pytest.raises(ValidationError) as refused:
        Provider.model_validate(_with(sent, path, value))
    error = next(e for e in refused.value.errors() if e["loc"] == path)
    assert error["msg"].startswith("Vul true of false in")
    assert "Enter true or false" in error["msg"]
    for choice in (True, False):
        assert _setting(Provider.model_validate(_with(sent, path, choice)), path) is choice
        stored = Provider.model_validate(_with(sent, path, choice), context=STORED)
        assert _setting(stored, path) is choice


def test_the_arrangement_minimum_term_is_at_most_250_euros_on_write():
    """R15 (minimum term amount € 25,00, configurable), audit onboard3. Given a minimum
    term of 10^12 cents (no invoice could get an arrangement), when the settings are
    written, then it is refused in Dutch and English; € 250,00 (10 times the default, as
    the fee's bound is 10 times its default) is taken; stored before, a higher one still
    reads (R31)."""
    with pytest.raises(ValidationError) as refused:
        Provider.model_validate(settings(arrangement_min_term_cents=10**12))
    # R35 (words53): saying what to choose; before, only what the bound is.
    assert refused.value.errors()[0]["msg"] == (
        "Het minimale termijnbedrag van een betalingsregeling is ten hoogste €\u00a0250,00: bij"
        " een hoger bedrag krijgt bijna geen nota nog een regeling. Kies €\u00a0250,00 of"
        " minder. / The minimum term amount of an instalment arrangement is at most €250.00:"
        " above it hardly any invoice could still get an arrangement. Choose €250.00 or less."
    )
    assert Provider.model_validate(settings(arrangement_min_term_cents=25_000))
    with pytest.raises(ValidationError):
        Provider.model_validate(settings(arrangement_min_term_cents=25_001))
    stored = Provider.model_validate(settings(arrangement_min_term_cents=10**12), context=STORED)
    assert stored.arrangement_min_term_cents == 10**12


# --- the settings as a version saved them (R31, R38; audit approve52 (a)) -----------------------


def _history(*saved: Provider) -> list[SettingsVersion]:
    """The versions ``saved``, each with its changes from the one before."""
    at = datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM)
    before: Provider | None = None
    history = []
    for settings_saved in saved:
        changes = changes_between(before, settings_saved)
        version = SettingsVersion(
            settings_saved.provider_id, settings_saved.version, "u", "operators", at, changes
        )
        history.append(version)
        before = settings_saved
    return history


def test_a_version_is_given_back_as_it_was_saved_with_later_changes_undone():
    # Given version 2 saving other hours, then version 3 another e-mail address and a contract
    first = make_provider(version=1)
    second = first.model_copy(
        update={"version": 2, "contact": first.contact.model_copy(update={"hours": "ma 8-12"})}
    )
    contract = Provider.model_validate(
        second.model_dump(mode="json")
        | {"contracts": [{"uzovi": "9664", "from": "2026-01-01", "to": None}], "version": 3}
    )
    third = contract.model_copy(
        update={"contact": contract.contact.model_copy(update={"email": "info@elders.nl"})}
    )
    history = _history(first, second, third)
    # When version 2 is asked of the current settings and the history
    # Then it is version 2 as saved: its hours, the e-mail address and contracts before 3
    assert settings_as_saved(third, history, 2) == second
    assert settings_as_saved(third, history, 3) == third
    # And with a version of the history lost, nothing is made up
    assert settings_as_saved(third, [history[0], history[2]], 1) is None


def test_r31_a_block_recorded_as_not_there_is_given_back_with_the_models_default():
    """R31, R38 (settings53's latent hazard: undoing a change in a block that an undone
    later version left as None raised instead of giving the version back).
    Given a synthetic history: version 2 changed two fields of the coulance block (45 to
    60 days, waiting on), version 3 recorded the whole block as new, its "before" None:
    it was not there
    When the settings as versions 2 and 1 saved them are asked
    Then version 2 has no block of its own: the model's default (the field was not
    there), and version 1 the block with version 2's changes undone; no error."""
    first = make_provider(version=1, coulance=CoulancePolicy(statement_wait_days=45))
    turned_on = CoulancePolicy(statement_wait_days=60, wait_for_statement=True)
    current = first.model_copy(update={"version": 3, "coulance": turned_on})
    at = datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM)

    def saved(version: int, *changes: FieldChange) -> SettingsVersion:
        return SettingsVersion(first.provider_id, version, "u", "operators", at, changes)

    history = [
        saved(1, *changes_between(None, first)),
        saved(
            2,
            FieldChange("coulance.statement_wait_days", 45, 60),
            FieldChange("coulance.wait_for_statement", False, True),
        ),
        saved(3, FieldChange("coulance", None, turned_on.model_dump(mode="json"))),
    ]

    second = settings_as_saved(current, history, 2)
    oldest = settings_as_saved(current, history, 1)

    assert second == current.model_copy(update={"version": 2, "coulance": CoulancePolicy()})
    assert oldest == first
