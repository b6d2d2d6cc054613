"""CAMT.053 statements: what the parser reads, and what it refuses (R12)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from billing_core.payments.camt053 import (
    MAX_STATEMENT_BYTES,
    Direction,
    StatementError,
    parse_statements,
    payment_reference,
    reference_in_text,
)
from tests.unit.camt_builder import ACCOUNT, Entry, credit, debit, statement

BANK_EVENTS = Path(__file__).resolve().parents[2] / "events" / "bank"
OURS = "32155743889456"  # a valid 14-digit kenmerk (sandbox sequence 0)
OTHER = "42948452223464"  # another one (sandbox sequence 2)


def only_transaction(xml: bytes):
    [parsed] = parse_statements(xml)
    [transaction] = parsed.transactions
    return transaction


# --- the sample statements ------------------------------------------------------------------


def test_the_sample_statement_of_24_november_reads_as_the_bank_booked_it():
    # Given the ING statement in events/bank (camt.053.001.02)
    data = (BANK_EVENTS / "camt053-001.02-2026-11-24.xml").read_bytes()
    # When it is parsed
    [parsed] = parse_statements(data)
    # Then it is our account's statement with its four booked entries
    assert (parsed.statement_id, parsed.account_iban) == ("NL20INGB0001234567-2026-11-24", ACCOUNT)
    scor, free_text, no_kenmerk, costs = parsed.transactions
    # And the structured SCOR reference and the kenmerk in the free text are found
    assert (scor.entry_reference, scor.amount_cents, payment_reference(scor)) == (
        "ING20261124000101",
        2350,
        "32155743889456",
    )
    assert payment_reference(free_text) == "42948452223464"
    assert free_text.transfer_ids == ("RABO20261124X7731", "E2E-SMIT-202611")
    # And the credit without a kenmerk and the bank costs have none
    assert payment_reference(no_kenmerk) is None
    assert costs.direction is Direction.DEBIT and not costs.is_return
    assert all(t.booking_date == date(2026, 11, 24) for t in parsed.transactions)


def test_the_next_days_statement_has_the_duplicate_the_return_and_a_cur_reference():
    [parsed] = parse_statements((BANK_EVENTS / "camt053-001.02-2026-11-25.xml").read_bytes())
    duplicate, returned, cur = parsed.transactions
    assert duplicate.entry_reference == "ING20261124000101"  # the same bank reference as before
    assert returned.is_return and returned.return_reason == "FOCR"
    assert returned.transfer_ids == ("RABO20261124X7731", "E2E-SMIT-202611")
    assert payment_reference(cur) == "12250745454938"  # "1225 0745 4549 38", Prtry CUR


def test_a_camt_053_001_08_statement_reads_the_same_and_skips_pending_entries():
    # Given the 2019 version: <Sts><Cd>, the amount on TxDtls, the payer under Pty
    [parsed] = parse_statements((BANK_EVENTS / "camt053-001.08-2026-11-26.xml").read_bytes())
    # Then the booked entry is read and the pending one is left for a later statement
    [transaction] = parsed.transactions
    assert parsed.not_booked == 1
    assert (transaction.amount_cents, payment_reference(transaction)) == (7017, "12820568792283")
    assert transaction.counterparty_name == "E. Meijer"


# --- what is refused, before anything is booked ------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "billion-laughs.xml",
        "xxe-external-entity.xml",
        "pain001-not-a-statement.xml",
        "truncated.xml",
    ],
)
def test_unsafe_or_foreign_xml_is_refused_with_a_clear_error(name):
    # Given an entity bomb, an external entity, a payment order, or half a file
    data = (BANK_EVENTS / "bad" / name).read_bytes()
    # When it is parsed / Then it is refused as a whole
    with pytest.raises(StatementError) as refused:
        parse_statements(data)
    assert str(refused.value)


def test_the_entity_bomb_is_refused_without_being_expanded():
    # Given the billion laughs: 10^9 times "lol" when expanded
    data = (BANK_EVENTS / "bad" / "billion-laughs.xml").read_bytes()
    # Then the refusal names the DTD, and comes before any expansion (this test is fast)
    with pytest.raises(StatementError, match="DTD"):
        parse_statements(data)


def test_an_external_entity_is_refused_and_the_file_it_names_is_not_read():
    data = (BANK_EVENTS / "bad" / "xxe-external-entity.xml").read_bytes()
    with pytest.raises(StatementError) as refused:
        parse_statements(data)
    assert "root:" not in str(refused.value)  # nothing of /etc/passwd in the message


@pytest.mark.parametrize("before", [b"\n", b"\r\n  ", b"\xef\xbb\xbf\n"])
def test_r12_blank_lines_before_the_xml_declaration_do_not_refuse_the_statement(before):
    """R12 (audit camt, stop 45): given a statement that a download or transfer tool gave
    a blank line (after a BOM or not) before its <?xml ...?> declaration, when read, then
    its entries are read; before, the day's statement was refused whole as "not
    well-formed XML (2:0)" and the bank sends the same file again."""
    [parsed] = parse_statements(before + statement(credit(2350, scor=OURS)))
    assert [t.amount_cents for t in parsed.transactions] == [2350]


