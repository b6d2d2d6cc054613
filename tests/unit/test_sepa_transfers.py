"""The pain.001.001.09 writer (R34, issue 19, issue 14 item 5): every file it writes is valid
against the official XSD, pays exactly the cents asked, to the account asked, and speaks
only the SEPA character set."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
import xmlschema
from defusedxml import ElementTree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing_core.payments.sepa_transfers import (
    DebtorAccount,
    Transfer,
    TransferFileError,
    credit_transfer_file,
    execution_day,
    in_sepa_scheme,
    sepa_text,
    usable_name,
)
from billing_core.shared.clock import AMSTERDAM

XSD = xmlschema.XMLSchema(Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.09.xsd")
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
SEPA_SET = re.compile(r"^[A-Za-z0-9/\-?:().,'+ ]*$")
COLLECTION_ACCOUNT = DebtorAccount("Zorgnota B.V. derdengelden", "NL91ABNA0417164300", "ABNANL2A")
CREATED = datetime(2026, 11, 30, 9, 15, tzinfo=AMSTERDAM)
MONDAY = date(2026, 11, 30)
IBANS = ["NL91ABNA0417164300", "NL02RABO0123456789", "DE89370400440532013000", "BE68539007547034"]


def write(*transfers: Transfer, message_id: str = "PO-2026-W48") -> bytes:
    return credit_transfer_file(
        message_id, COLLECTION_ACCOUNT, transfers, execution_date=MONDAY, created_at=CREATED
    )


def paid(document: bytes) -> list[tuple[str, str, str, int, str]]:
    """(end-to-end id, IBAN, name, cents, remittance) per transfer, as the bank reads them."""
    root = ElementTree.fromstring(document)
    return [
        (
            tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS) or "",
            tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) or "",
            tx.findtext("p:Cdtr/p:Nm", namespaces=NS) or "",
            int(Decimal(tx.findtext("p:Amt/p:InstdAmt", namespaces=NS) or "") * 100),
            tx.findtext("p:RmtInf/p:Ustrd", namespaces=NS) or "",
        )
        for tx in root.iterfind(".//p:CdtTrfTxInf", NS)
    ]


def test_a_payout_file_validates_and_pays_the_practice_its_cents():
    # Given a payout of EUR 1234.05 to a practice with a diacritic in its name
    transfer = Transfer(
        "PO-2026-W48.1",
        "NL02RABO0123456789",
        "Fysiotherapie Coöperatie Zoë",
        123405,
        "Retrocessie 2026-W48 PO-2026-W48.1",
    )
    # When the file is written
    document = write(transfer)
    # Then the XSD accepts it and the bank reads the practice's account, name and amount
    XSD.validate(document)
    assert paid(document) == [
        (
            "PO-2026-W48.1",
            "NL02RABO0123456789",
            "Fysiotherapie Cooperatie Zoe",
            123405,
            "Retrocessie 2026-W48 PO-2026-W48.1",
        )
    ]
    header = ElementTree.fromstring(document).find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header is not None
    assert header.findtext("p:MsgId", namespaces=NS) == "PO-2026-W48"
    assert header.findtext("p:CreDtTm", namespaces=NS) == "2026-11-30T09:15:00"
    assert header.findtext("p:CtrlSum", namespaces=NS) == "1234.05"


@pytest.mark.parametrize(
    "transfer",
    [
        Transfer("PO-1.1", "NL02RABO0123456789", "Praktijk", 0, "nul"),
        Transfer("PO-1.1", "NL02RABO0123456789", "Praktijk", -500, "negatief"),
        Transfer("PO-1.1", "NL02RABO0123456789", "&&& ***", 500, "geen naam"),
        Transfer("PO 1 1", "NL02RABO0123456789", "Praktijk", 500, "spatie in id"),
        Transfer("P" * 36, "NL02RABO0123456789", "Praktijk", 500, "id te lang"),
    ],
    ids=["zero", "negative", "no-sepa-name", "space-in-id", "id-too-long"],
)
def test_a_transfer_the_bank_would_refuse_is_never_written(transfer):
    with pytest.raises(TransferFileError):
        write(transfer)


def test_a_file_without_transfers_is_not_written():
    with pytest.raises(TransferFileError):
        write()


names = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCZéëèïöüçñÉÖ& -'.,/@€ĳ()+?:"),
    min_size=1,
    max_size=90,
).filter(lambda name: bool(sepa_text(name, 70)))
transfers = st.builds(
    Transfer,
    end_to_end_id=st.just(""),
    iban=st.sampled_from(IBANS),
    name=names,
    amount_cents=st.integers(min_value=1, max_value=99_999_999_999),
    remittance=st.text(max_size=200),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(transfers, min_size=1, max_size=6))
def test_every_file_validates_and_pays_every_cent_in_the_sepa_set(batch):
    # Given transfers with any names, remittances and amounts up to a billion euros
    numbered = [
        Transfer(f"PO-X.{n}", t.iban, t.name, t.amount_cents, t.remittance)
        for n, t in enumerate(batch, 1)
    ]
    # When they are written
    document = write(*numbered)
    # Then the XSD accepts the file, each transfer pays exactly its cents to its IBAN,
    # the control sum is the total, and every text is in the SEPA character set
    XSD.validate(document)
    read = paid(document)
    assert [(e2e, iban, cents) for e2e, iban, _, cents, _ in read] == [
        (t.end_to_end_id, t.iban, t.amount_cents) for t in numbered
    ]
    assert all(SEPA_SET.match(name) and 0 < len(name) <= 70 for _, _, name, _, _ in read)
    assert all(SEPA_SET.match(text) and 0 < len(text) <= 140 for *_, text in read)
    control_sum = ElementTree.fromstring(document).findtext(
        "p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS
    )
    assert int(Decimal(control_sum or "") * 100) == sum(t.amount_cents for t in numbered)


@pytest.mark.parametrize(
    ("iban", "reached"),
    [
        ("NL91ABNA0417164300", True),
        ("DE89370400440532013000", True),
        ("CH9300762011623852957", True),  # EFTA
        ("GB29NWBK60161331926819", True),  # left the EU, stayed in SEPA
        ("GI75NWBK000000007099453", True),  # Gibraltar, a territory with IBANs of its own
        ("AD1200012030200359100100", True),  # by agreement (2019)
        ("RS35260005601001611379", True),  # admitted May 2025
        ("SA0380000000608010167519", False),
        ("BR1500000000000010932840814P2", False),
        ("TR330006100519786457841326", False),
        ("FO6264600001631634", False),  # Faroe Islands: Danish, but outside
    ],
)
def test_a_transfer_reaches_the_sepa_countries_only(iban, reached):
    """R34, audit BACKOFFICE5: the EPC's list of SEPA scheme countries, by the IBAN."""
    assert in_sepa_scheme(iban) is reached


