"""The claim's own rules that both declaration parsers share (CSV and Vektis EI, R2)."""

from hypothesis import given
from hypothesis import strategies as st
from stdnum.nl import bsn as stdnum_bsn

from billing_core.declarations.claims import passes_bsn_11_proof


@given(st.integers(0, 999_999_999))
def test_the_11_proof_agrees_with_stdnum_on_every_nine_digits(number):
    # Given any nine digits
    text = f"{number:09d}"
    # When the parsers' 11-proof judges them
    # Then it says what python-stdnum's BSN checksum says
    assert passes_bsn_11_proof(text) == (stdnum_bsn.checksum(text) == 0)


def test_a_real_bsn_passes_and_one_digit_off_fails():
    # Given the BSN of the interfaces.md example and the same with its last digit changed
    # Then the first passes the 11-proof and the second does not
    assert passes_bsn_11_proof("100010039")
    assert not passes_bsn_11_proof("100010038")