def test_r12_a_statement_that_is_not_well_formed_is_refused_saying_what_is_wrong():
    """R12 "a clear error" (audit camt): the refusal names expat's finding and where."""
    with pytest.raises(StatementError, match=r"^not well-formed XML \(1:\d+: mismatched tag\)$"):
        parse_statements(b"<Document><Stmt></Document>")


def test_a_statement_larger_than_the_limit_is_refused_unread():
    with pytest.raises(StatementError, match="larger"):
        parse_statements(b" " * (MAX_STATEMENT_BYTES + 1))


def test_an_entry_without_any_bank_reference_is_refused():
    # Without AcctSvcrRef and NtryRef a second import could not be told from the first
    with pytest.raises(StatementError, match="no AcctSvcrRef or NtryRef"):
        parse_statements(statement(Entry(2350, scor=OURS)))


@pytest.mark.parametrize("amount", ["0.00", "0", "Infinity", "NaN", "-0.01"])
def test_an_entry_that_moves_no_money_or_no_number_is_refused(amount):
    """Issue 13 item 16 (found by `make chaos`): given an entry whose amount is zero or
    not a finite number, when the statement is read, then it is refused with the entry
    named, never an unhandled error that stops the import."""
    data = statement(credit(2350, reference="ING-0")).replace(b">23.50<", f">{amount}<".encode())
    with pytest.raises(StatementError, match="entry ING-0: amount"):
        parse_statements(data)


# --- entries -------------------------------------------------------------------------------------


def test_the_entry_reference_is_the_banks_own_else_the_statement_and_its_ntry_ref():
    with_own = only_transaction(statement(credit(100, reference="ING-1", ntry_ref="7")))
    without = only_transaction(statement(credit(100, reference=None, ntry_ref="7")))
    assert with_own.entry_reference == "ING-1"
    # NtryRef is only unique within its statement
    assert without.entry_reference == "STMT-2026-11-24/7"


def test_a_batch_entry_gives_one_transaction_per_detail_with_its_own_reference():
    # Given one entry that books two transfers
    batch = credit(
        5000,
        reference="ING-BATCH",
        batch=[
            Entry(2000, reference="ING-BATCH-A", scor=OURS),
            Entry(3000, reference=None, ustrd=(f"nota {OTHER}",)),
        ],
    )
    first, second = parse_statements(statement(batch))[0].transactions
    # Then each has its own amount, kenmerk and reference
    assert (first.entry_reference, first.amount_cents, payment_reference(first)) == (
        "ING-BATCH-A",
        2000,
        OURS,
    )
    assert (second.entry_reference, second.amount_cents, payment_reference(second)) == (
        "ING-BATCH/2",
        3000,
        OTHER,
    )


def test_a_batch_that_cannot_be_split_is_one_line_without_a_kenmerk():
    # Given a batch entry whose second transfer has no amount of its own
    batch = credit(
        5000,
        reference="ING-BATCH",
        batch=[Entry(2000, scor=OURS), Entry(3000, ustrd=(OTHER,), amount_in_details=False)],
    )
    # Then it is one transaction of the whole amount that no kenmerk claims (a person splits it)
    transaction = only_transaction(statement(batch))
    assert (transaction.entry_reference, transaction.amount_cents) == ("ING-BATCH", 5000)
    assert payment_reference(transaction) is None