@pytest.mark.parametrize(
    ("day", "executed"),
    [
        (date(2026, 11, 30), date(2026, 11, 30)),  # a Monday
        (date(2026, 11, 28), date(2026, 11, 30)),  # Saturday
        (date(2026, 11, 29), date(2026, 11, 30)),  # Sunday
        (date(2027, 1, 1), date(2027, 1, 4)),  # New Year's Day, a Friday
        (date(2027, 3, 26), date(2027, 3, 30)),  # Good Friday, then Easter Monday
        (date(2027, 4, 30), date(2027, 4, 30)),  # King's Day is a TARGET2 day
        (date(2026, 5, 1), date(2026, 5, 4)),  # Labour Day, a Friday
        (date(2026, 12, 24), date(2026, 12, 24)),
        (date(2026, 12, 25), date(2026, 12, 28)),  # Christmas, Boxing Day, a weekend
    ],
)
def test_the_execution_day_is_the_first_target2_day(day, executed):
    """R34, the EPC SCT rulebook (TARGET2 days), audit BACKOFFICE6."""
    assert execution_day(day) == executed


@pytest.mark.parametrize(("name", "usable"), [("A. Visser", True), ("小林", True), ("***", False)])
def test_a_name_is_usable_with_one_character_the_bank_accepts(name, usable):
    assert usable_name(name) is usable


def test_the_same_transfers_are_written_to_the_same_bytes():
    """R38, audit BACKOFFICE6 (a resend writes the same file): no random payment ids."""
    transfers = [
        Transfer(f"PO-2026-W48.{n}", iban, f"Praktijk {n}", 1000 + n, "Uitbetaling")
        for n, iban in enumerate(IBANS, start=1)
    ]
    first = write(*transfers)
    assert write(*transfers) == first
    assert b"<PmtInfId>PO-2026-W48.2</PmtInfId>" in first


def test_the_writer_refuses_a_file_the_xsd_refuses():
    """Given a file the writer made, and the same file with a MsgId of 36 characters (the
    XSD's Max35Text); When each is checked as the writer checks what it returns; Then the
    first passes and the second is refused (the check can fail)."""
    from sepaxml.validation import ValidationError

    from billing_core.payments.sepa_transfers import _check_against_the_xsd

    document = write(Transfer("PO-2026-W48.1", "NL02RABO0123456789", "Zoe", 100, "x"))
    _check_against_the_xsd(document)
    too_long = document.replace(b"<MsgId>PO-2026-W48</MsgId>", b"<MsgId>" + b"P" * 36 + b"</MsgId>")
    assert too_long != document
    with pytest.raises(ValidationError):
        _check_against_the_xsd(too_long)


def test_the_xsd_is_read_once_for_every_file_written(monkeypatch):
    """Given a process that has not read the XSD yet; When three files are written; Then the
    XSD was compiled once, not once per file (0.12 s of CPU each, issue 18)."""
    from billing_core.payments import sepa_transfers

    compiled: list[object] = []

    class Counting(xmlschema.XMLSchema):  # type: ignore[misc]
        def __init__(self, *args: object, **kwargs: object) -> None:
            compiled.append(args[0])
            super().__init__(*args, **kwargs)

    def forget_the_schema() -> None:  # so this test compiles it with Counting, and later ones not
        getattr(sepa_transfers, "_schema", functools.cache(lambda: None)).cache_clear()

    monkeypatch.setattr(xmlschema, "XMLSchema", Counting)
    forget_the_schema()
    for n in range(3):
        write(Transfer(f"PO-2026-W48.{n + 1}", "NL02RABO0123456789", "Zoe", 100 + n, "x"))
    forget_the_schema()
    assert len(compiled) == 1
