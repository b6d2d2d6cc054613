"""The betalingskenmerk (legal-nl.md §1)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing_core.shared import reference
from billing_core.shared.reference import InvalidReference


@pytest.mark.parametrize(
    "text",
    [
        "12234534622567",  # legal-nl.md §1: 14 digits
        "5000056789012345",  # legal-nl.md §1: 16 digits, no length code
    ],
)
def test_the_worked_examples_validate(text):
    # Given a reference from legal-nl.md §1 / When validated / Then it is valid
    assert reference.is_valid(text)


@pytest.mark.parametrize(
    "typed",
    ["1223 4534 6225 67", "1223.4534.6225.67", " 12234534622567 ", "1223-4534-6225-67"],
)
def test_a_patient_may_type_spaces_or_dots(typed):
    # Given what a patient types into the checker / When parsed / Then the bare digits remain
    assert reference.parse_ours(typed) == "12234534622567"


@pytest.mark.parametrize(
    "pasted",
    [
        "1223\u00a04534\u00a06225\u00a067",  # our letters' no-break spaces (unbroken)
        "1223\u202f4534\u202f6225\u202f67",  # a PDF's narrow no-break spaces
        "1223\u20074534\u20076225\u200767",  # figure spaces
        "1223\u20094534\u20096225\u200967",  # thin spaces
        "1223/4534/6225/67",  # slashes, as a practice's system writes it
        "1223\u20134534\u20136225\u201367",  # a word processor's en dashes for "-"
        "\ufeff1223\u200b4534\u200b6225\u00ad67",  # invisible: BOM, zero-width, soft hyphen
    ],
)
def test_a_kenmerk_pasted_from_a_pdf_or_letter_is_the_same_kenmerk(pasted):
    """R10, R35, legal-nl.md §1 (audit edges50: a kenmerk copied from a PDF or a letter,
    "1223 4534 6225 67" with narrow no-break spaces, or written with slashes, was refused
    as no kenmerk by the API's list while the digits and check digit were right).
    Given the right kenmerk with what a copy or a practice's system puts between its groups
    When parsed (one parser: the checker, the portal's form and the APIs)
    Then it is the kenmerk's 14 digits."""
    assert reference.parse_ours(pasted) == "12234534622567"


@pytest.mark.parametrize(
    "typed, why",
    [
        ("12234534622561", "wrong check digit"),
        ("32234534622567", "wrong check digit"),
        ("22234534622567", "wrong check digit"),
        ("11234534622567", "length code 1 is for 13 digits"),
        ("1223453462256", "13 digits are not ours"),
        ("5000056789012345", "16 digits are valid but not ours"),
        ("1223453462256a", "not digits"),
        ("", "empty"),
        ("１２２３４５３４６２２５６７", "full-width digits"),
        ("1223/4534/6225/61", "wrong check digit between slashes"),
        ("1223\u202f4534\u202f6225\u202f6", "13 digits between narrow no-break spaces"),
    ],
)
def test_references_that_are_not_ours_are_refused(typed, why):
    # Given a malformed reference / When parsed / Then it is refused before any lookup
    with pytest.raises(InvalidReference):
        reference.parse_ours(typed)


ARABIC_INDIC = str.maketrans(
    "0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
)
PERSIAN = str.maketrans(
    "0123456789", "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9"
)


@pytest.mark.parametrize(
    "typed",
    [
        "12234534622567".translate(ARABIC_INDIC),  # what an Arabic keyboard types
        "12234534622567".translate(PERSIAN),  # the Persian/Urdu numerals
        "1223 4534 6225 67".translate(ARABIC_INDIC),  # grouped as printed
        "1223" + "4534".translate(ARABIC_INDIC) + "622567",  # a mix
    ],
)
def test_a_kenmerk_typed_in_arabic_indic_or_persian_digits_is_the_same_kenmerk(typed):
    """R9, R10, legal-nl.md §1 (audit PATIENT4): given the right kenmerk typed in the
    numerals of an Arabic or Persian keyboard, when parsed, then it is the kenmerk in
    0-9, as if typed in Western digits (one place: page and API both parse it here)."""
    assert reference.normalise(typed).replace(" ", "") == "12234534622567"
    assert reference.parse_ours(typed) == "12234534622567"


def test_a_wrong_check_digit_in_arabic_indic_digits_is_still_refused():
    # Given a kenmerk with a wrong check digit, typed in Arabic-Indic digits / Then refused
    with pytest.raises(InvalidReference):
        reference.parse_ours("12234534622561".translate(ARABIC_INDIC))


def test_check_digit_rules_for_ten_and_eleven():
    # Given the remainder rule C = 11 - (sum mod 11) / Then 10 becomes 1 and 11 becomes 0
    bodies = {reference.check_digit(f"2{n:012d}") for n in range(2000)}
    assert bodies <= set(range(10))


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_every_generated_reference_is_valid_and_fourteen_digits(sequence):
    # Given any sequence number / When turned into a reference / Then it is ours and valid
    generated = reference.for_sequence(sequence, b"key")
    assert len(generated) == 14 and generated[1] == "2"
    assert reference.parse_ours(generated) == generated


def test_sequences_never_share_a_reference():
    # Given 50,000 consecutive sequence numbers / Then 50,000 distinct references
    generated = {reference.for_sequence(n, b"key") for n in range(50_000)}
    assert len(generated) == 50_000


def test_neighbouring_sequences_give_unrelated_references():
    # Given two consecutive invoices / Then their payloads are not consecutive (not guessable)
    first, second = (int(reference.for_sequence(n, b"key")[2:]) for n in (1000, 1001))
    assert abs(first - second) > 1000


def test_another_key_gives_other_references():
    assert reference.for_sequence(7, b"one") != reference.for_sequence(7, b"two")


def test_grouped_for_people():
    assert reference.grouped("12234534622567") == "1223 4534 6225 67"