def rf(body: str) -> str:
    """The ISO 11649 creditor reference RFcc{body}: check digits cc by ISO 7064 mod 97-10."""
    digits = "".join(str(int(c, 36)) for c in body + "RF00")
    return f"RF{98 - int(digits) % 97:02d}{body}"


def test_r12_an_iso_creditor_reference_holding_our_kenmerk_is_our_kenmerk():
    """R12 "matched on the structured creditor reference (SCOR)" (audit camt, stop 45):
    given a transfer whose SCOR reference is the ISO 11649 form RFcc + our kenmerk (payer
    software converts a Dutch kenmerk to it; spaced as it is printed), when read, then its
    kenmerk is ours; an RF whose check digits are wrong is not read (the text decides)."""
    good = rf(OURS)
    spaced = " ".join(good[i : i + 4] for i in range(0, len(good), 4))
    assert payment_reference(only_transaction(statement(credit(1, scor=good)))) == OURS
    assert payment_reference(only_transaction(statement(credit(1, scor=spaced)))) == OURS
    wrong = f"RF{(int(good[2:4]) + 1) % 100:02d}{OURS}"
    assert payment_reference(only_transaction(statement(credit(1, scor=wrong)))) is None
    text = credit(1, scor=wrong, ustrd=(f"nota {OTHER}",))
    assert payment_reference(only_transaction(statement(text))) == OTHER


@pytest.mark.parametrize("between", ["\n", "\r\n", "\t", "  ", "\u00a0 ", " \n  "])
def test_r12_the_kenmerk_is_found_across_a_line_break_or_several_spaces_in_the_text(between):
    """R12 "a 14-digit number with a valid check digit in the unstructured remittance"
    (audit camt, stop 45): given a transfer whose Ustrd has the kenmerk's groups apart by
    a line break, a tab or two spaces (the bank wraps the description, a person types
    two), when read, then that is our kenmerk, not a line for manual matching."""
    text = f"Nota {OURS[:7]}{between}{OURS[7:]} tandarts"
    transaction = only_transaction(statement(credit(2350, ustrd=(text,))))
    assert payment_reference(transaction) == OURS


@pytest.mark.parametrize("version", ["02", "08"])
def test_r12_a_batch_whose_transfers_do_not_add_up_to_the_entry_is_one_line(version):
    """R12, R13 (audit camt, stop 45): given a batch entry of EUR 30,00 whose three
    transfers say EUR 15,00 each (EUR 45,00: not what the bank booked), when the statement
    is read, then it is one transaction of the booked EUR 30,00 that no kenmerk claims,
    for a person, never EUR 45,00 booked on three invoices for money that did not come in."""
    batch = credit(
        3000,
        reference="ING-BATCH",
        batch=[Entry(1500, scor=OURS), Entry(1500, ustrd=(OTHER,)), Entry(1500)],
    )
    transaction = only_transaction(statement(batch, version=version))
    assert (transaction.entry_reference, transaction.amount_cents) == ("ING-BATCH", 3000)
    assert payment_reference(transaction) is None


def test_r12_a_batch_of_credits_and_a_debit_adds_up_with_each_direction():
    """R12: given a batch entry crediting EUR 30,00 net, made of credits of EUR 20,00 and
    EUR 15,00 and a debit of EUR 5,00, when read, then it is split into its three parts."""
    batch = credit(
        3000,
        reference="ING-BATCH",
        batch=[Entry(2000, scor=OURS), Entry(1500, ustrd=(OTHER,)), Entry(500, direction="DBIT")],
    )
    parts = parse_statements(statement(batch, version="08"))[0].transactions
    assert [(p.amount_cents, p.direction) for p in parts] == [
        (2000, Direction.CREDIT),
        (1500, Direction.CREDIT),
        (500, Direction.DEBIT),
    ]


@pytest.mark.parametrize("version", ["02", "08"])
def test_amounts_dates_and_direction_in_both_versions(version):
    transaction = only_transaction(
        statement(debit(123456, booking_date="2026-12-31"), version=version)
    )
    assert transaction.amount_cents == 123456
    assert transaction.direction is Direction.DEBIT
    assert transaction.booking_date == date(2026, 12, 31)
    assert transaction.currency == "EUR"


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2027-01-15", date(2027, 1, 15)),
        ("2027-01-15T00:30:00+01:00", date(2027, 1, 15)),
        # the same moment in UTC: still the 15th in Amsterdam (audit calendar D4)
        ("2027-01-14T23:30:00Z", date(2027, 1, 15)),
        ("2027-01-14T23:30:00.000+00:00", date(2027, 1, 15)),
        ("2027-07-14T22:30:00Z", date(2027, 7, 15)),  # summer time: UTC+2
        ("2027-01-14T23:30:00", date(2027, 1, 14)),  # no offset: the bank's Dutch time
    ],
)
def test_a_booking_moment_counts_on_its_dutch_day(written, day):
    """legal-nl.md §2: "A bank transfer counts as paid on the day the creditor's account
    is credited (booking date of the CAMT entry)", a day on the Dutch calendar, however
    the bank writes the moment."""
    transaction = only_transaction(statement(credit(100_000, booking_date=written)))
    assert transaction.booking_date == day


@pytest.mark.parametrize(
    ("entry", "is_return"),
    [
        (debit(4113, return_reason="AC04"), True),  # account closed
        (debit(4113, return_reason="MD06"), True),  # refund requested by the payer
        (debit(4113, reversal=True), True),  # the bank takes back a credit
        (debit(1250, details=False), False),  # bank costs
        (credit(4113, return_reason="AC04"), False),  # money in is never a return
    ],
)
def test_returns_are_debits_with_a_reason_or_a_reversal(entry, is_return):
    assert only_transaction(statement(entry)).is_return is is_return


@pytest.mark.parametrize(
    ("entry", "is_return"),
    [
        (debit(4113, bank_code="PMNT/RCDT/RRTN"), True),  # a received transfer returned
        (debit(4113, bank_code="PMNT/RCDT/RPCR"), True),  # recalled by the payer's bank
        (debit(4113, tx_bank_code="PMNT/RCDT/RRTN"), True),  # said by the transaction
        (debit(4113, bank_code="PMNT/RCDT/RRTN", tx_bank_code="PMNT/ICDT/ESCT"), False),
        (debit(4113, bank_code="PMNT/RCDT/RRTN", details=False), True),  # entry alone
        (debit(1250, bank_code="ACMT/MDOP/CHRG"), False),  # bank costs
        (debit(4113, bank_code="PMNT/ICDT/ESCT"), False),  # a transfer we made
        (credit(4113, bank_code="PMNT/RCDT/RRTN"), False),  # money in is never a return
    ],
)
def test_r12_a_debit_the_bank_codes_as_a_return_is_a_return_without_rtrinf(entry, is_return):
    """R12 (returned transfers are reversed): Given a debit without RtrInf whose ISO bank
    transaction code (BkTxCd Domain/Family/SubFamily; the transaction's own, else the
    entry's) is the return (RRTN) or recall (RPCR) of a received credit transfer, When the
    statement is read, Then it is a return, as one with RtrInf is; any other code is not.
    Before: every such debit read as bank costs (is_return False, 5 of 5)."""
    assert only_transaction(statement(entry)).is_return is is_return


def test_payer_details_never_show_in_the_representation():
    # The payer's name, IBAN and text are for manual matching only (R29): not for logs
    transaction = only_transaction(
        statement(credit(100, ustrd=("voor J. Jansen",), payer="J. Jansen"))
    )
    assert transaction.counterparty_name == "J. Jansen"
    assert "Jansen" not in repr(transaction) and "NL91ABNA" not in repr(transaction)


def test_an_entry_without_booking_or_value_date_is_refused():
    with pytest.raises(StatementError, match="booking date"):
        parse_statements(statement(credit(100, booking_date="")))


# --- which kenmerk a transfer quotes -----------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (credit(1, scor=OURS), OURS),
        (credit(1, scor=OURS, reference_type="SCOR-only"), OURS),
        (credit(1, scor=OURS, reference_type="CUR-Prtry"), OURS),
        (credit(1, scor=OURS, reference_type="CUR-Issr"), OURS),
        (credit(1, scor="3215 5743 8894 56"), OURS),  # spaces in the structured reference
        # a structured reference of another type is not ours to read: the text decides
        (credit(1, scor=OURS, reference_type="RADM"), None),
        (credit(1, scor=OURS, reference_type="RADM", ustrd=(OTHER,)), OTHER),
        # structured but not a valid 14-digit kenmerk (ISO RF, 16 digits): fall back to the text
        (credit(1, scor="RF18539007547034", ustrd=(f"nota {OTHER}",)), OTHER),
        (credit(1, scor="5000056789012345", ustrd=()), None),
        (credit(1, scor="32155743889457", ustrd=(OTHER,)), OTHER),  # wrong check digit
        # the structured one wins over the text
        (credit(1, scor=OURS, ustrd=(OTHER,)), OURS),
        # no remittance at all, but the bank's own description quotes it
        (credit(1, details=False, addtl_ntry_inf=f"/TRTP/SEPA OVERBOEKING/REMI/{OTHER}/"), OTHER),
    ],
)
def test_the_kenmerk_structured_first_then_in_the_text(entry, expected):
    assert payment_reference(only_transaction(statement(entry))) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("32155743889456", OURS),
        ("Nota 3215 5743 8894 56 tandarts", OURS),
        ("kenmerk 3215.5743.8894.56", OURS),
        ("betalingskenmerk:32155743889456.", OURS),
        ("32155 74388 9456", OURS),
        ("factuur 2026 32155743889456", OURS),  # a number in front is not glued on
        ("nota 123. 3215 5743 8894 56", OURS),
        ("3215 5743 8894 56 en nogmaals 32155743889456", OURS),  # the same one twice
        # not ours
        ("", None),
        ("Betaling rekening november", None),
        ("32155743889457", None),  # check digit wrong
        ("3215574388945", None),  # 13 digits
        ("321557438894560", None),  # 15 digits: no 14-digit tail is cut from it
        ("132155743889456", None),
        ("12234534622567", "12234534622567"),  # legal-nl.md §1's example
        ("5000056789012345", None),  # a valid 16-digit reference, but not one of ours
        ("BE32155743889456", None),  # glued to letters: the digits of an IBAN
        ("nr32155743889456", None),
        ("3215 5743 8894 5 6", OURS),  # groups that add up to 14
        ("3215 5743 8894 567", None),  # groups that overshoot: a group is never cut
        # two different valid ones: ambiguous, a person decides
        (f"{OURS} en {OTHER}", None),
    ],
)
def test_a_kenmerk_in_free_text(text, expected):
    assert reference_in_text(text) == expected


def test_a_kenmerk_split_over_two_remittance_lines_is_found():
    transaction = only_transaction(statement(credit(1, ustrd=("Nota 3215 5743", "8894 56 dank u"))))
    assert payment_reference(transaction) == OURS


def with_additional_information(xml: bytes, text: str) -> bytes:
    """The transfer's AddtlTxInf after its remittance, as some banks send the payer's
    description while the Ustrd holds their own words."""
    return xml.replace(b"</RmtInf>", f"</RmtInf><AddtlTxInf>{text}</AddtlTxInf>".encode())


@pytest.mark.parametrize(
    ("ustrd", "additional", "expected"),
    [
        ("Betaling", f"Nota {OURS}", OURS),  # the Ustrd holds none: the additional decides
        (f"Nota {OTHER}", f"Nota {OURS}", OTHER),  # the Ustrd's own kenmerk first
        ("tandarts", f"{OURS} en {OTHER}", None),  # two: never one of them guessed
        (f"{OURS} {OTHER}", "Betaling", None),  # two in the Ustrd, as before
    ],
    ids=["additional", "ustrd-first", "two-in-additional", "two-in-ustrd"],
)
def test_r12_a_kenmerk_in_the_additional_information_is_read_when_the_ustrd_has_none(
    ustrd, additional, expected
):
    """R12 "a 14-digit number with a valid check digit in the unstructured remittance"
    (audit camt2): given a credit whose Ustrd holds other text and whose AddtlTxInf holds
    a kenmerk
    When it is read
    Then the AddtlTxInf's kenmerk is the payment's; the Ustrd's own kenmerk comes first;
    two different kenmerken are never one guessed (a person or the payer's designation
    decides)."""
    xml = statement(credit(1000, ustrd=(ustrd,)))
    transaction = only_transaction(with_additional_information(xml, additional))

    assert payment_reference(transaction) == expected
    assert transaction.remittance_text == ustrd  # what the person sees is unchanged
